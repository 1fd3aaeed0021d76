//! String measures over a word's characters, as the token rules read them:
//! the values `strsim` gives for the words as strings (the same algorithms,
//! the same arithmetic), without building the strings, allocating, or
//! decoding UTF-8 again for every pair of positions. A word longer than
//! [`MAX_CHARS`] is measured by `strsim` itself.

/// The longest word measured here (its flags fit one `u128`).
const MAX_CHARS: usize = 128;

/// Jaro similarity, as `strsim::jaro`.
pub(crate) fn jaro(a: &[char], b: &[char]) -> f64 {
    jaro_matching(a, b, 0).unwrap_or(0.0)
}

/// [`jaro`], or `None` as soon as fewer than `need` characters can match
/// (those matched so far and those of `a` still to match).
fn jaro_matching(a: &[char], b: &[char], need: usize) -> Option<f64> {
    let (a_len, b_len) = (a.len(), b.len());
    if a_len == 0 && b_len == 0 {
        return Some(1.0);
    } else if a_len == 0 || b_len == 0 {
        return Some(0.0);
    }
    if a_len > MAX_CHARS || b_len > MAX_CHARS {
        let (a, b): (String, String) = (a.iter().collect(), b.iter().collect());
        return Some(strsim::jaro(&a, &b));
    }
    let search_range = (a_len.max(b_len) / 2).saturating_sub(1);
    // Which characters of each word are matched, a bit each.
    let (mut a_flags, mut b_flags) = (0u128, 0u128);
    let mut matches = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(search_range);
        let hi = b_len.min(i + search_range + 1);
        for (j, &cb) in b.iter().enumerate().take(hi).skip(lo) {
            if ca == cb && b_flags >> j & 1 == 0 {
                a_flags |= 1 << i;
                b_flags |= 1 << j;
                matches += 1;
                break;
            }
        }
        if matches + (a_len - i - 1) < need {
            return None;
        }
    }
    if matches == 0 {
        return Some(0.0);
    }
    // The matched characters of each word, in order, that differ.
    let mut transpositions = 0usize;
    let mut next_b = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        if a_flags >> i & 1 == 1 {
            while b_flags >> next_b & 1 == 0 {
                next_b += 1;
            }
            if ca != b[next_b] {
                transpositions += 1;
            }
            next_b += 1;
        }
    }
    transpositions /= 2;
    Some(
        ((matches as f64 / a_len as f64)
            + (matches as f64 / b_len as f64)
            + ((matches - transpositions) as f64 / matches as f64))
            / 3.0,
    )
}

/// Jaro-Winkler similarity, as `strsim::jaro_winkler`.
pub(crate) fn jaro_winkler(a: &[char], b: &[char]) -> f64 {
    winkler(jaro(a, b), a, b)
}

/// Jaro's similarity `sim` of `a` and `b` raised for their common prefix.
fn winkler(sim: f64, a: &[char], b: &[char]) -> f64 {
    if sim > 0.7 {
        sim + 0.1 * common_prefix(a, b) as f64 * (1.0 - sim)
    } else {
        sim
    }
}

/// The characters `a` and `b` begin with alike, up to four.
fn common_prefix(a: &[char], b: &[char]) -> usize {
    a.iter().take(4).zip(b).take_while(|(x, y)| x == y).count()
}

/// [`jaro_winkler`] when it reaches `cutoff`, else `None`. Most words
/// measured fall far short: the matching stops once the characters left
/// cannot bring enough matches, the fewest with which Jaro-Winkler may
/// reach `cutoff` (no transposition, the words' own prefix) worked out
/// first, in the same arithmetic as the similarity itself.
pub(crate) fn jaro_winkler_reaching(a: &[char], b: &[char], cutoff: f64) -> Option<f64> {
    let (a_len, b_len, prefix) = (a.len() as f64, b.len() as f64, common_prefix(a, b) as f64);
    let most = |m: usize| {
        let m = m as f64;
        let sim = (m / a_len + m / b_len + 1.0) / 3.0;
        sim + 0.1 * prefix * (1.0 - sim)
    };
    let need = (1..=a.len().min(b.len())).find(|&m| most(m) >= cutoff);
    let sim = match need {
        Some(need) => jaro_matching(a, b, need)?,
        // No number of matches reaches it; only equal empty words may.
        None => jaro(a, b),
    };
    Some(winkler(sim, a, b)).filter(|&s| s >= cutoff)
}

/// Damerau-Levenshtein distance (transpositions of neighbours, substrings
/// edited any number of times), as `strsim::damerau_levenshtein`: the
/// linear-space algorithm of Zhao and Sahni, as strsim has it.
pub(crate) fn damerau_levenshtein(a: &[char], b: &[char]) -> usize {
    let (len1, len2) = (a.len(), b.len());
    if len1 > MAX_CHARS || len2 > MAX_CHARS {
        let (a, b): (String, String) = (a.iter().collect(), b.iter().collect());
        return strsim::damerau_levenshtein(&a, &b);
    }
    let max_val = len1.max(len2) as isize + 1;
    // The last row each character of `a` was seen on (0: not yet), by
    // character: a word has few distinct ones, so a short list.
    let mut seen_chars = [' '; MAX_CHARS];
    let mut seen_rows = [0isize; MAX_CHARS];
    let mut seen = 0usize;
    let last_row = |chars: &[char], rows: &[isize], c: char| -> isize {
        chars.iter().position(|&x| x == c).map_or(-1, |k| rows[k])
    };
    let size = len2 + 2;
    let mut fr = [max_val; MAX_CHARS + 2];
    let mut r1 = [max_val; MAX_CHARS + 2];
    let mut r = [max_val; MAX_CHARS + 2];
    for (k, v) in r.iter_mut().enumerate().take(size).skip(1) {
        *v = k as isize - 1;
    }
    for (i, &ch1) in a.iter().enumerate().map(|(i, c)| (i + 1, c)) {
        std::mem::swap(&mut r, &mut r1);
        let mut last_col_id: isize = -1;
        let mut last_i2l1 = r[1];
        r[1] = i as isize;
        let mut t = max_val;
        for (j, &ch2) in b.iter().enumerate().map(|(j, c)| (j + 1, c)) {
            let diag = r1[j] + isize::from(ch1 != ch2);
            let left = r[j] + 1;
            let up = r1[j + 1] + 1;
            let mut temp = diag.min(left.min(up));
            if ch1 == ch2 {
                last_col_id = j as isize;
                fr[j + 1] = r1[j - 1];
                t = last_i2l1;
            } else {
                let k = last_row(&seen_chars[..seen], &seen_rows[..seen], ch2);
                let l = last_col_id;
                if j as isize - l == 1 {
                    temp = temp.min(fr[j + 1] + (i as isize - k));
                } else if i as isize - k == 1 {
                    temp = temp.min(t + (j as isize - l));
                }
            }
            last_i2l1 = r[j + 1];
            r[j + 1] = temp;
        }
        match seen_chars[..seen].iter().position(|&x| x == ch1) {
            Some(k) => seen_rows[k] = i as isize,
            None => {
                seen_chars[seen] = ch1;
                seen_rows[seen] = i as isize;
                seen += 1;
            }
        }
    }
    r[len2 + 1] as usize
}

/// Is the Damerau-Levenshtein distance of `a` and `b` exactly 1 (one
/// letter added, dropped or replaced, or two neighbours swapped)? The same
/// answer as [`damerau_levenshtein`]` == 1`, in one pass.
pub(crate) fn one_edit_apart(a: &[char], b: &[char]) -> bool {
    let (a, b) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    let i = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    match a.len() - b.len() {
        // Replaced, or swapped with the next.
        0 if i < a.len() => {
            a[i + 1..] == b[i + 1..]
                || (i + 1 < a.len()
                    && a[i] == b[i + 1]
                    && a[i + 1] == b[i]
                    && a[i + 2..] == b[i + 2..])
        }
        // One letter more in `a`.
        1 => a[i + 1..] == b[i..],
        _ => false,
    }
}

/// Damerau-Levenshtein similarity in `0..=1`, as
/// `strsim::normalized_damerau_levenshtein`.
pub(crate) fn normalized_damerau_levenshtein(a: &[char], b: &[char]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let dist = damerau_levenshtein(a, b);
    1.0 - (dist as f64) / (a.len().max(b.len()) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    /// Words from a few letters (so that they share many), some outside
    /// ASCII, some longer than [`MAX_CHARS`].
    fn word() -> impl Strategy<Value = String> {
        prop_oneof!["[abcé]{0,12}", "[a-zا-ي]{0,20}", "[ab]{120,140}",]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]
        #[test]
        fn the_measures_equal_strsims(a in word(), b in word()) {
            let (ca, cb) = (chars(&a), chars(&b));
            prop_assert_eq!(jaro(&ca, &cb).to_bits(), strsim::jaro(&a, &b).to_bits());
            prop_assert_eq!(
                jaro_winkler(&ca, &cb).to_bits(),
                strsim::jaro_winkler(&a, &b).to_bits()
            );
            let jw = strsim::jaro_winkler(&a, &b);
            for cutoff in [0.5, 0.7, 0.85, 0.88, 0.92, 1.0] {
                prop_assert_eq!(
                    jaro_winkler_reaching(&ca, &cb, cutoff).map(f64::to_bits),
                    (jw >= cutoff).then_some(jw.to_bits()),
                    "{}", cutoff
                );
            }
            prop_assert_eq!(damerau_levenshtein(&ca, &cb), strsim::damerau_levenshtein(&a, &b));
            prop_assert_eq!(one_edit_apart(&ca, &cb), strsim::damerau_levenshtein(&a, &b) == 1);
            prop_assert_eq!(
                normalized_damerau_levenshtein(&ca, &cb).to_bits(),
                strsim::normalized_damerau_levenshtein(&a, &b).to_bits()
            );
        }
    }

    #[test]
    fn known_values() {
        let m = |a: &str, b: &str| jaro_winkler(&chars(a), &chars(b));
        assert_eq!(m("", ""), 1.0);
        assert_eq!(m("abc", ""), 0.0);
        assert!((m("martha", "marhta") - 0.9611).abs() < 1e-4);
        assert!((m("dixon", "dicksonx") - 0.8133).abs() < 1e-4);
        let d = |a: &str, b: &str| damerau_levenshtein(&chars(a), &chars(b));
        assert_eq!(d("ab", "bca"), 2);
        assert_eq!(d("ca", "abc"), 2);
        assert_eq!(d("hikvision", "hikvisoin"), 1);
        assert_eq!(d("", "abc"), 3);
        let one = |a: &str, b: &str| one_edit_apart(&chars(a), &chars(b));
        assert!(one("wamg", "wang") && one("ypes", "yepes") && one("yepes", "ypes"));
        assert!(one("hikvisoin", "hikvision") && one("ab", "ba") && one("", "a"));
        assert!(!one("wang", "wang") && !one("ab", "bca") && !one("abcd", "badc"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]
        /// Words one edit or so apart, which random words seldom are.
        #[test]
        fn one_edit_apart_is_a_distance_of_one(
            a in "[abc]{0,6}",
            i in 0usize..8,
            c in "[abcd]",
            how in 0u8..4,
        ) {
            let mut b: Vec<char> = a.chars().collect();
            let c = c.chars().next().unwrap();
            let n = b.len();
            match how {
                0 => b.insert(i % (n + 1), c),
                1 if n > 0 => b[i % n] = c,
                2 if n > 0 => {
                    b.remove(i % n);
                }
                3 if n > 1 => b.swap(i % (n - 1), i % (n - 1) + 1),
                _ => {}
            }
            let b: String = b.into_iter().collect();
            prop_assert_eq!(
                one_edit_apart(&chars(&a), &chars(&b)),
                strsim::damerau_levenshtein(&a, &b) == 1,
                "{:?} {:?}", a, b
            );
        }
    }
}
