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
    // The same list in the same order, with the same scores: the ranking is deterministic.
    let ranked = |v: &[serde_json::Value]| {
        v.iter()
            .map(|h| format!("{} {}", h["id"], h["score"]))
            .collect::<Vec<_>>()
    };
    assert_eq!(ranked(&by_id), ranked(&hits));
    // Every hit says which words it shares with the target.
    for h in &hits {
        assert!(!h["shared_terms"].as_array().unwrap().is_empty(), "{h}");
    }
}

#[test]
fn a_copy_of_the_target_is_not_related_coverage_of_it() {
    let env = Env::new();
    let story = "Floods close the Karakoram Highway\n\nMonsoon floods closed the Karakoram \
        Highway near Gilgit on Monday, stranding trucks bound for the Khunjerab Pass, officials \
        said. Landslides buried two bridges and the highway authority said repairs would take a \
        week.\n";
    env.write("c/a.txt", story);
    env.write("c/copy-of-a.txt", story);
    env.write(
        "c/b.txt",
        "Karakoram Highway reopens after floods\n\nThe Karakoram Highway reopened near \
         Gilgit after crews cleared landslides and rebuilt two bridges washed away by monsoon \
         floods; trucks resumed the run to the Khunjerab Pass.\n",
    );
    env.write(
        "c/c.txt",
        "Central bank holds rates\n\nThe central bank kept its policy rate unchanged, citing \
         easing inflation and a stable currency.\n",
    );
    env.ok(&["index", "c", "--index", "ix", "--quiet"], 0);
    let hits = env
        .ok(
            &[
                "related", "c/a.txt", "--index", "ix", "--json", "--limit", "5",
            ],
            0,
        )
        .json_lines();
    let names: Vec<&str> = hits
        .iter()
        .map(|h| h["path"].as_str().unwrap().rsplit('/').next().unwrap())
        .collect();
    assert_eq!(names.first(), Some(&"b.txt"), "{names:?}");
    assert!(!names.contains(&"copy-of-a.txt"), "{names:?}");
    let terms = hits[0]["shared_terms"].as_array().unwrap();
    assert!(terms.iter().any(|t| t == "karakoram"), "{terms:?}");
}

/// Needs ../shared: the seed article (a Pakistani defence minister's warning over cross-border
/// militancy from Afghanistan) finds the corpus's Pakistan–Afghanistan coverage, with reasons.
#[test]
fn seed_article_finds_the_pakistan_afghanistan_coverage() {
    let Some(seed) = common::seed_file() else {
        return;
    };
    let env = Env::new();
    env.index_corpus();
    let r = env.ok(
        &[
            "related",
            seed.to_str().unwrap(),
            "--index",
            "ix",
            "--limit",
            "5",
            "--json",
        ],
        0,
    );
    let hits = r.json_lines();
    assert_eq!(hits.len(), 5);
    for h in &hits {
        let countries = h["shared_countries"].as_array().unwrap();
        assert!(
            countries.iter().any(|c| c == "PK") && countries.iter().any(|c| c == "AF"),
            "{h}"
        );
        assert!(!h["shared_terms"].as_array().unwrap().is_empty(), "{h}");
    }
    let top3: Vec<&str> = hits[..3]
        .iter()
        .map(|h| h["path"].as_str().unwrap())
        .collect();
    assert!(
        top3.iter()
            .any(|p| p.ends_with("defence-minister-cross-border-militancy.html")),
        "{top3:?}"
    );
    let text = env.ok(
        &[
            "related",
            seed.to_str().unwrap(),
            "--index",
            "ix",
            "--limit",
            "1",
        ],
        0,
    );
    assert!(text.stdout.contains("shares terms: "), "{}", text.stdout);
    assert!(text.stdout.contains("countries: "), "{}", text.stdout);
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

/// The sample corpus plus `extra/`: an exact and an edited copy of the Torkham closure story,
/// and a copy of the Torkham reopening story (the target of these tests).
fn corpus_with_copies(env: &Env) -> std::path::PathBuf {
    let closure =
        std::fs::read_to_string(repo().join("corpus/txt/torkham-closure-trucks-stranded.txt"))
            .unwrap();
    env.write("extra/closure-copy.txt", &closure);
    let edited = format!(
        "{}\nThis story was updated with comments from traders.\n",
        closure.replacen("Tuesday", "Wednesday", 1)
    );
    assert_ne!(edited.replacen("Wednesday", "Tuesday", 1), closure);
    env.write("extra/closure-edited.txt", edited);
    let target = repo().join("corpus/txt/2025-03-10-torkham-reopens.txt");
    env.write("extra/target-copy.txt", std::fs::read(&target).unwrap());
    let corpus = repo().join("corpus");
    env.ok(
        &[
            "index",
            corpus.to_str().unwrap(),
            "extra",
            "--index",
            "ix",
            "--quiet",
        ],
        0,
    );
    target
}

fn file_name(v: &serde_json::Value) -> String {
    let p = v["path"].as_str().unwrap();
    p.rsplit('/').next().unwrap().to_string()
}

#[test]
fn copies_fold_into_one_related_hit_and_the_targets_copies_are_left_out() {
    let env = Env::new();
    let target = corpus_with_copies(&env);
    let t = target.to_str().unwrap();
    let hits = env
        .ok(
            &["related", t, "--index", "ix", "--json", "--limit", "5"],
            0,
        )
        .json_lines();
    // Still five distinct stories, ranked 1..5.
    assert_eq!(hits.len(), 5);
    let ranks: Vec<u64> = hits.iter().map(|h| h["rank"].as_u64().unwrap()).collect();
    assert_eq!(ranks, [1, 2, 3, 4, 5]);
    let closure = [
        "torkham-closure-trucks-stranded.txt",
        "closure-copy.txt",
        "closure-edited.txt",
    ];
    let folded: Vec<&serde_json::Value> = hits
        .iter()
        .filter(|h| closure.contains(&file_name(h).as_str()))
        .collect();
    assert_eq!(folded.len(), 1, "{hits:?}");
    let h = folded[0];
    assert_eq!(h["duplicates"], 2, "{h}");
    let mut all: Vec<String> = h["copies"]
        .as_array()
        .unwrap()
        .iter()
        .map(file_name)
        .chain([file_name(h)])
        .collect();
    all.sort();
    let mut want: Vec<String> = closure.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(all, want);
    // The exact copy of the kept hit is named as exact (the edited one as near), or, when the
    // edited one is kept, both are near.
    for c in h["copies"].as_array().unwrap() {
        let exact = file_name(c) != "closure-edited.txt" && file_name(h) != "closure-edited.txt";
        assert_eq!(c["kind"], if exact { "exact" } else { "near" }, "{c}");
    }
    assert!(hits.iter().all(|h| file_name(h) != "target-copy.txt"));

    let text = env
        .ok(&["related", t, "--index", "ix", "--limit", "5"], 0)
        .stdout;
    assert!(
        text.contains("left out: 1 copy of the target itself"),
        "{text}"
    );
    assert!(text.contains("extra/target-copy.txt"), "{text}");
    assert!(text.contains("(+2 copies)"), "{text}");

    // Without collapsing, every copy of a hit is a hit of its own; a copy of the target itself
    // is never related coverage of it.
    let plain = env
        .ok(
            &[
                "related",
                t,
                "--index",
                "ix",
                "--json",
                "--limit",
                "8",
                "--no-collapse",
            ],
            0,
        )
        .json_lines();
    assert!(plain.iter().all(|h| file_name(h) != "target-copy.txt"));
    let n = plain
        .iter()
        .filter(|h| closure.contains(&file_name(h).as_str()))
        .count();
    assert_eq!(n, 3);
    assert!(plain.iter().all(|h| h["duplicates"] == 0));
}

/// Searches read the signatures of their hits from the index's saved copy clusters when those
/// fit the index, and from the signature columns when not: both give the same answers. A
/// target from outside the index can be copied by any article, clusters or not.
#[test]
fn related_and_query_answer_the_same_without_the_saved_copy_clusters() {
    let env = Env::new();
    let target = corpus_with_copies(&env);
    let closure = repo().join("corpus/txt/torkham-closure-trucks-stranded.txt");
    let alone = repo().join("corpus/txt/2025-03-10-torkham-reopens.txt");
    // An article with no copy in the index, edited a little: as a target, a text that the
    // article is a near copy of (an exact one would not be ranked at all).
    let text =
        std::fs::read_to_string(repo().join("corpus/txt/pakistan-budget-defence-border.txt"))
            .unwrap();
    let body = text
        .split_once('\n')
        .unwrap()
        .1
        .replacen("Tuesday", "Wednesday", 1);
    assert!(body.contains("Wednesday"));
    let runs: Vec<Vec<String>> = [
        vec!["related", target.to_str().unwrap(), "--limit", "8"],
        vec!["related", closure.to_str().unwrap(), "--limit", "8"],
        vec!["related", alone.to_str().unwrap(), "--limit", "3"],
        vec![
            "related",
            env.path("extra/closure-edited.txt").to_str().unwrap(),
        ],
        vec!["related", "--text", &body, "--limit", "8"],
        vec!["query", "Torkham"],
        vec!["query", "border", "--limit", "3", "--offset", "1"],
        vec!["query", "", "--limit", "50"],
    ]
    .into_iter()
    .map(|r| r.into_iter().map(String::from).collect())
    .collect();
    let answers = |json: bool| -> Vec<String> {
        runs.iter()
            .map(|r| {
                let mut args: Vec<&str> = r.iter().map(String::as_str).collect();
                args.extend(["--index", "ix"]);
                if json {
                    args.push("--json");
                }
                env.ok(&args, 0).stdout
            })
            .collect()
    };
    let with = (answers(true), answers(false));
    // The runs see copies: of the target (left out), and folded into hits.
    assert!(
        with.1[0].contains("left out: 1 copy of the target itself"),
        "{}",
        with.1[0]
    );
    assert!(
        with.1[4].contains("left out: 1 copy of the target itself"),
        "{}",
        with.1[4]
    );
    assert!(with.0[5].contains("\"duplicates\":2"), "{}", with.0[5]);
    std::fs::remove_file(env.path("ix").join("newsdex-copies.bin")).unwrap();
    let without = (answers(true), answers(false));
    for (i, r) in runs.iter().enumerate() {
        assert_eq!(with.0[i], without.0[i], "{r:?}");
        assert_eq!(with.1[i], without.1[i], "{r:?}");
    }
}

/// A word of a made-up section vocabulary: letters only, so that no tokenizer or stemmer rule
/// for digits or real English words comes into play.
fn section_word(section: char, i: usize) -> String {
    let a = (b'a' + (i / 26) as u8) as char;
    let b = (b'a' + (i % 26) as u8) as char;
    format!("{section}{section}{a}{b}q")
}

/// `n` words of one section, drawn by a fixed generator.
fn section_text(section: char, seed: usize, n: usize) -> String {
    let mut s = seed as u64 * 2_654_435_761 + 12_345;
    (0..n)
        .map(|_| {
            s = s
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            section_word(section, (s >> 33) as usize % 40)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Two sections of 60 articles each with their own vocabularies; the target is written in the
/// first section's words but shares two rare words with one article of the second.
#[test]
fn related_keeps_to_the_targets_section_when_a_rare_word_points_elsewhere() {
    let env = Env::new();
    for i in 0..60 {
        env.write(
            &format!("c/a/{i:02}.txt"),
            format!("Report {i}\n\n{}\n", section_text('k', i, 30)),
        );
        let extra = if i == 7 {
            " zeppelin airship zeppelin airship"
        } else {
            ""
        };
        env.write(
            &format!("c/b/{i:02}.txt"),
            format!("Report {i}\n\n{}{extra}\n", section_text('v', 100 + i, 30)),
        );
    }
    env.ok(&["index", "c", "--index", "ix", "--quiet"], 0);
    assert!(env.path("ix/newsdex-lsa.bin").is_file());
    let target = env.write(
        "target.txt",
        format!(
            "Story\n\n{} zeppelin airship zeppelin airship\n",
            section_text('k', 999, 12)
        ),
    );
    let t = target.to_str().unwrap();
    let ranked = |env: &Env| -> Vec<String> {
        env.ok(
            &["related", t, "--index", "ix", "--json", "--limit", "5"],
            0,
        )
        .json_lines()
        .iter()
        .map(|h| h["path"].as_str().unwrap().to_string())
        .collect()
    };
    let with_sections = ranked(&env);
    assert_eq!(with_sections.len(), 5);
    assert!(
        with_sections.iter().all(|p| p.contains("/c/a/")),
        "{with_sections:?}"
    );
    // The same index without its sections: the shared rare word wins, as it does in a plain
    // term-vector ranking. This is what the sections change.
    std::fs::remove_file(env.path("ix/newsdex-lsa.bin")).unwrap();
    let without = ranked(&env);
    assert!(without[0].ends_with("c/b/07.txt"), "{without:?}");
    // A run with nothing to do puts the lost basis back.
    env.ok(&["index", "c", "--index", "ix", "--quiet"], 0);
    assert_eq!(ranked(&env), with_sections);
}
