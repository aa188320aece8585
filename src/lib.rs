//! ctxsize: what `docker build` sends as its build context, measured with BuildKit's exact
//! `.dockerignore` semantics.
//!
//! The library has no stable API; it exists so that tests can call what the binary does.

pub mod bits;
pub mod build;
pub mod builds;
pub mod check;
pub mod cli;
mod commands;
pub mod config;
pub mod context;
pub mod detect;
pub mod dockerfile;
mod entry_kind;
pub mod escape;
mod fs;
pub mod git;
pub mod gitignore;
pub mod ignorefile;
pub mod lint;
pub mod numbers;
pub mod outcome;
pub mod output;
pub mod plugin;
pub mod raw_path;
pub mod rules;
pub mod scan;
pub mod size;
pub mod templates;
pub mod walk;
pub mod why_answer;

use config::{CommandConfig, Config};
pub use outcome::Outcome;

/// Runs one resolved command line.
pub fn run(config: &Config) -> anyhow::Result<Outcome> {
    if config.threads > 0 {
        // Sorting (rayon) is all CPU: no more threads than cores, and no more than -j asks for.
        // An error means a pool already exists (a second run in one process), which is fine.
        let threads = config.threads.min(walk::available_cores());
        let _ = rayon::ThreadPoolBuilder::new().num_threads(threads).build_global();
    }
    let threads = config.threads;
    let mut printer = output::Printer::new(config.color);
    let outcome = match &config.command {
        CommandConfig::Scan(args) => commands::scan::run(args, threads, &mut printer),
        CommandConfig::Check(args) => commands::check::run(args, threads, &mut printer),
        CommandConfig::Init(args) => commands::init::run(args, threads, &mut printer),
        CommandConfig::Lint(args) => commands::lint::run(args, threads, &mut printer),
        CommandConfig::Completions(shell) => commands::docs::completions(*shell, &mut printer),
        CommandConfig::Man => commands::docs::man(&mut printer),
        CommandConfig::Ls(args) => commands::ls::run(args, threads, &mut printer),
        CommandConfig::Why(args) => commands::why::run(args, threads, &mut printer),
        CommandConfig::InstallPlugin(args) => commands::install_plugin::run(args),
    }?;
    printer.flush()?;
    Ok(outcome)
}

/// Whether an error is a closed stdout (`ctxsize ls | head`), which ends a run quietly.
///
/// A `serde_json::Error` wraps the `io::Error` of a failed write without showing it in the
/// chain (its `source` skips it), so it is asked for the kind itself.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    error.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|json| json.io_error_kind() == Some(BrokenPipe))
    })
}
