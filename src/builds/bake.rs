//! Bake files: the targets `docker buildx bake` would build.

use std::path::{Path, PathBuf};

use super::BuildList;

/// The Bake files `docker buildx bake` would read in `dir`, in the order it reads them.
pub fn find(_dir: &Path) -> Vec<PathBuf> {
    Vec::new()
}

/// Reads the named targets (or the `default` group) of Bake files; `env` gives the values
/// of variables.
pub fn read(
    paths: &[PathBuf],
    _targets: &[String],
    _env: &dyn Fn(&str) -> Option<String>,
) -> anyhow::Result<BuildList> {
    let first = paths.first().map(|p| p.display().to_string()).unwrap_or_default();
    anyhow::bail!("{first}: Bake files are not supported yet")
}
