//! This tool's own endpoints: `POST /v1/screen` screens a whole input (a
//! CSV file, or a JSON array of rows) and answers the JSON report that
//! `screen --format json` writes of it (run id, list provenance, decisions
//! applied, every row's verdict, counts that reconcile), or with
//! `format=html` the review page of `screen --format html`; `POST /v1/reload`
//! loads the lists again and swaps them in (refused to a cross-site
//! browser request, which cannot carry a token's protection when no token
//! is set).

use super::http::{self, ApiError, ApiResult, Budget, Params, check_score};
use super::{App, state::Loaded};
use crate::config::FailOn;
use crate::input::InputReader;
use crate::matcher::Matcher;
use crate::report::{Format, ReportWriter};
use crate::screening::{self, RunKey, Screener};
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The query parameters of `/v1/screen`; any other is a 400.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct ScreenQuery {
    column: Option<String>,
    threshold: Option<f32>,
    top: Option<usize>,
    input: Option<String>,
    format: Option<String>,
}

/// The options of one `/v1/screen` request.
struct ScreenParams {
    column: String,
    threshold: f32,
    top: usize,
    /// The name the report gives the input (`input` in `run`).
    input: String,
    /// The JSON report, or the HTML review page (`format=html`).
    format: Format,
}

impl ScreenParams {
    fn read(app: &App, q: ScreenQuery) -> ApiResult<ScreenParams> {
        let format = match q.format.as_deref() {
            None | Some("json") => Format::Json,
            Some("html") => Format::Html,
            Some(v) => {
                return Err(ApiError::bad_request(format!(
                    "format {v:?}: /v1/screen answers the JSON report (format=json) \
                     or the HTML review page (format=html)"
                )));
            }
        };
        let p = ScreenParams {
            column: q.column.unwrap_or_else(|| "name".to_string()),
            threshold: check_score("threshold", q.threshold.unwrap_or(app.threshold))?,
            top: q.top.unwrap_or(app.limit),
            input: q.input.unwrap_or_else(|| "<request>".to_string()),
            format,
        };
        if p.threshold > app.block_threshold {
            return Err(ApiError::bad_request(format!(
                "threshold {} is above the server's block threshold {}",
                p.threshold, app.block_threshold
            )));
        }
        Ok(p)
    }
}

/// One row of a JSON body: an object of cells (its keys are columns), or
/// a name.
#[derive(Deserialize)]
#[serde(untagged)]
enum JsonRow {
    Name(String),
    Cells(std::collections::BTreeMap<String, Cell>),
}

/// A cell: text, a number or a boolean (written out), or null (empty).
/// Arrays and objects are no cell.
#[derive(Deserialize)]
#[serde(untagged)]
enum Cell {
    Text(String),
    Number(serde_json::Number),
    Bool(bool),
    Null,
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Null => String::new(),
        }
    }
}

/// A JSON array of rows as the CSV `screen` reads: each row an object (its
/// keys are the columns, in the order first met) or a string (a name).
/// Not JSON is a 400; JSON of another shape a 422 naming the row.
fn json_rows_to_csv(bytes: &[u8], column: &str) -> ApiResult<Vec<u8>> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let rows: Vec<JsonRow> = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => ApiError::unprocessable(format!(
                "a JSON body must be an array of rows (objects of strings, numbers, booleans or nulls; or name strings): {path}: {inner}"
            )),
            _ => ApiError::bad_request(format!("the request body is not JSON: {inner}")),
        }
    })?;
    let mut columns: Vec<String> = Vec::new();
    for r in &rows {
        match r {
            JsonRow::Cells(m) => {
                for k in m.keys() {
                    if !columns.contains(k) {
                        columns.push(k.clone());
                    }
                }
            }
            JsonRow::Name(_) if !columns.iter().any(|c| c == column) => {
                columns.push(column.to_string());
            }
            JsonRow::Name(_) => {}
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| ApiError::bad_request(format!("cannot write the rows: {e}"));
    w.write_record(&columns).map_err(csv_err)?;
    for r in &rows {
        let record: Vec<String> = match r {
            JsonRow::Cells(m) => columns
                .iter()
                .map(|c| m.get(c).map_or_else(String::new, Cell::text))
                .collect(),
            JsonRow::Name(s) => columns
                .iter()
                .map(|c| {
                    if c == column {
                        s.clone()
                    } else {
                        String::new()
                    }
                })
                .collect(),
        };
        w.write_record(&record).map_err(csv_err)?;
    }
    w.into_inner()
        .map_err(|e| ApiError::bad_request(format!("cannot write the rows: {e}")))
}

/// Is the body JSON: by its content type, else by its first character?
fn is_json(headers: &HeaderMap, bytes: &[u8]) -> bool {
    match headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    {
        Some(t) if t.contains("json") => true,
        Some(t) if t.contains("csv") || t.starts_with("text/") => false,
        _ => bytes
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|&b| b == b'['),
    }
}

/// Screen the rows of `csv` and write the JSON report.
fn report_of(
    loaded: &Loaded,
    app: &App,
    p: &ScreenParams,
    csv: Vec<u8>,
    budget: &Budget,
) -> ApiResult<Vec<u8>> {
    let sha256 = crate::lists::sha256_hex(&csv);
    let mut reader = InputReader::new(&p.input, std::io::Cursor::new(csv), &p.column)
        .map_err(|e| ApiError::unprocessable(format!("{e:#}")))?;
    let today = crate::clock::today();
    let key = RunKey {
        threshold: p.threshold,
        block_threshold: app.block_threshold,
        fail_on: FailOn::Review,
        top: p.top,
        column: &p.column,
        input_sha256: &sha256,
        files: &loaded.files,
        decisions: loaded.decisions.as_ref(),
        since: None,
        today,
    };
    let run = key.run_info(&p.input, loaded.bundled, &loaded.index);
    let matcher = Matcher::sharing(&loaded.index, p.threshold, p.top, &loaded.words);
    let stop = || budget.spent();
    let screener = Screener::new(&loaded.index, &matcher, app.block_threshold)
        .with_decisions(loaded.decisions.as_ref())
        .with_today(today)
        .with_stop(&stop);
    let internal = |e: anyhow::Error| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot write the report: {e:#}"),
        )
    };
    let mut writer = ReportWriter::begin(
        Vec::new(),
        p.format,
        &run,
        &loaded.files,
        &loaded.skipped,
        &loaded.warnings,
    )
    .map_err(internal)?;
    let summary = screening::screen_rows(&mut reader, &screener, |r| writer.row(r), |_, _| {})
        .map_err(|e| {
            if budget.spent() {
                budget.error()
            } else {
                ApiError::unprocessable(format!("{e:#}"))
            }
        })?;
    writer.finish(&summary).map_err(internal)
}

/// `POST /v1/screen`: the JSON report of a CSV or JSON array of rows.
pub async fn screen(
    State(app): State<Arc<App>>,
    Params(query): Params<ScreenQuery>,
    budget: Budget,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let params = ScreenParams::read(&app, query)?;
    let bytes = http::body_bytes(body, app.max_body).await?;
    let csv = if is_json(&headers, &bytes) {
        json_rows_to_csv(&bytes, &params.column)?
    } else {
        bytes.to_vec()
    };
    let loaded = app.lists.current();
    let worker = Arc::clone(&app);
    let content_type = match params.format {
        Format::Html => "text/html; charset=utf-8",
        _ => "application/json",
    };
    // Many rows: off the async workers.
    let report = http::compute(2, move || {
        report_of(&loaded, &worker, &params, csv, &budget)
    })
    .await?;
    let mut r = report.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    Ok(r)
}

/// The answer of `POST /v1/reload`.
#[derive(Serialize)]
pub(crate) struct Reloaded {
    status: &'static str,
    generation: u64,
    loaded_at: String,
    load_seconds: f64,
    entities: usize,
    files: Vec<crate::lists::ListFile>,
}

/// Is this a browser's request from another site? It names an `Origin`
/// other than the host it was sent to, or says `Sec-Fetch-Site:
/// cross-site`. A form or `text/plain` body needs no CORS preflight, so
/// such a request reaches the server whatever CORS says.
fn cross_site(headers: &HeaderMap) -> bool {
    let get = |h: header::HeaderName| headers.get(h).and_then(|v| v.to_str().ok());
    if get(header::HeaderName::from_static("sec-fetch-site")).is_some_and(|s| s == "cross-site") {
        return true;
    }
    match (get(header::ORIGIN), get(header::HOST)) {
        (Some(origin), Some(host)) => {
            let origin_host = origin.split_once("://").map_or(origin, |(_, h)| h);
            origin == "null" || !origin_host.eq_ignore_ascii_case(host)
        }
        (Some(_), None) => true,
        _ => false,
    }
}

/// `POST /v1/reload`: load the lists again and swap them in; when that
/// fails the old lists stay served and the answer (500) says why. A
/// cross-site browser request, or a body a browser sends without asking
/// (a form, `text/plain`), is refused (403): without a token, nothing
/// else keeps a web page from making the server reload.
pub async fn reload(State(app): State<Arc<App>>, headers: HeaderMap) -> ApiResult<Json<Reloaded>> {
    let simple_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| {
            let t = t.to_ascii_lowercase();
            t.starts_with("text/plain")
                || t.starts_with("application/x-www-form-urlencoded")
                || t.starts_with("multipart/form-data")
        });
    if cross_site(&headers) || simple_body {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "reload refused: a cross-site request, or a form or text/plain body; send no body or Content-Type: application/json",
        ));
    }
    let worker = Arc::clone(&app);
    let done = tokio::task::spawn_blocking(move || worker.lists.reload("POST /v1/reload"))
        .await
        .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "the reload failed"))?;
    match done {
        Ok(loaded) => Ok(Json(Reloaded {
            status: "ok",
            generation: loaded.generation,
            loaded_at: loaded.loaded_at.clone(),
            load_seconds: loaded.load_seconds,
            entities: loaded.index.entities.len(),
            files: loaded.files.clone(),
        })),
        Err(why) => Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!(
                "reload failed; still serving generation {}: {why}",
                app.lists.current().generation
            ),
        )),
    }
}
