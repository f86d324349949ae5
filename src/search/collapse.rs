//! Duplicate collapsing for result lists. Reads the signatures of ranked hits and of every
//! other candidate article from fast fields, keeps the best-ranked of each set of copies (the
//! rules are `crate::dedup`'s) and names the others on it. `query` and `related` results go
//! through here; the ranking itself stays theirs — this module only reads it.

use std::collections::HashSet;
use std::path::Path;

use serde::Serialize;
use tantivy::query::{Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::facets::Signatures;
use super::query::{Sort, Target, build_query, find_article_addr, top};
use super::related::{RelatedHit, RelatedOptions, related};
use crate::dedup::{self, CopyKind, Signature};
use crate::error::{Error, Result};
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

/// The signature stored for a document. Every article of an index of this schema has one; a
/// document without (which cannot be an article) gets the empty text's.
pub(crate) fn signature_at(searcher: &Searcher, addr: DocAddress) -> Result<Signature> {
    let ff = searcher.segment_reader(addr.segment_ord).fast_fields();
    let get = |name: &str| -> Result<Option<u64>> {
        Ok(ff
            .column_opt::<u64>(name)?
            .and_then(|c| c.first(addr.doc_id)))
    };
    let empty = dedup::signature("", "");
    Ok(Signature {
        exact: get(schema::FINGERPRINT)?.unwrap_or(empty.exact),
        near: get(schema::NEAR_HASH)?.unwrap_or(empty.near),
    })
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
    skip: &HashSet<DocAddress>,
) -> Result<Vec<(usize, Vec<CopyRef>)>> {
    let others: Vec<&(DocAddress, Signature)> =
        pool.iter().filter(|(a, _)| !skip.contains(a)).collect();
    let sigs: Vec<Signature> = others.iter().map(|(_, s)| *s).collect();
    let mut found: Vec<Vec<(CopyKind, DocAddress)>> = vec![Vec::new(); kept.len()];
    for (&(addr, _), owner) in others.iter().zip(dedup::attach(kept, &sigs)) {
        if let Some((k, kind)) = owner {
            found[k].push((kind, *addr));
        }
    }
    found
        .into_iter()
        .map(|v| name_copies(searcher, f, v))
        .collect()
}

/// How many copies, and the first [`MAX_NAMED_COPIES`] of them named: exact ones first, then
/// in index order, so that the list is the same from run to run.
fn name_copies(
    searcher: &Searcher,
    f: &Fields,
    mut found: Vec<(CopyKind, DocAddress)>,
) -> Result<(usize, Vec<CopyRef>)> {
    found.sort_by_key(|(kind, addr)| (*kind != CopyKind::Exact, *addr));
    let named = found
        .iter()
        .take(MAX_NAMED_COPIES)
        .map(|&(kind, addr)| copy_ref(searcher, f, addr, kind))
        .collect::<Result<Vec<_>>>()?;
    Ok((found.len(), named))
}

/// One page of a search with copies collapsed: (score, document, copies count, named copies).
pub(crate) type CollapsedPage = Vec<(Option<f32>, DocAddress, usize, Vec<CopyRef>)>;

/// The `offset..offset + limit` page of distinct hits of `query` in `sort` order, each with
/// its copies among all matching articles. Fetches a wider ranked window until it holds
/// enough distinct hits, so a page is full whatever the number of copies.
pub(crate) fn search_page(
    searcher: &Searcher,
    f: &Fields,
    query: &dyn Query,
    sort: Sort,
    (offset, limit): (usize, usize),
    total: usize,
) -> Result<CollapsedPage> {
    let pool: Vec<(DocAddress, Signature)> = searcher.search(query, &Signatures)?;
    let sig_of: std::collections::HashMap<DocAddress, Signature> = pool.iter().copied().collect();
    let want = offset.saturating_add(limit);
    let mut n = want.saturating_mul(2).saturating_add(16).min(total);
    loop {
        let ranked = top(searcher, query, sort, 0, n.max(1))?;
        let sigs: Vec<Signature> = ranked
            .iter()
            .map(|(_, a)| sig_of.get(a).copied().unwrap_or_default())
            .collect();
        let kept: Vec<usize> = dedup::collapse(&sigs)
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_none())
            .map(|(i, _)| i)
            .collect();
        if kept.len() >= want || n >= total {
            let kept = &kept[..kept.len().min(want)];
            let skip: HashSet<DocAddress> = kept.iter().map(|&i| ranked[i].1).collect();
            let kept_sigs: Vec<Signature> = kept.iter().map(|&i| sigs[i]).collect();
            let copies = copies_of(searcher, f, &kept_sigs, &pool, &skip)?;
            return Ok(kept
                .iter()
                .zip(copies)
                .skip(offset)
                .map(|(&i, (count, named))| (ranked[i].0, ranked[i].1, count, named))
                .collect());
        }
        n = n.saturating_mul(4).min(total);
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

/// The signature of what `opts` asks related coverage for, and its document when indexed.
fn target_signature(
    searcher: &Searcher,
    f: &Fields,
    opts: &RelatedOptions,
) -> Result<Option<(Option<DocAddress>, Signature)>> {
    if let Some(text) = &opts.text {
        return Ok(Some((None, dedup::signature("", text))));
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
                .map(|a| (None, dedup::signature(&a.title, &a.body))));
        }
    }
    addr.map(|a| Ok((Some(a), signature_at(searcher, a)?)))
        .transpose()
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
    let searcher = index.reader()?.searcher();
    let target = target_signature(&searcher, &f, opts)?;
    let copies_target =
        |sig: Signature| target.is_some_and(|(_, t)| dedup::copy_kind(t, sig).is_some());
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
            sigs.push(addr.map_or(Ok(Signature::default()), |a| signature_at(&searcher, a))?);
            addrs.push(addr);
        }
        // The target's copies are not related coverage; the rest collapse among themselves.
        let candidates: Vec<usize> = (0..hits.len())
            .filter(|&i| !copies_target(sigs[i]))
            .collect();
        let cand_sigs: Vec<Signature> = candidates.iter().map(|&i| sigs[i]).collect();
        let kept: Vec<usize> = dedup::collapse(&cand_sigs)
            .iter()
            .zip(&candidates)
            .filter(|(c, _)| c.is_none())
            .map(|(_, &i)| i)
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
    let pool: Vec<(DocAddress, Signature)> = searcher.search(&*pool_query, &Signatures)?;
    let mut skip: HashSet<DocAddress> = kept.iter().filter_map(|&i| addrs[i]).collect();
    let mut of_target = Vec::new();
    if let Some((taddr, tsig)) = target {
        skip.extend(taddr);
        for &(addr, sig) in &pool {
            if Some(addr) != taddr
                && let Some(kind) = dedup::copy_kind(tsig, sig)
            {
                skip.insert(addr);
                of_target.push((kind, addr));
            }
        }
    }
    let (target_duplicates, target_copies) = name_copies(&searcher, &f, of_target)?;
    let kept_sigs: Vec<Signature> = kept.iter().map(|&i| sigs[i]).collect();
    let copies = copies_of(&searcher, &f, &kept_sigs, &pool, &skip)?;
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
