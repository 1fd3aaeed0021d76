//! The peers' own contracts, as the serve tests check every answer against
//! them: Watchman's `docs/api.yaml` and yente's OpenAPI document, committed
//! as published under `tests/contracts/` (their README says where from).
//! An answer is looked up by method, path and status (`default`, else the
//! API's error schema, when the status is not listed), and validated with
//! the `jsonschema` crate, formats (`date-time`) included.
//!
//! [`DEVIATIONS`] is the one place that says where this server's answers
//! must differ from a contract, and why; each is applied to the contract
//! before validation, by name, and nothing else is relaxed.

use serde_json::{Value, json};
use std::sync::OnceLock;

/// Where this server's answers differ from the peers' contracts, and why.
pub const DEVIATIONS: [(&str, &str, &str); 3] = [
    (
        "watchman-null",
        "Watchman: an object, list or date-time field may be null",
        "Go's encoding/json writes a nil pointer, slice or *time.Time as null, and Watchman \
         answers so itself (`entities: null` when nothing matched, `person: null` on a \
         business); Watchman's Go client reads null. The spec (OpenAPI 3.0) omits `nullable`.",
    ),
    (
        "yente-422",
        "yente: a 422's `detail` is a string (the message), not FastAPI's list of ValidationError",
        "both APIs answer errors in one shape, {status, detail, error}; FastAPI's list names \
         pydantic's locations, which this server does not have. A client reads the status.",
    ),
    (
        "yente-extra-paths",
        "this tool's own endpoints (/v1/screen, /v1/reload) and answers to paths no API \
         serves are checked against the error schema only",
        "they are neither yente's nor Watchman's; their 4xx and 5xx answers carry both \
         `detail` (yente) and `error` (Watchman).",
    ),
];

/// Which API a path is of.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Api {
    Yente,
    Watchman,
    Own,
}

fn api_of(path: &str) -> Api {
    if path.starts_with("/v2/") {
        Api::Watchman
    } else if path.starts_with("/v1/") {
        Api::Own
    } else {
        Api::Yente
    }
}

fn contracts() -> &'static (Value, Value) {
    static DOCS: OnceLock<(Value, Value)> = OnceLock::new();
    DOCS.get_or_init(|| {
        let dir = super::root().join("tests/contracts");
        let yaml = std::fs::read_to_string(dir.join("watchman-api.yaml")).unwrap();
        let mut watchman: Value = serde_yaml::from_str(&yaml).unwrap();
        deviation_watchman_null(&mut watchman);
        let yente: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("yente-openapi.json")).unwrap())
                .unwrap();
        (watchman, yente)
    })
}

/// `watchman-null`: every object, array and date-time schema also admits null.
fn deviation_watchman_null(v: &mut Value) {
    match v {
        Value::Object(m) => {
            // Children first: the `anyOf` made below is not visited again.
            for x in m.values_mut() {
                deviation_watchman_null(x);
            }
            let nullable = match m.get("type").and_then(Value::as_str) {
                Some("object" | "array") => true,
                Some("string") => m.get("format").and_then(Value::as_str) == Some("date-time"),
                _ => false,
            };
            if nullable {
                let t = m["type"].clone();
                m.insert("type".into(), json!([t, "null"]));
            }
            // A `$ref` (to an object) beside other keywords, or alone.
            if let Some(r) = m.remove("$ref") {
                m.remove("description");
                m.insert("anyOf".into(), json!([{"$ref": r}, {"type": "null"}]));
            }
        }
        Value::Array(xs) => xs.iter_mut().for_each(deviation_watchman_null),
        _ => {}
    }
}

/// Does the path template `t` (`/match/{dataset}`) match `path`? A
/// parameter at the end takes the rest of the path (ids holding `/`).
fn matches(t: &str, path: &str) -> bool {
    let ts: Vec<&str> = t.split('/').collect();
    let ps: Vec<&str> = path.split('/').collect();
    if ps.len() < ts.len() {
        return false;
    }
    let last_param = ts.last().is_some_and(|s| s.starts_with('{'));
    if ps.len() > ts.len() && !last_param {
        return false;
    }
    ts.iter()
        .zip(&ps)
        .all(|(t, p)| t.starts_with('{') || t == p)
}

/// The schema of an answer: the contract's for its path, method and
/// status, else the API's error schema for a 4xx or 5xx, else none.
pub fn schema_of(method: &str, path: &str, status: u16) -> Option<Value> {
    let (watchman, yente) = contracts();
    let api = api_of(path);
    let doc = match api {
        Api::Watchman => watchman,
        _ => yente,
    };
    let path = path.split('?').next().unwrap_or(path);
    let error = || json!({"$ref": "#/components/schemas/ErrorResponse"});
    let wrap = |schema: Value| json!({"allOf": [schema], "components": doc["components"]});
    if api == Api::Own {
        // `yente-extra-paths`.
        return (status >= 400).then(|| wrap(error()));
    }
    let op = doc["paths"].as_object().and_then(|paths| {
        // The longest template first: `/entities/{id}/adjacent` before `/entities/{id}`.
        let mut ts: Vec<&String> = paths.keys().filter(|t| matches(t, path)).collect();
        ts.sort_by_key(|t| std::cmp::Reverse(t.split('/').count()));
        ts.first().map(|t| &paths[*t][method.to_lowercase()])
    });
    let responses = op.map(|o| &o["responses"]);
    let listed = responses.and_then(|r| {
        r.get(status.to_string())
            .or_else(|| r.get("default"))
            .and_then(|r| r["content"]["application/json"].get("schema"))
            .cloned()
    });
    let schema = match listed {
        // `yente-422`.
        Some(_) if api == Api::Yente && status == 422 => Some(error()),
        Some(s) => Some(s),
        None if status >= 400 => Some(error()),
        None => None,
    }?;
    Some(wrap(schema))
}

/// Panic, saying where, unless `body` is valid against its contract.
pub fn check(method: &str, path: &str, status: u16, body: &Value) {
    let Some(schema) = schema_of(method, path, status) else {
        return;
    };
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{method} {path}: the contract does not compile: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(body)
        .take(5)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{method} {path} ({status}) breaks its contract:\n{}\nbody: {}",
        errors.join("\n"),
        &body.to_string()[..body.to_string().len().min(3000)]
    );
}
