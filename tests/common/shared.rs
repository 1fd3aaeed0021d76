//! The real published list files beside the checkout (`../shared/lists`),
//! which the repository does not hold: a test that reads them skips with a
//! message when they are absent, and fails instead when
//! `SANCTIONS_REQUIRE_LISTS` is set (a run that must have them).

use std::path::PathBuf;

/// `../shared/lists/<rel>` (`rel` may be empty), or `None` after saying why
/// it is skipped; a panic when it is absent and `SANCTIONS_REQUIRE_LISTS` is set.
pub fn shared_lists(rel: &str) -> Option<PathBuf> {
    shared_lists_if(rel, std::env::var_os("SANCTIONS_REQUIRE_LISTS").is_some())
}

/// [`shared_lists`], with whether the files are required given.
pub fn shared_lists_if(rel: &str, required: bool) -> Option<PathBuf> {
    let base = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/lists");
    let path = if rel.is_empty() { base } else { base.join(rel) };
    if path.exists() {
        return Some(path);
    }
    let why =
        format!("../shared/lists/{rel} not found (the real list files are not in the repository)");
    if required {
        panic!("{why}, and SANCTIONS_REQUIRE_LISTS is set");
    }
    eprintln!("skipping: {why}");
    None
}
