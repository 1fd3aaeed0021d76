//! Reports: one verdict per input row, written as a table, CSV, JSON or JSON lines.
//!
//! # Output schema
//!
//! Every hit carries: `row` (1 = first data row), `id` (the input's `id`
//! column, if any), `name` (the input name), `score` (0 to 1, four decimals),
//! `entity_id` (`ofac-sdn:<ent_num>`, `ofac-cons:<ent_num>`, `csl:<_id>`),
//! `list`, `also_on` (the other lists the same party is on), `matched_name`
//! and `matched_name_kind` (primary, strong, former, weak), `primary_name`,
//! `entity_type`, `programs`, `source` (list file and line) and `why` (a short
//! explanation; `explanation` holds it as structured data in JSON and JSONL).
//!
//! - `csv`: a header row, then one row per hit and one per input row in error
//!   (`status` = `potential_match` or `error`, with `error` filled in). Rows
//!   that are clear have no line; the summary on standard error counts them.
//! - `jsonl`: one JSON object per hit with the keys above, and one object per
//!   input row in error (`status`: `error`, `error`: the message, no `score`).
//! - `json`: one document: `schema_version`, `tool`, `version`, `run`
//!   (threshold, top, input file), `lists` (each list file with its format,
//!   list, publication date, sha256, size, record and entity counts),
//!   `skipped_files`, `list_warnings`, `results` (every input row with its
//!   `verdict`: `clear`, `potential_match` or `error`, and its `hits`) and
//!   `summary` (rows read, clear, potential matches, errors).
//! - `table`: a readable listing of every row, for a terminal.
//!
//! The same inputs, lists and options give byte-identical reports.

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
}

/// The verdict on one input row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No hit at or above the threshold.
    Clear,
    /// At least one hit.
    PotentialMatch,
    /// The row could not be screened.
    Error,
}

/// One hit, flat.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Score in `0..=1`, rounded to four decimals.
    pub score: f64,
    /// The score OFAC's Sanctions List Search method gives the matched name
    /// (see [`crate::ofac_score`]), for reconciliation.
    pub ofac_score: f64,
    /// The party's entity id.
    pub entity_id: String,
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
    /// Clear, potential match or error.
    pub verdict: Verdict,
    /// The error, for rows in error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Hits, best first.
    pub hits: Vec<Hit>,
}

/// Counts that reconcile with the input: `rows = clear + potential_matches + errors`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Data rows read.
    pub rows: u64,
    /// Rows with no hit.
    pub clear: u64,
    /// Rows with at least one hit.
    pub potential_matches: u64,
    /// Rows that could not be screened.
    pub errors: u64,
    /// Hits reported.
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
            Verdict::Error => self.errors += 1,
        }
    }
}

/// What the JSON report records about the run.
#[derive(Debug, Clone, Serialize)]
pub struct RunInfo {
    /// The threshold used.
    pub threshold: f64,
    /// Hits per row at most (0 = all).
    pub top: usize,
    /// The input file (`-` for standard input).
    pub input: String,
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
}

fn round4(x: f32) -> f64 {
    (x as f64 * 10_000.0).round() / 10_000.0
}

/// Score rounded for reports.
pub fn report_score(x: f32) -> f64 {
    round4(x)
}

const CSV_HEADER: [&str; 18] = [
    "row",
    "id",
    "name",
    "status",
    "score",
    "ofac_score",
    "entity_id",
    "list",
    "also_on",
    "matched_name",
    "matched_name_kind",
    "primary_name",
    "entity_type",
    "programs",
    "source",
    "why",
    "line",
    "error",
];

#[derive(Serialize)]
struct JsonlHit<'a> {
    row: u64,
    id: &'a Option<String>,
    name: &'a str,
    status: &'static str,
    #[serde(flatten)]
    hit: &'a Hit,
}

#[derive(Serialize)]
struct JsonlError<'a> {
    row: u64,
    line: u64,
    id: &'a Option<String>,
    name: &'a str,
    status: &'static str,
    error: &'a str,
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
            Format::Table | Format::Jsonl => {}
        }
        Ok(ReportWriter {
            out,
            format,
            first: true,
        })
    }

    /// Write one row's result.
    pub fn row(&mut self, r: &RowResult) -> Result<()> {
        match self.format {
            Format::Csv => {
                let mut w = csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(&mut self.out);
                if let Some(err) = &r.error {
                    w.write_record([
                        r.row.to_string().as_str(),
                        r.id.as_deref().unwrap_or(""),
                        &r.name,
                        "error",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        &r.line.to_string(),
                        err,
                    ])?;
                }
                for h in &r.hits {
                    w.write_record([
                        r.row.to_string().as_str(),
                        r.id.as_deref().unwrap_or(""),
                        &r.name,
                        "potential_match",
                        &format!("{:.4}", h.score),
                        &format!("{:.4}", h.ofac_score),
                        &h.entity_id,
                        &h.list,
                        &h.also_on.join("; "),
                        &h.matched_name,
                        &h.matched_name_kind,
                        &h.primary_name,
                        &h.entity_type,
                        &h.programs.join("; "),
                        &h.source,
                        &h.why,
                        &r.line.to_string(),
                        "",
                    ])?;
                }
                w.flush()?;
            }
            Format::Jsonl => {
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
                            status: "potential_match",
                            hit: h,
                        },
                    )?;
                    self.out.write_all(b"\n")?;
                }
            }
            Format::Json => {
                if !self.first {
                    self.out.write_all(b",")?;
                }
                self.out.write_all(b"\n")?;
                serde_json::to_writer(&mut self.out, r)?;
            }
            Format::Table => write_table_row(&mut self.out, r)?,
        }
        self.first = false;
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
                    "\n{} rows: {} potential matches, {} clear, {} errors",
                    summary.rows, summary.potential_matches, summary.clear, summary.errors
                )?;
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
        Verdict::PotentialMatch => {
            writeln!(
                out,
                "row {}{id}: {}  -> {} potential match(es)",
                r.row,
                r.name,
                r.hits.len()
            )?;
            for h in &r.hits {
                writeln!(
                    out,
                    "  {:.4}  {}  {}  (OFAC-style {:.4})",
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
            }
        }
    }
    Ok(())
}
