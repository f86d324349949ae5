//! Actors: article text in, the people and organisations it names out, each with a canonical
//! name (the fullest form in the article: "Mr Asif" → "Khawaja Asif"), kind, role when the text
//! gives one before the name, mention count and body spans.
//!
//! A first rule-based version: a person is a capitalised name after an honorific or a role
//! ("Defence Minister Khawaja Asif"), or next to a speech verb; an organisation is a known body
//! or a capitalised run ending in an organisation word ("British Chambers of Commerce").

use std::collections::HashMap;

use serde::Serialize;

use super::Span;
use super::countries::gazetteer;
use super::text::{Token, sentence_initial, tokens};

/// Person or organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ActorKind {
    /// A person.
    Person,
    /// An organisation, party, armed group, company.
    Organisation,
}

/// One actor of an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    /// Canonical name: the fullest form the article uses.
    pub name: String,
    /// Person or organisation.
    pub kind: ActorKind,
    /// Role as the text gives it ("Defence Minister").
    pub role: Option<String>,
    /// The country the role belongs to, when the text makes it clear.
    pub country: Option<String>,
    /// Mentions in title and body.
    pub count: usize,
    /// Body spans of the mentions.
    pub spans: Vec<Span>,
}

const HONORIFICS: &[&str] = &[
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
    "Sen.",
    "Rep.",
    "Gen.",
    "Col.",
    "Capt.",
];

/// Words that end a role title placed before a name.
const ROLE_HEADS: &[&str] = &[
    "Minister",
    "Secretary",
    "President",
    "Chancellor",
    "Senator",
    "Governor",
    "Spokesman",
    "Spokeswoman",
    "Spokesperson",
    "Ambassador",
    "General",
    "Commissioner",
    "Chairman",
    "Chairwoman",
    "Chief",
    "Judge",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Pope",
    "Mayor",
    "Premier",
    "Leader",
    "Director",
    "Envoy",
    "Commander",
    "Marshal",
    "Admiral",
    "Sheikh",
    "Speaker",
    "Attorney",
    "Inspector",
    "Coach",
    "Manager",
    "Captain",
    "Chairperson",
    "Emir",
];

const ORG_HEADS: &[&str] = &[
    "Party",
    "Ministry",
    "Council",
    "Commission",
    "Union",
    "Bank",
    "Organisation",
    "Organization",
    "Association",
    "Agency",
    "Committee",
    "Corporation",
    "Institute",
    "University",
    "Court",
    "Parliament",
    "Assembly",
    "Army",
    "Police",
    "Office",
    "Department",
    "Commerce",
    "Federation",
    "League",
    "Fund",
    "Forum",
    "Company",
    "Inc",
    "Ltd",
    "plc",
    "Group",
    "Authority",
    "Board",
    "Service",
    "Foundation",
    "Movement",
    "Front",
    "Coalition",
    "Alliance",
    "Network",
    "Club",
    "Taliban",
    "Nations",
    "Congress",
    "Senate",
    "Cabinet",
    "Treasury",
    "Democrats",
    "Republicans",
    "Conservatives",
    "Socialists",
    "Liberals",
    "Greens",
];

/// Bodies known by a single word or acronym.
const KNOWN_ORGS: &[&str] = &[
    "Taliban",
    "NATO",
    "Nato",
    "Hamas",
    "Hezbollah",
    "OPEC",
    "Opec",
    "IMF",
    "EU",
    "UN",
    "WHO",
    "Tories",
    "Labour",
    "Interpol",
    "Reuters",
    "Microsoft",
    "Google",
    "Apple",
    "Sony",
    "Nasa",
    "NASA",
    "FBI",
    "CIA",
    "BBC",
    "Fifa",
    "FIFA",
    "Uefa",
    "UEFA",
];

const SPEECH: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "warned",
    "urged",
    "stressed",
    "wrote",
    "argued",
    "claimed",
    "insisted",
    "denied",
    "announced",
    "accused",
    "noted",
    "tweeted",
];

/// Capitalised words that start sentences or dates and are never names.
const NOT_NAMES: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "But",
    "And",
    "Or",
    "If",
    "In",
    "On",
    "At",
    "For",
    "From",
    "By",
    "With",
    "This",
    "That",
    "These",
    "Those",
    "His",
    "Her",
    "Their",
    "Its",
    "Our",
    "As",
    "After",
    "Before",
    "When",
    "While",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Mr",
    "Mrs",
    "Ms",
    "There",
    "Here",
    "What",
    "Why",
    "How",
    "Who",
    "Yet",
    "So",
    "Some",
    "Many",
    "Most",
    "All",
    "One",
    "Two",
    "Three",
    "Last",
    "Next",
    "Despite",
    "However",
    "Meanwhile",
    "According",
];

fn is_name_word(t: &Token) -> bool {
    t.is_capitalized()
        && !t.text.ends_with('.')
        && t.text.chars().any(char::is_lowercase)
        && !NOT_NAMES.contains(&t.text)
        && !ROLE_HEADS.contains(&t.text)
        && !HONORIFICS.contains(&t.text)
}

fn is_place(word: &str) -> bool {
    place_code(word).is_some()
}

/// The country a single word (a name, demonym or capital, possibly possessive) stands for.
fn place_code(word: &str) -> Option<&'static str> {
    // A possessive names the same place: "Pakistan's".
    let word = word
        .strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .unwrap_or(word);
    gazetteer()
        .matches(word)
        .find(|(_, s, e)| *s == 0 && *e == word.len())
        .map(|(e, _, _)| e.code)
}

/// Only whitespace separates two tokens (no comma, no full stop, no line break).
fn adjacent(text: &str, a: &Token, b: &Token) -> bool {
    text[a.end..b.start].chars().all(|c| c == ' ')
}

struct Found {
    name: String,
    kind: ActorKind,
    role: Option<String>,
    /// Country written right before the role ("Pakistan's Defence Minister", "Afghan envoy").
    role_country: Option<&'static str>,
    span: Option<Span>,
}

/// People and organisations of an article, most mentioned first.
pub fn find(title: &str, body: &str) -> Vec<Actor> {
    let body_tokens = tokens(body);
    let mut found = Vec::new();
    scan(body, &body_tokens, true, &mut found);
    scan(title, &tokens(title), false, &mut found);
    merge(found, &body_tokens)
}

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Lowercase nouns after a capitalised run that make the run an affiliation, not a name
/// ("Liberal Democrat spokeswoman", "Labour MPs").
const AFFILIATION_NOUNS: &[&str] = &[
    "spokeswoman",
    "spokesman",
    "spokesperson",
    "leader",
    "leaders",
    "official",
    "officials",
    "party",
    "member",
    "members",
    "candidate",
    "supporters",
    "government",
    "minister",
];

fn scan(text: &str, toks: &[Token], in_body: bool, out: &mut Vec<Found>) {
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        // The run of name words starting at i; a month may continue a name ("Theresa May").
        let mut j = i;
        while j < toks.len()
            && (j == i || adjacent(text, &toks[j - 1], &toks[j]))
            && (is_name_word(&toks[j]) || (j > i && MONTHS.contains(&toks[j].text)))
        {
            j += 1;
        }
        if j == i {
            if KNOWN_ORGS.contains(&t.text) {
                out.push(Found {
                    name: t.text.to_string(),
                    kind: ActorKind::Organisation,
                    role: None,
                    role_country: None,
                    span: in_body.then_some([t.start, t.end]),
                });
            }
            i += 1;
            continue;
        }
        let (kind, name_start, end_idx) = classify(text, toks, i, j);
        if let Some(kind) = kind {
            let span = [toks[name_start].start, toks[end_idx - 1].end];
            let role = (kind == ActorKind::Person)
                .then(|| role_before(text, toks, i))
                .flatten();
            let role_country = role.as_ref().and_then(|(_, k)| {
                let p = toks.get(k.checked_sub(1)?)?;
                place_code(p.text).filter(|_| adjacent(text, p, &toks[*k]))
            });
            let role = role.map(|(r, _)| r);
            out.push(Found {
                name: text[span[0]..span[1]].to_string(),
                kind,
                role,
                role_country,
                span: in_body.then_some(span),
            });
        }
        i = end_idx.max(j);
    }
}

/// Decides what the capitalised run `toks[i..j]` names. Returns the kind (None: not an actor),
/// the index where the name starts, and the index after its end (an organisation may run on
/// through "of Commerce").
fn classify(text: &str, toks: &[Token], i: usize, j: usize) -> (Option<ActorKind>, usize, usize) {
    let n = j - i;
    let run = &toks[i..j];
    let last = run[n - 1].text;
    let next = toks.get(j);
    let prev = i
        .checked_sub(1)
        .map(|p| &toks[p])
        .filter(|p| adjacent(text, p, &toks[i]));
    let after_speech =
        next.is_some_and(|x| SPEECH.contains(&x.text) && adjacent(text, &run[n - 1], x));
    if let Some((_, k)) = org_tail(text, toks, j) {
        return (Some(ActorKind::Organisation), i, k);
    }
    if ORG_HEADS.contains(&last) || (n == 1 && KNOWN_ORGS.contains(&last)) {
        // "Afghan Taliban" is the Taliban: a leading demonym or country name qualifies a
        // well-known body rather than naming another one.
        let mut s = i;
        while s + 1 < j && is_place(toks[s].text) && KNOWN_ORGS.contains(&last) {
            s += 1;
        }
        return (Some(ActorKind::Organisation), s, j);
    }
    // A place, or capitals that open a role title ("Pakistan's Defence Minister").
    let before_role =
        next.is_some_and(|x| ROLE_HEADS.contains(&x.text) && adjacent(text, &run[n - 1], x));
    if (n == 1 && is_place(last)) || before_role {
        return (None, i, j);
    }
    let honorific = prev.is_some_and(|p| HONORIFICS.contains(&p.text));
    if honorific || role_before(text, toks, i).is_some() {
        return (Some(ActorKind::Person), i, j);
    }
    if n == 1 {
        return (after_speech.then_some(ActorKind::Person), i, j);
    }
    let affiliation = next.is_some_and(|x| AFFILIATION_NOUNS.contains(&x.text));
    let has_place = run.iter().any(|t| is_place(t.text));
    let person = n <= 3
        && !affiliation
        && !has_place
        && (after_speech
            || !sentence_initial(text, run[0].start)
            || looks_personal(text, toks, i, j));
    (person.then_some(ActorKind::Person), i, j)
}

/// "of Commerce" after a run: organisation names continue through "of"/"for" + capitals.
/// Returns the end byte and the index after the last token.
fn org_tail(text: &str, toks: &[Token], j: usize) -> Option<(usize, usize)> {
    let link = toks.get(j)?;
    if !matches!(link.text, "of" | "for") || !adjacent(text, &toks[j - 1], link) {
        return None;
    }
    let mut k = j + 1;
    while k < toks.len() && toks[k].is_capitalized() && adjacent(text, &toks[k - 1], &toks[k]) {
        k += 1;
    }
    (k > j + 1 && ORG_HEADS.contains(&toks[k - 1].text)).then(|| (toks[k - 1].end, k))
}

/// A two- or three-word capitalised run reads as a person next to a speech verb, after "said",
/// or before an appositive (", the ...").
fn looks_personal(text: &str, toks: &[Token], i: usize, j: usize) -> bool {
    if j - i > 3 || toks[i..j].iter().any(|t| is_place(t.text)) {
        return false;
    }
    let after = &text[toks[j - 1].end..];
    let before_said = i > 0 && SPEECH.contains(&toks[i - 1].text);
    let said_soon = toks[j..].iter().take(12).any(|t| SPEECH.contains(&t.text));
    before_said || after.starts_with(", the ") || after.starts_with(", who ") || said_soon
}

/// The role title right before the name at token `i` ("Trade and Industry Secretary"): a
/// role word, with capitalised words and "and" before it. None when there is none, or when
/// "the"/"a" precedes a one-word title and a one-word name ("the General Election").
fn role_before(text: &str, toks: &[Token], i: usize) -> Option<(String, usize)> {
    let head = toks.get(i.checked_sub(1)?)?;
    if !ROLE_HEADS.contains(&head.text) || !adjacent(text, head, &toks[i]) {
        return None;
    }
    let end = head.end;
    let mut k = i - 1;
    while k > 0 {
        let p = &toks[k - 1];
        let ok = (p.is_capitalized() && !NOT_NAMES.contains(&p.text) && !is_place(p.text))
            || (p.text == "and" && k >= 2 && toks[k - 2].is_capitalized());
        if !ok || !adjacent(text, p, &toks[k]) {
            break;
        }
        k -= 1;
    }
    let one_word_name = toks
        .get(i + 1)
        .is_none_or(|n| !n.is_capitalized() || !adjacent(text, &toks[i], n));
    let article_before = k > 0 && matches!(toks[k - 1].text, "the" | "a" | "an");
    if k == i - 1 && one_word_name && article_before {
        return None;
    }
    Some((text[toks[k].start..end].to_string(), k))
}

/// Whether a role is an office of a national government, whose country the article implies.
pub fn is_national_office(role: &str) -> bool {
    const OFFICES: &[&str] = &[
        "Minister",
        "Secretary",
        "President",
        "Chancellor",
        "Premier",
        "Ambassador",
        "Envoy",
    ];
    role.split(' ').any(|w| OFFICES.contains(&w))
}

fn last_word(name: &str) -> &str {
    name.rsplit(' ').next().unwrap_or(name)
}

/// Groups mentions into actors: a shorter form whose words end the fuller form ("Asif", "Hewitt")
/// is the same actor.
fn merge(found: Vec<Found>, body_tokens: &[Token]) -> Vec<Actor> {
    let mut actors: Vec<Actor> = Vec::new();
    let mut by_key: HashMap<(ActorKind, String), usize> = HashMap::new();
    // Fullest forms first, so shorter forms attach to them.
    let mut order: Vec<&Found> = found.iter().collect();
    order.sort_by_key(|f| std::cmp::Reverse(f.name.split(' ').count()));
    for f in order {
        let key = (f.kind, f.name.clone());
        let idx = match by_key.get(&key) {
            Some(&i) => i,
            None => {
                let parent = (f.kind == ActorKind::Person && !f.name.contains(' '))
                    .then(|| {
                        actors.iter().position(|a| {
                            a.kind == ActorKind::Person && last_word(&a.name) == f.name
                        })
                    })
                    .flatten();
                let i = parent.unwrap_or_else(|| {
                    actors.push(Actor {
                        name: f.name.clone(),
                        kind: f.kind,
                        role: None,
                        country: None,
                        count: 0,
                        spans: Vec::new(),
                    });
                    actors.len() - 1
                });
                by_key.insert(key, i);
                i
            }
        };
        let a = &mut actors[idx];
        a.count += 1;
        if let Some(s) = f.span {
            a.spans.push(s);
        }
        if a.role.is_none() {
            a.role.clone_from(&f.role);
        }
        if a.country.is_none() {
            a.country = f.role_country.map(str::to_string);
        }
    }
    // A bare surname mentioned without a rule firing ("Asif wrote" is caught; "Asif's message"
    // is not) still counts once its full form is known.
    for a in actors
        .iter_mut()
        .filter(|a| a.kind == ActorKind::Person && a.name.contains(' '))
    {
        let surname = last_word(&a.name).to_string();
        for t in body_tokens {
            if t.text == surname && !a.spans.iter().any(|s| s[0] <= t.start && t.end <= s[1]) {
                a.spans.push([t.start, t.end]);
                a.count += 1;
            }
        }
        a.spans.sort_unstable();
    }
    // "Foreign Office" no, "Pakistani Foreign Minister" yes: a place word inside the role.
    for a in actors.iter_mut().filter(|a| a.country.is_none()) {
        a.country = a
            .role
            .as_deref()
            .and_then(|r| r.split(' ').find_map(place_code))
            .map(str::to_string);
    }
    actors.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(a.spans.first().cmp(&b.spans.first()))
    });
    actors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(title: &str, body: &str) -> Vec<(String, Option<String>)> {
        find(title, body)
            .into_iter()
            .filter(|a| a.kind == ActorKind::Person)
            .map(|a| (a.name, a.role))
            .collect()
    }

    #[test]
    fn role_before_name_and_surname_merge() {
        let body = "Defence Minister Khawaja Asif issued a warning to the Afghan Taliban. Asif wrote in a tweet. Asif stressed that talks matter.";
        let a = find("", body);
        let asif = a
            .iter()
            .find(|x| x.name == "Khawaja Asif")
            .expect("Asif found");
        assert_eq!(asif.role.as_deref(), Some("Defence Minister"));
        assert_eq!(asif.count, 3);
        assert!(
            a.iter()
                .any(|x| x.name == "Taliban" && x.kind == ActorKind::Organisation)
        );
        assert_eq!(people("", body).len(), 1);
    }

    #[test]
    fn honorifics_speech_verbs_and_non_names() {
        let body = "The proposals were announced by the Trade and Industry Secretary Patricia Hewitt. \
                    It would mean more leave, Ms Hewitt told GMTV's Sunday programme. \
                    Theresa May, the shadow secretary, said it was late. \
                    On Monday, Gordon Brown said growth was strong.";
        let p = people("", body);
        let names: Vec<&str> = p.iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.contains(&"Patricia Hewitt"), "{names:?}");
        assert!(names.contains(&"Theresa May"), "{names:?}");
        assert!(names.contains(&"Gordon Brown"), "{names:?}");
        assert!(
            !names
                .iter()
                .any(|n| n.contains("Monday") || n.contains("Sunday")),
            "{names:?}"
        );
        let hewitt = p.iter().find(|(n, _)| n == "Patricia Hewitt").unwrap();
        assert_eq!(hewitt.1.as_deref(), Some("Trade and Industry Secretary"));
    }

    #[test]
    fn country_written_before_the_role() {
        let cases = [
            (
                "Pakistan’s Defence Minister Saleem Haider said so.",
                Some("PK"),
                "Defence Minister",
            ),
            (
                "Afghan Foreign Minister Amir Khan spoke.",
                Some("AF"),
                "Foreign Minister",
            ),
            (
                "The Pakistani Interior Minister Ali Raza met him.",
                Some("PK"),
                "Interior Minister",
            ),
            (
                "Foreign Minister Ana Ruiz said so.",
                None,
                "Foreign Minister",
            ),
        ];
        for (body, country, role) in cases {
            let a = find("", body);
            let p = a.iter().find(|x| x.kind == ActorKind::Person).expect(body);
            assert_eq!(
                (p.country.as_deref(), p.role.as_deref()),
                (country, Some(role)),
                "{body}"
            );
        }
    }

    #[test]
    fn organisations() {
        let a = find(
            "",
            "Sir David Frost, director general of the British Chambers of Commerce, said so. The United Nations agreed.",
        );
        let orgs: Vec<&str> = a
            .iter()
            .filter(|x| x.kind == ActorKind::Organisation)
            .map(|x| x.name.as_str())
            .collect();
        assert!(orgs.contains(&"British Chambers of Commerce"), "{orgs:?}");
        assert!(orgs.contains(&"United Nations"), "{orgs:?}");
    }
}
