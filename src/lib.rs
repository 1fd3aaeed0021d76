//! `sanctions`: screen names against published sanctions and export-control lists.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod index;
pub mod lists;
pub mod matcher;
pub mod model;
pub mod normalize;
pub mod terms;
