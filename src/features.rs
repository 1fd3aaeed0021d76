//! Token features that the index and the matcher both compute: letter
//! histograms and masks (cheap bounds on shared letters and edits), the
//! consonant skeleton, the phonetic skeleton and the Arabic key (equal keys
//! meet variant spellings), a token's raw form and the whole length of a name.
//!
//! A leaf module: it imports neither the index nor the matcher, so that both
//! compute a feature the same way.

use crate::terms::{Class, Token};

/// Letters of the Latin alphabet a histogram counts one by one; one more
/// bucket counts every other character.
const LETTERS: usize = 26;

/// Letter counts of words joined by spaces (spaces count as "other"):
/// half the difference of two such counts is a lower bound on the edits
/// between the joined names.
pub fn whole_histogram<'a>(words: impl Iterator<Item = &'a str>) -> Histogram {
    let mut h = [0u8; LETTERS + 1];
    for (i, w) in words.enumerate() {
        if i > 0 {
            add(&mut h, ' ');
        }
        w.chars().for_each(|c| add(&mut h, c));
    }
    h
}

/// Half the difference of two [`whole_histogram`]s, rounded up.
pub fn histogram_edits(a: &Histogram, b: &Histogram) -> usize {
    let d: usize = a.iter().zip(b).map(|(x, y)| x.abs_diff(*y) as usize).sum();
    d.div_ceil(2)
}

/// Counts of `a`..`z` and of all other characters together.
pub type Histogram = [u8; LETTERS + 1];

/// Letter counts of a token, for a cheap upper bound on Jaro similarity:
/// two tokens cannot have more matching characters than they share letters.
pub fn histogram(chars: &[char]) -> Histogram {
    let mut h = [0u8; LETTERS + 1];
    for &c in chars {
        add(&mut h, c);
    }
    h
}

/// Count one character: `a`..`z` in their buckets, all else in the last.
fn add(h: &mut Histogram, c: char) {
    let i = if c.is_ascii_lowercase() {
        (c as u8 - b'a') as usize
    } else {
        LETTERS
    };
    h[i] = h[i].saturating_add(1);
}

/// Which of the histogram's 27 buckets are present, as bits.
pub fn letter_mask(h: &Histogram) -> u32 {
    h.iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .fold(0, |m, (i, _)| m | 1 << i)
}

/// Upper bound on the characters two tokens can have in common.
pub fn common_bound(a: &Histogram, b: &Histogram) -> usize {
    a.iter().zip(b).map(|(x, y)| (*x).min(*y) as usize).sum()
}

/// Consonant skeleton of a folded token: vowels after the first letter
/// removed, repeated letters collapsed. Meets vowel-less writing (`MHMMD`, `BNK`).
///
/// ```
/// assert_eq!(sanctions::features::skeleton("muhammad"), "mhmd");
/// assert_eq!(sanctions::features::skeleton("mhmmd"), "mhmd");
/// ```
pub fn skeleton(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    for (i, c) in token.chars().enumerate() {
        if i > 0 && matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y') {
            continue;
        }
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// The rewrites [`phonetic`] applies in turn (later ones see the earlier
/// ones' output; `\u{1}` keeps `ch` from becoming `kh`).
const PHONETIC_REWRITES: &[(&str, &str)] = &[
    ("sch", "sh"),
    ("tch", "ch"),
    ("dzh", "j"),
    ("dj", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("ck", "k"),
    ("ch", "\u{1}"),
    ("q", "k"),
    ("c", "k"),
    ("w", "v"),
    ("x", "ks"),
    ("ff", "v"),
    ("\u{1}", "ch"),
];

/// The byte sets of [`PHONETIC_REWRITES`].
const PHONETIC_SETS: [(u64, u64); PHONETIC_REWRITES.len()] = byte_sets(PHONETIC_REWRITES);

/// Apply `rewrites` in turn, each one `apply` allows, to every
/// occurrence. A rewrite is searched for only if the word may hold all of
/// its bytes (a [`byte_set`] of the word's, grown by what each rewrite
/// writes): most words hold few of the patterns.
fn rewrite(
    s: &mut String,
    rewrites: &[(&str, &str)],
    sets: &[(u64, u64)],
    apply: impl Fn(&str) -> bool,
) {
    let mut present = byte_set(s);
    let mut spare = String::new();
    for (&(from, to), &(need, writes)) in rewrites.iter().zip(sets) {
        if present & need != need || !apply(from) {
            continue;
        }
        // A byte search of its own: `str::contains` and `str::replace` set
        // up a searcher, and `replace` a new string, for every rewrite
        // (the glue of a million names' words spent most of its time there).
        let Some(at) = find(s.as_bytes(), from.as_bytes()) else {
            continue;
        };
        spare.clear();
        spare.reserve(s.len() + 2 * to.len());
        replace_from(s, at, from, to, &mut spare);
        std::mem::swap(s, &mut spare);
        present |= writes;
    }
}

/// Where `needle` first occurs in `hay`, byte by byte (the patterns are a
/// few ASCII bytes, and the words short).
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let n = needle.len();
    let mut i = 0;
    while n > 0 && i + n <= hay.len() {
        if hay[i] == needle[0] && (1..n).all(|k| hay[i + k] == needle[k]) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// `s` with every `from` replaced by `to` into `out`, as `str::replace`
/// does (left to right, without overlaps), given the first at `at`. The
/// patterns are ASCII, so every place found is a character boundary.
fn replace_from(s: &str, mut at: usize, from: &str, to: &str, out: &mut String) {
    let mut done = 0;
    loop {
        out.push_str(&s[done..at]);
        out.push_str(to);
        done = at + from.len();
        match find(&s.as_bytes()[done..], from.as_bytes()) {
            Some(k) => at = done + k,
            None => break,
        }
    }
    out.push_str(&s[done..]);
}

/// The set of a text's bytes, a bit each, by their low six bits: every
/// pattern byte (`a` to `z`, and `\u{1}` to `\u{3}`) has a bit of its own,
/// and a byte sharing one only makes a search happen that finds nothing.
const fn byte_set(t: &str) -> u64 {
    let (b, mut set, mut i) = (t.as_bytes(), 0u64, 0);
    while i < b.len() {
        set |= 1 << (b[i] & 63);
        i += 1;
    }
    set
}

/// The [`byte_set`]s of each rewrite's pattern and of what it writes,
/// worked out once.
const fn byte_sets<const N: usize>(table: &[(&str, &str)]) -> [(u64, u64); N] {
    let mut sets = [(0, 0); N];
    let mut i = 0;
    while i < N {
        sets[i] = (byte_set(table[i].0), byte_set(table[i].1));
        i += 1;
    }
    sets
}

/// Phonetic skeleton of a folded token, for transliteration variants:
/// common spelling pairs are unified (`kh`/`h`, `q`/`k`, `c`/`k`, `ph`/`f`,
/// `w`/`v`, `zh`/`dj`/`j`, `-off`/`-ov`, `dh`/`d`, `th`/`t`), then every vowel is
/// dropped and repeated letters collapse.
///
/// ```
/// use sanctions::features::phonetic;
/// assert_eq!(phonetic("qeshm"), phonetic("keshm"));
/// assert_eq!(phonetic("soleimani"), phonetic("sulemani"));
/// assert_eq!(phonetic("madkandaloo"), phonetic("madkandalu"));
/// assert_ne!(phonetic("hikvision"), phonetic("huawei"));
/// assert_ne!(phonetic("nustar"), phonetic("instar"));
/// assert_eq!(phonetic("omar"), phonetic("umar"));
/// assert_eq!(phonetic("djamel"), phonetic("jamal"));
/// assert_eq!(phonetic("sivakau"), phonetic("sivakov"));
/// ```
pub fn phonetic(token: &str) -> String {
    phonetic_of(String::from(token))
}

/// [`phonetic`] of a token already copied (`s` is rewritten in place).
fn phonetic_of(mut s: String) -> String {
    // Belarusian and Ukrainian surnames end in -au / -ou where Russian ones
    // end in -ov (`SIVAKAU` / `SIVAKOV`).
    if s.len() >= 6 && (s.ends_with("au") || s.ends_with("ou")) {
        let b = s.as_bytes();
        if !matches!(b[b.len() - 3], b'a' | b'e' | b'i' | b'o' | b'u' | b'y') {
            s.truncate(s.len() - 2);
            s.push_str("ov");
        }
    }
    rewrite(&mut s, PHONETIC_REWRITES, &PHONETIC_SETS, |_| true);
    let mut out = String::with_capacity(s.len());
    let mut last = None;
    for (i, c) in s.chars().enumerate() {
        if matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y') {
            // An initial vowel leaves a mark (`instar` is not `nustar`),
            // whichever vowel it is (`omar` is `umar`).
            if i == 0 {
                out.push('a');
                last = Some('a');
            }
            continue;
        }
        if last != Some(c) {
            out.push(c);
            last = Some(c);
        }
    }
    out
}

/// A token copied, its article assimilated to a following `sun` consonant:
/// al-Sayyid is as-Sayyid (`ESSID`), al-Rahman is ar-Rahman.
fn article_assimilated(token: &str) -> String {
    let b = token.as_bytes();
    let mut s = String::with_capacity(token.len() + 4);
    if b.len() > 3
        && matches!(b[0], b'a' | b'e')
        && b[1] == b'l'
        && matches!(b[2], b't' | b'd' | b'r' | b'z' | b's' | b'n')
    {
        s.push(b[0] as char);
        s.push_str(&token[2..]);
    } else {
        s.push_str(token);
    }
    s
}

/// Key of a token for meeting a name written in Arabic script, which writes
/// no short vowels and writes `w` and `y` for long `u` and `i`: the
/// [`phonetic`] skeleton without `w`/`v` after the first letter and without a
/// final `h` (`Abdullah` / `Abdulla`). Two tokens with the same key are the
/// same name part when one side was transliterated from Arabic script.
///
/// ```
/// use sanctions::features::arabic_key;
/// assert_eq!(arabic_key("hsn"), arabic_key("hassan"));
/// assert_eq!(arabic_key("zuahiri"), arabic_key("zawahiri"));
/// assert_eq!(arabic_key("abdallh"), arabic_key("abdulla"));
/// assert_ne!(arabic_key("hsn"), arabic_key("hussam"));
/// assert_eq!(arabic_key("alsid"), arabic_key("essid"));
/// ```
pub fn arabic_key(token: &str) -> String {
    let mut out = phonetic_of(article_assimilated(token));
    // No `v` after the first letter, repeats collapsed again (in place).
    let (mut i, mut last) = (0, None);
    out.retain(|c| {
        let keep = !(i > 0 && c == 'v') && last != Some(c);
        if keep {
            last = Some(c);
        }
        i += 1;
        keep
    });
    if out.len() > 2 && out.ends_with('h') {
        out.pop();
    }
    out
}

/// The fewest letters an acronym of listed words has (rule
/// `acronym_of_listed_words`): three letters stand for too many names
/// (`CTS Corporation`, `KBR, INC.` are no acronyms of listed companies).
pub const ACRONYM_MIN: usize = 4;

/// The most letters an acronym of listed words has.
pub const ACRONYM_MAX: usize = 6;

/// The fewest letters a word needs to give its initial to an acronym: an
/// initial (`N.P.`) or a two-letter word is no word an acronym abbreviates.
pub const ACRONYM_WORD_MIN: usize = 3;

/// Rule `acronym_of_listed_words`: organizations are known by the initials
/// of the words of their names, most of all Russian enterprises
/// (`ANPP` for `ARZAMASSKOE NAUCHNO PROIZVODSTVENNOE PREDPRIYATIE`, `MSTU`
/// for `MOSCOW STATE TECHNICAL UNIVERSITY`). The runs of a name's words
/// that give an acronym of [`ACRONYM_MIN`] to [`ACRONYM_MAX`] letters: as
/// (first token, tokens, acronym). Each word of the run is an ordinary word
/// or a place of [`ACRONYM_WORD_MIN`] letters or more, written as `raw`
/// (before canonicalization, so `NAUCHNO ISSLEDOVATELSKI INSTITUT` gives
/// `nii`, not the initials of its translation); particles and stopwords
/// inside a run give no letter (`FEDERAL SCIENTIFIC AND PRODUCTION CENTER`
/// is `fspc`); a legal form ends it. The index keeps these acronyms beside
/// glued words, and the aligner meets a query word with them, so candidate
/// search and scoring read them the same way.
///
/// ```
/// use sanctions::features::acronym_runs;
/// use sanctions::terms::Class::{Legal, Stop, Word};
/// let name = [(Legal, "jsc"), (Word, "moscow"), (Word, "state"), (Stop, "and"), (Word, "technical")];
/// let runs = acronym_runs(&name);
/// assert!(!runs.contains(&(1, 4, "mst".to_string()))); // three letters are too few
/// let name = [(Word, "moscow"), (Word, "state"), (Word, "technical"), (Word, "university")];
/// assert!(acronym_runs(&name).contains(&(0, 4, "mstu".to_string())));
/// assert!(!runs.iter().any(|r| r.0 == 0)); // a legal form gives no letter
/// ```
pub fn acronym_runs(words: &[(Class, &str)]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    for_each_acronym(words, |start, len, letters| {
        out.push((start, len, String::from_utf8_lossy(letters).into_owned()));
    });
    out
}

/// The runs of `words` whose acronym ([`acronym_runs`]) is `acronym`, as
/// (first token, tokens), found without building the others.
pub fn runs_spelling(words: &[(Class, &str)], acronym: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if may_be_acronym(acronym) {
        for_each_acronym(words, |start, len, letters| {
            if letters == acronym.as_bytes() {
                out.push((start, len));
            }
        });
    }
    out
}

/// Each run of [`acronym_runs`], in order, with its letters.
fn for_each_acronym(words: &[(Class, &str)], mut run: impl FnMut(usize, usize, &[u8])) {
    let initial = |(class, raw): (Class, &str)| {
        let first = raw.bytes().next().filter(u8::is_ascii_lowercase)?;
        (matches!(class, Class::Word | Class::Minor) && raw.chars().count() >= ACRONYM_WORD_MIN)
            .then_some(first)
    };
    let mut letters = [0u8; ACRONYM_MAX];
    for start in 0..words.len() {
        if initial(words[start]).is_none() {
            continue;
        }
        let mut n = 0;
        for (end, &word) in words.iter().enumerate().skip(start) {
            if word.0 == Class::Stop {
                continue;
            }
            let Some(c) = initial(word) else { break };
            if n == ACRONYM_MAX {
                break;
            }
            letters[n] = c;
            n += 1;
            if n >= ACRONYM_MIN {
                run(start, end + 1 - start, &letters[..n]);
            }
        }
    }
}

/// May a query word be an acronym of listed words ([`acronym_runs`])? It
/// is [`ACRONYM_MIN`] to [`ACRONYM_MAX`] Latin letters.
pub fn may_be_acronym(word: &str) -> bool {
    (ACRONYM_MIN..=ACRONYM_MAX).contains(&word.len())
        && word.bytes().all(|b| b.is_ascii_lowercase())
}

/// May this token be glued to its neighbour (`GAZ PROM`, `AL ZAWAHIRI`)?
pub fn gluable(class: Class) -> bool {
    matches!(class, Class::Word | Class::Stop | Class::Minor)
}

/// A token's forms that glued-word rules compare: as canonicalized and as
/// written, the second only where it differs.
pub fn glue_forms<'a>(text: &'a str, raw: &'a str) -> impl Iterator<Item = &'a str> + Clone {
    std::iter::once(text).chain((raw != text).then_some(raw))
}

/// A token as folded before canonicalization, its words joined.
pub fn raw_form(t: &Token) -> Box<str> {
    t.from
        .as_deref()
        .unwrap_or(&t.text)
        .replace(' ', "")
        .into_boxed_str()
}

/// The length of words joined by spaces, in characters (what
/// [`crate::matcher::whole_name_edits`] compares).
pub fn whole_length<'a>(words: impl Iterator<Item = &'a str>) -> usize {
    let mut len = 0;
    for w in words {
        if len > 0 {
            len += 1;
        }
        len += w.chars().count();
    }
    len
}

/// The spelling pairs [`vowel_letters`] unifies, in turn (`\u{2}` and
/// `\u{3}` stand for `sh` and `ch`, one letter each).
const VOWEL_LETTER_REWRITES: &[(&str, &str)] = &[
    ("sch", "\u{2}"),
    ("sh", "\u{2}"),
    ("ch", "\u{3}"),
    ("dzh", "j"),
    ("dj", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("ck", "k"),
    ("q", "k"),
    ("c", "k"),
    ("w", "v"),
    ("x", "ks"),
];

/// The byte sets of [`VOWEL_LETTER_REWRITES`].
const VOWEL_LETTER_SETS: [(u64, u64); VOWEL_LETTER_REWRITES.len()] =
    byte_sets(VOWEL_LETTER_REWRITES);

/// The letters of a folded token as the Arabic-vowel check reads them:
/// the article assimilated as in [`arabic_key`], spelling pairs unified as in
/// [`phonetic`] (`kh` is `h`, `q` and `c` are `k`, `w` is `v`), `x` as `ks`,
/// repeated letters collapsed. Vowels are kept. With `split_h`, each `h` is
/// a letter of its own, not the second of a pair (`زهراني`, `zhrani`, is
/// z-h-r-a-n-i, `ZAHRANI`).
fn vowel_letters(token: &str, split_h: bool) -> Vec<u8> {
    let mut s = article_assimilated(token);
    rewrite(&mut s, VOWEL_LETTER_REWRITES, &VOWEL_LETTER_SETS, |from| {
        !(split_h && from.ends_with('h'))
    });
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    for c in s.bytes() {
        if out.last() != Some(&c) {
            out.push(c);
        }
    }
    out
}

/// Is a letter a vowel, or `y` or `v` (`w`), which Arabic script writes for
/// long `i` and `u`? The first letter of a word is a consonant when it is
/// `y` or `v`.
fn vowel_like(c: u8, first: bool) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u') || (!first && matches!(c, b'y' | b'v'))
}

/// May a long vowel written in Arabic script (`a` for alif, `i`/`y` for yā',
/// `u`/`v` for wāw) be written `latin` in a romanization? A final `y`
/// (alif maqṣūra, `موسى` / `MUSA`) may also be `a`.
fn long_vowel_as(arabic: u8, latin: u8, last: bool) -> bool {
    match arabic {
        b'a' => matches!(latin, b'a' | b'e' | b'o' | b'u'),
        b'y' if last => matches!(latin, b'a' | b'e' | b'i' | b'y'),
        b'i' | b'y' | b'e' => matches!(latin, b'i' | b'e' | b'y'),
        b'u' | b'v' | b'o' => matches!(latin, b'u' | b'o' | b'v'),
        _ => false,
    }
}

/// Do the vowels of a token transliterated from Arabic script agree with a
/// romanization of the same consonants ([`arabic_key`])? Arabic script
/// writes long vowels (`ا`, `ي`, `و`) and no short ones, so every vowel the
/// Arabic side writes must stand in the romanization, of a like sound and
/// between the same consonants, while the romanization may add vowels the
/// script leaves out, but not end in a vowel the script lacks (except a
/// French mute `e`). `حسين` (`hsin`) is `HUSSEIN` or `HUSAYN`, not
/// `HASSAN` (`حسن`); `حنانه` (`hnanh`) is `HANANEH`, not `HANAN`.
///
/// ```
/// use sanctions::features::arabic_vowels_agree;
/// assert!(arabic_vowels_agree("hsn", "hassan"));
/// assert!(arabic_vowels_agree("hsin", "hussein") && arabic_vowels_agree("hsin", "husayn"));
/// assert!(!arabic_vowels_agree("hsin", "hassan"));
/// assert!(arabic_vowels_agree("mhmd", "muhammad") && !arabic_vowels_agree("mhmdi", "muhammad"));
/// assert!(arabic_vowels_agree("misun", "maysoon"));
/// assert!(!arabic_vowels_agree("hnanh", "hanan") && arabic_vowels_agree("fatmh", "fatima"));
/// assert!(arabic_vowels_agree("yasin", "yassine") && arabic_vowels_agree("alsid", "essid"));
/// assert!(!arabic_vowels_agree("sara", "sayyar") && !arabic_vowels_agree("amir", "omar"));
/// assert!(arabic_vowels_agree("shhath", "shihata"));
/// assert!(arabic_vowels_agree("shiba", "shibh") && !arabic_vowels_agree("shiba", "shib"));
/// assert!(arabic_vowels_agree("zhrani", "zahrani") && !arabic_vowels_agree("zhrani", "zurani"));
/// // A `w` or `y` the script lacks is no vowel it left out: `رضا زاده` is
/// // not `RADIOZAVOD`; but `iy` is one long vowel (`زكريا`, `ZAKARIYA`).
/// assert!(!arabic_vowels_agree("rdazadh", "radiozavod"));
/// assert!(arabic_vowels_agree("zkria", "zakariya") && arabic_vowels_agree("mavih", "muawiya"));
/// assert!(arabic_vowels_agree("davd", "dawood") && arabic_vowels_agree("jvirih", "juwayriya"));
/// assert!(arabic_vowels_agree("fak", "fayeq") && !arabic_vowels_agree("sra", "sayra"));
/// ```
pub fn arabic_vowels_agree(arabic: &str, latin: &str) -> bool {
    let l = vowel_letters(latin, false);
    let agree = |a: &[u8]| {
        let mut seen = vec![false; (a.len() + 1) * (l.len() + 1)];
        agree_from(a, &l, 0, 0, &mut seen)
    };
    if agree(&vowel_letters(arabic, false)) {
        return true;
    }
    // A pair of letters ending in `h` may be two letters of the script
    // (`ز` and `ه` are read `zh`).
    if arabic.contains('h') && agree(&vowel_letters(arabic, true)) {
        return true;
    }
    // A final `h` (`ه`) after `t`, `d`, `k`, `g` or `s` is a letter of its
    // own, not the second of a pair (`شحاته` is `SHIHATA`).
    match arabic.strip_suffix('h') {
        Some(stem) if stem.len() > 1 && stem.ends_with(['t', 'd', 'k', 'g', 's']) => {
            let mut a = vowel_letters(stem, false);
            a.push(b'h');
            agree(&a)
        }
        _ => false,
    }
}

/// [`arabic_vowels_agree`] from `a[i..]` and `l[j..]` (a depth-first search;
/// `seen` marks the states already tried, which all failed).
fn agree_from(a: &[u8], l: &[u8], i: usize, j: usize, seen: &mut [bool]) -> bool {
    let state = i * (l.len() + 1) + j;
    if seen[state] {
        return false;
    }
    seen[state] = true;
    if i == a.len() {
        // The romanization may end in vowels the script did not write only
        // when they do not end it (a final `h`, a mute `e`).
        let rest = &l[j..];
        return rest.iter().all(|&c| vowel_like(c, j == 0) || c == b'h')
            && (rest.is_empty() || matches!(rest.last(), Some(b'h' | b'e')));
    }
    let ac = a[i];
    if j == l.len() {
        // A final `h` (`ه`, `ة`) may be a romanization's final vowel.
        return i + 1 == a.len() && ac == b'h' && l.last().is_some_and(|&c| vowel_like(c, false));
    }
    let lc = l[j];
    // A final `ة` (read `a`) may be written `h` (`الشيبة` / `SHIBH`).
    if i + 1 == a.len() && j + 1 == l.len() && ac == b'a' && lc == b'h' {
        return true;
    }
    let (a_vowel, l_vowel) = (vowel_like(ac, i == 0), vowel_like(lc, j == 0));
    if ac == lc && agree_from(a, l, i + 1, j + 1, seen) {
        return true;
    }
    if a_vowel && l_vowel {
        // An initial alif stands for any initial vowel.
        let like = if i == 0 {
            ac == b'a'
        } else {
            long_vowel_as(ac, lc, i + 1 == a.len())
        };
        if like && agree_from(a, l, i + 1, j + 1, seen) {
            return true;
        }
    }
    // A vowel the script leaves out: a short one. `y` and `w` (`v`) stand
    // for letters the script writes (`ي`, `و`), so they must meet one,
    // unless they double the long vowel before them (`iy` in `ZAKARIYA`,
    // `زكريا`; `uw`), or a `y` between vowels is the glide of a hamza,
    // which the transliteration drops (`FAYEQ`, `فائق`).
    let before = j.checked_sub(1).map(|k| l[k]);
    let written = match lc {
        b'y' => {
            let glide = before.is_some_and(|c| vowel_like(c, false))
                && l.get(j + 1).is_some_and(|&c| vowel_like(c, false));
            before != Some(b'i') && !glide
        }
        b'v' => before != Some(b'u'),
        _ => false,
    };
    l_vowel && !written && agree_from(a, l, i, j + 1, seen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// [`phonetic`] as first written: each rewrite a `str::replace`, each
    /// step a new string.
    fn phonetic_spec(token: &str) -> String {
        let mut s = token.to_string();
        if s.len() >= 6 && (s.ends_with("au") || s.ends_with("ou")) {
            let b = s.as_bytes();
            if !matches!(b[b.len() - 3], b'a' | b'e' | b'i' | b'o' | b'u' | b'y') {
                s.truncate(s.len() - 2);
                s.push_str("ov");
            }
        }
        let s = (PHONETIC_REWRITES.iter()).fold(s, |s, (from, to)| s.replace(from, to));
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y') {
                if i == 0 {
                    out.push('a');
                }
                continue;
            }
            if !out.ends_with(c) {
                out.push(c);
            }
        }
        out
    }

    /// [`arabic_key`] as first written (the article assimilated as there).
    fn arabic_key_spec(token: &str) -> String {
        let token = article_assimilated(token);
        let mut out = String::new();
        for (i, c) in phonetic_spec(&token).chars().enumerate() {
            if i > 0 && c == 'v' {
                continue;
            }
            if !out.ends_with(c) {
                out.push(c);
            }
        }
        if out.len() > 2 && out.ends_with('h') {
            out.pop();
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]
        /// The phonetic skeleton and the Arabic key, made in place, are
        /// those of their spelled-out definitions.
        #[test]
        fn keys_are_their_definitions(word in "[a-z\u{1}ш]{0,14}|(al|el|ou|au|[cdhkstxzfgwqvaeiouy]){0,8}") {
            prop_assert_eq!(phonetic(&word), phonetic_spec(&word));
            prop_assert_eq!(arabic_key(&word), arabic_key_spec(&word));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]
        /// The byte check only skips searches that would find nothing: the
        /// rewrites come out as if each were searched for.
        #[test]
        fn rewrites_as_if_each_were_searched(word in "[a-z\u{1}ش]{0,14}|[cdhkstxzfgwq]{0,8}") {
            let tables = [
                (PHONETIC_REWRITES, &PHONETIC_SETS[..]),
                (VOWEL_LETTER_REWRITES, &VOWEL_LETTER_SETS[..]),
            ];
            for (table, sets) in tables {
                let mut fast = word.clone();
                rewrite(&mut fast, table, sets, |from| from != "zh");
                let slow = (table.iter())
                    .filter(|(from, _)| *from != "zh")
                    .fold(word.clone(), |s, (from, to)| s.replace(from, to));
                prop_assert_eq!(fast, slow);
            }
        }
    }

    /// Rule `acronym_of_listed_words`.
    #[test]
    fn acronyms_are_the_initials_of_runs_of_words() {
        use Class::{Legal, Minor, Stop, Word};
        let acronyms = |words: &[(Class, &str)]| -> Vec<String> {
            acronym_runs(words).into_iter().map(|r| r.2).collect()
        };
        let arzamas = [
            (Legal, "publicjointstockcompany"),
            (Word, "arzamasskoe"),
            (Word, "nauchno"),
            (Word, "proizvodstvennoe"),
            (Word, "predpriyatie"),
            (Word, "temp"),
            (Word, "avia"),
        ];
        let got = acronyms(&arzamas);
        assert!(got.contains(&"anpp".to_string()), "{got:?}");
        assert!(acronym_runs(&arzamas).contains(&(1, 4, "anpp".to_string())));
        // A place gives its letter; a stopword inside a run gives none.
        let mstu = [
            (Minor, "moscow"),
            (Word, "state"),
            (Word, "technical"),
            (Word, "university"),
            (Stop, "the"),
            (Word, "ne"),
            (Word, "bauman"),
        ];
        assert!(acronyms(&mstu).contains(&"mstu".to_string()));
        // Initials and short words end a run; two letters are no acronym.
        assert!(
            !acronyms(&mstu)
                .iter()
                .any(|a| a.contains('n') || a.len() > 4)
        );
        assert!(acronyms(&[(Word, "alpha"), (Word, "beta"), (Word, "gamma")]).is_empty());
        assert!(may_be_acronym("anpp") && may_be_acronym("mstu"));
        assert!(!may_be_acronym("cts") && !may_be_acronym("abcdefg") && !may_be_acronym("a1bc"));
    }

    #[test]
    fn skeletons() {
        for (a, b) in [
            ("muhammad", "mhmd"),
            ("bank", "bnk"),
            ("trading", "trdng"),
            ("ali", "al"),
        ] {
            assert_eq!(skeleton(a), b, "{a}");
        }
    }
}
