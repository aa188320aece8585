//! Names made safe for a terminal: a file name can carry control sequences or bidi
//! controls, and a non-UTF-8 name must still show as something. Used by the text
//! renderers, and by the prose of messages that quote a path.

/// A path made safe to show: control characters and invalid UTF-8 bytes become escapes,
/// and a backslash is doubled so that an escape cannot be faked by a name.
pub fn escape_path(path: &[u8]) -> String {
    let mut shown = String::with_capacity(path.len());
    for chunk in path.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' => shown.push_str("\\\\"),
                c if c.is_control() || is_invisible(c) => {
                    shown.extend(c.escape_default());
                }
                c => shown.push(c),
            }
        }
        for byte in chunk.invalid() {
            shown.push_str(&format!("\\x{byte:02x}"));
        }
    }
    shown
}

/// Bidi controls and zero-width characters that could disguise a name on a terminal.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::escape_path;

    #[test]
    fn escapes_control_and_invalid_bytes() {
        assert_eq!(escape_path(b"a\nb"), "a\\nb");
        assert_eq!(escape_path(b"\x1b[31mred"), "\\u{1b}[31mred");
        assert_eq!(escape_path(b"caf\xe9"), "caf\\xe9");
        assert_eq!(escape_path("été/x y".as_bytes()), "été/x y");
        assert_eq!(escape_path("a\u{202E}b".as_bytes()), "a\\u{202e}b");
    }
}
