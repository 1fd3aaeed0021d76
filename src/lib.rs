//! `sanctions`: screen names against published sanctions and export-control lists.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod lists;
pub mod model;
