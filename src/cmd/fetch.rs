//! `sanctions fetch`: download the official lists with [`crate::fetch`],
//! say what was fetched, and fail when a source did.

use crate::config::{FetchConfig, Outcome};
use crate::fetch::{self, FetchOptions};
use anyhow::Result;

/// Run `sanctions fetch`.
pub fn run(c: &FetchConfig) -> Result<Outcome> {
    let opts = FetchOptions {
        dir: c.dir.clone(),
        from: c.from.as_deref().map(mirror),
        timeout: c.timeout,
        retries: c.retries,
        only: c.only.clone(),
        allow_shrink: c.allow_shrink,
    };
    let summary = fetch::fetch(&opts, &mut |line| eprintln!("sanctions: {line}"))?;
    let fetched = summary.sources.iter().filter(|s| s.is_fetched()).count();
    eprintln!(
        "sanctions: {fetched} of {} sources fetched into {}",
        summary.sources.len(),
        c.dir.display()
    );
    let failures: Vec<String> = summary
        .failures()
        .map(|(key, reason)| format!("{key}: {reason}"))
        .collect();
    if !failures.is_empty() {
        anyhow::bail!(
            "{} source(s) failed (their last good copy is kept): {}",
            failures.len(),
            failures.join("; ")
        );
    }
    Ok(Outcome::Clear)
}

/// The mirror as the manifest records it: a directory by its full path, a
/// URL as given.
fn mirror(from: &str) -> String {
    let p = std::path::Path::new(from);
    if !from.contains("://") && p.is_dir() {
        std::fs::canonicalize(p)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| from.to_string())
    } else {
        from.to_string()
    }
}
