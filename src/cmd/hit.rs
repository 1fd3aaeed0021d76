//! A match of the matcher as the report shows it: the listed entry, the
//! name that matched, the other lists the same party is on, and why.

use crate::index::Index;
use crate::matcher::Match;
use crate::model::Entity;
use crate::ofac_score;
use crate::report::{self, Hit};

/// Turn a match into a report hit.
pub fn to_hit(index: &Index, query: &str, m: &Match) -> Hit {
    let e = &index.entities[m.entity as usize];
    let me = &index.entities[m.matched_entity as usize];
    let name = &me.names[m.matched_name as usize];
    Hit {
        status: report::HitStatus::PotentialMatch,
        severity: report::Severity::Review,
        entity_hash: e.content_hash(),
        decision: None,
        decision_outcome: None,
        listed_dates_of_birth: e.dates_of_birth.iter().map(|d| d.raw.clone()).collect(),
        listed_countries: listed_countries(e),
        score: report::report_score(m.score),
        ofac_score: report::report_score(ofac_score::ofac_score(query, &name.text)),
        entity_id: e.id.clone(),
        list: e.list.to_string(),
        also_on: also_on(index, m),
        matched_name: name.text.clone(),
        matched_name_kind: name.kind.to_string(),
        primary_name: e.primary_name().to_string(),
        entity_type: e.entity_type.to_string(),
        programs: e.programs.clone(),
        source: e.source.to_string(),
        why: m.explanation.summary(),
        explanation: m.explanation.clone(),
    }
}

/// The other entries of the match's group, as `list (id)`, each once. The
/// same entry loaded from two releases of one list is not "also on" it.
fn also_on(index: &Index, m: &Match) -> Vec<String> {
    let e = &index.entities[m.entity as usize];
    let mut also_on: Vec<String> = Vec::new();
    for &o in &index.groups[m.group as usize].members[1..] {
        let o = &index.entities[o as usize];
        let label = format!("{} ({})", o.list, o.id);
        if (o.list != e.list || o.id != e.id) && !also_on.contains(&label) {
            also_on.push(label);
        }
    }
    also_on
}

/// The entry's countries and nationalities as published, each once, in
/// the order they are listed.
fn listed_countries(e: &Entity) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in e.countries.iter().chain(&e.nationalities) {
        if !out.contains(c) {
            out.push(c.clone());
        }
    }
    out
}
