//! Aligning a query with a listed name: which query token met which listed
//! token, how, and what was left over. Glued words first (one word on one
//! side, two adjacent words on the other), then a one-to-one assignment,
//! best pairs first. What the pairs are worth is the [`super::score`]'s
//! business ([`super::score::CostModel`]).

use super::query::{PreparedQuery, QueryToken};
use super::similarity::{
    ARABIC_SIM, ArabicSide, DIFFERENT_LEGAL_FORMS, EQUAL, How, NO_MATCH, PART_OF_PHRASE,
    legal_or_place_similarity,
};
use crate::features::{arabic_key, gluable, glue_forms, may_be_acronym, runs_spelling};
use crate::index::{Index, IndexedName, VocabToken};
use crate::terms::Class;

/// How alike an acronym and the words it abbreviates are (rule
/// `acronym_of_listed_words`): initials say less than the words.
pub(super) const ACRONYM_SIM: f32 = 0.9;

/// The shortest Arabic key by which a glued word meets two words.
const MIN_GLUED_ARABIC_KEY: usize = 3;

/// Aligned tokens: which query tokens met which listed tokens, and how.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct AlignedPair {
    /// The first query token and how many (two when glued).
    pub(super) query: (usize, usize),
    /// The first listed token and how many (two when glued).
    pub(super) listed: (usize, usize),
    /// Their similarity.
    pub(super) similarity: f32,
    /// How they met.
    pub(super) how: How,
}

/// A query aligned with one listed name.
#[derive(Debug, Clone)]
pub struct Alignment<'q> {
    /// The query.
    pub(super) query: &'q PreparedQuery,
    /// The index holding the listed name.
    pub(super) index: &'q Index,
    /// The listed name ([`Index::names`]).
    pub(super) name: u32,
    /// The aligned pairs, in the order they were found.
    pub(super) pairs: Vec<AlignedPair>,
    /// Which query tokens met a listed token.
    pub(super) query_used: Vec<bool>,
    /// Which listed tokens met a query token.
    pub(super) listed_used: Vec<bool>,
}

impl<'q> Alignment<'q> {
    /// Nothing met yet.
    pub(super) fn empty(query: &'q PreparedQuery, index: &'q Index, name: u32) -> Alignment<'q> {
        let listed = index.names[name as usize].tokens().len();
        Alignment {
            query,
            index,
            name,
            pairs: Vec::new(),
            query_used: vec![false; query.tokens.len()],
            listed_used: vec![false; listed],
        }
    }

    /// Align a query with a listed name: glued words (unless `may_glue` is
    /// false: the candidate search found no glued pair between them), then
    /// one to one.
    pub(super) fn new(
        query: &'q PreparedQuery,
        index: &'q Index,
        name: u32,
        may_glue: bool,
    ) -> Alignment<'q> {
        let mut a = Alignment::empty(query, index, name);
        if may_glue {
            a.glue_listed_pairs();
            a.glue_query_pairs();
            a.acronyms();
        }
        a.assign();
        a
    }

    /// The listed name.
    pub(super) fn listed(&self) -> &'q IndexedName {
        &self.index.names[self.name as usize]
    }

    /// The listed token at `j`.
    pub(super) fn listed_token(&self, j: usize) -> &'q VocabToken {
        &self.index.vocab[self.listed().tokens()[j] as usize]
    }

    /// Either side in Arabic script?
    fn arabic(&self) -> bool {
        self.query.arabic || self.listed().arabic
    }

    /// Which side is written in Arabic script.
    fn arabic_side(&self) -> ArabicSide {
        ArabicSide::of(self.query.arabic, self.listed().arabic)
    }

    /// One query word = two adjacent listed words, compared both as
    /// canonicalized and as written.
    fn glue_listed_pairs(&mut self) {
        let (q, n) = (self.query, self.listed());
        for j in 0..n.tokens().len().saturating_sub(1) {
            if self.listed_used[j] || self.listed_used[j + 1] {
                continue;
            }
            let Some(pair) = self.gluable_pair(n, j) else {
                continue;
            };
            let mut glued = None;
            if let Some((i, sim)) = (0..q.tokens.len()).find_map(|i| {
                if self.query_used[i] || q.tokens[i].token.class != Class::Word {
                    return None;
                }
                self.query_glues(i, n, pair, &mut glued).map(|s| (i, s))
            }) {
                self.query_used[i] = true;
                self.listed_used[j] = true;
                self.listed_used[j + 1] = true;
                self.pairs.push(AlignedPair {
                    query: (i, 1),
                    listed: (j, 2),
                    similarity: sim,
                    how: How::Glued,
                });
            }
        }
    }

    /// Mark in `found` each query token of `is` not yet found that meets
    /// the tokens `j` and `j + 1` of listed name `other` glued at `min` or
    /// closer, as [`Alignment::glue_listed_pairs`] compares them (rule
    /// `words_across_names` asks of a party's other names); the pair's
    /// glued forms are made once for all the tokens.
    pub(super) fn mark_glued_in(
        &self,
        is: &[usize],
        found: &mut [bool],
        (other, j): (u32, usize),
        min: f32,
    ) {
        let n = &self.index.names[other as usize];
        let Some(pair) = self.gluable_pair(n, j) else {
            return;
        };
        let mut glued = None;
        for &i in is {
            if !found[i] {
                found[i] = (self.query_glues(i, n, pair, &mut glued)).is_some_and(|s| s >= min);
            }
        }
    }

    /// The tokens `j` and `j + 1` of listed name `n` as a glued pair is
    /// compared ([`glues`]): each as canonicalized and as written; `None`
    /// when either cannot be glued.
    fn gluable_pair(&self, n: &'q IndexedName, j: usize) -> Option<GluablePair<'q>> {
        let vocab = |t: u32| &self.index.vocab[t as usize];
        let (a, b) = (vocab(n.tokens()[j]), vocab(n.tokens()[j + 1]));
        (gluable(a.class) && gluable(b.class)).then(|| {
            (
                [a.text.as_str(), self.index.raw(n.raw()[j])],
                [b.text.as_str(), self.index.raw(n.raw()[j + 1])],
            )
        })
    }

    /// How query token `i` meets a glued pair of listed name `n`
    /// ([`glues`], `glued` the pair's glued forms, made once).
    fn query_glues(
        &self,
        i: usize,
        n: &IndexedName,
        (a, b): GluablePair<'q>,
        glued: &mut Option<GluedForms<'q>>,
    ) -> Option<f32> {
        let t = &self.query.tokens[i];
        glues(
            self.query.arabic || n.arabic,
            ArabicSide::of(self.query.arabic, n.arabic),
            [&t.token.text, &t.raw],
            a,
            b,
            glued,
        )
    }

    /// One query word = the initials of a run of listed words (rule
    /// `acronym_of_listed_words`, [`acronym_runs`]), as canonicalized or
    /// as written; each run once, the earliest first.
    /// An acronym is written in capitals (`Cott Corporation` is a name, not
    /// `C.O.T.T.`), and people's names are not written as acronyms
    /// (`Tamara LEE` is not `LEYVA ESCANDON, Edgardo`).
    fn acronyms(&mut self) {
        let (q, n) = (self.query, self.listed());
        if self.index.sketches[self.name as usize].person {
            return;
        }
        let forms = |i: usize| glue_forms(&q.tokens[i].token.text, &q.tokens[i].raw);
        // Each distinct form that may be an acronym once (a query of one
        // word repeated stays cheap), the capitals as written read last.
        let mut spellings: Vec<&str> = (0..q.tokens.len())
            .filter(|&i| q.tokens[i].token.class == Class::Word)
            .flat_map(forms)
            .filter(|f| may_be_acronym(f))
            .collect();
        if spellings.is_empty() {
            return;
        }
        spellings.sort_unstable();
        spellings.dedup();
        let words: Vec<(Class, &str)> = (0..n.tokens().len())
            .map(|j| (self.listed_token(j).class, self.index.raw(n.raw()[j])))
            .collect();
        let mut runs: Vec<(usize, usize, &str)> = (spellings.iter())
            .flat_map(|&a| {
                runs_spelling(&words, a)
                    .into_iter()
                    .map(move |(j, len)| (j, len, a))
            })
            .collect();
        if runs.is_empty() {
            return;
        }
        // In the order of the name's runs, as `acronym_runs` gives them.
        runs.sort_unstable_by_key(|&(j, len, _)| (j, len));
        let capitals = words_in_capitals(&q.text);
        let acronym_word = |i: usize, acronym: &str| {
            q.tokens[i].token.class == Class::Word
                && forms(i).any(|f| f == acronym)
                && capitals.iter().any(|c| c == acronym)
        };
        // A listed word some query word may meet is that word's, not an
        // acronym's (`VALUE-ADDED SERVICES LABORATORY VASL`).
        let met = |j: usize| {
            let tid = n.tokens()[j];
            (q.tokens.iter()).any(|t| t.similar.binary_search_by_key(&tid, |s| s.0).is_ok())
        };
        for (j, len, acronym) in runs {
            if self.listed_used[j..j + len].iter().any(|&u| u) || (j..j + len).any(met) {
                continue;
            }
            let hit =
                (0..q.tokens.len()).find(|&i| !self.query_used[i] && acronym_word(i, acronym));
            if let Some(i) = hit {
                self.query_used[i] = true;
                self.listed_used[j..j + len].fill(true);
                self.pairs.push(AlignedPair {
                    query: (i, 1),
                    listed: (j, len),
                    similarity: ACRONYM_SIM,
                    how: How::Acronym,
                });
            }
        }
    }

    /// Two adjacent query words = one listed word.
    fn glue_query_pairs(&mut self) {
        let (q, n) = (self.query, self.listed());
        for i in 0..q.tokens.len().saturating_sub(1) {
            let (a, b) = (&q.tokens[i], &q.tokens[i + 1]);
            if !gluable(a.token.class)
                || !gluable(b.token.class)
                || self.query_used[i]
                || self.query_used[i + 1]
            {
                continue;
            }
            let mut glued = None;
            if let Some((j, sim)) = (0..n.tokens().len()).find_map(|j| {
                let v = self.listed_token(j);
                if self.listed_used[j] || v.class != Class::Word {
                    return None;
                }
                glues(
                    self.arabic(),
                    self.arabic_side().flipped(),
                    [&v.text, self.index.raw(n.raw()[j])],
                    [&a.token.text, &a.raw],
                    [&b.token.text, &b.raw],
                    &mut glued,
                )
                .map(|s| (j, s))
            }) {
                self.query_used[i] = true;
                self.query_used[i + 1] = true;
                self.listed_used[j] = true;
                self.pairs.push(AlignedPair {
                    query: (i, 2),
                    listed: (j, 1),
                    similarity: sim,
                    how: How::Glued,
                });
            }
        }
    }

    /// One-to-one assignment of the tokens left, best pairs first (ties
    /// to the earlier query token, then the earlier listed token).
    fn assign(&mut self) {
        let (q, n) = (self.query, self.listed());
        let mut cand: Vec<(f32, usize, usize, How)> =
            Vec::with_capacity(q.tokens.len() * n.tokens().len());
        for (i, qt) in q.tokens.iter().enumerate() {
            if self.query_used[i] {
                continue;
            }
            for (j, &tid) in n.tokens().iter().enumerate() {
                if self.listed_used[j] {
                    continue;
                }
                let (s, how) = pair_similarity(self.index, qt, tid, self.index.raw(n.raw()[j]));
                if s > 0.0 {
                    cand.push((s, i, j, how));
                }
            }
        }
        cand.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        for (s, i, j, how) in cand {
            if self.query_used[i] || self.listed_used[j] {
                continue;
            }
            self.query_used[i] = true;
            self.listed_used[j] = true;
            self.pairs.push(AlignedPair {
                query: (i, 1),
                listed: (j, 1),
                similarity: s,
                how,
            });
        }
    }

    /// Do the pairs keep both sides' order?
    pub(super) fn in_order(&self) -> bool {
        let mut by_query: Vec<(usize, usize)> =
            self.pairs.iter().map(|p| (p.query.0, p.listed.0)).collect();
        by_query.sort_unstable();
        by_query.windows(2).all(|w| w[0].1 < w[1].1)
    }

    /// Are all the listed name's words (at least two) matched?
    pub(super) fn listed_words_met(&self) -> bool {
        all_words_met(&self.listed_used, |j| self.listed_token(j).class)
    }

    /// Are all the query's words (at least two) matched?
    pub(super) fn query_words_met(&self) -> bool {
        all_words_met(&self.query_used, |i| self.query.tokens[i].token.class)
    }

    /// The query tokens that met nothing.
    pub(super) fn unmatched_query(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.query_used.len()).filter(|&i| !self.query_used[i])
    }

    /// The listed tokens that met nothing.
    pub(super) fn unmatched_listed(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.listed_used.len()).filter(|&j| !self.listed_used[j])
    }
}

/// Are all of a side's words (at least two) matched?
fn all_words_met(used: &[bool], class: impl Fn(usize) -> Class) -> bool {
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
}

/// The words of `text` written in capitals (`ANPP`, `A.N.P.P.`, `ЦАТ`),
/// folded: those a query may mean as acronyms.
fn words_in_capitals(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '-' || c == ',' || c == '/')
        .map(|w| w.replace('.', ""))
        .filter(|w| {
            w.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && w.chars().all(|c| !c.is_alphabetic() || c.is_uppercase())
        })
        .map(|w| crate::normalize::fold(&w))
        .collect()
}

/// Is `one` (as canonicalized or as written) the words `a` and `b` glued,
/// each as canonicalized or as written? When either side is in Arabic
/// script, the same consonants are enough (`أبوغيث` / `ABO GHAITH`) when the
/// long vowels of the side in Arabic script stand in the other (`side`
/// tells which: [`ArabicSide::Query`] is `one`). `glued` keeps `a` and `b`
/// glued with their keys, for the next `one` compared with the same pair.
fn glues<'w>(
    arabic: bool,
    side: ArabicSide,
    one: [&str; 2],
    a: [&'w str; 2],
    b: [&'w str; 2],
    glued: &mut Option<GluedForms<'w>>,
) -> Option<f32> {
    for w in one {
        for x in a {
            for y in b {
                if w.len() == x.len() + y.len() && w.starts_with(x) && w.ends_with(y) {
                    return Some(EQUAL);
                }
            }
        }
    }
    if !arabic {
        return None;
    }
    let forms = glued.get_or_insert_with(|| GluedForms::new(a, b));
    let arabic_glue = |w: &&str| {
        let k = known_arabic_key(w);
        k.len() >= MIN_GLUED_ARABIC_KEY
            && (forms.0.iter()).any(|(x, y, key)| *k == **key && known_vowels_agree(side, w, x, y))
    };
    glue_forms(one[0], one[1])
        .any(|w| arabic_glue(&w))
        .then_some(ARABIC_SIM)
}

/// Two adjacent listed words, each as canonicalized and as written
/// ([`Alignment::gluable_pair`]).
type GluablePair<'w> = ([&'w str; 2], [&'w str; 2]);

/// Two adjacent words glued, each as canonicalized or as written (each
/// distinct pair of forms once), with the Arabic key of the glued form
/// ([`known_arabic_key`]).
struct GluedForms<'w>(Vec<(&'w str, &'w str, std::rc::Rc<str>)>);

impl<'w> GluedForms<'w> {
    fn new(a: [&'w str; 2], b: [&'w str; 2]) -> GluedForms<'w> {
        let mut forms = Vec::with_capacity(4);
        let mut glued = String::new();
        for x in glue_forms(a[0], a[1]) {
            for y in glue_forms(b[0], b[1]) {
                glued.clear();
                glued.push_str(x);
                glued.push_str(y);
                forms.push((x, y, known_arabic_key(&glued)));
            }
        }
        GluedForms(forms)
    }
}

/// Arabic keys remembered per thread at most.
const ARABIC_KEYS_MAX: usize = 1 << 18;

thread_local! {
    /// The Arabic keys of the words and glued pairs [`glues`] compared:
    /// the same listed names are candidates of query after query, and a key
    /// costs [`arabic_key`]'s spelling rules each time.
    static ARABIC_KEYS: std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, std::rc::Rc<str>>> =
        std::cell::RefCell::default();
}

/// What `compute` gives for `key`, from a per-thread memory that restarts
/// empty when it holds [`ARABIC_KEYS_MAX`] entries.
fn remembered<V: Clone>(
    known: &mut rustc_hash::FxHashMap<Box<str>, V>,
    key: &str,
    compute: impl FnOnce() -> V,
) -> V {
    if let Some(v) = known.get(key) {
        return v.clone();
    }
    let v = compute();
    if known.len() >= ARABIC_KEYS_MAX {
        known.clear();
    }
    known.insert(key.into(), v.clone());
    v
}

/// [`arabic_key`] of `w`, remembered (the same key, computed once per
/// thread until [`ARABIC_KEYS_MAX`] keys fill the memory and it restarts).
pub(super) fn known_arabic_key(w: &str) -> std::rc::Rc<str> {
    ARABIC_KEYS.with(|keys| remembered(&mut keys.borrow_mut(), w, || arabic_key(w).into()))
}

thread_local! {
    /// What [`known_vowels_agree`] found, by side and words (a key of
    /// each, see there), and the buffer its keys are written in.
    static VOWELS_AGREE: std::cell::RefCell<(rustc_hash::FxHashMap<Box<str>, bool>, String)> =
        std::cell::RefCell::default();
}

/// `side.vowels_agree(one, x + y)`, remembered per thread like
/// [`known_arabic_key`]: a glued pair whose key equals a word's is checked
/// for every candidate name holding it, query after query, and the check
/// rewrites both words and searches their letters.
fn known_vowels_agree(side: ArabicSide, one: &str, x: &str, y: &str) -> bool {
    VOWELS_AGREE.with(|memory| {
        let (known, key) = &mut *memory.borrow_mut();
        key.clear();
        key.push(match side {
            ArabicSide::Either => 'e',
            ArabicSide::Query => 'q',
            ArabicSide::Listed => 'l',
        });
        key.push_str(one);
        key.push('\0');
        let glued_at = key.len();
        key.push_str(x);
        key.push_str(y);
        remembered(known, key, || side.vowels_agree(one, &key[glued_at..]))
    })
}

/// Similarity of a query token with vocabulary token `tid`, written `raw`
/// in the listed name.
fn pair_similarity(index: &Index, qt: &QueryToken, tid: u32, raw: &str) -> (f32, How) {
    let v: &VocabToken = &index.vocab[tid as usize];
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
                if qt.phrases.binary_search(&tid).is_ok() {
                    (PART_OF_PHRASE, How::Canonical)
                } else {
                    (NO_MATCH, How::Fuzzy)
                }
            }
        },
        (Class::Legal, Class::Legal) => {
            if qt.token.text == v.text {
                (EQUAL, How::Exact)
            } else {
                (DIFFERENT_LEGAL_FORMS, How::LegalForm)
            }
        }
        (Class::Stop, Class::Stop) | (Class::Minor, Class::Minor) if qt.token.text == v.text => {
            (EQUAL, How::Exact)
        }
        // A typo in a place or a legal form written out (`CUBAA`,
        // `LIMMITED`) makes an unknown word of it: it still meets the
        // listed word as written.
        // So does a word of a many-word place or legal form written
        // alone (`KONG` for `HONG KONG`, `AKTSIONERNOE` for
        // `AKTSIONERNOE OBSHCHESTVO`).
        (Class::Word, Class::Minor | Class::Legal) if qt.cross() => {
            legal_or_place_similarity(&qt.token.text, raw)
        }
        _ => (NO_MATCH, How::Fuzzy),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_checks_answer_as_the_checks_do() {
        let sides = [ArabicSide::Either, ArabicSide::Query, ArabicSide::Listed];
        let words = ["abughaith", "abu", "ghaith", "abugith", "hsn", "hassan", ""];
        let mut agreed = [0, 0];
        for side in sides {
            for one in words {
                for x in words {
                    for y in words {
                        let glued = format!("{x}{y}");
                        let want = side.vowels_agree(one, &glued);
                        agreed[usize::from(want)] += 1;
                        // Twice: computed, then remembered.
                        assert_eq!(known_vowels_agree(side, one, x, y), want);
                        assert_eq!(known_vowels_agree(side, one, x, y), want);
                        assert_eq!(*known_arabic_key(&glued), arabic_key(&glued));
                        assert_eq!(*known_arabic_key(&glued), arabic_key(&glued));
                    }
                }
            }
        }
        // Both answers occur (not a test of nothing).
        assert!(agreed[0] > 0 && agreed[1] > 0, "{agreed:?}");
    }
}
