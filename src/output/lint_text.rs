//! `lint`'s findings for people.

use std::io::{self, Write};

use crate::lint::{Finding, Severity};
use crate::raw_path::RawPath;

/// `FILE:LINE: SEVERITY[NAME]: MESSAGE` and its fix, per finding.
pub fn render(
    out: &mut impl Write,
    ignore_file: Option<&RawPath>,
    findings: &[Finding],
) -> io::Result<()> {
    let name = match ignore_file {
        Some(path) => String::from_utf8_lossy(path.as_bytes()).into_owned(),
        None => ".dockerignore".to_owned(),
    };
    for finding in findings {
        let severity = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        writeln!(
            out,
            "{name}:{}: {severity}[{}]: {}",
            finding.line, finding.name, finding.message
        )?;
        writeln!(out, "  fix: {}", finding.fix)?;
    }
    if ignore_file.is_none() {
        writeln!(out, "no ignore file: everything in the context ships")?;
    }
    Ok(())
}
