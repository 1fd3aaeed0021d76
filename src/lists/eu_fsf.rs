//! The EU Financial Sanctions Files (FSF) XML: `export` with one
//! `sanctionEntity` per listing, carrying `nameAlias` (whole names; `strong`
//! false marks a weak alias), `subjectType`, `regulation`, `citizenship`,
//! `identification` and `address` elements, all data in attributes.
//!
//! No published copy was at hand: this loader is written from the published
//! schema and tested on a fixture (`data/samples/eu/fsf.xml`).

use super::util::{keep_first, push_trimmed};
use super::xml::{self, Node};
use super::{Diagnostic, Loaded, Source};
use crate::model::{BirthDate, Entity, EntityType, Identifier, Location, Name, NameKind};
use anyhow::{Result, bail};

/// The list name.
pub const LIST: &str = "EU Financial Sanctions Files (consolidated list)";

/// A listing's `nameAlias` names, each once as first given: the first is
/// the primary, `strong="false"` a weak alias.
fn names(s: &Node) -> Vec<Name> {
    let mut names: Vec<Name> = Vec::new();
    for a in s.all("nameAlias") {
        let whole = a.attr("wholeName");
        let text = if !whole.is_empty() {
            whole.to_string()
        } else {
            ["firstName", "middleName", "lastName"]
                .iter()
                .map(|k| a.attr(k))
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        };
        if text.is_empty() {
            continue;
        }
        let kind = if names.is_empty() {
            NameKind::Primary
        } else if a.attr("strong") == "false" {
            NameKind::Weak
        } else {
            NameKind::Strong
        };
        names.push(Name::new(text, kind));
    }
    // Each name once, as first given (the first is the primary).
    keep_first(&mut names, |n| &n.text);
    names
}

/// A listing's `birthdate` elements: `circa` years, the `birthdate` date,
/// a `yearRangeFrom`..`yearRangeTo` range, or the `year`, `monthOfYear`
/// and `dayOfMonth` parts, as far as given. The text kept is composed that
/// way from the attributes.
fn birth_dates(s: &Node) -> Vec<BirthDate> {
    s.all("birthdate")
        .filter_map(|b| {
            let (year, month, day) = (b.attr("year"), b.attr("monthOfYear"), b.attr("dayOfMonth"));
            let (from, to) = (b.attr("yearRangeFrom"), b.attr("yearRangeTo"));
            let text = if b.attr("circa") == "true" && !year.is_empty() {
                format!("circa {year}")
            } else if !b.attr("birthdate").is_empty() {
                b.attr("birthdate").to_string()
            } else if !from.is_empty() && !to.is_empty() {
                format!("{from} to {to}")
            } else {
                [year, month, day]
                    .into_iter()
                    .take_while(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join("-")
            };
            BirthDate::parse(&text)
        })
        .collect()
}

/// A listing's citizenships, as ISO codes like its `countries`, each once.
fn nationalities(s: &Node) -> Vec<String> {
    let mut out = Vec::new();
    for c in s.all("citizenship") {
        push_trimmed(&mut out, c.attr("countryIso2Code"));
    }
    keep_first(&mut out, String::as_str);
    out
}

/// Load an EU FSF XML file.
pub fn load(src: &Source) -> Result<Loaded> {
    let root = xml::parse(src)?;
    if root.name != "export" {
        bail!(
            "{}:{}: root element is <{}>, expected <export>",
            src.name,
            root.line,
            root.name
        );
    }
    let mut out = Loaded {
        published: Some(
            root.attr("generationDate")
                .chars()
                .take(10)
                .collect::<String>(),
        )
        .filter(|d| d.len() == 10),
        ..Loaded::default()
    };
    for s in root.all("sanctionEntity") {
        out.records += 1;
        let id = s.attr("logicalId");
        let names = names(s);
        if id.is_empty() || names.is_empty() {
            out.warnings.push(Diagnostic::at(
                &src.name,
                s.line,
                "sanctionEntity without a logicalId or a name: skipped",
            ));
            continue;
        }
        let entity_type = match s.child("subjectType").map(|t| t.attr("code")) {
            Some("person") => EntityType::Person,
            Some("enterprise") => EntityType::Organization,
            _ => EntityType::Unknown,
        };
        let mut programs = Vec::new();
        for r in s.all("regulation") {
            push_trimmed(&mut programs, r.attr("programme"));
        }
        keep_first(&mut programs, String::as_str);
        let mut countries = Vec::new();
        for c in s.all("citizenship") {
            push_trimmed(&mut countries, c.attr("countryIso2Code"));
        }
        let mut addresses = Vec::new();
        for a in s.all("address") {
            push_trimmed(&mut countries, a.attr("countryIso2Code"));
            let text = ["street", "city", "zipCode", "countryDescription"]
                .iter()
                .map(|k| a.attr(k))
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            if !text.is_empty() {
                addresses.push(text);
            }
        }
        keep_first(&mut countries, String::as_str);
        let identifiers = s
            .all("identification")
            .filter(|i| !i.attr("number").is_empty())
            .map(|i| Identifier {
                kind: i.attr("identificationTypeDescription").to_string(),
                value: i.attr("number").to_string(),
                country: Some(i.attr("countryIso2Code").to_string()).filter(|c| !c.is_empty()),
            })
            .collect();
        let remark = s
            .child("remark")
            .map(|r| r.text.clone())
            .filter(|r| !r.is_empty());
        out.entities.push(Entity {
            entity_type,
            names,
            programs,
            addresses,
            countries,
            identifiers,
            dates_of_birth: birth_dates(s),
            nationalities: nationalities(s),
            remarks: remark,
            ..Entity::new(
                format!("eu:{id}"),
                LIST.to_string(),
                Location {
                    file: src.name.clone(),
                    line: s.line,
                },
            )
        });
    }
    Ok(out)
}
