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
//! A date of birth, type or country that cannot be read (`1974-01-32`,
//! `fish`, `Atlantis`) does not lose the row: it is screened without that
//! fact and its [`Query`] carries a [`crate::model::FactWarning`] (with
//! [`InputReader::set_strict_facts`], `--strict-facts`, the row is an error).
//! Problems with the input as a whole (missing file, empty input, no name
//! column) are errors naming the input.
//!
//! The parts: this module opens an input and tells text from workbooks;
//! `encoding` sniffs a text input's encoding and decodes it while it is
//! read; `lines` makes line ends uniform and counts blank lines, so that
//! each row keeps its line; `reader` reads the header and then the rows;
//! `workbook` turns a worksheet into CSV text for `reader`.

use crate::model::{BirthDate, EntityType, FactWarning, Query};
use anyhow::{Context, Result, bail};
use encoding::{DecodingReader, sniff_encoding};
use std::io::{Cursor, Read};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use workbook::{open_workbook, workbook_kind};

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

/// Why a value of the name column (headed `header`) is not a name to
/// screen, or `None` when it is one: empty, a spreadsheet error value such
/// as `#N/A`, longer than [`MAX_NAME_CHARS`], or without a letter or digit.
/// The Python package checks its names here too.
///
/// ```
/// use sanctions::input::name_problem;
/// assert_eq!(name_problem("name", " ACME Ltd "), None);
/// assert!(name_problem("name", "#N/A").unwrap().contains("spreadsheet error"));
/// assert_eq!(name_problem("name", " ").unwrap(), "empty `name` value");
/// ```
pub fn name_problem(header: &str, value: &str) -> Option<String> {
    let s = value.trim();
    if s.is_empty() {
        Some(format!("empty `{header}` value"))
    } else if workbook::is_spreadsheet_error(s) {
        Some(format!(
            "the `{header}` value is the spreadsheet error {s}, not a name"
        ))
    } else if s.len() > MAX_NAME_CHARS && s.chars().count() > MAX_NAME_CHARS {
        Some(format!(
            "the `{header}` value is {} characters long, more than a name can be ({MAX_NAME_CHARS}): not screened",
            s.chars().count()
        ))
    } else if !s.chars().any(char::is_alphanumeric) {
        Some(format!(
            "the `{header}` value {s:?} has no letter or digit: not a name"
        ))
    } else {
        None
    }
}

/// A row's facts besides its name, as read from their columns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// Its date of birth, when given and readable.
    pub date_of_birth: Option<BirthDate>,
    /// Its type, when given and readable.
    pub entity_type: Option<EntityType>,
    /// Its country as given, when [`crate::countries`] knows it.
    pub country: Option<String>,
    /// The values left out because they could not be read.
    pub warnings: Vec<FactWarning>,
}

/// A row's date of birth, type and country, each given as its column's
/// header and its trimmed, non-empty value, read as `sanctions screen`
/// reads an input row: a value that cannot be read is left out with a
/// warning or, when `strict` (`--strict-facts`), is the row's error.
///
/// ```
/// use sanctions::input::read_facts;
/// let f = read_facts(Some(("dob", "1974-01-32")), None, Some(("country", "IR")), false).unwrap();
/// assert_eq!((f.date_of_birth, f.country.as_deref(), f.warnings.len()), (None, Some("IR"), 1));
/// let e = read_facts(Some(("dob", "1974-01-32")), None, None, true).unwrap_err();
/// assert!(e.starts_with("the `dob` value \"1974-01-32\""));
/// ```
pub fn read_facts(
    date_of_birth: Option<(&str, &str)>,
    entity_type: Option<(&str, &str)>,
    country: Option<(&str, &str)>,
    strict: bool,
) -> std::result::Result<Facts, String> {
    let mut warnings = Vec::new();
    // A value that cannot be read: `error` starts with the value.
    let mut unreadable = |header: &str, value: &str, error: String| {
        if strict {
            return Err(format!("the `{header}` value {error}"));
        }
        let reason = (error.strip_prefix(&format!("{value:?} ")))
            .unwrap_or(&error)
            .to_string();
        warnings.push(FactWarning {
            column: header.to_string(),
            value: value.to_string(),
            reason,
        });
        Ok(())
    };
    let date_of_birth = match date_of_birth {
        Some((header, v)) => BirthDate::parse_input(v)
            .map(Some)
            .or_else(|e| unreadable(header, v, e).map(|()| None))?,
        None => None,
    };
    let entity_type = match entity_type {
        Some((header, v)) => EntityType::parse_input(v)
            .map(Some)
            .or_else(|e| unreadable(header, v, e).map(|()| None))?,
        None => None,
    };
    let country = match country {
        Some((_, v)) if crate::countries::iso2(v).is_some() => Some(v.to_string()),
        Some((header, v)) => {
            let e = format!("{v:?} is not a country known by name or ISO code");
            unreadable(header, v, e)?;
            None
        }
        None => None,
    };
    Ok(Facts {
        date_of_birth,
        entity_type,
        country,
        warnings,
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

mod encoding;
mod lines;
mod reader;
#[cfg(test)]
mod tests;
mod workbook;

pub use reader::InputReader;
