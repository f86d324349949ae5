//! `Article`: what every parser produces and every later stage consumes.
//!
//! Parsers fill in what the format says; extraction fills in the rest. Nothing here knows about
//! file formats or tantivy.

use serde::Serialize;

use crate::extract::dates::DateValue;

/// Where a publication date came from, in decreasing order of trust.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DateSource {
    /// A metadata field of the format: JSON/CSV column, HTML meta, front matter.
    Metadata,
    /// A header line or dateline in the text.
    Header,
    /// A date in the file path.
    Path,
    /// The file's modification time, only when the user asks for it.
    Mtime,
}

impl DateSource {
    /// The name used in the index and in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::Metadata => "metadata",
            DateSource::Header => "header",
            DateSource::Path => "path",
            DateSource::Mtime => "mtime",
        }
    }
}

/// One news article as parsed from a file (or one line/row of a multi-article file).
#[derive(Debug, Clone, Default)]
pub struct Article {
    /// Stable id: a hash of the file's absolute path, plus `#N` for the N-th line/row/element
    /// of a multi-article file.
    pub id: String,
    /// The file the article came from, absolute.
    pub path: String,
    /// 1-based line (JSONL), row (CSV/TSV) or element (JSON array) inside a multi-article file.
    pub location: Option<u64>,
    /// Headline; empty when the input has none.
    pub title: String,
    /// Article text as parsed. Extraction spans are byte offsets into this string.
    pub body: String,
    /// The publication date as the format's metadata writes it, before parsing.
    pub date_raw: Option<String>,
    /// The publication date once resolved (metadata, header, path).
    pub date: Option<DateValue>,
    /// Where `date` came from.
    pub date_source: Option<DateSource>,
    /// Publisher or outlet.
    pub source: Option<String>,
    /// Canonical URL.
    pub url: Option<String>,
    /// Author(s), comma-separated.
    pub author: Option<String>,
}

/// The FNV-1a offset basis: the hash of no bytes, where [`fnv1a_extend`] starts.
pub const FNV1A_START: u64 = 0xcbf2_9ce4_8422_2325;

impl Article {
    /// Whether the article has neither title nor body text: such an "article" (an empty file,
    /// an empty JSON object) is not indexed nor shown.
    pub fn is_blank(&self) -> bool {
        self.title.trim().is_empty() && self.body.trim().is_empty()
    }
}

/// 64-bit FNV-1a: tiny, stable across versions and platforms, which ids must be.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_extend(FNV1A_START, bytes)
}

/// Continues an FNV-1a hash `h` with more bytes, to hash text fed piece by piece without
/// building it first.
pub fn fnv1a_extend(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The stable id of an article: derived from its file's absolute path and, inside a
/// multi-article file, its 1-based line/row/element number.
pub fn article_id(abs_path: &str, location: Option<u64>) -> String {
    let h = fnv1a(abs_path.as_bytes());
    match location {
        Some(n) => format!("{h:016x}#{n}"),
        None => format!("{h:016x}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_distinguish_rows() {
        // Pinned value: changing the hash would silently re-key every user's index.
        assert_eq!(
            article_id("/a/b.txt", None),
            format!("{:016x}", fnv1a(b"/a/b.txt"))
        );
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_ne!(
            article_id("/a/b.jsonl", Some(1)),
            article_id("/a/b.jsonl", Some(2))
        );
        assert!(article_id("/a/b.jsonl", Some(12)).ends_with("#12"));
    }
}
