//! The table report: a readable listing of every row, for a terminal,
//! with the counts and the run id at its foot.

use super::{Head, HitStatus, Printer, RowResult, Severity, Summary, Verdict, Wording};
use anyhow::Result;
use std::io::Write;

/// Writes the table report.
pub(super) struct Table {
    run_id: String,
}

impl Table {
    /// A table report of the run `run_id`.
    pub(super) fn new(run_id: &str) -> Table {
        Table {
            run_id: run_id.to_string(),
        }
    }
}

impl Printer for Table {
    fn begin(&mut self, _out: &mut dyn Write, _head: &Head) -> Result<()> {
        Ok(())
    }

    fn row(&mut self, out: &mut dyn Write, r: &RowResult) -> Result<()> {
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
                    write_hit(out, h)?;
                }
            }
        }
        for w in &r.warnings {
            writeln!(out, "  warning: {}", w.in_words())?;
        }
        Ok(())
    }

    /// The counts, then the run id.
    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> Result<()> {
        writeln!(
            out,
            "\n{}\nrun id {}",
            summary.counts_line(Wording::Footer),
            self.run_id
        )?;
        Ok(())
    }
}

/// One hit as text: score, entry, list, marks, the name matched, programs,
/// other lists, why (in words, as written on both sides), and any
/// decision. The table report writes each hit so, and so does `query`.
pub fn write_hit(out: &mut dyn Write, h: &super::Hit) -> Result<()> {
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
    writeln!(out, "          why: {}", h.explanation.in_words())?;
    if let Some(d) = &h.decision {
        writeln!(out, "          decision: {d}")?;
    }
    Ok(())
}
