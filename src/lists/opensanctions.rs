//! OpenSanctions exports: `targets.simple.csv` (one row per entity; `;`
//! joins multiple values; cells may hold newlines) and FollowTheMoney entity
//! JSON lines (`entities.ftm.json`). Also OpenSanctions' transcription of the
//! US DoD Section 1260H list (DoD publishes only a PDF).

use super::canada_sema::split_aliases;
use super::util::{decode, hash_id, keep_first, strip_bom};
use super::{Diagnostic, LineIndex, Loaded, Source};
use crate::model::{BirthDate, Entity, EntityType, Identifier, Location, Name, NameKind};
use anyhow::{Result, bail};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// The entity type of a FollowTheMoney schema, or `None` for schemata that
/// are not parties (Family, Occupancy, Position, Sanction, Address...).
pub fn schema_type(schema: &str) -> Option<EntityType> {
    Some(match schema {
        "Person" => EntityType::Person,
        "Company" | "Organization" | "LegalEntity" | "PublicBody" => EntityType::Organization,
        "Vessel" => EntityType::Vessel,
        "Airplane" => EntityType::Aircraft,
        "Thing" | "Asset" => EntityType::Unknown,
        _ => return None,
    })
}

fn split_semi(s: &str) -> Vec<String> {
    s.split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// A header and its rows, each with the line it starts on.
type Table = (Vec<String>, Vec<(u64, Vec<String>)>);

fn read_csv(src: &Source, lines: &LineIndex) -> Result<Table> {
    let bytes = strip_bom(&src.bytes);
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers: Vec<String> = match r.byte_headers() {
        Ok(h) => h.iter().map(|f| decode(f).trim().to_string()).collect(),
        Err(e) => bail!("{}:1: cannot read the header: {e}", src.name),
    };
    let mut rows = Vec::new();
    let mut rec = csv::ByteRecord::new();
    let offset = (src.bytes.len() - bytes.len()) as u64;
    loop {
        match r.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => rows.push((
                lines.line_at(rec.position().map(|p| p.byte()).unwrap_or(0) + offset),
                rec.iter().map(|f| decode(f).trim().to_string()).collect(),
            )),
            Err(e) => bail!(
                "{}:{}: malformed CSV: {e}",
                src.name,
                lines.line_at(e.position().map(|p| p.byte()).unwrap_or(0) + offset)
            ),
        }
    }
    Ok((headers, rows))
}

/// Load `targets.simple.csv`.
pub fn load_simple_csv(src: &Source) -> Result<Loaded> {
    let lines = LineIndex::new(&src.bytes);
    let (headers, rows) = read_csv(src, &lines)?;
    let col = |n: &str| headers.iter().position(|h| h == n);
    let (Some(c_id), Some(c_schema), Some(c_name)) = (col("id"), col("schema"), col("name")) else {
        bail!("{}:1: header lacks `id`, `schema` or `name`", src.name);
    };
    let [
        c_aliases,
        c_birth,
        c_countries,
        c_ids,
        c_programs,
        c_dataset,
    ] = [
        "aliases",
        "birth_date",
        "countries",
        "identifiers",
        "program_ids",
        "dataset",
    ]
    .map(col);
    let mut out = Loaded::default();
    for (line, row) in rows {
        out.records += 1;
        if row.len() != headers.len() {
            out.warnings.push(Diagnostic::at(
                &src.name,
                line,
                format!(
                    "expected {} fields, found {}: record skipped",
                    headers.len(),
                    row.len()
                ),
            ));
            continue;
        }
        let get = |c: Option<usize>| c.map(|c| row[c].clone()).unwrap_or_default();
        let (id, schema, name) = (&row[c_id], &row[c_schema], &row[c_name]);
        if id.is_empty() || name.is_empty() {
            out.warnings.push(Diagnostic::at(
                &src.name,
                line,
                "row without an id or a name: skipped",
            ));
            continue;
        }
        let mut names = vec![Name::new(name.as_str(), NameKind::Primary)];
        for a in split_semi(&get(c_aliases)) {
            names.push(Name::new(a, NameKind::Strong));
        }
        keep_first(&mut names, |n| &n.text);
        let dataset = get(c_dataset);
        out.entities.push(Entity {
            entity_type: schema_type(schema).unwrap_or(EntityType::Unknown),
            names,
            programs: split_semi(&get(c_programs)),
            countries: split_semi(&get(c_countries)),
            dates_of_birth: BirthDate::parse_list(&get(c_birth)),
            identifiers: split_semi(&get(c_ids))
                .into_iter()
                .map(|v| Identifier {
                    kind: String::new(),
                    value: v,
                    country: None,
                })
                .collect(),
            ..Entity::new(
                format!("os:{id}"),
                format!(
                    "OpenSanctions: {}",
                    if dataset.is_empty() {
                        "export"
                    } else {
                        &dataset
                    }
                ),
                Location {
                    file: src.name.clone(),
                    line,
                },
            )
        });
    }
    super::util::warn_if_unterminated(src, &lines, &mut out);
    Ok(out)
}

/// FollowTheMoney properties that hold identifiers.
const ID_PROPS: &[&str] = &[
    "idNumber",
    "registrationNumber",
    "taxNumber",
    "innCode",
    "ogrnCode",
    "leiCode",
    "isin",
    "imoNumber",
    "passportNumber",
    "swiftBic",
    "vatCode",
    "okpoCode",
    "uniqueEntityId",
];

/// Load FollowTheMoney entities, one JSON object per line.
pub fn load_ftm(src: &Source) -> Result<Loaded> {
    let mut out = Loaded::default();
    let mut not_parties: BTreeMap<String, usize> = BTreeMap::new();
    let bytes = strip_bom(&src.bytes);
    let text = String::from_utf8_lossy(bytes);
    for (i, line) in text.lines().enumerate() {
        let line_no = i as u64 + 1;
        if line.trim().is_empty() {
            continue;
        }
        out.records += 1;
        let v: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                out.warnings.push(Diagnostic::at(
                    &src.name,
                    line_no,
                    format!(
                        "not a JSON object (column {}): {e}; record skipped",
                        e.column()
                    ),
                ));
                continue;
            }
        };
        let schema = v.get("schema").and_then(Value::as_str).unwrap_or("");
        let Some(entity_type) = schema_type(schema) else {
            *not_parties.entry(schema.to_string()).or_default() += 1;
            continue;
        };
        match ftm_entity(&v, entity_type, src, line_no) {
            Some(e) => out.entities.push(e),
            None => out.warnings.push(Diagnostic::at(
                &src.name,
                line_no,
                "entity without an id or a name: skipped",
            )),
        }
    }
    super::util::warn_if_unterminated(src, &super::LineIndex::new(&src.bytes), &mut out);
    for (schema, n) in not_parties {
        out.warnings.push(Diagnostic::file(
            &src.name,
            format!(
                "{n} entities of schema {schema:?} are not parties (no names to screen): not loaded"
            ),
        ));
    }
    Ok(out)
}

/// The entity of one FollowTheMoney party (`v`, on line `line_no`), or
/// `None` when it has no id or no name. The caption leads its names.
fn ftm_entity(v: &Value, entity_type: EntityType, src: &Source, line_no: u64) -> Option<Entity> {
    let props = v.get("properties").and_then(Value::as_object);
    let list = |k: &str| -> Vec<String> {
        props
            .and_then(|p| p.get(k))
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut names: Vec<Name> = Vec::new();
    for (prop, kind) in [
        ("name", NameKind::Strong),
        ("alias", NameKind::Strong),
        ("previousName", NameKind::Former),
        ("weakAlias", NameKind::Weak),
    ] {
        for n in list(prop) {
            names.push(Name::new(n, kind));
        }
    }
    // Each name once, of the kind it first has.
    keep_first(&mut names, |n| &n.text);
    let id = v.get("id").and_then(Value::as_str).unwrap_or("");
    if names.is_empty() || id.is_empty() {
        return None;
    }
    // The caption, when it is one of the names, leads; else the first name.
    let caption = v.get("caption").and_then(Value::as_str).unwrap_or("");
    let lead = names.iter().position(|n| n.text == caption).unwrap_or(0);
    let first = names.remove(lead);
    names.insert(0, Name::new(first.text, NameKind::Primary));
    let mut countries = Vec::new();
    for k in [
        "country",
        "nationality",
        "citizenship",
        "jurisdiction",
        "flag",
    ] {
        countries.extend(list(k));
    }
    keep_first(&mut countries, String::as_str);
    let mut nationalities = list("nationality");
    nationalities.extend(list("citizenship"));
    keep_first(&mut nationalities, String::as_str);
    let identifiers = ID_PROPS
        .iter()
        .flat_map(|k| {
            list(k).into_iter().map(move |v| Identifier {
                kind: k.to_string(),
                value: v,
                country: None,
            })
        })
        .collect();
    let datasets: Vec<String> = v
        .get("datasets")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    Some(Entity {
        entity_type,
        names,
        programs: list("programId"),
        addresses: list("address"),
        countries,
        identifiers,
        dates_of_birth: list("birthDate")
            .iter()
            .filter_map(|d| BirthDate::parse(d))
            .collect(),
        nationalities,
        ..Entity::new(
            format!("os:{id}"),
            format!(
                "OpenSanctions: {}",
                if datasets.is_empty() {
                    "export".to_string()
                } else {
                    datasets.join(", ")
                }
            ),
            Location {
                file: src.name.clone(),
                line: line_no,
            },
        )
    })
}

/// The DoD 1260H list as OpenSanctions transcribes it.
pub const DOD_LIST: &str =
    "US DoD Section 1260H Chinese Military Companies (OpenSanctions transcription)";

/// Load the DoD 1260H transcription CSV (`Name, Clean Name, Alias, Previous
/// Name, Parent Name, Note, Start date, End date, Source Url`): one row per
/// company per DoD tranche, so rows with the same clean name are one entity.
pub fn load_dod_1260h(src: &Source) -> Result<Loaded> {
    let lines = LineIndex::new(&src.bytes);
    let (headers, rows) = read_csv(src, &lines)?;
    let col = |n: &str| headers.iter().position(|h| h == n);
    let (Some(c_name), Some(c_clean)) = (col("Name"), col("Clean Name")) else {
        bail!("{}:1: header lacks `Name` or `Clean Name`", src.name);
    };
    let [c_alias, c_prev, c_start, c_end] =
        ["Alias", "Previous Name", "Start date", "End date"].map(col);
    let mut out = Loaded::default();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for (line, row) in rows {
        out.records += 1;
        if row.len() != headers.len() {
            out.warnings.push(Diagnostic::at(
                &src.name,
                line,
                format!(
                    "expected {} fields, found {}: record skipped",
                    headers.len(),
                    row.len()
                ),
            ));
            continue;
        }
        // A double quote inside a field is what a quote left open leaves
        // behind when the field count still happens to match.
        if row.iter().any(|f| f.contains('"')) {
            out.warnings.push(Diagnostic::at(
                &src.name,
                line,
                "a field holds a double quote: a quote left open? the record may be misread",
            ));
        }
        let get = |c: Option<usize>| c.map(|c| row[c].clone()).unwrap_or_default();
        let mut name = row[c_clean].clone();
        if name.is_empty() {
            name = row[c_name].trim_end_matches('*').trim().to_string();
        }
        if name.is_empty() {
            out.warnings.push(Diagnostic::at(
                &src.name,
                line,
                "row without a name: skipped",
            ));
            continue;
        }
        let i = *by_name.entry(name.clone()).or_insert_with(|| {
            out.entities.push(Entity {
                entity_type: EntityType::Organization,
                names: vec![Name::new(name.clone(), NameKind::Primary)],
                programs: vec!["DoD-1260H".to_string()],
                countries: vec!["China".to_string()],
                ..Entity::new(
                    format!("dod-1260h:{}", hash_id(name.as_bytes())),
                    DOD_LIST.to_string(),
                    Location {
                        file: src.name.clone(),
                        line,
                    },
                )
            });
            out.entities.len() - 1
        });
        let e = &mut out.entities[i];
        for (c, kind) in [(c_alias, NameKind::Strong), (c_prev, NameKind::Former)] {
            // Repeats are dropped below.
            for a in split_aliases(&get(c)) {
                e.names.push(Name::new(a, kind));
            }
        }
        let (start, end) = (get(c_start), get(c_end));
        let tranche = if end.is_empty() {
            format!("listed {start}")
        } else {
            format!("listed {start}, removed {end}")
        };
        match &mut e.remarks {
            Some(r) => {
                r.push_str("; ");
                r.push_str(&tranche);
            }
            None => e.remarks = Some(tranche),
        }
    }
    for e in &mut out.entities {
        keep_first(&mut e.names, |n| &n.text);
    }
    super::util::warn_if_unterminated(src, &lines, &mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(name: &str, t: &str) -> Source {
        Source {
            name: name.into(),
            bytes: t.as_bytes().to_vec(),
        }
    }

    #[test]
    fn simple_csv_with_multiline_cells() {
        let t = "\"id\",\"schema\",\"name\",\"aliases\",\"countries\",\"identifiers\",\"sanctions\",\"dataset\",\"birth_date\"\n\"NK-1\",\"Company\",\"Sun Science International\",\"Sun Sci;SSI\",\"hk\",\"IMO6495856\",\"line one\nline two\",\"Ukraine War and Sanctions\",\"\"\n\"NK-2\",\"Vessel\",\"Gold Sun\",\"\",\"\",\"\",\"\",\"Ukraine War and Sanctions\",\"\"\n\"NK-3\",\"Person\",\"Ivan Petrov\",\"\",\"ru\",\"\",\"\",\"Ukraine War and Sanctions\",\"1960-01-02;1961-03\"\n";
        let l = load_simple_csv(&src("t.csv", t)).unwrap();
        assert_eq!(l.records, 3);
        assert_eq!(l.entities[0].names.len(), 3);
        assert!(l.entities[0].dates_of_birth.is_empty());
        let dobs: Vec<_> = l.entities[2]
            .dates_of_birth
            .iter()
            .map(|d| d.raw.as_str())
            .collect();
        assert_eq!(dobs, ["1960-01-02", "1961-03"]);
        assert_eq!(
            l.entities[0].list,
            "OpenSanctions: Ukraine War and Sanctions"
        );
        assert_eq!(l.entities[1].entity_type, EntityType::Vessel);
        assert_eq!(
            l.entities[1].source.line, 4,
            "the multi-line cell shifts the next row"
        );
    }

    #[test]
    fn ftm_lines_keep_parties_and_count_the_rest() {
        let t = "{\"id\":\"Q1\",\"caption\":\"Bussma Bugis\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Bussma Bugis\"],\"weakAlias\":[\"BB\"],\"nationality\":[\"sa\"],\"citizenship\":[\"sa\",\"ae\"],\"birthDate\":[\"1960\",\"not a date\"]},\"datasets\":[\"sa_wiki_peps_v2\"]}\n{\"id\":\"F1\",\"schema\":\"Family\",\"properties\":{}}\nnot json\n";
        let l = load_ftm(&src("e.ftm.json", t)).unwrap();
        assert_eq!(l.records, 3);
        assert_eq!(l.entities.len(), 1);
        assert_eq!(l.entities[0].names[1], Name::new("BB", NameKind::Weak));
        assert_eq!(l.entities[0].nationalities, ["sa", "ae"]);
        assert_eq!(l.entities[0].dates_of_birth[0].raw, "1960");
        assert_eq!(l.entities[0].dates_of_birth.len(), 1);
        assert!(l.warnings.iter().any(|w| w.location == "e.ftm.json:3"));
        assert!(l.warnings.iter().any(|w| w.message.contains("\"Family\"")));
    }

    #[test]
    fn dod_rows_of_one_company_are_one_entity() {
        let t = "Name,Clean Name,Alias,Previous Name,Parent Name,Note,Start date,End date,Source Url\n\"360 Security Technology Inc. (Qihoo 360)*\",360 Security Technology Inc.,Qihoo 360,,,,2022-10-05,,\n\"360 Security Technology Inc.\",360 Security Technology Inc.,\"Qihoo 360, 360\",,,,2024-01-31,,\n";
        let l = load_dod_1260h(&src("dod.csv", t)).unwrap();
        assert_eq!(l.records, 2);
        assert_eq!(l.entities.len(), 1);
        assert_eq!(l.entities[0].names.len(), 3);
    }
}
