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
    /// The Dockerfile given with `-f`, as given.
    pub dockerfile: Option<PathBuf>,
    pub ignore_file: Option<IgnoreFile>,
    pub rules: RuleSet,
    /// Candidate ignore files that exist but that BuildKit passes over (a directory, a
    /// dangling link, no permission): worth a warning, since the user meant them to apply.
    pub passed_over: Vec<PassedOver>,
}

/// An ignore file that exists but is not used.
#[derive(Debug, Clone)]
pub struct PassedOver {
    pub shown: PathBuf,
    pub reason: String,
}

/// A context that cannot be measured, or an ignore file BuildKit would reject.
#[derive(Debug, thiserror::Error)]
pub enum ContextError {
    #[error("context {path:?}: {cause}")]
    Unreadable { path: PathBuf, cause: io::Error },
    #[error("context {path:?} is not a directory")]
    NotADirectory { path: PathBuf },
    #[error("{}:{error}", file.display())]
    Rules { file: PathBuf, error: RuleError },
    /// `path` as shown; `relative` to the context, as BuildKit's message names it.
    #[error(
        "{}: directory cannot be read: docker build fails with \"error from sender: open \
         {relative}: permission denied\"{}",
        path.display(),
        match more { 0 => String::new(), n => format!(" ({n} more unreadable directories)") }
    )]
    UnreadableDir { path: PathBuf, relative: String, more: usize },
}

impl BuildContext {
    /// Opens a context the way `docker build CONTEXT [-f DOCKERFILE]` would.
    pub fn open(
        root: &Path,
        dockerfile: Option<&Path>,
        no_ignore: bool,
    ) -> Result<BuildContext, ContextError> {
        let metadata = fs::metadata(root)
            .map_err(|cause| ContextError::Unreadable { path: root.to_owned(), cause })?;
        if !metadata.is_dir() {
            return Err(ContextError::NotADirectory { path: root.to_owned() });
        }
        let (ignore_file, passed_over) =
            if no_ignore { (None, Vec::new()) } else { find_ignore_file(root, dockerfile) };
        let rules = match &ignore_file {
            None => RuleSet::empty(),
            Some(file) => RuleSet::from_ignore_file(&file.content)
                .map_err(|error| ContextError::Rules { file: file.shown.clone(), error })?,
        };
        Ok(BuildContext {
            root: root.to_owned(),
            dockerfile: dockerfile.map(Path::to_owned),
            ignore_file,
            rules,
            passed_over,
        })
    }
}

/// Finds the ignore file BuildKit would read for this context and Dockerfile, and the
/// candidates that exist but are passed over.
pub fn find_ignore_file(
    root: &Path,
    dockerfile: Option<&Path>,
) -> (Option<IgnoreFile>, Vec<PassedOver>) {
    let mut passed_over = Vec::new();
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
        let shown = shown_path(&dir, &ignore_name);
        match read_within(&dir, ignore_name.as_bytes()) {
            Ok(content) => return (Some(IgnoreFile { shown, content }), passed_over),
            Err(Unusable::Missing) => {}
            Err(Unusable::Other(reason)) => passed_over.push(PassedOver { shown, reason }),
        }
    }
    let shown = shown_path(root, OsStr::new(".dockerignore"));
    match read_within(root, b".dockerignore") {
        Ok(content) => (Some(IgnoreFile { shown, content }), passed_over),
        Err(Unusable::Missing) => (None, passed_over),
        Err(Unusable::Other(reason)) => {
            passed_over.push(PassedOver { shown, reason });
            (None, passed_over)
        }
    }
}

/// Why a candidate ignore file is not read.
enum Unusable {
    /// Nothing at that name.
    Missing,
    /// Something is there, but BuildKit cannot read it as a file.
    Other(String),
}

fn shown_path(dir: &Path, name: &OsStr) -> PathBuf {
    if dir == Path::new(".") { PathBuf::from(name) } else { dir.join(name) }
}

/// Reads `root/relative` as a regular file, resolving symlinks with `root` as the filesystem
/// root: an absolute target starts at `root`, `..` never climbs above it, and each target is
/// cleaned as text before it is followed (so `conf/../x` is `x` even if `conf` is a link).
/// Anything that is not a readable regular file is [`Unusable`].
fn read_within(root: &Path, relative: &[u8]) -> Result<Vec<u8>, Unusable> {
    let mut pending: Vec<Vec<u8>> = components(relative).into_iter().rev().collect();
    let mut resolved: Vec<Vec<u8>> = Vec::new();
    let mut hops = 0;
    while let Some(component) = pending.pop() {
        if component == b".." {
            resolved.pop();
            continue;
        }
        let candidate = join(root, &resolved, &component);
        let metadata = match fs::symlink_metadata(&candidate) {
            Ok(metadata) => metadata,
            // A link that leads nowhere is worth a warning; a plain missing file is not.
            Err(_) if hops > 0 => {
                return Err(Unusable::Other("it is a symlink that leads nowhere".into()));
            }
            Err(_) => return Err(Unusable::Missing),
        };
        if metadata.file_type().is_symlink() {
            hops += 1;
            if hops > MAX_SYMLINK_HOPS {
                return Err(Unusable::Other("too many levels of symlinks".into()));
            }
            let target = fs::read_link(&candidate).map_err(|e| Unusable::Other(e.to_string()))?;
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
    let path = resolved.iter().fold(root.to_owned(), |path, c| path.join(OsStr::from_bytes(c)));
    let metadata = fs::metadata(&path).map_err(|e| Unusable::Other(e.to_string()))?;
    if !metadata.is_file() {
        return Err(Unusable::Other("it is not a regular file".into()));
    }
    fs::read(&path).map_err(|e| Unusable::Other(e.to_string()))
}

fn components(path: &[u8]) -> Vec<Vec<u8>> {
    path.split(|&b| b == b'/').filter(|c| !c.is_empty() && *c != b".").map(<[u8]>::to_vec).collect()
}

fn join(root: &Path, dirs: &[Vec<u8>], last: &[u8]) -> PathBuf {
    let mut path = root.to_owned();
    for dir in dirs {
        path.push(OsStr::from_bytes(dir));
    }
    path.push(OsStr::from_bytes(last));
    path
}

/// Reads a file the user names or the build reads (a Dockerfile, a `.gitignore`), refusing
/// anything but a regular file: opening a FIFO to read it would wait forever for a writer.
/// Opened without blocking, then checked on the open file, so a swap in between is caught.
pub fn read_regular_file(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let nonblocking = rustix::fs::OFlags::NONBLOCK.bits() as i32;
    let mut file = fs::OpenOptions::new().read(true).custom_flags(nonblocking).open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file"));
    }
    let mut content = Vec::new();
    file.read_to_end(&mut content)?;
    Ok(content)
}
