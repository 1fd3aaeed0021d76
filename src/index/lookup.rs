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
    /// The query word's letter mask ([`letter_mask`]), the mask of the
    /// letters it has twice or more, and how many of its letters a word of
    /// this length may lack and still be kept: a word lacking more of them
    /// (a letter the query word has once counted once, one it has more
    /// often twice) is surely not similar. The cheapest check, made on
    /// every word scanned.
    fn most_lacking(&self, len: usize) -> (u32, u32, u32);
    /// May a word of this length and letter mask ([`letter_mask`]) be similar?
    fn keep_mask(&self, len: usize, mask: u32) -> bool;
    /// May this word be similar?
    fn keep(&self, len: usize, entry: &LenEntry) -> bool;
    /// What the scanned rules make of a word [`WordFilter::keep`] kept,
    /// from its entry and its characters (read from the lookup's
    /// contiguous copy, not from the vocabulary): `None` when they find it
    /// not similar.
    type Measure;
    /// See [`WordFilter::Measure`].
    fn measure(&self, entry: &LenEntry, chars: &[char]) -> Option<Self::Measure>;
}

/// A scan reads the words with its pivot letters apart only while they
/// are at most one in this many of the words of their length (else it
/// reads them all, in a row).
const PIVOT_SHARE: usize = 3;

/// For [`VocabLookup::letter_starts`]: each letter's words among `masks`.
fn by_letter(masks: &[u32]) -> (Vec<u32>, Vec<u32>) {
    let mut starts = vec![0u32; 33];
    for &m in masks {
        for b in 0..32 {
            starts[b + 1] += m >> b & 1;
        }
    }
    for b in 0..32 {
        starts[b + 1] += starts[b];
    }
    let mut next = starts.clone();
    let mut words = vec![0u32; starts[32] as usize];
    for (i, &m) in masks.iter().enumerate() {
        let mut bits = m;
        while bits != 0 {
            let b = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            words[next[b] as usize] = i as u32;
            next[b] += 1;
        }
    }
    (starts, words)
}

/// How many words' masks [`VocabLookup::candidates`] checks in a row.
const SCAN_BLOCK: usize = 64;

/// The words [`VocabLookup::candidates`] finds for a query word.
#[derive(Debug)]
pub struct Candidates<M> {
    /// The words its scan kept, each with what [`WordFilter::measure`]
    /// made of it, sorted by id.
    pub scanned: Vec<(u32, M)>,
    /// The words its keys found, sorted and deduplicated: the caller
    /// measures them by every rule (a scanned word among them too).
    pub keyed: Vec<u32>,
}

/// A way [`VocabLookup::candidates`] finds listed words besides scanning
/// their lengths: the token rules that meet words so say which
/// (`Found::ByKey` in the matcher), and the lookup runs each they name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// The word itself.
    Exact,
    /// A one-letter word on either side.
    Initial,
    /// An equal consonant skeleton.
    Skeleton,
    /// An equal phonetic skeleton.
    Phonetic,
    /// An equal Arabic key.
    Arabic,
    /// A listed word the query word begins, when it may be cut off.
    Prefix,
}

/// A query word as [`VocabLookup::candidates`] looks it up.
#[derive(Debug, Clone, Copy)]
pub struct LookedUp<'a> {
    /// Its text.
    pub text: &'a str,
    /// Its characters.
    pub chars: &'a [char],
    /// Its consonant skeleton.
    pub skeleton: &'a str,
    /// Its phonetic skeleton.
    pub phonetic: &'a str,
    /// Its Arabic key.
    pub arabic_key: &'a str,
    /// May it be cut off (the last word of a name)?
    pub may_be_cut: bool,
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
    /// Does it occur in a name written in Arabic script?
    pub arabic: bool,
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
    /// The characters of `by_len`'s entries, end to end in the same order
    /// (entry `i` of length `n` at `n * i..n * (i + 1)`): the scanned
    /// rules measure a word from here, without reading the vocabulary.
    pub chars_by_len: Vec<Vec<char>>,
    /// By length, the places in `by_len` of the words that have each
    /// letter ([`letter_mask`]'s bits): those of letter `b` are
    /// `letter_words[n][letter_starts[n][b]..letter_starts[n][b + 1]]`,
    /// ascending. A scan reads only the words that have one of a few of
    /// the query word's rarest letters, when that is enough.
    pub letter_starts: Vec<Vec<u32>>,
    /// See `letter_starts`.
    pub letter_words: Vec<Vec<u32>>,
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
        let (
            (by_len, masks_by_len, chars_by_len),
            ((by_skeleton, by_phonetic), (by_arabic, (sorted, by_first))),
        ) = rayon::join(
            || {
                let mut by_len: Vec<Vec<LenEntry>> = Vec::new();
                let mut masks: Vec<Vec<u32>> = Vec::new();
                let mut chars: Vec<Vec<char>> = Vec::new();
                for (id, v) in words() {
                    let n = v.chars.len();
                    if by_len.len() <= n {
                        by_len.resize(n + 1, Vec::new());
                        masks.resize(n + 1, Vec::new());
                        chars.resize(n + 1, Vec::new());
                    }
                    masks[n].push(letter_mask(&v.hist));
                    chars[n].extend_from_slice(&v.chars);
                    by_len[n].push(LenEntry {
                        id,
                        first: v.chars.first().copied().unwrap_or(' '),
                        mask: letter_mask(&v.hist),
                        hist: v.hist,
                        arabic: v.arabic,
                    });
                }
                (by_len, masks, chars)
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
        let (letter_starts, letter_words) = masks_by_len.iter().map(|m| by_letter(m)).unzip();
        VocabLookup {
            by_len,
            masks_by_len,
            chars_by_len,
            letter_starts,
            letter_words,
            by_skeleton,
            by_phonetic,
            by_arabic,
            sorted,
            by_first,
        }
    }

    /// The words that may be similar to a query token of `chars` with
    /// these keys (a superset of those the matcher finds similar): the
    /// words found by equal key, prefix or initial, and the words of the
    /// filter's lengths that pass its checks, which must keep every word
    /// the matcher's scanned rules can find similar, each measured by
    /// [`WordFilter::measure`] (a word a key finds is measured by the
    /// caller).
    pub fn candidates<F: WordFilter>(
        &self,
        q: &LookedUp,
        keys: &[Key],
        filter: &F,
    ) -> Candidates<F::Measure> {
        let mut scanned = Vec::new();
        // One-letter words are initials, found below.
        let (lo, hi) = filter.lengths();
        for n in lo.max(2)..=hi.min(self.by_len.len().saturating_sub(1)) {
            if !filter.keep_len(n) {
                continue;
            }
            let (entries, chars) = (&self.by_len[n], &self.chars_by_len[n]);
            let masks = &self.masks_by_len[n];
            let (query, twice, most) = filter.most_lacking(n);
            let lacks_too_many = |mask: u32| {
                let lacking = query & !mask;
                lacking.count_ones() + (lacking & twice).count_ones() > most
            };
            let mut check = |i: usize| {
                if filter.keep_mask(n, masks[i])
                    && filter.keep(n, &entries[i])
                    && let Some(m) = filter.measure(&entries[i], &chars[n * i..n * (i + 1)])
                {
                    scanned.push((entries[i].id, m));
                }
            };
            if let Some(pivots) = self.pivots(n, query, twice, most) {
                // Only the words that have a pivot letter: marked, then
                // read in order.
                let mut marked = vec![0u64; masks.len().div_ceil(64)];
                for &i in pivots.iter().flat_map(|p| p.iter()) {
                    marked[i as usize / 64] |= 1 << (i % 64);
                }
                for (w, &bits) in marked.iter().enumerate() {
                    let mut bits = bits;
                    while bits != 0 {
                        let i = w * 64 + bits.trailing_zeros() as usize;
                        bits &= bits - 1;
                        if !lacks_too_many(masks[i]) {
                            check(i);
                        }
                    }
                }
                continue;
            }
            // Lacking letters are counted for a block of words in a row,
            // which the compiler does several words at a time; the rare
            // words kept are then looked at one by one.
            let mut kept = [false; SCAN_BLOCK];
            for (b, block) in masks.chunks(SCAN_BLOCK).enumerate() {
                for (k, &mask) in kept.iter_mut().zip(block) {
                    *k = !lacks_too_many(mask);
                }
                for (j, _) in kept[..block.len()].iter().enumerate().filter(|(_, k)| **k) {
                    check(b * SCAN_BLOCK + j);
                }
            }
        }
        scanned.sort_unstable_by_key(|&(id, _)| id);
        let mut keyed = Vec::new();
        for &key in keys {
            self.by_key(key, q, &mut keyed);
        }
        keyed.sort_unstable();
        keyed.dedup();
        Candidates { scanned, keyed }
    }

    /// The lists of words of length `n` with one of the query word's
    /// letters that a word must have one of to lack no more than `most`
    /// of them (a letter of `twice` counts two): its rarest letters, until
    /// lacking them all is too many. `None` when no such letters exist or
    /// their lists hold too many words to be worth reading apart.
    fn pivots(&self, n: usize, query: u32, twice: u32, most: u32) -> Option<Vec<&[u32]>> {
        let (starts, words) = (&self.letter_starts[n], &self.letter_words[n]);
        let list = |b: u32| &words[starts[b as usize] as usize..starts[b as usize + 1] as usize];
        let mut letters: Vec<u32> = (0..32).filter(|b| query >> b & 1 == 1).collect();
        letters.sort_by_key(|&b| list(b).len());
        let (mut lacked, mut pivots, mut read) = (0, Vec::new(), 0);
        for b in letters {
            lacked += 1 + (twice >> b & 1);
            pivots.push(list(b));
            read += list(b).len();
            if read * PIVOT_SHARE > self.masks_by_len[n].len() {
                return None;
            }
            if lacked > most {
                return Some(pivots);
            }
        }
        None
    }

    /// The words one key finds for a query word.
    fn by_key(&self, key: Key, q: &LookedUp, out: &mut Vec<u32>) {
        let mut equal = |map: &HashMap<String, Vec<u32>>, k: &str| {
            if let Some(ids) = map.get(k) {
                out.extend(ids);
            }
        };
        match key {
            Key::Exact => {
                let start = self.sorted.partition_point(|(t, _)| t.as_str() < q.text);
                out.extend(
                    (self.sorted.get(start))
                        .filter(|(t, _)| t == q.text)
                        .map(|(_, id)| *id),
                );
            }
            Key::Initial => {
                // A one-letter listed word is an initial of the query
                // words it begins (an equal one is found as exact).
                if let (Some(ones), Some(first)) = (self.by_len.get(1), q.chars.first()) {
                    out.extend(ones.iter().filter(|e| e.first == *first).map(|e| e.id));
                }
                if let [first] = q.chars
                    && let Some(ids) = self.by_first.get(first)
                {
                    out.extend(ids);
                }
            }
            Key::Skeleton => equal(&self.by_skeleton, q.skeleton),
            Key::Phonetic => equal(&self.by_phonetic, q.phonetic),
            Key::Arabic => equal(&self.by_arabic, q.arabic_key),
            Key::Prefix if q.may_be_cut => {
                let start = self.sorted.partition_point(|(t, _)| t.as_str() < q.text);
                out.extend(
                    self.sorted[start..]
                        .iter()
                        .take_while(|(t, _)| t.starts_with(q.text))
                        .map(|(_, id)| *id),
                );
            }
            Key::Prefix => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::{arabic_key, phonetic, skeleton};
    use crate::index::IndexBuilder;
    use crate::model::{Entity, Location, Name, NameKind};

    /// Scans no length: only the keys find words.
    struct NoScan;
    impl WordFilter for NoScan {
        fn lengths(&self) -> (usize, usize) {
            (1, 0)
        }
        fn keep_len(&self, _: usize) -> bool {
            false
        }
        fn most_lacking(&self, _: usize) -> (u32, u32, u32) {
            (0, 0, 0)
        }
        fn keep_mask(&self, _: usize, _: u32) -> bool {
            false
        }
        fn keep(&self, _: usize, _: &LenEntry) -> bool {
            false
        }
        type Measure = ();
        fn measure(&self, _: &LenEntry, _: &[char]) -> Option<()> {
            None
        }
    }

    /// Keeps the words of one length lacking at most `most` of the query
    /// word's letters (one of `twice` counting two), and nothing else.
    struct Lacking {
        len: usize,
        query: u32,
        twice: u32,
        most: u32,
    }
    impl WordFilter for Lacking {
        fn lengths(&self) -> (usize, usize) {
            (self.len, self.len)
        }
        fn keep_len(&self, len: usize) -> bool {
            len == self.len
        }
        fn most_lacking(&self, _: usize) -> (u32, u32, u32) {
            (self.query, self.twice, self.most)
        }
        fn keep_mask(&self, _: usize, _: u32) -> bool {
            true
        }
        fn keep(&self, _: usize, _: &LenEntry) -> bool {
            true
        }
        type Measure = ();
        fn measure(&self, _: &LenEntry, _: &[char]) -> Option<()> {
            Some(())
        }
    }

    #[test]
    fn a_scan_by_rare_letters_keeps_what_a_scan_of_every_word_keeps() {
        // Five-letter words over a few common letters, and a few with rare ones.
        let letters = ['a', 'e', 'n', 'r', 's', 'l', 'i', 'o'];
        let mut texts: Vec<String> = (0..3000u32)
            .map(|i| {
                (0..5)
                    .map(|k| letters[((i >> (3 * k)) & 7) as usize])
                    .collect()
            })
            .collect();
        texts.extend(["zaxen", "qazen", "zeqxa", "xanez", "zaner"].map(String::from));
        let entities: Vec<Entity> = (texts.iter().enumerate())
            .map(|(i, t)| Entity {
                names: vec![Name::new(t, NameKind::Primary)],
                ..Entity::new(
                    format!("x:{i}"),
                    "X",
                    Location {
                        file: "x".into(),
                        line: 1,
                    },
                )
            })
            .collect();
        let idx = IndexBuilder::with_entities(entities).build();
        let lookup = &idx.lookup;
        let q = LookedUp {
            text: "zaqxe",
            chars: &['z', 'a', 'q', 'x', 'e'],
            skeleton: "",
            phonetic: "",
            arabic_key: "",
            may_be_cut: false,
        };
        let mask_of = |w: &str| {
            let chars: Vec<char> = w.chars().collect();
            letter_mask(&crate::features::histogram(&chars))
        };
        for (most, twice) in [(0, 0), (1, 0), (2, 0), (1, mask_of("z")), (3, 0)] {
            let filter = Lacking {
                len: 5,
                query: mask_of(q.text),
                twice,
                most,
            };
            let found = lookup.candidates(&q, &[], &filter);
            let mut got: Vec<&str> = (found.scanned.iter())
                .map(|&(id, ())| idx.vocab[id as usize].text.as_str())
                .collect();
            got.sort_unstable();
            let mut want: Vec<&str> = (idx.vocab.iter())
                .filter(|v| v.class == Class::Word && v.chars.len() == 5)
                .filter(|v| {
                    let lacking = filter.query & !letter_mask(&v.hist);
                    lacking.count_ones() + (lacking & twice).count_ones() <= most
                })
                .map(|v| v.text.as_str())
                .collect();
            want.sort_unstable();
            assert_eq!(got, want, "most {most}, twice {twice:b}");
            if most < 3 {
                assert!(
                    lookup.pivots(5, filter.query, twice, most).is_some(),
                    "rare letters are read apart (most {most})"
                );
            }
        }
    }

    #[test]
    fn each_key_finds_its_words_and_only_where_asked() {
        let name = Name::new("REVOLUTIONARY GUARD J", NameKind::Primary);
        let e = Entity {
            names: vec![name],
            ..Entity::new(
                "x:1",
                "X",
                Location {
                    file: "x".into(),
                    line: 1,
                },
            )
        };
        let idx = IndexBuilder::with_entities(vec![e]).build();
        let words = |found: Vec<u32>| -> Vec<&str> {
            found
                .iter()
                .map(|&id| idx.vocab[id as usize].text.as_str())
                .collect()
        };
        let find = |text: &str, cut: bool, keys: &[Key]| {
            let chars: Vec<char> = text.chars().collect();
            let (s, p, a) = (skeleton(text), phonetic(text), arabic_key(text));
            let q = LookedUp {
                text,
                chars: &chars,
                skeleton: &s,
                phonetic: &p,
                arabic_key: &a,
                may_be_cut: cut,
            };
            let found = idx.lookup.candidates(&q, keys, &NoScan);
            assert!(found.scanned.is_empty());
            words(found.keyed)
        };
        assert_eq!(find("guard", false, &[Key::Exact]), ["guard"]);
        assert!(
            find("guard", false, &[]).is_empty(),
            "no key, no scan: nothing"
        );
        assert_eq!(find("revol", true, &[Key::Prefix]), ["revolutionary"]);
        assert!(
            find("revol", false, &[Key::Prefix]).is_empty(),
            "not a cut-off word"
        );
        // An initial meets the words it begins; a word meets the one-letter
        // word of its first letter, and no other.
        assert_eq!(find("g", false, &[Key::Initial]), ["guard"]);
        assert_eq!(find("jones", false, &[Key::Initial]), ["j"]);
        assert!(find("guard", false, &[Key::Initial]).is_empty());
        assert_eq!(find("gard", false, &[Key::Skeleton]), ["guard"]);
        assert!(find("gard", false, &[Key::Exact, Key::Prefix]).is_empty());
    }
}
