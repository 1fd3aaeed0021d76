//! Fuzzing's findings as regression tests, run by every `cargo test` (no
//! fuzzer needed).
//!
//! Every file under `tests/fuzz_regressions/<target>/` is an input that once
//! made the `cargo fuzz` target `<target>` (see `fuzz/`) panic, hang or
//! allocate without bound; each is fed through the same function as the
//! target (`tests/fuzz_harness/mod.rs`), which panics if the crate panics or
//! if an error or warning does not name the file it is about. A proptest then
//! feeds arbitrary bytes to the sniffer, to every loader under its published
//! file name, and to the input reader.

use crate::fuzz_harness;

use fuzz_harness::{FILE_SEPARATOR, TARGETS};
use proptest::prelude::*;

use crate::common;
use sanctions::input::InputReader;
use sanctions::lists::ofac_csv::Role;
use sanctions::lists::{Format, load_bytes, sniff};
use std::path::Path;
use std::time::{Duration, Instant};

/// Each saved input, through its target, within a few seconds.
#[test]
fn saved_crashers_do_not_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut ran = 0;
    for (target, run) in TARGETS {
        let dir = root.join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        files.sort();
        for file in files {
            let bytes = std::fs::read(&file).unwrap();
            let start = Instant::now();
            let outcome = std::panic::catch_unwind(|| run(&bytes));
            assert!(outcome.is_ok(), "{target}: {} panicked", file.display());
            // Debug builds are slow; a hang was minutes.
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "{target}: {} took {:?}",
                file.display(),
                start.elapsed()
            );
            ran += 1;
        }
    }
    // Every directory there is a target's.
    for entry in std::fs::read_dir(&root).unwrap() {
        let name = entry.unwrap().file_name();
        let name = name.to_str().unwrap();
        assert!(
            TARGETS.iter().any(|(t, _)| *t == name),
            "tests/fuzz_regressions/{name} is not a fuzz target"
        );
    }
    assert!(ran > 0, "no saved crasher found under {}", root.display());
}

/// The seed files go through their targets, so the harness itself works.
#[test]
fn seeds_go_through_their_targets() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |p: &str| std::fs::read(root.join(p)).unwrap();
    let mut ofac = read("data/lists/sdn.csv");
    for companion in ["alt.csv", "add.csv", "sdn_comments.csv"] {
        ofac.extend_from_slice(FILE_SEPARATOR);
        ofac.extend_from_slice(&read(&format!("data/lists/{companion}")));
    }
    let seeds: &[(&str, Vec<u8>)] = &[
        ("ofac_csv", ofac),
        ("ofac_xml", read("data/samples/ofac/sdn.xml")),
        ("csl_csv", read("data/samples/csl/consolidated.csv")),
        ("csl_json", read("data/samples/csl/consolidated.json")),
        ("un_xml", read("data/samples/un/consolidated.xml")),
        ("uk_hmt", read("data/samples/uk/conlist.csv")),
        ("uk_fcdo", read("data/samples/uk/UK_Sanctions_List.xml")),
        ("eu_xml", read("data/samples/eu/fsf.xml")),
        ("canada_xml", read("data/samples/canada/sema.xml")),
        ("bis_dpl", read("data/samples/bis/dpl.txt")),
        (
            "opensanctions_csv",
            read("data/samples/opensanctions/targets.simple.csv"),
        ),
        (
            "ftm_json",
            read("data/samples/opensanctions/entities.ftm.json"),
        ),
        ("dod_1260h", read("data/samples/dod/sanctions.csv")),
        ("user_csv", read("data/samples/user/blocklist.csv")),
        ("input", read("data/examples/names.csv")),
    ];
    assert_eq!(seeds.len(), TARGETS.len());
    for ((target, run), (seed_target, bytes)) in TARGETS.iter().zip(seeds) {
        assert_eq!(target, seed_target);
        run(bytes);
    }
}

/// The workbook the input target builds around a sheet reads as one.
#[test]
fn the_input_targets_workbook_is_read() {
    let sheet = br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>Huawei</t></is></c></row></sheetData></worksheet>"#;
    let strings = br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>name</t></si></sst>"#;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.xlsx");
    std::fs::write(&path, fuzz_harness::xlsx(sheet, strings)).unwrap();
    let rows: Vec<_> = sanctions::input::open(path.to_str().unwrap(), "name")
        .unwrap()
        .collect::<anyhow::Result<_>>()
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].as_ref().unwrap().name, "Huawei");
}

/// The file names a directory of lists holds, one per format.
const LIST_NAMES: &[&str] = &[
    "sdn.csv",
    "alt.csv",
    "add.csv",
    "sdn_comments.csv",
    "cons_prim.csv",
    "sdn.xml",
    "consolidated.csv",
    "consolidated.json",
    "consolidated.xml",
    "ConList.csv",
    "UK_Sanctions_List.xml",
    "fsf.xml",
    "sema.xml",
    "dpl.txt",
    "targets.simple.csv",
    "entities.ftm.json",
    "1260h.csv",
    "blocklist.csv",
];

/// A start and an end that make the sniffer pick each loader, so that the
/// arbitrary bytes put between them reach it.
const WRAPPERS: &[(&[u8], &[u8], Option<Format>)] = &[
    (b"", b"", None),
    (
        b"36,\"X\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"",
        b"\"\r\n\x1a",
        Some(Format::OfacCsv(Role::Primary)),
    ),
    (
        b"36,12,\"aka\",-0- ,\"",
        b"\"\r\n",
        Some(Format::OfacCsv(Role::Alt)),
    ),
    (
        b"36,25,-0- ,-0- ,-0- ,\"",
        b"\"\r\n",
        Some(Format::OfacCsv(Role::Address)),
    ),
    (b"36,\"", b"\"\r\n", Some(Format::OfacCsv(Role::Comments))),
    (b"<sdnList>", b"", Some(Format::OfacXml)),
    (b"<CONSOLIDATED_LIST>", b"", Some(Format::UnXml)),
    (b"<Designations>", b"", Some(Format::UkFcdoXml)),
    (b"<export>", b"", Some(Format::EuXml)),
    (b"<data-set>", b"", Some(Format::CanadaXml)),
    (b"source,name,alt_names\n", b"", Some(Format::CslCsv)),
    (
        b"{\"results\": [{\"source\": \"s\", \"name\": \"",
        b"\"}]}",
        Some(Format::CslJson),
    ),
    (
        b"{\"schema\": \"Person\", \"properties\": {}}\n",
        b"",
        Some(Format::FtmJson),
    ),
    (
        b"Last Updated,01/01/2026\nName 6,Name 1,Group Type,Alias Type,Group ID\n",
        b"",
        Some(Format::UkHmtCsv),
    ),
    (b"name\tstreet_address\n", b"", Some(Format::BisDplTxt)),
    (
        b"id,schema,name,aliases\n",
        b"",
        Some(Format::OpenSanctionsCsv),
    ),
    (b"name,clean name,alias\n", b"", Some(Format::Dod1260hCsv)),
    (b"name,aliases,list\n", b"", Some(Format::UserCsv)),
];

fn config() -> ProptestConfig {
    let mut config = common::proptest_config(300);
    // Saved failures go in a file of their own beside this one.
    config.failure_persistence = Some(Box::new(
        proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
    ));
    config
}

/// Bytes that are mostly list-like text: fragments of the formats' syntax
/// and arbitrary bytes.
fn list_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..8),
        Just(b",".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\t".to_vec()),
        Just(b"-0- ".to_vec()),
        Just(b"\x1a".to_vec()),
        Just(b"a.k.a. '".to_vec()),
        Just(b"<".to_vec()),
        Just(b">".to_vec()),
        Just(b"</".to_vec()),
        Just(b"&#".to_vec()),
        Just(b"{".to_vec()),
        Just(b"}".to_vec()),
        Just(b"[".to_vec()),
        Just(b"]".to_vec()),
        Just(b"\"name\":".to_vec()),
        Just("é".as_bytes().to_vec()),
        Just(b"\xef\xbb\xbf".to_vec()),
        "[A-Za-z0-9 ;:]{0,12}".prop_map(String::into_bytes),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn prop_sniff_and_load_bytes_never_panic(
        wrapper in 0..WRAPPERS.len(),
        name in 0..LIST_NAMES.len(),
        body in list_bytes(),
    ) {
        let (start, end, _) = WRAPPERS[wrapper];
        let bytes = [start, &body, end].concat();
        let _ = sniff(&bytes);
        let name = LIST_NAMES[name];
        match load_bytes(&[(name, &bytes)]) {
            Ok(c) => {
                for w in &c.warnings {
                    prop_assert!(w.location.starts_with(name), "{}", w);
                }
            }
            Err(e) => {
                let msg = format!("{e:#}");
                prop_assert!(msg.starts_with(name), "{}", msg);
            }
        }
    }

    #[test]
    fn prop_every_target_takes_arbitrary_bytes(
        target in 0..TARGETS.len(),
        bytes in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        (TARGETS[target].1)(&bytes);
    }

    #[test]
    fn prop_ofac_sets_never_panic(
        primary in list_bytes(),
        alt in list_bytes(),
        comments in list_bytes(),
    ) {
        let p = [b"36,\"".as_slice(), &primary].concat();
        let a = [b"36,12,\"aka\",\"".as_slice(), &alt].concat();
        let c = [b"36,\"".as_slice(), &comments].concat();
        let _ = load_bytes(&[("sdn.csv", &p), ("alt.csv", &a), ("sdn_comments.csv", &c)]);
    }

    #[test]
    fn prop_input_reader_reads_every_row(
        header in prop_oneof![
            Just(&b"name\n"[..]),
            Just(&b"id,name,country\n"[..]),
            Just(&b"id;name\r\n"[..]),
            Just(&b"\xef\xbb\xbfname\tisin\n"[..]),
            Just(&b""[..]),
        ],
        body in list_bytes(),
    ) {
        let bytes = [header, &body].concat();
        match InputReader::new("in.csv", bytes.as_slice(), "name") {
            Ok(reader) => {
                let mut n = 0;
                for row in reader {
                    n += 1;
                    prop_assert!(n <= bytes.len() + 2, "more rows than bytes");
                    match row {
                        Ok(Ok(q)) => prop_assert!(!q.name.trim().is_empty()),
                        Ok(Err(e)) => prop_assert!(e.message.starts_with("in.csv:"), "{}", e.message),
                        Err(e) => {
                            let msg = format!("{e:#}");
                            prop_assert!(msg.starts_with("in.csv"), "{}", msg);
                            break;
                        }
                    }
                }
            }
            Err(e) => {
                let msg = format!("{e:#}");
                prop_assert!(msg.starts_with("in.csv"), "{}", msg);
            }
        }
    }
}

/// The wrappers above do what they say.
#[test]
fn wrappers_pick_their_loaders() {
    for (start, end, format) in WRAPPERS {
        let bytes = [start, &b"X"[..], end].concat();
        assert_eq!(
            sniff(&bytes),
            *format,
            "{:?}",
            String::from_utf8_lossy(&bytes)
        );
    }
}

/// Files whose one record holds `n` values (aliases, countries, programs,
/// rows of one group, records of one id) in every format: a search of the
/// values kept before each push made loading them quadratic, minutes for a
/// few megabytes.
fn many_value_files(n: usize) -> Vec<(&'static str, String)> {
    let many = |f: &dyn Fn(usize) -> String, sep: &str| (0..n).map(f).collect::<Vec<_>>().join(sep);
    let hmt_header = "Last Updated,01/11/2026\nName 6,Name 1,Nationality,Passport Details,Address 1,Country,Group Type,Alias Type,Regime,Group ID\n";
    vec![
        (
            "sdn.csv",
            format!(
                "36,\"X\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"{}; n.k.a. 'Y'\"\r\n\x1a",
                many(&|i| format!("a.k.a. 'A{i}'; Passport P{i}"), "; ")
            ),
        ),
        (
            "sdn.xml",
            format!(
                "<sdnList><sdnEntry><uid>1</uid><lastName>X</lastName><akaList>{}</akaList><programList>{}</programList><remarks>{}</remarks></sdnEntry></sdnList>\n",
                many(&|i| format!("<aka><lastName>N{i}</lastName></aka>"), ""),
                many(&|i| format!("<program>P{i}</program>"), ""),
                many(&|i| format!("a.k.a. 'N{i}'; ISIN I{i}"), "; "),
            ),
        ),
        (
            "consolidated.csv",
            format!(
                "source,name,alt_names,citizenships\nS,N,\"{}\",\"{}\"\n",
                many(&|i| format!("A{i}"), "; "),
                many(&|i| format!("C{i}"), "; ")
            ),
        ),
        (
            "consolidated.json",
            format!(
                "{{\"results\": [{}]}}",
                many(
                    &|i| format!("{{\"source\": \"s\", \"name\": \"N{i}\"}}"),
                    ", "
                )
            ),
        ),
        (
            "consolidated.xml",
            format!(
                "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME>{}</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>\n",
                many(
                    &|i| format!(
                        "<INDIVIDUAL_ALIAS><ALIAS_NAME>N{i}</ALIAS_NAME></INDIVIDUAL_ALIAS><NATIONALITY><VALUE>C{i}</VALUE></NATIONALITY>"
                    ),
                    ""
                )
            ),
        ),
        (
            "ConList.csv",
            format!(
                "{hmt_header}{}\n",
                many(
                    &|i| format!("N{i},,X{i},P{i},A{i},C{i},Entity,Prime Alias,R{i},1"),
                    "\n"
                )
            ),
        ),
        (
            "UK_Sanctions_List.xml",
            format!(
                "<Designations><Designation><UniqueID>1</UniqueID>{}{}</Designation></Designations>\n",
                many(
                    &|i| format!(
                        "<Name><Name6>N{i}</Name6><NameType>Primary Name</NameType></Name>"
                    ),
                    ""
                ),
                many(&|i| format!("<Nationality>C{i}</Nationality>"), "")
            ),
        ),
        (
            "fsf.xml",
            format!(
                "<export><sanctionEntity logicalId=\"1\">{}</sanctionEntity></export>\n",
                many(
                    &|i| format!(
                        "<nameAlias wholeName=\"N{i}\"/><citizenship countryIso2Code=\"C{i}\"/><regulation programme=\"P{i}\"/>"
                    ),
                    ""
                )
            ),
        ),
        (
            "sema.xml",
            format!(
                "<data-set>{}</data-set>\n",
                many(
                    &|i| format!(
                        "<record><EntityOrShip>E{i}</EntityOrShip><Country>X</Country></record>"
                    ),
                    ""
                )
            ),
        ),
        (
            "dpl.txt",
            format!(
                "Name\tStreet_Address\tCountry\n{}\n",
                many(&|i| format!("SAME\tS{i}\tC{i}"), "\n")
            ),
        ),
        (
            "targets.simple.csv",
            format!(
                "id,schema,name,aliases\nx,Person,N,\"{}\"\n",
                many(&|i| format!("A{i}"), ";")
            ),
        ),
        (
            "entities.ftm.json",
            format!(
                // The sniffer reads the first line within the first 64 KiB.
                "{{\"id\": \"w\", \"schema\": \"Person\", \"properties\": {{\"name\": [\"W\"]}}}}\n\
                 {{\"id\": \"x\", \"schema\": \"Person\", \"properties\": {{\"country\": [{}], \"name\": [{}]}}}}\n",
                many(&|i| format!("\"C{i}\""), ","),
                many(&|i| format!("\"N{i}\""), ","),
            ),
        ),
        (
            "1260h.csv",
            format!(
                "Name,Clean Name,Alias,Previous Name\n{}\n",
                many(&|i| format!("N,SAME,,P{i}"), "\n")
            ),
        ),
        (
            "blocklist.csv",
            format!("name,aliases\nN,\"{}\"\n", many(&|i| format!("A{i}"), ";")),
        ),
    ]
}

/// Load each file of [`many_value_files`]; every value is there once.
fn load_many_value_files(n: usize, limit: Duration) {
    for (name, text) in many_value_files(n) {
        let start = Instant::now();
        let catalog = load_bytes(&[(name, text.as_bytes())]).unwrap();
        let took = start.elapsed();
        assert!(took < limit, "{name}: {} bytes took {took:?}", text.len());
        eprintln!("{name}: {} bytes in {took:?}", text.len());
        let values: usize = catalog
            .entities
            .iter()
            .map(|e| {
                1 + e.names.len()
                    + e.countries.len()
                    + e.addresses.len()
                    + e.programs.len()
                    + e.identifiers.len()
            })
            .sum();
        assert!(values >= n, "{name}: {values} values loaded of {n}");
        for e in &catalog.entities {
            let mut names: Vec<&str> = e.names.iter().map(|x| x.text.as_str()).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), e.names.len(), "{name}: a name repeated");
        }
    }
}

/// Many values in one record load, each once.
#[test]
fn records_with_many_values_load() {
    load_many_value_files(2_000, Duration::from_secs(30));
}

/// The same at a size where quadratic loading takes minutes; linear takes
/// seconds. Slow in a debug build: run with
/// `cargo test --release --test fuzz_regressions -- --ignored`.
#[test]
#[ignore]
fn records_with_many_values_load_in_linear_time() {
    load_many_value_files(200_000, Duration::from_secs(20));
}

/// A sheet with a cell in A1 and one in XFD1048576: its reader's dense range
/// would be 17 billion cells (an abort on allocation failure); it is an error
/// naming the file. A sheet of a few stray cells far down still reads.
#[test]
fn a_sheet_spanning_all_of_excel_is_an_error_not_an_abort() {
    let dir = tempfile::tempdir().unwrap();
    let corners = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fuzz_regressions/input/xlsx-cells-at-opposite-corners"),
    )
    .unwrap();
    let path = dir.path().join("corners.xlsx");
    std::fs::write(&path, fuzz_harness::xlsx(&corners, b"<sst/>")).unwrap();
    let name = path.to_str().unwrap();
    let err = match sanctions::input::open(name, "name") {
        Ok(_) => panic!("a sheet of 17 billion cells was read"),
        Err(e) => format!("{e:#}"),
    };
    assert!(err.starts_with(name) && err.contains("too large"), "{err}");
    let tall = br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row><row r="1000000"><c r="B1000000" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>"#;
    std::fs::write(&path, fuzz_harness::xlsx(tall, b"<sst/>")).unwrap();
    let rows: Vec<_> = sanctions::input::open(name, "name")
        .unwrap()
        .collect::<anyhow::Result<_>>()
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].as_ref().unwrap_err().line, 1_000_000);
}
