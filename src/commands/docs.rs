//! `ctxsize completions` and `ctxsize man`: generated from the command-line definition, so
//! they never drift from `--help`.

use std::io::Write as _;

use clap::CommandFactory;

use crate::cli::Cli;
use crate::outcome::Outcome;
use crate::output::Printer;

pub fn completions(shell: clap_complete::Shell, printer: &mut Printer) -> anyhow::Result<Outcome> {
    let mut command = Cli::command();
    // Generated in memory: the generators panic on a failed write (a closed pipe), where a
    // write of our own ends quietly.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "ctxsize", &mut script);
    printer.out().write_all(&script)?;
    Ok(Outcome::Success)
}

pub fn man(printer: &mut Printer) -> anyhow::Result<Outcome> {
    clap_mangen::Man::new(Cli::command()).render(printer.out())?;
    Ok(Outcome::Success)
}
