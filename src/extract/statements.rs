//! Statements: an article body and its actors in, the direct quotes and reported speech it holds
//! out ("Asif warned that …", "“We will act,” he said"), each attributed to a speaker as a reader
//! would ("he" → the person in focus, "the minister" → the person with that role). One token
//! array per article and byte scanning, no regexes; a speaker it cannot resolve stays `None`.

use super::text::char_at;
use super::{Actor, ActorKind, Span, Statement};

use Form as F;
use Lemma as L;
use Need as N;

/// Finds the statements in `body`, in body order, attributing each to one of `actors` (whose
/// spans map a mention to its canonical name) or, failing that, to a name written next to the
/// cue. Pure and linear in the body; every span lies on char boundaries inside `body`.
pub fn find(body: &str, actors: &[Actor]) -> Vec<Statement> {
    if body.is_empty() {
        return Vec::new();
    }
    let mut cx = Cx::new(body, actors);
    cx.run();
    cx.finish()
}

// ---------------------------------------------------------------- tokens

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum K {
    Word,
    /// One or more line breaks: a paragraph ends.
    Break,
    QOpen,
    QClose,
    /// A straight `"` (or `''`) not yet known to open or close.
    QAmb,
    /// `.`, `!`, `?`, `…` (runs merged).
    Stop,
    Comma,
    Colon,
    Semi,
    Dash,
    Open,
    Close,
    Other,
}

#[derive(Clone, Copy, Debug)]
struct Tok {
    s: usize,
    e: usize,
    k: K,
    /// 1 + index of the quote whose content holds this token, 0 outside quotes.
    q: u32,
    /// The cue starting at this token, if any.
    cue: Option<Cue>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Form {
    Base,
    S,
    Past,
    Ing,
}

/// How much evidence a cue needs before it is taken as a verb of saying.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Need {
    /// Content may follow directly ("said he would").
    Direct,
    /// Needs "that", ":" or a quote after it, or a trailing attribution shape: the word is
    /// often not about speech ("added 3 points", "wrote a book", "the report").
    That,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Lemma {
    Say,
    Tell,
    Ask,
    Urge,
    Warn,
    Accuse,
    CallOn,
    CallFor,
    /// "called X “…”": a verb of saying only before quoted words.
    Call,
    Accord,
    Other,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Cue {
    lemma: Lemma,
    form: Form,
    need: Need,
    /// Tokens the cue spans ("according to", "called on": 2).
    len: u8,
    /// "was asked", "Asked whether …,": the subject is the one addressed, not the speaker.
    passive: bool,
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | 0x0b | 0x0c)
}

fn is_letter_at(body: &str, i: usize) -> bool {
    let b = body.as_bytes();
    match b.get(i) {
        Some(c) if c.is_ascii() => c.is_ascii_alphanumeric(),
        Some(_) => char_at(body, i).is_some_and(char::is_alphanumeric),
        None => false,
    }
}

/// End of the word starting at `i`: letters and digits, with inner apostrophes ("Pakistan’s"),
/// hyphens, initialism dots ("U.S") and digit separators ("10,000", "3.5").
fn word_end(body: &str, i: usize) -> usize {
    let b = body.as_bytes();
    let n = b.len();
    let mut j = i;
    let mut seg = i;
    while j < n {
        let c = b[j];
        if c.is_ascii_alphanumeric() {
            j += 1;
            continue;
        }
        if c >= 0x80 {
            let ch = char_at(body, j).unwrap_or(' ');
            if ch.is_alphanumeric() {
                j += ch.len_utf8();
                continue;
            }
            if ch == '\u{2019}' && j > i && j + 3 < n && b[j + 3].is_ascii_alphabetic() {
                j += 3;
                continue;
            }
            break;
        }
        let next_alnum = j + 1 < n && b[j + 1].is_ascii_alphanumeric();
        match c {
            b'\'' | b'-' if next_alnum && j > i => j += 1,
            b'.' if next_alnum && j - seg == 1 && b[j + 1].is_ascii_alphabetic() => {
                j += 1;
                seg = j;
            }
            b'.' | b','
                if j > i && b[j - 1].is_ascii_digit() && j + 1 < n && b[j + 1].is_ascii_digit() =>
            {
                j += 1
            }
            _ => break,
        }
    }
    j.max(i + 1)
}

fn tokenize(body: &str) -> Vec<Tok> {
    let b = body.as_bytes();
    let n = b.len();
    let mut out = Vec::with_capacity(n / 5 + 4);
    let mut i = 0;
    let tok = |s, e, k| Tok {
        s,
        e,
        k,
        q: 0,
        cue: None,
    };
    while i < n {
        let c = b[i];
        if c == b'\n' || c == b'\r' {
            let s = i;
            while i < n && (b[i] == b'\n' || b[i] == b'\r' || is_space(b[i])) {
                i += 1;
            }
            out.push(tok(s, i, K::Break));
            continue;
        }
        if is_space(c) {
            i += 1;
            continue;
        }
        if c.is_ascii_alphanumeric() {
            let e = word_end(body, i);
            out.push(tok(i, e, K::Word));
            i = e;
            continue;
        }
        if c < 0x80 {
            let (k, len) = match c {
                b'"' => (K::QAmb, 1),
                b'\'' if b.get(i + 1) == Some(&b'\'') => (K::QAmb, 2),
                b'.' | b'!' | b'?' => {
                    let mut j = i + 1;
                    while j < n && matches!(b[j], b'.' | b'!' | b'?') {
                        j += 1;
                    }
                    (K::Stop, j - i)
                }
                b',' => (K::Comma, 1),
                b':' => (K::Colon, 1),
                b';' => (K::Semi, 1),
                b'-' if b.get(i + 1) == Some(&b'-') => (K::Dash, 2),
                b'-' if i > 0 && is_space(b[i - 1]) => (K::Dash, 1),
                b'(' | b'[' => (K::Open, 1),
                b')' | b']' => (K::Close, 1),
                _ => (K::Other, 1),
            };
            out.push(tok(i, i + len, k));
            i += len;
            continue;
        }
        let ch = char_at(body, i).unwrap_or(' ');
        let len = ch.len_utf8();
        let k = match ch {
            '\u{201C}' | '\u{201E}' | '\u{00AB}' => K::QOpen,
            '\u{201D}' | '\u{00BB}' => K::QClose,
            '\u{2014}' | '\u{2013}' => K::Dash,
            '\u{2026}' => K::Stop,
            '\u{00A0}'
            | '\u{2000}'..='\u{200B}'
            | '\u{202F}'
            | '\u{205F}'
            | '\u{3000}'
            | '\u{FEFF}' => {
                i += len;
                continue;
            }
            '\u{2028}' | '\u{2029}' => K::Break,
            c if c.is_alphanumeric() => {
                let e = word_end(body, i);
                out.push(tok(i, e, K::Word));
                i = e;
                continue;
            }
            _ => K::Other,
        };
        out.push(tok(i, i + len, k));
        i += len;
    }
    out
}

// ---------------------------------------------------------------- word lists

fn lower<'a>(w: &[u8], buf: &'a mut [u8; 16]) -> Option<&'a [u8]> {
    if w.len() > 16 {
        return None;
    }
    for (d, s) in buf.iter_mut().zip(w) {
        *d = s.to_ascii_lowercase();
    }
    Some(&buf[..w.len()])
}

/// The cue lexicon, sorted by word for binary search: every form of every verb of saying we
/// take, with how much evidence each needs. Nouns that share a form ("report", "claims",
/// "warning") are `Need::That` or are filtered by context in `Cx::cue_sense`.
#[rustfmt::skip]
const LEXICON: &[(&str, Lemma, Form, Need)] = &[
    ("accuse", L::Accuse, F::Base, N::Direct),
    ("accused", L::Accuse, F::Past, N::Direct),
    ("accuses", L::Accuse, F::S, N::Direct),
    ("accusing", L::Accuse, F::Ing, N::Direct),
    ("acknowledge", L::Other, F::Base, N::Direct),
    ("acknowledged", L::Other, F::Past, N::Direct),
    ("acknowledges", L::Other, F::S, N::Direct),
    ("acknowledging", L::Other, F::Ing, N::Direct),
    ("add", L::Other, F::Base, N::That),
    ("added", L::Other, F::Past, N::That),
    ("adding", L::Other, F::Ing, N::Direct),
    ("adds", L::Other, F::S, N::That),
    ("admit", L::Other, F::Base, N::Direct),
    ("admits", L::Other, F::S, N::Direct),
    ("admitted", L::Other, F::Past, N::Direct),
    ("admitting", L::Other, F::Ing, N::Direct),
    ("allege", L::Other, F::S, N::That),
    ("alleged", L::Other, F::Past, N::That),
    ("alleges", L::Other, F::S, N::That),
    ("alleging", L::Other, F::Ing, N::That),
    ("announce", L::Other, F::Base, N::Direct),
    ("announced", L::Other, F::Past, N::Direct),
    ("announces", L::Other, F::S, N::Direct),
    ("announcing", L::Other, F::Ing, N::Direct),
    ("argue", L::Other, F::Base, N::Direct),
    ("argued", L::Other, F::Past, N::Direct),
    ("argues", L::Other, F::S, N::Direct),
    ("arguing", L::Other, F::Ing, N::Direct),
    ("ask", L::Ask, F::Base, N::Direct),
    ("asked", L::Ask, F::Past, N::Direct),
    ("asking", L::Ask, F::Ing, N::Direct),
    ("asks", L::Ask, F::S, N::Direct),
    ("assert", L::Other, F::Base, N::That),
    ("asserted", L::Other, F::Past, N::Direct),
    ("asserting", L::Other, F::Ing, N::Direct),
    ("asserts", L::Other, F::S, N::Direct),
    ("believe", L::Other, F::S, N::That),
    ("believed", L::Other, F::Past, N::That),
    ("believes", L::Other, F::S, N::That),
    ("boast", L::Other, F::S, N::That),
    ("boasted", L::Other, F::Past, N::That),
    ("boasts", L::Other, F::S, N::That),
    ("call", L::Call, F::Base, N::Direct),
    ("called", L::Call, F::Past, N::Direct),
    ("calling", L::Call, F::Ing, N::Direct),
    ("calls", L::Call, F::S, N::Direct),
    ("charge", L::Other, F::S, N::That),
    ("charged", L::Other, F::Past, N::That),
    ("charges", L::Other, F::S, N::That),
    ("claim", L::Other, F::S, N::That),
    ("claimed", L::Other, F::Past, N::Direct),
    ("claiming", L::Other, F::Ing, N::Direct),
    ("claims", L::Other, F::S, N::That),
    ("comment", L::Other, F::S, N::That),
    ("commented", L::Other, F::Past, N::That),
    ("comments", L::Other, F::S, N::That),
    ("complain", L::Other, F::S, N::That),
    ("complained", L::Other, F::Past, N::Direct),
    ("complaining", L::Other, F::Ing, N::That),
    ("complains", L::Other, F::S, N::That),
    ("concede", L::Other, F::Base, N::Direct),
    ("conceded", L::Other, F::Past, N::Direct),
    ("concedes", L::Other, F::S, N::Direct),
    ("conceding", L::Other, F::Ing, N::Direct),
    ("conclude", L::Other, F::S, N::That),
    ("concluded", L::Other, F::Past, N::That),
    ("concludes", L::Other, F::S, N::That),
    ("confirm", L::Other, F::S, N::That),
    ("confirmed", L::Other, F::Past, N::That),
    ("confirming", L::Other, F::Ing, N::That),
    ("confirms", L::Other, F::S, N::That),
    ("contend", L::Other, F::S, N::That),
    ("contended", L::Other, F::Past, N::That),
    ("contends", L::Other, F::S, N::That),
    ("criticise", L::Other, F::Base, N::Direct),
    ("criticised", L::Other, F::Past, N::Direct),
    ("criticises", L::Other, F::S, N::Direct),
    ("criticising", L::Other, F::Ing, N::Direct),
    ("criticize", L::Other, F::Base, N::Direct),
    ("criticized", L::Other, F::Past, N::Direct),
    ("criticizes", L::Other, F::S, N::Direct),
    ("criticizing", L::Other, F::Ing, N::Direct),
    ("declare", L::Other, F::Base, N::That),
    ("declared", L::Other, F::Past, N::Direct),
    ("declares", L::Other, F::S, N::Direct),
    ("declaring", L::Other, F::Ing, N::Direct),
    ("demand", L::Other, F::S, N::That),
    ("demanded", L::Other, F::Past, N::Direct),
    ("demanding", L::Other, F::Ing, N::That),
    ("demands", L::Other, F::S, N::That),
    ("denied", L::Other, F::Past, N::Direct),
    ("denies", L::Other, F::S, N::Direct),
    ("deny", L::Other, F::Base, N::Direct),
    ("denying", L::Other, F::Ing, N::Direct),
    ("describe", L::Other, F::S, N::That),
    ("described", L::Other, F::Past, N::That),
    ("describes", L::Other, F::S, N::That),
    ("describing", L::Other, F::Ing, N::That),
    ("emphasise", L::Other, F::Base, N::That),
    ("emphasised", L::Other, F::Past, N::Direct),
    ("emphasises", L::Other, F::S, N::Direct),
    ("emphasising", L::Other, F::Ing, N::Direct),
    ("emphasize", L::Other, F::Base, N::That),
    ("emphasized", L::Other, F::Past, N::Direct),
    ("emphasizes", L::Other, F::S, N::Direct),
    ("emphasizing", L::Other, F::Ing, N::Direct),
    ("explain", L::Other, F::Base, N::That),
    ("explained", L::Other, F::Past, N::Direct),
    ("explaining", L::Other, F::Ing, N::Direct),
    ("explains", L::Other, F::S, N::Direct),
    ("fear", L::Other, F::S, N::That),
    ("feared", L::Other, F::Past, N::That),
    ("fears", L::Other, F::S, N::That),
    ("hope", L::Other, F::S, N::That),
    ("hoped", L::Other, F::Past, N::That),
    ("hopes", L::Other, F::S, N::That),
    ("insist", L::Other, F::Base, N::Direct),
    ("insisted", L::Other, F::Past, N::Direct),
    ("insisting", L::Other, F::Ing, N::Direct),
    ("insists", L::Other, F::S, N::Direct),
    ("maintain", L::Other, F::S, N::That),
    ("maintained", L::Other, F::Past, N::That),
    ("maintains", L::Other, F::S, N::That),
    ("note", L::Other, F::S, N::That),
    ("noted", L::Other, F::Past, N::Direct),
    ("notes", L::Other, F::S, N::That),
    ("noting", L::Other, F::Ing, N::Direct),
    ("pledge", L::Other, F::S, N::That),
    ("pledged", L::Other, F::Past, N::Direct),
    ("pledges", L::Other, F::S, N::That),
    ("pledging", L::Other, F::Ing, N::Direct),
    ("posted", L::Other, F::Past, N::That),
    ("predict", L::Other, F::Base, N::Direct),
    ("predicted", L::Other, F::Past, N::Direct),
    ("predicting", L::Other, F::Ing, N::Direct),
    ("predicts", L::Other, F::S, N::Direct),
    ("promise", L::Other, F::S, N::That),
    ("promised", L::Other, F::Past, N::Direct),
    ("promises", L::Other, F::S, N::That),
    ("question", L::Other, F::S, N::That),
    ("questioned", L::Other, F::Past, N::Direct),
    ("questioning", L::Other, F::Ing, N::That),
    ("questions", L::Other, F::S, N::That),
    ("quip", L::Other, F::S, N::That),
    ("quipped", L::Other, F::Past, N::That),
    ("quips", L::Other, F::S, N::That),
    ("reaffirm", L::Other, F::S, N::That),
    ("reaffirmed", L::Other, F::Past, N::Direct),
    ("reaffirming", L::Other, F::Ing, N::Direct),
    ("reaffirms", L::Other, F::S, N::That),
    ("recall", L::Other, F::S, N::That),
    ("recalled", L::Other, F::Past, N::That),
    ("recalls", L::Other, F::S, N::That),
    ("reiterate", L::Other, F::Base, N::Direct),
    ("reiterated", L::Other, F::Past, N::Direct),
    ("reiterates", L::Other, F::S, N::Direct),
    ("reiterating", L::Other, F::Ing, N::Direct),
    ("remark", L::Other, F::S, N::That),
    ("remarked", L::Other, F::Past, N::That),
    ("remarks", L::Other, F::S, N::That),
    ("replied", L::Other, F::Past, N::That),
    ("replies", L::Other, F::S, N::That),
    ("reply", L::Other, F::S, N::That),
    ("replying", L::Other, F::Ing, N::That),
    ("report", L::Other, F::S, N::That),
    ("reported", L::Other, F::Past, N::That),
    ("reporting", L::Other, F::Ing, N::That),
    ("reports", L::Other, F::S, N::That),
    ("respond", L::Other, F::S, N::That),
    ("responded", L::Other, F::Past, N::That),
    ("responding", L::Other, F::Ing, N::That),
    ("responds", L::Other, F::S, N::That),
    ("said", L::Say, F::Past, N::Direct),
    ("say", L::Say, F::Base, N::Direct),
    ("saying", L::Say, F::Ing, N::Direct),
    ("says", L::Say, F::S, N::Direct),
    ("state", L::Other, F::S, N::That),
    ("stated", L::Other, F::Past, N::Direct),
    ("states", L::Other, F::S, N::That),
    ("stating", L::Other, F::Ing, N::Direct),
    ("stress", L::Other, F::Base, N::That),
    ("stressed", L::Other, F::Past, N::Direct),
    ("stresses", L::Other, F::S, N::Direct),
    ("stressing", L::Other, F::Ing, N::Direct),
    ("suggest", L::Other, F::Base, N::Direct),
    ("suggested", L::Other, F::Past, N::Direct),
    ("suggesting", L::Other, F::Ing, N::Direct),
    ("suggests", L::Other, F::S, N::Direct),
    ("tell", L::Tell, F::Base, N::Direct),
    ("telling", L::Tell, F::Ing, N::Direct),
    ("tells", L::Tell, F::S, N::Direct),
    ("testified", L::Other, F::Past, N::That),
    ("testifies", L::Other, F::S, N::That),
    ("testify", L::Other, F::S, N::That),
    ("think", L::Other, F::S, N::That),
    ("thinks", L::Other, F::S, N::That),
    ("threaten", L::Other, F::S, N::That),
    ("threatened", L::Other, F::Past, N::That),
    ("threatens", L::Other, F::S, N::That),
    ("told", L::Tell, F::Past, N::Direct),
    ("tweet", L::Other, F::Base, N::That),
    ("tweeted", L::Other, F::Past, N::That),
    ("tweeting", L::Other, F::Ing, N::That),
    ("tweets", L::Other, F::S, N::That),
    ("urge", L::Urge, F::Base, N::Direct),
    ("urged", L::Urge, F::Past, N::Direct),
    ("urges", L::Urge, F::S, N::Direct),
    ("urging", L::Urge, F::Ing, N::Direct),
    ("vow", L::Other, F::Base, N::That),
    ("vowed", L::Other, F::Past, N::Direct),
    ("vowing", L::Other, F::Ing, N::Direct),
    ("vows", L::Other, F::S, N::Direct),
    ("warn", L::Warn, F::Base, N::Direct),
    ("warned", L::Warn, F::Past, N::Direct),
    ("warning", L::Warn, F::Ing, N::Direct),
    ("warns", L::Warn, F::S, N::Direct),
    ("write", L::Other, F::Base, N::That),
    ("writes", L::Other, F::S, N::That),
    ("writing", L::Other, F::Ing, N::That),
    ("wrote", L::Other, F::Past, N::That),
];

/// A word of up to 16 bytes as a number that sorts as the word does.
const fn key(w: &[u8]) -> u128 {
    let mut k = 0u128;
    let mut i = 0;
    while i < 16 {
        k <<= 8;
        if i < w.len() {
            k |= w[i] as u128;
        }
        i += 1;
    }
    k
}

/// `LEXICON`'s words as numbers: the lookup runs on every word of every article.
const LEXICON_KEYS: [u128; LEXICON.len()] = {
    let mut keys = [0u128; LEXICON.len()];
    let mut i = 0;
    while i < LEXICON.len() {
        keys[i] = key(LEXICON[i].0.as_bytes());
        i += 1;
    }
    keys
};

/// Slots of [`LEXICON_TABLE`]: a power of two, at least four per word, so that a word not in
/// the lexicon (nearly every word) meets an empty slot at once.
const LEXICON_SLOTS: usize = (LEXICON.len() * 4).next_power_of_two();

/// The slot where a lookup of `k` starts: the top bits of a multiplicative hash.
const fn lexicon_slot(k: u128) -> usize {
    let h = ((k as u64) ^ ((k >> 64) as u64).rotate_left(31)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> (64 - LEXICON_SLOTS.trailing_zeros())) as usize
}

/// `LEXICON`'s keys in an open-addressing table, with their index in `LEXICON` (key 0 marks an
/// empty slot: no word packs to 0). The lookup runs on every word of every article, and a
/// binary search over the sorted keys was a fifth of the statement finder's own time.
static LEXICON_TABLE: [(u128, u16); LEXICON_SLOTS] = {
    let mut table = [(0u128, 0u16); LEXICON_SLOTS];
    let mut i = 0;
    while i < LEXICON.len() {
        let k = LEXICON_KEYS[i];
        let mut slot = lexicon_slot(k);
        while table[slot].0 != 0 {
            slot = (slot + 1) % LEXICON_SLOTS;
        }
        table[slot] = (k, i as u16);
        i += 1;
    }
    table
};

fn lexicon(w: &[u8]) -> Option<(Lemma, Form, Need)> {
    let mut buf = [0u8; 16];
    let k = key(lower(w, &mut buf)?);
    if k == 0 {
        return None;
    }
    let mut slot = lexicon_slot(k);
    loop {
        let (key, i) = LEXICON_TABLE[slot];
        if key == k {
            let (_, lemma, form, need) = LEXICON[usize::from(i)];
            return Some((lemma, form, need));
        }
        if key == 0 {
            return None;
        }
        slot = (slot + 1) % LEXICON_SLOTS;
    }
}

/// Two-word cues: the first word, then the particle that must follow it.
fn phrasal(w: &[u8], next: &[u8]) -> Option<(Lemma, Form)> {
    let mut b1 = [0u8; 16];
    let mut b2 = [0u8; 16];
    let (l, n) = (lower(w, &mut b1)?, lower(next, &mut b2)?);
    let form = match l {
        b"call" => Form::Base,
        b"calls" | b"points" | b"makes" => Form::S,
        b"called" | b"pointed" | b"made" => Form::Past,
        b"calling" | b"pointing" | b"making" => Form::Ing,
        b"according" if n == b"to" => return Some((Lemma::Accord, Form::Ing)),
        _ => return None,
    };
    match (l[0], n) {
        (b'c', b"on") => Some((Lemma::CallOn, form)),
        (b'c', b"for") => Some((Lemma::CallFor, form)),
        (b'p', b"out") | (b'm', b"clear") => Some((Lemma::Other, form)),
        _ => None,
    }
}

/// Cues whose noun twin ("a report", "claims") is ruled out by a named subject before them.
fn relaxable(w: &[u8]) -> bool {
    const STEMS: &[&str] = &[
        "report", "claim", "note", "stated", "confirm", "repl", "maintain", "contend", "alleg",
        "promise", "threaten", "demand", "pledge", "vow", "testif", "conclude", "boast", "quip",
        "emphasi", "stress", "explain", "declare", "assert",
    ];
    STEMS
        .iter()
        .any(|s| w.len() >= s.len() && w[..s.len()].eq_ignore_ascii_case(s.as_bytes()))
}

/// Bytes of a quotation joined across dropped closing marks at most.
const MAX_QUOTE: usize = 4000;

/// Tokens of reported content at most: longer runs are lists or tables, not sentences.
const MAX_CONTENT: usize = 400;

#[rustfmt::skip]
const MODALS: &[&str] = &[
    "would", "will", "could", "can", "may", "might", "should", "must", "shall", "cannot", "won't",
    "wouldn't", "couldn't", "can't", "shouldn't",
];

fn is_possessive(w: &[u8]) -> bool {
    w.len() > 2 && (w.ends_with(b"'s") || w.ends_with("\u{2019}s".as_bytes()))
}

fn eq(w: &[u8], s: &str) -> bool {
    w.eq_ignore_ascii_case(s.as_bytes())
}

fn in_list(w: &[u8], list: &[&str]) -> bool {
    list.iter().any(|s| eq(w, s))
}

/// Words between a subject and its cue that do not change who speaks ("Asif also said",
/// "Trump has repeatedly claimed").
#[rustfmt::skip]
const SKIP: &[&str] = &[
    "also", "has", "have", "had", "having", "then", "later", "again", "once", "twice", "long",
    "now", "often", "always", "never", "not", "did", "does", "do", "would", "will", "could", "can",
    "may", "might", "should", "must", "already", "still", "even", "just", "first", "further",
    "too", "himself", "herself", "themselves", "itself", "both", "all", "only", "since", "ever",
    "yet", "earlier", "previously", "recently", "reportedly", "allegedly", "apparently",
    "publicly", "privately", "repeatedly", "openly", "explicitly", "flatly", "bluntly", "angrily",
    "quickly", "specifically", "separately", "similarly", "famously", "finally", "ultimately",
    "simply", "actually", "really", "certainly", "clearly", "initially", "subsequently",
    "immediately", "sharply", "strongly", "firmly", "quietly", "loudly", "falsely", "wrongly",
    "correctly", "erroneously", "vehemently", "emphatically", "frequently", "consistently",
    "previously", "however", "though", "meanwhile", "instead", "nonetheless", "nevertheless",
    "personally", "is", "are", "was", "were", "been", "being", "be", "who", "which", "that",
    "yesterday", "today", "tonight", "last", "week", "night", "morning", "afternoon", "evening",
    "month", "year", "on", "this",
];

/// Words that open the phrase after a cue when that phrase is a time, place or medium.
#[rustfmt::skip]
const PP_START: &[&str] = &[
    "on", "in", "at", "during", "after", "before", "last", "this", "earlier", "later", "yesterday",
    "today", "tonight", "to", "of", "about", "publicly", "privately", "repeatedly", "recently",
    "also", "again", "then", "once", "twice", "via", "through", "over", "late", "early", "from",
    "with", "for", "afterward", "afterwards", "recently", "previously", "told",
];

/// Words that start a clause: a subject phrase never reaches back past them.
#[rustfmt::skip]
const CLAUSE_WORDS: &[&str] = &[
    "and", "but", "or", "so", "yet", "because", "although", "though", "when", "while", "if", "as",
    "since", "where", "whereas", "after", "before", "until", "unless", "that", "which", "who",
    "than",
];

#[rustfmt::skip]
const WEEKDAYS: &[&str] = &[
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
];

fn is_skip(w: &[u8]) -> bool {
    if w.first().is_some_and(u8::is_ascii_uppercase) {
        return in_list(w, WEEKDAYS);
    }
    if w.len() > 4 && w.ends_with(b"ly") && w[0].is_ascii_lowercase() {
        return !in_list(
            w,
            &[
                "family", "ally", "assembly", "rally", "supply", "daily", "weekly",
            ],
        );
    }
    in_list(w, SKIP) || in_list(w, WEEKDAYS)
}

#[rustfmt::skip]
const DETS: &[&str] = &[
    "the", "a", "an", "his", "her", "its", "their", "our", "my", "one",
];

/// Nouns naming a person by role: "the minister said" refers back to the person holding it.
#[rustfmt::skip]
const ROLE_HEADS: &[&str] = &[
    "minister", "president", "spokesman", "spokeswoman", "spokesperson", "official", "senator",
    "governor", "secretary", "chairman", "chairwoman", "leader", "candidate", "nominee", "mayor",
    "ambassador", "envoy", "general", "commander", "chief", "premier", "chancellor", "diplomat",
    "congressman", "congresswoman", "lawmaker", "legislator", "representative", "director",
    "adviser", "advisor", "aide", "manager", "judge", "justice", "attorney", "prosecutor", "king",
    "queen", "prince", "emir", "pope", "businessman", "billionaire", "mogul", "host", "anchor",
    "author", "professor", "economist", "analyst", "strategist", "pollster", "executive",
    "founder", "coach", "captain", "activist", "lawyer", "officer", "commissioner", "deputy",
    "speaker", "frontrunner", "front-runner", "incumbent", "challenger", "hopeful", "politician",
    "star", "actor", "actress", "singer", "writer", "columnist", "governor", "sheriff", "chair",
    "ceo", "head", "owner", "member", "consultant", "voter", "supporter", "ally", "fundraiser",
    "lobbyist", "organizer", "organiser", "researcher", "scientist", "expert", "historian",
    "editor", "reporter", "correspondent", "producer", "president-elect", "secretary-general",
    "constituent", "donor", "delegate", "resident", "veteran", "student", "teacher", "worker",
    "employee",
];

/// Nouns naming an organisation: "the ministry said" refers back to one of the actors.
#[rustfmt::skip]
const ORG_HEADS: &[&str] = &[
    "ministry", "government", "department", "office", "party", "campaign", "committee", "agency",
    "army", "military", "police", "court", "company", "firm", "group", "organisation",
    "organization", "council", "commission", "embassy", "administration", "movement", "coalition",
    "alliance", "union", "bank", "fund", "board", "authority", "network", "newspaper", "paper",
    "magazine", "channel", "website", "team", "club", "foundation", "institute", "center",
    "centre", "university", "association", "federation", "league", "regime", "cabinet",
    "parliament", "statement", "report", "survey", "poll", "study",
];

/// Organisation heads that refer to the last organisation named, whatever its name.
const ORG_GENERIC: &[&str] = &["group", "organisation", "organization", "movement"];

/// Capitalised words that start sentences or titles but never name a speaker on their own.
#[rustfmt::skip]
const NOT_NAMES: &[&str] = &[
    "The", "This", "That", "These", "Those", "It", "There", "Here", "But", "And", "So", "Yet",
    "Or", "If", "When", "While", "As", "In", "On", "At", "For", "After", "Before", "Then", "He",
    "She", "They", "We", "I", "You", "His", "Her", "Their", "Our", "A", "An", "Some", "Many",
    "Most", "Others", "Both", "All", "One", "No", "What", "Who", "Why", "How", "Mr", "Mrs", "Ms",
    "Miss", "Dr", "Sir", "Lord", "Lady", "Dame", "Sen", "Rep", "Gov", "President", "Senator",
    "Minister", "Secretary", "Governor", "Prof", "Professor", "Indeed", "Later", "Still",
    "Meanwhile", "However", "Also", "Now", "Then", "Instead", "Earlier", "Recently", "Finally",
    "Overall", "Moreover", "Further", "Furthermore", "Besides", "Ultimately", "Eventually",
    "Yesterday", "Today", "Tonight", "Last", "Next", "During", "Under", "Among", "Across", "Over",
    "Within", "Without", "Through", "Since", "Until", "Although", "Though", "Because", "Unlike",
    "Like", "Despite", "Asked", "Speaking", "Even", "Only", "Just", "Such", "Every", "Each", "Any",
    "Few", "Several", "Other",
    // groups named by a common noun: who they are is not known
    "Officials", "Aides", "Analysts", "Experts", "Critics", "Sources", "Residents", "Witnesses",
    "Police", "Authorities", "Observers", "Supporters", "Opponents", "Lawmakers", "Investigators",
    "Diplomats", "Protesters", "Scientists", "Researchers", "Economists", "Doctors", "Voters",
    "Activists", "Leaders", "Members", "Prosecutors", "Polls", "Reports", "Studies", "People",
    "Advocates", "Organizers", "Organisers", "Officers", "Troops", "Militants", "Rebels",
];

/// Title words written before a name; stripped from a literal speaker.
#[rustfmt::skip]
const TITLES: &[&str] = &[
    "Mr", "Mrs", "Ms", "Miss", "Dr", "Sir", "Lord", "Lady", "Dame", "Sen", "Rep", "Gov", "Gen",
    "Col", "Lt", "Capt", "Prof", "Rev", "President", "Senator", "Sens", "Reps", "Minister",
    "Secretary", "Governor", "Professor", "Judge", "Justice", "Chairman", "Mayor", "Ambassador",
    "General", "Former", "former", "Vice", "Prime", "Defence", "Defense", "Foreign", "Interior",
    "Finance", "Deputy", "Chief", "Representative", "Congressman", "Congresswoman", "Speaker",
    "Leader", "Candidate",
];

#[rustfmt::skip]
const ABBREV: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "St", "Sen", "Sens", "Rep", "Reps", "Gov", "Gen", "Lt", "Col", "Sgt",
    "Capt", "Cmdr", "Adm", "Maj", "Rev", "Prof", "Hon", "Pres", "Supt", "Det", "Mt", "Ft", "vs",
    "v",
];

/// Abbreviations that may also end a sentence: a boundary only before a typical first word.
#[rustfmt::skip]
const ABBREV_SOFT: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Inc",
    "Corp", "Co", "Ltd", "Jr", "Sr", "No", "Nos", "etc", "Ala", "Ariz", "Ark", "Calif", "Colo",
    "Conn", "Del", "Fla", "Ga", "Ill", "Ind", "Kan", "Ky", "La", "Md", "Mass", "Mich", "Minn",
    "Miss", "Mo", "Mont", "Neb", "Nev", "Okla", "Ore", "Pa", "Tenn", "Tex", "Va", "Vt", "Wash",
    "Wis", "Wyo", "Ave", "Blvd",
];

#[rustfmt::skip]
const MONTHS: &[&str] = &[
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
];

#[rustfmt::skip]
const STARTERS: &[&str] = &[
    "The", "He", "She", "It", "They", "We", "I", "But", "And", "In", "This", "That", "A", "An",
    "His", "Her", "Our", "There", "Mr", "Mrs", "Ms", "So", "As", "On", "At", "If", "When",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Gender {
    Unknown,
    Male,
    Female,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Pron {
    He,
    She,
    They,
    It,
}

fn pronoun(w: &[u8]) -> Option<Pron> {
    if eq(w, "he") {
        Some(Pron::He)
    } else if eq(w, "she") {
        Some(Pron::She)
    } else if eq(w, "they") {
        Some(Pron::They)
    } else if eq(w, "it") {
        Some(Pron::It)
    } else {
        None
    }
}

fn is_cap(w: &[u8]) -> bool {
    w.first().is_some_and(|c| c.is_ascii_uppercase()) || (w.first().is_some_and(|c| *c >= 0x80))
}

// ---------------------------------------------------------------- quotes, sentences

#[derive(Clone, Copy, Debug)]
struct Quote {
    /// Opening mark token.
    ot: usize,
    /// First token after the content: the closing mark, or whatever ended an unclosed quote.
    ct: usize,
    /// Whether `ct` is a real closing mark.
    closed: bool,
    cs: usize,
    ce: usize,
}

#[derive(Clone, Copy, Debug)]
struct Mention {
    s: usize,
    e: usize,
    actor: usize,
    in_quote: bool,
    /// Inside the content of a statement found earlier: what someone said about a person does
    /// not put that person in focus.
    reported: bool,
}

/// Who a cue's subject is, before resolution.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Spk {
    Actor(usize),
    Pron(Pron),
    /// "the (defence) minister": token of the head noun, and of a modifier before it.
    Role {
        head: usize,
        modifier: Option<usize>,
    },
    Org {
        head: usize,
    },
    /// A capitalised name no actor covers: byte range.
    Literal(usize, usize),
    Unknown,
}

#[derive(Clone, Debug)]
struct Found {
    spk: Option<Who>,
    cue: (usize, usize),
    quote: bool,
    span: (usize, usize),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Who {
    Actor(usize),
    Literal(usize, usize),
}

struct Cx<'a> {
    body: &'a str,
    b: &'a [u8],
    actors: &'a [Actor],
    toks: Vec<Tok>,
    quotes: Vec<Quote>,
    sents: Vec<(usize, usize)>,
    mentions: Vec<Mention>,
    gender: Vec<Gender>,
    out: Vec<Found>,
    /// Opening marks of the quotes attributed in the current sentence: reported content
    /// stops before them, since they are statements of their own.
    attributed: Vec<usize>,
    /// Byte start of the sentence before the current one: a pronoun prefers a speaker
    /// from there on.
    floor: usize,
}

impl<'a> Cx<'a> {
    fn new(body: &'a str, actors: &'a [Actor]) -> Self {
        let mut mentions = Vec::new();
        for (ai, a) in actors.iter().enumerate() {
            for sp in &a.spans {
                if sp[0] < sp[1] && sp[1] <= body.len() {
                    mentions.push(Mention {
                        s: sp[0],
                        e: sp[1],
                        actor: ai,
                        in_quote: false,
                        reported: false,
                    });
                }
            }
        }
        mentions.sort_by_key(|m| (m.s, std::cmp::Reverse(m.e)));
        let b = body.as_bytes();
        let gender = actors
            .iter()
            .map(|a| {
                a.spans
                    .iter()
                    .map(|sp| honorific_gender(b, sp[0]))
                    .find(|g| *g != Gender::Unknown)
                    .unwrap_or(Gender::Unknown)
            })
            .collect();
        Cx {
            body,
            b,
            actors,
            toks: tokenize(body),
            quotes: Vec::new(),
            sents: Vec::new(),
            mentions,
            gender,
            out: Vec::new(),
            attributed: Vec::new(),
            floor: 0,
        }
    }

    fn w(&self, t: usize) -> &'a [u8] {
        let tk = &self.toks[t];
        &self.b[tk.s..tk.e]
    }

    fn is_word(&self, t: usize, s: &str) -> bool {
        t < self.toks.len() && self.toks[t].k == K::Word && eq(self.w(t), s)
    }

    fn run(&mut self) {
        self.find_quotes();
        self.mark_cues();
        self.split_sentences();
        let quotes = &self.quotes;
        let mut qi = 0;
        for m in &mut self.mentions {
            while qi < quotes.len() && quotes[qi].ce <= m.s {
                qi += 1;
            }
            m.in_quote = qi < quotes.len() && quotes[qi].cs <= m.s;
        }
        let mut qi = 0;
        let mut used = Vec::new();
        for si in 0..self.sents.len() {
            let (ss, se) = self.sents[si];
            self.floor = self.toks[self.sents[si.saturating_sub(1)].0].s;
            let q0 = qi;
            while qi < self.quotes.len() && self.quotes[qi].ot < se {
                qi += 1;
            }
            used.clear();
            self.attributed.clear();
            let first = self.out.len();
            for q in q0..qi {
                self.direct(si, q, &mut used);
            }
            if self.out.len() == first {
                self.medium_opening(ss, se);
            }
            let mut t = ss;
            while t < se {
                if let Some(c) = self.toks[t].cue
                    && self.toks[t].q == 0
                    && !used.contains(&t)
                {
                    self.reported(ss, se, t, c, first);
                }
                t += 1;
            }
        }
    }

    // ------------------------------------------------------------ cues

    fn mark_cues(&mut self) {
        let n = self.toks.len();
        for t in 0..n {
            if self.toks[t].k != K::Word {
                continue;
            }
            let w = self.w(t);
            if !(3..=13).contains(&w.len()) {
                continue;
            }
            // two-word cues start with "according", "call…", "point…" or "made/make…"
            let two = matches!(w[0] | 0x20, b'a' | b'c' | b'p' | b'm');
            let next = if two && t + 1 < n && self.toks[t + 1].k == K::Word {
                self.w(t + 1)
            } else {
                b""
            };
            let cue = if let Some((lemma, form)) = phrasal(w, next) {
                Cue {
                    lemma,
                    form,
                    need: Need::Direct,
                    len: 2,
                    passive: false,
                }
            } else if let Some((lemma, form, need)) = lexicon(w) {
                Cue {
                    lemma,
                    form,
                    need,
                    len: 1,
                    passive: false,
                }
            } else {
                continue;
            };
            self.toks[t].cue = self.cue_sense(t, cue);
        }
    }

    /// Context rules that tell a verb of saying from its noun or passive twin; a passive "was
    /// asked" / "Asked about it," keeps its content but not its subject as speaker.
    fn cue_sense(&self, t: usize, c: Cue) -> Option<Cue> {
        let mut c = c;
        if c.lemma == Lemma::Accord {
            return Some(c);
        }
        if is_cap(self.w(t)) && !self.sentence_initial(t) {
            // "the Islamic State, suggesting": a verb mid-sentence is lower case
            return None;
        }
        let prev = self.prev_word(t);
        let pw = prev.map(|p| self.w(p)).unwrap_or(b"");
        let that_follows = self.is_word(t + c.len as usize, "that");
        if is_possessive(pw) && !(that_follows && matches!(c.form, Form::Base | Form::S)) {
            // "Editor’s note", "Manafort's comments"; but "Trump's claim that …" reports him
            return None;
        }
        if c.form == Form::Base && c.lemma != Lemma::Call {
            // "will say", "should not confirm": an intention, not a report
            let mut p = prev;
            while let Some(pp) = p {
                if in_list(
                    self.w(pp),
                    &[
                        "also",
                        "often",
                        "still",
                        "now",
                        "then",
                        "always",
                        "never",
                        "not",
                        "just",
                        "even",
                        "publicly",
                        "privately",
                    ],
                ) {
                    p = self.prev_word(pp);
                } else {
                    break;
                }
            }
            let pw2 = p.map(|p| self.w(p)).unwrap_or(b"");
            if in_list(pw2, MODALS) || in_list(pw2, &["please", "let"]) {
                return None;
            }
        }
        // "the claims", "a warning", "his report", "the accused"
        if in_list(pw, DETS)
            || in_list(pw, &["this", "that", "these", "those", "no", "of"]) && c.form != Form::Ing
        {
            return None;
        }
        if c.lemma == Lemma::Call {
            // "called Trump's remarks “childish”": only with the quoted words it applies
            let lim = (t + 10).min(self.toks.len());
            let quoted = (t + 1..lim)
                .take_while(|&u| matches!(self.toks[u].k, K::Word | K::QOpen))
                .any(|u| self.toks[u].k == K::QOpen);
            return quoted.then_some(c);
        }
        let subject = self.named_subject(t);
        if c.form == Form::Past {
            let mut p = prev;
            while let Some(pp) = p {
                if in_list(
                    self.w(pp),
                    &[
                        "also",
                        "not",
                        "reportedly",
                        "being",
                        "repeatedly",
                        "once",
                        "later",
                    ],
                ) {
                    p = self.prev_word(pp);
                } else {
                    break;
                }
            }
            let pw2 = p.map(|p| self.w(p)).unwrap_or(b"");
            let passive = in_list(
                pw2,
                &[
                    "was", "were", "is", "are", "be", "been", "am", "get", "got", "being",
                ],
            );
            let clause = in_list(
                pw2,
                &[
                    "when", "if", "as", "once", "unless", "after", "before", "while",
                ],
            );
            // "was told", "is said to", "when asked", "Asked about it, he said"
            if passive || clause || self.sentence_initial(t) {
                if matches!(c.lemma, Lemma::Ask | Lemma::Tell) && !self.is_word(t + 1, "by") {
                    c.passive = true;
                    return Some(c);
                }
                return None;
            }
            // "proposals announced by the minister": a passive participle
            if self.is_word(t + c.len as usize, "by") {
                return None;
            }
        }
        if c.form == Form::Ing {
            // participle after a comma, a subordinator, a preposition or a document ("a
            // statement saying"), or progressive; not a noun ("a blunt warning") nor a
            // sentence opener ("Speaking to reporters")
            if self.sentence_initial(t) {
                return None;
            }
            let before = t.checked_sub(1).map(|p| self.toks[p].k);
            let ok = matches!(before, Some(K::Comma | K::Dash))
                || in_list(
                    pw,
                    &[
                        "while",
                        "by",
                        "after",
                        "before",
                        "without",
                        "and",
                        "is",
                        "are",
                        "was",
                        "were",
                        "been",
                        "be",
                        "am",
                        "also",
                        "in",
                        "when",
                        "repeatedly",
                        "even",
                        "publicly",
                        "privately",
                        "again",
                        "not",
                        "still",
                        "then",
                        "further",
                        "later",
                        "just",
                        "effectively",
                        "essentially",
                        "apparently",
                        "on",
                        "of",
                        "for",
                        "about",
                        "from",
                        "instead",
                        "keep",
                        "kept",
                        "continue",
                        "continued",
                        "began",
                        "started",
                        "statement",
                        "letter",
                        "tweet",
                        "post",
                        "email",
                        "message",
                        "release",
                        "video",
                        "ad",
                        "interview",
                        "speech",
                        "memo",
                        "op-ed",
                        "editorial",
                        "column",
                        "article",
                        "remarks",
                        "comments",
                        "note",
                        "report",
                        "posting",
                        "broadcast",
                        "appearance",
                    ],
                )
                || pronoun(pw).is_some();
            if !ok {
                return None;
            }
        }
        if c.need == Need::That
            && subject
            && relaxable(self.w(t))
            && (c.form == Form::Past || c.form == Form::S && !eq(self.w(t), "states"))
        {
            // "Amazon reported it sold …", "The Times reports Beck will …"
            c.need = Need::Direct;
        }
        if c.need == Need::That && matches!(c.form, Form::Base | Form::S) {
            // "claims", "report", "tweet" are nouns unless a clause follows at once
            let nx = t + c.len as usize;
            let ok = self.is_word(nx, "that")
                || nx < self.toks.len() && self.toks[nx].k == K::Colon
                || subject
                    && c.form == Form::S
                    && nx < self.toks.len()
                    && matches!(self.toks[nx].k, K::Comma | K::Stop);
            if !ok {
                return None;
            }
        }
        Some(c)
    }

    /// Whether a named actor or a personal pronoun stands right before token `t` (adverbs and
    /// auxiliaries aside): then an ambiguous word there ("reports", "claimed") is a verb.
    fn named_subject(&self, t: usize) -> bool {
        let mut p = t;
        while p > 0 && t - p < 4 {
            p -= 1;
            if self.toks[p].k != K::Word {
                return false;
            }
            let w = self.w(p);
            if pronoun(w).is_some_and(|x| x != Pron::It) {
                return true;
            }
            if !is_possessive(w)
                && let Some(m) = self.mention_at(self.toks[p].s)
            {
                let before = self.tok_at(m.s);
                let modifier = before > 0
                    && self.toks[before - 1].k == K::Word
                    && in_list(
                        self.w(before - 1),
                        &["her", "his", "their", "its", "our", "my", "your", "a", "an"],
                    );
                return !modifier;
            }
            if !is_skip(w) {
                return false;
            }
        }
        false
    }

    fn prev_word(&self, t: usize) -> Option<usize> {
        let p = t.checked_sub(1)?;
        (self.toks[p].k == K::Word).then_some(p)
    }

    fn sentence_initial(&self, t: usize) -> bool {
        match t.checked_sub(1) {
            None => true,
            Some(p) => matches!(self.toks[p].k, K::Break | K::Stop | K::QOpen | K::QAmb),
        }
    }

    // ------------------------------------------------------------ quotes

    fn find_quotes(&mut self) {
        let n = self.toks.len();
        for t in 0..n {
            if self.toks[t].k == K::QAmb {
                self.toks[t].k = self.straight_quote(t);
            }
        }
        let mut open: Option<usize> = None;
        let mut t = 0;
        while t < n {
            match self.toks[t].k {
                K::QOpen => {
                    if let Some(o) = open {
                        // a new opening mark before the last one closed: the writer dropped a
                        // closing mark (straight quotes opening each quoted sentence)
                        self.push_quote(o, t, false);
                    }
                    open = Some(t);
                }
                K::QClose => {
                    if let Some(o) = open.take() {
                        self.push_quote(o, t, true);
                    }
                }
                K::Break => {
                    if let Some(o) = open {
                        if t + 1 < n && self.toks[t + 1].k == K::QOpen {
                            // a paragraph that opens a quote and does not close it continues
                            // in the next paragraph that opens with a quote mark
                            self.toks[t + 1].k = K::Other;
                            t += 2;
                            continue;
                        }
                        self.push_quote(o, t, false);
                        open = None;
                    }
                }
                _ => {}
            }
            t += 1;
        }
        if let Some(o) = open {
            self.push_quote(o, n, false);
        }
        for (qi, q) in self.quotes.iter().enumerate() {
            for tk in &mut self.toks[q.ot + 1..q.ct] {
                tk.q = qi as u32 + 1;
            }
        }
    }

    fn push_quote(&mut self, ot: usize, ct: usize, closed: bool) {
        if ct <= ot + 1 {
            return;
        }
        let mut last = ct - 1;
        while last > ot && self.toks[last].k == K::Break {
            last -= 1;
        }
        if last == ot {
            return;
        }
        self.quotes.push(Quote {
            ot,
            ct,
            closed,
            cs: self.toks[ot + 1].s,
            ce: self.toks[last].e,
        });
    }

    /// Whether a straight quote mark opens or closes, from the spacing around it.
    fn straight_quote(&self, t: usize) -> K {
        let tk = self.toks[t];
        let prev = if tk.s == 0 { b' ' } else { self.b[tk.s - 1] };
        let next = self.b.get(tk.e).copied().unwrap_or(b' ');
        let open_ok = prev.is_ascii_whitespace() || matches!(prev, b'(' | b'[' | b'-' | b'/');
        let close_ok = next.is_ascii_whitespace()
            || matches!(
                next,
                b'.' | b',' | b';' | b':' | b'!' | b'?' | b')' | b']' | b'-'
            )
            || next >= 0x80 && !is_letter_at(self.body, tk.e);
        match (open_ok, close_ok) {
            (true, false) => K::QOpen,
            (false, true) => K::QClose,
            _ => K::Other,
        }
    }

    fn split_sentences(&mut self) {
        let n = self.toks.len();
        let mut st = 0;
        let mut t = 0;
        while t < n {
            let tk = self.toks[t];
            let end = match tk.k {
                K::Break => {
                    if st < t {
                        self.sents.push((st, t));
                    }
                    st = t + 1;
                    t += 1;
                    continue;
                }
                K::Stop if tk.q == 0 => self.boundary_after(t, false),
                K::QClose if t > 0 && self.toks[t - 1].k == K::Stop && self.toks[t - 1].q != 0 => {
                    self.boundary_after(t, true)
                }
                _ => None,
            };
            if let Some(e) = end {
                self.sents.push((st, e));
                st = e;
                t = e;
                continue;
            }
            t += 1;
        }
        if st < n {
            self.sents.push((st, n));
        }
    }

    /// Where the sentence ends when the stop (or the quote mark closing on a stop) at `t` ends
    /// it: the token after it and any closing brackets.
    fn boundary_after(&self, t: usize, at_close: bool) -> Option<usize> {
        let n = self.toks.len();
        let mut j = t + 1;
        while j < n && matches!(self.toks[j].k, K::Close | K::QClose) && self.toks[j].q == 0 {
            j += 1;
        }
        if j >= n {
            return Some(n);
        }
        let nx = self.toks[j];
        if nx.k == K::Break {
            return None;
        }
        if nx.s == self.toks[j - 1].e {
            return None;
        }
        let next_ok = match nx.k {
            K::Word => {
                let w = &self.b[nx.s..nx.e];
                w[0].is_ascii_uppercase() || w[0].is_ascii_digit() || w[0] >= 0x80
            }
            K::QOpen | K::QAmb | K::Open | K::Dash => true,
            _ => false,
        };
        if !next_ok {
            return None;
        }
        let stop = if at_close { t - 1 } else { t };
        let sb = &self.b[self.toks[stop].s..self.toks[stop].e];
        if at_close {
            if sb[0] != b'.' {
                // "“Is it?” Trump asked": a question mark closing a quote ends the sentence only
                // when no attribution follows
                for u in j..(j + 4).min(n) {
                    if self.toks[u].cue.is_some() {
                        return None;
                    }
                    if self.toks[u].k != K::Word {
                        break;
                    }
                }
            }
            return Some(j);
        }
        if sb == b"."
            && stop > 0
            && self.toks[stop - 1].k == K::Word
            && self.toks[stop - 1].e == self.toks[stop].s
        {
            let w = self.w(stop - 1);
            let nxw = if nx.k == K::Word {
                &self.b[nx.s..nx.e]
            } else {
                b"" as &[u8]
            };
            if in_list(w, ABBREV) {
                return None;
            }
            let initial = w.len() == 1 && w[0].is_ascii_uppercase();
            if (initial || w.contains(&b'.') || in_list(w, ABBREV_SOFT)) && !in_list(nxw, STARTERS)
            {
                return None;
            }
        }
        Some(j)
    }

    // ------------------------------------------------------------ direct quotes

    fn direct(&mut self, si: usize, qi: usize, used: &mut Vec<usize>) {
        let (ss, se) = self.sents[si];
        let q = self.quotes[qi];
        let (cs, ce) = self.trim_span(q.cs, q.ce);
        if cs >= ce {
            return;
        }
        // a straight quote opened again before the last one closed: the writer dropped the
        // closing mark between two quoted sentences of one utterance
        let straight = self.b[self.toks[q.ot].s] == b'"';
        if straight
            && qi > 0
            && self.quotes[qi - 1].ct == q.ot
            && !self.quotes[qi - 1].closed
            && let Some(last) = self.out.last_mut()
            && last.quote
            && last.span.1 <= self.toks[q.ot].s
            && last.span.1 >= self.quotes[qi - 1].cs
            && ce - last.span.0 < MAX_QUOTE
        {
            last.span.1 = ce;
            self.mark_reported(cs, ce);
            return;
        }
        let words = self.toks[q.ot + 1..q.ct]
            .iter()
            .filter(|t| t.k == K::Word)
            .count();
        if let Some((cue, spk)) = self
            .attrib_after(&q, se)
            .or_else(|| self.attrib_before(&q, ss))
        {
            used.push(cue);
            self.attributed.push(q.ot);
            let who = self.resolve(spk, self.toks[cue].s);
            self.emit(who, cue, true, cs, ce);
            return;
        }
        // a quote opening a sentence right after one whose statement ended it goes on with
        // that speaker ("“We will act,” he said. “We are ready.”"), also into the next paragraph
        if q.ot == ss
            && si > 0
            && words >= 2
            && let Some(last) = self.last_in(si - 1)
        {
            let (ps, pe) = self.sents[si - 1];
            let in_prev = last.span.1 >= self.toks[ps].s && last.span.1 <= self.toks[pe - 1].e;
            if in_prev {
                self.out.push(Found {
                    spk: last.spk,
                    cue: last.cue,
                    quote: true,
                    span: (cs, ce),
                });
                self.mark_reported(cs, ce);
            }
        }
    }

    /// The statement a quote in the next sentence continues: the last quotation ending in
    /// sentence `si`, else the last statement.
    fn last_in(&self, si: usize) -> Option<Found> {
        let (ps, pe) = self.sents[si];
        let (bs, be) = (self.toks[ps].s, self.toks[pe - 1].e);
        self.out
            .iter()
            .rev()
            .take_while(|f| f.span.1 >= bs)
            .find(|f| f.quote && f.span.1 <= be)
            .or(self.out.last())
            .cloned()
    }

    fn tok_at(&self, pos: usize) -> usize {
        self.toks.partition_point(|t| t.s < pos)
    }

    /// "“…,” Asif said", "“…,” said Asif", "“…,” the minister told reporters".
    fn attrib_after(&self, q: &Quote, se: usize) -> Option<(usize, Spk)> {
        if !q.closed {
            return None;
        }
        let mut j = q.ct + 1;
        while j < se && matches!(self.toks[j].k, K::Comma | K::Dash) {
            j += 1;
        }
        if j >= se || self.toks[j].k != K::Word {
            return None;
        }
        let first = self.w(j);
        let lead_ok = self.toks[j].cue.is_some()
            || is_cap(first)
            || pronoun(first).is_some()
            || in_list(first, DETS)
            || in_list(
                first,
                &[
                    "this", "that", "another", "some", "many", "several", "both", "two", "three",
                ],
            );
        if !lead_ok {
            return None;
        }
        // the subject may carry appositives: "“…,” Harry Bond, 30, of Raleigh, N.C., who was
        // among those polled, said"
        let lim = (j + 32).min(se);
        let mut words = 0;
        let mut comma = false;
        for c in j..lim {
            let tk = self.toks[c];
            match tk.k {
                K::Word => words += 1,
                K::Comma | K::Dash => comma = true,
                K::Open | K::Close | K::Stop => {}
                _ => return None,
            }
            if words > 8 && !comma {
                return None;
            }
            if let Some(cue) = tk.cue {
                if cue.lemma == Lemma::Accord {
                    return None;
                }
                // "“This Week,” Carson admitted that …": the cue opens a clause of its own
                let next = c + cue.len as usize;
                if self.is_word(next, "that") || next < se && self.toks[next].k == K::Colon {
                    return None;
                }
                if c == j {
                    if cue.form == Form::Ing {
                        return None;
                    }
                    let (_, spk) = self.np_after(next, se)?;
                    return Some((c, spk));
                }
                // "…, the actor held a fake audition and asked": a second verb, not a subject
                if c > j && self.toks[c - 1].k == K::Word && in_list(self.w(c - 1), CLAUSE_WORDS) {
                    return None;
                }
                if words > 7 && !comma {
                    return None;
                }
                let (_, spk) = self.subject(c, j)?;
                return Some((c, spk));
            }
        }
        None
    }

    /// "Asif said: “…”", "She said: \"…\"", "told reporters on Sunday, “…”".
    fn attrib_before(&self, q: &Quote, ss: usize) -> Option<(usize, Spk)> {
        let mut t = q.ot;
        let mut words = 0;
        let mut last_punct = true;
        while t > ss && q.ot - t < 24 {
            t -= 1;
            let tk = self.toks[t];
            if t + 1 == q.ot {
                last_punct = matches!(tk.k, K::Colon | K::Comma | K::Dash)
                    || (tk.k == K::Word && eq(self.w(t), "that"))
                    || tk.cue.is_some();
            }
            if tk.q != 0 || !matches!(tk.k, K::Word | K::Comma | K::Colon | K::Dash) {
                return None;
            }
            if let Some(cue) = tk.cue {
                if !last_punct {
                    return None;
                }
                let adjacent = t + 1 == q.ot || self.is_word(t + 1, "that") && t + 2 == q.ot;
                let qwords = self.toks[q.ot + 1..q.ct]
                    .iter()
                    .filter(|x| x.k == K::Word)
                    .take(3)
                    .count();
                if adjacent && qwords < 3 {
                    return None;
                }
                let spk = self.cue_speaker(t, cue, ss);
                return Some((t, spk));
            }
            if tk.k == K::Word {
                words += 1;
                if words > 6 {
                    return None;
                }
            }
        }
        None
    }

    // ------------------------------------------------------------ reported speech

    fn reported(&mut self, ss: usize, se: usize, t: usize, c: Cue, first: usize) {
        let cue_end = t + c.len as usize;
        if c.lemma == Lemma::Accord {
            self.according(ss, se, t, cue_end);
            return;
        }
        if c.passive {
            // "Asked whether he would run, …": what was asked, by someone unnamed
            if let Some(start) = self.content_start(cue_end, se, c) {
                let end = self.content_end(start, se);
                if let Some((s, e)) = self.byte_span(start, end) {
                    self.emit(None, t, false, s, e);
                }
            }
            return;
        }
        if c.lemma == Lemma::Call {
            let Some(ot) = (cue_end..(cue_end + 10).min(se)).find(|&u| self.toks[u].k == K::QOpen)
            else {
                return;
            };
            let Some(q) = self.quotes.iter().find(|q| q.ot == ot).copied() else {
                return;
            };
            let end = if q.closed { q.ct + 1 } else { q.ct };
            let spk = self.cue_speaker(t, c, ss);
            if let Some((s, e)) = self.byte_span(cue_end, end.min(se)) {
                let who = self.resolve(spk, self.toks[t].s);
                self.emit(who, t, false, s, e);
            }
            return;
        }
        // trailing attribution: "…, Asif said." / "…, said Asif." / "…, he said, …"
        if let Some((k, spk, after)) = self.trailing(ss, se, t, c) {
            let end = if after { self.content_end(t, se) } else { k };
            let (s, e) = if after { (ss, end) } else { (ss, k) };
            if let Some((s, e)) = self.byte_span(s, e) {
                let who = self.resolve(spk, self.toks[t].s);
                let inner = self.whole_quote(s, e);
                let (s, e) = inner.unwrap_or((s, e));
                self.emit(who, t, inner.is_some(), s, e);
            }
            return;
        }
        let Some(start) = self.content_start(cue_end, se, c) else {
            return;
        };
        let end = self.content_end(start, se);
        if end <= start {
            return;
        }
        let words = self.toks[start..end]
            .iter()
            .filter(|x| x.k == K::Word)
            .count();
        if words < 2 {
            return;
        }
        let spk = self.cue_speaker_in(t, c, ss, first);
        let Some((s, e)) = self.byte_span(start, end) else {
            return;
        };
        let who = match spk {
            Ok(spk) => self.resolve(spk, self.toks[t].s),
            Err(w) => w,
        };
        let inner = self.whole_quote(s, e);
        let (s, e) = inner.unwrap_or((s, e));
        self.emit(who, t, inner.is_some(), s, e);
    }

    /// "In a statement, the ministry condemned the attack …": a sentence opened by the medium
    /// of a statement reports it even without a verb of saying.
    fn medium_opening(&mut self, ss: usize, se: usize) {
        if se < ss + 5
            || !self.is_word(ss, "in")
            || !(self.is_word(ss + 1, "a")
                || self.is_word(ss + 1, "an")
                || self.is_word(ss + 1, "his")
                || self.is_word(ss + 1, "her")
                || self.is_word(ss + 1, "its"))
            || self.toks[ss + 3].k != K::Comma
            || !in_list(
                self.w(ss + 2),
                &[
                    "statement",
                    "interview",
                    "tweet",
                    "post",
                    "letter",
                    "speech",
                    "email",
                    "video",
                    "op-ed",
                    "editorial",
                    "memo",
                ],
            )
            || (ss..se).any(|u| self.toks[u].cue.is_some() && self.toks[u].q == 0)
        {
            return;
        }
        let Some((np_end, spk)) = self.np_after(ss + 4, se) else {
            return;
        };
        let start = np_end;
        let end = self.content_end(start, se);
        if let Some((s, e)) = self.byte_span(start, end) {
            let who = self.resolve(spk, self.toks[ss].s);
            let cue = (self.toks[ss].s, self.toks[ss + 2].e);
            self.out.push(Found {
                spk: who,
                cue,
                quote: false,
                span: (s, e),
            });
            self.mark_reported(s, e);
        }
    }

    /// The subject of a cue: before it, or for a participle or a second verb ("…, saying",
    /// "and warned"), the subject of the sentence.
    fn cue_speaker(&self, t: usize, c: Cue, ss: usize) -> Spk {
        let to = t > ss && self.is_word(t - 1, "to");
        // "with Donald Trump tweeting that …": a named subject right before the participle
        let own =
            c.form == Form::Ing && t > ss && self.toks[t - 1].k == K::Word && self.named_subject(t);
        if (c.form == Form::Ing && !own) || to || self.after_conjunction(t, ss) {
            return self.main_subject(ss, t);
        }
        self.subject(t, ss).map(|x| x.1).unwrap_or(Spk::Unknown)
    }

    fn cue_speaker_in(
        &self,
        t: usize,
        c: Cue,
        ss: usize,
        first: usize,
    ) -> Result<Spk, Option<Who>> {
        if (c.form == Form::Ing || self.after_conjunction(t, ss)) && self.out.len() > first {
            // the sentence already has a statement: its speaker is the subject
            return Err(self.out[self.out.len() - 1].spk);
        }
        Ok(self.cue_speaker(t, c, ss))
    }

    fn after_conjunction(&self, t: usize, ss: usize) -> bool {
        let mut p = t;
        while p > ss {
            p -= 1;
            if self.toks[p].k != K::Word {
                return false;
            }
            let w = self.w(p);
            if in_list(w, &["and", "but", "or"]) {
                return true;
            }
            if !is_skip(w) {
                return false;
            }
        }
        false
    }

    /// A trailing or inserted attribution: returns the comma before it, the subject and
    /// whether content goes on after it ("The plan, he said, is dead").
    fn trailing(&self, ss: usize, se: usize, t: usize, c: Cue) -> Option<(usize, Spk, bool)> {
        let cue_end = t + c.len as usize;
        // rest of the clause after the cue (and its subject, when inverted) must be short
        let inverted = (t > ss
            && matches!(self.toks[t - 1].k, K::Comma | K::Dash | K::QClose)
            && self.invertible(t, c))
        .then(|| self.np_after(cue_end, se))
        .flatten()
        // "…, said our correspondent": an unnamed speaker, still an attribution
        .filter(|(_, spk)| !matches!(spk, Spk::Unknown) || in_list(self.w(cue_end), DETS));
        let (k, spk, rest_from) = if let Some((np_end, spk)) = inverted {
            (t - 1, spk, np_end)
        } else {
            let (st, spk) = self.subject(t, ss)?;
            // "…, digital consultant Phil Musser says": role words before the name
            let mut b = st;
            while b > ss
                && st - b < 4
                && self.toks[b - 1].k == K::Word
                && !is_cap(self.w(b - 1))
                && !is_skip(self.w(b - 1))
                && !in_list(self.w(b - 1), CLAUSE_WORDS)
            {
                b -= 1;
            }
            // "…, he should have insisted on …" is a clause, not an attribution
            if (st..t).any(|x| self.toks[x].k == K::Word && in_list(self.w(x), MODALS)) {
                return None;
            }
            let before =
                |x: usize| x > ss && matches!(self.toks[x - 1].k, K::Comma | K::Dash | K::QClose);
            let st = if before(st) {
                st
            } else if before(b) {
                b
            } else {
                return None;
            };
            (st - 1, spk, cue_end)
        };
        if k <= ss {
            return None;
        }
        // what follows a trailing attribution is a time, a place, a medium ("on Tuesday", "in a
        // statement") or, for "told"/"asked", who was addressed; not a clause of its own
        if rest_from < se && self.toks[rest_from].k == K::Word {
            let w = self.w(rest_from);
            let addressed = matches!(c.lemma, Lemma::Tell | Lemma::Ask);
            let ok = addressed
                || in_list(w, PP_START)
                || in_list(w, WEEKDAYS)
                || in_list(
                    w,
                    &[
                        "when", "while", "as", "after", "before", "because", "adding",
                    ],
                );
            if !ok {
                return None;
            }
        }
        let mut words = 0;
        let mut u = rest_from;
        while u < se {
            let tk = self.toks[u];
            match tk.k {
                K::Word => {
                    if eq(self.w(u), "that") || tk.cue.is_some() && u == rest_from {
                        return None;
                    }
                    words += 1;
                    if words > 8 {
                        return None;
                    }
                }
                K::Comma | K::Dash => {
                    let after = self.more_words(u + 1, se);
                    if !after {
                        return Some((k, spk, false));
                    }
                    // "…, Asif wrote in a tweet, adding that …": the next clause is its own
                    return Some((k, spk, !self.next_is_cue(u + 1, se)));
                }
                K::Stop | K::Close | K::QClose => {}
                _ => return None,
            }
            u += 1;
        }
        Some((k, spk, false))
    }

    /// Verbs that news writing puts before their subject ("…, said Asif", "…, added the
    /// minister"); others after a comma have an object ("…, denied the report").
    fn invertible(&self, t: usize, c: Cue) -> bool {
        c.form != Form::Ing
            && (c.lemma == Lemma::Say
                || c.lemma == Lemma::Ask
                || in_list(
                    self.w(t),
                    &[
                        "added",
                        "adds",
                        "wrote",
                        "writes",
                        "explained",
                        "noted",
                        "notes",
                        "declared",
                        "continued",
                        "recalled",
                        "argued",
                        "argues",
                        "insisted",
                        "warned",
                        "tweeted",
                        "observed",
                        "replied",
                        "responded",
                        "concluded",
                        "stated",
                        "quipped",
                        "remarked",
                        "conceded",
                        "acknowledged",
                        "predicted",
                        "suggested",
                        "told",
                    ],
                ))
    }

    fn more_words(&self, from: usize, se: usize) -> bool {
        self.toks[from..se.min(from + 12).max(from)]
            .iter()
            .filter(|x| x.k == K::Word)
            .take(2)
            .count()
            >= 2
    }

    fn next_is_cue(&self, from: usize, se: usize) -> bool {
        let mut u = from;
        while u < se && u < from + 3 {
            if self.toks[u].cue.is_some() {
                return true;
            }
            if self.toks[u].k != K::Word {
                return false;
            }
            u += 1;
        }
        false
    }

    /// "According to X, …" and "…, according to X."
    fn according(&mut self, ss: usize, se: usize, t: usize, cue_end: usize) {
        let mut np_end = cue_end;
        while np_end < se && np_end - cue_end < 12 && self.toks[np_end].k == K::Word {
            np_end += 1;
        }
        let spk = self.np_speaker(cue_end, np_end);
        let lead = (ss..t)
            .all(|u| self.toks[u].k == K::Word && in_list(self.w(u), &["but", "and", "so", "yet"]));
        let (s, e) = if lead {
            if np_end >= se || self.toks[np_end].k != K::Comma {
                return;
            }
            (np_end + 1, self.content_end(np_end + 1, se))
        } else if self.toks[t - 1].k == K::Comma {
            if self.more_words(np_end, se) && self.toks[np_end].k == K::Comma {
                (ss, self.content_end(np_end, se))
            } else {
                (ss, t - 1)
            }
        } else {
            (ss, t)
        };
        if let Some((s, e)) = self.byte_span(s, e) {
            let who = self.resolve(spk, self.toks[t].s);
            self.emit(who, t, false, s, e);
        }
    }

    fn content_start(&self, cue_end: usize, se: usize, c: Cue) -> Option<usize> {
        let mut u = cue_end;
        if u >= se {
            return None;
        }
        let tk = self.toks[u];
        if tk.k == K::Word && eq(self.w(u), "that") {
            return Some(u + 1);
        }
        if matches!(tk.k, K::Colon | K::Comma | K::Dash) {
            u += 1;
            if self.is_word(u, "that") {
                u += 1;
            }
            return (u < se).then_some(u);
        }
        if tk.k == K::QOpen {
            return Some(u);
        }
        if tk.k != K::Word {
            return None;
        }
        let w = self.w(u);
        let object = matches!(
            c.lemma,
            Lemma::Tell | Lemma::Ask | Lemma::Warn | Lemma::Urge
        );
        let pp = in_list(w, PP_START) || in_list(w, WEEKDAYS);
        if object || pp || c.need == Need::That {
            let lim = (u + 12).min(se);
            for v in u..lim {
                let x = self.toks[v];
                match x.k {
                    K::Word if eq(self.w(v), "that") => return Some(v + 1),
                    K::Word if x.cue.is_some() && v > u => break,
                    K::Colon => return Some(v + 1),
                    K::QOpen if v > u && matches!(self.toks[v - 1].k, K::Comma | K::Colon) => {
                        return Some(v);
                    }
                    K::Stop | K::Semi | K::QOpen | K::QClose => break,
                    _ => {}
                }
            }
            if c.need == Need::That {
                return None;
            }
        }
        Some(u)
    }

    /// Where reported content ends: the sentence end, or before a clause that attributes
    /// something else (", saying …", ", he said", " and warned that …", ", according to").
    fn content_end(&self, start: usize, se: usize) -> usize {
        // a run-on "sentence" (a list, a table) must not make the scan quadratic
        let se = se.min(start + MAX_CONTENT);
        let mut u = start;
        while u < se {
            let tk = self.toks[u];
            if tk.q != 0 {
                u += 1;
                continue;
            }
            if u > start && self.attributed.contains(&u) {
                return u;
            }
            match tk.k {
                K::Comma | K::Dash | K::Semi => {
                    if self.attribution_follows(u + 1, se) {
                        return u;
                    }
                    if u > start && self.writer_aside(u, se) {
                        return u;
                    }
                }
                K::Word if u > start => {
                    let w = self.w(u);
                    if in_list(w, &["and", "but", "while"])
                        && let Some(c) = self.toks.get(u + 1).and_then(|x| x.cue)
                        && (c.form != Form::Ing || eq(w, "while"))
                        && c.lemma != Lemma::Accord
                    {
                        return u;
                    }
                    // "… and by warning that …"
                    if in_list(w, &["and", "but"])
                        && self.toks.get(u + 1).is_some_and(|x| x.k == K::Word)
                        && in_list(self.w(u + 1), &["by", "then", "also", "later"])
                        && self.toks.get(u + 2).is_some_and(|x| x.cue.is_some())
                    {
                        return u;
                    }
                    // "… and Donald Trump says …": another speaker's clause
                    if in_list(w, &["and", "but", "while", "whereas"])
                        && self.attribution_follows(u + 1, se)
                    {
                        return u;
                    }
                }
                _ => {}
            }
            u += 1;
        }
        se
    }

    /// Whether the comma at `u` opens the writer's own addition to reported content: a
    /// non-restrictive relative (", which …"), a concession (", despite …"), or a new clause or
    /// verb of the subject (", and they rejected …", ", and reminded …").
    fn writer_aside(&self, u: usize, se: usize) -> bool {
        let Some(n) = (u + 1 < se).then_some(u + 1) else {
            return false;
        };
        if self.toks[n].k != K::Word {
            return false;
        }
        let w = self.w(n);
        if in_list(
            w,
            &[
                "which", "whom", "whose", "despite", "although", "though", "whereas",
            ],
        ) {
            return true;
        }
        if in_list(w, &["and", "but", "yet"]) && n + 1 < se && self.toks[n + 1].k == K::Word {
            let w2 = self.w(n + 1);
            return pronoun(w2).is_some()
                || in_list(
                    w2,
                    &[
                        "has", "had", "have", "was", "is", "also", "then", "later", "said",
                    ],
                )
                || w2.len() > 4 && w2.ends_with(b"ed") && w2[0].is_ascii_lowercase();
        }
        false
    }

    fn attribution_follows(&self, from: usize, se: usize) -> bool {
        let mut u = from;
        let lim = (from + 6).min(se);
        while u < lim {
            let tk = self.toks[u];
            if tk.k != K::Word || tk.q != 0 {
                return false;
            }
            if let Some(c) = tk.cue {
                if c.lemma == Lemma::Accord || c.form == Form::Ing {
                    return true;
                }
                // ", he said" / ", Asif warned that …" / "…, said in an interview that": another
                // clause, maybe another speaker
                return u > from || c.form != Form::Base;
            }
            let w = self.w(u);
            if in_list(w, MODALS) {
                return false;
            }
            let ok = pronoun(w).is_some()
                || is_cap(w)
                || in_list(w, DETS)
                || in_list(w, &["and", "but", "while", "also", "then", "later"])
                || (u > from && w[0].is_ascii_lowercase());
            if !ok {
                return false;
            }
            u += 1;
        }
        false
    }

    fn byte_span(&self, s: usize, e: usize) -> Option<(usize, usize)> {
        let mut e = e;
        while e > s
            && matches!(
                self.toks[e - 1].k,
                K::Stop | K::Comma | K::Semi | K::Colon | K::Dash | K::Break
            )
        {
            e -= 1;
        }
        let mut s = s;
        while s < e && matches!(self.toks[s].k, K::Comma | K::Colon | K::Dash | K::Break) {
            s += 1;
        }
        if s >= e {
            return None;
        }
        Some((self.toks[s].s, self.toks[e - 1].e))
    }

    fn trim_span(&self, s: usize, e: usize) -> (usize, usize) {
        let b = self.b;
        let mut e = e;
        while e > s && (b[e - 1].is_ascii_whitespace() || b[e - 1] == b',') {
            e -= 1;
        }
        let mut s = s;
        while s < e && b[s].is_ascii_whitespace() {
            s += 1;
        }
        (s, e)
    }

    /// The quotation a content span is exactly, marks included: then the content is the
    /// quoted words and the statement a quote.
    fn whole_quote(&self, s: usize, e: usize) -> Option<(usize, usize)> {
        let i = self.quotes.partition_point(|q| self.toks[q.ot].s < s);
        let q = self.quotes.get(i)?;
        let exact = self.toks[q.ot].s == s && q.closed && self.toks[q.ct].e == e;
        let (a, b) = self.trim_span(q.cs, q.ce);
        (exact && a < b).then_some((a, b))
    }

    // ------------------------------------------------------------ subjects

    /// The subject noun phrase ending right before token `t` (adverbs and auxiliaries
    /// skipped): its first token and who it is.
    fn subject(&self, t: usize, lo: usize) -> Option<(usize, Spk)> {
        self.subject_within(t, lo, 4)
    }

    /// `subject`, following at most `depth` relative pronouns, parentheses and phrases back.
    fn subject_within(&self, t: usize, lo: usize, depth: u8) -> Option<(usize, Spk)> {
        if depth == 0 {
            return None;
        }
        let mut j = t;
        while j > lo
            && self.toks[j - 1].k == K::Word
            && is_skip(self.w(j - 1))
            && pronoun(self.w(j - 1)).is_none()
        {
            if eq(self.w(j - 1), "who") || eq(self.w(j - 1), "which") {
                // "Clinton, who announced …": the antecedent before the comma
                if j - 1 > lo && self.toks[j - 2].k == K::Comma {
                    return self.subject_within(j - 2, lo, depth - 1);
                }
                return None;
            }
            j -= 1;
        }
        if j <= lo {
            return None;
        }
        let mut h = j - 1;
        if self.toks[h].k == K::Stop
            && h > lo
            && self.toks[h - 1].k == K::Word
            && self.toks[h - 1].e == self.toks[h].s
        {
            // "the F.B.I. has said"
            h -= 1;
        }
        let tk = self.toks[h];
        match tk.k {
            K::Word => {
                let (st, spk) = self.np_ending(h, lo);
                if self.is_person(spk) {
                    return Some((st, spk));
                }
                // "Jeb Bush in a Medium post said": the subject is before the phrase
                if st > lo + 1
                    && self.toks[st - 1].k == K::Word
                    && in_list(
                        self.w(st - 1),
                        &[
                            "in", "on", "at", "during", "via", "through", "with", "after",
                        ],
                    )
                    && let Some((st2, spk2)) = self.subject_within(st - 1, lo, depth - 1)
                    && self.is_person(spk2)
                {
                    return Some((st2, spk2));
                }
                // "Anthony Anton, president and CEO of the Washington Restaurant Association,
                // stated" written without the closing comma
                if let Some(c) = (st.saturating_sub(12).max(lo)..st)
                    .rev()
                    .find(|&x| self.toks[x].k == K::Comma)
                    && (c + 1..st).all(|x| self.toks[x].k == K::Word)
                    && (c + 1..=h).any(|x| in_list(self.w(x), ROLE_HEADS))
                    && c > lo
                    && self.toks[c - 1].k == K::Word
                {
                    let (st2, spk2) = self.np_ending(c - 1, lo);
                    if self.is_person(spk2) {
                        return Some((st2, spk2));
                    }
                }
                Some((st, spk))
            }
            K::Close => {
                let mut p = h;
                while p > lo && self.toks[p].k != K::Open {
                    p -= 1;
                }
                if p <= lo || h - p > 24 {
                    return None;
                }
                self.subject_within(p, lo, depth - 1)
            }
            K::Comma | K::Dash => self.appositive(h, lo),
            _ => None,
        }
    }

    fn is_person(&self, spk: Spk) -> bool {
        match spk {
            Spk::Actor(a) => self.actors[a].kind == ActorKind::Person,
            Spk::Pron(p) => matches!(p, Pron::He | Pron::She),
            Spk::Literal(..) => true,
            _ => false,
        }
    }

    /// A subject followed by appositives: "David Frost, director general of the British
    /// Chambers of Commerce, warned", "Marley Anderson, 21, a junior from Las Vegas, said",
    /// "The Shadow Secretary of State for the Family, Theresa May, said". The leftmost
    /// comma-separated part that names a person is the subject; else the first role or
    /// organisation phrase.
    fn appositive(&self, h: usize, lo: usize) -> Option<(usize, Spk)> {
        // commas going back from the one before the cue, to the clause start
        let mut commas = [0usize; 5];
        let mut n = 0;
        commas[n] = h;
        n += 1;
        let mut p = h;
        let mut start = lo;
        while p > lo {
            p -= 1;
            let k = self.toks[p].k;
            if self.toks[p].q != 0 || matches!(k, K::QClose | K::QOpen) && h - p < 30 {
                // "Hemsley, the co-author of “Going Viral,” about …, said"
                continue;
            }
            if h - p > 40 || matches!(k, K::Colon | K::Semi | K::Break | K::QClose | K::QOpen) {
                start = p + 1;
                break;
            }
            if matches!(k, K::Comma | K::Dash) {
                if n == commas.len() {
                    start = p + 1;
                    break;
                }
                commas[n] = p;
                n += 1;
            }
        }
        let mut fallback = None;
        for i in (0..n).rev() {
            let c = commas[i];
            let seg_start = if i + 1 < n { commas[i + 1] + 1 } else { start };
            let mut c = c;
            if c > seg_start && self.toks[c - 1].k == K::Close {
                while c > seg_start && self.toks[c - 1].k != K::Open {
                    c -= 1;
                }
                c = c.saturating_sub(1);
            }
            if c <= seg_start || self.toks[c - 1].k != K::Word {
                continue;
            }
            let (mut st, mut spk) = self.np_ending(c - 1, seg_start);
            // "Stacy Baker of Columbia, South Carolina, says": the person before "of"
            if (!self.is_person(spk) || self.after_function_word(st, seg_start))
                && st > seg_start + 1
                && self.toks[st - 2].k == K::Word
                && in_list(self.w(st - 1), &["of", "from"])
            {
                let (st2, spk2) = self.np_ending(st - 2, seg_start);
                if self.is_person(spk2) && !self.after_function_word(st2, seg_start) {
                    (st, spk) = (st2, spk2);
                }
            }
            let person = match spk {
                Spk::Actor(a) => self.actors[a].kind == ActorKind::Person,
                Spk::Pron(p) => matches!(p, Pron::He | Pron::She),
                Spk::Literal(..) => !self.after_function_word(st, seg_start),
                _ => false,
            };
            if person {
                return Some((st, spk));
            }
            if fallback.is_none() && !matches!(spk, Spk::Unknown) {
                fallback = Some((st, spk));
            }
        }
        fallback
    }

    /// Whether the name starting at `st` follows "the", "of", "from"…: a place or an
    /// institution ("the Family", "from Las Vegas"), not a person.
    fn after_function_word(&self, st: usize, lo: usize) -> bool {
        st > lo
            && self.toks[st - 1].k == K::Word
            && in_list(
                self.w(st - 1),
                &[
                    "the", "of", "from", "in", "at", "for", "on", "to", "by", "with", "near",
                    "across", "where",
                ],
            )
    }

    fn mention_at(&self, pos: usize) -> Option<&Mention> {
        let i = self.mentions.partition_point(|m| m.s <= pos);
        self.mentions[..i]
            .iter()
            .rev()
            .take(4)
            .find(|m| m.s <= pos && pos < m.e)
    }

    /// The noun phrase whose last word is token `h`.
    fn np_ending(&self, h: usize, lo: usize) -> (usize, Spk) {
        let w = self.w(h);
        if let Some(m) = self.mention_at(self.toks[h].s) {
            let mut st = h;
            while st > lo && self.toks[st - 1].k == K::Word && self.toks[st - 1].s >= m.s {
                st -= 1;
            }
            return (self.title_start(st, lo), Spk::Actor(m.actor));
        }
        if let Some(p) = pronoun(w) {
            return (h, Spk::Pron(p));
        }
        if is_cap(w) {
            let mut st = h;
            while st > lo
                && self.toks[st - 1].k == K::Word
                && is_cap(self.w(st - 1))
                && !in_list(self.w(st - 1), NOT_NAMES)
            {
                st -= 1;
            }
            if st == h && in_list(w, NOT_NAMES) {
                return (h, Spk::Unknown);
            }
            return (self.title_start(st, lo), self.lookup_name(st, h));
        }
        // "the (Pakistani) defence minister", "the ministry", "a spokesman for the party"
        let mut st = h;
        let mut head = None;
        let mut k = h;
        loop {
            let wk = self.w(k);
            if eq(wk, "of") || eq(wk, "for") {
                head = None;
            } else if head.is_none() && (in_list(wk, ROLE_HEADS) || in_list(wk, ORG_HEADS)) {
                head = Some(k);
            }
            if in_list(wk, DETS) {
                st = k;
                break;
            }
            if k <= lo || h - k >= 6 || self.toks[k - 1].k != K::Word {
                break;
            }
            k -= 1;
        }
        let det_the = in_list(self.w(st), &["the"]);
        let Some(hd) = head else {
            return (st, Spk::Unknown);
        };
        if !det_the {
            return (st, Spk::Unknown);
        }
        if in_list(self.w(hd), ORG_HEADS) {
            return (st, Spk::Org { head: hd });
        }
        let modifier = (hd > st + 1).then_some(hd - 1);
        (st, Spk::Role { head: hd, modifier })
    }

    /// Extends a name start back over titles ("Defence Minister", "Sen.", "Mr").
    fn title_start(&self, st: usize, lo: usize) -> usize {
        let mut s = st;
        while s > lo {
            let p = s - 1;
            match self.toks[p].k {
                K::Word if in_list(self.w(p), TITLES) || in_list(self.w(p), ABBREV) => s = p,
                K::Stop
                    if p > lo
                        && self.toks[p - 1].k == K::Word
                        && in_list(self.w(p - 1), ABBREV) =>
                {
                    s = p - 1
                }
                _ => break,
            }
        }
        s
    }

    /// A capitalised name no actor span covers: an actor with the same last word, or the
    /// name as written.
    fn lookup_name(&self, st: usize, h: usize) -> Spk {
        let mut st = st;
        while st < h && in_list(self.w(st), TITLES) {
            st += 1;
        }
        let last = self.w(h);
        if last.len() < 2 || in_list(last, NOT_NAMES) {
            return Spk::Unknown;
        }
        let person = self.actors.iter().position(|a| {
            a.kind == ActorKind::Person
                && a.name
                    .rsplit(' ')
                    .next()
                    .is_some_and(|x| x.as_bytes() == last)
        });
        if let Some(a) = person {
            return Spk::Actor(a);
        }
        Spk::Literal(self.toks[st].s, self.toks[h].e)
    }

    /// The noun phrase starting at token `t` after an inverted cue ("said Asif", "said the
    /// minister", "said RNC spokesman Sean Spicer", "said Dante Scala, a professor …"): its
    /// end and who it is. The name is the last capitalised run before a preposition or a
    /// punctuation mark; role words and adjectives before it are part of the phrase.
    fn np_after(&self, t: usize, se: usize) -> Option<(usize, Spk)> {
        let u = t;
        if u >= se || self.toks[u].k != K::Word {
            return None;
        }
        if let Some(p) = pronoun(self.w(u)) {
            return Some((u + 1, Spk::Pron(p)));
        }
        let mut run: Option<(usize, usize)> = None;
        let mut cur: Option<usize> = None;
        let mut lower_words = 0;
        let mut e = u;
        while e < se && e - u < 10 {
            let tk = self.toks[e];
            let name_dot = tk.k == K::Stop
                && e > u
                && self.toks[e - 1].k == K::Word
                && (in_list(self.w(e - 1), ABBREV) || self.w(e - 1).len() == 1);
            if name_dot {
                e += 1;
                continue;
            }
            if tk.k != K::Word || (tk.cue.is_some() && e > u) {
                break;
            }
            let w = self.w(e);
            if in_list(
                w,
                &[
                    "of", "in", "at", "from", "for", "on", "who", "which", "and", "to", "after",
                    "before", "during", "with", "that",
                ],
            ) {
                break;
            }
            let cap = is_cap(w) && !in_list(w, WEEKDAYS) && !in_list(w, MONTHS);
            if cap && !in_list(w, TITLES) && !in_list(w, ABBREV) && !in_list(w, NOT_NAMES) {
                let st = *cur.get_or_insert(e);
                run = Some((st, e + 1));
            } else {
                cur = None;
                if !cap {
                    lower_words += 1;
                    let plain = !in_list(w, DETS) && !in_list(w, ROLE_HEADS);
                    // "BBC labour affairs correspondent Stephen Cape": words up to a role
                    // noun right before the name
                    let modifier =
                        w.contains(&b'-') || run.is_some() && self.role_before_name(e, se);
                    if plain
                        && (lower_words > 3
                            || pronoun(w).is_some()
                            || is_skip(w)
                            || run.is_some() && !modifier)
                    {
                        break;
                    }
                }
            }
            e += 1;
        }
        if let Some((rs, re)) = run {
            if let Some(m) = self
                .mention_at(self.toks[re - 1].s)
                .or_else(|| self.mention_at(self.toks[rs].s))
            {
                return Some((re, Spk::Actor(m.actor)));
            }
            return Some((re, self.lookup_name(rs, re - 1)));
        }
        if in_list(self.w(u), DETS) && e > u + 1 {
            let (_, spk) = self.np_ending(e - 1, u);
            return Some((e, spk));
        }
        None
    }

    /// Whether a role noun followed by a capitalised word comes within three words of `e`.
    fn role_before_name(&self, e: usize, se: usize) -> bool {
        let end = (e + 3).min(se);
        (e..end).all(|r| self.toks[r].k == K::Word)
            && (e..end).any(|r| {
                in_list(self.w(r), ROLE_HEADS)
                    && self
                        .toks
                        .get(r + 1)
                        .is_some_and(|x| x.k == K::Word && is_cap(&self.b[x.s..x.e]))
            })
    }

    /// Who a short noun phrase names ("the United Nations", "officials", "Reuters").
    fn np_speaker(&self, s: usize, e: usize) -> Spk {
        if s >= e {
            return Spk::Unknown;
        }
        let (bs, be) = (self.toks[s].s, self.toks[e - 1].e);
        let i = self.mentions.partition_point(|m| m.s < bs);
        if let Some(m) = self.mentions[i..].iter().take_while(|m| m.s < be).next() {
            return Spk::Actor(m.actor);
        }
        self.np_after(s, e).map(|x| x.1).unwrap_or(Spk::Unknown)
    }

    /// The subject of the sentence: a participle or a second verb ("…, saying …",
    /// "… and warned that …") has the subject of the first.
    fn main_subject(&self, ss: usize, t: usize) -> Spk {
        let i = self.sents.partition_point(|x| x.0 < ss);
        let se = self.sents.get(i).filter(|x| x.0 == ss).map_or(t, |x| x.1);
        // "WASHINGTON — Sen. Bernie Sanders …": a dateline is not the subject
        let mut start = ss;
        if let Some(d) = (ss..(ss + 4).min(t)).find(|&u| self.toks[u].k == K::Dash)
            && (ss..d).all(|u| {
                self.toks[u].k == K::Word && self.w(u).iter().all(|c| !c.is_ascii_lowercase())
            })
        {
            start = d + 1;
        }
        // the phrase opening the sentence, or the one after an opening adverbial ("Later that
        // day, Trump fired back …, saying")
        let mut cands = [None, None];
        let mut u = start;
        for cand in &mut cands {
            while u < t
                && (self.toks[u].k == K::Comma
                    || self.toks[u].k == K::Word
                        && in_list(
                            self.w(u),
                            &["but", "and", "so", "yet", "however", "still", "meanwhile"],
                        ))
            {
                u += 1;
            }
            if u < t
                && let Some((e, spk)) = self.np_after(u, se)
                && e <= t
                && !matches!(spk, Spk::Unknown)
            {
                *cand = Some(spk);
            }
            match (u..(u + 10).min(t)).find(|&x| self.toks[x].k == K::Comma) {
                Some(c) => u = c + 1,
                None => break,
            }
        }
        let person = |x: &Option<Spk>| match x {
            Some(Spk::Actor(a)) => self.actors[*a].kind == ActorKind::Person,
            Some(Spk::Pron(_)) => true,
            _ => false,
        };
        if person(&cands[0]) {
            return cands[0].unwrap_or(Spk::Unknown);
        }
        if person(&cands[1]) || matches!(cands[1], Some(Spk::Literal(..))) {
            return cands[1].unwrap_or(Spk::Unknown);
        }
        if let Some(c) = cands[0] {
            return c;
        }
        let mut org = None;
        let mut u = ss;
        let se = se.min(ss + 120);
        while u < se {
            if u == t {
                u += 1;
                continue;
            }
            let tk = self.toks[u];
            if tk.k == K::Word && tk.q == 0 {
                let w = self.w(u);
                if let Some(p) = pronoun(w)
                    && p != Pron::It
                {
                    return Spk::Pron(p);
                }
                if let Some(m) = self.mention_at(tk.s) {
                    if self.actors[m.actor].kind == ActorKind::Person {
                        return Spk::Actor(m.actor);
                    }
                    org.get_or_insert(m.actor);
                }
                if eq(w, "the") {
                    let mut k = u + 1;
                    while k < se && k < u + 4 && self.toks[k].k == K::Word {
                        let wk = self.w(k);
                        if in_list(wk, ROLE_HEADS) {
                            return Spk::Role {
                                head: k,
                                modifier: (k > u + 1).then_some(k - 1),
                            };
                        }
                        k += 1;
                    }
                }
            }
            if tk.cue.is_some() && u > t {
                break;
            }
            u += 1;
        }
        org.map(Spk::Actor).unwrap_or(Spk::Pron(Pron::He))
    }

    // ------------------------------------------------------------ resolution

    fn resolve(&self, spk: Spk, pos: usize) -> Option<Who> {
        match spk {
            Spk::Actor(a) => Some(Who::Actor(a)),
            Spk::Literal(s, e) => Some(Who::Literal(s, e)),
            Spk::Unknown => None,
            Spk::Pron(p) => self.focus(pos, p).map(Who::Actor),
            Spk::Role { head, modifier } => {
                let hw = self.w(head);
                let with_mod = modifier.and_then(|m| {
                    let mw = self.w(m);
                    self.recent(pos, |a| {
                        a.kind == ActorKind::Person
                            && a.role
                                .as_deref()
                                .is_some_and(|r| contains_phrase(r, &[mw, hw]))
                    })
                });
                with_mod
                    .or_else(|| {
                        self.recent(pos, |a| {
                            a.kind == ActorKind::Person
                                && a.role.as_deref().is_some_and(|r| contains_phrase(r, &[hw]))
                        })
                    })
                    .or_else(|| self.focus(pos, Pron::He))
                    .map(Who::Actor)
            }
            Spk::Org { head } => {
                let hw = self.w(head);
                self.recent(pos, |a| {
                    a.kind == ActorKind::Organisation && contains_phrase(&a.name, &[hw])
                })
                .or_else(|| {
                    in_list(hw, ORG_GENERIC)
                        .then(|| self.recent(pos, |a| a.kind == ActorKind::Organisation))
                        .flatten()
                })
                .map(Who::Actor)
            }
        }
    }

    /// The most recent actor before `pos` (outside quotations) that `f` accepts.
    fn recent(&self, pos: usize, f: impl Fn(&Actor) -> bool) -> Option<usize> {
        let i = self.mentions.partition_point(|m| m.s < pos);
        self.mentions[..i]
            .iter()
            .rev()
            .take(300)
            .filter(|m| !m.in_quote)
            .map(|m| m.actor)
            .find(|&a| f(&self.actors[a]))
            .or_else(|| self.actors.iter().position(f))
    }

    /// The actor a pronoun refers to: the most recent person named outside quotations and
    /// outside what others were reported to say, preferring one whose honorific agrees.
    fn focus(&self, pos: usize, p: Pron) -> Option<usize> {
        let i = self.mentions.partition_point(|m| m.s < pos);
        let cands = self.mentions[..i]
            .iter()
            .rev()
            .filter(|m| !m.in_quote && !m.reported);
        match p {
            Pron::They | Pron::It => cands
                .take_while(|m| pos - m.s < 600)
                .find(|m| self.actors[m.actor].kind == ActorKind::Organisation)
                .map(|m| m.actor),
            Pron::He | Pron::She => {
                let want = if p == Pron::He {
                    Gender::Male
                } else {
                    Gender::Female
                };
                // the speaker of this or the previous sentence, when the gender allows: "“…,”
                // Francis said in Ciudad Juárez, as he called for …"
                for f in self.out.iter().rev().take_while(|f| f.cue.0 >= self.floor) {
                    if let Some(Who::Actor(a)) = f.spk
                        && f.cue.0 < pos
                        && self.actors[a].kind == ActorKind::Person
                        && (self.gender[a] == Gender::Unknown || self.gender[a] == want)
                    {
                        return Some(a);
                    }
                }
                let mut first = None;
                for m in cands.take(64) {
                    if self.actors[m.actor].kind != ActorKind::Person {
                        continue;
                    }
                    first.get_or_insert(m.actor);
                    let g = self.gender[m.actor];
                    if g == want || g == Gender::Unknown {
                        return Some(m.actor);
                    }
                }
                first
            }
        }
    }

    fn mark_reported(&mut self, s: usize, e: usize) {
        let i = self.mentions.partition_point(|m| m.s < s);
        for m in self.mentions[i..].iter_mut().take_while(|m| m.s < e) {
            m.reported = true;
        }
    }

    fn emit(&mut self, who: Option<Who>, cue: usize, quote: bool, s: usize, e: usize) {
        let ct = self.toks[cue];
        let len = ct.cue.map_or(1, |c| c.len as usize);
        let ce = self.toks[(cue + len - 1).min(self.toks.len() - 1)].e;
        self.out.push(Found {
            spk: who,
            cue: (ct.s, ce),
            quote,
            span: (s, e),
        });
        self.mark_reported(s, e);
    }

    fn finish(self) -> Vec<Statement> {
        let mut out = self.out;
        out.sort_by_key(|f| (f.span.0, f.span.1));
        out.dedup_by(|a, b| a.span == b.span);
        let body = self.body;
        out.into_iter()
            .filter(|f| {
                f.span.0 < f.span.1
                    && body.is_char_boundary(f.span.0)
                    && body.is_char_boundary(f.span.1)
            })
            .map(|f| {
                let (speaker, role, country) = match f.spk {
                    Some(Who::Actor(a)) => {
                        let a = &self.actors[a];
                        (Some(a.name.clone()), a.role.clone(), a.country.clone())
                    }
                    Some(Who::Literal(s, e)) => (Some(body[s..e].to_string()), None, None),
                    None => (None, None, None),
                };
                Statement {
                    speaker,
                    role,
                    country,
                    cue: body[f.cue.0..f.cue.1].to_string(),
                    kind: if f.quote { "quote" } else { "reported" }.to_string(),
                    text: body[f.span.0..f.span.1].to_string(),
                    span: [f.span.0, f.span.1] as Span,
                }
            })
            .collect()
    }
}

fn honorific_gender(b: &[u8], s: usize) -> Gender {
    let s = s.min(b.len());
    let pre = &b[s.saturating_sub(7)..s];
    let pre = pre.strip_suffix(b" ").unwrap_or(pre);
    let pre = pre.strip_suffix(b".").unwrap_or(pre);
    let word = pre
        .rsplit(|c| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or(b"");
    match word {
        b"Mr" | b"Sir" | b"Lord" => Gender::Male,
        b"Mrs" | b"Ms" | b"Miss" | b"Lady" | b"Dame" => Gender::Female,
        _ => Gender::Unknown,
    }
}

/// Whether `hay` holds the words `phrase` next to each other, ignoring ASCII case.
fn contains_phrase(hay: &str, phrase: &[&[u8]]) -> bool {
    let words: Vec<&[u8]> = hay
        .as_bytes()
        .split(|c| !c.is_ascii_alphanumeric() && *c != b'-')
        .filter(|w| !w.is_empty())
        .collect();
    words.windows(phrase.len()).any(|win| {
        win.iter()
            .zip(phrase)
            .all(|(a, b)| a.eq_ignore_ascii_case(b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An actor spec: name, kind, role, country, and the surface forms whose every occurrence
    /// in the body is one of its mentions (as the actor extractor reports them).
    type Spec<'a> = (
        &'a str,
        ActorKind,
        Option<&'a str>,
        Option<&'a str>,
        &'a [&'a str],
    );

    const P: ActorKind = ActorKind::Person;
    const O: ActorKind = ActorKind::Organisation;

    fn actors(body: &str, specs: &[Spec]) -> Vec<Actor> {
        specs
            .iter()
            .map(|(name, kind, role, country, forms)| {
                let mut spans: Vec<Span> = Vec::new();
                for f in *forms {
                    for (i, _) in body.match_indices(f) {
                        let e = i + f.len();
                        let before = body[..i]
                            .chars()
                            .next_back()
                            .is_none_or(|c| !c.is_alphanumeric());
                        let after = body[e..]
                            .chars()
                            .next()
                            .is_none_or(|c| !c.is_alphanumeric());
                        let covered = spans.iter().any(|s| s[0] <= i && e <= s[1]);
                        if before && after && !covered {
                            spans.push([i, e]);
                        }
                    }
                }
                spans.sort_unstable();
                Actor {
                    name: name.to_string(),
                    kind: *kind,
                    role: role.map(str::to_string),
                    country: country.map(str::to_string),
                    count: spans.len(),
                    spans,
                }
            })
            .collect()
    }

    /// (speaker or "" for none, cue, kind, start of the text)
    type Want<'a> = (&'a str, &'a str, &'a str, &'a str);

    fn check(body: &str, specs: &[Spec], want: &[Want]) {
        let got = find(body, &actors(body, specs));
        let show: Vec<_> = got
            .iter()
            .map(|s| {
                (
                    s.speaker.as_deref().unwrap_or(""),
                    s.cue.as_str(),
                    s.kind.as_str(),
                    s.text.as_str(),
                )
            })
            .collect();
        assert_eq!(got.len(), want.len(), "body: {body}\ngot: {show:#?}");
        for (g, w) in got.iter().zip(want) {
            let ok = g.speaker.as_deref().unwrap_or("") == w.0
                && g.cue == w.1
                && g.kind == w.2
                && g.text.starts_with(w.3)
                && body[g.span[0]..g.span[1]] == g.text;
            assert!(ok, "body: {body}\nwant: {w:?}\ngot: {show:#?}");
        }
    }

    const ASIF: Spec = (
        "Khawaja Asif",
        P,
        Some("Defence Minister"),
        Some("PK"),
        &["Khawaja Asif", "Asif"],
    );
    const TALIBAN: Spec = ("Taliban", O, None, None, &["Taliban"]);

    #[test]
    fn seed_article_shapes_are_all_asifs() {
        let cases: &[(&str, &[Want])] = &[
            (
                "Defence Minister Khawaja Asif issued a blunt warning to the Afghan Taliban, saying Pakistan will not tolerate cross-border militancy and that Islamabad is ready to respond decisively to any threat from Afghan soil.",
                &[(
                    "Khawaja Asif",
                    "saying",
                    "reported",
                    "Pakistan will not tolerate",
                )],
            ),
            (
                "Pakistan Will Not Tolerate Cross-Border Militancy, Asif wrote in a strongly worded tweet, adding that Pakistan accepted an offer to mediate peace talks at the request of “brotherly countries”.",
                &[
                    (
                        "Khawaja Asif",
                        "wrote",
                        "reported",
                        "Pakistan Will Not Tolerate Cross-Border Militancy",
                    ),
                    (
                        "Khawaja Asif",
                        "adding",
                        "reported",
                        "Pakistan accepted an offer",
                    ),
                ],
            ),
            (
                "Asif stressed that Pakistan’s preference remains diplomatic engagement, yet he left no doubt about Islamabad’s readiness. He accused certain elements within the Taliban of preserving a war economy at the expense of Afghan welfare and warned that continued patronage of groups that attack Pakistan will invite a robust response.",
                &[
                    (
                        "Khawaja Asif",
                        "stressed",
                        "reported",
                        "Pakistan’s preference remains diplomatic engagement",
                    ),
                    (
                        "Khawaja Asif",
                        "accused",
                        "reported",
                        "certain elements within the Taliban",
                    ),
                    ("Khawaja Asif", "warned", "reported", "continued patronage"),
                ],
            ),
            (
                "The defence minister criticised comments he called toxic and counterproductive to dialogue, saying they undermine the spirit of mediation. Asif called on the movement to end support for terrorist groups.",
                &[
                    (
                        "Khawaja Asif",
                        "criticised",
                        "reported",
                        "comments he called toxic",
                    ),
                    (
                        "Khawaja Asif",
                        "saying",
                        "reported",
                        "they undermine the spirit",
                    ),
                    (
                        "Khawaja Asif",
                        "called on",
                        "reported",
                        "the movement to end support",
                    ),
                ],
            ),
            (
                "He said Islamabad had accepted mediation offers to resolve tensions but remained prepared to act. He urged the Taliban to prioritise governance, reconstruction, and the welfare of the Afghan people.",
                &[
                    (
                        "Khawaja Asif",
                        "said",
                        "reported",
                        "Islamabad had accepted mediation offers",
                    ),
                    (
                        "Khawaja Asif",
                        "urged",
                        "reported",
                        "the Taliban to prioritise governance",
                    ),
                ],
            ),
        ];
        for (body, want) in cases {
            // "He" in the last case needs Asif named before it, as in the article
            let body = format!("Khawaja Asif spoke in Islamabad on Sunday.\n\n{body}");
            check(&body, &[ASIF, TALIBAN], want);
        }
    }

    const HEWITT: Spec = (
        "Patricia Hewitt",
        P,
        Some("Trade and Industry Secretary"),
        Some("GB"),
        &["Patricia Hewitt", "Hewitt"],
    );
    const MAY: Spec = ("Theresa May", P, None, None, &["Theresa May"]);
    const GIDLEY: Spec = ("Sandra Gidley", P, None, None, &["Sandra Gidley"]);
    const FROST: Spec = ("David Frost", P, None, None, &["David Frost"]);
    const OTHERS: Spec = ("Gordon Brown", P, None, None, &["Gordon Brown"]);
    const BLAIR: Spec = ("Tony Blair", P, None, None, &["Tony Blair"]);

    #[test]
    fn bbc_maternity_pay_speakers() {
        let all = [HEWITT, MAY, GIDLEY, FROST, OTHERS, BLAIR];
        let cases: &[(&str, &[Want])] = &[
            (
                "It would mean paid leave would be increased to nine months by 2007, Ms Hewitt told GMTV's Sunday programme.",
                &[(
                    "Patricia Hewitt",
                    "told",
                    "reported",
                    "It would mean paid leave",
                )],
            ),
            (
                "Ms Hewitt said: \"We have already doubled the length of maternity pay, we have already taken it up to 26 weeks. \"We are going to extend the pay to nine months by 2007.\"",
                &[(
                    "Patricia Hewitt",
                    "said",
                    "quote",
                    "We have already doubled",
                )],
            ),
            (
                "Ms Hewitt spoke on Sunday. She said new mothers were already entitled to 12 months leave.",
                &[(
                    "Patricia Hewitt",
                    "said",
                    "reported",
                    "new mothers were already entitled",
                )],
            ),
            (
                "The Shadow Secretary of State for the Family, Theresa May, said: \"These plans were announced by Gordon Brown in his pre-budget review and Tony Blair is now recycling it.\"\n\nShe said the Conservatives would announce their proposals closer to the General Election.",
                &[
                    ("Theresa May", "said", "quote", "These plans were announced"),
                    (
                        "Theresa May",
                        "said",
                        "reported",
                        "the Conservatives would announce",
                    ),
                ],
            ),
            (
                "Liberal Democrat spokeswoman for women Sandra Gidley said: \"While mothers would welcome any extra maternity pay the Liberal Democrats feel this money is being misdirected.\" She said her party would boost maternity pay in the first six months.",
                &[
                    (
                        "Sandra Gidley",
                        "said",
                        "quote",
                        "While mothers would welcome",
                    ),
                    ("Sandra Gidley", "said", "reported", "her party would boost"),
                ],
            ),
            (
                "But David Frost, director general of the British Chambers of Commerce, warned that many small firms could be \"crippled\" by the move. \"While the majority of any salary costs may be covered by the government's statutory pay, recruitment costs will not be,\" he said.",
                &[
                    (
                        "David Frost",
                        "warned",
                        "reported",
                        "many small firms could be \"crippled\" by the move",
                    ),
                    (
                        "David Frost",
                        "said",
                        "quote",
                        "While the majority of any salary costs",
                    ),
                ],
            ),
        ];
        for (body, want) in cases {
            check(body, &all, want);
        }
    }

    const HAIDER: Spec = (
        "Saleem Haider",
        P,
        Some("Defence Minister"),
        Some("PK"),
        &["Saleem Haider", "Haider"],
    );
    const RAUF: Spec = (
        "Hina Rauf",
        P,
        Some("Spokeswoman"),
        Some("PK"),
        &["Hina Rauf", "Rauf"],
    );
    const MINISTRY: Spec = (
        "Foreign Ministry",
        O,
        None,
        Some("PK"),
        &["Foreign Ministry"],
    );
    const UN: Spec = ("United Nations", O, None, None, &["United Nations"]);

    #[test]
    fn quote_shapes_and_speaker_resolution() {
        let all = [HAIDER, RAUF, MINISTRY, UN, TALIBAN];
        let cases: &[(&str, &[Want])] = &[
            // interrupted quote: both parts are his
            (
                "Saleem Haider visited Torkham. “We will act,” he said. “We are ready for anything.”",
                &[
                    ("Saleem Haider", "said", "quote", "We will act"),
                    ("Saleem Haider", "said", "quote", "We are ready"),
                ],
            ),
            // inverted attribution with an appositive
            (
                "“The border stays open for trade,” said Saleem Haider, the defence minister.",
                &[("Saleem Haider", "said", "quote", "The border stays open")],
            ),
            // role noun resolved to the person holding the role
            (
                "Hina Rauf spoke first, then Defence Minister Saleem Haider arrived. “The border stays open for trade,” the minister told reporters.",
                &[("Saleem Haider", "told", "quote", "The border stays open")],
            ),
            // a paragraph that opens a quote and does not close it continues in the next
            (
                "Haider said: “The crossing will reopen on Monday.\n\n“Trade must go on, whatever happens.”",
                &[(
                    "Saleem Haider",
                    "said",
                    "quote",
                    "The crossing will reopen on Monday.\n\n“Trade must go on",
                )],
            ),
            // organisations: by name, by head noun, after "according to"
            (
                "The Taliban said the attack was a mistake. According to the ministry, 40 militants were killed. The toll rose to 50, according to the United Nations.",
                &[
                    ("Taliban", "said", "reported", "the attack was a mistake"),
                    (
                        "Foreign Ministry",
                        "According to",
                        "reported",
                        "40 militants were killed",
                    ),
                    (
                        "United Nations",
                        "according to",
                        "reported",
                        "The toll rose to 50",
                    ),
                ],
            ),
            // an organisation named by its head noun, and a statement named by its medium
            (
                "Haider met the Foreign Ministry team. Later the ministry said the crossing would reopen. In a statement, the Foreign Ministry condemned the attack on the border post.",
                &[
                    (
                        "Foreign Ministry",
                        "said",
                        "reported",
                        "the crossing would reopen",
                    ),
                    (
                        "Foreign Ministry",
                        "In a statement",
                        "reported",
                        "condemned the attack",
                    ),
                ],
            ),
            // trailing inverted attributions: role words before the name; an unnamed speaker
            (
                "The talks would go on, said BBC labour affairs correspondent Saleem Haider. More talks would follow, said our correspondent.",
                &[
                    ("Saleem Haider", "said", "reported", "The talks would go on"),
                    ("", "said", "reported", "More talks would follow"),
                ],
            ),
            // scare quotes and titles are not statements
            (
                "The so-called \"peace dividend\" never arrived, and she appeared on “Hannity” on Monday.",
                &[],
            ),
            // a pronoun prefers the person whose honorific agrees with it
            (
                "Ms Rauf met Mr Haider in Kabul on Tuesday. She said the talks had been useful.",
                &[("Hina Rauf", "said", "reported", "the talks had been useful")],
            ),
            // unresolvable speakers stay None
            (
                "Officials said the talks would resume. He told reporters that nothing had changed.",
                &[
                    ("", "said", "reported", "the talks would resume"),
                    ("", "told", "reported", "nothing had changed"),
                ],
            ),
            // a question put to someone: the subject did not say it
            (
                "Asked whether he would resign over the raid, Haider said he would stay in office.",
                &[
                    (
                        "",
                        "Asked",
                        "reported",
                        "whether he would resign over the raid",
                    ),
                    (
                        "Saleem Haider",
                        "said",
                        "reported",
                        "he would stay in office",
                    ),
                ],
            ),
            // nouns and passives that share a verb's form
            (
                "The report said nothing new, and his claims were denied by the ministry.",
                &[("", "said", "reported", "nothing new")],
            ),
        ];
        for (body, want) in cases {
            check(body, &all, want);
        }
    }

    #[test]
    fn never_panics_and_spans_are_char_boundaries() {
        let tricky = "“Ünïcödé — «quoted» text,” she said… \"Unclosed straight quote\n\n“Next ¶ said: 'x' ''y'' \u{2019}s, according to, said”. He said. “ ”, told. 😀 Asif said: “😀”";
        let acts = actors(tricky, &[("Khawaja Asif", P, None, None, &["Asif"])]);
        // every prefix, cut at each char boundary, exercises unbalanced quotes and truncation
        for (i, _) in tricky.char_indices().chain([(tricky.len(), ' ')]) {
            let body = &tricky[..i];
            let acts: Vec<Actor> = acts
                .iter()
                .map(|a| Actor {
                    spans: a.spans.iter().copied().filter(|s| s[1] <= i).collect(),
                    ..a.clone()
                })
                .collect();
            for st in find(body, &acts) {
                assert!(st.span[0] < st.span[1] && st.span[1] <= body.len());
                assert!(body.is_char_boundary(st.span[0]) && body.is_char_boundary(st.span[1]));
                assert_eq!(st.text, &body[st.span[0]..st.span[1]]);
            }
        }
        assert!(find("", &[]).is_empty());
        // spans an extractor got wrong (reversed, out of the body, inside a character)
        let bogus = Actor {
            name: "X".into(),
            kind: P,
            role: None,
            country: None,
            count: 3,
            spans: vec![[5, 3], [0, 1 << 40], [1, 2], [usize::MAX - 1, usize::MAX]],
        };
        let body = "“Ünï,” X said. Mr X said: “ok then, fine.”";
        for st in find(body, &[bogus]) {
            assert!(body.is_char_boundary(st.span[0]) && body.is_char_boundary(st.span[1]));
        }
        assert!(
            find("said said said , , “ ” \" \"", &[])
                .iter()
                .all(|s| !s.text.is_empty())
        );
    }

    #[test]
    fn run_on_text_stays_linear() {
        // one endless "sentence" full of cues and unclosed quotes: every scan is bounded, so
        // this finishes at once instead of taking quadratic time
        let body =
            "Asif said that “the army, according to him, warned Haider that he said ".repeat(4_000);
        let got = find(&body, &actors(&body, &[ASIF, HAIDER]));
        assert!(!got.is_empty());
        assert!(got.iter().all(|s| s.span[1] - s.span[0] < body.len() / 100));
    }

    #[test]
    fn every_lexicon_word_is_found_and_others_are_not() {
        // Sorted strictly: no word twice, and no two words with one key.
        assert!(LEXICON.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(LEXICON_KEYS.windows(2).all(|w| w[0] < w[1]));
        for &(word, lemma, form, need) in LEXICON {
            assert_eq!(
                lexicon(word.as_bytes()),
                Some((lemma, form, need)),
                "{word}"
            );
            let upper = word.to_ascii_uppercase();
            assert_eq!(
                lexicon(upper.as_bytes()),
                Some((lemma, form, need)),
                "{upper}"
            );
            for other in [
                format!("{word}x"),
                format!("x{word}"),
                word[1..].to_string(),
            ] {
                if LEXICON.iter().all(|e| e.0 != other) {
                    assert_eq!(lexicon(other.as_bytes()), None, "{other}");
                }
            }
        }
        assert_eq!(lexicon(b""), None);
        assert_eq!(lexicon(b"statementsstatements"), None);
        assert_eq!(
            lexicon(b"Warned"),
            Some((Lemma::Warn, Form::Past, Need::Direct))
        );
        assert_eq!(lexicon(b"warden"), None);
    }

    #[test]
    fn statements_come_in_body_order() {
        let body = "“We will act,” Haider said, adding that the army was ready. Rauf said the ministry agreed.";
        let got = find(body, &actors(body, &[HAIDER, RAUF]));
        assert!(got.windows(2).all(|w| w[0].span[0] <= w[1].span[0]));
        assert_eq!(got.len(), 3);
    }
}
