//! Compose files: the services that build, read as `docker compose` reads them.

use std::path::{Path, PathBuf};

use super::BuildList;

/// The Compose file `docker compose` would read in `dir`, if any.
pub fn find(_dir: &Path) -> Option<PathBuf> {
    None
}

/// Reads the services of a Compose file; `env` gives the values of variables.
pub fn read(path: &Path, _env: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<BuildList> {
    anyhow::bail!("{}: Compose files are not supported yet", path.display())
}
