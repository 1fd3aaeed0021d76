//! yente's API (OpenSanctions' screening server), so that its clients
//! switch by changing a URL: `POST /match/{dataset}` (batches of example
//! entities), `GET /search/{dataset}`, `GET /entities/{id}`, `GET /catalog`,
//! `GET /algorithms`, `GET /healthz`, `GET /readyz`. Field names follow
//! yente's models (`yente/data/common.py`) and router
//! (`yente/routers/match.py`): errors are `{"detail": ...}` (400 for a
//! request yente refuses, 422 for a body that does not say what it must),
//! unknown query parameters are ignored, as FastAPI does.
//!
//! Each query's names are screened by the same [`super::screen_probe`] as
//! `screen`'s rows; a result carries yente's fields and, under `hit`, the
//! hit as `screen --format json` reports it (list, programs, severity,
//! structured explanation, decision).

use super::http::{self, ApiError, ApiResult, parse_param, parse_score, query_pairs};
use super::state::Loaded;
use super::views::{entity_response, is_schema, schema_type};
use super::{App, Probe, ProbeHit, screen_probe};
use crate::model::{BirthDate, Identifier};
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rayon::prelude::*;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;

/// This matcher's name, as `/algorithms` lists it.
pub const ALGORITHM: &str = "sanctions-v1";
/// yente's algorithm names, accepted so that their clients run unchanged;
/// each is answered by this matcher (`/algorithms` says so).
const YENTE_ALGORITHMS: [&str; 8] = [
    "best",
    "logic-v1",
    "logic-v2",
    "name-based",
    "name-qualified",
    "regression-v1",
    "regression-v2",
    "randomforest-v1",
];
/// Queries in one `/match` request at most (yente's `MAX_BATCH`).
pub const MAX_BATCH: usize = 100;
/// Results per query at most (yente's `MAX_MATCHES`).
const MAX_MATCHES: usize = 500;
/// `exclude_entity_ids` at most (yente's limit).
const MAX_EXCLUDED: usize = 50;
/// `/search` page size by default and at most, and its offset at most.
const SEARCH_PAGE: usize = 10;
const MAX_PAGE: usize = 500;
const MAX_OFFSET: usize = 9_499;
/// `/search` reports names scoring at least this: looser than a screening
/// threshold, since a person searching wants near names too.
const SEARCH_THRESHOLD: f32 = 0.6;

/// The FollowTheMoney properties read as names, identifiers and countries.
const NAME_PROPS: [&str; 4] = ["name", "alias", "previousName", "weakAlias"];
const NAME_PART_PROPS: [&str; 6] = [
    "firstName",
    "secondName",
    "middleName",
    "fatherName",
    "lastName",
    "title",
];
const ID_PROPS: [&str; 15] = [
    "idNumber",
    "registrationNumber",
    "passportNumber",
    "taxNumber",
    "innCode",
    "ogrnCode",
    "okpoCode",
    "leiCode",
    "isin",
    "isinCode",
    "imoNumber",
    "mmsi",
    "swiftBic",
    "vatCode",
    "ticker",
];
const COUNTRY_PROPS: [&str; 5] = [
    "nationality",
    "citizenship",
    "country",
    "jurisdiction",
    "mainCountry",
];

/// Is `name` an algorithm this server answers?
fn check_algorithm(name: &str) -> ApiResult<()> {
    let n = name.trim().to_lowercase();
    if n == ALGORITHM || YENTE_ALGORITHMS.contains(&n.as_str()) {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!("Invalid algorithm: {name}")))
    }
}

/// The options of one `/match` request.
struct MatchParams {
    limit: usize,
    threshold: f32,
    cutoff: f32,
    include_dataset: Vec<String>,
    exclude_dataset: Vec<String>,
    exclude_schema: Vec<String>,
    exclude_entity_ids: Vec<String>,
}

impl MatchParams {
    fn parse(app: &App, query: Option<&str>) -> ApiResult<MatchParams> {
        let mut p = MatchParams {
            limit: app.limit.max(1),
            threshold: app.threshold,
            cutoff: f32::NAN,
            include_dataset: Vec::new(),
            exclude_dataset: Vec::new(),
            exclude_schema: Vec::new(),
            exclude_entity_ids: Vec::new(),
        };
        for (k, v) in query_pairs(query)? {
            match k.as_str() {
                "limit" => p.limit = parse_param(&k, &v)?,
                "threshold" => p.threshold = parse_score(&k, &v)?,
                "cutoff" => p.cutoff = parse_score(&k, &v)?,
                "algorithm" => check_algorithm(&v)?,
                "include_dataset" => p.include_dataset.push(v),
                "exclude_dataset" => p.exclude_dataset.push(v),
                "exclude_schema" => p.exclude_schema.push(v),
                "exclude_entity_ids" => p.exclude_entity_ids.push(v),
                // yente (FastAPI) ignores parameters it does not know.
                _ => {}
            }
        }
        if p.limit == 0 || p.limit > MAX_MATCHES {
            return Err(ApiError::unprocessable(format!(
                "limit: must be between 1 and {MAX_MATCHES}, got {}",
                p.limit
            )));
        }
        if p.exclude_entity_ids.len() > MAX_EXCLUDED {
            return Err(ApiError::unprocessable(format!(
                "exclude_entity_ids: at most {MAX_EXCLUDED}, got {}",
                p.exclude_entity_ids.len()
            )));
        }
        // yente: the cutoff defaults to the threshold and never exceeds it.
        p.cutoff = if p.cutoff.is_nan() {
            p.threshold
        } else {
            p.cutoff.min(p.threshold)
        };
        Ok(p)
    }
}

/// One example entity of a `/match` body, read.
struct Example {
    id: Option<String>,
    schema: String,
    /// The properties as cleaned (what `query` echoes).
    properties: BTreeMap<String, Vec<String>>,
    probe: Probe,
}

/// A property's values: a string, or an array of strings and numbers.
fn values(key: &str, prop: &str, v: &Value) -> ApiResult<Vec<String>> {
    let one = |x: &Value| match x {
        Value::String(s) => Ok(s.trim().to_string()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(ApiError::unprocessable(format!(
            "queries.{key}.properties.{prop}: values must be strings"
        ))),
    };
    let out: Vec<String> = match v {
        Value::Array(xs) => xs.iter().map(one).collect::<ApiResult<_>>()?,
        Value::Null => Vec::new(),
        x => vec![one(x)?],
    };
    Ok(out.into_iter().filter(|s| !s.is_empty()).collect())
}

impl Example {
    /// Read one query: `schema` is required, `properties` an object of
    /// string or string-array values; values that are no date or country
    /// are dropped from those properties, as FollowTheMoney cleans them.
    fn parse(key: &str, q: &Value) -> ApiResult<Example> {
        let Value::Object(q) = q else {
            return Err(ApiError::unprocessable(format!(
                "queries.{key}: must be an object with schema and properties"
            )));
        };
        let schema = match q.get("schema") {
            Some(Value::String(s)) => s.clone(),
            Some(_) => {
                return Err(ApiError::unprocessable(format!(
                    "queries.{key}.schema: must be a string"
                )));
            }
            None => {
                return Err(ApiError::unprocessable(format!(
                    "queries.{key}.schema: field required"
                )));
            }
        };
        let entity_type = schema_type(&schema)
            .map_err(|e| ApiError::bad_request(format!("Cannot parse example entity: {e}")))?;
        let id = match q.get("id") {
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        };
        let mut properties: BTreeMap<String, Vec<String>> = BTreeMap::new();
        match q.get("properties") {
            Some(Value::Object(props)) => {
                for (prop, v) in props {
                    let vs = values(key, prop, v)?;
                    if !vs.is_empty() {
                        properties.insert(prop.clone(), vs);
                    }
                }
            }
            None | Some(Value::Null) => {}
            Some(_) => {
                return Err(ApiError::unprocessable(format!(
                    "queries.{key}.properties: must be an object"
                )));
            }
        }
        let mut probe = Probe {
            entity_type,
            ..Probe::default()
        };
        for prop in NAME_PROPS {
            for n in properties.get(prop).into_iter().flatten() {
                if !probe.names.contains(n) {
                    probe.names.push(n.clone());
                }
            }
        }
        if probe.names.is_empty() {
            let parts: Vec<&str> = NAME_PART_PROPS
                .iter()
                .filter(|p| **p != "title")
                .flat_map(|p| properties.get(*p).into_iter().flatten())
                .map(String::as_str)
                .collect();
            if !parts.is_empty() {
                probe.names.push(parts.join(" "));
            }
        }
        if let Some(dates) = properties.get_mut("birthDate") {
            dates.retain(|d| BirthDate::parse_input(d).is_ok());
            probe.date_of_birth = dates.first().and_then(|d| BirthDate::parse_input(d).ok());
        }
        for prop in COUNTRY_PROPS {
            if let Some(vs) = properties.get_mut(prop) {
                let codes: Vec<String> = vs
                    .iter()
                    .filter_map(|c| crate::countries::iso2(c))
                    .map(str::to_lowercase)
                    .collect();
                *vs = codes;
                if probe.country.is_none() {
                    probe.country = vs.first().map(|c| c.to_uppercase());
                }
            }
        }
        for prop in ID_PROPS {
            for v in properties.get(prop).into_iter().flatten() {
                probe.identifiers.push(Identifier {
                    kind: prop.to_string(),
                    value: v.clone(),
                    country: None,
                });
            }
        }
        properties.retain(|_, v| !v.is_empty());
        Ok(Example {
            id,
            schema,
            properties,
            probe,
        })
    }

    fn echo(&self) -> Value {
        json!({"id": self.id, "schema": self.schema, "properties": self.properties})
    }
}

/// Read a `/match` body: `{"queries": {...}, "weights": {}, "config": {}}`.
fn parse_body(bytes: &[u8]) -> ApiResult<Vec<(String, Example)>> {
    let body: Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::bad_request(format!("the request body is not JSON: {e}")))?;
    let Value::Object(body) = body else {
        return Err(ApiError::unprocessable(
            "the request body must be an object with queries",
        ));
    };
    for field in ["config", "weights"] {
        match body.get(field) {
            None | Some(Value::Null) => {}
            Some(Value::Object(m)) => {
                if let Some(k) = m.keys().next() {
                    return Err(ApiError::bad_request(format!(
                        "Invalid {} parameter: {k} for algorithm {ALGORITHM} (it takes none)",
                        if field == "config" {
                            "configuration"
                        } else {
                            "weight"
                        }
                    )));
                }
            }
            Some(_) => {
                return Err(ApiError::unprocessable(format!(
                    "{field}: must be an object"
                )));
            }
        }
    }
    let queries = match body.get("queries") {
        Some(Value::Object(q)) => q,
        Some(_) => return Err(ApiError::unprocessable("queries: must be an object")),
        None => return Err(ApiError::unprocessable("queries: field required")),
    };
    if queries.len() > MAX_BATCH {
        return Err(ApiError::bad_request(format!(
            "Too many queries in one batch (limit: {MAX_BATCH})"
        )));
    }
    let mut out = Vec::new();
    for (key, q) in queries {
        if q.is_null() {
            continue;
        }
        out.push((key.clone(), Example::parse(key, q)?));
    }
    if out.is_empty() {
        return Err(ApiError::bad_request("No queries provided."));
    }
    Ok(out)
}

/// The entity a hit is shown as in `dataset` (`None`: any): the party's
/// representative, else the first entry of its group in the dataset.
fn shown_in(loaded: &Loaded, h: &ProbeHit, dataset: Option<u16>) -> Option<u32> {
    let Some(d) = dataset else {
        return Some(h.entity);
    };
    let idx = &loaded.index;
    let group = &idx.groups[idx.entity_group[h.entity as usize] as usize];
    std::iter::once(h.entity)
        .chain(group.members.iter().copied())
        .find(|&m| loaded.entity_dataset[m as usize] == d)
}

/// One scored result: the entity, its score against the threshold, the
/// explanation in yente's shape, and the hit as `screen` reports it.
fn result(loaded: &Loaded, h: &ProbeHit, shown: u32, threshold: f32) -> Value {
    let mut r = entity_response(loaded, shown);
    let score = h.hit.score;
    let mut explanations = Map::new();
    explanations.insert(
        "name".to_string(),
        json!({"detail": h.hit.why, "score": score, "query": h.query, "candidate": h.hit.matched_name}),
    );
    if let Some(id) = &h.hit.explanation.identifier {
        explanations.insert(
            "identifier".to_string(),
            json!({"detail": id, "score": 1.0, "query": null, "candidate": null}),
        );
    }
    if let Value::Object(m) = &mut r {
        m.insert("score".into(), json!(score));
        m.insert(
            "match".into(),
            json!(score >= crate::report::report_score(threshold)),
        );
        m.insert("explanations".into(), Value::Object(explanations));
        // yente's older clients read `features` (name to score).
        m.insert("features".into(), json!({"name": score}));
        m.insert("hit".into(), json!(h.hit));
    }
    r
}

/// Answer one example against the lists.
fn answer(
    loaded: &Loaded,
    app: &App,
    p: &MatchParams,
    dataset: Option<u16>,
    ex: &Example,
) -> Value {
    let hits = screen_probe(loaded, app, p.cutoff, &ex.probe);
    let mut results = Vec::new();
    let mut total = 0usize;
    let cutoff = crate::report::report_score(p.cutoff);
    let threshold = crate::report::report_score(p.threshold);
    for h in &hits {
        if h.hit.score < cutoff {
            continue;
        }
        let Some(shown) = shown_in(loaded, h, dataset) else {
            continue;
        };
        let e = &loaded.index.entities[shown as usize];
        let ds = loaded.dataset_of(shown);
        if (!p.include_dataset.is_empty() && !p.include_dataset.iter().any(|d| d == ds))
            || p.exclude_dataset.iter().any(|d| d == ds)
            || p.exclude_schema.iter().any(|s| is_schema(e.entity_type, s))
            || p.exclude_entity_ids.contains(&e.id)
        {
            continue;
        }
        if h.hit.score >= threshold {
            total += 1;
        }
        if results.len() < p.limit {
            results.push(result(loaded, h, shown, p.threshold));
        }
    }
    json!({
        "status": 200,
        "results": results,
        "total": {"value": total, "relation": "eq"},
        "query": ex.echo(),
    })
}

/// `POST /match/{dataset}`: score each example entity of the batch.
pub async fn match_entities(
    State(app): State<Arc<App>>,
    Path(dataset): Path<String>,
    RawQuery(query): RawQuery,
    body: Body,
) -> ApiResult<Response> {
    let params = MatchParams::parse(&app, query.as_deref())?;
    let bytes = http::body_bytes(body, app.max_body).await?;
    let examples = parse_body(&bytes)?;
    let loaded = app.lists.current();
    let dataset = loaded.dataset(&dataset).map_err(ApiError::not_found)?;
    let names: usize = examples.iter().map(|(_, e)| e.probe.names.len()).sum();
    let limit = params.limit;
    let worker = Arc::clone(&app);
    let responses = http::compute(names, move || {
        let answered: Vec<(String, Value)> = examples
            .par_iter()
            .map(|(k, ex)| (k.clone(), answer(&loaded, &worker, &params, dataset, ex)))
            .collect();
        Ok(answered.into_iter().collect::<Map<String, Value>>())
    })
    .await?;
    let n = responses.len();
    let mut r = Json(json!({"responses": responses, "limit": limit})).into_response();
    r.headers_mut()
        .insert("x-batch-size", HeaderValue::from(n as u64));
    Ok(r)
}

/// `GET /search/{dataset}?q=`: the entries whose names are near `q`, best
/// first (every entry of the dataset, by id, without `q`).
pub async fn search(
    State(app): State<Arc<App>>,
    Path(dataset): Path<String>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<Value>> {
    let (mut q, mut limit, mut offset, mut schema) =
        (String::new(), SEARCH_PAGE, 0usize, "Thing".to_string());
    for (k, v) in query_pairs(query.as_deref())? {
        match k.as_str() {
            "q" => q = v,
            "limit" => limit = parse_param(&k, &v)?,
            "offset" => offset = parse_param(&k, &v)?,
            "schema" => schema = v,
            _ => {}
        }
    }
    if limit > MAX_PAGE || offset > MAX_OFFSET {
        return Err(ApiError::unprocessable(format!(
            "limit must be at most {MAX_PAGE} and offset at most {MAX_OFFSET}"
        )));
    }
    schema_type(&schema).map_err(|_| ApiError::bad_request("Invalid schema"))?;
    let loaded = app.lists.current();
    let dataset = loaded.dataset(&dataset).map_err(ApiError::not_found)?;
    let in_scope = |e: u32| {
        dataset.is_none_or(|d| loaded.entity_dataset[e as usize] == d)
            && is_schema(loaded.index.entities[e as usize].entity_type, &schema)
    };
    let found: Vec<(u32, Option<f64>)> = if q.trim().is_empty() {
        (0..loaded.index.entities.len() as u32)
            .filter(|&e| in_scope(e))
            .map(|e| (e, None))
            .collect()
    } else {
        let probe = Probe {
            names: vec![q.clone()],
            ..Probe::default()
        };
        let worker = Arc::clone(&app);
        let l = Arc::clone(&loaded);
        let hits = http::compute(1, move || {
            Ok(screen_probe(&l, &worker, SEARCH_THRESHOLD, &probe))
        })
        .await?;
        hits.iter()
            .filter_map(|h| shown_in(&loaded, h, dataset).map(|s| (s, Some(h.hit.score))))
            .filter(|(e, _)| in_scope(*e))
            .collect()
    };
    let mut by_dataset: BTreeMap<&str, usize> = BTreeMap::new();
    for (e, _) in &found {
        *by_dataset.entry(loaded.dataset_of(*e)).or_default() += 1;
    }
    let results: Vec<Value> = found
        .iter()
        .skip(offset)
        .take(limit)
        .map(|&(e, score)| {
            let mut r = entity_response(&loaded, e);
            if let (Some(s), Value::Object(m)) = (score, &mut r) {
                m.insert("score".into(), json!(s));
            }
            r
        })
        .collect();
    let values: Vec<Value> = by_dataset
        .iter()
        .map(|(name, count)| json!({"name": name, "label": name, "count": count}))
        .collect();
    Ok(Json(json!({
        "limit": limit,
        "offset": offset,
        "total": {"value": found.len(), "relation": "eq"},
        "results": results,
        "facets": {"datasets": {"label": "Data sources", "values": values}},
    })))
}

/// `GET /entities/{id}`: one listed entry.
pub async fn entity(State(app): State<Arc<App>>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let loaded = app.lists.current();
    match loaded.by_id.get(id.as_str()) {
        Some(&e) => Ok(Json(entity_response(&loaded, e))),
        None => Err(ApiError::not_found("No such entity!")),
    }
}

/// `GET /catalog`: the loaded lists as yente's datasets: one per id prefix,
/// and `default` holding them all, with every list file's provenance.
pub async fn catalog(State(app): State<Arc<App>>) -> Json<Value> {
    let loaded = app.lists.current();
    let version = format!("{}-{}", loaded.generation, loaded.loaded_at);
    let dataset = |name: &str, title: &str, entities: usize, children: Vec<&str>| {
        json!({
            "name": name, "title": title, "summary": null, "url": null,
            "version": version, "load": true, "entities_url": null,
            "namespace": false, "index_version": version, "index_current": true,
            "children": children, "entity_count": entities,
        })
    };
    let mut datasets = vec![dataset(
        "default",
        "Every loaded list",
        loaded.index.entities.len(),
        loaded.datasets.iter().map(|d| d.name.as_str()).collect(),
    )];
    if let Value::Object(m) = &mut datasets[0] {
        m.insert("files".into(), json!(loaded.files));
    }
    for d in &loaded.datasets {
        datasets.push(dataset(&d.name, &d.title, d.entities, Vec::new()));
    }
    let current: Vec<&str> = std::iter::once("default")
        .chain(loaded.datasets.iter().map(|d| d.name.as_str()))
        .collect();
    Json(json!({
        "datasets": datasets,
        "current": current,
        "outdated": [],
        "index_stale": false,
    }))
}

/// `GET /algorithms`: this matcher, under its name; yente's names are
/// accepted and answered by it.
pub async fn algorithms() -> Json<Value> {
    let description = format!(
        "Token-set alignment weighted by word rarity, with transliteration, phonetic and typo rules, and date of birth, country and type as evidence (the matcher of `sanctions screen`). yente's names ({}) are accepted and answered by this matcher.",
        YENTE_ALGORITHMS.join(", ")
    );
    Json(json!({
        "algorithms": [{
            "name": ALGORITHM,
            "description": description,
            "features": {},
            "docs": {"name": ALGORITHM, "description": description, "config": {}, "features": {}},
        }],
        "default": ALGORITHM,
        "best": ALGORITHM,
    }))
}

/// `GET /healthz`: the process answers.
pub async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// `GET /readyz`: the lists served (generation, when loaded, counts), and
/// the last failed reload, if the one after it has not succeeded.
pub async fn readyz(State(app): State<Arc<App>>) -> Response {
    let loaded = app.lists.current();
    let status = app.lists.status();
    let body = json!({
        "status": "ok",
        "generation": loaded.generation,
        "loaded_at": loaded.loaded_at,
        "load_seconds": loaded.load_seconds,
        "entities": loaded.index.entities.len(),
        "names": loaded.index.name_count(),
        "files": loaded.files.len(),
        "bundled_sample_lists": loaded.bundled,
        "reloads": status.reloads,
        "last_reload_error": status.last_error,
        "last_reload_error_at": status.last_error_at,
    });
    (StatusCode::OK, Json(body)).into_response()
}
