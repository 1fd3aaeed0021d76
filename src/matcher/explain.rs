//! Explanations: why a name scored what it scored, read off its
//! [`NameScore`] (its alignment and the score it earned) without scoring again.

use super::score::NameScore;
use super::similarity::How;
use crate::model::NameKind;
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
}

/// An unmatched token and its weight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unmatched {
    /// The token, canonical.
    pub token: String,
    /// Its weight (what its absence cost).
    pub weight: f32,
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
            parts.push(format!("+{}", u.token));
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
        Explanation {
            query_tokens: q.tokens.iter().map(|t| t.token.text.clone()).collect(),
            listed_tokens: (0..n.tokens.len())
                .map(|j| a.listed_token(j).text.clone())
                .collect(),
            canonicalized: canonicalized(scored),
            pairs: a
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
                    }
                })
                .collect(),
            unmatched_query: a
                .unmatched_query()
                .map(|i| Unmatched {
                    token: q.tokens[i].token.text.clone(),
                    weight: q.tokens[i].weight,
                })
                .collect(),
            unmatched_listed: a
                .unmatched_listed()
                .map(|j| Unmatched {
                    token: a.listed_token(j).text.clone(),
                    weight: a.listed_token(j).weight,
                })
                .collect(),
            raw_score: scored.raw,
            name_kind: n.kind,
            identifier: None,
            query_part: None,
            evidence: Vec::new(),
            whole_name_edits: scored.whole_edits,
        }
    }
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
