//! A re-saved OFAC CSV set loads with the same entities as the published one.
//!
//! OFAC quotes every text field of its legacy CSV files and writes `-0- ` for
//! an empty one. A user who filters rows with Python's csv module, pandas or
//! Excel and saves the file keeps the 12 (or 5, 6, 2) columns and the `-0- `
//! markers, but quotes a field only where it holds a comma or a quote, and
//! drops OFAC's end-of-file byte (0x1A). Such a set must be read as the
//! published one, not refused as an unknown format or misread.

use sanctions::lists::{self, Catalog};
use sanctions::model::Entity;
use std::path::{Path, PathBuf};

use crate::shared;

/// The four files of an OFAC SDN CSV set, by their published names.
const SDN_SET: [&str; 4] = ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"];

/// The four files of an OFAC Non-SDN CSV set.
const CONS_SET: [&str; 4] = [
    "cons_prim.csv",
    "cons_alt.csv",
    "cons_add.csv",
    "cons_comments.csv",
];

/// The byte OFAC ends each of its CSV files with.
const OFAC_EOF: &[u8] = b"\x1a";

/// The UTF-8 byte order mark Excel writes at the start of a "CSV UTF-8" file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Load files given as (name, bytes) as one directory.
fn load(files: &[(&str, Vec<u8>)]) -> Catalog {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    lists::load_bytes(&files).unwrap_or_else(|e| panic!("{e:#}"))
}

/// The files of `set` in `dir`, by name.
fn fixture(dir: &Path, set: &[&'static str]) -> Vec<(&'static str, Vec<u8>)> {
    set.iter().map(|n| (*n, read(&dir.join(n)))).collect()
}

/// Assert that two loads gave the same entities in the same order, field by
/// field; the source file is compared only when `same_file` (a re-saved set
/// in another directory has another path, but the same lines).
fn assert_same_entities(published: &[Entity], resaved: &[Entity], same_file: bool) {
    assert_eq!(published.len(), resaved.len(), "entity count");
    for (p, r) in published.iter().zip(resaved) {
        let id = &p.id;
        assert_eq!(p.id, r.id, "id");
        assert_eq!(p.list, r.list, "{id}: list");
        assert_eq!(p.entity_type, r.entity_type, "{id}: entity type");
        assert_eq!(p.names, r.names, "{id}: names");
        assert_eq!(p.programs, r.programs, "{id}: programs");
        assert_eq!(p.addresses, r.addresses, "{id}: addresses");
        assert_eq!(p.countries, r.countries, "{id}: countries");
        assert_eq!(p.identifiers, r.identifiers, "{id}: identifiers");
        assert_eq!(p.remarks, r.remarks, "{id}: remarks");
        assert_eq!(p.ofac_uid, r.ofac_uid, "{id}: OFAC number");
        assert_eq!(p.source.line, r.source.line, "{id}: line");
        if same_file {
            assert_eq!(p.source.file, r.source.file, "{id}: file");
        }
    }
}

#[test]
fn a_minimally_quoted_sdn_set_loads_as_the_published_one() {
    let samples = root().join("data/samples/ofac");
    let published = load(&fixture(&samples.join("csv"), &SDN_SET));
    let resaved_files = fixture(&samples.join("resaved"), &SDN_SET);
    // The fixture is what it claims: its first record's name is bare, and
    // the end-of-file byte is gone.
    let sdn = &resaved_files[0].1;
    assert!(sdn.starts_with(b"36,AEROCARIBBEAN AIRLINES,-0- ,"));
    assert!(resaved_files.iter().all(|(_, b)| !b.ends_with(OFAC_EOF)));
    let resaved = load(&resaved_files);
    assert_eq!(published.entities.len(), 5);
    assert_same_entities(&published.entities, &resaved.entities, true);
    let formats = |c: &Catalog| -> Vec<(String, String, usize)> {
        c.files
            .iter()
            .map(|f| (f.path.clone(), f.format.clone(), f.records))
            .collect()
    };
    assert_eq!(formats(&published), formats(&resaved));
    // Remarks continued in the comments file were joined in both.
    let soleimani = resaved
        .entities
        .iter()
        .find(|e| e.id == "ofac-sdn:20405")
        .unwrap();
    assert!(soleimani.remarks.as_deref().unwrap().len() > 1000);
}

#[test]
fn a_resaved_set_with_excels_byte_order_mark_loads_as_the_published_one() {
    let samples = root().join("data/samples/ofac");
    let published = load(&fixture(&samples.join("csv"), &SDN_SET));
    let with_bom: Vec<(&str, Vec<u8>)> = fixture(&samples.join("resaved"), &SDN_SET)
        .into_iter()
        .map(|(n, b)| (n, [BOM, &b].concat()))
        .collect();
    assert_same_entities(&published.entities, &load(&with_bom).entities, true);
}

/// Re-save each file of `set` from `from` into `to` as the csv crate's
/// default writer does (quoting only where needed), dropping the
/// end-of-file record as a filter on the rows would.
fn resave(from: &Path, to: &Path, set: &[&str]) {
    for name in set {
        let bytes = read(&from.join(name));
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes.as_slice());
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_path(to.join(name))
            .unwrap();
        for rec in r.byte_records() {
            let rec = rec.unwrap();
            if rec.len() == 1 && rec.as_slice() == OFAC_EOF {
                continue;
            }
            w.write_byte_record(&rec).unwrap();
        }
        w.flush().unwrap();
    }
}

#[test]
fn the_real_ofac_files_resaved_with_minimal_quoting_load_the_same() {
    let Some(shared) = shared::shared_lists("ofac") else {
        return;
    };
    // Each release whose primary file is there, with the companions beside it.
    let sets: [(&str, &[&str]); 3] = [
        ("sdn_csv_2021-07-07", &SDN_SET),
        ("sdn_csv_2024-05-03", &SDN_SET[..1]),
        ("cons_csv_2025-12-19", &CONS_SET),
    ];
    for (dir, set) in sets {
        let from = shared.join(dir);
        let tmp = tempfile::tempdir().unwrap();
        resave(&from, tmp.path(), set);
        let published = lists::load_paths(std::slice::from_ref(&from)).unwrap();
        let resaved = lists::load_paths(&[tmp.path().to_path_buf()]).unwrap();
        assert!(!published.entities.is_empty(), "{dir}");
        // Minimal quoting drops most of OFAC's quotes.
        assert!(
            read(&tmp.path().join(set[0])).len() < read(&from.join(set[0])).len(),
            "{dir}: the re-save quotes as OFAC does"
        );
        assert_same_entities(&published.entities, &resaved.entities, false);
        assert_eq!(
            published.files.len(),
            resaved.files.len(),
            "{dir}: files loaded"
        );
    }
}
