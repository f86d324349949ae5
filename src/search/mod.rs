//! Search: questions in, `Hit`s out. `query` runs tantivy's query language with newsdex's
//! filters, sort orders and snippets; `related` finds coverage of the same story; `collapse`
//! folds copies into one hit; `facets` and `stats` count over what a query matches. Nothing
//! here prints (rendering is `output`'s job).

pub mod collapse;
pub mod facets;
pub(crate) mod order;
pub mod query;
pub mod related;
pub mod statement_words;
pub mod stats;

pub use collapse::{Collapsed, CopyRef, RelatedPage, related_page};
pub use facets::{Count, Facets, facets};
pub use query::{
    Hit, QueryOptions, SearchResult, Sort, StatementHit, StatementResult, Target, search,
    search_statements,
};
pub use related::{RelatedHit, RelatedOptions, related};
pub use stats::{Stats, stats};
