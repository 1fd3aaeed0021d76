//! End-to-end tests of the compliance workflow, each running the built
//! binary in a fresh temporary directory: fetching lists (from a tiny HTTP
//! server started by the test on 127.0.0.1, or from a local directory), list
//! freshness, run provenance (run id, audit record), reviewed decisions,
//! list diffs and `--since`, inputs as analysts have them, and exit codes
//! for CI. Nothing here touches the network beyond that local server.

#[path = "common/dir.rs"]
mod dir;
#[path = "common/run.rs"]
mod run;
#[path = "common/server.rs"]
mod server;

use dir::{Dir, root, s};
use run::{jsonl, stderr, stdout};
use server::{Reply, Server};
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
// 1. Fetch

#[test]
fn fetch_over_http_writes_the_manifest_and_a_plain_screen_uses_the_fetched_lists() {
    let d = Dir::new();
    let server = Server::start();
    serve_ofac_csv(&server);
    let lists = d.path("home/lists"); // $SANCTIONS_HOME/lists
    let o = fetch(
        &d,
        &lists,
        &format!("{}/", server.base),
        &["--timeout", "2", "--retries", "1"],
    );
    code(&o, 0);
    assert!(
        stderr(&o).contains(&format!("2 of 2 sources fetched into {}", lists.display())),
        "{}",
        stderr(&o)
    );
    // Each file came from the flat mirror after the nested layout answered 404.
    assert_eq!(server.hits("ofac_sdn_csv/sdn.csv"), 1);
    assert_eq!(server.hits("sdn.csv"), 1);

    let m = manifest(&lists);
    assert_eq!(m["schema_version"], 1);
    let keys: Vec<&str> = m["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["ofac-sdn-csv", "ofac-cons-csv"]);
    for (key, dir, files) in [
        ("ofac-sdn-csv", "ofac_sdn_csv", &SDN_SET[..]),
        ("ofac-cons-csv", "ofac_cons_csv", &CONS_SET[..]),
    ] {
        let src = manifest_source(&m, key);
        assert_eq!(src["dir"], dir);
        assert!(src["entities"].as_u64().unwrap() > 0, "{src}");
        let listed = src["files"].as_array().unwrap();
        for f in files {
            let entry = listed
                .iter()
                .find(|e| e["file"] == *f)
                .unwrap_or_else(|| panic!("{f} not in {src}"));
            assert_eq!(entry["sha256"], sha256_hex(&sample(f)), "{f}");
            assert_eq!(entry["url"], format!("{}/{f}", server.base));
            assert_eq!(std::fs::read(lists.join(dir).join(f)).unwrap(), sample(f));
        }
    }
    no_staging_left(&lists);

    // A plain screen (no --lists) now uses the fetched lists.
    let input = d.write(
        "names.csv",
        "id,name\nC-001,SenseTime Group Ltd\nC-006,Microsoft Corporation\n",
    );
    let o = d.run(&["screen", s(&input), "--format", "json"]);
    code(&o, 1);
    assert!(!stderr(&o).contains("bundled SAMPLE"), "{}", stderr(&o));
    let doc = json(&o.stdout);
    assert_eq!(doc["run"]["bundled_sample_lists"], false);
    let files = doc["lists"].as_array().unwrap();
    assert_eq!(files.len(), 7, "{files:?}");
    for f in files {
        let path = f["path"].as_str().unwrap();
        assert!(!path.starts_with("bundled:"), "{path}");
        assert!(Path::new(path).starts_with(&lists), "{path}");
        let name = Path::new(path).file_name().unwrap().to_str().unwrap();
        assert_eq!(f["sha256"], sha256_hex(&sample(name)), "{path}");
    }
    let hit = &doc["results"][0]["hits"][0];
    assert_eq!(hit["entity_id"], "ofac-cons:33114");
    assert!(
        hit["source"]
            .as_str()
            .unwrap()
            .starts_with(s(&lists.join("ofac_cons_csv/cons_prim.csv"))),
        "{hit}"
    );
    // Only OFAC was fetched: no trade.gov CSL duplicate of the party.
    assert_eq!(hit["also_on"].as_array().unwrap().len(), 0, "{hit}");
    assert_eq!(doc["results"][1]["verdict"], "clear");
}

#[test]
fn fetch_answered_500_exits_2_and_keeps_the_previous_copy_for_screening() {
    let (d, err) = second_fetch_fails_and_keeps_old_copy(
        Reply::Status(500),
        &["--timeout", "2", "--retries", "1"],
    );
    assert!(err.contains("/sdn.csv: HTTP 500 after 2 attempts"), "{err}");
    // Screening still uses the previous, good copy.
    let input = d.write("names.csv", "name\nSenseTime Group Ltd\n");
    let o = d.run(&["screen", s(&input), "--format", "json"]);
    code(&o, 1);
    let doc = json(&o.stdout);
    let sdn = doc["lists"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["path"]
                .as_str()
                .unwrap()
                .ends_with("ofac_sdn_csv/add.csv")
        })
        .unwrap()
        .clone();
    assert_eq!(sdn["sha256"], sha256_hex(&sample("add.csv")));
}

#[test]
fn fetch_with_a_truncated_body_exits_2_and_keeps_the_previous_copy() {
    let full = sample("sdn.csv");
    let half = full[..full.len() / 2].to_vec();
    let (got, len) = (half.len(), full.len());
    let (_d, err) = second_fetch_fails_and_keeps_old_copy(
        Reply::Truncated(half, len),
        &["--timeout", "2", "--retries", "1"],
    );
    assert!(
        err.contains(&format!("/sdn.csv: truncated: got {got} of {len} bytes")),
        "{err}"
    );
    assert!(err.contains("after 2 attempts"), "{err}");
}

#[test]
fn fetch_that_times_out_exits_2_and_keeps_the_previous_copy() {
    let t = Instant::now();
    let (_d, err) = second_fetch_fails_and_keeps_old_copy(
        Reply::Slow(Duration::from_secs(5), sample("sdn.csv")),
        &["--timeout", "1", "--retries", "0"],
    );
    assert!(err.contains("/sdn.csv: timed out"), "{err}");
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
}

#[test]
fn fetch_from_a_local_directory() {
    let d = Dir::new();
    let mirror = d.copy_lists("mirror", &SDN_SET);
    d.copy_lists("mirror", &CONS_SET);
    d.write("mirror/cons_comments.csv", "");
    let lists = d.path("home/lists");
    let o = fetch(&d, &lists, s(&mirror), &[]);
    code(&o, 0);
    assert!(
        stderr(&o).contains("ofac-cons-csv: cons_comments.csv is empty (no records)"),
        "{}",
        stderr(&o)
    );
    let m = manifest(&lists);
    let sdn = manifest_source(&m, "ofac-sdn-csv");
    assert_eq!(sdn["files"][0]["file"], "sdn.csv");
    assert_eq!(sdn["files"][0]["url"], s(&mirror.join("sdn.csv")));
    assert_eq!(sdn["files"][0]["sha256"], sha256_hex(&sample("sdn.csv")));
    let input = d.write("names.csv", "name\nBanco Nacional de Cuba\n");
    let o = d.run(&["screen", s(&input), "--format", "jsonl"]);
    code(&o, 1);
    let hits = jsonl(&o);
    assert_eq!(hits[0]["entity_id"], "ofac-sdn:306");
    assert!(
        hits[0]["source"]
            .as_str()
            .unwrap()
            .starts_with(s(&lists.join("ofac_sdn_csv"))),
        "{}",
        hits[0]
    );
}

// ---------------------------------------------------------------------------
// 2. Freshness

/// Fetch the two OFAC CSV sources from a local mirror into `<tmp>/fetched`.
fn fetched_copy(d: &Dir) -> PathBuf {
    let mirror = d.copy_lists("mirror", &SDN_SET);
    d.copy_lists("mirror", &CONS_SET);
    d.write("mirror/cons_comments.csv", "");
    let lists = d.path("fetched");
    code(&fetch(d, &lists, s(&mirror), &[]), 0);
    lists
}

#[test]
fn stale_fetched_lists_only_warn_unless_fail_on_stale() {
    let d = Dir::new();
    let lists = fetched_copy(&d);
    let sdn = lists.join("ofac_sdn_csv");
    let cons = lists.join("ofac_cons_csv");
    let input = d.write("names.csv", "name\nSenseTime Group Ltd\n");
    let screen = |extra: &[&str], today: Option<&str>| {
        let mut args = vec![
            "screen",
            s(&input),
            "--lists",
            s(&sdn),
            "--lists",
            s(&cons),
            "--format",
            "csv",
        ];
        args.extend_from_slice(extra);
        let env: Vec<(&str, &str)> = today.map(|t| ("SANCTIONS_TODAY", t)).into_iter().collect();
        d.run_env(&args, &env)
    };

    // Fetched today: fresh.
    let o = screen(&["--max-list-age", "1", "--fail-on-stale"], None);
    code(&o, 1);
    assert!(!stderr(&o).contains("stale"), "{}", stderr(&o));

    // Far in the future: stale by the fetch date, a warning only.
    let o = screen(&["--max-list-age", "1"], Some("2099-01-01"));
    code(&o, 1);
    let err = stderr(&o);
    for f in [sdn.join("sdn.csv"), cons.join("cons_prim.csv")] {
        assert!(
            err.contains(&format!(
                "sanctions: warning: stale list: {}: ",
                f.display()
            )),
            "{err}"
        );
    }
    assert!(
        err.contains("days old (fetched), more than --max-list-age 1"),
        "{err}"
    );
    assert_eq!(csv_rows(&o.stdout).len(), 1, "screened as usual");

    // With --fail-on-stale: exit 3, nothing screened, no report written.
    let report = d.path("report.csv");
    let o = screen(
        &["--max-list-age", "1", "--fail-on-stale", "-o", s(&report)],
        Some("2099-01-01"),
    );
    code(&o, 3);
    assert!(
        stderr(&o).contains("2 list file(s) too old or of unknown age: not screening"),
        "{}",
        stderr(&o)
    );
    assert!(o.stdout.is_empty());
    assert!(!report.exists());
    for e in std::fs::read_dir(d.path("")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.contains("report"), "{name} left behind");
    }
}

#[test]
fn a_list_file_is_judged_by_the_publication_date_it_states() {
    let d = Dir::new();
    // The OFAC XML sample states <Publish_Date>12/31/2019</Publish_Date>.
    let list = d.write(
        "sdn.xml",
        std::fs::read(root().join("data/samples/ofac/sdn.xml")).unwrap(),
    );
    let input = d.write("names.csv", "name\nMicrosoft Corporation\n");
    let args = [
        "screen",
        s(&input),
        "--lists",
        s(&list),
        "--max-list-age",
        "1",
        "--fail-on-stale",
        "--format",
        "csv",
    ];
    let o = d.run_env(&args, &[("SANCTIONS_TODAY", "2020-01-01")]);
    code(&o, 0);
    assert!(!stderr(&o).contains("stale"), "{}", stderr(&o));
    let o = d.run_env(&args, &[("SANCTIONS_TODAY", "2020-01-02")]);
    code(&o, 3);
    assert!(
        stderr(&o).contains("sdn.xml: 2 days old (published), more than --max-list-age 1"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_list_without_any_date_is_of_unknown_age() {
    let d = Dir::new();
    let lists = d.copy_lists("lists", &SAMPLE_FILES);
    let input = d.write("names.csv", "name\nMicrosoft Corporation\n");
    // A generous limit, but nothing says how old the copy is.
    let o = d.run(&[
        "screen",
        s(&input),
        "--lists",
        s(&lists),
        "--max-list-age",
        "100000",
        "--format",
        "csv",
    ]);
    code(&o, 0);
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "stale list: {}: age unknown (no date in the file or a fetch manifest)",
            lists.join("cons_prim.csv").display()
        )),
        "{err}"
    );
    let o = d.run(&[
        "screen",
        s(&input),
        "--lists",
        s(&lists),
        "--max-list-age",
        "100000",
        "--fail-on-stale",
    ]);
    code(&o, 3);
    assert!(o.stdout.is_empty());
    // The bundled sample has no date either.
    let o = d.run(&[
        "screen",
        s(&input),
        "--max-list-age",
        "100000",
        "--fail-on-stale",
    ]);
    code(&o, 3);
    assert!(
        stderr(&o).contains("bundled:cons_prim.csv: age unknown"),
        "{}",
        stderr(&o)
    );
    // --fail-on-stale needs --max-list-age.
    code(&d.run(&["screen", s(&input), "--fail-on-stale"]), 2);
}

#[test]
fn fetched_lists_given_relative_to_their_own_directory_keep_their_fetch_date() {
    let d = Dir::new();
    let lists = fetched_copy(&d);
    let input = d.write("names.csv", "name\nMicrosoft Corporation\n");
    let sdn_dir = lists.join("ofac_sdn_csv");
    for given in [".", "sdn.csv"] {
        let o = d
            .command(&[
                "screen",
                s(&input),
                "--lists",
                given,
                "--max-list-age",
                "30",
                "--fail-on-stale",
                "--format",
                "csv",
            ])
            .current_dir(&sdn_dir)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "--lists {given}: {}", stderr(&o));
    }
}

// ---------------------------------------------------------------------------
// 3. Provenance

#[test]
fn run_id_is_shared_by_every_row_and_reruns_are_byte_identical() {
    let d = Dir::new();
    let input = d.write(
        "names.csv",
        std::fs::read(root().join("data/examples/names.csv")).unwrap(),
    );
    let run = |format: &str| d.run(&["screen", s(&input), "--format", format]);

    let (a, b) = (run("json"), run("json"));
    code(&a, 1);
    assert_eq!(a.stdout, b.stdout, "JSON reports differ across reruns");
    let id = json(&a.stdout)["run"]["run_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(id.len(), 16);
    assert!(id.bytes().all(|c| c.is_ascii_hexdigit()), "{id}");
    assert!(stderr(&a).contains(&format!("run {id})")), "{}", stderr(&a));

    let (a, b) = (run("csv"), run("csv"));
    code(&a, 1);
    assert_eq!(a.stdout, b.stdout, "CSV reports differ across reruns");
    let rows = csv_rows(&a.stdout);
    assert!(rows.len() >= 7, "{rows:?}");
    let csv_id = rows[0]["run_id"].clone();
    assert!(rows.iter().all(|r| r["run_id"] == csv_id), "{rows:?}");
    assert!(stderr(&a).contains(&format!("run {csv_id})")));

    let o = run("jsonl");
    let hits = jsonl(&o);
    let jsonl_id = hits[0]["run_id"].clone();
    assert!(hits.iter().all(|h| h["run_id"] == jsonl_id));
    assert_eq!(hits.len(), rows.len());

    // Writing to a file instead of standard output is not part of the id.
    let out = d.path("report.json");
    let o = d.run(&["screen", s(&input), "--format", "json", "-o", s(&out)]);
    code(&o, 1);
    assert!(o.stdout.is_empty());
    assert_eq!(json(&d.read("report.json"))["run"]["run_id"], id.as_str());
}

#[test]
fn run_id_changes_with_the_threshold_the_input_and_the_decisions() {
    let d = Dir::new();
    let input = d.write("names.csv", "id,name\nC-001,SenseTime Group Ltd\n");
    let id = |args: &[&str]| {
        let mut all = vec!["screen", "--format", "json"];
        all.extend_from_slice(args);
        let o = d.run(&all);
        assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
        json(&o.stdout)["run"]["run_id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let base = id(&[s(&input)]);
    assert_eq!(base, id(&[s(&input), "--threshold", "0.85"]), "the default");
    assert_ne!(base, id(&[s(&input), "--threshold", "0.9"]));
    assert_ne!(base, id(&[s(&input), "--top", "1"]));
    let other = d.write(
        "other.csv",
        "id,name\nC-001,SenseTime Group Ltd\nC-002,Microsoft Corporation\n",
    );
    assert_ne!(base, id(&[s(&other)]));
    // The same bytes under another name: the same id.
    let copy = d.write("copy.csv", d.read("names.csv"));
    assert_eq!(base, id(&[s(&copy)]));
    let decisions = d.write(
        "decisions.csv",
        "input_id,entity_id,decision,reviewer,date\nC-001,ofac-cons:33114,true_match,ana,2026-01-05\n",
    );
    assert_ne!(base, id(&[s(&input), "--decisions", s(&decisions)]));
}

#[test]
fn audit_record_describes_the_run() {
    let d = Dir::new();
    let lists = d.copy_lists("lists", &SAMPLE_FILES);
    // China Mobile is a reviewed false positive.
    let probe = d.write("probe.csv", "name\nChina Mobile Limited\n");
    let o = d.run(&["screen", s(&probe), "--lists", s(&lists), "--format", "csv"]);
    let hit = csv_rows(&o.stdout).remove(0);
    let decisions = d.write(
        "decisions.csv",
        format!(
            "input,entity_id,entity_hash,decision,reviewer,date,reason\nChina Mobile Limited,{},{},false_positive,ana,2026-01-05,a namesake\n",
            hit["entity_id"], hit["entity_hash"]
        ),
    );
    let input_text = "id,name\nC-001,SenseTime Group Ltd\nC-002,China Mobile Limited\nC-003,Microsoft Corporation\nC-004,Beta,extra\nC-005,Costco Wholesale Corp\n";
    let input = d.write("names.csv", input_text);
    let audit = d.path("audit.json");
    let report = d.path("report.csv");
    let args = [
        "screen",
        s(&input),
        "--lists",
        s(&lists),
        "--decisions",
        s(&decisions),
        "--threshold",
        "0.9",
        "--format",
        "csv",
        "-o",
        s(&report),
        "--audit",
        s(&audit),
    ];
    let o = d.run(&args);
    code(&o, 2); // a row in error
    let a = json(&d.read("audit.json"));
    assert_eq!(a["schema_version"], 1);
    assert_eq!(a["tool"], "sanctions");
    assert_eq!(a["version"], env!("CARGO_PKG_VERSION"));
    let cmd: Vec<&str> = a["command_line"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(cmd.len(), args.len() + 1, "{cmd:?}");
    assert!(cmd[0].ends_with("sanctions"), "{cmd:?}");
    assert_eq!(&cmd[1..], &args[..]);
    assert_eq!(a["options"]["threshold"], 0.9);
    assert_eq!(a["options"]["format"], "csv");
    assert_eq!(a["input"]["path"], s(&input));
    assert_eq!(a["input"]["sha256"], sha256_hex(input_text.as_bytes()));
    assert_eq!(a["input"]["bytes"], input_text.len());
    assert_eq!(a["input"]["rows"], 5);
    assert_eq!(a["bundled_sample_lists"], false);
    let files = a["lists"].as_array().unwrap();
    assert_eq!(files.len(), SAMPLE_FILES.len());
    for f in SAMPLE_FILES {
        let path = lists.join(f);
        let entry = files
            .iter()
            .find(|e| e["path"] == s(&path))
            .unwrap_or_else(|| panic!("{f} not in {files:?}"));
        assert_eq!(entry["sha256"], sha256_hex(&sample(f)), "{f}");
    }
    assert_eq!(
        a["decisions"]["sha256"],
        sha256_hex(&d.read("decisions.csv"))
    );
    assert_eq!(a["decisions"]["decisions"], 1);
    let c = &a["counts"];
    assert_eq!(c["rows"], 5);
    assert_eq!(c["clear"], 2);
    assert_eq!(c["potential_matches"], 1);
    assert_eq!(c["cleared_by_decision"], 1);
    assert_eq!(c["errors"], 1);
    let sum: u64 = [
        "clear",
        "potential_matches",
        "cleared_by_decision",
        "errors",
    ]
    .iter()
    .map(|k| c[*k].as_u64().unwrap())
    .sum();
    assert_eq!(Some(sum), c["rows"].as_u64());
    assert_eq!(a["exit_code"], 2);
    // The record names the run of the report.
    let rows = csv_rows(&d.read("report.csv"));
    assert!(
        rows.iter()
            .all(|r| r["run_id"] == a["run_id"].as_str().unwrap())
    );
    // A clean run records exit code 0.
    let clean = d.write("clean.csv", "name\nMicrosoft Corporation\n");
    let o = d.run(&["screen", s(&clean), "--audit", s(&audit), "--format", "csv"]);
    code(&o, 0);
    let a = json(&d.read("audit.json"));
    assert_eq!(a["exit_code"], 0);
    assert_eq!(a["counts"]["clear"], 1);
    assert_eq!(a["bundled_sample_lists"], true);
}

// ---------------------------------------------------------------------------
// 4. Decisions

const DECISIONS_HEADER: &str =
    "input,input_id,entity_id,entity_hash,decision,reviewer,date,reason,expires\n";

/// Screen `SenseTime Group Ltd` (C-001) against a copy of the sample lists
/// in `lists/` and return the dir, the lists, the input and the hit.
fn sensetime_hit() -> (Dir, PathBuf, PathBuf, BTreeMap<String, String>) {
    let d = Dir::new();
    let lists = d.copy_lists("lists", &SAMPLE_FILES);
    let input = d.write(
        "names.csv",
        "id,name\nC-001,SenseTime Group Ltd\nC-006,Microsoft Corporation\n",
    );
    let o = d.run(&["screen", s(&input), "--lists", s(&lists), "--format", "csv"]);
    code(&o, 1);
    let mut rows = csv_rows(&o.stdout);
    assert_eq!(rows.len(), 1, "{rows:?}");
    let hit = rows.remove(0);
    assert_eq!(hit["entity_id"], "ofac-cons:33114");
    assert_eq!(hit["status"], "potential_match");
    assert_eq!(hit["entity_hash"].len(), 16, "{hit:?}");
    (d, lists, input, hit)
}

/// `screen INPUT --lists LISTS --decisions DECISIONS --format FORMAT`, on
/// the day `today` (`SANCTIONS_TODAY`) when given.
fn screen_decided(
    d: &Dir,
    input: &Path,
    lists: &Path,
    decisions: &Path,
    format: &str,
    today: Option<&str>,
) -> Output {
    let args = [
        "screen",
        s(input),
        "--lists",
        s(lists),
        "--decisions",
        s(decisions),
        "--format",
        format,
    ];
    let env: Vec<(&str, &str)> = today.map(|t| ("SANCTIONS_TODAY", t)).into_iter().collect();
    d.run_env(&args, &env)
}

fn false_positive(hit: &BTreeMap<String, String>, expires: &str) -> String {
    format!(
        "{DECISIONS_HEADER},C-001,{},{},false_positive,Ana Analyst,2026-01-05,another company (Hong Kong registry),{expires}\n",
        hit["entity_id"], hit["entity_hash"]
    )
}

#[test]
fn a_false_positive_clears_the_hit_until_the_listed_entry_changes() {
    let (d, lists, input, hit) = sensetime_hit();
    let decisions = d.write("decisions.csv", false_positive(&hit, ""));
    let screen = |lists: &Path| screen_decided(&d, &input, lists, &decisions, "csv", None);
    let o = screen(&lists);
    code(&o, 0);
    let rows = csv_rows(&o.stdout);
    assert_eq!(rows.len(), 1, "the cleared hit is still shown: {rows:?}");
    assert_eq!(rows[0]["status"], "cleared_by_decision");
    assert_eq!(rows[0]["entity_id"], "ofac-cons:33114");
    assert!(
        rows[0]["decision"]
            .starts_with("cleared by decision: false_positive by Ana Analyst on 2026-01-05"),
        "{rows:?}"
    );
    assert!(rows[0]["decision"].contains("decisions.csv:2"), "{rows:?}");
    assert!(
        stderr(&o).contains("0 with potential matches (0 block), 1 cleared by decision, 1 clear"),
        "{}",
        stderr(&o)
    );
    // The JSON report says the same.
    let o = screen_decided(&d, &input, &lists, &decisions, "json", None);
    code(&o, 0);
    let doc = json(&o.stdout);
    assert_eq!(doc["results"][0]["verdict"], "cleared_by_decision");
    assert_eq!(doc["results"][0]["hits"][0]["decision_outcome"], "cleared");
    assert_eq!(doc["summary"]["cleared_by_decision"], 1);
    assert_eq!(doc["summary"]["potential_matches"], 0);
    assert_eq!(doc["run"]["decisions"]["decisions"], 1);

    // The entry changes on the list: a new alias, or a new program.
    let alias = d.copy_lists("alias", &SAMPLE_FILES);
    d.edit("alias/cons_alt.csv", |t| {
        append_record(t, "33114,40099,\"aka\",\"SHANGTANG TECHNOLOGY\",-0- ")
    });
    let program = d.copy_lists("program", &SAMPLE_FILES);
    d.edit("program/cons_prim.csv", |t| {
        t.replacen(
            "33114,\"SENSETIME GROUP LIMITED\",-0- ,\"CMIC-EO13959\"",
            "33114,\"SENSETIME GROUP LIMITED\",-0- ,\"CMIC-EO13959] [SDGT\"",
            1,
        )
    });
    for changed in [alias, program] {
        let o = screen(&changed);
        code(&o, 1);
        let rows = csv_rows(&o.stdout);
        assert_eq!(rows.len(), 1, "{rows:?}");
        let r = &rows[0];
        assert_eq!(
            r["status"],
            "potential_match",
            "{}: {r:?}",
            changed.display()
        );
        assert_eq!(r["entity_id"], "ofac-cons:33114");
        assert_ne!(r["entity_hash"], hit["entity_hash"]);
        assert!(
            r["decision"].starts_with(
                "reopened: the listed entry changed since the false_positive decision by Ana Analyst"
            ),
            "{r:?}"
        );
        assert!(
            r["decision"].contains(&format!(
                "entity_hash {} then, {} now",
                hit["entity_hash"], r["entity_hash"]
            )),
            "{r:?}"
        );
        assert!(
            stderr(&o).contains("1 with potential matches"),
            "{}",
            stderr(&o)
        );
    }
}

#[test]
fn an_expired_false_positive_reopens_the_hit() {
    let (d, lists, input, hit) = sensetime_hit();
    let decisions = d.write("decisions.csv", false_positive(&hit, "2026-06-01"));
    let screen = |today: &str| screen_decided(&d, &input, &lists, &decisions, "csv", Some(today));
    let o = screen("2026-05-31");
    code(&o, 0);
    let r = &csv_rows(&o.stdout)[0];
    assert_eq!(r["status"], "cleared_by_decision");
    assert!(r["decision"].contains("until 2026-06-01"), "{r:?}");
    // From the day it expires, it no longer holds.
    let o = screen("2026-06-01");
    code(&o, 1);
    let r = &csv_rows(&o.stdout)[0];
    assert_eq!(r["status"], "potential_match");
    assert!(
        r["decision"].starts_with("reopened: the false_positive decision by Ana Analyst")
            && r["decision"].ends_with("expired on 2026-06-01"),
        "{r:?}"
    );
    // JSON names what the decision did: reopened, to review again.
    let o = screen_decided(&d, &input, &lists, &decisions, "json", Some("2026-06-01"));
    let doc = json(&o.stdout);
    assert_eq!(doc["results"][0]["hits"][0]["decision_outcome"], "reopened");
    // A true match stands, confirmed.
    let confirmed = d.write(
        "confirmed.csv",
        format!(
            "input_id,entity_id,decision,reviewer,date\nC-001,{},true_match,ana,2026-01-05\n",
            hit["entity_id"]
        ),
    );
    let o = screen_decided(&d, &input, &lists, &confirmed, "json", None);
    code(&o, 1);
    let h = &json(&o.stdout)["results"][0]["hits"][0];
    assert_eq!(
        (&h["status"], &h["decision_outcome"]),
        (
            &serde_json::json!("potential_match"),
            &serde_json::json!("confirmed")
        )
    );
}

#[test]
fn the_run_id_differs_when_an_expiry_changes_the_report() {
    let (d, lists, input, hit) = sensetime_hit();
    let decisions = d.write("decisions.csv", false_positive(&hit, "2026-06-01"));
    let run = |today: &str| screen_decided(&d, &input, &lists, &decisions, "json", Some(today));
    let (before, after) = (run("2026-05-31"), run("2026-06-01"));
    assert_ne!(before.stdout, after.stdout, "the reports differ");
    assert_ne!(
        json(&before.stdout)["run"]["run_id"],
        json(&after.stdout)["run"]["run_id"],
        "different reports under one run id"
    );
}

#[test]
fn a_decision_naming_both_input_and_id_covers_only_that_name_under_that_id() {
    let d = Dir::new();
    // The near miss was reviewed as a false positive.
    let near = d.write("near.csv", "id,name\nC-002,Sensetime Grup Limited\n");
    let o = d.run(&["screen", s(&near), "--format", "csv"]);
    code(&o, 1);
    let hit = csv_rows(&o.stdout).remove(0);
    let decisions = d.write(
        "decisions.csv",
        format!(
            "{DECISIONS_HEADER}Sensetime Grup Limited,C-002,{},{},false_positive,Ana Analyst,2026-01-05,not the listed company,\n",
            hit["entity_id"], hit["entity_hash"]
        ),
    );
    let o = d.run(&[
        "screen",
        s(&near),
        "--decisions",
        s(&decisions),
        "--format",
        "csv",
    ]);
    code(&o, 0);
    // Next month customer C-002 is renamed to the listed name itself.
    let renamed = d.write("renamed.csv", "id,name\nC-002,SenseTime Group Limited\n");
    let o = d.run(&[
        "screen",
        s(&renamed),
        "--decisions",
        s(&decisions),
        "--format",
        "csv",
    ]);
    let rows = csv_rows(&o.stdout);
    assert_eq!(rows[0]["score"], "1.0000");
    assert_eq!(
        rows[0]["status"], "potential_match",
        "an exact match on the listed name was cleared by a decision about another name: {rows:?}"
    );
    code(&o, 1);
}

#[test]
fn a_json_decisions_file_clears_the_hit() {
    let (d, lists, input, hit) = sensetime_hit();
    let decisions = d.write(
        "decisions.json",
        serde_json::to_string_pretty(&serde_json::json!({"decisions": [{
            "input": "SENSETIME  group ltd",
            "entity_id": hit["entity_id"],
            "entity_hash": hit["entity_hash"],
            "decision": "false_positive",
            "reviewer": "Bo Reviewer",
            "date": "2026-02-01",
            "reason": "different registry number",
        }]}))
        .unwrap(),
    );
    let o = screen_decided(&d, &input, &lists, &decisions, "jsonl", None);
    code(&o, 0);
    let hits = jsonl(&o);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["status"], "cleared_by_decision");
    let note = hits[0]["decision"].as_str().unwrap();
    assert!(
        note.contains("Bo Reviewer on 2026-02-01 (")
            && note.contains("decisions.json: decision 1)"),
        "{note}"
    );
    assert!(note.ends_with(": different registry number"), "{note}");
}

#[test]
fn a_malformed_decisions_file_exits_2_naming_file_and_line() {
    let (d, lists, input, hit) = sensetime_hit();
    let good = false_positive(&hit, "");
    let good_line = good.lines().nth(1).unwrap();
    let report = d.path("report.csv");
    let cases = [
        (
            "bad_date.csv",
            format!("{good}C-002,,ofac-sdn:306,,true_match,Ana,5 Jan 2026,,\n"),
            "bad_date.csv:3: `date` must be a date written YYYY-MM-DD",
        ),
        (
            "no_hash.csv",
            format!("{DECISIONS_HEADER},C-001,ofac-cons:33114,,false_positive,Ana,2026-01-05,,\n"),
            "no_hash.csv:2: a false_positive needs the `entity_hash`",
        ),
        (
            "ragged.csv",
            format!("{DECISIONS_HEADER}{good_line}\n,C-001,x,y\n"),
            "ragged.csv:3: malformed CSV",
        ),
        (
            "truncated.json",
            "[{\"input_id\": \"C-001\",".to_string(),
            "truncated.json: not valid JSON",
        ),
        (
            "kind.json",
            r#"[{"input_id":"C-001","entity_id":"ofac-cons:33114","decision":"maybe","reviewer":"a","date":"2026-01-01"}]"#
                .to_string(),
            "kind.json: decision 1: `decision` must be false_positive or true_match",
        ),
    ];
    for (file, text, want) in cases {
        let decisions = d.write(file, text);
        let o = d.run(&[
            "screen",
            s(&input),
            "--lists",
            s(&lists),
            "--decisions",
            s(&decisions),
            "-o",
            s(&report),
        ]);
        code(&o, 2);
        let err = stderr(&o);
        assert!(err.contains(want), "{file}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(!report.exists(), "{file}: a report was written");
    }
    // A missing decisions file too.
    let o = d.run(&["screen", s(&input), "--decisions", s(&d.path("nope.csv"))]);
    code(&o, 2);
    assert!(
        stderr(&o).contains("nope.csv: cannot read decisions"),
        "{}",
        stderr(&o)
    );
}

// ---------------------------------------------------------------------------
// 5. Diff and --since

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

#[test]
fn diff_shows_added_removed_and_changed_entries_with_counts() {
    let (d, old, new) = two_snapshots();
    let o = d.run(&["diff", s(&old), s(&new)]);
    code(&o, 0);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(
        lines[0]
            .starts_with("added    ofac-cons:99999  ACME ROCKET PROPULSION WORKS  OFAC Non-SDN"),
        "{out}"
    );
    assert!(
        lines[1].starts_with("changed  ofac-cons:33114  SENSETIME GROUP LIMITED  OFAC Non-SDN")
            && lines[1].ends_with(" (programs)"),
        "{out}"
    );
    assert!(
        lines[2].starts_with("removed  ofac-cons:30882  CHINA TELECOM CORPORATION LIMITED  "),
        "{out}"
    );
    let entities = json(&d.run(&["lists", "--lists", s(&old), "--json"]).stdout)["entities"]
        .as_u64()
        .unwrap();
    assert_eq!(
        lines[3],
        format!("1 added, 1 removed, 1 changed ({entities} entries before, {entities} after)")
    );

    let o = d.run(&["diff", s(&old), s(&new), "--json"]);
    code(&o, 0);
    let doc = json(&o.stdout);
    assert_eq!(doc["added"], 1);
    assert_eq!(doc["removed"], 1);
    assert_eq!(doc["changed"], 1);
    let changes: Vec<(&str, &str)> = doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["change"].as_str().unwrap(), c["id"].as_str().unwrap()))
        .collect();
    assert_eq!(
        changes,
        [
            ("added", "ofac-cons:99999"),
            ("changed", "ofac-cons:33114"),
            ("removed", "ofac-cons:30882")
        ]
    );
    assert_eq!(doc["changes"][1]["what"], serde_json::json!(["programs"]));
    // Nothing changed: no entries, zero counts.
    let o = d.run(&["diff", s(&old), s(&old)]);
    code(&o, 0);
    assert!(
        stdout(&o).starts_with("0 added, 0 removed, 0 changed"),
        "{}",
        stdout(&o)
    );
    // A missing snapshot is an error naming it.
    let o = d.run(&["diff", s(&old), s(&d.path("missing"))]);
    code(&o, 2);
    assert!(stderr(&o).contains("missing"), "{}", stderr(&o));
}

#[test]
fn screen_since_reports_only_hits_on_added_or_changed_entries() {
    let (d, old, new) = two_snapshots();
    let input = d.write(
        "names.csv",
        "id,name\nN-1,Acme Rocket Propulsion Works\nN-2,SenseTime Group Ltd\nN-3,China Mobile Limited\nN-4,Microsoft Corporation\n",
    );
    let screen = |extra: &[&str]| {
        let mut args = vec!["screen", s(&input), "--lists", s(&new), "--format", "json"];
        args.extend_from_slice(extra);
        d.run(&args)
    };
    let hit_ids = |doc: &serde_json::Value| -> Vec<(String, String)> {
        verdicts(doc)
            .into_iter()
            .filter(|v| v.2 != "clear")
            .map(|v| (v.0, v.3[0].clone()))
            .collect()
    };

    let all = screen(&[]);
    code(&all, 1);
    let all = json(&all.stdout);
    assert_eq!(
        hit_ids(&all),
        [
            ("N-1".to_string(), "ofac-cons:99999".to_string()),
            ("N-2".to_string(), "ofac-cons:33114".to_string()),
            ("N-3".to_string(), "ofac-cons:30880".to_string()),
        ]
    );

    let o = screen(&["--since", s(&old)]);
    code(&o, 1);
    assert!(
        stderr(&o).contains("--since: 2 entries added or changed since"),
        "{}",
        stderr(&o)
    );
    let since = json(&o.stdout);
    assert_eq!(
        hit_ids(&since),
        [
            ("N-1".to_string(), "ofac-cons:99999".to_string()),
            ("N-2".to_string(), "ofac-cons:33114".to_string()),
        ]
    );
    assert_eq!(since["results"][2]["verdict"], "clear", "unchanged entry");
    assert_eq!(since["summary"]["clear"], 2);
    assert_eq!(
        since["run"]["since"].as_array().unwrap().len(),
        SAMPLE_FILES.len()
    );
    assert_ne!(since["run"]["run_id"], all["run"]["run_id"]);

    // Only a name on an unchanged entry: clear under --since, exit 0.
    let unchanged = d.write("unchanged.csv", "name\nChina Mobile Limited\n");
    let args = [
        "screen",
        s(&unchanged),
        "--lists",
        s(&new),
        "--format",
        "csv",
    ];
    code(&d.run(&args), 1);
    let mut with_since = args.to_vec();
    with_since.extend_from_slice(&["--since", s(&old)]);
    let o = d.run(&with_since);
    code(&o, 0);
    assert_eq!(csv_rows(&o.stdout).len(), 0);
}

// ---------------------------------------------------------------------------
// 6. Inputs analysts have

const NAMES: [(&str, &str); 5] = [
    ("C-001", "SenseTime Group Ltd"),
    ("C-002", "China Mobile Limited"),
    ("C-003", "Joaquín Guzmán Loera"),
    ("C-004", "Société Générale"),
    ("C-005", "Microsoft Corporation"),
];

#[test]
fn windows_1252_bom_and_xlsx_inputs_screen_like_the_plain_csv() {
    let d = Dir::new();
    let mut plain = String::from("id,name\n");
    let mut semicolons = String::from("id;name\r\n");
    for (id, name) in NAMES {
        plain.push_str(&format!("{id},{name}\n"));
        semicolons.push_str(&format!("{id};{name}\r\n"));
    }
    let (cp1252, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&semicolons);
    assert!(!unmappable);
    assert!(cp1252.windows(2).any(|w| w == b"\xe9t"), "é as one byte");
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(plain.as_bytes());

    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "id").unwrap();
    ws.write_string(0, 1, "name").unwrap();
    for (i, (id, name)) in NAMES.iter().enumerate() {
        ws.write_string(i as u32 + 1, 0, *id).unwrap();
        ws.write_string(i as u32 + 1, 1, *name).unwrap();
    }
    let xlsx = d.path("names.xlsx");
    wb.save(&xlsx).unwrap();

    let inputs = [
        (d.write("plain.csv", &plain), "CSV (delimiter ',', UTF-8)"),
        (
            d.write("excel.csv", &cp1252),
            "CSV (delimiter ';', Windows-1252)",
        ),
        (d.write("bom.csv", &bom), "CSV (delimiter ',', UTF-8)"),
        (xlsx, "(sheet \"Sheet1\")"),
    ];
    let mut want = None;
    for (path, described) in &inputs {
        let o = d.run(&["screen", s(path), "--format", "json"]);
        code(&o, 1);
        assert!(stderr(&o).contains(described), "{}", stderr(&o));
        let got = verdicts(&json(&o.stdout));
        match &want {
            None => {
                let names: Vec<&str> = got.iter().map(|v| v.1.as_str()).collect();
                let expected: Vec<&str> = NAMES.iter().map(|n| n.1).collect();
                assert_eq!(names, expected);
                let ids: Vec<&[String]> = got.iter().map(|v| v.3.as_slice()).collect();
                assert_eq!(ids[0], ["ofac-cons:33114"]);
                assert_eq!(ids[1], ["ofac-cons:30880"]);
                assert_eq!(ids[2], ["ofac-sdn:8296"], "accented name matches");
                assert!(ids[3].is_empty() && ids[4].is_empty(), "{got:?}");
                want = Some(got);
            }
            Some(w) => assert_eq!(&got, w, "{}", path.display()),
        }
    }
}

#[test]
fn csv_report_cells_that_look_like_formulas_get_a_leading_quote() {
    let d = Dir::new();
    let input = d.write(
        "names.csv",
        "id,name\n\"=HYPERLINK(\"\"http://x\"\")\",SenseTime Group Ltd\n@SUM(A1),-China Mobile Limited\n+1,Banco Nacional de Cuba\n",
    );
    let o = d.run(&["screen", s(&input), "--format", "csv"]);
    code(&o, 1);
    let rows = csv_rows(&o.stdout);
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(rows[0]["id"], "'=HYPERLINK(\"http://x\")");
    assert_eq!(rows[1]["id"], "'@SUM(A1)");
    assert_eq!(rows[1]["name"], "'-China Mobile Limited");
    assert_eq!(rows[1]["entity_id"], "ofac-cons:30880");
    assert_eq!(rows[2]["id"], "'+1");
    for r in &rows {
        for (k, v) in r {
            assert!(!v.starts_with(['=', '+', '-', '@']), "{k} = {v}");
        }
    }
    // The JSON report keeps the values as they are.
    let o = d.run(&["screen", s(&input), "--format", "json"]);
    let doc = json(&o.stdout);
    assert_eq!(doc["results"][0]["id"], "=HYPERLINK(\"http://x\")");
    assert_eq!(doc["results"][1]["name"], "-China Mobile Limited");
}

// ---------------------------------------------------------------------------
// 7. Exit codes for CI

#[test]
fn fail_on_block_exits_zero_below_the_block_threshold_but_lists_the_hits() {
    let d = Dir::new();
    // Near misses, scoring between the report threshold and 0.99.
    let near = d.write(
        "near.csv",
        "id,name\nN-1,Sensetime Grup Limited\nN-2,China Mobil Ltd\nN-3,Microsoft Corporation\n",
    );
    let block = ["--fail-on", "block", "--block-threshold", "0.99"];
    let run = |input: &Path, extra: &[&str]| {
        let mut args = vec!["screen", s(input), "--format", "csv"];
        args.extend_from_slice(extra);
        d.run(&args)
    };
    let o = run(&near, &block);
    code(&o, 0);
    let rows = csv_rows(&o.stdout);
    assert_eq!(rows.len(), 2, "{rows:?}");
    for r in &rows {
        assert_eq!(r["severity"], "review", "{r:?}");
        assert_eq!(r["status"], "potential_match");
        let score: f64 = r["score"].parse().unwrap();
        assert!((0.85..0.99).contains(&score), "{r:?}");
    }
    assert!(
        stderr(&o).contains("2 with potential matches (0 block)"),
        "{}",
        stderr(&o)
    );
    // The default (--fail-on review) fails on them.
    code(&run(&near, &[]), 1);

    // One exact name: at or above 0.99, exit 1.
    let exact = d.write(
        "exact.csv",
        "id,name\nN-1,Sensetime Grup Limited\nN-4,China Mobile Limited\n",
    );
    let o = run(&exact, &block);
    code(&o, 1);
    let rows = csv_rows(&o.stdout);
    let by_id = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap();
    assert_eq!(by_id("N-1")["severity"], "review");
    assert_eq!(by_id("N-4")["severity"], "block");
    assert_eq!(by_id("N-4")["score"], "1.0000");
    assert!(
        stderr(&o).contains("2 with potential matches (1 block)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn block_threshold_below_the_threshold_is_a_usage_error() {
    let d = Dir::new();
    let input = d.write("names.csv", "name\nSenseTime Group Ltd\n");
    let report = d.path("report.csv");
    for (threshold, block) in [("0.9", "0.8"), ("0.85", "1.5")] {
        let o = d.run(&[
            "screen",
            s(&input),
            "--threshold",
            threshold,
            "--block-threshold",
            block,
            "-o",
            s(&report),
        ]);
        code(&o, 2);
        assert!(
            stderr(&o).contains(&format!(
                "--block-threshold must be between --threshold ({threshold}) and 1, got {block}"
            )),
            "{}",
            stderr(&o)
        );
        assert!(!report.exists());
    }
    // Equal to the threshold is fine: every hit blocks.
    let o = d.run(&[
        "screen",
        s(&input),
        "--threshold",
        "0.9",
        "--block-threshold",
        "0.9",
        "--format",
        "csv",
    ]);
    code(&o, 1);
    assert_eq!(csv_rows(&o.stdout)[0]["severity"], "block");
}

#[test]
fn a_row_in_error_exits_2_and_is_counted() {
    let d = Dir::new();
    let input = d.write(
        "names.csv",
        "id,name\nC-001,Microsoft Corporation\nC-002,Beta,extra\nC-003,Costco Wholesale Corp\n",
    );
    for extra in [&[][..], &["--fail-on", "block"][..]] {
        let mut args = vec!["screen", s(&input), "--format", "csv"];
        args.extend_from_slice(extra);
        let o = d.run(&args);
        code(&o, 2);
        let rows = csv_rows(&o.stdout);
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!(rows[0]["status"], "error");
        assert_eq!(rows[0]["id"], "C-002");
        assert_eq!(rows[0]["line"], "3");
        assert!(rows[0]["error"].contains("expected 2 fields"), "{rows:?}");
        assert!(
            stderr(&o).contains("3 rows read: 0 with potential matches (0 block), 0 cleared by decision, 2 clear, 1 in error"),
            "{}",
            stderr(&o)
        );
    }
    let o = d.run(&["screen", s(&input), "--format", "json"]);
    code(&o, 2);
    let summary = &json(&o.stdout)["summary"];
    assert_eq!(summary["rows"], 3);
    assert_eq!(summary["errors"], 1);
    assert_eq!(summary["clear"], 2);
}

#[test]
fn a_fetched_directory_given_to_lists_stands_for_its_screening_files() {
    // Another copy of an OFAC list inside the fetched directory must not be
    // loaded beside the CSV files the manifest marks for screening.
    let d = Dir::new();
    let lists = fetched_copy(&d);
    std::fs::create_dir_all(lists.join("extra")).unwrap();
    std::fs::copy(
        root().join("data/samples/ofac/sdn.xml"),
        lists.join("extra/sdn.xml"),
    )
    .unwrap();
    let input = d.write("names.csv", "name\nMicrosoft Corporation\n");
    let o = d.run(&[
        "screen",
        s(&input),
        "--lists",
        s(&lists),
        "--format",
        "json",
    ]);
    code(&o, 0);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let paths: Vec<&str> = doc["lists"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(!paths.is_empty());
    for p in &paths {
        assert!(
            p.contains("ofac_sdn_csv") || p.contains("ofac_cons_csv"),
            "{p} loaded from {paths:?}"
        );
    }
}
