//! Gzip decoding (multi-member, bounded size) in front of the text and JSON Lines parsers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    newsdex_fuzz::parse_and_check("/fuzz/2025/03/10/input.txt.gz", data);
    newsdex_fuzz::parse_and_check("/fuzz/2025/03/10/input.jsonl.gz", data);
});
