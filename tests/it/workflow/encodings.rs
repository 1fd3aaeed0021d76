//! Inputs as analysts have them: Windows-1252, a byte-order mark, other
//! delimiters and Excel workbooks screen like the plain CSV.

use super::*;

const NAMES: [(&str, &str); 5] = [
    ("C-001", "SenseTime Group Ltd"),
    ("C-002", "China Mobile Limited"),
    ("C-003", "Joaquín Guzmán Loera"),
    ("C-004", "Société Générale"),
    ("C-005", "Microsoft Corporation"),
];

#[test]
fn windows_1252_bom_and_xlsx_inputs_screen_like_the_plain_csv() {
    let d = Dir::new();
    let mut plain = String::from("id,name\n");
    let mut semicolons = String::from("id;name\r\n");
    for (id, name) in NAMES {
        plain.push_str(&format!("{id},{name}\n"));
        semicolons.push_str(&format!("{id};{name}\r\n"));
    }
    let (cp1252, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&semicolons);
    assert!(!unmappable);
    assert!(cp1252.windows(2).any(|w| w == b"\xe9t"), "é as one byte");
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(plain.as_bytes());

    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "id").unwrap();
    ws.write_string(0, 1, "name").unwrap();
    for (i, (id, name)) in NAMES.iter().enumerate() {
        ws.write_string(i as u32 + 1, 0, *id).unwrap();
        ws.write_string(i as u32 + 1, 1, *name).unwrap();
    }
    let xlsx = d.path("names.xlsx");
    wb.save(&xlsx).unwrap();

    let inputs = [
        (d.write("plain.csv", &plain), "CSV (delimiter ',', UTF-8)"),
        (
            d.write("excel.csv", &cp1252),
            "CSV (delimiter ';', Windows-1252)",
        ),
        (d.write("bom.csv", &bom), "CSV (delimiter ',', UTF-8)"),
        (xlsx, "(sheet \"Sheet1\")"),
    ];
    let mut want = None;
    for (path, described) in &inputs {
        let o = d.run(&["screen", s(path), "--format", "json"]);
        code(&o, 1);
        assert!(stderr(&o).contains(described), "{}", stderr(&o));
        let got = verdicts(&json(&o.stdout));
        match &want {
            None => {
                let names: Vec<&str> = got.iter().map(|v| v.1.as_str()).collect();
                let expected: Vec<&str> = NAMES.iter().map(|n| n.1).collect();
                assert_eq!(names, expected);
                let ids: Vec<&[String]> = got.iter().map(|v| v.3.as_slice()).collect();
                assert_eq!(ids[0], ["ofac-cons:33114"]);
                assert_eq!(ids[1], ["ofac-cons:30880"]);
                assert_eq!(ids[2], ["ofac-sdn:8296"], "accented name matches");
                assert!(ids[3].is_empty() && ids[4].is_empty(), "{got:?}");
                want = Some(got);
            }
            Some(w) => assert_eq!(&got, w, "{}", path.display()),
        }
    }
}
