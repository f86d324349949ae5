//! `newsdex query` on the project's corpus: full text, phrases, fields, filters, sorting,
//! highlighting, JSON, and the errors a user can make.

mod common;

use common::Env;
use serde_json::Value;

fn hits(env: &Env, args: &[&str]) -> Vec<Value> {
    let mut a = vec!["query"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["--index", "ix", "--json", "--limit", "100"]);
    env.ok(&a, 0).json_lines()
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn words_phrases_and_fields() {
    let env = Env::new();
    env.index_corpus();
    let all = hits(&env, &["torkham"]);
    assert!(all.len() >= 8, "{}", all.len());
    for h in &all {
        let text = format!("{} {}", h["title"], h["body"]).to_lowercase();
        assert!(text.contains("torkham"), "{}", h["title"]);
    }
    // A phrase matches only the exact sequence; two words need both.
    for h in hits(&env, &["\"cross-border militancy\""]) {
        assert!(
            h["body"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("cross-border militancy")
                || h["title"]
                    .as_str()
                    .unwrap()
                    .to_lowercase()
                    .contains("cross-border militancy")
        );
    }
    for h in hits(&env, &["ceasefire torkham"]) {
        let text = format!("{} {}", h["title"], h["body"]).to_lowercase();
        assert!(text.contains("ceasefire") && text.contains("torkham"));
    }
    // Field syntax: title only.
    for h in hits(&env, &["title:ceasefire"]) {
        assert!(
            h["title"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("ceasefire")
        );
    }
    // Stemming: "closures" finds "closure".
    assert!(!hits(&env, &["closures"]).is_empty());
}

#[test]
fn json_hits_carry_every_stored_field() {
    let env = Env::new();
    env.index_corpus();
    let h = &hits(&env, &["\"Doha\""])[0];
    for key in [
        "rank",
        "score",
        "id",
        "path",
        "title",
        "date",
        "date_source",
        "countries",
        "actors",
        "snippet",
        "body",
    ] {
        assert!(h.get(key).is_some(), "missing {key}: {h}");
    }
    assert_eq!(h["rank"], 1);
    assert!(
        !h["snippet"]["highlights"].as_array().unwrap().is_empty(),
        "{h}"
    );
    let text = h["snippet"]["text"].as_str().unwrap();
    let [s, e] = [0, 1].map(|i| h["snippet"]["highlights"][0][i].as_u64().unwrap() as usize);
    assert_eq!(text[s..e].to_lowercase(), "doha");
}

#[test]
fn filters_country_actor_dates() {
    let env = Env::new();
    env.index_corpus();
    let af = hits(&env, &["border", "--country", "af"]);
    assert!(!af.is_empty());
    assert!(
        af.iter()
            .all(|h| strs(&h["countries"]).contains(&"AF".to_string()))
    );
    // A country name works as well as a code, and the query language has the field too.
    assert_eq!(
        af.len(),
        hits(&env, &["border", "--country", "Afghanistan"]).len()
    );
    assert_eq!(af.len(), hits(&env, &["border AND country:af"]).len());

    let by = hits(&env, &["--actor", "Haider"]);
    assert!(!by.is_empty());
    assert!(
        by.iter()
            .all(|h| strs(&h["actors"]).iter().any(|a| a.contains("Haider")))
    );

    let q1 = hits(&env, &["--from", "2026-01", "--to", "2026-03"]);
    assert!(!q1.is_empty());
    for h in &q1 {
        let d = h["date"].as_str().unwrap();
        assert!(("2026-01".."2026-04").contains(&&d[..7]), "{d}");
    }
    // The same range in the query language.
    assert_eq!(q1.len(), hits(&env, &["date:[2026-01 TO 2026-03]"]).len());
}

#[test]
fn sort_by_date() {
    let env = Env::new();
    env.index_corpus();
    for (sort, newest_first) in [("newest", true), ("oldest", false)] {
        let h = hits(&env, &["border", "--sort", sort]);
        let dates: Vec<&str> = h.iter().filter_map(|x| x["date"].as_str()).collect();
        assert!(dates.len() > 5);
        let mut sorted = dates.clone();
        sorted.sort_unstable();
        if newest_first {
            sorted.reverse();
        }
        // Dates compare as ISO text at day precision.
        let days = |v: &[&str]| v.iter().map(|d| d[..10].to_string()).collect::<Vec<_>>();
        assert_eq!(days(&dates), days(&sorted), "{sort}");
        // Undated articles come after dated ones.
        let first_undated = h
            .iter()
            .position(|x| x["date"].is_null())
            .unwrap_or(h.len());
        assert!(
            h[first_undated..].iter().all(|x| x["date"].is_null()),
            "{sort}"
        );
    }
}

#[test]
fn text_output_highlights_and_pages() {
    let env = Env::new();
    env.index_corpus();
    let r = env.ok(
        &[
            "query", "torkham", "--index", "ix", "--color", "always", "--limit", "2",
        ],
        0,
    );
    assert!(r.stdout.contains("\x1b[1mTorkham\x1b[0m"), "{}", r.stdout);
    assert!(
        r.stdout.contains("  1. ") && r.stdout.contains("  2. ") && !r.stdout.contains("  3. ")
    );
    assert!(r.stdout.contains("1-2 of "), "{}", r.stdout);
    let plain = env.ok(
        &[
            "query", "torkham", "--index", "ix", "--limit", "1", "--offset", "1",
        ],
        0,
    );
    assert!(
        plain.stdout.contains("  2. ") && !plain.stdout.contains('\x1b'),
        "{}",
        plain.stdout
    );
    // A huge limit is fine; an offset past the end is no hits.
    env.ok(
        &["query", "torkham", "--index", "ix", "--limit", "100000000"],
        0,
    );
    env.ok(
        &["query", "torkham", "--index", "ix", "--offset", "100000"],
        1,
    );
}

#[test]
fn user_errors_are_one_clear_line_and_exit_2() {
    let env = Env::new();
    env.index_corpus();
    let cases: &[(&[&str], &str)] = &[
        (
            &["query", "border AND (", "--index", "ix"],
            "cannot parse the query",
        ),
        (
            &["query", "foo:bar", "--index", "ix"],
            "unknown field 'foo'",
        ),
        (
            &["query", "x", "--index", "ix", "--from", "2025-13"],
            "2025-13",
        ),
        (
            &[
                "query", "x", "--index", "ix", "--from", "2026", "--to", "2025",
            ],
            "after",
        ),
        (
            &["query", "x", "--index", "ix", "--country", "Atlantis"],
            "unknown country",
        ),
        (&["query", "x", "--index", "ix", "--limit", "0"], "--limit"),
        (&["query", "x", "--index", "no-such-index"], "no index at"),
    ];
    for (args, needle) in cases {
        let r = env.ok(args, 2);
        assert!(r.stderr.contains(needle), "{args:?}: {}", r.stderr);
        assert_eq!(r.stderr.trim().lines().count(), 1, "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty());
    }
    env.ok(&["query", "qqqzzzxxx", "--index", "ix"], 1);
}
