//! Links the `newsdex` binary as a position-dependent executable on Linux.
//!
//! A position-independent executable carries 35,000 relocations (every pointer in a static
//! table, vtable or string list), which the dynamic loader applies at each start by writing
//! 800 KB of pages. Each query is a process of its own, so that was paid by every search:
//! linked at a fixed address, `query election` on the 100k index took 5.0 ms instead of 5.7
//! warm, `--version` 12.9 ms instead of 15.0 with nothing cached. The cost is that the binary
//! itself is not loaded at a random address (its heap, stack and libraries still are).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    // Only where the linker driver is gcc or clang with glibc, which take `-no-pie`; the
    // objects stay position-independent, so linking them at a fixed address needs nothing else.
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
