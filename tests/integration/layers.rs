//! The crate's modules form layers: read from the `crate::` paths in the sources, no module
//! imports one that imports it back (directly or through others), and the walk knows
//! nothing of what its callers do with the entries.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level module → the top-level modules its non-test code names with `crate::`.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in rust_files(&src) {
        if file.file_name().is_some_and(|name| name == "tests.rs") {
            continue;
        }
        let relative = file.strip_prefix(&src).expect("below src");
        let first = relative.components().next().expect("a file name");
        let module = first.as_os_str().to_string_lossy().trim_end_matches(".rs").to_owned();
        let text = std::fs::read_to_string(&file).expect("a readable source file");
        let used = graph.entry(module.clone()).or_default();
        for named in crate_paths(without_tests(&text)) {
            if named != module {
                used.insert(named);
            }
        }
    }
    graph
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a readable directory") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// The text before a file's unit-test module (which may use anything).
fn without_tests(text: &str) -> &str {
    text.find("#[cfg(test)]\nmod tests {").map_or(text, |at| &text[..at])
}

/// The first segment after each `crate::` outside comments.
fn crate_paths(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String =
                rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if name.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
                found.push(name);
            }
        }
    }
    found
}

/// A module that reaches itself again through the graph, with the way it went.
fn a_circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        module: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|m| m == module) {
            let mut circle = path[at..].to_vec();
            circle.push(module.to_owned());
            return Some(circle);
        }
        if done.contains(module) {
            return None;
        }
        path.push(module.to_owned());
        for next in graph.get(module).into_iter().flatten() {
            if let Some(circle) = visit(next, graph, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(module.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|module| visit(module, graph, &mut Vec::new(), &mut done))
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let graph = module_graph();
    assert!(graph.contains_key("walk") && graph.contains_key("scan"), "{graph:?}");
    if let Some(circle) = a_circle(&graph) {
        panic!("modules import each other: {}", circle.join(" -> "));
    }
}

#[test]
fn the_walk_knows_nothing_of_its_callers() {
    let graph = module_graph();
    let walk = &graph["walk"];
    for caller in ["scan", "lint", "check", "output", "commands", "dockerfile", "config", "cli"] {
        assert!(!walk.contains(caller), "walk imports {caller}: {walk:?}");
    }
    let rules = &graph["rules"];
    for above in ["walk", "scan", "output", "commands"] {
        assert!(!rules.contains(above), "rules imports {above}: {rules:?}");
    }
}

#[test]
fn the_graph_reader_sees_a_circle_when_there_is_one() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph.entry("a".into()).or_default().insert("b".into());
    graph.entry("b".into()).or_default().insert("c".into());
    assert_eq!(a_circle(&graph), None);
    graph.entry("c".into()).or_default().insert("a".into());
    assert_eq!(a_circle(&graph), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
    assert_eq!(
        crate_paths("use crate::walk::{Entry};\n// crate::scan\nx(crate::rules::path)"),
        ["walk", "rules"]
    );
}
