//! Markdown: optional YAML-style front matter (`title`, `date`, `source`, `url`, `author`… as
//! `key: value` lines, lists allowed) between `---` lines; the title otherwise comes from the
//! first `# ` heading. The body is the Markdown text, kept as written.

use super::fields::Record;
use super::txt::normalize_newlines;
use crate::article::Article;

fn unquote(v: &str) -> &str {
    let v = v.trim();
    v.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .or_else(|| v.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
        .unwrap_or(v)
}

/// Reads front matter lines into a record: `key: value`, `key: [a, b]`, and `- item` lists.
fn front_matter(lines: &str) -> Record {
    let mut r = Record::default();
    let mut pending: Option<(String, Vec<String>)> = None;
    let flush = |r: &mut Record, p: &mut Option<(String, Vec<String>)>| {
        if let Some((k, items)) = p.take()
            && !items.is_empty()
        {
            r.offer(&k, items.join(", "));
        }
    };
    for line in lines.lines() {
        if let Some(item) = line.trim_start().strip_prefix("- ")
            && let Some((_, items)) = pending.as_mut()
        {
            items.push(unquote(item).to_string());
            continue;
        }
        flush(&mut r, &mut pending);
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let v = v.trim();
        if v.is_empty() {
            pending = Some((k.trim().to_string(), Vec::new()));
        } else if let Some(list) = v.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            let items: Vec<&str> = list.split(',').map(unquote).collect();
            r.offer(k.trim(), items.join(", "));
        } else {
            r.offer(k.trim(), unquote(v).to_string());
        }
    }
    flush(&mut r, &mut pending);
    r
}

/// Parses a Markdown article.
pub fn parse(text: &str) -> Article {
    let text = normalize_newlines(text);
    let mut text: &str = text.trim_start_matches('\u{feff}');
    let mut article = Article::default();
    if let Some(rest) = text.strip_prefix("---\n")
        && let Some(end) = rest.find("\n---")
    {
        article = front_matter(&rest[..end]).into_article(1);
        article.location = None;
        let after = &rest[end + 4..];
        text = after.split_once('\n').map_or("", |(_, b)| b);
    }
    let body = text.trim();
    let mut body_start = body;
    if let Some(first) = body.lines().next()
        && let Some(h) = first.strip_prefix("# ")
    {
        let h = h.trim();
        if article.title.is_empty() || article.title == h {
            article.title = h.to_string();
            body_start = body[first.len()..].trim_start();
        }
    }
    if !article.body.is_empty() && !body_start.is_empty() {
        // A `body:`/`summary:` key in front matter is a summary; the text below is the article.
        article.body.clear();
    }
    if article.body.is_empty() {
        article.body = body_start.to_string();
    }
    article
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_and_heading() {
        let a = parse(
            "---\ntitle: \"Border talks\"\ndate: 2025-09-02T08:30:00+05:00\nsource: Wire\nauthors:\n  - A One\n  - B Two\nurl: https://x/y\n---\n\nFirst para.\n\nSecond.\n",
        );
        assert_eq!(a.title, "Border talks");
        assert_eq!(a.date_raw.as_deref(), Some("2025-09-02T08:30:00+05:00"));
        assert_eq!(a.author.as_deref(), Some("A One, B Two"));
        assert_eq!(a.url.as_deref(), Some("https://x/y"));
        assert_eq!(a.body, "First para.\n\nSecond.");

        let b = parse("# Heading title\n\nText here.");
        assert_eq!(
            (b.title.as_str(), b.body.as_str()),
            ("Heading title", "Text here.")
        );

        let c = parse("---\nunterminated: yes\nText");
        assert_eq!(c.title, "");
        assert!(c.body.contains("unterminated"));
    }
}
