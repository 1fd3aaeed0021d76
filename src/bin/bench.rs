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
//! cargo run --release --bin bench -- [--rows N] [--brute N] [--lists PATH]... [--json]
//! ```
//!
//! Without `--lists` it loads the newest US lists under `../shared/lists`
//! (OFAC SDN and Non-SDN CSV, trade.gov CSL); without those it builds a
//! seeded synthetic list. Names are generated in chunks, never all at once.

use anyhow::{Context, Result, bail};
use clap::Parser;
use rayon::prelude::*;
use sanctions::index::{Index, IndexBuilder};
use sanctions::matcher::{DEFAULT_THRESHOLD, Match, Matcher};
use sanctions::model::{Entity, EntityType, Location, Name, NameKind};
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
    /// Names to screen.
    #[arg(long, default_value_t = 1_000_000)]
    rows: u64,
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
}

fn main() -> Result<()> {
    let args = Args::parse();
    // 1. Lists: load (parse) and index, timed separately.
    let lists = index_lists(&args)?;
    let index = &lists.index;
    if let Some(path) = &args.check {
        return check(index, &args, path);
    }
    // 2. Screen generated names in parallel chunks.
    let run = screen_generated(index, &args)?;
    // 3. Brute-force baseline on a subset with another seed.
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
fn index_lists(args: &Args) -> Result<Lists> {
    let t = Instant::now();
    let (entities, source, what) = load_lists(args)?;
    let load_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut builder = IndexBuilder::new();
    builder.extend(entities);
    let index = builder.build();
    let index_s = t.elapsed().as_secs_f64();
    if index.names.is_empty() {
        bail!("the lists hold no names to screen against");
    }
    println!(
        "lists: {source}: {} entities, {} names",
        index.entities.len(),
        index.name_count()
    );
    println!("load:  {load_s:.3} s ({what})");
    println!("index: {index_s:.3} s");
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
    let names = read_names(path)?;
    let matcher = Matcher::new(index, args.threshold, 0);
    let (brute_s, candidate_s, differing) = compare(&matcher, &names);
    println!(
        "check: {} names of {}: brute force {:.1} s, candidate search {:.1} s; names with differing hits at threshold {}: {differing}",
        names.len(),
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
            e.list.clone(),
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
    Ok(Baseline {
        names: names.len(),
        brute_s,
        candidate_s,
        differing,
    })
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
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

// ---------------------------------------------------------------------------
// Lists

/// The entities to index, where they came from, and what loading them meant.
fn load_lists(args: &Args) -> Result<(Vec<Entity>, String, &'static str)> {
    let paths = if !args.lists.is_empty() {
        args.lists.clone()
    } else if Path::new(SHARED_LISTS).is_dir() {
        default_lists(Path::new(SHARED_LISTS))?
    } else {
        println!("{SHARED_LISTS} not found and no --lists given: using a synthetic list");
        let entities = synthetic_list(args.seed);
        return Ok((
            entities,
            "synthetic (seeded)".to_string(),
            "generating the synthetic list",
        ));
    };
    for p in &paths {
        println!("list path: {}", p.display());
    }
    let catalog = sanctions::lists::load_paths(&paths)?;
    if !catalog.skipped.is_empty() || !catalog.warnings.is_empty() {
        println!(
            "list files: {} loaded, {} skipped, {} warnings",
            catalog.files.len(),
            catalog.skipped.len(),
            catalog.warnings.len()
        );
    }
    let what = paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    Ok((catalog.entities, what, "parsing the list files"))
}

/// The newest OFAC SDN CSV, OFAC Non-SDN CSV and trade.gov CSL directories.
/// An OFAC directory counts only if it holds its primary file: a newer one
/// with only the companion files (`add.csv`, `alt.csv`) would load nothing.
fn default_lists(root: &Path) -> Result<Vec<PathBuf>> {
    let ofac = root.join("ofac");
    let mut paths = Vec::new();
    for (prefix, primary) in [("sdn_csv_", "sdn.csv"), ("cons_csv_", "cons_prim.csv")] {
        let mut dirs = subdirs(&ofac, prefix)?;
        while let Some(d) = dirs.pop() {
            if d.join(primary).is_file() {
                paths.push(d);
                break;
            }
            println!(
                "note: {} has no {primary}, taking an older release",
                d.display()
            );
        }
    }
    if let Some(d) = subdirs(&root.join("trade_gov_csl"), "")?.pop() {
        paths.push(d);
    }
    if paths.is_empty() {
        bail!("{}: no US list directories found", root.display());
    }
    Ok(paths)
}

/// The subdirectories of `dir` whose names start with `prefix`, sorted by
/// name (so the newest date comes last); none if `dir` does not exist.
fn subdirs(dir: &Path, prefix: &str) -> Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).with_context(|| format!("{}: cannot read", dir.display()))? {
        let e = e.with_context(|| format!("{}: cannot read", dir.display()))?;
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with(prefix) && !name.starts_with('.') && e.path().is_dir() {
            out.push(e.path());
        }
    }
    out.sort();
    Ok(out)
}

/// A seeded synthetic list: 15,000 entities (organizations and people), about
/// 37,000 names, made of coined words so that clean names rarely meet them.
fn synthetic_list(seed: u64) -> Vec<Entity> {
    const ENTITIES: usize = 15_000;
    #[rustfmt::skip]
    const SYLLABLES: &[&str] = &[
        "ar", "bel", "cor", "dan", "el", "fer", "gar", "hol", "in", "jor", "kal", "lum", "mar",
        "nor", "ost", "pal", "quin", "ros", "sal", "tor", "ul", "vel", "var", "zen", "yor", "zan",
        "tek", "kov", "grad", "stan", "neft", "prom", "gaz", "rud", "sib", "ka", "ra", "mi", "to",
        "sha", "dar", "bak", "kir", "lan", "mes", "pet", "tash", "han", "sun", "jin",
    ];
    #[rustfmt::skip]
    const SUFFIXES: &[&str] = &[
        "ov", "ev", "enko", "ski", "ani", "zadeh", "ic", "escu", "yan", "ullah", "i", "in",
    ];
    #[rustfmt::skip]
    const GIVEN: &[&str] = &[
        "Ivan", "Sergei", "Dmitry", "Alexei", "Mohammad", "Ali", "Hassan", "Reza", "Omar", "Yusuf",
        "Khalid", "Ahmad", "Viktor", "Oleg", "Nikolai", "Mikhail", "Farid", "Tariq", "Kamal",
        "Rustam", "Timur", "Aziz", "Nadia", "Olga", "Elena", "Irina", "Fatima", "Leila", "Zainab",
        "Tatiana", "Chol", "Song", "Jong", "Hyon", "Yong", "Ramon", "Diego", "Hugo", "Nasser",
        "Samir",
    ];
    let mut rng = SplitMix64(seed ^ 0xA5A5_5A5A_C3C3_3C3C);
    let coined = |rng: &mut SplitMix64, parts: usize| -> String {
        let mut w: String = (0..parts).map(|_| *rng.pick(SYLLABLES)).collect();
        if let Some(first) = w.get(..1) {
            w = first.to_uppercase() + &w[1..];
        }
        w
    };
    let mut entities = Vec::with_capacity(ENTITIES);
    for i in 0..ENTITIES {
        let person = rng.below(100) < 45;
        let mut names = Vec::new();
        if person {
            let surname = coined(&mut rng, 2) + *rng.pick(SUFFIXES);
            let given = rng.pick(GIVEN);
            names.push(format!("{}, {given}", surname.to_uppercase()));
            for _ in 0..rng.below(4) {
                let alias = match rng.below(3) {
                    0 => format!("{given} {surname}"),
                    1 => format!("{given} {} {surname}", rng.pick(GIVEN)),
                    _ => format!("{} {}", rng.pick(GIVEN), transliterate(&surname)),
                };
                names.push(alias);
            }
        } else {
            let words = 1 + rng.below(2) as usize;
            let core: Vec<String> = (0..words)
                .map(|_| {
                    let parts = 2 + rng.below(2) as usize;
                    coined(&mut rng, parts)
                })
                .collect();
            let core = core.join(" ");
            let industry = rng.pick(INDUSTRY);
            names.push(format!("{core} {industry} {}", rng.pick(LEGAL_FORMS)));
            for _ in 0..rng.below(4) {
                let alias = match rng.below(4) {
                    0 => format!("{core} {industry} {}", rng.pick(LEGAL_FORMS)),
                    1 => format!("{} {industry}", transliterate(&core)),
                    2 => format!("{core} {}", rng.pick(LEGAL_FORMS)),
                    _ => format!("{} {}", coined(&mut rng, 3), rng.pick(INDUSTRY)),
                };
                names.push(alias);
            }
        }
        let names = names
            .into_iter()
            .enumerate()
            .map(|(k, text)| {
                let kind = if k == 0 {
                    NameKind::Primary
                } else {
                    NameKind::Strong
                };
                Name::new(text, kind)
            })
            .collect();
        entities.push(Entity {
            id: format!("synthetic:{}", i + 1),
            list: "Synthetic List".to_string(),
            entity_type: if person {
                EntityType::Person
            } else {
                EntityType::Organization
            },
            names,
            programs: vec!["SYNTHETIC".to_string()],
            addresses: Vec::new(),
            countries: Vec::new(),
            identifiers: Vec::new(),
            remarks: None,
            ofac_uid: None,
            source: Location {
                file: "synthetic".to_string(),
                line: i as u64 + 1,
            },
        });
    }
    entities
}

/// A spelling variant of the kind transliteration produces.
fn transliterate(s: &str) -> String {
    s.replace('k', "c").replace('v', "w").replace("y", "i")
}

// ---------------------------------------------------------------------------
// Name generator

/// Company words: industries and trades.
#[rustfmt::skip]
const INDUSTRY: &[&str] = &[
    "Logistics", "Foods", "Textiles", "Software", "Systems", "Engineering", "Construction",
    "Consulting", "Capital", "Partners", "Trading", "Pharmaceuticals", "Medical", "Dental",
    "Bakery", "Furniture", "Packaging", "Plastics", "Metals", "Electronics", "Robotics",
    "Analytics", "Media", "Printing", "Realty", "Properties", "Insurance", "Marine", "Aviation",
    "Energy", "Solar", "Water", "Farms", "Dairy", "Brewing", "Wines", "Apparel", "Footwear",
    "Motors", "Auto Parts", "Tools", "Instruments", "Labs", "Biotech", "Security", "Networks",
    "Telecom", "Travel", "Hotels", "Restaurants", "Catering", "Cleaning", "Staffing", "Education",
    "Publishing", "Design", "Architecture", "Chemicals", "Paper", "Glass", "Ceramics", "Freight",
    "Shipping", "Mining", "Timber", "Nurseries", "Optics", "Audio", "Lighting", "Flooring",
];

/// Optional second company word.
#[rustfmt::skip]
const COMPANY_TAIL: &[&str] = &[
    "Group", "Services", "Solutions", "Supply", "International", "Industries", "Enterprises",
    "Company", "& Sons", "Brothers", "Holdings", "Works",
];

/// Legal forms.
#[rustfmt::skip]
const LEGAL_FORMS: &[&str] = &[
    "Inc", "Inc.", "LLC", "Ltd", "Limited", "Corp", "Corporation", "GmbH", "AG", "S.A.", "SAS",
    "S.p.A.", "B.V.", "N.V.", "AB", "A/S", "Oy", "Pty Ltd", "Co., Ltd.", "PLC", "LLP", "K.K.",
    "Sdn Bhd", "Pte Ltd", "SRL", "KG",
];

/// Places and landscape words that start company names.
#[rustfmt::skip]
const PLACES: &[&str] = &[
    "Harbor", "Riverside", "Summit", "Pacific", "Atlantic", "Northern", "Westfield", "Oakridge",
    "Lakeside", "Bayview", "Granite", "Cedar", "Maple", "Pinecrest", "Highland", "Meridian",
    "Silverline", "Bluewater", "Redwood", "Evergreen", "Clearwater", "Stonebridge", "Brookfield",
    "Fairview", "Greenfield", "Kingston", "Hamilton", "Bristol", "Cambridge", "Oxford", "Lyon",
    "Rotterdam", "Hamburg", "Osaka", "Melbourne", "Auckland", "Vancouver", "Geneva", "Porto",
    "Valencia", "Bergen", "Tampere", "Yokohama", "Busan", "Penang", "Adelaide", "Denver",
    "Portland", "Savannah", "Alpine",
];

/// Given names (English, European, East and South Asian).
#[rustfmt::skip]
const GIVEN_NAMES: &[&str] = &[
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William",
    "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Charles", "Karen", "Daniel", "Emma", "Olivia", "Sophie", "Lucas", "Hans", "Greta", "Pierre",
    "Camille", "Giulia", "Marco", "Luca", "Sofia", "Javier", "Lucia", "Carlos", "Ana", "Joao",
    "Pedro", "Lars", "Ingrid", "Sven", "Anna", "Piotr", "Katarzyna", "Jan", "Eva", "Hiroshi",
    "Yuki", "Kenji", "Haruto", "Mei", "Wei", "Jun", "Minjun", "Seoyeon", "Jiho", "Priya", "Rahul",
    "Anil", "Deepa", "Arjun", "Linh", "Minh", "Siti", "Budi", "Chloe", "Noah", "Liam", "Ethan",
];

/// Surnames (English, European, East and South Asian).
#[rustfmt::skip]
const SURNAMES: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
    "Taylor", "Thomas", "Moore", "Jackson", "White", "Harris", "Clark", "Lewis", "Walker", "Hall",
    "Young", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Rossi",
    "Russo", "Ferrari", "Esposito", "Bianchi", "Dubois", "Moreau", "Laurent", "Lefebvre", "Jansen",
    "de Vries", "Nielsen", "Hansen", "Johansson", "Lindqvist", "Kowalski", "Nowak", "Horvat",
    "Silva", "Santos", "Oliveira", "Pereira", "Fernandez", "Lopez", "Tanaka", "Suzuki", "Sato",
    "Watanabe", "Takahashi", "Chen", "Zhang", "Huang", "Zhao", "Park", "Choi", "Nguyen", "Tran",
    "Patel", "Shah", "Gupta", "Iyer", "Reddy", "Tan", "Lim", "Wong", "Murphy", "O'Brien", "Kelly",
    "MacLeod",
];

/// A small deterministic PRNG (SplitMix64).
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Generates names to screen: half disguised listed names, half clean names.
struct Generator<'a> {
    index: &'a Index,
    rng: SplitMix64,
}

impl<'a> Generator<'a> {
    fn new(index: &'a Index, seed: u64) -> Generator<'a> {
        Generator {
            index,
            rng: SplitMix64(seed),
        }
    }

    /// The next name, and whether it was made from a listed name.
    fn next_name(&mut self) -> (bool, String) {
        if self.rng.below(2) == 0 {
            (true, self.disguised_listed())
        } else {
            (false, self.clean())
        }
    }

    /// A random listed name with one random disguise (or none).
    fn disguised_listed(&mut self) -> String {
        let idx = self.index;
        let n = &idx.names[self.rng.below(idx.names.len() as u64) as usize];
        let text = &idx.entities[n.entity as usize].names[n.name as usize].text;
        let r = &mut self.rng;
        match r.below(8) {
            0..=2 => typo(r, text),
            3 => {
                // Drop a word.
                let mut words: Vec<&str> = text.split_whitespace().collect();
                if words.len() > 1 {
                    words.remove(r.below(words.len() as u64) as usize);
                }
                words.join(" ")
            }
            4 => {
                // Swap two words.
                let mut words: Vec<&str> = text.split_whitespace().collect();
                if words.len() > 1 {
                    let i = r.below(words.len() as u64 - 1) as usize;
                    words.swap(i, i + 1);
                }
                words.join(" ")
            }
            5 => match r.below(3) {
                0 => text.to_lowercase(),
                1 => text.to_uppercase(),
                _ => title_case(text),
            },
            6 => format!("{text} {}", r.pick(LEGAL_FORMS)),
            _ => text.clone(),
        }
    }

    /// A real-looking name of a company or a person.
    fn clean(&mut self) -> String {
        let r = &mut self.rng;
        if r.below(2) == 0 {
            let start = if r.below(2) == 0 {
                r.pick(SURNAMES)
            } else {
                r.pick(PLACES)
            };
            let industry = r.pick(INDUSTRY);
            match r.below(3) {
                0 => format!(
                    "{start} {industry} {} {}",
                    r.pick(COMPANY_TAIL),
                    r.pick(LEGAL_FORMS)
                ),
                _ => format!("{start} {industry} {}", r.pick(LEGAL_FORMS)),
            }
        } else {
            let (given, surname) = (r.pick(GIVEN_NAMES), r.pick(SURNAMES));
            match r.below(4) {
                0 => {
                    let initial = (b'A' + r.below(26) as u8) as char;
                    format!("{given} {initial}. {surname}")
                }
                _ => format!("{given} {surname}"),
            }
        }
    }
}

/// One typo: a letter deleted, two neighbouring letters swapped, or a
/// letter replaced.
fn typo(r: &mut SplitMix64, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let letters: Vec<usize> = (0..chars.len())
        .filter(|&i| chars[i].is_alphabetic())
        .collect();
    if letters.len() < 2 {
        return text.to_string();
    }
    let i = *r.pick(&letters);
    match r.below(3) {
        0 => {
            chars.remove(i);
        }
        1 => {
            let j = if i + 1 < chars.len() && chars[i + 1].is_alphabetic() {
                i + 1
            } else {
                letters[0]
            };
            chars.swap(i, j);
        }
        _ => {
            let c = (b'a' + r.below(26) as u8) as char;
            chars[i] = if chars[i].is_uppercase() {
                c.to_ascii_uppercase()
            } else {
                c
            };
        }
    }
    chars.into_iter().collect()
}

/// Each word with a capital first letter and the rest in lower case.
fn title_case(text: &str) -> String {
    text.split_whitespace()
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f
                    .to_uppercase()
                    .chain(cs.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}
