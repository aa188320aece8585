//! ctxsize as a Docker CLI plugin: how the binary reads its arguments when Docker runs it
//! as `docker-ctxsize`, the metadata Docker asks for, and installing it where Docker looks.
//!
//! Docker finds plugins as executables named `docker-NAME` in its `cli-plugins`
//! directories, asks each for its metadata with `docker-cli-plugin-metadata`, and runs
//! `docker NAME ARGS` as `docker-NAME NAME ARGS` (docker/cli: `cli-plugins/manager`).

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// The file name Docker looks for: `docker-` and the subcommand.
pub const PLUGIN_FILE_NAME: &str = "docker-ctxsize";
/// The subcommand `docker` passes first, and the plugin's name.
const PLUGIN_NAME: &str = "ctxsize";
/// The argument with which Docker asks a plugin for its metadata.
pub const METADATA_COMMAND: &str = "docker-cli-plugin-metadata";
/// The program name shown in help and usage errors when run as a plugin.
pub const PLUGIN_PROGRAM_NAME: &str = "docker ctxsize";

/// What one command line asks of the binary.
#[derive(Debug, PartialEq, Eq)]
pub enum Invocation {
    /// Print the plugin metadata (Docker probing the plugin).
    Metadata,
    /// Parse `args` (program name first) as a ctxsize command line; `program` is the name
    /// help and usage errors show.
    Run { program: &'static str, args: Vec<OsString> },
}

impl Invocation {
    /// Reads `argv`: as the plugin when argv[0]'s file name is `docker-ctxsize`, else as
    /// `ctxsize` itself, unchanged.
    pub fn from_args(args: impl IntoIterator<Item = OsString>) -> Invocation {
        let mut args: Vec<OsString> = args.into_iter().collect();
        let as_plugin = args
            .first()
            .and_then(|program| Path::new(program).file_name())
            .is_some_and(|name| name == OsStr::new(PLUGIN_FILE_NAME));
        if !as_plugin {
            return Invocation::Run { program: PLUGIN_NAME, args };
        }
        match args.get(1).and_then(|arg| arg.to_str()) {
            Some(METADATA_COMMAND) => return Invocation::Metadata,
            // Docker passes the plugin's name before the user's arguments; someone running
            // `docker-ctxsize scan` by hand does not, so it is dropped only when present.
            Some(PLUGIN_NAME) => {
                args.remove(1);
            }
            _ => {}
        }
        Invocation::Run { program: PLUGIN_PROGRAM_NAME, args }
    }
}

/// The metadata Docker reads (docker/cli `cli-plugins/metadata`: `Metadata`); the field
/// names are Docker's.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Metadata {
    schema_version: &'static str,
    vendor: &'static str,
    version: &'static str,
    short_description: &'static str,
    #[serde(rename = "URL")]
    url: &'static str,
}

/// The only schema version Docker accepts.
const SCHEMA_VERSION: &str = "0.1.0";
const VENDOR: &str = "ctxsize";
const URL: &str = "https://crates.io/crates/ctxsize";

/// The metadata as one line of JSON.
pub fn metadata_json() -> String {
    let metadata = Metadata {
        schema_version: SCHEMA_VERSION,
        vendor: VENDOR,
        version: env!("CARGO_PKG_VERSION"),
        short_description: "See exactly what `docker build` sends as its build context",
        url: URL,
    };
    serde_json::to_string(&metadata).expect("plain strings serialise")
}

/// Where Docker looks for a user's plugins: `cli-plugins` in its configuration directory,
/// which is `$DOCKER_CONFIG` when set and `~/.docker` otherwise (docker/cli `config.Dir`).
pub fn default_plugin_dir(docker_config: Option<&OsStr>, home: Option<&OsStr>) -> Option<PathBuf> {
    let config = match docker_config.filter(|dir| !dir.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(home.filter(|home| !home.is_empty())?).join(".docker"),
    };
    Some(config.join("cli-plugins"))
}

/// How the plugin is placed: a link follows later builds of the binary; a copy survives
/// the binary's removal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstallMode {
    Symlink,
    Copy,
}

/// What an install did.
#[derive(Debug, PartialEq, Eq)]
pub enum Installed {
    Created,
    Replaced,
    /// The same link (or an identical copy) was there already.
    AlreadyThere,
}

#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    #[error("{0} exists and is not this ctxsize; pass --force to replace it")]
    Exists(PathBuf),
    /// The cause follows in the error chain, which the binary prints whole.
    #[error("cannot install {path}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> InstallError + '_ {
    move |source| InstallError::Io { path: path.to_owned(), source }
}

/// Places `exe` as `dir/docker-ctxsize`, creating `dir`. An existing file that is not this
/// binary is replaced only with `force`.
pub fn install(
    exe: &Path,
    dir: &Path,
    mode: InstallMode,
    force: bool,
) -> Result<(PathBuf, Installed), InstallError> {
    fs::create_dir_all(dir).map_err(io_error(dir))?;
    let target = dir.join(PLUGIN_FILE_NAME);
    let existing = match fs::symlink_metadata(&target) {
        Ok(_) => true,
        Err(error) if error.kind() == io::ErrorKind::NotFound => false,
        Err(error) => return Err(io_error(&target)(error)),
    };
    if existing && is_installed(exe, &target, mode) {
        return Ok((target, Installed::AlreadyThere));
    }
    if existing && !force {
        return Err(InstallError::Exists(target));
    }
    place(exe, dir, &target, mode)?;
    Ok((target, if existing { Installed::Replaced } else { Installed::Created }))
}

/// Whether `target` already is what `install` would create.
fn is_installed(exe: &Path, target: &Path, mode: InstallMode) -> bool {
    // Run from the installed copy itself, a link would point at itself once renamed over it.
    let is_file = fs::symlink_metadata(target).is_ok_and(|meta| meta.file_type().is_file());
    if is_file && fs::canonicalize(target).ok() == fs::canonicalize(exe).ok() {
        return true;
    }
    match mode {
        InstallMode::Symlink => fs::read_link(target).is_ok_and(|link| {
            link == exe || fs::canonicalize(target).ok() == fs::canonicalize(exe).ok()
        }),
        InstallMode::Copy => {
            fs::symlink_metadata(target).is_ok_and(|meta| meta.file_type().is_file())
                && matches!((fs::read(target), fs::read(exe)), (Ok(a), Ok(b)) if a == b)
        }
    }
}

/// Builds the plugin under a temporary name in `dir`, then renames it over `target`, so
/// Docker never sees a half-written plugin and a replaced file is never lost half-way.
fn place(exe: &Path, dir: &Path, target: &Path, mode: InstallMode) -> Result<(), InstallError> {
    let temporary = dir.join(format!(".{PLUGIN_FILE_NAME}.{}.tmp", std::process::id()));
    let _ = fs::remove_file(&temporary);
    let made = match mode {
        InstallMode::Symlink => std::os::unix::fs::symlink(exe, &temporary),
        InstallMode::Copy => fs::copy(exe, &temporary).and_then(|_| {
            use std::os::unix::fs::PermissionsExt as _;
            fs::set_permissions(&temporary, fs::Permissions::from_mode(0o755))
        }),
    };
    if let Err(error) = made.and_then(|()| fs::rename(&temporary, target)) {
        let _ = fs::remove_file(&temporary);
        return Err(io_error(target)(error));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn ctxsize_itself_keeps_every_argument() {
        let invocation = Invocation::from_args(args(&["/usr/bin/ctxsize", "ctxsize", "scan"]));
        let expected = args(&["/usr/bin/ctxsize", "ctxsize", "scan"]);
        assert_eq!(invocation, Invocation::Run { program: "ctxsize", args: expected });
    }

    #[test]
    fn the_plugin_drops_the_name_docker_passes_first() {
        let invocation =
            Invocation::from_args(args(&["/p/docker-ctxsize", "ctxsize", "scan", "."]));
        let expected = args(&["/p/docker-ctxsize", "scan", "."]);
        assert_eq!(invocation, Invocation::Run { program: "docker ctxsize", args: expected });
    }

    #[test]
    fn the_plugin_run_by_hand_keeps_its_arguments() {
        let invocation = Invocation::from_args(args(&["docker-ctxsize", "scan", "ctxsize"]));
        let expected = args(&["docker-ctxsize", "scan", "ctxsize"]);
        assert_eq!(invocation, Invocation::Run { program: "docker ctxsize", args: expected });
    }

    #[test]
    fn docker_asking_for_metadata() {
        let invocation = Invocation::from_args(args(&["docker-ctxsize", METADATA_COMMAND]));
        assert_eq!(invocation, Invocation::Metadata);
        // Only the plugin answers it: to ctxsize it is an unknown command.
        let invocation = Invocation::from_args(args(&["ctxsize", METADATA_COMMAND]));
        assert!(matches!(invocation, Invocation::Run { program: "ctxsize", .. }));
    }

    #[test]
    fn metadata_has_docker_field_names() {
        let json: serde_json::Value = serde_json::from_str(&metadata_json()).unwrap();
        assert_eq!(json["SchemaVersion"], "0.1.0");
        assert_eq!(json["Version"], env!("CARGO_PKG_VERSION"));
        for field in ["Vendor", "ShortDescription", "URL"] {
            assert!(json[field].as_str().is_some_and(|s| !s.is_empty()), "{field}");
        }
    }

    #[test]
    fn plugin_dir_follows_docker_config_then_home() {
        let dir = default_plugin_dir(Some(OsStr::new("/cfg")), Some(OsStr::new("/home/u")));
        assert_eq!(dir, Some(PathBuf::from("/cfg/cli-plugins")));
        let dir = default_plugin_dir(Some(OsStr::new("")), Some(OsStr::new("/home/u")));
        assert_eq!(dir, Some(PathBuf::from("/home/u/.docker/cli-plugins")));
        assert_eq!(default_plugin_dir(None, None), None);
    }
}
