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

use crate::lists;
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{BufWriter, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, SystemTime};

/// One downloadable list: a set of files that load together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    /// Short name used on the command line (`--only`) and in the manifest.
    pub key: &'static str,
    /// Directory under the lists directory that holds the source's files.
    pub dir: &'static str,
    /// `(file name, official URL)` of every file of the source.
    pub files: &'static [(&'static str, &'static str)],
    /// Whether `screen` loads this source by default (false for sources that
    /// repeat the parties of another one in a second format).
    pub screen: bool,
    /// Human-readable description.
    pub label: &'static str,
}

/// Every source `fetch` knows, in the order they are fetched and listed.
pub const SOURCES: &[Source] = &[
    Source {
        key: "ofac-sdn-csv",
        dir: "ofac_sdn_csv",
        files: &[
            (
                "sdn.csv",
                "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.CSV",
            ),
            (
                "add.csv",
                "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADD.CSV",
            ),
            (
                "alt.csv",
                "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ALT.CSV",
            ),
            (
                "sdn_comments.csv",
                "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN_COMMENTS.CSV",
            ),
        ],
        screen: true,
        label: "OFAC Specially Designated Nationals (SDN) List, legacy CSV files",
    },
    Source {
        key: "ofac-cons-csv",
        dir: "ofac_cons_csv",
        files: &[
            (
                "cons_prim.csv",
                "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/CONS_PRIM.CSV",
            ),
            (
                "cons_add.csv",
                "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/CONS_ADD.CSV",
            ),
            (
                "cons_alt.csv",
                "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/CONS_ALT.CSV",
            ),
            (
                "cons_comments.csv",
                "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/CONS_COMMENTS.CSV",
            ),
        ],
        screen: true,
        label: "OFAC Non-SDN Consolidated Sanctions List, legacy CSV files",
    },
    Source {
        key: "ofac-sdn-xml",
        dir: "ofac_sdn_xml",
        files: &[(
            "sdn.xml",
            "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.XML",
        )],
        screen: false,
        label: "OFAC SDN List, XML (the same parties as ofac-sdn-csv)",
    },
    Source {
        key: "ofac-cons-xml",
        dir: "ofac_cons_xml",
        files: &[(
            "consolidated.xml",
            "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/CONSOLIDATED.XML",
        )],
        screen: false,
        label: "OFAC Non-SDN Consolidated List, XML (the same parties as ofac-cons-csv)",
    },
    Source {
        key: "csl-csv",
        dir: "trade_gov_csl_csv",
        files: &[(
            "consolidated.csv",
            "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv",
        )],
        screen: true,
        label: "trade.gov Consolidated Screening List (US Commerce, State and Treasury), CSV",
    },
    Source {
        key: "csl-json",
        dir: "trade_gov_csl_json",
        files: &[(
            "consolidated.json",
            "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.json",
        )],
        screen: false,
        label: "trade.gov Consolidated Screening List, JSON (the same parties as csl-csv)",
    },
    Source {
        key: "un",
        dir: "un",
        files: &[(
            "consolidated.xml",
            "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
        )],
        screen: true,
        label: "UN Security Council Consolidated List, XML",
    },
    Source {
        key: "uk-fcdo",
        dir: "uk_fcdo",
        files: &[(
            "UK-Sanctions-List.xml",
            "https://docs.fcdo.gov.uk/docs/UK-Sanctions-List.xml",
        )],
        screen: true,
        label: "UK Sanctions List (FCDO), XML",
    },
    Source {
        key: "eu",
        dir: "eu",
        files: &[(
            "eu_fsf.xml",
            "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw",
        )],
        screen: true,
        label: "EU Financial Sanctions Files (consolidated list), XML",
    },
];

/// The list format each file must load as (labels of [`lists::Format`]).
/// Checked so that a wrong file (an HTML error page, or another list's file
/// of the same name on a flat mirror) never replaces a good one.
fn expected_format(key: &str, file: &str) -> Option<&'static str> {
    Some(match (key, file) {
        ("ofac-sdn-csv", "sdn.csv") | ("ofac-cons-csv", "cons_prim.csv") => "ofac-csv",
        ("ofac-sdn-csv", "add.csv") | ("ofac-cons-csv", "cons_add.csv") => "ofac-csv-add",
        ("ofac-sdn-csv", "alt.csv") | ("ofac-cons-csv", "cons_alt.csv") => "ofac-csv-alt",
        ("ofac-sdn-csv", "sdn_comments.csv") | ("ofac-cons-csv", "cons_comments.csv") => {
            "ofac-csv-comments"
        }
        ("ofac-sdn-xml" | "ofac-cons-xml", _) => "ofac-xml",
        ("csl-csv", _) => "csl-csv",
        ("csl-json", _) => "csl-json",
        ("un", _) => "un-xml",
        ("uk-fcdo", _) => "uk-fcdo-xml",
        ("eu", _) => "eu-fsf-xml",
        _ => return None,
    })
}

/// The source of a key, if there is one.
pub fn source(key: &str) -> Option<&'static Source> {
    SOURCES.iter().find(|s| s.key == key)
}

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
    /// Keys of the sources to fetch (see [`SOURCES`]); empty for all.
    pub only: Vec<String>,
    /// Accept a source that loads fewer than half the entries of the copy
    /// it replaces (by default refused as a likely truncated or changed file).
    pub allow_shrink: bool,
}

impl FetchOptions {
    /// Options for `dir` with the defaults: official URLs, a 5-minute
    /// timeout per file, 2 retries, all sources.
    pub fn new(dir: impl Into<PathBuf>) -> FetchOptions {
        FetchOptions {
            dir: dir.into(),
            from: None,
            timeout: Duration::from_secs(300),
            retries: 2,
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

/// The default lists directory: `$SANCTIONS_HOME/lists` when
/// `SANCTIONS_HOME` is set and not empty, else
/// `$XDG_DATA_HOME/sanctions/lists` (when set to an absolute path), else
/// `$HOME/.local/share/sanctions/lists`; `None` when none of these is set.
pub fn default_dir() -> Option<PathBuf> {
    default_dir_from(|name| std::env::var_os(name))
}

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

/// Where the files come from.
enum Origin {
    Official,
    Dir(PathBuf),
    Http(String),
}

impl Origin {
    fn parse(from: Option<&str>) -> Result<Origin> {
        let Some(from) = from else {
            return Ok(Origin::Official);
        };
        let lower = from.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            return Ok(Origin::Http(from.trim_end_matches('/').to_string()));
        }
        if lower.contains("://") {
            bail!("{from}: unsupported mirror (expected a directory or an http(s):// URL)");
        }
        let dir = PathBuf::from(from);
        let meta = std::fs::metadata(&dir)
            .with_context(|| format!("{from}: cannot read mirror directory"))?;
        if !meta.is_dir() {
            bail!(
                "{from}: the mirror is not a directory (expected a directory or an http(s):// URL)"
            );
        }
        Ok(Origin::Dir(dir))
    }
}

/// The sources selected by `only` (all when empty), in the order of [`SOURCES`].
fn select(only: &[String]) -> Result<Vec<&'static Source>> {
    if only.is_empty() {
        return Ok(SOURCES.iter().collect());
    }
    let unknown: Vec<&str> = only
        .iter()
        .map(String::as_str)
        .filter(|k| source(k).is_none())
        .collect();
    if !unknown.is_empty() {
        let known: Vec<&str> = SOURCES.iter().map(|s| s.key).collect();
        bail!(
            "unknown source {}; known sources: {}",
            unknown
                .iter()
                .map(|k| format!("{k:?}"))
                .collect::<Vec<_>>()
                .join(", "),
            known.join(", ")
        );
    }
    Ok(SOURCES
        .iter()
        .filter(|s| only.iter().any(|k| k == s.key))
        .collect())
}

/// Download the selected sources into `opts.dir`, replace each source's
/// files only when the new ones load, and rewrite the manifest.
///
/// `log` receives one human-readable line per event (a file downloaded, a
/// retry, a source fetched or failed). A source that fails is reported in
/// the returned [`FetchSummary`] and does not stop the others; the function
/// itself fails only for problems that concern every source: an unknown key
/// in `opts.only`, an unusable `opts.from`, a lists directory that cannot be
/// created, an unreadable existing manifest, or a manifest that cannot be
/// written.
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

/// The new manifest: fresh entries replace previous ones of the same key;
/// known keys in the order of [`SOURCES`], then unknown previous keys.
fn merge_manifest(previous: Option<Manifest>, fresh: Vec<ManifestSource>) -> Manifest {
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
fn write_manifest(dir: &Path, manifest: &Manifest) -> Result<PathBuf> {
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

fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = std::fs::File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Make renames in `dir` durable where the platform allows it (best effort).
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

fn make_agent(opts: &FetchOptions, origin: &Origin) -> ureq::Agent {
    let mut config = ureq::Agent::config_builder()
        .timeout_global((!opts.timeout.is_zero()).then_some(opts.timeout))
        .user_agent(concat!("sanctions/", env!("CARGO_PKG_VERSION")));
    // A mirror on this machine is never reached through a proxy.
    if let Origin::Http(base) = origin
        && is_loopback_url(base)
    {
        config = config.proxy(None);
    }
    config.build().into()
}

fn is_loopback_url(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host_port = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = host_port.rsplit_once('@').map_or(host_port, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Fetch one source; on success its files are in place and the returned
/// entry describes them. The staging directory is gone either way.
fn fetch_source(
    src: &Source,
    opts: &FetchOptions,
    origin: &Origin,
    agent: &ureq::Agent,
    before: Option<usize>,
    log: &mut dyn FnMut(&str),
) -> Result<ManifestSource> {
    let staging = opts.dir.join(format!(".staging-{}", src.key));
    remove_dir_if_present(&staging)?;
    std::fs::create_dir(&staging)
        .with_context(|| format!("{}: cannot create staging directory", staging.display()))?;
    let result = stage_and_install(src, opts, origin, agent, &staging, before, log);
    let cleaned = remove_dir_if_present(&staging);
    let entry = result?;
    if let Err(e) = cleaned {
        log(&format!("{}: warning: {e:#}", src.key));
    }
    Ok(entry)
}

fn remove_dir_if_present(dir: &Path) -> Result<()> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("{}: cannot remove", dir.display())),
    }
}

fn stage_and_install(
    src: &Source,
    opts: &FetchOptions,
    origin: &Origin,
    agent: &ureq::Agent,
    staging: &Path,
    before: Option<usize>,
    log: &mut dyn FnMut(&str),
) -> Result<ManifestSource> {
    let retrieved = rfc3339(SystemTime::now());
    let mut files = Vec::new();
    for (name, url) in src.files {
        let dest = staging.join(name);
        let staged = match origin {
            Origin::Official => download(agent, url, &dest, opts, src.key, name, log)?,
            Origin::Http(base) => {
                let nested = format!("{base}/{}/{name}", src.dir);
                match download(agent, &nested, &dest, opts, src.key, name, log) {
                    Err(e) if e.not_found => {
                        let flat = format!("{base}/{name}");
                        download(agent, &flat, &dest, opts, src.key, name, log)?
                    }
                    other => other?,
                }
            }
            Origin::Dir(from) => copy_from_dir(from, src, name, &dest)?,
        };
        log(&format!(
            "{}: {name} {} bytes",
            src.key,
            group_digits(staged.bytes)
        ));
        files.push(staged);
    }

    let (entities, published) = validate(src, staging, &files, log)?;
    // A list does not lose half its entries overnight: a file that parses
    // but is cut short, or a changed layout read in part, would.
    if let Some(before) = before
        && entities * 2 < before
        && !opts.allow_shrink
    {
        bail!(
            "loaded {entities} entities where the copy it would replace has {before}: a truncated or changed file? (--allow-shrink accepts it)"
        );
    }

    let target = opts.dir.join(src.dir);
    std::fs::create_dir_all(&target)
        .with_context(|| format!("{}: cannot create directory", target.display()))?;
    for f in &files {
        let from = staging.join(&f.file);
        let to = target.join(&f.file);
        std::fs::rename(&from, &to).with_context(|| {
            format!(
                "{}: cannot move {} into place",
                to.display(),
                from.display()
            )
        })?;
    }
    sync_dir(&target);
    log(&format!(
        "{}: ok: {} entities{} in {}",
        src.key,
        group_digits(entities as u64),
        published
            .as_deref()
            .map(|p| format!(", published {p}"))
            .unwrap_or_default(),
        target.display()
    ));
    Ok(ManifestSource {
        key: src.key.to_string(),
        label: src.label.to_string(),
        dir: src.dir.to_string(),
        screen: src.screen,
        retrieved,
        published,
        entities,
        files,
    })
}

/// Load the staged files: each must load as the format expected of it (an
/// OFAC companion file may be empty), and together they must give at least
/// one entity. Returns the entity count and the publication date.
fn validate(
    src: &Source,
    staging: &Path,
    files: &[ManifestFile],
    log: &mut dyn FnMut(&str),
) -> Result<(usize, Option<String>)> {
    let catalog = lists::load_paths(&[staging.to_path_buf()]).map_err(|e| {
        // The loader names the staged file; name where it came from too.
        let from: Vec<&str> = files.iter().map(|f| f.url.as_str()).collect();
        anyhow::anyhow!("{e:#} (downloaded from {})", from.join(", "))
    })?;
    for f in files {
        let path = staging.join(&f.file).display().to_string();
        let expected = expected_format(src.key, &f.file);
        match catalog.files.iter().find(|l| l.path == path) {
            Some(l) => {
                if let Some(want) = expected
                    && l.format != want
                {
                    bail!(
                        "{}: is a {} file ({}), expected {want}",
                        f.url,
                        l.format,
                        l.list
                    );
                }
            }
            None => {
                let companion = expected.is_some_and(|e| e.starts_with("ofac-csv-"));
                if companion && is_blank(&staging.join(&f.file))? {
                    log(&format!("{}: {} is empty (no records)", src.key, f.file));
                    continue;
                }
                let reason = catalog
                    .skipped
                    .iter()
                    .find(|s| s.path == path)
                    .map_or("not loaded", |s| s.reason.as_str());
                bail!(
                    "{}: {reason} (expected {})",
                    f.url,
                    expected.unwrap_or("a list file")
                );
            }
        }
    }
    if catalog.entities.is_empty() {
        bail!(
            "{}: the files loaded no entity",
            files
                .iter()
                .map(|f| f.url.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if let Some(first) = catalog.warnings.first() {
        log(&format!(
            "{}: {} warning(s) while loading, first: {}: {}",
            src.key,
            catalog.warnings.len(),
            first
                .location
                .replace(&staging.display().to_string(), src.dir),
            first.message
        ));
    }
    let published = catalog.files.iter().find_map(|f| f.published.clone());
    Ok((catalog.entities.len(), published))
}

/// True when a file holds nothing but white space and the OFAC end-of-file byte.
fn is_blank(path: &Path) -> Result<bool> {
    let bytes = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    Ok(bytes.iter().all(|b| b.is_ascii_whitespace() || *b == 0x1A))
}

fn copy_from_dir(from: &Path, src: &Source, name: &str, dest: &Path) -> Result<ManifestFile> {
    let nested = from.join(src.dir).join(name);
    let flat = from.join(name);
    let path = if nested.is_file() {
        nested
    } else if flat.exists() {
        flat
    } else {
        bail!(
            "{}: no {name} in the mirror (looked for {} and {})",
            from.display(),
            nested.display(),
            flat.display()
        );
    };
    let mut input =
        std::fs::File::open(&path).with_context(|| format!("{}: cannot open", path.display()))?;
    let (bytes, sha256) = copy_hashed(&mut input, dest)
        .map_err(|e| match e {
            CopyError::Read { got, error } => {
                anyhow::anyhow!("read error after {got} bytes: {error}")
            }
            CopyError::Write(error) => anyhow::anyhow!("{}: cannot write: {error}", dest.display()),
        })
        .with_context(|| format!("{}: cannot copy", path.display()))?;
    Ok(ManifestFile {
        file: name.to_string(),
        url: path.display().to_string(),
        sha256,
        bytes,
    })
}

enum CopyError {
    /// Reading the input failed after `got` bytes.
    Read { got: u64, error: std::io::Error },
    /// Writing the staged file failed.
    Write(std::io::Error),
}

/// Copy a reader into a new file at `dest`, synced, hashing on the way.
fn copy_hashed(input: &mut dyn Read, dest: &Path) -> std::result::Result<(u64, String), CopyError> {
    let file = std::fs::File::create(dest).map_err(CopyError::Write)?;
    let mut out = BufWriter::with_capacity(256 * 1024, file);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut got: u64 = 0;
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(CopyError::Read { got, error }),
        };
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n]).map_err(CopyError::Write)?;
        got += n as u64;
    }
    let file = out
        .into_inner()
        .map_err(|e| CopyError::Write(e.into_error()))?;
    file.sync_all().map_err(CopyError::Write)?;
    let sha256 = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok((got, sha256))
}

/// A download that failed for good.
#[derive(Debug)]
struct DownloadError {
    message: String,
    /// The server answered 404 (the only case where a flat mirror is tried).
    not_found: bool,
}

impl std::fmt::Display for DownloadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DownloadError {}

/// One failed attempt.
struct AttemptError {
    message: String,
    retry: bool,
    status: Option<u16>,
}

/// Download `url` into `dest`, retrying transient failures.
fn download(
    agent: &ureq::Agent,
    url: &str,
    dest: &Path,
    opts: &FetchOptions,
    key: &str,
    name: &str,
    log: &mut dyn FnMut(&str),
) -> std::result::Result<ManifestFile, DownloadError> {
    let attempts = opts.retries.saturating_add(1);
    let mut backoff = Duration::from_millis(200);
    let mut attempt = 1;
    loop {
        match download_once(agent, url, dest, opts.timeout) {
            Ok((bytes, sha256)) => {
                return Ok(ManifestFile {
                    file: name.to_string(),
                    url: url.to_string(),
                    sha256,
                    bytes,
                });
            }
            Err(e) if e.retry && attempt < attempts => {
                log(&format!(
                    "{key}: {name}: attempt {attempt} of {attempts} failed: {url}: {}; retrying in {} ms",
                    e.message,
                    backoff.as_millis()
                ));
                std::thread::sleep(backoff);
                backoff = (backoff * 2).min(Duration::from_secs(5));
                attempt += 1;
            }
            Err(e) => {
                let after = if attempt > 1 {
                    format!(" after {attempt} attempts")
                } else {
                    String::new()
                };
                return Err(DownloadError {
                    message: format!("{url}: {}{after}", e.message),
                    not_found: e.status == Some(404),
                });
            }
        }
    }
}

fn download_once(
    agent: &ureq::Agent,
    url: &str,
    dest: &Path,
    timeout: Duration,
) -> std::result::Result<(u64, String), AttemptError> {
    let mut response = agent.get(url).call().map_err(|e| describe(e, timeout))?;
    let expected = response.body().content_length();
    let mut reader = response.body_mut().as_reader();
    match copy_hashed(&mut reader, dest) {
        Ok((got, sha)) => match expected {
            Some(m) if got < m => Err(AttemptError {
                message: format!("truncated: got {got} of {m} bytes"),
                retry: true,
                status: None,
            }),
            _ => Ok((got, sha)),
        },
        Err(CopyError::Read { got, error }) => {
            let cause = match ureq::Error::from(error) {
                ureq::Error::Timeout(t) => format!("timed out after {timeout:?} ({t})"),
                ureq::Error::Io(io) => io.to_string(),
                other => other.to_string(),
            };
            let message = match expected {
                Some(m) => format!("truncated: got {got} of {m} bytes ({cause})"),
                None => format!("truncated: read error after {got} bytes ({cause})"),
            };
            Err(AttemptError {
                message,
                retry: true,
                status: None,
            })
        }
        Err(CopyError::Write(error)) => Err(AttemptError {
            message: format!("{}: cannot write: {error}", dest.display()),
            retry: false,
            status: None,
        }),
    }
}

/// A failed request as a message, and whether trying again may help.
fn describe(e: ureq::Error, timeout: Duration) -> AttemptError {
    use ureq::Error as E;
    let (message, retry, status) = match e {
        E::StatusCode(code) => (format!("HTTP {code}"), code >= 500, Some(code)),
        E::Timeout(t) => (format!("timed out after {timeout:?} ({t})"), true, None),
        E::Io(io) => (io.to_string(), true, None),
        e @ (E::ConnectionFailed | E::HostNotFound | E::Protocol(_)) => (e.to_string(), true, None),
        other => (other.to_string(), false, None),
    };
    AttemptError {
        message,
        retry,
        status,
    }
}

/// `1234567` as `1,234,567`.
fn group_digits(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub use crate::clock::{civil_from_days, rfc3339};

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

    #[test]
    fn helpers() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(3_909_739), "3,909,739");
        assert!(is_loopback_url("http://127.0.0.1:8080/x"));
        assert!(is_loopback_url("http://localhost"));
        assert!(is_loopback_url("http://[::1]:80/"));
        assert!(!is_loopback_url("https://docs.fcdo.gov.uk/docs"));
        assert!(is_plain_name("un"));
        assert!(!is_plain_name("../un"));
        assert!(!is_plain_name("/etc"));
        assert!(!is_plain_name("a/b"));
        assert!(!is_plain_name(""));
        for s in SOURCES {
            for (file, url) in s.files {
                assert!(expected_format(s.key, file).is_some(), "{} {file}", s.key);
                assert!(url.starts_with("https://"), "{url}");
            }
            assert!(is_plain_name(s.dir));
        }
        assert_eq!(
            SOURCES[0].files[3].1,
            "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN_COMMENTS.CSV"
        );
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
