//! The integration tests, one crate (one binary to build and link) with a
//! module per subject; `cargo test NAME` still picks tests by name.
//!
//! The helpers several subjects share stay beside this directory, at the
//! crate's root here: `tests/common/` (the temporary directory, running the
//! binary, the local HTTP server, the browser, the real lists), the
//! server's client in `tests/serve_support/`, and the fuzz targets' harness
//! in `tests/fuzz_harness/` (which `fuzz/` includes too).

#[path = "../common/browser.rs"]
mod browser;
#[path = "../common/mod.rs"]
mod common;
#[path = "../common/dir.rs"]
mod dir;
#[path = "../fuzz_harness/mod.rs"]
mod fuzz_harness;
#[path = "../common/run.rs"]
mod run;
#[path = "../common/server.rs"]
mod server;
#[path = "../common/shared.rs"]
mod shared;
#[path = "../serve_support/mod.rs"]
mod support;
#[path = "../common/watch.rs"]
mod watch;

mod birth_dates;
mod broken;
mod candidates;
mod cli;
mod fetch;
mod fetch_opensanctions;
mod formats;
mod fuzz_regressions;
mod html_report;
mod input_formats;
mod lists;
mod properties;
mod reconcile;
mod resaved_ofac;
mod rules;
mod serve;
mod serve_budget;
mod serve_clients;
mod workflow;
