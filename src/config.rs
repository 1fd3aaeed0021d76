//! The checked configuration of a run: what [`crate::cli`] builds from the
//! command line and [`crate::run`] dispatches on, one type per subcommand,
//! and what a run hands back: the [`Outcome`] it ended with, in a
//! [`Finished`] with what the process may leave unfreed.

use crate::index::Index;
use crate::report;
use std::path::PathBuf;

/// A checked configuration for one run.
#[derive(Debug, Clone)]
pub struct Config {
    /// What to do.
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Clone)]
pub enum Command {
    /// Screen a CSV of names.
    Screen(ScreenConfig),
    /// Describe the loaded lists.
    Lists(ListsConfig),
    /// Screen one name with explanations.
    Query(QueryConfig),
    /// Entries added, removed and changed between two list snapshots.
    Diff(DiffConfig),
    /// Download the official lists.
    Fetch(FetchConfig),
    /// Screen over HTTP.
    Serve(ServeConfig),
    /// Print a shell completion script.
    Completions(clap_complete::Shell),
    /// Print the manual page.
    Man,
}

/// Options of `sanctions serve`.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// List files or directories; empty for the bundled sample.
    pub lists: Vec<PathBuf>,
    /// The address to listen on.
    pub listen: std::net::SocketAddr,
    /// The bearer token requests must carry (read from `--token-file`).
    pub token: Option<String>,
    /// The default threshold of a request that gives none.
    pub threshold: f32,
    /// The default hit limit of a request that gives none.
    pub limit: usize,
    /// Hits at or above this are `block`.
    pub block_threshold: f32,
    /// Reviewed decisions applied to every hit.
    pub decisions: Option<PathBuf>,
    /// Request bodies larger than this are refused (413).
    pub max_body: usize,
    /// A request taking longer than this is answered 503.
    pub request_timeout: std::time::Duration,
    /// How often the list files are checked for changes (`None`: never).
    pub watch: Option<std::time::Duration>,
}

/// Options of `sanctions fetch`.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// The lists directory.
    pub dir: PathBuf,
    /// A mirror: a directory or an http(s) base URL.
    pub from: Option<String>,
    /// Only these sources (empty: all).
    pub only: Vec<String>,
    /// Per attempt at a file.
    pub timeout: std::time::Duration,
    /// Attempts after a failed one.
    pub retries: u32,
    /// Accept a source that shrank by more than half.
    pub allow_shrink: bool,
}

/// What makes `screen` fail (exit 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// Any potential match at or above the report threshold.
    Review,
    /// Only a potential match at or above the block threshold.
    Block,
}

impl FailOn {
    /// As written on the command line and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Review => "review",
            FailOn::Block => "block",
        }
    }
}

/// Options of `sanctions diff`.
#[derive(Debug, Clone)]
pub struct DiffConfig {
    /// The older snapshot (list files or directories).
    pub old: Vec<PathBuf>,
    /// The newer snapshot.
    pub new: Vec<PathBuf>,
    /// JSON output.
    pub json: bool,
}

/// Options of `sanctions screen`.
#[derive(Debug, Clone)]
pub struct ScreenConfig {
    /// Input file, or `-` for standard input.
    pub input: String,
    /// The name column.
    pub column: String,
    /// List files or directories; empty for the bundled sample.
    pub lists: Vec<PathBuf>,
    /// Report threshold.
    pub threshold: f32,
    /// Hits per row at most (0 = all).
    pub top: usize,
    /// Report format.
    pub format: report::Format,
    /// Output file (standard output if `None`).
    pub output: Option<PathBuf>,
    /// Hits at or above this are `block` (at least `threshold`).
    pub block_threshold: f32,
    /// What makes the run fail.
    pub fail_on: FailOn,
    /// Reviewed decisions.
    pub decisions: Option<PathBuf>,
    /// An older list snapshot: report only hits on entries added or changed since.
    pub since: Vec<PathBuf>,
    /// Write the run record here.
    pub audit: Option<PathBuf>,
    /// Warn when a list is older than this many days.
    pub max_list_age: Option<u32>,
    /// With `max_list_age`: exit 3 instead of warning.
    pub fail_on_stale: bool,
    /// A date of birth, type or country that cannot be read is the row's
    /// error, not a warning.
    pub strict_facts: bool,
    /// The command line, as given (for the audit record).
    pub command_line: Vec<String>,
}

/// Options of `sanctions lists`.
#[derive(Debug, Clone)]
pub struct ListsConfig {
    /// List files or directories; empty for the bundled sample.
    pub lists: Vec<PathBuf>,
    /// JSON output.
    pub json: bool,
}

/// Options of `sanctions query`.
#[derive(Debug, Clone)]
pub struct QueryConfig {
    /// The name.
    pub name: String,
    /// List files or directories; empty for the bundled sample.
    pub lists: Vec<PathBuf>,
    /// Report threshold.
    pub threshold: f32,
    /// Hits at most (0 = all).
    pub top: usize,
    /// The party's country (name or ISO code), if given.
    pub country: Option<String>,
    /// The party's date of birth, if given.
    pub date_of_birth: Option<crate::model::BirthDate>,
    /// The party's type, if given.
    pub entity_type: Option<crate::model::EntityType>,
    /// The `--dob`, `--type` or `--country` given that could not be read:
    /// the name is screened without it.
    pub warnings: Vec<crate::model::FactWarning>,
    /// Hits at or above this are `block`, as in `screen`.
    pub block_threshold: f32,
    /// JSON output.
    pub json: bool,
}

/// How a run ended; [`Outcome::exit_code`] maps it to the documented status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing matched.
    Clear,
    /// At least one potential match.
    Matches,
    /// Some input rows could not be screened.
    RowErrors,
    /// A list is older than `--max-list-age` allows (with `--fail-on-stale`).
    Stale,
}

impl Outcome {
    /// 0 clear, 1 potential matches, 2 rows in error, 3 stale lists.
    pub fn exit_code(self) -> i32 {
        match self {
            Outcome::Clear => 0,
            Outcome::Matches => 1,
            Outcome::RowErrors => 2,
            Outcome::Stale => 3,
        }
    }
}

/// What a run hands back to `main`: how it ended, and what it built that
/// the process may leave to the system instead of freeing piece by piece.
#[derive(Debug)]
pub struct Finished {
    /// How the run ended.
    pub outcome: Outcome,
    /// The index `screen` built (`None` for the other subcommands).
    pub index: Option<Index>,
}

impl From<Outcome> for Finished {
    fn from(outcome: Outcome) -> Finished {
        Finished {
            outcome,
            index: None,
        }
    }
}
