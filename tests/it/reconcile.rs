//! Nothing lost: for any input file, every row read gets one verdict, and
//! the report's counts reconcile with the rows read
//! (`rows = clear + potential_matches + cleared_by_decision + errors`).
//!
//! Inputs are generated: well-formed rows (listed names, clean names, empty
//! names, ragged rows, quoted fields with commas and line breaks, invalid
//! UTF-8, NUL bytes, spreadsheet formulas) and, in some cases, arbitrary
//! bytes appended. The built binary screens each against the bundled sample
//! and writes a JSON report.

use proptest::prelude::*;

use crate::common;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_sanctions");

/// One generated data row: its bytes, and whether it must come back as a
/// row of its own (false for rows whose quoting may merge lines).
fn row() -> impl Strategy<Value = (Vec<u8>, bool)> {
    prop_oneof![
        Just((b"1,SenseTime Group Ltd".to_vec(), true)),
        Just((b"2,China Mobile Limited".to_vec(), true)),
        Just((b"3,Microsoft Corporation".to_vec(), true)),
        Just((b"4,".to_vec(), true)),
        Just((b"5,too,many,fields".to_vec(), true)),
        Just((b"6".to_vec(), true)),
        Just((b"7,\"ACME, \"\"Trading\"\" LLC\"".to_vec(), true)),
        Just((b"8,\"split\nacross lines\"".to_vec(), true)),
        Just((b"9,caf\xe9 soci\xe9t\xe9".to_vec(), true)),
        Just((b"10,NUL\0inside".to_vec(), true)),
        Just((b"=1+1,@SUM(A1)".to_vec(), true)),
        "[a-zA-Z0-9 .,'-]{0,30}".prop_map(|s| (format!("11,{s}").into_bytes(), !s.contains(','))),
        proptest::collection::vec(any::<u8>(), 0..40).prop_map(|b| (b, false)),
    ]
}

fn config() -> ProptestConfig {
    common::proptest_config(40)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn prop_every_row_read_gets_one_verdict_and_the_counts_reconcile(
        rows in proptest::collection::vec(row(), 0..25),
        crlf in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let eol: &[u8] = if crlf { b"\r\n" } else { b"\n" };
        let mut bytes = b"id,name".to_vec();
        for (r, _) in &rows {
            bytes.extend_from_slice(eol);
            bytes.extend_from_slice(r);
        }
        bytes.extend_from_slice(eol);
        let input = dir.path().join("input.csv");
        std::fs::write(&input, &bytes).unwrap();
        let out = Command::new(BIN)
            .args(["screen", "input.csv", "--format", "json"])
            .current_dir(dir.path())
            .env_remove("SANCTIONS_LISTS")
            .env("SANCTIONS_HOME", dir.path().join("home"))
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        prop_assert!(!stderr.contains("panicked"), "{}", stderr);
        prop_assert!(matches!(out.status.code(), Some(0..=2)), "{:?} {}", out.status, stderr);
        let doc: serde_json::Value = match serde_json::from_slice(&out.stdout) {
            Ok(d) => d,
            // A fatal input error (no report) must say so and exit 2.
            Err(_) => {
                prop_assert_eq!(out.status.code(), Some(2));
                prop_assert!(stderr.contains("input.csv"), "{}", stderr);
                return Ok(());
            }
        };
        let s = &doc["summary"];
        let n = |k: &str| s[k].as_u64().unwrap();
        let results = doc["results"].as_array().unwrap();
        prop_assert_eq!(n("rows"), results.len() as u64);
        prop_assert_eq!(
            n("rows"),
            n("clear") + n("potential_matches") + n("cleared_by_decision") + n("errors")
        );
        // Rows are numbered 1, 2, 3... once each, in order.
        for (i, r) in results.iter().enumerate() {
            prop_assert_eq!(r["row"].as_u64(), Some(i as u64 + 1));
        }
        // Rows that cannot merge with others come back one for one.
        if rows.iter().all(|(_, whole)| *whole) {
            prop_assert_eq!(n("rows"), rows.len() as u64, "{}", String::from_utf8_lossy(&bytes));
        }
        let errors = results.iter().filter(|r| r["verdict"] == "error").count() as u64;
        prop_assert_eq!(errors, n("errors"));
        // The exit status agrees with the counts.
        let want = if errors > 0 { 2 } else if n("potential_matches") > 0 { 1 } else { 0 };
        prop_assert_eq!(out.status.code(), Some(want));
    }
}
