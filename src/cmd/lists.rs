//! `sanctions lists`: what is loaded (each list file with its format, date,
//! counts and sha256), what was skipped, and the list warnings.

use crate::config::{ListsConfig, Outcome};
use crate::lists::{Catalog, ListFile};
use crate::screening::{catalog_json, load_catalog};
use anyhow::Result;
use std::io::{BufWriter, Write};

/// Run `sanctions lists`.
pub fn run(c: &ListsConfig) -> Result<Outcome> {
    let catalog = load_catalog(&c.lists)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    if c.json {
        serde_json::to_writer_pretty(&mut out, &catalog_json(&catalog))?;
        writeln!(out)?;
    } else {
        write_text(&mut out, &catalog)?;
    }
    out.flush()?;
    Ok(Outcome::Clear)
}

/// The catalog as readable text.
fn write_text(out: &mut impl Write, catalog: &Catalog) -> Result<()> {
    if catalog.bundled {
        writeln!(out, "bundled SAMPLE lists (not the official lists)\n")?;
    }
    writeln!(out, "loaded files:")?;
    for f in &catalog.files {
        write_file(out, f)?;
    }
    writeln!(out, "entities: {}", catalog.entities.len())?;
    if !catalog.skipped.is_empty() {
        writeln!(out, "skipped files:")?;
        for s in &catalog.skipped {
            writeln!(out, "  {}: {}", s.path, s.reason)?;
        }
    }
    if !catalog.warnings.is_empty() {
        writeln!(out, "warnings ({}):", catalog.warnings.len())?;
        for w in &catalog.warnings {
            writeln!(out, "  {w}")?;
        }
    }
    Ok(())
}

/// One loaded list file: its path, then what it is and holds.
fn write_file(out: &mut impl Write, f: &ListFile) -> Result<()> {
    writeln!(
        out,
        "  {}\n    format {}; list {}; published {}; records {}; entities {}; names {}\n    sha256 {}",
        f.path,
        f.format,
        f.list,
        f.published.as_deref().unwrap_or("(not stated)"),
        f.records,
        f.entities,
        f.names,
        f.sha256
    )?;
    Ok(())
}
