//! The index folder as a search reads it: every file mapped without read-ahead, except that a
//! field's norms, a term's postings and positions, a column of fast values, a block of stored
//! documents and a small term dictionary are asked of the kernel in one read as soon as they
//! are opened.
//!
//! A search reads a few pages here and there, and the kernel's read-ahead around each (8 MB a
//! fault on the machine measured) made one query on an uncached 100k index read 130 MB, so the
//! files are mapped `MADV_RANDOM`. Scoring, though, reads the norms (one byte a document) of
//! the fields searched across the whole segment: without read-ahead that was half of an
//! uncached query's page faults, one 4 KB read each, and most of its time. Norms are small and
//! read whole, so they are read ahead, and only the fields a query opens. So is each block of
//! the document store that a hit's text is read from (16 KB before compression), and the
//! store's index of blocks: 58 one-page reads for the ten hits of `election`, or 82 -> 61 ms
//! for an uncached `related`, which reads fifty articles. And so is each fast-value column a
//! search opens (tantivy opens one column as one range of the `.fast` file): the copy
//! signatures of a page's candidates, the paths and dates that order ties, the actors and
//! countries `--facets` and `stats` count. Read a value at a time, they were 108 of the 151
//! page faults of an uncached `election`. With those gone, the postings of a term (and its
//! positions, for a phrase) were next: read ahead, an uncached `said` takes 18 ms, not 20,
//! and `statements --by Blair` 14 ms, not 17. A term dictionary is read ahead only when it is
//! small (under 256 KB, as for `kind` or the titles of the 100k index), which saves 0.2 to
//! 1 ms; the body's, megabytes in which a search looks up a few words, is read a page at a
//! time.

use std::fs::File;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Advice, Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback,
    WatchHandle, WritePtr,
};
use tantivy::{HasLen, TantivyError};

/// An index folder opened for searching (see the module doc).
#[derive(Debug, Clone)]
pub struct SearchDirectory {
    inner: MmapDirectory,
    root: PathBuf,
}

impl SearchDirectory {
    /// Opens `dir`, whose files will be mapped without read-ahead.
    pub fn open(dir: &Path) -> Result<SearchDirectory, TantivyError> {
        Ok(SearchDirectory {
            inner: MmapDirectory::open_with_madvice(dir, Advice::Random)?,
            root: dir.to_path_buf(),
        })
    }
}

/// The largest range read ahead: the norms of a field or a column over millions of documents,
/// not a whole store.
const READ_AHEAD_MAX: usize = 4 << 20;

/// The files read through [`ReadAhead`], by extension: norms, postings, positions, fast values
/// and stored documents, and the largest range read ahead in each. A term dictionary is looked
/// up a few words at a time: a small one is read whole, the body's (megabytes) page by page.
const READ_AHEAD_FILES: [(&str, usize); 6] = [
    ("fieldnorm", READ_AHEAD_MAX),
    ("idx", READ_AHEAD_MAX),
    ("pos", READ_AHEAD_MAX),
    ("fast", READ_AHEAD_MAX),
    ("store", READ_AHEAD_MAX),
    ("term", 256 << 10),
];

/// A file whose byte ranges are read ahead as they are opened.
#[derive(Debug)]
struct ReadAhead {
    inner: Arc<dyn FileHandle>,
    /// Opened once, for the read-ahead requests.
    file: File,
    /// The largest range read ahead.
    max: usize,
}

impl HasLen for ReadAhead {
    fn len(&self) -> usize {
        self.inner.len()
    }
}

impl FileHandle for ReadAhead {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        // tantivy asks for a field's norms, a term's postings, a column or a store block once,
        // as one range, and then reads it through the mapping: asking the kernel for the range
        // now turns the page faults to come into one read, started before the first of them.
        // Only a hint; a failure changes nothing. A whole store (merging reads one) is left to
        // the faults.
        #[cfg(target_os = "linux")]
        if range.end - range.start <= self.max {
            let len = std::num::NonZeroU64::new((range.end - range.start) as u64);
            let _ = rustix::fs::fadvise(
                &self.file,
                range.start as u64,
                len,
                rustix::fs::Advice::WillNeed,
            );
        }
        #[cfg(not(target_os = "linux"))]
        let _ = &self.file;
        self.inner.read_bytes(range)
    }
}

impl Directory for SearchDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let handle = self.inner.get_file_handle(path)?;
        let ext = path.extension().and_then(|e| e.to_str());
        if let Some(&(_, max)) = READ_AHEAD_FILES.iter().find(|(e, _)| Some(*e) == ext)
            && let Ok(file) = File::open(self.root.join(path))
        {
            return Ok(Arc::new(ReadAhead {
                inner: handle,
                file,
                max,
            }));
        }
        Ok(handle)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{FAST, STORED, Schema, TEXT, Value};
    use tantivy::{Index, IndexWriter, TantivyDocument};

    #[test]
    fn a_search_directory_reads_what_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let mut sb = Schema::builder();
        let body = sb.add_text_field("body", TEXT | STORED);
        let words = sb.add_u64_field("words", FAST);
        let index = Index::create_in_dir(dir.path(), sb.build()).unwrap();
        let mut w: IndexWriter = index.writer(15_000_000).unwrap();
        for text in ["border talks", "border tension", "budget"] {
            let mut d = TantivyDocument::default();
            d.add_text(body, text);
            d.add_u64(words, text.split(' ').count() as u64);
            w.add_document(d).unwrap();
        }
        w.commit().unwrap();
        let sd = SearchDirectory::open(dir.path()).unwrap();
        // Every segment file is read through the read-ahead handle, term dictionaries only in
        // short ranges; the index's own metadata is not.
        let mut seen = 0;
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            let name = PathBuf::from(entry.unwrap().file_name());
            let Some(ext) = name.extension().and_then(|e| e.to_str()) else {
                continue;
            };
            let handle = format!("{:?}", sd.get_file_handle(&name).unwrap());
            let ahead = ["fieldnorm", "store", "idx", "pos", "term", "fast"].contains(&ext);
            assert_eq!(handle.starts_with("ReadAhead"), ahead, "{name:?}: {handle}");
            if ahead {
                let max = if ext == "term" { 256 << 10 } else { 4 << 20 };
                assert!(
                    handle.ends_with(&format!("max: {max} }}")),
                    "{name:?}: {handle}"
                );
                seen += 1;
            }
        }
        assert_eq!(seen, 6);
        let index = Index::open(sd).unwrap();
        let searcher = index.reader().unwrap().searcher();
        let q = tantivy::query::QueryParser::for_index(&index, vec![body])
            .parse_query("border")
            .unwrap();
        let hits = searcher
            .search(
                &q,
                &tantivy::collector::TopDocs::with_limit(10).order_by_score(),
            )
            .unwrap();
        assert_eq!(hits.len(), 2);
        // Norms read through the read-ahead handle are the norms written.
        let norms = searcher
            .segment_reader(0)
            .get_fieldnorms_reader(body)
            .unwrap();
        assert_eq!(norms.fieldnorm(0), 2);
        assert_eq!(norms.fieldnorm(2), 1);
        // So are fast values.
        let column = searcher
            .segment_reader(0)
            .fast_fields()
            .u64("words")
            .unwrap();
        assert_eq!(column.first(0), Some(2));
        assert_eq!(column.first(2), Some(1));
        // And stored documents read through it are the ones written.
        let first: TantivyDocument = searcher.doc(tantivy::DocAddress::new(0, 0)).unwrap();
        assert_eq!(
            first.get_first(body).and_then(|v| v.as_str()),
            Some("border talks")
        );
    }
}
