//! Writing to the terminal: paths as bytes or escaped, diagnostics on stderr, colours.

use std::io::{self, IsTerminal, Write};

use crate::cli::ColorWhen;

/// Writes a path: raw bytes when piped (so any name reaches other tools unchanged), escaped
/// when `escape` is set (a terminal), so a name cannot carry control sequences.
pub fn write_path(out: &mut impl Write, path: &[u8], escape: bool) -> io::Result<()> {
    if escape { out.write_all(escape_path(path).as_bytes()) } else { out.write_all(path) }
}

/// A path made safe to show: control characters and invalid UTF-8 bytes become escapes.
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

/// Whether to colour a stream, decided once.
pub fn use_color(when: ColorWhen, stream_is_terminal: bool) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            stream_is_terminal
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
        }
    }
}

pub fn stdout_is_terminal() -> bool {
    io::stdout().is_terminal()
}

/// The width text output is laid out for: `COLUMNS` when set (a shell's own setting, or a
/// request such as `COLUMNS=200 ctxsize scan | less`), else the terminal's, else 80 (piped
/// output stays the same wherever it runs).
pub fn stdout_width() -> usize {
    let from_env = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok());
    let from_terminal = || {
        let stdout = io::stdout();
        stdout
            .is_terminal()
            .then(|| terminal_size::terminal_size_of(&stdout))
            .flatten()
            .map(|(terminal_size::Width(w), _)| usize::from(w))
    };
    from_env
        .filter(|&w| w > 0)
        .or_else(from_terminal)
        .filter(|&w| w > 0)
        .unwrap_or(crate::scan::text::DEFAULT_WIDTH)
}

/// Prints a warning on stderr.
pub fn warn(message: &str) {
    let _ = writeln!(io::stderr().lock(), "ctxsize: warning: {message}");
}

/// ANSI styles, applied only when colour is on.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub enabled: bool,
}

impl Style {
    pub fn paint(self, code: &str, text: &str) -> String {
        if self.enabled { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_owned() }
    }
    pub fn green(self, text: &str) -> String {
        self.paint("32", text)
    }
    pub fn red(self, text: &str) -> String {
        self.paint("31", text)
    }
    pub fn yellow(self, text: &str) -> String {
        self.paint("33", text)
    }
    pub fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }
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
