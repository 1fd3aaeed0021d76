//! End-to-end tests of the compliance workflow, each running the built
//! binary in a fresh temporary directory: fetching lists (from a tiny HTTP
//! server started by the test on 127.0.0.1, or from a local directory), list
//! freshness, run provenance (run id, audit record), reviewed decisions,
//! list diffs and `--since`, inputs as analysts have them, and exit codes
//! for CI. Nothing here touches the network beyond that local server.
//!
//! This file holds what the subjects share (the sample lists, the
//! directory, the fetch helpers); each subject is a file beside it.

mod audit;
mod decisions;
mod diff;
mod encodings;
mod exit_codes;
mod fetch;
mod formula_escaping;
mod run_id;
mod since;
mod staleness;

use crate::dir::{Dir, root, s};
use crate::run::{jsonl, stderr, stdout};
use crate::server::{Reply, Server};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------
// Sample lists

/// Every file of the bundled sample (OFAC SDN and consolidated CSV, trade.gov CSL).
const SAMPLE_FILES: [&str; 8] = [
    "sdn.csv",
    "add.csv",
    "alt.csv",
    "sdn_comments.csv",
    "cons_prim.csv",
    "cons_add.csv",
    "cons_alt.csv",
    "csl.csv",
];

const SDN_SET: [&str; 4] = ["sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"];
const CONS_SET: [&str; 3] = ["cons_prim.csv", "cons_add.csv", "cons_alt.csv"];

/// A file of `data/lists/`.
fn sample(name: &str) -> Vec<u8> {
    let p = root().join("data/lists").join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// An OFAC CSV file's text with one more record, placed before the
/// end-of-file byte (0x1A) that ends the published files.
fn append_record(text: String, record: &str) -> String {
    let body = text.trim_end_matches('\u{1a}');
    let eof = &text[body.len()..];
    format!("{body}{record}\r\n{eof}")
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

// ---------------------------------------------------------------------------
// The temporary directory and the binary

/// What these tests add to the shared [`Dir`]: sample lists copied in, files
/// read back and edited, runs with extra environment variables.
trait WorkflowDir {
    fn read(&self, name: &str) -> Vec<u8>;
    fn copy_lists(&self, sub: &str, files: &[&str]) -> PathBuf;
    fn edit(&self, name: &str, f: impl FnOnce(String) -> String);
    fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output;
}

impl WorkflowDir for Dir {
    fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    /// Copy sample list files into `sub/`.
    fn copy_lists(&self, sub: &str, files: &[&str]) -> PathBuf {
        for f in files {
            self.write(&format!("{sub}/{f}"), sample(f));
        }
        self.path(sub)
    }

    /// Rewrite a file's text.
    fn edit(&self, name: &str, f: impl FnOnce(String) -> String) {
        let text = String::from_utf8(self.read(name)).unwrap();
        self.write(name, f(text));
    }

    /// Run the binary with these extra variables.
    fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        self.command(args)
            .envs(env.iter().copied())
            .output()
            .unwrap()
    }
}

/// Assert the exit code, showing both streams when it differs.
fn code(o: &Output, want: i32) {
    assert_eq!(
        o.status.code(),
        Some(want),
        "stdout:\n{}\nstderr:\n{}",
        stdout(o),
        stderr(o)
    );
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(bytes)))
}

/// A CSV report as one map per line, by header.
fn csv_rows(bytes: &[u8]) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_reader(bytes);
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            headers
                .iter()
                .zip(rec.unwrap().iter())
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Each row of a JSON report as (id, name, verdict, entity ids of its hits).
fn verdicts(doc: &serde_json::Value) -> Vec<(String, String, String, Vec<String>)> {
    doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap_or("").to_string(),
                r["name"].as_str().unwrap().to_string(),
                r["verdict"].as_str().unwrap().to_string(),
                r["hits"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|h| h["entity_id"].as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------
// The HTTP server

/// Serve the OFAC SDN and consolidated CSV sample files flat, with an
/// empty `cons_comments.csv` (there is no sample of it).
fn serve_ofac_csv(server: &Server) {
    server.serve_lists(&SDN_SET);
    server.serve_lists(&CONS_SET);
    server.serve("cons_comments.csv", Vec::new());
}

// ---------------------------------------------------------------------------
// Fetch helpers

/// `sanctions fetch` of the two OFAC CSV sources into `dir`.
fn fetch(d: &Dir, dir: &Path, from: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "fetch",
        "--dir",
        s(dir),
        "--from",
        from,
        "--only",
        "ofac-sdn-csv",
        "--only",
        "ofac-cons-csv",
    ];
    args.extend_from_slice(extra);
    d.run(&args)
}

fn manifest(dir: &Path) -> serde_json::Value {
    json(&std::fs::read(dir.join("lists.json")).unwrap())
}

fn manifest_source<'a>(m: &'a serde_json::Value, key: &str) -> &'a serde_json::Value {
    m["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == key)
        .unwrap_or_else(|| panic!("no {key} in {m}"))
}

/// The bytes of every file of a directory, by name.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

fn no_staging_left(dir: &Path) {
    for e in std::fs::read_dir(dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.starts_with(".staging"), "{name} left behind");
        assert_ne!(name, "lists.json.tmp");
    }
}

/// A first fetch over HTTP succeeds; a second one, where `sdn.csv` gets
/// `reply` (and every other SDN file changed, so a partial replacement
/// would show), exits 2 and keeps the previous SDN copy and manifest entry.
/// Returns the directory and the second fetch's standard error.
fn second_fetch_fails_and_keeps_old_copy(reply: Reply, extra: &[&str]) -> (Dir, String) {
    let d = Dir::new();
    let server = Server::start();
    serve_ofac_csv(&server);
    let lists = d.path("home/lists");
    let from = format!("{}/", server.base);
    let o = fetch(&d, &lists, &from, &["--timeout", "2", "--retries", "1"]);
    code(&o, 0);
    let before_files = snapshot(&lists.join("ofac_sdn_csv"));
    let before_entry = manifest_source(&manifest(&lists), "ofac-sdn-csv").clone();

    for f in &SDN_SET[1..] {
        let mut changed = sample(f);
        changed.extend_from_slice(b"\r\n");
        server.serve(f, changed);
    }
    server.set("sdn.csv", vec![reply]);
    let o = fetch(&d, &lists, &from, extra);
    code(&o, 2);
    let err = stderr(&o);
    assert!(
        err.contains("ofac-sdn-csv: failed: ") && err.contains("kept the previous copy"),
        "{err}"
    );
    assert!(
        err.contains("1 source(s) failed (their last good copy is kept): ofac-sdn-csv:"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(snapshot(&lists.join("ofac_sdn_csv")), before_files);
    let after = manifest(&lists);
    assert_eq!(manifest_source(&after, "ofac-sdn-csv"), &before_entry);
    // The other source was fetched again, fine.
    assert!(err.contains("ofac-cons-csv: ok:"), "{err}");
    no_staging_left(&lists);
    (d, err)
}

// ---------------------------------------------------------------------------
// Shared by several subjects

/// Fetch the two OFAC CSV sources from a local mirror into `<tmp>/fetched`.
fn fetched_copy(d: &Dir) -> PathBuf {
    let mirror = d.copy_lists("mirror", &SDN_SET);
    d.copy_lists("mirror", &CONS_SET);
    d.write("mirror/cons_comments.csv", "");
    let lists = d.path("fetched");
    code(&fetch(d, &lists, s(&mirror), &[]), 0);
    lists
}

/// `old/`: the sample lists; `new/`: one entry added (ofac-cons:99999), one
/// removed (ofac-cons:30882, China Telecom) and one changed (ofac-cons:33114,
/// SenseTime: a program added).
fn two_snapshots() -> (Dir, PathBuf, PathBuf) {
    let d = Dir::new();
    let old = d.copy_lists("old", &SAMPLE_FILES);
    let new = d.copy_lists("new", &SAMPLE_FILES);
    let drop_30882 = |t: String| {
        t.split_inclusive('\n')
            .filter(|l| !l.starts_with("30882,"))
            .collect::<String>()
    };
    d.edit("new/cons_prim.csv", |t| {
        let t = drop_30882(t).replacen(
            "33114,\"SENSETIME GROUP LIMITED\",-0- ,\"CMIC-EO13959\"",
            "33114,\"SENSETIME GROUP LIMITED\",-0- ,\"CMIC-EO13959] [SDGT\"",
            1,
        );
        append_record(
            t,
            "99999,\"ACME ROCKET PROPULSION WORKS\",-0- ,\"CMIC-EO13959\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ",
        )
    });
    d.edit("new/cons_add.csv", drop_30882);
    d.edit("new/cons_alt.csv", drop_30882);
    (d, old, new)
}
