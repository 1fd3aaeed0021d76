//! HM Treasury / OFSI consolidated list CSV (`sanctionsconlist.csv`,
//! `ConList.csv`): a `Last Updated,DD/MM/YYYY` line, then a header, then one
//! row per name variant; rows sharing a `Group ID` are one target. The file
//! is Windows-1252.

use super::uk_fcdo::last_primary_leads;
use super::util::{cell, decode, keep_first, push_trimmed, strip_bom};
use super::{Diagnostic, LineIndex, Loaded, Source};
use crate::model::{BirthDate, Entity, EntityType, Identifier, Location, Name, NameKind};
use anyhow::{Result, bail};
use std::collections::HashMap;

/// The list name.
pub const LIST: &str = "UK HM Treasury Consolidated List (OFSI)";

/// `DD/MM/YYYY` to `YYYY-MM-DD`.
fn uk_date(s: &str) -> Option<String> {
    let p: Vec<&str> = s.trim().split('/').collect();
    match p.as_slice() {
        [d, m, y] if d.len() == 2 && m.len() == 2 && y.len() == 4 => Some(format!("{y}-{m}-{d}")),
        _ => None,
    }
}

/// Load an HMT consolidated list CSV.
pub fn load(src: &Source) -> Result<Loaded> {
    let bytes = strip_bom(&src.bytes);
    let lines = LineIndex::new(bytes);
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rec = csv::ByteRecord::new();
    let mut out = Loaded::default();
    let read = |r: &mut csv::Reader<&[u8]>, rec: &mut csv::ByteRecord| -> Result<Option<u64>> {
        match r.read_byte_record(rec) {
            Ok(true) => Ok(Some(
                lines.line_at(rec.position().map(|p| p.byte()).unwrap_or(0)),
            )),
            Ok(false) => Ok(None),
            Err(e) => bail!(
                "{}:{}: malformed CSV: {e}",
                src.name,
                lines.line_at(e.position().map(|p| p.byte()).unwrap_or(0))
            ),
        }
    };
    if read(&mut r, &mut rec)?.is_none()
        || decode(rec.get(0).unwrap_or_default()).trim() != "Last Updated"
    {
        bail!("{}:1: expected a `Last Updated,DD/MM/YYYY` line", src.name);
    }
    out.published = uk_date(&decode(rec.get(1).unwrap_or_default()));
    if read(&mut r, &mut rec)?.is_none() {
        bail!("{}:2: missing header row", src.name);
    }
    let headers: Vec<String> = rec.iter().map(|f| decode(f).trim().to_string()).collect();
    let cols = Columns::find(&headers, src)?;
    let mut groups = Groups::default();
    while let Some(line) = read(&mut r, &mut rec)? {
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
        add_row(&cols, &rec, line, src, &mut groups, &mut out);
    }
    for e in &mut out.entities {
        last_primary_leads(&mut e.names);
        keep_first(&mut e.programs, String::as_str);
        keep_first(&mut e.countries, String::as_str);
        keep_first(&mut e.addresses, String::as_str);
        keep_first(&mut e.identifiers, |x| &x.value);
        // A group without a prime alias: its first name leads.
        if e.names.first().is_some_and(|n| n.kind != NameKind::Primary) {
            e.names[0].kind = NameKind::Primary;
        }
    }
    super::util::warn_if_unterminated(src, &super::LineIndex::new(&src.bytes), &mut out);
    Ok(out)
}

/// The given-name columns the header may have, `Name 1` to `Name 5`
/// (`Name 6` is the surname).
const GIVEN_NAME_COLUMNS: usize = 5;

/// The address-line columns the header may have, `Address 1` to `Address 6`.
const ADDRESS_COLUMNS: usize = 6;

/// Where each column the loader reads is in the header.
struct Columns {
    group: usize,
    surname: usize,
    given: Vec<usize>,
    kind: Option<usize>,
    alias: Option<usize>,
    regime: Option<usize>,
    country: Option<usize>,
    nationality: Option<usize>,
    dob: Option<usize>,
    passport: Option<usize>,
    other: Option<usize>,
    address: Vec<usize>,
}

impl Columns {
    /// The columns of a header row; `Group ID` and `Name 6` are required.
    fn find(headers: &[String], src: &Source) -> Result<Columns> {
        let col = |n: &str| headers.iter().position(|h| h == n);
        let (Some(group), Some(surname)) = (col("Group ID"), col("Name 6")) else {
            bail!("{}:2: header lacks `Group ID` or `Name 6`", src.name);
        };
        let given: Vec<usize> = (1..=GIVEN_NAME_COLUMNS)
            .filter_map(|i| col(&format!("Name {i}")))
            .collect();
        let address: Vec<usize> = (1..=ADDRESS_COLUMNS)
            .filter_map(|i| col(&format!("Address {i}")))
            .chain(col("Post/Zip Code"))
            .collect();
        Ok(Columns {
            group,
            surname,
            given,
            kind: col("Group Type"),
            alias: col("Alias Type"),
            regime: col("Regime"),
            country: col("Country"),
            nationality: col("Nationality"),
            dob: col("DOB"),
            passport: col("Passport Details"),
            other: col("Other Information"),
            address,
        })
    }
}

/// The entity of each Group ID so far, and the names each has taken.
#[derive(Default)]
struct Groups {
    by_group: HashMap<String, usize>,
    /// (entity, name) for the names taken so far.
    seen_names: std::collections::HashSet<(usize, String)>,
}

/// A row's date of birth (`dd/mm/yyyy`, `00` for an unknown part) and
/// nationality, each kept once per entity: every name row of a group
/// repeats them.
fn add_person_facts(e: &mut Entity, dob: &str, nationality: &str) {
    if let Some(d) = BirthDate::parse(dob)
        && !e.dates_of_birth.contains(&d)
    {
        e.dates_of_birth.push(d);
    }
    push_trimmed(&mut e.nationalities, nationality);
    keep_first(&mut e.nationalities, String::as_str);
}

/// Add one name row to its group's entity (made on the group's first row).
fn add_row(
    cols: &Columns,
    rec: &csv::ByteRecord,
    line: u64,
    src: &Source,
    groups: &mut Groups,
    out: &mut Loaded,
) {
    let get = |c: Option<usize>| cell(rec, c);
    let group = get(Some(cols.group));
    let surname = get(Some(cols.surname));
    if group.is_empty() || surname.is_empty() {
        out.warnings.push(Diagnostic::at(
            &src.name,
            line,
            "row without a Group ID or Name 6: skipped",
        ));
        return;
    }
    let person = get(cols.kind).eq_ignore_ascii_case("Individual");
    let given_names: Vec<String> = cols
        .given
        .iter()
        .map(|&c| get(Some(c)))
        .filter(|g| !g.is_empty())
        .collect();
    let name = if given_names.is_empty() {
        surname
    } else {
        format!("{surname}, {}", given_names.join(" "))
    };
    let kind = match get(cols.alias).to_ascii_lowercase().as_str() {
        "prime alias" => NameKind::Primary,
        "fka" => NameKind::Former,
        _ => NameKind::Strong,
    };
    let i = *groups.by_group.entry(group.clone()).or_insert_with(|| {
        out.entities.push(Entity {
            entity_type: if person {
                EntityType::Person
            } else {
                EntityType::Organization
            },
            ..Entity::new(
                format!("uk-hmt:{group}"),
                LIST.to_string(),
                Location {
                    file: src.name.clone(),
                    line,
                },
            )
        });
        out.entities.len() - 1
    });
    let e = &mut out.entities[i];
    if groups.seen_names.insert((i, name.clone())) {
        if kind == NameKind::Primary {
            e.source.line = line;
        }
        // The prime alias leads, an earlier one becoming an alias: see
        // `last_primary_leads` below.
        e.names.push(Name::new(name, kind));
    }
    push_trimmed(&mut e.programs, &get(cols.regime));
    push_trimmed(&mut e.countries, &get(cols.country));
    push_trimmed(&mut e.countries, &get(cols.nationality));
    add_person_facts(e, &get(cols.dob), &get(cols.nationality));
    let address: Vec<String> = cols
        .address
        .iter()
        .map(|&c| get(Some(c)))
        .filter(|p| !p.is_empty())
        .collect();
    if !address.is_empty() {
        push_trimmed(&mut e.addresses, &address.join(", "));
    }
    let passport = get(cols.passport);
    if !passport.is_empty() {
        e.identifiers.push(Identifier {
            kind: "Passport".into(),
            value: passport,
            country: None,
        });
    }
    let other = get(cols.other);
    if e.remarks.is_none() && !other.is_empty() {
        e.remarks = Some(other);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_name_variants_and_decodes_windows_1252() {
        let mut bytes = b"Last Updated,02/04/2014\r\n\"Name 6\",\"Name 1\",\"Name 2\",\"Group Type\",\"Alias Type\",\"Regime\",\"Country\",\"Group ID\",DOB,Nationality\r\n".to_vec();
        bytes.extend_from_slice(b"SOLEIMANI,Qasem,,Individual,AKA,Iran,,7,11/03/1957,Iranian\r\nSULEMANI,Qasem,,Individual,Prime Alias,Iran,Iran,7,11/03/1957,Iranian\r\nSULEMANI,Q,,Individual,AKA,Iran,Iran,7,00/00/1958,\r\nCAF\xc9 CO,,,Entity,Prime Alias,Iran,,8,,\r\nSHORT,row\r\n");
        let l = load(&Source {
            name: "hmt.csv".into(),
            bytes,
        })
        .unwrap();
        assert_eq!(l.published.as_deref(), Some("2014-04-02"));
        assert_eq!(l.records, 5);
        assert_eq!(l.entities.len(), 2);
        let p = &l.entities[0];
        assert_eq!(p.id, "uk-hmt:7");
        assert_eq!(p.names[0], Name::new("SULEMANI, Qasem", NameKind::Primary));
        assert_eq!(p.names[1], Name::new("SOLEIMANI, Qasem", NameKind::Strong));
        assert_eq!(p.source.line, 4);
        let dobs: Vec<_> = p.dates_of_birth.iter().map(|d| d.raw.as_str()).collect();
        assert_eq!(dobs, ["11/03/1957", "00/00/1958"]);
        assert_eq!(p.nationalities, ["Iranian"]);
        assert_eq!(l.entities[1].names[0].text, "CAFÉ CO");
        assert_eq!(l.warnings[0].location, "hmt.csv:7");
    }

    #[test]
    fn missing_preamble_is_an_error() {
        let e = load(&Source {
            name: "x.csv".into(),
            bytes: b"Name 6,Group ID\n".to_vec(),
        })
        .unwrap_err();
        assert!(e.to_string().contains("x.csv:1: expected a `Last Updated"));
    }
}
