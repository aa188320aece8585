//! Adding rules to an ignore file without losing anything.
//!
//! [`merge`] keeps every byte of the existing file and appends the new rules in one block
//! introduced by [`MARKER`]. It skips a rule that is already there (compared as BuildKit
//! cleans patterns), one BuildKit would reject, and one that would re-exclude what one of
//! the user's `!` exceptions re-includes (see [`merge`] for the heuristic). [`unified_diff`]
//! shows the change before it is made; writing the file back is `crate::fs`'s job.

use std::fmt::Write as _;

use crate::rules::path::ancestors;
use crate::rules::{Pattern, RuleSet, examples};

/// The comment line that introduces the block of rules ctxsize adds.
pub const MARKER: &str = "# Added by ctxsize";

/// A rule to add, with the comment written on the line above it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRule {
    /// The pattern as it will be written (`**/node_modules`, `!keep.txt`).
    pub pattern: String,
    /// Why it is there; written as `# comment` above the pattern (nothing when empty).
    pub comment: String,
}

/// The outcome of [`merge`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The new content of the ignore file: the existing bytes, then the added block. Equal to
    /// the existing bytes when nothing was added.
    pub content: Vec<u8>,
    /// The rules written, in order.
    pub added: Vec<NewRule>,
    /// The rules left out, each with the reason.
    pub skipped: Vec<(NewRule, String)>,
}

/// Appends `new_rules` to an ignore file (`None`: there is none yet).
///
/// Nothing of the existing file changes: its bytes come first, unchanged (comments, blank
/// lines, a byte order mark, CRLF or LF line endings). A missing final newline is added, then
/// a blank line, then [`MARKER`], then each rule preceded by `# comment`, all with the file's
/// own line ending (CRLF when most of its lines end in CRLF). When the file already ends with
/// a ctxsize block (the last [`MARKER`] line, with no blank line after it), that block is
/// extended instead of starting another one.
///
/// A rule is skipped, with a reason, when:
/// - it is not one valid BuildKit pattern: several lines, empty, a comment, a syntax error,
///   a regular expression that does not compile;
/// - the file already has an equivalent pattern anywhere (same cleaned pattern and same `!`,
///   as BuildKit compiles them: `/build/`, `./build` and `build` are one pattern), or an
///   earlier rule of `new_rules` was equivalent; so merging the same rules twice changes
///   nothing;
/// - it is an ordinary rule that would exclude again (or empty, through BuildKit's content
///   check) a path that one of the file's `!` exceptions re-includes: the block comes last,
///   and the last matching rule wins;
/// - the file would then break BuildKit's limits (number or size of patterns).
///
/// If the existing file already fails BuildKit's checks, nothing is added. Rules of
/// `new_rules` may be exceptions themselves; later new rules are then checked against them
/// too.
///
/// The exception check cannot see the tree, so it tries representative paths: for a new
/// rule N and each exception `!E` of the file, the paths where both could apply
/// (`rules::examples::meeting_paths`). A candidate is a conflict when, deciding it level by
/// level with the engine, it ships because of an exception without N (the deciding rule is a
/// `!` rule, or a `!` rule names it or a directory above it) and is excluded or emptied with
/// N appended. This is conservative about what E could name but never blames an exception
/// that re-includes nothing there (`!keep` with no earlier rule matching `keep`). Being
/// examples, the candidates can miss a conflict between two unusual wildcard patterns.
pub fn merge(existing: Option<&[u8]>, new_rules: &[NewRule]) -> Merged {
    merge_with(existing, new_rules, ExceptionCheck::Examples)
}

/// How [`merge`] makes sure a new rule undoes none of the file's `!` exceptions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExceptionCheck {
    /// Try representative paths of each exception (see [`merge`]): for rules nobody has
    /// measured against the tree.
    Examples,
    /// The new rules were measured against the tree with the file in force (as `scan`'s
    /// proposal is): an exception protects what it re-includes there, which was checked.
    /// Only exceptions among the new rules themselves are tried with examples.
    CheckedOnTree,
}

/// [`merge`], with the exception check chosen by the caller.
pub fn merge_with(existing: Option<&[u8]>, new_rules: &[NewRule], check: ExceptionCheck) -> Merged {
    let old = existing.unwrap_or_default();
    let mut merged = Merged { content: old.to_vec(), added: Vec::new(), skipped: Vec::new() };
    let existing_rules = match RuleSet::from_ignore_file(old) {
        Ok(rules) => rules,
        Err(error) => {
            let at = if error.line.is_some() { "line " } else { "" };
            let why = format!(
                "the ignore file already fails BuildKit's checks ({at}{error}); fix it first"
            );
            merged.skipped = new_rules.iter().map(|rule| (rule.clone(), why.clone())).collect();
            return merged;
        }
    };
    // Every pattern in the file, then those added: (exception, cleaned text, where).
    let mut present: Vec<(bool, String, String)> = existing_rules
        .rules()
        .iter()
        .map(|r| (r.exception, r.text.clone(), format!("line {}: `{}`", r.line, r.written)))
        .collect();
    let existing_count = existing_rules.rules().len();
    for rule in new_rules {
        let first_checked = match check {
            ExceptionCheck::Examples => 0,
            ExceptionCheck::CheckedOnTree => existing_count,
        };
        match check_rule(old, existing_count, first_checked, &merged.added, rule, &present) {
            Err(why) => merged.skipped.push((rule.clone(), why)),
            Ok((exception, text)) => {
                present.push((exception, text, format!("the new rule `{}`", rule.pattern)));
                merged.added.push(rule.clone());
            }
        }
    }
    merged.content = render(old, &merged.added);
    merged
}

/// Decides one new rule: its exception flag and cleaned text, or why it is skipped.
fn check_rule(
    old: &[u8],
    existing_count: usize,
    first_checked: usize,
    added: &[NewRule],
    rule: &NewRule,
    present: &[(bool, String, String)],
) -> Result<(bool, String), String> {
    if rule.pattern.contains(['\n', '\r']) {
        return Err("the pattern spans several lines".into());
    }
    let parsed = RuleSet::from_ignore_file(rule.pattern.as_bytes())
        .map_err(|error| format!("BuildKit rejects the pattern: {error}"))?;
    let Some(compiled) = parsed.rules().first() else {
        return Err(if rule.pattern.starts_with('#') {
            "a line starting with `#` is a comment (write `\\#` for a literal `#`)".into()
        } else {
            "the pattern is empty".into()
        });
    };
    if let Err(error) = compiled.pattern().matches(b"") {
        return Err(format!(
            "BuildKit would fail the build: its regular expression does not compile ({error})"
        ));
    }
    if let Some((_, _, place)) = present
        .iter()
        .find(|(exception, text, _)| *exception == compiled.exception && *text == compiled.text)
    {
        return Err(format!("already there as {place}"));
    }
    let mut with_rule = added.to_vec();
    with_rule.push(rule.clone());
    let after = RuleSet::from_ignore_file(&render(old, &with_rule))
        .map_err(|error| format!("adding it would make BuildKit fail the build: {error}"))?;
    if !compiled.exception {
        let before = RuleSet::from_ignore_file(&render(old, added))
            .map_err(|error| format!("the ignore file does not read back: {error}"))?;
        if let Some((path, index)) = conflict(&before, &after, compiled.pattern(), first_checked) {
            let exception = &before.rules()[index];
            let place = if index < existing_count {
                format!("line {}: `{}`", exception.line, exception.written)
            } else {
                format!("the new rule `{}`", exception.written)
            };
            return Err(format!(
                "it would exclude `{}` again, which the exception {place} re-includes (the \
                 last matching rule wins)",
                String::from_utf8_lossy(&path)
            ));
        }
    }
    Ok((compiled.exception, compiled.text.clone()))
}

/// A candidate path that ships because of an exception under `before` but not (or empty)
/// under `after` (`before` plus the new rule), with the index of that exception in `before`.
/// Exceptions before index `first` are not tried.
fn conflict(
    before: &RuleSet,
    after: &RuleSet,
    new: &Pattern,
    first: usize,
) -> Option<(Vec<u8>, usize)> {
    for exception in before.rules()[first..].iter().filter(|rule| rule.exception) {
        for path in examples::meeting_paths(exception.pattern(), new) {
            if let Some(index) = reincluded_by(before, &path)
                && index >= first
                && !ships_whole(after, &path)
            {
                return Some((path, index));
            }
        }
    }
    None
}

/// The user's exception that keeps `path` shipping with its content, if one does: the one
/// that decided, or one that names the path or a directory above it even though nothing
/// excludes it yet (a `!keep.log` says `keep.log` must ship, whatever is added later).
fn reincluded_by(rules: &RuleSet, path: &[u8]) -> Option<usize> {
    let trace = crate::rules::trace(rules, path, true).ok()?;
    if trace.excluded || trace.content_rule.is_some() {
        return None;
    }
    if let Some(index) = trace.rule
        && rules.rules()[index].exception
    {
        return Some(index);
    }
    let names =
        |rule: &crate::rules::Rule, path: &[u8]| rule.pattern().matches(path).unwrap_or(false);
    rules.rules().iter().position(|rule| {
        rule.exception && (names(rule, path) || ancestors(path).any(|dir| names(rule, dir)))
    })
}

/// Whether `path` ships with its content (an error, from a user's pattern, counts as no).
fn ships_whole(rules: &RuleSet, path: &[u8]) -> bool {
    crate::rules::trace(rules, path, true)
        .is_ok_and(|trace| !trace.excluded && trace.content_rule.is_none())
}

/// The existing bytes followed by the block of `added` rules.
fn render(old: &[u8], added: &[NewRule]) -> Vec<u8> {
    let mut out = old.to_vec();
    if added.is_empty() {
        return out;
    }
    let eol: &[u8] = if uses_crlf(old) { b"\r\n" } else { b"\n" };
    if !old.is_empty() && !old.ends_with(b"\n") {
        if old.ends_with(b"\r") && eol == b"\r\n" {
            out.push(b'\n');
        } else {
            out.extend_from_slice(eol);
        }
    }
    if !ends_with_block(old) {
        if !old.is_empty() && !ends_with_blank_line(old) {
            out.extend_from_slice(eol);
        }
        out.extend_from_slice(MARKER.as_bytes());
        out.extend_from_slice(eol);
    }
    for rule in added {
        let comment = rule.comment.split_whitespace().collect::<Vec<_>>().join(" ");
        if !comment.is_empty() {
            out.extend_from_slice(b"# ");
            out.extend_from_slice(comment.as_bytes());
            out.extend_from_slice(eol);
        }
        out.extend_from_slice(rule.pattern.as_bytes());
        out.extend_from_slice(eol);
    }
    out
}

/// The file's lines without their line endings (and without a first-line byte order mark).
fn lines(content: &[u8]) -> Vec<&[u8]> {
    if content.is_empty() {
        return Vec::new();
    }
    let body = content.strip_suffix(b"\n").unwrap_or(content);
    let mut lines: Vec<&[u8]> =
        body.split(|&b| b == b'\n').map(|line| line.strip_suffix(b"\r").unwrap_or(line)).collect();
    lines[0] = lines[0].strip_prefix(b"\xEF\xBB\xBF").unwrap_or(lines[0]);
    lines
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

/// Whether most line endings are CRLF.
fn uses_crlf(content: &[u8]) -> bool {
    let newlines = content.iter().filter(|&&b| b == b'\n').count();
    let crlf = content.windows(2).filter(|w| w == b"\r\n").count();
    crlf * 2 > newlines
}

fn ends_with_blank_line(content: &[u8]) -> bool {
    lines(content).last().is_some_and(|line| is_blank(line))
}

/// Whether the file ends with a ctxsize block: its last [`MARKER`] line has no blank line
/// after it.
fn ends_with_block(content: &[u8]) -> bool {
    let lines = lines(content);
    lines
        .iter()
        .rposition(|line| line.trim_ascii_end() == MARKER.as_bytes())
        .is_some_and(|marker| lines[marker + 1..].iter().all(|line| !is_blank(line)))
}

/// A unified diff (`---`/`+++` headers, one `@@` hunk with up to 3 lines of context) from
/// `old` to `new`, both named `name` (as `a/name` and `b/name`, so `git apply` and
/// `patch -p1` take it). Empty when they are equal. The hunk spans from the first to the
/// last line that differs, which for [`merge`] (which only appends) is exactly the change.
/// Bytes that are not UTF-8 are shown lossily.
pub fn unified_diff(old: &[u8], new: &[u8], name: &str) -> String {
    if old == new {
        return String::new();
    }
    const CONTEXT: usize = 3;
    let split = |content: &[u8]| -> Vec<Vec<u8>> {
        content.split_inclusive(|&b| b == b'\n').map(<[u8]>::to_vec).collect()
    };
    let (old_lines, new_lines) = (split(old), split(new));
    let prefix = old_lines.iter().zip(&new_lines).take_while(|(a, b)| a == b).count();
    let suffix = old_lines[prefix..]
        .iter()
        .rev()
        .zip(new_lines[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let before = prefix.min(CONTEXT);
    let after = suffix.min(CONTEXT);
    let start = prefix - before;
    let old_end = old_lines.len() - suffix + after;
    let new_end = new_lines.len() - suffix + after;
    let range = |len: usize| {
        let first = if len == 0 { start } else { start + 1 };
        format!("{first},{len}")
    };
    let mut out = String::new();
    let _ = writeln!(out, "--- a/{name}");
    let _ = writeln!(out, "+++ b/{name}");
    let _ = writeln!(out, "@@ -{} +{} @@", range(old_end - start), range(new_end - start));
    let mut line = |mark: char, bytes: &[u8]| {
        out.push(mark);
        out.push_str(&String::from_utf8_lossy(bytes));
        if !bytes.ends_with(b"\n") {
            out.push_str("\n\\ No newline at end of file\n");
        }
    };
    for bytes in &old_lines[start..prefix] {
        line(' ', bytes);
    }
    for bytes in &old_lines[prefix..old_lines.len() - suffix] {
        line('-', bytes);
    }
    for bytes in &new_lines[prefix..new_lines.len() - suffix] {
        line('+', bytes);
    }
    for bytes in &old_lines[old_lines.len() - suffix..old_end] {
        line(' ', bytes);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::trace;

    fn rule(pattern: &str, comment: &str) -> NewRule {
        NewRule { pattern: pattern.into(), comment: comment.into() }
    }

    fn rules(patterns: &[&str]) -> Vec<NewRule> {
        patterns.iter().map(|p| rule(p, "")).collect()
    }

    /// The walk's decision on a path, and whether BuildKit's content check empties it.
    fn shipped(content: &[u8], path: &str) -> (bool, bool) {
        let set = RuleSet::from_ignore_file(content).unwrap();
        let t = trace(&set, path.as_bytes(), true).unwrap();
        (!t.excluded, t.content_rule.is_some())
    }

    /// Shipped with its content, and decided by a `!` rule (the user's exception is in force).
    fn reincluded(content: &[u8], path: &str) -> bool {
        let set = RuleSet::from_ignore_file(content).unwrap();
        let t = trace(&set, path.as_bytes(), true).unwrap();
        !t.excluded && t.content_rule.is_none() && t.rule.is_some_and(|i| set.rules()[i].exception)
    }

    #[test]
    fn keeps_every_existing_byte_and_appends_one_marked_block() {
        let new = [rule("**/node_modules", "Dependencies"), rule("**/*.log", "Logs")];
        let block = "# Added by ctxsize\n# Dependencies\n**/node_modules\n# Logs\n**/*.log\n";
        let crlf_block = block.replace('\n', "\r\n");
        let cases: Vec<(Option<&[u8]>, String)> = vec![
            (None, block.into()),
            (Some(b""), block.into()),
            (Some(b"a\n"), format!("a\n\n{block}")),
            (Some(b"a"), format!("a\n\n{block}")),
            (Some(b"a\n\n"), format!("a\n\n{block}")),
            (Some(b"# only a comment\n  \n x \n"), format!("# only a comment\n  \n x \n\n{block}")),
            (Some(b"a\r\nb\r\n"), format!("a\r\nb\r\n\r\n{crlf_block}")),
            (Some(b"a\r\nb"), format!("a\r\nb\r\n\r\n{crlf_block}")),
            (Some(b"a\r\nb\r"), format!("a\r\nb\r\n\r\n{crlf_block}")),
            (Some(b"a\r\nb\r\nc\n"), format!("a\r\nb\r\nc\n\r\n{crlf_block}")),
            (Some(b"a\nb\nc\r\n"), format!("a\nb\nc\r\n\n{block}")),
            (Some(b"\xEF\xBB\xBF# c\r\nx\r\n"), format!("\u{FEFF}# c\r\nx\r\n\r\n{crlf_block}")),
            (Some(b"\xFF\xFE odd\n"), String::new()),
        ];
        for (existing, expected) in cases {
            let merged = merge(existing, &new);
            let old = existing.unwrap_or_default();
            assert!(merged.content.starts_with(old), "{existing:?}");
            if expected.is_empty() {
                assert_eq!(&merged.content[old.len()..], format!("\n{block}").as_bytes());
            } else {
                assert_eq!(String::from_utf8_lossy(&merged.content), expected, "{existing:?}");
            }
            assert_eq!(merged.added, new);
            assert!(merged.skipped.is_empty());
        }
    }

    #[test]
    fn nothing_to_add_leaves_the_bytes_alone() {
        for existing in [&b"a"[..], b"a\r\nb", b"", b"x\n\n\n", b"\xEF\xBB\xBFa"] {
            assert_eq!(merge(Some(existing), &[]).content, existing);
        }
        let existing = b"a\r\n# c\r\n\r\n x";
        assert_eq!(merge(Some(existing), &rules(&["/a/", "./x", "a"])).content, existing);
    }

    #[test]
    fn merging_again_changes_nothing() {
        let new =
            [rule("**/node_modules", "deps"), rule("dist/", "build output"), rule("*.pyc", "")];
        for existing in [None, Some(&b"a\r\n!keep.txt"[..]), Some(b"# c\n.git\n")] {
            let first = merge(existing, &new);
            assert_eq!(first.added.len(), 3);
            let second = merge(Some(&first.content), &new);
            assert_eq!(second.content, first.content);
            assert!(second.added.is_empty());
            assert_eq!(second.skipped.len(), 3);
            for (_, why) in &second.skipped {
                assert!(why.starts_with("already there as line "), "{why}");
            }
        }
    }

    #[test]
    fn equivalent_patterns_are_recognised_as_buildkit_cleans_them() {
        let existing = b"/node_modules/\n./dist\n!keep//x/.\n";
        let merged = merge(
            Some(existing),
            &rules(&["node_modules", "dist/", "!keep/x", "!dist", "node_modules/**", "a", "/a/"]),
        );
        let skipped: Vec<(&str, &str)> =
            merged.skipped.iter().map(|(r, why)| (r.pattern.as_str(), why.as_str())).collect();
        assert_eq!(
            skipped,
            [
                ("node_modules", "already there as line 1: `/node_modules/`"),
                ("dist/", "already there as line 2: `./dist`"),
                ("!keep/x", "already there as line 3: `!keep//x/.`"),
                ("/a/", "already there as the new rule `a`"),
            ]
        );
        let added: Vec<&str> = merged.added.iter().map(|r| r.pattern.as_str()).collect();
        assert_eq!(added, ["!dist", "node_modules/**", "a"]);
    }

    #[test]
    fn an_existing_block_is_extended_not_repeated() {
        let first = merge(Some(b"a\n"), &[rule("b", "first")]);
        let second = merge(Some(&first.content), &[rule("c", "second")]);
        assert_eq!(second.content, b"a\n\n# Added by ctxsize\n# first\nb\n# second\nc\n");
        // Without a final newline, the block still goes on.
        let trimmed = &second.content[..second.content.len() - 1];
        let third = merge(Some(trimmed), &[rule("d", "")]);
        assert_eq!(third.content, b"a\n\n# Added by ctxsize\n# first\nb\n# second\nc\nd\n");
        // After a blank line the block has ended: lines below are the user's, so a new
        // block starts after them.
        let mut edited = second.content.clone();
        edited.extend_from_slice(b"\nmine\n");
        let fourth = merge(Some(&edited), &[rule("e", "")]);
        let text = String::from_utf8(fourth.content).unwrap();
        assert_eq!(text.matches(MARKER).count(), 2);
        assert!(text.ends_with("mine\n\n# Added by ctxsize\ne\n"), "{text}");
    }

    #[test]
    fn comments_are_one_line_each() {
        let merged = merge(None, &[rule("a", " two\nlines\r\n and  blanks "), rule("b", " \n ")]);
        assert_eq!(merged.content, b"# Added by ctxsize\n# two lines and blanks\na\nb\n");
    }

    #[test]
    fn rules_buildkit_would_reject_are_skipped() {
        let cases: &[(&str, &str)] = &[
            ("#foo", "comment"),
            ("", "empty"),
            ("   ", "empty"),
            ("a\nb", "several lines"),
            ("a\rb", "several lines"),
            ("x[", "syntax error"),
            ("!", "`!` alone"),
            ("a*\\q", "does not compile"),
            ("a\u{1}b", "control character"),
        ];
        for &(pattern, reason) in cases {
            let merged = merge(Some(b"x\n"), &rules(&[pattern]));
            assert_eq!(merged.content, b"x\n", "{pattern:?}");
            assert_eq!(merged.skipped.len(), 1, "{pattern:?}");
            assert!(merged.skipped[0].1.contains(reason), "{pattern:?}: {}", merged.skipped[0].1);
        }
        // An escaped `#` is a pattern.
        assert_eq!(merge(None, &rules(&["\\#x"])).added.len(), 1);
    }

    #[test]
    fn a_broken_existing_file_gets_nothing() {
        let merged = merge(Some(b"ok\nx[\n"), &rules(&["a", "b"]));
        assert_eq!(merged.content, b"ok\nx[\n");
        assert!(merged.added.is_empty());
        assert_eq!(merged.skipped.len(), 2);
        assert!(merged.skipped[0].1.contains("line 2: syntax error"), "{}", merged.skipped[0].1);
    }

    #[test]
    fn buildkit_limits_on_the_whole_file_are_kept() {
        let existing: String = (0..489).map(|i| format!("p{i}\n")).collect();
        let merged = merge(Some(existing.as_bytes()), &rules(&["a", "b", "c"]));
        assert_eq!(merged.added, rules(&["a"]));
        assert_eq!(merged.skipped.len(), 2);
        assert!(merged.skipped[0].1.contains("491 patterns"), "{}", merged.skipped[0].1);
        assert!(RuleSet::from_ignore_file(&merged.content).is_ok());
        assert_eq!(RuleSet::from_ignore_file(&merged.content).unwrap().rules().len(), 490);
    }

    /// Each case: the user's file, a rule to add, and a path the user's exception keeps.
    /// Appending the rule blindly would lose the path (or empty it); merge must skip it.
    #[test]
    fn exceptions_keep_winning() {
        let cases: &[(&str, &str, &str, &str)] = &[
            ("*.log\n!important.log\n", "**/*.log", "important.log", "line 2: `!important.log`"),
            ("build\n!build/keep.txt\n", "**/build", "build/keep.txt", "line 2"),
            ("**/build\n!build/keep.txt\n", "build", "build/keep.txt", "line 2"),
            ("*\n!src\n", "**/*.log", "src/app.log", "line 2: `!src`"),
            ("*\n!src\n", "src/*.log", "src/app.log", "line 2"),
            ("**\n!*.md\n", "README.md", "README.md", "line 2: `!*.md`"),
            (
                "node_modules\n!node_modules/keep\n",
                "**/node_modules",
                "node_modules/keep/a.js",
                "line 2",
            ),
            ("**\n!keep[0-9].txt\n", "keep5.txt", "keep5.txt", "line 2"),
            ("**\n!**/keep\n", "a", "a/keep", "line 2: `!**/keep`"),
            ("**\n!docs/**/*.md\n", "docs/guide", "docs/guide/x.md", "line 2"),
            ("**\n!docs/**/*.md\n", "**/*.md", "docs/guide/x.md", "line 2"),
            ("**\n!?.txt\n", "a.txt", "a.txt", "line 2"),
            ("**\n!a/*/c\n", "**/c", "a/b/c", "line 2"),
            ("**\n!a\\*b\n", "a*", "a*b", "line 2"),
            ("**\n!Cargo.*\n", "*.toml", "Cargo.toml", "line 2: `!Cargo.*`"),
        ];
        for &(existing, pattern, kept, because) in cases {
            let existing = existing.as_bytes();
            assert!(reincluded(existing, kept), "{existing:?}: {kept} must ship before");
            let mut naive = existing.to_vec();
            naive.extend_from_slice(format!("{pattern}\n").as_bytes());
            assert_ne!(shipped(&naive, kept), (true, false), "{pattern} must be a real conflict");
            let merged = merge(Some(existing), &rules(&[pattern]));
            assert!(merged.added.is_empty(), "{existing:?} + {pattern}");
            let why = &merged.skipped[0].1;
            assert!(why.contains("re-includes") && why.contains(because), "{pattern}: {why}");
            assert!(reincluded(&merged.content, kept));
        }
    }

    #[test]
    fn rules_that_leave_exceptions_alone_are_added() {
        let cases: &[(&str, &str, &str)] = &[
            ("*.log\n!important.log\n", "**/node_modules", "node_modules/x"),
            ("**/*.md\n!README.md\n", "docs/internal", "docs/internal/a.txt"),
            ("*.md\n!README.md\n", "**/.git", ".git/HEAD"),
            ("build\n!build/keep.txt\n", "dist", "dist/x"),
            ("x\n!x/keep.txt\n", "**/*.log", "y.log"),
        ];
        for &(existing, pattern, removed) in cases {
            let existing = existing.as_bytes();
            let merged = merge(Some(existing), &rules(&[pattern]));
            assert_eq!(merged.added.len(), 1, "{pattern}: {:?}", merged.skipped);
            assert!(shipped(existing, removed).0 && !shipped(&merged.content, removed).0);
        }
    }

    #[test]
    fn new_exceptions_count_too() {
        let merged = merge(None, &rules(&["**/*.log", "!keep.log", "*.log", "**/other"]));
        let added: Vec<&str> = merged.added.iter().map(|r| r.pattern.as_str()).collect();
        assert_eq!(added, ["**/*.log", "!keep.log", "**/other"]);
        assert!(merged.skipped[0].1.contains("the new rule `!keep.log`"), "{:?}", merged.skipped);
        assert!(reincluded(&merged.content, "keep.log"));
    }

    /// Every combination of these files, rules and paths: whatever merge adds, a path a user
    /// exception re-includes still ships with its content.
    #[test]
    fn user_exceptions_stay_in_force_across_combinations() {
        let files = [
            "*.log\n!important.log\n",
            "build\n!build/keep.txt\n",
            "*\n!src\n!package.json\n",
            "**\n!*.md\n",
            "node_modules\n!node_modules/keep\n",
            "docs\n!docs/**/*.md\n",
            "**/*.tmp\n!cache/*.tmp\n",
            "a/b\n!a/b/c\n",
            "**/.*\n!.gitignore\n!.github/**\n",
            "**\n!src/**/*.rs\n!Cargo.*\n",
        ];
        let new = [
            "**/*.log",
            "*.log",
            "**/build",
            "build",
            "**/node_modules",
            "node_modules",
            "**/*.md",
            "README.md",
            "docs",
            "src",
            "src/**",
            "**/src",
            "**/.git",
            "dist",
            "**/keep*",
            "important.log",
            "**/*.tmp",
            "cache",
            "a",
            "a/**",
            "**/c",
            "*",
            "**/*.rs",
            "**/.*",
            ".github",
            "**/target",
            "Cargo.lock",
            "src/gen",
            "*.toml",
            "**/x?z",
        ];
        let paths = [
            "important.log",
            "x.log",
            "sub/important.log",
            "build",
            "build/keep.txt",
            "build/other",
            "src",
            "src/app.log",
            "src/main.rs",
            "src/gen/a.rs",
            "package.json",
            "README.md",
            "docs/README.md",
            "docs/a/b.md",
            "docs/x.txt",
            "node_modules",
            "node_modules/keep",
            "node_modules/keep/index.js",
            "node_modules/lib/x.js",
            "cache/a.tmp",
            "b.tmp",
            "a/b",
            "a/b/c",
            "a/b/c/d",
            "a/b/e",
            "dist/x",
            ".git/HEAD",
            ".gitignore",
            ".github/workflows/ci.yml",
            "Cargo.toml",
            "Cargo.lock",
            "target/x",
            "src/xyz",
            "keep.txt",
        ];
        let mut added = 0;
        for file in files {
            let existing = file.as_bytes();
            let kept: Vec<&str> =
                paths.iter().copied().filter(|p| reincluded(existing, p)).collect();
            assert!(!kept.is_empty(), "{file:?}");
            let mut batches: Vec<Vec<&str>> = new.iter().map(|p| vec![*p]).collect();
            batches.push(new.to_vec());
            for batch in batches {
                let merged = merge(Some(existing), &rules(&batch));
                added += merged.added.len();
                for path in &kept {
                    assert!(
                        shipped(&merged.content, path) == (true, false),
                        "{file:?} + {batch:?} loses {path}"
                    );
                }
            }
        }
        assert!(added > 100, "the check must not refuse everything: {added} added");
    }

    #[test]
    fn diff_of_an_append() {
        let old = b"1\n2\n3\n4\n5\n";
        let new = merge(Some(old), &[rule("**/*.log", "Logs")]).content;
        assert_eq!(
            unified_diff(old, &new, ".dockerignore"),
            "--- a/.dockerignore\n+++ b/.dockerignore\n@@ -3,3 +3,7 @@\n 3\n 4\n 5\n+\n\
             +# Added by ctxsize\n+# Logs\n+**/*.log\n"
        );
        assert_eq!(unified_diff(old, old, "x"), "");
        assert_eq!(unified_diff(b"", b"a\n", "f"), "--- a/f\n+++ b/f\n@@ -0,0 +1,1 @@\n+a\n");
    }

    #[test]
    fn diff_marks_a_missing_final_newline() {
        assert_eq!(
            unified_diff(b"a\nb", b"a\nb\nc\n", "f"),
            "--- a/f\n+++ b/f\n@@ -1,2 +1,3 @@\n a\n-b\n\\ No newline at end of file\n+b\n+c\n"
        );
        assert_eq!(
            unified_diff(b"a\r\n", b"a\r\nb\r\n", "f"),
            "--- a/f\n+++ b/f\n@@ -1,1 +1,2 @@\n a\r\n+b\r\n"
        );
    }

    /// Applies a diff of the form [`unified_diff`] makes, checking every context line.
    fn apply(old: &[u8], diff: &str) -> Vec<u8> {
        if diff.is_empty() {
            return old.to_vec();
        }
        let mut old_lines: Vec<&[u8]> = old.split_inclusive(|&b| b == b'\n').collect();
        let mut lines = diff.split_inclusive('\n').skip(2).peekable();
        let header = lines.next().unwrap();
        let start: usize = header[4..].split(',').next().unwrap().parse().unwrap();
        let mut at = start.saturating_sub(1);
        if header[4..].split([',', ' ']).nth(1) == Some("0") {
            at = start;
        }
        let mut out: Vec<u8> = old_lines.drain(..at).flatten().copied().collect();
        let mut rest = old_lines.into_iter();
        while let Some(line) = lines.next() {
            let mut body = line.as_bytes()[1..].to_vec();
            if lines.peek() == Some(&"\\ No newline at end of file\n") {
                lines.next();
                body.pop();
            }
            match &line[..1] {
                " " => {
                    assert_eq!(rest.next().unwrap(), &body[..]);
                    out.extend_from_slice(&body);
                }
                "-" => assert_eq!(rest.next().unwrap(), &body[..]),
                "+" => out.extend_from_slice(&body),
                other => panic!("unexpected line {other:?}"),
            }
        }
        out.extend(rest.flatten());
        out
    }

    #[test]
    fn diffs_apply() {
        let texts: [&[u8]; 9] = [
            b"",
            b"a\n",
            b"a",
            b"1\n2\n3\n4\n5\n6\n7\n8\n9\n",
            b"1\n2\n3\nX\n5\n6\n7\n8\n9\n",
            b"1\n2\n3\n4\n5\n6\n7\n8\n9",
            b"0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
            b"1\r\n2\r\n",
            b"\xEF\xBB\xBFa\nb\n",
        ];
        for old in texts {
            for new in texts {
                let diff = unified_diff(old, new, "f");
                assert_eq!(apply(old, &diff), new, "{old:?} -> {new:?}\n{diff}");
            }
        }
    }
}

#[cfg(test)]
mod user_exceptions {
    use super::*;

    /// `!keep.log` says `keep.log` ships, even when nothing excluded it before: a new
    /// `**/*.log` must not be appended after it (it would win, being later).
    #[test]
    fn an_exception_that_excludes_nothing_yet_still_protects_its_path() {
        let new = [NewRule { pattern: "**/*.log".into(), comment: String::new() }];
        let merged = merge(Some(b"# mine\n!keep.log\n"), &new);
        assert!(merged.added.is_empty(), "{:?}", merged.added);
        assert!(merged.skipped[0].1.contains("!keep.log"), "{}", merged.skipped[0].1);
        let merged = merge(Some(b"# mine\n!docs\n"), &new);
        assert!(merged.added.is_empty(), "docs/x.log is under the re-included directory");
        let merged = merge(Some(b"# mine\n!keep.txt\n"), &new);
        assert_eq!(merged.added.len(), 1, "no overlap, nothing to protect");
    }
}
