//! `ctxsize check`: the pre-build gate. Exit 0 within every limit, 1 on a violation, 2 on
//! an error: an ignore file BuildKit would reject or a directory it cannot read (`docker
//! build` fails there, so the check must not pass), or a walk that could not see everything.
//! A file that cannot be read is only a warning: it arrives empty and the build goes on.

use std::io::{self, BufWriter, Write};

use anyhow::Context as _;

use crate::Outcome;
use crate::check::allow::AllowList;
use crate::check::config::{self, DenyItem, FlagSettings, Format};
use crate::check::{self, LintFinding, format};
use crate::cli::CheckArgs;
use crate::context::BuildContext;
use crate::scan::{self, ScanOptions};
use crate::size::parse_size;

pub fn run(args: &CheckArgs, threads: usize) -> anyhow::Result<Outcome> {
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
    let options = ScanOptions {
        threads,
        build: super::build_settings(&args.build)?,
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
    let verdict = check::evaluate(&report, &findings, &settings);
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
