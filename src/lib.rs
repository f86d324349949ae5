//! newsdex: a batch indexer and search engine for folders of news articles.
//!
//! The pipeline is crawl → parse (`Article`) → extract (fields) → index (tantivy) → search
//! (`Hit`) → output. Each stage is a module taking and returning plain data, so tests can call
//! any stage alone and the CLI (`main.rs`) stays a thin layer.

pub mod article;
pub mod crawl;
pub mod decode;
pub mod dedup;
pub mod error;
pub mod extract;
pub mod index;
pub mod output;
pub mod parse;
pub mod search;

pub use article::Article;
pub use error::{Error, Result};
