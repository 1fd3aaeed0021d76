//! A fresh temporary directory to run the built binary in, shut off from the
//! machine it runs on: no `SANCTIONS_LISTS` or `SANCTIONS_TODAY` from the
//! environment, and `SANCTIONS_HOME` inside the directory, so that no list
//! fetched on this machine leaks into a test.
//!
//! A module of the test crate (`tests/it/main.rs`), as `crate::dir`, for the
//! tests that run the binary; `run.rs` and `watch.rs` add the two ways to run it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The binary under test, built by Cargo for the integration tests.
const BIN: &str = env!("CARGO_BIN_EXE_sanctions");

/// The repository, where `data/` is.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path as a command-line argument.
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A temporary directory, removed when dropped.
pub struct Dir {
    tmp: tempfile::TempDir,
}

impl Dir {
    pub fn new() -> Dir {
        Dir {
            tmp: tempfile::tempdir().unwrap(),
        }
    }

    /// `name` (which may hold `/`) inside the directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// Write `content` to `name` (parent directories created).
    pub fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, content).unwrap();
        p
    }

    /// The binary with these arguments, run in the directory, without
    /// `SANCTIONS_LISTS` or `SANCTIONS_TODAY`, with `SANCTIONS_HOME` =
    /// `<dir>/home`, standard input empty and both outputs captured. A test
    /// may change any of that before it runs the command.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .current_dir(self.tmp.path())
            .env_remove("SANCTIONS_LISTS")
            .env_remove("SANCTIONS_TODAY")
            .env("SANCTIONS_HOME", self.path("home"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }
}
