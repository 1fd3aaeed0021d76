//! Exit codes for CI: `--fail-on`, `--block-threshold`, rows in error, and
//! a fetched directory standing for its screening files.

use super::*;

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
