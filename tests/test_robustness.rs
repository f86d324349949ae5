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
    // 10,000 terms: the same answer as one term, not a crash or a hang.
    let one = env
        .ok(
            &[
                "query", "border", "--index", "ix", "--json", "--limit", "1000",
            ],
            0,
        )
        .json_lines();
    let long = vec!["border"; 10_000].join(" OR ");
    let many = env
        .ok(
            &["query", &long, "--index", "ix", "--json", "--limit", "1000"],
            0,
        )
        .json_lines();
    assert_eq!(many.len(), one.len());
    // Unbalanced quotes and stray operators are errors with one line.
    for q in ["\"unclosed phrase", "AND", "title:", "(((", "date:[2025 TO"] {
        let r = env.run(&["query", q, "--index", "ix"]);
        assert!(r.code == 1 || r.code == 2, "{q}: {}", r.code);
        if r.code == 2 {
            assert_eq!(r.stderr.trim().lines().count(), 1, "{q}: {}", r.stderr);
        }
    }
}

#[test]
fn queries_beyond_the_edges() {
    let env = Env::new();
    env.index_corpus();
    let ix = ["--index", "ix"];
    let q = |args: &[&str], code: i32| {
        let mut a = args.to_vec();
        a.extend_from_slice(&ix);
        env.ok(&a, code)
    };
    // 10,000 distinct words, all required (none is in the corpus): no hits, quickly.
    let words: Vec<String> = (0..10_000).map(|i| format!("w{i}")).collect();
    q(&["query", &words.join(" ")], 1);
    // ... and any of them or one real word: the real word's hits.
    let any = format!("{} OR torkham", words.join(" OR "));
    let torkham = q(&["query", "torkham", "--json", "--limit", "100"], 0).json_lines();
    let with_any = q(&["query", &any, "--json", "--limit", "100"], 0).json_lines();
    assert_eq!(with_any.len(), torkham.len());

    // Regression: 10,000 nested parentheses overflowed the stack (the process aborted).
    let deep = format!("{}border{}", "(".repeat(10_000), ")".repeat(10_000));
    let r = q(&["query", &deep], 2);
    assert!(
        r.stderr.contains("nests parentheses 10000 deep"),
        "{}",
        r.stderr
    );
    let r = q(
        &["statements", &format!("{}said", "title:(".repeat(10_000))],
        2,
    );
    assert!(r.stderr.contains("nests parentheses"), "{}", r.stderr);
    // A hundred levels are fine.
    let ok = format!("{}torkham{}", "(".repeat(100), ")".repeat(100));
    assert_eq!(
        q(&["query", &ok, "--json", "--limit", "100"], 0)
            .json_lines()
            .len(),
        torkham.len()
    );
    // A long query that does not parse is not echoed whole.
    let r = q(&["query", &format!("{}\"", "x ".repeat(5_000))], 2);
    assert!(r.stderr.len() < 400, "{}", r.stderr);

    // The largest --limit and --offset there are.
    let max = usize::MAX.to_string();
    let all = q(&["query", "", "--json", "--limit", &max], 0).json_lines();
    assert_eq!(all.len(), 34);
    let tail = q(
        &[
            "query", "", "--json", "--limit", &max, "--offset", "30", "--sort", "oldest",
        ],
        0,
    )
    .json_lines();
    assert_eq!(tail.len(), 4);
    assert_eq!(tail[0]["rank"], 31);
    q(&["query", "", "--limit", &max, "--offset", &max], 1);
    q(&["statements", "", "--limit", &max, "--offset", &max], 1);
    let r = q(&["query", "", "--offset", "34"], 1);
    assert!(
        r.stdout.contains("no articles match (34 in all)"),
        "{}",
        r.stdout
    );
    // Past usize: a usage error from the option parser.
    q(&["query", "x", "--limit", "18446744073709551616"], 2);
    q(&["query", "x", "--offset", "-1"], 2);

    // Impossible date ranges: inverted in the query language is simply empty; in the filters,
    // a clear error; a year no article has, empty.
    q(&["query", "date:[2026 TO 2025]"], 1);
    q(&["query", "", "--from", "2026-05", "--to", "2026-04"], 2);
    q(&["query", "", "--from", "9999"], 1);
    q(&["statements", "", "--to", "1900"], 1);
    let r = q(&["query", "", "--from", "2026-02-30"], 2);
    assert_eq!(r.stderr.trim().lines().count(), 1, "{}", r.stderr);

    // Empty and blank queries list every article (and every statement).
    assert_eq!(
        q(&["query", "   ", "--json", "--limit", "100"], 0)
            .json_lines()
            .len(),
        34
    );
    let statements = q(&["statements", "", "--json", "--limit", "100000"], 0).json_lines();
    assert!(statements.len() > 34, "{}", statements.len());

    // Unknown fields, for both searches, name the field and the ones there are.
    for cmd in ["query", "statements"] {
        let r = q(&[cmd, "nosuchfield:x"], 2);
        assert!(
            r.stderr.contains("unknown field 'nosuchfield'") && r.stderr.contains("title, body"),
            "{}",
            r.stderr
        );
    }
}

/// Tried as a new user would: one folder with one of every kind of trouble next to good
/// articles in every format. The summary names each problem file and why, the run says it
/// was not clean (exit 2), and every good article is searchable afterwards.
#[test]
fn one_folder_with_everything_as_a_new_user_would_try_it() {
    let env = Env::new();
    // Good articles, one word each to find them by.
    let good: &[(&str, &[u8], &str, &str)] = &[
        ("in/plain.txt", b"Plain headline\n\nzebra.\n", "zebra", "Plain headline"),
        (
            "in/front.md",
            b"---\ntitle: Markdown title\n---\n\nyak.\n",
            "yak",
            "Markdown title",
        ),
        (
            "in/page.html",
            b"<html><head><title>Page</title></head><body><p>okapi</p></body></html>",
            "okapi",
            "Page",
        ),
        (
            "in/array.json",
            br#"[{"title":"Json one","body":"llama"},{"title":"Json two","body":"ibex"}]"#,
            "ibex",
            "Json two",
        ),
        (
            "in/lines.jsonl",
            b"{\"title\":\"Line one\",\"body\":\"walrus\"}\n{broken\n{\"title\":\"Line three\",\"body\":\"seal\"}\n",
            "seal",
            "Line three",
        ),
        ("in/rows.csv", b"title,body\nRow one,tapir\n", "tapir", "Row one"),
        ("in/rows.tsv", b"title\tbody\nTsv one\tnarwhal\n", "narwhal", "Tsv one"),
        ("in/latin1.txt", b"Latin headline\n\nna\xEFve \xA3 quoll.\n", "quoll", "Latin headline"),
        (
            "in/utf16.txt",
            b"\xFF\xFEU\0t\0f\0\n\0\n\0w\0o\0m\0b\0a\0t\0",
            "wombat",
            "Utf",
        ),
        (
            "in/crlf.txt",
            b"Crlf headline\r\n\r\nkoala.\r\n",
            "koala",
            "Crlf headline",
        ),
    ];
    for (path, bytes, _, _) in good {
        env.write(path, bytes);
    }
    env.write(
        "in/packed.jsonl.gz",
        gzip(b"{\"title\":\"Gz one\",\"body\":\"quokka\"}\n"),
    );

    // Trouble, each with the words the summary must give.
    let mut trouble: Vec<(&str, &str)> = vec![
        ("empty.txt", "no article: the file has no text"),
        ("photo.txt", "binary file, not text"),
        ("corrupt.txt.gz", "corrupt gzip data"),
        ("truncated.jsonl.gz", "corrupt gzip data"),
        ("broken.json", "invalid JSON"),
        ("notarticle.json", "no article"),
        ("huge.txt", "larger than the 1 MiB limit"),
        ("README.md", "not an article"),
        ("loop", "symlink loop"),
        ("lines.jsonl", "line 2: invalid JSON"),
        ("latin1.txt", "not valid UTF-8"),
        ("(1 file(s))", "unsupported file type"),
    ];
    env.write("in/empty.txt", "");
    env.write("in/photo.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    env.write("in/corrupt.txt.gz", b"\x1f\x8b\x08\x00garbage");
    env.write(
        "in/truncated.jsonl.gz",
        &gzip(b"{\"title\":\"Cut\",\"body\":\"cut\"}\n")[..15],
    );
    env.write("in/broken.json", "{\"title\": \"Broken\", \"body\": ");
    env.write("in/notarticle.json", r#"{"name": "pkg", "version": "1"}"#);
    env.write(
        "in/huge.txt",
        format!("Huge\n\n{}", "word ".repeat(250_000)),
    );
    env.write("in/README.md", "# About\n\nThis folder.\n");
    env.write("in/scan.pdf", "%PDF-1.4");
    #[cfg(unix)]
    std::os::unix::fs::symlink(env.path("in"), env.path("in/loop")).unwrap();
    #[cfg(unix)]
    {
        let locked = env.write("in/locked.txt", "Locked\n\nlocked body.\n");
        common::chmod(&locked, 0o000);
        if common::reads_anyway(&locked) {
            std::fs::remove_file(&locked).unwrap();
        } else {
            trouble.push(("locked.txt", "Permission denied"));
        }
    }

    let r = env.ok(
        &[
            "index",
            "in",
            "--index",
            "ix",
            "--verbose",
            "--max-file-mb",
            "1",
        ],
        2,
    );
    #[cfg(unix)]
    if env.path("in/locked.txt").exists() {
        common::chmod(&env.path("in/locked.txt"), 0o644);
    }
    let s = &r.stdout;
    for (file, why) in &trouble {
        assert!(
            s.lines()
                .any(|l| l.contains(&format!("{file}: ")) && l.contains(why)),
            "no '{file}: … {why}' in the summary:\n{s}"
        );
    }
    // Failed: the two gzips, the broken JSON file, the symlink loop (and the unreadable file).
    let failed = count(s, "files:", "failed");
    let failing = 4 + usize::from(trouble.iter().any(|(f, _)| *f == "locked.txt"));
    assert_eq!(failed as usize, failing, "{s}");
    // 11 good files; the JSON array and the JSONL file hold two articles each.
    assert_eq!(count(s, "articles:", "in the index"), 13, "{s}");
    for (_, _, word, title) in good {
        let hits = env
            .ok(&["query", word, "--index", "ix", "--json"], 0)
            .json_lines();
        assert_eq!(hits.len(), 1, "{word}");
        assert_eq!(hits[0]["title"], *title, "{word}");
    }
    assert_eq!(
        env.ok(&["query", "quokka", "--index", "ix", "--json"], 0)
            .json_lines()[0]["title"],
        "Gz one"
    );
    // The good lines around a broken one, and the bytes around a re-decoded one, survive.
    env.ok(&["query", "walrus", "--index", "ix"], 0);
    let latin = env
        .ok(&["query", "quoll", "--index", "ix", "--json"], 0)
        .json_lines();
    assert_eq!(latin[0]["body"], "naïve £ quoll.");
}

/// Regression: tantivy holds dates as i64 nanoseconds (1677–2262) and multiplies without a
/// check, so `--from 9999` wrapped around and matched old articles, an article dated 9999
/// sorted after one dated 1500 in `--sort newest`, and `date:[1000 TO 1600]` was "a bad date"
/// (a debug build panicked instead).
#[test]
fn dates_beyond_what_the_index_holds_neither_wrap_nor_fail() {
    let env = Env::new();
    env.write(
        "d/far.jsonl",
        "{\"title\":\"Far future\",\"body\":\"x far\",\"date\":\"9999-12-31\"}\n\
         {\"title\":\"Recent\",\"body\":\"x recent\",\"date\":\"2025-06-01\"}\n\
         {\"title\":\"Long ago\",\"body\":\"x ago\",\"date\":\"1500-01-01\"}\n",
    );
    env.ok(&["index", "d", "--index", "ix"], 0);
    let titles = |args: &[&str], code: i32| -> Vec<String> {
        let mut a = vec!["query", "--index", "ix", "--json", "--limit", "10"];
        a.extend_from_slice(args);
        env.ok(&a, code)
            .json_lines()
            .iter()
            .map(|h| h["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        titles(&["--sort", "newest"], 0),
        ["Far future", "Recent", "Long ago"]
    );
    assert_eq!(titles(&["--from", "3000"], 0), ["Far future"]);
    assert_eq!(titles(&["--from", "2020", "--to", "2030"], 0), ["Recent"]);
    assert_eq!(titles(&["date:[9000 TO *]"], 0), ["Far future"]);
    // Out of range, a date sorts and filters as the limit it passes (1677 or 2262).
    assert_eq!(titles(&["--to", "1677"], 0), ["Long ago"]);
    assert!(titles(&["--to", "1600"], 1).is_empty());
    assert_eq!(titles(&["date:[1000 TO 1700]"], 0), ["Long ago"]);
    // The date as written is kept.
    let far = &env
        .ok(&["query", "title:far", "--index", "ix", "--json"], 0)
        .json_lines()[0];
    assert_eq!(far["date"], "9999-12-31");
}
