//! Throughput benchmark for the screening path.
//!
//! Measures, in one run:
//! - how long loading (parsing) the list files and building the index take;
//! - how many names per second candidate search ([`Matcher::search`], the
//!   production path) screens on a stream of generated names, half of them
//!   disguised listed names and half clean real-looking names, with one CSV
//!   line per hit written to a sink so that formatting is counted too;
//! - the hit rate (overall, and per half), and peak memory (`VmHWM`);
//! - a brute-force baseline ([`Matcher::search_brute_force`]) on a small
//!   subset, its rate against candidate search, and whether both find the
//!   same hits there.
//!
//! Run from the crate root:
//!
//! ```text
//! cargo run --release --bin bench -- [--rows N] [--brute N] [--lists PATH]... [--preset us|all] [--scale N] [--names CSV] [--large N] [--json]
//! cargo run --release --bin bench -- --check CSV [--script S] [--limit N] [--large N]
//! ```
//!
//! `--large N` (`large.rs`) screens the same names against the lists alone
//! and with `N` made-up entities, and prints the ratio of the two speeds.
//!
//! Without `--lists` it loads the newest US lists under `../shared/lists`
//! (OFAC SDN and Non-SDN CSV, trade.gov CSL); without those it builds a
//! seeded synthetic list. Names are generated in chunks, never all at once.

mod large;
mod lists;
mod names;
mod scripts;
mod us;

use anyhow::{Context, Result, bail};
use clap::Parser;
use lists::load_lists;
use names::Generator;
use rayon::prelude::*;
use sanctions::index::{Index, IndexBuilder};
use sanctions::matcher::{DEFAULT_THRESHOLD, Match, Matcher};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// mimalloc: the matcher and the index builder allocate many small,
/// short-lived strings and vectors, which glibc's allocator serves slowly.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Names generated and screened at a time.
const CHUNK: usize = 8192;
/// Hits kept per name.
const TOP: usize = 5;
/// Where the shared list files live, relative to the crate root.
const SHARED_LISTS: &str = "../shared/lists";

/// Screening throughput benchmark.
#[derive(Debug, Parser)]
#[command(name = "bench", about, long_about = None)]
struct Args {
    /// List file or directory (repeatable); overrides the default lists.
    #[arg(long = "lists", value_name = "PATH")]
    lists: Vec<PathBuf>,
    /// Which lists under `../shared/lists` when no `--lists` is given:
    /// `us` (the newest OFAC SDN and Non-SDN CSV and trade.gov CSL) or `all`
    /// (every list file there).
    #[arg(long, value_enum, default_value_t = Preset::Us)]
    preset: Preset,
    /// Also screen the names of this CSV file (column `query`, else `name`),
    /// grouped by script, and print names/s per script (e.g.
    /// `../shared/eval/clean_dev.csv`, names in ten scripts).
    #[arg(long, value_name = "CSV")]
    names: Option<PathBuf>,
    /// Names to screen.
    #[arg(long, default_value_t = 1_000_000)]
    rows: u64,
    /// Index the lists this many times over: the real entries and seeded
    /// variations of them, to show how the cost grows with the lists.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
    scale: u16,
    /// Names for the brute-force baseline (0 to skip it).
    #[arg(long, default_value_t = 200)]
    brute: usize,
    /// Report threshold.
    #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
    threshold: f32,
    /// Seed of the name generator (and of the synthetic list).
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Also print the figures as one JSON object.
    #[arg(long)]
    json: bool,
    /// Instead of the benchmark: compare candidate search with brute force
    /// on every name of this CSV file (column `query`, else `name`), e.g.
    /// `../shared/eval/dev.csv`, and exit non-zero if any hit differs.
    #[arg(long, value_name = "CSV")]
    check: Option<PathBuf>,

    /// With `--check`: only the names written in this script (as `--names`
    /// groups them), e.g. `arabic` with `--preset all`.
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(scripts::SCRIPTS))]
    script: Option<String>,

    /// With `--check`: only the first this many names.
    #[arg(long, value_name = "N")]
    limit: Option<usize>,

    /// Also index a made-up list of this many entities in OpenSanctions'
    /// layout (`../shared/scale/make_large_list.py`, seed 1, cached under
    /// `target/scale/`). Without `--check`: screen the same `--rows`
    /// generated names (and `--names`) against the lists alone and with it,
    /// and print both runs' figures and their ratio. With `--check`: check
    /// against the lists plus it.
    #[arg(long, value_name = "N")]
    large: Option<u64>,
}

/// The list sets `--preset` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Preset {
    /// The newest US lists.
    Us,
    /// Every list under `../shared/lists`.
    All,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let extra = match (args.large, &args.check) {
        (Some(n), None) => return large::run(&args, n),
        (Some(n), Some(_)) => vec![large::large_list(n)?],
        (None, _) => Vec::new(),
    };
    // 1. Lists: load (parse) and index, timed separately.
    let lists = index_lists(&args, &extra)?;
    let index = &lists.index;
    if let Some(path) = &args.check {
        return check(index, &args, path);
    }
    // 2. Screen generated names in parallel chunks.
    let run = screen_generated(index, &args)?;
    // 3. Names/s per script, from a file of names.
    if let Some(path) = &args.names {
        let names = read_names(path)?;
        let rates = scripts::rates(index, args.threshold, TOP, &names);
        let latin = rates.iter().find(|r| r.script == "latin").map(|r| r.rate);
        for r in &rates {
            let ratio = latin.map_or(String::new(), |l| format!(", {:.2}x Latin", r.rate / l));
            println!(
                "script {}: {} names of {} in {:.3} s: {:.0} names/s{ratio}",
                r.script,
                r.names,
                path.display(),
                r.seconds,
                r.rate
            );
        }
    }
    // 4. Brute-force baseline on a subset with another seed.
    let brute = if args.brute > 0 {
        Some(brute_force_baseline(index, &args)?)
    } else {
        None
    };
    // Peak memory last, so that it covers the whole run.
    let peak_kib = peak_rss_kib();
    match peak_kib {
        Some(k) => println!("peak memory: {:.1} MiB (VmHWM)", k as f64 / 1024.0),
        None => println!("peak memory: unknown"),
    }
    if args.json {
        println!(
            "{}",
            json_figures(&args, &lists, &run, brute.as_ref(), peak_kib)
        );
    }
    Ok(())
}

/// The indexed lists, where they came from, and how long loading and
/// indexing took.
struct Lists {
    index: Index,
    source: String,
    load_s: f64,
    index_s: f64,
}

/// Load (parse) and index the lists, timed separately, and say so.
fn index_lists(args: &Args, extra: &[PathBuf]) -> Result<Lists> {
    let t = Instant::now();
    let (entities, source, what) = load_lists(args, extra)?;
    let load_s = t.elapsed().as_secs_f64();
    let loaded_kib = rss_kib();
    let entities = lists::scaled(entities, usize::from(args.scale), args.seed);
    let t = Instant::now();
    let index = IndexBuilder::with_entities(entities).build();
    let index_s = t.elapsed().as_secs_f64();
    if index.names.is_empty() {
        bail!("the lists hold no names to screen against");
    }
    println!(
        "lists: {source}{}: {} entities, {} names",
        if args.scale > 1 {
            format!(" x{} (seeded variations)", args.scale)
        } else {
            String::new()
        },
        index.entities.len(),
        index.name_count()
    );
    let mib = |k: Option<u64>| {
        k.map_or("unknown".to_string(), |k| {
            format!("{:.0} MiB", k as f64 / 1024.0)
        })
    };
    println!(
        "load:  {load_s:.3} s ({what}); resident after it {}",
        mib(loaded_kib)
    );
    println!(
        "index: {index_s:.3} s; resident after it {}, peak so far {}",
        mib(rss_kib()),
        mib(peak_rss_kib())
    );
    Ok(Lists {
        index,
        source,
        load_s,
        index_s,
    })
}

/// `--check`: compare candidate search with brute force on every name of a
/// CSV file; an error if any name's hits differ.
fn check(index: &Index, args: &Args, path: &Path) -> Result<()> {
    let mut names = read_names(path)?;
    if let Some(script) = &args.script {
        names.retain(|n| scripts::script_of(n) == script);
    }
    if let Some(limit) = args.limit {
        names.truncate(limit);
    }
    let matcher = Matcher::new(index, args.threshold, 0);
    let (brute_s, candidate_s, differing) = compare(&matcher, &names);
    println!(
        "check: {} names{} of {}: brute force {:.1} s, candidate search {:.1} s; names with differing hits at threshold {}: {differing}",
        names.len(),
        args.script
            .as_ref()
            .map_or(String::new(), |s| format!(" in {s} script")),
        path.display(),
        brute_s,
        candidate_s,
        args.threshold
    );
    if differing > 0 {
        bail!("candidate search and brute force differ on {differing} names");
    }
    Ok(())
}

/// The figures of the screening run.
struct Run {
    counts: Counts,
    threads: usize,
    wall_s: f64,
    rate: f64,
}

/// Screen `--rows` generated names in parallel chunks, writing one CSV line
/// per hit to a sink, and say how fast and with how many hits.
fn screen_generated(index: &Index, args: &Args) -> Result<Run> {
    let matcher = Matcher::new(index, args.threshold, TOP);
    let threads = rayon::current_num_threads();
    let mut out = csv::Writer::from_writer(std::io::sink());
    out.write_record(["row", "query", "entity_id", "list", "matched_name", "score"])
        .context("cannot write the CSV header")?;
    let mut generator = Generator::new(index, args.seed);
    let mut counts = Counts::default();
    let mut chunk: Vec<(bool, String)> = Vec::with_capacity(CHUNK);
    let mut row = 0u64;
    let t = Instant::now();
    while row < args.rows {
        chunk.clear();
        let n = (args.rows - row).min(CHUNK as u64);
        chunk.extend((0..n).map(|_| generator.next_name()));
        let results: Vec<Vec<Match>> = chunk.par_iter().map(|(_, n)| matcher.search(n)).collect();
        for ((listed, name), hits) in chunk.iter().zip(&results) {
            row += 1;
            counts.add(*listed, hits.len());
            write_hits(&mut out, index, row, name, hits)?;
        }
    }
    out.flush().context("cannot flush the CSV output")?;
    let wall_s = t.elapsed().as_secs_f64();
    let rate = counts.names as f64 / wall_s;
    println!(
        "screen: {} names in {wall_s:.3} s on {threads} threads: {rate:.0} names/s (threshold {}, top {TOP}; time includes generating the names and writing the CSV)",
        counts.names, args.threshold
    );
    println!(
        "hits: {} names with a hit ({:.2}%), {} hits in all; disguised listed names {}/{} ({:.2}%), clean names {}/{} ({:.2}%)",
        counts.hit_names,
        pct(counts.hit_names, counts.names),
        counts.hits,
        counts.listed_hit,
        counts.listed,
        pct(counts.listed_hit, counts.listed),
        counts.hit_names - counts.listed_hit,
        counts.names - counts.listed,
        pct(
            counts.hit_names - counts.listed_hit,
            counts.names - counts.listed
        ),
    );
    Ok(Run {
        counts,
        threads,
        wall_s,
        rate,
    })
}

/// One CSV line per hit of a row.
fn write_hits<W: std::io::Write>(
    out: &mut csv::Writer<W>,
    index: &Index,
    row: u64,
    name: &str,
    hits: &[Match],
) -> Result<()> {
    for m in hits {
        let e = &index.entities[m.entity as usize];
        let matched =
            &index.entities[m.matched_entity as usize].names[m.matched_name as usize].text;
        let fields = [
            row.to_string(),
            name.to_string(),
            e.id.clone(),
            e.list.to_string(),
            matched.clone(),
            format!("{:.4}", m.score),
        ];
        out.write_record(&fields)
            .with_context(|| format!("cannot write the hits of row {row}"))?;
    }
    Ok(())
}

/// `a` as a percentage of `b` (0 when `b` is 0).
fn pct(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

/// Every figure of the run as one JSON object (`--json`).
fn json_figures(
    args: &Args,
    lists: &Lists,
    run: &Run,
    brute: Option<&Baseline>,
    peak_kib: Option<u64>,
) -> serde_json::Value {
    let counts = &run.counts;
    let brute_json = brute.map(|b| {
        serde_json::json!({
            "names": b.names,
            "brute_force_seconds": b.brute_s,
            "brute_force_names_per_second": b.names as f64 / b.brute_s,
            "candidate_seconds": b.candidate_s,
            "candidate_names_per_second": b.names as f64 / b.candidate_s,
            "speedup": b.brute_s / b.candidate_s,
            "differing_names": b.differing,
        })
    });
    serde_json::json!({
        "lists": lists.source,
        "entities": lists.index.entities.len(),
        "names_listed": lists.index.name_count(),
        "load_seconds": lists.load_s,
        "index_seconds": lists.index_s,
        "threads": run.threads,
        "threshold": (f64::from(args.threshold) * 1e4).round() / 1e4,
        "top": TOP,
        "seed": args.seed,
        "rows": counts.names,
        "wall_seconds": run.wall_s,
        "names_per_second": run.rate,
        "names_with_hit": counts.hit_names,
        "hit_rate": pct(counts.hit_names, counts.names) / 100.0,
        "hits": counts.hits,
        "listed_names": counts.listed,
        "listed_names_with_hit": counts.listed_hit,
        "peak_rss_kib": peak_kib,
        "brute_force": brute_json,
    })
}

/// Screening counters.
#[derive(Debug, Default)]
struct Counts {
    names: u64,
    hit_names: u64,
    hits: u64,
    /// Names generated from a listed name.
    listed: u64,
    /// Of those, names with a hit.
    listed_hit: u64,
}

impl Counts {
    fn add(&mut self, listed: bool, hits: usize) {
        self.names += 1;
        self.hits += hits as u64;
        self.hit_names += u64::from(hits > 0);
        self.listed += u64::from(listed);
        self.listed_hit += u64::from(listed && hits > 0);
    }
}

/// Brute-force baseline figures.
struct Baseline {
    names: usize,
    brute_s: f64,
    candidate_s: f64,
    differing: usize,
}

/// Time brute force and candidate search on the same names and compare
/// their hits (group and score).
fn brute_force_baseline(index: &Index, args: &Args) -> Result<Baseline> {
    let mut generator = Generator::new(index, args.seed ^ 0x5DEE_CE66_D1CE_B00C);
    let names: Vec<String> = (0..args.brute).map(|_| generator.next_name().1).collect();
    // A fresh matcher, so that the candidate search does not profit from the
    // word cache the main run warmed (brute force uses no cache).
    let matcher = Matcher::new(index, args.threshold, TOP);
    let (brute_s, candidate_s, differing) = compare(&matcher, &names);
    let n = names.len() as f64;
    println!(
        "brute force: {} names: brute force {:.1} names/s, candidate {:.1} names/s (fresh cache), candidate/brute {:.1}x; names with differing hits: {differing}",
        names.len(),
        n / brute_s,
        n / candidate_s,
        brute_s / candidate_s
    );
    let cost = Cost::of(&matcher, names.iter());
    println!(
        "candidates: per name, {:.0} listed names reached, {:.0} scored (of {}), {:.0} of them through glued words",
        cost.per_name(cost.reached),
        cost.per_name(cost.scored),
        index.name_count(),
        cost.per_name(cost.glued),
    );
    println!("postings walked: per name, {}", cost.walked());
    Ok(Baseline {
        names: names.len(),
        brute_s,
        candidate_s,
        differing,
    })
}

/// Where the cost of screening some names goes, summed over them.
#[derive(Default)]
struct Cost {
    names: usize,
    reached: usize,
    scored: usize,
    glued: usize,
    walked: sanctions::matcher::Walked,
}

impl Cost {
    /// Prepare each name again and sum what it reached, scored and walked.
    fn of<'a>(matcher: &Matcher, names: impl Iterator<Item = &'a String>) -> Cost {
        let mut c = Cost::default();
        for name in names {
            let q = matcher.prepare(name);
            c.names += 1;
            c.reached += q.reached();
            c.scored += q.scored();
            c.glued += q.glued();
            c.walked += q.walked();
        }
        c
    }

    /// A sum, per name.
    fn per_name(&self, sum: usize) -> f64 {
        sum as f64 / self.names.max(1) as f64
    }

    /// The postings walked, by what walked them, and the names ruled out
    /// unread and read, per name.
    fn walked(&self) -> String {
        let (w, f) = (&self.walked, |x| self.per_name(x));
        format!(
            "{:.0} by similar words, {:.0} over a typo's lengths, {:.0} by legal forms and places, {:.0} by glued words, {:.0} forced; skipped postings scanned {:.0}; names ruled out unread {:.0}, read {:.0} ({:.0} that must be); typo band letters kept {:.0}",
            f(w.similar),
            f(w.typo_band),
            f(w.places),
            f(w.glued),
            f(w.forced),
            f(w.scanned),
            f(w.ruled_unread),
            f(w.read),
            f(w.read_bit),
            f(w.typo_letters),
        )
    }
}

/// The names of a CSV file's `query` (else `name`) column.
fn read_names(path: &Path) -> Result<Vec<String>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("{}: cannot open", path.display()))?;
    let headers = reader
        .headers()
        .with_context(|| format!("{}: cannot read the header", path.display()))?
        .clone();
    let column = headers
        .iter()
        .position(|h| h == "query")
        .or_else(|| headers.iter().position(|h| h == "name"))
        .with_context(|| format!("{}: no `query` or `name` column", path.display()))?;
    let mut names = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record =
            record.with_context(|| format!("{}: record {}: unreadable", path.display(), i + 1))?;
        names.push(record.get(column).unwrap_or_default().to_string());
    }
    Ok(names)
}

/// Time brute force and candidate search on `names`, in parallel, and count
/// the names whose hits (group and score) differ.
fn compare(matcher: &Matcher, names: &[String]) -> (f64, f64, usize) {
    let t = Instant::now();
    let brute: Vec<Vec<Match>> = names
        .par_iter()
        .map(|n| matcher.search_brute_force(n))
        .collect();
    let brute_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let candidate: Vec<Vec<Match>> = names.par_iter().map(|n| matcher.search(n)).collect();
    let candidate_s = t.elapsed().as_secs_f64();

    let key = |ms: &[Match]| -> Vec<(u32, f32)> { ms.iter().map(|m| (m.group, m.score)).collect() };
    let mut differing = 0;
    for ((name, b), c) in names.iter().zip(&brute).zip(&candidate) {
        let (b, c) = (key(b), key(c));
        let same = b.len() == c.len()
            && b.iter()
                .zip(&c)
                .all(|(x, y)| x.0 == y.0 && (x.1 - y.1).abs() <= 1e-6);
        if !same {
            differing += 1;
            if differing <= 5 {
                eprintln!("bench: differs: {name:?}: brute force {b:?}, candidate {c:?}");
            }
        }
    }
    (brute_s, candidate_s, differing)
}

/// Peak resident memory in KiB from `/proc/self/status`, if available.
fn peak_rss_kib() -> Option<u64> {
    status_kib("VmHWM:")
}

/// Resident memory now in KiB, if available.
fn rss_kib() -> Option<u64> {
    status_kib("VmRSS:")
}

/// A `/proc/self/status` figure in KiB.
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
