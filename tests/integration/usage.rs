//! The command line itself: closed sets of values are known to clap, so a wrong value is a
//! usage error (exit 2) that names the allowed ones, and `--help` and completions list them.

use crate::env::TestEnv;

/// Asserts a usage error: exit 2, nothing on stdout, the bad value and every allowed one named.
fn assert_rejected(env: &TestEnv, args: &[&str], bad: &str, allowed: &[&str]) {
    let run = env.run(args);
    run.expect_code(2);
    assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout());
    assert!(run.stderr.contains(&format!("invalid value '{bad}'")), "{args:?}: {}", run.stderr);
    for value in allowed {
        assert!(run.stderr.contains(value), "{args:?}: {value} not named: {}", run.stderr);
    }
}

const DENY_ITEMS: [&str; 10] =
    ["secrets", "vcs", "deps", "build", "caches", "logs", "lint", "test", "junk", "large"];
const FORMATS: [&str; 4] = ["text", "json", "sarif", "github"];
const TYPES: [&str; 8] = ["node", "python", "go", "java", "rust", "ruby", "php", "dotnet"];

#[test]
fn bad_closed_set_values_are_usage_errors_naming_the_allowed_ones() {
    let env = TestEnv::new();
    env.sized("a.txt", 10);
    assert_rejected(&env, &["check", "--format", "xml"], "xml", &FORMATS);
    assert_rejected(&env, &["check", "--deny", "secrets,cobol"], "cobol", &DENY_ITEMS);
    assert_rejected(&env, &["check", "--warn", "modules"], "modules", &DENY_ITEMS);
    assert_rejected(&env, &["scan", "--type", "node,cobol"], "cobol", &TYPES);
    assert_rejected(&env, &["init", "--type", "Node"], "Node", &TYPES);
    assert_rejected(&env, &["check", "--color", "sometimes"], "sometimes", &["auto", "never"]);
}

#[test]
fn open_values_are_checked_while_parsing_too() {
    let env = TestEnv::new();
    let run = env.run(["check", "--max-size", "lots"]);
    run.expect_code(2);
    assert!(run.stderr.contains("invalid value 'lots' for '--max-size"), "{}", run.stderr);
    let run = env.run(["ls", "--platform", "linux/amd64,linux/arm64"]);
    run.expect_code(2);
    assert!(run.stderr.contains("--platform"), "{}", run.stderr);
    let run = env.run(["check", "--allow", "certs/[a-"]);
    run.expect_code(2);
    assert!(run.stderr.contains("invalid glob"), "{}", run.stderr);
}

#[test]
fn deny_lists_keep_their_forgiving_spelling() {
    let env = TestEnv::new();
    env.file(".env", "TOKEN=x\n");
    // Blanks around names, repeated names and an empty list (nothing denied) are accepted.
    env.run(["check", "--deny", "secrets, vcs,secrets"]).expect_code(1);
    env.run(["check", "--deny", ""]).expect_code(0);
    env.run(["check", "--deny", "vcs", "--warn", ""]).expect_code(0);
}

#[test]
fn help_and_completions_list_the_values() {
    let env = TestEnv::new();
    let help = env.run(["check", "--help"]);
    help.expect_code(0);
    let help = help.stdout();
    for value in DENY_ITEMS.iter().chain(&FORMATS) {
        assert!(help.contains(value), "{value} not in check --help:\n{help}");
    }
    let bash = env.run(["completions", "bash"]);
    bash.expect_code(0);
    let script = bash.stdout();
    for value in DENY_ITEMS.iter().chain(&FORMATS).chain(&TYPES) {
        assert!(script.contains(value), "{value} not in the bash completions");
    }
    let fish = env.run(["completions", "fish"]);
    let script = fish.stdout();
    assert!(script.contains("sarif") && script.contains("dotnet"), "{script}");
}

#[test]
fn the_shared_build_flags_are_the_same_on_every_command() {
    let env = TestEnv::new();
    for command in ["scan", "ls", "check", "init", "why"] {
        let help = env.run([command, "--help"]);
        help.expect_code(0);
        let help = help.stdout();
        for flag in ["-f, --file <DOCKERFILE>", "--target <STAGE>", "--build-arg <NAME=VALUE>"] {
            assert!(help.contains(flag), "{command} --help lacks {flag}:\n{help}");
        }
        assert!(help.contains("--platform <PLATFORM>"), "{command}:\n{help}");
    }
    let lint = env.run(["lint", "--help"]).stdout();
    assert!(lint.contains("-f, --file <DOCKERFILE>"), "{lint}");
}

#[test]
fn a_bad_settings_file_names_the_file_the_line_and_the_key() {
    let env = TestEnv::new();
    env.sized("a.txt", 10);
    env.file(
        "ctxsize.toml",
        "# gate\n[check]\nmax-files = 3\ndeny = [\n  \"secrets\",\n  \"cobol\",\n]\n",
    );
    let run = env.run(["check"]);
    run.expect_code(2);
    assert!(run.stdout.is_empty(), "{}", run.stdout());
    assert!(
        run.stderr.contains("ctxsize.toml:6: bad value for `check.deny`: unknown category `cobol`"),
        "{}",
        run.stderr
    );
    env.file("ctxsize.toml", "[check]\nmax-files = 3\nformat = \"sarif\"\nfail_on = 1\n");
    let run = env.run(["check"]);
    run.expect_code(2);
    assert!(run.stderr.contains("ctxsize.toml:4: unknown key `check.fail_on`"), "{}", run.stderr);
    // A flag does not hide a bad file: the file is read whole.
    env.run(["check", "--format", "json"]).expect_code(2);
}
