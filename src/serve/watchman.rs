//! moov-io Watchman's v2 API, so that its clients switch by changing a
//! URL: `GET /v2/search` (one party by query parameters) and
//! `GET /v2/listinfo`. As in Watchman (`internal/search/api_search.go`,
//! `docs/api.yaml`), a parameter the search does not read (an unknown one,
//! or one of another type's: `birthDate` without `type=person`) is a 400
//! `{"error": "extra/unused query parameters in request: k1,k2"}`; `limit`
//! defaults to 10 and is held to 100; `minMatch` defaults to 0. Answers
//! are the types of `watchman_api.rs`: RFC 3339 dates, the spec's enums.
//!
//! The hits are the same [`super::screen_probe`]'s as `screen`'s and
//! `/match`'s; `match` is the same score. One difference: this matcher
//! scores names that only share a word low, so a `minMatch` under
//! [`MIN_MATCH_FLOOR`] is answered as that floor (Watchman's Jaro-Winkler
//! gives unrelated names 0.6 and more; this matcher's scores under 0.5 are
//! not matches of any kind).

use super::http::{self, ApiError, ApiResult, Budget, check_name, parse_query};
use super::views::{rfc3339_param, watchman_entity, watchman_source};
use super::watchman_api::{self as wm, SearchParams};
use super::{App, Probe, screen_probe};
use crate::model::{BirthDate, EntityType, Identifier};
use axum::Json;
use axum::extract::{RawQuery, State};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A `minMatch` under this is answered as this (see the module documentation).
pub const MIN_MATCH_FLOOR: f32 = 0.5;
/// `limit` by default (Watchman's soft limit) and at most (its hard limit).
const SOFT_LIMIT: usize = 10;
const HARD_LIMIT: usize = 100;

/// Parameters every search reads, whatever its type.
const COMMON: [&str; 22] = [
    "name",
    "type",
    "source",
    "sourceID",
    "limit",
    "minMatch",
    "requestID",
    "debug",
    "debugSourceIDs",
    "format",
    "algorithm",
    "email",
    "emailAddress",
    "emailAddresses",
    "phone",
    "phoneNumber",
    "phoneNumbers",
    "fax",
    "faxNumber",
    "faxNumbers",
    "website",
    "websites",
];
/// More parameters every search reads.
const COMMON_MORE: [&str; 4] = ["address", "addresses", "cryptoAddress", "cryptoAddresses"];
/// Watchman's algorithm names, accepted and answered by this matcher.
const ALGORITHMS: [&str; 11] = [
    "jaro-winkler",
    "soundex",
    "soft-bidist",
    "soft-bisim",
    "soft-bigram",
    "editex",
    "nsim",
    "nsim-3",
    "double-metaphone",
    "beider-morse",
    super::yente::ALGORITHM,
];

/// The parameters a search of `kind` reads besides the common ones.
fn type_params(kind: &str) -> &'static [&'static str] {
    match kind {
        "person" => &["altNames", "gender", "birthDate", "deathDate", "titles"],
        "business" | "organization" => &["altNames", "created", "dissolved"],
        "aircraft" => &[
            "altNames",
            "aircraftType",
            "flag",
            "built",
            "icaoCode",
            "model",
            "serialNumber",
        ],
        "vessel" => &[
            "altNames",
            "imoNumber",
            "vesselType",
            "flag",
            "built",
            "model",
            "mmsi",
            "callSign",
            "owner",
            "tonnage",
            "grossRegisteredTonnage",
        ],
        _ => &[],
    }
}

/// The request read: the probe to screen, and what shapes the answer.
struct Search {
    params: SearchParams,
    /// `gov_*` identifiers, as given.
    government_ids: Vec<Identifier>,
    probe: Probe,
    limit: usize,
    min_match: f32,
    debug: bool,
    /// Only these source lists (Watchman's names or dataset names).
    sources: Vec<String>,
}

/// Watchman's gender of a parameter: `male`, `female`, else `unknown`.
fn gender(v: &str) -> String {
    match v.trim().to_lowercase().as_str() {
        "" => String::new(),
        "m" | "male" | "man" | "guy" => "male".into(),
        "f" | "female" | "woman" | "gal" | "girl" => "female".into(),
        _ => "unknown".into(),
    }
}

/// Read `/v2/search`'s parameters, Watchman's way, checked in Watchman's
/// order (the first problem found is the one reported).
fn parse(query: Option<&str>) -> ApiResult<Search> {
    let query = query.unwrap_or("");
    let all: BTreeMap<String, Vec<String>> = parse_query(query)?;
    let p: SearchParams = parse_query(query)?;
    let kind = p.kind.trim().to_lowercase();
    let entity_type = entity_type(&kind)?;
    check_all_used(&all, &kind)?;
    check_algorithm_and_format(&p)?;
    let debug = debug_flag(&p.debug)?;
    check_vessel_numbers(&p, &kind)?;
    let limit = match p.limit.trim().parse::<i64>() {
        Ok(n) if n > 0 => (n as usize).min(HARD_LIMIT),
        _ => SOFT_LIMIT,
    };
    let min_match = p
        .min_match
        .trim()
        .parse::<f32>()
        .ok()
        .filter(|x| x.is_finite())
        .unwrap_or(0.0)
        .clamp(0.0, 1.0);
    let government_ids = government_ids(&all);
    let probe = probe(&p, &kind, entity_type, &government_ids)?;
    let sources = p
        .source
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    Ok(Search {
        params: p,
        government_ids,
        probe,
        limit,
        min_match,
        debug,
        sources,
    })
}

/// The entity type of Watchman's `type` (lowercased): none when not given.
fn entity_type(kind: &str) -> ApiResult<Option<EntityType>> {
    Ok(match kind {
        "" => None,
        "person" => Some(EntityType::Person),
        "business" | "organization" => Some(EntityType::Organization),
        "vessel" => Some(EntityType::Vessel),
        "aircraft" => Some(EntityType::Aircraft),
        other => {
            return Err(ApiError::bad_request(format!(
                "problem reading v2 search request: unknown type {other:?} (person, business, organization, aircraft, vessel)"
            )));
        }
    })
}

/// Every parameter must be read for this type (Watchman's unused check).
fn check_all_used(all: &BTreeMap<String, Vec<String>>, kind: &str) -> ApiResult<()> {
    let used = |k: &str| {
        COMMON.contains(&k)
            || COMMON_MORE.contains(&k)
            || type_params(kind).contains(&k)
            || (k.starts_with("gov_") && matches!(kind, "person" | "business" | "organization"))
    };
    let extra: Vec<&str> = all
        .keys()
        .map(String::as_str)
        .filter(|k| !used(k))
        .collect();
    if !extra.is_empty() {
        return Err(ApiError::bad_request(format!(
            "extra/unused query parameters in request: {}",
            extra.join(",")
        )));
    }
    Ok(())
}

/// Only Watchman's algorithms, and only Watchman's answer format.
fn check_algorithm_and_format(p: &SearchParams) -> ApiResult<()> {
    let algorithm = p.algorithm.trim().to_lowercase();
    if !algorithm.is_empty() && !ALGORITHMS.contains(&algorithm.as_str()) {
        return Err(ApiError::bad_request(format!(
            "unknown algorithm: {algorithm}"
        )));
    }
    let format = p.format.trim().to_lowercase();
    if !format.is_empty() && format != "watchman" {
        return Err(ApiError::bad_request(format!(
            "format {format:?} is not served: only watchman"
        )));
    }
    Ok(())
}

/// Watchman's `debug`: a yes or no, or a threshold in `0..=1` (which
/// means yes).
fn debug_flag(debug: &str) -> ApiResult<bool> {
    let debug = debug.trim().to_lowercase();
    Ok(match debug.as_str() {
        "" | "false" | "0" | "no" | "off" | "f" => false,
        "yes" | "true" | "1" | "t" | "on" => true,
        _ => match debug.parse::<f32>() {
            Ok(x) if (0.0..=1.0).contains(&x) => true,
            Ok(x) if x.is_nan() => return Err(ApiError::bad_request("invalid debug threshold")),
            Ok(_) if debug.contains('.') => {
                return Err(ApiError::bad_request(
                    "debug threshold must be between 0.0 and 1.0",
                ));
            }
            _ => return Err(ApiError::bad_request("invalid debug value")),
        },
    })
}

/// A vessel's tonnages, when given, are whole numbers.
fn check_vessel_numbers(p: &SearchParams, kind: &str) -> ApiResult<()> {
    for (k, v) in [
        ("tonnage", &p.tonnage),
        ("grossRegisteredTonnage", &p.gross_registered_tonnage),
    ] {
        if kind == "vessel" && !v.trim().is_empty() && v.trim().parse::<i64>().is_err() {
            return Err(ApiError::bad_request(format!(
                "problem reading v2 search request: reading vessel {k}: invalid number {v:?}"
            )));
        }
    }
    Ok(())
}

/// The `gov_*` identifiers, each `country:id` or `id`.
fn government_ids(all: &BTreeMap<String, Vec<String>>) -> Vec<Identifier> {
    let mut government_ids = Vec::new();
    for (k, vs) in all {
        let Some(kind) = k.strip_prefix("gov_") else {
            continue;
        };
        for v in vs {
            let (country, id) = v.split_once(':').unwrap_or(("", v.as_str()));
            government_ids.push(Identifier {
                kind: kind.to_string(),
                value: id.trim().to_string(),
                country: (!country.trim().is_empty()).then(|| country.trim().to_string()),
            });
        }
    }
    government_ids
}

/// What is screened: the names (`name`, then `altNames`, each once), a
/// person's date of birth, the government identifiers and the type's own
/// (IMO number, call sign...). A request with neither a name nor an
/// identifier is refused.
fn probe(
    p: &SearchParams,
    kind: &str,
    entity_type: Option<EntityType>,
    government_ids: &[Identifier],
) -> ApiResult<Probe> {
    let mut probe = Probe {
        entity_type,
        ..Probe::default()
    };
    check_name("name", &p.name)?;
    for n in std::iter::once(&p.name).chain(p.alt_names.iter()) {
        check_name("altNames", n)?;
        let n = n.trim().to_string();
        if !n.is_empty() && !probe.names.contains(&n) {
            probe.names.push(n);
        }
    }
    if kind == "person" {
        // Watchman drops a date it cannot read.
        probe.date_of_birth = BirthDate::parse_input(p.birth_date.trim()).ok();
    }
    probe.identifiers = government_ids.to_vec();
    for (k, v) in [
        ("imoNumber", &p.imo_number),
        ("mmsi", &p.mmsi),
        ("callSign", &p.call_sign),
        ("icaoCode", &p.icao_code),
        ("serialNumber", &p.serial_number),
    ] {
        if type_params(kind).contains(&k) && !v.trim().is_empty() {
            probe.identifiers.push(Identifier {
                kind: k.to_string(),
                value: v.trim().to_string(),
                country: None,
            });
        }
    }
    if probe.names.is_empty() && probe.identifiers.is_empty() {
        return Err(ApiError::bad_request(
            "problem reading v2 search request: give a name (or altNames, gov_*, imoNumber...)",
        ));
    }
    Ok(probe)
}

/// An integer parameter (already checked), else 0.
fn int(v: &str) -> i64 {
    v.trim().parse().unwrap_or(0)
}

/// The request as Watchman echoes it: an entity of the type asked, with
/// every field the request gave (dates as RFC 3339).
fn query_entity(s: &Search) -> wm::Entity {
    let p = &s.params;
    let name = s.probe.names.first().cloned().unwrap_or_default();
    let alt: Vec<String> = s.probe.names.iter().skip(1).cloned().collect();
    let person = s.params.kind.eq_ignore_ascii_case("person");
    let ids: Vec<wm::GovernmentId> = (s.government_ids.iter())
        .map(|i| wm::GovernmentId::of(i, person))
        .collect();
    let kind = p.kind.trim().to_lowercase();
    let flag = crate::countries::iso2(&p.flag)
        .map(str::to_string)
        .unwrap_or_else(|| p.flag.trim().to_string());
    let mut e = wm::Entity {
        name: name.clone(),
        entity_type: match kind.as_str() {
            "person" => "person",
            "business" => "business",
            "organization" => "organization",
            "vessel" => "vessel",
            "aircraft" => "aircraft",
            _ => "unknown",
        },
        ..wm::Entity::default()
    };
    match kind.as_str() {
        "person" => {
            e.person = Some(wm::Person {
                name,
                alt_names: alt,
                gender: gender(&p.gender),
                birth_date: rfc3339_param(&p.birth_date),
                death_date: rfc3339_param(&p.death_date),
                titles: p.titles.clone(),
                government_ids: ids,
                ..wm::Person::default()
            })
        }
        "business" | "organization" => {
            let b = wm::Business {
                name,
                alt_names: alt,
                created: rfc3339_param(&p.created),
                dissolved: rfc3339_param(&p.dissolved),
                government_ids: ids,
            };
            if kind == "business" {
                e.business = Some(b);
            } else {
                e.organization = Some(b);
            }
        }
        "vessel" => {
            e.vessel = Some(wm::Vessel {
                name,
                alt_names: alt,
                imo_number: p.imo_number.trim().to_string(),
                kind: p.vessel_type.trim().to_string(),
                flag,
                built: rfc3339_param(&p.built),
                model: p.model.trim().to_string(),
                tonnage: int(&p.tonnage),
                mmsi: p.mmsi.trim().to_string(),
                call_sign: p.call_sign.trim().to_string(),
                gross_registered_tonnage: int(&p.gross_registered_tonnage),
                owner: p.owner.trim().to_string(),
            })
        }
        "aircraft" => {
            e.aircraft = Some(wm::Aircraft {
                name,
                alt_names: alt,
                kind: p.aircraft_type.trim().to_string(),
                flag,
                built: rfc3339_param(&p.built),
                icao_code: p.icao_code.trim().to_string(),
                model: p.model.trim().to_string(),
                serial_number: p.serial_number.trim().to_string(),
            })
        }
        _ => {}
    }
    e
}

/// `GET /v2/search`: the listed entries near the party described, best first.
pub async fn search(
    State(app): State<Arc<App>>,
    RawQuery(query): RawQuery,
    budget: Budget,
) -> ApiResult<Json<wm::SearchResponse>> {
    let s = parse(query.as_deref())?;
    let loaded = app.lists.current();
    if let Some(unknown) = s.sources.iter().find(|src| {
        !loaded
            .datasets
            .iter()
            .any(|d| d.name == **src || watchman_source(&d.name) == src.as_str())
    }) {
        let mut known: Vec<&str> = loaded
            .datasets
            .iter()
            .map(|d| watchman_source(&d.name))
            .collect();
        known.dedup();
        return Err(ApiError::bad_request(format!(
            "source {unknown:?} is not loaded: the sources are {}",
            known.join(", ")
        )));
    }
    let threshold = s.min_match.max(MIN_MATCH_FLOOR);
    let names = s.probe.names.len();
    let (l, worker) = (Arc::clone(&loaded), Arc::clone(&app));
    let probe = s.probe.clone();
    let hits = http::compute(names, move || {
        screen_probe(&l, &worker, threshold, &probe, &budget)
    })
    .await?;
    let source_id = s.params.source_id.trim();
    // Each hit as the entry of its party in an asked source (the party's
    // representative may be on another list).
    let in_source = |e: u32| {
        let ds = loaded.dataset_of(e);
        s.sources.is_empty()
            || s.sources
                .iter()
                .any(|src| src == ds || src == watchman_source(ds))
    };
    let idx = &loaded.index;
    let entities: Vec<wm::SearchedEntity> = hits
        .into_iter()
        .filter_map(|h| {
            let group = &idx.groups[idx.entity_group[h.entity as usize] as usize];
            let shown = std::iter::once(h.entity)
                .chain(group.members.iter().copied())
                .find(|&m| in_source(m))?;
            let e = &idx.entities[shown as usize];
            (source_id.is_empty() || e.id.split_once(':').is_some_and(|(_, x)| x == source_id))
                .then_some((shown, h))
        })
        .take(s.limit)
        .map(|(shown, h)| {
            let pieces: Vec<wm::ScorePiece> = h
                .hit
                .explanation
                .pairs
                .iter()
                .map(|p| wm::ScorePiece {
                    score: f64::from(p.similarity),
                    weight: f64::from(p.weight),
                    matched: true,
                    required: false,
                    exact: p.similarity >= 1.0,
                    fields_compared: 1,
                    piece_type: format!("name {}", p.in_words()),
                })
                .collect();
            let debug = s.debug.then(|| {
                let d = wm::Debug {
                    why: &h.hit.why,
                    explanation: &h.hit.explanation,
                };
                crate::report::html::base64(&serde_json::to_vec(&d).unwrap_or_default())
            });
            wm::SearchedEntity {
                entity: watchman_entity(&loaded, shown),
                score: h.hit.score,
                details: wm::SimilarityScore {
                    pieces,
                    final_score: h.hit.score,
                    why: h.hit.why.clone(),
                    matched_name: h.hit.matched_name.clone(),
                    hit: h.hit,
                },
                debug,
            }
        })
        .collect();
    Ok(Json(wm::SearchResponse {
        query: query_entity(&s),
        // Watchman answers null, not [], when nothing matched.
        entities: (!entities.is_empty()).then_some(entities),
    }))
}

/// `GET /v2/listinfo`: entries per source list, a hash of each source's
/// files, when the lists were loaded, and the tool's version.
pub async fn listinfo(State(app): State<Arc<App>>) -> Json<wm::ListInfo> {
    let loaded = app.lists.current();
    let mut lists: BTreeMap<String, usize> = BTreeMap::new();
    let mut files: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (i, e) in loaded.index.entities.iter().enumerate() {
        let source = watchman_source(loaded.dataset_of(i as u32));
        *lists.entry(source.to_string()).or_default() += 1;
        let f = files.entry(source).or_default();
        if !f.contains(&&*e.source.file) {
            f.push(&*e.source.file);
        }
    }
    let list_hashes: BTreeMap<String, String> = files
        .into_iter()
        .map(|(source, paths)| {
            let mut shas: Vec<&str> = loaded
                .files
                .iter()
                .filter(|f| paths.contains(&f.path.as_str()))
                .map(|f| f.sha256.as_str())
                .collect();
            shas.sort_unstable();
            (
                source.to_string(),
                crate::lists::sha256_hex(shas.join(" ").as_bytes()),
            )
        })
        .collect();
    Json(wm::ListInfo {
        lists,
        list_hashes,
        started_at: loaded.started_at.clone(),
        ended_at: loaded.loaded_at.clone(),
        version: env!("CARGO_PKG_VERSION"),
    })
}
