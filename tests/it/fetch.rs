//! `sanctions::fetch` against a tiny HTTP/1.1 server started by each test on
//! 127.0.0.1, serving the repository's sample list files, and against a
//! local mirror directory. No test touches the network beyond that server.

use sanctions::fetch::{
    FetchOptions, FetchSummary, Manifest, SOURCES, SourceOutcome, fetch, read_manifest,
    screening_paths,
};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tempfile::TempDir;

use crate::server;
use server::{Reply, Server};

// ---------------------------------------------------------------------------
// Sample files

fn sample(rel: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The OFAC SDN CSV set of the bundled sample.
const SDN_FILES: [(&str, &str); 4] = [
    ("sdn.csv", "data/lists/sdn.csv"),
    ("add.csv", "data/lists/add.csv"),
    ("alt.csv", "data/lists/alt.csv"),
    ("sdn_comments.csv", "data/lists/sdn_comments.csv"),
];

/// Serve the OFAC SDN CSV set of the bundled sample flat.
fn serve_sdn_set(server: &Server) {
    server.serve_lists(&SDN_FILES.map(|(name, _)| name));
}

/// `4379` as `4,379`.
fn grouped(n: usize) -> String {
    let s = n.to_string();
    let chunks: Vec<&str> = s
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    chunks.join(",")
}

fn sha256_hex(bytes: &[u8]) -> String {
    sanctions::lists::sha256_hex(bytes)
}

// ---------------------------------------------------------------------------
// Helpers

fn options(dir: &Path, from: &str, only: &[&str]) -> FetchOptions {
    FetchOptions {
        allow_shrink: false,
        dir: dir.to_path_buf(),
        from: Some(from.to_string()),
        timeout: Duration::from_secs(1),
        retries: 1,
        only: only.iter().map(|s| s.to_string()).collect(),
    }
}

/// Run a fetch, collecting the log lines.
fn run(opts: &FetchOptions) -> (FetchSummary, Vec<String>) {
    let mut lines = Vec::new();
    let summary = fetch(opts, &mut |l: &str| {
        eprintln!("{l}"); // shown when a test fails
        lines.push(l.to_string())
    })
    .unwrap();
    (summary, lines)
}

fn failure<'a>(s: &'a FetchSummary, key: &str) -> &'a str {
    match s.sources.iter().find(|o| o.key() == key) {
        Some(SourceOutcome::Failed { reason, .. }) => reason,
        other => panic!("{key}: expected a failure, got {other:?}"),
    }
}

/// The bytes of every file under a source directory.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn no_staging_left(dir: &Path) {
    for e in std::fs::read_dir(dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.starts_with(".staging"), "{name} left behind");
        assert_ne!(name, "lists.json.tmp");
    }
}

/// A first, successful fetch of the SDN CSV set; returns the server and dir.
fn seeded() -> (Server, TempDir) {
    let server = Server::start();
    serve_sdn_set(&server);
    let tmp = TempDir::new().unwrap();
    let (summary, _) = run(&options(tmp.path(), &server.base, &["ofac-sdn-csv"]));
    assert!(summary.all_fetched(), "{summary:?}");
    (server, tmp)
}

/// A second fetch with `sdn.csv` answered by `reply` fails, and leaves the
/// previous files and manifest as they were. Returns the failure reason.
fn second_fetch_fails_and_keeps_old_copy(
    reply: Vec<Reply>,
    opts_edit: fn(&mut FetchOptions),
) -> String {
    let (server, tmp) = seeded();
    let dir = tmp.path();
    let before_files = snapshot(&dir.join("ofac_sdn_csv"));
    let before_manifest = std::fs::read(dir.join("lists.json")).unwrap();
    // Every other file of the set changes, so a partial replacement would show.
    for (name, rel) in &SDN_FILES[1..] {
        let mut changed = sample(rel);
        changed.extend_from_slice(b"\r\n");
        server.serve(name, changed);
    }
    server.set("sdn.csv", reply);
    let mut opts = options(dir, &format!("{}/", server.base), &["ofac-sdn-csv"]);
    opts_edit(&mut opts);
    let (summary, log) = run(&opts);
    assert!(!summary.all_fetched());
    assert_eq!(
        summary.manifest, None,
        "nothing fetched, manifest untouched"
    );
    assert_eq!(snapshot(&dir.join("ofac_sdn_csv")), before_files);
    assert_eq!(
        std::fs::read(dir.join("lists.json")).unwrap(),
        before_manifest
    );
    no_staging_left(dir);
    let reason = failure(&summary, "ofac-sdn-csv").to_string();
    assert!(
        log.iter()
            .any(|l| l.starts_with("ofac-sdn-csv: failed: ")
                && l.ends_with("kept the previous copy")),
        "{log:?}"
    );
    reason
}

// ---------------------------------------------------------------------------
// Tests

#[test]
fn the_test_server_listens_on_loopback_only_and_stops_when_dropped() {
    let server = Server::start();
    let addr = server
        .base
        .strip_prefix("http://")
        .unwrap()
        .parse::<std::net::SocketAddr>()
        .unwrap();
    assert!(addr.ip().is_loopback(), "{addr}");
    assert!(std::net::TcpStream::connect(addr).is_ok());
    drop(server);
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "{addr} still accepts"
    );
}

#[test]
fn a_fetch_puts_the_files_in_place_and_writes_the_manifest() {
    let server = Server::start();
    serve_sdn_set(&server);
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("new/lists"); // created by fetch
    let (summary, log) = run(&options(&dir, &server.base, &["ofac-sdn-csv"]));
    assert!(summary.all_fetched(), "{summary:?}");
    assert_eq!(summary.manifest, Some(dir.join("lists.json")));
    let SourceOutcome::Fetched {
        key,
        files,
        entities,
        ..
    } = &summary.sources[0]
    else {
        panic!("{summary:?}")
    };
    assert_eq!(*key, "ofac-sdn-csv");
    assert_eq!(files.len(), 4);
    assert!(*entities > 0);
    assert!(
        log.contains(&format!(
            "ofac-sdn-csv: sdn.csv {} bytes",
            grouped(sample("data/lists/sdn.csv").len())
        )),
        "{log:?}"
    );
    for (name, rel) in SDN_FILES {
        assert_eq!(
            std::fs::read(dir.join("ofac_sdn_csv").join(name)).unwrap(),
            sample(rel)
        );
    }
    no_staging_left(&dir);

    let manifest = read_manifest(&dir).unwrap().unwrap();
    assert_eq!(manifest.schema_version, 1);
    assert_eq!(manifest.sources.len(), 1);
    let m = &manifest.sources[0];
    assert_eq!(m.key, "ofac-sdn-csv");
    assert_eq!(m.dir, "ofac_sdn_csv");
    assert!(m.screen);
    assert_eq!(m.entities, *entities);
    assert!(m.entities > 0);
    assert_eq!(m.published, None, "OFAC CSV files state no date");
    // RFC 3339 UTC to the second, and now.
    let r = m.retrieved.as_bytes();
    assert_eq!(r.len(), 20, "{}", m.retrieved);
    assert_eq!(
        (r[4], r[7], r[10], r[13], r[16], r[19]),
        (b'-', b'-', b'T', b':', b':', b'Z')
    );
    let now = sanctions::fetch::rfc3339(std::time::SystemTime::now());
    assert_eq!(&m.retrieved[..10], &now[..10]);
    let names: Vec<&str> = m.files.iter().map(|f| f.file.as_str()).collect();
    assert_eq!(names, ["sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"]);
    for (f, (_, rel)) in m.files.iter().zip(SDN_FILES) {
        let bytes = sample(rel);
        assert_eq!(f.sha256, sha256_hex(&bytes));
        assert_eq!(f.bytes, bytes.len() as u64);
        assert_eq!(
            f.url,
            format!("{}/{}", server.base, f.file),
            "flat mirror fallback"
        );
        // The nested layout was tried first and answered 404.
        assert_eq!(server.hits(&format!("ofac_sdn_csv/{}", f.file)), 1);
        assert_eq!(server.hits(&f.file), 1);
    }
    assert_eq!(&m.files, files);

    // The JSON keys are in a fixed order.
    let text = std::fs::read_to_string(dir.join("lists.json")).unwrap();
    let order = [
        "\"schema_version\"",
        "\"sources\"",
        "\"key\"",
        "\"label\"",
        "\"dir\"",
        "\"screen\"",
        "\"retrieved\"",
        "\"published\"",
        "\"entities\"",
        "\"files\"",
        "\"file\"",
        "\"url\"",
        "\"sha256\"",
        "\"bytes\"",
    ];
    let at: Vec<usize> = order.iter().map(|k| text.find(k).unwrap()).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{text}");

    // The fetched directory loads on its own.
    let catalog = sanctions::lists::load_paths(&[dir.join("ofac_sdn_csv")]).unwrap();
    assert_eq!(catalog.entities.len(), m.entities);
}

#[test]
fn a_500_keeps_the_previous_copy_and_manifest_entry() {
    let reason = second_fetch_fails_and_keeps_old_copy(vec![Reply::Status(500)], |_| {});
    assert!(
        reason.contains("/sdn.csv: HTTP 500 after 2 attempts"),
        "{reason}"
    );
    assert!(reason.starts_with("http://127.0.0.1:"), "{reason}");
}

#[test]
fn a_timeout_keeps_the_previous_copy() {
    let t = Instant::now();
    let reason = second_fetch_fails_and_keeps_old_copy(
        vec![Reply::Slow(
            Duration::from_secs(3),
            sample("data/lists/sdn.csv"),
        )],
        |o| {
            o.timeout = Duration::from_millis(500);
            o.retries = 0;
        },
    );
    assert!(reason.contains("/sdn.csv: timed out"), "{reason}");
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
}

#[test]
fn a_truncated_body_keeps_the_previous_copy() {
    let mut half = sample("data/lists/sdn.csv");
    let full = half.len();
    half.truncate(full / 2);
    let got = half.len();
    let reason = second_fetch_fails_and_keeps_old_copy(vec![Reply::Truncated(half, full)], |_| {});
    assert!(
        reason.contains(&format!("truncated: got {got} of {full} bytes")),
        "{reason}"
    );
    assert!(reason.contains("after 2 attempts"), "{reason}");
}

#[test]
fn a_file_that_is_not_a_list_keeps_the_previous_copy() {
    let reason = second_fetch_fails_and_keeps_old_copy(
        vec![Reply::Ok(
            b"<html><body>Service temporarily unavailable</body></html>".to_vec(),
        )],
        |_| {},
    );
    assert!(reason.contains("sdn.csv"), "{reason}");
    assert!(reason.contains("not a recognized list format"), "{reason}");
}

#[test]
fn a_companion_file_that_is_not_a_list_keeps_the_previous_copy() {
    // sdn.csv loads, but add.csv is an error page: the set is refused.
    let (server, tmp) = seeded();
    let dir = tmp.path();
    let before = snapshot(&dir.join("ofac_sdn_csv"));
    server.serve("add.csv", b"Too many requests, try later\n".to_vec());
    let (summary, _) = run(&options(dir, &server.base, &["ofac-sdn-csv"]));
    let reason = failure(&summary, "ofac-sdn-csv");
    assert!(
        reason.contains("/add.csv: not a recognized list format"),
        "{reason}"
    );
    assert_eq!(snapshot(&dir.join("ofac_sdn_csv")), before);
    no_staging_left(dir);
}

#[test]
fn a_list_that_lost_more_than_half_its_entries_is_refused_unless_allowed() {
    // sdn.csv parses, but holds only its first two records: cut short.
    let (server, tmp) = seeded();
    let dir = tmp.path();
    let before = snapshot(&dir.join("ofac_sdn_csv"));
    let full = sample("data/lists/sdn.csv");
    let two_lines: Vec<u8> = full
        .split_inclusive(|&b| b == b'\n')
        .take(2)
        .flatten()
        .copied()
        .collect();
    server.serve("sdn.csv", two_lines);
    let (summary, _) = run(&options(dir, &server.base, &["ofac-sdn-csv"]));
    let reason = failure(&summary, "ofac-sdn-csv");
    assert!(
        reason.contains("loaded 2 entities where the copy it would replace has 22"),
        "{reason}"
    );
    assert_eq!(snapshot(&dir.join("ofac_sdn_csv")), before);
    no_staging_left(dir);
    let mut opts = options(dir, &server.base, &["ofac-sdn-csv"]);
    opts.allow_shrink = true;
    let (summary, _) = run(&opts);
    assert!(summary.all_fetched(), "{summary:?}");
    assert_eq!(read_manifest(dir).unwrap().unwrap().sources[0].entities, 2);
}

#[test]
fn a_file_of_another_list_is_refused() {
    // A mirror serving the UN list where OFAC's consolidated.xml belongs.
    let server = Server::start();
    server.serve(
        "consolidated.xml",
        sample("data/samples/un/consolidated.xml"),
    );
    let tmp = TempDir::new().unwrap();
    let (summary, _) = run(&options(tmp.path(), &server.base, &["ofac-cons-xml", "un"]));
    let reason = failure(&summary, "ofac-cons-xml");
    assert!(reason.contains("is a un-xml file"), "{reason}");
    assert!(reason.contains("expected ofac-xml"), "{reason}");
    assert!(summary.sources[1].is_fetched(), "{summary:?}");
    assert!(!tmp.path().join("ofac_cons_xml").exists());
    let m = read_manifest(tmp.path()).unwrap().unwrap();
    assert_eq!(m.sources.len(), 1);
    assert_eq!(m.sources[0].key, "un");
}

#[test]
fn a_retry_after_a_500_succeeds() {
    let server = Server::start();
    serve_sdn_set(&server);
    server.set(
        "sdn.csv",
        vec![Reply::Status(503), Reply::Ok(sample("data/lists/sdn.csv"))],
    );
    let tmp = TempDir::new().unwrap();
    let (summary, log) = run(&options(tmp.path(), &server.base, &["ofac-sdn-csv"]));
    assert!(summary.all_fetched(), "{summary:?}");
    assert_eq!(server.hits("sdn.csv"), 2);
    assert!(
        log.iter()
            .any(|l| l.contains("attempt 1 of 2 failed") && l.contains("HTTP 503")),
        "{log:?}"
    );
    assert_eq!(
        std::fs::read(tmp.path().join("ofac_sdn_csv/sdn.csv")).unwrap(),
        sample("data/lists/sdn.csv")
    );
}

#[test]
fn a_4xx_is_not_retried() {
    let server = Server::start();
    serve_sdn_set(&server);
    server.set("alt.csv", vec![Reply::Status(403)]);
    let tmp = TempDir::new().unwrap();
    let mut opts = options(tmp.path(), &server.base, &["ofac-sdn-csv"]);
    opts.retries = 3;
    let (summary, _) = run(&opts);
    let reason = failure(&summary, "ofac-sdn-csv");
    assert!(reason.ends_with("/alt.csv: HTTP 403"), "{reason}");
    assert_eq!(server.hits("alt.csv"), 1);
    assert!(!tmp.path().join("ofac_sdn_csv").exists());
    assert!(!tmp.path().join("lists.json").exists());
    no_staging_left(tmp.path());
}

#[test]
fn a_failed_source_keeps_its_manifest_entry_while_others_update() {
    let server = Server::start();
    serve_sdn_set(&server);
    server.serve(
        "consolidated.csv",
        sample("data/samples/csl/consolidated.csv"),
    );
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    // csl-csv first in `only`: the manifest still follows SOURCES.
    let (first, _) = run(&options(dir, &server.base, &["csl-csv", "ofac-sdn-csv"]));
    assert!(first.all_fetched(), "{first:?}");
    let before = read_manifest(dir).unwrap().unwrap();
    let keys: Vec<&str> = before.sources.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(keys, ["ofac-sdn-csv", "csl-csv"]);

    let mut sdn = sample("data/lists/sdn.csv");
    sdn.extend_from_slice(b"\r\n");
    server.serve("sdn.csv", sdn.clone());
    server.set("consolidated.csv", vec![Reply::Status(500)]);
    let (second, _) = run(&options(dir, &server.base, &["ofac-sdn-csv", "csl-csv"]));
    assert!(second.sources[0].is_fetched());
    assert!(failure(&second, "csl-csv").contains("HTTP 500"));
    let after = read_manifest(dir).unwrap().unwrap();
    assert_eq!(
        after.sources[1], before.sources[1],
        "failed source unchanged"
    );
    assert_ne!(after.sources[0], before.sources[0]);
    assert_eq!(after.sources[0].files[0].sha256, sha256_hex(&sdn));
    assert_eq!(
        std::fs::read(dir.join("ofac_sdn_csv/sdn.csv")).unwrap(),
        sdn
    );
    assert_eq!(
        std::fs::read(dir.join("trade_gov_csl_csv/consolidated.csv")).unwrap(),
        sample("data/samples/csl/consolidated.csv")
    );
}

#[test]
fn from_a_local_directory_flat_or_by_source_directory() {
    let mirror = TempDir::new().unwrap();
    let m = mirror.path();
    // The SDN set flat, the consolidated set in its source directory, with
    // an empty comments file (OFAC publishes none when there are no long
    // remarks; no sample exists).
    for (name, rel) in SDN_FILES {
        std::fs::write(m.join(name), sample(rel)).unwrap();
    }
    std::fs::create_dir(m.join("ofac_cons_csv")).unwrap();
    for name in ["cons_prim.csv", "cons_add.csv", "cons_alt.csv"] {
        std::fs::write(
            m.join("ofac_cons_csv").join(name),
            sample(&format!("data/lists/{name}")),
        )
        .unwrap();
    }
    std::fs::write(m.join("ofac_cons_csv/cons_comments.csv"), b"").unwrap();
    // A decoy of the same name at the top: the source directory wins.
    std::fs::write(m.join("cons_prim.csv"), b"not this one").unwrap();

    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let from = m.to_str().unwrap();
    let (summary, log) = run(&options(dir, from, &["ofac-sdn-csv", "ofac-cons-csv"]));
    assert!(summary.all_fetched(), "{summary:?}");
    assert!(
        log.contains(&"ofac-cons-csv: cons_comments.csv is empty (no records)".to_string()),
        "{log:?}"
    );
    let manifest = read_manifest(dir).unwrap().unwrap();
    let sdn = manifest.source("ofac-sdn-csv").unwrap();
    assert_eq!(sdn.files[0].url, m.join("sdn.csv").display().to_string());
    let cons = manifest.source("ofac-cons-csv").unwrap();
    assert_eq!(
        cons.files[0].url,
        m.join("ofac_cons_csv/cons_prim.csv").display().to_string()
    );
    assert!(cons.entities > 0);
    assert_eq!(
        std::fs::read(dir.join("ofac_cons_csv/cons_prim.csv")).unwrap(),
        sample("data/lists/cons_prim.csv")
    );
    // A lists directory is itself a valid mirror.
    let again = TempDir::new().unwrap();
    let (copy, _) = run(&options(again.path(), dir.to_str().unwrap(), &[]));
    let fetched: Vec<&str> = copy
        .sources
        .iter()
        .filter(|s| s.is_fetched())
        .map(|s| s.key())
        .collect();
    assert_eq!(fetched, ["ofac-sdn-csv", "ofac-cons-csv"]);
    let reason = failure(&copy, "un");
    assert!(
        reason.contains("no consolidated.xml in the mirror"),
        "{reason}"
    );
    assert!(reason.contains(&dir.join("un/consolidated.xml").display().to_string()));
}

#[test]
fn a_missing_mirror_directory_is_an_error() {
    let tmp = TempDir::new().unwrap();
    let missing = tmp.path().join("nope");
    let err = fetch(
        &options(&tmp.path().join("lists"), missing.to_str().unwrap(), &[]),
        &mut |_| {},
    )
    .unwrap_err();
    assert!(format!("{err:#}").contains("nope"), "{err:#}");
    let err = fetch(
        &options(tmp.path(), "ftp://example.org/lists", &[]),
        &mut |_| {},
    )
    .unwrap_err();
    assert!(
        format!("{err:#}").contains("ftp://example.org/lists"),
        "{err:#}"
    );
}

#[test]
fn an_unknown_key_is_an_error_listing_the_known_keys() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("lists");
    let opts = options(
        &dir,
        tmp.path().to_str().unwrap(),
        &["ofac-sdn-csv", "ofac-sdn"],
    );
    let err = format!("{:#}", fetch(&opts, &mut |_| {}).unwrap_err());
    assert!(err.contains("\"ofac-sdn\""), "{err}");
    for s in SOURCES {
        assert!(err.contains(s.key), "{err}");
    }
    assert!(!dir.exists(), "nothing created");
}

#[test]
fn read_manifest_and_screening_paths() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    assert_eq!(read_manifest(dir).unwrap(), None);
    assert_eq!(screening_paths(dir).unwrap(), None);

    // Malformed: an error naming the file.
    std::fs::write(dir.join("lists.json"), b"{\"schema_version\":1,").unwrap();
    let err = format!("{:#}", read_manifest(dir).unwrap_err());
    assert!(err.contains("lists.json"), "{err}");
    assert!(screening_paths(dir).is_err());
    // Another schema version, or a directory outside the lists directory.
    std::fs::write(
        dir.join("lists.json"),
        br#"{"schema_version":2,"sources":[]}"#,
    )
    .unwrap();
    assert!(format!("{:#}", read_manifest(dir).unwrap_err()).contains("schema_version 2"));
    std::fs::write(
        dir.join("lists.json"),
        br#"{"schema_version":1,"sources":[{"key":"x","label":"","dir":"../x","screen":true,"retrieved":"","published":null,"entities":1,"files":[]}]}"#,
    )
    .unwrap();
    assert!(format!("{:#}", read_manifest(dir).unwrap_err()).contains("../x"));
    std::fs::remove_file(dir.join("lists.json")).unwrap();

    // Every source, from the server: each sample file in its source
    // directory on the server (OFAC's and the UN's consolidated.xml share a
    // name), or flat.
    let server = Server::start();
    serve_sdn_set(&server);
    server.serve_lists(&["cons_prim.csv", "cons_add.csv", "cons_alt.csv"]);
    server.serve("cons_comments.csv", Vec::new());
    server.serve("sdn.xml", sample("data/samples/ofac/sdn.xml"));
    server.serve(
        "ofac_cons_xml/consolidated.xml",
        sample("data/samples/ofac/sdn.xml"),
    );
    server.serve(
        "un/consolidated.xml",
        sample("data/samples/un/consolidated.xml"),
    );
    server.serve(
        "consolidated.csv",
        sample("data/samples/csl/consolidated.csv"),
    );
    server.serve(
        "consolidated.json",
        sample("data/samples/csl/consolidated.json"),
    );
    server.serve(
        "UK-Sanctions-List.xml",
        sample("data/samples/uk/UK_Sanctions_List.xml"),
    );
    server.serve("eu_fsf.xml", sample("data/samples/eu/fsf.xml"));
    let (summary, _) = run(&options(dir, &server.base, &[]));
    assert!(summary.all_fetched(), "{summary:?}");
    let manifest: Manifest = read_manifest(dir).unwrap().unwrap();
    let keys: Vec<&str> = manifest.sources.iter().map(|s| s.key.as_str()).collect();
    // Every source a plain fetch takes (OpenSanctions' only on request).
    let all: Vec<&str> = SOURCES
        .iter()
        .filter(|s| s.fetched_by_default)
        .map(|s| s.key)
        .collect();
    assert_eq!(keys, all);
    assert_eq!(
        manifest.source("un").unwrap().files[0].url,
        format!("{}/un/consolidated.xml", server.base)
    );
    assert!(manifest.source("un").unwrap().published.is_some());

    let paths = screening_paths(dir).unwrap().unwrap();
    let expected: Vec<PathBuf> = SOURCES
        .iter()
        .filter(|s| s.screen)
        .map(|s| dir.join(s.dir))
        .collect();
    assert_eq!(paths, expected);
    // The screening directories load together, each party once per list.
    let catalog = sanctions::lists::load_paths(&paths).unwrap();
    let screened: usize = manifest
        .sources
        .iter()
        .filter(|s| s.screen)
        .map(|s| s.entities)
        .sum();
    assert_eq!(catalog.entities.len(), screened);

    // A source whose directory is gone is left out.
    std::fs::remove_dir_all(dir.join("eu")).unwrap();
    let paths = screening_paths(dir).unwrap().unwrap();
    assert_eq!(paths.len(), expected.len() - 1);
    assert!(!paths.contains(&dir.join("eu")));
}
