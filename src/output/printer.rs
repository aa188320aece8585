//! The one owner of stdout for a run, with the decisions about it made once: colour, the
//! width of text, whether names are escaped, whether a spinner may draw on stderr.

use std::io::{self, BufWriter, IsTerminal, StdoutLock, Write};

use serde::Serialize;

use super::layout::{self, Layout};
use super::style::{self, Style};
use crate::cli::ColorWhen;

/// Buffered, locked stdout and how to write to it. Every writer returns `io::Result`; a
/// closed pipe surfaces as a `BrokenPipe` error, which ends the run quietly (exit 0) in
/// `main`, whatever the command and format.
pub struct Printer {
    out: BufWriter<StdoutLock<'static>>,
    style: Style,
    layout: Layout,
    escape: bool,
    progress: bool,
}

impl Printer {
    /// Decides everything from the colour flag and the streams as they are now.
    pub fn new(color: ColorWhen) -> Printer {
        let stdout = io::stdout();
        let terminal = stdout.is_terminal();
        Printer {
            out: BufWriter::new(stdout.lock()),
            style: Style { enabled: style::use_color(color, terminal) },
            layout: Layout { width: layout::stdout_width() },
            // Names are escaped only for a terminal; piped, they go out byte for byte.
            escape: terminal,
            progress: super::progress::wanted(),
        }
    }

    /// Where the data goes.
    pub fn out(&mut self) -> &mut impl Write {
        &mut self.out
    }

    pub fn style(&self) -> Style {
        self.style
    }

    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// Whether stdout is a terminal, where names are shown escaped.
    pub fn escapes(&self) -> bool {
        self.escape
    }

    /// Whether a walk may show its spinner (on stderr): one rule for every command and
    /// every output format, see [`super::progress::wanted`].
    pub fn progress(&self) -> bool {
        self.progress
    }

    /// Writes a value as pretty JSON and a newline.
    pub fn json(&mut self, value: &impl Serialize) -> io::Result<()> {
        write_json(&mut self.out, value)
    }

    /// Flushes what is buffered; called once the command's output is complete, before its
    /// last words on stderr.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Writes a value as pretty JSON and a newline; a failed write keeps its `io::Error`
/// (a closed pipe stays a `BrokenPipe`).
pub fn write_json(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::from)?;
    writeln!(out)
}
