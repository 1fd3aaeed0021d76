//! Which of `../shared/lists` are "the US lists": shared by the screening
//! benchmark and the load generator, so both measure the same set.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

/// The newest OFAC SDN CSV, OFAC Non-SDN CSV and trade.gov CSL directories.
/// An OFAC directory counts only if it holds its primary file: a newer one
/// with only the companion files (`add.csv`, `alt.csv`) would load nothing.
pub fn us_lists(root: &Path) -> Result<Vec<PathBuf>> {
    let ofac = root.join("ofac");
    let mut paths = Vec::new();
    for (prefix, primary) in [("sdn_csv_", "sdn.csv"), ("cons_csv_", "cons_prim.csv")] {
        let mut dirs = subdirs(&ofac, prefix)?;
        while let Some(d) = dirs.pop() {
            if d.join(primary).is_file() {
                paths.push(d);
                break;
            }
            println!(
                "note: {} has no {primary}, taking an older release",
                d.display()
            );
        }
    }
    if let Some(d) = subdirs(&root.join("trade_gov_csl"), "")?.pop() {
        paths.push(d);
    }
    if paths.is_empty() {
        bail!("{}: no US list directories found", root.display());
    }
    Ok(paths)
}

/// The subdirectories of `dir` whose names start with `prefix`, sorted by
/// name (so the newest date comes last); none if `dir` does not exist.
fn subdirs(dir: &Path, prefix: &str) -> Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).with_context(|| format!("{}: cannot read", dir.display()))? {
        let e = e.with_context(|| format!("{}: cannot read", dir.display()))?;
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with(prefix) && !name.starts_with('.') && e.path().is_dir() {
            out.push(e.path());
        }
    }
    out.sort();
    Ok(out)
}
