//! The run id: shared by every row, the same on a rerun, different when
//! an input of the run changes.

use super::*;

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
