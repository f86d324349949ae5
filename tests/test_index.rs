//! `newsdex index`: every format, incremental re-runs, bad input, exclusion rules.

mod common;

use common::{Env, count, gzip};

#[test]
fn indexes_the_project_corpus() {
    let env = Env::new();
    let r = env.index_corpus();
    let s = &r.stdout;
    assert_eq!(count(s, "files:", "failed"), 0, "{s}");
    // 34 articles in 24 files: every format of corpus/ contributes.
    assert_eq!(count(s, "articles:", "indexed"), 34, "{s}");
    assert_eq!(count(s, "articles:", "in the index"), 34, "{s}");
    assert!(s.contains("try: newsdex query"), "{s}");
}

#[test]
fn rerun_is_incremental_touch_modify_delete_rebuild() {
    let env = Env::new();
    env.write(
        "news/a.txt",
        "Alpha headline\n\nAlpha body about Pakistan.\n",
    );
    env.write("news/b.txt", "Beta headline\n\nBeta body.\n");
    env.write(
        "news/c.jsonl",
        "{\"title\":\"C1\",\"body\":\"x\"}\n{\"title\":\"C2\",\"body\":\"y\"}\n",
    );
    let first = env.ok(&["index", "news", "--index", "ix"], 0).stdout;
    assert_eq!(count(&first, "articles:", "indexed"), 4, "{first}");

    let again = env.ok(&["index", "news", "--index", "ix"], 0).stdout;
    assert_eq!(count(&again, "files:", "read"), 0, "{again}");
    assert_eq!(count(&again, "files:", "unchanged"), 3, "{again}");
    assert_eq!(count(&again, "articles:", "unchanged"), 4, "{again}");

    // A new mtime alone re-reads that one file.
    let f = std::fs::File::options()
        .write(true)
        .open(env.path("news/a.txt"))
        .unwrap();
    f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
        .unwrap();
    drop(f);
    let touched = env.ok(&["index", "news", "--index", "ix"], 0).stdout;
    assert_eq!(count(&touched, "files:", "read"), 1, "{touched}");
    assert_eq!(count(&touched, "articles:", "updated"), 1, "{touched}");
    assert_eq!(count(&touched, "articles:", "in the index"), 4, "{touched}");

    // Modified content replaces the old version; a deleted file's articles go.
    env.write("news/b.txt", "Beta rewritten\n\nGamma body.\n");
    std::fs::remove_file(env.path("news/c.jsonl")).unwrap();
    let changed = env.ok(&["index", "news", "--index", "ix"], 0).stdout;
    assert_eq!(count(&changed, "files:", "removed"), 1, "{changed}");
    assert_eq!(count(&changed, "articles:", "removed"), 2, "{changed}");
    assert_eq!(count(&changed, "articles:", "in the index"), 2, "{changed}");
    env.ok(&["query", "gamma", "--index", "ix"], 0);
    env.ok(&["query", "\"beta body\"", "--index", "ix"], 1);
    env.ok(&["query", "C1", "--index", "ix"], 1);

    let rebuilt = env
        .ok(&["index", "news", "--index", "ix", "--rebuild"], 0)
        .stdout;
    assert_eq!(count(&rebuilt, "articles:", "indexed"), 2, "{rebuilt}");
    assert_eq!(count(&rebuilt, "articles:", "in the index"), 2, "{rebuilt}");
}

#[test]
fn every_format_and_bad_input_in_one_folder() {
    let env = Env::new();
    env.write("in/plain.txt", "Plain headline\n\nPlain body zebra.\n");
    env.write(
        "in/front.md",
        "---\ntitle: Front matter title\ndate: 2025-09-02\nsource: Wire\n---\n\nMarkdown body yak.\n",
    );
    env.write(
        "in/page.html",
        "<html><head><title>Page title</title><meta property=\"article:published_time\" content=\"2025-06-27T09:00:00Z\"></head>\
         <body><nav>Menu navonly</nav><article><h1>Page title</h1><p>Html body okapi.</p></article>\
         <script>var scriptonly = 1;</script></body></html>",
    );
    env.write(
        "in/one.json",
        r#"{"headline":"Json object","text":"Json body llama.","datePublished":"2025-01-02"}"#,
    );
    env.write(
        "in/many.json",
        r#"[{"title":"Array one","content":"ibex"},{"title":"Array two","content":"ibex too"}]"#,
    );
    env.write(
        "in/lines.jsonl",
        "{\"title\":\"Line one\",\"body\":\"walrus\"}\n{\"title\": broken\n{\"title\":\"Line three\",\"body\":\"walrus again\"}\n",
    );
    env.write(
        "in/rows.csv",
        "title,date_publish,article\n\"Row one, quoted\",2025-11-02 14:05:00,\"First para of tapir.\n\nSecond para.\"\nRow two,2025-11-03,tapir two\n",
    );
    env.write(
        "in/feed.tsv",
        "headline\tpubDate\tcontent\nTsv row\tTue, 04 Nov 2025 10:00:00 +0000\tnarwhal\n",
    );
    env.write(
        "in/packed.jsonl.gz",
        gzip(b"{\"title\":\"Gz one\",\"body\":\"quokka\"}\n"),
    );
    env.write(
        "in/packed.txt.gz",
        gzip(b"Gz text headline\n\nquokka text.\n"),
    );
    env.write(
        "in/latin1.txt",
        b"Pound headline\n\nIt cost \xA35m in total.\n",
    );
    env.write(
        "in/photo.txt",
        b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01binary",
    );
    env.write("in/empty.txt", "");
    env.write("in/corrupt.txt.gz", b"\x1f\x8b\x08\x00not really gzip");
    env.write("in/README.TXT", "About this folder\n\nNot an article.\n");
    env.write("in/.hidden/secret.txt", "Hidden\n\nhidden body.\n");
    env.write("in/notes.pdf", "%PDF");

    let r = env.ok(&["index", "in", "--index", "ix"], 2);
    let s = &r.stdout;
    // 1 txt + 1 md + 1 html + 1 json + 2 array + 2 jsonl + 2 csv + 1 tsv + 1 jsonl.gz + 1 txt.gz + 1 latin1
    assert_eq!(count(s, "articles:", "indexed"), 14, "{s}");
    assert_eq!(count(s, "files:", "failed"), 1, "{s}");
    assert!(s.contains("corrupt.txt.gz: corrupt gzip data"), "{s}");
    assert!(s.contains("lines.jsonl: line 2: invalid JSON"), "{s}");
    assert!(s.contains("latin1.txt: not valid UTF-8"), "{s}");
    assert!(s.contains("photo.txt: binary file"), "{s}");
    assert!(s.contains("empty.txt: no article"), "{s}");
    assert!(s.contains("README.TXT: not an article"), "{s}");
    assert!(
        !s.contains("secret.txt"),
        "hidden folders are not crawled: {s}"
    );

    for (word, title) in [
        ("zebra", "Plain headline"),
        ("yak", "Front matter title"),
        ("okapi", "Page title"),
        ("llama", "Json object"),
        ("walrus", "Line one"),
        ("tapir", "Row one, quoted"),
        ("narwhal", "Tsv row"),
        ("quokka", "Gz one"),
        ("£5m", "Pound headline"),
    ] {
        let hit = env.ok(&["query", word, "--index", "ix", "--json"], 0);
        let titles: Vec<String> = hit
            .json_lines()
            .iter()
            .map(|h| h["title"].as_str().unwrap().to_string())
            .collect();
        assert!(titles.iter().any(|t| t == title), "{word}: {titles:?}");
    }
    // Navigation and scripts are not article text.
    env.ok(&["query", "navonly", "--index", "ix"], 1);
    env.ok(&["query", "scriptonly", "--index", "ix"], 1);
    // The Latin-1 pound sign survived decoding.
    let pound = env
        .ok(&["query", "pound", "--index", "ix", "--json"], 0)
        .json_lines();
    assert!(pound[0]["body"].as_str().unwrap().contains("£5m"));
    // A multi-line CSV body is kept whole.
    let row = env
        .ok(
            &[
                "query", "tapir", "--index", "ix", "--json", "--sort", "oldest",
            ],
            0,
        )
        .json_lines();
    let bodies: Vec<&str> = row.iter().map(|h| h["body"].as_str().unwrap()).collect();
    assert!(
        bodies.contains(&"First para of tapir.\n\nSecond para."),
        "{bodies:?}"
    );
}

#[test]
fn include_and_exclude_globs() {
    let env = Env::new();
    env.write("d/politics/a.txt", "A title\n\nalpha.\n");
    env.write("d/sport/b.txt", "B title\n\nbeta.\n");
    env.write("d/politics/draft-c.txt", "C title\n\ngamma.\n");
    let r = env.ok(
        &[
            "index",
            "d",
            "--index",
            "ix",
            "--include",
            "politics/*",
            "--exclude",
            "draft-*",
        ],
        0,
    );
    assert_eq!(count(&r.stdout, "articles:", "indexed"), 1, "{}", r.stdout);
    // Excluding a file later removes it from the index.
    let r = env.ok(&["index", "d", "--index", "ix", "--exclude", "b.txt"], 0);
    assert_eq!(
        count(&r.stdout, "articles:", "in the index"),
        2,
        "{}",
        r.stdout
    );
    env.ok(&["query", "beta", "--index", "ix"], 1);
}

#[test]
fn json_summary_and_missing_root() {
    let env = Env::new();
    env.write("d/a.txt", "A title\n\nalpha.\n");
    let r = env.ok(&["index", "d", "nowhere", "--index", "ix", "--json"], 2);
    let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(v["articles_indexed"], 1);
    assert!(v["failed"][0]["path"].as_str().unwrap().contains("nowhere"));
}

#[test]
fn summary_says_where_the_time_went() {
    let env = Env::new();
    env.write(
        "d/a.txt",
        "Talks\n\nThe minister Saleem Haider said Pakistan would talk.\n",
    );
    let stages = |r: &common::Run| -> serde_json::Value {
        let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).unwrap();
        v["stages"].clone()
    };
    let first = stages(&env.ok(&["index", "d", "--index", "ix", "--json"], 0));
    for k in [
        "manifest", "crawl", "read", "parse", "extract", "add", "commit",
    ] {
        let secs = first[k].as_f64().unwrap_or(-1.0);
        assert!(secs >= 0.0, "{k}: {first}");
    }
    // A file was read, parsed and extracted: each of its stages took some time.
    for k in ["read", "parse", "extract", "add"] {
        assert!(first[k].as_f64().unwrap() > 0.0, "{k}: {first}");
    }
    // Nothing changed: no file went through any stage.
    let again = stages(&env.ok(&["index", "d", "--index", "ix", "--json"], 0));
    for k in ["read", "parse", "extract", "add"] {
        assert_eq!(again[k].as_f64(), Some(0.0), "{k}: {again}");
    }
    let text = env.ok(&["index", "d", "--index", "ix"], 0).stdout;
    assert!(text.contains("time:") && text.contains("extract"), "{text}");
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported_not_fatal() {
    let env = Env::new();
    env.write("d/a.txt", "A title\n\nalpha.\n");
    std::os::unix::fs::symlink(env.path("d"), env.path("d/loop")).unwrap();
    let r = env.ok(&["index", "d", "--index", "ix"], 2);
    assert!(r.stdout.contains("symlink loop"), "{}", r.stdout);
    assert_eq!(count(&r.stdout, "articles:", "indexed"), 1, "{}", r.stdout);
}

#[test]
fn index_from_another_schema_asks_for_rebuild() {
    // An older newsdex wrote fewer fields, or the same fields with another meaning (an older
    // schema version in the commit metadata, or none).
    type Change = fn(&mut serde_json::Value);
    let older: [(&str, Change); 3] = [
        ("a field less", |meta| {
            let fields = meta["schema"].as_array_mut().unwrap();
            fields.retain(|f| f["name"] != "speaker");
        }),
        ("schema version 1", |meta| {
            meta["payload"] = "newsdex-schema-1".into();
        }),
        ("no version", |meta| {
            meta.as_object_mut().unwrap().remove("payload");
        }),
    ];
    for (what, change) in older {
        let env = Env::new();
        env.write("d/a.txt", "A title\n\nalpha words.\n");
        env.ok(&["index", "d", "--index", "ix"], 0);
        let meta_path = env.path("ix/meta.json");
        let mut meta: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&meta_path).unwrap()).unwrap();
        assert!(meta["payload"].is_string(), "{what}: {meta}");
        change(&mut meta);
        std::fs::write(&meta_path, serde_json::to_string(&meta).unwrap()).unwrap();
        for args in [
            &["query", "alpha", "--index", "ix"][..],
            &["stats", "--index", "ix"][..],
            &["statements", "alpha", "--index", "ix"][..],
            &["related", "--text", "alpha", "--index", "ix"][..],
            &["index", "d", "--index", "ix"][..],
        ] {
            let r = env.ok(args, 2);
            assert!(r.stderr.contains("--rebuild"), "{what}: {}", r.stderr);
            assert_eq!(r.stderr.trim().lines().count(), 1, "{}", r.stderr);
        }
        let r = env.ok(&["index", "d", "--index", "ix", "--rebuild"], 0);
        assert_eq!(
            count(&r.stdout, "articles:", "in the index"),
            1,
            "{what}: {}",
            r.stdout
        );
        env.ok(&["query", "alpha", "--index", "ix"], 0);
    }
}

#[test]
fn too_large_files_are_skipped_with_the_limit_named() {
    let env = Env::new();
    env.write("d/small.txt", "Small\n\nsmall body.\n");
    env.write("d/big.txt", format!("Big\n\n{}\n", "word ".repeat(300_000)));
    let r = env.ok(&["index", "d", "--index", "ix", "--max-file-mb", "1"], 0);
    assert!(
        r.stdout.contains("big.txt: larger than the 1 MiB limit"),
        "{}",
        r.stdout
    );
    assert_eq!(count(&r.stdout, "articles:", "indexed"), 1, "{}", r.stdout);
}

/// The number of segments of the index in `dir`, and the payload of its last commit.
fn segments(dir: &std::path::Path) -> (usize, String) {
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("meta.json")).unwrap()).unwrap();
    (
        meta["segments"].as_array().unwrap().len(),
        meta["payload"].as_str().unwrap_or_default().to_string(),
    )
}

#[test]
fn merge_leaves_one_segment_and_the_same_results() {
    let env = Env::new();
    // One run per file and its copy: each commit writes a segment of its own. Later runs get
    // earlier paths, so that index order and path order differ.
    for i in 0..4u64 {
        let body = common::synthetic_body(i, 12, &format!("marker{i}"));
        let text = format!("Headline {i}\n\n{body}\n");
        env.write(&format!("news/{}a.txt", 9 - i), &text);
        env.write(&format!("news/{}b.txt", 9 - i), &text);
        env.ok(&["index", "news", "--index", "ix", "--quiet"], 0);
    }
    let ix = env.path("ix");
    let (before, payload) = segments(&ix);
    assert!(before >= 4, "{before} segments");
    // A run with nothing to do reports the segments; too few to suggest merging them.
    let r = env
        .ok(&["index", "news", "--index", "ix", "--json"], 0)
        .stdout;
    let s: serde_json::Value = serde_json::from_str(&r).unwrap();
    assert_eq!(s["segments"], before, "{r}");
    let text = env.ok(&["index", "news", "--index", "ix"], 0).stdout;
    assert!(!text.contains("--merge"), "{text}");
    let searches: [&[&str]; 3] = [
        &["query", "", "--json", "--limit", "100", "--index", "ix"],
        &["statements", "--json", "--limit", "100", "--index", "ix"],
        &["stats", "--json", "--index", "ix"],
    ];
    let outputs =
        |env: &Env| -> Vec<String> { searches.iter().map(|a| env.run(a).stdout).collect() };
    let expected = outputs(&env);
    assert!(expected[0].contains("Marker3"), "{}", expected[0]);
    // Copy groups of one size come in the order of their paths.
    let stats: serde_json::Value = serde_json::from_str(&expected[2]).unwrap();
    let firsts: Vec<&str> = stats["duplicates"]["examples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["articles"][0]["path"].as_str().unwrap())
        .collect();
    assert_eq!(firsts.len(), 3, "{}", expected[2]);
    assert!(firsts.is_sorted(), "{firsts:?}");

    let merged = env
        .ok(&["index", "news", "--index", "ix", "--merge"], 0)
        .stdout;
    assert!(
        merged.contains(&format!("merged:   {before} segments into 1")),
        "{merged}"
    );
    assert_eq!(count(&merged, "articles:", "unchanged"), 8, "{merged}");
    assert_eq!(segments(&ix), (1, payload.clone()));
    assert_eq!(outputs(&env), expected);

    // With new files, the run indexes them and then merges.
    env.write("news/4.txt", "Headline 4\n\nA fifth article, marker4.\n");
    let r = env
        .ok(&["index", "news", "--index", "ix", "--merge", "--json"], 0)
        .stdout;
    let s: serde_json::Value = serde_json::from_str(&r).unwrap();
    assert_eq!(s["articles_indexed"], 1, "{r}");
    assert_eq!(s["merged"]["before"], 2, "{r}");
    assert_eq!(s["merged"]["after"], 1, "{r}");
    assert_eq!(s["segments"], 1, "{r}");
    assert_eq!(segments(&ix), (1, payload));
    env.ok(&["query", "marker4", "--index", "ix"], 0);
}

/// A file name that is not UTF-8 is indexed under its path with U+FFFD in it (the index keeps
/// paths as text); a run with nothing changed must still know the file, not read it again.
#[cfg(unix)]
#[test]
fn a_name_that_is_not_utf8_is_unchanged_when_unchanged() {
    use std::os::unix::ffi::OsStrExt;
    let env = Env::new();
    env.write(
        "news/b.txt",
        "Other story\n\nA second article about trade.\n",
    );
    let odd = env
        .path("news")
        .join(std::ffi::OsStr::from_bytes(b"caf\xe9.txt"));
    std::fs::write(
        &odd,
        "Minister warns\n\nThe border will stay closed, he said.\n",
    )
    .unwrap();
    let first = env.ok(&["index", "news", "--index", "ix"], 0).stdout;
    assert_eq!(count(&first, "articles:", "indexed"), 2, "{first}");
    let again = env.ok(&["index", "news", "--index", "ix"], 0).stdout;
    assert_eq!(count(&again, "files:", "read"), 0, "{again}");
    assert_eq!(count(&again, "files:", "unchanged"), 2, "{again}");
    assert_eq!(count(&again, "files:", "removed"), 0, "{again}");
    let hit = env.ok(&["query", "border", "--index", "ix"], 0).stdout;
    assert!(hit.contains("caf\u{fffd}.txt"), "{hit}");
    // Gone from disk, it is removed with its article.
    std::fs::remove_file(&odd).unwrap();
    let gone = env.ok(&["index", "news", "--index", "ix"], 0).stdout;
    assert_eq!(count(&gone, "articles:", "removed"), 1, "{gone}");
    env.ok(&["query", "border", "--index", "ix"], 1);
}

/// The `purge_delay` value mimalloc reports at start-up, last one wins (`index` starts itself
/// again, and each start reports its options).
#[cfg(unix)]
fn purge_delays(env: &Env, user_value: Option<&str>) -> Vec<String> {
    let mut cmd = common::command_in(
        env.dir.path(),
        &["index", "news", "--index", "ix", "--quiet"],
    );
    cmd.env("MIMALLOC_VERBOSE", "1")
        .env_remove("MIMALLOC_PURGE_DELAY");
    if let Some(v) = user_value {
        cmd.env("MIMALLOC_PURGE_DELAY", v);
    }
    let run = common::run_command(&mut cmd);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        count(&run.stdout, "articles:", "indexed"),
        1,
        "{}",
        run.stdout
    );
    run.stderr
        .lines()
        .filter_map(|l| l.strip_prefix("mimalloc: option 'purge_delay': "))
        .map(|v| v.trim().to_string())
        .collect()
}

#[test]
#[cfg(unix)]
fn index_hands_freed_memory_back_at_once_unless_told_otherwise() {
    let env = Env::new();
    env.write(
        "news/a.txt",
        "Minister warns\n\nThe border will stay closed, he said.\n",
    );
    // mimalloc's default is 10 ms; the run that indexes must have 0.
    let default = purge_delays(&env, None);
    assert_eq!(default.last().map(String::as_str), Some("0"), "{default:?}");
    std::fs::remove_dir_all(env.path("ix")).unwrap();
    // A value the user chose is kept, and the binary does not start itself again.
    assert_eq!(purge_delays(&env, Some("7")), ["7"]);
}
