//! `ctxsize init`: write the scan's proposal into the ignore file in force, merging safely.
//!
//! Nothing the user wrote is lost: the merge only appends one marked block, skips rules that
//! are already there or that would undo a user's `!` exception, and the write is atomic.
//! Without a terminal and without `--yes`, an existing file is never modified.

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context as _, bail};

use crate::builds::run::ScannedBuild;
use crate::config::{BuildsConfig, InitConfig};
use crate::context::{BuildContext, IgnoreFile};
use crate::gitignore;
use crate::ignorefile::{self, ExceptionCheck, Merged, NewRule};
use crate::numbers::{counted, files, size};
use crate::outcome::Outcome;
use crate::output::Printer;
use crate::output::progress::Walking;
use crate::raw_path::RawPath;
use crate::rules::RuleSet;
use crate::scan::report::ScanReport;
use crate::scan::tally::Amount;
use crate::scan::{self, ScanOptions};
use crate::templates::{Targets, TemplateRule};

/// The template name given to rules converted from `.gitignore`.
const FROM_GITIGNORE: &str = "gitignore";

pub fn run(args: &InitConfig, threads: usize, printer: &mut Printer) -> anyhow::Result<Outcome> {
    if let Some(builds) = &args.builds {
        return run_builds(args, builds, threads, printer);
    }
    let (context, target, existing) = open_ignore_file(args)?;
    let converted = if args.from_gitignore { read_gitignore(&context)? } else { Vec::new() };
    let walking = Walking::start(printer.progress());
    let options = init_options(args, threads, &walking, gitignore_candidates(&converted));
    let scanned = scan::scan(&context, &options);
    walking.finish();
    let (report, issues) = scanned.map_err(|error| super::walk_error(&context, error))?;
    if super::report_issues(&issues) {
        bail!("the context could not be read completely; nothing was written");
    }
    let new_rules = rules_to_add(&report, &converted);
    for dropped in &report.proposal.dropped {
        crate::output::warn(&format!(
            "not adding `{}`: {} ({})",
            dropped.pattern,
            dropped.reason,
            crate::escape::escape_path(dropped.needed_path.as_bytes())
        ));
    }

    // The scan measured each proposed rule against this tree with the file in force: it
    // undoes no exception there (nor the literal path one names), so the merge does not
    // second-guess it with invented paths.
    let merged =
        ignorefile::merge_with(existing.as_deref(), &new_rules, ExceptionCheck::CheckedOnTree);
    for (rule, why) in &merged.skipped {
        crate::output::warn(&format!("not adding `{}`: {why}", rule.pattern));
    }
    let mut out = printer.out();
    let name = target.display().to_string();
    if let Some(outcome) = write_nothing(args, &mut out, &name, existing.as_deref(), &merged)? {
        out.flush()?;
        return Ok(outcome);
    }
    crate::fs::write_atomically(&target, &merged.content)
        .with_context(|| format!("writing {name}"))?;
    let after = measure(&context, target, merged.content.clone(), &options)?;
    writeln!(out, "{name}: added {}", counted(merged.added.len() as u64, "rule", "rules"))?;
    for rule in &merged.added {
        writeln!(out, "  + {}", rule.pattern)?;
    }
    // The proposal was measured with the file about to be written counted in (one file of
    // 0 bytes, sent when the whole context is); "before" is the tree as it was.
    let assumed = u64::from(existing.is_none());
    let without_it = |mut amount: Amount| {
        amount.files -= assumed.min(amount.files);
        amount
    };
    let transfers = report.transfer.as_ref().zip(after.transfer.as_ref());
    if let Some((before, after)) = transfers.filter(|(before, _)| !before.whole_context) {
        before_after(&mut out, "transfer", before.amount, after.amount)?;
    }
    before_after(&mut out, "context", without_it(report.totals.shipped), after.totals.shipped)?;
    out.flush()?;
    Ok(Outcome::Success)
}

/// What `init` measures: the proposal, as if the ignore file it writes already existed (so
/// that a second run adds nothing), with `extra` candidates beside the templates'.
fn init_options(
    args: &InitConfig,
    threads: usize,
    walking: &Walking,
    extra: Vec<TemplateRule>,
) -> ScanOptions {
    ScanOptions {
        threads,
        kinds: args.kinds.clone(),
        build: args.build.clone(),
        progress: walking.counters(),
        extra_candidates: extra,
        propose: true,
        assume_ignore_file: true,
        include_tracked: args.include_tracked,
        ..ScanOptions::default()
    }
}

/// The context, the ignore file init writes (the one in force, else `.dockerignore` at the
/// root) and its content when it exists. Refuses a file it cannot write or that is not
/// UTF-8 text, before anything is walked.
fn open_ignore_file(args: &InitConfig) -> anyhow::Result<(BuildContext, PathBuf, Option<Vec<u8>>)> {
    let context = BuildContext::open(&args.inputs.context, args.inputs.dockerfile(), false)
        .context("the ignore file must be valid before ctxsize adds to it (see `ctxsize lint`)")?;
    super::warn_about_inputs(&context);
    let target = match &context.ignore_file {
        Some(file) => file.shown.clone(),
        None => context.root.join(".dockerignore"),
    };
    crate::fs::check_writable(&target)?;
    let existing = match &context.ignore_file {
        Some(file) => {
            if std::str::from_utf8(&file.content).is_err() {
                bail!("{}: not UTF-8 text; ctxsize leaves it untouched", target.display());
            }
            Some(file.content.clone())
        }
        None => None,
    };
    Ok((context, target, existing))
}

/// The `.gitignore`'s rules as candidates the scan measures like template rules; its `!`
/// exceptions are not candidates: they follow the rules they belong to (see
/// [`rules_to_add`]).
fn gitignore_candidates(converted: &[GitRule]) -> Vec<TemplateRule> {
    converted
        .iter()
        .filter(|c| !c.pattern.starts_with('!'))
        .map(|c| TemplateRule {
            template: FROM_GITIGNORE,
            line: c.line,
            pattern: c.pattern.clone(),
            reason: format!(".gitignore line {}: {}", c.line, c.original),
            // What git ignores is generated or local by definition.
            targets: Targets::Local,
        })
        .collect()
}

/// The proposed rules, then the `.gitignore`'s: those kept keep their order, exceptions
/// included, behind the first of its rules that is kept.
fn rules_to_add(report: &ScanReport, converted: &[GitRule]) -> Vec<NewRule> {
    let proposed = &report.proposal.rules;
    let mut new_rules: Vec<NewRule> = proposed
        .iter()
        .filter(|r| r.template != FROM_GITIGNORE)
        .map(|r| NewRule { pattern: r.pattern.clone(), comment: r.reason.clone() })
        .collect();
    let mut kept_one = false;
    for rule in converted {
        let kept =
            proposed.iter().any(|p| p.template == FROM_GITIGNORE && p.pattern == rule.pattern);
        if kept || (kept_one && rule.pattern.starts_with('!')) {
            kept_one = true;
            new_rules.push(NewRule {
                pattern: rule.pattern.clone(),
                comment: format!("from .gitignore line {}: {}", rule.line, rule.original),
            });
        }
    }
    new_rules
}

/// Prints what is printed instead of writing, and says how the run ends: nothing to add,
/// `--dry-run` (the new file), `--diff`, or an existing file not confirmed (the diff; no
/// terminal to ask on, or the answer was no). `None`: write the file.
fn write_nothing(
    args: &InitConfig,
    out: &mut impl Write,
    name: &str,
    existing: Option<&[u8]>,
    merged: &Merged,
) -> anyhow::Result<Option<Outcome>> {
    if merged.added.is_empty() {
        writeln!(out, "{name}: nothing to add")?;
        return Ok(Some(Outcome::Success));
    }
    let diff = ignorefile::unified_diff(existing.unwrap_or_default(), &merged.content, name);
    if args.dry_run {
        out.write_all(&merged.content)?;
        return Ok(Some(Outcome::Success));
    }
    if args.diff {
        out.write_all(diff.as_bytes())?;
        return Ok(Some(Outcome::Success));
    }
    if existing.is_some() && !args.yes {
        let interactive = io::stdin().is_terminal() && io::stderr().is_terminal();
        out.write_all(diff.as_bytes())?;
        out.flush()?;
        if !interactive {
            crate::output::warn(&format!(
                "{name} was not modified: run on a terminal to confirm, or pass --yes"
            ));
            return Ok(Some(Outcome::Failure));
        }
        let rules = counted(merged.added.len() as u64, "rule", "rules");
        if !confirm(&format!("Append {rules} to {name}?"))? {
            writeln!(out, "{name}: left as it was")?;
            return Ok(Some(Outcome::Failure));
        }
    }
    Ok(None)
}

/// `context before: …`, `context after: …`, `context saving: …` (or `transfer …`).
fn before_after(out: &mut impl Write, view: &str, before: Amount, after: Amount) -> io::Result<()> {
    writeln!(out, "{view} before: {}, {}", files(before.files), size(before.bytes))?;
    writeln!(out, "{view} after:  {}, {}", files(after.files), size(after.bytes))?;
    let saved = before.bytes.saturating_sub(after.bytes);
    let percent = if before.bytes == 0 { 0.0 } else { 100.0 * saved as f64 / before.bytes as f64 };
    writeln!(out, "{view} saving: {} ({percent:.1}%)", size(saved))
}

/// One `.gitignore` rule converted to dockerignore syntax.
struct GitRule {
    line: usize,
    original: String,
    pattern: String,
}

fn read_gitignore(context: &BuildContext) -> anyhow::Result<Vec<GitRule>> {
    let path = context.root.join(".gitignore");
    let text = crate::context::read_regular_file(&path)
        .with_context(|| format!("reading {}", path.display()))?;
    let text = String::from_utf8_lossy(&text);
    let mut rules = Vec::new();
    for converted in gitignore::convert(&text) {
        if let Some(note) = &converted.note {
            crate::output::warn(&format!(".gitignore:{}: {note}", converted.line));
        }
        for pattern in converted.rules {
            rules.push(GitRule {
                line: converted.line,
                original: converted.original.clone(),
                pattern,
            });
        }
    }
    Ok(rules)
}

/// The context and the transfer with the new ignore file: the same (pruned) walk as `ls`.
fn measure(
    context: &BuildContext,
    shown: PathBuf,
    content: Vec<u8>,
    proposed_with: &ScanOptions,
) -> anyhow::Result<ScanReport> {
    let rules = RuleSet::from_ignore_file(&content)
        .map_err(|error| anyhow::anyhow!("{}:{error}", shown.display()))?;
    let written = BuildContext {
        root: context.root.clone(),
        dockerfile: context.dockerfile.clone(),
        ignore_file: Some(IgnoreFile { shown, content }),
        rules,
        passed_over: Vec::new(),
    };
    // The same build (target, arguments, platform), measured only.
    let options = ScanOptions {
        progress: None,
        propose: false,
        extra_candidates: Vec::new(),
        ..proposed_with.clone()
    };
    let (report, _) =
        scan::scan(&written, &options).map_err(|error| super::walk_error(&written, error))?;
    Ok(report)
}

fn confirm(question: &str) -> io::Result<bool> {
    eprint!("{question} [y/N] ");
    io::stderr().flush()?;
    let mut answer = String::new();
    io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes"))
}

/// `init --compose/--bake/--all`: for each ignore file the builds read (or the
/// `.dockerignore` that would be written at a context root), the rules every build reading
/// it proposes: one build's proposal drops a rule its sources need, so a rule kept by all
/// of them breaks none. Each file is merged and written as `init` writes one.
fn run_builds(
    args: &InitConfig,
    builds: &BuildsConfig,
    threads: usize,
    printer: &mut Printer,
) -> anyhow::Result<Outcome> {
    if args.from_gitignore {
        bail!(
            "--from-gitignore converts one context's .gitignore: use it without --compose, --bake or --all"
        );
    }
    let scanned = super::scan_every_build(&builds.list, printer, |walking| {
        init_options(args, threads, walking, Vec::new())
    })?;
    let issues = crate::builds::run::issues(&scanned);
    if super::report_issues(&issues) {
        bail!("a context could not be read completely; nothing was written");
    }
    let groups = ignore_groups(&scanned)?;
    let mut outcome = Outcome::Success;
    let mut out = printer.out();
    for group in &groups {
        let merged = ignorefile::merge_with(
            group.existing.as_deref(),
            &shared_rules(group),
            ExceptionCheck::CheckedOnTree,
        );
        for (rule, why) in &merged.skipped {
            crate::output::warn(&format!("not adding `{}`: {why}", rule.pattern));
        }
        let name = group.target.display().to_string();
        let existing = group.existing.as_deref();
        if let Some(ending) = write_nothing(args, &mut out, &name, existing, &merged)? {
            if ending != Outcome::Success {
                outcome = ending;
            }
            continue;
        }
        crate::fs::write_atomically(&group.target, &merged.content)
            .with_context(|| format!("writing {name}"))?;
        let names: Vec<&str> = group.builds.iter().map(|b| b.spec.name.as_str()).collect();
        let added = counted(merged.added.len() as u64, "rule", "rules");
        writeln!(out, "{name}: added {added} (read by {})", names.join(", "))?;
        for rule in &merged.added {
            writeln!(out, "  + {}", rule.pattern)?;
        }
    }
    out.flush()?;
    Ok(outcome)
}

/// The builds that read one ignore file, and the file.
struct IgnoreGroup<'a> {
    target: PathBuf,
    existing: Option<Vec<u8>>,
    builds: Vec<&'a ScannedBuild>,
}

/// The builds grouped by the ignore file they read, in the order first read. Refuses a
/// file it cannot write or that is not UTF-8 text, before anything is written.
fn ignore_groups(scanned: &[ScannedBuild]) -> anyhow::Result<Vec<IgnoreGroup<'_>>> {
    let mut groups: Vec<IgnoreGroup<'_>> = Vec::new();
    for build in scanned {
        let target = match &build.ignore_file {
            Some(file) => file.shown.clone(),
            // Named as BuildKit's own lookup names it: `.dockerignore` in the context `.`.
            None => RawPath::from_path(&build.spec.context)
                .join_relative(b".dockerignore")
                .as_path()
                .to_owned(),
        };
        if let Some(group) = groups.iter_mut().find(|g| g.target == target) {
            group.builds.push(build);
            continue;
        }
        crate::fs::check_writable(&target)?;
        let existing = build.ignore_file.as_ref().map(|file| file.content.clone());
        if existing.as_deref().is_some_and(|c| std::str::from_utf8(c).is_err()) {
            bail!("{}: not UTF-8 text; ctxsize leaves it untouched", target.display());
        }
        groups.push(IgnoreGroup { target, existing, builds: vec![build] });
    }
    Ok(groups)
}

/// The rules every build of the group proposes, in the first build's order; a rule some
/// build does not propose is named with that build.
fn shared_rules(group: &IgnoreGroup<'_>) -> Vec<NewRule> {
    let proposes = |build: &ScannedBuild, pattern: &str| {
        build.report.proposal.rules.iter().any(|rule| rule.pattern == pattern)
    };
    let mut seen: Vec<&str> = Vec::new();
    let mut shared = Vec::new();
    for build in &group.builds {
        for rule in &build.report.proposal.rules {
            if seen.contains(&rule.pattern.as_str()) {
                continue;
            }
            seen.push(&rule.pattern);
            let refusing: Vec<&str> = group
                .builds
                .iter()
                .filter(|other| !proposes(other, &rule.pattern))
                .map(|other| other.spec.name.as_str())
                .collect();
            if refusing.is_empty() {
                shared
                    .push(NewRule { pattern: rule.pattern.clone(), comment: rule.reason.clone() });
            } else {
                crate::output::warn(&format!(
                    "not adding `{}` to {}: not proposed for {} (a source it needs, or nothing to remove)",
                    rule.pattern,
                    group.target.display(),
                    refusing.join(", ")
                ));
            }
        }
    }
    shared
}
