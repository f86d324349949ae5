//! The newsdex binary: parse the command line, call the library, print, and map the outcome to
//! an exit code as grep does — 0 success/hits, 1 no hits, 2 error. A broken pipe ends quietly.

mod cli;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Parser;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use cli::{
    Cli, Color, Command, ExtractArgs, FilterArgs, IndexArgs, QueryArgs, RelatedArgs, SearchArgs,
    SortArg, StatementsArgs, StatsArgs,
};
use newsdex::crawl::CrawlOptions;
use newsdex::index::{IndexOptions, Progress};
use newsdex::search::{QueryOptions, RelatedOptions, Sort};
use newsdex::{extract, output, parse};

/// Indexing allocates and frees many small buffers (tokens, entities, documents) on four
/// threads at once; mimalloc's per-thread pools serve them faster than the system allocator.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Outcome of a command that ran to the end.
enum Done {
    Success,
    NoHits,
    /// Finished, but some input could not be used (listed already).
    Partial,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(cli.command, Command::Index(_)) {
        purge_promptly();
    }
    let result = match cli.command {
        Command::Index(a) => index(a),
        Command::Query(a) => query(a),
        Command::Statements(a) => statements(a),
        Command::Related(a) => related(a),
        Command::Stats(a) => stats(a),
        Command::Extract(a) => extract_cmd(a),
    };
    match result {
        Ok(Done::Success) => ExitCode::SUCCESS,
        Ok(Done::NoHits) => ExitCode::from(1),
        Ok(Done::Partial) => ExitCode::from(2),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("newsdex: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// The environment variable that sets how long mimalloc keeps freed memory before handing it back.
const PURGE_DELAY_VAR: &str = "MIMALLOC_PURGE_DELAY";

/// Starts `index` again in this process with mimalloc handing freed memory back at once.
///
/// Each segment tantivy writes out allocates and frees tens of MB. mimalloc's default (10 ms,
/// checked only when the freeing thread allocates again) kept much of it: a run of 1,000,000
/// articles peaked at 363–392 MB instead of 280 MB, and the peak grew with the corpus; the
/// time is within 3 %. The option is read once, before `main`, and setting it from here would
/// be an `unsafe` call into C, which this crate forbids; `exec` replaces the process image
/// (same pid, same standard streams), so the cost is one start of an already cached binary
/// (about 1 ms). A value the user set is kept, and if `exec` fails the run goes on as it is.
fn purge_promptly() {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        if std::env::var_os(PURGE_DELAY_VAR).is_some() {
            return;
        }
        let Ok(exe) = std::env::current_exe() else {
            return;
        };
        // Returns only if the exec failed.
        let _ = std::process::Command::new(exe)
            .args(std::env::args_os().skip(1))
            .env(PURGE_DELAY_VAR, "0")
            .exec();
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// An indicatif bar on a terminal, nothing otherwise: files done, articles, MB/s.
struct Bar {
    bar: ProgressBar,
    articles: AtomicU64,
    bytes: AtomicU64,
    started: Instant,
}

impl Bar {
    fn new(quiet: bool) -> Self {
        let target = if quiet || !io::stderr().is_terminal() {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = ProgressBar::with_draw_target(None, target);
        bar.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} files  {msg}  eta {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Bar {
            bar,
            articles: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            started: Instant::now(),
        }
    }
}

impl Progress for Bar {
    fn start(&self, files: u64, _bytes: u64) {
        self.bar.set_length(files);
    }
    fn advance(&self, bytes: u64, articles: u64) {
        let n = self.articles.fetch_add(articles, Ordering::Relaxed) + articles;
        let b = self.bytes.fetch_add(bytes, Ordering::Relaxed) + bytes;
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        self.bar.set_message(format!(
            "{n} articles  {:.1} MB/s",
            b as f64 / 1_048_576.0 / secs
        ));
        self.bar.inc(1);
    }
    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

fn index(a: IndexArgs) -> Result<Done> {
    let defaults = IndexOptions::default();
    let opts = IndexOptions {
        crawl: CrawlOptions {
            roots: a.paths.clone(),
            include: a.include,
            exclude: a.exclude,
            no_default_excludes: a.no_default_excludes,
            skip_dirs: Vec::new(),
        },
        index_dir: a.index,
        threads: a.threads.unwrap_or(defaults.threads),
        memory_mb: a.memory_mb,
        rebuild: a.rebuild,
        max_file_bytes: a.max_file_mb.saturating_mul(1 << 20),
        mtime_dates: a.mtime_dates,
        no_extract: a.no_extract,
        merge: a.merge,
    };
    let bar = Bar::new(a.quiet || a.json);
    let summary = newsdex::index::run_index(&opts, &bar)?;
    let mut out = io::stdout().lock();
    if a.json {
        serde_json::to_writer(&mut out, &summary)?;
        writeln!(out)?;
    } else {
        output::write_summary(&mut out, &summary, if a.verbose { usize::MAX } else { 20 })?;
        if summary.articles_total > 0 {
            let idx = if opts.index_dir.as_os_str() == "index" {
                String::new()
            } else {
                format!(" --index {}", opts.index_dir.display())
            };
            if summary.merge_would_help() {
                writeln!(
                    out,
                    "note: the index is in {} segments, and every search visits each; \
                     `newsdex index --merge{idx}` merges them",
                    summary.segments
                )?;
            }
            writeln!(out, "try: newsdex query 'minister' --sort newest{idx}")?;
        }
    }
    Ok(if summary.failed.is_empty() {
        Done::Success
    } else {
        Done::Partial
    })
}

/// The library's search options from the shared index and filter options.
fn filter_options(query: String, f: &FilterArgs) -> QueryOptions {
    QueryOptions {
        index_dir: f.index.clone(),
        query,
        countries: f.country.clone(),
        from: f.from.clone(),
        to: f.to.clone(),
        ..Default::default()
    }
}

/// The library's search options from the shared command-line ones.
fn search_options(query: String, s: &SearchArgs) -> QueryOptions {
    QueryOptions {
        limit: s.limit,
        offset: s.offset,
        sort: match s.sort {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Newest => Sort::Newest,
            SortArg::Oldest => Sort::Oldest,
        },
        ..filter_options(query, &s.filters)
    }
}

fn color(c: Color) -> bool {
    match c {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => io::stdout().is_terminal(),
    }
}

fn hits_or_not(any: bool) -> Done {
    if any { Done::Success } else { Done::NoHits }
}

/// A writer of results to stdout.
type Writer<'a> = Box<dyn FnOnce(&mut dyn Write) -> io::Result<()> + 'a>;

/// Prints results to stdout as JSON or as text, then flushes (a closed pipe shows here).
/// Buffered: stdout flushes every line, a system call each.
fn emit(json: bool, as_json: Writer, as_text: Writer) -> Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    if json {
        as_json(&mut out)?;
    } else {
        as_text(&mut out)?;
    }
    out.flush()?;
    Ok(())
}

fn query(a: QueryArgs) -> Result<Done> {
    let opts = QueryOptions {
        actors: a.actor,
        speakers: a.speaker,
        collapse: !a.no_collapse,
        facets: a.facets,
        ..search_options(a.query, &a.search)
    };
    if let Some(target) = a.related_to {
        return query_related_to(target, opts, a.search.json);
    }
    let result = newsdex::search::search(&opts)?;
    emit(
        a.search.json,
        Box::new(|w| output::write_hits_json(w, &result)),
        Box::new(|w| output::write_hits(w, &result, color(a.search.color))),
    )?;
    Ok(hits_or_not(!result.hits.is_empty()))
}

fn statements(a: StatementsArgs) -> Result<Done> {
    let opts = QueryOptions {
        speakers: a.by,
        roles: a.role,
        ..search_options(a.query, &a.search)
    };
    let result = newsdex::search::search_statements(&opts)?;
    emit(
        a.search.json,
        Box::new(|w| output::write_statements_json(w, &result)),
        Box::new(|w| output::write_statements(w, &result, color(a.search.color))),
    )?;
    Ok(hits_or_not(!result.hits.is_empty()))
}

/// `query QUERY --related-to TARGET`: the articles the query matches, ranked by `related`
/// with the query as a required, unscored clause; printed as `related` prints, facets after.
fn query_related_to(target: String, opts: QueryOptions, json: bool) -> Result<Done> {
    let related = RelatedOptions {
        index_dir: opts.index_dir.clone(),
        target,
        text: None,
        limit: opts.limit,
        within: Some(opts.clone()),
    };
    let page = newsdex::search::related_page(&related, opts.offset, opts.collapse)?;
    let facets = opts
        .facets
        .map(|n| newsdex::search::facets(&opts, n))
        .transpose()?;
    emit(
        json,
        Box::new(|w| {
            output::write_related_json(w, &page)?;
            facets
                .as_ref()
                .map_or(Ok(()), |f| output::write_facets_json(w, f))
        }),
        Box::new(|w| {
            output::write_related(w, &page)?;
            facets
                .as_ref()
                .map_or(Ok(()), |f| output::write_facets(w, f))
        }),
    )?;
    Ok(hits_or_not(!page.hits.is_empty()))
}

fn related(a: RelatedArgs) -> Result<Done> {
    let opts = RelatedOptions {
        index_dir: a.index,
        target: a.target.unwrap_or_default(),
        text: a.text,
        limit: a.limit,
        within: None,
    };
    let page = newsdex::search::related_page(&opts, 0, !a.no_collapse)?;
    emit(
        a.json,
        Box::new(|w| output::write_related_json(w, &page)),
        Box::new(|w| output::write_related(w, &page)),
    )?;
    Ok(hits_or_not(!page.hits.is_empty()))
}

fn stats(a: StatsArgs) -> Result<Done> {
    let opts = QueryOptions {
        actors: a.actor,
        ..filter_options(a.query, &a.filters)
    };
    let stats = newsdex::search::stats(&opts, a.limit)?;
    emit(
        a.json,
        Box::new(|w| output::write_stats_json(w, &stats)),
        Box::new(|w| output::write_stats(w, &stats)),
    )?;
    Ok(hits_or_not(stats.articles > 0))
}

fn extract_cmd(a: ExtractArgs) -> Result<Done> {
    let max = a.max_file_mb.saturating_mul(1 << 20);
    let mut out = io::stdout().lock();
    let mut failed = false;
    for file in &a.files {
        let abs = newsdex::crawl::absolute(file);
        let path = abs.to_string_lossy();
        let parsed = std::fs::read(&abs)
            .with_context(|| format!("{}", file.display()))
            .map_err(|e| e.to_string())
            .and_then(|bytes| {
                parse::parse_bytes(&path, &bytes, max)
                    .map_err(|e| format!("{}: {e}", file.display()))
            });
        let parsed = match parsed {
            Ok(p) => p,
            Err(e) => {
                eprintln!("newsdex: {e}");
                failed = true;
                continue;
            }
        };
        for w in &parsed.warnings {
            eprintln!("newsdex: {}: {w}", file.display());
        }
        // As `index` does: a file of blank articles has none, which is said, not printed.
        if parsed.articles.iter().all(|a| a.is_blank()) {
            eprintln!(
                "newsdex: {}: {}",
                file.display(),
                newsdex::index::writer::NO_ARTICLE
            );
            continue;
        }
        for mut article in parsed.articles.into_iter().filter(|a| !a.is_blank()) {
            extract::resolve_date(&mut article);
            let ex = extract::extract(&article);
            if a.json {
                serde_json::to_writer(&mut out, &output::ExtractRecord::new(&article, &ex))?;
                writeln!(out)?;
            } else {
                output::write_extract(&mut out, &article, &ex)?;
            }
        }
    }
    out.flush()?;
    Ok(if failed { Done::Partial } else { Done::Success })
}
