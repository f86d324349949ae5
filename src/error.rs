//! The library's one error type. Every variant names what went wrong and, where a user can act,
//! how to fix it; `main.rs` prints the message as one line and exits with code 2. No variant
//! marks its cause as a `source`: the message already says it, and `main.rs` prints the whole
//! chain, which would repeat it ("x: File too large: File too large").

use std::path::PathBuf;

/// Errors a library call returns. Per-file problems during indexing are *not* errors of the run:
/// they are collected in the summary (see [`crate::index::writer::FileProblem`]).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("{}: {error}", path.display())]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        error: std::io::Error,
    },
    /// A file's contents could not be turned into articles.
    #[error("{}: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// There is no index where one was expected.
    #[error("no index at {}: run `newsdex index` first, or pass --index DIR", .0.display())]
    NoIndex(PathBuf),
    /// Another process holds the index writer lock.
    #[error("index at {} is locked by another newsdex run; wait for it to finish", .0.display())]
    Locked(PathBuf),
    /// The index on disk was written with a different schema.
    #[error(
        "index at {} was built by a different version of newsdex (its schema differs); rebuild it with `newsdex index --rebuild`",
        .0.display()
    )]
    SchemaMismatch(PathBuf),
    /// A query, filter or option that cannot be understood.
    #[error("{0}")]
    Usage(String),
    /// Writing the index failed (disk full, a file size limit, no write permission). Nothing
    /// of the run was committed, so the index is as the previous run left it.
    #[error(
        "cannot write the index at {}: {reason}; nothing was committed, the index is as it was before this run (check free space and permissions)",
        dir.display()
    )]
    Write {
        /// The index folder.
        dir: PathBuf,
        /// What went wrong, from the operating system or tantivy.
        reason: String,
    },
    /// Merging segments (`index --merge`) failed after the run was committed: the run's
    /// documents are in the index, which keeps the segments it had before the merge.
    #[error(
        "cannot merge the index at {}: {reason}; the run's documents are committed and the index is whole, only not merged (check free space)",
        dir.display()
    )]
    Merge {
        /// The index folder.
        dir: PathBuf,
        /// What went wrong, from the operating system or tantivy.
        reason: String,
    },
    /// An error inside tantivy that is not one of the above.
    #[error("index error: {0}")]
    Index(tantivy::TantivyError),
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Self {
        Error::Index(e)
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An I/O error about `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            error: source,
        }
    }
}
