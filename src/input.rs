//! The names to screen: a CSV file with a header row.
//!
//! The name column is `name` unless the caller names another; an `id` column,
//! if present, is carried through. Every data row becomes either a [`Query`]
//! or a [`RowError`] with its line number: no row is dropped.

use crate::model::{Identifier, Query};
use anyhow::{Context, Result, bail};
use std::io::Read;

/// The identifier kind of an input column, by its header: `isin`, `ticker`,
/// `lei`, `imo`, `registration_number`, `tax_id`, `passport`, `identifier`...
///
/// ```
/// use sanctions::input::identifier_kind;
/// assert_eq!(identifier_kind("ISIN"), Some("ISIN"));
/// assert_eq!(identifier_kind("Equity Ticker"), Some("Ticker"));
/// assert_eq!(identifier_kind("country"), None);
/// ```
pub fn identifier_kind(header: &str) -> Option<&'static str> {
    let h = header.trim().to_ascii_lowercase().replace(['_', '-'], " ");
    Some(match h.as_str() {
        "isin" => "ISIN",
        "ticker" | "equity ticker" | "symbol" => "Ticker",
        "lei" | "legal entity identifier" => "LEI",
        "imo" | "imo number" => "IMO",
        "registration number" | "registration" | "reg no" | "company number" | "uscc" | "ogrn" => {
            "Registration Number"
        }
        "tax id" | "tax number" | "inn" | "vat" | "tin" => "Tax ID",
        "passport" | "passport number" => "Passport",
        "identifier" | "identifiers" | "id number" => "Identifier",
        "swift" | "bic" | "swift bic" => "SWIFT/BIC",
        _ => return None,
    })
}

/// A data row that could not be screened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// 1-based data row number.
    pub row: u64,
    /// Line in the input where the row starts.
    pub line: u64,
    /// The `id` value if it could be read.
    pub id: Option<String>,
    /// What was wrong.
    pub message: String,
}

/// One input row: a query or an error.
pub type Row = std::result::Result<Query, RowError>;

/// Reads queries from a CSV source, one row at a time.
pub struct InputReader<R: Read> {
    name: String,
    reader: csv::Reader<R>,
    name_col: usize,
    id_col: Option<usize>,
    /// Identifier columns: (column, kind).
    identifier_cols: Vec<(usize, String)>,
    country_col: Option<usize>,
    row: u64,
    record: csv::ByteRecord,
    /// Column headers, as read.
    pub headers: Vec<String>,
}

impl<R: Read> InputReader<R> {
    /// Open a CSV source named `name` (for messages); `column` is the name column.
    pub fn new(name: &str, source: R, column: &str) -> Result<InputReader<R>> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(source);
        let headers = reader
            .byte_headers()
            .with_context(|| format!("{name}:1: cannot read the header row"))?
            .clone();
        if headers.is_empty() || (headers.len() == 1 && headers[0].is_empty()) {
            bail!("{name}:1: empty input: expected a header row with a `{column}` column");
        }
        let headers: Vec<String> = headers
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let h = String::from_utf8_lossy(h).trim().to_string();
                // A UTF-8 byte-order mark before the first header.
                if i == 0 {
                    h.trim_start_matches('\u{feff}').to_string()
                } else {
                    h
                }
            })
            .collect();
        let find = |c: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(c));
        let Some(name_col) = find(column) else {
            bail!(
                "{name}:1: no `{column}` column in the header (columns: {}); use --column to choose one",
                headers.join(", ")
            );
        };
        let id_col = find("id").filter(|&c| c != name_col);
        let identifier_cols = headers
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != name_col && Some(*i) != id_col)
            .filter_map(|(i, h)| identifier_kind(h).map(|k| (i, k.to_string())))
            .collect();
        let country_col = ["country", "country_code", "nationality", "jurisdiction"]
            .iter()
            .find_map(|c| find(c))
            .filter(|&c| c != name_col);
        Ok(InputReader {
            name: name.to_string(),
            reader,
            name_col,
            id_col,
            identifier_cols,
            country_col,
            row: 0,
            record: csv::ByteRecord::new(),
            headers,
        })
    }

    /// Bytes of the source read so far (for a progress bar).
    pub fn bytes_read(&self) -> u64 {
        self.reader.position().byte()
    }

    /// The next row, `None` at the end. A broken CSV stream (an I/O error)
    /// is an `Err`; a bad row is an `Ok(Some(Err(RowError)))`.
    pub fn next_row(&mut self) -> Result<Option<Row>> {
        let line_before = self.reader.position().line();
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => Ok(None),
            Ok(true) => {
                self.row += 1;
                let line = self
                    .record
                    .position()
                    .map(|p| p.line())
                    .unwrap_or(line_before);
                Ok(Some(self.parse_record(line)))
            }
            Err(err) => {
                let line = err.position().map(|p| p.line()).unwrap_or(line_before);
                if let csv::ErrorKind::Io(_) = err.kind() {
                    return Err(err)
                        .with_context(|| format!("{}:{line}: cannot read input", self.name));
                }
                self.row += 1;
                Ok(Some(Err(RowError {
                    row: self.row,
                    line,
                    id: None,
                    message: format!("{}:{line}: malformed CSV: {err}", self.name),
                })))
            }
        }
    }

    fn parse_record(&self, line: u64) -> Row {
        let rec = &self.record;
        let field = |i: usize| rec.get(i).map(|b| std::str::from_utf8(b));
        let id = match self.id_col.and_then(field) {
            Some(Ok(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            _ => None,
        };
        let err = |message: String| RowError {
            row: self.row,
            line,
            id: id.clone(),
            message: format!("{}:{line}: {message}", self.name),
        };
        if rec.len() != self.headers.len() {
            return Err(err(format!(
                "expected {} fields as in the header, found {}",
                self.headers.len(),
                rec.len()
            )));
        }
        match field(self.name_col) {
            Some(Ok(s)) if !s.trim().is_empty() => Ok(Query {
                row: self.row,
                line,
                id,
                name: s.trim().to_string(),
                identifiers: self
                    .identifier_cols
                    .iter()
                    .filter_map(|(c, kind)| match field(*c) {
                        Some(Ok(v)) if !v.trim().is_empty() => Some(Identifier {
                            kind: kind.clone(),
                            value: v.trim().to_string(),
                            country: None,
                        }),
                        _ => None,
                    })
                    .collect(),
                country: match self.country_col.and_then(field) {
                    Some(Ok(c)) if !c.trim().is_empty() => Some(c.trim().to_string()),
                    _ => None,
                },
            }),
            Some(Ok(_)) | None => Err(err(format!(
                "empty `{}` value",
                self.headers[self.name_col]
            ))),
            Some(Err(e)) => Err(err(format!("the name is not valid UTF-8 ({e})"))),
        }
    }
}

impl<R: Read> Iterator for InputReader<R> {
    type Item = Result<Row>;
    fn next(&mut self) -> Option<Result<Row>> {
        self.next_row().transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
