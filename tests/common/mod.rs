//! What several test files share.

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
