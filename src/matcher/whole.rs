//! Whole-name typos: a name written a letter or two off the listed one,
//! word for word, and the banded edit distance that finds it.

pub use crate::features::whole_length;

use super::query::PreparedQuery;
use crate::features::{Histogram, histogram_edits};

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
    /// The shortest names a whole-name typo of one edit, two and three
    /// ([`WHOLE_MAX_EDITS`]) may be made in.
    const ONE_EDIT_FROM: usize = 10;
    const TWO_EDITS_FROM: usize = 16;
    const THREE_EDITS_FROM: usize = 30;
    let shorter = a.min(b);
    let allowed = if shorter >= THREE_EDITS_FROM {
        WHOLE_MAX_EDITS
    } else if shorter >= TWO_EDITS_FROM {
        2
    } else if shorter >= ONE_EDIT_FROM {
        1
    } else {
        return None;
    };
    (a.abs_diff(b) <= allowed).then_some(allowed)
}

/// The lengths ([`whole_length`]) of the listed names a whole-name typo
/// may make match a query of length `query`, and the most edits such a
/// typo may make, or `None` when none may.
pub(super) fn whole_typo_band(query: usize) -> Option<(std::ops::RangeInclusive<u32>, usize)> {
    let lengths = query.saturating_sub(WHOLE_MAX_EDITS)..=query + WHOLE_MAX_EDITS;
    let mut band: Option<(usize, usize, usize)> = None;
    for (l, k) in lengths.filter_map(|l| whole_edits_allowed(query, l).map(|k| (l, k))) {
        let (lo, _, most) = band.unwrap_or((l, l, k));
        band = Some((lo, l, most.max(k)));
    }
    band.map(|(lo, hi, most)| (lo as u32..=hi as u32, most))
}

/// Is no name holding a word of these letter counts ([`crate::features::histogram`])
/// a whole-name typo of the query, of at most `edits` edits? The name's
/// letters include the word's, so its letter counts ([`crate::features::whole_histogram`])
/// differ from the query's at least by the word's letters the query lacks,
/// and [`histogram_edits`] is half of that difference, rounded up. Only
/// for a word the name is written with as it is (not a canonical form).
///
/// ```text
/// query "john smith", one edit: "smyth" lacks one letter (y): may be a typo;
///                               "xavierz" lacks six: is not
/// ```
pub(super) fn too_far_for_a_typo(word: &Histogram, q: &PreparedQuery, edits: usize) -> bool {
    let lacking: usize = (word.iter().zip(&q.whole_hist))
        .map(|(&w, &have)| w.saturating_sub(have) as usize)
        .sum();
    lacking.div_ceil(2) > edits
}

pub(super) fn join_words<'a>(words: impl Iterator<Item = &'a str>) -> Vec<char> {
    let mut out = Vec::new();
    for w in words {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars());
    }
    out
}

/// May a whole-name typo ([`whole_name_edits`]) make a name of this length
/// and these letter counts match the query? Only if both are close enough.
pub(super) fn may_be_whole_typo(q: &PreparedQuery, length: usize, hist: &Histogram) -> bool {
    whole_edits_allowed(q.length, length).is_some_and(|k| histogram_edits(&q.whole_hist, hist) <= k)
}
