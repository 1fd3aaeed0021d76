//! `sanctions screen`: screen every row of a CSV file against the lists and
//! write one verdict per row. The run goes in named steps: the lists are
//! loaded and announced, their ages checked, the input hashed (so that the
//! run id is known when the report begins), the rows screened in parallel
//! chunks into the report, the run record written, and the outcome decided.

use super::audit::write_audit;
use super::catalog::announce;
use super::progress::Progress;
use crate::clock;
use crate::config::{FailOn, Finished, Outcome, ScreenConfig};
use crate::decisions::Decisions;
use crate::index::Index;
use crate::input::{self, InputReader};
use crate::lists::{self, Catalog, ListFile};
use crate::matcher::Matcher;
use crate::report::{ReportWriter, RowResult, RunInfo, Summary, Wording};
use crate::screening::{self, RunKey, Screener, build_index, expand_fetched, load_catalog};
use crate::workflow::{self, StdinCopy};
use anyhow::Result;
use std::collections::BTreeSet;
use std::io::{BufWriter, Read, Write};
use std::path::PathBuf;

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
    reader.set_strict_facts(c.strict_facts);
    let key = RunKey {
        threshold: c.threshold,
        block_threshold: c.block_threshold,
        fail_on: c.fail_on,
        top: c.top,
        column: &c.column,
        input_sha256: &input.sha256,
        files: &catalog.files,
        decisions: decisions.as_ref(),
        since: since.as_ref().map(|old| old.files.as_slice()),
        today,
    };
    let mut run = key.run_info(&c.input, catalog.bundled, &index);
    // --strict-facts changes the results of rows with unreadable facts, so
    // it is part of the run id; without it the id stays as it was.
    if c.strict_facts {
        run.run_id = workflow::run_id(&[
            ("run", run.run_id.clone()),
            ("strict_facts", "true".to_string()),
        ]);
    }
    let run_id = run.run_id.clone();
    let screener = Screener::new(&index, &matcher, c.block_threshold)
        .with_decisions(decisions.as_ref())
        .with_changed(changed.as_ref())
        .with_today(today);
    let summary = write_report(c, &run, &catalog, &mut reader, &screener, &input)?;
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

/// Write the report of every row to `--output` (which appears under its
/// name only when the report is whole) or standard output.
fn write_report(
    c: &ScreenConfig,
    run: &RunInfo,
    catalog: &Catalog,
    reader: &mut InputReader<Box<dyn Read + Send>>,
    screener: &Screener,
    input: &Input,
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
    let mut progress = Progress::new(Some(input.bytes));
    let summary = screening::screen_rows(
        reader,
        screener,
        |r| {
            warn_of_facts(&input.name, r);
            writer.row(r)
        },
        |counts, bytes| progress.update(counts.rows, bytes, counts.potential_matches),
    )?;
    progress.finish();
    drop(writer.finish(&summary)?);
    if let Some(f) = atomic {
        f.commit()?;
    }
    Ok(summary)
}

/// Say on standard error, in one line, what facts of a row could not be
/// read and were left out (the report says it on the row too).
fn warn_of_facts(input: &str, r: &RowResult) {
    if r.warnings.is_empty() {
        return;
    }
    let words: Vec<String> = r.warnings.iter().map(|w| w.in_words()).collect();
    eprintln!(
        "sanctions: warning: {input}:{}: {}",
        r.line,
        words.join("; ")
    );
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
            "strict_facts": c.strict_facts,
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
