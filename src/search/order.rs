//! A stable order for hits that rank equal. tantivy breaks ties by where a document sits in the
//! index, and that depends on how the indexing threads happened to interleave: the same folder
//! indexed twice listed its undated articles, or two equally relevant ones, in another order.
//! Here ties go by file path, then place in the file (line, row or element), then statement
//! number: the order of the folder itself, the same from one index of it to the next.

use std::cell::OnceCell;
use std::collections::BinaryHeap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::Weight;
use tantivy::{DateTime, DocAddress, DocId, Score, Searcher, SegmentReader};

use super::query::Sort;
use crate::error::Result;
use crate::index::schema;

/// A hit's place in a sort order as one number, lower first: the score for relevance (higher
/// first), the date for the date orders (undated last either way).
pub(crate) type Rank = u64;

/// [`Rank`] of a relevance score.
pub(crate) fn score_rank(score: Score) -> Rank {
    // The IEEE bits, flipped so that unsigned order is numeric order, then reversed: best first.
    let bits = score.to_bits();
    let ordered = if bits >> 31 == 1 {
        !bits
    } else {
        bits | 1 << 31
    };
    u64::from(!ordered)
}

/// The score whose [`score_rank`] is `rank`.
fn rank_score(rank: Rank) -> Score {
    let ordered = !(rank as u32);
    let bits = if ordered >> 31 == 1 {
        ordered & !(1 << 31)
    } else {
        !ordered
    };
    Score::from_bits(bits)
}

/// [`Rank`] of a publication date under a date order.
pub(crate) fn date_rank(date: Option<DateTime>, sort: Sort) -> Rank {
    let Some(date) = date else {
        return Rank::MAX;
    };
    // Signed nanoseconds to unsigned, order kept.
    let ordered = (date.into_timestamp_nanos() as u64) ^ 1 << 63;
    let rank = if sort == Sort::Newest {
        !ordered
    } else {
        ordered
    };
    rank.min(Rank::MAX - 1)
}

/// A hit: its rank, its score when ranked by relevance, its document.
pub(crate) type Ranking = (Rank, Option<Score>, DocAddress);

/// Collects the first `k` matches of a query in `sort` order, ties in key order: tantivy's
/// `TopDocs` with a key after the rank. Relevance keeps block-max WAND: a block is skipped
/// only when it cannot tie the `k`-th best score.
pub(crate) struct Stable {
    /// The order.
    pub sort: Sort,
    /// How many to keep.
    pub k: usize,
}

/// [`Stable`] on one segment.
pub(crate) struct StableSegment {
    sort: Sort,
    dates: Option<Column<DateTime>>,
    top: SegmentTop,
}

impl StableSegment {
    /// The score a match must reach to matter now: any before `k` are kept, else the worst
    /// kept one's, ties included.
    fn threshold(&self) -> Score {
        self.top
            .worst_rank()
            .map_or(Score::MIN, |rank| rank_score(rank).next_down())
    }
}

impl Collector for Stable {
    type Fruit = Vec<Ranking>;
    type Child = StableSegment;

    fn for_segment(&self, ord: u32, seg: &SegmentReader) -> tantivy::Result<StableSegment> {
        let dates = match self.sort {
            Sort::Relevance => None,
            Sort::Newest | Sort::Oldest => seg.fast_fields().column_opt(schema::DATE)?,
        };
        Ok(StableSegment {
            sort: self.sort,
            dates,
            top: SegmentTop::new(Columns::new(seg), ord, self.k),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.sort == Sort::Relevance
    }

    fn merge_fruits(&self, fruits: Vec<SegmentTop>) -> tantivy::Result<Vec<Ranking>> {
        let relevance = self.sort == Sort::Relevance;
        Ok(merge(fruits, self.k)?
            .into_iter()
            .map(|(rank, addr)| (rank, relevance.then(|| rank_score(rank)), addr))
            .collect())
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        ord: u32,
        seg: &SegmentReader,
    ) -> tantivy::Result<SegmentTop> {
        let mut child = self.for_segment(ord, seg)?;
        let alive = seg.alive_bitset();
        if self.sort == Sort::Relevance {
            weight.for_each_pruning(Score::MIN, seg, &mut |doc, score| {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    child.top.offer(doc, score_rank(score));
                }
                child.threshold()
            })?;
        } else {
            weight.for_each_no_score(seg, &mut |docs| {
                for &doc in docs {
                    if alive.is_none_or(|a| a.is_alive(doc)) {
                        child.collect(doc, 0.0);
                    }
                }
            })?;
        }
        Ok(child.harvest())
    }
}

impl SegmentCollector for StableSegment {
    type Fruit = SegmentTop;

    fn collect(&mut self, doc: DocId, score: Score) {
        let rank = match self.sort {
            Sort::Relevance => score_rank(score),
            Sort::Newest | Sort::Oldest => {
                date_rank(self.dates.as_ref().and_then(|c| c.first(doc)), self.sort)
            }
        };
        self.top.offer(doc, rank);
    }

    fn harvest(self) -> SegmentTop {
        self.top
    }
}

/// The first `want` of `hits` (of `searcher`) in order of rank, ties in key order.
pub(crate) fn settle(searcher: &Searcher, hits: Vec<Ranking>, want: usize) -> Result<Vec<Ranking>> {
    let relevance = hits.first().is_some_and(|h| h.1.is_some());
    let ranked = first(
        searcher,
        hits.into_iter().map(|(rank, _, addr)| (rank, addr)),
        want,
    )?;
    Ok(ranked
        .into_iter()
        .map(|(rank, addr)| (rank, relevance.then(|| rank_score(rank)), addr))
        .collect())
}

/// The first `need` of `addrs` (of `searcher`) in key order.
pub(crate) fn least(
    searcher: &Searcher,
    addrs: impl IntoIterator<Item = DocAddress>,
    need: usize,
) -> Result<Vec<DocAddress>> {
    let ranked = first(searcher, addrs.into_iter().map(|a| (0, a)), need)?;
    Ok(ranked.into_iter().map(|(_, addr)| addr).collect())
}

fn first(
    searcher: &Searcher,
    hits: impl IntoIterator<Item = (Rank, DocAddress)>,
    need: usize,
) -> Result<Vec<(Rank, DocAddress)>> {
    let readers = searcher.segment_readers();
    let mut segments: Vec<Option<SegmentTop>> = Vec::new();
    segments.resize_with(readers.len(), || None);
    for (rank, addr) in hits {
        let i = addr.segment_ord as usize;
        let (Some(slot), Some(seg)) = (segments.get_mut(i), readers.get(i)) else {
            continue;
        };
        slot.get_or_insert_with(|| SegmentTop::new(Columns::new(seg), addr.segment_ord, need))
            .offer(addr.doc_id, rank);
    }
    Ok(merge(segments.into_iter().flatten().collect(), need)?)
}

/// One segment's key columns, each opened when first read: most searches have no ties, and an
/// uncached index pays a few page reads to open a column.
#[derive(Clone)]
struct Columns {
    seg: SegmentReader,
    paths: OnceCell<Option<StrColumn>>,
    locations: OnceCell<Option<Column<u64>>>,
    numbers: OnceCell<Option<Column<u64>>>,
}

impl Columns {
    fn new(seg: &SegmentReader) -> Self {
        Columns {
            seg: seg.clone(),
            paths: OnceCell::new(),
            locations: OnceCell::new(),
            numbers: OnceCell::new(),
        }
    }

    /// The paths. A column that cannot be opened (a damaged index) leaves its part of every
    /// key empty: still one order, as the index is.
    fn paths(&self) -> Option<&StrColumn> {
        let open = || self.seg.fast_fields().str(schema::PATH).ok().flatten();
        self.paths.get_or_init(open).as_ref()
    }

    fn u64s<'c>(
        &self,
        cell: &'c OnceCell<Option<Column<u64>>>,
        name: &str,
    ) -> Option<&'c Column<u64>> {
        let open = || self.seg.fast_fields().column_opt(name).ok().flatten();
        cell.get_or_init(open).as_ref()
    }

    /// The path as its ordinal in the segment's dictionary, which follows the paths' order.
    /// Every document has its file's path, statements too.
    fn path(&self, doc: DocId) -> u64 {
        let path = self.paths().and_then(|p| p.ords().first(doc));
        path.unwrap_or(u64::MAX)
    }

    /// The place in the file (line, row or element; 0 in a file of one article), on articles
    /// and their statements.
    fn place(&self, doc: DocId) -> u64 {
        let column = self.u64s(&self.locations, schema::LOCATION);
        column.and_then(|l| l.first(doc)).unwrap_or(0)
    }

    /// The statement number, 0 on an article.
    fn number(&self, doc: DocId) -> u64 {
        let column = self.u64s(&self.numbers, schema::STATEMENT_NUMBER);
        column.and_then(|c| c.first(doc)).unwrap_or(0)
    }
}

/// Past this many matches tied with the `k`-th, a segment compares paths as they come instead
/// of keeping every tied match (an empty query ties them all).
const TIES_KEPT: usize = 1024;

/// The best `need` documents of one segment offered to it, by rank, and every one that ties
/// with the worst of them: which of those come first is for [`merge`] to say, and only they
/// have their keys read. Once too many tie, the path joins the rank as they come.
pub(crate) struct SegmentTop {
    columns: Columns,
    ord: u32,
    by_rank: TopTies<Rank>,
    /// Ranked by rank and path ordinal, when too many tied.
    by_path: Option<TopTies<(Rank, u64)>>,
}

impl SegmentTop {
    fn new(columns: Columns, ord: u32, need: usize) -> Self {
        SegmentTop {
            columns,
            ord,
            by_rank: TopTies::new(need),
            by_path: None,
        }
    }

    /// The rank a document must reach to be kept, once `need` are.
    fn worst_rank(&self) -> Option<Rank> {
        match &self.by_path {
            Some(t) => t.worst().map(|w| w.0),
            None => self.by_rank.worst(),
        }
    }

    fn offer(&mut self, doc: DocId, rank: Rank) {
        if self.worst_rank().is_some_and(|w| rank > w) {
            return;
        }
        if let Some(t) = &mut self.by_path {
            t.offer((rank, self.columns.path(doc)), doc);
            return;
        }
        self.by_rank.offer(rank, doc);
        if self.by_rank.ties.len() > TIES_KEPT {
            let mut t = TopTies::new(self.by_rank.need);
            for (rank, doc) in std::mem::replace(&mut self.by_rank, TopTies::new(0)).into_vec() {
                t.offer((rank, self.columns.path(doc)), doc);
            }
            self.by_path = Some(t);
        }
    }

    /// The key columns, the segment's ordinal and the kept documents.
    fn into_candidates(self) -> (Columns, u32, Kept) {
        let kept = match self.by_path {
            Some(t) => t
                .into_vec()
                .into_iter()
                .map(|((rank, path), doc)| (rank, Some(path), doc))
                .collect(),
            None => self
                .by_rank
                .into_vec()
                .into_iter()
                .map(|(rank, doc)| (rank, None, doc))
                .collect(),
        };
        (self.columns, self.ord, kept)
    }
}

/// A segment's kept documents: (rank, path ordinal when read, document).
type Kept = Vec<(Rank, Option<u64>, DocId)>;

/// The best `need` by key, and every one that ties with the worst of them.
struct TopTies<K> {
    need: usize,
    heap: BinaryHeap<(K, DocId)>,
    /// Documents outside the heap whose key is the heap's worst.
    ties: Vec<DocId>,
}

impl<K: Ord + Copy> TopTies<K> {
    fn new(need: usize) -> Self {
        TopTies {
            need,
            heap: BinaryHeap::with_capacity(need.min(1 << 16).saturating_add(1)),
            ties: Vec::new(),
        }
    }

    /// The key a document must reach to be kept, once `need` are.
    fn worst(&self) -> Option<K> {
        self.heap
            .peek()
            .filter(|_| self.heap.len() >= self.need)
            .map(|e| e.0)
    }

    fn offer(&mut self, key: K, doc: DocId) {
        if self.need == 0 {
            return;
        }
        let Some(worst) = self.worst() else {
            self.heap.push((key, doc));
            return;
        };
        if key > worst {
            return;
        }
        if key == worst {
            self.ties.push(doc);
            return;
        }
        let out = self.heap.pop();
        self.heap.push((key, doc));
        match (out, self.heap.peek()) {
            (Some((k, d)), Some(&(now, _))) if k == now => self.ties.push(d),
            // The worst kept is better now: what tied with the old worst is out.
            _ => self.ties.clear(),
        }
    }

    fn into_vec(self) -> Vec<(K, DocId)> {
        let worst = self.heap.peek().map(|e| e.0);
        let mut v = self.heap.into_vec();
        if let Some(worst) = worst {
            v.extend(self.ties.into_iter().map(|d| (worst, d)));
        }
        v
    }
}

/// A candidate of [`merge`]: rank, segment (index into its list), path ordinal once read,
/// document. Other keys are read as ties call for them.
#[derive(Clone, Copy)]
struct Candidate {
    rank: Rank,
    seg: usize,
    path_ord: Option<u64>,
    doc: DocId,
}

/// The first `need` of several segments' candidates, in order of rank, ties by path, place
/// and statement number. A tie's paths are compared as ordinals within a segment, as text
/// across segments (only the ones that can make the cut are read); places and numbers only
/// where the paths are equal.
fn merge(segments: Vec<SegmentTop>, need: usize) -> tantivy::Result<Vec<(Rank, DocAddress)>> {
    let mut columns = Vec::with_capacity(segments.len());
    let mut ords = Vec::with_capacity(segments.len());
    let mut all: Vec<Candidate> = Vec::new();
    for (i, top) in segments.into_iter().enumerate() {
        let (c, ord, kept) = top.into_candidates();
        columns.push(c);
        ords.push(ord);
        all.extend(kept.into_iter().map(|(rank, path_ord, doc)| Candidate {
            rank,
            seg: i,
            path_ord,
            doc,
        }));
    }
    all.sort_unstable_by_key(|c| c.rank);
    let mut out = Vec::with_capacity(need.min(all.len()));
    let mut rest = all.as_mut_slice();
    while out.len() < need && !rest.is_empty() {
        let n = rest.iter().take_while(|c| c.rank == rest[0].rank).count();
        let (group, after) = rest.split_at_mut(n);
        rest = after;
        let take = n.min(need - out.len());
        let first = if n > 1 {
            order_ties(group, take, &columns)?
        } else {
            group.to_vec()
        };
        out.extend(
            first
                .iter()
                .take(take)
                .map(|c| (c.rank, DocAddress::new(ords[c.seg], c.doc))),
        );
    }
    Ok(out)
}

/// The first `take` of a group of equal rank in key order (or a few more: the rest of a file
/// that the cut falls in).
fn order_ties(
    group: &mut [Candidate],
    take: usize,
    columns: &[Columns],
) -> tantivy::Result<Vec<Candidate>> {
    for c in group.iter_mut() {
        if c.path_ord.is_none() {
            c.path_ord = Some(columns[c.seg].path(c.doc));
        }
    }
    group.sort_unstable_by_key(|c| (c.seg, c.path_ord));
    // Each segment's part is in path order now; only its first `take`, and those with the same
    // path as the last of them, can be among the group's first.
    let mut parts: Vec<&[Candidate]> = Vec::new();
    let mut rest: &[Candidate] = group;
    while let Some(c) = rest.first() {
        let n = rest.iter().take_while(|d| d.seg == c.seg).count();
        let (part, after) = rest.split_at(n);
        let last = part[take.min(n) - 1].path_ord;
        let keep = part.iter().take_while(|d| d.path_ord <= last).count();
        parts.push(&part[..keep]);
        rest = after;
    }
    // Paths as text, one pass over each segment's dictionary, only to compare segments.
    let mut paths: Vec<Vec<String>> = Vec::with_capacity(parts.len());
    if parts.len() > 1 {
        for part in &parts {
            let ords: Vec<u64> = part.iter().filter_map(|c| c.path_ord).collect();
            let mut texts = Vec::with_capacity(ords.len());
            if let Some(dict) = columns[part[0].seg].paths() {
                dict.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                    texts.push(String::from_utf8_lossy(bytes).into_owned());
                })?;
            }
            // A document without a path (a damaged index) comes last, as within its segment.
            texts.resize(part.len(), char::MAX.to_string());
            paths.push(texts);
        }
    }
    // Merge the parts by path: (part, position) of the first `take`, and on through the file
    // the last of them is in.
    let mut first: Vec<(usize, usize)> = Vec::with_capacity(take);
    let mut heads = vec![0usize; parts.len()];
    let same = |a: (usize, usize), b: (usize, usize)| {
        if a.0 == b.0 {
            parts[a.0][a.1].path_ord == parts[b.0][b.1].path_ord
        } else {
            paths[a.0][a.1] == paths[b.0][b.1]
        }
    };
    loop {
        let next = (0..parts.len())
            .filter(|&p| heads[p] < parts[p].len())
            .min_by(|&a, &b| {
                if paths.is_empty() {
                    std::cmp::Ordering::Equal
                } else {
                    paths[a][heads[a]].cmp(&paths[b][heads[b]])
                }
            });
        let Some(p) = next else { break };
        let at = (p, heads[p]);
        if first.len() >= take && first.last().is_none_or(|&l| !same(l, at)) {
            break;
        }
        first.push(at);
        heads[p] += 1;
    }
    // Equal paths: one file's articles, or an article's statements.
    let mut out: Vec<Candidate> = first.iter().map(|&(p, i)| parts[p][i]).collect();
    let mut start = 0;
    while start < out.len() {
        let end = start
            + first[start..]
                .iter()
                .take_while(|&&b| same(first[start], b))
                .count();
        if end - start > 1 {
            out[start..end].sort_by_cached_key(|c| {
                let col = &columns[c.seg];
                (col.place(c.doc), col.number(c.doc), c.seg, c.doc)
            });
        }
        start = end;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_ranks_put_the_best_first_and_give_the_score_back() {
        let scores = [f32::MAX, 12.5, 1.0, 0.5, 0.0, -0.0, -1.0, -7.25, f32::MIN];
        let ranks: Vec<Rank> = scores.iter().map(|&s| score_rank(s)).collect();
        assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
        for s in scores {
            assert_eq!(rank_score(score_rank(s)).to_bits(), s.to_bits());
        }
        // A tie is a tie: the threshold just under a score lets it through.
        assert!(rank_score(score_rank(3.0)).next_down() < 3.0);
    }

    #[test]
    fn top_ties_keeps_the_best_and_whatever_ties_with_the_last_of_them() {
        let mut t = TopTies::new(3);
        for (key, doc) in [(5, 0), (7, 1), (7, 2), (7, 3), (9, 4), (7, 5)] {
            t.offer(key, doc);
        }
        // The third best is 7, and four documents have it.
        let mut kept = t.into_vec();
        kept.sort();
        assert_eq!(kept, vec![(5, 0), (7, 1), (7, 2), (7, 3), (7, 5)]);

        let mut t = TopTies::new(2);
        for (key, doc) in [(7, 0), (7, 1), (7, 2), (3, 3), (2, 4)] {
            t.offer(key, doc);
        }
        // Two better ones push every 7 out, tied or not.
        let mut kept = t.into_vec();
        kept.sort();
        assert_eq!(kept, vec![(2, 4), (3, 3)]);

        let mut t = TopTies::new(2);
        for (key, doc) in [(7, 0), (7, 1), (7, 2), (3, 3)] {
            t.offer(key, doc);
        }
        // One better one leaves a 7 second: the other 7s still tie with it.
        let mut kept = t.into_vec();
        kept.sort();
        assert_eq!(kept, vec![(3, 3), (7, 0), (7, 1), (7, 2)]);
    }

    #[test]
    fn date_ranks_follow_the_order_and_put_undated_last() {
        let day = |d: i64| Some(DateTime::from_timestamp_secs(d * 86_400));
        let dates = [day(-400), day(0), day(1), day(20_000)];
        let newest: Vec<Rank> = dates.iter().map(|&d| date_rank(d, Sort::Newest)).collect();
        let oldest: Vec<Rank> = dates.iter().map(|&d| date_rank(d, Sort::Oldest)).collect();
        assert!(newest.windows(2).all(|w| w[0] > w[1]), "{newest:?}");
        assert!(oldest.windows(2).all(|w| w[0] < w[1]), "{oldest:?}");
        for sort in [Sort::Newest, Sort::Oldest] {
            let undated = date_rank(None, sort);
            assert!(dates.iter().all(|&d| date_rank(d, sort) < undated));
        }
    }
}
