//! Named entities: raw news text in; people, organisations, locations and other names (the
//! CoNLL-2003 kinds) out, each with its `[start, end)` byte span in that text.
//! An averaged-perceptron sequence tagger whose weights are compiled in (`data/ner.model.gz`,
//! rebuilt by `examples/train_ner.rs`); it does no I/O, never panics, and never reads training data.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::ops::Range;
use std::sync::OnceLock;

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use wide::u16x8;

use super::text::char_at;

/// Kind of a named entity, as CoNLL-2003 labels them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityKind {
    /// A person (PER).
    Person,
    /// An organisation: company, party, team, institution (ORG).
    Organisation,
    /// A location: country, city, region, geographic feature (LOC).
    Location,
    /// Any other name: nationalities, events, works, products (MISC).
    Misc,
}

impl EntityKind {
    const ALL: [EntityKind; 4] = [Self::Person, Self::Organisation, Self::Location, Self::Misc];

    fn index(self) -> usize {
        match self {
            Self::Person => 0,
            Self::Organisation => 1,
            Self::Location => 2,
            Self::Misc => 3,
        }
    }

    fn from_conll(tag: &str) -> Option<Self> {
        match tag {
            "PER" => Some(Self::Person),
            "ORG" => Some(Self::Organisation),
            "LOC" => Some(Self::Location),
            "MISC" => Some(Self::Misc),
            _ => None,
        }
    }
}

/// A named entity: its kind and byte span [start, end) in the tagged text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entity {
    /// What the entity is.
    pub kind: EntityKind,
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just past its last character.
    pub end: usize,
}

/// A token for tagging: byte span [start, end) in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tok {
    /// Byte offset of the token's first character.
    pub start: usize,
    /// Byte offset just past the token's last character.
    pub end: usize,
}

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

/// Words that keep their full stop ("Mr.", "Jan.", "Inc."); matched case-sensitively.
/// (These three lists are sorted for binary search.)
const ABBREVIATIONS: &[&str] = &[
    "Adm", "Ala", "Apr", "Ariz", "Assn", "Aug", "Ave", "Blvd", "Bros", "Calif", "Capt", "Cmdr",
    "Co", "Col", "Colo", "Conn", "Corp", "Dec", "Del", "Dept", "Dr", "Feb", "Fig", "Fla", "Fri",
    "Ft", "Ga", "Gen", "Gov", "Hon", "Ill", "Inc", "Ind", "Jan", "Jr", "Jul", "Jun", "Kan", "Ky",
    "Lt", "Ltd", "Maj", "Mar", "Mass", "Md", "Messrs", "Mich", "Minn", "Mlle", "Mme", "Mo", "Mon",
    "Mr", "Mrs", "Ms", "Mt", "No", "Nos", "Nov", "Oct", "Okla", "Ore", "Pa", "Penn", "Pres",
    "Prof", "Rd", "Rep", "Rev", "Sen", "Sep", "Sept", "Sgt", "Sr", "St", "Supt", "Tenn", "Thu",
    "Thurs", "Tue", "Tues", "Univ", "Va", "Wash", "Wed", "Wis", "approx", "cf", "eg", "etc", "ie",
    "vol", "vs",
];

/// Abbreviations that never end a sentence (titles and months come before what they qualify).
const NEVER_FINAL: &[&str] = &[
    "Adm", "Apr", "Aug", "Capt", "Cmdr", "Col", "Dec", "Dr", "Feb", "Fig", "Gen", "Gov", "Hon",
    "Jan", "Jul", "Jun", "Lt", "Maj", "Mar", "Messrs", "Mlle", "Mme", "Mr", "Mrs", "Ms", "Mt",
    "No", "Nos", "Nov", "Oct", "Pres", "Prof", "Rep", "Rev", "Sen", "Sep", "Sept", "Sgt", "St",
    "Supt", "cf", "vol", "vs",
];

/// Capitalised words that open a sentence after an abbreviation ("… the U.S. The …").
const STARTERS: &[&str] = &[
    "A",
    "After",
    "An",
    "And",
    "As",
    "At",
    "But",
    "Dr.",
    "He",
    "Her",
    "His",
    "However",
    "I",
    "If",
    "In",
    "It",
    "Its",
    "Meanwhile",
    "Mr",
    "Mr.",
    "Mrs",
    "Mrs.",
    "Ms",
    "Ms.",
    "On",
    "Our",
    "She",
    "That",
    "The",
    "Their",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "We",
    "When",
    "While",
    "You",
];

/// Function words, capitalised only to open a sentence: never a name on their own. ("Who" and
/// "It" are left out: their capitals spell "WHO" and "IT", and all capitals are not gated.)
const FUNCTION_WORDS: &[&str] = &[
    "a",
    "about",
    "after",
    "all",
    "also",
    "although",
    "an",
    "and",
    "as",
    "at",
    "because",
    "before",
    "but",
    "by",
    "despite",
    "during",
    "for",
    "from",
    "he",
    "he's",
    "her",
    "here",
    "his",
    "how",
    "however",
    "i",
    "i'm",
    "if",
    "in",
    "its",
    "many",
    "meanwhile",
    "most",
    "my",
    "not",
    "now",
    "of",
    "on",
    "or",
    "our",
    "she",
    "she's",
    "since",
    "so",
    "some",
    "that",
    "that's",
    "the",
    "their",
    "then",
    "there",
    "there's",
    "these",
    "they",
    "they're",
    "this",
    "those",
    "though",
    "to",
    "we",
    "we're",
    "what",
    "when",
    "where",
    "which",
    "while",
    "why",
    "with",
    "yet",
    "you",
    "your",
];

/// Lowercase hashes of [`FUNCTION_WORDS`].
fn function_words() -> &'static FastMap<u64, ()> {
    static SET: OnceLock<FastMap<u64, ()>> = OnceLock::new();
    SET.get_or_init(|| {
        FUNCTION_WORDS
            .iter()
            .map(|w| (tok_info(w).lower, ()))
            .collect()
    })
}

fn char_before(text: &str, i: usize) -> Option<char> {
    text.get(..i).and_then(|s| s.chars().next_back())
}

/// Combining marks, joiners and variation selectors: they belong to the preceding character.
fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x0670 | 0x06D6..=0x06DC | 0x06DF..=0x06E4 | 0x093C | 0x094D | 0x1AB0..=0x1AFF
        | 0x1DC0..=0x1DFF | 0x200C | 0x200D | 0x20D0..=0x20FF | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F
        | 0x1F3FB..=0x1F3FF | 0xE0020..=0xE007F | 0xE0100..=0xE01EF)
}

#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric() || is_mark(c)
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

#[inline]
fn is_space(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_whitespace() || c.is_ascii_control();
    }
    c.is_whitespace() || c.is_control() || matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Length in bytes of a clitic ("'s", "’re", "'ll", …) starting at the apostrophe at `i`.
fn clitic_len(text: &str, i: usize) -> Option<usize> {
    let a = char_at(text, i)?.len_utf8();
    let rest = text.get(i + a..)?.as_bytes();
    for clitic in ["s", "re", "ve", "ll", "d", "m"] {
        let n = clitic.len();
        if rest.len() >= n && rest[..n].eq_ignore_ascii_case(clitic.as_bytes()) {
            let after = i + a + n;
            if char_at(text, after).is_none_or(|c| !is_word_char(c)) {
                return Some(a + n);
            }
        }
    }
    None
}

/// Whether a word followed by "." keeps it: initials, dotted abbreviations, known short forms.
fn keeps_dot(word: &str) -> bool {
    if let Some(last) = word.rsplit('.').next().filter(|_| word.contains('.')) {
        let n = last.chars().count();
        return (1..=2).contains(&n) && last.chars().all(char::is_alphabetic);
    }
    let mut cs = word.chars();
    if let (Some(c), None) = (cs.next(), cs.next()) {
        return c.is_uppercase();
    }
    ABBREVIATIONS.binary_search(&word).is_ok()
}

/// Scans a word from `start`, already consumed up to `j`; returns its end.
fn scan_word(text: &str, start: usize, mut j: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        while let Some(&b) = bytes.get(j) {
            if b.is_ascii_alphanumeric() {
                j += 1;
            } else if let Some(c) = char_at(text, j).filter(|&c| !c.is_ascii() && is_word_char(c)) {
                j += c.len_utf8();
            } else {
                break;
            }
        }
        let Some(c) = char_at(text, j) else { return j };
        if !matches!(
            c,
            '-' | '\u{2010}' | '\u{2011}' | '.' | ',' | '/' | ':' | '&'
        ) && !is_apostrophe(c)
        {
            return j;
        }
        let cl = c.len_utf8();
        let next = char_at(text, j + cl);
        let prev = char_before(text, j);
        let next_alnum = next.is_some_and(char::is_alphanumeric);
        let joins = match c {
            '-' | '\u{2010}' | '\u{2011}' => next_alnum,
            '.' => next_alnum && prev.is_some_and(char::is_alphanumeric),
            ',' | '/' | ':' => {
                prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit())
            }
            '&' => {
                next_alnum
                    && prev.is_some_and(char::is_uppercase)
                    && next.is_some_and(char::is_uppercase)
            }
            c if is_apostrophe(c) => {
                if clitic_len(text, j).is_some() {
                    false
                } else if prev.is_some_and(|p| p == 'n' || p == 'N')
                    && next.is_some_and(|n| n == 't' || n == 'T')
                    && char_at(text, j + cl + 1).is_none_or(|c| !is_word_char(c))
                {
                    // "n't": its own token ("do" "n't"), or the whole token when it stands alone.
                    let n_pos = j - 1;
                    return if n_pos == start { j + cl + 1 } else { n_pos };
                } else {
                    prev.is_some_and(char::is_alphabetic) && next.is_some_and(char::is_alphabetic)
                }
            }
            _ => false,
        };
        if joins {
            j += cl;
            continue;
        }
        if c == '.'
            && char_at(text, j + 1) != Some('.')
            && text.get(start..j).is_some_and(keeps_dot)
        {
            j += 1;
            // "U.S.-led"
            if matches!(char_at(text, j), Some('-'))
                && char_at(text, j + 1).is_some_and(char::is_alphanumeric)
            {
                j += 1;
                continue;
            }
        }
        return j;
    }
}

/// Splits text into tokens the way CoNLL-2003 tokenises newswire: words, numbers, and each punctuation mark apart;
/// a possessive "'s"/"’s" and "n't" split off ("Asif's" → "Asif", "'s"); hyphenated words ("cross-border", "al-Qaeda"),
/// abbreviations and initials with dots ("U.S.", "Mr.", "J.") and decimals ("3.5") kept whole; a sentence-final "." is its own token.
pub fn tokenize(text: &str) -> Vec<Tok> {
    let mut toks = Vec::with_capacity(text.len() / 5 + 1);
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // Fast paths for the common bytes.
        if b == b' ' || b == b'\n' {
            i += 1;
            continue;
        }
        if b.is_ascii_alphanumeric() {
            let end = scan_word(text, i, i + 1);
            toks.push(Tok { start: i, end });
            i = end;
            continue;
        }
        let Some(c) = char_at(text, i) else { break };
        let cl = c.len_utf8();
        let end = if is_space(c) {
            i += cl;
            continue;
        } else if let Some(n) = is_apostrophe(c).then(|| clitic_len(text, i)).flatten() {
            i + n
        } else if c.is_alphanumeric() {
            scan_word(text, i, i + cl)
        } else if c == '.'
            && char_at(text, i + 1).is_some_and(|n| n.is_ascii_digit())
            && char_before(text, i).is_none_or(|p| !is_word_char(p))
        {
            scan_word(text, i, i + 1)
        } else if c == '-' || c == '.' {
            let mut e = i + 1;
            while char_at(text, e) == Some(c) {
                e += 1;
            }
            e
        } else {
            let mut e = i + cl;
            while let Some(m) = char_at(text, e)
                && is_mark(m)
            {
                e += m.len_utf8();
            }
            e
        };
        toks.push(Tok { start: i, end });
        i = end;
    }
    toks
}

fn tok_str(text: &str, t: Tok) -> &str {
    text.get(t.start..t.end).unwrap_or("")
}

fn has_line_break(text: &str, from: usize, to: usize) -> bool {
    // Between tokens there is only white space: a single space is by far the most common.
    if to <= from + 1 && text.as_bytes().get(from).is_none_or(|&b| b == b' ') {
        return false;
    }
    text.get(from..to)
        .is_some_and(|g| g.chars().any(is_line_break))
}

fn starts_lowercase(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_lowercase)
}

/// Whether token `i` ends the sentence that began at token `start`.
fn is_terminal(text: &str, toks: &[Tok], start: usize, i: usize) -> bool {
    if !matches!(
        text.as_bytes().get(toks[i].end.wrapping_sub(1)),
        Some(b'.' | b'?' | b'!')
    ) {
        return false;
    }
    let t = tok_str(text, toks[i]);
    let next = toks.get(i + 1).map(|&n| tok_str(text, n));
    if !t.is_empty() && t.bytes().all(|b| matches!(b, b'.' | b'?' | b'!')) {
        if t == "." && i == start + 1 {
            // A numbered list item: "1. Michael Johnson".
            let first = tok_str(text, toks[start]);
            if !first.is_empty() && first.len() <= 3 && first.bytes().all(|b| b.is_ascii_digit()) {
                return false;
            }
        }
        if t.starts_with("..") {
            return next.is_none_or(|n| n.chars().next().is_some_and(char::is_uppercase));
        }
        return true;
    }
    if t.len() > 1 && t.ends_with('.') {
        let base = &t[..t.len() - 1];
        let mut cs = base.chars();
        let initial = matches!((cs.next(), cs.next()), (Some(c), None) if c.is_uppercase());
        if initial || NEVER_FINAL.binary_search(&base).is_ok() {
            return false;
        }
        return next.is_some_and(|n| STARTERS.binary_search(&n).is_ok());
    }
    false
}

/// Sentence boundaries over the tokens (index ranges), splitting at . ? ! (not after abbreviations/initials such as "Mr.", "U.S." mid-sentence, "Jan.") and at line breaks.
pub fn sentences(text: &str, toks: &[Tok]) -> Vec<Range<usize>> {
    let n = toks.len();
    let mut out = Vec::new();
    let mut start = 0;
    let mut quotes = 0usize;
    let mut i = 0;
    while i < n {
        if i > start && has_line_break(text, toks[i - 1].end, toks[i].start) {
            out.push(start..i);
            start = i;
            quotes = 0;
        }
        let t = toks[i];
        if t.end == t.start + 1 && text.as_bytes().get(t.start) == Some(&b'"') {
            quotes += 1;
        }
        if is_terminal(text, toks, start, i) {
            let mut end = i + 1;
            while end < n && !has_line_break(text, toks[end - 1].end, toks[end].start) {
                let adjacent = toks[end - 1].end == toks[end].start;
                let closes = match tok_str(text, toks[end]) {
                    ")" | "]" | "\u{201D}" | "\u{2019}" | "\u{BB}" => true,
                    "\"" => adjacent || quotes % 2 == 1,
                    "'" => adjacent,
                    _ => false,
                };
                if !closes {
                    break;
                }
                if tok_str(text, toks[end]) == "\"" {
                    quotes += 1;
                }
                end += 1;
            }
            // "“Why?” he asked." goes on after the question mark.
            let goes_on = toks.get(end).is_some_and(|&t| {
                starts_lowercase(tok_str(text, t))
                    && !has_line_break(text, toks[end - 1].end, t.start)
            });
            if !goes_on {
                out.push(start..end);
                start = end;
                quotes = 0;
                i = end;
                continue;
            }
        }
        i += 1;
    }
    if start < n {
        out.push(start..n);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Hashing
// ---------------------------------------------------------------------------------------------

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

#[inline]
fn fnv(h: u64, c: char) -> u64 {
    (h ^ u64::from(c)).wrapping_mul(FNV_PRIME)
}

#[inline]
const fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A feature template: a salt that makes its values' ids distinct from other templates'.
#[derive(Clone, Copy)]
struct Template(u64);

impl Template {
    const fn new(n: u64) -> Template {
        Template(mix(n.wrapping_mul(0x9e37_79b9_7f4a_7c15)))
    }

    /// The feature id of value `v`: 32 bits, never 0 (0 marks an empty table slot).
    #[inline]
    fn id(self, v: u64) -> u32 {
        let f = (mix(v ^ self.0) >> 32) as u32;
        if f == 0 { 1 } else { f }
    }

    /// The feature id of a pair of values.
    #[inline]
    fn id2(self, a: u64, b: u64) -> u32 {
        self.id(a.wrapping_mul(0xff51_afd7_ed55_8ccd).rotate_left(29) ^ b)
    }
}

/// Hasher for keys that are already hashes.
#[derive(Default)]
struct PreHashed(u64);

impl std::hash::Hasher for PreHashed {
    fn finish(&self) -> u64 {
        mix(self.0)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(FNV_PRIME);
        }
    }

    fn write_u32(&mut self, v: u32) {
        self.0 ^= u64::from(v);
    }

    fn write_u64(&mut self, v: u64) {
        self.0 ^= v;
    }
}

type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<PreHashed>>;

// ---------------------------------------------------------------------------------------------
// Token properties
// ---------------------------------------------------------------------------------------------

/// Typographic forms mapped to what CoNLL newswire writes.
fn normalized(c: char, mut f: impl FnMut(char)) {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{02BC}' | '\u{2032}' => f('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{AB}' | '\u{BB}' => {
            f('"');
        }
        '\u{2013}' | '\u{2010}' | '\u{2011}' | '\u{2012}' => f('-'),
        '\u{2014}' | '\u{2015}' => {
            f('-');
            f('-');
        }
        '\u{2026}' => {
            f('.');
            f('.');
            f('.');
        }
        c => f(c),
    }
}

/// Has an uppercase letter.
const F_UPPER: u8 = 1;
/// Starts with an uppercase letter.
const F_INIT_UPPER: u8 = 2;
/// Has a lowercase (or caseless) letter.
const F_LOWER: u8 = 4;
/// Has a letter or digit.
const F_ALNUM: u8 = 64;
/// A comma, semicolon, colon, bracket, double quote or dash: never inside a name.
const F_STOP: u8 = 128;

fn is_stop(c: char) -> bool {
    matches!(
        c,
        ',' | ';'
            | ':'
            | '('
            | ')'
            | '['
            | ']'
            | '"'
            | '\u{201C}'
            | '\u{201D}'
            | '\u{AB}'
            | '\u{BB}'
            | '\u{2014}'
            | '\u{2013}'
    )
}

/// What the features need to know about one token, computed once.
#[derive(Debug, Clone, Copy, Default)]
struct TokInfo {
    /// Hash of the normalised form.
    word: u64,
    /// Hash of the lowercased form with digits as 0.
    lower: u64,
    /// Collapsed word shape: character classes (X x d - . ' , other), runs merged.
    shape: u64,
    flags: u8,
}

/// A word shape being built: character classes in order, runs merged, at most 12 kept (a
/// longer shape is marked by the top bit).
#[derive(Default)]
struct Shape {
    code: u64,
    classes: u32,
    last: u64,
}

impl Shape {
    /// Adds a character of `class`; class 0 (a combining mark) leaves the shape as it is.
    #[inline]
    fn push(&mut self, class: u64) {
        if class == 0 || class == self.last {
            return;
        }
        if self.classes < 12 {
            self.code = self.code * 16 + class;
            self.classes += 1;
        } else {
            self.code |= 1 << 63;
        }
        self.last = class;
    }
}

/// `tok_info` of an ASCII token: the same values, faster.
fn tok_info_ascii(s: &[u8]) -> TokInfo {
    let mut word = FNV_OFFSET;
    let mut lower = FNV_OFFSET;
    let mut shape = Shape::default();
    let mut flags = 0u8;
    for (n, &b) in s.iter().enumerate() {
        word = (word ^ u64::from(b)).wrapping_mul(FNV_PRIME);
        let (class, f, l) = match b {
            b'A'..=b'Z' => (
                1,
                F_UPPER | F_ALNUM | if n == 0 { F_INIT_UPPER } else { 0 },
                b + 32,
            ),
            b'a'..=b'z' => (2, F_LOWER | F_ALNUM, b),
            b'0'..=b'9' => (3, F_ALNUM, b'0'),
            b'-' => (4, 0, b),
            b'.' => (5, 0, b),
            b'\'' => (6, 0, b),
            b',' => (7, 0, b),
            _ => (8, 0, b),
        };
        flags |= f;
        lower = (lower ^ u64::from(l)).wrapping_mul(FNV_PRIME);
        shape.push(class);
    }
    TokInfo {
        word,
        lower,
        shape: shape.code,
        flags,
    }
}

fn tok_info(s: &str) -> TokInfo {
    let mut info = if s.is_ascii() {
        tok_info_ascii(s.as_bytes())
    } else {
        tok_info_general(s)
    };
    let mut cs = s.chars();
    if let (Some(c), None) = (cs.next(), cs.next())
        && is_stop(c)
    {
        info.flags |= F_STOP;
    }
    info
}

fn tok_info_general(s: &str) -> TokInfo {
    let mut word = FNV_OFFSET;
    let mut lower = FNV_OFFSET;
    let mut shape = Shape::default();
    let mut flags = 0u8;
    let mut first = true;
    let mut step = |c: char| {
        word = fnv(word, c);
        let class = if c.is_uppercase() {
            flags |= F_UPPER | F_ALNUM;
            if first {
                flags |= F_INIT_UPPER;
            }
            1
        } else if c.is_numeric() {
            flags |= F_ALNUM;
            3
        } else if c.is_alphabetic() {
            flags |= F_LOWER | F_ALNUM;
            2
        } else if is_mark(c) {
            0
        } else {
            match c {
                '-' => 4,
                '.' => 5,
                '\'' => 6,
                ',' => 7,
                _ => 8,
            }
        };
        first = false;
        if c.is_ascii() {
            lower = fnv(
                lower,
                if c.is_ascii_digit() {
                    '0'
                } else {
                    c.to_ascii_lowercase()
                },
            );
        } else if c.is_numeric() {
            lower = fnv(lower, '0');
        } else {
            for l in c.to_lowercase() {
                lower = fnv(lower, l);
            }
        }
        shape.push(class);
    };
    for c in s.chars() {
        if c.is_ascii() {
            step(c);
        } else {
            normalized(c, &mut step);
        }
    }
    TokInfo {
        word,
        lower,
        shape: shape.code,
        flags,
    }
}

/// Hashes of the lowercased first and last 1–4 characters, and how many there are (≤ 4).
fn affixes(s: &str) -> ([u64; 4], [u64; 4], usize) {
    let mut head = ['\0'; 4];
    let mut tail = ['\0'; 4];
    let mut n = 0usize;
    for c in s.chars() {
        let l = if c.is_ascii() {
            c.to_ascii_lowercase()
        } else {
            c.to_lowercase().next().unwrap_or(c)
        };
        let l = if l.is_ascii_digit() { '0' } else { l };
        if n < 4 {
            head[n] = l;
        }
        tail[n % 4] = l;
        n += 1;
    }
    let k = n.min(4);
    let mut pre = [0u64; 4];
    let mut suf = [0u64; 4];
    let mut h = FNV_OFFSET;
    for (p, &c) in pre.iter_mut().zip(head.iter()).take(k) {
        h = fnv(h, c);
        *p = h;
    }
    let mut h = FNV_OFFSET;
    for (m, x) in suf.iter_mut().enumerate().take(k) {
        // The suffix of length m + 1, hashed from its last character backwards.
        h = fnv(h, tail[(n + 3 - m) % 4]);
        *x = h;
    }
    (pre, suf, k)
}

// ---------------------------------------------------------------------------------------------
// Word lists: titles, the training lexicon, the country gazetteer
// ---------------------------------------------------------------------------------------------

/// Person titles and honorifics that announce a name ("Ms Hewitt", "Defence Minister Khawaja Asif").
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "sir",
    "dame",
    "lord",
    "lady",
    "madame",
    "monsieur",
    "herr",
    "president",
    "minister",
    "secretary",
    "chancellor",
    "senator",
    "sen",
    "rep",
    "representative",
    "congressman",
    "congresswoman",
    "governor",
    "gov",
    "mayor",
    "premier",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "chairman",
    "chairwoman",
    "chair",
    "chief",
    "director",
    "leader",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "cardinal",
    "bishop",
    "archbishop",
    "rabbi",
    "imam",
    "cleric",
    "sheikh",
    "general",
    "gen",
    "colonel",
    "col",
    "captain",
    "capt",
    "lieutenant",
    "lt",
    "sergeant",
    "sgt",
    "major",
    "admiral",
    "commander",
    "judge",
    "justice",
    "prof",
    "professor",
    "coach",
    "manager",
    "striker",
    "midfielder",
    "defender",
    "goalkeeper",
    "ambassador",
    "envoy",
    "commissioner",
    "deputy",
    "vice",
    "officer",
    "inspector",
    "analyst",
    "economist",
    "executive",
    "ceo",
    "founder",
    "head",
    "candidate",
    "rev",
    "father",
    "brother",
    "sister",
    "aunt",
    "uncle",
    "wife",
    "husband",
    "son",
    "daughter",
    "actor",
    "actress",
    "singer",
    "star",
    "skipper",
    "champion",
    "pm",
    "mp",
    "mep",
];

/// Seen inside a person name (then organisation, location, misc: `LEX_PER << kind`).
const LEX_PER: u16 = 1;
/// Seen written in lowercase at least twice.
const LEX_LOWER: u16 = 16;
/// Seen capitalised mid-sentence outside any name.
const LEX_CAP_O: u16 = 32;
/// Seen as the first word of a multi-word person name.
const LEX_PER_FIRST: u16 = 64;
/// Seen as the last word of a multi-word person name.
const LEX_PER_LAST: u16 = 128;
/// A person title or honorific (from `TITLES`).
const LEX_TITLE: u16 = 256;
/// Number of `LEX_*` bits.
const LEX_BITS: u64 = 9;

const T_LEXKEY: Template = Template::new(100);

/// Word (lowercase hash) → `LEX_*` bits, as an open-addressing table.
#[derive(Debug, Clone, Default)]
struct Lexicon {
    keys: Vec<u32>,
    vals: Vec<u16>,
}

impl Lexicon {
    fn from_pairs(mut pairs: Vec<(u32, u16)>) -> Lexicon {
        pairs.sort_unstable();
        pairs.dedup_by_key(|p| p.0);
        let size = (pairs.len() * 2 + 2).next_power_of_two();
        let mask = size - 1;
        let mut keys = vec![0u32; size];
        let mut vals = vec![0u16; size];
        for (k, v) in pairs {
            let mut p = k as usize & mask;
            while keys[p] != 0 {
                p = (p + 1) & mask;
            }
            keys[p] = k;
            vals[p] = v;
        }
        Lexicon { keys, vals }
    }

    fn pairs(&self) -> Vec<(u32, u16)> {
        let mut v: Vec<(u32, u16)> = self
            .keys
            .iter()
            .zip(&self.vals)
            .filter(|(k, _)| **k != 0)
            .map(|(k, v)| (*k, *v))
            .collect();
        v.sort_unstable();
        v
    }

    #[inline]
    fn get(&self, lower: u64) -> u16 {
        let key = T_LEXKEY.id(lower);
        let mask = self.keys.len().wrapping_sub(1);
        let mut p = key as usize & mask;
        while let Some(&k) = self.keys.get(p) {
            if k == key {
                return self.vals.get(p).copied().unwrap_or(0);
            }
            if k == 0 {
                break;
            }
            p = (p + 1) & mask;
        }
        0
    }

    /// What labelled documents say about each word, plus the titles.
    fn build<'a>(docs: impl Iterator<Item = &'a ConllDoc>) -> Lexicon {
        let empty = Lexicon::default();
        let mut counts: FastMap<u64, [u32; 8]> = FastMap::default();
        for doc in docs {
            let d = prepare(&doc.text, &empty);
            let labels = gold_labels(&d.toks, &doc.gold);
            for (s, &caps) in d.sents.iter().zip(&d.caps) {
                for i in s.clone() {
                    let t = &d.info[i];
                    if t.flags & F_ALNUM == 0 {
                        continue;
                    }
                    let y = labels[i];
                    let c = counts.entry(t.lower).or_default();
                    let mut count = |b: u16| c[b.trailing_zeros() as usize] += 1;
                    if y != O {
                        let k = kind_of(y);
                        count(LEX_PER << k);
                        let next_inside = i + 1 < s.end && labels[i + 1] == label(INSIDE, k);
                        if k == 0 && part(y) == BEGIN && next_inside {
                            count(LEX_PER_FIRST);
                        }
                        if k == 0 && part(y) == INSIDE && !next_inside {
                            count(LEX_PER_LAST);
                        }
                    } else if t.flags & F_UPPER == 0 {
                        count(LEX_LOWER);
                    } else if t.flags & F_INIT_UPPER != 0 && i > s.start && !caps {
                        count(LEX_CAP_O);
                    }
                }
            }
        }
        for t in TITLES {
            for form in [t.to_string(), format!("{t}.")] {
                counts.entry(tok_info(&form).lower).or_default();
            }
        }
        let titles: Vec<u64> = TITLES
            .iter()
            .flat_map(|t| [tok_info(t).lower, tok_info(&format!("{t}.")).lower])
            .collect();
        let pairs = counts
            .into_iter()
            .filter_map(|(w, c)| {
                let mut bits = if titles.contains(&w) { LEX_TITLE } else { 0 };
                for (k, &n) in c.iter().enumerate() {
                    let bit = 1u16 << k;
                    if n >= if bit == LEX_LOWER { 2 } else { 1 } {
                        bits |= bit;
                    }
                }
                (bits != 0).then(|| (T_LEXKEY.id(w), bits))
            })
            .collect();
        Lexicon::from_pairs(pairs)
    }
}

/// Country names, demonyms, capitals, cities and regions (newsdex's `data/countries.tsv`).
struct Gazetteer {
    /// First token's exact hash → (following tokens' hashes, code), longest first.
    exact: FastMap<u64, Vec<(Vec<u64>, u8)>>,
    /// The same keyed by lowercase hashes, for all-capitals headlines.
    lower: FastMap<u64, Vec<(Vec<u64>, u8)>>,
}

const COUNTRIES_TSV: &str = include_str!("../../data/countries.tsv");

/// Gazetteer code of a continuation token (added to the entry's code).
const GAZ_NEXT: u8 = 16;

fn gazetteer() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(|| {
        let mut g = Gazetteer {
            exact: FastMap::default(),
            lower: FastMap::default(),
        };
        for line in COUNTRIES_TSV.lines().skip(1) {
            if line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            let (Some(kind), Some(text)) = (cols.get(1), cols.get(2)) else {
                continue;
            };
            let mut code: u8 = match *kind {
                "name" => 1,
                "demonym" => 2,
                "capital" => 3,
                "city" => 4,
                "region" => 5,
                _ => continue,
            };
            if cols.get(3).is_some_and(|f| f.contains("ambiguous")) {
                code |= 8;
            }
            let infos: Vec<TokInfo> = tokenize(text)
                .iter()
                .map(|&t| tok_info(tok_str(text, t)))
                .collect();
            let Some(first) = infos.first() else { continue };
            let exact = infos[1..].iter().map(|i| i.word).collect();
            let lower = infos[1..].iter().map(|i| i.lower).collect();
            g.exact.entry(first.word).or_default().push((exact, code));
            g.lower.entry(first.lower).or_default().push((lower, code));
        }
        for v in g.exact.values_mut().chain(g.lower.values_mut()) {
            v.sort_by_key(|b| std::cmp::Reverse(b.0.len()));
        }
        g
    })
}

// ---------------------------------------------------------------------------------------------
// Labels (IOB2): 0 = O, 1 + kind = B-kind, 5 + kind = I-kind
// ---------------------------------------------------------------------------------------------

const NL: usize = 9;
const O: u8 = 0;
const BEGIN: u8 = 1;
const INSIDE: u8 = 2;
/// The label "before the sentence", for label-history features.
const BOS: u8 = 255;

fn label(part: u8, kind: usize) -> u8 {
    (usize::from(part - 1) * 4 + kind + 1) as u8
}

/// O (0), B (1) or I (2).
fn part(y: u8) -> u8 {
    if y == O || y == BOS {
        0
    } else {
        (y - 1) / 4 + 1
    }
}

fn kind_of(y: u8) -> usize {
    usize::from(y.wrapping_sub(1) % 4)
}

/// Whether `y` is inside a name, which the next token may continue.
fn is_open(y: u8) -> bool {
    matches!(part(y), BEGIN | INSIDE)
}

/// I-kind may only follow B-kind or I-kind.
fn allowed(prev: u8, y: u8) -> bool {
    part(y) != INSIDE || (is_open(prev) && kind_of(y) == kind_of(prev))
}

/// Entities from one sentence's labels.
fn collect_entities(toks: &[Tok], labels: &[u8], range: Range<usize>, out: &mut Vec<Entity>) {
    let mut open: Option<(usize, usize, usize)> = None; // kind, first token, last token
    let close = |open: &mut Option<(usize, usize, usize)>, out: &mut Vec<Entity>| {
        if let Some((k, a, b)) = open.take() {
            out.push(Entity {
                kind: EntityKind::ALL[k],
                start: toks[a].start,
                end: toks[b].end,
            });
        }
    };
    for i in range {
        let y = labels[i];
        let k = kind_of(y);
        match (part(y), &mut open) {
            (INSIDE, Some((ok, _, b))) if *ok == k => *b = i,
            (BEGIN | INSIDE, _) => {
                close(&mut open, out);
                open = Some((k, i, i));
            }
            _ => close(&mut open, out),
        }
    }
    close(&mut open, out);
}

// ---------------------------------------------------------------------------------------------
// A text prepared for tagging
// ---------------------------------------------------------------------------------------------

/// A text ready for tagging: tokens, sentences and per-token properties.
struct Prepared<'a> {
    text: &'a str,
    toks: Vec<Tok>,
    info: Vec<TokInfo>,
    sents: Vec<Range<usize>>,
    /// Per sentence: written in capitals (a headline).
    caps: Vec<bool>,
    /// Per token: gazetteer code (0 none, 1–5 kind, +8 ambiguous, +`GAZ_NEXT` continuation).
    gaz: Vec<u8>,
    /// Per token: what the lexicon says about its word (`LEX_*` bits).
    lex: Vec<u16>,
    /// Per capitalised token: its lowercase form also occurs written in lowercase in the text.
    lower_seen: Vec<bool>,
    /// Per capitalised token: `lex` bits of the words before and after it, over all its occurrences.
    ctx: Vec<(u16, u16)>,
}

fn prepare<'a>(text: &'a str, lexicon: &Lexicon) -> Prepared<'a> {
    let toks = tokenize(text);
    let sents = sentences(text, &toks);
    let info: Vec<TokInfo> = toks.iter().map(|&t| tok_info(tok_str(text, t))).collect();
    // The lexicon is read only within two tokens of a capitalised word, where features look.
    let mut lex = vec![0u16; toks.len()];
    let mut near_until = 0;
    for i in 0..toks.len() {
        if let Some(u) = (i..=i + 2)
            .rev()
            .find(|&u| info.get(u).is_some_and(|t| t.flags & F_UPPER != 0))
        {
            near_until = near_until.max(u + 3);
        }
        if i < near_until && info[i].flags & F_ALNUM != 0 {
            lex[i] = lexicon.get(info[i].lower);
        }
    }
    let mut gaz = vec![0u8; toks.len()];
    let mut caps = Vec::with_capacity(sents.len());
    let g = gazetteer();
    for s in &sents {
        let infos = &info[s.clone()];
        let is_caps = !infos.iter().any(|t| t.flags & F_LOWER != 0)
            && infos.iter().any(|t| t.flags & F_UPPER != 0 && t.shape == 1);
        caps.push(is_caps);
        let key = |t: &TokInfo| if is_caps { t.lower } else { t.word };
        let mut i = s.start;
        'tokens: while i < s.end {
            if info[i].flags & F_UPPER != 0 {
                let cands = if is_caps {
                    g.lower.get(&info[i].lower)
                } else {
                    g.exact.get(&info[i].word)
                };
                for (rest, code) in cands.into_iter().flatten() {
                    let n = rest.len();
                    if i + 1 + n <= s.end
                        && rest.iter().zip(&info[i + 1..]).all(|(h, t)| *h == key(t))
                    {
                        gaz[i] = *code;
                        for x in &mut gaz[i + 1..i + 1 + n] {
                            *x = *code | GAZ_NEXT;
                        }
                        i += 1 + n;
                        continue 'tokens;
                    }
                }
            }
            i += 1;
        }
    }
    // Document-wide evidence about each capitalised word: written in lowercase somewhere, and
    // what its neighbours are wherever it occurs.
    // Capitalised word → (lex bits before it, lex bits after it, also seen in lowercase).
    let mut around: FastMap<u64, (u16, u16, bool)> = FastMap::default();
    for s in &sents {
        for i in s.clone() {
            if info[i].flags & F_UPPER == 0 {
                continue;
            }
            let prev = if i > s.start { lex[i - 1] } else { 0 };
            let next = if i + 1 < s.end { lex[i + 1] } else { 0 };
            let e = around.entry(info[i].lower).or_default();
            e.0 |= prev;
            e.1 |= next;
        }
    }
    for t in &info {
        if t.flags & (F_UPPER | F_LOWER) == F_LOWER
            && let Some(e) = around.get_mut(&t.lower)
        {
            e.2 = true;
        }
    }
    let mut lower_seen = vec![false; toks.len()];
    let mut ctx = vec![(0, 0); toks.len()];
    for (i, t) in info.iter().enumerate() {
        if t.flags & F_UPPER != 0
            && let Some(&(a, b, l)) = around.get(&t.lower)
        {
            ctx[i] = (a, b);
            lower_seen[i] = l;
        }
    }
    Prepared {
        text,
        toks,
        info,
        sents,
        caps,
        gaz,
        lex,
        lower_seen,
        ctx,
    }
}

// ---------------------------------------------------------------------------------------------
// Features
// ---------------------------------------------------------------------------------------------

const T_BIAS: Template = Template::new(1);
const T_WORD: Template = Template::new(2);
const T_LOWER: Template = Template::new(3);
/// Prefixes and suffixes of 3 and 4 characters; suffixes of 2.
const T_PREFIX3: Template = Template::new(6);
const T_PREFIX4: Template = Template::new(7);
const T_SUFFIX2: Template = Template::new(9);
const T_SUFFIX3: Template = Template::new(10);
const T_SUFFIX4: Template = Template::new(11);
const T_SHAPE: Template = Template::new(12);
const T_PREV_WORD: Template = Template::new(14);
const T_PREV2_WORD: Template = Template::new(15);
const T_NEXT_WORD: Template = Template::new(16);
const T_NEXT2_WORD: Template = Template::new(17);
const T_PREV_SHAPE: Template = Template::new(18);
const T_NEXT_SHAPE: Template = Template::new(19);
const T_SHAPES3: Template = Template::new(20);
const T_PREV_WORD_WORD: Template = Template::new(21);
const T_WORD_NEXT_WORD: Template = Template::new(22);
const T_PREV_WORD_SHAPE: Template = Template::new(23);
const T_NEXT_WORD_SHAPE: Template = Template::new(24);
const T_NEXT_WORDS: Template = Template::new(25);
const T_PREV_WORDS: Template = Template::new(26);
const T_PREV2_SHAPE: Template = Template::new(27);
const T_NEXT2_SHAPE: Template = Template::new(28);
const T_FIRST_SHAPE: Template = Template::new(29);
const T_FIRST_LOWER: Template = Template::new(30);
const T_CAPS_LOWER: Template = Template::new(31);
const T_CAPS_SHAPES: Template = Template::new(32);
const T_LOWER_SEEN: Template = Template::new(33);
const T_LEX: Template = Template::new(34);
const T_PREV_LEX: Template = Template::new(35);
const T_NEXT_LEX: Template = Template::new(36);
const T_AROUND_PREV: Template = Template::new(37);
const T_AROUND_NEXT: Template = Template::new(38);
const T_GAZ: Template = Template::new(39);
const T_PREV_GAZ: Template = Template::new(40);
const T_NEXT_GAZ: Template = Template::new(41);
const T_TITLE_PREV: Template = Template::new(42);
const T_TITLE_PREV2: Template = Template::new(43);
const T_LEX_BIT: Template = Template::new(44);
const T_Y1: Template = Template::new(50);
const T_Y2: Template = Template::new(51);
const T_Y1_SHAPE: Template = Template::new(52);
const T_Y1_LOWER: Template = Template::new(53);
const T_Y1_PREV_WORD: Template = Template::new(54);
const T_MEMORY: Template = Template::new(56);

const EDGE_L: u64 = 0x5bd1_e995_1234_5678;
const EDGE_R: u64 = 0x1b87_3593_8765_4321;

/// Features of token `i` (in sentence `s_idx`) that do not depend on the labels chosen so far.
fn static_features(d: &Prepared, s_idx: usize, i: usize, out: &mut Vec<u32>) {
    let s = &d.sents[s_idx];
    let caps = d.caps[s_idx];
    let t = &d.info[i];
    let at = |k: isize| {
        i.checked_add_signed(k)
            .filter(|&j| j >= s.start && j < s.end)
    };
    let (m2, m1, p1, p2) = (at(-2), at(-1), at(1), at(2));
    let lw = |j: Option<usize>, edge: u64| j.map_or(edge, |j| d.info[j].lower);
    let sh = |j: Option<usize>, edge: u64| j.map_or(edge, |j| d.info[j].shape);
    let (w_2, w_1, w1, w2) = (
        lw(m2, EDGE_L),
        lw(m1, EDGE_L),
        lw(p1, EDGE_R),
        lw(p2, EDGE_R),
    );
    let (s_2, s_1, s1, s2) = (
        sh(m2, EDGE_L),
        sh(m1, EDGE_L),
        sh(p1, EDGE_R),
        sh(p2, EDGE_R),
    );
    let gz = |j: Option<usize>| j.map_or(255, |j| u64::from(d.gaz[j]));
    let lx = |j: Option<usize>| j.map_or(1 << 12, |j| u64::from(d.lex[j]));
    let title = |j: Option<usize>| j.is_some_and(|j| d.lex[j] & LEX_TITLE != 0);

    out.push(T_BIAS.id(0));
    out.push(T_WORD.id(t.word));
    out.push(T_LOWER.id(t.lower));
    let (pre, suf, k) = affixes(tok_str(d.text, d.toks[i]));
    if k >= 2 {
        out.push(T_SUFFIX2.id(suf[1]));
    }
    if k >= 3 {
        out.push(T_PREFIX3.id(pre[2]));
        out.push(T_SUFFIX3.id(suf[2]));
    }
    if k >= 4 {
        out.push(T_PREFIX4.id(pre[3]));
        out.push(T_SUFFIX4.id(suf[3]));
    }
    out.push(T_SHAPE.id(t.shape));
    out.push(T_PREV_WORD.id(w_1));
    out.push(T_PREV2_WORD.id(w_2));
    out.push(T_NEXT_WORD.id(w1));
    out.push(T_NEXT2_WORD.id(w2));
    out.push(T_PREV_SHAPE.id(s_1));
    out.push(T_NEXT_SHAPE.id(s1));
    out.push(T_SHAPES3.id(mix(s_1) ^ mix(t.shape).rotate_left(17) ^ s1));
    out.push(T_PREV2_SHAPE.id(s_2));
    out.push(T_NEXT2_SHAPE.id(s2));
    out.push(T_PREV_WORD_WORD.id2(w_1, t.lower));
    out.push(T_WORD_NEXT_WORD.id2(t.lower, w1));
    out.push(T_PREV_WORD_SHAPE.id2(w_1, t.shape));
    out.push(T_NEXT_WORD_SHAPE.id2(w1, t.shape));
    out.push(T_NEXT_WORDS.id2(w1, w2));
    out.push(T_PREV_WORDS.id2(w_2, w_1));
    if i == s.start {
        out.push(T_FIRST_SHAPE.id(t.shape));
        out.push(T_FIRST_LOWER.id(t.lower));
    }
    if caps {
        out.push(T_CAPS_LOWER.id(t.lower));
        out.push(T_CAPS_SHAPES.id(s_1 ^ mix(s1)));
    }
    if t.flags & F_UPPER != 0 {
        let v = u64::from(d.lower_seen[i]) * 4 + u64::from(i == s.start) * 2 + u64::from(caps);
        out.push(T_LOWER_SEEN.id(v));
        let (before, after) = d.ctx[i];
        for bit in 0..LEX_BITS {
            if before >> bit & 1 == 1 {
                out.push(T_AROUND_PREV.id(bit));
            }
            if after >> bit & 1 == 1 {
                out.push(T_AROUND_NEXT.id(bit));
            }
        }
    }
    out.push(T_LEX.id2(lx(Some(i)), u64::from(t.flags & (F_INIT_UPPER | F_UPPER))));
    for bit in 0..LEX_BITS {
        if d.lex[i] >> bit & 1 == 1 {
            out.push(T_LEX_BIT.id(bit));
        }
    }
    out.push(T_PREV_LEX.id(lx(m1)));
    out.push(T_NEXT_LEX.id(lx(p1)));
    out.push(T_GAZ.id2(u64::from(caps), gz(Some(i))));
    out.push(T_PREV_GAZ.id(gz(m1)));
    out.push(T_NEXT_GAZ.id(gz(p1)));
    if title(m1) {
        out.push(T_TITLE_PREV.id(t.shape));
    }
    if title(m2) {
        out.push(T_TITLE_PREV2.id(s_1));
    }
}

// ---------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------

/// Where a decoder's scores come from, and what it does with each decision (training learns).
trait Scorer {
    fn score(&self, feats: &[u32], scores: &mut [f32; NL]);
    /// Called with every scored token's features and prediction; returns the label to keep.
    fn observe(&mut self, tok: usize, feats: &[u32], pred: u8) -> u8;
}

/// Greedy left-to-right decoding with label history and a memory of the labels given so far to
/// each word of the text. A token without capitals is O, unscored, unless a name is open before
/// it and it is not a comma, bracket, quote or dash.
fn decode<S: Scorer>(d: &Prepared, scorer: &mut S, labels: &mut Vec<u8>) {
    labels.clear();
    labels.resize(d.toks.len(), O);
    let mut memory: FastMap<u64, [u16; 4]> = FastMap::default();
    let mut feats: Vec<u32> = Vec::with_capacity(96);
    for (s_idx, s) in d.sents.iter().enumerate() {
        for i in s.clone() {
            let y1 = if i > s.start { labels[i - 1] } else { BOS };
            let y2 = if i > s.start + 1 { labels[i - 2] } else { BOS };
            let t = d.info[i];
            if t.flags & F_UPPER == 0 && (!is_open(y1) || t.flags & F_STOP != 0) {
                continue;
            }
            // A capitalised function word ("The", "But") that neither continues a name nor
            // comes before a capitalised word is O; the model agrees, at a fifth of its work.
            let next_upper = i + 1 < s.end && d.info[i + 1].flags & F_UPPER != 0;
            if t.flags & (F_INIT_UPPER | F_LOWER) == F_INIT_UPPER | F_LOWER
                && !is_open(y1)
                && !next_upper
                && function_words().contains_key(&t.lower)
            {
                continue;
            }
            feats.clear();
            static_features(d, s_idx, i, &mut feats);
            let (y1v, y2v) = (u64::from(y1), u64::from(y2));
            let prev_word = if i > s.start {
                d.info[i - 1].lower
            } else {
                EDGE_L
            };
            feats.push(T_Y1.id(y1v));
            feats.push(T_Y2.id2(y2v, y1v));
            feats.push(T_Y1_SHAPE.id2(y1v, t.shape));
            feats.push(T_Y1_LOWER.id2(y1v, t.lower));
            feats.push(T_Y1_PREV_WORD.id2(y1v, prev_word));
            if t.flags & F_UPPER != 0 {
                let seen = memory.get(&t.lower).map_or(0, |c| {
                    let (k, n) = c
                        .iter()
                        .enumerate()
                        .max_by_key(|&(k, n)| (*n, 4 - k))
                        .unwrap_or((0, &0));
                    if *n > 0 { k as u64 + 1 } else { 0 }
                });
                feats.push(T_MEMORY.id2(seen, u64::from(t.flags & F_INIT_UPPER)));
            }
            let mut scores = [0f32; NL];
            scorer.score(&feats, &mut scores);
            let mut best = O;
            let mut best_score = f32::NEG_INFINITY;
            for (y, &sc) in scores.iter().enumerate() {
                let y = y as u8;
                if allowed(y1, y) && sc > best_score {
                    best = y;
                    best_score = sc;
                }
            }
            let y = scorer.observe(i, &feats, best);
            labels[i] = y;
            if y != O && t.flags & F_UPPER != 0 {
                memory.entry(t.lower).or_default()[kind_of(y)] += 1;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------

const MAGIC: &[u8; 8] = b"NDXNER\x02\x00";

/// Features per bucket of the weight table.
const BUCKET: usize = 14;

/// A bucket of the weight table: the 16-bit fingerprints of up to 14 feature ids (0 = unused)
/// in lanes 0–13, and where their weight rows start, a `u32` in lanes 14 and 15. 32 bytes, so
/// one load brings the whole bucket and the bucket array of a CoNLL-sized model fits in a
/// core's L2 cache. Two vectors of 8 lanes: the fingerprint is compared with all of them at
/// once, two compares and two mask moves; from 14 separate lanes the compiler built the mask
/// lane by lane, about 28 instructions a lookup, and the tagger makes some forty lookups for
/// each capitalised word.
#[derive(Clone, Copy, Default)]
#[repr(C, align(32))]
struct Bucket([u16x8; 2]);

impl Bucket {
    fn base(&self) -> u32 {
        let hi = self.0[1].as_array();
        u32::from(hi[BUCKET - 8]) | u32::from(hi[BUCKET - 7]) << 16
    }

    fn set_base(&mut self, base: u32) {
        let hi = self.0[1].as_mut_array();
        hi[BUCKET - 8] = base as u16;
        hi[BUCKET - 7] = (base >> 16) as u16;
    }

    fn set_fingerprint(&mut self, lane: usize, fp: u16) {
        self.0[lane / 8].as_mut_array()[lane % 8] = fp;
    }
}

/// The trained model.
pub struct Model {
    /// Bucketed hash table of feature ids: feature `f` lives in bucket `f & mask`, known there
    /// by `fingerprint(f)`. Lookups are branch-free, so the loads of many features overlap.
    /// (An absent feature matches a stored one with probability ~1/20000; harmless noise.)
    buckets: Vec<Bucket>,
    /// Quantised weight rows, grouped by bucket, then one row of zeros for absent features.
    rows: Vec<[i16; NL]>,
    /// The full ids of the features, in row order (for `save`).
    keys: Vec<u32>,
    /// What the training data says about words.
    lexicon: Lexicon,
}

#[inline]
fn fingerprint(f: u32) -> u16 {
    match (f >> 16) as u16 {
        0 => 1,
        x => x,
    }
}

impl Model {
    /// Row of feature `f`, or the zero row.
    #[inline]
    fn row(&self, f: u32) -> usize {
        let fp = fingerprint(f);
        let b = &self.buckets[f as usize & (self.buckets.len() - 1)];
        // A bit mask of the matching lanes, computed without branches.
        let fps = u16x8::splat(fp);
        let m = b.0[0].simd_eq(fps).to_bitmask() | b.0[1].simd_eq(fps).to_bitmask() << 8;
        // The base's lanes may equal the fingerprint by chance.
        let m = m & ((1 << BUCKET) - 1);
        let hit = b.base() as usize + m.trailing_zeros() as usize;
        std::hint::select_unpredictable(m == 0, self.rows.len() - 1, hit)
    }
}

impl Scorer for &Model {
    #[inline]
    fn score(&self, feats: &[u32], scores: &mut [f32; NL]) {
        // Integer sums are exact, and at most ~100 × 32767 they fit i32 (and f32) easily.
        let mut sum = [0i32; NL];
        // Rows are found first and added after: the bucket loads of all features are then
        // independent of the sums and overlap, instead of each waiting behind the last add.
        let mut rows = [0u32; 32];
        for chunk in feats.chunks(rows.len()) {
            for (r, &f) in rows.iter_mut().zip(chunk) {
                *r = self.row(f) as u32;
            }
            for &r in &rows[..chunk.len()] {
                if let Some(row) = self.rows.get(r as usize) {
                    for (s, &w) in sum.iter_mut().zip(row) {
                        *s += i32::from(w);
                    }
                }
            }
        }
        for (s, x) in scores.iter_mut().zip(sum) {
            *s = x as f32;
        }
    }

    fn observe(&mut self, _tok: usize, _feats: &[u32], pred: u8) -> u8 {
        pred
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(bytes: &[u8], pos: &mut usize) -> Result<u64, String> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*pos).ok_or("model truncated")?;
        *pos += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Ok(v);
        }
    }
    Err("bad varint in model".into())
}

/// Reads `n` sorted keys written as varint deltas.
fn get_keys(raw: &[u8], pos: &mut usize, n: usize) -> Result<Vec<u32>, String> {
    let mut keys = Vec::with_capacity(n.min(1 << 20));
    let mut key = 0u64;
    for _ in 0..n {
        key += get_varint(raw, pos)?;
        match u32::try_from(key) {
            Ok(k) if k != 0 => keys.push(k),
            _ => return Err("bad key in model".into()),
        }
    }
    Ok(keys)
}

fn put_keys(raw: &mut Vec<u8>, keys: impl Iterator<Item = u32>) {
    let mut prev = 0u32;
    for k in keys {
        put_varint(raw, u64::from(k - prev));
        prev = k;
    }
}

impl Model {
    fn new(mut entries: Vec<(u32, [i16; NL])>, lexicon: Lexicon) -> Model {
        entries.sort_unstable_by_key(|r| r.0);
        entries.dedup_by_key(|r| r.0);
        // About three features a bucket; a table where some bucket overflows doubles.
        let mut size = (entries.len() / 3 + 1).next_power_of_two();
        let count = loop {
            let mut count = vec![0usize; size];
            for &(key, _) in &entries {
                count[key as usize & (size - 1)] += 1;
            }
            if count.iter().all(|&c| c <= BUCKET) {
                break count;
            }
            size *= 2;
        };
        let mut buckets = vec![Bucket::default(); size];
        let mut base = 0u32;
        for (bucket, &c) in buckets.iter_mut().zip(&count) {
            bucket.set_base(base);
            base += c as u32;
        }
        let mut fill = vec![0usize; size];
        let mut rows = vec![[0i16; NL]; entries.len() + 1];
        let mut keys = vec![0u32; entries.len()];
        for &(key, w) in &entries {
            let b = key as usize & (size - 1);
            let bucket = &mut buckets[b];
            let r = bucket.base() as usize + fill[b];
            bucket.set_fingerprint(fill[b], fingerprint(key));
            rows[r] = w;
            keys[r] = key;
            fill[b] += 1;
        }
        Model {
            buckets,
            rows,
            keys,
            lexicon,
        }
    }

    /// Decodes a model saved with `save`.
    pub fn load(bytes: &[u8]) -> Result<Model, String> {
        let mut raw = Vec::new();
        GzDecoder::new(bytes)
            .take(1 << 28)
            .read_to_end(&mut raw)
            .map_err(|e| format!("model is not gzip: {e}"))?;
        if raw.get(..MAGIC.len()) != Some(&MAGIC[..]) {
            return Err("not a newsdex NER model of this version (bad magic)".into());
        }
        let mut pos = MAGIC.len();
        let count = |raw: &[u8], pos: &mut usize| -> Result<usize, String> {
            usize::try_from(get_varint(raw, pos)?)
                .ok()
                .filter(|&n| n <= raw.len())
                .ok_or_else(|| "bad count".into())
        };
        // Weights: keys (deltas), then per feature the mask of non-zero labels, then those
        // weights (zigzag varints).
        let n = count(&raw, &mut pos)?;
        let keys = get_keys(&raw, &mut pos, n)?;
        let mut masks = Vec::with_capacity(n.min(1 << 20));
        for _ in 0..n {
            masks.push(get_varint(&raw, &mut pos)?);
        }
        let mut rows = Vec::with_capacity(n.min(1 << 20));
        for (k, m) in keys.into_iter().zip(masks) {
            let mut w = [0i16; NL];
            for (l, x) in w.iter_mut().enumerate() {
                if m >> l & 1 == 1 {
                    let z = get_varint(&raw, &mut pos)?;
                    let v = (z >> 1) as i64 ^ -((z & 1) as i64);
                    *x = i16::try_from(v).map_err(|_| "weight out of range")?;
                }
            }
            rows.push((k, w));
        }
        // Lexicon: keys (deltas), then the bits of each (varints).
        let n = count(&raw, &mut pos)?;
        let keys = get_keys(&raw, &mut pos, n)?;
        let mut pairs = Vec::with_capacity(n.min(1 << 20));
        for k in keys {
            let v = u16::try_from(get_varint(&raw, &mut pos)?).map_err(|_| "bad lexicon entry")?;
            pairs.push((k, v));
        }
        if pos != raw.len() {
            return Err("trailing bytes in model".into());
        }
        Ok(Model::new(rows, Lexicon::from_pairs(pairs)))
    }

    /// Encodes the model (compressed).
    pub fn save(&self) -> Vec<u8> {
        let mut entries: Vec<(u32, &[i16; NL])> =
            self.keys.iter().copied().zip(&self.rows).collect();
        entries.sort_unstable_by_key(|e| e.0);
        let mut raw = MAGIC.to_vec();
        put_varint(&mut raw, entries.len() as u64);
        put_keys(&mut raw, entries.iter().map(|e| e.0));
        for (_, w) in &entries {
            let mask = w
                .iter()
                .enumerate()
                .filter(|(_, x)| **x != 0)
                .fold(0u64, |m, (l, _)| m | 1 << l);
            put_varint(&mut raw, mask);
        }
        for (_, w) in &entries {
            for &x in w.iter().filter(|x| **x != 0) {
                let x = i64::from(x);
                put_varint(&mut raw, ((x << 1) ^ (x >> 63)) as u64);
            }
        }
        let lex = self.lexicon.pairs();
        put_varint(&mut raw, lex.len() as u64);
        put_keys(&mut raw, lex.iter().map(|p| p.0));
        for (_, v) in &lex {
            put_varint(&mut raw, u64::from(*v));
        }
        let mut enc = GzEncoder::new(Vec::new(), Compression::best());
        // Writing into a Vec cannot fail.
        let _ = enc.write_all(&raw);
        enc.finish().unwrap_or_default()
    }

    /// Tags a text: every entity with its kind and byte span. Deterministic, linear time, never panics.
    pub fn tag(&self, text: &str) -> Vec<Entity> {
        let d = prepare(text, &self.lexicon);
        let mut labels = Vec::new();
        decode(&d, &mut &*self, &mut labels);
        let mut out = Vec::new();
        for s in &d.sents {
            collect_entities(&d.toks, &labels, s.clone(), &mut out);
        }
        out
    }
}

/// Whether the training data knows `word`, but never as part of a person's name: as a common
/// word (written in lowercase) or inside names of organisations, places or other things.
pub fn never_in_person_names(word: &str) -> bool {
    let bits = model().lexicon.get(tok_info(word).lower);
    let elsewhere = LEX_LOWER | (LEX_PER << 1) | (LEX_PER << 2) | (LEX_PER << 3);
    bits & elsewhere != 0 && bits & (LEX_PER | LEX_PER_FIRST | LEX_PER_LAST) == 0
}

static MODEL_BYTES: &[u8] = include_bytes!("../../data/ner.model.gz");

/// The compiled-in model, decoded on first use (std::sync::OnceLock).
pub fn model() -> &'static Model {
    static M: OnceLock<Model> = OnceLock::new();
    // The shipped bytes are tested to load; a build without them tags nothing rather than panic.
    M.get_or_init(|| {
        Model::load(MODEL_BYTES).unwrap_or_else(|_| Model::new(Vec::new(), Lexicon::default()))
    })
}

// ---------------------------------------------------------------------------------------------
// Training
// ---------------------------------------------------------------------------------------------

/// One CoNLL document as the scorer builds it: tokens joined by spaces, sentences by "\n".
struct ConllDoc {
    text: String,
    gold: Vec<Entity>,
}

fn parse_conll(conll: &str) -> Vec<ConllDoc> {
    // Documents → sentences → (word, tag).
    type Sentence<'a> = Vec<(&'a str, &'a str)>;
    fn close<'a>(docs: &mut Vec<Vec<Sentence<'a>>>, sent: &mut Sentence<'a>) {
        if !sent.is_empty() {
            if docs.is_empty() {
                docs.push(Vec::new());
            }
            if let Some(d) = docs.last_mut() {
                d.push(std::mem::take(sent));
            }
        }
    }
    let mut docs: Vec<Vec<Sentence>> = Vec::new();
    let mut sent: Sentence = Vec::new();
    for line in conll.lines() {
        let mut parts = line.split_whitespace();
        match (parts.next(), parts.next_back()) {
            (Some("-DOCSTART-"), _) => {
                close(&mut docs, &mut sent);
                docs.push(Vec::new());
            }
            (Some(w), Some(tag)) => sent.push((w, tag)),
            (Some(w), None) => sent.push((w, "O")),
            (None, _) => close(&mut docs, &mut sent),
        }
    }
    close(&mut docs, &mut sent);
    let mut out = Vec::new();
    for sents in docs.into_iter().filter(|d| !d.is_empty()) {
        let mut text = String::new();
        let mut gold = Vec::new();
        for (si, s) in sents.iter().enumerate() {
            if si > 0 {
                text.push('\n');
            }
            let mut cur: Option<Entity> = None;
            for (ti, (w, tag)) in s.iter().enumerate() {
                if ti > 0 {
                    text.push(' ');
                }
                let start = text.len();
                text.push_str(w);
                let end = text.len();
                let (bio, typ) = tag.split_once('-').unwrap_or((tag, ""));
                match (bio, EntityKind::from_conll(typ), &mut cur) {
                    ("I", Some(k), Some(c)) if c.kind == k => c.end = end,
                    ("B" | "I", Some(k), _) => {
                        gold.extend(cur.take());
                        cur = Some(Entity {
                            kind: k,
                            start,
                            end,
                        });
                    }
                    _ => gold.extend(cur.take()),
                }
            }
            gold.extend(cur.take());
        }
        out.push(ConllDoc { text, gold });
    }
    out
}

/// CoNLL-2003 documents as newsdex's scorer builds them: each document's tokens joined by
/// spaces and sentences by "\n", with its gold entities (byte spans in that text).
pub fn conll_documents(conll: &str) -> Vec<(String, Vec<Entity>)> {
    parse_conll(conll)
        .into_iter()
        .map(|d| (d.text, d.gold))
        .collect()
}

/// Gold labels of a tokenised document: the tokens inside each gold span.
fn gold_labels(toks: &[Tok], gold: &[Entity]) -> Vec<u8> {
    let mut labels = vec![O; toks.len()];
    let mut sorted: Vec<&Entity> = gold.iter().collect();
    sorted.sort_by_key(|e| e.start);
    let mut i = 0;
    for e in sorted {
        while i < toks.len() && toks[i].start < e.start {
            i += 1;
        }
        let mut j = i;
        while j < toks.len() && toks[j].end <= e.end {
            labels[j] = label(if j == i { BEGIN } else { INSIDE }, e.kind.index());
            j += 1;
        }
    }
    labels
}

/// Perceptron weights with the bookkeeping for averaging.
struct Trainer {
    index: FastMap<u32, u32>,
    w: Vec<f32>,
    total: Vec<f64>,
    stamp: Vec<u64>,
    time: u64,
    gold: Vec<u8>,
}

impl Trainer {
    fn bump(&mut self, f: u32, y: u8, delta: f32) {
        let n = self.index.len() as u32;
        let row = *self.index.entry(f).or_insert(n) as usize;
        if (row + 1) * NL > self.w.len() {
            self.w.resize((row + 1) * NL, 0.0);
            self.total.resize((row + 1) * NL, 0.0);
            self.stamp.resize((row + 1) * NL, 0);
        }
        let p = row * NL + usize::from(y);
        self.total[p] += (self.time - self.stamp[p]) as f64 * f64::from(self.w[p]);
        self.stamp[p] = self.time;
        self.w[p] += delta;
    }

    /// The averaged weights, quantised to i16 (the largest magnitude becomes 32767).
    fn averaged(&self, lexicon: &Lexicon) -> Model {
        let time = self.time.max(1) as f64;
        let avg: Vec<f64> = self
            .total
            .iter()
            .zip(&self.w)
            .zip(&self.stamp)
            .map(|((t, w), s)| (t + (self.time - s) as f64 * f64::from(*w)) / time)
            .collect();
        let max = avg.iter().fold(0f64, |m, x| m.max(x.abs())).max(1e-9);
        let scale = 32767.0 / max;
        let mut rows = Vec::with_capacity(self.index.len());
        for (&f, &row) in &self.index {
            let mut w = [0i16; NL];
            for (l, x) in w.iter_mut().enumerate() {
                *x = (avg[row as usize * NL + l] * scale).round() as i16;
            }
            // Whole rows only (dropping single small weights changes which label wins); rows of
            // rare features with tiny weights cost lookups and bytes and change nothing.
            if w.iter().any(|&x| x.abs() >= PRUNE) {
                rows.push((f, w));
            }
        }
        Model::new(rows, lexicon.clone())
    }
}

impl Scorer for Trainer {
    fn score(&self, feats: &[u32], scores: &mut [f32; NL]) {
        for f in feats {
            if let Some(&row) = self.index.get(f) {
                let r = row as usize * NL;
                for (s, w) in scores.iter_mut().zip(&self.w[r..r + NL]) {
                    *s += w;
                }
            }
        }
    }

    fn observe(&mut self, tok: usize, feats: &[u32], pred: u8) -> u8 {
        self.time += 1;
        let gold = self.gold[tok];
        if pred != gold {
            for &f in feats {
                self.bump(f, gold, 1.0);
                self.bump(f, pred, -1.0);
            }
        }
        pred
    }
}

/// Folds for the training lexicon: each training document sees the lexicon of the others.
const FOLDS: usize = 5;

/// Trains on CoNLL-2003 text (`word POS chunk NER` lines, IOB tags, -DOCSTART- lines, blank lines between sentences). Deterministic.
pub fn train(conll: &str, epochs: usize) -> Model {
    train_monitored(conll, epochs, |_, _| {})
}

/// As [`train`], calling `on_epoch(epoch, model)` with the averaged model after every epoch
/// (to report a development score).
pub fn train_monitored(
    conll: &str,
    epochs: usize,
    mut on_epoch: impl FnMut(usize, &Model),
) -> Model {
    let docs = parse_conll(conll);
    // A training document must not find its own names in the lexicon, or the model would learn
    // to trust the lexicon more than unseen text allows.
    let full = Lexicon::build(docs.iter());
    let folds: Vec<Lexicon> = (0..FOLDS)
        .map(|f| {
            Lexicon::build(
                docs.iter()
                    .enumerate()
                    .filter(|(i, _)| i % FOLDS != f)
                    .map(|(_, d)| d),
            )
        })
        .collect();
    let prepared: Vec<(Prepared, Vec<u8>)> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let p = prepare(&d.text, &folds[i % FOLDS]);
            let g = gold_labels(&p.toks, &d.gold);
            (p, g)
        })
        .collect();
    let mut t = Trainer {
        index: FastMap::default(),
        w: Vec::new(),
        total: Vec::new(),
        stamp: Vec::new(),
        time: 0,
        gold: Vec::new(),
    };
    let mut order: Vec<usize> = (0..prepared.len()).collect();
    let mut rng = SEED;
    let mut labels = Vec::new();
    let mut model = Model::new(Vec::new(), full.clone());
    for epoch in 1..=epochs {
        // Fisher–Yates with a fixed-seed generator: the same data always gives the same model.
        for i in (1..order.len()).rev() {
            rng = mix(rng.wrapping_add(0x9e37_79b9_7f4a_7c15));
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        for &k in &order {
            let (p, g) = &prepared[k];
            t.gold.clone_from(g);
            decode(p, &mut t, &mut labels);
        }
        model = t.averaged(&full);
        on_epoch(epoch, &model);
    }
    model
}

/// Training epochs of the shipped model (`train_ner`'s default).
pub const EPOCHS: usize = 12;

/// Seed of the shuffling of training documents.
const SEED: u64 = 0x2545_f491_4f6c_dd1d;

/// A feature is kept when one of its quantised weights reaches this (of 32767). At 70 half of
/// the features go (23.6k stay, CoNLL dev person F1 0.948 against 0.950 at 30), and the
/// model's tables shrink from 1.9 to 0.7 MB, near a core's L2 cache: its lookups are what the
/// tagger waits on, and it tags BBC in a quarter less time.
const PRUNE: i16 = 70;

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

/// Exact-span counts for one entity kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpanCounts {
    /// The kind counted.
    pub kind: EntityKind,
    /// Gold spans.
    pub gold: usize,
    /// Predicted spans.
    pub predicted: usize,
    /// Predicted spans equal to a gold span.
    pub correct: usize,
}

impl SpanCounts {
    /// Correct / predicted.
    pub fn precision(&self) -> f64 {
        if self.predicted == 0 {
            0.0
        } else {
            self.correct as f64 / self.predicted as f64
        }
    }

    /// Correct / gold.
    pub fn recall(&self) -> f64 {
        if self.gold == 0 {
            0.0
        } else {
            self.correct as f64 / self.gold as f64
        }
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// Scores `model` on CoNLL-2003 text as newsdex's scorer does: each document's tokens joined by
/// spaces and sentences by "\n", tagged with [`Model::tag`], exact byte spans compared per kind.
pub fn evaluate(model: &Model, conll: &str) -> [SpanCounts; 4] {
    use std::collections::HashSet;
    let mut counts = EntityKind::ALL.map(|kind| SpanCounts {
        kind,
        gold: 0,
        predicted: 0,
        correct: 0,
    });
    for doc in parse_conll(conll) {
        let pred = model.tag(&doc.text);
        for c in &mut counts {
            let spans = |v: &[Entity]| -> HashSet<(usize, usize)> {
                v.iter()
                    .filter(|e| e.kind == c.kind)
                    .map(|e| (e.start, e.end))
                    .collect()
            };
            let (g, p) = (spans(&doc.gold), spans(&pred));
            c.gold += g.len();
            c.predicted += p.len();
            c.correct += g.intersection(&p).count();
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text)
            .iter()
            .map(|&t| &text[t.start..t.end])
            .collect()
    }

    /// Records which tokens the decoder asks about, and answers O to each.
    struct Recorder(Vec<usize>);

    impl Scorer for Recorder {
        fn score(&self, _feats: &[u32], scores: &mut [f32; NL]) {
            scores.fill(0.0);
            scores[usize::from(O)] = 1.0;
        }
        fn observe(&mut self, tok: usize, _feats: &[u32], pred: u8) -> u8 {
            self.0.push(tok);
            pred
        }
    }

    #[test]
    fn capitalised_function_words_outside_names_are_not_scored() {
        let cases: &[(&str, &[&str])] = &[
            // Opening a sentence before lowercase words or punctuation: not asked.
            ("The minister said. Meanwhile, prices rose.", &[]),
            ("But he left.", &[]),
            // Before a capitalised word it may open a name ("The Hague", "In Kabul").
            ("The Hague ruled.", &["The", "Hague"]),
            ("But Smith left.", &["But", "Smith"]),
            // All capitals ("IT", "WHO") and other words are always asked.
            ("THE talks ended.", &["THE"]),
            ("Police said so.", &["Police"]),
        ];
        let lexicon = Lexicon::default();
        for (text, asked) in cases {
            let d = prepare(text, &lexicon);
            let mut rec = Recorder(Vec::new());
            let mut labels = Vec::new();
            decode(&d, &mut rec, &mut labels);
            let got: Vec<&str> = rec.0.iter().map(|&i| tok_str(text, d.toks[i])).collect();
            assert_eq!(&got, asked, "{text}");
        }
    }

    #[test]
    fn tokenizes_like_conll() {
        let cases: &[(&str, &[&str])] = &[
            ("Asif's warning", &["Asif", "'s", "warning"]),
            ("Asif\u{2019}s warning", &["Asif", "\u{2019}s", "warning"]),
            ("Asif 's warning", &["Asif", "'s", "warning"]),
            ("THE TALIBAN'S LEADER", &["THE", "TALIBAN", "'S", "LEADER"]),
            ("they're and we'll", &["they", "'re", "and", "we", "'ll"]),
            ("don't", &["do", "n't"]),
            ("do n't", &["do", "n't"]),
            ("O'Neill and d'Estaing", &["O'Neill", "and", "d'Estaing"]),
            ("the Joneses' house", &["the", "Joneses", "'", "house"]),
            ("U.S. officials said .", &["U.S.", "officials", "said", "."]),
            ("Mr. Smith said.", &["Mr.", "Smith", "said", "."]),
            ("J. Adams 123", &["J.", "Adams", "123"]),
            (
                "on Jan. 5 at 10:30 a.m. today",
                &["on", "Jan.", "5", "at", "10:30", "a.m.", "today"],
            ),
            (
                "rose 3.5 percent to .531",
                &["rose", "3.5", "percent", "to", ".531"],
            ),
            (
                "costs \u{a3}1,400 (about $1.8bn)",
                &["costs", "\u{a3}", "1,400", "(", "about", "$", "1.8bn", ")"],
            ),
            (
                "\u{201c}We will,\u{201d} he said.",
                &["\u{201c}", "We", "will", ",", "\u{201d}", "he", "said", "."],
            ),
            (
                "cross-border al-Qaeda U.S.-led",
                &["cross-border", "al-Qaeda", "U.S.-led"],
            ),
            (
                "Pakistan\u{2014}Afghanistan \u{2013} talks",
                &["Pakistan", "\u{2014}", "Afghanistan", "\u{2013}", "talks"],
            ),
            (
                "SOCCER - JAPAN -- 1996-08-22",
                &["SOCCER", "-", "JAPAN", "--", "1996-08-22"],
            ),
            ("wait... what?!", &["wait", "...", "what", "?", "!"]),
            ("S&P and AT&T", &["S&P", "and", "AT&T"]),
            ("(Reuters) -", &["(", "Reuters", ")", "-"]),
        ];
        for (text, want) in cases {
            assert_eq!(&words(text), want, "{text:?}");
        }
    }

    fn sentence_texts(text: &str) -> Vec<&str> {
        let toks = tokenize(text);
        sentences(text, &toks)
            .into_iter()
            .map(|r| &text[toks[r.start].start..toks[r.end - 1].end])
            .collect()
    }

    #[test]
    fn splits_sentences() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Mr. Smith went to Washington. He said hi.",
                &["Mr. Smith went to Washington.", "He said hi."],
            ),
            (
                "U.S. officials said . They left .",
                &["U.S. officials said .", "They left ."],
            ),
            (
                "He met J. Smith on Jan. 5. It rained!",
                &["He met J. Smith on Jan. 5.", "It rained!"],
            ),
            (
                "He lives in the U.S. The weather is fine.",
                &["He lives in the U.S.", "The weather is fine."],
            ),
            ("the U.S. Army said", &["the U.S. Army said"]),
            (
                "\u{201c}Why?\u{201d} he asked. Then he left.",
                &["\u{201c}Why?\u{201d} he asked.", "Then he left."],
            ),
            (
                "He said: \"Go home.\" They did.",
                &["He said: \"Go home.\"", "They did."],
            ),
            (
                "Headline without stop\nBody starts here",
                &["Headline without stop", "Body starts here"],
            ),
            (
                "1. Michael Johnson ( U.S. ) 19.32",
                &["1. Michael Johnson ( U.S. ) 19.32"],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(&sentence_texts(text), want, "{text:?}");
        }
    }

    fn spans(text: &str, kind: EntityKind) -> Vec<&str> {
        model()
            .tag(text)
            .into_iter()
            .filter(|e| e.kind == kind)
            .map(|e| &text[e.start..e.end])
            .collect()
    }

    #[test]
    fn shipped_model_loads() {
        assert!(Model::load(MODEL_BYTES).is_ok());
        assert!(Model::load(b"not a model").is_err());
        assert!(Model::load(&[]).is_err());
    }

    #[test]
    fn finds_people_in_real_sentences() {
        use EntityKind::{Organisation, Person};
        let text = "Defence Minister Khawaja Asif issued a blunt warning to the Afghan Taliban.";
        assert_eq!(spans(text, Person), ["Khawaja Asif"]);
        let text =
            "It would mean paid leave would be increased, Ms Hewitt told GMTV's Sunday programme.";
        assert_eq!(spans(text, Person), ["Hewitt"]);
        let text = "The Shadow Secretary of State for the Family, Theresa May, said";
        assert_eq!(spans(text, Person), ["Theresa May"]);
        let text = "On Monday the Foreign Office said.";
        assert!(spans(text, Person).is_empty());
        assert_eq!(spans(text, Organisation), ["Foreign Office"]);
        let text = "Khawaja Asif's warning came a day after Asif\u{2019}s visit.";
        assert_eq!(spans(text, Person), ["Khawaja Asif", "Asif"]);
    }

    #[test]
    fn finds_organisations() {
        let text =
            "But David Frost, director general of the British Chambers of Commerce, warned that...";
        assert_eq!(spans(text, EntityKind::Person), ["David Frost"]);
        // The CoNLL-trained model reads "British" as a nationality (MISC) and the rest as the
        // organisation; the full span is the known miss.
        let orgs = spans(text, EntityKind::Organisation);
        assert!(
            orgs.iter().any(|o| o.ends_with("Chambers of Commerce")),
            "{orgs:?}"
        );
    }

    #[test]
    fn tags_conll_style_text() {
        let text = "Peter Blackburn\nBRUSSELS 1996-08-22\nThe European Commission said on Thursday it disagreed .";
        let got: Vec<(EntityKind, &str)> = model()
            .tag(text)
            .iter()
            .map(|e| (e.kind, &text[e.start..e.end]))
            .collect();
        assert!(
            got.contains(&(EntityKind::Person, "Peter Blackburn")),
            "{got:?}"
        );
        assert!(
            got.contains(&(EntityKind::Organisation, "European Commission")),
            "{got:?}"
        );
    }

    #[test]
    fn never_panics_and_spans_are_char_boundaries() {
        let long_line =
            "Mr. Smith met Ms Jones of Acme Corp in Paris, \u{201c}quietly\u{201d} \u{2014} "
                .repeat(14_000);
        let long_word = "a".repeat(100_000);
        let odd: Vec<&str> = vec![
            "",
            " ",
            "\n\n\n",
            ".",
            "....",
            "'''",
            "'s",
            "n't",
            "-- --",
            "?!?!",
            "\u{1F600}",
            "\u{1F44D}\u{1F3FD} Great",
            "e\u{301}t\u{e9} Jos\u{e9} Mu\u{301}jica",
            "\u{200D}\u{200D}",
            "\u{FEFF}Hello",
            "A\u{0}B",
            "\u{c9}TATS-UNIS",
            "\u{41f}\u{443}\u{442}\u{438}\u{43d} met Xi",
            "\u{6771}\u{4eac} Tokyo",
            "U.S..",
            "Mr.",
            "''s's",
            "\u{2019}\u{2019}s",
            "a.b.c.d.e.f.",
            "1,2,3,4,",
            &long_line,
            &long_word,
        ];
        for text in odd {
            let toks = tokenize(text);
            let mut last = 0;
            for t in &toks {
                assert!(last <= t.start && t.start < t.end && t.end <= text.len());
                assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
                last = t.end;
            }
            let sents = sentences(text, &toks);
            assert_eq!(
                sents.iter().map(ExactSizeIterator::len).sum::<usize>(),
                toks.len()
            );
            let mut last = 0;
            for e in model().tag(text) {
                assert!(
                    last <= e.start && e.start < e.end && e.end <= text.len(),
                    "{e:?}"
                );
                assert!(text.is_char_boundary(e.start) && text.is_char_boundary(e.end));
                last = e.end;
            }
        }
        assert!(spans(&long_line, EntityKind::Person).len() > 1000);
    }

    #[test]
    fn save_and_load_round_trip() {
        let m = model();
        let bytes = m.save();
        let back = Model::load(&bytes).expect("round trip");
        assert_eq!(back.save(), bytes);
        let text = "Defence Minister Khawaja Asif met Nawaz Sharif in Islamabad on Monday.";
        assert_eq!(back.tag(text), m.tag(text));
    }

    #[test]
    fn ascii_fast_path_matches_general_path() {
        for s in [
            "Asif",
            "U.S.",
            "1996-08-22",
            "McDONALD'S",
            "x",
            "--",
            "3.5",
            "a,b",
            "CamelCase99",
        ] {
            let (a, b) = (tok_info_ascii(s.as_bytes()), tok_info_general(s));
            assert_eq!(
                (a.word, a.lower, a.shape, a.flags),
                (b.word, b.lower, b.shape, b.flags),
                "{s}"
            );
        }
    }

    #[test]
    fn word_lists_are_sorted_for_binary_search() {
        for list in [ABBREVIATIONS, NEVER_FINAL, STARTERS] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
        }
    }

    const TINY: &str = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP B-MISC\n\
        call NN I-NP O\n. . O O\n\nPeter NNP B-NP B-PER\nBlackburn NNP I-NP I-PER\n\n-DOCSTART- -X- -X- O\n\n\
        John NNP B-NP B-PER\nSmith NNP I-NP I-PER\nvisited VBD B-VP O\nParis NNP B-NP B-LOC\n. . O O\n";

    #[test]
    fn reads_conll_as_the_scorer_does() {
        let docs = conll_documents(TINY);
        assert_eq!(docs.len(), 2);
        let (text, gold) = &docs[0];
        assert_eq!(text, "EU rejects German call .\nPeter Blackburn");
        let got: Vec<(EntityKind, &str)> = gold
            .iter()
            .map(|e| (e.kind, &text[e.start..e.end]))
            .collect();
        assert_eq!(
            got,
            [
                (EntityKind::Organisation, "EU"),
                (EntityKind::Misc, "German"),
                (EntityKind::Person, "Peter Blackburn")
            ]
        );
    }

    #[test]
    fn training_is_deterministic_and_learns() {
        let a = train(TINY, 3);
        let b = train(TINY, 3);
        assert_eq!(a.save(), b.save());
        let counts = evaluate(&a, TINY);
        assert_eq!(counts[0].kind, EntityKind::Person);
        assert_eq!(counts[0].gold, 2);
        assert!(counts[0].correct >= 1, "{counts:?}");
    }
}
