//! Loading one directory's files: each file by its format's loader, and
//! the OFAC CSV files of a directory as one set per OFAC list.

use super::catalog::{add_loaded, list_file};
use super::ofac_csv::{self, Role};
use super::sniff::xml_entity_declaration;
use super::{Catalog, Diagnostic, Format, Loader, OfacList, Skipped, Source, sniff_named};
use crate::model::Entity;
use anyhow::{Result, bail};
use std::collections::BTreeMap;

/// Load groups of sources (one group per directory).
pub(super) fn load_sources(
    groups: Vec<(String, Vec<Source>)>,
    skipped: Vec<Skipped>,
) -> Result<Catalog> {
    let mut catalog = Catalog {
        skipped,
        ..Catalog::default()
    };
    // Directories load independently: in parallel, then gathered in their
    // order (the first error in that order is the one reported).
    use rayon::prelude::*;
    let loaded: Vec<Result<Catalog>> = groups
        .into_par_iter()
        .map(|(_dir, sources)| {
            let mut part = Catalog::default();
            load_group(sources, &mut part)?;
            Ok(part)
        })
        .collect();
    let mut parts = loaded.into_iter().collect::<Result<Vec<Catalog>>>()?;
    catalog.entities = joined_entities(&mut parts);
    for part in parts {
        catalog.files.extend(part.files);
        catalog.skipped.extend(part.skipped);
        catalog.warnings.extend(part.warnings);
    }
    catalog.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(catalog)
}

/// The entities of every part, in order. A part whose vector has room for
/// all of them (a large collection's loader leaves some) takes the others
/// in around its own, so that a million entities are not copied into a
/// new vector beside the old one; else they are gathered into one.
fn joined_entities(parts: &mut [Catalog]) -> Vec<Entity> {
    let total: usize = parts.iter().map(|p| p.entities.len()).sum();
    let roomy =
        (parts.iter()).position(|p| p.entities.capacity() >= total && !p.entities.is_empty());
    let Some(k) = roomy else {
        let mut all = Vec::with_capacity(total);
        parts.iter_mut().for_each(|p| all.append(&mut p.entities));
        return all;
    };
    let mut all = std::mem::take(&mut parts[k].entities);
    let before: Vec<Entity> = (parts[..k].iter_mut())
        .flat_map(|p| std::mem::take(&mut p.entities))
        .collect();
    all.splice(0..0, before);
    parts[k + 1..]
        .iter_mut()
        .for_each(|p| all.append(&mut p.entities));
    all
}

/// OFAC CSV files of one directory waiting for their set, by list and role.
type OfacFiles = BTreeMap<(OfacList, Role), Vec<Source>>;

/// Load one directory's files: each by its format's loader, the OFAC CSV
/// files gathered and loaded as sets after the others.
fn load_group(sources: Vec<Source>, catalog: &mut Catalog) -> Result<()> {
    let mut ofac = OfacFiles::new();
    for src in sources {
        load_file(src, catalog, &mut ofac)?;
    }
    for list in [OfacList::Sdn, OfacList::Consolidated] {
        load_ofac_set(list, &mut ofac, catalog)?;
    }
    Ok(())
}

/// Load one file by its format's row of [`super::FORMATS`], or keep it
/// in `ofac` when it belongs to an OFAC CSV set.
fn load_file(src: Source, catalog: &mut Catalog, ofac: &mut OfacFiles) -> Result<()> {
    let Some(format) = sniff_named(&src.file_stem(), &src.bytes) else {
        bail!("{}:1: not a recognized list format", src.name);
    };
    let Some(entry) = format.entry() else {
        bail!("{}: format not yet supported: {}", src.name, format.label());
    };
    if entry.xml
        && let Some(line) = xml_entity_declaration(&src.bytes)
    {
        bail!(
            "{}:{line}: the XML declares entities (<!ENTITY>), which no published list does: not loaded (an entity bomb or an external-entity reference?)",
            src.name
        );
    }
    match entry.loader {
        Loader::File { load, list } => {
            let loaded = load(&src)?;
            add_loaded(catalog, &src, format, list, loaded)
        }
        Loader::Ofac(load) => {
            let list = OfacList::from_file_name(&src.file_stem());
            let loaded = load(&src, list)?;
            add_loaded(catalog, &src, format, list.list_name(), loaded)
        }
        Loader::OfacCsvSet(role) => {
            let list = OfacList::from_file_name(&src.file_stem());
            ofac.entry((list, role)).or_default().push(src);
            Ok(())
        }
    }
}

/// Load the OFAC CSV set of `list` found in one directory: its primary
/// file with the companions beside it. Companions without a primary file
/// are warned about and skipped; two files of one role are an error.
fn load_ofac_set(list: OfacList, ofac: &mut OfacFiles, catalog: &mut Catalog) -> Result<()> {
    let mut take = |role| ofac.remove(&(list, role)).unwrap_or_default();
    let primaries = take(Role::Primary);
    let mut companions: Vec<(Role, Vec<Source>)> = [Role::Alt, Role::Address, Role::Comments]
        .into_iter()
        .map(|r| (r, take(r)))
        .collect();
    if primaries.len() > 1 || companions.iter().any(|(_, v)| v.len() > 1) {
        let names: Vec<String> = primaries
            .iter()
            .chain(companions.iter().flat_map(|(_, v)| v.iter()))
            .map(|s| s.name.to_string())
            .collect();
        bail!(
            "{}: more than one {} file of the same kind in one directory; put each release in its own directory",
            names.join(", "),
            list.list_name()
        );
    }
    let Some(primary) = primaries.into_iter().next() else {
        skip_orphans(list, companions, catalog);
        return Ok(());
    };
    let mut one = |role| {
        companions
            .iter_mut()
            .find(|(r, _)| *r == role)
            .and_then(|(_, v)| v.pop())
    };
    let alt = one(Role::Alt);
    let add = one(Role::Address);
    let comments = one(Role::Comments);
    let set = ofac_csv::Set {
        primary: &primary,
        alt: alt.as_ref(),
        add: add.as_ref(),
        comments: comments.as_ref(),
    };
    let loaded = ofac_csv::load(&set, list)?;
    for (role, companion) in [
        (Role::Alt, &alt),
        (Role::Address, &add),
        (Role::Comments, &comments),
    ] {
        if let Some(c) = companion {
            let mut lf = list_file(c, Format::OfacCsv(role), list.list_name(), None);
            lf.records = ofac_csv::count_records(&c.bytes);
            catalog.files.push(lf);
        }
    }
    add_loaded(
        catalog,
        &primary,
        Format::OfacCsv(Role::Primary),
        list.list_name(),
        loaded,
    )
}

/// Warn about and skip OFAC companion files that have no primary file.
fn skip_orphans(list: OfacList, companions: Vec<(Role, Vec<Source>)>, catalog: &mut Catalog) {
    for (role, v) in companions {
        for src in v {
            catalog.warnings.push(Diagnostic::file(
                &src.name,
                format!(
                    "orphan OFAC {} file: no {} primary file beside it, so it was not loaded",
                    Format::OfacCsv(role).label(),
                    list.list_name()
                ),
            ));
            let lf = list_file(&src, Format::OfacCsv(role), list.list_name(), None);
            catalog.skipped.push(Skipped {
                path: lf.path,
                reason: format!(
                    "orphan OFAC companion file ({}) without its primary file",
                    Format::OfacCsv(role).label()
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Location;

    fn part(ids: &[&str], room: usize) -> Catalog {
        let mut entities = Vec::with_capacity(room.max(ids.len()));
        entities.extend(ids.iter().map(|id| {
            Entity::new(
                *id,
                "L",
                Location {
                    file: "f".into(),
                    line: 1,
                },
            )
        }));
        Catalog {
            entities,
            ..Catalog::default()
        }
    }

    fn ids(v: &[Entity]) -> Vec<&str> {
        v.iter().map(|e| e.id.as_str()).collect()
    }

    #[test]
    fn a_part_with_room_for_all_takes_the_others_in_around_it_in_order() {
        let mut parts = vec![
            part(&["a1", "a2"], 0),
            part(&["b1", "b2", "b3"], 10),
            part(&["c1"], 0),
        ];
        let roomy = parts[1].entities.as_ptr();
        let all = joined_entities(&mut parts);
        assert_eq!(ids(&all), ["a1", "a2", "b1", "b2", "b3", "c1"]);
        // Its vector, not a copy.
        assert_eq!(all.as_ptr(), roomy);
        // Without such room, the same order in a new vector.
        let mut parts = vec![part(&["a1"], 0), part(&["b1", "b2"], 0)];
        assert_eq!(ids(&joined_entities(&mut parts)), ["a1", "b1", "b2"]);
        assert!(joined_entities(&mut []).is_empty());
    }
}
