//! Scoring one listed name against a prepared query, in named steps that
//! pass values: the [`Alignment`], what its pairs bring ([`CostModel`]),
//! what the words left over cost (people's middle names and further names,
//! an organization's dropped word), a whole-name typo, the weak-alias rule.
//!
//! The score is `matched / total`: `matched` sums each pair's similarity
//! times its weight, `total` the query's weights and the listed name's
//! scaled by [`CostModel::listed`], less what cheaper rules forgive.

use super::Matcher;
use super::align::{AlignedPair, Alignment};
use super::query::PreparedQuery;
use super::similarity::{
    ArabicSide, EQUAL, Features, How, TokenPair, lone_vowels_dropped, without_vowels_dropped,
};
use super::whole::{WHOLE_TYPO_SCORE, may_be_whole_typo, whole_name_edits};
use crate::index::Index;
use crate::model::NameKind;
use crate::terms::{Class, NASAB_LINKS};

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

/// A listed person's name of this many words or more, every one found in
/// the query, is a whole name: the query's extra words after the last found
/// one continue it (a longer name chain, `Ramzi Mohamed Abdellah Omar
/// Hassan ALASSIRI` for `OMAR, Ramzi Mohammed Abdellah`) and cost
/// [`PERSON_MIDDLE_FACTOR`] too. A shorter name so continued may be another
/// person's (`John Henry KETCHAM` for `John Henry`).
pub const PERSON_CHAIN_WORDS: usize = 4;

/// When every word of the query is found in a listed person's name, the
/// listed name's other words (further given names, a nasab) cost this
/// share of their weight (`Kamel HAMRAOUI` for `HAMRAOUI, Kamel Ben Mouldi
/// Ben Hassan`).
pub const PERSON_MISSING_FACTOR: f32 = 0.1;

/// A weak alias counts only at or above this raw score.
pub const WEAK_MIN: f32 = 0.90;

/// A weak alias's score is multiplied by this.
pub const WEAK_FACTOR: f32 = 0.95;

/// A listed organization's one word that a query leaves out, all its other
/// words present and in order, costs this share of its weight (not
/// [`LISTED_FACTOR`]).
pub const DROPPED_WORD_FACTOR: f32 = 0.2;

/// A name met by one word alone, not exactly, scores at most that word's
/// similarity less this (the scorer's single-word rule, `single_word_rule`).
pub const SINGLE_WORD_MARGIN: f32 = 0.04;

/// A word of this many letters or more carries a name alone
/// (the scorer's single-word rule, `single_word_rule`).
pub const SINGLE_WORD_LONG: usize = 9;

/// A cut-off word alone keeps at least this many letters
/// (the scorer's single-word rule, `single_word_rule`).
pub const SINGLE_PREFIX_MIN: usize = 4;

/// Does a word look like an East Slavic or Turkic patronymic (`Georgievich`,
/// `Sergiyovych`, `Leanidavich`, `Anatolevna`, `Aliyev ogly`)? Such a word is a middle
/// name wherever it stands (`POPOV Evgeny Georgievich`).
///
/// ```
/// use sanctions::matcher::is_patronymic;
/// assert!(is_patronymic("georgievich") && is_patronymic("anatolevna") && is_patronymic("ogly"));
/// assert!(is_patronymic("leanidavich") && is_patronymic("leanidauna")); // Belarusian
/// assert!(!is_patronymic("popov") && !is_patronymic("ivanova"));
/// ```
pub fn is_patronymic(word: &str) -> bool {
    // Russian, Ukrainian, Belarusian (`-avich`, `-auna`) and Turkic.
    const SUFFIXES: [&str; 13] = [
        "ovich", "evich", "ovych", "evych", "ovna", "evna", "ivna", "ichna", "inichna", "yich",
        "ogly", "avich", "auna",
    ];
    word.len() >= 6 && SUFFIXES.iter().any(|s| word.ends_with(s))
        || matches!(word, "ogly" | "oglu" | "kyzy" | "qizi" | "gizi")
}

/// A score this close to 1 is 1: sums in a different order differ in the
/// last bits, and a full match must score 1.
const FULL_MATCH_SLACK: f32 = 1e-5;

/// What words cost: the shares of their weights that a score counts, for
/// people's names or other names. The scorer and the candidate bound
/// ([`Matcher::cannot_reach_threshold`]) both read them here.
#[derive(Debug, Clone, Copy)]
pub(super) struct CostModel {
    /// Is the listed name a person's?
    pub(super) person: bool,
    /// The share of a listed word's weight that counts ([`LISTED_FACTOR`],
    /// people's [`LISTED_FACTOR_PERSON`]).
    pub(super) listed: f32,
    /// The least share of its weight an unmatched query word can cost
    /// (people's middle names [`PERSON_MIDDLE_FACTOR`], else
    /// [`QUERY_EXTRA_FACTOR`]).
    pub(super) query_least: f32,
    /// The least share of its scaled weight's base an unmatched listed word
    /// can cost (people's further names [`PERSON_MISSING_FACTOR`], an
    /// organization's dropped word [`DROPPED_WORD_FACTOR`]).
    pub(super) listed_least: f32,
}

impl CostModel {
    /// The costs for a person's name or another.
    pub(super) fn new(person: bool) -> CostModel {
        if person {
            CostModel {
                person,
                listed: LISTED_FACTOR_PERSON,
                query_least: PERSON_MIDDLE_FACTOR,
                listed_least: PERSON_MISSING_FACTOR,
            }
        } else {
            CostModel {
                person,
                listed: LISTED_FACTOR,
                query_least: QUERY_EXTRA_FACTOR,
                listed_least: DROPPED_WORD_FACTOR,
            }
        }
    }

    /// The least share of its weight query token `i` of `n`, whose text
    /// is `text`, can cost unmatched: a person's middle name lies between
    /// two met tokens or is a patronymic, so the first and the last token
    /// cost [`QUERY_EXTRA_FACTOR`] unless they are patronymics, or the last
    /// may follow a long listed name found whole ([`PERSON_CHAIN_WORDS`]
    /// words, so a query of one more).
    pub(super) fn query_least_of(&self, text: &str, i: usize, n: usize) -> f32 {
        let last = i + 1 == n && n <= PERSON_CHAIN_WORDS;
        if self.person && (i == 0 || last) && !is_patronymic(text) {
            QUERY_EXTRA_FACTOR
        } else {
            self.query_least
        }
    }

    /// The costs for listed name `name` of an index.
    fn of_name(index: &Index, name: u32) -> CostModel {
        CostModel::new(index.sketches[name as usize].person)
    }

    /// The denominator before any word is matched: every query word's
    /// weight and every listed word's scaled weight.
    fn full_total(&self, q: &PreparedQuery, index: &Index, name: u32) -> f32 {
        let wq: f32 = q.tokens.iter().map(|t| t.weight).sum();
        let wl: f32 = (index.names[name as usize].tokens().iter())
            .map(|&t| index.vocab[t as usize].weight)
            .sum();
        wq + self.listed * wl
    }

    /// A listed token's scaled weight.
    fn listed_weight(&self, a: &Alignment, j: usize) -> f32 {
        self.listed * a.listed_token(j).weight
    }

    /// What a pair weighs in the numerator, and how much less its query
    /// word weighs than an unknown word (a misspelt place or legal form
    /// weighs what the word it stands for weighs).
    fn pair_weight(&self, a: &Alignment, p: &AlignedPair) -> (f32, f32) {
        let q = a.query;
        let ((i, qn), (j, ln)) = (p.query, p.listed);
        if ln >= 2 {
            // Glued words, or an acronym's words.
            let listed: f32 = (j..j + ln).map(|k| self.listed_weight(a, k)).sum();
            return (q.tokens[i].weight + listed, 0.0);
        }
        if qn == 2 {
            return (
                q.tokens[i].weight + q.tokens[i + 1].weight + self.listed_weight(a, j),
                0.0,
            );
        }
        let v = a.listed_token(j);
        let wq = q.tokens[i].weight;
        if p.how == How::Initial {
            // An initial stands for a word but says less: the pair counts the
            // smaller of the two weights on both sides (`A.` is not `ATEF`).
            let m = wq.min(v.weight);
            (m + self.listed * m, 0.0)
        } else if v.class != Class::Word && q.tokens[i].token.class == Class::Word {
            let w = wq.min(v.weight);
            (w + self.listed_weight(a, j), wq - w)
        } else {
            (wq + self.listed_weight(a, j), 0.0)
        }
    }

    /// What the pairs bring (the numerator), and how much the query's
    /// misspelt places and legal forms weigh less than they were counted.
    fn matched(&self, a: &Alignment) -> (f32, f32) {
        let mut matched = 0.0f32;
        let mut reweighted = 0.0f32;
        for p in &a.pairs {
            let (w, less) = self.pair_weight(a, p);
            matched += p.similarity * w;
            reweighted += less;
        }
        (matched, reweighted)
    }

    /// The denominator: the full total less what unmatched words are
    /// forgiven. Unmatched query words cost [`QUERY_EXTRA_FACTOR`] of
    /// their weight, a person's middle names less, and so on.
    fn total(&self, a: &Alignment, full: f32, reweighted: f32, elsewhere: &[bool]) -> f32 {
        let unmatched_q: f32 = a.unmatched_query().map(|i| a.query.tokens[i].weight).sum();
        let mut total = full - reweighted - (1.0 - QUERY_EXTRA_FACTOR) * unmatched_q;
        let chain = self.person && nasab_chain(a);
        if let Some(inner) = self.middle_names(a, elsewhere, chain) {
            total -= (QUERY_EXTRA_FACTOR - PERSON_MIDDLE_FACTOR) * inner;
        }
        if let Some(w) = self.dropped_word(a) {
            total -= (self.listed - DROPPED_WORD_FACTOR) * w;
        }
        if let Some(missing) = self.further_names(a, elsewhere, chain) {
            total -= (self.listed - PERSON_MISSING_FACTOR) * missing;
        }
        total
    }

    /// The weight of a listed person's query's extra words that cost
    /// [`PERSON_MIDDLE_FACTOR`]: when every word of the listed name is
    /// found, those between the first and last found ones (after the
    /// first, when the listed name has [`PERSON_CHAIN_WORDS`] words), and
    /// its patronymics wherever they stand; and whatever else is found,
    /// the words between the first and last found ones that another name
    /// of the party has (`elsewhere`, [`found_in_other_names`]); and
    /// beside a nasab both names share (`chain`, [`nasab_chain`]), every
    /// word the candidate bound prices so low.
    fn middle_names(&self, a: &Alignment, elsewhere: &[bool], chain: bool) -> Option<f32> {
        let all_listed = a.listed_words_met();
        if !(self.person && (all_listed || chain || elsewhere.contains(&true))) {
            return None;
        }
        let used = &a.query_used;
        let qn = used.len();
        let first = (0..qn).find(|&i| used[i]).unwrap_or(0);
        let last = (0..qn).rev().find(|&i| used[i]).unwrap_or(0);
        let listed_words = (0..a.listed_used.len())
            .filter(|&j| a.listed_token(j).class == Class::Word)
            .count();
        let chain = listed_words >= PERSON_CHAIN_WORDS && qn > PERSON_CHAIN_WORDS;
        let inner: f32 = a
            .unmatched_query()
            .filter(|&i| {
                let text = &a.query.tokens[i].token.text;
                let middle =
                    all_listed && ((first < i && (i < last || chain)) || is_patronymic(text));
                // Strictly inside: the candidate bound prices no first or
                // last word of a short query this low.
                let by_chain = chain && self.query_least_of(text, i, qn) <= PERSON_MIDDLE_FACTOR;
                middle || by_chain || (elsewhere.get(i) == Some(&true) && first < i && i < last)
            })
            .map(|i| a.query.tokens[i].weight)
            .sum();
        Some(inner)
    }

    /// A name written with one of its inner words left out, the rest as
    /// listed and in order (`SIERRA TRADING LIMITED` for `SIERRA VISTA
    /// TRADING LIMITED`), misses that word less than a name with other
    /// words; the query must keep two words of its own (`TARGET CORP` is
    /// not `TARGET TRANSPORTATION LIMITED`). The word's weight.
    fn dropped_word(&self, a: &Alignment) -> Option<f32> {
        /// The fewest query tokens for the rule.
        const MIN_QUERY: usize = 3;
        /// The fewest listed tokens for the rule.
        const MIN_LISTED: usize = 4;
        let (qn, ln) = (a.query_used.len(), a.listed_used.len());
        let all_q = a.query_used.iter().all(|&u| u);
        if self.person || !all_q || qn < MIN_QUERY || ln < MIN_LISTED {
            return None;
        }
        let unused: Vec<usize> = a.unmatched_listed().collect();
        let words = a
            .query
            .tokens
            .iter()
            .filter(|t| t.token.class == Class::Word)
            .count();
        match unused[..] {
            [j] if 0 < j
                && j + 1 < ln
                && words >= 1
                && a.listed_token(j).class == Class::Word
                && a.in_order() =>
            {
                Some(a.listed_token(j).weight)
            }
            _ => None,
        }
    }

    /// When every word of the query is found in a listed person's name,
    /// or all but those that another name of the party has (`elsewhere`,
    /// [`found_in_other_names`]) beside two found in this one, or when both
    /// names share a nasab (`chain`, [`nasab_chain`]): the weight of the
    /// listed name's other words.
    fn further_names(&self, a: &Alignment, elsewhere: &[bool], chain: bool) -> Option<f32> {
        if !self.person {
            return None;
        }
        let words =
            || (0..a.query_used.len()).filter(|&i| a.query.tokens[i].token.class == Class::Word);
        let across = || {
            elsewhere.contains(&true)
                && words().filter(|&i| a.query_used[i]).count() >= 2
                && words().all(|i| a.query_used[i] || elsewhere[i])
        };
        if !(chain || a.query_words_met() || across()) {
            return None;
        }
        Some(a.unmatched_listed().map(|j| a.listed_token(j).weight).sum())
    }
}

/// The fewest names a nasab shared by the query and a listed person's name
/// holds (rule `nasab_chain`, [`nasab_chain`]).
pub const NASAB_CHAIN_NAMES: usize = 3;

/// Rule `nasab_chain`: do the query and the listed person's name share a
/// nasab, [`NASAB_CHAIN_NAMES`] names or more met closely (at
/// [`OTHER_NAME_MIN`]) in the same order, each linked to the next on both
/// sides by particles only, one of them `bin`, `ben`, `ould`...
/// (`Adel Ben Al-Azhar Ben Youssef`)? A man, his father and his
/// grandfather named alike are one person written by two authorities with
/// different family names (`... HAMDI` for `BEN SOLTANE, ...`): the
/// listing's other words then cost as further names, and the query's as
/// middle names wherever the candidate bound prices them so.
fn nasab_chain(a: &Alignment) -> bool {
    let q = a.query;
    let particle = |class: Class, text: &str| class == Class::Stop && text == "al";
    let link = |raw: &str| NASAB_LINKS.contains(&raw);
    // A chain is three names and two links met at least; most queries
    // have no link at all: nothing to gather.
    if a.pairs.len() < 2 * NASAB_CHAIN_NAMES - 1 || !q.tokens.iter().any(|t| link(&t.raw)) {
        return false;
    }
    let n = a.listed();
    let linked = |x: (usize, usize), y: (usize, usize)| {
        let (qs, ls) = (x.0 + 1..y.0, x.1 + 1..y.1);
        !qs.is_empty()
            && !ls.is_empty()
            && qs
                .clone()
                .all(|i| particle(q.tokens[i].token.class, &q.tokens[i].token.text))
            && ls
                .clone()
                .all(|j| particle(a.listed_token(j).class, &a.listed_token(j).text))
            && qs.clone().any(|i| link(&q.tokens[i].raw))
            && ls.clone().any(|j| link(a.index.raw(n.raw()[j])))
    };
    let mut met: Vec<(usize, usize)> = (a.pairs.iter())
        .filter(|p| {
            p.query.1 == 1
                && p.listed.1 == 1
                && p.similarity >= OTHER_NAME_MIN
                && q.tokens[p.query.0].token.class == Class::Word
                && a.listed_token(p.listed.0).class == Class::Word
        })
        .map(|p| (p.query.0, p.listed.0))
        .collect();
    met.sort_unstable();
    let mut run = 1;
    for w in met.windows(2) {
        run = if linked(w[0], w[1]) { run + 1 } else { 1 };
        if run >= NASAB_CHAIN_NAMES {
            return true;
        }
    }
    false
}

/// How alike a query word a listed person's name lacks must be to a word of
/// another name of the same party for rule `words_across_names`
/// ([`found_in_other_names`]): the same word, the same name in another form,
/// or the same Arabic-script consonants.
pub const OTHER_NAME_MIN: f32 = 0.95;

/// Rule `words_across_names`: which of the query's words that a listed
/// person's name lacks another strong name of the same party has (at
/// [`OTHER_NAME_MIN`] or closer). Authorities write one person with words of
/// several of the names another lists (`Kaskar Dawood Hasan` for `KASKAR,
/// Dawood Ibrahim` a.k.a. `HASSAN, Dawood`): such a word is no stranger's.
/// It costs as a middle name between found words, and when it and the words
/// found leave no query word unexplained, the listed name's other words
/// cost as further names ([`PERSON_MISSING_FACTOR`]). Both costs are the
/// least the candidate bound already allows such words, so the bound holds.
/// Empty for an organization's name, for a name that meets fewer than two of
/// the query's words (neither cost applies), or when no word is unmatched.
pub(super) fn found_in_other_names(a: &Alignment, person: bool) -> Vec<bool> {
    let (q, idx) = (a.query, a.index);
    let e = a.listed().entity as usize;
    let names = idx.name_start[e]..idx.name_start[e + 1];
    if !person || names.len() < 2 || a.pairs.len() < 2 {
        return Vec::new();
    }
    // Both of the rule's costs need two of the query's words met here.
    let met = (q.tokens.iter().zip(&a.query_used))
        .filter(|&(t, &used)| used && t.token.class == Class::Word)
        .count();
    if met < 2 {
        return Vec::new();
    }
    let unmatched: Vec<usize> = a
        .unmatched_query()
        .filter(|&i| q.tokens[i].token.class == Class::Word)
        .collect();
    if unmatched.is_empty() {
        return Vec::new();
    }
    let others = names.filter(|&n| n != a.name && idx.names[n as usize].kind != NameKind::Weak);
    let mut out = vec![false; q.tokens.len()];
    for n in others {
        let tokens = idx.names[n as usize].tokens();
        for &t in tokens {
            for &i in &unmatched {
                let similar = &q.tokens[i].similar;
                if let Ok(p) = similar.binary_search_by_key(&t, |s| s.0) {
                    out[i] |= similar[p].1 >= OTHER_NAME_MIN;
                }
            }
        }
        // Two words there glued (`Abdal-Rahman` for `عبد الرحمن`).
        for j in 0..tokens.len().saturating_sub(1) {
            if unmatched.iter().all(|&i| out[i]) {
                break;
            }
            a.mark_glued_in(&unmatched, &mut out, (n, j), OTHER_NAME_MIN);
        }
    }
    if out.contains(&true) { out } else { Vec::new() }
}

/// `matched / total` in `[0, 1]`, 1 when within [`FULL_MATCH_SLACK`] of it.
fn ratio(matched: f32, total: f32) -> f32 {
    let raw = if total > 0.0 {
        (matched / total).clamp(0.0, 1.0)
    } else {
        0.0
    };
    if raw > 1.0 - FULL_MATCH_SLACK {
        EQUAL
    } else {
        raw
    }
}

/// A name met by one word alone (legal forms aside), not exactly, and
/// shorter than [`SINGLE_WORD_LONG`] letters: that word is all the
/// evidence, and the shorter a word the more other words lie a letter or
/// two off it, so the name scores at most the word's similarity less
/// [`SINGLE_WORD_MARGIN`] (`VISA INC` / `VISTA` is one word a letter off,
/// not a name 0.85 alike). A cut-off word alone must keep
/// [`SINGLE_PREFIX_MIN`] letters (`CAN` begins too many words to stand for
/// `CANAL SA`). A whole name a few letters off is judged after, as a whole
/// ([`whole_name_typo`]).
fn single_word_rule(a: &Alignment, raw: f32) -> f32 {
    let mut words = a.pairs.iter().filter(|p| {
        let ((i, qn), (j, ln)) = (p.query, p.listed);
        qn > 1
            || ln > 1
            || (a.query.tokens[i].token.class == Class::Word
                && a.listed_token(j).class == Class::Word)
    });
    let (Some(p), None) = (words.next(), words.next()) else {
        return raw;
    };
    let ((i, qn), (j, ln)) = (p.query, p.listed);
    if p.similarity >= EQUAL || qn > 1 || ln > 1 {
        return raw;
    }
    let (q, l) = (
        a.query.tokens[i].token.text.chars().count(),
        a.listed_token(j).text.chars().count(),
    );
    if p.how == How::Prefix && q < SINGLE_PREFIX_MIN {
        0.0
    } else if q.min(l) < SINGLE_WORD_LONG {
        raw.min(p.similarity - SINGLE_WORD_MARGIN)
    } else {
        raw
    }
}

/// A person's name written with initials that agree with the listed given
/// names, in their order, every other word the same (`J. R. Smith` for
/// `John Robert Smith`, `Ahmed M. Ali` for `Ahmed Mohammed ALI`), scores
/// at least this: an initial alone says little (`INITIAL_SIM`), but
/// initials that stand for all the listed given names, beside a surname
/// that agrees, are how a name is often written.
pub const INITIALS_AGREE_SCORE: f32 = 0.88;

/// The fewest words (initials included) a name needs for
/// [`INITIALS_AGREE_SCORE`]: `J. Smith` alone is any John or James Smith.
pub const INITIALS_AGREE_WORDS: usize = 3;

/// May a query be a name written with initials ([`INITIALS_AGREE_SCORE`])?
/// It has a one-letter word and [`INITIALS_AGREE_WORDS`] words. The
/// candidate bound asks this, so it never rules out a name the rule may raise.
pub(super) fn may_have_agreeing_initials(q: &PreparedQuery) -> bool {
    let words = || q.tokens.iter().filter(|t| t.token.class == Class::Word);
    words().count() >= INITIALS_AGREE_WORDS && words().any(|t| t.token.text.chars().count() == 1)
}

/// [`INITIALS_AGREE_SCORE`] for a listed person's name whose every word,
/// and every word of the query, met: the query's initials met listed words
/// in the same order, its other words met theirs exactly (or as the same
/// name in another form).
fn initials_rule(a: &Alignment, person: bool, raw: f32) -> f32 {
    if !person || raw >= INITIALS_AGREE_SCORE || !may_have_agreeing_initials(a.query) {
        return raw;
    }
    if !(a.query_words_met() && a.listed_words_met()) {
        return raw;
    }
    let is_word = |p: &AlignedPair| {
        a.query.tokens[p.query.0].token.class == Class::Word
            && a.listed_token(p.listed.0).class == Class::Word
    };
    let mut initials: Vec<(usize, usize)> = Vec::new();
    for p in a.pairs.iter().filter(|p| is_word(p)) {
        let initial = p.how == How::Initial
            && p.query.1 == 1
            && p.listed.1 == 1
            && a.query.tokens[p.query.0].token.text.chars().count() == 1;
        if initial {
            initials.push((p.query.0, p.listed.0));
        } else if p.similarity < EQUAL {
            return raw;
        }
    }
    initials.sort_unstable();
    let in_order = initials.windows(2).all(|w| w[0].1 < w[1].1);
    if initials.is_empty() || !in_order {
        raw
    } else {
        INITIALS_AGREE_SCORE
    }
}

/// A personal name written in Han script (`秀兰 李`) meets a listed name
/// only through its romanization, which loses the characters: one syllable
/// reads dozens of them (`伟`, `维`, `威` are all `wei`), and Chinese names
/// are few and short. It keeps this share of its score: a namesake in
/// pinyin (`伟 王` for `WANG Wei`) still reaches the default threshold, a
/// name that meets a listed one only in part does not. A company's name,
/// whose words are translated ([`crate::normalize::han::translates`]),
/// keeps its score.
pub const HAN_PERSONAL_NAME_FACTOR: f32 = 0.88;

/// [`HAN_PERSONAL_NAME_FACTOR`] for a Han-script personal name.
fn han_personal_name_rule(han_personal: bool, score: f32) -> f32 {
    if han_personal {
        score * HAN_PERSONAL_NAME_FACTOR
    } else {
        score
    }
}

/// A weak alias only counts at or above [`WEAK_MIN`], discounted.
fn weak_alias_rule(kind: NameKind, raw: f32) -> f32 {
    match kind {
        NameKind::Weak if raw >= WEAK_MIN => raw * WEAK_FACTOR,
        NameKind::Weak => 0.0,
        _ => raw,
    }
}

/// A listed name scored against a query: how they align and what that
/// scored.
#[derive(Debug, Clone)]
pub(super) struct NameScore<'q> {
    /// Which tokens met which.
    pub(super) alignment: Alignment<'q>,
    /// The score before the weak-alias rule.
    pub(super) raw: f32,
    /// When the name as written is a few letters off the listed name and
    /// that scored more than its words did: the number of letters changed.
    pub(super) whole_edits: Option<usize>,
    /// The final score.
    pub(super) score: f32,
    /// Which part of the query scored it ([`crate::normalize::name_parts`]; 0 = the whole).
    pub(super) part: u32,
    /// Which query tokens the name lacks and another name of the party has
    /// ([`found_in_other_names`]); empty when none.
    pub(super) elsewhere: Vec<bool>,
}

impl<'a> Matcher<'a> {
    /// Score one listed name against a prepared query. `may_glue` is false
    /// only for a candidate the search reached through no glued words
    /// ([`super::query::Candidate::glued`]): every pair of words that may
    /// glue reaches its names, so gluing is not tried.
    pub(super) fn score_name<'q>(
        &self,
        q: &'q PreparedQuery,
        name: u32,
        may_glue: bool,
    ) -> NameScore<'q>
    where
        'a: 'q,
    {
        let idx: &'q Index = self.index;
        let cost = CostModel::of_name(idx, name);
        let full = cost.full_total(q, idx, name);
        if q.tokens.is_empty() || idx.names[name as usize].tokens().is_empty() || full <= 0.0 {
            return NameScore {
                alignment: Alignment::empty(q, idx, name),
                raw: 0.0,
                whole_edits: None,
                score: 0.0,
                part: 0,
                elsewhere: Vec::new(),
            };
        }
        let mut alignment = Alignment::new(q, idx, name, may_glue);
        drop_lone_vowels_dropped(&mut alignment);
        let (matched, reweighted) = cost.matched(&alignment);
        let elsewhere = found_in_other_names(&alignment, cost.person);
        let raw = ratio(
            matched,
            cost.total(&alignment, full, reweighted, &elsewhere),
        );
        let raw = single_word_rule(&alignment, raw);
        let raw = initials_rule(&alignment, cost.person, raw);
        let whole_edits = whole_name_typo(&alignment, raw);
        let raw = if whole_edits.is_some() {
            WHOLE_TYPO_SCORE
        } else {
            raw
        };
        NameScore {
            score: han_personal_name_rule(
                q.han_personal,
                weak_alias_rule(alignment.listed().kind, raw),
            ),
            alignment,
            raw,
            whole_edits,
            part: 0,
            elsewhere,
        }
    }
}

/// A query word that meets a listed word only by dropped vowels
/// ([`without_vowels_dropped`]) is a disguise only beside another word of
/// the name met by its consonants, in order (`CNO CRR, Jhn Edlbr`): alone
/// (`SLM` against `SALMI`) the pair meets as the other rules say, or not at
/// all, as before the rule.
fn drop_lone_vowels_dropped(a: &mut Alignment) {
    let single = |p: &AlignedPair| p.query.1 == 1 && p.listed.1 == 1;
    let fallback = |a: &Alignment, p: &AlignedPair| {
        let (q, v) = (&a.query.tokens[p.query.0], a.listed_token(p.listed.0));
        let arabic = a.query.arabic || a.listed().arabic;
        let pair = TokenPair::new(
            q.features(),
            Features::of_vocab(v),
            p.query.0 + 1 == a.query.tokens.len(),
            arabic || v.arabic,
        )
        .with_arabic_side(ArabicSide::of(a.query.arabic, v.arabic));
        without_vowels_dropped(&pair)
    };
    // Each pair met by consonants: its query and listed tokens, and what
    // it meets by without dropped vowels (when those decided).
    type Met = (usize, usize, Option<(f32, How)>);
    let skeleton: Vec<Met> = (a.pairs.iter())
        .filter(|p| {
            // A vowel-less legal form or place weighs little: it does not
            // keep a short word company (`SLM CRPRTN`).
            p.how == How::Skeleton && single(p) && a.listed_token(p.listed.0).class == Class::Word
        })
        .map(|p| (p.query.0, p.listed.0, fallback(a, p)))
        .collect();
    if skeleton.iter().all(|s| s.2.is_none())
        || !lone_vowels_dropped(skeleton.iter().map(|s| (s.0, s.1)).collect())
    {
        return;
    }
    for (qi, lj, back) in skeleton {
        let Some((similarity, how)) = back else {
            continue;
        };
        if similarity > 0.0 {
            for p in a.pairs.iter_mut().filter(|p| p.query == (qi, 1)) {
                p.similarity = similarity;
                p.how = how;
            }
        } else {
            a.query_used[qi] = false;
            a.listed_used[lj] = false;
            a.pairs.retain(|p| p.query != (qi, 1));
        }
    }
}

/// A whole-name typo ([`whole_name_edits`]) for a name whose words scored
/// less than [`WHOLE_TYPO_SCORE`]: the number of edits. It counts for a
/// name that shares a similar word (or a glued pair) with the query, as the
/// candidate search finds only such names: a name of other words a few
/// letters off is another name (`HOMA SHIPPING` is not `HIRMAND SHIPPING`).
fn whole_name_typo(a: &Alignment, raw: f32) -> Option<usize> {
    let (q, n) = (a.query, a.listed());
    let sketch = &a.index.sketches[a.name as usize];
    if raw >= WHOLE_TYPO_SCORE || !may_be_whole_typo(q, sketch.length as usize, &sketch.whole_hist)
    {
        return None;
    }
    let shares_word = || {
        a.pairs.iter().any(|p| p.how == How::Glued)
            || q.tokens.iter().any(|t| {
                t.token.class == Class::Word
                    && n.tokens()
                        .iter()
                        .any(|id| t.similar.binary_search_by_key(id, |s| s.0).is_ok())
            })
    };
    whole_name_edits(
        q.tokens.iter().map(|t| &t.raw[..]),
        n.raw().iter().map(|&r| a.index.raw(r)),
    )
    .filter(|_| shares_word())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_cost_less_for_missing_words_than_organizations() {
        let (person, org) = (CostModel::new(true), CostModel::new(false));
        assert!(person.listed < org.listed);
        assert!(person.query_least < org.query_least);
        assert!(person.listed_least <= org.listed_least);
    }

    #[test]
    fn a_ratio_lies_in_zero_one_and_a_near_full_match_is_one() {
        assert_eq!(ratio(1.0, 0.0), 0.0);
        assert_eq!(ratio(2.0, 1.0), 1.0);
        assert_eq!(ratio(0.999_999, 1.0), 1.0);
        assert_eq!(ratio(0.5, 1.0), 0.5);
    }

    /// The best score of `q` against an index of these listed persons.
    fn best(listed: &[&str], q: &str) -> f32 {
        let persons = (listed.iter().enumerate())
            .map(|(i, n)| crate::matcher::tests::person(&format!("p:{i}"), n));
        best_among(persons, q)
    }

    /// The best score of `q` against an index of these entities.
    fn best_among(listed: impl Iterator<Item = crate::model::Entity>, q: &str) -> f32 {
        let mut b = crate::index::IndexBuilder::new();
        b.extend(listed);
        let idx = b.build();
        Matcher::new(&idx, 0.0, 1)
            .search(q)
            .first()
            .map_or(0.0, |m| m.score)
    }

    #[test]
    fn several_words_without_their_vowels_are_a_disguise_whatever_their_lengths() {
        let listed = ["CANO CORREA, Jhon Eidelber", "SALMI, Ahmed"];
        for q in ["CNO CRR, Jhn Edlbr", "Jhn Edlbr CNO CRR", "CANO CRR, Jhn"] {
            let s = best(&listed, q);
            assert!(s >= super::super::DEFAULT_THRESHOLD, "{q}: {s}");
        }
    }

    /// The best score of `q` against an index of these listed organizations.
    fn best_org(listed: &[&str], q: &str) -> f32 {
        let orgs = (listed.iter().enumerate()).map(|(i, n)| {
            crate::matcher::tests::entity(&format!("o:{i}"), &[(n, NameKind::Primary)])
        });
        best_among(orgs, q)
    }

    /// Rule `acronym_of_listed_words`.
    #[test]
    fn an_acronym_in_capitals_stands_for_the_words_of_an_organization() {
        let listed = [
            "PUBLIC JOINT STOCK COMPANY ARZAMASSKOE NAUCHNO PROIZVODSTVENNOE PREDPRIYATIE TEMP-AVIA",
            "MOSCOW STATE TECHNICAL UNIVERSITY NAMED AFTER NE BAUMAN",
        ];
        for q in [
            "ANPP TEMP AVIA JSC",
            "MSTU NAMED AFTER N.E. BAUMAN",
            "A.N.P.P. Temp Avia",
        ] {
            let s = best_org(&listed, q);
            assert!((0.9..1.0).contains(&s), "{q}: {s}");
        }
        // A word, not capitals; a letter too few or wrong; a person.
        for q in ["Anpp Temp Avia", "ANP TEMP AVIA", "APNP TEMP AVIA"] {
            let s = best_org(&listed, q);
            assert!(s < super::super::DEFAULT_THRESHOLD, "{q}: {s}");
        }
        let s = best(
            &["ARZAMASSKOE NAUCHNO PROIZVODSTVENNOE PREDPRIYATIE TEMP"],
            "ANPP TEMP",
        );
        assert!(s < super::super::DEFAULT_THRESHOLD, "{s}");
        // Words the query has are its words, not an acronym's.
        let q = "VALUE-ADDED SERVICES LABORATORY VASL";
        assert_eq!(best_org(&[q], q), 1.0);
    }

    #[test]
    fn a_legal_form_without_its_vowels_is_the_legal_form() {
        let listed = [
            "KOREA HYOKSIN TRADING CORPORATION",
            "ALPHA SHIPPING COMPANY LIMITED",
        ];
        for (q, i) in [
            ("KRA HYKSN TRDNG CRPRTN", 0),
            ("HYKSN TRDNG CRPRTN KOREA", 0),
            ("ALPHA SHPPNG CMPNY LMTD", 1),
        ] {
            let s = best_org(&listed[i..=i], q);
            assert!(s >= super::super::DEFAULT_THRESHOLD, "{q}: {s}");
        }
        // A vowel-less legal form weighs what the legal form weighs: it
        // does not make a name of other words (`SLM CRPRTN` is not `SALMI
        // CORPORATION`'s disguise).
        assert!(best_org(&["SALMI CORPORATION"], "SLM CRPRTN") < super::super::DEFAULT_THRESHOLD);
    }

    #[test]
    fn a_lone_short_word_without_its_vowels_stays_as_weak_as_before() {
        let listed = ["SALMI", "CANO CORREA, Jhon Eidelber"];
        // `SLM` alone, or beside a word that meets otherwise, is no disguise.
        assert_eq!(best(&listed, "SLM"), 0.0);
        assert!(best(&listed, "Jhon CRR") < super::super::DEFAULT_THRESHOLD);
        // Two vowel-less words out of order are not either.
        assert!(
            best(&["ALPHA BETA GAMA"], "GM ALPHA BT") < best(&["ALPHA BETA GAMA"], "ALPHA BT GM")
        );
    }

    #[test]
    fn initials_that_agree_with_the_given_names_beside_the_surname_are_the_name() {
        let listed = ["John Robert Smith", "SMITH, Jane"];
        for q in ["J. R. Smith", "J R SMITH", "John R. Smith"] {
            let s = best(&listed[..1], q);
            assert!(s >= super::super::DEFAULT_THRESHOLD, "{q}: {s}");
        }
        for q in [
            "R. J. Smith",     // out of order
            "J. Smith",        // one initial and a surname: any J. Smith
            "J. R. Smythe",    // the surname differs
            "J. R. K. Smith",  // an initial the listed name lacks
            "J. Robert Jones", // a word the listed name lacks
        ] {
            let s = best(&listed[..1], q);
            assert!(s < super::super::DEFAULT_THRESHOLD, "{q}: {s}");
        }
    }

    #[test]
    fn a_long_listed_name_found_whole_may_go_on_with_further_names() {
        let chain = "OMAR, Ramzi Mohammed Abdellah";
        let q = "Ramzi Mohamed Abdellah Omar Hassan ALASSIRI";
        let s = best(&[chain], q);
        assert!(s >= super::super::DEFAULT_THRESHOLD, "{q}: {s}");
        // A two-word name so continued may be another person's.
        let s = best(&["John Henry"], "John Henry KETCHAM");
        assert!(s < super::super::DEFAULT_THRESHOLD, "{s}");
        // Words before the name still cost in full.
        let before = "Hassan Alassiri Ramzi Mohamed Abdellah Omar";
        assert!(best(&[chain], before) < best(&[chain], q));
    }

    /// Rule `words_across_names`.
    #[test]
    fn words_of_another_name_of_the_party_are_no_strangers() {
        use crate::model::{Entity, EntityType};
        let party = |names: [&str; 2], kind: NameKind| Entity {
            entity_type: EntityType::Person,
            ..crate::matcher::tests::entity(
                "p:0",
                &[(names[0], NameKind::Primary), (names[1], kind)],
            )
        };
        let others = || {
            [
                "SMITH, John",
                "OMAR, Ramzi Mohammed Abdellah",
                "IBRAHIM, Ali",
                "SAID, Amir",
            ]
            .iter()
            .enumerate()
            .map(|(i, n)| crate::matcher::tests::person(&format!("p:{}", i + 1), n))
        };
        let score = |names, kind, q: &str| {
            best_among(std::iter::once(party(names, kind)).chain(others()), q)
        };
        let t = super::super::DEFAULT_THRESHOLD;
        let dawood = ["KASKAR, Dawood Ibrahim", "HASSAN, Dawood"];
        let salbi = [
            "SALBI, 'Abdul Amir Muhammad Sa'id",
            "AL-MAWLA, Amir Muhammad Sa'id Abdal-Rahman",
        ];
        // A surname of another name among the words, and two words another
        // name has glued (`عبد الرحمن` for `Abdal-Rahman`).
        for (names, q) in [
            (dawood, "Dawood Hasan Kaskar"),
            (salbi, "أمير محمد سعيد عبد الرحمن السلبي"),
        ] {
            let (s, alone) = (
                score(names, NameKind::Strong, q),
                score(names, NameKind::Weak, q),
            );
            assert!(s >= t && s > alone, "{q}: {s} (alone {alone})");
        }
        // Last, it still costs as an extra word, but the listed name's
        // missing word costs as a further name.
        let q = "Kaskar Dawood Hasan";
        assert!(score(dawood, NameKind::Strong, q) > score(dawood, NameKind::Weak, q));
        // A weak alias is no other name; a word no name has is a stranger's.
        assert!(score(dawood, NameKind::Weak, "Dawood Hasan Kaskar") < t);
        assert!(score(dawood, NameKind::Strong, "Dawood Memon Kaskar") < t);
        // An organization's names are not people's.
        let org = crate::matcher::tests::entity(
            "o:0",
            &[
                ("KASKAR DAWOOD TRADING", NameKind::Primary),
                ("HASSAN TRADING", NameKind::Strong),
            ],
        );
        assert!(best_among(std::iter::once(org).chain(others()), "Dawood Hassan Kaskar") < t);
    }

    /// Rule `nasab_chain`.
    #[test]
    fn a_shared_nasab_outweighs_a_different_family_name() {
        let listed = [
            "BEN SOLTANE, Adel Ben Al-Azhar Ben Youssef",
            "SMITH, John",
            "HAMDI, Karim",
        ];
        let t = super::super::DEFAULT_THRESHOLD;
        for q in [
            "ADEL BEN AL-AZHAR BEN YOUSSEF HAMDI",
            "عادل بن الأزهر بن يوسف حمدي",
        ] {
            let s = best(&listed, q);
            assert!(s >= t, "{q}: {s}");
        }
        // Two names of the chain, an article for a link, or the names out
        // of order are no shared nasab.
        for q in [
            "ADEL BEN YOUSSEF HAMDI",
            "ADEL AL-AZHAR YOUSSEF HAMDI",
            "YOUSSEF BEN AL-AZHAR BEN ADEL HAMDI",
        ] {
            let s = best(&listed, q);
            assert!(s < t, "{q}: {s}");
        }
    }

    #[test]
    fn a_han_personal_name_keeps_a_share_of_its_score() {
        assert_eq!(han_personal_name_rule(true, 1.0), HAN_PERSONAL_NAME_FACTOR);
        assert_eq!(han_personal_name_rule(false, 1.0), 1.0);
        // A namesake in pinyin still reaches the default threshold, a
        // near namesake does not.
        assert!(han_personal_name_rule(true, 1.0) >= 0.85);
        assert!(han_personal_name_rule(true, 0.95) < 0.85);
    }

    #[test]
    fn a_weak_alias_counts_only_when_close_and_discounted() {
        assert_eq!(weak_alias_rule(NameKind::Weak, WEAK_MIN - 0.01), 0.0);
        assert_eq!(weak_alias_rule(NameKind::Weak, 1.0), WEAK_FACTOR);
        assert_eq!(weak_alias_rule(NameKind::Primary, 0.5), 0.5);
    }
}
