//! The vocabulary's words arranged for finding those that may be similar
//! to a query word, and the [`WordFilter`] through which the matcher rules
//! words out cheaply.

use super::VocabToken;
use crate::features::{Histogram, letter_mask};
use crate::terms::Class;
use rustc_hash::FxHashMap as HashMap;

/// Cheap checks that rule out listed words for [`VocabLookup::candidates`],
/// each false only when the word surely is not similar.
pub trait WordFilter {
    /// The lengths, in characters, of the words that may be similar for
    /// a reason other than an equal key, a prefix or an initial: `(shortest, longest)`.
    fn lengths(&self) -> (usize, usize);
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
    /// The lookup of a vocabulary's words; its parts are independent and
    /// built in parallel.
    pub(super) fn new(vocab: &[VocabToken]) -> VocabLookup {
        let words = || {
            (vocab.iter().enumerate())
                .filter(|(_, v)| v.class == Class::Word)
                .map(|(id, v)| (id as u32, v))
        };
        let by_key = |key: fn(&VocabToken) -> &String| {
            let mut map: HashMap<String, Vec<u32>> = HashMap::default();
            for (id, v) in words() {
                match map.get_mut(key(v)) {
                    Some(ids) => ids.push(id),
                    None => {
                        map.insert(key(v).clone(), vec![id]);
                    }
                }
            }
            map
        };
        let ((by_len, masks_by_len), ((by_skeleton, by_phonetic), (by_arabic, (sorted, by_first)))) =
            rayon::join(
                || {
                    let mut by_len: Vec<Vec<LenEntry>> = Vec::new();
                    let mut masks: Vec<Vec<u32>> = Vec::new();
                    for (id, v) in words() {
                        let n = v.chars.len();
                        if by_len.len() <= n {
                            by_len.resize(n + 1, Vec::new());
                            masks.resize(n + 1, Vec::new());
                        }
                        masks[n].push(letter_mask(&v.hist));
                        by_len[n].push(LenEntry {
                            id,
                            first: v.chars.first().copied().unwrap_or(' '),
                            mask: letter_mask(&v.hist),
                            hist: v.hist,
                        });
                    }
                    (by_len, masks)
                },
                || {
                    rayon::join(
                        || rayon::join(|| by_key(|v| &v.skeleton), || by_key(|v| &v.phonetic)),
                        || {
                            rayon::join(
                                || by_key(|v| &v.arabic_key),
                                || {
                                    let mut sorted: Vec<(String, u32)> =
                                        words().map(|(id, v)| (v.text.clone(), id)).collect();
                                    sorted.sort_unstable();
                                    let mut by_first: HashMap<char, Vec<u32>> = HashMap::default();
                                    for (id, v) in words() {
                                        if let Some(&c) = v.chars.first() {
                                            by_first.entry(c).or_default().push(id);
                                        }
                                    }
                                    (sorted, by_first)
                                },
                            )
                        },
                    )
                },
            );
        VocabLookup {
            by_len,
            masks_by_len,
            by_skeleton,
            by_phonetic,
            by_arabic,
            sorted,
            by_first,
        }
    }

    /// Ids of every word that may be similar to a query token of `chars`
    /// with these keys (a superset of those the matcher finds similar),
    /// sorted and deduplicated: the words found by equal key, prefix or
    /// initial, and the words of the filter's lengths that pass its checks,
    /// which must keep every word the matcher's scanned rules can find
    /// similar (the caller checks them exactly).
    pub fn candidates(
        &self,
        text: &str,
        chars: &[char],
        keys: [&str; 3],
        prefix: bool,
        filter: &impl WordFilter,
    ) -> Vec<u32> {
        let lq = chars.len();
        let mut out: Vec<u32> = Vec::new();
        // One-letter words are initials, found below.
        let (lo, hi) = filter.lengths();
        for n in lo.max(2)..=hi.min(self.by_len.len().saturating_sub(1)) {
            if !filter.keep_len(n) {
                continue;
            }
            let entries = &self.by_len[n];
            for (i, &mask) in self.masks_by_len[n].iter().enumerate() {
                if filter.keep_mask(n, mask) && filter.keep(n, &entries[i]) {
                    out.push(entries[i].id);
                }
            }
        }
        // Initials: a one-letter word on either side.
        if let Some(ones) = self.by_len.get(1) {
            out.extend(ones.iter().map(|e| e.id));
        }
        if lq == 1
            && let Some(ids) = self.by_first.get(&chars[0])
        {
            out.extend(ids);
        }
        for (map, key) in [&self.by_skeleton, &self.by_phonetic, &self.by_arabic]
            .into_iter()
            .zip(keys)
        {
            if let Some(ids) = map.get(key) {
                out.extend(ids);
            }
        }
        if prefix {
            let start = self.sorted.partition_point(|(t, _)| t.as_str() < text);
            out.extend(
                self.sorted[start..]
                    .iter()
                    .take_while(|(t, _)| t.starts_with(text))
                    .map(|(_, id)| *id),
            );
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}
