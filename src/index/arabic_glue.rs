//! Glue by Arabic keys: where a word glued in Arabic script may meet two
//! listed words, or two glued query words one listed word.

use super::{IndexedName, VocabToken};
use crate::features::{arabic_key, gluable};
use crate::terms::Class;
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
    /// as the scorer requires).
    pub(super) fn build(
        names: &[IndexedName],
        vocab: &[VocabToken],
        keep: impl Fn(&IndexedName) -> bool,
    ) -> ArabicGlue {
        let mut g = ArabicGlue::default();
        let add = |map: &mut HashMap<String, Vec<u32>>, key: String, name: u32| {
            if key.len() >= MIN_KEY_LEN {
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
