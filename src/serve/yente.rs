//! yente's API (OpenSanctions' screening server), so that its clients
//! switch by changing a URL: `POST /match/{dataset}` (batches of example
//! entities), `GET /search/{dataset}`, `GET /entities/{id}`, `GET /catalog`,
//! `GET /algorithms`, `GET /healthz`, `GET /readyz`. Requests and answers
//! are the types of `yente_api.rs`, after yente 5.5.0's models; errors are
//! `{"detail": ...}` (400 for a request yente refuses, or a filter this
//! server cannot apply; 422 for a body that does not say what it must).
//! Unlike FastAPI, an unknown query parameter is a 400: a misspelt filter
//! must not be ignored.
//!
//! Each query's names are screened by the same [`super::screen_probe`] as
//! `screen`'s rows; a result carries yente's fields and, under `hit`, the
//! hit as `screen --format json` reports it (list, programs, severity,
//! structured explanation, decision).

use super::http::{self, ApiError, ApiResult, Budget, Params, check_name, check_score};
use super::state::Loaded;
use super::views::{country_codes, entity_response, is_schema, schema_type, topics};
use super::yente_api::*;
use super::{App, Probe, ProbeHit, screen_probe};
use crate::model::{BirthDate, Identifier};
use axum::Json;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;

/// This matcher's name, as `/algorithms` lists it.
pub const ALGORITHM: &str = "sanctions-v1";
/// yente's algorithm names (yente 5.5.0's, nomenklatura's older ones, and
/// `name-matcher`, which yente-client's documentation names), accepted so
/// that their clients run unchanged; each is answered by this matcher
/// (`/algorithms` says so).
const YENTE_ALGORITHMS: [&str; 11] = [
    "best",
    "logic-v1",
    "logic-v2",
    "name-based",
    "name-qualified",
    "ofac",
    "er-unstable",
    "regression-v1",
    "regression-v2",
    "randomforest-v1",
    "name-matcher",
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

/// The options of one `/match` request, checked.
struct MatchOptions {
    limit: usize,
    threshold: f32,
    cutoff: f32,
    filters: Filters,
    exclude_entity_ids: Vec<String>,
}

/// What a result must be to be answered: the filters of `/match` and
/// `/search` that this server applies.
#[derive(Default)]
struct Filters {
    include_dataset: Vec<String>,
    exclude_dataset: Vec<String>,
    exclude_schema: Vec<String>,
    /// Any of (or, with `all`, each of) these topics.
    topics: Vec<String>,
    /// Any of (each of) these countries, ISO codes in lower case.
    countries: Vec<String>,
    /// Any of (each of) these datasets.
    datasets: Vec<String>,
    /// Only this schema.
    schema: Option<String>,
    /// `changed_since`'s day, `YYYY-MM-DD`.
    changed_since: Option<String>,
    /// `filter_op=AND`.
    all: bool,
    /// `target=false`: no entry (every entry is a target).
    no_targets: bool,
}

impl Filters {
    /// Does entity `e` pass?
    fn pass(&self, loaded: &Loaded, e: u32) -> bool {
        let entity = &loaded.index.entities[e as usize];
        let ds = loaded.dataset_of(e);
        let some = |wanted: &[String], has: &dyn Fn(&str) -> bool| {
            wanted.is_empty()
                || if self.all {
                    wanted.iter().all(|w| has(w))
                } else {
                    wanted.iter().any(|w| has(w))
                }
        };
        if self.no_targets
            || (!self.include_dataset.is_empty() && !self.include_dataset.iter().any(|d| d == ds))
            || self.exclude_dataset.iter().any(|d| d == ds)
            || self
                .exclude_schema
                .iter()
                .any(|s| is_schema(entity.entity_type, s))
            || self
                .schema
                .as_deref()
                .is_some_and(|s| !is_schema(entity.entity_type, s))
            || self
                .changed_since
                .as_deref()
                .is_some_and(|since| loaded.entity_date(e) < since)
        {
            return false;
        }
        let entity_topics = topics(entity);
        if !some(&self.topics, &|t| entity_topics.contains(&t)) {
            return false;
        }
        if !some(&self.datasets, &|d| d == ds) {
            return false;
        }
        if !self.countries.is_empty() {
            let mut codes = country_codes(&entity.countries);
            codes.extend(country_codes(&entity.nationalities));
            if !some(&self.countries, &|c| codes.iter().any(|x| x == c)) {
                return false;
            }
        }
        true
    }
}

/// yente's `changed_since` (a date, or a date and time): its day.
fn changed_since(v: Option<&str>) -> ApiResult<Option<String>> {
    let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let day = v.get(..10).unwrap_or("");
    let b = day.as_bytes();
    let ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !ok {
        return Err(ApiError::unprocessable(format!(
            "changed_since: not a date (YYYY-MM-DD, optionally with a time): {v:?}"
        )));
    }
    Ok(Some(day.to_string()))
}

/// Country filters as lower-case ISO codes; a value that is no country is a 400.
fn country_filter(values: &[String]) -> ApiResult<Vec<String>> {
    values
        .iter()
        .map(|c| {
            crate::countries::iso2(c)
                .map(str::to_lowercase)
                .ok_or_else(|| ApiError::bad_request(format!("countries: not a country: {c:?}")))
        })
        .collect()
}

impl MatchOptions {
    fn read(app: &App, p: MatchParams) -> ApiResult<MatchOptions> {
        if let Some(a) = &p.algorithm {
            check_algorithm(a)?;
        }
        let limit = p.limit.unwrap_or(app.limit.max(1));
        if limit > MAX_MATCHES {
            return Err(ApiError::unprocessable(format!(
                "limit: must be at most {MAX_MATCHES}, got {limit}"
            )));
        }
        if p.exclude_entity_ids.len() > MAX_EXCLUDED {
            return Err(ApiError::unprocessable(format!(
                "exclude_entity_ids: at most {MAX_EXCLUDED}, got {}",
                p.exclude_entity_ids.len()
            )));
        }
        let threshold = check_score("threshold", p.threshold.unwrap_or(app.threshold))?;
        // yente: the cutoff defaults to the threshold and never exceeds it.
        let cutoff = match p.cutoff {
            Some(c) => check_score("cutoff", c)?.min(threshold),
            None => threshold,
        };
        Ok(MatchOptions {
            limit,
            threshold,
            cutoff,
            filters: Filters {
                include_dataset: p.include_dataset,
                exclude_dataset: p.exclude_dataset,
                exclude_schema: p.exclude_schema,
                topics: p.topics,
                changed_since: changed_since(p.changed_since.as_deref())?,
                ..Filters::default()
            },
            exclude_entity_ids: p.exclude_entity_ids,
        })
    }
}

/// One example entity of a `/match` body, read.
struct Example {
    echo: ExampleEcho,
    probe: Probe,
}

impl Example {
    /// Read one query: values that are no date or country are dropped
    /// from those properties, as FollowTheMoney cleans them; a name over
    /// the length limit is a 400.
    fn read(key: &str, q: EntityExample) -> ApiResult<Example> {
        let entity_type = schema_type(&q.schema)
            .map_err(|e| ApiError::bad_request(format!("Cannot parse example entity: {e}")))?;
        let mut properties: BTreeMap<String, Vec<String>> = q
            .properties
            .iter()
            .map(|(k, v)| (k.clone(), v.texts()))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let mut probe = Probe {
            entity_type,
            ..Probe::default()
        };
        for prop in NAME_PROPS {
            for n in properties.get(prop).into_iter().flatten() {
                check_name(&format!("queries.{key}.properties.{prop}"), n)?;
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
                let joined = parts.join(" ");
                check_name(&format!("queries.{key}.properties"), &joined)?;
                probe.names.push(joined);
            }
        }
        if let Some(dates) = properties.get_mut("birthDate") {
            dates.retain(|d| BirthDate::parse_input(d).is_ok());
            probe.date_of_birth = dates.first().and_then(|d| BirthDate::parse_input(d).ok());
        }
        for prop in COUNTRY_PROPS {
            if let Some(vs) = properties.get_mut(prop) {
                *vs = country_codes(vs);
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
            echo: ExampleEcho {
                id: q.id,
                schema: q.schema,
                properties,
            },
            probe,
        })
    }
}

/// Read a `/match` body: `{"queries": {...}, "weights": {}, "config": {}}`.
/// Not JSON is a 400, JSON of the wrong shape a 422 naming the field.
fn read_body(bytes: &[u8]) -> ApiResult<Vec<(String, Example)>> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let body: MatchBody = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                ApiError::unprocessable(format!("{path}: {inner}"))
            }
            _ => ApiError::bad_request(format!("the request body is not JSON: {inner}")),
        }
    })?;
    if body.queries.len() > MAX_BATCH {
        return Err(ApiError::bad_request(format!(
            "Too many queries in one batch (limit: {MAX_BATCH})"
        )));
    }
    let mut out = Vec::new();
    for (key, q) in body.queries {
        if let Some(q) = q {
            let ex = Example::read(&key, q)?;
            out.push((key, ex));
        }
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
fn result(loaded: &Loaded, h: &ProbeHit, shown: u32, threshold: f32) -> ScoredEntityResponse {
    let score = h.hit.score;
    let mut explanations = BTreeMap::new();
    explanations.insert(
        "name",
        FeatureResult {
            detail: Some(h.hit.why.clone()),
            score,
            query: Some(h.query.clone()),
            candidate: Some(h.hit.matched_name.clone()),
        },
    );
    if let Some(id) = &h.hit.explanation.identifier {
        explanations.insert(
            "identifier",
            FeatureResult {
                detail: Some(id.clone()),
                score: 1.0,
                query: None,
                candidate: None,
            },
        );
    }
    ScoredEntityResponse {
        entity: entity_response(loaded, shown),
        score,
        is_match: score >= crate::report::report_score(threshold),
        explanations,
        features: BTreeMap::from([("name", score)]),
        hit: h.hit.clone(),
    }
}

/// Answer one example against the lists.
fn answer(
    loaded: &Loaded,
    app: &App,
    o: &MatchOptions,
    dataset: Option<u16>,
    ex: &Example,
    budget: &Budget,
) -> ApiResult<EntityMatches> {
    let hits = screen_probe(loaded, app, o.cutoff, &ex.probe, budget)?;
    let mut results = Vec::new();
    let mut total = 0usize;
    let cutoff = crate::report::report_score(o.cutoff);
    let threshold = crate::report::report_score(o.threshold);
    for h in &hits {
        if h.hit.score < cutoff {
            continue;
        }
        let Some(shown) = shown_in(loaded, h, dataset) else {
            continue;
        };
        let e = &loaded.index.entities[shown as usize];
        if !o.filters.pass(loaded, shown) || o.exclude_entity_ids.contains(&e.id) {
            continue;
        }
        if h.hit.score >= threshold {
            total += 1;
        }
        if results.len() < o.limit {
            results.push(result(loaded, h, shown, o.threshold));
        }
    }
    Ok(EntityMatches {
        status: 200,
        results,
        total: TotalSpec::exact(total),
        query: ex.echo.clone(),
    })
}

/// `POST /match/{dataset}`: score each example entity of the batch.
pub async fn match_entities(
    State(app): State<Arc<App>>,
    Path(dataset): Path<String>,
    Params(params): Params<MatchParams>,
    budget: Budget,
    body: Body,
) -> ApiResult<Response> {
    let options = MatchOptions::read(&app, params)?;
    let bytes = http::body_bytes(body, app.max_body).await?;
    let examples = read_body(&bytes)?;
    let loaded = app.lists.current();
    let dataset = loaded.dataset(&dataset).map_err(ApiError::not_found)?;
    let names: usize = examples
        .iter()
        .map(|(_, e)| e.probe.names.len().max(1))
        .sum();
    let limit = options.limit;
    let worker = Arc::clone(&app);
    let responses = http::compute(names, move || {
        examples
            .par_iter()
            .map(|(k, ex)| {
                answer(&loaded, &worker, &options, dataset, ex, &budget).map(|a| (k.clone(), a))
            })
            .collect::<ApiResult<BTreeMap<String, EntityMatches>>>()
    })
    .await?;
    let n = responses.len();
    let mut r = Json(MatchResponse { responses, limit }).into_response();
    r.headers_mut()
        .insert("x-batch-size", HeaderValue::from(n as u64));
    Ok(r)
}

/// The facets `/search` counts.
const FACETS: [&str; 4] = ["datasets", "schema", "countries", "topics"];

/// Read `/search`'s filters; one this server cannot apply is a 400 naming it.
fn search_filters(p: &SearchParams, schema: &str) -> ApiResult<Filters> {
    if !p.sort.is_empty() {
        return Err(ApiError::bad_request(format!(
            "sort is not supported: results are by score (by id without q); got {:?}",
            p.sort
        )));
    }
    let all = match p
        .filter_op
        .as_deref()
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        None | Some("OR") => false,
        Some("AND") => true,
        Some(other) => {
            return Err(ApiError::unprocessable(format!(
                "filter_op: OR or AND, got {other:?}"
            )));
        }
    };
    let mut f = Filters {
        include_dataset: p.include_dataset.clone(),
        exclude_dataset: p.exclude_dataset.clone(),
        exclude_schema: p.exclude_schema.clone(),
        topics: p.topics.clone(),
        countries: country_filter(&p.countries)?,
        datasets: p.datasets.clone(),
        schema: Some(schema.to_string()),
        changed_since: changed_since(p.changed_since.as_deref())?,
        all,
        no_targets: p.target == Some(false),
    };
    for flt in &p.filter {
        let Some((field, value)) = flt.split_once(':') else {
            return Err(ApiError::bad_request(format!("Invalid filter: {flt:?}")));
        };
        match field {
            "countries" => f.countries.extend(country_filter(&[value.to_string()])?),
            "topics" => f.topics.push(value.to_string()),
            "datasets" => f.datasets.push(value.to_string()),
            "schema" => {
                schema_type(value).map_err(|_| ApiError::bad_request("Invalid schema"))?;
                f.schema = Some(value.to_string());
            }
            other => {
                return Err(ApiError::bad_request(format!(
                    "filter on {other:?} is not supported: only countries, topics, datasets and schema can be filtered"
                )));
            }
        }
    }
    Ok(f)
}

/// `GET /search/{dataset}?q=`: the entries whose names are near `q`, best
/// first (every entry of the dataset, by id, without `q`), filtered, with
/// the facets asked for counted.
pub async fn search(
    State(app): State<Arc<App>>,
    Path(dataset): Path<String>,
    Params(p): Params<SearchParams>,
    budget: Budget,
) -> ApiResult<Json<SearchResponse>> {
    let limit = p.limit.unwrap_or(SEARCH_PAGE);
    let offset = p.offset.unwrap_or(0);
    if limit > MAX_PAGE || offset > MAX_OFFSET {
        return Err(ApiError::unprocessable(format!(
            "limit must be at most {MAX_PAGE} and offset at most {MAX_OFFSET}"
        )));
    }
    let schema = p.schema.clone().unwrap_or_else(|| "Thing".to_string());
    schema_type(&schema).map_err(|_| ApiError::bad_request("Invalid schema"))?;
    check_name("q", &p.q)?;
    let facets: Vec<String> = if p.facets.is_empty() {
        vec!["datasets".to_string()]
    } else {
        p.facets.clone()
    };
    if let Some(f) = facets.iter().find(|f| !FACETS.contains(&f.as_str())) {
        return Err(ApiError::bad_request(format!(
            "facet {f:?} is not counted here: {}",
            FACETS.join(", ")
        )));
    }
    let filters = search_filters(&p, &schema)?;
    let loaded = app.lists.current();
    let dataset = loaded.dataset(&dataset).map_err(ApiError::not_found)?;
    let in_scope = |e: u32| {
        dataset.is_none_or(|d| loaded.entity_dataset[e as usize] == d) && filters.pass(&loaded, e)
    };
    let found: Vec<(u32, Option<f64>)> = if p.q.trim().is_empty() {
        (0..loaded.index.entities.len() as u32)
            .filter(|&e| in_scope(e))
            .map(|e| (e, None))
            .collect()
    } else {
        let probe = Probe {
            names: vec![p.q.clone()],
            ..Probe::default()
        };
        let worker = Arc::clone(&app);
        let l = Arc::clone(&loaded);
        let hits = http::compute(1, move || {
            screen_probe(&l, &worker, SEARCH_THRESHOLD, &probe, &budget)
        })
        .await?;
        hits.iter()
            .filter_map(|h| shown_in(&loaded, h, dataset).map(|s| (s, Some(h.hit.score))))
            .filter(|(e, _)| in_scope(*e))
            .collect()
    };
    let mut counted: BTreeMap<String, SearchFacet> = BTreeMap::new();
    for facet in &facets {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for (e, _) in &found {
            let entity = &loaded.index.entities[*e as usize];
            let values: Vec<String> = match facet.as_str() {
                "datasets" => vec![loaded.dataset_of(*e).to_string()],
                "schema" => vec![super::views::ftm_schema(entity.entity_type).to_string()],
                "countries" => {
                    let mut c = country_codes(&entity.countries);
                    for n in country_codes(&entity.nationalities) {
                        if !c.contains(&n) {
                            c.push(n);
                        }
                    }
                    c
                }
                _ => topics(entity).iter().map(|t| t.to_string()).collect(),
            };
            for v in values {
                *counts.entry(v).or_default() += 1;
            }
        }
        let label = match facet.as_str() {
            "datasets" => "Data sources",
            "schema" => "Types",
            "countries" => "Countries",
            _ => "Topics",
        };
        counted.insert(
            facet.clone(),
            SearchFacet {
                label: label.to_string(),
                values: counts
                    .into_iter()
                    .map(|(name, count)| SearchFacetItem {
                        label: name.clone(),
                        name,
                        count,
                    })
                    .collect(),
            },
        );
    }
    let results: Vec<SearchResult> = found
        .iter()
        .skip(offset)
        .take(limit)
        .map(|&(e, score)| SearchResult {
            entity: entity_response(&loaded, e),
            score,
        })
        .collect();
    Ok(Json(SearchResponse {
        limit,
        offset,
        total: TotalSpec::exact(found.len()),
        results,
        facets: counted,
    }))
}

/// `GET /entities/{id}`: one listed entry. The id is the rest of the path,
/// `/` and all (Marble does not escape Canadian ids' slashes).
pub async fn entity(
    State(app): State<Arc<App>>,
    id: Result<Path<String>, PathRejection>,
    Params(p): Params<EntityParams>,
) -> ApiResult<Json<EntityResponse>> {
    if let Some(a) = &p.algorithm {
        check_algorithm(a)?;
    }
    let Path(id) = id.map_err(|e| ApiError::bad_request(format!("entity id: {e}")))?;
    let loaded = app.lists.current();
    match loaded.by_id.get(id.as_str()) {
        Some(&e) => Ok(Json(entity_response(&loaded, e))),
        None => Err(ApiError::not_found("No such entity!")),
    }
}

/// `GET /catalog`: the loaded lists as yente's datasets: one per id prefix,
/// and `default` holding them all, with every list file's provenance (its
/// name, never its path).
pub async fn catalog(State(app): State<Arc<App>>) -> Json<Catalog> {
    let loaded = app.lists.current();
    let dataset = |name: &str, title: &str, entities: usize, children: Vec<String>| DatasetModel {
        name: name.to_string(),
        title: title.to_string(),
        summary: None,
        url: None,
        version: loaded.version.clone(),
        load: true,
        entities_url: None,
        namespace: false,
        index_version: loaded.version.clone(),
        index_current: true,
        children,
        entity_count: entities,
        files: None,
    };
    let mut datasets = vec![DatasetModel {
        files: Some(loaded.files.clone()),
        ..dataset(
            "default",
            "Every loaded list",
            loaded.index.entities.len(),
            loaded.datasets.iter().map(|d| d.name.clone()).collect(),
        )
    }];
    for d in &loaded.datasets {
        datasets.push(dataset(&d.name, &d.title, d.entities, Vec::new()));
    }
    let current: Vec<String> = std::iter::once("default".to_string())
        .chain(loaded.datasets.iter().map(|d| d.name.clone()))
        .collect();
    Json(Catalog {
        datasets,
        current,
        outdated: Vec::new(),
        index_stale: false,
    })
}

/// `GET /algorithms`: this matcher, under its name; yente's names are
/// accepted and answered by it.
pub async fn algorithms() -> Json<AlgorithmResponse> {
    let description = format!(
        "Token-set alignment weighted by word rarity, with transliteration, phonetic and typo rules, and date of birth, country and type as evidence (the matcher of `sanctions screen`). yente's names ({}) are accepted and answered by this matcher.",
        YENTE_ALGORITHMS.join(", ")
    );
    Json(AlgorithmResponse {
        algorithms: vec![Algorithm {
            name: ALGORITHM.to_string(),
            description: Some(description.clone()),
            features: BTreeMap::new(),
            docs: AlgorithmDocs {
                name: ALGORITHM.to_string(),
                description: Some(description),
                config: BTreeMap::new(),
                features: BTreeMap::new(),
            },
        }],
        default: ALGORITHM.to_string(),
        best: ALGORITHM.to_string(),
    })
}

/// `GET /healthz`: the process answers.
pub async fn healthz() -> Json<StatusResponse> {
    Json(StatusResponse { status: "ok" })
}

/// `GET /readyz`: the lists served (generation, when loaded, counts), and
/// the last failed reload, if the one after it has not succeeded.
pub async fn readyz(State(app): State<Arc<App>>) -> Json<Readiness> {
    let loaded = app.lists.current();
    let status = app.lists.status();
    Json(Readiness {
        status: "ok",
        generation: loaded.generation,
        loaded_at: loaded.loaded_at.clone(),
        load_seconds: loaded.load_seconds,
        entities: loaded.index.entities.len(),
        names: loaded.index.name_count(),
        files: loaded.files.len(),
        bundled_sample_lists: loaded.bundled,
        reloads: status.reloads,
        last_reload_error: status.last_error,
        last_reload_error_at: status.last_error_at,
    })
}
