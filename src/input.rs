//! The names to screen: a table with a header row, read from a file or from
//! standard input.
//!
//! Accepted inputs ([`open`] tells them apart; [`InputReader::describe`]
//! says what was read):
//!
//! - **Delimited text** (CSV and the like). The delimiter is sniffed from the
//!   header line among `,` `;` tab and `|`: the one that occurs most often
//!   outside double quotes, comma on a tie or when none occurs. Fields may be
//!   quoted with `"` (a `""` inside is a quote) and span lines. Lines may
//!   end in LF, CR LF or CR; line numbers count blank lines too.
//! - **Encodings**: UTF-8, with or without a byte-order mark; UTF-16 with a
//!   byte-order mark (Excel's "Unicode text"); and Windows-1252 (Excel's
//!   "CSV" on Western Windows), chosen when the first 64 KiB are not valid
//!   UTF-8 and then decoded while streaming. In a UTF-8 input a later invalid
//!   byte makes its row an error, with its line.
//! - **Spreadsheets**: `.xlsx`/`.xlsm` (also `.xlsb`, `.xls` and `.ods`) by
//!   extension, or any file that starts like a workbook (a zip or an OLE
//!   compound file). The first visible worksheet is read: text as is, whole
//!   numbers without a decimal point (an id 42 stored as 42.0 is `42`),
//!   other numbers as Rust prints them, booleans `true`/`false`, dates and
//!   times in ISO 8601, error cells as Excel shows them (`#N/A`), line breaks
//!   inside a cell as spaces. Line numbers are the sheet's row numbers.
//!
//! The name column is `name` unless the caller names another (any case); an
//! `id` column, identifier columns ([`identifier_kind`]) and a country column
//! (`country`, `country_code`, `nationality` or `jurisdiction`) are carried
//! through if present. Every data row becomes either a [`Query`] or a
//! [`RowError`] naming the input and the line: no row is dropped. Blank lines
//! (and wholly empty sheet rows) are not rows. A double quote never closed
//! makes its row an error saying how many lines it swallowed. A name that
//! is a spreadsheet error value such as `#N/A` is a row error, not a name to
//! screen, and so is one without a letter or digit (a NUL byte, `???` left
//! by a lost encoding) or longer than [`MAX_NAME_CHARS`] characters.
//! Problems with the input as a whole (missing file, empty input, no name
//! column) are errors naming the input.

use crate::model::{Identifier, Query};
use anyhow::{Context, Result, anyhow, bail};
use std::collections::VecDeque;
use std::io::{Chain, Cursor, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

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

/// The longest name screened, in characters (as long as the longest name a
/// list may give, [`crate::lists::MAX_NAME_CHARS`]): a longer value is not a
/// name (a pasted document, a quote left open in the file), and one long
/// word would stall the matcher. Such a row is an error.
pub const MAX_NAME_CHARS: usize = crate::lists::MAX_NAME_CHARS;

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

/// The delimiters sniffed from the header line; the first wins a tie.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// How far to look for the end of the header line.
const HEADER_LIMIT: usize = 1 << 20;

/// How much of a text input decides its encoding.
const ENCODING_WINDOW: usize = 64 * 1024;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// What the input turned out to be, for [`InputReader::describe`].
enum Format {
    Text {
        delimiter: u8,
        encoding: &'static str,
    },
    Workbook {
        kind: &'static str,
        sheet: String,
    },
}

/// How [`InputReader::bytes_read`] counts.
enum Progress {
    /// Bytes taken from the source, plus those skipped before it.
    Stream,
    /// Bytes the decoder took from the source.
    Decoded(Arc<AtomicU64>),
    /// Position in CSV text made from a file of `file_len` bytes, scaled.
    Scaled { text_len: u64, file_len: u64 },
}

/// Reads queries from a delimited text source, one row at a time.
pub struct InputReader<R: Read> {
    name: String,
    reader: csv::Reader<LineEnds<Chain<Cursor<Vec<u8>>, R>>>,
    name_col: usize,
    id_col: Option<usize>,
    /// Identifier columns: (column, kind).
    identifier_cols: Vec<(usize, String)>,
    country_col: Option<usize>,
    row: u64,
    record: csv::ByteRecord,
    format: Format,
    progress: Progress,
    /// Bytes dropped before the CSV reader (a byte-order mark).
    skipped: u64,
    /// Column headers, as read.
    pub headers: Vec<String>,
}

impl<R: Read> InputReader<R> {
    /// Open a delimited text source named `name` (for messages); `column` is
    /// the name column. The delimiter is sniffed from the header line; the
    /// bytes are read as UTF-8 (see [`open`] for other encodings and for
    /// workbooks).
    pub fn new(name: &str, source: R, column: &str) -> Result<InputReader<R>> {
        InputReader::build(name, source, column, None)
    }

    /// [`InputReader::new`], with the delimiter given or sniffed.
    fn build(
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
        Ok(InputReader {
            name: name.to_string(),
            reader,
            name_col,
            id_col,
            identifier_cols,
            country_col,
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
            Some(Ok(s)) if is_spreadsheet_error(s.trim()) => Err(err(format!(
                "the `{}` value is the spreadsheet error {}, not a name",
                self.headers[self.name_col],
                s.trim()
            ))),
            Some(Ok(s))
                if s.trim().len() > MAX_NAME_CHARS && s.trim().chars().count() > MAX_NAME_CHARS =>
            {
                Err(err(format!(
                    "the `{}` value is {} characters long, more than a name can be ({MAX_NAME_CHARS}): not screened",
                    self.headers[self.name_col],
                    s.trim().chars().count()
                )))
            }
            Some(Ok(s)) if !s.trim().is_empty() && !s.chars().any(char::is_alphanumeric) => {
                Err(err(format!(
                    "the `{}` value {:?} has no letter or digit: not a name",
                    self.headers[self.name_col],
                    s.trim()
                )))
            }
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

/// Open the input at `path` (`-` is standard input) with `column` as the name
/// column: a workbook (by its extension or its first bytes) or delimited
/// text in UTF-8, UTF-16 or Windows-1252, as the module documentation says.
///
/// A path that does not exist, a directory, an unreadable workbook, an empty
/// input or a header without the name column is an error naming the input.
pub fn open(path: &str, column: &str) -> Result<InputReader<Box<dyn Read + Send>>> {
    if path == "-" {
        return open_text("<stdin>", Box::new(std::io::stdin()), column);
    }
    open_named(std::path::Path::new(path), path, column)
}

/// [`open`] for a file that messages call `name` (a copy of standard input
/// is `<stdin>`).
pub fn open_named(
    file_path: &std::path::Path,
    path: &str,
    column: &str,
) -> Result<InputReader<Box<dyn Read + Send>>> {
    let meta =
        std::fs::metadata(file_path).with_context(|| format!("{path}: cannot open input"))?;
    if meta.is_dir() {
        bail!("{path}: is a directory, not an input file");
    }
    let mut file =
        std::fs::File::open(file_path).with_context(|| format!("{path}: cannot open input"))?;
    let extension = file_path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase());
    if let Some(kind) = extension.as_deref().and_then(workbook_kind) {
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .with_context(|| format!("{path}: cannot read input"))?;
        return open_workbook(path, bytes, Some(kind), column);
    }
    open_text(path, Box::new(file), column)
}

/// A delimited text input, or a workbook recognized by its first bytes.
fn open_text(
    name: &str,
    mut source: Box<dyn Read + Send>,
    column: &str,
) -> Result<InputReader<Box<dyn Read + Send>>> {
    let mut probe = Vec::with_capacity(ENCODING_WINDOW);
    (&mut source)
        .take(ENCODING_WINDOW as u64)
        .read_to_end(&mut probe)
        .with_context(|| format!("{name}: cannot read input"))?;
    if probe.starts_with(b"PK\x03\x04") || probe.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        source
            .read_to_end(&mut probe)
            .with_context(|| format!("{name}: cannot read input"))?;
        return open_workbook(name, probe, None, column);
    }
    let encoding = sniff_encoding(&probe, probe.len() < ENCODING_WINDOW);
    let source = Cursor::new(probe).chain(source);
    if encoding == encoding_rs::UTF_8 {
        return InputReader::new(name, Box::new(source), column);
    }
    let label = if encoding == encoding_rs::WINDOWS_1252 {
        "Windows-1252"
    } else {
        encoding.name()
    };
    let consumed = Arc::new(AtomicU64::new(0));
    let decoder = if encoding == encoding_rs::WINDOWS_1252 {
        encoding.new_decoder_without_bom_handling()
    } else {
        encoding.new_decoder_with_bom_removal()
    };
    let decoded = DecodingReader::new(source, decoder, Arc::clone(&consumed));
    let mut reader = InputReader::new(name, Box::new(decoded) as Box<dyn Read + Send>, column)?;
    if let Format::Text { encoding, .. } = &mut reader.format {
        *encoding = label;
    }
    reader.progress = Progress::Decoded(consumed);
    Ok(reader)
}

/// The encoding of a text input from its first bytes (`complete`: all of it).
/// A byte-order mark decides; else UTF-8 if the bytes are valid UTF-8 (but for
/// a sequence cut at the end of an incomplete window), or if they hold valid
/// multi-byte UTF-8 beside the invalid bytes (a UTF-8 file cut short inside
/// a character, or with a few rows pasted from another encoding: those rows
/// become errors, rather than every accented name being misread); else
/// Windows-1252.
fn sniff_encoding(probe: &[u8], complete: bool) -> &'static encoding_rs::Encoding {
    if probe.starts_with(UTF8_BOM) {
        return encoding_rs::UTF_8;
    }
    if probe.starts_with(b"\xFF\xFE") {
        return encoding_rs::UTF_16LE;
    }
    if probe.starts_with(b"\xFE\xFF") {
        return encoding_rs::UTF_16BE;
    }
    match std::str::from_utf8(probe) {
        Ok(_) => encoding_rs::UTF_8,
        Err(e) if e.error_len().is_none() && !complete => encoding_rs::UTF_8,
        Err(_) if probe.utf8_chunks().any(|c| !c.valid().is_ascii()) => encoding_rs::UTF_8,
        Err(_) => encoding_rs::WINDOWS_1252,
    }
}

/// Read until the end of the first line outside double quotes (or EOF, or
/// [`HEADER_LIMIT`] bytes); returns all the bytes read.
fn read_header_line<R: Read>(source: &mut R) -> std::io::Result<Vec<u8>> {
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

/// Feeds the CSV reader: turns CR LF and lone CR line ends into LF, so that
/// the reader counts lines right, counts the bytes taken from the source,
/// and notes the runs of line ends that can hold blank lines, which the
/// reader skips without counting them in the line of the record after them.
struct LineEnds<R> {
    inner: R,
    /// The last byte read was a CR: a LF right after it is dropped.
    after_cr: bool,
    /// Bytes handed out so far (the CSV reader's byte positions).
    offset: u64,
    /// Bytes taken from `inner`.
    consumed: u64,
    /// The last run of LF handed out: (offset, length).
    run: (u64, u64),
    /// Earlier runs that can hold blank lines (two LF or more, or one at the
    /// start), not yet passed by the CSV reader.
    runs: VecDeque<(u64, u64)>,
    /// Inside double quotes, counting every `"` handed out (`""` counts twice).
    in_quotes: bool,
    /// Where the last opening `"` was handed out.
    quote_at: u64,
    /// `inner` is exhausted.
    eof: bool,
}

impl<R: Read> LineEnds<R> {
    fn new(inner: R) -> Self {
        LineEnds {
            inner,
            after_cr: false,
            offset: 0,
            consumed: 0,
            run: (0, 0),
            runs: VecDeque::new(),
            in_quotes: false,
            quote_at: 0,
            eof: false,
        }
    }

    /// Where a `"` opened a quoted field that the input never closed (known
    /// once the whole input has been handed out): the CSV reader then reads
    /// every line after it into that field.
    fn unclosed_quote(&self) -> Option<u64> {
        (self.eof && self.in_quotes).then_some(self.quote_at)
    }

    /// Blank lines skipped from byte `at`, where the CSV reader started a
    /// record, to the record's first byte. Runs before `at` are forgotten.
    fn blank_lines_at(&mut self, at: u64) -> u64 {
        while self.runs.front().is_some_and(|&(s, len)| s + len <= at) {
            self.runs.pop_front();
        }
        self.runs
            .front()
            .into_iter()
            .chain(std::iter::once(&self.run))
            .find(|&&(s, len)| s <= at && at < s + len)
            .map_or(0, |&(s, len)| s + len - at)
    }
}

impl<R: Read> Read for LineEnds<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let n = match self.inner.read(buf) {
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if n == 0 {
                self.eof = true;
                return Ok(0);
            }
            self.consumed += n as u64;
            let mut w = 0;
            for r in 0..n {
                let b = buf[r];
                if self.after_cr && b == b'\n' {
                    self.after_cr = false;
                    continue;
                }
                self.after_cr = b == b'\r';
                let b = if b == b'\r' { b'\n' } else { b };
                if b == b'"' {
                    self.in_quotes = !self.in_quotes;
                    if self.in_quotes {
                        self.quote_at = self.offset;
                    }
                }
                if b == b'\n' {
                    let (start, len) = self.run;
                    if len > 0 && start + len == self.offset {
                        self.run.1 += 1;
                    } else {
                        if len >= 2 || (start == 0 && len == 1) {
                            self.runs.push_back(self.run);
                        }
                        self.run = (self.offset, 1);
                    }
                }
                buf[w] = b;
                w += 1;
                self.offset += 1;
            }
            // Only a dropped LF: read on rather than signal the end.
            if w > 0 {
                return Ok(w);
            }
        }
    }
}

/// The delimiter of the header line at the start of `head`: the one of
/// [`DELIMITERS`] seen most often outside double quotes; comma on a tie or
/// when there is none.
fn sniff_delimiter(head: &[u8]) -> u8 {
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

/// Decodes a byte stream to UTF-8 while it is read.
struct DecodingReader<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Box<[u8]>,
    in_start: usize,
    in_end: usize,
    output: Box<[u8]>,
    out_start: usize,
    out_end: usize,
    /// The source is exhausted.
    eof: bool,
    /// The decoder is flushed.
    done: bool,
    /// Bytes taken from `inner`.
    consumed: Arc<AtomicU64>,
}

impl<R: Read> DecodingReader<R> {
    fn new(inner: R, decoder: encoding_rs::Decoder, consumed: Arc<AtomicU64>) -> Self {
        DecodingReader {
            inner,
            decoder,
            input: vec![0; 16 * 1024].into_boxed_slice(),
            in_start: 0,
            in_end: 0,
            output: vec![0; 32 * 1024].into_boxed_slice(),
            out_start: 0,
            out_end: 0,
            eof: false,
            done: false,
            consumed,
        }
    }
}

impl<R: Read> Read for DecodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        while self.out_start == self.out_end {
            if self.done {
                return Ok(0);
            }
            if self.in_start == self.in_end && !self.eof {
                match self.inner.read(&mut self.input) {
                    Ok(0) => self.eof = true,
                    Ok(n) => {
                        self.in_start = 0;
                        self.in_end = n;
                        self.consumed.fetch_add(n as u64, Ordering::Relaxed);
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            }
            let (result, read, written, _) = self.decoder.decode_to_utf8(
                &self.input[self.in_start..self.in_end],
                &mut self.output,
                self.eof,
            );
            self.in_start += read;
            self.out_start = 0;
            self.out_end = written;
            if self.eof && result == encoding_rs::CoderResult::InputEmpty {
                self.done = true;
            }
        }
        let n = buf.len().min(self.out_end - self.out_start);
        buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
        self.out_start += n;
        Ok(n)
    }
}

/// The spreadsheet kind read for a file extension (lower case).
fn workbook_kind(extension: &str) -> Option<&'static str> {
    Some(match extension {
        "xlsx" | "xlsm" | "xltx" | "xltm" => "xlsx",
        "xlsb" => "xlsb",
        "xls" => "xls",
        "ods" => "ods",
        _ => return None,
    })
}

/// A workbook in memory, read through its first visible worksheet turned
/// into CSV text (one line per sheet row).
fn open_workbook(
    name: &str,
    bytes: Vec<u8>,
    kind: Option<&str>,
    column: &str,
) -> Result<InputReader<Box<dyn Read + Send>>> {
    let file_len = bytes.len() as u64;
    let (kind, sheet, text) = workbook_to_csv(name, &bytes, kind, column)?;
    drop(bytes);
    let text_len = text.len() as u64;
    let source: Box<dyn Read + Send> = Box::new(Cursor::new(text));
    let mut reader = InputReader::build(name, source, column, Some(b','))?;
    reader.format = Format::Workbook { kind, sheet };
    reader.progress = Progress::Scaled { text_len, file_len };
    Ok(reader)
}

/// The largest sheet read, from its first used cell to its last: the CSV
/// text made of it holds a field for every cell of that rectangle, so a stray
/// cell far from the table (or a crafted file) could otherwise ask for
/// terabytes. A million rows of a hundred columns fit.
const MAX_SHEET_CELLS: u64 = 100_000_000;

/// Excel's last row, 1,048,576 (zero-based): the CSV text has a line for
/// every row before the last used one.
const MAX_SHEET_ROW: u32 = 1_048_575;

/// The workbook's kind (for [`InputReader::describe`]), the sheet read and
/// its CSV text, whose line numbers are the sheet's row numbers.
fn workbook_to_csv(
    name: &str,
    bytes: &[u8],
    kind: Option<&str>,
    column: &str,
) -> Result<(&'static str, String, Vec<u8>)> {
    let (label, sheet, mut cells) = catch_reader_panic(name, || read_cells(name, bytes, kind))?;
    let (Some(first_row), Some(last_row), Some(first_col), Some(last_col)) = (
        cells.iter().map(|c| c.0).min(),
        cells.iter().map(|c| c.0).max(),
        cells.iter().map(|c| c.1).min(),
        cells.iter().map(|c| c.1).max(),
    ) else {
        bail!("{name}: sheet {sheet:?} is empty: expected a header row with a `{column}` column");
    };
    let rows = u64::from(last_row - first_row) + 1;
    let cols = u64::from(last_col - first_col) + 1;
    if rows.saturating_mul(cols) > MAX_SHEET_CELLS || last_row > MAX_SHEET_ROW {
        bail!(
            "{name}: sheet {sheet:?} is too large: its used cells span rows {} to {} and {cols} columns, \
             more than the {MAX_SHEET_CELLS} cells (and {} rows) read; clear the cells outside the table, \
             or save the sheet as CSV",
            first_row + 1,
            last_row + 1,
            MAX_SHEET_ROW + 1
        );
    }
    // Row by row, left to right; of two values for one cell, the last.
    cells.sort_by_key(|c| (c.0, c.1));
    // Blank lines before the first row keep line numbers equal to row numbers.
    let mut text = vec![b'\n'; first_row as usize];
    let mut cell = String::new();
    let mut next = cells.iter().peekable();
    for row in first_row..=last_row {
        if next.peek().is_none_or(|c| c.0 != row) {
            text.push(b'\n');
            continue;
        }
        for col in first_col..=last_col {
            if col > first_col {
                text.push(b',');
            }
            cell.clear();
            while let Some((_, _, value)) = next.next_if(|c| (c.0, c.1) == (row, col)) {
                cell.clear();
                cell_text(&mut cell, value);
            }
            push_csv_field(&mut text, &cell);
        }
        text.push(b'\n');
    }
    Ok((label, sheet, text))
}

/// A cell of a sheet: row, column (both zero-based) and value.
type SheetCell = (u32, u32, calamine::Data);

/// The workbook's kind, the sheet to read (the first visible worksheet), and
/// its non-empty cells as (row, column, value), in no particular order.
/// Excel workbooks are read cell by cell: their readers' whole-sheet range
/// is dense, as large as the rectangle from the first used cell to the last.
fn read_cells(
    name: &str,
    bytes: &[u8],
    kind: Option<&str>,
) -> Result<(&'static str, String, Vec<SheetCell>)> {
    use calamine::{Data, DataRef, Reader, Sheets, open_workbook_from_rs};
    if ole_chain_loops(bytes) {
        bail!(
            "{name}: cannot read the workbook: it is malformed (a sector chain of its OLE container loops back on itself)"
        );
    }
    let rs = Cursor::new(bytes);
    let book = match kind {
        Some("xlsx") => open_workbook_from_rs(rs)
            .map(Sheets::Xlsx)
            .map_err(|e| e.to_string()),
        Some("xlsb") => open_workbook_from_rs(rs)
            .map(Sheets::Xlsb)
            .map_err(|e| e.to_string()),
        Some("xls") => open_workbook_from_rs(rs)
            .map(Sheets::Xls)
            .map_err(|e| e.to_string()),
        Some("ods") => open_workbook_from_rs(rs)
            .map(Sheets::Ods)
            .map_err(|e| e.to_string()),
        _ => calamine::open_workbook_auto_from_rs(rs).map_err(|e| e.to_string()),
    };
    let mut book = book.map_err(|e| anyhow!("{name}: cannot read the workbook: {e}"))?;
    let label = match &book {
        Sheets::Xlsx(_) => "Excel workbook",
        Sheets::Xlsb(_) => "Excel binary workbook",
        Sheets::Xls(_) => "Excel 97-2003 workbook",
        Sheets::Ods(_) => "OpenDocument spreadsheet",
    };
    let sheets = book.sheets_metadata();
    let is_worksheet = |s: &&calamine::Sheet| s.typ == calamine::SheetType::WorkSheet;
    let sheet = sheets
        .iter()
        .filter(is_worksheet)
        .find(|s| s.visible == calamine::SheetVisible::Visible)
        .or_else(|| sheets.iter().find(is_worksheet))
        .map(|s| s.name.clone())
        .ok_or_else(|| anyhow!("{name}: the workbook has no worksheet"))?;
    let cannot = |e: &dyn std::fmt::Display| anyhow!("{name}: cannot read sheet {sheet:?}: {e}");
    let mut cells = Vec::new();
    let keep = |cells: &mut Vec<SheetCell>, (row, col): (u32, u32), value: &DataRef| {
        if !matches!(value, DataRef::Empty) {
            if cells.len() as u64 >= MAX_SHEET_CELLS {
                bail!(
                    "{name}: sheet {sheet:?} has more than {MAX_SHEET_CELLS} cells, more than are read"
                );
            }
            cells.push((row, col, Data::from(value.clone())));
        }
        Ok(())
    };
    match &mut book {
        Sheets::Xlsx(x) => {
            let mut reader = x.worksheet_cells_reader(&sheet).map_err(|e| cannot(&e))?;
            while let Some(c) = reader.next_cell().map_err(|e| cannot(&e))? {
                keep(&mut cells, c.get_position(), c.get_value())?;
            }
        }
        Sheets::Xlsb(x) => {
            let mut reader = x.worksheet_cells_reader(&sheet).map_err(|e| cannot(&e))?;
            while let Some(c) = reader.next_cell().map_err(|e| cannot(&e))? {
                keep(&mut cells, c.get_position(), c.get_value())?;
            }
        }
        _ => {
            // These readers hold the whole sheet already.
            let range = book.worksheet_range(&sheet).map_err(|e| cannot(&e))?;
            let (row0, col0) = range.start().unwrap_or((0, 0));
            for (r, c, value) in range.used_cells() {
                cells.push((row0 + r as u32, col0 + c as u32, value.clone()));
            }
        }
    }
    Ok((label, sheet, cells))
}

/// Whether an OLE compound file (an `.xls`) has a sector chain that loops:
/// calamine follows a chain until its end marker, appending every sector, so
/// a loop grows its buffer until memory runs out. The file allocation table
/// is read as calamine reads it (sector `n` at byte `(n + 1) * size`); a
/// sound table has no loop at all. Chains in the mini table are not checked:
/// calamine reads them only for streams under 4,096 bytes, and stops there.
fn ole_chain_loops(bytes: &[u8]) -> bool {
    const FIRST_RESERVED: u32 = 0xFFFF_FFFA;
    const DIFAT_SECTOR: u32 = 0xFFFF_FFFC;
    if bytes.len() < 512 || !bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return false;
    }
    let u32s = |b: &[u8]| -> Vec<u32> {
        b.chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    };
    let size: usize = match u16::from_le_bytes([bytes[30], bytes[31]]) {
        9 => 512,
        12 => 4096,
        _ => return false, // calamine refuses it
    };
    let max_id = bytes.len() / size;
    let sector = |id: u32| -> &[u8] {
        let start = (id as usize).saturating_add(1).saturating_mul(size);
        bytes
            .get(start..bytes.len().min(start.saturating_add(size)))
            .unwrap_or(&[])
    };
    // The table's sectors: listed in the header, then in a chain of sectors
    // whose last entry names the next (calamine bounds that chain).
    let mut difat = u32s(&bytes[76..512]);
    let mut id = u32::from_le_bytes([bytes[68], bytes[69], bytes[70], bytes[71]]);
    let mut steps = 0;
    while id < FIRST_RESERVED {
        steps += 1;
        if steps > max_id + 1 || id as usize > max_id {
            return false;
        }
        difat.extend(u32s(sector(id)));
        let Some(next) = difat.pop() else {
            return false;
        };
        id = next;
    }
    let fat: Vec<u32> = difat
        .into_iter()
        .filter(|&id| id < DIFAT_SECTOR && id as usize <= max_id)
        .flat_map(|id| u32s(sector(id)))
        .collect();
    // Each entry names the next sector; find a cycle among them.
    let mut state = vec![0u8; fat.len()]; // 0 new, 1 on the current path, 2 done
    for start in 0..fat.len() {
        let mut path = Vec::new();
        let mut at = start;
        while at < fat.len() && state[at] == 0 {
            state[at] = 1;
            path.push(at);
            at = fat[at] as usize;
        }
        if at < fat.len() && state[at] == 1 {
            return true;
        }
        for i in path {
            state[i] = 2;
        }
    }
    false
}

thread_local! {
    /// A workbook reader is running on this thread: its panics are caught.
    static IN_WORKBOOK_READER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Run the workbook reader, making a panic in it an error naming the input:
/// calamine panics on some malformed files (an index out of bounds in an
/// OLE file's sector table). The panic hook is not called for it, so no
/// panic message is printed; other panics are reported as before.
fn catch_reader_panic<T>(name: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_WORKBOOK_READER.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    let was = IN_WORKBOOK_READER.with(|r| r.replace(true));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    IN_WORKBOOK_READER.with(|r| r.set(was));
    outcome.unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("no message");
        bail!(
            "{name}: cannot read the workbook: it is malformed (the workbook reader failed: {why})"
        )
    })
}

/// A cell as text; see the module documentation.
fn cell_text(out: &mut String, value: &calamine::Data) {
    use calamine::Data;
    use std::fmt::Write;
    // Writing to a String cannot fail.
    let _ = match value {
        Data::Empty => Ok(()),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
            out.push_str(s);
            Ok(())
        }
        Data::Int(i) => write!(out, "{i}"),
        Data::Float(f) => write!(out, "{}", number_text(*f)),
        Data::Bool(b) => write!(out, "{b}"),
        Data::DateTime(d) => write!(out, "{}", datetime_text(d)),
        Data::Error(e) => write!(out, "{e}"),
    };
}

/// A number as text: whole numbers without a decimal point.
fn number_text(f: f64) -> String {
    // Below 2^53 every whole float is exact as an i64.
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// An Excel date, time, date and time, or duration in ISO 8601.
fn datetime_text(d: &calamine::ExcelDateTime) -> String {
    let value = d.as_f64();
    if d.is_duration() {
        let ms = (value * 86_400_000.0).round() as i64;
        let sign = if ms < 0 { "-" } else { "" };
        let ms = ms.unsigned_abs();
        let (h, m, s, milli) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
        return if milli > 0 {
            format!("{sign}PT{h}H{m}M{s}.{milli:03}S")
        } else {
            format!("{sign}PT{h}H{m}M{s}S")
        };
    }
    let (y, mo, da, h, mi, s, milli) = d.to_ymd_hms_milli();
    let date = format!("{y:04}-{mo:02}-{da:02}");
    let time = if milli > 0 {
        format!("{h:02}:{mi:02}:{s:02}.{milli:03}")
    } else {
        format!("{h:02}:{mi:02}:{s:02}")
    };
    if (h, mi, s, milli) == (0, 0, 0, 0) {
        date
    } else if (0.0..1.0).contains(&value) {
        time
    } else {
        format!("{date}T{time}")
    }
}

/// Append `field` to CSV text, quoted if needed; line breaks become spaces
/// so that each sheet row stays one line.
fn push_csv_field(out: &mut Vec<u8>, field: &str) {
    let field = if field.contains(['\r', '\n']) {
        std::borrow::Cow::Owned(field.replace("\r\n", " ").replace(['\r', '\n'], " "))
    } else {
        std::borrow::Cow::Borrowed(field)
    };
    if field.contains([',', '"']) {
        out.push(b'"');
        out.extend_from_slice(field.replace('"', "\"\"").as_bytes());
        out.push(b'"');
    } else {
        out.extend_from_slice(field.as_bytes());
    }
}

/// Whether a value is a spreadsheet error value as Excel shows it (and writes
/// it to CSV): `#N/A`, `#REF!`...
fn is_spreadsheet_error(value: &str) -> bool {
    matches!(
        value.to_ascii_uppercase().as_str(),
        "#N/A"
            | "#NULL!"
            | "#DIV/0!"
            | "#VALUE!"
            | "#REF!"
            | "#NAME?"
            | "#NUM!"
            | "#DATA!"
            | "#GETTING_DATA"
            | "#SPILL!"
            | "#CALC!"
            | "#FIELD!"
            | "#BLOCKED!"
            | "#CONNECT!"
            | "#BUSY!"
            | "#UNKNOWN!"
    )
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
}
