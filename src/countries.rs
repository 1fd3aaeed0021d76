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
    let first = value.split(" / ").next().unwrap_or(value);
    table().get(&fold(first)).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

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
