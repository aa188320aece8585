//! The scan report for people: one screen, as wide as the terminal (80 columns when piped),
//! colour only when asked for; one function per section, in the order they appear.

use std::io::{self, Write};

use super::layout::{DEFAULT_WIDTH, Layout, MIN_PATH_WIDTH, columns, fit, one_line, pad, wrapped};
use super::style::Style;
use crate::escape::escape_path;
use crate::numbers::{count, counted, files, noun, size};
use crate::raw_path::RawPath;
use crate::scan::report::{CategoryAmount, ScanReport};

/// Width of the proportional bars.
const BAR_WIDTH: usize = 20;

// The width of each path column at [`DEFAULT_WIDTH`]: the line less what else it holds. A
// wider or narrower terminal gives or takes the difference (see [`Layout::path`]).
/// `Context    PATH`.
const HEADER_PATH: usize = DEFAULT_WIDTH - 12;
/// `Project KIND (TOOL) at DIR: EVIDENCE`: the directory and the evidence.
const PROJECT_DIR: usize = 28;
const PROJECT_EVIDENCE: usize = DEFAULT_WIDTH - 50;
/// `Service PATH`.
const SERVICE_PATH: usize = DEFAULT_WIDTH - 10;
/// `  SIZE BAR PATH`.
const HEAVIEST_PATH: usize = DEFAULT_WIDTH - 36;
/// `  SIZE  PATH`.
const LARGEST_PATH: usize = DEFAULT_WIDTH - 16;
/// `  PATTERN  FILES  SIZE  TEMPLATE`, with one view of amounts or two.
const PATTERN_ONE_VIEW: usize = 32;
const PATTERN_TWO_VIEWS: usize = 30;
/// `  line N  COPY SOURCE  FILES  SIZE`.
const SOURCE: usize = 28;
/// The path in the way of a rule that is not proposed.
const DROPPED_PATH: usize = DEFAULT_WIDTH / 2;
/// `  FILE:LINE: [name] message`.
const LINT_FILE: usize = 30;
/// `      PATH` under a warning.
const WARNING_PATH: usize = DEFAULT_WIDTH - 10;
/// The paths listed under one warning; `--json` has them all.
const WARNING_PATHS_SHOWN: usize = 5;

/// A path as text shows it: escaped, so that a name cannot carry control sequences.
fn shown(path: &RawPath) -> String {
    escape_path(path.as_bytes())
}

/// A path given on the command line (the context, the ignore file, the Dockerfile), shown
/// as the system shows it, with any invalid byte as `�`.
fn given(path: &RawPath) -> String {
    String::from_utf8_lossy(path.as_bytes()).into_owned()
}

/// Says that a source's variables have no value, so the source stands for any text there
/// (`$VERSION` of an `ARG` without default nor `--build-arg`, an image's `ENV`…).
fn unresolved_note(names: &[String]) -> String {
    let names: Vec<String> = names.iter().map(|name| format!("${name}")).collect();
    format!("(no known value for {}: any text matches)", names.join(", "))
}

fn bar(value: u64, max: u64) -> String {
    let filled =
        if max == 0 { 0 } else { (value as u128 * BAR_WIDTH as u128 / max as u128) as usize };
    let filled = filled.max(usize::from(value > 0));
    format!("{}{}", "█".repeat(filled), "·".repeat(BAR_WIDTH - filled))
}

/// The whole report, section by section.
pub fn render(
    report: &ScanReport,
    style: Style,
    layout: Layout,
    out: &mut impl Write,
) -> io::Result<()> {
    let h = |s: &str| style.bold(s);
    render_header(report, style, layout, out)?;
    render_totals(report, layout, out)?;
    render_projects(report, style, layout, out)?;
    render_heaviest(report, style, layout, out)?;
    render_categories(out, &h("What ships, by kind"), &report.categories)?;
    if let Some(transfer) = report.transfer.as_ref().filter(|t| !t.whole_context) {
        render_categories(out, &h("What docker build sends, by kind"), &transfer.categories)?;
    }
    render_proposal(report, style, layout, out)?;
    render_instructions(report, style, layout, out)?;
    render_findings(report, style, layout, out)?;
    render_warnings(report, style, layout, out)
}

/// What was read: the context, the ignore file, the Dockerfile.
fn render_header(
    report: &ScanReport,
    style: Style,
    layout: Layout,
    out: &mut impl Write,
) -> io::Result<()> {
    let h = |s: &str| style.bold(s);
    let width = layout.path(HEADER_PATH);
    writeln!(out, "{} {}", h("Context   "), fit(&given(&report.context), width))?;
    let ignore = report.ignore_file.as_ref().map_or("none (everything ships)".into(), given);
    writeln!(out, "{} {}", h("Ignore    "), fit(&ignore, width))?;
    let dockerfile = report.dockerfile.as_ref().map_or("none found".into(), given);
    writeln!(out, "{} {}", h("Dockerfile"), fit(&dockerfile, width))?;
    writeln!(out)
}

/// The totals table, what its rows mean, and the files that ship empty or as links.
fn render_totals(report: &ScanReport, layout: Layout, out: &mut impl Write) -> io::Result<()> {
    let t = &report.totals;
    writeln!(out, "{:<14}{:>14}{:>12}{:>14}", "", "files", "dirs", "size")?;
    let mut rows = vec![("On disk", t.on_disk), ("Excluded", t.excluded), ("Ships", t.shipped)];
    let named_paths = report.transfer.as_ref().filter(|transfer| !transfer.whole_context);
    if let Some(transfer) = named_paths {
        rows.push(("Transfer", transfer.amount));
    }
    for (label, amount) in rows {
        writeln!(
            out,
            "{:<14}{:>14}{:>12}{:>14}",
            label,
            count(amount.files),
            count(amount.dirs),
            size(amount.bytes)
        )?;
    }
    match &report.transfer {
        Some(transfer) if transfer.whole_context => wrapped(
            out,
            layout,
            "Ships:",
            "what `COPY . .` copies; a source is the context root, so docker build sends all \
             of it.",
            2,
        )?,
        Some(_) => wrapped(
            out,
            layout,
            "Ships:",
            "what `COPY . .` would copy. Transfer: what docker build sends with this \
             Dockerfile, only the paths its sources name, filtered by the ignore file.",
            2,
        )?,
        None => {}
    }
    if t.emptied.files > 0 {
        writeln!(
            out,
            "{} {} empty: BuildKit drops {} of content (see `ctxsize why`)",
            files(t.emptied.files),
            noun(t.emptied.files, "ships", "ship"),
            size(t.emptied.bytes)
        )?;
    }
    if t.hard_linked > 0 {
        let sent = report.transfer.as_ref().map_or(0, |t| t.hard_linked);
        let text = format!(
            "{} not counted again{}: a file with several names travels once, its other names \
             as links.",
            size(t.hard_linked),
            if report.transfer.as_ref().is_some_and(|t| !t.whole_context) {
                format!(" ({} of it in the transfer)", size(sent))
            } else {
                String::new()
            },
        );
        wrapped(out, layout, "Hard links:", &text, 2)?;
    }
    Ok(())
}

/// The projects found (a workspace's members counted on its line) and the services.
fn render_projects(
    report: &ScanReport,
    style: Style,
    layout: Layout,
    out: &mut impl Write,
) -> io::Result<()> {
    if report.projects.is_empty() && report.services.is_empty() {
        return Ok(());
    }
    let h = |s: &str| style.bold(s);
    writeln!(out)?;
    let (dir_width, evidence_width) = layout.paths(PROJECT_DIR, PROJECT_EVIDENCE);
    for project in report.projects.iter().filter(|p| p.workspace.is_none()) {
        let dir = if project.dir.is_empty() { "." } else { &project.dir };
        let tool = project.tool.map(|t| format!(" ({t})")).unwrap_or_default();
        let members = report
            .projects
            .iter()
            .filter(|m| m.kind == project.kind && m.workspace.as_ref() == Some(&project.dir))
            .count() as u64;
        let members = match members {
            0 => String::new(),
            n => format!(" with {}", counted(n, "member", "members")),
        };
        let evidence = project.evidence.join(", ");
        let dir = fit(dir, dir_width);
        let head = format!("Project {}{tool} at {dir}{members}: ", project.kind.name());
        // A workspace's line has its evidence in what the line has left.
        let evidence_width = if members.is_empty() {
            evidence_width
        } else {
            layout.width.saturating_sub(columns(&head)).max(MIN_PATH_WIDTH)
        };
        writeln!(
            out,
            "{} {}{} at {}{members}: {}",
            h("Project"),
            project.kind.name(),
            tool,
            dir,
            fit(&evidence, evidence_width)
        )?;
    }
    for service in &report.services {
        writeln!(out, "{} {}", h("Service"), fit(&shown(service), layout.path(SERVICE_PATH)))?;
    }
    Ok(())
}

/// The heaviest directories, with bars, and the largest files.
fn render_heaviest(
    report: &ScanReport,
    style: Style,
    layout: Layout,
    out: &mut impl Write,
) -> io::Result<()> {
    let h = |s: &str| style.bold(s);
    if !report.heaviest_dirs.is_empty() {
        writeln!(out, "\n{}", h("Heaviest directories (what ships)"))?;
        let max = report.heaviest_dirs.iter().map(|d| d.bytes).max().unwrap_or(0);
        for dir in &report.heaviest_dirs {
            writeln!(
                out,
                "  {:>10} {} {}",
                size(dir.bytes),
                bar(dir.bytes, max),
                fit(&shown(&dir.path), layout.path(HEAVIEST_PATH))
            )?;
        }
    }
    if !report.largest_files.is_empty() {
        writeln!(out, "\n{}", h("Largest files (what ships)"))?;
        for file in &report.largest_files {
            let path = fit(&shown(&file.path), layout.path(LARGEST_PATH));
            writeln!(out, "  {:>10}  {path}", size(file.bytes))?;
        }
    }
    Ok(())
}

/// One bar per category that holds something, under a title.
fn render_categories(
    out: &mut impl Write,
    title: &str,
    categories: &[CategoryAmount],
) -> io::Result<()> {
    let categories: Vec<_> = categories.iter().filter(|c| c.files > 0).collect();
    if categories.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n{title}")?;
    let max = categories.iter().map(|c| c.bytes).max().unwrap_or(0);
    for c in categories {
        writeln!(
            out,
            "  {:<24}{:>10} {:<5}{:>11} {}",
            c.label,
            count(c.files),
            noun(c.files, "file", "files"),
            size(c.bytes),
            bar(c.bytes, max)
        )?;
    }
    Ok(())
}

/// The proposal: with a transfer narrower than the context, rules that shrink the build
/// first with both amounts, then the hygiene rules (they only guard a later `COPY . .`).
fn render_proposal(
    report: &ScanReport,
    style: Style,
    layout: Layout,
    out: &mut impl Write,
) -> io::Result<()> {
    let proposal = &report.proposal;
    let two_views = report.transfer.as_ref().is_some_and(|t| !t.whole_context);
    writeln!(out, "\n{}", style.bold("Proposed .dockerignore rules (what each removes alone)"))?;
    if proposal.rules.is_empty() {
        writeln!(out, "  none: no template rule would remove anything")?;
    }
    let patterns = proposal.rules.iter().map(|r| &r.pattern[..]);
    let at_80 = if two_views { PATTERN_TWO_VIEWS } else { PATTERN_ONE_VIEW };
    let pattern_width = layout.padded(at_80, patterns);
    if two_views && !proposal.rules.is_empty() {
        writeln!(
            out,
            "  {:<pattern_width$}{:>18}{:>18}",
            "", "from the transfer", "from the context"
        )?;
    }
    let mut hygiene_shown = false;
    for rule in &proposal.rules {
        if two_views && !rule.shrinks_transfer() && !hygiene_shown {
            hygiene_shown = true;
            wrapped(
                out,
                layout,
                " ",
                "Hygiene: nothing this build sends, but a later `COPY . .` would:",
                2,
            )?;
        }
        render_proposed_rule(rule, two_views, pattern_width, out)?;
    }
    render_proposal_summary(report, two_views, layout, out)?;
    render_dropped(report, style, layout, out)
}

/// One proposed rule: what it removes from the context, and from the transfer when that is
/// narrower.
fn render_proposed_rule(
    rule: &crate::scan::proposal::ProposedRule,
    two_views: bool,
    pattern_width: usize,
    out: &mut impl Write,
) -> io::Result<()> {
    let pattern = pad(&fit(&rule.pattern, pattern_width), pattern_width);
    if two_views {
        writeln!(
            out,
            "  {pattern}{:>7}{:>11}{:>7}{:>11}  {}",
            count(rule.removes_transfer.files),
            size(rule.removes_transfer.bytes),
            count(rule.removes.files),
            size(rule.removes.bytes),
            rule.template
        )
    } else {
        writeln!(
            out,
            "  {pattern}{:>10} {:<5}{:>11}  {}",
            count(rule.removes.files),
            noun(rule.removes.files, "file", "files"),
            size(rule.removes.bytes),
            rule.template
        )
    }
}

/// What the context (and the transfer) would be with every proposed rule.
fn render_proposal_summary(
    report: &ScanReport,
    two_views: bool,
    layout: Layout,
    out: &mut impl Write,
) -> io::Result<()> {
    let proposal = &report.proposal;
    if proposal.rules.is_empty() {
        return Ok(());
    }
    let context = format!(
        "{}, {} (saves {}, {:.1}%)",
        files(proposal.after.files),
        size(proposal.after.bytes),
        size(proposal.saving_bytes),
        proposal.saving_percent
    );
    let summary = if two_views {
        format!(
            "docker build sends {}, {} (saves {}, {:.1}%); `COPY . .` would ship {context}. \
             `ctxsize init` appends them to the ignore file.",
            files(proposal.transfer_after.files),
            size(proposal.transfer_after.bytes),
            size(proposal.transfer_saving_bytes),
            proposal.transfer_saving_percent
        )
    } else {
        format!("{context}; `ctxsize init` appends them to the ignore file.")
    };
    wrapped(out, layout, "  With them:", &summary, 4)
}

/// The rules that would save something but are not proposed, and why.
fn render_dropped(
    report: &ScanReport,
    style: Style,
    layout: Layout,
    out: &mut impl Write,
) -> io::Result<()> {
    for dropped in &report.proposal.dropped {
        // The path in the way, unless it is the rule itself (a build-output place).
        let in_the_way = &dropped.needed_path;
        let path = if in_the_way.is_empty() || in_the_way.as_bytes() == dropped.pattern.as_bytes() {
            String::new()
        } else {
            format!(": {}", fit(&shown(in_the_way), layout.path(DROPPED_PATH)))
        };
        let text = format!(
            "{} would save {}, but {}{path}",
            dropped.pattern,
            size(dropped.removes.bytes),
            dropped.reason,
        );
        wrapped(out, layout, &format!("  {}", style.yellow("not proposed:")), &text, 4)?;
    }
    Ok(())
}

/// What each `COPY`/`ADD`/`RUN --mount` takes from the context, and what the build
/// transfers in all.
fn render_instructions(
    report: &ScanReport,
    style: Style,
    layout: Layout,
    out: &mut impl Write,
) -> io::Result<()> {
    if report.instructions.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n{}", style.bold("What the Dockerfile takes from the context"))?;
    // `COPY`, `ADD` or `RUN --mount`: one column as wide as the widest.
    let width = report.instructions.iter().map(|i| i.instruction.len()).max().unwrap_or(0);
    let source_width = layout.padded(SOURCE, report.instructions.iter().map(|i| &i.source[..]));
    for i in &report.instructions {
        let unused = if i.needed { "" } else { " (stage not built)" };
        writeln!(
            out,
            "  line {:<4} {:<width$} {}{:>10} {:<5}{:>11}{unused}",
            i.line,
            i.instruction,
            pad(&fit(&i.source, source_width), source_width),
            count(i.files),
            noun(i.files, "file", "files"),
            size(i.bytes)
        )?;
        if !i.unresolved.is_empty() {
            // Under the source column: `  line `, the number, the instruction.
            let indent = 13 + width;
            let note = unresolved_note(&i.unresolved);
            wrapped(out, layout, &" ".repeat(indent - 1), &note, indent)?;
        }
    }
    if let Some(transfer) = &report.transfer {
        let how = if transfer.whole_context {
            "the whole filtered context (a source is the context root)"
        } else {
            "only the paths its sources name, filtered by the ignore file"
        };
        let text =
            format!("{}: {}, {}", how, files(transfer.amount.files), size(transfer.amount.bytes));
        wrapped(out, layout, "  docker build transfers", &text, 4)?;
    }
    Ok(())
}

/// The ignore file's findings worth a warning (`ctxsize lint` has them all).
fn render_findings(
    report: &ScanReport,
    style: Style,
    layout: Layout,
    out: &mut impl Write,
) -> io::Result<()> {
    let findings: Vec<_> =
        report.lint.iter().filter(|f| f.severity >= crate::lint::Severity::Warning).collect();
    if findings.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n{}", style.bold("Ignore file findings (see `ctxsize lint`)"))?;
    let file = report.ignore_file.as_ref().map_or(".dockerignore".into(), given);
    for finding in findings {
        let at = format!("  {}:{}:", fit(&file, layout.path(LINT_FILE)), finding.line);
        let message = one_line(&format!("[{}] {}", finding.name, finding.message), 300);
        wrapped(out, layout, &at, &message, 4)?;
    }
    Ok(())
}

/// The warnings, each with its first few paths.
fn render_warnings(
    report: &ScanReport,
    style: Style,
    layout: Layout,
    out: &mut impl Write,
) -> io::Result<()> {
    if report.warnings.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n{}", style.bold("Warnings"))?;
    for warning in &report.warnings {
        let message = one_line(&warning.message, 400);
        wrapped(out, layout, &format!("  {}", style.red("!")), &message, 4)?;
        for path in warning.paths.iter().take(WARNING_PATHS_SHOWN) {
            writeln!(out, "      {}", fit(&shown(path), layout.path(WARNING_PATH)))?;
        }
        if warning.paths.len() > WARNING_PATHS_SHOWN {
            let more = warning.paths.len() - WARNING_PATHS_SHOWN;
            writeln!(out, "      … and {more} more (see --json)")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every table row says `1 file`, not `1 files`, and its columns stay where they were.
    #[test]
    fn table_rows_agree_with_their_counts_and_stay_aligned() {
        use crate::scan::categories::Category;
        let category = |label: &'static str, files: u64| CategoryAmount {
            category: Category::Other,
            label,
            files,
            bytes: 1000,
            examples: Vec::new(),
            allowed: Default::default(),
        };
        let mut out = Vec::new();
        render_categories(&mut out, "T", &[category("one", 1), category("two", 2)]).unwrap();
        let text = String::from_utf8(out).unwrap();
        let rows: Vec<&str> = text.lines().skip(2).collect();
        assert!(rows[0].contains(" 1 file "), "{text}");
        assert!(!rows[0].contains("1 files"), "{text}");
        assert!(rows[1].contains(" 2 files "), "{text}");
        let size_end = |row: &str| row.find("1 kB").map(|at| at + "1 kB".len());
        assert_eq!(size_end(rows[0]), size_end(rows[1]), "{text}");
        assert!(size_end(rows[0]).is_some(), "{text}");
    }

    #[test]
    fn bars_are_proportional() {
        assert_eq!(bar(10, 10).chars().filter(|&c| c == '█').count(), BAR_WIDTH);
        assert_eq!(bar(5, 10).chars().filter(|&c| c == '█').count(), BAR_WIDTH / 2);
        assert_eq!(bar(1, 1000).chars().filter(|&c| c == '█').count(), 1);
        assert_eq!(bar(0, 1000).chars().filter(|&c| c == '█').count(), 0);
    }
}
