//! Reading an ignore file into patterns, line by line, as BuildKit's reader does.
//!
//! The rules, in order: split on `\n` and drop one `\r` before it; a line longer than
//! 65535 bytes fails the build; a UTF-8 byte order mark is removed from the first line only;
//! a line whose first byte is `#` is a comment (before any trimming); white space (Go's
//! `unicode.IsSpace`) is trimmed; a leading `!` marks an exception and the rest is trimmed
//! again; what remains is cleaned like a path and loses one leading `/`.

use super::clean::clean;

/// The longest line BuildKit's line scanner accepts, in bytes, without its `\n`.
pub(crate) const MAX_LINE_BYTES: usize = 65535;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// One pattern as the ignore file yields it, before compilation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawPattern {
    /// 1-based line number in the ignore file.
    pub line: usize,
    /// The pattern as BuildKit hands it on: cleaned, a leading `!` for exceptions.
    pub text: Vec<u8>,
    /// The line as written, without its line ending (for messages).
    pub written: Vec<u8>,
}

/// Reading failed: BuildKit fails the build on this file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// A line (comments too) is longer than [`MAX_LINE_BYTES`].
    LineTooLong { line: usize, len: usize },
}

/// Splits an ignore file into its patterns.
pub fn read_patterns(content: &[u8]) -> Result<Vec<RawPattern>, ReadError> {
    let mut patterns = Vec::new();
    for (index, raw_line) in split_lines(content).enumerate() {
        let line_number = index + 1;
        if raw_line.len() > MAX_LINE_BYTES {
            return Err(ReadError::LineTooLong { line: line_number, len: raw_line.len() });
        }
        let mut line = raw_line.strip_suffix(b"\r").unwrap_or(raw_line);
        if index == 0 {
            line = line.strip_prefix(UTF8_BOM).unwrap_or(line);
        }
        if line.first() == Some(&b'#') {
            continue;
        }
        let trimmed = trim_space(line);
        if trimmed.is_empty() {
            continue;
        }
        let (exception, rest) = match trimmed.strip_prefix(b"!") {
            Some(rest) => (true, trim_space(rest)),
            None => (false, trimmed),
        };
        let mut text = Vec::with_capacity(rest.len() + 1);
        if exception {
            text.push(b'!');
        }
        if !rest.is_empty() {
            let cleaned = clean(rest);
            let relative =
                if cleaned.len() > 1 && cleaned[0] == b'/' { &cleaned[1..] } else { &cleaned[..] };
            text.extend_from_slice(relative);
        }
        patterns.push(RawPattern { line: line_number, text, written: line.to_vec() });
    }
    Ok(patterns)
}

/// Lines as Go's `bufio.ScanLines` cuts them: on `\n`, the last one counted even without a
/// final newline, no empty line after a final newline. A `\r` before the `\n` stays here
/// (it counts towards the line length limit).
fn split_lines(content: &[u8]) -> impl Iterator<Item = &[u8]> {
    let body = content.strip_suffix(b"\n").unwrap_or(content);
    let empty = content.is_empty();
    body.split(|&b| b == b'\n').filter(move |_| !empty)
}

/// Go's `unicode.IsSpace`: exactly the Unicode White_Space characters, nothing else (not the
/// BOM, not U+200B, not the controls U+001C..U+001F).
pub(crate) fn is_go_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n'
            | '\u{0B}'
            | '\u{0C}'
            | '\r'
            | ' '
            | '\u{85}'
            | '\u{A0}'
            | '\u{1680}'
            | '\u{2000}'
            ..='\u{200A}' | '\u{2028}' | '\u{2029}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

/// Trims Go white space at both ends; invalid UTF-8 stops the trimming like a non-space.
pub(crate) fn trim_space(mut bytes: &[u8]) -> &[u8] {
    while let Some((c, len)) = first_char(bytes) {
        if !is_go_space(c) {
            break;
        }
        bytes = &bytes[len..];
    }
    while let Some((c, len)) = last_char(bytes) {
        if !is_go_space(c) {
            break;
        }
        bytes = &bytes[..bytes.len() - len];
    }
    bytes
}

fn first_char(bytes: &[u8]) -> Option<(char, usize)> {
    (1..=bytes.len().min(4)).find_map(|len| {
        std::str::from_utf8(&bytes[..len]).ok().and_then(|s| s.chars().next()).map(|c| (c, len))
    })
}

fn last_char(bytes: &[u8]) -> Option<(char, usize)> {
    (1..=bytes.len().min(4)).find_map(|len| {
        std::str::from_utf8(&bytes[bytes.len() - len..])
            .ok()
            .and_then(|s| s.chars().next())
            .map(|c| (c, len))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(content: &[u8]) -> Vec<String> {
        read_patterns(content)
            .unwrap()
            .into_iter()
            .map(|p| String::from_utf8(p.text).unwrap())
            .collect()
    }

    #[test]
    fn comments_blanks_and_trimming() {
        assert_eq!(
            texts(b"# comment\n\n  \t\n a # b \n #x\n\\#y\nz\n"),
            ["a # b", "#x", "\\#y", "z"]
        );
    }

    #[test]
    fn crlf_bom_and_missing_final_newline() {
        assert_eq!(texts(b"\xEF\xBB\xBFa\r\nb\r\nc"), ["a", "b", "c"]);
        // The BOM only goes from the first line; before the comment test.
        assert_eq!(texts(b"\xEF\xBB\xBF#a\nb"), ["b"]);
        assert_eq!(texts(b"a\n\xEF\xBB\xBFb"), ["a", "\u{FEFF}b"]);
        // A CR elsewhere stays (and is then trimmed as white space at the end of a line).
        assert_eq!(texts(b"a\rb\n"), ["a\rb"]);
    }

    #[test]
    fn exceptions_and_cleaning() {
        assert_eq!(
            texts(b"!a\n! b\n/c\n./d/\ne//f/../g\n/\n!/\n!\n..\n../x\n!./\n"),
            ["!a", "!b", "c", "d", "e/g", "/", "!/", "!", "..", "../x", "!."]
        );
    }

    #[test]
    fn unicode_spaces_trim_but_lookalikes_stay() {
        assert_eq!(texts("\u{3000}a\u{A0}\n".as_bytes()), ["a"]);
        assert_eq!(texts("\u{200B}a\n".as_bytes()), ["\u{200B}a"]);
        assert_eq!(texts(b"\x1Fa\n"), ["\x1Fa"]);
    }

    #[test]
    fn line_numbers_count_every_line() {
        let patterns = read_patterns(b"# c\n\na\n\r\nb").unwrap();
        let lines: Vec<usize> = patterns.iter().map(|p| p.line).collect();
        assert_eq!(lines, [3, 5]);
    }

    #[test]
    fn line_length_limit_counts_cr() {
        let ok = [vec![b'a'; MAX_LINE_BYTES], b"\n".to_vec()].concat();
        assert!(read_patterns(&ok).is_ok());
        let too_long_crlf = [vec![b'a'; MAX_LINE_BYTES], b"\r\n".to_vec()].concat();
        assert_eq!(
            read_patterns(&too_long_crlf),
            Err(ReadError::LineTooLong { line: 1, len: MAX_LINE_BYTES + 1 })
        );
        let long_comment = [b"x\n#".to_vec(), vec![b'a'; MAX_LINE_BYTES]].concat();
        assert!(matches!(
            read_patterns(&long_comment),
            Err(ReadError::LineTooLong { line: 2, .. })
        ));
    }
}
