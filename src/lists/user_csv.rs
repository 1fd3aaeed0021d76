//! The user's own list: a plain CSV with a header row.
//!
//! | column | required | meaning |
//! |---|---|---|
//! | `name` | yes | the party's name |
//! | `aliases` | no | other names, separated by `;` |
//! | `type` | no | `person`, `organization`, `vessel`, `aircraft` (else unknown) |
//! | `country` | no | countries, separated by `;` |
//! | `id` | no | your reference; entity ids are `user:<id>` |
//! | `list` | no | the list's name (default: `User list`) |
//!
//! A file is taken for a user list when its header has `name` and `aliases`
//! or `list` (a CSV of names to screen has neither).

use super::util::{cell, decode, hash_id, keep_first, strip_bom};
use super::{Diagnostic, LineIndex, Loaded, Source};
use crate::model::{Entity, EntityType, Location, Name, NameKind};
use anyhow::{Result, bail};
use std::collections::HashSet;

/// Does a header row make a user list?
pub fn is_user_header(header: &[String]) -> bool {
    let has = |c: &str| header.iter().any(|h| h == c);
    has("name") && (has("aliases") || has("list"))
}

/// Load a user list.
pub fn load(src: &Source) -> Result<Loaded> {
    let bytes = strip_bom(&src.bytes);
    let offset = (src.bytes.len() - bytes.len()) as u64;
    let lines = LineIndex::new(&src.bytes);
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers: Vec<String> = match r.byte_headers() {
        Ok(h) => h
            .iter()
            .map(|f| decode(f).trim().to_ascii_lowercase())
            .collect(),
        Err(e) => bail!("{}:1: cannot read the header: {e}", src.name),
    };
    let col = |n: &str| headers.iter().position(|h| h == n);
    let Some(c_name) = col("name") else {
        bail!("{}:1: missing column `name`", src.name);
    };
    let [c_aliases, c_type, c_country, c_id, c_list] =
        ["aliases", "type", "country", "id", "list"].map(col);
    let mut out = Loaded::default();
    let mut seen = HashSet::new();
    let mut rec = csv::ByteRecord::new();
    loop {
        match r.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => bail!(
                "{}:{}: malformed CSV: {e}",
                src.name,
                lines.line_at(e.position().map(|p| p.byte()).unwrap_or(0) + offset)
            ),
        }
        let line = lines.line_at(rec.position().map(|p| p.byte()).unwrap_or(0) + offset);
        out.records += 1;
        if rec.len() != headers.len() {
            out.warnings.push(Diagnostic::at(
                &src.name,
                line,
                format!(
                    "expected {} fields, found {}: record skipped",
                    headers.len(),
                    rec.len()
                ),
            ));
            continue;
        }
        let get = |c: Option<usize>| cell(&rec, c);
        let name = get(Some(c_name));
        if name.is_empty() {
            out.warnings.push(Diagnostic::at(
                &src.name,
                line,
                "empty `name`: record skipped",
            ));
            continue;
        }
        let id = match get(c_id) {
            s if s.is_empty() => hash_id(name.as_bytes()),
            s => s,
        };
        if !seen.insert(id.clone()) {
            out.warnings.push(Diagnostic::at(
                &src.name,
                line,
                format!("duplicate id {id}: record skipped"),
            ));
            continue;
        }
        let mut names = vec![Name::new(name, NameKind::Primary)];
        for a in get(c_aliases)
            .split(';')
            .map(str::trim)
            .filter(|a| !a.is_empty())
        {
            names.push(Name::new(a, NameKind::Strong));
        }
        keep_first(&mut names, |n| &n.text);
        let entity_type = match get(c_type).to_ascii_lowercase().as_str() {
            "person" | "individual" => EntityType::Person,
            "organization" | "organisation" | "company" | "entity" => EntityType::Organization,
            "vessel" => EntityType::Vessel,
            "aircraft" => EntityType::Aircraft,
            _ => EntityType::Unknown,
        };
        let list = match get(c_list) {
            s if s.is_empty() => "User list".to_string(),
            s => s,
        };
        out.entities.push(Entity {
            entity_type,
            names,
            countries: get(c_country)
                .split(';')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect(),
            ..Entity::new(
                format!("user:{id}"),
                list,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_columns() {
        let t = "id,name,aliases,type,country,list\nB-1,Acme Trading LLC,Acme; ACME TRD,organization,AE;IR,Internal blocklist\nB-2,,x,,,\n";
        let l = load(&Source {
            name: "mine.csv".into(),
            bytes: t.as_bytes().to_vec(),
        })
        .unwrap();
        assert_eq!(l.records, 2);
        let e = &l.entities[0];
        assert_eq!(e.id, "user:B-1");
        assert_eq!(e.names.len(), 3);
        assert_eq!(e.countries, ["AE", "IR"]);
        assert_eq!(&*e.list, "Internal blocklist");
        assert_eq!(l.warnings[0].location, "mine.csv:3");
    }
}
