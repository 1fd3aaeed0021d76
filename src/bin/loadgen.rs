//! Load benchmark for `sanctions serve`: requests per second and latency
//! percentiles for single-name `/match` calls, 100-query batches and
//! Watchman's `/v2/search`.
//!
//! ```text
//! cargo run --release --bin loadgen -- [--url HOST:PORT] [--lists PATH]... \
//!     [--endpoint match|search] [--batch N] [--connections N] [--seconds S] \
//!     [--reload-every S]
//! ```
//!
//! Without `--url` it starts the server in this process on a free loopback
//! port, on `--lists` or else the US lists under `../shared/lists` (the
//! screening benchmark's `us` preset), else the bundled sample. With `--url`
//! it loads the same lists only to make names, and calls that server.
//!
//! Each connection is a client thread with one keep-alive HTTP/1.1
//! connection, sending a request as soon as the last is answered (a closed
//! loop). Names are drawn from a seeded pool of disguised listed names and
//! clean names, as the screening benchmark makes them. Any answer but 200 is
//! a failure, counted and shown.

#[path = "bench/names.rs"]
#[allow(dead_code)]
mod names;
#[path = "bench/us.rs"]
mod us;

use anyhow::{Context, Result, bail};
use clap::{Parser, ValueEnum};
use sanctions::ServeConfig;
use sanctions::index::IndexBuilder;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The same allocator as the `sanctions` binary, so that an in-process
/// server is measured as `sanctions serve` runs.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Where the shared list files live, relative to the crate root.
const SHARED_LISTS: &str = "../shared/lists";

/// Load benchmark for `sanctions serve`.
#[derive(Debug, Parser)]
#[command(name = "loadgen", about, long_about = None)]
struct Args {
    /// A running server (`host:port`); without it one is started in-process.
    #[arg(long)]
    url: Option<String>,
    /// List file or directory (repeatable); default: the US lists under
    /// `../shared/lists`, else the bundled sample.
    #[arg(long = "lists", value_name = "PATH")]
    lists: Vec<PathBuf>,
    /// Which endpoint to call.
    #[arg(long, value_enum, default_value_t = Endpoint::Match)]
    endpoint: Endpoint,
    /// Queries per `/match` request (1 to 100).
    #[arg(long, default_value_t = 1)]
    batch: usize,
    /// Concurrent keep-alive connections.
    #[arg(long, default_value_t = 4)]
    connections: usize,
    /// Seconds of measured load, after a second of warm-up.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Names in the pool the requests draw from.
    #[arg(long, default_value_t = 20_000)]
    pool: usize,
    /// Reload the lists (`POST /v1/reload`) every this many seconds during
    /// the measured run: every request must still be answered.
    #[arg(long, value_name = "SECS")]
    reload_every: Option<f64>,
    /// Seed of the name pool.
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Endpoint {
    /// yente's `POST /match/default`.
    Match,
    /// Watchman's `GET /v2/search`.
    Search,
}

fn main() -> Result<()> {
    let args = Args::parse();
    if !(1..=100).contains(&args.batch) {
        bail!("--batch must be 1 to 100, got {}", args.batch);
    }
    if args.batch > 1 && args.endpoint == Endpoint::Search {
        bail!("--batch applies to --endpoint match only");
    }
    let lists = list_paths(&args)?;
    let names = Arc::new(name_pool(&lists, args.pool, args.seed)?);
    let (server, addr) = match &args.url {
        Some(url) => (None, resolve(url)?),
        None => {
            let t = Instant::now();
            let s = sanctions::serve::start(&ServeConfig {
                lists: lists.clone(),
                listen: "127.0.0.1:0".parse()?,
                token: None,
                threshold: sanctions::matcher::DEFAULT_THRESHOLD,
                limit: 5,
                block_threshold: 0.95,
                decisions: None,
                max_body: 16 << 20,
                request_timeout: Duration::from_secs(30),
                watch: None,
            })?;
            println!(
                "server: in-process on {} ({:.2} s to load and index)",
                s.addr,
                t.elapsed().as_secs_f64()
            );
            let addr = s.addr;
            (Some(s), addr)
        }
    };
    println!(
        "load: {:?}, {} quer{} a request, {} connections, {} s, pool of {} names",
        args.endpoint,
        args.batch,
        if args.batch == 1 { "y" } else { "ies" },
        args.connections,
        args.seconds,
        names.len()
    );
    // Warm-up: fill the server's word cache and the connections' windows.
    run(&args, addr, &names, Duration::from_secs(1))?;
    let reloader = args.reload_every.map(|every| Reloader::start(addr, every));
    let r = run(&args, addr, &names, Duration::from_secs_f64(args.seconds))?;
    if let Some(reloader) = reloader {
        let (done, failed) = reloader.stop()?;
        println!("reloads: {done} during the run, {failed} failed");
        if failed > 0 {
            bail!("{failed} reloads failed");
        }
    }
    let mut lat = r.latencies;
    lat.sort_unstable();
    let pct = |p: f64| -> f64 {
        if lat.is_empty() {
            return 0.0;
        }
        let i = ((lat.len() as f64 * p).ceil() as usize).clamp(1, lat.len()) - 1;
        lat[i] as f64 / 1000.0
    };
    let rate = lat.len() as f64 / r.seconds;
    println!(
        "requests: {} answered, {} failed, in {:.2} s: {:.0} requests/s ({:.0} names/s)",
        lat.len(),
        r.failures.len(),
        r.seconds,
        rate,
        rate * args.batch as f64
    );
    println!(
        "latency ms: p50 {:.2}, p90 {:.2}, p99 {:.2}, max {:.2}",
        pct(0.50),
        pct(0.90),
        pct(0.99),
        pct(1.0)
    );
    for f in r.failures.iter().take(3) {
        println!("failure: {f}");
    }
    drop(server);
    if !r.failures.is_empty() {
        bail!("{} requests failed", r.failures.len());
    }
    Ok(())
}

/// The lists to serve (or to draw names from).
fn list_paths(args: &Args) -> Result<Vec<PathBuf>> {
    if !args.lists.is_empty() {
        return Ok(args.lists.clone());
    }
    if Path::new(SHARED_LISTS).is_dir() {
        let paths = us::us_lists(Path::new(SHARED_LISTS))?;
        for p in &paths {
            println!("list path: {}", p.display());
        }
        return Ok(paths);
    }
    println!("{SHARED_LISTS} not found and no --lists given: using the bundled sample lists");
    Ok(Vec::new())
}

/// `pool` names: disguised listed names and clean names, seeded.
fn name_pool(lists: &[PathBuf], pool: usize, seed: u64) -> Result<Vec<String>> {
    let catalog = if lists.is_empty() {
        sanctions::lists::load_bundled()?
    } else {
        sanctions::lists::load_paths(lists)?
    };
    let mut b = IndexBuilder::new();
    b.extend(catalog.entities);
    let index = b.build();
    let mut g = names::Generator::new(&index, seed);
    Ok((0..pool).map(|_| g.next_name().1).collect())
}

fn resolve(url: &str) -> Result<SocketAddr> {
    let hostport = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    hostport
        .to_socket_addrs()
        .with_context(|| format!("--url {url}: not a host:port"))?
        .next()
        .with_context(|| format!("--url {url}: resolves to no address"))
}

/// What a run measured.
struct Run {
    /// Microseconds per answered request.
    latencies: Vec<u32>,
    /// Requests that failed, with why.
    failures: Vec<String>,
    seconds: f64,
}

/// `connections` closed-loop clients for `length`.
fn run(args: &Args, addr: SocketAddr, names: &Arc<Vec<String>>, length: Duration) -> Result<Run> {
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let clients: Vec<_> = (0..args.connections)
        .map(|c| {
            let (stop, names) = (Arc::clone(&stop), Arc::clone(names));
            let (endpoint, batch) = (args.endpoint, args.batch);
            std::thread::spawn(move || client(addr, c, endpoint, batch, &names, &stop))
        })
        .collect();
    std::thread::sleep(length);
    stop.store(true, Ordering::Relaxed);
    let mut latencies = Vec::new();
    let mut failures = Vec::new();
    for c in clients {
        let (l, f) = c
            .join()
            .map_err(|_| anyhow::anyhow!("a client thread panicked"))??;
        latencies.extend(l);
        failures.extend(f);
    }
    Ok(Run {
        latencies,
        failures,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// One client: requests on one connection until `stop`.
fn client(
    addr: SocketAddr,
    c: usize,
    endpoint: Endpoint,
    batch: usize,
    names: &[String],
    stop: &AtomicBool,
) -> Result<(Vec<u32>, Vec<String>)> {
    let mut conn = Connection::open(addr)?;
    let (mut latencies, mut failures) = (Vec::new(), Vec::new());
    // Each client walks the pool from its own place, with its own stride.
    let mut i = c * names.len() / 8;
    while !stop.load(Ordering::Relaxed) {
        let (method, path, body) = match endpoint {
            Endpoint::Match => {
                let queries: serde_json::Map<String, Value> = (0..batch)
                    .map(|k| {
                        let name = &names[(i + k) % names.len()];
                        (
                            format!("q{k}"),
                            json!({"schema": "LegalEntity", "properties": {"name": [name]}}),
                        )
                    })
                    .collect();
                let body = json!({ "queries": queries }).to_string();
                ("POST", "/match/default".to_string(), body)
            }
            Endpoint::Search => {
                let name = &names[i % names.len()];
                let q: String = name
                    .bytes()
                    .map(|b| match b {
                        b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => {
                            (b as char).to_string()
                        }
                        b' ' => "+".to_string(),
                        _ => format!("%{b:02X}"),
                    })
                    .collect();
                ("GET", format!("/v2/search?name={q}&limit=5"), String::new())
            }
        };
        i += batch;
        let t = Instant::now();
        match conn.call(method, &path, &body) {
            Ok((200, _)) => latencies.push(t.elapsed().as_micros().min(u32::MAX as u128) as u32),
            Ok((status, text)) => failures.push(format!("{status} {path}: {text}")),
            Err(e) => {
                failures.push(format!("{path}: {e:#}"));
                conn = Connection::open(addr)?;
            }
        }
    }
    Ok((latencies, failures))
}

/// A thread that reloads the server's lists at a steady pace.
struct Reloader {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<Result<(usize, usize)>>,
}

impl Reloader {
    fn start(addr: SocketAddr, every: f64) -> Reloader {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let mut conn = Connection::open(addr)?;
            let (mut done, mut failed) = (0, 0);
            let pause = Duration::from_secs_f64(every.max(0.01));
            loop {
                std::thread::sleep(pause);
                if flag.load(Ordering::Relaxed) {
                    return Ok((done, failed));
                }
                match conn.call("POST", "/v1/reload", "") {
                    Ok((200, _)) => done += 1,
                    Ok((status, text)) => {
                        eprintln!("reload: {status} {text}");
                        failed += 1;
                    }
                    Err(e) => {
                        eprintln!("reload: {e:#}");
                        failed += 1;
                        conn = Connection::open(addr)?;
                    }
                }
            }
        });
        Reloader { stop, thread }
    }

    /// Stop; the reloads done and failed.
    fn stop(self) -> Result<(usize, usize)> {
        self.stop.store(true, Ordering::Relaxed);
        self.thread
            .join()
            .map_err(|_| anyhow::anyhow!("the reload thread panicked"))?
    }
}

/// One keep-alive HTTP/1.1 connection.
struct Connection {
    addr: SocketAddr,
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Connection {
    fn open(addr: SocketAddr) -> Result<Connection> {
        let s = TcpStream::connect(addr).with_context(|| format!("cannot connect to {addr}"))?;
        s.set_nodelay(true)?;
        s.set_read_timeout(Some(Duration::from_secs(60)))?;
        Ok(Connection {
            addr,
            reader: BufReader::new(s.try_clone()?),
            writer: s,
        })
    }

    /// Send a request, read its answer: status and body.
    fn call(&mut self, method: &str, path: &str, body: &str) -> Result<(u16, String)> {
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            self.addr,
            body.len()
        );
        self.writer.write_all(head.as_bytes())?;
        self.writer.write_all(body.as_bytes())?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .with_context(|| format!("not an HTTP status line: {line:?}"))?;
        let (mut length, mut chunked) = (None, false);
        loop {
            line.clear();
            if self.reader.read_line(&mut line)? == 0 {
                bail!("connection closed in the headers");
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                let k = k.trim().to_ascii_lowercase();
                if k == "content-length" {
                    length = v.trim().parse::<usize>().ok();
                } else if k == "transfer-encoding" && v.contains("chunked") {
                    chunked = true;
                }
            }
        }
        let mut out = Vec::new();
        if chunked {
            loop {
                line.clear();
                self.reader.read_line(&mut line)?;
                let n = usize::from_str_radix(line.trim(), 16)
                    .with_context(|| format!("bad chunk size {line:?}"))?;
                let mut chunk = vec![0; n + 2];
                self.reader.read_exact(&mut chunk)?;
                if n == 0 {
                    break;
                }
                out.extend_from_slice(&chunk[..n]);
            }
        } else {
            let n = length.context("an answer with neither Content-Length nor chunks")?;
            out.resize(n, 0);
            self.reader.read_exact(&mut out)?;
        }
        Ok((status, String::from_utf8_lossy(&out).into_owned()))
    }
}
