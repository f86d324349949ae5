//! When the world fails an indexing run: unreadable files and folders, a file deleted
//! mid-run, a second run on a locked index, a run killed with SIGKILL, a full disk or a
//! read-only index folder. Each must be reported clearly and never lose or corrupt what the
//! index held. Permission cases skip, saying so, when the tests run as root.

mod common;

use common::{Env, all_titles, count};
use newsdex::index::{IndexOptions, Progress, run_index};

#[cfg(unix)]
use common::{chmod, reads_anyway};

#[cfg(unix)]
#[test]
fn unreadable_file_fails_alone_and_keeps_its_indexed_version() {
    let env = Env::new();
    env.write("d/good.txt", "Good headline\n\nkiwi body.\n");
    let locked = env.write("d/locked.txt", "Locked v1\n\nfirst version body.\n");
    env.ok(&["index", "d", "--index", "ix"], 0);
    // A new version, unreadable: the run fails for this file only and keeps version 1.
    env.write(
        "d/locked.txt",
        "Locked v2, longer\n\nsecond version body.\n",
    );
    chmod(&locked, 0o000);
    if reads_anyway(&locked) {
        chmod(&locked, 0o644);
        return;
    }
    let r = env.ok(&["index", "d", "--index", "ix"], 2);
    chmod(&locked, 0o644);
    let s = &r.stdout;
    assert!(s.contains("locked.txt: Permission denied"), "{s}");
    assert_eq!(count(s, "files:", "failed"), 1, "{s}");
    assert_eq!(all_titles(&env, "ix"), ["Good headline", "Locked v1"]);
    // Readable again: the next run takes version 2.
    env.ok(&["index", "d", "--index", "ix"], 0);
    assert_eq!(
        all_titles(&env, "ix"),
        ["Good headline", "Locked v2, longer"]
    );
}

/// Regression: a folder that could no longer be searched counted as deleted (`Path::exists`
/// is false on "permission denied"), so its articles were dropped from the index.
#[cfg(unix)]
#[test]
fn unreadable_folder_keeps_its_articles() {
    let env = Env::new();
    env.write("d/top.txt", "Top headline\n\ntop body.\n");
    env.write("d/sub/inner.txt", "Inner headline\n\ninner body.\n");
    env.ok(&["index", "d", "--index", "ix"], 0);
    let sub = env.path("d/sub");
    chmod(&sub, 0o000);
    if reads_anyway(&sub) {
        chmod(&sub, 0o755);
        return;
    }
    let r = env.ok(&["index", "d", "--index", "ix"], 2);
    chmod(&sub, 0o755);
    assert!(r.stdout.contains("sub: Permission denied"), "{}", r.stdout);
    assert_eq!(count(&r.stdout, "files:", "removed"), 0, "{}", r.stdout);
    assert_eq!(all_titles(&env, "ix"), ["Inner headline", "Top headline"]);
}

/// A `Progress` whose start (after the crawl, before any file is read) deletes files: the
/// deterministic way to have files vanish between crawl and read.
struct DeleteOnStart(Vec<std::path::PathBuf>);

impl Progress for DeleteOnStart {
    fn start(&self, _files: u64, _bytes: u64) {
        for p in &self.0 {
            std::fs::remove_file(p).unwrap();
        }
    }
}

#[test]
fn file_deleted_between_crawl_and_read_is_skipped_and_dropped() {
    let env = Env::new();
    env.write("d/keep.txt", "Keep headline\n\nkeep body.\n");
    env.write("d/old.txt", "Old headline\n\nold body.\n");
    let opts = IndexOptions {
        crawl: newsdex::crawl::CrawlOptions {
            roots: vec![env.path("d")],
            ..Default::default()
        },
        index_dir: env.path("ix"),
        threads: 1,
        ..Default::default()
    };
    let first = run_index(&opts, &DeleteOnStart(Vec::new())).unwrap();
    assert_eq!(first.articles_total, 2);

    // old.txt changes (so it is to be re-read) and new.txt appears; both vanish mid-run.
    let old = env.write("d/old.txt", "Old headline, rewritten\n\nold body again.\n");
    let new = env.write("d/new.txt", "New headline\n\nnew body.\n");
    let s = run_index(&opts, &DeleteOnStart(vec![old, new])).unwrap();
    assert!(s.failed.is_empty(), "{:?}", s.failed);
    let mut gone: Vec<(&str, &str)> = s
        .skipped
        .iter()
        .map(|p| (p.path.rsplit('/').next().unwrap(), p.reason.as_str()))
        .collect();
    gone.sort();
    assert_eq!(
        gone,
        [
            ("new.txt", "deleted before it could be read"),
            ("old.txt", "deleted before it could be read"),
        ]
    );
    // The deleted file's indexed version goes, as it would on the next run.
    assert_eq!((s.files_removed, s.articles_removed), (1, 1));
    assert_eq!(s.articles_total, 1);
    assert_eq!(all_titles(&env, "ix"), ["Keep headline"]);

    let again = run_index(&opts, &DeleteOnStart(Vec::new())).unwrap();
    assert_eq!((again.files_unchanged, again.files_removed), (1, 0));
    assert!(again.skipped.is_empty() && again.failed.is_empty());
}

#[test]
fn second_run_on_a_locked_index_stops_and_leaves_the_first_alone() {
    let env = Env::new();
    env.write("d/a.txt", "Alpha headline\n\nalpha body.\n");
    env.ok(&["index", "d", "--index", "ix"], 0);
    env.write("d/b.txt", "Beta headline\n\nbeta body.\n");

    // The "first run": this process holds the index writer, as a running `index` does.
    let (index, _) = newsdex::index::open_index(&env.path("ix"), false).unwrap();
    let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 20_000_000).unwrap();

    let r = env.ok(&["index", "d", "--index", "ix"], 2);
    assert!(
        r.stderr
            .contains("is locked by another newsdex run; wait for it to finish"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.trim().lines().count(), 1, "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    // Searching is not blocked by a writer.
    assert_eq!(all_titles(&env, "ix"), ["Alpha headline"]);
    // The first run goes on and commits as if nothing happened (as newsdex commits: with its
    // schema version).
    let mut commit = writer.prepare_commit().unwrap();
    commit.set_payload(newsdex::index::schema::SCHEMA_VERSION);
    commit.commit().unwrap();
    drop(writer);
    assert_eq!(all_titles(&env, "ix"), ["Alpha headline"]);

    let r = env.ok(&["index", "d", "--index", "ix"], 0);
    assert_eq!(count(&r.stdout, "articles:", "indexed"), 1, "{}", r.stdout);
    assert_eq!(all_titles(&env, "ix"), ["Alpha headline", "Beta headline"]);
}

/// Segment files (`<32 hex digits>.<ext>`) in the index folder.
fn segment_files(dir: &std::path::Path) -> std::collections::BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.split_once('.').is_some_and(|(stem, _)| stem.len() == 32))
        .collect()
}

/// Writes `n` generated articles with many distinct words, so that tantivy's small indexing
/// budget fills and segments are written to disk long before the run's one commit.
fn generate(env: &Env, folder: &str, n: usize) {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for i in 0..n {
        let mut body = String::with_capacity(6000);
        for _ in 0..800 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            body.push_str(&format!("w{:x} ", x % 2_000_000));
        }
        env.write(
            &format!("{folder}/{:02}/g{i:05}.txt", i % 50),
            format!("Generated {i}\n\n{body}\n"),
        );
    }
}

/// An index of `d/` holding one article, "Alpha headline", then `n` generated files added to
/// `d/gen/`: the environment and the committed `meta.json`.
fn committed_then_grown(n: usize) -> (Env, Vec<u8>) {
    let env = Env::new();
    env.write("d/a.txt", "Alpha headline\n\nalpha body.\n");
    env.ok(&["index", "d", "--index", "ix"], 0);
    let meta = std::fs::read(env.path("ix/meta.json")).unwrap();
    generate(&env, "d/gen", n);
    (env, meta)
}

#[cfg(unix)]
#[test]
fn run_killed_mid_way_leaves_the_last_commit_and_the_next_run_completes_it() {
    use std::os::unix::process::ExitStatusExt;

    let (env, meta_before) = committed_then_grown(1500);
    let segments_before = segment_files(&env.path("ix"));

    let args = [
        "index",
        "d",
        "--index",
        "ix",
        "--quiet",
        "--threads",
        "1",
        "--memory-mb",
        "16",
        "--no-extract",
    ];
    let mut child = common::command_in(env.dir.path(), &args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Mid-way means: segments of this run are on disk, and it has not committed them.
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if segment_files(&env.path("ix")) != segments_before {
            child.kill().unwrap();
            break child.wait().unwrap();
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    };
    assert_eq!(
        status.signal(),
        Some(9),
        "the run ended ({status}) before it wrote a segment: the generated corpus is too small"
    );
    assert_eq!(
        std::fs::read(env.path("ix/meta.json")).unwrap(),
        meta_before,
        "the killed run committed"
    );

    // Queries see the last commit, whole.
    assert_eq!(all_titles(&env, "ix"), ["Alpha headline"]);
    // The next run is not locked out, and indexes everything the killed run did not commit.
    let r = env.ok(&args, 0);
    assert_eq!(count(&r.stdout, "files:", "read"), 1500, "{}", r.stdout);
    assert_eq!(count(&r.stdout, "files:", "unchanged"), 1, "{}", r.stdout);
    assert_eq!(
        count(&r.stdout, "articles:", "in the index"),
        1501,
        "{}",
        r.stdout
    );
    let hits = env
        .ok(
            &[
                "query",
                "title:generated",
                "--index",
                "ix",
                "--json",
                "--limit",
                "5000",
            ],
            0,
        )
        .json_lines();
    assert_eq!(hits.len(), 1500);
}

/// Runs newsdex under a file size limit (`ulimit -f`, in 512-byte blocks for `sh`), with
/// SIGXFSZ ignored so a write past it fails with EFBIG as on a full disk. Works for root too.
#[cfg(unix)]
fn run_with_file_size_limit(env: &Env, blocks: u32, args: &[&str]) -> common::Run {
    common::run_command(
        std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "trap '' XFSZ; ulimit -f {blocks}; exec \"$0\" \"$@\""
            ))
            .arg(env!("CARGO_BIN_EXE_newsdex"))
            .args(args)
            .current_dir(env.dir.path()),
    )
}

/// A run that failed to write: exit 2, one line of error saying each of `says`, and the index's
/// last commit as it was.
#[cfg(unix)]
fn failed_leaving_the_index(env: &Env, r: &common::Run, says: &[&str], meta_before: &[u8]) {
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
    for s in says {
        assert!(r.stderr.contains(s), "{s:?} not in {}", r.stderr);
    }
    assert_eq!(r.stderr.trim().lines().count(), 1, "{}", r.stderr);
    assert_eq!(
        std::fs::read(env.path("ix/meta.json")).unwrap(),
        meta_before
    );
}

#[cfg(unix)]
#[test]
fn full_disk_is_a_clear_error_and_the_previous_index_stays() {
    let (env, meta_before) = committed_then_grown(60);

    // 64 KiB per file: meta.json fits, this run's segment files do not.
    let r = run_with_file_size_limit(&env, 128, &["index", "d", "--index", "ix", "--quiet"]);
    failed_leaving_the_index(
        &env,
        &r,
        &[
            "cannot write the index at ix: File too large",
            "nothing was committed",
        ],
        &meta_before,
    );
    assert_eq!(all_titles(&env, "ix"), ["Alpha headline"]);

    // With room again, the same run completes.
    let r = env.ok(&["index", "d", "--index", "ix"], 0);
    assert_eq!(
        count(&r.stdout, "articles:", "in the index"),
        61,
        "{}",
        r.stdout
    );
}

#[cfg(unix)]
#[test]
fn read_only_index_folder_is_a_clear_error_and_the_index_stays() {
    let env = Env::new();
    env.write("d/a.txt", "Alpha headline\n\nalpha body.\n");
    env.ok(&["index", "d", "--index", "ix"], 0);
    env.write("d/b.txt", "Beta headline\n\nbeta body.\n");
    let ix = env.path("ix");
    chmod(&ix, 0o555);
    if std::fs::write(ix.join("probe"), "").is_ok() {
        eprintln!(
            "skipping the read-only folder check: this process writes into a 0555 folder (root?); the file size limit test covers failed writes"
        );
        chmod(&ix, 0o755);
        return;
    }
    let r = env.ok(&["index", "d", "--index", "ix"], 2);
    chmod(&ix, 0o755);
    assert!(
        r.stderr.contains("cannot write the index at ix") && r.stderr.contains("Permission denied"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.trim().lines().count(), 1, "{}", r.stderr);
    assert_eq!(all_titles(&env, "ix"), ["Alpha headline"]);
    env.ok(&["index", "d", "--index", "ix"], 0);
    assert_eq!(all_titles(&env, "ix"), ["Alpha headline", "Beta headline"]);
}

#[cfg(unix)]
#[test]
fn a_merge_that_cannot_write_says_so_and_the_index_stays_whole() {
    let env = Env::new();
    // Four runs, four segments, each small enough for the limit below.
    for batch in 0..4 {
        generate(&env, &format!("d/b{batch}"), 8);
        env.ok(&["index", "d", "--index", "ix", "--quiet"], 0);
    }
    let meta_before = std::fs::read(env.path("ix/meta.json")).unwrap();

    // 64 KiB per file: the merged segment's files do not fit.
    let r = run_with_file_size_limit(
        &env,
        128,
        &["index", "d", "--index", "ix", "--quiet", "--merge"],
    );
    failed_leaving_the_index(
        &env,
        &r,
        &[
            "cannot merge the index at ix: File too large",
            "committed and the index is whole",
        ],
        &meta_before,
    );
    assert_eq!(all_titles(&env, "ix").len(), 32);

    // With room again, the merge goes through.
    let r = env.ok(&["index", "d", "--index", "ix", "--merge"], 0);
    assert!(
        r.stdout.contains("merged:   4 segments into 1"),
        "{}",
        r.stdout
    );
    assert_eq!(all_titles(&env, "ix").len(), 32);
}
