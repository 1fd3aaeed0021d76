//! The JSON lines report: one object per hit, one per input row in error
//! (`status`: `error`, with the message, no `score`) and one per clear row
//! with warnings (`status`: `clear`, no `score`). Every line of a row with
//! warnings carries them as `warnings` (left out when there are none).

use super::{FactWarning, Head, Hit, Printer, RowResult, Summary};
use anyhow::Result;
use serde::Serialize;
use std::io::Write;

/// A hit's line: the input row's number, id and name, the hit, the run.
#[derive(Serialize)]
struct HitLine<'a> {
    row: u64,
    id: &'a Option<String>,
    name: &'a str,
    #[serde(flatten)]
    hit: &'a Hit,
    run_id: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    warnings: &'a [FactWarning],
}

/// The line of a row in error, or of a clear row with warnings.
#[derive(Serialize)]
struct ErrorLine<'a> {
    row: u64,
    line: u64,
    id: &'a Option<String>,
    name: &'a str,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    run_id: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    warnings: &'a [FactWarning],
}

/// Writes the JSON lines report.
pub(super) struct Jsonl {
    run_id: String,
}

impl Jsonl {
    /// A JSON lines report of the run `run_id`.
    pub(super) fn new(run_id: &str) -> Jsonl {
        Jsonl {
            run_id: run_id.to_string(),
        }
    }
}

impl Printer for Jsonl {
    fn begin(&mut self, _out: &mut dyn Write, _head: &Head) -> Result<()> {
        Ok(())
    }

    /// One JSON line for a row in error or a clear row with warnings, one
    /// per hit.
    fn row(&mut self, out: &mut dyn Write, r: &RowResult) -> Result<()> {
        let status = match &r.error {
            Some(_) => Some("error"),
            None if r.hits.is_empty() && !r.warnings.is_empty() => Some("clear"),
            None => None,
        };
        if let Some(status) = status {
            serde_json::to_writer(
                &mut *out,
                &ErrorLine {
                    row: r.row,
                    line: r.line,
                    id: &r.id,
                    name: &r.name,
                    status,
                    error: r.error.as_deref(),
                    run_id: &self.run_id,
                    warnings: &r.warnings,
                },
            )?;
            out.write_all(b"\n")?;
        }
        for h in &r.hits {
            serde_json::to_writer(
                &mut *out,
                &HitLine {
                    row: r.row,
                    id: &r.id,
                    name: &r.name,
                    hit: h,
                    run_id: &self.run_id,
                    warnings: &r.warnings,
                },
            )?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }

    fn finish(&mut self, _out: &mut dyn Write, _summary: &Summary) -> Result<()> {
        Ok(())
    }
}
