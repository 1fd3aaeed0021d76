//! Command-line parsing. Only this module sees clap: [`Cli::into_config`]
//! turns the parsed arguments into a checked [`Config`].

use crate::config::{
    Command, Config, DiffConfig, FailOn, FetchConfig, ListsConfig, QueryConfig, ScreenConfig,
    ServeConfig,
};
use crate::report;
use anyhow::{Result, bail};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
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
    /// Exit status: 0 no potential match (or only hits cleared by decisions, or
    /// below the block threshold with `--fail-on block`), 1 potential matches,
    /// 2 usage, input or list error, 3 lists too old (`--fail-on-stale`).
    Screen(ScreenArgs),
    /// Download the official list files into a lists directory, check that each
    /// parses before it replaces the last good copy, and record them in
    /// `lists.json`; a plain `screen` then uses them.
    ///
    /// Exit status: 0 every source fetched, 2 some failed (their last good copy is kept).
    Fetch {
        /// The lists directory [default: $SANCTIONS_HOME/lists, else
        /// $XDG_DATA_HOME/sanctions/lists, else ~/.local/share/sanctions/lists].
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Take the files from a mirror instead of the publishers: a directory,
        /// or an http(s) base URL (for an air-gapped CI).
        #[arg(long, value_name = "DIR|URL")]
        from: Option<String>,
        /// Fetch only this source (repeatable): ofac-sdn-csv, ofac-cons-csv,
        /// ofac-sdn-xml, ofac-cons-xml, csl-csv, csl-json, un, uk-fcdo, eu, and,
        /// only when named, OpenSanctions' opensanctions-sanctions and
        /// opensanctions-default (licensed for non-commercial use).
        #[arg(long = "only", value_name = "SOURCE")]
        only: Vec<String>,
        /// Give up on one attempt at a file after this many seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = crate::fetch::DEFAULT_TIMEOUT.as_secs())]
        timeout: u64,
        /// Attempts after a failed one (connection errors, timeouts, 5xx).
        #[arg(long, default_value_t = crate::fetch::DEFAULT_RETRIES)]
        retries: u32,
        /// Accept a source that loads fewer than half the entries of the copy
        /// it replaces (refused by default: a truncated or changed file?).
        #[arg(long)]
        allow_shrink: bool,
    },
    /// Serve screening over HTTP: yente's `/match` and Watchman's `/v2/search`
    /// APIs, and `/v1/screen` for whole files, on one index that reloads
    /// without a restart (`POST /v1/reload`, SIGHUP, or a changed list file).
    ///
    /// Runs until interrupted; exit status 2 when the lists cannot be loaded
    /// or the address cannot be bound.
    Serve {
        #[command(flatten)]
        lists: ListsArg,
        /// The address to listen on (loopback by default; give 0.0.0.0:PORT
        /// to serve other hosts, with --token-file).
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8000")]
        listen: std::net::SocketAddr,
        /// A file holding the bearer token every request but /healthz and
        /// /readyz must carry (`Authorization: Bearer TOKEN`).
        #[arg(long, value_name = "FILE")]
        token_file: Option<PathBuf>,
        #[command(flatten)]
        matching: MatchArgs,
        /// Hits scoring at least this are `block` (default: the larger of
        /// 0.95 and --threshold).
        #[arg(long, value_name = "SCORE")]
        block_threshold: Option<f32>,
        /// Reviewed decisions (CSV or JSON) applied to every hit; reloaded with the lists.
        #[arg(long, value_name = "FILE")]
        decisions: Option<PathBuf>,
        /// Refuse request bodies larger than this many bytes (413).
        #[arg(long, value_name = "BYTES", default_value_t = 4 << 20)]
        max_body: usize,
        /// Answer 503 to a request that takes longer than this many seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
        request_timeout: f64,
        /// Check the list files (and a fetched directory's lists.json) for
        /// changes this often, in seconds, and reload when they change (0: never).
        #[arg(long, value_name = "SECONDS", default_value_t = 10)]
        watch: u64,
    },
    /// Print a shell completion script: `sanctions completions bash >
    /// ~/.local/share/bash-completion/completions/sanctions`, or the
    /// equivalent for zsh, fish or PowerShell.
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
    /// Print the manual page, in roff: `sanctions man > sanctions.1`, then `man ./sanctions.1`.
    Man,
    /// Show the entries added, removed and changed between two snapshots of the lists.
    Diff {
        /// The older snapshot: a list file or directory.
        old: PathBuf,
        /// The newer snapshot: a list file or directory.
        new: PathBuf,
        /// Output as JSON.
        #[arg(long)]
        json: bool,
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
        /// The party's country (name or ISO code): a hit listed only for other countries scores less.
        #[arg(long)]
        country: Option<String>,
        /// The party's date of birth (1960-01-31, 31 Jan 1960, 1960, circa 1960): a hit whose listed dates all differ scores less.
        #[arg(long)]
        dob: Option<String>,
        /// The party's type (person, organization, vessel, aircraft): a hit of a contradicting type scores less.
        #[arg(long = "type")]
        entity_type: Option<String>,
        /// Hits scoring at least this are `block` (default: the larger of
        /// 0.95 and --threshold), as in `screen`.
        #[arg(long, value_name = "SCORE")]
        block_threshold: Option<f32>,
        /// Output as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, clap::Args)]
struct ListsArg {
    /// A list file or a directory of list files (repeatable). Default: $SANCTIONS_LISTS
    /// (paths separated like PATH), else the lists `sanctions fetch` fetched, else the
    /// bundled sample lists.
    #[arg(long = "lists", value_name = "PATH")]
    lists: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct MatchArgs {
    /// Report hits scoring at least this (0 to 1).
    #[arg(long, default_value_t = crate::matcher::DEFAULT_THRESHOLD)]
    threshold: f32,
    /// At most this many hits per name (0 = all).
    #[arg(long, default_value_t = DEFAULT_TOP)]
    top: usize,
}

/// Hits per name reported at most, by default.
const DEFAULT_TOP: usize = 5;
/// Hits scoring at least this are `block` by default (or the threshold, if higher).
const DEFAULT_BLOCK_THRESHOLD: f32 = 0.95;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FailOnArg {
    Review,
    Block,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Table,
    Csv,
    Json,
    Jsonl,
    Html,
}

impl ListsArg {
    /// The list paths: given, from $SANCTIONS_LISTS, or fetched; empty for
    /// the bundled sample.
    fn resolve(self) -> Result<Vec<PathBuf>> {
        crate::screening::resolve_lists(self.lists)
    }
}

impl MatchArgs {
    /// The threshold is a score: between 0 and 1.
    fn check(&self) -> Result<()> {
        if !(0.0..=1.0).contains(&self.threshold) {
            bail!(
                "--threshold must be between 0 and 1, got {}",
                self.threshold
            );
        }
        Ok(())
    }

    /// `--block-threshold` as given, else the larger of
    /// [`DEFAULT_BLOCK_THRESHOLD`] and the threshold; between the threshold
    /// and 1.
    fn block_threshold(&self, given: Option<f32>) -> Result<f32> {
        let block_threshold = given.unwrap_or(self.threshold.max(DEFAULT_BLOCK_THRESHOLD));
        if !(self.threshold..=1.0).contains(&block_threshold) {
            bail!(
                "--block-threshold must be between --threshold ({}) and 1, got {block_threshold}",
                self.threshold
            );
        }
        Ok(block_threshold)
    }
}

/// The report format: as given, else a table on a terminal and CSV
/// otherwise (to a file, a pipe).
fn report_format(format: Option<FormatArg>, to_file: bool) -> report::Format {
    match format {
        Some(FormatArg::Table) => report::Format::Table,
        Some(FormatArg::Csv) => report::Format::Csv,
        Some(FormatArg::Json) => report::Format::Json,
        Some(FormatArg::Jsonl) => report::Format::Jsonl,
        Some(FormatArg::Html) => report::Format::Html,
        None if !to_file && std::io::stdout().is_terminal() => report::Format::Table,
        None => report::Format::Csv,
    }
}

impl From<FailOnArg> for FailOn {
    fn from(arg: FailOnArg) -> FailOn {
        match arg {
            FailOnArg::Review => FailOn::Review,
            FailOnArg::Block => FailOn::Block,
        }
    }
}

/// The lists directory of `fetch`: `--dir`, else the default one.
fn fetch_dir(dir: Option<PathBuf>) -> Result<PathBuf> {
    match dir.or_else(crate::fetch::default_dir) {
        Some(dir) => Ok(dir),
        None => bail!("no lists directory: pass --dir, or set SANCTIONS_HOME or HOME"),
    }
}

/// The bearer token of `--token-file`: the file's first line, trimmed; an
/// empty one is an error (it would let any request in).
fn read_token(path: &std::path::Path) -> Result<String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("--token-file {}: {e}", path.display()))?;
    let token = text.lines().next().unwrap_or("").trim();
    if token.is_empty() {
        bail!("--token-file {}: the file holds no token", path.display());
    }
    Ok(token.to_string())
}

/// The arguments of `sanctions screen`.
#[derive(Debug, clap::Args)]
struct ScreenArgs {
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
    /// Write the report to this file instead of standard output (it
    /// appears whole, or not at all).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Hits scoring at least this are `block` (default: the larger of
    /// 0.95 and --threshold).
    #[arg(long, value_name = "SCORE")]
    block_threshold: Option<f32>,
    /// Exit 1 on any potential match (`review`), or only on one at or
    /// above the block threshold (`block`).
    #[arg(long, value_enum, default_value = "review")]
    fail_on: FailOnArg,
    /// Reviewed decisions (CSV or JSON): cleared false positives, confirmed
    /// matches; a false positive reopens when the listed entry changed or
    /// the decision expired.
    #[arg(long, value_name = "FILE")]
    decisions: Option<PathBuf>,
    /// An older snapshot of the lists (file or directory, repeatable):
    /// report only hits on entries added or changed since.
    #[arg(long, value_name = "PATH")]
    since: Vec<PathBuf>,
    /// Write the run record (tool version, command line, options, input
    /// and list files with sha256, counts, exit status) to this JSON file.
    #[arg(long, value_name = "FILE")]
    audit: Option<PathBuf>,
    /// Warn when a list file is older than this many days (by its
    /// publication date, else the day it was fetched).
    #[arg(long, value_name = "DAYS")]
    max_list_age: Option<u32>,
    /// With --max-list-age: exit 3 without screening when a list is too
    /// old or of unknown age.
    #[arg(long, requires = "max_list_age")]
    fail_on_stale: bool,
    /// A date of birth, type or country that cannot be read makes its row
    /// an error (exit 2), instead of a warning with the row screened
    /// without it.
    #[arg(long)]
    strict_facts: bool,
}

impl ScreenArgs {
    /// Check the arguments and build `screen`'s configuration.
    fn into_command(self) -> Result<Command> {
        let ScreenArgs {
            file,
            column,
            lists,
            matching,
            format,
            output,
            block_threshold,
            fail_on,
            decisions,
            since,
            audit,
            max_list_age,
            fail_on_stale,
            strict_facts,
        } = self;

        matching.check()?;
        let block_threshold = matching.block_threshold(block_threshold)?;
        let format = report_format(format, output.is_some());
        if file == "-" && std::io::stdin().is_terminal() {
            bail!("no input: give a CSV file to screen, or pipe one to standard input (`-`)");
        }
        Ok(Command::Screen(ScreenConfig {
            input: file,
            column,
            lists: lists.resolve()?,
            threshold: matching.threshold,
            top: matching.top,
            format,
            output,
            block_threshold,
            fail_on: fail_on.into(),
            decisions,
            since,
            audit,
            max_list_age,
            fail_on_stale,
            strict_facts,
            command_line: std::env::args().collect(),
        }))
    }
}

/// Write the completion script of `shell` for every subcommand and option.
pub fn write_completions(shell: clap_complete::Shell, out: &mut dyn std::io::Write) {
    clap_complete::generate(shell, &mut Cli::command(), "sanctions", out);
}

/// Write the manual page (roff): the command, then a section a subcommand.
pub fn write_man(out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let cmd = Cli::command();
    clap_mangen::Man::new(cmd.clone()).render(out)?;
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        clap_mangen::Man::new(sub.clone())
            .title(format!("sanctions-{}", sub.get_name()))
            .render(out)?;
    }
    Ok(())
}

impl Cli {
    /// Check the arguments and build the run's configuration.
    pub fn into_config(self) -> Result<Config> {
        let command = match self.command {
            Sub::Screen(args) => args.into_command()?,
            Sub::Fetch {
                dir,
                from,
                only,
                timeout,
                retries,
                allow_shrink,
            } => Command::Fetch(FetchConfig {
                dir: fetch_dir(dir)?,
                from,
                only,
                timeout: std::time::Duration::from_secs(timeout),
                retries,
                allow_shrink,
            }),
            Sub::Serve {
                lists,
                listen,
                token_file,
                matching,
                block_threshold,
                decisions,
                max_body,
                request_timeout,
                watch,
            } => {
                matching.check()?;
                let block_threshold = matching.block_threshold(block_threshold)?;
                if !(request_timeout > 0.0 && request_timeout.is_finite()) {
                    bail!(
                        "--request-timeout must be a positive number of seconds, got {request_timeout}"
                    );
                }
                let token = token_file.map(|p| read_token(&p)).transpose()?;
                Command::Serve(ServeConfig {
                    lists: lists.resolve()?,
                    listen,
                    token,
                    threshold: matching.threshold,
                    limit: matching.top,
                    block_threshold,
                    decisions,
                    max_body,
                    request_timeout: std::time::Duration::from_secs_f64(request_timeout),
                    watch: (watch > 0).then(|| std::time::Duration::from_secs(watch)),
                })
            }
            Sub::Completions { shell } => Command::Completions(shell),
            Sub::Man => Command::Man,
            Sub::Diff { old, new, json } => Command::Diff(DiffConfig {
                old: vec![old],
                new: vec![new],
                json,
            }),
            Sub::Lists { lists, json } => Command::Lists(ListsConfig {
                lists: lists.resolve()?,
                json,
            }),
            Sub::Query {
                name,
                lists,
                matching,
                country,
                dob,
                entity_type,
                block_threshold,
                json,
            } => {
                matching.check()?;
                let block_threshold = matching.block_threshold(block_threshold)?;
                // As `screen` reads a row: a fact that cannot be read is
                // left out with a warning, and the name is screened.
                let mut warnings = Vec::new();
                let mut unreadable = |option: &str, value: &str, error: String| {
                    let reason = error.strip_prefix(&format!("{value:?} ")).unwrap_or(&error);
                    warnings.push(crate::model::FactWarning {
                        column: option.to_string(),
                        value: value.to_string(),
                        reason: reason.to_string(),
                    });
                };
                let date_of_birth = dob.and_then(|d| {
                    crate::model::BirthDate::parse_input(&d)
                        .map_err(|e| unreadable("--dob", &d, e))
                        .ok()
                });
                let entity_type = entity_type.and_then(|t| {
                    crate::model::EntityType::parse_input(&t)
                        .map_err(|e| unreadable("--type", &t, e))
                        .ok()
                });
                let country = country.filter(|c| {
                    let known = crate::countries::iso2(c).is_some();
                    if !known {
                        unreadable(
                            "--country",
                            c,
                            format!("{c:?} is not a country known by name or ISO code"),
                        );
                    }
                    known
                });
                Command::Query(QueryConfig {
                    name,
                    lists: lists.resolve()?,
                    threshold: matching.threshold,
                    top: matching.top,
                    country,
                    date_of_birth,
                    entity_type,
                    warnings,
                    block_threshold,
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
