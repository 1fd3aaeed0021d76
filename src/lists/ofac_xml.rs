//! OFAC sdnList XML (stub, being written).
use super::{Loaded, OfacList, Source};
use anyhow::Result;

/// Load an OFAC XML file.
pub fn load(_src: &Source, _list: OfacList) -> Result<Loaded> {
    Ok(Loaded::default())
}
