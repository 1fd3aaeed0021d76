//! The vocabulary's words arranged for finding those that may be similar
//! to a query word, and the [`WordFilter`] through which the matcher rules
//! words out cheaply.

use super::VocabToken;
use crate::features::{Histogram, letter_mask};
use crate::terms::Class;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

/// Cheap checks that rule out listed words for [`VocabLookup::candidates`],
/// each false only when the word surely is not similar.
pub trait WordFilter {
    /// The lengths, in characters, of the words that may be similar for
    /// a reason other than an equal key, a prefix or an initial: `(shortest, longest)`.
    fn lengths(&self) -> (usize, usize);
    /// The query word's letters (the buckets of [`letter_mask`]), each
    /// with how many of the query word's letters a word lacking it lacks
    /// (its count in the query word).
    fn letters(&self) -> &[(u32, u32)];
    /// How many of the query word's letters (counted as in
    /// [`WordFilter::letters`]) a word of this length may lack and still be
    /// kept: when its first letter is the query word's, and when it is
    /// another (`None`: no such word is kept). `None`: no word of this
    /// length is kept. A word lacking more is surely not similar. The
    /// cheapest check, made on every word of the length, 64 at a time.
    fn most_lacking(&self, len: usize) -> Option<(u32, Option<u32>)>;
    /// May this word be similar (a word within [`WordFilter::most_lacking`])?
    fn keep(&self, len: usize, entry: &LenEntry) -> bool;
    /// What the scanned rules make of a word [`WordFilter::keep`] kept,
    /// from its entry and its characters (read from the lookup's
    /// contiguous copy, not from the vocabulary): `None` when they find it
    /// not similar.
    type Measure;
    /// See [`WordFilter::Measure`].
    fn measure(&self, entry: &LenEntry, chars: &[char]) -> Option<Self::Measure>;
}

/// The buckets of [`letter_mask`]: `a` to `z`, and all other characters.
const BUCKETS: usize = std::mem::size_of::<Histogram>();

/// The letters of 64 words of one length in a row, a column a bucket:
/// bit `j` of column `b` says whether word `j` of the block has a letter
/// of bucket `b` ([`letter_mask`] turned on its side). A scan counts what
/// 64 words lack with a few operations a query letter.
type Columns = [u64; BUCKETS];

/// The most lacking letters [`lacking_too_many`] counts apart: a budget
/// beyond it keeps every word.
const MOST_COUNTED: usize = 63;

/// Which of a block's words lack more of the query word's `letters` than
/// `most_same` (the words in `same`, whose first letter is the query
/// word's) or `most_other` (the rest; `None`: all of them), as bits.
///
/// Bit-sliced counting: `at_least[k]` holds the words that lack `k` or
/// more so far (saturating at the largest budget plus one), and each
/// letter, missing from the words of `!column`, raises them by its count.
fn lacking_too_many(
    columns: &Columns,
    letters: &[(u32, u32)],
    same: u64,
    most_same: u32,
    most_other: Option<u32>,
) -> u64 {
    let top = (most_same.max(most_other.unwrap_or(0)) as usize + 1).min(MOST_COUNTED + 1);
    let mut at_least = [0u64; MOST_COUNTED + 2];
    at_least[0] = !0;
    for &(bucket, count) in letters {
        let lacks = !columns[bucket as usize];
        let count = count as usize;
        for k in (1..=top).rev() {
            at_least[k] |= lacks & if k >= count { at_least[k - count] } else { !0 };
        }
    }
    let over = |most: u32| match most as usize + 1 {
        k if k <= top => at_least[k],
        _ => 0,
    };
    let other = most_other.map_or(!0, over);
    (over(most_same) & same) | (other & !same)
}

/// The [`Columns`] of words, 64 a block (the last block's missing words
/// have no letter).
fn columns_of(entries: &[LenEntry]) -> Vec<Columns> {
    (entries.chunks(64))
        .map(|block| {
            let mut columns = [0u64; BUCKETS];
            for (j, e) in block.iter().enumerate() {
                let mut mask = letter_mask(&e.hist);
                while mask != 0 {
                    columns[mask.trailing_zeros() as usize] |= 1 << j;
                    mask &= mask - 1;
                }
            }
            columns
        })
        .collect()
}

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
    /// contiguous so that a query word scans them fast, each length's in
    /// order of first letter (then id), so that those sharing the query
    /// word's first letter are one run.
    pub by_len: Vec<Vec<LenEntry>>,
    /// The letters of `by_len`'s entries, 64 in a block (`Columns`): a
    /// scan reads only these for every word of a length.
    pub columns_by_len: Vec<Vec<Columns>>,
    /// The characters of `by_len`'s entries, end to end in the same order
    /// (entry `i` of length `n` at `n * i..n * (i + 1)`): the scanned
    /// rules measure a word from here, without reading the vocabulary.
    pub chars_by_len: Vec<Vec<char>>,
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
            (by_len, columns_by_len, chars_by_len),
            ((by_skeleton, by_phonetic), (by_arabic, (sorted, by_first))),
        ) = rayon::join(
            || {
                let mut by_len: Vec<Vec<LenEntry>> = Vec::new();
                for (id, v) in words() {
                    let n = v.chars.len();
                    if by_len.len() <= n {
                        by_len.resize(n + 1, Vec::new());
                    }
                    by_len[n].push(LenEntry {
                        id,
                        first: v.chars.first().copied().unwrap_or(' '),
                        hist: v.hist,
                        arabic: v.arabic,
                    });
                }
                // Each length apart, in parallel.
                let (columns, chars) = (by_len.par_iter_mut())
                    .map(|entries| {
                        entries.sort_unstable_by_key(|e| (e.first, e.id));
                        let chars: Vec<char> = (entries.iter())
                            .flat_map(|e| vocab[e.id as usize].chars.iter().copied())
                            .collect();
                        (columns_of(entries), chars)
                    })
                    .unzip();
                (by_len, columns, chars)
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
            columns_by_len,
            chars_by_len,
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
        let letters = filter.letters();
        let first = q.chars.first().copied().unwrap_or(' ');
        // One-letter words are initials, found below.
        let (lo, hi) = filter.lengths();
        for n in lo.max(2)..=hi.min(self.by_len.len().saturating_sub(1)) {
            let Some((most_same, most_other)) = filter.most_lacking(n) else {
                continue;
            };
            let (entries, chars) = (&self.by_len[n], &self.chars_by_len[n]);
            // The words sharing the query word's first letter, and the
            // blocks to read: those holding them alone when no other word
            // may be kept.
            let same_start = entries.partition_point(|e| e.first < first);
            let same_end = same_start + entries[same_start..].partition_point(|e| e.first == first);
            let blocks = match most_other {
                Some(_) => 0..entries.len().div_ceil(64),
                None => same_start / 64..same_end.div_ceil(64),
            };
            for b in blocks {
                let base = b * 64;
                let lanes = |from: usize, to: usize| -> u64 {
                    let (from, to) = (from.clamp(base, base + 64), to.clamp(base, base + 64));
                    match to - from {
                        0 => 0,
                        64 => !0,
                        w => ((1u64 << w) - 1) << (from - base),
                    }
                };
                let same = lanes(same_start, same_end);
                let mut kept = lanes(base, entries.len())
                    & !lacking_too_many(
                        &self.columns_by_len[n][b],
                        letters,
                        same,
                        most_same,
                        most_other,
                    );
                while kept != 0 {
                    let i = base + kept.trailing_zeros() as usize;
                    kept &= kept - 1;
                    if filter.keep(n, &entries[i])
                        && let Some(m) = filter.measure(&entries[i], &chars[n * i..n * (i + 1)])
                    {
                        scanned.push((entries[i].id, m));
                    }
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
        fn letters(&self) -> &[(u32, u32)] {
            &[]
        }
        fn most_lacking(&self, _: usize) -> Option<(u32, Option<u32>)> {
            None
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
    /// word's letters (counted by `letters`), and nothing else.
    struct Lacking {
        len: usize,
        letters: Vec<(u32, u32)>,
        most: (u32, Option<u32>),
    }
    impl WordFilter for Lacking {
        fn lengths(&self) -> (usize, usize) {
            (self.len, self.len)
        }
        fn letters(&self) -> &[(u32, u32)] {
            &self.letters
        }
        fn most_lacking(&self, len: usize) -> Option<(u32, Option<u32>)> {
            (len == self.len).then_some(self.most)
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
    fn a_scan_keeps_the_words_within_the_budget_and_no_other() {
        // Five-letter words over a few common letters (runs of each first
        // letter that cross blocks of 64), a few with rare ones, and
        // six-letter words that a five-letter scan must not read.
        let letters = ['a', 'e', 'n', 'r', 's', 'l', 'i', 'o'];
        let mut texts: Vec<String> = (0..3000u32)
            .map(|i| {
                (0..5)
                    .map(|k| letters[((i >> (3 * k)) & 7) as usize])
                    .collect()
            })
            .collect();
        texts.extend(
            [
                "zaxen", "qazen", "zeqxa", "xanez", "zaner", "zzaqx", "zaqxee",
            ]
            .map(String::from),
        );
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
        for text in ["zaqxe", "anner", "sasal", "eeeee", "olien"] {
            let chars: Vec<char> = text.chars().collect();
            let q = LookedUp {
                text,
                chars: &chars,
                skeleton: "",
                phonetic: "",
                arabic_key: "",
                may_be_cut: false,
            };
            let hist = crate::features::histogram(&chars);
            let counted: Vec<(u32, u32)> = (hist.iter().enumerate())
                .filter(|&(_, &n)| n > 0)
                .map(|(b, &n)| (b as u32, u32::from(n)))
                .collect();
            let budgets = [
                (0, None),
                (0, Some(0)),
                (1, Some(0)),
                (2, None),
                (2, Some(1)),
                (3, Some(3)),
                (5, Some(2)),
                (70, Some(70)),
            ];
            for most in budgets {
                let filter = Lacking {
                    len: 5,
                    letters: counted.clone(),
                    most,
                };
                let found = lookup.candidates(&q, &[], &filter);
                let got: Vec<&str> = (found.scanned.iter())
                    .map(|&(id, ())| idx.vocab[id as usize].text.as_str())
                    .collect();
                let mut want: Vec<&str> = (idx.vocab.iter().enumerate())
                    .filter(|(_, v)| v.class == Class::Word && v.chars.len() == 5)
                    .filter(|(_, v)| {
                        let lacking: u32 = (counted.iter())
                            .filter(|&&(b, _)| v.hist[b as usize] == 0)
                            .map(|&(_, n)| n)
                            .sum();
                        match (v.chars[0] == chars[0], most) {
                            (true, (same, _)) => lacking <= same,
                            (false, (_, Some(other))) => lacking <= other,
                            (false, (_, None)) => false,
                        }
                    })
                    .map(|(_, v)| v.text.as_str())
                    .collect();
                // Found words come sorted by id, as the vocabulary is.
                want.sort_by_key(|t| idx.vocab_ids[*t]);
                assert_eq!(got, want, "{text}, most {most:?}");
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
