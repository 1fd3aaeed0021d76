//! Every supported list format: a name on the list is found under that list,
//! the real published file's counts equal MANIFEST.md's (when
//! `../shared/lists` is present), and broken copies give an error or a
//! warning naming the file and line, never a panic or a silent loss.

use sanctions::index::IndexBuilder;
use sanctions::lists::{Catalog, load_paths};
use sanctions::matcher::Matcher;
use std::path::{Path, PathBuf};

use crate::shared;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// (fixture, format label, list name contains, a listed name to screen, expected entity id)
const FIXTURES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "un/consolidated.xml",
        "un-xml",
        "UN Security Council",
        "Ayman al-Zawahiri",
        "un:QDi.006",
    ),
    (
        "uk/conlist.csv",
        "uk-hmt-csv",
        "UK HM Treasury",
        "Bank Melli Iran",
        "uk-hmt:11000",
    ),
    (
        "eu/fsf.xml",
        "eu-fsf-xml",
        "EU Financial Sanctions",
        "JSC Sukhoi Civil Aircraft",
        "eu:140310",
    ),
    (
        "canada/sema.xml",
        "canada-sema-xml",
        "Canada",
        "Oleg Deripaska",
        "ca-sema:Russia/1,Part1/101",
    ),
    (
        "bis/dpl.txt",
        "bis-dpl-txt",
        "Denied Persons",
        "Mahan Airways",
        "",
    ),
    (
        "opensanctions/targets.simple.csv",
        "opensanctions-csv",
        "OpenSanctions",
        "PAO Sovcomflot",
        "os:NK-example-1",
    ),
    (
        "opensanctions/entities.ftm.json",
        "ftm-json",
        "OpenSanctions",
        "Mohammed bin Salman Al-Saud",
        "os:Q1",
    ),
    ("dod/sanctions.csv", "dod-1260h-csv", "1260H", "CATL", ""),
    (
        "user/blocklist.csv",
        "user-csv",
        "Internal blocklist",
        "ACME Strategic Trading",
        "user:INT-001",
    ),
    (
        "csl/consolidated.json",
        "csl-json",
        "trade.gov CSL",
        "Example Photonics Research Institute",
        "csl:7d9a3f0c1b2e4a5d8c6b9e0f1a2b3c4d",
    ),
    (
        "csl/consolidated.csv",
        "csl-csv",
        "trade.gov CSL",
        "SenseTime Group Ltd",
        "csl:33114",
    ),
    (
        "../lists/sdn.csv",
        "ofac-csv",
        "OFAC SDN",
        "Banco Nacional de Cuba",
        "ofac-sdn:306",
    ),
    (
        "../lists/cons_prim.csv",
        "ofac-csv",
        "NS-CMIC",
        "SenseTime Group Ltd",
        "ofac-cons:33114",
    ),
    (
        "ofac/sdn.xml",
        "ofac-xml",
        "OFAC SDN",
        "Nicolas Maduro Moros",
        "ofac-sdn:22246",
    ),
];

fn screen(catalog: Catalog, query: &str) -> Vec<(String, String)> {
    let mut b = IndexBuilder::new();
    b.extend(catalog.entities);
    let index = b.build();
    Matcher::new(&index, sanctions::matcher::DEFAULT_THRESHOLD, 5)
        .search(query)
        .iter()
        .map(|m| {
            let e = &index.entities[m.entity as usize];
            (e.id.clone(), e.list.to_string())
        })
        .collect()
}

#[test]
fn each_format_finds_a_listed_name_under_its_list() {
    for &(fixture, format, list, query, id) in FIXTURES {
        let path = root().join("data/samples").join(fixture);
        let c = load_paths(&[path]).unwrap_or_else(|e| panic!("{fixture}: {e:#}"));
        assert_eq!(c.files[0].format, format, "{fixture}");
        let hits = screen(c, query);
        assert!(
            hits.iter()
                .any(|(hid, hl)| hl.contains(list) && (id.is_empty() || hid == id)),
            "{fixture}: {query:?} not found under {list:?} ({id}): {hits:?}"
        );
    }
}

/// Real published files: (path under ../shared/lists, format, records, entities).
const REAL: &[(&str, &str, usize, usize)] = &[
    ("un/2026-02-27/consolidated.xml", "un-xml", 1_003, 1_003),
    (
        "uk_hmt/2014-04-02/sanctionsconlist.csv",
        "uk-hmt-csv",
        8_950,
        2_297,
    ),
    (
        "canada_sema/2025-05-25/sema.xml",
        "canada-sema-xml",
        4_759,
        4_759,
    ),
    // 546 distinct names as published, 545 parties: "VIRGIL GRIFFITH " and
    // "VIRGIL GRIFFITH" are one person.
    ("bis_dpl/dpl_2023-11-30/dpl.txt", "bis-dpl-txt", 665, 545),
    (
        "opensanctions/ua_war_sanctions/targets.simple.csv",
        "opensanctions-csv",
        5_600,
        5_600,
    ),
    // 1,565 entities, of which 607 are persons; families, occupancies and
    // positions are not parties and are reported as not loaded.
    (
        "opensanctions/zavod_format_sample_sa_wiki_peps_v2/entities.ftm.json",
        "ftm-json",
        1_565,
        607,
    ),
    // 397 rows, one per company per DoD tranche: 234 companies.
    (
        "dod_1260h/opensanctions_transcription/sanctions.csv",
        "dod-1260h-csv",
        397,
        234,
    ),
];

#[test]
fn real_files_load_with_manifest_counts_and_find_their_own_names() {
    let Some(base) = shared::shared_lists("") else {
        return;
    };
    for &(rel, format, records, entities) in REAL {
        let c = load_paths(&[base.join(rel)]).unwrap_or_else(|e| panic!("{rel}: {e:#}"));
        let f = &c.files[0];
        assert_eq!(
            (f.format.as_str(), f.records, f.entities),
            (format, records, entities),
            "{rel}"
        );
        // A name taken from the file itself is found under that list.
        let probe = &c.entities[c.entities.len() / 2];
        let (id, list, name) = (
            probe.id.clone(),
            probe.list.to_string(),
            probe.primary_name().to_string(),
        );
        let hits = screen(c, &name);
        assert!(
            hits.iter().any(|(h, l)| *h == id && *l == list),
            "{rel}: {name:?} ({id}) not found: {hits:?}"
        );
    }
    let dpl = load_paths(&[base.join("bis_dpl/dpl_2023-11-30/dpl.txt")]).unwrap();
    assert!(
        dpl.warnings
            .iter()
            .any(|w| w.message.contains("3033-09-30")),
        "{:?}",
        dpl.warnings
    );
    let un = load_paths(&[base.join("un/2026-02-27/consolidated.xml")]).unwrap();
    assert_eq!(un.files[0].published.as_deref(), Some("2026-02-27"));
    let uk = load_paths(&[base.join("uk_hmt/2014-04-02/sanctionsconlist.csv")]).unwrap();
    assert_eq!(uk.files[0].published.as_deref(), Some("2014-04-02"));
}

/// Broken copies of a fixture.
fn broken_copies(name: &str, bytes: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    let text = String::from_utf8_lossy(bytes);
    // Cut inside a line (a cut at a line boundary is tested separately).
    let mut cut = bytes.len() * 6 / 10;
    while cut < bytes.len() && (bytes[cut - 1] == b'\n' || bytes[cut] == b'\n') {
        cut += 1;
    }
    let mut out = vec![
        ("truncated", bytes[..cut].to_vec()),
        ("utf-16", {
            let mut v = vec![0xFF, 0xFE];
            for u in text.encode_utf16() {
                v.extend_from_slice(&u.to_le_bytes());
            }
            v
        }),
        ("invalid bytes", {
            let mut v = bytes.to_vec();
            let mid = v.len() / 2;
            v.splice(mid..mid, [0xFF, 0xFE, 0x00, 0xC3]);
            v
        }),
    ];
    // A required element or column removed.
    let missing = if name.ends_with(".xml") {
        let (from, to) = if text.contains("<CONSOLIDATED_LIST") {
            ("REFERENCE_NUMBER>", "REFERENCE_NUMBR>")
        } else if text.contains("<Designations") {
            ("<UniqueID>", "<UniqueId>")
        } else if text.contains("<data-set") {
            ("<Country>", "<Pays>")
        } else if text.contains("<sdnList") {
            ("<uid>", "<id_>")
        } else {
            ("logicalId=", "logicalID=")
        };
        text.replacen(from, to, usize::MAX).replacen(
            &from.replace('<', "</"),
            &to.replace('<', "</"),
            usize::MAX,
        )
    } else if name.ends_with(".json") {
        text.replace("\"name\"", "\"nom\"")
    } else if text.starts_with("Last Updated") {
        text.replacen("Group ID", "Group", 1)
    } else if text.starts_with("\"Name\"") {
        text.replacen("\"Name\"", "\"Nom\"", 1)
    } else {
        text.replacen("name", "nom", 1).replacen("Name", "Nom", 1)
    };
    out.push(("required field renamed", missing.into_bytes()));
    // A file cut exactly at a line boundary is detectable only in formats
    // with an end marker (XML's closing root, JSON's closing bracket); a
    // line-based file cut there reads as a shorter list (README: Limitations).
    if name.ends_with(".xml") || name == "consolidated.json" {
        let nl = bytes[..bytes.len() - 1]
            .iter()
            .rposition(|b| *b == b'\n')
            .unwrap_or(0);
        out.push(("cut at a line boundary", bytes[..nl + 1].to_vec()));
    }
    // Cut inside a multi-byte character when there is one.
    if let Some(i) = bytes.iter().rposition(|b| *b >= 0xC0) {
        out.push(("cut mid-character", bytes[..i + 1].to_vec()));
    }
    out
}

#[test]
fn broken_copies_give_located_errors_or_warnings_never_silence() {
    let dir = tempfile::tempdir().unwrap();
    for &(fixture, ..) in FIXTURES {
        let original = std::fs::read(root().join("data/samples").join(fixture)).unwrap();
        let file_name = Path::new(fixture).file_name().unwrap().to_str().unwrap();
        let whole = load_paths(&[root().join("data/samples").join(fixture)]).unwrap();
        for (what, bytes) in broken_copies(file_name, &original) {
            let path = dir.path().join(file_name);
            std::fs::write(&path, &bytes).unwrap();
            let shown = path.display().to_string();
            match load_paths(std::slice::from_ref(&path)) {
                Err(e) => {
                    let msg = format!("{e:#}");
                    let rest = msg
                        .strip_prefix(&shown)
                        .unwrap_or_else(|| panic!("{fixture} {what}: {msg}"));
                    assert!(
                        rest.starts_with(':')
                            && rest[1..].chars().next().is_some_and(|c| c.is_ascii_digit()),
                        "{fixture} {what}: no line in {msg}"
                    );
                }
                Ok(c) => {
                    // Loaded: whatever was lost is reported with the file named.
                    let lost = c.entities.len() < whole.entities.len();
                    let reported = c.warnings.iter().any(|w| w.location.starts_with(&shown));
                    assert!(
                        !lost || reported,
                        "{fixture} {what}: {} of {} entities, no warning: {:?}",
                        c.entities.len(),
                        whole.entities.len(),
                        c.warnings
                    );
                }
            }
        }
    }
}
