//! Concrete paths a pattern matches, invented to try two patterns against each other
//! without a tree.
//!
//! Adding a rule to an ignore file must not undo one of its `!` exceptions, but the rules are
//! added before (or without) looking at the tree. [`meeting_paths`] gives the paths where a new
//! rule and an exception could both apply; the caller decides each one with both rule sets.

use super::Pattern;
use super::path::{self, ancestors};

/// Paths where `exception` and `new` could both apply, sorted and without repeats.
///
/// Each pattern is spelled out as a few paths it matches ([`examples`], with the other
/// pattern's literal runs as fillers for `*`). The candidates are: the exception's examples
/// and the directories above them and, when an example looks like a directory (its last name
/// has no extension), paths below it (`E/x`, `E/` + an example of the new rule, `E/` + the
/// last name of one); the new rule's examples, the directories above them, and each followed
/// by `/` and the last name of an example of the exception. This is conservative about what
/// an exception could name (a directory `keep` might hold a `node_modules`); being examples,
/// the candidates can miss where two unusual wildcard patterns meet.
pub(crate) fn meeting_paths(exception: &Pattern, new: &Pattern) -> Vec<Vec<u8>> {
    let exception_examples = examples(exception, &literal_runs(new.text()));
    let new_examples = examples(new, &literal_runs(exception.text()));
    let last_name = |path: &[u8]| path::name(path).to_vec();
    let mut candidates: Vec<Vec<u8>> = Vec::new();
    for example in &exception_examples {
        candidates.extend(ancestors(example).map(<[u8]>::to_vec));
        candidates.push(example.clone());
        if looks_like_directory(example) {
            candidates.push(join(example, b"x"));
            for new_example in &new_examples {
                candidates.push(join(example, new_example));
                candidates.push(join(example, &last_name(new_example)));
            }
        }
    }
    for new_example in &new_examples {
        candidates.extend(ancestors(new_example).map(<[u8]>::to_vec));
        candidates.push(new_example.clone());
        for example in &exception_examples {
            candidates.push(join(new_example, &last_name(example)));
        }
    }
    candidates.sort();
    candidates.dedup();
    candidates
}

/// Whether a path's last name has no extension (a dot after its first character).
fn looks_like_directory(path: &[u8]) -> bool {
    let name = path::name(path);
    !name.iter().skip(1).any(|&b| b == b'.')
}

/// `dir/name`.
fn join(dir: &[u8], name: &[u8]) -> Vec<u8> {
    let mut path = dir.to_vec();
    path.push(b'/');
    path.extend_from_slice(name);
    path
}

/// The literal runs of a pattern, between wildcards, classes and `/` (escapes read as the
/// character): `Cargo.` for `Cargo.*`, `src` and `.rs` for `src/**/*.rs`.
fn literal_runs(text: &[u8]) -> Vec<Vec<u8>> {
    let mut runs = Vec::new();
    let mut run = Vec::new();
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'\\' if i + 1 < text.len() => {
                run.push(text[i + 1]);
                i += 2;
                continue;
            }
            b'[' => {
                i = class_example(text, i).1;
                runs.push(std::mem::take(&mut run));
                continue;
            }
            b'*' | b'?' | b'/' | b'\\' => runs.push(std::mem::take(&mut run)),
            c => run.push(c),
        }
        i += 1;
    }
    runs.push(run);
    runs.retain(|run| !run.is_empty());
    runs.dedup();
    runs
}

/// A few concrete paths a pattern matches, to try patterns against each other.
///
/// Two spellings are made: a shallow one (`**/` and a trailing `**` dropped, other `**`
/// become `x/`) and a deep one (every `**` becomes `x/`, or `x` at the end); `?` becomes `x`,
/// a class `[abc]` gives its first character (a negated one a character it does not list),
/// an escape `\c` gives `c` (`\d` a digit, `\s` a blank), and `*` becomes `x`, or in more
/// spellings each of `fillers` and all of them one after the other (the other pattern's
/// literal runs, so that `Cargo.*` and `*.toml` meet in `Cargo..toml`). Repeated `/`
/// collapse and `/` at either end is dropped. Only the spellings the pattern really matches
/// are kept; when none does (unusual regex syntax), all are returned.
fn examples(pattern: &Pattern, fillers: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let text = pattern.text();
    let mut stars: Vec<Vec<u8>> = vec![b"x".to_vec()];
    stars.extend(fillers.iter().cloned());
    if fillers.len() > 1 {
        stars.push(fillers.concat());
    }
    let mut spellings: Vec<Vec<u8>> = Vec::new();
    for star in &stars {
        if !text.contains(&b'*') && star != b"x" {
            continue;
        }
        for deep in [false, true] {
            let spelled = spell(text, deep, star);
            if !spelled.is_empty() && !spellings.contains(&spelled) {
                spellings.push(spelled);
            }
        }
    }
    let verified: Vec<Vec<u8>> =
        spellings.iter().filter(|path| pattern.matches(path).unwrap_or(false)).cloned().collect();
    if verified.is_empty() { spellings } else { verified }
}

fn spell(text: &[u8], deep: bool, star: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 4);
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'*' => {
                let start = i;
                while i < text.len() && text[i] == b'*' {
                    i += 1;
                }
                if i - start == 1 {
                    out.extend_from_slice(star);
                    continue;
                }
                let at_end = i == text.len();
                if text.get(i) == Some(&b'/') {
                    i += 1;
                    if deep || start > 0 {
                        out.extend_from_slice(b"x/");
                    }
                } else if at_end {
                    if deep {
                        out.push(b'x');
                    }
                } else {
                    out.extend_from_slice(b"x/");
                }
            }
            b'?' => {
                out.push(b'x');
                i += 1;
            }
            b'\\' => {
                let next = text.get(i + 1).copied();
                out.push(match next {
                    Some(b'd') => b'0',
                    Some(b's') => b' ',
                    Some(b'D' | b'S' | b'w') => b'x',
                    Some(b'W') => b'-',
                    Some(c) => c,
                    None => b'\\',
                });
                i += 2;
            }
            b'[' => {
                let (c, end) = class_example(text, i);
                out.push(c);
                i = end;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    let mut cleaned = Vec::with_capacity(out.len());
    for &b in &out {
        if b == b'/' && (cleaned.is_empty() || cleaned.last() == Some(&b'/')) {
            continue;
        }
        cleaned.push(b);
    }
    while cleaned.last() == Some(&b'/') {
        cleaned.pop();
    }
    cleaned
}

/// One character a class starting at `text[start]` (a `[`) matches, and the index after it.
fn class_example(text: &[u8], start: usize) -> (u8, usize) {
    let mut i = start + 1;
    let negated = text.get(i) == Some(&b'^');
    if negated {
        i += 1;
    }
    let body_start = i;
    // A `]` right after `[` or `[^` belongs to the class (as RE2 reads it).
    if text.get(i) == Some(&b']') {
        i += 1;
    }
    while i < text.len() && text[i] != b']' {
        if text[i] == b'\\' || text[i..].starts_with(b"[:") {
            let close =
                if text[i] == b'\\' { i + 1 } else { find(text, i, b":]").unwrap_or(i) + 1 };
            i = close.max(i) + 1;
        } else {
            i += 1;
        }
    }
    let body = &text[body_start..i.min(text.len())];
    let end = (i + 1).min(text.len());
    let c = if negated {
        b"x_0yzq".iter().copied().find(|c| !body.contains(c)).unwrap_or(b'~')
    } else if body.starts_with(b"[:") {
        match body.get(2..7) {
            Some(b"digit") => b'0',
            Some(b"space") | Some(b"blank") => b' ',
            Some(b"punct") => b'-',
            Some(b"upper") => b'X',
            _ => b'x',
        }
    } else {
        match body {
            [b'\\', c, ..] => *c,
            [c, ..] => *c,
            [] => b'x',
        }
    };
    (c, end)
}

fn find(text: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    text[from..].windows(needle.len()).position(|w| w == needle).map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(paths: &[Vec<u8>]) -> Vec<String> {
        paths.iter().map(|p| String::from_utf8_lossy(p).into_owned()).collect()
    }

    fn examples_of(pattern: &str, fillers: &[&str]) -> Vec<String> {
        let fillers: Vec<Vec<u8>> = fillers.iter().map(|f| f.as_bytes().to_vec()).collect();
        texts(&examples(&Pattern::new(pattern.as_bytes()), &fillers))
    }

    #[test]
    fn literal_runs_are_the_text_between_wildcards() {
        let cases: &[(&str, &[&str])] = &[
            ("Cargo.*", &["Cargo."]),
            ("src/**/*.rs", &["src", ".rs"]),
            ("a\\*b", &["a*b"]),
            ("[abc]x?y", &["x", "y"]),
            ("**", &[]),
            ("a/a", &["a"]),
        ];
        for &(text, runs) in cases {
            assert_eq!(texts(&literal_runs(text.as_bytes())), runs, "{text}");
        }
    }

    #[test]
    fn examples_spell_shallow_and_deep() {
        assert_eq!(examples_of("**/node_modules", &[]), ["node_modules", "x/node_modules"]);
        assert_eq!(examples_of("logs/**", &[]), ["logs/x"], "`logs` itself is not matched");
        assert_eq!(examples_of("a/**/b", &[]), ["a/x/b"]);
        assert_eq!(examples_of("?.txt", &[]), ["x.txt"]);
        assert_eq!(examples_of("build", &["ignored"]), ["build"], "no `*` to fill");
    }

    #[test]
    fn stars_are_filled_with_the_other_patterns_literals() {
        assert_eq!(examples_of("*.log", &["important"]), ["x.log", "important.log"]);
        let both = examples_of("Cargo.*", &[".toml", "x"]);
        assert!(both.contains(&"Cargo..toml".to_owned()), "{both:?}");
        assert!(both.contains(&"Cargo..tomlx".to_owned()), "{both:?}");
    }

    #[test]
    fn classes_and_escapes_give_a_character_they_match() {
        assert_eq!(examples_of("keep[0-9].txt", &[]), ["keep0.txt"]);
        assert_eq!(examples_of("[^x_]", &[]), ["0"]);
        assert_eq!(examples_of("[]a]", &[]), ["]"]);
        assert_eq!(examples_of("[[:digit:]]x", &[]), ["0x"]);
        assert_eq!(examples_of("a\\*b", &[]), ["a*b"]);
    }

    #[test]
    fn every_example_is_matched_by_its_pattern() {
        let patterns =
            ["**/*.log", "src/**/*.rs", "docs/**/*.md", "a/*/c", "**/keep*", "**/x?z", "Cargo.*"];
        for text in patterns {
            let pattern = Pattern::new(text.as_bytes());
            let found = examples(&pattern, &[b"keep".to_vec(), b".md".to_vec()]);
            assert!(!found.is_empty(), "{text}");
            for path in &found {
                assert!(
                    pattern.matches(path).unwrap(),
                    "{text}: {}",
                    String::from_utf8_lossy(path)
                );
            }
        }
    }

    #[test]
    fn meeting_paths_cover_both_sides() {
        let meeting = |exception: &str, new: &str| {
            texts(&meeting_paths(
                &Pattern::new(exception.as_bytes()),
                &Pattern::new(new.as_bytes()),
            ))
        };
        let found = meeting("build/keep.txt", "**/build");
        for path in ["build", "build/keep.txt", "x/build"] {
            assert!(found.contains(&path.to_owned()), "{path}: {found:?}");
        }
        let found = meeting("src", "**/*.log");
        for path in ["src", "src/x", "src/x.log", "x.log/src"] {
            assert!(found.contains(&path.to_owned()), "{path}: {found:?}");
        }
        let mut sorted = found.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(found, sorted);
    }

    #[test]
    fn a_name_with_an_extension_is_not_taken_for_a_directory() {
        assert!(looks_like_directory(b"a/src"));
        assert!(looks_like_directory(b"a/.github"), "a leading dot is not an extension");
        assert!(!looks_like_directory(b"src.d/main.rs"));
    }
}
