//! Everything a command prints: the [`Printer`] that owns stdout, and one renderer per
//! report and format (text for people, JSON, SARIF, GitHub workflow commands).
//!
//! Reports hold raw data (byte paths, enums); only the renderers here turn them into text,
//! escaping names for a terminal. Diagnostics go to stderr through [`warn`].

pub mod builds_text;
pub mod check;
pub mod layout;
pub mod lint_text;
pub mod printer;
pub mod progress;
pub mod scan_text;
pub mod style;
pub mod why_text;

use std::io::{self, Write};

pub use crate::escape::escape_path;
pub use layout::Layout;
pub use printer::Printer;
pub use style::Style;

/// Writes a path: raw bytes when piped (so any name reaches other tools unchanged), escaped
/// when `escape` is set (a terminal), so a name cannot carry control sequences.
pub fn write_path(out: &mut impl Write, path: &[u8], escape: bool) -> io::Result<()> {
    if escape { out.write_all(escape_path(path).as_bytes()) } else { out.write_all(path) }
}

/// Prints a warning on stderr.
pub fn warn(message: &str) {
    let _ = writeln!(io::stderr().lock(), "ctxsize: warning: {message}");
}
