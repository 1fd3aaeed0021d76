//! The lists a command screens against: loaded from the paths given (a
//! fetched lists directory standing for the lists its manifest marks for
//! screening), indexed, and announced on standard error.

use crate::fetch;
use crate::index::{Index, IndexBuilder};
use crate::lists::{self, Catalog};
use anyhow::Result;
use std::path::PathBuf;

/// List warnings shown on standard error at most; `sanctions lists` shows all.
const WARNINGS_SHOWN: usize = 10;

/// Load the lists named, or the bundled sample when none are. A directory
/// that `sanctions fetch` filled (it holds `lists.json`) stands for the
/// lists its manifest marks for screening, so that the same parties are not
/// loaded twice from two formats.
pub fn load_catalog(paths: &[PathBuf]) -> Result<Catalog> {
    if paths.is_empty() {
        lists::load_bundled()
    } else {
        lists::load_paths(&expand_fetched(paths)?)
    }
}

/// Each fetched lists directory replaced by the paths its manifest marks
/// for screening ([`fetch::screening_paths`]); other paths as they are.
pub fn expand_fetched(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        match p.is_dir().then(|| fetch::screening_paths(p)).transpose()? {
            Some(Some(fetched)) if !fetched.is_empty() => out.extend(fetched),
            Some(Some(_)) => anyhow::bail!(
                "{}: the fetch manifest names no list to screen against",
                p.display()
            ),
            _ => out.push(p.clone()),
        }
    }
    Ok(out)
}

/// Build the index of a catalog's entities.
pub fn build_index(catalog: &mut Catalog) -> Index {
    IndexBuilder::with_entities(std::mem::take(&mut catalog.entities)).build()
}

/// Say on standard error that the bundled sample is in use, and the first
/// list warnings.
pub fn announce(catalog: &Catalog) {
    if catalog.bundled {
        eprintln!(
            "sanctions: using the bundled SAMPLE lists (a few dozen entries), not the official lists: pass --lists PATH or set SANCTIONS_LISTS"
        );
    }
    for w in catalog.warnings.iter().take(WARNINGS_SHOWN) {
        eprintln!("sanctions: warning: {w}");
    }
    if catalog.warnings.len() > WARNINGS_SHOWN {
        eprintln!(
            "sanctions: warning: ... and {} more list warnings (see `sanctions lists`)",
            catalog.warnings.len() - WARNINGS_SHOWN
        );
    }
}
