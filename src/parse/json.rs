//! JSON and JSONL: one article object, an array of them, a wrapper object holding the array
//! (`{"articles": [...]}`), or one object a line. A broken line of a JSONL file is a warning with
//! its line number; the other lines are kept.

use serde_json::{Map, Value};

use super::Parsed;
use super::fields::Record;

/// Wrapper keys under which exports and APIs put their article arrays.
const WRAPPERS: &[&str] = &[
    "articles",
    "items",
    "data",
    "results",
    "posts",
    "entries",
    "documents",
    "docs",
    "news",
];

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(value_text).collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        // Publishers and authors are often objects: {"name": "..."}.
        Value::Object(o) => o.get("name").and_then(value_text),
        _ => None,
    }
}

fn record(o: &Map<String, Value>) -> Record {
    let mut r = Record::default();
    for (k, v) in o {
        if let Some(t) = value_text(v) {
            r.offer(k, t);
        }
    }
    r
}

fn push_object(o: &Map<String, Value>, location: u64, where_: &str, out: &mut Parsed) {
    let r = record(o);
    if r.is_article() {
        out.articles.push(r.into_article(location));
    } else {
        out.warnings
            .push(format!("{where_}: not an article (no title or body field)"));
    }
}

/// Parses a `.json` file. Errs when the whole file is not JSON.
pub fn parse_json(text: &str, out: &mut Parsed) -> Result<(), String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    let array = match &v {
        Value::Array(a) => Some(a),
        Value::Object(o) if !record(o).is_article() => WRAPPERS
            .iter()
            .find_map(|k| o.get(*k).and_then(Value::as_array)),
        _ => None,
    };
    match (array, &v) {
        (Some(items), _) => {
            for (i, item) in items.iter().enumerate() {
                let n = i as u64 + 1;
                match item {
                    Value::Object(o) => push_object(o, n, &format!("element {n}"), out),
                    _ => out
                        .warnings
                        .push(format!("element {n}: not an article object")),
                }
            }
        }
        (None, Value::Object(o)) => push_object(o, 1, "file", out),
        (None, _) => out
            .warnings
            .push("not an article: JSON is neither an object nor an array".into()),
    }
    Ok(())
}

/// Parses a `.jsonl`/`.ndjson` file: each non-blank line an object.
pub fn parse_jsonl(text: &str, out: &mut Parsed) {
    for (i, line) in text.lines().enumerate() {
        let n = i as u64 + 1;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(o)) => push_object(&o, n, &format!("line {n}"), out),
            Ok(_) => out
                .warnings
                .push(format!("line {n}: not an article object")),
            Err(e) => out.warnings.push(format!("line {n}: invalid JSON: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_array_and_wrapper() {
        let cases = [
            (
                r#"{"headline":"A","text":"b","publisher":{"name":"P"}}"#,
                1,
                0,
            ),
            (r#"[{"title":"A"},{"title":"B"},3]"#, 2, 1),
            (
                r#"{"status":"ok","articles":[{"title":"A"},{"content":"x"}]}"#,
                2,
                0,
            ),
            (r#"{"name":"pkg","version":"1"}"#, 0, 1),
            (r#""just a string""#, 0, 1),
        ];
        for (text, n, w) in cases {
            let mut p = Parsed::default();
            parse_json(text, &mut p).unwrap();
            assert_eq!((p.articles.len(), p.warnings.len()), (n, w), "{text}");
        }
        let mut p = Parsed::default();
        parse_json(
            r#"{"headline":"A","text":"b","publisher":{"name":"P"},"authors":["X","Y"]}"#,
            &mut p,
        )
        .unwrap();
        assert_eq!(p.articles[0].source.as_deref(), Some("P"));
        assert_eq!(p.articles[0].author.as_deref(), Some("X, Y"));
        assert!(parse_json("{broken", &mut Parsed::default()).is_err());
    }

    #[test]
    fn broken_jsonl_line_keeps_the_others() {
        let mut p = Parsed::default();
        parse_jsonl(
            "{\"title\":\"one\"}\n{\"title\": oops}\n\n{\"title\":\"four\",\"timestamp\":1700000000}\n",
            &mut p,
        );
        let titles: Vec<_> = p.articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, ["one", "four"]);
        assert_eq!(p.articles[1].location, Some(4));
        assert_eq!(p.articles[1].date_raw.as_deref(), Some("1700000000"));
        assert_eq!(p.warnings.len(), 1);
        assert!(
            p.warnings[0].starts_with("line 2: invalid JSON"),
            "{:?}",
            p.warnings
        );
    }
}
