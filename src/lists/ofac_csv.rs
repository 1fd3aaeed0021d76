//! OFAC legacy CSV files: the SDN set (`sdn.csv`, `alt.csv`, `add.csv`,
//! `sdn_comments.csv`) and the Non-SDN set (`cons_prim.csv`, `cons_alt.csv`,
//! `cons_add.csv`, `cons_comments.csv`), as specified in OFAC's
//! "Consolidated Sanctions List Data Specification".
//!
//! Quirks handled: no header row; `-0- ` (with a trailing space) means empty;
//! CRLF; a trailing 0x1A byte after the last record; programs joined as
//! `A] [B`; remarks cut at 1,000 characters and continued in the comments
//! file; weak aliases written only inside remarks as `a.k.a. 'X'`.

use super::remark_facts::{remark_birth_dates, remark_nationalities};
use super::util::{decode, keep_first, push_trimmed, strip_bom};
use super::{Diagnostic, LineIndex, Loaded, OfacList, Source};
use crate::model::{Entity, EntityType, Identifier, Location, Name, NameKind};
use anyhow::{Result, bail};
use std::collections::{HashMap, HashSet};

/// Which of the four OFAC CSV files a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// `sdn.csv` / `cons_prim.csv` (12 fields).
    Primary,
    /// `alt.csv` / `cons_alt.csv` (5 fields).
    Alt,
    /// `add.csv` / `cons_add.csv` (6 fields).
    Address,
    /// `sdn_comments.csv` / `cons_comments.csv` (2 fields).
    Comments,
}

/// At most this many orphan rows are reported one by one per file; the rest
/// are counted in one summary warning.
const ORPHANS_SHOWN: usize = 20;

/// The file's bytes without the trailing 0x1A (and whitespace around it).
fn strip_eof(bytes: &[u8]) -> &[u8] {
    let mut end = bytes.len();
    while end > 0 && matches!(bytes[end - 1], b'\r' | b'\n' | b' ' | b'\t' | 0x1A) {
        if bytes[end - 1] == 0x1A {
            end -= 1;
            // Keep stripping whitespace before it, but stop at content.
            continue;
        }
        end -= 1;
    }
    &bytes[..end]
}

fn reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(strip_eof(strip_bom(bytes)))
}

/// The weak aliases of `remarks` that are not among `names` yet.
pub(crate) fn new_remark_aliases(remarks: &str, names: &[Name]) -> Vec<Name> {
    let aliases = remark_aliases(remarks);
    if aliases.is_empty() {
        return Vec::new();
    }
    let known: HashSet<&str> = names.iter().map(|n| n.text.as_str()).collect();
    aliases
        .into_iter()
        .filter(|a| !known.contains(a.as_str()))
        .map(|a| Name::new(a, NameKind::Weak))
        .collect()
}

/// A field trimmed, with OFAC's `-0-` null marker as empty.
fn field(rec: &csv::ByteRecord, i: usize) -> String {
    let s = rec.get(i).map(decode).unwrap_or_default();
    let t = s.trim();
    if t == "-0-" {
        String::new()
    } else {
        t.to_string()
    }
}

fn is_ent_num(b: &[u8]) -> bool {
    !b.is_empty() && b.len() <= 12 && b.iter().all(u8::is_ascii_digit)
}

/// The first record of a file and the raw line it was read from, when the
/// line starts with a digit (an OFAC entity number) and the record with an
/// entity number.
fn first_record(bytes: &[u8]) -> Option<(csv::ByteRecord, &[u8])> {
    let first_line = strip_bom(bytes).split(|&b| b == b'\n').next()?;
    if !first_line.first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(first_line);
    let mut rec = csv::ByteRecord::new();
    if !r.read_byte_record(&mut rec).ok()? || !is_ent_num(rec.get(0)?) {
        return None;
    }
    Some((rec, first_line))
}

/// True when the field after the entity number is quoted on the raw line,
/// as OFAC quotes every text value.
fn second_field_quoted(rec: &csv::ByteRecord, first_line: &[u8]) -> bool {
    rec.get(0)
        .is_some_and(|ent| first_line.get(ent.len() + 1) == Some(&b'"'))
}

/// True when field `i` holds text, not a number.
fn is_text(rec: &csv::ByteRecord, i: usize) -> bool {
    rec.get(i).is_some_and(|f| !is_ent_num(f))
}

/// Recognize an OFAC CSV file from its content: the first record starts with
/// an unquoted entity number and has the field count of one of the four files.
///
/// The primary file is told by its name field, quoted as OFAC writes it or
/// followed by one of OFAC's SDN types (`-0- ` for an entity, `individual`,
/// `vessel`, `aircraft`): a file re-saved by a spreadsheet or a CSV library
/// quotes a name only where it holds a comma. The comments file has no such
/// field: unquoted, it is recognized only by its name ([`is_comments_layout`]).
///
/// ```
/// use sanctions::lists::ofac_csv::{sniff_role, Role};
/// let sdn = b"36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n";
/// assert_eq!(sniff_role(sdn), Some(Role::Primary));
/// let resaved = b"36,AEROCARIBBEAN AIRLINES,-0- ,CUBA,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n";
/// assert_eq!(sniff_role(resaved), Some(Role::Primary));
/// assert_eq!(sniff_role(b"36,219,\"aka\",\"AERO-CARIBBEAN\",-0- \r\n"), Some(Role::Alt));
/// assert_eq!(sniff_role(b"name,id\nx,1\n"), None);
/// ```
pub fn sniff_role(bytes: &[u8]) -> Option<Role> {
    let (rec, first_line) = first_record(bytes)?;
    let numeric = |i: usize| rec.get(i).is_some_and(is_ent_num);
    let null_or = |i: usize| field(&rec, i);
    match rec.len() {
        12 if is_text(&rec, 1)
            && (second_field_quoted(&rec, first_line)
                || entity_type(&null_or(2)) != EntityType::Unknown) =>
        {
            Some(Role::Primary)
        }
        5 if numeric(1)
            && matches!(
                null_or(2).to_ascii_lowercase().as_str(),
                "aka" | "fka" | "nka"
            ) =>
        {
            Some(Role::Alt)
        }
        6 if numeric(1) => Some(Role::Address),
        2 if second_field_quoted(&rec, first_line) => Some(Role::Comments),
        _ => None,
    }
}

/// True when a file has the layout of OFAC's comments file, quoted or not:
/// an entity number and a text. Too little to tell the file from any other
/// two-column file, so this is asked only of a file that bears the comments
/// file's name, which a re-save keeps.
///
/// ```
/// use sanctions::lists::ofac_csv::is_comments_layout;
/// assert!(is_comments_layout(b"2674,BU'\r\n"));
/// assert!(!is_comments_layout(b"1,2\r\n"));
/// ```
pub fn is_comments_layout(bytes: &[u8]) -> bool {
    first_record(bytes).is_some_and(|(rec, _)| rec.len() == 2 && is_text(&rec, 1))
}

/// Number of records in an OFAC CSV file (the trailing 0x1A is not one).
pub fn count_records(bytes: &[u8]) -> usize {
    let mut r = reader(bytes);
    let mut rec = csv::ByteRecord::new();
    let mut n = 0;
    while let Ok(true) = r.read_byte_record(&mut rec) {
        n += 1;
    }
    n
}

/// One directory's OFAC CSV companions.
pub struct Set<'a> {
    /// `sdn.csv` or `cons_prim.csv`.
    pub primary: &'a Source,
    /// `alt.csv` or `cons_alt.csv`.
    pub alt: Option<&'a Source>,
    /// `add.csv` or `cons_add.csv`.
    pub add: Option<&'a Source>,
    /// `sdn_comments.csv` or `cons_comments.csv`.
    pub comments: Option<&'a Source>,
}

/// Split OFAC's program field (`IRAN] [SDGT] [IRGC`).
///
/// ```
/// use sanctions::lists::ofac_csv::split_programs;
/// assert_eq!(split_programs("IRAN] [SDGT] [IRGC"), ["IRAN", "SDGT", "IRGC"]);
/// assert_eq!(split_programs("[CUBA]"), ["CUBA"]);
/// assert!(split_programs("").is_empty());
/// ```
pub fn split_programs(s: &str) -> Vec<String> {
    s.split("] [")
        .map(|p| {
            p.trim()
                .trim_start_matches('[')
                .trim_end_matches(']')
                .trim()
                .to_string()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// Weak aliases written inside remarks: `a.k.a. 'X'` (also `f.k.a.`, `n.k.a.`).
///
/// ```
/// use sanctions::lists::ofac_csv::remark_aliases;
/// let r = "Linked To: X; a.k.a. 'BNC'; a.k.a. 'AL-QA'IDA'; f.k.a. 'OLD NAME'.";
/// assert_eq!(remark_aliases(r), ["BNC", "AL-QA'IDA", "OLD NAME"]);
/// ```
pub fn remark_aliases(remarks: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = remarks;
    // The first `a.k.a. '`, `f.k.a. '` or `n.k.a. '` (searched for together:
    // a search for each would scan the rest of the remarks for a marker that
    // is not there once per alias).
    let next_marker = |rest: &str| {
        rest.match_indices(".k.a. '")
            .find(|&(i, _)| i > 0 && matches!(rest.as_bytes()[i - 1], b'a' | b'f' | b'n'))
            .map(|(i, m)| (i - 1, m.len() + 1))
    };
    while let Some(p) = next_marker(rest) {
        let body = &rest[p.0 + p.1..];
        // The alias ends at a quote followed by a separator or the end.
        let mut end = None;
        for (i, c) in body.char_indices() {
            if c == '\'' {
                let next = body[i + 1..].chars().next();
                if matches!(next, None | Some(';' | ',' | ')' | '.' | ' ')) {
                    end = Some(i);
                    break;
                }
            }
        }
        let Some(end) = end else { break };
        let alias = body[..end].trim();
        if !alias.is_empty() {
            out.push(alias.to_string());
        }
        rest = &body[end + 1..];
    }
    keep_first(&mut out, String::as_str);
    out
}

/// Labels of identifiers OFAC writes in remarks, as `Label VALUE (Country)`.
const ID_LABELS: &[&str] = &[
    "Unified Social Credit Code (USCC)",
    "Vessel Registration Identification",
    "Equity Ticker",
    "ISIN",
    "Passport",
    "National ID No.",
    "Tax ID No.",
    "Registration Number",
    "Registration ID",
    "Company Number",
    "Business Registration Number",
    "Identification Number",
    "SWIFT/BIC",
    "Legal Entity Number",
    "LEI",
    "D-U-N-S Number",
    "Cedula No.",
    "RFC",
    "CURP",
    "NIT #",
    "IMO",
    "MMSI",
    "Aircraft Manufacturer's Serial Number (MSN)",
    "Aircraft Tail Number",
];

/// Identifiers written in remarks (`ISIN US1694261033; Passport A123 (Iran)`).
///
/// ```
/// use sanctions::lists::ofac_csv::remark_identifiers;
/// let ids = remark_identifiers("Equity Ticker CHA US; ISIN US1694261033; Passport K123 (Iran); DOB 1960.");
/// let got: Vec<_> = ids.iter().map(|i| (i.kind.as_str(), i.value.as_str(), i.country.as_deref())).collect();
/// assert_eq!(got, [("Equity Ticker", "CHA US", None), ("ISIN", "US1694261033", None), ("Passport", "K123", Some("Iran"))]);
/// ```
pub fn remark_identifiers(remarks: &str) -> Vec<Identifier> {
    let mut out = Vec::new();
    for fact in remarks.split(';') {
        let fact = fact.trim().trim_end_matches('.');
        let Some(label) = ID_LABELS
            .iter()
            .find(|l| fact.starts_with(*l) && fact[l.len()..].starts_with(' '))
        else {
            continue;
        };
        let rest = fact[label.len()..].trim();
        let (value, country) = match rest.find(" (") {
            Some(i) if rest.ends_with(')') => (
                rest[..i].trim(),
                Some(rest[i + 2..rest.len() - 1].trim().to_string()),
            ),
            _ => (rest, None),
        };
        if !value.is_empty() {
            out.push(Identifier {
                kind: label.to_string(),
                value: value.to_string(),
                country,
            });
        }
    }
    out
}

fn entity_type(t: &str) -> EntityType {
    match t.to_ascii_lowercase().as_str() {
        "individual" => EntityType::Person,
        "vessel" => EntityType::Vessel,
        "aircraft" => EntityType::Aircraft,
        "" | "entity" => EntityType::Organization,
        _ => EntityType::Unknown,
    }
}

/// The list name of an OFAC entry: Non-SDN entries of NS-CMIC and NS-PLC say so.
pub fn list_name(list: OfacList, programs: &[String]) -> String {
    let base = list.list_name();
    if list == OfacList::Consolidated {
        if programs.iter().any(|p| p == "CMIC-EO13959") {
            return format!("{base} (NS-CMIC)");
        }
        if programs.iter().any(|p| p == "NS-PLC") {
            return format!("{base} (NS-PLC)");
        }
    }
    base.to_string()
}

/// Read a companion file, calling `f(ent_num, record, line)` per record;
/// rows of the wrong shape are warned about.
fn each_record(
    src: &Source,
    min_fields: usize,
    warnings: &mut Vec<Diagnostic>,
    mut f: impl FnMut(&str, &csv::ByteRecord, u64),
) -> Result<()> {
    let mut r = reader(&src.bytes);
    // Offsets count from after the byte order mark, if any.
    let lines = LineIndex::new(strip_bom(&src.bytes));
    let mut rec = csv::ByteRecord::new();
    loop {
        match r.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                let line = lines.line_at(rec.position().map(|p| p.byte()).unwrap_or(0));
                let ent = field(&rec, 0);
                if rec.len() < min_fields || !is_ent_num(ent.as_bytes()) {
                    warnings.push(Diagnostic::at(
                        &src.name,
                        line,
                        format!(
                            "record skipped: expected an entity number and {min_fields} fields, found {} fields",
                            rec.len()
                        ),
                    ));
                    continue;
                }
                // OFAC's fields hold no line breaks: one that does ran
                // past a quote left open and swallowed the records after it.
                let spans = rec
                    .iter()
                    .map(|f| f.iter().filter(|&&b| b == b'\n').count())
                    .sum::<usize>();
                if spans > 0 {
                    warnings.push(Diagnostic::at(
                        &src.name,
                        line,
                        format!(
                            "record of {} fields running over {} line(s): a quote left open? the records on those lines are lost",
                            rec.len(),
                            spans + 1
                        ),
                    ));
                }
                f(&ent, &rec, line);
            }
            Err(e) => {
                let line = lines.line_at(e.position().map(|p| p.byte()).unwrap_or(0));
                bail!("{}:{line}: malformed OFAC CSV: {e}", src.name);
            }
        }
    }
    Ok(())
}

/// The fewest records on which a program column holding spaced words in
/// more than half of them is taken for a changed layout.
const SPACED_PROGRAMS_MIN_RECORDS: usize = 3;

/// The entities of a primary file, and the index of each by entity number.
struct Primary {
    entities: Vec<Entity>,
    by_num: HashMap<String, usize>,
}

/// Load a set of OFAC CSV files into entities.
pub fn load(set: &Set, list: OfacList) -> Result<Loaded> {
    let mut warnings = Vec::new();
    let src = set.primary;
    let mut primary = read_primary(src, list, &mut warnings)?;
    let records = count_records(&src.bytes);
    if !src.bytes.trim_ascii_end().ends_with(b"\x1a") {
        warnings.push(Diagnostic::at(
            &src.name,
            LineIndex::new(&src.bytes).line_at(src.bytes.len().saturating_sub(1) as u64),
            "no end-of-file marker (0x1A) after the last record: the file may be truncated",
        ));
    }
    // A file that yields nothing from what looked like OFAC CSV is broken, not empty.
    if records == 0 {
        bail!("{}:1: no records in OFAC CSV file", src.name);
    }
    // Remarks overflow first, so weak aliases in the continued text are found.
    if let Some(c) = set.comments {
        read_companion(c, src, 2, &mut primary, &mut warnings, join_comment)?;
    }
    if let Some(a) = set.alt {
        read_companion(a, src, 4, &mut primary, &mut warnings, add_alias)?;
    }
    if let Some(a) = set.add {
        read_companion(a, src, 5, &mut primary, &mut warnings, add_address)?;
    }
    for e in &mut primary.entities {
        keep_first(&mut e.countries, String::as_str);
        if let Some(r) = &e.remarks {
            let aliases = new_remark_aliases(r, &e.names);
            e.names.extend(aliases);
            e.identifiers.extend(remark_identifiers(r));
            e.dates_of_birth = remark_birth_dates(r);
            e.nationalities.extend(remark_nationalities(r));
        }
    }
    Ok(Loaded {
        entities: primary.entities,
        records,
        published: None,
        warnings,
    })
}

/// Read the primary file's records: one entity each, but for a repeated
/// entity number or a record without a name, which are warned about. Warns
/// too when the program column looks like names (a changed layout).
fn read_primary(src: &Source, list: OfacList, warnings: &mut Vec<Diagnostic>) -> Result<Primary> {
    let mut primary = Primary {
        entities: Vec::new(),
        by_num: HashMap::new(),
    };
    let mut w = Vec::new();
    // Program codes hold no spaces (but between brackets, `IRAN] [SDGT`);
    // names mostly do: a program column of spaced words is a changed layout.
    let (mut rows, mut spaced) = (0usize, 0usize);
    each_record(src, 12, warnings, |ent, rec, line| {
        rows += 1;
        if field(rec, 3).replace("] [", "").contains(' ') {
            spaced += 1;
        }
        if primary.by_num.contains_key(ent) {
            w.push(Diagnostic::at(
                &src.name,
                line,
                format!("duplicate entity number {ent}: record skipped"),
            ));
            return;
        }
        match primary_entity(src, list, ent, rec, line) {
            Some(e) => {
                primary
                    .by_num
                    .insert(ent.to_string(), primary.entities.len());
                primary.entities.push(e);
            }
            None => w.push(Diagnostic::at(
                &src.name,
                line,
                format!("entity {ent} has no name: record skipped"),
            )),
        }
    })?;
    warnings.extend(w);
    if rows >= SPACED_PROGRAMS_MIN_RECORDS && spaced * 2 > rows {
        warnings.push(Diagnostic::at(
            &src.name,
            1,
            format!(
                "the program column (4th) holds words with spaces in {spaced} of {rows} records, as names do: are the columns in OFAC's order? names and programs may be misread"
            ),
        ));
    }
    Ok(primary)
}

/// The entity of one primary record, or `None` when it has no name.
fn primary_entity(
    src: &Source,
    list: OfacList,
    ent: &str,
    rec: &csv::ByteRecord,
    line: u64,
) -> Option<Entity> {
    let name = field(rec, 1);
    if name.is_empty() {
        return None;
    }
    let programs = split_programs(&field(rec, 3));
    let mut identifiers = Vec::new();
    let call_sign = field(rec, 5);
    if !call_sign.is_empty() {
        identifiers.push(Identifier {
            kind: "Call Sign".into(),
            value: call_sign,
            country: None,
        });
    }
    let remarks = field(rec, 11);
    // A vessel's flag (the 10th field): its nationality. Kept there, not
    // among the countries, so that the entry's hash and the decisions
    // recorded on it stay as they were.
    let flag = field(rec, 9);
    let base = Entity::new(
        format!("{}:{ent}", list.id_prefix()),
        list_name(list, &programs),
        Location {
            file: src.name.clone(),
            line,
        },
    );
    Some(Entity {
        entity_type: entity_type(&field(rec, 2)),
        names: vec![Name::new(name, NameKind::Primary)],
        programs,
        identifiers,
        nationalities: (!flag.is_empty()).then_some(flag).into_iter().collect(),
        remarks: (!remarks.is_empty()).then_some(remarks),
        ofac_uid: Some(ent.to_string()),
        ..base
    })
}

/// What a companion file's record adds to its entity; problems with the
/// record go to the warnings given.
type Apply = fn(&Source, &mut Entity, &csv::ByteRecord, u64, &mut Vec<Diagnostic>);

/// Read a companion file of at least `min_fields` fields a record, and
/// `apply` each record to the primary file's entity of its entity number.
/// Records naming a number the primary file lacks are orphans: the first
/// [`ORPHANS_SHOWN`] are warned about one by one, the rest counted.
fn read_companion(
    c: &Source,
    primary_file: &Source,
    min_fields: usize,
    primary: &mut Primary,
    warnings: &mut Vec<Diagnostic>,
    apply: Apply,
) -> Result<()> {
    let mut n = 0;
    let mut w = Vec::new();
    each_record(c, min_fields, warnings, |ent, rec, line| {
        match primary.by_num.get(ent) {
            Some(&i) => apply(c, &mut primary.entities[i], rec, line, &mut w),
            None => {
                n += 1;
                if n <= ORPHANS_SHOWN {
                    w.push(Diagnostic::at(
                        &c.name,
                        line,
                        format!(
                            "entity number {ent} is not in {}: record not loaded",
                            primary_file.name
                        ),
                    ));
                }
            }
        }
    })?;
    if n > ORPHANS_SHOWN {
        w.push(Diagnostic::file(
            &c.name,
            format!(
                "{n} records name entity numbers missing from {} ({} more than listed above); none of them was loaded",
                primary_file.name,
                n - ORPHANS_SHOWN
            ),
        ));
    }
    warnings.extend(w);
    Ok(())
}

/// A comments record: the rest of the entity's remarks, cut at 1,000
/// characters in the primary file.
fn join_comment(
    _: &Source,
    e: &mut Entity,
    rec: &csv::ByteRecord,
    _: u64,
    _: &mut Vec<Diagnostic>,
) {
    let more = rec.get(1).map(decode).unwrap_or_default();
    let more = more.trim_end();
    match &mut e.remarks {
        Some(r) => r.push_str(more),
        None => e.remarks = Some(more.to_string()),
    }
}

/// An alias record: a strong alias, or a former name (`fka`).
fn add_alias(
    c: &Source,
    e: &mut Entity,
    rec: &csv::ByteRecord,
    line: u64,
    w: &mut Vec<Diagnostic>,
) {
    let name = field(rec, 3);
    if name.is_empty() {
        w.push(Diagnostic::at(
            &c.name,
            line,
            "alias with no name: record skipped",
        ));
        return;
    }
    let kind = match field(rec, 2).to_ascii_lowercase().replace('.', "").as_str() {
        "fka" => NameKind::Former,
        _ => NameKind::Strong,
    };
    e.names.push(Name::new(name, kind));
}

/// An address record: the address (its parts that are not empty) and its
/// country.
fn add_address(_: &Source, e: &mut Entity, rec: &csv::ByteRecord, _: u64, _: &mut Vec<Diagnostic>) {
    let parts: Vec<String> = [2, 3, 4]
        .into_iter()
        .map(|k| field(rec, k))
        .filter(|p| !p.is_empty())
        .collect();
    if !parts.is_empty() {
        e.addresses.push(parts.join(", "));
    }
    push_trimmed(&mut e.countries, &field(rec, 4));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(name: &str, text: &str) -> Source {
        Source {
            name: name.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    const SDN: &str = "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\
        306,\"BANCO NACIONAL DE CUBA\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"a.k.a. 'BNC'; Linked To: X\"\r\n\
        2674,\"ABBAS, Abu\",\"individual\",\"SDGT] [IRAN\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 10 Dec 1948; nationality Iran; Passport K1 (Iran); a.k.a. 'A\"\r\n\x1a";
    const ALT: &str = "36,219,\"aka\",\"AERO-CARIBBEAN\",-0- \r\n306,220,\"fka\",\"OLD BANK\",-0- \r\n999,221,\"aka\",\"ORPHAN\",-0- \r\n\x1a";
    const ADD: &str = "36,25,-0- ,\"Havana\",\"Cuba\",-0- \r\n306,26,\"Calle 1\",\"Havana\",\"Cuba\",-0- \r\n\x1a";
    const COMMENTS: &str = "2674,\"BU'\"\r\n";

    fn load_all() -> Loaded {
        let (p, a, d, c) = (
            src("sdn.csv", SDN),
            src("alt.csv", ALT),
            src("add.csv", ADD),
            src("sdn_comments.csv", COMMENTS),
        );
        load(
            &Set {
                primary: &p,
                alt: Some(&a),
                add: Some(&d),
                comments: Some(&c),
            },
            OfacList::Sdn,
        )
        .unwrap()
    }

    #[test]
    fn sniffs_each_role_and_rejects_other_csv() {
        assert_eq!(sniff_role(SDN.as_bytes()), Some(Role::Primary));
        assert_eq!(sniff_role(ALT.as_bytes()), Some(Role::Alt));
        assert_eq!(sniff_role(ADD.as_bytes()), Some(Role::Address));
        assert_eq!(sniff_role(COMMENTS.as_bytes()), Some(Role::Comments));
        for other in [
            "name,id\n",
            "1,2\n",
            "",
            "\x1a",
            "1,\"a\",b\n",
            "12,13,14,15,16\n",
        ] {
            assert_eq!(sniff_role(other.as_bytes()), None, "{other:?}");
        }
    }

    #[test]
    fn a_resaved_primary_is_told_by_its_type_field_and_comments_only_by_name() {
        let bare = |t: &str| {
            format!(
                "36,AEROCARIBBEAN AIRLINES,{t},CUBA{}\r\n",
                ",-0- ".repeat(8)
            )
        };
        for t in ["-0- ", "individual", "Vessel", "aircraft"] {
            assert_eq!(sniff_role(bare(t).as_bytes()), Some(Role::Primary), "{t}");
        }
        // A bare name before a field that is no SDN type: another table.
        assert_eq!(sniff_role(bare("Paris").as_bytes()), None);
        // Bare comments carry too little to tell them from any two columns.
        assert_eq!(sniff_role(b"2674,BU'\r\n"), None);
        assert!(is_comments_layout(b"2674,BU'\r\n"));
        assert!(is_comments_layout(COMMENTS.as_bytes()));
    }

    #[test]
    fn a_vessel_keeps_its_call_sign_and_flag() {
        let sdn = "4243,\"EBANO\",\"vessel\",\"CUBA\",-0- ,\"CL2192\",\"General Cargo\",\"2595\",\"1865\",\"Panama\",-0- ,\"Vessel Registration Identification IMO 7406784.\"\r\n";
        let p = src("sdn.csv", sdn);
        let set = Set {
            primary: &p,
            alt: None,
            add: None,
            comments: None,
        };
        let l = load(&set, OfacList::Sdn).unwrap();
        let e = &l.entities[0];
        assert_eq!(e.entity_type, EntityType::Vessel);
        assert_eq!(e.nationalities, ["Panama"]);
        assert!(e.countries.is_empty());
        assert_eq!(e.identifiers[0].kind, "Call Sign");
        assert_eq!(e.identifiers[0].value, "CL2192");
        // A vessel without a flag names no country.
        let p = src("sdn.csv", &sdn.replace("\"Panama\"", "-0- "));
        let l = load(&Set { primary: &p, ..set }, OfacList::Sdn).unwrap();
        assert!(l.entities[0].nationalities.is_empty());
    }

    #[test]
    fn loads_names_aliases_programs_addresses_and_remarks() {
        let l = load_all();
        assert_eq!(l.records, 3);
        assert_eq!(l.entities.len(), 3);
        let e = &l.entities[0];
        assert_eq!(e.id, "ofac-sdn:36");
        assert_eq!(e.entity_type, EntityType::Organization);
        assert_eq!(e.programs, ["CUBA"]);
        assert_eq!(e.names[1], Name::new("AERO-CARIBBEAN", NameKind::Strong));
        assert_eq!(e.addresses, ["Havana, Cuba"]);
        assert_eq!(e.countries, ["Cuba"]);
        assert_eq!(e.source.to_string(), "sdn.csv:1");
        let bnc = &l.entities[1];
        assert!(bnc.names.contains(&Name::new("OLD BANK", NameKind::Former)));
        assert!(bnc.names.contains(&Name::new("BNC", NameKind::Weak)));
        let abbas = &l.entities[2];
        assert_eq!(abbas.entity_type, EntityType::Person);
        assert_eq!(abbas.programs, ["SDGT", "IRAN"]);
        // Remarks re-joined with the overflow, so the weak alias is whole.
        assert!(abbas.remarks.as_deref().unwrap().ends_with("a.k.a. 'ABU'"));
        assert!(abbas.names.contains(&Name::new("ABU", NameKind::Weak)));
        assert_eq!(abbas.identifiers[0].kind, "Passport");
        assert_eq!(abbas.dates_of_birth[0].raw, "10 Dec 1948");
        assert_eq!(abbas.nationalities, ["Iran"]);
    }

    #[test]
    fn orphans_and_bad_rows_are_warned_with_file_and_line() {
        let l = load_all();
        assert!(
            l.warnings
                .iter()
                .any(|w| w.location == "alt.csv:3" && w.message.contains("999")),
            "{:?}",
            l.warnings
        );
        let p = src(
            "sdn.csv",
            "7,\"X\",-0- \r\n8,\"Y\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n8,\"Z\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n",
        );
        let l = load(
            &Set {
                primary: &p,
                alt: None,
                add: None,
                comments: None,
            },
            OfacList::Sdn,
        )
        .unwrap();
        assert_eq!(l.records, 3);
        assert_eq!(l.entities.len(), 1);
        assert!(l.warnings.iter().any(|w| w.location == "sdn.csv:1"));
        assert!(
            l.warnings
                .iter()
                .any(|w| w.location == "sdn.csv:3" && w.message.contains("duplicate"))
        );
    }

    #[test]
    fn cmic_entries_are_labelled() {
        let p = src(
            "cons_prim.csv",
            "32091,\"SENSETIME GROUP LIMITED\",-0- ,\"CMIC-EO13959\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"ISIN KYG8062F1041\"\r\n",
        );
        let l = load(
            &Set {
                primary: &p,
                alt: None,
                add: None,
                comments: None,
            },
            OfacList::Consolidated,
        )
        .unwrap();
        assert_eq!(
            &*l.entities[0].list,
            "OFAC Non-SDN Consolidated List (NS-CMIC)"
        );
        assert_eq!(l.entities[0].id, "ofac-cons:32091");
        assert_eq!(l.entities[0].identifiers[0].value, "KYG8062F1041");
    }

    #[test]
    fn malformed_and_non_utf8_input_does_not_panic() {
        for text in [
            &b"1,\"unterminated\r\n"[..],
            b"\xff\xfe,\"x\"",
            b"\x1a",
            b"12,\"caf\xe9\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n",
        ] {
            let p = Source {
                name: "sdn.csv".into(),
                bytes: text.to_vec(),
            };
            let _ = load(
                &Set {
                    primary: &p,
                    alt: None,
                    add: None,
                    comments: None,
                },
                OfacList::Sdn,
            );
        }
        let p = Source {
            name: "sdn.csv".into(),
            bytes: b"12,\"caf\xe9\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n".to_vec(),
        };
        let l = load(
            &Set {
                primary: &p,
                alt: None,
                add: None,
                comments: None,
            },
            OfacList::Sdn,
        )
        .unwrap();
        assert_eq!(l.entities[0].names[0].text, "café");
    }
}
