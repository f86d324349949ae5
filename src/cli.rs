//! The command line, as clap derive definitions only. `main.rs` turns these into the library's
//! option structs; no clap type goes further.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Index a folder of news articles and search it: full text, actors, countries, dates.
#[derive(Debug, Parser)]
#[command(name = "newsdex", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index files and folders (incrementally: only new and changed files are read).
    Index(IndexArgs),
    /// Search the index.
    Query(QueryArgs),
    /// Search what actors said: quotes and reported speech, with speaker and role.
    Statements(StatementsArgs),
    /// Articles that cover the same story as an article, a file or some text.
    Related(RelatedArgs),
    /// The corpus (or what a query matches) at a glance: counts, top countries, actors and
    /// speakers, a timeline, duplicates.
    Stats(StatsArgs),
    /// Parse and extract files without indexing, printing what was found.
    Extract(ExtractArgs),
}

/// When to use terminal colors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// On a terminal only.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// `newsdex index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Files or folders to index.
    #[arg(default_value = "corpus")]
    pub paths: Vec<PathBuf>,
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Drop the index and index everything again.
    #[arg(long)]
    pub rebuild: bool,
    /// Only files matching this glob (repeatable; a glob without '/' matches file names).
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Leave out files matching this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Also index README.*, SOURCE.*, LICENSE.* and similar files (left out by default).
    #[arg(long)]
    pub no_default_excludes: bool,
    /// Worker threads (default: number of CPUs, at most 8); tantivy indexes beside them with
    /// half as many (as many with --no-extract).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Indexing memory budget in MiB (at least 16 per thread).
    #[arg(long, default_value_t = newsdex::index::DEFAULT_MEMORY_MB)]
    pub memory_mb: usize,
    /// Skip files larger than this many MiB (after decompression).
    #[arg(long, default_value_t = 64)]
    pub max_file_mb: u64,
    /// Date articles that carry no date by their file's modification time.
    #[arg(long)]
    pub mtime_dates: bool,
    /// Index text and dates only, without extracting actors, countries and statements.
    #[arg(long)]
    pub no_extract: bool,
    /// After the run, merge the index's segments into a few large ones: searches of a large
    /// archive get faster, at the cost of reading and writing the index once more.
    #[arg(long)]
    pub merge: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// List every skipped file and warning in the summary.
    #[arg(long, short)]
    pub verbose: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Sort order of `query`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    /// Best match first.
    Relevance,
    /// Most recent first.
    Newest,
    /// Oldest first.
    Oldest,
}

/// Where to look and which articles: shared by `query`, `statements` and `stats`.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Only results about this country: ISO code or name (repeatable: all required).
    #[arg(long)]
    pub country: Vec<String>,
    /// Published on or after: 2024, 2024-03 or 2024-03-01.
    #[arg(long)]
    pub from: Option<String>,
    /// Published on or before (the whole period: 2024-03 means to the end of March).
    #[arg(long)]
    pub to: Option<String>,
}

/// Options shared by `query` and `statements`: where to look, filters, paging, output.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Index folder and filters.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Results to show.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Results to skip.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Order of results.
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    pub sort: SortArg,
    /// One JSON object per result, with every stored field and the score.
    #[arg(long)]
    pub json: bool,
    /// Bold matched terms.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

/// `newsdex query`.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// Query in tantivy's language: words (all required), "phrases", AND/OR/NOT, -word,
    /// field:value (title, body, actor, country, source, author), date:2024-03,
    /// date:[2024-01 TO 2024-03]. Empty lists every article.
    #[arg(default_value = "")]
    pub query: String,
    /// Only articles naming this actor, or part of the name (repeatable: all required).
    #[arg(long)]
    pub actor: Vec<String>,
    /// Only articles in which this actor speaks (repeatable: all required).
    #[arg(long)]
    pub speaker: Vec<String>,
    /// After the hits, count the matching articles by country, actor and month (the N most
    /// frequent of each, default 10).
    #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "10", require_equals = true)]
    pub facets: Option<usize>,
    /// Rank the matching articles by how related they are to this article (an indexed id or
    /// path, or a file not in the index) instead of by the query.
    #[arg(long, value_name = "TARGET", conflicts_with = "sort")]
    pub related_to: Option<String>,
    /// Show every copy of a duplicated article as its own hit.
    #[arg(long)]
    pub no_collapse: bool,
    /// Index, filters, paging and output.
    #[command(flatten)]
    pub search: SearchArgs,
}

/// `newsdex statements`.
#[derive(Debug, Args)]
pub struct StatementsArgs {
    /// Words in what was said, in tantivy's query language. Empty lists every statement.
    #[arg(default_value = "")]
    pub query: String,
    /// Statements by this speaker: full name or part of it ("Asif", "Khawaja Asif");
    /// repeatable: any of them.
    #[arg(long)]
    pub by: Vec<String>,
    /// Speaker's role contains these words ("minister", "foreign minister").
    #[arg(long)]
    pub role: Vec<String>,
    /// Index, filters, paging and output.
    #[command(flatten)]
    pub search: SearchArgs,
}

/// `newsdex related`.
#[derive(Debug, Args)]
pub struct RelatedArgs {
    /// An indexed article's id or a file's path (indexed or not).
    #[arg(required_unless_present = "text")]
    pub target: Option<String>,
    /// Find coverage related to this text instead.
    #[arg(long)]
    pub text: Option<String>,
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Articles to show.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Show every copy of a duplicated article as its own result.
    #[arg(long)]
    pub no_collapse: bool,
    /// One JSON object per article.
    #[arg(long)]
    pub json: bool,
}

/// `newsdex stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Only the articles this query matches (as for `query`); empty: the whole index.
    #[arg(default_value = "")]
    pub query: String,
    /// Only articles naming this actor, or part of the name (repeatable: all required).
    #[arg(long)]
    pub actor: Vec<String>,
    /// Index folder and filters.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Entries in each top list.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// One JSON object.
    #[arg(long)]
    pub json: bool,
}

/// `newsdex extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Files to parse and extract.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// One JSON object per article.
    #[arg(long)]
    pub json: bool,
    /// Skip files larger than this many MiB.
    #[arg(long, default_value_t = 64)]
    pub max_file_mb: u64,
}
