//! Bad input loses nothing else: odd encodings and shapes in one folder, and queries at the
//! edges. Each case is built in a temp dir.

mod common;

use common::{Env, count, gzip};

#[test]
fn odd_files_index_and_stay_searchable() {
    let env = Env::new();
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "Utf sixteen headline\n\nwombat in UTF-16.\n".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    env.write("d/utf16.txt", utf16);
    env.write(
        "d/bom.txt",
        "\u{feff}Bom headline\n\nplatypus after a BOM.\n",
    );
    env.write(
        "d/crlf.txt",
        "Crlf headline\r\n\r\nkoala with CRLF.\r\nSecond line.\r\n",
    );
    env.write(
        "d/cp1252.txt",
        b"Smart quotes\n\n\x93Dingo\x94 said \x96 no.\n",
    );
    env.write(
        "d/longline.txt",
        format!("Long line\n\n{} emu\n", "word ".repeat(200_000)),
    );
    env.write(
        "d/nobody.html",
        "<html><head><title>Only a head title here</title></head></html>",
    );
    env.write(
        "d/notarticle.json",
        r#"{"name": "package", "version": "1.0.0"}"#,
    );
    env.write(
        "d/truncated.jsonl.gz",
        &gzip(b"{\"title\":\"Gz\",\"body\":\"quoll\"}\n")[..20],
    );
    env.write(
        "d/a/b/c/d/e/f/g/h/i/j/deep.txt",
        "Deep headline\n\nnumbat deep down.\n",
    );
    env.write(
        "d/dup1.jsonl",
        "{\"id\":\"same\",\"title\":\"Dup one\",\"body\":\"bilby\"}\n",
    );
    env.write(
        "d/dup2.jsonl",
        "{\"id\":\"same\",\"title\":\"Dup two\",\"body\":\"bilby\"}\n",
    );
    let r = env.ok(&["index", "d", "--index", "ix"], 2);
    let s = &r.stdout;
    assert!(s.contains("truncated.jsonl.gz: corrupt gzip data"), "{s}");
    assert!(s.contains("notarticle.json: no article"), "{s}");
    assert!(s.contains("cp1252.txt: not valid UTF-8"), "{s}");
    for (word, title) in [
        ("wombat", "Utf sixteen headline"),
        ("platypus", "Bom headline"),
        ("koala", "Crlf headline"),
        ("dingo", "Smart quotes"),
        ("emu", "Long line"),
        ("numbat", "Deep headline"),
    ] {
        let hits = env
            .ok(&["query", word, "--index", "ix", "--json"], 0)
            .json_lines();
        assert_eq!(hits[0]["title"], title, "{word}");
    }
    // Windows-1252 curly quotes decoded as such.
    let dingo = &env
        .ok(&["query", "dingo", "--index", "ix", "--json"], 0)
        .json_lines()[0];
    assert!(
        dingo["body"].as_str().unwrap().starts_with("“Dingo”"),
        "{dingo}"
    );
    // The same "id" field in two files does not merge them: ids come from paths. Their bodies
    // are the same, so by default one is shown as a copy of the other.
    assert_eq!(
        env.ok(
            &["query", "bilby", "--index", "ix", "--json", "--no-collapse"],
            0
        )
        .json_lines()
        .len(),
        2
    );
    let folded = env
        .ok(&["query", "bilby", "--index", "ix", "--json"], 0)
        .json_lines();
    assert_eq!(folded.len(), 1);
    assert_eq!(folded[0]["duplicates"], 1);
    // A page with only a <title> is an article with a title and no body.
    env.ok(&["query", "title:head", "--index", "ix"], 0);
    assert_eq!(count(s, "files:", "failed"), 1, "{s}");
}

#[test]
fn queries_at_the_edges() {
    let env = Env::new();
    env.index_corpus();
    // Empty query lists everything; "*" too.
    let all = env
        .ok(
            &["query", "", "--index", "ix", "--json", "--limit", "1000"],
            0,
        )
        .json_lines();
    assert_eq!(all.len(), 34);
    assert_eq!(
        env.ok(
            &["query", "*", "--index", "ix", "--json", "--limit", "1000"],
            0
        )
        .json_lines()
        .len(),
        34
    );
    // An impossible but valid date range is simply empty.
    env.ok(
        &[
            "query", "border", "--index", "ix", "--from", "1990", "--to", "1990",
        ],
        1,
    );
    // 10,000 terms: a clear answer, not a crash or a hang.
    let long = vec!["border"; 10_000].join(" OR ");
    let r = env.run(&["query", &long, "--index", "ix", "--limit", "1"]);
    assert!(r.code == 0 || r.code == 2, "{}", r.stderr);
    // Unbalanced quotes and stray operators are errors with one line.
    for q in ["\"unclosed phrase", "AND", "title:", "(((", "date:[2025 TO"] {
        let r = env.run(&["query", q, "--index", "ix"]);
        assert!(r.code == 1 || r.code == 2, "{q}: {}", r.code);
        if r.code == 2 {
            assert_eq!(r.stderr.trim().lines().count(), 1, "{q}: {}", r.stderr);
        }
    }
}
