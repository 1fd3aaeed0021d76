//! The EU Financial Sanctions Files (FSF) XML: `export` with one
//! `sanctionEntity` per listing, carrying `nameAlias` (whole names; `strong`
//! false marks a weak alias), `subjectType`, `regulation`, `citizenship`,
//! `identification` and `address` elements, all data in attributes.
//!
//! No published copy was at hand: this loader is written from the published
//! schema and tested on a fixture (`data/samples/eu/fsf.xml`).

use super::util::{keep_first, push_trimmed};
use super::xml;
use super::{Diagnostic, Loaded, Source};
use crate::model::{Entity, EntityType, Identifier, Location, Name, NameKind};
use anyhow::{Result, bail};

/// The list name.
pub const LIST: &str = "EU Financial Sanctions Files (consolidated list)";

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
