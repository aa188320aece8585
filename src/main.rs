use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = ctxsize::cli::Cli::parse();
    match ctxsize::config::Config::from_cli(&cli).and_then(|config| ctxsize::run(&config)) {
        Ok(outcome) => outcome.into(),
        // Rust ignores SIGPIPE, so a closed pipe arrives as an error: end quietly, like `ls`.
        Err(error) if ctxsize::is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("ctxsize: error: {error:#}");
            ctxsize::Outcome::Error.into()
        }
    }
}
