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
    let Some(shared) = common::shared() else {
        return;
    };
    let seed = std::fs::read_dir(shared.join("seed"))
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
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
