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
//!
//! The parts, in the order a search uses them:
//!
//! - `prepare.rs`: analyze a query into tokens (`query.rs` holds their
//!   values), find each word's similar listed words through the index's
//!   lookup, and collect the candidate names;
//! - `similarity.rs`: the table of token rules ([`RULES`]), each with its
//!   score and its `possible(...)` precondition, measured with
//!   `distance.rs` (Jaro-Winkler and Damerau-Levenshtein over characters);
//! - `bound.rs`: the word filter derived from those preconditions, and
//!   `Matcher::cannot_reach_threshold`, which rules out names from the
//!   `CostModel`'s cheapest rates;
//! - `align.rs`: which query token met which listed token (an `Alignment`);
//! - `score.rs`: what an alignment scores (the `CostModel` and the rules
//!   that forgive missing words), `whole.rs`: whole-name typos;
//! - `explain.rs`: an [`Explanation`] read off a scored name;
//! - `evidence.rs`: what the input says besides the name (country, date of
//!   birth, type) against the listing, as notes and score factors;
//! - this file: [`Matcher`], search, and collecting the best name per group.

mod align;
mod bound;
mod distance;
mod evidence;
mod explain;
mod prefix;
mod prepare;
mod query;
mod reach;
mod score;
mod similarity;
#[cfg(test)]
mod tests;
mod whole;

pub use evidence::{
    COUNTRY_MISMATCH_FACTOR, DOB_MISMATCH_FACTOR, DOB_SAME_YEAR_FACTOR, DOB_YEAR_SLACK, Finding,
    InputType, QueryFacts, TYPE_MISMATCH_FACTOR,
};
pub use explain::{Explanation, Pair, Unmatched};
pub use query::{PreparedQuery, Walked};
pub use score::{
    DROPPED_WORD_FACTOR, LISTED_FACTOR, LISTED_FACTOR_PERSON, PERSON_MIDDLE_FACTOR,
    PERSON_MISSING_FACTOR, QUERY_EXTRA_FACTOR, SINGLE_PREFIX_MIN, SINGLE_WORD_LONG,
    SINGLE_WORD_MARGIN, WEAK_FACTOR, WEAK_MIN, is_patronymic,
};
pub use similarity::{
    ARABIC_SIM, ArabicSide, FUZZY_MIN, Features, Found, How, INITIAL_SIM, Known, LONG_TYPO_LEN,
    LONG_TYPO_LEV, PART_OF_PHRASE, PHONETIC_LETTERS_MIN, PHONETIC_SHORT, PHONETIC_SIM, PREFIX_BASE,
    PREFIX_SPAN, RULES, SHORT_TYPO, SKELETON_SIM, SWAPPED_SIM, Score, Step, TRANSLIT_ALTERNATION,
    TokenFeatures, TokenPair, TokenRule, dh_for_z, i_for_y, token_similarity,
};
pub use whole::{WHOLE_MAX_EDITS, WHOLE_TYPO_SCORE, edits_within, whole_length, whole_name_edits};

use crate::index::Index;
use crate::model::{Identifier, normalize_identifier};
use prepare::{SIMILAR_CACHE_MAX, SimilarCache};
use rustc_hash::FxHashMap as HashMap;
use score::NameScore;
use std::sync::{Arc, RwLock};

/// The default threshold: a hit at or above it is a potential match.
pub const DEFAULT_THRESHOLD: f32 = 0.85;

/// Does the query carry a legal form that the listed name does not also
/// have (unmatched, or met by another legal form)? Then it names an
/// organization.
fn inferred_organization(a: &align::Alignment) -> bool {
    a.query.tokens.iter().enumerate().any(|(i, t)| {
        t.token.class == crate::terms::Class::Legal
            && !a.pairs.iter().any(|p| {
                let (start, n) = p.query;
                start <= i && i < start + n && p.how != How::LegalForm
            })
    })
}

/// Remember an entry (`add` puts it in), emptying the cache first when it is full.
fn remember<K: std::hash::Hash + Eq, V>(
    cache: &RwLock<HashMap<K, V>>,
    add: impl FnOnce(&mut HashMap<K, V>),
) {
    if let Ok(mut c) = cache.write() {
        if c.len() >= SIMILAR_CACHE_MAX {
            c.clear();
        }
        add(&mut c);
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
    /// The legal forms and places query words seen before may meet.
    cross_cache: Arc<RwLock<HashMap<String, Arc<[u32]>>>>,
}

/// What matchers of one index learn of the query words they meet (each
/// word's similar listed words, the legal forms and places it may meet),
/// none of which depends on the threshold or the hit limit: matchers made
/// [`Matcher::sharing`] one cache reuse each other's work. A server keeps
/// one beside its index and makes a matcher per request.
#[derive(Debug, Clone, Default)]
pub struct WordCache {
    similar: Arc<RwLock<SimilarCache>>,
    cross: Arc<RwLock<HashMap<String, Arc<[u32]>>>>,
}

/// Score each prepared part of a query, each score marked with its part.
fn score_parts<'q>(
    qs: &'q [PreparedQuery],
    score: impl Fn(&'q PreparedQuery) -> Vec<NameScore<'q>>,
) -> Vec<NameScore<'q>> {
    let mut out = Vec::new();
    for (part, q) in qs.iter().enumerate() {
        out.extend(score(q).into_iter().map(|s| NameScore {
            part: part as u32,
            ..s
        }));
    }
    out
}

impl From<&NameScore<'_>> for Scored {
    fn from(s: &NameScore<'_>) -> Scored {
        Scored {
            name: s.alignment.name,
            score: s.score,
            part: s.part,
        }
    }
}

/// What the input says besides the name, read once per query: its
/// country as an ISO code, its date of birth, and its type if given.
struct Facts<'f> {
    country: Option<&'static str>,
    date_of_birth: Option<&'f crate::model::BirthDate>,
    given_type: Option<InputType>,
}

impl<'f> Facts<'f> {
    fn of(facts: &QueryFacts<'f>) -> Facts<'f> {
        Facts {
            country: facts.country.and_then(crate::countries::iso2),
            date_of_birth: facts.date_of_birth,
            given_type: facts.entity_type.map(|t| InputType {
                entity_type: t,
                inferred: false,
            }),
        }
    }

    /// Without a `type`, a legal form in the name makes the input an
    /// organization, unless the listed name has it too (`AG` in `AG
    /// ALBACHAR, Ahmed` and `SE` in `KIM, Se Gon` are parts of a name).
    fn input_type(&self, s: &NameScore) -> Option<InputType> {
        self.given_type.or_else(|| {
            inferred_organization(&s.alignment).then_some(InputType {
                entity_type: crate::model::EntityType::Organization,
                inferred: true,
            })
        })
    }

    /// What the facts say of group `g`, matched by the scored name `s`.
    fn findings(&self, idx: &Index, g: u32, s: &NameScore) -> Vec<Finding> {
        let input_type = self.input_type(s);
        if self.country.is_none() && self.date_of_birth.is_none() && input_type.is_none() {
            return Vec::new();
        }
        let e = s.alignment.listed().entity;
        let members = &idx.groups[g as usize].members;
        let mut out = Vec::new();
        if let Some(t) = input_type {
            let listed = std::iter::once(e)
                .chain(members.iter().copied())
                .map(|m| idx.entities[m as usize].entity_type)
                .find(|t| *t != crate::model::EntityType::Unknown);
            out.extend(listed.and_then(|l| evidence::entity_type(t, l)));
        }
        if let Some(d) = self.date_of_birth {
            let listed: Vec<&crate::model::BirthDate> = members
                .iter()
                .flat_map(|&m| &idx.entities[m as usize].dates_of_birth)
                .collect();
            out.extend(evidence::date_of_birth(d, &listed));
        }
        if let Some(c) = self.country {
            out.extend(evidence::country(c, &idx.group_countries[g as usize]));
        }
        out
    }
}

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

    /// A matcher of `index` that learns into, and reuses, `words` (which
    /// must have been made for the same index).
    pub fn sharing(index: &'a Index, threshold: f32, top: usize, words: &WordCache) -> Matcher<'a> {
        Matcher {
            cache: Arc::clone(&words.similar),
            cross_cache: Arc::clone(&words.cross),
            ..Matcher::new(index, threshold, top)
        }
    }

    /// Score every candidate name of a prepared query.
    pub fn score_candidates(&self, q: &PreparedQuery) -> Vec<Scored> {
        self.candidate_scores(q).iter().map(Scored::from).collect()
    }

    /// Every candidate name of a prepared query, scored.
    fn candidate_scores<'q>(&self, q: &'q PreparedQuery) -> Vec<NameScore<'q>>
    where
        'a: 'q,
    {
        (self.index).fetch_names(q.candidates.iter().map(|c| c.name));
        q.candidates
            .iter()
            .map(|c| self.score_name(q, c.name, c.glued || c.forced))
            .collect()
    }

    /// Score every name in the index (brute force; for tests and benchmarks).
    pub fn score_all(&self, q: &PreparedQuery) -> Vec<Scored> {
        self.all_scores(q).iter().map(Scored::from).collect()
    }

    /// Every name in the index, scored.
    fn all_scores<'q>(&self, q: &'q PreparedQuery) -> Vec<NameScore<'q>>
    where
        'a: 'q,
    {
        (0..self.index.names.len() as u32)
            .map(|name| self.score_name(q, name, true))
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
        self.search_query(name, identifiers, &QueryFacts::default())
    }

    /// [`Matcher::search_with_identifiers`], and what the input says
    /// besides (country, date of birth, type): each fact that contradicts
    /// the listing lowers a hit's score by its rule's factor, and the
    /// explanation says which (`evidence.rs`).
    pub fn search_query(
        &self,
        name: &str,
        identifiers: &[Identifier],
        facts: &QueryFacts,
    ) -> Vec<Match> {
        let idx = self.index;
        let qs = self.prepare_parts(name);
        let mut scored = score_parts(&qs, |q| self.candidate_scores(q));
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
                if first < idx.name_start[e as usize + 1]
                    && !scored.iter().any(|s| s.alignment.name == first)
                {
                    scored.push(self.score_name(&qs[0], first, true));
                }
            }
        }
        self.collect(&qs, scored, &decided, facts)
    }

    /// Screen one name by scoring every listed name (slow; the reference for tests).
    pub fn search_brute_force(&self, name: &str) -> Vec<Match> {
        let full = Matcher {
            full_scan: true,
            ..self.clone()
        };
        let qs = full.prepare_parts(name);
        let scored = score_parts(&qs, |q| self.all_scores(q));
        self.collect(&qs, scored, &[], &QueryFacts::default())
    }

    /// Best name per group, threshold, order, top K; `decided` groups (an
    /// identifier matched) score 1 and pass whatever their names scored.
    fn collect(
        &self,
        qs: &[PreparedQuery],
        scored: Vec<NameScore>,
        decided: &[(u32, String)],
        facts: &QueryFacts,
    ) -> Vec<Match> {
        let idx = self.index;
        let facts = Facts::of(facts);
        let findings = |g: u32, s: &NameScore| facts.findings(idx, g, s);
        // Best name per group; ties go to the earlier name (deterministic).
        let mut best: Vec<(u32, NameScore, Vec<Finding>)> = Vec::new();
        let mut pos: HashMap<u32, usize> = HashMap::default();
        for mut s in scored {
            let g = idx.entity_group[s.alignment.listed().entity as usize];
            let forced = decided.iter().any(|(d, _)| *d == g);
            let found = if forced {
                s.score = 1.0;
                Vec::new()
            } else {
                // Factors only lower a score: a name below the threshold
                // stays below it.
                if s.score <= 0.0 || s.score < self.threshold {
                    continue;
                }
                let found = findings(g, &s);
                s.score *= found.iter().map(|f| f.factor).product::<f32>();
                if s.score <= 0.0 || s.score < self.threshold {
                    continue;
                }
                found
            };
            match pos.get(&g) {
                Some(&p) => {
                    let cur = &mut best[p];
                    if s.score > cur.1.score
                        || (s.score == cur.1.score && s.alignment.name < cur.1.alignment.name)
                    {
                        *cur = (g, s, found);
                    }
                }
                None => {
                    pos.insert(g, best.len());
                    best.push((g, s, found));
                }
            }
        }
        // Best score first; among equal scores, the party the input's facts
        // support more (a date of birth that agrees), then by id.
        let support = |f: &[Finding]| f.iter().filter(|f| f.factor >= 1.0).count();
        best.sort_by(|a, b| {
            b.1.score
                .total_cmp(&a.1.score)
                .then_with(|| support(&b.2).cmp(&support(&a.2)))
                .then_with(|| {
                    let ea = &idx.entities[idx.groups[a.0 as usize].members[0] as usize].id;
                    let eb = &idx.entities[idx.groups[b.0 as usize].members[0] as usize].id;
                    ea.cmp(eb)
                })
        });
        if self.top > 0 {
            best.truncate(self.top);
        }
        best.into_iter()
            .map(|(g, s, found)| {
                let n = s.alignment.listed();
                let mut explanation = Explanation::new(&s);
                if qs[s.part as usize].text != qs[0].text {
                    explanation.query_part = Some(qs[s.part as usize].text.clone());
                }
                explanation.identifier = decided
                    .iter()
                    .find(|(d, _)| *d == g)
                    .map(|(_, w)| w.clone());
                explanation.evidence = found.into_iter().map(|f| f.note).collect();
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
}
