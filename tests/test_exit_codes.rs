//! Exit codes, as the README documents them, for every subcommand: 0 success, 1 no hits,
//! 2 an error (a bad option or query, a missing index, a file that failed).

mod common;

use common::Env;

fn codes(env: &Env, cases: &[(&[&str], i32)]) {
    for (args, code) in cases {
        env.ok(args, *code);
    }
}

#[test]
fn index_exit_codes() {
    let env = Env::new();
    env.write("good/a.txt", "A headline\n\nalpha.\n");
    env.write("bad/a.txt", "A headline\n\nalpha.\n");
    env.write("bad/b.txt.gz", b"\x1f\x8b\x08\x00garbage");
    std::fs::create_dir(env.path("empty")).unwrap();
    codes(
        &env,
        &[
            (&["index", "good", "--index", "ix"], 0),
            // Nothing changed is a success too; so is a folder with no article.
            (&["index", "good", "--index", "ix"], 0),
            (&["index", "empty", "--index", "ix2"], 0),
            // One file failed: the others are indexed, the run says it was not clean.
            (&["index", "bad", "--index", "ix3"], 2),
            (&["index", "missing", "--index", "ix4"], 2),
            (&["index", "good", "--index", "ix", "--exclude", "["], 2),
            (&["index", "good", "--index", "ix", "--no-such-option"], 2),
            (&["index", "--help"], 0),
        ],
    );
}

#[test]
fn search_exit_codes() {
    let env = Env::new();
    env.index_corpus();
    codes(
        &env,
        &[
            (&["query", "torkham", "--index", "ix"], 0),
            (&["query", "qqqzzz", "--index", "ix"], 1),
            (&["query", "(", "--index", "ix"], 2),
            (&["query", "x", "--index", "missing"], 2),
            (&["query", "x", "--index", "ix", "--sort", "sideways"], 2),
            (&["statements", "--by", "Haider", "--index", "ix"], 0),
            (&["statements", "qqqzzz", "--index", "ix"], 1),
            (
                &["statements", "x", "--index", "ix", "--country", "Atlantis"],
                2,
            ),
            (&["statements", "x", "--index", "missing"], 2),
            (&["stats", "--index", "ix"], 0),
            (&["stats", "torkham", "--index", "ix"], 0),
            (&["stats", "qqqzzz", "--index", "ix"], 1),
            (&["stats", "(", "--index", "ix"], 2),
            (&["stats", "--index", "missing"], 2),
            (
                &[
                    "related",
                    "--text",
                    "Torkham border crossing",
                    "--index",
                    "ix",
                ],
                0,
            ),
            // No word of the text is in the index: nothing related.
            (&["related", "--text", "qqqzzz xxxyyy", "--index", "ix"], 1),
            (&["related", "nothing-of-the-kind", "--index", "ix"], 2),
            (&["related", "--text", "x", "--index", "missing"], 2),
            (&["related", "--index", "ix"], 2),
        ],
    );
}

#[test]
fn extract_exit_codes() {
    let env = Env::new();
    env.write("a.txt", "A headline\n\nPakistan and Afghanistan.\n");
    env.write("empty.txt", "");
    env.write("photo.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    codes(
        &env,
        &[
            (&["extract", "a.txt"], 0),
            (&["extract", "a.txt", "missing.txt"], 2),
            (&["extract", "a.txt", "photo.txt"], 2),
            (&["extract"], 2),
        ],
    );
    // A file without text is said so, not printed as an empty article; it is no error.
    let r = env.ok(&["extract", "empty.txt", "a.txt", "--json"], 0);
    assert!(
        r.stderr
            .contains("empty.txt: no article: the file has no text"),
        "{}",
        r.stderr
    );
    let recs = r.json_lines();
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["title"], "A headline");
}

#[test]
fn top_level_exit_codes() {
    let env = Env::new();
    codes(
        &env,
        &[
            (&["--help"], 0),
            (&["--version"], 0),
            (&[], 2),
            (&["no-such-command"], 2),
        ],
    );
}
