//! Prefix filtering: the postings of a query word's common similar words
//! (`JOHN`, `MOHAMMAD`, `TRADING`) are not walked when no name they alone
//! reach can reach the threshold, as in the AllPairs and PPJoin similarity
//! joins. A name they reach that another, rarer word reaches too is still
//! found through that word, and told that they reach it by its own words.
//!
//! [`Matcher::skipped_sources`] chooses, longest postings first, the
//! sources ([`WordSource`]) whose names cannot reach the threshold unless
//! another source reaches them: [`PrefixBound`] bounds the score of any
//! name reached by skipped sources alone from the query and from what the
//! index keeps of each listed word ([`crate::index::Index::max_other`]),
//! with none of the name's own words. A whole-name typo scores whatever its
//! words meet, so the skipped postings are still walked over the name
//! lengths a typo allows ([`super::whole::whole_typo_band`]).

use super::Matcher;
use super::query::{BoundTerm, PreparedQuery, QueryToken};
use super::reach::Reached;
use super::score::{
    CostModel, INITIALS_AGREE_SCORE, LISTED_FACTOR, LISTED_FACTOR_PERSON,
    may_have_agreeing_initials,
};
use super::similarity::{How, PART_OF_PHRASE};
use crate::index::{LEGAL_WEIGHT, MINOR_WEIGHT, STOP_WEIGHT};
use rustc_hash::FxHashMap as HashMap;

/// A query word's similar listed word (or a many-word term it is a word
/// of), whose postings reach names for that word.
#[derive(Debug, Clone, Copy)]
pub(super) struct WordSource {
    /// The query token.
    pub(super) token: u32,
    /// The listed word, as a vocabulary id.
    pub(super) vocab: u32,
    /// How similar the query word is to it.
    pub(super) similarity: f32,
    /// How they meet ([`How::Exact`]: it is the query word itself;
    /// [`How::Initial`]: the pair counts the smaller weight on both sides).
    pub(super) how: How,
}

impl WordSource {
    /// The sources of query token `token`: its similar listed words, and
    /// the many-word terms it is a word of (met as [`PART_OF_PHRASE`]).
    pub(super) fn of(token: usize, qt: &QueryToken) -> impl Iterator<Item = WordSource> + '_ {
        let phrases = (qt.phrases.iter()).map(|&id| (id, PART_OF_PHRASE, How::Canonical));
        (qt.similar.iter().copied().chain(phrases)).map(move |(vocab, similarity, how)| {
            WordSource {
                token: token as u32,
                vocab,
                similarity,
                how,
            }
        })
    }
}

/// Postings shorter than this are always walked: skipping them saves
/// less than weighing them costs.
const SKIP_MIN_POSTINGS: usize = 8;

/// A name is left to the skipped sources only when its bound falls this far
/// below the threshold (as [`super::bound`] allows for summing order).
const PREFIX_SLACK: f32 = 1e-4;

/// The most share of a listed word's weight a score counts.
const LISTED_MOST: f32 = LISTED_FACTOR.max(LISTED_FACTOR_PERSON);

/// The most a listed token that is not a word weighs.
const OTHER_MOST: f32 = LEGAL_WEIGHT.max(STOP_WEIGHT).max(MINOR_WEIGHT);

/// The most a name reached by skipped sources alone may score.
///
/// Such a name is met by each bound word at most as closely as that word's
/// closest skipped source (a word none of whose sources is skipped does not
/// reach it and costs its cheapest unmatched rate); by no cross word (those
/// are always walked); by each other token of the query, exactly; its
/// listed words, at most one per
/// query word that meets it, bring at most the most that word's skipped
/// sources bring (similarity times weight counted; a free word, any
/// source's); its legal forms, places and particles
/// weigh at most what the skipped sources' names hold
/// ([`crate::index::Index::max_other`]), met exactly. The listed side's
/// costs are left out. Each bound of [`Matcher::cannot_reach_threshold`] is
/// at most this one for such a name.
#[derive(Debug)]
pub(super) struct PrefixBound<'q> {
    terms: &'q [BoundTerm],
    /// The closest skipped source of each bound term, if any.
    closest: Vec<Option<f32>>,
    /// The most a skipped source's listed word brings (similarity × weight
    /// counted), per bound term: each query word meets one listed word at most.
    listed: Vec<f32>,
    /// The most any skipped source's listed word brings, for the free
    /// tokens that are words.
    listed_any: f32,
    /// The most weight of tokens other than words in a skipped source's names.
    other: f32,
    /// What the query's free tokens bring at most.
    free: f32,
    /// The query's cross words: they meet a name only through their
    /// similar words or the legal forms and places they may meet, whose
    /// postings are always walked, so none meets a name skipped sources
    /// alone reach; but see [`PrefixBound::meet_cross`].
    cross_terms: &'q [BoundTerm],
    /// The cross words that meet the names bounded, through their similar
    /// words, as bits ([`PrefixBound::meet_cross`]).
    cross_met: u64,
    /// How many free tokens may meet a listed word.
    free_words: u32,
    /// How many query tokens may meet a listed token that is not a word
    /// (a legal form, place or particle): those that are not bound words.
    other_meeting: u32,
    /// The cost model of the names bounded, by its index in the terms'
    /// costs (0 a person's, 1 another's), when known; else the cheaper of both.
    model: Option<usize>,
}

impl<'q> PrefixBound<'q> {
    /// Nothing skipped yet.
    pub(super) fn new(q: &'q PreparedQuery) -> PrefixBound<'q> {
        PrefixBound::of_names(q, None)
    }

    /// The cross words of `bits` meet the names bounded, through their
    /// similar words only, as closely as they meet any listed word.
    pub(super) fn meet_cross(&mut self, bits: u64) {
        self.cross_met = bits;
    }

    /// Nothing skipped yet, for names of one cost model only (0 people, 1
    /// others) when `model` says which.
    pub(super) fn of_names(q: &'q PreparedQuery, model: Option<usize>) -> PrefixBound<'q> {
        PrefixBound {
            model,
            terms: &q.bound_terms,
            closest: vec![None; q.bound_terms.len()],
            listed: vec![0.0; q.bound_terms.len()],
            listed_any: 0.0,
            other: 0.0,
            free: q.free_weight,
            cross_terms: &q.cross_terms,
            cross_met: 0,
            free_words: q.free_words - q.cross_terms.len() as u32,
            other_meeting: (q.tokens.len() - q.bound_terms.len()) as u32,
        }
    }

    /// Also skip a source: see [`Skipping`].
    pub(super) fn skip(&mut self, s: Skipping) {
        let c = &mut self.closest[s.term];
        *c = Some(c.map_or(s.similarity, |c| c.max(s.similarity)));
        self.listed[s.term] = self.listed[s.term].max(s.brings);
        self.listed_any = self.listed_any.max(s.brings);
        self.other = self.other.max(s.other);
    }

    /// The most a name reached by the skipped sources alone, and `also`
    /// if given, may score.
    pub(super) fn most(&self, also: Option<Skipping>) -> f32 {
        self.most_bringing(also, f32::INFINITY, 0.0)
    }

    /// Is the score of a name that the skipped sources alone reach, none
    /// of its listed words bringing more than `brings`, and words of at
    /// least `unmet` weight met by none, below `threshold`? (Words met by
    /// none cost their cheapest rate of the names' cost model, when known.)
    pub(super) fn below(&self, brings: f32, unmet: f32, threshold: f32) -> bool {
        let rate = self
            .model
            .map_or(0.0, |m| CostModel::new(m == 0).listed_least);
        self.most_bringing(None, brings, rate * unmet) < threshold - PREFIX_SLACK
    }

    /// [`PrefixBound::most`], none of the listed words met bringing more
    /// than `cap`, and `costs` more missed.
    fn most_bringing(&self, also: Option<Skipping>, cap: f32, costs: f32) -> f32 {
        let (listed_any, other) = match also {
            Some(s) => (self.listed_any.max(s.brings), self.other.max(s.other)),
            None => (self.listed_any, self.other),
        };
        let listed_any = listed_any.min(cap);
        // A bound word meets listed words only; each other query token
        // meets one listed token at most, weighing at most [`OTHER_MOST`].
        let other = other.min(self.other_meeting as f32 * OTHER_MOST);
        let least = |costs: [f32; 2]| self.model.map_or(costs[0].min(costs[1]), |m| costs[m]);
        let listed_most = match self.model {
            Some(0) => LISTED_FACTOR_PERSON,
            Some(_) => LISTED_FACTOR,
            None => LISTED_MOST,
        };
        let mut best = self.free + listed_most * other;
        let mut missed = costs;
        for t in self.cross_terms {
            if self.cross_met & t.bit == 0 {
                missed += least(t.costs_unmet);
            } else {
                let s = t.similarity;
                best += s * t.weight + listed_most * cap;
                missed += (1.0 - s).min(least(t.least)) * t.weight;
            }
        }
        for (k, (t, closest)) in self.terms.iter().zip(&self.closest).enumerate() {
            let (closest, listed) = match also {
                Some(s) if s.term == k => (
                    Some(closest.map_or(s.similarity, |c| c.max(s.similarity))),
                    self.listed[k].max(s.brings),
                ),
                _ => (*closest, self.listed[k]),
            };
            let listed = listed.min(cap);
            match closest {
                None => missed += least(t.costs_unmet),
                Some(s) => {
                    best += s * t.weight + listed_most * listed;
                    missed += (1.0 - s).min(least(t.least)) * t.weight;
                }
            }
        }
        best += self.free_words as f32 * listed_most * listed_any;
        if missed > 0.0 {
            best / (best + missed)
        } else {
            1.0
        }
    }
}

/// A source to skip, as [`PrefixBound`] weighs it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Skipping {
    /// Its bound term (an index into [`PreparedQuery::bound_terms`]).
    term: usize,
    /// How similar its query word is to its listed word.
    similarity: f32,
    /// What its listed word brings at most (similarity × weight counted).
    pub(super) brings: f32,
    /// The most weight of other tokens its names hold.
    other: f32,
}

impl Matcher<'_> {
    /// Which of a query's word sources need not be walked: each source of a
    /// bound word, longest postings first, is skipped when every name the
    /// skipped sources alone reach stays below the threshold
    /// ([`PrefixBound::most`]). The rest are walked, and a name they reach
    /// learns which skipped sources reach it too from its own words.
    pub(super) fn skipped_sources(&self, q: &PreparedQuery, sources: &[WordSource]) -> Vec<bool> {
        if self.full_scan || self.threshold <= 0.0 || q.bound_terms.is_empty() {
            return vec![false; sources.len()];
        }
        let idx = self.index;
        let len = |k: usize| idx.postings[sources[k].vocab as usize].len();
        // Each source that may be skipped, as the bound weighs it, longest first.
        let mut items: Vec<(usize, Skipping)> = (sources.iter().enumerate())
            .filter(|&(k, _)| len(k) >= SKIP_MIN_POSTINGS)
            .filter_map(|(k, s)| Some((k, self.skipping(q, s)?)))
            .collect();
        items.sort_by_key(|&(k, _)| (std::cmp::Reverse(len(k)), k));
        // Two greedy orders, the cheaper walk kept: source by source, and
        // word by word (a word's many small sources, an initial's, may
        // weigh more together than one long one) before source by source.
        let by_source = self.skip_greedily(q, &items, &[], sources.len());
        let mut words: Vec<(Vec<usize>, Skipping)> = Vec::new();
        for &(k, s) in &items {
            match words.iter_mut().find(|(_, w)| w.term == s.term) {
                Some((ks, w)) => {
                    ks.push(k);
                    w.similarity = w.similarity.max(s.similarity);
                    w.brings = w.brings.max(s.brings);
                    w.other = w.other.max(s.other);
                }
                None => words.push((vec![k], s)),
            }
        }
        words.sort_by_key(|(ks, _)| std::cmp::Reverse(ks.iter().map(|&k| len(k)).sum::<usize>()));
        let by_word = self.skip_greedily(q, &items, &words, sources.len());
        let walked =
            |skip: &[bool]| -> usize { (0..sources.len()).filter(|&k| !skip[k]).map(len).sum() };
        if walked(&by_word) < walked(&by_source) {
            by_word
        } else {
            by_source
        }
    }

    /// A source of a bound word as [`PrefixBound`] weighs it (`None` for a
    /// source of another word).
    pub(super) fn skipping(&self, q: &PreparedQuery, s: &WordSource) -> Option<Skipping> {
        let term = (q.bound_terms.iter()).position(|t| s.token < 64 && t.bit == 1u64 << s.token)?;
        Some(Skipping {
            term,
            similarity: s.similarity,
            brings: self.brings(q, s),
            other: self.index.max_other[s.vocab as usize],
        })
    }

    /// The most a source's listed word brings (similarity times weight
    /// counted; an initial's pair counts the smaller weight).
    pub(super) fn brings(&self, q: &PreparedQuery, s: &WordSource) -> f32 {
        let listed = self.index.vocab[s.vocab as usize].weight;
        let weight = if s.how == How::Initial {
            listed.min(q.tokens[s.token as usize].weight)
        } else {
            listed
        };
        s.similarity * weight
    }

    /// Skip whole words (their sources together) while the bound allows,
    /// then single sources: which of `n` sources are skipped.
    fn skip_greedily(
        &self,
        q: &PreparedQuery,
        items: &[(usize, Skipping)],
        words: &[(Vec<usize>, Skipping)],
        n: usize,
    ) -> Vec<bool> {
        let mut skip = vec![false; n];
        let mut bound = PrefixBound::new(q);
        let below = |b: &PrefixBound, s: Skipping| b.most(Some(s)) < self.threshold - PREFIX_SLACK;
        for (ks, s) in words {
            if below(&bound, *s) {
                bound.skip(*s);
                ks.iter().for_each(|&k| skip[k] = true);
            }
        }
        for &(k, s) in items {
            if !skip[k] && below(&bound, s) {
                bound.skip(s);
                skip[k] = true;
            }
        }
        skip
    }
}

/// Rules out the names that only a query's bound and cross words' similar
/// words reach (no legal form or place, glued pair, or whole-name typo),
/// once the skipped sources that reach them are known, by which words
/// reach them and what the postings keep of them, without reading them:
/// [`PrefixBound`] with those words' sources taken as the skipped ones (it
/// weighs what sources reach a name, never whether they were walked), for
/// the names' cost model, none of their listed words bringing more than the
/// most a source reaching them brings, and, when one word meets a name, its
/// other words met by none. A person's name that every bound word reaches
/// is never ruled out for a query that may be written with initials (as
/// [`Matcher::cannot_reach_threshold`]).
pub(super) struct ByWords<'m, 'q> {
    matcher: &'m Matcher<'m>,
    q: &'q PreparedQuery,
    sources: &'q [WordSource],
    /// Each source's [`Matcher::skipping`].
    weighed: Vec<Option<Skipping>>,
    /// May the query's initials agree with a listed person's given names
    /// ([`may_have_agreeing_initials`], a question of the query alone)?
    initials: bool,
    /// The reach bits and cost model of each of `bounds`, apart: searched
    /// for every name.
    keys: Vec<(u64, bool)>,
    /// The bounds made so far, each with what it has decided ([`Decided`]).
    bounds: Vec<(PrefixBound<'q>, HashMap<u32, Decided>)>,
}

/// What one bound of [`ByWords`] has decided of the names whose listed
/// words bring at most a given amount (the key of its map, as bits): a name
/// whose words met by none weigh `out_from` or more is ruled out, one whose
/// weigh `in_to` or less is not. [`PrefixBound::below`] can only rule out
/// more as that weight grows (its score bound is `M / (M + D)`, and the
/// weight only adds to `D`), so a name between the two alone is bounded
/// again. Names reached through the same listed words bring the same, and
/// most differ only in that weight.
#[derive(Debug, Clone, Copy, Default)]
struct Decided {
    out_from: Option<f32>,
    in_to: Option<f32>,
}

impl<'m, 'q> ByWords<'m, 'q> {
    pub(super) fn new(
        matcher: &'m Matcher<'m>,
        q: &'q PreparedQuery,
        sources: &'q [WordSource],
    ) -> ByWords<'m, 'q> {
        ByWords {
            matcher,
            q,
            sources,
            weighed: sources.iter().map(|s| matcher.skipping(q, s)).collect(),
            initials: may_have_agreeing_initials(q),
            keys: Vec::new(),
            bounds: Vec::new(),
        }
    }

    /// Is the name `reached`, which the sources of the words of `bits`
    /// alone reach, of a person or not, surely below the threshold?
    pub(super) fn rule_out(&mut self, bits: u64, person: bool, reached: &Reached) -> bool {
        // Initials that agree with every listed given name raise a
        // person's name whose every word the query's words reach.
        if person
            && self.matcher.threshold <= INITIALS_AGREE_SCORE
            && self.initials
            && self.q.bound_terms.iter().all(|t| bits & t.bit != 0)
        {
            return false;
        }
        let k = match self.keys.iter().position(|&k| k == (bits, person)) {
            Some(k) => k,
            None => {
                let bound = self.bound(bits, person);
                self.keys.push((bits, person));
                self.bounds.push((bound, HashMap::default()));
                self.bounds.len() - 1
            }
        };
        // One word met: the name's other words are not.
        let others = if bits.count_ones() == 1 {
            reached.others
        } else {
            0.0
        };
        let threshold = self.matcher.threshold;
        let (bound, decided) = &mut self.bounds[k];
        let brings = reached.brings;
        let d = decided.entry(brings.to_bits()).or_default();
        if d.out_from.is_some_and(|w| others >= w) {
            return true;
        }
        if d.in_to.is_some_and(|w| others <= w) {
            return false;
        }
        let out = bound.below(brings, others, threshold);
        if out {
            d.out_from = Some(d.out_from.map_or(others, |w| w.min(others)));
        } else {
            d.in_to = Some(d.in_to.map_or(others, |w| w.max(others)));
        }
        out
    }

    /// The bound of the names the sources of the words of `bits` alone
    /// reach (the cross words among them met through similar words only).
    fn bound(&self, bits: u64, person: bool) -> PrefixBound<'q> {
        let mut bound = PrefixBound::of_names(self.q, Some(usize::from(!person)));
        bound.meet_cross(bits);
        for (s, w) in self.sources.iter().zip(&self.weighed) {
            if let Some(w) = w
                && s.token < 64
                && bits >> s.token & 1 == 1
            {
                bound.skip(*w);
            }
        }
        bound
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::IndexBuilder;
    use crate::matcher::tests::person;

    /// 300 `MARIA <n>` and one `ANA TORRES`: MARIA is common, TORRES rare.
    fn index() -> crate::index::Index {
        let mut b = IndexBuilder::new();
        b.extend((0..300).map(|i| person(&format!("m:{i}"), &format!("MARIA X{i}Q"))));
        b.extend([person("t", "ANA TORRES")]);
        b.build()
    }

    /// The sources of every word of a query.
    fn sources_of(q: &PreparedQuery) -> Vec<WordSource> {
        (q.tokens.iter().enumerate())
            .flat_map(|(i, t)| WordSource::of(i, t))
            .collect()
    }

    #[test]
    fn the_bound_grows_with_what_is_skipped() {
        let idx = index();
        let m = Matcher::new(&idx, 0.85, 0);
        let q = m.prepare("MARIA TORRES");
        let nothing = PrefixBound::new(&q);
        // Nothing skipped: no name is reached by skipped sources, and the
        // words that reach none cost their rates.
        assert!(nothing.most(None) < 0.5);
        let maria = Skipping {
            term: 0,
            similarity: 1.0,
            brings: 2.0,
            other: 0.0,
        };
        let both = Skipping { term: 1, ..maria };
        let one = nothing.most(Some(maria));
        assert!(one > nothing.most(None));
        let mut b = PrefixBound::new(&q);
        b.skip(maria);
        assert_eq!(b.most(None), one);
        assert!(b.most(Some(both)) > one);
        // Both words skipped, each met exactly: nothing is missed.
        b.skip(both);
        assert_eq!(b.most(None), 1.0);
    }

    #[test]
    fn the_common_word_is_skipped_and_the_rare_one_walked() {
        let idx = index();
        let m = Matcher::new(&idx, 0.85, 0);
        let q = m.prepare("MARIA TORRES");
        let sources = sources_of(&q);
        let skip = m.skipped_sources(&q, &sources);
        let text = |s: &WordSource| idx.vocab[s.vocab as usize].text.as_str();
        let skipped: Vec<&str> = (sources.iter().zip(&skip))
            .filter(|(_, k)| **k)
            .map(|(s, _)| text(s))
            .collect();
        assert_eq!(skipped, ["maria"]);
        // A full scan (the brute-force reference) skips nothing.
        let full = Matcher {
            full_scan: true,
            ..m.clone()
        };
        assert!(!full.skipped_sources(&q, &sources).contains(&true));
    }

    #[test]
    fn remembered_decisions_are_the_bounds_own() {
        let idx = index();
        let m = Matcher::new(&idx, 0.85, 0);
        let q = m.prepare("MARIA TORRES");
        let sources = sources_of(&q);
        let mut by_words = ByWords::new(&m, &q, &sources);
        let fresh = ByWords::new(&m, &q, &sources);
        // Names met through each word alone and through both, of either
        // cost model, bringing a few amounts, with their other words'
        // weights in an order that rises, falls and repeats: every answer
        // is the one a bound made afresh gives.
        let (mut out, mut kept) = (0, 0);
        for bits in [1u64, 2, 3] {
            for person in [true, false] {
                for brings in [0.5f32, 1.0, 2.0, 4.0] {
                    for others in [0.0f32, 3.0, 0.5, 8.0, 1.0, 3.0, 0.0, 20.0, 2.0, 0.25] {
                        let reached = Reached {
                            name: 0,
                            brings,
                            bits,
                            others,
                        };
                        let got = by_words.rule_out(bits, person, &reached);
                        let others = if bits.count_ones() == 1 { others } else { 0.0 };
                        let want = fresh.bound(bits, person).below(brings, others, 0.85);
                        assert_eq!(
                            got, want,
                            "bits {bits}, person {person}, brings {brings}, others {others}"
                        );
                        if got { out += 1 } else { kept += 1 }
                    }
                }
            }
        }
        assert!(
            out > 0 && kept > 0,
            "both answers are given ({out} ruled out, {kept} kept)"
        );
    }
}
