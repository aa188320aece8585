//! The scan report for people: one screen, as wide as the terminal (80 columns when piped),
//! colour only when asked for.

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

/// The width the report is laid out for when nothing says otherwise; every path column's
/// width below is the one it has at this width.
pub const DEFAULT_WIDTH: usize = 80;

/// The narrowest a path column gets on a terminal narrower than [`DEFAULT_WIDTH`].
const MIN_PATH_WIDTH: usize = 16;

/// How wide the report is: the path columns take what the width has beyond (or short of)
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
    fn path(self, at_80: usize) -> usize {
        Layout::widened(at_80, self.extra())
    }

    /// A padded column of paths (or patterns) with more columns after it: as wide as its
    /// longest entry, between its width at 80 columns and [`Layout::path`], so that a wide
    /// terminal does not push the columns after it far away.
    fn padded<'a>(self, at_80: usize, entries: impl Iterator<Item = &'a str>) -> usize {
        let most = self.path(at_80);
        let longest = entries.map(|e| e.chars().count()).max().unwrap_or(0);
        longest.clamp(at_80.min(most), most)
    }

    /// Two path columns on one line, sharing its extra width.
    fn paths(self, first_at_80: usize, second_at_80: usize) -> (usize, usize) {
        let first = self.extra() / 2;
        let second = self.extra() - first;
        (Layout::widened(first_at_80, first), Layout::widened(second_at_80, second))
    }

    /// The width prose wraps at.
    fn text(self) -> usize {
        self.width.max(MIN_PATH_WIDTH * 2)
    }
}

/// Writes `text` word-wrapped to the layout's width, the first line after `first`, the
/// others indented by `indent` spaces.
pub(crate) fn wrapped(
    out: &mut impl Write,
    layout: Layout,
    first: &str,
    text: &str,
    indent: usize,
) -> io::Result<()> {
    let max = layout.text();
    let mut line = format!("{first} ");
    let mut width = first.chars().count() + 1;
    let mut fresh = true;
    for word in text.split(' ') {
        let len = word.chars().count();
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

pub fn render(
    report: &ScanReport,
    style: Style,
    layout: Layout,
    out: &mut impl Write,
) -> io::Result<()> {
    let h = |s: &str| style.bold(s);
    let header = layout.path(68);
    writeln!(out, "{} {}", h("Context   "), fit(&report.context, header))?;
    let ignore = report.ignore_file.as_deref().unwrap_or("none (everything ships)");
    writeln!(out, "{} {}", h("Ignore    "), fit(ignore, header))?;
    let dockerfile = report.dockerfile.as_deref().unwrap_or("none found");
    writeln!(out, "{} {}", h("Dockerfile"), fit(dockerfile, header))?;
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

    if !report.projects.is_empty() || !report.services.is_empty() {
        writeln!(out)?;
        let (dir_width, evidence_width) = layout.paths(28, 30);
        // A workspace's members are counted on its line, not listed one by one.
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
                layout.width.saturating_sub(head.chars().count()).max(MIN_PATH_WIDTH)
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
            writeln!(out, "{} {}", h("Service"), fit(service, layout.path(70)))?;
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
                fit(&dir.path, layout.path(44))
            )?;
        }
    }
    if !report.largest_files.is_empty() {
        writeln!(out, "\n{}", h("Largest files (what ships)"))?;
        for file in &report.largest_files {
            writeln!(out, "  {:>10}  {}", size(file.bytes), fit(&file.path, layout.path(64)))?;
        }
    }
    render_categories(out, &h("What ships, by kind"), &report.categories)?;

    if let Some(transfer) = report.transfer.as_ref().filter(|t| !t.whole_context) {
        render_categories(out, &h("What docker build sends, by kind"), &transfer.categories)?;
    }

    render_proposal(report, style, layout, out)?;

    if !report.instructions.is_empty() {
        writeln!(out, "\n{}", h("What the Dockerfile takes from the context"))?;
        // `COPY`, `ADD` or `RUN --mount`: one column as wide as the widest.
        let width = report.instructions.iter().map(|i| i.instruction.len()).max().unwrap_or(0);
        let source_width = layout.padded(28, report.instructions.iter().map(|i| &i.source[..]));
        for i in &report.instructions {
            let unused = if i.needed { "" } else { " (stage not built)" };
            writeln!(
                out,
                "  line {:<4} {:<width$} {:<source_width$}{:>10} {:<5}{:>11}{unused}",
                i.line,
                i.instruction,
                fit(&i.source, source_width),
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
            let text = format!(
                "{}: {}, {}",
                how,
                files(transfer.amount.files),
                size(transfer.amount.bytes)
            );
            wrapped(out, layout, "  docker build transfers", &text, 4)?;
        }
    }

    let findings: Vec<_> =
        report.lint.iter().filter(|f| f.severity >= crate::lint::Severity::Warning).collect();
    if !findings.is_empty() {
        writeln!(out, "\n{}", h("Ignore file findings (see `ctxsize lint`)"))?;
        let file = report.ignore_file.as_deref().unwrap_or(".dockerignore");
        for finding in findings {
            let at = format!("  {}:{}:", fit(file, layout.path(30)), finding.line);
            wrapped(
                out,
                layout,
                &at,
                &one_line(&format!("[{}] {}", finding.name, finding.message), 300),
                4,
            )?;
        }
    }

    if !report.warnings.is_empty() {
        writeln!(out, "\n{}", h("Warnings"))?;
        for warning in &report.warnings {
            let message = one_line(&warning.message, 400);
            wrapped(out, layout, &format!("  {}", style.red("!")), &message, 4)?;
            for path in warning.paths.iter().take(5) {
                writeln!(out, "      {}", fit(path, layout.path(70)))?;
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
fn render_proposal(
    report: &ScanReport,
    style: Style,
    layout: Layout,
    out: &mut impl Write,
) -> io::Result<()> {
    let h = |s: &str| style.bold(s);
    let proposal = &report.proposal;
    let two_views = report.transfer.as_ref().is_some_and(|t| !t.whole_context);
    writeln!(out, "\n{}", h("Proposed .dockerignore rules (what each removes alone)"))?;
    if proposal.rules.is_empty() {
        writeln!(out, "  none: no template rule would remove anything")?;
    }
    let patterns = proposal.rules.iter().map(|r| &r.pattern[..]);
    let pattern_width = layout.padded(if two_views { 30 } else { 32 }, patterns);
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
        if two_views {
            writeln!(
                out,
                "  {:<pattern_width$}{:>7}{:>11}{:>7}{:>11}  {}",
                fit(&rule.pattern, pattern_width),
                count(rule.removes_transfer.files),
                size(rule.removes_transfer.bytes),
                count(rule.removes.files),
                size(rule.removes.bytes),
                rule.template
            )?;
        } else {
            writeln!(
                out,
                "  {:<pattern_width$}{:>10} {:<5}{:>11}  {}",
                fit(&rule.pattern, pattern_width),
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
        wrapped(out, layout, "  With them:", &summary, 4)?;
    }
    for dropped in &proposal.dropped {
        // The path in the way, unless it is the rule itself (a build-output place).
        let path = if dropped.needed_path.is_empty() || dropped.needed_path == dropped.pattern {
            String::new()
        } else {
            format!(": {}", fit(&dropped.needed_path, layout.path(40)))
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
    fn long_paths_keep_their_end() {
        assert_eq!(fit("short", 10), "short");
        assert_eq!(fit("a/very/long/path/file.txt", 10), "…/file.txt");
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

    #[test]
    fn bars_are_proportional() {
        assert_eq!(bar(10, 10).chars().filter(|&c| c == '█').count(), BAR_WIDTH);
        assert_eq!(bar(5, 10).chars().filter(|&c| c == '█').count(), BAR_WIDTH / 2);
        assert_eq!(bar(1, 1000).chars().filter(|&c| c == '█').count(), 1);
        assert_eq!(bar(0, 1000).chars().filter(|&c| c == '█').count(), 0);
    }
}
