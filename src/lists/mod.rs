//! List loading: recognize each file's format from its content, group OFAC
//! companion files, and run one loader per published format.
//!
//! Every loader keeps names exactly as published and reports every record it
//! cannot load as a [`Diagnostic`] with the file and line.
//!
//! The parts, in the order data flows through them: `paths` reads the files
//! (`--lists`, the bundled sample or bytes in memory) and groups them by
//! directory; `sniff` recognizes each file's [`Format`]; `group` loads a
//! directory's files through the [`FORMATS`] table (`format`), one loader
//! module per published format, OFAC's CSV files as one set; `catalog`
//! gathers the entities with the account of every file. `util` holds the
//! helpers the loaders share.

pub mod bis_dpl;
pub mod canada_sema;
mod catalog;
pub mod csl;
pub mod eu_fsf;
mod format;
mod group;
pub mod ofac_csv;
pub mod ofac_xml;
pub mod opensanctions;
mod paths;
mod remark_facts;
mod sniff;
pub mod uk_fcdo;
pub mod uk_hmt;
pub mod un_xml;
pub mod user_csv;
mod util;
pub mod xml;

pub use catalog::{Catalog, ListFile, Skipped};
pub use format::{FORMATS, Format, FormatEntry, Loader};
pub use paths::{BUNDLED, load_bundled, load_bytes, load_paths};
pub use sniff::{sniff, sniff_named};
pub use util::{LineIndex, hex, sha256_hex};

use crate::model::Entity;
use serde::Serialize;
use std::fmt;

/// A list file's bytes and the name used for it in every message.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path as the user gave it (or `bundled:<file>` for the bundled
    /// sample); its entities share it ([`crate::model::Location::file`]).
    pub name: std::sync::Arc<str>,
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

/// The longest name a list may give, in characters. The longest name on the
/// published lists has about 200; a longer one is a broken file (a quote
/// left open swallows the records after it), and a word that long would
/// stall the matcher, whose typo search grows with the square of a word's
/// length. Such a name is not loaded, with a warning.
pub const MAX_NAME_CHARS: usize = 1000;
