//! A whole `.dockerignore` file, then paths decided as BuildKit's walker decides them.
//!
//! Input: `<ignore file> [NUL <path> \n <path> ...]`. Everything before the last NUL is the
//! file; the paths after it (and, so that rules actually match, the patterns themselves
//! read as paths) are walked one segment at a time, each prefix decided with its parent's
//! record. Parsing may fail (BuildKit fails the build) but must never panic.
#![no_main]

use ctxsize::rules::{Record, RuleSet, Verdict};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (file, tail) = match data.iter().rposition(|&b| b == 0) {
        Some(nul) => (&data[..nul], &data[nul + 1..]),
        None => (data, &[][..]),
    };
    let Ok(rules) = RuleSet::from_ignore_file(file) else { return };
    let from_patterns = rules.rules().iter().map(|r| r.text.as_bytes());
    for path in tail.split(|&b| b == b'\n').chain(from_patterns).take(16) {
        walk(&rules, path);
    }
});

/// Decides `a`, `a/b`, `a/b/c`, ... of a path, as the walker does (clean segments only).
fn walk(rules: &RuleSet, path: &[u8]) {
    let segments = path.split(|&b| b == b'/').filter(|s| !matches!(*s, b"" | b"." | b".."));
    let mut prefix = Vec::new();
    let mut parent: Option<Record> = None;
    for segment in segments.take(32) {
        if !prefix.is_empty() {
            prefix.push(b'/');
        }
        prefix.extend_from_slice(segment);
        // A bad regex fails the build when reached: an error, not a panic.
        let Ok(verdict) = rules.decide(&prefix, parent.as_ref()) else { return };
        // Deciding is a pure function of the path and the parent's record.
        assert_eq!(rules.decide(&prefix, parent.as_ref()), Ok(verdict));
        check_verdict(rules, parent.as_ref(), &verdict);
        // When no rule matched this path or any directory above it, BuildKit's second
        // check must keep the content (this is what lets the walker skip that check).
        if !rules.needs_content_check(parent.as_ref(), &verdict.record) {
            assert_eq!(rules.content_excluded(&prefix), Ok(None), "{prefix:?}");
        }
        if verdict.excluded {
            let _ = rules.prunes(&prefix);
        }
        parent = Some(verdict.record);
    }
}

/// What holds for any verdict by construction of the walk.
fn check_verdict(rules: &RuleSet, parent: Option<&Record>, verdict: &Verdict) {
    let count = rules.rules().len();
    // Rules that matched the parent match its children, and are recorded again.
    if let Some(parent) = parent {
        assert!((0..count).all(|i| !parent.get(i) || verdict.record.get(i)));
    }
    // The deciding rule is the last one recorded, and it sets the state.
    assert_eq!(verdict.deciding, (0..count).rev().find(|&i| verdict.record.get(i)));
    match verdict.deciding {
        Some(i) => assert_eq!(verdict.excluded, !rules.rules()[i].exception),
        None => assert!(!verdict.excluded && !verdict.inherited),
    }
}
