//! The data model shared by every stage: list entities as loaded, screening
//! queries as read, and matches as reported.
//!
//! Loaders produce [`Entity`] values with names kept exactly as published;
//! normalization happens later, once, in [`crate::normalize`].

use serde::Serialize;
use std::fmt;
use std::sync::Arc;

mod birth;
pub use birth::{BirthDate, BirthDateValue};

/// What kind of party a list entry describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityType {
    /// A natural person.
    Person,
    /// A company, government body, group or other organization.
    Organization,
    /// A ship.
    Vessel,
    /// An aircraft.
    Aircraft,
    /// The list does not say.
    Unknown,
}

impl EntityType {
    /// Read a type given in screening input (a `type` column, `--type`):
    /// `person` (or `individual`), `organization` (`organisation`,
    /// `company`, `entity`), `vessel` (`ship`), `aircraft`; any case. The
    /// error says what the value is not.
    ///
    /// ```
    /// use sanctions::model::EntityType;
    /// assert_eq!(EntityType::parse_input("Individual"), Ok(EntityType::Person));
    /// assert_eq!(EntityType::parse_input("company"), Ok(EntityType::Organization));
    /// assert!(EntityType::parse_input("fish").is_err());
    /// ```
    pub fn parse_input(value: &str) -> Result<EntityType, String> {
        match value.trim().to_ascii_lowercase().as_str() {
            "person" | "individual" | "natural person" => Ok(EntityType::Person),
            "organization" | "organisation" | "company" | "entity" | "legal entity" => {
                Ok(EntityType::Organization)
            }
            "vessel" | "ship" => Ok(EntityType::Vessel),
            "aircraft" => Ok(EntityType::Aircraft),
            _ => Err(format!(
                "{value:?} is not a type (person, organization, vessel or aircraft)"
            )),
        }
    }

    /// Lower-case label used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "person",
            EntityType::Organization => "organization",
            EntityType::Vessel => "vessel",
            EntityType::Aircraft => "aircraft",
            EntityType::Unknown => "unknown",
        }
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How strongly a name identifies its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NameKind {
    /// The entry's main name.
    Primary,
    /// A strong alias (a.k.a., n.k.a.).
    Strong,
    /// A former name (f.k.a.).
    Former,
    /// A weak or low-quality alias (OFAC `a.k.a. 'X'` in remarks, UN "Low").
    Weak,
}

impl NameKind {
    /// Lower-case label used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            NameKind::Primary => "primary",
            NameKind::Strong => "strong",
            NameKind::Former => "former",
            NameKind::Weak => "weak",
        }
    }
}

impl fmt::Display for NameKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What became of a word of a name as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordPart {
    /// It met a word of the other name.
    Met,
    /// It met nothing: the other name lacks it.
    Unmet,
    /// The matcher does not weigh it (a word dropped by analysis).
    Ignored,
}

/// A word of a name as written, with the white space before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The white space before the word, as written.
    pub space: String,
    /// The word as written.
    pub text: String,
    /// Whether it met a word of the other name.
    pub part: WordPart,
}

/// One name of an entity, exactly as the list publishes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Name {
    /// The name text as published (only surrounding whitespace trimmed).
    pub text: String,
    /// Primary, strong, former or weak.
    pub kind: NameKind,
}

impl Name {
    /// A name of the given kind.
    pub fn new(text: impl Into<String>, kind: NameKind) -> Name {
        Name {
            text: text.into(),
            kind,
        }
    }
}

/// An identifying document or code (passport, ISIN, tax number, IMO number...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identifier {
    /// The type as the list writes it, e.g. `ISIN`, `Passport`.
    pub kind: String,
    /// The number or code.
    pub value: String,
    /// Issuing country, when stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// Where a record came from: the file and the line its record starts on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The list file, as the user named it (or `bundled:<name>`); shared by
    /// the entities of a file.
    pub file: Arc<str>,
    /// 1-based line number of the record's first line.
    pub line: u64,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One record of a published list.
#[derive(Debug, Clone, Serialize)]
pub struct Entity {
    /// Stable id: `<list-code>:<publisher's uid>`, e.g. `ofac-sdn:306`, `ofac-cons:33114`, `csl:<_id>`.
    pub id: String,
    /// Human-readable list name, e.g. `OFAC SDN List` or the CSL `source`
    /// value; loaders share one among the entities of a list.
    pub list: Arc<str>,
    /// Person, organization, vessel, aircraft or unknown.
    pub entity_type: EntityType,
    /// All names; the first is the primary name.
    pub names: Vec<Name>,
    /// Sanctions programs or list-specific tags, as published.
    pub programs: Vec<String>,
    /// Addresses, each one line as published (parts joined by `, `).
    pub addresses: Vec<String>,
    /// Countries named by the record (addresses, nationality, citizenship).
    pub countries: Vec<String>,
    /// Identifiers (passports, ISINs, registration numbers...).
    pub identifiers: Vec<Identifier>,
    /// Dates of birth as published, each parsed (text that is no date is
    /// not kept). Evidence for later matching; not part of
    /// [`Entity::content_hash`], so keeping them reopens no reviewed decision.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dates_of_birth: Vec<BirthDate>,
    /// Nationalities and citizenships as published (a vessel's flag).
    /// Unlike `countries`
    /// (which mixes them with address countries) these say who the person
    /// is; not part of [`Entity::content_hash`], like `dates_of_birth`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nationalities: Vec<String>,
    /// Free-text remarks, with OFAC's overflow comments re-joined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
    /// The OFAC entity number when the record is an OFAC entry (from the OFAC
    /// files, or a Treasury-sourced CSL row); used to show one party once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ofac_uid: Option<String>,
    /// Where the record was read.
    pub source: Location,
}

impl Entity {
    /// An entity of unknown type with no names, programs, addresses,
    /// countries, identifiers, dates of birth, nationalities, remarks or
    /// OFAC number: loaders set the fields
    /// their format has, as `Entity { names, ..Entity::new(id, list, source) }`.
    ///
    /// ```
    /// use sanctions::model::{Entity, EntityType, Location};
    /// let e = Entity::new("un:1", "UN", Location { file: "un.xml".into(), line: 3 });
    /// assert_eq!(e.entity_type, EntityType::Unknown);
    /// assert!(e.names.is_empty() && e.remarks.is_none() && e.ofac_uid.is_none());
    /// ```
    pub fn new(id: impl Into<String>, list: impl Into<Arc<str>>, source: Location) -> Entity {
        Entity {
            id: id.into(),
            list: list.into(),
            entity_type: EntityType::Unknown,
            names: Vec::new(),
            programs: Vec::new(),
            addresses: Vec::new(),
            countries: Vec::new(),
            identifiers: Vec::new(),
            dates_of_birth: Vec::new(),
            nationalities: Vec::new(),
            remarks: None,
            ofac_uid: None,
            source,
        }
    }

    /// Give back what the entity's vectors and strings hold beyond their
    /// contents. A vector grown from an iterator of unknown length keeps
    /// room for four (a date of birth alone then takes 192 bytes); with a
    /// million entities that spare room is some 250 MB. Loaders that make
    /// many entities call it as they make each one.
    ///
    /// ```
    /// use sanctions::model::{Entity, Location};
    /// let mut e = Entity::new("os:1", "OpenSanctions", Location { file: "x.json".into(), line: 1 });
    /// e.countries.extend(["ru"].iter().map(|c| c.to_string()));
    /// e.shrink_to_fit();
    /// assert_eq!(e.countries.capacity(), 1);
    /// ```
    pub fn shrink_to_fit(&mut self) {
        fn strings(v: &mut Vec<String>) {
            v.iter_mut().for_each(String::shrink_to_fit);
            v.shrink_to_fit();
        }
        self.id.shrink_to_fit();
        self.names.iter_mut().for_each(|n| n.text.shrink_to_fit());
        self.names.shrink_to_fit();
        strings(&mut self.programs);
        strings(&mut self.addresses);
        strings(&mut self.countries);
        self.identifiers.shrink_to_fit();
        self.dates_of_birth.shrink_to_fit();
        strings(&mut self.nationalities);
    }

    /// The primary name (the first name), or an empty string if there is none.
    pub fn primary_name(&self) -> &str {
        self.names.first().map(|n| n.text.as_str()).unwrap_or("")
    }
    /// A hash of what a reviewer decided about: the entry's id, list, type,
    /// names (with their kinds), programs, identifiers, countries and
    /// addresses, each set in a canonical order; 16 hex digits. A decision
    /// records it, and is reopened when the entry's hash changes (see
    /// [`crate::decisions`]). Where the entry sits in the file does not count,
    /// nor do dates of birth and nationalities: they were added after
    /// decisions were recorded, and hashing them would reopen every one.
    ///
    /// ```
    /// use sanctions::model::{Entity, EntityType, Location, Name, NameKind};
    /// let mut e = Entity {
    ///     entity_type: EntityType::Organization,
    ///     names: vec![Name::new("ACME LTD", NameKind::Primary)],
    ///     programs: vec!["SDGT".into()],
    ///     ofac_uid: Some("1".into()),
    ///     ..Entity::new("ofac-sdn:1", "SDN", Location { file: "sdn.csv".into(), line: 2 })
    /// };
    /// let before = e.content_hash();
    /// e.source.line = 40;
    /// assert_eq!(e.content_hash(), before);
    /// e.dates_of_birth.extend(sanctions::model::BirthDate::parse("1960"));
    /// e.nationalities.push("Cuba".into());
    /// assert_eq!(e.content_hash(), before);
    /// e.programs.push("IRAN".into());
    /// assert_ne!(e.content_hash(), before);
    /// ```
    pub fn content_hash(&self) -> String {
        use sha2::{Digest, Sha256};
        let sorted = |items: Vec<String>| {
            let mut items = items;
            items.sort();
            items.dedup();
            items
        };
        let parts: [(&str, Vec<String>); 8] = [
            ("id", vec![self.id.clone()]),
            ("list", vec![self.list.to_string()]),
            ("type", vec![self.entity_type.to_string()]),
            (
                "names",
                sorted(
                    self.names
                        .iter()
                        .map(|n| format!("{}\t{}", n.kind, n.text))
                        .collect(),
                ),
            ),
            ("programs", sorted(self.programs.clone())),
            (
                "identifiers",
                sorted(
                    self.identifiers
                        .iter()
                        .map(|i| format!("{}\t{}", i.kind, i.value))
                        .collect(),
                ),
            ),
            ("countries", sorted(self.countries.clone())),
            ("addresses", sorted(self.addresses.clone())),
        ];
        let mut h = Sha256::new();
        for (key, values) in parts {
            h.update(key.as_bytes());
            for v in values {
                h.update([0x1f]);
                h.update(v.as_bytes());
            }
            h.update([0x1e]);
        }
        h.finalize()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// One input row to screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// 1-based data row number (1 = first row after the header).
    pub row: u64,
    /// Line in the input file where the row starts.
    pub line: u64,
    /// The value of the `id` column, if the input has one.
    pub id: Option<String>,
    /// The name to screen, as given.
    pub name: String,
    /// Identifiers from the input's identifier columns (ISIN, ticker, LEI...).
    pub identifiers: Vec<Identifier>,
    /// The input's `country` column, if any.
    pub country: Option<String>,
    /// The input's date of birth (`date_of_birth`, `dob`, `birth_date`,
    /// `birthdate` or `year_of_birth` column), if any.
    pub date_of_birth: Option<BirthDate>,
    /// The input's `type` column (`person`, `organization`, `vessel`,
    /// `aircraft`), if any.
    pub entity_type: Option<EntityType>,
    /// The facts beside the name that could not be read (a date of birth,
    /// type or country): the row is screened without them.
    pub warnings: Vec<FactWarning>,
}

/// A fact beside the name (date of birth, type, country) that could not be
/// read: which column, its value and why. The row is screened as if the
/// column were empty, and the warning goes with it into the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactWarning {
    /// The input's column, as its header names it (`dob`, `type`...).
    pub column: String,
    /// The value, as given (trimmed).
    pub value: String,
    /// Why it could not be read (`is not a date of birth (write ...)`).
    pub reason: String,
}

impl FactWarning {
    /// The warning in words, for a report cell or a message.
    ///
    /// ```
    /// use sanctions::model::FactWarning;
    /// let w = FactWarning {
    ///     column: "type".into(),
    ///     value: "fish".into(),
    ///     reason: "is not a type".into(),
    /// };
    /// assert_eq!(w.in_words(), "the `type` value \"fish\" is not a type: screened without it");
    /// ```
    pub fn in_words(&self) -> String {
        format!(
            "the `{}` value {:?} {}: screened without it",
            self.column, self.value, self.reason
        )
    }
}

/// Normalize an identifier for comparison: ASCII letters and digits only,
/// upper case (`US 169426 1033` is `US1694261033`, `CHA US` is `CHAUS`).
/// Values shorter than 5 characters this way are too ambiguous to compare
/// and give `None`.
///
/// ```
/// use sanctions::model::normalize_identifier;
/// assert_eq!(normalize_identifier("us1694261033").as_deref(), Some("US1694261033"));
/// assert_eq!(normalize_identifier("0941 HK").as_deref(), Some("0941HK"));
/// assert_eq!(normalize_identifier("HK"), None);
/// ```
pub fn normalize_identifier(value: &str) -> Option<String> {
    let v: String = value
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (v.len() >= 5).then_some(v)
}
