//! Property tests: random trees and random rule sets, the binary against a slow reference
//! evaluator written here straight from BuildKit's semantics (every entry decided from its
//! parent's per-rule record, in order, with BuildKit's pruning and its second check for
//! file contents), and `why` against `ls` on every path.

use std::collections::BTreeSet;
use std::fs;
use std::process::Command;

use proptest::prelude::*;
use serde_json::Value;

use ctxsize::rules::{Kind, RuleSet};

/// A tree: directories and files (with sizes), relative paths.
#[derive(Debug, Clone)]
struct Tree {
    dirs: BTreeSet<String>,
    files: Vec<(String, usize)>,
}

fn tree() -> impl Strategy<Value = Tree> {
    let name = prop::sample::select(vec!["a", "b", "c", ".x", "a.md", "b.log", "ab", "x y"]);
    prop::collection::vec((prop::collection::vec(name, 1..=4), 1usize..20), 1..14).prop_map(
        |entries| {
            let mut dirs = BTreeSet::new();
            let mut files: Vec<(String, usize)> = Vec::new();
            for (parts, size) in entries {
                let path = parts.join("/");
                // A path can't be both a file and a directory.
                if dirs.contains(&path)
                    || files.iter().any(|(f, _)| path.starts_with(&format!("{f}/")))
                {
                    continue;
                }
                for i in 1..parts.len() {
                    let dir = parts[..i].join("/");
                    if files.iter().any(|(f, _)| *f == dir) {
                        continue;
                    }
                    dirs.insert(dir);
                }
                if files.iter().all(|(f, _)| *f != path)
                    && !parts[..parts.len() - 1]
                        .iter()
                        .enumerate()
                        .any(|(i, _)| files.iter().any(|(f, _)| *f == parts[..=i].join("/")))
                {
                    files.push((path, size));
                }
            }
            files.retain(|(f, _)| !dirs.contains(f));
            Tree { dirs, files }
        },
    )
}

fn rule() -> impl Strategy<Value = String> {
    let token = prop::sample::select(vec![
        "a", "b", "c", ".x", "*", "**", "?", "/", "md", "log", ".", "[ab]", "[^a]", "\\*", "**/",
        "a/", "*.md", "b.log",
    ]);
    (any::<bool>(), prop::collection::vec(token, 1..4)).prop_map(|(exception, tokens)| {
        format!("{}{}", if exception { "!" } else { "" }, tokens.concat())
    })
}

/// Rules built from the tree's own paths, so that they match something: a path, a directory
/// prefix with `/**` or `/*`, `**/` and a name, a name with a wildcard, each maybe an
/// exception; mixed with free-form rules.
fn rules_for(tree: &Tree) -> impl Strategy<Value = Vec<String>> + use<> {
    let mut paths: Vec<String> = tree.dirs.iter().cloned().collect();
    paths.extend(tree.files.iter().map(|(f, _)| f.clone()));
    let from_tree = (prop::sample::select(paths), 0usize..6, any::<bool>()).prop_map(
        |(path, shape, exception)| {
            let name = path.rsplit('/').next().unwrap_or(&path).to_owned();
            let body = match shape {
                0 => path.clone(),
                1 => format!("{path}/**"),
                2 => format!("{path}/*"),
                3 => format!("**/{name}"),
                4 => path.replacen(&name, &format!("{}*", &name[..1]), 1),
                _ => path.split('/').next().unwrap_or(&path).to_owned(),
            };
            format!("{}{body}", if exception { "!" } else { "" })
        },
    );
    prop::collection::vec(prop_oneof![3 => from_tree, 1 => rule()], 1..6)
}

/// Decides every path from BuildKit's semantics, sequentially; `None` when the build fails
/// (a pattern whose regex does not compile is evaluated).
fn reference(rules: &RuleSet, tree: &Tree) -> Option<BTreeSet<String>> {
    let list = rules.rules();
    let exceptions: Vec<&str> =
        list.iter().filter(|r| r.exception).map(|r| r.text.as_str()).collect();
    // Pruning: every exception minus a trailing `/**` then `/*`; wildcards turn it off.
    let prefixes: Option<Vec<String>> = {
        let trimmed: Vec<String> = exceptions
            .iter()
            .map(|e| {
                let e = e.strip_suffix("/**").unwrap_or(e);
                let e = e.strip_suffix("/*").unwrap_or(e);
                format!("{e}/")
            })
            .collect();
        if trimmed.iter().any(|p| p.contains(['*', '?', '[', ']', '^', '\\'])) {
            None
        } else {
            Some(trimmed)
        }
    };
    let prunes = |dir: &str| match &prefixes {
        _ if exceptions.is_empty() => true,
        None => false,
        Some(prefixes) => !prefixes.iter().any(|p| p.starts_with(&format!("{dir}/"))),
    };
    let mut listed = BTreeSet::new();
    let mut failed = false;
    let children = |dir: &str| -> Vec<(String, Option<usize>)> {
        let prefix = if dir.is_empty() { String::new() } else { format!("{dir}/") };
        let direct = |p: &str| p.starts_with(&prefix) && !p[prefix.len()..].contains('/');
        let mut out: Vec<(String, Option<usize>)> =
            tree.dirs.iter().filter(|d| direct(d)).map(|d| (d.clone(), None)).collect();
        out.extend(
            tree.files.iter().filter(|(f, _)| direct(f)).map(|(f, s)| (f.clone(), Some(*s))),
        );
        out
    };
    // (directory, its record), depth first.
    let mut stack: Vec<(String, Option<Vec<bool>>)> = vec![(String::new(), None)];
    while let Some((dir, parent)) = stack.pop() {
        for (path, size) in children(&dir) {
            let mut excluded = false;
            let mut record = vec![false; list.len()];
            for (i, rule) in list.iter().enumerate() {
                let mut matched = parent.as_ref().is_some_and(|r| r[i]);
                if !matched {
                    if rule.exception != excluded {
                        continue;
                    }
                    match rule.pattern().test(path.as_bytes()) {
                        Some(m) => matched = m,
                        None => {
                            failed = true;
                            continue;
                        }
                    }
                }
                record[i] = matched;
                if matched {
                    excluded = !rule.exception;
                }
            }
            match size {
                None => {
                    if !(excluded && prunes(&path)) {
                        stack.push((path.clone(), Some(record)));
                    }
                    if !excluded {
                        listed.insert(format!("d 0 {path}"));
                    }
                }
                Some(size) if !excluded => {
                    // The second check: each rule on the path or any directory above it.
                    let mut content_excluded = false;
                    for rule in list {
                        if rule.exception != content_excluded {
                            continue;
                        }
                        let mut candidates = vec![path.clone()];
                        let parts: Vec<&str> = path.split('/').collect();
                        for i in 1..parts.len() {
                            candidates.push(parts[..i].join("/"));
                        }
                        if candidates
                            .iter()
                            .any(|c| rule.pattern().test(c.as_bytes()).unwrap_or(false))
                        {
                            content_excluded = !rule.exception;
                        }
                    }
                    listed.insert(format!("f {} {path}", if content_excluded { 0 } else { size }));
                }
                Some(_) => {}
            }
        }
    }
    if failed {
        return None;
    }
    // Listed entries bring their directories.
    let paths: Vec<String> =
        listed.iter().map(|l| l.splitn(3, ' ').nth(2).unwrap().to_owned()).collect();
    for path in paths {
        let parts: Vec<&str> = path.split('/').collect();
        for i in 1..parts.len() {
            let dir = parts[..i].join("/");
            if !listed.iter().any(|l| l.ends_with(&format!(" {dir}")) && l.starts_with("d ")) {
                listed.insert(format!("d 0 {dir}"));
            }
        }
    }
    Some(listed)
}

fn materialize(tree: &Tree, ignore: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for d in &tree.dirs {
        fs::create_dir_all(dir.path().join(d)).unwrap();
    }
    for (f, size) in &tree.files {
        fs::write(dir.path().join(f), vec![b'x'; *size]).unwrap();
    }
    fs::write(dir.path().join(".dockerignore"), ignore).unwrap();
    dir
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn ls_agrees_with_the_reference_and_why_with_ls((tree, rules) in tree().prop_flat_map(|t| {
        let rules = rules_for(&t);
        (Just(t), rules)
    })) {
        let ignore = rules.join("\n") + "\n";
        let dir = materialize(&tree, &ignore);
        let output = Command::new(env!("CARGO_BIN_EXE_ctxsize"))
            .args(["ls", "-l"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        let parsed = RuleSet::from_ignore_file(ignore.as_bytes());
        let Ok(parsed) = parsed else {
            prop_assert_eq!(output.status.code(), Some(2), "rejected rules must exit 2");
            return Ok(());
        };
        // The ignore file itself is part of the tree.
        let mut with_ignore = tree.clone();
        with_ignore.files.push((".dockerignore".to_owned(), ignore.len()));
        let Some(expected) = reference(&parsed, &with_ignore) else {
            prop_assert_eq!(output.status.code(), Some(2), "a failing regex must exit 2");
            return Ok(());
        };
        prop_assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
        let actual: BTreeSet<String> =
            String::from_utf8(output.stdout).unwrap().lines().map(str::to_owned).collect();
        prop_assert_eq!(&actual, &expected, "rules {:?}", rules);

        // `why` agrees with `ls` on every path of the tree.
        let mut paths: Vec<String> = tree.dirs.iter().cloned().collect();
        paths.extend(tree.files.iter().map(|(f, _)| f.clone()));
        let mut why = Command::new(env!("CARGO_BIN_EXE_ctxsize"));
        why.args(["why", "--json", "--"]).args(&paths).current_dir(dir.path());
        let report: Value = serde_json::from_slice(&why.output().unwrap().stdout).unwrap();
        let shipped: BTreeSet<String> =
            actual.iter().map(|l| l.splitn(3, ' ').nth(2).unwrap().to_owned()).collect();
        for answer in report["paths"].as_array().unwrap() {
            let path = answer["path"].as_str().unwrap();
            prop_assert_eq!(answer["ships"].as_bool().unwrap(), shipped.contains(path), "why {}: {}", path, answer);
        }
    }

    #[test]
    fn random_patterns_never_panic(text in "[ab*?\\[\\]\\\\!/^{}|.#\\-]{0,12}") {
        // An error or a rule set, never a panic; and evaluating never panics either. Where
        // the pattern is matched by plain byte comparisons, they answer as its regex does.
        if let Ok(rules) = RuleSet::from_ignore_file(text.as_bytes()) {
            for rule in rules.rules() {
                let pattern = rule.pattern();
                for path in ["a/b", "ab", "a.b", "b/a.b", ".a", "a/.b.a", "a\nb.a", "b*", "a/b/ab"] {
                    let fast = pattern.test(path.as_bytes());
                    if pattern.kind() == Kind::Regex && fast.is_some() {
                        prop_assert_eq!(fast, pattern.test_by_regex(path.as_bytes()), "{} on {:?}", pattern.go_regex(), path);
                    }
                }
            }
        }
    }
}
