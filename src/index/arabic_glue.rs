//! Glue by Arabic keys: where a word glued in Arabic script may meet two
//! listed words, or two glued query words one listed word.

use super::keyed::{KeyPostings, key_hash};
use super::{IndexedName, RawForms};
use crate::features::{arabic_key, gluable, glue_forms};
use crate::terms::Class;
use rayon::prelude::*;

/// (key hash, name) entries of one name.
type Entries = Vec<(u64, u32)>;

/// The shortest Arabic key the scorer compares for glued words.
const MIN_KEY_LEN: usize = 3;

/// Where a word glued in Arabic script may meet two listed words, or two
/// glued query words one listed word: Arabic script writes no short vowels,
/// so the scorer compares glued words by their Arabic keys
/// ([`arabic_key`]) when either side is in Arabic script.
#[derive(Debug, Default)]
pub struct ArabicGlue {
    /// The key of two adjacent listed words glued, each as canonicalized
    /// or as written, to the names they occur in.
    pub pairs: KeyPostings,
    /// The key of a listed word, as canonicalized or as written, to the
    /// names it occurs in.
    pub words: KeyPostings,
}

impl ArabicGlue {
    /// The keys of the names that `keep` keeps (keys of three letters or more,
    /// as the scorer requires): a word's canonical key is the vocabulary's;
    /// its written form and a pair are keyed only where they differ from
    /// those. Words, then pairs (both at once held twice the room).
    pub(super) fn build(
        names: &[IndexedName],
        forms: RawForms<'_>,
        keep: impl Fn(&IndexedName) -> bool + Sync,
    ) -> ArabicGlue {
        let words = keyed(names, &keep, |n| word_keys(n, forms));
        let pairs = keyed(names, &keep, |n| pair_keys(n, forms));
        ArabicGlue { pairs, words }
    }

    /// Is there nothing to meet?
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty() && self.words.is_empty()
    }
}

/// The keys `keys` gives of the names `keep` keeps, hashed: a run of names
/// at a time, in parallel, into one vector of entries a run (a vector a
/// name held some 200 bytes for each of a million names), then each run
/// sorted and the runs merged.
fn keyed(
    names: &[IndexedName],
    keep: &(impl Fn(&IndexedName) -> bool + Sync),
    keys: impl Fn(&IndexedName) -> Vec<String> + Sync,
) -> KeyPostings {
    const RUN: usize = 4096;
    let runs: Vec<Entries> = names
        .par_chunks(RUN)
        .enumerate()
        .map(|(run, chunk)| {
            let mut entries = Vec::new();
            for (i, n) in chunk.iter().enumerate() {
                if keep(n) {
                    let ni = (run * RUN + i) as u32;
                    entries.extend(
                        (keys(n).into_iter())
                            .filter(|k| k.len() >= MIN_KEY_LEN)
                            .map(|k| (key_hash(&k), ni)),
                    );
                }
            }
            entries.shrink_to_fit();
            entries
        })
        .collect();
    KeyPostings::from_runs(runs)
}

/// A name's word keys: each word's, as canonicalized and as written.
fn word_keys(n: &IndexedName, forms: RawForms<'_>) -> Vec<String> {
    let mut words = Vec::new();
    for (&t, &r) in n.tokens().iter().zip(n.raw()) {
        let v = &forms.vocab[t as usize];
        if v.class == Class::Word {
            words.push(v.arabic_key.clone());
            let raw = forms.get(r);
            if raw != v.text {
                words.push(arabic_key(raw));
            }
        }
    }
    words
}

/// A name's pair keys: each pair of adjacent gluable tokens glued, each as
/// canonicalized or as written.
fn pair_keys(n: &IndexedName, forms: RawForms<'_>) -> Vec<String> {
    let mut pairs = Vec::new();
    let mut glued = String::new();
    for j in 1..n.tokens().len() {
        let (v, w) = (
            &forms.vocab[n.tokens()[j - 1] as usize],
            &forms.vocab[n.tokens()[j] as usize],
        );
        if gluable(v.class) && gluable(w.class) {
            for x in glue_forms(&v.text, forms.get(n.raw()[j - 1])) {
                for y in glue_forms(&w.text, forms.get(n.raw()[j])) {
                    glued.clear();
                    glued.push_str(x);
                    glued.push_str(y);
                    pairs.push(arabic_key(&glued));
                }
            }
        }
    }
    pairs
}
