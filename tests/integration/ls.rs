//! `ctxsize ls` on real temporary trees.

use std::io::Read;
use std::process::Stdio;

use crate::env::{TestEnv, non_utf8_name};

#[test]
fn lists_what_ships_sorted_with_directories() {
    let env = TestEnv::new();
    env.file(".dockerignore", "node_modules\n*.log\n")
        .sized("src/main.js", 10)
        .sized("node_modules/a/index.js", 5)
        .sized("debug.log", 3)
        .sized("src/debug.log", 4)
        .dir("empty");
    let run = env.run(["ls"]);
    run.expect_code(0);
    assert_eq!(run.lines(), [".dockerignore", "empty", "src", "src/debug.log", "src/main.js"]);
    assert!(run.stderr.is_empty(), "a clean run is silent on stderr: {}", run.stderr);
}

#[test]
fn long_format_matches_the_conformance_lines() {
    let env = TestEnv::new();
    env.sized("a/b.txt", 7).symlink("link", "a/b.txt");
    let run = env.run(["ls", "-l", "."]);
    run.expect_code(0);
    assert_eq!(run.lines(), ["d 0 a", "f 7 a/b.txt", "l 7 link"]);
}

#[test]
fn context_argument_and_no_ignore() {
    let env = TestEnv::new();
    env.file(".dockerignore", "*\n").sized("x", 1);
    let run = env.run(["ls", "--no-ignore", env.root().to_str().unwrap()]);
    run.expect_code(0);
    assert_eq!(run.lines(), [".dockerignore", "x"]);
    let run = env.run(["ls", env.root().to_str().unwrap()]);
    run.expect_code(0);
    assert!(run.stdout.is_empty());
}

#[test]
fn dockerfile_sibling_ignore_file_wins() {
    let env = TestEnv::new();
    env.file(".dockerignore", "a\n")
        .file("docker/api.Dockerfile", "FROM scratch\n")
        .file("docker/api.Dockerfile.dockerignore", "b\n")
        .sized("a", 1)
        .sized("b", 2);
    let run = env.run(["ls", "-f", "docker/api.Dockerfile", "."]);
    run.expect_code(0);
    assert!(run.lines().contains(&"a".to_owned()));
    assert!(!run.lines().contains(&"b".to_owned()));
}

#[test]
fn excluded_lists_top_directories_once_unless_all() {
    let env = TestEnv::new();
    env.file(".dockerignore", "node_modules\n*.log\n")
        .sized("node_modules/a/index.js", 5)
        .sized("node_modules/b/index.js", 5)
        .sized("x.log", 3)
        .sized("keep.txt", 1);
    let run = env.run(["ls", "--excluded"]);
    run.expect_code(0);
    assert_eq!(run.lines(), ["node_modules", "x.log"]);
    let run = env.run(["ls", "--excluded", "--all", "-l"]);
    run.expect_code(0);
    assert_eq!(
        run.lines(),
        [
            "d 0 node_modules",
            "d 0 node_modules/a",
            "f 5 node_modules/a/index.js",
            "d 0 node_modules/b",
            "f 5 node_modules/b/index.js",
            "f 3 x.log"
        ]
    );
}

#[test]
fn excluded_shows_what_is_dropped_inside_a_reincluded_directory() {
    let env = TestEnv::new();
    env.file(".dockerignore", "docs\n!docs/keep.md\n")
        .sized("docs/keep.md", 1)
        .sized("docs/other.md", 2)
        .sized("docs/sub/x.md", 3);
    let run = env.run(["ls", "--excluded"]);
    run.expect_code(0);
    assert_eq!(run.lines(), ["docs/other.md", "docs/sub"]);
}

#[test]
fn nul_separated_output_round_trips_odd_names() {
    let env = TestEnv::new();
    env.sized("line\nbreak", 1).sized(non_utf8_name(), 2).sized("plain", 3);
    let run = env.run(["ls", "-0"]);
    run.expect_code(0);
    let names: Vec<&[u8]> = run.stdout.split(|&b| b == 0).filter(|n| !n.is_empty()).collect();
    assert_eq!(names, [&b"caf\xe9.txt"[..], b"line\nbreak", b"plain"]);
}

#[test]
fn rejected_ignore_file_names_file_line_and_pattern() {
    let env = TestEnv::new();
    env.file(".dockerignore", "# rules\nok\nsrc/[ab\n").sized("a", 1);
    let run = env.run(["ls"]);
    run.expect_code(2);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains(".dockerignore:3:"), "{}", run.stderr);
    assert!(run.stderr.contains("src/[ab"), "{}", run.stderr);
}

#[test]
fn regex_error_found_during_the_walk_names_the_line() {
    let env = TestEnv::new();
    env.file(".dockerignore", "a\nx\\q\n").sized("b", 1);
    let run = env.run(["ls"]);
    run.expect_code(2);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains(".dockerignore:2:"), "{}", run.stderr);
    assert!(run.stderr.contains("x\\\\q") || run.stderr.contains("x\\q"), "{}", run.stderr);
}

#[test]
fn sibling_ignore_file_errors_name_that_file() {
    let env = TestEnv::new();
    env.file("Dockerfile.dockerignore", "!\n").sized("a", 1);
    let run = env.run(["ls"]);
    run.expect_code(2);
    assert!(run.stderr.contains("Dockerfile.dockerignore:1:"), "{}", run.stderr);
}

#[test]
fn missing_or_non_directory_context_is_an_error() {
    let env = TestEnv::new();
    env.sized("file", 1);
    let run = env.run(["ls", "does-not-exist"]);
    run.expect_code(2);
    assert!(run.stderr.contains("does-not-exist"), "{}", run.stderr);
    // The cause once, not once from the message and again from its source.
    assert_eq!(run.stderr.matches("No such file or directory").count(), 1, "{}", run.stderr);
    let run = env.run(["ls", "file"]);
    run.expect_code(2);
    assert!(run.stderr.contains("not a directory"), "{}", run.stderr);
}

#[test]
fn usage_errors_exit_2() {
    let env = TestEnv::new();
    env.run(["ls", "--all"]).expect_code(2);
    env.run(["frobnicate"]).expect_code(2);
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let env = TestEnv::new();
    for i in 0..3000 {
        env.sized(format!("d{}/file-{i:05}", i % 30), 1);
    }
    let mut child =
        env.command(["ls", "-l"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut first = [0u8; 16];
    child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "stderr: {stderr}");
    assert!(stderr.is_empty(), "stderr: {stderr}");
}

#[test]
fn broken_symlinks_and_links_to_outside_ship_as_links() {
    let env = TestEnv::new();
    env.symlink("broken", "does/not/exist").symlink("out", "/etc");
    let run = env.run(["ls", "-l"]);
    run.expect_code(0);
    assert_eq!(run.lines(), ["l 14 broken", "l 4 out"]);
}

#[test]
fn an_ignore_file_that_is_a_directory_is_skipped_with_a_warning() {
    let env = TestEnv::new();
    env.dir(".dockerignore").sized("a", 1);
    let run = env.run(["ls"]);
    run.expect_code(0);
    assert_eq!(run.lines(), [".dockerignore", "a"]);
    assert!(run.stderr.contains(".dockerignore is not used"), "{}", run.stderr);
}

#[test]
fn a_dangling_sibling_ignore_file_falls_back_to_dockerignore_with_a_warning() {
    let env = TestEnv::new();
    env.file(".dockerignore", "a\n").symlink("Dockerfile.dockerignore", "nowhere").sized("a", 1);
    let run = env.run(["ls"]);
    run.expect_code(0);
    assert_eq!(run.lines(), [".dockerignore", "Dockerfile.dockerignore"]);
    assert!(run.stderr.contains("Dockerfile.dockerignore is not used"), "{}", run.stderr);
}

#[test]
fn a_symlink_loop_as_ignore_file_is_skipped_with_a_warning() {
    let env = TestEnv::new();
    env.symlink(".dockerignore", "loop").symlink("loop", ".dockerignore").sized("a", 1);
    let run = env.run(["ls"]);
    run.expect_code(0);
    assert!(run.lines().contains(&"a".to_owned()));
    assert!(run.stderr.contains("too many levels of symlinks"), "{}", run.stderr);
}

#[test]
fn ignore_file_with_a_bom_crlf_and_binary_junk_never_panics() {
    let env = TestEnv::new();
    env.file(".dockerignore", b"\xEF\xBB\xBFa\r\n\xff\xfe*\x00\r\n\xc3(\n")
        .sized("a", 1)
        .sized("b", 2);
    // A NUL inside a pattern while another is not ASCII: the patterns travel encoded, so
    // BuildKit accepts the file; `a` is excluded, nothing else matches.
    let run = env.run(["ls"]);
    run.expect_code(0);
    assert_eq!(run.lines(), [".dockerignore", "b"]);
}

/// `docker build -f MISSING` fails before sending anything, so every command fails too:
/// exit 2, the file named, nothing on stdout.
#[test]
fn a_missing_dockerfile_is_an_error_for_every_command() {
    let env = TestEnv::new();
    env.sized("a", 1).symlink("dangling.Dockerfile", "nowhere");
    let commands: [&[&str]; 7] = [
        &["ls"],
        &["why", "a"],
        &["scan"],
        &["check"],
        &["lint"],
        &["init", "--dry-run"],
        &["init", "--diff"],
    ];
    for missing in ["nope.Dockerfile", "dangling.Dockerfile"] {
        for command in commands {
            let mut args = command.to_vec();
            args.extend(["-f", missing]);
            let run = env.run(&args);
            run.expect_code(2);
            assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout());
            assert!(
                run.stderr.contains(&format!("Dockerfile {missing}")),
                "{args:?}: {}",
                run.stderr
            );
        }
    }
    // `-f -` reads standard input, which is always there.
    env.run(["ls", "-f", "-"]).expect_code(0);
}

#[test]
fn completions_and_man_page_are_generated() {
    let env = TestEnv::new();
    let run = env.run(["completions", "bash"]);
    run.expect_code(0);
    assert!(run.stdout().contains("ctxsize") && run.stdout().contains("scan"));
    let run = env.run(["man"]);
    run.expect_code(0);
    assert!(run.stdout().starts_with(".ie") || run.stdout().contains(".TH"), "{}", run.stdout());
    env.run(["completions", "tcsh"]).expect_code(2);
}

#[test]
fn thread_count_never_changes_a_result() {
    // Enough directories that several walker threads each take a share, with rules that
    // exclude, re-include and prune.
    let env = TestEnv::new();
    env.file(
        ".dockerignore",
        "**/node_modules\n**/*.log\n!**/keep.log\n**/build\n!**/build/out.txt\n",
    );
    for d in 0..40 {
        env.sized(format!("pkg{d}/src/index.js"), d + 1)
            .sized(format!("pkg{d}/node_modules/dep/index.js"), 100)
            .sized(format!("pkg{d}/debug.log"), 7)
            .sized(format!("pkg{d}/keep.log"), 3)
            .sized(format!("pkg{d}/build/out.txt"), 2)
            .sized(format!("pkg{d}/build/tmp.o"), 50);
    }
    let commands = [
        vec!["ls", "-l"],
        vec!["scan", "--json"],
        // A failing check: the violations it lists must not depend on the threads either.
        vec!["check", "--format", "json", "--max-size", "1KB", "--deny", "build"],
        vec!["lint", "--json"],
        vec!["init", "--diff"],
    ];
    for (args, code) in commands.iter().zip([0, 0, 1, 0, 0]) {
        let runs: Vec<_> = ["1", "2", "7", "0"]
            .into_iter()
            .map(|threads| {
                let run = env.run(["-j", threads].into_iter().chain(args.iter().copied()));
                run.expect_code(code);
                run.stdout
            })
            .collect();
        assert!(!runs[0].is_empty(), "{args:?} printed nothing");
        for (threads, stdout) in ["2", "7", "0"].iter().zip(&runs[1..]) {
            assert!(
                *stdout == runs[0],
                "{args:?} with -j {threads} differs from -j 1:\n{}\n---\n{}",
                String::from_utf8_lossy(stdout),
                String::from_utf8_lossy(&runs[0])
            );
        }
    }
}
