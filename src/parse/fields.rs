//! Maps the field and column names real news exports use onto `Article` fields.
//!
//! Input: (name, value) pairs from one JSON object or CSV row. Output: an `Article` with title,
//! body, date text, url, source and author. Names are compared case- and punctuation-blind
//! ("datePublished" = "date_published"); the first listed name present wins.

use crate::article::Article;

const TITLE: &[&str] = &["title", "headline", "heading", "header"];
const BODY: &[&str] = &[
    "body",
    "text",
    "content",
    "article",
    "maintext",
    "articlebody",
    "articletext",
    "fulltext",
    "bodytext",
    "story",
    "description",
    "summary",
];
const DATE: &[&str] = &[
    "date",
    "published",
    "datepublish",
    "datepublished",
    "publishedat",
    "publishdate",
    "publisheddate",
    "publicationdate",
    "pubdate",
    "timestamp",
    "datetime",
    "createdat",
];
const URL: &[&str] = &["url", "link", "permalink", "canonicalurl", "sourceurl"];
const SOURCE: &[&str] = &[
    "source",
    "publisher",
    "outlet",
    "sourcedomain",
    "sourcename",
    "site",
    "sitename",
    "publication",
    "domain",
];
const AUTHOR: &[&str] = &["author", "authors", "byline", "creator"];

/// Lowercases and drops everything but letters and digits, so spellings of one name compare equal.
pub fn normalize_key(k: &str) -> String {
    k.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Which `Article` field a normalized column/field name fills, with its priority (lower wins).
fn slot(key: &str) -> Option<(usize, usize)> {
    for (slot, names) in [TITLE, BODY, DATE, URL, SOURCE, AUTHOR].iter().enumerate() {
        if let Some(prio) = names.iter().position(|n| *n == key) {
            return Some((slot, prio));
        }
    }
    None
}

/// Collects (name, value) pairs of one record and builds the article from the best-named ones.
#[derive(Debug, Default)]
pub struct Record {
    best: [Option<(usize, String)>; 6],
}

impl Record {
    /// Offers one field; empty values are ignored.
    pub fn offer(&mut self, key: &str, value: String) {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        if let Some((slot, prio)) = slot(&normalize_key(key)) {
            let cur = &mut self.best[slot];
            if cur.as_ref().is_none_or(|(p, _)| prio < *p) {
                *cur = Some((prio, value.to_string()));
            }
        }
    }

    /// Whether the record has a title or a body, i.e. is an article at all.
    pub fn is_article(&self) -> bool {
        self.best[0].is_some() || self.best[1].is_some()
    }

    /// The article, with `location` set.
    pub fn into_article(self, location: u64) -> Article {
        let [title, body, date, url, source, author] = self.best.map(|b| b.map(|(_, v)| v));
        Article {
            location: Some(location),
            title: title.unwrap_or_default(),
            body: body.unwrap_or_default(),
            date_raw: date,
            url,
            source,
            author,
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_export_names_map_to_fields() {
        let mut r = Record::default();
        for (k, v) in [
            ("headline", "H"),
            ("description", "short"),
            ("maintext", "long text"),
            ("date_publish", "2016-11-09 00:00:00"),
            ("source_domain", "bbc.co.uk"),
            ("Link", "http://x"),
            ("authors", "A, B"),
            ("unrelated", "zzz"),
        ] {
            r.offer(k, v.to_string());
        }
        let a = r.into_article(3);
        assert_eq!(a.title, "H");
        assert_eq!(a.body, "long text");
        assert_eq!(a.date_raw.as_deref(), Some("2016-11-09 00:00:00"));
        assert_eq!(a.source.as_deref(), Some("bbc.co.uk"));
        assert_eq!(a.url.as_deref(), Some("http://x"));
        assert_eq!(a.author.as_deref(), Some("A, B"));
        assert_eq!(a.location, Some(3));
        for k in ["datePublished", "published_at", "pubDate", "PUBLISHED"] {
            assert!(slot(&normalize_key(k)).is_some_and(|(s, _)| s == 2), "{k}");
        }
    }

    #[test]
    fn empty_values_do_not_win() {
        let mut r = Record::default();
        r.offer("text", "  ".into());
        assert!(!r.is_article());
        r.offer("content", "x".into());
        assert!(r.is_article());
    }
}
