//! `sanctions fetch`: download the official list files into a lists
//! directory, check that each parses before it replaces the last good copy,
//! and record what was fetched in a manifest (`lists.json`).
//!
//! # Layout
//!
//! ```text
//! <dir>/
//!   lists.json              the manifest (see below)
//!   ofac_sdn_csv/           one directory per source (Source::dir) ...
//!     sdn.csv add.csv alt.csv sdn_comments.csv
//!   ofac_cons_csv/ ...
//!   un/consolidated.xml
//!   .staging-<key>/         transient: one source's download in progress
//! ```
//!
//! Each source of [`SOURCES`] has its own directory, so every directory holds
//! exactly one release of one list and can be given to
//! [`crate::lists::load_paths`] on its own. Loading the whole of `<dir>` would
//! load the same OFAC parties twice (CSV and XML): use [`screening_paths`],
//! which lists the directories of the sources meant for screening.
//!
//! # Atomicity
//!
//! A source's files are first downloaded into `<dir>/.staging-<key>` (hidden,
//! so the list loaders never look into it). Only when every file of the
//! source arrived complete (no error, no timeout, no body shorter than its
//! `Content-Length`) and the staged set loads — every file recognized as the
//! format expected of it, and at least one entity — is each staged file moved
//! over `<dir>/<source dir>/<file>` with [`std::fs::rename`], which replaces a
//! file atomically on one filesystem. On any failure the staging directory is
//! removed and the previous files stay exactly as they were. The files of one
//! source are renamed one after the other: a crash in the middle of those few
//! renames (not a failed download) could leave a mix of two releases.
//!
//! # Manifest
//!
//! After all sources, `<dir>/lists.json` is rewritten atomically (written to
//! `lists.json.tmp`, then renamed) when at least one source was fetched:
//!
//! ```json
//! {"schema_version":1,"sources":[{"key":"un","label":"...","dir":"un","screen":true,
//!   "retrieved":"2026-11-26T18:00:00Z","published":"2026-11-25","entities":1003,
//!   "files":[{"file":"consolidated.xml","url":"https://...","sha256":"...","bytes":2315512}]}]}
//! ```
//!
//! A source that failed this time keeps its previous entry unchanged (its
//! files are the previous ones too). Entries follow the order of
//! [`SOURCES`]; entries of keys this version does not know are kept at the
//! end.

mod download;
mod manifest;
mod sources;
mod stage;

pub use crate::clock::{civil_from_days, rfc3339};
pub use manifest::{
    MANIFEST, Manifest, ManifestFile, ManifestSource, read_manifest, screening_paths,
};
pub use sources::{SOURCES, Source, source};

use anyhow::{Context, Result};
use download::{Origin, make_agent};
use manifest::{merge_manifest, write_manifest};
use sources::select;
use stage::fetch_source;
use std::path::PathBuf;
use std::time::Duration;

/// Time allowed for one attempt at one file, by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);
/// Attempts after a failed one, by default.
pub const DEFAULT_RETRIES: u32 = 2;

/// What [`fetch`] does.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// The lists directory (created if missing); see [`default_dir`].
    pub dir: PathBuf,
    /// A mirror instead of the official URLs: a directory (each file taken
    /// from `<from>/<source dir>/<file>` if present, else `<from>/<file>`),
    /// or an `http://` / `https://` base URL (each file fetched from
    /// `<base>/<source dir>/<file>`, or from `<base>/<file>` when that
    /// answers 404). A lists directory, or a web server over one, is a
    /// valid mirror.
    pub from: Option<String>,
    /// Time allowed for one attempt at one file, from connecting to the last
    /// byte of the body. [`Duration::ZERO`] means no limit.
    pub timeout: Duration,
    /// Extra attempts after a connection error, a timeout, a truncated body
    /// or an HTTP 5xx answer (never after a 4xx), waiting 200 ms, then 400 ms,
    /// doubling up to 5 s, between attempts.
    pub retries: u32,
    /// Keys of the sources to fetch (see [`SOURCES`]); empty for those
    /// fetched by default ([`Source::fetched_by_default`]).
    pub only: Vec<String>,
    /// Accept a source that loads fewer than half the entries of the copy
    /// it replaces (by default refused as a likely truncated or changed file).
    pub allow_shrink: bool,
}

impl FetchOptions {
    /// Options for `dir` with the defaults: official URLs, a 5-minute
    /// timeout per file, 2 retries, the sources fetched by default.
    pub fn new(dir: impl Into<PathBuf>) -> FetchOptions {
        FetchOptions {
            dir: dir.into(),
            from: None,
            timeout: DEFAULT_TIMEOUT,
            retries: DEFAULT_RETRIES,
            only: Vec::new(),
            allow_shrink: false,
        }
    }
}

/// What happened to one source in one [`fetch`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceOutcome {
    /// The source's files were downloaded, loaded, and now replace the
    /// previous copy; its manifest entry is new.
    Fetched {
        /// The source's key.
        key: &'static str,
        /// The files now in place, as recorded in the manifest.
        files: Vec<ManifestFile>,
        /// Entities the files loaded.
        entities: usize,
        /// Publication date stated in the files, if any.
        published: Option<String>,
    },
    /// Something went wrong; the previous files and manifest entry (if any)
    /// are untouched.
    Failed {
        /// The source's key.
        key: &'static str,
        /// What went wrong, naming the URL or file.
        reason: String,
    },
}

impl SourceOutcome {
    /// The source's key.
    pub fn key(&self) -> &'static str {
        match self {
            SourceOutcome::Fetched { key, .. } | SourceOutcome::Failed { key, .. } => key,
        }
    }

    /// True for [`SourceOutcome::Fetched`].
    pub fn is_fetched(&self) -> bool {
        matches!(self, SourceOutcome::Fetched { .. })
    }
}

/// The result of a [`fetch`]: one outcome per selected source, in the order
/// of [`SOURCES`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchSummary {
    /// One entry per selected source.
    pub sources: Vec<SourceOutcome>,
    /// The manifest written, or `None` when no source was fetched (then the
    /// previous manifest, if any, is untouched).
    pub manifest: Option<PathBuf>,
}

impl FetchSummary {
    /// The sources that failed, with their reasons.
    pub fn failures(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.sources.iter().filter_map(|s| match s {
            SourceOutcome::Failed { key, reason } => Some((*key, reason.as_str())),
            SourceOutcome::Fetched { .. } => None,
        })
    }

    /// True when every selected source was fetched.
    pub fn all_fetched(&self) -> bool {
        self.sources.iter().all(SourceOutcome::is_fetched)
    }
}

/// The default lists directory: `$SANCTIONS_HOME/lists` when
/// `SANCTIONS_HOME` is set and not empty, else
/// `$XDG_DATA_HOME/sanctions/lists` (when set to an absolute path), else
/// `$HOME/.local/share/sanctions/lists`; `None` when none of these is set.
pub fn default_dir() -> Option<PathBuf> {
    default_dir_from(|name| std::env::var_os(name))
}

/// [`default_dir`] with the environment variables `var` gives.
fn default_dir_from(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> Option<PathBuf> {
    let set = |name: &str| var(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(home) = set("SANCTIONS_HOME") {
        return Some(home.join("lists"));
    }
    if let Some(data) = set("XDG_DATA_HOME").filter(|p| p.is_absolute()) {
        return Some(data.join("sanctions").join("lists"));
    }
    set("HOME").map(|home| home.join(".local/share/sanctions/lists"))
}

/// Download the selected sources into `opts.dir`, replace each source's
/// files only when the new ones load, and rewrite the manifest.
///
/// `log` receives one human-readable line per event (a file downloaded, a
/// retry, a source fetched or failed) and the terms of each source fetched
/// that has some ([`Source::notice`]: OpenSanctions' licence). A source that
/// fails is reported in the returned [`FetchSummary`] and does not stop the
/// others; the function itself fails only for problems that concern every
/// source: an unknown key in `opts.only`, an unusable `opts.from`, a lists
/// directory that cannot be created, an unreadable existing manifest, or a
/// manifest that cannot be written.
pub fn fetch(opts: &FetchOptions, log: &mut dyn FnMut(&str)) -> Result<FetchSummary> {
    let selected = select(&opts.only)?;
    let origin = Origin::parse(opts.from.as_deref())?;
    let dir = &opts.dir;
    std::fs::create_dir_all(dir)
        .with_context(|| format!("{}: cannot create the lists directory", dir.display()))?;
    let previous = read_manifest(dir)?;
    let agent = make_agent(opts, &origin);

    let mut outcomes = Vec::new();
    let mut fresh: Vec<ManifestSource> = Vec::new();
    for src in selected {
        let before = previous
            .as_ref()
            .and_then(|m| m.source(src.key))
            .map(|s| s.entities);
        match fetch_source(src, opts, &origin, &agent, before, log) {
            Ok(entry) => {
                if let Some(notice) = src.notice {
                    log(&format!("{}: {notice}", src.key));
                }
                let outcome = SourceOutcome::Fetched {
                    key: src.key,
                    files: entry.files.clone(),
                    entities: entry.entities,
                    published: entry.published.clone(),
                };
                fresh.push(entry);
                outcomes.push(outcome);
            }
            Err(e) => {
                let reason = format!("{e:#}");
                let kept = if dir.join(src.dir).is_dir() {
                    "kept the previous copy"
                } else {
                    "no previous copy"
                };
                log(&format!("{}: failed: {reason}; {kept}", src.key));
                outcomes.push(SourceOutcome::Failed {
                    key: src.key,
                    reason,
                });
            }
        }
    }

    let manifest_path = if fresh.is_empty() {
        None
    } else {
        let manifest = merge_manifest(previous, fresh);
        Some(write_manifest(dir, &manifest)?)
    };
    Ok(FetchSummary {
        sources: outcomes,
        manifest: manifest_path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::ffi::OsString;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let map: HashMap<String, OsString> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn default_dir_prefers_sanctions_home_then_xdg_then_home() {
        let all = [
            ("SANCTIONS_HOME", "/s"),
            ("XDG_DATA_HOME", "/x"),
            ("HOME", "/h"),
        ];
        assert_eq!(default_dir_from(env(&all)), Some(PathBuf::from("/s/lists")));
        assert_eq!(
            default_dir_from(env(&[("SANCTIONS_HOME", ""), ("XDG_DATA_HOME", "/x")])),
            Some(PathBuf::from("/x/sanctions/lists"))
        );
        // A relative XDG_DATA_HOME is ignored, as the XDG spec says.
        assert_eq!(
            default_dir_from(env(&[("XDG_DATA_HOME", "rel"), ("HOME", "/h")])),
            Some(PathBuf::from("/h/.local/share/sanctions/lists"))
        );
        assert_eq!(default_dir_from(env(&[("HOME", "")])), None);
        assert_eq!(default_dir_from(env(&[])), None);
    }
}
