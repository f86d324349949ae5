//! The CSV and TSV parsers (the same bytes as both), then extraction over what they yield.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    newsdex_fuzz::parse_and_check("/fuzz/2025/03/10/input.csv", data);
    newsdex_fuzz::parse_and_check("/fuzz/2025/03/10/input.tsv", data);
});
