//! trade.gov Consolidated Screening List (stub, being written).
use super::{Loaded, Source};
use anyhow::Result;

/// Does this JSON value look like a CSL JSON document?
pub fn looks_like_csl_json(_v: &serde_json::Value) -> bool {
    false
}

/// Load a CSL CSV file.
pub fn load_csv(_src: &Source) -> Result<Loaded> {
    Ok(Loaded::default())
}

/// Load a CSL JSON file.
pub fn load_json(_src: &Source) -> Result<Loaded> {
    Ok(Loaded::default())
}
