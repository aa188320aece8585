//! `ctxsize scan`: the main report.

use crate::builds::report::BuildsReport;
use crate::config::{BuildsConfig, ScanConfig};
use crate::context::BuildContext;
use crate::outcome::Outcome;
use crate::output::progress::Walking;
use crate::output::{Printer, builds_text, scan_text};
use crate::scan::{self, ScanOptions};

pub fn run(args: &ScanConfig, threads: usize, printer: &mut Printer) -> anyhow::Result<Outcome> {
    if let Some(builds) = &args.builds {
        return run_builds(args, builds, threads, printer);
    }
    let context = BuildContext::open(&args.inputs.context, args.inputs.dockerfile(), false)?;
    super::warn_about_inputs(&context);
    let walking = Walking::start(printer.progress());
    let options = scan_options(args, threads, &walking);
    let scanned = scan::scan(&context, &options);
    walking.finish();
    let (report, issues) = scanned.map_err(|error| super::walk_error(&context, error))?;
    if args.json {
        printer.json(&report)?;
    } else {
        let (style, layout) = (printer.style(), printer.layout());
        scan_text::render(&report, style, layout, printer.out())?;
    }
    printer.flush()?;
    Ok(if super::report_issues(&issues) { Outcome::Error } else { Outcome::Success })
}

/// `scan --compose/--bake/--all`: every build scanned as `scan` scans it alone, then one
/// table (or each build's full report, with `--service`), or one JSON document. Nothing is
/// printed until every build is scanned, so an error never leaves half a document.
fn run_builds(
    args: &ScanConfig,
    builds: &BuildsConfig,
    threads: usize,
    printer: &mut Printer,
) -> anyhow::Result<Outcome> {
    let scanned = super::scan_every_build(&builds.list, printer, |walking| {
        scan_options(args, threads, walking)
    })?;
    let issues = crate::builds::run::issues(&scanned);
    let report = BuildsReport::new(&builds.list, scanned);
    if args.json {
        printer.json(&report)?;
    } else if builds.narrowed {
        let (style, layout) = (printer.style(), printer.layout());
        builds_text::render_each(&report, style, layout, printer.out())?;
    } else {
        let style = printer.style();
        builds_text::render(&report, style, printer.out())?;
    }
    printer.flush()?;
    Ok(if super::report_issues(&issues) { Outcome::Error } else { Outcome::Success })
}

/// What `scan` measures: everything, excluded directories too, with a proposal.
fn scan_options(args: &ScanConfig, threads: usize, walking: &Walking) -> ScanOptions {
    ScanOptions {
        threads,
        depth: args.depth,
        top: args.top,
        kinds: args.kinds.clone(),
        build: args.build.clone(),
        progress: walking.counters(),
        measure_excluded: true,
        propose: true,
        ..ScanOptions::default()
    }
}
