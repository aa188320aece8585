//! `ctxsize scan`: the main report.

use std::io::{self, BufWriter, Write};

use crate::Outcome;
use crate::cli::ColorWhen;
use crate::config::ScanConfig;
use crate::context::BuildContext;
use crate::output::{self, Style};
use crate::scan::{self, ScanOptions, text};

pub fn run(args: &ScanConfig, threads: usize, color: ColorWhen) -> anyhow::Result<Outcome> {
    let context = BuildContext::open(&args.inputs.context, args.inputs.dockerfile(), false)?;
    super::warn_about_inputs(&context);
    let options = ScanOptions {
        threads,
        depth: args.depth,
        top: args.top,
        kinds: args.kinds.clone(),
        build: args.build.clone(),
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
