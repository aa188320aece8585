//! `scan --bake` and `check --bake`: the targets of Bake files, each build's report against
//! the single-build scan, and errors naming the file.

use serde_json::Value;

use crate::env::TestEnv;

/// A project built by bake: an API whose targets inherit from a base (one of them built
/// from a stage that copies less), a web app in its own context, groups nesting groups, an
/// override file, a variable and a function.
fn baked() -> TestEnv {
    let env = TestEnv::new();
    env.file(".dockerignore", "**/*.log\n")
        .sized("apps/api/main.go", 300)
        .sized("apps/api/debug.log", 50)
        .sized("apps/api/testdata/big.bin", 4000)
        .file(
            "apps/api/Dockerfile",
            "FROM golang AS build\nARG SRC=apps/api\nCOPY ${SRC}/main.go /src/\n\
             FROM build AS test\nCOPY apps/api/testdata /testdata\n",
        )
        .sized("web/index.js", 200)
        .sized("web/node_modules/react/index.js", 1000)
        .file("web/Dockerfile", "FROM node\nCOPY . .\n")
        .file(
            "docker-bake.hcl",
            r#"variable "GO" { default = "1.22" }
function "tag" {
  params = [name]
  result = "repo/${name}"
}
group "default" { targets = ["backend", "web"] }
group "backend" { targets = ["api", "api-test"] }
target "base" {
  context = "."
  dockerfile = "apps/api/Dockerfile"
  args = { GO = GO, SRC = "apps/api" }
}
target "api" {
  inherits = ["base"]
  target = "build"
  tags = [tag("api")]
}
target "api-test" {
  inherits = ["api"]
  target = "test"
}
target "web" { context = "web" }
"#,
        )
        .file("docker-bake.override.hcl", "target \"api-test\" {\n  args = { MODE = \"ci\" }\n}\n");
    env
}

fn json(run: &crate::env::Run) -> Value {
    serde_json::from_slice(&run.stdout).expect("valid JSON")
}

#[test]
fn each_target_is_a_build_whose_report_is_the_single_build_scan() {
    let env = baked();
    let run = env.command(["scan", "--bake", "--json"]).env("GO", "1.23").output().unwrap();
    let run = crate::env::Run::from(run);
    run.expect_code(0);
    let document = json(&run);
    assert_eq!(
        document["source"],
        serde_json::json!({"kind": "bake", "path": "./docker-bake.hcl"})
    );
    let builds = document["builds"].as_array().unwrap();
    let names: Vec<&str> = builds.iter().map(|b| b["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["api", "api-test", "web"]);
    let test = &builds[1];
    assert_eq!(test["target"], "test");
    assert_eq!(test["args"], serde_json::json!({"GO": "1.23", "SRC": "apps/api", "MODE": "ci"}));
    for build in builds {
        let context = build["context"].as_str().unwrap();
        let mut single = vec!["scan".to_owned(), "--json".to_owned()];
        if let Some(dockerfile) = build["dockerfile"].as_str() {
            single.extend(["-f".to_owned(), dockerfile.to_owned()]);
        }
        if let Some(target) = build["target"].as_str() {
            single.extend(["--target".to_owned(), target.to_owned()]);
        }
        for (name, value) in build["args"].as_object().unwrap() {
            single
                .extend(["--build-arg".to_owned(), format!("{name}={}", value.as_str().unwrap())]);
        }
        single.push(context.to_owned());
        let alone = env.run(&single);
        alone.expect_code(0);
        assert_eq!(build["report"], json(&alone), "{}", build["name"]);
    }
    // The two stages of one Dockerfile send different things.
    assert_ne!(builds[0]["report"], builds[1]["report"]);
}

#[test]
fn a_group_or_a_target_narrows_and_what_is_unsupported_is_named() {
    let env = baked();
    let run = env.run(["scan", "--bake", "--service", "backend", "--json"]);
    run.expect_code(0);
    let document = json(&run);
    let names: Vec<&str> = document["builds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["api", "api-test"]);
    // The table names what was not evaluated.
    let run = env.run(["scan", "--bake", "docker-bake.hcl"]);
    run.expect_code(0);
    assert!(run.stdout().contains("docker-bake.hcl:2: function \"tag\""), "{}", run.stdout());
}

#[test]
fn bad_bake_files_exit_2_naming_the_file_with_nothing_on_stdout() {
    let env = baked();
    let run = env.run(["scan", "--bake", "--service", "db", "--json"]);
    run.expect_code(2);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("no target or group named \"db\""), "{}", run.stderr);
    assert!(run.stderr.contains("docker-bake.hcl"), "{}", run.stderr);
    env.file("broken.hcl", "target \"api\" {\n  context = \n}\n");
    let run = env.run(["scan", "--bake", "broken.hcl", "--json"]);
    run.expect_code(2);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("broken.hcl:2:"), "{}", run.stderr);
    let run = env.run(["check", "--bake", "broken.hcl"]);
    run.expect_code(2);
    assert!(run.stderr.contains("broken.hcl:2:"), "{}", run.stderr);
}
