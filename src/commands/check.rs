//! `ctxsize check`: the pre-build gate. Exit 0 within every limit, 1 on a violation, 2 on
//! an error: an ignore file BuildKit would reject or a directory it cannot read (`docker
//! build` fails there, so the check must not pass), or a walk that could not see everything.
//! A file that cannot be read is only a warning: it arrives empty and the build goes on.

use crate::builds::run::ScannedBuild;
use crate::check::baseline::{self, Baseline, BuildRecord, single_build_name};
use crate::check::compare::{CompareWith, Comparison};
use crate::check::config::Format;
use crate::check::{self, LintFinding, Verdict};
use crate::config::{BuildsConfig, CheckConfig};
use crate::context::BuildContext;
use crate::escape::escape_path;
use crate::outcome::Outcome;
use crate::output::progress::Walking;
use crate::output::{self, Printer};
use crate::raw_path::RawPath;
use crate::scan::categories::Categorizer;
use crate::scan::{self, ScanOptions};
use std::io::Write as _;

pub fn run(args: &CheckConfig, threads: usize, printer: &mut Printer) -> anyhow::Result<Outcome> {
    if let Some(builds) = &args.builds {
        return run_builds(args, builds, threads, printer);
    }
    let settings = &args.settings;
    let context = BuildContext::open(&args.inputs.context, args.inputs.dockerfile(), false)?;
    let baseline = read_baseline(args)?;
    super::warn_about_inputs(&context);
    let walking = Walking::start(printer.progress());
    let options = check_options(args, threads, &walking);
    let scanned = scan::scan(&context, &options);
    walking.finish();
    let (report, issues) = scanned.map_err(|error| super::walk_error(&context, error))?;
    let shown = match &context.ignore_file {
        Some(file) => RawPath::from_path(&file.shown),
        None => RawPath::from(".dockerignore"),
    };
    let mut verdict = judge(&report, &shown, settings);
    let name = single_build_name(
        report.context.as_path(),
        report.dockerfile.as_ref().map(RawPath::as_path),
    );
    let ignore_content = context.ignore_file.as_ref().map(|file| file.content.as_slice());
    let record = BuildRecord::from_report(&name, &report, ignore_content);
    if let Some(baseline) = &baseline {
        compare(&mut verdict, baseline, &record, settings);
    }
    if let Some(file) = &args.write_baseline {
        write_baseline(file, vec![record], issues.is_empty())?;
    }
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

/// Holds one scan report and its ignore file's lint findings (`shown`: the file as named)
/// against the settings.
fn judge(
    report: &scan::report::ScanReport,
    shown: &RawPath,
    settings: &check::CheckSettings,
) -> Verdict {
    let findings: Vec<LintFinding> =
        report.lint.iter().map(|finding| LintFinding::from_lint(shown, finding)).collect();
    check::evaluate(report, &findings, settings)
}

/// `check --compose/--bake/--all`: every build judged as `check` judges it alone; each
/// violation and warning names its build. Fails (exit 1) when any build fails.
fn run_builds(
    args: &CheckConfig,
    builds: &BuildsConfig,
    threads: usize,
    printer: &mut Printer,
) -> anyhow::Result<Outcome> {
    let settings = &args.settings;
    anyhow::ensure!(
        settings.format != Format::Sarif,
        "--format sarif judges one build: name it with -f and its context, or use --format json"
    );
    let baseline = read_baseline(args)?;
    let scanned = super::scan_every_build(&builds.list, printer, |walking| {
        check_options(args, threads, walking)
    })?;
    let issues = crate::builds::run::issues(&scanned);
    let mut records = Vec::new();
    let mut verdicts: Vec<(&ScannedBuild, Verdict)> = Vec::new();
    for build in &scanned {
        let mut verdict = judge_build(build, settings);
        let ignore_content = build.ignore_file.as_ref().map(|file| file.content.as_slice());
        let record = BuildRecord::from_report(&build.spec.name, &build.report, ignore_content);
        if let Some(baseline) = &baseline {
            compare(&mut verdict, baseline, &record, settings);
            name_the_build(&mut verdict, &build.spec.name);
        }
        records.push(record);
        verdicts.push((build, verdict));
    }
    if let Some(file) = &args.write_baseline {
        write_baseline(file, records, issues.is_empty())?;
    }
    render_verdicts(builds, &verdicts, settings.format, printer)?;
    printer.flush()?;
    Ok(if super::report_issues(&issues) {
        Outcome::Error
    } else if verdicts.iter().all(|(_, verdict)| verdict.passed()) {
        Outcome::Success
    } else {
        Outcome::Failure
    })
}

/// One build's verdict, every violation and warning naming the build.
fn judge_build(build: &ScannedBuild, settings: &check::CheckSettings) -> Verdict {
    let report = &build.report;
    let shown = report
        .ignore_file
        .clone()
        .unwrap_or_else(|| report.context.join_relative(b".dockerignore"));
    let mut verdict = judge(report, &shown, settings);
    name_the_build(&mut verdict, &build.spec.name);
    verdict
}

/// Prefixes `build NAME: ` to every violation and warning that does not name it yet.
fn name_the_build(verdict: &mut Verdict, name: &str) {
    let prefix = format!("build {name}: ");
    for violation in verdict.violations.iter_mut().chain(verdict.warnings.iter_mut()) {
        if !violation.message.starts_with(&prefix) {
            violation.message.insert_str(0, &prefix);
        }
    }
}

/// The baseline `--baseline` (or `--max-growth`) compares with, read before any walk so
/// that a missing or newer file stops the check at once (exit 2); and, with
/// `--write-baseline`, a check that the file can be written, for the same reason.
fn read_baseline(args: &CheckConfig) -> anyhow::Result<Option<Baseline>> {
    if let Some(file) = &args.write_baseline {
        crate::fs::check_writable(file)?;
    }
    let Some(file) = &args.settings.baseline else { return Ok(None) };
    Ok(Some(Baseline::read(file)?))
}

/// Holds a build against its record in the baseline (by name).
fn compare(
    verdict: &mut Verdict,
    baseline: &Baseline,
    now: &BuildRecord,
    settings: &check::CheckSettings,
) {
    let file = settings.baseline.as_deref().map(RawPath::from_path).unwrap_or_default();
    let categorizer = Categorizer::new();
    let with = CompareWith {
        file,
        max_growth: settings.max_growth.as_ref(),
        deny: &settings.deny,
        categorizer: &categorizer,
    };
    let comparison = Comparison::new(baseline.build(&now.name), now, verdict.view, &with);
    verdict.add_comparison(comparison);
}

/// Records the builds in the baseline file (keeping the records of other builds it holds),
/// unless the walk missed something (the figures
/// would be lower bounds, and every later check would compare with them).
fn write_baseline(
    file: &std::path::Path,
    records: Vec<BuildRecord>,
    complete: bool,
) -> anyhow::Result<()> {
    anyhow::ensure!(
        complete,
        "{}: not recorded: the walk could not read everything, so its figures are lower bounds",
        file.display()
    );
    let count = records.len() as u64;
    let (baseline, kept) = Baseline::new(records).keeping_others_of(file)?;
    baseline.write(file)?;
    let kept = match kept {
        0 => String::new(),
        n => format!(
            " (kept the record of {} not measured now)",
            crate::numbers::counted(n, "other build", "other builds")
        ),
    };
    eprintln!(
        "ctxsize: recorded {} in {}{kept}",
        crate::numbers::counted(count, "build", "builds"),
        escape_path(file.as_os_str().as_encoded_bytes())
    );
    Ok(())
}

/// Text: each build's verdict under its name, then how many builds failed. JSON: one
/// document holding each build's verdict object. GitHub: every build's annotations.
fn render_verdicts(
    builds: &BuildsConfig,
    verdicts: &[(&ScannedBuild, Verdict)],
    format: Format,
    printer: &mut Printer,
) -> anyhow::Result<()> {
    match format {
        Format::Json => {
            let mut entries = Vec::new();
            for (build, verdict) in verdicts {
                let mut buffer = Vec::new();
                output::check::render(Format::Json, verdict, &mut buffer)?;
                let verdict: serde_json::Value = serde_json::from_slice(&buffer)?;
                entries.push(serde_json::json!({ "name": build.spec.name, "verdict": verdict }));
            }
            let path = RawPath::from_path(&builds.list.path);
            let document = serde_json::json!({
                "schema_version": crate::builds::report::SCHEMA_VERSION,
                "source": { "kind": builds.list.kind, "path": path },
                "builds": entries,
            });
            printer.json(&document)?;
        }
        _ => {
            let out = printer.out();
            for (build, verdict) in verdicts {
                if format == Format::Text {
                    writeln!(out, "── {} ──", escape_path(build.spec.name.as_bytes()))?;
                }
                output::check::render(format, verdict, out)?;
            }
            let failed: Vec<&str> = verdicts
                .iter()
                .filter(|(_, v)| !v.passed())
                .map(|(b, _)| b.spec.name.as_str())
                .collect();
            match failed.as_slice() {
                [] => writeln!(
                    out,
                    "ctxsize check: {} passed",
                    crate::numbers::counted(verdicts.len() as u64, "build", "builds")
                )?,
                names => writeln!(
                    out,
                    "ctxsize check: FAILED — {} of {} builds: {}",
                    names.len(),
                    verdicts.len(),
                    names.join(", ")
                )?,
            }
        }
    }
    Ok(())
}

/// What `check` measures. Every limit is about what ships or is sent: the pruned walk of
/// the default options is enough.
fn check_options(args: &CheckConfig, threads: usize, walking: &Walking) -> ScanOptions {
    let recording = args.settings.baseline.is_some() || args.write_baseline.is_some();
    ScanOptions {
        threads,
        build: args.build.clone(),
        progress: walking.counters(),
        allow: args.settings.allow.clone(),
        // A baseline records (and a comparison reads) where the bytes are.
        directories: recording,
        depth: if recording { baseline::DEPTH } else { ScanOptions::default().depth },
        ..ScanOptions::default()
    }
}
