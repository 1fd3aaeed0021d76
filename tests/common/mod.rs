//! What several test modules share.
//!
//! This file, the proptest configuration, is `crate::common` of the test
//! crate (`tests/it/main.rs`). Beside it, each a module of that crate too:
//! - `dir.rs`: a fresh temporary directory to run the built binary in,
//!   shut off from the machine's lists and date;
//! - `run.rs`: running it to its end, and reading its output;
//! - `watch.rs`: running it under watch, with a time limit and its peak
//!   memory, for the broken-file corpus;
//! - `server.rs`: a tiny HTTP server on 127.0.0.1 standing for the
//!   publishers' sites, stopped when dropped;
//! - `browser.rs`: headless Chromium through ChromeDriver, for the pages a
//!   person looks at (skipped with a message when not installed).
//!
//! `run.rs` and `watch.rs` extend `dir.rs`'s `Dir` (`crate::dir`).

use proptest::test_runner::{Config as ProptestConfig, RngSeed};

/// `cases` cases from a fixed seed, so that CI is reproducible; explore
/// further with `PROPTEST_RNG_SEED=random PROPTEST_CASES=N` (with_cases
/// alone would ignore PROPTEST_CASES). Proptest keeps what it finds in a
/// `.proptest-regressions` file beside the test, re-run first every time.
pub fn proptest_config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(cases);
    let mut config = ProptestConfig::with_cases(cases);
    config.rng_seed = match std::env::var("PROPTEST_RNG_SEED") {
        Ok(s) if s == "random" => RngSeed::Random,
        Ok(s) => s.parse().unwrap_or(RngSeed::Fixed(20261126)),
        Err(_) => RngSeed::Fixed(20261126),
    };
    config
}
