//! Property tests of the token rules and the whole-name edit distance: a
//! rule that holds of a pair is allowed by its precondition, whatever less
//! the candidate filters know of the pair; `edits_within` is the
//! optimal-string-alignment distance when that is within its bound.

use proptest::prelude::*;

use crate::common;
use sanctions::features::{common_bound, histogram};
use sanctions::matcher::{
    ArabicSide, Features, Found, Known, RULES, TokenFeatures, TokenPair, edits_within,
};

fn config() -> ProptestConfig {
    common::proptest_config(2048)
}

/// A word: Latin letters (as the lists' words are folded), with now and
/// then a digit, a Cyrillic, Greek, Arabic or Hebrew letter.
fn word() -> impl Strategy<Value = String> {
    "([a-z]|[a-z]|[a-z]|[a-z]|[0-9]|[а-я]|[α-ω]|[ء-ي]|[א-ת]){1,14}"
}

/// A change that may keep a word similar: a letter swapped, replaced,
/// added or dropped, the word cut short, its vowels dropped, a letter of
/// a romanization alternation exchanged, `dh` written for `z` or back,
/// every `i` for a `y` and back.
#[derive(Debug, Clone)]
enum Change {
    Swap(usize),
    Replace(usize, char),
    Insert(usize, char),
    Delete(usize),
    Cut(usize),
    NoVowels,
    Alternate(usize),
    DhZ,
    IY,
    Other(String),
}

fn change() -> impl Strategy<Value = Change> {
    let letter = prop::sample::select("abcdefghijklmnopqrstuvwxyz1й".chars().collect::<Vec<_>>());
    prop_oneof![
        any::<usize>().prop_map(Change::Swap),
        (any::<usize>(), letter.clone()).prop_map(|(i, c)| Change::Replace(i, c)),
        (any::<usize>(), letter).prop_map(|(i, c)| Change::Insert(i, c)),
        any::<usize>().prop_map(Change::Delete),
        any::<usize>().prop_map(Change::Cut),
        Just(Change::NoVowels),
        any::<usize>().prop_map(Change::Alternate),
        Just(Change::DhZ),
        Just(Change::IY),
        word().prop_map(Change::Other),
    ]
}

/// `w` changed (at a place taken modulo its length).
fn apply(w: &str, change: &Change) -> String {
    let mut c: Vec<char> = w.chars().collect();
    let n = c.len();
    match change {
        Change::Swap(i) if n >= 2 => c.swap(i % (n - 1), i % (n - 1) + 1),
        Change::Replace(i, x) => c[i % n] = *x,
        Change::Insert(i, x) => c.insert(i % (n + 1), *x),
        Change::Delete(i) if n >= 2 => {
            c.remove(i % n);
        }
        Change::Cut(i) => c.truncate(1 + i % n),
        Change::NoVowels => {
            let first = c[0];
            c.retain(|x| !"aeiouy".contains(*x));
            if c.first() != Some(&first) {
                c.insert(0, first);
            }
        }
        Change::Alternate(i) => {
            let k = i % n;
            c[k] = match c[k] {
                'k' => 'g',
                'g' => 'q',
                'c' => 'k',
                'q' => 'k',
                'i' => 'y',
                'y' => 'i',
                x => x,
            };
        }
        // The `dh` and `z` romanizations of one Arabic letter.
        Change::DhZ => {
            let w: String = c.iter().collect();
            return if w.contains("dh") {
                w.replacen("dh", "z", 1)
            } else {
                w.replacen('z', "dh", 1)
            };
        }
        // Every `i` written `y` and back (Cyrillic `и`, `й`, `ы` romanized).
        Change::IY => {
            for x in c.iter_mut() {
                *x = match *x {
                    'i' => 'y',
                    'y' => 'i',
                    other => other,
                };
            }
        }
        Change::Other(o) => return o.clone(),
        _ => {}
    }
    c.into_iter().collect()
}

/// A word and the word changed, as (query, listed): the changed one as
/// the query, or as the listed word when `flip`.
fn pair_of(a: String, change: &Change, flip: bool) -> (String, String) {
    let b = apply(&a, change);
    if flip { (b, a) } else { (a, b) }
}

proptest! {
    #![proptest_config(config())]

    /// Whenever a rule's test gives a similarity above 0, its precondition
    /// holds: of everything known of the pair, of its lengths alone, and
    /// of its lengths, shared letters and first letters (what the word
    /// filters know).
    #[test]
    fn prop_a_rule_that_holds_is_possible(
        a in word(),
        change in change(),
        last: bool,
        arabic: bool,
        flip: bool,
    ) {
        let (q, l) = pair_of(a, &change, flip);
        let (qf, lf) = (TokenFeatures::new(&q), TokenFeatures::new(&l));
        let pair = TokenPair::new(qf.view(), lf.view(), last, arabic);
        let (qc, lc): (Vec<char>, Vec<char>) = (q.chars().collect(), l.chars().collect());
        let shared = common_bound(&histogram(&qc), &histogram(&lc));
        let knowns = [
            ("all", pair.known),
            ("lengths", Known::lengths(qc.len(), lc.len(), last)),
            (
                "shared",
                Known::shared(qc.len(), lc.len(), last, shared, qc.first() == lc.first()),
            ),
        ];
        for rule in &RULES {
            let Some(s) = rule.measure(&pair) else { continue };
            if s <= 0.0 {
                continue;
            }
            for (what, known) in &knowns {
                prop_assert!(
                    (rule.possible)(known),
                    "{}: {} ~ {} scores {} but is not possible from {}: {:?}",
                    rule.name, q, l, s, what, known
                );
            }
        }
    }

    /// The rules found by scanning read a listed word's characters and
    /// letter counts, never its keys: the lookup measures the words it
    /// scans from its own copy of those (`WordFilter::measure`), with the
    /// keys left blank, and must find what the rules find of the word itself.
    #[test]
    fn prop_scanned_rules_read_no_key(
        a in word(),
        change in change(),
        last: bool,
        arabic: bool,
        flip: bool,
        query_arabic: bool,
        listed_arabic: bool,
    ) {
        let (q, l) = pair_of(a, &change, flip);
        let (qf, lf) = (TokenFeatures::new(&q), TokenFeatures::new(&l));
        let side = ArabicSide::of(query_arabic, listed_arabic);
        let whole = TokenPair::new(qf.view(), lf.view(), last, arabic).with_arabic_side(side);
        let blank = Features {
            skeleton: "",
            phonetic: "",
            arabic_key: "",
            ..lf.view()
        };
        let keyless = TokenPair::new(qf.view(), blank, last, arabic).with_arabic_side(side);
        for rule in RULES.iter().filter(|r| r.found == Found::ByScan) {
            prop_assert_eq!(
                rule.measure(&whole),
                rule.measure(&keyless),
                "{}: {} ~ {} differs when the listed word's keys are blank",
                rule.name, q, l
            );
        }
    }

    /// `edits_within(a, b, k)` is the optimal-string-alignment distance of
    /// `a` and `b` when that is at most `k`, and `None` otherwise.
    #[test]
    fn prop_edits_within_agrees_with_osa_distance(
        a in "[a-d ]{0,12}",
        b in "[a-d ]{0,12}",
        k in 0usize..6,
    ) {
        let (ac, bc): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let d = strsim::osa_distance(&a, &b);
        prop_assert_eq!(edits_within(&ac, &bc, k), (d <= k).then_some(d), "{:?} {:?} {}", a, b, k);
    }
}
