//! `screen --format html`: the review page, looked at in a real browser
//! (headless Chromium; see `common/browser.rs`): its cards, its severity
//! filter, and its decisions control, whose CSV `--decisions` takes and
//! which clears the hit on the next run; and hostile names (script tags,
//! attribute breakers, right-to-left overrides) shown as text, nothing run.
//! The checks that need no browser run always.

use crate::browser;
use crate::dir;

use browser::Browser;
use dir::{Dir, root, s};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::Path;

/// Screen `input` into `report.html` and `report.json` (the JSON tells what
/// the page must show); `extra` adds options to both runs.
fn reports(d: &Dir, input: &Path, extra: &[&str]) -> Value {
    for (format, file) in [("html", "report.html"), ("json", "report.json")] {
        let mut args = vec!["screen", s(input), "--format", format, "--output", file];
        args.extend_from_slice(extra);
        let out = d.command(&args).output().unwrap();
        assert!(
            matches!(out.status.code(), Some(0..=2)),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    serde_json::from_str(&std::fs::read_to_string(d.path("report.json")).unwrap()).unwrap()
}

/// The rows (by row number) with a hit of which `keep` approves.
fn rows_with(report: &Value, keep: impl Fn(&Value) -> bool) -> BTreeSet<u64> {
    report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["hits"].as_array().unwrap().iter().any(&keep))
        .map(|r| r["row"].as_u64().unwrap())
        .collect()
}

/// A JSON array of strings as a set.
fn strings(v: &Value) -> BTreeSet<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

/// The row numbers of the cards the page shows now.
fn shown_cards(b: &Browser) -> BTreeSet<u64> {
    let v = b.eval(
        "return Array.from(document.querySelectorAll('article.card'))\
         .filter(c => c.offsetParent !== null).map(c => Number(c.dataset.row));",
        vec![],
    );
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap())
        .collect()
}

/// Choose an option of a filter as a person would: click it.
fn choose(b: &Browser, select: &str, value: &str) {
    b.click(&b.find(select));
    b.click(&b.find(&format!("{select} option[value=\"{value}\"]")));
}

/// Mark the first hit of row `row`'s card as `decision` (`fp` or `tm`)
/// with a reason, as reviewer `who`; the decisions CSV the page then holds.
fn mark(b: &Browser, row: u64, decision: &str, who: &str, reason: &str) -> String {
    let reviewer = b.find("#reviewer");
    b.eval("arguments[0].value = '';", vec![reviewer.clone()]);
    b.type_into(&reviewer, who);
    let hit = format!("article[data-row=\"{row}\"] section.hit");
    b.type_into(&b.find(&format!("{hit} .reason")), reason);
    b.click(&b.find(&format!("{hit} .mark-{decision}")));
    let csv = b.eval(
        "return document.getElementById('decisions-csv').value;",
        vec![],
    );
    csv.as_str().unwrap().to_string()
}

#[test]
fn the_example_report_in_a_browser_filters_by_severity_and_writes_decisions_that_clear_the_hit() {
    let d = Dir::new();
    let input = root().join("data/examples/names.csv");
    // A block threshold between the example's scores, so both severities occur.
    let report = reports(&d, &input, &["--block-threshold", "0.99"]);
    let block = rows_with(&report, |h| h["severity"] == "block");
    let review = rows_with(&report, |h| h["severity"] == "review");
    let all = rows_with(&report, |_| true);
    assert!(
        !block.is_empty() && !review.is_empty(),
        "{block:?} {review:?}"
    );

    let Some(b) = Browser::start("html report in a browser") else {
        return;
    };
    b.open(&d.path("report.html"));
    let cards = b.eval(
        "return document.querySelectorAll('article.card').length;",
        vec![],
    );
    assert_eq!(cards, json!(all.len()));
    assert_eq!(shown_cards(&b), all);
    let counts = b.eval(
        "return document.getElementById('counts').textContent;",
        vec![],
    );
    assert!(
        counts
            .as_str()
            .unwrap()
            .starts_with(&format!("{} rows read", report["summary"]["rows"])),
        "{counts}"
    );

    choose(&b, "#f-severity", "block");
    assert_eq!(shown_cards(&b), block);
    choose(&b, "#f-severity", "review");
    assert_eq!(shown_cards(&b), review);
    let shown = b.eval(
        "return document.getElementById('shown').textContent;",
        vec![],
    );
    assert_eq!(
        shown,
        json!(format!("{} of {} cards", review.len(), all.len()))
    );
    choose(&b, "#f-severity", "");
    assert_eq!(shown_cards(&b), all);
    // The search box narrows to the cards holding its words.
    b.type_into(&b.find("#f-search"), "mobile");
    assert_eq!(shown_cards(&b).len(), 1);
    b.eval(
        "const s = document.getElementById('f-search'); s.value = ''; s.dispatchEvent(new Event('input'));",
        vec![],
    );

    // Mark the first row's hit a false positive: the page writes the row.
    let row = *all.first().unwrap();
    let first = report["results"][row as usize - 1]["hits"][0].clone();
    let csv = mark(&b, row, "fp", "a.reviewer", "another company, LEI checked");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "input,input_id,entity_id,entity_hash,decision,reviewer,date,reason,expires"
    );
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(
        lines[1].contains(first["entity_id"].as_str().unwrap())
            && lines[1].contains(first["entity_hash"].as_str().unwrap())
            && lines[1].contains(",false_positive,a.reviewer,")
            && lines[1].contains("\"another company, LEI checked\""),
        "{csv}"
    );
    let href = b.eval(
        "return decodeURIComponent(document.getElementById('download-decisions').getAttribute('href')\
         .replace('data:text/csv;charset=utf-8,', ''));",
        vec![],
    );
    assert_eq!(href, json!(csv));

    // The next run takes that CSV and clears that hit, and only it.
    d.write("decisions.csv", &csv);
    let again = reports(
        &d,
        &input,
        &["--block-threshold", "0.99", "--decisions", "decisions.csv"],
    );
    let cleared = rows_with(&again, |h| h["status"] == "cleared_by_decision");
    assert_eq!(cleared, BTreeSet::from([row]));
    assert_eq!(again["summary"]["cleared_by_decision"], json!(1));
    assert_eq!(
        again["summary"]["potential_matches"].as_u64().unwrap() + 1,
        report["summary"]["potential_matches"].as_u64().unwrap()
    );
    // And that page's "decided" filter shows just that card.
    b.open(&d.path("report.html"));
    choose(&b, "#f-decided", "decided");
    assert_eq!(shown_cards(&b), BTreeSet::from([row]));
    choose(&b, "#f-decided", "undecided");
    let undecided: BTreeSet<u64> = all.iter().copied().filter(|r| *r != row).collect();
    assert_eq!(shown_cards(&b), undecided);
}

/// Names that would run code or break out of an attribute if written
/// unescaped, and one with a right-to-left override.
const HOSTILE: [&str; 4] = [
    "<script>window.__pwned = 1</script> Trading LLC",
    "\"><img src=x onerror=\"window.__pwned = 2\">Acme Holdings",
    "Mal\u{202E}sgnidloH erawtfoS Cyber Group",
    "O'Brien & Sons' \"Ltd\" </textarea><b>bold</b>",
];

/// A user list of the hostile names (the list's own name hostile too) and
/// an input of the same names.
fn hostile_files(d: &Dir) -> std::path::PathBuf {
    let mut list = String::from("id,name,aliases,type,country,list\n");
    let mut input = String::from("id,name\n");
    for (i, name) in HOSTILE.iter().enumerate() {
        let q = name.replace('"', "\"\"");
        list.push_str(&format!(
            "H-{i},\"{q}\",,organization,RU,\"<svg onload=window.__pwned=3> list\"\n"
        ));
        input.push_str(&format!("\"<i>{i}</i>\",\"{q}\"\n"));
    }
    d.write("lists/hostile.csv", list);
    d.write("hostile.csv", input)
}

#[test]
fn hostile_names_are_text_in_the_page_and_run_nothing() {
    let d = Dir::new();
    let input = hostile_files(&d);
    let report = reports(&d, &input, &["--lists", "lists"]);
    let all = rows_with(&report, |_| true);
    assert_eq!(all.len(), HOSTILE.len(), "every hostile name is a hit");
    let html = std::fs::read_to_string(d.path("report.html")).unwrap();
    // Without a browser: one script element (the page's own), no markup
    // from the names.
    assert_eq!(html.matches("<script").count(), 1);
    for bad in ["<img", "<svg", "<b>bold", "</textarea><b>", "<i>0</i>"] {
        assert!(!html.contains(bad), "{bad} written unescaped");
    }
    assert!(!html.contains('\u{202E}'), "a bidi override written as is");

    let Some(b) = Browser::start("hostile names in a browser") else {
        return;
    };
    b.open(&d.path("report.html"));
    let state = b.eval(
        "return {pwned: window.__pwned === undefined ? null : window.__pwned,\
                 scripts: document.scripts.length,\
                 injected: document.querySelectorAll('img, svg, iframe, object, embed, main b, main i').length,\
                 names: Array.from(document.querySelectorAll('.input-name')).map(e => e.textContent),\
                 inputs: Array.from(document.querySelectorAll('section.hit')).map(e => e.dataset.input),\
                 ids: Array.from(document.querySelectorAll('section.hit')).map(e => e.dataset.inputId)};",
        vec![],
    );
    assert_eq!(state["pwned"], Value::Null, "a name's code ran");
    assert_eq!(state["scripts"], json!(1));
    assert_eq!(state["injected"], json!(0));
    let names = strings(&state["names"]);
    // Shown as text: the markup itself, the override as a visible marker.
    assert!(names.contains(HOSTILE[0]), "{names:?}");
    assert!(names.contains(HOSTILE[1]), "{names:?}");
    assert!(
        names.contains("Mal\u{27e8}U+202E\u{27e9}sgnidloH erawtfoS Cyber Group"),
        "{names:?}"
    );
    assert!(names.contains(HOSTILE[3]), "{names:?}");
    // The page keeps each input name exactly, for the decisions it writes.
    assert_eq!(strings(&state["inputs"]), HOSTILE.iter().copied().collect());
    assert!(
        state["ids"]
            .as_array()
            .unwrap()
            .contains(&json!("<i>0</i>"))
    );

    // A decision on a hostile name round-trips: --decisions clears it.
    let row = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == HOSTILE[3])
        .unwrap()["row"]
        .as_u64()
        .unwrap();
    let csv = mark(&b, row, "fp", "r\"e,viewer", "<b>not</b> them");
    assert_eq!(state["pwned"], Value::Null);
    d.write("decisions.csv", &csv);
    let again = reports(
        &d,
        &input,
        &["--lists", "lists", "--decisions", "decisions.csv"],
    );
    assert_eq!(
        rows_with(&again, |h| h["status"] == "cleared_by_decision"),
        BTreeSet::from([row]),
        "{csv}"
    );
}

#[test]
fn the_page_shows_both_sides_facts_and_rows_in_error_and_is_the_same_on_a_rerun() {
    let d = Dir::new();
    let input = d.write(
        "people.csv",
        "id,name,date_of_birth,country\n\
         P-1,Nicolas Maduro,1962-11-23,VE\n\
         P-2,???,,\n\
         P-3,Jane Example,1980-01-01,GB\n\
         P-4,Vladimir Putin,1952-10-07,RU\n",
    );
    let report = reports(&d, &input, &[]);
    let first = std::fs::read(d.path("report.html")).unwrap();
    reports(&d, &input, &[]);
    assert_eq!(
        first,
        std::fs::read(d.path("report.html")).unwrap(),
        "a rerun wrote other bytes"
    );
    let html = String::from_utf8(first).unwrap();
    // The JSON rows carry the input's facts as given.
    let row = &report["results"][0];
    assert_eq!(
        (&row["date_of_birth"], &row["country"]),
        (&json!("1962-11-23"), &json!("VE"))
    );
    assert!(report["results"][1].get("date_of_birth").is_none());
    let summary = &report["summary"];
    assert_eq!(
        (summary["rows"].as_u64(), summary["errors"].as_u64()),
        (Some(4), Some(1))
    );
    assert!(html.contains(&format!(
        "{} rows read = <b>{}</b> with potential matches ({} block) + {} cleared by decision + {} clear + {} in error",
        summary["rows"],
        summary["potential_matches"],
        summary["block"],
        summary["cleared_by_decision"],
        summary["clear"],
        summary["errors"]
    )));
    // One card per row with hits, the row in error listed with its line.
    assert_eq!(
        html.matches("<article class=\"card").count(),
        rows_with(&report, |_| true).len()
    );
    let error = report["results"][1]["error"]
        .as_str()
        .unwrap()
        .replace('"', "&quot;");
    assert!(
        html.contains(&format!(
            "<tr class=\"error-row\"><td>2</td><td>3</td><td>P-2</td><td>{error}</td></tr>"
        )),
        "{error}"
    );
    // Both sides' date of birth and country, beside each other.
    assert!(html.contains(
        "<dt>date of birth</dt><dd><span class=\"label\">input</span> 1962-11-23 \
         <span class=\"label\">listed</span> 23 Nov 1962</dd>"
    ));
    assert!(html.contains("<dt>country</dt><dd><span class=\"label\">input</span> VE"));
    // The provenance: each list file's sha256, the input's, the run id.
    for f in report["lists"].as_array().unwrap() {
        assert!(html.contains(f["sha256"].as_str().unwrap()));
    }
    assert!(html.contains(report["run"]["input_sha256"].as_str().unwrap()));
    assert!(html.contains(report["run"]["run_id"].as_str().unwrap()));
    // Self-contained: nothing fetched from anywhere.
    for remote in ["http://", "https://", "src=", "@import", "url("] {
        assert!(!html.contains(remote), "{remote}");
    }
}
