//! Duplicate collapsing for result lists. Reads the signatures of ranked hits and of every
//! other candidate article from fast fields, keeps the best-ranked of each set of copies (the
//! rules are `crate::dedup`'s) and names the others on it. `query` and `related` results go
//! through here; the ranking itself stays theirs — this module only reads it.

use rustc_hash::{FxHashMap, FxHashSet};
use std::path::Path;

use serde::Serialize;
use tantivy::collector::Count;
use tantivy::columnar::{Column, ColumnIndex};
use tantivy::query::{EnableScoring, Query, Scorer, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, DocId, DocSet, Searcher, TantivyDocument, TantivyError, Term};

use super::facets::Signatures;
use super::order::least;
use super::query::{Sort, Target, build_query, find_article_addr, top, top_with};
use super::related::{RelatedHit, RelatedOptions, related};
use crate::dedup::{self, CopyKind, Signature};
use crate::error::{Error, Result};
use crate::index::copies::CopyTable;
use crate::index::schema::{self, Fields, KIND_ARTICLE, open_index};

/// At most this many copies are named on a hit; all are counted.
pub const MAX_NAMED_COPIES: usize = 50;

/// An article that copies a hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CopyRef {
    /// Article id.
    pub id: String,
    /// Source file.
    pub path: String,
    /// Line/row inside a multi-article file.
    pub location: Option<u64>,
    /// Exact or near copy.
    pub kind: CopyKind,
}

/// A hit with the copies that were folded into it.
#[derive(Debug, Clone, Serialize)]
pub struct Collapsed<T> {
    /// The hit, best-ranked of its copies.
    #[serde(flatten)]
    pub hit: T,
    /// How many other candidate articles are copies of it.
    pub duplicates: usize,
    /// Those copies (the first [`MAX_NAMED_COPIES`]), exact ones first.
    pub copies: Vec<CopyRef>,
}

impl<T> Collapsed<T> {
    /// A hit with no copies folded into it.
    pub fn alone(hit: T) -> Self {
        Collapsed {
            hit,
            duplicates: 0,
            copies: Vec::new(),
        }
    }
}

/// Reads the signatures of documents, opening each segment's three columns once: opening a
/// column by name costs more than reading a value from it.
struct SignatureReader<'a> {
    searcher: &'a Searcher,
    columns: Vec<Option<[Option<Column<u64>>; 3]>>,
    empty: Signature,
}

impl<'a> SignatureReader<'a> {
    fn new(searcher: &'a Searcher) -> Self {
        SignatureReader {
            searcher,
            columns: vec![None; searcher.segment_readers().len()],
            empty: dedup::signature("", ""),
        }
    }

    /// The signature stored for a document. Every article of an index of this schema has one;
    /// a document without (which cannot be an article) gets the empty text's.
    fn at(&mut self, addr: DocAddress) -> Result<Signature> {
        let slot = self
            .columns
            .get_mut(addr.segment_ord as usize)
            .ok_or_else(|| {
                Error::Index(TantivyError::InvalidArgument(format!(
                    "no segment {}",
                    addr.segment_ord
                )))
            })?;
        if slot.is_none() {
            let ff = self.searcher.segment_reader(addr.segment_ord).fast_fields();
            *slot = Some([
                ff.column_opt::<u64>(schema::FINGERPRINT)?,
                ff.column_opt::<u64>(schema::NEAR_HASH)?,
                ff.column_opt::<u64>(schema::NEAR_CONFIRM)?,
            ]);
        }
        let get = |i: usize| {
            slot.as_ref()
                .and_then(|c| c[i].as_ref())
                .and_then(|c| c.first(addr.doc_id))
        };
        Ok(Signature {
            exact: get(0).unwrap_or(self.empty.exact),
            near: get(1).unwrap_or(self.empty.near),
            confirm: get(2).unwrap_or(self.empty.confirm),
        })
    }
}

/// The signatures a collapse compares. With the index's copy table, an article in none of its
/// clusters has no copy among the indexed articles: it is kept, owns no copies and needs no
/// signature (`None`), and the table holds the signatures of the others. The signature columns
/// are then not opened at all; tantivy opens a column as one range, which an uncached search
/// reads whole (three columns of 470 KB a segment of the 100k index), for ten values.
enum HitSignatures<'a> {
    Table(FxHashMap<DocAddress, Signature>),
    Columns(SignatureReader<'a>),
}

impl<'a> HitSignatures<'a> {
    /// From `table` when there is one (it must fit `searcher`), else from the columns.
    fn new(searcher: &'a Searcher, table: Option<&CopyTable>) -> Self {
        match table {
            Some(t) => HitSignatures::Table(t.signatures()),
            None => HitSignatures::Columns(SignatureReader::new(searcher)),
        }
    }

    /// The signature of the article at `addr`, `None` when it has no copy in the index.
    fn at(&mut self, addr: DocAddress) -> Result<Option<Signature>> {
        match self {
            HitSignatures::Table(t) => Ok(t.get(&addr).copied()),
            HitSignatures::Columns(c) => c.at(addr).map(Some),
        }
    }
}

/// The hits of `ranked` that [`dedup::collapse`] keeps: those that copy no better-ranked kept
/// hit. A hit without a signature copies nothing and is copied by nothing.
fn kept_hits(ranked: &[Option<Signature>]) -> Vec<usize> {
    let (signed, sigs) = with_signature(ranked.iter().copied());
    let mut copied = vec![false; ranked.len()];
    for (&i, c) in signed.iter().zip(dedup::collapse(&sigs)) {
        copied[i] = c.is_some();
    }
    (0..ranked.len()).filter(|&i| !copied[i]).collect()
}

/// The signatures that are there, and the position of each among `sigs`.
fn with_signature(sigs: impl Iterator<Item = Option<Signature>>) -> (Vec<usize>, Vec<Signature>) {
    sigs.enumerate().filter_map(|(i, s)| Some((i, s?))).unzip()
}

fn copy_ref(searcher: &Searcher, f: &Fields, addr: DocAddress, kind: CopyKind) -> Result<CopyRef> {
    let doc: TantivyDocument = searcher.doc(addr)?;
    let text = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    Ok(CopyRef {
        id: text(f.id),
        path: text(f.path),
        location: doc.get_first(f.location).and_then(|v| v.as_u64()),
        kind,
    })
}

/// The copies of each of `kept` (signatures of hits, best first) among `pool`, leaving out the
/// documents in `skip`: a copy goes to the best-ranked kept hit it copies. Returns, for each
/// kept hit, its number of copies and the first [`MAX_NAMED_COPIES`] of them.
fn copies_of(
    searcher: &Searcher,
    f: &Fields,
    kept: &[Signature],
    pool: &[(DocAddress, Signature)],
    skip: &FxHashSet<DocAddress>,
) -> Result<Vec<(usize, Vec<CopyRef>)>> {
    // Every candidate is looked at; copies are few, so `skip` is only asked about those.
    let owners = dedup::Kept::new(kept);
    let mut found: Vec<Vec<(CopyKind, DocAddress)>> = vec![Vec::new(); kept.len()];
    for &(addr, sig) in pool {
        if let Some((k, kind)) = owners.first_copied(sig)
            && !skip.contains(&addr)
        {
            found[k].push((kind, addr));
        }
    }
    found
        .into_iter()
        .map(|v| name_copies(searcher, f, v))
        .collect()
}

/// How many article documents the index holds (deleted ones included): the size of a scan
/// over all their signatures.
fn articles(searcher: &Searcher, f: &Fields) -> Result<usize> {
    let n = searcher.doc_freq(&Term::from_field_text(f.kind, KIND_ARTICLE))?;
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}

/// The documents of one segment whose signatures copy one of `owners`, in document order, with
/// the kept hit each copies. The three signature columns are written for the same documents
/// (articles), so their rows line up: they are read in order, a block at a time, and only the
/// rows that are copies are turned into documents.
fn copies_in_segment(
    [exact, near, confirm]: [&Column<u64>; 3],
    owners: &dedup::Kept,
) -> Vec<(DocId, usize, CopyKind)> {
    const BLOCK: usize = 1024;
    let rows = exact.values.num_vals();
    let aligned = [near, confirm].iter().all(|c| {
        c.values.num_vals() == rows
            && matches!(
                (&exact.index, &c.index),
                (ColumnIndex::Full, ColumnIndex::Full)
                    | (ColumnIndex::Optional(_), ColumnIndex::Optional(_))
            )
    });
    if !aligned {
        // Not an index this version writes; a lookup per document is slow but right.
        return (0..exact.num_docs())
            .filter_map(|doc| {
                let sig = Signature {
                    exact: exact.first(doc)?,
                    near: near.first(doc)?,
                    confirm: confirm.first(doc)?,
                };
                owners.first_copied(sig).map(|(k, kind)| (doc, k, kind))
            })
            .collect();
    }
    let (mut ex, mut nr, mut cf) = ([0u64; BLOCK], [0u64; BLOCK], [0u64; BLOCK]);
    let (mut found_rows, mut owner) = (Vec::new(), Vec::new());
    let mut start = 0;
    while start < rows {
        let len = BLOCK.min((rows - start) as usize);
        exact.values.get_range(u64::from(start), &mut ex[..len]);
        near.values.get_range(u64::from(start), &mut nr[..len]);
        confirm.values.get_range(u64::from(start), &mut cf[..len]);
        for (i, ((&exact, &near), &confirm)) in
            ex[..len].iter().zip(&nr[..len]).zip(&cf[..len]).enumerate()
        {
            let sig = Signature {
                exact,
                near,
                confirm,
            };
            if let Some(o) = owners.first_copied(sig) {
                found_rows.push(start + i as u32);
                owner.push(o);
            }
        }
        start += len as u32;
    }
    exact.index.select_batch_in_place(0, &mut found_rows);
    found_rows
        .into_iter()
        .zip(owner)
        .map(|(doc, (k, kind))| (doc, k, kind))
        .collect()
}

/// [`copies_of`] among the articles `query` matches, without collecting the signatures of
/// every match. With the index's copy clusters (`crate::index::copies`) saved for the segments
/// `searcher` reads, and every owner an indexed article, only the members of the owners'
/// clusters are candidates; otherwise the signatures of all articles are scanned (three columns
/// read in order, cheaper than a lookup per match once a word matches a fair share of them).
/// Either way only the few copies found are checked against the query. A hit without a
/// signature (see [`HitSignatures`]) has none.
fn copies_in_matches(
    searcher: &Searcher,
    f: &Fields,
    table: Option<&CopyTable>,
    query: &dyn Query,
    kept: &[(Option<DocAddress>, Option<Signature>)],
    skip: &FxHashSet<DocAddress>,
) -> Result<Vec<(usize, Vec<CopyRef>)>> {
    // Owners are numbered among the hits with a signature; `signed` maps them back.
    let (signed, sigs) = with_signature(kept.iter().map(|k| k.1));
    let owners = dedup::Kept::new(&sigs);
    let addrs: Option<Vec<DocAddress>> = kept.iter().map(|k| k.0).collect();
    let candidates: Vec<(DocAddress, (usize, CopyKind))> = match table.zip(addrs) {
        Some((table, addrs)) => table
            .clusters_of(&addrs)
            .into_iter()
            .filter(|(addr, _)| !skip.contains(addr))
            .filter_map(|(addr, sig)| owners.first_copied(sig).map(|owner| (addr, owner)))
            .collect(),
        None => {
            let mut all = Vec::new();
            for (ord, seg) in searcher.segment_readers().iter().enumerate() {
                let ff = seg.fast_fields();
                let (Some(exact), Some(near), Some(confirm)) = (
                    ff.column_opt::<u64>(schema::FINGERPRINT)?,
                    ff.column_opt::<u64>(schema::NEAR_HASH)?,
                    ff.column_opt::<u64>(schema::NEAR_CONFIRM)?,
                ) else {
                    continue;
                };
                let segment_ord = u32::try_from(ord).unwrap_or(u32::MAX);
                all.extend(
                    copies_in_segment([&exact, &near, &confirm], &owners)
                        .into_iter()
                        .map(|(doc, k, kind)| (DocAddress::new(segment_ord, doc), (k, kind)))
                        .filter(|(addr, _)| !skip.contains(addr)),
                );
            }
            all
        }
    };
    let mut found: Vec<Vec<(CopyKind, DocAddress)>> = vec![Vec::new(); kept.len()];
    for (addr, (k, kind)) in matching(searcher, query, candidates)? {
        found[signed[k]].push((kind, addr));
    }
    found
        .into_iter()
        .map(|v| name_copies(searcher, f, v))
        .collect()
}

/// The candidates (in document order: a scorer only moves forward) that are live documents
/// `query` matches.
fn matching<T>(
    searcher: &Searcher,
    query: &dyn Query,
    candidates: Vec<(DocAddress, T)>,
) -> Result<Vec<(DocAddress, T)>> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut out = Vec::with_capacity(candidates.len());
    let mut scorer: Option<(u32, Box<dyn Scorer>)> = None;
    for (addr, value) in candidates {
        let Some(seg) = searcher.segment_readers().get(addr.segment_ord as usize) else {
            continue;
        };
        if addr.doc_id >= seg.max_doc() {
            continue;
        }
        if scorer
            .as_ref()
            .is_none_or(|(ord, _)| *ord != addr.segment_ord)
        {
            scorer = Some((addr.segment_ord, weight.scorer(seg, 1.0)?));
        }
        let Some((_, matches)) = scorer.as_mut() else {
            continue;
        };
        if matches.doc() < addr.doc_id {
            matches.seek(addr.doc_id);
        }
        let alive = seg.alive_bitset().is_none_or(|a| a.is_alive(addr.doc_id));
        if matches.doc() == addr.doc_id && alive {
            out.push((addr, value));
        }
    }
    Ok(out)
}

/// How many copies, and the first [`MAX_NAMED_COPIES`] of them named: exact ones first, then
/// in the order of their files (see [`super::order`]), the same from one index to the next.
fn name_copies(
    searcher: &Searcher,
    f: &Fields,
    found: Vec<(CopyKind, DocAddress)>,
) -> Result<(usize, Vec<CopyRef>)> {
    let order = |r: &CopyRef| (r.kind != CopyKind::Exact, r.path.clone(), r.location);
    if found.len() <= MAX_NAMED_COPIES {
        // All are named, and naming reads what orders them.
        let mut named = found
            .iter()
            .map(|&(kind, addr)| copy_ref(searcher, f, addr, kind))
            .collect::<Result<Vec<_>>>()?;
        named.sort_by_cached_key(order);
        return Ok((found.len(), named));
    }
    let mut named = Vec::with_capacity(MAX_NAMED_COPIES);
    for kind in [CopyKind::Exact, CopyKind::Near] {
        let need = MAX_NAMED_COPIES - named.len();
        let of_kind = found.iter().filter(|(k, _)| *k == kind).map(|&(_, a)| a);
        for addr in least(searcher, of_kind, need)? {
            named.push(copy_ref(searcher, f, addr, kind)?);
        }
    }
    Ok((found.len(), named))
}

/// One page of a search with copies collapsed: (score, document, copies count, named copies).
pub(crate) type CollapsedPage = Vec<(Option<f32>, DocAddress, usize, Vec<CopyRef>)>;

/// The number of articles `query` matches, and the `offset..offset + limit` page of its
/// distinct hits in `sort` order, each with its copies among all matching articles. One pass
/// over the matches counts them, reads their signatures and ranks a window twice the page;
/// when copies leave that window short of distinct hits, only the ranking runs again, wider.
pub(crate) fn search_page(
    searcher: &Searcher,
    f: &Fields,
    dir: &Path,
    query: &dyn Query,
    sort: Sort,
    (offset, limit): (usize, usize),
) -> Result<(usize, CollapsedPage)> {
    let want = offset.saturating_add(limit);
    // Every match is a document of the index: a huge --limit must not allocate for more.
    let docs = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    let mut n = want.saturating_mul(2).saturating_add(16).min(docs).max(1);
    let (total, mut ranked) = top_with(searcher, query, sort, (0, n), Count)?;
    let table = CopyTable::load_fitting(dir, searcher);
    let mut signatures = HitSignatures::new(searcher, table.as_ref());
    loop {
        let sigs = ranked
            .iter()
            .map(|&(_, a)| signatures.at(a))
            .collect::<Result<Vec<Option<Signature>>>>()?;
        let kept = kept_hits(&sigs);
        if kept.len() >= want || n >= total {
            let kept = &kept[..kept.len().min(want)];
            if kept.len() <= offset {
                // Nothing on the page: no copies to look for.
                return Ok((total, Vec::new()));
            }
            let skip: FxHashSet<DocAddress> = kept.iter().map(|&i| ranked[i].1).collect();
            let copies = if table.is_none() && total.saturating_mul(16) < articles(searcher, f)? {
                // Few matches: their signatures, looked up one by one, cost less than a scan.
                // Without the table every hit has its signature.
                let kept_sigs: Vec<Signature> = kept.iter().filter_map(|&i| sigs[i]).collect();
                let pool = searcher.search(query, &Signatures)?;
                copies_of(searcher, f, &kept_sigs, &pool, &skip)?
            } else {
                let owners: Vec<(Option<DocAddress>, Option<Signature>)> =
                    kept.iter().map(|&i| (Some(ranked[i].1), sigs[i])).collect();
                copies_in_matches(searcher, f, table.as_ref(), query, &owners, &skip)?
            };
            let page = kept
                .iter()
                .zip(copies)
                .skip(offset)
                .map(|(&i, (count, named))| (ranked[i].0, ranked[i].1, count, named))
                .collect();
            return Ok((total, page));
        }
        n = n.saturating_mul(4).min(total);
        ranked = top(searcher, query, sort, 0, n)?;
    }
}

/// Related articles with copies collapsed, and the copies of the target itself.
#[derive(Debug, Clone, Serialize)]
pub struct RelatedPage {
    /// Related articles, best first, each with its copies.
    pub hits: Vec<Collapsed<RelatedHit>>,
    /// How many indexed articles are copies of the target: the same article, not related
    /// coverage, so they are left out of `hits`.
    pub target_duplicates: usize,
    /// Those copies (the first [`MAX_NAMED_COPIES`]).
    pub target_copies: Vec<CopyRef>,
}

/// What `opts` asks related coverage for, as copies are looked for.
#[derive(Clone, Copy)]
enum RelatedTarget {
    /// An indexed article.
    Indexed(DocAddress),
    /// A text from outside the index, by its signature: any article may copy it.
    Outside(Signature),
}

/// What `opts` asks related coverage for: its document when indexed, else its signature.
fn related_target(
    searcher: &Searcher,
    f: &Fields,
    opts: &RelatedOptions,
) -> Result<Option<RelatedTarget>> {
    if let Some(text) = &opts.text {
        return Ok(Some(RelatedTarget::Outside(dedup::signature("", text))));
    }
    let mut addr = find_article_addr(searcher, f, f.id, &opts.target)?;
    let path = Path::new(&opts.target);
    if addr.is_none() && path.exists() {
        let abs = crate::crawl::absolute(path);
        addr = find_article_addr(searcher, f, f.path, &abs.to_string_lossy())?;
        if addr.is_none() {
            // A file outside the index: its first article, as `related` reads it.
            let bytes = std::fs::read(&abs).map_err(|e| Error::io(&abs, e))?;
            let parsed = crate::parse::parse_bytes(&abs.to_string_lossy(), &bytes, 64 << 20)
                .map_err(|e| Error::Parse {
                    path: abs.clone(),
                    message: e.to_string(),
                })?;
            return Ok(parsed
                .articles
                .first()
                .map(|a| RelatedTarget::Outside(dedup::signature(&a.title, &a.body))));
        }
    }
    Ok(addr.map(RelatedTarget::Indexed))
}

/// `related` with copies collapsed: page `offset..offset + limit` of distinct related
/// articles, copies of the target left out and listed apart. With `collapse` off, the plain
/// `related` list. Copies are looked for among the candidates: the articles matching
/// `opts.within`, or all articles.
pub fn related_page(opts: &RelatedOptions, offset: usize, collapse: bool) -> Result<RelatedPage> {
    if opts.limit == 0 {
        return Err(Error::Usage("--limit must be at least 1".into()));
    }
    let want = offset.saturating_add(opts.limit);
    let renumber = |hits: Vec<Collapsed<RelatedHit>>| -> Vec<Collapsed<RelatedHit>> {
        hits.into_iter()
            .skip(offset)
            .enumerate()
            .map(|(i, mut h)| {
                h.hit.rank = offset + i + 1;
                h
            })
            .collect()
    };
    if !collapse {
        let hits = related(&RelatedOptions {
            limit: want,
            ..opts.clone()
        })?;
        return Ok(RelatedPage {
            hits: renumber(hits.into_iter().map(Collapsed::alone).collect()),
            target_duplicates: 0,
            target_copies: Vec::new(),
        });
    }
    let (index, f) = open_index(&opts.index_dir, false)?;
    let searcher = schema::searcher(&index)?;
    let target = related_target(&searcher, &f, opts)?;
    let table = CopyTable::load_fitting(&opts.index_dir, &searcher);
    // Any article may copy a text from outside the index, so then every hit needs its
    // signature: the table only knows which articles copy one another.
    let by_table = table
        .as_ref()
        .filter(|_| !matches!(target, Some(RelatedTarget::Outside(_))));
    let mut signatures = HitSignatures::new(&searcher, by_table);
    let target: Option<(Option<DocAddress>, Option<Signature>)> = match target {
        None => None,
        Some(RelatedTarget::Indexed(a)) => Some((Some(a), signatures.at(a)?)),
        Some(RelatedTarget::Outside(sig)) => Some((None, Some(sig))),
    };
    let copies_target = |sig: Option<Signature>| {
        target
            .and_then(|(_, t)| t)
            .zip(sig)
            .is_some_and(|(t, sig)| dedup::copy_kind(t, sig).is_some())
    };
    let mut n = want.saturating_mul(2).saturating_add(8);
    let (hits, addrs, sigs, kept) = loop {
        let hits = related(&RelatedOptions {
            limit: n,
            ..opts.clone()
        })?;
        let mut addrs = Vec::with_capacity(hits.len());
        let mut sigs = Vec::with_capacity(hits.len());
        for h in &hits {
            let addr = find_article_addr(&searcher, &f, f.id, &h.id)?;
            sigs.push(addr.map_or(Ok(None), |a| signatures.at(a))?);
            addrs.push(addr);
        }
        // The target's copies are not related coverage; the rest collapse among themselves.
        let candidates: Vec<usize> = (0..hits.len())
            .filter(|&i| !copies_target(sigs[i]))
            .collect();
        let cand_sigs: Vec<Option<Signature>> = candidates.iter().map(|&i| sigs[i]).collect();
        let kept: Vec<usize> = kept_hits(&cand_sigs)
            .into_iter()
            .map(|k| candidates[k])
            .take(want)
            .collect();
        if kept.len() >= want || hits.len() < n {
            break (hits, addrs, sigs, kept);
        }
        n = n.saturating_mul(4);
    };

    let pool_query: Box<dyn Query> = match &opts.within {
        Some(w) => build_query(&index, &f, w, Target::Articles)?,
        None => Box::new(TermQuery::new(
            Term::from_field_text(f.kind, KIND_ARTICLE),
            IndexRecordOption::Basic,
        )),
    };
    // The target goes first among the owners of copies: an article that copies it is its
    // copy, not a hit's. One scan of the signature columns finds the copies of all of them.
    let mut skip: FxHashSet<DocAddress> = kept.iter().filter_map(|&i| addrs[i]).collect();
    let mut owners: Vec<(Option<DocAddress>, Option<Signature>)> =
        Vec::with_capacity(kept.len() + 1);
    if let Some((taddr, tsig)) = target {
        skip.extend(taddr);
        owners.push((taddr, tsig));
    }
    owners.extend(kept.iter().map(|&i| (addrs[i], sigs[i])));
    let mut copies =
        copies_in_matches(&searcher, &f, table.as_ref(), &*pool_query, &owners, &skip)?;
    let (target_duplicates, target_copies) = match target {
        Some(_) => copies.remove(0),
        None => (0, Vec::new()),
    };
    let mut hits: Vec<Option<RelatedHit>> = hits.into_iter().map(Some).collect();
    let collapsed = kept
        .iter()
        .zip(copies)
        .filter_map(|(&i, (duplicates, copies))| {
            hits[i].take().map(|hit| Collapsed {
                hit,
                duplicates,
                copies,
            })
        })
        .collect();
    Ok(RelatedPage {
        hits: renumber(collapsed),
        target_duplicates,
        target_copies,
    })
}
