//! What each fuzz target does with its bytes, shared by the `cargo fuzz`
//! targets under `fuzz/` (which include this file by path) and by
//! `tests/fuzz_regressions.rs` (which replays every saved crasher through it).
//!
//! Each function feeds the bytes to the loader of one list format, through
//! `load_bytes` under the file name that format is published as, and also
//! straight to the loader (so that bytes the sniffer would refuse still reach
//! it). It panics only when the crate misbehaves: a panic inside the crate,
//! or an error or warning that does not name the file it is about.

#![allow(dead_code)]

use sanctions::index::IndexBuilder;
use sanctions::input::InputReader;
use sanctions::lists::{self, Catalog, Format, OfacList, Source, load_bytes, sniff};
use std::sync::OnceLock;

/// Separates the files of one OFAC CSV input (`sdn.csv`, then `alt.csv`,
/// `add.csv`, `sdn_comments.csv`).
pub const FILE_SEPARATOR: &[u8] = b"\n--FILE--\n";

/// What a fuzz target does with its input.
pub type Target = fn(&[u8]);

/// The fuzz targets, each with the function that runs it.
pub const TARGETS: &[(&str, Target)] = &[
    ("ofac_csv", ofac_csv),
    ("ofac_xml", ofac_xml),
    ("csl_csv", csl_csv),
    ("csl_json", csl_json),
    ("un_xml", un_xml),
    ("uk_hmt", uk_hmt),
    ("uk_fcdo", uk_fcdo),
    ("eu_xml", eu_xml),
    ("canada_xml", canada_xml),
    ("bis_dpl", bis_dpl),
    ("opensanctions_csv", opensanctions_csv),
    ("ftm_json", ftm_json),
    ("dod_1260h", dod_1260h),
    ("user_csv", user_csv),
    ("input", input),
];

fn source(name: &str, bytes: &[u8]) -> Source {
    Source {
        name: name.into(),
        bytes: bytes.to_vec(),
    }
}

/// An error must name one of the files (messages start `file:line:`, or
/// `file, file:` for a set).
fn check_error(err: &anyhow::Error, names: &[&str]) {
    let msg = format!("{err:#}");
    assert!(
        names.iter().any(|n| msg.starts_with(n)),
        "error does not name the file ({names:?}): {msg}"
    );
}

/// Warnings name a file; entities come from one; names are not empty; the
/// index builds and a few names can be searched.
fn check_catalog(catalog: Catalog, names: &[&str]) {
    for w in &catalog.warnings {
        assert!(
            names.iter().any(|n| w.location.starts_with(n)),
            "warning does not name the file ({names:?}): {w}"
        );
    }
    check_entities(catalog.entities, names);
}

fn check_entities(entities: Vec<sanctions::model::Entity>, names: &[&str]) {
    for e in &entities {
        assert!(
            names.contains(&&*e.source.file),
            "entity from an unknown file: {}",
            e.source
        );
        assert!(
            e.names.iter().all(|n| !n.text.trim().is_empty()),
            "empty name in {}: {:?}",
            e.source,
            e.names
        );
    }
    // Names as the index and the matcher see them (the first few: building
    // an index for every input would slow the fuzzer tenfold).
    for n in entities.iter().flat_map(|e| &e.names).take(8) {
        let _ = sanctions::normalize::fold(&n.text);
        let _ = sanctions::terms::analyze(&n.text);
    }
}

fn check_loaded(result: anyhow::Result<lists::Loaded>, name: &str) {
    match result {
        Ok(l) => {
            for w in &l.warnings {
                assert!(
                    w.location.starts_with(name),
                    "warning does not name the file ({name}): {w}"
                );
            }
            check_entities(l.entities, &[name]);
        }
        Err(e) => check_error(&e, &[name]),
    }
}

/// Load `files` as one directory and check the result.
pub fn load_checked(files: &[(&str, &[u8])]) {
    let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
    match load_bytes(files) {
        Ok(c) => check_catalog(c, &names),
        Err(e) => check_error(&e, &names),
    }
}

/// One list file: through `load_bytes` as is; again behind `prefix` when the
/// sniffer does not take the bytes for `format` (so arbitrary bytes reach
/// the loader); and straight through `direct`.
fn one_file(
    name: &str,
    data: &[u8],
    format: Format,
    prefix: &[u8],
    direct: fn(&Source) -> anyhow::Result<lists::Loaded>,
) {
    let _ = sniff(data);
    load_checked(&[(name, data)]);
    if sniff(data) != Some(format) {
        let mut with = prefix.to_vec();
        with.extend_from_slice(data);
        if sniff(&with) == Some(format) {
            load_checked(&[(name, &with)]);
        }
    }
    check_loaded(direct(&source(name, data)), name);
}

/// The first line of a sample file, with its line break.
fn first_line(sample: &'static [u8]) -> &'static [u8] {
    let end = sample
        .iter()
        .position(|&b| b == b'\n')
        .map_or(sample.len(), |i| i + 1);
    &sample[..end]
}

/// OFAC CSV: the bytes split at [`FILE_SEPARATOR`] into the primary file and
/// its companions; an odd length picks the Non-SDN names, an even the SDN's.
pub fn ofac_csv(data: &[u8]) {
    let cons = data.len() % 2 == 1;
    let names: [&str; 4] = if cons {
        [
            "cons_prim.csv",
            "cons_alt.csv",
            "cons_add.csv",
            "cons_comments.csv",
        ]
    } else {
        ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"]
    };
    let mut parts: Vec<&[u8]> = Vec::new();
    let mut rest = data;
    while parts.len() < 3 {
        match rest
            .windows(FILE_SEPARATOR.len())
            .position(|w| w == FILE_SEPARATOR)
        {
            Some(i) => {
                parts.push(&rest[..i]);
                rest = &rest[i + FILE_SEPARATOR.len()..];
            }
            None => break,
        }
    }
    parts.push(rest);
    for p in &parts {
        let _ = sniff(p);
        let _ = lists::ofac_csv::count_records(p);
    }
    let files: Vec<(&str, &[u8])> = names.iter().copied().zip(parts.iter().copied()).collect();
    load_checked(&files);
    // Straight to the loader, whatever the sniffer thinks of the files.
    let sources: Vec<Source> = files.iter().map(|(n, b)| source(n, b)).collect();
    let set = lists::ofac_csv::Set {
        primary: &sources[0],
        alt: sources.get(1),
        add: sources.get(2),
        comments: sources.get(3),
    };
    let list = if cons {
        OfacList::Consolidated
    } else {
        OfacList::Sdn
    };
    match lists::ofac_csv::load(&set, list) {
        Ok(l) => {
            for w in &l.warnings {
                assert!(
                    names.iter().any(|n| w.location.starts_with(n)),
                    "warning does not name the file: {w}"
                );
            }
            check_entities(l.entities, &names);
        }
        Err(e) => check_error(&e, &names),
    }
    // The remark parsers on any text.
    let text = String::from_utf8_lossy(data);
    let _ = lists::ofac_csv::remark_aliases(&text);
    let _ = lists::ofac_csv::remark_identifiers(&text);
    let _ = lists::ofac_csv::split_programs(&text);
}

pub fn ofac_xml(data: &[u8]) {
    let name = if data.len() % 2 == 1 {
        "consolidated.xml"
    } else {
        "sdn.xml"
    };
    let list = if name == "sdn.xml" {
        OfacList::Sdn
    } else {
        OfacList::Consolidated
    };
    let _ = sniff(data);
    load_checked(&[(name, data)]);
    if sniff(data) != Some(Format::OfacXml) {
        let mut with = b"<sdnList>".to_vec();
        with.extend_from_slice(data);
        load_checked(&[(name, &with)]);
    }
    check_loaded(lists::ofac_xml::load(&source(name, data), list), name);
}

pub fn csl_csv(data: &[u8]) {
    one_file(
        "consolidated.csv",
        data,
        Format::CslCsv,
        first_line(include_bytes!("../../data/samples/csl/consolidated.csv")),
        lists::csl::load_csv,
    );
}

pub fn csl_json(data: &[u8]) {
    one_file(
        "consolidated.json",
        data,
        Format::CslJson,
        b"{\"results\": [{\"source\": \"s\", \"name\": \"n\"}, ",
        lists::csl::load_json,
    );
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = lists::csl::looks_like_csl_json(&v);
    }
    let _ = lists::csl::parse_id(&String::from_utf8_lossy(data));
}

pub fn un_xml(data: &[u8]) {
    one_file(
        "consolidated.xml",
        data,
        Format::UnXml,
        b"<CONSOLIDATED_LIST>",
        lists::un_xml::load,
    );
}

pub fn uk_hmt(data: &[u8]) {
    let sample = include_bytes!("../../data/samples/uk/conlist.csv");
    let second = first_line(&sample[first_line(sample).len()..]);
    let mut prefix = first_line(sample).to_vec();
    prefix.extend_from_slice(second);
    one_file(
        "ConList.csv",
        data,
        Format::UkHmtCsv,
        &prefix,
        lists::uk_hmt::load,
    );
}

pub fn uk_fcdo(data: &[u8]) {
    one_file(
        "UK_Sanctions_List.xml",
        data,
        Format::UkFcdoXml,
        b"<Designations>",
        lists::uk_fcdo::load,
    );
}

pub fn eu_xml(data: &[u8]) {
    one_file(
        "fsf.xml",
        data,
        Format::EuXml,
        b"<export>",
        lists::eu_fsf::load,
    );
}

pub fn canada_xml(data: &[u8]) {
    one_file(
        "sema.xml",
        data,
        Format::CanadaXml,
        b"<data-set>",
        lists::canada_sema::load,
    );
    let _ = lists::canada_sema::split_aliases(&String::from_utf8_lossy(data));
}

pub fn bis_dpl(data: &[u8]) {
    one_file(
        "dpl.txt",
        data,
        Format::BisDplTxt,
        first_line(include_bytes!("../../data/samples/bis/dpl.txt")),
        lists::bis_dpl::load,
    );
}

pub fn opensanctions_csv(data: &[u8]) {
    one_file(
        "targets.simple.csv",
        data,
        Format::OpenSanctionsCsv,
        first_line(include_bytes!(
            "../../data/samples/opensanctions/targets.simple.csv"
        )),
        lists::opensanctions::load_simple_csv,
    );
}

pub fn ftm_json(data: &[u8]) {
    one_file(
        "entities.ftm.json",
        data,
        Format::FtmJson,
        b"{\"schema\": \"Person\", \"properties\": {\"name\": [\"X\"]}}\n",
        lists::opensanctions::load_ftm,
    );
    let _ = lists::opensanctions::schema_type(&String::from_utf8_lossy(data));
}

pub fn dod_1260h(data: &[u8]) {
    one_file(
        "1260h.csv",
        data,
        Format::Dod1260hCsv,
        first_line(include_bytes!("../../data/samples/dod/sanctions.csv")),
        lists::opensanctions::load_dod_1260h,
    );
}

pub fn user_csv(data: &[u8]) {
    one_file(
        "blocklist.csv",
        data,
        Format::UserCsv,
        first_line(include_bytes!("../../data/samples/user/blocklist.csv")),
        lists::user_csv::load,
    );
}

/// The bundled sample lists, indexed once, for searching input names.
fn bundled_index() -> &'static sanctions::index::Index {
    static INDEX: OnceLock<sanctions::index::Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut b = IndexBuilder::new();
        b.extend(lists::load_bundled().expect("bundled lists").entities);
        b.build()
    })
}

/// Read every row of an input; each row error names the input; the first
/// names are normalized and searched.
fn drain<R: std::io::Read>(mut reader: InputReader<R>, name: &str, budget: usize) {
    let _ = reader.describe();
    let mut rows = 0usize;
    let mut searched = 0;
    loop {
        let _ = reader.bytes_read();
        match reader.next_row() {
            Ok(None) => break,
            Ok(Some(Ok(q))) => {
                assert!(!q.name.trim().is_empty(), "empty name read from {name}");
                if searched < 2 {
                    searched += 1;
                    let _ = sanctions::normalize::fold(&q.name);
                    let _ = sanctions::terms::analyze(&q.name);
                    let m = sanctions::matcher::Matcher::new(bundled_index(), 0.5, 5);
                    let _ = m.search_with_identifiers(&q.name, &q.identifiers);
                }
            }
            Ok(Some(Err(e))) => {
                assert!(
                    e.message.starts_with(name),
                    "row error does not name the input ({name}): {}",
                    e.message
                );
            }
            Err(e) => {
                check_error(&e, &[name]);
                break;
            }
        }
        rows += 1;
        assert!(
            rows <= budget,
            "{name}: more rows than the input could hold ({rows})"
        );
    }
}

/// Input files: the bytes as delimited text through `InputReader::new`;
/// written to a file read through `open` (which takes a zip or OLE file for
/// a workbook, whatever its extension); and, when they start with `<`, as the
/// sheet of an Excel workbook built around them (the sheet's XML, then after
/// [`FILE_SEPARATOR`] the shared strings' XML), so that the fuzzer's changes
/// reach the sheet reader rather than break the zip's checksums.
pub fn input(data: &[u8]) {
    // A row takes at least one byte, but the CSV reader can see one row more
    // (a line end it made up at the end of the input).
    let budget = data.len() + 2;
    match InputReader::new("in.csv", data, "name") {
        Ok(r) => drain(r, "in.csv", budget),
        Err(e) => check_error(&e, &["in.csv"]),
    }
    open_file("dat", data);
    if data.first() == Some(&b'<') {
        let (sheet, strings) = match data
            .windows(FILE_SEPARATOR.len())
            .position(|w| w == FILE_SEPARATOR)
        {
            Some(i) => (&data[..i], &data[i + FILE_SEPARATOR.len()..]),
            None => (data, &b"<sst/>"[..]),
        };
        open_file("xlsx", &xlsx(sheet, strings));
    }
}

/// Write `bytes` to a file with this extension and read it through `open`.
fn open_file(ext: &str, bytes: &[u8]) {
    let dir = std::env::temp_dir().join(format!("sanctions-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("in-{:?}.{ext}", std::thread::current().id()));
    std::fs::write(&path, bytes).expect("write the input file");
    let name = path.to_str().expect("a UTF-8 temp path").to_string();
    // A sheet can hold more rows than its file has bytes (a cell in row
    // 1,000,000), but not more than Excel's 1,048,576.
    let budget = (bytes.len() + 2).max(1 << 21);
    match sanctions::input::open(&name, "name") {
        Ok(r) => drain(r, &name, budget),
        Err(e) => check_error(&e, &[&name]),
    }
    let _ = std::fs::remove_file(&path);
}

/// An `.xlsx` package (a zip of stored entries) with one sheet.
pub fn xlsx(sheet: &[u8], shared_strings: &[u8]) -> Vec<u8> {
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const PKG: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
    let content_types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
    let rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    let workbook_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
    );
    zip_stored(&[
        ("[Content_Types].xml", content_types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", workbook_rels.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/sharedStrings.xml", shared_strings),
    ])
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A zip archive of uncompressed entries.
fn zip_stored(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
        let offset = out.len() as u32;
        let (crc, size, name_len) = (crc32(data), data.len() as u32, name.len() as u16);
        let mut local = Vec::new();
        local.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        local.extend_from_slice(&20u16.to_le_bytes()); // version needed
        local.extend_from_slice(&0u16.to_le_bytes()); // flags
        local.extend_from_slice(&0u16.to_le_bytes()); // stored
        local.extend_from_slice(&0u32.to_le_bytes()); // time, date
        local.extend_from_slice(&crc.to_le_bytes());
        local.extend_from_slice(&size.to_le_bytes());
        local.extend_from_slice(&size.to_le_bytes());
        local.extend_from_slice(&name_len.to_le_bytes());
        local.extend_from_slice(&0u16.to_le_bytes()); // extra
        out.extend_from_slice(&local);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by
        central.extend_from_slice(&local[4..]);
        central.extend_from_slice(&0u16.to_le_bytes()); // comment
        central.extend_from_slice(&0u16.to_le_bytes()); // disk
        central.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let (start, len) = (out.len() as u32, central.len() as u32);
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // disks
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // comment
    out
}
