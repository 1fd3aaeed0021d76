//! A listed entry as each API shows it: yente's `EntityResponse` (a
//! FollowTheMoney entity: schema and properties) and Watchman's `Entity`
//! (typed sub-objects). Names and values are as published; nothing here
//! decides a match.

use super::state::Loaded;
use crate::model::{BirthDateValue, Entity, EntityType, NameKind};
use serde::Serialize;
use serde_json::{Value, json};
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

/// An entity's FollowTheMoney properties: `name`, `alias`, `previousName`,
/// `weakAlias`, `birthDate`, `nationality`, `country`, `address`,
/// `idNumber`, `program`, `notes`, `topics`.
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
    for (key, values) in [
        ("nationality", &e.nationalities),
        ("country", &e.countries),
        ("address", &e.addresses),
        ("program", &e.programs),
    ] {
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
    p.insert("topics", vec!["sanction".to_string()]);
    p.retain(|_, v| !v.is_empty());
    p
}

/// yente's `EntityResponse` of entity `i`: id, caption, schema,
/// properties, datasets (its own and those of the other entries of its
/// party group), referents (those entries' ids), target.
pub fn entity_response(loaded: &Loaded, i: u32) -> Value {
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
    json!({
        "id": e.id,
        "caption": e.primary_name(),
        "schema": ftm_schema(e.entity_type),
        "properties": ftm_properties(e),
        "datasets": datasets,
        "referents": referents,
        "target": true,
        "first_seen": Value::Null,
        "last_seen": Value::Null,
        "last_change": Value::Null,
        "list": e.list,
        "source": e.source.to_string(),
    })
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

/// A Watchman government id.
#[derive(Serialize)]
struct GovernmentId<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    country: &'a str,
    identifier: &'a str,
}

/// Watchman's `Entity` of entity `i`: name, entityType, sourceList,
/// sourceID, one typed sub-object (person, business, vessel, aircraft),
/// addresses, sanctionsInfo, sourceData (list, id, source line).
pub fn watchman_entity(loaded: &Loaded, i: u32) -> Value {
    let e = &loaded.index.entities[i as usize];
    let dataset = loaded.dataset_of(i);
    let alt: Vec<&str> = e.names.iter().skip(1).map(|n| n.text.as_str()).collect();
    let ids: Vec<GovernmentId> = e
        .identifiers
        .iter()
        .map(|x| GovernmentId {
            kind: &x.kind,
            country: x.country.as_deref().unwrap_or(""),
            identifier: &x.value,
        })
        .collect();
    let birth = e.dates_of_birth.iter().find_map(|d| match d.value {
        BirthDateValue::Date { year, month, day } => {
            Some(format!("{year:04}-{month:02}-{day:02}T00:00:00Z"))
        }
        _ => None,
    });
    let name = e.primary_name();
    let (mut person, mut business, mut vessel, mut aircraft) =
        (Value::Null, Value::Null, Value::Null, Value::Null);
    match e.entity_type {
        EntityType::Person => {
            person = json!({"name": name, "altNames": alt, "gender": "", "birthDate": birth,
                "placeOfBirth": "", "deathDate": null, "titles": [], "governmentIDs": ids});
        }
        EntityType::Vessel => {
            vessel = json!({"name": name, "altNames": alt, "imoNumber": "", "type": "", "flag": "",
                "built": null, "model": "", "tonnage": 0, "mmsi": "", "callSign": "",
                "grossRegisteredTonnage": 0, "owner": ""});
        }
        EntityType::Aircraft => {
            aircraft = json!({"name": name, "altNames": alt, "type": "", "flag": "", "built": null,
                "icaoCode": "", "model": "", "serialNumber": ""});
        }
        EntityType::Organization | EntityType::Unknown => {
            business = json!({"name": name, "altNames": alt, "created": null, "dissolved": null,
                "governmentIDs": ids});
        }
    }
    let addresses: Option<Vec<Value>> = (!e.addresses.is_empty()).then(|| {
        e.addresses
            .iter()
            .map(|a| {
                json!({"line1": a, "line2": "", "city": "", "postalCode": "", "state": "",
                "country": "", "latitude": 0.0, "longitude": 0.0})
            })
            .collect()
    });
    json!({
        "name": name,
        "entityType": watchman_type(e.entity_type),
        "sourceList": watchman_source(dataset),
        "sourceID": e.id.split_once(':').map_or(e.id.as_str(), |(_, id)| id),
        "person": person,
        "business": business,
        "organization": Value::Null,
        "aircraft": aircraft,
        "vessel": vessel,
        "contact": {"emailAddresses": null, "phoneNumbers": null, "faxNumbers": null, "websites": null},
        "addresses": addresses,
        "cryptoAddresses": null,
        "affiliations": null,
        "sanctionsInfo": {"programs": e.programs, "secondary": false,
            "description": e.remarks.as_deref().unwrap_or("")},
        "historicalInfo": null,
        "sourceData": {"entityID": e.id, "list": e.list, "source": e.source.to_string()},
    })
}
