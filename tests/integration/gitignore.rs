//! `.gitignore` files converted to `.dockerignore` rules, checked on real trees: the files git
//! keeps (the `ignore` crate's walker, which reads nested `.gitignore` files like git) against
//! the files the real `ctxsize ls` ships with the converted rules.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use ctxsize::gitignore::convert_in;
use ctxsize::rules::RuleSet;

use crate::env::TestEnv;

/// Every regular file below `root`, relative and `/`-separated.
fn all_files(root: &Path) -> BTreeSet<String> {
    let mut files = BTreeSet::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(root).unwrap();
                files.insert(relative.to_str().unwrap().to_owned());
            }
        }
    }
    files
}

/// The files git keeps: a walk that reads every `.gitignore` and never enters an ignored
/// directory.
fn git_keeps(root: &Path) -> BTreeSet<String> {
    ignore::WalkBuilder::new(root)
        .hidden(false)
        .parents(false)
        .ignore(false)
        .git_global(false)
        .git_exclude(false)
        .require_git(false)
        .git_ignore(true)
        .build()
        .map(Result::unwrap)
        .filter(|entry| entry.file_type().is_some_and(|t| t.is_file()))
        .map(|entry| entry.path().strip_prefix(root).unwrap().to_str().unwrap().to_owned())
        .collect()
}

/// Every `.gitignore` of the tree converted, parents before the directories below them (so
/// that, as in git, the deeper file has the last word).
fn converted_rules(root: &Path) -> String {
    let mut gitignores: Vec<String> = all_files(root)
        .into_iter()
        .filter(|f| f.rsplit('/').next() == Some(".gitignore"))
        .collect();
    gitignores.sort_by_key(|path| (path.matches('/').count(), path.clone()));
    let mut rules = String::new();
    for path in gitignores {
        let dir = path.strip_suffix(".gitignore").unwrap();
        let text = fs::read_to_string(root.join(&path)).unwrap();
        for converted in convert_in(&text, dir) {
            for rule in converted.rules {
                rules.push_str(&rule);
                rules.push('\n');
            }
        }
    }
    rules
}

/// The regular files `ctxsize ls -l` ships with content (size-0 files count as dropped),
/// with `rules` as the ignore file of a Dockerfile outside the context.
fn docker_ships(env: &TestEnv, rules: &str) -> BTreeSet<String> {
    let dockerfile = env.outer().join("Dockerfile");
    fs::write(&dockerfile, "FROM scratch\nCOPY . /\n").unwrap();
    fs::write(env.outer().join("Dockerfile.dockerignore"), rules).unwrap();
    let run = env.run(["ls", "-l", "-f", dockerfile.to_str().unwrap(), "."]);
    run.expect_code(0);
    let sizes: std::collections::BTreeMap<String, u64> = all_files(&env.root())
        .into_iter()
        .map(|f| {
            let len = fs::metadata(env.path(&f)).unwrap().len();
            (f, len)
        })
        .collect();
    run.lines()
        .into_iter()
        .filter_map(|line| {
            let mut fields = line.splitn(3, ' ');
            let (kind, size, path) = (fields.next()?, fields.next()?, fields.next()?);
            (kind == "f" && size.parse::<u64>().ok() == sizes.get(path).copied())
                .then(|| path.to_owned())
        })
        .collect()
}

/// Files on which git and BuildKit disagree: (kept by git only, shipped by BuildKit only).
fn compare(env: &TestEnv, rules: &str) -> (Vec<String>, Vec<String>) {
    RuleSet::from_ignore_file(rules.as_bytes()).expect("converted rules read back");
    let git = git_keeps(&env.root());
    let docker = docker_ships(env, rules);
    (git.difference(&docker).cloned().collect(), docker.difference(&git).cloned().collect())
}

fn write_tree(env: &TestEnv, files: &[&str]) {
    for file in files {
        // Non-empty, so that a file emptied by BuildKit's content check shows.
        env.file(file, "x");
    }
}

#[test]
fn a_monorepo_ships_what_git_keeps() {
    let env = TestEnv::new();
    env.file(
        ".gitignore",
        "# dependencies\nnode_modules/\n*.log\n!important.log\n/build\ndist/\n.env\n\
         !.env.example\ncoverage/\ndoc/*.txt\n**/tmp/**\na/**/b\n[!a]x\nfoo**bar\n",
    );
    env.file("web/.gitignore", "/.next/\n*.local\n!keep.log\n");
    env.file("services/api/.gitignore", "__pycache__/\n*.py[cod]\n/venv\n");
    write_tree(
        &env,
        &[
            "package.json",
            "node_modules/react/index.js",
            "web/node_modules/lodash/x.js",
            "web/src/app.js",
            "web/.next/cache/a",
            "web/src/.next/ok",
            "web/.env.local",
            "web/keep.log",
            "web/sub/keep.log",
            "debug.log",
            "web/logs/err.log",
            "important.log",
            "services/api/important.log",
            "build/out.js",
            "services/api/build/ok.py",
            "dist/a.js",
            "web/dist/b.js",
            ".env",
            "services/api/.env",
            ".env.example",
            "coverage/lcov.info",
            "doc/a.txt",
            "doc/sub/b.txt",
            "web/doc/c.txt",
            "doc/readme.md",
            "tmp/x",
            "web/tmp/y/z",
            "tmpfile",
            "a/b",
            "a/x/y/b",
            "x/a/b",
            "bx",
            "ax",
            "web/cx",
            "foobar",
            "fooxbar",
            "foo/bar",
            "services/api/__pycache__/m.cpython-312.pyc",
            "services/api/app/x.pyc",
            "services/api/app/main.py",
            "services/api/venv/bin/python",
            "services/api/app/venv/ok",
        ],
    );
    let rules = converted_rules(&env.root());
    assert_eq!(compare(&env, &rules), (vec![], vec![]), "rules:\n{rules}");
    // The same .gitignore copied as it is gets this tree wrong.
    let copied = fs::read_to_string(env.path(".gitignore")).unwrap();
    assert_ne!(compare(&env, &copied), (vec![], vec![]));
}

#[test]
fn the_documented_differences_show() {
    // Without directory-only rules, git's allowlist idiom `!*/` re-includes every file.
    let env = TestEnv::new();
    env.file(".gitignore", "*\n!*/\n!*.rs\n!.gitignore\n");
    write_tree(&env, &["src/lib.rs", "b.txt", "src/c.txt", "main.rs"]);
    let rules = converted_rules(&env.root());
    assert_eq!(
        compare(&env, &rules),
        (vec![], vec!["b.txt".to_owned(), "src/c.txt".to_owned()]),
        "rules:\n{rules}"
    );
    // A directory-only rule cannot spare a file of that name; BuildKit re-includes below
    // an excluded directory where git cannot.
    let env = TestEnv::new();
    env.file(".gitignore", "cache/\nbuild/\n!build/keep.txt\n");
    write_tree(&env, &["cache/a", "src/cache", "build/keep.txt", "build/x", "src/y"]);
    let rules = converted_rules(&env.root());
    assert_eq!(
        compare(&env, &rules),
        (vec!["src/cache".to_owned()], vec!["build/keep.txt".to_owned()]),
        "rules:\n{rules}"
    );
}
