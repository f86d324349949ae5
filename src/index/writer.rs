//! Indexing: crawl the roots, decide per file whether it is new, changed, unchanged or gone,
//! then parse + extract the files to read in parallel (rayon) and feed one tantivy `IndexWriter`,
//! whose bounded queue and memory budget keep memory flat whatever the corpus size. One commit at
//! the end makes the run atomic: a run that dies leaves the previous index as it was.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use rustc_hash::FxHashMap;
use serde::Serialize;
use tantivy::directory::error::LockError;
use tantivy::index::SegmentId;
use tantivy::indexer::{LogMergePolicy, NoMergePolicy, UserOperation};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, Searcher, TantivyDocument, TantivyError, Term};

use super::copies::CopyTable;
use super::inflight::{self, Gate, Tracked};
use super::lsa;
use super::readahead;
use super::schema::{self, Fields, KIND_ARTICLE, KIND_FILE, KIND_STATEMENT, open_index};
use crate::article::{Article, DateSource};
use crate::crawl::{CrawlOptions, FileEntry, FileList, Filter, crawl};
use crate::dedup;
use crate::error::{Error, Result};
use crate::extract::{self, Extracted, dates::DateValue};
use crate::parse::{FileError, parse_bytes};

/// tantivy's default indexing memory, in MiB. On top of it come the documents waiting for
/// tantivy's indexing thread, bounded by [`inflight::DEFAULT_BYTES`] of article text: 160 MiB
/// gives 2 segments at 100,000 articles of the scaled corpus and peaks at about 240 MB there,
/// 250 MB at 200,000 and 280 MB at 1,000,000 (with the binary's prompt purge; 250, 270 and
/// 363–392 MB without it). What grows is per file (heaptrack, at the peak): the file list 34
/// bytes a file and the plan 4; the rest of the difference in RSS is which of the segment
/// flushes peaks highest. Before the queue was bounded, it held up to 10,000 batches while
/// tantivy wrote a segment: 350 and 340–390 MB.
pub const DEFAULT_MEMORY_MB: usize = 160;

/// What `run_index` should do.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// What to crawl.
    pub crawl: CrawlOptions,
    /// Where the index lives.
    pub index_dir: PathBuf,
    /// Threads for parsing/extraction and for tantivy's indexing.
    pub threads: usize,
    /// tantivy's indexing memory budget, in MiB (at least 16 per thread).
    pub memory_mb: usize,
    /// Start from an empty index.
    pub rebuild: bool,
    /// Files larger than this (after decompression) are skipped.
    pub max_file_bytes: u64,
    /// Use the file's modification time as publication date when nothing else gives one.
    pub mtime_dates: bool,
    /// Skip actor/country/statement extraction (dates are still resolved): plain full-text
    /// indexing, for speed or to measure what extraction costs.
    pub no_extract: bool,
    /// After the run, merge the segments into as few as [`MERGED_DOCS_MAX`] allows.
    pub merge: bool,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            crawl: CrawlOptions::default(),
            index_dir: PathBuf::from("index"),
            threads: std::thread::available_parallelism().map_or(2, |n| n.get().min(8)),
            memory_mb: DEFAULT_MEMORY_MB,
            rebuild: false,
            max_file_bytes: 64 << 20,
            mtime_dates: false,
            no_extract: false,
            merge: false,
        }
    }
}

/// Why a file whose articles are all blank is skipped.
pub const NO_ARTICLE: &str = "no article: the file has no text";

/// Progress callbacks, so the library never draws on a terminal itself.
pub trait Progress: Sync {
    /// The files to read are known.
    fn start(&self, _files: u64, _bytes: u64) {}
    /// One file was read and indexed.
    fn advance(&self, _bytes: u64, _articles: u64) {}
    /// Reading is over; committing.
    fn finish(&self) {}
}

/// A `Progress` that shows nothing.
pub struct NoProgress;
impl Progress for NoProgress {}

/// A file that was skipped, failed, or indexed with a warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileProblem {
    /// The file.
    pub path: String,
    /// Why, in one line.
    pub reason: String,
}

/// What an indexing run did.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    /// The index folder.
    pub index_dir: String,
    /// Candidate article files the crawl found.
    pub files_seen: u64,
    /// Files read this run (new or changed).
    pub files_read: u64,
    /// Files left as they were in the index.
    pub files_unchanged: u64,
    /// Files gone from disk (or now excluded) whose articles were removed.
    pub files_removed: u64,
    /// Articles from new files.
    pub articles_indexed: u64,
    /// Articles from changed files (replacing their previous version).
    pub articles_updated: u64,
    /// Articles removed with their files.
    pub articles_removed: u64,
    /// Articles of unchanged files.
    pub articles_unchanged: u64,
    /// Articles the index holds after the run.
    pub articles_total: u64,
    /// Bytes read.
    pub bytes_read: u64,
    /// Wall time.
    pub elapsed_secs: f64,
    /// Files left out: unsupported type, excluded, binary, empty, too large.
    pub skipped: Vec<FileProblem>,
    /// Files that could not be read or parsed; their previous version, if any, is kept.
    pub failed: Vec<FileProblem>,
    /// Files indexed with a problem (a broken line, a re-decoded byte).
    pub warnings: Vec<FileProblem>,
    /// Where the time went.
    pub stages: Stages,
    /// What `--merge` did, when asked.
    pub merged: Option<Merged>,
    /// Segments the index is in after the run: every search visits each of them.
    pub segments: usize,
}

/// Segments from which an index is worth merging (`index --merge`): a bulk run writes one each
/// time the indexing memory fills, and past this many the per-segment work of every search
/// shows (on a million scaled articles, 20 segments: `query election` 20 ms, merged into 4:
/// 13 ms). tantivy's own merges stop at small segments (see `MAX_DOCS_MERGED`).
pub const MANY_SEGMENTS: usize = 8;

impl Summary {
    /// Whether the run left enough segments that `--merge` would make searches faster (a run
    /// that merged left as few as it could).
    pub fn merge_would_help(&self) -> bool {
        self.merged.is_none() && self.segments >= MANY_SEGMENTS
    }
}

/// Where an indexing run spent its time, in seconds. The per-file stages are summed over the
/// worker threads (two busy workers add two seconds a second); tantivy's own indexing threads
/// run beside them and finish during `commit`.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct Stages {
    /// Reading the index's file list (wall).
    pub manifest: f64,
    /// Walking the folders (wall).
    pub crawl: f64,
    /// Reading files (workers).
    pub read: f64,
    /// Decoding and parsing them into articles, dates resolved (workers).
    pub parse: f64,
    /// Extracting countries, actors and statements (workers).
    pub extract: f64,
    /// Building the documents and handing them to tantivy (workers).
    pub add: f64,
    /// Waiting for tantivy to index what it was handed, writing segments, committing, merging
    /// (wall).
    pub commit: f64,
    /// Finding the archive's sections for `related` (wall).
    pub sections: f64,
    /// Finding which articles have copies, for searches (wall).
    pub copies: f64,
    /// Merging segments, when asked (wall).
    pub merge: f64,
}

/// What `--merge` did: the index's segments before and after.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Merged {
    /// Segments before.
    pub before: usize,
    /// Segments after.
    pub after: usize,
}

/// Per-stage nanoseconds, added to by the workers.
#[derive(Default)]
struct StageClock {
    /// The workers' reads, which tell whether to read ahead of them.
    reads: readahead::ReadStats,
    read: AtomicU64,
    parse: AtomicU64,
    extract: AtomicU64,
    add: AtomicU64,
}

impl StageClock {
    /// Adds the time since `*since` to `stage` and restarts `since`.
    fn lap(stage: &AtomicU64, since: &mut Instant) {
        let now = Instant::now();
        let ns = u64::try_from(now.duration_since(*since).as_nanos()).unwrap_or(u64::MAX);
        stage.fetch_add(ns, Ordering::Relaxed);
        *since = now;
    }
}

fn secs(ns: &AtomicU64) -> f64 {
    ns.load(Ordering::Relaxed) as f64 / 1e9
}

/// A file as the index last saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileState {
    size: u64,
    mtime_ns: u64,
    articles: u64,
}

/// What a worker counts of the files it indexed.
#[derive(Default)]
struct Tally {
    files: u64,
    bytes: u64,
    indexed: u64,
    updated: u64,
}

/// A file's result that the summary lists, with the file's place in the plan.
type Listed = (usize, Result<Outcome, TantivyError>);

enum Outcome {
    Indexed {
        articles: u64,
        warnings: Vec<String>,
    },
    /// Recorded in the index (so not re-read) yet without articles.
    Empty(String),
    Skipped(String),
    Failed(String),
    /// Deleted between the crawl and the read: not an error of the input, and its previous
    /// version (if any) is dropped, as the next run would.
    Gone,
}

/// Reads every file document back: path → state. Paths are read by streaming each segment's
/// path dictionary once in order, because looking ords up one by one decompresses a block per
/// document.
fn read_manifest(searcher: &Searcher) -> Result<FxHashMap<OsString, FileState>> {
    let mut out = FxHashMap::default();
    for seg in searcher.segment_readers() {
        let ff = seg.fast_fields();
        let Some(paths) = ff.str(schema::PATH)? else {
            continue;
        };
        let (size, mtime, articles) = (
            ff.u64(schema::FILE_SIZE)?,
            ff.u64(schema::FILE_MTIME)?,
            ff.u64(schema::FILE_ARTICLES)?,
        );
        let mut by_ord: Vec<(u64, FileState)> = seg
            .doc_ids_alive()
            .filter_map(|doc| {
                // Only file documents carry an mtime.
                let mtime_ns = mtime.first(doc)?;
                let ord = paths.term_ords(doc).next()?;
                let st = FileState {
                    size: size.first(doc).unwrap_or(0),
                    mtime_ns,
                    articles: articles.first(doc).unwrap_or(0),
                };
                Some((ord, st))
            })
            .collect();
        by_ord.sort_unstable_by_key(|(ord, _)| *ord);
        out.reserve(by_ord.len());
        let mut wanted = by_ord.into_iter().peekable();
        let mut terms = paths
            .dictionary()
            .stream()
            .map_err(|e| Error::Index(e.into()))?;
        while wanted.peek().is_some() && terms.advance() {
            while let Some((_, st)) = wanted.next_if(|(ord, _)| *ord == terms.term_ord()) {
                let path = String::from_utf8_lossy(terms.key());
                out.insert(OsString::from(path.as_ref()), st);
            }
        }
    }
    Ok(out)
}

fn path_term(f: &Fields, path: &str) -> Term {
    Term::from_field_text(f.path, path)
}

/// The article's publication date: the value to sort and filter by, its text as written (which
/// keeps a date tantivy cannot hold, whose value is clamped), and where it came from.
fn add_date(d: &mut TantivyDocument, f: &Fields, a: &Article) {
    if let (Some(date), Some(src)) = (a.date, a.date_source) {
        d.add_date(f.date, schema::date_value(date.unix_seconds()));
        d.add_text(f.date_text, date.to_iso());
        d.add_text(f.date_source, src.as_str());
    }
}

/// A document whose buffer holds `text` bytes of strings and `values` values without growing.
/// tantivy's `TantivyDocument::default()` reserves 1 KiB whatever the document, and doubles it
/// as values come: an article of 2.5 KB took 4 KB and two copies, a statement's document of 150
/// bytes 1 KB. With up to 8 MiB of article text waiting for the indexing thread (see
/// [`inflight`]), those buffers were 60 MB of a 300 MB peak.
fn sized_doc(text: usize, values: usize) -> TantivyDocument {
    // A string is stored with a length prefix of up to 5 bytes, a number or date in 8.
    TantivyDocument::with_capacity(text + values * 8)
}

fn article_doc(f: &Fields, a: &Article, ex: &Extracted) -> TantivyDocument {
    let optional = [&a.source, &a.url, &a.author];
    let text = a.id.len()
        + a.path.len()
        + a.title.len()
        + a.body.len()
        + 32 // kind, date text and date source
        + optional
            .iter()
            .map(|v| v.as_ref().map_or(0, String::len))
            .sum::<usize>()
        + 2 * ex.countries.len()
        + ex
            .actors
            .iter()
            .map(|x| 2 * x.name.len() + x.role.as_ref().map_or(0, |r| r.len() + 1))
            .sum::<usize>()
        + ex
            .statements
            .iter()
            .map(|s| s.speaker.as_ref().map_or(0, String::len))
            .sum::<usize>();
    let values = 16 + ex.countries.len() + 2 * ex.actors.len() + ex.statements.len();
    let mut d = sized_doc(text, values);
    d.add_text(f.kind, KIND_ARTICLE);
    d.add_text(f.id, &a.id);
    d.add_text(f.path, &a.path);
    if let Some(n) = a.location {
        d.add_u64(f.location, n);
    }
    d.add_text(f.title, &a.title);
    d.add_text(f.body, &a.body);
    d.add_u64(f.statement_number, 0);
    d.add_u64(f.words, 0);
    add_date(&mut d, f, a);
    for (field, value) in [f.source, f.url, f.author].into_iter().zip(optional) {
        if let Some(v) = value {
            d.add_text(field, v);
        }
    }
    for c in &ex.countries {
        d.add_text(f.country, c.code);
    }
    for actor in &ex.actors {
        d.add_text(f.actor, &actor.name);
        if let Some(role) = &actor.role {
            d.add_text(
                f.actor_role,
                format!("{}{}{role}", actor.name, schema::ACTOR_ROLE_SEP),
            );
        }
    }
    let sig = dedup::signature(&a.title, &a.body);
    d.add_u64(f.fingerprint, sig.exact);
    d.add_u64(f.near_hash, sig.near);
    d.add_u64(f.near_confirm, sig.confirm);
    let mut speakers: Vec<&str> = ex
        .statements
        .iter()
        .filter_map(|s| s.speaker.as_deref())
        .collect();
    speakers.sort_unstable();
    speakers.dedup();
    for s in speakers {
        d.add_text(f.speaker, s);
    }
    d
}

/// One document per statement, carrying its article's date and countries so statements can be
/// searched, filtered and counted on their own (the rest of the article is read from its own
/// document when a statement is shown).
fn statement_docs(f: &Fields, a: &Article, ex: &Extracted) -> Vec<TantivyDocument> {
    let spans: Vec<(usize, usize)> = ex
        .statements
        .iter()
        .map(|s| (s.span[0], s.span[1]))
        .collect();
    let words = super::stem::word_positions(&a.body, &spans);
    ex.statements
        .iter()
        .zip(words)
        .enumerate()
        .map(|(i, (st, (first, end)))| {
            let text = KIND_STATEMENT.len()
                + a.path.len()
                + a.id.len()
                + 2 * (ex.countries.len() + 1)
                + st.speaker.as_ref().map_or(0, String::len)
                + st.role.as_ref().map_or(0, String::len)
                + st.cue.len()
                + st.kind.len();
            let mut d = sized_doc(text, 16 + ex.countries.len());
            d.add_text(f.kind, KIND_STATEMENT);
            // Path and place order statements as their articles (`crate::search::order`).
            d.add_text(f.path, &a.path);
            if let Some(n) = a.location {
                d.add_u64(f.location, n);
            }
            d.add_u64(
                f.words,
                first.min(u64::from(u32::MAX)) << 32 | end.min(u64::from(u32::MAX)),
            );
            if let Some(date) = a.date {
                d.add_date(f.date, schema::date_value(date.unix_seconds()));
            }
            d.add_text(f.article_id, &a.id);
            d.add_u64(f.statement_number, i as u64 + 1);
            let mut codes: Vec<&str> = ex.countries.iter().map(|c| c.code).collect();
            if let Some(c) = st.country.as_deref()
                && !codes.contains(&c)
            {
                codes.push(c);
            }
            for c in codes {
                d.add_text(f.country, c);
            }
            if let Some(s) = &st.speaker {
                d.add_text(f.speaker, s);
            }
            if let Some(r) = &st.role {
                d.add_text(f.role, r);
            }
            d.add_text(f.cue, &st.cue);
            d.add_text(f.statement_kind, &st.kind);
            d.add_u64(f.span_start, st.span[0] as u64);
            d.add_u64(f.span_end, st.span[1] as u64);
            d
        })
        .collect()
}

fn file_doc(f: &Fields, e: &FileEntry, path: &str, articles: u64) -> TantivyDocument {
    let mut d = sized_doc(KIND_FILE.len() + path.len(), 6);
    d.add_text(f.kind, KIND_FILE);
    d.add_text(f.path, path);
    d.add_u64(f.statement_number, 0);
    d.add_u64(f.words, 0);
    d.add_u64(f.file_size, e.size);
    d.add_u64(f.file_mtime, e.mtime_ns);
    d.add_u64(f.file_articles, articles);
    d
}

fn mtime_date(e: &FileEntry) -> Option<DateValue> {
    let secs = i64::try_from(e.mtime_ns / 1_000_000_000).ok()?;
    let dt = chrono::DateTime::from_timestamp(secs, 0)?;
    Some(DateValue {
        date: dt.date_naive(),
        time: Some(dt.time()),
        offset: chrono::FixedOffset::east_opt(0),
    })
}

/// The index writer of a run: its documents carry the tickets of [`inflight`].
type IndexWriter = tantivy::IndexWriter<Tracked>;

/// Where the workers send their documents: the writer, behind the bound on what it has not
/// indexed yet.
struct Feed<'a> {
    writer: &'a IndexWriter,
    gate: Arc<Gate>,
}

impl Feed<'_> {
    /// Adds an article's documents as one batch, once the gate lets its text through; the
    /// batch's last document holds the ticket, so it is given back when all are indexed.
    fn add_batch(
        &self,
        docs: impl IntoIterator<Item = TantivyDocument>,
        bytes: u64,
    ) -> Result<(), TantivyError> {
        let mut batch: Vec<Tracked> = docs.into_iter().map(Tracked::new).collect();
        if let Some(last) = batch.last_mut() {
            last.hold(self.gate.enter(bytes));
        }
        self.writer.run(batch.into_iter().map(UserOperation::Add))?;
        Ok(())
    }

    fn add(&self, doc: TantivyDocument) -> Result<(), TantivyError> {
        self.writer.add_document(Tracked::new(doc))?;
        Ok(())
    }

    fn delete_file(&self, f: &Fields, path: &str) {
        self.writer.delete_term(path_term(f, path));
    }
}

/// Parses, extracts and indexes one file. `replace` deletes the file's previous documents first.
fn process(
    e: &FileEntry,
    replace: bool,
    opts: &IndexOptions,
    feed: &Feed,
    f: &Fields,
    clock: &StageClock,
    sampler: Option<&lsa::Sampler>,
) -> Result<Outcome, TantivyError> {
    let mut since = Instant::now();
    let path = e.abs.to_string_lossy();
    if e.size > opts.max_file_bytes {
        return Ok(Outcome::Skipped(
            FileError::TooLarge(opts.max_file_bytes).to_string(),
        ));
    }
    let bytes = match std::fs::read(&e.abs) {
        Ok(b) => b,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            if replace {
                feed.delete_file(f, &path);
            }
            return Ok(Outcome::Gone);
        }
        Err(err) => return Ok(Outcome::Failed(err.to_string())),
    };
    clock.reads.note(since.elapsed());
    StageClock::lap(&clock.read, &mut since);
    let parsed = match parse_bytes(&path, &bytes, opts.max_file_bytes) {
        Ok(p) => p,
        Err(FileError::Binary) => {
            if replace {
                feed.delete_file(f, &path);
            }
            feed.add(file_doc(f, e, &path, 0))?;
            return Ok(Outcome::Empty(FileError::Binary.to_string()));
        }
        Err(err @ FileError::TooLarge(_)) => return Ok(Outcome::Skipped(err.to_string())),
        Err(FileError::Invalid(m)) => return Ok(Outcome::Failed(m)),
    };
    if replace {
        feed.delete_file(f, &path);
    }
    let mut n = 0;
    for mut a in parsed.articles {
        if a.is_blank() {
            continue;
        }
        extract::resolve_date(&mut a);
        if a.date.is_none() && opts.mtime_dates {
            a.date = mtime_date(e);
            a.date_source = a.date.map(|_| DateSource::Mtime);
        }
        StageClock::lap(&clock.parse, &mut since);
        let ex = if opts.no_extract {
            Extracted::default()
        } else {
            extract::extract(&a)
        };
        StageClock::lap(&clock.extract, &mut since);
        // One batch: the statements land right after their article (see schema::STATEMENT_NUMBER).
        let batch = std::iter::once(article_doc(f, &a, &ex)).chain(statement_docs(f, &a, &ex));
        feed.add_batch(batch, (a.title.len() + a.body.len()) as u64)?;
        if let Some(sampler) = sampler {
            sampler.offer(&a.id, &a.body);
        }
        StageClock::lap(&clock.add, &mut since);
        n += 1;
    }
    feed.add(file_doc(f, e, &path, n))?;
    StageClock::lap(&clock.add, &mut since);
    if n == 0 {
        let why = if parsed.warnings.is_empty() {
            NO_ARTICLE.to_string()
        } else {
            format!("no article: {}", parsed.warnings.join("; "))
        };
        return Ok(Outcome::Empty(why));
    }
    Ok(Outcome::Indexed {
        articles: n,
        warnings: parsed.warnings,
    })
}

/// The message of a caught panic, reported as the failure reason of its file.
pub fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    let what = p
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    format!("internal error while processing this file (please report it): {what}")
}

fn map_writer_error(dir: &Path, e: TantivyError) -> Error {
    match e {
        TantivyError::LockFailure(LockError::LockBusy, _) => Error::Locked(dir.to_path_buf()),
        other => write_error(dir, other),
    }
}

/// tantivy reports a dead indexing thread to `add_document` only as "an index writer was
/// killed"; joining the threads, which `prepare_commit` does before it writes anything, gives
/// the thread's own error (the I/O error behind it). Nothing is committed either way.
fn thread_cause(writer: &mut IndexWriter, e: TantivyError) -> TantivyError {
    if !matches!(e, TantivyError::ErrorInThread(_)) {
        return e;
    }
    match writer.prepare_commit() {
        Err(cause) => cause,
        Ok(prepared) => {
            // The threads ended cleanly after all: abort rather than commit half a run.
            let _ = prepared.abort();
            e
        }
    }
}

/// A failure while writing the index, with the operating system's words when there are some
/// (tantivy wraps an I/O error of its indexing threads in an internal error).
fn write_error(dir: &Path, e: TantivyError) -> Error {
    let reason = match e {
        TantivyError::IoError(io) => io.to_string(),
        TantivyError::InternalError(m) => m,
        TantivyError::LockFailure(LockError::IoError(io), _) => io.to_string(),
        other => other.to_string(),
    };
    Error::Write {
        dir: dir.to_path_buf(),
        reason,
    }
}

/// What a run has to do, from the index's file list and the crawl.
#[derive(Default)]
struct Plan {
    /// The files to read, by their place in the crawl's list (4 bytes a file: a run holds this
    /// to its end).
    to_read: Vec<u32>,
    /// Those of them the index holds already, with their article counts there.
    replacing: FxHashMap<u32, u64>,
    /// Files of the index gone from disk (or now excluded), with their article counts.
    removed: Vec<(String, u64)>,
    files_unchanged: u64,
    articles_unchanged: u64,
}

impl Plan {
    /// The file the `k`th to read is, and its article count in the index when it is there.
    fn file(&self, files: &FileList, k: usize) -> (FileEntry, Option<u64>) {
        let i = self.to_read[k];
        (files.get(i as usize), self.replacing.get(&i).copied())
    }
}

/// Compares the crawl's `files` with the index's file list, `manifest`; what is left of it is
/// what the crawl did not find.
fn plan(
    mut manifest: FxHashMap<OsString, FileState>,
    files: &FileList,
    roots: &[PathBuf],
    filter: &Filter,
) -> Plan {
    let mut p = Plan::default();
    // The crawl checks that positions fit (`crawl::MAX_FILES`).
    let n = u32::try_from(files.len()).unwrap_or(u32::MAX);
    if manifest.is_empty() {
        p.to_read = (0..n).collect();
        return p;
    }
    for i in 0..n {
        let e = files.get(i as usize);
        // The index knows a file by its path as text (a name that is not UTF-8 with U+FFFD in
        // it), which is how it is looked up: by the path itself, such a file was new at every
        // run, read again and its old documents removed.
        match manifest.remove(OsStr::new(&*e.abs.to_string_lossy())) {
            Some(st) if st.size == e.size && st.mtime_ns == e.mtime_ns => {
                p.files_unchanged += 1;
                p.articles_unchanged += st.articles;
            }
            Some(st) => {
                p.to_read.push(i);
                p.replacing.insert(i, st.articles);
            }
            None => p.to_read.push(i),
        }
    }
    p.to_read.shrink_to_fit();
    // The usual case: the crawl found every file of the index again, so none can be gone.
    if manifest.is_empty() {
        return p;
    }
    let roots: Vec<PathBuf> = roots
        .iter()
        .filter_map(|r| std::fs::canonicalize(r).ok())
        .collect();
    for (path, st) in manifest {
        let path = Path::new(&path);
        let Some(root) = roots.iter().find(|r| path.starts_with(r)) else {
            continue;
        };
        if gone_or_excluded(path, root, filter) {
            p.removed
                .push((path.to_string_lossy().into_owned(), st.articles));
        }
    }
    p
}

/// Segments with more documents than this are left out of merges. tantivy's default policy
/// merges any eight segments of a size, and a merge maps and reads all of its inputs: merging
/// the segments a large run flushes (each as big as the memory budget allows, a few hundred
/// thousand documents) would make the run's memory grow with the corpus. Small segments (those
/// of small incremental runs) still merge, so their number stays low.
const MAX_DOCS_MERGED: usize = 50_000;

/// tantivy's indexing threads for a run with `threads` workers. With extraction the workers do
/// most of the work, so half as many indexing threads keep up with them; each then gets twice
/// the memory and writes segments twice as large. On the 100k scaled corpus with two cores, one
/// indexing thread instead of two cut CPU time by 7 % and left 2 segments instead of 6, which
/// made queries 15–20 % faster. Without extraction, indexing is most of the work, and one
/// thread could not keep up.
fn indexing_threads(threads: usize, extract: bool) -> usize {
    if extract {
        (threads / 2).max(1)
    } else {
        threads.max(1)
    }
}

fn open_writer(index: &Index, opts: &IndexOptions) -> Result<IndexWriter> {
    let threads = indexing_threads(opts.threads, !opts.no_extract);
    let budget = opts.memory_mb.max(16 * threads) << 20;
    let writer: IndexWriter = index
        .writer_with_num_threads::<Tracked>(threads, budget)
        .map_err(|e| map_writer_error(&opts.index_dir, e))?;
    if opts.merge {
        // The run merges on its own at the end (`merge_segments`): a merge the policy started
        // would hold segments it wants.
        writer.set_merge_policy(Box::new(NoMergePolicy));
    } else {
        let mut policy = LogMergePolicy::default();
        policy.set_max_docs_before_merge(MAX_DOCS_MERGED);
        writer.set_merge_policy(Box::new(policy));
    }
    Ok(writer)
}

/// Indexes the roots of `opts` into its index folder, incrementally unless `rebuild` is set.
pub fn run_index(opts: &IndexOptions, progress: &dyn Progress) -> Result<Summary> {
    let t0 = Instant::now();
    let dir = &opts.index_dir;
    let (index, f) = match open_index(dir, true) {
        Err(Error::SchemaMismatch(_)) if opts.rebuild => {
            schema::remove_index_files(dir)?;
            open_index(dir, true)?
        }
        other => other?,
    };
    let threads = opts.threads.max(1);

    let mut lap = Instant::now();
    // An incremental run opens the writer (which takes the index's lock) only once it knows
    // there is something to write: a run with nothing to do starts no thread and locks nothing.
    let mut writer = None;
    let (mut manifest, mut opstamp, mut searcher) = (FxHashMap::default(), 0, None);
    if opts.rebuild {
        let w = writer.insert(open_writer(&index, opts)?);
        w.delete_all_documents()?;
    } else {
        opstamp = index.load_metas()?.opstamp;
        let reader = schema::searcher(&index)?;
        manifest = read_manifest(&reader)?;
        searcher = Some(reader);
    }
    let manifest_secs = lap.elapsed().as_secs_f64();
    lap = Instant::now();

    let mut crawl_opts = opts.crawl.clone();
    crawl_opts.skip_dirs.push(dir.clone());
    let (found, filter) = crawl(&crawl_opts)?;
    let mut s = Summary {
        index_dir: dir.display().to_string(),
        files_seen: found.files.len() as u64,
        ..Default::default()
    };
    s.stages.manifest = manifest_secs;
    s.stages.crawl = lap.elapsed().as_secs_f64();
    let problem = |p: &Path, r: &str| FileProblem {
        path: p.display().to_string(),
        reason: r.to_string(),
    };
    // Unsupported types are not worth a line each in a summary; excluded articles are.
    s.skipped.extend(
        found
            .skipped
            .iter()
            .filter(|k| k.reason != "unsupported file type")
            .map(|k| problem(&k.path, &k.reason)),
    );
    let unsupported = found
        .skipped
        .iter()
        .filter(|k| k.reason == "unsupported file type")
        .count();
    if unsupported > 0 {
        s.skipped.push(FileProblem {
            path: format!("({unsupported} file(s))"),
            reason: "unsupported file type".into(),
        });
    }
    s.failed
        .extend(found.errors.iter().map(|k| problem(&k.path, &k.reason)));

    let mut todo = plan(
        std::mem::take(&mut manifest),
        &found.files,
        &opts.crawl.roots,
        &filter,
    );
    let mut writer = match writer {
        Some(w) => w,
        None if todo.to_read.is_empty() && todo.removed.is_empty() && !opts.merge => {
            progress.start(0, 0);
            progress.finish();
            s.files_unchanged = todo.files_unchanged;
            s.articles_unchanged = todo.articles_unchanged;
            // Nothing to write: the articles are counted on the files just read.
            let searcher = match searcher {
                Some(r) => r,
                None => schema::searcher(&index)?,
            };
            s.articles_total = count_in(&searcher, &f)?;
            if sections_missing(&index, &f, dir)? {
                // Under the lock, so that it is the basis of what is committed.
                let w = open_writer(&index, opts)?;
                s.stages.sections = write_sections(&index, &f, dir, None)?;
                drop(w);
            }
            s.stages.copies = write_copies(&searcher, &f, dir)?;
            s.segments = searcher.segment_readers().len();
            s.elapsed_secs = t0.elapsed().as_secs_f64();
            return Ok(s);
        }
        None => {
            let w = open_writer(&index, opts)?;
            // Another run committed between reading the file list and taking the lock: what
            // to do must be decided again on what it left.
            if w.commit_opstamp() != opstamp {
                let manifest = read_manifest(&schema::searcher(&index)?)?;
                todo = plan(manifest, &found.files, &opts.crawl.roots, &filter);
            }
            w
        }
    };
    drop(searcher);
    let to_read = &todo.to_read;
    s.files_unchanged = todo.files_unchanged;
    s.articles_unchanged = todo.articles_unchanged;
    for (path, articles) in &todo.removed {
        writer.delete_term(path_term(&f, path));
        s.files_removed += 1;
        s.articles_removed += articles;
    }

    progress.start(
        to_read.len() as u64,
        to_read.iter().map(|&i| found.files.size(i as usize)).sum(),
    );
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {threads} threads: {e}")))?;
    let clock = StageClock::default();
    // A run that reads every file the index will hold samples the articles for the sections
    // basis as it goes (see `lsa::Sampler`).
    let sampler = (s.files_unchanged == 0).then(lsa::Sampler::default);
    // Workers take the files in order, so the read-ahead knows which come next.
    let queue = readahead::Queue::new(to_read.len());
    let feed = Feed {
        writer: &writer,
        gate: Gate::new(inflight::DEFAULT_BYTES),
    };
    // A file indexed is counted; a worker keeps only the results the summary lists, so that
    // what a run holds per file is its entry in the file list.
    let taken: Vec<(Tally, Vec<Listed>)> = std::thread::scope(|s| {
        for _ in 0..readahead::THREADS.min(to_read.len()) {
            // Reading ahead only saves time: a thread the system will not give is done without.
            let _ = std::thread::Builder::new()
                .name("read-ahead".into())
                .spawn_scoped(s, || {
                    queue.read_ahead(&clock.reads, |k| found.files.path(to_read[k] as usize));
                });
        }
        let taken = pool.broadcast(|_| {
            let (mut tally, mut mine) = (Tally::default(), Vec::new());
            while let Some(i) = queue.take() {
                let (e, previous) = todo.file(&found.files, i);
                // A bug in a parser or extractor must cost one file, not the run (and never
                // the index: nothing is committed until every file is through).
                let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    process(
                        &e,
                        previous.is_some(),
                        opts,
                        &feed,
                        &f,
                        &clock,
                        sampler.as_ref(),
                    )
                }))
                .unwrap_or_else(|p| Ok(Outcome::Failed(panic_message(&p))));
                let n = match &out {
                    Ok(Outcome::Indexed { articles, .. }) => *articles,
                    _ => 0,
                };
                progress.advance(e.size, n);
                match &out {
                    Ok(Outcome::Indexed { articles, warnings }) => {
                        tally.files += 1;
                        tally.bytes += e.size;
                        if previous.is_some() {
                            tally.updated += articles;
                        } else {
                            tally.indexed += articles;
                        }
                        if warnings.is_empty() {
                            continue;
                        }
                    }
                    // The index writer failed: the run is over.
                    Err(_) => queue.stop(),
                    Ok(_) => {}
                }
                mine.push((i, out));
            }
            (tally, mine)
        });
        queue.stop();
        taken
    });
    let mut outcomes = Vec::new();
    for (tally, mine) in taken {
        s.files_read += tally.files;
        s.bytes_read += tally.bytes;
        s.articles_indexed += tally.indexed;
        s.articles_updated += tally.updated;
        outcomes.extend(mine);
    }
    outcomes.sort_unstable_by_key(|o| o.0);
    let outcomes: Vec<(usize, Outcome)> = outcomes
        .into_iter()
        .map(|(i, out)| out.map(|o| (i, o)))
        .collect::<Result<Vec<_>, TantivyError>>()
        .map_err(|e| write_error(dir, thread_cause(&mut writer, e)))?;
    progress.finish();

    for (i, out) in outcomes {
        let (e, previous) = todo.file(&found.files, i);
        let path = e.abs.display().to_string();
        match out {
            // Counted by the workers' tallies.
            Outcome::Indexed { warnings, .. } => {
                for w in warnings {
                    s.warnings.push(FileProblem {
                        path: path.clone(),
                        reason: w,
                    });
                }
            }
            Outcome::Empty(reason) => {
                s.files_read += 1;
                s.bytes_read += e.size;
                s.skipped.push(FileProblem { path, reason });
            }
            Outcome::Skipped(reason) => s.skipped.push(FileProblem { path, reason }),
            Outcome::Failed(reason) => s.failed.push(FileProblem { path, reason }),
            Outcome::Gone => {
                if let Some(articles) = previous {
                    s.files_removed += 1;
                    s.articles_removed += articles;
                }
                s.skipped.push(FileProblem {
                    path,
                    reason: "deleted before it could be read".into(),
                });
            }
        }
    }

    s.stages.read = secs(&clock.read);
    s.stages.parse = secs(&clock.parse);
    s.stages.extract = secs(&clock.extract);
    s.stages.add = secs(&clock.add);

    let committing = Instant::now();
    let changed = opts.rebuild || s.files_read > 0 || s.files_removed > 0;
    if changed {
        let mut commit = writer.prepare_commit().map_err(|e| write_error(dir, e))?;
        commit.set_payload(schema::SCHEMA_VERSION);
        commit.commit().map_err(|e| write_error(dir, e))?;
        s.stages.commit = committing.elapsed().as_secs_f64();
        if opts.merge {
            s.merged = Some(merge_segments(&index, &mut writer, dir, &mut s.stages)?);
        }
        // While the lock is still held, so that the basis is the one of this commit.
        s.stages.sections = write_sections(&index, &f, dir, sampler)?;
        writer
            .wait_merging_threads()
            .map_err(|e| write_error(dir, e))?;
        // On the segments the merges left: the table names the segments it holds.
        s.stages.copies = write_copies(&schema::searcher(&index)?, &f, dir)?;
    } else {
        if opts.merge {
            s.merged = Some(merge_segments(&index, &mut writer, dir, &mut s.stages)?);
        }
        if sections_missing(&index, &f, dir)? {
            s.stages.sections = write_sections(&index, &f, dir, None)?;
        }
        s.stages.copies = write_copies(&schema::searcher(&index)?, &f, dir)?;
        // Nothing to write (merges, when asked, are committed as they end): release the lock.
        drop(writer);
        s.stages.commit = committing.elapsed().as_secs_f64()
            - s.stages.sections
            - s.stages.copies
            - s.stages.merge;
    }
    s.articles_total = count_articles(&index, &f)?;
    s.segments = index.searchable_segment_metas()?.len();
    s.elapsed_secs = t0.elapsed().as_secs_f64();
    Ok(s)
}

/// The most documents `--merge` writes into one segment. On the 1M scaled corpus (9.5M
/// documents with statements and files), `index --merge` merged 20 segments into 4 of 1.2–2.9M
/// documents in 45 s, one merge at a time, and the run peaked at 374 MB of heap, its file list
/// and the index's included (the inputs are read through the page cache: 1.3 GB of it mapped).
/// `query election` went 20 -> 13 ms, `said` 20 -> 13 ms. Bounding a merge's output bounds its
/// heap.
pub const MERGED_DOCS_MAX: u64 = 3_000_000;

/// Which segments `--merge` merges: the segments by size, smallest first, packed into groups of
/// at most [`MERGED_DOCS_MAX`] documents; a group of one is left as it is.
fn merge_groups(mut segments: Vec<(u64, SegmentId)>) -> Vec<Vec<SegmentId>> {
    segments.sort_unstable();
    let mut groups: Vec<(u64, Vec<SegmentId>)> = Vec::new();
    for (docs, id) in segments {
        match groups.last_mut() {
            Some((sum, ids)) if *sum + docs <= MERGED_DOCS_MAX => {
                *sum += docs;
                ids.push(id);
            }
            _ => groups.push((docs, vec![id])),
        }
    }
    groups
        .into_iter()
        .filter(|(_, ids)| ids.len() > 1)
        .map(|(_, ids)| ids)
        .collect()
}

/// Merges the committed segments (see [`merge_groups`]), one merge at a time so that one
/// merge's memory is the most a run takes; tantivy commits each as it ends.
fn merge_segments(
    index: &Index,
    writer: &mut IndexWriter,
    dir: &Path,
    stages: &mut Stages,
) -> Result<Merged> {
    let t = Instant::now();
    let metas = index.searchable_segment_metas()?;
    let before = metas.len();
    let sizes = metas
        .iter()
        .map(|m| (u64::from(m.num_docs()), m.id()))
        .collect();
    for group in merge_groups(sizes) {
        writer
            .merge(&group)
            .wait()
            .map_err(|e| match write_error(dir, e) {
                Error::Write { dir, reason } => Error::Merge { dir, reason },
                other => other,
            })?;
    }
    let after = index.searchable_segment_metas()?.len();
    stages.merge = t.elapsed().as_secs_f64();
    Ok(Merged { before, after })
}

/// Whether the index should have a sections basis and has none, or a damaged one: an index
/// from before the basis existed, or one whose file was lost.
fn sections_missing(index: &Index, f: &Fields, dir: &Path) -> Result<bool> {
    Ok(match lsa::Basis::load(dir) {
        Ok(Some(_)) => false,
        Ok(None) => count_articles(index, f)? >= lsa::MIN_ARTICLES as u64,
        Err(_) => true,
    })
}

/// Computes the related-coverage basis of the committed index (from `sampler` when the run
/// sampled every article it holds, else from the index's postings) and saves it (or removes an old
/// one when the index is now too small for one); returns the seconds it took.
fn write_sections(
    index: &Index,
    f: &Fields,
    dir: &Path,
    sampler: Option<lsa::Sampler>,
) -> Result<f64> {
    let t = Instant::now();
    let basis = match sampler {
        Some(sampler) => sampler.into_basis(index.tokenizer_for_field(f.body)?),
        None => {
            let searcher = schema::searcher(index)?;
            lsa::Basis::compute(&searcher, f.body, f.kind, schema::KIND_ARTICLE)?
        }
    };
    match basis {
        Some(basis) => basis.save(dir)?,
        None => {
            let path = dir.join(lsa::FILE);
            if let Err(e) = std::fs::remove_file(&path)
                && e.kind() != std::io::ErrorKind::NotFound
            {
                return Err(Error::io(&path, e));
            }
        }
    }
    Ok(t.elapsed().as_secs_f64())
}

/// Writes the copy clusters of what `searcher` reads, unless the saved ones are of the same
/// segments (a run that changed nothing); returns the seconds it took. The file only saves
/// searches work: a run that cannot write it (an index folder this user may only read) still
/// succeeds, and searches scan the signatures instead (an older file names other segments).
fn write_copies(searcher: &Searcher, f: &Fields, dir: &Path) -> Result<f64> {
    let t = Instant::now();
    if CopyTable::load_fitting(dir, searcher).is_none() {
        let _ = CopyTable::compute(searcher, f)?.save(dir);
    }
    Ok(t.elapsed().as_secs_f64())
}

/// A file that the crawl did not see is removed only when it is really gone or now excluded;
/// one the crawl could not reach (a permission error on its folder) keeps its articles.
fn gone_or_excluded(path: &Path, root: &Path, filter: &Filter) -> bool {
    // Only a definite "not there" counts as gone: `exists()` is also false when a folder on
    // the way cannot be searched (permission denied), which would drop its articles.
    if let Ok(false) = path.try_exists() {
        return true;
    }
    let rel = path.strip_prefix(root).unwrap_or(path);
    filter.reject(rel).is_some()
}

/// Number of article documents in the index.
pub fn count_articles(index: &Index, f: &Fields) -> Result<u64> {
    count_in(&schema::searcher(index)?, f)
}

fn count_in(searcher: &Searcher, f: &Fields) -> Result<u64> {
    let q = TermQuery::new(
        Term::from_field_text(f.kind, KIND_ARTICLE),
        IndexRecordOption::Basic,
    );
    Ok(searcher.search(&q, &tantivy::collector::Count)? as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_groups_pack_small_segments_and_leave_large_ones() {
        let ids: Vec<SegmentId> = (0..5).map(|_| SegmentId::generate_random()).collect();
        let groups = merge_groups(vec![
            (10, ids[0]),
            (MERGED_DOCS_MAX - 5, ids[1]),
            (3, ids[2]),
            (MERGED_DOCS_MAX, ids[3]),
            (MERGED_DOCS_MAX + 1, ids[4]),
        ]);
        // 3 + 10 fit together; with the next they would pass the bound, and the large ones
        // are groups of one, left alone.
        assert_eq!(groups, vec![vec![ids[2], ids[0]]]);
        assert!(merge_groups(vec![(7, ids[0])]).is_empty());
        let many: Vec<(u64, SegmentId)> = ids.iter().map(|&id| (1000, id)).collect();
        assert_eq!(merge_groups(many).concat().len(), 5);
    }

    #[test]
    fn merging_is_suggested_for_many_segments_not_after_a_merge() {
        let summary = |segments, merged| Summary {
            segments,
            merged,
            ..Summary::default()
        };
        assert!(!summary(1, None).merge_would_help());
        assert!(!summary(MANY_SEGMENTS - 1, None).merge_would_help());
        assert!(summary(MANY_SEGMENTS, None).merge_would_help());
        assert!(summary(20, None).merge_would_help());
        // A merge bounded by `MERGED_DOCS_MAX` can leave many: merging again would not help.
        let merged = Merged {
            before: 40,
            after: 10,
        };
        assert!(!summary(10, Some(merged)).merge_would_help());
    }

    #[test]
    fn indexing_threads_halve_with_extraction() {
        let rows = [
            (0, true, 1),
            (1, true, 1),
            (2, true, 1),
            (3, true, 1),
            (8, true, 4),
            (0, false, 1),
            (2, false, 2),
            (8, false, 8),
        ];
        for (workers, extract, want) in rows {
            assert_eq!(
                indexing_threads(workers, extract),
                want,
                "{workers} {extract}"
            );
        }
    }
}
