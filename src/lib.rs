//! `sanctions`: screen names against published sanctions and export-control lists.
//!
//! Data flows one way: list files → [`lists`] (one loader per published
//! format) → [`model::Entity`] → [`index::IndexBuilder`] → [`index::Index`] →
//! [`matcher::Matcher`] → [`report`]. The command line becomes a checked
//! [`Config`] in [`cli`]; [`run`] hands it to its subcommand (one module
//! each: screen, query, lists, diff, fetch), which only wires those parts.
//! What `screen`, `query` and `serve` share, from loading the lists to a
//! row's verdict and the run id, is the [`screening`] core.
//!
//! ```
//! use sanctions::{index::IndexBuilder, lists, matcher::Matcher};
//! let catalog = lists::load_bundled().unwrap();
//! let mut builder = IndexBuilder::new();
//! builder.extend(catalog.entities);
//! let index = builder.build();
//! let hits = Matcher::new(&index, 0.8, 3).search("SenseTime Group Ltd");
//! assert!(index.entities[hits[0].entity as usize].programs.iter().any(|p| p == "CMIC-EO13959"));
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod cli;
pub mod clock;
mod cmd;
pub mod config;
pub mod countries;
pub mod decisions;
pub mod features;
pub mod fetch;
pub mod index;
pub mod input;
pub mod lists;
pub mod matcher;
pub mod model;
pub mod normalize;
pub mod ofac_score;
pub mod report;
pub mod screening;
pub mod serve;
pub mod terms;
pub mod workflow;

pub use config::{
    Command, Config, DiffConfig, FailOn, FetchConfig, Finished, ListsConfig, Outcome, QueryConfig,
    ScreenConfig, ServeConfig,
};
pub use screening::{build_index, expand_fetched, load_catalog, to_hit};

/// Run a command: hand it to its subcommand, each of which wires the parts
/// above together from its part of the [`Config`].
pub fn run(config: &Config) -> anyhow::Result<Finished> {
    Ok(match &config.command {
        Command::Screen(c) => cmd::screen::run(c)?,
        Command::Lists(c) => cmd::lists::run(c)?.into(),
        Command::Query(c) => cmd::query::run(c)?.into(),
        Command::Diff(c) => cmd::diff::run(c)?.into(),
        Command::Fetch(c) => cmd::fetch::run(c)?.into(),
        Command::Serve(c) => serve::run(c)?.into(),
        Command::Completions(shell) => {
            cli::write_completions(*shell, &mut std::io::stdout().lock());
            Outcome::Clear.into()
        }
        Command::Man => {
            cli::write_man(&mut std::io::stdout().lock())?;
            Outcome::Clear.into()
        }
    })
}
