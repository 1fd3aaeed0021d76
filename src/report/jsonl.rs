//! The JSON lines report: one object per hit, and one per input row in
//! error (`status`: `error`, with the message, no `score`).

use super::{Head, Hit, Printer, RowResult, Summary};
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
}

/// The line of a row in error.
#[derive(Serialize)]
struct ErrorLine<'a> {
    row: u64,
    line: u64,
    id: &'a Option<String>,
    name: &'a str,
    status: &'static str,
    error: &'a str,
    run_id: &'a str,
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

    /// One JSON line for a row in error, one per hit.
    fn row(&mut self, out: &mut dyn Write, r: &RowResult) -> Result<()> {
        if let Some(err) = &r.error {
            serde_json::to_writer(
                &mut *out,
                &ErrorLine {
                    row: r.row,
                    line: r.line,
                    id: &r.id,
                    name: &r.name,
                    status: "error",
                    error: err,
                    run_id: &self.run_id,
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
