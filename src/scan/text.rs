//! The scan report for people: one screen, 80 columns, colour only when asked for.

use std::io::{self, Write};

use super::report::ScanReport;
use crate::output::Style;

/// Width of the proportional bars.
const BAR_WIDTH: usize = 20;

/// Bytes in the SI convention every size in ctxsize uses (so a `200MB` limit reads alike).
pub fn size(bytes: u64) -> String {
    crate::size::format_size(bytes)
}

/// A number of files in prose: `1 file`, `1,204 files`.
pub fn files(n: u64) -> String {
    counted(n, "file", "files")
}

/// A count with its noun, which agrees with it: `1 rule`, `2 rules`, `1,204 paths`.
pub fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", count(n), noun(n, one, many))
}

/// `one` for 1, `many` for any other number.
pub fn noun<'a>(n: u64, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Shortens a path to `width` columns, keeping its end (the most telling part).
fn fit(path: &str, width: usize) -> String {
    let chars: Vec<char> = path.chars().collect();
    if chars.len() <= width {
        return path.to_owned();
    }
    let tail: String = chars[chars.len() - (width - 1)..].iter().collect();
    format!("…{tail}")
}

/// Says that a source's variables have no value, so the source stands for any text there
/// (`$VERSION` of an `ARG` without default nor `--build-arg`, an image's `ENV`…).
fn unresolved_note(names: &[String]) -> String {
    let names: Vec<String> = names.iter().map(|name| format!("${name}")).collect();
    format!("(no known value for {}: any text matches)", names.join(", "))
}

/// Width the report fits in.
const WIDTH: usize = 80;

/// Writes `text` word-wrapped to [`WIDTH`], the first line after `first`, the others
/// indented by `indent` spaces.
pub(crate) fn wrapped(
    out: &mut impl Write,
    first: &str,
    text: &str,
    indent: usize,
) -> io::Result<()> {
    let mut line = format!("{first} ");
    let mut width = first.chars().count() + 1;
    let mut fresh = true;
    for word in text.split(' ') {
        let len = word.chars().count();
        if !fresh && width + 1 + len > WIDTH {
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

/// A message made safe for one terminal line: control characters escaped, at most `width`
/// characters (a Dockerfile's parse error may quote anything).
fn one_line(message: &str, width: usize) -> String {
    let escaped = crate::output::escape_path(message.as_bytes());
    let chars: Vec<char> = escaped.chars().collect();
    if chars.len() <= width {
        return escaped;
    }
    let head: String = chars[..width - 1].iter().collect();
    format!("{head}…")
}

fn bar(value: u64, max: u64) -> String {
    let filled =
        if max == 0 { 0 } else { (value as u128 * BAR_WIDTH as u128 / max as u128) as usize };
    let filled = filled.max(usize::from(value > 0));
    format!("{}{}", "█".repeat(filled), "·".repeat(BAR_WIDTH - filled))
}

pub fn render(report: &ScanReport, style: Style, out: &mut impl Write) -> io::Result<()> {
    let h = |s: &str| style.bold(s);
    writeln!(out, "{} {}", h("Context   "), fit(&report.context, 68))?;
    let ignore = report.ignore_file.as_deref().unwrap_or("none (everything ships)");
    writeln!(out, "{} {}", h("Ignore    "), fit(ignore, 68))?;
    let dockerfile = report.dockerfile.as_deref().unwrap_or("none found");
    writeln!(out, "{} {}", h("Dockerfile"), fit(dockerfile, 68))?;
    writeln!(out)?;

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
            "Ships:",
            "what `COPY . .` copies; a source is the context root, so docker build sends all \
             of it.",
            2,
        )?,
        Some(_) => wrapped(
            out,
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

    if !report.projects.is_empty() || !report.services.is_empty() {
        writeln!(out)?;
        for project in &report.projects {
            let dir = if project.dir.is_empty() { "." } else { &project.dir };
            let tool = project.tool.map(|t| format!(" ({t})")).unwrap_or_default();
            let evidence = project.evidence.join(", ");
            writeln!(
                out,
                "{} {}{} at {}: {}",
                h("Project"),
                project.kind.name(),
                tool,
                fit(dir, 28),
                fit(&evidence, 30)
            )?;
        }
        for service in &report.services {
            writeln!(out, "{} {}", h("Service"), fit(service, 70))?;
        }
    }

    if !report.heaviest_dirs.is_empty() {
        writeln!(out, "\n{}", h("Heaviest directories (what ships)"))?;
        let max = report.heaviest_dirs.iter().map(|d| d.bytes).max().unwrap_or(0);
        for dir in &report.heaviest_dirs {
            writeln!(
                out,
                "  {:>10} {} {}",
                size(dir.bytes),
                bar(dir.bytes, max),
                fit(&dir.path, 44)
            )?;
        }
    }
    if !report.largest_files.is_empty() {
        writeln!(out, "\n{}", h("Largest files (what ships)"))?;
        for file in &report.largest_files {
            writeln!(out, "  {:>10}  {}", size(file.bytes), fit(&file.path, 64))?;
        }
    }
    render_categories(out, &h("What ships, by kind"), &report.categories)?;

    if let Some(transfer) = report.transfer.as_ref().filter(|t| !t.whole_context) {
        render_categories(out, &h("What docker build sends, by kind"), &transfer.categories)?;
    }

    render_proposal(report, style, out)?;

    if !report.instructions.is_empty() {
        writeln!(out, "\n{}", h("What the Dockerfile takes from the context"))?;
        // `COPY`, `ADD` or `RUN --mount`: one column as wide as the widest.
        let width = report.instructions.iter().map(|i| i.instruction.len()).max().unwrap_or(0);
        for i in &report.instructions {
            let unused = if i.needed { "" } else { " (stage not built)" };
            writeln!(
                out,
                "  line {:<4} {:<width$} {:<28}{:>10} {:<5}{:>11}{unused}",
                i.line,
                i.instruction,
                fit(&i.source, 28),
                count(i.files),
                noun(i.files, "file", "files"),
                size(i.bytes)
            )?;
            if !i.unresolved.is_empty() {
                // Under the source column: `  line `, the number, the instruction.
                let indent = 13 + width;
                wrapped(out, &" ".repeat(indent - 1), &unresolved_note(&i.unresolved), indent)?;
            }
        }
        if let Some(transfer) = &report.transfer {
            let how = if transfer.whole_context {
                "the whole filtered context (a source is the context root)"
            } else {
                "only the paths its sources name, filtered by the ignore file"
            };
            let text = format!(
                "{}: {}, {}",
                how,
                files(transfer.amount.files),
                size(transfer.amount.bytes)
            );
            wrapped(out, "  docker build transfers", &text, 4)?;
        }
    }

    let findings: Vec<_> =
        report.lint.iter().filter(|f| f.severity >= crate::lint::Severity::Warning).collect();
    if !findings.is_empty() {
        writeln!(out, "\n{}", h("Ignore file findings (see `ctxsize lint`)"))?;
        let file = report.ignore_file.as_deref().unwrap_or(".dockerignore");
        for finding in findings {
            let at = format!("  {}:{}:", fit(file, 30), finding.line);
            wrapped(
                out,
                &at,
                &one_line(&format!("[{}] {}", finding.name, finding.message), 300),
                4,
            )?;
        }
    }

    if !report.warnings.is_empty() {
        writeln!(out, "\n{}", h("Warnings"))?;
        for warning in &report.warnings {
            wrapped(out, &format!("  {}", style.red("!")), &one_line(&warning.message, 400), 4)?;
            for path in warning.paths.iter().take(5) {
                writeln!(out, "      {}", fit(path, 70))?;
            }
            if warning.paths.len() > 5 {
                writeln!(out, "      … and {} more (see --json)", warning.paths.len() - 5)?;
            }
        }
    }
    Ok(())
}

/// One bar per category that holds something, under a title.
fn render_categories(
    out: &mut impl Write,
    title: &str,
    categories: &[super::report::CategoryAmount],
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
fn render_proposal(report: &ScanReport, style: Style, out: &mut impl Write) -> io::Result<()> {
    let h = |s: &str| style.bold(s);
    let proposal = &report.proposal;
    let two_views = report.transfer.as_ref().is_some_and(|t| !t.whole_context);
    writeln!(out, "\n{}", h("Proposed .dockerignore rules (what each removes alone)"))?;
    if proposal.rules.is_empty() {
        writeln!(out, "  none: no template rule would remove anything")?;
    }
    if two_views && !proposal.rules.is_empty() {
        writeln!(out, "  {:<30}{:>18}{:>18}", "", "from the transfer", "from the context")?;
    }
    let mut hygiene_shown = false;
    for rule in &proposal.rules {
        if two_views && !rule.shrinks_transfer() && !hygiene_shown {
            hygiene_shown = true;
            wrapped(
                out,
                " ",
                "Hygiene: nothing this build sends, but a later `COPY . .` would:",
                2,
            )?;
        }
        if two_views {
            writeln!(
                out,
                "  {:<30}{:>7}{:>11}{:>7}{:>11}  {}",
                fit(&rule.pattern, 30),
                count(rule.removes_transfer.files),
                size(rule.removes_transfer.bytes),
                count(rule.removes.files),
                size(rule.removes.bytes),
                rule.template
            )?;
        } else {
            writeln!(
                out,
                "  {:<32}{:>10} {:<5}{:>11}  {}",
                fit(&rule.pattern, 32),
                count(rule.removes.files),
                noun(rule.removes.files, "file", "files"),
                size(rule.removes.bytes),
                rule.template
            )?;
        }
    }
    if !proposal.rules.is_empty() {
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
        wrapped(out, "  With them:", &summary, 4)?;
    }
    for dropped in &proposal.dropped {
        // The path in the way, unless it is the rule itself (a build-output place).
        let path = if dropped.needed_path == dropped.pattern {
            String::new()
        } else {
            format!(": {}", fit(&dropped.needed_path, 40))
        };
        let text = format!(
            "{} would save {}, but {}{path}",
            dropped.pattern,
            size(dropped.removes.bytes),
            dropped.reason,
        );
        wrapped(out, &format!("  {}", style.yellow("not proposed:")), &text, 4)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_get_thousands_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
    }

    #[test]
    fn one_file_is_singular() {
        assert_eq!(files(0), "0 files");
        assert_eq!(files(1), "1 file");
        assert_eq!(files(1204), "1,204 files");
        assert_eq!(counted(1, "rule", "rules"), "1 rule");
        assert_eq!(counted(2, "rule", "rules"), "2 rules");
    }

    /// Every table row says `1 file`, not `1 files`, and its columns stay where they were.
    #[test]
    fn table_rows_agree_with_their_counts_and_stay_aligned() {
        use crate::scan::categories::Category;
        use crate::scan::report::CategoryAmount;
        let category = |label: &'static str, files: u64| CategoryAmount {
            category: Category::Other,
            label,
            files,
            bytes: 1000,
            examples: Vec::new(),
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
    fn long_paths_keep_their_end() {
        assert_eq!(fit("short", 10), "short");
        assert_eq!(fit("a/very/long/path/file.txt", 10), "…/file.txt");
    }

    #[test]
    fn wrapping_keeps_lines_within_the_width() {
        let mut out = Vec::new();
        let text = "word ".repeat(60);
        wrapped(&mut out, "  !", text.trim(), 4).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.lines().count() > 3);
        assert!(text.lines().all(|l| l.chars().count() <= WIDTH), "{text}");
        assert!(text.lines().skip(1).all(|l| l.starts_with("    word")), "{text}");
    }

    #[test]
    fn bars_are_proportional() {
        assert_eq!(bar(10, 10).chars().filter(|&c| c == '█').count(), BAR_WIDTH);
        assert_eq!(bar(5, 10).chars().filter(|&c| c == '█').count(), BAR_WIDTH / 2);
        assert_eq!(bar(1, 1000).chars().filter(|&c| c == '█').count(), 1);
        assert_eq!(bar(0, 1000).chars().filter(|&c| c == '█').count(), 0);
    }
}
