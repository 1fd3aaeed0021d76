//! `sanctions diff`: the entries added, removed and changed between two
//! snapshots of the lists.

use super::*;

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
