//! Hits that rank equal come in the order of their files (path, then line), whatever order
//! indexing happened to add them in: the same folder indexed with one thread, with four, or in
//! two runs answers every query with the same list, page by page.

mod common;

use common::Env;
use serde_json::Value;

/// Visitors, one word each: every article has the same length and says "harbour" once, so a
/// search for it scores them all alike.
const NAMES: &[&str] = &[
    "Amara", "Bilal", "Chen", "Dara", "Emeka", "Farah", "Goran", "Hana", "Ivo", "Jana", "Kofi",
    "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tomas", "Uma", "Vera",
    "Wren", "Ximena", "Yusuf", "Zora",
];

/// Filler that differs from article to article, so that none is a near copy of another.
const FILLER: &[&str] = &[
    "tide", "crane", "ledger", "orchard", "signal", "barley", "quarry", "lantern", "meadow",
    "copper", "thistle", "harness", "pebble", "saddle", "timber", "walnut",
];

fn body(i: usize) -> String {
    let name = NAMES[i % NAMES.len()];
    let words: Vec<&str> = (0..8)
        .map(|k| FILLER[(i * 7 + k * 3) % FILLER.len()])
        .collect();
    format!(
        "{name} visited the harbour on Monday. \"We saw the {}\", {name} said. Notes: {}.",
        words[0],
        words[1..].join(" ")
    )
}

/// A folder of undated articles: plain files in several folders, one JSON Lines file with a
/// dozen (so that line 10 must come after line 9, not after line 1), and one exact copy.
fn write_folder(env: &Env) {
    let mut n = 0;
    for dir in ["news/zeta", "news/alpha", "news/mid/deep"] {
        for f in 0..6 {
            env.write(
                &format!("{dir}/{f:02}.txt"),
                format!("Report {n}\n\n{}\n", body(n)),
            );
            n += 1;
        }
    }
    let lines: Vec<String> = (0..12)
        .map(|k| serde_json::json!({"title": format!("Wire {k}"), "body": body(n + k)}).to_string())
        .collect();
    env.write("news/mid/wire.jsonl", lines.join("\n") + "\n");
    env.write(
        "news/zeta/copy-of-00.txt",
        format!("Report 0\n\n{}\n", body(0)),
    );
}

/// Indexes `folder` twice: into `one` with one thread, and into `two` in two runs: `part` first, in
/// a segment of its own, then the rest.
fn index_twice(env: &Env, folder: &str, part: &str) {
    env.ok(&["index", folder, "--index", "one", "--threads", "1"], 0);
    env.ok(&["index", part, "--index", "two"], 0);
    env.ok(&["index", folder, "--index", "two"], 0);
}

fn ids(env: &Env, ix: &str, args: &[&str]) -> Vec<String> {
    let mut a = args.to_vec();
    a.extend_from_slice(&["--index", ix, "--json"]);
    env.ok(&a, 0)
        .json_lines()
        .iter()
        .filter_map(|h| h.get("id").and_then(Value::as_str).map(String::from))
        .collect()
}

#[test]
fn ties_come_in_file_order_whatever_the_index_order() {
    let env = Env::new();
    write_folder(&env);
    index_twice(&env, "news", "news/mid");
    env.ok(&["index", "news", "--index", "four", "--threads", "4"], 0);

    let queries: &[&[&str]] = &[
        &["query", "", "--limit", "100", "--no-collapse"],
        &["query", "", "--limit", "100"],
        &["query", "harbour", "--limit", "100", "--no-collapse"],
        &["query", "harbour", "--limit", "5", "--offset", "5"],
        &[
            "query", "", "--sort", "newest", "--limit", "7", "--offset", "14",
        ],
        &["query", "harbour", "--sort", "oldest", "--limit", "100"],
        &["statements", "--limit", "100"],
        &["statements", "saw", "--limit", "6", "--offset", "6"],
    ];
    for q in queries {
        let one = ids(&env, "one", q);
        assert!(!one.is_empty(), "{q:?} found nothing");
        assert_eq!(one, ids(&env, "four", q), "{q:?}: one thread against four");
        assert_eq!(one, ids(&env, "two", q), "{q:?}: one run against two");
    }

    // The order is the folder's: paths in order, lines of a file by number.
    let all = env
        .ok(
            &[
                "query",
                "",
                "--limit",
                "100",
                "--no-collapse",
                "--index",
                "two",
                "--json",
            ],
            0,
        )
        .json_lines();
    assert_eq!(all.len(), 31);
    let places: Vec<(String, u64)> = all
        .iter()
        .map(|h| {
            (
                h["path"].as_str().unwrap().to_string(),
                h["location"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let mut sorted = places.clone();
    sorted.sort();
    assert_eq!(places, sorted);
    let wire: Vec<u64> = places
        .iter()
        .filter(|(p, _)| p.ends_with("wire.jsonl"))
        .map(|(_, l)| *l)
        .collect();
    assert_eq!(wire, (1..=12).collect::<Vec<u64>>());

    // Pages of a tied list are slices of the whole.
    let whole = ids(&env, "two", &["query", "harbour", "--limit", "100"]);
    let mut paged = Vec::new();
    for offset in (0..whole.len()).step_by(4) {
        let o = offset.to_string();
        paged.extend(ids(
            &env,
            "four",
            &["query", "harbour", "--limit", "4", "--offset", &o],
        ));
    }
    assert_eq!(whole, paged);

    // Of two exact copies, the first by path stands for both, and names the other.
    let hit = &env
        .ok(
            &[
                "query", "harbour", "--index", "four", "--json", "--limit", "100",
            ],
            0,
        )
        .json_lines()
        .into_iter()
        .find(|h| h["duplicates"].as_u64() == Some(1))
        .expect("the copied article");
    assert!(hit["path"].as_str().unwrap().ends_with("news/zeta/00.txt"));
    assert!(
        hit["copies"][0]["path"]
            .as_str()
            .unwrap()
            .ends_with("news/zeta/copy-of-00.txt")
    );
}

/// More ties than a segment keeps aside (an empty query over 1,300 articles): past that, paths
/// are compared as matches come, and pages still follow the folder.
#[test]
fn many_ties_still_come_in_file_order() {
    let env = Env::new();
    for i in 0..1300 {
        let dir = if i % 2 == 0 { "many/even" } else { "many/odd" };
        env.write(
            &format!("{dir}/{i:04}.txt"),
            format!("Note {i}\n\n{}\n", body(i)),
        );
    }
    index_twice(&env, "many", "many/odd");
    for page in [["--offset", "0"], ["--offset", "645"], ["--offset", "1290"]] {
        let mut q = vec!["query", "", "--no-collapse", "--limit", "10"];
        q.extend_from_slice(&page);
        let one = ids(&env, "one", &q);
        assert_eq!(one.len(), 10);
        assert_eq!(one, ids(&env, "two", &q), "{page:?}");
    }
    let paths: Vec<String> = env
        .ok(
            &[
                "query",
                "",
                "--no-collapse",
                "--limit",
                "20",
                "--offset",
                "640",
                "--index",
                "two",
                "--json",
            ],
            0,
        )
        .json_lines()
        .iter()
        .map(|h| h["path"].as_str().unwrap().to_string())
        .collect();
    // 650 even files come first; the page straddles the two folders.
    assert!(paths[9].ends_with("many/even/1298.txt"), "{paths:?}");
    assert!(paths[10].ends_with("many/odd/0001.txt"), "{paths:?}");
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
}
