//! `ctxsize init` on real trees: byte-exact preservation, idempotence, safety.

use std::fs;

use crate::env::TestEnv;

fn node_project() -> TestEnv {
    let env = TestEnv::new();
    env.file("package.json", "{}\n")
        .sized("src/index.js", 100)
        .sized("node_modules/react/index.js", 1000)
        .sized("debug.log", 300);
    env
}

fn read(env: &TestEnv, name: &str) -> Vec<u8> {
    fs::read(env.path(name)).unwrap()
}

#[test]
fn creates_the_file_when_there_is_none() {
    let env = node_project();
    let run = env.run(["init"]);
    run.expect_code(0);
    let text = String::from_utf8(read(&env, ".dockerignore")).unwrap();
    assert!(text.contains("# Added by ctxsize\n"), "{text}");
    assert!(text.contains("**/node_modules\n") && text.contains("**/*.log\n"), "{text}");
    let out = run.stdout();
    assert!(out.contains("context before:") && out.contains("context after:"), "{out}");
    let listed = env.run(["ls"]).lines();
    assert!(
        !listed.iter().any(|l| l.starts_with("node_modules") || l == "debug.log"),
        "{listed:?}"
    );
}

#[test]
fn existing_files_keep_every_byte_and_a_second_run_changes_nothing() {
    let existing: &[&[u8]] = &[
        b"# comment\n\nbuild\n",
        b"# crlf\r\nbuild\r\n",
        b"no-final-newline",
        b"\xEF\xBB\xBF# bom\n*.tmp\n",
        b"*\n!src\n!package.json\n!keep.log\n",
    ];
    for content in existing {
        let env = node_project();
        env.file(".dockerignore", content);
        env.run(["init", "--yes"]).expect_code(0);
        let after = read(&env, ".dockerignore");
        assert_eq!(&after[..content.len()], *content, "prefix kept for {content:?}");
        if content.windows(2).any(|w| w == b"\r\n") {
            let added = &after[content.len()..];
            assert!(
                !added.split(|&b| b == b'\n').any(|l| !l.is_empty() && !l.ends_with(b"\r")),
                "CRLF kept"
            );
        }
        let run = env.run(["init", "--yes"]);
        run.expect_code(0);
        assert!(run.stdout().contains("nothing to add"), "{}", run.stdout());
        assert_eq!(read(&env, ".dockerignore"), after, "idempotent for {content:?}");
    }
}

#[test]
fn user_exceptions_keep_winning() {
    let env = node_project();
    env.sized("keep.log", 5).file(".dockerignore", "!keep.log\n");
    env.run(["init", "--yes"]).expect_code(0);
    let listed = env.run(["ls"]).lines();
    assert!(listed.contains(&"keep.log".to_owned()), "{listed:?}");
}

#[test]
fn without_a_terminal_or_yes_an_existing_file_is_not_modified() {
    let env = node_project();
    env.file(".dockerignore", "build\n");
    let run = env.run(["init"]);
    run.expect_code(1);
    assert!(run.stdout().contains("+**/node_modules"), "the diff is shown: {}", run.stdout());
    assert!(run.stderr.contains("--yes"), "{}", run.stderr);
    assert_eq!(read(&env, ".dockerignore"), b"build\n");
}

#[test]
fn dry_run_and_diff_change_nothing() {
    let env = node_project();
    env.file(".dockerignore", "build\n");
    let run = env.run(["init", "--dry-run"]);
    run.expect_code(0);
    assert!(run.stdout().starts_with("build\n"), "{}", run.stdout());
    assert!(run.stdout().contains("**/node_modules"));
    let run = env.run(["init", "--diff"]);
    run.expect_code(0);
    assert!(run.stdout().starts_with("--- a/"), "{}", run.stdout());
    assert_eq!(read(&env, ".dockerignore"), b"build\n");
}

#[test]
fn writes_the_ignore_file_beside_the_dockerfile_when_that_is_the_one_in_force() {
    let env = node_project();
    env.file("docker/app.Dockerfile", "FROM node\nCOPY . .\n")
        .file("docker/app.Dockerfile.dockerignore", "# app\n")
        .file(".dockerignore", "root\n");
    env.run(["init", "--yes", "-f", "docker/app.Dockerfile"]).expect_code(0);
    let sibling = String::from_utf8(read(&env, "docker/app.Dockerfile.dockerignore")).unwrap();
    assert!(sibling.starts_with("# app\n") && sibling.contains("**/node_modules"), "{sibling}");
    assert_eq!(read(&env, ".dockerignore"), b"root\n");
}

#[test]
fn never_excludes_what_the_dockerfile_copies() {
    let env = node_project();
    env.file("Dockerfile", "FROM node\nCOPY debug.log /app/\nCOPY . .\n");
    env.run(["init", "--yes"]).expect_code(0);
    let text = String::from_utf8(read(&env, ".dockerignore")).unwrap();
    assert!(!text.contains("**/*.log"), "{text}");
    assert!(env.run(["ls"]).lines().contains(&"debug.log".to_owned()));
}

#[test]
fn symlinked_or_non_utf8_ignore_files_are_left_untouched() {
    let env = node_project();
    env.file("conf/ignore", "build\n").symlink(".dockerignore", "conf/ignore");
    let run = env.run(["init", "--yes"]);
    run.expect_code(2);
    assert!(run.stderr.contains(".dockerignore"), "{}", run.stderr);
    assert_eq!(read(&env, "conf/ignore"), b"build\n");

    let env = node_project();
    env.file(".dockerignore", b"caf\xe9\n");
    let run = env.run(["init", "--yes"]);
    run.expect_code(2);
    assert!(run.stderr.contains("UTF-8"), "{}", run.stderr);
    assert_eq!(read(&env, ".dockerignore"), b"caf\xe9\n");
}

#[test]
fn a_rejected_ignore_file_is_an_error_and_untouched() {
    let env = node_project();
    env.file(".dockerignore", "src/[\n");
    let run = env.run(["init", "--yes"]);
    run.expect_code(2);
    assert!(run.stderr.contains(".dockerignore:1:"), "{}", run.stderr);
    assert_eq!(read(&env, ".dockerignore"), b"src/[\n");
}

#[test]
fn from_gitignore_converts_and_anchors() {
    let env = node_project();
    env.sized("pkg/dist/x.js", 10)
        .sized("dist/y.js", 10)
        .sized("important.log", 3)
        .file(".gitignore", "/dist\n*.log\n!important.log\n");
    env.run(["init", "--yes", "--from-gitignore", "--type", "python"]).expect_code(0);
    let listed = env.run(["ls"]).lines();
    assert!(!listed.contains(&"dist/y.js".to_owned()), "{listed:?}");
    assert!(listed.contains(&"pkg/dist/x.js".to_owned()), "/dist is anchored: {listed:?}");
    assert!(!listed.contains(&"debug.log".to_owned()), "*.log matches at any depth");
    assert!(listed.contains(&"important.log".to_owned()), "the negation carries over: {listed:?}");
}

/// On a terminal, `init` asks before modifying an existing file. `script` (util-linux)
/// provides the terminal.
#[test]
fn on_a_terminal_init_asks_first() {
    if std::process::Command::new("script").arg("--version").output().is_err() {
        eprintln!("SKIPPED: `script` (util-linux) is not installed, no terminal to test with");
        return;
    }
    for (answer, written) in [("y\n", true), ("n\n", false)] {
        let env = node_project();
        env.file(".dockerignore", "build\n");
        let mut child = std::process::Command::new("script")
            .args(["-qec", &format!("{} init", env!("CARGO_BIN_EXE_ctxsize")), "/dev/null"])
            .current_dir(env.root())
            .env("NO_COLOR", "1")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write as _;
        child.stdin.take().unwrap().write_all(answer.as_bytes()).unwrap();
        let output = child.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(text.contains("[y/N]"), "asked: {text}");
        let content = String::from_utf8(read(&env, ".dockerignore")).unwrap();
        assert_eq!(content.contains("**/node_modules"), written, "answer {answer:?}: {content}");
        assert!(content.starts_with("build\n"));
    }
}

/// A write that cannot happen leaves the old file as it was (the replacement is written
/// beside it and renamed over it only when complete). Run unprivileged so that permissions
/// apply even when the tests run as root.
#[test]
fn a_write_that_fails_leaves_the_old_file() {
    use std::os::unix::fs::PermissionsExt;
    let env = node_project();
    env.file(".dockerignore", "build\n");
    let ignore = env.path(".dockerignore");
    fs::set_permissions(&ignore, fs::Permissions::from_mode(0o666)).unwrap();
    // The directory does not let anyone but its owner create the temporary file.
    let Some(run) = crate::unreadable::run_unprivileged(&env, &["init", "--yes"]) else {
        eprintln!("SKIPPED: running as root and `setpriv` is not available to drop privileges");
        return;
    };
    if run.code == 0 {
        // Not root: the directory was ours. Make it read-only for ourselves and retry.
        fs::write(&ignore, "build\n").unwrap();
        fs::set_permissions(env.root(), fs::Permissions::from_mode(0o555)).unwrap();
        let run = env.run(["init", "--yes"]);
        fs::set_permissions(env.root(), fs::Permissions::from_mode(0o755)).unwrap();
        run.expect_code(2);
    } else {
        run.expect_code(2);
        assert!(run.stderr.contains(".dockerignore"), "{}", run.stderr);
    }
    assert_eq!(read(&env, ".dockerignore"), b"build\n");
    let leftovers: Vec<_> = fs::read_dir(env.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("ctxsize") && n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A sample project of each type, without an ignore file: `init --yes` creates one, and a
/// second run changes nothing (the first measured as if the file it writes existed), nor
/// does `scan` propose anything more.
#[test]
fn creating_the_file_is_done_in_one_run_for_every_project_type() {
    let samples: &[(&str, &[(&str, usize)])] = &[
        ("node", &[("package.json", 3), ("node_modules/x/i.js", 40), ("npm-debug.log", 5)]),
        ("python", &[("pyproject.toml", 3), ("app/__pycache__/a.pyc", 30), (".venv/lib/x", 9)]),
        ("go", &[("go.mod", 3), ("main.go", 10), ("coverage.txt", 8)]),
        ("java", &[("pom.xml", 3), ("src/A.java", 10), ("target/a.jar", 50)]),
        ("rust", &[("Cargo.toml", 3), ("src/main.rs", 10), ("target/debug/app", 70)]),
        ("ruby", &[("Gemfile", 3), ("app/a.rb", 10), ("log/development.log", 20)]),
        ("php", &[("composer.json", 3), ("src/a.php", 10), ("vendor/x/y.php", 15)]),
        ("dotnet", &[("app.csproj", 3), ("Program.cs", 10), ("obj/project.assets.json", 25)]),
    ];
    for (kind, files) in samples {
        let env = TestEnv::new();
        for (path, size) in *files {
            env.sized(path, *size);
        }
        env.file("Dockerfile", "FROM scratch\nCOPY . /app\n");
        env.run(["init", "--yes"]).expect_code(0);
        let first = read(&env, ".dockerignore");
        let again = env.run(["init", "--yes"]);
        again.expect_code(0);
        assert!(again.stdout().contains("nothing to add"), "{kind}: {}", again.stdout());
        assert_eq!(read(&env, ".dockerignore"), first, "{kind}: the second run changed the file");
        let report: serde_json::Value =
            serde_json::from_slice(&env.run(["scan", "--json"]).stdout).unwrap();
        assert_eq!(report["proposal"]["rules"], serde_json::json!([]), "{kind}");
    }
}
