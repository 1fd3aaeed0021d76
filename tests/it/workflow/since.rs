//! `screen --since`: only the hits on entries added or changed since an
//! older snapshot.

use super::*;

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
