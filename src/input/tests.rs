use super::encoding::*;
use super::reader::*;
use super::workbook::*;
use super::*;
use std::sync::atomic::Ordering;

fn rows(text: &str) -> Result<Vec<Row>> {
    InputReader::new("in.csv", text.as_bytes(), "name")?.collect()
}

#[test]
fn reads_names_ids_and_row_numbers() {
    let r = rows("id,name\nA1,SenseTime Group Ltd\n,\"Apple, Inc.\"\n").unwrap();
    assert_eq!(r.len(), 2);
    let q = r[0].as_ref().unwrap();
    assert_eq!(
        (q.row, q.line, q.id.as_deref(), q.name.as_str()),
        (1, 2, Some("A1"), "SenseTime Group Ltd")
    );
    let q = r[1].as_ref().unwrap();
    assert_eq!(
        (q.row, q.line, q.id.as_deref(), q.name.as_str()),
        (2, 3, None, "Apple, Inc.")
    );
}

#[test]
fn bad_rows_are_errors_with_lines_not_dropped() {
    let r = rows("name,id\nok,1\n,2\nx,3,extra\n\"unterminated\n").unwrap();
    assert_eq!(r.len(), 4);
    assert!(r[0].is_ok());
    let e = r[1].as_ref().unwrap_err();
    assert_eq!((e.row, e.line), (2, 3));
    assert!(
        e.message.contains("in.csv:3: empty `name`"),
        "{}",
        e.message
    );
    let e = r[2].as_ref().unwrap_err();
    assert!(
        e.message.contains("in.csv:4: expected 2 fields"),
        "{}",
        e.message
    );
    assert!(r[3].is_err());
}

#[test]
fn header_problems_are_fatal_and_name_the_file() {
    let e = rows("").unwrap_err().to_string();
    assert!(e.contains("in.csv:1: empty input"), "{e}");
    let e = rows("company,id\nx,1\n").unwrap_err().to_string();
    assert!(e.contains("in.csv:1: no `name` column"), "{e}");
}

#[test]
fn identifier_columns_are_carried() {
    let r = rows("name,ISIN,country\nChina Mobile,HK0941009539,HK\n").unwrap();
    let q = r[0].as_ref().unwrap();
    assert_eq!(q.identifiers.len(), 1);
    assert_eq!(
        (
            q.identifiers[0].kind.as_str(),
            q.identifiers[0].value.as_str()
        ),
        ("ISIN", "HK0941009539")
    );
}

#[test]
fn bom_and_case_in_header() {
    let r = rows("\u{feff}Name,ID\nHuawei,7\n").unwrap();
    assert_eq!(r[0].as_ref().unwrap().id.as_deref(), Some("7"));
}

#[test]
fn invalid_utf8_name_is_a_row_error() {
    let r: Vec<Row> = InputReader::new("in.csv", &b"name\nabc\xff\n"[..], "name")
        .unwrap()
        .collect::<Result<_>>()
        .unwrap();
    assert!(
        r[0].as_ref()
            .unwrap_err()
            .message
            .contains("not valid UTF-8")
    );
}

#[test]
fn delimiter_is_sniffed_outside_quotes() {
    assert_eq!(sniff_delimiter(b"id;name;country\n1,2,3,4,5\n"), b';');
    assert_eq!(sniff_delimiter(b"id\tname\n"), b'\t');
    assert_eq!(sniff_delimiter(b"id|name|x\r\n"), b'|');
    assert_eq!(sniff_delimiter(b"\"a,b,c\";name\n"), b';');
    // A quoted header spanning lines is one header line.
    assert_eq!(sniff_delimiter(b"\"a\nb|c|d\";name\n"), b';');
    // None, or a tie: comma.
    assert_eq!(sniff_delimiter(b"name\n"), b',');
    assert_eq!(sniff_delimiter(b"a;b|c\n"), b',');
    assert_eq!(sniff_delimiter(b""), b',');
}

#[test]
fn new_sniffs_the_delimiter_and_strips_a_bom_before_quotes() {
    let mut r = InputReader::new(
        "in.csv",
        "\u{feff}\"id\";\"name\"\n1;\"A, B; C\"\n".as_bytes(),
        "name",
    )
    .unwrap();
    assert_eq!(r.describe(), "CSV (delimiter ';', UTF-8)");
    assert_eq!(r.headers, ["id", "name"]);
    let q = r.next_row().unwrap().unwrap().unwrap();
    assert_eq!((q.id.as_deref(), q.name.as_str()), (Some("1"), "A, B; C"));
    assert!(r.next_row().unwrap().is_none());
    assert_eq!(
        r.bytes_read(),
        "\u{feff}\"id\";\"name\"\n1;\"A, B; C\"\n".len() as u64
    );
}

#[test]
fn a_long_header_line_read_in_pieces_keeps_every_byte() {
    let header: Vec<String> = (0..3000).map(|i| format!("col{i}")).collect();
    let text = format!(
        "{}\tname\nx{}\tAcme\n",
        header.join("\t"),
        "\t".repeat(2999)
    );
    let r = rows_of(InputReader::new("in.tsv", text.as_bytes(), "name").unwrap());
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].as_ref().unwrap().name, "Acme");
}

#[test]
fn blank_lines_are_not_rows_and_lines_stay_right() {
    let r = rows("\n\nname\n\nAcme\n").unwrap();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].as_ref().unwrap().line, 5);
    let e = rows("\n\ncompany\nx\n").unwrap_err().to_string();
    assert!(e.contains("in.csv:3: no `name` column"), "{e}");
}

#[test]
fn spreadsheet_error_values_are_not_names() {
    let r = rows("id,name\n1,#N/A\n2,#ref!\n3,Acme\n").unwrap();
    let e = r[0].as_ref().unwrap_err();
    assert_eq!((e.line, e.id.as_deref()), (2, Some("1")));
    assert!(
        e.message.contains("spreadsheet error #N/A"),
        "{}",
        e.message
    );
    assert!(r[1].is_err());
    assert!(r[2].is_ok());
}

fn rows_of<R: Read>(r: InputReader<R>) -> Vec<Row> {
    r.collect::<Result<_>>().unwrap()
}

#[test]
fn encoding_is_sniffed_from_the_first_bytes() {
    use encoding_rs::{UTF_8, UTF_16LE, WINDOWS_1252};
    assert_eq!(sniff_encoding(b"name\nM\xc3\xbcller\n", true), UTF_8);
    assert_eq!(sniff_encoding(b"name\nM\xfcller\n", true), WINDOWS_1252);
    // A sequence cut by the end of the window is not a reason to switch...
    assert_eq!(sniff_encoding(b"name\nM\xc3", false), UTF_8);
    // ...but one cut by the end of the input is.
    assert_eq!(sniff_encoding(b"name\nM\xc3", true), WINDOWS_1252);
    // Unless valid multi-byte UTF-8 is there too: a file cut short, or
    // a row pasted from another encoding.
    assert_eq!(sniff_encoding(b"name\nM\xc3\xbcller\nJos\xc3", true), UTF_8);
    assert_eq!(
        sniff_encoding(b"name\nM\xc3\xbcller\nJos\xe9\n", true),
        UTF_8
    );
    // A UTF-8 byte-order mark wins over invalid bytes.
    assert_eq!(sniff_encoding(b"\xef\xbb\xbfname\n\xff\n", true), UTF_8);
    assert_eq!(sniff_encoding(b"\xff\xfen\0", true), UTF_16LE);
}

#[test]
fn decoding_reader_works_with_any_buffer_size() {
    let mut source = Vec::new();
    for i in 0..5000 {
        source.extend_from_slice(format!("{i};Soci").as_bytes());
        source.extend_from_slice(b"\xe9t\xe9 G\xe9n\xe9rale \x80\n");
    }
    let expected: String = (0..5000)
        .map(|i| format!("{i};Société Générale €\n"))
        .collect();
    for size in [1, 2, 3, 7, 4096, 100_000] {
        let consumed = Arc::new(AtomicU64::new(0));
        let mut reader = DecodingReader::new(
            &source[..],
            encoding_rs::WINDOWS_1252.new_decoder_without_bom_handling(),
            Arc::clone(&consumed),
        );
        let mut out = Vec::new();
        let mut buf = vec![0; size];
        loop {
            let n = reader.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        assert_eq!(String::from_utf8(out).unwrap(), expected, "buffer {size}");
        assert_eq!(consumed.load(Ordering::Relaxed), source.len() as u64);
    }
}

#[test]
fn cells_as_text() {
    use calamine::{Data, ExcelDateTime, ExcelDateTimeType};
    let text = |d: Data| {
        let mut s = String::new();
        cell_text(&mut s, &d);
        s
    };
    assert_eq!(text(Data::Float(42.0)), "42");
    assert_eq!(text(Data::Float(-0.0)), "0");
    assert_eq!(text(Data::Float(1.5)), "1.5");
    assert_eq!(text(Data::Float(1e300)), format!("{}", 1e300));
    assert_eq!(text(Data::Int(7)), "7");
    assert_eq!(text(Data::Bool(true)), "true");
    assert_eq!(text(Data::Empty), "");
    assert_eq!(text(Data::Error(calamine::CellErrorType::NA)), "#N/A");
    let dt = |v| Data::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false));
    assert_eq!(text(dt(45306.0)), "2024-01-15");
    assert_eq!(text(dt(45943.541)), "2025-10-13T12:59:02.400");
    assert_eq!(text(dt(0.5)), "12:00:00");
    let dur = Data::DateTime(ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false));
    assert_eq!(text(dur), "PT36H0M0S");
}

#[test]
fn csv_fields_are_quoted_and_kept_on_one_line() {
    let mut out = Vec::new();
    push_csv_field(&mut out, "plain");
    out.push(b',');
    push_csv_field(&mut out, "a, \"b\"");
    out.push(b',');
    push_csv_field(&mut out, "two\r\nlines\nhere");
    assert_eq!(out, b"plain,\"a, \"\"b\"\"\",two lines here");
}

fn lines(text: &str) -> Vec<(u64, u64, bool)> {
    rows(text)
        .unwrap()
        .iter()
        .map(|r| match r {
            Ok(q) => (q.row, q.line, true),
            Err(e) => (e.row, e.line, false),
        })
        .collect()
}

#[test]
fn line_numbers_with_any_line_ends_and_blank_lines() {
    let want = vec![(1, 2, true), (2, 3, false), (3, 4, true)];
    assert_eq!(lines("name\nA\n\"\"\nB\n"), want);
    assert_eq!(lines("name\r\nA\r\n\"\"\r\nB\r\n"), want);
    assert_eq!(lines("name\rA\r\"\"\rB"), want);
    // Blank lines, of each kind, are skipped but counted.
    assert_eq!(
        lines("\r\nname\r\n\r\nA\n\n\"x\r\ny\"\r\n\r\n\r\nB\r\r\nC"),
        vec![(1, 4, true), (2, 6, true), (3, 10, true), (4, 12, true)]
    );
    // A quoted field holding blank lines is one row; lines go on after it.
    assert_eq!(
        lines("name,id\n\"a\n\n\nb\",1\n\n,2\n"),
        vec![(1, 2, true), (2, 7, false)]
    );
    let r = rows("name\n\nA\r\n").unwrap();
    assert_eq!(r[0].as_ref().unwrap().name, "A");
}

#[test]
fn malformed_rows_after_blank_lines_have_their_line() {
    let r = rows("name,id\nA,1\n\n\n\"B\"x\"\n").unwrap();
    assert_eq!(r.len(), 2);
    assert_eq!(r[0].as_ref().unwrap().line, 2);
    // The csv crate reads `"B"x"` as one field, so this is a row; what
    // matters is the line.
    let line = match &r[1] {
        Ok(q) => q.line,
        Err(e) => e.line,
    };
    assert_eq!(line, 5);
}

#[test]
fn bytes_read_counts_source_bytes() {
    let text = "\u{feff}name\r\nA\r\nB\r\n";
    let mut r = InputReader::new("in.csv", text.as_bytes(), "name").unwrap();
    while r.next_row().unwrap().is_some() {}
    assert_eq!(r.bytes_read(), text.len() as u64);
}

#[test]
fn an_unreadable_type_is_left_out_with_a_warning_and_strict_makes_it_an_error() {
    let text = "id,name,type\n1,Acme Ltd,fish\n2,Acme Ltd,company\n";
    let r = rows(text).unwrap();
    let q = r[0].as_ref().unwrap();
    assert_eq!((q.name.as_str(), q.entity_type), ("Acme Ltd", None));
    assert_eq!(
        q.warnings,
        vec![crate::model::FactWarning {
            column: "type".into(),
            value: "fish".into(),
            reason: "is not a type (person, organization, vessel or aircraft)".into(),
        }]
    );
    let q = r[1].as_ref().unwrap();
    assert_eq!(q.entity_type, Some(crate::model::EntityType::Organization));
    assert!(q.warnings.is_empty());

    let mut strict = InputReader::new("in.csv", text.as_bytes(), "name").unwrap();
    strict.set_strict_facts(true);
    let r: Vec<Row> = strict.collect::<Result<_>>().unwrap();
    let e = r[0].as_ref().unwrap_err();
    assert_eq!((e.row, e.line, e.id.as_deref()), (1, 2, Some("1")));
    assert!(
        e.message
            .starts_with("in.csv:2: the `type` value \"fish\" is not a type"),
        "{}",
        e.message
    );
    assert!(r[1].is_ok());
}

#[test]
fn an_unknown_country_is_left_out_with_a_warning_and_strict_makes_it_an_error() {
    let text = "name,nationality\nIvan Petrov,Atlantis\nIvan Petrov,Russia\nIvan Petrov,\n";
    let r = rows(text).unwrap();
    let q = r[0].as_ref().unwrap();
    assert_eq!(q.country, None);
    assert_eq!(q.warnings.len(), 1);
    assert_eq!(
        q.warnings[0].in_words(),
        "the `nationality` value \"Atlantis\" is not a country known by name or ISO code: screened without it"
    );
    let q = r[1].as_ref().unwrap();
    assert_eq!(q.country.as_deref(), Some("Russia"));
    assert!(q.warnings.is_empty());
    // An empty country is no fact, not an unknown one.
    let q = r[2].as_ref().unwrap();
    assert_eq!(q.country, None);
    assert!(q.warnings.is_empty());

    let mut strict = InputReader::new("in.csv", text.as_bytes(), "name").unwrap();
    strict.set_strict_facts(true);
    let r: Vec<Row> = strict.collect::<Result<_>>().unwrap();
    let e = r[0].as_ref().unwrap_err();
    assert!(
        e.message
            .contains("in.csv:2: the `nationality` value \"Atlantis\" is not a country"),
        "{}",
        e.message
    );
    assert!(r[1].is_ok() && r[2].is_ok());
}
