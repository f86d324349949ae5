//! Search: questions in, `Hit`s out. `query` runs tantivy's query language with newsdex's
//! filters, sort orders and snippets; it never prints (rendering is `output`'s job).

pub mod query;
pub mod related;

pub use query::{
    Hit, QueryOptions, SearchResult, Sort, StatementHit, StatementResult, Target, search,
    search_statements,
};
pub use related::{RelatedHit, RelatedOptions, related};
