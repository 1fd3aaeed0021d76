//! The `sanctions` command. Parses arguments, runs, prints the error chain
//! once, and exits 0 (no potential match), 1 (potential matches) or 2 (error).

use clap::Parser;
use sanctions::cli::Cli;

/// mimalloc: the matcher and the index builder allocate many small,
/// short-lived strings and vectors, which glibc's allocator serves slowly.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || e.downcast_ref::<csv::Error>().is_some_and(|c| {
                matches!(c.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
            })
    })
}

fn main() {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // --help and --version are not errors.
            let code = if err.use_stderr() { 2 } else { 0 };
            let _ = err.print();
            std::process::exit(code);
        }
    };
    let result = cli.into_config().and_then(|config| sanctions::run(&config));
    match result {
        Ok(finished) => {
            let code = finished.outcome.exit_code();
            // The process ends here: freeing the index piece by piece would
            // only cost time (a tenth of a run on small inputs); the system
            // takes it back.
            std::mem::forget(finished.index);
            std::process::exit(code);
        }
        Err(err) if is_broken_pipe(&err) => std::process::exit(0),
        Err(err) => {
            eprintln!("sanctions: {err:#}");
            std::process::exit(2);
        }
    }
}
