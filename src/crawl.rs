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

/// Most files one crawl lists: a run numbers them with `u32`.
pub const MAX_FILES: usize = u32::MAX as usize;

/// A file the crawl found and will hand to the parser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    /// Absolute path, the file's identity in the index.
    pub abs: PathBuf,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch (0 when unknown).
    pub mtime_ns: u64,
}

/// The files a crawl found, sorted by path (bytes), each once, with their sizes and times.
///
/// A run holds this list from its start to its end, so it is what a run's memory grows with:
/// as one [`FileEntry`] a file took some 80 bytes (the entry, and its path on the heap). Here a
/// file takes its name, its folder's number and where its name ends, its size and its time:
/// about 35 bytes for a BBC-like name, folders kept once.
#[derive(Debug, Default)]
pub struct FileList {
    dirs: Vec<Box<Path>>,
    /// File names, one after another; a file's begins where the one before it ends.
    names: String,
    /// Per file: its folder in `dirs` and where its name ends in `names` (for a file in
    /// `whole`, where the name before it ends, and no folder).
    slots: Vec<(u32, u32)>,
    sizes: Vec<u64>,
    mtimes: Vec<u64>,
    /// Files whose path is not a folder and a UTF-8 name (or past what `u32` offsets reach),
    /// by position: their whole path. Rare, and looked up by binary search.
    whole: Vec<(usize, Box<Path>)>,
}

impl FileList {
    /// Files in the list.
    pub fn len(&self) -> usize {
        self.sizes.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.sizes.is_empty()
    }

    /// Size in bytes of file `i`.
    pub fn size(&self, i: usize) -> u64 {
        self.sizes[i]
    }

    /// Absolute path of file `i`.
    pub fn path(&self, i: usize) -> PathBuf {
        let (dir, end) = self.slots[i];
        let start = i.checked_sub(1).map_or(0, |p| self.slots[p].1);
        match self.names.get(start as usize..end as usize) {
            Some(name) if !name.is_empty() => self.dirs[dir as usize].join(name),
            _ => self
                .whole
                .binary_search_by_key(&i, |(at, _)| *at)
                .map(|k| self.whole[k].1.to_path_buf())
                .unwrap_or_default(),
        }
    }

    /// File `i`, path, size and time.
    pub fn get(&self, i: usize) -> FileEntry {
        FileEntry {
            abs: self.path(i),
            size: self.sizes[i],
            mtime_ns: self.mtimes[i],
        }
    }

    /// Every file in order.
    pub fn iter(&self) -> impl Iterator<Item = FileEntry> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Builds the list from paths sorted by bytes, each with its size and time; `n` is how many
    /// there are at most, `names_len` the bytes of their names.
    fn from_sorted(
        files: impl Iterator<Item = (PathBuf, u64, u64)>,
        n: usize,
        names_len: usize,
    ) -> FileList {
        let mut list = FileList {
            slots: Vec::with_capacity(n),
            sizes: Vec::with_capacity(n),
            mtimes: Vec::with_capacity(n),
            ..FileList::default()
        };
        let mut names = String::with_capacity(names_len);
        let mut dir_ids: rustc_hash::FxHashMap<PathBuf, u32> = rustc_hash::FxHashMap::default();
        let mut last_dir: Option<u32> = None;
        for (path, size, mtime_ns) in files {
            let i = list.sizes.len();
            let end = u32::try_from(names.len()).unwrap_or(u32::MAX);
            let split = path
                .parent()
                .zip(path.file_name().and_then(|n| n.to_str()))
                .filter(|(dir, name)| {
                    joins_back(&path, dir, name) && names.len() + name.len() < u32::MAX as usize
                });
            match split {
                Some((dir, name)) if !name.is_empty() => {
                    // A folder's files mostly come one after another: the last one's folder is
                    // tried before the map.
                    let id = match last_dir
                        .filter(|&d| list.dirs[d as usize].as_os_str() == dir.as_os_str())
                    {
                        Some(d) => d,
                        None => match dir_ids.get(dir) {
                            Some(&d) => d,
                            None => {
                                let d = u32::try_from(list.dirs.len()).unwrap_or(u32::MAX);
                                list.dirs.push(dir.into());
                                dir_ids.insert(dir.to_path_buf(), d);
                                d
                            }
                        },
                    };
                    last_dir = Some(id);
                    names.push_str(name);
                    list.slots
                        .push((id, u32::try_from(names.len()).unwrap_or(u32::MAX)));
                }
                _ => {
                    list.slots.push((0, end));
                    list.whole.push((i, path.into_boxed_path()));
                }
            }
            list.sizes.push(size);
            list.mtimes.push(mtime_ns);
        }
        // The list lives through the whole run: no room to grow into.
        names.shrink_to_fit();
        list.names = names;
        list.slots.shrink_to_fit();
        list.sizes.shrink_to_fit();
        list.mtimes.shrink_to_fit();
        list.dirs.shrink_to_fit();
        list.whole.shrink_to_fit();
        list
    }
}

/// Whether `dir.join(name)` gives back `path` byte for byte: one separator between them, the
/// one `join` writes (not so for a folder ending in a separator, or a Windows path written with
/// '/').
fn joins_back(path: &Path, dir: &Path, name: &str) -> bool {
    let (p, d) = (path.as_os_str(), dir.as_os_str());
    p.len() == d.len() + 1 + name.len()
        && p.as_encoded_bytes().get(d.len()) == Some(&(std::path::MAIN_SEPARATOR as u8))
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
    pub files: FileList,
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
    if found.len() > MAX_FILES {
        return Err(Error::Usage(format!(
            "{} files to index: one run takes at most {MAX_FILES}; index the folders in parts",
            found.len()
        )));
    }
    let n = found.len();
    let names_len = found
        .iter()
        .filter_map(|p| p.file_name())
        .map(|name| name.len())
        .sum();
    let mut listed = found
        .into_iter()
        .zip(stats)
        .filter_map(|(abs, stat)| match stat {
            Ok((size, mtime_ns)) => Some((abs, size, mtime_ns)),
            Err(e) => {
                out.errors.push(Skipped {
                    path: abs,
                    reason: e.to_string(),
                });
                None
            }
        });
    out.files = FileList::from_sorted(&mut listed, n, names_len);
    // Listings come in the file system's order; reports come in path order.
    out.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    out.errors.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((out, filter))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_list_gives_back_each_path_size_and_time() {
        let mut paths: Vec<PathBuf> = [
            "/news/a/001.txt",
            "/news/a/002.txt",
            "/news/a-b/001.txt",
            "/news/a/sub/x.json",
            "/news/z.txt",
            "/top.txt",
            "/",
            "/news/é/ü.md",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            // Not UTF-8: kept whole.
            paths.push(PathBuf::from(std::ffi::OsStr::from_bytes(
                b"/news/a/caf\xe9.txt",
            )));
        }
        paths.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
        let list = FileList::from_sorted(
            paths
                .iter()
                .enumerate()
                .map(|(i, p)| (p.clone(), i as u64 * 10, i as u64 + 7)),
            paths.len(),
            0,
        );
        assert_eq!(list.len(), paths.len());
        for (i, p) in paths.iter().enumerate() {
            let e = list.get(i);
            assert_eq!(e.abs.as_os_str(), p.as_os_str(), "{i}");
            assert_eq!((e.size, e.mtime_ns), (i as u64 * 10, i as u64 + 7));
            assert_eq!(list.size(i), e.size);
        }
        assert_eq!(list.iter().count(), paths.len());
        // Folders are kept once however their files interleave with a subfolder's.
        assert_eq!(list.dirs.len(), 5, "{:?}", list.dirs);
        assert!(FileList::default().is_empty());
    }

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
