//! Roles: given a person's mention (a byte span in the body), the role the text gives them —
//! before the name ("Trade and Industry Secretary Patricia Hewitt", "Liberal Democrat
//! spokeswoman for women Sandra Gidley"), in an apposition after it ("David Frost, director
//! general of the British Chambers of Commerce,") or before it with a comma ("The Shadow
//! Secretary of State for the Family, Theresa May,"). Titles are never part of the name.

/// Nouns that head a role phrase: lowercase, sorted (binary search).
const ROLE_NOUNS: &[&str] = &[
    "admiral",
    "adviser",
    "advisor",
    "ambassador",
    "analyst",
    "attorney",
    "boss",
    "candidate",
    "captain",
    "ceo",
    "chair",
    "chairman",
    "chairperson",
    "chairwoman",
    "chancellor",
    "chief",
    "coach",
    "colonel",
    "commander",
    "commissioner",
    "congressman",
    "congresswoman",
    "correspondent",
    "deputy",
    "diplomat",
    "director",
    "director-general",
    "economist",
    "editor",
    "emir",
    "envoy",
    "executive",
    "founder",
    "general",
    "governor",
    "head",
    "inspector",
    "judge",
    "king",
    "lawmaker",
    "lawyer",
    "leader",
    "lieutenant",
    "major",
    "manager",
    "marshal",
    "mayor",
    "minister",
    "mp",
    "negotiator",
    "nominee",
    "officer",
    "official",
    "pope",
    "premier",
    "president",
    "prince",
    "princess",
    "professor",
    "prosecutor",
    "queen",
    "representative",
    "researcher",
    "secretary",
    "secretary-general",
    "senator",
    "sergeant",
    "speaker",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "strategist",
    "superintendent",
];

/// Honorifics a tagger may take into a name, and which never belong to it.
pub(crate) const HONORIFICS: &[&str] = &[
    "Mr",
    "Mr.",
    "Mrs",
    "Mrs.",
    "Ms",
    "Ms.",
    "Miss",
    "Dr",
    "Dr.",
    "Sir",
    "Dame",
    "Lord",
    "Lady",
    "Prof",
    "Prof.",
    "Professor",
    "Rev",
    "Rev.",
];

/// Lowercase words that qualify a role noun before it ("government spokeswoman", "former
/// foreign minister").
const ROLE_MODIFIERS: &[&str] = &[
    "government",
    "foreign",
    "ministry",
    "army",
    "military",
    "defence",
    "defense",
    "interior",
    "health",
    "finance",
    "trade",
    "party",
    "police",
    "state",
    "opposition",
    "senior",
    "former",
    "deputy",
    "top",
    "presidential",
    "campaign",
    "security",
    "intelligence",
    "economic",
    "company",
    "union",
    "industry",
    "energy",
    "justice",
    "education",
    "federal",
    "regional",
    "national",
    "acting",
    "shadow",
    "junior",
    "assistant",
    "vice",
    "prime",
    "chief",
    "general",
    // Portfolios and departments written in lowercase before the noun ("shadow home
    // secretary", "sports minister", "elections chief", "civil service chief").
    "home",
    "sports",
    "culture",
    "transport",
    "environment",
    "immigration",
    "housing",
    "science",
    "cabinet",
    "civil",
    "service",
    "elections",
    "press",
    "communications",
    "lord",
];

/// Per first letter (a–z), one bit for each length a role noun with that letter has: most
/// words are ruled out by it before any comparison with the list.
const ROLE_NOUN_SHAPES: [u32; 26] = {
    let mut shapes = [0u32; 26];
    let mut i = 0;
    while i < ROLE_NOUNS.len() {
        let w = ROLE_NOUNS[i].as_bytes();
        // Fails to compile for a noun that is not lowercase ASCII or is 32 bytes or longer.
        shapes[(w[0] - b'a') as usize] |= 1 << w.len();
        i += 1;
    }
    shapes
};

/// Words a role phrase may contain besides capitalised words and role nouns.
const ROLE_LINKS: &[&str] = &["of", "for", "and", "the", "on", "in", "at"];

/// Whether a word heads a role phrase ("Secretary", "spokeswoman").
pub fn is_role_noun(w: &str) -> bool {
    let w = w.trim_end_matches(['.', ',']).as_bytes();
    // Lowercased on the stack and searched: a comparison with every noun, for each of the ten
    // words before each name, was a tenth of the actor search.
    let mut buf = [0u8; 24];
    let Some(lower) = buf.get_mut(..w.len()) else {
        return false;
    };
    lower.copy_from_slice(w);
    lower.make_ascii_lowercase();
    let shape = lower
        .first()
        .and_then(|c| c.checked_sub(b'a'))
        .and_then(|c| ROLE_NOUN_SHAPES.get(usize::from(c)))
        .map_or(0, |lengths| lengths >> lower.len() & 1);
    shape == 1
        && ROLE_NOUNS
            .binary_search_by(|r| r.as_bytes().cmp(lower))
            .is_ok()
}

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Where the last `n` space-separated words of `body[..end]` begin, or, when fewer words
/// follow the last of `marks` (or the start), just after that mark. Only the words next to a
/// name are read: scanning a whole sentence back for each of its names cost more than the rest
/// of the role search.
fn tail_start(body: &str, end: usize, marks: &[char], n: usize) -> usize {
    let mut seen = 0;
    let mut in_word = false;
    for (i, c) in body[..end].char_indices().rev() {
        if marks.contains(&c) {
            return i + c.len_utf8();
        }
        if c != ' ' {
            in_word = true;
        } else if in_word {
            in_word = false;
            seen += 1;
            if seen == n {
                return i + 1;
            }
        }
    }
    0
}

/// The byte offset just after the last of `chars` in `s` (0 when there is none); the marks
/// may be multi-byte (curly quotes).
fn after_last(s: &str, chars: &[char]) -> usize {
    s.rfind(chars)
        .map_or(0, |i| i + s[i..].chars().next().map_or(1, char::len_utf8))
}

/// Words of `s` with their byte offsets (split on spaces only: punctuation stays attached,
/// which is what lets a comma end a phrase).
fn words(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if c == ' ' {
            if let Some(st) = start.take() {
                out.push((st, &s[st..i]));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push((st, &s[st..]));
    }
    out
}

/// The role right before a name: up to 10 words back, within the sentence, ending at the name.
/// The phrase must contain a role noun, and every word after the last role noun must be a
/// capitalised word or a link word or the object of "for"/"of" ("spokeswoman for women").
pub fn before(body: &str, name_start: usize) -> Option<String> {
    let line_start = tail_start(
        body,
        name_start,
        &['\n', '.', '?', '!', '"', '“', '”', ';', '('],
        10,
    );
    let window = &body[line_start..name_start];
    if !window.ends_with(' ') {
        return None;
    }
    let mut ws = words(window);
    // An honorific right before the name ends the role there ("Chancellor Mr Brown"), and
    // the words before it then must close on their own: in "over the head of Mr Brown" the
    // name is the object of "head of", not its holder.
    let mut end = name_start;
    if let Some(&(at, w)) = ws.last()
        && HONORIFICS.contains(&w)
        && !is_role_noun(w)
    {
        end = line_start + at;
        ws.pop();
    }
    // The last role noun, with at most 3 words ("for women") between it and the name.
    let noun_idx = ws.iter().rposition(|(_, w)| is_role_noun(w))?;
    let tail = &ws[noun_idx + 1..];
    if tail.len() > 3 || tail.iter().any(|(_, w)| w.ends_with(',')) {
        return None;
    }
    if !tail.is_empty() && !matches!(tail[0].1, "for" | "of") {
        return None;
    }
    // "MP for Kensington and Chelsea": a phrase left open before the name continues into it,
    // so the name is part of the role's object, not someone holding it.
    if tail
        .last()
        .is_some_and(|(_, w)| matches!(*w, "and" | "or" | "of" | "for" | "the" | "in" | "&"))
    {
        return None;
    }
    if ws[noun_idx].1.ends_with(',') {
        return None;
    }
    // Extend back over capitalised words, role nouns and "and" ("Trade and Industry Secretary"),
    // but not over another titled person ("President Bush and President Putin"), nor join
    // anything to a role written in lowercase ("singer Charles Aznavour and British
    // ambassador Sir John Holmes"): offices joined by "and" are written in capitals.
    let titled_person_before = |and: usize| {
        let conjunct: Vec<&str> = ws[..and]
            .iter()
            .rev()
            .map(|(_, w)| *w)
            .take_while(|w| capitalised(w))
            .collect();
        conjunct.len() >= 2 && conjunct[1..].iter().any(|w| is_role_noun(w))
    };
    let mut first = noun_idx;
    while first > 0 {
        let w = ws[first - 1].1;
        let ok = (capitalised(w) && !matches!(w, "The" | "A" | "An" | "But" | "And" | "In" | "On"))
            || is_role_noun(w)
            || ROLE_MODIFIERS.contains(&w)
            || (w == "and"
                && first >= 2
                && capitalised(ws[first - 2].1)
                && ws[first..=noun_idx].iter().all(|(_, w)| capitalised(w))
                && !titled_person_before(first - 1));
        if !ok || w.ends_with(',') {
            break;
        }
        first -= 1;
    }
    let start = line_start + ws[first].0;
    let role = body[start..end].trim();
    (!role.is_empty()).then(|| role.to_string())
}

/// The role in an apposition after a name: ", [the|a] ROLE PHRASE," where the phrase has a role
/// noun among its first words and at most 12 words ("director general of the British Chambers
/// of Commerce").
pub fn after(body: &str, name_end: usize) -> Option<String> {
    let rest = body[name_end..].strip_prefix(", ")?;
    let end = rest.find([',', '.', ';', '\n', '(', '"', '“', '”'])?;
    let phrase = rest[..end].trim();
    let phrase = phrase
        .strip_prefix("the ")
        .or_else(|| phrase.strip_prefix("a "))
        .or_else(|| phrase.strip_prefix("an "))
        .unwrap_or(phrase);
    let ws = words(phrase);
    if ws.is_empty() || ws.len() > 12 || !ws.iter().take(5).any(|(_, w)| is_role_noun(w)) {
        return None;
    }
    // Every word is a role noun, capitalised, a link word, a number or a country adjective.
    let plain = ws.iter().all(|(_, w)| {
        is_role_noun(w)
            || capitalised(w)
            || ROLE_LINKS.contains(w)
            || w.chars().all(|c| c.is_ascii_digit() || c == '-')
    });
    plain.then(|| phrase.to_string())
}

/// A role that opens the sentence and is set off by a comma before the name:
/// "The Shadow Secretary of State for the Family, Theresa May, said".
pub fn before_comma(body: &str, name_start: usize) -> Option<String> {
    let head = body[..name_start].strip_suffix(", ")?;
    let from = after_last(head, &['\n', '.', '?', '!', ',', ';', '"', '“', '”']);
    let phrase = head[from..].trim();
    let phrase = phrase
        .strip_prefix("The ")
        .or_else(|| phrase.strip_prefix("the "))
        .unwrap_or(phrase);
    let ws = words(phrase);
    if ws.is_empty() || ws.len() > 10 || !ws.iter().any(|(_, w)| is_role_noun(w)) {
        return None;
    }
    let plain = ws
        .iter()
        .all(|(_, w)| is_role_noun(w) || capitalised(w) || ROLE_LINKS.contains(w));
    plain.then(|| phrase.to_string())
}

/// The role of the mention `[start, end)`, trying the three shapes in turn.
pub fn role_of(body: &str, start: usize, end: usize) -> Option<String> {
    before(body, start)
        .or_else(|| after(body, end))
        .or_else(|| before_comma(body, start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_nouns_are_lowercase_and_sorted_for_binary_search() {
        assert!(ROLE_NOUNS.windows(2).all(|w| w[0] < w[1]));
        assert!(ROLE_NOUNS.iter().all(|w| *w == w.to_ascii_lowercase()));
        for w in [
            "Minister",
            "minister,",
            "SPOKESMAN.",
            "Secretary-General",
            "mp",
        ] {
            assert!(is_role_noun(w), "{w}");
        }
        for w in ["", "ministers", "Blair", "a-very-long-word-that-is-no-noun"] {
            assert!(!is_role_noun(w), "{w}");
        }
    }

    #[test]
    fn role_shapes_around_a_name() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            (
                "proposals announced by the Trade and Industry Secretary Patricia Hewitt.",
                "Patricia Hewitt",
                Some("Trade and Industry Secretary"),
            ),
            (
                "Defence Minister Khawaja Asif issued a blunt warning",
                "Khawaja Asif",
                Some("Defence Minister"),
            ),
            (
                "Liberal Democrat spokeswoman for women Sandra Gidley said: \"While",
                "Sandra Gidley",
                Some("Liberal Democrat spokeswoman for women"),
            ),
            (
                "But David Frost, director general of the British Chambers of Commerce, warned",
                "David Frost",
                Some("director general of the British Chambers of Commerce"),
            ),
            (
                "The Shadow Secretary of State for the Family, Theresa May, said:",
                "Theresa May",
                Some("Shadow Secretary of State for the Family"),
            ),
            (
                "Farah Naqvi, an analyst at the Center for Regional Security Studies in Islamabad, said",
                "Farah Naqvi",
                Some("analyst at the Center for Regional Security Studies in Islamabad"),
            ),
            (
                "Former US President Bill Clinton spoke.",
                "Bill Clinton",
                Some("Former US President"),
            ),
            ("Ms Hewitt told GMTV's Sunday programme.", "Hewitt", None),
            (
                "The plan, Gordon Brown said, was late.",
                "Gordon Brown",
                None,
            ),
            ("He met Tony Blair, who said no.", "Tony Blair", None),
            (
                "President Bush and President Putin met.",
                "Putin",
                Some("President"),
            ),
            (
                "Prime Minister Tony Blair and Chancellor Gordon Brown agreed.",
                "Gordon Brown",
                Some("Chancellor"),
            ),
            (
                "the Work and Pensions Secretary Alan Johnson said",
                "Alan Johnson",
                Some("Work and Pensions Secretary"),
            ),
            ("Gordon Brown, 53, spoke.", "Gordon Brown", None),
            (
                "“We will,” Ethiopian government spokeswoman Meron Tesfaye said.",
                "Meron Tesfaye",
                Some("Ethiopian government spokeswoman"),
            ),
            (
                "“No,” said the aide, Meron Tesfaye, on Monday.",
                "Meron Tesfaye",
                None,
            ),
            (
                "Sir Malcolm Rifkind, the former Conservative MP for Kensington and Chelsea, said",
                "Chelsea",
                None,
            ),
            (
                "a spokesman for the Gordon Brown campaign",
                "Gordon Brown",
                None,
            ),
            (
                "The minister met the president, Gordon Brown said.",
                "Gordon Brown",
                None,
            ),
            (
                "Alan Milburn being brought in over the head of Mr Brown to run the campaign",
                "Brown",
                None,
            ),
            ("a senior adviser to Dr Rice said", "Rice", None),
            ("Chancellor Mr Brown said", "Brown", Some("Chancellor")),
            (
                "a confident shadow home secretary Mr Davis said",
                "Davis",
                Some("shadow home secretary"),
            ),
            (
                "said Professor John Curtice",
                "John Curtice",
                Some("Professor"),
            ),
            (
                "included French singer Charles Aznavour and British ambassador Sir John Holmes",
                "John Holmes",
                Some("British ambassador"),
            ),
            ("the Foreign Secretary, Mr Straw, said", "Straw", None),
        ];
        for (body, name, want) in cases {
            let s = body.find(name).unwrap();
            let got = role_of(body, s, s + name.len());
            assert_eq!(got.as_deref(), *want, "{body}");
        }
    }
}
