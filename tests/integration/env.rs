//! A test builder: a temporary context directory, files of exact sizes, and a way to run
//! the real binary on it.

use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

pub struct TestEnv {
    dir: TempDir,
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

impl Run {
    pub fn stdout(&self) -> String {
        String::from_utf8(self.stdout.clone()).expect("stdout is UTF-8")
    }

    pub fn lines(&self) -> Vec<String> {
        self.stdout().lines().map(str::to_owned).collect()
    }

    /// Asserts the exit status, showing everything when it is not the expected one.
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code,
            code,
            "exit status\n--- stdout\n{}\n--- stderr\n{}",
            String::from_utf8_lossy(&self.stdout),
            self.stderr
        );
        self
    }
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: output.stdout,
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl TestEnv {
    /// Runs `git ARGS` in the context, away from the machine's git configuration; fails the
    /// test when git is missing or the command fails.
    pub fn git(&self, args: &[&str]) {
        let status = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=main"])
            .args(args)
            .current_dir(self.root())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", self.outer())
            .env("XDG_CONFIG_HOME", self.outer())
            .status()
            .expect("git must be installed to run this test");
        assert!(status.success(), "git {args:?}");
    }

    pub fn new() -> TestEnv {
        let dir = tempfile::tempdir().expect("temporary directory");
        fs::create_dir(dir.path().join("ctx")).unwrap();
        TestEnv { dir }
    }

    /// The directory that holds the context (for files beside it).
    pub fn outer(&self) -> &Path {
        self.dir.path()
    }

    /// The build context.
    pub fn root(&self) -> PathBuf {
        self.dir.path().join("ctx")
    }

    pub fn path(&self, relative: impl AsRef<OsStr>) -> PathBuf {
        self.root().join(relative.as_ref())
    }

    /// Writes a file with this content, creating its directories.
    pub fn file(&self, relative: impl AsRef<OsStr>, content: impl AsRef<[u8]>) -> &TestEnv {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
        self
    }

    /// Writes a file of `size` bytes.
    pub fn sized(&self, relative: impl AsRef<OsStr>, size: usize) -> &TestEnv {
        self.file(relative, vec![b'x'; size])
    }

    pub fn dir(&self, relative: impl AsRef<OsStr>) -> &TestEnv {
        fs::create_dir_all(self.path(relative)).unwrap();
        self
    }

    pub fn symlink(&self, relative: impl AsRef<OsStr>, target: impl AsRef<OsStr>) -> &TestEnv {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(Path::new(target.as_ref()), path).unwrap();
        self
    }

    /// Runs `ctxsize ARGS` from inside the context directory.
    pub fn run<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.command(args).output().expect("run ctxsize").into()
    }

    /// Runs `ctxsize ARGS` with stdout a pipe whose reading end is already closed (`ctxsize …
    /// | head` once `head` has quit): every write to stdout fails with `EPIPE`.
    pub fn run_into_closed_pipe<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        self.command(args).stdout(writer).output().expect("run ctxsize").into()
    }

    pub fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ctxsize"));
        command
            .args(args)
            .current_dir(self.root())
            .env("NO_COLOR", "1")
            .env_remove("CLICOLOR_FORCE")
            // Text is laid out for 80 columns unless a test asks for another width.
            .env_remove("COLUMNS");
        command
    }
}

/// A name that is not valid UTF-8.
pub fn non_utf8_name() -> &'static OsStr {
    OsStr::from_bytes(b"caf\xe9.txt")
}
