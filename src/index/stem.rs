//! English stemming with a memory: the `en_stem` analyzer of tantivy (simple tokenizer, tokens
//! over 40 bytes dropped, lowercase, Snowball English), with each word's stem computed once per
//! analyzer instead of once per occurrence.
//!
//! Stemming was half of tantivy's indexing time (profiled on the scaled BBC corpus), while news
//! text repeats a small vocabulary: a cache turns most stems into one hash lookup. The tokens
//! are exactly tantivy's, so indexes written before and after this filter are the same.

use std::collections::HashMap;
use std::sync::Arc;

use rustc_hash::FxBuildHasher;
use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, TextAnalyzerBuilder, Token,
    TokenFilter, TokenStream, Tokenizer,
};

/// Name under which tantivy registers its English stemming analyzer; we replace it in place.
pub const EN_STEM: &str = "en_stem";

/// Distinct words remembered per analyzer before the memory starts over. News vocabularies
/// stay far below this (the 250 MB scaled BBC corpus has ~60,000); the bound keeps a
/// pathological input (random tokens) from growing memory without limit.
const CAPACITY: usize = 200_000;

/// tantivy's `en_stem`, with the stemming step cached, in one pass over the text.
pub fn en_stem() -> TextAnalyzer {
    TextAnalyzer::from(StemTokenizer::default())
}

/// The words `en_stem` stems: split, long tokens dropped, lowercased.
pub fn words() -> TextAnalyzer {
    word_steps().build()
}

/// Calls `f` with each word [`words`] yields, in order, without building tokens: a maximal run
/// of alphanumeric characters under 40 bytes (`MAX_WORD`), lowercased (ASCII directly, other text
/// character by character, as tantivy's `LowerCaser` does). For passes that only count words.
pub fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut lower = String::new();
    let mut at = 0;
    while let Some((s, e, ascii)) = next_word(text, at) {
        at = e;
        if e - s >= MAX_WORD {
            continue;
        }
        lower.clear();
        push_lower(&mut lower, &text[s..e], ascii);
        f(&lower);
    }
}

/// For each byte span of `text`, the positions [`en_stem`] gives its words: the number of
/// words that start before the span, and before its end. Every word takes a position, a
/// dropped long one too.
pub fn word_positions(text: &str, spans: &[(usize, usize)]) -> Vec<(u64, u64)> {
    // This runs on every article at index time: the words are split once, and only up to the
    // last span's end (not at all for an article without statements).
    // Only where words start matters, so one loop over the bytes marks each start of a run of
    // alphanumeric characters; `next_word` per word cost 27 instructions a byte.
    let until = spans
        .iter()
        .map(|&(_, e)| e)
        .max()
        .unwrap_or(0)
        .min(text.len());
    // A word takes two bytes at least (a character and a separator), so this has room for
    // every start: each is written, and kept by moving on, without a branch.
    let mut starts = vec![0; until / 2 + 1];
    let mut found = 0;
    let mut in_word = false;
    let mut i = 0;
    while i < until {
        let (alnum, n) = alnum_at(text, i);
        starts[found] = i;
        found += usize::from(alnum && !in_word);
        in_word = alnum;
        i += n;
    }
    starts.truncate(found);
    spans
        .iter()
        .map(|&(s, e)| {
            let count = |b: usize| starts.partition_point(|&w| w < b) as u64;
            (count(s), count(e))
        })
        .collect()
}

fn word_steps() -> TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD))
        .filter(LowerCaser)
}

/// Longest word kept, in bytes (as written, before lowercasing): tantivy's `en_stem` drops
/// longer tokens with `RemoveLongFilter::limit(40)`.
const MAX_WORD: usize = 40;

/// Appends `word` lowercased as tantivy's `LowerCaser` does: ASCII directly, other text
/// character by character.
fn push_lower(out: &mut String, word: &str, ascii: bool) {
    if ascii {
        let start = out.len();
        out.push_str(word);
        out[start..].make_ascii_lowercase();
    } else {
        for c in word.chars() {
            out.extend(c.to_lowercase());
        }
    }
}

/// Which ASCII bytes are letters or digits, by table: a byte's class in one load.
static ASCII_ALNUM: [bool; 128] = {
    let mut t = [false; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    t
};

/// Whether the character starting at byte `i` of `text` is alphanumeric, and its length.
// Always inlined: the ASCII test is the loop body of every word scan, and a call per byte
// cost more than the test.
#[inline(always)]
fn alnum_at(text: &str, i: usize) -> (bool, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        return (ASCII_ALNUM[usize::from(b)], 1);
    }
    let c = text[i..].chars().next().unwrap_or(' ');
    (c.is_alphanumeric(), c.len_utf8())
}

/// The next word of `text` at or after byte `from` (a character boundary): the byte range of a
/// maximal run of alphanumeric characters, and whether it is all ASCII. The one definition of a
/// word for [`StemTokenizer`] and [`for_each_word`], as tantivy's simple tokenizer splits.
fn next_word(text: &str, from: usize) -> Option<(usize, usize, bool)> {
    let len = text.len();
    let mut i = from;
    while i < len {
        let (alnum, n) = alnum_at(text, i);
        if alnum {
            break;
        }
        i += n;
    }
    if i >= len {
        return None;
    }
    let start = i;
    let mut ascii = true;
    while i < len {
        let (alnum, n) = alnum_at(text, i);
        if !alnum {
            break;
        }
        ascii &= n == 1;
        i += n;
    }
    Some((start, i, ascii))
}

/// `en_stem` as one tokenizer: tantivy's chain (simple tokenizer, long-token filter, lower
/// caser, Snowball English) passes each token through four streams and copies its text at
/// each; this splits, lowercases and stems in one loop, with each word's stem remembered.
/// Tokens, positions and offsets are exactly the chain's (tested).
#[derive(Clone, Default)]
pub struct StemTokenizer {
    token: Token,
    /// Lowercased word to its stem; `None` where the stem is the word itself (most words),
    /// so that those are not copied twice.
    stems: HashMap<Box<str>, Option<Box<str>>, FxBuildHasher>,
}

impl Tokenizer for StemTokenizer {
    type TokenStream<'a> = StemStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> StemStream<'a> {
        self.token.reset();
        StemStream {
            text,
            cursor: 0,
            token: &mut self.token,
            stems: &mut self.stems,
            stemmer: None,
        }
    }
}

/// Token stream of [`StemTokenizer`].
pub struct StemStream<'a> {
    text: &'a str,
    cursor: usize,
    token: &'a mut Token,
    stems: &'a mut HashMap<Box<str>, Option<Box<str>>, FxBuildHasher>,
    /// Made at the first word not yet remembered: most texts need none.
    stemmer: Option<frostem::Stemmer>,
}

impl TokenStream for StemStream<'_> {
    fn advance(&mut self) -> bool {
        let text = self.text;
        loop {
            let Some((start, i, ascii)) = next_word(text, self.cursor) else {
                self.cursor = text.len();
                return false;
            };
            self.cursor = i;
            // A dropped long word still takes a position, as in tantivy's chain.
            self.token.position = self.token.position.wrapping_add(1);
            if i - start >= MAX_WORD {
                continue;
            }
            let word = &text[start..i];
            self.token.offset_from = start;
            self.token.offset_to = i;
            let lower = &mut self.token.text;
            lower.clear();
            push_lower(lower, word, ascii);
            match self.stems.get(lower.as_str()) {
                Some(None) => {}
                Some(Some(stem)) => {
                    lower.clear();
                    lower.push_str(stem);
                }
                None => {
                    let stemmer = self
                        .stemmer
                        .get_or_insert_with(|| frostem::Stemmer::new(frostem::Algorithm::English));
                    let stem = {
                        let stem = stemmer.stem(lower);
                        (stem != lower.as_str()).then(|| Box::<str>::from(&*stem))
                    };
                    if self.stems.len() >= CAPACITY {
                        self.stems.clear();
                    }
                    self.stems.insert(lower.as_str().into(), stem.clone());
                    if let Some(stem) = stem {
                        lower.clear();
                        lower.push_str(&stem);
                    }
                }
            }
            return true;
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// `en_stem` for highlighting `terms` (stems) in a text: the same tokens, except that a word is
/// only stemmed when its stem could be one of the terms. Snowball English rewrites suffixes
/// and keeps a word's first letter, so a word whose first letter begins no term keeps its
/// lowercase form — which begins no term either, so it matches none, as its stem would not.
/// Highlighting ten articles stemmed every word of them: a third of a query's time.
pub fn en_stem_for<'t>(terms: impl IntoIterator<Item = &'t str>) -> TextAnalyzer {
    let mut firsts: Vec<char> = terms.into_iter().filter_map(|t| t.chars().next()).collect();
    firsts.sort_unstable();
    firsts.dedup();
    word_steps()
        .filter(StemStarting {
            firsts: firsts.into(),
        })
        .build()
}

/// Snowball English stemming of the lowercased tokens that begin with one of `firsts`.
#[derive(Debug, Clone)]
pub struct StemStarting {
    firsts: Arc<[char]>,
}

impl TokenFilter for StemStarting {
    type Tokenizer<T: Tokenizer> = StemStartingFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> StemStartingFilter<T> {
        StemStartingFilter {
            inner: tokenizer,
            firsts: self.firsts,
        }
    }
}

/// The tokenizer [`StemStarting`] wraps around another.
#[derive(Clone)]
pub struct StemStartingFilter<T> {
    inner: T,
    firsts: Arc<[char]>,
}

impl<T: Tokenizer> Tokenizer for StemStartingFilter<T> {
    type TokenStream<'a> = StemStartingStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemStartingStream {
            tail: self.inner.token_stream(text),
            firsts: &self.firsts,
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
        }
    }
}

/// Token stream of [`StemStartingFilter`].
pub struct StemStartingStream<'a, S> {
    tail: S,
    firsts: &'a [char],
    stemmer: frostem::Stemmer,
}

impl<S: TokenStream> TokenStream for StemStartingStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if token
            .text
            .chars()
            .next()
            .is_some_and(|c| self.firsts.contains(&c))
        {
            token.text = self.stemmer.stem(&token.text).into_owned();
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::TokenizerManager;

    use super::*;

    /// A span's words are the token positions `en_stem` gives them.
    #[test]
    fn word_positions_are_token_positions() {
        let text = "He said: \"We will keep the border open,\" and left.";
        let (s, e) = (text.find("We").unwrap(), text.find(",\"").unwrap());
        let mut positions = Vec::new();
        let mut analyzer = en_stem();
        let mut stream = analyzer.token_stream(text);
        while let Some(t) = stream.next() {
            if t.offset_from >= s && t.offset_to <= e {
                positions.push(t.position as u64);
            }
        }
        let got = word_positions(text, &[(s, e), (0, 2)]);
        assert_eq!(got[0], (positions[0], positions[positions.len() - 1] + 1));
        assert_eq!(got[1], (0, 1));
        assert!(word_positions(text, &[]).is_empty());
    }

    /// Word positions by the definition: the words `next_word` splits, counted.
    fn word_positions_by_words(text: &str, spans: &[(usize, usize)]) -> Vec<(u64, u64)> {
        let mut starts = Vec::new();
        let mut at = 0;
        while let Some((s, e, _)) = next_word(text, at) {
            starts.push(s);
            at = e;
        }
        let count = |b: usize| starts.partition_point(|&w| w < b) as u64;
        spans.iter().map(|&(s, e)| (count(s), count(e))).collect()
    }

    #[test]
    fn word_positions_count_words_on_the_sample_corpus() {
        let unicode = "İstanbul’s Ñandú: 日本語 café naïve – “quoted” ½ 12,5 Ⅻ x\u{2028}ǅemal";
        for text in sample_texts().into_iter().chain([unicode.to_string()]) {
            // Spans from every character boundary to a few places after it, so that spans
            // start and end inside words, between them, and at the text's end.
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            let mut spans = Vec::new();
            for (k, &s) in bounds.iter().enumerate() {
                for d in [1, 7, 40] {
                    if let Some(&e) = bounds.get(k + d) {
                        spans.push((s, e));
                    }
                }
            }
            assert_eq!(
                word_positions(&text, &spans),
                word_positions_by_words(&text, &spans)
            );
        }
    }

    fn tokens(mut a: TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut out = Vec::new();
        a.token_stream(text).process(&mut |t: &Token| {
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to))
        });
        out
    }

    #[test]
    fn same_tokens_as_tantivys_en_stem() {
        let text = "Ministers warned: the ministers' warnings about elections, Elections and \
                    ELECTED officials running ran runs — naïve Müller's cafés 2005 U.S. \
                    supercalifragilisticexpialidocioussupercalifragilistic word";
        let theirs = TokenizerManager::default().get(EN_STEM).expect("en_stem");
        let expected = tokens(theirs, text);
        assert!(expected.iter().any(|t| t.0 == "minist"));
        // Twice through one analyzer: the second pass is served from the memory.
        let mut ours = en_stem();
        assert_eq!(tokens(ours.clone(), text), expected);
        let mut again = Vec::new();
        for _ in 0..2 {
            again.clear();
            ours.token_stream(text).process(&mut |t: &Token| {
                again.push((t.text.clone(), t.position, t.offset_from, t.offset_to))
            });
        }
        assert_eq!(again, expected);
    }

    #[test]
    fn same_tokens_as_tantivys_en_stem_on_the_sample_corpus() {
        let theirs = TokenizerManager::default().get(EN_STEM).expect("en_stem");
        let mut ours = en_stem();
        let texts = sample_texts();
        assert!(texts.len() > 20);
        for text in texts {
            let expected = tokens(theirs.clone(), &text);
            let mut got = Vec::new();
            ours.token_stream(&text).process(&mut |t: &Token| {
                got.push((t.text.clone(), t.position, t.offset_from, t.offset_to))
            });
            assert_eq!(got, expected);
        }
    }

    #[test]
    fn for_each_word_yields_what_words_does() {
        let edge = format!(
            "{} {} {} İstanbul ΣΟΦΟΣ naïve x²³ Ⅻ 'quoted' e-mail 3.14 東京都 a\u{301}b end",
            "a".repeat(39),
            "b".repeat(40),
            "é".repeat(20),
        );
        for text in [
            edge,
            sample_words().join(" "),
            String::new(),
            "  ,, ".into(),
        ] {
            let expected: Vec<String> = tokens(words(), &text).into_iter().map(|t| t.0).collect();
            let mut got = Vec::new();
            for_each_word(&text, |w| got.push(w.to_string()));
            assert_eq!(got, expected);
        }
    }

    /// The text of every file of the sample corpus.
    fn sample_texts() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut dirs = vec![root];
        let mut texts = Vec::new();
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if let Ok(t) = std::fs::read_to_string(&p) {
                    texts.push(t);
                }
            }
        }
        texts
    }

    /// Every word of the sample corpus, and Snowball's special cases.
    fn sample_words() -> Vec<String> {
        let mut text = String::from(
            "dying lying tying skis skies idly gently ugly early only singly sky news howe \
             atlas cosmos bias andes yelling Ystad yearly eyes ied ies sses ing",
        );
        for t in sample_texts() {
            text.push(' ');
            text.push_str(&t);
        }
        tokens(words(), &text).into_iter().map(|t| t.0).collect()
    }

    #[test]
    fn stemming_keeps_the_first_letter() {
        let words = sample_words();
        assert!(words.len() > 5_000, "{}", words.len());
        let stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
        for w in &words {
            let stem = stemmer.stem(w);
            assert_eq!(stem.chars().next(), w.chars().next(), "{w} -> {stem}");
        }
    }

    #[test]
    fn stemming_for_terms_matches_them_where_en_stem_does() {
        let text = sample_words().join(" ");
        let all = tokens(en_stem(), &text);
        for terms in [
            vec!["minist", "said"],
            vec!["die", "sky"],
            vec!["border", "talk", "pakistan"],
        ] {
            let ours = tokens(en_stem_for(terms.iter().copied()), &text);
            assert_eq!(ours.len(), all.len());
            let hits = |v: &[(String, usize, usize, usize)]| -> Vec<(String, usize, usize)> {
                v.iter()
                    .filter(|t| terms.contains(&t.0.as_str()))
                    .map(|t| (t.0.clone(), t.2, t.3))
                    .collect()
            };
            let want = hits(&all);
            assert!(!want.is_empty(), "{terms:?}");
            assert_eq!(hits(&ours), want, "{terms:?}");
        }
    }
}
