//! Reading rows from delimited text: the header (its delimiter sniffed, the
//! name, id, identifier and country columns found) and then one [`Row`] per
//! record, a query or an error with its line.

use super::lines::LineEnds;
use super::{Format, Progress, Row, RowError, UTF8_BOM, identifier_kind, name_problem, read_facts};
use crate::model::{Identifier, Query};
use anyhow::{Context, Result, bail};
use std::io::{Chain, Cursor, Read};
use std::sync::atomic::Ordering;

/// The delimiters sniffed from the header line; the first wins a tie.
pub(super) const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// The columns read as the party's date of birth, the first found winning.
pub(super) const DOB_COLUMNS: [&str; 5] = [
    "date_of_birth",
    "dob",
    "birth_date",
    "birthdate",
    "year_of_birth",
];

/// The columns read as the party's type (`person`, `organization`...).
pub(super) const TYPE_COLUMNS: [&str; 2] = ["type", "entity_type"];

/// How far to look for the end of the header line.
pub(super) const HEADER_LIMIT: usize = 1 << 20;

/// Reads queries from a delimited text source, one row at a time.
pub struct InputReader<R: Read> {
    name: String,
    reader: csv::Reader<LineEnds<Chain<Cursor<Vec<u8>>, R>>>,
    name_col: usize,
    id_col: Option<usize>,
    /// Identifier columns: (column, kind).
    identifier_cols: Vec<(usize, String)>,
    country_col: Option<usize>,
    dob_col: Option<usize>,
    type_col: Option<usize>,
    /// A date of birth, type or country that cannot be read makes its row
    /// an error (`--strict-facts`), not a warning.
    strict_facts: bool,
    row: u64,
    record: csv::ByteRecord,
    pub(super) format: Format,
    pub(super) progress: Progress,
    /// Bytes dropped before the CSV reader (a byte-order mark).
    skipped: u64,
    /// Column headers, as read.
    pub headers: Vec<String>,
}

impl<R: Read> InputReader<R> {
    /// Open a delimited text source named `name` (for messages); `column` is
    /// the name column. The delimiter is sniffed from the header line; the
    /// bytes are read as UTF-8 (see [`super::open`] for other encodings and for
    /// workbooks).
    pub fn new(name: &str, source: R, column: &str) -> Result<InputReader<R>> {
        InputReader::build(name, source, column, None)
    }

    /// [`InputReader::new`], with the delimiter given or sniffed.
    pub(super) fn build(
        name: &str,
        mut source: R,
        column: &str,
        delimiter: Option<u8>,
    ) -> Result<InputReader<R>> {
        let mut head = read_header_line(&mut source)
            .with_context(|| format!("{name}:1: cannot read the header row"))?;
        let skipped = if head.starts_with(UTF8_BOM) {
            head.drain(..UTF8_BOM.len());
            UTF8_BOM.len() as u64
        } else {
            0
        };
        let delimiter = delimiter.unwrap_or_else(|| sniff_delimiter(&head));
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(LineEnds::new(Cursor::new(head).chain(source)));
        let headers = reader
            .byte_headers()
            .with_context(|| format!("{name}:1: cannot read the header row"))?
            .clone();
        let line = headers
            .position()
            .map_or(1, |p| p.line() + reader.get_mut().blank_lines_at(p.byte()));
        if headers.is_empty() || (headers.len() == 1 && headers[0].is_empty()) {
            bail!("{name}:{line}: empty input: expected a header row with a `{column}` column");
        }
        let headers: Vec<String> = headers
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let h = String::from_utf8_lossy(h).trim().to_string();
                // A byte-order mark left before the first header.
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
                "{name}:{line}: no `{column}` column in the header (columns: {}); use --column to choose one",
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
        let dob_col = DOB_COLUMNS
            .iter()
            .find_map(|c| find(c))
            .filter(|&c| c != name_col);
        let type_col = TYPE_COLUMNS
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
            dob_col,
            type_col,
            strict_facts: false,
            row: 0,
            record: csv::ByteRecord::new(),
            format: Format::Text {
                delimiter,
                encoding: "UTF-8",
            },
            progress: Progress::Stream,
            skipped,
            headers,
        })
    }

    /// With `true` (`--strict-facts`), a date of birth, type or country
    /// that cannot be read makes its row an error; by default the row is
    /// screened without it and the query carries a [`FactWarning`](crate::model::FactWarning).
    pub fn set_strict_facts(&mut self, strict: bool) {
        self.strict_facts = strict;
    }

    /// What was read, for messages: `CSV (delimiter ';', Windows-1252)`,
    /// `Excel workbook (sheet "Sheet1")`...
    pub fn describe(&self) -> String {
        match &self.format {
            Format::Text {
                delimiter,
                encoding,
            } => format!("CSV (delimiter {:?}, {encoding})", char::from(*delimiter)),
            Format::Workbook { kind, sheet } => format!("{kind} (sheet {sheet:?})"),
        }
    }

    /// Bytes of the source read so far (for a progress bar; it ends at the
    /// size of the file).
    pub fn bytes_read(&self) -> u64 {
        match &self.progress {
            Progress::Stream => self.reader.get_ref().consumed + self.skipped,
            Progress::Decoded(n) => n.load(Ordering::Relaxed),
            Progress::Scaled { text_len, file_len } => {
                let position = self.reader.position().byte();
                let scaled =
                    u128::from(position) * u128::from(*file_len) / u128::from((*text_len).max(1));
                u64::try_from(scaled).unwrap_or(u64::MAX).min(*file_len)
            }
        }
    }

    /// The next row, `None` at the end. A broken CSV stream (an I/O error)
    /// is an `Err`; a bad row is an `Ok(Some(Err(RowError)))`.
    pub fn next_row(&mut self) -> Result<Option<Row>> {
        let line_before = self.reader.position().line();
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => Ok(None),
            Ok(true) => {
                self.row += 1;
                let start = self.record.position().map(|p| p.byte());
                let line = self.line(self.record.position().cloned(), line_before);
                // A quote left open swallows the rest of the input into this
                // row: its rows must not vanish into one name.
                let end = self.reader.position().byte();
                if let (Some(at), Some(start)) = (self.reader.get_ref().unclosed_quote(), start)
                    && (start..end).contains(&at)
                    && self.record.iter().any(|f| f.contains(&b'\n'))
                {
                    let swallowed: usize = self
                        .record
                        .iter()
                        .map(|f| f.iter().filter(|&&b| b == b'\n').count())
                        .sum();
                    return Ok(Some(Err(RowError {
                        row: self.row,
                        line,
                        id: None,
                        message: format!(
                            "{}:{line}: a double quote opened in this row is never closed: the {swallowed} line(s) after it were read into this row, not screened",
                            self.name
                        ),
                    })));
                }
                Ok(Some(self.parse_record(line)))
            }
            Err(err) => {
                let line = self.line(err.position().cloned(), line_before);
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

    /// The line where a record starts: the CSV reader counts from before
    /// the blank lines it skipped.
    fn line(&mut self, start: Option<csv::Position>, fallback: u64) -> u64 {
        match start {
            Some(p) => p.line() + self.reader.get_mut().blank_lines_at(p.byte()),
            None => fallback,
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
            Some(Ok(s)) => match name_problem(&self.headers[self.name_col], s) {
                Some(message) => Err(err(message)),
                None => self.query(s.trim(), id.clone(), line).map_err(err),
            },
            None => Err(err(format!(
                "empty `{}` value",
                self.headers[self.name_col]
            ))),
            Some(Err(e)) => Err(err(format!("the name is not valid UTF-8 ({e})"))),
        }
    }

    /// The query of a record whose name is `name`. A date of birth, type or
    /// country that cannot be read is left out with a [`FactWarning`]; with
    /// [`InputReader::set_strict_facts`] it is the row's error (a message
    /// without its line).
    fn query(&self, name: &str, id: Option<String>, line: u64) -> Result<Query, String> {
        let rec = &self.record;
        let field = |i: usize| rec.get(i).map(|b| std::str::from_utf8(b));
        // A column's trimmed value (`None` when absent or empty) and its
        // header, for messages.
        let value = |col: Option<usize>| -> Result<Option<(&str, &str)>, String> {
            let Some(c) = col else { return Ok(None) };
            let header = self.headers[c].as_str();
            match field(c) {
                Some(Ok(v)) if !v.trim().is_empty() => Ok(Some((header, v.trim()))),
                Some(Err(e)) => Err(format!("the `{header}` value is not valid UTF-8 ({e})")),
                _ => Ok(None),
            }
        };
        let country = match self.country_col.map(|c| (c, field(c))) {
            Some((c, Some(Ok(v)))) if !v.trim().is_empty() => {
                Some((self.headers[c].as_str(), v.trim()))
            }
            _ => None,
        };
        let facts = read_facts(
            value(self.dob_col)?,
            value(self.type_col)?,
            country,
            self.strict_facts,
        )?;
        Ok(Query {
            row: self.row,
            line,
            id,
            name: name.to_string(),
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
            country: facts.country,
            date_of_birth: facts.date_of_birth,
            entity_type: facts.entity_type,
            warnings: facts.warnings,
        })
    }
}

impl<R: Read> Iterator for InputReader<R> {
    type Item = Result<Row>;
    fn next(&mut self) -> Option<Result<Row>> {
        self.next_row().transpose()
    }
}

/// Read until the end of the first line outside double quotes (or EOF, or
/// [`HEADER_LIMIT`] bytes); returns all the bytes read.
pub(super) fn read_header_line<R: Read>(source: &mut R) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::new();
    let mut chunk = [0u8; 8192];
    let mut in_quotes = false;
    loop {
        let n = match source.read(&mut chunk) {
            Ok(0) => return Ok(head),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let mut line_end = false;
        for &b in &chunk[..n] {
            match b {
                b'"' => in_quotes = !in_quotes,
                b'\n' if !in_quotes => {
                    line_end = true;
                    break;
                }
                _ => {}
            }
        }
        head.extend_from_slice(&chunk[..n]);
        if line_end || head.len() >= HEADER_LIMIT {
            return Ok(head);
        }
    }
}

/// The delimiter of the header line at the start of `head`: the one of
/// [`DELIMITERS`] seen most often outside double quotes; comma on a tie or
/// when there is none.
pub(super) fn sniff_delimiter(head: &[u8]) -> u8 {
    let mut counts = [0usize; DELIMITERS.len()];
    let mut in_quotes = false;
    for &b in head {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' | b'\r' if !in_quotes => break,
            _ if !in_quotes => {
                if let Some(i) = DELIMITERS.iter().position(|&d| d == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let max = counts.iter().copied().max().unwrap_or(0);
    if max == 0 || counts.iter().filter(|&&c| c == max).count() > 1 {
        return b',';
    }
    DELIMITERS[counts.iter().position(|&c| c == max).unwrap_or(0)]
}
