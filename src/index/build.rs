//! Building the index: each step of [`IndexBuilder::build`] its own function,
//! from party groups through analyzed names and the vocabulary to the
//! sketches the candidate search reads.

use super::keyed::{KeyPostings, key_hash};
use super::{
    ArabicGlue, Group, Index, IndexBuilder, IndexedName, LEGAL_WEIGHT, MINOR_WEIGHT, NameSketch,
    Postings, RawForms, STOP_WEIGHT, VocabLookup, VocabToken, WRITTEN_FORM,
};
use crate::features::{
    Histogram, arabic_key, gluable, glue_forms, histogram, phonetic, raw_form, skeleton,
    whole_histogram, whole_length,
};
use crate::model::{Entity, EntityType};
use crate::terms::{self, Class};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

impl IndexBuilder {
    /// An empty builder.
    pub fn new() -> IndexBuilder {
        IndexBuilder::default()
    }

    /// A builder of these entities, taken as they are (no copy: a million
    /// entities are some 300 MB).
    pub fn with_entities(entities: Vec<Entity>) -> IndexBuilder {
        IndexBuilder { entities }
    }

    /// Add entities.
    pub fn extend(&mut self, entities: impl IntoIterator<Item = Entity>) -> &mut Self {
        self.entities.extend(entities);
        self
    }

    /// Analyze every name once and build the immutable index.
    pub fn build(self) -> Index {
        let entities = self.entities;
        // Each of these steps is sequential; two at a time where neither
        // reads what the other makes.
        let ((groups, entity_group), (texts, slots)) =
            rayon::join(|| group_entities(&entities), || distinct_names(&entities));
        // Analyzing names is most of the work and independent per name: each
        // distinct name once (lists repeat each other's names), in
        // parallel, then gathered in order so ids stay deterministic.
        let (analyzed, mut words) = analyze_all(&texts);
        let ids_of = std::mem::take(&mut words.ids_of);
        let (new_words, arabic_words) = (
            std::mem::take(&mut words.new_words),
            std::mem::take(&mut words.arabic_words),
        );
        let ((names, name_start, slot_of), mut vocab) = rayon::join(
            || index_names(&entities, &slots, &analyzed, ids_of),
            || vocabulary(new_words, arabic_words),
        );
        let glued = glued_names(&analyzed, &slot_of);
        // Nothing reads them further: their room serves what follows.
        drop((analyzed, slot_of, slots, texts));
        let postings = postings_and_weights(&names, &entity_group, groups.len(), &mut vocab);
        let forms = RawForms {
            vocab: &vocab,
            written: &words.written_forms,
        };
        let n_groups = groups.len().max(1) as f32;
        // The rest reads what is built so far and is independent: in parallel.
        let legal_minor = || {
            let (raws, postings) = legal_minor_raws(&names, forms);
            let shapes: Vec<(u32, Histogram)> = (raws.iter())
                .map(|r| {
                    let chars: Vec<char> = r.chars().collect();
                    (chars.len() as u32, histogram(&chars))
                })
                .collect();
            (raws, postings, shapes)
        };
        let (
            (lookup, (group_countries, identifiers)),
            (
                ((legal_minor_raws, legal_minor_postings, legal_minor_shapes), arabic_glue_arabic),
                (sketches, words_of_names),
            ),
        ) = rayon::join(
            || {
                rayon::join(
                    || VocabLookup::new(&vocab),
                    || {
                        (
                            group_countries(&entities, &groups),
                            identifier_map(&entities),
                        )
                    },
                )
            },
            || {
                rayon::join(
                    || {
                        rayon::join(legal_minor, || {
                            ArabicGlue::build(&names, forms, |n| n.arabic)
                        })
                    },
                    || sketches(&names, forms, &entities),
                )
            },
        );
        let (postings, max_other) = by_length(postings, &sketches);
        let postings = Postings::new(postings, &sketches, |id| match vocab[id].class {
            Class::Word => vocab[id].weight,
            _ => 0.0,
        });
        let mut written_differently = vec![false; vocab.len()];
        (words.written.values().flatten()).for_each(|&id| written_differently[id as usize] = true);
        Index {
            max_other,
            arabic_glue_arabic,
            arabic_glue_all: std::sync::OnceLock::new(),
            sketches,
            words: words_of_names,
            legal_minor_raws,
            legal_minor_postings,
            legal_minor_shapes,
            group_countries,
            name_start,
            identifiers,
            entities,
            groups,
            entity_group,
            names,
            vocab,
            vocab_ids: words.vocab_ids,
            postings,
            glued,
            written_differently,
            written: words.written,
            written_forms: words.written_forms,
            lookup,
            unknown_weight: (1.0 + n_groups).ln(),
        }
    }
}

/// Groups: entities sharing an OFAC entity number are one party; an
/// entity from the OFAC files leads its group. Returns the groups and the
/// group of each entity.
fn group_entities(entities: &[Entity]) -> (Vec<Group>, Vec<u32>) {
    // The group of an OFAC number, and of an id without one (the keys
    // borrowed, not copied: a million of them).
    let mut by_uid: HashMap<&str, u32> = HashMap::default();
    let mut by_id: HashMap<&str, u32> = HashMap::default();
    let mut groups: Vec<Vec<u32>> = Vec::new();
    let mut entity_group = Vec::with_capacity(entities.len());
    for (i, e) in entities.iter().enumerate() {
        let (keys, key) = match &e.ofac_uid {
            Some(uid) => (&mut by_uid, uid.as_str()),
            None => (&mut by_id, e.id.as_str()),
        };
        let g = *keys.entry(key).or_insert_with(|| {
            groups.push(Vec::new());
            (groups.len() - 1) as u32
        });
        groups[g as usize].push(i as u32);
        entity_group.push(g);
    }
    let groups = (groups.into_iter())
        .map(|mut members| {
            // Stable: OFAC-file entities first, then load order.
            members.sort_by_key(|&m| (!entities[m as usize].id.starts_with("ofac-"), m));
            Group {
                members: members.into_boxed_slice(),
            }
        })
        .collect();
    (groups, entity_group)
}

/// The distinct name texts in order of first appearance, and the slot
/// (index into those texts) of each name of each entity, entity after entity.
fn distinct_names(entities: &[Entity]) -> (Vec<&str>, Vec<u32>) {
    let mut distinct: HashMap<&str, u32> = HashMap::default();
    let mut texts: Vec<&str> = Vec::new();
    let slots: Vec<u32> = (entities.iter().flat_map(|e| e.names.iter()))
        .map(|n| {
            *distinct.entry(&n.text).or_insert_with(|| {
                texts.push(&n.text);
                (texts.len() - 1) as u32
            })
        })
        .collect();
    (texts, slots)
}

/// One distinct name, analyzed; its tokens are gone once their words are
/// gathered ([`analyze_all`]).
struct Analyzed {
    /// Does the name have tokens?
    has_tokens: bool,
    arabic: bool,
    /// The hashes ([`key_hash`]) of its adjacent gluable tokens glued, each
    /// as canonicalized or as written, as the scorer compares them.
    glued: Vec<u64>,
}

/// Distinct names analyzed at once: their tokens are gathered into words
/// and dropped before the next batch (the tokens of a million names at
/// once are some 250 MB).
const ANALYZE_BATCH: usize = 1 << 15;

/// Analyze each distinct name, in parallel a batch at a time, and gather
/// their words in order of first appearance.
fn analyze_all(texts: &[&str]) -> (Vec<Analyzed>, Words) {
    let mut analyzed = Vec::with_capacity(texts.len());
    let mut words = Words {
        ids_of: Vec::with_capacity(texts.len()),
        ..Words::default()
    };
    // A batch's words are gathered (in order, on one thread) while the
    // next batch is analyzed.
    let mut batches = texts.chunks(ANALYZE_BATCH);
    let mut part = batches.next().map(analyze_batch).unwrap_or_default();
    loop {
        let next = batches.next();
        let (w, done) = (&mut words, &mut analyzed);
        let gathered = std::mem::take(&mut part);
        let ((), following) = rayon::join(
            move || {
                for (tokens, raw, a) in gathered {
                    w.gather(&tokens, raw, a.arabic);
                    done.push(a);
                }
            },
            || next.map(analyze_batch),
        );
        match following {
            Some(p) => part = p,
            None => break,
        }
    }
    (analyzed, words)
}

/// Distinct names analyzed in parallel, with their tokens and their forms as written.
fn analyze_batch(batch: &[&str]) -> Vec<(Vec<terms::Token>, Vec<Box<str>>, Analyzed)> {
    batch
        .par_iter()
        .map(|text| {
            let tokens = terms::analyze(text);
            let raw: Vec<Box<str>> = tokens.iter().map(raw_form).collect();
            let a = Analyzed {
                has_tokens: !tokens.is_empty(),
                glued: glued_hashes(&tokens, &raw),
                arabic: crate::normalize::has_arabic(text),
            };
            (tokens, raw, a)
        })
        .collect()
}

/// The hashes of a name's adjacent gluable tokens glued, each as
/// canonicalized or as written (each distinct form once).
///
/// And the acronyms of its runs of words ([`crate::features::acronym_runs`]):
/// a query word that may be one reaches the name as a glued word does.
fn glued_hashes(tokens: &[terms::Token], raw: &[Box<str>]) -> Vec<u64> {
    let words: Vec<(terms::Class, &str)> = tokens
        .iter()
        .zip(raw)
        .map(|(t, r)| (t.class, &**r))
        .collect();
    let mut out: Vec<u64> = (crate::features::acronym_runs(&words).iter())
        .map(|(_, _, acronym)| key_hash(acronym))
        .collect();
    let mut key = String::new();
    for (pair, rawpair) in tokens.windows(2).zip(raw.windows(2)) {
        if gluable(pair[0].class) && gluable(pair[1].class) {
            for x in glue_forms(&pair[0].text, &rawpair[0]) {
                for y in glue_forms(&pair[1].text, &rawpair[1]) {
                    key.clear();
                    key.push_str(x);
                    key.push_str(y);
                    out.push(key_hash(&key));
                }
            }
        }
    }
    out
}

/// The words and written forms of the distinct names, gathered in order
/// of first appearance.
#[derive(Default)]
struct Words {
    /// Token text to vocabulary id.
    vocab_ids: HashMap<String, u32>,
    /// Words first met here: (text, class); their features come later, in parallel.
    new_words: Vec<(String, Class)>,
    /// Does each word occur in a name written in Arabic script?
    arabic_words: Vec<bool>,
    /// The vocabulary ids of each distinct name's tokens, then their forms
    /// as written ([`IndexedName::raw`]), in one slice as a name keeps them.
    ids_of: Vec<Box<[u32]>>,
    /// The forms as written that are no token's text, each once.
    written_forms: Vec<Box<str>>,
    /// Their places in `written_forms`.
    form_ids: HashMap<Box<str>, u32>,
    /// A word as written where it differs from its canonical form, to those ids.
    written: HashMap<String, Vec<u32>>,
}

impl Words {
    /// Gather the words of the next distinct name, with its tokens.
    fn gather(&mut self, tokens: &[terms::Token], raw: Vec<Box<str>>, arabic: bool) {
        let ids: Vec<u32> = tokens.iter().map(|t| self.id_of(t, arabic)).collect();
        let mut forms = Vec::with_capacity(2 * ids.len());
        forms.extend_from_slice(&ids);
        for ((&id, r), t) in ids.iter().zip(raw).zip(tokens) {
            if r[..] == t.text {
                forms.push(id);
                continue;
            }
            let v = self.written.entry(r.to_string()).or_default();
            if !v.contains(&id) {
                v.push(id);
            }
            let next = self.written_forms.len() as u32;
            let form = *self.form_ids.entry(r).or_insert_with_key(|r| {
                self.written_forms.push(r.clone());
                next
            });
            forms.push(WRITTEN_FORM | form);
        }
        self.ids_of.push(forms.into_boxed_slice());
    }

    /// The vocabulary id of a token, a new one for a token first met; marks
    /// the word as met in Arabic script if its name is.
    fn id_of(&mut self, t: &terms::Token, arabic: bool) -> u32 {
        let id = match self.vocab_ids.get(&t.text) {
            Some(&id) => id,
            None => {
                let id = self.new_words.len() as u32;
                self.new_words.push((t.text.clone(), t.class));
                self.arabic_words.push(false);
                self.vocab_ids.insert(t.text.clone(), id);
                id
            }
        };
        self.arabic_words[id as usize] |= arabic;
        id
    }
}

/// Every entity's names with tokens, in order: the indexed names, the first
/// name of each entity (closed by the total), and the slot of each name.
fn index_names(
    entities: &[Entity],
    slots: &[u32],
    analyzed: &[Analyzed],
    mut ids_of: Vec<Box<[u32]>>,
) -> (Vec<IndexedName>, Vec<u32>, Vec<u32>) {
    let mut names: Vec<IndexedName> = Vec::with_capacity(slots.len());
    let mut name_start = Vec::with_capacity(entities.len() + 1);
    let mut slot_of = Vec::with_capacity(slots.len());
    // The first name of each slot, once there is one.
    let mut first_of: Vec<u32> = vec![u32::MAX; analyzed.len()];
    let mut slots = slots.iter();
    for (ei, e) in entities.iter().enumerate() {
        name_start.push(names.len() as u32);
        for ((ni, name), &slot) in e.names.iter().enumerate().zip(slots.by_ref()) {
            let a = &analyzed[slot as usize];
            if !a.has_tokens {
                continue;
            }
            // A slot's tokens move into its first name; a repeat copies them.
            let ids = match first_of[slot as usize] {
                u32::MAX => {
                    first_of[slot as usize] = names.len() as u32;
                    std::mem::take(&mut ids_of[slot as usize])
                }
                first => names[first as usize].ids.clone(),
            };
            slot_of.push(slot);
            names.push(IndexedName {
                entity: ei as u32,
                name: ni as u32,
                ids,
                kind: name.kind,
                arabic: a.arabic,
            });
        }
    }
    name_start.push(names.len() as u32);
    (names, name_start, slot_of)
}

/// Glued pairs to the names they occur in (`slot_of`: each name's distinct name).
fn glued_names(analyzed: &[Analyzed], slot_of: &[u32]) -> KeyPostings {
    let entries: Vec<(u64, u32)> = (slot_of.par_iter().enumerate())
        .with_min_len(1024)
        .flat_map_iter(|(n, &slot)| {
            (analyzed[slot as usize].glued.iter()).map(move |&h| (h, n as u32))
        })
        .collect();
    KeyPostings::from_entries(entries)
}

/// The vocabulary's tokens with their features (computed in parallel),
/// weights still 0.
fn vocabulary(new_words: Vec<(String, Class)>, arabic_words: Vec<bool>) -> Vec<VocabToken> {
    new_words
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
        .collect()
}

/// Postings from tokens to names, and each token's weight: a word's from
/// its document frequency counted once per party group.
fn postings_and_weights(
    names: &[IndexedName],
    entity_group: &[u32],
    groups: usize,
    vocab: &mut [VocabToken],
) -> Vec<Vec<u32>> {
    let mut postings: Vec<Vec<u32>> = vec![Vec::new(); vocab.len()];
    let mut df_groups: Vec<Vec<u32>> = vec![Vec::new(); vocab.len()];
    for (ni, n) in names.iter().enumerate() {
        let g = entity_group[n.entity as usize];
        for &t in n.tokens() {
            postings[t as usize].push(ni as u32);
            df_groups[t as usize].push(g);
        }
    }
    for p in &mut postings {
        p.dedup();
    }
    let n_groups = groups.max(1) as f32;
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
    postings
}

/// Postings ordered by the length of their names ([`NameSketch::length`]),
/// then by name, so that the names of a length band are one slice
/// ([`Index::postings_in_band`]); and for each token, the most weight of
/// tokens other than words ([`NameSketch::other_weight`]) a name holding it has.
fn by_length(mut postings: Vec<Vec<u32>>, sketches: &[NameSketch]) -> (Vec<Vec<u32>>, Vec<f32>) {
    let max_other = postings
        .par_iter_mut()
        .map(|p| {
            p.sort_unstable_by_key(|&n| (sketches[n as usize].length, n));
            (p.iter())
                .map(|&n| sketches[n as usize].other_weight)
                .fold(0.0f32, f32::max)
        })
        .collect();
    (postings, max_other)
}

/// The countries of each group as ISO codes, sorted (a boxed slice a group:
/// no room held beyond them, and none when there are none).
fn group_countries(entities: &[Entity], groups: &[Group]) -> Vec<Box<[&'static str]>> {
    (groups.par_iter())
        .with_min_len(1024)
        .map(|g| {
            let mut countries: Vec<&'static str> = (g.members.iter())
                .flat_map(|&m| &entities[m as usize].countries)
                .filter_map(|c| crate::countries::iso2(c))
                .collect();
            countries.sort_unstable();
            countries.dedup();
            countries.into_boxed_slice()
        })
        .collect()
}

/// Normalized identifiers to the entities that carry them, in load order.
fn identifier_map(entities: &[Entity]) -> HashMap<String, Vec<u32>> {
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
    identifiers
}

/// The distinct forms, as written, of the legal forms and places in the names.
fn legal_minor_raws(names: &[IndexedName], forms: RawForms<'_>) -> (Vec<Box<str>>, Vec<Vec<u32>>) {
    let vocab = forms.vocab;
    let mut occurrences: Vec<(&str, u32)> = (names.iter().enumerate())
        .flat_map(|(ni, n)| {
            (n.tokens().iter().zip(n.raw()))
                .filter(|(t, _)| matches!(vocab[**t as usize].class, Class::Legal | Class::Minor))
                .map(move |(_, &r)| (forms.get(r), ni as u32))
        })
        .collect();
    occurrences.sort_unstable();
    occurrences.dedup();
    let mut raws: Vec<Box<str>> = Vec::new();
    let mut postings: Vec<Vec<u32>> = Vec::new();
    for (r, ni) in occurrences {
        if raws.last().map(|l| &l[..]) != Some(r) {
            raws.push(r.into());
            postings.push(Vec::new());
        }
        if let Some(p) = postings.last_mut() {
            p.push(ni);
        }
    }
    (raws, postings)
}

/// Each name's sketch, and the word tokens of every name with their
/// weights, name after name.
fn sketches(
    names: &[IndexedName],
    forms: RawForms<'_>,
    entities: &[Entity],
) -> (Vec<NameSketch>, Vec<(u32, f32)>) {
    let vocab = forms.vocab;
    let mut words: Vec<(u32, f32)> = Vec::new();
    let sketches = names
        .iter()
        .map(|n| {
            let words_start = words.len() as u32;
            let (mut other_weight, mut word_weight) = (0.0, 0.0);
            for &t in n.tokens() {
                let v = &vocab[t as usize];
                if v.class == Class::Word {
                    words.push((t, v.weight));
                    word_weight += v.weight;
                } else {
                    other_weight += v.weight;
                }
            }
            NameSketch {
                length: whole_length(n.raw().iter().map(|&r| forms.get(r))) as u32,
                whole_hist: whole_histogram(n.raw().iter().map(|&r| forms.get(r))),
                person: entities[n.entity as usize].entity_type == EntityType::Person,
                arabic: n.arabic,
                other_weight,
                word_weight,
                words_start,
            }
        })
        .collect();
    (sketches, words)
}
