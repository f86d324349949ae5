//! A stable order for hits that rank equal. tantivy breaks ties by where a document sits in the
//! index, and that depends on how the indexing threads happened to interleave: the same folder
//! indexed twice listed its undated articles, or two equally relevant ones, in another order.
//! Here ties go by file path, then place in the file (line, row or element), then statement
//! number: the order of the folder itself, the same from one index of it to the next.

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
/// only when it cannot reach the `k`-th best score, as a tie with it still counts.
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
    keys: SegmentKeys,
}

impl StableSegment {
    /// The score a match must reach to matter now: any once fewer than `k` are kept, else the
    /// worst kept one's, ties included.
    fn threshold(&self) -> Score {
        match self.keys.worst_rank() {
            Some(rank) if self.keys.is_full() => rank_score(rank).next_down(),
            _ => Score::MIN,
        }
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
            keys: SegmentKeys::new(Columns::open(seg)?, ord, self.k),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.sort == Sort::Relevance
    }

    fn merge_fruits(&self, fruits: Vec<Keyed>) -> tantivy::Result<Vec<Ranking>> {
        let sort = self.sort;
        Ok(merge(fruits.concat(), self.k)
            .into_iter()
            .map(|(rank, addr)| {
                let score = (sort == Sort::Relevance).then(|| rank_score(rank));
                (rank, score, addr)
            })
            .collect())
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        ord: u32,
        seg: &SegmentReader,
    ) -> tantivy::Result<Keyed> {
        let mut child = self.for_segment(ord, seg)?;
        if self.sort != Sort::Relevance {
            let alive = seg.alive_bitset();
            weight.for_each_no_score(seg, &mut |docs| {
                for &doc in docs {
                    if alive.is_none_or(|a| a.is_alive(doc)) {
                        child.collect(doc, 0.0);
                    }
                }
            })?;
        } else {
            let alive = seg.alive_bitset();
            weight.for_each_pruning(Score::MIN, seg, &mut |doc, score| {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    child.keys.offer(doc, score_rank(score));
                }
                child.threshold()
            })?;
        }
        Ok(child.harvest())
    }
}

impl SegmentCollector for StableSegment {
    type Fruit = Keyed;

    fn collect(&mut self, doc: DocId, score: Score) {
        let rank = match self.sort {
            Sort::Relevance => score_rank(score),
            Sort::Newest | Sort::Oldest => {
                date_rank(self.dates.as_ref().and_then(|c| c.first(doc)), self.sort)
            }
        };
        self.keys.offer(doc, rank);
    }

    fn harvest(self) -> Keyed {
        // A path dictionary that cannot be read leaves paths empty: still one order.
        self.keys.into_keyed().unwrap_or_default()
    }
}

/// Orders given hits of one searcher, ties in key order. Holds each segment's key columns once
/// opened.
pub(crate) struct Keys<'a> {
    searcher: &'a Searcher,
    columns: Vec<Option<Columns>>,
}

impl<'a> Keys<'a> {
    /// Keys of `searcher`'s documents.
    pub(crate) fn new(searcher: &'a Searcher) -> Self {
        Keys {
            searcher,
            columns: vec![None; searcher.segment_readers().len()],
        }
    }

    fn columns(&mut self, seg: u32) -> Result<Option<Columns>> {
        let Some(slot) = self.columns.get_mut(seg as usize) else {
            return Ok(None);
        };
        if slot.is_none() {
            *slot = Some(Columns::open(self.searcher.segment_reader(seg))?);
        }
        Ok(slot.clone())
    }

    /// The first `want` of `hits` in order of rank, ties in key order.
    pub(crate) fn settle(&mut self, hits: Vec<Ranking>, want: usize) -> Result<Vec<Ranking>> {
        let relevance = hits.first().is_some_and(|h| h.1.is_some());
        Ok(self
            .first(hits.into_iter().map(|(rank, _, addr)| (rank, addr)), want)?
            .into_iter()
            .map(|(rank, addr)| (rank, relevance.then(|| rank_score(rank)), addr))
            .collect())
    }

    /// The first `need` of `addrs` in key order.
    pub(crate) fn least(
        &mut self,
        addrs: impl IntoIterator<Item = DocAddress>,
        need: usize,
    ) -> Result<Vec<DocAddress>> {
        let ranked = self.first(addrs.into_iter().map(|a| (0, a)), need)?;
        Ok(ranked.into_iter().map(|(_, addr)| addr).collect())
    }

    fn first(
        &mut self,
        hits: impl IntoIterator<Item = (Rank, DocAddress)>,
        need: usize,
    ) -> Result<Vec<(Rank, DocAddress)>> {
        let mut segments: Vec<Option<SegmentKeys>> = Vec::new();
        segments.resize_with(self.columns.len(), || None);
        for (rank, addr) in hits {
            let i = addr.segment_ord as usize;
            if i >= segments.len() {
                continue;
            }
            if segments[i].is_none() {
                let Some(columns) = self.columns(addr.segment_ord)? else {
                    continue;
                };
                segments[i] = Some(SegmentKeys::new(columns, addr.segment_ord, need));
            }
            if let Some(keys) = &mut segments[i] {
                keys.offer(addr.doc_id, rank);
            }
        }
        let mut keyed = Vec::new();
        for keys in segments.into_iter().flatten() {
            keyed.extend(keys.into_keyed()?);
        }
        Ok(merge(keyed, need))
    }
}

/// Documents with their rank and key: (rank, path, place in the file, statement number).
type Keyed = Vec<((Rank, String, u64, u64), DocAddress)>;

/// The first `need` of documents from several segments, in order.
fn merge(mut keyed: Keyed, need: usize) -> Vec<(Rank, DocAddress)> {
    // The address last: two documents share a key only in an index that holds one article
    // twice, which ids drawn from paths rule out.
    keyed.sort_unstable();
    keyed.truncate(need);
    keyed.into_iter().map(|(k, addr)| (k.0, addr)).collect()
}

/// One segment's key columns.
#[derive(Clone)]
struct Columns {
    paths: Option<StrColumn>,
    locations: Option<Column<u64>>,
    numbers: Option<Column<u64>>,
}

impl Columns {
    fn open(seg: &SegmentReader) -> tantivy::Result<Self> {
        let ff = seg.fast_fields();
        Ok(Columns {
            paths: ff.str(schema::PATH)?,
            locations: ff.column_opt(schema::LOCATION)?,
            numbers: ff.column_opt(schema::STATEMENT_NUMBER)?,
        })
    }
}

/// The path's ordinal, the place in the file, the statement number: a key as one segment
/// sees it.
type Ordinals = (u64, u64, u64);

/// Keeps the first `need` documents of one segment offered to it, by rank then key. Paths are
/// compared as ordinals, their place in the segment's dictionary, which follow the paths'
/// order within the segment; only the kept ones have their path read, to be compared across
/// segments.
struct SegmentKeys {
    columns: Columns,
    ord: u32,
    need: usize,
    /// The last article looked up and its place in its file: a statement's article is
    /// usually the previous statement's.
    last: Option<(DocId, u64)>,
    /// The kept documents, the last in order on top.
    heap: BinaryHeap<(Rank, Ordinals, DocId)>,
}

impl SegmentKeys {
    fn new(columns: Columns, ord: u32, need: usize) -> Self {
        SegmentKeys {
            columns,
            ord,
            need,
            last: None,
            heap: BinaryHeap::with_capacity(need.min(1 << 16).saturating_add(1)),
        }
    }

    fn is_full(&self) -> bool {
        self.heap.len() >= self.need
    }

    fn worst_rank(&self) -> Option<Rank> {
        self.heap.peek().map(|e| e.0)
    }

    /// The rest of a key after the path: the place in the file (0 for a file of one article),
    /// the statement number (0 for an article). A statement's place is its article's, whose
    /// document is `statement_number` before its own.
    fn place(&mut self, doc: DocId) -> (u64, u64) {
        let c = &self.columns;
        let n = c.numbers.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
        let article = u32::try_from(n)
            .ok()
            .and_then(|n| doc.checked_sub(n))
            .unwrap_or(doc);
        let place = match self.last {
            Some((d, place)) if d == article => place,
            _ => {
                let place = c.locations.as_ref().and_then(|l| l.first(article));
                let place = place.unwrap_or(0);
                self.last = Some((article, place));
                place
            }
        };
        (place, n)
    }

    fn offer(&mut self, doc: DocId, rank: Rank) {
        if self.need == 0 {
            return;
        }
        let worst = self.heap.peek().filter(|_| self.is_full());
        if worst.is_some_and(|w| rank > w.0) {
            // Ranked behind every kept one: no key needed.
            return;
        }
        // A statement's path is its article's: every document has its file's.
        let path = self.columns.paths.as_ref();
        let path = path.and_then(|p| p.ords().first(doc)).unwrap_or(u64::MAX);
        if worst.is_some_and(|w| (rank, path) > (w.0, w.1.0)) {
            // Most matches of an empty query stop here: a document's path comes first.
            return;
        }
        let (place, n) = self.place(doc);
        let entry = (rank, (path, place, n), doc);
        if !self.is_full() {
            self.heap.push(entry);
        } else if self.heap.peek().is_some_and(|top| entry < *top) {
            self.heap.pop();
            self.heap.push(entry);
        }
    }

    /// The kept documents with their paths read: in ordinal order, so that one pass over the
    /// dictionary reads each of its blocks once.
    fn into_keyed(self) -> tantivy::Result<Keyed> {
        let mut kept = self.heap.into_vec();
        kept.sort_unstable_by_key(|&(_, (path, ..), _)| path);
        let ords: Vec<u64> = kept
            .iter()
            .map(|(_, (p, ..), _)| *p)
            .filter(|&p| p != u64::MAX)
            .collect();
        let mut paths: Vec<String> = Vec::with_capacity(ords.len());
        if let Some(column) = &self.columns.paths {
            column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                paths.push(String::from_utf8_lossy(bytes).into_owned());
            })?;
        }
        let mut paths = paths.into_iter();
        Ok(kept
            .into_iter()
            .map(|(rank, (p, place, n), doc)| {
                let path = if p == u64::MAX {
                    String::new()
                } else {
                    paths.next().unwrap_or_default()
                };
                ((rank, path, place, n), DocAddress::new(self.ord, doc))
            })
            .collect())
    }
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
