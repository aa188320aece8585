//! `ctxsize check` through the binary: exit codes, limits, denies, formats, ctxsize.toml.

use serde_json::Value;

use crate::env::{Run, TestEnv};

fn project() -> TestEnv {
    let env = TestEnv::new();
    env.sized("src/main.js", 1000).sized("README.md", 200);
    env
}

#[test]
fn exit_codes_follow_the_limits() {
    let env = project();
    env.run(["check"]).expect_code(0);
    env.run(["check", "--max-size", "2kB"]).expect_code(0);
    let run = env.run(["check", "--max-size", "1kB"]);
    run.expect_code(1);
    assert!(run.stdout().lines().last().unwrap().contains("FAILED"), "{}", run.stdout());
    env.run(["check", "--max-size", "1KiB"]).expect_code(1);
    env.run(["check", "--max-size", "1.2KiB"]).expect_code(0);
    env.run(["check", "--max-files", "2"]).expect_code(0);
    env.run(["check", "--max-files", "1"]).expect_code(1);
}

#[test]
fn usage_and_rejected_ignore_files_exit_2() {
    let env = project();
    env.run(["check", "--max-size", "lots"]).expect_code(2);
    env.run(["check", "--deny", "cobol"]).expect_code(2);
    env.run(["check", "--format", "xml"]).expect_code(2);
    env.file(".dockerignore", "src/[\n");
    let run = env.run(["check"]);
    run.expect_code(2);
    assert!(run.stderr.contains(".dockerignore:1:"), "{}", run.stderr);
}

#[test]
fn secrets_are_denied_by_default_and_each_category_can_be() {
    let env = project();
    env.file(".env", "TOKEN=x\n");
    let run = env.run(["check"]);
    run.expect_code(1);
    assert!(run.stdout().contains(".env"), "{}", run.stdout());
    env.file(".dockerignore", ".env\n");
    env.run(["check"]).expect_code(0);

    let cases: &[(&str, &str)] = &[
        ("vcs", ".git/HEAD"),
        ("deps", "node_modules/a/index.js"),
        ("build", "dist/app.js"),
        ("caches", "__pycache__/m.pyc"),
        ("logs", "debug.log"),
        ("test", "coverage/lcov.info"),
        ("junk", ".DS_Store"),
        ("large", "video.mp4"),
    ];
    for (name, path) in cases {
        let env = project();
        env.sized(path, 10);
        env.run(["check", "--deny", name]).expect_code(1);
        let run = env.run(["check", "--deny", "secrets"]);
        assert_ne!(run.code, 2, "{name}: {}", run.stderr);
        let other = if *name == "logs" { "junk" } else { "logs" };
        env.run(["check", "--deny", other]).expect_code(0);
    }
}

#[test]
fn deny_lint_fails_on_a_warning_finding() {
    let env = project();
    env.file(".dockerignore", "*.log # logs\n");
    env.run(["check"]).expect_code(0);
    env.run(["check", "--deny", "lint"]).expect_code(1);
}

#[test]
fn settings_file_and_flags_override_it() {
    let env = project();
    env.file("ctxsize.toml", "[check]\nmax-size = \"1kB\"\n");
    env.run(["check"]).expect_code(1);
    env.run(["check", "--max-size", "10kB"]).expect_code(0);
    env.file("ctxsize.toml", "[check]\nmax-sise = \"1kB\"\n");
    let run = env.run(["check"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("ctxsize.toml") && run.stderr.contains("max-sise"),
        "{}",
        run.stderr
    );
}

#[test]
fn json_format() {
    let env = project();
    let run = env.run(["check", "--max-size", "1kB", "--format", "json"]);
    run.expect_code(1);
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(report["schema_version"], 3);
    assert_eq!(report["passed"], false);
    assert_eq!(report["shipped"]["bytes"], 1200);
    assert_eq!(report["violations"].as_array().unwrap().len(), 1);
}

#[test]
fn sarif_has_what_code_scanning_requires() {
    let env = project();
    env.file(".env", "X=1\n").file(".dockerignore", "# nothing\n");
    let run = env.run(["check", "--format", "sarif", "--max-size", "1kB"]);
    run.expect_code(1);
    let log: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run0 = &log["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "ctxsize");
    let rule_ids: Vec<&str> = run0["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let results = run0["results"].as_array().unwrap();
    assert!(results.len() >= 2, "{results:?}");
    for result in results {
        assert!(rule_ids.contains(&result["ruleId"].as_str().unwrap()), "{result}");
        assert!(!result["message"]["text"].as_str().unwrap().is_empty());
        let location = &result["locations"][0]["physicalLocation"];
        assert!(!location["artifactLocation"]["uri"].as_str().unwrap().is_empty(), "{result}");
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1, "{result}");
    }
}

#[test]
fn github_annotations() {
    let env = project();
    env.file(".env", "X=1\n");
    let run = env.run(["check", "--format", "github"]);
    run.expect_code(1);
    let text = run.stdout();
    assert!(text.lines().any(|l| l.starts_with("::error file=.env")), "{text}");
}

/// A Rails application: its keys hold 32 hexadecimal characters, no `PRIVATE KEY` line.
fn rails() -> TestEnv {
    let env = TestEnv::new();
    env.file("Dockerfile", "FROM ruby\nCOPY . .\n")
        .file("Gemfile", "source \"https://rubygems.org\"\n")
        .file("config/application.rb", "module App; end\n")
        .file("config/master.key", "0123456789abcdef0123456789abcdef")
        .file("config/credentials.yml.enc", "c2VjcmV0\n");
    env
}

#[test]
fn rails_master_key_fails_by_its_path() {
    let env = rails();
    let run = env.run(["check"]);
    run.expect_code(1);
    assert!(
        run.stdout().contains("config/master.key: secret is sent by docker build"),
        "{}",
        run.stdout()
    );
    env.file("config/credentials/production.key", "fedcba9876543210fedcba9876543210");
    let text = env.run(["check"]).stdout();
    assert!(text.contains("config/credentials/production.key: secret"), "{text}");
    // Another `.key` file without a private key is not a secret.
    let env = project();
    env.file("config/server.key", "not a private key\n");
    env.run(["check"]).expect_code(0);
}

#[test]
fn env_templates_pass_the_default_check() {
    let env = project();
    env.file("artisan", "#!/usr/bin/env php\n")
        .file("composer.json", "{}\n")
        .file(".env.example", "APP_KEY=\nDB_PASSWORD=\n")
        .file(".env.testing.example", "APP_ENV=testing\n")
        .file("docker/app.env.example", "X=\n")
        .file("example.env", "X=\n");
    env.run(["check"]).expect_code(0);
    env.file(".env", "APP_KEY=base64:xyz\n");
    let run = env.run(["check"]);
    run.expect_code(1);
    let denied: Vec<String> =
        run.lines().into_iter().filter(|l| l.contains("(denied: secrets)")).collect();
    assert_eq!(denied, [".env: secret ships in the build context (denied: secrets)"]);
}

#[test]
fn allowed_files_pass_and_are_listed() {
    let env = rails();
    let run = env.run(["check", "--allow", "config/master.key"]);
    run.expect_code(0);
    let text = run.stdout();
    assert!(text.lines().any(|l| l == "allowed: config/master.key (secrets)"), "{text}");
    assert!(!text.contains("denied"), "{text}");
    assert!(text.lines().last().unwrap().starts_with("ctxsize check: passed, 1 allowed"), "{text}");

    let run = env.run(["check", "--allow", "config/master.key", "--format", "json"]);
    run.expect_code(0);
    let verdict: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(verdict["passed"], true);
    assert_eq!(
        verdict["allowed"],
        serde_json::json!([{ "path": "config/master.key", "category": "secrets" }])
    );
    assert_eq!(verdict["allowed_unlisted"], serde_json::json!([]));

    // The same from ctxsize.toml; a pattern is relative to the context, `*` stays in one
    // directory.
    env.file("ctxsize.toml", "[check]\nallow = [\"config/*.key\"]\n");
    env.run(["check"]).expect_code(0);
    env.file("config/credentials/production.key", "fedcba9876543210fedcba9876543210");
    let run = env.run(["check"]);
    run.expect_code(1);
    assert!(run.stdout().contains("config/credentials/production.key: secret"), "{}", run.stdout());
    env.file("ctxsize.toml", "[check]\nallow = [\"config/**/*.key\"]\n");
    env.run(["check"]).expect_code(0);
    // The flag replaces the file's list.
    env.run(["check", "--allow", "config/master.key"]).expect_code(1);
    env.run(["check", "--allow", ""]).expect_code(1);

    // Seen from outside the context, violations are relative to the working directory and
    // patterns still to the context.
    let outside = |allow: &str| -> Run {
        env.command(["check", "ctx", "--allow", allow])
            .current_dir(env.outer())
            .output()
            .unwrap()
            .into()
    };
    let run = outside("config/master.key");
    run.expect_code(1);
    let text = run.stdout();
    assert!(text.contains("ctx/config/credentials/production.key: secret"), "{text}");
    assert!(text.lines().any(|l| l == "allowed: ctx/config/master.key (secrets)"), "{text}");
    outside("ctx/config/**/*.key").expect_code(1);
    outside("config/**/*.key").expect_code(0);
}

/// Only the 20 largest secrets are listed one by one; an allowed file is counted apart, so
/// a small allowed key among many secrets is neither listed nor in "and N more".
#[test]
fn allowed_files_are_counted_apart_from_the_listed_examples() {
    let env = rails();
    for i in 0..25 {
        env.sized(format!("services/s{i:02}/.env"), 100);
    }
    let run = env.run(["check", "--allow", "config/master.key"]);
    run.expect_code(1);
    let text = run.stdout();
    let listed = text.lines().filter(|l| l.ends_with("(denied: secrets)")).count();
    assert_eq!(listed, 20, "{text}");
    assert!(text.contains("and 5 more secrets are sent by docker build"), "{text}");
    assert!(text.lines().any(|l| l == "allowed: config/master.key (secrets)"), "{text}");
    let run = env.run(["check", "--allow", "config/master.key,services"]);
    run.expect_code(0);
    assert!(run.stdout().contains("ctxsize check: passed, 26 allowed"), "{}", run.stdout());
}

/// A denied file the Dockerfile does not send is a warning, unless it is allowed.
#[test]
fn allowed_files_outside_the_transfer_are_not_warned_about() {
    let env = rails();
    env.file("Dockerfile", "FROM ruby\nCOPY Gemfile ./\n");
    let run = env.run(["check"]);
    run.expect_code(0);
    assert!(
        run.stdout().contains("warning: config/master.key: 1 secret is in the context"),
        "{}",
        run.stdout()
    );
    let run = env.run(["check", "--allow", "config/master.key"]);
    run.expect_code(0);
    assert!(!run.stdout().contains("warning"), "{}", run.stdout());
}
