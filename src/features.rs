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
    let mut s = token.to_string();
    // Belarusian and Ukrainian surnames end in -au / -ou where Russian ones
    // end in -ov (`SIVAKAU` / `SIVAKOV`).
    if s.len() >= 6 && (s.ends_with("au") || s.ends_with("ou")) {
        let b = s.as_bytes();
        if !matches!(b[b.len() - 3], b'a' | b'e' | b'i' | b'o' | b'u' | b'y') {
            s.truncate(s.len() - 2);
            s.push_str("ov");
        }
    }
    for (from, to) in [
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
    ] {
        if s.contains(from) {
            s = s.replace(from, to);
        }
    }
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        if matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y') {
            // An initial vowel leaves a mark (`instar` is not `nustar`),
            // whichever vowel it is (`omar` is `umar`).
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
    // The article assimilates to a following `sun` consonant: al-Sayyid is
    // as-Sayyid (`ESSID`), al-Rahman is ar-Rahman.
    let b = token.as_bytes();
    let assimilated;
    let token = if b.len() > 3
        && matches!(b[0], b'a' | b'e')
        && b[1] == b'l'
        && matches!(b[2], b't' | b'd' | b'r' | b'z' | b's' | b'n')
    {
        assimilated = format!("{}{}", b[0] as char, &token[2..]);
        &assimilated[..]
    } else {
        token
    };
    let p = phonetic(token);
    let mut out = String::with_capacity(p.len());
    for (i, c) in p.chars().enumerate() {
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

/// May this token be glued to its neighbour (`GAZ PROM`, `AL ZAWAHIRI`)?
pub fn gluable(class: Class) -> bool {
    matches!(class, Class::Word | Class::Stop | Class::Minor)
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

#[cfg(test)]
mod tests {
    use super::*;

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
