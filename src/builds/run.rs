//! Running every build of a list: each scanned as `ctxsize scan -f DOCKERFILE --target T
//! --build-arg …` scans it alone, so that its report is the single-build report, byte for
//! byte.
//!
//! Builds run one after the other, one walk each. Builds that share a context could share
//! one walk (every Dockerfile's sources probed in the same pass); [`scan_builds`] is the one
//! place that would change, since callers only see one report per build.

use std::path::Path;

use anyhow::Context as _;

use super::{BuildList, BuildSpec};
use crate::context::{BuildContext, ContextError, PassedOver};
use crate::scan::ScanOptions;
use crate::scan::report::ScanReport;
use crate::walk::{WalkError, WalkIssue};

/// One build of a list and its single-build scan.
#[derive(Debug)]
pub struct ScannedBuild {
    pub spec: BuildSpec,
    pub report: ScanReport,
    /// What the walk could not read: the build's totals are lower bounds.
    pub issues: Vec<WalkIssue>,
    /// Ignore files that exist but that BuildKit passes over for this build.
    pub passed_over: Vec<PassedOver>,
}

/// Says why a walk failed, in the words of the commands (the ignore file's name, the
/// directory BuildKit cannot read).
pub type WalkErrorText<'a> = &'a dyn Fn(&BuildContext, WalkError) -> ContextError;

/// Scans every build of `list` with `options` (its target, build arguments and inline
/// Dockerfile replace those of `options.build`). Fails on the first build that cannot be
/// scanned (a missing context, an ignore file BuildKit rejects), naming the list's file and
/// the build, so that nothing is printed for a list that cannot be measured whole.
pub fn scan_builds(
    list: &BuildList,
    options: &ScanOptions,
    walk_error: WalkErrorText<'_>,
) -> anyhow::Result<Vec<ScannedBuild>> {
    list.builds
        .iter()
        .map(|spec| {
            scan_one(spec, options, walk_error)
                .with_context(|| format!("{}: build {}", list.path.display(), spec.name))
        })
        .collect()
}

/// The scan `ctxsize scan` runs for this build alone.
fn scan_one(
    spec: &BuildSpec,
    options: &ScanOptions,
    walk_error: WalkErrorText<'_>,
) -> anyhow::Result<ScannedBuild> {
    // An inline Dockerfile is sent as `-f -` sends one: no `<Dockerfile>.dockerignore`
    // beside it, only the context's `.dockerignore`.
    let dockerfile = match (&spec.dockerfile_inline, &spec.dockerfile) {
        (Some(_), _) => Some(Path::new("-")),
        (None, dockerfile) => dockerfile.as_deref(),
    };
    if let Some(path) = dockerfile.filter(|p| *p != Path::new("-")) {
        std::fs::metadata(path).with_context(|| format!("the Dockerfile {}", path.display()))?;
    }
    let context = BuildContext::open(&spec.context, dockerfile, false)?;
    let mut options = options.clone();
    options.build.target = spec.target.clone();
    options.build.build_args = spec.args.clone();
    options.build.dockerfile_inline = spec.dockerfile_inline.clone();
    let (report, issues) =
        crate::scan::scan(&context, &options).map_err(|error| walk_error(&context, error))?;
    Ok(ScannedBuild { spec: spec.clone(), report, issues, passed_over: context.passed_over })
}

/// The builds named by `names` (Compose services, Bake targets, discovered Dockerfiles),
/// in the list's order; all of them when `names` is empty. A name the list does not have
/// is an error that lists the names it has.
pub fn select(mut list: BuildList, names: &[String]) -> anyhow::Result<BuildList> {
    if names.is_empty() {
        return Ok(list);
    }
    for name in names {
        if !list.builds.iter().any(|b| &b.name == name) {
            let known: Vec<&str> = list.builds.iter().map(|b| b.name.as_str()).collect();
            anyhow::bail!(
                "{}: no build named {name:?} (builds: {})",
                list.path.display(),
                known.join(", ")
            );
        }
    }
    list.builds.retain(|b| names.contains(&b.name));
    Ok(list)
}
