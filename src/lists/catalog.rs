//! The account of a load: the entities, each file read (with its format,
//! list, checksum and counts), the files skipped and the warnings.

use super::{Diagnostic, Format, Loaded, MAX_NAME_CHARS, Source, sha256_hex};
use crate::model::Entity;
use anyhow::{Result, bail};
use serde::Serialize;

/// One loaded list file, as `sanctions lists` and the JSON report show it.
#[derive(Debug, Clone, Serialize)]
pub struct ListFile {
    /// The path as given.
    pub path: String,
    /// Format label, e.g. `ofac-csv`.
    pub format: String,
    /// The list it carries, e.g. `OFAC SDN List`.
    pub list: String,
    /// Publication date stated in the file, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Records in the file (rows or elements), loaded or not.
    pub records: usize,
    /// Entities this file produced (0 for companion files).
    pub entities: usize,
    /// Names those entities carry.
    pub names: usize,
}

/// A file under `--lists` that was not loaded, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    /// The path as found.
    pub path: String,
    /// Why it was skipped.
    pub reason: String,
}

/// Everything `--lists` produced: the entities and a full account of the files.
#[derive(Debug, Default)]
pub struct Catalog {
    /// Every entity of every loaded file, in a deterministic order.
    pub entities: Vec<Entity>,
    /// The files read, in path order.
    pub files: Vec<ListFile>,
    /// Files found but not loaded.
    pub skipped: Vec<Skipped>,
    /// Records or files loaded only in part.
    pub warnings: Vec<Diagnostic>,
    /// True when the bundled sample was used instead of the user's lists.
    pub bundled: bool,
}

pub(super) fn list_file(
    src: &Source,
    format: Format,
    list: &str,
    loaded: Option<&Loaded>,
) -> ListFile {
    ListFile {
        path: src.name.to_string(),
        format: format.label().to_string(),
        list: list.to_string(),
        published: loaded.and_then(|l| l.published.clone()),
        sha256: sha256_hex(&src.bytes),
        bytes: src.bytes.len() as u64,
        records: loaded.map(|l| l.records).unwrap_or(0),
        entities: loaded.map(|l| l.entities.len()).unwrap_or(0),
        names: loaded
            .map(|l| l.entities.iter().map(|e| e.names.len()).sum())
            .unwrap_or(0),
    }
}

/// Add what a primary file loaded, or fail when it loaded nothing. Names
/// longer than [`MAX_NAME_CHARS`] are dropped with a warning first (and an
/// entry left without a name with them).
pub(super) fn add_loaded(
    catalog: &mut Catalog,
    src: &Source,
    format: Format,
    list: &str,
    mut loaded: Loaded,
) -> Result<()> {
    let mut warnings = Vec::new();
    loaded.entities.retain_mut(|e| {
        let before = e.names.len();
        let long = |n: &crate::model::Name| {
            n.text.len() > MAX_NAME_CHARS && n.text.chars().count() > MAX_NAME_CHARS
        };
        if let Some(n) = e.names.iter().find(|n| long(n)) {
            warnings.push(Diagnostic::at(
                &e.source.file,
                e.source.line,
                format!(
                    "a name of {} characters (at most {MAX_NAME_CHARS}), starting {:?}: not loaded (a quote left open?)",
                    n.text.chars().count(),
                    n.text.chars().take(40).collect::<String>()
                ),
            ));
        }
        e.names.retain(|n| !long(n));
        if e.names.is_empty() && before > 0 {
            warnings.push(Diagnostic::at(
                &e.source.file,
                e.source.line,
                format!("entry {} has no other name: skipped", e.id),
            ));
            return false;
        }
        true
    });
    loaded.warnings.extend(warnings);
    if loaded.entities.is_empty() {
        let why = if loaded.records == 0 {
            "no records found".to_string()
        } else {
            let first = loaded
                .warnings
                .first()
                .map(|w| format!("; first problem: {w}"))
                .unwrap_or_default();
            format!(
                "{} record(s), none loaded, {} warning(s){first}",
                loaded.records,
                loaded.warnings.len()
            )
        };
        bail!(
            "{}:1: loaded no entries ({why}): a truncated or changed file?",
            src.name
        );
    }
    catalog
        .files
        .push(list_file(src, format, list, Some(&loaded)));
    catalog.warnings.extend(loaded.warnings);
    if catalog.entities.is_empty() {
        // The first file's entities are taken, not copied.
        catalog.entities = loaded.entities;
    } else {
        catalog.entities.extend(loaded.entities);
    }
    Ok(())
}
