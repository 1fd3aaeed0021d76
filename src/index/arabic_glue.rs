//! Glue by Arabic keys: where a word glued in Arabic script may meet two
//! listed words, or two glued query words one listed word.

use super::{IndexedName, VocabToken};
use crate::features::{arabic_key, gluable, glue_forms};
use crate::terms::Class;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

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
    pub pairs: HashMap<String, Vec<u32>>,
    /// The key of a listed word, as canonicalized or as written, to the
    /// names it occurs in.
    pub words: HashMap<String, Vec<u32>>,
}

impl ArabicGlue {
    /// The keys of the names that `keep` keeps (keys of three letters or more,
    /// as the scorer requires). Each name's keys are worked out apart, in
    /// parallel (a word's canonical key is the vocabulary's; its written
    /// form and a pair are keyed only where they differ from those), then
    /// gathered in name order.
    pub(super) fn build(
        names: &[IndexedName],
        vocab: &[VocabToken],
        keep: impl Fn(&IndexedName) -> bool + Sync,
    ) -> ArabicGlue {
        let keyed: Vec<(Vec<String>, Vec<String>)> = names
            .par_iter()
            .map(|n| {
                if keep(n) {
                    name_keys(n, vocab)
                } else {
                    Default::default()
                }
            })
            .collect();
        let mut g = ArabicGlue::default();
        for (ni, (words, pairs)) in keyed.into_iter().enumerate() {
            let ni = ni as u32;
            for (map, keys) in [(&mut g.words, words), (&mut g.pairs, pairs)] {
                for key in keys {
                    if key.len() >= MIN_KEY_LEN {
                        let names = map.entry(key).or_default();
                        // Names arrive in order: a repeat is the last one.
                        if names.last() != Some(&ni) {
                            names.push(ni);
                        }
                    }
                }
            }
        }
        g
    }

    /// Is there nothing to meet?
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty() && self.words.is_empty()
    }
}

/// A name's keys: of each word, as canonicalized and as written, and of
/// each pair of adjacent gluable tokens glued, each as canonicalized or as
/// written.
fn name_keys(n: &IndexedName, vocab: &[VocabToken]) -> (Vec<String>, Vec<String>) {
    let (mut words, mut pairs) = (Vec::new(), Vec::new());
    let mut glued = String::new();
    for j in 0..n.tokens.len() {
        let v = &vocab[n.tokens[j] as usize];
        if v.class == Class::Word {
            words.push(v.arabic_key.clone());
            if n.raw[j][..] != v.text {
                words.push(arabic_key(&n.raw[j]));
            }
        }
        let Some(&next) = n.tokens.get(j + 1) else {
            continue;
        };
        let w = &vocab[next as usize];
        if gluable(v.class) && gluable(w.class) {
            for x in glue_forms(&v.text, &n.raw[j]) {
                for y in glue_forms(&w.text, &n.raw[j + 1]) {
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
