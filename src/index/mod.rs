//! Index: the tantivy side of newsdex. `schema` is the one place that names fields; `writer`
//! runs the crawl → parse → extract pipeline into an `IndexWriter`, incrementally.

pub mod copies;
pub mod inflight;
pub mod lsa;
pub mod readahead;
pub mod schema;
pub mod searchdir;
pub mod stem;
pub mod writer;

pub use schema::open_index;
pub use writer::{
    DEFAULT_MEMORY_MB, IndexOptions, MERGED_DOCS_MAX, Merged, Progress, Stages, Summary, run_index,
};

/// Reads the little-endian fields of a file the index keeps beside tantivy's (the sections
/// basis, the copy groups) front to back; `None` once the bytes run out.
pub(crate) struct Cursor<'a>(pub(crate) &'a [u8]);

impl<'a> Cursor<'a> {
    pub(crate) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, tail) = self.0.split_at_checked(n)?;
        self.0 = tail;
        Some(head)
    }

    pub(crate) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    pub(crate) fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}
