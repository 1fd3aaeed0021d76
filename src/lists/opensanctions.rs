//! OpenSanctions exports: `targets.simple.csv` (one row per entity; `;`
//! joins multiple values; cells may hold newlines) and FollowTheMoney entity
//! JSON lines (`entities.ftm.json`). Also OpenSanctions' transcription of the
//! US DoD Section 1260H list (DoD publishes only a PDF).

use super::canada_sema::split_aliases;
use super::util::{decode, hash_id, keep_first, strip_bom};
use super::{Diagnostic, LineIndex, Loaded, Source};
use crate::model::{BirthDate, Entity, EntityType, Identifier, Location, Name, NameKind};
use anyhow::{Result, bail};
use rayon::prelude::*;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::marker::PhantomData;
use std::sync::Arc;

/// The entity type of a FollowTheMoney schema, or `None` for schemata that
/// are not parties (Family, Occupancy, Position, Sanction, Address...).
pub fn schema_type(schema: &str) -> Option<EntityType> {
    Some(match schema {
        "Person" => EntityType::Person,
        "Company" | "Organization" | "LegalEntity" | "PublicBody" => EntityType::Organization,
        "Vessel" => EntityType::Vessel,
        "Airplane" => EntityType::Aircraft,
        "Thing" | "Asset" => EntityType::Unknown,
        _ => return None,
    })
}

fn split_semi(s: &str) -> Vec<String> {
    s.split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// A header and its rows, each with the line it starts on.
type Table = (Vec<String>, Vec<(u64, Vec<String>)>);

fn read_csv(src: &Source, lines: &LineIndex) -> Result<Table> {
    let bytes = strip_bom(&src.bytes);
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers: Vec<String> = match r.byte_headers() {
        Ok(h) => h.iter().map(|f| decode(f).trim().to_string()).collect(),
        Err(e) => bail!("{}:1: cannot read the header: {e}", src.name),
    };
    let mut rows = Vec::new();
    let mut rec = csv::ByteRecord::new();
    let offset = (src.bytes.len() - bytes.len()) as u64;
    loop {
        match r.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => rows.push((
                lines.line_at(rec.position().map(|p| p.byte()).unwrap_or(0) + offset),
                rec.iter().map(|f| decode(f).trim().to_string()).collect(),
            )),
            Err(e) => bail!(
                "{}:{}: malformed CSV: {e}",
                src.name,
                lines.line_at(e.position().map(|p| p.byte()).unwrap_or(0) + offset)
            ),
        }
    }
    Ok((headers, rows))
}

/// Load `targets.simple.csv`.
pub fn load_simple_csv(src: &Source) -> Result<Loaded> {
    let lines = LineIndex::new(&src.bytes);
    let (headers, rows) = read_csv(src, &lines)?;
    let col = |n: &str| headers.iter().position(|h| h == n);
    let (Some(c_id), Some(c_schema), Some(c_name)) = (col("id"), col("schema"), col("name")) else {
        bail!("{}:1: header lacks `id`, `schema` or `name`", src.name);
    };
    let [
        c_aliases,
        c_birth,
        c_countries,
        c_ids,
        c_programs,
        c_dataset,
    ] = [
        "aliases",
        "birth_date",
        "countries",
        "identifiers",
        "program_ids",
        "dataset",
    ]
    .map(col);
    let mut out = Loaded::default();
    for (line, row) in rows {
        out.records += 1;
        if row.len() != headers.len() {
            out.warnings.push(Diagnostic::at(
                &src.name,
                line,
                format!(
                    "expected {} fields, found {}: record skipped",
                    headers.len(),
                    row.len()
                ),
            ));
            continue;
        }
        let get = |c: Option<usize>| c.map(|c| row[c].clone()).unwrap_or_default();
        let (id, schema, name) = (&row[c_id], &row[c_schema], &row[c_name]);
        if id.is_empty() || name.is_empty() {
            out.warnings.push(Diagnostic::at(
                &src.name,
                line,
                "row without an id or a name: skipped",
            ));
            continue;
        }
        let mut names = vec![Name::new(name.as_str(), NameKind::Primary)];
        for a in split_semi(&get(c_aliases)) {
            names.push(Name::new(a, NameKind::Strong));
        }
        keep_first(&mut names, |n| &n.text);
        let dataset = get(c_dataset);
        out.entities.push(Entity {
            entity_type: schema_type(schema).unwrap_or(EntityType::Unknown),
            names,
            programs: split_semi(&get(c_programs)),
            countries: split_semi(&get(c_countries)),
            dates_of_birth: BirthDate::parse_list(&get(c_birth)),
            identifiers: split_semi(&get(c_ids))
                .into_iter()
                .map(|v| Identifier {
                    kind: String::new(),
                    value: v,
                    country: None,
                })
                .collect(),
            ..Entity::new(
                format!("os:{id}"),
                format!(
                    "OpenSanctions: {}",
                    if dataset.is_empty() {
                        "export"
                    } else {
                        &dataset
                    }
                ),
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

/// FollowTheMoney properties that hold identifiers.
const ID_PROPS: &[&str] = &[
    "idNumber",
    "registrationNumber",
    "taxNumber",
    "innCode",
    "ogrnCode",
    "leiCode",
    "isin",
    "imoNumber",
    "passportNumber",
    "swiftBic",
    "vatCode",
    "okpoCode",
    "uniqueEntityId",
];

/// Bytes of a FollowTheMoney file parsed as one piece of work: big enough
/// that the bookkeeping of a piece costs nothing next to its parsing, small
/// enough that a large file gives every core many pieces.
const FTM_CHUNK_BYTES: usize = 1 << 19;

/// Pieces parsed at once, per core. Their entities are then moved to the
/// result, and the memory they held is reused by the next pieces: parsing
/// all the pieces of a large file first would hold every entity twice, and
/// touching that much fresh memory costs more than the parsing.
const FTM_CHUNKS_PER_CORE: usize = 8;

/// Load FollowTheMoney entities, one JSON object per line.
///
/// The file is cut at line breaks into pieces of about 512 KiB (`FTM_CHUNK_BYTES`),
/// parsed on every core, and put back together in file order: the entities,
/// warnings, line numbers and counts are those of reading the lines one
/// after the other.
pub fn load_ftm(src: &Source) -> Result<Loaded> {
    load_ftm_in_chunks(src, FTM_CHUNK_BYTES)
}

/// [`load_ftm`] with pieces of about `chunk_bytes` (at least one line each).
fn load_ftm_in_chunks(src: &Source, chunk_bytes: usize) -> Result<Loaded> {
    let chunks = line_chunks(strip_bom(&src.bytes), chunk_bytes);
    let line_breaks: Vec<u64> = chunks
        .par_iter()
        .map(|chunk| chunk.iter().filter(|&&b| b == b'\n').count() as u64)
        .collect();
    let mut out = Loaded::default();
    // Room for every entity at once, rather than a copy and twice the
    // memory each time the vector grows, and for the entities of lists
    // loaded beside it, an eighth as many, so that the catalog takes this
    // vector rather than copying a large collection into another
    // (`group::load_sources`). Room left unused is never touched.
    let most = most_parties(src.bytes.len(), line_breaks.iter().sum());
    let _ = out
        .entities
        .try_reserve_exact(most.saturating_add(most / 8));
    let mut not_parties: BTreeMap<String, usize> = BTreeMap::new();
    // Lines of the pieces before this one: a piece numbers its lines from 1.
    let mut lines_before = 0;
    let batch = rayon::current_num_threads() * FTM_CHUNKS_PER_CORE;
    for (chunks, line_breaks) in chunks.chunks(batch).zip(line_breaks.chunks(batch)) {
        let parsed: Vec<FtmChunk> = chunks
            .par_iter()
            .zip(line_breaks)
            .map(|(chunk, &line_breaks)| parse_ftm_chunk(src, chunk, line_breaks))
            .collect();
        for (chunk, line_breaks) in parsed.into_iter().zip(line_breaks) {
            out.records += chunk.records;
            out.entities.extend(chunk.entities.into_iter().map(|mut e| {
                e.source.line += lines_before;
                e
            }));
            out.warnings.extend(
                chunk
                    .warnings
                    .into_iter()
                    .map(|(line, message)| Diagnostic::at(&src.name, line + lines_before, message)),
            );
            for (schema, n) in chunk.not_parties {
                *not_parties.entry(schema).or_default() += n;
            }
            lines_before += line_breaks;
        }
    }
    // Only a file without a final line break needs its lines indexed.
    let last = src
        .bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace() || *b == b'\n');
    if last.is_some_and(|i| src.bytes[i] != b'\n') {
        super::util::warn_if_unterminated(src, &LineIndex::new(&src.bytes), &mut out);
    }
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

/// `bytes` cut into pieces of at least `chunk_bytes` (but the last), each
/// ending just after a line break (but the last, when the file does not end
/// with one).
fn line_chunks(bytes: &[u8], chunk_bytes: usize) -> Vec<&[u8]> {
    let mut chunks = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        let from = (start + chunk_bytes.max(1)).min(bytes.len()) - 1;
        let end = bytes[from..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| from + i + 1);
        chunks.push(&bytes[start..end]);
        start = end;
    }
    chunks
}

/// The shortest line that is a party: an id, a schema and a name.
const SHORTEST_PARTY: &str = r#"{"id":"x","schema":"Thing","properties":{"name":["a"]}}"#;

/// The most parties `bytes` bytes of FollowTheMoney lines can hold, when
/// `line_breaks` of them end a line.
fn most_parties(bytes: usize, line_breaks: u64) -> usize {
    let lines = usize::try_from(line_breaks).unwrap_or(usize::MAX);
    lines
        .saturating_add(1)
        .min(bytes / SHORTEST_PARTY.len() + 1)
}

/// What one piece of a FollowTheMoney file gave, with line numbers counted
/// from the piece's first line.
#[derive(Default)]
struct FtmChunk {
    entities: Vec<Entity>,
    /// `(line, message)` of each record not loaded.
    warnings: Vec<(u64, String)>,
    records: usize,
    /// Entities of each schema that is not a party.
    not_parties: BTreeMap<String, usize>,
    /// The list name of the last entity, which the next one shares when
    /// it is the same (a file's entities mostly are of one dataset).
    last_list: Option<Arc<str>>,
}

/// Parse one piece of a FollowTheMoney file (whole lines; `line_breaks`
/// of them, and maybe a last one without).
fn parse_ftm_chunk(src: &Source, bytes: &[u8], line_breaks: u64) -> FtmChunk {
    let mut out = FtmChunk {
        entities: Vec::with_capacity(most_parties(bytes.len(), line_breaks)),
        ..FtmChunk::default()
    };
    // A line break is never part of a byte sequence that is not UTF-8, so
    // decoding a piece gives the lines decoding the whole file would.
    let text = String::from_utf8_lossy(bytes);
    for (i, line) in text.lines().enumerate() {
        let line_no = i as u64 + 1;
        if line.trim().is_empty() {
            continue;
        }
        out.records += 1;
        // Read without building a `Value` for the line; a line that reads
        // as something else to a `Value` (see `FtmRead`) is read as one.
        match serde_json::from_str::<FtmRead<FtmLine, true>>(line) {
            Ok(FtmRead(party)) => add_ftm_line(&party, src, line_no, &mut out),
            Err(_) => match serde_json::from_str::<Value>(line) {
                Ok(v) => match FtmRead::<FtmLine, false>::deserialize(&v) {
                    Ok(FtmRead(party)) => add_ftm_line(&party, src, line_no, &mut out),
                    Err(e) => out
                        .warnings
                        .push((line_no, format!("unreadable entity: {e}; record skipped"))),
                },
                Err(e) => out.warnings.push((
                    line_no,
                    format!(
                        "not a JSON object (column {}): {e}; record skipped",
                        e.column()
                    ),
                )),
            },
        }
    }
    out
}

/// Add the entity of one line, or count it under its schema when it is not
/// a party, or warn when it has no id or no name.
fn add_ftm_line(line: &FtmLine, src: &Source, line_no: u64, out: &mut FtmChunk) {
    let schema = line.schema.as_deref().unwrap_or("");
    let Some(entity_type) = schema_type(schema) else {
        match out.not_parties.get_mut(schema) {
            Some(n) => *n += 1,
            None => {
                out.not_parties.insert(schema.to_string(), 1);
            }
        }
        return;
    };
    match ftm_entity(line, entity_type, src, line_no) {
        Some(mut e) => {
            match &out.last_list {
                Some(last) if *last == e.list => e.list = last.clone(),
                _ => out.last_list = Some(e.list.clone()),
            }
            e.shrink_to_fit();
            out.entities.push(e)
        }
        None => out.warnings.push((
            line_no,
            "entity without an id or a name: skipped".to_string(),
        )),
    }
}

/// The FollowTheMoney properties read besides the identifiers, each at the
/// index [`FtmProps`] keeps it at; the identifiers ([`ID_PROPS`]) follow.
#[derive(Clone, Copy)]
enum Prop {
    Name,
    Alias,
    PreviousName,
    WeakAlias,
    Country,
    Nationality,
    Citizenship,
    Jurisdiction,
    Flag,
    ProgramId,
    Address,
    BirthDate,
}

impl Prop {
    /// Each property with its name.
    const ALL: [(&'static str, Prop); 12] = [
        ("name", Prop::Name),
        ("alias", Prop::Alias),
        ("previousName", Prop::PreviousName),
        ("weakAlias", Prop::WeakAlias),
        ("country", Prop::Country),
        ("nationality", Prop::Nationality),
        ("citizenship", Prop::Citizenship),
        ("jurisdiction", Prop::Jurisdiction),
        ("flag", Prop::Flag),
        ("programId", Prop::ProgramId),
        ("address", Prop::Address),
        ("birthDate", Prop::BirthDate),
    ];
}

/// Slots of [`FtmProps`]: the properties of [`Prop`], then [`ID_PROPS`].
const PROP_SLOTS: usize = Prop::ALL.len() + ID_PROPS.len();

/// The slot of a property read, by its name.
fn prop_slot(name: &str) -> Option<usize> {
    match Prop::ALL.iter().find(|(n, _)| *n == name) {
        Some((_, p)) => Some(*p as usize),
        None => ID_PROPS
            .iter()
            .position(|n| *n == name)
            .map(|i| Prop::ALL.len() + i),
    }
}

/// The string values of each property read (empty when absent or not an
/// array), borrowed from the line where the JSON has no escapes.
struct FtmProps<'a>([Vec<Cow<'a, str>>; PROP_SLOTS]);

impl Default for FtmProps<'_> {
    fn default() -> Self {
        FtmProps(std::array::from_fn(|_| Vec::new()))
    }
}

/// One line of a FollowTheMoney file, as far as the loader reads it: what
/// `serde_json::Value` accessors give (`as_str`, `as_array`, `as_object`,
/// the last of repeated keys), `None` or empty for a value of another type.
#[derive(Default)]
struct FtmLine<'a> {
    id: Option<Cow<'a, str>>,
    schema: Option<Cow<'a, str>>,
    caption: Option<Cow<'a, str>>,
    properties: FtmProps<'a>,
    datasets: Vec<Cow<'a, str>>,
}

impl FtmLine<'_> {
    /// A property's values, trimmed, without the empty ones.
    fn values(&self, slot: usize) -> impl Iterator<Item = &str> {
        self.properties.0[slot]
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
    }

    /// [`FtmLine::values`] as owned strings.
    fn list(&self, slot: usize) -> Vec<String> {
        self.values(slot).map(str::to_string).collect()
    }
}

/// The entity of one FollowTheMoney party (`line`, on line `line_no`), or
/// `None` when it has no id or no name. The caption leads its names.
fn ftm_entity(
    line: &FtmLine,
    entity_type: EntityType,
    src: &Source,
    line_no: u64,
) -> Option<Entity> {
    let list = |p: Prop| line.list(p as usize);
    let values = |p: Prop| line.values(p as usize);
    let mut names: Vec<Name> = Vec::new();
    for (prop, kind) in [
        (Prop::Name, NameKind::Strong),
        (Prop::Alias, NameKind::Strong),
        (Prop::PreviousName, NameKind::Former),
        (Prop::WeakAlias, NameKind::Weak),
    ] {
        names.extend(values(prop).map(|n| Name::new(n, kind)));
    }
    // Each name once, of the kind it first has.
    keep_first(&mut names, |n| &n.text);
    let id = line.id.as_deref().unwrap_or("");
    if names.is_empty() || id.is_empty() {
        return None;
    }
    // The caption, when it is one of the names, leads; else the first name.
    let caption = line.caption.as_deref().unwrap_or("");
    let lead = names.iter().position(|n| n.text == caption).unwrap_or(0);
    let first = names.remove(lead);
    names.insert(0, Name::new(first.text, NameKind::Primary));
    let mut countries = Vec::new();
    for p in [
        Prop::Country,
        Prop::Nationality,
        Prop::Citizenship,
        Prop::Jurisdiction,
        Prop::Flag,
    ] {
        countries.extend(values(p).map(str::to_string));
    }
    keep_first(&mut countries, String::as_str);
    let mut nationalities = list(Prop::Nationality);
    nationalities.extend(values(Prop::Citizenship).map(str::to_string));
    keep_first(&mut nationalities, String::as_str);
    let identifiers = ID_PROPS
        .iter()
        .enumerate()
        .flat_map(|(i, k)| {
            line.values(Prop::ALL.len() + i).map(move |v| Identifier {
                kind: k.to_string(),
                value: v.to_string(),
                country: None,
            })
        })
        .collect();
    let mut list_name = String::from("OpenSanctions: ");
    if line.datasets.is_empty() {
        list_name.push_str("export");
    }
    for (i, dataset) in line.datasets.iter().enumerate() {
        if i > 0 {
            list_name.push_str(", ");
        }
        list_name.push_str(dataset);
    }
    Some(Entity {
        entity_type,
        names,
        programs: list(Prop::ProgramId),
        addresses: list(Prop::Address),
        countries,
        identifiers,
        dates_of_birth: values(Prop::BirthDate)
            .filter_map(BirthDate::parse)
            .collect(),
        nationalities,
        ..Entity::new(
            format!("os:{id}"),
            list_name,
            Location {
                file: src.name.clone(),
                line: line_no,
            },
        )
    })
}

// Reading a line into `FtmLine` directly, without a `serde_json::Value`:
// each part takes what it reads from any JSON value and reads through the
// rest, so a line reads exactly when it parses as a `Value`, and gives what
// the `Value` would. One exception: a `Value` reads an object whose first
// key is one of serde_json's private ones (`$serde_json::private::RawValue`)
// in its own way; reading from the text (`TEXT`) refuses such an object,
// and the loader then reads the line as a `Value`, and the `Value` into
// `FtmLine` (`TEXT` false).

/// What a part of a line makes of each kind of JSON value: by default
/// nothing (its `Default`), after reading the value through.
trait Lenient<'de>: Default {
    /// A string borrowed from the line.
    fn borrowed_str(_s: &'de str) -> Self {
        Self::default()
    }

    /// A string that had escapes, decoded.
    fn decoded_str(_s: &str) -> Self {
        Self::default()
    }

    /// An array.
    fn seq<A: SeqAccess<'de>, const TEXT: bool>(mut seq: A) -> Result<Self, A::Error> {
        while seq.next_element::<FtmRead<Skip, TEXT>>()?.is_some() {}
        Ok(Self::default())
    }

    /// An object.
    fn map<A: MapAccess<'de>, const TEXT: bool>(mut map: A) -> Result<Self, A::Error> {
        let mut first = true;
        while next_key::<A, TEXT>(&mut map, &mut first)?.is_some() {
            map.next_value::<FtmRead<Skip, TEXT>>()?;
        }
        Ok(Self::default())
    }
}

/// The next key of an object; refused when it is the first and one of
/// serde_json's private keys, reading from the text.
fn next_key<'de, A: MapAccess<'de>, const TEXT: bool>(
    map: &mut A,
    first: &mut bool,
) -> Result<Option<Cow<'de, str>>, A::Error> {
    let key = map.next_key::<FtmRead<Key, TEXT>>()?.map(|k| k.0.0);
    if TEXT
        && *first
        && key
            .as_deref()
            .is_some_and(|k| k.starts_with("$serde_json::private::"))
    {
        return Err(de::Error::custom("serde_json's private key"));
    }
    *first = false;
    Ok(key)
}

/// A part of a line read as `T`; `TEXT` when reading from the line's text.
struct FtmRead<T, const TEXT: bool>(T);

impl<'de, T: Lenient<'de>, const TEXT: bool> Deserialize<'de> for FtmRead<T, TEXT> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LenientVisitor::<T, TEXT>(PhantomData))
    }
}

struct LenientVisitor<T, const TEXT: bool>(PhantomData<T>);

impl<'de, T: Lenient<'de>, const TEXT: bool> Visitor<'de> for LenientVisitor<T, TEXT> {
    type Value = FtmRead<T, TEXT>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(FtmRead(T::default()))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(FtmRead(T::default()))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(FtmRead(T::default()))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(FtmRead(T::default()))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(FtmRead(T::default()))
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(FtmRead(T::borrowed_str(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(FtmRead(T::decoded_str(s)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Ok(FtmRead(T::seq::<A, TEXT>(seq)?))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Ok(FtmRead(T::map::<A, TEXT>(map)?))
    }
}

/// A value read through and dropped.
#[derive(Default)]
struct Skip;

impl Lenient<'_> for Skip {}

/// A value read for its string (`Value::as_str`).
#[derive(Default)]
struct Str<'a>(Option<Cow<'a, str>>);

impl<'de> Lenient<'de> for Str<'de> {
    fn borrowed_str(s: &'de str) -> Self {
        Str(Some(Cow::Borrowed(s)))
    }

    fn decoded_str(s: &str) -> Self {
        Str(Some(Cow::Owned(s.to_string())))
    }
}

/// An object key (always a string in JSON).
#[derive(Default)]
struct Key<'a>(Cow<'a, str>);

impl<'de> Lenient<'de> for Key<'de> {
    fn borrowed_str(s: &'de str) -> Self {
        Key(Cow::Borrowed(s))
    }

    fn decoded_str(s: &str) -> Self {
        Key(Cow::Owned(s.to_string()))
    }
}

/// A value read for the strings of an array (`Value::as_array`, then
/// `Value::as_str` of each element).
#[derive(Default)]
struct StrList<'a>(Vec<Cow<'a, str>>);

impl<'de> Lenient<'de> for StrList<'de> {
    fn seq<A: SeqAccess<'de>, const TEXT: bool>(mut seq: A) -> Result<Self, A::Error> {
        let mut out = Vec::new();
        while let Some(FtmRead(Str(s))) = seq.next_element::<FtmRead<Str, TEXT>>()? {
            out.extend(s);
        }
        Ok(StrList(out))
    }
}

impl<'de> Lenient<'de> for FtmProps<'de> {
    fn map<A: MapAccess<'de>, const TEXT: bool>(mut map: A) -> Result<Self, A::Error> {
        let mut props = FtmProps::default();
        let mut first = true;
        while let Some(key) = next_key::<A, TEXT>(&mut map, &mut first)? {
            match prop_slot(&key) {
                Some(slot) => props.0[slot] = map.next_value::<FtmRead<StrList, TEXT>>()?.0.0,
                None => {
                    map.next_value::<FtmRead<Skip, TEXT>>()?;
                }
            }
        }
        Ok(props)
    }
}

impl<'de> Lenient<'de> for FtmLine<'de> {
    fn map<A: MapAccess<'de>, const TEXT: bool>(mut map: A) -> Result<Self, A::Error> {
        let mut line = FtmLine::default();
        let mut first = true;
        while let Some(key) = next_key::<A, TEXT>(&mut map, &mut first)? {
            match &*key {
                "id" => line.id = map.next_value::<FtmRead<Str, TEXT>>()?.0.0,
                "schema" => line.schema = map.next_value::<FtmRead<Str, TEXT>>()?.0.0,
                "caption" => line.caption = map.next_value::<FtmRead<Str, TEXT>>()?.0.0,
                "properties" => line.properties = map.next_value::<FtmRead<FtmProps, TEXT>>()?.0,
                "datasets" => line.datasets = map.next_value::<FtmRead<StrList, TEXT>>()?.0.0,
                _ => {
                    map.next_value::<FtmRead<Skip, TEXT>>()?;
                }
            }
        }
        Ok(line)
    }
}

/// The DoD 1260H list as OpenSanctions transcribes it.
pub const DOD_LIST: &str =
    "US DoD Section 1260H Chinese Military Companies (OpenSanctions transcription)";

/// Load the DoD 1260H transcription CSV (`Name, Clean Name, Alias, Previous
/// Name, Parent Name, Note, Start date, End date, Source Url`): one row per
/// company per DoD tranche, so rows with the same clean name are one entity.
pub fn load_dod_1260h(src: &Source) -> Result<Loaded> {
    let lines = LineIndex::new(&src.bytes);
    let (headers, rows) = read_csv(src, &lines)?;
    let col = |n: &str| headers.iter().position(|h| h == n);
    let (Some(c_name), Some(c_clean)) = (col("Name"), col("Clean Name")) else {
        bail!("{}:1: header lacks `Name` or `Clean Name`", src.name);
    };
    let [c_alias, c_prev, c_start, c_end] =
        ["Alias", "Previous Name", "Start date", "End date"].map(col);
    let mut out = Loaded::default();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for (line, row) in rows {
        out.records += 1;
        if row.len() != headers.len() {
            out.warnings.push(Diagnostic::at(
                &src.name,
                line,
                format!(
                    "expected {} fields, found {}: record skipped",
                    headers.len(),
                    row.len()
                ),
            ));
            continue;
        }
        // A double quote inside a field is what a quote left open leaves
        // behind when the field count still happens to match.
        if row.iter().any(|f| f.contains('"')) {
            out.warnings.push(Diagnostic::at(
                &src.name,
                line,
                "a field holds a double quote: a quote left open? the record may be misread",
            ));
        }
        let get = |c: Option<usize>| c.map(|c| row[c].clone()).unwrap_or_default();
        let mut name = row[c_clean].clone();
        if name.is_empty() {
            name = row[c_name].trim_end_matches('*').trim().to_string();
        }
        if name.is_empty() {
            out.warnings.push(Diagnostic::at(
                &src.name,
                line,
                "row without a name: skipped",
            ));
            continue;
        }
        let i = *by_name.entry(name.clone()).or_insert_with(|| {
            out.entities.push(Entity {
                entity_type: EntityType::Organization,
                names: vec![Name::new(name.clone(), NameKind::Primary)],
                programs: vec!["DoD-1260H".to_string()],
                countries: vec!["China".to_string()],
                ..Entity::new(
                    format!("dod-1260h:{}", hash_id(name.as_bytes())),
                    DOD_LIST.to_string(),
                    Location {
                        file: src.name.clone(),
                        line,
                    },
                )
            });
            out.entities.len() - 1
        });
        let e = &mut out.entities[i];
        for (c, kind) in [(c_alias, NameKind::Strong), (c_prev, NameKind::Former)] {
            // Repeats are dropped below.
            for a in split_aliases(&get(c)) {
                e.names.push(Name::new(a, kind));
            }
        }
        let (start, end) = (get(c_start), get(c_end));
        let tranche = if end.is_empty() {
            format!("listed {start}")
        } else {
            format!("listed {start}, removed {end}")
        };
        match &mut e.remarks {
            Some(r) => {
                r.push_str("; ");
                r.push_str(&tranche);
            }
            None => e.remarks = Some(tranche),
        }
    }
    for e in &mut out.entities {
        keep_first(&mut e.names, |n| &n.text);
    }
    super::util::warn_if_unterminated(src, &lines, &mut out);
    Ok(out)
}

#[cfg(test)]
mod tests;
