//! `sanctions diff`: the entries added, removed and changed between two
//! snapshots of the lists, as text or JSON.

use crate::config::{DiffConfig, Outcome};
use crate::lists;
use crate::screening::expand_fetched;
use crate::workflow::{self, Change};
use anyhow::Result;
use std::io::{BufWriter, Write};

/// Run `sanctions diff`.
pub fn run(c: &DiffConfig) -> Result<Outcome> {
    let old = lists::load_paths(&expand_fetched(&c.old)?)?;
    let new = lists::load_paths(&expand_fetched(&c.new)?)?;
    let changes = workflow::diff(&old.entities, &new.entities);
    let count = |k: &str| changes.iter().filter(|x| x.change == k).count();
    let mut out = BufWriter::new(std::io::stdout().lock());
    if c.json {
        serde_json::to_writer_pretty(
            &mut out,
            &serde_json::json!({
                "old": old.files,
                "new": new.files,
                "added": count("added"),
                "removed": count("removed"),
                "changed": count("changed"),
                "changes": changes,
            }),
        )?;
        writeln!(out)?;
    } else {
        for x in &changes {
            write_change(&mut out, x)?;
        }
        writeln!(
            out,
            "{} added, {} removed, {} changed ({} entries before, {} after)",
            count("added"),
            count("removed"),
            count("changed"),
            old.entities.len(),
            new.entities.len()
        )?;
    }
    out.flush()?;
    Ok(Outcome::Clear)
}

/// One change as a line of text: what changed, the entry, and which fields.
fn write_change(out: &mut impl Write, x: &Change) -> Result<()> {
    let what = if x.what.is_empty() {
        String::new()
    } else {
        format!(" ({})", x.what.join(", "))
    };
    writeln!(
        out,
        "{:<8} {}  {}  {}{what}",
        x.change, x.id, x.name, x.list
    )?;
    Ok(())
}
