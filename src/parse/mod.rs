//! Parse: a file's bytes in, `Article`s out, one module per input format.
//!
//! The format is chosen by extension (`.gz` by the extension under it). Text is decoded with
//! [`crate::decode`]; a bad line or row becomes a warning and the others are kept. Parsers fill
//! only what the format carries: extraction comes later.

pub mod csv;
pub mod fields;
pub mod html;
pub mod json;
pub mod md;
pub mod txt;

use std::io::Read;
use std::path::Path;

use crate::article::{Article, article_id};
use crate::decode::{Decoding, decode, looks_binary};

/// The input formats newsdex reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text: headline on the first line.
    Txt,
    /// Markdown with optional front matter.
    Md,
    /// A web page.
    Html,
    /// One article object, or an array of them.
    Json,
    /// One article object a line.
    Jsonl,
    /// Comma-separated with a header row, one article a row.
    Csv,
    /// Tab-separated with a header row, one article a row.
    Tsv,
}

impl Format {
    /// The format of a file from its extension, looking under a `.gz` suffix.
    pub fn from_path(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_string_lossy().to_lowercase();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        let ext = name.rsplit_once('.')?.1;
        Some(match ext {
            "txt" | "text" => Format::Txt,
            "md" | "markdown" => Format::Md,
            "html" | "htm" | "xhtml" => Format::Html,
            "json" => Format::Json,
            "jsonl" | "ndjson" => Format::Jsonl,
            "csv" => Format::Csv,
            "tsv" | "tab" => Format::Tsv,
            _ => return None,
        })
    }
}

fn is_gz(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

/// What parsing one file gave.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The articles, in file order.
    pub articles: Vec<Article>,
    /// Problems that lost part of the file or changed its text (a broken line, a re-decoded
    /// byte), each a one-line message.
    pub warnings: Vec<String>,
}

/// Why a whole file yielded nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    /// Not text: skipped without complaint beyond a note.
    Binary,
    /// Larger than the configured limit (after decompression for `.gz`).
    TooLarge(u64),
    /// Unreadable or malformed as a whole (a corrupt .gz, JSON that does not parse).
    Invalid(String),
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileError::Binary => write!(f, "binary file, not text"),
            FileError::TooLarge(limit) => write!(
                f,
                "larger than the {} MiB limit (raise it with --max-file-mb)",
                limit >> 20
            ),
            FileError::Invalid(m) => write!(f, "{m}"),
        }
    }
}

/// Parses the bytes of the file at `abs_path` (absolute; it keys the article ids). `max_bytes`
/// bounds the decompressed size of a `.gz`.
pub fn parse_bytes(abs_path: &str, bytes: &[u8], max_bytes: u64) -> Result<Parsed, FileError> {
    let path = Path::new(abs_path);
    let Some(format) = Format::from_path(path) else {
        return Err(FileError::Invalid("unsupported file type".into()));
    };
    let inflated;
    let bytes = if is_gz(path) {
        let mut out = Vec::new();
        let mut dec = flate2::read::MultiGzDecoder::new(bytes).take(max_bytes.saturating_add(1));
        dec.read_to_end(&mut out)
            .map_err(|e| FileError::Invalid(format!("corrupt gzip data: {e}")))?;
        if out.len() as u64 > max_bytes {
            return Err(FileError::TooLarge(max_bytes));
        }
        inflated = out;
        &inflated[..]
    } else {
        bytes
    };
    if looks_binary(bytes) {
        return Err(FileError::Binary);
    }
    let (text, decoding) = decode(bytes);
    let mut parsed = Parsed::default();
    if let Decoding::Windows1252 { invalid_bytes } = decoding {
        parsed.warnings.push(format!(
            "not valid UTF-8: {invalid_bytes} byte(s) read as Latin-1/Windows-1252"
        ));
    }
    match format {
        Format::Txt => parsed.articles.push(txt::parse(&text)),
        Format::Md => parsed.articles.push(md::parse(&text)),
        Format::Html => parsed.articles.push(html_article(&text)),
        Format::Json => json::parse_json(&text, &mut parsed).map_err(FileError::Invalid)?,
        Format::Jsonl => json::parse_jsonl(&text, &mut parsed),
        Format::Csv => csv::parse(&text, b',', &mut parsed),
        Format::Tsv => csv::parse(&text, b'\t', &mut parsed),
    }
    let multi = matches!(
        format,
        Format::Json | Format::Jsonl | Format::Csv | Format::Tsv
    );
    for a in &mut parsed.articles {
        if !multi {
            a.location = None;
        }
        a.id = article_id(abs_path, a.location);
        a.path = abs_path.to_string();
    }
    Ok(parsed)
}

fn html_article(text: &str) -> Article {
    let h = html::parse_html(text);
    Article {
        title: h.title.unwrap_or_default(),
        body: h.body,
        date_raw: h.date,
        url: h.url,
        source: h.source,
        author: h.author,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        let cases = [
            ("a/b.txt", Some(Format::Txt)),
            ("b.TXT", Some(Format::Txt)),
            ("x.jsonl.gz", Some(Format::Jsonl)),
            ("x.ndjson", Some(Format::Jsonl)),
            ("page.htm", Some(Format::Html)),
            ("feed.tsv", Some(Format::Tsv)),
            ("notes.md", Some(Format::Md)),
            ("photo.jpg", None),
            ("archive.gz", None),
            ("Makefile", None),
        ];
        for (p, f) in cases {
            assert_eq!(Format::from_path(Path::new(p)), f, "{p}");
        }
    }

    #[test]
    fn gz_corrupt_and_binary_files_are_errors_of_that_file() {
        assert_eq!(
            parse_bytes("/x/a.txt", b"\xFF\xD8\xFF\xE0\0\0JFIF", 1 << 20).unwrap_err(),
            FileError::Binary
        );
        assert!(matches!(
            parse_bytes("/x/a.txt.gz", b"\x1f\x8b\x08garbage", 1 << 20).unwrap_err(),
            FileError::Invalid(_)
        ));
    }
}
