//! Candidate bounds: the cheap filters that rule out listed words
//! ([`QuickFilter`], [`may_be_similar`]) and names ([`Matcher::cannot_reach_threshold`])
//! that surely cannot be similar or reach the threshold.

use super::Matcher;
use super::prepare::{Candidate, PreparedQuery, QueryToken};
use super::score::CostModel;
use super::similarity::{FUZZY_MIN, fuzzy_bounds, fuzzy_cutoff};
use super::whole::{WHOLE_TYPO_SCORE, whole_edits_allowed};
use crate::features::{Histogram, common_bound, histogram_edits};
use crate::index::{LenEntry, VocabToken, WordFilter};

/// May a whole-name typo ([`whole_name_edits`]) make a name of this length
/// and these letter counts match the query? Only if both are close enough.
pub(super) fn may_be_whole_typo(q: &PreparedQuery, length: usize, hist: &Histogram) -> bool {
    whole_edits_allowed(q.length, length).is_some_and(|k| histogram_edits(&q.whole_hist, hist) <= k)
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
pub(super) struct QuickFilter<'q> {
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
    pub(super) fn new(qt: &'q QueryToken, last: bool) -> QuickFilter<'q> {
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
    pub(super) fn by_first_letter(&self, ll: usize) -> bool {
        let lq = self.qt.chars.len();
        let (short, long) = (lq.min(ll), lq.max(ll));
        (4..=6).contains(&short) && long - short <= 1 || self.last && lq < ll
    }

    pub(super) fn min_shared(&self, ll: usize) -> Option<usize> {
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

pub(super) fn may_be_similar(qt: &QueryToken, v: &VocabToken, last: bool) -> bool {
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

/// A name is ruled out only when its best score falls this far below the
/// threshold: the bound sums in another order than the scorer.
const BOUND_SLACK: f32 = 1e-4;

/// Is vocabulary id `t` set in a bit set of reachable words?
fn is_reachable(reachable: &[u64], t: u32) -> bool {
    reachable[t as usize / 64] >> (t % 64) & 1 == 1
}

impl Matcher<'_> {
    /// Is a candidate's score surely below the threshold? A score is
    /// `M / (M + D)`: `M` what the aligned pairs bring, `D` what they miss
    /// and what the unmatched words cost. At best every query word that can
    /// meet the name meets it exactly, and so does every listed word that a
    /// query word can meet (one similar to a query word, or not a word:
    /// legal forms, places and particles may meet anything); the rest are
    /// unmatched and cost at least their cheapest rate: a query word
    /// [`super::PERSON_MIDDLE_FACTOR`] of its weight (an organization's
    /// [`super::QUERY_EXTRA_FACTOR`]), a listed word [`super::PERSON_MISSING_FACTOR`] (an
    /// organization's [`super::DROPPED_WORD_FACTOR`]). Names found through glued
    /// words, names in Arabic script, and names that a whole-name typo may
    /// match are always scored.
    /// `reachable` holds a bit per vocabulary id: the query's reachable words.
    pub(super) fn cannot_reach_threshold(
        &self,
        q: &PreparedQuery,
        c: &Candidate,
        reachable: &[u64],
    ) -> bool {
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
        let cost = CostModel::new(n.person);
        let mut best = (q.weight - c.unreached).max(0.0) + cost.listed * n.other_weight;
        let mut missed = cost.query_least * c.unreached;
        for &(t, w) in idx.sketch_words(c.name) {
            if q.reaches_any || is_reachable(reachable, t) {
                best += cost.listed * w;
            } else {
                missed += cost.listed_least * w;
            }
        }
        missed > 0.0 && best / (best + missed) < self.threshold - BOUND_SLACK
    }
}
