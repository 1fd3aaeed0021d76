//! `sanctions query`: screen one name and explain each hit token by token.

use super::catalog::announce;
use crate::config::{Outcome, QueryConfig};
use crate::lists;
use crate::matcher::{Explanation, Matcher, QueryFacts};
use crate::model;
use crate::report::{self, Hit};
use crate::screening::{Screener, build_index, load_catalog};
use anyhow::Result;
use std::io::{BufWriter, Write};

/// Run `sanctions query`.
pub fn run(c: &QueryConfig) -> Result<Outcome> {
    // As in `screen`: no list name is that long, and the scorer's time grows
    // with the square of a word's length.
    let chars = c.name.chars().count();
    if chars > lists::MAX_NAME_CHARS {
        anyhow::bail!(
            "the name is {chars} characters long, more than a name can be ({}): not screened",
            lists::MAX_NAME_CHARS
        );
    }
    for w in &c.warnings {
        eprintln!("sanctions: warning: {}", w.in_words());
    }
    let mut catalog = load_catalog(&c.lists)?;
    announce(&catalog);
    let index = build_index(&mut catalog);
    let matcher = Matcher::new(&index, c.threshold, c.top);
    let facts = QueryFacts {
        country: c.country.as_deref(),
        date_of_birth: c.date_of_birth.as_ref(),
        entity_type: c.entity_type,
    };
    // Screened as `screen` screens a row's name, so that a hit has the
    // same severity (`--block-threshold`) in both.
    let hits = Screener::new(&index, &matcher, c.block_threshold).hits(&c.name, None, &[], &facts);
    let mut out = BufWriter::new(std::io::stdout().lock());
    if c.json {
        let mut doc = serde_json::json!({"name": c.name, "threshold": report::report_score(c.threshold), "hits": hits});
        if !c.warnings.is_empty() {
            doc["warnings"] = serde_json::to_value(&c.warnings)?;
        }
        serde_json::to_writer_pretty(&mut out, &doc)?;
        writeln!(out)?;
    } else {
        write_text(&mut out, c, &hits)?;
    }
    out.flush()?;
    Ok(if hits.is_empty() {
        Outcome::Clear
    } else {
        Outcome::Matches
    })
}

/// The verdict on the name as text, then each hit explained.
fn write_text(out: &mut impl Write, c: &QueryConfig, hits: &[Hit]) -> Result<()> {
    if hits.is_empty() {
        writeln!(
            out,
            "{:?}: clear (no hit at or above {})",
            c.name, c.threshold
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "{:?}: {} potential match(es) at or above {}",
        c.name,
        hits.len(),
        c.threshold
    )?;
    for h in hits {
        writeln!(out)?;
        report::write_hit(out, h)?;
        write_explanation(out, &h.explanation)?;
    }
    Ok(())
}

/// How the matcher read a hit (its why in words is the hit's own line,
/// [`report::write_hit`]): the part of the query, identifier and evidence,
/// the tokens paired, left over and canonicalized.
fn write_explanation(out: &mut impl Write, e: &Explanation) -> Result<()> {
    if let Some(part) = &e.query_part {
        writeln!(out, "          matched by this part of the query: {part:?}")?;
    }
    if let Some(id) = &e.identifier {
        writeln!(out, "          identifier: {id}")?;
    }
    for note in &e.evidence {
        writeln!(out, "          evidence: {note}")?;
    }
    writeln!(out, "          query tokens:  {}", e.query_tokens.join(" "))?;
    writeln!(
        out,
        "          listed tokens: {}",
        e.listed_tokens.join(" ")
    )?;
    for p in &e.pairs {
        writeln!(
            out,
            "            {:<20} ~ {:<20} {:.3} ({}), weight {:.2}",
            p.query,
            p.listed,
            p.similarity,
            p.rule_in_words(),
            p.weight
        )?;
    }
    for u in &e.unmatched_query {
        writeln!(
            out,
            "            {:<20}   (not in the listed name)  weight {:.2}",
            u.token, u.weight
        )?;
    }
    for u in &e.unmatched_listed {
        writeln!(
            out,
            "            {:<20}   (missing from the query)  weight {:.2}",
            u.token, u.weight
        )?;
    }
    for cz in &e.canonicalized {
        writeln!(out, "            canonicalized: {cz}")?;
    }
    if e.name_kind == model::NameKind::Weak {
        writeln!(
            out,
            "            weak alias: raw score {:.4} discounted",
            e.raw_score
        )?;
    }
    Ok(())
}
