//! Token similarity: how one query token meets one listed token (exact,
//! Jaro-Winkler, consonant skeleton, phonetic skeleton, initial, prefix...).

use crate::features::{Histogram, common_bound, histogram, phonetic, skeleton};
use serde::Serialize;

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

pub(super) fn fuzzy_cutoff(min_len: usize) -> f64 {
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
pub(super) fn fuzzy_bounds(m: usize, lq: usize, ll: usize) -> (f64, bool) {
    let (m, short, long) = (m as f64, lq.min(ll), lq.max(ll));
    let jaro_max = (m / lq as f64 + m / ll as f64 + 1.0) / 3.0;
    let jw_max = jaro_max + 0.4 * (1.0 - jaro_max);
    (
        jw_max,
        short >= LONG_TYPO_LEN && m / long as f64 >= LONG_TYPO_LEV,
    )
}

/// A token's characters, skeleton, phonetic skeleton and letter counts.
pub(super) type Features<'a> = (&'a [char], &'a str, &'a str, &'a Histogram);

pub(super) fn similarity_chars(
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

/// How a query word meets a listed legal form or place written `raw`: as
/// the start or end of a many-word one (`KONG` / `HONG KONG`), or misspelt
/// (`CUBAA` / `CUBA`); 0 otherwise, and for words under four letters. The
/// matcher's pairs and its candidate bound ([`Matcher::may_meet_legal_or_place`])
/// both ask this, so they cannot disagree.
pub(super) fn legal_or_place_similarity(word: &str, raw: &str) -> (f32, How) {
    if word.len() < 4 {
        (0.0, How::Fuzzy)
    } else if raw.len() > word.len() && (raw.starts_with(word) || raw.ends_with(word)) {
        (PART_OF_PHRASE, How::Canonical)
    } else {
        (typo_similarity(word, raw), How::Fuzzy)
    }
}

/// Similarity of a word to the many-word place or legal form it begins or
/// ends (`KONG` / `HONG KONG`).
pub const PART_OF_PHRASE: f32 = 0.9;
