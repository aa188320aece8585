//! `ctxsize check`: the pre-build gate. Exit 0 within every limit, 1 on a violation, 2 on
//! an error: an ignore file BuildKit would reject or a directory it cannot read (`docker
//! build` fails there, so the check must not pass), or a walk that could not see everything.
//! A file that cannot be read is only a warning: it arrives empty and the build goes on.

use anyhow::Context as _;

use crate::Outcome;
use crate::check::allow::AllowList;
use crate::check::config::{self, DenyItem, FlagSettings, Format};
use crate::check::{self, LintFinding};
use crate::cli::CheckArgs;
use crate::context::BuildContext;
use crate::output::progress::Walking;
use crate::output::{self, Printer};
use crate::raw_path::RawPath;
use crate::scan::{self, ScanOptions};
use crate::size::parse_size;

pub fn run(args: &CheckArgs, threads: usize, printer: &mut Printer) -> anyhow::Result<Outcome> {
    let flags = FlagSettings {
        max_size: args.max_size.as_deref().map(parse_size).transpose().context("--max-size")?,
        max_files: args.max_files,
        deny: args.deny.as_deref().map(DenyItem::parse_list).transpose().context("--deny")?,
        warn: args.warn.as_deref().map(DenyItem::parse_list).transpose().context("--warn")?,
        format: args.format.as_deref().map(Format::from_name).transpose().context("--format")?,
        whole_context: args.whole_context.then_some(true),
        allow: args.allow.as_deref().map(AllowList::parse_list).transpose().context("--allow")?,
    };
    super::require_dockerfile(args.dockerfile.as_deref())?;
    let file = config::load(&args.context)?;
    let settings = config::resolve(file, flags);
    let context = BuildContext::open(&args.context, args.dockerfile.as_deref(), false)?;
    super::warn_about_inputs(&context);
    // Every limit is about what ships or is sent: the pruned walk of the default options is
    // enough.
    let walking = Walking::start(printer.progress());
    let options = ScanOptions {
        threads,
        build: super::build_settings(&args.build)?,
        progress: walking.counters(),
        allow: settings.allow.clone(),
        ..ScanOptions::default()
    };
    let scanned = scan::scan(&context, &options);
    walking.finish();
    let (report, issues) = scanned.map_err(|error| super::walk_error(&context, error))?;
    let shown = match &context.ignore_file {
        Some(file) => RawPath::from_path(&file.shown),
        None => RawPath::from(".dockerignore"),
    };
    let findings: Vec<LintFinding> =
        report.lint.iter().map(|finding| LintFinding::from_lint(&shown, finding)).collect();
    let verdict = check::evaluate(&report, &findings, &settings);
    output::check::render(settings.format, &verdict, printer.out())?;
    printer.flush()?;
    Ok(if super::report_issues(&issues) {
        Outcome::Error
    } else if verdict.passed() {
        Outcome::Success
    } else {
        Outcome::Failure
    })
}
