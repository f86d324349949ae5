//! Words of a statement search. A statement document holds no text: its words are its
//! article's body between two word positions (`schema::WORDS`), and its article is the document
//! `statement_number` places before it. So a statement matches a query when the body's
//! postings put the query's words inside that range. Candidates come from the articles whose
//! body could hold a match (the query without its NOTs), then each of their statements that
//! passes the filters is checked. The query language is tantivy's, read from its syntax tree:
//! words and phrases (slop included), AND, OR, NOT, `+`/`-`, parentheses, boosts (ignored);
//! statements are ranked by BM25 over their own words, as if each were a document (the average
//! length is that of the candidates' statements, the IDF the body's over articles).

use std::collections::BTreeSet;

use tantivy::columnar::{Column, ColumnIndex};
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{AllQuery, BooleanQuery, EmptyQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::query_grammar::{UserInputAst, UserInputLeaf};
use tantivy::schema::IndexRecordOption;
use tantivy::{DateTime, DocAddress, DocId, DocSet, Index, Searcher, TERMINATED, Term};

use super::order::{Ranking, date_rank, score_rank, settle};
use super::query::Sort;
use crate::error::{Error, Result};
use crate::index::schema::{self, Fields, KIND_ARTICLE};

/// BM25's parameters, tantivy's.
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// A query over statement words, as a tree of phrases (a word is a phrase of one term).
#[derive(Debug)]
enum Node {
    /// These terms (indexes into [`Words::terms`]) at consecutive positions, with `slop` words
    /// of leeway in all.
    Phrase { terms: Vec<usize>, slop: u32 },
    /// Every statement (`*`).
    All,
    /// No statement: a literal without a word in it.
    Nothing,
    /// Clauses combined as tantivy does: every MUST, no MUST_NOT, and a SHOULD when there is
    /// no MUST.
    Bool(Vec<(Occur, Node)>),
}

/// The words of a statement query, parsed.
#[derive(Debug)]
pub struct Words {
    root: Node,
    /// Distinct body terms the query looks for.
    terms: Vec<Term>,
}

/// A statement that matches: where, its length in words, and each matched phrase's
/// (leaf number, occurrences) to score it by once the average length is known.
struct Match {
    addr: DocAddress,
    len: u32,
    date: Option<DateTime>,
    /// Its range in the search's one buffer of (leaf, occurrences): a frequent word matches
    /// hundreds of thousands of statements, and a vector each cost a third of the search.
    found: std::ops::Range<usize>,
}

impl Words {
    /// Parses `q`; `None` when it has no words (empty or `*`), so only filters apply. Errors
    /// are tantivy's parser's, or name what statement search cannot match (another field, a
    /// range, a set, a prefix).
    pub fn parse(index: &Index, f: &Fields, q: &str) -> Result<Option<Words>> {
        let q = q.trim();
        if q.is_empty() || q == "*" {
            return Ok(None);
        }
        super::query::check_nesting(q)?;
        // The same parser and errors as an article search, on the body's words.
        let mut parser = QueryParser::for_index(index, vec![f.body]);
        parser.set_conjunction_by_default();
        // `quote:` (the statement text's field before schema 6) names the words checked here;
        // the body parser does not know it, so it checks the query without it.
        parser
            .parse_query(&q.replace("quote:", ""))
            .map_err(super::query::parser_error)?;
        let ast = tantivy::query_grammar::parse_query(q)
            .map_err(|_| Error::Usage(format!("invalid query: {q}")))?;
        let mut words = Words {
            root: Node::Nothing,
            terms: Vec::new(),
        };
        let mut analyzer = index.tokenizer_for_field(f.body)?;
        words.root = words.node(&ast, f, &mut analyzer)?;
        Ok(Some(words))
    }

    fn node(
        &mut self,
        ast: &UserInputAst,
        f: &Fields,
        analyzer: &mut tantivy::tokenizer::TextAnalyzer,
    ) -> Result<Node> {
        Ok(match ast {
            UserInputAst::Clause(items) => Node::Bool(
                items
                    .iter()
                    .map(|(occur, a)| {
                        Ok((occur.unwrap_or(Occur::Must), self.node(a, f, analyzer)?))
                    })
                    .collect::<Result<_>>()?,
            ),
            UserInputAst::Boost(inner, _) => self.node(inner, f, analyzer)?,
            UserInputAst::Leaf(leaf) => match &**leaf {
                UserInputLeaf::All => Node::All,
                UserInputLeaf::Literal(lit) => {
                    if let Some(field) = lit.field_name.as_deref()
                        && field != "quote"
                    {
                        return Err(Error::Usage(format!(
                            "statement search matches what was said, not '{field}:'; filter \
                             with --by, --role, --country, --from and --to"
                        )));
                    }
                    if lit.prefix {
                        return Err(Error::Usage(
                            "statement search does not match word prefixes ('...'*)".into(),
                        ));
                    }
                    let mut terms = Vec::new();
                    let mut stream = analyzer.token_stream(&lit.phrase);
                    while let Some(token) = stream.next() {
                        let term = Term::from_field_text(f.body, &token.text);
                        let i = self
                            .terms
                            .iter()
                            .position(|t| *t == term)
                            .unwrap_or_else(|| {
                                self.terms.push(term);
                                self.terms.len() - 1
                            });
                        terms.push(i);
                    }
                    if terms.is_empty() {
                        Node::Nothing
                    } else {
                        Node::Phrase {
                            terms,
                            slop: lit.slop,
                        }
                    }
                }
                UserInputLeaf::Range { .. }
                | UserInputLeaf::Set { .. }
                | UserInputLeaf::Exists { .. }
                | UserInputLeaf::Regex { .. } => {
                    return Err(Error::Usage(
                        "statement search matches words and phrases; ranges, sets and \
                         patterns are for article fields (use --from/--to for dates)"
                            .into(),
                    ));
                }
            },
        })
    }

    /// The terms to mark in a statement's text: those not only under a NOT.
    pub fn highlight_terms(&self) -> BTreeSet<&Term> {
        fn walk(n: &Node, neg: bool, out: &mut Vec<usize>) {
            match n {
                Node::Phrase { terms, .. } if !neg => out.extend(terms),
                Node::Bool(items) => {
                    for (occur, c) in items {
                        walk(c, neg || *occur == Occur::MustNot, out);
                    }
                }
                _ => {}
            }
        }
        let mut ids = Vec::new();
        walk(&self.root, false, &mut ids);
        ids.into_iter().map(|i| &self.terms[i]).collect()
    }

    /// The statements among the matches of `filters` (statement documents: kind, speaker,
    /// role, country, dates) whose words match: how many, and the `offset..offset + limit`
    /// page in `sort` order with scores when ranked by relevance.
    pub fn search(
        &self,
        searcher: &Searcher,
        f: &Fields,
        filters: &dyn Query,
        sort: Sort,
        (offset, limit): (usize, usize),
    ) -> Result<(usize, super::query::Ranked)> {
        let disabled = tantivy::query::EnableScoring::disabled_from_searcher(searcher);
        let filter_weight = filters.weight(disabled)?;
        // Articles whose body could hold a matching statement: the query without its NOTs.
        let articles_weight = self.relaxed(&self.root).weight(disabled)?;
        let mut matches: Vec<Match> = Vec::new();
        let mut found: Vec<(usize, u32)> = Vec::new();
        let (mut words_seen, mut statements_seen) = (0u64, 0u64);
        let mut positions: Vec<Vec<u32>> = vec![Vec::new(); self.terms.len()];
        for (ord, seg) in searcher.segment_readers().iter().enumerate() {
            let ord = u32::try_from(ord).unwrap_or(u32::MAX);
            let ff = seg.fast_fields();
            let column = |name: &str| -> Result<Option<Column<u64>>> { Ok(ff.column_opt(name)?) };
            let (Some(number), Some(words)) =
                (column(schema::STATEMENT_NUMBER)?, column(schema::WORDS)?)
            else {
                continue;
            };
            // Every document has both values (0 where there is no statement), so a row is a
            // document and no rank lookup is needed; any other layout is read through its index.
            let full = |c: &Column<u64>| matches!(c.index, ColumnIndex::Full);
            let (number_full, words_full) = (full(&number), full(&words));
            let value = |c: &Column<u64>, is_full: bool, doc: DocId| {
                if is_full {
                    Some(c.values.get_val(doc))
                } else {
                    c.first(doc)
                }
            };
            let dates: Option<Column<DateTime>> = ff.column_opt(schema::DATE)?;
            let body = seg.inverted_index(f.body)?;
            let mut postings: Vec<Option<SegmentPostings>> = self
                .terms
                .iter()
                .map(|t| body.read_postings(t, IndexRecordOption::WithFreqsAndPositions))
                .collect::<std::io::Result<_>>()
                .map_err(|e| Error::Index(e.into()))?;
            let mut filter = filter_weight.scorer(seg, 1.0)?;
            let mut articles = articles_weight.scorer(seg, 1.0)?;
            let alive = |d: DocId| seg.alive_bitset().is_none_or(|a| a.is_alive(d));
            let max_doc = seg.max_doc();
            let mut a = articles.doc();
            while a != TERMINATED {
                let article = a;
                a = articles.advance();
                if !alive(article) {
                    continue;
                }
                let mut loaded = false;
                // The article's statements follow it, numbered 1, 2, ...
                for j in 1u32.. {
                    let Some(st) = article.checked_add(j).filter(|&d| d < max_doc) else {
                        break;
                    };
                    if value(&number, number_full, st) != Some(u64::from(j)) {
                        break;
                    }
                    let Some(w) = value(&words, words_full, st) else {
                        continue;
                    };
                    let (s, e) = ((w >> 32) as u32, w as u32);
                    statements_seen += 1;
                    words_seen += u64::from(e.saturating_sub(s));
                    if filter.doc() < st {
                        filter.seek(st);
                    }
                    if filter.doc() != st || !alive(st) {
                        continue;
                    }
                    if !loaded {
                        loaded = true;
                        for (p, out) in postings.iter_mut().zip(positions.iter_mut()) {
                            out.clear();
                            if let Some(p) = p {
                                if p.doc() < article {
                                    p.seek(article);
                                }
                                if p.doc() == article {
                                    p.positions(out);
                                }
                            }
                        }
                    }
                    let from = found.len();
                    if eval(&self.root, &positions, (s, e), &mut 0, &mut found) {
                        matches.push(Match {
                            addr: DocAddress::new(ord, st),
                            len: e.saturating_sub(s),
                            date: dates.as_ref().and_then(|d| d.first(st)),
                            found: from..found.len(),
                        });
                    } else {
                        found.truncate(from);
                    }
                }
            }
        }
        let total = matches.len();
        let avg = if statements_seen == 0 {
            1.0
        } else {
            (words_seen as f32 / statements_seen as f32).max(1.0)
        };
        let idf = self.leaf_idf(searcher, f)?;
        let ranked: Vec<Ranking> = matches
            .into_iter()
            .map(|m| {
                let norm = K1 * (1.0 - B + B * m.len as f32 / avg);
                let score = found[m.found]
                    .iter()
                    .map(|&(leaf, tf)| {
                        let tf = tf as f32;
                        idf.get(leaf).copied().unwrap_or(0.0) * tf * (K1 + 1.0) / (tf + norm)
                    })
                    .sum::<f32>();
                match sort {
                    Sort::Relevance => (score_rank(score), Some(score), m.addr),
                    // Undated statements last either way, as with articles.
                    Sort::Newest | Sort::Oldest => (date_rank(m.date, sort), None, m.addr),
                }
            })
            .collect();
        let page = settle(searcher, ranked, offset.saturating_add(limit))?
            .into_iter()
            .skip(offset)
            .map(|(_, score, addr)| (score, addr))
            .collect();
        Ok((total, page))
    }

    /// A query over article bodies that matches every article holding a statement `node`
    /// matches: its words without the NOTs (a word may be absent from one statement and said in
    /// another), phrases as all their words.
    fn relaxed(&self, node: &Node) -> Box<dyn Query> {
        match node {
            Node::All => Box::new(AllQuery),
            Node::Nothing => Box::new(EmptyQuery),
            Node::Phrase { terms, .. } => {
                let mut words: Vec<(Occur, Box<dyn Query>)> = terms
                    .iter()
                    .map(|&t| {
                        let q: Box<dyn Query> = Box::new(TermQuery::new(
                            self.terms[t].clone(),
                            IndexRecordOption::Basic,
                        ));
                        (Occur::Must, q)
                    })
                    .collect();
                if words.len() == 1 {
                    words.remove(0).1
                } else {
                    Box::new(BooleanQuery::new(words))
                }
            }
            Node::Bool(items) => {
                let kept: Vec<(Occur, Box<dyn Query>)> = items
                    .iter()
                    .filter(|(o, _)| *o != Occur::MustNot)
                    .map(|(o, c)| (*o, self.relaxed(c)))
                    .collect();
                if kept.is_empty() {
                    Box::new(AllQuery)
                } else {
                    Box::new(BooleanQuery::new(kept))
                }
            }
        }
    }

    /// The IDF of each phrase leaf, in [`eval`]'s leaf order: the sum of its terms' IDFs over
    /// articles, as tantivy weighs a phrase.
    fn leaf_idf(&self, searcher: &Searcher, f: &Fields) -> Result<Vec<f32>> {
        let n = searcher.doc_freq(&Term::from_field_text(f.kind, KIND_ARTICLE))? as f32;
        let term_idf = self
            .terms
            .iter()
            .map(|t| {
                let df = searcher.doc_freq(t)? as f32;
                Ok((1.0 + (n - df + 0.5) / (df + 0.5)).ln().max(0.0))
            })
            .collect::<Result<Vec<f32>>>()?;
        fn walk(n: &Node, idf: &[f32], out: &mut Vec<f32>) {
            match n {
                Node::Phrase { terms, .. } => out.push(terms.iter().map(|&t| idf[t]).sum()),
                Node::Bool(items) => items.iter().for_each(|(_, c)| walk(c, idf, out)),
                Node::All | Node::Nothing => {}
            }
        }
        let mut out = Vec::new();
        walk(&self.root, &term_idf, &mut out);
        Ok(out)
    }
}

/// Whether `node` matches the words at positions `span` (start, end exclusive), given each
/// term's positions in the article's body. Numbers the phrase leaves in tree order through
/// `leaf`, and records the matched ones that count for the score in `found`.
fn eval(
    node: &Node,
    positions: &[Vec<u32>],
    span: (u32, u32),
    leaf: &mut usize,
    found: &mut Vec<(usize, u32)>,
) -> bool {
    match node {
        Node::All => true,
        Node::Nothing => false,
        Node::Phrase { terms, slop } => {
            let me = *leaf;
            *leaf += 1;
            let tf = occurrences(terms, *slop, positions, span);
            if tf > 0 {
                found.push((me, tf));
            }
            tf > 0
        }
        Node::Bool(items) => {
            let mut ok = true;
            let (mut any_should, mut should_hit) = (false, false);
            let mark = found.len();
            for (occur, child) in items {
                // Every child is evaluated so that leaf numbers stay those of the tree.
                let before = found.len();
                let hit = eval(child, positions, span, leaf, found);
                match occur {
                    Occur::Must => ok &= hit,
                    Occur::MustNot => {
                        ok &= !hit;
                        found.truncate(before);
                    }
                    Occur::Should => {
                        any_should = true;
                        should_hit |= hit;
                    }
                }
            }
            let has_must = items.iter().any(|(o, _)| *o == Occur::Must);
            let matched = ok && (has_must || !any_should || should_hit);
            if !matched {
                found.truncate(mark);
            }
            matched
        }
    }
}

/// How many times the phrase `terms` occurs inside `span`: its first term at `p`, each next one
/// at the next offset, displaced by `slop` positions in all at most (one word: its count).
fn occurrences(terms: &[usize], slop: u32, positions: &[Vec<u32>], (s, e): (u32, u32)) -> u32 {
    let inside = |t: usize| {
        let p = &positions[t];
        let lo = p.partition_point(|&x| x < s);
        let hi = p.partition_point(|&x| x < e);
        &p[lo..hi]
    };
    let first = inside(terms[0]);
    if terms.len() == 1 {
        return first.len() as u32;
    }
    let rest: Vec<&[u32]> = terms[1..].iter().map(|&t| inside(t)).collect();
    let mut n = 0;
    for &p in first {
        let mut budget = slop;
        let ok = rest.iter().enumerate().all(|(k, ps)| {
            let want = p + k as u32 + 1;
            // The nearest position of this term to where the phrase wants it.
            let i = ps.partition_point(|&x| x < want);
            let near = [i.checked_sub(1).and_then(|j| ps.get(j)), ps.get(i)]
                .into_iter()
                .flatten()
                .map(|&x| x.abs_diff(want))
                .min();
            match near {
                Some(d) if d <= budget => {
                    budget -= d;
                    true
                }
                _ => false,
            }
        });
        n += u32::from(ok);
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_count_inside_the_span_only() {
        // Terms 0 and 1 ("prime minister") at 3-4 and 10-11; term 1 alone at 20.
        let pos = vec![vec![3, 10], vec![4, 11, 20]];
        assert_eq!(occurrences(&[0, 1], 0, &pos, (0, 30)), 2);
        assert_eq!(occurrences(&[0, 1], 0, &pos, (5, 30)), 1);
        // The phrase must lie wholly inside: 10 is in, 11 is not.
        assert_eq!(occurrences(&[0, 1], 0, &pos, (0, 11)), 1);
        assert_eq!(occurrences(&[1], 0, &pos, (0, 30)), 3);
        assert_eq!(occurrences(&[1, 0], 0, &pos, (0, 30)), 0);
        // "prime X minister" needs one word of slop.
        let gap = vec![vec![3], vec![5]];
        assert_eq!(occurrences(&[0, 1], 0, &gap, (0, 30)), 0);
        assert_eq!(occurrences(&[0, 1], 1, &gap, (0, 30)), 1);
    }

    #[test]
    fn boolean_semantics_follow_tantivy() {
        let pos = vec![vec![1], vec![], vec![7]];
        let word = |t| Node::Phrase {
            terms: vec![t],
            slop: 0,
        };
        let run = |n: &Node| eval(n, &pos, (0, 10), &mut 0, &mut Vec::new());
        let and = Node::Bool(vec![(Occur::Must, word(0)), (Occur::Must, word(2))]);
        assert!(run(&and));
        let and_missing = Node::Bool(vec![(Occur::Must, word(0)), (Occur::Must, word(1))]);
        assert!(!run(&and_missing));
        let or = Node::Bool(vec![(Occur::Should, word(1)), (Occur::Should, word(2))]);
        assert!(run(&or));
        let not = Node::Bool(vec![(Occur::Must, word(0)), (Occur::MustNot, word(2))]);
        assert!(!run(&not));
        // Outside the span, a word is absent.
        assert!(!eval(&word(2), &pos, (0, 5), &mut 0, &mut Vec::new()));
    }
}
