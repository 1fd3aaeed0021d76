//! The screening core: what `sanctions screen`, `sanctions query` and
//! `sanctions serve` share (and what a binding for another language calls).
//!
//! It goes in the order data flows: [`load_catalog`] reads the lists and
//! [`build_index`] indexes them; a [`Screener`] (an index, a matcher, and
//! what judges a hit besides: decisions, the entries changed since an older
//! snapshot, the block threshold, the day) screens a name into [`Hit`]s or
//! an input row into a [`RowResult`] with its [`Verdict`]; [`screen_rows`]
//! screens every row of an input in parallel chunks, in input order; a
//! [`RunKey`] names everything a run's id is derived from.
//!
//! ```
//! use sanctions::matcher::Matcher;
//! use sanctions::screening::{self, Screener};
//! let mut catalog = screening::load_catalog(&[]).unwrap();
//! let index = screening::build_index(&mut catalog);
//! let matcher = Matcher::new(&index, 0.8, 3);
//! let screener = Screener::new(&index, &matcher, 0.95);
//! let hits = screener.name("SenseTime Group Ltd");
//! assert_eq!(screening::verdict(&hits), sanctions::report::Verdict::PotentialMatch);
//! ```
//!
//! Nothing here prints: the commands say what they do on standard error.

use crate::clock;
use crate::config::FailOn;
use crate::decisions::{self, Decisions};
use crate::fetch;
use crate::index::{Index, IndexBuilder};
use crate::input::{self, InputReader};
use crate::lists::{self, Catalog, ListFile};
use crate::matcher::{Match, Matcher, QueryFacts};
use crate::model::{Entity, Identifier};
use crate::ofac_score;
use crate::report::{self, Hit, HitStatus, RowResult, RunInfo, Severity, Summary, Verdict};
use crate::workflow;
use anyhow::Result;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::io::Read;
use std::path::PathBuf;

/// Rows read and screened in parallel at a time by [`screen_rows`].
pub const CHUNK: usize = 4096;

/// Load the lists named, or the bundled sample when none are. A directory
/// that `sanctions fetch` filled (it holds `lists.json`) stands for the
/// lists its manifest marks for screening, so that the same parties are not
/// loaded twice from two formats.
pub fn load_catalog(paths: &[PathBuf]) -> Result<Catalog> {
    if paths.is_empty() {
        lists::load_bundled()
    } else {
        lists::load_paths(&expand_fetched(paths)?)
    }
}

/// What the commands say on standard error when no list is given, found or
/// fetched: the bundled sample is a few dozen entries, not the lists.
pub const BUNDLED_SAMPLE_WARNING: &str = "using the bundled SAMPLE lists (a few dozen entries), not the official lists: pass --lists PATH or set SANCTIONS_LISTS";

/// The list paths a run screens against when it names none: `given` when
/// not empty, else `$SANCTIONS_LISTS` (paths separated like `PATH`), else
/// the lists `sanctions fetch` fetched into its default directory, else
/// none (the bundled sample, for [`load_catalog`]). The command line and
/// the Python package both resolve their lists here.
pub fn resolve_lists(given: Vec<PathBuf>) -> Result<Vec<PathBuf>> {
    if !given.is_empty() {
        return Ok(given);
    }
    if let Some(v) = std::env::var_os("SANCTIONS_LISTS")
        && !v.is_empty()
    {
        return Ok(std::env::split_paths(&v).collect());
    }
    let Some(dir) = fetch::default_dir() else {
        return Ok(Vec::new());
    };
    match fetch::screening_paths(&dir)? {
        None => Ok(Vec::new()),
        Some(paths) if paths.is_empty() => anyhow::bail!(
            "{}: the fetch manifest names no list to screen against; run `sanctions fetch` or pass --lists",
            dir.display()
        ),
        Some(paths) => Ok(paths),
    }
}

/// What `sanctions lists --json` prints of a catalog: whether it is the
/// bundled sample, its entities, the files loaded and skipped, and the list
/// warnings. Call it before [`build_index`] takes the entities.
pub fn catalog_json(catalog: &Catalog) -> serde_json::Value {
    serde_json::json!({
        "bundled_sample_lists": catalog.bundled,
        "entities": catalog.entities.len(),
        "files": catalog.files,
        "skipped": catalog.skipped,
        "warnings": catalog.warnings,
    })
}

/// Each fetched lists directory replaced by the paths its manifest marks
/// for screening ([`fetch::screening_paths`]); other paths as they are.
pub fn expand_fetched(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        match p.is_dir().then(|| fetch::screening_paths(p)).transpose()? {
            Some(Some(fetched)) if !fetched.is_empty() => out.extend(fetched),
            Some(Some(_)) => anyhow::bail!(
                "{}: the fetch manifest names no list to screen against",
                p.display()
            ),
            _ => out.push(p.clone()),
        }
    }
    Ok(out)
}

/// Build the index of a catalog's entities (taking them out of it; its
/// files, skipped files and warnings stay for the report).
pub fn build_index(catalog: &mut Catalog) -> Index {
    IndexBuilder::with_entities(std::mem::take(&mut catalog.entities)).build()
}

/// What screens a name: the index and matcher, and what every hit is
/// judged with besides (decisions, the entries changed since an older
/// snapshot, the block threshold, the day). Built with [`Screener::new`],
/// then the `with_*` methods.
pub struct Screener<'a> {
    index: &'a Index,
    matcher: &'a Matcher<'a>,
    decisions: Option<&'a Decisions>,
    /// With `--since`: the ids of the entries added or changed.
    changed: Option<&'a BTreeSet<String>>,
    block_threshold: f32,
    today: i64,
    /// Asked between rows: `true` stops the run.
    stop: Option<&'a (dyn Fn() -> bool + Sync)>,
}

impl<'a> Screener<'a> {
    /// A screener of `matcher`'s hits on `index`: a hit scoring at least
    /// `block_threshold` is [`Severity::Block`]; no decisions, every entry
    /// counts, and decisions expire by today's date.
    pub fn new(index: &'a Index, matcher: &'a Matcher<'a>, block_threshold: f32) -> Screener<'a> {
        Screener {
            index,
            matcher,
            decisions: None,
            changed: None,
            block_threshold,
            today: clock::today(),
            stop: None,
        }
    }

    /// Apply reviewed decisions (`--decisions`): a decision that holds
    /// clears or confirms its hit.
    pub fn with_decisions(mut self, decisions: Option<&'a Decisions>) -> Screener<'a> {
        self.decisions = decisions;
        self
    }

    /// Report only hits on these entry ids (`--since`: the entries added or
    /// changed since an older snapshot).
    pub fn with_changed(mut self, changed: Option<&'a BTreeSet<String>>) -> Screener<'a> {
        self.changed = changed;
        self
    }

    /// The day decisions are applied on (days since 1970-01-01, as
    /// [`clock::today`] gives).
    pub fn with_today(mut self, today: i64) -> Screener<'a> {
        self.today = today;
        self
    }

    /// Asked between rows by [`screen_rows`]: `true` stops the run (a
    /// server passes a request's time budget).
    pub fn with_stop(mut self, stop: &'a (dyn Fn() -> bool + Sync)) -> Screener<'a> {
        self.stop = Some(stop);
        self
    }

    /// Should the run stop now?
    fn stopped(&self) -> bool {
        self.stop.is_some_and(|s| s())
    }

    /// Screen a name alone: its hits, best first, as [`Screener::hits`].
    pub fn name(&self, name: &str) -> Vec<Hit> {
        self.hits(name, None, &[], &QueryFacts::default())
    }

    /// Screen one input row: its hits and its verdict; a row in error
    /// keeps its error.
    pub fn row(&self, row: &input::Row) -> RowResult {
        let q = match row {
            Ok(q) => q,
            Err(e) => {
                return RowResult {
                    row: e.row,
                    line: e.line,
                    id: e.id.clone(),
                    name: String::new(),
                    date_of_birth: None,
                    country: None,
                    verdict: Verdict::Error,
                    error: Some(e.message.clone()),
                    warnings: Vec::new(),
                    hits: Vec::new(),
                };
            }
        };
        let facts = QueryFacts {
            country: q.country.as_deref(),
            date_of_birth: q.date_of_birth.as_ref(),
            entity_type: q.entity_type,
        };
        let hits = self.hits(&q.name, q.id.as_deref(), &q.identifiers, &facts);
        RowResult {
            row: q.row,
            line: q.line,
            id: q.id.clone(),
            name: q.name.clone(),
            date_of_birth: q.date_of_birth.as_ref().map(|d| d.raw.clone()),
            country: q.country.clone(),
            verdict: verdict(&hits),
            error: None,
            warnings: q.warnings.clone(),
            hits,
        }
    }

    /// Screen one name (with the input's id, identifiers and other facts):
    /// its hits (with [`Screener::with_changed`], only on those entries),
    /// each marked `block` at or above the block threshold and cleared or
    /// confirmed by a decision that holds, best first.
    pub fn hits(
        &self,
        name: &str,
        id: Option<&str>,
        identifiers: &[Identifier],
        facts: &QueryFacts,
    ) -> Vec<Hit> {
        let index = self.index;
        let mut hits: Vec<Hit> = Vec::new();
        for m in self.matcher.search_query(name, identifiers, facts) {
            let members: Vec<&str> = index.groups[m.group as usize]
                .members
                .iter()
                .map(|&e| index.entities[e as usize].id.as_str())
                .collect();
            if let Some(changed) = self.changed
                && !members.iter().any(|id| changed.contains(*id))
            {
                continue;
            }
            let mut hit = to_hit(index, name, &m);
            hit.severity = severity(m.score, self.block_threshold);
            if let Some(d) = self.decisions
                && let Some(effect) = d.effect(name, id, &members, &hit.entity_hash, self.today)
            {
                if effect.outcome() == decisions::Outcome::Cleared {
                    hit.status = HitStatus::ClearedByDecision;
                }
                hit.decision = Some(effect.note().to_string());
                hit.decision_outcome = Some(effect.outcome());
            }
            hits.push(hit);
        }
        hits
    }
}

/// A hit's severity: [`Severity::Block`] at or above the block threshold,
/// else [`Severity::Review`].
///
/// ```
/// use sanctions::report::Severity;
/// use sanctions::screening::severity;
/// assert_eq!(severity(0.97, 0.95), Severity::Block);
/// assert_eq!(severity(0.95, 0.95), Severity::Block);
/// assert_eq!(severity(0.90, 0.95), Severity::Review);
/// ```
pub fn severity(score: f32, block_threshold: f32) -> Severity {
    if score >= block_threshold {
        Severity::Block
    } else {
        Severity::Review
    }
}

/// A row's verdict from its hits: clear without any, cleared by decision
/// when decisions clear them all, else a potential match.
pub fn verdict(hits: &[Hit]) -> Verdict {
    if hits.is_empty() {
        Verdict::Clear
    } else if hits
        .iter()
        .all(|h| h.status == HitStatus::ClearedByDecision)
    {
        Verdict::ClearedByDecision
    } else {
        Verdict::PotentialMatch
    }
}

/// Turn a match of the matcher into a report hit (a potential match to
/// review, no decision yet): the listed entry, the name that matched, the
/// other lists the same party is on, and why.
pub fn to_hit(index: &Index, query: &str, m: &Match) -> Hit {
    let e = &index.entities[m.entity as usize];
    let me = &index.entities[m.matched_entity as usize];
    let name = &me.names[m.matched_name as usize];
    Hit {
        status: HitStatus::PotentialMatch,
        severity: Severity::Review,
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

/// Read the rows a chunk ([`CHUNK`]) at a time, screen each chunk in
/// parallel, and hand each result to `each` in input order. After each
/// chunk, `progress` is told the counts so far and the input's bytes read.
/// A [`Screener::with_stop`] that says stop ends the run with an error.
pub fn screen_rows<R: Read>(
    reader: &mut InputReader<R>,
    screener: &Screener,
    mut each: impl FnMut(&RowResult) -> Result<()>,
    mut progress: impl FnMut(&Summary, u64),
) -> Result<Summary> {
    let mut summary = Summary::default();
    let mut chunk = Vec::with_capacity(CHUNK);
    loop {
        chunk.clear();
        while chunk.len() < CHUNK {
            match reader.next_row()? {
                Some(r) => chunk.push(r),
                None => break,
            }
        }
        if chunk.is_empty() {
            break;
        }
        let results: Vec<Option<RowResult>> = chunk
            .par_iter()
            .map(|row| (!screener.stopped()).then(|| screener.row(row)))
            .collect();
        if screener.stopped() || results.iter().any(Option::is_none) {
            anyhow::bail!("stopped before the end of the input");
        }
        for r in results.iter().flatten() {
            summary.add(r);
            each(r)?;
        }
        progress(&summary, reader.bytes_read());
    }
    Ok(summary)
}

/// Everything a run id is derived from: the options but the report format,
/// the input's sha256, the list files, the decisions file and the day it is
/// applied on, the older snapshot's files.
pub struct RunKey<'a> {
    /// The matcher's threshold.
    pub threshold: f32,
    /// Hits at or above this are `block`.
    pub block_threshold: f32,
    /// Which hits fail the run.
    pub fail_on: FailOn,
    /// Hits per row at most (0 = all).
    pub top: usize,
    /// The input's name column.
    pub column: &'a str,
    /// The input's sha256 (hex).
    pub input_sha256: &'a str,
    /// The list files screened against.
    pub files: &'a [ListFile],
    /// The decisions applied, if any.
    pub decisions: Option<&'a Decisions>,
    /// With `--since`: the older snapshot's files.
    pub since: Option<&'a [ListFile]>,
    /// The day decisions are applied on.
    pub today: i64,
}

impl RunKey<'_> {
    /// The run id: the same through `screen` and `serve`'s `/v1/screen`
    /// for the same input bytes, lists and options.
    pub fn id(&self) -> String {
        let mut id_parts: Vec<(&str, String)> = vec![
            ("tool", format!("sanctions {}", env!("CARGO_PKG_VERSION"))),
            ("threshold", format!("{:.4}", self.threshold)),
            ("block_threshold", format!("{:.4}", self.block_threshold)),
            ("fail_on", self.fail_on.as_str().to_string()),
            ("top", self.top.to_string()),
            ("column", self.column.to_string()),
            ("input", self.input_sha256.to_string()),
        ];
        id_parts.push(("lists", sorted_hashes(self.files)));
        if let Some(d) = self.decisions {
            id_parts.push(("decisions", d.sha256.clone()));
            // Whether a decision has expired depends on the day.
            id_parts.push(("as_of", clock::format_date(self.today)));
        }
        if let Some(old) = self.since {
            id_parts.push(("since", sorted_hashes(old)));
        }
        workflow::run_id(&id_parts)
    }

    /// What a report records of the run: its id and options, the input
    /// (`input`, as named on the command line), the decisions file, the
    /// older snapshot, and the size of the index screened against.
    pub fn run_info(&self, input: &str, bundled_sample_lists: bool, index: &Index) -> RunInfo {
        RunInfo {
            run_id: self.id(),
            threshold: report::report_score(self.threshold),
            block_threshold: report::report_score(self.block_threshold),
            fail_on: self.fail_on.as_str().to_string(),
            top: self.top,
            input: input.to_string(),
            input_sha256: self.input_sha256.to_string(),
            decisions: self.decisions.map(|d| decisions_record(d, self.today)),
            since: self.since.map(<[ListFile]>::to_vec),
            column: self.column.to_string(),
            bundled_sample_lists,
            entities: index.entities.len(),
            names: index.name_count(),
        }
    }
}

/// The sha256 of each file, sorted, separated by spaces.
fn sorted_hashes(files: &[ListFile]) -> String {
    let mut hashes: Vec<&str> = files.iter().map(|f| f.sha256.as_str()).collect();
    hashes.sort_unstable();
    hashes.join(" ")
}

/// What a report says of the decisions file applied: its path, sha256,
/// number of decisions and the day they were applied on.
pub fn decisions_record(d: &Decisions, today: i64) -> serde_json::Value {
    serde_json::json!({
        "path": d.path,
        "sha256": d.sha256,
        "decisions": d.items.len(),
        "as_of": clock::format_date(today),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bundled sample, indexed once.
    fn index() -> Index {
        build_index(&mut load_catalog(&[]).unwrap())
    }

    #[test]
    fn a_rows_verdict_follows_its_hits_and_their_decisions() {
        let index = index();
        let matcher = Matcher::new(&index, 0.85, 5);
        let screener = Screener::new(&index, &matcher, 0.95);
        let mut hits = screener.name("SenseTime Group Ltd");
        assert_eq!(verdict(&hits), Verdict::PotentialMatch);
        assert!(
            hits.iter().all(|h| h.severity == Severity::Block),
            "{hits:?}"
        );
        assert_eq!(verdict(&screener.name("Jane Example")), Verdict::Clear);
        for h in &mut hits {
            h.status = HitStatus::ClearedByDecision;
        }
        assert_eq!(verdict(&hits), Verdict::ClearedByDecision);
        // The block threshold alone decides the severity.
        let strict = Screener::new(&index, &matcher, 1.01);
        let reviewed = strict.name("SenseTime Group Ltd");
        assert!(reviewed.iter().all(|h| h.severity == Severity::Review));
    }

    #[test]
    fn only_the_changed_entries_are_reported_with_since() {
        let index = index();
        let matcher = Matcher::new(&index, 0.85, 5);
        let all = Screener::new(&index, &matcher, 0.95).name("SenseTime Group Ltd");
        assert!(!all.is_empty());
        let none = BTreeSet::new();
        let since = Screener::new(&index, &matcher, 0.95).with_changed(Some(&none));
        assert!(since.name("SenseTime Group Ltd").is_empty());
        let changed: BTreeSet<String> = all.iter().map(|h| h.entity_id.clone()).collect();
        let since = Screener::new(&index, &matcher, 0.95).with_changed(Some(&changed));
        assert_eq!(since.name("SenseTime Group Ltd").len(), all.len());
    }

    #[test]
    fn the_run_id_changes_with_what_decides_the_report_only() {
        let key = |threshold: f32, input: &'static str, today: i64| RunKey {
            threshold,
            block_threshold: 0.95,
            fail_on: FailOn::Review,
            top: 5,
            column: "name",
            input_sha256: input,
            files: &[],
            decisions: None,
            since: None,
            today,
        };
        let id = key(0.85, "ab", 1).id();
        assert_eq!(id, key(0.85, "ab", 1).id());
        assert_ne!(id, key(0.9, "ab", 1).id());
        assert_ne!(id, key(0.85, "cd", 1).id());
        // Without decisions, the day does not matter.
        assert_eq!(id, key(0.85, "ab", 2).id());
        let index = index();
        let run = key(0.85, "ab", 1).run_info("in.csv", true, &index);
        assert_eq!((run.run_id, run.input.as_str()), (id, "in.csv"));
        assert_eq!(run.entities, index.entities.len());
    }
}
