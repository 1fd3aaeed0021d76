//! What the server screens against: the loaded lists and their index (a
//! [`Loaded`]), held in an [`ArcSwap`] so that a reload builds the new
//! index beside the old one and swaps it in at once. A request takes the
//! current `Arc<Loaded>` when it starts and keeps it to its end, so requests
//! in flight finish on the lists they began with.

use crate::config::ServeConfig;
use crate::decisions::Decisions;
use crate::index::Index;
use crate::lists::{Diagnostic, ListFile, Skipped};
use crate::matcher::WordCache;
use crate::screening::{build_index, expand_fetched, load_catalog};
use anyhow::Result;
use arc_swap::ArcSwap;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

/// One dataset, as `/catalog` shows it: the entries whose ids share a
/// prefix (`ofac-sdn`, `csl`, `un`...), which is also the name `/match/{dataset}` takes.
#[derive(Debug, Clone, Serialize)]
pub struct Dataset {
    /// The id prefix, e.g. `ofac-sdn`.
    pub name: String,
    /// The lists its entries are on, as published (`OFAC SDN List`...), joined by `; `.
    pub title: String,
    /// Its entries.
    pub entities: usize,
}

/// The lists loaded at one time, indexed.
pub struct Loaded {
    /// Counts up from 1 with each successful load.
    pub generation: u64,
    /// When the load began, as `YYYY-MM-DDTHH:MM:SSZ`.
    pub started_at: String,
    /// When the load finished, as `YYYY-MM-DDTHH:MM:SSZ`.
    pub loaded_at: String,
    /// Seconds the load and index took.
    pub load_seconds: f64,
    /// The list files read (provenance: format, date, sha256, counts).
    pub files: Vec<ListFile>,
    /// Files found but not loaded.
    pub skipped: Vec<Skipped>,
    /// Records loaded only in part.
    pub warnings: Vec<Diagnostic>,
    /// True for the bundled sample lists.
    pub bundled: bool,
    /// The index.
    pub index: Index,
    /// What matchers of this index learn of query words, shared by requests.
    pub words: WordCache,
    /// Reviewed decisions applied to every hit, when `--decisions` is given.
    pub decisions: Option<Decisions>,
    /// The datasets, by name.
    pub datasets: Vec<Dataset>,
    /// Each entity's dataset, as an index into `datasets`.
    pub entity_dataset: Vec<u16>,
    /// Each entity id's entity (the first, when two files carry one id).
    pub by_id: rustc_hash::FxHashMap<String, u32>,
    /// What the file watcher compares: each watched path's modification time.
    pub(crate) stamps: Vec<(PathBuf, Option<SystemTime>)>,
    /// Each list file's date (`YYYY-MM-DD`: as published, else the file's
    /// modification day, else the load's), by its public name.
    pub file_dates: BTreeMap<String, String>,
    /// The load's version as yente writes index versions:
    /// `YYYYMMDDhhmmss-xxx`.
    pub version: String,
}

impl Loaded {
    /// Load the lists and decisions the configuration names, and index them.
    pub fn load(c: &ServeConfig, generation: u64) -> Result<Loaded> {
        let started = Instant::now();
        let started_at = crate::clock::rfc3339(SystemTime::now());
        let stamps = stamps(&c.lists);
        let mut catalog = load_catalog(&c.lists)?;
        let decisions = c.decisions.as_deref().map(Decisions::load).transpose()?;
        let mut index = build_index(&mut catalog);
        let loaded_at = crate::clock::rfc3339(SystemTime::now());
        // No answer discloses where the server keeps its files: each file
        // goes by its path under the `--lists` directory holding it.
        let mut file_dates = BTreeMap::new();
        for f in &mut catalog.files {
            let public = public_name(&f.path, &c.lists);
            let date = f
                .published
                .as_deref()
                .and_then(iso_day)
                .or_else(|| {
                    let t = std::fs::metadata(&f.path).and_then(|m| m.modified()).ok()?;
                    Some(crate::clock::rfc3339(t)[..10].to_string())
                })
                .unwrap_or_else(|| loaded_at[..10].to_string());
            file_dates.insert(public.clone(), date);
            f.path = public;
        }
        for s in &mut catalog.skipped {
            s.path = public_name(&s.path, &c.lists);
            s.reason = scrub(&s.reason, &c.lists);
        }
        for w in &mut catalog.warnings {
            w.location = scrub(&w.location, &c.lists);
            w.message = scrub(&w.message, &c.lists);
        }
        // A file's entities share its name, and so the name shown for it.
        let mut shown: Option<(std::sync::Arc<str>, std::sync::Arc<str>)> = None;
        for e in &mut index.entities {
            match &shown {
                Some((file, public)) if std::sync::Arc::ptr_eq(file, &e.source.file) => {
                    e.source.file = public.clone();
                }
                _ => {
                    let public: std::sync::Arc<str> = public_name(&e.source.file, &c.lists).into();
                    shown = Some((e.source.file.clone(), public.clone()));
                    e.source.file = public;
                }
            }
        }
        let (datasets, entity_dataset) = datasets(&index);
        let mut by_id = rustc_hash::FxHashMap::default();
        for (i, e) in index.entities.iter().enumerate() {
            by_id.entry(e.id.clone()).or_insert(i as u32);
        }
        let version = index_version(&loaded_at, generation);
        Ok(Loaded {
            generation,
            started_at,
            loaded_at,
            load_seconds: started.elapsed().as_secs_f64(),
            files: catalog.files,
            skipped: catalog.skipped,
            warnings: catalog.warnings,
            bundled: catalog.bundled,
            index,
            words: WordCache::default(),
            decisions,
            datasets,
            entity_dataset,
            by_id,
            stamps,
            file_dates,
            version,
        })
    }

    /// The date of entity `e`'s list file (`YYYY-MM-DD`).
    pub fn entity_date(&self, e: u32) -> &str {
        let file = &self.index.entities[e as usize].source.file;
        self.file_dates.get(&**file).map_or("", String::as_str)
    }

    /// The dataset named `name`: `None` for every list (`default`, `all`,
    /// `sanctions`), `Some(i)` for one, an error for a name not loaded.
    pub fn dataset(&self, name: &str) -> Result<Option<u16>, String> {
        if ALL_DATASETS.contains(&name) {
            return Ok(None);
        }
        match self.datasets.iter().position(|d| d.name == name) {
            Some(i) => Ok(Some(i as u16)),
            None => Err(format!(
                "no dataset {name:?}: the datasets are {} and {}",
                ALL_DATASETS.join(", "),
                self.datasets
                    .iter()
                    .map(|d| d.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// The dataset name of entity `e`.
    pub fn dataset_of(&self, e: u32) -> &str {
        &self.datasets[self.entity_dataset[e as usize] as usize].name
    }
}

/// A list file's name as answers give it: its path under the `--lists`
/// directory that holds it, else its file name (`bundled:` names as they are).
pub fn public_name(path: &str, lists: &[PathBuf]) -> String {
    if path.starts_with("bundled:") {
        return path.to_string();
    }
    let p = std::path::Path::new(path);
    for root in lists {
        if root.is_dir()
            && let Ok(rel) = p.strip_prefix(root)
            && !rel.as_os_str().is_empty()
        {
            return rel.to_string_lossy().into_owned();
        }
    }
    p.file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

/// Text (a warning, an error) with the directories holding the `--lists`
/// paths taken out, so that it names each list as [`public_name`] does.
pub fn scrub(text: &str, lists: &[PathBuf]) -> String {
    let mut out = text.to_string();
    for root in lists {
        let dir = if root.is_dir() {
            Some(root.as_path())
        } else {
            root.parent()
        };
        if let Some(d) = dir.map(|d| d.to_string_lossy().into_owned())
            && !d.is_empty()
        {
            out = out.replace(&format!("{d}{}", std::path::MAIN_SEPARATOR), "");
            out = out.replace(&d, ".");
        }
    }
    out
}

/// A published date as `YYYY-MM-DD`: from `2025-12-24...` or `12/24/2025`.
fn iso_day(s: &str) -> Option<String> {
    let s = s.trim();
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    if s.len() >= 10 && digits(&s[..4]) && digits(&s[5..7]) && digits(&s[8..10]) {
        return Some(format!("{}-{}-{}", &s[..4], &s[5..7], &s[8..10]));
    }
    let parts: Vec<&str> = s.split(['/', ' ']).collect();
    if parts.len() >= 3
        && digits(parts[0])
        && digits(parts[1])
        && parts[2].len() == 4
        && digits(parts[2])
    {
        let (m, d): (u32, u32) = (parts[0].parse().ok()?, parts[1].parse().ok()?);
        return Some(format!("{}-{m:02}-{d:02}", parts[2]));
    }
    None
}

/// yente's index version (`YYYYMMDDhhmmss-xxx`, Marble parses it) of a
/// load at `loaded_at` (`YYYY-MM-DDTHH:MM:SSZ`): the time's digits, then
/// three letters counting the generation.
fn index_version(loaded_at: &str, generation: u64) -> String {
    let digits: String = loaded_at
        .chars()
        .filter(char::is_ascii_digit)
        .take(14)
        .collect();
    let mut n = generation;
    let mut tag = [b'a'; 3];
    for t in tag.iter_mut().rev() {
        *t = b'a' + (n % 26) as u8;
        n /= 26;
    }
    format!("{digits:0<14}-{}", String::from_utf8_lossy(&tag))
}

/// The dataset names that stand for every loaded list (yente's clients
/// call `default` or `sanctions`).
pub const ALL_DATASETS: [&str; 3] = ["default", "sanctions", "all"];

/// The datasets of an index (by id prefix, in name order), and each entity's.
fn datasets(index: &Index) -> (Vec<Dataset>, Vec<u16>) {
    let prefix = |id: &str| id.split_once(':').map_or(id, |(p, _)| p).to_string();
    let mut lists: BTreeMap<String, (BTreeMap<String, ()>, usize)> = BTreeMap::new();
    for e in &index.entities {
        let d = lists.entry(prefix(&e.id)).or_default();
        d.0.insert(e.list.to_string(), ());
        d.1 += 1;
    }
    let datasets: Vec<Dataset> = lists
        .into_iter()
        .map(|(name, (titles, entities))| Dataset {
            name,
            title: titles.into_keys().collect::<Vec<_>>().join("; "),
            entities,
        })
        .collect();
    let entity_dataset = index
        .entities
        .iter()
        .map(|e| {
            let p = prefix(&e.id);
            datasets.iter().position(|d| d.name == p).unwrap_or(0) as u16
        })
        .collect();
    (datasets, entity_dataset)
}

/// The paths whose change means the lists changed: each `--lists` path, the
/// `lists.json` of a fetched directory and the files it names, with their
/// modification times (`None` when missing).
fn stamps(lists: &[PathBuf]) -> Vec<(PathBuf, Option<SystemTime>)> {
    let mut paths: Vec<PathBuf> = lists.to_vec();
    for p in lists {
        if p.is_dir() {
            paths.push(p.join(crate::fetch::MANIFEST));
        }
    }
    if let Ok(expanded) = expand_fetched(lists) {
        for p in expanded {
            // A plain directory of list files: rewriting a file in place
            // does not touch the directory's own time, so watch each file.
            if p.is_dir()
                && let Ok(entries) = std::fs::read_dir(&p)
            {
                paths.extend(entries.filter_map(|e| e.ok()).map(|e| e.path()));
            }
            paths.push(p);
        }
    }
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .map(|p| {
            let t = std::fs::metadata(&p).and_then(|m| m.modified()).ok();
            (p, t)
        })
        .collect()
}

/// Has any watched path changed since `loaded` was loaded?
pub fn changed_on_disk(c: &ServeConfig, loaded: &Loaded) -> bool {
    stamps(&c.lists) != loaded.stamps
}

/// How the last reload went, for `/readyz` and the log.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReloadStatus {
    /// Reloads that succeeded since the start.
    pub reloads: u64,
    /// The last reload that failed, while the old lists are still served:
    /// when and why (cleared by the next success).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// When it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error_at: Option<String>,
}

/// The server's lists: the current [`Loaded`], and how reloads went.
pub struct Lists {
    config: ServeConfig,
    current: ArcSwap<Loaded>,
    /// One reload at a time; holds the status of the last.
    reload: Mutex<ReloadStatus>,
}

impl Lists {
    /// Load the lists for the first time.
    pub fn load(config: ServeConfig) -> Result<Lists> {
        let loaded = Loaded::load(&config, 1)?;
        Ok(Lists {
            config,
            current: ArcSwap::from_pointee(loaded),
            reload: Mutex::new(ReloadStatus::default()),
        })
    }

    /// The lists now served; the caller keeps them for one request.
    pub fn current(&self) -> Arc<Loaded> {
        self.current.load_full()
    }

    /// The configuration the lists are loaded by.
    pub fn config(&self) -> &ServeConfig {
        &self.config
    }

    /// How reloads went.
    pub fn status(&self) -> ReloadStatus {
        self.reload.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Load the lists again beside the ones served and swap them in; on
    /// failure keep serving the old ones and record why. Blocking (it
    /// reads and indexes every list): call it off the async workers.
    pub fn reload(&self, why: &str) -> Result<Arc<Loaded>, String> {
        let mut status = match self.reload.lock() {
            Ok(s) => s,
            Err(p) => p.into_inner(),
        };
        let next = self.current.load().generation + 1;
        match Loaded::load(&self.config, next) {
            Ok(loaded) => {
                let loaded = Arc::new(loaded);
                self.current.store(Arc::clone(&loaded));
                status.reloads += 1;
                status.last_error = None;
                status.last_error_at = None;
                eprintln!(
                    "sanctions serve: reloaded ({why}): generation {}, {} entities from {} files in {:.2} s",
                    loaded.generation,
                    loaded.index.entities.len(),
                    loaded.files.len(),
                    loaded.load_seconds
                );
                Ok(loaded)
            }
            Err(e) => {
                let full = format!("{e:#}");
                eprintln!(
                    "sanctions serve: reload ({why}) failed, still serving generation {}: {full}",
                    next - 1
                );
                // What answers and /readyz say: the paths of the lists by
                // their names (the log above has them whole).
                let msg = scrub(&full, &self.config.lists);
                status.last_error = Some(msg.clone());
                status.last_error_at = Some(crate::clock::rfc3339(SystemTime::now()));
                Err(msg)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_versions_look_like_yentes() {
        assert_eq!(
            index_version("2026-12-06T10:11:12Z", 1),
            "20261206101112-aab"
        );
        assert_eq!(
            index_version("2026-12-06T10:11:12Z", 27),
            "20261206101112-abb"
        );
    }

    #[test]
    fn published_dates_are_read_in_both_forms() {
        assert_eq!(iso_day("2025-12-24").as_deref(), Some("2025-12-24"));
        assert_eq!(iso_day("12/24/2025").as_deref(), Some("2025-12-24"));
        assert_eq!(iso_day("soon"), None);
    }

    #[test]
    fn public_names_hold_no_absolute_path() {
        let dir = std::env::temp_dir();
        let f = dir.join("x").join("sdn.csv");
        assert_eq!(
            public_name(&f.to_string_lossy(), std::slice::from_ref(&dir)),
            format!("x{}sdn.csv", std::path::MAIN_SEPARATOR)
        );
        assert_eq!(public_name(&f.to_string_lossy(), &[]), "sdn.csv");
        assert_eq!(public_name("bundled:sdn.csv", &[]), "bundled:sdn.csv");
    }
}
