//! How wide text output is, and the helpers that keep to it: every width here is in
//! terminal display columns (`unicode-width`), so a name in CJK or with combining marks
//! lines up as an ASCII one does.

use std::io::{self, IsTerminal, Write};

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The width text is laid out for when nothing says otherwise (piped output stays the
/// same wherever it runs); every path column's width is the one it has at this width.
pub const DEFAULT_WIDTH: usize = 80;

/// The narrowest a path column gets on a terminal narrower than [`DEFAULT_WIDTH`].
pub const MIN_PATH_WIDTH: usize = 16;

/// The width text output is laid out for: `COLUMNS` when set (a shell's own setting, or a
/// request such as `COLUMNS=200 ctxsize scan | less`), else the terminal's, else
/// [`DEFAULT_WIDTH`].
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
    from_env.filter(|&w| w > 0).or_else(from_terminal).filter(|&w| w > 0).unwrap_or(DEFAULT_WIDTH)
}

/// How wide the output is: the path columns take what the width has beyond (or short of)
/// [`DEFAULT_WIDTH`], so that 80 columns look as they always did.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    pub width: usize,
}

impl Default for Layout {
    fn default() -> Layout {
        Layout { width: DEFAULT_WIDTH }
    }
}

impl Layout {
    /// Columns beyond [`DEFAULT_WIDTH`] (negative on a narrower terminal).
    fn extra(self) -> isize {
        self.width as isize - DEFAULT_WIDTH as isize
    }

    /// A path column `at_80` wide at the default width, with `extra` columns more.
    fn widened(at_80: usize, extra: isize) -> usize {
        let narrowest = MIN_PATH_WIDTH.min(at_80) as isize;
        (at_80 as isize + extra).max(narrowest) as usize
    }

    /// A path column that takes all the extra width of its line.
    pub fn path(self, at_80: usize) -> usize {
        Layout::widened(at_80, self.extra())
    }

    /// A padded column of paths (or patterns) with more columns after it: as wide as its
    /// longest entry, between its width at 80 columns and [`Layout::path`], so that a wide
    /// terminal does not push the columns after it far away.
    pub fn padded<'a>(self, at_80: usize, entries: impl Iterator<Item = &'a str>) -> usize {
        let most = self.path(at_80);
        let longest = entries.map(columns).max().unwrap_or(0);
        longest.clamp(at_80.min(most), most)
    }

    /// Two path columns on one line, sharing its extra width.
    pub fn paths(self, first_at_80: usize, second_at_80: usize) -> (usize, usize) {
        let first = self.extra() / 2;
        let second = self.extra() - first;
        (Layout::widened(first_at_80, first), Layout::widened(second_at_80, second))
    }

    /// The width prose wraps at.
    fn text(self) -> usize {
        self.width.max(MIN_PATH_WIDTH * 2)
    }
}

/// The columns `text` takes on a terminal.
pub fn columns(text: &str) -> usize {
    text.width()
}

/// `text` followed by spaces up to `width` columns (`{:<width$}` counts characters, not
/// columns).
pub fn pad(text: &str, width: usize) -> String {
    let mut padded = text.to_owned();
    padded.extend(std::iter::repeat_n(' ', width.saturating_sub(columns(text))));
    padded
}

/// Shortens a path to `width` columns, keeping its end (the most telling part) after `…`.
pub fn fit(path: &str, width: usize) -> String {
    if columns(path) <= width {
        return path.to_owned();
    }
    let room = width.saturating_sub(1);
    let mut taken = 0;
    let mut start = path.len();
    for (at, c) in path.char_indices().rev() {
        let w = c.width().unwrap_or(0);
        if taken + w > room {
            break;
        }
        taken += w;
        start = at;
    }
    format!("…{}", &path[start..])
}

/// A message made safe for one terminal line: control characters escaped, at most `width`
/// columns (a Dockerfile's parse error may quote anything).
pub fn one_line(message: &str, width: usize) -> String {
    let escaped = crate::escape::escape_path(message.as_bytes());
    if columns(&escaped) <= width {
        return escaped;
    }
    let room = width.saturating_sub(1);
    let mut taken = 0;
    let mut head = String::new();
    for c in escaped.chars() {
        let w = c.width().unwrap_or(0);
        if taken + w > room {
            break;
        }
        taken += w;
        head.push(c);
    }
    format!("{head}…")
}

/// Writes `text` word-wrapped to the layout's width, the first line after `first`, the
/// others indented by `indent` spaces.
pub fn wrapped(
    out: &mut impl Write,
    layout: Layout,
    first: &str,
    text: &str,
    indent: usize,
) -> io::Result<()> {
    let max = layout.text();
    let mut line = format!("{first} ");
    let mut width = columns(first) + 1;
    let mut fresh = true;
    for word in text.split(' ') {
        let len = columns(word);
        if !fresh && width + 1 + len > max {
            writeln!(out, "{line}")?;
            line = " ".repeat(indent);
            width = indent;
            fresh = true;
        }
        if !fresh {
            line.push(' ');
            width += 1;
        }
        line.push_str(word);
        width += len;
        fresh = false;
    }
    writeln!(out, "{line}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_paths_keep_their_end() {
        assert_eq!(fit("short", 10), "short");
        assert_eq!(fit("a/very/long/path/file.txt", 10), "…/file.txt");
    }

    #[test]
    fn widths_are_display_columns() {
        // Each of these characters takes two columns.
        assert_eq!(columns("日本語"), 6);
        assert_eq!(fit("a/日本語.txt", 9), "…本語.txt");
        assert_eq!(columns(&fit("a/日本語.txt", 8)), 7);
        assert_eq!(pad("日本", 6), "日本  ");
        assert_eq!(one_line("日本語", 4), "日…");
    }

    #[test]
    fn wrapping_keeps_lines_within_the_width() {
        let mut out = Vec::new();
        let text = "word ".repeat(60);
        wrapped(&mut out, Layout::default(), "  !", text.trim(), 4).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.lines().count() > 3);
        assert!(text.lines().all(|l| l.chars().count() <= DEFAULT_WIDTH), "{text}");
        assert!(text.lines().skip(1).all(|l| l.starts_with("    word")), "{text}");
    }

    #[test]
    fn path_columns_take_the_width_beyond_80() {
        let at = |width| Layout { width };
        assert_eq!(at(80).path(44), 44);
        assert_eq!(at(200).path(44), 164);
        assert_eq!(at(60).path(44), 24);
        assert_eq!(at(20).path(44), MIN_PATH_WIDTH);
        assert_eq!(at(200).paths(28, 30), (88, 90));
        // A padded column grows only as far as its longest entry needs.
        assert_eq!(at(80).padded(28, ["a"; 3].into_iter()), 28);
        assert_eq!(at(200).padded(28, ["a".repeat(50).as_str()].into_iter()), 50);
        assert_eq!(at(200).padded(28, ["a".repeat(500).as_str()].into_iter()), 148);
    }
}
