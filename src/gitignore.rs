//! Converting `.gitignore` rules into `.dockerignore` rules with the same meaning, as far as
//! BuildKit can express it.
//!
//! The two look alike and differ in ways that make a plain copy wrong:
//!
//! | gitignore | BuildKit | conversion |
//! | --- | --- | --- |
//! | `name` (no `/`, or only a trailing one) matches at any depth | anchored at the root | `**/name` |
//! | a leading or inner `/` anchors at the `.gitignore`'s directory | anchored at the root | `build` for `/build`, `dir/…` in a subdirectory |
//! | a trailing `/` matches directories only | no such thing | dropped, with a note: files of that name are excluded too |
//! | `!x` cannot re-include below an excluded directory | it can | carried over, with a note |
//! | `[!a]` is a negated class (never `/`) | `[!a]` is `!` or `a`; `[^a]` matches `/` | `[^a/]` |
//! | `\c` is the character `c` | `\d`, `\w`… are regex escapes | `\c` kept only where it must be |
//! | `a**b` is `a*b` | `a**b` crosses directories | `a*b` |
//! | `\|`, `{`, `}`, `^` are plain characters | regex syntax in wildcard patterns | escaped |
//! | trailing blanks escaped with `\ ` count | trimmed | a class `[ ]` |
//!
//! Comments and blank lines are dropped.

use crate::rules::RuleSet;

/// One `.gitignore` line that is a pattern, and what it becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    /// 1-based line number in the `.gitignore`.
    pub line: usize,
    /// The line as written (without its line ending).
    pub original: String,
    /// The `.dockerignore` rules it becomes, in order (none when it cannot be expressed or
    /// never matches).
    pub rules: Vec<String>,
    /// Where the converted rule does not mean exactly the same, or why there is none.
    pub note: Option<String>,
}

/// Converts a `.gitignore` at the root of the build context.
pub fn convert(gitignore: &str) -> Vec<Converted> {
    convert_in(gitignore, "")
}

/// Converts a `.gitignore` that lies in `dir` (relative to the context root, `/`-separated;
/// `""` or `.` for the root): its rules are prefixed with that directory, as git applies
/// them only below it. Rules of nested `.gitignore` files should come after those of their
/// parents, as git lets the deeper file win.
pub fn convert_in(gitignore: &str, dir: &str) -> Vec<Converted> {
    let dir = clean_dir(dir);
    let mut converted = Vec::new();
    let mut seen_ignore_rule = false;
    for (index, raw) in gitignore.split('\n').enumerate() {
        let mut line = raw.strip_suffix('\r').unwrap_or(raw);
        if index == 0 {
            line = line.strip_prefix('\u{FEFF}').unwrap_or(line);
        }
        if line.starts_with('#') {
            continue;
        }
        let trimmed = trim_trailing_unescaped_spaces(line);
        if trimmed.is_empty() {
            continue;
        }
        let (rules, notes, negated) = convert_line(trimmed, &dir, seen_ignore_rule);
        seen_ignore_rule |= !negated && !rules.is_empty();
        converted.push(Converted {
            line: index + 1,
            original: line.to_owned(),
            rules,
            note: (!notes.is_empty()).then(|| notes.join("; ")),
        });
    }
    converted
}

/// The directory without `./`, `.` or `/` at its ends; empty for the root.
fn clean_dir(dir: &str) -> String {
    dir.split('/').filter(|part| !part.is_empty() && *part != ".").collect::<Vec<_>>().join("/")
}

/// Git drops trailing blanks unless escaped with `\`.
fn trim_trailing_unescaped_spaces(line: &str) -> &str {
    let bytes = line.as_bytes();
    let mut end = bytes.len();
    while end > 0 && bytes[end - 1] == b' ' {
        // A blank preceded by an odd number of backslashes is escaped.
        let backslashes = bytes[..end - 1].iter().rev().take_while(|&&b| b == b'\\').count();
        if backslashes % 2 == 1 {
            break;
        }
        end -= 1;
    }
    &line[..end]
}

/// A piece of a gitignore pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// A character matching itself (escaped or not in the gitignore).
    Literal(char),
    /// A run of `*`.
    Stars(usize),
    /// `**` as a whole path segment: any number of directories.
    AnyDirs,
    Question,
    /// A bracket expression, already in BuildKit's syntax.
    Class(String),
    Slash,
}

/// Converts one pattern line: the rules, the notes, whether it is a negation.
fn convert_line(
    line: &str,
    dir: &str,
    after_ignore_rule: bool,
) -> (Vec<String>, Vec<String>, bool) {
    let mut notes = Vec::new();
    let (negated, body) = match line.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, line),
    };
    let mut tokens = match tokenize(body, &mut notes) {
        Some(tokens) => tokens,
        None => {
            notes.push("ends in a lone `\\`, which git never matches; left out".into());
            return (Vec::new(), notes, negated);
        }
    };
    let dir_only = tokens.last() == Some(&Token::Slash);
    if dir_only {
        tokens.pop();
    }
    let anchored = tokens.first() == Some(&Token::Slash) || tokens.contains(&Token::Slash);
    if tokens.first() == Some(&Token::Slash) {
        tokens.remove(0);
    }
    if tokens.is_empty() {
        notes.push("matches nothing in git; left out".into());
        return (Vec::new(), notes, negated);
    }
    mark_any_dirs(&mut tokens);
    let mut full: Vec<Token> = Vec::new();
    if !dir.is_empty() {
        for part in dir.split('/') {
            full.extend(part.chars().map(Token::Literal));
            full.push(Token::Slash);
        }
    }
    if !anchored && tokens.first() != Some(&Token::AnyDirs) {
        full.extend([Token::AnyDirs, Token::Slash]);
    }
    full.extend(tokens);
    let mut rule = String::new();
    if negated {
        rule.push('!');
    }
    rule.push_str(&render(&full));
    if dir_only {
        let what = if negated { "re-includes" } else { "excludes" };
        notes.push(format!(
            "the trailing `/` limits git to directories; a .dockerignore rule cannot, so this \
             also {what} files of that name"
        ));
    }
    if negated && after_ignore_rule {
        notes.push(
            "git cannot re-include a path whose parent directory is excluded, BuildKit can \
             (and a `!` rule naming a directory re-includes everything below it)"
                .into(),
        );
    }
    if let Err(why) = check(&rule) {
        notes.push(format!("cannot be written as a .dockerignore rule ({why}); left out"));
        return (Vec::new(), notes, negated);
    }
    (vec![rule], notes, negated)
}

/// Splits a gitignore pattern into tokens; `None` when it ends in a lone `\`.
fn tokenize(body: &str, notes: &mut Vec<String>) -> Option<Vec<Token>> {
    let chars: Vec<char> = body.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                tokens.push(Token::Literal(*chars.get(i + 1)?));
                i += 2;
            }
            '*' => {
                let start = i;
                while i < chars.len() && chars[i] == '*' {
                    i += 1;
                }
                tokens.push(Token::Stars(i - start));
            }
            '?' => {
                tokens.push(Token::Question);
                i += 1;
            }
            '/' => {
                tokens.push(Token::Slash);
                i += 1;
            }
            '[' => match class(&chars, i, notes) {
                Some((class, end)) => {
                    tokens.push(Token::Class(class));
                    i = end;
                }
                None => {
                    notes.push(
                        "an unclosed `[` is taken literally (git matches nothing with it)".into(),
                    );
                    tokens.push(Token::Literal('['));
                    i += 1;
                }
            },
            c => {
                tokens.push(Token::Literal(c));
                i += 1;
            }
        }
    }
    Some(tokens)
}

/// Reads a bracket expression starting at `chars[start]` (a `[`) as git does, and writes it
/// in BuildKit's syntax; `None` if it is not closed. Returns the index after the `]`.
fn class(chars: &[char], start: usize, notes: &mut Vec<String>) -> Option<(String, usize)> {
    let mut i = start + 1;
    let mut out = String::from("[");
    match chars.get(i) {
        Some('!') => {
            out.push('^');
            notes
                .push("`[!…]` is written `[^…]`: BuildKit reads `[!…]` as a class with `!`".into());
            i += 1;
        }
        Some('^') => {
            out.push('^');
            i += 1;
        }
        _ => {}
    }
    let body_start = i;
    let mut members: Vec<String> = Vec::new();
    loop {
        let c = *chars.get(i)?;
        if c == ']' && i > body_start {
            break;
        }
        if c == '[' && chars.get(i + 1) == Some(&':') {
            // A POSIX class, `[:alpha:]`, which RE2 knows too.
            let close = (i + 2..chars.len().saturating_sub(1))
                .find(|&j| chars[j] == ':' && chars[j + 1] == ']')?;
            members.push(chars[i..close + 2].iter().collect());
            i = close + 2;
            continue;
        }
        let (member, next) = match c {
            '\\' => (*chars.get(i + 1)?, i + 2),
            c => (c, i + 1),
        };
        let escaped = match member {
            ']' | '[' | '\\' | '^' | '-' => format!("\\{member}"),
            c => c.to_string(),
        };
        // A `-` between two members is a range.
        if c == '-' && !members.is_empty() && chars.get(i + 1).is_some_and(|&n| n != ']') {
            members.push("-".into());
        } else {
            members.push(escaped);
        }
        i = next;
    }
    for member in &members {
        out.push_str(member);
    }
    if out.starts_with("[^") {
        // Git's classes never match `/`; a negated RE2 class would.
        out.push('/');
    }
    out.push(']');
    Some((out, i + 1))
}

/// Turns runs of `*` that form a whole path segment into [`Token::AnyDirs`]; other runs
/// are one `*` (git treats `a**b` as `a*b`).
fn mark_any_dirs(tokens: &mut [Token]) {
    for i in 0..tokens.len() {
        if let Token::Stars(n) = tokens[i] {
            let alone = (i == 0 || tokens[i - 1] == Token::Slash)
                && (i + 1 == tokens.len() || tokens[i + 1] == Token::Slash);
            tokens[i] = if n >= 2 && alone { Token::AnyDirs } else { Token::Stars(1) };
        }
    }
}

/// Writes tokens as one BuildKit pattern, escaping what BuildKit would read otherwise.
fn render(tokens: &[Token]) -> String {
    let mut out = String::new();
    let last = tokens.len().saturating_sub(1);
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Literal(c) => {
                let c = *c;
                if "*?[]\\|{}^".contains(c) || (i == 0 && (c == '#' || c == '!')) {
                    out.push('\\');
                    out.push(c);
                } else if (i == 0 || i == last) && c.is_whitespace() {
                    // BuildKit trims white space at both ends; a class keeps it.
                    out.push('[');
                    out.push(c);
                    out.push(']');
                } else {
                    out.push(c);
                }
            }
            Token::Stars(_) => out.push('*'),
            Token::AnyDirs => out.push_str("**"),
            Token::Question => out.push('?'),
            Token::Class(class) => out.push_str(class),
            Token::Slash => out.push('/'),
        }
    }
    out
}

/// Whether BuildKit accepts the rule and can evaluate it.
fn check(rule: &str) -> Result<(), String> {
    let set = RuleSet::from_ignore_file(rule.as_bytes()).map_err(|error| error.to_string())?;
    match set.rules() {
        [compiled] => {
            compiled.pattern().matches(b"").map(|_| ()).map_err(|error| error.to_string())
        }
        _ => Err("it does not read back as one pattern".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::trace;
    use ignore::gitignore::{Gitignore, GitignoreBuilder};

    fn rules_of(converted: &[Converted]) -> Vec<String> {
        converted.iter().flat_map(|c| c.rules.clone()).collect()
    }

    #[test]
    fn converts_line_by_line() {
        // (gitignore line, the rules it becomes, a word the note must hold or "" for none)
        let cases: &[(&str, &[&str], &str)] = &[
            ("*.log", &["**/*.log"], ""),
            ("build", &["**/build"], ""),
            ("/build", &["build"], ""),
            ("build/", &["**/build"], "directories"),
            ("/build/", &["build"], "directories"),
            ("node_modules/", &["**/node_modules"], "also excludes files"),
            ("doc/*.txt", &["doc/*.txt"], ""),
            ("doc/frotz/", &["doc/frotz"], "directories"),
            ("**/foo", &["**/foo"], ""),
            ("**/foo/bar", &["**/foo/bar"], ""),
            ("a/**/b", &["a/**/b"], ""),
            ("abc/**", &["abc/**"], ""),
            ("**", &["**"], ""),
            ("foo**bar", &["**/foo*bar"], ""),
            ("**foo", &["**/*foo"], ""),
            ("a/b**", &["a/b*"], ""),
            ("[!a]x", &["**/[^a/]x"], "[^…]"),
            ("[^a]x", &["**/[^a/]x"], ""),
            ("[]a]x", &["**/[\\]a]x"], ""),
            ("[a-]x", &["**/[a\\-]x"], ""),
            ("[-a]x", &["**/[\\-a]x"], ""),
            ("[a-c]x", &["**/[a-c]x"], ""),
            ("[[:digit:]]x", &["**/[[:digit:]]x"], ""),
            ("[\\]]x", &["**/[\\]]x"], ""),
            ("x[", &["**/x\\["], "unclosed"),
            ("\\#notes", &["**/#notes"], ""),
            ("/\\#notes", &["\\#notes"], ""),
            ("\\!bang", &["**/!bang"], ""),
            ("/\\!bang", &["\\!bang"], ""),
            ("trail\\ ", &["**/trail[ ]"], ""),
            ("two\\ \\ ", &["**/two [ ]"], ""),
            ("foo   ", &["**/foo"], ""),
            ("/\ttab", &[], "control character"),
            ("/\u{a0}nbsp", &["[\u{a0}]nbsp"], ""),
            ("in\\ side", &["**/in side"], ""),
            ("a\\d", &["**/ad"], ""),
            ("a\\*", &["**/a\\*"], ""),
            ("a|b*", &["**/a\\|b*"], ""),
            ("*.{js,ts}", &["**/*.\\{js,ts\\}"], ""),
            ("^x*", &["**/\\^x*"], ""),
            ("a.b+c(d)$", &["**/a.b+c(d)$"], ""),
            ("!keep", &["!**/keep"], ""),
            ("!/dist/", &["!dist"], "also re-includes files"),
            ("\\", &[], "lone"),
            ("/", &[], "matches nothing"),
            ("!", &[], "matches nothing"),
            ("a\u{1}b", &[], "cannot be written"),
        ];
        for &(line, rules, note) in cases {
            let converted = convert(line);
            assert_eq!(converted.len(), 1, "{line:?}");
            let c = &converted[0];
            assert_eq!((c.line, c.original.as_str()), (1, line), "{line:?}");
            assert_eq!(c.rules, rules, "{line:?}");
            match &c.note {
                None => assert_eq!(note, "", "{line:?} needs a note"),
                Some(text) => {
                    assert!(!note.is_empty() && text.contains(note), "{line:?}: {text}")
                }
            }
            for rule in rules {
                assert!(check(rule).is_ok(), "{rule:?} must be a valid BuildKit rule");
            }
        }
    }

    #[test]
    fn comments_blanks_and_line_endings() {
        let converted = convert("\u{FEFF}# comment\r\n\r\n   \n*.log\r\n  # not a comment\n!x");
        let lines: Vec<(usize, &str)> =
            converted.iter().map(|c| (c.line, c.original.as_str())).collect();
        assert_eq!(lines, [(4, "*.log"), (5, "  # not a comment"), (6, "!x")]);
        assert_eq!(rules_of(&converted), ["**/*.log", "**/  # not a comment", "!**/x"]);
        assert!(converted[2].note.as_ref().is_some_and(|n| n.contains("re-include")));
        // A negation with nothing to undo before it needs no warning.
        assert_eq!(convert("!x")[0].note, None);
    }

    #[test]
    fn a_nested_gitignore_applies_below_its_directory() {
        let cases: &[(&str, &str, &str)] = &[
            ("sub", "*.log", "sub/**/*.log"),
            ("sub", "/build", "sub/build"),
            ("sub", "a/b", "sub/a/b"),
            ("sub", "**/x", "sub/**/x"),
            ("sub", "**", "sub/**"),
            ("sub", "!keep", "!sub/**/keep"),
            ("./web/app/", "dist/", "web/app/**/dist"),
            ("/", "x", "**/x"),
            (".", "/x", "x"),
            ("we*rd", "x", "we\\*rd/**/x"),
            ("#hash", "/x", "\\#hash/x"),
        ];
        for &(dir, line, rule) in cases {
            assert_eq!(rules_of(&convert_in(line, dir)), [rule], "{dir:?} {line:?}");
        }
    }

    /// A tree: paths, `/`-terminated for directories; every ancestor is a directory too.
    fn tree(paths: &[&str]) -> Vec<(String, bool)> {
        let mut entries: Vec<(String, bool)> = Vec::new();
        for path in paths {
            let (path, is_dir) = match path.strip_suffix('/') {
                Some(dir) => (dir, true),
                None => (*path, false),
            };
            let parts: Vec<&str> = path.split('/').collect();
            for depth in 1..parts.len() {
                entries.push((parts[..depth].join("/"), true));
            }
            entries.push((path.to_owned(), is_dir));
        }
        entries.sort();
        entries.dedup();
        entries
    }

    fn git_matcher(text: &str, dir: &str) -> Gitignore {
        let mut builder = GitignoreBuilder::new(if dir.is_empty() { "." } else { dir });
        for line in text.lines() {
            builder.add_line(None, line).unwrap();
        }
        builder.build().unwrap()
    }

    /// Whether git ignores a path: a directory it ignores hides everything below it.
    fn git_ignored(matcher: &Gitignore, dir: &str, path: &str, is_dir: bool) -> bool {
        let relative = if dir.is_empty() {
            path
        } else {
            match path.strip_prefix(dir).and_then(|rest| rest.strip_prefix('/')) {
                Some(rest) => rest,
                None => return false,
            }
        };
        let parts: Vec<&str> = relative.split('/').collect();
        (1..parts.len()).any(|depth| matcher.matched(parts[..depth].join("/"), true).is_ignore())
            || matcher.matched(relative, is_dir).is_ignore()
    }

    /// Whether BuildKit leaves a file out (or sends it empty) with these rules.
    fn docker_drops(rules: &RuleSet, path: &str) -> bool {
        let t = trace(rules, path.as_bytes(), true).unwrap();
        t.excluded || t.content_rule.is_some()
    }

    /// The files on which git and the converted rules disagree; `None` for the rules when
    /// they do not read (for the naive copy).
    fn differences(gitignore: &str, dir: &str, dockerignore: &str, paths: &[&str]) -> Vec<String> {
        let git = git_matcher(gitignore, dir);
        let Ok(rules) = RuleSet::from_ignore_file(dockerignore.as_bytes()) else {
            return vec!["<does not read>".into()];
        };
        tree(paths)
            .into_iter()
            .filter(|(_, is_dir)| !is_dir)
            .filter(|(path, _)| git_ignored(&git, dir, path, false) != docker_drops(&rules, path))
            .map(|(path, _)| path)
            .collect()
    }

    fn converted_text(gitignore: &str, dir: &str) -> String {
        rules_of(&convert_in(gitignore, dir)).iter().map(|rule| format!("{rule}\n")).collect()
    }

    /// Each case: a .gitignore, a tree, the files where the converted rules must disagree
    /// with git (documented differences), and whether a plain copy gets the tree wrong.
    #[test]
    fn converted_rules_select_what_git_selects() {
        let cases: &[(&str, &[&str], &[&str], bool)] = &[
            (
                "node_modules/\n",
                &[
                    "node_modules/a/i.js",
                    "web/node_modules/b.js",
                    "web/src/x.js",
                    "lib/node_modules",
                ],
                &["lib/node_modules"], // a file: git's directory-only rule spares it
                true,
            ),
            (
                "*.log\n!important.log\n",
                &["a.log", "logs/b.log", "x/y/c.log", "important.log", "x/important.log", "k.txt"],
                &[],
                true,
            ),
            ("/build\n", &["build/x", "src/build/y", "src/z"], &[], false),
            ("build\n", &["build/x", "src/build/y", "docs/build", "src/z"], &[], true),
            ("build/\n", &["build/x", "src/build/y", "docs/build", "src/z"], &["docs/build"], true),
            ("doc/*.txt\n", &["doc/a.txt", "doc/sub/b.txt", "x/doc/c.txt", "doc/d.md"], &[], false),
            ("**/foo\n", &["foo", "a/foo", "a/b/foo/x", "foox", "a/xfoo"], &[], false),
            ("**/foo/bar\n", &["foo/bar", "a/foo/bar/x", "foo/x/bar", "bar"], &[], false),
            ("a/**/b\n", &["a/b", "a/x/b", "a/x/y/b/z", "x/a/b", "a/bb"], &[], false),
            ("abc/**\n", &["abc/x", "abc/y/z", "abcd/x", "x/abc/y"], &[], false),
            ("[!a]x\n", &["bx", "ax", "!x", "d/bx", "d/ax", "bxx"], &[], true),
            ("a[!x]b\n", &["acb", "axb", "a/b", "d/acb"], &[], true),
            ("[]a]x\n[a-]y\n", &["]x", "ax", "bx", "-y", "ay", "by", "d/]x"], &[], true),
            ("foo**bar\n", &["foobar", "fooxbar", "foo/bar", "d/fooxbar"], &[], true),
            ("a|b*\n", &["a|bc", "a", "bcd", "d/a|b"], &[], true),
            ("^x*\n", &["^xy", "xy", "d/^x"], &[], true),
            ("*.min.js\n", &["a.min.js", "d/e/b.min.js", "c.js"], &[], true),
            (
                "\\#notes\n\\!bang\n",
                &["#notes", "d/#notes", "!bang", "d/!bang", "notes"],
                &[],
                true,
            ),
            ("trail\\ \nfoo   \n", &["trail ", "trail", "d/trail ", "foo", "foo "], &[], true),
            ("a\\d\n", &["ad", "a1", "d/ad"], &[], true),
            (
                // git cannot re-include below an excluded directory; BuildKit can.
                "*\n!*.rs\n",
                &["a.rs", "b.txt", "src/c.rs"],
                &["src/c.rs"],
                false,
            ),
            (
                // The classic allowlist: git re-includes every directory, then the .rs
                // files; without directory-only rules, `!*/` re-includes every file.
                "*\n!*/\n!*.rs\n",
                &["a.rs", "b.txt", "src/c.rs", "src/d.txt", "src/e/f.txt"],
                &["b.txt", "src/d.txt", "src/e/f.txt"],
                true,
            ),
            (
                // git cannot re-include below an excluded directory; BuildKit can.
                "build/\n!build/keep.txt\n",
                &["build/keep.txt", "build/other", "src/build/keep.txt"],
                &["build/keep.txt"],
                true,
            ),
            (
                // In BuildKit, a `!` rule matching a directory re-includes all below it.
                "logs/**\n!logs/keep/\n",
                &["logs/a", "logs/keep/b", "logs/keep/c/d"],
                &["logs/keep/b", "logs/keep/c/d"],
                true,
            ),
        ];
        for &(gitignore, paths, expected, naive_wrong) in cases {
            let converted = converted_text(gitignore, "");
            assert_eq!(
                differences(gitignore, "", &converted, paths),
                expected,
                "{gitignore:?} as {converted:?}"
            );
            let naive = differences(gitignore, "", gitignore, paths);
            assert_eq!(!naive.is_empty(), naive_wrong, "{gitignore:?} copied: {naive:?}");
        }
    }

    #[test]
    fn a_nested_gitignore_selects_what_git_selects() {
        let gitignore = "*.log\n/build\nnode_modules/\n!keep.log\nsrc/*.tmp\n";
        let paths = [
            "a.log",
            "build/x",
            "node_modules/y",
            "keep.tmp",
            "src/a.tmp",
            "sub/a.log",
            "sub/x/b.log",
            "sub/build/x",
            "sub/x/build/y",
            "sub/keep.log",
            "sub/x/keep.log",
            "sub/node_modules/z",
            "sub/x/node_modules/z",
            "sub/src/a.tmp",
            "sub/x/src/b.tmp",
            "sub/ok.txt",
        ];
        let converted = converted_text(gitignore, "sub");
        assert_eq!(differences(gitignore, "sub", &converted, &paths), Vec::<String>::new());
        assert_ne!(differences(gitignore, "sub", gitignore, &paths), Vec::<String>::new());
    }
}
