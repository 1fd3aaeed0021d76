//! Candidate bounds: the cheap filters that rule out listed words
//! ([`QuickFilter`], derived from the token rules' preconditions) and names ([`Matcher::cannot_reach_threshold`])
//! that surely cannot be similar or reach the threshold.

use super::Matcher;
use super::query::{Candidate, PreparedQuery, QueryToken};
use super::reach::Reachable;
use super::score::{CostModel, INITIALS_AGREE_SCORE, may_have_agreeing_initials};
use super::similarity::{
    ArabicSide, Features, Found, How, Known, RULES, TokenPair, TokenRule, scanned_similarity,
};
use super::whole::{WHOLE_TYPO_SCORE, may_be_whole_typo};
use crate::features::common_bound;
use crate::index::{Index, LenEntry, WordFilter};

/// No token rule holds between words one more than this many times as long
/// as the other (the edit-distance rule needs lengths within a factor of
/// about 1.6): the filter's tables stop there.
const LONGEST_FACTOR: usize = 2;

/// The rules the candidate search finds by scanning words of the lengths
/// they allow (the others it finds by equal key, prefix or initial).
fn scan_rules() -> impl Iterator<Item = &'static TokenRule> {
    RULES.iter().filter(|r| r.found == Found::ByScan)
}

/// May a scanned rule hold of a pair of which `known` is known?
fn scan_possible(known: &Known) -> bool {
    scan_rules().any(|r| (r.possible)(known))
}

/// By listed length, for first letters that differ (`[0]`) or may be
/// equal (`[1]`): the fewest shared letters a scanned rule may hold with,
/// or `None` when no number is enough ([`QuickFilter`]).
type Need = [Vec<Option<usize>>; 2];

/// The query words' lengths whose [`Need`] tables are kept once made.
const NEED_KEPT: usize = 48;

/// The [`Need`] table of a query word of `lq` letters, the name's last or
/// not: it depends on nothing else, so it is made once per length (it was
/// a few hundred precondition checks for every word looked up).
fn need_table(lq: usize, last: bool) -> std::sync::Arc<Need> {
    let make = || -> Need {
        let longest = LONGEST_FACTOR * (lq + 1);
        [false, true].map(|same_first| {
            (0..=longest)
                .map(|ll| {
                    (0..=lq.min(ll))
                        .find(|&m| scan_possible(&Known::shared(lq, ll, last, m, same_first)))
                })
                .collect::<Vec<_>>()
        })
    };
    type Kept = [Vec<std::sync::OnceLock<std::sync::Arc<Need>>>; 2];
    static KEPT: std::sync::OnceLock<Kept> = std::sync::OnceLock::new();
    let kept = KEPT.get_or_init(|| {
        [(); 2].map(|_| (0..NEED_KEPT).map(|_| std::sync::OnceLock::new()).collect())
    });
    match kept[usize::from(last)].get(lq) {
        Some(cell) => cell.get_or_init(|| std::sync::Arc::new(make())).clone(),
        None => std::sync::Arc::new(make()),
    }
}

/// A cheap test that lets through every listed word that a scanned rule
/// ([`Found::ByScan`]) may find similar to a query word, from the word's
/// length, first letter and letter counts only (what the lookup holds
/// contiguously), derived from the rules' preconditions: the fewest shared
/// letters a rule may hold with is worked out once per length and first
/// letter, so a word costs a few integer comparisons.
pub(super) struct QuickFilter<'q> {
    qt: &'q QueryToken,
    /// Is the query word its name's last (which may be cut off)?
    last: bool,
    /// Is the query written in Arabic script?
    arabic: bool,
    /// The fewest shared letters a scanned rule may hold with ([`Need`]).
    need: std::sync::Arc<Need>,
    /// The shortest and the longest listed word a scanned rule may meet.
    lengths: (usize, usize),
    /// The query word's letters with their counts ([`WordFilter::letters`]).
    letters: Vec<(u32, u32)>,
}

impl<'q> QuickFilter<'q> {
    pub(super) fn new(qt: &'q QueryToken, last: bool, arabic: bool) -> QuickFilter<'q> {
        let lq = qt.features.chars.len();
        let longest = LONGEST_FACTOR * (lq + 1);
        let need = need_table(lq, last);
        let met = |ll: &usize| need[1][*ll].is_some();
        let lengths = match ((0..=longest).find(met), (0..=longest).rfind(met)) {
            (Some(lo), Some(hi)) => (lo, hi),
            _ => (1, 0),
        };
        let letters = (qt.features.hist.iter().enumerate())
            .filter(|&(_, &n)| n > 0)
            .map(|(b, &n)| (b as u32, u32::from(n)))
            .collect();
        QuickFilter {
            qt,
            last,
            arabic,
            need,
            lengths,
            letters,
        }
    }

    /// The fewest shared letters a word of length `ll` needs, its first
    /// letter equal to the query word's or not.
    fn need(&self, ll: usize, same_first: bool) -> Option<usize> {
        self.need[usize::from(same_first)]
            .get(ll)
            .copied()
            .flatten()
    }
}

impl WordFilter for QuickFilter<'_> {
    fn lengths(&self) -> (usize, usize) {
        self.lengths
    }

    fn letters(&self) -> &[(u32, u32)] {
        &self.letters
    }

    /// Each letter a word lacks removes as many of the query word's
    /// letters as the query word has: a word is kept only while the query
    /// word keeps the fewest shared letters a rule needs.
    fn most_lacking(&self, ll: usize) -> Option<(u32, Option<u32>)> {
        let lq = self.qt.features.chars.len();
        let most = |same_first| {
            self.need(ll, same_first)
                .map(|need| lq.saturating_sub(need) as u32)
        };
        Some((most(true)?, most(false)))
    }

    fn keep(&self, ll: usize, e: &LenEntry) -> bool {
        let qt = self.qt;
        let Some(need) = self.need(ll, qt.features.chars.first() == Some(&e.first)) else {
            return false;
        };
        // The letters the word lacks were counted by the scan; the letter
        // counts bound the shared letters more closely still.
        common_bound(&qt.features.hist, &e.hist) >= need
    }

    type Measure = (f32, How);

    /// The scanned rules' similarity ([`scanned_similarity`]), from the
    /// word's characters and letter counts: those rules read no key.
    fn measure(&self, e: &LenEntry, chars: &[char]) -> Option<(f32, How)> {
        let listed = Features {
            chars,
            skeleton: "",
            phonetic: "",
            hist: &e.hist,
            arabic_key: "",
        };
        let pair = TokenPair::new(
            self.qt.features(),
            listed,
            self.last,
            self.arabic || e.arabic,
        )
        .with_arabic_side(ArabicSide::of(self.arabic, e.arabic));
        let (s, how) = scanned_similarity(&pair);
        (s > 0.0).then_some((s, how))
    }
}

/// The most listed words of a name the bound weighs one against another
/// (a name's further words count as if met).
const SKETCH_WORDS: usize = 16;

/// A name is ruled out only when its best score falls this far below the
/// threshold: the bound sums in another order than the scorer.
const BOUND_SLACK: f32 = 1e-4;

impl Matcher<'_> {
    /// Is a candidate's score surely below the threshold? A score is
    /// `M / (M + D)`: `M` what the aligned pairs bring (each pair its
    /// similarity `s` times its words' weights), `D` the rest of the total
    /// (`1 - s` of a pair's weights, and what the unmatched words cost).
    ///
    /// A bound word (one that meets a name only through its similar words
    /// or the many-word terms it is a word of) that reaches the name brings
    /// at most its best similarity `s` to any listed word, and to the
    /// name's closest word (no query word meets a word of the name closer
    /// than the best any query word meets it), and costs at least the
    /// smaller of `1 - s` (met) and its cheapest rate unmatched. A listed
    /// word a query word can meet likewise, with the best similarity of
    /// any query word to it; pairs are one to one, so only as many of them
    /// as query words may meet bring anything, and the rest cost their
    /// rate unmatched. A cross word (one that may meet a misspelt legal
    /// form or place) meets the name only through its similar words or the
    /// name's legal forms and places; the query's other tokens and the
    /// name's legal forms, places and particles may meet anything, exactly.
    /// The words that cannot meet are unmatched and cost at least their
    /// cheapest rate: a query word [`super::PERSON_MIDDLE_FACTOR`] of its
    /// weight (an organization's [`super::QUERY_EXTRA_FACTOR`]), a listed
    /// word [`super::PERSON_MISSING_FACTOR`] (an organization's
    /// [`super::DROPPED_WORD_FACTOR`]). `M` at its most over `D` at its
    /// least bounds the score. A name reached through glued words (whose
    /// pairs the similar words do not tell) is bounded as if every query
    /// word that reaches it, and every word it has, met exactly: only the
    /// query words that reach it not at all cost. A name a query of legal
    /// forms and particles only reaches ([`Candidate::forced`]) is bounded
    /// like any other: such a query has no word of its own, so a word of
    /// the name can only be met by two of its tokens glued (as written or
    /// by Arabic keys), which reach the name through glued words too, and
    /// it is then bounded as glued; otherwise its words cost. (Scoring
    /// every such name took a fifth of a second a query with a million
    /// names: `JSC` reaches every name holding it.) Names that a whole-name
    /// typo may match are always scored, and so are people's names a query
    /// written with initials may agree with (`may_have_agreeing_initials`)
    /// that every bound word of the query reaches (the rule needs them all met).
    pub(super) fn cannot_reach_threshold(
        &self,
        q: &PreparedQuery,
        c: &Candidate,
        reachable: Reachable,
    ) -> bool {
        if self.threshold <= 0.0 {
            return false;
        }
        let idx = self.index;
        let n = &idx.sketches[c.name as usize];
        let cost = CostModel::new(n.person);
        // Below the threshold, and no whole-name typo (checked last: it
        // reads more of the name).
        let below = |best: f32, missed: f32| {
            missed > 0.0
                && best / (best + missed) < self.threshold - BOUND_SLACK
                && !(self.threshold <= WHOLE_TYPO_SCORE
                    && may_be_whole_typo(q, n.length as usize, &n.whole_hist))
                && !(n.person
                    && self.threshold <= INITIALS_AGREE_SCORE
                    && may_have_agreeing_initials(q)
                    && q.bound_terms.iter().all(|t| c.words & t.bit != 0))
        };
        let m = usize::from(!n.person);
        let (mut best, mut missed) = (q.free_weight + cost.listed * n.other_weight, 0.0f32);
        if c.glued {
            best += q.cross_terms.iter().map(|t| t.weight).sum::<f32>();
            for t in &q.bound_terms {
                if c.words & t.bit == 0 {
                    missed += t.costs_unmet[m];
                } else {
                    best += t.weight;
                }
            }
            return below(best + cost.listed * n.word_weight, missed);
        }
        // A cross term meets a name through its similar words, or its legal
        // forms and places (then as closely as may be).
        let places = n.other_weight > 0.0;
        for t in &q.cross_terms {
            if places || c.cross & t.bit != 0 {
                best += t.weight;
            } else {
                missed += t.costs_unmet[m];
            }
        }
        let (free, free_missed) = (best, missed);
        for t in &q.bound_terms {
            if c.words & t.bit == 0 {
                missed += t.costs_unmet[m];
            } else {
                best += t.brings;
                missed += t.costs_met[m];
            }
        }
        // First as if every listed word met exactly (a higher bound, from
        // the sketch alone), then word by word.
        if below(best + cost.listed * n.word_weight, missed) {
            return true;
        }
        // No query word meets a word of this name closer than its closest
        // listed word to any query word.
        let closest = (idx.sketch_words(c.name).iter())
            .filter_map(|&(t, _)| reachable.similarity(t))
            .fold(0.0f32, f32::max);
        (best, missed) = (free, free_missed);
        for t in q.cross_terms.iter().filter(|_| !places) {
            // Counted as met above: only through similar words.
            if c.cross & t.bit != 0 {
                let s = t.similarity.min(closest);
                best += s * t.weight - t.weight;
                missed += (1.0 - s).min(cost.query_least) * t.weight;
            }
        }
        for t in &q.bound_terms {
            if c.words & t.bit == 0 {
                missed += t.costs_unmet[m];
            } else if t.similarity <= closest {
                best += t.brings;
                missed += t.costs_met[m];
            } else {
                best += closest * t.weight;
                missed += (1.0 - closest).min(cost.query_least) * t.weight;
            }
        }
        let meeting = (c.words.count_ones() + q.free_words) as usize;
        listed_words_one_to_one(
            idx,
            c.name,
            reachable,
            &cost,
            meeting,
            &mut best,
            &mut missed,
        );
        below(best, missed)
    }
}

/// What the listed words of `name` add to a candidate's bound, with
/// `meeting` query words that may meet them. Pairs are one to one: at most
/// one listed word per query word that reaches the name, or per free query
/// word, is met. The met ones
/// bring at most the most any may bring; every word a query word can
/// meet costs at least as if met, and all but that many of them at
/// least the rest of their cheapest rate unmatched, as little as may be.
fn listed_words_one_to_one(
    idx: &Index,
    name: u32,
    reachable: Reachable,
    cost: &CostModel,
    meeting: usize,
    best: &mut f32,
    missed: &mut f32,
) {
    let mut brings = [0.0f32; SKETCH_WORDS];
    let mut extra = [0.0f32; SKETCH_WORDS];
    let mut met = 0;
    for &(t, w) in idx.sketch_words(name) {
        match reachable.similarity(t) {
            Some(s) => {
                let least = ((1.0 - s) * cost.listed).min(cost.listed_least) * w;
                if met < SKETCH_WORDS {
                    brings[met] = s * cost.listed * w;
                    extra[met] = cost.listed_least * w - least;
                    met += 1;
                } else {
                    *best += s * cost.listed * w;
                }
                *missed += least;
            }
            None => *missed += cost.listed_least * w,
        }
    }
    if meeting < met {
        let (brings, extra) = (&mut brings[..met], &mut extra[..met]);
        brings.sort_unstable_by(|a, b| b.total_cmp(a));
        extra.sort_unstable_by(|a, b| a.total_cmp(b));
        *best += brings[..meeting].iter().sum::<f32>();
        *missed += extra[..met - meeting].iter().sum::<f32>();
    } else {
        *best += brings[..met].iter().sum::<f32>();
    }
}
