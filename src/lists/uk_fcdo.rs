//! The UK Sanctions List XML published by the FCDO (`UK_Sanctions_List.xml`):
//! `Designations/Designation` with `UniqueID`, `Names/Name` (`Name1`..`Name6`,
//! `Name6` the family or entity name, `NameType`, `AliasStrength`),
//! `NonLatinNames`, `RegimeName`, `IndividualEntityShip`, `Addresses`,
//! nationalities and ship IMO numbers.
//!
//! No published copy was at hand: this loader is written from the published
//! field list and tested on a fixture (`data/samples/uk/UK_Sanctions_List.xml`).

use super::util::{keep_first, push_trimmed};
use super::xml::{self, Node};
use super::{Diagnostic, Loaded, Source};
use crate::model::{BirthDate, Entity, EntityType, Identifier, Location, Name, NameKind};
use anyhow::{Result, bail};

/// The list name.
pub const LIST: &str = "UK Sanctions List (FCDO)";

/// Every descendant with this local name, depth first.
fn descendants<'a>(n: &'a Node, name: &str, out: &mut Vec<&'a Node>) {
    for c in &n.children {
        if c.name == name {
            out.push(c);
        }
        descendants(c, name, out);
    }
}

fn find_all<'a>(n: &'a Node, name: &str) -> Vec<&'a Node> {
    let mut v = Vec::new();
    descendants(n, name, &mut v);
    v
}

/// `DD/MM/YYYY` (or an ISO date-time) to `YYYY-MM-DD`.
fn date(s: &str) -> Option<String> {
    let s = s.trim();
    let p: Vec<&str> = s.split('/').collect();
    match p.as_slice() {
        [d, m, y] if d.len() == 2 && m.len() == 2 && y.len() == 4 => Some(format!("{y}-{m}-{d}")),
        _ if s.len() >= 10 && s.as_bytes()[4] == b'-' => Some(s[..10].to_string()),
        _ => None,
    }
}

/// Put the primary names first, the last given leading and those before it,
/// from the latest back, demoted to strong aliases; the other names follow
/// in order. That is what inserting each primary name at the front, after
/// demoting the one there, makes, without the quadratic cost of inserting.
pub(crate) fn last_primary_leads(names: &mut Vec<Name>) {
    let (mut primaries, others): (Vec<Name>, Vec<Name>) = std::mem::take(names)
        .into_iter()
        .partition(|n| n.kind == NameKind::Primary);
    primaries.reverse();
    for n in primaries.iter_mut().skip(1) {
        n.kind = NameKind::Strong;
    }
    *names = primaries;
    names.extend(others);
}

/// Load a UK Sanctions List XML file.
pub fn load(src: &Source) -> Result<Loaded> {
    let root = xml::parse(src)?;
    if root.name != "Designations" {
        bail!(
            "{}:{}: root element is <{}>, expected <Designations>",
            src.name,
            root.line,
            root.name
        );
    }
    let published = ["DateGenerated", "PublicationDate", "ReportDate"]
        .iter()
        .map(|k| root.text_of(k))
        .chain(
            ["DateGenerated", "dateGenerated"]
                .iter()
                .map(|k| root.attr(k)),
        )
        .find_map(date);
    let mut out = Loaded {
        published,
        ..Loaded::default()
    };
    for d in root.all("Designation") {
        out.records += 1;
        let id = d.text_of("UniqueID");
        let mut names = designation_names(d);
        if id.is_empty() || names.is_empty() {
            out.warnings.push(Diagnostic::at(
                &src.name,
                d.line,
                "Designation without a UniqueID or a name: skipped",
            ));
            continue;
        }
        if names[0].kind != NameKind::Primary {
            names[0].kind = NameKind::Primary;
        }
        let (addresses, countries) = addresses_and_countries(d);
        let mut programs = Vec::new();
        push_trimmed(&mut programs, d.text_of("RegimeName"));
        let other = d.text_of("OtherInformation");
        out.entities.push(Entity {
            entity_type: designation_type(d),
            names,
            programs,
            addresses,
            countries,
            identifiers: identifiers(d),
            dates_of_birth: birth_dates(d),
            nationalities: nationalities(d),
            remarks: (!other.is_empty()).then(|| other.to_string()),
            ..Entity::new(
                format!("uk-fcdo:{id}"),
                LIST.to_string(),
                Location {
                    file: src.name.clone(),
                    line: d.line,
                },
            )
        });
    }
    Ok(out)
}

/// The given-name elements a name may have, `Name1` to `Name5` (`Name6`
/// is the family name).
const GIVEN_NAMES: usize = 5;

/// The address-line elements an address may have, `AddressLine1` to `AddressLine6`.
const ADDRESS_LINES: usize = 6;

/// Person, organization or ship, as `IndividualEntityShip` says.
fn designation_type(d: &Node) -> EntityType {
    match d
        .text_of("IndividualEntityShip")
        .to_ascii_lowercase()
        .as_str()
    {
        "individual" => EntityType::Person,
        "entity" => EntityType::Organization,
        "ship" => EntityType::Vessel,
        _ => EntityType::Unknown,
    }
}

/// A designation's names, each once: the primary name first, then the
/// aliases (weak when of low strength), then names in non-Latin script.
fn designation_names(d: &Node) -> Vec<Name> {
    let mut names: Vec<Name> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for n in find_all(d, "Name")
        .into_iter()
        .filter(|n| !n.children.is_empty())
    {
        let family = n.text_of("Name6");
        let given: Vec<&str> = (1..=GIVEN_NAMES)
            .map(|i| n.text_of(&format!("Name{i}")))
            .filter(|g| !g.is_empty())
            .collect();
        let text = match (family.is_empty(), given.is_empty()) {
            (false, false) => format!("{family}, {}", given.join(" ")),
            (false, true) => family.to_string(),
            (true, false) => given.join(" "),
            (true, true) => continue,
        };
        let name_type = n.text_of("NameType").to_ascii_lowercase();
        let kind = if name_type == "primary name" {
            NameKind::Primary
        } else if n
            .text_of("AliasStrength")
            .to_ascii_lowercase()
            .contains("low")
        {
            NameKind::Weak
        } else {
            NameKind::Strong
        };
        if !seen.insert(text.clone()) {
            continue;
        }
        names.push(Name::new(text, kind));
    }
    last_primary_leads(&mut names);
    for n in find_all(d, "NameNonLatinScript") {
        if !n.text.is_empty() && seen.insert(n.text.clone()) {
            names.push(Name::new(n.text.clone(), NameKind::Strong));
        }
    }
    names
}

/// A designation's addresses, and its countries (of its addresses and
/// nationalities, each once).
fn addresses_and_countries(d: &Node) -> (Vec<String>, Vec<String>) {
    let mut countries = Vec::new();
    let mut addresses = Vec::new();
    for a in find_all(d, "Address") {
        let parts: Vec<&str> = (1..=ADDRESS_LINES)
            .map(|i| a.text_of(&format!("AddressLine{i}")))
            .chain([a.text_of("AddressPostalCode"), a.text_of("AddressCountry")])
            .filter(|p| !p.is_empty())
            .collect();
        if !parts.is_empty() {
            addresses.push(parts.join(", "));
        }
        push_trimmed(&mut countries, a.text_of("AddressCountry"));
    }
    for n in find_all(d, "Nationality") {
        push_trimmed(&mut countries, &n.text);
    }
    keep_first(&mut countries, String::as_str);
    (addresses, countries)
}

/// A designation's dates of birth (`DOB`, `dd/mm/yyyy`), those that parse.
fn birth_dates(d: &Node) -> Vec<BirthDate> {
    find_all(d, "DOB")
        .into_iter()
        .filter_map(|n| BirthDate::parse(&n.text))
        .collect()
}

/// A designation's nationalities, as published, each once.
fn nationalities(d: &Node) -> Vec<String> {
    let mut out = Vec::new();
    for n in find_all(d, "Nationality") {
        push_trimmed(&mut out, &n.text);
    }
    keep_first(&mut out, String::as_str);
    out
}

/// A designation's IMO numbers, passports and national identifiers.
fn identifiers(d: &Node) -> Vec<Identifier> {
    let mut identifiers: Vec<Identifier> = find_all(d, "IMONumber")
        .into_iter()
        .filter(|n| !n.text.is_empty())
        .map(|n| Identifier {
            kind: "IMO".into(),
            value: n.text.clone(),
            country: None,
        })
        .collect();
    for (tag, kind) in [
        ("PassportNumber", "Passport"),
        ("NationalIdentifierNumber", "National ID"),
    ] {
        for n in find_all(d, tag).into_iter().filter(|n| !n.text.is_empty()) {
            identifiers.push(Identifier {
                kind: kind.into(),
                value: n.text.clone(),
                country: None,
            });
        }
    }
    identifiers
}
