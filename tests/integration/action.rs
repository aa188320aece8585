//! The GitHub Action (`action.yml` at the repository root): every input it uses is declared,
//! its outputs come from its steps, and the command line it runs by default is one ctxsize
//! accepts.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::env::TestEnv;

fn action() -> (String, Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml");
    let text = std::fs::read_to_string(path).expect("action.yml at the repository root");
    let parsed: Value = serde_saphyr::from_str(&text).expect("action.yml is YAML");
    (text, parsed)
}

/// The names after `prefix` in `${{ … }}` expressions (`inputs.args`, `steps.run.outputs`).
fn names_after(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find(prefix) {
        rest = &rest[at + prefix.len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        names.insert(name);
    }
    names
}

#[test]
fn every_input_used_is_declared_and_every_output_has_a_step() {
    let (text, action) = action();
    assert_eq!(action["runs"]["using"], "composite");
    let declared: BTreeSet<String> =
        action["inputs"].as_object().expect("inputs").keys().cloned().collect();
    assert_eq!(
        declared,
        ["args", "version", "working-directory"].map(String::from).into_iter().collect()
    );
    let used = names_after(&text, "inputs.");
    assert!(used.is_subset(&declared), "used {used:?}, declared {declared:?}");
    assert_eq!(used, declared, "every declared input is used");

    let steps = action["runs"]["steps"].as_array().expect("steps");
    let ids: BTreeSet<String> =
        steps.iter().filter_map(|s| s["id"].as_str()).map(String::from).collect();
    for step in names_after(&text, "steps.") {
        assert!(ids.contains(&step), "a step named {step:?} exists: {ids:?}");
    }
    let outputs = action["outputs"].as_object().expect("outputs");
    for (name, output) in outputs {
        let value = output["value"].as_str().expect("an output's value");
        assert!(value.contains(&format!("outputs.{name}")), "{name}: {value}");
    }
    // The run step writes both outputs, and runs the input's command line.
    let run = steps.iter().find(|s| s["id"] == "run").expect("the run step");
    let script = run["run"].as_str().unwrap();
    for name in outputs.keys() {
        assert!(script.contains(&format!("{name}=")), "{name} is written: {script}");
    }
    assert!(script.contains("ctxsize $CTXSIZE_ARGS"), "{script}");
    assert_eq!(run["env"]["CTXSIZE_ARGS"], "${{ inputs.args }}");
}

#[test]
fn the_default_command_line_runs_and_annotates() {
    let (_, action) = action();
    let args = action["inputs"]["args"]["default"].as_str().expect("a default command line");
    let words: Vec<&str> = args.split_whitespace().collect();
    let env = TestEnv::new();
    env.file("Dockerfile", "FROM scratch\nCOPY . /app\n").file(".env", "TOKEN=x\n");
    let run = env.run(&words);
    // A secret ships: the check fails with an annotation GitHub shows on the file.
    run.expect_code(1);
    let stdout = run.stdout();
    assert!(stdout.contains("::error"), "{stdout}");
    assert!(stdout.contains(".env"), "{stdout}");

    env.file(".dockerignore", ".env\n");
    env.run(&words).expect_code(0);
}
