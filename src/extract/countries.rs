//! Countries: article title and body in, ISO 3166-1 alpha-2 codes out, each with its mention
//! count, body spans and a salience order (title and lead paragraph weigh more). The gazetteer is
//! `data/countries.tsv` (names, demonyms, capitals, cities), compiled in and matched by
//! Aho-Corasick at each word start; a word that is ambiguous alone ("Georgia", "Jordan") needs a
//! clear mention.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};
use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet};
use serde::Serialize;

use super::Span;
use super::text::{alnum_before, char_at, on_word_boundary};

const COUNTRIES_TSV: &str = include_str!("../../data/countries.tsv");
const ISO_TSV: &str = include_str!("../../data/iso3166.tsv");

/// One country an article refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountryMention {
    /// ISO 3166-1 alpha-2 code.
    pub code: &'static str,
    /// English short name.
    pub name: &'static str,
    /// Mentions in title and body.
    pub count: usize,
    /// Body spans of the mentions.
    pub spans: Vec<Span>,
}

/// One surface form of the gazetteer.
#[derive(Debug, Clone)]
pub struct Entry {
    /// ISO code it points to.
    pub code: &'static str,
    /// name, demonym, capital, city or region.
    pub kind: &'static str,
    /// Alone it may mean something else (a person, a US state, a common word).
    pub ambiguous: bool,
    /// A capital used for its government ("Washington said"): counts on its own once it is
    /// not part of a longer name.
    pub metonym: bool,
}

/// The compiled gazetteer.
pub struct Gazetteer {
    /// Anchored: it is only asked which form starts at a given word start.
    matcher: AhoCorasick,
    /// Which word starts are worth asking it about.
    starts: Starts,
    entries: Vec<Entry>,
    names: HashMap<&'static str, &'static str>,
}

fn data_lines(tsv: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    tsv.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
}

/// The surface forms to match, and the entry of each.
fn forms() -> (Vec<String>, Vec<Entry>) {
    let mut patterns = Vec::new();
    let mut entries = Vec::new();
    for cols in data_lines(COUNTRIES_TSV) {
        let (Some(code), Some(kind), Some(text)) = (cols.first(), cols.get(1), cols.get(2)) else {
            continue;
        };
        let flags = cols.get(3).copied().unwrap_or("");
        let has = |flag: &str| flags.split(',').any(|f| f.trim() == flag);
        let entry = Entry {
            code,
            kind,
            ambiguous: has("ambiguous"),
            metonym: has("metonym"),
        };
        // Wire headlines and datelines are written in capitals ("ISLAMABAD, Nov 24"):
        // longer forms match in capitals too. Short forms (US, UK) are listed as written.
        let upper = text.to_uppercase();
        if upper != *text && text.chars().filter(|c| c.is_alphabetic()).count() >= 4 {
            patterns.push(upper);
            entries.push(entry.clone());
        }
        patterns.push((*text).to_string());
        entries.push(entry);
    }
    (patterns, entries)
}

/// The gazetteer, built on first use.
pub fn gazetteer() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(|| {
        let names = data_lines(ISO_TSV)
            .filter_map(|c| Some((*c.first()?, *c.get(1)?)))
            .collect();
        let (patterns, entries) = forms();
        let starts = Starts::new(&patterns);
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .build(&patterns)
            // The patterns are compiled-in constants: a failure is a build defect the gazetteer
            // test catches, not a run-time condition.
            .expect("gazetteer patterns compile");
        Gazetteer {
            matcher,
            starts,
            entries,
            names,
        }
    })
}

impl Gazetteer {
    /// The English short name of an ISO code.
    pub fn name(&self, code: &str) -> Option<&'static str> {
        self.names.get(code).copied()
    }

    /// Every gazetteer match on word boundaries: (entry, start, end), leftmost-longest.
    ///
    /// The matcher is asked only at the word starts where some form may begin (see
    /// `Starts`): one unanchored pass walked it over every byte of every article, 4 % of a
    /// full index's time. The matches are that pass's, except after a form starting inside a
    /// word and running into the next ("Northern Irish" in "XNorthern Irishman"): it hid a
    /// match starting in the next word ("Irishman"), which is now found.
    pub fn matches<'a>(
        &'a self,
        text: &'a str,
    ) -> impl Iterator<Item = (&'a Entry, usize, usize)> + 'a {
        let mut i = 0;
        // Whether the character before `i` is a letter or digit.
        let mut after_word = false;
        std::iter::from_fn(move || {
            // `i` moves by whole characters, so it is on a character boundary.
            while let Some(c) = char_at(text, i) {
                let start = i;
                i += c.len_utf8();
                let at_word_start = !after_word;
                after_word = c.is_alphanumeric();
                // Every form starts with a letter or digit (tested), so a word is never empty.
                if !(at_word_start && after_word && self.starts.first_char(text, start, c)) {
                    continue;
                }
                let end = word_end(text, start);
                if !self.starts.word(text, start, end) {
                    // Nothing starts in the rest of the word either.
                    (i, after_word) = (end, true);
                    continue;
                }
                let input = Input::new(text).range(start..).anchored(Anchored::Yes);
                // The matcher is built for anchored searches, so there is no error to report.
                let Some(m) = self.matcher.try_find(input).ok().flatten() else {
                    continue;
                };
                // As an unanchored pass would, go on after the match, kept or not.
                i = m.end();
                after_word = alnum_before(text, i);
                if on_word_boundary(text, m.start(), m.end()) {
                    return Some((&self.entries[m.pattern().as_usize()], m.start(), m.end()));
                }
            }
            None
        })
    }
}

/// Which word starts are worth asking the matcher about: those where a form may begin, by its
/// first character, its first word and the first character of its second word. Every start
/// where a form matches, on word boundaries or not, passes; so does the odd hash collision,
/// which the matcher then turns down.
struct Starts {
    /// For an ASCII byte that begins some form, the bytes that come second in those forms:
    /// bit `b` for an ASCII byte `b`, bit 0 for any other and for the end of the text. This
    /// rules out "of", "on" and "to" before their words are read.
    second_bytes: [u128; 128],
    /// Hashes of the forms' first words ("New" of "New Zealand"), each with whether some form
    /// is that word alone ("Iran", "St.").
    first_words: FxHashMap<u64, bool>,
    /// Hashes of the forms' first words with what follows them and the first character of
    /// their second word ("the H" of "the Hague", "Guinea-B" of "Guinea-Bissau"): "the"
    /// begins a form, but "the" before most words does not.
    first_pairs: FxHashSet<u64>,
}

impl Starts {
    fn new(forms: &[String]) -> Starts {
        let mut starts = Starts {
            second_bytes: [0; 128],
            first_words: FxHashMap::default(),
            first_pairs: FxHashSet::default(),
        };
        for form in forms {
            if let [b, rest @ ..] = form.as_bytes()
                && b.is_ascii()
            {
                let second = rest.first().map_or(u128::MAX, |&n| second_bit(n));
                starts.second_bytes[usize::from(*b)] |= second;
            }
            let end = word_end(form, 0);
            let pair = pair_hash(form, 0, end);
            let alone = starts.first_words.entry(hash(&form[..end])).or_default();
            *alone |= pair.is_none();
            starts.first_pairs.extend(pair);
        }
        starts
    }

    /// Whether a form may start at `start`, by the character `c` there and the byte after it.
    /// Words starting with other characters than ASCII are rare enough in English text to be
    /// left to `word`.
    fn first_char(&self, text: &str, start: usize, c: char) -> bool {
        match u8::try_from(c) {
            Ok(b) if b.is_ascii() => {
                let next = text.as_bytes().get(start + 1).map_or(1, |&n| second_bit(n));
                self.second_bytes[usize::from(b)] & next != 0
            }
            _ => true,
        }
    }

    /// Whether a form may start with the word `text[start..end]`.
    fn word(&self, text: &str, start: usize, end: usize) -> bool {
        self.first_words
            .get(&hash(&text[start..end]))
            .is_some_and(|&alone| {
                alone || pair_hash(text, start, end).is_some_and(|p| self.first_pairs.contains(&p))
            })
    }
}

fn hash(s: &str) -> u64 {
    FxBuildHasher.hash_one(s)
}

/// Where the word (letters and digits) that starts at `start` ends.
fn word_end(text: &str, start: usize) -> usize {
    let mut i = start;
    while let Some(c) = char_at(text, i).filter(|c| c.is_alphanumeric()) {
        i += c.len_utf8();
    }
    i
}

/// For the word `text[start..end]`, the hash of it, what follows it and the first character of
/// the next word: `None` when no word follows. Only the next word's first character, because a
/// form that ends inside the next word ("Northern Irish" in "Northern Irishman") still hides
/// the matches within it from the unanchored pass.
fn pair_hash(text: &str, start: usize, end: usize) -> Option<u64> {
    let (gap, c) = text[end..]
        .char_indices()
        .find(|&(_, c)| c.is_alphanumeric())?;
    Some(hash(&text[start..end + gap + c.len_utf8()]))
}

/// A byte's bit in `Starts::second_bytes`.
fn second_bit(b: u8) -> u128 {
    if b.is_ascii() { 1 << b } else { 1 }
}

#[derive(Default)]
struct Tally {
    title: usize,
    spans: Vec<Span>,
    /// Some mention is unambiguous.
    clear: bool,
    /// Some ambiguous mention sits in a list with another country ("Niger, Chad and Cameroon").
    listed: bool,
    first: usize,
}

/// Capitalised words that start sentences rather than names ("In Jordan", "The US").
const FUNCTION_WORDS: &[&str] = &[
    "The", "In", "On", "At", "From", "To", "For", "By", "With", "And", "But", "Of", "As", "After",
    "Before", "When", "While", "If", "Both", "Neither", "Nor", "Or", "Like", "Unlike", "Across",
    "Into", "Near", "Inside", "Outside", "Between", "Without", "Since", "Until", "Than",
];

fn word_before(text: &str, start: usize) -> Option<&str> {
    let before = text[..start].strip_suffix(' ')?;
    let from = before
        .rfind(|c: char| !(c.is_alphanumeric() || c == '.' || c == '-'))
        .map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
    Some(&before[from..])
}

fn word_after(text: &str, end: usize) -> Option<&str> {
    let after = text[end..].strip_prefix(' ')?;
    let to = after
        .find(|c: char| !(c.is_alphanumeric() || c == '-'))
        .unwrap_or(after.len());
    Some(&after[..to])
}

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Whether a match is part of a longer proper name: a capitalised word right before it
/// ("Michael Jordan", "George Washington") or right after it ("Paris Hilton", "Georgia Tech").
fn inside_a_name(text: &str, start: usize, end: usize) -> bool {
    // A word ending in a full stop ends the sentence before, unless it is an initial ("H.").
    let before = word_before(text, start).is_some_and(|w| {
        let initial = w.len() == 2 && w.ends_with('.');
        capitalised(w) && !FUNCTION_WORDS.contains(&w) && (!w.ends_with('.') || initial)
    });
    let after = word_after(text, end).is_some_and(capitalised);
    before || after
}

/// Nouns after which a demonym names a language, not the country ("the Italian word for
/// nougat", "English subtitles").
const LANGUAGE_NOUNS: &[&str] = &[
    "accent",
    "dialect",
    "language",
    "phrase",
    "speakers",
    "subtitles",
    "term",
    "translation",
    "word",
    "words",
];

/// Whether a demonym ending at `end` is used for a language.
fn names_a_language(text: &str, end: usize) -> bool {
    word_after(text, end).is_some_and(|w| LANGUAGE_NOUNS.contains(&w))
}

/// Whether the text between two matches is a list separator.
fn list_gap(gap: &str) -> bool {
    matches!(
        gap,
        ", " | " and " | ", and " | " or " | ", or " | "/" | " & "
    )
}

/// Countries an article refers to, most salient first.
///
/// An ambiguous form ("Georgia", "Jordan", "Chad") counts only when the same country is also
/// named clearly, or when it stands in a list with another country; a capital standing for its
/// government ("Washington said") counts on its own. Neither counts inside a longer name.
pub fn find(title: &str, body: &str) -> Vec<CountryMention> {
    let g = gazetteer();
    let mut tally: HashMap<&'static str, Tally> = HashMap::new();
    // Ties in salience go to the earlier mention, the title counting as before the body.
    for (offset, text, in_body) in [(0, title, false), (title.len(), body, true)] {
        let found: Vec<(&Entry, usize, usize)> = g.matches(text).collect();
        for (i, &(e, s, end)) in found.iter().enumerate() {
            if (e.ambiguous || e.metonym) && inside_a_name(text, s, end) {
                continue;
            }
            if e.kind == "demonym" && names_a_language(text, end) {
                continue;
            }
            let neighbour = |j: Option<usize>| {
                j.and_then(|j| found.get(j)).is_some_and(|&(o, os, oe)| {
                    o.code != e.code && !o.ambiguous && {
                        let (a, b) = if os < s { (oe, s) } else { (end, os) };
                        a <= b && list_gap(&text[a..b])
                    }
                })
            };
            let t = tally.entry(e.code).or_default();
            if t.spans.is_empty() && t.title == 0 {
                t.first = offset + s;
            }
            if in_body {
                t.spans.push([s, end]);
            } else {
                t.title += 1;
            }
            t.clear |= !e.ambiguous || e.metonym;
            t.listed |= neighbour(i.checked_sub(1)) || neighbour(Some(i + 1));
        }
    }
    // The lead is the first paragraph, or the first 400 bytes when paragraphs are long.
    let lead_end = body
        .find("\n\n")
        .unwrap_or(body.len())
        .min(400.max(body.find('\n').unwrap_or(0)));
    let mut out: Vec<(f64, usize, CountryMention)> = tally
        .into_iter()
        .filter(|(_, t)| t.clear || t.listed)
        .filter_map(|(code, t)| {
            let name = g.name(code)?;
            let lead = t.spans.iter().filter(|s| s[0] < lead_end).count();
            let count = t.title + t.spans.len();
            let score = count as f64 + 3.0 * t.title.min(1) as f64 + 1.5 * lead.min(2) as f64;
            Some((
                score,
                t.first,
                CountryMention {
                    code,
                    name,
                    count,
                    spans: t.spans,
                },
            ))
        })
        .collect();
    out.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    out.into_iter().map(|(_, _, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(title: &str, body: &str) -> Vec<&'static str> {
        find(title, body).into_iter().map(|c| c.code).collect()
    }

    #[test]
    fn names_demonyms_capitals() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "",
                "Islamabad is ready to respond to any threat from Afghan soil.",
                &["PK", "AF"],
            ),
            (
                "Pakistan warns Kabul",
                "Talks in Doha.",
                &["PK", "AF", "QA"],
            ),
            ("", "The US and the UK said; let us go.", &["US", "GB"]),
            ("", "Papua New Guinea and Equatorial Guinea", &["PG", "GQ"]),
            ("", "She met Michael Jordan in Paris.", &["FR"]),
        ];
        for (title, body, want) in cases {
            let mut got = codes(title, body);
            let mut want = want.to_vec();
            got.sort_unstable();
            want.sort_unstable();
            assert_eq!(got, want, "{title} | {body}");
        }
    }

    #[test]
    fn ambiguous_forms_read_as_a_reader_would() {
        let cases: &[(&str, &[&str])] = &[
            ("Michael Jordan scored 40 points.", &[]),
            ("Jordan and Syria closed the border.", &["JO", "SY"]),
            (
                "Troops from Niger, Chad and Cameroon joined.",
                &["CM", "NE", "TD"],
            ),
            ("Chad Johnson signed a new contract.", &[]),
            ("Washington said on Tuesday it would send aid.", &["US"]),
            ("He studied at George Washington University.", &[]),
            ("In Jordan, King Abdullah met Jordanian officials.", &["JO"]),
            ("Georgia's governor signed the bill.", &[]),
            ("The Georgian capital Tbilisi; Georgia said no.", &["GE"]),
            ("ISLAMABAD, Nov 24 (Reuters) - Officials met.", &["PK"]),
            ("The deal was signed in Papua New Guinea.", &["PG"]),
            ("He warned the Taliban. Islamabad is ready.", &["PK"]),
            ("A statue of George H. Washington stood there.", &[]),
            // A demonym before a word for language names the language.
            ("Torrone is the Italian word for nougat.", &[]),
            ("The film has French subtitles and Spanish speakers.", &[]),
            (
                "Italian police said the French president agreed.",
                &["FR", "IT"],
            ),
        ];
        for (body, want) in cases {
            let mut got = codes("", body);
            got.sort_unstable();
            assert_eq!(&got, want, "{body}");
        }
    }

    #[test]
    fn salience_title_and_counts() {
        let body = "Afghan officials met. Pakistan said Pakistan would respond. Islamabad agreed.";
        let c = find("Pakistan warns Afghan Taliban", body);
        assert_eq!(c[0].code, "PK");
        assert_eq!(c[0].count, 4);
        assert_eq!(c[0].spans[0], [22, 30]);
        assert_eq!(&body[22..30], "Pakistan");
        assert_eq!(c[1].code, "AF");
    }

    #[test]
    fn every_gazetteer_code_is_a_valid_iso_code() {
        let g = gazetteer();
        for cols in data_lines(COUNTRIES_TSV) {
            assert_eq!(cols.len(), 4, "4 columns: {cols:?}");
            assert!(g.name(cols[0]).is_some(), "unknown code {}", cols[0]);
            assert!(cols[0].len() == 2 && cols[0].bytes().all(|b| b.is_ascii_uppercase()));
        }
        assert!(g.names.len() >= 249);
    }

    /// The matches of one unanchored leftmost-longest pass, kept on word boundaries, as
    /// (code, kind, start, end): what `matches` found before it asked only at word starts.
    /// `None` for a text where that pass found a form starting inside a word and running into
    /// the next word, where the two differ by design.
    fn one_pass(text: &str) -> Option<Vec<(&'static str, &'static str, usize, usize)>> {
        static ONE_PASS: OnceLock<(AhoCorasick, Vec<Entry>)> = OnceLock::new();
        let (matcher, entries) = ONE_PASS.get_or_init(|| {
            let (patterns, entries) = forms();
            let matcher = AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&patterns)
                .unwrap();
            (matcher, entries)
        });
        let mut out = Vec::new();
        for m in matcher.find_iter(text) {
            if on_word_boundary(text, m.start(), m.end()) {
                let e = &entries[m.pattern().as_usize()];
                out.push((e.code, e.kind, m.start(), m.end()));
                continue;
            }
            let word_start_within = (m.start() + 1..m.end()).any(|i| {
                text.is_char_boundary(i)
                    && !alnum_before(text, i)
                    && text[i..].chars().next().is_some_and(char::is_alphanumeric)
            });
            if alnum_before(text, m.start()) && word_start_within {
                return None;
            }
        }
        Some(out)
    }

    fn anchored(text: &str) -> Vec<(&'static str, &'static str, usize, usize)> {
        let g = gazetteer();
        g.matches(text)
            .map(|(e, s, end)| (e.code, e.kind, s, end))
            .collect()
    }

    #[test]
    fn every_form_starts_with_a_letter_or_digit() {
        // `Starts` relies on it: a form on word boundaries then starts at a word start.
        for form in forms().0 {
            assert!(
                form.chars().next().is_some_and(char::is_alphanumeric),
                "{form:?}"
            );
        }
    }

    #[test]
    fn asking_at_word_starts_finds_what_one_pass_finds() {
        let texts = [
            "The Northern Irishman beat an Irishman and a Northern Irish side.",
            "in the Hague, THE HAGUE and the Hagueish; the house",
            "Guinea-Bissau, Guinea-Bissauan, Guinea and Côte d'Ivoire (Côte d’Ivoire).",
            "Łódź, Åland Islands, Ürümqi, Éire; ÅLAND",
            "U.S.-led, the US, USA, UK's, Niger, Nigeria, Nigerian, Nigerians",
            "New Zealand, NEW ZEALAND, New Zealanders, New Yorkers, South Korean",
            "Sri Lanka, former Yugoslav Republic of Macedonia, occupied Palestinian territories",
            "",
            "Iran",
            "the",
            "Chad",
        ];
        for text in texts {
            assert_eq!(Some(anchored(text)), one_pass(text), "{text}");
        }
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/txt");
        let mut files = 0;
        for entry in std::fs::read_dir(corpus).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            assert_eq!(Some(anchored(&text)), one_pass(&text));
            files += 1;
        }
        assert!(files >= 5);
        // The one difference: a form starting inside a word hid the next word's match.
        assert_eq!(one_pass("XNorthern Irishman"), None);
        assert_eq!(anchored("XNorthern Irishman"), [("IE", "demonym", 10, 18)]);
    }

    proptest::proptest! {
        // Cheap cases, and the differences to look for take two words in a row.
        #![proptest_config(proptest::test_runner::Config::with_cases(4096))]
        #[test]
        fn asking_at_word_starts_finds_what_one_pass_finds_in_any_text(
            words in proptest::collection::vec((
                proptest::sample::select(&[
                    "Northern Irish", "Irishman", "Irish", "the Hague", "THE HAGUE", "the",
                    "The", "Guinea-Bissau", "Guinea", "Côte d'Ivoire", "Łódź", "Åland", "US",
                    "U.S.", "New Zealand", "New", "Zealand", "Niger", "Nigeria", "Sri Lanka",
                    "Lanka", "man", "x", "n", "é", "H",
                ][..]),
                proptest::sample::select(&[" ", " ", " ", "-", "'", ", ", ".", "’", ""][..]),
            ), 0..12)
        ) {
            let text: String = words.iter().flat_map(|&(w, sep)| [w, sep]).collect();
            // The texts where the two differ by design are left out.
            if let Some(want) = one_pass(&text) {
                proptest::prop_assert_eq!(anchored(&text), want);
            }
        }
    }
}
