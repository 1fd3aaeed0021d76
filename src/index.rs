//! The in-memory index: every list name analyzed once, a vocabulary of
//! tokens with rarity weights, postings from tokens to names, and the grouping
//! of entities that are the same party on several lists.
//!
//! [`IndexBuilder`] collects entities; [`IndexBuilder::build`] returns an
//! immutable [`Index`] that the [`crate::matcher`] searches.

use crate::model::{Entity, NameKind};
use crate::terms::{self, Class};
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;

/// Weight of a legal-form token (a matching legal form adds little, a missing one costs little).
pub const LEGAL_WEIGHT: f32 = 0.6;
/// Weight of a stopword or name-particle token.
pub const STOP_WEIGHT: f32 = 0.3;
/// Weight of a place or honorific (`UAE`, `Hong Kong`, `Mrs.`).
pub const MINOR_WEIGHT: f32 = 0.5;

/// Collects entities, then builds an [`Index`].
#[derive(Debug, Default)]
pub struct IndexBuilder {
    entities: Vec<Entity>,
}

/// A token of the vocabulary.
#[derive(Debug, Clone)]
pub struct VocabToken {
    /// Canonical text.
    pub text: String,
    /// Its characters, for the similarity functions.
    pub chars: Vec<char>,
    /// Consonant skeleton (see [`skeleton`]).
    pub skeleton: String,
    /// Phonetic skeleton (see [`phonetic`]).
    pub phonetic: String,
    /// Letter counts (see [`histogram`]).
    pub hist: Histogram,
    /// Key for meeting Arabic-script names (see [`arabic_key`]).
    pub arabic_key: String,
    /// Does the token occur in a name written in Arabic script?
    pub arabic: bool,
    /// Word, legal form or stopword.
    pub class: Class,
    /// Rarity weight.
    pub weight: f32,
}

/// One analyzed list name.
#[derive(Debug, Clone)]
pub struct IndexedName {
    /// Index of the entity in [`Index::entities`].
    pub entity: u32,
    /// Index of the name in that entity's `names`.
    pub name: u32,
    /// The name's tokens, as vocabulary ids, in order.
    pub tokens: Vec<u32>,
    /// Each token as folded before canonicalization, words joined
    /// (`industrial` for `industry`), for glued-word checks.
    pub raw: Vec<Box<str>>,
    /// Name kind (copied for speed).
    pub kind: NameKind,
    /// Written in Arabic script?
    pub arabic: bool,
    /// Letter counts of its raw words joined by spaces ([`whole_histogram`]).
    pub whole_hist: Histogram,
}

/// Letter counts of words joined by spaces (spaces count as "other"):
/// half the difference of two such counts is a lower bound on the edits
/// between the joined names.
pub fn whole_histogram<'a>(words: impl Iterator<Item = &'a str>) -> Histogram {
    let mut h = [0u8; 27];
    for (i, w) in words.enumerate() {
        if i > 0 {
            add(&mut h, ' ');
        }
        w.chars().for_each(|c| add(&mut h, c));
    }
    h
}

/// Half the difference of two [`whole_histogram`]s, rounded up.
pub fn histogram_edits(a: &Histogram, b: &Histogram) -> usize {
    let d: usize = a.iter().zip(b).map(|(x, y)| x.abs_diff(*y) as usize).sum();
    d.div_ceil(2)
}

/// Entities that are the same party (the same OFAC entry loaded from the OFAC
/// files and from the CSL); a report shows the group once.
#[derive(Debug, Clone)]
pub struct Group {
    /// Member entity indexes; the first is the representative shown in reports.
    pub members: Vec<u32>,
}

/// The immutable index.
#[derive(Debug)]
pub struct Index {
    /// Every entity, in load order.
    pub entities: Vec<Entity>,
    /// Party groups, in order of their first member.
    pub groups: Vec<Group>,
    /// Group of each entity.
    pub entity_group: Vec<u32>,
    /// Countries of each group as ISO codes (those [`crate::countries`] knows), sorted.
    pub group_countries: Vec<Vec<&'static str>>,
    /// Every analyzed name.
    pub names: Vec<IndexedName>,
    /// First name of each entity in [`Index::names`] (names are stored by
    /// entity, in order; the last element closes the last entity).
    pub name_start: Vec<u32>,
    /// The vocabulary.
    pub vocab: Vec<VocabToken>,
    /// Token text to vocabulary id.
    pub vocab_ids: HashMap<String, u32>,
    /// Vocabulary id to the names containing it (sorted, deduplicated).
    pub postings: Vec<Vec<u32>>,
    /// Two adjacent word tokens glued together, each as canonicalized or
    /// as written, to the names they occur in (finds `HIKVISION` for `HIK VISION`).
    pub glued: HashMap<String, Vec<u32>>,
    /// A word as written in some name where it differs from its canonical
    /// form (`mohammed` for `muhammad`), to those vocabulary ids.
    pub written: HashMap<String, Vec<u32>>,
    /// Lookup structures over the vocabulary's words, so that a query token
    /// is compared only with the words that can be similar to it.
    pub lookup: VocabLookup,
    /// Weight of a word the lists never use (the rarest possible).
    pub unknown_weight: f32,
    /// Normalized identifier ([`crate::model::normalize_identifier`]) to the
    /// entities that carry it, in load order.
    pub identifiers: HashMap<String, Vec<u32>>,
    /// The distinct forms, as written, of the legal forms and places in the
    /// names (`limited`, `hongkong`): a query word may meet them misspelt.
    pub legal_minor_raws: Vec<Box<str>>,
    /// What the candidate search's bound needs of each name, compactly.
    pub sketches: Vec<NameSketch>,
    /// Glue by Arabic keys among the names written in Arabic script.
    arabic_glue_arabic: ArabicGlue,
    /// Glue by Arabic keys among all names, built when a query in Arabic
    /// script first needs it.
    arabic_glue_all: std::sync::OnceLock<ArabicGlue>,
    /// The word tokens of every name with their weights, name after name
    /// ([`Index::sketch_words`]).
    words: Vec<(u32, f32)>,
}

/// What the candidate search needs of a name to rule it out without
/// scoring it, in a few bytes read together.
#[derive(Debug, Clone, Copy)]
pub struct NameSketch {
    /// The length of its words as written, joined by spaces
    /// ([`crate::matcher::whole_length`]).
    pub length: u32,
    /// Is its entity a person?
    pub person: bool,
    /// Written in Arabic script?
    pub arabic: bool,
    /// The weight of its tokens that are not words (legal forms, places, particles).
    pub other_weight: f32,
    /// Where its words begin in the index's word list.
    words_start: u32,
}

/// Where a word glued in Arabic script may meet two listed words, or two
/// glued query words one listed word: Arabic script writes no short vowels,
/// so the scorer compares glued words by their Arabic keys
/// ([`arabic_key`]) when either side is in Arabic script.
#[derive(Debug, Default)]
pub struct ArabicGlue {
    /// The key of two adjacent listed words glued, each as canonicalized
    /// or as written, to the names they occur in.
    pub pairs: HashMap<String, Vec<u32>>,
    /// The key of a listed word, as canonicalized or as written, to the
    /// names it occurs in.
    pub words: HashMap<String, Vec<u32>>,
}

impl ArabicGlue {
    /// The keys of the names that `keep` keeps (keys of three letters or more,
    /// as the scorer requires).
    fn build(
        names: &[IndexedName],
        vocab: &[VocabToken],
        keep: impl Fn(&IndexedName) -> bool,
    ) -> ArabicGlue {
        let mut g = ArabicGlue::default();
        let add = |map: &mut HashMap<String, Vec<u32>>, key: String, name: u32| {
            if key.len() >= 3 {
                map.entry(key).or_default().push(name);
            }
        };
        for (ni, n) in names.iter().enumerate() {
            if !keep(n) {
                continue;
            }
            let ni = ni as u32;
            for (j, &t) in n.tokens.iter().enumerate() {
                let v = &vocab[t as usize];
                if v.class == Class::Word {
                    add(&mut g.words, arabic_key(&v.text), ni);
                    add(&mut g.words, arabic_key(&n.raw[j]), ni);
                }
                let Some(&next) = n.tokens.get(j + 1) else {
                    continue;
                };
                let w = &vocab[next as usize];
                if gluable(v.class) && gluable(w.class) {
                    for x in [&v.text[..], &n.raw[j][..]] {
                        for y in [&w.text[..], &n.raw[j + 1][..]] {
                            add(&mut g.pairs, arabic_key(&format!("{x}{y}")), ni);
                        }
                    }
                }
            }
        }
        for v in g.pairs.values_mut().chain(g.words.values_mut()) {
            v.sort_unstable();
            v.dedup();
        }
        g
    }

    /// Is there nothing to meet?
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty() && self.words.is_empty()
    }
}

impl Index {
    /// Glue by Arabic keys: among all names for a query in Arabic script,
    /// else among the names written in it (see [`ArabicGlue`]).
    pub fn arabic_glue(&self, arabic_query: bool) -> &ArabicGlue {
        if arabic_query {
            self.arabic_glue_all
                .get_or_init(|| ArabicGlue::build(&self.names, &self.vocab, |_| true))
        } else {
            &self.arabic_glue_arabic
        }
    }

    /// The word tokens of a name and their weights.
    pub fn sketch_words(&self, name: u32) -> &[(u32, f32)] {
        let start = self.sketches[name as usize].words_start as usize;
        let end = self
            .sketches
            .get(name as usize + 1)
            .map_or(self.words.len(), |s| s.words_start as usize);
        &self.words[start..end]
    }
}

/// Counts of `a`..`z` and of all other characters together.
pub type Histogram = [u8; 27];

/// Letter counts of a token, for a cheap upper bound on Jaro similarity:
/// two tokens cannot have more matching characters than they share letters.
pub fn histogram(chars: &[char]) -> Histogram {
    let mut h = [0u8; 27];
    for &c in chars {
        add(&mut h, c);
    }
    h
}

/// Count one character: `a`..`z` in their buckets, all else in the last.
fn add(h: &mut Histogram, c: char) {
    let i = if c.is_ascii_lowercase() {
        (c as u8 - b'a') as usize
    } else {
        26
    };
    h[i] = h[i].saturating_add(1);
}

/// Which of the histogram's 27 buckets are present, as bits.
pub fn letter_mask(h: &Histogram) -> u32 {
    h.iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .fold(0, |m, (i, _)| m | 1 << i)
}

/// Upper bound on the characters two tokens can have in common.
pub fn common_bound(a: &Histogram, b: &Histogram) -> usize {
    a.iter().zip(b).map(|(x, y)| (*x).min(*y) as usize).sum()
}

/// Consonant skeleton of a folded token: vowels after the first letter
/// removed, repeated letters collapsed. Meets vowel-less writing (`MHMMD`, `BNK`).
///
/// ```
/// assert_eq!(sanctions::index::skeleton("muhammad"), "mhmd");
/// assert_eq!(sanctions::index::skeleton("mhmmd"), "mhmd");
/// ```
pub fn skeleton(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    for (i, c) in token.chars().enumerate() {
        if i > 0 && matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y') {
            continue;
        }
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// Phonetic skeleton of a folded token, for transliteration variants:
/// common spelling pairs are unified (`kh`/`h`, `q`/`k`, `c`/`k`, `ph`/`f`,
/// `w`/`v`, `zh`/`dj`/`j`, `-off`/`-ov`, `dh`/`d`, `th`/`t`), then every vowel is
/// dropped and repeated letters collapse.
///
/// ```
/// use sanctions::index::phonetic;
/// assert_eq!(phonetic("qeshm"), phonetic("keshm"));
/// assert_eq!(phonetic("soleimani"), phonetic("sulemani"));
/// assert_eq!(phonetic("madkandaloo"), phonetic("madkandalu"));
/// assert_ne!(phonetic("hikvision"), phonetic("huawei"));
/// assert_ne!(phonetic("nustar"), phonetic("instar"));
/// assert_eq!(phonetic("omar"), phonetic("umar"));
/// assert_eq!(phonetic("djamel"), phonetic("jamal"));
/// assert_eq!(phonetic("sivakau"), phonetic("sivakov"));
/// ```
pub fn phonetic(token: &str) -> String {
    let mut s = token.to_string();
    // Belarusian and Ukrainian surnames end in -au / -ou where Russian ones
    // end in -ov (`SIVAKAU` / `SIVAKOV`).
    if s.len() >= 6 && (s.ends_with("au") || s.ends_with("ou")) {
        let b = s.as_bytes();
        if !matches!(b[b.len() - 3], b'a' | b'e' | b'i' | b'o' | b'u' | b'y') {
            s.truncate(s.len() - 2);
            s.push_str("ov");
        }
    }
    for (from, to) in [
        ("sch", "sh"),
        ("tch", "ch"),
        ("dzh", "j"),
        ("dj", "j"),
        ("zh", "j"),
        ("kh", "h"),
        ("gh", "g"),
        ("ph", "f"),
        ("th", "t"),
        ("dh", "d"),
        ("ck", "k"),
        ("ch", "\u{1}"),
        ("q", "k"),
        ("c", "k"),
        ("w", "v"),
        ("x", "ks"),
        ("ff", "v"),
        ("\u{1}", "ch"),
    ] {
        if s.contains(from) {
            s = s.replace(from, to);
        }
    }
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        if matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y') {
            // An initial vowel leaves a mark (`instar` is not `nustar`),
            // whichever vowel it is (`omar` is `umar`).
            if i == 0 {
                out.push('a');
            }
            continue;
        }
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// Key of a token for meeting a name written in Arabic script, which writes
/// no short vowels and writes `w` and `y` for long `u` and `i`: the
/// [`phonetic`] skeleton without `w`/`v` after the first letter and without a
/// final `h` (`Abdullah` / `Abdulla`). Two tokens with the same key are the
/// same name part when one side was transliterated from Arabic script.
///
/// ```
/// use sanctions::index::arabic_key;
/// assert_eq!(arabic_key("hsn"), arabic_key("hassan"));
/// assert_eq!(arabic_key("zuahiri"), arabic_key("zawahiri"));
/// assert_eq!(arabic_key("abdallh"), arabic_key("abdulla"));
/// assert_ne!(arabic_key("hsn"), arabic_key("hussam"));
/// assert_eq!(arabic_key("alsid"), arabic_key("essid"));
/// ```
pub fn arabic_key(token: &str) -> String {
    // The article assimilates to a following `sun` consonant: al-Sayyid is
    // as-Sayyid (`ESSID`), al-Rahman is ar-Rahman.
    let b = token.as_bytes();
    let assimilated;
    let token = if b.len() > 3
        && matches!(b[0], b'a' | b'e')
        && b[1] == b'l'
        && matches!(b[2], b't' | b'd' | b'r' | b'z' | b's' | b'n')
    {
        assimilated = format!("{}{}", b[0] as char, &token[2..]);
        &assimilated[..]
    } else {
        token
    };
    let p = phonetic(token);
    let mut out = String::with_capacity(p.len());
    for (i, c) in p.chars().enumerate() {
        if i > 0 && c == 'v' {
            continue;
        }
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    if out.len() > 2 && out.ends_with('h') {
        out.pop();
    }
    out
}

/// May this token be glued to its neighbour (`GAZ PROM`, `AL ZAWAHIRI`)?
pub fn gluable(class: Class) -> bool {
    matches!(class, Class::Word | Class::Stop | Class::Minor)
}

/// A token as folded before canonicalization, its words joined.
pub fn raw_form(t: &crate::terms::Token) -> Box<str> {
    t.from
        .as_deref()
        .unwrap_or(&t.text)
        .replace(' ', "")
        .into_boxed_str()
}

impl IndexBuilder {
    /// An empty builder.
    pub fn new() -> IndexBuilder {
        IndexBuilder::default()
    }

    /// Add entities.
    pub fn extend(&mut self, entities: impl IntoIterator<Item = Entity>) -> &mut Self {
        self.entities.extend(entities);
        self
    }

    /// Analyze every name once and build the immutable index.
    pub fn build(self) -> Index {
        let entities = self.entities;
        // Groups: entities sharing an OFAC entity number are one party; an
        // entity from the OFAC files leads its group.
        let mut key_group: BTreeMap<String, u32> = BTreeMap::new();
        let mut groups: Vec<Group> = Vec::new();
        let mut entity_group = Vec::with_capacity(entities.len());
        for (i, e) in entities.iter().enumerate() {
            let key = match &e.ofac_uid {
                Some(uid) => format!("ofac:{uid}"),
                None => format!("id:{}", e.id),
            };
            let g = *key_group.entry(key).or_insert_with(|| {
                groups.push(Group {
                    members: Vec::new(),
                });
                (groups.len() - 1) as u32
            });
            groups[g as usize].members.push(i as u32);
            entity_group.push(g);
        }
        for g in &mut groups {
            // Stable: OFAC-file entities first, then load order.
            g.members
                .sort_by_key(|&m| (!entities[m as usize].id.starts_with("ofac-"), m));
        }

        let mut vocab_ids: HashMap<String, u32> = HashMap::default();
        let mut names = Vec::new();
        let mut name_start = Vec::with_capacity(entities.len() + 1);
        let mut written: HashMap<String, Vec<u32>> = HashMap::default();
        // Analyzing names is most of the work and independent per name: each
        // distinct name once (lists repeat each other's names), in
        // parallel, then gathered in order so ids stay deterministic.
        use rayon::prelude::*;
        struct Analyzed {
            tokens: Vec<terms::Token>,
            raw: Vec<Box<str>>,
            arabic: bool,
            whole_hist: Histogram,
        }
        let mut distinct: HashMap<&str, u32> = HashMap::default();
        let mut texts: Vec<&str> = Vec::new();
        let slots: Vec<Vec<u32>> = entities
            .iter()
            .map(|e| {
                e.names
                    .iter()
                    .map(|n| {
                        *distinct.entry(&n.text).or_insert_with(|| {
                            texts.push(&n.text);
                            (texts.len() - 1) as u32
                        })
                    })
                    .collect()
            })
            .collect();
        drop(distinct);
        let analyzed: Vec<Analyzed> = texts
            .par_iter()
            .map(|text| {
                let tokens = terms::analyze(text);
                let raw: Vec<Box<str>> = tokens.iter().map(raw_form).collect();
                Analyzed {
                    whole_hist: whole_histogram(raw.iter().map(|r| &r[..])),
                    raw,
                    arabic: crate::normalize::has_arabic(text),
                    tokens,
                }
            })
            .collect();
        // Words first met here: (text, class); their features come later,
        // in parallel. The words, written forms and glued pairs of each
        // distinct name are gathered once, in order of first appearance.
        let mut new_words: Vec<(String, Class)> = Vec::new();
        let mut arabic_words: Vec<bool> = Vec::new();
        let mut ids_of: Vec<Vec<u32>> = Vec::with_capacity(analyzed.len());
        let mut glued_slots: HashMap<String, Vec<u32>> = HashMap::default();
        let mut key = String::new();
        for (slot, a) in analyzed.iter().enumerate() {
            let ids: Vec<u32> = a
                .tokens
                .iter()
                .map(|t| {
                    let id = match vocab_ids.get(&t.text) {
                        Some(&id) => id,
                        None => {
                            let id = new_words.len() as u32;
                            new_words.push((t.text.clone(), t.class));
                            arabic_words.push(false);
                            vocab_ids.insert(t.text.clone(), id);
                            id
                        }
                    };
                    arabic_words[id as usize] |= a.arabic;
                    id
                })
                .collect();
            for ((&id, r), t) in ids.iter().zip(&a.raw).zip(&a.tokens) {
                if r[..] != t.text {
                    let v = written.entry(r.to_string()).or_default();
                    if !v.contains(&id) {
                        v.push(id);
                    }
                }
            }
            for (pair, rawpair) in a.tokens.windows(2).zip(a.raw.windows(2)) {
                if gluable(pair[0].class) && gluable(pair[1].class) {
                    // Each word as canonicalized or as written, as the
                    // scorer compares them.
                    for x in [&pair[0].text[..], &rawpair[0][..]] {
                        for y in [&pair[1].text[..], &rawpair[1][..]] {
                            key.clear();
                            key.push_str(x);
                            key.push_str(y);
                            match glued_slots.get_mut(&key) {
                                Some(v) => v.push(slot as u32),
                                None => {
                                    glued_slots.insert(key.clone(), vec![slot as u32]);
                                }
                            }
                        }
                    }
                }
            }
            ids_of.push(ids);
        }
        let mut names_of: Vec<Vec<u32>> = vec![Vec::new(); analyzed.len()];
        for ((ei, e), slots) in entities.iter().enumerate().zip(slots) {
            name_start.push(names.len() as u32);
            for ((ni, name), slot) in e.names.iter().enumerate().zip(slots) {
                let a = &analyzed[slot as usize];
                if a.tokens.is_empty() {
                    continue;
                }
                names_of[slot as usize].push(names.len() as u32);
                names.push(IndexedName {
                    entity: ei as u32,
                    name: ni as u32,
                    tokens: ids_of[slot as usize].clone(),
                    whole_hist: a.whole_hist,
                    raw: a.raw.clone(),
                    kind: name.kind,
                    arabic: a.arabic,
                });
            }
        }
        let mut glued: HashMap<String, Vec<u32>> = glued_slots
            .into_iter()
            .map(|(k, slots)| {
                let names: Vec<u32> = slots
                    .iter()
                    .flat_map(|&s| names_of[s as usize].iter().copied())
                    .collect();
                (k, names)
            })
            .collect();

        name_start.push(names.len() as u32);
        let mut vocab: Vec<VocabToken> = new_words
            .into_par_iter()
            .zip(arabic_words)
            .map(|((text, class), arabic)| {
                let chars: Vec<char> = text.chars().collect();
                VocabToken {
                    arabic_key: arabic_key(&text),
                    arabic,
                    phonetic: phonetic(&text),
                    hist: histogram(&chars),
                    chars,
                    skeleton: skeleton(&text),
                    text,
                    class,
                    weight: 0.0,
                }
            })
            .collect();
        // Postings, and document frequency counted once per party group.
        let mut postings: Vec<Vec<u32>> = vec![Vec::new(); vocab.len()];
        let mut df_groups: Vec<Vec<u32>> = vec![Vec::new(); vocab.len()];
        for (ni, n) in names.iter().enumerate() {
            let g = entity_group[n.entity as usize];
            for &t in &n.tokens {
                postings[t as usize].push(ni as u32);
                df_groups[t as usize].push(g);
            }
        }
        for p in &mut postings {
            p.dedup();
        }
        for v in glued.values_mut() {
            v.sort_unstable();
            v.dedup();
        }
        let n_groups = groups.len().max(1) as f32;
        for (t, gs) in df_groups.iter_mut().enumerate() {
            gs.sort_unstable();
            gs.dedup();
            let df = gs.len().max(1) as f32;
            let tok = &mut vocab[t];
            tok.weight = match tok.class {
                Class::Word => (1.0 + n_groups / df).ln(),
                Class::Legal => LEGAL_WEIGHT,
                Class::Stop => STOP_WEIGHT,
                Class::Minor => MINOR_WEIGHT,
            };
        }
        let mut group_countries: Vec<Vec<&'static str>> = vec![Vec::new(); groups.len()];
        for (ei, e) in entities.iter().enumerate() {
            let g = &mut group_countries[entity_group[ei] as usize];
            g.extend(e.countries.iter().filter_map(|c| crate::countries::iso2(c)));
        }
        for g in &mut group_countries {
            g.sort_unstable();
            g.dedup();
        }
        let mut identifiers: HashMap<String, Vec<u32>> = HashMap::default();
        for (ei, e) in entities.iter().enumerate() {
            for id in &e.identifiers {
                if let Some(key) = crate::model::normalize_identifier(&id.value) {
                    let v = identifiers.entry(key).or_default();
                    if v.last() != Some(&(ei as u32)) {
                        v.push(ei as u32);
                    }
                }
            }
        }
        let lookup = VocabLookup::new(&vocab);
        let mut legal_minor_raws: Vec<Box<str>> = names
            .iter()
            .flat_map(|n: &IndexedName| {
                n.tokens
                    .iter()
                    .zip(&n.raw)
                    .filter(|(t, _)| {
                        matches!(vocab[**t as usize].class, Class::Legal | Class::Minor)
                    })
                    .map(|(_, r)| r.clone())
            })
            .collect();
        legal_minor_raws.sort_unstable();
        legal_minor_raws.dedup();
        let mut words: Vec<(u32, f32)> = Vec::new();
        let sketches = names
            .iter()
            .map(|n| {
                let words_start = words.len() as u32;
                let mut other_weight = 0.0;
                for &t in &n.tokens {
                    let v = &vocab[t as usize];
                    if v.class == Class::Word {
                        words.push((t, v.weight));
                    } else {
                        other_weight += v.weight;
                    }
                }
                NameSketch {
                    length: crate::matcher::whole_length(n.raw.iter().map(|r| &r[..])) as u32,
                    person: entities[n.entity as usize].entity_type
                        == crate::model::EntityType::Person,
                    arabic: n.arabic,
                    other_weight,
                    words_start,
                }
            })
            .collect();
        Index {
            arabic_glue_arabic: ArabicGlue::build(&names, &vocab, |n| n.arabic),
            arabic_glue_all: std::sync::OnceLock::new(),
            sketches,
            words,
            legal_minor_raws,
            group_countries,
            name_start,
            identifiers,
            entities,
            groups,
            entity_group,
            names,
            vocab,
            vocab_ids,
            postings,
            glued,
            written,
            lookup,
            unknown_weight: (1.0 + n_groups).ln(),
        }
    }
}

/// Cheap checks that rule out listed words for [`VocabLookup::candidates`],
/// each false only when the word surely is not similar.
pub trait WordFilter {
    /// May a word of this length be similar?
    fn keep_len(&self, len: usize) -> bool;
    /// May a word of this length and letter mask ([`letter_mask`]) be similar?
    fn keep_mask(&self, len: usize, mask: u32) -> bool;
    /// May this word be similar?
    fn keep(&self, len: usize, entry: &LenEntry) -> bool;
}

/// A word of the vocabulary as [`VocabLookup::by_len`] holds it.
#[derive(Debug, Clone)]
pub struct LenEntry {
    /// The word's id.
    pub id: u32,
    /// Its first letter.
    pub first: char,
    /// Which letters it has ([`letter_mask`]).
    pub mask: u32,
    /// Its letter counts.
    pub hist: Histogram,
}

/// The vocabulary's words (class [`Class::Word`]) arranged for finding the
/// similar ones: by length (edit-distance similarity needs lengths within a
/// factor of each other), by consonant, phonetic and Arabic keys (equal keys
/// match whatever the lengths), in sorted order (a cut-off word is a prefix),
/// and by first letter (an initial).
#[derive(Debug, Default)]
pub struct VocabLookup {
    /// Words by length in characters: (id, first letter, letter counts),
    /// contiguous so that a query word scans them fast.
    pub by_len: Vec<Vec<LenEntry>>,
    /// The letter masks of `by_len`'s entries alone, in the same order: a
    /// first pass reads only these.
    pub masks_by_len: Vec<Vec<u32>>,
    /// Skeleton to word ids.
    pub by_skeleton: HashMap<String, Vec<u32>>,
    /// Phonetic skeleton to word ids.
    pub by_phonetic: HashMap<String, Vec<u32>>,
    /// Arabic key to word ids.
    pub by_arabic: HashMap<String, Vec<u32>>,
    /// (text, id), sorted by text.
    pub sorted: Vec<(String, u32)>,
    /// First letter to word ids.
    pub by_first: HashMap<char, Vec<u32>>,
}

impl VocabLookup {
    fn new(vocab: &[VocabToken]) -> VocabLookup {
        let mut l = VocabLookup::default();
        for (id, v) in vocab.iter().enumerate() {
            if v.class != Class::Word {
                continue;
            }
            let id = id as u32;
            let n = v.chars.len();
            if l.by_len.len() <= n {
                l.by_len.resize(n + 1, Vec::new());
                l.masks_by_len.resize(n + 1, Vec::new());
            }
            l.masks_by_len[n].push(letter_mask(&v.hist));
            l.by_len[n].push(LenEntry {
                id,
                first: v.chars.first().copied().unwrap_or(' '),
                mask: letter_mask(&v.hist),
                hist: v.hist,
            });
            l.by_skeleton
                .entry(v.skeleton.clone())
                .or_default()
                .push(id);
            l.by_phonetic
                .entry(v.phonetic.clone())
                .or_default()
                .push(id);
            l.by_arabic
                .entry(v.arabic_key.clone())
                .or_default()
                .push(id);
            l.sorted.push((v.text.clone(), id));
            if let Some(&c) = v.chars.first() {
                l.by_first.entry(c).or_default().push(id);
            }
        }
        l.sorted.sort();
        l
    }

    /// Ids of every word that may be similar to a query token of `chars`
    /// with these keys (a superset of those [`crate::matcher::token_similarity`]
    /// finds similar), sorted and deduplicated, with `true` for the words
    /// found by equal key, prefix or initial (the others are only of a
    /// length that edit-distance similarity allows).
    ///
    /// The words found only by length pass the filter's checks, which
    /// must keep every word the similarity rules can find similar (the
    /// caller checks them exactly).
    pub fn candidates(
        &self,
        text: &str,
        chars: &[char],
        keys: [&str; 3],
        prefix: bool,
        filter: &impl WordFilter,
    ) -> Vec<(u32, bool)> {
        let lq = chars.len();
        let mut out: Vec<(u32, bool)> = Vec::new();
        // Edit-distance similarity (mean of Jaro-Winkler and normalized
        // Damerau-Levenshtein >= FUZZY_MIN) needs |lq - ll| <= 0.44 max(lq, ll).
        let lo = (lq as f64 * 0.56).floor() as usize;
        let hi = (lq as f64 / 0.56).ceil() as usize;
        for n in lo.max(2)..=hi.min(self.by_len.len().saturating_sub(1)) {
            if !filter.keep_len(n) {
                continue;
            }
            let entries = &self.by_len[n];
            for (i, &mask) in self.masks_by_len[n].iter().enumerate() {
                if filter.keep_mask(n, mask) && filter.keep(n, &entries[i]) {
                    out.push((entries[i].id, false));
                }
            }
        }
        // Initials: a one-letter word on either side.
        if let Some(ones) = self.by_len.get(1) {
            out.extend(ones.iter().map(|e| (e.id, true)));
        }
        if lq == 1
            && let Some(ids) = self.by_first.get(&chars[0])
        {
            out.extend(ids.iter().map(|&id| (id, true)));
        }
        for (map, key) in [&self.by_skeleton, &self.by_phonetic, &self.by_arabic]
            .into_iter()
            .zip(keys)
        {
            if let Some(ids) = map.get(key) {
                out.extend(ids.iter().map(|&id| (id, true)));
            }
        }
        if prefix {
            let start = self.sorted.partition_point(|(t, _)| t.as_str() < text);
            out.extend(
                self.sorted[start..]
                    .iter()
                    .take_while(|(t, _)| t.starts_with(text))
                    .map(|(_, id)| (*id, true)),
            );
        }
        // Sorted by id, keyed entries first; one entry per id.
        out.sort_unstable_by_key(|&(id, keyed)| (id, !keyed));
        out.dedup_by_key(|e| e.0);
        out
    }
}

impl Index {
    /// Number of analyzed names.
    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    /// The weight a query token gets: the vocabulary's, or the rarest for unknown words.
    pub fn weight_of(&self, text: &str, class: Class) -> f32 {
        match class {
            Class::Legal => LEGAL_WEIGHT,
            Class::Stop => STOP_WEIGHT,
            Class::Minor => MINOR_WEIGHT,
            Class::Word => self
                .vocab_ids
                .get(text)
                .map(|&id| self.vocab[id as usize].weight)
                .unwrap_or(self.unknown_weight),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EntityType, Location, Name};

    fn entity(id: &str, uid: Option<&str>, names: &[&str]) -> Entity {
        Entity {
            id: id.to_string(),
            list: "test".to_string(),
            entity_type: EntityType::Organization,
            names: names
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    Name::new(
                        *n,
                        if i == 0 {
                            NameKind::Primary
                        } else {
                            NameKind::Strong
                        },
                    )
                })
                .collect(),
            programs: vec![],
            addresses: vec![],
            countries: vec![],
            identifiers: vec![],
            remarks: None,
            ofac_uid: uid.map(str::to_string),
            source: Location {
                file: "t".into(),
                line: 1,
            },
        }
    }

    #[test]
    fn same_ofac_entry_from_two_files_is_one_group_led_by_the_ofac_file() {
        let mut b = IndexBuilder::new();
        b.extend([
            entity(
                "csl:30882",
                Some("30882"),
                &["China Telecom Corporation Limited"],
            ),
            entity(
                "ofac-cons:30882",
                Some("30882"),
                &["CHINA TELECOM CORPORATION LIMITED"],
            ),
            entity("csl:abc", None, &["Other"]),
        ]);
        let idx = b.build();
        assert_eq!(idx.groups.len(), 2);
        assert_eq!(idx.groups[0].members, vec![1, 0]);
    }

    #[test]
    fn rare_tokens_weigh_more_than_common_ones() {
        let mut b = IndexBuilder::new();
        b.extend([
            entity("a", None, &["Golden Hikvision"]),
            entity("b", None, &["Golden Mobile"]),
            entity("c", None, &["Golden Unicom"]),
        ]);
        let idx = b.build();
        assert!(idx.weight_of("hikvision", Class::Word) > idx.weight_of("golden", Class::Word));
        assert!(idx.weight_of("neverseen", Class::Word) >= idx.weight_of("hikvision", Class::Word));
        assert!(idx.glued.contains_key("goldenhikvision"));
    }

    #[test]
    fn skeletons() {
        for (a, b) in [
            ("muhammad", "mhmd"),
            ("bank", "bnk"),
            ("trading", "trdng"),
            ("ali", "al"),
        ] {
            assert_eq!(skeleton(a), b, "{a}");
        }
    }
}
