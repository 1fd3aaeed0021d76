//! The manifest `lists.json`: what each source's directory of a lists
//! directory holds, read (by `fetch` and by `screen`), merged with a fetch's
//! fresh entries, and written atomically.

use super::sources::SOURCES;
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// The manifest `lists.json`: what each source's directory holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`Manifest::SCHEMA_VERSION`].
    pub schema_version: u32,
    /// One entry per source fetched at least once, in the order of [`SOURCES`].
    pub sources: Vec<ManifestSource>,
}

impl Manifest {
    /// The schema this version writes and reads.
    pub const SCHEMA_VERSION: u32 = 1;

    /// The entry of a source key, if any.
    pub fn source(&self, key: &str) -> Option<&ManifestSource> {
        self.sources.iter().find(|s| s.key == key)
    }
}

/// One source in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestSource {
    /// The source's key (see [`SOURCES`]).
    pub key: String,
    /// Human-readable description.
    pub label: String,
    /// Its directory, relative to the lists directory.
    pub dir: String,
    /// Whether `screen` loads it by default.
    pub screen: bool,
    /// When the files were retrieved, RFC 3339 UTC (`2026-11-26T18:00:00Z`).
    pub retrieved: String,
    /// Publication date stated in the files (`null` when none is).
    pub published: Option<String>,
    /// Entities the files loaded.
    pub entities: usize,
    /// The files, in the order of the source's definition.
    pub files: Vec<ManifestFile>,
}

/// One file in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    /// File name inside the source's directory.
    pub file: String,
    /// The URL (or mirror path) it was actually taken from.
    pub url: String,
    /// Lower-case hex SHA-256 of its bytes.
    pub sha256: String,
    /// Its size in bytes.
    pub bytes: u64,
}

/// The manifest's file name inside the lists directory.
pub const MANIFEST: &str = "lists.json";

/// Read `dir/lists.json`: `None` when there is none; an error naming the
/// file when it cannot be read or parsed, or has another schema version.
pub fn read_manifest(dir: &Path) -> Result<Option<Manifest>> {
    let path = dir.join(MANIFEST);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(e).with_context(|| format!("{}: cannot read manifest", path.display()));
        }
    };
    let manifest: Manifest = serde_json::from_slice(&bytes)
        .with_context(|| format!("{}: not a valid manifest", path.display()))?;
    if manifest.schema_version != Manifest::SCHEMA_VERSION {
        bail!(
            "{}: manifest schema_version {} is not supported (expected {})",
            path.display(),
            manifest.schema_version,
            Manifest::SCHEMA_VERSION
        );
    }
    for s in &manifest.sources {
        if !is_plain_name(&s.dir) {
            bail!(
                "{}: source {:?} has dir {:?}, which is not a plain directory name",
                path.display(),
                s.key,
                s.dir
            );
        }
    }
    Ok(Some(manifest))
}

/// The directories `screen` should load from a lists directory:
/// `dir/<source dir>` for every manifest source marked `screen` whose
/// directory exists, in manifest order. `None` when there is no manifest.
pub fn screening_paths(dir: &Path) -> Result<Option<Vec<PathBuf>>> {
    let Some(manifest) = read_manifest(dir)? else {
        return Ok(None);
    };
    Ok(Some(
        manifest
            .sources
            .iter()
            .filter(|s| s.screen)
            .map(|s| dir.join(&s.dir))
            .filter(|p| p.is_dir())
            .collect(),
    ))
}

/// One path component, no `..`, no root: safe to join under the lists directory.
fn is_plain_name(name: &str) -> bool {
    let mut parts = Path::new(name).components();
    matches!(parts.next(), Some(Component::Normal(_))) && parts.next().is_none()
}

/// The new manifest: fresh entries replace previous ones of the same key;
/// known keys in the order of [`SOURCES`], then unknown previous keys.
pub(super) fn merge_manifest(previous: Option<Manifest>, fresh: Vec<ManifestSource>) -> Manifest {
    let mut old = previous.map(|m| m.sources).unwrap_or_default();
    let mut fresh = fresh;
    let mut sources = Vec::new();
    for s in SOURCES {
        if let Some(i) = fresh.iter().position(|f| f.key == s.key) {
            sources.push(fresh.remove(i));
            old.retain(|o| o.key != s.key);
        } else if let Some(i) = old.iter().position(|o| o.key == s.key) {
            sources.push(old.remove(i));
        }
    }
    sources.extend(old);
    Manifest {
        schema_version: Manifest::SCHEMA_VERSION,
        sources,
    }
}

/// Write the manifest to `lists.json.tmp`, then rename it over `lists.json`.
pub(super) fn write_manifest(dir: &Path, manifest: &Manifest) -> Result<PathBuf> {
    let path = dir.join(MANIFEST);
    let tmp = dir.join(format!("{MANIFEST}.tmp"));
    let mut text = serde_json::to_string_pretty(manifest).context("cannot encode the manifest")?;
    text.push('\n');
    write_synced(&tmp, text.as_bytes())
        .with_context(|| format!("{}: cannot write manifest", tmp.display()))?;
    std::fs::rename(&tmp, &path).with_context(|| {
        format!(
            "{}: cannot rename {} over it",
            path.display(),
            tmp.display()
        )
    })?;
    sync_dir(dir);
    Ok(path)
}

/// Write a file and sync it to disk.
fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = std::fs::File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Make renames in `dir` durable where the platform allows it (best effort).
pub(super) fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_only() {
        assert!(is_plain_name("un"));
        assert!(!is_plain_name("../un"));
        assert!(!is_plain_name("/etc"));
        assert!(!is_plain_name("a/b"));
        assert!(!is_plain_name(""));
        for s in SOURCES {
            assert!(is_plain_name(s.dir));
        }
    }

    #[test]
    fn manifest_merge_keeps_failed_entries_and_source_order() {
        let entry = |key: &str, retrieved: &str| ManifestSource {
            key: key.to_string(),
            label: String::new(),
            dir: key.to_string(),
            screen: true,
            retrieved: retrieved.to_string(),
            published: None,
            entities: 1,
            files: Vec::new(),
        };
        let previous = Manifest {
            schema_version: 1,
            sources: vec![
                entry("future-list", "old"),
                entry("un", "old"),
                entry("eu", "old"),
            ],
        };
        let merged = merge_manifest(
            Some(previous),
            vec![entry("eu", "new"), entry("ofac-sdn-csv", "new")],
        );
        let got: Vec<(&str, &str)> = merged
            .sources
            .iter()
            .map(|s| (s.key.as_str(), s.retrieved.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("ofac-sdn-csv", "new"),
                ("un", "old"),
                ("eu", "new"),
                ("future-list", "old")
            ]
        );
    }
}
