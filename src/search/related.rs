//! `newsdex related`: an article (indexed, a file on disk, or given text) in, the articles that
//! cover the same story out, each with the reasons it shares (terms, actors, countries).
//!
//! Two stages. A BM25 search for the target's most distinctive terms gathers candidates; each
//! candidate's stored text is then re-tokenised with the index's own analyzer and scored by the
//! cosine of sublinear tf-idf vectors over the whole text, sharpened by the centroid of the
//! closest few (pseudo-relevance feedback), plus the closeness of the two texts along the
//! archive's sections (latent semantic analysis, [`crate::index::lsa`]), with shared actors,
//! shared countries and closeness in time as modest boosts. Everything is summed in a fixed
//! order and ties go to the smaller id, so the same index and target always give the same list.

use std::path::Path;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, QueryClone, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{InvertedIndexReader, Searcher, TantivyDocument, Term};

use super::query::{Sort, top};
use crate::error::{Error, Result};
use crate::index::lsa::{self, Basis};
use crate::index::schema::{self, Fields, KIND_ARTICLE, open_index};

/// What to find coverage related to.
#[derive(Debug, Clone)]
pub struct RelatedOptions {
    /// The index folder.
    pub index_dir: std::path::PathBuf,
    /// An indexed article's id, or a file's path (indexed or not). Ignored with `text`.
    pub target: String,
    /// Text to find related coverage for, instead of a target.
    pub text: Option<String>,
    /// Results to return.
    pub limit: usize,
    /// Only articles this search matches (its words and filters; not scored, paging ignored).
    pub within: Option<crate::search::QueryOptions>,
}

/// One related article and why.
#[derive(Debug, Clone, Serialize)]
pub struct RelatedHit {
    /// 1-based rank.
    pub rank: usize,
    /// Similarity score: the cosine of the two articles' term vectors (0 to 1), plus their
    /// cosine along the archive's sections, plus the boosts for shared actors, countries and
    /// closeness in time.
    pub score: f32,
    /// Article id.
    pub id: String,
    /// Source file.
    pub path: String,
    /// Line/row inside a multi-article file.
    pub location: Option<u64>,
    /// Headline.
    pub title: String,
    /// Publication date.
    pub date: Option<String>,
    /// Actors named in both.
    pub shared_actors: Vec<String>,
    /// Countries in both.
    pub shared_countries: Vec<String>,
    /// The words that weigh most in the similarity, as the target writes them, strongest first.
    pub shared_terms: Vec<String>,
}

// The ranking's knobs, each measured on BBC topics (precision@10) and on same-event clusters of
// real news (precision@5).
/// Candidates gathered by the first stage and re-scored by the second: 50 rank as well as 150
/// at a third of the cost.
const CANDIDATES: usize = 50;
/// The target's heaviest terms that the first-stage search asks for.
const QUERY_TERMS: usize = 60;
/// How many body words one headline word counts as.
const TITLE_WEIGHT: f32 = 1.5;
/// Nearest candidates whose centroid is added to the target's vector.
const FEEDBACK_DOCS: usize = 3;
/// Weight of that centroid against the target's own (unit) vector.
const FEEDBACK_WEIGHT: f32 = 0.75;
/// Score added when the two articles name the same actors (times the cosine of the name sets).
const ACTOR_BOOST: f32 = 0.05;
/// Score added when the two articles are about the same countries (likewise).
const COUNTRY_BOOST: f32 = 0.02;
/// Score added for the same publication day, halved every `DATE_HALF_LIFE_DAYS`.
const DATE_BOOST: f32 = 0.05;
/// See [`DATE_BOOST`].
const DATE_HALF_LIFE_DAYS: f32 = 7.0;
/// Score added times the cosine of the two articles along the archive's sections (see
/// [`crate::index::lsa`]); 0 for an index too small to have them.
const SECTION_BOOST: f32 = 1.0;
/// Added to every term's idf, ln(articles / df): it flattens the contrast between rare and
/// common words, so that two stories sharing one rare word ("prepared", "Karakoram") do not
/// outrank two that share the story's common ones ("Pakistan", "Taliban"). Until schema 4 the
/// statements, counted among all documents, did this by accident (ln of ~9 documents per
/// article, ≈ 2.2). Measured: BBC p@10 0.9520 at 0, 0.9530 at 2; on the 34-article corpus,
/// at 0 an Ethiopia–Eritrea story was third for the seed, at 2 Pakistan–Afghanistan coverage
/// fills the list.
const IDF_FLOOR: f32 = 2.0;

/// Shared terms shown as a reason.
const REASON_TERMS: usize = 5;

/// Words too common in news to tell stories apart, matched before stemming, sorted. Their idf
/// is low but not zero, and over a whole article their sum drowns the words that matter.
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "back",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "even",
    "few",
    "first",
    "for",
    "from",
    "further",
    "get",
    "got",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "last",
    "like",
    "made",
    "make",
    "many",
    "may",
    "me",
    "might",
    "more",
    "most",
    "mr",
    "mrs",
    "ms",
    "much",
    "must",
    "my",
    "myself",
    "new",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "people",
    "said",
    "same",
    "say",
    "says",
    "she",
    "should",
    "so",
    "some",
    "still",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "time",
    "to",
    "told",
    "too",
    "two",
    "under",
    "until",
    "up",
    "us",
    "use",
    "used",
    "very",
    "was",
    "way",
    "we",
    "well",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "year",
    "years",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

struct Target {
    id: Option<String>,
    title: String,
    body: String,
    actors: Vec<String>,
    countries: Vec<String>,
    /// Publication time, Unix seconds.
    time: Option<i64>,
}

fn texts(doc: &TantivyDocument, field: Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn first(doc: &TantivyDocument, field: Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

fn time(doc: &TantivyDocument, f: &Fields) -> Option<i64> {
    doc.get_first(f.date)
        .and_then(|v| v.as_datetime())
        .map(|d| d.into_timestamp_secs())
}

fn term_query(field: Field, value: &str, option: IndexRecordOption) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, value), option))
}

fn indexed(searcher: &Searcher, f: &Fields, field: Field, value: &str) -> Result<Option<Target>> {
    let Some(doc) = crate::search::query::find_article(searcher, f, field, value)? else {
        return Ok(None);
    };
    Ok(Some(Target {
        id: Some(first(&doc, f.id)),
        title: first(&doc, f.title),
        body: first(&doc, f.body),
        actors: texts(&doc, f.actor),
        countries: texts(&doc, f.country),
        time: time(&doc, f),
    }))
}

fn resolve(searcher: &Searcher, f: &Fields, opts: &RelatedOptions) -> Result<Target> {
    let from_article = |mut a: crate::Article| {
        crate::extract::resolve_date(&mut a);
        let ex = crate::extract::extract(&a);
        Target {
            id: None,
            actors: ex.actors.iter().map(|x| x.name.clone()).collect(),
            countries: ex.countries.iter().map(|c| c.code.to_string()).collect(),
            time: a.date.map(|d| d.unix_seconds()),
            title: a.title,
            body: a.body,
        }
    };
    if let Some(text) = &opts.text {
        return Ok(from_article(crate::Article {
            body: text.clone(),
            ..Default::default()
        }));
    }
    if let Some(t) = indexed(searcher, f, f.id, &opts.target)? {
        return Ok(t);
    }
    let path = Path::new(&opts.target);
    if !path.exists() {
        return Err(Error::Usage(format!(
            "'{}' is neither an indexed article id nor a file; give an id, a path or --text",
            opts.target
        )));
    }
    let abs = crate::crawl::absolute(path);
    if let Some(t) = indexed(searcher, f, f.path, &abs.to_string_lossy())? {
        return Ok(t);
    }
    let bytes = std::fs::read(&abs).map_err(|e| Error::io(&abs, e))?;
    let parsed =
        crate::parse::parse_bytes(&abs.to_string_lossy(), &bytes, 64 << 20).map_err(|e| {
            Error::Parse {
                path: abs.clone(),
                message: e.to_string(),
            }
        })?;
    let a = parsed
        .articles
        .into_iter()
        .next()
        .ok_or_else(|| Error::Parse {
            path: abs.clone(),
            message: "no article in this file".into(),
        })?;
    Ok(from_article(a))
}

/// A unit-length term vector, sorted by term so that sums over it run in a fixed order.
type Vector = Vec<(String, f32)>;

/// Turns texts into tf-idf vectors with the body field's analyzer and its document frequencies.
struct Weigher {
    field: Field,
    /// The field's postings in every segment, for document frequencies.
    postings: Vec<std::sync::Arc<InvertedIndexReader>>,
    /// The field's own analyzer, run once per distinct word: stemming every occurrence of
    /// every candidate costs more than the rest of the ranking together.
    analyzer: TextAnalyzer,
    terms: FxHashMap<String, Option<String>>,
    n_docs: f32,
    idf: FxHashMap<String, f32>,
}

impl Weigher {
    /// Weighs the terms of the articles' `field` (`kind` tells articles apart).
    fn new(searcher: &Searcher, field: Field, kind: Field) -> Result<Self> {
        let articles = searcher.doc_freq(&Term::from_field_text(kind, KIND_ARTICLE))?;
        let postings = searcher
            .segment_readers()
            .iter()
            .map(|r| r.inverted_index(field))
            .collect::<tantivy::Result<_>>()?;
        Ok(Weigher {
            field,
            postings,
            analyzer: searcher.index().tokenizer_for_field(field)?,
            terms: FxHashMap::default(),
            n_docs: articles.max(1) as f32,
            idf: FxHashMap::default(),
        })
    }

    fn idf(&mut self, term: &str) -> Result<f32> {
        if let Some(&w) = self.idf.get(term) {
            return Ok(w);
        }
        let key = Term::from_field_text(self.field, term);
        let mut df = 0u64;
        for p in &self.postings {
            df += u64::from(p.doc_freq(&key).map_err(tantivy::TantivyError::from)?);
        }
        // A term the index has never seen (text given with --text) matches nothing; weigh it
        // as the rarest so that it still counts in the target's length.
        let w = (self.n_docs / df.max(1) as f32).ln().max(0.0) + IDF_FLOOR;
        self.idf.insert(term.to_string(), w);
        Ok(w)
    }

    /// Counts the index terms of title and body; with `surface`, remembers the first word that
    /// gave each term, to show it as a reason.
    fn counts(
        &mut self,
        title: &str,
        body: &str,
        mut surface: Option<&mut FxHashMap<String, String>>,
    ) -> FxHashMap<String, f32> {
        let mut counts: FxHashMap<String, f32> = FxHashMap::default();
        let (terms, analyzer) = (&mut self.terms, &mut self.analyzer);
        for (text, weight) in [(title, TITLE_WEIGHT), (body, 1.0)] {
            crate::index::stem::for_each_word(text, |word| {
                let term = match terms.get(word) {
                    Some(t) => t,
                    None => {
                        // Numbers, single letters and news stopwords say little about what a
                        // story is about: remembered as no term, like a word without a stem.
                        let t = if word.len() < 2
                            || !word.chars().any(char::is_alphabetic)
                            || STOPWORDS.binary_search(&word).is_ok()
                        {
                            None
                        } else {
                            let mut one = analyzer.token_stream(word);
                            one.advance().then(|| one.token().text.clone())
                        };
                        terms.entry(word.to_string()).or_insert(t)
                    }
                };
                let Some(term) = term else { return };
                match counts.get_mut(term.as_str()) {
                    Some(n) => *n += weight,
                    None => {
                        counts.insert(term.clone(), weight);
                    }
                }
                if let Some(s) = surface.as_deref_mut()
                    && !s.contains_key(term.as_str())
                {
                    s.insert(term.clone(), word.to_string());
                }
            });
        }
        counts
    }

    /// The sublinear tf-idf vector of a text, unit length.
    fn vector(
        &mut self,
        title: &str,
        body: &str,
        surface: Option<&mut FxHashMap<String, String>>,
    ) -> Result<Vector> {
        let mut v: Vector = Vec::new();
        for (term, n) in self.counts(title, body, surface) {
            let w = (1.0 + n.ln()) * self.idf(&term)?;
            if w > 0.0 {
                v.push((term, w));
            }
        }
        v.sort_by(|a, b| a.0.cmp(&b.0));
        let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            for (_, w) in &mut v {
                *w /= norm;
            }
        }
        Ok(v)
    }
}

fn dot(query: &FxHashMap<&str, f32>, v: &Vector) -> f32 {
    v.iter()
        .filter_map(|(t, w)| query.get(t.as_str()).map(|q| q * w))
        .sum()
}

/// The cosine of two name sets, compared case-blind.
fn set_overlap(mine: &FxHashSet<String>, theirs: &[String]) -> (f32, Vec<String>) {
    let mut seen = FxHashSet::default();
    let shared: Vec<String> = theirs
        .iter()
        .filter(|x| mine.contains(&x.to_lowercase()) && seen.insert(x.to_lowercase()))
        .cloned()
        .collect();
    let sizes = (mine.len() * theirs.len()) as f32;
    let overlap = if sizes > 0.0 {
        shared.len() as f32 / sizes.sqrt()
    } else {
        0.0
    };
    (overlap, shared)
}

struct Candidate {
    id: String,
    doc: TantivyDocument,
    vector: Vector,
    score: f32,
}

/// Finds the articles most related to the target.
pub fn related(opts: &RelatedOptions) -> Result<Vec<RelatedHit>> {
    if opts.limit == 0 {
        return Err(Error::Usage("--limit must be at least 1".into()));
    }
    let (index, f) = open_index(&opts.index_dir, false)?;
    let searcher = schema::searcher(&index)?;
    let target = resolve(&searcher, &f, opts)?;
    let weigher = std::cell::RefCell::new(Weigher::new(&searcher, f.body, f.kind)?);
    let mut surface = FxHashMap::default();
    let mine = weigher
        .borrow_mut()
        .vector(&target.title, &target.body, Some(&mut surface))?;
    if mine.is_empty() {
        return Ok(Vec::new());
    }

    // Stage one: BM25 over the target's heaviest terms, articles only, not the target itself.
    let mut heaviest: Vec<&(String, f32)> = mine.iter().collect();
    heaviest.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let terms: Vec<(Occur, Box<dyn Query>)> = heaviest
        .iter()
        .take(QUERY_TERMS)
        .map(|(t, w)| {
            let q = term_query(f.body, t, IndexRecordOption::WithFreqs);
            (
                Occur::Should,
                Box::new(BoostQuery::new(q, *w)) as Box<dyn Query>,
            )
        })
        .collect();
    let terms = BooleanQuery::new(terms);
    let stage_one = |within: Option<Box<dyn Query>>| -> Result<Vec<Candidate>> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (
                Occur::Must,
                term_query(f.kind, KIND_ARTICLE, IndexRecordOption::Basic),
            ),
            (Occur::Must, terms.box_clone()),
        ];
        if let Some(q) = within {
            // A required clause that adds nothing to the score: relatedness alone ranks.
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0))));
        }
        if let Some(id) = &target.id {
            clauses.push((
                Occur::MustNot,
                term_query(f.id, id, IndexRecordOption::Basic),
            ));
        }
        // In stable order, so that which candidates make the cut does not depend on index order.
        let top = top(
            &searcher,
            &BooleanQuery::new(clauses),
            Sort::Relevance,
            0,
            CANDIDATES.max(opts.limit + 1),
        )?;
        // Stage two's input: whole-text vectors.
        let target_body = target.body.trim();
        let mut candidates = Vec::with_capacity(top.len());
        for (_, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let body = first(&doc, f.body);
            // A copy of the target (the same file indexed twice, or the file given by path
            // while indexed under another) is not related coverage of it.
            if !target_body.is_empty() && body.trim() == target_body {
                continue;
            }
            let vector = weigher
                .borrow_mut()
                .vector(&first(&doc, f.title), &body, None)?;
            candidates.push(Candidate {
                id: first(&doc, f.id),
                doc,
                vector,
                score: 0.0,
            });
        }
        Ok(candidates)
    };
    let mut candidates = stage_one(None)?;

    // Stage two: cosine over whole texts.
    let mut query: FxHashMap<&str, f32> = mine.iter().map(|(t, w)| (t.as_str(), *w)).collect();
    for c in &mut candidates {
        c.score = dot(&query, &c.vector);
    }
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    // Pseudo-relevance feedback: what the nearest few have in common is what the story is about.
    // Taken from all articles even when a query narrows the results, so that an article's
    // relatedness to the target does not depend on the query.
    let k = FEEDBACK_DOCS.min(candidates.len());
    if k > 0 {
        let share = FEEDBACK_WEIGHT / k as f32;
        for c in &candidates[..k] {
            for (t, w) in &c.vector {
                *query.entry(t.as_str()).or_default() += share * w;
            }
        }
    }
    if let Some(within) = &opts.within {
        let q =
            crate::search::query::build_query(&index, &f, within, crate::search::Target::Articles)?;
        let narrowed = stage_one(Some(q))?;
        // `query` borrows the terms of the unfiltered candidates; keep them alive.
        let query: FxHashMap<String, f32> =
            query.iter().map(|(t, w)| ((*t).to_string(), *w)).collect();
        candidates = narrowed;
        let norm = query.values().map(|w| w * w).sum::<f32>().sqrt();
        let query: FxHashMap<&str, f32> = query.iter().map(|(t, w)| (t.as_str(), *w)).collect();
        for c in &mut candidates {
            c.score = dot(&query, &c.vector) / norm;
        }
    } else if k > 0 {
        let norm = query.values().map(|w| w * w).sum::<f32>().sqrt();
        let scores: Vec<f32> = candidates
            .iter()
            .map(|c| dot(&query, &c.vector) / norm)
            .collect();
        for (c, s) in candidates.iter_mut().zip(scores) {
            c.score = s;
        }
    }

    // The archive's sections: closeness along them counts as much as the words shared.
    if let Some(basis) = Basis::load(&opts.index_dir)?
        && let Some(et) = basis.embed(mine.iter().map(|(t, w)| (t.as_str(), *w)))
    {
        for c in &mut candidates {
            if let Some(ec) = basis.embed(c.vector.iter().map(|(t, w)| (t.as_str(), *w))) {
                c.score += SECTION_BOOST * lsa::cosine(&et, &ec);
            }
        }
    }
    let mine_a: FxHashSet<String> = target.actors.iter().map(|a| a.to_lowercase()).collect();
    let mine_c: FxHashSet<String> = target.countries.iter().map(|c| c.to_lowercase()).collect();
    let mut hits = Vec::with_capacity(candidates.len());
    for c in &mut candidates {
        let (actor_overlap, shared_actors) = set_overlap(&mine_a, &texts(&c.doc, f.actor));
        let (country_overlap, shared_countries) = set_overlap(&mine_c, &texts(&c.doc, f.country));
        c.score += ACTOR_BOOST * actor_overlap + COUNTRY_BOOST * country_overlap;
        if let (Some(a), Some(b)) = (target.time, time(&c.doc, &f)) {
            let days = (a - b).unsigned_abs() as f32 / 86_400.0;
            c.score += DATE_BOOST * 0.5f32.powf(days / DATE_HALF_LIFE_DAYS);
        }
        hits.push(RelatedHit {
            rank: 0,
            score: c.score,
            id: c.id.clone(),
            path: first(&c.doc, f.path),
            location: c.doc.get_first(f.location).and_then(|v| v.as_u64()),
            title: first(&c.doc, f.title),
            date: c
                .doc
                .get_first(f.date_text)
                .and_then(|v| v.as_str())
                .map(str::to_string),
            shared_actors,
            shared_countries,
            shared_terms: Vec::new(),
        });
    }
    let mut order: Vec<usize> = (0..hits.len()).collect();
    order.sort_by(|&a, &b| {
        hits[b]
            .score
            .total_cmp(&hits[a].score)
            .then_with(|| hits[a].id.cmp(&hits[b].id))
    });
    order.truncate(opts.limit);
    let mut out = Vec::with_capacity(order.len());
    for (rank, i) in order.into_iter().enumerate() {
        let mut hit = hits[i].clone();
        hit.rank = rank + 1;
        hit.shared_terms = reasons(&mine, &candidates[i].vector, &surface, REASON_TERMS);
        out.push(hit);
    }
    Ok(out)
}

/// The terms that add most to the cosine of `mine` and `theirs`, as the target wrote them.
fn reasons(
    mine: &Vector,
    theirs: &Vector,
    surface: &FxHashMap<String, String>,
    n: usize,
) -> Vec<String> {
    let theirs: FxHashMap<&str, f32> = theirs.iter().map(|(t, w)| (t.as_str(), *w)).collect();
    let mut shared: Vec<(&str, f32)> = mine
        .iter()
        .filter_map(|(t, w)| theirs.get(t.as_str()).map(|x| (t.as_str(), w * x)))
        .collect();
    shared.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    shared
        .into_iter()
        .take(n)
        .map(|(t, _)| surface.get(t).cloned().unwrap_or_else(|| t.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopwords_are_sorted_for_binary_search() {
        assert!(STOPWORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn set_overlap_is_case_blind_and_counts_each_name_once() {
        let mine: FxHashSet<String> = ["pk", "af"].iter().map(|s| s.to_string()).collect();
        let theirs = ["PK".to_string(), "pk".to_string(), "IN".to_string()];
        let (overlap, shared) = set_overlap(&mine, &theirs);
        assert_eq!(shared, ["PK"]);
        assert!((overlap - 1.0 / 6f32.sqrt()).abs() < 1e-6, "{overlap}");
        assert_eq!(set_overlap(&FxHashSet::default(), &theirs).0, 0.0);
    }
}
