//! Inputs as analysts bring them, read through `sanctions::input::open`:
//! delimited text with any common delimiter, UTF-8 with or without a
//! byte-order mark, Windows-1252 and UTF-16 from Excel, and Excel workbooks.
//! Every row comes back as a query or a row error with its line; problems with
//! the input as a whole are errors naming it.

use sanctions::input::{InputReader, Row, open};
use sanctions::model::{BirthDateValue, EntityType};
use std::io::Read;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// Write `bytes` to `name` in `dir`; the path as a string.
fn write(dir: &TempDir, name: &str, bytes: &[u8]) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path_str(&path)
}

fn path_str(path: &Path) -> String {
    path.to_str().unwrap().to_string()
}

fn all_rows<R: Read>(reader: InputReader<R>) -> Vec<Row> {
    reader.collect::<anyhow::Result<Vec<Row>>>().unwrap()
}

/// (line, id, name) of each row that is a query; panics on a row error.
fn queries(rows: &[Row]) -> Vec<(u64, Option<String>, String)> {
    rows.iter()
        .map(|r| {
            let q = r.as_ref().unwrap_or_else(|e| panic!("row error: {e:?}"));
            (q.line, q.id.clone(), q.name.clone())
        })
        .collect()
}

fn q(line: u64, id: &str, name: &str) -> (u64, Option<String>, String) {
    (line, Some(id.to_string()), name.to_string())
}

#[test]
fn semicolon_tab_and_pipe_delimiters_with_quoted_fields() {
    let dir = TempDir::new().unwrap();
    for (file, delimiter, label) in [
        ("semi.csv", ';', "';'"),
        ("tab.tsv", '\t', "'\\t'"),
        ("pipe.txt", '|', "'|'"),
        ("comma.csv", ',', "','"),
    ] {
        let d = delimiter;
        let text = format!(
            "id{d}name{d}country\n\
             1{d}\"Acme, Inc.; Holdings | Group\ttrading\"{d}US\n\
             2{d}\"Say \"\"Hello\"\" Ltd\"{d}\n\
             3{d}Plain Name{d}DE\n"
        );
        let path = write(&dir, file, text.as_bytes());
        let reader = open(&path, "name").unwrap();
        assert_eq!(reader.describe(), format!("CSV (delimiter {label}, UTF-8)"));
        assert_eq!(reader.headers, ["id", "name", "country"]);
        let rows = all_rows(reader);
        assert_eq!(
            queries(&rows),
            [
                q(2, "1", "Acme, Inc.; Holdings | Group\ttrading"),
                q(3, "2", "Say \"Hello\" Ltd"),
                q(4, "3", "Plain Name"),
            ],
            "{file}"
        );
        let countries: Vec<_> = rows
            .iter()
            .map(|r| r.as_ref().unwrap().country.clone())
            .collect();
        assert_eq!(
            countries,
            [Some("US".to_string()), None, Some("DE".to_string())]
        );
    }
}

#[test]
fn utf8_byte_order_mark() {
    let dir = TempDir::new().unwrap();
    let path = write(
        &dir,
        "bom.csv",
        "\u{feff}\"Name\";ID\r\nMüller GmbH;7\r\nSociété Générale;8\r\n".as_bytes(),
    );
    let reader = open(&path, "name").unwrap();
    assert_eq!(reader.describe(), "CSV (delimiter ';', UTF-8)");
    assert_eq!(reader.headers, ["Name", "ID"]);
    assert_eq!(
        queries(&all_rows(reader)),
        [q(2, "7", "Müller GmbH"), q(3, "8", "Société Générale")]
    );
}

#[test]
fn windows_1252_comes_out_as_utf8() {
    let dir = TempDir::new().unwrap();
    // As Excel writes "CSV" on Western Windows: semicolons, CR LF, cp1252.
    let mut bytes = b"id;name;country\r\n1;Soci\xe9t\xe9 G\xe9n\xe9rale;FR\r\n".to_vec();
    bytes.extend_from_slice(
        b"2;M\xfcller \x80 Handels GmbH;DE\r\n3;;AT\r\n4;Caf\xe9 \x93Zur Post\x94;AT\r\n",
    );
    let path = write(&dir, "excel.csv", &bytes);
    let reader = open(&path, "name").unwrap();
    assert_eq!(reader.describe(), "CSV (delimiter ';', Windows-1252)");
    let rows = all_rows(reader);
    assert_eq!(rows.len(), 4);
    assert_eq!(
        queries(&rows[..2]),
        [
            q(2, "1", "Société Générale"),
            q(3, "2", "Müller € Handels GmbH")
        ]
    );
    let e = rows[2].as_ref().unwrap_err();
    assert_eq!((e.row, e.line, e.id.as_deref()), (3, 4, Some("3")));
    assert!(
        e.message.contains("excel.csv:4: empty `name`"),
        "{}",
        e.message
    );
    assert_eq!(queries(&rows[3..]), [q(5, "4", "Café “Zur Post”")]);
}

#[test]
fn windows_1252_is_decoded_past_the_first_window_and_counted() {
    let dir = TempDir::new().unwrap();
    let mut bytes = b"name,id\n".to_vec();
    let n = 20_000;
    for i in 0..n {
        bytes.extend_from_slice(format!("Company {i} M").as_bytes());
        bytes.extend_from_slice(b"\xfcller,");
        bytes.extend_from_slice(format!("{i}\n").as_bytes());
    }
    assert!(bytes.len() > 4 * 64 * 1024);
    let path = write(&dir, "big.csv", &bytes);
    let mut reader = open(&path, "name").unwrap();
    let mut count = 0;
    while let Some(row) = reader.next_row().unwrap() {
        let q = row.unwrap();
        assert_eq!(q.name, format!("Company {count} Müller"));
        assert_eq!(q.line, count + 2);
        count += 1;
    }
    assert_eq!(count, n);
    assert_eq!(reader.bytes_read(), bytes.len() as u64);
}

#[test]
fn utf8_stays_utf8_when_a_character_is_cut_by_the_first_window() {
    let dir = TempDir::new().unwrap();
    // "é" (2 bytes in UTF-8) straddles byte 65,536, at the end of a row of
    // ASCII rows (a name is at most 1,000 characters).
    let mut text = String::from("name\n");
    let mut ascii_rows = 0;
    while text.len() < 64 * 1024 - 100 {
        text.push_str(&"a".repeat(99));
        text.push('\n');
        ascii_rows += 1;
    }
    while text.len() < 64 * 1024 - 1 {
        text.push('a');
    }
    text.push_str("é\nZürich AG\n");
    assert!(!text.is_char_boundary(64 * 1024));
    let path = write(&dir, "cut.csv", text.as_bytes());
    let reader = open(&path, "name").unwrap();
    assert_eq!(reader.describe(), "CSV (delimiter ',', UTF-8)");
    let rows = all_rows(reader);
    assert_eq!(rows.len(), ascii_rows + 2);
    assert!(rows[ascii_rows].as_ref().unwrap().name.ends_with("aé"));
    assert_eq!(rows[ascii_rows + 1].as_ref().unwrap().name, "Zürich AG");
}

#[test]
fn invalid_utf8_after_the_first_window_is_a_row_error_with_its_line() {
    let dir = TempDir::new().unwrap();
    let mut bytes = b"name\n".to_vec();
    let mut lines = 1;
    while bytes.len() < 70_000 {
        bytes.extend_from_slice("Zürich AG\n".as_bytes());
        lines += 1;
    }
    bytes.extend_from_slice(b"M\xfcller\nLast\n");
    let path = write(&dir, "late.csv", &bytes);
    let reader = open(&path, "name").unwrap();
    assert_eq!(reader.describe(), "CSV (delimiter ',', UTF-8)");
    let rows = all_rows(reader);
    assert_eq!(rows.len() as u64, lines + 1);
    let e = rows[rows.len() - 2].as_ref().unwrap_err();
    assert_eq!(e.line, lines + 1);
    assert!(e.message.contains("not valid UTF-8"), "{}", e.message);
    assert_eq!(rows[rows.len() - 1].as_ref().unwrap().name, "Last");
}

#[test]
fn utf16_unicode_text_from_excel() {
    let dir = TempDir::new().unwrap();
    let text = "id\tname\r\n1\tSociété Générale\r\n2\t北京公司\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let path = write(&dir, "unicode.txt", &bytes);
    let reader = open(&path, "name").unwrap();
    assert_eq!(reader.describe(), "CSV (delimiter '\\t', UTF-16LE)");
    assert_eq!(
        queries(&all_rows(reader)),
        [q(2, "1", "Société Générale"), q(3, "2", "北京公司")]
    );
}

/// A workbook like an analyst's: header `id,name,country` in row 1.
fn write_workbook(path: &Path) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Customers").unwrap();
    for (col, header) in ["id", "name", "country", "isin", "onboarded", "active"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    // Row 2: numeric id, plain name.
    sheet.write_number(1, 0, 42).unwrap();
    sheet.write_string(1, 1, "Acme Trading, Ltd.").unwrap();
    sheet.write_string(1, 2, "GB").unwrap();
    sheet.write_string(1, 3, "GB0002634946").unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    sheet
        .write_datetime_with_format(1, 4, ExcelDateTime::from_ymd(2024, 1, 15).unwrap(), &date)
        .unwrap();
    sheet.write_boolean(1, 5, true).unwrap();
    // Row 3: an id but no name: a row error at line 3.
    sheet.write_number(2, 0, 43).unwrap();
    sheet.write_string(2, 2, "FR").unwrap();
    // Row 4: accents and quotes; a non-integer number as id.
    sheet.write_number(3, 0, 44.5).unwrap();
    sheet
        .write_string(3, 1, "Société Générale \"SG\" Zürich")
        .unwrap();
    // Row 5: wholly empty, skipped like a blank line. Row 6: a cell with a
    // line break, which must not shift the lines after it.
    sheet.write_string(5, 0, "A-7").unwrap();
    sheet.write_string(5, 1, "Müller\nHandels GmbH").unwrap();
    // Row 7: the last one.
    sheet.write_number(6, 0, 1_234_567_890_123.0).unwrap();
    sheet.write_string(6, 1, "Last Company").unwrap();
    book.save(path).unwrap();
}

#[test]
fn excel_workbook_rows_ids_names_and_lines() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("customers.xlsx");
    write_workbook(&path);
    let path = path_str(&path);
    let reader = open(&path, "name").unwrap();
    assert_eq!(reader.describe(), "Excel workbook (sheet \"Customers\")");
    assert_eq!(
        reader.headers,
        ["id", "name", "country", "isin", "onboarded", "active"]
    );
    let rows = all_rows(reader);
    assert_eq!(rows.len(), 5);
    let first = rows[0].as_ref().unwrap();
    assert_eq!(
        (
            first.row,
            first.line,
            first.id.as_deref(),
            first.name.as_str()
        ),
        (1, 2, Some("42"), "Acme Trading, Ltd.")
    );
    assert_eq!(first.country.as_deref(), Some("GB"));
    assert_eq!(first.identifiers.len(), 1);
    assert_eq!(first.identifiers[0].value, "GB0002634946");
    let e = rows[1].as_ref().unwrap_err();
    assert_eq!((e.row, e.line, e.id.as_deref()), (2, 3, Some("43")));
    assert!(
        e.message.contains("customers.xlsx:3: empty `name`"),
        "{}",
        e.message
    );
    assert_eq!(
        queries(&rows[2..]),
        [
            q(4, "44.5", "Société Générale \"SG\" Zürich"),
            q(6, "A-7", "Müller Handels GmbH"),
            q(7, "1234567890123", "Last Company"),
        ]
    );
}

#[test]
fn excel_cells_as_text() {
    // Dates and booleans are not carried into queries; read the CSV the
    // workbook becomes through a column that holds them.
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("customers.xlsx");
    write_workbook(&path);
    let path = path_str(&path);
    for (column, want) in [("onboarded", "2024-01-15"), ("active", "true")] {
        let rows = all_rows(open(&path, column).unwrap());
        assert_eq!(rows[0].as_ref().unwrap().name, want, "{column}");
    }
}

#[test]
fn workbook_recognized_by_its_bytes_whatever_its_name() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("export.csv");
    write_workbook(&path);
    let reader = open(&path_str(&path), "name").unwrap();
    assert_eq!(reader.describe(), "Excel workbook (sheet \"Customers\")");
    assert_eq!(all_rows(reader).len(), 5);
}

#[test]
fn workbook_with_a_header_below_blank_rows_and_a_hidden_first_sheet() {
    use rust_xlsxwriter::Workbook;
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("offset.xlsm");
    let mut book = Workbook::new();
    let hidden = book.add_worksheet();
    hidden.write_string(0, 0, "lookup").unwrap();
    hidden.set_hidden(true);
    let sheet = book.add_worksheet();
    sheet.set_active(true);
    sheet.write_string(2, 1, "Name").unwrap();
    sheet.write_string(3, 1, "Acme").unwrap();
    sheet.write_string(4, 1, "#N/A").unwrap();
    book.save(&path).unwrap();
    let reader = open(&path_str(&path), "name").unwrap();
    assert_eq!(reader.describe(), "Excel workbook (sheet \"Sheet2\")");
    let rows = all_rows(reader);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].as_ref().unwrap().line, 4);
    let e = rows[1].as_ref().unwrap_err();
    assert_eq!(e.line, 5);
    assert!(
        e.message.contains("spreadsheet error #N/A"),
        "{}",
        e.message
    );
    // A missing column is named with the header's line.
    let e = open(&path_str(&path), "company").err().unwrap().to_string();
    assert!(e.contains("offset.xlsm:3: no `company` column"), "{e}");
}

#[test]
fn empty_workbook_is_an_error_naming_the_file() {
    use rust_xlsxwriter::Workbook;
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("empty.xlsx");
    let mut book = Workbook::new();
    book.add_worksheet();
    book.save(&path).unwrap();
    let path = path_str(&path);
    let e = open(&path, "name").err().unwrap().to_string();
    assert!(e.contains(&path) && e.contains("is empty"), "{e}");
}

#[test]
fn broken_workbook_is_an_error_naming_the_file() {
    let dir = TempDir::new().unwrap();
    for (name, bytes) in [
        ("fake.xlsx", &b"name\nAcme\n"[..]),
        ("truncated.csv", &b"PK\x03\x04\x14\x00\x00\x00"[..]),
    ] {
        let path = write(&dir, name, bytes);
        let e = open(&path, "name").err().unwrap().to_string();
        assert!(e.contains(&path) && e.contains("workbook"), "{e}");
    }
}

#[test]
fn empty_file_is_an_error_naming_the_file() {
    let dir = TempDir::new().unwrap();
    let path = write(&dir, "empty.csv", b"");
    let e = open(&path, "name").err().unwrap().to_string();
    assert!(e.contains(&format!("{path}:1: empty input")), "{e}");
}

#[test]
fn header_only_file_has_no_rows_and_no_error() {
    let dir = TempDir::new().unwrap();
    for (name, bytes) in [
        ("header.csv", &b"id;name\r\n"[..]),
        ("header-no-newline.csv", &b"name"[..]),
    ] {
        let path = write(&dir, name, bytes);
        let reader = open(&path, "name").unwrap();
        assert!(all_rows(reader).is_empty(), "{name}");
    }
}

#[test]
fn missing_name_column_names_the_file_line_and_columns() {
    let dir = TempDir::new().unwrap();
    let path = write(&dir, "companies.csv", b"id;company;country\n1;Acme;US\n");
    let e = open(&path, "name").err().unwrap().to_string();
    assert!(e.contains(&format!("{path}:1: no `name` column")), "{e}");
    assert!(e.contains("columns: id, company, country"), "{e}");
    // Another column can be chosen, in any case.
    let rows = all_rows(open(&path, "Company").unwrap());
    assert_eq!(rows[0].as_ref().unwrap().name, "Acme");
}

#[test]
fn a_directory_or_a_missing_path_is_an_error_naming_it() {
    let dir = TempDir::new().unwrap();
    let path = path_str(dir.path());
    let e = open(&path, "name").err().unwrap().to_string();
    assert!(e.contains(&path) && e.contains("directory"), "{e}");
    let missing: PathBuf = dir.path().join("nope.csv");
    let missing = path_str(&missing);
    let e = open(&missing, "name").err().unwrap().to_string();
    assert!(e.contains(&missing), "{e}");
}

#[test]
fn excel_dates_of_birth_as_date_cells_or_year_numbers_and_types() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("people.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (col, header) in ["name", "DOB", "Type"].iter().enumerate() {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    sheet.write_string(1, 0, "Ann Example").unwrap();
    sheet
        .write_datetime_with_format(1, 1, ExcelDateTime::from_ymd(1960, 1, 31).unwrap(), &date)
        .unwrap();
    sheet.write_string(1, 2, "Individual").unwrap();
    sheet.write_string(2, 0, "Bob Example").unwrap();
    sheet.write_number(2, 1, 1961).unwrap();
    sheet.write_string(3, 0, "Cara Example").unwrap();
    sheet.write_number(3, 1, 19.5).unwrap();
    book.save(&path).unwrap();
    let rows = all_rows(open(&path_str(&path), "name").unwrap());
    let ann = rows[0].as_ref().unwrap();
    assert_eq!(
        ann.date_of_birth.as_ref().map(|d| d.value),
        Some(BirthDateValue::Date {
            year: 1960,
            month: 1,
            day: 31
        })
    );
    assert_eq!(ann.entity_type, Some(EntityType::Person));
    let bob = rows[1].as_ref().unwrap();
    assert_eq!(
        bob.date_of_birth.as_ref().map(|d| d.value),
        Some(BirthDateValue::Year { year: 1961 })
    );
    // 19.5 is no date: Cara is screened without it, with a warning.
    let cara = rows[2].as_ref().unwrap();
    assert_eq!((cara.line, cara.date_of_birth.as_ref()), (4, None));
    assert_eq!(
        (
            cara.warnings[0].column.as_str(),
            cara.warnings[0].value.as_str()
        ),
        ("DOB", "19.5")
    );
    // With --strict-facts it is the row's error, with the sheet's row.
    let mut strict = open(&path_str(&path), "name").unwrap();
    strict.set_strict_facts(true);
    let rows = all_rows(strict);
    let e = rows[2].as_ref().unwrap_err();
    assert!(
        e.message
            .contains("people.xlsx:4: the `DOB` value \"19.5\""),
        "{}",
        e.message
    );
}
