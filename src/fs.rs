//! Replacing a file safely: all of the new content or none of it.
//!
//! [`check_writable`] says, before any work is done, why a file could not be replaced;
//! [`write_atomically`] writes a temporary file beside it and renames it over, so a reader
//! (or a crash) sees either the old file or the new one, never half of each.

use std::ffi::{OsStr, OsString};
use std::fs::{self, File, Permissions};
use std::io::{self, Write as _};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// Why a file cannot be replaced.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ReplaceError {
    #[error("{}: is a symbolic link; ctxsize does not write through links (edit the file it points to instead)", .path.display())]
    Symlink { path: PathBuf },
    #[error("{}: is a directory, not an ignore file", .path.display())]
    Directory { path: PathBuf },
    #[error("{}: is not a regular file", .path.display())]
    NotRegularFile { path: PathBuf },
    #[error("{}: cannot be read: {cause}", .path.display())]
    Unreadable { path: PathBuf, cause: io::Error },
    #[error("{}: is not writable: {cause}", .path.display())]
    NotWritable { path: PathBuf, cause: io::Error },
    #[error("{}: the directory {} does not exist", .path.display(), .dir.display())]
    MissingDirectory { path: PathBuf, dir: PathBuf },
    #[error("{}: cannot create a file in {} to replace it: {cause}", .path.display(), .dir.display())]
    DirectoryNotWritable { path: PathBuf, dir: PathBuf, cause: io::Error },
    #[error("{}: {cause}", .path.display())]
    Io { path: PathBuf, cause: io::Error },
}

/// The directory a path lies in (`.` for a bare name).
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// Checks, before anything is written, that [`write_atomically`] can replace `path`: it is
/// a regular file (not a link, not a directory) that can be read and written, or it does not
/// exist yet; and its directory exists and lets files be created in it.
pub(crate) fn check_writable(path: &Path) -> Result<(), ReplaceError> {
    let owned = || path.to_path_buf();
    let dir = parent_dir(path);
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(ReplaceError::Symlink { path: owned() });
        }
        Ok(meta) if meta.is_dir() => return Err(ReplaceError::Directory { path: owned() }),
        Ok(meta) if !meta.is_file() => {
            return Err(ReplaceError::NotRegularFile { path: owned() });
        }
        Ok(_) => {
            File::open(path).map_err(|cause| ReplaceError::Unreadable { path: owned(), cause })?;
            rustix::fs::access(path, rustix::fs::Access::WRITE_OK).map_err(|errno| {
                ReplaceError::NotWritable { path: owned(), cause: errno.into() }
            })?;
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            if !dir.is_dir() {
                return Err(ReplaceError::MissingDirectory {
                    path: owned(),
                    dir: dir.to_path_buf(),
                });
            }
        }
        Err(cause) => return Err(ReplaceError::Io { path: owned(), cause }),
    }
    rustix::fs::access(dir, rustix::fs::Access::WRITE_OK | rustix::fs::Access::EXEC_OK).map_err(
        |errno| ReplaceError::DirectoryNotWritable {
            path: owned(),
            dir: dir.to_path_buf(),
            cause: errno.into(),
        },
    )
}

/// Replaces (or creates) `path` with `content` atomically: see [`write_atomically_with`].
pub(crate) fn write_atomically(path: &Path, content: &[u8]) -> io::Result<()> {
    write_atomically_with(path, content, |file, content| file.write_all(content))
}

/// Creates a temporary file in `path`'s directory with the old file's permissions, writes
/// `content` to it through `write`, flushes it to disk, and renames it over `path`. Until the
/// rename, `path` is untouched; on any failure the temporary file is removed and `path`
/// keeps its old content. A symbolic link at `path` is refused (never followed, never
/// replaced), and so is anything but a regular file. A new file gets the permissions a
/// newly created file gets (0666 less the umask). The owner is not carried over.
pub(crate) fn write_atomically_with<F>(path: &Path, content: &[u8], write: F) -> io::Result<()>
where
    F: FnOnce(&mut File, &[u8]) -> io::Result<()>,
{
    let with_path =
        |error: io::Error| io::Error::new(error.kind(), format!("{}: {error}", path.display()));
    let refuse = |what: &str| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}: {what}; not replaced", path.display()),
        )
    };
    // The rename below would replace a link itself, not the file it points to, so a link
    // is refused here rather than silently turned into a file.
    let permissions = match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => return Err(refuse("is a symbolic link")),
        Ok(meta) if !meta.is_file() => return Err(refuse("is not a regular file")),
        Ok(meta) => Some(meta.permissions()),
        Err(error) if error.kind() == io::ErrorKind::NotFound => None,
        Err(error) => return Err(with_path(error)),
    };
    let name = path.file_name().ok_or_else(|| refuse("has no file name"))?;
    let dir = parent_dir(path);
    let mut temp = temp_file_beside(dir, name, permissions.as_ref()).map_err(with_path)?;
    // Dropping `temp` on any failure removes the temporary file.
    let filled = (|| {
        if let Some(permissions) = permissions {
            // Created through the umask, which may have taken bits the old file has.
            temp.as_file().set_permissions(permissions)?;
        }
        write(temp.as_file_mut(), content)?;
        temp.as_file().sync_all()
    })();
    filled.map_err(with_path)?;
    temp.persist(path).map_err(|failed| with_path(failed.error))?;
    // Make the rename itself durable. The new content is in place whatever happens here, so
    // a failure is not reported as a failed write.
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// A new, empty temporary file in `dir`, named after the file it will replace
/// (`.name.XXXXXX.ctxsize-tmp`) so a leftover one says where it came from. It starts with the
/// old file's mode, or with 0666 for a new file (`NamedTempFile` alone would give 0600),
/// both less the umask: its content is never readable by more people than the old file's.
fn temp_file_beside(
    dir: &Path,
    name: &OsStr,
    permissions: Option<&Permissions>,
) -> io::Result<NamedTempFile> {
    let mut prefix = OsString::from(".");
    prefix.push(name);
    prefix.push(".");
    let mode = permissions.cloned().unwrap_or_else(|| Permissions::from_mode(0o666));
    tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".ctxsize-tmp")
        .permissions(mode)
        .tempfile_in(dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::OpenOptions;

    fn temp_dir() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    /// Whether permission bits are enforced for us (not when running as root).
    fn permissions_enforced(dir: &Path) -> bool {
        use std::os::unix::fs::PermissionsExt;
        let probe = dir.join("probe");
        fs::write(&probe, b"").unwrap();
        fs::set_permissions(&probe, fs::Permissions::from_mode(0o444)).unwrap();
        let enforced = OpenOptions::new().write(true).open(&probe).is_err();
        fs::remove_file(&probe).unwrap();
        enforced
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn write_creates_and_replaces_keeping_the_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = temp_dir();
        let path = dir.path().join(".dockerignore");
        write_atomically(&path, b"a\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"a\n");
        // A new file gets the mode any new file gets here.
        let reference = dir.path().join("reference");
        fs::write(&reference, b"").unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode(&path), mode(&reference));
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&path, b"a\nb\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"a\nb\n");
        assert_eq!(mode(&path), 0o640);
        assert_eq!(names(dir.path()), [".dockerignore", "reference"]);
    }

    #[test]
    fn bits_the_umask_would_take_are_kept() {
        let dir = temp_dir();
        let path = dir.path().join(".dockerignore");
        fs::write(&path, b"old\n").unwrap();
        fs::set_permissions(&path, Permissions::from_mode(0o666)).unwrap();
        write_atomically(&path, b"new\n").unwrap();
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o7777, 0o666);
    }

    /// The content is written into a file beside the target that is already as private as
    /// the old file: a secret-holding file is never readable by others, even for a moment.
    #[test]
    fn the_temporary_file_is_beside_the_target_and_as_private_as_it() {
        let dir = temp_dir();
        let path = dir.path().join(".dockerignore");
        fs::write(&path, b"old\n").unwrap();
        fs::set_permissions(&path, Permissions::from_mode(0o600)).unwrap();
        let mut seen = None;
        write_atomically_with(&path, b"new\n", |file, content| {
            seen = Some((file.metadata()?.permissions().mode() & 0o7777, names(dir.path())));
            file.write_all(content)
        })
        .unwrap();
        let (mode, during) = seen.unwrap();
        assert_eq!(mode, 0o600);
        assert_eq!(during.len(), 2, "{during:?}");
        assert!(during[0].starts_with("..dockerignore.") && during[0].ends_with(".ctxsize-tmp"));
        assert_eq!(names(dir.path()), [".dockerignore"]);
        assert_eq!(fs::read(&path).unwrap(), b"new\n");
    }

    #[test]
    fn write_refuses_a_symlink_and_a_directory() {
        let dir = temp_dir();
        let target = dir.path().join("real");
        fs::write(&target, b"old\n").unwrap();
        let link = dir.path().join(".dockerignore");
        std::os::unix::fs::symlink("real", &link).unwrap();
        let error = write_atomically(&link, b"new\n").unwrap_err();
        assert!(error.to_string().contains("symbolic link"), "{error}");
        assert!(error.to_string().contains(".dockerignore"), "{error}");
        assert_eq!(fs::read(&target).unwrap(), b"old\n");
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        let error = write_atomically(dir.path(), b"x").unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
        assert_eq!(names(dir.path()), [".dockerignore", "real"]);
    }

    #[test]
    fn a_failed_write_leaves_the_old_file() {
        let dir = temp_dir();
        let path = dir.path().join(".dockerignore");
        fs::write(&path, b"old\r\ncontent").unwrap();
        let error = write_atomically_with(&path, b"new content", |file, content| {
            file.write_all(&content[..3])?;
            Err(io::Error::other("disk full"))
        })
        .unwrap_err();
        assert!(error.to_string().contains("disk full"), "{error}");
        assert!(error.to_string().contains(".dockerignore"), "{error}");
        assert_eq!(fs::read(&path).unwrap(), b"old\r\ncontent");
        assert_eq!(names(dir.path()), [".dockerignore"], "no temporary file is left");
        // The same with no file before: none after.
        let fresh = dir.path().join("fresh");
        assert!(write_atomically_with(&fresh, b"x", |_, _| Err(io::Error::other("no"))).is_err());
        assert_eq!(names(dir.path()), [".dockerignore"]);
    }

    #[test]
    fn a_read_only_directory_fails_cleanly() {
        use std::os::unix::fs::PermissionsExt;
        let dir = temp_dir();
        if !permissions_enforced(dir.path()) {
            eprintln!("SKIPPED: permission bits are not enforced (running as root)");
            return;
        }
        let path = dir.path().join(".dockerignore");
        fs::write(&path, b"old\n").unwrap();
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o555)).unwrap();
        let result = write_atomically(&path, b"new\n");
        let checked = check_writable(&path);
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
        assert!(result.is_err());
        assert!(matches!(checked, Err(ReplaceError::DirectoryNotWritable { .. })));
        assert_eq!(fs::read(&path).unwrap(), b"old\n");
    }

    #[test]
    fn check_writable_names_the_problem_and_the_path() {
        let dir = temp_dir();
        let file = dir.path().join(".dockerignore");
        assert!(check_writable(&file).is_ok(), "a missing file can be created");
        fs::write(&file, b"x\n").unwrap();
        assert!(check_writable(&file).is_ok());
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(".dockerignore", &link).unwrap();
        let socket = dir.path().join("socket");
        let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
        let missing = dir.path().join("no/such/.dockerignore");
        let cases: Vec<(&Path, &str)> = vec![
            (&link, "is a symbolic link"),
            (dir.path(), "is a directory"),
            (&socket, "is not a regular file"),
            (&missing, "does not exist"),
        ];
        for (path, message) in cases {
            let error = check_writable(path).unwrap_err().to_string();
            assert!(error.contains(message), "{error}");
            assert!(error.starts_with(&path.display().to_string()), "{error}");
        }
    }

    #[test]
    fn check_writable_rejects_unreadable_and_read_only_files() {
        use std::os::unix::fs::PermissionsExt;
        let dir = temp_dir();
        if !permissions_enforced(dir.path()) {
            eprintln!("SKIPPED: permission bits are not enforced (running as root)");
            return;
        }
        let file = dir.path().join(".dockerignore");
        fs::write(&file, b"x\n").unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(0o200)).unwrap();
        assert!(matches!(check_writable(&file), Err(ReplaceError::Unreadable { .. })));
        fs::set_permissions(&file, fs::Permissions::from_mode(0o444)).unwrap();
        assert!(matches!(check_writable(&file), Err(ReplaceError::NotWritable { .. })));
    }
}
