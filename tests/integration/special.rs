//! FIFOs, device nodes and sockets, shipped as a real BuildKit build ships them (`FROM
//! scratch`, `COPY . /ctx/`): a FIFO as a FIFO, a device as a device node, a socket as an
//! empty regular file; none has content, and none makes the build fail.

use std::process::Command;

use serde_json::Value;

use crate::env::TestEnv;

fn mkfifo(env: &TestEnv, relative: &str) {
    let status = Command::new("mkfifo").arg(env.path(relative)).status().unwrap();
    assert!(status.success(), "mkfifo {relative}");
}

/// Creates a device node; `false` when this process may not (`mknod` needs root).
fn mknod(env: &TestEnv, relative: &str, kind: &str, major: &str, minor: &str) -> bool {
    Command::new("mknod")
        .arg(env.path(relative))
        .args([kind, major, minor])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

#[test]
fn a_fifo_ships_as_a_fifo_of_zero_bytes() {
    let env = TestEnv::new();
    env.sized("a", 1).sized("d/b", 2);
    mkfifo(&env, "pipe");
    mkfifo(&env, "d/pipe");
    let run = env.run(["ls", "-l"]);
    run.expect_code(0);
    assert_eq!(run.lines(), ["f 1 a", "d 0 d", "f 2 d/b", "p 0 d/pipe", "p 0 pipe"]);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn scan_counts_a_fifo_as_a_file_of_zero_bytes() {
    let env = TestEnv::new();
    env.sized("a", 3);
    mkfifo(&env, "pipe");
    let run = env.run(["scan", "--json"]);
    run.expect_code(0);
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(report["totals"]["shipped"]["files"], 2);
    assert_eq!(report["totals"]["shipped"]["bytes"], 3);
    assert_eq!(report["incomplete"], serde_json::json!([]));
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn an_excluded_fifo_is_not_listed() {
    let env = TestEnv::new();
    env.file(".dockerignore", "pipe\n").sized("a", 1);
    mkfifo(&env, "pipe");
    let run = env.run(["ls", "-l"]);
    run.expect_code(0);
    assert_eq!(run.lines(), ["f 5 .dockerignore", "f 1 a"]);
    let run = env.run(["ls", "-l", "--excluded"]);
    run.expect_code(0);
    assert_eq!(run.lines(), ["p 0 pipe"]);
}

#[test]
fn why_names_a_fifo_by_its_kind() {
    let env = TestEnv::new();
    mkfifo(&env, "pipe");
    let run = env.run(["why", "--json", "pipe"]);
    run.expect_code(0);
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(report["paths"][0]["type"], "fifo");
    assert_eq!(report["paths"][0]["status"], "shipped");
}

#[test]
fn device_nodes_ship_as_devices_of_zero_bytes() {
    let env = TestEnv::new();
    env.sized("a", 1);
    if !mknod(&env, "null", "c", "1", "3") || !mknod(&env, "loop", "b", "7", "0") {
        eprintln!("SKIPPED: creating device nodes needs root (mknod)");
        return;
    }
    let run = env.run(["ls", "-l"]);
    run.expect_code(0);
    assert_eq!(run.lines(), ["f 1 a", "b 0 loop", "c 0 null"]);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let run = env.run(["scan", "--json"]);
    run.expect_code(0);
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(report["totals"]["shipped"]["files"], 3);
    assert_eq!(report["totals"]["shipped"]["bytes"], 1);
    let run = env.run(["why", "--json", "null", "loop"]);
    run.expect_code(0);
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(report["paths"][0]["type"], "char_device");
    assert_eq!(report["paths"][1]["type"], "block_device");
}

/// Scan looks inside some config files for credentials: a FIFO with such a name (or a
/// symlink to one) is never opened for reading, which would wait for a writer forever.
#[test]
fn scan_never_waits_on_a_fifo_named_like_a_config_file() {
    let env = TestEnv::new();
    mkfifo(&env, ".npmrc");
    mkfifo(&env, ".env");
    env.symlink("l/.npmrc", "../.npmrc");
    let mut child =
        env.command(["scan", "--json"]).stdout(std::process::Stdio::piped()).spawn().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("scan hangs on a FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let secrets =
        report["categories"].as_array().unwrap().iter().find(|c| c["category"] == "secrets");
    assert_eq!(secrets.expect("a secrets category")["files"], 0);
}

/// A FIFO where a Dockerfile or a `.gitignore` is read is refused, never waited on: reading
/// it would block until some writer came.
#[test]
fn a_fifo_read_as_a_dockerfile_or_gitignore_is_refused_without_waiting() {
    let env = TestEnv::new();
    env.sized("a.txt", 1);
    mkfifo(&env, "Dockerfile");
    mkfifo(&env, ".gitignore");
    let mut child = env
        .command(["scan", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("scan waited on a FIFO named Dockerfile");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let dockerfile =
        report["warnings"].as_array().unwrap().iter().find(|w| w["kind"] == "dockerfile");
    let message = dockerfile.expect("the Dockerfile is named")["message"].as_str().unwrap();
    assert!(message.contains("not a regular file"), "{message}");

    let run = env.run(["init", "--dry-run", "--from-gitignore"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains(".gitignore") && run.stderr.contains("not a regular file"),
        "{}",
        run.stderr
    );
}
