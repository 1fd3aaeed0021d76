//! Query preparation: a query analyzed against the index, each word with
//! its similar listed words, and the candidate names that may reach the
//! threshold.

use super::align::known_arabic_key;
use super::bound::QuickFilter;
use super::prefix::{ByWords, WordSource};
use super::query::{BoundTerm, Candidate, PreparedQuery, QueryToken, SimilarWords, Walked};
use super::reach::{REACH, Reach};
use super::score::CostModel;
use super::similarity::{
    ArabicSide, EQUAL, Features, How, PART_OF_PHRASE, TokenFeatures, TokenPair, key_lookups,
    legal_or_place_may_meet, similarity,
};
use super::whole::{WHOLE_TYPO_SCORE, may_be_whole_typo, too_far_for_a_typo, whole_typo_band};
use super::{Matcher, remember};
use crate::features::{gluable, glue_forms, histogram, letter_mask, raw_form};
use crate::index::{Index, LETTERS_MASK, LookedUp, PERSON_MASK_BIT};
use crate::terms::{self, Class, Token};
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

/// Names reached, and what reaches them, as reach bits: the bit of each
/// query word that reaches them ([`word_bit`]), with [`GLUED_BIT`] when
/// they are reached through glued words, or [`FORCED_BIT`] for names that
/// must be scored whatever (a query of legal forms only).
type Reaching<'a> = (&'a [u32], u64);

/// The query words a name's reach bits track one by one (the bits above
/// them mark a name to read, a glued, a forced and a person's name).
const WORD_BITS: usize = 60;

/// The reach bit of a name reached through glued words.
const GLUED_BIT: u64 = 1 << (WORD_BITS + 1);

/// The reach bit of a forced name.
const FORCED_BIT: u64 = 1 << (WORD_BITS + 2);

/// The reach bit of a name that must be read to be ruled out: one reached
/// otherwise than through a bound word's similar words (a legal form or
/// place, glued words), or that a whole-name typo may make a hit.
const READ_BIT: u64 = 1 << WORD_BITS;

/// The skipped sources' postings are scanned for the names reached
/// ([`super::reach::Reach::scan_skipped`]) when they hold at most this many
/// entries a name reached; else the names' own words are read. An entry
/// scanned costs a sequential read and a test of a bit in cache, a name
/// read a miss or two all over the index.
const SCAN_PER_NAME: usize = 32;

/// The reach bit of a person's name, among those reached through a bound
/// word's similar words (from [`crate::index::PERSON_MASK_BIT`]).
const PERSON_BIT: u64 = 1 << (WORD_BITS + 3);

/// The reach bit of query token `i` (the words past the last tracked one share its bit).
fn word_bit(i: usize) -> u64 {
    1 << i.min(WORD_BITS - 1)
}

/// Which names a whole-name typo may make hits, by the letters they have
/// ([`crate::index::Postings::with_masks`]): a letter one name has and the
/// other not is one letter of difference at least, and an edit makes two.
struct TypoMask(Option<(u32, usize)>);

impl TypoMask {
    /// For a query whose whole-name typos make at most `edits` edits, if any.
    fn new(q: &PreparedQuery, edits: Option<usize>) -> TypoMask {
        TypoMask(edits.map(|edits| (letter_mask(&q.whole_hist), edits)))
    }

    /// May a whole-name typo make a name of this posting mask a hit?
    fn may_be(&self, mask: u32) -> bool {
        self.0.is_some_and(|(q, edits)| {
            ((q ^ mask & LETTERS_MASK).count_ones() as usize).div_ceil(2) <= edits
        })
    }

    /// The reach bits a posting's mask gives its name: [`READ_BIT`] when a
    /// whole-name typo may make it a hit, [`PERSON_BIT`] for a person's.
    fn bits(&self, mask: u32) -> u64 {
        let read = if self.may_be(mask) { READ_BIT } else { 0 };
        let person = if mask & PERSON_MASK_BIT != 0 {
            PERSON_BIT
        } else {
            0
        };
        read | person
    }
}

/// Two query words glued together may be one listed word, each side as
/// canonicalized or as written (as the scorer compares them).
fn reach_by_glued_pairs<'a>(idx: &'a Index, tokens: &[QueryToken], reach: &mut Vec<Reaching<'a>>) {
    let mut glued = String::new();
    for (i, pair) in tokens.windows(2).enumerate() {
        let bits = GLUED_BIT | word_bit(i) | word_bit(i + 1);
        if gluable(pair[0].token.class) && gluable(pair[1].token.class) {
            for a in glue_forms(&pair[0].token.text, &pair[0].raw) {
                for b in glue_forms(&pair[1].token.text, &pair[1].raw) {
                    glued.clear();
                    glued.push_str(a);
                    glued.push_str(b);
                    let ids = idx.vocab_ids.get(&glued).into_iter();
                    let written = idx.written.get(&glued).into_iter().flatten();
                    for &id in ids.chain(written) {
                        reach.push((&idx.postings[id as usize], bits));
                    }
                }
            }
        }
    }
}

/// In Arabic script (the query's or a name's), glued words meet by their
/// Arabic keys.
fn reach_by_arabic_glue<'a>(
    idx: &'a Index,
    tokens: &[QueryToken],
    arabic: bool,
    reach: &mut Vec<Reaching<'a>>,
) {
    let pairs = if arabic {
        &idx.arabic_glue_all().pairs
    } else {
        let glue = idx.arabic_glue();
        if glue.is_empty() {
            return;
        }
        &glue.pairs
    };
    // Keys are remembered: names repeat their words.
    let mut glued = String::new();
    for (i, t) in tokens.iter().enumerate() {
        if t.token.class == Class::Word {
            for w in glue_forms(&t.token.text, &t.raw) {
                if let Some(names) = pairs.get(&known_arabic_key(w)) {
                    reach.push((names, GLUED_BIT | word_bit(i)));
                }
            }
        }
        let Some(u) = tokens.get(i + 1) else {
            continue;
        };
        if gluable(t.token.class) && gluable(u.token.class) {
            for a in glue_forms(&t.token.text, &t.raw) {
                for b in glue_forms(&u.token.text, &u.raw) {
                    glued.clear();
                    glued.push_str(a);
                    glued.push_str(b);
                    let bits = GLUED_BIT | word_bit(i) | word_bit(i + 1);
                    for names in idx.arabic_word_names(arabic, &known_arabic_key(&glued)) {
                        reach.push((names, bits));
                    }
                }
            }
        }
    }
}

/// A query word to its similar words, by [`similar_slot`] (is it the last
/// word, is the query in Arabic script): looked up by the word alone, with
/// no key to build.
pub(super) type SimilarCache = HashMap<String, [Option<SimilarWords>; 4]>;

/// Where [`SimilarCache`] keeps a word's similar words as the last word or
/// not, in a query in Arabic script or not.
fn similar_slot(last: bool, arabic: bool) -> usize {
    usize::from(last) << 1 | usize::from(arabic)
}

/// The similar-word cache is emptied when it holds this many words.
pub(super) const SIMILAR_CACHE_MAX: usize = 200_000;

/// Sort a query's words for the candidate bound: its bound words (those
/// that meet a name only through their similar words or the terms they are
/// a word of) and its cross words (those that may also meet a misspelt
/// legal form or place) as [`BoundTerm`]s, and the weight and the number of
/// words of the rest, which may meet anything. Returns both as reach bits.
fn weigh_bound_terms(q: &mut PreparedQuery) -> (u64, u64) {
    // The query words that can only meet a name through its similar
    // words or the terms they are a word of (as bits): the others (one
    // that may be a misspelt legal form or place, one past the 61st)
    // may meet more.
    let (mut bound_words, mut cross_words) = (0u64, 0u64);
    for (i, t) in q.tokens.iter().take(WORD_BITS).enumerate() {
        if t.token.class == Class::Word {
            *if t.cross() {
                &mut cross_words
            } else {
                &mut bound_words
            } |= 1 << i;
        }
    }
    let costs = [CostModel::new(true), CostModel::new(false)];
    let n_tokens = q.tokens.len();
    let terms = |bits: u64| {
        (0..n_tokens.min(WORD_BITS))
            .filter(|&i| bits >> i & 1 == 1)
            .map(|i| {
                let t = &q.tokens[i];
                let phrase = if t.phrases.is_empty() {
                    0.0
                } else {
                    PART_OF_PHRASE
                };
                let s = t.similar.iter().map(|s| s.1).fold(phrase, f32::max);
                let w = t.weight;
                let least = costs.map(|c| c.query_least_of(&t.token.text, i, n_tokens));
                BoundTerm {
                    bit: 1 << i,
                    weight: w,
                    similarity: s,
                    brings: s * w,
                    costs_met: least.map(|l| (1.0 - s).min(l) * w),
                    costs_unmet: least.map(|l| l * w),
                    least,
                }
            })
            .collect::<Vec<_>>()
    };
    q.bound_terms = terms(bound_words);
    q.cross_terms = terms(cross_words);
    let free = || {
        (q.tokens.iter().enumerate())
            .filter(|&(i, _)| i >= WORD_BITS || (bound_words | cross_words) >> i & 1 == 0)
            .map(|(_, t)| t)
    };
    q.free_weight = free().map(|t| t.weight).sum();
    q.free_words =
        (free().filter(|t| t.token.class == Class::Word).count() + q.cross_terms.len()) as u32;
    (bound_words, cross_words)
}

impl<'a> Matcher<'a> {
    /// Analyze a query and collect its candidate names.
    pub fn prepare(&self, name: &str) -> PreparedQuery {
        self.prepare_analyzed(name, terms::analyze(name))
    }

    /// [`Matcher::prepare`] for tokens analyzed by the caller: the query's
    /// tokens, their similar listed words and what reaches names, then the
    /// candidates.
    pub(super) fn prepare_analyzed(&self, name: &str, analyzed: Vec<Token>) -> PreparedQuery {
        let arabic = crate::normalize::has_arabic(name);
        let mut tokens = self.query_tokens(analyzed);
        let (mut reach, sources) = self.reach_by_similar(&mut tokens, arabic);
        reach_by_glued_pairs(self.index, &tokens, &mut reach);
        reach_by_arabic_glue(self.index, &tokens, arabic, &mut reach);
        let mut q = PreparedQuery::new(name, arabic, tokens);
        self.collect_candidates(&mut q, &reach, &sources);
        q
    }

    /// The query's tokens with their features and weights (similar words
    /// still to find).
    fn query_tokens(&self, analyzed: Vec<Token>) -> Vec<QueryToken> {
        let idx = self.index;
        analyzed
            .into_iter()
            .map(|t| {
                let features = TokenFeatures::new(&t.text);
                QueryToken {
                    features,
                    raw: raw_form(&t),
                    weight: idx.weight_of(&t.text, t.class),
                    phrases: self.phrase_words(&t),
                    places: if t.class == Class::Word {
                        self.legal_or_place_forms(&t.text)
                    } else {
                        Arc::from([])
                    },
                    token: t,
                    similar: Arc::from([]),
                }
            })
            .collect()
    }

    /// Find each query token's similar listed words, and what reaches names
    /// through them (and through a word's glued listed pair).
    fn reach_by_similar(
        &self,
        tokens: &mut [QueryToken],
        arabic: bool,
    ) -> (Vec<Reaching<'a>>, Vec<WordSource>) {
        let idx = self.index;
        let n = tokens.len();
        let mut reach: Vec<Reaching<'a>> = Vec::new();
        let mut sources: Vec<WordSource> = Vec::new();
        let has_word = tokens.iter().any(|t| t.token.class == Class::Word);
        for (i, qt) in tokens.iter_mut().enumerate() {
            let last = i + 1 == n;
            if qt.token.class == Class::Word {
                qt.similar = self.similar_words(qt, last, arabic);
                sources.extend(WordSource::of(i, qt));
                // And the names holding a legal form or place it may meet.
                for &k in qt.places.iter() {
                    reach.push((&idx.legal_minor_postings[k as usize], word_bit(i)));
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
                for key in glue_forms(&qt.token.text, &qt.raw) {
                    if let Some(names) = idx.glued.get(key) {
                        reach.push((names, GLUED_BIT | word_bit(i)));
                    }
                }
            } else if let Some(&id) = idx.vocab_ids.get(&qt.token.text) {
                qt.similar = Arc::from([(id, EQUAL, How::Exact)]);
                // A query of legal forms and particles only (`JOINT STOCK
                // COMPANY`) can only match names made of them.
                if !has_word {
                    reach.push((&idx.postings[id as usize], FORCED_BIT));
                }
            }
        }
        (reach, sources)
    }

    /// The names the query reaches that may reach the threshold
    /// ([`Matcher::cannot_reach_threshold`]), sorted, and how many it reaches.
    fn collect_candidates(
        &self,
        q: &mut PreparedQuery,
        reach: &[Reaching],
        sources: &[WordSource],
    ) {
        let idx = self.index;
        let (bound_words, cross_words) = weigh_bound_terms(q);
        let skip = self.skipped_sources(q, sources);
        // A whole-name typo may match a name that skipped sources alone
        // reach. It touches two tokens an edit at most and leaves the rest
        // as written: when more of the query's words than that are listed
        // words, one of them is in the name as written, and walking the
        // skipped sources of such words themselves over the name lengths a
        // typo allows finds it; else every skipped source is walked so.
        let band = (self.threshold <= WHOLE_TYPO_SCORE)
            .then(|| whole_typo_band(q.length))
            .flatten()
            .map(|(lengths, edits)| {
                let mut exact: Vec<u32> = (sources.iter())
                    .filter(|s| s.how == How::Exact)
                    .map(|s| s.token)
                    .collect();
                exact.dedup();
                (lengths, exact.len() > 2 * edits, edits)
            });
        // A name reached through a bound word's sources alone, no whole-name
        // typo, is ruled out by which words reach it when the skipped
        // sources' bits are known by scanning their postings.
        let by_terms = !self.full_scan
            && self.threshold > 0.0
            && q.tokens.len() < WORD_BITS
            && !sources.is_empty();
        let typo = TypoMask::new(q, band.as_ref().map(|b| b.2));
        let words = bound_words | cross_words;
        let mut by_words = ByWords::new(self, q, sources);
        let (reached, candidates, walked) = REACH.with(|r| {
            let r = &mut *r.borrow_mut();
            r.start();
            let mut walked = Walked::default();
            for &(names, bits) in reach {
                *if bits & GLUED_BIT != 0 {
                    &mut walked.glued
                } else if bits & FORCED_BIT != 0 {
                    &mut walked.forced
                } else {
                    &mut walked.places
                } += names.len();
                r.add(names, bits | READ_BIT);
            }
            let skipped = self.walk_sources(r, (q, sources, &skip), &band, &typo, &mut walked);
            r.merge();
            // The skipped sources that reach each name: by scanning their
            // postings, when they are short enough, else by its own words.
            let scan: usize = (skipped.iter())
                .map(|&(t, _, _)| idx.postings[t as usize].len())
                .sum();
            let scanned = scan <= SCAN_PER_NAME * r.touched_count();
            if scanned && !skipped.is_empty() {
                walked.scanned += scan;
                r.scan_skipped(
                    idx.names.len(),
                    (skipped.iter()).map(|&(t, bit, b)| (idx.postings.with_masks(t), bit, b)),
                );
            } else {
                r.mark_skipped(idx.vocab.len(), &skipped);
            }
            r.mark(idx.vocab.len(), &q.reachable);
            let mut read = Vec::new();
            for reached in r.touched() {
                let (name, mut bits) = (reached.name, reached.bits);
                if !scanned {
                    // The skipped sources that reach it, by its own words.
                    for &(t, _) in idx.sketch_words(name) {
                        bits |= r.skipped_bits(t);
                    }
                } else if by_terms
                    && bits & !(words | PERSON_BIT) == 0
                    && by_words.rule_out(bits & words, bits & PERSON_BIT != 0, &reached)
                {
                    walked.ruled_unread += 1;
                    continue;
                }
                walked.read += 1;
                walked.read_bit += usize::from(bits & READ_BIT != 0);
                read.push((name, bits));
            }
            // The names left are read by the bound, each a cache miss or
            // two in a large index: fetched first, all at once, by a loop
            // of independent loads, they are waited for once, not each.
            if !self.full_scan {
                idx.fetch_sketches(read.iter().map(|&(name, _)| name));
            }
            let mut out = Vec::new();
            for (name, bits) in read {
                let c = Candidate {
                    name,
                    words: bits & bound_words,
                    cross: bits & cross_words,
                    glued: bits & GLUED_BIT != 0,
                    forced: bits & FORCED_BIT != 0,
                };
                if self.full_scan || !self.cannot_reach_threshold(q, &c, r.reachable()) {
                    out.push(c);
                }
            }
            r.unmark(&q.reachable);
            if !scanned {
                r.unmark_skipped(&skipped);
            }
            (r.touched_count(), out, walked)
        });
        q.walked = walked;
        q.reached = reached;
        q.candidates = candidates;
    }

    /// Walk the postings of the sources not skipped, and those of the
    /// skipped ones over the name lengths a whole-name typo allows (`band`:
    /// those lengths, whether only the query's words as written are
    /// walked so, and the most edits): the skipped sources, as (vocabulary
    /// id, reach bit, what its listed word brings).
    fn walk_sources(
        &self,
        r: &mut Reach,
        (q, sources, skip): (&PreparedQuery, &[WordSource], &[bool]),
        band: &Option<(std::ops::RangeInclusive<u32>, bool, usize)>,
        typo: &TypoMask,
        walked: &mut Walked,
    ) -> Vec<(u32, u64, f32)> {
        let idx = self.index;
        let mut skipped = Vec::new();
        for (s, &skip) in sources.iter().zip(skip) {
            let bit = word_bit(s.token as usize);
            if !skip {
                let (names, masks) = idx.postings.with_masks(s.vocab);
                walked.similar += names.len();
                r.add_with(names, masks, (bit, self.brings(q, s)), |m| typo.bits(m));
                continue;
            }
            skipped.push((s.vocab, bit, self.brings(q, s)));
            if let Some((lengths, exact_only, edits)) = band
                && (s.how == How::Exact || !exact_only)
                // Letters say enough only of a word written as its text.
                && (idx.written_differently[s.vocab as usize]
                    || !too_far_for_a_typo(&idx.vocab[s.vocab as usize].hist, q, *edits))
            {
                // A name these skipped sources alone reach cannot reach
                // the threshold by its words ([`Matcher::skipped_sources`]):
                // only a whole-name typo may make it a hit, so a name
                // whose length and letters rule that out is not reached
                // (one that a walked source reaches is, through it).
                let (names, masks) = idx.postings_in_band(s.vocab, lengths.clone());
                walked.typo_band += names.len();
                // First the letters the postings keep, then the name's counts.
                let maybe = (names.iter().zip(masks)).filter(|&(_, &m)| typo.may_be(m));
                let maybe = maybe.inspect(|_| walked.typo_letters += 1);
                r.add_where(maybe.map(|(&n, _)| n), bit | READ_BIT, |n| {
                    let s = &idx.sketches[n as usize];
                    may_be_whole_typo(q, s.length as usize, &s.whole_hist)
                });
            }
        }
        skipped
    }

    /// The listed words that are many-word terms with this word among
    /// theirs (see `pair_similarity` in `align.rs`), by id, sorted.
    fn phrase_words(&self, t: &Token) -> Vec<u32> {
        if t.class != Class::Word {
            return Vec::new();
        }
        let idx = self.index;
        let mut ids: Vec<u32> = (terms::Terms::shipped().terms_with_word(&t.text).iter())
            .filter_map(|canon| idx.vocab_ids.get(canon).copied())
            .filter(|&id| idx.vocab[id as usize].class == Class::Word)
            .collect();
        ids.sort_unstable();
        ids
    }

    /// The listed legal forms and places (as indices into
    /// [`Index::legal_minor_raws`]) a query word may meet as a misspelling
    /// or a part of one (see `pair_similarity` in `align.rs`). Remembered per word.
    pub(super) fn legal_or_place_forms(&self, word: &str) -> Arc<[u32]> {
        if let Some(hit) = (self.cross_cache.read().ok()).and_then(|c| c.get(word).cloned()) {
            return hit;
        }
        let idx = self.index;
        let chars: Vec<char> = word.chars().collect();
        let shape = (chars.len(), &histogram(&chars));
        let forms: Arc<[u32]> = (idx.legal_minor_raws.iter().zip(&idx.legal_minor_shapes))
            .enumerate()
            .filter(|(_, (r, (ll, hl)))| {
                legal_or_place_may_meet(word, shape, r, (*ll as usize, hl))
            })
            .map(|(k, _)| k as u32)
            .collect();
        remember(&self.cross_cache, |c| {
            c.insert(word.to_string(), forms.clone());
        });
        forms
    }

    /// The listed words similar to a query word: (id, similarity, how),
    /// sorted by id. Remembered per word: names repeat their words.
    pub(super) fn similar_words(&self, qt: &QueryToken, last: bool, arabic: bool) -> SimilarWords {
        // A word the lists use is a whole word, not a cut-off one
        // (`MARTIN` is not `MARTINEZ` cut short).
        let last = last && !self.index.vocab_ids.contains_key(&qt.token.text);
        let slot = similar_slot(last, arabic);
        if !self.full_scan
            && let Some(hit) = (self.cache.read().ok())
                .and_then(|c| c.get(&qt.token.text).and_then(|s| s[slot].clone()))
        {
            return hit;
        }
        let idx = self.index;
        let measure = |id: u32| {
            let v = &idx.vocab[id as usize];
            if v.class != Class::Word {
                return None;
            }
            let (s, how) = similarity(
                &TokenPair::new(
                    qt.features(),
                    Features::of_vocab(v),
                    last,
                    arabic || v.arabic,
                )
                .with_arabic_side(ArabicSide::of(arabic, v.arabic)),
            );
            (s > 0.0).then_some((id, s, how))
        };
        let out: Vec<(u32, f32, How)> = if self.full_scan {
            (0..idx.vocab.len() as u32).filter_map(measure).collect()
        } else {
            let word = LookedUp {
                text: &qt.token.text,
                chars: &qt.features.chars,
                skeleton: &qt.features.skeleton,
                phonetic: &qt.features.phonetic,
                arabic_key: &qt.features.arabic_key,
                may_be_cut: last,
            };
            let found =
                idx.lookup
                    .candidates(&word, key_lookups(), &QuickFilter::new(qt, last, arabic));
            // A word a key finds is measured by every rule; a word only the
            // scan kept was measured by the scanned rules, all that can
            // hold of it.
            let mut out: Vec<(u32, f32, How)> = (found.scanned.iter())
                .filter(|(id, _)| found.keyed.binary_search(id).is_err())
                .map(|&(id, (s, how))| (id, s, how))
                .collect();
            out.extend(found.keyed.iter().filter_map(|&id| measure(id)));
            out.sort_unstable_by_key(|&(id, ..)| id);
            out
        };
        let out: SimilarWords = out.into();
        if !self.full_scan {
            remember(&self.cache, |c| {
                c.entry(qt.token.text.clone()).or_default()[slot] = Some(out.clone());
            });
        }
        out
    }

    /// Each part of a name ([`crate::terms::name_parts`]), prepared.
    /// A part mixing Latin with Cyrillic or Greek letters is read both ways:
    /// as a disguise (look-alikes folded to Latin) and as Cyrillic or Greek
    /// with a stray Latin letter; so is a part written wholly in look-alikes
    /// (`РАЕС` is both `raes` and `PAEC`).
    pub(super) fn prepare_parts(&self, name: &str) -> Vec<PreparedQuery> {
        let mut out = Vec::new();
        for p in crate::terms::name_parts(name) {
            out.push(self.prepare(&p));
            if let Some(reading) = crate::normalize::other_reading(&p) {
                out.push(self.prepare_analyzed(&p, terms::analyze_read(&p, reading)));
            }
        }
        out
    }
}
