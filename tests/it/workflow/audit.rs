//! The audit record (`--audit`): what a run read, decided and exited with.

use super::*;

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
