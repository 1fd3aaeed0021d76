//! Reports: one verdict per input row, written as a table, CSV, JSON or JSON lines.
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
//! - `csv`: a header row, then one row per hit and one per input row in error
//!   (`status` = `error`, with `error` filled in). Rows that are clear have
//!   no line; the summary on standard error counts them. A cell that a
//!   spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`,
//!   a tab or a carriage return) is written with a leading `'`.
//! - `jsonl`: one JSON object per hit with the keys above, and one object per
//!   input row in error (`status`: `error`, `error`: the message, no `score`).
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

pub mod html;

use crate::lists::{Diagnostic, ListFile, Skipped};
use crate::matcher::Explanation;
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

/// Streams a report.
pub struct ReportWriter<W: Write> {
    out: W,
    format: Format,
    first: bool,
    run_id: String,
    /// The HTML page being gathered (`html` only).
    page: Option<html::Page>,
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

/// Columns of the CSV report.
const CSV_COLUMNS: usize = 22;
/// The columns a CSV line for a row in error fills in, by position.
const CSV_ROW: usize = 0;
const CSV_ID: usize = 1;
const CSV_NAME: usize = 2;
const CSV_STATUS: usize = 3;
const CSV_LINE: usize = 19;
const CSV_ERROR: usize = 20;
const CSV_RUN_ID: usize = 21;

/// The CSV report's header row.
const CSV_HEADER: [&str; CSV_COLUMNS] = [
    "row",
    "id",
    "name",
    "status",
    "score",
    "severity",
    "ofac_score",
    "entity_id",
    "entity_hash",
    "list",
    "also_on",
    "matched_name",
    "matched_name_kind",
    "primary_name",
    "entity_type",
    "programs",
    "source",
    "why",
    "decision",
    "line",
    "error",
    "run_id",
];

#[derive(Serialize)]
struct JsonlHit<'a> {
    row: u64,
    id: &'a Option<String>,
    name: &'a str,
    #[serde(flatten)]
    hit: &'a Hit,
    run_id: &'a str,
}

#[derive(Serialize)]
struct JsonlError<'a> {
    row: u64,
    line: u64,
    id: &'a Option<String>,
    name: &'a str,
    status: &'static str,
    error: &'a str,
    run_id: &'a str,
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
        match format {
            Format::Csv => writeln!(out, "{}", CSV_HEADER.join(","))?,
            Format::Json => {
                write!(
                    out,
                    "{{\"schema_version\":{SCHEMA_VERSION},\"tool\":\"sanctions\",\"version\":{},\"run\":{},\n\"lists\":{},\n\"skipped_files\":{},\n\"list_warnings\":{},\n\"results\":[",
                    serde_json::to_string(env!("CARGO_PKG_VERSION"))?,
                    serde_json::to_string(run)?,
                    serde_json::to_string(lists)?,
                    serde_json::to_string(skipped)?,
                    serde_json::to_string(warnings)?,
                )?;
            }
            Format::Table | Format::Jsonl | Format::Html => {}
        }
        Ok(ReportWriter {
            out,
            format,
            first: true,
            run_id: run.run_id.clone(),
            page: (format == Format::Html).then(|| html::Page::new(run, lists, skipped, warnings)),
        })
    }

    /// Write one row's result.
    pub fn row(&mut self, r: &RowResult) -> Result<()> {
        match self.format {
            Format::Csv => self.csv_row(r)?,
            Format::Jsonl => self.jsonl_row(r)?,
            Format::Json => {
                if !self.first {
                    self.out.write_all(b",")?;
                }
                self.out.write_all(b"\n")?;
                serde_json::to_writer(&mut self.out, r)?;
            }
            Format::Table => write_table_row(&mut self.out, r)?,
            Format::Html => {
                if let Some(page) = self.page.as_mut() {
                    page.add(r);
                }
            }
        }
        self.first = false;
        Ok(())
    }

    /// One CSV line for a row in error, one per hit.
    fn csv_row(&mut self, r: &RowResult) -> Result<()> {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(&mut self.out);
        let row = r.row.to_string();
        let line = r.line.to_string();
        let id = r.id.as_deref().unwrap_or("");
        let mut write = |cells: [&str; CSV_COLUMNS]| -> csv::Result<()> {
            for c in cells {
                w.write_field(spreadsheet_safe(c).as_bytes())?;
            }
            w.write_record(None::<&[u8]>)
        };
        if let Some(err) = &r.error {
            let mut cells = [""; CSV_COLUMNS];
            cells[CSV_ROW] = &row;
            cells[CSV_ID] = id;
            cells[CSV_NAME] = &r.name;
            cells[CSV_STATUS] = "error";
            cells[CSV_LINE] = &line;
            cells[CSV_ERROR] = err;
            cells[CSV_RUN_ID] = &self.run_id;
            write(cells)?;
        }
        for h in &r.hits {
            let (score, ofac) = (format!("{:.4}", h.score), format!("{:.4}", h.ofac_score));
            let (also_on, programs) = (h.also_on.join("; "), h.programs.join("; "));
            write([
                &row,
                id,
                &r.name,
                h.status.as_str(),
                &score,
                h.severity.as_str(),
                &ofac,
                &h.entity_id,
                &h.entity_hash,
                &h.list,
                &also_on,
                &h.matched_name,
                &h.matched_name_kind,
                &h.primary_name,
                &h.entity_type,
                &programs,
                &h.source,
                &h.why,
                h.decision.as_deref().unwrap_or(""),
                &line,
                "",
                &self.run_id,
            ])?;
        }
        w.flush()?;
        Ok(())
    }

    /// One JSON line for a row in error, one per hit.
    fn jsonl_row(&mut self, r: &RowResult) -> Result<()> {
        if let Some(err) = &r.error {
            serde_json::to_writer(
                &mut self.out,
                &JsonlError {
                    row: r.row,
                    line: r.line,
                    id: &r.id,
                    name: &r.name,
                    status: "error",
                    error: err,
                    run_id: &self.run_id,
                },
            )?;
            self.out.write_all(b"\n")?;
        }
        for h in &r.hits {
            serde_json::to_writer(
                &mut self.out,
                &JsonlHit {
                    row: r.row,
                    id: &r.id,
                    name: &r.name,
                    hit: h,
                    run_id: &self.run_id,
                },
            )?;
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }

    /// Finish the report (closes the JSON document) and flush.
    pub fn finish(mut self, summary: &Summary) -> Result<W> {
        match self.format {
            Format::Json => {
                writeln!(
                    self.out,
                    "\n],\n\"summary\":{}}}",
                    serde_json::to_string(summary)?
                )?;
            }
            Format::Table => {
                writeln!(
                    self.out,
                    "\n{}\nrun id {}",
                    summary.counts_line(Wording::Footer),
                    self.run_id
                )?;
            }
            Format::Html => {
                if let Some(page) = self.page.take() {
                    page.write(&mut self.out, summary)?;
                }
            }
            Format::Csv | Format::Jsonl => {}
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

fn write_table_row<W: Write>(out: &mut W, r: &RowResult) -> Result<()> {
    let id =
        r.id.as_deref()
            .map(|i| format!(" [{i}]"))
            .unwrap_or_default();
    match r.verdict {
        Verdict::Error => writeln!(
            out,
            "row {}{id}: ERROR {}",
            r.row,
            r.error.as_deref().unwrap_or("")
        )?,
        Verdict::Clear => writeln!(out, "row {}{id}: {}  -> clear", r.row, r.name)?,
        Verdict::ClearedByDecision => {
            writeln!(out, "row {}{id}: {}  -> cleared by decision", r.row, r.name)?;
            for h in &r.hits {
                writeln!(
                    out,
                    "  {:.4}  {}  {}: {}",
                    h.score,
                    h.entity_id,
                    h.list,
                    h.decision.as_deref().unwrap_or("")
                )?;
            }
        }
        Verdict::PotentialMatch => {
            writeln!(
                out,
                "row {}{id}: {}  -> {} potential match(es)",
                r.row,
                r.name,
                r.hits.len()
            )?;
            for h in &r.hits {
                let mark = match (h.status, h.severity) {
                    (HitStatus::ClearedByDecision, _) => "  [cleared]",
                    (_, Severity::Block) => "  [BLOCK]",
                    _ => "",
                };
                writeln!(
                    out,
                    "  {:.4}  {}  {}  (OFAC-style {:.4}){mark}",
                    h.score, h.entity_id, h.list, h.ofac_score
                )?;
                writeln!(
                    out,
                    "          matched {:?} ({}); primary {:?}; {}",
                    h.matched_name, h.matched_name_kind, h.primary_name, h.entity_type
                )?;
                if !h.programs.is_empty() {
                    writeln!(out, "          programs: {}", h.programs.join(", "))?;
                }
                if !h.also_on.is_empty() {
                    writeln!(out, "          also on: {}", h.also_on.join("; "))?;
                }
                writeln!(out, "          why: {}", h.why)?;
                if let Some(d) = &h.decision {
                    writeln!(out, "          decision: {d}")?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_columns_are_where_the_header_names_them() {
        let named = [
            (CSV_ROW, "row"),
            (CSV_ID, "id"),
            (CSV_NAME, "name"),
            (CSV_STATUS, "status"),
            (CSV_LINE, "line"),
            (CSV_ERROR, "error"),
            (CSV_RUN_ID, "run_id"),
        ];
        for (at, name) in named {
            assert_eq!(CSV_HEADER[at], name);
        }
    }

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
