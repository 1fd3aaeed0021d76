//! The fuzzy matcher: token-set alignment weighted by rarity.
//!
//! A query and a listed name are both analyzed into canonical tokens
//! ([`crate::terms::analyze`]). Each query token is compared with each listed
//! token ([`token_similarity`]: exact, Jaro-Winkler, consonant skeleton,
//! initial, truncated last word); two adjacent tokens on one side may meet one
//! glued token on the other (`HIK VISION` / `HIKVISION`). Pairs are assigned
//! one-to-one, best first. The score is
//!
//! ```text
//!            Σ over matched pairs  similarity × (weight(query token) + weight(listed token))
//! score  =  ---------------------------------------------------------------------------------
//!                      Σ weight(query tokens) + Σ weight(listed tokens)
//! ```
//!
//! where listed weights are scaled by [`LISTED_FACTOR`] (people:
//! [`LISTED_FACTOR_PERSON`]) and the query's unmatched words count
//! [`QUERY_EXTRA_FACTOR`] of theirs in the denominator (people's middle names:
//! [`PERSON_MIDDLE_FACTOR`], [`PERSON_MISSING_FACTOR`]),
//! so a word missing on either side costs its weight: rare words
//! (`hikvision`) weigh a lot, common words (`china`, `trading`) little, legal
//! forms and stopwords almost nothing. The score lies in `[0, 1]` and is 1 for
//! names that analyze to the same tokens. A name written a letter or two off
//! the listed one, word for word, scores at least [`WHOLE_TYPO_SCORE`]
//! ([`whole_name_edits`]), however its words fared. A weak alias only counts when it
//! matches closely (raw score ≥ [`WEAK_MIN`]) and is then discounted.
//!
//! Candidates come from the index: only names that share a similar token (or
//! a glued pair) with the query are scored; any other name scores 0.

pub use crate::features::whole_length;
use crate::features::{
    Histogram, arabic_key, common_bound, gluable, histogram, histogram_edits, letter_mask,
    phonetic, raw_form, skeleton, whole_histogram,
};
use crate::index::{Index, LenEntry, VocabToken, WordFilter};
use crate::model::{EntityType, Identifier, NameKind, normalize_identifier};
use crate::terms::{self, Class, Token};
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use std::sync::{Arc, RwLock};

/// The default threshold: a hit at or above it is a potential match.
pub const DEFAULT_THRESHOLD: f32 = 0.85;
/// Words of the listed name that the query lacks cost this share of their
/// weight (words the query adds cost all of theirs): a query that is a
/// listed name missing a middle name still scores high, while a clean name
/// that merely contains one listed word (`Patriot Transportation` against the
/// vessel `PATRIOT`) does not.
pub const LISTED_FACTOR: f32 = 0.4;
/// [`LISTED_FACTOR`] for the names of people.
pub const LISTED_FACTOR_PERSON: f32 = 0.3;
/// Words the query adds that the listed name lacks cost this share of their weight.
pub const QUERY_EXTRA_FACTOR: f32 = 0.5;
/// When every word of a listed person's name is found in the query, the
/// query's extra words between the first and last found ones (middle names,
/// a patronymic chain: `Qasim Yahya Mahdi AL-RIMI` for `AL-RIMI, Qasim`),
/// and its patronymics wherever they stand ([`is_patronymic`]), cost
/// this share of their weight. Extra words before or after (a different
/// surname: `John Henry KETCHAM` for `John Henry`) still cost the full share.
pub const PERSON_MIDDLE_FACTOR: f32 = 0.1;
/// When every word of the query is found in a listed person's name, the
/// listed name's other words (further given names, a nasab) cost this
/// share of their weight (`Kamel HAMRAOUI` for `HAMRAOUI, Kamel Ben Mouldi
/// Ben Hassan`).
pub const PERSON_MISSING_FACTOR: f32 = 0.1;
/// A hit whose listed countries all differ from the input's country keeps
/// this share of its score (and says so).
pub const COUNTRY_MISMATCH_FACTOR: f32 = 0.9;
/// A weak alias counts only at or above this raw score.
pub const WEAK_MIN: f32 = 0.90;
/// A weak alias's score is multiplied by this.
pub const WEAK_FACTOR: f32 = 0.95;

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
    /// Two different legal forms.
    LegalForm,
    /// Same phonetic skeleton (a transliteration variant).
    Phonetic,
    /// Same consonants, one side transliterated from Arabic script
    /// (`حسن` / `HASSAN`): see [`crate::index::arabic_key`].
    Arabic,
}

/// Similarity of two canonical tokens in `0.0..=1.0`, and how they met.
/// `last_query_token` allows a prefix match (names cut short by a system).
///
/// ```
/// use sanctions::matcher::{token_similarity, How};
/// assert_eq!(token_similarity("hikvision", "hikvision", false).0, 1.0);
/// assert!(token_similarity("hikvison", "hikvision", false).0 > 0.9);
/// assert_eq!(token_similarity("mhmd", "muhammad", false).1, How::Skeleton);
/// assert_eq!(token_similarity("revolu", "revolutionary", true).1, How::Prefix);
/// assert_eq!(token_similarity("apple", "sensetime", false).0, 0.0);
/// ```
pub fn token_similarity(query: &str, listed: &str, last_query_token: bool) -> (f32, How) {
    let q: Vec<char> = query.chars().collect();
    let l: Vec<char> = listed.chars().collect();
    let (qp, lp) = (phonetic(query), phonetic(listed));
    similarity_chars(
        (&q, &skeleton(query), &qp, &histogram(&q)),
        (&l, &skeleton(listed), &lp, &histogram(&l)),
        last_query_token,
    )
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

fn fuzzy_cutoff(min_len: usize) -> f64 {
    match min_len {
        0..=3 => 1.1, // never: short words must be equal
        4 => 0.92,
        5..=6 => 0.88,
        _ => 0.85,
    }
}

/// Upper bounds from `m`, the letters two words of `lq` and `ll` letters
/// share: of their Jaro-Winkler similarity, and whether they can be a long
/// word with few edits (`KASNOYARSKGAZPRM`: two letters lost in eighteen),
/// a typo even when an early edit upsets Jaro-Winkler (the edit distance is
/// at least the longer length minus `m`).
fn fuzzy_bounds(m: usize, lq: usize, ll: usize) -> (f64, bool) {
    let (m, short, long) = (m as f64, lq.min(ll), lq.max(ll));
    let jaro_max = (m / lq as f64 + m / ll as f64 + 1.0) / 3.0;
    let jw_max = jaro_max + 0.4 * (1.0 - jaro_max);
    (
        jw_max,
        short >= LONG_TYPO_LEN && m / long as f64 >= LONG_TYPO_LEV,
    )
}

/// A token's characters, skeleton, phonetic skeleton and letter counts.
type Features<'a> = (&'a [char], &'a str, &'a str, &'a Histogram);

fn similarity_chars(
    (q, qskel, qphon, qhist): Features,
    (l, lskel, lphon, lhist): Features,
    last: bool,
) -> (f32, How) {
    if q == l {
        return (1.0, How::Exact);
    }
    let (lq, ll) = (q.len(), l.len());
    if lq == 0 || ll == 0 {
        return (0.0, How::Fuzzy);
    }
    let (short, long) = if lq <= ll { (lq, ll) } else { (ll, lq) };
    if short == 1 {
        // An initial meets a longer word with the same first letter.
        return if long > 1 && q[0] == l[0] {
            (0.7, How::Initial)
        } else {
            (0.0, How::Fuzzy)
        };
    }
    let digits = q.iter().any(|c| c.is_ascii_digit()) || l.iter().any(|c| c.is_ascii_digit());
    if digits {
        return (0.0, How::Fuzzy);
    }
    // Two neighbouring letters swapped in a short word (`ARI` / `AIR`).
    if lq == ll && (3..=4).contains(&lq) && crate::terms::swapped_neighbours(q, l) {
        return (0.85, How::Fuzzy);
    }
    let mut best = (0.0f32, How::Fuzzy);
    let m = common_bound(qhist, lhist);
    let (jw_max, long_typo_possible) = fuzzy_bounds(m, lq, ll);
    let cutoff = fuzzy_cutoff(short);
    if jw_max >= cutoff || long_typo_possible {
        let qs: String = q.iter().collect();
        let ls: String = l.iter().collect();
        let jw = strsim::jaro_winkler(&qs, &ls);
        // Jaro-Winkler alone rewards a long shared prefix
        // (`microsoft` / `microcomponent`); the edit distance does not.
        let lev = if jw >= cutoff || long_typo_possible {
            strsim::normalized_damerau_levenshtein(&qs, &ls)
        } else {
            0.0
        };
        if jw >= cutoff || long_typo_possible && lev >= LONG_TYPO_LEV {
            let sim = (jw + lev) / 2.0;
            if sim >= FUZZY_MIN {
                best = (sim as f32, How::Fuzzy);
            }
        }
    }
    // One typo in a short word (`WAMG` / `WANG`, `YPES` / `YEPES`), the first
    // letter kept: Jaro-Winkler is too harsh on four to six letters.
    if best.0 < SHORT_TYPO && (4..=6).contains(&short) && q[0] == l[0] && long - short <= 1 {
        let qs: String = q.iter().collect();
        let ls: String = l.iter().collect();
        if strsim::damerau_levenshtein(&qs, &ls) == 1 {
            best = (SHORT_TYPO, How::Fuzzy);
        }
    }
    // Romanizations that differ in one letter of a known alternation
    // (`GIM` / `KIM`, `CHIN` / `KHIN`, `IUNG` / `YUNG`).
    if best.0 < TRANSLIT_ALTERNATION && lq == ll && (3..=6).contains(&lq) {
        let diff: Vec<usize> = (0..lq).filter(|&i| q[i] != l[i]).collect();
        if let [i] = diff[..] {
            let pair = |a: char, b: char| {
                matches!(
                    (a.min(b), a.max(b)),
                    ('g', 'k') | ('c', 'k') | ('k', 'q') | ('g', 'q') | ('i', 'y')
                )
            };
            if pair(q[i], l[i]) {
                best = (TRANSLIT_ALTERNATION, How::Phonetic);
            }
        }
    }
    // Vowel-less writing (`MHMMD`, `HSN`): one side has no vowel after its
    // first letter. An acronym (`PSC` against `PEPSICO`) is not: the
    // vowel-less side has four letters, or most of the other word's length.
    let vowelless = |chars: &[char], other: usize| {
        chars[1..]
            .iter()
            .all(|c| !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y'))
            && (chars.len() >= 4 || chars.len() * 10 >= other * 6)
    };
    if qskel.len() >= 3 && qskel == lskel && best.0 < 0.9 && (vowelless(q, ll) || vowelless(l, lq))
    {
        best = (0.9, How::Skeleton);
    }
    // Transliteration variants (`QESHM` / `KESHM`, `SULEMANI` / `SOLEIMANI`).
    if best.0 < 0.88 && qphon.len() >= 4 && qphon == lphon {
        best = (0.88, How::Phonetic);
    }
    // Three sounds are enough in words of five letters or more
    // (`DJAMEL` / `JAMAL`, `KAREEM` / `KARIM`) that end in the same letter
    // and ending alike (`MARION` is not `MORENO`).
    if best.0 < PHONETIC_SHORT
        && qphon.len() == 3
        && short >= 5
        && q[lq - 1] == l[ll - 1]
        && qphon == lphon
    {
        best = (PHONETIC_SHORT, How::Phonetic);
    }
    if last && lq >= 3 && lq < ll && l.starts_with(q) {
        let s = 0.8 + 0.2 * (lq as f32 / ll as f32);
        if s > best.0 {
            best = (s, How::Prefix);
        }
    }
    best
}

/// The Jaro-Winkler and edit-distance rule of [`token_similarity`] alone
/// (a misspelling), 0 when it does not hold.
fn typo_similarity(q: &str, l: &str) -> f32 {
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

/// How a query word meets a listed legal form or place written `raw`: as
/// the start or end of a many-word one (`KONG` / `HONG KONG`), or misspelt
/// (`CUBAA` / `CUBA`); 0 otherwise, and for words under four letters. The
/// matcher's pairs and its candidate bound ([`Matcher::may_meet_legal_or_place`])
/// both ask this, so they cannot disagree.
fn legal_or_place_similarity(word: &str, raw: &str) -> (f32, How) {
    if word.len() < 4 {
        (0.0, How::Fuzzy)
    } else if raw.len() > word.len() && (raw.starts_with(word) || raw.ends_with(word)) {
        (PART_OF_PHRASE, How::Canonical)
    } else {
        (typo_similarity(word, raw), How::Fuzzy)
    }
}

/// Remember a cache entry, emptying the cache first when it is full.
fn remember<K: std::hash::Hash + Eq, V>(cache: &RwLock<HashMap<K, V>>, key: K, value: V) {
    if let Ok(mut c) = cache.write() {
        if c.len() >= SIMILAR_CACHE_MAX {
            c.clear();
        }
        c.insert(key, value);
    }
}

/// Similarity of a word to the many-word place or legal form it begins or
/// ends (`KONG` / `HONG KONG`).
pub const PART_OF_PHRASE: f32 = 0.9;

/// A listed organization's one word that a query leaves out, all its other
/// words present and in order, costs this share of its weight (not
/// [`LISTED_FACTOR`]).
pub const DROPPED_WORD_FACTOR: f32 = 0.2;

/// Aligned tokens: (first query token, how many), (first listed token, how
/// many), similarity, how they met.
type AlignedPair = ((usize, usize), (usize, usize), f32, How);

/// Do aligned pairs keep both sides' order?
fn in_order(pairs: &[AlignedPair]) -> bool {
    let mut by_query: Vec<(usize, usize)> = pairs.iter().map(|p| (p.0.0, p.1.0)).collect();
    by_query.sort_unstable();
    by_query.windows(2).all(|w| w[0].1 < w[1].1)
}

/// The most edits [`whole_name_edits`] allows (in names of 30 letters or more).
pub const WHOLE_MAX_EDITS: usize = 3;

/// The score of a name that is the listed name with a typo or two
/// ([`whole_name_edits`]) when its words score less.
pub const WHOLE_TYPO_SCORE: f32 = 0.9;

/// Is a name, written out word by word, a few edits away from a listed name
/// (`JC CAER AUDIO` / `JC CAR AUDIO`, `CAPRIKAT LIMMITDE` / `CAPRIKAT
/// LIMITED`)? One edit in a name of 10 letters or more, two in 16 or more,
/// three in 30 or more: then the number of edits ([`edits_within`] over
/// the names with their words in order, spaces included).
///
/// ```
/// use sanctions::matcher::whole_name_edits;
/// let w = |a: &str, b: &str| whole_name_edits(a.split(' '), b.split(' '));
/// assert_eq!(w("jc caer audio", "jc car audio"), Some(1));
/// assert_eq!(w("kim jong nam", "kim jong un"), None);
/// assert_eq!(w("wf holding limited", "rb holding limited"), None);
/// ```
pub fn whole_name_edits<'a>(
    query: impl Iterator<Item = &'a str>,
    listed: impl Iterator<Item = &'a str>,
) -> Option<usize> {
    let query: Vec<&str> = query.collect();
    let listed: Vec<&str> = listed.collect();
    // Lengths say enough to rule out most names cheaply.
    let (lq, ll) = (
        whole_length(query.iter().copied()),
        whole_length(listed.iter().copied()),
    );
    let allowed = whole_edits_allowed(lq, ll)?;
    // Word for word, no word may be rewritten rather than misspelt
    // (`WF HOLDING LIMITED` is not `RB HOLDING LIMITED`).
    if query.len() == listed.len()
        && query
            .iter()
            .zip(&listed)
            .any(|(a, b)| 2 * strsim::osa_distance(a, b) > a.chars().count().max(b.chars().count()))
    {
        return None;
    }
    let q: Vec<char> = join_words(query.into_iter());
    let l: Vec<char> = join_words(listed.into_iter());
    let d = edits_within(&q, &l, allowed)?;
    (d > 0).then_some(d)
}

/// The optimal-string-alignment distance of `a` and `b` (insertions,
/// deletions, substitutions, neighbours swapped) when it is at most `k`,
/// computed in a band of width `2k + 1` and given up as soon as every cell of
/// a row exceeds `k`.
///
/// ```
/// use sanctions::matcher::edits_within;
/// let c = |s: &str| s.chars().collect::<Vec<_>>();
/// assert_eq!(edits_within(&c("caprikat limmitde"), &c("caprikat limited"), 2), Some(2));
/// assert_eq!(edits_within(&c("abcdef"), &c("badcfe"), 2), None);
/// assert_eq!(edits_within(&c("same"), &c("same"), 0), Some(0));
/// ```
pub fn edits_within(a: &[char], b: &[char], k: usize) -> Option<usize> {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > k {
        return None;
    }
    const FAR: usize = usize::MAX / 2;
    // Three rows of the DP table (two back for a swap), each m + 1 long.
    let mut prev2 = vec![FAR; m + 1];
    let mut prev: Vec<usize> = (0..=m).map(|j| if j <= k { j } else { FAR }).collect();
    let mut cur = vec![FAR; m + 1];
    for i in 1..=n {
        let lo = i.saturating_sub(k).max(1);
        let hi = (i + k).min(m);
        cur.iter_mut().for_each(|c| *c = FAR);
        cur[0] = if i <= k { i } else { FAR };
        let mut row_min = cur[0];
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j - 1] + cost).min(prev[j] + 1).min(cur[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > k {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[m] <= k).then_some(prev[m])
}

/// How many edits [`whole_name_edits`] allows between names of these
/// lengths ([`whole_length`]): one when the shorter has 10 characters or
/// more, two from 16, three from 30; `None` when none, or when the lengths
/// alone differ by more.
fn whole_edits_allowed(a: usize, b: usize) -> Option<usize> {
    let allowed = match a.min(b) {
        0..=9 => return None,
        10..=15 => 1,
        16..=29 => 2,
        _ => WHOLE_MAX_EDITS,
    };
    (a.abs_diff(b) <= allowed).then_some(allowed)
}

/// May a whole-name typo ([`whole_name_edits`]) make a name of this length
/// and these letter counts match the query? Only if both are close enough.
fn may_be_whole_typo(q: &PreparedQuery, length: usize, hist: &Histogram) -> bool {
    whole_edits_allowed(q.length, length).is_some_and(|k| histogram_edits(&q.whole_hist, hist) <= k)
}

fn join_words<'a>(words: impl Iterator<Item = &'a str>) -> Vec<char> {
    let mut out = Vec::new();
    for w in words {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars());
    }
    out
}

/// Does a word look like an East Slavic or Turkic patronymic (`Georgievich`,
/// `Sergiyovych`, `Anatolevna`, `Aliyev ogly`)? Such a word is a middle
/// name wherever it stands (`POPOV Evgeny Georgievich`).
///
/// ```
/// use sanctions::matcher::is_patronymic;
/// assert!(is_patronymic("georgievich") && is_patronymic("anatolevna") && is_patronymic("ogly"));
/// assert!(!is_patronymic("popov") && !is_patronymic("ivanova"));
/// ```
pub fn is_patronymic(word: &str) -> bool {
    const SUFFIXES: [&str; 11] = [
        "ovich", "evich", "ovych", "evych", "ovna", "evna", "ivna", "ichna", "inichna", "yich",
        "ogly",
    ];
    word.len() >= 6 && SUFFIXES.iter().any(|s| word.ends_with(s))
        || matches!(word, "ogly" | "oglu" | "kyzy" | "qizi" | "gizi")
}

/// A cheap test that lets through every listed word of a length the
/// edit-distance rules allow that [`similarity_chars`] can find similar to a
/// query word (words with an equal key, a prefix or an initial are checked
/// anyway): two swapped letters or a romanization alternation in a short
/// word, one typo in a short word, or enough shared
/// letters for the edit-distance rule (whose similarity is at most the
/// Jaro-Winkler bound of the shared letters averaged with shared / longer
/// length, as the edit distance is at least longer - shared).
/// A necessary condition of [`may_be_similar`] from a listed word's length,
/// first letter and letter counts only (what the lookup holds contiguously):
/// letters in two equal places are shared letters, a prefix starts alike.
/// The fewest shared letters the edit-distance rules need is worked out
/// once per length, so a word costs a few integer comparisons.
struct QuickFilter<'q> {
    qt: &'q QueryToken,
    last: bool,
    /// By listed length: the fewest shared letters that can be enough, or
    /// `None` when no number is.
    min_shared: Vec<Option<usize>>,
    /// How many of the query word's letters a set of letters absent from
    /// a listed word removes, read a byte of the set's mask at a time:
    /// `lacking[k][b]` for the letters of bits `8k..8k+8` set in `b`.
    lacking: [[u8; 256]; 4],
}

impl<'q> QuickFilter<'q> {
    fn new(qt: &'q QueryToken, last: bool) -> QuickFilter<'q> {
        let lq = qt.chars.len();
        let hi = (lq as f64 / 0.56).ceil() as usize + 1;
        let min_shared = (0..=hi)
            .map(|ll| {
                let (short, long) = (lq.min(ll), lq.max(ll));
                (0..=short).find(|&m| {
                    if lq == ll && (3..=6).contains(&lq) && m + 2 >= lq {
                        return true;
                    }
                    let (jw_max, long_typo_possible) = fuzzy_bounds(m, lq, ll);
                    (jw_max >= fuzzy_cutoff(short) || long_typo_possible)
                        && (jw_max + m as f64 / long.max(1) as f64) / 2.0 >= FUZZY_MIN
                })
            })
            .collect();
        let mut lacking = [[0u8; 256]; 4];
        for (k, table) in lacking.iter_mut().enumerate() {
            for (b, sum) in table.iter_mut().enumerate() {
                *sum = (0..8)
                    .filter(|j| b >> j & 1 == 1)
                    .filter_map(|j| qt.hist.get(8 * k + j))
                    .fold(0u8, |a, &n| a.saturating_add(n));
            }
        }
        QuickFilter {
            qt,
            last,
            min_shared,
            lacking,
        }
    }

    /// The first-letter rules: one typo in a short word, a prefix.
    fn by_first_letter(&self, ll: usize) -> bool {
        let lq = self.qt.chars.len();
        let (short, long) = (lq.min(ll), lq.max(ll));
        (4..=6).contains(&short) && long - short <= 1 || self.last && lq < ll
    }

    fn min_shared(&self, ll: usize) -> Option<usize> {
        self.min_shared.get(ll).copied().flatten()
    }
}

impl WordFilter for QuickFilter<'_> {
    /// Edit-distance similarity (mean of Jaro-Winkler and normalized
    /// Damerau-Levenshtein >= FUZZY_MIN) needs |lq - ll| <= 0.44 max(lq, ll).
    fn lengths(&self) -> (usize, usize) {
        let lq = self.qt.chars.len();
        (
            (lq as f64 * 0.56).floor() as usize,
            (lq as f64 / 0.56).ceil() as usize,
        )
    }

    /// A first check from a listed word's length and letter mask alone:
    /// false only if `keep` is surely false.
    fn keep_mask(&self, ll: usize, mask: u32) -> bool {
        let lq = self.qt.chars.len();
        if lq.min(ll) <= 1 || ll >= self.min_shared.len() || self.by_first_letter(ll) {
            return true;
        }
        let Some(need) = self.min_shared(ll) else {
            return false;
        };
        let m = self.qt.mask & !mask;
        let lacking = self.lacking[0][(m & 255) as usize] as usize
            + self.lacking[1][(m >> 8 & 255) as usize] as usize
            + self.lacking[2][(m >> 16 & 255) as usize] as usize
            + self.lacking[3][(m >> 24 & 255) as usize] as usize;
        lq.saturating_sub(lacking) >= need
    }

    /// May a word of this length be similar at all?
    fn keep_len(&self, ll: usize) -> bool {
        self.qt.chars.len().min(ll) <= 1
            || self.by_first_letter(ll)
            || self.min_shared(ll).is_some()
            || ll >= self.min_shared.len()
    }

    fn keep(&self, ll: usize, e: &LenEntry) -> bool {
        let qt = self.qt;
        let lq = qt.chars.len();
        if lq.min(ll) <= 1 || ll >= self.min_shared.len() {
            return true;
        }
        if self.by_first_letter(ll) && qt.chars[0] == e.first {
            return true;
        }
        let Some(need) = self.min_shared(ll) else {
            return false;
        };
        // First a bound from which letters the word lacks, then the counts.
        let mut missing = qt.mask & !e.mask;
        let mut at_most = lq;
        while missing != 0 {
            let i = missing.trailing_zeros() as usize;
            at_most = at_most.saturating_sub(qt.hist[i] as usize);
            missing &= missing - 1;
        }
        at_most >= need && common_bound(&qt.hist, &e.hist) >= need
    }
}

fn may_be_similar(qt: &QueryToken, v: &VocabToken, last: bool) -> bool {
    let (lq, ll) = (qt.chars.len(), v.chars.len());
    let (short, long) = (lq.min(ll), lq.max(ll));
    // Equal lengths differing in at most two places: swapped letters, an alternation.
    let close = || {
        qt.chars
            .iter()
            .zip(&v.chars)
            .filter(|(a, b)| a != b)
            .count()
            <= 2
    };
    if short <= 1
        || lq == ll && (3..=6).contains(&lq) && close()
        || (4..=6).contains(&short) && long - short <= 1 && qt.chars[0] == v.chars[0]
        || last && lq < ll && v.chars.starts_with(&qt.chars)
    {
        return true;
    }
    let m = common_bound(&qt.hist, &v.hist);
    let (jw_max, long_typo_possible) = fuzzy_bounds(m, lq, ll);
    (jw_max >= fuzzy_cutoff(short) || long_typo_possible)
        && (jw_max + m as f64 / long as f64) / 2.0 >= FUZZY_MIN
}

/// One query token as the matcher sees it.
#[derive(Debug, Clone)]
struct QueryToken {
    token: Token,
    chars: Vec<char>,
    skeleton: String,
    phonetic: String,
    hist: Histogram,
    /// Which letters it has ([`crate::index::letter_mask`]).
    mask: u32,
    arabic_key: String,
    /// The token as folded before canonicalization (words joined).
    raw: Box<str>,
    weight: f32,
    /// Similar vocabulary tokens, sorted by id: (id, similarity, how).
    similar: SimilarWords,
    /// Is it a word of a many-word term ([`terms::Terms::is_term_word`])?
    term_word: bool,
    /// May it meet a listed legal form or place misspelt or in part
    /// ([`Matcher::may_meet_legal_or_place`])? Set by `prepare_analyzed`.
    cross: bool,
}

/// A query analyzed against an index: tokens, weights and similar vocabulary.
#[derive(Debug, Clone)]
pub struct PreparedQuery {
    /// The query text (a whole name or one part of it).
    text: String,
    /// Written in Arabic script?
    arabic: bool,
    tokens: Vec<QueryToken>,
    /// Names sharing something with the query that may reach the
    /// threshold ([`Matcher::cannot_reach_threshold`]), sorted.
    candidates: Vec<Candidate>,
    /// How many names share something with the query.
    reached: usize,
    /// The sum of its tokens' weights.
    weight: f32,
    /// Its length as [`whole_name_edits`] measures it ([`whole_length`]).
    length: usize,
    /// Letter counts of its raw words joined ([`crate::index::whole_histogram`]).
    whole_hist: Histogram,
    /// Every listed word similar to one of its words, sorted (what a
    /// listed word must be for a query word to meet it).
    reachable: Vec<u32>,
    /// May a query word meet listed words outside `reachable` (a word of a
    /// many-word term meets that term's words)?
    reaches_any: bool,
}

/// A name that shares something with a query, and the weight of the query
/// words that cannot meet it (0 when unknown).
#[derive(Debug, Clone, Copy)]
struct Candidate {
    name: u32,
    unreached: f32,
    /// Found through glued words or a query of legal forms only: always scored.
    forced: bool,
}

/// One aligned pair in an explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    /// The query token(s), canonical.
    pub query: String,
    /// The listed token(s), canonical.
    pub listed: String,
    /// Similarity in `0..=1`.
    pub similarity: f32,
    /// How they met.
    pub how: How,
    /// The pair's weight: the weights of both sides' tokens.
    pub weight: f32,
}

/// An unmatched token and its weight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unmatched {
    /// The token, canonical.
    pub token: String,
    /// Its weight (what its absence cost).
    pub weight: f32,
}

/// Why a name scored what it scored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// The query as analyzed (canonical tokens).
    pub query_tokens: Vec<String>,
    /// The listed name as analyzed.
    pub listed_tokens: Vec<String>,
    /// What canonicalization changed, as `folded → canonical`.
    pub canonicalized: Vec<String>,
    /// Aligned pairs.
    pub pairs: Vec<Pair>,
    /// Query tokens with no partner.
    pub unmatched_query: Vec<Unmatched>,
    /// Listed tokens with no partner.
    pub unmatched_listed: Vec<Unmatched>,
    /// The score before the weak-alias discount.
    pub raw_score: f32,
    /// Kind of the matched name.
    pub name_kind: NameKind,
    /// When an identifier decided the hit: which one, e.g.
    /// `ISIN HK0941009539 equals the listed ISIN HK0941009539`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// When one part of the input name matched rather than the whole (an
    /// alias in parentheses, one of two names joined by `or`): that part.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query_part: Option<String>,
    /// When the input's country contradicts the listing, e.g.
    /// `input country US is not among the listed countries (RU); score x 0.9`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// When the name as written is a few letters off the listed name and
    /// that scored more than its words did ([`whole_name_edits`]): the
    /// number of letters changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub whole_name_edits: Option<usize>,
}

impl Explanation {
    /// A short readable form: `sensetime=sensetime(exact 1.00), group=group(exact 1.00); -ltd`.
    pub fn summary(&self) -> String {
        let mut parts: Vec<String> = self
            .pairs
            .iter()
            .map(|p| {
                if p.query == p.listed {
                    format!("{}({:?} {:.2})", p.query, p.how, p.similarity).to_lowercase()
                } else {
                    format!("{}~{}({:?} {:.2})", p.query, p.listed, p.how, p.similarity)
                        .to_lowercase()
                }
            })
            .collect();
        for u in &self.unmatched_query {
            parts.push(format!("+{}", u.token));
        }
        for u in &self.unmatched_listed {
            parts.push(format!("-{}", u.token));
        }
        let mut s = parts.join(" ");
        if let Some(d) = self.whole_name_edits {
            s = format!("whole name {d} letter(s) off: {s}");
        }
        if let Some(id) = &self.identifier {
            s = format!("identifier: {id}; name: {s}");
        }
        if let Some(p) = &self.query_part {
            s = format!("part \"{p}\": {s}");
        }
        if let Some(c) = &self.country {
            s.push_str(&format!(" [{c}]"));
        }
        if self.name_kind == NameKind::Weak {
            s.push_str(" [weak alias]");
        }
        s
    }
}

/// A scored name.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// Index into [`Index::names`].
    pub name: u32,
    /// Final score (after the weak-alias rule).
    pub score: f32,
    /// Which part of the query scored it ([`crate::normalize::name_parts`]; 0 = the whole).
    pub part: u32,
}

/// One potential match: the best-scoring name of a party group.
#[derive(Debug, Clone)]
pub struct Match {
    /// The party group.
    pub group: u32,
    /// The group's representative entity (shown as the hit).
    pub entity: u32,
    /// The entity whose name matched (may be another member of the group).
    pub matched_entity: u32,
    /// Index of the matched name within the matched entity.
    pub matched_name: u32,
    /// Score in `0..=1`.
    pub score: f32,
    /// Why.
    pub explanation: Explanation,
}

/// Searches an index.
#[derive(Debug, Clone)]
pub struct Matcher<'a> {
    index: &'a Index,
    /// Hits below this score are not reported.
    pub threshold: f32,
    /// At most this many hits per query (0 = no limit).
    pub top: usize,
    /// Compare each query word with every listed word instead of only those
    /// the index says may be similar (the reference for tests).
    pub full_scan: bool,
    /// Similar listed words of query words seen before.
    cache: Arc<RwLock<SimilarCache>>,
    /// Whether query words seen before may meet a legal form or place.
    cross_cache: Arc<RwLock<HashMap<String, bool>>>,
}

/// Score each prepared part of a query, each score marked with its part.
fn score_parts(qs: &[PreparedQuery], score: impl Fn(&PreparedQuery) -> Vec<Scored>) -> Vec<Scored> {
    let mut out = Vec::new();
    for (part, q) in qs.iter().enumerate() {
        out.extend(score(q).into_iter().map(|s| Scored {
            part: part as u32,
            ..s
        }));
    }
    out
}

/// Per-thread working memory of the candidate search: a slot per listed
/// name, reused from query to query without clearing.
#[derive(Debug, Default)]
struct Reach {
    /// The query that last reached each name.
    stamp: Vec<u32>,
    /// What reaches each name, as bits (see [`Matcher::prepare_analyzed`]).
    bits: Vec<u64>,
    /// Names reached by the current query, in the order first reached.
    touched: Vec<u32>,
    /// The current query's number (0 is never a query's).
    query: u32,
    /// The query's reachable listed words, as one bit per vocabulary id.
    reachable: Vec<u64>,
}

impl Reach {
    /// Begin a query over an index of `names` names.
    fn start(&mut self, names: usize) {
        if self.stamp.len() < names {
            self.stamp.resize(names, 0);
            self.bits.resize(names, 0);
        }
        self.query = self.query.wrapping_add(1);
        if self.query == 0 {
            self.stamp.iter_mut().for_each(|s| *s = 0);
            self.query = 1;
        }
        self.touched.clear();
    }

    /// These names are reached by what `bit` stands for.
    fn add(&mut self, names: &[u32], bit: u64) {
        for &n in names {
            let i = n as usize;
            if self.stamp[i] != self.query {
                self.stamp[i] = self.query;
                self.bits[i] = 0;
                self.touched.push(n);
            }
            self.bits[i] |= bit;
        }
    }

    /// Mark these vocabulary ids reachable (ids below `vocab`).
    fn mark(&mut self, vocab: usize, ids: &[u32]) {
        if self.reachable.len() < vocab.div_ceil(64) {
            self.reachable.resize(vocab.div_ceil(64), 0);
        }
        for &id in ids {
            self.reachable[id as usize / 64] |= 1 << (id % 64);
        }
    }

    /// Unmark them again.
    fn unmark(&mut self, ids: &[u32]) {
        for &id in ids {
            self.reachable[id as usize / 64] = 0;
        }
    }

    /// Each name reached, and what reached it.
    fn touched(&self) -> impl Iterator<Item = (u32, u64)> + '_ {
        self.touched.iter().map(|&n| (n, self.bits[n as usize]))
    }
}

thread_local! {
    static REACH: std::cell::RefCell<Reach> = std::cell::RefCell::default();
}

/// Similar listed words of one query word (see [`Matcher::similar_words`]).
type SimilarWords = Arc<[(u32, f32, How)]>;

/// (query word, is it the last word, is the query in Arabic script) to its similar words.
type SimilarCache = HashMap<(String, bool, bool), SimilarWords>;

/// The similar-word cache is emptied when it holds this many words.
const SIMILAR_CACHE_MAX: usize = 200_000;

impl<'a> Matcher<'a> {
    /// A matcher with the given threshold and hit limit.
    pub fn new(index: &'a Index, threshold: f32, top: usize) -> Matcher<'a> {
        Matcher {
            index,
            threshold,
            top,
            full_scan: false,
            cache: Arc::default(),
            cross_cache: Arc::default(),
        }
    }

    /// Analyze a query and collect its candidate names.
    pub fn prepare(&self, name: &str) -> PreparedQuery {
        self.prepare_analyzed(name, terms::analyze(name))
    }

    /// [`Matcher::prepare`] for tokens analyzed by the caller.
    fn prepare_analyzed(&self, name: &str, analyzed: Vec<Token>) -> PreparedQuery {
        let idx = self.index;
        let arabic = crate::normalize::has_arabic(name);
        let n = analyzed.len();
        let mut tokens: Vec<QueryToken> = analyzed
            .into_iter()
            .map(|t| {
                let chars: Vec<char> = t.text.chars().collect();
                let hist = histogram(&chars);
                QueryToken {
                    mask: letter_mask(&hist),
                    hist,
                    phonetic: phonetic(&t.text),
                    arabic_key: arabic_key(&t.text),
                    raw: raw_form(&t),
                    chars,
                    skeleton: skeleton(&t.text),
                    weight: idx.weight_of(&t.text, t.class),
                    term_word: terms::Terms::shipped().is_term_word(&t.text),
                    cross: t.class == Class::Word && self.may_meet_legal_or_place(&t.text),
                    token: t,
                    similar: Arc::from([]),
                }
            })
            .collect();
        // Postings of what reaches names: (names, query token); FORCED for
        // names that must be scored whatever (glued words, a query of legal
        // forms only).
        const FORCED: u32 = u32::MAX;
        let mut reach: Vec<(&[u32], u32)> = Vec::new();
        let has_word = tokens.iter().any(|t| t.token.class == Class::Word);
        for (i, qt) in tokens.iter_mut().enumerate() {
            let last = i + 1 == n;
            if qt.token.class == Class::Word {
                qt.similar = self.similar_words(qt, last, arabic);
                for &(id, _, _) in qt.similar.iter() {
                    reach.push((&idx.postings[id as usize], i as u32));
                }
                // A word the lists do not use, but close to one they do, is
                // most likely a misspelling of it and weighs what it weighs.
                if !idx.vocab_ids.contains_key(&qt.token.text)
                    && let Some(&(id, _, _)) = qt
                        .similar
                        .iter()
                        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
                {
                    qt.weight = idx.vocab[id as usize].weight;
                }
                for key in [&qt.token.text[..], &qt.raw[..]] {
                    if let Some(names) = idx.glued.get(key) {
                        reach.push((names, FORCED));
                    }
                }
            } else if let Some(&id) = idx.vocab_ids.get(&qt.token.text) {
                qt.similar = Arc::from([(id, 1.0, How::Exact)]);
                // A query of legal forms and particles only (`JOINT STOCK
                // COMPANY`) can only match names made of them.
                if !has_word {
                    reach.push((&idx.postings[id as usize], FORCED));
                }
            }
        }
        // Two query words glued together may be one listed word, each side
        // as canonicalized or as written (as the scorer compares them).
        let mut glued = String::new();
        for pair in tokens.windows(2) {
            if gluable(pair[0].token.class) && gluable(pair[1].token.class) {
                for a in [&pair[0].token.text[..], &pair[0].raw[..]] {
                    for b in [&pair[1].token.text[..], &pair[1].raw[..]] {
                        glued.clear();
                        glued.push_str(a);
                        glued.push_str(b);
                        let ids = idx.vocab_ids.get(&glued).into_iter();
                        let written = idx.written.get(&glued).into_iter().flatten();
                        for &id in ids.chain(written) {
                            reach.push((&idx.postings[id as usize], FORCED));
                        }
                    }
                }
            }
        }
        // In Arabic script (the query's or a name's), glued words meet by
        // their Arabic keys.
        let glue = idx.arabic_glue(arabic);
        if !glue.is_empty() {
            for (i, t) in tokens.iter().enumerate() {
                if t.token.class == Class::Word {
                    for w in [&t.token.text[..], &t.raw[..]] {
                        if let Some(names) = glue.pairs.get(&arabic_key(w)) {
                            reach.push((names, FORCED));
                        }
                    }
                }
                let Some(u) = tokens.get(i + 1) else {
                    continue;
                };
                if gluable(t.token.class) && gluable(u.token.class) {
                    for a in [&t.token.text[..], &t.raw[..]] {
                        for b in [&u.token.text[..], &u.raw[..]] {
                            if let Some(names) = glue.words.get(&arabic_key(&format!("{a}{b}"))) {
                                reach.push((names, FORCED));
                            }
                        }
                    }
                }
            }
        }
        let mut reachable: Vec<u32> = tokens
            .iter()
            .filter(|t| t.token.class == Class::Word)
            .flat_map(|t| t.similar.iter().map(|s| s.0))
            .collect();
        reachable.sort_unstable();
        reachable.dedup();
        let mut q = PreparedQuery {
            text: name.to_string(),
            arabic,
            weight: tokens.iter().map(|t| t.weight).sum(),
            length: whole_length(tokens.iter().map(|t| &t.raw[..])),
            whole_hist: whole_histogram(tokens.iter().map(|t| &t.raw[..])),
            reaches_any: tokens
                .iter()
                .any(|t| t.token.class == Class::Word && t.term_word),
            reachable,
            tokens,
            candidates: Vec::new(),
            reached: 0,
        };
        // The query words that can only meet a name through its similar
        // words (as bits): the others (a word of a many-word term, one that
        // may be a misspelt legal form or place, one past the 63rd) may meet
        // any name.
        let bound_words: u64 = q
            .tokens
            .iter()
            .take(63)
            .enumerate()
            .filter(|(_, t)| t.token.class == Class::Word && !t.term_word && !t.cross)
            .fold(0, |m, (i, _)| m | 1 << i);
        let weight_of_bits = |mut bits: u64| {
            let mut w = 0.0f32;
            while bits != 0 {
                w += q.tokens[bits.trailing_zeros() as usize].weight;
                bits &= bits - 1;
            }
            w
        };
        let bound_total = weight_of_bits(bound_words);
        let (reached, mut candidates) = REACH.with(|r| {
            let r = &mut *r.borrow_mut();
            r.start(idx.names.len());
            for &(names, tag) in &reach {
                let bit = if tag == FORCED {
                    1 << 63
                } else {
                    1u64 << tag.min(62) & bound_words
                };
                r.add(names, bit);
            }
            r.mark(idx.vocab.len(), &q.reachable);
            let mut out = Vec::new();
            for (name, bits) in r.touched() {
                let forced = bits >> 63 == 1;
                let c = Candidate {
                    name,
                    unreached: if forced {
                        0.0
                    } else {
                        (bound_total - weight_of_bits(bits & bound_words)).max(0.0)
                    },
                    forced,
                };
                if self.full_scan || !self.cannot_reach_threshold(&q, &c, &r.reachable) {
                    out.push(c);
                }
            }
            r.unmark(&q.reachable);
            (r.touched.len(), out)
        });
        candidates.sort_unstable_by_key(|c| c.name);
        q.reached = reached;
        q.candidates = candidates;
        q
    }

    /// May a query word meet a listed legal form or place as a misspelling
    /// or a part of it (see [`Matcher::pair_similarity`])? Remembered per word.
    fn may_meet_legal_or_place(&self, word: &str) -> bool {
        if let Some(hit) = self
            .cross_cache
            .read()
            .ok()
            .and_then(|c| c.get(word).copied())
        {
            return hit;
        }
        let hit = self
            .index
            .legal_minor_raws
            .iter()
            .any(|r| legal_or_place_similarity(word, r).0 > 0.0);
        remember(&self.cross_cache, word.to_string(), hit);
        hit
    }

    /// The listed words similar to a query word: (id, similarity, how),
    /// sorted by id. Remembered per word: names repeat their words.
    fn similar_words(&self, qt: &QueryToken, last: bool, arabic: bool) -> SimilarWords {
        let key = (qt.token.text.clone(), last, arabic);
        if !self.full_scan
            && let Some(hit) = self.cache.read().ok().and_then(|c| c.get(&key).cloned())
        {
            return hit;
        }
        let idx = self.index;
        let quick = QuickFilter::new(qt, last);
        let ids: Vec<(u32, bool)> = if self.full_scan {
            (0..idx.vocab.len() as u32).map(|id| (id, true)).collect()
        } else {
            idx.lookup.candidates(
                &qt.token.text,
                &qt.chars,
                [&qt.skeleton, &qt.phonetic, &qt.arabic_key],
                last,
                &quick,
            )
        };
        let mut out = Vec::new();
        for (id, keyed) in ids {
            let v = &idx.vocab[id as usize];
            if v.class != Class::Word || !(keyed || may_be_similar(qt, v, last)) {
                continue;
            }
            let (mut s, mut how) = similarity_chars(
                (&qt.chars, &qt.skeleton, &qt.phonetic, &qt.hist),
                (&v.chars, &v.skeleton, &v.phonetic, &v.hist),
                last,
            );
            // Arabic script writes no short vowels: `حسن` is `hsn`.
            if s < ARABIC_SIM
                && (arabic || v.arabic)
                && qt.arabic_key.len() >= 2
                && qt.arabic_key == v.arabic_key
            {
                (s, how) = (ARABIC_SIM, How::Arabic);
            }
            if s > 0.0 {
                out.push((id, s, how));
            }
        }
        let out: SimilarWords = out.into();
        if !self.full_scan {
            remember(&self.cache, key, out.clone());
        }
        out
    }

    /// Score every candidate name of a prepared query.
    pub fn score_candidates(&self, q: &PreparedQuery) -> Vec<Scored> {
        q.candidates
            .iter()
            .map(|c| Scored {
                name: c.name,
                score: self.score_name(q, c.name, None),
                part: 0,
            })
            .collect()
    }

    /// Is a candidate's score surely below the threshold? A score is
    /// `M / (M + D)`: `M` what the aligned pairs bring, `D` what they miss
    /// and what the unmatched words cost. At best every query word that can
    /// meet the name meets it exactly, and so does every listed word that a
    /// query word can meet (one similar to a query word, or not a word:
    /// legal forms, places and particles may meet anything); the rest are
    /// unmatched and cost at least their cheapest rate: a query word
    /// [`PERSON_MIDDLE_FACTOR`] of its weight (an organization's
    /// [`QUERY_EXTRA_FACTOR`]), a listed word [`PERSON_MISSING_FACTOR`] (an
    /// organization's [`DROPPED_WORD_FACTOR`]). Names found through glued
    /// words, names in Arabic script, and names that a whole-name typo may
    /// match are always scored.
    /// `reachable` holds a bit per vocabulary id: the query's reachable words.
    fn cannot_reach_threshold(&self, q: &PreparedQuery, c: &Candidate, reachable: &[u64]) -> bool {
        if c.forced || self.threshold <= 0.0 || q.arabic {
            return false;
        }
        let idx = self.index;
        let n = &idx.sketches[c.name as usize];
        if n.arabic
            || self.threshold <= WHOLE_TYPO_SCORE
                && may_be_whole_typo(q, n.length as usize, &idx.names[c.name as usize].whole_hist)
        {
            return false;
        }
        let (factor, query_cost, listed_cost) = if n.person {
            (
                LISTED_FACTOR_PERSON,
                PERSON_MIDDLE_FACTOR,
                PERSON_MISSING_FACTOR,
            )
        } else {
            (LISTED_FACTOR, QUERY_EXTRA_FACTOR, DROPPED_WORD_FACTOR)
        };
        let mut best = (q.weight - c.unreached).max(0.0) + factor * n.other_weight;
        let mut missed = query_cost * c.unreached;
        for &(t, w) in idx.sketch_words(c.name) {
            if q.reaches_any || reachable[t as usize / 64] >> (t % 64) & 1 == 1 {
                best += factor * w;
            } else {
                missed += listed_cost * w;
            }
        }
        missed > 0.0 && best / (best + missed) < self.threshold - 1e-4
    }

    /// Score every name in the index (brute force; for tests and benchmarks).
    pub fn score_all(&self, q: &PreparedQuery) -> Vec<Scored> {
        (0..self.index.names.len() as u32)
            .map(|name| Scored {
                name,
                score: self.score_name(q, name, None),
                part: 0,
            })
            .collect()
    }

    /// Screen one name: potential matches at or above the threshold, best first.
    pub fn search(&self, name: &str) -> Vec<Match> {
        self.search_with_identifiers(name, &[])
    }

    /// Screen a name with its identifiers: a listed entity carrying one of
    /// them (ISIN, ticker, LEI, IMO, registration number...) is a hit with
    /// score 1 whatever the name says, and the explanation says which.
    pub fn search_with_identifiers(&self, name: &str, identifiers: &[Identifier]) -> Vec<Match> {
        self.search_query(name, identifiers, None)
    }

    /// [`Matcher::search_with_identifiers`], and an input country: a hit
    /// whose listed countries are known and all differ from it scores
    /// [`COUNTRY_MISMATCH_FACTOR`] of its name score, and says so.
    pub fn search_query(
        &self,
        name: &str,
        identifiers: &[Identifier],
        country: Option<&str>,
    ) -> Vec<Match> {
        let idx = self.index;
        let qs = self.prepare_parts(name);
        let mut scored = score_parts(&qs, |q| self.score_candidates(q));
        let mut decided: Vec<(u32, String)> = Vec::new();
        for id in identifiers {
            let Some(key) = normalize_identifier(&id.value) else {
                continue;
            };
            for &e in idx.identifiers.get(&key).map(Vec::as_slice).unwrap_or(&[]) {
                let g = idx.entity_group[e as usize];
                if decided.iter().any(|(d, _)| *d == g) {
                    continue;
                }
                let listed = idx.entities[e as usize]
                    .identifiers
                    .iter()
                    .find(|l| normalize_identifier(&l.value).as_deref() == Some(key.as_str()));
                let what = match listed {
                    Some(l) => format!(
                        "{} {} equals the listed {} {}",
                        id.kind, id.value, l.kind, l.value
                    ),
                    None => format!("{} {} is listed", id.kind, id.value),
                };
                decided.push((g, what));
                // Make sure the entity's primary name is among the scored names.
                let first = idx.name_start[e as usize];
                if first < idx.name_start[e as usize + 1] && !scored.iter().any(|s| s.name == first)
                {
                    scored.push(Scored {
                        name: first,
                        score: self.score_name(&qs[0], first, None),
                        part: 0,
                    });
                }
            }
        }
        let country = country.and_then(crate::countries::iso2);
        self.collect(&qs, scored, &decided, country)
    }

    /// Each part of a name ([`crate::normalize::name_parts`]), prepared.
    /// A part mixing Latin with Cyrillic or Greek letters is read both ways:
    /// as a disguise (look-alikes folded to Latin) and as Cyrillic or Greek
    /// with a stray Latin letter; so is a part written wholly in look-alikes
    /// (`РАЕС` is both `raes` and `PAEC`).
    fn prepare_parts(&self, name: &str) -> Vec<PreparedQuery> {
        let mut out = Vec::new();
        for p in crate::normalize::name_parts(name) {
            out.push(self.prepare(&p));
            if let Some(reading) = crate::normalize::other_reading(&p) {
                out.push(self.prepare_analyzed(&p, terms::analyze_read(&p, reading)));
            }
        }
        out
    }

    /// Screen one name by scoring every listed name (slow; the reference for tests).
    pub fn search_brute_force(&self, name: &str) -> Vec<Match> {
        let full = Matcher {
            full_scan: true,
            ..self.clone()
        };
        let qs = full.prepare_parts(name);
        let scored = score_parts(&qs, |q| self.score_all(q));
        self.collect(&qs, scored, &[], None)
    }

    /// Best name per group, threshold, order, top K; `decided` groups (an
    /// identifier matched) score 1 and pass whatever their names scored.
    fn collect(
        &self,
        qs: &[PreparedQuery],
        scored: Vec<Scored>,
        decided: &[(u32, String)],
        country: Option<&'static str>,
    ) -> Vec<Match> {
        let idx = self.index;
        let mismatch = |g: u32| -> Option<String> {
            let c = country?;
            let listed = &idx.group_countries[g as usize];
            (!listed.is_empty() && !listed.contains(&c)).then(|| {
                format!(
                    "input country {c} is not among the listed countries ({}); score x {COUNTRY_MISMATCH_FACTOR}",
                    listed.join(", ")
                )
            })
        };
        // Best name per group; ties go to the earlier name (deterministic).
        let mut best: Vec<(u32, Scored)> = Vec::new();
        let mut pos: HashMap<u32, usize> = HashMap::default();
        for mut s in scored {
            let g = idx.entity_group[idx.names[s.name as usize].entity as usize];
            let forced = decided.iter().any(|(d, _)| *d == g);
            if forced {
                s.score = 1.0;
            } else {
                if country.is_some() && mismatch(g).is_some() {
                    s.score *= COUNTRY_MISMATCH_FACTOR;
                }
                if s.score <= 0.0 || s.score < self.threshold {
                    continue;
                }
            }
            match pos.get(&g) {
                Some(&p) => {
                    let cur = &mut best[p].1;
                    if s.score > cur.score || (s.score == cur.score && s.name < cur.name) {
                        *cur = s;
                    }
                }
                None => {
                    pos.insert(g, best.len());
                    best.push((g, s));
                }
            }
        }
        best.sort_by(|a, b| {
            b.1.score.total_cmp(&a.1.score).then_with(|| {
                let ea = &idx.entities[idx.groups[a.0 as usize].members[0] as usize].id;
                let eb = &idx.entities[idx.groups[b.0 as usize].members[0] as usize].id;
                ea.cmp(eb)
            })
        });
        if self.top > 0 {
            best.truncate(self.top);
        }
        best.into_iter()
            .map(|(g, s)| {
                let n = &idx.names[s.name as usize];
                let mut explanation = None;
                self.score_name(&qs[s.part as usize], s.name, Some(&mut explanation));
                let mut explanation: Explanation = explanation.expect("explanation requested");
                if qs[s.part as usize].text != qs[0].text {
                    explanation.query_part = Some(qs[s.part as usize].text.clone());
                }
                explanation.identifier = decided
                    .iter()
                    .find(|(d, _)| *d == g)
                    .map(|(_, w)| w.clone());
                if explanation.identifier.is_none() {
                    explanation.country = mismatch(g);
                }
                Match {
                    group: g,
                    entity: idx.groups[g as usize].members[0],
                    matched_entity: n.entity,
                    matched_name: n.name,
                    score: s.score,
                    explanation,
                }
            })
            .collect()
    }

    /// Similarity of query token `qi` with vocabulary token `tid`.
    fn pair_similarity(&self, qt: &QueryToken, tid: u32, raw: &str) -> (f32, How) {
        let v: &VocabToken = &self.index.vocab[tid as usize];
        match (qt.token.class, v.class) {
            (Class::Word, Class::Word) => match qt.similar.binary_search_by_key(&tid, |s| s.0) {
                Ok(p) => {
                    let (_, s, how) = qt.similar[p];
                    let how = if how == How::Exact && qt.token.from.is_some() {
                        How::Canonical
                    } else {
                        how
                    };
                    (s, how)
                }
                // One word of a many-word term written alone (`MAKING` for
                // `INSTRUMENT MAKING`, which the table makes one token).
                Err(_) => {
                    if qt.term_word && terms::Terms::shipped().is_word_of(&v.text, &qt.token.text) {
                        (PART_OF_PHRASE, How::Canonical)
                    } else {
                        (0.0, How::Fuzzy)
                    }
                }
            },
            (Class::Legal, Class::Legal) => {
                if qt.token.text == v.text {
                    (1.0, How::Exact)
                } else {
                    (0.5, How::LegalForm)
                }
            }
            (Class::Stop, Class::Stop) | (Class::Minor, Class::Minor)
                if qt.token.text == v.text =>
            {
                (1.0, How::Exact)
            }
            // A typo in a place or a legal form written out (`CUBAA`,
            // `LIMMITED`) makes an unknown word of it: it still meets the
            // listed word as written.
            // So does a word of a many-word place or legal form written
            // alone (`KONG` for `HONG KONG`, `AKTSIONERNOE` for
            // `AKTSIONERNOE OBSHCHESTVO`).
            (Class::Word, Class::Minor | Class::Legal) if qt.cross => {
                legal_or_place_similarity(&qt.token.text, raw)
            }
            _ => (0.0, How::Fuzzy),
        }
    }

    /// Score one listed name against a prepared query; optionally explain.
    fn score_name(
        &self,
        q: &PreparedQuery,
        name: u32,
        explain: Option<&mut Option<Explanation>>,
    ) -> f32 {
        let idx = self.index;
        let n = &idx.names[name as usize];
        let lt = &n.tokens;
        let qn = q.tokens.len();
        let ln = lt.len();
        if qn == 0 || ln == 0 {
            return 0.0;
        }
        let wq: f32 = q.tokens.iter().map(|t| t.weight).sum();
        let wl: f32 = lt.iter().map(|&t| idx.vocab[t as usize].weight).sum();
        // People's names are often given without their middle names or
        // patronymic chains: their missing listed parts cost less.
        let factor = if idx.entities[n.entity as usize].entity_type == EntityType::Person {
            LISTED_FACTOR_PERSON
        } else {
            LISTED_FACTOR
        };
        let total = wq + factor * wl;
        if total <= 0.0 {
            return 0.0;
        }
        let lw = |j: usize| factor * idx.vocab[lt[j] as usize].weight;
        let mut q_used = vec![false; qn];
        let mut l_used = vec![false; ln];
        let mut matched = 0.0f32;
        let mut pairs: Vec<AlignedPair> = Vec::new();

        // Glued words: one query word = two adjacent listed words, or the
        // reverse, compared both as canonicalized and as written.
        // Either side in Arabic script: the same consonants are enough
        // (`أبوغيث` / `ABO GHAITH`).
        let arabic = q.arabic || n.arabic;
        let glues = |one: [&str; 2], a: [&str; 2], b: [&str; 2]| -> Option<f32> {
            let pairs = || a.iter().flat_map(|x| b.iter().map(move |y| (*x, *y)));
            for w in one {
                for x in a {
                    for y in b {
                        if w.len() == x.len() + y.len() && w.starts_with(x) && w.ends_with(y) {
                            return Some(1.0);
                        }
                    }
                }
            }
            if !arabic {
                return None;
            }
            let arabic_glue = |w: &&str| {
                let k = arabic_key(w);
                k.len() >= 3 && pairs().any(|(x, y)| k == arabic_key(&format!("{x}{y}")))
            };
            one.iter().any(arabic_glue).then_some(ARABIC_SIM)
        };
        for j in 0..ln.saturating_sub(1) {
            let (a, b) = (&idx.vocab[lt[j] as usize], &idx.vocab[lt[j + 1] as usize]);
            if !gluable(a.class) || !gluable(b.class) || l_used[j] || l_used[j + 1] {
                continue;
            }
            let (ra, rb) = (&n.raw[j][..], &n.raw[j + 1][..]);
            if let Some((i, sim)) = (0..qn).find_map(|i| {
                let t = &q.tokens[i];
                if q_used[i] || t.token.class != Class::Word {
                    return None;
                }
                glues([&t.token.text, &t.raw], [&a.text, ra], [&b.text, rb]).map(|s| (i, s))
            }) {
                q_used[i] = true;
                l_used[j] = true;
                l_used[j + 1] = true;
                matched += sim * (q.tokens[i].weight + lw(j) + lw(j + 1));
                pairs.push(((i, 1), (j, 2), sim, How::Glued));
            }
        }
        for i in 0..qn.saturating_sub(1) {
            let (a, b) = (&q.tokens[i], &q.tokens[i + 1]);
            if !gluable(a.token.class) || !gluable(b.token.class) || q_used[i] || q_used[i + 1] {
                continue;
            }
            if let Some((j, sim)) = (0..ln).find_map(|j| {
                let v = &idx.vocab[lt[j] as usize];
                if l_used[j] || v.class != Class::Word {
                    return None;
                }
                glues(
                    [&v.text, &n.raw[j]],
                    [&a.token.text, &a.raw],
                    [&b.token.text, &b.raw],
                )
                .map(|s| (j, s))
            }) {
                q_used[i] = true;
                q_used[i + 1] = true;
                l_used[j] = true;
                matched += sim * (q.tokens[i].weight + q.tokens[i + 1].weight + lw(j));
                pairs.push(((i, 2), (j, 1), sim, How::Glued));
            }
        }

        // One-to-one assignment, best pairs first.
        let mut cand: Vec<(f32, usize, usize, How)> = Vec::new();
        for (i, qt) in q.tokens.iter().enumerate() {
            if q_used[i] {
                continue;
            }
            for (j, &tid) in lt.iter().enumerate() {
                if l_used[j] {
                    continue;
                }
                let (s, how) = self.pair_similarity(qt, tid, &n.raw[j]);
                if s > 0.0 {
                    cand.push((s, i, j, how));
                }
            }
        }
        cand.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut reweighted = 0.0f32;
        for (s, i, j, how) in cand {
            if q_used[i] || l_used[j] {
                continue;
            }
            q_used[i] = true;
            l_used[j] = true;
            // An initial stands for a word but says less: the pair counts the
            // smaller of the two weights on both sides (`A.` is not `ATEF`).
            let v = &idx.vocab[lt[j] as usize];
            let (wi, wj) = if how == How::Initial {
                let m = q.tokens[i].weight.min(v.weight);
                (m, factor * m)
            } else if v.class != Class::Word && q.tokens[i].token.class == Class::Word {
                // A misspelt place or legal form weighs what the word it
                // stands for weighs, not what an unknown word does.
                let w = q.tokens[i].weight.min(v.weight);
                reweighted += q.tokens[i].weight - w;
                (w, lw(j))
            } else {
                (q.tokens[i].weight, lw(j))
            };
            matched += s * (wi + wj);
            pairs.push(((i, 1), (j, 1), s, how));
        }
        // Unmatched query words cost QUERY_EXTRA_FACTOR of their weight.
        let unmatched_q: f32 = (0..qn)
            .filter(|&i| !q_used[i])
            .map(|i| q.tokens[i].weight)
            .sum();
        let person = idx.entities[n.entity as usize].entity_type == EntityType::Person;
        // Are all of a side's words (at least two) matched?
        let words_done = |used: &[bool], class: &dyn Fn(usize) -> Class| {
            let mut words = 0;
            for (k, &u) in used.iter().enumerate() {
                if class(k) == Class::Word {
                    if !u {
                        return false;
                    }
                    words += 1;
                }
            }
            words >= 2
        };
        let listed_done = words_done(&l_used, &|j| idx.vocab[lt[j] as usize].class);
        let query_done = words_done(&q_used, &|i| q.tokens[i].token.class);
        let mut total = total - reweighted - (1.0 - QUERY_EXTRA_FACTOR) * unmatched_q;
        if person && listed_done {
            let first = (0..qn).find(|&i| q_used[i]).unwrap_or(0);
            let last = (0..qn).rev().find(|&i| q_used[i]).unwrap_or(0);
            let inner: f32 = (0..qn)
                .filter(|&i| {
                    !q_used[i]
                        && ((first < i && i < last) || is_patronymic(&q.tokens[i].token.text))
                })
                .map(|i| q.tokens[i].weight)
                .sum();
            total -= (QUERY_EXTRA_FACTOR - PERSON_MIDDLE_FACTOR) * inner;
        }
        // A name written with one of its inner words left out, the rest as
        // listed and in order (`SIERRA TRADING LIMITED` for `SIERRA VISTA
        // TRADING LIMITED`), misses that word less than a name with other
        // words; the query must keep two words of its own (`TARGET CORP` is
        // not `TARGET TRANSPORTATION LIMITED`).
        let all_q = q_used.iter().all(|&u| u);
        if !person && all_q && qn >= 3 && ln >= 4 {
            let unused: Vec<usize> = (0..ln).filter(|&j| !l_used[j]).collect();
            let words = q
                .tokens
                .iter()
                .filter(|t| t.token.class == Class::Word)
                .count();
            if let [j] = unused[..]
                && 0 < j
                && j + 1 < ln
                && words >= 1
                && idx.vocab[lt[j] as usize].class == Class::Word
                && in_order(&pairs)
            {
                total -= (factor - DROPPED_WORD_FACTOR) * idx.vocab[lt[j] as usize].weight;
            }
        }
        if person && query_done {
            let unmatched_l: f32 = (0..ln)
                .filter(|&j| !l_used[j])
                .map(|j| idx.vocab[lt[j] as usize].weight)
                .sum();
            total -= (factor - PERSON_MISSING_FACTOR) * unmatched_l;
        }
        let raw = if total > 0.0 {
            (matched / total).clamp(0.0, 1.0)
        } else {
            0.0
        };
        // Sums in a different order differ in the last bits: a full match is 1.
        let raw = if raw > 1.0 - 1e-5 { 1.0 } else { raw };
        // A whole-name typo counts for a name that shares a similar word (or
        // a glued pair) with the query, as the candidate search finds only
        // such names: a name of other words a few letters off is another
        // name (`HOMA SHIPPING` is not `HIRMAND SHIPPING`).
        let shares_word = || {
            pairs.iter().any(|p| p.3 == How::Glued)
                || q.tokens.iter().any(|t| {
                    t.token.class == Class::Word
                        && lt
                            .iter()
                            .any(|id| t.similar.binary_search_by_key(id, |s| s.0).is_ok())
                })
        };
        let whole_edits = if raw < WHOLE_TYPO_SCORE
            && may_be_whole_typo(
                q,
                idx.sketches[name as usize].length as usize,
                &n.whole_hist,
            ) {
            whole_name_edits(
                q.tokens.iter().map(|t| &t.raw[..]),
                n.raw.iter().map(|r| &r[..]),
            )
            .filter(|_| shares_word())
        } else {
            None
        };
        let raw = if whole_edits.is_some() {
            WHOLE_TYPO_SCORE
        } else {
            raw
        };
        let score = if n.kind == NameKind::Weak {
            if raw >= WEAK_MIN {
                raw * WEAK_FACTOR
            } else {
                0.0
            }
        } else {
            raw
        };
        if let Some(out) = explain {
            let text_q = |is: &[usize]| {
                is.iter()
                    .map(|&i| q.tokens[i].token.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let text_l = |js: &[usize]| {
                js.iter()
                    .map(|&j| idx.vocab[lt[j] as usize].text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let weight = |is: &[usize], js: &[usize]| {
                is.iter().map(|&i| q.tokens[i].weight).sum::<f32>()
                    + js.iter()
                        .map(|&j| idx.vocab[lt[j] as usize].weight)
                        .sum::<f32>()
            };
            let listed_analyzed =
                terms::analyze(&idx.entities[n.entity as usize].names[n.name as usize].text);
            let mut canonicalized: Vec<String> = q
                .tokens
                .iter()
                .map(|t| &t.token)
                .chain(listed_analyzed.iter())
                .filter_map(|t| t.from.as_ref().map(|f| format!("{f} → {}", t.text)))
                .collect();
            let mut seen = std::collections::HashSet::new();
            canonicalized.retain(|c| seen.insert(c.clone()));
            *out = Some(Explanation {
                query_tokens: q.tokens.iter().map(|t| t.token.text.clone()).collect(),
                listed_tokens: lt
                    .iter()
                    .map(|&t| idx.vocab[t as usize].text.clone())
                    .collect(),
                canonicalized,
                pairs: pairs
                    .iter()
                    .map(|&((qi, qn), (lj, ln), s, how)| {
                        let is: Vec<usize> = (qi..qi + qn).collect();
                        let js: Vec<usize> = (lj..lj + ln).collect();
                        Pair {
                            query: text_q(&is),
                            listed: text_l(&js),
                            similarity: s,
                            how,
                            weight: weight(&is, &js),
                        }
                    })
                    .collect(),
                unmatched_query: (0..qn)
                    .filter(|&i| !q_used[i])
                    .map(|i| Unmatched {
                        token: q.tokens[i].token.text.clone(),
                        weight: q.tokens[i].weight,
                    })
                    .collect(),
                unmatched_listed: (0..ln)
                    .filter(|&j| !l_used[j])
                    .map(|j| Unmatched {
                        token: idx.vocab[lt[j] as usize].text.clone(),
                        weight: idx.vocab[lt[j] as usize].weight,
                    })
                    .collect(),
                raw_score: raw,
                name_kind: n.kind,
                identifier: None,
                query_part: None,
                country: None,
                whole_name_edits: whole_edits,
            });
        }
        score
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::IndexBuilder;
    use crate::model::{Entity, EntityType, Location, Name};

    fn entity(id: &str, names: &[(&str, NameKind)]) -> Entity {
        Entity {
            id: id.to_string(),
            list: "test".to_string(),
            entity_type: EntityType::Organization,
            names: names.iter().map(|(n, k)| Name::new(*n, *k)).collect(),
            programs: vec![],
            addresses: vec![],
            countries: vec![],
            identifiers: vec![],
            remarks: None,
            ofac_uid: None,
            source: Location {
                file: "t".into(),
                line: 1,
            },
        }
    }

    fn index() -> Index {
        let mut b = IndexBuilder::new();
        b.extend([
            entity(
                "e:1",
                &[(
                    "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.",
                    NameKind::Primary,
                )],
            ),
            entity("e:2", &[("CHINA MOBILE LIMITED", NameKind::Primary)]),
            entity(
                "e:3",
                &[("CHINA TELECOM CORPORATION LIMITED", NameKind::Primary)],
            ),
            entity(
                "e:4",
                &[
                    ("ISLAMIC REVOLUTIONARY GUARD CORPS", NameKind::Primary),
                    ("IRGC", NameKind::Strong),
                ],
            ),
            entity(
                "e:5",
                &[
                    ("BANCO NACIONAL DE CUBA", NameKind::Primary),
                    ("BNC", NameKind::Weak),
                ],
            ),
            entity("e:6", &[("ABBAS, Abu", NameKind::Primary)]),
            entity(
                "e:7",
                &[("CHINA NATIONAL TRADING COMPANY", NameKind::Primary)],
            ),
        ]);
        b.build()
    }

    /// A listed person with one primary name.
    fn person(id: &str, name: &str) -> Entity {
        Entity {
            entity_type: EntityType::Person,
            ..entity(id, &[(name, NameKind::Primary)])
        }
    }

    /// `q`'s best hit is `want`, at or above the default threshold.
    #[track_caller]
    fn assert_hit(idx: &Index, q: &str, want: &str) {
        let (id, s) = top(idx, q).unwrap_or_else(|| panic!("{q}: no hit"));
        assert_eq!(id, want, "{q}");
        assert!(s >= DEFAULT_THRESHOLD, "{q}: {s}");
    }

    fn top(idx: &Index, q: &str) -> Option<(String, f32)> {
        Matcher::new(idx, 0.0, 1)
            .search(q)
            .into_iter()
            .next()
            .map(|m| (idx.entities[m.entity as usize].id.clone(), m.score))
    }

    #[test]
    fn identical_names_score_one() {
        let idx = index();
        assert_eq!(top(&idx, "CHINA MOBILE LIMITED"), Some(("e:2".into(), 1.0)));
        assert_eq!(top(&idx, "china mobile ltd"), Some(("e:2".into(), 1.0)));
    }

    #[test]
    fn disguises_still_match() {
        let idx = index();
        for q in [
            "Hikvision Digital Technology Hangzhou Co Ltd", // word order
            "HANGZHOU HIK VISION DIGITAL TECH",             // split + abbreviation
            "Islamic Revolutionary Guard Corp",             // typo-ish
            "ISLAMIC REVOLUTIONARY GUA",                    // cut short
            "Abu ABBAS",                                    // person name order
            "ISLAMIC REV\u{200B}OLUTIONARY GUARD CORPS",    // invisible
            "ISLAMIC RЕVOLUTIONARY GUARD CORPS",            // Cyrillic Е
        ] {
            let (_, s) = top(&idx, q).unwrap_or_default();
            assert!(s >= DEFAULT_THRESHOLD, "{q}: {s}");
        }
    }

    #[test]
    fn arabic_script_meets_its_latin_listing() {
        let mut b = IndexBuilder::new();
        b.extend([
            entity(
                "e:1",
                &[(
                    "AL-TIKRITI, Mohammad Barzan Ibrahim Hasan",
                    NameKind::Primary,
                )],
            ),
            entity("e:2", &[("HUSSEIN, Saddam", NameKind::Primary)]),
        ]);
        let idx = b.build();
        // No short vowels are written: `hsn tkriti` is `Hasan Tikriti`.
        assert_hit(&idx, "محمد برزان إبراهيم حسن التكريتي", "e:1");
        let m = Matcher::new(&idx, 0.0, 1).search("حسن التكريتي");
        assert!(m[0].explanation.pairs.iter().any(|p| p.how == How::Arabic));
        // Latin vowel-less writing gets no such licence: `HSN` is not `HASAN`
        // unless it was written in Arabic script.
        let latin = top(&idx, "Hsn Brzn").map(|t| t.1).unwrap_or(0.0);
        let arabic = top(&idx, "حسن برزان").map(|t| t.1).unwrap_or(0.0);
        assert!(latin < arabic, "{latin} {arabic}");
        // Different consonants stay apart (`حسام` Hussam is not Hasan).
        let p = Matcher::new(&idx, 0.0, 1).search("حسام");
        assert!(
            p.iter()
                .all(|m| m.explanation.pairs.iter().all(|p| p.listed != "hassan"))
        );
    }

    #[test]
    fn people_are_written_with_more_or_fewer_names() {
        let mut b = IndexBuilder::new();
        let rimi = person("e:1", "AL-RIMI, Qasim");
        let hamraoui = person("e:2", "HAMRAOUI, Kamel Ben Mouldi Ben Hassan");
        let henry = person("e:3", "JOHN HENRY");
        let mut org = entity("e:4", &[("RIMI QASIM", NameKind::Primary)]);
        org.entity_type = EntityType::Organization;
        b.extend([rimi, hamraoui, henry, org]);
        let idx = b.build();
        let score = |q: &str, id: &str| {
            Matcher::new(&idx, 0.0, 0)
                .search(q)
                .into_iter()
                .find(|m| idx.entities[m.entity as usize].id == id)
                .map(|m| m.score)
                .unwrap_or(0.0)
        };
        // Middle names and a patronymic chain between the listed names.
        let middle = score("Qasim Yahya Mahdi AL-RIMI", "e:1");
        assert!(middle >= DEFAULT_THRESHOLD, "{middle}");
        // The same extra words after the listed names are another surname.
        let after = score("Qasim Al-Rimi Yahya Mahdi", "e:1");
        assert!(after < middle, "{after} {middle}");
        assert!(score("John Henry Ketcham", "e:3") < DEFAULT_THRESHOLD);
        // A listed person's further names cost little when the query's all match.
        let fewer = score("Kamel HAMRAOUI", "e:2");
        assert!(fewer >= DEFAULT_THRESHOLD, "{fewer}");
        // Organizations get no such licence.
        assert!(score("Qasim Yahya Mahdi Rimi", "e:4") < middle);
    }

    #[test]
    fn a_name_with_an_alias_in_parentheses_or_alternatives_matches_by_its_part() {
        let mut b = IndexBuilder::new();
        let p = person("e:1", "AL-SINDHI, Abdullah");
        b.extend([
            p,
            entity("e:2", &[("ABO GHAITH, Sulaiman Jassem", NameKind::Primary)]),
        ]);
        let idx = b.build();
        let m = Matcher::new(&idx, DEFAULT_THRESHOLD, 1).search("عبدالله السندي (Abdullah Sindhi)");
        assert_eq!(m.len(), 1);
        assert_eq!(
            m[0].explanation.query_part.as_deref(),
            Some("Abdullah Sindhi")
        );
        assert!(
            m[0].explanation
                .summary()
                .starts_with("part \"Abdullah Sindhi\"")
        );
        let m =
            Matcher::new(&idx, DEFAULT_THRESHOLD, 1).search("Sindhi Trading or Abdullah al-Sindhi");
        assert_eq!(m.len(), 1);
        // The whole name keeps priority when it scores as well.
        let m = Matcher::new(&idx, 0.0, 1).search("Abdullah Sindhi");
        assert_eq!(m[0].explanation.query_part, None);
        // A joined Arabic kunya meets the two Latin words (`أبوغيث` / `ABO GHAITH`),
        // and a name is not a typo of another (`Jassem` stays `Jassem`).
        assert_hit(&idx, "سليمان جاسم أبوغيث", "e:2");
    }

    #[test]
    fn an_article_glued_to_an_honorific_or_a_name() {
        let mut b = IndexBuilder::new();
        b.extend([
            entity("e:1", &[("ELSHEIKH, El Shafee", NameKind::Primary)]),
            entity(
                "e:2",
                &[(
                    "KOREA RYONHA MACHINERY JOINT VENTURE CORPORATION",
                    NameKind::Primary,
                )],
            ),
        ]);
        let idx = b.build();
        // `SHEIKH` is an honorific, yet `EL SHEIKH` is the surname ELSHEIKH.
        assert_hit(&idx, "ELSHAFEE EL SHEIKH", "e:1");
        // `JV` is `JOINT VENTURE`, a legal form.
        let (id, s) = top(&idx, "Korea Ryonha Machinery JV Corp").unwrap();
        assert_eq!(id, "e:2");
        assert!(s >= 0.95, "{s}");
    }

    #[test]
    fn a_stray_latin_letter_in_a_cyrillic_name_is_read_both_ways() {
        let mut b = IndexBuilder::new();
        let p = person("e:1", "NIKONOROVA, Natalya Yurievna");
        b.extend([p]);
        let idx = b.build();
        // A Latin I for the Ukrainian І: not a disguise of `HIKOHOPOBA`.
        assert_hit(&idx, "Наталя НIКОНОРОВА", "e:1");
    }

    #[test]
    fn an_inner_word_left_out_or_a_phrase_cut_short() {
        let mut b = IndexBuilder::new();
        b.extend([
            entity(
                "e:1",
                &[("SIERRA VISTA TRADING LIMITED", NameKind::Primary)],
            ),
            entity(
                "e:2",
                &[("TARGET TRANSPORTATION LIMITED", NameKind::Primary)],
            ),
            entity(
                "e:3",
                &[(
                    "AKTSIONERNOE OBSHCHESTVO YALTINSKAYA KINOSTUDIYA",
                    NameKind::Primary,
                )],
            ),
            entity(
                "e:4",
                &[("GOLDEN RIVER (HONG KONG) LIMITED", NameKind::Primary)],
            ),
            entity("e:5", &[("CHINA GOLDEN RIVER LIMITED", NameKind::Primary)]),
        ]);
        let idx = b.build();
        for (q, want) in [
            ("SIERRA TRADING LIMITED", "e:1"), // an inner word left out
            ("AKTSIONERNOE YALTINSKAYA KINOSTUDIYA", "e:3"), // half a legal form
            ("GOLDEN RIVER KONG LIMITED", "e:4"), // half a place
        ] {
            assert_hit(&idx, q, want);
        }
        // One word and a legal form are not enough to pass over a word.
        let s = top(&idx, "TARGET CORP").map_or(0.0, |t| t.1);
        assert!(s < DEFAULT_THRESHOLD, "{s}");
    }

    #[test]
    fn candidates_that_cannot_reach_the_threshold_are_not_scored() {
        let mut b = IndexBuilder::new();
        let names: Vec<String> = ["ALPHA", "BRAVO", "CHARLIE", "DELTA", "ECHO", "FOXTROT"]
            .iter()
            .map(|w| format!("{w} NORTHERN TRADING GROUP COMPANY"))
            .collect();
        b.extend(
            names
                .iter()
                .enumerate()
                .map(|(i, n)| entity(&format!("e:{i}"), &[(n, NameKind::Primary)])),
        );
        let idx = b.build();
        let m = Matcher::new(&idx, DEFAULT_THRESHOLD, 0);
        // Every name shares TRADING with the query; none can reach the
        // threshold without HOTELWORKS (nor is long enough for a whole-name
        // typo), so none is scored...
        let q = m.prepare("HOTELWORKS TRADING");
        assert_eq!(q.reached, names.len());
        assert!(q.candidates.is_empty());
        assert!(m.score_candidates(&q).is_empty());
        // ... with threshold 0 all are, and the hits are brute force's.
        let all = Matcher::new(&idx, 0.0, 0);
        assert_eq!(
            all.score_candidates(&all.prepare("HOTELWORKS TRADING"))
                .len(),
            names.len()
        );
        let key = |ms: Vec<Match>| ms.iter().map(|h| (h.group, h.score)).collect::<Vec<_>>();
        for q in [
            "HOTELWORKS TRADING",
            "ALPHA TRADING CO",
            "ECHO TRADNG COMPANY",
        ] {
            assert_eq!(key(m.search(q)), key(m.search_brute_force(q)), "{q}");
        }
    }

    #[test]
    fn names_met_only_by_gluing_words_as_written_are_scored() {
        // `MOHAM MED` glued is `mohammed`, the listed spelling of the
        // canonical `muhammad`; the bound must not rule out `ABU MOHAMMED`
        // for lacking a word similar to `moham` or `med`.
        let mut b = IndexBuilder::new();
        b.extend([
            person("p:1", "ABU TEIR, Mohammed"),
            person("p:2", "ABU MOHAMMED"),
            person("p:3", "HIK VISION"),
            person("p:4", "'ABD AL-RAHMAN"),
            person("p:5", "ABU ABD AL-RAHMAN"),
        ]);
        let idx = b.build();
        let m = Matcher::new(&idx, DEFAULT_THRESHOLD, 0);
        let key = |ms: Vec<Match>| ms.iter().map(|h| (h.group, h.score)).collect::<Vec<_>>();
        // In Arabic script, glued words meet by their consonants:
        // `عبد الرحمن` (one word to the table) is `ABD AL-RAHMAN`.
        for q in [
            "ABU TEIR, Moham Med",
            "ABU MOHAM MED",
            "HIKVISION",
            "ABU TEIR MOHAMMED",
            "عبد الرحمن",
        ] {
            let hits = key(m.search(q));
            assert!(!hits.is_empty(), "{q}");
            assert_eq!(hits, key(m.search_brute_force(q)), "{q}");
        }
        assert_eq!(key(m.search("ABU TEIR, Moham Med")).len(), 2);
        assert_eq!(key(m.search("عبد الرحمن")).len(), 2);
    }

    #[test]
    fn a_name_a_letter_or_two_off_matches_as_a_whole() {
        let mut b = IndexBuilder::new();
        b.extend([
            entity("e:1", &[("JC CAR AUDIO", NameKind::Primary)]),
            entity("e:2", &[("CAPRIKAT LIMITED", NameKind::Primary)]),
            entity("e:3", &[("RB HOLDING LIMITED", NameKind::Primary)]),
            entity("e:4", &[("BANCO NACIONAL DE CUBA", NameKind::Primary)]),
        ]);
        let idx = b.build();
        for (q, want) in [
            ("JC CAER AUDIO", "e:1"),           // a letter added to a three-letter word
            ("CAPRIKAT LIMMITDE", "e:2"),       // a doubled and a swapped letter
            ("BANCO NACIONAL DE CUBAA", "e:4"), // a place misspelt
        ] {
            assert_hit(&idx, q, want);
        }
        let m = &Matcher::new(&idx, 0.0, 1).search("JC CAER AUDIO")[0];
        assert_eq!(m.explanation.whole_name_edits, Some(1));
        assert!(
            m.explanation
                .summary()
                .starts_with("whole name 1 letter(s) off")
        );
        // Another short word in its place is another name, not a typo.
        let s = top(&idx, "WF HOLDING LIMITED").map_or(0.0, |t| t.1);
        assert!(s < DEFAULT_THRESHOLD, "{s}");
    }

    #[test]
    fn a_name_written_wholly_in_lookalikes_is_read_both_ways() {
        let mut b = IndexBuilder::new();
        b.extend([
            entity("e:1", &[("PAEC", NameKind::Primary)]),
            person("e:2", "TOMSK, Oleg"),
        ]);
        let idx = b.build();
        // Cyrillic Р, А, Е, С: a disguise of the Latin PAEC...
        assert_eq!(top(&idx, "РАЕС").unwrap(), ("e:1".to_string(), 1.0));
        // ... while a Cyrillic word of look-alikes still reads as Cyrillic.
        assert_hit(&idx, "ТОМСК Олег", "e:2");
    }

    #[test]
    fn hebrew_script_meets_its_latin_listing() {
        let mut b = IndexBuilder::new();
        let p = person("e:1", "BEN PAZI, Neriya");
        b.extend([p]);
        let idx = b.build();
        assert_hit(&idx, "נריה בן פזי", "e:1");
    }

    #[test]
    fn generic_words_do_not_match_alone() {
        let idx = index();
        for q in [
            "China Unicom Limited",
            "Apple Inc.",
            "Microsoft Corporation",
        ] {
            let s = top(&idx, q).map(|t| t.1).unwrap_or(0.0);
            assert!(s < DEFAULT_THRESHOLD, "{q}: {s}");
        }
    }

    #[test]
    fn weak_aliases_count_only_when_close_and_are_marked() {
        let idx = index();
        let m = Matcher::new(&idx, 0.0, 5).search("BNC");
        let hit = m
            .iter()
            .find(|m| idx.entities[m.entity as usize].id == "e:5")
            .unwrap();
        assert_eq!(hit.explanation.name_kind, NameKind::Weak);
        assert!((hit.score - WEAK_FACTOR).abs() < 1e-6);
    }

    #[test]
    fn candidate_search_equals_brute_force() {
        let idx = index();
        let m = Matcher::new(&idx, 0.3, 0);
        for q in [
            "HIKVISION",
            "china mobil",
            "Abbas Abu",
            "IRGC",
            "Banco Cuba",
            "xyz",
        ] {
            let a: Vec<_> = m.search(q).iter().map(|h| (h.entity, h.score)).collect();
            let b: Vec<_> = m
                .search_brute_force(q)
                .iter()
                .map(|h| (h.entity, h.score))
                .collect();
            assert_eq!(a, b, "{q}");
        }
    }

    #[test]
    fn token_similarity_rules() {
        let cases: &[(&str, &str, bool, Option<How>)] = &[
            ("hikvision", "hikvision", false, Some(How::Exact)),
            ("hikvison", "hikvision", false, Some(How::Fuzzy)),
            (
                "kasnoyarskgazprm",
                "krasnoyarskgazprom",
                false,
                Some(How::Fuzzy),
            ), // long word, two edits
            ("wamg", "wang", false, Some(How::Fuzzy)), // one typo in a short word
            ("ypes", "yepes", false, Some(How::Fuzzy)),
            ("ari", "air", false, Some(How::Fuzzy)), // swapped letters
            ("mhmmd", "muhammad", false, Some(How::Skeleton)), // vowel-less writing
            ("qeshm", "keshm", false, Some(How::Phonetic)), // transliteration
            ("djamaludin", "jamaluddin", false, Some(How::Phonetic)),
            ("djamel", "jamal", false, Some(How::Phonetic)), // three sounds, same ending
            ("gim", "kim", false, Some(How::Phonetic)),      // romanization alternation
            ("chors", "khors", false, Some(How::Phonetic)),
            ("iung", "yung", false, Some(How::Phonetic)),
            ("revolu", "revolutionary", true, Some(How::Prefix)), // cut-off last word
            ("j", "john", false, Some(How::Initial)),
            // Not similar: a shared prefix, an acronym, short different words, a cut-off word not last.
            ("microsoft", "microcomponent", false, None),
            ("pepsico", "psc", false, None),
            ("nustar", "instar", false, None),
            ("gmi", "gji", false, None),
            ("revolu", "revolutionary", false, None),
            ("bank", "mask", false, None),
            ("marion", "moreno", false, None), // same three sounds, different ending
            ("gim", "tim", false, None),       // not an alternation
        ];
        for &(q, l, last, want) in cases {
            let (s, how) = token_similarity(q, l, last);
            match want {
                Some(h) => assert!(s > 0.0 && how == h, "{q} ~ {l}: {s} {how:?}, want {h:?}"),
                None => assert_eq!(s, 0.0, "{q} ~ {l}: {how:?}"),
            }
        }
    }

    #[test]
    fn a_dropped_middle_name_or_added_place_costs_less_than_a_wrong_word() {
        let mut b = IndexBuilder::new();
        b.extend([
            entity("p:1", &[("PARIRENYATWA, David Pagwese", NameKind::Primary)]),
            entity("o:1", &[("BANK SADERAT PLC", NameKind::Primary)]),
            entity("v:1", &[("PATRIOT", NameKind::Primary)]),
            entity("x:1", &[("ACME ONE", NameKind::Primary)]),
            entity("x:2", &[("ACME TWO", NameKind::Primary)]),
        ]);
        let idx = b.build();
        let score = |q: &str| top(&idx, q).map(|t| t.1).unwrap_or(0.0);
        assert!(
            score("PARIRENYATWA, David") >= DEFAULT_THRESHOLD,
            "{}",
            score("PARIRENYATWA, David")
        );
        assert!(score("BANK SADERAT UAE PLC") >= DEFAULT_THRESHOLD);
        assert!(score("Patriot Transportation Holding") < DEFAULT_THRESHOLD);
    }

    #[test]
    fn explanation_names_pairs_and_missing_words() {
        let idx = index();
        let m = &Matcher::new(&idx, 0.0, 1).search("Hikvision Digital Co")[0];
        let e = &m.explanation;
        assert!(
            e.pairs
                .iter()
                .any(|p| p.query == "hikvision" && p.how == How::Exact)
        );
        assert!(e.unmatched_listed.iter().any(|u| u.token == "hangzhou"));
        assert!(e.summary().contains("-hangzhou"));
    }
}
