//! End-to-end tests of the built binary, each in a fresh temporary directory.

use crate::dir;
use crate::run;
use crate::shared;

use dir::{Dir, root, s};
use run::{jsonl, stderr, stdout};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Output, Stdio};

fn example() -> PathBuf {
    root().join("data/examples/names.csv")
}

/// The real published lists, when this checkout sits beside `shared/`.
fn shared_lists() -> Option<PathBuf> {
    shared::shared_lists("")
}

/// Run the binary with these bytes on its standard input.
fn run_stdin(d: &Dir, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = d.command(args).stdin(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn example_on_bundled_sample_flags_listed_and_clears_clean_names() {
    let d = Dir::new();
    let o = d.run(&["screen", s(&example()), "--format", "jsonl"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("bundled SAMPLE lists"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("10 rows read"), "{}", stderr(&o));
    let hits = jsonl(&o);
    let flagged: Vec<&str> = hits.iter().map(|h| h["id"].as_str().unwrap()).collect();
    for id in [
        "C-001", "C-002", "C-003", "C-004", "C-005", "C-009", "C-010",
    ] {
        assert!(flagged.contains(&id), "{id} not flagged: {flagged:?}");
    }
    for id in ["C-006", "C-007", "C-008"] {
        assert!(!flagged.contains(&id), "{id} flagged");
    }
    for h in &hits {
        for key in [
            "row",
            "id",
            "name",
            "score",
            "entity_id",
            "list",
            "matched_name",
            "primary_name",
            "entity_type",
            "programs",
            "explanation",
        ] {
            assert!(h.get(key).is_some(), "missing {key} in {h}");
        }
        let score = h["score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&score));
    }
    let sensetime = hits.iter().find(|h| h["id"] == "C-001").unwrap();
    assert!(
        sensetime["list"].as_str().unwrap().contains("NS-CMIC"),
        "{sensetime}"
    );
}

#[test]
fn exit_zero_when_everything_is_clear() {
    let d = Dir::new();
    let input = d.write(
        "clean.csv",
        "name\nMicrosoft Corporation\nCostco Wholesale Corp\n",
    );
    let o = d.run(&["screen", s(&input), "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 1, "header only: {}", stdout(&o));
    assert!(
        stderr(&o).contains(
            "2 rows read: 0 with potential matches (0 block), 0 cleared by decision, 2 clear, 0 in error"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn reads_standard_input_and_writes_output_file() {
    let d = Dir::new();
    let out = d.path("report.csv");
    let o = run_stdin(
        &d,
        &["screen", "-", "--output", s(&out)],
        b"name\nSenseTime Group Ltd\n",
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    let report = std::fs::read_to_string(&out).unwrap();
    assert!(
        report.starts_with("row,id,name,status,score,severity,ofac_score,entity_id,entity_hash"),
        "{report}"
    );
    assert!(report.to_lowercase().contains("sensetime"));
}

#[test]
fn other_name_column() {
    let d = Dir::new();
    let input = d.write("in.csv", "company,country\nSenseTime Group Ltd,CN\n");
    let o = d.run(&[
        "screen",
        s(&input),
        "--column",
        "company",
        "--format",
        "jsonl",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(jsonl(&o)[0]["row"], 1);
}

#[test]
fn bad_input_exits_two_naming_file_and_line() {
    let d = Dir::new();
    let cases: [(&str, &str, &str); 4] = [
        (
            "nocol.csv",
            "company\nAcme\n",
            "nocol.csv:1: no `name` column",
        ),
        ("empty.csv", "", "empty.csv:1: empty input"),
        (
            "ragged.csv",
            "name,id\nAcme,1\nBeta,2,3\n",
            "ragged.csv:3: expected 2 fields",
        ),
        ("blank.csv", "name,id\n,1\n", "blank.csv:2: empty `name`"),
    ];
    for (file, content, message) in cases {
        let input = d.write(file, content);
        let o = d.run(&["screen", s(&input), "--format", "jsonl"]);
        assert_eq!(o.status.code(), Some(2), "{file}: {}", stderr(&o));
        let all = format!("{}{}", stdout(&o), stderr(&o));
        assert!(all.contains(message), "{file}: {all}");
        assert!(!all.contains("panicked"), "{all}");
    }
}

#[test]
fn row_errors_are_reported_and_counted_not_dropped() {
    let d = Dir::new();
    let input = d.write(
        "mixed.csv",
        "name,id\nSenseTime Group Ltd,1\nBeta,2,3\nApple Inc.,4\n",
    );
    let o = d.run(&["screen", s(&input), "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let summary = &doc["summary"];
    assert_eq!(summary["rows"], 3);
    assert_eq!(summary["potential_matches"], 1);
    assert_eq!(summary["clear"], 1);
    assert_eq!(summary["errors"], 1);
    let verdicts: Vec<&str> = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["potential_match", "error", "clear"]);
}

#[test]
fn bad_list_paths_exit_two_with_the_file_named() {
    let d = Dir::new();
    let input = d.write("in.csv", "name\nAcme\n");
    let missing = d.path("no-such-dir");
    let o = d.run(&["screen", s(&input), "--lists", s(&missing)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no-such-dir"), "{}", stderr(&o));

    let junk = d.write("junk.txt", "this is not a list\n");
    let o = d.run(&["screen", s(&input), "--lists", s(&junk)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("junk.txt:1: not a recognized list format"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn json_report_records_lists_with_checksums() {
    let d = Dir::new();
    let o = d.run(&["screen", s(&example()), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["tool"], "sanctions");
    assert_eq!(doc["run"]["bundled_sample_lists"], true);
    let lists = doc["lists"].as_array().unwrap();
    assert!(!lists.is_empty());
    for l in lists {
        assert_eq!(l["sha256"].as_str().unwrap().len(), 64);
    }
    assert!(lists.iter().any(|l| l["entities"].as_u64().unwrap() > 0));
    assert_eq!(doc["summary"]["rows"], 10);
}

#[test]
fn reports_are_byte_identical_across_runs() {
    let d = Dir::new();
    for format in ["csv", "json", "jsonl", "table"] {
        let a = d.run(&["screen", s(&example()), "--format", format]);
        let b = d.run(&["screen", s(&example()), "--format", format]);
        assert_eq!(a.stdout, b.stdout, "{format}");
    }
}

#[test]
fn golden_reports() {
    let golden = root().join("tests/golden");
    for (format, file) in [
        ("csv", "report.csv"),
        ("json", "report.json"),
        ("table", "report.txt"),
    ] {
        // Run from the repository so the input path in the report is relative and stable.
        let o = Dir::new()
            .command(&["screen", "data/examples/names.csv", "--format", format])
            .current_dir(root())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let path = golden.join(file);
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::create_dir_all(&golden).unwrap();
            std::fs::write(&path, &o.stdout).unwrap();
            continue;
        }
        let want = std::fs::read(&path)
            .unwrap_or_else(|_| panic!("{file} missing: run UPDATE_GOLDEN=1 cargo test"));
        if format == "json" {
            let a: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            let b: serde_json::Value = serde_json::from_slice(&want).unwrap();
            assert_eq!(a, b, "{file} differs by value");
        }
        assert!(
            o.stdout == want,
            "{file} differs from the golden copy; review and run UPDATE_GOLDEN=1 cargo test\n{}",
            stdout(&o)
        );
    }
}

#[test]
fn lists_command_describes_the_bundled_sample() {
    let d = Dir::new();
    let o = d.run(&["lists", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["bundled_sample_lists"], true);
    assert!(doc["entities"].as_u64().unwrap() >= 30);
    assert_eq!(
        doc["warnings"].as_array().unwrap().len(),
        0,
        "{}",
        doc["warnings"]
    );
}

#[test]
fn query_explains_each_token() {
    let d = Dir::new();
    let o = d.run(&["query", "HIK VISION DIGITAL TECH"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    // In the words of both names as written, with the rule that joined them.
    assert!(
        out.contains("HIK VISION ~ Hikvision (words written together, 1.00)"),
        "{out}"
    );
    assert!(
        out.contains("hik vision           ~ hikvision            1.000 (words written together)"),
        "{out}"
    );
    assert!(out.contains("canonicalized: tech → technology"), "{out}");
    let o = d.run(&["query", "Costco Wholesale Corp"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("clear"));
    // A compound input name: the hit says which part matched.
    let o = d.run(&[
        "query",
        "Westlake Plastics Trading (Hangzhou Hikvision Digital Technology)",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains(
            "matched by this part of the query: \"Hangzhou Hikvision Digital Technology\""
        ),
        "{out}"
    );
}

#[test]
fn query_gives_the_severity_screen_gives() {
    let d = Dir::new();
    let severity = |args: &[&str]| {
        let mut all = vec!["query", "BANCO NACIONAL DE CUBA", "--json"];
        all.extend(args);
        let o = d.run(&all);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        v["hits"][0]["severity"].as_str().unwrap().to_string()
    };
    // An exact name scores 1, at or above the default block threshold.
    assert_eq!(severity(&[]), "block");
    let screened = d.write("one.csv", "name\nBANCO NACIONAL DE CUBA\n");
    let o = d.run(&["screen", s(&screened), "--format", "jsonl"]);
    assert_eq!(jsonl(&o)[0]["severity"], "block");
    // Below a block threshold given, as `screen --block-threshold` would say.
    assert_eq!(
        severity(&["--threshold", "0.5", "--block-threshold", "0.5"]),
        "block"
    );
    let o = d.run(&[
        "query",
        "BANCO NACIONAL DE CUBAX",
        "--json",
        "--block-threshold",
        "1",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["hits"][0]["severity"], "review", "{v}");
}

#[test]
fn query_weighs_a_date_of_birth_type_and_country_and_says_so() {
    let d = Dir::new();
    // The bundled sample lists KIM, Jong Un, born 08 Jan 1984, of North Korea.
    let o = d.run(&[
        "query",
        "Kim Jong Un",
        "--dob",
        "1984-01-08",
        "--country",
        "US",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("evidence: date of birth 1984-01-08 agrees with the listed 08 Jan 1984"),
        "{out}"
    );
    assert!(
        out.contains("evidence: input country US is not among"),
        "{out}"
    );
    assert!(out.contains("0.9000"), "{out}");
    // An organization is not the listed person: x 0.5 puts it under the threshold.
    let o = d.run(&["query", "Kim Jong Un", "--type", "organization"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // A value that cannot be read is left out with a warning: the name is
    // screened as without it (exit 1, the listed person found).
    for (flag, value, what) in [
        ("--dob", "someday", "is not a date of birth"),
        ("--type", "fish", "is not a type"),
        ("--country", "Atlantis", "is not a country"),
    ] {
        let o = d.run(&["query", "Kim Jong Un", flag, value]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains(&format!("warning: the `{flag}` value \"{value}\" {what}")),
            "{err}"
        );
        assert!(!stdout(&o).contains("evidence:"), "{}", stdout(&o));
    }
}

#[test]
fn usage_errors_exit_two() {
    let d = Dir::new();
    assert_eq!(
        d.run(&["screen", "x.csv", "--threshold", "2"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(d.run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(d.run(&["--version"]).status.code(), Some(0));
}

#[test]
fn real_lists_flag_and_clear_the_reference_names() {
    let Some(lists) = shared_lists() else { return };
    let d = Dir::new();
    let input = d.write(
        "ref.csv",
        "id,name\n\
         flag-cmic-1,SenseTime Group Ltd\n\
         flag-cmic-2,China Mobile Limited\n\
         flag-el,Pakistan Atomic Energy Commission\n\
         flag-sdn-1,Islamic Revolutionary Guard Corps\n\
         flag-sdn-2,Banco Nacional de Cuba\n\
         clear-1,Microsoft Corporation\n\
         clear-2,Costco Wholesale Corp\n\
         clear-3,Apple Inc.\n",
    );
    let o = d.run(&[
        "screen",
        s(&input),
        "--lists",
        s(&lists),
        "--format",
        "jsonl",
        "--top",
        "10",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let hits = jsonl(&o);
    let lists_of = |id: &str| -> Vec<String> {
        hits.iter()
            .filter(|h| h["id"] == id)
            .map(|h| format!("{} {}", h["list"], h["also_on"]))
            .collect()
    };
    let expect = [
        ("flag-cmic-1", "NS-CMIC"),
        ("flag-cmic-2", "NS-CMIC"),
        ("flag-el", "Entity List"),
        ("flag-sdn-1", "SDN"),
        ("flag-sdn-2", "SDN"),
    ];
    for (id, list) in expect {
        let l = lists_of(id);
        assert!(
            l.iter().any(|x| x.contains(list)),
            "{id}: expected a hit on {list}, got {l:?}"
        );
    }
    for id in ["clear-1", "clear-2", "clear-3"] {
        assert!(lists_of(id).is_empty(), "{id} flagged: {:?}", lists_of(id));
    }
}

#[test]
fn an_identifier_decides_whatever_the_name_says() {
    let d = Dir::new();
    let input = d.write(
        "ids.csv",
        "id,name,isin,country\nA,Totally Different Holdings,hk 0941 009539,HK\nB,Another Name,US0000000000,US\n",
    );
    let o = d.run(&["screen", s(&input), "--format", "jsonl"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let hits = jsonl(&o);
    assert_eq!(hits.len(), 1, "{hits:?}");
    let h = &hits[0];
    assert_eq!(h["id"], "A");
    assert_eq!(h["entity_id"], "ofac-cons:30880");
    assert_eq!(h["score"], 1.0);
    let why = h["explanation"]["identifier"].as_str().unwrap();
    assert!(
        why.contains("ISIN hk 0941 009539 equals the listed ISIN HK0941009539"),
        "{why}"
    );
    assert!(h["why"].as_str().unwrap().starts_with("identifier: "));
}

#[test]
fn a_contradicting_country_lowers_the_score_and_says_so() {
    let d = Dir::new();
    let input = d.write(
        "c.csv",
        "id,name,country\nsame,Banco Nacional de Cuba,Cuba\nother,Banco Nacional de Cuba,United States\nunknown,Banco Nacional de Cuba,Atlantis\n",
    );
    let o = d.run(&["screen", s(&input), "--format", "jsonl", "--top", "1"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let hits = jsonl(&o);
    let by_id = |id: &str| hits.iter().find(|h| h["id"] == id).unwrap();
    assert_eq!(by_id("same")["score"], 1.0);
    assert!(by_id("same")["explanation"].get("evidence").is_none());
    assert_eq!(
        by_id("unknown")["score"],
        1.0,
        "an unknown country is never judged"
    );
    let other = by_id("other");
    assert_eq!(other["score"], 0.9);
    let why = other["explanation"]["evidence"][0].as_str().unwrap();
    assert!(
        why.contains("input country US is not among the listed countries (CU)"),
        "{why}"
    );
    assert!(other["why"].as_str().unwrap().contains("input country US"));
}

#[test]
fn a_date_of_birth_or_type_beside_the_name_is_weighed_and_a_bad_one_is_an_error_with_strict_facts()
{
    let d = Dir::new();
    // The bundled sample lists KIM, Jong Un, a person born 08 Jan 1984.
    let input = d.write(
        "p.csv",
        "id,name,date_of_birth,type\n\
         agrees,Kim Jong Un,1984-01-08,\n\
         swapped,Kim Jong Un,1984-08-01,person\n\
         differs,Kim Jong Un,1990-05-05,\n\
         company,Kim Jong Un,,organization\n\
         unknown,Kim Jong Un,,\n\
         bad,Kim Jong Un,next tuesday,\n\
         badtype,Kim Jong Un,,fish\n",
    );
    let o = d.run(&[
        "screen",
        s(&input),
        "--format",
        "jsonl",
        "--top",
        "1",
        "--threshold",
        "0.3",
        "--strict-facts",
    ]);
    // With --strict-facts, a fact that cannot be read makes its row an
    // error, and rows in error make the run exit 2.
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let rows = jsonl(&o);
    let by_id = |id: &str| {
        rows.iter()
            .find(|h| h["id"] == id)
            .unwrap_or_else(|| panic!("{id}: no row"))
    };
    let base = by_id("unknown")["score"].as_f64().unwrap();
    assert!(by_id("unknown")["explanation"].get("evidence").is_none());
    for id in ["agrees", "swapped"] {
        assert_eq!(by_id(id)["score"].as_f64().unwrap(), base, "{id}");
        let note = by_id(id)["explanation"]["evidence"][0].as_str().unwrap();
        // Day and month swapped is near (one keystroke), shown as such.
        let want = if id == "swapped" {
            "is near the listed 08 Jan 1984 (day and month swapped)"
        } else {
            "agrees with the listed 08 Jan 1984"
        };
        assert!(note.contains(want), "{id}: {note}");
    }
    let differs = by_id("differs");
    assert!(
        (differs["score"].as_f64().unwrap() - base * 0.8).abs() < 1e-3,
        "{differs}"
    );
    assert!(
        differs["why"]
            .as_str()
            .unwrap()
            .contains("date of birth 1990-05-05 is not")
    );
    let company = by_id("company");
    assert!(
        (company["score"].as_f64().unwrap() - base * 0.5).abs() < 1e-3,
        "{company}"
    );
    for (id, line, what) in [
        ("bad", 7, "not a date of birth"),
        ("badtype", 8, "not a type"),
    ] {
        let r = by_id(id);
        assert_eq!(r["status"], "error", "{r}");
        let msg = r["error"].as_str().unwrap();
        assert!(
            msg.contains(&format!(":{line}:")) && msg.contains(what),
            "{msg}"
        );
    }
}

#[test]
fn an_unreadable_date_of_birth_leaves_its_row_screened_and_warned_about_in_every_format() {
    let d = Dir::new();
    // The bundled sample lists KIM, Jong Un; 1974-01-32 is no date.
    let input = d.write(
        "p.csv",
        "id,name,dob\n\
         bad,Kim Jong Un,1974-01-32\n\
         good,Kim Jong Un,1984-01-08\n",
    );
    let warning = "the `dob` value \"1974-01-32\" is not a date of birth";
    let screen = |format: &str, strict: bool| {
        let mut args = vec!["screen", s(&input), "--format", format, "--top", "1"];
        if strict {
            args.push("--strict-facts");
        }
        d.run(&args)
    };
    for format in ["csv", "json", "jsonl", "table", "html"] {
        let o = screen(format, false);
        // Both rows have a potential match and none is in error: exit 1,
        // as if the date were absent.
        assert_eq!(o.status.code(), Some(1), "{format}: {}", stderr(&o));
        let err = stderr(&o);
        let lines: Vec<&str> = err.lines().filter(|l| l.contains(warning)).collect();
        assert_eq!(lines.len(), 1, "{format}: {err}");
        assert!(lines[0].contains("p.csv:2: "), "{}", lines[0]);
        assert!(
            err.contains("2 rows read: 2 with potential matches"),
            "{format}: {err}"
        );
        let out = stdout(&o);
        match format {
            "csv" => {
                let mut r = csv::Reader::from_reader(out.as_bytes());
                let header = r.headers().unwrap().clone();
                assert_eq!(header.iter().next_back(), Some("warnings"));
                let col = |n: &str| header.iter().position(|h| h == n).unwrap();
                let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
                assert_eq!(rows.len(), 2, "{out}");
                for row in &rows {
                    assert_eq!(&row[col("status")], "potential_match");
                    let warned = &row[col("id")] == "bad";
                    assert_eq!(row[col("warnings")].contains(warning), warned, "{out}");
                }
            }
            "json" => {
                let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
                let results = doc["results"].as_array().unwrap();
                assert_eq!(results[0]["verdict"], "potential_match");
                assert_eq!(results[0]["error"], serde_json::Value::Null);
                assert!(results[0].get("date_of_birth").is_none());
                let w = &results[0]["warnings"][0];
                assert_eq!(
                    (&w["column"], &w["value"]),
                    (&"dob".into(), &"1974-01-32".into())
                );
                assert!(
                    w["reason"]
                        .as_str()
                        .unwrap()
                        .starts_with("is not a date of birth")
                );
                assert!(results[1].get("warnings").is_none(), "{}", results[1]);
                assert_eq!(doc["summary"]["errors"], 0);
            }
            "jsonl" => {
                let rows = jsonl(&o);
                assert_eq!(rows.len(), 2);
                assert_eq!(rows[0]["status"], "potential_match");
                assert_eq!(rows[0]["warnings"][0]["value"], "1974-01-32");
                assert!(rows[1].get("warnings").is_none(), "{}", rows[1]);
            }
            "table" => {
                let at = out.find("row 1 [bad]: Kim Jong Un").expect(&out);
                let warned = out.find(&format!("warning: {warning}")).expect(&out);
                assert!(
                    warned > at && warned < out.find("row 2 [good]").unwrap(),
                    "{out}"
                );
            }
            _ => {
                let expect = "the `dob` value &quot;1974-01-32&quot; is not a date of birth";
                assert!(
                    out.contains(&format!("<p class=\"fact-warning\">warning: {expect}")),
                    "{out}"
                );
                assert!(out.contains("<section id=\"warnings\">"), "{out}");
                assert!(!out.contains("row(s) in error"), "{out}");
            }
        }
    }
    // --strict-facts: the row is an error, as before, and the run exits 2.
    let o = screen("jsonl", true);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let rows = jsonl(&o);
    assert_eq!(rows[0]["status"], "error");
    assert!(
        rows[0]["error"]
            .as_str()
            .unwrap()
            .contains(&format!("p.csv:2: {warning}"))
    );
    assert!(rows[0].get("warnings").is_none());
    // The option changes the results, so it changes the run id.
    assert_ne!(
        rows[0]["run_id"],
        jsonl(&screen("jsonl", false))[0]["run_id"]
    );
}

#[test]
fn query_screens_a_name_whose_date_of_birth_cannot_be_read_and_warns() {
    let d = Dir::new();
    let o = d.run(&["query", "Kim Jong Un", "--dob", "1974-01-32", "--json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning: the `--dob` value \"1974-01-32\" is not a date of birth"),
        "{}",
        stderr(&o)
    );
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(!doc["hits"].as_array().unwrap().is_empty());
    assert_eq!(doc["warnings"][0]["column"], "--dob");
}

#[test]
fn a_broken_pipe_exits_quietly() {
    // Enough hits to fill the pipe's buffer after the reader has gone.
    let d = Dir::new();
    let mut input = String::from("name\n");
    for _ in 0..3000 {
        input.push_str("SenseTime Group Ltd\n");
    }
    let path = d.write("many.csv", input);
    let mut child = d
        .command(&["screen", s(&path), "--format", "csv"])
        .spawn()
        .unwrap();
    {
        use std::io::BufRead;
        let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        out.read_line(&mut first).unwrap();
        assert!(first.starts_with("row,id,name"), "{first}");
        // Dropping the reader closes the pipe, as `| head -1` does.
    }
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("Broken pipe"), "{}", stderr(&o));
}

#[test]
fn completions_cover_every_subcommand_and_option_in_each_shell() {
    let d = Dir::new();
    for (shell, marker) in [
        ("bash", "_sanctions()"),
        ("zsh", "#compdef sanctions"),
        ("fish", "complete -c sanctions"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let o = d.run(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        assert!(script.contains(marker), "{shell}: no {marker:?}");
        for sub in ["screen", "query", "fetch", "serve", "lists", "diff"] {
            assert!(script.contains(sub), "{shell}: {sub} not completed");
        }
        for option in ["threshold", "lists", "format", "fail-on"] {
            // fish names a long option `-l NAME`, the others `--NAME`.
            let written = match shell {
                "fish" => format!("-l {option}"),
                _ => format!("--{option}"),
            };
            assert!(
                script.contains(&written),
                "{shell}: {written} not completed"
            );
        }
    }
    // An unknown shell is a usage error naming the shells there are.
    let o = d.run(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bash"), "{}", stderr(&o));
}

#[test]
fn man_page_documents_the_command_and_each_subcommand() {
    let d = Dir::new();
    let o = d.run(&["man"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = stdout(&o);
    assert!(
        page.contains(".TH sanctions 1"),
        "{}",
        &page[..page.len().min(300)]
    );
    for sub in ["screen", "query", "lists", "diff", "fetch", "serve"] {
        assert!(
            page.contains(&format!(".TH sanctions-{sub} ")),
            "no page for {sub}"
        );
    }
    // Options appear as roff writes them, with their help.
    assert!(page.contains("\\-\\-threshold"));
    assert!(page.contains("Exit status"));
}
