//! Glue by Arabic keys: where a word glued in Arabic script may meet two
//! listed words, or two glued query words one listed word.

use super::keyed::{KeyPostings, key_hash};
use super::{IndexedName, RawForms, WRITTEN_FORM};
#[cfg(test)]
use crate::features::glue_forms;
use crate::features::{arabic_key, gluable};
use crate::terms::Class;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

/// (key hash, name) entries of one name.
type Entries = Vec<(u64, u32)>;

/// The shortest Arabic key the scorer compares for glued words.
pub(super) const MIN_KEY_LEN: usize = 3;

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
    /// as the scorer requires). A key is a function of its text, and names
    /// repeat their words and pairs of words: each form's key, and each
    /// distinct pair's, is made once ([`form_hashes`], [`pair_entries`]),
    /// not once an occurrence (a million names made some three million
    /// keys, each a few allocations). Words, then pairs (both at once held
    /// twice the room).
    pub(super) fn build(
        names: &[IndexedName],
        forms: RawForms<'_>,
        keep: impl Fn(&IndexedName) -> bool + Sync,
    ) -> ArabicGlue {
        let hashes = form_hashes(names, forms, &keep);
        let words = KeyPostings::from_entries(word_entries(names, forms, &keep, &hashes));
        drop(hashes);
        let pairs = KeyPostings::from_entries(pair_entries(names, forms, &keep));
        ArabicGlue { pairs, words }
    }

    /// Is there nothing to meet?
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty() && self.words.is_empty()
    }
}

/// Glue by Arabic keys among all names, for a query in Arabic script: the
/// pairs of adjacent words glued, as [`ArabicGlue::pairs`]. A single
/// listed word is met through the Arabic keys the vocabulary has already
/// ([`super::VocabLookup::by_arabic`]), and, for the forms as written, by
/// [`AllGlue::written`]: keying every word of every name too took a third
/// of the time of the first such query with a million names, and held a
/// posting for each.
#[derive(Debug, Default)]
pub struct AllGlue {
    /// The key of two adjacent words of any name glued, each as
    /// canonicalized or as written, to the names they occur in.
    pub pairs: KeyPostings,
    /// The Arabic key (of three letters or more) of a word as written
    /// where it differs from its canonical form ([`super::Index::written`]),
    /// to those words' vocabulary ids.
    pub written: HashMap<String, Vec<u32>>,
}

impl AllGlue {
    /// The glue of every name, and the keys of the forms as written
    /// (`written`: form to the words written so).
    pub(super) fn build(
        names: &[IndexedName],
        forms: RawForms<'_>,
        written: &HashMap<String, Vec<u32>>,
    ) -> AllGlue {
        let (pairs, written) = rayon::join(
            || KeyPostings::from_entries(pair_entries(names, forms, &|_| true)),
            || {
                let mut keyed: HashMap<String, Vec<u32>> = HashMap::default();
                for (form, ids) in written {
                    let key = arabic_key(form);
                    if key.len() < MIN_KEY_LEN {
                        continue;
                    }
                    let words = ids
                        .iter()
                        .filter(|&&id| forms.vocab[id as usize].class == Class::Word);
                    keyed.entry(key).or_default().extend(words);
                }
                for ids in keyed.values_mut() {
                    ids.sort_unstable();
                    ids.dedup();
                }
                keyed.retain(|_, ids| !ids.is_empty());
                keyed
            },
        );
        AllGlue { pairs, written }
    }
}

/// No key: shorter than [`MIN_KEY_LEN`], or the form occurs in no name kept.
const NO_KEY: u64 = u64::MAX;

/// The hash of a key, or [`NO_KEY`] when it is too short to compare.
fn hash_of(key: &str) -> u64 {
    if key.len() >= MIN_KEY_LEN {
        key_hash(key)
    } else {
        NO_KEY
    }
}

/// Where a form's hash is kept in [`form_hashes`]' table: vocabulary ids
/// first, then the forms as written.
fn form_slot(form: u32, vocab: usize) -> usize {
    if form & WRITTEN_FORM != 0 {
        vocab + (form & !WRITTEN_FORM) as usize
    } else {
        form as usize
    }
}

/// The Arabic key hash of each word form the kept names hold (the
/// vocabulary's key of a token as canonicalized, [`arabic_key`] of a form
/// as written where it differs), by [`form_slot`]; [`NO_KEY`] elsewhere.
fn form_hashes(
    names: &[IndexedName],
    forms: RawForms<'_>,
    keep: &(impl Fn(&IndexedName) -> bool + Sync),
) -> Vec<u64> {
    let vocab = forms.vocab.len();
    let mut used = vec![false; vocab + forms.written.len()];
    for n in names.iter().filter(|n| keep(n)) {
        for (&t, &r) in n.tokens().iter().zip(n.raw()) {
            if forms.vocab[t as usize].class == Class::Word {
                used[t as usize] = true;
                used[form_slot(r, vocab)] = true;
            }
        }
    }
    (used.par_iter().enumerate())
        .map(|(slot, &used)| match (used, slot < vocab) {
            (false, _) => NO_KEY,
            (true, true) => hash_of(&forms.vocab[slot].arabic_key),
            (true, false) => hash_of(&arabic_key(&forms.written[slot - vocab])),
        })
        .collect()
}

/// The entries `of` gives of each name `keep` keeps (with its place), in
/// name order, in one vector made to measure: counted a run of names at a
/// time, then written in place, in parallel (collected, the entries were
/// held twice while the pieces were joined: some 50 MB with a million names).
fn gather(
    names: &[IndexedName],
    keep: &(impl Fn(&IndexedName) -> bool + Sync),
    of: impl Fn(u32, &IndexedName, &mut dyn FnMut((u64, u32))) + Sync,
) -> Entries {
    const RUN: usize = 4096;
    let run = |k: usize, chunk: &[IndexedName], put: &mut dyn FnMut((u64, u32))| {
        for (i, n) in chunk.iter().enumerate() {
            if keep(n) {
                of((k * RUN + i) as u32, n, put);
            }
        }
    };
    let counts: Vec<usize> = (names.par_chunks(RUN).enumerate())
        .map(|(k, chunk)| {
            let mut count = 0;
            run(k, chunk, &mut |_| count += 1);
            count
        })
        .collect();
    let mut entries = vec![(0u64, 0u32); counts.iter().sum()];
    let mut rest = &mut entries[..];
    let mut slices = Vec::with_capacity(counts.len());
    for &c in &counts {
        let (slice, tail) = rest.split_at_mut(c);
        slices.push(slice);
        rest = tail;
    }
    (names.par_chunks(RUN).enumerate())
        .zip(slices)
        .for_each(|((k, chunk), slice)| {
            let mut at = 0;
            run(k, chunk, &mut |e| {
                slice[at] = e;
                at += 1;
            });
        });
    entries
}

/// (key hash, name) of each word of the kept names, as canonicalized and
/// as written ([`word_keys`], from [`form_hashes`]).
fn word_entries(
    names: &[IndexedName],
    forms: RawForms<'_>,
    keep: &(impl Fn(&IndexedName) -> bool + Sync),
    hashes: &[u64],
) -> Entries {
    let vocab = forms.vocab.len();
    gather(names, keep, |i, n, put| {
        for (&t, &r) in n.tokens().iter().zip(n.raw()) {
            if forms.vocab[t as usize].class != Class::Word {
                continue;
            }
            let written = (r != t).then(|| hashes[form_slot(r, vocab)]);
            for h in std::iter::once(hashes[t as usize]).chain(written) {
                if h != NO_KEY {
                    put((h, i));
                }
            }
        }
    })
}

/// (key hash, name) of each pair of adjacent gluable tokens of the kept
/// names glued, each as canonicalized or as written ([`pair_keys`]): the
/// pairs of forms are gathered, sorted, and each distinct pair's key made
/// once, in place.
fn pair_entries(
    names: &[IndexedName],
    forms: RawForms<'_>,
    keep: &(impl Fn(&IndexedName) -> bool + Sync),
) -> Entries {
    let mut entries = gather(names, keep, |i, n, put| {
        let (tokens, raw) = (n.tokens(), n.raw());
        let form =
            |k: usize| std::iter::once(tokens[k]).chain((raw[k] != tokens[k]).then_some(raw[k]));
        for j in 1..tokens.len() {
            if gluable(forms.vocab[tokens[j - 1] as usize].class)
                && gluable(forms.vocab[tokens[j] as usize].class)
            {
                for x in form(j - 1) {
                    for y in form(j) {
                        put((u64::from(x) << 32 | u64::from(y), i));
                    }
                }
            }
        }
    });
    entries.par_sort_unstable();
    // Each run of one pair of forms is keyed once.
    entries.par_chunk_by_mut(|a, b| a.0 == b.0).for_each(|run| {
        let (x, y) = ((run[0].0 >> 32) as u32, run[0].0 as u32);
        let mut glued = String::from(forms.get(x));
        glued.push_str(forms.get(y));
        let h = hash_of(&arabic_key(&glued));
        run.iter_mut().for_each(|e| e.0 = h);
    });
    entries.retain(|e| e.0 != NO_KEY);
    entries
}

#[cfg(test)]
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

#[cfg(test)]
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{Index, IndexBuilder};
    use crate::model::{Entity, EntityType, Location, Name, NameKind};

    fn index(names: &[&str]) -> Index {
        let mut b = IndexBuilder::new();
        b.extend(names.iter().enumerate().map(|(i, n)| Entity {
            entity_type: EntityType::Person,
            names: vec![Name::new(*n, NameKind::Primary)],
            ..Entity::new(
                format!("p:{i}"),
                "test",
                Location {
                    file: "t".into(),
                    line: 1,
                },
            )
        }));
        b.build()
    }

    /// The keys made once a form or a pair of forms are the keys made once
    /// an occurrence ([`word_keys`], [`pair_keys`]), name by name.
    #[test]
    fn keys_made_once_a_form_are_those_made_once_an_occurrence() {
        let idx = index(&[
            "AL-ZAWAHIRI, Ayman",
            "AZ ZAWAHIRI, Aiman Muhammad",
            "عبد الله محمد",
            "Abd al-Rahman Abdullah",
            "José María AL SAYYID",
            "Jose Maria ALSAYYID",
            "GAZ PROM NEFT LIMITED",
            "Ho Chi",
            "Abu Bakr al-Baghdadi al-Husayni",
            "Müller Straße Trading Company",
            // Forms as written that differ from the canonical ones
            // (`mohammed` for `muhammad`, `ould` for `al`, `abdel`).
            "Mohammed Yousef Hussein",
            "Abdel Aziz Ould Mohamed",
            "Industrial Trading Company Sayed",
        ]);
        let forms = idx.raw_forms();
        let built = ArabicGlue::build(&idx.names, forms, |_| true);
        let reference = |keys: &dyn Fn(&IndexedName) -> Vec<String>| {
            let entries = (idx.names.iter().enumerate())
                .flat_map(|(i, n)| {
                    keys(n)
                        .into_iter()
                        .filter(|k| k.len() >= MIN_KEY_LEN)
                        .map(move |k| (key_hash(&k), i as u32))
                })
                .collect();
            KeyPostings::from_entries(entries)
        };
        let words = reference(&|n| word_keys(n, forms));
        let pairs = reference(&|n| pair_keys(n, forms));
        assert!(
            words.len() > 12 && pairs.len() > 12,
            "{} {}",
            words.len(),
            pairs.len()
        );
        assert_eq!(built.words.len(), words.len());
        assert_eq!(built.pairs.len(), pairs.len());
        for n in &idx.names {
            for key in word_keys(n, forms).iter().chain(&pair_keys(n, forms)) {
                assert_eq!(built.words.get(key), words.get(key), "{key}");
                assert_eq!(built.pairs.get(key), pairs.get(key), "{key}");
            }
        }
        // Only the names kept are keyed.
        let arabic = ArabicGlue::build(&idx.names, forms, |n| n.arabic);
        let kept: Vec<&IndexedName> = idx.names.iter().filter(|n| n.arabic).collect();
        assert_eq!(kept.len(), 1);
        let keys = word_keys(kept[0], forms);
        assert!(!keys.is_empty());
        assert!(arabic.words.len() < words.len());
        for key in keys.iter().filter(|k| k.len() >= MIN_KEY_LEN) {
            let name = (idx.names.iter()).position(|n| n.arabic).unwrap() as u32;
            assert_eq!(arabic.words.get(key), Some(&[name][..]), "{key}");
        }
    }

    /// For a query in Arabic script, a word's key meets every name that
    /// keying every word of every name would (through the vocabulary's
    /// keys and those of the forms as written), and the pairs are those of
    /// all names.
    #[test]
    fn words_met_through_the_vocabulary_are_those_of_every_name() {
        let idx = index(&[
            "AL-ZAWAHIRI, Ayman",
            "عبد الله محمد",
            "Abd al-Rahman Abdullah",
            "Mohammed Yousef Hussein",
            "Abdel Aziz Ould Mohamed",
            "Industrial Trading Company Sayed",
            "GAZ PROM NEFT LIMITED",
        ]);
        let forms = idx.raw_forms();
        let every = ArabicGlue::build(&idx.names, forms, |_| true);
        let all = idx.arabic_glue_all();
        let mut checked = 0;
        for n in &idx.names {
            for key in word_keys(n, forms) {
                let met: Vec<u32> = (idx.arabic_word_names(true, &key).into_iter())
                    .flatten()
                    .copied()
                    .collect();
                for name in every.words.get(&key).unwrap_or_default() {
                    assert!(met.contains(name), "{key}: name {name} not met");
                    checked += 1;
                }
            }
            for key in pair_keys(n, forms) {
                assert_eq!(all.pairs.get(&key), every.pairs.get(&key), "{key}");
            }
        }
        assert!(checked > 20, "{checked}");
        // Some form as written has a key of its own, which the written
        // forms' keys meet (`abdel` for canonical `abd`).
        let own = (idx.written.iter()).find(|(form, ids)| {
            let key = arabic_key(form);
            key.len() >= MIN_KEY_LEN
                && ids
                    .iter()
                    .all(|&id| idx.vocab[id as usize].arabic_key != key)
        });
        let (form, ids) = own.expect("a form as written with a key of its own");
        let key = arabic_key(form);
        assert!(!idx.lookup.by_arabic.contains_key(&key), "{form}");
        let met = idx.arabic_word_names(true, &key);
        assert!(
            ids.iter()
                .all(|&id| met.contains(&&idx.postings[id as usize])),
            "{form}"
        );
        // Among the names in Arabic script only, for a query in another.
        assert_eq!(
            idx.arabic_word_names(false, &arabic_key("zawahiri")).len(),
            0
        );
    }
}
