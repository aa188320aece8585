//! A closed stdout (`ctxsize … | head`) ends every command quietly with exit 0, whatever the
//! format: Rust ignores SIGPIPE, so the closed pipe arrives as a write error.

use crate::env::TestEnv;

/// A tree whose reports are far larger than a write buffer, so that the serialisers meet the
/// closed pipe themselves (not only the final flush), with an ignore file full of rules that
/// match nothing (one lint finding each).
fn big_tree() -> TestEnv {
    let env = TestEnv::new();
    for i in 0..3000 {
        env.sized(format!("d{}/file-{i:05}", i % 30), 1);
    }
    env.sized("node_modules/left-pad/index.js", 100);
    let rules: String = (0..300).map(|i| format!("nothing-{i}\n")).collect();
    env.file(".dockerignore", rules);
    env.file("package.json", "{}");
    env.file("Dockerfile", "FROM scratch\nCOPY . .\n");
    env
}

fn assert_quiet(env: &TestEnv, args: &[&str]) {
    let run = env.run_into_closed_pipe(args);
    let args = &args[..args.len().min(4)];
    assert_eq!(run.code, 0, "{args:?}: exit status; stderr:\n{}", run.stderr);
    assert!(!run.stderr.contains("error"), "{args:?}: stderr:\n{}", run.stderr);
}

fn many_paths() -> Vec<String> {
    (0..300).map(|i| format!("d{}/file-{i:05}", i % 30)).collect()
}

#[test]
fn scan_text_and_json() {
    let env = big_tree();
    assert_quiet(&env, &["scan", "--top", "3000", "."]);
    assert_quiet(&env, &["scan", "--json", "--top", "3000", "."]);
}

#[test]
fn why_text_and_json() {
    let env = big_tree();
    let paths = many_paths();
    let mut args = vec!["why"];
    args.extend(paths.iter().map(String::as_str));
    assert_quiet(&env, &args);
    args.insert(1, "--json");
    assert_quiet(&env, &args);
}

#[test]
fn lint_text_and_json() {
    let env = big_tree();
    assert_quiet(&env, &["lint", "."]);
    assert_quiet(&env, &["lint", "--json", "."]);
}

#[test]
fn check_in_every_format() {
    let env = big_tree();
    for format in ["text", "json", "sarif", "github"] {
        assert_quiet(&env, &["check", "--format", format, "."]);
    }
}

#[test]
fn init_diff_and_dry_run() {
    let env = big_tree();
    assert_quiet(&env, &["init", "--diff", "."]);
    assert_quiet(&env, &["init", "--dry-run", "."]);
}

#[test]
fn ls_plain_and_long() {
    let env = big_tree();
    assert_quiet(&env, &["ls"]);
    assert_quiet(&env, &["ls", "-l"]);
}

#[test]
fn ls_excluded_and_transfer() {
    let env = big_tree();
    env.file(".dockerignore", "d*\n");
    assert_quiet(&env, &["ls", "--excluded", "--all"]);
    assert_quiet(&env, &["ls", "--transfer", "-l"]);
    assert_quiet(&env, &["ls", "-0"]);
}

#[test]
fn completions_and_man() {
    let env = TestEnv::new();
    assert_quiet(&env, &["completions", "bash"]);
    assert_quiet(&env, &["man"]);
}

#[test]
fn init_writing_a_new_file() {
    let env = big_tree();
    std::fs::remove_file(env.path(".dockerignore")).unwrap();
    assert_quiet(&env, &["init", "."]);
}
