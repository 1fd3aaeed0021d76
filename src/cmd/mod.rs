//! The subcommands, one module each (as xsv has them). Each only wires
//! together parts built from its configuration: the lists ([`catalog`]),
//! the index and the matcher ([`crate::screening`]), and the report
//! ([`crate::report`]).

pub mod audit;
pub mod catalog;
pub mod diff;
pub mod fetch;
pub mod lists;
pub mod progress;
pub mod query;
pub mod screen;
