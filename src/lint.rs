//! Lint of an ignore file: lines BuildKit rejects, and rules that do not do what they seem to.
//!
//! Every finding names the line, a short stable name, what is wrong and the fix. The checks
//! here need only the rules themselves (and BuildKit's decision procedure, to trace a
//! literal exception); checks that need the tree come from the scan's walk.

use serde::Serialize;

use crate::rules::trace;
use crate::rules::{Kind, RuleError, RuleSet};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Cosmetic or a habit worth knowing about.
    Info,
    /// The rule does not do what it seems to.
    Warning,
    /// BuildKit fails the build.
    Error,
}

/// Which check found something: a short stable name (`inline-comment`), the same in the
/// text output, JSON and `check`'s messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// BuildKit rejects the line.
    Rejected,
    InlineComment,
    TrailingWhitespace,
    TrailingSlash,
    /// Regex syntax that acts in a pattern with a wildcard.
    RegexSyntax,
    /// `[!a]`, which is not a negation.
    ClassNegation,
    Duplicate,
    /// An exception before any rule that excludes.
    ExceptionFirst,
    /// An exception a later rule undoes, or that leaves its path excluded.
    IneffectiveException,
    /// A rule that matches nothing in the context.
    Unused,
    /// A rule that only matches inside what other rules exclude.
    Redundant,
    /// A one-segment rule that only matches at the root while same-named entries ship deeper.
    BareName,
    /// A rule that excludes what a Dockerfile source names.
    ExcludesNeeded,
}

impl Check {
    /// The stable name.
    pub fn name(self) -> &'static str {
        match self {
            Check::Rejected => "rejected",
            Check::InlineComment => "inline-comment",
            Check::TrailingWhitespace => "trailing-whitespace",
            Check::TrailingSlash => "trailing-slash",
            Check::RegexSyntax => "regex-syntax",
            Check::ClassNegation => "class-negation",
            Check::Duplicate => "duplicate",
            Check::ExceptionFirst => "exception-first",
            Check::IneffectiveException => "ineffective-exception",
            Check::Unused => "unused",
            Check::Redundant => "redundant",
            Check::BareName => "bare-name",
            Check::ExcludesNeeded => "excludes-needed",
        }
    }
}

/// Findings on one line sort by name, alphabetically.
impl Ord for Check {
    fn cmp(&self, other: &Check) -> std::cmp::Ordering {
        self.name().cmp(other.name())
    }
}

impl PartialOrd for Check {
    fn partial_cmp(&self, other: &Check) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl PartialEq<&str> for Check {
    fn eq(&self, name: &&str) -> bool {
        self.name() == *name
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub line: usize,
    pub name: Check,
    pub severity: Severity,
    pub message: String,
    pub fix: String,
}

/// Lints an ignore file's content. A file BuildKit rejects yields that one error finding
/// (nothing after it can be trusted).
pub fn lint_text(content: &[u8]) -> Vec<Finding> {
    match RuleSet::from_ignore_file(content) {
        Ok(rules) => lint_rules(&rules),
        Err(error) => vec![rejected(&error)],
    }
}

/// The finding for an ignore file BuildKit rejects.
pub fn rejected(error: &RuleError) -> Finding {
    let mut message = error.to_string();
    if let Some(line) = error.line {
        // The error's text starts with its line number; the finding carries it already.
        message = message.trim_start_matches(&format!("{line}: ")).to_owned();
    }
    Finding {
        line: error.line.unwrap_or(1),
        name: Check::Rejected,
        severity: Severity::Error,
        message: format!("BuildKit fails the build on this line: {message}"),
        fix: "fix or remove the line".to_owned(),
    }
}

/// The checks that need only the rules.
pub fn lint_rules(rules: &RuleSet) -> Vec<Finding> {
    let mut findings = Vec::new();
    let list = rules.rules();
    for (index, rule) in list.iter().enumerate() {
        let written = rule.written.as_str();
        let trimmed = written.trim_end();
        let mut add = |name, severity, message: String, fix: String| {
            findings.push(Finding { line: rule.line, name, severity, message, fix })
        };
        if rule.text.contains(" #") {
            add(
                Check::InlineComment,
                Severity::Warning,
                format!(
                    "`{}` is one pattern: `#` starts a comment only at the start of a line",
                    rule.text
                ),
                format!(
                    "put the comment on its own line above: `{}`",
                    rule.text.split(" #").next().unwrap_or("").trim_end()
                ),
            );
        }
        if trimmed.len() != written.len() && !rule.text.contains(" #") {
            add(
                Check::TrailingWhitespace,
                Severity::Info,
                "trailing white space is trimmed by BuildKit (a name ending in a blank cannot be matched)".to_owned(),
                "remove the trailing white space".to_owned(),
            );
        }
        if trimmed.ends_with('/') && rule.text != "/" {
            add(
                Check::TrailingSlash,
                Severity::Info,
                format!(
                    "the trailing `/` means nothing to BuildKit: `{}` also matches files of that name",
                    rule.text
                ),
                format!("write `{}` (there is no directories-only rule)", rule.text),
            );
        }
        leaks(rule.pattern().kind(), &rule.text, &mut add);
        if let Some(earlier) =
            list[..index].iter().find(|e| e.text == rule.text && e.exception == rule.exception)
        {
            add(
                Check::Duplicate,
                Severity::Info,
                format!("the same rule as line {}", earlier.line),
                "remove one of them".to_owned(),
            );
        }
        if rule.exception && !list[..index].iter().any(|e| !e.exception) {
            add(
                Check::ExceptionFirst,
                Severity::Warning,
                format!(
                    "`!{}` comes before any rule that excludes something: rules apply in order and the last match wins, so it re-includes nothing",
                    rule.text
                ),
                "move the exception after the rule it should undo".to_owned(),
            );
        } else if rule.exception && crate::rules::literal::is_literal(&rule.text) {
            ineffective_exception(rules, index, &mut add);
        }
    }
    findings.sort_by(|a, b| a.line.cmp(&b.line).then(a.name.cmp(&b.name)));
    findings
}

/// Regex syntax that leaks through BuildKit's translation, and `[!…]`.
fn leaks(kind: Kind, text: &str, add: &mut impl FnMut(Check, Severity, String, String)) {
    let mut live = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut in_class = false;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' if i + 1 < chars.len() => {
                if chars[i + 1].is_ascii_alphanumeric() {
                    live.push(format!("`\\{}`", chars[i + 1]));
                }
                i += 1;
            }
            '[' if !in_class => {
                in_class = true;
                if chars.get(i + 1) == Some(&'!') {
                    add(
                        Check::ClassNegation,
                        Severity::Warning,
                        "`[!…]` is not a negation in BuildKit: it matches `!` or the listed characters".to_owned(),
                        "write `[^…]` to negate a class".to_owned(),
                    );
                }
            }
            ']' => in_class = false,
            c @ ('|' | '{' | '}' | '^') if !in_class => live.push(format!("`{c}`")),
            _ => {}
        }
        i += 1;
    }
    if live.is_empty() {
        return;
    }
    live.dedup();
    let list = live.join(", ");
    if kind == Kind::Regex {
        add(
            Check::RegexSyntax,
            Severity::Warning,
            format!(
                "{list} act as regular-expression syntax here: this pattern has a wildcard, so BuildKit matches it as a regex without escaping them (`|` splits it in two, `{{n}}` repeats, `^` anchors, `\\d` is a digit)"
            ),
            "escape them with `\\` or write separate rules (`*.js` and `*.ts`, not `*.{js,ts}`)"
                .to_owned(),
        );
    } else {
        add(
            Check::RegexSyntax,
            Severity::Info,
            format!(
                "{list} match literally here only because the pattern has no wildcard; add a `*`, `?`, `[` or `\\` and they become regex syntax"
            ),
            "escape them with `\\` to keep them literal in any case".to_owned(),
        );
    }
}

/// A literal exception that BuildKit cannot honour: a later rule undoes it, or empties the
/// file it re-includes.
fn ineffective_exception(
    rules: &RuleSet,
    index: usize,
    add: &mut impl FnMut(Check, Severity, String, String),
) {
    let rule = &rules.rules()[index];
    let Ok(traced) = trace(rules, rule.text.as_bytes(), true) else { return };
    // BuildKit enters every directory on a literal exception's path, so only later rules
    // can undo it.
    if traced.excluded && traced.rule.is_some_and(|i| i != index) {
        let by = traced.rule.map(|i| rules.rules()[i].line).unwrap_or(0);
        add(
            Check::IneffectiveException,
            Severity::Warning,
            format!(
                "`!{}` is undone by line {by}, which matches it or a directory above it later",
                rule.text
            ),
            "move the exception after that rule".to_owned(),
        );
    } else if traced.content_rule.is_some() {
        let by = traced.content_rule.map(|i| rules.rules()[i].line).unwrap_or(0);
        add(
            Check::IneffectiveException,
            Severity::Warning,
            format!(
                "`!{}` ships the file empty: line {by} matches a directory above it, and BuildKit sends no content for it",
                rule.text
            ),
            "move the exception after that rule".to_owned(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(usize, &'static str)> {
        lint_text(text.as_bytes()).into_iter().map(|f| (f.line, f.name.name())).collect()
    }

    #[test]
    fn rejected_file_is_one_error() {
        let findings = lint_text(b"ok\nx[\n");
        assert_eq!(findings.len(), 1);
        assert_eq!(
            (findings[0].line, findings[0].name.name(), findings[0].severity),
            (2, "rejected", Severity::Error)
        );
    }

    #[test]
    fn habits_that_do_not_work() {
        assert_eq!(names("*.log # logs\n"), [(1, "inline-comment")]);
        assert_eq!(names("build/\n"), [(1, "trailing-slash")]);
        assert_eq!(names("a \n"), [(1, "trailing-whitespace")]);
        assert_eq!(names("a\nb\na\n"), [(3, "duplicate")]);
        assert_eq!(names("!keep\n*\n"), [(1, "exception-first")]);
        assert_eq!(names("*.[!a]x\n"), [(1, "class-negation")]);
    }

    #[test]
    fn regex_leaks_are_warnings_only_where_they_act() {
        let findings = lint_text(b"*.{js,ts}\na|b\nlog\\d*\n\\*\n");
        let leak: Vec<(usize, Severity)> = findings
            .iter()
            .filter(|f| f.name == "regex-syntax")
            .map(|f| (f.line, f.severity))
            .collect();
        assert_eq!(leak, [(1, Severity::Warning), (2, Severity::Info), (3, Severity::Warning)]);
    }

    #[test]
    fn exceptions_that_cannot_take_effect() {
        // The directory is excluded and never entered.
        assert_eq!(names("packages/legacy\n!packages/legacy/keep.js\n"), []);
        let f = lint_text(b"node_modules\n!node_modules/x/keep.js\n");
        assert!(f.is_empty(), "a literal exception on the path keeps the walk going: {f:?}");
        let f = lint_text(b"docs\n!docs/keep.md\ndocs\n");
        assert_eq!(
            f.iter().map(|f| (f.line, f.name.name())).collect::<Vec<_>>(),
            [(2, "ineffective-exception"), (3, "duplicate")]
        );
        let f = lint_text(b"build\n!build/keep.txt\n**/build\n");
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].message.contains("empty"), "{}", f[0].message);
        // BuildKit enters every directory on a literal exception's path, so it works.
        assert_eq!(names("a/*\n!a/b/c\n"), []);
    }
}

/// What the scan's walk saw that only the tree can tell (see [`lint_tree`]).
#[derive(Debug, Default, Clone)]
pub struct TreeFacts {
    /// Rules whose pattern names an entry BuildKit walks.
    pub hits_walked: crate::bits::Bits,
    /// Rules whose pattern names an entry only inside directories BuildKit never enters.
    pub hits_pruned: crate::bits::Bits,
    /// For a rule of one segment (`node_modules`, `*.log`, `.env*`): the shipped entries
    /// deeper down whose name it matches.
    pub nested_bare: Vec<(usize, NestedBare)>,
    /// For a one-segment exception (`!.env.example`): the excluded entries deeper down whose
    /// name it matches (it re-includes at the root only).
    pub nested_exceptions: Vec<(usize, NestedBare)>,
    /// For an exception: a path its pattern names that still does not ship.
    pub exception_misses: Vec<(usize, Vec<u8>)>,
    /// For a `COPY`/`ADD` source (by its index among the sources): a path it needs that the
    /// rules exclude, and the deciding rule (`None` inside a directory BuildKit skips).
    pub needed_excluded: Vec<(usize, Option<usize>, Vec<u8>)>,
}

/// Shipped entries below the root whose name a one-segment rule matches.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct NestedBare {
    pub count: u64,
    /// How many of them look generated or local (a category other than `other`, and not
    /// tracked by git): what the `**/` form is for.
    pub junk: u64,
    /// The most telling one: a secret, else junk, else the smallest path.
    pub example: Vec<u8>,
    pub example_is_secret: bool,
    pub example_is_junk: bool,
}

/// A source of the Dockerfile, as lint needs it.
pub struct SourceRef {
    pub line: usize,
    pub instruction: String,
    pub written: String,
}

/// The checks that need the tree: rules that match nothing or nothing BuildKit sees,
/// bare names meant for any depth, exceptions that cannot take effect, and rules that
/// exclude what the Dockerfile copies.
///
/// `saw_pruned` says whether the walk went into the directories BuildKit skips; without it,
/// "matches nothing" cannot be told from "matches only there", and neither is reported.
pub fn lint_tree(
    rules: &RuleSet,
    facts: &TreeFacts,
    sources: &[SourceRef],
    saw_pruned: bool,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let list = rules.rules();
    for (index, rule) in list.iter().enumerate().take(crate::bits::CAPACITY) {
        let mut add = |name, severity, message: String, fix: String| {
            findings.push(Finding { line: rule.line, name, severity, message, fix })
        };
        let shown = if rule.exception { format!("!{}", rule.text) } else { rule.text.clone() };
        if !saw_pruned {
            // Only the checks below, which do not depend on unseen directories.
        } else if !facts.hits_walked.get(index) && !facts.hits_pruned.get(index) {
            match facts.nested_bare.iter().find(|(i, _)| *i == index) {
                // `*/bin` while `src/Web/bin` ships: anchored, not unused.
                Some((_, nested)) if rule.text.contains('/') => add(
                    Check::Unused,
                    if nested.junk > 0 { Severity::Warning } else { Severity::Info },
                    format!(
                        "`{shown}` matches nothing at its depth (patterns are anchored at the \
                         context root, unlike .gitignore); {} deeper still {}, e.g. `{}`",
                        if nested.count == 1 {
                            "1 entry".to_owned()
                        } else {
                            format!("{} entries", nested.count)
                        },
                        if nested.count == 1 { "ships" } else { "ship" },
                        String::from_utf8_lossy(&nested.example)
                    ),
                    format!("write `**/{}` to match at any depth", rule.text),
                ),
                _ => add(
                    Check::Unused,
                    Severity::Info,
                    format!("`{shown}` matches nothing in this context"),
                    "remove it, unless it guards against files that may appear later".to_owned(),
                ),
            }
        } else if !facts.hits_walked.get(index) && !rule.exception {
            add(
                Check::Redundant,
                Severity::Info,
                format!(
                    "`{shown}` only matches inside directories that other rules already exclude \
                     (BuildKit never enters them): it changes nothing"
                ),
                "remove it".to_owned(),
            );
        }
        if let Some((_, nested)) = facts.nested_bare.iter().find(|(i, _)| *i == index)
            && !rule.text.contains('/')
        {
            let example = String::from_utf8_lossy(&nested.example);
            let secret = if nested.example_is_secret { " (a secret)" } else { "" };
            let entries = if nested.count == 1 {
                "1 entry below the root matches it and still ships".to_owned()
            } else {
                format!("{} entries below the root match it and still ship", nested.count)
            };
            if nested.junk > 0 {
                add(
                    Check::BareName,
                    Severity::Warning,
                    format!(
                        "`{}` only matches at the context root (patterns are anchored there, \
                         unlike .gitignore); {entries}, e.g. `{example}`{secret}",
                        rule.text,
                    ),
                    format!("write `**/{}` to match at any depth", rule.text),
                );
            } else {
                add(
                    Check::BareName,
                    Severity::Info,
                    format!(
                        "`{}` only matches at the context root; {entries}, e.g. `{example}`, \
                         and {} like source (tracked, or of no junk category): `**/{}` would \
                         remove {} too",
                        rule.text,
                        if nested.count == 1 { "it looks" } else { "they look" },
                        rule.text,
                        if nested.count == 1 { "it" } else { "them" },
                    ),
                    "leave it anchored, unless those are meant too".to_owned(),
                );
            }
        }
        if let Some((_, nested)) = facts.nested_exceptions.iter().find(|(i, _)| *i == index) {
            let entries = if nested.count == 1 {
                "1 entry below the root matches it and stays excluded".to_owned()
            } else {
                format!("{} entries below the root match it and stay excluded", nested.count)
            };
            add(
                Check::BareName,
                Severity::Warning,
                format!(
                    "`!{}` only re-includes at the context root (patterns are anchored there, \
                     unlike .gitignore); {entries}, e.g. `{}`",
                    rule.text,
                    String::from_utf8_lossy(&nested.example)
                ),
                format!("write `!**/{}` to re-include at any depth", rule.text),
            );
        }
        if let Some((_, path)) = facts.exception_misses.iter().find(|(i, _)| *i == index) {
            let why = match trace(rules, path, false) {
                Ok(traced) => match (&traced.pruned_at, traced.rule) {
                    (Some(dir), by) => format!(
                        "BuildKit does not enter `{}`{}",
                        String::from_utf8_lossy(dir),
                        by.map(|i| format!(", excluded by line {}", list[i].line))
                            .unwrap_or_default()
                    ),
                    (None, Some(by)) if by != index => {
                        format!(
                            "line {} decides it (later, or on a directory above)",
                            list[by].line
                        )
                    }
                    _ => "a directory above it stays excluded".to_owned(),
                },
                Err(_) => "the rules fail on it".to_owned(),
            };
            add(
                Check::IneffectiveException,
                Severity::Warning,
                format!(
                    "`{shown}` names `{}`, which still does not ship: {why}",
                    String::from_utf8_lossy(path)
                ),
                "re-include the directories on the way too, or exclude their contents (`dir/*`) \
                 instead of the directory"
                    .to_owned(),
            );
        }
    }
    for (source, by, path) in &facts.needed_excluded {
        let Some(source) = sources.get(*source) else { continue };
        let (line, by_text) = match by {
            Some(i) => (list[*i].line, format!("line {} (`{}`)", list[*i].line, list[*i].written)),
            None => (1, "an excluded directory above it".to_owned()),
        };
        findings.push(Finding {
            line,
            name: Check::ExcludesNeeded,
            severity: Severity::Warning,
            message: format!(
                "the Dockerfile's {} {} (line {}) needs `{}`, but {by_text} excludes it: the \
                 build fails with \"not found\" or gets an empty directory",
                source.instruction,
                source.written,
                source.line,
                String::from_utf8_lossy(path)
            ),
            fix: format!(
                "add `!{}` after that rule, or narrow the rule",
                String::from_utf8_lossy(path)
            ),
        });
    }
    findings.sort_by(|a, b| a.line.cmp(&b.line).then(a.name.cmp(&b.name)));
    findings
}

/// The rules anchored at the root without `**`, whose writers often meant any depth:
/// `node_modules`, `.env*`, `*.log`, `.*`, `*/bin` (not `*`, the allow-list idiom with
/// exceptions). Their indexes.
pub fn bare_names(rules: &RuleSet) -> Vec<usize> {
    anchored(rules, |rule| !rule.exception)
}

/// The one-segment exceptions (`!.env.example`): like one-segment rules, they act at the root
/// only, so a deeper same-named entry another rule excludes stays excluded. Their indexes.
pub fn bare_exceptions(rules: &RuleSet) -> Vec<usize> {
    anchored(rules, |rule| rule.exception && !rule.text.contains('/'))
}

fn anchored(rules: &RuleSet, keep: impl Fn(&crate::rules::Rule) -> bool) -> Vec<usize> {
    rules
        .rules()
        .iter()
        .enumerate()
        .take(crate::bits::CAPACITY)
        .filter(|(_, r)| !r.text.contains("**") && r.text != "*" && r.text != "." && keep(r))
        .map(|(i, _)| i)
        .collect()
}
