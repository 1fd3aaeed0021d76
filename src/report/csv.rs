//! The CSV report: a header row, then one line per hit and one per input
//! row in error; clear rows have no line but for one with warnings (a fact
//! that could not be read), whose line says `clear`. The `warnings` column
//! comes last, so that the columns before it stay where they were. Every cell is
//! [`spreadsheet_safe`](super::spreadsheet_safe).

use super::{Head, Printer, RowResult, Summary, spreadsheet_safe};
use anyhow::Result;
use std::io::Write;

/// Columns of the CSV report.
const COLUMNS: usize = 23;
/// The columns a CSV line for a row in error or a clear row with warnings
/// fills in, by position.
const ROW: usize = 0;
const ID: usize = 1;
const NAME: usize = 2;
const STATUS: usize = 3;
const LINE: usize = 19;
const ERROR: usize = 20;
const RUN_ID: usize = 21;
const WARNINGS: usize = 22;

/// The CSV report's header row.
const HEADER: [&str; COLUMNS] = [
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
    "warnings",
];

/// Writes the CSV report.
pub(super) struct Csv {
    run_id: String,
}

impl Csv {
    /// A CSV report of the run `run_id`.
    pub(super) fn new(run_id: &str) -> Csv {
        Csv {
            run_id: run_id.to_string(),
        }
    }
}

impl Printer for Csv {
    fn begin(&mut self, out: &mut dyn Write, _head: &Head) -> Result<()> {
        writeln!(out, "{}", HEADER.join(","))?;
        Ok(())
    }

    /// One CSV line for a row in error, one per hit.
    fn row(&mut self, out: &mut dyn Write, r: &RowResult) -> Result<()> {
        let mut w = ::csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(out);
        let row = r.row.to_string();
        let line = r.line.to_string();
        let id = r.id.as_deref().unwrap_or("");
        let warnings = r
            .warnings
            .iter()
            .map(|w| w.in_words())
            .collect::<Vec<_>>()
            .join("; ");
        let mut write = |cells: [&str; COLUMNS]| -> ::csv::Result<()> {
            for c in cells {
                w.write_field(spreadsheet_safe(c).as_bytes())?;
            }
            w.write_record(None::<&[u8]>)
        };
        let status = match &r.error {
            Some(_) => Some("error"),
            None if r.hits.is_empty() && !r.warnings.is_empty() => Some("clear"),
            None => None,
        };
        if let Some(status) = status {
            let mut cells = [""; COLUMNS];
            cells[ROW] = &row;
            cells[ID] = id;
            cells[NAME] = &r.name;
            cells[STATUS] = status;
            cells[LINE] = &line;
            cells[ERROR] = r.error.as_deref().unwrap_or("");
            cells[RUN_ID] = &self.run_id;
            cells[WARNINGS] = &warnings;
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
                &warnings,
            ])?;
        }
        w.flush()?;
        Ok(())
    }

    fn finish(&mut self, _out: &mut dyn Write, _summary: &Summary) -> Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_columns_are_where_the_header_names_them() {
        let named = [
            (ROW, "row"),
            (ID, "id"),
            (NAME, "name"),
            (STATUS, "status"),
            (LINE, "line"),
            (ERROR, "error"),
            (RUN_ID, "run_id"),
            (WARNINGS, "warnings"),
        ];
        for (at, name) in named {
            assert_eq!(HEADER[at], name);
        }
    }
}
