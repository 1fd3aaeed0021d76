//! The trade.gov Consolidated Screening List (CSL): the machine-readable
//! carrier of the Commerce Entity List, the Military End-User, Unverified and
//! Denied Persons lists, NS-CMIC and the other Treasury and State lists.
//!
//! Two published forms are read: the CSV download (header row; the current
//! layout starts with `_id`, the 2019 layout has no `_id`; multi-valued fields
//! joined by `; `) and the JSON download (`{"results": [...]}` with arrays).
//! The list an entry is on is named by its `source`.

use super::util::{cell, decode, hash_id, keep_first, push_trimmed, strip_bom};
use super::{Diagnostic, LineIndex, Loaded, Source};
use crate::model::{BirthDate, Entity, EntityType, Identifier, Location, Name, NameKind};
use anyhow::{Result, bail};
use serde_json::Value;
use std::collections::HashSet;

/// Prefix of every CSL entity's `list`.
pub const LIST_PREFIX: &str = "trade.gov CSL: ";

/// Does this JSON value look like a CSL JSON document?
///
/// ```
/// use sanctions::lists::csl::looks_like_csl_json;
/// let v = serde_json::json!({"results": [{"source": "Entity List (EL) - Bureau of Industry and Security", "name": "X"}]});
/// assert!(looks_like_csl_json(&v));
/// assert!(!looks_like_csl_json(&serde_json::json!({"results": []})));
/// ```
pub fn looks_like_csl_json(v: &Value) -> bool {
    let results = match v {
        Value::Object(o) => o.get("results").and_then(Value::as_array),
        Value::Array(a) => Some(a),
        _ => None,
    };
    results
        .and_then(|r| r.first())
        .and_then(Value::as_object)
        .is_some_and(|o| o.contains_key("source") && o.contains_key("name"))
}

/// The fields of one CSL record, whichever form it came in.
#[derive(Debug, Default)]
struct Record {
    id: String,
    source: String,
    entity_number: String,
    kind: String,
    programs: Vec<String>,
    name: String,
    alt_names: Vec<String>,
    addresses: Vec<String>,
    citizenships: Vec<String>,
    nationalities: Vec<String>,
    dates_of_birth: Vec<BirthDate>,
    ids: Vec<Identifier>,
    remarks: String,
}

fn split_multi(s: &str) -> Vec<String> {
    s.split("; ")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// Parse one `ids` item: `Type, Number, ISO2` (current) or `Number, Type` (2019).
///
/// ```
/// use sanctions::lists::csl::parse_id;
/// let i = parse_id("Unified Social Credit Code (USCC), 9111000071093019X7, CN").unwrap();
/// assert_eq!((i.kind.as_str(), i.value.as_str(), i.country.as_deref()), ("Unified Social Credit Code (USCC)", "9111000071093019X7", Some("CN")));
/// let i = parse_id("ISIN, US1694261033").unwrap();
/// assert_eq!((i.kind.as_str(), i.value.as_str()), ("ISIN", "US1694261033"));
/// let i = parse_id("7744001497, Tax ID No.").unwrap();
/// assert_eq!((i.kind.as_str(), i.value.as_str()), ("Tax ID No.", "7744001497"));
/// ```
pub fn parse_id(item: &str) -> Option<Identifier> {
    let parts: Vec<&str> = item.split(", ").map(str::trim).collect();
    let looks_like_number = |s: &str| s.chars().filter(char::is_ascii_digit).count() * 2 >= s.len();
    match parts.as_slice() {
        [] | [""] => None,
        [value] => Some(Identifier {
            kind: String::new(),
            value: value.to_string(),
            country: None,
        }),
        // 2019: `Number, Type`.
        [a, b] if looks_like_number(a) && !looks_like_number(b) => Some(Identifier {
            kind: b.to_string(),
            value: a.to_string(),
            country: None,
        }),
        [kind, rest @ ..] => {
            let (value, country) = match rest {
                [v, c] if c.len() == 2 && c.chars().all(|x| x.is_ascii_uppercase()) => {
                    (v.to_string(), Some(c.to_string()))
                }
                _ => (rest.join(", "), None),
            };
            Some(Identifier {
                kind: kind.to_string(),
                value,
                country,
            })
        }
    }
}

fn entity_type(kind: &str) -> EntityType {
    match kind.to_ascii_lowercase().as_str() {
        "individual" => EntityType::Person,
        "entity" => EntityType::Organization,
        "vessel" => EntityType::Vessel,
        "aircraft" => EntityType::Aircraft,
        _ => EntityType::Unknown,
    }
}

/// The name with its parenthesized parts left out, when it has some and
/// keeps a letter or digit without them.
///
/// ```text
/// National Supercomputing Center Changsha (NSCC-CS)  ->  National Supercomputing Center Changsha
/// ```
fn without_parenthesized(name: &str) -> Option<String> {
    let mut out = String::with_capacity(name.len());
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    let bare = out.split_whitespace().collect::<Vec<_>>().join(" ");
    let bare = bare.trim_matches(|c: char| c == ',' || c.is_whitespace());
    (bare.len() < name.trim().len() && bare.chars().any(char::is_alphanumeric))
        .then(|| bare.to_string())
}

fn to_entity(r: Record, file: &std::sync::Arc<str>, line: u64) -> Entity {
    let mut countries = Vec::new();
    for a in &r.addresses {
        if let Some(last) = a.rsplit(", ").next()
            && last.len() == 2
            && last.chars().all(|c| c.is_ascii_uppercase())
        {
            push_trimmed(&mut countries, last);
        }
    }
    for c in r.citizenships.iter().chain(&r.nationalities) {
        push_trimmed(&mut countries, c);
    }
    keep_first(&mut countries, String::as_str);
    let mut nationalities: Vec<String> =
        r.citizenships.into_iter().chain(r.nationalities).collect();
    keep_first(&mut nationalities, String::as_str);
    let treasury = r.source.trim_end().ends_with("Treasury Department");
    let ofac_uid = if !treasury {
        None
    } else if !r.entity_number.is_empty() {
        Some(r.entity_number.clone())
    } else if !r.id.is_empty() && r.id.chars().all(|c| c.is_ascii_digit()) {
        Some(r.id.clone())
    } else {
        None
    };
    let mut names = vec![Name::new(r.name.trim(), NameKind::Primary)];
    // The CSL writes an acronym or a note into a name (`National
    // Supercomputing Center Changsha (NSCC-CS)`): the name without it is
    // the name too.
    if let Some(bare) = without_parenthesized(&r.name) {
        names.push(Name::new(bare, NameKind::Strong));
    }
    for a in &r.alt_names {
        names.push(Name::new(a.as_str(), NameKind::Strong));
    }
    keep_first(&mut names, |n| &n.text);
    Entity {
        entity_type: entity_type(&r.kind),
        names,
        programs: r.programs,
        addresses: r.addresses,
        countries,
        identifiers: r.ids,
        dates_of_birth: r.dates_of_birth,
        nationalities,
        remarks: (!r.remarks.is_empty()).then_some(r.remarks),
        ofac_uid,
        ..Entity::new(
            format!("csl:{}", r.id),
            format!("{LIST_PREFIX}{}", r.source.trim()),
            Location {
                file: file.clone(),
                line,
            },
        )
    }
}

/// Give a record without `_id` a stable id: its entity number, else a hash.
fn fill_id(r: &mut Record) {
    if r.id.is_empty() {
        r.id = if !r.entity_number.is_empty() {
            r.entity_number.clone()
        } else {
            hash_id(format!("{}|{}|{}", r.source, r.name, r.addresses.join("; ")).as_bytes())
        };
    }
}

/// Check one record and add it, or warn.
fn accept(
    r: Record,
    src: &Source,
    line: u64,
    seen: &mut HashSet<(String, String)>,
    out: &mut Loaded,
) {
    if r.name.trim().is_empty() {
        out.warnings.push(Diagnostic::at(
            &src.name,
            line,
            "record has no name: skipped",
        ));
        return;
    }
    // The same party on two source lists shares its id (an OFAC entry on
    // both SSI and NS-MBS): both records are kept, and grouped later.
    if !seen.insert((r.id.clone(), r.source.clone())) {
        out.warnings.push(Diagnostic::at(
            &src.name,
            line,
            format!("duplicate id {} on {}: record skipped", r.id, r.source),
        ));
        return;
    }
    out.entities.push(to_entity(r, &src.name, line));
}

/// Load a CSL CSV file.
pub fn load_csv(src: &Source) -> Result<Loaded> {
    let bytes = strip_bom(&src.bytes);
    let lines = LineIndex::new(bytes);
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes);
    let headers: Vec<String> = match r.byte_headers() {
        Ok(h) => h.iter().map(|f| decode(f).trim().to_string()).collect(),
        Err(e) => bail!("{}:1: cannot read the CSL header: {e}", src.name),
    };
    let cols = Columns::find(&headers, src)?;

    let mut out = Loaded::default();
    let mut seen = HashSet::new();
    let mut rec = csv::ByteRecord::new();
    let mut last_complete = false;
    loop {
        let line_guess = r.position().byte();
        match r.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = lines.line_at(e.position().map(|p| p.byte()).unwrap_or(line_guess));
                bail!("{}:{line}: malformed CSL CSV: {e}", src.name);
            }
        }
        let line = lines.line_at(rec.position().map(|p| p.byte()).unwrap_or(line_guess));
        let cells: Vec<String> = rec.iter().map(|f| decode(f).trim().to_string()).collect();
        if cells == headers {
            out.warnings.push(Diagnostic::at(
                &src.name,
                line,
                "repeated header row skipped",
            ));
            continue;
        }
        out.records += 1;
        if rec.len() < headers.len() {
            last_complete = false;
            out.warnings.push(Diagnostic::at(
                &src.name,
                line,
                format!(
                    "truncated record ({} of {} fields): skipped",
                    rec.len(),
                    headers.len()
                ),
            ));
            continue;
        }
        if rec.len() > headers.len() {
            out.warnings.push(Diagnostic::at(
                &src.name,
                line,
                format!(
                    "record of {} fields, more than the header's {}: a quote left open? the records it ran over are lost",
                    rec.len(),
                    headers.len()
                ),
            ));
        }
        if std::str::from_utf8(rec.as_slice()).is_err() {
            out.warnings.push(Diagnostic::at(
                &src.name,
                line,
                "not valid UTF-8: decoded as Windows-1252",
            ));
        }
        let mut r = cols.record(&rec);
        fill_id(&mut r);
        accept(r, src, line, &mut seen, &mut out);
        last_complete = true;
    }
    // A cut at a record boundary or inside the last field keeps the field count.
    if last_complete {
        super::util::warn_if_unterminated(src, &lines, &mut out);
    }
    Ok(out)
}

/// Where each column the loader reads is in a CSL CSV header.
struct Columns {
    id: Option<usize>,
    source: usize,
    name: usize,
    entity_number: Option<usize>,
    kind: Option<usize>,
    programs: Option<usize>,
    alt_names: Option<usize>,
    addresses: Option<usize>,
    citizenships: Option<usize>,
    nationalities: Option<usize>,
    dates_of_birth: Option<usize>,
    ids: Option<usize>,
    remarks: Option<usize>,
}

impl Columns {
    /// The columns of a header row; `source` and `name` are required.
    fn find(headers: &[String], src: &Source) -> Result<Columns> {
        let col = |name: &str| headers.iter().position(|h| h == name);
        let (Some(source), Some(name)) = (col("source"), col("name")) else {
            let missing = if col("source").is_none() {
                "source"
            } else {
                "name"
            };
            bail!(
                "{}:1: missing column `{missing}` in the CSL header",
                src.name
            );
        };
        Ok(Columns {
            id: col("_id").or_else(|| col("id")),
            source,
            name,
            entity_number: col("entity_number"),
            kind: col("type"),
            programs: col("programs"),
            alt_names: col("alt_names"),
            addresses: col("addresses"),
            citizenships: col("citizenships"),
            nationalities: col("nationalities"),
            dates_of_birth: col("dates_of_birth"),
            ids: col("ids"),
            remarks: col("remarks"),
        })
    }

    /// The fields of one CSV record.
    fn record(&self, rec: &csv::ByteRecord) -> Record {
        let get = |c: Option<usize>| cell(rec, c);
        Record {
            id: get(self.id),
            source: get(Some(self.source)),
            entity_number: get(self.entity_number),
            kind: get(self.kind),
            programs: split_multi(&get(self.programs)),
            name: get(Some(self.name)),
            alt_names: split_multi(&get(self.alt_names)),
            addresses: split_multi(&get(self.addresses)),
            citizenships: split_multi(&get(self.citizenships)),
            nationalities: split_multi(&get(self.nationalities)),
            dates_of_birth: BirthDate::parse_list(&get(self.dates_of_birth)),
            ids: split_multi(&get(self.ids))
                .iter()
                .filter_map(|i| parse_id(i))
                .collect(),
            remarks: get(self.remarks),
        }
    }
}

fn json_str(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn json_list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| json_str(Some(x)))
            .filter(|s| !s.is_empty())
            .collect(),
        Some(Value::String(s)) => split_multi(s),
        _ => Vec::new(),
    }
}

/// Load a CSL JSON file (`{"results": [...]}` or a bare array).
pub fn load_json(src: &Source) -> Result<Loaded> {
    let bytes = strip_bom(&src.bytes);
    let doc: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => bail!(
            "{}:{}: malformed CSL JSON (column {}): {e}",
            src.name,
            e.line(),
            e.column()
        ),
    };
    let (results, published) = match &doc {
        Value::Object(o) => (
            o.get("results").and_then(Value::as_array),
            ["publication_date", "published", "date"]
                .iter()
                .find_map(|k| o.get(*k).and_then(Value::as_str))
                .map(|s| s.chars().take(10).collect::<String>()),
        ),
        Value::Array(a) => (Some(a), None),
        _ => (None, None),
    };
    let Some(results) = results else {
        bail!(
            "{}:1: no `results` array in the CSL JSON document",
            src.name
        );
    };
    // Lines of each record: the n-th `"source"` key is in the n-th record
    // when records are written one after another (as the download is).
    let starts = record_lines(bytes);
    let mut out = Loaded {
        published,
        ..Loaded::default()
    };
    let mut seen = HashSet::new();
    for (i, item) in results.iter().enumerate() {
        out.records += 1;
        let line = starts.get(i).copied().unwrap_or(1);
        let Some(o) = item.as_object() else {
            out.warnings.push(Diagnostic::at(
                &src.name,
                line,
                format!("result {} is not an object: skipped", i + 1),
            ));
            continue;
        };
        let addresses = match o.get("addresses") {
            Some(Value::Array(a)) => a
                .iter()
                .map(|x| match x {
                    Value::Object(ad) => ["address", "city", "state", "postal_code", "country"]
                        .iter()
                        .map(|k| json_str(ad.get(*k)))
                        .filter(|p| !p.is_empty())
                        .collect::<Vec<_>>()
                        .join(", "),
                    other => json_str(Some(other)),
                })
                .filter(|s| !s.is_empty())
                .collect(),
            other => json_list(other),
        };
        let ids = match o.get("ids") {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|x| match x {
                    Value::Object(id) => {
                        let value = json_str(id.get("number"));
                        (!value.is_empty()).then(|| Identifier {
                            kind: json_str(id.get("type")),
                            value,
                            country: Some(json_str(id.get("country"))).filter(|c| !c.is_empty()),
                        })
                    }
                    other => parse_id(&json_str(Some(other))),
                })
                .collect(),
            other => json_list(other)
                .iter()
                .filter_map(|i| parse_id(i))
                .collect(),
        };
        let mut r = Record {
            id: json_str(o.get("id").or_else(|| o.get("_id"))),
            source: json_str(o.get("source")),
            entity_number: json_str(o.get("entity_number")),
            kind: json_str(o.get("type")),
            programs: json_list(o.get("programs")),
            name: json_str(o.get("name")),
            alt_names: json_list(o.get("alt_names")),
            addresses,
            citizenships: json_list(o.get("citizenships")),
            nationalities: json_list(o.get("nationalities")),
            dates_of_birth: json_list(o.get("dates_of_birth"))
                .iter()
                .flat_map(|d| BirthDate::parse_list(d))
                .collect(),
            ids,
            remarks: json_str(o.get("remarks")),
        };
        fill_id(&mut r);
        accept(r, src, line, &mut seen, &mut out);
    }
    Ok(out)
}

/// 1-based lines of the objects holding each `"source"` key, in order.
fn record_lines(bytes: &[u8]) -> Vec<u64> {
    let lines = LineIndex::new(bytes);
    let needle = b"\"source\"";
    let mut out = Vec::new();
    let mut i = 0;
    // The last `{` seen (searching back from each key would be quadratic).
    let mut brace = None;
    while i + needle.len() <= bytes.len() {
        if &bytes[i..i + needle.len()] == needle {
            // The record starts at the nearest `{` before the key.
            let start = brace.unwrap_or(i);
            out.push(lines.line_at(start as u64));
            i += needle.len();
        } else {
            if bytes[i] == b'{' {
                brace = Some(i);
            }
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_also_read_without_its_parenthesized_parts() {
        assert_eq!(
            without_parenthesized("National Supercomputing Center Changsha (NSCC-CS)").as_deref(),
            Some("National Supercomputing Center Changsha")
        );
        assert_eq!(
            without_parenthesized("AVIC Chengdu Aircraft Industrial (GROUP) Co. Ltd.").as_deref(),
            Some("AVIC Chengdu Aircraft Industrial Co. Ltd.")
        );
        assert_eq!(without_parenthesized("HUAWEI TECHNOLOGIES CO., LTD."), None);
        assert_eq!(without_parenthesized("(ABC)"), None);
    }

    fn src(name: &str, text: &str) -> Source {
        Source {
            name: name.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    const HEADER: &str = "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date,end_date,standard_order,license_requirement,license_policy,call_sign,vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,source_information_url,ids";

    fn row(
        id: &str,
        source: &str,
        num: &str,
        kind: &str,
        name: &str,
        alts: &str,
        ids: &str,
    ) -> String {
        format!(
            "{id},{source},{num},{kind},CMIC-EO13959,\"{name}\",,\"31 Jinrong Street, Beijing, CN\",,,,,,,,,,,,,,,\"{alts}\",,,,,,\"{ids}\""
        )
    }

    #[test]
    fn current_layout_with_repeated_header_and_truncated_record() {
        let text = format!(
            "{HEADER}\n{HEADER}\n{}\n{}\n30883,\"Non-SDN",
            row(
                "30882",
                "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department",
                "30882",
                "Entity",
                "China Telecom Corporation Limited",
                "CHINA TELECOM; CHINA TELECOM CORP LTD",
                "ISIN, US1694261033; Unified Social Credit Code (USCC), 9111000071093019X7, CN"
            ),
            row(
                "abc",
                "Entity List (EL) - Bureau of Industry and Security",
                "",
                "",
                "Huawei",
                "",
                ""
            )
        );
        let l = load_csv(&src("csl.csv", &text)).unwrap();
        assert_eq!(l.entities.len(), 2);
        assert_eq!(l.records, 3);
        let e = &l.entities[0];
        assert_eq!(e.id, "csl:30882");
        assert_eq!(e.ofac_uid.as_deref(), Some("30882"));
        assert_eq!(e.entity_type, EntityType::Organization);
        assert_eq!(e.names.len(), 3);
        assert_eq!(e.countries, ["CN"]);
        assert_eq!(e.identifiers.len(), 2);
        assert_eq!(e.source.line, 3);
        assert!(e.list.starts_with(LIST_PREFIX));
        let el = &l.entities[1];
        assert_eq!(el.ofac_uid, None);
        assert_eq!(el.entity_type, EntityType::Unknown);
        assert!(
            l.warnings
                .iter()
                .any(|w| w.location == "csl.csv:2" && w.message.contains("repeated header"))
        );
        assert!(
            l.warnings
                .iter()
                .any(|w| w.location == "csl.csv:5"
                    && w.message.contains("truncated record (2 of 29"))
        );
    }

    #[test]
    fn old_layout_without_id_gets_stable_ids() {
        let text = "source,entity_number,type,programs,name,alt_names,ids\n\
            Entity List (EL) - Bureau of Industry and Security,,,,Abdul Satar Ghoura,,\n\
            Specially Designated Nationals (SDN) - Treasury Department,306,Entity,CUBA,BANCO NACIONAL DE CUBA,BNC,\"7744001497, Tax ID No.\"\n";
        let a = load_csv(&src("csl.csv", text)).unwrap();
        let b = load_csv(&src("csl.csv", text)).unwrap();
        assert_eq!(a.entities[0].id, b.entities[0].id);
        assert_eq!(a.entities[0].id.len(), "csl:".len() + 16);
        assert_eq!(a.entities[1].id, "csl:306");
        assert_eq!(a.entities[1].ofac_uid.as_deref(), Some("306"));
        assert_eq!(a.entities[1].identifiers[0].kind, "Tax ID No.");
    }

    #[test]
    fn missing_column_is_an_error_naming_the_file() {
        let e = load_csv(&src("x.csv", "source,title\na,b\n"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("x.csv:1: missing column `name`"), "{e}");
    }

    #[test]
    fn json_form_matches_csv_form() {
        let json = r#"{"total": 1, "results": [
{"id": "30882", "source": "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department",
 "entity_number": "30882", "type": "Entity", "programs": ["CMIC-EO13959"], "name": "China Telecom Corporation Limited",
 "addresses": [{"address": "31 Jinrong Street", "city": "Beijing", "state": null, "postal_code": null, "country": "CN"}],
 "alt_names": ["CHINA TELECOM", "CHINA TELECOM CORP LTD"],
 "ids": [{"type": "ISIN", "number": "US1694261033", "country": null}]}
]}"#;
        let l = load_json(&src("c.json", json)).unwrap();
        let e = &l.entities[0];
        assert_eq!(e.id, "csl:30882");
        assert_eq!(e.addresses, ["31 Jinrong Street, Beijing, CN"]);
        assert_eq!(e.countries, ["CN"]);
        assert_eq!(e.names.len(), 3);
        assert_eq!(e.identifiers[0].value, "US1694261033");
        assert_eq!(e.source.line, 2);
        let err = load_json(&src("c.json", "{\"results\": [\n{\"name\": }"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("c.json:2:"), "{err}");
    }

    #[test]
    fn dates_of_birth_and_nationalities_are_kept_in_both_forms() {
        let csv = "source,name,type,citizenships,dates_of_birth,nationalities\n\
            Specially Designated Nationals (SDN) - Treasury Department,\"ABBAS, Abu\",Individual,IR,\"1960-01-01; 1961; circa 1958; n/a\",\"IR; IQ\"\n";
        let json = r#"[{"source": "Specially Designated Nationals (SDN) - Treasury Department", "name": "ABBAS, Abu",
 "type": "Individual", "citizenships": ["IR"], "nationalities": ["IR", "IQ"],
 "dates_of_birth": "1960-01-01; 1961; circa 1958; n/a"}]"#;
        for l in [
            load_csv(&src("c.csv", csv)).unwrap(),
            load_json(&src("c.json", json)).unwrap(),
        ] {
            let e = &l.entities[0];
            let dobs: Vec<_> = e.dates_of_birth.iter().map(|d| d.raw.as_str()).collect();
            assert_eq!(dobs, ["1960-01-01", "1961", "circa 1958"]);
            assert_eq!(e.nationalities, ["IR", "IQ"]);
        }
    }

    #[test]
    fn garbage_does_not_panic() {
        for t in [
            "",
            "\u{0}\u{1}",
            "source,name\n\"",
            "{",
            "[1,2]",
            "{\"results\": 5}",
        ] {
            let _ = load_csv(&src("g", t));
            let _ = load_json(&src("g", t));
        }
    }
}
