//! What every fuzz target checks: a file's bytes go through `parse_bytes` under a fake path of
//! the format being fuzzed, and each article through date resolution and extraction. Nothing
//! may panic or hang, and every span extraction returns must be a character range of the body.

use newsdex::Article;
use newsdex::extract::{self, Extracted};
use newsdex::parse::parse_bytes;

/// Inputs are small, so a low limit also exercises the too-large path of `.gz`.
pub const MAX_BYTES: u64 = 1 << 20;

/// Parses `data` as the file at `path` (its extension picks the parser), then resolves dates
/// and extracts every article, asserting the invariants of both stages.
pub fn parse_and_check(path: &str, data: &[u8]) {
    let Ok(parsed) = parse_bytes(path, data, MAX_BYTES) else {
        return;
    };
    for a in parsed.articles {
        assert_eq!(a.path, path);
        assert!(!a.id.is_empty());
        extract_and_check(a);
    }
}

/// Resolves the date of `a` and extracts it, asserting that every span is well-formed.
pub fn extract_and_check(mut a: Article) -> Extracted {
    extract::resolve_date(&mut a);
    let ex = extract::extract(&a);
    if let Err(e) = ex.check_spans(&a.body) {
        panic!("{e}");
    }
    ex
}
