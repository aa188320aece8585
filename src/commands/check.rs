//! `ctxsize check`: the pre-build gate. Exit 0 within every limit, 1 on a violation, 2 on
//! an error: an ignore file BuildKit would reject or a directory it cannot read (`docker
//! build` fails there, so the check must not pass), or a walk that could not see everything.
//! A file that cannot be read is only a warning: it arrives empty and the build goes on.

use std::io::{self, BufWriter, Write};

use crate::Outcome;
use crate::check::config::Format;
use crate::check::{self, LintFinding, format};
use crate::config::CheckConfig;
use crate::context::BuildContext;
use crate::scan::{self, ScanOptions};

pub fn run(args: &CheckConfig, threads: usize) -> anyhow::Result<Outcome> {
    let settings = &args.settings;
    let context = BuildContext::open(&args.inputs.context, args.inputs.dockerfile(), false)?;
    super::warn_about_inputs(&context);
    // Every limit is about what ships or is sent: the pruned walk of the default options is
    // enough.
    let options = ScanOptions {
        threads,
        build: args.build.clone(),
        progress: crate::progress::wanted() && settings.format == Format::Text,
        allow: settings.allow.clone(),
        ..ScanOptions::default()
    };
    let (report, issues) =
        scan::scan(&context, &options).map_err(|error| super::walk_error(&context, error))?;
    let shown = context
        .ignore_file
        .as_ref()
        .map(|f| f.shown.display().to_string())
        .unwrap_or_else(|| ".dockerignore".to_owned());
    let findings: Vec<LintFinding> =
        report.lint.iter().map(|finding| LintFinding::from_lint(&shown, finding)).collect();
    let verdict = check::evaluate(&report, &findings, settings);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    format::render(settings.format, &verdict, &mut out)?;
    out.flush()?;
    Ok(if super::report_issues(&issues) {
        Outcome::Error
    } else if verdict.passed() {
        Outcome::Success
    } else {
        Outcome::Failure
    })
}
