//! Counting over the documents a query matches, from fast fields only — no stored document is
//! read, so counting 100,000 articles costs a pass over a few columns: the values of a string
//! field (countries, actors, speakers, paths, ids), publication months, and duplicate
//! signatures. Collectors return plain data; `facets` packs what `query --facets` shows.

use std::collections::BTreeMap;
use std::io;

use rustc_hash::FxHashMap;

use chrono::Datelike;
use serde::Serialize;
use tantivy::collector::{Collector, Count as CountDocs, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::Query;
use tantivy::{DateTime, DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use super::query::{QueryOptions, Target, build_query};
use crate::dedup::Signature;
use crate::error::Result;
use crate::index::schema::{self, open_index};

/// Counts the values of a string fast field over the matching documents: value → documents
/// (a value twice in one document counts twice).
pub struct ValueCounts(pub &'static str);

/// [`ValueCounts`] on one segment: counts by term ordinal, turned into strings once at the end.
pub struct ValueCountsSegment {
    column: Option<StrColumn>,
    counts: Vec<u32>,
}

impl Collector for ValueCounts {
    type Fruit = FxHashMap<String, u64>;
    type Child = ValueCountsSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let column = segment.fast_fields().str(self.0)?;
        let terms = column.as_ref().map_or(0, |c| c.dictionary().num_terms());
        Ok(ValueCountsSegment {
            column,
            counts: vec![0; terms],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<io::Result<FxHashMap<String, u64>>>,
    ) -> tantivy::Result<Self::Fruit> {
        let mut out: FxHashMap<String, u64> = FxHashMap::default();
        for fruit in fruits {
            for (value, n) in fruit? {
                *out.entry(value).or_default() += n;
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for ValueCountsSegment {
    type Fruit = io::Result<FxHashMap<String, u64>>;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(c) = &self.column {
            for ord in c.term_ords(doc) {
                if let Some(n) = self.counts.get_mut(ord as usize) {
                    *n += 1;
                }
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        let Some(column) = self.column else {
            return Ok(FxHashMap::default());
        };
        let ords: Vec<u64> = (0..self.counts.len() as u64)
            .filter(|&o| self.counts[o as usize] > 0)
            .collect();
        let mut out = FxHashMap::with_capacity_and_hasher(ords.len(), Default::default());
        let mut next = ords.iter();
        column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
            if let Some(&o) = next.next() {
                let value = String::from_utf8_lossy(bytes).into_owned();
                out.insert(value, u64::from(self.counts[o as usize]));
            }
        })?;
        Ok(out)
    }
}

/// Publication months of the matching documents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timeline {
    /// Documents per month, keyed by [`month_key`].
    pub months: BTreeMap<i32, u64>,
    /// Documents without a date.
    pub undated: u64,
    /// Earliest date, Unix seconds.
    pub first: Option<i64>,
    /// Latest date, Unix seconds.
    pub last: Option<i64>,
}

/// A month as one number (year × 12 + month − 1), so that consecutive months are consecutive.
pub fn month_key(year: i32, month: u32) -> i32 {
    year * 12 + month as i32 - 1
}

/// The `YYYY-MM` label of a [`month_key`].
pub fn month_label(key: i32) -> String {
    format!("{:04}-{:02}", key.div_euclid(12), key.rem_euclid(12) + 1)
}

/// Collects a [`Timeline`] from the date fast field.
pub struct Months;

/// [`Months`] on one segment.
pub struct MonthsSegment {
    column: Option<Column<DateTime>>,
    timeline: Timeline,
}

impl Collector for Months {
    type Fruit = Timeline;
    type Child = MonthsSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(MonthsSegment {
            column: segment.fast_fields().column_opt(schema::DATE)?,
            timeline: Timeline::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Timeline>) -> tantivy::Result<Timeline> {
        let mut out = Timeline::default();
        for t in fruits {
            out.undated += t.undated;
            out.first = out.first.into_iter().chain(t.first).min();
            out.last = out.last.into_iter().chain(t.last).max();
            for (k, n) in t.months {
                *out.months.entry(k).or_default() += n;
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for MonthsSegment {
    type Fruit = Timeline;

    fn collect(&mut self, doc: DocId, _: Score) {
        let secs = self
            .column
            .as_ref()
            .and_then(|c| c.first(doc))
            .map(DateTime::into_timestamp_secs);
        match secs.and_then(|s| chrono::DateTime::from_timestamp(s, 0).map(|d| (s, d))) {
            Some((s, d)) => {
                let t = &mut self.timeline;
                t.first = Some(t.first.map_or(s, |f| f.min(s)));
                t.last = Some(t.last.map_or(s, |l| l.max(s)));
                *self
                    .timeline
                    .months
                    .entry(month_key(d.year(), d.month()))
                    .or_default() += 1;
            }
            None => self.timeline.undated += 1,
        }
    }

    fn harvest(self) -> Timeline {
        self.timeline
    }
}

/// Collects the duplicate signatures of the matching documents (those that have them:
/// articles).
pub struct Signatures;

/// [`Signatures`] on one segment.
pub struct SignaturesSegment {
    segment: SegmentOrdinal,
    exact: Option<Column<u64>>,
    near: Option<Column<u64>>,
    confirm: Option<Column<u64>>,
    out: Vec<(DocAddress, Signature)>,
}

impl Collector for Signatures {
    type Fruit = Vec<(DocAddress, Signature)>;
    type Child = SignaturesSegment;

    fn for_segment(
        &self,
        ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let ff = segment.fast_fields();
        Ok(SignaturesSegment {
            segment: ord,
            exact: ff.column_opt(schema::FINGERPRINT)?,
            near: ff.column_opt(schema::NEAR_HASH)?,
            confirm: ff.column_opt(schema::NEAR_CONFIRM)?,
            out: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        // Sized once: a frequent word's signatures are megabytes, every page of them a fault.
        let mut out = Vec::with_capacity(fruits.iter().map(Vec::len).sum());
        for f in fruits {
            out.extend(f);
        }
        Ok(out)
    }
}

impl SegmentCollector for SignaturesSegment {
    type Fruit = Vec<(DocAddress, Signature)>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let get = |c: &Option<Column<u64>>| c.as_ref().and_then(|c| c.first(doc));
        if let (Some(exact), Some(near), Some(confirm)) =
            (get(&self.exact), get(&self.near), get(&self.confirm))
        {
            self.out.push((
                DocAddress::new(self.segment, doc),
                Signature {
                    exact,
                    near,
                    confirm,
                },
            ));
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.out
    }
}

/// A value and how many matching articles have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    /// The value: a country code, an actor's name, a `YYYY-MM` month.
    pub value: String,
    /// Matching articles with that value.
    pub count: u64,
}

/// The `n` most frequent values, ties in alphabetical order.
pub fn top_counts(counts: FxHashMap<String, u64>, n: usize) -> Vec<Count> {
    let mut v: Vec<Count> = counts
        .into_iter()
        .map(|(value, count)| Count { value, count })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    v.truncate(n);
    v
}

/// Counts of the matching articles by country, actor and month.
#[derive(Debug, Clone, Serialize)]
pub struct Facets {
    /// Matching articles.
    pub articles: u64,
    /// Most frequent countries (ISO codes).
    pub countries: Vec<Count>,
    /// Most frequent actors.
    pub actors: Vec<Count>,
    /// Months with the most articles.
    pub months: Vec<Count>,
    /// Matching articles without a date.
    pub undated: u64,
}

/// Facets of the documents `query` matches, `top` values each.
pub(crate) fn facets_of(searcher: &Searcher, query: &dyn Query, top: usize) -> Result<Facets> {
    let (articles, countries, actors, timeline) = searcher.search(
        query,
        &(
            CountDocs,
            ValueCounts(schema::COUNTRY),
            ValueCounts(schema::ACTOR),
            Months,
        ),
    )?;
    let months = timeline
        .months
        .into_iter()
        .map(|(k, n)| (month_label(k), n))
        .collect();
    Ok(Facets {
        articles: articles as u64,
        countries: top_counts(countries, top),
        actors: top_counts(actors, top),
        months: top_counts(months, top),
        undated: timeline.undated,
    })
}

/// Facets of the articles a search matches (its filters apply; paging does not), `top` values
/// each.
pub fn facets(opts: &QueryOptions, top: usize) -> Result<Facets> {
    let (index, f) = open_index(&opts.index_dir, false)?;
    let searcher = schema::searcher(&index)?;
    let query = build_query(&index, &f, opts, Target::Articles)?;
    facets_of(&searcher, &*query, top)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_consecutive_numbers_with_labels() {
        assert_eq!(month_key(2025, 12) + 1, month_key(2026, 1));
        assert_eq!(month_label(month_key(2026, 1)), "2026-01");
        assert_eq!(month_label(month_key(1999, 12)), "1999-12");
    }

    #[test]
    fn top_counts_by_count_then_name() {
        let m: FxHashMap<String, u64> = [("b", 2), ("a", 2), ("c", 5), ("d", 1)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let got: Vec<(String, u64)> = top_counts(m, 3)
            .into_iter()
            .map(|c| (c.value, c.count))
            .collect();
        assert_eq!(got, vec![("c".into(), 5), ("a".into(), 2), ("b".into(), 2)]);
    }
}
