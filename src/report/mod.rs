//! Reports: one verdict per input row, written as a table, CSV, JSON, JSON
//! lines or an HTML page, each format a file of this module behind one
//! small trait (begin, row, finish) that [`ReportWriter`] drives.
//!
//! # Output schema
//!
//! Every hit carries: `row` (1 = first data row), `id` (the input's `id`
//! column, if any), `name` (the input name), `status` (`potential_match`, or
//! `cleared_by_decision` for a reviewed false positive that still holds),
//! `score` (0 to 1, four decimals), `severity` (`block` at or above the
//! block threshold, else `review`), `ofac_score`, `entity_id`
//! (`ofac-sdn:<ent_num>`, `ofac-cons:<ent_num>`, `csl:<_id>`...),
//! `entity_hash` (the listed entry's content hash, which a decision records),
//! `list`, `also_on` (the other lists the same party is on), `matched_name`
//! and `matched_name_kind` (primary, strong, former, weak), `primary_name`,
//! `entity_type`, `programs`, `source` (list file and line), `why` (a short
//! explanation, the evidence notes on country, date of birth and type in
//! brackets at its end; `explanation` holds it as structured data in JSON
//! and JSONL, the notes as `evidence`, left out when there are none),
//! `decision` (what a reviewed decision says of the hit, if any) with
//! `decision_outcome` (`cleared`, `confirmed` or `reopened`),
//! `listed_dates_of_birth` and `listed_countries` (as published, each left
//! out when there are none) and `run_id` (see below). A JSON row carries the
//! input's `date_of_birth` and `country` when the input gives them.
//!
//! A row whose date of birth, type or country could not be read was
//! screened without it, and says so: in JSON and JSONL a `warnings` array
//! of `{column, value, reason}` (left out when empty), in CSV a `warnings`
//! cell (`; `-separated, in words), in the table and HTML a line under the
//! row.
//!
//! - `csv`: a header row, then one row per hit and one per input row in error
//!   (`status` = `error`, with `error` filled in). Rows that are clear have
//!   no line, but for one with warnings (`status` = `clear`, with
//!   `warnings` filled in); the summary on standard error counts them. The
//!   `warnings` column is the last. A cell that a
//!   spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`,
//!   a tab or a carriage return) is written with a leading `'`.
//! - `jsonl`: one JSON object per hit with the keys above, one object per
//!   input row in error (`status`: `error`, `error`: the message, no `score`)
//!   and one per clear row with warnings (`status`: `clear`, no `score`).
//! - `json`: one document: `schema_version`, `tool`, `version`, `run`
//!   (run id, thresholds, top, input file and its sha256, decisions file,
//!   `since` lists), `lists` (each list file with its format, list,
//!   publication date, sha256, size, record and entity counts),
//!   `skipped_files`, `list_warnings`, `results` (every input row with its
//!   `verdict`: `clear`, `potential_match`, `cleared_by_decision` or
//!   `error`, and its `hits`) and `summary` (rows read, clear, potential
//!   matches, cleared by decision, errors: they add up to the rows read).
//! - `table`: a readable listing of every row, for a terminal.
//! - `html`: one self-contained page for review: the run's provenance, one
//!   card per row with hits (worst first), rows in error, filters and a
//!   control that writes the `--decisions` rows (see [`html`]).
//!
//! The run id is derived from the inputs only (tool version, options but the
//! report format, the input's and every list file's sha256, the decisions
//! file's and the day it was applied on), so a rerun on the same inputs has
//! the same id in every format, and the same inputs, lists and options give
//! byte-identical reports.

mod csv;
pub mod html;
mod json;
mod jsonl;
mod table;

pub use table::write_hit;

use crate::lists::{Diagnostic, ListFile, Skipped};
use crate::matcher::Explanation;
use crate::model::FactWarning;
use anyhow::Result;
use serde::Serialize;
use std::io::Write;

/// Version of the JSON report layout.
pub const SCHEMA_VERSION: u32 = 1;

/// Report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Readable listing for a terminal.
    Table,
    /// Comma-separated values, one line per hit.
    Csv,
    /// One JSON document with run metadata and every row's verdict.
    Json,
    /// One JSON object per hit.
    Jsonl,
    /// One self-contained HTML page for review ([`html`]).
    Html,
}

/// The verdict on one input row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No hit at or above the threshold.
    Clear,
    /// At least one hit that no decision clears.
    PotentialMatch,
    /// Hits, every one cleared by a reviewed decision.
    ClearedByDecision,
    /// The row could not be screened.
    Error,
}

/// Where a hit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HitStatus {
    /// To review (or block).
    PotentialMatch,
    /// A reviewed false positive that still holds.
    ClearedByDecision,
}

impl HitStatus {
    /// As written in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            HitStatus::PotentialMatch => "potential_match",
            HitStatus::ClearedByDecision => "cleared_by_decision",
        }
    }
}

/// How strong a hit is: at or above the block threshold, or only the report threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// At or above the report threshold, below the block threshold.
    Review,
    /// At or above the block threshold.
    Block,
}

impl Severity {
    /// As written in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Review => "review",
            Severity::Block => "block",
        }
    }
}

/// One hit, flat.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Potential match, or cleared by a decision.
    pub status: HitStatus,
    /// Score in `0..=1`, rounded to four decimals.
    pub score: f64,
    /// Review or block.
    pub severity: Severity,
    /// The score OFAC's Sanctions List Search method gives the matched name
    /// (see [`crate::ofac_score`]), for reconciliation.
    pub ofac_score: f64,
    /// The party's entity id.
    pub entity_id: String,
    /// The listed entry's content hash ([`crate::model::Entity::content_hash`]).
    pub entity_hash: String,
    /// The list it is on.
    pub list: String,
    /// Other lists the same party is on (as `list (entity id)`).
    pub also_on: Vec<String>,
    /// The name or alias that matched, as published.
    pub matched_name: String,
    /// Its kind.
    pub matched_name_kind: String,
    /// The entry's primary name.
    pub primary_name: String,
    /// Person, organization, vessel, aircraft or unknown.
    pub entity_type: String,
    /// Programs.
    pub programs: Vec<String>,
    /// `file:line` of the list record.
    pub source: String,
    /// Readable explanation.
    pub why: String,
    /// Structured explanation.
    pub explanation: Explanation,
    /// What a reviewed decision says of this hit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    /// What that decision did: the hit cleared, confirmed or reopened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision_outcome: Option<crate::decisions::Outcome>,
    /// The listed dates of birth, as published.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub listed_dates_of_birth: Vec<String>,
    /// The listed countries and nationalities, as published, each once.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub listed_countries: Vec<String>,
}

/// One input row's result.
#[derive(Debug, Clone, Serialize)]
pub struct RowResult {
    /// 1-based data row number.
    pub row: u64,
    /// Input line where the row starts.
    pub line: u64,
    /// The input's `id`, if any.
    pub id: Option<String>,
    /// The input name (empty for rows in error that had none).
    pub name: String,
    /// The input's date of birth, as given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<String>,
    /// The input's country, as given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Clear, potential match or error.
    pub verdict: Verdict,
    /// The error, for rows in error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The facts beside the name that could not be read, left out of the
    /// screening (the row was screened without them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<FactWarning>,
    /// Hits, best first.
    pub hits: Vec<Hit>,
}

/// Counts that reconcile with the input:
/// `rows = clear + potential_matches + cleared_by_decision + errors`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Data rows read.
    pub rows: u64,
    /// Rows with no hit.
    pub clear: u64,
    /// Rows with at least one hit that no decision clears.
    pub potential_matches: u64,
    /// Rows whose every hit a decision clears.
    pub cleared_by_decision: u64,
    /// Rows with a potential match at or above the block threshold.
    pub block: u64,
    /// Rows that could not be screened.
    pub errors: u64,
    /// Hits reported (cleared ones included).
    pub hits: u64,
}

impl Summary {
    /// Count one row.
    pub fn add(&mut self, r: &RowResult) {
        self.rows += 1;
        self.hits += r.hits.len() as u64;
        match r.verdict {
            Verdict::Clear => self.clear += 1,
            Verdict::PotentialMatch => self.potential_matches += 1,
            Verdict::ClearedByDecision => self.cleared_by_decision += 1,
            Verdict::Error => self.errors += 1,
        }
        if r.hits
            .iter()
            .any(|h| h.status == HitStatus::PotentialMatch && h.severity == Severity::Block)
        {
            self.block += 1;
        }
    }
}

/// The words of a [`Summary::counts_line`]: the table report's footer, or
/// the line `screen` ends with on standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wording {
    /// `10 rows: 7 potential matches (7 block), 0 cleared by decision, 3 clear, 0 errors`.
    Footer,
    /// `10 rows read: 7 with potential matches (7 block), 0 cleared by decision, 3 clear, 0 in error`.
    Log,
}

impl Summary {
    /// The counts in one line, in the order they reconcile in: rows, potential
    /// matches (of them, block), cleared by decision, clear, in error.
    pub fn counts_line(&self, wording: Wording) -> String {
        let (rows, matches, errors) = match wording {
            Wording::Footer => ("rows", "potential matches", "errors"),
            Wording::Log => ("rows read", "with potential matches", "in error"),
        };
        format!(
            "{} {rows}: {} {matches} ({} block), {} cleared by decision, {} clear, {} {errors}",
            self.rows,
            self.potential_matches,
            self.block,
            self.cleared_by_decision,
            self.clear,
            self.errors
        )
    }
}

/// What the JSON report records about the run.
#[derive(Debug, Clone, Serialize)]
pub struct RunInfo {
    /// Derived from the inputs (see the module documentation).
    pub run_id: String,
    /// The threshold used.
    pub threshold: f64,
    /// Hits at or above this are `block`.
    pub block_threshold: f64,
    /// What makes the run fail (exit 1): `review` or `block` hits.
    pub fail_on: String,
    /// Hits per row at most (0 = all).
    pub top: usize,
    /// The input file (`-` for standard input).
    pub input: String,
    /// Its sha256.
    pub input_sha256: String,
    /// The decisions file, its sha256 and how many decisions it holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decisions: Option<serde_json::Value>,
    /// With `--since`: the older list files whose changes alone are reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<Vec<ListFile>>,
    /// The name column.
    pub column: String,
    /// True when the bundled sample lists were used.
    pub bundled_sample_lists: bool,
    /// Entities loaded.
    pub entities: usize,
    /// Names indexed.
    pub names: usize,
}

/// A cell a spreadsheet would not take for a formula: one starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`.
///
/// ```
/// use sanctions::report::spreadsheet_safe;
/// assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(spreadsheet_safe("-1"), "'-1");
/// assert_eq!(spreadsheet_safe("ACME LTD"), "ACME LTD");
/// ```
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

fn round4(x: f32) -> f64 {
    (x as f64 * 10_000.0).round() / 10_000.0
}

/// Score rounded for reports.
pub fn report_score(x: f32) -> f64 {
    round4(x)
}

/// What every format may begin a report with: the run and the lists read.
struct Head<'a> {
    /// The run: its id, options and input.
    run: &'a RunInfo,
    /// Each list file read.
    lists: &'a [ListFile],
    /// The files skipped, and why.
    skipped: &'a [Skipped],
    /// What the lists' loaders warned of.
    warnings: &'a [Diagnostic],
}

/// One report format: it begins the report, writes each row's result in
/// input order, and finishes with the summary. Each format is a file of
/// this module.
trait Printer {
    /// Write what comes before the first row (a header, a document's head).
    fn begin(&mut self, out: &mut dyn Write, head: &Head) -> Result<()>;
    /// Write one row's result.
    fn row(&mut self, out: &mut dyn Write, r: &RowResult) -> Result<()>;
    /// Write what comes after the last row (a footer, a document's end).
    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> Result<()>;
}

/// Streams a report in one [`Format`].
pub struct ReportWriter<W: Write> {
    out: W,
    printer: Box<dyn Printer + Send>,
}

impl<W: Write> ReportWriter<W> {
    /// Start a report: writes the CSV header or the JSON document's head.
    pub fn begin(
        mut out: W,
        format: Format,
        run: &RunInfo,
        lists: &[ListFile],
        skipped: &[Skipped],
        warnings: &[Diagnostic],
    ) -> Result<ReportWriter<W>> {
        let head = Head {
            run,
            lists,
            skipped,
            warnings,
        };
        let mut printer: Box<dyn Printer + Send> = match format {
            Format::Table => Box::new(table::Table::new(&run.run_id)),
            Format::Csv => Box::new(csv::Csv::new(&run.run_id)),
            Format::Json => Box::<json::Json>::default(),
            Format::Jsonl => Box::new(jsonl::Jsonl::new(&run.run_id)),
            Format::Html => Box::new(html::Page::new(&head)),
        };
        printer.begin(&mut out, &head)?;
        Ok(ReportWriter { out, printer })
    }

    /// Write one row's result.
    pub fn row(&mut self, r: &RowResult) -> Result<()> {
        self.printer.row(&mut self.out, r)
    }

    /// Finish the report (closes the JSON document, writes the HTML page)
    /// and flush.
    pub fn finish(mut self, summary: &Summary) -> Result<W> {
        self.printer.finish(&mut self.out, summary)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_counts_line_reads_the_same_counts_in_either_wording() {
        let summary = Summary {
            rows: 10,
            clear: 3,
            potential_matches: 6,
            cleared_by_decision: 0,
            block: 2,
            errors: 1,
            hits: 9,
        };
        assert_eq!(
            summary.counts_line(Wording::Footer),
            "10 rows: 6 potential matches (2 block), 0 cleared by decision, 3 clear, 1 errors"
        );
        assert_eq!(
            summary.counts_line(Wording::Log),
            "10 rows read: 6 with potential matches (2 block), 0 cleared by decision, 3 clear, 1 in error"
        );
    }
}
