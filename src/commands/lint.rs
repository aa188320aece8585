//! `ctxsize lint`: findings on the ignore file in force.

use serde::Serialize;

use crate::config::LintConfig;
use crate::context::BuildContext;
use crate::context::find_ignore_file;
use crate::lint::{Finding, Severity};
use crate::outcome::Outcome;
use crate::output::Printer;
use crate::output::progress::Walking;
use crate::raw_path::RawPath;
use crate::scan::{self, ScanOptions};

/// Version of the `lint --json` output.
/// 2: `ignore_file` is an exact path (a string, or `{"bytes": base64}` for a name that is
/// not UTF-8), where 1 showed invalid bytes as U+FFFD.
const SCHEMA_VERSION: u32 = 2;

#[derive(Serialize)]
struct Report<'a> {
    schema_version: u32,
    ignore_file: Option<RawPath>,
    findings: &'a [Finding],
}

/// All findings, the tree-based ones included, from one scan walk.
fn tree_findings(
    args: &LintConfig,
    threads: usize,
    progress: bool,
) -> anyhow::Result<Vec<Finding>> {
    let context = BuildContext::open(&args.inputs.context, args.inputs.dockerfile(), false)?;
    // Walking into pruned directories tells "matches nothing" from "matches only there".
    let walking = Walking::start(progress);
    let options = ScanOptions {
        threads,
        progress: walking.counters(),
        measure_excluded: true,
        ..ScanOptions::default()
    };
    let scanned = scan::scan(&context, &options);
    walking.finish();
    let (report, issues) = scanned.map_err(|error| super::walk_error(&context, error))?;
    if super::report_issues(&issues) {
        crate::output::warn("the tree-based findings are incomplete");
    }
    Ok(report.lint)
}

pub fn run(args: &LintConfig, threads: usize, printer: &mut Printer) -> anyhow::Result<Outcome> {
    let (file, passed_over) = find_ignore_file(&args.inputs.context, args.inputs.dockerfile());
    super::warn_passed_over(&passed_over);
    let findings = match &file {
        None => Vec::new(),
        Some(f) => match crate::rules::RuleSet::from_ignore_file(&f.content) {
            Err(error) => vec![crate::lint::rejected(&error)],
            // The rules compile: the tree-based checks need the walk.
            Ok(_) => tree_findings(args, threads, printer.progress())?,
        },
    };
    let ignore_file = file.as_ref().map(|f| RawPath::from_path(&f.shown));
    if args.json {
        let report = Report { schema_version: SCHEMA_VERSION, ignore_file, findings: &findings };
        printer.json(&report)?;
    } else {
        crate::output::lint_text::render(printer.out(), ignore_file.as_ref(), &findings)?;
    }
    printer.flush()?;
    let failing = findings.iter().any(|f| f.severity >= Severity::Warning);
    Ok(if failing { Outcome::Failure } else { Outcome::Success })
}
