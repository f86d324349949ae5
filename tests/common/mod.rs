//! Test harness: a temp dir, the built binary, and its output. Tests never touch the repo's
//! `index/`; every index lives in a temp dir.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root (where `corpus/` lives).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A finished run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Stdout parsed as JSON lines.
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
            .collect()
    }
}

/// A temp dir to run the binary in.
pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Self {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file (creating folders).
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// Runs newsdex with `args` in the temp dir.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.dir.path(), args)
    }

    /// Runs newsdex and asserts the exit code.
    pub fn ok(&self, args: &[&str], code: i32) -> Run {
        let r = self.run(args);
        assert_eq!(
            r.code, code,
            "newsdex {args:?} exited {}\nstdout:\n{}\nstderr:\n{}",
            r.code, r.stdout, r.stderr
        );
        r
    }

    /// Indexes the repository's corpus/ into `<tmp>/ix`.
    pub fn index_corpus(&self) -> Run {
        let corpus = repo().join("corpus");
        self.ok(
            &[
                "index",
                corpus.to_str().unwrap(),
                "--index",
                "ix",
                "--quiet",
            ],
            0,
        )
    }
}

/// The newsdex command with `args`, to run in `dir` (for a test that also sets its environment).
pub fn command_in(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsdex"));
    cmd.args(args).current_dir(dir);
    cmd
}

/// Runs newsdex in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    run_command(&mut command_in(dir, args))
}

/// Runs a command to its end and collects its output.
pub fn run_command(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("run newsdex");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Gzip-compresses bytes.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// The shared data folder (`../shared`), present in CI and on developer machines but not in a
/// fresh clone: tests that need it return early, saying so.
pub fn shared() -> Option<PathBuf> {
    let p = repo().join("../shared");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("../shared not found: skipping the checks that need it");
        None
    }
}

/// The seed article's file in ../shared/seed/, when ../shared exists.
pub fn seed_file() -> Option<PathBuf> {
    let dir = shared()?.join("seed");
    let file = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .next()
        .unwrap_or_else(|| panic!("no file in {}", dir.display()))
        .path();
    Some(file)
}

/// A value in the line of the summary that starts with `label`, e.g. `count(s, "articles:", "indexed")`.
pub fn count(summary: &str, label: &str, what: &str) -> u64 {
    let line = summary
        .lines()
        .find(|l| l.trim_start().starts_with(label))
        .unwrap_or_else(|| panic!("no '{label}' line in:\n{summary}"));
    let words: Vec<&str> = line.split([',', ';', ':']).collect();
    for part in words {
        let part = part.trim();
        if let Some(Ok(n)) = part.strip_suffix(what).map(|n| n.trim().parse()) {
            return n;
        }
    }
    panic!("no '{what}' count in line: {line}")
}

/// Deterministic made-up article text: `sentences` sentences of common words, each sentence
/// ending in a full stop, with `marker` in the first one so a query can find it.
pub fn synthetic_body(seed: u64, sentences: usize, marker: &str) -> String {
    const WORDS: &[&str] = &[
        "the",
        "council",
        "said",
        "on",
        "monday",
        "that",
        "new",
        "plans",
        "for",
        "river",
        "bridge",
        "would",
        "be",
        "delayed",
        "until",
        "spring",
        "after",
        "engineers",
        "found",
        "cracks",
        "in",
        "old",
        "stone",
        "pillars",
        "residents",
        "asked",
        "why",
        "repairs",
        "took",
        "so",
        "long",
        "while",
        "traders",
        "near",
        "market",
        "reported",
        "fewer",
        "visitors",
        "since",
        "closure",
        "began",
        "a",
        "spokesman",
        "added",
        "costs",
        "had",
        "risen",
        "sharply",
        "because",
        "steel",
        "prices",
        "climbed",
        "this",
        "year",
        "local",
        "schools",
        "changed",
        "bus",
        "routes",
        "and",
        "parents",
        "complained",
        "about",
        "longer",
        "journeys",
        "mayor",
        "promised",
        "weekly",
        "updates",
        "committee",
        "will",
        "meet",
        "again",
        "next",
        "month",
        "to",
        "review",
        "budget",
        "options",
        "including",
        "temporary",
        "ferry",
        "service",
        "volunteers",
        "cleared",
        "debris",
        "from",
        "banks",
    ];
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut out = Vec::new();
    for s in 0..sentences {
        let mut words = Vec::new();
        if s == 0 {
            words.push(marker.to_string());
        }
        let n = 8 + (x >> 60) as usize % 7;
        for _ in 0..n {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            words.push(WORDS[(x >> 11) as usize % WORDS.len()].to_string());
        }
        let mut sentence = words.join(" ");
        sentence[..1].make_ascii_uppercase();
        out.push(format!("{sentence}."));
    }
    out.join(" ")
}

/// A folder of copies for the duplicate tests, under `dir` in `env`: `orig.txt`; `copy.txt`,
/// the same bytes; `sub/retitled.txt`, the same body under another headline, re-wrapped and
/// in capitals; `edited.txt`, the body with one sentence rewritten; `other.txt`, another
/// story. All five contain the word `quokka`.
pub fn write_copies(env: &Env, dir: &str) {
    let body = synthetic_body(7, 24, "Quokka");
    let orig = format!("Bridge repairs delayed\n\n{body}\n");
    env.write(&format!("{dir}/orig.txt"), &orig);
    env.write(&format!("{dir}/copy.txt"), &orig);
    let rewrapped = body.replace(". ", ".\n\n").to_uppercase();
    env.write(
        &format!("{dir}/sub/retitled.txt"),
        format!("Council delays bridge work\n\n{rewrapped}\n"),
    );
    let mut sentences: Vec<&str> = body.split(". ").collect();
    sentences[10] = "A spokesman for the engineers declined to comment on the report";
    env.write(
        &format!("{dir}/edited.txt"),
        format!("Bridge repairs delayed again\n\n{}\n", sentences.join(". ")),
    );
    env.write(
        &format!("{dir}/other.txt"),
        format!(
            "Ferry service starts\n\n{}\n",
            synthetic_body(99, 24, "Quokka")
        ),
    );
}

/// Whether this process can read `path` even though its mode denies it (root, or a capability
/// such as CAP_DAC_OVERRIDE): permission cases cannot be built then, and tests skip them.
pub fn reads_anyway(path: &Path) -> bool {
    let denied = if path.is_dir() {
        std::fs::read_dir(path).is_err()
    } else {
        std::fs::File::open(path).is_err()
    };
    if !denied {
        eprintln!(
            "skipping a permission check: this process reads {} despite mode 000 (running as root?)",
            path.display()
        );
    }
    !denied
}

/// Sets the Unix permission bits of `path`.
#[cfg(unix)]
pub fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Every article in the index as JSON (an empty query lists them all).
pub fn all_articles(env: &Env, index: &str) -> Vec<serde_json::Value> {
    let r = env.run(&[
        "query",
        "",
        "--index",
        index,
        "--json",
        "--limit",
        "1000000",
        "--no-collapse",
    ]);
    assert!(r.code == 0 || r.code == 1, "query failed: {}", r.stderr);
    r.json_lines()
}

/// The titles of every article in the index, sorted.
pub fn all_titles(env: &Env, index: &str) -> Vec<String> {
    let mut t: Vec<String> = all_articles(env, index)
        .iter()
        .map(|h| h["title"].as_str().unwrap_or_default().to_string())
        .collect();
    t.sort();
    t
}
