//! Glue by Arabic keys: where a word glued in Arabic script may meet two
//! listed words, or two glued query words one listed word.

use super::keyed::{KeyPostings, key_hash};
use super::{IndexedName, RawForms, VocabToken};
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
    /// as the scorer requires). The names are keyed a run of them at a
    /// time, in parallel, into one vector of entries a run (a word's
    /// canonical key is the vocabulary's; its written form and a pair are
    /// keyed only where they differ from those), then hashed and sorted.
    /// A vector a name would hold some 200 bytes for each of a million names.
    pub(super) fn build(
        names: &[IndexedName],
        forms: RawForms<'_>,
        keep: impl Fn(&IndexedName) -> bool + Sync,
    ) -> ArabicGlue {
        const RUN: usize = 4096;
        let keyed: Vec<(Entries, Entries)> = names
            .par_chunks(RUN)
            .enumerate()
            .map(|(run, chunk)| {
                let (mut words, mut pairs) = (Vec::new(), Vec::new());
                for (i, n) in chunk.iter().enumerate() {
                    if !keep(n) {
                        continue;
                    }
                    let ni = (run * RUN + i) as u32;
                    let (w, p) = name_keys(n, forms);
                    let hashed = |keys: Vec<String>| {
                        (keys.into_iter())
                            .filter(|k| k.len() >= MIN_KEY_LEN)
                            .map(move |k| (key_hash(&k), ni))
                    };
                    words.extend(hashed(w));
                    pairs.extend(hashed(p));
                }
                (words, pairs)
            })
            .collect();
        let (words, pairs): (Vec<_>, Vec<_>) = keyed.into_iter().unzip();
        let joined = |runs: Vec<Entries>| {
            let mut all = Vec::with_capacity(runs.iter().map(Vec::len).sum());
            runs.into_iter().for_each(|r| all.extend(r));
            KeyPostings::from_entries(all)
        };
        // One after the other: both at once held twice the room.
        let words = joined(words);
        let pairs = joined(pairs);
        ArabicGlue { pairs, words }
    }

    /// Is there nothing to meet?
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty() && self.words.is_empty()
    }
}

/// A name's keys: of each word, as canonicalized and as written, and of
/// each pair of adjacent gluable tokens glued, each as canonicalized or as
/// written.
fn name_keys(n: &IndexedName, forms: RawForms<'_>) -> (Vec<String>, Vec<String>) {
    let vocab: &[VocabToken] = forms.vocab;
    let (mut words, mut pairs) = (Vec::new(), Vec::new());
    let mut glued = String::new();
    for j in 0..n.tokens.len() {
        let v = &vocab[n.tokens[j] as usize];
        if v.class == Class::Word {
            words.push(v.arabic_key.clone());
            let raw = forms.get(n.raw[j]);
            if raw != v.text {
                words.push(arabic_key(raw));
            }
        }
        let Some(&next) = n.tokens.get(j + 1) else {
            continue;
        };
        let w = &vocab[next as usize];
        if gluable(v.class) && gluable(w.class) {
            for x in glue_forms(&v.text, forms.get(n.raw[j])) {
                for y in glue_forms(&w.text, forms.get(n.raw[j + 1])) {
                    glued.clear();
                    glued.push_str(x);
                    glued.push_str(y);
                    pairs.push(arabic_key(&glued));
                }
            }
        }
    }
    (words, pairs)
}
