//! A listed entry as each API shows it: yente's `EntityResponse` (a
//! FollowTheMoney entity: schema and properties) and Watchman's `Entity`
//! (typed sub-objects). Names and values are as published, countries as
//! ISO 3166 codes, dates as each API writes them; nothing here decides a
//! match.

use super::state::Loaded;
use super::watchman_api as wm;
use super::yente_api::EntityResponse;
use crate::model::{BirthDateValue, Entity, EntityType, NameKind};
use std::collections::BTreeMap;

/// The FollowTheMoney schema of an entity type.
pub fn ftm_schema(t: EntityType) -> &'static str {
    match t {
        EntityType::Person => "Person",
        EntityType::Organization => "Organization",
        EntityType::Vessel => "Vessel",
        EntityType::Aircraft => "Airplane",
        EntityType::Unknown => "LegalEntity",
    }
}

/// The entity type a FollowTheMoney schema asks for (`None`: any, as
/// `Thing` and `LegalEntity`); an error for a schema that names no party.
pub fn schema_type(schema: &str) -> Result<Option<EntityType>, String> {
    Ok(match schema {
        "Person" => Some(EntityType::Person),
        "Organization" | "Company" | "PublicBody" => Some(EntityType::Organization),
        "Vessel" => Some(EntityType::Vessel),
        "Airplane" => Some(EntityType::Aircraft),
        "Thing" | "LegalEntity" => None,
        other => {
            return Err(format!(
                "unknown or unscreenable schema {other:?} (Person, Organization, Company, PublicBody, LegalEntity, Vessel, Airplane, Thing)"
            ));
        }
    })
}

/// Does an entity of type `t` belong to `schema` (or a schema under it)?
pub fn is_schema(t: EntityType, schema: &str) -> bool {
    match schema {
        "Thing" => true,
        "LegalEntity" => matches!(
            t,
            EntityType::Person | EntityType::Organization | EntityType::Unknown
        ),
        "Organization" => t == EntityType::Organization,
        s => ftm_schema(t) == s,
    }
}

/// A date of birth as FollowTheMoney writes dates: `1960-01-31`,
/// `1960-01`, `1960`; a range or circa year as its year(s).
fn ftm_date(v: &BirthDateValue) -> Vec<String> {
    match *v {
        BirthDateValue::Date { year, month, day } => vec![format!("{year:04}-{month:02}-{day:02}")],
        BirthDateValue::YearMonth { year, month } => vec![format!("{year:04}-{month:02}")],
        BirthDateValue::Year { year } | BirthDateValue::Circa { year } => {
            vec![format!("{year:04}")]
        }
        BirthDateValue::YearRange { from, to } => (from..=to).map(|y| format!("{y:04}")).collect(),
    }
}

/// Push each value once, keeping the first order.
fn push_unique(out: &mut Vec<String>, v: &str) {
    if !v.is_empty() && !out.iter().any(|x| x == v) {
        out.push(v.to_string());
    }
}

/// An entity's topics (FollowTheMoney's): `export.control` for the
/// export lists (the Entity List, Denied Persons, Unverified, Military End
/// User), `debarment` for debarment lists, else `sanction`.
pub fn topics(e: &Entity) -> &'static [&'static str] {
    let list = e.list.to_lowercase();
    if [
        "entity list",
        "denied persons",
        "unverified",
        "military end user",
    ]
    .iter()
    .any(|l| list.contains(l))
    {
        &["export.control"]
    } else if list.contains("debar") {
        &["debarment"]
    } else {
        &["sanction"]
    }
}

/// The ISO 3166 codes (lower case, as FollowTheMoney writes them) of
/// country names or codes; names no code is known for are left out.
pub fn country_codes(values: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for v in values {
        if let Some(c) = crate::countries::iso2(v) {
            push_unique(&mut out, &c.to_lowercase());
        }
    }
    out
}

/// An entity's FollowTheMoney properties: `name`, `alias`, `previousName`,
/// `weakAlias`, `birthDate`, `nationality` and `country` (ISO codes),
/// `address`, `idNumber`, `program`, `notes`, `topics`.
pub fn ftm_properties(e: &Entity) -> BTreeMap<&'static str, Vec<String>> {
    let mut p: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    for n in &e.names {
        let key = match n.kind {
            NameKind::Primary => "name",
            NameKind::Strong => "alias",
            NameKind::Former => "previousName",
            NameKind::Weak => "weakAlias",
        };
        push_unique(p.entry(key).or_default(), &n.text);
    }
    for d in &e.dates_of_birth {
        for v in ftm_date(&d.value) {
            push_unique(p.entry("birthDate").or_default(), &v);
        }
    }
    p.insert("nationality", country_codes(&e.nationalities));
    p.insert("country", country_codes(&e.countries));
    for (key, values) in [("address", &e.addresses), ("program", &e.programs)] {
        for v in values {
            push_unique(p.entry(key).or_default(), v);
        }
    }
    for i in &e.identifiers {
        push_unique(p.entry("idNumber").or_default(), &i.value);
    }
    if let Some(r) = &e.remarks {
        push_unique(p.entry("notes").or_default(), r);
    }
    p.insert("topics", topics(e).iter().map(|t| t.to_string()).collect());
    p.retain(|_, v| !v.is_empty());
    p
}

/// yente's `EntityResponse` of entity `i`: id, caption, schema,
/// properties, datasets (its own and those of the other entries of its
/// party group), referents (those entries' ids), target, and the date of
/// its list as `last_change`.
pub fn entity_response(loaded: &Loaded, i: u32) -> EntityResponse {
    let idx = &loaded.index;
    let e = &idx.entities[i as usize];
    let group = &idx.groups[idx.entity_group[i as usize] as usize];
    let mut datasets = vec![loaded.dataset_of(i).to_string()];
    let mut referents = Vec::new();
    for &m in &group.members {
        if m != i {
            push_unique(&mut datasets, loaded.dataset_of(m));
            push_unique(&mut referents, &idx.entities[m as usize].id);
        }
    }
    let day = loaded.entity_date(i);
    EntityResponse {
        id: e.id.clone(),
        caption: e.primary_name().to_string(),
        schema: ftm_schema(e.entity_type),
        properties: ftm_properties(e),
        datasets,
        referents,
        target: true,
        first_seen: None,
        last_seen: Some(loaded.loaded_at.trim_end_matches('Z').to_string()),
        last_change: (!day.is_empty()).then(|| format!("{day}T00:00:00")),
        list: e.list.to_string(),
        source: e.source.to_string(),
    }
}

/// Watchman's name of the source list of a dataset (`us_ofac`, `us_csl`,
/// `eu_csl`, `uk_csl`, `un_csl`), else the dataset's own name.
pub fn watchman_source(dataset: &str) -> &str {
    match dataset {
        "ofac-sdn" | "ofac-cons" => "us_ofac",
        "csl" | "bis-dpl" => "us_csl",
        "eu" => "eu_csl",
        "uk-fcdo" | "uk-hmt" => "uk_csl",
        "un" => "un_csl",
        other => other,
    }
}

/// Watchman's entity type of ours.
pub fn watchman_type(t: EntityType) -> &'static str {
    match t {
        EntityType::Person => "person",
        EntityType::Organization => "business",
        EntityType::Vessel => "vessel",
        EntityType::Aircraft => "aircraft",
        EntityType::Unknown => "unknown",
    }
}

/// A date as Go's `time.Time` reads it (RFC 3339, midnight UTC): a year
/// alone is its first of January, a month its first day, a range its start.
pub fn rfc3339_date(v: &BirthDateValue) -> String {
    let (y, m, d) = match *v {
        BirthDateValue::Date { year, month, day } => (year, month, day),
        BirthDateValue::YearMonth { year, month } => (year, month, 1),
        BirthDateValue::Year { year } | BirthDateValue::Circa { year } => (year, 1, 1),
        BirthDateValue::YearRange { from, .. } => (from, 1, 1),
    };
    format!("{y:04}-{m:02}-{d:02}T00:00:00Z")
}

/// A date parameter (`YYYY-MM-DD`, `YYYY-MM`, `YYYY`) as RFC 3339, or
/// `None` when it is no date (Watchman drops such a value).
pub fn rfc3339_param(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    crate::model::BirthDate::parse_input(s)
        .ok()
        .map(|d| rfc3339_date(&d.value))
}

/// The value after `label` in remarks of `label value; ...` facts
/// (`IMO 9116412; MMSI 123456789`).
fn remark_value(remarks: &str, label: &str) -> Option<String> {
    remarks.split(';').find_map(|fact| {
        let fact = fact.trim().trim_end_matches('.');
        let pos = fact.find(label)?;
        let before = &fact[..pos];
        if !(before.is_empty() || before.ends_with(' ')) {
            return None;
        }
        let v = fact[pos + label.len()..].trim();
        (!v.is_empty()).then(|| v.to_string())
    })
}

/// The digits of an IMO number (`IMO 9116412` is `9116412`).
fn imo_digits(v: &str) -> String {
    v.trim().trim_start_matches("IMO").trim().to_string()
}

/// An entity's identifiers of one of `kinds` (case ignored), else the
/// value its remarks give after `label`.
fn identifier_of(e: &Entity, kinds: &[&str], label: &str) -> String {
    e.identifiers
        .iter()
        .find(|i| kinds.iter().any(|k| i.kind.eq_ignore_ascii_case(k)))
        .map(|i| i.value.clone())
        .or_else(|| e.remarks.as_deref().and_then(|r| remark_value(r, label)))
        .unwrap_or_default()
}

/// The identifier kinds shown in a vessel's or aircraft's own fields.
const CRAFT_IDS: [&str; 7] = [
    "imo",
    "imonumber",
    "mmsi",
    "call sign",
    "callsign",
    "aircraft tail number",
    "aircraft manufacturer's serial number (msn)",
];

/// An entry's identity documents as Watchman's `governmentIDs` (the
/// vessel and aircraft numbers, which have fields of their own, left out).
fn government_ids(e: &crate::model::Entity) -> Vec<wm::GovernmentId> {
    let person = e.entity_type == EntityType::Person;
    (e.identifiers.iter())
        .filter(|x| !CRAFT_IDS.contains(&x.kind.to_lowercase().as_str()))
        .map(|x| wm::GovernmentId::of(x, person))
        .collect()
}

/// Watchman's `Entity` of entity `i`: name, entityType, sourceList,
/// sourceID, one typed sub-object (person, business, vessel, aircraft),
/// addresses, sanctionsInfo, sourceData (list, id, source line).
pub fn watchman_entity(loaded: &Loaded, i: u32) -> wm::Entity {
    let e = &loaded.index.entities[i as usize];
    let dataset = loaded.dataset_of(i);
    let alt: Vec<String> = e.names.iter().skip(1).map(|n| n.text.clone()).collect();
    let ids = government_ids(e);
    let name = e.primary_name().to_string();
    let only_country = match country_codes(&e.countries).as_slice() {
        [one] => one.to_uppercase(),
        _ => String::new(),
    };
    let mut out = wm::Entity {
        name: name.clone(),
        entity_type: watchman_type(e.entity_type),
        source_list: watchman_source(dataset).to_string(),
        source_id: e
            .id
            .split_once(':')
            .map_or(e.id.as_str(), |(_, id)| id)
            .to_string(),
        ..wm::Entity::default()
    };
    match e.entity_type {
        EntityType::Person => {
            let remarks = e.remarks.as_deref().unwrap_or("");
            out.person = Some(wm::Person {
                name,
                alt_names: alt,
                gender: match remark_value(remarks, "Gender").as_deref() {
                    Some("Male") => "male".to_string(),
                    Some("Female") => "female".to_string(),
                    _ => String::new(),
                },
                birth_date: e.dates_of_birth.first().map(|d| rfc3339_date(&d.value)),
                place_of_birth: remark_value(remarks, "POB").unwrap_or_default(),
                government_ids: ids,
                ..wm::Person::default()
            });
        }
        EntityType::Vessel => {
            let remarks = e.remarks.as_deref().unwrap_or("");
            let flag = remark_value(remarks, "Flag")
                .and_then(|f| crate::countries::iso2(&f))
                .or_else(|| (e.nationalities.iter()).find_map(|n| crate::countries::iso2(n)))
                .map(str::to_string)
                .unwrap_or(only_country);
            out.vessel = Some(wm::Vessel {
                name,
                alt_names: alt,
                imo_number: imo_digits(&identifier_of(e, &["IMO", "imoNumber"], "IMO")),
                mmsi: identifier_of(e, &["MMSI"], "MMSI"),
                call_sign: identifier_of(e, &["Call Sign", "callSign"], "Call Sign"),
                kind: remark_value(remarks, "Vessel Type").unwrap_or_default(),
                flag,
                ..wm::Vessel::default()
            });
        }
        EntityType::Aircraft => {
            out.aircraft = Some(wm::Aircraft {
                name,
                alt_names: alt,
                serial_number: identifier_of(
                    e,
                    &["Aircraft Manufacturer's Serial Number (MSN)"],
                    "Aircraft Manufacturer's Serial Number (MSN)",
                ),
                model: e
                    .remarks
                    .as_deref()
                    .and_then(|r| remark_value(r, "Aircraft Model"))
                    .unwrap_or_default(),
                flag: only_country,
                ..wm::Aircraft::default()
            });
        }
        EntityType::Organization | EntityType::Unknown => {
            out.business = Some(wm::Business {
                name,
                alt_names: alt,
                government_ids: ids,
                ..wm::Business::default()
            });
        }
    }
    out.addresses = (!e.addresses.is_empty()).then(|| {
        e.addresses
            .iter()
            .map(|a| wm::Address {
                line1: a.clone(),
                country: a
                    .rsplit(',')
                    .next()
                    .and_then(crate::countries::iso2)
                    .map(str::to_string)
                    .unwrap_or_default(),
                ..wm::Address::default()
            })
            .collect()
    });
    out.sanctions_info = Some(wm::SanctionsInfo {
        programs: e.programs.clone(),
        secondary: false,
        description: e.remarks.clone().unwrap_or_default(),
    });
    out.source_data = Some(wm::SourceData {
        entity_id: e.id.clone(),
        list: e.list.to_string(),
        source: e.source.to_string(),
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_rfc3339_whatever_their_precision() {
        for (given, want) in [
            ("1952-10-07", "1952-10-07T00:00:00Z"),
            ("1952", "1952-01-01T00:00:00Z"),
            ("1952-10", "1952-10-01T00:00:00Z"),
        ] {
            assert_eq!(rfc3339_param(given).as_deref(), Some(want), "{given}");
        }
        assert_eq!(rfc3339_param("soon"), None);
    }

    #[test]
    fn remark_values_are_read_after_their_label() {
        let r = "Vessel Registration Identification IMO 9116412; MMSI 273347300; Flag Russia.";
        assert_eq!(remark_value(r, "IMO").as_deref(), Some("9116412"));
        assert_eq!(remark_value(r, "MMSI").as_deref(), Some("273347300"));
        assert_eq!(remark_value(r, "Flag").as_deref(), Some("Russia"));
        assert_eq!(imo_digits("IMO 9116412"), "9116412");
    }
}
