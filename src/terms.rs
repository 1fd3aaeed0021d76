//! Canonical terms: legal forms, abbreviations, name variants and stopwords,
//! read from `data/terms/terms.tsv` (compiled in), and the analyzer that turns
//! a name into classified tokens.
//!
//! ```
//! use sanctions::terms::{analyze, Class};
//! let t = analyze("Guangzhou Haige Comm. Grp Co., Ltd.");
//! let words: Vec<&str> = t.iter().map(|t| t.text.as_str()).collect();
//! assert_eq!(words, ["guangzhou", "haige", "communication", "group", "ltd"]);
//! assert_eq!(t[4].class, Class::Legal);
//! ```

use crate::normalize;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;

/// The table, as shipped.
pub const TERMS_TSV: &str = include_str!("../data/terms/terms.tsv");

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    /// An ordinary, possibly identifying word.
    Word,
    /// A legal form (`ltd`, `llc`, `jsc`...): weighs little.
    Legal,
    /// A stopword (`the`, `of`, `de`...) or name particle (`al`, `bin`): weighs almost nothing.
    Stop,
    /// A place or honorific often added to a name (`UAE`, `Hong Kong`, `Mrs.`): weighs little.
    Minor,
}

/// One analyzed token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The canonical text.
    pub text: String,
    /// Its class.
    pub class: Class,
    /// The folded words it was made from, when canonicalization changed them.
    pub from: Option<String>,
}

/// The parsed rule table.
#[derive(Debug)]
pub struct Terms {
    phrases: HashMap<String, (String, Class)>,
    max_words: usize,
    /// Every word used in a variant.
    known: HashSet<String>,
    /// One-deletion keys of the known words of at least [`TYPO_MIN_LEN`]
    /// characters, to the word (the first in table order wins).
    deletions: HashMap<String, String>,
    /// Words of `name` rules.
    names: HashSet<String>,
    /// Legal forms of two or more words (`joint stock company`), for typos,
    /// as words.
    legal_phrases: Vec<Vec<String>>,
    /// Indices into `legal_phrases` by their first word and by their second.
    legal_by_first: HashMap<String, Vec<usize>>,
    legal_by_second: HashMap<String, Vec<usize>>,
    /// Legal forms of one word of three to five letters (`ltd`, `ooo`), for typos.
    legal_short: Vec<String>,
    /// The words of legal forms by their consonants ([`consonants`]), for
    /// words written without vowels (`crprtn`: `corporation`).
    legal_by_consonants: HashMap<String, String>,
    /// Stems (variants written `stem*`): a word that is the stem and one of
    /// [`ENDINGS`] is the rule's canonical token; longest stem first.
    stems: Vec<(String, String, Class)>,
    /// The places in `stems` of the stems that begin with each byte, in
    /// order: a word is tried against those only (against every stem, it
    /// was one comparison a stem for every word of every name).
    stems_by_first: Vec<Vec<u32>>,
    /// Each word (four letters or more) of a many-word variant, to the
    /// canonical tokens of those variants (`making`: `instrumentmaking`), sorted.
    terms_of_word: HashMap<String, Vec<String>>,
    /// First word of a phrase of two or more words, to the most words such
    /// a phrase has.
    longest_from: HashMap<String, usize>,
}

/// The endings a stem (`zavod*`) takes: Russian noun and adjective endings as
/// romanized (`zavoda`, `mashinostroitelnoye`, `priborostroitelnyi`), with
/// the adjective suffixes `-n-` and `-ov-`.
pub const ENDINGS: [&str; 61] = [
    "", "a", "e", "i", "o", "u", "y", "yi", "yy", "iy", "ii", "ij", "oi", "oy", "oe", "oye", "aya",
    "aia", "ya", "ia", "iya", "ie", "iye", "ye", "ogo", "ego", "ovo", "ykh", "ikh", "om", "em",
    "ov", "ev", "ym", "im", "uyu", "oj", "yj", "yh", "ih", "ovyi", "ovyy", "ovoe", "ovaya",
    "ovogo", "ovykh", "ovye", "nyi", "nyy", "ny", "nij", "nyj", "noe", "noye", "naya", "nogo",
    "nykh", "nye", "nom", "nii", "niy",
];

/// Words shorter than this are never corrected.
pub const TYPO_MIN_LEN: usize = 6;

/// Are `a` and `b` the same but for two neighbouring letters swapped (`ari` / `air`)?
pub(crate) fn swapped_neighbours(a: &[char], b: &[char]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut diff = (0..a.len()).filter(|&i| a[i] != b[i]);
    matches!(
        (diff.next(), diff.next(), diff.next()),
        (Some(i), Some(j), None) if j == i + 1 && a[i] == b[j] && a[j] == b[i]
    )
}

/// Is `word` the legal form `target` typed with two neighbouring letters
/// swapped (`ldt`) or one letter doubled (`oooo`, `lttd`)? (Analysis asks
/// [`may_be_slip`] once a word, then [`is_slip`].)
#[cfg(test)]
fn slip_of(target: &str, word: &str) -> bool {
    may_be_slip(target, word.chars().count(), letter_set(word)) && is_slip(target, word)
}

/// May a word of `len` characters and letters `set` ([`letter_set`]) be a
/// slip of `target`? A slip keeps the letters (as a set), and the length
/// or adds one: most words are told apart by that alone, with nothing
/// allocated.
fn may_be_slip(target: &str, len: usize, set: u32) -> bool {
    let lt = target.chars().count();
    (len == lt || len == lt + 1) && letter_set(target) == set
}

/// [`slip_of`] without its first test ([`may_be_slip`]).
fn is_slip(target: &str, word: &str) -> bool {
    let t: Vec<char> = target.chars().collect();
    let w: Vec<char> = word.chars().collect();
    if w.len() == t.len() {
        swapped_neighbours(&t, &w)
    } else if w.len() == t.len() + 1 {
        (1..w.len()).any(|i| w[i] == w[i - 1] && without(word, i) == target)
    } else {
        false
    }
}

/// The set of a word's letters `a` to `z`, a bit each, and one bit for
/// all others.
fn letter_set(word: &str) -> u32 {
    word.chars().fold(0, |m, c| match c {
        'a'..='z' => m | 1 << (c as u32 - 'a' as u32),
        _ => m | 1 << 31,
    })
}

/// The word with the character at `i` (a char index) removed.
fn without(word: &str, i: usize) -> String {
    word.chars()
        .enumerate()
        .filter(|(j, _)| *j != i)
        .map(|(_, c)| c)
        .collect()
}

/// The rules of a table as written, before the indexes built from them.
struct Rules {
    /// Variant (folded words) to its canonical token and class; the first
    /// rule for a variant wins.
    phrases: HashMap<String, (String, Class)>,
    /// Stems (`zavod*`), their canonical token and class, in table order.
    stems: Vec<(String, String, Class)>,
    /// Many-word variants written as one word (`machinebuilding`), with the
    /// canonical token and class, in table order.
    glued_variants: Vec<(String, String, Class)>,
    /// The most words a variant has.
    max_words: usize,
}

/// The shortest stem a `stem*` variant may have.
const STEM_MIN_LEN: usize = 4;

/// The fewest letters each word of a many-word variant has for the variant
/// to be also written as one word (`a s` is no `as`).
const GLUED_WORD_MIN_LEN: usize = 3;

/// The fewest letters a word of a many-word variant has to count among the
/// words of its canonical token (`instrumentmaking`: `instrument`, `making`).
const TERM_WORD_MIN_LEN: usize = 4;

/// The fewest bytes a legal form of two or more words has to be looked for
/// with typos.
const LEGAL_PHRASE_MIN_LEN: usize = 10;

/// The lengths a one-word legal form has to be looked for with typos (`ltd`,
/// `ooo`, `gmbh`).
const LEGAL_SHORT_LEN: std::ops::RangeInclusive<usize> = 3..=5;

/// The class named in a rule's first field.
fn class_of(field: &str, line: usize) -> Result<Class, String> {
    match field {
        "legal" => Ok(Class::Legal),
        "stop" => Ok(Class::Stop),
        "abbr" | "name" => Ok(Class::Word),
        "minor" => Ok(Class::Minor),
        other => Err(format!("terms.tsv:{line}: unknown class {other:?}")),
    }
}

impl Rules {
    /// Read every rule of the table, in order.
    fn parse(text: &str) -> Result<Rules, String> {
        let mut rules = Rules {
            phrases: HashMap::default(),
            stems: Vec::new(),
            glued_variants: Vec::new(),
            max_words: 1,
        };
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end();
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let parts: Vec<&str> = line.split('\t').collect();
            let [class, canonical, variants] = parts[..] else {
                return Err(format!(
                    "terms.tsv:{}: expected 3 tab-separated fields",
                    i + 1
                ));
            };
            let class = class_of(class, i + 1)?;
            for v in variants.split('|').chain(std::iter::once(canonical)) {
                // `!`: as written only ([`known_words`]).
                let v = v.trim();
                let v = v.strip_suffix('!').unwrap_or(v);
                if v.is_empty() || v == "=" {
                    continue;
                }
                if let Some(stem) = v.strip_suffix('*') {
                    rules.add_stem(i + 1, v, stem, canonical, class)?;
                } else {
                    rules.add_variant(i + 1, v, canonical, class)?;
                }
            }
        }
        Ok(rules)
    }

    /// A variant `stem*` of the rule on `line`.
    fn add_stem(
        &mut self,
        line: usize,
        v: &str,
        stem: &str,
        canonical: &str,
        class: Class,
    ) -> Result<(), String> {
        if normalize::fold(stem) != stem || stem.contains(' ') || stem.len() < STEM_MIN_LEN {
            return Err(format!(
                "terms.tsv:{line}: stem {v:?} is not one folded word of four letters or more"
            ));
        }
        if canonical == "=" {
            return Err(format!("terms.tsv:{line}: a stem needs a canonical word"));
        }
        self.stems
            .push((stem.to_string(), canonical.to_string(), class));
        Ok(())
    }

    /// A variant of one or more folded words of the rule on `line`.
    fn add_variant(
        &mut self,
        line: usize,
        v: &str,
        canonical: &str,
        class: Class,
    ) -> Result<(), String> {
        if normalize::fold(v) != v {
            return Err(format!(
                "terms.tsv:{line}: variant {v:?} is not in folded form"
            ));
        }
        self.max_words = self.max_words.max(v.split(' ').count());
        // A term of many words is also written as one
        // (`machinebuilding`), when each has three letters or more
        // (`a s` is no `as`).
        if v.contains(' ') && v.split(' ').all(|w| w.len() >= GLUED_WORD_MIN_LEN) {
            let glued = v.replace(' ', "");
            let canon = if canonical == "=" {
                glued.clone()
            } else {
                canonical.to_string()
            };
            self.glued_variants.push((glued, canon, class));
        }
        // The first rule for a variant wins, so the table reads top-down.
        self.phrases.entry(v.to_string()).or_insert_with(|| {
            let canon = if canonical == "=" {
                v.replace(' ', "")
            } else {
                canonical.to_string()
            };
            (canon, class)
        });
        Ok(())
    }
}

/// Each word (four letters or more) of a many-word variant, to the
/// canonical tokens of those variants, sorted and once each.
fn terms_of_word(phrases: &HashMap<String, (String, Class)>) -> HashMap<String, Vec<String>> {
    let mut terms: HashMap<String, Vec<String>> = HashMap::default();
    for (v, (canon, _)) in phrases {
        if v.contains(' ') {
            for w in v.split(' ').filter(|w| w.len() >= TERM_WORD_MIN_LEN) {
                terms.entry(w.to_string()).or_default().push(canon.clone());
            }
        }
    }
    for canons in terms.values_mut() {
        canons.sort_unstable();
        canons.dedup();
    }
    terms
}

/// Every word of the table's variants, in table order (typo targets), and
/// those of `name` rules. A personal name is a target only for a typo that
/// keeps its first letter (`Jassem` is another name, not a typo of `Kassem`).
/// A variant written with a final `!` is no target: it is read only as
/// written (`hawala!`, since `Hakala` is a surname, not a typo of it).
fn known_words(text: &str) -> (Vec<String>, HashSet<String>) {
    let mut known: Vec<String> = Vec::new();
    let mut names = HashSet::default();
    let mut seen = HashSet::default();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let name = line.starts_with("name\t");
        if let Some(variants) = line.split('\t').nth(2) {
            for w in variants
                .split('|')
                .filter(|v| !v.trim().ends_with('!'))
                .flat_map(|v| v.split(' '))
                .map(str::trim)
                .filter(|w| !w.is_empty() && !w.ends_with('*'))
            {
                if seen.insert(w.to_string()) {
                    known.push(w.to_string());
                    if name {
                        names.insert(w.to_string());
                    }
                }
            }
        }
    }
    (known, names)
}

/// One-deletion keys of the known words of at least [`TYPO_MIN_LEN`]
/// characters, to the word (the first in table order wins).
fn deletions(known: &[String]) -> HashMap<String, String> {
    let mut deletions = HashMap::default();
    for w in known.iter().filter(|w| w.chars().count() >= TYPO_MIN_LEN) {
        deletions.entry(w.clone()).or_insert_with(|| w.clone());
        for i in 0..w.chars().count() {
            deletions.entry(without(w, i)).or_insert_with(|| w.clone());
        }
    }
    deletions
}

/// The legal forms looked for with typos, in sorted order: those of two or
/// more words (as words), and the short ones of one word.
fn legal_forms(phrases: &HashMap<String, (String, Class)>) -> (Vec<Vec<String>>, Vec<String>) {
    let mut legal_phrases: Vec<Vec<String>> = Vec::new();
    let mut legal_short: Vec<String> = Vec::new();
    let mut keys: Vec<&String> = phrases.keys().collect();
    keys.sort();
    for v in keys {
        if phrases[v].1 != Class::Legal {
            continue;
        }
        let n = v.split(' ').count();
        if n >= 2 && v.len() >= LEGAL_PHRASE_MIN_LEN && !v.split(' ').any(|w| w.len() == 1) {
            legal_phrases.push(v.split(' ').map(str::to_string).collect());
        } else if n == 1 && LEGAL_SHORT_LEN.contains(&v.len()) {
            legal_short.push(v.clone());
        }
    }
    (legal_phrases, legal_short)
}

/// A word's first letter and its letters but vowels (`a e i o u y`) after
/// it: `corporation` is `crprtn`, `company` is `cmpn`.
fn consonants(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .into_iter()
        .chain(chars.filter(|c| !is_vowel(*c)))
        .collect()
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// The fewest letters a legal form's word without its vowels keeps to be
/// recognized (`crprtn`, `cmpny`, `lmtd`; not `ksh` for `kaisha`).
const VOWELLESS_LEGAL_MIN: usize = 4;

/// The words of the legal forms (`corporation`, `limited`, `company`) by
/// their consonants, each of [`VOWELLESS_LEGAL_MIN`] consonants or more and
/// known to the table as no other word; the first in table order wins.
fn legal_by_consonants(
    phrases: &HashMap<String, (String, Class)>,
    known: &HashSet<String>,
) -> HashMap<String, String> {
    let mut keys: Vec<&String> = (phrases.iter())
        .filter(|(_, (_, class))| *class == Class::Legal)
        .map(|(v, _)| v)
        .collect();
    keys.sort();
    let mut out: HashMap<String, String> = HashMap::default();
    for w in keys.iter().flat_map(|v| v.split(' ')) {
        let c = consonants(w);
        if c.chars().count() >= VOWELLESS_LEGAL_MIN && c != w && !known.contains(&c) {
            out.entry(c).or_insert_with(|| w.to_string());
        }
    }
    out
}

/// Indices into `legal_phrases` by their first word and by their second.
type LegalPhraseIndex = HashMap<String, Vec<usize>>;

/// [`LegalPhraseIndex`]es of the legal phrases by first and by second word.
fn legal_phrase_index(legal_phrases: &[Vec<String>]) -> (LegalPhraseIndex, LegalPhraseIndex) {
    let mut by_first: LegalPhraseIndex = HashMap::default();
    let mut by_second: LegalPhraseIndex = HashMap::default();
    for (i, p) in legal_phrases.iter().enumerate() {
        by_first.entry(p[0].clone()).or_default().push(i);
        by_second.entry(p[1].clone()).or_default().push(i);
    }
    (by_first, by_second)
}

/// First word of each phrase of two or more words, to the most words such a
/// phrase has.
fn longest_from(phrases: &HashMap<String, (String, Class)>) -> HashMap<String, usize> {
    let mut longest_from: HashMap<String, usize> = HashMap::default();
    for v in phrases.keys() {
        let n = v.split(' ').count();
        if n >= 2 {
            let first = v.split(' ').next().unwrap_or_default().to_string();
            let e = longest_from.entry(first).or_insert(n);
            *e = (*e).max(n);
        }
    }
    longest_from
}

impl Terms {
    /// Parse a table in the `terms.tsv` format; errors name the line.
    pub fn parse(text: &str) -> Result<Terms, String> {
        let Rules {
            mut phrases,
            mut stems,
            glued_variants,
            max_words,
        } = Rules::parse(text)?;
        let terms_of_word = terms_of_word(&phrases);
        // Glued forms count after every rule as written, so a word of its own
        // (`coltd` is no word, `jointstock` is a variant already) wins.
        for (glued, canon, class) in glued_variants {
            phrases.entry(glued).or_insert((canon, class));
        }
        let (known, names) = known_words(text);
        let deletions = deletions(&known);
        let (legal_phrases, legal_short) = legal_forms(&phrases);
        // Longest stem first; equal lengths in table order.
        stems.sort_by_key(|(stem, _, _)| std::cmp::Reverse(stem.len()));
        let mut stems_by_first = vec![Vec::new(); 256];
        for (k, (stem, _, _)) in stems.iter().enumerate() {
            stems_by_first[usize::from(stem.as_bytes()[0])].push(k as u32);
        }
        let (legal_by_first, legal_by_second) = legal_phrase_index(&legal_phrases);
        let longest_from = longest_from(&phrases);
        let known: HashSet<String> = known.into_iter().collect();
        let legal_by_consonants = legal_by_consonants(&phrases, &known);
        Ok(Terms {
            legal_by_consonants,
            longest_from,
            terms_of_word,
            legal_by_first,
            legal_by_second,
            stems,
            stems_by_first,
            legal_phrases,
            legal_short,
            phrases,
            max_words,
            known,
            names,
            deletions,
        })
    }

    /// A table word one typo away (insertion, deletion, substitution or
    /// transposition) from `word`, for words of [`TYPO_MIN_LEN`] or more
    /// characters that the table does not know.
    ///
    /// ```
    /// let t = sanctions::terms::Terms::shipped();
    /// assert_eq!(t.correct("lumited").as_deref(), Some("limited"));
    /// assert_eq!(t.correct("comany").as_deref(), Some("company"));
    /// assert_eq!(t.correct("limited"), None); // known already
    /// assert_eq!(t.correct("sensetime"), None);
    /// assert_eq!(t.correct("mohammde").as_deref(), Some("mohammed"));
    /// assert_eq!(t.correct("jassem"), None); // a name of its own, not `kassem`
    /// ```
    pub fn correct(&self, word: &str) -> Option<String> {
        let n = word.chars().count();
        if n < TYPO_MIN_LEN || self.known.contains(word) || word.chars().any(|c| c.is_ascii_digit())
        {
            return None;
        }
        // The word and each of its one-letter deletions, built in one buffer.
        let mut found: Vec<&String> = Vec::new();
        found.extend(self.deletions.get(word));
        let mut key = String::with_capacity(word.len());
        for i in 0..n {
            key.clear();
            key.extend(
                word.chars()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, c)| c),
            );
            found.extend(self.deletions.get(&key));
        }
        found
            .into_iter()
            .filter(|t| strsim::damerau_levenshtein(word, t) <= 1)
            .filter(|t| !self.names.contains(*t) || t.chars().next() == word.chars().next())
            .min_by_key(|t| (t.chars().count().abs_diff(n), t.as_str()))
            .cloned()
    }

    /// The word of a legal form that `word` is written without some of its
    /// vowels, the first letter kept, when the table does not know `word`.
    ///
    /// ```
    /// let t = sanctions::terms::Terms::shipped();
    /// assert_eq!(t.restore_vowels("crprtn").as_deref(), Some("corporation"));
    /// assert_eq!(t.restore_vowels("cmpny").as_deref(), Some("company"));
    /// assert_eq!(t.restore_vowels("lmtd").as_deref(), Some("limited"));
    /// assert_eq!(t.restore_vowels("ltd"), None); // known already
    /// assert_eq!(t.restore_vowels("cmpnx"), None);
    /// assert_eq!(t.restore_vowels("slm"), None);
    /// ```
    pub fn restore_vowels(&self, word: &str) -> Option<String> {
        if word.len() < VOWELLESS_LEGAL_MIN || self.known.contains(word) {
            return None;
        }
        let target = self.legal_by_consonants.get(&consonants(word))?;
        // Some vowels left out, nothing else changed.
        let mut rest = word.chars().peekable();
        for c in target.chars() {
            if rest.peek() == Some(&c) {
                rest.next();
            } else if !is_vowel(c) {
                return None;
            }
        }
        rest.next().is_none().then(|| target.clone())
    }

    /// Typos in legal forms, which stand at either end of a name and break
    /// a multi-word rule: a run of words equal to a legal form of as many
    /// words but for one unknown word one or two typos off, first letter
    /// right (`jonnit stock company`), and the last word of a name of two
    /// words or more, of three to five letters, that is a one-word legal
    /// form with two letters swapped or one doubled (`ldt`, `oooo`), become
    /// that form.
    ///
    /// ```
    /// let t = sanctions::terms::Terms::shipped();
    /// let w = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
    /// assert_eq!(t.correct_legal(w("jonnit stock company nobility")), w("joint stock company nobility"));
    /// assert_eq!(t.correct_legal(w("bom finance ldt")), w("bom finance ltd"));
    /// assert_eq!(t.correct_legal(w("phat loc shipping")), w("phat loc shipping")); // not at the end
    /// assert_eq!(t.correct_legal(w("ltc properties")), w("ltc properties"));
    /// assert_eq!(t.correct_legal(w("stan lcl")), w("stan llc"));
    /// assert_eq!(t.correct_legal(w("set petrochemicals oy")), w("set petrochemicals oy"));
    /// assert_eq!(t.correct_legal(w("khors air company")), w("khors air company")); // not `and company`
    /// ```
    pub fn correct_legal(&self, mut words: Vec<String>) -> Vec<String> {
        let n = words.len();
        let mut i = 0;
        let none = Vec::new();
        while i < n {
            // Only phrases whose first or second word is right can apply.
            let (first, second) = if i + 1 < n {
                (
                    self.legal_by_first.get(&words[i]).unwrap_or(&none),
                    self.legal_by_second.get(&words[i + 1]).unwrap_or(&none),
                )
            } else {
                (&none, &none)
            };
            if first.is_empty() && second.is_empty() {
                i += 1;
                continue;
            }
            let mut advanced = false;
            for k in (2..=self.max_words.min(n - i)).rev() {
                let run = words[i..i + k].join(" ");
                if self.phrases.contains_key(&run) {
                    break;
                }
                // Exactly one word differs: an unknown word with the right
                // first letter, one typo away (two in words of five letters or more).
                let one_typo = |p: &[String]| {
                    let mut diff = p.iter().zip(&words[i..i + k]).filter(|(a, b)| a != b);
                    match (diff.next(), diff.next()) {
                        (Some((a, b)), None) => {
                            let max = if b.chars().count() >= 5 { 2 } else { 1 };
                            !self.known.contains(b.as_str())
                                && a.chars().next() == b.chars().next()
                                && strsim::damerau_levenshtein(a, b) <= max
                        }
                        _ => false,
                    }
                };
                // At most one word differs: the first or the second is right.
                // In table order, as before the lookup by word.
                let mut candidates: Vec<usize> = first.iter().chain(second).copied().collect();
                candidates.sort_unstable();
                if let Some(p) = candidates
                    .iter()
                    .map(|&c| &self.legal_phrases[c])
                    .find(|p| p.len() == k && one_typo(p))
                {
                    for (w, pw) in words[i..i + k].iter_mut().zip(p) {
                        *w = pw.clone();
                    }
                    i += k;
                    advanced = true;
                    break;
                }
            }
            if !advanced {
                i += 1;
            }
        }
        // A short legal form at the end of a name of two words or more; only
        // a slip (swapped or doubled letters) is corrected, as any one-letter
        // change would read names (`LTC`, `TOM`) as forms, and only at the
        // end: a first `SET` is a name, not a slip of `EST`.
        if n >= 2 {
            let i = n - 1;
            let w = &words[i];
            let len = w.chars().count();
            if (3..=5).contains(&len)
                && !self.known.contains(w.as_str())
                && !w.chars().any(|c| c.is_ascii_digit())
                && let set = letter_set(w)
                && let Some(t) =
                    (self.legal_short.iter()).find(|t| may_be_slip(t, len, set) && is_slip(t, w))
            {
                words[i] = t.clone();
            }
        }
        words
    }

    /// The canonical token of a word made of a stem rule's stem and one of
    /// [`ENDINGS`].
    ///
    /// ```
    /// let t = sanctions::terms::Terms::shipped();
    /// assert_eq!(t.stem_of("priborostroitelnyi").map(|s| s.0), Some("instrumentmaking"));
    /// assert_eq!(t.stem_of("zavoda").map(|s| s.0), Some("plant"));
    /// assert_eq!(t.stem_of("zavodskoy"), None); // not an ending
    /// ```
    pub fn stem_of(&self, word: &str) -> Option<(&str, Class)> {
        let first = usize::from(*word.as_bytes().first()?);
        (self.stems_by_first[first].iter())
            .map(|&k| &self.stems[k as usize])
            .find(|(stem, _, _)| {
                word.strip_prefix(stem.as_str())
                    .is_some_and(|rest| ENDINGS.contains(&rest))
            })
            .map(|(_, canon, class)| (canon.as_str(), *class))
    }

    /// Rule `patronymic_of_a_known_name`: an East Slavic patronymic made
    /// from a given name of the table is that name's canonical form with
    /// one ending, `-ovich` for a son, `-ovna` for a daughter, however it is
    /// written: Russian `Nikolaevich`, Belarusian `Mikalaevich` (Mikalai),
    /// Ukrainian `Oleksiyivna` (Oleksiy) and Russian `Alexeyevna` meet as
    /// their given names do. A patronymic of a name the table does not know
    /// is left as it is.
    ///
    /// ```
    /// let t = sanctions::terms::Terms::shipped();
    /// assert_eq!(t.patronymic_of("mikalaevich"), t.patronymic_of("nikolayevich"));
    /// assert_eq!(t.patronymic_of("oleksiyivna"), t.patronymic_of("alexeyevna"));
    /// assert_ne!(t.patronymic_of("alexeyevna"), t.patronymic_of("alexeyevich"));
    /// assert_eq!(t.patronymic_of("ivanovich"), None); // not a table name
    /// ```
    pub fn patronymic_of(&self, word: &str) -> Option<String> {
        /// A son's endings, then a daughter's, longest first where one
        /// ends another; each with the ending of the canonical form.
        const ENDINGS: [(&[&str], &str); 2] = [
            (
                &[
                    "yevich", "ievich", "evich", "yovych", "iovych", "ovich", "ovych", "evych",
                    "avich",
                ],
                "ovich",
            ),
            (
                &[
                    "yevna", "ievna", "evna", "yivna", "iivna", "ivna", "ovna", "auna",
                ],
                "ovna",
            ),
        ];
        /// What a given name's stem may have lost before the ending
        /// (`nikola-evich`: `nikolay`; `dmitr-ievich`: `dmitriy`; `dmytr-ovych`:
        /// `dmytro`).
        const RESTORED: [&str; 6] = ["", "y", "i", "iy", "ii", "o"];
        const STEM_MIN: usize = 3;
        for (suffixes, ending) in ENDINGS {
            for suffix in suffixes {
                let Some(stem) = word.strip_suffix(suffix) else {
                    continue;
                };
                if stem.len() < STEM_MIN {
                    continue;
                }
                for add in RESTORED {
                    let given = format!("{stem}{add}");
                    if self.names.contains(&given)
                        && let Some((canon, _)) = self.phrases.get(&given)
                    {
                        return Some(format!("{canon}{ending}"));
                    }
                }
            }
        }
        None
    }

    /// The canonical tokens of the many-word variants that have `word`
    /// (four letters or more) among their words, sorted.
    ///
    /// ```
    /// let t = sanctions::terms::Terms::shipped();
    /// assert!(t.terms_with_word("making").iter().any(|c| c == "instrumentmaking"));
    /// assert!(!t.terms_with_word("automation").iter().any(|c| c == "instrumentmaking"));
    /// assert!(t.terms_with_word("hikvision").is_empty());
    /// ```
    pub fn terms_with_word(&self, word: &str) -> &[String] {
        self.terms_of_word.get(word).map_or(&[], Vec::as_slice)
    }

    /// The shipped table.
    pub fn shipped() -> &'static Terms {
        static TERMS: OnceLock<Terms> = OnceLock::new();
        TERMS.get_or_init(|| {
            Terms::parse(TERMS_TSV).expect("data/terms/terms.tsv is valid (tested)")
        })
    }

    /// Canonicalize folded words: the longest known phrase at each position
    /// becomes its canonical token.
    pub fn canonicalize(&self, words: &[String]) -> Vec<Token> {
        // Typos of table words are corrected first, so `LUMITED` is a legal form.
        let corrected: Vec<String> = words
            .iter()
            .map(|w| {
                (self.correct(w))
                    .or_else(|| self.restore_vowels(w))
                    .unwrap_or_else(|| w.clone())
            })
            .collect();
        let corrected = self.correct_legal(corrected);
        let originals = words;
        let words = &corrected[..];
        let mut out = Vec::with_capacity(words.len());
        let mut i = 0;
        while i < words.len() {
            let mut matched = None;
            // Only phrases starting with this word can match here.
            let longest = self.longest_from.get(&words[i]).copied().unwrap_or(1);
            for n in (1..=longest.min(words.len() - i)).rev() {
                let hit = if n == 1 {
                    self.phrases.get(&words[i])
                } else {
                    self.phrases.get(&words[i..i + n].join(" "))
                };
                if let Some((canon, class)) = hit {
                    matched = Some((n, canon, *class));
                    break;
                }
            }
            match matched {
                Some((n, canon, class)) => {
                    let phrase = originals[i..i + n].join(" ");
                    out.push(Token {
                        from: (*canon != phrase).then_some(phrase),
                        text: canon.clone(),
                        class,
                    });
                    i += n;
                }
                None => {
                    let (text, class) = match self.stem_of(&words[i]) {
                        Some((canon, class)) => (canon.to_string(), class),
                        None => {
                            let word = (self.patronymic_of(&words[i]))
                                .or_else(|| number_of(&words[i]))
                                .or_else(|| place_of_adjective(&words[i]))
                                .unwrap_or_else(|| words[i].clone());
                            (word, Class::Word)
                        }
                    };
                    out.push(Token {
                        from: (text != originals[i]).then(|| originals[i].clone()),
                        text,
                        class,
                    });
                    i += 1;
                }
            }
        }
        out
    }
}

/// Rule `numbers_as_digits`: a number written as an ordinal (`61st`, `2nd`)
/// or in Roman numerals of three letters or more (`XXI`, `VII`) is its
/// digits, as another authority may write it (`JSC 61ST ARMOR REPAIR
/// PLANT`, `ELECTRICAL PRODUCTS XXI CENTURY` for the 21st century). Shorter
/// Roman numerals are left alone: `XI`, `VI`, `IV` are names and initials
/// as often as numbers.
///
/// ```
/// use sanctions::terms::number_of;
/// assert_eq!(number_of("61st").as_deref(), Some("61"));
/// assert_eq!(number_of("xxi").as_deref(), Some("21"));
/// assert_eq!(number_of("xiv").as_deref(), Some("14"));
/// assert_eq!(number_of("xi"), None); // too short: a name (Xi)
/// assert_eq!(number_of("iix"), None); // no Roman numeral
/// assert_eq!(number_of("first"), None);
/// ```
pub fn number_of(word: &str) -> Option<String> {
    /// The fewest letters of a Roman numeral read as a number.
    const ROMAN_MIN: usize = 3;
    if let Some(digits) = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|suffix| word.strip_suffix(suffix))
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
    {
        return Some(digits.to_string());
    }
    if word.len() < ROMAN_MIN || !word.bytes().all(|b| matches!(b, b'i' | b'v' | b'x')) {
        return None;
    }
    // Tens, then units: the numerals from 1 to 39, each written one way.
    let tens = word.bytes().take_while(|&b| b == b'x').count();
    let units = match &word[tens..] {
        "" => 0,
        "i" => 1,
        "ii" => 2,
        "iii" => 3,
        "iv" => 4,
        "v" => 5,
        "vi" => 6,
        "vii" => 7,
        "viii" => 8,
        "ix" => 9,
        _ => return None,
    };
    (tens <= 3).then(|| (tens * 10 + units).to_string())
}

/// The endings of a Russian adjective made of a place's name that rule
/// `place_of_adjective` strips: the neuter and the genitive, which
/// organizations' names take (`ENGELSSKOE`, `OBNINSKOYE`) and surnames do
/// not (`-sky`, `-skaya`, `-skoy` are surnames' too: `ZELENSKY` is not
/// `ZELENSKAYA`).
const PLACE_ADJECTIVE_ENDINGS: [&str; 3] = ["skoye", "skoe", "skogo"];

/// The fewest letters a place adjective keeps without its ending.
const PLACE_ADJECTIVE_KEEPS: usize = 5;

/// Rule `place_of_adjective`: a Russian adjective made of a place's name, in
/// the neuter or the genitive that an organization's name takes, is the
/// place's name with `sk` (`ENGELSSKOE PRIBOROSTROITELNOE OBYEDINENIE` is
/// the `ENGELS INSTRUMENTATION ASSOCIATION`, `OBNINSKOYE` is `OBNINSK`): an
/// authority that translates the name keeps the place as a noun.
///
/// ```
/// use sanctions::terms::place_of_adjective;
/// assert_eq!(place_of_adjective("obninskoye").as_deref(), Some("obninsk"));
/// assert_eq!(place_of_adjective("engelsskoe").as_deref(), Some("engelssk"));
/// assert_eq!(place_of_adjective("novosibirskogo").as_deref(), Some("novosibirsk"));
/// // Surnames' endings, and too little left.
/// assert_eq!(place_of_adjective("zelensky"), None);
/// assert_eq!(place_of_adjective("donskoy"), None);
/// assert_eq!(place_of_adjective("omskoe"), None);
/// ```
pub fn place_of_adjective(word: &str) -> Option<String> {
    PLACE_ADJECTIVE_ENDINGS.iter().find_map(|ending| {
        let stem = word.strip_suffix(ending)?;
        let place = format!("{stem}sk");
        (place.chars().count() >= PLACE_ADJECTIVE_KEEPS
            && stem.bytes().all(|b| b.is_ascii_lowercase()))
        .then_some(place)
    })
}

/// Fold and canonicalize a name with the shipped table.
pub fn analyze(name: &str) -> Vec<Token> {
    Terms::shipped().canonicalize(&normalize::words(name))
}

/// [`analyze`], with the name read as `reading` says (Cyrillic and Greek
/// look-alikes, a Chinese name's syllables: [`normalize::other_reading`]).
pub fn analyze_read(name: &str, reading: normalize::Reading) -> Vec<Token> {
    Terms::shipped().canonicalize(&normalize::words_read(name, reading))
}

/// The ways one input name may be several ([`normalize::name_parts`]), and
/// the company a branch belongs to (rule `branch_of_company`): a branch has
/// no legal personality of its own, so `KAZ IM. S.P.GORBUNOVA – BRANCH OF
/// PJSC TUPOLEV` is the company `PJSC TUPOLEV`. The words after `branch of`
/// (or Russian `филиал`), up to a dash between spaces, a comma or a
/// semicolon, are a part when they name a company: a legal form and a word
/// of its own. A branch of anything else (`Siberian Branch of the Russian
/// Academy of Sciences`) is not its parent.
///
/// ```
/// use sanctions::terms::name_parts;
/// assert_eq!(
///     name_parts("LMZ – BRANCH OF PJSC ODK-UMPO"),
///     vec!["LMZ – BRANCH OF PJSC ODK-UMPO", "PJSC ODK-UMPO"]
/// );
/// assert_eq!(name_parts("BRANCH OF THE ACADEMY OF SCIENCES").len(), 1);
/// ```
///
/// Names of two companies joined by a comma, the first ending in its legal
/// form (`PZ MASH JSC, PERMSKY ZAVOD MASHYNOSTROITEL JSC`; a group and its
/// member, `Tactical Missiles Corporation, RKB Globus`), are each a part
/// too (rule `companies_after_a_legal_form`, [`companies_after_legal_form`]).
pub fn name_parts(name: &str) -> Vec<String> {
    let mut parts = normalize::name_parts(name);
    let more = branch_parent(name)
        .map(str::to_string)
        .into_iter()
        .chain(
            companies_after_legal_form(name)
                .into_iter()
                .map(str::to_string),
        )
        .chain(without_namesake(name))
        .chain(without_quoted_title(name))
        .chain(abd_glued(name))
        .chain(indonesian_sya(name));
    for part in more {
        if !parts.contains(&part) {
            parts.push(part);
        }
    }
    parts
}

/// Titles and ranks that a list writes in quotes before a person's name
/// (rule `quoted_title`, [`without_quoted_title`]).
const QUOTED_TITLES: [&str; 26] = [
    "general",
    "gen",
    "colonel",
    "col",
    "commander",
    "commandant",
    "captain",
    "capt",
    "major",
    "lieutenant",
    "lt",
    "sergeant",
    "marshal",
    "admiral",
    "brigadier",
    "doctor",
    "dr",
    "professor",
    "prof",
    "engineer",
    "sheikh",
    "shaykh",
    "mullah",
    "ustadh",
    "ustadz",
    "imam",
];

/// Rule `quoted_title`: a rank or title written in quotes (`“General”
/// Sidiki`, `"Colonel" Ahmed Salem`), as the UN list writes what a person
/// is called, is no name of his: the name is also read without it, when a
/// word is left. A quoted word that is no title (a nickname) stays.
///
/// ```
/// use sanctions::terms::without_quoted_title;
/// assert_eq!(without_quoted_title("“General” Sidiki").as_deref(), Some("Sidiki"));
/// assert_eq!(without_quoted_title("\"Col.\" Ahmed Salem").as_deref(), Some("Ahmed Salem"));
/// assert_eq!(without_quoted_title("“Tiger” Sidiki"), None); // a nickname
/// assert_eq!(without_quoted_title("General Sidiki"), None); // no quotes
/// assert_eq!(without_quoted_title("“General”"), None); // nothing left
/// ```
pub fn without_quoted_title(name: &str) -> Option<String> {
    const QUOTES: [char; 9] = ['"', '“', '”', '„', '«', '»', '‘', '’', '\''];
    let mut chars = name.char_indices().peekable();
    while let Some((open, c)) = chars.next() {
        if !QUOTES.contains(&c) {
            continue;
        }
        let inner_at = open + c.len_utf8();
        let len = name[inner_at..].find(|c: char| QUOTES.contains(&c))?;
        let close = inner_at + len;
        let inner = name[inner_at..close].trim().trim_end_matches('.');
        if QUOTED_TITLES.contains(&inner.to_lowercase().as_str()) {
            let end = close + name[close..].chars().next().map_or(0, char::len_utf8);
            let left = format!("{} {}", &name[..open], &name[end..]);
            let left = left.split_whitespace().collect::<Vec<_>>().join(" ");
            return analyze(&left)
                .iter()
                .any(|t| t.class == Class::Word)
                .then_some(left);
        }
        // Past the closing quote.
        while chars.next_if(|&(i, _)| i <= close).is_some() {}
    }
    None
}

/// The forms of `ʿAbd` ("servant of") that begin a name of God
/// (`Abd al-Sattar`, `Abdel Khader`, `Abdul Rahman`, `Abdur Rahman`): the
/// word, with its article or linking vowel (rule `abd_glued`).
const ABD_FORMS: [&str; 18] = [
    "abd", "abdu", "abdo", "abdel", "abdul", "abdal", "abdol", "abdil", "abdoul", "abdur", "abdar",
    "abdor", "abdus", "abdes", "abdas", "abdush", "abdesh", "abdan",
];

/// The Arabic article, also as assimilated to a sun letter, written as a
/// word between `Abd` and the name (`Abd al-Sattar`, `Abd ar-Rahman`).
const ABD_ARTICLES: [&str; 14] = [
    "al", "el", "ul", "il", "ar", "er", "ur", "as", "es", "us", "an", "en", "ad", "ed",
];

/// Rule `abd_glued`: a name that begins with `ʿAbd` is one name however it
/// is written: apart (`Abdel Khader`, `Abd al-Sattar`) or glued
/// (`ABDELKADER`, `ABDULASATTAR`), and the authorities also spell its
/// parts differently (`Khader` / `kader`), so glued words cannot be met
/// letter for letter. A name in Latin letters with such a word apart is
/// also read with it glued to the name that follows (and to an article
/// between), as one word.
///
/// ```
/// use sanctions::terms::abd_glued;
/// assert_eq!(
///     abd_glued("Abdel Khader Mahmoud Mohamed el Sayed").as_deref(),
///     Some("abdelkhader mahmoud mohamed el sayed")
/// );
/// assert_eq!(abd_glued("Abd al-Sattar Ahmed").as_deref(), Some("abdalsattar ahmed"));
/// assert_eq!(abd_glued("ABDELKADER Mahmoud"), None); // already one word
/// assert_eq!(abd_glued("Abdul bin Laden"), None); // a particle follows
/// assert_eq!(abd_glued("Abdul"), None);
/// assert_eq!(abd_glued("عبد الستار"), None); // Arabic script: already one name
/// ```
pub fn abd_glued(name: &str) -> Option<String> {
    // Latin letters only (accented ones too): other scripts are romanized
    // by rules of their own (Arabic script keeps `عبد ال...` one name).
    if !in_latin_letters(name) {
        return None;
    }
    let words = normalize::words(name);
    let particle = |w: &str| {
        NASAB_LINKS.contains(&w)
            || ["abu", "abou", "ag"].contains(&w)
            || ABD_ARTICLES.contains(&w)
            || ABD_FORMS.contains(&w)
    };
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut glued = false;
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        if ABD_FORMS.contains(&w.as_str()) {
            let article = (words.get(i + 1)).filter(|a| ABD_ARTICLES.contains(&a.as_str()));
            let at = i + 1 + usize::from(article.is_some());
            if let Some(next) = words.get(at).filter(|n| n.len() >= 3 && !particle(n)) {
                out.push(format!("{w}{}{next}", article.map_or("", |a| a.as_str())));
                glued = true;
                i = at + 1;
                continue;
            }
        }
        out.push(w.clone());
        i += 1;
    }
    glued.then(|| out.join(" "))
}

/// Rule `indonesian_sya`: Indonesian and Malay spelling writes Arabic `sh`
/// as `sy` (`Syarif`, `Syamsul`), and writes it for a plain `s` too
/// (`Syaifudin`, `Syaiful` for `SAIFUDDIN`, `Saiful`): a name in Latin
/// letters with a word beginning `Sya` is also read with `Sa`. Other `Sy`
/// words are left alone (`Syed`, `Syria`, `Sylvia`).
///
/// ```
/// use sanctions::terms::indonesian_sya;
/// assert_eq!(indonesian_sya("Udtadz Syaifudin").as_deref(), Some("udtadz saifudin"));
/// assert_eq!(indonesian_sya("Syed Ali"), None);
/// assert_eq!(indonesian_sya("Ahmad Sya"), None); // too short to be a name so spelt
/// ```
pub fn indonesian_sya(name: &str) -> Option<String> {
    /// The fewest letters a `Sya...` word has for the rule.
    const MIN_LETTERS: usize = 5;
    if !in_latin_letters(name) {
        return None;
    }
    let mut words = normalize::words(name);
    let mut changed = false;
    for w in &mut words {
        if w.starts_with("sya") && w.chars().count() >= MIN_LETTERS {
            w.remove(1);
            changed = true;
        }
    }
    changed.then(|| words.join(" "))
}

/// Are all the letters of `name` Latin (accented ones too)? Rules
/// [`abd_glued`] and [`indonesian_sya`] read only such names.
fn in_latin_letters(name: &str) -> bool {
    let latin =
        |c: char| c.is_ascii() || matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}');
    name.chars().all(|c| !c.is_alphabetic() || latin(c))
}

/// Particles as written that link the names of a nasab (`son of`): rule
/// `nasab_chain` links names by them, and rule [`abd_glued`] glues no
/// `Abd` to one.
pub(crate) const NASAB_LINKS: [&str; 6] = ["bin", "ben", "ibn", "bint", "ould", "walad"];

/// Rule `named_after_left_out`: an organization named after a person
/// (`NPO SPLAV IM. A.N. GANICHEVA JSC`, `DMZ NAMED AFTER N.P. FEDOROV`,
/// `... имени К.А. Валиева`) is listed by one authority with its namesake
/// and by another without: the name read without the marker and the
/// person's initials and surname, when what is left has a word of its own.
/// `named after`, `imeni` and `имени` mark a namesake whatever follows;
/// `im` (`им.`) only before an initial, since `Im` is also a name.
///
/// ```
/// use sanctions::terms::without_namesake;
/// assert_eq!(without_namesake("NPO SPLAV IM A.N. GANICHEVA JSC").as_deref(), Some("NPO SPLAV JSC"));
/// assert_eq!(
///     without_namesake("DMZ NAMED AFTER N.P. FEDOROV JSC").as_deref(),
///     Some("DMZ JSC")
/// );
/// assert_eq!(without_namesake("CHPO IM. V.I.CHAPAEVA JSC").as_deref(), Some("CHPO JSC"));
/// assert_eq!(without_namesake("IM SOO KYUNG TRADING"), None);
/// assert_eq!(without_namesake("NAMED AFTER PUSHKIN"), None); // nothing left
/// ```
pub fn without_namesake(name: &str) -> Option<String> {
    let lower = name.to_lowercase();
    // Offsets in `lower` are offsets in `name` only if lower-casing kept
    // every letter's length (as it does for Latin and Cyrillic).
    if lower.len() != name.len() {
        return None;
    }
    const MARKERS: [(&str, bool); 6] = [
        ("named after ", false),
        ("imeni ", false),
        ("имени ", false),
        ("im. ", true),
        ("им. ", true),
        ("im ", true),
    ];
    let (start, after, needs_initial) = MARKERS.iter().find_map(|&(marker, initial)| {
        lower.match_indices(marker).find_map(|(i, _)| {
            let starts_word = lower[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            starts_word.then_some((i, i + marker.len(), initial))
        })
    })?;
    // The namesake: initials (`A.N.`, `A. N.`, `V.I.CHAPAEVA`), then a surname.
    let rest = &name[after..];
    let mut chars = rest.char_indices().peekable();
    let mut initials = 0;
    let end = loop {
        while chars.next_if(|&(_, c)| c.is_whitespace()).is_some() {}
        let &(at, c) = chars.peek()?;
        if !c.is_alphabetic() {
            return None;
        }
        let word_end = rest[at..]
            .find(|c: char| !(c.is_alphabetic() || c == '-'))
            .map_or(rest.len(), |e| at + e);
        let word = &rest[at..word_end];
        let dotted = rest[word_end..].starts_with('.');
        if word.chars().count() == 1 {
            initials += 1;
            while chars
                .next_if(|&(i, _)| i < word_end + usize::from(dotted))
                .is_some()
            {}
            continue;
        }
        break word_end;
    };
    if needs_initial && initials == 0 {
        return None;
    }
    let before = name[..start].trim_end();
    let after = rest[end..].trim_start_matches('.').trim();
    let left = format!("{before} {after}").trim().to_string();
    analyze(&left)
        .iter()
        .any(|t| t.class == Class::Word)
        .then_some(left)
}

/// Rule `companies_after_a_legal_form`: the pieces of `name` between
/// commas, split only after a piece that ends in a legal form and has a
/// word of its own, when the piece after it has a word of its own too.
/// A comma before a legal form (`ROMASHKA, OOO`), inside one (`DeNA Co.,
/// Ltd./ADR`) or in a person's name (`SMITH, John`) splits nothing.
///
/// ```
/// use sanctions::terms::companies_after_legal_form;
/// assert_eq!(
///     companies_after_legal_form("Tactical Missiles Corporation, RKB Globus"),
///     ["Tactical Missiles Corporation", "RKB Globus"]
/// );
/// assert!(companies_after_legal_form("NPO SPLAV, OAO").is_empty());
/// assert!(companies_after_legal_form("SMITH, John").is_empty());
/// ```
pub fn companies_after_legal_form(name: &str) -> Vec<&str> {
    let own_word = |tokens: &[Token]| tokens.iter().any(|t| t.class == Class::Word);
    let pieces: Vec<&str> = name.split(',').map(str::trim).collect();
    let mut parts = Vec::new();
    for i in 0..pieces.len().saturating_sub(1) {
        let before = analyze(pieces[i]);
        let ends_legal = before.last().is_some_and(|t| t.class == Class::Legal);
        let after = analyze(pieces[i + 1]);
        // The comma must not stand inside one legal form (`DeNA Co., Ltd.`).
        let across = analyze(&format!("{} {}", pieces[i], pieces[i + 1]));
        let apart = across.len() == before.len() + after.len();
        if ends_legal && apart && own_word(&before) && own_word(&after) {
            parts.push(i);
        }
    }
    if parts.is_empty() {
        return Vec::new();
    }
    // Each run of pieces up to a split, and what follows the last one.
    let mut out = Vec::new();
    let mut from = 0;
    for &i in &parts {
        out.push(piece_span(name, &pieces, from, i));
        from = i + 1;
    }
    out.push(piece_span(name, &pieces, from, pieces.len() - 1));
    out.retain(|p| !p.is_empty());
    out
}

/// The text of `name` from the start of piece `first` to the end of piece
/// `last` (pieces split at commas and trimmed).
fn piece_span<'n>(name: &'n str, pieces: &[&str], first: usize, last: usize) -> &'n str {
    let offset = |p: &str| p.as_ptr() as usize - name.as_ptr() as usize;
    let (a, b) = (pieces[first], pieces[last]);
    &name[offset(a)..offset(b) + b.len()]
}

/// The company named after `branch of` or `филиал` in `name`, if the words
/// there hold a legal form and a word of their own ([`name_parts`]).
fn branch_parent(name: &str) -> Option<&str> {
    let lower = name.to_lowercase();
    // Offsets in `lower` are offsets in `name` only if lower-casing kept
    // every letter's length (as it does for Latin and Cyrillic).
    if lower.len() != name.len() {
        return None;
    }
    let at = ["branch of ", "филиал "].iter().find_map(|marker| {
        lower.match_indices(marker).find_map(|(i, _)| {
            let starts_word = lower[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            starts_word.then_some(i + marker.len())
        })
    })?;
    let rest = &name[at..];
    let end = [" – ", " - ", " — ", ",", ";"]
        .iter()
        .filter_map(|sep| rest.find(sep))
        .min()
        .unwrap_or(rest.len());
    let parent = rest[..end].trim();
    let tokens = analyze(parent);
    let legal = tokens.iter().any(|t| t.class == Class::Legal);
    let own = tokens.iter().any(|t| t.class == Class::Word);
    (legal && own).then_some(parent)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The letter-set test in [`slip_of`] only skips words that are no
        /// slip: it answers as the comparison alone did.
        #[test]
        fn a_slip_is_told_as_without_the_letter_set(
            target in "[ltdcoa]{2,5}|(ltd|llc|inc|gmbh|sarl|ooo)",
            word in "[ltdcoaé]{2,6}",
        ) {
            proptest::prop_assert_eq!(slip_of(&target, &word), is_slip(&target, &word));
            let doubled = format!("{}{}", &target[..1], target);
            proptest::prop_assert!(slip_of(&target, &doubled));
        }
    }

    /// Rule `patronymic_of_a_known_name`: patronymics of one given name
    /// written in Russian, Ukrainian or Belarusian meet.
    #[test]
    fn patronymics_of_one_given_name_meet_in_any_language() {
        let pairs = [
            ("PODOBED, Yury Nikolaevich", "Yury Mikalaevich PADABED"),
            (
                "LVOVA-BELOVA, Maria Alexeyevna",
                "ЛЬВОВА-БЄЛОВА Марія Олексіївна",
            ),
            ("SYTII, Dmitry Sergeevich", "СИТИЙ Дмитро Сергійович"),
            ("PYATYKH, Galina Anatolevna", "Новікова Галина Анатоліївна"),
            ("Ivan Dmitrievich", "Ivan Dmytrovych"),
        ];
        for (listed, other) in pairs {
            let a = texts(listed);
            let b = texts(other);
            let pat = a
                .iter()
                .find(|w| w.ends_with("ovich") || w.ends_with("ovna"));
            assert!(
                pat.is_some_and(|p| b.contains(p)),
                "{listed} / {other}: {a:?} {b:?}"
            );
        }
        // A son is not a daughter; an unknown name's patronymic stays.
        assert_ne!(texts("Ivan Nikolaevich"), texts("Ivan Nikolaevna"));
        assert_eq!(texts("Petr Ivanovich"), ["pyotr", "ivanovich"]);
    }

    /// Rule `companies_after_a_legal_form`.
    #[test]
    fn names_of_companies_joined_by_a_comma_are_parts() {
        let cases: [(&str, &[&str]); 7] = [
            (
                "PZ MASH JSC, PERMSKY ZAVOD MASHYNOSTROITEL JSC",
                &["PZ MASH JSC", "PERMSKY ZAVOD MASHYNOSTROITEL JSC"],
            ),
            (
                "Tactical Missiles Corporation, AO TMKB ‘Soyuz’",
                &["Tactical Missiles Corporation", "AO TMKB ‘Soyuz’"],
            ),
            // A legal form after the comma, a person, a comma after no
            // legal form, a legal form alone after it: one name.
            ("ROMASHKA, OOO", &[]),
            ("SMITH, John", &[]),
            ("Popular, Inc. - Popular Capital Trust II", &[]),
            ("ACME TRADING LTD, INC.", &[]),
            ("DeNA Co., Ltd./ADR", &[]),
        ];
        for (name, want) in cases {
            assert_eq!(companies_after_legal_form(name), want, "{name}");
            let parts = name_parts(name);
            for w in want {
                assert!(parts.iter().any(|p| p == w), "{name}: {parts:?}");
            }
        }
    }

    /// Rule `named_after_left_out`.
    #[test]
    fn an_organization_is_also_read_without_its_namesake() {
        let cases: [(&str, Option<&str>); 9] = [
            ("NPO SPLAV IM A.N. GANICHEVA JSC", Some("NPO SPLAV JSC")),
            ("DMZ NAMED AFTER N.P. FEDOROV JSC", Some("DMZ JSC")),
            ("CHPO IM. V.I.CHAPAEVA JSC", Some("CHPO JSC")),
            ("ОАО «Завод им. В.А. Дегтярева»", Some("ОАО «Завод »")),
            (
                "Физико-технологический институт имени К.А. Валиева РАН",
                Some("Физико-технологический институт РАН"),
            ),
            ("MOSCOW THEATRE NAMED AFTER PUSHKIN", Some("MOSCOW THEATRE")),
            // `Im` a name, not a marker; nothing of its own left.
            ("IM SOO KYUNG TRADING", None),
            ("NAMED AFTER A.S. PUSHKIN", None),
            ("SMITH TIM LTD", None),
        ];
        for (name, want) in cases {
            assert_eq!(without_namesake(name).as_deref(), want, "{name}");
            if let Some(w) = want {
                assert!(name_parts(name).iter().any(|p| p == w), "{name}");
            }
        }
    }

    /// Rule `branch_of_company`.
    #[test]
    fn a_branch_of_a_company_is_also_read_as_the_company() {
        let cases: [(&str, Option<&str>); 7] = [
            ("LMZ – BRANCH OF PJSC ODK-UMPO", Some("PJSC ODK-UMPO")),
            (
                "BRANCH OF PJSC TUPOLEV – KAZAN AVIATION PLANT NAMED AFTER S.P.GORBUNOV",
                Some("PJSC TUPOLEV"),
            ),
            (
                "OMSK MOTOR ENGINEERING DESIGN BUREAU, A BRANCH OF UEC-SATURN PJSC",
                Some("UEC-SATURN PJSC"),
            ),
            (
                "Филиал ПАО «Туполев» - Казанский завод",
                Some("ПАО «Туполев»"),
            ),
            // No legal form, or nothing but one: not a company.
            ("SIBERIAN BRANCH OF THE RUSSIAN ACADEMY OF SCIENCES", None),
            ("BRANCH OF JSC", None),
            ("SMITH BRANCH OFFICE LTD", None),
        ];
        for (name, want) in cases {
            assert_eq!(branch_parent(name), want, "{name}");
            let mut other = normalize::name_parts(name);
            other.extend(want.map(str::to_string));
            other.extend(without_namesake(name)); // rule `named_after_left_out`
            assert_eq!(name_parts(name), other, "{name}");
        }
    }

    #[test]
    fn a_quoted_title_is_left_out_of_a_part() {
        // Rule `quoted_title`.
        let parts = name_parts("“General” Sidiki");
        assert_eq!(parts[0], "“General” Sidiki");
        assert!(parts.contains(&"Sidiki".to_string()), "{parts:?}");
        assert_eq!(
            without_quoted_title("Ahmed \"Colonel\" Salem").as_deref(),
            Some("Ahmed Salem")
        );
        // A nickname in quotes is his name; a title without quotes may be
        // a company's word (`General Sidiki Trading`).
        assert_eq!(without_quoted_title("“Tiger” Sidiki"), None);
        assert_eq!(without_quoted_title("General Sidiki Trading"), None);
        assert_eq!(without_quoted_title("'General'"), None);
    }

    #[test]
    fn an_abd_name_written_apart_is_also_read_glued() {
        // Rule `abd_glued`.
        let parts = name_parts("Abdel Khader Mahmoud Mohamed el Sayed");
        assert!(
            parts.contains(&"abdelkhader mahmoud mohamed el sayed".to_string()),
            "{parts:?}"
        );
        assert_eq!(abd_glued("Abd al-Sattar").as_deref(), Some("abdalsattar"));
        assert_eq!(
            abd_glued("ABDUL RAHMAN, Ali").as_deref(),
            Some("abdulrahman ali")
        );
        assert_eq!(abd_glued("Abdur-Rahman").as_deref(), Some("abdurrahman"));
        // Nothing to glue: one word already, a particle or nothing after.
        assert_eq!(abd_glued("ABDELKADER Mahmoud"), None);
        assert_eq!(abd_glued("Abdul bin Laden"), None);
        assert_eq!(abd_glued("SALIM, Abdul"), None);
        // Only in Latin letters.
        assert_eq!(abd_glued("Абдул Рахман"), None);
        assert_eq!(abd_glued("عبد الستار"), None);
    }

    #[test]
    fn an_indonesian_sya_is_also_read_sa() {
        // Rule `indonesian_sya`.
        let parts = name_parts("Udtadz Syaifudin");
        assert!(parts.contains(&"udtadz saifudin".to_string()), "{parts:?}");
        assert_eq!(
            indonesian_sya("SYAMSUL Bahri").as_deref(),
            Some("samsul bahri")
        );
        assert_eq!(indonesian_sya("Syed Ali Shah"), None);
        assert_eq!(indonesian_sya("Syria Trading"), None);
        assert_eq!(indonesian_sya("Сяргей"), None);
    }

    fn texts(name: &str) -> Vec<String> {
        analyze(name).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn shipped_table_parses() {
        Terms::parse(TERMS_TSV).unwrap();
    }

    #[test]
    fn legal_forms_are_canonical_wherever_they_stand() {
        let cases = [
            ("ROMASHKA, OOO", vec!["romashka", "llc"]),
            (
                "LIMITED LIABILITY CORPORATION GELIOS",
                vec!["llc", "gelios"],
            ),
            (
                "FKP PERM POWDER PLANT",
                vec!["fkp", "perm", "powder", "plant"],
            ),
            (
                "FEDERAL STATE ENTERPRISE PERM POWDER PLANT",
                vec!["fkp", "perm", "powder", "plant"],
            ),
            ("ONERBANK ZAT", vec!["onerbank", "jsc"]),
            // A money-service business is named by its kind as by a legal form.
            ("AL-KAWTHAR HAWALA", vec!["al", "kawthar", "hawala"]),
            ("ROSHAN MONEY EXCHANGE", vec!["roshan", "hawala"]),
            ("ROSHAN SARAFI", vec!["roshan", "hawala"]),
            // Read as written only: a name a letter off is a name.
            ("Marita HAKALA", vec!["marita", "hakala"]),
            ("Reza SHARAFI", vec!["reza", "sharafi"]),
            (
                "VEND ORE GESELLSCHAFT MIT BESCHRÄNKTER HAFTUNG",
                vec!["vend", "ore", "llc"],
            ),
            ("ADORABELLA AKTIENGESELLSCHAFT", vec!["adorabella", "jsc"]),
            ("PUBLIC JOINT STOCK CO RUSHYDRO", vec!["jsc", "rushydro"]),
            ("Cyberinn PTE LIMITED", vec!["cyberinn", "ltd"]),
            ("FSBI MORSPASSLUZHBA", vec!["fsbi", "morspassluzhba"]),
            ("OOO Romashka", vec!["llc", "romashka"]),
            ("Romashka LLC", vec!["romashka", "llc"]),
            (
                "Romashka Limited Liability Company",
                vec!["romashka", "llc"],
            ),
            ("China Mobile Co., Ltd.", vec!["china", "mobile", "ltd"]),
            (
                "China Mobile Company Limited",
                vec!["china", "mobile", "ltd"],
            ),
            (
                "China Mobile Limited Company",
                vec!["china", "mobile", "ltd"],
            ),
            (
                "PUBLIC JOINT STOCK COMPANY TRANSNEFT",
                vec!["jsc", "transneft"],
            ),
            ("ПАО Транснефть", vec!["jsc", "transneft"]),
            ("ENVIGH, S. DE R.L. DE C.V.", vec!["envigh", "llc"]),
            (
                "TABACALERA DEL ESTE INC.",
                vec!["tabacalera", "the", "este", "inc"],
            ),
        ];
        for (name, want) in cases {
            assert_eq!(texts(name), want, "{name}");
        }
    }

    #[test]
    fn abbreviations_expand() {
        // A country's other English name: Burma is Myanmar (Myanma in the
        // names of its state enterprises).
        assert_eq!(
            texts("Burma Investment Bank"),
            texts("MYANMA INVESTMENT BANK")
        );
        assert_eq!(texts("MYANMAR"), texts("Burmese"));
        let cases = [
            (
                "GUANGZHOU HAIGE COMM GRP",
                vec!["guangzhou", "haige", "communication", "group"],
            ),
            (
                "CNOOC ENERGY TECH & SRVCES LTD",
                vec!["cnooc", "energy", "technology", "service", "ltd"],
            ),
            (
                "UNITED INSTRUMENT MFG CORPORATION",
                vec!["united", "instrument", "manufacturing", "inc"],
            ),
            (
                "SHEN YANG IMP & EXP",
                vec!["shen", "yang", "import", "export"],
            ),
            ("Sun Yat-Sen Univ.", vec!["sun", "yat", "sen", "university"]),
            ("Intl Trading", vec!["international", "trading"]),
            ("SKOLKOVO FDN.", vec!["skolkovo", "foundation"]),
            (
                "GHADIR INDL. TRADING",
                vec!["ghadir", "industry", "trading"],
            ),
            (
                "WESTLINE ENTS., INC.",
                vec!["westline", "enterprise", "inc"],
            ),
            (
                "Central Right Invs Ltd.",
                vec!["central", "right", "investment", "ltd"],
            ),
        ];
        for (name, want) in cases {
            assert_eq!(texts(name), want, "{name}");
        }
        // Ranks and generational suffixes are minor words.
        for name in [
            "Col. DANIEL, Saw",
            "HAMAWI, Ahmad Jr.",
            "ZAYDAN, Mustafa II",
        ] {
            assert_eq!(
                analyze(name)
                    .iter()
                    .filter(|t| t.class == Class::Minor)
                    .count(),
                1,
                "{name}"
            );
        }
    }

    #[test]
    fn name_variants_meet() {
        for (a, b) in [
            ("Mohammed", "Muhammad"),
            ("Qasem", "Qassem"),
            ("Kasim", "Qasem"),
            ("Aleksandr", "Alexander"),
            ("Sergei", "Sergey"),
            ("Yousef", "Yusuf"),
            ("Mostafa Kamel", "Mustafa Kamal"),
            ("Djamel Abdellah", "Jamal Abdullah"),
            ("Faycal", "Faisal"),
            ("Iuri Olha", "Yury Olga"),
            ("Юрый", "Yury"), // Belarusian
            ("Abou", "Abu"),
            // Somali spelling writes ḥ as x and ʿayn as c.
            ("Xasan Xuseen Cumar", "Hassan Hussein Omar"),
            ("Maxamed Axmed Cali", "Mohamed Ahmed Ali"),
            ("Aadan Cabdi", "Adam Abdi"),
            // South Asian spelling of Sayyid.
            ("Syed Akber", "Seyed Akbar"),
            // Indonesian and Malay abbreviations of Muhammad.
            ("Muh Saifudin", "Muhammad Saifudin"),
            ("Moh Hatta", "Mohammed Hatta"),
        ] {
            assert_eq!(texts(a), texts(b), "{a} vs {b}");
        }
        // Different names stay different (Salah is not Saleh, Jassem is not Kassem).
        assert_ne!(texts("Salah"), texts("Saleh"));
        assert_ne!(texts("Jassem"), texts("Kassem"));
        // The abbreviations are whole words: Muhsin and Mohsen are names of their own.
        assert_ne!(texts("Muhsin"), texts("Muhammad"));
        assert_ne!(texts("Mohsen"), texts("Muhammad"));
        // Bashar (بشار) is not a typo of Bashir (بشير).
        assert_ne!(texts("Bashar"), texts("Bashir"));
        assert_eq!(texts("Bachar"), texts("Bashar"));
    }

    #[test]
    fn typos_of_table_words_are_corrected_before_canonicalizing() {
        for (name, want) in [
            ("PEGASUS 88 LUMITED", vec!["pegasus", "88", "ltd"]),
            (
                "BUSHEHR SHIPPING COMANY LIMITED",
                vec!["bushehr", "shipping", "ltd"],
            ),
            ("JSC POWER MATCHINES", vec!["jsc", "power", "machinery"]),
        ] {
            assert_eq!(texts(name), want, "{name}");
        }
        // Legal forms written without vowels are the legal forms.
        for (name, want) in [
            (
                "KRA HYKSN TRDNG CRPRTN",
                vec!["kra", "hyksn", "trdng", "inc"],
            ),
            ("ALPHA SHPPNG CMPNY LMTD", vec!["alpha", "shppng", "ltd"]),
            ("ALPHA CRPRTN LMTD", vec!["alpha", "ltd"]),
        ] {
            assert_eq!(texts(name), want, "{name}");
        }
        // Rare words and short words are left alone.
        assert_eq!(
            texts("SENSETIME HIKVISION ABC"),
            ["sensetime", "hikvision", "abc"]
        );
    }

    #[test]
    fn places_and_honorifics_are_minor_and_keep_their_identity() {
        let t = analyze("Mrs. NAJJAR, Khamis Hong Kong");
        let minor: Vec<&str> = t
            .iter()
            .filter(|t| t.class == Class::Minor)
            .map(|t| t.text.as_str())
            .collect();
        assert_eq!(minor, ["mrs", "hongkong"]);
        assert_ne!(texts("UAE"), texts("USA"));
        let classes = |name: &str| analyze(name).iter().map(|t| t.class).collect::<Vec<_>>();
        // A city in its local spelling; an annotation written into a name.
        assert_eq!(
            classes("GOODFORWARDING DOO BEOGRAD"),
            [Class::Word, Class::Legal, Class::Minor]
        );
        assert_eq!(
            classes("ALFA (f.k.a. BETA)"),
            [Class::Word, Class::Stop, Class::Word]
        );
        // A country's adjective is its name, as `chinese` is `china`.
        assert_eq!(texts("BELARUSIAN KGB"), texts("Belarus KGB"));
        assert_eq!(classes("BELARUSIAN KGB"), [Class::Minor, Class::Word]);
    }

    /// Rule `numbers_as_digits`.
    #[test]
    fn ordinals_and_roman_numerals_are_digits() {
        assert_eq!(
            texts("JSC 61ST ARMOR REPAIR PLANT"),
            texts("JSC 61 ARMOR REPAIR PLANT")
        );
        assert_eq!(texts("XXI CENTURY"), texts("21st century"));
        assert_eq!(texts("Henry VIII"), texts("Henry 8th"));
        // Clean look-alikes: a short numeral is a name or initials, a
        // word of those letters no numeral, a number another number.
        assert_eq!(texts("Xi Jinping"), ["xi", "jinping"]);
        assert_eq!(texts("XIX"), ["19"]);
        assert_ne!(texts("XXI CENTURY"), texts("XXII CENTURY"));
        assert_eq!(texts("VIIX"), ["viix"]);
    }

    #[test]
    fn romanized_russian_words_of_industry_meet_their_translation() {
        // Inflected as written in a name, or transliterated from Cyrillic.
        assert_eq!(
            texts("ARZAMASSKIY PRIBOROSTROITELNYI ZAVOD"),
            texts("ARZAMASSKIY INSTRUMENT-MAKING PLANT")
        );
        assert_eq!(
            texts("Конструкторское бюро машиностроения"),
            ["design", "bureau", "machinery"]
        );
        assert_eq!(
            texts("DESIGN BUREAU OF MECHANICAL ENGINEERING"),
            ["design", "bureau", "the", "machinery"]
        );
        // A machine-tool works (станкостроительный завод) builds machinery.
        assert_eq!(
            texts("Станкостроительный завод"),
            texts("MACHINE TOOL BUILDING PLANT")
        );
        assert_eq!(texts("SEVER MACHINE TOOLS"), texts("SEVER MACHINERY"));
        // Tools alone are no machinery.
        assert_ne!(texts("SEVER TOOLS"), texts("SEVER MACHINERY"));
        // Завод is a plant, a works or a factory (фабрика) in translation.
        assert_eq!(texts("OBUKHOVSKY ZAVOD"), texts("OBUKHOVSKY FACTORY"));
        assert_eq!(texts("KRASNAYA FABRIKA"), texts("KRASNAYA PLANT"));
        // Авиа- is aero, aircraft or aviation in translation.
        assert_eq!(
            texts("AERO ENGINE SCIENTIFIC AND TECHNICAL COMPLEX"),
            texts("AIRCRAFT ENGINE SCIENTIFIC AND TECHNICAL COMPLEX")
        );
        assert_eq!(
            texts("711 AIRCRAFT REPAIR PLANT"),
            texts("711 AVIATION REPAIR PLANT")
        );
        // A many-word term is also written glued.
        assert_eq!(
            texts("MACHINEBUILDING PLANT"),
            texts("MACHINE BUILDING PLANT")
        );
        // Company names in Cyrillic beside their romanized listing.
        let sorted = |name: &str| {
            let mut t = texts(name);
            t.sort();
            t
        };
        assert_eq!(
            sorted("АО Российский сельскохозяйственный банк"),
            sorted("JOINT STOCK COMPANY RUSSIAN AGRICULTURAL BANK")
        );
        assert_eq!(
            sorted("Российская Венчурная Компания"),
            sorted("RUSSIAN VENTURE COMPANY")
        );
        assert_eq!(
            sorted("Информационные спутниковые системы"),
            sorted("INFORMATION SATELLITE SYSTEMS")
        );
        // The noun is the adjective, as `science` is `scientific`
        // (`CENTER FOR AGRICULTURE AND MEDICINE`, `AGRICULTURAL AND
        // MEDICAL CENTER`, `медицинский`); other words of those letters
        // are not.
        assert_eq!(texts("AGRICULTURE"), texts("AGRICULTURAL"));
        assert_eq!(texts("MEDICINE"), texts("MEDICAL"));
        // More sciences and industries, romanized or in Cyrillic.
        assert_eq!(
            texts("FGUP GIDROGRAFICHESKOE PREDPRIYATIE"),
            texts("FSUE HYDROGRAPHIC ENTERPRISE")
        );
        assert_eq!(
            texts("Фармацевтическая компания"),
            texts("PHARMACEUTICAL COMPANY")
        );
        assert_eq!(texts("ЯДЕРНЫЙ ЦЕНТР"), texts("NUCLEAR CENTER"));
        assert_eq!(texts("GEOLOGICHESKAYA"), ["geological"]);
        assert_eq!(texts("METALLURGICHESKIY ZAVOD"), ["metallurgical", "plant"]);
        assert_eq!(texts("Медицинский центр"), ["medical", "center"]);
        assert_eq!(texts("MEDICI"), ["medici"]);
        assert_ne!(texts("MEDINA"), texts("MEDICAL"));
        // A stem takes endings, not any continuation.
        assert_eq!(texts("ZAVODSKOY"), ["zavodskoy"]);
        assert!(Terms::parse("abbr\t=\tzav*").is_err());
    }

    /// Rule `place_of_adjective`.
    #[test]
    fn a_place_adjective_of_an_organization_is_its_place() {
        assert_eq!(
            texts("ENGELSSKOE PRIBOROSTROITELNOE OBYEDINENIE SIGNAL"),
            ["engelssk", "instrumentmaking", "association", "signal"]
        );
        assert_eq!(texts("Обнинское НПП"), texts("OBNINSK NPP"));
        // Industry words of the table keep their own rows
        // (`konstruktorskoe` is design).
        assert_eq!(texts("KONSTRUKTORSKOE BYURO"), ["design", "bureau"]);
        // Surnames keep their endings.
        assert_eq!(texts("ZELENSKAYA"), ["zelenskaya"]);
        assert_eq!(texts("DONSKOY"), ["donskoy"]);
    }

    #[test]
    fn bad_tables_are_rejected_with_line() {
        assert!(Terms::parse("legal\tltd").unwrap_err().contains(":1:"));
        assert!(
            Terms::parse("# c\nweird\tx\ty")
                .unwrap_err()
                .contains(":2:")
        );
        assert!(Terms::parse("abbr\tx\tCo.").unwrap_err().contains("folded"));
    }
}
