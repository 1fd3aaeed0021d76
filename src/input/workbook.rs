//! Spreadsheets: the first visible worksheet of a workbook turned into CSV
//! text whose line numbers are the sheet's row numbers.

use super::{Format, InputReader, Progress};
use anyhow::{Result, anyhow, bail};
use std::io::{Cursor, Read};

/// The spreadsheet kind read for a file extension (lower case).
pub(super) fn workbook_kind(extension: &str) -> Option<&'static str> {
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
pub(super) fn open_workbook(
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
pub(super) const MAX_SHEET_CELLS: u64 = 100_000_000;

/// Excel's last row, 1,048,576 (zero-based): the CSV text has a line for
/// every row before the last used one.
pub(super) const MAX_SHEET_ROW: u32 = 1_048_575;

/// The workbook's kind (for [`InputReader::describe`]), the sheet read and
/// its CSV text, whose line numbers are the sheet's row numbers.
pub(super) fn workbook_to_csv(
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
pub(super) type SheetCell = (u32, u32, calamine::Data);

/// The workbook's kind, the sheet to read (the first visible worksheet), and
/// its non-empty cells as (row, column, value), in no particular order.
/// Excel workbooks are read cell by cell: their readers' whole-sheet range
/// is dense, as large as the rectangle from the first used cell to the last.
pub(super) fn read_cells(
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
pub(super) fn ole_chain_loops(bytes: &[u8]) -> bool {
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
pub(super) fn catch_reader_panic<T>(name: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
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
pub(super) fn cell_text(out: &mut String, value: &calamine::Data) {
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
pub(super) fn number_text(f: f64) -> String {
    // Below 2^53 every whole float is exact as an i64.
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// An Excel date, time, date and time, or duration in ISO 8601.
pub(super) fn datetime_text(d: &calamine::ExcelDateTime) -> String {
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
pub(super) fn push_csv_field(out: &mut Vec<u8>, field: &str) {
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
pub(super) fn is_spreadsheet_error(value: &str) -> bool {
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
