//! Crawl: folders in, a sorted list of candidate article files out (with size and mtime).
//!
//! Walks every root with walkdir, skipping hidden and VCS folders, the index folder itself and
//! files the include/exclude rules keep out. It reads no file contents; problems with one entry
//! (a symlink loop, a permission error) are reported and the walk goes on.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::error::{Error, Result};
use crate::parse::Format;

/// File names (without extension, any case) that describe a data folder rather than being news
/// articles; kept out unless `--no-default-excludes` is given.
pub const DEFAULT_EXCLUDED_STEMS: &[&str] = &[
    "readme",
    "source",
    "license",
    "licence",
    "copying",
    "changelog",
    "notice",
    "authors",
    "contributing",
];

/// What to crawl and what to keep out.
#[derive(Debug, Clone, Default)]
pub struct CrawlOptions {
    /// Files or folders to crawl.
    pub roots: Vec<PathBuf>,
    /// Globs a file must match (any of) to be read; empty means every supported file.
    pub include: Vec<String>,
    /// Globs that keep matching files out.
    pub exclude: Vec<String>,
    /// Keep `README.*`, `SOURCE.*`, `LICENSE.*`… in (they are excluded by default).
    pub no_default_excludes: bool,
    /// Folders never descended into (the index folder, when it lies inside a root).
    pub skip_dirs: Vec<PathBuf>,
}

/// A file the crawl found and will hand to the parser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    /// Absolute path, the file's identity in the index. Boxed: the list lives through the
    /// run, and a `PathBuf` built by joining keeps room to grow (and 8 bytes of capacity).
    pub abs: Box<Path>,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch (0 when unknown).
    pub mtime_ns: u64,
}

/// A path the crawl passed over or could not read, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The path.
    pub path: PathBuf,
    /// Why.
    pub reason: String,
}

/// Everything a crawl found.
#[derive(Debug, Default)]
pub struct Crawl {
    /// Candidate article files, sorted by path, each once.
    pub files: Vec<FileEntry>,
    /// Files left out on purpose: unsupported type, excluded by a rule.
    pub skipped: Vec<Skipped>,
    /// Entries that could not be read: permission errors, symlink loops, missing roots.
    pub errors: Vec<Skipped>,
}

/// The include/exclude rules, compiled once and shared by the walk and by incremental indexing
/// (which must know whether a file that disappeared from the crawl was excluded or deleted).
#[derive(Debug)]
pub struct Filter {
    include: Option<GlobSet>,
    exclude: GlobSet,
    default_excludes: bool,
}

fn globset(globs: &[String]) -> Result<GlobSet> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        // A glob without a slash matches a file name anywhere, as in .gitignore.
        let pattern = if g.contains('/') {
            g.clone()
        } else {
            format!("**/{g}")
        };
        let glob =
            Glob::new(&pattern).map_err(|e| Error::Usage(format!("invalid glob '{g}': {e}")))?;
        b.add(glob);
    }
    b.build()
        .map_err(|e| Error::Usage(format!("invalid globs: {e}")))
}

impl Filter {
    /// Compiles the rules of `opts`.
    pub fn new(opts: &CrawlOptions) -> Result<Self> {
        Ok(Filter {
            include: if opts.include.is_empty() {
                None
            } else {
                Some(globset(&opts.include)?)
            },
            exclude: globset(&opts.exclude)?,
            default_excludes: !opts.no_default_excludes,
        })
    }

    /// Why `path` (relative to its root) is kept out, or None when it is a candidate article.
    pub fn reject(&self, rel: &Path) -> Option<&'static str> {
        if Format::from_path(rel).is_none() {
            return Some("unsupported file type");
        }
        if self.default_excludes && is_default_excluded(rel) {
            return Some("not an article (README/SOURCE/LICENSE…; --no-default-excludes keeps it)");
        }
        if self.exclude.is_match(rel) {
            return Some("excluded by --exclude");
        }
        if let Some(inc) = &self.include
            && !inc.is_match(rel)
        {
            return Some("not matched by --include");
        }
        None
    }
}

fn is_default_excluded(rel: &Path) -> bool {
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let stem = name.split('.').next().unwrap_or("");
    DEFAULT_EXCLUDED_STEMS.contains(&stem)
}

fn is_hidden_or_vcs(name: &std::ffi::OsStr) -> bool {
    let n = name.to_string_lossy();
    n.starts_with('.') || n == "CVS" || n == "_darcs" || n == "node_modules"
}

/// Absolute form of `p` without resolving symlinks in its last component.
pub fn absolute(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| std::path::absolute(p).unwrap_or(p.to_path_buf()))
}

/// Walks the roots. Fails only when the rules themselves are invalid; unreadable entries are
/// reported in `Crawl::errors`.
pub fn crawl(opts: &CrawlOptions) -> Result<(Crawl, Filter)> {
    let filter = Filter::new(opts)?;
    let skip: Vec<PathBuf> = opts.skip_dirs.iter().map(|d| absolute(d)).collect();
    let mut out = Crawl::default();
    let mut found: Vec<PathBuf> = Vec::new();
    for root in &opts.roots {
        let root_abs = match std::fs::canonicalize(root) {
            Ok(p) => p,
            Err(e) => {
                out.errors.push(Skipped {
                    path: root.clone(),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        // walkdir walks (it reads file types from the folder listings, and finds symlink loops);
        // the files it finds are stat'ed afterwards on all cores, and sorted once at the end.
        let walker = WalkDir::new(&root_abs)
            .follow_links(true)
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || !(is_hidden_or_vcs(e.file_name())
                        || (e.file_type().is_dir() && skip.iter().any(|s| s == e.path())))
            });
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e.path().map(Path::to_path_buf).unwrap_or(root.clone());
                    let reason = if e.loop_ancestor().is_some() {
                        "symlink loop, not followed".to_string()
                    } else {
                        e.io_error()
                            .map(|io| io.to_string())
                            .unwrap_or_else(|| e.to_string())
                    };
                    out.errors.push(Skipped { path, reason });
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            // A single-file root is relative to its folder, so rules see its name.
            let rel = entry
                .path()
                .strip_prefix(&root_abs)
                .ok()
                .filter(|r| !r.as_os_str().is_empty())
                .unwrap_or_else(|| Path::new(entry.file_name()));
            if let Some(reason) = filter.reject(rel) {
                out.skipped.push(Skipped {
                    path: entry.path().to_path_buf(),
                    reason: reason.to_string(),
                });
                continue;
            }
            let abs = if entry.path_is_symlink() {
                absolute(entry.path())
            } else {
                entry.into_path()
            };
            found.push(abs);
        }
    }
    // Byte order: as deterministic as path order, and several times cheaper to sort by. Sorting
    // before the stat also drops the paths reached twice (overlapping roots, symlinks) without
    // hashing every path, and leaves the entries in order.
    found.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    found.dedup_by(|a, b| a.as_os_str() == b.as_os_str());
    let stats: Vec<std::io::Result<(u64, u64)>> = found
        .par_iter()
        .map(|abs| {
            std::fs::metadata(abs).map(|m| {
                let mtime_ns = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
                    .unwrap_or(0);
                (m.len(), mtime_ns)
            })
        })
        .collect();
    // The list lives through the whole run: no room to grow into.
    out.files.reserve_exact(found.len());
    for (abs, stat) in found.into_iter().zip(stats) {
        match stat {
            Ok((size, mtime_ns)) => out.files.push(FileEntry {
                abs: abs.into_boxed_path(),
                size,
                mtime_ns,
            }),
            Err(e) => out.errors.push(Skipped {
                path: abs,
                reason: e.to_string(),
            }),
        }
    }
    // Listings come in the file system's order; reports come in path order.
    out.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    out.errors.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((out, filter))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_excludes_match_data_folder_notes() {
        let f = Filter::new(&CrawlOptions::default()).unwrap();
        for p in ["README.TXT", "bbc/SOURCE.md", "LICENSE.txt", "readme.md"] {
            assert!(f.reject(Path::new(p)).is_some(), "{p}");
        }
        for p in [
            "politics/001.txt",
            "sources.txt",
            "x/readmeish.md",
            "a.jsonl.gz",
        ] {
            assert_eq!(f.reject(Path::new(p)), None, "{p}");
        }
        assert!(f.reject(Path::new("photo.jpg")).is_some());
    }

    #[test]
    fn include_and_exclude_globs() {
        let f = Filter::new(&CrawlOptions {
            include: vec!["politics/*.txt".into()],
            exclude: vec!["*draft*".into()],
            ..Default::default()
        })
        .unwrap();
        assert_eq!(f.reject(Path::new("politics/001.txt")), None);
        assert!(f.reject(Path::new("sport/001.txt")).is_some());
        assert!(f.reject(Path::new("politics/draft-1.txt")).is_some());
        assert!(
            Filter::new(&CrawlOptions {
                exclude: vec!["[".into()],
                ..Default::default()
            })
            .is_err()
        );
    }
}
