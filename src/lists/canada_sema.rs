//! Canada's Consolidated Canadian Autonomous Sanctions List (SEMA) XML:
//! `<data-set><record>` with `Country` (bilingual), `LastName`, `GivenName`,
//! `EntityOrShip`, `TitleOrShip`, `ShipIMONumber`, `Aliases`, `Schedule`,
//! `Item`, `DateOfListing`.

use super::util::keep_first;
use super::xml;
use super::{Diagnostic, Loaded, Source};
use crate::model::{BirthDate, Entity, EntityType, Identifier, Location, Name, NameKind};
use anyhow::{Result, bail};
use std::collections::{HashMap, HashSet};

/// The list name.
pub const LIST: &str = "Canada Consolidated Autonomous Sanctions List (SEMA)";

/// Split the `Aliases` field: aliases are separated by `, ` and may carry a
/// language label (`Russian: Сергей ...`); a fragment that is only a legal
/// form such as `Ltd.` belongs to the alias before it.
///
/// ```
/// use sanctions::lists::canada_sema::split_aliases;
/// assert_eq!(
///     split_aliases("Siarhei Karcheusky, Belarusian: Сяргей Карчэўскi,  Russian: Сергей Карчевский"),
///     ["Siarhei Karcheusky", "Сяргей Карчэўскi", "Сергей Карчевский"]
/// );
/// assert_eq!(split_aliases("Acme Trading, Ltd., Acme"), ["Acme Trading, Ltd.", "Acme"]);
/// ```
pub fn split_aliases(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for piece in s.split([',', ';']) {
        let mut p = piece.trim();
        if let Some((label, rest)) = p.split_once(": ")
            && !label.is_empty()
            && label.chars().all(char::is_alphabetic)
        {
            p = rest.trim();
        }
        if p.is_empty() {
            continue;
        }
        // A fragment that is only a legal form (`Ltd.`, `S.A.`) ends the alias before it.
        let tokens = crate::terms::analyze(p);
        let legal_only =
            !tokens.is_empty() && tokens.iter().all(|t| t.class == crate::terms::Class::Legal);
        match out.last_mut() {
            Some(prev) if legal_only => {
                prev.push_str(", ");
                prev.push_str(p);
            }
            _ => out.push(p.to_string()),
        }
    }
    out
}

fn english(country: &str) -> &str {
    country.split(" / ").next().unwrap_or(country).trim()
}

/// A person's dates of birth from `DateOfBirthOrShipBuildDate`: one date,
/// or alternatives joined by `or`. For a ship the field is its build date,
/// not kept.
fn birth_dates(entity_type: EntityType, text: &str) -> Vec<BirthDate> {
    if entity_type != EntityType::Person {
        return Vec::new();
    }
    text.split(" or ")
        .flat_map(|p| p.split(" OR "))
        .filter_map(BirthDate::parse)
        .collect()
}

/// Load a SEMA XML file.
pub fn load(src: &Source) -> Result<Loaded> {
    let root = xml::parse(src)?;
    if root.name != "data-set" {
        bail!(
            "{}:{}: root element is <{}>, expected <data-set>",
            src.name,
            root.line,
            root.name
        );
    }
    let mut out = Loaded::default();
    let mut ids = HashSet::new();
    let mut next_number: HashMap<String, u64> = HashMap::new();
    for r in root.all("record") {
        out.records += 1;
        let country = english(r.text_of("Country"));
        let entity_or_ship = r.text_of("EntityOrShip");
        let imo = r.text_of("ShipIMONumber");
        let (entity_type, primary) = if !entity_or_ship.is_empty() {
            let t = if imo.is_empty() {
                EntityType::Organization
            } else {
                EntityType::Vessel
            };
            (t, entity_or_ship.to_string())
        } else {
            let (last, given) = (r.text_of("LastName"), r.text_of("GivenName"));
            let name = match (last.is_empty(), given.is_empty()) {
                (false, false) => format!("{last}, {given}"),
                (false, true) => last.to_string(),
                (true, false) => given.to_string(),
                (true, true) => String::new(),
            };
            (EntityType::Person, name)
        };
        if primary.is_empty() {
            out.warnings.push(Diagnostic::at(
                &src.name,
                r.line,
                "record without a name: skipped",
            ));
            continue;
        }
        let mut names = vec![Name::new(primary, NameKind::Primary)];
        for a in split_aliases(r.text_of("Aliases")) {
            names.push(Name::new(a, NameKind::Strong));
        }
        keep_first(&mut names, |n| &n.text);
        let schedule = r.text_of("Schedule");
        let item = r.text_of("Item");
        let mut id = format!(
            "ca-sema:{}/{}/{}",
            country.replace(' ', "_"),
            schedule.replace(' ', ""),
            item
        );
        // Numbered from where the last record of this id stopped: trying
        // each number from 2 again is quadratic in the records of one id.
        let next = next_number.entry(id.clone()).or_insert(2);
        let mut n = *next;
        while !ids.insert(id.clone()) {
            id = format!(
                "ca-sema:{}/{}/{}-{n}",
                country.replace(' ', "_"),
                schedule.replace(' ', ""),
                item
            );
            n += 1;
        }
        *next = n;
        let identifiers = if imo.is_empty() {
            Vec::new()
        } else {
            vec![Identifier {
                kind: "IMO".into(),
                value: imo.to_string(),
                country: None,
            }]
        };
        out.entities.push(Entity {
            entity_type,
            names,
            programs: vec![format!("SEMA {country} Schedule {schedule}")],
            countries: vec![country.to_string()]
                .into_iter()
                .filter(|c| !c.is_empty())
                .collect(),
            identifiers,
            dates_of_birth: birth_dates(entity_type, r.text_of("DateOfBirthOrShipBuildDate")),
            ..Entity::new(
                id,
                LIST.to_string(),
                Location {
                    file: src.name.clone(),
                    line: r.line,
                },
            )
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_entities_ships_and_aliases() {
        let x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<data-set>\n\t<record>\n\t\t<Country>Belarus / Bélarus</Country>\n\t\t<LastName>Atabekov</LastName>\n\t\t<GivenName>Khazalbek</GivenName>\n\t\t<DateOfBirthOrShipBuildDate>1965-04-29 or 1966</DateOfBirthOrShipBuildDate>\n\t\t<Aliases>Khazalbek Atabekau, Russian: Хазалбек Атабеков</Aliases>\n\t\t<Schedule>1, Part 1</Schedule>\n\t\t<Item>1</Item>\n\t</record>\n\t<record>\n\t\t<Country>Russia / Russie</Country>\n\t\t<EntityOrShip>Balitiyskiy III</EntityOrShip>\n\t\t<ShipIMONumber>7612448</ShipIMONumber>\n\t\t<DateOfBirthOrShipBuildDate>1976</DateOfBirthOrShipBuildDate>\n\t\t<Schedule>1.1</Schedule>\n\t\t<Item>1</Item>\n\t</record>\n\t<record><Country>Iran</Country></record>\n</data-set>\n";
        let l = load(&Source {
            name: "sema.xml".into(),
            bytes: x.as_bytes().to_vec(),
        })
        .unwrap();
        assert_eq!(l.records, 3);
        assert_eq!(l.entities.len(), 2);
        let p = &l.entities[0];
        assert_eq!(p.names[0].text, "Atabekov, Khazalbek");
        assert_eq!(p.names.len(), 3);
        assert_eq!(p.countries, ["Belarus"]);
        assert_eq!(p.source.line, 3);
        let dobs: Vec<_> = p.dates_of_birth.iter().map(|d| d.raw.as_str()).collect();
        assert_eq!(dobs, ["1965-04-29", "1966"]);
        assert_eq!(l.entities[1].entity_type, EntityType::Vessel);
        assert!(l.entities[1].dates_of_birth.is_empty());
        assert_eq!(l.warnings[0].location, "sema.xml:20");
    }
}
