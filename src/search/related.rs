//! `newsdex related`: an article (indexed, a file on disk, or given text) in, the articles that
//! cover the same story out, ranked by shared distinctive terms (tantivy's MoreLikeThis over
//! title and body) with shared actors and countries as a boost, each with the reasons shared.

use std::collections::HashSet;
use std::path::Path;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, MoreLikeThisQuery, Occur, Query, TermQuery,
};
use tantivy::schema::{IndexRecordOption, OwnedValue, Value};
use tantivy::{Searcher, TantivyDocument, Term};

use crate::error::{Error, Result};
use crate::index::schema::{Fields, KIND_ARTICLE, open_index};

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
    /// Similarity score.
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
}

struct Target {
    id: Option<String>,
    path: Option<String>,
    title: String,
    body: String,
    actors: Vec<String>,
    countries: Vec<String>,
}

fn texts(doc: &TantivyDocument, field: tantivy::schema::Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn first(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

fn indexed(
    searcher: &Searcher,
    f: &Fields,
    field: tantivy::schema::Field,
    value: &str,
) -> Result<Option<Target>> {
    let q = BooleanQuery::new(vec![
        (
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            )) as Box<dyn Query>,
        ),
        (
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(f.kind, KIND_ARTICLE),
                IndexRecordOption::Basic,
            )),
        ),
    ]);
    let Some((_, addr)) = searcher
        .search(&q, &TopDocs::with_limit(1).order_by_score())?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let doc: TantivyDocument = searcher.doc(addr)?;
    Ok(Some(Target {
        id: Some(first(&doc, f.id)),
        path: Some(first(&doc, f.path)),
        title: first(&doc, f.title),
        body: first(&doc, f.body),
        actors: texts(&doc, f.actor),
        countries: texts(&doc, f.country),
    }))
}

fn resolve(searcher: &Searcher, f: &Fields, opts: &RelatedOptions) -> Result<Target> {
    let from_text = |title: String, body: String| {
        let a = crate::Article {
            title,
            body,
            ..Default::default()
        };
        let ex = crate::extract::extract(&a);
        Target {
            id: None,
            path: None,
            actors: ex.actors.iter().map(|x| x.name.clone()).collect(),
            countries: ex.countries.iter().map(|c| c.code.to_string()).collect(),
            title: a.title,
            body: a.body,
        }
    };
    if let Some(text) = &opts.text {
        return Ok(from_text(String::new(), text.clone()));
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
    Ok(from_text(a.title, a.body))
}

/// Finds the articles most related to the target.
pub fn related(opts: &RelatedOptions) -> Result<Vec<RelatedHit>> {
    if opts.limit == 0 {
        return Err(Error::Usage("--limit must be at least 1".into()));
    }
    let (index, f) = open_index(&opts.index_dir, false)?;
    let searcher = index.reader()?.searcher();
    let target = resolve(&searcher, &f, opts)?;
    let n_docs = searcher.num_docs();
    let mlt = MoreLikeThisQuery::builder()
        .with_min_doc_frequency(2)
        .with_max_doc_frequency((n_docs / 5).max(2))
        .with_min_term_frequency(1)
        // No cut-off among tied terms: taking every qualifying term keeps results deterministic.
        .with_max_query_terms(1000)
        .with_min_word_length(3)
        .with_document_fields(vec![
            (f.title, vec![OwnedValue::Str(target.title.clone())]),
            (f.body, vec![OwnedValue::Str(target.body.clone())]),
        ]);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
        (
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(f.kind, KIND_ARTICLE),
                IndexRecordOption::Basic,
            )),
        ),
        (Occur::Must, Box::new(mlt)),
    ];
    if let Some(within) = &opts.within {
        // A required clause that adds nothing to the score: relatedness alone ranks.
        let q =
            crate::search::query::build_query(&index, &f, within, crate::search::Target::Articles)?;
        clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0))));
    }
    if let Some(id) = &target.id {
        clauses.push((
            Occur::MustNot,
            Box::new(TermQuery::new(
                Term::from_field_text(f.id, id),
                IndexRecordOption::Basic,
            )),
        ));
    }
    for c in &target.countries {
        let t = Term::from_field_text(f.country, &c.to_ascii_lowercase());
        clauses.push((
            Occur::Should,
            Box::new(BoostQuery::new(
                Box::new(TermQuery::new(t, IndexRecordOption::Basic)),
                0.5,
            )),
        ));
    }
    let query = BooleanQuery::new(clauses);
    let top = searcher.search(
        &query,
        &TopDocs::with_limit(opts.limit + 1).order_by_score(),
    )?;
    let mine_a: HashSet<&str> = target.actors.iter().map(String::as_str).collect();
    let mine_c: HashSet<&str> = target.countries.iter().map(String::as_str).collect();
    let mut hits = Vec::new();
    for (score, addr) in top {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let path = first(&doc, f.path);
        // The target's own file is not related coverage of itself.
        if target.id.is_none() && target.path.as_deref() == Some(path.as_str()) {
            continue;
        }
        let actors = texts(&doc, f.actor);
        let countries = texts(&doc, f.country);
        hits.push(RelatedHit {
            rank: hits.len() + 1,
            score,
            id: first(&doc, f.id),
            path,
            location: doc.get_first(f.location).and_then(|v| v.as_u64()),
            title: first(&doc, f.title),
            date: doc
                .get_first(f.date_text)
                .and_then(|v| v.as_str())
                .map(str::to_string),
            shared_actors: actors
                .into_iter()
                .filter(|a| mine_a.contains(a.as_str()))
                .collect(),
            shared_countries: countries
                .into_iter()
                .filter(|c| mine_c.contains(c.as_str()))
                .collect(),
        });
        if hits.len() == opts.limit {
            break;
        }
    }
    Ok(hits)
}
