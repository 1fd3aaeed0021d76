//! `sanctions fetch`: over HTTP, from a local directory, and what a failed
//! fetch keeps (the previous copy, for screening).

use super::*;

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
