//! Build output the Dockerfile rebuilds: `dist`, `build`, `out`, `bin` directories beside a
//! project's manifest, when a stage the image needs runs that project's build.
//!
//! They are not template rules, because the same names are source elsewhere (`build` is a
//! common Java package under `src/`, `bin/` holds scripts in many projects). So the walk
//! measures each name at the three depths where project directories sit (`dist`, `*/dist`,
//! `*/*/dist`) and records the directories each matches; a candidate is proposed only when
//! every directory it matches sits beside a manifest whose ecosystem writes that name, and
//! the Dockerfile runs that ecosystem's build. Otherwise it is listed as not proposed, with
//! its size and the reason.

use crate::detect::Detection;
use crate::dockerfile::BuildRun;
use crate::templates::{ProjectKind, Targets, TemplateRule};
use crate::walk::EntryKind;

/// The template name of build-output candidates.
pub const TEMPLATE: &str = "build-output";

/// The directory names some build writes.
pub const NAMES: [&str; 4] = ["dist", "build", "out", "bin"];

/// The directory names an ecosystem's build writes beside its manifest (`tool` tells Gradle,
/// whose output is `build/`, from Maven, whose `target/` the Java template already covers).
pub fn written_by(kind: ProjectKind, tool: Option<&str>) -> &'static [&'static str] {
    match kind {
        ProjectKind::Node => &["dist", "build", "out"],
        ProjectKind::Python => &["dist", "build"],
        ProjectKind::Go => &["bin", "dist"],
        ProjectKind::Java if tool == Some("gradle") => &["build"],
        _ => &[],
    }
}

/// The candidates: each name at the context root and one or two directories down.
pub fn candidates() -> Vec<TemplateRule> {
    let mut rules = Vec::new();
    for name in NAMES {
        for (depth, prefix) in ["", "*/", "*/*/"].into_iter().enumerate() {
            rules.push(TemplateRule {
                template: TEMPLATE,
                line: depth + 1,
                pattern: format!("{prefix}{name}"),
                reason: String::new(),
                targets: Targets::Local,
            });
        }
    }
    rules
}

/// Whether a directory's name is one of [`NAMES`] (the walk records such directories).
pub fn is_output_name(path: &[u8]) -> bool {
    let name = path.rsplit(|&b| b == b'/').next().unwrap_or(path);
    NAMES.iter().any(|n| n.as_bytes() == name)
}

/// The verdict on one build-output candidate, given the directories it matches.
pub enum Verdict {
    /// Propose it, with this reason.
    Propose(String),
    /// Do not: the path in the way, and why.
    Keep(String, String),
}

/// Decides a candidate named `name` from the entries it matches itself (paths relative to
/// the context, with their kinds), the detected projects and the Dockerfile's build runs.
pub fn decide(
    name: &str,
    hits: &[(Vec<u8>, EntryKind)],
    detections: &[Detection],
    runs: Option<&[BuildRun]>,
) -> Verdict {
    let shown = |p: &[u8]| crate::output::escape_path(p);
    let Some(runs) = runs else {
        let first = hits.first().map_or_else(|| name.to_owned(), |(path, _)| shown(path));
        return Verdict::Keep(first, "no Dockerfile says the image rebuilds it".to_owned());
    };
    let mut reasons: Vec<String> = Vec::new();
    if let Some((file, _)) = hits.iter().find(|(_, kind)| *kind != EntryKind::Dir) {
        return Verdict::Keep(shown(file), "it is a file, not an output directory".to_owned());
    }
    if hits.is_empty() {
        return Verdict::Keep(name.to_owned(), "it matches no directory".to_owned());
    }
    for (dir, _) in hits {
        let parent = match dir.iter().rposition(|&b| b == b'/') {
            Some(slash) => &dir[..slash],
            None => &dir[..0],
        };
        let writers: Vec<&Detection> = detections
            .iter()
            .filter(|d| d.dir.as_bytes() == parent && written_by(d.kind, d.tool).contains(&name))
            .collect();
        if writers.is_empty() {
            return Verdict::Keep(
                shown(dir),
                format!(
                    "no project beside it writes `{name}/` (no manifest of an ecosystem whose \
                     build does in {}): it may be source",
                    if parent.is_empty() { ".".to_owned() } else { shown(parent) }
                ),
            );
        }
        let run = writers
            .iter()
            .find_map(|d| runs.iter().find(|run| run.ecosystem == d.kind).map(|run| (d, run)));
        let Some((project, run)) = run else {
            let kinds: Vec<&str> = writers.iter().map(|d| d.kind.name()).collect();
            return Verdict::Keep(
                shown(dir),
                format!(
                    "the Dockerfile does not rebuild it: no RUN in the stages it builds runs \
                     a {} build",
                    kinds.join(" or ")
                ),
            );
        };
        let at = if project.dir.is_empty() { ".".to_owned() } else { project.dir.clone() };
        let reason = format!(
            "build output of the {} project at {at}: `{}` (line {}) rebuilds it in the image",
            project.kind.name(),
            run.invocation,
            run.line
        );
        if !reasons.contains(&reason) {
            reasons.push(reason);
        }
    }
    Verdict::Propose(reasons.join("; "))
}
