//! What the serve tests share: a server on a free loopback port, a client
//! of a few lines of HTTP/1.1 over a TCP stream, and the check every answer
//! gets: it is valid against the peer's own contract (Watchman's
//! `docs/api.yaml`, yente's OpenAPI document, in `tests/contracts/`, with
//! the deviations of [`contract::DEVIATIONS`]) and names no absolute path.
//!
//! A module of the test crate (`tests/it/main.rs`), as `crate::support`.

pub mod contract;

use sanctions::ServeConfig;
use sanctions::serve::{Running, start};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::Duration;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A server configuration on a free loopback port.
pub fn config(lists: Vec<PathBuf>) -> ServeConfig {
    ServeConfig {
        lists,
        listen: "127.0.0.1:0".parse().unwrap(),
        token: None,
        threshold: sanctions::matcher::DEFAULT_THRESHOLD,
        limit: 5,
        block_threshold: 0.95,
        decisions: None,
        max_body: 1 << 20,
        request_timeout: Duration::from_secs(30),
        watch: None,
    }
}

/// The server on the bundled sample lists.
pub fn bundled() -> Running {
    start(&config(Vec::new())).unwrap()
}

/// An answer: status, headers (lower-case names), body.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One request on its own connection; the answer is checked against the
/// contract of its API and for absolute paths before it is returned.
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Answer {
    let a = raw_request(addr, method, path, headers, body);
    check_answer(method, path, &a);
    a
}

/// One request, unchecked (for answers a test looks at byte by byte).
pub fn raw_request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Answer {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_string()
    };
    Answer {
        status,
        headers,
        body,
    }
}

/// Every JSON answer is valid against its API's contract, and no answer
/// names a path of this machine (the repository's or the temporary
/// directory's, where the tests keep their lists).
pub fn check_answer(method: &str, path: &str, a: &Answer) {
    for dir in [root(), std::env::temp_dir()] {
        let d = dir.to_string_lossy().trim_end_matches('/').to_string();
        assert!(
            !a.body.contains(&d),
            "{method} {path}: the answer names the path {d}: {}",
            &a.body[..a.body.len().min(2000)]
        );
    }
    let is_json = a.header("content-type").is_some_and(|t| t.contains("json"));
    if is_json {
        contract::check(method, path, a.status, &a.json());
    }
}

/// A chunked body, joined.
fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap();
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        s = &rest[n + 2..];
    }
    out
}

pub fn get(addr: SocketAddr, path: &str) -> Answer {
    request(addr, "GET", path, &[], b"")
}

pub fn post_json(addr: SocketAddr, path: &str, body: &Value) -> Answer {
    request(
        addr,
        "POST",
        path,
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    )
}

pub fn post_csv(addr: SocketAddr, path: &str, body: &[u8]) -> Answer {
    request(addr, "POST", path, &[("Content-Type", "text/csv")], body)
}

/// One yente query for `name`, of schema `schema`.
pub fn yente_query(schema: &str, name: &str) -> Value {
    json!({"queries": {"q1": {"schema": schema, "properties": {"name": [name]}}}})
}

/// `s` percent-encoded for a query string.
pub fn escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The names of the example input.
pub fn example_names() -> Vec<String> {
    let mut r = csv::Reader::from_path(root().join("data/examples/names.csv")).unwrap();
    r.records().map(|x| x.unwrap()[1].to_string()).collect()
}

/// A lists directory of the CSV samples of `data/lists`, in a temporary directory.
pub fn lists_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in std::fs::read_dir(root().join("data/lists")).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, dir.path().join(f.file_name().unwrap())).unwrap();
    }
    dir
}
