//! The loaders' tests; the FtM loader is checked against the sequential
//! loader it replaced, kept here as the reference.

use super::*;

fn src(name: &str, t: &str) -> Source {
    Source {
        name: name.into(),
        bytes: t.as_bytes().to_vec(),
    }
}

#[test]
fn simple_csv_with_multiline_cells() {
    let t = "\"id\",\"schema\",\"name\",\"aliases\",\"countries\",\"identifiers\",\"sanctions\",\"dataset\",\"birth_date\"\n\"NK-1\",\"Company\",\"Sun Science International\",\"Sun Sci;SSI\",\"hk\",\"IMO6495856\",\"line one\nline two\",\"Ukraine War and Sanctions\",\"\"\n\"NK-2\",\"Vessel\",\"Gold Sun\",\"\",\"\",\"\",\"\",\"Ukraine War and Sanctions\",\"\"\n\"NK-3\",\"Person\",\"Ivan Petrov\",\"\",\"ru\",\"\",\"\",\"Ukraine War and Sanctions\",\"1960-01-02;1961-03\"\n";
    let l = load_simple_csv(&src("t.csv", t)).unwrap();
    assert_eq!(l.records, 3);
    assert_eq!(l.entities[0].names.len(), 3);
    assert!(l.entities[0].dates_of_birth.is_empty());
    let dobs: Vec<_> = l.entities[2]
        .dates_of_birth
        .iter()
        .map(|d| d.raw.as_str())
        .collect();
    assert_eq!(dobs, ["1960-01-02", "1961-03"]);
    assert_eq!(
        &*l.entities[0].list,
        "OpenSanctions: Ukraine War and Sanctions"
    );
    assert_eq!(l.entities[1].entity_type, EntityType::Vessel);
    assert_eq!(
        l.entities[1].source.line, 4,
        "the multi-line cell shifts the next row"
    );
}

#[test]
fn ftm_lines_keep_parties_and_count_the_rest() {
    let t = "{\"id\":\"Q1\",\"caption\":\"Bussma Bugis\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Bussma Bugis\"],\"weakAlias\":[\"BB\"],\"nationality\":[\"sa\"],\"citizenship\":[\"sa\",\"ae\"],\"birthDate\":[\"1960\",\"not a date\"]},\"datasets\":[\"sa_wiki_peps_v2\"]}\n{\"id\":\"F1\",\"schema\":\"Family\",\"properties\":{}}\nnot json\n";
    let l = load_ftm(&src("e.ftm.json", t)).unwrap();
    assert_eq!(l.records, 3);
    assert_eq!(l.entities.len(), 1);
    assert_eq!(l.entities[0].names[1], Name::new("BB", NameKind::Weak));
    assert_eq!(l.entities[0].nationalities, ["sa", "ae"]);
    assert_eq!(l.entities[0].dates_of_birth[0].raw, "1960");
    assert_eq!(l.entities[0].dates_of_birth.len(), 1);
    assert!(l.warnings.iter().any(|w| w.location == "e.ftm.json:3"));
    assert!(l.warnings.iter().any(|w| w.message.contains("\"Family\"")));
}

#[test]
fn dod_rows_of_one_company_are_one_entity() {
    let t = "Name,Clean Name,Alias,Previous Name,Parent Name,Note,Start date,End date,Source Url\n\"360 Security Technology Inc. (Qihoo 360)*\",360 Security Technology Inc.,Qihoo 360,,,,2022-10-05,,\n\"360 Security Technology Inc.\",360 Security Technology Inc.,\"Qihoo 360, 360\",,,,2024-01-31,,\n";
    let l = load_dod_1260h(&src("dod.csv", t)).unwrap();
    assert_eq!(l.records, 2);
    assert_eq!(l.entities.len(), 1);
    assert_eq!(l.entities[0].names.len(), 3);
}

// -----------------------------------------------------------------------
// The parallel FollowTheMoney loader against the sequential one it
// replaced, kept here as the reference.

/// The loader as it was: line after line, each into a `Value`.
fn sequential_load_ftm(src: &Source) -> Result<Loaded> {
    let mut out = Loaded::default();
    let mut not_parties: BTreeMap<String, usize> = BTreeMap::new();
    let bytes = strip_bom(&src.bytes);
    let text = String::from_utf8_lossy(bytes);
    for (i, line) in text.lines().enumerate() {
        let line_no = i as u64 + 1;
        if line.trim().is_empty() {
            continue;
        }
        out.records += 1;
        let v: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                out.warnings.push(Diagnostic::at(
                    &src.name,
                    line_no,
                    format!(
                        "not a JSON object (column {}): {e}; record skipped",
                        e.column()
                    ),
                ));
                continue;
            }
        };
        let schema = v.get("schema").and_then(Value::as_str).unwrap_or("");
        let Some(entity_type) = schema_type(schema) else {
            *not_parties.entry(schema.to_string()).or_default() += 1;
            continue;
        };
        match sequential_ftm_entity(&v, entity_type, src, line_no) {
            Some(e) => out.entities.push(e),
            None => out.warnings.push(Diagnostic::at(
                &src.name,
                line_no,
                "entity without an id or a name: skipped",
            )),
        }
    }
    crate::lists::util::warn_if_unterminated(src, &LineIndex::new(&src.bytes), &mut out);
    for (schema, n) in not_parties {
        out.warnings.push(Diagnostic::file(
            &src.name,
            format!(
                "{n} entities of schema {schema:?} are not parties (no names to screen): not loaded"
            ),
        ));
    }
    Ok(out)
}

/// The entity of one FollowTheMoney party (`v`, on line `line_no`), or
/// `None` when it has no id or no name. The caption leads its names.
fn sequential_ftm_entity(
    v: &Value,
    entity_type: EntityType,
    src: &Source,
    line_no: u64,
) -> Option<Entity> {
    let props = v.get("properties").and_then(Value::as_object);
    let list = |k: &str| -> Vec<String> {
        props
            .and_then(|p| p.get(k))
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut names: Vec<Name> = Vec::new();
    for (prop, kind) in [
        ("name", NameKind::Strong),
        ("alias", NameKind::Strong),
        ("previousName", NameKind::Former),
        ("weakAlias", NameKind::Weak),
    ] {
        for n in list(prop) {
            names.push(Name::new(n, kind));
        }
    }
    // Each name once, of the kind it first has.
    keep_first(&mut names, |n| &n.text);
    let id = v.get("id").and_then(Value::as_str).unwrap_or("");
    if names.is_empty() || id.is_empty() {
        return None;
    }
    // The caption, when it is one of the names, leads; else the first name.
    let caption = v.get("caption").and_then(Value::as_str).unwrap_or("");
    let lead = names.iter().position(|n| n.text == caption).unwrap_or(0);
    let first = names.remove(lead);
    names.insert(0, Name::new(first.text, NameKind::Primary));
    let mut countries = Vec::new();
    for k in [
        "country",
        "nationality",
        "citizenship",
        "jurisdiction",
        "flag",
    ] {
        countries.extend(list(k));
    }
    keep_first(&mut countries, String::as_str);
    let mut nationalities = list("nationality");
    nationalities.extend(list("citizenship"));
    keep_first(&mut nationalities, String::as_str);
    let identifiers = ID_PROPS
        .iter()
        .flat_map(|k| {
            list(k).into_iter().map(move |v| Identifier {
                kind: k.to_string(),
                value: v,
                country: None,
            })
        })
        .collect();
    let datasets: Vec<String> = v
        .get("datasets")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    Some(Entity {
        entity_type,
        names,
        programs: list("programId"),
        addresses: list("address"),
        countries,
        identifiers,
        dates_of_birth: list("birthDate")
            .iter()
            .filter_map(|d| BirthDate::parse(d))
            .collect(),
        nationalities,
        ..Entity::new(
            format!("os:{id}"),
            format!(
                "OpenSanctions: {}",
                if datasets.is_empty() {
                    "export".to_string()
                } else {
                    datasets.join(", ")
                }
            ),
            Location {
                file: src.name.clone(),
                line: line_no,
            },
        )
    })
}

/// A seeded xorshift generator (no dependency, same lines every run).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// A JSON array of up to three of `items`.
fn json_list(rng: &mut Rng, items: &[&str]) -> String {
    let n = rng.below(4);
    let v: Vec<String> = (0..n).map(|_| format!("{:?}", rng.pick(items))).collect();
    format!("[{}]", v.join(","))
}

/// One generated line: mostly parties, and every odd line the loader
/// must read as `serde_json::Value` reads it.
fn generated_line(rng: &mut Rng, i: u64) -> Vec<u8> {
    const NAMES: &[&str] = &[
        "Ivan Petrov",
        " Ivan Petrov ",
        "IVAN PETROV",
        "Rosoboronexport",
        "Sun Science",
        "",
        "   ",
        "محمد بن سلمان",
        "姚倩",
        "A \\\"quoted\\\" name",
    ];
    const SCHEMATA: &[&str] = &[
        "Person",
        "Company",
        "Organization",
        "LegalEntity",
        "Vessel",
        "Airplane",
        "Asset",
        "Sanction",
        "Address",
        "Family",
        "",
    ];
    const MISC: &[&str] = &["ru", "cn", " sa ", "", "1960", "1961-03-02", "not a date"];
    const ODD: &[&str] = &[
        "not json",
        "{\"id\":\"t1\",\"schema\":\"Person\"",
        "[1,2]",
        "\"text\"",
        "null",
        "42",
        "{}",
        "{\"id\":\"d1\",\"id\":\"d2\",\"schema\":\"Company\",\"properties\":{\"name\":[\"First\"]},\"properties\":{\"alias\":[\"Second\"],\"name\":\"one\",\"name\":[1,\"Third\",null,{\"a\":[]}]}}",
        "{\"id\":5,\"schema\":\"Person\",\"properties\":{\"name\":[\"No Id\"]}}",
        "{\"id\":\"w1\",\"schema\":\"Person\",\"properties\":[],\"datasets\":\"x\"}",
        "{\"\\u0069d\":\"e\\u0301\",\"sch\\u0065ma\":\"Person\",\"caption\":\"B\\\"C\",\"properties\":{\"n\\u0061me\":[\"A\\\"B\",\"B\\\"C\"]},\"datasets\":[\"\\u0078\",\"\"]}",
        "{\"id\":\"big\",\"schema\":\"Person\",\"x\":1e400,\"properties\":{\"name\":[\"Big\"]}}",
        "{\"id\":\"n1\",\"schema\":\"Person\",\"x\":-12.5e-3,\"y\":[true,false,null,18446744073709551616],\"properties\":{\"name\":[\"Numbers\"]}}",
        "{\"$serde_json::private::RawValue\":\"{\\\"id\\\":\\\"r1\\\",\\\"schema\\\":\\\"Person\\\",\\\"properties\\\":{\\\"name\\\":[\\\"Raw Name\\\"]}}\"}",
        "{\"\\u0024serde_json::private::RawValue\":\"[1]\"}",
        "{\"$serde_json::private::RawValue\":5}",
        "{\"id\":\"r2\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Nested Raw\"],\"x\":{\"$serde_json::private::RawValue\":\"7\"}}}",
        "{\"id\":\"r3\",\"$serde_json::private::RawValue\":\"7\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Later Raw\"]}}",
        "{\"id\":\"\\ud800\",\"schema\":\"Person\"}",
        "{\"id\":\"cr\",\r\"schema\":\"Vessel\" ,\t\"properties\" : {\"name\":[\"Spaced\"]} }",
        "{\"id\":\"c1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Trailing\"]}} x",
        "{\"id\":\"c2\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Comma\"],}}",
        "{\"id\":\"k1\",1:2}",
        "\u{feff}{\"id\":\"bom\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Inner BOM\"]}}",
        "{\"id\":\"ctl\",\"schema\":\"Person\",\"properties\":{\"name\":[\"tab\there\"]}}",
    ];
    let mut line = match rng.below(10) {
        0 => match rng.below(4) {
            0 => String::new(),
            1 => " \t ".to_string(),
            _ => rng.pick(ODD).to_string(),
        },
        _ => {
            let mut props = Vec::new();
            for prop in ["name", "alias", "previousName", "weakAlias"] {
                if rng.below(2) == 0 {
                    props.push(format!("{prop:?}:{}", json_list(rng, NAMES)));
                }
            }
            for prop in [
                "country", "nationality", "citizenship", "jurisdiction", "flag", "programId",
                "address", "birthDate", "idNumber", "imoNumber", "leiCode", "notes",
            ] {
                if rng.below(4) == 0 {
                    props.push(format!("{prop:?}:{}", json_list(rng, MISC)));
                }
            }
            let caption = match rng.below(3) {
                0 => String::new(),
                _ => format!(",\"caption\":{:?}", rng.pick(NAMES)),
            };
            let id = match rng.below(20) {
                0 => String::new(),
                _ => format!("\"id\":\"g-{i}\","),
            };
            format!(
                "{{{id}\"schema\":{:?}{caption},\"properties\":{{{}}},\"datasets\":{},\"target\":true}}",
                rng.pick(SCHEMATA),
                props.join(","),
                json_list(rng, &["us_ofac_sdn", "eu_fsf", ""]),
            )
        }
    }
    .into_bytes();
    if rng.below(50) == 0 {
        // Bytes that are not UTF-8, inside a string or not.
        let at = rng.below(line.len() as u64 + 1) as usize;
        line.insert(at, 0xff);
    }
    line.extend_from_slice(if rng.below(5) == 0 { b"\r\n" } else { b"\n" });
    line
}

#[test]
fn ftm_in_parallel_pieces_reads_as_line_after_line() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    for i in 1..=3000 {
        if i == 1234 {
            bytes.extend_from_slice(b"{\"id\":\"cut\",\"schema\":\"Person\",\"prop\n");
        } else {
            bytes.extend(generated_line(&mut rng, i));
        }
    }
    for ending in [
        &b""[..],
        b"{\"id\":\"last\",\"schema\":\"Person\"} \t",
        b"\r",
    ] {
        let mut bytes = bytes.clone();
        bytes.extend_from_slice(ending);
        let file = src("gen.ftm.json", "");
        let file = Source { bytes, ..file };
        let want = sequential_load_ftm(&file).unwrap();
        assert!(want.entities.len() > 1000, "{}", want.entities.len());
        assert!(
            want.warnings
                .iter()
                .any(|w| w.location == "gen.ftm.json:1234"
                    && w.message.starts_with("not a JSON object (column 35)")),
            "{:?}",
            want.warnings
        );
        assert!(want.entities.iter().any(|e| e.names[0].text == "Raw Name"));
        for chunk_bytes in [1, 2, 100, 4096, 65536, FTM_CHUNK_BYTES] {
            let got = load_ftm_in_chunks(&file, chunk_bytes).unwrap();
            assert_eq!(got.records, want.records, "{chunk_bytes}");
            assert_eq!(got.warnings, want.warnings, "{chunk_bytes}");
            assert_eq!(got.published, want.published);
            assert_eq!(
                format!("{:?}", got.entities),
                format!("{:?}", want.entities),
                "{chunk_bytes}"
            );
        }
    }
}

#[test]
fn the_shortest_party_is_one() {
    let l = load_ftm(&src("short.ftm.json", SHORTEST_PARTY)).unwrap();
    assert_eq!(l.entities.len(), 1);
    assert_eq!(most_parties(SHORTEST_PARTY.len(), 0), 1);
    assert_eq!(most_parties(SHORTEST_PARTY.len() * 2, 5), 3);
}

#[test]
fn line_chunks_end_after_line_breaks() {
    let text = b"ab\ncd\n\nefg";
    for n in 0..=text.len() + 1 {
        let chunks = line_chunks(text, n);
        assert_eq!(chunks.concat(), text, "{n}");
        for c in &chunks[..chunks.len() - 1] {
            assert!(c.ends_with(b"\n") && c.len() >= n, "{n}: {chunks:?}");
        }
    }
    assert_eq!(line_chunks(b"a\nb\n", 1), [&b"a\n"[..], b"b\n"]);
    assert!(line_chunks(b"", 8).is_empty());
}
