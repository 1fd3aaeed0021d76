//! Running the binary of a [`Dir`] to its end and reading what it wrote.
//!
//! A module of the test crate (`tests/it/main.rs`), as `crate::run`, beside `dir.rs`.

use crate::dir::Dir;
use std::process::Output;

impl Dir {
    /// Run the binary (see [`Dir::command`]) and wait for it.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Standard output as JSON lines, one value a line.
pub fn jsonl(o: &Output) -> Vec<serde_json::Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}
