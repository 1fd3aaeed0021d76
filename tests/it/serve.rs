//! `sanctions serve` on 127.0.0.1: requests shaped as yente's and
//! Watchman's documentation shows them, the same score through `screen`,
//! `/match` and `/v2/search`, a 4xx for every malformed body and parameter,
//! and reloads (on request, on a changed file, failing) under load with no
//! failed request. The server is started in this process on a free port;
//! the client is a few lines of HTTP/1.1 over a TCP stream.

use crate::support;

use sanctions::ServeConfig;
use sanctions::serve::start;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use support::contract;
use support::*;

#[test]
fn yente_match_answers_in_yentes_shape() {
    let s = bundled();
    // The request of yente's documentation and tests, with a listed company.
    let a = post_json(
        s.addr,
        "/match/default?algorithm=logic-v2",
        &json!({"queries": {"vv": {"schema": "Company", "properties": {
            "name": ["SenseTime Group Ltd"], "country": "China", "incorporationDate": ["2014"]}}}}),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.header("x-batch-size"), Some("1"));
    let v = a.json();
    assert_eq!(v["limit"], 5);
    let r = &v["responses"]["vv"];
    assert_eq!(r["status"], 200);
    assert_eq!(r["query"]["schema"], "Company");
    assert_eq!(r["query"]["properties"]["country"], json!(["cn"]));
    assert_eq!(r["total"]["relation"], "eq");
    assert!(r["total"]["value"].as_u64().unwrap() >= 1);
    let top = &r["results"][0];
    for field in [
        "id",
        "caption",
        "schema",
        "properties",
        "datasets",
        "score",
        "match",
        "explanations",
    ] {
        assert!(!top[field].is_null(), "result lacks {field}: {top}");
    }
    assert_eq!(top["match"], true);
    assert!(top["caption"].as_str().unwrap().contains("SENSETIME"));
    assert!(
        top["properties"]["program"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "CMIC-EO13959")
    );
    assert!(
        top["explanations"]["name"]["detail"]
            .as_str()
            .unwrap()
            .contains("sensetime")
    );
    // The dataset names of the catalog are the ones results carry.
    let catalog = get(s.addr, "/catalog").json();
    let names: Vec<&str> = catalog["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    for d in top["datasets"].as_array().unwrap() {
        assert!(names.contains(&d.as_str().unwrap()), "{d} not in {names:?}");
    }
    // One dataset: the result is its entry of the party.
    let one = post_json(
        s.addr,
        "/match/csl",
        &yente_query("Company", "SenseTime Group Ltd"),
    )
    .json();
    let id = one["responses"]["q1"]["results"][0]["id"].as_str().unwrap();
    assert!(id.starts_with("csl:"), "{id}");
    // The entity endpoint has it; search finds it.
    let e = get(s.addr, &format!("/entities/{id}"));
    assert_eq!(e.status, 200);
    assert_eq!(e.json()["id"], id);
    let found = get(s.addr, "/search/default?q=sensetime+group").json();
    assert!(found["total"]["value"].as_u64().unwrap() >= 1);
    let algos = get(s.addr, "/algorithms").json();
    assert_eq!(algos["default"], algos["algorithms"][0]["name"]);
}

/// The value at a slash-separated path (a number is an array index).
fn at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('/')
        .try_fold(v, |v, k| match k.parse::<usize>() {
            Ok(i) => v.get(i),
            Err(_) => v.get(k),
        })
}

#[test]
fn the_requests_of_both_apis_documentation_get_their_documented_answers() {
    let s = bundled();
    let text = std::fs::read_to_string(root().join("data/serve/recorded.json")).unwrap();
    let recorded: Value = serde_json::from_str(&text).unwrap();
    let cases = recorded["cases"].as_array().unwrap();
    assert!(cases.len() >= 10);
    for c in cases {
        let path = c["path"].as_str().unwrap();
        let a = match c["method"].as_str().unwrap() {
            "GET" => get(s.addr, path),
            _ => post_json(s.addr, path, &c["body"]),
        };
        let want = c["status"].as_u64().unwrap() as u16;
        assert_eq!(a.status, want, "{path}: {}", a.body);
        let v = a.json();
        for f in c["fields"].as_array().unwrap() {
            let f = f.as_str().unwrap();
            assert!(
                at(&v, f).is_some_and(|x| !x.is_null()),
                "{path}: no {f} in {v}"
            );
        }
        if let Some(name) = c["top_caption_contains"].as_str() {
            let top = at(&v, "responses/q1/results/0/caption")
                .or_else(|| at(&v, "results/0/caption"))
                .or_else(|| at(&v, "entities/0/name"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            assert!(top.contains(name), "{path}: top answer {top:?}, not {name}");
        }
    }
}

#[test]
fn a_batch_answers_every_query_and_a_clean_name_is_clear() {
    let s = bundled();
    let mut queries = serde_json::Map::new();
    for (i, n) in example_names().iter().enumerate() {
        queries.insert(
            format!("q{i}"),
            json!({"schema": "LegalEntity", "properties": {"name": [n]}}),
        );
    }
    queries.insert(
        "clean".into(),
        json!({"schema": "Person", "properties": {"firstName": ["Margaret"], "lastName": ["Oyelaran-Whitcombe"]}}),
    );
    let n = queries.len();
    let v = post_json(
        s.addr,
        "/match/default?limit=2",
        &json!({"queries": queries}),
    )
    .json();
    let responses = v["responses"].as_object().unwrap();
    assert_eq!(responses.len(), n);
    assert_eq!(v["responses"]["clean"]["results"], json!([]));
    assert_eq!(v["responses"]["clean"]["total"]["value"], 0);
    assert!(
        responses
            .values()
            .all(|r| r["results"].as_array().unwrap().len() <= 2)
    );
}

/// `sanctions screen data/examples/names.csv --format json` on the bundled
/// sample (no lists in the environment), as the server below loads them.
fn screen_example() -> Value {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sanctions"))
        .args(["screen", "data/examples/names.csv", "--format", "json"])
        .current_dir(root())
        .env_remove("SANCTIONS_LISTS")
        .env("SANCTIONS_HOME", root().join("target/no-such-home"))
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_same_name_scores_the_same_through_screen_match_and_v2_search() {
    let s = bundled();
    let report = screen_example();
    let mut compared = 0;
    for row in report["results"].as_array().unwrap() {
        let name = row["name"].as_str().unwrap();
        let Some(hit) = row["hits"].as_array().unwrap().first() else {
            continue;
        };
        let (id, score) = (hit["entity_id"].as_str().unwrap(), &hit["score"]);
        let m = post_json(s.addr, "/match/default", &yente_query("LegalEntity", name)).json();
        let top = &m["responses"]["q1"]["results"][0];
        assert_eq!(
            (top["id"].as_str().unwrap(), &top["score"]),
            (id, score),
            "{name}"
        );
        let q: String = name
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect();
        let w = get(s.addr, &format!("/v2/search?name={q}&limit=1")).json();
        let e = &w["entities"][0];
        assert_eq!(&e["match"], score, "{name}");
        assert_eq!(e["sourceData"]["entityID"], id, "{name}");
        compared += 1;
    }
    assert!(compared >= 5, "only {compared} names had hits");
}

#[test]
fn watchman_search_answers_in_watchmans_shape() {
    let s = bundled();
    // As Watchman's documentation calls it (docs/usage-docker.md).
    let a = get(
        s.addr,
        "/v2/search?name=SenseTime+Group&type=business&limit=1&minMatch=0.80",
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let v = a.json();
    assert_eq!(v["query"]["name"], "SenseTime Group");
    assert_eq!(v["query"]["entityType"], "business");
    let e = &v["entities"][0];
    assert_eq!(v["entities"].as_array().unwrap().len(), 1);
    for field in [
        "name",
        "entityType",
        "sourceList",
        "sourceID",
        "match",
        "details",
    ] {
        assert!(!e[field].is_null(), "entity lacks {field}: {e}");
    }
    assert_eq!(e["entityType"], "business");
    assert!(e["match"].as_f64().unwrap() >= 0.8);
    assert!(
        !e["business"]["governmentIDs"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // Nothing near: null entities, as Watchman answers.
    let none = get(s.addr, "/v2/search?name=Zqxv+Wrtyp+Lmnbk").json();
    assert!(none["entities"].is_null(), "{none}");
    let info = get(s.addr, "/v2/listinfo").json();
    assert!(info["lists"]["us_ofac"].as_u64().unwrap() > 0, "{info}");
    assert_eq!(info["listHashes"]["us_ofac"].as_str().unwrap().len(), 64);
}

#[test]
fn every_malformed_request_gets_its_4xx_as_json() {
    let s = start(&ServeConfig {
        max_body: 64 * 1024,
        ..config(Vec::new())
    })
    .unwrap();
    let q = |schema: &str| yente_query(schema, "SenseTime");
    let many: serde_json::Map<String, Value> = (0..101)
        .map(|i| {
            (
                format!("q{i}"),
                json!({"schema": "Person", "properties": {"name": ["x"]}}),
            )
        })
        .collect();
    let big = "x".repeat(70_000);
    let cases: Vec<(&str, String, Vec<u8>, u16)> = vec![
        ("POST", "/match/default".into(), b"{not json".to_vec(), 400),
        ("POST", "/match/default".into(), b"[]".to_vec(), 422),
        ("POST", "/match/default".into(), b"{}".to_vec(), 422),
        ("POST", "/match/default".into(), br#"{"queries": {}}"#.to_vec(), 400),
        ("POST", "/match/default".into(), br#"{"queries": 3}"#.to_vec(), 422),
        ("POST", "/match/default".into(), json!({"queries": many}).to_string().into_bytes(), 400),
        ("POST", "/match/default".into(), br#"{"queries": {"a": {"properties": {}}}}"#.to_vec(), 422),
        ("POST", "/match/default".into(), br#"{"queries": {"a": {"schema": "Person", "properties": {"name": [{"x": 1}]}}}}"#.to_vec(), 422),
        ("POST", "/match/default".into(), q("Spaceship").to_string().into_bytes(), 400),
        ("POST", "/match/default".into(), br#"{"queries": {"a": {"schema": "Person", "properties": {"name": ["x"]}}}, "config": {"nm_number_mismatch": [1]}}"#.to_vec(), 422),
        ("POST", "/match/default".into(), br#"{"queries": {"a": {"schema": "Person", "properties": {"name": ["x"]}}}, "weights": {"name_literal": "high"}}"#.to_vec(), 422),
        ("POST", "/match/nowhere".into(), q("Person").to_string().into_bytes(), 404),
        ("POST", "/match/default?limit=-1".into(), q("Person").to_string().into_bytes(), 400),
        ("POST", "/match/default?topic=sanction".into(), q("Person").to_string().into_bytes(), 400),
        ("POST", "/match/default?changed_since=yesterday".into(), q("Person").to_string().into_bytes(), 422),
        ("POST", "/match/default?limit=501".into(), q("Person").to_string().into_bytes(), 422),
        ("POST", "/match/default?limit=ten".into(), q("Person").to_string().into_bytes(), 400),
        ("POST", "/match/default?threshold=1.5".into(), q("Person").to_string().into_bytes(), 400),
        ("POST", "/match/default?algorithm=neural-net".into(), q("Person").to_string().into_bytes(), 400),
        ("POST", "/match/default?threshold=%ZZ".into(), q("Person").to_string().into_bytes(), 400),
        ("POST", "/match/default".into(), format!(r#"{{"queries": {{"a": {{"schema": "Person", "properties": {{"name": ["{big}"]}}}}}}}}"#).into_bytes(), 413),
        ("POST", "/match/default".into(), q("Person").to_string().replace("SenseTime", &"x".repeat(1_001)).into_bytes(), 400),
        ("GET", "/match/default".into(), Vec::new(), 405),
        ("GET", "/nowhere".into(), Vec::new(), 404),
        ("GET", "/entities/ofac-sdn:0".into(), Vec::new(), 404),
        ("GET", "/entities/%FF".into(), Vec::new(), 400),
        ("GET", "/entities/ofac-sdn:36?nested=maybe".into(), Vec::new(), 400),
        ("GET", "/entities/ofac-sdn:36?colour=red".into(), Vec::new(), 400),
        ("GET", format!("/search/default?q={}", "x".repeat(20_000)), Vec::new(), 414),
        ("GET", format!("/v2/search?name={}", "x".repeat(1_001)), Vec::new(), 400),
        ("GET", format!("/search/default?q={}", "x".repeat(1_001)), Vec::new(), 400),
        ("GET", "/search/default?sort=caption".into(), Vec::new(), 400),
        ("GET", "/search/default?filter=properties.birthDate:1985".into(), Vec::new(), 400),
        ("GET", "/search/default?facets=genders".into(), Vec::new(), 400),
        ("GET", "/search/default?fuzzy=maybe".into(), Vec::new(), 400),
        ("GET", "/search/default?countries=atlantis".into(), Vec::new(), 400),
        ("GET", "/v2/search?name=x&source=nowhere".into(), Vec::new(), 400),
        ("GET", "/search/default?limit=501".into(), Vec::new(), 422),
        ("GET", "/search/default?schema=Spaceship".into(), Vec::new(), 400),
        ("GET", "/v2/search?name=x&unknown=1".into(), Vec::new(), 400),
        ("GET", "/v2/search?name=x&birthDate=1960-01-01".into(), Vec::new(), 400),
        ("GET", "/v2/search?name=x&type=spaceship".into(), Vec::new(), 400),
        ("GET", "/v2/search?name=x&type=vessel&tonnage=big".into(), Vec::new(), 400),
        ("GET", "/v2/search?name=x&debug=maybe".into(), Vec::new(), 400),
        ("GET", "/v2/search?name=x&algorithm=neural-net".into(), Vec::new(), 400),
        ("GET", "/v2/search?type=person".into(), Vec::new(), 400),
        ("POST", "/v1/screen".into(), b"id,company\n1,ACME\n".to_vec(), 422),
        ("POST", "/v1/screen".into(), br#"{"name": "ACME"}"#.to_vec(), 422),
        ("POST", "/v1/screen".into(), br#"[[1, 2]]"#.to_vec(), 422),
        ("POST", "/v1/screen?format=csv".into(), b"name\nACME\n".to_vec(), 400),
        ("POST", "/v1/screen?colour=red".into(), b"name\nACME\n".to_vec(), 400),
    ];
    for (method, path, body, want) in cases {
        let a = request(s.addr, method, &path, &[], &body);
        assert_eq!(a.status, want, "{method} {path}: {}", a.body);
        let v = a.json();
        assert_eq!(v["status"], want, "{method} {path}: {v}");
        let detail = v["detail"].as_str().unwrap_or("");
        assert!(
            !detail.is_empty() && v["error"] == v["detail"],
            "{method} {path}: {v}"
        );
    }
    // Headers over the server's limit: 431, as JSON.
    let huge = "y".repeat(40_000);
    let a = request(s.addr, "GET", "/healthz", &[("X-Padding", &huge)], b"");
    assert_eq!(a.status, 431, "{}", a.body);
    assert_eq!(a.json()["status"], 431);
    // Watchman names the unused parameters, sorted.
    let a = get(s.addr, "/v2/search?name=x&zeta=1&alpha=2");
    assert_eq!(
        a.json()["error"],
        "extra/unused query parameters in request: alpha,zeta"
    );
}

#[test]
fn a_bearer_token_guards_every_endpoint_but_the_health_checks() {
    let s = start(&ServeConfig {
        token: Some("s3cret".into()),
        ..config(Vec::new())
    })
    .unwrap();
    let body = yente_query("Company", "SenseTime").to_string();
    for (auth, want) in [
        (None, 401),
        (Some("Bearer wrong"), 401),
        (Some("Bearer s3cret"), 200),
    ] {
        let headers: Vec<(&str, &str)> = auth.map(|a| ("Authorization", a)).into_iter().collect();
        let a = request(s.addr, "POST", "/match/default", &headers, body.as_bytes());
        assert_eq!(a.status, want, "{auth:?}: {}", a.body);
        if want == 401 {
            assert_eq!(a.header("www-authenticate"), Some("Bearer"));
        }
    }
    assert_eq!(get(s.addr, "/healthz").status, 200);
    assert_eq!(get(s.addr, "/readyz").status, 200);
    assert_eq!(get(s.addr, "/v2/listinfo").status, 401);
}

#[test]
fn v1_screen_answers_the_report_screen_writes() {
    let s = bundled();
    let csv = std::fs::read(root().join("data/examples/names.csv")).unwrap();
    let a = post_csv(s.addr, "/v1/screen", &csv);
    assert_eq!(a.status, 200, "{}", a.body);
    let served = a.json();
    let local = screen_example();
    assert_eq!(served["run"]["run_id"], local["run"]["run_id"]);
    assert_eq!(served["results"], local["results"]);
    assert_eq!(served["summary"], local["summary"]);
    assert_eq!(served["lists"], local["lists"]);
    // The same rows as a JSON array: the same verdicts.
    let rows: Vec<Value> = example_names()
        .iter()
        .enumerate()
        .map(|(i, n)| json!({"id": format!("C-{:03}", i + 1), "name": n}))
        .collect();
    let j = post_json(s.addr, "/v1/screen", &Value::Array(rows)).json();
    let verdicts = |v: &Value| -> Vec<Value> {
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| json!([r["name"], r["verdict"], r["hits"].as_array().unwrap().len()]))
            .collect()
    };
    assert_eq!(verdicts(&j), verdicts(&local));
    // The review page of the same rows: one card per row with hits.
    let page = post_csv(s.addr, "/v1/screen?format=html", &csv);
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(page.body.contains(local["run"]["run_id"].as_str().unwrap()));
    let with_hits = verdicts(&local)
        .iter()
        .filter(|v| v[2].as_u64() != Some(0))
        .count();
    assert_eq!(
        page.body.matches("<article class=\"card").count(),
        with_hits
    );
    let s2 = &j["summary"];
    assert_eq!(
        s2["rows"].as_u64().unwrap(),
        s2["clear"].as_u64().unwrap()
            + s2["potential_matches"].as_u64().unwrap()
            + s2["cleared_by_decision"].as_u64().unwrap()
            + s2["errors"].as_u64().unwrap()
    );
}

/// Requests from `threads` clients until `stop`; counts answers and failures.
fn load(
    addr: SocketAddr,
    threads: usize,
    stop: &Arc<AtomicBool>,
    ok: &Arc<AtomicUsize>,
    failed: &Arc<Mutex<Vec<String>>>,
) -> Vec<std::thread::JoinHandle<()>> {
    (0..threads)
        .map(|t| {
            let (stop, ok, failed) = (Arc::clone(stop), Arc::clone(ok), Arc::clone(failed));
            std::thread::spawn(move || {
                let names = [
                    "SenseTime Group Ltd",
                    "China Mobile Limited",
                    "Acme Widgets",
                ];
                let mut i = t;
                while !stop.load(Ordering::Relaxed) {
                    let body = yente_query("LegalEntity", names[i % names.len()]);
                    let a = post_json(addr, "/match/default", &body);
                    if a.status == 200 && a.json()["responses"]["q1"]["status"] == 200 {
                        ok.fetch_add(1, Ordering::Relaxed);
                    } else {
                        failed
                            .lock()
                            .unwrap()
                            .push(format!("{}: {}", a.status, a.body));
                    }
                    i += 1;
                }
            })
        })
        .collect()
}

use std::sync::Mutex;

fn generation(addr: SocketAddr) -> u64 {
    get(addr, "/readyz").json()["generation"].as_u64().unwrap()
}

#[test]
fn reloads_under_load_lose_no_request_and_a_failed_reload_keeps_the_old_lists() {
    let dir = lists_dir();
    let s = start(&config(vec![dir.path().to_path_buf()])).unwrap();
    let (stop, ok) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicUsize::new(0)),
    );
    let failed = Arc::new(Mutex::new(Vec::new()));
    let clients = load(s.addr, 4, &stop, &ok, &failed);
    std::thread::sleep(Duration::from_millis(200));
    for i in 0..5 {
        let a = request(s.addr, "POST", "/v1/reload", &[], b"");
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.json()["generation"], 2 + i);
        std::thread::sleep(Duration::from_millis(100));
    }
    // A reload that fails (the lists directory gone) keeps serving the old lists.
    let moved = dir.path().with_extension("away");
    std::fs::rename(dir.path(), &moved).unwrap();
    let a = request(s.addr, "POST", "/v1/reload", &[], b"");
    std::fs::rename(&moved, dir.path()).unwrap();
    assert_eq!(a.status, 500, "{}", a.body);
    assert!(
        a.json()["detail"]
            .as_str()
            .unwrap()
            .contains("still serving generation 6")
    );
    let ready = get(s.addr, "/readyz").json();
    assert_eq!(ready["generation"], 6);
    assert!(ready["last_reload_error"].as_str().is_some(), "{ready}");
    std::thread::sleep(Duration::from_millis(200));
    let a = request(s.addr, "POST", "/v1/reload", &[], b"");
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(get(s.addr, "/readyz").json()["last_reload_error"].is_null());
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    let failed = failed.lock().unwrap();
    assert!(
        failed.is_empty(),
        "{} failed: {:?}",
        failed.len(),
        &failed[..failed.len().min(3)]
    );
    assert!(
        ok.load(Ordering::Relaxed) > 20,
        "only {} requests",
        ok.load(Ordering::Relaxed)
    );
}

#[test]
fn a_changed_list_file_is_reloaded_by_the_watcher() {
    let dir = lists_dir();
    let s = start(&ServeConfig {
        watch: Some(Duration::from_millis(200)),
        ..config(vec![dir.path().to_path_buf()])
    })
    .unwrap();
    assert_eq!(generation(s.addr), 1);
    // Rewrite a file with a later modification time.
    std::thread::sleep(Duration::from_millis(1100));
    let f: &Path = &dir.path().join("sdn.csv");
    let bytes = std::fs::read(f).unwrap();
    std::fs::write(f, bytes).unwrap();
    let started = Instant::now();
    while generation(s.addr) == 1 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no reload after the change"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(generation(s.addr), 2);
}

#[test]
fn every_deviation_is_named_once_with_a_reason() {
    let mut names: Vec<&str> = contract::DEVIATIONS.iter().map(|d| d.0).collect();
    names.dedup();
    assert_eq!(names.len(), contract::DEVIATIONS.len());
    assert!(contract::DEVIATIONS.iter().all(|d| d.2.len() > 40));
    let readme = std::fs::read_to_string(root().join("tests/contracts/README.md")).unwrap();
    for (name, _, _) in contract::DEVIATIONS {
        assert!(
            readme.contains(name),
            "tests/contracts/README.md does not list {name}"
        );
    }
}

#[test]
fn the_contracts_compile_and_hold_the_paths_served() {
    for (method, path) in [
        ("POST", "/match/default"),
        ("GET", "/search/default"),
        ("GET", "/entities/ca-sema:Russia/1,Part1/503"),
        ("GET", "/catalog"),
        ("GET", "/algorithms"),
        ("GET", "/healthz"),
        ("GET", "/readyz"),
        ("GET", "/v2/search"),
        ("GET", "/v2/listinfo"),
    ] {
        assert!(
            contract::schema_of(method, path, 200).is_some(),
            "{method} {path}"
        );
    }
}

#[test]
fn the_contract_check_catches_the_answers_issue_29_found() {
    let fails = |path: &str, body: Value| {
        let method = if path.starts_with("/match") {
            "POST"
        } else {
            "GET"
        };
        std::panic::catch_unwind(|| contract::check(method, path, 200, &body)).is_err()
    };
    let person = |birth: &str, id_type: &str| {
        json!({"query": {"name": "x", "entityType": "person", "person": {"name": "x",
            "birthDate": birth, "governmentIDs": [{"type": id_type, "country": "", "identifier": "1"}]}},
            "entities": null})
    };
    assert!(!fails(
        "/v2/search",
        person("1952-10-07T00:00:00Z", "passport")
    ));
    // A date Go's time.Time cannot read, a type outside the enum.
    assert!(fails("/v2/search", person("1952-10-07", "passport")));
    assert!(fails(
        "/v2/search",
        person("1952-10-07T00:00:00Z", "Tax ID No.")
    ));
    // yente: a result that does not say whether it matches.
    assert!(fails(
        "/match/default",
        json!({"limit": 1, "responses": {"q": {"status": 200, "total": {"value": 0},
            "query": {"schema": "Person", "properties": {}},
            "results": [{"id": "a", "caption": "a", "schema": "Person", "properties": {}, "score": 0.9, "explanations": {}}]}}})
    ));
}
