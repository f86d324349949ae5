//! `newsdex stats`: counts, dates and timeline, top countries/actors/speakers and the duplicate
//! report, for the whole index or what a query matches; checked against what `query` and
//! `statements` return for the same articles.

mod common;

use common::{Env, shared, write_copies};
use serde_json::Value;

fn stats(env: &Env, args: &[&str]) -> Value {
    let mut a = vec!["stats"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["--index", "ix", "--json"]);
    let lines = env.ok(&a, 0).json_lines();
    assert_eq!(lines.len(), 1);
    lines.into_iter().next().unwrap()
}

/// How many articles `query` finds for these arguments.
fn query_total(env: &Env, args: &[&str]) -> u64 {
    let mut a = vec!["query"];
    a.extend_from_slice(args);
    a.extend_from_slice(&[
        "--index",
        "ix",
        "--no-collapse",
        "--limit",
        "1000",
        "--json",
    ]);
    let r = env.run(&a);
    assert!(r.code == 0 || r.code == 1, "{args:?}: {}", r.stderr);
    r.json_lines().len() as u64
}

#[test]
fn whole_corpus_agrees_with_query_and_statements() {
    let env = Env::new();
    env.index_corpus();
    let s = stats(&env, &[]);
    assert_eq!(s["articles"], 34);
    assert_eq!(s["files"], 24);
    assert_eq!(s["first_date"], "2025-03-10");
    assert_eq!(s["last_date"], "2026-09-03");
    let all = env
        .ok(
            &[
                "query",
                "--index",
                "ix",
                "--json",
                "--limit",
                "100",
                "--no-collapse",
            ],
            0,
        )
        .json_lines();
    let undated = all.iter().filter(|h| h["date"].is_null()).count() as u64;
    assert_eq!(s["undated"].as_u64(), Some(undated));

    // Each top country and actor counts the articles a filter finds.
    let countries = s["countries"].as_array().unwrap();
    assert_eq!(countries.len(), 10);
    for c in &countries[..3] {
        let code = c["value"].as_str().unwrap();
        assert_eq!(
            c["count"].as_u64(),
            Some(query_total(&env, &["--country", code])),
            "{c}"
        );
    }
    let counts: Vec<u64> = countries
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    let haider = s["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "Saleem Haider")
        .expect("Saleem Haider among the top actors");
    assert_eq!(haider["role"], "Defence Minister");
    assert_eq!(
        haider["articles"].as_u64(),
        Some(query_total(&env, &["--actor", "Saleem Haider"]))
    );

    // Speakers: statements as `statements --by` counts them, articles as `--speaker` does.
    let top = &s["speakers"][0];
    assert_eq!(top["name"], "Saleem Haider", "{}", s["speakers"]);
    let said = env
        .ok(
            &[
                "statements",
                "--by",
                "Saleem Haider",
                "--index",
                "ix",
                "--json",
                "--limit",
                "1000",
            ],
            0,
        )
        .json_lines()
        .len() as u64;
    assert_eq!(top["statements"].as_u64(), Some(said));
    assert_eq!(
        top["articles"].as_u64(),
        Some(query_total(&env, &["--speaker", "Saleem Haider"]))
    );

    // Timeline: every month from the first to the last, empty ones included.
    assert_eq!(s["timeline_unit"], "month");
    let t = s["timeline"].as_array().unwrap();
    assert_eq!(t.len(), 19, "2025-03 .. 2026-09");
    assert_eq!(t[0]["value"], "2025-03");
    assert_eq!(t[18]["value"], "2026-09");
    let dated: u64 = t.iter().map(|m| m["count"].as_u64().unwrap()).sum();
    assert_eq!(dated + undated, 34);
    let nov = t.iter().find(|m| m["value"] == "2025-11").unwrap();
    assert_eq!(
        nov["count"].as_u64(),
        Some(query_total(&env, &["--from", "2025-11", "--to", "2025-11"]))
    );
    assert!(t.iter().any(|m| m["count"] == 0));
    // The sample corpus has no copies.
    assert_eq!(s["duplicates"]["exact_groups"], 0);
    assert_eq!(s["duplicates"]["near_groups"], 0);
}

#[test]
fn text_output_draws_the_timeline() {
    let env = Env::new();
    env.index_corpus();
    let s = stats(&env, &[]);
    let r = env.ok(&["stats", "--index", "ix"], 0);
    let out = &r.stdout;
    assert!(out.contains("articles:  34 in 24 files"), "{out}");
    let undated = s["undated"].as_u64().unwrap();
    assert!(
        out.contains(&format!(
            "dates:     2025-03-10 to 2026-09-03 ({undated} undated)"
        )),
        "{out}"
    );
    assert!(out.contains("Saleem Haider"), "{out}");
    assert!(out.contains("Defence Minister"), "{out}");
    // The busiest month has the full 40-column bar, an empty month none.
    let t = s["timeline"].as_array().unwrap();
    let max = t
        .iter()
        .map(|m| m["count"].as_u64().unwrap())
        .max()
        .unwrap();
    let busiest = t.iter().find(|m| m["count"] == max).unwrap()["value"]
        .as_str()
        .unwrap();
    let line = out
        .lines()
        .find(|l| l.trim_start().starts_with(busiest))
        .unwrap();
    assert!(line.ends_with(&"█".repeat(40)), "{line}");
    let empty = t.iter().find(|m| m["count"] == 0).unwrap()["value"]
        .as_str()
        .unwrap();
    let line = out
        .lines()
        .find(|l| l.trim_start().starts_with(empty))
        .unwrap();
    assert!(line.ends_with(" 0"), "{line:?}");
    assert!(out.contains("exact copies: 0 groups, 0 articles"), "{out}");
}

#[test]
fn a_query_and_filters_narrow_the_stats() {
    let env = Env::new();
    env.index_corpus();
    let s = stats(&env, &["ceasefire", "--country", "PK"]);
    let n = query_total(&env, &["ceasefire", "--country", "PK"]);
    assert!(n > 2, "{n}");
    assert_eq!(s["articles"].as_u64(), Some(n));
    assert!(s["files"].as_u64().unwrap() <= n);
    let pk = s["countries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["value"] == "PK")
        .unwrap();
    assert_eq!(pk["count"].as_u64(), Some(n));
    // Statements are counted only in the matching articles.
    let whole = stats(&env, &[]);
    let said = |v: &Value, who: &str| {
        v["speakers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["name"] == who)
            .map_or(0, |x| x["statements"].as_u64().unwrap())
    };
    let (part, all) = (said(&s, "Saleem Haider"), said(&whole, "Saleem Haider"));
    assert!(part > 0 && part < all, "{part} of {all}");
    let a = stats(&env, &["--actor", "Haider", "--from", "2026"]);
    assert_eq!(
        a["articles"].as_u64(),
        Some(query_total(&env, &["--actor", "Haider", "--from", "2026"]))
    );
    assert!(a["first_date"].as_str().unwrap() >= "2026-01-01");
    // Nothing matches: exit 1, zero counts.
    let r = env.ok(&["stats", "qqqzzzxxx", "--index", "ix"], 1);
    assert!(r.stdout.contains("articles:  0 in 0 files"), "{}", r.stdout);
    assert!(r.stdout.contains("no article has a date"), "{}", r.stdout);
    let bad = env.ok(&["stats", "--index", "no-such-index"], 2);
    assert!(bad.stderr.contains("no index at"), "{}", bad.stderr);
}

#[test]
fn duplicate_report_of_generated_copies() {
    let env = Env::new();
    write_copies(&env, "d");
    env.ok(&["index", "d", "--index", "ix", "--quiet"], 0);
    let s = stats(&env, &[]);
    assert_eq!(s["articles"], 5);
    let d = &s["duplicates"];
    // orig, copy and retitled are one text; edited is a near copy of it; other is apart.
    assert_eq!(d["exact_groups"], 1);
    assert_eq!(d["exact_articles"], 3);
    assert_eq!(d["exact_redundant"], 2);
    assert_eq!(d["near_groups"], 1);
    assert_eq!(d["near_articles"], 4);
    let ex = d["examples"].as_array().unwrap();
    assert_eq!(ex.len(), 2);
    assert_eq!(
        (ex[0]["kind"].as_str(), ex[0]["size"].as_u64()),
        (Some("exact"), Some(3))
    );
    assert_eq!(
        (ex[1]["kind"].as_str(), ex[1]["size"].as_u64()),
        (Some("near"), Some(4))
    );
    let names = |e: &Value| {
        let mut v: Vec<String> = e["articles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                let p = a["path"].as_str().unwrap();
                p.rsplit('/').next().unwrap().to_string()
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(names(&ex[0]), ["copy.txt", "orig.txt", "retitled.txt"]);
    assert_eq!(
        names(&ex[1]),
        ["copy.txt", "edited.txt", "orig.txt", "retitled.txt"]
    );
    let r = env.ok(&["stats", "--index", "ix"], 0);
    assert!(
        r.stdout
            .contains("exact copies: 1 group, 3 articles (2 redundant)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("near copies:  1 group, 4 articles"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("exact ×3"), "{}", r.stdout);

    // The same without the index's copy groups (every signature grouped), and for a query
    // that leaves the near copy out.
    let narrowed = stats(&env, &["quokka -declined"]);
    assert_eq!(narrowed["duplicates"]["exact_articles"], 3);
    assert_eq!(narrowed["duplicates"]["near_groups"], 0);
    std::fs::remove_file(env.path("ix").join("newsdex-copies.bin")).unwrap();
    assert_eq!(stats(&env, &[]), s);
    assert_eq!(stats(&env, &["quokka -declined"]), narrowed);
}

#[test]
fn bbc_duplicates_and_top_speakers() {
    let Some(shared) = shared() else { return };
    let env = Env::new();
    let bbc = shared.join("corpus/bbc");
    env.ok(
        &["index", bbc.to_str().unwrap(), "--index", "ix", "--quiet"],
        0,
    );
    let s = stats(&env, &[]);
    assert_eq!(s["articles"], 2225);
    assert_eq!(s["files"], 2225);
    // No BBC article has a date: the timeline says so.
    assert_eq!(s["undated"], 2225);
    assert!(s["first_date"].is_null() && s["timeline"].as_array().unwrap().is_empty());
    // 98 files are byte-identical to another; 39 more pairs share a body under another
    // headline (or differ only in spacing): 137 pairs with one text.
    let d = &s["duplicates"];
    assert_eq!(d["exact_groups"], 137);
    assert_eq!(d["exact_articles"], 274);
    // Updated and lightly edited wire copy, e.g. politics/311 (and its exact copy 069) with 312.
    let near = d["near_groups"].as_u64().unwrap();
    assert!((18..=30).contains(&near), "{near}");
    let speakers: Vec<&str> = s["speakers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    for who in ["Tony Blair", "Gordon Brown", "Michael Howard"] {
        assert!(speakers[..5].contains(&who), "{who} not in {speakers:?}");
    }
    let r = env.ok(&["stats", "--index", "ix"], 0);
    assert!(r.stdout.contains("no article has a date"), "{}", r.stdout);
    assert!(
        r.stdout.contains("exact copies: 137 groups, 274 articles"),
        "{}",
        r.stdout
    );
}
