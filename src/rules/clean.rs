//! Lexical path cleaning, exactly as Go's `path.Clean` does it.
//!
//! BuildKit cleans every pattern twice (once when the ignore file is read, once when the
//! pattern is compiled), so `a//b/./c/..` and `a/b` are the same rule. Patterns are bytes:
//! an ignore file need not be UTF-8.

/// Returns the shortest path equivalent to `path` by purely lexical processing:
/// repeated `/` collapse, `.` elements vanish, `x/..` pairs cancel, `..` at the start of a
/// relative path stays, `..` right after a leading `/` vanishes, a trailing `/` is dropped,
/// and an empty result becomes `.`.
pub(crate) fn clean(path: &[u8]) -> Vec<u8> {
    if path.is_empty() {
        return b".".to_vec();
    }
    let rooted = path[0] == b'/';
    let mut out: Vec<&[u8]> = Vec::new();
    // How many leading `..` elements of a relative path cannot be cancelled.
    let mut fixed_dotdots = 0;
    for element in path.split(|&b| b == b'/') {
        match element {
            b"" | b"." => {}
            b".." => {
                if out.len() > fixed_dotdots {
                    out.pop();
                } else if !rooted {
                    out.push(element);
                    fixed_dotdots += 1;
                }
            }
            _ => out.push(element),
        }
    }
    let mut cleaned = Vec::with_capacity(path.len());
    if rooted {
        cleaned.push(b'/');
    }
    for (i, element) in out.iter().enumerate() {
        if i > 0 {
            cleaned.push(b'/');
        }
        cleaned.extend_from_slice(element);
    }
    if cleaned.is_empty() {
        cleaned.push(b'.');
    }
    cleaned
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn matches_go_path_clean() {
        let cases: &[(&str, &str)] = &[
            ("", "."),
            (".", "."),
            ("/", "/"),
            ("//", "/"),
            ("a", "a"),
            ("a/", "a"),
            ("a//b", "a/b"),
            ("./a", "a"),
            ("a/./b", "a/b"),
            ("a/b/..", "a"),
            ("a/..", "."),
            ("..", ".."),
            ("../a", "../a"),
            ("../../a/..", "../.."),
            ("a/../..", ".."),
            ("/..", "/"),
            ("/../a", "/a"),
            ("/a/b/../../..", "/"),
            ("!/", "!"),
            ("!./", "!."),
            ("a/b/c/../../d", "a/d"),
            ("...", "..."),
            ("a/.../b", "a/.../b"),
        ];
        for (input, want) in cases {
            assert_eq!(
                String::from_utf8(clean(input.as_bytes())).unwrap(),
                *want,
                "clean({input:?})"
            );
        }
    }
}
