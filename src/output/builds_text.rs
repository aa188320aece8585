//! Every build of a list, for people: one row per build (what it sends, what the proposal
//! would save of that, what stands out), the services that build nothing, then the rules
//! proposed for each ignore file, kept only where no build reading that file needs what
//! they remove.

use std::io::{self, Write};

use super::layout::pad;
use super::{Layout, Style, scan_text};
use crate::builds::report::{BuildReport, BuildsReport};
use crate::escape::escape_path;
use crate::numbers::{count, counted, size};
use crate::raw_path::RawPath;
use crate::scan::report::WarningKind;

/// The table, the builds without a Dockerfile, and the proposal per ignore file.
pub fn render(report: &BuildsReport, style: Style, out: &mut impl Write) -> io::Result<()> {
    let source = escape_path(report.source.path.as_bytes());
    writeln!(
        out,
        "{} {source}",
        style.bold(&format!("{} of", counted(report.builds.len() as u64, "build", "builds")))
    )?;
    writeln!(out)?;
    render_table(report, style, out)?;
    if !report.without_build.is_empty() {
        writeln!(out)?;
        writeln!(out, "{} {}", style.bold("No build:"), report.without_build.join(", "))?;
    }
    if !report.unsupported.is_empty() {
        writeln!(out, "{} {}", style.bold("Not supported:"), report.unsupported.join(", "))?;
    }
    render_proposals(report, style, out)
}

/// Each build's full single-build report, under a line naming the build.
pub fn render_each(
    report: &BuildsReport,
    style: Style,
    layout: Layout,
    out: &mut impl Write,
) -> io::Result<()> {
    for (index, build) in report.builds.iter().enumerate() {
        if index > 0 {
            writeln!(out)?;
        }
        let name = escape_path(build.name.as_bytes());
        writeln!(out, "{}", style.bold(&format!("── {name} ──")))?;
        scan_text::render(&build.report, style, layout, out)?;
    }
    Ok(())
}

/// The columns of the table, in order.
const HEADERS: [&str; 8] =
    ["BUILD", "CONTEXT", "DOCKERFILE", "IGNORE FILE", "FILES", "SENDS", "SAVES", "FINDINGS"];

/// Columns aligned to the right (numbers).
const NUMERIC: [bool; 8] = [false, false, false, false, true, true, true, false];

fn render_table(report: &BuildsReport, style: Style, out: &mut impl Write) -> io::Result<()> {
    let rows: Vec<[String; 8]> = report.builds.iter().map(row).collect();
    let mut widths = HEADERS.map(super::layout::columns);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(super::layout::columns(cell));
        }
    }
    let line = |cells: [&str; 8]| {
        let mut text = String::new();
        for (at, cell) in cells.iter().enumerate() {
            let padding = " ".repeat(widths[at].saturating_sub(super::layout::columns(cell)));
            let cell = if NUMERIC[at] { format!("{padding}{cell}") } else { pad(cell, widths[at]) };
            text.push_str(&cell);
            text.push_str(if at + 1 < cells.len() { "  " } else { "" });
        }
        text.trim_end().to_owned()
    };
    writeln!(out, "{}", style.bold(&line(HEADERS)))?;
    for row in &rows {
        writeln!(out, "{}", line(row.each_ref().map(String::as_str)))?;
    }
    Ok(())
}

/// One build's row: what its transfer is (the whole filtered context when it sends it).
fn row(build: &BuildReport) -> [String; 8] {
    let report = &build.report;
    let sent = report.transfer.as_ref().map_or(report.totals.shipped, |t| t.amount);
    let saving = &report.proposal;
    let saves = if saving.transfer_saving_bytes == 0 {
        "-".to_owned()
    } else {
        format!("{} ({:.0}%)", size(saving.transfer_saving_bytes), saving.transfer_saving_percent)
    };
    let dockerfile = match &build.dockerfile {
        None => "(inline)".to_owned(),
        Some(path) => shown_below(path, &build.context),
    };
    let ignore =
        report.ignore_file.as_ref().map_or("none".to_owned(), |p| escape_path(p.as_bytes()));
    [
        escape_path(build.name.as_bytes()),
        escape_path(build.context.as_bytes()),
        dockerfile,
        ignore,
        count(sent.files),
        size(sent.bytes),
        saves,
        findings(build).join(", "),
    ]
}

/// A path relative to the context when it lies below it (shorter, and as Compose writes
/// it), else as given.
fn shown_below(path: &RawPath, context: &RawPath) -> String {
    match path.as_path().strip_prefix(context.as_path()) {
        Ok(relative) if !relative.as_os_str().is_empty() => {
            escape_path(RawPath::from_path(relative).as_bytes())
        }
        _ => escape_path(path.as_bytes()),
    }
}

/// What stands out in a build: what fails it, secrets it sends, a copy of the whole context
/// (a needed source is the context root, in the image or in a builder stage).
fn findings(build: &BuildReport) -> Vec<&'static str> {
    let mut found: Vec<&'static str> = Vec::new();
    if build.report.transfer.as_ref().is_some_and(|t| t.whole_context) {
        found.push("COPY .");
    }
    for warning in &build.report.warnings {
        let finding = match warning.kind {
            WarningKind::BuildFails => "build fails",
            WarningKind::Secrets => "secrets",
            WarningKind::Dockerfile => "Dockerfile unreadable",
            WarningKind::Unreadable => "unreadable files",
            _ => continue,
        };
        if !found.contains(&finding) {
            found.push(finding);
        }
    }
    if !build.report.incomplete.is_empty() {
        found.push("incomplete");
    }
    found
}

/// The rules proposed for each ignore file (the one in force, or the `.dockerignore` that
/// would be written), kept only when every build reading that file proposes them: a rule
/// one build's sources need is never proposed for the others.
fn render_proposals(report: &BuildsReport, style: Style, out: &mut impl Write) -> io::Result<()> {
    let mut groups: Vec<(RawPath, Vec<&BuildReport>)> = Vec::new();
    for build in &report.builds {
        let file = build
            .report
            .ignore_file
            .clone()
            .unwrap_or_else(|| build.report.context.join_relative(b".dockerignore"));
        match groups.iter_mut().find(|(f, _)| *f == file) {
            Some((_, members)) => members.push(build),
            None => groups.push((file, vec![build])),
        }
    }
    for (file, members) in groups {
        let names: Vec<String> = members.iter().map(|b| escape_path(b.name.as_bytes())).collect();
        writeln!(out)?;
        let title =
            format!("Proposed for {} (read by {})", escape_path(file.as_bytes()), names.join(", "));
        writeln!(out, "{}", style.bold(&title))?;
        let shared: Vec<_> = members[0]
            .report
            .proposal
            .rules
            .iter()
            .filter(|rule| {
                members
                    .iter()
                    .all(|b| b.report.proposal.rules.iter().any(|r| r.pattern == rule.pattern))
            })
            .collect();
        if shared.is_empty() {
            writeln!(out, "  nothing to add")?;
        }
        let width = shared.iter().map(|r| super::layout::columns(&r.pattern)).max().unwrap_or(0);
        for rule in shared {
            writeln!(
                out,
                "  {}  # {}",
                pad(&escape_path(rule.pattern.as_bytes()), width),
                rule.reason
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builds::run::scan_builds;
    use crate::context::{BuildContext, ContextError};
    use crate::walk::WalkError;

    fn walk_error(context: &BuildContext, error: WalkError) -> ContextError {
        match error {
            WalkError::Rules(error) => ContextError::Rules { file: context.root.clone(), error },
            WalkError::UnreadableDir { .. } => unreachable!("every directory is readable"),
        }
    }

    #[test]
    fn the_table_lists_builds_then_services_without_build_then_proposals() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("api")).unwrap();
        std::fs::write(root.join("api/Dockerfile"), "FROM x\nCOPY api /api\n").unwrap();
        std::fs::write(root.join("api/main.go"), "package main\n").unwrap();
        let mut list = crate::builds::discover::discover(root).unwrap();
        list.without_build = vec!["db".into(), "cache".into()];
        list.unsupported = vec!["function upper".into()];
        let options = crate::scan::ScanOptions { propose: true, ..Default::default() };
        let scanned = scan_builds(&list, &options, &walk_error).unwrap();
        let report = BuildsReport::new(&list, scanned);
        let mut out = Vec::new();
        render(&report, Style { enabled: false }, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("1 build of "), "{text}");
        assert!(lines[2].starts_with("BUILD           CONTEXT"), "{text}");
        assert!(lines[3].starts_with("api/Dockerfile  "), "{text}");
        assert!(lines[3].contains("api/Dockerfile  none"), "{text}");
        assert!(text.contains("\nNo build: db, cache\nNot supported: function upper\n"), "{text}");
        assert!(text.contains("(read by api/Dockerfile)\n"), "{text}");
    }
}
