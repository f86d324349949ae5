//! Actors: article text in, the people and organisations it names out, each with a canonical
//! name (the fullest form in the article: "Mr Asif" → "Khawaja Asif"), kind, role and the role's
//! country when the text gives them, mention count and body spans.
//!
//! Names come from the averaged-perceptron tagger (`ner`); roles from the words around a
//! mention (`roles`). Titles and honorifics are never part of a name; a mention that is only a
//! place, month or weekday is not a person.

use serde::Serialize;

use super::Span;
use super::countries::gazetteer;
use super::ner::{self, EntityKind};
use super::roles;

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

/// Titles of office or rank, which never belong to a name either, but also open phrases that
/// are not names at all ("General Election", "President's Cup").
const RANKS: &[&str] = &[
    "Sen.",
    "Rep.",
    "Gen.",
    "Col.",
    "Capt.",
    "President",
    "Minister",
    "Secretary",
    "Chancellor",
    "Senator",
    "Governor",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Pope",
    "Mayor",
    "General",
    "Judge",
    "Sheikh",
    "Imam",
    "Mullah",
];

/// Bodies news names by one word, which a tagger trained on 1996 Reuters may not know.
const KNOWN_ORGS: &[&str] = &[
    "Taliban",
    "Hamas",
    "Hezbollah",
    "Nato",
    "NATO",
    "Isis",
    "ISIS",
];

/// The first bytes of `KNOWN_ORGS`, where a search for them starts.
static ORG_FIRST_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < KNOWN_ORGS.len() {
        t[KNOWN_ORGS[i].as_bytes()[0] as usize] = true;
        i += 1;
    }
    t
};

/// Words that are never a person's whole name.
const NOT_PEOPLE: &[&str] = &[
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
    "God",
    "Allah",
];

/// Capitalised words of a headline in title case ("Trump Says He …", "Rubio On Abortion")
/// that never stand inside a person's name.
const HEADLINE_WORDS: &[&str] = &[
    "Says", "Said", "Has", "Have", "Is", "Are", "Was", "Will", "Just", "On", "In", "At", "For",
    "And", "Of", "The", "To", "With", "Who", "He", "She", "It", "His", "Her", "A", "An", "Against",
    "About", "After", "Over", "From", "Calls", "Joins", "Endorses", "Blasts", "Show",
];

/// Whether a tagged person name reads as one: at most four words, none a headline word,
/// not a weekday, month or place.
fn plausible_person(name: &str) -> bool {
    let words: Vec<&str> = name.split(' ').collect();
    words.len() <= 4
        && !words.iter().any(|w| HEADLINE_WORDS.contains(w))
        && !NOT_PEOPLE.contains(&name)
        && place_code(name).is_none()
}

/// Whether `name` is, unambiguously, the name of a country ("US", "the United Kingdom").
fn is_country_name(name: &str) -> bool {
    gazetteer()
        .matches(name)
        .any(|(e, s, end)| s == 0 && end == name.len() && e.kind == "name" && !e.ambiguous)
}

struct Mention {
    name: String,
    kind: ActorKind,
    role: Option<String>,
    role_country: Option<&'static str>,
    span: Option<Span>,
}

fn place_code(word: &str) -> Option<&'static str> {
    let word = word
        .strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .unwrap_or(word);
    gazetteer()
        .matches(word)
        .find(|(_, s, e)| *s == 0 && *e == word.len())
        .map(|(e, _, _)| e.code)
}

/// A tagged name without its titles.
struct Stripped {
    start: usize,
    end: usize,
    /// The last title dropped was one of [`RANKS`].
    after_rank: bool,
}

/// Drops titles at the front of a tagged name; returns the trimmed byte range.
fn strip_titles(text: &str, mut start: usize, end: usize) -> Option<Stripped> {
    let mut after_rank = false;
    loop {
        let rest = &text[start..end];
        let first = rest.split(' ').next().unwrap_or(rest);
        let rank = RANKS.contains(&first);
        if first.len() < rest.len() && (rank || roles::HONORIFICS.contains(&first)) {
            start += first.len() + 1;
            after_rank = rank;
        } else {
            break;
        }
    }
    let name = &text[start..end];
    let end = end - name.len() + name.trim_end_matches(['.', ',']).len();
    (start < end).then_some(Stripped {
        start,
        end,
        after_rank,
    })
}

/// "General Election", "General Motors", "President Bush": one word after a title of rank is a
/// person unless the text also writes it in lowercase ("the election") or the tagger's training
/// data knows it, but never in a person's name — and the text never uses it in a longer name.
fn common_noun_after_rank(text: &str, word: &str, names: &[&str]) -> bool {
    let mut lower = String::with_capacity(word.len());
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !first.is_uppercase() || word.contains(' ') {
        return false;
    }
    lower.extend(first.to_lowercase());
    lower.push_str(chars.as_str());
    let written_lower = text
        .match_indices(&lower)
        .any(|(at, m)| super::text::on_word_boundary(text, at, at + m.len()));
    let in_longer_name = names
        .iter()
        .any(|n| n.len() > word.len() && n.split(' ').any(|w| w == word));
    (written_lower || ner::never_in_person_names(word)) && !in_longer_name
}

/// Splits a role into the role proper and the country written at its front
/// ("Pakistan's Defence Minister" → "Defence Minister", PK).
fn split_role(role: String) -> (Option<String>, Option<&'static str>) {
    let first = role.split(' ').next().unwrap_or("");
    match place_code(first) {
        Some(code) if first.len() < role.len() => {
            (Some(role[first.len() + 1..].to_string()), Some(code))
        }
        code => (
            Some(role.clone()),
            code.or_else(|| role.split(' ').find_map(place_code)),
        ),
    }
}

/// Trims what a tagged span should not hold: trailing lowercase words ("Taliban administration",
/// "Taliban of") and a possessive ("Taliban's").
fn trim_entity(text: &str, start: usize, mut end: usize) -> usize {
    loop {
        let span = &text[start..end];
        let span = span
            .strip_suffix("'s")
            .or_else(|| span.strip_suffix("’s"))
            .unwrap_or(span)
            .trim_end();
        let cut = match span.rsplit_once(' ') {
            Some((head, last)) if !last.chars().next().is_some_and(char::is_uppercase) => head,
            _ => span,
        };
        let new_end = start + cut.trim_end().len();
        if new_end == end {
            return end;
        }
        end = new_end;
    }
}

/// A title and a name tagged together as one organisation ("Trade and Industry Secretary
/// Patricia Hewitt"): the capitalised words after the last role word are the person.
fn person_inside_org(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let span = &text[start..end];
    let words: Vec<(usize, &str)> = span
        .split(' ')
        .scan(0, |at, w| {
            let here = *at;
            *at += w.len() + 1;
            Some((here, w))
        })
        .collect();
    let role = words.iter().rposition(|(_, w)| roles::is_role_noun(w))?;
    let name = &words[role + 1..];
    const BODIES: &[&str] = &[
        "Office",
        "Party",
        "Ministry",
        "Council",
        "Board",
        "Committee",
        "Commission",
        "Department",
        "Court",
        "Agency",
        "Bank",
        "Union",
        "Association",
        "Group",
    ];
    let capitals = name.iter().all(|(_, w)| {
        w.chars().next().is_some_and(char::is_uppercase)
            && !w.contains(['\'', '’'])
            && !BODIES.contains(w)
    });
    (!name.is_empty() && name.len() <= 3 && capitals).then(|| (start + name[0].0, end))
}

fn mentions(text: &str, in_body: bool, out: &mut Vec<Mention>) {
    let ents = ner::model().tag(text);
    let person_names: Vec<&str> = ents
        .iter()
        .filter(|e| e.kind == EntityKind::Person)
        .map(|e| &text[e.start..e.end])
        .collect();
    for e in &ents {
        let mut kind = match e.kind {
            EntityKind::Person => ActorKind::Person,
            EntityKind::Organisation => ActorKind::Organisation,
            EntityKind::Location | EntityKind::Misc => continue,
        };
        let mut start = e.start;
        let end = trim_entity(text, e.start, e.end);
        if kind == ActorKind::Organisation {
            if let Some((s, _)) = person_inside_org(text, start, end) {
                kind = ActorKind::Person;
                start = s;
            } else if text[start..end].split(' ').any(roles::is_role_noun) {
                // "Shadow Secretary of State" is a post, not a body.
                continue;
            }
        }
        let Some(Stripped {
            start: s,
            end,
            after_rank,
        }) = strip_titles(text, start, end)
        else {
            continue;
        };
        let name = &text[s..end];
        if kind == ActorKind::Person && !plausible_person(name) {
            continue;
        }
        // The tagger may leave the title out of the name ("General [Election]").
        let rank_before = text[..s]
            .strip_suffix(' ')
            .and_then(|t| t.rsplit(' ').next())
            .is_some_and(|w| RANKS.contains(&w));
        if kind == ActorKind::Person
            && (after_rank || rank_before)
            && common_noun_after_rank(text, name, &person_names)
        {
            continue;
        }
        // "the US said": a country acting is the country, which `countries` reports. (A city
        // tagged as an organisation is usually its team: "Chicago beat Boston".)
        if kind == ActorKind::Organisation && is_country_name(name) {
            continue;
        }
        let (role, role_country) = match (kind, roles::role_of(text, s, end)) {
            (ActorKind::Person, Some(r)) => split_role(r),
            _ => (None, None),
        };
        out.push(Mention {
            name: name.to_string(),
            kind,
            role,
            role_country,
            span: in_body.then_some([s, end]),
        });
    }
    // Well-known one-word bodies the tagger left out or called something else, by list order
    // and then position, as one search per word found them. One pass over the bytes instead:
    // seven searches over every text were a twentieth of the actor search.
    let bytes = text.as_bytes();
    let mut hits: Vec<(usize, usize)> = Vec::new();
    for (s, &c) in bytes.iter().enumerate() {
        if ORG_FIRST_BYTES[usize::from(c)] {
            for (k, org) in KNOWN_ORGS.iter().enumerate() {
                if bytes[s..].starts_with(org.as_bytes()) {
                    hits.push((k, s));
                }
            }
        }
    }
    hits.sort_unstable();
    for (k, s) in hits {
        let org = KNOWN_ORGS[k];
        let end = s + org.len();
        let covered = ents
            .iter()
            .any(|e| e.start <= s && end <= e.end && e.kind != EntityKind::Misc);
        if covered || !super::text::on_word_boundary(text, s, end) {
            continue;
        }
        out.push(Mention {
            name: (*org).to_string(),
            kind: ActorKind::Organisation,
            role: None,
            role_country: None,
            span: in_body.then_some([s, end]),
        });
    }
}

/// People and organisations of an article, most mentioned first.
pub fn find(title: &str, body: &str) -> Vec<Actor> {
    let mut found = Vec::new();
    mentions(body, true, &mut found);
    mentions(title, false, &mut found);
    merge(found)
}

/// Whether a role is an office of a national government, whose country the article implies.
pub fn is_national_office(role: &str) -> bool {
    const OFFICES: &[&str] = &[
        "Minister",
        "minister",
        "Secretary",
        "President",
        "president",
        "Chancellor",
        "Premier",
        "Ambassador",
        "ambassador",
        "Envoy",
        "envoy",
    ];
    role.split(' ').any(|w| OFFICES.contains(&w))
}

/// Whether the shorter person name refers to the fuller one: all its words are words of the
/// fuller name ("Asif" and "Khawaja Asif", "Hillary" and "Hillary Clinton").
fn part_of(short: &str, full: &str) -> bool {
    let words: Vec<&str> = full.split(' ').collect();
    short.split(' ').all(|w| words.contains(&w))
}

/// Groups mentions into actors, a shorter person form joining the fullest form it is part of.
fn merge(found: Vec<Mention>) -> Vec<Actor> {
    let mut order: Vec<&Mention> = found.iter().collect();
    // Fullest forms first, so shorter forms attach to them; ties in text order.
    order.sort_by_key(|m| {
        (
            std::cmp::Reverse(m.name.split(' ').count()),
            m.span.map(|s| s[0]),
        )
    });
    let mut actors: Vec<Actor> = Vec::new();
    for m in order {
        let same = |a: &Actor| {
            a.kind == m.kind
                && (a.name == m.name || (m.kind == ActorKind::Person && part_of(&m.name, &a.name)))
        };
        // The exact form if known; else the fuller form mentioned most often ("Trump" joins
        // "Donald Trump", not a headline the tagger read as one long name).
        let exact = actors
            .iter()
            .position(|a| a.kind == m.kind && a.name == m.name);
        let fuller = || {
            actors
                .iter()
                .enumerate()
                .filter(|(_, a)| same(a))
                .max_by_key(|(i, a)| (a.count, std::cmp::Reverse(*i)))
                .map(|(i, _)| i)
        };
        let idx = match exact.or_else(fuller) {
            Some(i) => i,
            None => {
                actors.push(Actor {
                    name: m.name.clone(),
                    kind: m.kind,
                    role: None,
                    country: None,
                    count: 0,
                    spans: Vec::new(),
                });
                actors.len() - 1
            }
        };
        let a = &mut actors[idx];
        a.count += 1;
        if let Some(s) = m.span {
            a.spans.push(s);
        }
        if a.role.is_none() {
            a.role.clone_from(&m.role);
        }
        if a.country.is_none() {
            a.country = m.role_country.map(str::to_string);
        }
    }
    for a in &mut actors {
        a.spans.sort_unstable();
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

    fn person<'a>(actors: &'a [Actor], name: &str) -> &'a Actor {
        actors
            .iter()
            .find(|a| a.kind == ActorKind::Person && a.name == name)
            .unwrap_or_else(|| panic!("{name} not in {actors:?}"))
    }

    #[test]
    fn canonical_names_roles_and_countries() {
        let body = "Defence Minister Khawaja Asif issued a blunt warning to the Afghan Taliban. \
                    Asif wrote in a tweet that Pakistan would respond. Asif’s message was clear.";
        let a = find("", body);
        let asif = person(&a, "Khawaja Asif");
        assert_eq!(asif.role.as_deref(), Some("Defence Minister"));
        assert_eq!(asif.count, 3);
        let mentions: Vec<&str> = asif.spans.iter().map(|s| &body[s[0]..s[1]]).collect();
        assert_eq!(mentions, ["Khawaja Asif", "Asif", "Asif"]);
        assert!(
            a.iter()
                .any(|x| x.name == "Taliban" && x.kind == ActorKind::Organisation)
        );
        assert_eq!(a.iter().filter(|x| x.kind == ActorKind::Person).count(), 1);
    }

    #[test]
    fn titles_are_not_names_and_title_plus_name_is_a_person() {
        let cases: &[(&str, &str, Option<&str>, Option<&str>)] = &[
            (
                "It was announced by the Trade and Industry Secretary Patricia Hewitt.",
                "Patricia Hewitt",
                Some("Trade and Industry Secretary"),
                None,
            ),
            (
                "Pakistan’s Defence Minister Saleem Haider said so.",
                "Saleem Haider",
                Some("Defence Minister"),
                Some("PK"),
            ),
            (
                "But David Frost, director general of the British Chambers of Commerce, warned.",
                "David Frost",
                Some("director general of the British Chambers of Commerce"),
                Some("GB"),
            ),
            (
                "Liberal Democrat spokeswoman for women Sandra Gidley said no.",
                "Sandra Gidley",
                Some("Liberal Democrat spokeswoman for women"),
                None,
            ),
        ];
        for (body, name, role, country) in cases {
            let a = find("", body);
            let p = person(&a, name);
            assert_eq!(
                (p.role.as_deref(), p.country.as_deref()),
                (*role, *country),
                "{body}"
            );
        }
        // "Ms" is not part of the name, and the short form joins the full one.
        let a = find(
            "",
            "Patricia Hewitt spoke. Later Ms Hewitt told GMTV's Sunday programme more.",
        );
        assert_eq!(person(&a, "Patricia Hewitt").count, 2);
        // Posts are not organisations.
        let a = find(
            "",
            "The Shadow Secretary of State for the Family, Theresa May, said: \"No.\"",
        );
        assert!(!a.iter().any(|x| x.name.contains("Secretary")), "{a:?}");
        assert!(
            person(&a, "Theresa May")
                .role
                .as_deref()
                .is_some_and(|r| r.contains("Shadow Secretary"))
        );
    }

    #[test]
    fn a_country_acting_is_not_an_organisation() {
        let a = find(
            "US and UN condemn attack",
            "The US said the United Nations and the U.S. Treasury would act. \
             The UK agreed, the US State Department said.",
        );
        let names: Vec<&str> = a.iter().map(|x| x.name.as_str()).collect();
        for country in ["US", "U.S.", "UK"] {
            assert!(!names.contains(&country), "{names:?}");
        }
        assert!(names.contains(&"United Nations"), "{names:?}");
    }

    #[test]
    fn months_weekdays_and_places_are_not_people() {
        let a = find(
            "",
            "On Monday, May said Paris and Jordan were calm. In March, Kabul replied.",
        );
        for x in a.iter().filter(|x| x.kind == ActorKind::Person) {
            assert!(
                !["Monday", "March", "Paris", "Jordan", "Kabul"].contains(&x.name.as_str()),
                "{x:?}"
            );
        }
    }

    #[test]
    fn a_common_noun_after_a_rank_is_not_a_person() {
        let people = |body: &str| -> Vec<String> {
            find("", body)
                .into_iter()
                .filter(|x| x.kind == ActorKind::Person)
                .map(|x| x.name)
                .collect()
        };
        // (text, who must not be a person, who must stay one)
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "Labour will set out plans closer to the General Election, Tony Blair said.",
                "Election",
                &["Tony Blair"],
            ),
            (
                "General Motors said sales fell, and President Bush met President Putin.",
                "Motors",
                &["Bush", "Putin"],
            ),
            (
                "The Transport and General Workers Union objected; workers marched.",
                "Workers",
                &[],
            ),
            // The same shape with a surname: a person.
            (
                "General Musharraf said the army would stay.",
                "",
                &["Musharraf"],
            ),
        ];
        for (text, not_person, persons) in cases {
            let got = people(text);
            assert!(!got.iter().any(|n| n == not_person), "{text}: {got:?}");
            for p in *persons {
                assert!(
                    got.iter().any(|n| n == p),
                    "{text}: {p} missing from {got:?}"
                );
            }
        }
    }

    #[test]
    fn entity_trimming() {
        let t = "the Taliban administration said";
        assert_eq!(&t[4..trim_entity(t, 4, 26)], "Taliban");
        let t = "the Taliban’s ranks";
        assert_eq!(&t[4..trim_entity(t, 4, 16)], "Taliban");
    }
}
