//! `ctxsize scan`: the main report.

use crate::config::ScanConfig;
use crate::context::BuildContext;
use crate::outcome::Outcome;
use crate::output::progress::Walking;
use crate::output::{Printer, scan_text};
use crate::scan::{self, ScanOptions};

pub fn run(args: &ScanConfig, threads: usize, printer: &mut Printer) -> anyhow::Result<Outcome> {
    let context = BuildContext::open(&args.inputs.context, args.inputs.dockerfile(), false)?;
    super::warn_about_inputs(&context);
    let walking = Walking::start(printer.progress());
    let options = ScanOptions {
        threads,
        depth: args.depth,
        top: args.top,
        kinds: args.kinds.clone(),
        build: args.build.clone(),
        progress: walking.counters(),
        measure_excluded: true,
        propose: true,
        ..ScanOptions::default()
    };
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
