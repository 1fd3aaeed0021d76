//! Reviewed decisions: a file the compliance team keeps (and versions in
//! git) saying that a hit on an input name was a false positive or a true
//! match. A false positive is cleared from later runs (shown as "cleared by
//! decision", never dropped) for as long as the listed entry stays as it
//! was when the decision was made (its [`crate::model::Entity::content_hash`])
//! and the decision has not expired; otherwise the hit is reopened and says why.
//!
//! # File format
//!
//! CSV with a header row, or JSON (an array of objects, or an object with a
//! `decisions` array), by the file's extension. Columns (keys):
//!
//! | column | required | meaning |
//! |---|---|---|
//! | `input` (or `name`) | this or `input_id` | the input name, as in the screened file (case and spacing ignored) |
//! | `input_id` (or `id`) | this or `input` | the input's `id` column |
//! | `entity_id` | yes | the hit's `entity_id` (e.g. `ofac-sdn:12345`) or another id of the same party |
//! | `entity_hash` | for `false_positive` | the hit's `entity_hash` when the decision was made |
//! | `decision` | yes | `false_positive` or `true_match` |
//! | `reviewer` | yes | who decided |
//! | `date` | yes | when, `YYYY-MM-DD` |
//! | `reason` | no | why |
//! | `expires` | no | `YYYY-MM-DD`: from that day the decision no longer holds |
//!
//! When several decisions cover the same input and entry, the latest (by
//! date, then by position in the file) counts.

use anyhow::{Context, Result, bail};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// What was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The hit is not the listed party.
    FalsePositive,
    /// The hit is the listed party.
    TrueMatch,
}

/// One decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// The input name it covers (as written in the file).
    pub input: Option<String>,
    /// The input id it covers.
    pub input_id: Option<String>,
    /// The listed entry.
    pub entity_id: String,
    /// The entry's content hash when the decision was made.
    pub entity_hash: Option<String>,
    /// What was decided.
    pub kind: Kind,
    /// Who decided.
    pub reviewer: String,
    /// When (`YYYY-MM-DD`).
    pub date: String,
    /// Why.
    pub reason: String,
    /// From this day (`YYYY-MM-DD`) it no longer holds.
    pub expires: Option<String>,
    /// Where it is in the file (`file:line`, or `file: decision N` for JSON).
    pub source: String,
}

/// What a decision does to a hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// A false positive that still holds: the hit is cleared.
    Cleared(String),
    /// A false positive that no longer holds (the entry changed, or the
    /// decision expired): the hit stands, and says why.
    Reopened(String),
    /// A true match: the hit stands, confirmed.
    Confirmed(String),
}

impl Effect {
    /// The note shown with the hit.
    pub fn note(&self) -> &str {
        match self {
            Effect::Cleared(n) | Effect::Reopened(n) | Effect::Confirmed(n) => n,
        }
    }

    /// What the decision did, without its note.
    pub fn outcome(&self) -> Outcome {
        match self {
            Effect::Cleared(_) => Outcome::Cleared,
            Effect::Confirmed(_) => Outcome::Confirmed,
            Effect::Reopened(_) => Outcome::Reopened,
        }
    }
}

/// What a decision did to a hit, as reports name it (`decision_outcome`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A false positive that still holds: the hit is cleared.
    Cleared,
    /// A true match: the hit stands, confirmed.
    Confirmed,
    /// A false positive that no longer holds: the hit is to review again.
    Reopened,
}

impl Outcome {
    /// Whether the hit stands decided (cleared or confirmed); a reopened
    /// hit is to review again, as one never decided.
    pub fn is_decided(self) -> bool {
        self != Outcome::Reopened
    }
}

/// The decisions of one file, looked up by entry.
#[derive(Debug, Clone, Default)]
pub struct Decisions {
    /// The file, as given.
    pub path: String,
    /// Its sha256 (recorded with each run).
    pub sha256: String,
    /// Every decision, in file order.
    pub items: Vec<Decision>,
    /// Entity id to decision indexes.
    by_entity: BTreeMap<String, Vec<usize>>,
}

/// Case and spacing do not count when an input name is compared.
fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    norm(a) == norm(b)
}

impl Decisions {
    /// Read a decisions file (CSV, or JSON when it ends in `.json`); every
    /// problem names the file and line.
    pub fn load(path: &Path) -> Result<Decisions> {
        let name = path.display().to_string();
        let bytes =
            std::fs::read(path).with_context(|| format!("{name}: cannot read decisions"))?;
        let raw: Vec<(String, BTreeMap<String, String>)> = if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            read_json(&name, &bytes)?
        } else {
            read_csv(&name, &bytes)?
        };
        let mut items = Vec::with_capacity(raw.len());
        for (source, fields) in raw {
            items.push(parse(&source, &fields)?);
        }
        let mut by_entity: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, d) in items.iter().enumerate() {
            by_entity.entry(d.entity_id.clone()).or_default().push(i);
        }
        Ok(Decisions {
            path: name,
            sha256: crate::lists::sha256_hex(&bytes),
            items,
            by_entity,
        })
    }

    /// The decision on a hit, if any: the input row (name and id), the ids
    /// of the hit's party (its entry first), the entry's content hash now,
    /// and today (days since 1970-01-01, [`crate::clock::today`]).
    pub fn effect(
        &self,
        name: &str,
        id: Option<&str>,
        entity_ids: &[&str],
        hash_now: &str,
        today: i64,
    ) -> Option<Effect> {
        // A decision naming both the input name and its id covers only
        // that name under that id.
        let covers = |d: &Decision| {
            let by_name = d.input.as_deref().map(|i| same_name(i, name));
            let by_id = d
                .input_id
                .as_deref()
                .map(|i| id.is_some_and(|id| id.trim() == i.trim()));
            by_name.unwrap_or(true) && by_id.unwrap_or(true)
        };
        let d = entity_ids
            .iter()
            .filter_map(|e| self.by_entity.get(*e))
            .flatten()
            .map(|&i| (i, &self.items[i]))
            .filter(|(_, d)| covers(d))
            .max_by(|a, b| a.1.date.cmp(&b.1.date).then(a.0.cmp(&b.0)))?
            .1;
        let who = format!("{} on {} ({})", d.reviewer, d.date, d.source);
        let reason = if d.reason.is_empty() {
            String::new()
        } else {
            format!(": {}", d.reason)
        };
        Some(match d.kind {
            Kind::TrueMatch => Effect::Confirmed(format!("true match, decided by {who}{reason}")),
            Kind::FalsePositive => {
                let expired = d
                    .expires
                    .as_deref()
                    .and_then(crate::clock::parse_date)
                    .is_some_and(|e| today >= e);
                let then = d.entity_hash.as_deref().unwrap_or("");
                if expired {
                    Effect::Reopened(format!(
                        "reopened: the false_positive decision by {who} expired on {}",
                        d.expires.as_deref().unwrap_or("")
                    ))
                } else if then != hash_now {
                    Effect::Reopened(format!(
                        "reopened: the listed entry changed since the false_positive decision by {who} (entity_hash {then} then, {hash_now} now)"
                    ))
                } else {
                    let until = d
                        .expires
                        .as_deref()
                        .map(|e| format!(", until {e}"))
                        .unwrap_or_default();
                    Effect::Cleared(format!(
                        "cleared by decision: false_positive by {who}{until}{reason}"
                    ))
                }
            }
        })
    }
}

/// CSV rows as (source, lower-case column to value): comma, semicolon, tab
/// or pipe separated (as the header line says), UTF-8 (with or without a
/// byte-order mark) or, failing that, Windows-1252 (a spreadsheet's "CSV").
fn read_csv(name: &str, bytes: &[u8]) -> Result<Vec<(String, BTreeMap<String, String>)>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text: std::borrow::Cow<[u8]> = if std::str::from_utf8(bytes).is_ok() {
        bytes.into()
    } else {
        let (decoded, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
        decoded.into_owned().into_bytes().into()
    };
    let header = text.split(|&b| b == b'\n').next().unwrap_or_default();
    let delimiter = [b',', b';', b'\t', b'|']
        .into_iter()
        .max_by_key(|d| (header.iter().filter(|b| *b == d).count(), *d == b','))
        .unwrap_or(b',');
    let mut r = csv::ReaderBuilder::new()
        .flexible(false)
        .delimiter(delimiter)
        .from_reader(&text[..]);
    let headers: Vec<String> = r
        .headers()
        .with_context(|| format!("{name}:1: cannot read the header row"))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            anyhow::anyhow!("{name}:{line}: malformed CSV: {e}")
        })?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let fields = headers
            .iter()
            .cloned()
            .zip(rec.iter().map(|v| v.trim().to_string()))
            .collect();
        out.push((format!("{name}:{line}"), fields));
    }
    Ok(out)
}

/// JSON decisions as (source, key to value).
fn read_json(name: &str, bytes: &[u8]) -> Result<Vec<(String, BTreeMap<String, String>)>> {
    let doc: serde_json::Value =
        serde_json::from_slice(bytes).with_context(|| format!("{name}: not valid JSON"))?;
    let list = match &doc {
        serde_json::Value::Array(a) => a,
        serde_json::Value::Object(o) => match o.get("decisions") {
            Some(serde_json::Value::Array(a)) => a,
            _ => bail!(
                "{name}: expected an array of decisions, or an object with a `decisions` array"
            ),
        },
        _ => bail!("{name}: expected an array of decisions"),
    };
    let mut out = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let source = format!("{name}: decision {}", i + 1);
        let Some(obj) = item.as_object() else {
            bail!("{source}: expected an object");
        };
        let mut fields = BTreeMap::new();
        for (k, v) in obj {
            let v = match v {
                serde_json::Value::String(s) => s.trim().to_string(),
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            };
            fields.insert(k.trim().to_ascii_lowercase(), v);
        }
        out.push((source, fields));
    }
    Ok(out)
}

/// Check one decision's fields.
fn parse(source: &str, f: &BTreeMap<String, String>) -> Result<Decision> {
    let get = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| f.get(*k).filter(|v| !v.is_empty()).cloned())
    };
    let input = get(&["input", "name"]);
    let input_id = get(&["input_id", "id"]);
    if input.is_none() && input_id.is_none() {
        bail!("{source}: a decision needs the input name (`input`) or the input id (`input_id`)");
    }
    let Some(entity_id) = get(&["entity_id"]) else {
        bail!("{source}: `entity_id` is missing (copy it from the report)");
    };
    let kind = match get(&["decision"])
        .unwrap_or_default()
        .to_ascii_lowercase()
        .replace([' ', '-'], "_")
        .as_str()
    {
        "false_positive" => Kind::FalsePositive,
        "true_match" => Kind::TrueMatch,
        other => bail!("{source}: `decision` must be false_positive or true_match, got {other:?}"),
    };
    let Some(reviewer) = get(&["reviewer"]) else {
        bail!("{source}: `reviewer` is missing");
    };
    let date = get(&["date"]).unwrap_or_default();
    if crate::clock::parse_date(&date).is_none() {
        bail!("{source}: `date` must be a date written YYYY-MM-DD, got {date:?}");
    }
    let expires = get(&["expires"]);
    if let Some(e) = &expires
        && crate::clock::parse_date(e).is_none()
    {
        bail!("{source}: `expires` must be a date written YYYY-MM-DD, got {e:?}");
    }
    let entity_hash = get(&["entity_hash"]);
    if kind == Kind::FalsePositive && entity_hash.is_none() {
        bail!(
            "{source}: a false_positive needs the `entity_hash` the report showed, so that it reopens when the listed entry changes"
        );
    }
    Ok(Decision {
        input,
        input_id,
        entity_id,
        entity_hash,
        kind,
        reviewer,
        date,
        reason: get(&["reason"]).unwrap_or_default(),
        expires,
        source: source.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(name: &str, text: &str) -> Result<Decisions> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        Decisions::load(&p)
    }

    const HEADER: &str =
        "input,input_id,entity_id,entity_hash,decision,reviewer,date,reason,expires\n";

    #[test]
    fn a_false_positive_clears_until_the_entry_changes_or_it_expires() {
        let d = load(
            "d.csv",
            &format!(
                "{HEADER}Acme  trading,,ofac-sdn:1,abc,false_positive,ana,2026-01-05,other company,2027-01-01\n"
            ),
        )
        .unwrap();
        let today = crate::clock::parse_date("2026-06-01").unwrap();
        let e =
            |name: &str, hash: &str, today: i64| d.effect(name, None, &["ofac-sdn:1"], hash, today);
        assert!(matches!(
            e("ACME TRADING", "abc", today),
            Some(Effect::Cleared(_))
        ));
        match e("acme trading", "def", today) {
            Some(Effect::Reopened(n)) => assert!(n.contains("changed"), "{n}"),
            other => panic!("{other:?}"),
        }
        let later = crate::clock::parse_date("2027-01-01").unwrap();
        match e("acme trading", "abc", later) {
            Some(Effect::Reopened(n)) => assert!(n.contains("expired on 2027-01-01"), "{n}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(e("acme holding", "abc", today), None);
        assert_eq!(
            d.effect("acme trading", None, &["ofac-sdn:2"], "abc", today),
            None
        );
    }

    #[test]
    fn the_latest_decision_counts_and_ids_match_too() {
        let d = load(
            "d.json",
            r#"{"decisions": [
                {"input_id": "C-7", "entity_id": "ofac-sdn:1", "entity_hash": "abc", "decision": "false positive", "reviewer": "ana", "date": "2026-01-05"},
                {"input_id": "C-7", "entity_id": "ofac-sdn:1", "decision": "true_match", "reviewer": "bo", "date": "2026-02-01", "reason": "same passport"}
            ]}"#,
        )
        .unwrap();
        match d.effect(
            "whatever",
            Some("C-7"),
            &["csl:9", "ofac-sdn:1"],
            "abc",
            20_000,
        ) {
            Some(Effect::Confirmed(n)) => assert!(
                n.contains("bo on 2026-02-01") && n.contains("same passport"),
                "{n}"
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_spreadsheet_saved_decisions_file_reads_too() {
        // Semicolons and Windows-1252 (é = 0xE9), as Excel saves "CSV".
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.csv");
        let mut bytes = b"input;entity_id;entity_hash;decision;reviewer;date;reason\n".to_vec();
        bytes.extend(b"Soci\xe9t\xe9 X;ofac-sdn:1;abc;false_positive;ren\xe9;2026-01-05;autre soci\xe9t\xe9\n");
        std::fs::write(&p, bytes).unwrap();
        let d = Decisions::load(&p).unwrap();
        assert_eq!(d.items[0].input.as_deref(), Some("Société X"));
        assert_eq!(d.items[0].reviewer, "rené");
        assert!(matches!(
            d.effect("SOCIÉTÉ X", None, &["ofac-sdn:1"], "abc", 0),
            Some(Effect::Cleared(_))
        ));
    }

    #[test]
    fn bad_decisions_name_the_file_and_line() {
        for (text, want) in [
            (
                "ACME,,ofac-sdn:1,,false_positive,ana,2026-01-05,,\n",
                "d.csv:2: a false_positive needs the `entity_hash`",
            ),
            (
                "ACME,,ofac-sdn:1,abc,maybe,ana,2026-01-05,,\n",
                "d.csv:2: `decision` must be",
            ),
            (
                "ACME,,ofac-sdn:1,abc,true_match,ana,5 Jan 2026,,\n",
                "d.csv:2: `date` must be",
            ),
            (
                ",,ofac-sdn:1,abc,true_match,ana,2026-01-05,,\n",
                "d.csv:2: a decision needs the input",
            ),
            (
                "ACME,,,abc,true_match,ana,2026-01-05,,\n",
                "d.csv:2: `entity_id` is missing",
            ),
            (
                "ACME,,ofac-sdn:1,abc,true_match,,2026-01-05,,\n",
                "d.csv:2: `reviewer` is missing",
            ),
            (
                "ACME,,ofac-sdn:1,abc,true_match,ana,2026-01-05,,someday\n",
                "d.csv:2: `expires` must be",
            ),
            (
                "ACME,too,many,fields,here,x,y,z,w,v\n",
                "d.csv:2: malformed CSV",
            ),
        ] {
            let err = format!(
                "{:#}",
                load("d.csv", &format!("{HEADER}{text}")).unwrap_err()
            );
            assert!(err.contains(want), "{err} lacks {want}");
        }
        let err = format!("{:#}", load("d.json", "{\"x\": 1}").unwrap_err());
        assert!(err.contains("d.json: expected an array"), "{err}");
    }
}
