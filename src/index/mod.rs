//! The in-memory index: every list name analyzed once, a vocabulary of
//! tokens with rarity weights, postings from tokens to names, and the grouping
//! of entities that are the same party on several lists.
//!
//! [`IndexBuilder`] collects entities; [`IndexBuilder::build`] returns an
//! immutable [`Index`] that the [`crate::matcher`] searches.
//!
//! - [`build`](IndexBuilder::build) (`build.rs`): groups, analyzed names,
//!   vocabulary, postings, weights and sketches, step by step;
//! - `lookup.rs`: [`VocabLookup`], the vocabulary arranged for finding the
//!   words that may be similar to a query word;
//! - `arabic_glue.rs`: [`ArabicGlue`], glued words met by their Arabic keys.
//!
//! Token features (skeletons, histograms...) live in [`crate::features`],
//! which the matcher uses too; they are re-exported here.

mod arabic_glue;
mod build;
mod keyed;
mod lookup;
mod postings;

pub use crate::features::{
    Histogram, arabic_key, common_bound, gluable, histogram, histogram_edits, letter_mask,
    phonetic, raw_form, skeleton, whole_histogram,
};
pub use arabic_glue::{AllGlue, ArabicGlue};
pub use keyed::{KeyPostings, key_hash};
pub use lookup::{Key, LenEntry, LookedUp, VocabLookup, WordFilter};
pub use postings::{LETTERS_MASK, PERSON_MASK_BIT, Postings, other_words_weight};

use crate::model::{Entity, NameKind};
use crate::terms::Class;
use rustc_hash::FxHashMap as HashMap;

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
    /// [`IndexedName::tokens`], then [`IndexedName::raw`], in one slice
    /// (two held 32 bytes more a name, some 40 MB with a million names).
    pub(super) ids: Box<[u32]>,
    /// Name kind (copied for speed).
    pub kind: NameKind,
    /// Written in Arabic script?
    pub arabic: bool,
}

impl IndexedName {
    /// The name's tokens, as vocabulary ids, in order.
    pub fn tokens(&self) -> &[u32] {
        &self.ids[..self.ids.len() / 2]
    }

    /// Each token as folded before canonicalization, words joined
    /// (`industrial` for `industry`), for glued-word checks: ids of the forms
    /// ([`Index::raw`]), each stored once for the whole index (a string a
    /// token was some 60 bytes a name with a million names).
    pub fn raw(&self) -> &[u32] {
        &self.ids[self.ids.len() / 2..]
    }
}

/// Entities that are the same party (the same OFAC entry loaded from the OFAC
/// files and from the CSL); a report shows the group once.
#[derive(Debug, Clone)]
pub struct Group {
    /// Member entity indexes; the first is the representative shown in reports.
    pub members: Box<[u32]>,
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
    pub group_countries: Vec<Box<[&'static str]>>,
    /// Every analyzed name.
    pub names: Vec<IndexedName>,
    /// First name of each entity in [`Index::names`] (names are stored by
    /// entity, in order; the last element closes the last entity).
    pub name_start: Vec<u32>,
    /// The vocabulary.
    pub vocab: Vec<VocabToken>,
    /// Token text to vocabulary id.
    pub vocab_ids: HashMap<String, u32>,
    /// Vocabulary id to the names containing it, deduplicated, ordered by
    /// the names' lengths ([`NameSketch::length`]), then by name, each with
    /// its name's whole-name letter mask.
    pub postings: Postings,
    /// For each vocabulary id, the most [`NameSketch::other_weight`] of a
    /// name in its postings (what the candidate search's prefix bound reads).
    pub max_other: Vec<f32>,
    /// Two adjacent word tokens glued together, each as canonicalized or
    /// as written, to the names they occur in (finds `HIKVISION` for `HIK VISION`).
    pub glued: KeyPostings,
    /// A word as written in some name where it differs from its canonical
    /// form (`mohammed` for `muhammad`), to those vocabulary ids.
    pub written: HashMap<String, Vec<u32>>,
    /// Is each vocabulary id written somewhere otherwise than its text?
    pub written_differently: Vec<bool>,
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
    /// The names each of them occurs in (sorted), in the same order.
    pub legal_minor_postings: Vec<Vec<u32>>,
    /// Their lengths in characters and letter counts, in the same order.
    pub legal_minor_shapes: Vec<(u32, Histogram)>,
    /// What the candidate search's bound needs of each name, compactly.
    pub sketches: Vec<NameSketch>,
    /// Glue by Arabic keys among the names written in Arabic script.
    arabic_glue_arabic: ArabicGlue,
    /// Glue by Arabic keys among all names, built when a query in Arabic
    /// script first needs it.
    arabic_glue_all: std::sync::OnceLock<AllGlue>,
    /// The forms as written ([`IndexedName::raw`]) that are no
    /// vocabulary token's text.
    written_forms: Vec<Box<str>>,
    /// The word tokens of every name with their weights, name after name
    /// ([`Index::sketch_words`]).
    words: Vec<(u32, f32)>,
}

/// A form as written ([`IndexedName::raw`]) is a vocabulary id where it is
/// the token's text, else this bit and its place among the written forms.
const WRITTEN_FORM: u32 = 1 << 31;

/// Resolves the ids of forms as written ([`IndexedName::raw`]).
#[derive(Clone, Copy)]
struct RawForms<'a> {
    vocab: &'a [VocabToken],
    written: &'a [Box<str>],
}

impl<'a> RawForms<'a> {
    /// The form of an id.
    fn get(self, form: u32) -> &'a str {
        if form & WRITTEN_FORM != 0 {
            &self.written[(form & !WRITTEN_FORM) as usize]
        } else {
            &self.vocab[form as usize].text
        }
    }
}

/// What the candidate search needs of a name to rule it out without
/// scoring it, in a few bytes read together.
#[derive(Debug, Clone, Copy, Default)]
pub struct NameSketch {
    /// The length of its words as written, joined by spaces
    /// ([`crate::features::whole_length`]).
    pub length: u32,
    /// Letter counts of its words as written, joined by spaces
    /// ([`whole_histogram`]): beside the length, so that a whole-name typo
    /// is ruled out from the one sketch read.
    pub whole_hist: Histogram,
    /// Is its entity a person?
    pub person: bool,
    /// Written in Arabic script?
    pub arabic: bool,
    /// The weight of its tokens that are not words (legal forms, places, particles).
    pub other_weight: f32,
    /// The weight of its words ([`Index::sketch_words`]).
    pub word_weight: f32,
    /// Where its words begin in the index's word list.
    words_start: u32,
}

impl Index {
    /// Glue by Arabic keys among the names written in Arabic script (see
    /// [`ArabicGlue`]), for a query in another.
    pub fn arabic_glue(&self) -> &ArabicGlue {
        &self.arabic_glue_arabic
    }

    /// Glue by Arabic keys among all names, for a query in Arabic script
    /// (see [`AllGlue`]): made when first asked for.
    pub fn arabic_glue_all(&self) -> &AllGlue {
        self.arabic_glue_all
            .get_or_init(|| AllGlue::build(&self.names, self.raw_forms(), &self.written))
    }

    /// The names of which a word, as canonicalized or as written, has the
    /// Arabic key `key` (of three letters or more), for two glued query
    /// words: among the names written in Arabic script, or, for a query in
    /// Arabic script (`arabic_query`), among all, as the postings of the
    /// words with that key (those of a word written so hold the names it
    /// is written otherwise in too: more names to score, none missed).
    pub fn arabic_word_names(&self, arabic_query: bool, key: &str) -> Vec<&[u32]> {
        if !arabic_query {
            return self.arabic_glue_arabic.words.get(key).into_iter().collect();
        }
        if key.len() < arabic_glue::MIN_KEY_LEN {
            return Vec::new();
        }
        let canonical = self.lookup.by_arabic.get(key).into_iter().flatten();
        let written = self
            .arabic_glue_all()
            .written
            .get(key)
            .into_iter()
            .flatten();
        let mut ids: Vec<u32> = canonical.chain(written).copied().collect();
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
            .map(|id| &self.postings[id as usize])
            .collect()
    }

    /// The names holding vocabulary id `id` whose lengths
    /// ([`NameSketch::length`]) lie in `lengths` (and, for a band reaching
    /// past 254 characters, all longer ones: [`Postings::in_band`]), each
    /// with its whole-name letter mask ([`Postings::with_masks`]).
    pub fn postings_in_band(
        &self,
        id: u32,
        lengths: std::ops::RangeInclusive<u32>,
    ) -> (&[u32], &[u32]) {
        self.postings.in_band(id, lengths)
    }

    /// A token's form as written ([`IndexedName::raw`]).
    pub fn raw(&self, form: u32) -> &str {
        self.raw_forms().get(form)
    }

    /// The forms as written, with the vocabulary they refer to.
    fn raw_forms(&self) -> RawForms<'_> {
        RawForms {
            vocab: &self.vocab,
            written: &self.written_forms,
        }
    }

    /// Bring the sketches of these names, and their first words
    /// ([`Index::sketch_words`]), into the cache before they are read one by
    /// one: a loop of loads that depend on nothing before them lets the
    /// processor wait for many cache misses at once. Nothing is changed;
    /// only the time of the reads that follow.
    pub fn fetch_sketches(&self, names: impl Iterator<Item = u32> + Clone) {
        let mut sum = 0u32;
        for n in names.clone() {
            let s = &self.sketches[n as usize];
            sum = sum.wrapping_add(s.length ^ s.words_start);
        }
        for n in names {
            let start = self.sketches[n as usize].words_start as usize;
            if let Some(&(t, _)) = self.words.get(start) {
                sum = sum.wrapping_add(t);
            }
        }
        std::hint::black_box(sum);
    }

    /// Bring what scoring these names reads first into the cache: each
    /// name, its token ids and the vocabulary entries they name, three
    /// loops of independent loads (see [`Index::fetch_sketches`]).
    pub fn fetch_names(&self, names: impl Iterator<Item = u32> + Clone) {
        let mut sum = 0u32;
        for n in names.clone() {
            let name = &self.names[n as usize];
            sum = sum.wrapping_add(name.entity ^ name.ids.len() as u32);
        }
        for n in names.clone() {
            if let Some(&t) = self.names[n as usize].ids.first() {
                sum = sum.wrapping_add(t);
            }
        }
        for n in names {
            for &t in self.names[n as usize].tokens() {
                sum = sum.wrapping_add(self.vocab[t as usize].weight.to_bits());
            }
        }
        std::hint::black_box(sum);
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
            ofac_uid: uid.map(str::to_string),
            ..Entity::new(
                id,
                "test",
                Location {
                    file: "t".into(),
                    line: 1,
                },
            )
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
        assert_eq!(idx.groups[0].members[..], [1, 0]);
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
        assert!(idx.glued.get("goldenhikvision").is_some());
    }
}
