//! The JSON report: one document, `schema_version`, `tool`, `version`,
//! `run`, `lists`, `skipped_files`, `list_warnings`, `results` (every input
//! row with its verdict and hits) and `summary`.

use super::{Head, Printer, RowResult, SCHEMA_VERSION, Summary};
use anyhow::Result;
use std::io::Write;

/// Writes the JSON report, a row at a time.
#[derive(Default)]
pub(super) struct Json {
    /// Rows written so far (a comma goes before every row but the first).
    rows: u64,
}

impl Printer for Json {
    /// The document's head, up to the opening of `results`.
    fn begin(&mut self, out: &mut dyn Write, head: &Head) -> Result<()> {
        write!(
            out,
            "{{\"schema_version\":{SCHEMA_VERSION},\"tool\":\"sanctions\",\"version\":{},\"run\":{},\n\"lists\":{},\n\"skipped_files\":{},\n\"list_warnings\":{},\n\"results\":[",
            serde_json::to_string(env!("CARGO_PKG_VERSION"))?,
            serde_json::to_string(head.run)?,
            serde_json::to_string(head.lists)?,
            serde_json::to_string(head.skipped)?,
            serde_json::to_string(head.warnings)?,
        )?;
        Ok(())
    }

    fn row(&mut self, out: &mut dyn Write, r: &RowResult) -> Result<()> {
        if self.rows > 0 {
            out.write_all(b",")?;
        }
        out.write_all(b"\n")?;
        serde_json::to_writer(&mut *out, r)?;
        self.rows += 1;
        Ok(())
    }

    /// Close `results`, then the summary closes the document.
    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> Result<()> {
        writeln!(
            out,
            "\n],\n\"summary\":{}}}",
            serde_json::to_string(summary)?
        )?;
        Ok(())
    }
}
