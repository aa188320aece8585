//! `ctxsize install-docker-plugin`: places this executable where Docker finds its plugins.

use std::io::Write as _;

use anyhow::Context as _;

use crate::config::InstallPluginConfig;
use crate::outcome::Outcome;
use crate::plugin::{self, Installed};

pub fn run(config: &InstallPluginConfig) -> anyhow::Result<Outcome> {
    let exe = std::env::current_exe().context("cannot tell where this executable is")?;
    let (target, installed) = plugin::install(&exe, &config.dir, config.mode, config.force)?;
    let what = match installed {
        Installed::Created => "installed",
        Installed::Replaced => "replaced",
        Installed::AlreadyThere => "already installed",
    };
    // stdout stays clean for scripts; the note is for people.
    let _ = writeln!(
        std::io::stderr().lock(),
        "{what}: {} -> {}; run `docker ctxsize scan`",
        target.display(),
        exe.display()
    );
    Ok(Outcome::Success)
}
