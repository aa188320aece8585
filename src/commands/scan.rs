//! `ctxsize scan`: the main report.

use std::io::{self, BufWriter, Write};

use crate::Outcome;
use crate::cli::{ColorWhen, ScanArgs};
use crate::context::BuildContext;
use crate::output::{self, Style};
use crate::scan::{self, ScanOptions, text};

pub fn run(args: &ScanArgs, threads: usize, color: ColorWhen) -> anyhow::Result<Outcome> {
    super::require_dockerfile(args.dockerfile.as_deref())?;
    let kinds = super::project_kinds(&args.kinds)?;
    let context = BuildContext::open(&args.context, args.dockerfile.as_deref(), false)?;
    super::warn_about_inputs(&context);
    let options = ScanOptions {
        threads,
        depth: args.depth.max(1),
        top: args.top,
        kinds: (!kinds.is_empty()).then_some(kinds),
        build: super::build_settings(&args.build)?,
        progress: crate::progress::wanted(),
        measure_excluded: true,
        propose: true,
        ..ScanOptions::default()
    };
    let (report, issues) =
        scan::scan(&context, &options).map_err(|error| super::walk_error(&context, error))?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        let style = Style { enabled: output::use_color(color, output::stdout_is_terminal()) };
        let layout = text::Layout { width: output::stdout_width() };
        text::render(&report, style, layout, &mut out)?;
    }
    out.flush()?;
    Ok(if super::report_issues(&issues) { Outcome::Error } else { Outcome::Success })
}
