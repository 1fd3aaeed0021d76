//! Explanations: why a name scored what it scored, read off its
//! [`NameScore`] (its alignment and the score it earned) without scoring again.
//!
//! An explanation speaks two languages: the matcher's (canonical tokens,
//! serialized in the JSON reports, and [`Explanation::summary`], the
//! compact `why` of every report) and the analyst's: the words of both
//! names as written ([`Explanation::query_words`], [`Pair::query_written`]...),
//! which [`Explanation::in_words`] renders in sentences, the one prose
//! rendering every reader of an explanation uses (the review page, `query`,
//! the table report, Watchman's score pieces).

use super::score::NameScore;
use super::similarity::How;
use crate::model::{NameKind, Word, WordPart};
use crate::terms;
use serde::Serialize;

/// One aligned pair in an explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    /// The query token(s), canonical.
    pub query: String,
    /// The listed token(s), canonical.
    pub listed: String,
    /// Similarity in `0..=1`.
    pub similarity: f32,
    /// How they met.
    pub how: How,
    /// The pair's weight: the weights of both sides' tokens.
    pub weight: f32,
    /// The query's words as written that hold `query` (not serialized: the
    /// reports' bytes stay as they were).
    #[serde(skip)]
    pub query_written: String,
    /// The listed name's words as written that hold `listed`.
    #[serde(skip)]
    pub listed_written: String,
}

impl Pair {
    /// The pair in words, as written on each side, with the rule that
    /// joined them: `Maduro (same word)` when both sides write it alike,
    /// `Nicolás = NIKOLAY (the same name or word in another form)` when the
    /// matcher reads both alike, else `Hikvison ~ HIKVISION (spelling
    /// variant, 0.97)`.
    pub fn in_words(&self) -> String {
        let (q, l) = (&self.query_written, &self.listed_written);
        if q.to_lowercase() == l.to_lowercase() {
            format!("{q} (same word)")
        } else if self.query == self.listed {
            format!("{q} = {l} ({})", rule_in_words(How::Canonical))
        } else {
            format!(
                "{q} ~ {l} ({}, {:.2})",
                self.rule_in_words(),
                self.similarity
            )
        }
    }

    /// The rule that joined the pair, for an analyst: `same word`,
    /// `spelling variant`, `initial`...
    pub fn rule_in_words(&self) -> &'static str {
        rule_in_words(self.how)
    }
}

/// The rule that joined two words, for an analyst.
fn rule_in_words(how: How) -> &'static str {
    match how {
        How::Exact => "same word",
        How::Canonical => "the same name or word in another form",
        How::Fuzzy => "spelling variant",
        How::Skeleton => "same consonants",
        How::Prefix => "cut-off word",
        How::Initial => "initial",
        How::Glued => "words written together",
        How::Acronym => "initials of the words",
        How::LegalForm => "different legal forms",
        How::Phonetic => "same sound",
        How::Arabic => "same Arabic-script consonants",
    }
}

/// An unmatched token and its weight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unmatched {
    /// The token, canonical.
    pub token: String,
    /// Its weight (what its absence cost).
    pub weight: f32,
    /// The words as written that hold it (not serialized).
    #[serde(skip)]
    pub written: String,
}

/// Why a name scored what it scored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// The query as analyzed (canonical tokens).
    pub query_tokens: Vec<String>,
    /// The listed name as analyzed.
    pub listed_tokens: Vec<String>,
    /// What canonicalization changed, as `folded → canonical`.
    pub canonicalized: Vec<String>,
    /// Aligned pairs.
    pub pairs: Vec<Pair>,
    /// Query tokens with no partner.
    pub unmatched_query: Vec<Unmatched>,
    /// Listed tokens with no partner.
    pub unmatched_listed: Vec<Unmatched>,
    /// The score before the weak-alias discount.
    pub raw_score: f32,
    /// Kind of the matched name.
    pub name_kind: NameKind,
    /// When an identifier decided the hit: which one, e.g.
    /// `ISIN HK0941009539 equals the listed ISIN HK0941009539`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// When one part of the input name matched rather than the whole (an
    /// alias in parentheses, one of two names joined by `or`): that part.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query_part: Option<String>,
    /// What the input's other facts (country, date of birth, type) say
    /// against the listing, e.g. `input country US is not among the listed
    /// countries (RU); score x 0.9` or `date of birth 1960-01-12 agrees
    /// with the listed 12 Jan 1960` (see `evidence.rs`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// When the name as written is a few letters off the listed name and
    /// that scored more than its words did ([`crate::matcher::whole_name_edits`]): the
    /// number of letters changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub whole_name_edits: Option<usize>,
    /// The input's words the listed name lacks that another name of the
    /// entry has (rule `words_across_names`): they cost as middle or
    /// further names, not as a stranger's.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub in_other_names: Vec<String>,
    /// The query (or the part of it that matched) as written, word by word,
    /// each marked met, unmet or ignored (not serialized).
    #[serde(skip)]
    pub query_words: Vec<Word>,
    /// The listed name as written, word by word, so marked.
    #[serde(skip)]
    pub listed_words: Vec<Word>,
}

impl Explanation {
    /// A short readable form: `sensetime=sensetime(exact 1.00), group=group(exact 1.00); -ltd`.
    pub fn summary(&self) -> String {
        let mut parts: Vec<String> = self
            .pairs
            .iter()
            .map(|p| {
                if p.query == p.listed {
                    format!("{}({:?} {:.2})", p.query, p.how, p.similarity).to_lowercase()
                } else {
                    format!("{}~{}({:?} {:.2})", p.query, p.listed, p.how, p.similarity)
                        .to_lowercase()
                }
            })
            .collect();
        for u in &self.unmatched_query {
            if self.in_other_names.contains(&u.token) {
                parts.push(format!("+{}(other name)", u.token));
            } else {
                parts.push(format!("+{}", u.token));
            }
        }
        for u in &self.unmatched_listed {
            parts.push(format!("-{}", u.token));
        }
        let mut s = parts.join(" ");
        if let Some(d) = self.whole_name_edits {
            s = format!("whole name {d} letter(s) off: {s}");
        }
        if let Some(id) = &self.identifier {
            s = format!("identifier: {id}; name: {s}");
        }
        if let Some(p) = &self.query_part {
            s = format!("part \"{p}\": {s}");
        }
        for e in &self.evidence {
            s.push_str(&format!(" [{e}]"));
        }
        if self.name_kind == NameKind::Weak {
            s.push_str(" [weak alias]");
        }
        s
    }

    /// The explanation in sentences, in the words of both names as
    /// written: what decided the hit (an identifier, or the words that met
    /// and the rule that joined each), the words either side lacks, the
    /// part of the input that matched, the kind of the listed name, and
    /// what the input's other facts say. Every report that explains a hit
    /// in prose uses this.
    pub fn in_words(&self) -> String {
        let mut parts = Vec::new();
        if let Some(id) = &self.identifier {
            parts.push(format!("An identifier decided this hit: {id}."));
        } else {
            let met: Vec<String> = self.pairs.iter().map(Pair::in_words).collect();
            if met.is_empty() {
                parts.push("No word met.".to_string());
            } else {
                parts.push(format!("Met: {}.", met.join("; ")));
            }
            if !self.unmatched_listed.is_empty() {
                parts.push(format!(
                    "Listed words the input lacks: {}.",
                    written(&self.unmatched_listed)
                ));
            }
            if !self.unmatched_query.is_empty() {
                parts.push(format!(
                    "Input words the listed name lacks: {}.",
                    written(&self.unmatched_query)
                ));
            }
            if !self.in_other_names.is_empty() {
                // As written, like the words the listed name lacks.
                let elsewhere = (self.unmatched_query.iter())
                    .filter(|u| self.in_other_names.contains(&u.token));
                parts.push(format!(
                    "Another name of the entry has {}.",
                    written(elsewhere)
                ));
            }
            if let Some(n) = self.whole_name_edits {
                parts.push(format!(
                    "The whole name as written is {n} letter(s) off the listed name."
                ));
            }
        }
        if let Some(part) = &self.query_part {
            parts.push(format!(
                "Only this part of the input matched: \u{201c}{part}\u{201d}."
            ));
        }
        if self.name_kind != NameKind::Primary {
            parts.push(format!(
                "The name that matched is a {} name of the entry.",
                self.name_kind
            ));
        }
        for ev in &self.evidence {
            let mut chars = ev.chars();
            let first: String = chars
                .next()
                .into_iter()
                .flat_map(char::to_uppercase)
                .collect();
            parts.push(format!("{first}{}.", chars.as_str()));
        }
        parts.join(" ")
    }
}

/// Unmatched words as written, comma-separated.
fn written<'u>(u: impl IntoIterator<Item = &'u Unmatched>) -> String {
    u.into_iter()
        .map(|u| u.written.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

impl Explanation {
    /// The explanation of a scored name: its pairs, its words left over,
    /// what canonicalization changed on either side.
    pub(super) fn new(scored: &NameScore) -> Explanation {
        let a = &scored.alignment;
        let (q, n) = (a.query, a.listed());
        let text_q = |is: &[usize]| {
            is.iter()
                .map(|&i| q.tokens[i].token.text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let text_l = |js: &[usize]| {
            js.iter()
                .map(|&j| a.listed_token(j).text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let weight = |is: &[usize], js: &[usize]| {
            is.iter().map(|&i| q.tokens[i].weight).sum::<f32>()
                + js.iter().map(|&j| a.listed_token(j).weight).sum::<f32>()
        };
        let pairs: Vec<Pair> = a
            .pairs
            .iter()
            .map(|p| {
                let ((qi, qn), (lj, ln)) = (p.query, p.listed);
                let is: Vec<usize> = (qi..qi + qn).collect();
                let js: Vec<usize> = (lj..lj + ln).collect();
                Pair {
                    query: text_q(&is),
                    listed: text_l(&js),
                    similarity: p.similarity,
                    how: p.how,
                    weight: weight(&is, &js),
                    query_written: String::new(),
                    listed_written: String::new(),
                }
            })
            .collect();
        let unmatched_query: Vec<Unmatched> = a
            .unmatched_query()
            .map(|i| Unmatched {
                token: q.tokens[i].token.text.clone(),
                weight: q.tokens[i].weight,
                written: String::new(),
            })
            .collect();
        let unmatched_listed: Vec<Unmatched> = a
            .unmatched_listed()
            .map(|j| Unmatched {
                token: a.listed_token(j).text.clone(),
                weight: a.listed_token(j).weight,
                written: String::new(),
            })
            .collect();
        let mut explanation = Explanation {
            query_tokens: q.tokens.iter().map(|t| t.token.text.clone()).collect(),
            listed_tokens: (0..n.tokens().len())
                .map(|j| a.listed_token(j).text.clone())
                .collect(),
            canonicalized: canonicalized(scored),
            pairs,
            unmatched_query,
            unmatched_listed,
            raw_score: scored.raw,
            name_kind: n.kind,
            identifier: None,
            query_part: None,
            evidence: Vec::new(),
            whole_name_edits: scored.whole_edits,
            in_other_names: (scored.elsewhere.iter().enumerate())
                .filter(|&(_, &e)| e)
                .map(|(i, _)| q.tokens[i].token.text.clone())
                .collect(),
            query_words: Vec::new(),
            listed_words: Vec::new(),
        };
        let listed_text = &a.index.entities[n.entity as usize].names[n.name as usize].text;
        explanation.write_words(&q.text, listed_text);
        explanation
    }

    /// Say which words of both names as written met, went unmet or were
    /// ignored, and which words hold each pair's and each unmatched token.
    /// A word is read alone by [`terms::analyze`], as the matcher reads it;
    /// a token no word alone gives (a phrase read across words) is shown as
    /// the matcher wrote it.
    fn write_words(&mut self, query: &str, listed: &str) {
        let query = words_analyzed(query);
        let listed = words_analyzed(listed);
        for p in &mut self.pairs {
            p.query_written = holding(&query, &p.query);
            p.listed_written = holding(&listed, &p.listed);
        }
        for u in &mut self.unmatched_query {
            u.written = holding(&query, &u.token);
        }
        for u in &mut self.unmatched_listed {
            u.written = holding(&listed, &u.token);
        }
        let met_query: Vec<&str> = (self.pairs.iter())
            .flat_map(|p| p.query.split_whitespace())
            .collect();
        let met_listed: Vec<&str> = (self.pairs.iter())
            .flat_map(|p| p.listed.split_whitespace())
            .collect();
        let unmet =
            |u: &[Unmatched]| -> Vec<String> { u.iter().map(|u| u.token.clone()).collect() };
        self.query_words = marked(query, &met_query, &unmet(&self.unmatched_query));
        self.listed_words = marked(listed, &met_listed, &unmet(&self.unmatched_listed));
    }
}

/// A word as written, with the white space before it and the canonical
/// tokens it gives alone.
struct Analyzed {
    space: String,
    text: String,
    tokens: Vec<String>,
}

/// A name as written, word by word (split at white space), each word
/// analyzed alone.
fn words_analyzed(name: &str) -> Vec<Analyzed> {
    let mut out = Vec::new();
    let mut rest = name;
    while !rest.is_empty() {
        let space = rest.len() - rest.trim_start().len();
        let (before, after) = rest.split_at(space);
        let end = after.find(char::is_whitespace).unwrap_or(after.len());
        let (word, after) = after.split_at(end);
        if word.is_empty() {
            break;
        }
        out.push(Analyzed {
            space: before.to_string(),
            text: word.to_string(),
            tokens: terms::analyze(word).into_iter().map(|t| t.text).collect(),
        });
        rest = after;
    }
    out
}

/// The words as written that give any of `tokens` (canonical, separated by
/// spaces), without the punctuation around them (`MOROS,`), joined by a
/// space; `tokens` itself when no word does.
fn holding(words: &[Analyzed], tokens: &str) -> String {
    let wanted: Vec<&str> = tokens.split_whitespace().collect();
    let held: Vec<&str> = words
        .iter()
        .filter(|w| w.tokens.iter().any(|t| wanted.contains(&t.as_str())))
        .map(
            |w| match w.text.trim_matches(|c: char| !c.is_alphanumeric()) {
                "" => w.text.as_str(),
                bare => bare,
            },
        )
        .collect();
    if held.is_empty() {
        tokens.to_string()
    } else {
        held.join(" ")
    }
}

/// Each word marked: met when it gives a token that met, else unmet when it
/// gives one that did not, else ignored.
fn marked(words: Vec<Analyzed>, met: &[&str], unmet: &[String]) -> Vec<Word> {
    words
        .into_iter()
        .map(|w| {
            let part = if w.tokens.iter().any(|t| met.contains(&t.as_str())) {
                WordPart::Met
            } else if w.tokens.iter().any(|t| unmet.contains(t)) {
                WordPart::Unmet
            } else {
                WordPart::Ignored
            };
            Word {
                space: w.space,
                text: w.text,
                part,
            }
        })
        .collect()
}

/// What canonicalization changed in the query and the listed name, as
/// `folded → canonical`, each change once.
fn canonicalized(scored: &NameScore) -> Vec<String> {
    let a = &scored.alignment;
    let n = a.listed();
    let listed_analyzed =
        terms::analyze(&a.index.entities[n.entity as usize].names[n.name as usize].text);
    let mut canonicalized: Vec<String> = a
        .query
        .tokens
        .iter()
        .map(|t| &t.token)
        .chain(listed_analyzed.iter())
        .filter_map(|t| t.from.as_ref().map(|f| format!("{f} → {}", t.text)))
        .collect();
    let mut seen = std::collections::HashSet::new();
    canonicalized.retain(|c| seen.insert(c.clone()));
    canonicalized
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_as_written_are_marked_by_the_tokens_they_give_alone() {
        let parts = |name: &str, met: &[&str], unmet: &[&str]| -> Vec<(String, String, WordPart)> {
            let unmet: Vec<String> = unmet.iter().map(|u| u.to_string()).collect();
            marked(words_analyzed(name), met, &unmet)
                .into_iter()
                .map(|w| (w.space, w.text, w.part))
                .collect()
        };
        let w = |space: &str, text: &str, part| (space.to_string(), text.to_string(), part);
        assert_eq!(
            parts(
                "Hangzhou  Hikvision Digital",
                &["hikvision", "digital"],
                &["hangzhou"]
            ),
            [
                w("", "Hangzhou", WordPart::Unmet),
                w("  ", "Hikvision", WordPart::Met),
                w(" ", "Digital", WordPart::Met),
            ]
        );
        // A word the matcher reads canonically is marked by its canonical token.
        assert_eq!(
            parts("Nicolas", &["nikolay"], &[]),
            [w("", "Nicolas", WordPart::Met)]
        );
    }

    #[test]
    fn a_token_is_shown_in_the_words_that_give_it_else_as_the_matcher_wrote_it() {
        let words = words_analyzed("MADURO MOROS, Nicolas");
        assert_eq!(holding(&words, "moros"), "MOROS");
        assert_eq!(holding(&words, "maduro moros"), "MADURO MOROS");
        assert_eq!(holding(&words, "zzz"), "zzz");
    }

    #[test]
    fn a_pair_in_words_speaks_the_names_as_written() {
        let pair = |query: &str, listed: &str, qw: &str, lw: &str, how, similarity| Pair {
            query: query.into(),
            listed: listed.into(),
            similarity,
            how,
            weight: 1.0,
            query_written: qw.into(),
            listed_written: lw.into(),
        };
        let table = [
            (
                pair("maduro", "maduro", "Maduro", "MADURO", How::Exact, 1.0),
                "Maduro (same word)",
            ),
            (
                pair(
                    "nikolay",
                    "nikolay",
                    "Nicolás",
                    "NIKOLAY",
                    How::Canonical,
                    1.0,
                ),
                "Nicolás = NIKOLAY (the same name or word in another form)",
            ),
            (
                pair(
                    "hikvison",
                    "hikvision",
                    "Hikvison",
                    "HIKVISION",
                    How::Fuzzy,
                    0.97,
                ),
                "Hikvison ~ HIKVISION (spelling variant, 0.97)",
            ),
        ];
        for (p, want) in table {
            assert_eq!(p.in_words(), want);
        }
    }
}
