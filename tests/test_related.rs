//! `newsdex related`: coverage of the same story, for an indexed article, a file or text.

mod common;

use common::{Env, repo};

#[test]
fn related_to_an_indexed_file_excludes_itself_and_shares_the_story() {
    let env = Env::new();
    env.index_corpus();
    let target = repo().join("corpus/txt/2025-03-10-torkham-reopens.txt");
    let hits = env
        .ok(
            &[
                "related",
                target.to_str().unwrap(),
                "--index",
                "ix",
                "--json",
                "--limit",
                "5",
            ],
            0,
        )
        .json_lines();
    assert_eq!(hits.len(), 5);
    for h in &hits {
        assert_ne!(h["path"].as_str().unwrap(), target.to_str().unwrap());
        let countries: Vec<&str> = h["shared_countries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert!(
            countries.contains(&"PK") || countries.contains(&"AF"),
            "{h}"
        );
    }
    // By id, the same answer.
    let id = env
        .ok(
            &[
                "query",
                "title:torkham AND title:reopens",
                "--index",
                "ix",
                "--json",
                "--limit",
                "1",
            ],
            0,
        )
        .json_lines()[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let by_id = env
        .ok(
            &["related", &id, "--index", "ix", "--json", "--limit", "5"],
            0,
        )
        .json_lines();
    // As sets: tantivy's MoreLikeThis picks among equally weighted terms in hash order, so
    // near-equal scores may swap places between runs.
    let paths = |v: &[serde_json::Value]| {
        v.iter()
            .map(|h| h["path"].as_str().unwrap().to_string())
            .collect::<std::collections::BTreeSet<_>>()
    };
    let (a, b) = (paths(&by_id), paths(&hits));
    assert!(a.intersection(&b).count() >= 4, "{a:?} vs {b:?}");
}

#[test]
fn related_to_text_and_errors() {
    let env = Env::new();
    env.index_corpus();
    let r = env.ok(
        &[
            "related",
            "--text",
            "Thailand and Cambodia border clashes, ceasefire talks in Bangkok",
            "--index",
            "ix",
            "--limit",
            "3",
        ],
        0,
    );
    assert!(r.stdout.contains("shares"), "{}", r.stdout);
    assert!(r.stdout.to_lowercase().contains("cambodia"), "{}", r.stdout);
    let bad = env.ok(&["related", "no-such-id-or-file", "--index", "ix"], 2);
    assert!(
        bad.stderr
            .contains("neither an indexed article id nor a file"),
        "{}",
        bad.stderr
    );
}
