//! Loaders through the public API: the bundled sample, the fixtures under
//! `data/samples`, and the real published files in `../shared/lists` (whose
//! counts are stated in its MANIFEST.md; skipped when the folder is absent).

use sanctions::lists::{Catalog, load_bundled, load_paths};
use sanctions::model::{EntityType, NameKind};
use std::path::PathBuf;

use crate::shared;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shared(rel: &str) -> Option<PathBuf> {
    shared::shared_lists(rel)
}

fn file<'a>(c: &'a Catalog, suffix: &str) -> &'a sanctions::lists::ListFile {
    c.files
        .iter()
        .find(|f| f.path.ends_with(suffix))
        .unwrap_or_else(|| panic!("{suffix} not loaded: {:?}", c.files))
}

#[test]
fn bundled_sample_loads_cleanly() {
    let c = load_bundled().unwrap();
    assert!(c.bundled);
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    assert!(c.skipped.is_empty());
    assert_eq!(c.entities.len(), 48);
    let sensetime = c
        .entities
        .iter()
        .find(|e| e.id == "ofac-cons:33114")
        .unwrap();
    assert!(sensetime.list.contains("NS-CMIC"));
    assert!(sensetime.names.iter().any(|n| n.kind == NameKind::Weak));
    // The long remark is re-joined with its overflow in sdn_comments.csv.
    let soleimani = c
        .entities
        .iter()
        .find(|e| e.id == "ofac-sdn:20405")
        .unwrap();
    assert!(soleimani.remarks.as_ref().unwrap().len() > 1000);
}

#[test]
fn csl_json_fixture_equals_its_csv_twin() {
    let json = load_paths(&[root().join("data/samples/csl/consolidated.json")]).unwrap();
    let csv = load_paths(&[root().join("data/samples/csl/consolidated.csv")]).unwrap();
    assert_eq!(json.files[0].format, "csl-json");
    assert_eq!(csv.files[0].format, "csl-csv");
    assert!(json.warnings.is_empty() && csv.warnings.is_empty());
    assert_eq!(json.entities.len(), 5);
    assert_eq!(json.entities.len(), csv.entities.len());
    for (a, b) in json.entities.iter().zip(&csv.entities) {
        assert_eq!(a.id, b.id);
        assert_eq!(a.list, b.list);
        assert_eq!(a.entity_type, b.entity_type);
        assert_eq!(a.names, b.names);
        assert_eq!(a.programs, b.programs);
        assert_eq!(a.addresses, b.addresses);
        assert_eq!(a.countries, b.countries);
        assert_eq!(a.identifiers, b.identifiers);
        assert_eq!(a.ofac_uid, b.ofac_uid);
        // One record per line after the opening line in the JSON; after the header in the CSV.
        assert_eq!(a.source.line, b.source.line);
    }
    let vessel = json.entities.iter().find(|e| e.id == "csl:27283").unwrap();
    assert_eq!(vessel.entity_type, EntityType::Vessel);
}

#[test]
fn ofac_xml_fixture_of_the_older_namespace() {
    let c = load_paths(&[root().join("data/samples/ofac/sdn.xml")]).unwrap();
    let f = &c.files[0];
    assert_eq!(
        (f.format.as_str(), f.records, f.entities),
        ("ofac-xml", 3, 3)
    );
    assert_eq!(f.published.as_deref(), Some("2019-12-31"));
    assert_eq!(c.entities[1].names[0].text, "MADURO MOROS, Nicolas");
    assert_eq!(c.entities[1].identifiers[0].value, "5892464");
    assert_eq!(c.entities[2].entity_type, EntityType::Vessel);
}

#[test]
fn a_companion_without_its_primary_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("alt.csv"),
        "36,219,\"aka\",\"AERO-CARIBBEAN\",-0- \r\n\x1a",
    )
    .unwrap();
    // Beside another list: a warning, and the orphan is skipped.
    let csl = root().join("data/samples/csl/consolidated.csv");
    let c = load_paths(&[dir.path().to_path_buf(), csl]).unwrap();
    assert_eq!(c.entities.len(), 5);
    assert!(c.warnings[0].message.contains("orphan"), "{:?}", c.warnings);
    assert!(c.skipped[0].path.ends_with("alt.csv"));
    // Alone, it loads nothing: an error naming the directory and the orphan,
    // not an empty list that would clear every name.
    let e = format!("{:#}", load_paths(&[dir.path().to_path_buf()]).unwrap_err());
    assert!(e.contains("loaded no entries"), "{e}");
    assert!(e.contains("alt.csv: orphan"), "{e}");
}

#[test]
fn real_ofac_sdn_csv_sets() {
    if let Some(dir) = shared("ofac/sdn_csv_2024-05-03") {
        let c = load_paths(&[dir]).unwrap();
        let f = file(&c, "sdn.csv");
        assert_eq!((f.records, f.entities), (14_965, 14_965));
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        let types = |t| c.entities.iter().filter(|e| e.entity_type == t).count();
        assert_eq!(types(EntityType::Person), 6_854);
        assert_eq!(types(EntityType::Vessel), 851);
        assert_eq!(types(EntityType::Aircraft), 376);
        assert_eq!(types(EntityType::Organization), 6_884);
    }
    if let Some(dir) = shared("ofac/sdn_csv_2021-07-07") {
        let c = load_paths(&[dir]).unwrap();
        assert_eq!(file(&c, "/sdn.csv").entities, 8_976);
        assert_eq!(file(&c, "/alt.csv").records, 11_910);
        assert_eq!(file(&c, "/add.csv").records, 13_837);
        assert_eq!(file(&c, "/sdn_comments.csv").records, 5);
        assert!(
            c.warnings.is_empty(),
            "no orphans in a coherent release: {:?}",
            c.warnings
        );
        let aliases: usize = c
            .entities
            .iter()
            .map(|e| {
                e.names
                    .iter()
                    .filter(|n| matches!(n.kind, NameKind::Strong | NameKind::Former))
                    .count()
            })
            .sum();
        assert_eq!(aliases, 11_910);
        let long = c
            .entities
            .iter()
            .filter(|e| e.remarks.as_ref().is_some_and(|r| r.len() > 1000))
            .count();
        assert_eq!(
            long, 5,
            "the five cut remarks are re-joined with their overflow"
        );
    }
    if let Some(dir) = shared("ofac/sdn_csv_2025-12-24") {
        // Companions without their sdn.csv load nothing: an error naming
        // the three orphans (a warning only beside a list that loads).
        let e = format!("{:#}", load_paths(&[dir]).unwrap_err());
        assert!(e.contains("loaded no entries"), "{e}");
        for f in [
            "add.csv: orphan",
            "alt.csv: orphan",
            "sdn_comments.csv: orphan",
        ] {
            assert!(e.contains(f), "{f}: {e}");
        }
    }
}

#[test]
fn real_ofac_non_sdn_csv_and_xml() {
    if let Some(dir) = shared("ofac/cons_csv_2025-12-19") {
        let c = load_paths(&[dir]).unwrap();
        assert_eq!(file(&c, "cons_prim.csv").entities, 442);
        assert_eq!(file(&c, "cons_alt.csv").records, 1_073);
        assert_eq!(file(&c, "cons_add.csv").records, 574);
        assert_eq!(file(&c, "cons_comments.csv").records, 10);
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        let cmic: Vec<_> = c
            .entities
            .iter()
            .filter(|e| e.programs.iter().any(|p| p == "CMIC-EO13959"))
            .collect();
        assert_eq!(cmic.len(), 68);
        assert!(cmic.iter().all(|e| e.list.contains("NS-CMIC")));
        assert!(
            cmic.iter()
                .any(|e| e.identifiers.iter().any(|i| i.kind == "ISIN"))
        );
    }
    if let Some(dir) = shared("ofac/cons_xml_2025-03-28") {
        let c = load_paths(&[dir]).unwrap();
        let f = file(&c, "consolidated.xml");
        assert_eq!((f.records, f.entities), (443, 443));
        assert_eq!(f.published.as_deref(), Some("2025-03-28"));
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        let cmic = c
            .entities
            .iter()
            .filter(|e| e.programs.iter().any(|p| p == "CMIC-EO13959"))
            .count();
        assert_eq!(cmic, 68);
        let aka = |k| {
            c.entities
                .iter()
                .flat_map(|e| &e.names)
                .filter(|n| n.kind == k)
                .count()
        };
        // MANIFEST: 1,136 aka elements; 144 f.k.a. (3 of them weak) and 70 weak.
        // A weak f.k.a. is loaded as weak: weakness is what limits its matching.
        assert_eq!(
            aka(NameKind::Strong) + aka(NameKind::Former) + aka(NameKind::Weak),
            1_136
        );
        assert_eq!(aka(NameKind::Strong), 925);
        assert_eq!(aka(NameKind::Former), 141);
        assert_eq!(aka(NameKind::Weak), 70);
    }
}

#[test]
fn real_csl_samples() {
    if let Some(p) = shared("trade_gov_csl/sample_2023-11-30/csl.csv") {
        let c = load_paths(&[p]).unwrap();
        assert_eq!(c.entities.len(), 4_226);
        let count = |src: &str| c.entities.iter().filter(|e| e.list.ends_with(src)).count();
        for (src, n) in [
            (
                "Specially Designated Nationals (SDN) - Treasury Department",
                1_737,
            ),
            ("Entity List (EL) - Bureau of Industry and Security", 919),
            (
                "Denied Persons List (DPL) - Bureau of Industry and Security",
                577,
            ),
            (
                "Sectoral Sanctions Identifications List (SSI) - Treasury Department",
                288,
            ),
            (
                "Unverified List (UVL) - Bureau of Industry and Security",
                186,
            ),
            ("Nonproliferation Sanctions (ISN) - State Department", 144),
            ("ITAR Debarred (DTC) - State Department", 142),
            (
                "Palestinian Legislative Council List (PLC) - Treasury Department",
                78,
            ),
            (
                "Military End User (MEU) List - Bureau of Industry and Security",
                71,
            ),
            (
                "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department",
                68,
            ),
            (
                "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department",
                14,
            ),
            ("Foreign Sanctions Evaders (FSE) - Treasury Department", 1),
            ("Capta List (CAP) - Treasury Department", 1),
        ] {
            assert_eq!(count(src), n, "{src}");
        }
        let locs: Vec<String> = c.warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(locs.len(), 2, "{locs:?}");
        assert!(
            locs[0].ends_with("csl.csv:2: repeated header row skipped"),
            "{locs:?}"
        );
        assert!(
            locs[1].ends_with("csl.csv:4233: truncated record (8 of 29 fields): skipped"),
            "{locs:?}"
        );
    }
    if let Some(p) = shared("trade_gov_csl/sample_2019-12-03/csl.csv") {
        let c = load_paths(&[p]).unwrap();
        assert_eq!(c.entities.len(), 115);
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        let el = c
            .entities
            .iter()
            .filter(|e| e.list.contains("Entity List (EL)"))
            .count();
        assert_eq!(el, 22);
    }
}

#[test]
fn real_lists_directory_recognizes_every_list_file() {
    let Some(dir) = shared("") else { return };
    let c = load_paths(&[dir]).unwrap();
    let loaded: Vec<&str> = c.files.iter().map(|f| f.path.as_str()).collect();
    for suffix in [
        "ofac/sdn_csv_2024-05-03/sdn.csv",
        "ofac/sdn_csv_2021-07-07/sdn.csv",
        "ofac/sdn_csv_2021-07-07/alt.csv",
        "ofac/sdn_csv_2021-07-07/add.csv",
        "ofac/sdn_csv_2021-07-07/sdn_comments.csv",
        "ofac/cons_csv_2025-12-19/cons_prim.csv",
        "ofac/cons_csv_2025-12-19/cons_alt.csv",
        "ofac/cons_csv_2025-12-19/cons_add.csv",
        "ofac/cons_csv_2025-12-19/cons_comments.csv",
        "ofac/cons_xml_2025-03-28/consolidated.xml",
        "trade_gov_csl/sample_2023-11-30/csl.csv",
        "trade_gov_csl/sample_2019-12-03/csl.csv",
    ] {
        assert!(
            loaded.iter().any(|p| p.ends_with(suffix)),
            "{suffix} not loaded"
        );
    }
    // Everything else is skipped with a reason, never silently.
    for s in &c.skipped {
        assert!(!s.reason.is_empty());
    }
    // Every list file is recognized: only the manifest, OFAC's specification
    // text and the orphan companions of the 2025-12-24 release are skipped.
    let mut skipped: Vec<&str> = c
        .skipped
        .iter()
        .map(|s| s.path.rsplit("lists/").next().unwrap())
        .collect();
    skipped.sort();
    assert_eq!(
        skipped,
        [
            "MANIFEST.md",
            "ofac/sdn_csv_2025-12-24/add.csv",
            "ofac/sdn_csv_2025-12-24/alt.csv",
            "ofac/sdn_csv_2025-12-24/sdn_comments.csv",
            "ofac/spec/cons_dat_spec.txt",
        ]
    );
    assert_eq!(c.files.len(), 19);
}

#[test]
fn a_missing_real_list_is_skipped_unless_required() {
    assert_eq!(shared::shared_lists_if("no-such-list.csv", false), None);
    let required = std::panic::catch_unwind(|| shared::shared_lists_if("no-such-list.csv", true));
    assert!(
        required.is_err(),
        "a required list that is missing must fail the test"
    );
}
