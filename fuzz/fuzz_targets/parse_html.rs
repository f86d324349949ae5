//! The .html parser, then extraction over what it yields.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    newsdex_fuzz::parse_and_check("/fuzz/2025/03/10/input.html", data);
});
