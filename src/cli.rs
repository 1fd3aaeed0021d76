//! Command-line parsing. Only this module sees clap: [`Cli::into_config`]
//! turns the parsed arguments into a checked [`Config`].

use crate::report;
use crate::{Command, Config, ListsConfig, QueryConfig, ScreenConfig};
use anyhow::{Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;

/// Screen names against published sanctions and export-control lists.
#[derive(Debug, Parser)]
#[command(name = "sanctions", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Sub,
}

#[derive(Debug, Subcommand)]
enum Sub {
    /// Screen the names of a CSV file (header row; `name` column) against the lists.
    ///
    /// Exit status: 0 no potential match, 1 potential matches, 2 usage or input error.
    Screen {
        /// The CSV file to screen, or `-` for standard input.
        #[arg(default_value = "-")]
        file: String,
        /// The column holding the names.
        #[arg(long, default_value = "name")]
        column: String,
        #[command(flatten)]
        lists: ListsArg,
        #[command(flatten)]
        matching: MatchArgs,
        /// Report format [default: table on a terminal, csv otherwise].
        #[arg(long, value_enum)]
        format: Option<FormatArg>,
        /// Write the report to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Show what is loaded: each list file with its format, date, counts and sha256, and what was skipped.
    Lists {
        #[command(flatten)]
        lists: ListsArg,
        /// Output as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Screen one name and explain each hit token by token.
    Query {
        /// The name to screen.
        name: String,
        #[command(flatten)]
        lists: ListsArg,
        #[command(flatten)]
        matching: MatchArgs,
        /// Output as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, clap::Args)]
struct ListsArg {
    /// A list file or a directory of list files (repeatable). Default: $SANCTIONS_LISTS
    /// (paths separated like PATH), else the bundled sample lists.
    #[arg(long = "lists", value_name = "PATH")]
    lists: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct MatchArgs {
    /// Report hits scoring at least this (0 to 1).
    #[arg(long, default_value_t = crate::matcher::DEFAULT_THRESHOLD)]
    threshold: f32,
    /// At most this many hits per name (0 = all).
    #[arg(long, default_value_t = 5)]
    top: usize,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Table,
    Csv,
    Json,
    Jsonl,
}

impl ListsArg {
    fn resolve(self) -> Vec<PathBuf> {
        if !self.lists.is_empty() {
            return self.lists;
        }
        match std::env::var_os("SANCTIONS_LISTS") {
            Some(v) if !v.is_empty() => std::env::split_paths(&v).collect(),
            _ => Vec::new(),
        }
    }
}

impl MatchArgs {
    fn check(&self) -> Result<()> {
        if !(0.0..=1.0).contains(&self.threshold) {
            bail!(
                "--threshold must be between 0 and 1, got {}",
                self.threshold
            );
        }
        Ok(())
    }
}

impl Cli {
    /// Check the arguments and build the run's configuration.
    pub fn into_config(self) -> Result<Config> {
        let command = match self.command {
            Sub::Screen {
                file,
                column,
                lists,
                matching,
                format,
                output,
            } => {
                matching.check()?;
                let format = match format {
                    Some(FormatArg::Table) => report::Format::Table,
                    Some(FormatArg::Csv) => report::Format::Csv,
                    Some(FormatArg::Json) => report::Format::Json,
                    Some(FormatArg::Jsonl) => report::Format::Jsonl,
                    None if output.is_none() && std::io::stdout().is_terminal() => {
                        report::Format::Table
                    }
                    None => report::Format::Csv,
                };
                if file == "-" && std::io::stdin().is_terminal() {
                    bail!(
                        "no input: give a CSV file to screen, or pipe one to standard input (`-`)"
                    );
                }
                Command::Screen(ScreenConfig {
                    input: file,
                    column,
                    lists: lists.resolve(),
                    threshold: matching.threshold,
                    top: matching.top,
                    format,
                    output,
                })
            }
            Sub::Lists { lists, json } => Command::Lists(ListsConfig {
                lists: lists.resolve(),
                json,
            }),
            Sub::Query {
                name,
                lists,
                matching,
                json,
            } => {
                matching.check()?;
                Command::Query(QueryConfig {
                    name,
                    lists: lists.resolve(),
                    threshold: matching.threshold,
                    top: matching.top,
                    json,
                })
            }
        };
        Ok(Config { command })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn threshold_out_of_range_is_a_usage_error() {
        let cli = Cli::try_parse_from(["sanctions", "query", "x", "--threshold", "1.5"]).unwrap();
        assert!(
            cli.into_config()
                .unwrap_err()
                .to_string()
                .contains("--threshold")
        );
    }
}
