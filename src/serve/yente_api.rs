//! yente's requests and answers as types (after `yente/data/common.py`
//! and the routers of yente 5.5.0): query parameters are read by serde
//! (an unknown parameter is a 400 naming it, a value of the wrong type a
//! 400 naming its parameter), bodies likewise, and every answer is a
//! struct serialized as it is. `tests/contracts/yente-openapi.json` is the
//! contract the serve tests check these answers against.

use crate::report::Hit;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The query parameters of `POST /match/{dataset}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MatchParams {
    /// Results per query at most (0: none, only the total).
    pub limit: Option<usize>,
    /// Results at or above this are `match: true`.
    pub threshold: Option<f32>,
    /// Results under this are not returned (deprecated in yente).
    pub cutoff: Option<f32>,
    /// yente's algorithm names are answered by this matcher.
    pub algorithm: Option<String>,
    /// Only results in these datasets.
    pub include_dataset: Vec<String>,
    /// No results in these datasets.
    pub exclude_dataset: Vec<String>,
    /// No results of these schemata.
    pub exclude_schema: Vec<String>,
    /// Only results with one of these topics.
    pub topics: Vec<String>,
    /// Only results whose list changed on or after this date.
    pub changed_since: Option<String>,
    /// Never these entities (a group is excluded by any of its ids).
    pub exclude_entity_ids: Vec<String>,
    /// OpenSanctions' hosted API takes its key here (Marble sends it): the
    /// server's token when `--token-file` is given, else no effect.
    pub api_key: Option<String>,
}

/// The body of `POST /match/{dataset}` (yente's `EntityMatchQuery`).
/// `weights` and `config` are accepted in yente's types and not applied:
/// this matcher has no tunable weights (the README says so).
#[derive(Debug, Deserialize)]
pub struct MatchBody {
    /// The examples, by the key their answer is under.
    pub queries: BTreeMap<String, Option<EntityExample>>,
    /// Feature weights (yente: name to number); read for their types only.
    #[serde(default, rename = "weights")]
    pub _weights: Option<BTreeMap<String, f64>>,
    /// Algorithm settings (yente: name to a scalar); read for their types only.
    #[serde(default, rename = "config")]
    pub _config: Option<BTreeMap<String, ConfigValue>>,
}

/// A value of yente's `config`: a string, number, boolean or null.
#[derive(Debug, Deserialize)]
#[expect(
    dead_code,
    reason = "read to check its type; this matcher takes no settings"
)]
#[serde(untagged)]
pub enum ConfigValue {
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    Text(String),
    /// Null.
    Null,
}

/// One example entity (yente's `EntityExample`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct EntityExample {
    /// The caller's id of it, echoed.
    #[serde(default)]
    pub id: Option<String>,
    /// The FollowTheMoney schema.
    pub schema: String,
    /// Property values: a string, or a list of strings and numbers.
    #[serde(default)]
    pub properties: BTreeMap<String, PropertyValues>,
}

/// A property's values as sent: one, or a list.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum PropertyValues {
    /// A list.
    Many(Vec<Scalar>),
    /// One value.
    One(Scalar),
}

/// One property value: text, or a number (an id sent as a number).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Scalar {
    /// Text.
    Text(String),
    /// A number, kept as written.
    Number(serde_json::Number),
    /// Null (dropped).
    Null,
}

impl PropertyValues {
    /// The values as trimmed text, empty ones dropped.
    pub fn texts(&self) -> Vec<String> {
        let one = |s: &Scalar| match s {
            Scalar::Text(t) => t.trim().to_string(),
            Scalar::Number(n) => n.to_string(),
            Scalar::Null => String::new(),
        };
        let all: Vec<String> = match self {
            PropertyValues::Many(xs) => xs.iter().map(one).collect(),
            PropertyValues::One(x) => vec![one(x)],
        };
        all.into_iter().filter(|s| !s.is_empty()).collect()
    }
}

/// The example as answered under `query`: its properties as cleaned.
#[derive(Debug, Clone, Serialize)]
pub struct ExampleEcho {
    /// The caller's id.
    pub id: Option<String>,
    /// The schema.
    pub schema: String,
    /// The properties read (dates and countries as cleaned).
    pub properties: BTreeMap<String, Vec<String>>,
}

/// The answer of `POST /match/{dataset}` (yente's `EntityMatchResponse`).
#[derive(Debug, Serialize)]
pub struct MatchResponse {
    /// One answer per query key.
    pub responses: BTreeMap<String, EntityMatches>,
    /// The limit applied.
    pub limit: usize,
}

/// The answer to one example (yente's `EntityMatches`).
#[derive(Debug, Serialize)]
pub struct EntityMatches {
    /// Always 200.
    pub status: u16,
    /// The results, best first.
    pub results: Vec<ScoredEntityResponse>,
    /// How many results are matches.
    pub total: TotalSpec,
    /// The example as read.
    pub query: ExampleEcho,
}

/// A count (yente's `TotalSpec`).
#[derive(Debug, Serialize)]
pub struct TotalSpec {
    /// The count.
    pub value: usize,
    /// Always `eq`: every count is exact.
    pub relation: &'static str,
}

impl TotalSpec {
    /// An exact count.
    pub fn exact(value: usize) -> TotalSpec {
        TotalSpec {
            value,
            relation: "eq",
        }
    }
}

/// A listed entry (yente's `EntityResponse`), with two fields of this
/// tool's: the list it is on and where its record is (file name and line).
#[derive(Debug, Clone, Serialize)]
pub struct EntityResponse {
    /// Its id (`<dataset>:<publisher's id>`).
    pub id: String,
    /// Its primary name.
    pub caption: String,
    /// Its FollowTheMoney schema.
    pub schema: &'static str,
    /// FollowTheMoney properties.
    pub properties: BTreeMap<&'static str, Vec<String>>,
    /// Its dataset and those of the other entries of its party.
    pub datasets: Vec<String>,
    /// The ids of the other entries of its party.
    pub referents: Vec<String>,
    /// Always true: every entry is a target.
    pub target: bool,
    /// Not known (null).
    pub first_seen: Option<String>,
    /// When the lists were loaded.
    pub last_seen: Option<String>,
    /// The date of its list file (as published, else the file's time).
    pub last_change: Option<String>,
    /// The list it is on, as published.
    pub list: String,
    /// `file:line` of its record (the file's name, never its path).
    pub source: String,
}

/// A search result: the entry, and its score when a query was given.
#[derive(Debug, Serialize)]
pub struct SearchResult {
    /// The entry.
    #[serde(flatten)]
    pub entity: EntityResponse,
    /// The name's score (absent when listing without `q`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

/// A scored result (yente's `ScoredEntityResponse`), with the hit as
/// `screen --format json` reports it.
#[derive(Debug, Serialize)]
pub struct ScoredEntityResponse {
    /// The entry.
    #[serde(flatten)]
    pub entity: EntityResponse,
    /// The score.
    pub score: f64,
    /// At or above the threshold.
    #[serde(rename = "match")]
    pub is_match: bool,
    /// The sub-scores and how they were reached.
    pub explanations: BTreeMap<&'static str, FeatureResult>,
    /// Older clients read this (feature name to score).
    pub features: BTreeMap<&'static str, f64>,
    /// The hit as `screen` reports it.
    pub hit: Hit,
}

/// One explained feature (nomenklatura's `FeatureResult`).
#[derive(Debug, Serialize)]
pub struct FeatureResult {
    /// How it was scored, for a person.
    pub detail: Option<String>,
    /// Its score.
    pub score: f64,
    /// The query value compared.
    pub query: Option<String>,
    /// The listed value compared.
    pub candidate: Option<String>,
}

/// The query parameters of `GET /entities/{id}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EntityParams {
    /// yente: include adjacent entities. Accepted: an entry here has none.
    pub nested: Option<bool>,
    /// Marble sends its algorithm with every call: checked, no effect.
    pub algorithm: Option<String>,
    /// As `/match`'s.
    pub api_key: Option<String>,
}

/// The query parameters of `GET /search/{dataset}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchParams {
    /// The text searched (names).
    pub q: String,
    /// Only entries of this schema (default `Thing`).
    pub schema: Option<String>,
    /// Only entries in these datasets.
    pub include_dataset: Vec<String>,
    /// No entries in these datasets.
    pub exclude_dataset: Vec<String>,
    /// No entries of these schemata.
    pub exclude_schema: Vec<String>,
    /// Only entries whose list changed on or after this date.
    pub changed_since: Option<String>,
    /// Only entries of these countries (ISO codes).
    pub countries: Vec<String>,
    /// Only entries with these topics.
    pub topics: Vec<String>,
    /// Only entries in these datasets (yente's facet filter).
    pub datasets: Vec<String>,
    /// `field:value` filters (`countries`, `topics`, `datasets`, `schema`).
    pub filter: Vec<String>,
    /// Page size.
    pub limit: Option<usize>,
    /// Page start.
    pub offset: Option<usize>,
    /// Sorting: refused (results are by score, or by id without `q`).
    pub sort: Vec<String>,
    /// Only targets (every entry is one).
    pub target: Option<bool>,
    /// Elasticsearch's fuzzy syntax: no effect (every name is matched
    /// fuzzily; no query syntax is parsed). yente-client sends it.
    pub fuzzy: Option<bool>,
    /// Simple syntax: the query is plain text either way.
    pub simple: Option<bool>,
    /// The facets to count.
    pub facets: Vec<String>,
    /// `OR` (default) or `AND` between values of one filter.
    pub filter_op: Option<String>,
    /// As `/match`'s.
    pub api_key: Option<String>,
}

/// The answer of `GET /search/{dataset}` (yente's `SearchResponse`).
#[derive(Debug, Serialize)]
pub struct SearchResponse {
    /// The page size.
    pub limit: usize,
    /// The page start.
    pub offset: usize,
    /// Entries found.
    pub total: TotalSpec,
    /// This page of them.
    pub results: Vec<SearchResult>,
    /// Counts by facet.
    pub facets: BTreeMap<String, SearchFacet>,
}

/// One facet's counts (yente's `SearchFacet`).
#[derive(Debug, Serialize)]
pub struct SearchFacet {
    /// What is counted.
    pub label: String,
    /// Each value's count.
    pub values: Vec<SearchFacetItem>,
}

/// One value of a facet (yente's `SearchFacetItem`).
#[derive(Debug, Serialize)]
pub struct SearchFacetItem {
    /// The value.
    pub name: String,
    /// Its label.
    pub label: String,
    /// Entries with it.
    pub count: usize,
}

/// The answer of `GET /catalog` (yente's `DataCatalogModel`).
#[derive(Debug, Serialize)]
pub struct Catalog {
    /// The datasets: `default`, then one per id prefix.
    pub datasets: Vec<DatasetModel>,
    /// The datasets indexed now.
    pub current: Vec<String>,
    /// None are outdated.
    pub outdated: Vec<String>,
    /// Never stale: reloads swap at once.
    pub index_stale: bool,
}

/// One dataset (yente's `YenteDatasetModel`).
#[derive(Debug, Serialize)]
pub struct DatasetModel {
    /// Its name.
    pub name: String,
    /// Its title.
    pub title: String,
    /// No summary.
    pub summary: Option<String>,
    /// No URL.
    pub url: Option<String>,
    /// The load's version, `YYYYMMDDhhmmss-xxx`.
    pub version: String,
    /// Loaded.
    pub load: bool,
    /// No URL.
    pub entities_url: Option<String>,
    /// Not a namespace.
    pub namespace: bool,
    /// As `version`.
    pub index_version: String,
    /// Always true.
    pub index_current: bool,
    /// `default`'s children: the others.
    pub children: Vec<String>,
    /// Its entries.
    pub entity_count: usize,
    /// `default` only: every list file (by name, never path).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<crate::lists::ListFile>>,
}

/// The answer of `GET /algorithms`.
#[derive(Debug, Serialize)]
pub struct AlgorithmResponse {
    /// This matcher.
    pub algorithms: Vec<Algorithm>,
    /// Its name.
    pub default: String,
    /// Its name.
    pub best: String,
}

/// An algorithm (yente's `Algorithm`).
#[derive(Debug, Serialize)]
pub struct Algorithm {
    /// Its name.
    pub name: String,
    /// What it does.
    pub description: Option<String>,
    /// No named features.
    pub features: BTreeMap<String, serde_json::Value>,
    /// Its documentation.
    pub docs: AlgorithmDocs,
}

/// nomenklatura's `AlgorithmDocs`.
#[derive(Debug, Serialize)]
pub struct AlgorithmDocs {
    /// Its name.
    pub name: String,
    /// What it does.
    pub description: Option<String>,
    /// No settings.
    pub config: BTreeMap<String, serde_json::Value>,
    /// No named features.
    pub features: BTreeMap<String, serde_json::Value>,
}

/// `{"status": "ok"}`.
#[derive(Debug, Serialize)]
pub struct StatusResponse {
    /// `ok`.
    pub status: &'static str,
}

/// The answer of `GET /readyz`: the lists served and how reloads went.
#[derive(Debug, Serialize)]
pub struct Readiness {
    /// `ok`.
    pub status: &'static str,
    /// Counts up with each load.
    pub generation: u64,
    /// When loaded.
    pub loaded_at: String,
    /// Seconds the load took.
    pub load_seconds: f64,
    /// Entries.
    pub entities: usize,
    /// Names.
    pub names: usize,
    /// List files.
    pub files: usize,
    /// The bundled sample is served.
    pub bundled_sample_lists: bool,
    /// Reloads that succeeded.
    pub reloads: u64,
    /// The last failed reload's reason, until one succeeds.
    pub last_reload_error: Option<String>,
    /// When it failed.
    pub last_reload_error_at: Option<String>,
}
