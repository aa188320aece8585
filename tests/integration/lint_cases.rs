//! Every lint finding that rests on BuildKit behaviour, shown on the conformance case that
//! proves the behaviour: the case's tree is materialized and `ctxsize lint` must report the
//! finding on the line that misleads.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::case::{Case, materialize};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/conformance");

/// Runs `ctxsize lint --json` on a conformance case's context; returns (line, name) pairs.
fn lint_case(file: &str) -> Vec<(u64, String)> {
    let case = Case::load(&Path::new(FIXTURES).join(file)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    materialize(&case, dir.path()).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_ctxsize"));
    command.args(["lint", "--json"]).current_dir(dir.path().join("ctx")).env("NO_COLOR", "1");
    if let Some(dockerfile) = &case.dockerfile {
        command.arg("-f").arg(dockerfile);
    }
    let output = command.output().unwrap();
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{file}: {e}: {}", String::from_utf8_lossy(&output.stderr)));
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["line"].as_u64().unwrap(), f["name"].as_str().unwrap().to_owned()))
        .collect()
}

#[test]
fn findings_on_the_cases_that_prove_them() {
    let table: &[(&str, u64, &str)] = &[
        // `a # b` is one pattern (022), `out/` matches the file `out` too (021).
        ("022-comments.case", 3, "inline-comment"),
        ("021-trailing-slash-also-files.case", 1, "trailing-slash"),
        // Regex syntax that leaks: `|` (054), `{}` (056), `^` (057), `\d` (059), and the
        // literal reading without a wildcard (055).
        ("054-pipe-alternation.case", 1, "regex-syntax"),
        ("056-braces-leak.case", 2, "regex-syntax"),
        ("057-caret-anchor.case", 1, "regex-syntax"),
        ("059-backslash-d-digit.case", 1, "regex-syntax"),
        ("055-pipe-literal-without-wildcard.case", 1, "regex-syntax"),
        // `[!a]` is not a negation (064).
        ("064-bang-class-not-negation.case", 1, "class-negation"),
        // An exception before its rule does nothing (033).
        ("033-later-rule-wins.case", 1, "exception-first"),
        // Pruning defeats a wildcard exception (045); a later rule empties a re-included file
        // (051, 052); the last rule undoes the exception (044).
        ("045-prune-literal-exception.case", 2, "ineffective-exception"),
        ("051-zero-size-reincluded-file.case", 2, "ineffective-exception"),
        ("052-zero-size-repeated-pattern.case", 2, "ineffective-exception"),
        ("044-exclude-reinclude-exclude.case", 2, "ineffective-exception"),
        // A bare name only matches at the root: app/node_modules ships (002).
        ("002-plain-dir-name.case", 1, "bare-name"),
        // Lines BuildKit rejects (068, 073, 076).
        ("068-unterminated-bracket-error.case", 1, "rejected"),
        ("073-bang-alone.case", 2, "rejected"),
    ];
    let mut missing = Vec::new();
    for (file, line, name) in table {
        let found = lint_case(file);
        if !found.contains(&(*line, (*name).to_owned())) {
            missing.push(format!("{file}: expected {name} on line {line}, got {found:?}"));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
