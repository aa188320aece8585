//! One compiled pattern: BuildKit's classification into exact, prefix, suffix and regex kinds,
//! and its translation of glob syntax into a Go regular expression.
//!
//! The translation leaks regex syntax on purpose, because BuildKit's does: only `.` `+` `(`
//! `)` `$` are escaped, so `|`, `{`, `}`, `^`, classes and `\d`-style escapes act as regex
//! syntax in regex-kind patterns. The regex is compiled the first time the pattern is
//! evaluated, as in BuildKit, so a bad regex only fails a build that reaches it.

use std::sync::OnceLock;

use regex::Regex;

use super::re2::{self, Re2Error};
use super::star_glob::StarGlob;

/// How BuildKit tests a pattern against a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The path equals the pattern.
    Exact,
    /// The path starts with the pattern minus its final `**`.
    Prefix,
    /// The path ends with the pattern minus its leading `**`.
    Suffix,
    /// The translated regular expression matches the whole path.
    Regex,
}

/// A pattern ready to be evaluated against `/`-separated paths relative to the context.
#[derive(Debug)]
pub struct Pattern {
    /// The cleaned pattern, without the exception mark.
    text: Vec<u8>,
    kind: Kind,
    /// The Go regular expression BuildKit builds for it (used for the regex kind only).
    go_regex: String,
    /// The same test without a regex, for the regex-kind patterns simple enough: the path
    /// matches when one of these globs does.
    star_globs: Option<Vec<StarGlob>>,
    compiled: OnceLock<Result<Regex, Re2Error>>,
}

impl Pattern {
    /// Classifies and translates a cleaned pattern (without `!`).
    pub fn new(text: &[u8]) -> Pattern {
        let (kind, go_regex) = translate(text);
        let star_globs = if kind == Kind::Regex { StarGlob::expand(text) } else { None };
        Pattern { text: text.to_vec(), kind, go_regex, star_globs, compiled: OnceLock::new() }
    }

    /// The cleaned pattern, without the exception mark.
    pub fn text(&self) -> &[u8] {
        &self.text
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The Go regular expression BuildKit would compile for this pattern.
    pub fn go_regex(&self) -> &str {
        &self.go_regex
    }

    /// Tests the pattern on one path, as BuildKit's matcher does; `None` when its regular
    /// expression does not compile (BuildKit then fails the build).
    pub fn test(&self, path: &[u8]) -> Option<bool> {
        self.matches(path).ok()
    }

    /// Tests a regex-kind pattern on one path with its regular expression alone, skipping
    /// the byte comparisons [`Pattern::test`] takes where the pattern allows: the slow path,
    /// which differential tests and the fuzz target hold the fast one to. Other kinds are
    /// never tested by regex (BuildKit compares them as strings, and their regex may mean
    /// something else: `|` is the regex `^|$`).
    pub fn test_by_regex(&self, path: &[u8]) -> Option<bool> {
        self.regex_matches(path).ok()
    }

    /// Tests the pattern on one path; fails if its regex does not compile.
    pub(crate) fn matches(&self, path: &[u8]) -> Result<bool, Re2Error> {
        let text = &self.text[..];
        Ok(match self.kind {
            Kind::Exact => path == text,
            Kind::Prefix => path.starts_with(&text[..text.len() - 2]),
            Kind::Suffix => {
                let suffix = &text[2..];
                path.ends_with(suffix) || suffix.first() == Some(&b'/') && path == &suffix[1..]
            }
            Kind::Regex => match &self.star_globs {
                Some(globs) => globs.iter().any(|glob| glob.matches(path)),
                None => self.regex_matches(path)?,
            },
        })
    }

    /// The byte matchers that stand for the regular expression (it matches when one of them
    /// does), when the pattern is that simple.
    pub(crate) fn star_globs(&self) -> Option<&[StarGlob]> {
        self.star_globs.as_deref()
    }

    /// Tests the pattern's regular expression on one path.
    pub(crate) fn regex_matches(&self, path: &[u8]) -> Result<bool, Re2Error> {
        let regex = self
            .compiled
            .get_or_init(|| re2::compile(&self.go_regex))
            .as_ref()
            .map_err(Clone::clone)?;
        Ok(match std::str::from_utf8(path) {
            Ok(path) => regex.is_match(path),
            Err(_) => regex.is_match(&lossy_per_byte(path)),
        })
    }
}

/// Walks the pattern one character at a time, as BuildKit's translation does, deciding the
/// kind and building the regular expression.
fn translate(text: &[u8]) -> (Kind, String) {
    let chars = lossy_per_byte(text).chars().collect::<Vec<char>>();
    let mut kind = Kind::Exact;
    let mut regex = String::from("^");
    let mut next = 0;
    let mut step = 0;
    while next < chars.len() {
        let c = chars[next];
        next += 1;
        match c {
            '*' if chars.get(next) == Some(&'*') => {
                next += 1;
                // `**/` is the same as `**`: the slash is eaten.
                if chars.get(next) == Some(&'/') {
                    next += 1;
                }
                if next == chars.len() {
                    if kind == Kind::Exact {
                        kind = Kind::Prefix;
                    } else {
                        regex.push_str(".*");
                        kind = Kind::Regex;
                    }
                } else {
                    regex.push_str("(.*/)?");
                    kind = Kind::Regex;
                }
                // A leading `**` makes a suffix test, unless something later makes a regex.
                if step == 0 {
                    kind = Kind::Suffix;
                }
            }
            '*' => {
                regex.push_str("[^/]*");
                kind = Kind::Regex;
            }
            '?' => {
                regex.push_str("[^/]");
                kind = Kind::Regex;
            }
            '.' | '+' | '(' | ')' | '$' => {
                regex.push('\\');
                regex.push(c);
            }
            '\\' => {
                regex.push('\\');
                if let Some(&escaped) = chars.get(next) {
                    next += 1;
                    regex.push(escaped);
                    kind = Kind::Regex;
                }
            }
            '[' | ']' => {
                regex.push(c);
                kind = Kind::Regex;
            }
            _ => regex.push(c),
        }
        step += 1;
    }
    regex.push('$');
    (kind, regex)
}

/// Decodes bytes as Go does when it reads a string as characters: every byte that is not
/// part of valid UTF-8 becomes one U+FFFD.
pub(crate) fn lossy_per_byte(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                out.push_str(valid);
                break;
            }
            Err(error) => {
                let (valid, after) = rest.split_at(error.valid_up_to());
                out.push_str(std::str::from_utf8(valid).unwrap_or_default());
                out.push(char::REPLACEMENT_CHARACTER);
                rest = &after[1..];
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_follow_buildkit() {
        let cases: &[(&str, Kind, &str)] = &[
            ("a", Kind::Exact, "^a$"),
            ("a.b", Kind::Exact, "^a\\.b$"),
            ("a|b", Kind::Exact, "^a|b$"),
            ("build**", Kind::Prefix, "^build$"),
            ("logs/**", Kind::Prefix, "^logs/$"),
            ("**", Kind::Suffix, "^$"),
            ("**/a", Kind::Suffix, "^(.*/)?a$"),
            ("**.bak", Kind::Suffix, "^(.*/)?\\.bak$"),
            ("**/a/**", Kind::Regex, "^(.*/)?a/.*$"),
            ("**/*.md", Kind::Regex, "^(.*/)?[^/]*\\.md$"),
            ("a/**/b", Kind::Regex, "^a/(.*/)?b$"),
            ("a**b", Kind::Regex, "^a(.*/)?b$"),
            ("*.js|*.ts", Kind::Regex, "^[^/]*\\.js|[^/]*\\.ts$"),
            ("a?b", Kind::Regex, "^a[^/]b$"),
            ("a[*]b", Kind::Regex, "^a[[^/]*]b$"),
            ("\\*", Kind::Regex, "^\\*$"),
            ("a*\\", Kind::Regex, "^a[^/]*\\$"),
            ("x\\", Kind::Exact, "^x\\$"),
            ("***", Kind::Regex, "^(.*/)?[^/]*$"),
        ];
        for (text, kind, regex) in cases {
            let pattern = Pattern::new(text.as_bytes());
            assert_eq!((pattern.kind(), pattern.go_regex()), (*kind, *regex), "{text:?}");
        }
    }

    #[test]
    fn non_regex_kinds_compare_bytes() {
        assert!(Pattern::new(b"**").matches(b"anything/at/all").unwrap());
        assert!(Pattern::new(b"**/a").matches(b"a").unwrap());
        assert!(Pattern::new(b"**/a").matches(b"x/y/a").unwrap());
        assert!(!Pattern::new(b"**/a").matches(b"xa").unwrap());
        assert!(Pattern::new(b"**a").matches(b"xa").unwrap());
        assert!(Pattern::new(b"logs/**").matches(b"logs/x").unwrap());
        assert!(!Pattern::new(b"logs/**").matches(b"logs").unwrap());
        assert!(Pattern::new(b"a|b").matches(b"a|b").unwrap());
        assert!(!Pattern::new(b"a|b").matches(b"a").unwrap());
        assert!(Pattern::new(b"caf\xC3").matches(b"caf\xC3").unwrap());
    }

    #[test]
    fn lossy_decoding_is_per_byte() {
        assert_eq!(lossy_per_byte(b"a\xE2\x82b"), "a\u{FFFD}\u{FFFD}b");
        assert_eq!(lossy_per_byte("é".as_bytes()), "é");
    }
}
