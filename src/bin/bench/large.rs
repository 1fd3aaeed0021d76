//! `--large N`: how the cost of a name grows when a list the size of
//! OpenSanctions' default collection is added. The same names are screened
//! against the lists alone, then against the lists plus `N` made-up
//! FollowTheMoney entities (`../shared/scale/make_large_list.py`, seed 1,
//! made once and cached under `target/scale/`), in one run; each phase's
//! load and index times, names/s and peak memory are printed, and the ratio.

use super::names::Generator;
use super::{Args, Cost, Lists, index_lists, peak_rss_kib, read_names};
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use sanctions::matcher::Matcher;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The generator script, relative to the crate root.
const SCRIPT: &str = "../shared/scale/make_large_list.py";

/// The seed the large list is made with.
const SEED: u64 = 1;

/// The large list's file of `n` entities, made if it is not there yet.
pub(super) fn large_list(n: u64) -> Result<PathBuf> {
    let path = PathBuf::from(format!("target/scale/large-{n}-seed{SEED}.ftm.json"));
    if path.is_file() {
        return Ok(path);
    }
    if !Path::new(SCRIPT).is_file() {
        bail!("{SCRIPT} not found: --large needs it to make the large list");
    }
    std::fs::create_dir_all("target/scale").context("cannot create target/scale")?;
    let partial = path.with_extension("partial");
    println!("making {} ({n} entities, seed {SEED})...", path.display());
    let status = Command::new("python3")
        .arg(SCRIPT)
        .args(["--entities", &n.to_string(), "--seed", &SEED.to_string()])
        .arg("--out")
        .arg(&partial)
        .status()
        .context("cannot run python3 (the large list is made by a Python script)")?;
    if !status.success() {
        bail!("{SCRIPT} failed ({status}); it needs `pip install faker==40.54.0`");
    }
    std::fs::rename(&partial, &path)
        .with_context(|| format!("cannot move the large list to {}", path.display()))?;
    Ok(path)
}

/// One phase's figures.
struct Phase {
    entities: usize,
    load_s: f64,
    index_s: f64,
    rate: f64,
    /// Names per second of CPU time (user and system, every thread): less
    /// swayed than `rate` by other work on a shared machine.
    cpu_rate: Option<f64>,
    hits: usize,
    peak_kib: Option<u64>,
    /// Per name of a sample, after the timed pass: listed names reached and
    /// scored, and postings walked.
    cost: Cost,
}

/// One name in this many is prepared again to show where its cost goes.
const COST_SAMPLE: usize = 16;

/// Screen the same names against the lists alone and with the large list.
pub(super) fn run(args: &Args, n: u64) -> Result<()> {
    let large = large_list(n)?;
    // The names: generated from the lists alone (half disguised listed
    // names, half clean ones), and those of `--names` if given.
    let alone = index_lists(args, &[])?;
    let mut names: Vec<String> = {
        let mut g = Generator::new(&alone.index, args.seed);
        (0..args.rows).map(|_| g.next_name().1).collect()
    };
    if let Some(path) = &args.names {
        names.extend(read_names(path)?);
    }
    println!(
        "names: {} ({} generated{})",
        names.len(),
        args.rows,
        args.names.as_ref().map_or(String::new(), |p| format!(
            ", the rest from {}",
            p.display()
        ))
    );
    let first = screen(args, alone, &names)?;
    let second = screen(args, index_lists(args, &[large])?, &names)?;
    let ratio = second.rate / first.rate;
    let cpu_ratio = first.cpu_rate.zip(second.cpu_rate).map(|(a, b)| b / a);
    for (what, p) in [("lists alone", &first), ("with the large list", &second)] {
        println!(
            "{what}: {} entities; load {:.3} s, index {:.3} s; {:.0} names/s ({} names per CPU second), {} hits; peak memory {}",
            p.entities,
            p.load_s,
            p.index_s,
            p.rate,
            p.cpu_rate
                .map_or("unknown".to_string(), |r| format!("{r:.0}")),
            p.hits,
            p.peak_kib.map_or("unknown".to_string(), |k| format!(
                "{:.1} MiB",
                k as f64 / 1024.0
            ))
        );
        let c = &p.cost;
        println!(
            "{what}: per name (one in {COST_SAMPLE}, {} names): {:.0} listed names reached, {:.0} scored; postings walked {}",
            c.names,
            c.per_name(c.reached),
            c.per_name(c.scored),
            c.walked(),
        );
    }
    println!(
        "large: names/s with the large list / lists alone = {ratio:.3} (1/{:.1}); load and index {:.3} s",
        1.0 / ratio,
        second.load_s + second.index_s
    );
    if let Some(r) = cpu_ratio {
        println!(
            "large: names per CPU second, with the large list / lists alone = {r:.3} (1/{:.1})",
            1.0 / r
        );
    }
    Ok(())
}

/// Screen the names in parallel and measure.
fn screen(args: &Args, lists: Lists, names: &[String]) -> Result<Phase> {
    let matcher = Matcher::new(&lists.index, args.threshold, super::TOP);
    let (t, cpu) = (Instant::now(), cpu_seconds());
    let hits: usize = names.par_iter().map(|n| matcher.search(n).len()).sum();
    let seconds = t.elapsed().as_secs_f64();
    let cpu_rate = cpu
        .zip(cpu_seconds())
        .map(|(a, b)| names.len() as f64 / (b - a));
    let cost = Cost::of(&matcher, names.iter().step_by(COST_SAMPLE));
    let phase = Phase {
        entities: lists.index.entities.len(),
        load_s: lists.load_s,
        index_s: lists.index_s,
        rate: names.len() as f64 / seconds,
        cpu_rate,
        hits,
        peak_kib: peak_rss_kib(),
        cost,
    };
    drop(lists);
    Ok(phase)
}

/// The CPU time this process has used (user and system, every thread), in
/// seconds, from `/proc/self/stat` (Linux; its clock ticks are 1/100 s).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command's closing parenthesis; utime and stime
    // are the 14th and 15th of the whole line.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split_whitespace().skip(11);
    let user: f64 = fields.next()?.parse().ok()?;
    let system: f64 = fields.next()?.parse().ok()?;
    Some((user + system) / 100.0)
}
