//! `ctxsize completions` and `ctxsize man`: generated from the command-line definition, so
//! they never drift from `--help`.

use std::io::{self, Write};

use clap::CommandFactory;

use crate::Outcome;
use crate::cli::Cli;

pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<Outcome> {
    let mut command = Cli::command();
    let mut out = io::stdout().lock();
    clap_complete::generate(shell, &mut command, "ctxsize", &mut out);
    out.flush()?;
    Ok(Outcome::Success)
}

pub fn man() -> anyhow::Result<Outcome> {
    let mut out = io::stdout().lock();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    out.flush()?;
    Ok(Outcome::Success)
}
