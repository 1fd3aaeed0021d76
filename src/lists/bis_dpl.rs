//! BIS Denied Persons List, tab-delimited text (`dpl.txt`): a header, then
//! one quoted row per name and address, so a person with several addresses
//! has several rows. Names are kept as published (leading spaces trimmed).

use super::util::{cell, decode, hash_id, keep_first, strip_bom};
use super::{Diagnostic, LineIndex, Loaded, Source};
use crate::model::{Entity, Location, Name, NameKind};
use anyhow::{Result, bail};
use std::collections::HashMap;

/// The list name.
pub const LIST: &str = "BIS Denied Persons List";

/// Is a `YYYY-MM-DD` or `MM/DD/YYYY` date plausible (year 1900..=2100)?
fn plausible_date(s: &str) -> bool {
    let year = if s.len() == 10 && s.as_bytes()[4] == b'-' {
        s[..4].parse::<u32>().ok()
    } else if s.len() == 10 && s.as_bytes()[2] == b'/' {
        s[6..].parse::<u32>().ok()
    } else {
        None
    };
    year.is_some_and(|y| (1900..=2100).contains(&y))
}

/// Load a DPL text file.
pub fn load(src: &Source) -> Result<Loaded> {
    let bytes = strip_bom(&src.bytes);
    let lines = LineIndex::new(bytes);
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .flexible(true)
        .from_reader(bytes);
    let headers: Vec<String> = match r.byte_headers() {
        Ok(h) => h.iter().map(|f| decode(f).trim().to_string()).collect(),
        Err(e) => bail!("{}:1: cannot read the header: {e}", src.name),
    };
    let col = |n: &str| headers.iter().position(|h| h == n);
    let Some(c_name) = col("Name") else {
        bail!("{}:1: missing column `Name`", src.name);
    };
    let addr: Vec<usize> = ["Street_Address", "City", "State", "Postal_Code", "Country"]
        .iter()
        .filter_map(|n| col(n))
        .collect();
    let (c_country, c_fr) = (col("Country"), col("FR_Citation"));
    let dates: Vec<(usize, &str)> = ["Effective_Date", "Expiration_Date", "Last_Update"]
        .iter()
        .filter_map(|n| col(n).map(|c| (c, *n)))
        .collect();
    let mut out = Loaded::default();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut rec = csv::ByteRecord::new();
    loop {
        match r.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => bail!(
                "{}:{}: malformed DPL text: {e}",
                src.name,
                lines.line_at(e.position().map(|p| p.byte()).unwrap_or(0))
            ),
        }
        let line = lines.line_at(rec.position().map(|p| p.byte()).unwrap_or(0));
        out.records += 1;
        if rec.len() != headers.len() {
            out.warnings.push(Diagnostic::at(
                &src.name,
                line,
                format!(
                    "expected {} fields, found {}: record skipped",
                    headers.len(),
                    rec.len()
                ),
            ));
            continue;
        }
        let get = |c: usize| cell(&rec, Some(c));
        let name = get(c_name);
        if name.is_empty() {
            out.warnings.push(Diagnostic::at(
                &src.name,
                line,
                "row without a name: skipped",
            ));
            continue;
        }
        warn_of_dates(&rec, &dates, src, line, &mut out);
        let i = *by_name.entry(name.clone()).or_insert_with(|| {
            out.entities.push(Entity {
                names: vec![Name::new(name.clone(), NameKind::Primary)],
                programs: vec!["DPL".to_string()],
                ..Entity::new(
                    format!("bis-dpl:{}", hash_id(name.as_bytes())),
                    LIST.to_string(),
                    Location {
                        file: src.name.clone(),
                        line,
                    },
                )
            });
            out.entities.len() - 1
        });
        add_details(&mut out.entities[i], &rec, &addr, c_country, c_fr);
    }
    for e in &mut out.entities {
        keep_first(&mut e.addresses, String::as_str);
        keep_first(&mut e.countries, String::as_str);
    }
    super::util::warn_if_unterminated(src, &lines, &mut out);
    Ok(out)
}

/// Warn of each date column of a record that holds no plausible date.
fn warn_of_dates(
    rec: &csv::ByteRecord,
    dates: &[(usize, &str)],
    src: &Source,
    line: u64,
    out: &mut Loaded,
) {
    for &(c, field) in dates {
        let v = cell(rec, Some(c));
        if !v.is_empty() && !plausible_date(&v) {
            out.warnings.push(Diagnostic::at(
                &src.name,
                line,
                format!("{field} {v:?} is not a plausible date; record kept"),
            ));
        }
    }
}

/// Add a row's address, country and Federal Register citation (the first
/// one only) to the entity of its name.
fn add_details(
    e: &mut Entity,
    rec: &csv::ByteRecord,
    addr: &[usize],
    c_country: Option<usize>,
    c_fr: Option<usize>,
) {
    let get = |c: usize| cell(rec, Some(c));
    let a: Vec<String> = addr
        .iter()
        .map(|&c| get(c))
        .filter(|p| !p.is_empty())
        .collect();
    if !a.is_empty() {
        // Repeats are dropped once every row is read.
        e.addresses.push(a.join(", "));
    }
    if let Some(c) = c_country {
        let c = get(c);
        if !c.is_empty() {
            e.countries.push(c);
        }
    }
    if let Some(c) = c_fr
        && e.remarks.is_none()
    {
        let fr = get(c);
        e.remarks = (!fr.is_empty()).then_some(fr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_of_one_name_are_one_entity_and_odd_dates_are_reported() {
        let t = "\"Name\"\t\"Street_Address\"\t\"City\"\t\"Country\"\t\"Last_Update\"\n\" I. ASH\"\t\"1 Road\"\t\"Tx\"\t\"US\"\t\"2007-01-31\"\n\"I. ASH\"\t\"2 Road\"\t\"Tx\"\t\"US\"\t\"3033-09-30\"\n\"X\"\t\"y\"\n";
        let l = load(&Source {
            name: "dpl.txt".into(),
            bytes: t.as_bytes().to_vec(),
        })
        .unwrap();
        assert_eq!(l.records, 3);
        assert_eq!(l.entities.len(), 1);
        assert_eq!(l.entities[0].names[0].text, "I. ASH");
        assert_eq!(l.entities[0].addresses.len(), 2);
        assert!(
            l.warnings
                .iter()
                .any(|w| w.location == "dpl.txt:3" && w.message.contains("3033-09-30"))
        );
        assert!(l.warnings.iter().any(|w| w.location == "dpl.txt:4"));
    }
}
