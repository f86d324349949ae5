//! Extraction on any text: the first line is the title, the rest the body (no parser in
//! between, so the extractors see bytes no parser would hand them, e.g. lone CRs).
#![no_main]

use newsdex::Article;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (title, body) = text.split_once('\n').unwrap_or(("", &text));
    newsdex_fuzz::extract_and_check(Article {
        path: "/fuzz/2025/03/10/input.txt".into(),
        title: title.to_string(),
        body: body.to_string(),
        ..Default::default()
    });
});
