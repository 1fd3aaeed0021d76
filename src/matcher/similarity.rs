//! Token similarity: how one query token meets one listed token, as a
//! table of rules ([`RULES`]): exact, initial, swapped letters,
//! Jaro-Winkler and edit distance, one typo, a romanization alternation,
//! consonant skeleton, phonetic skeleton, prefix, Arabic key.
//!
//! Each rule has a name, a score, a test and a `possible` precondition over
//! what is [`Known`] of a pair. The precondition gates the rule here, and
//! the candidate filters ([`super::bound`]) derive from the same
//! preconditions with less known (lengths, shared letters, first letters),
//! so a rule and its bound cannot drift apart.

use super::distance;
use crate::features::{
    Histogram, arabic_key, arabic_vowels_agree, common_bound, histogram, phonetic, skeleton,
};
use crate::index::{Key, VocabToken};
use serde::Serialize;
use std::ops::RangeInclusive;

/// How a query token met a listed token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum How {
    /// Same canonical token.
    Exact,
    /// Same after canonicalizing a legal form or abbreviation.
    Canonical,
    /// Jaro-Winkler similarity (a typo or spelling variant).
    Fuzzy,
    /// Same consonants (vowel-less or differently vowelled writing).
    Skeleton,
    /// The query's last word is the start of the listed word (a cut-off name).
    Prefix,
    /// An initial met a word starting with that letter.
    Initial,
    /// Two words on one side are one glued word on the other.
    Glued,
    /// A word is the initials of words on the other side (`ANPP`).
    Acronym,
    /// Two different legal forms.
    LegalForm,
    /// Same phonetic skeleton (a transliteration variant).
    Phonetic,
    /// Same consonants, one side transliterated from Arabic script
    /// (`حسن` / `HASSAN`): see [`crate::index::arabic_key`].
    Arabic,
}

/// The similarity of equal tokens.
pub(super) const EQUAL: f32 = 1.0;
/// The similarity of tokens that do not meet.
pub(super) const NO_MATCH: f32 = 0.0;
/// The similarity of two different legal forms.
pub(super) const DIFFERENT_LEGAL_FORMS: f32 = 0.5;

/// Similarity of two canonical tokens in `0.0..=1.0`, and how they met.
/// `last_query_token` allows a prefix match (names cut short by a system).
///
/// ```
/// use sanctions::matcher::{token_similarity, How};
/// assert_eq!(token_similarity("hikvision", "hikvision", false).0, 1.0);
/// assert!(token_similarity("hikvison", "hikvision", false).0 > 0.9);
/// assert_eq!(token_similarity("mhmmd", "muhammad", false).1, How::Skeleton);
/// // A short vowel-less word meets by its dropped vowels (which a name keeps
/// // only beside another such word: `SLM` alone is not `SALMI`).
/// assert_eq!(token_similarity("crr", "correa", false), (0.9, How::Skeleton));
/// assert_eq!(token_similarity("revolu", "revolutionary", true).1, How::Prefix);
/// assert_eq!(token_similarity("apple", "sensetime", false).0, 0.0);
/// ```
pub fn token_similarity(query: &str, listed: &str, last_query_token: bool) -> (f32, How) {
    let (q, l) = (TokenFeatures::new(query), TokenFeatures::new(listed));
    similarity(&TokenPair::new(q.view(), l.view(), last_query_token, false))
}

/// Similarity of two tokens with the same [`crate::index::arabic_key`] when
/// one of them comes from a name written in Arabic script.
pub const ARABIC_SIM: f32 = 0.95;

/// Similarity of two words of five letters or more with the same
/// three-consonant phonetic skeleton.
pub const PHONETIC_SHORT: f32 = 0.85;

/// Similarity of two three-to-six-letter words that differ in one letter of
/// a romanization alternation (k/g, k/c, k/q, g/q, i/y).
pub const TRANSLIT_ALTERNATION: f32 = 0.85;

/// Words of at least this many letters whose normalized Damerau-Levenshtein
/// similarity reaches [`LONG_TYPO_LEV`] count as fuzzy matches whatever
/// their Jaro-Winkler similarity.
pub const LONG_TYPO_LEN: usize = 10;

/// See [`LONG_TYPO_LEN`].
pub const LONG_TYPO_LEV: f64 = 0.85;

/// Similarity of two four-to-six-letter words one edit apart.
pub const SHORT_TYPO: f32 = 0.82;

/// A fuzzy pair counts when the mean of its Jaro-Winkler and normalized
/// Damerau-Levenshtein similarities reaches this.
pub const FUZZY_MIN: f64 = 0.78;

/// The similarity of an initial and a word starting with its letter.
pub const INITIAL_SIM: f32 = 0.7;
/// The similarity of two short words with two neighbouring letters swapped.
pub const SWAPPED_SIM: f32 = 0.85;
/// The similarity of two words with the same consonant skeleton, one
/// written without vowels.
pub const SKELETON_SIM: f32 = 0.9;
/// The similarity of a query word written without some of the listed
/// word's vowels, however short (`CRR` / `CORREA`); it counts only beside
/// another such word of the same name ([`lone_vowels_dropped`]).
pub const VOWELS_DROPPED_SIM: f32 = 0.9;
/// The similarity of two words with the same phonetic skeleton of four
/// sounds or more.
pub const PHONETIC_SIM: f32 = 0.88;
/// A cut-off last word scores this, plus [`PREFIX_SPAN`] times the share
/// of the listed word it keeps.
pub const PREFIX_BASE: f32 = 0.8;
/// See [`PREFIX_BASE`].
pub const PREFIX_SPAN: f32 = 0.2;

/// Lengths of words whose swapped neighbours count.
const SWAPPED_LENGTHS: RangeInclusive<usize> = 3..=4;
/// Lengths (of the shorter word) in which one typo counts.
const SHORT_TYPO_LENGTHS: RangeInclusive<usize> = 4..=6;
/// Lengths of words whose romanization alternation counts.
const ALTERNATION_LENGTHS: RangeInclusive<usize> = 3..=6;
/// The shortest skeleton that counts.
const MIN_SKELETON: usize = 3;
/// The shortest phonetic skeleton that counts alone.
const MIN_PHONETIC: usize = 4;
/// The phonetic skeleton's length for [`PHONETIC_SHORT`].
const SHORT_PHONETIC: usize = 3;
/// The shortest words for [`PHONETIC_SHORT`].
const SHORT_PHONETIC_WORD: usize = 5;
/// The shortest cut-off word that counts.
const MIN_PREFIX: usize = 3;
/// The shortest Arabic key that counts.
const MIN_ARABIC_KEY: usize = 2;
/// A vowel-less word this long...
const VOWELLESS_WORD: usize = 4;
/// ... and of at least this share (in tenths) of the other word's length is
/// not an acronym.
const VOWELLESS_TENTHS: usize = 6;
/// Jaro-Winkler adds at most this share of what Jaro misses (a common
/// prefix of four letters, 0.1 each).
const JW_MAX_PREFIX_BONUS: f64 = 0.4;

/// The Jaro-Winkler similarity a fuzzy pair needs when the shorter word
/// has four letters ([`fuzzy_cutoff`]): one letter in four is much.
const FUZZY_CUTOFF_FOUR: f64 = 0.92;
/// ... five or six letters.
const FUZZY_CUTOFF_SIX: f64 = 0.88;
/// ... seven letters or more.
const FUZZY_CUTOFF_LONG: f64 = 0.85;

/// The Jaro-Winkler similarity a fuzzy pair needs, by the shorter word's length.
pub(super) fn fuzzy_cutoff(min_len: usize) -> f64 {
    /// Above any similarity: short words must be equal.
    const NEVER: f64 = 1.1;
    match min_len {
        0..=3 => NEVER,
        4 => FUZZY_CUTOFF_FOUR,
        5..=6 => FUZZY_CUTOFF_SIX,
        _ => FUZZY_CUTOFF_LONG,
    }
}

/// Upper bounds from `m`, the letters two words of `lq` and `ll` letters
/// share: of their Jaro-Winkler similarity, and whether they can be a long
/// word with few edits (`KASNOYARSKGAZPRM`: two letters lost in eighteen),
/// a typo even when an early edit upsets Jaro-Winkler (the edit distance is
/// at least the longer length minus `m`).
pub(super) fn fuzzy_bounds(m: usize, lq: usize, ll: usize) -> (f64, bool) {
    let (m, short, long) = (m as f64, lq.min(ll), lq.max(ll));
    let jaro_max = (m / lq as f64 + m / ll as f64 + 1.0) / 3.0;
    let jw_max = jaro_max + JW_MAX_PREFIX_BONUS * (1.0 - jaro_max);
    (
        jw_max,
        short >= LONG_TYPO_LEN && m / long as f64 >= LONG_TYPO_LEV,
    )
}

/// A token's features as the rules read them.
#[derive(Debug, Clone, Copy)]
pub struct Features<'a> {
    /// Its characters.
    pub chars: &'a [char],
    /// Its consonant skeleton ([`crate::features::skeleton`]).
    pub skeleton: &'a str,
    /// Its phonetic skeleton ([`crate::features::phonetic`]).
    pub phonetic: &'a str,
    /// Its letter counts ([`crate::features::histogram`]).
    pub hist: &'a Histogram,
    /// Its Arabic key ([`crate::features::arabic_key`]).
    pub arabic_key: &'a str,
}

impl<'a> Features<'a> {
    /// The features of a vocabulary token.
    pub fn of_vocab(v: &'a VocabToken) -> Features<'a> {
        Features {
            chars: &v.chars,
            skeleton: &v.skeleton,
            phonetic: &v.phonetic,
            hist: &v.hist,
            arabic_key: &v.arabic_key,
        }
    }
}

/// A token's features, computed from its text.
#[derive(Debug, Clone)]
pub struct TokenFeatures {
    pub(super) chars: Vec<char>,
    pub(super) skeleton: String,
    pub(super) phonetic: String,
    pub(super) hist: Histogram,
    pub(super) arabic_key: String,
}

impl TokenFeatures {
    /// The features of a canonical token.
    pub fn new(text: &str) -> TokenFeatures {
        let chars: Vec<char> = text.chars().collect();
        TokenFeatures {
            hist: histogram(&chars),
            chars,
            skeleton: skeleton(text),
            phonetic: phonetic(text),
            arabic_key: arabic_key(text),
        }
    }

    /// Borrowed, as the rules read them.
    pub fn view(&self) -> Features<'_> {
        Features {
            chars: &self.chars,
            skeleton: &self.skeleton,
            phonetic: &self.phonetic,
            hist: &self.hist,
            arabic_key: &self.arabic_key,
        }
    }
}

/// What is known of a pair of words, exactly or as bounds that hold of the
/// real pair: with less known, a precondition can only err towards true.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    /// Letters of the query word.
    pub query_len: usize,
    /// Letters of the listed word.
    pub listed_len: usize,
    /// At most this many letters in common (counted with repeats).
    pub shared: usize,
    /// Words of equal length: at least this many places differ.
    pub differ: usize,
    /// May the first letters be equal?
    pub same_first: bool,
    /// May both words be free of digits?
    pub no_digits: bool,
    /// Is the query word the query's last?
    pub last: bool,
    /// May either side be written in Arabic script?
    pub arabic: bool,
}

impl Known {
    /// Only the lengths are known.
    pub fn lengths(query_len: usize, listed_len: usize, last: bool) -> Known {
        Known::shared(query_len, listed_len, last, query_len.min(listed_len), true)
    }

    /// The lengths, a bound on the shared letters, and whether the first
    /// letters may be equal: letters in two equal places are shared, so
    /// words of equal length differ in all places but `shared` at least.
    pub fn shared(
        query_len: usize,
        listed_len: usize,
        last: bool,
        shared: usize,
        same_first: bool,
    ) -> Known {
        Known {
            query_len,
            listed_len,
            shared,
            differ: if query_len == listed_len {
                query_len.saturating_sub(shared)
            } else {
                0
            },
            same_first,
            no_digits: true,
            last,
            arabic: true,
        }
    }

    /// Everything about a pair.
    pub fn of(query: &Features, listed: &Features, last: bool, arabic: bool) -> Known {
        let (q, l) = (query.chars, listed.chars);
        let digits = |w: &[char]| w.iter().any(|c| c.is_ascii_digit());
        Known {
            query_len: q.len(),
            listed_len: l.len(),
            shared: common_bound(query.hist, listed.hist),
            differ: if q.len() == l.len() {
                q.iter().zip(l).filter(|(a, b)| a != b).count()
            } else {
                0
            },
            same_first: !q.is_empty() && q.first() == l.first(),
            no_digits: !digits(q) && !digits(l),
            last,
            arabic,
        }
    }

    /// The shorter and the longer length.
    fn short_long(&self) -> (usize, usize) {
        let (a, b) = (self.query_len, self.listed_len);
        (a.min(b), a.max(b))
    }

    /// Two words of equal length in `lengths`.
    fn equal_in(&self, lengths: RangeInclusive<usize>) -> bool {
        self.query_len == self.listed_len && lengths.contains(&self.query_len)
    }

    /// Words the rules past the initial compare: two letters or more, no digits.
    fn comparable(&self) -> bool {
        self.short_long().0 >= 2 && self.no_digits
    }
}

/// A query token and a listed token to compare.
#[derive(Debug, Clone, Copy)]
pub struct TokenPair<'a> {
    /// The query token.
    pub query: Features<'a>,
    /// The listed token.
    pub listed: Features<'a>,
    /// Is the query token the query's last (which may be cut off)?
    pub last: bool,
    /// Is either side written in Arabic script?
    pub arabic: bool,
    /// Which side is written in Arabic script, when it is known.
    pub arabic_side: ArabicSide,
    /// Everything known of the pair ([`Known::of`]).
    pub known: Known,
}

/// Which word of a pair was written in Arabic script: its long vowels are
/// the ones that must stand in the other ([`arabic_vowels_agree`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArabicSide {
    /// Not known (or both): either may be.
    Either,
    /// The query word.
    Query,
    /// The listed word.
    Listed,
}

impl ArabicSide {
    /// The side from whether each word comes from a name in Arabic script.
    pub fn of(query: bool, listed: bool) -> ArabicSide {
        match (query, listed) {
            (true, false) => ArabicSide::Query,
            (false, true) => ArabicSide::Listed,
            _ => ArabicSide::Either,
        }
    }

    /// The same side seen from the other word (`Query` is `Listed`).
    pub fn flipped(self) -> ArabicSide {
        match self {
            ArabicSide::Query => ArabicSide::Listed,
            ArabicSide::Listed => ArabicSide::Query,
            ArabicSide::Either => ArabicSide::Either,
        }
    }

    /// Do the vowels of `query` and `listed` agree, read from this side?
    pub fn vowels_agree(self, query: &str, listed: &str) -> bool {
        match self {
            ArabicSide::Query => arabic_vowels_agree(query, listed),
            ArabicSide::Listed => arabic_vowels_agree(listed, query),
            ArabicSide::Either => {
                arabic_vowels_agree(query, listed) || arabic_vowels_agree(listed, query)
            }
        }
    }
}

impl<'a> TokenPair<'a> {
    /// A pair to compare.
    pub fn new(query: Features<'a>, listed: Features<'a>, last: bool, arabic: bool) -> Self {
        TokenPair {
            known: Known::of(&query, &listed, last, arabic),
            query,
            listed,
            last,
            arabic,
            arabic_side: ArabicSide::Either,
        }
    }

    /// The pair, knowing which side is written in Arabic script.
    pub fn with_arabic_side(self, side: ArabicSide) -> Self {
        TokenPair {
            arabic_side: side,
            ..self
        }
    }

    /// The words as strings.
    fn strings(&self) -> (String, String) {
        (
            self.query.chars.iter().collect(),
            self.listed.chars.iter().collect(),
        )
    }
}

/// What a rule scores when it holds.
#[derive(Debug, Clone, Copy)]
pub enum Score {
    /// Always this.
    Fixed(f32),
    /// Measured on the pair (`None`: the rule does not hold).
    Measured(fn(&TokenPair) -> Option<f32>),
}

/// Where a rule stands in the order of evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// When it holds, its score is the similarity: later rules are not tried.
    Decides,
    /// When it holds and scores more than the rules before, it wins.
    Improves,
    /// Tried last whatever decided, and wins when it scores more.
    OnTop,
}

/// How the candidate search finds the listed words a rule may meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// By this key of the lookup ([`Key`]): it finds them all, whatever
    /// their lengths. The candidate search looks up every key a rule names
    /// (`key_lookups`).
    ByKey(Key),
    /// By scanning words of the lengths the rule allows, through the
    /// filters derived from its precondition.
    ByScan,
}

/// The keys the token rules find their words by, each once, in the order
/// of the rules: the candidate search looks each up.
pub(super) fn key_lookups() -> &'static [Key] {
    static KEYS: std::sync::OnceLock<Vec<Key>> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        let mut keys = Vec::new();
        for r in RULES.iter() {
            if let Found::ByKey(k) = r.found
                && !keys.contains(&k)
            {
                keys.push(k);
            }
        }
        keys
    })
}

/// One token rule.
#[derive(Debug, Clone, Copy)]
pub struct TokenRule {
    /// Its name.
    pub name: &'static str,
    /// How two tokens met by it are said to have met.
    pub how: How,
    /// What it scores.
    pub score: Score,
    /// Its place in the order of evaluation.
    pub step: Step,
    /// How the candidate search finds its words.
    pub found: Found,
    /// A necessary condition, from what is known of a pair.
    pub possible: fn(&Known) -> bool,
    /// Does it hold of the pair (given `possible`)? Measured rules say so
    /// by their measure.
    pub holds: fn(&TokenPair) -> bool,
}

impl TokenRule {
    /// The rule's similarity for a pair by its test alone, which is
    /// complete: the precondition, a bound, must allow every pair it is
    /// some for (`tests/it/rules.rs` checks it).
    pub fn measure(&self, pair: &TokenPair) -> Option<f32> {
        match self.score {
            Score::Fixed(s) => (self.holds)(pair).then_some(s),
            Score::Measured(m) => m(pair),
        }
    }

    /// The rule's similarity for a pair: its precondition first (cheap),
    /// then its test.
    fn similarity(&self, pair: &TokenPair) -> Option<f32> {
        if (self.possible)(&pair.known) {
            self.measure(pair)
        } else {
            None
        }
    }
}

/// The rules, in the order they are tried.
pub static RULES: [TokenRule; 14] = [
    TokenRule {
        name: "exact",
        how: How::Exact,
        score: Score::Fixed(EQUAL),
        step: Step::Decides,
        found: Found::ByKey(Key::Exact),
        possible: |k| k.query_len == k.listed_len && k.differ == 0,
        holds: |p| p.query.chars == p.listed.chars,
    },
    // An initial meets a longer word with the same first letter.
    TokenRule {
        name: "initial",
        how: How::Initial,
        score: Score::Fixed(INITIAL_SIM),
        step: Step::Decides,
        found: Found::ByKey(Key::Initial),
        possible: |k| k.short_long().0 == 1 && k.short_long().1 > 1 && k.same_first,
        holds: |p| {
            let (short, long) = p.known.short_long();
            short == 1 && long > 1 && p.query.chars[0] == p.listed.chars[0]
        },
    },
    // Two neighbouring letters swapped in a short word (`ARI` / `AIR`).
    TokenRule {
        name: "swapped letters",
        how: How::Fuzzy,
        score: Score::Fixed(SWAPPED_SIM),
        step: Step::Decides,
        found: Found::ByScan,
        possible: |k| {
            k.comparable()
                && k.equal_in(SWAPPED_LENGTHS)
                && k.shared >= k.query_len
                && k.differ <= 2
        },
        holds: |p| {
            p.known.comparable()
                && p.known.equal_in(SWAPPED_LENGTHS)
                && crate::terms::swapped_neighbours(p.query.chars, p.listed.chars)
                && vowels_agree(p)
        },
    },
    TokenRule {
        name: "jaro-winkler and edit distance",
        how: How::Fuzzy,
        score: Score::Measured(fuzzy_similarity),
        step: Step::Improves,
        found: Found::ByScan,
        possible: |k| {
            if !k.comparable() {
                return false;
            }
            let (short, long) = k.short_long();
            let (jw_max, long_typo_possible) = fuzzy_bounds(k.shared, k.query_len, k.listed_len);
            (jw_max >= fuzzy_cutoff(short) || long_typo_possible)
                && (jw_max + k.shared as f64 / long as f64) / 2.0 >= FUZZY_MIN
        },
        holds: |_| true,
    },
    // One typo in a short word (`WAMG` / `WANG`, `YPES` / `YEPES`), the first
    // letter kept: Jaro-Winkler is too harsh on four to six letters. The
    // letter rules hold of a word from Arabic script only when its long
    // vowels stand in the other ([`vowels_agree`]).
    TokenRule {
        name: "one typo in a short word",
        how: How::Fuzzy,
        score: Score::Fixed(SHORT_TYPO),
        step: Step::Improves,
        found: Found::ByScan,
        possible: |k| {
            let (short, long) = k.short_long();
            k.comparable()
                && SHORT_TYPO_LENGTHS.contains(&short)
                && long - short <= 1
                && k.same_first
                && k.shared + 1 >= short
        },
        holds: |p| {
            let (short, long) = p.known.short_long();
            p.known.comparable()
                && SHORT_TYPO_LENGTHS.contains(&short)
                && long - short <= 1
                && p.query.chars[0] == p.listed.chars[0]
                && distance::one_edit_apart(p.query.chars, p.listed.chars)
                && vowels_agree(p)
        },
    },
    // Romanizations that differ in one letter of a known alternation
    // (`GIM` / `KIM`, `CHIN` / `KHIN`, `IUNG` / `YUNG`).
    TokenRule {
        name: "romanization alternation",
        how: How::Phonetic,
        score: Score::Fixed(TRANSLIT_ALTERNATION),
        step: Step::Improves,
        found: Found::ByScan,
        possible: |k| {
            k.comparable()
                && k.equal_in(ALTERNATION_LENGTHS)
                && k.differ <= 1
                && k.shared + 1 >= k.query_len
        },
        holds: |p| {
            let (q, l) = (p.query.chars, p.listed.chars);
            if !(p.known.comparable() && p.known.equal_in(ALTERNATION_LENGTHS)) {
                return false;
            }
            let diff: Vec<usize> = (0..q.len()).filter(|&i| q[i] != l[i]).collect();
            let pair = |a: char, b: char| {
                matches!(
                    (a.min(b), a.max(b)),
                    ('g', 'k') | ('c', 'k') | ('k', 'q') | ('g', 'q') | ('i', 'y')
                )
            };
            matches!(diff[..], [i] if pair(q[i], l[i])) && vowels_agree(p)
        },
    },
    // Cyrillic `и`, `й` and `ы` are romanized `i` or `y`, each its own way
    // (`SYTYI`, `SYTII`, `SITIY` for `СИТИЙ`, Ukrainian and Russian
    // schemes): two words of equal length that differ only in two or
    // three places, each an `i` for a `y` ([`i_for_y`]). One such place
    // is the romanization alternation's. The first letters are equal, so
    // the consonant skeletons are (they drop `i` and `y` after it): the
    // skeleton key finds the words, no scan.
    TokenRule {
        name: "i for y",
        how: How::Phonetic,
        score: Score::Fixed(TRANSLIT_ALTERNATION),
        step: Step::Improves,
        found: Found::ByKey(Key::Skeleton),
        possible: i_y_possible,
        holds: |p| {
            i_y_possible(&p.known)
                && p.query.chars.first() == p.listed.chars.first()
                && p.query.skeleton == p.listed.skeleton
                && i_for_y(p.query.chars, p.listed.chars)
                && vowels_agree(p)
        },
    },
    // Vowel-less writing (`MHMMD`, `MHMD`): one side has no vowel after its
    // first letter. An acronym (`PSC` against `PEPSICO`, `SLM` against
    // `SALMI`) is not: the vowel-less side has four letters and most of the
    // other word's length. A word from Arabic script writes its long vowels
    // ([`vowels_agree`]).
    TokenRule {
        name: "consonant skeleton",
        how: How::Skeleton,
        score: Score::Fixed(SKELETON_SIM),
        step: Step::Improves,
        found: Found::ByKey(Key::Skeleton),
        possible: Known::comparable,
        holds: |p| {
            let (q, l) = (p.query.chars, p.listed.chars);
            let vowelless = |chars: &[char], other: usize| {
                chars[1..]
                    .iter()
                    .all(|c| !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y'))
                    && chars.len() >= VOWELLESS_WORD
                    && chars.len() * 10 >= other * VOWELLESS_TENTHS
            };
            p.known.comparable()
                && p.query.skeleton.len() >= MIN_SKELETON
                && p.query.skeleton == p.listed.skeleton
                && (vowelless(q, l.len()) || vowelless(l, q.len()))
                && vowels_agree(p)
        },
    },
    // A name written without its vowels, word by word (`CNO CRR, Jhn
    // Edlbr` for `CANO CORREA, Jhon Eidelber`): the query word is the
    // listed word with some vowels left out, however short. Alone it is no
    // disguise (`SLM` is not `SALMI`): the name's score keeps such a pair
    // only beside another vowel-less pair, in order ([`lone_vowels_dropped`]).
    TokenRule {
        name: VOWELS_DROPPED,
        how: How::Skeleton,
        score: Score::Fixed(VOWELS_DROPPED_SIM),
        step: Step::Improves,
        found: Found::ByKey(Key::Skeleton),
        possible: |k| {
            k.comparable() && k.query_len < k.listed_len && k.shared >= k.query_len && k.same_first
        },
        holds: |p| {
            p.known.comparable()
                && p.query.skeleton == p.listed.skeleton
                && vowels_dropped(p.query.chars, p.listed.chars)
                && vowels_agree(p)
        },
    },
    // Transliteration variants (`QESHM` / `KESHM`, `SULEMANI` / `SOLEIMANI`).
    TokenRule {
        name: "phonetic skeleton",
        how: How::Phonetic,
        score: Score::Fixed(PHONETIC_SIM),
        step: Step::Improves,
        found: Found::ByKey(Key::Phonetic),
        possible: Known::comparable,
        holds: |p| {
            p.known.comparable()
                && p.query.phonetic.len() >= MIN_PHONETIC
                && p.query.phonetic == p.listed.phonetic
                && letters_alike(p)
        },
    },
    // Arabic `ذ` and `ظ` are romanized `dh` or `z` (`DHAWAHRI` /
    // `ZAWAHIRI`, `RIDHWAN` / `RIZWAN`, `RAMADHAN` / `RAMAZAN`): the words sound
    // alike once the `dh` is read as `z` ([`dh_for_z`]). The phonetic
    // skeleton reads `dh` as `d`, the other romanization (`RAMADHAN` /
    // `RAMADAN`), which Indic `dh` (`SINDHI`) shares.
    TokenRule {
        name: "dh for z",
        how: How::Phonetic,
        score: Score::Fixed(PHONETIC_SIM),
        step: Step::Improves,
        found: Found::ByScan,
        possible: dh_z_possible,
        holds: |p| {
            dh_z_possible(&p.known) && dh_for_z(p.query.chars, p.listed.chars) && vowels_agree(p)
        },
    },
    // Three sounds are enough in words of five letters or more
    // (`DJAMEL` / `JAMAL`, `KAREEM` / `KARIM`) that end in the same letter
    // and ending alike (`MARION` is not `MORENO`).
    TokenRule {
        name: "three sounds",
        how: How::Phonetic,
        score: Score::Fixed(PHONETIC_SHORT),
        step: Step::Improves,
        found: Found::ByKey(Key::Phonetic),
        possible: |k| k.comparable() && k.short_long().0 >= SHORT_PHONETIC_WORD,
        holds: |p| {
            let (q, l) = (p.query.chars, p.listed.chars);
            p.known.comparable()
                && p.known.short_long().0 >= SHORT_PHONETIC_WORD
                && p.query.phonetic.len() == SHORT_PHONETIC
                && q.last() == l.last()
                && p.query.phonetic == p.listed.phonetic
                && letters_alike(p)
        },
    },
    // The query's last word cut short (`REVOLU` for `REVOLUTIONARY`).
    TokenRule {
        name: "cut-off last word",
        how: How::Prefix,
        score: Score::Measured(|p| {
            let (lq, ll) = (p.query.chars.len(), p.listed.chars.len());
            (p.known.comparable()
                && p.last
                && lq >= MIN_PREFIX
                && lq < ll
                && p.listed.chars.starts_with(p.query.chars))
            .then(|| PREFIX_BASE + PREFIX_SPAN * (lq as f32 / ll as f32))
        }),
        step: Step::Improves,
        found: Found::ByKey(Key::Prefix),
        possible: |k| {
            k.comparable() && k.last && k.query_len >= MIN_PREFIX && k.query_len < k.listed_len
        },
        holds: |_| true,
    },
    // Arabic script writes no short vowels: `حسن` is `hsn`. It writes the
    // long ones, which must stand in the other word (`حسين` is not `HASSAN`).
    TokenRule {
        name: "arabic key",
        how: How::Arabic,
        score: Score::Fixed(ARABIC_SIM),
        step: Step::OnTop,
        found: Found::ByKey(Key::Arabic),
        possible: |k| k.arabic,
        holds: |p| {
            p.arabic
                && p.query.arabic_key.len() >= MIN_ARABIC_KEY
                && p.query.arabic_key == p.listed.arabic_key
                && vowels_agree(p)
        },
    },
];

/// Lengths of words that [`i_for_y`] meets.
const I_Y_LENGTHS: RangeInclusive<usize> = 5..=12;
/// The places two words [`i_for_y`] meets differ in.
const I_Y_PLACES: RangeInclusive<usize> = 2..=3;

/// Rule "i for y" is possible: two words of equal length in
/// [`I_Y_LENGTHS`] with the same first letter, differing in [`I_Y_PLACES`]
/// places at most (an `i` for a `y` loses a shared letter at most).
fn i_y_possible(k: &Known) -> bool {
    k.comparable()
        && k.same_first
        && k.equal_in(I_Y_LENGTHS)
        && k.differ <= *I_Y_PLACES.end()
        && k.shared + *I_Y_PLACES.end() >= k.query_len
}

/// Do two words of equal length differ only in two or three places, each
/// an `i` on one side and a `y` on the other?
///
/// ```
/// use sanctions::matcher::i_for_y;
/// let w = |s: &str| s.chars().collect::<Vec<_>>();
/// assert!(i_for_y(&w("sitiy"), &w("sytyi")));
/// assert!(i_for_y(&w("sitiy"), &w("sytii")));
/// // One place is the romanization alternation's; other letters are no
/// // `i` for a `y`.
/// assert!(!i_for_y(&w("yurii"), &w("yuriy")));
/// assert!(!i_for_y(&w("sitiy"), &w("satay")));
/// ```
pub fn i_for_y(query: &[char], listed: &[char]) -> bool {
    if query.len() != listed.len() {
        return false;
    }
    let mut places = 0;
    for (a, b) in query.iter().zip(listed) {
        if a != b {
            if !matches!((a, b), ('i', 'y') | ('y', 'i')) {
                return false;
            }
            places += 1;
        }
    }
    I_Y_PLACES.contains(&places)
}

/// The shortest word of a pair that [`dh_for_z`] meets.
const DH_Z_SHORTEST: usize = 5;
/// The shortest words of equal length that [`dh_for_z`] meets (the `z`
/// spelling writes one more vowel: `DHAWAHRI` / `ZAWAHIRI`). Shorter ones
/// would share fewer letters than the edit-distance rule's scan lets
/// through, and widen the scan of every query word of their length.
const DH_Z_EQUAL_SHORTEST: usize = 7;
/// The most letters the longer word of a [`dh_for_z`] pair has beyond the
/// shorter's, and the most letters of the longer it lacks of the shorter's
/// (the `d` and `h` of `dh`, a vowel written on one side only).
const DH_Z_SLACK: usize = 2;

/// Rule "dh for z" is possible: two words of [`DH_Z_SHORTEST`] letters or
/// more ([`DH_Z_EQUAL_SHORTEST`] when of equal length), their lengths
/// within [`DH_Z_SLACK`], sharing all but that many of the longer word's
/// letters.
fn dh_z_possible(k: &Known) -> bool {
    let (short, long) = k.short_long();
    k.comparable()
        && short >= DH_Z_SHORTEST
        && (short < long || short >= DH_Z_EQUAL_SHORTEST)
        && long - short <= DH_Z_SLACK
        && k.shared + DH_Z_SLACK >= long
}

/// Do two words differ as the `dh` and `z` romanizations of one Arabic
/// letter: one writes `dh` where the other writes `z` and no `dh`, and read
/// with `z` for its `dh` it has the other's phonetic skeleton (of four
/// sounds or more) and most of its letters
/// ([`PHONETIC_LETTERS_MIN`])?
///
/// ```
/// use sanctions::matcher::dh_for_z;
/// let w = |s: &str| s.chars().collect::<Vec<_>>();
/// assert!(dh_for_z(&w("dhawahri"), &w("zawahiri")));
/// assert!(dh_for_z(&w("rizwan"), &w("ridhwan")));
/// // Three sounds are too few to tell (`MADHUR` is not `MAZUR`): `KADHIM`
/// // and `KAZIM` are left to the other rules.
/// assert!(!dh_for_z(&w("kadhim"), &w("kazim")));
/// // `d` for `z` is no such alternation, nor is a different name.
/// assert!(!dh_for_z(&w("dawahri"), &w("zawahiri")));
/// assert!(!dh_for_z(&w("dhillon"), &w("zillow")));
/// ```
pub fn dh_for_z(query: &[char], listed: &[char]) -> bool {
    let has_dh = |w: &[char]| w.windows(2).any(|p| p == ['d', 'h']);
    let (dh, z) = match (has_dh(query), has_dh(listed)) {
        (true, false) => (query, listed),
        (false, true) => (listed, query),
        _ => return false,
    };
    if !z.contains(&'z') {
        return false;
    }
    let read: String = dh.iter().collect::<String>().replace("dh", "z");
    let sounds = phonetic(&read);
    if sounds.len() < MIN_PHONETIC || sounds != phonetic(&z.iter().collect::<String>()) {
        return false;
    }
    most_letters_shared(&read.chars().collect::<Vec<_>>(), z)
}

/// Is `short` the word `long` with some of its vowels (`a e i o u y`, not
/// its first letter) left out, and nothing else changed (`CRR` / `CORREA`,
/// `CNO` / `CANO`, `EDLBR` / `EIDELBER`)?
pub fn vowels_dropped(short: &[char], long: &[char]) -> bool {
    if short.len() >= long.len() || short.first() != long.first() {
        return false;
    }
    let mut rest = short.iter().peekable();
    for c in long {
        if rest.peek() == Some(&c) {
            rest.next();
        } else if !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y') {
            return false;
        }
    }
    rest.next().is_none()
}

/// When the pair's similarity comes from the "vowels dropped" rule (more
/// than the other rules give it): what the other rules give, for a name
/// where the pair stands alone ([`lone_vowels_dropped`]).
pub(super) fn without_vowels_dropped(pair: &TokenPair) -> Option<(f32, How)> {
    let with = similarity(pair);
    let without = similarity_by(pair, |r| r.name != VOWELS_DROPPED);
    (with.0 > without.0).then_some(without)
}

/// The name of the rule of [`VOWELS_DROPPED_SIM`].
const VOWELS_DROPPED: &str = "vowels dropped";

/// The fewest words of a name written without vowels, in order, for them
/// to be a disguise whatever their lengths ([`only_vowels_dropped`]).
pub const VOWELLESS_WORDS_MIN: usize = 2;

/// Is a pair met only by dropped vowels alone in its name: no
/// [`VOWELLESS_WORDS_MIN`] pairs of the name that meet by consonants (this
/// rule or the consonant skeleton) stand in the same order in both names?
/// Given the (query, listed) token indices of those pairs.
pub(super) fn lone_vowels_dropped(mut skeleton_pairs: Vec<(usize, usize)>) -> bool {
    skeleton_pairs.sort_unstable();
    // The longest run of pairs in the same order on both sides.
    let mut longest = vec![1usize; skeleton_pairs.len()];
    for j in 0..skeleton_pairs.len() {
        for i in 0..j {
            if skeleton_pairs[i].0 < skeleton_pairs[j].0
                && skeleton_pairs[i].1 < skeleton_pairs[j].1
            {
                longest[j] = longest[j].max(longest[i] + 1);
            }
        }
    }
    longest.into_iter().max().unwrap_or(0) < VOWELLESS_WORDS_MIN
}

/// Two words with the same sounds must also share most of their letters
/// (the mean of Jaro-Winkler and normalized Damerau-Levenshtein similarity
/// reaches [`PHONETIC_LETTERS_MIN`]): `SOLEIMANI` / `SULEMANI` and `QESHM` /
/// `KESHM` do, `ISRAMCO` / `OSERMACA` and `OMEROS` / `UMIRS`, the same
/// consonants with other vowels, do not. A word from Arabic script writes
/// no short vowels: there its long vowels must agree ([`vowels_agree`]).
fn letters_alike(p: &TokenPair) -> bool {
    if p.arabic {
        return vowels_agree(p);
    }
    most_letters_shared(p.query.chars, p.listed.chars)
}

/// Do two words share most of their letters: does the mean of their
/// Jaro-Winkler and normalized Damerau-Levenshtein similarity reach
/// [`PHONETIC_LETTERS_MIN`]?
fn most_letters_shared(q: &[char], l: &[char]) -> bool {
    (distance::jaro_winkler(q, l) + distance::normalized_damerau_levenshtein(q, l)) / 2.0
        >= PHONETIC_LETTERS_MIN
}

/// Two words with the same sounds are phonetically alike only when the mean of their Jaro-Winkler
/// and normalized Damerau-Levenshtein similarity reaches this (`letters_alike`).
pub const PHONETIC_LETTERS_MIN: f64 = 0.68;

/// For a pair with a side in Arabic script: do the long vowels that side
/// writes stand in the other ([`arabic_vowels_agree`])? Read from the side
/// written in Arabic script when the pair knows it ([`ArabicSide`]), else
/// from either. Other pairs have no such vowels to check: true.
fn vowels_agree(p: &TokenPair) -> bool {
    if !p.arabic {
        return true;
    }
    let (q, l) = p.strings();
    p.arabic_side.vowels_agree(&q, &l)
}

/// The Jaro-Winkler and edit-distance rule: the mean of both similarities
/// when Jaro-Winkler reaches the cutoff for the words' lengths (or a long
/// word is a few edits off) and the mean reaches [`FUZZY_MIN`].
fn fuzzy_similarity(p: &TokenPair) -> Option<f32> {
    if !p.known.comparable() {
        return None;
    }
    let (lq, ll) = (p.query.chars.len(), p.listed.chars.len());
    // The pair's letters in common, as `Known::of` counted them.
    let (_, long_typo_possible) = fuzzy_bounds(p.known.shared, lq, ll);
    let cutoff = fuzzy_cutoff(lq.min(ll));
    let (qs, ls) = (p.query.chars, p.listed.chars);
    // Below the cutoff, only a long word a few edits off may hold: the
    // Jaro-Winkler of the others is worked out only as far as it may reach it.
    let jw = if long_typo_possible {
        distance::jaro_winkler(qs, ls)
    } else {
        distance::jaro_winkler_reaching(qs, ls, cutoff)?
    };
    // Jaro-Winkler alone rewards a long shared prefix
    // (`microsoft` / `microcomponent`); the edit distance does not.
    let lev = if jw >= cutoff || long_typo_possible {
        distance::normalized_damerau_levenshtein(qs, ls)
    } else {
        0.0
    };
    if jw >= cutoff || long_typo_possible && lev >= LONG_TYPO_LEV {
        let sim = (jw + lev) / 2.0;
        // A word from Arabic script writes no short vowels: its letters are
        // alike only when its long vowels stand in the other (`اعتماد`,
        // `atmad`, is not `AHMAD`).
        if sim >= FUZZY_MIN && vowels_agree(p) {
            return Some(sim as f32);
        }
    }
    None
}

/// Similarity of two tokens by the [`RULES`], and how they met.
pub(super) fn similarity(pair: &TokenPair) -> (f32, How) {
    similarity_by(pair, |_| true)
}

/// Similarity of two tokens by the rules found by scanning alone
/// ([`Found::ByScan`]): what [`similarity`] gives of a word that no key
/// finds, since a rule found by a key holds only of the words its key
/// finds (the candidate search rests on it; `--check` compares it with a
/// pass over every word). These rules read the words' characters and
/// letter counts, never their keys (skeletons, Arabic key): the lookup
/// measures a word from its own copy of those.
pub(super) fn scanned_similarity(pair: &TokenPair) -> (f32, How) {
    similarity_by(pair, |r| r.found == Found::ByScan)
}

/// Similarity of two tokens by the [`RULES`] that `using` keeps.
fn similarity_by(pair: &TokenPair, using: impl Fn(&TokenRule) -> bool) -> (f32, How) {
    let mut best = (NO_MATCH, How::Fuzzy);
    let mut decided = false;
    for rule in RULES.iter().filter(|r| using(r)) {
        if decided && rule.step != Step::OnTop {
            continue;
        }
        let Some(s) = rule.similarity(pair) else {
            continue;
        };
        if rule.step == Step::Decides {
            best = (s, rule.how);
            decided = true;
        } else if s > best.0 {
            best = (s, rule.how);
        }
    }
    best
}

/// The Jaro-Winkler and edit-distance rule of [`token_similarity`] alone
/// (a misspelling), 0 when it does not hold.
pub(super) fn typo_similarity(q: &str, l: &str) -> f32 {
    let (lq, ll) = (q.chars().count(), l.chars().count());
    let cutoff = fuzzy_cutoff(lq.min(ll));
    // Jaro-Winkler is at most this when the lengths differ so much.
    let (jw_max, _) = fuzzy_bounds(lq.min(ll), lq, ll);
    if jw_max < cutoff {
        return 0.0;
    }
    let jw = strsim::jaro_winkler(q, l);
    if jw < cutoff {
        return 0.0;
    }
    let sim = (jw + strsim::normalized_damerau_levenshtein(q, l)) / 2.0;
    if sim >= FUZZY_MIN { sim as f32 } else { 0.0 }
}

/// The shortest query word, in bytes of its folded form (Latin letters but
/// for scripts that are not transliterated), that may meet a legal form or
/// place it is not ([`legal_or_place_similarity`]).
const LEGAL_OR_PLACE_MIN_BYTES: usize = 4;

/// How a query word meets a listed legal form or place written `raw`: as
/// the start or end of a many-word one (`KONG` / `HONG KONG`), or misspelt
/// (`CUBAA` / `CUBA`); 0 otherwise, and for words under four letters. The
/// matcher's pairs and its candidate bound ([`super::Matcher::legal_or_place_forms`])
/// both ask this, so they cannot disagree.
pub(super) fn legal_or_place_similarity(word: &str, raw: &str) -> (f32, How) {
    if word.len() < LEGAL_OR_PLACE_MIN_BYTES {
        (0.0, How::Fuzzy)
    } else if is_part_of_phrase(word, raw) {
        (PART_OF_PHRASE, How::Canonical)
    } else {
        (typo_similarity(word, raw), How::Fuzzy)
    }
}

/// Is [`legal_or_place_similarity`] of `word` and `raw` above 0? The same
/// answer, cheaper: the words' lengths in characters and letter counts
/// ([`crate::features::histogram`]), given, rule out most pairs before
/// Jaro-Winkler is computed (two words share at most their common letters).
pub(super) fn legal_or_place_may_meet(
    word: &str,
    (lq, hq): (usize, &Histogram),
    raw: &str,
    (ll, hl): (usize, &Histogram),
) -> bool {
    if word.len() < LEGAL_OR_PLACE_MIN_BYTES {
        return false;
    }
    if is_part_of_phrase(word, raw) {
        return true;
    }
    let m = common_bound(hq, hl).min(lq.min(ll));
    fuzzy_bounds(m, lq, ll).0 >= fuzzy_cutoff(lq.min(ll)) && typo_similarity(word, raw) > 0.0
}

/// Does `word` begin or end the longer `raw` (`KONG` / `HONG KONG`)? A
/// first or last byte is compared before the strings: most forms share neither.
fn is_part_of_phrase(word: &str, raw: &str) -> bool {
    let (w, r) = (word.as_bytes(), raw.as_bytes());
    r.len() > w.len()
        && !w.is_empty()
        && (r[0] == w[0] && r.starts_with(w) || r[r.len() - 1] == w[w.len() - 1] && r.ends_with(w))
}

/// Similarity of a word to the many-word place or legal form it begins or
/// ends (`KONG` / `HONG KONG`).
pub const PART_OF_PHRASE: f32 = 0.9;

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn vowels_dropped_leaves_out_vowels_and_nothing_else() {
        assert!(vowels_dropped(&w("crr"), &w("correa")));
        assert!(vowels_dropped(&w("cno"), &w("cano")));
        assert!(vowels_dropped(&w("edlbr"), &w("eidelber")));
        assert!(vowels_dropped(&w("slm"), &w("salmi")));
        // A consonant changed, the first letter dropped, nothing dropped.
        assert!(!vowels_dropped(&w("crx"), &w("correa")));
        assert!(!vowels_dropped(&w("rr"), &w("orr")));
        assert!(!vowels_dropped(&w("cano"), &w("cano")));
    }

    fn without(q: &str, l: &str) -> Option<(f32, How)> {
        let (q, l) = (TokenFeatures::new(q), TokenFeatures::new(l));
        without_vowels_dropped(&TokenPair::new(q.view(), l.view(), false, false))
    }

    #[test]
    fn short_words_without_vowels_meet_only_by_dropped_vowels() {
        // Too short for the consonant skeleton: only the new rule.
        assert_eq!(without("jhn", "jhon"), Some((NO_MATCH, How::Fuzzy)));
        assert_eq!(without("slm", "salmi"), Some((NO_MATCH, How::Fuzzy)));
        assert_eq!(
            token_similarity("jhn", "jhon", false),
            (VOWELS_DROPPED_SIM, How::Skeleton)
        );
        // Long enough: the consonant skeleton holds, not only the new rule.
        assert_eq!(without("mhmmd", "muhammad"), None);
        // The listed word without vowels is not the query's disguise.
        assert_eq!(token_similarity("salmi", "slm", false).0, NO_MATCH);
    }

    /// Rule "i for y".
    #[test]
    fn i_and_y_romanize_cyrillic_letters_in_several_places() {
        for (q, l) in [("sitiy", "sytyi"), ("sitiy", "sytii")] {
            assert_eq!(
                token_similarity(q, l, false),
                (TRANSLIT_ALTERNATION, How::Phonetic),
                "{q} / {l}"
            );
        }
        // Clean look-alikes: another letter changed too, four places, too
        // short.
        for (q, l) in [("sitiy", "sytya"), ("iiiiyi", "yyyyii"), ("yiyi", "iyiy")] {
            assert!(
                !i_for_y(&w(q), &w(l)) || !I_Y_LENGTHS.contains(&q.len()),
                "{q} / {l}"
            );
            assert!(
                token_similarity(q, l, false).0 < TRANSLIT_ALTERNATION,
                "{q} / {l}"
            );
        }
    }

    /// Rule "dh for z".
    #[test]
    fn dh_and_z_romanize_one_arabic_letter() {
        for (q, l) in [
            ("dhawahri", "zawahiri"),
            ("rizwan", "ridhwan"),
            ("ramadhan", "ramazan"),
            ("fadhlallah", "fazlallah"),
        ] {
            assert_eq!(
                token_similarity(q, l, false),
                (PHONETIC_SIM, How::Phonetic),
                "{q} / {l}"
            );
        }
        // Clean look-alikes: other consonants, `d` for `z`, too short.
        for (q, l) in [
            ("dhillon", "zillow"),
            ("dawahri", "zawahiri"),
            ("madhur", "mazur"),
            ("adham", "azam"),
        ] {
            assert!(!dh_for_z(&w(q), &w(l)), "{q} / {l}");
            assert!(token_similarity(q, l, false).0 < PHONETIC_SIM, "{q} / {l}");
        }
    }

    #[test]
    fn a_pair_by_dropped_vowels_is_lone_without_another_in_order() {
        assert!(lone_vowels_dropped(vec![(0, 0)]));
        assert!(!lone_vowels_dropped(vec![(0, 0), (1, 1)]));
        assert!(!lone_vowels_dropped(vec![(2, 3), (0, 1)]));
        assert!(lone_vowels_dropped(vec![(0, 1), (1, 0)]));
    }
}
