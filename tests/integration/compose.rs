//! `scan` and `check` over the Compose and Bake files of the sample monorepo in
//! `fixtures/monorepo` (copied to a temporary directory first).

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::env::TestEnv;

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn monorepo() -> TestEnv {
    let env = TestEnv::new();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/monorepo");
    copy_tree(&fixture, &env.root());
    env
}

fn json(run: &crate::env::Run) -> Value {
    serde_json::from_slice(&run.stdout).expect("valid JSON")
}

/// The command line that scans one build alone, from its entry in `scan --compose --json`.
fn single_scan(build: &Value) -> Vec<String> {
    let mut args = vec!["scan".to_owned(), "--json".to_owned()];
    if let Some(dockerfile) = build["dockerfile"].as_str() {
        args.extend(["-f".to_owned(), dockerfile.to_owned()]);
    }
    if let Some(target) = build["target"].as_str() {
        args.extend(["--target".to_owned(), target.to_owned()]);
    }
    for (name, value) in build["args"].as_object().expect("args") {
        args.extend(["--build-arg".to_owned(), format!("{name}={}", value.as_str().unwrap())]);
    }
    args.push(build["context"].as_str().expect("context").to_owned());
    args
}

#[test]
fn each_service_report_is_the_single_build_scan() {
    let env = monorepo();
    let document = json(env.run(["scan", "--compose", "--json"]).expect_code(0));
    assert_eq!(document["source"]["kind"], "compose");
    let builds = document["builds"].as_array().unwrap();
    let names: Vec<&str> = builds.iter().map(|b| b["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["api", "web", "worker"]);
    assert_eq!(document["without_build"], serde_json::json!(["db"]));
    // Interpolated from the `.env` beside the Compose file, and from defaults.
    assert_eq!(builds[0]["args"]["NODE_VERSION"], "22");
    assert_eq!(builds[0]["target"], "runtime");
    assert_eq!(builds[1]["args"]["API_URL"], "http://api:8080");
    for build in builds {
        let alone = env.run(single_scan(build));
        alone.expect_code(0);
        assert_eq!(build["report"], json(&alone), "{}", build["name"]);
    }
    // Two builds share the root as their context; worker reads its own ignore file.
    let ignore_files: Vec<&str> =
        builds.iter().map(|b| b["report"]["ignore_file"].as_str().unwrap()).collect();
    assert_eq!(
        ignore_files,
        [".dockerignore", "apps/web/.dockerignore", "apps/worker/Dockerfile.dockerignore"]
    );
}

#[test]
fn the_environment_wins_over_the_env_file() {
    let env = monorepo();
    let run: crate::env::Run = env
        .command(["scan", "--compose", "--json", "--service", "api"])
        .env("NODE_VERSION", "20")
        .output()
        .unwrap()
        .into();
    let document = json(run.expect_code(0));
    assert_eq!(document["builds"][0]["args"]["NODE_VERSION"], "20");
    assert_eq!(document["builds"].as_array().unwrap().len(), 1);
}

#[test]
fn check_names_each_failing_service() {
    let env = monorepo();
    let run = env.run(["check", "--compose", "compose.yaml", "--max-files", "4"]);
    run.expect_code(1);
    let text = run.stdout();
    // api sends 7 files and worker 6; web sends 3.
    assert!(text.contains("build api"), "{text}");
    assert!(text.contains("build worker"), "{text}");
    assert!(!text.contains("build web:"), "{text}");
}

#[test]
fn a_broken_compose_file_is_an_error_naming_it() {
    let env = monorepo();
    env.file("compose.yaml", "services:\n  api:\n    build: [\n");
    let run = env.run(["scan", "--compose", "--json"]);
    run.expect_code(2);
    assert!(run.stdout.is_empty(), "no partial JSON");
    let stderr = &run.stderr;
    assert!(stderr.contains("compose.yaml"), "{stderr}");

    env.file("compose.yaml", "services:\n  api:\n    build: ./missing\n");
    let run = env.run(["scan", "--compose", "--json"]);
    run.expect_code(2);
    assert!(run.stdout.is_empty(), "no partial JSON");
    let stderr = &run.stderr;
    assert!(stderr.contains("api") && stderr.contains("missing"), "{stderr}");
}

#[test]
fn bake_targets_measure_as_the_compose_services_they_repeat() {
    let env = monorepo();
    let compose = json(env.run(["scan", "--compose", "--json"]).expect_code(0));
    let bake = json(env.run(["scan", "--bake", "--json"]).expect_code(0));
    assert_eq!(bake["source"]["kind"], "bake");
    let by_name = |document: &Value, name: &str| -> Value {
        let builds = document["builds"].as_array().unwrap();
        builds.iter().find(|b| b["name"] == name).cloned().unwrap_or(Value::Null)
    };
    for name in ["api", "web", "worker"] {
        let (from_bake, from_compose) = (by_name(&bake, name), by_name(&compose, name));
        assert_eq!(from_bake["report"], from_compose["report"], "{name}");
        assert_eq!(from_bake["args"], from_compose["args"], "{name}");
        let alone = env.run(single_scan(&from_bake));
        assert_eq!(from_bake["report"], json(alone.expect_code(0)), "{name}");
    }
}
