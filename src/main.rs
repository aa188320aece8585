use std::process::ExitCode;

use ctxsize::plugin::Invocation;

fn main() -> ExitCode {
    let cli = match Invocation::from_args(std::env::args_os()) {
        Invocation::Metadata => {
            println!("{}", ctxsize::plugin::metadata_json());
            return ExitCode::SUCCESS;
        }
        Invocation::Run { program, args } => ctxsize::cli::Cli::parse_as(program, args),
    };
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
