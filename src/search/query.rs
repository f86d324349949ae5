//! `newsdex query`: a query string in tantivy's language (over title and body by default, all
//! words required) plus filters (country, actor, date range), sorted by relevance or date, with
//! a highlighted snippet per hit. Errors say what is wrong with the query and how to fix it.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;
use std::path::PathBuf;

use serde::Serialize;
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, QueryParser, QueryParserError,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, Searcher, TantivyDocument, Term};

use super::collapse::{Collapsed, CollapsedPage, search_page};
use super::facets::{Facets, facets_of};
use super::order;
use super::statement_words::Words;
use crate::error::{Error, Result};
use crate::extract::countries::gazetteer;
use crate::extract::dates::parse_bound;
use crate::index::schema::{self, Fields, KIND_ARTICLE, KIND_STATEMENT, open_index};
use crate::index::stem::en_stem_for;

/// Result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Most recent publication date first; undated articles last.
    Newest,
    /// Oldest first; undated articles last.
    Oldest,
}

/// A search request.
#[derive(Debug, Clone)]
pub struct QueryOptions {
    /// The index folder.
    pub index_dir: PathBuf,
    /// Query in tantivy's language; empty matches every article.
    pub query: String,
    /// Countries (ISO code or name); an article must mention all of them.
    pub countries: Vec<String>,
    /// Actor names (or parts: "Asif"); an article must name all of them.
    pub actors: Vec<String>,
    /// Speakers (or parts of their names): articles in which each speaks; for statements,
    /// statements by any of them.
    pub speakers: Vec<String>,
    /// Roles of the speaker ("minister"), for statements.
    pub roles: Vec<String>,
    /// Published on or after ("2024", "2024-03", "2024-03-01").
    pub from: Option<String>,
    /// Published on or before, the whole period included ("2024-03" = to the end of March).
    pub to: Option<String>,
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Order.
    pub sort: Sort,
    /// Snippet length in characters.
    pub snippet_chars: usize,
    /// Fold copies of an article (exact or near, see `crate::dedup`) into its best-ranked
    /// hit (articles only).
    pub collapse: bool,
    /// Also count the matching articles by country, actor and month, this many values each.
    pub facets: Option<usize>,
}

impl Default for QueryOptions {
    fn default() -> Self {
        QueryOptions {
            index_dir: PathBuf::from("index"),
            query: String::new(),
            countries: Vec::new(),
            actors: Vec::new(),
            speakers: Vec::new(),
            roles: Vec::new(),
            from: None,
            to: None,
            limit: 10,
            offset: 0,
            sort: Sort::Relevance,
            snippet_chars: 240,
            collapse: true,
            facets: None,
        }
    }
}

/// A fragment of the body around the matched terms.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Snippet {
    /// The fragment.
    pub text: String,
    /// Byte ranges of matched terms inside `text`.
    pub highlights: Vec<[usize; 2]>,
}

/// One matching article.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// 1-based rank, counting the offset.
    pub rank: usize,
    /// Relevance score (with `Sort::Relevance`).
    pub score: Option<f32>,
    /// Article id.
    pub id: String,
    /// Source file.
    pub path: String,
    /// Line/row inside a multi-article file.
    pub location: Option<u64>,
    /// Headline.
    pub title: String,
    /// Publication date, ISO 8601.
    pub date: Option<String>,
    /// Where the date came from.
    pub date_source: Option<String>,
    /// Publisher.
    pub source: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Author(s).
    pub author: Option<String>,
    /// Country codes, most salient first.
    pub countries: Vec<String>,
    /// Actor names.
    pub actors: Vec<String>,
    /// Highlighted fragment.
    pub snippet: Snippet,
    /// Full text.
    pub body: String,
}

/// Hits and how many articles matched in all.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResult {
    /// Matching articles in the index.
    pub total: usize,
    /// The requested page of them, each with the copies folded into it.
    pub hits: Vec<Collapsed<Hit>>,
    /// Counts by country, actor and month, when asked for.
    pub facets: Option<Facets>,
}

/// Resolves `--country` input: an ISO code ("pk") or a name the gazetteer knows ("Pakistan").
pub fn country_code(input: &str) -> Result<String> {
    let t = input.trim();
    let g = gazetteer();
    if t.len() == 2 && g.name(&t.to_ascii_uppercase()).is_some() {
        return Ok(t.to_ascii_uppercase());
    }
    g.matches(t)
        .find(|(_, s, e)| *s == 0 && *e == t.len())
        .map(|(e, _, _)| e.code.to_string())
        .ok_or_else(|| {
            Error::Usage(format!(
                "unknown country '{t}': give an ISO 3166-1 code (PK, AF, GB) or a country name"
            ))
        })
}

fn terms_of(index: &Index, field: tantivy::schema::Field, text: &str) -> Result<Vec<Term>> {
    let mut analyzer = index.tokenizer_for_field(field)?;
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(tok) = stream.next() {
        out.push(Term::from_field_text(field, &tok.text));
    }
    Ok(out)
}

fn words_query(terms: Vec<Term>) -> Option<Box<dyn Query>> {
    match terms.len() {
        0 => None,
        1 => terms
            .into_iter()
            .next()
            .map(|t| Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)) as Box<dyn Query>),
        _ => Some(Box::new(PhraseQuery::new(terms))),
    }
}

/// Rewrites date shorthands in a query string into the RFC 3339 ranges tantivy parses:
/// `date:2005-03` → the whole month, `date:[2005-01 TO 2005-03]` → January through March.
pub fn expand_dates(q: &str) -> Result<String> {
    let mut out = String::with_capacity(q.len());
    let mut rest = q;
    while let Some(pos) = rest.find("date:") {
        let boundary =
            pos == 0 || !rest[..pos].ends_with(|c: char| c.is_alphanumeric() || c == '_');
        out.push_str(&rest[..pos + 5]);
        rest = &rest[pos + 5..];
        if !boundary {
            continue;
        }
        let iso = |s: &str, end: bool| -> Result<String> {
            let secs =
                parse_bound(s, end).map_err(|m| Error::Usage(format!("in date range: {m}")))?;
            let secs = secs.clamp(*schema::DATE_SECS.start(), *schema::DATE_SECS.end());
            let dt = chrono::DateTime::from_timestamp(secs, 0)
                .ok_or_else(|| Error::Usage(format!("date out of range: {s}")))?;
            Ok(dt.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        };
        if let Some(open @ ('[' | '{')) = rest.chars().next() {
            let Some(close) = rest.find([']', '}']) else {
                return Err(Error::Usage(
                    "date range without a closing ']' or '}'".into(),
                ));
            };
            let inner = &rest[1..close];
            let Some((a, b)) = inner.split_once(" TO ") else {
                return Err(Error::Usage(format!(
                    "date range '{inner}' needs the form date:[2024-01 TO 2024-03]"
                )));
            };
            let (a, b) = (a.trim(), b.trim());
            let lo = if a == "*" {
                "*".into()
            } else {
                iso(a, open == '{')?
            };
            // An inclusive upper bound "2024-03" means through the end of March.
            let hi = if b == "*" {
                "*".into()
            } else {
                iso(b, rest[close..].starts_with(']'))?
            };
            out.push_str(&format!("[{lo} TO {hi}}}"));
            rest = &rest[close + 1..];
        } else {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == ')')
                .unwrap_or(rest.len());
            let value = &rest[..end];
            out.push_str(&format!(
                "[{} TO {}}}",
                iso(value, false)?,
                iso(value, true)?
            ));
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// Deepest nesting of parentheses tantivy's parser is handed. Its grammar recurses once per
/// level, and some thousands of levels overflow the stack, which aborts the process.
pub const MAX_QUERY_NESTING: usize = 100;

/// How deep parentheses nest in `q`, outside quoted phrases.
fn nesting_depth(q: &str) -> usize {
    let (mut depth, mut deepest, mut quoted) = (0usize, 0, false);
    for c in q.chars() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' if !quoted => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// The start of `s` for an error message: a long query is not echoed whole.
fn excerpt(s: &str) -> String {
    const MAX: usize = 60;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

pub(crate) fn parser_error(e: QueryParserError) -> Error {
    let fields = "title, body, actor, country, source, author, date";
    Error::Usage(match e {
        QueryParserError::FieldDoesNotExist(name) => format!(
            "unknown field '{}' in query: the fields are {fields}",
            excerpt(&name)
        ),
        QueryParserError::SyntaxError(s) => format!(
            "cannot parse the query ({}): check quotes, parentheses and AND/OR/NOT; quote a phrase as '\"gordon brown\"'",
            excerpt(&s)
        ),
        QueryParserError::DateFormatError(_) => {
            "bad date in query: write dates as date:2024-03, date:[2024-01 TO 2024-03] or RFC 3339"
                .to_string()
        }
        other => format!("invalid query: {}", excerpt(&other.to_string())),
    })
}

/// What a search returns: articles, or the statements inside them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Article documents; words match title and body.
    Articles,
    /// Statement documents; words match the statement's words (see `statement_words`).
    Statements,
}

/// Refuses a query nested deeper than [`MAX_QUERY_NESTING`] before a parser recurses into it.
pub(crate) fn check_nesting(q: &str) -> Result<()> {
    let depth = nesting_depth(q);
    if depth > MAX_QUERY_NESTING {
        return Err(Error::Usage(format!(
            "the query nests parentheses {depth} deep; at most {MAX_QUERY_NESTING} levels are accepted"
        )));
    }
    Ok(())
}

/// Builds the full query: the user's query AND the filters, restricted to one kind of document.
pub fn build_query(
    index: &Index,
    f: &Fields,
    opts: &QueryOptions,
    target: Target,
) -> Result<Box<dyn Query>> {
    let kind = match target {
        Target::Articles => KIND_ARTICLE,
        Target::Statements => KIND_STATEMENT,
    };
    let kind_clause: (Occur, Box<dyn Query>) = (
        Occur::Must,
        Box::new(TermQuery::new(
            Term::from_field_text(f.kind, kind),
            IndexRecordOption::Basic,
        )),
    );
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut article_words = false;
    let q = opts.query.trim();
    // A statement's words are matched in its article's body (`statement_words`), not here.
    if target == Target::Articles && !q.is_empty() && q != "*" {
        check_nesting(q)?;
        let mut parser = QueryParser::for_index(index, vec![f.title, f.body]);
        parser.set_conjunction_by_default();
        parser.set_field_boost(f.title, 2.0);
        let parsed = parser
            .parse_query(&expand_dates(q)?)
            .map_err(parser_error)?;
        article_words = matches_article_fields_only(&*parsed, q, f);
        clauses.push((Occur::Must, parsed));
    }
    for c in &opts.countries {
        let code = country_code(c)?.to_ascii_lowercase();
        clauses.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(f.country, &code),
                IndexRecordOption::Basic,
            )),
        ));
    }
    for a in &opts.actors {
        let q = words_query(terms_of(index, f.actor, a)?)
            .ok_or_else(|| Error::Usage(format!("--actor '{a}' has no words to match")))?;
        clauses.push((Occur::Must, q));
    }
    // On articles every named speaker must speak; a statement has one speaker, any may match.
    let any_of = |field, values: &[String], flag: &str| -> Result<Option<Box<dyn Query>>> {
        let mut alts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for v in values {
            let q = words_query(terms_of(index, field, v)?)
                .ok_or_else(|| Error::Usage(format!("{flag} '{v}' has no words to match")))?;
            alts.push((Occur::Should, q));
        }
        Ok((!alts.is_empty()).then(|| Box::new(BooleanQuery::new(alts)) as Box<dyn Query>))
    };
    match target {
        Target::Articles => {
            for s in &opts.speakers {
                if let Some(q) = any_of(f.speaker, std::slice::from_ref(s), "--speaker")? {
                    clauses.push((Occur::Must, q));
                }
            }
        }
        Target::Statements => {
            if let Some(q) = any_of(f.speaker, &opts.speakers, "--by")? {
                clauses.push((Occur::Must, q));
            }
        }
    }
    if let Some(q) = any_of(f.role, &opts.roles, "--role")? {
        clauses.push((Occur::Must, q));
    }
    let bound = |s: &Option<String>, end: bool| -> Result<Option<i64>> {
        s.as_deref()
            .map(|v| parse_bound(v, end).map_err(Error::Usage))
            .transpose()
    };
    let (from, to) = (bound(&opts.from, false)?, bound(&opts.to, true)?);
    if let (Some(a), Some(b)) = (from, to)
        && a >= b
    {
        return Err(Error::Usage(format!(
            "--from {} is after --to {}: no article can match",
            opts.from.as_deref().unwrap_or(""),
            opts.to.as_deref().unwrap_or("")
        )));
    }
    if from.is_some() || to.is_some() {
        let term = |secs: i64| Term::from_field_date(f.date, schema::date_value(secs));
        clauses.push((
            Occur::Must,
            Box::new(RangeQuery::new(
                from.map_or(Bound::Unbounded, |s| Bound::Included(term(s))),
                to.map_or(Bound::Unbounded, |s| Bound::Excluded(term(s))),
            )),
        ));
    }
    if article_words {
        // Only article documents have a title or a body, so the kind is implied; left out, a
        // plain word query stays a union of term queries, which tantivy ranks with block-max
        // WAND instead of scoring every match.
        if clauses.len() == 1 {
            return Ok(clauses.remove(0).1);
        }
    } else {
        clauses.insert(0, kind_clause);
    }
    if clauses.len() == 1 {
        // The kind alone: every document of that kind.
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// Whether every document `parsed` (the user's query over title and body) matches has a term
/// in the title or the body. tantivy's parser rejects a query of only excluded terms, so a
/// match always matches some positive leaf; leaves without terms (`*`, ranges, sets) and terms
/// of other fields could match other kinds of document.
fn matches_article_fields_only(parsed: &dyn Query, q: &str, f: &Fields) -> bool {
    if q.contains(['*', '[', '{']) {
        return false;
    }
    let (mut any, mut only) = (false, true);
    parsed.query_terms(&mut |term, _| {
        any = true;
        only &= term.field() == f.title || term.field() == f.body;
    });
    any && only
}

fn first_text(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

fn all_texts(doc: &TantivyDocument, field: tantivy::schema::Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// The stored article document whose `field` (an id or a path) holds `value`, if one does.
pub(crate) fn find_article(
    searcher: &Searcher,
    f: &Fields,
    field: tantivy::schema::Field,
    value: &str,
) -> Result<Option<TantivyDocument>> {
    match find_article_addr(searcher, f, field, value)? {
        Some(addr) => Ok(Some(searcher.doc(addr)?)),
        None => Ok(None),
    }
}

/// The address of the article document whose `field` holds `value`. Statements share their
/// article's path, and an article can have hundreds, so the kind is part of the query.
pub(crate) fn find_article_addr(
    searcher: &Searcher,
    f: &Fields,
    field: tantivy::schema::Field,
    value: &str,
) -> Result<Option<DocAddress>> {
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
    let hit = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
    Ok(hit.first().map(|&(_, addr)| addr))
}

/// Ranked documents, with their scores when ranked by relevance.
pub(crate) type Ranked = Vec<(Option<f32>, DocAddress)>;

/// Ranks `offset..offset + limit` of the documents `query` matches in `sort` order, ties in
/// the order of their files (see [`order`]).
pub(crate) fn top(
    searcher: &Searcher,
    query: &dyn Query,
    sort: Sort,
    offset: usize,
    limit: usize,
) -> Result<Ranked> {
    if sort == Sort::Relevance {
        let k = offset.saturating_add(limit);
        let hits = searcher.search(query, &order::Stable { sort, k })?;
        return Ok(page(hits, offset));
    }
    Ok(top_with(searcher, query, sort, (offset, limit), None::<Count>)?.1)
}

/// [`top`], with `extra` collecting in the same pass over the matches (a count, signatures):
/// each pass evaluates the whole query again.
pub(crate) fn top_with<C: Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    sort: Sort,
    (offset, limit): (usize, usize),
    extra: C,
) -> Result<(C::Fruit, Ranked)> {
    if sort == Sort::Relevance && is_term_union(query) {
        // Two passes: ranking alone skips the blocks that cannot reach the top (block-max
        // WAND), which a collector that sees every match forbids. On a frequent word this
        // halves the work; other queries cannot skip, and one pass does both.
        let fruit = searcher.search(query, &extra)?;
        return Ok((fruit, top(searcher, query, sort, offset, limit)?));
    }
    let k = offset.saturating_add(limit);
    let (fruit, hits) = searcher.search(query, &(extra, order::Stable { sort, k }))?;
    Ok((fruit, page(hits, offset)))
}

/// The hits from `offset` on, with their scores when ranked by relevance.
fn page(hits: Vec<order::Ranking>, offset: usize) -> Ranked {
    hits.into_iter()
        .skip(offset)
        .map(|(_, score, addr)| (score, addr))
        .collect()
}

/// Whether tantivy ranks `query` with block-max WAND: a union of single-term queries (a word
/// over title and body), or one term.
fn is_term_union(query: &dyn Query) -> bool {
    let single_term = |q: &dyn Query| {
        let mut n = 0;
        q.query_terms(&mut |_, _| n += 1);
        n == 1 && (q.is::<TermQuery>() || q.is::<BoostQuery>())
    };
    match query.downcast_ref::<BooleanQuery>() {
        Some(b) => b
            .clauses()
            .iter()
            .all(|(occur, q)| *occur == Occur::Should && single_term(&**q)),
        None => single_term(query),
    }
}

/// A query run: the searcher, fields, query, total matches and the requested page, each hit
/// with its copies when collapsing.
struct Run {
    searcher: Searcher,
    f: Fields,
    query: Box<dyn Query>,
    total: usize,
    docs: CollapsedPage,
}

/// How many documents `query` matches, and the `offset..offset + limit` page of them.
fn count_and_page(
    searcher: &Searcher,
    query: &dyn Query,
    sort: Sort,
    (offset, limit): (usize, usize),
) -> Result<(usize, Ranked)> {
    let total = searcher.search(query, &Count)?;
    // A huge --limit must not allocate for hits that cannot exist.
    let limit = limit.min(total.saturating_sub(offset)).max(1);
    let docs = if offset >= total {
        Vec::new()
    } else {
        top(searcher, query, sort, offset, limit)?
    };
    Ok((total, docs))
}

/// Runs an article search.
fn run(opts: &QueryOptions) -> Result<Run> {
    if opts.limit == 0 {
        return Err(Error::Usage("--limit must be at least 1".into()));
    }
    let (index, f) = open_index(&opts.index_dir, false)?;
    let searcher = schema::searcher(&index)?;
    let query = build_query(&index, &f, opts, Target::Articles)?;
    let page = (opts.offset, opts.limit);
    let (total, docs) = if opts.collapse {
        search_page(&searcher, &f, &opts.index_dir, &*query, opts.sort, page)?
    } else {
        let (total, docs) = count_and_page(&searcher, &*query, opts.sort, page)?;
        let docs = docs
            .into_iter()
            .map(|(score, addr)| (score, addr, 0, Vec::new()))
            .collect();
        (total, docs)
    };
    Ok(Run {
        searcher,
        f,
        query,
        total,
        docs,
    })
}

/// Runs a search.
pub fn search(opts: &QueryOptions) -> Result<SearchResult> {
    let Run {
        searcher,
        f,
        query,
        total,
        docs,
    } = run(opts)?;
    let snippets = highlighter(&searcher, &*query, f.body, opts.snippet_chars)?;
    let mut hits = Vec::with_capacity(docs.len());
    for (i, (score, addr, duplicates, copies)) in docs.into_iter().enumerate() {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let body = first_text(&doc, f.body).unwrap_or_default();
        let s = snippets.snippet(&body);
        let snippet = if s.fragment().is_empty() {
            lead(&body, opts.snippet_chars)
        } else {
            Snippet {
                text: s.fragment().to_string(),
                highlights: s.highlighted().iter().map(|r| [r.start, r.end]).collect(),
            }
        };
        let hit = Hit {
            rank: opts.offset + i + 1,
            score,
            id: first_text(&doc, f.id).unwrap_or_default(),
            path: first_text(&doc, f.path).unwrap_or_default(),
            location: doc.get_first(f.location).and_then(|v| v.as_u64()),
            title: first_text(&doc, f.title).unwrap_or_default(),
            date: first_text(&doc, f.date_text),
            date_source: first_text(&doc, f.date_source),
            source: first_text(&doc, f.source),
            url: first_text(&doc, f.url),
            author: first_text(&doc, f.author),
            countries: all_texts(&doc, f.country),
            actors: all_texts(&doc, f.actor),
            snippet,
            body,
        };
        hits.push(Collapsed {
            hit,
            duplicates,
            copies,
        });
    }
    let facets = opts
        .facets
        .map(|n| facets_of(&searcher, &*query, n))
        .transpose()?;
    Ok(SearchResult {
        total,
        hits,
        facets,
    })
}

/// Snippets of a field's text around the terms `query` looks for in it.
struct Highlighter(Option<SnippetGenerator>);

impl Highlighter {
    fn snippet(&self, text: &str) -> tantivy::snippet::Snippet {
        self.0
            .as_ref()
            .map_or_else(tantivy::snippet::Snippet::empty, |g| g.snippet(text))
    }
}

/// tantivy's `SnippetGenerator::create`, with two savings: no generator when the query has no
/// term in `field` (a text would be tokenized for nothing), and an analyzer that only stems
/// the words that could match ([`en_stem_for`]). The terms and their weights are computed as
/// `create` does.
fn highlighter(
    searcher: &Searcher,
    query: &dyn Query,
    field: Field,
    max_chars: usize,
) -> Result<Highlighter> {
    let mut terms: BTreeSet<&Term> = BTreeSet::new();
    query.query_terms(&mut |term, _| {
        if term.field() == field {
            terms.insert(term);
        }
    });
    terms_highlighter(searcher, terms, max_chars)
}

/// [`highlighter`] for these terms (of one field).
fn terms_highlighter(
    searcher: &Searcher,
    terms: BTreeSet<&Term>,
    max_chars: usize,
) -> Result<Highlighter> {
    let Some(field) = terms.first().map(|t| t.field()) else {
        return Ok(Highlighter(None));
    };
    let mut weights: BTreeMap<String, f32> = BTreeMap::new();
    for term in terms {
        let value = term.value();
        let Some(text) = value.as_str() else {
            continue;
        };
        let doc_freq = searcher.doc_freq(term)?;
        if doc_freq > 0 {
            weights.insert(text.to_string(), 1.0 / (1.0 + doc_freq as f32));
        }
    }
    if weights.is_empty() {
        return Ok(Highlighter(None));
    }
    let analyzer = en_stem_for(weights.keys().map(String::as_str));
    Ok(Highlighter(Some(SnippetGenerator::new(
        weights, analyzer, field, max_chars,
    ))))
}

/// One matching statement.
#[derive(Debug, Clone, Serialize)]
pub struct StatementHit {
    /// 1-based rank, counting the offset.
    pub rank: usize,
    /// Relevance score (with `Sort::Relevance`).
    pub score: Option<f32>,
    /// Statement id: its article's id and `/sN`.
    pub id: String,
    /// The article it comes from.
    pub article_id: String,
    /// Source file.
    pub path: String,
    /// Line/row inside a multi-article file.
    pub location: Option<u64>,
    /// The article's headline.
    pub title: String,
    /// The article's publication date.
    pub date: Option<String>,
    /// Canonical name of the speaker, None when unattributed.
    pub speaker: Option<String>,
    /// The speaker's role.
    pub role: Option<String>,
    /// Countries: the article's, and the speaker's.
    pub countries: Vec<String>,
    /// The cue ("said", "warned").
    pub cue: String,
    /// "quote" or "reported".
    pub kind: String,
    /// What was said.
    pub text: String,
    /// Byte ranges of matched terms inside `text`.
    pub highlights: Vec<[usize; 2]>,
    /// Byte span of the statement in the article body.
    pub span: [u64; 2],
}

/// Statement hits and how many statements matched in all.
#[derive(Debug, Clone, Serialize)]
pub struct StatementResult {
    /// Matching statements in the index.
    pub total: usize,
    /// The requested page of them.
    pub hits: Vec<StatementHit>,
}

/// Searches statements: words match what was said; `speakers` (`--by`) any of the speakers,
/// `roles` the speaker's role, and the article filters (country, date) apply.
pub fn search_statements(opts: &QueryOptions) -> Result<StatementResult> {
    if opts.limit == 0 {
        return Err(Error::Usage("--limit must be at least 1".into()));
    }
    let (index, f) = open_index(&opts.index_dir, false)?;
    let searcher = schema::searcher(&index)?;
    let words = Words::parse(&index, &f, &opts.query)?;
    let filters = build_query(&index, &f, opts, Target::Statements)?;
    let page = (opts.offset, opts.limit);
    let (total, docs) = match &words {
        Some(w) => w.search(&searcher, &f, &*filters, opts.sort, page)?,
        None => count_and_page(&searcher, &*filters, opts.sort, page)?,
    };
    // The whole statement is shown; matched terms are marked inside it.
    let snippets = match &words {
        Some(w) => terms_highlighter(&searcher, w.highlight_terms(), 100_000)?,
        None => Highlighter(None),
    };
    let mut hits = Vec::with_capacity(docs.len());
    for (i, (score, addr)) in docs.into_iter().enumerate() {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let u = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
        let article_id = first_text(&doc, f.article_id).unwrap_or_default();
        // Headline, place in its file, dated text and the statement's own words (a span of the
        // body) live on the article's document, `statement_number` documents before it.
        let article = statement_article(&searcher, &f, addr, u(f.statement_number), &article_id)?;
        let span = [u(f.span_start), u(f.span_end)];
        let text = first_text(&article, f.body)
            .and_then(|body| {
                let (s, e) = (
                    usize::try_from(span[0]).ok()?,
                    usize::try_from(span[1]).ok()?,
                );
                body.get(s..e).map(str::to_string)
            })
            .unwrap_or_default();
        let s = snippets.snippet(&text);
        let highlights = if s.fragment() == text {
            s.highlighted().iter().map(|r| [r.start, r.end]).collect()
        } else {
            Vec::new()
        };
        hits.push(StatementHit {
            rank: opts.offset + i + 1,
            score,
            id: format!("{article_id}/s{}", u(f.statement_number)),
            path: first_text(&doc, f.path).unwrap_or_default(),
            location: article.get_first(f.location).and_then(|v| v.as_u64()),
            title: first_text(&article, f.title).unwrap_or_default(),
            date: first_text(&article, f.date_text),
            article_id,
            speaker: first_text(&doc, f.speaker),
            role: first_text(&doc, f.role),
            countries: all_texts(&doc, f.country),
            cue: first_text(&doc, f.cue).unwrap_or_default(),
            kind: first_text(&doc, f.statement_kind).unwrap_or_default(),
            text,
            highlights,
            span,
        });
    }
    Ok(StatementResult { total, hits })
}

/// The article document of the statement at `addr`: `number` documents before it (see
/// `schema::STATEMENT_NUMBER`), checked by its id; looked up by id if that ever fails.
fn statement_article(
    searcher: &Searcher,
    f: &Fields,
    addr: DocAddress,
    number: u64,
    article_id: &str,
) -> Result<TantivyDocument> {
    if let Some(doc) = u32::try_from(number)
        .ok()
        .and_then(|n| addr.doc_id.checked_sub(n))
    {
        let article: TantivyDocument = searcher.doc(DocAddress::new(addr.segment_ord, doc))?;
        if first_text(&article, f.id).as_deref() == Some(article_id) {
            return Ok(article);
        }
    }
    Ok(find_article(searcher, f, f.id, article_id)?.unwrap_or_default())
}

/// The opening of the body, cut at a word boundary, for hits whose match is not in the body.
fn lead(body: &str, max_chars: usize) -> Snippet {
    let flat: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut end = flat.len();
    if let Some((i, _)) = flat.char_indices().nth(max_chars) {
        end = flat[..i].rfind(' ').unwrap_or(i);
    }
    Snippet {
        text: flat[..end].to_string(),
        highlights: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kind filter is left out only where title and body words imply it, and a plain word
    /// query stays a union of terms (ranked with block-max WAND).
    #[test]
    fn kind_filter_only_where_words_do_not_imply_articles() {
        let dir = tempfile::tempdir().unwrap();
        let (index, f) = open_index(dir.path(), true).unwrap();
        let build = |q: &str, target: Target, country: bool| {
            let opts = QueryOptions {
                query: q.into(),
                countries: if country {
                    vec!["PK".into()]
                } else {
                    Vec::new()
                },
                ..QueryOptions::default()
            };
            let query = build_query(&index, &f, &opts, target).unwrap();
            let mut kind = false;
            query.query_terms(&mut |t, _| kind |= t.field() == f.kind);
            (kind, is_term_union(&*query))
        };
        let a = Target::Articles;
        assert_eq!(build("said", a, false), (false, true));
        assert_eq!(build("title:said", a, false), (false, true));
        assert_eq!(build("said", a, true), (false, false));
        assert_eq!(build("said OR told", a, false), (false, true));
        assert_eq!(build("\"prime minister\"", a, false), (false, false));
        assert_eq!(build("said -told", a, false), (false, false));
        // Leaves that name no title or body term could match statements or file documents.
        for q in [
            "*",
            "country:pk",
            "said OR country:pk",
            "title:[a TO c]",
            "",
        ] {
            assert!(build(q, a, false).0, "{q}");
        }
        assert!(build("said", Target::Statements, false).0);
    }

    #[test]
    fn date_shorthands_expand() {
        let cases = [
            (
                "date:2005-03",
                "date:[2005-03-01T00:00:00Z TO 2005-04-01T00:00:00Z}",
            ),
            (
                "brown AND date:[2005-01 TO 2005-02]",
                "brown AND date:[2005-01-01T00:00:00Z TO 2005-03-01T00:00:00Z}",
            ),
            ("date:[2005 TO *]", "date:[2005-01-01T00:00:00Z TO *}"),
            ("update:x", "update:x"),
        ];
        for (q, want) in cases {
            assert_eq!(expand_dates(q).unwrap(), want, "{q}");
        }
        assert!(expand_dates("date:[2005-13 TO 2006]").is_err());
        assert!(expand_dates("date:[2005").is_err());
    }

    #[test]
    fn country_names_and_codes() {
        assert_eq!(country_code("pk").unwrap(), "PK");
        assert_eq!(country_code("Pakistan").unwrap(), "PK");
        assert_eq!(country_code("Islamabad").unwrap(), "PK");
        assert!(country_code("Atlantis").is_err());
    }

    #[test]
    fn nesting_is_counted_outside_phrases() {
        assert_eq!(nesting_depth("border"), 0);
        assert_eq!(nesting_depth("(a OR (b AND c)) (d)"), 2);
        assert_eq!(nesting_depth("\"((((\" x"), 0);
        assert_eq!(nesting_depth("))) (x"), 1);
        assert_eq!(excerpt(&"x".repeat(61)), format!("{}…", "x".repeat(60)));
        assert_eq!(excerpt("é"), "é");
    }
}
