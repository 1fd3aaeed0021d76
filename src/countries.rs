//! Countries as ISO 3166-1 alpha-2 codes, from `data/terms/countries.tsv`:
//! the names the lists write (`Korea, North`, `Iran (Islamic Republic of)`,
//! `Russia / Russie`) and the codes the CSL and users write (`RU`).
//!
//! A country the table does not know is never judged.

use crate::normalize::fold;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The table, as shipped.
pub const COUNTRIES_TSV: &str = include_str!("../data/terms/countries.tsv");

fn table() -> &'static HashMap<String, &'static str> {
    static TABLE: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut m = HashMap::new();
        for line in COUNTRIES_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let Some((code, names)) = line.split_once('\t') else {
                continue;
            };
            m.insert(code.to_ascii_lowercase(), code);
            for n in names.split('|') {
                m.entry(n.trim().to_string()).or_insert(code);
            }
        }
        m
    })
}

/// The ISO alpha-2 code of a country name or code, if the table knows it.
/// Bilingual values (`Belarus / Bélarus`) are read by their first part.
///
/// ```
/// use sanctions::countries::iso2;
/// assert_eq!(iso2("Korea, North"), Some("KP"));
/// assert_eq!(iso2("Iran (Islamic Republic of)"), Some("IR"));
/// assert_eq!(iso2("RU"), Some("RU"));
/// assert_eq!(iso2("Belarus / Bélarus"), Some("BY"));
/// assert_eq!(iso2("Atlantis"), None);
/// ```
pub fn iso2(value: &str) -> Option<&'static str> {
    // A code (`mx`, `RU`), as the FollowTheMoney lists write a million
    // times over, folds to itself in lower case: no need to fold it.
    if value.len() <= CODE_MAX && value.bytes().all(|b| b.is_ascii_alphabetic()) {
        let mut lower = [0u8; CODE_MAX];
        lower[..value.len()].copy_from_slice(value.as_bytes());
        lower[..value.len()].make_ascii_lowercase();
        let lower = std::str::from_utf8(&lower[..value.len()]).ok()?;
        return table().get(lower).copied();
    }
    let first = value.split(" / ").next().unwrap_or(value);
    table().get(&fold(first)).copied()
}

/// The longest value [`iso2`] reads as letters only, without folding it.
const CODE_MAX: usize = 3;

#[cfg(test)]
mod tests {
    use super::*;

    /// Letters only, up to [`CODE_MAX`] of them, fold to themselves in
    /// lower case: [`iso2`] reads them without folding.
    #[test]
    fn short_letter_values_fold_to_their_lower_case() {
        let letters: Vec<char> = ('a'..='z').chain('A'..='Z').collect();
        let mut values: Vec<String> = letters.iter().map(|c| c.to_string()).collect();
        for &a in &letters {
            for &b in &letters {
                values.push(format!("{a}{b}"));
            }
        }
        for (i, &a) in letters.iter().enumerate() {
            for &b in letters.iter().skip(i % 7).step_by(7) {
                for &c in letters.iter().skip(i % 5).step_by(5) {
                    values.push(format!("{a}{b}{c}"));
                }
            }
        }
        for v in &values {
            assert_eq!(fold(v), v.to_ascii_lowercase(), "{v}");
            let slow = table().get(&fold(v)).copied();
            assert_eq!(iso2(v), slow, "{v}");
        }
        assert_eq!(iso2("mx"), Some("MX"));
        assert_eq!(iso2("Iran"), Some("IR"));
    }

    #[test]
    fn every_line_of_the_table_parses_and_codes_are_unique() {
        let mut codes = std::collections::HashSet::new();
        for line in COUNTRIES_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let (code, names) = line.split_once('\t').expect("code TAB names");
            assert_eq!(code.len(), 2, "{line}");
            assert!(codes.insert(code), "duplicate {code}");
            for n in names.split('|') {
                assert_eq!(fold(n), n, "{n} is not folded");
            }
        }
    }
}
