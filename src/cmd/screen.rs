//! `sanctions screen`: screen every row of a CSV file against the lists and
//! write one verdict per row. The run goes in named steps: the lists are
//! loaded and announced, their ages checked, the input hashed (so that the
//! run id is known when the report begins), the rows screened in parallel
//! chunks into the report, the run record written, and the outcome decided.

use super::audit::write_audit;
use super::catalog::{announce, build_index, expand_fetched, load_catalog};
use super::hit::to_hit;
use super::progress::Progress;
use crate::clock;
use crate::config::{FailOn, Finished, Outcome, ScreenConfig};
use crate::decisions::{self, Decisions};
use crate::index::Index;
use crate::input::{self, InputReader};
use crate::lists::{self, Catalog, ListFile};
use crate::matcher::Matcher;
use crate::matcher::QueryFacts;
use crate::report::{self, Hit, ReportWriter, RowResult, RunInfo, Summary, Verdict, Wording};
use crate::workflow::{self, StdinCopy};
use anyhow::Result;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::io::{BufWriter, Read, Write};
use std::path::PathBuf;

/// Rows read and screened in parallel at a time.
const CHUNK: usize = 4096;

/// The input of a run: where it is read from, how it is named, and its
/// sha256 and size, taken before it is read.
struct Input {
    /// Standard input, kept in a temporary file (removed when dropped).
    _stdin_copy: Option<StdinCopy>,
    /// The file to read: the input file, or the copy of standard input.
    path: PathBuf,
    /// The name messages and reports use (`<stdin>` for standard input).
    name: String,
    sha256: String,
    bytes: u64,
}

impl Input {
    /// Hash the input before it is read, so that the run id is known when
    /// the report begins; standard input is kept in a temporary file.
    fn hash(c: &ScreenConfig) -> Result<Input> {
        let stdin_copy = if c.input == "-" {
            Some(workflow::spool_stdin()?)
        } else {
            None
        };
        let path: PathBuf = match &stdin_copy {
            Some(t) => t.path().to_path_buf(),
            None => PathBuf::from(&c.input),
        };
        let (sha256, bytes) = workflow::sha256_file(&path)?;
        let name = if c.input == "-" {
            "<stdin>".to_string()
        } else {
            c.input.clone()
        };
        Ok(Input {
            _stdin_copy: stdin_copy,
            path,
            name,
            sha256,
            bytes,
        })
    }

    /// Open the input's rows, and say on standard error how it is read.
    fn open(&self, column: &str) -> Result<InputReader<Box<dyn Read + Send>>> {
        let reader = input::open_named(&self.path, &self.name, column)?;
        eprintln!("sanctions: input {}: {}", self.name, reader.describe());
        Ok(reader)
    }
}

/// What screens a name, for `screen` and `serve` alike: the index and
/// matcher, and what every hit is judged with besides (decisions, the
/// entries changed since an older snapshot, the block threshold, the day).
pub(crate) struct Screener<'a> {
    pub(crate) index: &'a Index,
    pub(crate) matcher: &'a Matcher<'a>,
    pub(crate) decisions: Option<&'a decisions::Decisions>,
    /// With `--since`: the ids of the entries added or changed.
    pub(crate) changed: Option<&'a BTreeSet<String>>,
    pub(crate) block_threshold: f32,
    pub(crate) today: i64,
    /// Asked between rows: `true` stops the run (`sanctions serve` passes
    /// a request's time budget; `screen` passes none).
    pub(crate) stop: Option<&'a (dyn Fn() -> bool + Sync)>,
}

/// Run `sanctions screen`. The index is handed back with the outcome, so
/// that the process may exit without freeing it.
pub fn run(c: &ScreenConfig) -> Result<Finished> {
    let mut catalog = load_catalog(&c.lists)?;
    announce(&catalog);
    let today = clock::today();
    if let Some(max) = c.max_list_age
        && refuse_stale(c, &catalog, today, max)?
    {
        return Ok(Outcome::Stale.into());
    }
    let decisions = c.decisions.as_deref().map(Decisions::load).transpose()?;
    let input = Input::hash(c)?;
    let since = if c.since.is_empty() {
        None
    } else {
        Some(lists::load_paths(&expand_fetched(&c.since)?)?)
    };
    let index = build_index(&mut catalog);
    let changed = since.as_ref().map(|old| changed_since(c, old, &index));
    let matcher = Matcher::new(&index, c.threshold, c.top);
    let mut reader = input.open(&c.column)?;
    let run_id = run_id(
        c,
        &input,
        &catalog,
        decisions.as_ref(),
        since.as_ref(),
        today,
    );
    let run = RunInfo {
        run_id: run_id.clone(),
        threshold: report::report_score(c.threshold),
        block_threshold: report::report_score(c.block_threshold),
        fail_on: c.fail_on.as_str().to_string(),
        top: c.top,
        input: c.input.clone(),
        input_sha256: input.sha256.clone(),
        decisions: decisions.as_ref().map(|d| decisions_record(d, today)),
        since: since.as_ref().map(|old| old.files.clone()),
        column: c.column.clone(),
        bundled_sample_lists: catalog.bundled,
        entities: index.entities.len(),
        names: index.name_count(),
    };
    let screener = Screener {
        index: &index,
        matcher: &matcher,
        decisions: decisions.as_ref(),
        changed: changed.as_ref(),
        block_threshold: c.block_threshold,
        today,
        stop: None,
    };
    let summary = write_report(c, &run, &catalog, &mut reader, &screener, input.bytes)?;
    let outcome = outcome(&summary, c.fail_on);
    write_audit(c, run_record(c, &run, &input, &catalog, &summary, outcome))?;
    eprintln!(
        "sanctions: {} ({} hits; threshold {}; run {})",
        summary.counts_line(Wording::Log),
        summary.hits,
        c.threshold,
        run_id
    );
    drop(matcher);
    Ok(Finished {
        outcome,
        index: Some(index),
    })
}

/// With `--max-list-age`: warn of each list file too old or of unknown age;
/// with `--fail-on-stale` as well, refuse to screen (true) and write the
/// run record saying why.
fn refuse_stale(c: &ScreenConfig, catalog: &Catalog, today: i64, max: u32) -> Result<bool> {
    let stale = stale_lists(&catalog.files, today, max);
    for s in &stale {
        eprintln!("sanctions: warning: stale list: {s}");
    }
    if stale.is_empty() || !c.fail_on_stale {
        return Ok(false);
    }
    eprintln!(
        "sanctions: {} list file(s) too old or of unknown age: not screening (--fail-on-stale); run `sanctions fetch`",
        stale.len()
    );
    // The record says why nothing was screened.
    write_audit(
        c,
        serde_json::json!({
            "input": {"path": c.input},
            "lists": catalog.files,
            "stale": stale,
            "exit_code": Outcome::Stale.exit_code(),
        }),
    )?;
    Ok(true)
}

/// The list files older than `max` days, or of unknown age, each said with
/// its age and where the age comes from.
fn stale_lists(files: &[ListFile], today: i64, max: u32) -> Vec<String> {
    let mut stale = Vec::new();
    for (path, age, from) in workflow::list_ages(files, today, &workflow::manifest_date) {
        match age {
            Some(age) if age > i64::from(max) => stale.push(format!(
                "{path}: {age} days old ({from}), more than --max-list-age {max}"
            )),
            Some(_) => {}
            None => stale.push(format!("{path}: age unknown ({from})")),
        }
    }
    stale
}

/// With `--since`: the ids of the entries added or changed since the older
/// snapshot, announced on standard error.
fn changed_since(c: &ScreenConfig, old: &Catalog, index: &Index) -> BTreeSet<String> {
    let changed = workflow::changed_ids(&old.entities, &index.entities);
    eprintln!(
        "sanctions: --since: {} entries added or changed since {} ({} files); only hits on them are reported",
        changed.len(),
        c.since
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
        old.files.len()
    );
    changed
}

/// The run id, derived from the inputs only: tool version, options but the
/// report format, the input's and every list file's sha256, the decisions
/// file's and the day it is applied on, the older snapshot's files.
fn run_id(
    c: &ScreenConfig,
    input: &Input,
    catalog: &Catalog,
    decisions: Option<&Decisions>,
    since: Option<&Catalog>,
    today: i64,
) -> String {
    run_id_of(&RunKey {
        threshold: c.threshold,
        block_threshold: c.block_threshold,
        fail_on: c.fail_on,
        top: c.top,
        column: &c.column,
        input_sha256: &input.sha256,
        files: &catalog.files,
        decisions,
        since: since.map(|old| old.files.as_slice()),
        today,
    })
}

/// Everything a run id is derived from.
pub(crate) struct RunKey<'a> {
    pub(crate) threshold: f32,
    pub(crate) block_threshold: f32,
    pub(crate) fail_on: FailOn,
    pub(crate) top: usize,
    pub(crate) column: &'a str,
    pub(crate) input_sha256: &'a str,
    pub(crate) files: &'a [ListFile],
    pub(crate) decisions: Option<&'a Decisions>,
    pub(crate) since: Option<&'a [ListFile]>,
    pub(crate) today: i64,
}

/// The run id of a [`RunKey`]: the same through `screen` and `serve`'s
/// `/v1/screen` for the same input bytes, lists and options.
pub(crate) fn run_id_of(k: &RunKey) -> String {
    let mut id_parts: Vec<(&str, String)> = vec![
        ("tool", format!("sanctions {}", env!("CARGO_PKG_VERSION"))),
        ("threshold", format!("{:.4}", k.threshold)),
        ("block_threshold", format!("{:.4}", k.block_threshold)),
        ("fail_on", k.fail_on.as_str().to_string()),
        ("top", k.top.to_string()),
        ("column", k.column.to_string()),
        ("input", k.input_sha256.to_string()),
    ];
    id_parts.push(("lists", sorted_hashes(k.files)));
    if let Some(d) = k.decisions {
        id_parts.push(("decisions", d.sha256.clone()));
        // Whether a decision has expired depends on the day.
        id_parts.push(("as_of", clock::format_date(k.today)));
    }
    if let Some(old) = k.since {
        id_parts.push(("since", sorted_hashes(old)));
    }
    workflow::run_id(&id_parts)
}

/// The sha256 of each file, sorted, separated by spaces.
fn sorted_hashes(files: &[ListFile]) -> String {
    let mut hashes: Vec<&str> = files.iter().map(|f| f.sha256.as_str()).collect();
    hashes.sort_unstable();
    hashes.join(" ")
}

/// What the report says of the decisions file applied.
pub(crate) fn decisions_record(d: &Decisions, today: i64) -> serde_json::Value {
    serde_json::json!({
        "path": d.path,
        "sha256": d.sha256,
        "decisions": d.items.len(),
        "as_of": clock::format_date(today),
    })
}

/// Write the report of every row to `--output` (which appears under its
/// name only when the report is whole) or standard output.
fn write_report(
    c: &ScreenConfig,
    run: &RunInfo,
    catalog: &Catalog,
    reader: &mut InputReader<Box<dyn Read + Send>>,
    screener: &Screener,
    input_bytes: u64,
) -> Result<Summary> {
    let mut atomic = match &c.output {
        Some(p) => Some(workflow::AtomicFile::create(p)?),
        None => None,
    };
    let out: Box<dyn Write + '_> = match atomic.as_mut() {
        Some(f) => Box::new(f),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut writer = ReportWriter::begin(
        BufWriter::new(out),
        c.format,
        run,
        &catalog.files,
        &catalog.skipped,
        &catalog.warnings,
    )?;
    // A progress bar on a terminal, for inputs of more than a few thousand
    // rows (by the file's size); silent otherwise.
    let progress = Progress::new(Some(input_bytes));
    let summary = screen_rows(reader, screener, progress, &mut writer)?;
    drop(writer.finish(&summary)?);
    if let Some(f) = atomic {
        f.commit()?;
    }
    Ok(summary)
}

/// Read the rows a chunk at a time, screen each chunk in parallel, and
/// write the results in input order.
/// `progress` shows how far it got.
pub(crate) fn screen_rows<R: Read, W: Write>(
    reader: &mut InputReader<R>,
    screener: &Screener,
    mut progress: Progress,
    writer: &mut ReportWriter<W>,
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
        let stop = || screener.stop.is_some_and(|s| s());
        let results: Vec<Option<RowResult>> = chunk
            .par_iter()
            .map(|row| (!stop()).then(|| screener.row(row)))
            .collect();
        if stop() || results.iter().any(Option::is_none) {
            anyhow::bail!("stopped before the end of the input");
        }
        for r in results.iter().flatten() {
            summary.add(r);
            writer.row(r)?;
        }
        progress.update(summary.rows, reader.bytes_read(), summary.potential_matches);
    }
    progress.finish();
    Ok(summary)
}

/// How the run ends: rows in error first, then the matches `--fail-on`
/// counts, else clear.
fn outcome(summary: &Summary, fail_on: FailOn) -> Outcome {
    if summary.errors > 0 {
        Outcome::RowErrors
    } else if match fail_on {
        FailOn::Review => summary.potential_matches > 0,
        FailOn::Block => summary.block > 0,
    } {
        Outcome::Matches
    } else {
        Outcome::Clear
    }
}

/// The run record of a screened input: options, input, lists, decisions,
/// counts and exit status.
fn run_record(
    c: &ScreenConfig,
    run: &RunInfo,
    input: &Input,
    catalog: &Catalog,
    summary: &Summary,
    outcome: Outcome,
) -> serde_json::Value {
    serde_json::json!({
        "run_id": run.run_id,
        "options": {
            "threshold": run.threshold,
            "block_threshold": run.block_threshold,
            "fail_on": run.fail_on,
            "top": c.top,
            "column": c.column,
            "format": format!("{:?}", c.format).to_lowercase(),
            "max_list_age": c.max_list_age,
            "fail_on_stale": c.fail_on_stale,
        },
        "input": {"path": c.input, "sha256": input.sha256, "bytes": input.bytes, "rows": summary.rows},
        "lists": catalog.files,
        "bundled_sample_lists": catalog.bundled,
        "decisions": run.decisions,
        "since": run.since,
        "counts": summary,
        "exit_code": outcome.exit_code(),
    })
}

impl Screener<'_> {
    /// Screen one input row: its hits and its verdict; a row in error
    /// keeps its error.
    pub(crate) fn row(&self, row: &input::Row) -> RowResult {
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
            hits,
        }
    }

    /// Screen one name (with the input's id, identifiers and other facts):
    /// its hits (with `--since`, only on entries added or changed), each
    /// marked `block` or cleared by a decision, best first.
    pub(crate) fn hits(
        &self,
        name: &str,
        id: Option<&str>,
        identifiers: &[crate::model::Identifier],
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
            // With --since, only entries added or changed count.
            if let Some(changed) = self.changed
                && !members.iter().any(|id| changed.contains(*id))
            {
                continue;
            }
            let mut hit = to_hit(index, name, &m);
            if m.score >= self.block_threshold {
                hit.severity = report::Severity::Block;
            }
            if let Some(d) = self.decisions
                && let Some(effect) = d.effect(name, id, &members, &hit.entity_hash, self.today)
            {
                if effect.outcome() == decisions::Outcome::Cleared {
                    hit.status = report::HitStatus::ClearedByDecision;
                }
                hit.decision = Some(effect.note().to_string());
                hit.decision_outcome = Some(effect.outcome());
            }
            hits.push(hit);
        }
        hits
    }
}

/// A row's verdict from its hits: clear without any, cleared by decision
/// when decisions clear them all, else a potential match.
pub(crate) fn verdict(hits: &[Hit]) -> Verdict {
    if hits.is_empty() {
        Verdict::Clear
    } else if hits
        .iter()
        .all(|h| h.status == report::HitStatus::ClearedByDecision)
    {
        Verdict::ClearedByDecision
    } else {
        Verdict::PotentialMatch
    }
}
