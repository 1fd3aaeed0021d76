//! Reviewed decisions (`--decisions`): a false positive clears its hit
//! until the entry changes or the decision expires.

use super::*;

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
