//! Running the binary of a [`Dir`] under watch: killed past [`TIME_LIMIT`]
//! (a hang), with its peak resident memory noted while it runs, for the
//! tests that feed it broken files and must see it end, sane, in bounded
//! time and memory.
//!
//! A module of the test crate (`tests/it/main.rs`), as `crate::watch`, beside `dir.rs`.

use crate::dir::{Dir, s};
use serde_json::Value;
use std::io::Read;
use std::path::Path;
use std::process::Output;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A run taking longer than this is a hang (the slowest case, a 10 MB line
/// in a debug build, takes about a second).
const TIME_LIMIT: Duration = Duration::from_secs(30);

/// Peak resident memory a run may reach, in kB: the binary with the bundled
/// lists takes about 35 MB; a 10 MB field a few copies of it.
const MEMORY_LIMIT_KB: u64 = 400 * 1024;

/// How often a running binary's memory is read.
const POLL: Duration = Duration::from_millis(2);

/// A finished run of the binary, with its peak memory when it could be read.
pub struct Run {
    pub out: Output,
    pub peak_kb: Option<u64>,
    pub took: Duration,
}

impl Run {
    pub fn code(&self) -> Option<i32> {
        self.out.status.code()
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }

    /// Exited 0, 1 or 2 (not killed), did not panic, in bounded time and memory.
    pub fn sane(&self, what: &str) -> &Run {
        let err = self.stderr();
        assert!(
            matches!(self.code(), Some(0..=2)),
            "{what}: exit {:?}\n{err}",
            self.out.status
        );
        assert!(!err.contains("panicked"), "{what}: panicked\n{err}");
        if let Some(kb) = self.peak_kb {
            assert!(kb < MEMORY_LIMIT_KB, "{what}: peak memory {kb} kB");
        }
        self
    }

    /// An error (exit 2) whose message holds `needle` (a file, `file:line`...).
    pub fn fails_with(&self, what: &str, needle: &str) {
        self.sane(what);
        let err = self.stderr();
        assert_eq!(self.code(), Some(2), "{what}: expected an error\n{err}");
        assert!(err.contains(needle), "{what}: {needle:?} not in\n{err}");
    }

    pub fn json(&self, what: &str) -> Value {
        serde_json::from_slice(&self.out.stdout)
            .unwrap_or_else(|e| panic!("{what}: {e}\n{}\n{}", self.stdout(), self.stderr()))
    }
}

/// Read a stream to its end on a thread of its own, so that neither output
/// fills its pipe while the run is watched.
fn drain(mut r: impl Read + Send + 'static) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut v = Vec::new();
        r.read_to_end(&mut v).unwrap();
        v
    })
}

/// The peak resident memory (VmHWM) in a `/proc/<pid>/status` text.
fn peak_kb(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
}

impl Dir {
    /// Run the binary (see [`Dir::command`]), killing it past [`TIME_LIMIT`]
    /// and noting its peak memory (VmHWM, read from /proc while it runs,
    /// where there is a /proc).
    pub fn watch(&self, args: &[&str]) -> Run {
        let start = Instant::now();
        let mut child = self.command(args).spawn().unwrap();
        let out_reader = drain(child.stdout.take().unwrap());
        let err_reader = drain(child.stderr.take().unwrap());
        let status_file = format!("/proc/{}/status", child.id());
        let mut peak: Option<u64> = None;
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if let Some(kb) = std::fs::read_to_string(&status_file)
                .ok()
                .and_then(|s| peak_kb(&s))
            {
                peak = Some(peak.unwrap_or(0).max(kb));
            }
            if start.elapsed() > TIME_LIMIT {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{args:?}: still running after {TIME_LIMIT:?}");
            }
            std::thread::sleep(POLL);
        };
        Run {
            out: Output {
                status,
                stdout: out_reader.join().unwrap(),
                stderr: err_reader.join().unwrap(),
            },
            peak_kb: peak,
            took: start.elapsed(),
        }
    }

    /// `sanctions lists --json --lists PATH...`.
    pub fn lists(&self, paths: &[&Path]) -> Run {
        let mut args = vec!["lists", "--json"];
        for p in paths {
            args.extend(["--lists", s(p)]);
        }
        self.watch(&args)
    }

    /// `sanctions screen INPUT --format json`, on the bundled lists or `lists`.
    pub fn screen(&self, input: &Path, lists: &[&Path]) -> Run {
        let mut args = vec!["screen", s(input), "--format", "json"];
        for p in lists {
            args.extend(["--lists", s(p)]);
        }
        self.watch(&args)
    }
}
