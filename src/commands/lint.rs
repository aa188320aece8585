//! `ctxsize lint`: findings on the ignore file in force.

use std::io::{self, BufWriter, Write};

use serde::Serialize;

use crate::Outcome;
use crate::config::LintConfig;
use crate::context::BuildContext;
use crate::context::find_ignore_file;
use crate::lint::{Finding, Severity};
use crate::scan::{self, ScanOptions};

/// Version of the `lint --json` output.
const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    schema_version: u32,
    ignore_file: Option<String>,
    findings: &'a [Finding],
}

/// All findings, the tree-based ones included, from one scan walk.
fn tree_findings(args: &LintConfig, threads: usize) -> anyhow::Result<Vec<Finding>> {
    let context = BuildContext::open(&args.inputs.context, args.inputs.dockerfile(), false)?;
    // Walking into pruned directories tells "matches nothing" from "matches only there".
    let options = ScanOptions {
        threads,
        progress: crate::progress::wanted() && !args.json,
        measure_excluded: true,
        ..ScanOptions::default()
    };
    let (report, issues) =
        scan::scan(&context, &options).map_err(|error| super::walk_error(&context, error))?;
    if super::report_issues(&issues) {
        crate::output::warn("the tree-based findings are incomplete");
    }
    Ok(report.lint)
}

pub fn run(args: &LintConfig, threads: usize) -> anyhow::Result<Outcome> {
    let (file, passed_over) = find_ignore_file(&args.inputs.context, args.inputs.dockerfile());
    super::warn_passed_over(&passed_over);
    let findings = match &file {
        None => Vec::new(),
        Some(f) => match crate::rules::RuleSet::from_ignore_file(&f.content) {
            Err(error) => vec![crate::lint::rejected(&error)],
            // The rules compile: the tree-based checks need the walk.
            Ok(_) => tree_findings(args, threads)?,
        },
    };
    let shown = file.as_ref().map(|f| f.shown.display().to_string());
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if args.json {
        let report =
            Report { schema_version: SCHEMA_VERSION, ignore_file: shown, findings: &findings };
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        let name = shown.as_deref().unwrap_or(".dockerignore");
        for finding in &findings {
            let severity = match finding.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            };
            writeln!(
                out,
                "{name}:{}: {severity}[{}]: {}",
                finding.line, finding.name, finding.message
            )?;
            writeln!(out, "  fix: {}", finding.fix)?;
        }
        if file.is_none() {
            writeln!(out, "no ignore file: everything in the context ships")?;
        }
    }
    out.flush()?;
    let failing = findings.iter().any(|f| f.severity >= Severity::Warning);
    Ok(if failing { Outcome::Failure } else { Outcome::Success })
}
