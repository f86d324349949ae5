//! `newsdex stats`: the corpus, or the part a search matches, at a glance — articles, files,
//! dates and a timeline, top countries, actors (with the role most often given them) and
//! speakers, and the duplicate report. Everything is counted from fast fields (see `facets`);
//! stored documents are read only for the few duplicate examples shown.

use std::path::Path;

use rustc_hash::FxHashMap;
use serde::Serialize;
use tantivy::collector::Count as CountDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery, TermSetQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::facets::{Count, Months, Signatures, ValueCounts, month_label, top_counts};
use super::query::{QueryOptions, Target, build_query};
use crate::dedup::{self, CopyKind, Signature};
use crate::error::Result;
use crate::index::copies::CopyTable;
use crate::index::schema::{self, ACTOR_ROLE_SEP, Fields, KIND_STATEMENT, open_index};

/// A timeline longer than this many months is drawn by year.
pub const MAX_MONTHS: i32 = 120;

/// Duplicate groups shown as examples, of each kind.
const EXAMPLES: usize = 3;

/// Articles named per example group.
const EXAMPLE_ARTICLES: usize = 5;

/// An actor and how many matching articles name them.
#[derive(Debug, Clone, Serialize)]
pub struct ActorCount {
    /// Canonical name.
    pub name: String,
    /// Matching articles naming them.
    pub articles: u64,
    /// The role those articles give them most often, if any gives one.
    pub role: Option<String>,
}

/// A speaker and how often they are quoted.
#[derive(Debug, Clone, Serialize)]
pub struct SpeakerCount {
    /// Canonical name.
    pub name: String,
    /// Their statements (quotes and reported speech) in the matching articles.
    pub statements: u64,
    /// Matching articles in which they speak.
    pub articles: u64,
    /// Their most common role, as for actors.
    pub role: Option<String>,
}

/// One article of a duplicate example.
#[derive(Debug, Clone, Serialize)]
pub struct ExampleArticle {
    /// Article id.
    pub id: String,
    /// Source file.
    pub path: String,
    /// Line/row inside a multi-article file.
    pub location: Option<u64>,
    /// Headline.
    pub title: String,
}

/// A group of copies shown as an example.
#[derive(Debug, Clone, Serialize)]
pub struct DuplicateExample {
    /// Exact copies, or near copies (which may include exact ones).
    pub kind: CopyKind,
    /// Articles in the group.
    pub size: usize,
    /// The first of them.
    pub articles: Vec<ExampleArticle>,
}

/// Copies among the matching articles (see `crate::dedup`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct DuplicateReport {
    /// Sets of two or more articles with the same text.
    pub exact_groups: usize,
    /// Articles in those sets.
    pub exact_articles: usize,
    /// Articles that could go: each exact set but one of its articles.
    pub exact_redundant: usize,
    /// Sets of near copies (the same text with edits; exact copies inside count as members).
    pub near_groups: usize,
    /// Articles in those sets.
    pub near_articles: usize,
    /// A few groups of each kind, largest first.
    pub examples: Vec<DuplicateExample>,
}

/// The corpus, or the part a search matches, at a glance.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// Matching articles.
    pub articles: u64,
    /// Files they come from.
    pub files: u64,
    /// Earliest publication date (YYYY-MM-DD).
    pub first_date: Option<String>,
    /// Latest publication date (YYYY-MM-DD).
    pub last_date: Option<String>,
    /// Articles without a date.
    pub undated: u64,
    /// Most frequent countries.
    pub countries: Vec<Count>,
    /// Most frequent actors.
    pub actors: Vec<ActorCount>,
    /// Most quoted speakers.
    pub speakers: Vec<SpeakerCount>,
    /// "month" or "year": the unit of `timeline`.
    pub timeline_unit: &'static str,
    /// Articles per month (per year over [`MAX_MONTHS`] months), every period from the first
    /// to the last dated article, empty ones included.
    pub timeline: Vec<Count>,
    /// Copies.
    pub duplicates: DuplicateReport,
}

/// Whether a search is the whole index: no words and no filter.
fn matches_everything(o: &QueryOptions) -> bool {
    let q = o.query.trim();
    (q.is_empty() || q == "*")
        && o.countries.is_empty()
        && o.actors.is_empty()
        && o.speakers.is_empty()
        && o.roles.is_empty()
        && o.from.is_none()
        && o.to.is_none()
}

/// Each name's most frequent role among `name` U+001F `role` counts.
fn roles_by_name(pairs: FxHashMap<String, u64>) -> FxHashMap<String, String> {
    let mut best: FxHashMap<String, (u64, String)> = FxHashMap::default();
    for (pair, n) in pairs {
        let Some((name, role)) = pair.split_once(ACTOR_ROLE_SEP) else {
            continue;
        };
        let e = best.entry(name.to_string()).or_insert((0, String::new()));
        // Ties go to the alphabetically first role, so the answer does not depend on hashing.
        if n > e.0 || (n == e.0 && role < e.1.as_str()) {
            *e = (n, role.to_string());
        }
    }
    best.into_iter().map(|(k, (_, r))| (k, r)).collect()
}

/// Periods from the first to the last dated month, with zeros; by year when that is long.
fn timeline(months: &std::collections::BTreeMap<i32, u64>) -> (&'static str, Vec<Count>) {
    let (Some(&first), Some(&last)) = (months.keys().next(), months.keys().next_back()) else {
        return ("month", Vec::new());
    };
    if last - first < MAX_MONTHS {
        let v = (first..=last)
            .map(|k| Count {
                value: month_label(k),
                count: months.get(&k).copied().unwrap_or(0),
            })
            .collect();
        return ("month", v);
    }
    let year = |k: i32| k.div_euclid(12);
    let v = (year(first)..=year(last))
        .map(|y| Count {
            value: format!("{y:04}"),
            count: months.range(y * 12..y * 12 + 12).map(|(_, n)| n).sum(),
        })
        .collect();
    ("year", v)
}

fn example(
    searcher: &Searcher,
    f: &Fields,
    kind: CopyKind,
    members: &[usize],
    sigs: &[(DocAddress, Signature)],
) -> Result<DuplicateExample> {
    let mut articles = Vec::new();
    for &m in members.iter().take(EXAMPLE_ARTICLES) {
        let doc: TantivyDocument = searcher.doc(sigs[m].0)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        articles.push(ExampleArticle {
            id: text(f.id),
            path: text(f.path),
            location: doc.get_first(f.location).and_then(|v| v.as_u64()),
            title: text(f.title),
        });
    }
    Ok(DuplicateExample {
        kind,
        size: members.len(),
        articles,
    })
}

/// Sorts `sigs` by their articles' paths, then places in their files (the order of search
/// results that rank equal, `crate::search::order`); index order breaks what ties remain. A
/// column that cannot be read leaves its keys empty: the order is then index order, nothing is
/// lost. Paths are read a segment at a time, in dictionary order, in one pass over it.
fn by_path(searcher: &Searcher, sigs: &mut [(DocAddress, Signature)]) {
    sigs.sort_by_key(|(a, _)| *a);
    let mut keys: Vec<(String, u64)> = vec![(String::new(), 0); sigs.len()];
    let mut start = 0;
    while start < sigs.len() {
        let seg = sigs[start].0.segment_ord;
        let end = start
            + sigs[start..]
                .iter()
                .take_while(|(a, _)| a.segment_ord == seg)
                .count();
        let ff = searcher.segment_reader(seg).fast_fields();
        if let Ok(Some(paths)) = ff.str(schema::PATH) {
            let mut ords: Vec<(u64, usize)> = (start..end)
                .filter_map(|i| paths.term_ords(sigs[i].0.doc_id).next().map(|o| (o, i)))
                .collect();
            ords.sort_unstable();
            let mut unique: Vec<u64> = ords.iter().map(|&(o, _)| o).collect();
            unique.dedup();
            let mut names = Vec::with_capacity(unique.len());
            let _ = paths.dictionary().sorted_ords_to_term_cb(&unique, |bytes| {
                names.push(String::from_utf8_lossy(bytes).into_owned());
            });
            if names.len() == unique.len() {
                for (o, i) in ords {
                    if let Ok(k) = unique.binary_search(&o) {
                        keys[i].0.clone_from(&names[k]);
                    }
                }
            }
        }
        if let Ok(places) = ff.u64(schema::LOCATION) {
            for (i, key) in keys.iter_mut().enumerate().take(end).skip(start) {
                key.1 = places.first(sigs[i].0.doc_id).unwrap_or(0);
            }
        }
        start = end;
    }
    let mut order: Vec<usize> = (0..sigs.len()).collect();
    order.sort_by(|&i, &j| keys[i].cmp(&keys[j]).then(i.cmp(&j)));
    let sorted: Vec<(DocAddress, Signature)> = order.iter().map(|&i| sigs[i]).collect();
    sigs.copy_from_slice(&sorted);
}

fn duplicates(
    searcher: &Searcher,
    f: &Fields,
    dir: &Path,
    mut sigs: Vec<(DocAddress, Signature)>,
) -> Result<DuplicateReport> {
    // Only articles with a copy somewhere in the index can be in a group: with the index's
    // copy groups at hand, the others are left out before grouping (a third of `stats` on
    // 100,000 articles was grouping them all).
    if let Some(table) = CopyTable::load_fitting(dir, searcher) {
        let has_copies = table.has_copies();
        sigs.retain(|(a, _)| has_copies(a));
    }
    // Path order, so that groups and their examples are the same however the index is laid
    // out in segments (index order changed with a merge).
    by_path(searcher, &mut sigs);
    let plain: Vec<Signature> = sigs.iter().map(|(_, s)| *s).collect();
    let g = dedup::groups(&plain);
    let mut examples = Vec::new();
    for (kind, groups) in [(CopyKind::Exact, &g.exact), (CopyKind::Near, &g.near)] {
        for members in groups.iter().take(EXAMPLES) {
            examples.push(example(searcher, f, kind, members, &sigs)?);
        }
    }
    let exact_articles = g.exact.iter().map(Vec::len).sum();
    Ok(DuplicateReport {
        exact_groups: g.exact.len(),
        exact_articles,
        exact_redundant: exact_articles - g.exact.len(),
        near_groups: g.near.len(),
        near_articles: g.near.iter().map(Vec::len).sum(),
        examples,
    })
}

/// Statistics of the articles a search matches (its words and filters; paging ignored),
/// `top` values in each list.
pub fn stats(opts: &QueryOptions, top: usize) -> Result<Stats> {
    let (index, f) = open_index(&opts.index_dir, false)?;
    let searcher = schema::searcher(&index)?;
    let query = build_query(&index, &f, opts, Target::Articles)?;
    let everything = matches_everything(opts);
    let ((articles, paths, countries, actors), (roles, speaking, months, sigs), ids) = searcher
        .search(
            &*query,
            &(
                (
                    CountDocs,
                    ValueCounts(schema::PATH),
                    ValueCounts(schema::COUNTRY),
                    ValueCounts(schema::ACTOR),
                ),
                (
                    ValueCounts(schema::ACTOR_ROLE),
                    ValueCounts(schema::SPEAKER),
                    Months,
                    Signatures,
                ),
                (!everything).then_some(ValueCounts(schema::ID)),
            ),
        )?;

    // Statements of the matching articles: all of them, or those whose article id matched.
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
        Occur::Must,
        Box::new(TermQuery::new(
            Term::from_field_text(f.kind, KIND_STATEMENT),
            IndexRecordOption::Basic,
        )),
    )];
    if let Some(ids) = ids {
        let terms = ids
            .into_keys()
            .map(|id| Term::from_field_text(f.article_id, &id));
        clauses.push((Occur::Must, Box::new(TermSetQuery::new(terms))));
    }
    let said = searcher.search(&BooleanQuery::new(clauses), &ValueCounts(schema::SPEAKER))?;

    let roles = roles_by_name(roles);
    let actors = top_counts(actors, top)
        .into_iter()
        .map(|c| ActorCount {
            role: roles.get(&c.value).cloned(),
            name: c.value,
            articles: c.count,
        })
        .collect();
    let speakers = top_counts(said, top)
        .into_iter()
        .map(|c| SpeakerCount {
            role: roles.get(&c.value).cloned(),
            articles: speaking.get(&c.value).copied().unwrap_or(0),
            name: c.value,
            statements: c.count,
        })
        .collect();
    let day = |secs: Option<i64>| {
        secs.and_then(|s| chrono::DateTime::from_timestamp(s, 0))
            .map(|d| d.format("%Y-%m-%d").to_string())
    };
    let (timeline_unit, timeline) = timeline(&months.months);
    Ok(Stats {
        articles: articles as u64,
        files: paths.len() as u64,
        first_date: day(months.first),
        last_date: day(months.last),
        undated: months.undated,
        countries: top_counts(countries, top),
        actors,
        speakers,
        timeline_unit,
        timeline,
        duplicates: duplicates(&searcher, &f, &opts.index_dir, sigs)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::facets::month_key;

    #[test]
    fn timeline_fills_empty_months_and_switches_to_years() {
        let m: std::collections::BTreeMap<i32, u64> =
            [(month_key(2025, 11), 2), (month_key(2026, 2), 5)].into();
        let (unit, t) = timeline(&m);
        assert_eq!(unit, "month");
        let got: Vec<(&str, u64)> = t.iter().map(|c| (c.value.as_str(), c.count)).collect();
        assert_eq!(
            got,
            vec![
                ("2025-11", 2),
                ("2025-12", 0),
                ("2026-01", 0),
                ("2026-02", 5)
            ]
        );
        let long: std::collections::BTreeMap<i32, u64> = [
            (month_key(1990, 3), 1),
            (month_key(2001, 1), 4),
            (month_key(2001, 7), 1),
        ]
        .into();
        let (unit, t) = timeline(&long);
        assert_eq!(unit, "year");
        assert_eq!(t.len(), 12);
        assert_eq!((t[0].value.as_str(), t[0].count), ("1990", 1));
        assert_eq!((t[11].value.as_str(), t[11].count), ("2001", 5));
        assert_eq!(timeline(&Default::default()).1.len(), 0);
    }

    #[test]
    fn most_common_role_per_name() {
        let sep = ACTOR_ROLE_SEP;
        let pairs: FxHashMap<String, u64> = [
            (format!("Tony Blair{sep}Prime Minister"), 5),
            (format!("Tony Blair{sep}Labour leader"), 2),
            (format!("Ann Lee{sep}b"), 1),
            (format!("Ann Lee{sep}a"), 1),
        ]
        .into_iter()
        .collect();
        let r = roles_by_name(pairs);
        assert_eq!(r["Tony Blair"], "Prime Minister");
        assert_eq!(r["Ann Lee"], "a");
    }
}
