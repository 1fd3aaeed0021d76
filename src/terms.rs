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
use std::collections::HashMap;
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
    /// A stopword (`the`, `of`, `de`...): weighs almost nothing.
    Stop,
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
}

impl Terms {
    /// Parse a table in the `terms.tsv` format; errors name the line.
    pub fn parse(text: &str) -> Result<Terms, String> {
        let mut phrases = HashMap::new();
        let mut max_words = 1;
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
            let class = match class {
                "legal" => Class::Legal,
                "stop" => Class::Stop,
                "abbr" => Class::Word,
                other => return Err(format!("terms.tsv:{}: unknown class {other:?}", i + 1)),
            };
            for v in variants.split('|').chain(std::iter::once(canonical)) {
                let v = v.trim();
                if v.is_empty() {
                    continue;
                }
                if normalize::fold(v) != v {
                    return Err(format!(
                        "terms.tsv:{}: variant {v:?} is not in folded form",
                        i + 1
                    ));
                }
                max_words = max_words.max(v.split(' ').count());
                // The first rule for a variant wins, so the table reads top-down.
                phrases
                    .entry(v.to_string())
                    .or_insert_with(|| (canonical.to_string(), class));
            }
        }
        Ok(Terms { phrases, max_words })
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
        let mut out = Vec::with_capacity(words.len());
        let mut i = 0;
        while i < words.len() {
            let mut matched = None;
            for n in (1..=self.max_words.min(words.len() - i)).rev() {
                let phrase = words[i..i + n].join(" ");
                if let Some((canon, class)) = self.phrases.get(&phrase) {
                    matched = Some((n, canon, *class, phrase));
                    break;
                }
            }
            match matched {
                Some((n, canon, class, phrase)) => {
                    out.push(Token {
                        from: (*canon != phrase).then_some(phrase),
                        text: canon.clone(),
                        class,
                    });
                    i += n;
                }
                None => {
                    out.push(Token {
                        text: words[i].clone(),
                        class: Class::Word,
                        from: None,
                    });
                    i += 1;
                }
            }
        }
        out
    }
}

/// Fold and canonicalize a name with the shipped table.
pub fn analyze(name: &str) -> Vec<Token> {
    Terms::shipped().canonicalize(&normalize::words(name))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        ];
        for (name, want) in cases {
            assert_eq!(texts(name), want, "{name}");
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
        ] {
            assert_eq!(texts(a), texts(b), "{a} vs {b}");
        }
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
