//! Output: results in, text or JSON out, written to any `io::Write`. The only module that
//! formats for people; it computes nothing. Text uses bold for matched terms when asked to
//! (`color`), JSON is one object per line.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use crate::article::Article;
use crate::dedup::CopyKind;
use crate::extract::Extracted;
use crate::index::Summary;
use crate::search::stats::DuplicateExample;
use crate::search::{
    CopyRef, Count, Facets, Hit, RelatedPage, SearchResult, StatementResult, Stats,
};

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

/// A path with `:N` for the line/row of a multi-article file.
fn located(path: &str, location: Option<u64>) -> String {
    let loc = location.map(|n| format!(":{n}")).unwrap_or_default();
    format!("{}{loc}", display_path(path))
}

/// "  (+2 copies)" after a title, or nothing.
fn copies_note(duplicates: usize) -> String {
    match duplicates {
        0 => String::new(),
        1 => "  (+1 copy)".to_string(),
        n => format!("  (+{n} copies)"),
    }
}

/// Copies shown under a hit.
const SHOWN_COPIES: usize = 3;

/// The line naming a hit's copies, near ones marked.
fn write_copies(w: &mut dyn Write, duplicates: usize, copies: &[CopyRef]) -> io::Result<()> {
    if duplicates == 0 {
        return Ok(());
    }
    let mut names: Vec<String> = copies
        .iter()
        .take(SHOWN_COPIES)
        .map(|c| {
            let near = if c.kind == CopyKind::Near {
                " (near)"
            } else {
                ""
            };
            format!("{}{near}", located(&c.path, c.location))
        })
        .collect();
    let shown = names.len();
    if duplicates > shown {
        names.push(format!("and {} more", duplicates - shown));
    }
    writeln!(w, "     copies: {}", names.join(", "))
}

/// Hits as text: rank, date, title, path, copies, snippet; then the facets when asked for.
pub fn write_hits(w: &mut dyn Write, r: &SearchResult, color: bool) -> io::Result<()> {
    for h in &r.hits {
        write_hit(w, &h.hit, color, &copies_note(h.duplicates))?;
        write_copies(w, h.duplicates, &h.copies)?;
        if !h.hit.snippet.text.is_empty() {
            writeln!(
                w,
                "     {}",
                highlighted(&h.hit.snippet.text, &h.hit.snippet.highlights, color)
            )?;
        }
        writeln!(w)?;
    }
    write_footer(
        w,
        r.hits.first().map(|h| h.hit.rank),
        r.hits.last().map(|h| h.hit.rank),
        r.total,
        "articles",
    )?;
    if let Some(f) = &r.facets {
        writeln!(w)?;
        write_facets(w, f)?;
    }
    Ok(())
}

/// A hit's first two lines: rank, date, title and `note`; path and countries.
fn write_hit(w: &mut dyn Write, h: &Hit, color: bool, note: &str) -> io::Result<()> {
    let date = day_column(h.date.as_deref());
    let title = title_or_none(&h.title);
    if color {
        writeln!(w, "{:>3}. {date}  {BOLD}{title}{RESET}{note}", h.rank)?;
    } else {
        writeln!(w, "{:>3}. {date}  {title}{note}", h.rank)?;
    }
    let mut meta = vec![located(&h.path, h.location)];
    if !h.countries.is_empty() {
        meta.push(h.countries.join(","));
    }
    writeln!(w, "     {}", meta.join("  "))
}

/// Counts as "A 3, B 2", or "none".
fn counts_line(counts: &[Count]) -> String {
    if counts.is_empty() {
        return "none".to_string();
    }
    counts
        .iter()
        .map(|c| format!("{} {}", c.value, c.count))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Facets as text.
pub fn write_facets(w: &mut dyn Write, f: &Facets) -> io::Result<()> {
    writeln!(w, "facets of {} matching articles:", f.articles)?;
    writeln!(w, "  countries: {}", counts_line(&f.countries))?;
    writeln!(w, "  actors:    {}", counts_line(&f.actors))?;
    let undated = match (f.undated, f.months.is_empty()) {
        (0, _) => String::new(),
        (n, true) => format!(" ({n} undated)"),
        (n, false) => format!("; {n} undated"),
    };
    writeln!(w, "  months:    {}{undated}", counts_line(&f.months))
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

/// Hits as JSON, one object per line; with facets, a last line `{"facets": {…}}`.
pub fn write_hits_json(w: &mut dyn Write, r: &SearchResult) -> io::Result<()> {
    for h in &r.hits {
        serde_json::to_writer(&mut *w, h)?;
        writeln!(w)?;
    }
    if let Some(f) = &r.facets {
        write_facets_json(w, f)?;
    }
    Ok(())
}

/// Facets as the JSON line `{"facets": {…}}`.
pub fn write_facets_json(w: &mut dyn Write, f: &Facets) -> io::Result<()> {
    // A struct, not `json!`, so the keys keep their documented order.
    #[derive(Serialize)]
    struct Line<'a> {
        facets: &'a Facets,
    }
    serde_json::to_writer(&mut *w, &Line { facets: f })?;
    writeln!(w)
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
        let at = located(&h.path, h.location);
        let from = if h.title.is_empty() {
            at
        } else {
            format!("{}  {at}", h.title)
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

/// Related articles as text, each with what it shares with the target and its copies; the
/// target's own copies first.
pub fn write_related(w: &mut dyn Write, page: &RelatedPage) -> io::Result<()> {
    let n = page.target_duplicates;
    if n > 0 {
        let noun = if n == 1 { "copy" } else { "copies" };
        writeln!(w, "left out: {n} {noun} of the target itself")?;
        write_copies(w, n, &page.target_copies)?;
        writeln!(w)?;
    }
    for c in &page.hits {
        let h = &c.hit;
        let date = day_column(h.date.as_deref());
        let title = title_or_none(&h.title);
        writeln!(
            w,
            "{:>3}. {date}  {title}{}",
            h.rank,
            copies_note(c.duplicates)
        )?;
        writeln!(
            w,
            "     {}  score {:.2}",
            located(&h.path, h.location),
            h.score
        )?;
        write_copies(w, c.duplicates, &c.copies)?;
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
    if page.hits.is_empty() {
        writeln!(w, "no related articles")?;
    }
    Ok(())
}

/// Related articles as JSON, one object per line (the target's copies are not among them).
pub fn write_related_json(w: &mut dyn Write, page: &RelatedPage) -> io::Result<()> {
    for h in &page.hits {
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
    writeln!(w, "{}  [{}]", located(&a.path, a.location), a.id)?;
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
    let t = &s.stages;
    writeln!(
        w,
        "  time:     file list {:.2} s, crawl {:.2} s; workers: read {:.2} s, parse {:.2} s, \
         extract {:.2} s, add {:.2} s; indexing and commit {:.2} s, sections {:.2} s, copies {:.2} s",
        t.manifest, t.crawl, t.read, t.parse, t.extract, t.add, t.commit, t.sections, t.copies
    )?;
    if let Some(m) = &s.merged {
        let plural = if m.before == 1 { "" } else { "s" };
        writeln!(
            w,
            "  merged:   {} segment{plural} into {} in {:.2} s",
            m.before, m.after, t.merge
        )?;
    }
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

/// Width of the longest timeline bar, in columns.
const BAR_WIDTH: u64 = 40;

/// A horizontal bar of `n` against `max`, in eighths of a column; a count above zero always
/// shows at least a sliver.
fn bar(n: u64, max: u64) -> String {
    const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    if n == 0 || max == 0 {
        return String::new();
    }
    let eighths = ((n * BAR_WIDTH * 8 + max / 2) / max).max(1);
    let full = usize::try_from(eighths / 8).unwrap_or(0);
    let part = PARTS[usize::try_from(eighths % 8).unwrap_or(0)];
    format!("{}{part}", "█".repeat(full))
}

/// The width of a column of names, in characters.
fn name_width<'a>(names: impl Iterator<Item = &'a String>) -> usize {
    names.map(|n| n.chars().count()).max().unwrap_or(0)
}

fn groups(n: usize) -> String {
    if n == 1 {
        "1 group".to_string()
    } else {
        format!("{n} groups")
    }
}

fn write_example(w: &mut dyn Write, e: &DuplicateExample) -> io::Result<()> {
    let kind = match e.kind {
        CopyKind::Exact => "exact",
        CopyKind::Near => "near ",
    };
    let title = e.articles.first().map_or("", |a| title_or_none(&a.title));
    writeln!(w, "  {kind} ×{}: {title}", e.size)?;
    let mut paths: Vec<String> = e
        .articles
        .iter()
        .map(|a| located(&a.path, a.location))
        .collect();
    if e.size > paths.len() {
        paths.push(format!("and {} more", e.size - paths.len()));
    }
    writeln!(w, "          {}", paths.join(", "))
}

/// `stats` as text: counts, lists, the timeline as bars, the duplicate report.
pub fn write_stats(w: &mut dyn Write, s: &Stats) -> io::Result<()> {
    writeln!(w, "articles:  {} in {} files", s.articles, s.files)?;
    match (&s.first_date, &s.last_date) {
        (Some(a), Some(b)) => {
            let undated = if s.undated > 0 {
                format!(" ({} undated)", s.undated)
            } else {
                String::new()
            };
            writeln!(w, "dates:     {a} to {b}{undated}")?;
        }
        _ => writeln!(w, "dates:     none ({} articles without a date)", s.undated)?,
    }
    writeln!(w, "countries: {}", counts_line(&s.countries))?;
    writeln!(w)?;
    writeln!(w, "actors (articles, most common role):")?;
    let width = name_width(s.actors.iter().map(|a| &a.name));
    for a in &s.actors {
        let role = a.role.as_deref().unwrap_or("");
        let line = format!("  {:<width$}  {:>6}  {role}", a.name, a.articles);
        writeln!(w, "{}", line.trim_end())?;
    }
    writeln!(w)?;
    writeln!(w, "speakers (statements, articles):")?;
    let width = name_width(s.speakers.iter().map(|a| &a.name));
    for a in &s.speakers {
        let role = a.role.as_deref().unwrap_or("");
        let line = format!(
            "  {:<width$}  {:>6}  {:>6}  {role}",
            a.name, a.statements, a.articles
        );
        writeln!(w, "{}", line.trim_end())?;
    }
    if s.actors.is_empty() && s.speakers.is_empty() {
        writeln!(w, "  none")?;
    }
    writeln!(w)?;
    if s.timeline.is_empty() {
        writeln!(w, "articles per month: no article has a date")?;
    } else {
        writeln!(w, "articles per {}:", s.timeline_unit)?;
        let max = s.timeline.iter().map(|c| c.count).max().unwrap_or(0);
        for c in &s.timeline {
            let line = format!("  {:<7} {:>6} {}", c.value, c.count, bar(c.count, max));
            writeln!(w, "{}", line.trim_end())?;
        }
        if s.undated > 0 {
            writeln!(w, "  (and {} without a date)", s.undated)?;
        }
    }
    writeln!(w)?;
    let d = &s.duplicates;
    writeln!(w, "duplicates:")?;
    writeln!(
        w,
        "  exact copies: {}, {} articles ({} redundant)",
        groups(d.exact_groups),
        d.exact_articles,
        d.exact_redundant
    )?;
    writeln!(
        w,
        "  near copies:  {}, {} articles",
        groups(d.near_groups),
        d.near_articles
    )?;
    for e in &d.examples {
        write_example(w, e)?;
    }
    Ok(())
}

/// `stats` as one JSON object.
pub fn write_stats_json(w: &mut dyn Write, s: &Stats) -> io::Result<()> {
    serde_json::to_writer(&mut *w, s)?;
    writeln!(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_in_eighths() {
        assert_eq!(bar(0, 10), "");
        assert_eq!(bar(10, 10), "█".repeat(40));
        assert_eq!(bar(5, 10), "█".repeat(20));
        // 1 of 1000 is 0.32 eighths of a column: still a sliver.
        assert_eq!(bar(1, 1000), "▏");
        assert_eq!(bar(33, 1000), "█▍");
    }
}
