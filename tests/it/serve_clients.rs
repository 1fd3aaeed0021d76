//! The server as the peers' own clients call it (issue 29): Watchman's Go
//! client (RFC 3339 dates, the spec's enums, ISO codes, every query field
//! echoed), yente-client (`ApiKey`), Marble (ids holding `/`, yente's
//! index versions), browsers (CORS), and the filters each API names,
//! applied or refused, never ignored. Every answer is also checked against
//! the peer's contract and for absolute paths (`serve_support`).

use crate::support;

use sanctions::ServeConfig;
use sanctions::serve::start;
use serde_json::{Value, json};
use support::*;

/// Watchman's `governmentIDs[].type` enum (`docs/api.yaml`).
const GOVERNMENT_ID_TYPES: [&str; 17] = [
    "passport",
    "drivers-license",
    "national-id",
    "tax-id",
    "ssn",
    "cedula",
    "curp",
    "cuit",
    "electoral",
    "business-registration",
    "commercial-registry",
    "birth-certificate",
    "refugee-id",
    "diplomatic-passport",
    "personal-id",
    "citizenship",
    "nationality",
];

/// Is `s` a date Go's `time.Time` reads (RFC 3339, as Watchman writes it)?
fn rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    b.len() == 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && b[19] == b'Z'
}

/// Every date of a Watchman entity is RFC 3339 or null, every id type in
/// the enum, every country an ISO code (two capitals) or empty.
fn check_watchman_entity(e: &Value, at: &str) {
    for sub in ["person", "business", "organization", "vessel", "aircraft"] {
        let Some(o) = e[sub].as_object() else {
            continue;
        };
        for date in ["birthDate", "deathDate", "created", "dissolved", "built"] {
            if let Some(d) = o.get(date).filter(|d| !d.is_null()) {
                assert!(rfc3339(d.as_str().unwrap()), "{at}: {sub}.{date} = {d}");
            }
        }
        for id in o
            .get("governmentIDs")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let t = id["type"].as_str().unwrap();
            assert!(GOVERNMENT_ID_TYPES.contains(&t), "{at}: id type {t:?}");
            let c = id["country"].as_str().unwrap();
            assert!(
                c.is_empty() || (c.len() == 2 && c.chars().all(|x| x.is_ascii_uppercase())),
                "{at}: id country {c:?}"
            );
        }
    }
    for a in e["addresses"].as_array().into_iter().flatten() {
        let c = a["country"].as_str().unwrap();
        assert!(
            c.is_empty() || (c.len() == 2 && c.chars().all(|x| x.is_ascii_uppercase())),
            "{at}: address country {c:?}"
        );
    }
}

#[test]
fn a_replay_of_250_names_decodes_as_watchmans_client_needs() {
    let s = bundled();
    // Every listed name, as persons with and without their birth dates,
    // companies and vessels, disguised (word order, case) and plain,
    // until 250 requests.
    let everything = get(s.addr, "/search/default?limit=500").json();
    let mut requests: Vec<String> = Vec::new();
    for r in everything["results"].as_array().unwrap() {
        let name = r["caption"].as_str().unwrap();
        let kind = match r["schema"].as_str().unwrap() {
            "Person" => "person",
            "Vessel" => "vessel",
            "Airplane" => "aircraft",
            _ => "business",
        };
        let reversed: String = name.split(' ').rev().collect::<Vec<_>>().join(" ");
        requests.push(format!("name={}&type={kind}", escape(name)));
        requests.push(format!("name={}", escape(&reversed.to_lowercase())));
        if kind == "person" {
            let born = r["properties"]["birthDate"][0].as_str().unwrap_or("1970");
            requests.push(format!(
                "name={}&type=person&birthDate={born}&gender=female",
                escape(name)
            ));
            requests.push(format!("name={}&type=person&birthDate=1961", escape(name)));
            requests.push(format!(
                "name={}&type=person&birthDate=1961-03",
                escape(&reversed)
            ));
        }
    }
    for (i, n) in example_names().iter().enumerate() {
        requests.push(format!("name={}&type=business", escape(n)));
        requests.push(format!(
            "name={}&type=person&birthDate=19{:02}-0{}-1{}",
            escape(n),
            40 + i,
            1 + i % 9,
            i % 10
        ));
    }
    requests.push(
        "type=vessel&imoNumber=9116412&mmsi=271043655&flag=Iran&built=1997&tonnage=100".into(),
    );
    // Then every listed and example name again as a person born on a day,
    // in a month or in a year, until 250.
    let names: Vec<String> = everything["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["caption"].as_str().unwrap().to_string())
        .chain(example_names())
        .collect();
    let mut i = 0;
    while requests.len() < 250 {
        let born = match i % 3 {
            0 => format!("19{:02}-{:02}-{:02}", 30 + i % 60, 1 + i % 12, 1 + i % 28),
            1 => format!("19{:02}-{:02}", 30 + i % 60, 1 + i % 12),
            _ => format!("19{:02}", 30 + i % 60),
        };
        requests.push(format!(
            "name={}&type=person&birthDate={born}&limit={}",
            escape(&names[i % names.len()]),
            1 + i % 20
        ));
        i += 1;
    }
    requests.truncate(250);
    let (mut with_dates, mut entities) = (0, 0);
    for q in &requests {
        let path = format!("/v2/search?{q}&minMatch=0.5");
        let a = get(s.addr, &path);
        assert_eq!(a.status, 200, "{path}: {}", a.body);
        let v = a.json();
        check_watchman_entity(&v["query"], &path);
        if !v["query"]["person"]["birthDate"].is_null() {
            with_dates += 1;
        }
        for e in v["entities"].as_array().into_iter().flatten() {
            check_watchman_entity(e, &path);
            entities += 1;
        }
    }
    eprintln!(
        "{} requests, {with_dates} with a birth date, {entities} entities answered",
        requests.len()
    );
    assert!(
        with_dates >= 90,
        "only {with_dates} queries with a birth date"
    );
    assert!(entities >= 250, "only {entities} entities answered");
}

#[test]
fn watchman_echoes_the_query_whole_with_rfc3339_dates() {
    let s = bundled();
    let v = get(
        s.addr,
        "/v2/search?name=Vladimir+Putin&type=person&birthDate=1952-10-07&gender=m&titles=President",
    )
    .json();
    let p = &v["query"]["person"];
    assert_eq!(p["birthDate"], "1952-10-07T00:00:00Z");
    assert_eq!(p["gender"], "male");
    assert_eq!(p["titles"], json!(["President"]));
    // A listed birth date of a year alone is the year's first day, not null.
    assert_eq!(
        v["entities"][0]["person"]["birthDate"],
        "1952-10-07T00:00:00Z"
    );
    let v = get(
        s.addr,
        "/v2/search?type=vessel&imoNumber=9116412&mmsi=271043655&callSign=9HA5079&flag=Iran&built=1997&tonnage=1000",
    )
    .json();
    let q = &v["query"]["vessel"];
    assert_eq!(
        (
            &q["imoNumber"],
            &q["mmsi"],
            &q["callSign"],
            &q["flag"],
            &q["built"],
            &q["tonnage"]
        ),
        (
            &json!("9116412"),
            &json!("271043655"),
            &json!("9HA5079"),
            &json!("IR"),
            &json!("1997-01-01T00:00:00Z"),
            &json!(1000)
        )
    );
}

#[test]
fn watchman_fields_keep_to_the_contract() {
    let s = bundled();
    // OFAC's vessel: IMO, MMSI, call sign and flag, as OFAC publishes them.
    let v = get(s.addr, "/v2/search?name=ADRIAN+DARYA+1&type=vessel&limit=1").json();
    let vessel = &v["entities"][0]["vessel"];
    assert_eq!(vessel["imoNumber"], "9116412", "{vessel}");
    assert_eq!(vessel["mmsi"], "271043655");
    assert_eq!(vessel["callSign"], "9HA5079");
    assert_eq!(vessel["flag"], "IR", "{vessel}");
    // Identity documents: the enum, the list's label kept in `name`, ISO countries.
    let v = get(s.addr, "/v2/search?name=Nicolas+Maduro&type=person&limit=1").json();
    let e = &v["entities"][0];
    let id = &e["person"]["governmentIDs"][0];
    assert_eq!(
        (&id["type"], &id["name"], &id["country"]),
        (&json!("cedula"), &json!("Cedula No."), &json!("VE"))
    );
    assert_eq!(e["addresses"][0]["country"], "VE");
    // debug=yes: each entity carries its explanation, base64 of JSON.
    let v = get(s.addr, "/v2/search?name=Nicolas+Maduro&debug=yes&limit=1").json();
    let debug = v["entities"][0]["debug"].as_str().unwrap();
    assert!(debug.len() > 20 && debug.len().is_multiple_of(4), "{debug}");
}

#[test]
fn queries_by_identifier_alone_find_their_entry() {
    let s = bundled();
    for imo in ["IMO 9116412", "9116412"] {
        let body =
            json!({"queries": {"v": {"schema": "Vessel", "properties": {"imoNumber": [imo]}}}});
        let v = post_json(s.addr, "/match/default", &body).json();
        let top = &v["responses"]["v"]["results"][0];
        assert_eq!(
            (&top["id"], &top["score"]),
            (&json!("ofac-sdn:27283"), &json!(1.0)),
            "{imo}: {v}"
        );
    }
    // Watchman's clients send the bare number.
    let v = get(s.addr, "/v2/search?type=vessel&imoNumber=9116412").json();
    assert_eq!(v["entities"][0]["sourceID"], "27283", "{v}");
    assert_eq!(v["entities"][0]["match"], 1.0);
}

#[test]
fn marble_reads_canadian_ids_and_the_index_version() {
    let s = start(&config(vec![root().join("data/samples/canada")])).unwrap();
    let all = get(s.addr, "/search/default").json();
    let id = all["results"][0]["id"].as_str().unwrap().to_string();
    assert!(id.contains('/'), "{id}");
    // As Marble sends it (the slashes unescaped), and escaped.
    for path in [
        format!("/entities/{id}"),
        format!("/entities/{}", id.replace('/', "%2F")),
    ] {
        let a = get(s.addr, &path);
        assert_eq!(a.status, 200, "{path}: {}", a.body);
        assert_eq!(a.json()["id"], id.as_str());
    }
    // Marble's /match query string (repositories/screening/provider_opensanctions.go).
    let q = "algorithm=best&threshold=0.70&cutoff=0.70&limit=10&include_dataset=ca-sema&exclude_entity_ids=x&api_key=k";
    let a = post_json(
        s.addr,
        &format!("/match/default?{q}"),
        &yente_query("Person", "Oleg Deripaska"),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(
        !a.json()["responses"]["q1"]["results"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // What this server cannot do is refused, naming it.
    for extra in ["partition=true", "index_type=scoped"] {
        let a = post_json(
            s.addr,
            &format!("/match/default?{q}&{extra}"),
            &yente_query("Person", "x"),
        );
        assert_eq!(a.status, 400, "{extra}: {}", a.body);
        let name = extra.split('=').next().unwrap();
        assert!(
            a.json()["detail"].as_str().unwrap().contains(name),
            "{}",
            a.body
        );
    }
    let catalog = get(s.addr, "/catalog").json();
    for d in catalog["datasets"].as_array().unwrap() {
        let v = d["index_version"].as_str().unwrap();
        let (stamp, tag) = v.split_once('-').unwrap();
        assert!(
            stamp.len() == 14 && stamp.chars().all(|c| c.is_ascii_digit()),
            "{v}"
        );
        assert!(
            tag.len() == 3 && tag.chars().all(|c| c.is_ascii_lowercase()),
            "{v}"
        );
    }
}

#[test]
fn yentes_example_body_and_limit_zero_are_answered() {
    let s = bundled();
    // yente's own example: weights and config beside the queries.
    let body = json!({
        "weights": {"name_literal": 0.8},
        "config": {"nm_number_mismatch": 0.4, "flag": true, "label": "x", "none": null},
        "queries": {"q1": {"schema": "Company", "properties": {"name": ["SenseTime Group Ltd"]}}},
    });
    let a = post_json(s.addr, "/match/default", &body);
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(
        !a.json()["responses"]["q1"]["results"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let a = post_json(s.addr, "/match/default?limit=0", &body);
    assert_eq!(a.status, 200, "{}", a.body);
    let r = &a.json()["responses"]["q1"];
    assert_eq!(r["results"], json!([]));
    assert!(r["total"]["value"].as_u64().unwrap() >= 1, "{r}");
}

#[test]
fn cors_preflight_is_answered_and_every_answer_allows_any_origin() {
    let s = bundled();
    let a = raw_request(
        s.addr,
        "OPTIONS",
        "/match/default",
        &[
            ("Origin", "https://app.example"),
            ("Access-Control-Request-Method", "POST"),
            (
                "Access-Control-Request-Headers",
                "content-type, authorization",
            ),
        ],
        b"",
    );
    assert_eq!(a.status, 204);
    assert_eq!(a.header("access-control-allow-origin"), Some("*"));
    assert!(
        a.header("access-control-allow-methods")
            .unwrap()
            .contains("POST")
    );
    let h = a
        .header("access-control-allow-headers")
        .unwrap()
        .to_lowercase();
    assert!(
        h.contains("authorization") && h.contains("content-type"),
        "{h}"
    );
    for path in ["/v2/search?name=x", "/healthz", "/nowhere"] {
        let a = get(s.addr, path);
        assert_eq!(a.header("access-control-allow-origin"), Some("*"), "{path}");
    }
}

#[test]
fn tokens_in_yente_clients_schemes_are_accepted() {
    let s = start(&ServeConfig {
        token: Some("s3cret".into()),
        ..config(Vec::new())
    })
    .unwrap();
    for (auth, want) in [
        ("ApiKey s3cret", 200),
        ("bearer s3cret", 200),
        ("BEARER s3cret", 200),
        ("ApiKey wrong", 401),
        ("Basic s3cret", 401),
    ] {
        let a = request(
            s.addr,
            "GET",
            "/v2/listinfo",
            &[("Authorization", auth)],
            b"",
        );
        assert_eq!(a.status, want, "{auth}: {}", a.body);
    }
    // A preflight carries no credentials: it is answered all the same.
    let a = raw_request(
        s.addr,
        "OPTIONS",
        "/v2/listinfo",
        &[
            ("Origin", "https://x.example"),
            ("Access-Control-Request-Method", "GET"),
        ],
        b"",
    );
    assert_eq!(a.status, 204);
}

#[test]
fn a_cross_site_reload_is_refused() {
    let s = bundled();
    let host = s.addr.to_string();
    for (headers, want) in [
        (vec![("Content-Type", "text/plain")], 403),
        (
            vec![("Content-Type", "application/x-www-form-urlencoded")],
            403,
        ),
        (
            vec![
                ("Origin", "https://evil.example"),
                ("Content-Type", "application/json"),
            ],
            403,
        ),
        (vec![("Sec-Fetch-Site", "cross-site")], 403),
        (vec![("Content-Type", "application/json")], 200),
        (vec![], 200),
    ] {
        let a = request(s.addr, "POST", "/v1/reload", &headers, b"");
        assert_eq!(a.status, want, "{headers:?}: {}", a.body);
    }
    let origin = format!("http://{host}");
    let a = request(s.addr, "POST", "/v1/reload", &[("Origin", &origin)], b"");
    assert_eq!(a.status, 200, "same origin: {}", a.body);
}

/// The result ids of a `/match` of `name` with the query string `q`.
fn match_ids(addr: std::net::SocketAddr, q: &str, schema: &str, name: &str) -> Vec<String> {
    let a = post_json(
        addr,
        &format!("/match/default?{q}"),
        &yente_query(schema, name),
    );
    assert_eq!(a.status, 200, "{q}: {}", a.body);
    ids_of(&a.json()["responses"]["q1"]["results"])
}

/// The `id` of each result of a JSON array of results.
fn ids_of(results: &serde_json::Value) -> Vec<String> {
    (results.as_array().unwrap().iter())
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn match_filters_are_applied() {
    let s = bundled();
    let name = "SenseTime Group Ltd";
    assert!(!match_ids(s.addr, "", "Company", name).is_empty());
    assert!(
        !match_ids(s.addr, "topics=sanction", "Company", name).is_empty()
            || !match_ids(s.addr, "topics=export.control", "Company", name).is_empty()
    );
    assert!(match_ids(s.addr, "topics=role.pep", "Company", name).is_empty());
    assert!(match_ids(s.addr, "changed_since=2999-01-01", "Company", name).is_empty());
    assert!(!match_ids(s.addr, "changed_since=2000-01-01T00:00:00", "Company", name).is_empty());
}

/// The result ids of `/search/default?{q}`.
fn search_ids(addr: std::net::SocketAddr, q: &str) -> Vec<String> {
    let a = get(addr, &format!("/search/default?{q}"));
    assert_eq!(a.status, 200, "{q}: {}", a.body);
    ids_of(&a.json()["results"])
}

#[test]
fn search_filters_and_facets_are_applied() {
    let s = bundled();
    let all = search_ids(s.addr, "limit=500");
    let venezuela = search_ids(s.addr, "limit=500&countries=ve");
    assert!(!venezuela.is_empty() && venezuela.len() < all.len());
    assert_eq!(
        search_ids(s.addr, "limit=500&filter=countries:ve"),
        venezuela
    );
    assert!(search_ids(s.addr, "limit=500&topics=role.pep").is_empty());
    assert!(search_ids(s.addr, "limit=500&target=false").is_empty());
    assert!(search_ids(s.addr, "limit=500&changed_since=2999-01-01").is_empty());
    let persons = search_ids(s.addr, "limit=500&filter=schema:Person");
    assert!(!persons.is_empty() && persons.len() < all.len());
    let csl = search_ids(s.addr, "limit=500&datasets=csl");
    assert!(csl.iter().all(|id| id.starts_with("csl:")) && !csl.is_empty());
    // AND: an entry in both Venezuela and another country's list of codes.
    let both = search_ids(s.addr, "limit=500&countries=ve&countries=cn&filter_op=AND");
    assert!(both.len() <= venezuela.len());
    let v = get(
        s.addr,
        "/search/default?limit=0&facets=countries&facets=topics&facets=schema&facets=datasets",
    )
    .json();
    for f in ["countries", "topics", "schema", "datasets"] {
        assert!(
            !v["facets"][f]["values"].as_array().unwrap().is_empty(),
            "{f}: {v}"
        );
    }
    let ve = v["facets"]["countries"]["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == "ve")
        .unwrap()["count"]
        .as_u64()
        .unwrap();
    assert_eq!(ve as usize, venezuela.len());
}

#[test]
fn watchman_source_is_applied() {
    let s = bundled();
    let v = get(
        s.addr,
        "/v2/search?name=SenseTime+Group&source=us_csl&minMatch=0.5",
    )
    .json();
    let es = v["entities"].as_array().unwrap();
    assert!(!es.is_empty());
    assert!(es.iter().all(|e| e["sourceList"] == "us_csl"), "{v}");
    let v = get(
        s.addr,
        "/v2/search?name=SenseTime+Group&source=us_ofac&minMatch=0.5",
    )
    .json();
    assert!(
        v["entities"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|e| e["sourceList"] == "us_ofac")
    );
}

#[test]
fn no_answer_names_where_the_lists_are_kept() {
    // The lists in a temporary directory: every answer is checked for its
    // path (serve_support::check_answer).
    let dir = lists_dir();
    let s = start(&config(vec![dir.path().to_path_buf()])).unwrap();
    let m = post_json(
        s.addr,
        "/match/default",
        &yente_query("LegalEntity", "SenseTime Group Ltd"),
    )
    .json();
    let source = m["responses"]["q1"]["results"][0]["source"]
        .as_str()
        .unwrap();
    let (file, line) = source.rsplit_once(':').unwrap();
    assert!(file.ends_with(".csv") && !file.contains('/'), "{source}");
    assert!(line.parse::<u64>().is_ok(), "{source}");
    get(s.addr, "/catalog");
    get(s.addr, "/v2/search?name=SenseTime+Group");
    get(s.addr, "/v2/listinfo");
    get(s.addr, "/search/default?q=sensetime");
    request(s.addr, "POST", "/v1/reload", &[], b"");
    post_csv(s.addr, "/v1/screen", b"name\nSenseTime Group Ltd\n");
}

#[test]
fn yente_clients_search_and_entity_calls_are_answered() {
    // As yente-client 0.2.0 sends them (client.py: search, entity).
    let s = bundled();
    let a = get(
        s.addr,
        "/search/default?q=sensetime&offset=0&limit=5&fuzzy=true&simple=true&facets=datasets&countries=cn&schema=LegalEntity",
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let id = a.json()["results"][0]["id"].as_str().unwrap().to_string();
    let a = get(s.addr, &format!("/entities/{}?nested=false", escape(&id)));
    assert_eq!(a.status, 200, "{}", a.body);
    // A sort it asks for is refused, naming it.
    let a = get(s.addr, "/search/default?q=sensetime&sort=caption:asc");
    assert_eq!(a.status, 400);
    assert!(a.json()["detail"].as_str().unwrap().contains("sort"));
}
