//! What cannot be read, as BuildKit's sender treats it: a directory it enters fails the
//! build; a regular file arrives empty and the build goes on. Permission bits do not stop root, so as root the binary runs
//! as an unprivileged user through `setpriv` (util-linux).

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use crate::env::{Run, TestEnv};

const NOBODY: &str = "65534";

const SKIPPED: &str = "SKIPPED: running as root and `setpriv` is not available to drop privileges";

/// Runs the binary as an unprivileged user when the test runs as root.
pub(crate) fn run_unprivileged(env: &TestEnv, args: &[&str]) -> Option<Run> {
    let uid = Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Some(env.run(args));
    }
    let setpriv = which("setpriv")?;
    // The unprivileged user must be able to reach the context.
    for dir in [env.outer().to_owned(), env.root()] {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let output = Command::new(setpriv)
        .args(["--reuid", NOBODY, "--regid", NOBODY, "--clear-groups", "--"])
        .arg(env!("CARGO_BIN_EXE_ctxsize"))
        .args(args)
        .current_dir(env.root())
        .env("NO_COLOR", "1")
        .output()
        .ok()?;
    Some(output.into())
}

fn which(program: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| std::path::Path::new(dir).join(program))
        .find(|path| path.exists())
}

fn lock(env: &TestEnv, relative: &str) {
    std::fs::set_permissions(env.path(relative), std::fs::Permissions::from_mode(0o000)).unwrap();
}

/// BuildKit's sender fails on a directory it cannot read (`error from sender: open DIR:
/// permission denied`, observed with a real build): every command says so, exit 2, nothing
/// on stdout, as for an ignore file BuildKit rejects.
#[test]
fn unreadable_directory_fails_the_build() {
    let env = TestEnv::new();
    env.sized("secret/x", 1).sized("open/y", 2).sized("z", 3);
    lock(&env, "secret");
    for args in
        [&["ls"][..], &["ls", "-l"], &["scan"], &["scan", "--json"], &["check"], &["why", "z"]]
    {
        let Some(run) = run_unprivileged(&env, args) else {
            eprintln!("{SKIPPED}");
            return;
        };
        run.expect_code(2);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout());
        assert!(
            run.stderr.contains("error from sender: open secret: permission denied"),
            "{args:?}: {}",
            run.stderr
        );
    }
}

/// An excluded directory that an exception makes BuildKit enter is read too.
#[test]
fn unreadable_directory_entered_for_an_exception_fails_the_build() {
    let env = TestEnv::new();
    env.file(".dockerignore", "secret\n!secret/keep\n").sized("secret/keep", 1).sized("z", 3);
    lock(&env, "secret");
    let Some(run) = run_unprivileged(&env, &["ls"]) else {
        eprintln!("{SKIPPED}");
        return;
    };
    run.expect_code(2);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("open secret: permission denied"), "{}", run.stderr);
}

/// The first unreadable directory in BuildKit's walk order (name by name: `a/x` before
/// `a-b`, though `a-b` sorts first bytewise) is named, and the others counted.
#[test]
fn the_first_unreadable_directory_in_walk_order_is_named() {
    let env = TestEnv::new();
    env.sized("a-b/f", 1).sized("a/x/f", 1);
    lock(&env, "a-b");
    lock(&env, "a/x");
    let Some(run) = run_unprivileged(&env, &["ls"]) else {
        eprintln!("{SKIPPED}");
        return;
    };
    run.expect_code(2);
    assert!(run.stderr.contains("open a/x: permission denied"), "{}", run.stderr);
    assert!(run.stderr.contains("1 more unreadable"), "{}", run.stderr);
}

#[test]
fn unreadable_directory_that_is_pruned_costs_nothing() {
    let env = TestEnv::new();
    env.file(".dockerignore", "secret\n").sized("secret/x", 1).sized("z", 3);
    lock(&env, "secret");
    let Some(run) = run_unprivileged(&env, &["ls"]) else {
        eprintln!("{SKIPPED}");
        return;
    };
    run.expect_code(0);
    assert_eq!(run.lines(), [".dockerignore", "z"]);
    run_unprivileged(&env, &["check"]).unwrap().expect_code(0);
}

/// BuildKit sends a regular file it cannot read as an empty file, and the build succeeds
/// (observed with a real build): listed `f 0`, a warning, exit 0.
#[test]
fn unreadable_file_ships_empty_with_a_warning() {
    let env = TestEnv::new();
    env.sized("secret.txt", 5).sized("open.txt", 2);
    lock(&env, "secret.txt");
    let Some(run) = run_unprivileged(&env, &["ls", "-l"]) else {
        eprintln!("{SKIPPED}");
        return;
    };
    run.expect_code(0);
    assert_eq!(run.lines(), ["f 2 open.txt", "f 0 secret.txt"]);
    assert!(
        run.stderr.contains("secret.txt") && run.stderr.contains("arrives empty"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("incomplete"), "{}", run.stderr);
}

#[test]
fn unreadable_file_is_a_warning_for_scan_and_check() {
    let env = TestEnv::new();
    env.sized("secret.txt", 5).sized("open.txt", 2);
    lock(&env, "secret.txt");
    let Some(run) = run_unprivileged(&env, &["scan", "--json"]) else {
        eprintln!("{SKIPPED}");
        return;
    };
    run.expect_code(0);
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(report["incomplete"], serde_json::json!([]));
    assert_eq!(report["totals"]["shipped"]["files"], 2);
    assert_eq!(report["totals"]["shipped"]["bytes"], 2);
    assert_eq!(report["totals"]["emptied"]["files"], 1);
    let warning = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["kind"] == "unreadable")
        .expect("an `unreadable` warning");
    assert_eq!(warning["paths"], serde_json::json!(["secret.txt"]));

    let run = run_unprivileged(&env, &["check"]).unwrap();
    run.expect_code(0);
    let stdout = run.stdout();
    assert!(stdout.contains("warning: ") && stdout.contains("secret.txt"), "{stdout}");
    assert!(stdout.contains("passed, 1 warning"), "{stdout}");

    let run = run_unprivileged(&env, &["check", "--format", "json"]).unwrap();
    run.expect_code(0);
    let verdict: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(verdict["passed"], true);
    assert_eq!(verdict["warnings"][0]["kind"], "unreadable-file");

    let run = run_unprivileged(&env, &["why", "--json", "secret.txt"]).unwrap();
    run.expect_code(0);
    let answer: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(answer["paths"][0]["status"], "shipped_empty");
}
