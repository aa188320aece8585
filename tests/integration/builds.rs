//! `scan` and `check` over every build of a project (`--all`): discovery, each build's
//! report against the single-build scan, narrowing with `--service`, and errors.

use serde_json::Value;

use crate::env::TestEnv;

/// A small monorepo: a root `.dockerignore`, an API built from one directory with a target
/// and an argument, a web app that copies everything with an ignore file of its own, and
/// Dockerfiles that are not the project's (a dependency's, a git-ignored one).
fn monorepo() -> TestEnv {
    let env = TestEnv::new();
    env.file(".dockerignore", "**/*.log\n")
        .file(".gitignore", "/generated/\n")
        .file("package.json", "{\"name\":\"mono\"}\n")
        .file(".env", "TOKEN=1\n")
        .sized("apps/api/main.go", 300)
        .sized("apps/api/debug.log", 50)
        .file(
            "apps/api/Dockerfile",
            "FROM golang AS build\nARG SRC=apps/api\nCOPY ${SRC} /src\n\
             FROM build AS test\nCOPY apps/web /web\n\
             FROM scratch AS runtime\nCOPY --from=build /src /app\n",
        )
        .sized("apps/web/index.js", 200)
        .sized("apps/web/node_modules/react/index.js", 1000)
        .file("apps/web/web.Dockerfile", "FROM node\nCOPY . .\n")
        .file("apps/web/web.Dockerfile.dockerignore", "**/node_modules\n")
        .file("apps/web/Dockerfile.dev", "FROM node\nCOPY apps/web /app\n")
        .file("apps/web/node_modules/react/Dockerfile", "FROM scratch\n")
        .file("generated/Dockerfile", "FROM scratch\n");
    env
}

fn json(run: &crate::env::Run) -> Value {
    serde_json::from_slice(&run.stdout).expect("valid JSON")
}

fn names(document: &Value) -> Vec<String> {
    let builds = document["builds"].as_array().expect("builds");
    builds.iter().map(|b| b["name"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn discovery_skips_dependencies_and_what_git_ignores() {
    let env = monorepo();
    let run = env.run(["scan", "--all", "--json"]);
    run.expect_code(0);
    let document = json(&run);
    assert_eq!(document["schema_version"], 1);
    assert_eq!(document["source"], serde_json::json!({"kind": "all", "path": "."}));
    assert_eq!(
        names(&document),
        ["apps/api/Dockerfile", "apps/web/Dockerfile.dev", "apps/web/web.Dockerfile"]
    );
    let api = &document["builds"][0];
    assert_eq!(api["context"], ".");
    assert_eq!(api["dockerfile"], "apps/api/Dockerfile");
    assert_eq!(api["target"], Value::Null);
    assert_eq!(api["args"], serde_json::json!({}));
}

/// Each build's `report` is what `scan --json -f DOCKERFILE [flags] CONTEXT` prints alone.
fn assert_reports_equal_single_scans(env: &TestEnv, dir: &str, flags: &[&str]) {
    let mut args = vec!["scan", "--json", "--all", dir];
    args.extend_from_slice(flags);
    let run = env.run(&args);
    run.expect_code(0);
    let document = json(&run);
    let builds = document["builds"].as_array().unwrap();
    assert_eq!(builds.len(), 3);
    for build in builds {
        let dockerfile = build["dockerfile"].as_str().unwrap();
        let mut single = vec!["scan", "--json", "-f", dockerfile, dir];
        single.extend_from_slice(flags);
        let alone = env.run(&single);
        alone.expect_code(0);
        assert_eq!(build["report"], json(&alone), "{dockerfile}");
        assert_eq!(build["context"], dir);
    }
}

#[test]
fn each_report_is_the_single_build_scan() {
    let env = monorepo();
    assert_reports_equal_single_scans(&env, ".", &[]);
    // The web build reads its own ignore file; the others the root's.
    let document = json(env.run(["scan", "--json", "--all"]).expect_code(0));
    let ignore_files: Vec<&str> = document["builds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["report"]["ignore_file"].as_str().unwrap())
        .collect();
    assert_eq!(
        ignore_files,
        [".dockerignore", ".dockerignore", "apps/web/web.Dockerfile.dockerignore"]
    );
}

#[test]
fn each_report_is_the_single_build_scan_with_a_target_and_arguments_in_a_subdirectory() {
    let env = TestEnv::new();
    env.file(
        "sub/a/Dockerfile",
        "FROM x AS one\nARG D=a\nCOPY ${D} /d\nFROM one AS two\nCOPY b /b\n",
    )
    .file("sub/b.Dockerfile", "FROM x\nARG D=a\nCOPY ${D} /d\n")
    .file("sub/Dockerfile", "FROM x\nCOPY . .\n")
    .sized("sub/a/x", 10)
    .sized("sub/b/y", 20)
    .sized("sub/c/z", 40);
    assert_reports_equal_single_scans(&env, "sub", &["--target", "one", "--build-arg", "D=c"]);
    let document =
        json(env.run(["scan", "--json", "--all", "sub", "--build-arg", "D=c"]).expect_code(0));
    assert_eq!(document["builds"][0]["args"], serde_json::json!({"D": "c"}));
    assert_eq!(document["builds"][0]["dockerfile"], "sub/Dockerfile");
}

#[test]
fn the_table_has_a_row_per_build_and_the_proposal_per_ignore_file() {
    let env = monorepo();
    let run = env.run(["scan", "--all"]);
    run.expect_code(0);
    let text = run.stdout();
    let header = text.lines().find(|l| l.starts_with("BUILD")).expect("a table");
    for column in ["CONTEXT", "DOCKERFILE", "IGNORE FILE", "FILES", "SENDS", "SAVES", "FINDINGS"] {
        assert!(header.contains(column), "{header}");
    }
    let web = text.lines().find(|l| l.starts_with("apps/web/web.Dockerfile")).expect("a row");
    assert!(web.contains("apps/web/web.Dockerfile.dockerignore"), "{web}");
    assert!(web.contains("secrets") && web.contains("COPY ."), "{web}");
    assert!(
        text.contains(
            "Proposed for .dockerignore (read by apps/api/Dockerfile, apps/web/Dockerfile.dev)"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "Proposed for apps/web/web.Dockerfile.dockerignore (read by apps/web/web.Dockerfile)"
        ),
        "{text}"
    );
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn service_narrows_to_the_named_builds_with_their_full_reports() {
    let env = monorepo();
    let run = env.run(["scan", "--all", "--service", "apps/web/Dockerfile.dev", "--json"]);
    run.expect_code(0);
    assert_eq!(names(&json(&run)), ["apps/web/Dockerfile.dev"]);
    let run = env.run([
        "scan",
        "--all",
        "--service",
        "apps/api/Dockerfile",
        "--service",
        "apps/web/Dockerfile.dev",
    ]);
    run.expect_code(0);
    let text = run.stdout();
    assert!(text.starts_with("── apps/api/Dockerfile ──\n"), "{text}");
    assert!(text.contains("── apps/web/Dockerfile.dev ──\n"), "{text}");
    assert_eq!(text.matches("\nContext ").count(), 2, "one full report each:\n{text}");
    let run = env.run(["scan", "--all", "--service", "db", "--json"]);
    run.expect_code(2);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("no build named \"db\""), "{}", run.stderr);
}

#[test]
fn check_all_names_the_failing_build() {
    let env = monorepo();
    let run = env.run(["check", "--all"]);
    run.expect_code(1);
    let text = run.stdout();
    // Only the build that copies the whole context sends the secret.
    assert!(
        text.contains(".env: build apps/web/web.Dockerfile: secret is sent by docker build"),
        "{text}"
    );
    assert!(!text.lines().any(|l| l.starts_with(".env: build apps/api")), "{text}");
    assert!(
        text.ends_with("ctxsize check: FAILED — 1 of 3 builds: apps/web/web.Dockerfile\n"),
        "{text}"
    );
    let run = env.run(["check", "--all", "--format", "json"]);
    run.expect_code(1);
    let document = json(&run);
    assert_eq!(
        names(&document),
        ["apps/api/Dockerfile", "apps/web/Dockerfile.dev", "apps/web/web.Dockerfile"]
    );
    assert_eq!(document["builds"][2]["verdict"]["passed"], false);
    assert_eq!(document["builds"][0]["verdict"]["passed"], true);
    env.run(["check", "--all", "--service", "apps/api/Dockerfile"]).expect_code(0);
    let run = env.run(["check", "--all", "--format", "sarif"]);
    run.expect_code(2);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("--format sarif judges one build"), "{}", run.stderr);
}

#[test]
fn errors_exit_2_with_nothing_on_stdout() {
    let env = monorepo();
    let run = env.run(["scan", "--all", "nope", "--json"]);
    run.expect_code(2);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("nope"), "{}", run.stderr);
    // A bad ignore file in one build's way: no partial document.
    env.file("apps/web/web.Dockerfile.dockerignore", "[\n");
    let run = env.run(["scan", "--all", "--json"]);
    run.expect_code(2);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("build apps/web/web.Dockerfile"), "{}", run.stderr);
    for flag in ["--compose", "--bake"] {
        let run = env.run(["scan", flag]);
        run.expect_code(2);
        assert!(run.stderr.contains("name one:"), "{flag}: {}", run.stderr);
    }
    let run = env.run(["scan", "--all", ".", "--compose", "x.yaml"]);
    run.expect_code(2);
    assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
    env.run(["scan", "--service", "api"]).expect_code(2);
}

#[test]
fn init_all_writes_only_rules_no_build_reading_the_file_needs() {
    let env = TestEnv::new();
    env.file("package.json", "{\"name\":\"mono\"}\n")
        .file(".env", "TOKEN=1\n")
        .sized("node_modules/react/index.js", 1000)
        .sized("src/index.js", 100)
        .file("bundle.Dockerfile", "FROM node\nCOPY node_modules /nm\n")
        .file("Dockerfile", "FROM node\nCOPY src /src\n");
    let run = env.run(["init", "--all", "--yes"]);
    run.expect_code(0);
    let written = std::fs::read_to_string(env.path(".dockerignore")).unwrap();
    assert!(written.contains("**/.env\n"), "{written}");
    assert!(!written.contains("node_modules"), "bundle.Dockerfile needs it:\n{written}");
    assert!(
        run.stderr.contains(
            "not adding `**/node_modules` to .dockerignore: not proposed for bundle.Dockerfile"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stdout().starts_with(".dockerignore: added "), "{}", run.stdout());
    assert!(run.stdout().contains("(read by Dockerfile, bundle.Dockerfile)"), "{}", run.stdout());
    // Once written, nothing more to add; each build is measured with the file in force.
    let again = env.run(["init", "--all", "--yes"]);
    again.expect_code(0);
    assert_eq!(again.stdout(), ".dockerignore: nothing to add\n");
}
