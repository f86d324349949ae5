//! Property tests of the indexer, through the library: indexing the same corpus twice gives the
//! same documents, and incremental indexing after any sequence of adds, modifications and
//! deletes gives the same documents as a rebuild. "The same" covers every stored field of
//! articles and statements: id, path, location, title, body, date, countries, actors, and each
//! statement's speaker, role, cue, text and span.
//!
//! Case counts are small (the whole file runs in well under a minute in release mode); raise
//! them with PROPTEST_CASES=500 for a longer search.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use newsdex::crawl::CrawlOptions;
use newsdex::index::writer::NoProgress;
use newsdex::index::{IndexOptions, Summary, run_index};
use newsdex::search::{QueryOptions, Sort, search, search_statements};
use proptest::prelude::*;

/// Sentences the generated articles are made of: names, roles, countries, dates and quotes,
/// so that extraction has something to find.
const SENTENCES: &[&str] = &[
    "Defence Minister Saleem Haider said Pakistan would keep the Torkham crossing open.",
    "The Taliban spokesman Abdul Wahid Sarwari denied the accusation on Monday.",
    "\"We want the gate open, but we also want it to be a gate,\" Haider said.",
    "Trade between Afghanistan and Pakistan fell by a third in March 2025.",
    "Officials in Kabul said talks would resume in Istanbul on 3 April.",
    "India and China agreed to new patrols in Ladakh, according to the ministry.",
    "Truck drivers waited for days at the border near Chaman.",
    "Foreign Office spokeswoman Rabia Anwar urged calm.",
];

/// One generated file: its name picks the format.
#[derive(Debug, Clone)]
struct Doc {
    name: String,
    /// Sentence indexes of each article (one for txt/md, several for jsonl/csv).
    articles: Vec<Vec<usize>>,
    /// A word that makes the file's text unique.
    tag: u32,
}

fn body(sentences: &[usize], tag: u32) -> String {
    let mut b: Vec<&str> = sentences.iter().map(|&i| SENTENCES[i]).collect();
    let t = format!("Marker{tag}.");
    b.push(&t);
    b.join(" ")
}

impl Doc {
    fn contents(&self) -> String {
        let title = |i: usize| format!("Headline {} number {i}", self.tag);
        let ext = self.name.rsplit('.').next().unwrap_or("");
        match ext {
            "txt" => format!("{}\n\n{}\n", title(0), body(&self.articles[0], self.tag)),
            "md" => format!(
                "---\ntitle: {}\ndate: 2025-0{}-1{}\n---\n\n{}\n",
                title(0),
                1 + self.tag % 9,
                self.tag % 10,
                body(&self.articles[0], self.tag)
            ),
            "jsonl" => self
                .articles
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    serde_json::json!({"title": title(i), "body": body(a, self.tag)}).to_string()
                        + "\n"
                })
                .collect(),
            _ => {
                let mut w = csv::Writer::from_writer(Vec::new());
                w.write_record(["title", "date", "body"]).unwrap();
                for (i, a) in self.articles.iter().enumerate() {
                    let date = format!("2026-01-{:02}", 1 + i);
                    w.write_record([title(i), date, body(a, self.tag)]).unwrap();
                }
                String::from_utf8(w.into_inner().unwrap()).unwrap()
            }
        }
    }
}

fn doc_strategy() -> impl Strategy<Value = Doc> {
    let name = (
        0u8..6,
        prop::sample::select(vec!["txt", "md", "jsonl", "csv"]),
    )
        .prop_map(|(n, ext)| format!("f{n}.{ext}"));
    let article = prop::collection::vec(0..SENTENCES.len(), 1..4);
    (name, prop::collection::vec(article, 1..4), 0u32..1000).prop_map(
        |(name, mut articles, tag)| {
            if name.ends_with(".txt") || name.ends_with(".md") {
                articles.truncate(1);
            }
            Doc {
                name,
                articles,
                tag,
            }
        },
    )
}

/// A change to the corpus folder. Writing an existing name modifies it.
#[derive(Debug, Clone)]
enum Op {
    Write(Doc),
    Delete(u8),
}

fn op_strategy() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => doc_strategy().prop_map(Op::Write),
        1 => (0u8..6).prop_map(Op::Delete),
    ]
}

/// A corpus folder whose files get increasing modification times, one second apart, so that
/// every write is seen as a change whatever the file system's timestamp resolution.
struct Corpus {
    dir: PathBuf,
    clock: SystemTime,
}

impl Corpus {
    fn new(dir: PathBuf) -> Self {
        std::fs::create_dir_all(&dir).unwrap();
        Corpus {
            dir,
            clock: SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        }
    }

    fn apply(&mut self, op: &Op) {
        match op {
            Op::Write(d) => {
                // A name holds one format at a time: f1.txt replaces f1.csv.
                self.delete(d.name.split('.').next().unwrap_or(""));
                let p = self.dir.join(&d.name);
                std::fs::write(&p, d.contents()).unwrap();
                self.clock += Duration::from_secs(1);
                let f = std::fs::File::options().write(true).open(&p).unwrap();
                f.set_modified(self.clock).unwrap();
            }
            Op::Delete(n) => self.delete(&format!("f{n}")),
        }
    }

    fn delete(&self, stem: &str) {
        for e in std::fs::read_dir(&self.dir).unwrap().flatten() {
            if e.file_name().to_string_lossy().split('.').next() == Some(stem) {
                std::fs::remove_file(e.path()).unwrap();
            }
        }
    }
}

fn index(corpus: &Path, ix: &Path, threads: usize, rebuild: bool) -> Summary {
    let opts = IndexOptions {
        crawl: CrawlOptions {
            roots: vec![corpus.to_path_buf()],
            ..Default::default()
        },
        index_dir: ix.to_path_buf(),
        threads,
        memory_mb: 16 * threads,
        rebuild,
        ..Default::default()
    };
    let s = run_index(&opts, &NoProgress).unwrap();
    assert!(s.failed.is_empty(), "{:?}", s.failed);
    s
}

/// Everything the index holds about articles and statements, in id order.
fn snapshot(ix: &Path) -> (Vec<String>, Vec<String>) {
    let opts = QueryOptions {
        index_dir: ix.to_path_buf(),
        limit: 1_000_000,
        sort: Sort::Oldest,
        // Every document, copies too: the invariants are about what is stored.
        collapse: false,
        ..Default::default()
    };
    let mut articles: Vec<String> = search(&opts)
        .unwrap()
        .hits
        .into_iter()
        .map(|c| {
            let h = c.hit;
            format!(
                "{} {} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
                h.id,
                h.path,
                h.location,
                h.title,
                h.body,
                h.date,
                h.date_source,
                h.countries,
                h.actors
            )
        })
        .collect();
    articles.sort();
    let mut statements: Vec<String> = search_statements(&opts)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| {
            format!(
                "{} {} {:?} {:?} {:?} {} {} {:?} {:?}",
                h.id, h.article_id, h.speaker, h.role, h.countries, h.cue, h.kind, h.text, h.span
            )
        })
        .collect();
    statements.sort();
    (articles, statements)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 16,
        // Shrinking re-runs the indexer many times; a failing case is small already.
        max_shrink_iters: 64,
        ..ProptestConfig::default()
    })]

    #[test]
    fn indexing_the_same_corpus_twice_gives_the_same_documents(
        docs in prop::collection::vec(doc_strategy(), 1..8)
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let mut corpus = Corpus::new(tmp.path().join("corpus"));
        for d in docs {
            corpus.apply(&Op::Write(d));
        }
        // Different thread counts: the documents may not depend on scheduling.
        let one = index(&corpus.dir, &tmp.path().join("ix1"), 1, false);
        let two = index(&corpus.dir, &tmp.path().join("ix2"), 2, false);
        prop_assert_eq!(one.articles_total, two.articles_total);
        let (a, b) = (snapshot(&tmp.path().join("ix1")), snapshot(&tmp.path().join("ix2")));
        prop_assert_eq!(a.0.len() as u64, one.articles_total);
        prop_assert_eq!(a, b);
    }

}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 32,
        max_shrink_iters: 64,
        ..ProptestConfig::default()
    })]

    #[test]
    fn incremental_indexing_equals_a_rebuild(
        start in prop::collection::vec(doc_strategy(), 0..6),
        steps in prop::collection::vec(prop::collection::vec(op_strategy(), 1..4), 1..5),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let mut corpus = Corpus::new(tmp.path().join("corpus"));
        let ix = tmp.path().join("ix");
        for d in start {
            corpus.apply(&Op::Write(d));
        }
        index(&corpus.dir, &ix, 1, false);
        for ops in &steps {
            for op in ops {
                corpus.apply(op);
            }
            index(&corpus.dir, &ix, 1, false);
        }
        let fresh = tmp.path().join("fresh");
        let rebuilt = index(&corpus.dir, &fresh, 1, true);
        prop_assert_eq!(snapshot(&ix), snapshot(&fresh));
        // The incremental index's file records agree too: a run now reads and removes nothing.
        let again = index(&corpus.dir, &ix, 1, false);
        prop_assert_eq!((again.files_read, again.files_removed), (0, 0));
        prop_assert_eq!(again.files_unchanged, rebuilt.files_seen);
        prop_assert_eq!(again.articles_total, rebuilt.articles_total);
    }
}
