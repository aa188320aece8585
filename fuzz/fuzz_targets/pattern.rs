//! One pattern line compiled, translated to a regex (through the RE2 syntax translator) and
//! tested against paths.
//!
//! Input: `<pattern line> [\n <path> \n <path> ...]`. The line goes both straight to
//! `Pattern::new` and through the ignore-file reader as a one-line file; the two routes
//! are then cross-checked against `RuleSet::decide`, and the byte matchers of regex-kind
//! patterns against the pattern's regular expression.
#![no_main]

use ctxsize::rules::{Kind, Pattern, RuleSet};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut lines = data.split(|&b| b == b'\n');
    let line = lines.next().unwrap_or_default();
    let paths: Vec<&[u8]> = std::iter::once(line).chain(lines).take(16).collect();

    // Straight to the compiler, uncleaned: must not panic.
    let raw = Pattern::new(line);
    let first = paths.iter().map(|p| raw.test(p)).collect::<Vec<_>>();
    // Evaluation is deterministic, the compiled regex cached or not.
    assert_eq!(first, paths.iter().map(|p| raw.test(p)).collect::<Vec<_>>());
    // Only a regex can fail to compile, and then it fails for every path.
    if raw.kind() != Kind::Regex || first.iter().any(Option::is_some) {
        assert!(first.iter().all(Option::is_some), "{:?}", raw.go_regex());
    }
    // Star globs (byte comparisons for simple regex-kind patterns) answer as the regex does.
    if raw.kind() == Kind::Regex && first.iter().all(Option::is_some) {
        for (path, fast) in paths.iter().zip(&first) {
            assert_eq!(*fast, raw.test_by_regex(path), "{:?} on {path:?}", raw.go_regex());
        }
    }

    // Through the reader: one line makes at most one rule, and deciding a path at the root
    // of the context is exactly testing that rule's pattern (exceptions cannot re-include
    // anything when nothing is excluded).
    let Ok(rules) = RuleSet::from_ignore_file(line) else { return };
    assert!(rules.rules().len() <= 1);
    let Some(rule) = rules.rules().first() else { return };
    for path in &paths {
        let verdict = rules.decide(path, None);
        if rule.exception {
            assert_eq!(verdict.map(|v| v.excluded), Ok(false));
        } else {
            match rule.pattern().test(path) {
                Some(matched) => assert_eq!(verdict.map(|v| v.excluded), Ok(matched)),
                None => assert!(verdict.is_err()),
            }
        }
    }
});
