//! OFAC legacy CSV files (stub, being written).
use super::{Loaded, OfacList, Source};
use anyhow::Result;

/// Which of the four OFAC CSV files a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// `sdn.csv` / `cons_prim.csv`.
    Primary,
    /// `alt.csv` / `cons_alt.csv`.
    Alt,
    /// `add.csv` / `cons_add.csv`.
    Address,
    /// `sdn_comments.csv` / `cons_comments.csv`.
    Comments,
}

/// Recognize an OFAC CSV file from its content.
pub fn sniff_role(_bytes: &[u8]) -> Option<Role> {
    None
}

/// Number of records in an OFAC CSV file.
pub fn count_records(_bytes: &[u8]) -> usize {
    0
}

/// One directory's OFAC CSV companions.
pub struct Set<'a> {
    /// `sdn.csv` or `cons_prim.csv`.
    pub primary: &'a Source,
    /// `alt.csv` or `cons_alt.csv`.
    pub alt: Option<&'a Source>,
    /// `add.csv` or `cons_add.csv`.
    pub add: Option<&'a Source>,
    /// `sdn_comments.csv` or `cons_comments.csv`.
    pub comments: Option<&'a Source>,
}

/// Load a set.
pub fn load(_set: &Set, _list: OfacList) -> Result<Loaded> {
    Ok(Loaded::default())
}
