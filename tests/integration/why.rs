//! `ctxsize why` on real temporary trees, and its agreement with `ls`.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::env::TestEnv;

fn json(env: &TestEnv, paths: &[&str]) -> Value {
    let mut args = vec!["why", "--json"];
    args.extend_from_slice(paths);
    let run = env.run(&args);
    run.expect_code(0);
    serde_json::from_slice(&run.stdout).expect("valid JSON")
}

#[test]
fn names_the_deciding_rule_with_file_and_line() {
    let env = TestEnv::new();
    env.file(".dockerignore", "# deps\n**/node_modules\n*.md\n!README.md\n")
        .sized("node_modules/react/index.js", 5)
        .sized("README.md", 1)
        .sized("NOTES.md", 1)
        .sized("src/app.js", 1);
    let run =
        env.run(["why", "node_modules/react/index.js", "README.md", "NOTES.md", "src/app.js"]);
    run.expect_code(0);
    let text = run.stdout();
    assert!(text.contains("node_modules/react/index.js: excluded"), "{text}");
    assert!(text.contains(".dockerignore:2: **/node_modules"), "{text}");
    assert!(text.contains("BuildKit does not enter node_modules"), "{text}");
    assert!(
        text.contains("README.md: shipped\n  re-included by .dockerignore:4: !README.md"),
        "{text}"
    );
    assert!(text.contains("NOTES.md: excluded\n  excluded by .dockerignore:3: *.md"), "{text}");
    assert!(text.contains("src/app.js: shipped\n  no rule matches it"), "{text}");
}

#[test]
fn json_shape() {
    let env = TestEnv::new();
    env.file(".dockerignore", "build\n!build/keep.txt\n**/build\n")
        .sized("build/keep.txt", 5)
        .sized("build/other.txt", 6);
    let report = json(&env, &["build/keep.txt", "build", "build/other.txt", "nope"]);
    assert_eq!(report["schema_version"], 3);
    assert_eq!(report["ignore_file"], ".dockerignore");
    let paths = report["paths"].as_array().unwrap();
    assert_eq!(paths.len(), 4);

    let keep = &paths[0];
    assert_eq!(keep["path"], "build/keep.txt");
    assert_eq!(keep["status"], "shipped_empty");
    assert_eq!(keep["ships"], true);
    assert_eq!(keep["type"], "file");
    assert_eq!(keep["rule"]["line"], 2);
    assert_eq!(keep["rule"]["exception"], true);
    assert_eq!(keep["content_rule"]["line"], 3);
    assert_eq!(keep["content_rule"]["pattern"], "**/build");

    let build = &paths[1];
    assert_eq!(build["status"], "listed_for_descendant");
    assert_eq!(build["shipped_inside"], "build/keep.txt");
    assert_eq!(build["rule"]["line"], 1);

    let other = &paths[2];
    assert_eq!(other["status"], "excluded");
    assert_eq!(other["matched"], "build");
    assert_eq!(other["rule"]["pattern"], "build");

    assert_eq!(paths[3]["status"], "not_found");
    assert_eq!(paths[3]["exists"], false);
}

#[test]
fn parent_match_without_pruning_is_explained() {
    let env = TestEnv::new();
    env.file(".dockerignore", "**/*.md\n!docs\n").sized("docs/a.md", 1).sized("docs/b.txt", 2);
    let report = json(&env, &["docs/a.md", "docs/b.txt", "docs"]);
    let paths = report["paths"].as_array().unwrap();
    assert_eq!(paths[0]["status"], "excluded");
    assert_eq!(paths[0]["rule"]["line"], 1);
    assert_eq!(paths[0]["matched"], "docs/a.md");
    assert_eq!(paths[1]["status"], "shipped");
    // `!docs` is never evaluated for `docs`: nothing excluded it, so no rule decided.
    assert_eq!(paths[2]["status"], "shipped");
    assert!(paths[2]["rule"].is_null(), "{}", paths[2]);
}

#[test]
fn paths_are_relative_to_the_context_option() {
    let env = TestEnv::new();
    env.file("app/.dockerignore", "*.log\n").sized("app/x.log", 1);
    let run = env.run(["why", "-C", "app", "x.log", "./x.log"]);
    run.expect_code(0);
    assert_eq!(run.stdout().matches("x.log: excluded").count(), 2, "{}", run.stdout());
    let absolute = env.path("app/x.log");
    let run = env.run(["why".as_ref(), "-C".as_ref(), "app".as_ref(), absolute.as_os_str()]);
    run.expect_code(0);
    assert!(run.stdout().starts_with("x.log: excluded"), "{}", run.stdout());
}

#[test]
fn paths_outside_the_context_are_an_error_naming_them() {
    let env = TestEnv::new();
    env.file("app/.dockerignore", "*.log\n").sized("app/x.log", 1).sized("other.log", 1);
    let outside = env.path("other.log");
    let cases: [&std::ffi::OsStr; 3] =
        ["../other.log".as_ref(), "x.log/../../other.log".as_ref(), outside.as_os_str()];
    for path in cases {
        let run = env.run(["why".as_ref(), "-C".as_ref(), "app".as_ref(), "x.log".as_ref(), path]);
        run.expect_code(2);
        assert!(run.stdout.is_empty(), "nothing is answered: {}", run.stdout());
        let stderr = &run.stderr;
        assert!(
            stderr.contains(&*path.to_string_lossy()) && stderr.contains("outside the context"),
            "{stderr}"
        );
    }
    // Through `..` that stays inside, and through a symlink to the context, it is inside.
    let detour = env.root().join("app/../app/x.log");
    let run = env.run(["why".as_ref(), "-C".as_ref(), "app".as_ref(), detour.as_os_str()]);
    run.expect_code(0);
    assert!(run.stdout().starts_with("x.log: excluded"), "{}", run.stdout());
    env.symlink("link", "app");
    let linked = env.path("link/x.log");
    let run = env.run(["why".as_ref(), "-C".as_ref(), "app".as_ref(), linked.as_os_str()]);
    run.expect_code(0);
    assert!(run.stdout().starts_with("x.log: excluded"), "{}", run.stdout());
}

#[test]
fn rejected_rules_fail_why_too() {
    let env = TestEnv::new();
    env.file(".dockerignore", "a\\q*\n").sized("b", 1);
    let run = env.run(["why", "b"]);
    run.expect_code(2);
    assert!(run.stderr.contains(".dockerignore:1:"), "{}", run.stderr);
}

/// Every path `ls` lists ships according to `why`, and every excluded path does not, on a
/// tree with re-includes, pruning and the size-0 case.
#[test]
fn agrees_with_ls_on_every_path() {
    let env = TestEnv::new();
    env.file(
        ".dockerignore",
        "**/node_modules\n!node_modules/keep/**\nbuild\n!build/keep.txt\n**/build\n*.md\n!docs\ndist/**\n",
    );
    for path in [
        "node_modules/keep/a.js",
        "node_modules/drop/b.js",
        "pkg/node_modules/x/y.js",
        "build/keep.txt",
        "build/other.txt",
        "src/build/x",
        "docs/a.md",
        "docs/b.txt",
        "README.md",
        "dist/app.js",
        "src/main.rs",
    ] {
        env.sized(path, 3);
    }
    let listed = env.run(["ls"]);
    listed.expect_code(0);
    let excluded = env.run(["ls", "--excluded", "--all"]);
    excluded.expect_code(0);
    let mut expected = BTreeMap::new();
    for path in listed.lines() {
        expected.insert(path, true);
    }
    for path in excluded.lines() {
        assert!(expected.insert(path.clone(), false).is_none(), "{path} both listed and excluded");
    }
    let paths: Vec<&str> = expected.keys().map(String::as_str).collect();
    let report = json(&env, &paths);
    for answer in report["paths"].as_array().unwrap() {
        let path = answer["path"].as_str().unwrap();
        assert_eq!(answer["ships"].as_bool(), Some(expected[path]), "{path}: {answer}");
    }
}
