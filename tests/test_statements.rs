//! `newsdex statements` and `query --speaker`: statements indexed as their own documents,
//! found by speaker (any part of the name), role, words, country and date.

mod common;

use common::{Env, shared};
use serde_json::Value;

fn stmts(env: &Env, args: &[&str]) -> Vec<Value> {
    let mut a = vec!["statements"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["--index", "ix", "--json", "--limit", "1000"]);
    env.ok(&a, 0).json_lines()
}

#[test]
fn by_speaker_any_part_of_the_name() {
    let env = Env::new();
    env.index_corpus();
    let full = stmts(&env, &["--by", "Saleem Haider"]);
    assert!(full.len() >= 10, "{}", full.len());
    for h in &full {
        assert_eq!(h["speaker"], "Saleem Haider");
        assert!(h["role"].as_str().unwrap().contains("Minister"), "{h}");
        assert!(!h["text"].as_str().unwrap().is_empty());
        for key in [
            "id",
            "article_id",
            "path",
            "title",
            "date",
            "cue",
            "kind",
            "span",
            "countries",
        ] {
            assert!(h.get(key).is_some(), "missing {key}: {h}");
        }
    }
    // Headline, date and place come from the statement's own article.
    let articles: std::collections::HashMap<String, Value> = env
        .ok(
            &[
                "query",
                "*",
                "--index",
                "ix",
                "--json",
                "--limit",
                "1000",
                "--no-collapse",
            ],
            0,
        )
        .json_lines()
        .into_iter()
        .map(|a| (a["id"].as_str().unwrap().to_string(), a))
        .collect();
    for h in &full {
        let article_id = h["article_id"].as_str().unwrap();
        let a = &articles[article_id];
        assert!(!h["title"].as_str().unwrap().is_empty(), "{h}");
        assert_eq!(h["title"], a["title"], "{h}");
        assert_eq!(h["date"], a["date"], "{h}");
        assert_eq!(h["path"], a["path"], "{h}");
        let n = h["id"]
            .as_str()
            .unwrap()
            .strip_prefix(&format!("{article_id}/s"));
        assert!(
            n.is_some_and(|n| n.parse::<u32>().is_ok_and(|n| n >= 1)),
            "{h}"
        );
    }
    let ids: std::collections::HashSet<&str> =
        full.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), full.len(), "statement ids are unique");
    assert_eq!(stmts(&env, &["--by", "Haider"]).len(), full.len());
    assert_eq!(stmts(&env, &["--by", "saleem"]).len(), full.len());
}

#[test]
fn words_roles_countries_dates_and_sorting() {
    let env = Env::new();
    env.index_corpus();
    for h in stmts(&env, &["militancy", "--by", "Haider"]) {
        assert!(
            h["text"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("militan"),
            "{h}"
        );
    }
    let ministers = stmts(&env, &["--role", "minister"]);
    assert!(ministers.len() > 20);
    assert!(ministers.iter().all(|h| {
        h["role"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("minister")
    }));
    let speakers: std::collections::HashSet<&str> = ministers
        .iter()
        .filter_map(|h| h["speaker"].as_str())
        .collect();
    assert!(speakers.len() >= 5, "{speakers:?}");
    for h in stmts(&env, &["--country", "GY"]) {
        assert!(
            h["countries"].as_array().unwrap().iter().any(|c| c == "GY"),
            "{h}"
        );
    }
    let dated = stmts(
        &env,
        &["--by", "Haider", "--from", "2026-01", "--sort", "oldest"],
    );
    let dates: Vec<&str> = dated.iter().map(|h| h["date"].as_str().unwrap()).collect();
    assert!(!dates.is_empty() && dates.iter().all(|d| *d >= "2026-01"));
    assert!(
        dates.windows(2).all(|w| w[0][..10] <= w[1][..10]),
        "{dates:?}"
    );
}

#[test]
fn text_output_no_hits_and_query_by_speaker() {
    let env = Env::new();
    env.index_corpus();
    let r = env.ok(
        &[
            "statements",
            "border",
            "--by",
            "Haider",
            "--index",
            "ix",
            "--limit",
            "2",
            "--color",
            "always",
        ],
        0,
    );
    assert!(
        r.stdout
            .contains("\x1b[1mSaleem Haider\x1b[0m (Defence Minister"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("matching statements"), "{}", r.stdout);
    env.ok(&["statements", "--by", "Nobody Atall", "--index", "ix"], 1);
    env.ok(&["statements", "--index", "no-such-index"], 2);
    // Articles in which he speaks are a subset of those that name him.
    let spoke = env
        .ok(
            &[
                "query",
                "--speaker",
                "Haider",
                "--index",
                "ix",
                "--json",
                "--limit",
                "100",
            ],
            0,
        )
        .json_lines();
    let named = env
        .ok(
            &[
                "query", "--actor", "Haider", "--index", "ix", "--json", "--limit", "100",
            ],
            0,
        )
        .json_lines();
    assert!(!spoke.is_empty() && spoke.len() <= named.len());
}

/// Needs ../shared: the seed article's statements are all Khawaja Asif's.
#[test]
fn seed_statements_by_the_defence_minister() {
    let Some(shared) = shared() else { return };
    let env = Env::new();
    env.ok(
        &[
            "index",
            shared.join("seed").to_str().unwrap(),
            "--index",
            "ix",
            "--quiet",
        ],
        0,
    );
    let all = stmts(&env, &[]);
    assert!(all.len() >= 8, "{}", all.len());
    for h in &all {
        assert_eq!(h["speaker"], "Khawaja Asif", "{h}");
        assert_eq!(h["role"], "Defence Minister");
        assert!(h["countries"].as_array().unwrap().iter().any(|c| c == "PK"));
    }
    for cue in ["accused", "said", "urged"] {
        assert!(
            all.iter().any(|h| h["cue"] == cue),
            "no statement with cue {cue}"
        );
    }
    let taliban = stmts(&env, &["Taliban", "--by", "Asif"]);
    assert!(taliban.len() >= 3, "{}", taliban.len());
}

/// Needs ../shared: BBC politics/001 — Hewitt's quotes (also after "She said") are hers; May's,
/// Gidley's and Frost's are theirs.
#[test]
fn bbc_quotes_are_attributed_to_their_speakers() {
    let Some(shared) = shared() else { return };
    let env = Env::new();
    let file = shared.join("corpus/bbc/politics/001.txt");
    let rec = &env
        .ok(&["extract", file.to_str().unwrap(), "--json"], 0)
        .json_lines()[0];
    let by = |needle: &str| -> String {
        rec["statements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["text"].as_str().unwrap().contains(needle))
            .map(|s| s["speaker"].as_str().unwrap_or("").to_string())
            .unwrap_or_else(|| panic!("no statement with {needle:?}"))
    };
    assert_eq!(by("We have already doubled"), "Patricia Hewitt");
    assert_eq!(by("new mothers were already entitled"), "Patricia Hewitt");
    assert_eq!(by("These plans were announced"), "Theresa May");
    assert_eq!(by("While mothers would welcome"), "Sandra Gidley");
    assert_eq!(by("While the majority of any salary"), "David Frost");
}

/// Statements are searched by what was said, articles by all their words (a statement's words
/// are the body's between its word positions): a word of a quote finds the article and the
/// statement, a word of the narrative the article only.
#[test]
fn statement_words_and_article_words_are_searched_apart() {
    let env = Env::new();
    env.write(
        "c/a.txt",
        "Border talks resume\n\nOfficials gathered beside the quokka enclosure on Monday. \
         \"The zugzwang is over and we will act,\" Defence Minister Khawaja Asif said. He added \
         that talks would go on.\n",
    );
    env.ok(&["index", "c", "--index", "ix", "--quiet"], 0);
    let articles = |q: &str| {
        env.ok(&["query", q, "--index", "ix", "--json"], 0)
            .json_lines()
            .len()
    };
    assert_eq!(articles("zugzwang"), 1);
    assert_eq!(articles("quokka"), 1);
    let said = stmts(&env, &["zugzwang"]);
    assert_eq!(said.len(), 1, "{said:?}");
    assert_eq!(said[0]["speaker"], "Khawaja Asif");
    assert!(said[0]["text"].as_str().unwrap().contains("zugzwang"));
    env.ok(&["statements", "quokka", "--index", "ix", "--json"], 1);
}

/// A statement's words are found through its article's body (word positions, schema 6): every
/// query finds exactly the statements whose own text, tokenized and stemmed as the index does,
/// satisfies it. Checked after files were changed and deleted and segments merged, so that
/// statements and articles have moved through deletes and merges.
#[test]
fn statement_words_match_exactly_the_statements_that_say_them() {
    let env = Env::new();
    let corpus = common::repo().join("corpus/txt");
    let mut files: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for p in &files {
        env.write(
            &format!("c/{}", p.file_name().unwrap().to_str().unwrap()),
            std::fs::read(p).unwrap(),
        );
    }
    env.ok(&["index", "c", "--index", "ix", "--quiet"], 0);
    // Change two files (a new statement each) and delete one, then index again.
    for p in files.iter().take(2) {
        let name = p.file_name().unwrap().to_str().unwrap();
        let mut text = std::fs::read_to_string(p).unwrap();
        text.push_str("\n\"The border will stay open for trade,\" the minister said.\n");
        env.write(&format!("c/{name}"), text);
    }
    std::fs::remove_file(env.path(&format!(
        "c/{}",
        files[2].file_name().unwrap().to_str().unwrap()
    )))
    .unwrap();
    env.ok(&["index", "c", "--index", "ix", "--quiet"], 0);
    // Nine more runs of one new file each: nine more segments, which tantivy merges (at eight
    // segments), so statements are checked after a merge has moved them too.
    for i in 0..9 {
        env.write(
            &format!("c/new{i}.txt"),
            format!(
                "Border post {i} reopens\n\n\"Both sides will keep the border open,\" the \
                 minister said on day {i}. Trade resumed.\n"
            ),
        );
        env.ok(&["index", "c", "--index", "ix", "--quiet"], 0);
    }
    let segments = std::fs::read_dir(env.path("ix"))
        .unwrap()
        .filter(|e| {
            let p = e.as_ref().unwrap().path();
            p.extension().is_some_and(|x| x == "idx")
        })
        .count();
    // Eleven segments without a merge; four after one.
    assert!(segments <= 5, "no merge happened: {segments} segments");

    let mut analyzer = newsdex::index::stem::en_stem();
    let mut stems = |text: &str| {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while let Some(t) = stream.next() {
            out.push(t.text.clone());
        }
        out
    };
    let all = stmts(&env, &[]);
    assert!(all.len() > 50, "{}", all.len());
    let said: Vec<(String, Vec<String>)> = all
        .iter()
        .map(|h| {
            let text = h["text"].as_str().unwrap();
            assert!(!text.is_empty(), "{h}");
            (h["id"].as_str().unwrap().to_string(), stems(text))
        })
        .collect();
    let has = |w: &[String], t: &str| w.iter().any(|x| x == t);
    let phrase = |w: &[String], a: &str, b: &str| w.windows(2).any(|p| p[0] == a && p[1] == b);
    type Rule<'a> = Box<dyn Fn(&[String]) -> bool + 'a>;
    let cases: Vec<(&str, Rule)> = vec![
        ("border", Box::new(|w| has(w, "border"))),
        ("borders", Box::new(|w| has(w, "border"))),
        (
            "border trade",
            Box::new(|w| has(w, "border") && has(w, "trade")),
        ),
        (
            "kabul OR crossing",
            Box::new(|w| has(w, "kabul") || has(w, "cross")),
        ),
        (
            "border -pakistan",
            Box::new(|w| has(w, "border") && !has(w, "pakistan")),
        ),
        ("\"both sides\"", Box::new(|w| phrase(w, "both", "side"))),
        ("\"stay open\"", Box::new(|w| phrase(w, "stay", "open"))),
        ("quote:border", Box::new(|w| has(w, "border"))),
    ];
    for (q, rule) in cases {
        let mut want: Vec<&str> = said
            .iter()
            .filter(|(_, w)| rule(w))
            .map(|(id, _)| id.as_str())
            .collect();
        assert!(!want.is_empty(), "{q}: no statement says it");
        assert!(want.len() < said.len(), "{q}: every statement says it");
        let r = env.run(&[
            "statements",
            q,
            "--index",
            "ix",
            "--json",
            "--limit",
            "1000",
        ]);
        let got_hits = r.json_lines();
        let mut got: Vec<&str> = got_hits.iter().map(|h| h["id"].as_str().unwrap()).collect();
        want.sort_unstable();
        got.sort_unstable();
        assert_eq!(got, want, "{q}");
    }
    // What statement words cannot match is refused with a message naming it.
    for (q, says) in [
        ("title:border", "not 'title:'"),
        ("border AND country:pk", "not 'country:'"),
        ("NOT border", "excluding"),
    ] {
        let r = env.ok(&["statements", q, "--index", "ix"], 2);
        assert!(r.stderr.contains(says), "{q}: {}", r.stderr);
    }
}
