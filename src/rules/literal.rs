//! Patterns that name exactly one path: telling one apart, and writing one for a path.
//!
//! BuildKit compares a pattern without wildcards to the path as a string; one with a `*`,
//! `?`, `[` or `\` becomes a regular expression, in which other characters (`|`, `{`, `^`,
//! `$`, …) turn into syntax. A pattern written for a path therefore avoids all of them.

/// Whether a cleaned pattern (without `!`) names one path: no wildcard, class or escape.
pub(crate) fn is_literal(text: &str) -> bool {
    !text.contains(['*', '?', '[', ']', '\\'])
}

/// The pattern that names `path` (relative to the context root, as every pattern is
/// anchored) and nothing else. `None` when the path cannot be written as a plain pattern:
/// not UTF-8, read as a comment or an exception (`#`, `!` first), or holding a character a
/// pattern reads as syntax, or a blank, which BuildKit trims.
pub(crate) fn pattern_for(path: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(path).ok()?;
    let plain = !text.starts_with(['!', '#'])
        && !text.contains(['*', '?', '[', '\\', '|', '{', '}', '^', '$', '(', ')', '+', ' ']);
    plain.then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_are_their_own_pattern() {
        assert_eq!(pattern_for(b"apps/api/dist").as_deref(), Some("apps/api/dist"));
        assert_eq!(pattern_for(b"a[1]/dist"), None);
        assert_eq!(pattern_for(b"caf\xe9/dist"), None);
        assert_eq!(pattern_for(b"#x"), None);
        assert_eq!(pattern_for(b"!x"), None);
        assert_eq!(pattern_for(b"a b"), None);
    }

    #[test]
    fn a_pattern_written_for_a_path_is_literal_and_matches_it() {
        for path in ["dist", "apps/api/dist", "a.b/c-d_e", "x%y@z"] {
            let text = pattern_for(path.as_bytes()).unwrap();
            assert!(is_literal(&text), "{path}");
            let pattern = super::super::Pattern::new(text.as_bytes());
            assert_eq!(pattern.kind(), super::super::Kind::Exact, "{path}");
            assert!(pattern.matches(path.as_bytes()).unwrap(), "{path}");
        }
    }

    #[test]
    fn wildcards_classes_and_escapes_are_not_literal() {
        for text in ["*.log", "a?", "[ab]", "a]", "a\\b"] {
            assert!(!is_literal(text), "{text}");
        }
        assert!(is_literal("node_modules/.cache"));
    }
}
