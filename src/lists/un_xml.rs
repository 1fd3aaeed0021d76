//! UN Security Council Consolidated List XML (`CONSOLIDATED_LIST`, per the
//! UN's sc-sanctions.xsd): individuals and entities with their aliases.
//! Alias quality `Low` makes a weak alias; names in original script are names too.

use super::util::{keep_first, push_trimmed};
use super::xml::{self, Node};
use super::{Diagnostic, Loaded, Source};
use crate::model::{BirthDate, Entity, EntityType, Identifier, Location, Name, NameKind};
use anyhow::{Result, bail};

/// The list name.
pub const LIST: &str = "UN Security Council Consolidated List";

fn address(n: &Node) -> String {
    ["STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY"]
        .iter()
        .map(|k| n.text_of(k))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A record's nationality and citizenship values, as published, each once.
fn nationalities(n: &Node) -> Vec<String> {
    let mut out = Vec::new();
    for tag in ["NATIONALITY", "CITIZENSHIP"] {
        for c in n.all(tag) {
            for v in c.all("VALUE") {
                push_trimmed(&mut out, &v.text);
            }
        }
    }
    keep_first(&mut out, String::as_str);
    out
}

/// One `INDIVIDUAL_DATE_OF_BIRTH`: a `DATE` or `YEAR`, `circa` that when
/// `TYPE_OF_DATE` is `APPROXIMATELY`, or `FROM_YEAR to TO_YEAR` when it is
/// `BETWEEN`. The text kept is composed that way from the fields.
fn birth_date(d: &Node) -> Option<BirthDate> {
    let date = match d.text_of("DATE") {
        "" => d.text_of("YEAR"),
        date => date,
    };
    let text = match d.text_of("TYPE_OF_DATE").to_ascii_uppercase().as_str() {
        "BETWEEN" => format!("{} to {}", d.text_of("FROM_YEAR"), d.text_of("TO_YEAR")),
        "APPROXIMATELY" => format!("circa {date}"),
        _ => date.to_string(),
    };
    BirthDate::parse(&text)
}

fn record(n: &Node, person: bool, src: &Source, out: &mut Loaded) {
    let reference = n.text_of("REFERENCE_NUMBER");
    let uid = if reference.is_empty() {
        n.text_of("DATAID")
    } else {
        reference
    };
    let primary = if person {
        ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"]
            .iter()
            .map(|k| n.text_of(k))
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        n.text_of("FIRST_NAME").to_string()
    };
    if uid.is_empty() || primary.is_empty() {
        out.warnings.push(Diagnostic::at(
            &src.name,
            n.line,
            format!("{} without a reference number or a name: skipped", n.name),
        ));
        return;
    }
    let mut names = vec![Name::new(primary, NameKind::Primary)];
    let script = n.text_of("NAME_ORIGINAL_SCRIPT");
    if !script.is_empty() {
        names.push(Name::new(script, NameKind::Strong));
    }
    let alias_tag = if person {
        "INDIVIDUAL_ALIAS"
    } else {
        "ENTITY_ALIAS"
    };
    // Each alias once, and none that repeats a name above.
    let mut seen: std::collections::HashSet<String> =
        names.iter().map(|x| x.text.clone()).collect();
    for a in n.all(alias_tag) {
        let text = a.text_of("ALIAS_NAME");
        if text.is_empty() || !seen.insert(text.to_string()) {
            continue;
        }
        let kind = match a.text_of("QUALITY").to_ascii_lowercase().as_str() {
            "low" => NameKind::Weak,
            "f.k.a." | "fka" => NameKind::Former,
            _ => NameKind::Strong,
        };
        names.push(Name::new(text, kind));
    }
    let nationalities = nationalities(n);
    let mut countries = nationalities.clone();
    let addr_tag = if person {
        "INDIVIDUAL_ADDRESS"
    } else {
        "ENTITY_ADDRESS"
    };
    let mut addresses = Vec::new();
    for a in n.all(addr_tag) {
        push_trimmed(&mut countries, a.text_of("COUNTRY"));
        let s = address(a);
        if !s.is_empty() {
            addresses.push(s);
        }
    }
    keep_first(&mut countries, String::as_str);
    let identifiers = n
        .all("INDIVIDUAL_DOCUMENT")
        .filter(|d| !d.text_of("NUMBER").is_empty())
        .map(|d| Identifier {
            kind: d.text_of("TYPE_OF_DOCUMENT").to_string(),
            value: d.text_of("NUMBER").to_string(),
            country: Some(d.text_of("ISSUING_COUNTRY").to_string()).filter(|c| !c.is_empty()),
        })
        .collect();
    let comments = n.text_of("COMMENTS1");
    out.entities.push(Entity {
        entity_type: if person {
            EntityType::Person
        } else {
            EntityType::Organization
        },
        names,
        programs: vec![n.text_of("UN_LIST_TYPE").to_string()]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect(),
        addresses,
        countries,
        identifiers,
        dates_of_birth: n
            .all("INDIVIDUAL_DATE_OF_BIRTH")
            .filter_map(birth_date)
            .collect(),
        nationalities,
        remarks: (!comments.is_empty()).then(|| comments.to_string()),
        ..Entity::new(
            format!("un:{uid}"),
            LIST.to_string(),
            Location {
                file: src.name.clone(),
                line: n.line,
            },
        )
    });
}

/// Load a UN consolidated list XML file.
pub fn load(src: &Source) -> Result<Loaded> {
    let root = xml::parse(src)?;
    if root.name != "CONSOLIDATED_LIST" {
        bail!(
            "{}:{}: root element is <{}>, expected <CONSOLIDATED_LIST>",
            src.name,
            root.line,
            root.name
        );
    }
    let mut out = Loaded {
        published: Some(
            root.attr("dateGenerated")
                .chars()
                .take(10)
                .collect::<String>(),
        )
        .filter(|d| d.len() == 10),
        ..Loaded::default()
    };
    for (group, tag, person) in [
        ("INDIVIDUALS", "INDIVIDUAL", true),
        ("ENTITIES", "ENTITY", false),
    ] {
        for g in root.all(group) {
            for n in g.all(tag) {
                out.records += 1;
                record(n, person, src, &mut out);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn individuals_entities_aliases_and_quality() {
        let x = r#"<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z">
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>1</DATAID><FIRST_NAME>QASEM</FIRST_NAME><SECOND_NAME>SOLEIMANI</SECOND_NAME>
      <UN_LIST_TYPE>Iran</UN_LIST_TYPE><REFERENCE_NUMBER>IRi.039</REFERENCE_NUMBER>
      <NAME_ORIGINAL_SCRIPT>قاسم سلیمانی</NAME_ORIGINAL_SCRIPT>
      <NATIONALITY><VALUE>Iran (Islamic Republic of)</VALUE></NATIONALITY>
      <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Qassem Soleimani</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Haj Qasem</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1957-03-11</DATE></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1958</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1955</FROM_YEAR><TO_YEAR>1959</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>1956</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>008827069</NUMBER></INDIVIDUAL_DOCUMENT>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES>
    <ENTITY>
      <DATAID>2</DATAID><FIRST_NAME>AL-QAIDA</FIRST_NAME><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDe.004</REFERENCE_NUMBER>
      <ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>The Base</ALIAS_NAME></ENTITY_ALIAS>
      <ENTITY_ADDRESS><CITY>Kabul</CITY><COUNTRY>Afghanistan</COUNTRY></ENTITY_ADDRESS>
    </ENTITY>
    <ENTITY><DATAID>3</DATAID></ENTITY>
  </ENTITIES>
</CONSOLIDATED_LIST>"#;
        let l = load(&Source {
            name: "un.xml".into(),
            bytes: x.as_bytes().to_vec(),
        })
        .unwrap();
        assert_eq!(l.published.as_deref(), Some("2026-02-27"));
        assert_eq!(l.records, 4 - 1);
        assert_eq!(l.entities.len(), 2);
        let p = &l.entities[0];
        assert_eq!(p.id, "un:IRi.039");
        assert_eq!(p.names[0].text, "QASEM SOLEIMANI");
        assert_eq!(p.names[1], Name::new("قاسم سلیمانی", NameKind::Strong));
        assert!(p.names.contains(&Name::new("Haj Qasem", NameKind::Weak)));
        assert_eq!(p.names.len(), 4);
        assert_eq!(p.identifiers[0].value, "008827069");
        let dobs: Vec<_> = p.dates_of_birth.iter().map(|d| d.raw.as_str()).collect();
        assert_eq!(dobs, ["1957-03-11", "circa 1958", "1955 to 1959", "1956"]);
        assert_eq!(p.nationalities, ["Iran (Islamic Republic of)"]);
        let e = &l.entities[1];
        assert_eq!(e.entity_type, EntityType::Organization);
        assert_eq!(e.addresses, ["Kabul, Afghanistan"]);
        assert!(l.warnings[0].location.starts_with("un.xml:"));
    }
}
