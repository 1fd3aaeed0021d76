//! Formula escaping: a CSV report cell a spreadsheet would run as a
//! formula gets a leading quote.

use super::*;

#[test]
fn csv_report_cells_that_look_like_formulas_get_a_leading_quote() {
    let d = Dir::new();
    let input = d.write(
        "names.csv",
        "id,name\n\"=HYPERLINK(\"\"http://x\"\")\",SenseTime Group Ltd\n@SUM(A1),-China Mobile Limited\n+1,Banco Nacional de Cuba\n",
    );
    let o = d.run(&["screen", s(&input), "--format", "csv"]);
    code(&o, 1);
    let rows = csv_rows(&o.stdout);
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(rows[0]["id"], "'=HYPERLINK(\"http://x\")");
    assert_eq!(rows[1]["id"], "'@SUM(A1)");
    assert_eq!(rows[1]["name"], "'-China Mobile Limited");
    assert_eq!(rows[1]["entity_id"], "ofac-cons:30880");
    assert_eq!(rows[2]["id"], "'+1");
    for r in &rows {
        for (k, v) in r {
            assert!(!v.starts_with(['=', '+', '-', '@']), "{k} = {v}");
        }
    }
    // The JSON report keeps the values as they are.
    let o = d.run(&["screen", s(&input), "--format", "json"]);
    let doc = json(&o.stdout);
    assert_eq!(doc["results"][0]["id"], "=HYPERLINK(\"http://x\")");
    assert_eq!(doc["results"][1]["name"], "-China Mobile Limited");
}
