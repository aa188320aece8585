//! One module per subcommand; each returns an [`Outcome`](crate::Outcome).

pub mod check;
pub mod docs;
pub mod init;
pub mod install_plugin;
pub mod lint;
pub mod ls;
pub mod scan;
pub mod why;

use std::io::{self, Write};

use crate::context::{BuildContext, ContextError};
use crate::output::Printer;
use crate::output::progress::Walking;
use crate::rules::RuleError;
use crate::walk::{self, Entry, EntryList, WalkError, WalkIssue, WalkOptions, Walked};

/// Attaches the ignore file's name to an error found while walking.
pub(crate) fn rule_error(context: &BuildContext, error: RuleError) -> ContextError {
    let file = context.ignore_file.as_ref().map(|f| f.shown.clone()).unwrap_or_default();
    ContextError::Rules { file, error }
}

/// Says why a walk failed: what makes `docker build` fail on this context.
pub(crate) fn walk_error(context: &BuildContext, error: WalkError) -> ContextError {
    match error {
        WalkError::Rules(error) => rule_error(context, error),
        WalkError::UnreadableDir { path, more } => {
            use std::os::unix::ffi::OsStrExt;
            ContextError::UnreadableDir {
                path: context.root.join(std::ffi::OsStr::from_bytes(&path)),
                relative: if path.is_empty() {
                    ".".to_owned()
                } else {
                    crate::escape::escape_path(&path)
                },
                more,
            }
        }
    }
}

/// Every entry of the context with its fate, sorted by path, as `ls` and `why` list them
/// (excluded directories with a listed descendant count as listed); the spinner runs when
/// the printer allows it.
pub(crate) fn listed_entries(
    context: &BuildContext,
    options: WalkOptions<'_>,
    printer: &Printer,
) -> anyhow::Result<Walked<Vec<Entry>>> {
    let walking = Walking::start(printer.progress());
    let walked = walk::walk(
        context,
        WalkOptions { counters: walking.counters_ref(), ..options },
        &EntryList::default,
    );
    walking.finish();
    let Walked { tally, issues, unreadable_files } =
        walked.map_err(|error| walk_error(context, error))?;
    Ok(Walked { tally: walk::resolve_listing(tally.0), issues, unreadable_files })
}

/// Warns about ignore files that exist but that BuildKit (and so ctxsize) does not read.
pub(crate) fn warn_about_inputs(context: &BuildContext) {
    warn_passed_over(&context.passed_over);
}

/// Every build of a list scanned (see [`crate::builds::run::scan_builds`]) with the options
/// `options` makes from the walk's counters, the spinner running meanwhile; the ignore files
/// each build passes over are named on stderr.
pub(crate) fn scan_every_build(
    list: &crate::builds::BuildList,
    printer: &Printer,
    options: impl FnOnce(&Walking) -> crate::scan::ScanOptions,
) -> anyhow::Result<Vec<crate::builds::run::ScannedBuild>> {
    let walking = Walking::start(printer.progress());
    let options = options(&walking);
    let scanned = crate::builds::run::scan_builds(list, &options, &walk_error);
    walking.finish();
    let scanned = scanned?;
    for build in &scanned {
        warn_passed_over(&build.passed_over);
    }
    Ok(scanned)
}

/// Warns about ignore files that exist but that BuildKit (and so ctxsize) does not read.
pub(crate) fn warn_passed_over(files: &[crate::context::PassedOver]) {
    for file in files {
        crate::output::warn(&format!(
            "{} is not used ({}); BuildKit skips it too",
            file.shown.display(),
            file.reason
        ));
    }
}

/// Warns about files that ship but cannot be read: BuildKit sends each as an empty file and
/// the build goes on, so this is worth saying, not failing for.
pub(crate) fn warn_unreadable_files(root: &std::path::Path, files: &[Box<[u8]>]) {
    use std::os::unix::ffi::OsStrExt;
    for file in files.iter().take(MAX_ISSUES_SHOWN) {
        crate::output::warn(&format!(
            "{}: cannot be read: it arrives empty (BuildKit sends a file it cannot read as an \
             empty file)",
            root.join(std::ffi::OsStr::from_bytes(file)).display()
        ));
    }
    if files.len() > MAX_ISSUES_SHOWN {
        crate::output::warn(&format!(
            "… and {} more files that cannot be read and arrive empty",
            files.len() - MAX_ISSUES_SHOWN
        ));
    }
}

/// The most walk issues printed one by one before they are summarised.
const MAX_ISSUES_SHOWN: usize = 20;

/// Reports what the walk could not see, on stderr; returns whether there was anything.
pub(crate) fn report_issues(issues: &[WalkIssue]) -> bool {
    let stderr = io::stderr();
    let mut err = stderr.lock();
    for issue in issues.iter().take(MAX_ISSUES_SHOWN) {
        let _ = writeln!(err, "ctxsize: {}: {}", issue.path.display(), issue.message);
    }
    if issues.len() > MAX_ISSUES_SHOWN {
        let _ = writeln!(err, "ctxsize: … and {} more", issues.len() - MAX_ISSUES_SHOWN);
    }
    if !issues.is_empty() {
        let _ = writeln!(
            err,
            "ctxsize: the result is incomplete: {} could not be read",
            crate::numbers::counted(issues.len() as u64, "path", "paths")
        );
    }
    !issues.is_empty()
}
