//! Watchman's answers as types (after `pkg/search/models.go` and
//! `docs/api.yaml`): dates are RFC 3339 (`1952-10-07T00:00:00Z`, what Go's
//! `time.Time` reads), `governmentIDs[].type` is one of the spec's enum,
//! countries are ISO 3166 codes. `tests/contracts/watchman-api.yaml` is the
//! contract the serve tests check these answers against.

use crate::report::Hit;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The query parameters of `GET /v2/search` that take a type. Every
/// parameter is first checked against the ones the search reads for its
/// type (Watchman's "extra/unused query parameters" 400); `gov_*` are read
/// apart.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SearchParams {
    /// The name.
    pub name: String,
    /// `person`, `business`, `organization`, `aircraft`, `vessel`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Only entries of these source lists (`us_ofac`... or a dataset name).
    pub source: Vec<String>,
    /// Only the entry of this id in its list.
    #[serde(rename = "sourceID")]
    pub source_id: String,
    /// More names.
    pub alt_names: Vec<String>,
    /// Entities answered at most (Watchman: a bad value is the default).
    pub limit: String,
    /// The lowest score answered.
    pub min_match: String,
    /// `yes`, `true`, `1`... or a threshold: each entity gets `debug`.
    pub debug: String,
    /// `watchman` only.
    pub format: String,
    /// Watchman's algorithm names are answered by this matcher.
    pub algorithm: String,
    /// Person: gender.
    pub gender: String,
    /// Person: birth date (`YYYY-MM-DD`, `YYYY-MM`, `YYYY`).
    pub birth_date: String,
    /// Person: death date.
    pub death_date: String,
    /// Person: titles.
    pub titles: Vec<String>,
    /// Business: created.
    pub created: String,
    /// Business: dissolved.
    pub dissolved: String,
    /// Vessel, aircraft: built.
    pub built: String,
    /// Vessel, aircraft: flag.
    pub flag: String,
    /// Vessel, aircraft: model.
    pub model: String,
    /// Aircraft: type.
    pub aircraft_type: String,
    /// Aircraft: ICAO code.
    pub icao_code: String,
    /// Aircraft: serial number.
    pub serial_number: String,
    /// Vessel: IMO number.
    pub imo_number: String,
    /// Vessel: type.
    pub vessel_type: String,
    /// Vessel: MMSI.
    pub mmsi: String,
    /// Vessel: call sign.
    pub call_sign: String,
    /// Vessel: owner.
    pub owner: String,
    /// Vessel: tonnage.
    pub tonnage: String,
    /// Vessel: gross registered tonnage.
    pub gross_registered_tonnage: String,
}

/// Watchman's `Entity`.
#[derive(Debug, Clone, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Entity {
    /// The primary name.
    pub name: String,
    /// `person`, `business`, `organization`, `aircraft`, `vessel`, `unknown`.
    pub entity_type: &'static str,
    /// The source list (`us_ofac`...).
    pub source_list: String,
    /// The id in that list.
    #[serde(rename = "sourceID")]
    pub source_id: String,
    /// A person's fields.
    pub person: Option<Person>,
    /// A business's fields.
    pub business: Option<Business>,
    /// An organization's fields.
    pub organization: Option<Business>,
    /// An aircraft's fields.
    pub aircraft: Option<Aircraft>,
    /// A vessel's fields.
    pub vessel: Option<Vessel>,
    /// Contact details.
    pub contact: Contact,
    /// Addresses.
    pub addresses: Option<Vec<Address>>,
    /// Crypto addresses.
    pub crypto_addresses: Option<Vec<CryptoAddress>>,
    /// Never filled.
    pub affiliations: Option<Vec<serde_json::Value>>,
    /// Programs and remarks.
    pub sanctions_info: Option<SanctionsInfo>,
    /// Never filled.
    pub historical_info: Option<Vec<serde_json::Value>>,
    /// This tool's record of the entry: id, list, `file:line`.
    pub source_data: Option<SourceData>,
}

/// Watchman's `Person`.
#[derive(Debug, Clone, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    /// Name.
    pub name: String,
    /// Other names.
    pub alt_names: Vec<String>,
    /// `male`, `female`, `unknown` or empty.
    pub gender: String,
    /// RFC 3339.
    pub birth_date: Option<String>,
    /// As published.
    pub place_of_birth: String,
    /// RFC 3339.
    pub death_date: Option<String>,
    /// Titles.
    pub titles: Vec<String>,
    /// Identity documents.
    #[serde(rename = "governmentIDs")]
    pub government_ids: Vec<GovernmentId>,
}

/// Watchman's `Business` (and `Organization`).
#[derive(Debug, Clone, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Business {
    /// Name.
    pub name: String,
    /// Other names.
    pub alt_names: Vec<String>,
    /// RFC 3339.
    pub created: Option<String>,
    /// RFC 3339.
    pub dissolved: Option<String>,
    /// Registrations and other ids.
    #[serde(rename = "governmentIDs")]
    pub government_ids: Vec<GovernmentId>,
}

/// Watchman's `Aircraft`.
#[derive(Debug, Clone, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Aircraft {
    /// Name.
    pub name: String,
    /// Other names.
    pub alt_names: Vec<String>,
    /// Type.
    #[serde(rename = "type")]
    pub kind: String,
    /// ISO 3166 code.
    pub flag: String,
    /// RFC 3339.
    pub built: Option<String>,
    /// ICAO code.
    pub icao_code: String,
    /// Model.
    pub model: String,
    /// Serial number.
    pub serial_number: String,
}

/// Watchman's `Vessel`.
#[derive(Debug, Clone, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Vessel {
    /// Name.
    pub name: String,
    /// Other names.
    pub alt_names: Vec<String>,
    /// IMO number (digits).
    pub imo_number: String,
    /// Type.
    #[serde(rename = "type")]
    pub kind: String,
    /// ISO 3166 code.
    pub flag: String,
    /// RFC 3339.
    pub built: Option<String>,
    /// Model.
    pub model: String,
    /// Tonnage.
    pub tonnage: i64,
    /// MMSI.
    pub mmsi: String,
    /// Call sign.
    pub call_sign: String,
    /// Gross registered tonnage.
    pub gross_registered_tonnage: i64,
    /// Owner.
    pub owner: String,
}

/// Watchman's `Contact`.
#[derive(Debug, Clone, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    /// E-mail addresses.
    pub email_addresses: Option<Vec<String>>,
    /// Phone numbers.
    pub phone_numbers: Option<Vec<String>>,
    /// Fax numbers.
    pub fax_numbers: Option<Vec<String>>,
    /// Websites.
    pub websites: Option<Vec<String>>,
}

/// Watchman's `Address`.
#[derive(Debug, Clone, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    /// The line as published.
    pub line1: String,
    /// Empty.
    pub line2: String,
    /// Empty.
    pub city: String,
    /// Empty.
    pub postal_code: String,
    /// Empty.
    pub state: String,
    /// ISO 3166 code, when the line names a country.
    pub country: String,
    /// 0.
    pub latitude: f64,
    /// 0.
    pub longitude: f64,
}

/// Watchman's `CryptoAddress`.
#[derive(Debug, Clone, Serialize, Default)]
pub struct CryptoAddress {
    /// Currency.
    pub currency: String,
    /// Address.
    pub address: String,
}

/// Watchman's `GovernmentID`.
#[derive(Debug, Clone, Serialize)]
pub struct GovernmentId {
    /// The kind as the list writes it (`Passport`, `Tax ID No.`).
    pub name: String,
    /// One of Watchman's kinds ([`government_id_type`]).
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// ISO 3166 code, or empty.
    pub country: String,
    /// The value.
    pub identifier: String,
}

impl GovernmentId {
    /// An identifier as Watchman writes it, of a person's or another's.
    pub fn of(id: &crate::model::Identifier, person: bool) -> GovernmentId {
        GovernmentId {
            name: id.kind.clone(),
            kind: government_id_type(&id.kind, person),
            country: (id.country.as_deref())
                .and_then(crate::countries::iso2)
                .unwrap_or("")
                .to_string(),
            identifier: id.value.clone(),
        }
    }
}

/// Watchman's `SanctionsInfo`.
#[derive(Debug, Clone, Serialize, Default)]
pub struct SanctionsInfo {
    /// Programs.
    pub programs: Vec<String>,
    /// Never known: false.
    pub secondary: bool,
    /// The remarks.
    pub description: String,
}

/// This tool's `sourceData`.
#[derive(Debug, Clone, Serialize)]
pub struct SourceData {
    /// The entity id.
    #[serde(rename = "entityID")]
    pub entity_id: String,
    /// The list.
    pub list: String,
    /// `file:line` (the file's name, never its path).
    pub source: String,
}

/// Watchman's `SearchedEntity`.
#[derive(Debug, Serialize)]
pub struct SearchedEntity {
    /// The entry.
    #[serde(flatten)]
    pub entity: Entity,
    /// The score.
    #[serde(rename = "match")]
    pub score: f64,
    /// How it was scored.
    pub details: SimilarityScore,
    /// With `debug`: the explanation as base64 of its JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub debug: Option<String>,
}

/// What `debug` holds, as JSON before its base64: the explanation.
#[derive(Debug, Serialize)]
pub struct Debug<'a> {
    /// For a person.
    pub why: &'a str,
    /// Structured.
    pub explanation: &'a crate::matcher::Explanation,
}

/// Watchman's `SimilarityScore`, with this tool's explanation.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SimilarityScore {
    /// One piece per aligned word pair.
    pub pieces: Vec<ScorePiece>,
    /// The score.
    pub final_score: f64,
    /// The explanation, for a person.
    pub why: String,
    /// The listed name that matched.
    pub matched_name: String,
    /// The hit as `screen` reports it.
    pub hit: Hit,
}

/// Watchman's `ScorePiece`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScorePiece {
    /// Similarity.
    pub score: f64,
    /// Weight.
    pub weight: f64,
    /// Always true (only aligned pairs are pieces).
    pub matched: bool,
    /// Never.
    pub required: bool,
    /// Similarity 1.
    pub exact: bool,
    /// 1.
    pub fields_compared: u32,
    /// `name` and the pair in words, as written on both sides
    /// ([`crate::matcher::Pair::in_words`]): `name Maduro (same word)`.
    pub piece_type: String,
}

/// The answer of `GET /v2/search`.
#[derive(Debug, Serialize)]
pub struct SearchResponse {
    /// The request as an entity.
    pub query: Entity,
    /// Null when nothing matched, as Watchman answers.
    pub entities: Option<Vec<SearchedEntity>>,
}

/// The answer of `GET /v2/listinfo`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListInfo {
    /// Entries per source list.
    pub lists: BTreeMap<String, usize>,
    /// A sha256 of each source list's files.
    pub list_hashes: BTreeMap<String, String>,
    /// When the load started (RFC 3339).
    pub started_at: String,
    /// When it ended.
    pub ended_at: String,
    /// This tool's version.
    pub version: &'static str,
}

/// Watchman's kind of an identifier type as a list writes it: passports,
/// national ids, tax ids, registrations... Anything else is a
/// `personal-id` of a person and a `business-registration` of anything
/// else (the list's own label stays in `name`): `Tax ID No.` is `tax-id`,
/// a person's unlabelled id `personal-id`.
pub fn government_id_type(kind: &str, person: bool) -> &'static str {
    let k = kind.to_lowercase();
    let words: Vec<&str> = k.split(|c: char| !c.is_alphanumeric()).collect();
    let has = |w: &str| k.contains(w) || words.contains(&w);
    if has("diplomatic") {
        "diplomatic-passport"
    } else if has("passport") {
        "passport"
    } else if has("driver") {
        "drivers-license"
    } else if has("cedula") || has("cédula") {
        "cedula"
    } else if words.contains(&"curp") {
        "curp"
    } else if words.contains(&"cuit") {
        "cuit"
    } else if words.contains(&"ssn") || has("social security") {
        "ssn"
    } else if has("tax")
        || ["inn", "vat", "rfc", "nit"]
            .iter()
            .any(|w| words.contains(w))
    {
        "tax-id"
    } else if has("national") || has("identity card") || has("id card") {
        "national-id"
    } else if has("electoral") || has("voter") {
        "electoral"
    } else if has("birth") {
        "birth-certificate"
    } else if has("refugee") {
        "refugee-id"
    } else if has("commercial") {
        "commercial-registry"
    } else if has("citizenship") {
        "citizenship"
    } else if has("nationality") {
        "nationality"
    } else if has("registration") || has("company") || has("business") || has("legal entity") {
        "business-registration"
    } else if person {
        "personal-id"
    } else {
        "business-registration"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_id_type_gets_one_of_watchmans() {
        for (kind, person, want) in [
            ("Passport", true, "passport"),
            ("Diplomatic Passport", true, "diplomatic-passport"),
            ("Tax ID No.", false, "tax-id"),
            ("National ID No.", true, "national-id"),
            ("Cedula No.", true, "cedula"),
            ("Registration Number", false, "business-registration"),
            ("", true, "personal-id"),
            ("", false, "business-registration"),
            ("SWIFT/BIC", false, "business-registration"),
        ] {
            assert_eq!(government_id_type(kind, person), want, "{kind}");
        }
    }
}
