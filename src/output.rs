//! Output: results in, text or JSON out, written to any `io::Write`. The only module that
//! formats for people; it computes nothing. Text uses bold for matched terms when asked to
//! (`color`), JSON is one object per line.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use crate::article::Article;
use crate::extract::Extracted;
use crate::index::Summary;
use crate::search::{Hit, RelatedHit, SearchResult, StatementResult};

const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// The day of an ISO date, or blanks of the same width when there is none.
fn day_column(date: Option<&str>) -> &str {
    date.map_or("          ", |d| d.get(..10).unwrap_or(d))
}

/// A headline, or a placeholder for an article without one.
fn title_or_none(title: &str) -> &str {
    if title.is_empty() {
        "(no title)"
    } else {
        title
    }
}

/// A path as a user reads it: relative to the current folder when inside it.
pub fn display_path(path: &str) -> String {
    let p = Path::new(path);
    std::env::current_dir()
        .ok()
        .and_then(|cwd| p.strip_prefix(cwd).ok().map(|r| r.display().to_string()))
        .unwrap_or_else(|| path.to_string())
}

fn highlighted(text: &str, ranges: &[[usize; 2]], color: bool) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    for &[s, e] in ranges {
        if s < at || e > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            continue;
        }
        out.push_str(&text[at..s]);
        if color {
            out.push_str(BOLD);
            out.push_str(&text[s..e]);
            out.push_str(RESET);
        } else {
            out.push_str(&text[s..e]);
        }
        at = e;
    }
    out.push_str(&text[at..]);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Hits as text: rank, date, title, path, snippet.
pub fn write_hits(w: &mut dyn Write, r: &SearchResult, color: bool) -> io::Result<()> {
    for h in &r.hits {
        write_hit(w, h, color)?;
    }
    write_footer(
        w,
        r.hits.first().map(|h| h.rank),
        r.hits.last().map(|h| h.rank),
        r.total,
        "articles",
    )
}

fn write_hit(w: &mut dyn Write, h: &Hit, color: bool) -> io::Result<()> {
    let date = day_column(h.date.as_deref());
    let title = title_or_none(&h.title);
    if color {
        writeln!(w, "{:>3}. {date}  {BOLD}{title}{RESET}", h.rank)?;
    } else {
        writeln!(w, "{:>3}. {date}  {title}", h.rank)?;
    }
    let loc = h.location.map(|n| format!(":{n}")).unwrap_or_default();
    let mut meta = vec![format!("{}{loc}", display_path(&h.path))];
    if !h.countries.is_empty() {
        meta.push(h.countries.join(","));
    }
    writeln!(w, "     {}", meta.join("  "))?;
    if !h.snippet.text.is_empty() {
        writeln!(
            w,
            "     {}",
            highlighted(&h.snippet.text, &h.snippet.highlights, color)
        )?;
    }
    writeln!(w)
}

/// The closing line of a page of results: which ranks of how many.
fn write_footer(
    w: &mut dyn Write,
    first: Option<usize>,
    last: Option<usize>,
    total: usize,
    noun: &str,
) -> io::Result<()> {
    match (first, last) {
        (Some(a), Some(b)) => writeln!(w, "{a}-{b} of {total} matching {noun}"),
        _ => writeln!(w, "no {noun} match ({total} in all)"),
    }
}

/// Hits as JSON, one object per line.
pub fn write_hits_json(w: &mut dyn Write, r: &SearchResult) -> io::Result<()> {
    for h in &r.hits {
        serde_json::to_writer(&mut *w, h)?;
        writeln!(w)?;
    }
    Ok(())
}

/// Statements as text: date, speaker (role), cue, the statement with matched terms, and the
/// article it comes from.
pub fn write_statements(w: &mut dyn Write, r: &StatementResult, color: bool) -> io::Result<()> {
    for h in &r.hits {
        let date = day_column(h.date.as_deref());
        let speaker = h.speaker.as_deref().unwrap_or("(unattributed)");
        let role = h
            .role
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        if color {
            writeln!(
                w,
                "{:>3}. {date}  {BOLD}{speaker}{RESET}{role}, {}:",
                h.rank, h.cue
            )?;
        } else {
            writeln!(w, "{:>3}. {date}  {speaker}{role}, {}:", h.rank, h.cue)?;
        }
        let text = highlighted(&h.text, &h.highlights, color);
        if h.kind == "quote" {
            writeln!(w, "     “{text}”")?;
        } else {
            writeln!(w, "     {text}")?;
        }
        let loc = h.location.map(|n| format!(":{n}")).unwrap_or_default();
        let from = if h.title.is_empty() {
            format!("{}{loc}", display_path(&h.path))
        } else {
            format!("{}  {}{loc}", h.title, display_path(&h.path))
        };
        writeln!(w, "     — {from}")?;
        writeln!(w)?;
    }
    write_footer(
        w,
        r.hits.first().map(|h| h.rank),
        r.hits.last().map(|h| h.rank),
        r.total,
        "statements",
    )
}

/// Statements as JSON, one object per line.
pub fn write_statements_json(w: &mut dyn Write, r: &StatementResult) -> io::Result<()> {
    for h in &r.hits {
        serde_json::to_writer(&mut *w, h)?;
        writeln!(w)?;
    }
    Ok(())
}

/// Related articles as text, each with what it shares with the target.
pub fn write_related(w: &mut dyn Write, hits: &[RelatedHit]) -> io::Result<()> {
    for h in hits {
        let date = day_column(h.date.as_deref());
        let title = title_or_none(&h.title);
        writeln!(w, "{:>3}. {date}  {title}", h.rank)?;
        let loc = h.location.map(|n| format!(":{n}")).unwrap_or_default();
        writeln!(
            w,
            "     {}{loc}  score {:.2}",
            display_path(&h.path),
            h.score
        )?;
        let mut why = Vec::new();
        if !h.shared_terms.is_empty() {
            why.push(format!("terms: {}", h.shared_terms.join(", ")));
        }
        if !h.shared_actors.is_empty() {
            why.push(format!("actors: {}", h.shared_actors.join(", ")));
        }
        if !h.shared_countries.is_empty() {
            why.push(format!("countries: {}", h.shared_countries.join(", ")));
        }
        if !why.is_empty() {
            writeln!(w, "     shares {}", why.join("; "))?;
        }
        writeln!(w)?;
    }
    if hits.is_empty() {
        writeln!(w, "no related articles")?;
    }
    Ok(())
}

/// Related articles as JSON, one object per line.
pub fn write_related_json(w: &mut dyn Write, hits: &[RelatedHit]) -> io::Result<()> {
    for h in hits {
        serde_json::to_writer(&mut *w, h)?;
        writeln!(w)?;
    }
    Ok(())
}

/// The `extract --json` record: the contract evaluation scripts read.
#[derive(Serialize)]
pub struct ExtractRecord<'a> {
    /// Article id.
    pub id: &'a str,
    /// Source file.
    pub path: &'a str,
    /// Line/row in a multi-article file.
    pub location: Option<u64>,
    /// Headline.
    pub title: &'a str,
    /// ISO 8601 publication date.
    pub date: Option<String>,
    /// Where it came from.
    pub date_source: Option<&'static str>,
    /// Publisher.
    pub source: Option<&'a str>,
    /// URL.
    pub url: Option<&'a str>,
    /// Author(s).
    pub author: Option<&'a str>,
    /// Everything extracted.
    #[serde(flatten)]
    pub extracted: &'a Extracted,
}

impl<'a> ExtractRecord<'a> {
    /// Pairs an article with its extraction.
    pub fn new(a: &'a Article, ex: &'a Extracted) -> Self {
        ExtractRecord {
            id: &a.id,
            path: &a.path,
            location: a.location,
            title: &a.title,
            date: a.date.map(|d| d.to_iso()),
            date_source: a.date_source.map(|s| s.as_str()),
            source: a.source.as_deref(),
            url: a.url.as_deref(),
            author: a.author.as_deref(),
            extracted: ex,
        }
    }
}

/// One article's extraction as text.
pub fn write_extract(w: &mut dyn Write, a: &Article, ex: &Extracted) -> io::Result<()> {
    let loc = a.location.map(|n| format!(":{n}")).unwrap_or_default();
    writeln!(w, "{}{loc}  [{}]", display_path(&a.path), a.id)?;
    writeln!(w, "  title:     {}", a.title)?;
    match (a.date, a.date_source) {
        (Some(d), Some(s)) => writeln!(w, "  date:      {} (from {})", d.to_iso(), s.as_str())?,
        _ => writeln!(w, "  date:      (none found)")?,
    }
    for (label, v) in [
        ("source", &a.source),
        ("url", &a.url),
        ("author", &a.author),
    ] {
        if let Some(v) = v {
            writeln!(w, "  {:<11}{v}", format!("{label}:"))?;
        }
    }
    let countries: Vec<String> = ex
        .countries
        .iter()
        .map(|c| format!("{} {} ×{}", c.code, c.name, c.count))
        .collect();
    writeln!(w, "  countries: {}", countries.join(", "))?;
    for a in &ex.actors {
        let role = a
            .role
            .as_deref()
            .map(|r| format!(", {r}"))
            .unwrap_or_default();
        let country = a
            .country
            .as_deref()
            .map(|c| format!(", {c}"))
            .unwrap_or_default();
        let kind = match a.kind {
            crate::extract::ActorKind::Person => "person",
            crate::extract::ActorKind::Organisation => "organisation",
        };
        writeln!(
            w,
            "  actor:     {} ({kind}{role}{country}) ×{}",
            a.name, a.count
        )?;
    }
    if !ex.dates_mentioned.is_empty() {
        let dates: Vec<String> = ex
            .dates_mentioned
            .iter()
            .map(|d| format!("{} = {}", d.text, d.value))
            .collect();
        writeln!(w, "  mentions:  {}", dates.join(", "))?;
    }
    for st in &ex.statements {
        let who = st.speaker.as_deref().unwrap_or("(unattributed)");
        let text: String = st.text.split_whitespace().collect::<Vec<_>>().join(" ");
        writeln!(w, "  statement: {who}, {} ({}): {text}", st.cue, st.kind)?;
    }
    writeln!(w)
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1_048_576.0
}

/// The end-of-run summary of `index`. Lists at most `max_listed` skipped files and warnings
/// (all failures are always listed).
pub fn write_summary(w: &mut dyn Write, s: &Summary, max_listed: usize) -> io::Result<()> {
    let secs = s.elapsed_secs.max(1e-9);
    let read_articles = s.articles_indexed + s.articles_updated;
    writeln!(w, "index: {}", display_path(&s.index_dir))?;
    writeln!(
        w,
        "  files:    {} seen, {} read, {} unchanged, {} removed; {} skipped, {} failed",
        s.files_seen,
        s.files_read,
        s.files_unchanged,
        s.files_removed,
        s.skipped.len(),
        s.failed.len()
    )?;
    writeln!(
        w,
        "  articles: {} indexed, {} updated, {} removed, {} unchanged; {} in the index",
        s.articles_indexed,
        s.articles_updated,
        s.articles_removed,
        s.articles_unchanged,
        s.articles_total
    )?;
    writeln!(
        w,
        "  read {:.1} MB in {:.2} s: {:.0} articles/s, {:.1} MB/s",
        mb(s.bytes_read),
        s.elapsed_secs,
        read_articles as f64 / secs,
        mb(s.bytes_read) / secs
    )?;
    for (label, list, cap) in [
        ("failed", &s.failed, usize::MAX),
        ("skipped", &s.skipped, max_listed),
        ("warnings", &s.warnings, max_listed),
    ] {
        if list.is_empty() {
            continue;
        }
        writeln!(w, "{label}:")?;
        for p in list.iter().take(cap) {
            writeln!(w, "  {}: {}", display_path(&p.path), p.reason)?;
        }
        if list.len() > cap {
            writeln!(w, "  … and {} more (--verbose lists all)", list.len() - cap)?;
        }
    }
    Ok(())
}
