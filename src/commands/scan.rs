//! `ctxsize scan`: the main report.

use std::io::{self, BufWriter, Write};

use anyhow::bail;

use crate::Outcome;
use crate::cli::{ColorWhen, ScanArgs};
use crate::context::BuildContext;
use crate::output::{self, Style};
use crate::scan::{self, ScanOptions, text};
use crate::templates::ProjectKind;

pub fn run(args: &ScanArgs, threads: usize, color: ColorWhen) -> anyhow::Result<Outcome> {
    let mut kinds = Vec::new();
    for name in &args.kinds {
        match ProjectKind::from_name(name) {
            Some(kind) => kinds.push(kind),
            None => bail!(
                "unknown project type {name:?} (known: {})",
                ProjectKind::ALL.map(ProjectKind::name).join(", ")
            ),
        }
    }
    let mut build_args = Vec::new();
    for arg in &args.build_args {
        match arg.split_once('=') {
            Some((name, value)) => build_args.push((name.to_owned(), value.to_owned())),
            // `--build-arg NAME` takes the value from the environment, as docker does.
            None => {
                if let Ok(value) = std::env::var(arg) {
                    build_args.push((arg.clone(), value));
                }
            }
        }
    }
    let context = BuildContext::open(&args.context, args.dockerfile.as_deref(), false)?;
    super::warn_about_inputs(&context);
    let options = ScanOptions {
        threads,
        depth: args.depth.max(1),
        top: args.top,
        kinds: (!kinds.is_empty()).then_some(kinds),
        build_args,
        target: args.target.clone(),
        progress: crate::progress::wanted(),
        measure_excluded: true,
        extra_candidates: Vec::new(),
        propose: true,
    };
    let (report, issues) =
        scan::scan(&context, &options).map_err(|error| super::rule_error(&context, error))?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        let style = Style { enabled: output::use_color(color, output::stdout_is_terminal()) };
        text::render(&report, style, &mut out)?;
    }
    out.flush()?;
    Ok(if super::report_issues(&issues) { Outcome::Error } else { Outcome::Success })
}
