//! The build context: its root, the Dockerfile, and the one ignore file BuildKit reads.
//!
//! BuildKit reads `<Dockerfile name>.dockerignore` beside the Dockerfile when that exists
//! and is a readable file (even an empty one), else `.dockerignore` at the context root, and
//! nothing else. Each candidate is read through symlinks resolved with its own directory
//! acting as the filesystem root.

use std::ffi::OsStr;
use std::fs;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::rules::{RuleError, RuleSet};

/// Symlinks followed before a lookup gives up, like the kernel's limit.
const MAX_SYMLINK_HOPS: usize = 255;

/// The name of the Dockerfile a plain `docker build` uses.
pub const DEFAULT_DOCKERFILE: &str = "Dockerfile";

/// An ignore file that applies to a build.
#[derive(Debug, Clone)]
pub struct IgnoreFile {
    /// Where it was looked up, as the user named it (for messages).
    pub shown: PathBuf,
    pub content: Vec<u8>,
}

/// Where a build's ignore file and rules come from.
#[derive(Debug)]
pub struct BuildContext {
    pub root: PathBuf,
    pub ignore_file: Option<IgnoreFile>,
    pub rules: RuleSet,
}

/// A context that cannot be measured, or an ignore file BuildKit would reject.
#[derive(Debug, thiserror::Error)]
pub enum ContextError {
    #[error("context {path:?}: {source}")]
    Unreadable { path: PathBuf, source: io::Error },
    #[error("context {path:?} is not a directory")]
    NotADirectory { path: PathBuf },
    #[error("{}:{error}", file.display())]
    Rules { file: PathBuf, error: RuleError },
}

impl BuildContext {
    /// Opens a context the way `docker build CONTEXT [-f DOCKERFILE]` would.
    pub fn open(
        root: &Path,
        dockerfile: Option<&Path>,
        no_ignore: bool,
    ) -> Result<BuildContext, ContextError> {
        let metadata = fs::metadata(root).map_err(|source| ContextError::Unreadable {
            path: root.to_owned(),
            source,
        })?;
        if !metadata.is_dir() {
            return Err(ContextError::NotADirectory {
                path: root.to_owned(),
            });
        }
        let ignore_file = if no_ignore {
            None
        } else {
            find_ignore_file(root, dockerfile)
        };
        let rules = match &ignore_file {
            None => RuleSet::empty(),
            Some(file) => {
                RuleSet::from_ignore_file(&file.content).map_err(|error| ContextError::Rules {
                    file: file.shown.clone(),
                    error,
                })?
            }
        };
        Ok(BuildContext {
            root: root.to_owned(),
            ignore_file,
            rules,
        })
    }
}

/// Finds the ignore file BuildKit would read for this context and Dockerfile.
pub fn find_ignore_file(root: &Path, dockerfile: Option<&Path>) -> Option<IgnoreFile> {
    let (dockerfile_dir, dockerfile_name) = match dockerfile {
        // `-f -` reads the Dockerfile from standard input: there is no directory beside it.
        Some(path) if path == Path::new("-") => (None, None),
        Some(path) => {
            let dir = match path.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
                _ => PathBuf::from("."),
            };
            (Some(dir), path.file_name().map(OsStr::to_owned))
        }
        None => (Some(root.to_owned()), Some(DEFAULT_DOCKERFILE.into())),
    };
    if let (Some(dir), Some(name)) = (dockerfile_dir, dockerfile_name) {
        let mut ignore_name = name;
        ignore_name.push(".dockerignore");
        if let Some(content) = read_within(&dir, ignore_name.as_bytes()) {
            return Some(IgnoreFile {
                shown: shown_path(&dir, &ignore_name),
                content,
            });
        }
    }
    read_within(root, b".dockerignore").map(|content| IgnoreFile {
        shown: shown_path(root, OsStr::new(".dockerignore")),
        content,
    })
}

fn shown_path(dir: &Path, name: &OsStr) -> PathBuf {
    if dir == Path::new(".") {
        PathBuf::from(name)
    } else {
        dir.join(name)
    }
}

/// Reads `root/relative` as a regular file, resolving symlinks with `root` as the filesystem
/// root: an absolute target starts at `root`, `..` never climbs above it, and each target is
/// cleaned as text before it is followed (so `conf/../x` is `x` even if `conf` is a link).
/// Anything that is not a readable regular file gives `None`.
fn read_within(root: &Path, relative: &[u8]) -> Option<Vec<u8>> {
    let mut pending: Vec<Vec<u8>> = components(relative).into_iter().rev().collect();
    let mut resolved: Vec<Vec<u8>> = Vec::new();
    let mut hops = 0;
    while let Some(component) = pending.pop() {
        if component == b".." {
            resolved.pop();
            continue;
        }
        let candidate = join(root, &resolved, &component);
        let metadata = fs::symlink_metadata(&candidate).ok()?;
        if metadata.file_type().is_symlink() {
            hops += 1;
            if hops > MAX_SYMLINK_HOPS {
                return None;
            }
            let target = fs::read_link(&candidate).ok()?;
            let target = target.as_os_str().as_bytes();
            let mut joined = b"/".to_vec();
            if !target.starts_with(b"/") {
                for dir in &resolved {
                    joined.extend_from_slice(dir);
                    joined.push(b'/');
                }
            }
            joined.extend_from_slice(target);
            let restart = components(&crate::rules::clean_path(&joined));
            pending.extend(restart.into_iter().rev());
            resolved.clear();
        } else {
            resolved.push(component);
        }
    }
    let path = resolved
        .iter()
        .fold(root.to_owned(), |path, c| path.join(OsStr::from_bytes(c)));
    let metadata = fs::metadata(&path).ok()?;
    if !metadata.is_file() {
        return None;
    }
    fs::read(&path).ok()
}

fn components(path: &[u8]) -> Vec<Vec<u8>> {
    path.split(|&b| b == b'/')
        .filter(|c| !c.is_empty() && *c != b".")
        .map(<[u8]>::to_vec)
        .collect()
}

fn join(root: &Path, dirs: &[Vec<u8>], last: &[u8]) -> PathBuf {
    let mut path = root.to_owned();
    for dir in dirs {
        path.push(OsStr::from_bytes(dir));
    }
    path.push(OsStr::from_bytes(last));
    path
}
