//! The score OFAC's own Sanctions List Search would give, so an analyst can
//! reconcile a hit with the government's tool.
//!
//! OFAC documents its method (FAQ 249) as two techniques, the higher of which
//! is the score: Jaro-Winkler over the entire name strings, and a composite
//! over name parts, each part compared with the listed name's parts by
//! Jaro-Winkler and Soundex. OFAC does not publish how the two algorithms are
//! combined per part; here a part's score is the mean of its best
//! Jaro-Winkler and of Soundex agreement (1 or 0), and the composite is the
//! mean over the query's parts. Names are upper-cased with punctuation
//! removed, as the OFAC tool compares them; no transliteration, no legal-form
//! handling, no word weights: this column is for reconciliation, not matching.

use crate::normalize::fold;

/// American Soundex code of an ASCII word (`Robert` → `R163`); empty if the
/// word has no ASCII letter.
///
/// ```
/// use sanctions::ofac_score::soundex;
/// assert_eq!(soundex("Robert"), "R163");
/// assert_eq!(soundex("Rupert"), "R163");
/// assert_eq!(soundex("Tymczak"), "T522");
/// assert_eq!(soundex("Pfister"), "P236");
/// ```
pub fn soundex(word: &str) -> String {
    fn code(c: char) -> u8 {
        match c {
            'b' | 'f' | 'p' | 'v' => b'1',
            'c' | 'g' | 'j' | 'k' | 'q' | 's' | 'x' | 'z' => b'2',
            'd' | 't' => b'3',
            'l' => b'4',
            'm' | 'n' => b'5',
            'r' => b'6',
            'h' | 'w' => b'h',
            _ => b'0', // vowels and y
        }
    }
    let letters: Vec<char> = word
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let Some(&first) = letters.first() else {
        return String::new();
    };
    let mut out = String::with_capacity(4);
    out.push(first.to_ascii_uppercase());
    let mut last = code(first);
    for &c in &letters[1..] {
        let k = code(c);
        if k == b'h' {
            continue; // h and w do not separate equal codes
        }
        if k != b'0' && k != last {
            out.push(k as char);
            if out.len() == 4 {
                break;
            }
        }
        last = k;
    }
    while out.len() < 4 {
        out.push('0');
    }
    out
}

/// OFAC-style score of a query against one listed name, in `0.0..=1.0`.
///
/// ```
/// use sanctions::ofac_score::ofac_score;
/// assert_eq!(ofac_score("Banco Nacional de Cuba", "BANCO NACIONAL DE CUBA"), 1.0);
/// // Whole-string Jaro-Winkler collapses on reordered names; the parts do not.
/// assert!(ofac_score("Qasem Soleimani", "SOLEIMANI, Qasem") > 0.9);
/// assert!(ofac_score("Apple Inc", "BANCO NACIONAL DE CUBA") < 0.6);
/// ```
pub fn ofac_score(query: &str, listed: &str) -> f32 {
    let q = fold(query);
    let l = fold(listed);
    if q.is_empty() || l.is_empty() {
        return 0.0;
    }
    let whole = strsim::jaro_winkler(&q, &l);
    let lparts: Vec<(&str, String)> = l.split(' ').map(|p| (p, soundex(p))).collect();
    let qparts: Vec<&str> = q.split(' ').collect();
    let composite = qparts
        .iter()
        .map(|qp| {
            let qs = soundex(qp);
            lparts
                .iter()
                .map(|(lp, ls)| {
                    let jw = strsim::jaro_winkler(qp, lp);
                    let sx = if !qs.is_empty() && qs == *ls {
                        1.0
                    } else {
                        0.0
                    };
                    (jw + sx) / 2.0
                })
                .fold(0.0, f64::max)
        })
        .sum::<f64>()
        / qparts.len() as f64;
    whole.max(composite).clamp(0.0, 1.0) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soundex_table() {
        for (w, c) in [
            ("Ashcraft", "A261"),
            ("Honeyman", "H555"),
            ("Lee", "L000"),
            ("Gutierrez", "G362"),
            ("Jackson", "J250"),
            ("", ""),
        ] {
            assert_eq!(soundex(w), c, "{w}");
        }
    }

    #[test]
    fn score_is_bounded_and_one_on_equal_names() {
        for (a, b) in [
            ("x", "y"),
            ("SenseTime", "SENSETIME"),
            ("a b c", "c b a"),
            ("", "x"),
        ] {
            let s = ofac_score(a, b);
            assert!((0.0..=1.0).contains(&s), "{a} {b} {s}");
        }
        assert_eq!(ofac_score("SenseTime Group", "SENSETIME GROUP"), 1.0);
    }
}
