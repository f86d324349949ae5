//! `newsdex query` on the project's corpus: full text, phrases, fields, filters, sorting,
//! highlighting, JSON, and the errors a user can make.

mod common;

use common::{Env, repo, synthetic_body, write_copies};
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

fn file_name(v: &Value) -> String {
    let p = v["path"].as_str().unwrap();
    p.rsplit('/').next().unwrap().to_string()
}

#[test]
fn facets_count_the_matching_articles() {
    let env = Env::new();
    env.index_corpus();
    let lines = env
        .ok(
            &[
                "query",
                "border",
                "--index",
                "ix",
                "--json",
                "--limit",
                "2",
                "--facets=4",
            ],
            0,
        )
        .json_lines();
    // Two hits, then one facets object.
    assert_eq!(lines.len(), 3);
    let f = &lines[2]["facets"];
    let total = hits(&env, &["border", "--no-collapse"]).len() as u64;
    assert_eq!(f["articles"].as_u64(), Some(total));
    for (key, filter) in [("countries", "--country"), ("actors", "--actor")] {
        let list = f[key].as_array().unwrap();
        assert_eq!(list.len(), 4, "{key}: {f}");
        let counts: Vec<u64> = list.iter().map(|c| c["count"].as_u64().unwrap()).collect();
        assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{key}: {counts:?}");
        // The top value counts exactly the articles its filter keeps.
        let value = list[0]["value"].as_str().unwrap();
        let n = hits(&env, &["border", filter, value, "--no-collapse"]).len() as u64;
        assert_eq!(counts[0], n, "{key} {value}");
    }
    let months = f["months"].as_array().unwrap();
    let top = months[0]["value"].as_str().unwrap();
    let n = hits(
        &env,
        &["border", "--from", top, "--to", top, "--no-collapse"],
    )
    .len() as u64;
    assert_eq!(months[0]["count"].as_u64(), Some(n));
    let undated = hits(&env, &["border", "--no-collapse"])
        .iter()
        .filter(|h| h["date"].is_null())
        .count() as u64;
    assert_eq!(f["undated"].as_u64(), Some(undated));

    let text = env
        .ok(
            &[
                "query", "border", "--index", "ix", "--limit", "1", "--facets",
            ],
            0,
        )
        .stdout;
    assert!(
        text.contains(&format!("facets of {total} matching articles:")),
        "{text}"
    );
    let countries = text.lines().find(|l| l.contains("countries:")).unwrap();
    assert!(
        countries.contains(&format!(
            "{} {}",
            f["countries"][0]["value"].as_str().unwrap(),
            f["countries"][0]["count"]
        )),
        "{countries}"
    );
    // No hits: exit 1, facets of nothing.
    let none = env.ok(&["query", "qqqzzzxxx", "--index", "ix", "--facets"], 1);
    assert!(
        none.stdout.contains("facets of 0 matching articles"),
        "{}",
        none.stdout
    );
}

#[test]
fn copies_fold_into_the_best_ranked_hit() {
    let env = Env::new();
    write_copies(&env, "d");
    env.ok(&["index", "d", "--index", "ix", "--quiet"], 0);
    let h = hits(&env, &["quokka"]);
    // orig, copy, retitled (exact) and edited (near) are one story; other is another.
    assert_eq!(h.len(), 2, "{h:?}");
    let story = h.iter().find(|x| file_name(x) != "other.txt").unwrap();
    assert_eq!(story["duplicates"], 3);
    let mut names: Vec<String> = story["copies"]
        .as_array()
        .unwrap()
        .iter()
        .map(file_name)
        .chain([file_name(story)])
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["copy.txt", "edited.txt", "orig.txt", "retitled.txt"]
    );
    let kinds: Vec<&str> = story["copies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    if file_name(story) == "edited.txt" {
        assert_eq!(kinds, ["near", "near", "near"]);
    } else {
        assert_eq!(kinds, ["exact", "exact", "near"]);
    }
    let other = h.iter().find(|x| file_name(x) == "other.txt").unwrap();
    assert_eq!(
        (
            other["duplicates"].as_u64(),
            other["copies"].as_array().map(Vec::len)
        ),
        (Some(0), Some(0))
    );
    // Ranks and pages count distinct stories.
    assert_eq!(
        (h[0]["rank"].as_u64(), h[1]["rank"].as_u64()),
        (Some(1), Some(2))
    );
    let second = env
        .ok(
            &[
                "query", "quokka", "--index", "ix", "--json", "--limit", "1", "--offset", "1",
            ],
            0,
        )
        .json_lines();
    assert_eq!(second.len(), 1);
    assert_eq!(second[0]["id"], h[1]["id"]);
    // Sorted by date the same copies fold (all undated here).
    assert_eq!(hits(&env, &["quokka", "--sort", "newest"]).len(), 2);
    assert_eq!(hits(&env, &["quokka", "--no-collapse"]).len(), 5);

    let text = env.ok(&["query", "quokka", "--index", "ix"], 0).stdout;
    assert!(text.contains("(+3 copies)"), "{text}");
    let copies = text
        .lines()
        .find(|l| l.trim_start().starts_with("copies:"))
        .unwrap();
    assert!(copies.contains("(near)"), "{copies}");
    assert!(text.contains("1-2 of 5 matching articles"), "{text}");
}

/// The copies of a hit are found the same way whether the query matches a few of the articles
/// (their signatures are looked up one by one) or most of them (every article's signature is
/// scanned and the copies checked against the query).
#[test]
fn copies_are_the_same_for_a_rare_and_a_common_word() {
    let env = Env::new();
    write_copies(&env, "d");
    // 85 articles: 5 match the rare word, a sixteenth of them at most.
    for i in 0..80 {
        env.write(
            &format!("d/filler/{i:03}.txt"),
            format!("Filler {i}\n\n{}\n", synthetic_body(1000 + i, 3, "Wombat")),
        );
    }
    env.ok(&["index", "d", "--index", "ix", "--quiet"], 0);
    let story = |args: &[&str]| -> (u64, Vec<(String, String)>) {
        let h = hits(&env, args);
        let s = h
            .iter()
            .find(|x| x["duplicates"].as_u64() > Some(0))
            .unwrap_or_else(|| panic!("no hit with copies for {args:?}"));
        let copies = s["copies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (file_name(c), c["kind"].as_str().unwrap().to_string()))
            .collect();
        (s["duplicates"].as_u64().unwrap(), copies)
    };
    // 5 of 85 articles, then all of them.
    let rare = story(&["quokka"]);
    let common = story(&["quokka OR wombat"]);
    assert_eq!(rare.0, 3, "{rare:?}");
    assert_eq!(rare, common);
    // A copy that the query does not match is not counted, either way.
    let rare = story(&["quokka -declined"]);
    assert_eq!(rare.0, 2, "{rare:?}");
    assert!(!rare.1.iter().any(|(f, _)| f == "edited.txt"));
    assert_eq!(story(&["(quokka OR wombat) -declined"]), rare);

    // The same without the index's copy clusters (an index from before they were saved):
    // every signature is scanned, or the matches' looked up.
    let table = env.path("ix").join("newsdex-copies.bin");
    let saved = std::fs::read(&table).expect("index saves its copy clusters");
    std::fs::remove_file(&table).unwrap();
    assert_eq!(story(&["quokka -declined"]), rare);
    assert_eq!(story(&["quokka"]).0, 3);
    assert_eq!(story(&["quokka OR wombat"]), common);

    // Clusters saved for other segments are not used: a copy added since is named.
    std::fs::copy(env.path("d/orig.txt"), env.path("d/again.txt")).unwrap();
    env.ok(&["index", "d", "--index", "ix", "--quiet"], 0);
    let now = story(&["quokka"]);
    assert_eq!(now.0, 4, "{now:?}");
    std::fs::write(&table, saved).unwrap();
    assert_eq!(story(&["quokka"]), now);
    assert_eq!(story(&["quokka OR wombat"]), now);
}

/// The saved copy groups only save work: an index run that cannot write them still succeeds,
/// and searches find the same copies without them.
#[test]
fn an_index_run_that_cannot_save_the_copy_groups_still_succeeds() {
    let env = Env::new();
    write_copies(&env, "d");
    env.ok(&["index", "d", "--index", "ix", "--quiet"], 0);
    let with = hits(&env, &["quokka"]);
    let ix = env.path("ix");
    std::fs::remove_file(ix.join("newsdex-copies.bin")).unwrap();
    // Its temporary file is a folder: writing it fails, for root too.
    std::fs::create_dir(ix.join("newsdex-copies.bin.tmp")).unwrap();
    env.ok(&["index", "d", "--index", "ix", "--quiet"], 0);
    env.write(
        "d/more.txt",
        format!("More\n\n{}\n", synthetic_body(5, 4, "Quokka")),
    );
    env.ok(&["index", "d", "--index", "ix", "--quiet"], 0);
    assert!(!ix.join("newsdex-copies.bin").exists());
    let without = hits(&env, &["quokka"]);
    assert_eq!(without.len(), with.len() + 1);
    let story = |h: &[Value]| -> (Value, Value) {
        let s = h
            .iter()
            .find(|x| x["duplicates"].as_u64() > Some(0))
            .unwrap();
        (s["duplicates"].clone(), s["copies"].clone())
    };
    assert_eq!(story(&without), story(&with));
}

#[test]
fn related_to_ranks_the_query_hits_by_relatedness() {
    let env = Env::new();
    env.index_corpus();
    let target = repo().join("corpus/txt/2025-03-10-torkham-reopens.txt");
    let t = target.to_str().unwrap();
    let matching: std::collections::HashSet<String> = hits(&env, &["ceasefire", "--no-collapse"])
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    let ranked = env
        .ok(
            &[
                "query",
                "ceasefire",
                "--related-to",
                t,
                "--index",
                "ix",
                "--json",
                "--limit",
                "100",
            ],
            0,
        )
        .json_lines();
    assert!(ranked.len() >= 4, "{}", ranked.len());
    // Only articles the query matches, never the target, best related first. Scores are not
    // `related`'s own: its feedback step averages the closest candidates, and the query
    // decides which those are.
    let plain = env
        .ok(
            &["related", t, "--index", "ix", "--json", "--limit", "100"],
            0,
        )
        .json_lines();
    let mut last = f64::INFINITY;
    for h in &ranked {
        let id = h["id"].as_str().unwrap();
        assert!(matching.contains(id), "{h}");
        assert_ne!(h["path"].as_str(), Some(t));
        let s = h["score"].as_f64().unwrap();
        assert!(s <= last + 1e-6, "not in score order: {h}");
        last = s;
    }
    // Every matching article `related` finds is there, and the closest one comes first.
    let expected: Vec<&str> = plain
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .filter(|id| matching.contains(*id))
        .collect();
    let got: Vec<&str> = ranked.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert!(!expected.is_empty());
    assert_eq!(got[0], expected[0]);
    for id in &expected {
        assert!(got.contains(id), "{id} missing from {got:?}");
    }
    // A file that is not in the index works as a target; text output is `related`'s.
    let outside = env.write(
        "outside.txt",
        "Border crossing reopens\n\nTraders welcomed the reopening of the Torkham border crossing between Pakistan and Afghanistan after the ceasefire, as lorries queued at the Khyber Pass.\n",
    );
    let r = env.ok(
        &[
            "query",
            "ceasefire",
            "--related-to",
            outside.to_str().unwrap(),
            "--index",
            "ix",
            "--limit",
            "2",
            "--facets=3",
        ],
        0,
    );
    assert!(
        r.stdout.contains("  1. ") && r.stdout.contains("score "),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("  3. "), "{}", r.stdout);
    assert!(
        r.stdout
            .contains(&format!("facets of {} matching articles", matching.len())),
        "{}",
        r.stdout
    );
    // Nothing matches: exit 1; a bad target or a sort order: exit 2.
    env.ok(
        &["query", "qqqzzzxxx", "--related-to", t, "--index", "ix"],
        1,
    );
    let bad = env.ok(
        &[
            "query",
            "ceasefire",
            "--related-to",
            "no-such-file",
            "--index",
            "ix",
        ],
        2,
    );
    assert!(
        bad.stderr
            .contains("neither an indexed article id nor a file"),
        "{}",
        bad.stderr
    );
    env.ok(
        &[
            "query",
            "ceasefire",
            "--related-to",
            t,
            "--index",
            "ix",
            "--sort",
            "newest",
        ],
        2,
    );
}
