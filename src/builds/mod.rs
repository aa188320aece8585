//! Every build of a project: the builds a Compose file, a Bake file or a search for
//! Dockerfiles names, each with its context, Dockerfile, target and build arguments, so
//! that one run can measure what each of them sends.

pub mod bake;
pub mod compose;
pub mod discover;
pub mod report;
pub mod run;

use std::path::PathBuf;

/// Where a list of builds came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// A Compose file (`compose.yaml`, `docker-compose.yml`, …).
    Compose,
    /// A Bake file (`docker-bake.hcl`, `docker-bake.json`, and their overrides).
    Bake,
    /// Every Dockerfile found under a directory.
    All,
}

/// One build, as `docker build` would run it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildSpec {
    /// The Compose service, the Bake target, or (discovery) the Dockerfile's path relative to
    /// the directory searched.
    pub name: String,
    /// The build context directory, resolved against the file that named it (not checked).
    pub context: PathBuf,
    /// The Dockerfile, resolved against the context as `docker build` resolves it; `None`:
    /// `Dockerfile` in the context (or `dockerfile_inline` when that is set).
    pub dockerfile: Option<PathBuf>,
    /// A Dockerfile given inline (Compose `dockerfile_inline`, Bake `dockerfile-inline`).
    pub dockerfile_inline: Option<String>,
    /// `--target`.
    pub target: Option<String>,
    /// `--build-arg NAME=VALUE`, in the order given; the last of a repeated name wins.
    pub args: Vec<(String, String)>,
}

/// The builds one source names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildList {
    pub kind: SourceKind,
    /// The file read (Compose, Bake: the first of them), or the directory searched.
    pub path: PathBuf,
    /// In the order the source lists them (Compose: services sorted by name; Bake: the
    /// order of the group; discovery: by path).
    pub builds: Vec<BuildSpec>,
    /// Services or targets that build nothing (Compose: only `image:`), by name.
    pub without_build: Vec<String>,
    /// What was read but is not supported (e.g. a Bake function), to report by name.
    pub unsupported: Vec<String>,
}
