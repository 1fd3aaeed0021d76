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
pub mod countries;
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

use anyhow::{Context, Result};
use index::{Index, IndexBuilder};
use lists::Catalog;
use matcher::{Match, Matcher};
use rayon::prelude::*;
use report::{Hit, ReportWriter, RowResult, RunInfo, Summary, Verdict};
use std::io::{BufWriter, Read, Write};
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
}

impl Outcome {
    /// 0 clear, 1 potential matches, 2 rows in error.
    pub fn exit_code(self) -> i32 {
        match self {
            Outcome::Clear => 0,
            Outcome::Matches => 1,
            Outcome::RowErrors => 2,
        }
    }
}

/// Run a command.
pub fn run(config: &Config) -> Result<Outcome> {
    match &config.command {
        Command::Screen(c) => screen(c),
        Command::Lists(c) => show_lists(c),
        Command::Query(c) => query(c),
    }
}

/// Load the lists named, or the bundled sample when none are.
pub fn load_catalog(paths: &[PathBuf]) -> Result<Catalog> {
    if paths.is_empty() {
        lists::load_bundled()
    } else {
        lists::load_paths(paths)
    }
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

fn screen(c: &ScreenConfig) -> Result<Outcome> {
    let mut catalog = load_catalog(&c.lists)?;
    announce(&catalog);
    let index = build_index(&mut catalog);
    let matcher = Matcher::new(&index, c.threshold, c.top);

    let source: Box<dyn Read> = if c.input == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(
            std::fs::File::open(&c.input)
                .with_context(|| format!("{}: cannot open input", c.input))?,
        )
    };
    let input_name = if c.input == "-" {
        "<stdin>"
    } else {
        c.input.as_str()
    };
    let mut reader =
        input::InputReader::new(input_name, std::io::BufReader::new(source), &c.column)?;

    let out: Box<dyn Write> = match &c.output {
        Some(p) => Box::new(
            std::fs::File::create(p)
                .with_context(|| format!("{}: cannot create output", p.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let run = RunInfo {
        threshold: report::report_score(c.threshold),
        top: c.top,
        input: c.input.clone(),
        column: c.column.clone(),
        bundled_sample_lists: catalog.bundled,
        entities: index.entities.len(),
        names: index.name_count(),
    };
    let mut writer = ReportWriter::begin(
        BufWriter::new(out),
        c.format,
        &run,
        &catalog.files,
        &catalog.skipped,
        &catalog.warnings,
    )?;
    let mut summary = Summary::default();
    // A progress bar on a terminal, for inputs of more than a few thousand
    // rows (by the file's size; rows for standard input); silent otherwise.
    let input_len = (c.input != "-")
        .then(|| std::fs::metadata(&c.input).ok().map(|m| m.len()))
        .flatten();
    let mut progress = Progress::new(input_len);
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
            .map(|row| screen_row(&index, &matcher, row))
            .collect();
        for r in &results {
            summary.add(r);
            writer.row(r)?;
        }
        progress.update(summary.rows, reader.bytes_read(), summary.potential_matches);
    }
    progress.finish();
    writer.finish(&summary)?;
    // The process ends here: freeing the index piece by piece would only
    // cost time (a tenth of a run on small inputs); the system takes it back.
    std::mem::forget(matcher);
    std::mem::forget(index);
    eprintln!(
        "sanctions: {} rows read: {} with potential matches, {} clear, {} in error ({} hits; threshold {})",
        summary.rows,
        summary.potential_matches,
        summary.clear,
        summary.errors,
        summary.hits,
        c.threshold
    );
    Ok(if summary.errors > 0 {
        Outcome::RowErrors
    } else if summary.potential_matches > 0 {
        Outcome::Matches
    } else {
        Outcome::Clear
    })
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

fn screen_row(index: &Index, matcher: &Matcher, row: &input::Row) -> RowResult {
    match row {
        Ok(q) => {
            let hits: Vec<Hit> = matcher
                .search_query(&q.name, &q.identifiers, q.country.as_deref())
                .iter()
                .map(|m| to_hit(index, &q.name, m))
                .collect();
            RowResult {
                row: q.row,
                line: q.line,
                id: q.id.clone(),
                name: q.name.clone(),
                verdict: if hits.is_empty() {
                    Verdict::Clear
                } else {
                    Verdict::PotentialMatch
                },
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
