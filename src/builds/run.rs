//! Running every build of a list: each scanned as `ctxsize scan -f DOCKERFILE --target T
//! --build-arg …` scans it alone, so that its report is the single-build report, byte for
//! byte.
//!
//! Builds that share a context directory and its ignore file share one walk: the walk's
//! fates are the same for all of them, and each build's tally sees every entry
//! ([`crate::scan::scan_together`]). Builds that differ there get walks of their own.

use std::path::Path;

use anyhow::Context as _;

use super::{BuildList, BuildSpec};
use crate::context::{BuildContext, ContextError, IgnoreFile, PassedOver};
use crate::scan::report::ScanReport;
use crate::scan::{ScanOptions, scan_together};
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
    /// The ignore file in force, as read.
    pub ignore_file: Option<IgnoreFile>,
}

/// Says why a walk failed, in the words of the commands (the ignore file's name, the
/// directory BuildKit cannot read).
pub type WalkErrorText<'a> = &'a dyn Fn(&BuildContext, WalkError) -> ContextError;

/// Scans every build of `list` with `options` (a build's target replaces that of
/// `options.build`, its arguments come after those, its inline Dockerfile is read). Builds
/// that share a context and its ignore file share one walk ([`scan_together`]); each report
/// is still the single-build one. Fails on the first build that cannot be scanned (a
/// missing context or Dockerfile, an ignore file BuildKit rejects), naming the list's file
/// and the build, so that nothing is printed for a list that cannot be measured whole.
pub fn scan_builds(
    list: &BuildList,
    options: &ScanOptions,
    walk_error: WalkErrorText<'_>,
) -> anyhow::Result<Vec<ScannedBuild>> {
    let named = |spec: &BuildSpec| format!("{}: build {}", list.path.display(), spec.name);
    let prepared: Vec<Prepared> = list
        .builds
        .iter()
        .map(|spec| prepare(spec, options).with_context(|| named(spec)))
        .collect::<anyhow::Result<_>>()?;
    let mut scanned: Vec<Option<ScannedBuild>> = Vec::new();
    scanned.resize_with(prepared.len(), || None);
    for group in walk_groups(&prepared) {
        let builds: Vec<(&BuildContext, &ScanOptions)> =
            group.iter().map(|&k| (&prepared[k].context, &prepared[k].options)).collect();
        let reports = scan_together(&builds).map_err(|error| {
            let first = &prepared[group[0]];
            anyhow::Error::new(walk_error(&first.context, error)).context(named(&first.spec))
        })?;
        for (&k, (report, issues)) in group.iter().zip(reports) {
            scanned[k] = Some(prepared[k].scanned(report, issues));
        }
    }
    Ok(scanned.into_iter().map(|b| b.expect("every build is in a group")).collect())
}

/// A build ready to scan: its context opened with its Dockerfile, and its options.
struct Prepared {
    spec: BuildSpec,
    context: BuildContext,
    options: ScanOptions,
}

impl Prepared {
    fn scanned(&self, report: ScanReport, issues: Vec<WalkIssue>) -> ScannedBuild {
        ScannedBuild {
            spec: self.spec.clone(),
            report,
            issues,
            passed_over: self.context.passed_over.clone(),
            ignore_file: self.context.ignore_file.clone(),
        }
    }
}

/// The builds (by index) that can share one walk: the same context directory and the same
/// ignore file content, hence the same fate for every entry; in the list's order.
fn walk_groups(prepared: &[Prepared]) -> Vec<Vec<usize>> {
    let key = |p: &Prepared| {
        let root = &p.context.root;
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
        (root, p.context.ignore_file.as_ref().map(|f| f.content.clone()))
    };
    let mut groups: Vec<(_, Vec<usize>)> = Vec::new();
    for (k, build) in prepared.iter().enumerate() {
        let key = key(build);
        match groups.iter_mut().find(|(known, _)| *known == key) {
            Some((_, group)) => group.push(k),
            None => groups.push((key, vec![k])),
        }
    }
    groups.into_iter().map(|(_, group)| group).collect()
}

/// The context and options `ctxsize scan` uses for this build alone.
fn prepare(spec: &BuildSpec, options: &ScanOptions) -> anyhow::Result<Prepared> {
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
    // The source's target and arguments win over the command line's, which apply to every
    // build that sets none (discovered Dockerfiles set none at all).
    let mut options = options.clone();
    if spec.target.is_some() {
        options.build.target = spec.target.clone();
    }
    options.build.build_args.extend(spec.args.iter().cloned());
    options.build.dockerfile_inline = spec.dockerfile_inline.clone();
    // The report names the build as it ran: the target and arguments in force.
    let spec = BuildSpec {
        target: options.build.target.clone(),
        args: options.build.build_args.clone(),
        ..spec.clone()
    };
    Ok(Prepared { spec, context, options })
}

/// What the walks of all builds could not read, each path once: builds that share a
/// context meet the same unreadable entries.
pub fn issues(scanned: &[ScannedBuild]) -> Vec<WalkIssue> {
    let mut issues: Vec<WalkIssue> =
        scanned.iter().flat_map(|b| b.issues.iter().cloned()).collect();
    issues.sort_by(|a, b| a.path.cmp(&b.path));
    issues.dedup_by(|a, b| a.path == b.path);
    issues
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

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::builds::SourceKind;
    use crate::raw_path::RawPath;

    fn list(context: &Path, spec: BuildSpec) -> BuildList {
        BuildList {
            kind: SourceKind::Compose,
            path: context.join("compose.yaml"),
            builds: vec![BuildSpec { context: context.to_owned(), ..spec }],
            without_build: vec!["db".into()],
            unsupported: Vec::new(),
        }
    }

    fn spec(name: &str) -> BuildSpec {
        BuildSpec {
            name: name.into(),
            context: PathBuf::new(),
            dockerfile: None,
            dockerfile_inline: None,
            target: None,
            args: Vec::new(),
        }
    }

    fn no_walk_error(context: &BuildContext, error: WalkError) -> ContextError {
        match error {
            WalkError::Rules(error) => ContextError::Rules { file: context.root.clone(), error },
            WalkError::UnreadableDir { .. } => unreachable!("every directory is readable"),
        }
    }

    #[test]
    fn an_inline_dockerfile_is_read_from_its_text_and_the_context_ignore_file_applies() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("app")).unwrap();
        std::fs::write(root.join("app/main.py"), "print(1)\n").unwrap();
        std::fs::write(root.join("app/.env"), "TOKEN=1\n").unwrap();
        std::fs::write(root.join("other.txt"), "x".repeat(1000)).unwrap();
        std::fs::write(root.join(".dockerignore"), "**/.env\n").unwrap();
        // Beside no Dockerfile: an inline one never reads a `<name>.dockerignore`.
        std::fs::write(root.join("Dockerfile.dockerignore"), "app\n").unwrap();
        let inline = BuildSpec {
            dockerfile_inline: Some("FROM python\nARG DIR\nCOPY ${DIR} /app\n".into()),
            args: vec![("DIR".into(), "app".into())],
            ..spec("api")
        };
        let list = list(root, inline);
        let scanned = scan_builds(&list, &ScanOptions::default(), &no_walk_error).unwrap();
        let [build] = scanned.as_slice() else { panic!("one build") };
        let report = &build.report;
        assert_eq!(report.dockerfile, None);
        assert_eq!(report.ignore_file, Some(RawPath::from_path(&root.join(".dockerignore"))));
        let transfer = report.transfer.as_ref().expect("a Dockerfile was read");
        assert_eq!((transfer.amount.files, transfer.amount.bytes), (1, 9));
        assert_eq!(build.spec.args, [("DIR".to_owned(), "app".to_owned())]);
    }

    #[test]
    fn a_missing_context_names_the_file_and_the_build() {
        let dir = tempfile::tempdir().unwrap();
        let missing = BuildSpec { context: dir.path().join("nope"), ..spec("web") };
        let mut list = list(dir.path(), spec("api"));
        list.builds.push(missing);
        let error = scan_builds(&list, &ScanOptions::default(), &no_walk_error).unwrap_err();
        let message = format!("{error:#}");
        assert!(message.contains("compose.yaml: build web: context"), "{message}");
        assert!(message.contains("nope"), "{message}");
    }

    #[test]
    fn select_keeps_the_named_builds_in_order_and_refuses_unknown_names() {
        let dir = tempfile::tempdir().unwrap();
        let mut all = list(dir.path(), spec("api"));
        all.builds.push(spec("web"));
        all.builds.push(spec("worker"));
        let names =
            |list: &BuildList| list.builds.iter().map(|b| b.name.clone()).collect::<Vec<_>>();
        let chosen = select(all.clone(), &["worker".into(), "api".into()]).unwrap();
        assert_eq!(names(&chosen), ["api", "worker"]);
        assert_eq!(names(&select(all.clone(), &[]).unwrap()), ["api", "web", "worker"]);
        let error = select(all, &["db".into()]).unwrap_err().to_string();
        assert!(error.contains("no build named \"db\" (builds: api, web, worker)"), "{error}");
    }
}
