//! List loading: recognize each file's format from its content, group OFAC
//! companion files, and run one loader per published format.
//!
//! Every loader keeps names exactly as published and reports every record it
//! cannot load as a [`Diagnostic`] with the file and line.

pub mod bis_dpl;
pub mod canada_sema;
pub mod csl;
pub mod eu_fsf;
pub mod ofac_csv;
pub mod ofac_xml;
pub mod opensanctions;
pub mod uk_fcdo;
pub mod uk_hmt;
pub mod un_xml;
pub mod user_csv;
mod util;
pub mod xml;

pub use util::{LineIndex, sha256_hex};

use crate::model::Entity;
use anyhow::{Context, Result, bail};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// A list file's bytes and the name used for it in every message.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path as the user gave it (or `bundled:<file>` for the bundled sample).
    pub name: String,
    /// The file's raw content.
    pub bytes: Vec<u8>,
}

impl Source {
    /// The file name without directories, lower-cased (used only as a hint
    /// for which OFAC list a companion set belongs to).
    fn file_stem(&self) -> String {
        let n = self
            .name
            .rsplit(['/', '\\', ':'])
            .next()
            .unwrap_or(&self.name);
        n.to_ascii_lowercase()
    }
}

/// A problem with one record or file that did not stop loading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// `file:line`, or just `file` when no line applies.
    pub location: String,
    /// What was wrong and what was done about it.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic for `file:line`.
    pub fn at(file: &str, line: u64, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            location: format!("{file}:{line}"),
            message: message.into(),
        }
    }

    /// A diagnostic for a whole file.
    pub fn file(file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            location: file.to_string(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// What one loader call produced.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The entities, in file order.
    pub entities: Vec<Entity>,
    /// Records the primary file holds (loaded or not), for reconciliation.
    pub records: usize,
    /// Publication date stated in the file (ISO `YYYY-MM-DD`), if any.
    pub published: Option<String>,
    /// Records or fields that could not be loaded, with their location.
    pub warnings: Vec<Diagnostic>,
}

/// Which OFAC list a set of OFAC files carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum OfacList {
    /// The Specially Designated Nationals list (`sdn.csv`, `sdn.xml`).
    Sdn,
    /// The Non-SDN consolidated list (`cons_prim.csv`, `consolidated.xml`),
    /// which carries NS-CMIC, SSI, NS-PLC, NS-MBS and others.
    Consolidated,
}

impl OfacList {
    /// Entity id prefix: `ofac-sdn` or `ofac-cons`.
    pub fn id_prefix(self) -> &'static str {
        match self {
            OfacList::Sdn => "ofac-sdn",
            OfacList::Consolidated => "ofac-cons",
        }
    }

    /// Human-readable list name.
    pub fn list_name(self) -> &'static str {
        match self {
            OfacList::Sdn => "OFAC SDN List",
            OfacList::Consolidated => "OFAC Non-SDN Consolidated List",
        }
    }

    /// Guess from a file name: OFAC names the Non-SDN files `cons_*` and
    /// `consolidated.*`; everything else is taken as SDN.
    fn from_file_name(name: &str) -> OfacList {
        if name.starts_with("cons") {
            OfacList::Consolidated
        } else {
            OfacList::Sdn
        }
    }
}

/// A list format recognized from a file's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    /// One of the four OFAC legacy CSV files.
    OfacCsv(ofac_csv::Role),
    /// OFAC `sdnList` XML.
    OfacXml,
    /// trade.gov Consolidated Screening List CSV.
    CslCsv,
    /// trade.gov Consolidated Screening List JSON.
    CslJson,
    /// UN Security Council consolidated list XML.
    UnXml,
    /// HM Treasury / OFSI consolidated list CSV.
    UkHmtCsv,
    /// UK Sanctions List XML (FCDO).
    UkFcdoXml,
    /// EU Financial Sanctions Files XML.
    EuXml,
    /// Canada SEMA consolidated list XML.
    CanadaXml,
    /// BIS Denied Persons List, tab-delimited.
    BisDplTxt,
    /// OpenSanctions `targets.simple.csv`.
    OpenSanctionsCsv,
    /// FollowTheMoney entities, JSON lines.
    FtmJson,
    /// OpenSanctions' transcription of the DoD 1260H list.
    Dod1260hCsv,
    /// The user's own list CSV.
    UserCsv,
    /// A list format we recognize but do not read yet.
    Unsupported(&'static str),
}

impl Format {
    /// Short name used in `sanctions lists` and reports.
    pub fn label(self) -> &'static str {
        match self {
            Format::OfacCsv(ofac_csv::Role::Primary) => "ofac-csv",
            Format::OfacCsv(ofac_csv::Role::Alt) => "ofac-csv-alt",
            Format::OfacCsv(ofac_csv::Role::Address) => "ofac-csv-add",
            Format::OfacCsv(ofac_csv::Role::Comments) => "ofac-csv-comments",
            Format::OfacXml => "ofac-xml",
            Format::CslCsv => "csl-csv",
            Format::CslJson => "csl-json",
            Format::UnXml => "un-xml",
            Format::UkHmtCsv => "uk-hmt-csv",
            Format::UkFcdoXml => "uk-fcdo-xml",
            Format::EuXml => "eu-fsf-xml",
            Format::CanadaXml => "canada-sema-xml",
            Format::BisDplTxt => "bis-dpl-txt",
            Format::OpenSanctionsCsv => "opensanctions-csv",
            Format::FtmJson => "ftm-json",
            Format::Dod1260hCsv => "dod-1260h-csv",
            Format::UserCsv => "user-csv",
            Format::Unsupported(what) => what,
        }
    }
}

/// Recognize a list format from the first bytes of a file.
///
/// ```
/// use sanctions::lists::{sniff, Format};
/// assert_eq!(sniff(b"<?xml version=\"1.0\"?>\n<sdnList xmlns=\"x\">"), Some(Format::OfacXml));
/// assert_eq!(sniff(b"hello world"), None);
/// ```
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let text = String::from_utf8_lossy(head);
    let trimmed = text.trim_start();
    if trimmed.starts_with('<') {
        return sniff_xml(trimmed);
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return sniff_json(bytes, trimmed);
    }
    if let Some(role) = ofac_csv::sniff_role(bytes) {
        return Some(Format::OfacCsv(role));
    }
    let first_line = trimmed.lines().next().unwrap_or("");
    let header: Vec<String> = first_line
        .split([',', '\t'])
        .map(|f| f.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    let has = |c: &str| header.iter().any(|h| h == c);
    if has("source") && has("name") && has("alt_names") {
        return Some(Format::CslCsv);
    }
    if has("name") && has("street_address") && first_line.contains('\t') {
        return Some(Format::BisDplTxt);
    }
    if first_line.starts_with("Last Updated,") {
        return Some(Format::UkHmtCsv);
    }
    if has("id") && has("schema") && has("name") && has("aliases") {
        return Some(Format::OpenSanctionsCsv);
    }
    if has("name") && has("clean name") && has("alias") {
        return Some(Format::Dod1260hCsv);
    }
    if user_csv::is_user_header(&header) {
        return Some(Format::UserCsv);
    }
    None
}

fn sniff_xml(text: &str) -> Option<Format> {
    // The first element that is not a declaration, comment or doctype.
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        if rest.starts_with('?') || rest.starts_with('!') {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
            .collect();
        let local = name.rsplit(':').next().unwrap_or(&name);
        return match local {
            "sdnList" => Some(Format::OfacXml),
            "CONSOLIDATED_LIST" => Some(Format::UnXml),
            "data-set" => Some(Format::CanadaXml),
            "export" => Some(Format::EuXml),
            "Designations" => Some(Format::UkFcdoXml),
            _ => None,
        };
    }
    None
}

fn sniff_json(bytes: &[u8], head: &str) -> Option<Format> {
    // FollowTheMoney entities: one object per line with `schema` and `properties`.
    if let Some(first) = head.lines().next()
        && let Ok(serde_json::Value::Object(o)) = serde_json::from_str(first)
        && o.contains_key("schema")
        && o.contains_key("properties")
    {
        return Some(Format::FtmJson);
    }
    let v: serde_json::Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        // A CSL download cut short, re-encoded or with stray bytes: its loader
        // says where it breaks, rather than "not a recognized list format".
        Err(_) if head.contains("\"results\"") && head.contains("\"source\"") => {
            return Some(Format::CslJson);
        }
        Err(_) => return None,
    };
    if csl::looks_like_csl_json(&v) {
        Some(Format::CslJson)
    } else {
        None
    }
}

/// The longest name a list may give, in characters. The longest name on the
/// published lists has about 200; a longer one is a broken file (a quote
/// left open swallows the records after it), and a word that long would
/// stall the matcher, whose typo search grows with the square of a word's
/// length. Such a name is not loaded, with a warning.
pub const MAX_NAME_CHARS: usize = 1000;

/// OFAC's own file names, by the role each has in its set: a file so named
/// that is not recognized is an OFAC file whose layout changed, not an
/// unrelated file to pass over.
fn ofac_role_by_name(file_name: &str) -> Option<ofac_csv::Role> {
    match file_name {
        "sdn.csv" | "cons_prim.csv" => Some(ofac_csv::Role::Primary),
        "alt.csv" | "cons_alt.csv" => Some(ofac_csv::Role::Alt),
        "add.csv" | "cons_add.csv" => Some(ofac_csv::Role::Address),
        "sdn_comments.csv" | "cons_comments.csv" => Some(ofac_csv::Role::Comments),
        _ => None,
    }
}

/// True when a file holds nothing but white space and OFAC's end-of-file
/// byte (OFAC publishes empty companion files so).
fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(|b| b.is_ascii_whitespace() || *b == 0x1A)
}

/// The line of an `<!ENTITY` declaration before the root element of an XML
/// file, if any. No published list declares entities; a file that does is
/// an entity bomb or an external-entity (XXE) probe, refused whole, whether
/// its entities are used in text or in attributes.
fn xml_entity_declaration(bytes: &[u8]) -> Option<u64> {
    let mut at = 0;
    while let Some(p) = bytes[at..].iter().position(|&b| b == b'<') {
        let start = at + p;
        let rest = &bytes[start + 1..];
        if rest.starts_with(b"!ENTITY") {
            return Some(LineIndex::new(bytes).line_at(start as u64));
        }
        if !(rest.starts_with(b"?") || rest.starts_with(b"!")) {
            // The root element: declarations come before it.
            return None;
        }
        at = start + 1;
    }
    None
}

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
            name: format!("bundled:{name}"),
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
            name: name.to_string(),
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
                match sniff(&bytes) {
                    Some(Format::Unsupported(what)) => skipped.push(Skipped {
                        path: name,
                        reason: format!("format not yet supported: {what}"),
                    }),
                    Some(_) => push_to_group(&mut groups, &file, Source { name, bytes }),
                    None => {
                        let role = file
                            .file_name()
                            .and_then(|n| n.to_str())
                            .and_then(|n| ofac_role_by_name(&n.to_ascii_lowercase()));
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
            match sniff(&bytes) {
                Some(Format::Unsupported(what)) => {
                    bail!("{name}: format not yet supported: {what}")
                }
                Some(_) => push_to_group(&mut groups, path, Source { name, bytes }),
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

/// Load groups of sources (one group per directory).
fn load_sources(groups: Vec<(String, Vec<Source>)>, skipped: Vec<Skipped>) -> Result<Catalog> {
    let mut catalog = Catalog {
        skipped,
        ..Catalog::default()
    };
    // Directories load independently: in parallel, then gathered in their
    // order (the first error in that order is the one reported).
    use rayon::prelude::*;
    let loaded: Vec<Result<Catalog>> = groups
        .into_par_iter()
        .map(|(_dir, sources)| {
            let mut part = Catalog::default();
            load_group(sources, &mut part)?;
            Ok(part)
        })
        .collect();
    for part in loaded {
        let part = part?;
        catalog.entities.extend(part.entities);
        catalog.files.extend(part.files);
        catalog.skipped.extend(part.skipped);
        catalog.warnings.extend(part.warnings);
    }
    catalog.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(catalog)
}

fn list_file(src: &Source, format: Format, list: &str, loaded: Option<&Loaded>) -> ListFile {
    ListFile {
        path: src.name.clone(),
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

fn load_group(sources: Vec<Source>, catalog: &mut Catalog) -> Result<()> {
    // OFAC CSV companions, keyed by (list, role).
    let mut ofac: BTreeMap<(OfacList, ofac_csv::Role), Vec<Source>> = BTreeMap::new();
    for src in sources {
        let Some(format) = sniff(&src.bytes) else {
            bail!("{}:1: not a recognized list format", src.name);
        };
        let xml = matches!(
            format,
            Format::OfacXml | Format::UnXml | Format::UkFcdoXml | Format::EuXml | Format::CanadaXml
        );
        if xml && let Some(line) = xml_entity_declaration(&src.bytes) {
            bail!(
                "{}:{line}: the XML declares entities (<!ENTITY>), which no published list does: not loaded (an entity bomb or an external-entity reference?)",
                src.name
            );
        }
        match format {
            Format::OfacCsv(role) => {
                let list = OfacList::from_file_name(&src.file_stem());
                ofac.entry((list, role)).or_default().push(src);
            }
            Format::OfacXml => {
                let list = OfacList::from_file_name(&src.file_stem());
                let loaded = ofac_xml::load(&src, list)?;
                add_loaded(catalog, &src, format, list.list_name(), loaded)?;
            }
            Format::CslCsv => {
                let loaded = csl::load_csv(&src)?;
                add_loaded(
                    catalog,
                    &src,
                    format,
                    "trade.gov Consolidated Screening List",
                    loaded,
                )?;
            }
            Format::CslJson => {
                let loaded = csl::load_json(&src)?;
                add_loaded(
                    catalog,
                    &src,
                    format,
                    "trade.gov Consolidated Screening List",
                    loaded,
                )?;
            }
            Format::UnXml => {
                let loaded = un_xml::load(&src)?;
                add_loaded(catalog, &src, format, un_xml::LIST, loaded)?;
            }
            Format::UkHmtCsv => {
                let loaded = uk_hmt::load(&src)?;
                add_loaded(catalog, &src, format, uk_hmt::LIST, loaded)?;
            }
            Format::UkFcdoXml => {
                let loaded = uk_fcdo::load(&src)?;
                add_loaded(catalog, &src, format, uk_fcdo::LIST, loaded)?;
            }
            Format::EuXml => {
                let loaded = eu_fsf::load(&src)?;
                add_loaded(catalog, &src, format, eu_fsf::LIST, loaded)?;
            }
            Format::CanadaXml => {
                let loaded = canada_sema::load(&src)?;
                add_loaded(catalog, &src, format, canada_sema::LIST, loaded)?;
            }
            Format::BisDplTxt => {
                let loaded = bis_dpl::load(&src)?;
                add_loaded(catalog, &src, format, bis_dpl::LIST, loaded)?;
            }
            Format::OpenSanctionsCsv => {
                let loaded = opensanctions::load_simple_csv(&src)?;
                add_loaded(
                    catalog,
                    &src,
                    format,
                    "OpenSanctions targets.simple.csv",
                    loaded,
                )?;
            }
            Format::FtmJson => {
                let loaded = opensanctions::load_ftm(&src)?;
                add_loaded(
                    catalog,
                    &src,
                    format,
                    "OpenSanctions FollowTheMoney entities",
                    loaded,
                )?;
            }
            Format::Dod1260hCsv => {
                let loaded = opensanctions::load_dod_1260h(&src)?;
                add_loaded(catalog, &src, format, opensanctions::DOD_LIST, loaded)?;
            }
            Format::UserCsv => {
                let loaded = user_csv::load(&src)?;
                add_loaded(catalog, &src, format, "User list", loaded)?;
            }
            Format::Unsupported(what) => bail!("{}: format not yet supported: {what}", src.name),
        }
    }
    for list in [OfacList::Sdn, OfacList::Consolidated] {
        let take = |ofac: &mut BTreeMap<_, Vec<Source>>, role| {
            ofac.remove(&(list, role)).unwrap_or_default()
        };
        let primaries = take(&mut ofac, ofac_csv::Role::Primary);
        let mut companions: Vec<(ofac_csv::Role, Vec<Source>)> = [
            ofac_csv::Role::Alt,
            ofac_csv::Role::Address,
            ofac_csv::Role::Comments,
        ]
        .into_iter()
        .map(|r| (r, take(&mut ofac, r)))
        .collect();
        if primaries.len() > 1 || companions.iter().any(|(_, v)| v.len() > 1) {
            let names: Vec<String> = primaries
                .iter()
                .chain(companions.iter().flat_map(|(_, v)| v.iter()))
                .map(|s| s.name.clone())
                .collect();
            bail!(
                "{}: more than one {} file of the same kind in one directory; put each release in its own directory",
                names.join(", "),
                list.list_name()
            );
        }
        let Some(primary) = primaries.into_iter().next() else {
            for (role, v) in companions {
                for src in v {
                    catalog.warnings.push(Diagnostic::file(
                        &src.name,
                        format!(
                            "orphan OFAC {} file: no {} primary file beside it, so it was not loaded",
                            Format::OfacCsv(role).label(),
                            list.list_name()
                        ),
                    ));
                    let lf = list_file(&src, Format::OfacCsv(role), list.list_name(), None);
                    catalog.skipped.push(Skipped {
                        path: lf.path,
                        reason: format!(
                            "orphan OFAC companion file ({}) without its primary file",
                            Format::OfacCsv(role).label()
                        ),
                    });
                }
            }
            continue;
        };
        let mut one = |role| {
            companions
                .iter_mut()
                .find(|(r, _)| *r == role)
                .and_then(|(_, v)| v.pop())
        };
        let alt = one(ofac_csv::Role::Alt);
        let add = one(ofac_csv::Role::Address);
        let comments = one(ofac_csv::Role::Comments);
        let set = ofac_csv::Set {
            primary: &primary,
            alt: alt.as_ref(),
            add: add.as_ref(),
            comments: comments.as_ref(),
        };
        let loaded = ofac_csv::load(&set, list)?;
        for (role, companion) in [
            (ofac_csv::Role::Alt, &alt),
            (ofac_csv::Role::Address, &add),
            (ofac_csv::Role::Comments, &comments),
        ] {
            if let Some(c) = companion {
                let mut lf = list_file(c, Format::OfacCsv(role), list.list_name(), None);
                lf.records = loaded_companion_records(c);
                catalog.files.push(lf);
            }
        }
        add_loaded(
            catalog,
            &primary,
            Format::OfacCsv(ofac_csv::Role::Primary),
            list.list_name(),
            loaded,
        )?;
    }
    Ok(())
}

fn loaded_companion_records(src: &Source) -> usize {
    ofac_csv::count_records(&src.bytes)
}

/// Add what a primary file loaded, or fail when it loaded nothing. Names
/// longer than [`MAX_NAME_CHARS`] are dropped with a warning first (and an
/// entry left without a name with them).
fn add_loaded(
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
    catalog.entities.extend(loaded.entities);
    Ok(())
}
