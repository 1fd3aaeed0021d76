//! `sanctions`: screen names against published sanctions and export-control lists.
//!
//! Data flows one way: list files → [`lists`] (one loader per published
//! format) → [`model::Entity`] → [`index::IndexBuilder`] → [`index::Index`] →
//! [`matcher::Matcher`] → [`report`].
//!
//! ```
//! use sanctions::{index::IndexBuilder, lists, matcher::Matcher};
//! let catalog = lists::load_bundled().unwrap();
//! let mut builder = IndexBuilder::new();
//! builder.extend(catalog.entities);
//! let index = builder.build();
//! let hits = Matcher::new(&index, 0.8, 3).search("SenseTime Group Ltd");
//! assert!(index.entities[hits[0].entity as usize].programs.iter().any(|p| p == "CMIC-EO13959"));
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod cli;
pub mod clock;
pub mod countries;
pub mod decisions;
pub mod features;
pub mod fetch;
pub mod index;
pub mod input;
pub mod lists;
pub mod matcher;
pub mod model;
pub mod normalize;
pub mod ofac_score;
pub mod report;
pub mod terms;
pub mod workflow;

use anyhow::Result;
use index::{Index, IndexBuilder};
use lists::Catalog;
use matcher::{Match, Matcher};
use rayon::prelude::*;
use report::{Hit, ReportWriter, RowResult, RunInfo, Summary, Verdict};
use std::io::{BufWriter, Write};
use std::path::PathBuf;

/// A checked configuration for one run.
#[derive(Debug, Clone)]
pub struct Config {
    /// What to do.
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Clone)]
pub enum Command {
    /// Screen a CSV of names.
    Screen(ScreenConfig),
    /// Describe the loaded lists.
    Lists(ListsConfig),
    /// Screen one name with explanations.
    Query(QueryConfig),
    /// Entries added, removed and changed between two list snapshots.
    Diff(DiffConfig),
    /// Download the official lists.
    Fetch(FetchConfig),
}

/// Options of `sanctions fetch`.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// The lists directory.
    pub dir: PathBuf,
    /// A mirror: a directory or an http(s) base URL.
    pub from: Option<String>,
    /// Only these sources (empty: all).
    pub only: Vec<String>,
    /// Per attempt at a file.
    pub timeout: std::time::Duration,
    /// Attempts after a failed one.
    pub retries: u32,
    /// Accept a source that shrank by more than half.
    pub allow_shrink: bool,
}

/// What makes `screen` fail (exit 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// Any potential match at or above the report threshold.
    Review,
    /// Only a potential match at or above the block threshold.
    Block,
}

impl FailOn {
    /// As written on the command line and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Review => "review",
            FailOn::Block => "block",
        }
    }
}

/// Options of `sanctions diff`.
#[derive(Debug, Clone)]
pub struct DiffConfig {
    /// The older snapshot (list files or directories).
    pub old: Vec<PathBuf>,
    /// The newer snapshot.
    pub new: Vec<PathBuf>,
    /// JSON output.
    pub json: bool,
}

/// Options of `sanctions screen`.
#[derive(Debug, Clone)]
pub struct ScreenConfig {
    /// Input file, or `-` for standard input.
    pub input: String,
    /// The name column.
    pub column: String,
    /// List files or directories; empty for the bundled sample.
    pub lists: Vec<PathBuf>,
    /// Report threshold.
    pub threshold: f32,
    /// Hits per row at most (0 = all).
    pub top: usize,
    /// Report format.
    pub format: report::Format,
    /// Output file (standard output if `None`).
    pub output: Option<PathBuf>,
    /// Hits at or above this are `block` (at least `threshold`).
    pub block_threshold: f32,
    /// What makes the run fail.
    pub fail_on: FailOn,
    /// Reviewed decisions.
    pub decisions: Option<PathBuf>,
    /// An older list snapshot: report only hits on entries added or changed since.
    pub since: Vec<PathBuf>,
    /// Write the run record here.
    pub audit: Option<PathBuf>,
    /// Warn when a list is older than this many days.
    pub max_list_age: Option<u32>,
    /// With `max_list_age`: exit 3 instead of warning.
    pub fail_on_stale: bool,
    /// The command line, as given (for the audit record).
    pub command_line: Vec<String>,
}

/// Options of `sanctions lists`.
#[derive(Debug, Clone)]
pub struct ListsConfig {
    /// List files or directories; empty for the bundled sample.
    pub lists: Vec<PathBuf>,
    /// JSON output.
    pub json: bool,
}

/// Options of `sanctions query`.
#[derive(Debug, Clone)]
pub struct QueryConfig {
    /// The name.
    pub name: String,
    /// List files or directories; empty for the bundled sample.
    pub lists: Vec<PathBuf>,
    /// Report threshold.
    pub threshold: f32,
    /// Hits at most (0 = all).
    pub top: usize,
    /// JSON output.
    pub json: bool,
}

/// How a run ended; [`Outcome::exit_code`] maps it to the documented status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing matched.
    Clear,
    /// At least one potential match.
    Matches,
    /// Some input rows could not be screened.
    RowErrors,
    /// A list is older than `--max-list-age` allows (with `--fail-on-stale`).
    Stale,
}

impl Outcome {
    /// 0 clear, 1 potential matches, 2 rows in error, 3 stale lists.
    pub fn exit_code(self) -> i32 {
        match self {
            Outcome::Clear => 0,
            Outcome::Matches => 1,
            Outcome::RowErrors => 2,
            Outcome::Stale => 3,
        }
    }
}

/// Run a command.
pub fn run(config: &Config) -> Result<Outcome> {
    match &config.command {
        Command::Screen(c) => screen(c),
        Command::Lists(c) => show_lists(c),
        Command::Query(c) => query(c),
        Command::Diff(c) => diff(c),
        Command::Fetch(c) => fetch_lists(c),
    }
}

fn fetch_lists(c: &FetchConfig) -> Result<Outcome> {
    // A mirror directory is recorded by its full path.
    let from = c.from.as_ref().map(|f| {
        let p = std::path::Path::new(f);
        if !f.contains("://") && p.is_dir() {
            std::fs::canonicalize(p)
                .map(|p| p.display().to_string())
                .unwrap_or_else(|_| f.clone())
        } else {
            f.clone()
        }
    });
    let opts = fetch::FetchOptions {
        dir: c.dir.clone(),
        from,
        timeout: c.timeout,
        retries: c.retries,
        only: c.only.clone(),
        allow_shrink: c.allow_shrink,
    };
    let summary = fetch::fetch(&opts, &mut |line| eprintln!("sanctions: {line}"))?;
    let fetched = summary.sources.iter().filter(|s| s.is_fetched()).count();
    eprintln!(
        "sanctions: {fetched} of {} sources fetched into {}",
        summary.sources.len(),
        c.dir.display()
    );
    let failures: Vec<String> = summary
        .failures()
        .map(|(key, reason)| format!("{key}: {reason}"))
        .collect();
    if !failures.is_empty() {
        anyhow::bail!(
            "{} source(s) failed (their last good copy is kept): {}",
            failures.len(),
            failures.join("; ")
        );
    }
    Ok(Outcome::Clear)
}

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

/// Build the index of a catalog's entities.
pub fn build_index(catalog: &mut Catalog) -> Index {
    let mut b = IndexBuilder::new();
    b.extend(std::mem::take(&mut catalog.entities));
    b.build()
}

fn announce(catalog: &Catalog) {
    if catalog.bundled {
        eprintln!(
            "sanctions: using the bundled SAMPLE lists (a few dozen entries), not the official lists: pass --lists PATH or set SANCTIONS_LISTS"
        );
    }
    const SHOWN: usize = 10;
    for w in catalog.warnings.iter().take(SHOWN) {
        eprintln!("sanctions: warning: {w}");
    }
    if catalog.warnings.len() > SHOWN {
        eprintln!(
            "sanctions: warning: ... and {} more list warnings (see `sanctions lists`)",
            catalog.warnings.len() - SHOWN
        );
    }
}

/// Turn a match into a report hit.
pub fn to_hit(index: &Index, query: &str, m: &Match) -> Hit {
    let e = &index.entities[m.entity as usize];
    let me = &index.entities[m.matched_entity as usize];
    let name = &me.names[m.matched_name as usize];
    // The same entry loaded from two releases of one list is not "also on" it.
    let mut also_on: Vec<String> = Vec::new();
    for &o in &index.groups[m.group as usize].members[1..] {
        let o = &index.entities[o as usize];
        let label = format!("{} ({})", o.list, o.id);
        if (o.list != e.list || o.id != e.id) && !also_on.contains(&label) {
            also_on.push(label);
        }
    }
    Hit {
        status: report::HitStatus::PotentialMatch,
        severity: report::Severity::Review,
        entity_hash: e.content_hash(),
        decision: None,
        score: report::report_score(m.score),
        ofac_score: report::report_score(ofac_score::ofac_score(query, &name.text)),
        entity_id: e.id.clone(),
        list: e.list.clone(),
        also_on,
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

/// Write the run record to `--audit`, if asked: what every record says
/// (tool, version, start time, command line) and this run's `fields`.
fn write_audit(c: &ScreenConfig, fields: serde_json::Value) -> Result<()> {
    let Some(path) = &c.audit else {
        return Ok(());
    };
    let mut record = serde_json::json!({
        "schema_version": 1,
        "tool": "sanctions",
        "version": env!("CARGO_PKG_VERSION"),
        "started": clock::rfc3339(std::time::SystemTime::now()),
        "command_line": c.command_line,
    });
    if let (Some(r), serde_json::Value::Object(f)) = (record.as_object_mut(), fields) {
        r.extend(f);
    }
    let mut text = serde_json::to_vec_pretty(&record)?;
    text.push(b'\n');
    workflow::write_atomic(path, &text)
}

/// What every row of a `screen` run is judged with, besides the matcher.
struct RowContext<'a> {
    decisions: Option<&'a decisions::Decisions>,
    /// With `--since`: the ids of the entries added or changed.
    changed: Option<&'a std::collections::BTreeSet<String>>,
    block_threshold: f32,
    today: i64,
}

fn screen(c: &ScreenConfig) -> Result<Outcome> {
    let mut catalog = load_catalog(&c.lists)?;
    announce(&catalog);
    let today = clock::today();
    if let Some(max) = c.max_list_age {
        let mut stale = Vec::new();
        for (path, age, from) in
            workflow::list_ages(&catalog.files, today, &workflow::manifest_date)
        {
            match age {
                Some(age) if age > i64::from(max) => stale.push(format!(
                    "{path}: {age} days old ({from}), more than --max-list-age {max}"
                )),
                Some(_) => {}
                None => stale.push(format!("{path}: age unknown ({from})")),
            }
        }
        for s in &stale {
            eprintln!("sanctions: warning: stale list: {s}");
        }
        if !stale.is_empty() && c.fail_on_stale {
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
            return Ok(Outcome::Stale);
        }
    }
    let decisions = c
        .decisions
        .as_deref()
        .map(decisions::Decisions::load)
        .transpose()?;
    // The input is hashed before it is read, so that the run id is known
    // when the report begins; standard input is kept in a temporary file.
    let stdin_copy = if c.input == "-" {
        Some(workflow::spool_stdin()?)
    } else {
        None
    };
    let input_path: PathBuf = match &stdin_copy {
        Some(t) => t.path().to_path_buf(),
        None => PathBuf::from(&c.input),
    };
    let (input_sha256, input_bytes) = workflow::sha256_file(&input_path)?;
    let since = if c.since.is_empty() {
        None
    } else {
        Some(lists::load_paths(&expand_fetched(&c.since)?)?)
    };
    let index = build_index(&mut catalog);
    let changed = since
        .as_ref()
        .map(|old| workflow::changed_ids(&old.entities, &index.entities));
    if let (Some(changed), Some(old)) = (&changed, &since) {
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
    }
    let matcher = Matcher::new(&index, c.threshold, c.top);

    let input_name = if c.input == "-" {
        "<stdin>"
    } else {
        c.input.as_str()
    };
    let mut reader = input::open_named(&input_path, input_name, &c.column)?;
    eprintln!("sanctions: input {input_name}: {}", reader.describe());

    let mut id_parts: Vec<(&str, String)> = vec![
        ("tool", format!("sanctions {}", env!("CARGO_PKG_VERSION"))),
        ("threshold", format!("{:.4}", c.threshold)),
        ("block_threshold", format!("{:.4}", c.block_threshold)),
        ("fail_on", c.fail_on.as_str().to_string()),
        ("top", c.top.to_string()),
        ("column", c.column.clone()),
        ("input", input_sha256.clone()),
    ];
    let mut list_hashes: Vec<&str> = catalog.files.iter().map(|f| f.sha256.as_str()).collect();
    list_hashes.sort_unstable();
    id_parts.push(("lists", list_hashes.join(" ")));
    if let Some(d) = &decisions {
        id_parts.push(("decisions", d.sha256.clone()));
        // Whether a decision has expired depends on the day.
        id_parts.push(("as_of", clock::format_date(today)));
    }
    if let Some(old) = &since {
        let mut h: Vec<&str> = old.files.iter().map(|f| f.sha256.as_str()).collect();
        h.sort_unstable();
        id_parts.push(("since", h.join(" ")));
    }
    let run_id = workflow::run_id(&id_parts);
    let run = RunInfo {
        run_id: run_id.clone(),
        threshold: report::report_score(c.threshold),
        block_threshold: report::report_score(c.block_threshold),
        fail_on: c.fail_on.as_str().to_string(),
        top: c.top,
        input: c.input.clone(),
        input_sha256: input_sha256.clone(),
        decisions: decisions.as_ref().map(|d| {
            serde_json::json!({
                "path": d.path,
                "sha256": d.sha256,
                "decisions": d.items.len(),
                "as_of": clock::format_date(today),
            })
        }),
        since: since.as_ref().map(|old| old.files.clone()),
        column: c.column.clone(),
        bundled_sample_lists: catalog.bundled,
        entities: index.entities.len(),
        names: index.name_count(),
    };
    // An output file appears under its name only when the report is whole.
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
        &run,
        &catalog.files,
        &catalog.skipped,
        &catalog.warnings,
    )?;
    let ctx = RowContext {
        decisions: decisions.as_ref(),
        changed: changed.as_ref(),
        block_threshold: c.block_threshold,
        today,
    };
    let mut summary = Summary::default();
    // A progress bar on a terminal, for inputs of more than a few thousand
    // rows (by the file's size; rows for standard input); silent otherwise.
    let mut progress = Progress::new(Some(input_bytes));
    const CHUNK: usize = 4096;
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
        let results: Vec<RowResult> = chunk
            .par_iter()
            .map(|row| screen_row(&index, &matcher, row, &ctx))
            .collect();
        for r in &results {
            summary.add(r);
            writer.row(r)?;
        }
        progress.update(summary.rows, reader.bytes_read(), summary.potential_matches);
    }
    progress.finish();
    drop(writer.finish(&summary)?);
    if let Some(f) = atomic {
        f.commit()?;
    }
    let outcome = if summary.errors > 0 {
        Outcome::RowErrors
    } else if match c.fail_on {
        FailOn::Review => summary.potential_matches > 0,
        FailOn::Block => summary.block > 0,
    } {
        Outcome::Matches
    } else {
        Outcome::Clear
    };
    write_audit(
        c,
        serde_json::json!({
            "run_id": run_id,
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
            "input": {"path": c.input, "sha256": input_sha256, "bytes": input_bytes, "rows": summary.rows},
            "lists": catalog.files,
            "bundled_sample_lists": catalog.bundled,
            "decisions": run.decisions,
            "since": run.since,
            "counts": summary,
            "exit_code": outcome.exit_code(),
        }),
    )?;
    // The process ends here: freeing the index piece by piece would only
    // cost time (a tenth of a run on small inputs); the system takes it back.
    std::mem::forget(matcher);
    std::mem::forget(index);
    eprintln!(
        "sanctions: {} rows read: {} with potential matches ({} block), {} cleared by decision, {} clear, {} in error ({} hits; threshold {}; run {})",
        summary.rows,
        summary.potential_matches,
        summary.block,
        summary.cleared_by_decision,
        summary.clear,
        summary.errors,
        summary.hits,
        c.threshold,
        run_id
    );
    Ok(outcome)
}

/// The progress bar of `screen`: shown on standard error when it is a
/// terminal, once more than [`Progress::AFTER_ROWS`] rows have been read.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    input_len: Option<u64>,
    terminal: bool,
}

impl Progress {
    /// Rows read before the bar appears: short runs stay quiet.
    const AFTER_ROWS: u64 = 5000;

    fn new(input_len: Option<u64>) -> Progress {
        use std::io::IsTerminal;
        Progress {
            bar: None,
            input_len,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    fn update(&mut self, rows: u64, bytes: u64, matches: u64) {
        if !self.terminal || rows <= Self::AFTER_ROWS {
            return;
        }
        let bar = self.bar.get_or_insert_with(|| {
            let (bar, template) = match self.input_len {
                Some(len) => (
                    indicatif::ProgressBar::new(len),
                    "{bar:40} {percent:>3}% {msg} ({elapsed}, about {eta} left)",
                ),
                None => (
                    indicatif::ProgressBar::new_spinner(),
                    "{spinner} {msg} ({elapsed})",
                ),
            };
            if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
                bar.set_style(style);
            }
            bar
        });
        if self.input_len.is_some() {
            bar.set_position(bytes);
        } else {
            bar.tick();
        }
        bar.set_message(format!(
            "{rows} rows screened, {matches} with potential matches"
        ));
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

fn screen_row(index: &Index, matcher: &Matcher, row: &input::Row, ctx: &RowContext) -> RowResult {
    match row {
        Ok(q) => {
            let mut hits: Vec<Hit> = Vec::new();
            for m in matcher.search_query(&q.name, &q.identifiers, q.country.as_deref()) {
                let members: Vec<&str> = index.groups[m.group as usize]
                    .members
                    .iter()
                    .map(|&e| index.entities[e as usize].id.as_str())
                    .collect();
                // With --since, only entries added or changed count.
                if let Some(changed) = ctx.changed
                    && !members.iter().any(|id| changed.contains(*id))
                {
                    continue;
                }
                let mut hit = to_hit(index, &q.name, &m);
                if m.score >= ctx.block_threshold {
                    hit.severity = report::Severity::Block;
                }
                if let Some(d) = ctx.decisions
                    && let Some(effect) = d.effect(
                        &q.name,
                        q.id.as_deref(),
                        &members,
                        &hit.entity_hash,
                        ctx.today,
                    )
                {
                    if matches!(effect, decisions::Effect::Cleared(_)) {
                        hit.status = report::HitStatus::ClearedByDecision;
                    }
                    hit.decision = Some(effect.note().to_string());
                }
                hits.push(hit);
            }
            let verdict = if hits.is_empty() {
                Verdict::Clear
            } else if hits
                .iter()
                .all(|h| h.status == report::HitStatus::ClearedByDecision)
            {
                Verdict::ClearedByDecision
            } else {
                Verdict::PotentialMatch
            };
            RowResult {
                row: q.row,
                line: q.line,
                id: q.id.clone(),
                name: q.name.clone(),
                verdict,
                error: None,
                hits,
            }
        }
        Err(e) => RowResult {
            row: e.row,
            line: e.line,
            id: e.id.clone(),
            name: String::new(),
            verdict: Verdict::Error,
            error: Some(e.message.clone()),
            hits: Vec::new(),
        },
    }
}

fn diff(c: &DiffConfig) -> Result<Outcome> {
    let old = lists::load_paths(&expand_fetched(&c.old)?)?;
    let new = lists::load_paths(&expand_fetched(&c.new)?)?;
    let changes = workflow::diff(&old.entities, &new.entities);
    let count = |k: &str| changes.iter().filter(|x| x.change == k).count();
    let mut out = BufWriter::new(std::io::stdout().lock());
    if c.json {
        serde_json::to_writer_pretty(
            &mut out,
            &serde_json::json!({
                "old": old.files,
                "new": new.files,
                "added": count("added"),
                "removed": count("removed"),
                "changed": count("changed"),
                "changes": changes,
            }),
        )?;
        writeln!(out)?;
    } else {
        for x in &changes {
            let what = if x.what.is_empty() {
                String::new()
            } else {
                format!(" ({})", x.what.join(", "))
            };
            writeln!(
                out,
                "{:<8} {}  {}  {}{what}",
                x.change, x.id, x.name, x.list
            )?;
        }
        writeln!(
            out,
            "{} added, {} removed, {} changed ({} entries before, {} after)",
            count("added"),
            count("removed"),
            count("changed"),
            old.entities.len(),
            new.entities.len()
        )?;
    }
    out.flush()?;
    Ok(Outcome::Clear)
}

fn show_lists(c: &ListsConfig) -> Result<Outcome> {
    let catalog = load_catalog(&c.lists)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    if c.json {
        let doc = serde_json::json!({
            "bundled_sample_lists": catalog.bundled,
            "entities": catalog.entities.len(),
            "files": catalog.files,
            "skipped": catalog.skipped,
            "warnings": catalog.warnings,
        });
        serde_json::to_writer_pretty(&mut out, &doc)?;
        writeln!(out)?;
    } else {
        if catalog.bundled {
            writeln!(out, "bundled SAMPLE lists (not the official lists)\n")?;
        }
        writeln!(out, "loaded files:")?;
        for f in &catalog.files {
            writeln!(
                out,
                "  {}\n    format {}; list {}; published {}; records {}; entities {}; names {}\n    sha256 {}",
                f.path,
                f.format,
                f.list,
                f.published.as_deref().unwrap_or("(not stated)"),
                f.records,
                f.entities,
                f.names,
                f.sha256
            )?;
        }
        writeln!(out, "entities: {}", catalog.entities.len())?;
        if !catalog.skipped.is_empty() {
            writeln!(out, "skipped files:")?;
            for s in &catalog.skipped {
                writeln!(out, "  {}: {}", s.path, s.reason)?;
            }
        }
        if !catalog.warnings.is_empty() {
            writeln!(out, "warnings ({}):", catalog.warnings.len())?;
            for w in &catalog.warnings {
                writeln!(out, "  {w}")?;
            }
        }
    }
    out.flush()?;
    Ok(Outcome::Clear)
}

fn query(c: &QueryConfig) -> Result<Outcome> {
    // As in `screen`: no list name is that long, and the scorer's time grows
    // with the square of a word's length.
    let chars = c.name.chars().count();
    if chars > lists::MAX_NAME_CHARS {
        anyhow::bail!(
            "the name is {chars} characters long, more than a name can be ({}): not screened",
            lists::MAX_NAME_CHARS
        );
    }
    let mut catalog = load_catalog(&c.lists)?;
    announce(&catalog);
    let index = build_index(&mut catalog);
    let matcher = Matcher::new(&index, c.threshold, c.top);
    let hits: Vec<Hit> = matcher
        .search(&c.name)
        .iter()
        .map(|m| to_hit(&index, &c.name, m))
        .collect();
    let mut out = BufWriter::new(std::io::stdout().lock());
    if c.json {
        serde_json::to_writer_pretty(
            &mut out,
            &serde_json::json!({"name": c.name, "threshold": report::report_score(c.threshold), "hits": hits}),
        )?;
        writeln!(out)?;
    } else if hits.is_empty() {
        writeln!(
            out,
            "{:?}: clear (no hit at or above {})",
            c.name, c.threshold
        )?;
    } else {
        writeln!(
            out,
            "{:?}: {} potential match(es) at or above {}",
            c.name,
            hits.len(),
            c.threshold
        )?;
        for h in &hits {
            let e = &h.explanation;
            writeln!(
                out,
                "\n{:.4}  {}  {}  ({})",
                h.score, h.entity_id, h.list, h.entity_type
            )?;
            writeln!(
                out,
                "  matched {:?} ({}), primary {:?}",
                h.matched_name, h.matched_name_kind, h.primary_name
            )?;
            if !h.programs.is_empty() {
                writeln!(out, "  programs: {}", h.programs.join(", "))?;
            }
            for a in &h.also_on {
                writeln!(out, "  also on: {a}")?;
            }
            if let Some(part) = &e.query_part {
                writeln!(out, "  matched by this part of the query: {part:?}")?;
            }
            if let Some(id) = &e.identifier {
                writeln!(out, "  identifier: {id}")?;
            }
            if let Some(c) = &e.country {
                writeln!(out, "  country: {c}")?;
            }
            writeln!(out, "  query tokens:  {}", e.query_tokens.join(" "))?;
            writeln!(out, "  listed tokens: {}", e.listed_tokens.join(" "))?;
            for p in &e.pairs {
                writeln!(
                    out,
                    "    {:<20} ~ {:<20} {:.3} ({:?}), weight {:.2}",
                    p.query, p.listed, p.similarity, p.how, p.weight
                )?;
            }
            for u in &e.unmatched_query {
                writeln!(
                    out,
                    "    {:<20}   (not in the listed name)  weight {:.2}",
                    u.token, u.weight
                )?;
            }
            for u in &e.unmatched_listed {
                writeln!(
                    out,
                    "    {:<20}   (missing from the query)  weight {:.2}",
                    u.token, u.weight
                )?;
            }
            for cz in &e.canonicalized {
                writeln!(out, "    canonicalized: {cz}")?;
            }
            if e.name_kind == model::NameKind::Weak {
                writeln!(
                    out,
                    "    weak alias: raw score {:.4} discounted",
                    e.raw_score
                )?;
            }
        }
    }
    out.flush()?;
    Ok(if hits.is_empty() {
        Outcome::Clear
    } else {
        Outcome::Matches
    })
}

#[cfg(test)]
mod tests {
    use super::Progress;

    #[test]
    fn the_progress_bar_shows_on_a_terminal_past_a_few_thousand_rows_only() {
        // Not a terminal (a pipe, a CI log): never a bar.
        let mut quiet = Progress {
            terminal: false,
            ..Progress::new(Some(1_000_000))
        };
        quiet.update(1_000_000, 500_000, 10);
        assert!(quiet.bar.is_none());
        // A terminal: nothing for a short input, a bar once it is long.
        let mut shown = Progress {
            terminal: true,
            ..Progress::new(Some(1_000_000))
        };
        shown.update(Progress::AFTER_ROWS, 1_000, 1);
        assert!(shown.bar.is_none());
        shown.update(Progress::AFTER_ROWS + 1, 2_000, 1);
        assert_eq!(shown.bar.as_ref().map(|b| b.position()), Some(2_000));
        shown.finish();
        assert!(shown.bar.is_none());
    }
}
