//! OFAC `sdnList` XML (`sdn.xml`, `consolidated.xml`).
//!
//! The namespace differs between years (`http://tempuri.org/sdnList.xsd`,
//! then the Sanctions List Service's), so elements are matched by local name.
//! The reader streams the file and never expands entities other than XML's
//! five predefined ones and character references.

use super::ofac_csv::{list_name, new_remark_aliases, remark_identifiers};
use super::util::{keep_first, push_trimmed, strip_bom};
use super::{Diagnostic, LineIndex, Loaded, OfacList, Source};
use crate::model::{BirthDate, Entity, EntityType, Identifier, Location, Name, NameKind};
use anyhow::{Result, bail};
use quick_xml::Reader;
use quick_xml::events::Event;

#[derive(Default)]
struct Entry {
    line: u64,
    uid: String,
    first: String,
    last: String,
    sdn_type: String,
    remarks: String,
    programs: Vec<String>,
    names: Vec<Name>,
    identifiers: Vec<Identifier>,
    addresses: Vec<String>,
    countries: Vec<String>,
    dates_of_birth: Vec<BirthDate>,
    nationalities: Vec<String>,
}

#[derive(Default)]
struct Aka {
    kind: String,
    category: String,
    first: String,
    last: String,
}

/// OFAC writes a person as `LAST, First`, as its CSV files do.
fn full_name(first: &str, last: &str) -> String {
    match (first.trim(), last.trim()) {
        ("", l) => l.to_string(),
        (f, "") => f.to_string(),
        (f, l) => format!("{l}, {f}"),
    }
}

fn entity_type(t: &str) -> EntityType {
    match t.to_ascii_lowercase().as_str() {
        "individual" => EntityType::Person,
        "entity" => EntityType::Organization,
        "vessel" => EntityType::Vessel,
        "aircraft" => EntityType::Aircraft,
        _ => EntityType::Unknown,
    }
}

/// `MM/DD/YYYY` to `YYYY-MM-DD`.
fn iso_date(s: &str) -> Option<String> {
    let p: Vec<&str> = s.trim().split('/').collect();
    match p.as_slice() {
        [m, d, y] if m.len() <= 2 && d.len() <= 2 && y.len() == 4 => {
            let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
            ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| format!("{y}-{m:02}-{d:02}"))
        }
        _ => None,
    }
}

/// Load an OFAC XML file.
pub fn load(src: &Source, list: OfacList) -> Result<Loaded> {
    let bytes = strip_bom(&src.bytes);
    let lines = LineIndex::new(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => bail!(
            "{}:{}: not valid UTF-8 (OFAC XML is UTF-8)",
            src.name,
            lines.line_at(e.valid_up_to() as u64)
        ),
    };
    let mut reader = Reader::from_str(text);
    let mut out = Loaded::default();
    let mut state = State::default();
    loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let line = lines.line_at(reader.error_position());
                bail!("{}:{line}: malformed OFAC XML: {e}", src.name);
            }
        };
        match event {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_string();
                let at = reader.buffer_position().saturating_sub(1);
                state.start(name, || lines.line_at(at), src, &mut out)?;
            }
            Event::Empty(_) => {}
            Event::Text(t) => state.buf.push_str(&t.xml10_content()),
            Event::CData(t) => state.buf.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let c = super::xml::resolve_ref(&r);
                match c {
                    Some(c) => state.buf.push(c),
                    None => bail!(
                        "{}:{}: entity reference &{}; is not expanded (only XML's predefined entities are)",
                        src.name,
                        lines.line_at(reader.buffer_position()),
                        r.as_ref()
                    ),
                }
            }
            Event::End(_) => {
                if !state.end(src, list, &mut out) {
                    break;
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    state.check_complete(src, &lines, bytes.len(), &mut out)?;
    Ok(out)
}

/// An identifier with nothing read into it yet.
fn empty_identifier() -> Identifier {
    Identifier {
        kind: String::new(),
        value: String::new(),
        country: None,
    }
}

/// What the reader holds between events: the open elements, the text of
/// the innermost one, and the entry, alias, identifier and address being
/// read.
struct State {
    path: Vec<String>,
    buf: String,
    entry: Option<Entry>,
    aka: Aka,
    id: Identifier,
    address: Vec<String>,
    record_count: Option<usize>,
    saw_root: bool,
}

impl Default for State {
    fn default() -> State {
        State {
            path: Vec::new(),
            buf: String::new(),
            entry: None,
            aka: Aka::default(),
            id: empty_identifier(),
            address: Vec::new(),
            record_count: None,
            saw_root: false,
        }
    }
}

impl State {
    /// An element opens: the root must be `<sdnList>`; an entry, alias,
    /// identifier or address starts afresh. `line` gives the element's line.
    fn start(
        &mut self,
        name: String,
        line: impl FnOnce() -> u64,
        src: &Source,
        out: &mut Loaded,
    ) -> Result<()> {
        if self.path.is_empty() {
            if name != "sdnList" {
                bail!(
                    "{}:1: root element is <{name}>, expected <sdnList>",
                    src.name
                );
            }
            self.saw_root = true;
        }
        if name == "sdnEntry" {
            out.records += 1;
            self.entry = Some(Entry {
                line: line(),
                ..Entry::default()
            });
        } else if name == "aka" {
            self.aka = Aka::default();
        } else if name == "id" && self.path.last().is_some_and(|p| p == "idList") {
            self.id = empty_identifier();
        } else if name == "address" {
            self.address.clear();
        }
        self.path.push(name);
        self.buf.clear();
        Ok(())
    }

    /// An element closes: its text goes where its place says. False when
    /// no element was open (the reader then stops).
    fn end(&mut self, src: &Source, list: OfacList, out: &mut Loaded) -> bool {
        let Some(name) = self.path.pop() else {
            return false;
        };
        let parent = self.path.last().map(String::as_str).unwrap_or("");
        let value = std::mem::take(&mut self.buf);
        let v = value.trim();
        match (parent, name.as_str()) {
            ("publshInformation", "Publish_Date") => out.published = iso_date(v),
            ("publshInformation", "Record_Count") => self.record_count = v.parse().ok(),
            (_, "sdnEntry") => {
                if let Some(e) = self.entry.take() {
                    finish_entry(e, src, list, out);
                }
            }
            (_, _) if self.entry.is_none() => {}
            (_, field) => self.entry_field(field, v),
        }
        true
    }

    /// The text `v` of the element `field` just closed, inside the entry
    /// being read.
    fn entry_field(&mut self, field: &str, v: &str) {
        let parent = self.path.last().map(String::as_str).unwrap_or("");
        let e = self.entry.as_mut().expect("inside an entry");
        match (parent, field) {
            ("sdnEntry", field) => match field {
                "uid" => e.uid = v.to_string(),
                "firstName" => e.first = v.to_string(),
                "lastName" => e.last = v.to_string(),
                "sdnType" => e.sdn_type = v.to_string(),
                "remarks" => e.remarks = v.to_string(),
                _ => {}
            },
            ("programList", "program") => push_trimmed(&mut e.programs, v),
            ("aka", field) => match field {
                "type" => self.aka.kind = v.to_string(),
                "category" => self.aka.category = v.to_string(),
                "firstName" => self.aka.first = v.to_string(),
                "lastName" => self.aka.last = v.to_string(),
                _ => {}
            },
            ("akaList", "aka") => {
                let text = full_name(&self.aka.first, &self.aka.last);
                if !text.is_empty() {
                    let kind = if self.aka.category.eq_ignore_ascii_case("weak") {
                        NameKind::Weak
                    } else if self.aka.kind.to_ascii_lowercase().starts_with("f.k.a") {
                        NameKind::Former
                    } else {
                        NameKind::Strong
                    };
                    e.names.push(Name::new(text, kind));
                }
            }
            ("id", field) => match field {
                "idType" => self.id.kind = v.to_string(),
                "idNumber" => self.id.value = v.to_string(),
                "idCountry" => self.id.country = (!v.is_empty()).then(|| v.to_string()),
                _ => {}
            },
            ("idList", "id") if !self.id.value.is_empty() => {
                e.identifiers.push(self.id.clone());
            }
            ("address", field) => {
                if !v.is_empty() && field != "uid" {
                    self.address.push(v.to_string());
                }
                if field == "country" {
                    push_trimmed(&mut e.countries, v);
                }
            }
            ("addressList", "address") if !self.address.is_empty() => {
                e.addresses.push(self.address.join(", "));
            }
            ("nationality" | "citizenship", "country") => {
                push_trimmed(&mut e.countries, v);
                push_trimmed(&mut e.nationalities, v);
            }
            ("dateOfBirthItem", "dateOfBirth") => e.dates_of_birth.extend(BirthDate::parse(v)),
            ("vesselInfo", "callSign") if !v.is_empty() => {
                e.identifiers.push(Identifier {
                    kind: "Call Sign".into(),
                    value: v.to_string(),
                    country: None,
                });
            }
            _ => {}
        }
    }

    /// At the end of the file: every element closed, the root seen, and the
    /// entries as many as `Record_Count` says (a warning if not).
    fn check_complete(
        &self,
        src: &Source,
        lines: &LineIndex,
        len: usize,
        out: &mut Loaded,
    ) -> Result<()> {
        if !self.path.is_empty() {
            bail!(
                "{}:{}: truncated OFAC XML: <{}> is not closed",
                src.name,
                lines.line_at(len as u64),
                self.path.last().map(String::as_str).unwrap_or("")
            );
        }
        if !self.saw_root {
            bail!("{}:1: no <sdnList> element", src.name);
        }
        if let Some(n) = self.record_count
            && n != out.records
        {
            out.warnings.push(Diagnostic::file(
                &src.name,
                format!(
                    "Record_Count says {n} but the file holds {} sdnEntry elements",
                    out.records
                ),
            ));
        }
        Ok(())
    }
}

fn finish_entry(mut e: Entry, src: &Source, list: OfacList, out: &mut Loaded) {
    if e.uid.is_empty() || !e.uid.bytes().all(|b| b.is_ascii_digit()) {
        out.warnings.push(Diagnostic::at(
            &src.name,
            e.line,
            "sdnEntry without a numeric uid: skipped",
        ));
        return;
    }
    let primary = full_name(&e.first, &e.last);
    if primary.is_empty() {
        out.warnings.push(Diagnostic::at(
            &src.name,
            e.line,
            format!("sdnEntry {} has no name: skipped", e.uid),
        ));
        return;
    }
    let mut names = vec![Name::new(primary, NameKind::Primary)];
    names.extend(e.names);
    let aliases = new_remark_aliases(&e.remarks, &names);
    names.extend(aliases);
    let mut identifiers = e.identifiers;
    let mut seen: std::collections::HashSet<String> =
        identifiers.iter().map(|x| x.value.clone()).collect();
    for i in remark_identifiers(&e.remarks) {
        if seen.insert(i.value.clone()) {
            identifiers.push(i);
        }
    }
    keep_first(&mut e.programs, String::as_str);
    keep_first(&mut e.countries, String::as_str);
    keep_first(&mut e.nationalities, String::as_str);
    let base = Entity::new(
        format!("{}:{}", list.id_prefix(), e.uid),
        list_name(list, &e.programs),
        Location {
            file: src.name.clone(),
            line: e.line,
        },
    );
    out.entities.push(Entity {
        entity_type: entity_type(&e.sdn_type),
        names,
        programs: e.programs,
        addresses: e.addresses,
        countries: e.countries,
        identifiers,
        dates_of_birth: e.dates_of_birth,
        nationalities: e.nationalities,
        remarks: (!e.remarks.is_empty()).then_some(e.remarks),
        ofac_uid: Some(e.uid),
        ..base
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> Source {
        Source {
            name: "consolidated.xml".into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    fn doc(ns: &str, count: usize) -> String {
        format!(
            r#"<?xml version="1.0" standalone="yes"?>
<sdnList xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="{ns}">
  <publshInformation>
    <Publish_Date>03/28/2025</Publish_Date>
    <Record_Count>{count}</Record_Count>
  </publshInformation>
  <sdnEntry>
    <uid>32091</uid>
    <lastName>SENSETIME GROUP LIMITED</lastName>
    <sdnType>Entity</sdnType>
    <programList><program>CMIC-EO13959</program></programList>
    <idList><id><uid>1</uid><idType>ISIN</idType><idNumber>KYG8062F1041</idNumber></id></idList>
    <akaList>
      <aka><uid>2</uid><type>a.k.a.</type><category>strong</category><lastName>SENSETIME</lastName></aka>
      <aka><uid>3</uid><type>a.k.a.</type><category>weak</category><lastName>SHANGTANG</lastName></aka>
      <aka><uid>4</uid><type>f.k.a.</type><category>strong</category><lastName>OLD &amp; NAME</lastName></aka>
    </akaList>
    <addressList><address><uid>5</uid><city>Hong Kong</city><country>China</country></address></addressList>
  </sdnEntry>
  <sdnEntry>
    <uid>9639</uid>
    <firstName>Ismail</firstName>
    <lastName>HANIYA</lastName>
    <sdnType>Individual</sdnType>
    <programList><program>NS-PLC</program></programList>
    <remarks>a.k.a. 'ABU AL-ABD'</remarks>
    <nationalityList><nationality><uid>6</uid><country>Palestinian</country><mainEntry>true</mainEntry></nationality></nationalityList>
    <dateOfBirthList>
      <dateOfBirthItem><uid>7</uid><dateOfBirth>circa 1962</dateOfBirth><mainEntry>true</mainEntry></dateOfBirthItem>
      <dateOfBirthItem><uid>8</uid><dateOfBirth>1960 to 1963</dateOfBirth><mainEntry>false</mainEntry></dateOfBirthItem>
      <dateOfBirthItem><uid>9</uid><dateOfBirth>not known</dateOfBirth><mainEntry>false</mainEntry></dateOfBirthItem>
    </dateOfBirthList>
  </sdnEntry>
</sdnList>
"#
        )
    }

    #[test]
    fn reads_either_namespace() {
        for ns in [
            "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML",
            "http://tempuri.org/sdnList.xsd",
        ] {
            let l = load(&src(&doc(ns, 2)), OfacList::Consolidated).unwrap();
            assert_eq!(l.records, 2);
            assert_eq!(l.published.as_deref(), Some("2025-03-28"));
            assert!(l.warnings.is_empty(), "{:?}", l.warnings);
            let e = &l.entities[0];
            assert_eq!(e.id, "ofac-cons:32091");
            assert_eq!(&*e.list, "OFAC Non-SDN Consolidated List (NS-CMIC)");
            assert_eq!(e.entity_type, EntityType::Organization);
            assert_eq!(e.source.line, 7);
            assert_eq!(
                e.names,
                [
                    Name::new("SENSETIME GROUP LIMITED", NameKind::Primary),
                    Name::new("SENSETIME", NameKind::Strong),
                    Name::new("SHANGTANG", NameKind::Weak),
                    Name::new("OLD & NAME", NameKind::Former),
                ]
            );
            assert_eq!(e.identifiers[0].value, "KYG8062F1041");
            assert_eq!(e.addresses, ["Hong Kong, China"]);
            let p = &l.entities[1];
            assert_eq!(p.names[0].text, "HANIYA, Ismail");
            assert_eq!(p.entity_type, EntityType::Person);
            assert!(p.names.contains(&Name::new("ABU AL-ABD", NameKind::Weak)));
            let dobs: Vec<_> = p.dates_of_birth.iter().map(|d| d.raw.as_str()).collect();
            assert_eq!(dobs, ["circa 1962", "1960 to 1963"]);
            assert_eq!(p.nationalities, ["Palestinian"]);
            assert!(e.dates_of_birth.is_empty() && e.nationalities.is_empty());
        }
    }

    #[test]
    fn record_count_mismatch_is_warned() {
        let l = load(&src(&doc("x", 3)), OfacList::Sdn).unwrap();
        assert!(l.warnings[0].message.contains("Record_Count says 3"));
    }

    #[test]
    fn truncated_or_malformed_xml_is_an_error_with_a_line() {
        let full = doc("x", 2);
        let cut = &full[..full.len() / 2];
        let e = load(&src(cut), OfacList::Sdn).unwrap_err().to_string();
        assert!(e.starts_with("consolidated.xml:"), "{e}");
        assert!(e.contains("truncated") || e.contains("malformed"), "{e}");
        let e = load(&src("<sdnList><sdnEntry></sdnList>"), OfacList::Sdn)
            .unwrap_err()
            .to_string();
        assert!(e.contains("consolidated.xml:1:"), "{e}");
    }

    #[test]
    fn custom_entities_are_not_expanded() {
        let bomb = r#"<?xml version="1.0"?>
<!DOCTYPE sdnList [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<sdnList><sdnEntry><uid>1</uid><lastName>&b;</lastName></sdnEntry></sdnList>"#;
        let e = load(&src(bomb), OfacList::Sdn).unwrap_err().to_string();
        assert!(
            e.contains("consolidated.xml:3: entity reference &b; is not expanded"),
            "{e}"
        );
    }
}
