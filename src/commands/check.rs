//! `ctxsize check`: the pre-build gate. Exit 0 within every limit, 1 on a violation, 2 on
//! an error: an ignore file BuildKit would reject or a directory it cannot read (`docker
//! build` fails there, so the check must not pass), or a walk that could not see everything.
//! A file that cannot be read is only a warning: it arrives empty and the build goes on.

use crate::check::{self, LintFinding};
use crate::config::CheckConfig;
use crate::context::BuildContext;
use crate::outcome::Outcome;
use crate::output::progress::Walking;
use crate::output::{self, Printer};
use crate::raw_path::RawPath;
use crate::scan::{self, ScanOptions};

pub fn run(args: &CheckConfig, threads: usize, printer: &mut Printer) -> anyhow::Result<Outcome> {
    let settings = &args.settings;
    let context = BuildContext::open(&args.inputs.context, args.inputs.dockerfile(), false)?;
    super::warn_about_inputs(&context);
    // Every limit is about what ships or is sent: the pruned walk of the default options is
    // enough.
    let walking = Walking::start(printer.progress());
    let options = ScanOptions {
        threads,
        build: args.build.clone(),
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
    let verdict = check::evaluate(&report, &findings, settings);
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
