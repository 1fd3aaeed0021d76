//! What makes a screening run evidence: the run id, the audit record, the
//! age of the lists, the entries that changed between two list snapshots,
//! and output files that appear whole or not at all.

use crate::lists::{ListFile, hex};
use crate::model::Entity;
use anyhow::{Context, Result};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Bytes read at a time when a file is hashed.
const HASH_BUFFER: usize = 1 << 20;
/// Ends each key of a run id's parts (ASCII unit separator).
const KEY_END: u8 = 0x1f;
/// Ends each value of a run id's parts (ASCII record separator).
const VALUE_END: u8 = 0x1e;
/// Bytes of the sha256 a run id keeps (16 hex digits).
const RUN_ID_BYTES: usize = 8;

/// The sha256 of a file, read as a stream, and its size.
pub fn sha256_file(path: &Path) -> Result<(String, u64)> {
    use sha2::{Digest, Sha256};
    let mut f = std::fs::File::open(path)
        .with_context(|| format!("{}: cannot open input", path.display()))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; HASH_BUFFER];
    let mut n = 0u64;
    loop {
        let k = f
            .read(&mut buf)
            .with_context(|| format!("{}: cannot read input", path.display()))?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        n += k as u64;
    }
    Ok((hex(&h.finalize()), n))
}

/// A run id: 16 hex digits of the sha256 of everything that decides a
/// report, given as `(key, value)` pairs (tool version, options, input and
/// list hashes). The same pairs give the same id.
///
/// ```
/// use sanctions::workflow::run_id;
/// let a = run_id(&[("threshold", "0.85".into()), ("input", "ab12".into())]);
/// assert_eq!(a, run_id(&[("threshold", "0.85".into()), ("input", "ab12".into())]));
/// assert_ne!(a, run_id(&[("threshold", "0.9".into()), ("input", "ab12".into())]));
/// assert_eq!(a.len(), 16);
/// ```
pub fn run_id(parts: &[(&str, String)]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for (k, v) in parts {
        h.update(k.as_bytes());
        h.update([KEY_END]);
        h.update(v.as_bytes());
        h.update([VALUE_END]);
    }
    hex(&h.finalize()[..RUN_ID_BYTES])
}

/// The ids of the entries of `new` that `old` does not have, or has with
/// other content ([`Entity::content_hash`]).
pub fn changed_ids(old: &[Entity], new: &[Entity]) -> BTreeSet<String> {
    let before: BTreeMap<&str, String> = old
        .iter()
        .map(|e| (e.id.as_str(), e.content_hash()))
        .collect();
    new.iter()
        .filter(|e| before.get(e.id.as_str()) != Some(&e.content_hash()))
        .map(|e| e.id.clone())
        .collect()
}

/// How one entry differs between two snapshots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The entry's id.
    pub id: String,
    /// Its list.
    pub list: String,
    /// Its primary name (in the newer snapshot when it is there).
    pub name: String,
    /// `added`, `removed` or `changed`.
    pub change: &'static str,
    /// For a changed entry: what changed (`names`, `programs`...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub what: Vec<String>,
}

/// Entries added, removed and changed between two snapshots, by id.
pub fn diff(old: &[Entity], new: &[Entity]) -> Vec<Change> {
    let by_id = |es: &[Entity]| -> BTreeMap<String, Entity> {
        es.iter().map(|e| (e.id.clone(), e.clone())).collect()
    };
    let (a, b) = (by_id(old), by_id(new));
    let mut out = Vec::new();
    for (id, e) in &b {
        match a.get(id) {
            None => out.push(Change::new(id, e, "added", Vec::new())),
            Some(o) if o.content_hash() != e.content_hash() => {
                out.push(Change::new(id, e, "changed", changed_fields(o, e)));
            }
            Some(_) => {}
        }
    }
    for (id, e) in &a {
        if !b.contains_key(id) {
            out.push(Change::new(id, e, "removed", Vec::new()));
        }
    }
    out.sort_by(|x, y| x.change.cmp(y.change).then(x.id.cmp(&y.id)));
    out
}

impl Change {
    /// The change of the entry `e`, by id.
    fn new(id: &str, e: &Entity, change: &'static str, what: Vec<String>) -> Change {
        Change {
            id: id.to_string(),
            list: e.list.to_string(),
            name: e.primary_name().to_string(),
            change,
            what,
        }
    }
}

/// What differs between two versions of an entry (`names`, `programs`,
/// `identifiers`, `type`, `countries`, `addresses`, `list`), order aside.
fn changed_fields(o: &Entity, e: &Entity) -> Vec<String> {
    let sorted = |v: Vec<String>| {
        let mut v = v;
        v.sort();
        v
    };
    let mut what = Vec::new();
    let names = |x: &Entity| {
        sorted(
            x.names
                .iter()
                .map(|n| format!("{}:{}", n.kind, n.text))
                .collect(),
        )
    };
    let ids = |x: &Entity| {
        sorted(
            x.identifiers
                .iter()
                .map(|i| format!("{}:{}", i.kind, i.value))
                .collect(),
        )
    };
    if names(o) != names(e) {
        what.push("names".to_string());
    }
    if sorted(o.programs.clone()) != sorted(e.programs.clone()) {
        what.push("programs".to_string());
    }
    if ids(o) != ids(e) {
        what.push("identifiers".to_string());
    }
    if o.entity_type != e.entity_type {
        what.push("type".to_string());
    }
    if sorted(o.countries.clone()) != sorted(e.countries.clone()) {
        what.push("countries".to_string());
    }
    if sorted(o.addresses.clone()) != sorted(e.addresses.clone()) {
        what.push("addresses".to_string());
    }
    if o.list != e.list {
        what.push("list".to_string());
    }
    what
}

/// The age of each list file that holds entries, in days, from its
/// publication date (as the file states it, else as the fetch manifest
/// records it, else the day it was fetched); `None` when nothing tells.
/// `manifest_date` looks a file up in the manifest of the directory it
/// was fetched into.
pub fn list_ages(
    files: &[ListFile],
    today: i64,
    manifest_date: &dyn Fn(&Path) -> Option<String>,
) -> Vec<(String, Option<i64>, String)> {
    files
        .iter()
        .filter(|f| f.entities > 0)
        .map(|f| {
            let (date, from) = match f.published.as_deref().and_then(crate::clock::parse_date) {
                Some(d) => (Some(d), "published".to_string()),
                None => match manifest_date(Path::new(&f.path))
                    .as_deref()
                    .and_then(crate::clock::parse_date)
                {
                    Some(d) => (Some(d), "fetched".to_string()),
                    None => (None, "no date in the file or a fetch manifest".to_string()),
                },
            };
            (f.path.clone(), date.map(|d| today - d), from)
        })
        .collect()
}

/// A file written under a temporary name beside its destination and
/// renamed over it by [`AtomicFile::commit`]; dropped without a commit, the
/// temporary file is removed, so a crash or an error never leaves a half
/// file that looks whole.
pub struct AtomicFile {
    file: Option<std::fs::File>,
    tmp: PathBuf,
    dest: PathBuf,
}

impl AtomicFile {
    /// Create the temporary file for `dest`.
    pub fn create(dest: &Path) -> Result<AtomicFile> {
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "output".to_string());
        let tmp = dest.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        let file = std::fs::File::create(&tmp)
            .with_context(|| format!("{}: cannot create output", dest.display()))?;
        Ok(AtomicFile {
            file: Some(file),
            tmp,
            dest: dest.to_path_buf(),
        })
    }

    /// Flush, sync and rename over the destination.
    pub fn commit(mut self) -> Result<()> {
        if let Some(mut f) = self.file.take() {
            f.flush()
                .and_then(|_| f.sync_all())
                .with_context(|| format!("{}: cannot write output", self.dest.display()))?;
        }
        std::fs::rename(&self.tmp, &self.dest)
            .with_context(|| format!("{}: cannot write output", self.dest.display()))
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(std::io::Error::other("output already committed")),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Write `bytes` to `dest` atomically ([`AtomicFile`]).
pub fn write_atomic(dest: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = AtomicFile::create(dest)?;
    f.write_all(bytes)
        .with_context(|| format!("{}: cannot write", dest.display()))?;
    f.commit()
}

/// A copy of standard input in a temporary file, removed when dropped.
pub struct StdinCopy {
    path: PathBuf,
}

impl StdinCopy {
    /// Where the copy is.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for StdinCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Copy standard input into a temporary file, so that it can be hashed
/// before it is screened.
pub fn spool_stdin() -> Result<StdinCopy> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let path = std::env::temp_dir().join(format!(
        "sanctions-stdin-{}-{nanos}.tmp",
        std::process::id()
    ));
    let copy = StdinCopy { path };
    let mut f = std::fs::File::create(&copy.path)
        .with_context(|| format!("{}: cannot keep standard input", copy.path.display()))?;
    std::io::copy(&mut std::io::stdin().lock(), &mut f).context("cannot read standard input")?;
    f.flush().context("cannot read standard input")?;
    Ok(copy)
}

/// The date a fetch manifest (`lists.json` in the directory above the
/// file's) records for the list a file belongs to: its publication date,
/// else the day it was fetched.
pub fn manifest_date(file: &Path) -> Option<String> {
    // `--lists .` or a bare file name has no parent in its text.
    let file = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    let dir = file.parent()?;
    let root = dir.parent()?;
    let text = std::fs::read_to_string(root.join("lists.json")).ok()?;
    let doc: serde_json::Value = serde_json::from_str(&text).ok()?;
    let name = dir.file_name()?.to_str()?;
    let source = doc
        .get("sources")?
        .as_array()?
        .iter()
        .find(|s| s.get("dir").and_then(|d| d.as_str()) == Some(name))?;
    ["published", "retrieved"]
        .iter()
        .find_map(|k| source.get(*k).and_then(|v| v.as_str()).map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EntityType, Location, Name, NameKind};

    fn e(id: &str, name: &str, programs: &[&str]) -> Entity {
        Entity {
            entity_type: EntityType::Organization,
            names: vec![Name::new(name, NameKind::Primary)],
            programs: programs.iter().map(|p| p.to_string()).collect(),
            ..Entity::new(
                id,
                "SDN",
                Location {
                    file: "f".into(),
                    line: 1,
                },
            )
        }
    }

    #[test]
    fn diff_finds_added_removed_and_changed_entries() {
        let old = [
            e("a", "ALPHA", &["X"]),
            e("b", "BRAVO", &["X"]),
            e("c", "CHARLIE", &["X"]),
        ];
        let new = [
            e("a", "ALPHA", &["X"]),
            e("b", "BRAVO", &["X", "Y"]),
            e("d", "DELTA", &["X"]),
        ];
        let d = diff(&old, &new);
        let got: Vec<(&str, &str)> = d.iter().map(|c| (c.change, c.id.as_str())).collect();
        assert_eq!(got, [("added", "d"), ("changed", "b"), ("removed", "c")]);
        assert_eq!(d[1].what, ["programs"]);
        assert_eq!(
            changed_ids(&old, &new),
            ["b".to_string(), "d".to_string()].into()
        );
    }

    #[test]
    fn an_atomic_file_appears_only_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("report.csv");
        std::fs::write(&dest, "old").unwrap();
        {
            let mut f = AtomicFile::create(&dest).unwrap();
            f.write_all(b"half").unwrap();
        }
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        write_atomic(&dest, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "new");
    }
}
