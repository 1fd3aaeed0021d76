//! moov-io Watchman's v2 API, so that its clients switch by changing a
//! URL: `GET /v2/search` (one party by query parameters) and
//! `GET /v2/listinfo`. As in Watchman (`internal/search/api_search.go`,
//! `docs/api.yaml`), a parameter the search does not read (an unknown one,
//! or one of another type's: `birthDate` without `type=person`) is a 400
//! `{"error": "extra/unused query parameters in request: k1,k2"}`; `limit`
//! defaults to 10 and is held to 100; `minMatch` defaults to 0.
//!
//! The hits are the same [`super::screen_probe`]'s as `screen`'s and
//! `/match`'s; `match` is the same score. One difference: this matcher
//! scores names that only share a word low, so a `minMatch` under
//! [`MIN_MATCH_FLOOR`] is answered as that floor (Watchman's Jaro-Winkler
//! gives unrelated names 0.6 and more; this matcher's scores under 0.5 are
//! not matches of any kind).

use super::http::{self, ApiError, ApiResult, query_pairs};
use super::views::{watchman_entity, watchman_source};
use super::{App, Probe, screen_probe};
use crate::model::{BirthDate, EntityType, Identifier};
use axum::Json;
use axum::extract::{RawQuery, State};
use serde_json::{Value, json};
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
    kind: String,
    probe: Probe,
    limit: usize,
    min_match: f32,
    /// Only hits on these entries' ids (Watchman's `debugSourceIDs` aside,
    /// `sourceID` asks for one entry).
    source_id: Option<String>,
}

/// Read `/v2/search`'s parameters, Watchman's way.
fn parse(query: Option<&str>) -> ApiResult<Search> {
    let pairs = query_pairs(query)?;
    let mut all: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in pairs {
        all.entry(k).or_default().push(v);
    }
    let first = |k: &str| {
        all.get(k)
            .and_then(|v| v.first())
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let kind = first("type").to_lowercase();
    let entity_type = match kind.as_str() {
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
    };
    // Every parameter must be read for this type (Watchman's unused check).
    let used = |k: &str| {
        COMMON.contains(&k)
            || COMMON_MORE.contains(&k)
            || type_params(&kind).contains(&k)
            || (k.starts_with("gov_")
                && matches!(kind.as_str(), "person" | "business" | "organization"))
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
    let algorithm = first("algorithm").to_lowercase();
    if !algorithm.is_empty() && !ALGORITHMS.contains(&algorithm.as_str()) {
        return Err(ApiError::bad_request(format!(
            "unknown algorithm: {algorithm}"
        )));
    }
    let format = first("format").to_lowercase();
    if !format.is_empty() && format != "watchman" {
        return Err(ApiError::bad_request(format!(
            "format {format:?} is not served: only watchman"
        )));
    }
    let debug = first("debug");
    if !debug.is_empty()
        && !matches!(
            debug.to_lowercase().as_str(),
            "yes" | "true" | "1" | "t" | "false" | "0" | "no" | "off"
        )
    {
        match debug.parse::<f32>() {
            Ok(x) if (0.0..=1.0).contains(&x) => {}
            Ok(x) if x.is_nan() => return Err(ApiError::bad_request("invalid debug threshold")),
            Ok(_) if debug.contains('.') => {
                return Err(ApiError::bad_request(
                    "debug threshold must be between 0.0 and 1.0",
                ));
            }
            _ => return Err(ApiError::bad_request("invalid debug value")),
        }
    }
    for k in ["tonnage", "grossRegisteredTonnage"] {
        let v = first(k);
        if kind == "vessel" && !v.is_empty() && v.parse::<i64>().is_err() {
            return Err(ApiError::bad_request(format!(
                "problem reading v2 search request: reading vessel {k}: invalid number {v:?}"
            )));
        }
    }
    let limit = match first("limit").parse::<i64>() {
        Ok(n) if n > 0 => (n as usize).min(HARD_LIMIT),
        _ => SOFT_LIMIT,
    };
    let min_match = first("minMatch")
        .parse::<f32>()
        .ok()
        .filter(|x| x.is_finite())
        .unwrap_or(0.0)
        .clamp(0.0, 1.0);
    let mut probe = Probe {
        entity_type,
        ..Probe::default()
    };
    for n in std::iter::once(first("name")).chain(
        all.get("altNames")
            .into_iter()
            .flatten()
            .map(|s| s.trim().to_string()),
    ) {
        if !n.is_empty() && !probe.names.contains(&n) {
            probe.names.push(n);
        }
    }
    if kind == "person" {
        // Watchman drops a date it cannot read.
        probe.date_of_birth = BirthDate::parse_input(&first("birthDate")).ok();
    }
    for (k, vs) in &all {
        let Some(kind) = k.strip_prefix("gov_") else {
            continue;
        };
        for v in vs {
            let (country, id) = v.split_once(':').unwrap_or(("", v.as_str()));
            probe.identifiers.push(Identifier {
                kind: kind.to_string(),
                value: id.trim().to_string(),
                country: (!country.is_empty()).then(|| country.trim().to_string()),
            });
        }
    }
    for k in ["imoNumber", "mmsi", "callSign", "icaoCode", "serialNumber"] {
        let v = first(k);
        if type_params(&kind).contains(&k) && !v.is_empty() {
            probe.identifiers.push(Identifier {
                kind: k.to_string(),
                value: v,
                country: None,
            });
        }
    }
    if probe.names.is_empty() && probe.identifiers.is_empty() {
        return Err(ApiError::bad_request(
            "problem reading v2 search request: give a name (or altNames, gov_*, imoNumber...)",
        ));
    }
    let source_id = Some(first("sourceID")).filter(|s| !s.is_empty());
    Ok(Search {
        kind,
        probe,
        limit,
        min_match,
        source_id,
    })
}

/// The request as Watchman echoes it: an entity of the type asked.
fn query_entity(s: &Search) -> Value {
    let name = s.probe.names.first().cloned().unwrap_or_default();
    let alt: Vec<&String> = s.probe.names.iter().skip(1).collect();
    let ids: Vec<Value> = s
        .probe
        .identifiers
        .iter()
        .map(|i| json!({"type": i.kind, "country": i.country.as_deref().unwrap_or(""), "identifier": i.value}))
        .collect();
    let mut e = json!({
        "name": name, "entityType": s.kind, "sourceList": "", "sourceID": "",
        "person": null, "business": null, "organization": null, "aircraft": null, "vessel": null,
        "contact": {"emailAddresses": null, "phoneNumbers": null, "faxNumbers": null, "websites": null},
        "addresses": null, "cryptoAddresses": null, "affiliations": null, "sanctionsInfo": null,
        "historicalInfo": null, "sourceData": null,
    });
    let sub = match s.kind.as_str() {
        "person" => Some((
            "person",
            json!({"name": name, "altNames": alt, "gender": "", "birthDate":
                s.probe.date_of_birth.as_ref().map(|d| d.raw.clone()), "placeOfBirth": "",
                "deathDate": null, "titles": [], "governmentIDs": ids}),
        )),
        "business" | "organization" => Some((
            if s.kind == "business" {
                "business"
            } else {
                "organization"
            },
            json!({"name": name, "altNames": alt, "created": null, "dissolved": null, "governmentIDs": ids}),
        )),
        "vessel" | "aircraft" => Some((
            if s.kind == "vessel" {
                "vessel"
            } else {
                "aircraft"
            },
            json!({"name": name, "altNames": alt}),
        )),
        _ => None,
    };
    if let (Some((k, v)), Value::Object(m)) = (sub, &mut e) {
        m.insert(k.to_string(), v);
    }
    e
}

/// `GET /v2/search`: the listed entries near the party described, best first.
pub async fn search(
    State(app): State<Arc<App>>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<Value>> {
    let s = parse(query.as_deref())?;
    let loaded = app.lists.current();
    let threshold = s.min_match.max(MIN_MATCH_FLOOR);
    let names = s.probe.names.len();
    let (l, worker) = (Arc::clone(&loaded), Arc::clone(&app));
    let probe = s.probe.clone();
    let hits = http::compute(names, move || {
        Ok(screen_probe(&l, &worker, threshold, &probe))
    })
    .await?;
    let entities: Vec<Value> = hits
        .iter()
        .filter(|h| {
            s.source_id.as_deref().is_none_or(|id| {
                let e = &loaded.index.entities[h.entity as usize];
                e.id.split_once(':').is_some_and(|(_, x)| x == id)
            })
        })
        .take(s.limit)
        .map(|h| {
            let mut e = watchman_entity(&loaded, h.entity);
            let pieces: Vec<Value> = h
                .hit
                .explanation
                .pairs
                .iter()
                .map(|p| {
                    json!({"score": p.similarity, "weight": p.weight, "matched": true,
                        "required": false, "exact": p.similarity >= 1.0, "fieldsCompared": 1,
                        "pieceType": format!("name {}={} ({:?})", p.query, p.listed, p.how).to_lowercase()})
                })
                .collect();
            if let Value::Object(m) = &mut e {
                m.insert("match".into(), json!(h.hit.score));
                m.insert(
                    "details".into(),
                    json!({"pieces": pieces, "finalScore": h.hit.score, "why": h.hit.why,
                        "matchedName": h.hit.matched_name, "hit": h.hit}),
                );
            }
            e
        })
        .collect();
    Ok(Json(json!({
        "query": query_entity(&s),
        // Watchman answers null, not [], when nothing matched.
        "entities": if entities.is_empty() { Value::Null } else { Value::Array(entities) },
    })))
}

/// `GET /v2/listinfo`: entries per source list, a hash of each source's
/// files, when the lists were loaded, and the tool's version.
pub async fn listinfo(State(app): State<Arc<App>>) -> Json<Value> {
    let loaded = app.lists.current();
    let mut lists: BTreeMap<&str, usize> = BTreeMap::new();
    let mut files: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (i, e) in loaded.index.entities.iter().enumerate() {
        let source = watchman_source(loaded.dataset_of(i as u32));
        *lists.entry(source).or_default() += 1;
        let f = files.entry(source).or_default();
        if !f.contains(&e.source.file.as_str()) {
            f.push(e.source.file.as_str());
        }
    }
    let hashes: BTreeMap<&str, String> = files
        .into_iter()
        .map(|(source, paths)| {
            let mut shas: Vec<&str> = loaded
                .files
                .iter()
                .filter(|f| paths.contains(&f.path.as_str()))
                .map(|f| f.sha256.as_str())
                .collect();
            shas.sort_unstable();
            (source, crate::lists::sha256_hex(shas.join(" ").as_bytes()))
        })
        .collect();
    Json(json!({
        "lists": lists,
        "listHashes": hashes,
        "startedAt": loaded.started_at,
        "endedAt": loaded.loaded_at,
        "version": env!("CARGO_PKG_VERSION"),
    }))
}
