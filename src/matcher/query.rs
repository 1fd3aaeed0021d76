//! A prepared query's values: its tokens as the matcher sees them, and the
//! candidate names found for it (what [`super::prepare`] builds and the
//! bound, the alignment and the scorer read).

use super::similarity::{Features, How, PART_OF_PHRASE, TokenFeatures};
use crate::features::{Histogram, whole_histogram, whole_length};
use crate::terms::{Class, Token};
use std::sync::Arc;

/// One query token as the matcher sees it.
#[derive(Debug, Clone)]
pub(super) struct QueryToken {
    pub(super) token: Token,
    /// Its letters and keys, as the token rules read them.
    pub(super) features: TokenFeatures,
    /// The token as folded before canonicalization (words joined).
    pub(super) raw: Box<str>,
    pub(super) weight: f32,
    /// Similar vocabulary tokens, sorted by id: (id, similarity, how).
    pub(super) similar: SimilarWords,
    /// The listed words that are many-word terms it is a word of
    /// ([`crate::terms::Terms::terms_with_word`]), by vocabulary id, sorted:
    /// it meets them as [`super::PART_OF_PHRASE`] where they are not among
    /// its similar words.
    pub(super) phrases: Vec<u32>,
    /// The listed legal forms and places it may meet misspelt or in part
    /// ([`super::Matcher::legal_or_place_forms`]): a word with any is a cross word.
    pub(super) places: Arc<[u32]>,
}

impl QueryToken {
    /// May it meet a listed legal form or place misspelt or in part?
    pub(super) fn cross(&self) -> bool {
        !self.places.is_empty()
    }

    /// Its features as the token rules read them.
    pub(super) fn features(&self) -> Features<'_> {
        self.features.view()
    }
}

/// A query analyzed against an index: tokens, weights and similar vocabulary.
#[derive(Debug, Clone)]
pub struct PreparedQuery {
    /// The query text (a whole name or one part of it).
    pub(super) text: String,
    /// Written in Arabic script?
    pub(super) arabic: bool,
    /// A personal name written in Han script, read only through its
    /// romanization ([`super::score::HAN_PERSONAL_NAME_FACTOR`])?
    pub(super) han_personal: bool,
    pub(super) tokens: Vec<QueryToken>,
    /// Names sharing something with the query that may reach the
    /// threshold ([`super::Matcher::cannot_reach_threshold`]), sorted.
    pub(super) candidates: Vec<Candidate>,
    /// How many names share something with the query.
    pub(super) reached: usize,
    /// How many postings entries the candidate search walked, by what walked them.
    pub(super) walked: Walked,
    /// Its length as [`super::whole_name_edits`] measures it ([`whole_length`]).
    pub(super) length: usize,
    /// Letter counts of its raw words joined ([`crate::index::whole_histogram`]).
    pub(super) whole_hist: Histogram,
    /// Every listed word similar to one of its words, sorted by id, with
    /// its best similarity to any of them (what a listed word must be for
    /// a query word to meet it, and the most that meeting can bring).
    pub(super) reachable: Vec<(u32, f32)>,
    /// The words that can meet a name only through their similar words
    /// ([`super::Matcher::cannot_reach_threshold`]): what each brings and
    /// costs at most and least. Set with the candidates.
    pub(super) bound_terms: Vec<BoundTerm>,
    /// Its words that may meet a listed legal form or place (misspelt or
    /// in part) besides their similar words: they meet a name only through
    /// those or its legal forms and places.
    pub(super) cross_terms: Vec<BoundTerm>,
    /// The weight of the query's other tokens (they may meet anything).
    pub(super) free_weight: f32,
    /// How many of those are words (each may meet one listed word of any
    /// that its similar words hold).
    pub(super) free_words: u32,
}

impl PreparedQuery {
    /// How many listed names share something with the query.
    pub fn reached(&self) -> usize {
        self.reached
    }

    /// How many of them may reach the threshold and are scored.
    pub fn scored(&self) -> usize {
        self.candidates.len()
    }

    /// How many postings entries the candidate search walked, by what walked them.
    pub fn walked(&self) -> Walked {
        self.walked
    }

    /// How many of those were reached through glued words.
    pub fn glued(&self) -> usize {
        self.candidates.iter().filter(|c| c.glued).count()
    }

    /// A query of these tokens, their similar words found; no candidates yet.
    pub(super) fn new(name: &str, arabic: bool, tokens: Vec<QueryToken>) -> PreparedQuery {
        let mut reachable: Vec<(u32, f32)> = tokens
            .iter()
            .filter(|t| t.token.class == Class::Word)
            .flat_map(|t| {
                let similar = t.similar.iter().map(|s| (s.0, s.1));
                similar.chain(t.phrases.iter().map(|&id| (id, PART_OF_PHRASE)))
            })
            .collect();
        // By id, the best similarity first; then one entry per id.
        reachable.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
        reachable.dedup_by_key(|r| r.0);
        let han = crate::normalize::han::romanizes(name);
        PreparedQuery {
            text: name.to_string(),
            arabic,
            han_personal: han && !crate::normalize::han::translates(name),
            length: whole_length(tokens.iter().map(|t| &t.raw[..])),
            whole_hist: whole_histogram(tokens.iter().map(|t| &t.raw[..])),
            reachable,
            bound_terms: Vec::new(),
            cross_terms: Vec::new(),
            free_weight: 0.0,
            free_words: 0,
            tokens,
            candidates: Vec::new(),
            reached: 0,
            walked: Walked::default(),
        }
    }
}

/// How many postings entries a candidate search walked (a name walked
/// twice counts twice), by what walked them: the benchmark's account of
/// where the cost of a name goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Walked {
    /// The postings of similar words (and many-word terms) not skipped.
    pub similar: usize,
    /// The skipped words' postings over the name lengths a whole-name typo allows.
    pub typo_band: usize,
    /// The names holding a legal form or place a query word may meet.
    pub places: usize,
    /// The names reached through glued words (and Arabic keys).
    pub glued: usize,
    /// The names of a query of legal forms and particles only.
    pub forced: usize,
    /// The skipped words' postings scanned for the names reached.
    pub scanned: usize,
    /// The names reached that were ruled out by which words reach them,
    /// without reading them.
    pub ruled_unread: usize,
    /// The names reached whose sketches were read (to rule them out or score them).
    pub read: usize,
    /// The typo band's names whose letters allow a typo (their sketches read).
    pub typo_letters: usize,
    /// The names read because they must be read (a typo, glued words, a place).
    pub read_bit: usize,
}

impl std::ops::AddAssign for Walked {
    fn add_assign(&mut self, w: Walked) {
        self.similar += w.similar;
        self.typo_band += w.typo_band;
        self.places += w.places;
        self.glued += w.glued;
        self.forced += w.forced;
        self.scanned += w.scanned;
        self.ruled_unread += w.ruled_unread;
        self.read += w.read;
        self.typo_letters += w.typo_letters;
        self.read_bit += w.read_bit;
    }
}

/// A name that shares something with a query, and which of the query's
/// bound words ([`PreparedQuery::bound_terms`]) reach it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Candidate {
    pub(super) name: u32,
    /// The bound words that reach it, by similar words or glued, as bits.
    pub(super) words: u64,
    /// The query's cross terms ([`PreparedQuery::cross_terms`]) that reach it so, as bits.
    pub(super) cross: u64,
    /// Reached through glued words (one word on one side, two on the
    /// other): they may glue, and meet at most exactly.
    pub(super) glued: bool,
    /// Reached by a query of legal forms and particles only, through one
    /// of its tokens: scored with glued words allowed, and bounded like
    /// any other name ([`super::Matcher::cannot_reach_threshold`]).
    pub(super) forced: bool,
}

/// A bound query word as the candidate bound reads it: for a listed
/// person's name (`[0]`) and another (`[1]`), what it costs at least when
/// it reaches the name and when it does not, and what it brings at most.
#[derive(Debug, Clone, Copy)]
pub(super) struct BoundTerm {
    /// Its reach bit.
    pub(super) bit: u64,
    /// Its weight.
    pub(super) weight: f32,
    /// Its best similarity to any listed word.
    pub(super) similarity: f32,
    /// Its best similarity to any listed word (its similar words') times its weight.
    pub(super) brings: f32,
    /// At least what it costs reaching the name: the smaller of `1 - s`
    /// and its cheapest unmatched rate, times its weight.
    pub(super) costs_met: [f32; 2],
    /// What it costs not reaching the name: its cheapest unmatched rate times its weight.
    pub(super) costs_unmet: [f32; 2],
    /// Its cheapest unmatched rate (a share of its weight).
    pub(super) least: [f32; 2],
}

/// Similar listed words of one query word (see [`super::Matcher::similar_words`]).
pub(super) type SimilarWords = Arc<[(u32, f32, How)]>;
