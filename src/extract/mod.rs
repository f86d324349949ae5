//! Extract: an `Article` in, its fields out (countries, actors, publication date, the dates and
//! statements it mentions). Pure, deterministic functions run in parallel by the indexer; no I/O,
//! no network, gazetteers compiled in. Spans are byte offsets into `Article::body`.

pub mod actors;
pub mod countries;
pub mod dates;
pub mod mentions;
pub mod ner;
pub mod roles;
pub mod statements;
pub mod text;

use serde::Serialize;

use crate::article::{Article, DateSource};

pub use actors::{Actor, ActorKind};
pub use countries::CountryMention;

/// A `[start, end)` byte range in the article body.
pub type Span = [usize; 2];

/// A date the text mentions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateMention {
    /// The date as written.
    pub text: String,
    /// ISO 8601 value.
    pub value: String,
    /// Where in the body.
    pub span: Span,
}

/// A statement an actor made: a direct quote or reported speech, attributed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    /// Canonical name of the speaker, or None when unattributed.
    pub speaker: Option<String>,
    /// Speaker's role.
    pub role: Option<String>,
    /// The country of the speaker's role.
    pub country: Option<String>,
    /// The cue verb ("said", "warned").
    pub cue: String,
    /// "quote" or "reported".
    pub kind: String,
    /// What was said.
    pub text: String,
    /// Where in the body.
    pub span: Span,
}

/// Everything extracted from one article.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Extracted {
    /// Countries, most salient first.
    pub countries: Vec<CountryMention>,
    /// People and organisations, most mentioned first.
    pub actors: Vec<Actor>,
    /// Dates mentioned in the body.
    pub dates_mentioned: Vec<DateMention>,
    /// Statements.
    pub statements: Vec<Statement>,
}

impl Extracted {
    /// Checks the contract of every span (countries, actors, dates mentioned, statements):
    /// `start <= end`, inside `body`, on UTF-8 character boundaries. Errs with the first span
    /// that breaks it; the fuzz targets and tests hold every extractor to it.
    pub fn check_spans(&self, body: &str) -> Result<(), String> {
        let spans = self
            .countries
            .iter()
            .flat_map(|c| c.spans.iter().map(move |s| (c.code, s)))
            .chain(
                self.actors
                    .iter()
                    .flat_map(|a| a.spans.iter().map(move |s| (a.name.as_str(), s))),
            )
            .chain(
                self.dates_mentioned
                    .iter()
                    .map(|d| (d.text.as_str(), &d.span)),
            )
            .chain(self.statements.iter().map(|s| (s.text.as_str(), &s.span)));
        for (what, &[start, end]) in spans {
            if start > end
                || end > body.len()
                || !body.is_char_boundary(start)
                || !body.is_char_boundary(end)
            {
                return Err(format!(
                    "span [{start}, {end}) of {what:?} is not a character range of the {}-byte body",
                    body.len()
                ));
            }
        }
        Ok(())
    }
}

/// Fills `article.date`/`date_source` from the best evidence: metadata, then a header line or
/// dateline, then the file path. Never invents a date.
pub fn resolve_date(article: &mut Article) {
    if let Some(d) = article.date_raw.as_deref().and_then(dates::parse_date) {
        article.date = Some(d);
        article.date_source = Some(DateSource::Metadata);
        return;
    }
    let from_path = dates::date_from_path(&article.path);
    let hint = from_path.map(|d| chrono::Datelike::year(&d.date));
    if let Some((d, _)) = dates::date_from_header(&article.body, hint) {
        article.date = Some(d);
        article.date_source = Some(DateSource::Header);
    } else if let Some(d) = from_path {
        article.date = Some(d);
        article.date_source = Some(DateSource::Path);
    }
}

/// A country word inside a person's name is part of the name ("Dane Chinnery", "Jordan
/// Henderson"): those body mentions are dropped, and a country left without mentions with them.
fn drop_mentions_in_names(
    countries: &mut Vec<countries::CountryMention>,
    actors: &[actors::Actor],
) {
    let names: Vec<Span> = actors
        .iter()
        .filter(|a| a.kind == actors::ActorKind::Person)
        .flat_map(|a| a.spans.iter().copied())
        .collect();
    if names.is_empty() {
        return;
    }
    for c in countries.iter_mut() {
        let before = c.spans.len();
        c.spans
            .retain(|s| !names.iter().any(|n| n[0] <= s[0] && s[1] <= n[1]));
        c.count -= before - c.spans.len();
    }
    countries.retain(|c| c.count > 0);
}

/// Runs every extractor over an article.
pub fn extract(article: &Article) -> Extracted {
    let mut countries = countries::find(&article.title, &article.body);
    let mut actors = actors::find(&article.title, &article.body);
    drop_mentions_in_names(&mut countries, &actors);
    // A national office named without its country ("Defence Minister") belongs, as a reader
    // takes it, to the country the article is about.
    if let Some(main) = countries.first() {
        for a in actors.iter_mut().filter(|a| a.country.is_none()) {
            if a.role.as_deref().is_some_and(actors::is_national_office) {
                a.country = Some(main.code.to_string());
            }
        }
    }
    let statements = statements::find(&article.body, &actors);
    Extracted {
        countries,
        actors,
        dates_mentioned: mentions::find(&article.body, article.date.map(|d| d.date)),
        statements,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_words_inside_person_names_are_not_countries() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Dane Chinnery, 19, was named by police. Mr Chinnery was a student.",
                &[],
            ),
            ("Danish police said Dane Chinnery, 19, was named.", &["DK"]),
            (
                "Afghan Taliban fighters met Pakistani officials.",
                &["AF", "PK"],
            ),
        ];
        for (body, want) in cases {
            let a = Article {
                body: (*body).into(),
                ..Default::default()
            };
            let mut got: Vec<&str> = extract(&a).countries.iter().map(|c| c.code).collect();
            got.sort_unstable();
            assert_eq!(&got, want, "{body}");
        }
    }

    #[test]
    fn spans_are_checked_against_the_body() {
        let body = "Pakistan’s minister said “yes”.";
        let a = Article {
            title: "Talks".into(),
            body: body.into(),
            ..Default::default()
        };
        let ex = extract(&a);
        assert_eq!(ex.check_spans(body), Ok(()));
        assert_eq!(ex.countries[0].spans[0], [0, 8]);
        // Each way a span can be wrong: reversed, past the end, inside a character.
        let apostrophe = body.find('’').unwrap();
        for bad in [[5, 4], [0, body.len() + 1], [apostrophe + 1, 12]] {
            let mut broken = ex.clone();
            broken.countries[0].spans[0] = bad;
            let err = broken.check_spans(body).unwrap_err();
            assert!(err.contains(&format!("[{}, {})", bad[0], bad[1])), "{err}");
        }
    }
}
