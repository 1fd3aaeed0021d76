//! The lists a command screens against, announced on standard error (the
//! loading and indexing are the [`crate::screening`] core's).

use crate::lists::Catalog;

/// List warnings shown on standard error at most; `sanctions lists` shows all.
const WARNINGS_SHOWN: usize = 10;

/// Say on standard error that the bundled sample is in use, and the first
/// list warnings.
pub fn announce(catalog: &Catalog) {
    if catalog.bundled {
        eprintln!("sanctions: {}", crate::screening::BUNDLED_SAMPLE_WARNING);
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
