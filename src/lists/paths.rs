//! Where list files come from: the paths given to `--lists` (files, or
//! directories walked in path order), the bundled sample, or bytes in memory.

use super::group::load_sources;
use super::sniff::{is_blank, ofac_role_by_name};
use super::{Catalog, Diagnostic, Format, Skipped, Source, ofac_csv, sniff_named};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

/// The bundled sample lists, compiled into the binary.
pub const BUNDLED: &[(&str, &[u8])] = &[
    ("sdn.csv", include_bytes!("../../data/lists/sdn.csv")),
    ("alt.csv", include_bytes!("../../data/lists/alt.csv")),
    ("add.csv", include_bytes!("../../data/lists/add.csv")),
    (
        "sdn_comments.csv",
        include_bytes!("../../data/lists/sdn_comments.csv"),
    ),
    (
        "cons_prim.csv",
        include_bytes!("../../data/lists/cons_prim.csv"),
    ),
    (
        "cons_alt.csv",
        include_bytes!("../../data/lists/cons_alt.csv"),
    ),
    (
        "cons_add.csv",
        include_bytes!("../../data/lists/cons_add.csv"),
    ),
    ("csl.csv", include_bytes!("../../data/lists/csl.csv")),
];

/// Load the bundled sample lists.
pub fn load_bundled() -> Result<Catalog> {
    let sources: Vec<Source> = BUNDLED
        .iter()
        .map(|(name, bytes)| Source {
            name: format!("bundled:{name}").into(),
            bytes: bytes.to_vec(),
        })
        .collect();
    let mut catalog = load_sources(vec![("bundled".to_string(), sources)], Vec::new())?;
    catalog.bundled = true;
    Ok(catalog)
}

/// Load list files given as (name, bytes), as one directory would be (the
/// OFAC companions of one set grouped): for tests and fuzzing, and for
/// callers that hold the bytes already. Messages name the files by `name`.
pub fn load_bytes(files: &[(&str, &[u8])]) -> Result<Catalog> {
    let sources: Vec<Source> = files
        .iter()
        .map(|(name, bytes)| Source {
            name: (*name).into(),
            bytes: bytes.to_vec(),
        })
        .collect();
    let names: Vec<String> = files.iter().map(|(n, _)| n.to_string()).collect();
    let catalog = load_sources(vec![("memory".to_string(), sources)], Vec::new())?;
    require_entities(&catalog, &names)?;
    Ok(catalog)
}

/// Load every recognized list file under the given paths (files or directories).
///
/// A file named directly must be a recognized list; inside a directory,
/// unrecognized files are reported as skipped. Hidden files are ignored.
///
/// Loading nothing is an error, never an empty index that clears every name:
/// a recognized list file that yields no entry (a truncated file, a changed
/// layout, a header alone) is an error naming it, and so are paths that
/// yield no entry in all. So is a file inside a directory that bears the
/// name of an OFAC primary file (`sdn.csv`, `cons_prim.csv`) but is not in
/// OFAC's layout; one named like an OFAC companion file is skipped with a
/// warning, as an orphan companion is.
pub fn load_paths(paths: &[PathBuf]) -> Result<Catalog> {
    let mut groups: Vec<(String, Vec<Source>)> = Vec::new();
    let mut skipped = Vec::new();
    let mut warnings = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path)
            .with_context(|| format!("{}: cannot read list path", path.display()))?;
        if meta.is_dir() {
            let mut files = Vec::new();
            walk(path, &mut files)?;
            for file in files {
                let bytes = std::fs::read(&file)
                    .with_context(|| format!("{}: cannot read list file", file.display()))?;
                let name = file.display().to_string();
                match sniff_named(file_name(&file), &bytes) {
                    Some(Format::Unsupported(what)) => skipped.push(Skipped {
                        path: name,
                        reason: format!("format not yet supported: {what}"),
                    }),
                    Some(_) => push_to_group(
                        &mut groups,
                        &file,
                        Source {
                            name: name.into(),
                            bytes,
                        },
                    ),
                    None => {
                        let role = ofac_role_by_name(&file_name(&file).to_ascii_lowercase());
                        match role {
                            Some(ofac_csv::Role::Primary) if !is_blank(&bytes) => bail!(
                                "{name}:1: not a recognized list format, though named like an OFAC primary file: OFAC's CSV has no header row and 12 fields, an entity number then a quoted name (a changed layout?)"
                            ),
                            Some(role) if !is_blank(&bytes) => {
                                warnings.push(Diagnostic::file(
                                    &name,
                                    format!(
                                        "not a recognized list format, though named like an OFAC {} file: not loaded (a changed layout?)",
                                        Format::OfacCsv(role).label()
                                    ),
                                ));
                                skipped.push(Skipped {
                                    path: name,
                                    reason: "not a recognized list format (named like an OFAC file: a changed layout?)"
                                        .to_string(),
                                });
                            }
                            _ => skipped.push(Skipped {
                                path: name,
                                reason: "not a recognized list format".to_string(),
                            }),
                        }
                    }
                }
            }
        } else {
            let bytes = std::fs::read(path)
                .with_context(|| format!("{}: cannot read list file", path.display()))?;
            let name = path.display().to_string();
            match sniff_named(file_name(path), &bytes) {
                Some(Format::Unsupported(what)) => {
                    bail!("{name}: format not yet supported: {what}")
                }
                Some(_) => push_to_group(
                    &mut groups,
                    path,
                    Source {
                        name: name.into(),
                        bytes,
                    },
                ),
                None => bail!(
                    "{name}:1: not a recognized list format (expected OFAC CSV or XML, or trade.gov CSL CSV or JSON)"
                ),
            }
        }
    }
    let mut catalog = load_sources(groups, skipped)?;
    catalog.warnings.splice(0..0, warnings);
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    require_entities(&catalog, &names)?;
    Ok(catalog)
}

/// An error when the lists loaded no entry at all: screening against them
/// would report every name clear. It names the paths and says what was
/// found instead.
fn require_entities(catalog: &Catalog, names: &[String]) -> Result<()> {
    if !catalog.entities.is_empty() {
        return Ok(());
    }
    const SHOWN: usize = 5;
    let mut found: Vec<String> = catalog
        .warnings
        .iter()
        .map(|w| w.to_string())
        .chain(
            catalog
                .skipped
                .iter()
                // An orphan companion is both warned about and skipped.
                .filter(|s| !catalog.warnings.iter().any(|w| w.location == s.path))
                .map(|s| format!("{}: skipped: {}", s.path, s.reason)),
        )
        .collect();
    if found.is_empty() {
        bail!(
            "{}: loaded no entries: no list file found there",
            names.join(", ")
        );
    }
    if found.len() > SHOWN {
        let more = found.len() - SHOWN;
        found.truncate(SHOWN);
        found.push(format!("and {more} more"));
    }
    bail!(
        "{}: loaded no entries: a truncated or changed file? ({})",
        names.join(", "),
        found.join("; ")
    )
}

fn push_to_group(groups: &mut Vec<(String, Vec<Source>)>, path: &Path, source: Source) {
    let dir = path
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    match groups.iter_mut().find(|(d, _)| *d == dir) {
        Some((_, v)) => v.push(source),
        None => groups.push((dir, vec![source])),
    }
}

/// A path's file name, or nothing when it has none (or not in UTF-8).
fn file_name(path: &Path) -> &str {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
}

/// Every regular file below `dir`, sorted by path, skipping hidden entries.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("{}: cannot read directory", dir.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()
        .with_context(|| format!("{}: cannot read directory", dir.display()))?;
    entries.sort();
    for p in entries {
        let hidden = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if p.is_dir() {
            walk(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}
