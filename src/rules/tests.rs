//! Focused tests of the decision procedure; whole trees are covered by the conformance cases.

use super::*;
use crate::entry_kind::EntryKind;

fn rules(text: &str) -> RuleSet {
    RuleSet::from_ignore_file(text.as_bytes()).unwrap()
}

/// Decides `path` with the walk's step: every ancestor first, carrying records down (and
/// into directories BuildKit would prune, to see the rules' answer for any path).
fn excluded(set: &RuleSet, path: &str) -> bool {
    let mut parent = Inherited::ROOT;
    let bytes = path.as_bytes();
    for ancestor in ancestors(bytes) {
        parent = Inherited::Record(set.step(&parent, ancestor, EntryKind::Dir).unwrap().record);
    }
    let fate = set.step(&parent, bytes, EntryKind::Dir).unwrap().fate;
    matches!(fate, Fate::Excluded { .. })
}

#[test]
fn later_rules_win_and_exceptions_reinclude() {
    let set = rules("*.md\n!README.md\n");
    assert!(excluded(&set, "a.md"));
    assert!(!excluded(&set, "README.md"));
    assert!(!excluded(&set, "docs/a.md"), "patterns are anchored at the root");
    let set = rules("!README.md\n*.md\n");
    assert!(excluded(&set, "README.md"), "an exception before its pattern does nothing");
}

#[test]
fn directory_matches_travel_down() {
    let set = rules("node_modules\n");
    assert!(excluded(&set, "node_modules/a/b.js"));
    assert!(!excluded(&set, "src/node_modules/a.js"));
}

#[test]
fn a_match_counts_only_where_it_was_evaluated() {
    let set = rules("**/*.md\n!docs\n");
    assert!(!excluded(&set, "docs"));
    assert!(excluded(&set, "docs/a.md"));
    assert!(!excluded(&set, "docs/b.txt"));
}

#[test]
fn pruning_follows_exception_prefixes() {
    let set = rules("packages/legacy\n!packages/*/**\n");
    assert!(set.prunes(b"packages/legacy"));
    assert!(!set.prunes(b"packages"));
    let set = rules("**/node_modules\n!node_modules/*/**\n");
    assert!(!set.prunes(b"node_modules"));
    assert!(set.prunes(b"node_modules/lib"));
    let set = rules("a\n!unrelated[0-9]\n");
    assert!(!set.prunes(b"a"), "a wildcard exception turns pruning off");
    assert!(rules("a\n").prunes(b"a"));
    let set = rules("docs\n!docs/keep.md\n");
    assert!(!set.prunes(b"docs"));
    assert!(set.prunes(b"docsx"));
}

#[test]
fn content_check_sees_ancestors() {
    let set = rules("build\n!build/keep.txt\n**/build\n");
    assert!(!excluded(&set, "build/keep.txt"));
    assert_eq!(set.content_excluded(b"build/keep.txt").unwrap(), Some(2));
    let set = rules("a\n!a/b\n");
    assert_eq!(set.content_excluded(b"a/b").unwrap(), None);
}

#[test]
fn errors_name_the_line_and_pattern() {
    let error = RuleSet::from_ignore_file(b"ok\n# c\nx[\n").unwrap_err();
    assert_eq!((error.line, error.pattern.as_deref()), (Some(3), Some("x[")));
    assert_eq!(error.kind, RuleErrorKind::BadGlob);
    for bad in ["!\n", "! \n", "!/\n"] {
        let error = RuleSet::from_ignore_file(bad.as_bytes()).unwrap_err();
        assert_eq!(error.kind, RuleErrorKind::EmptyException, "{bad:?}");
    }
    assert!(RuleSet::from_ignore_file(b"!./\n").is_ok());
}

#[test]
fn bad_regex_fails_only_when_evaluated() {
    let set = rules("x\\q\n");
    let error = set.decide(b"a", None).unwrap_err();
    assert_eq!(error.line, Some(1));
    assert!(matches!(error.kind, RuleErrorKind::BadRegex { .. }));
    // An exception is never evaluated for a path nothing excluded.
    let set = rules("nothing\n!x\\q\n");
    assert!(!set.decide(b"a", None).unwrap().excluded);
}

#[test]
fn ancestors_are_proper_prefixes() {
    let list: Vec<&[u8]> = ancestors(b"a/b/c").collect();
    assert_eq!(list, [&b"a"[..], b"a/b"]);
    assert_eq!(ancestors(b"a").count(), 0);
}

/// Skipping the content check is only an optimisation: wherever it is skipped, the full
/// check agrees that the file keeps its content.
#[test]
fn skipping_the_content_check_never_changes_the_answer() {
    let rule_sets = [
        "build\n!build/keep.txt\n**/build\n",
        "a\n!a/b\na\n",
        "*\n!src\n**/*.md\n!**/README.md\nsrc/tmp\n",
        "**/x\n!x/y/**\nx/y/z\n!**/keep\n",
        "docs\n!docs/keep.md\n!docs/sub\ndocs/sub/*.md\n",
    ];
    let paths = [
        "build/keep.txt",
        "build/x",
        "a/b",
        "a/c",
        "src/a.md",
        "src/README.md",
        "src/tmp/f",
        "x/y/z/f",
        "x/y/keep",
        "q/x/keep",
        "docs/keep.md",
        "docs/sub/a.md",
        "docs/sub/b.txt",
        "plain",
        "deep/er/file",
    ];
    let mut checked = 0;
    for text in rule_sets {
        let set = rules(text);
        for path in paths {
            let mut parent = None;
            let mut walk_excluded = false;
            for ancestor in ancestors(path.as_bytes()) {
                let verdict = set.decide(ancestor, parent.as_ref()).unwrap();
                walk_excluded = verdict.excluded && set.prunes(ancestor);
                if walk_excluded {
                    break;
                }
                parent = Some(verdict.record);
            }
            if walk_excluded {
                continue;
            }
            let verdict = set.decide(path.as_bytes(), parent.as_ref()).unwrap();
            if verdict.excluded || set.needs_content_check(parent.as_ref(), &verdict.record) {
                continue;
            }
            assert_eq!(set.content_excluded(path.as_bytes()).unwrap(), None, "{text:?} {path}");
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} paths skipped the check");
}
