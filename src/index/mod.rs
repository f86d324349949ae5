//! Index: the tantivy side of newsdex. `schema` is the one place that names fields; `writer`
//! runs the crawl → parse → extract pipeline into an `IndexWriter`, incrementally.

pub mod copies;
pub mod inflight;
pub mod lsa;
pub mod readahead;
pub mod schema;
pub mod stem;
pub mod writer;

pub use schema::open_index;
pub use writer::{DEFAULT_MEMORY_MB, IndexOptions, Progress, Stages, Summary, run_index};
