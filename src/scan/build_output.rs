//! Build output the Dockerfile rebuilds: `dist`, `build`, `out` and `bin` directories beside
//! a project's manifest, when a stage the image needs copies them and runs that project's
//! build.
//!
//! These are not template rules, because the same names are source elsewhere (`build` is a
//! common Java package under `src/`, `bin/` holds scripts in many projects, and a monorepo's
//! other Dockerfiles may copy their own prebuilt `dist/`). So the walk measures every *place*
//! with such a name in the first three levels of the context (`dist`, `apps/api/dist`), and a
//! place is proposed as a rule of its own, anchored where it sits, only when it is a directory
//! beside a manifest whose ecosystem's build writes that name, this build sends it, and a
//! stage that reads the context runs that build. Otherwise it is listed as not proposed, with
//! its size and the reason.

use crate::detect::{self, Detection};
use crate::dockerfile::BuildRun;
use crate::rules::path;
use crate::templates::ProjectKind;

/// The template name of build-output rules.
pub const TEMPLATE: &str = "build-output";

/// The directory names some build writes.
pub const NAMES: [&str; 6] = ["dist", "build", "out", "bin", "target", "obj"];

/// How deep a place may sit: the root and two directories down (`apps/api/dist`).
const MAX_LEVEL: usize = 3;

/// Whether the build of a detected project writes a directory of this name beside its
/// manifest. Java writes `target/` with Maven and `build/` with Gradle, whichever files say
/// so (a project may carry both).
pub fn writes(project: &Detection, name: &str) -> bool {
    let names: &[&str] = match project.kind {
        ProjectKind::Node => &["dist", "build", "out"],
        ProjectKind::Python => &["dist", "build"],
        ProjectKind::Go => &["bin", "dist"],
        ProjectKind::Rust => &["target"],
        ProjectKind::Dotnet => &["bin", "obj", "out"],
        ProjectKind::Java => {
            let has = |markers: &[&str]| {
                project.evidence.iter().any(|path| {
                    let file = path::name(path.as_str());
                    markers.contains(&file)
                })
            };
            return match name {
                "target" => has(&["pom.xml", "mvnw"]),
                "build" => has(&[
                    "build.gradle",
                    "build.gradle.kts",
                    "settings.gradle",
                    "settings.gradle.kts",
                    "gradlew",
                ]),
                _ => false,
            };
        }
        _ => &[],
    };
    names.contains(&name)
}

/// The project beside which a directory sits, whose build writes it (its name), if any.
pub fn writer_of<'d>(dir: &[u8], detections: &'d [Detection]) -> Option<&'d Detection> {
    let (parent, name) = path::split(dir);
    let parent = parent.unwrap_or_default();
    let name = std::str::from_utf8(name).ok()?;
    detections.iter().find(|d| d.dir.as_bytes() == parent && writes(d, name))
}

/// Whether a directory's own name is one of [`NAMES`].
pub fn is_output_name(dir: &[u8]) -> bool {
    is_name(path::name(dir))
}

/// The place named like build output that `path` is or lies below: its first component,
/// in the first [`MAX_LEVEL`] levels, that has one of [`NAMES`]. `None` below installed
/// dependencies or another tool's directory (`node_modules/x/dist` is a package's, never
/// this project's output). Called for every shipped entry, so names are compared by length
/// first and the directories above are looked at only when a place is found.
pub fn place_of(path: &[u8]) -> Option<&[u8]> {
    let mut start = 0;
    for _ in 0..MAX_LEVEL {
        let end = path[start..].iter().position(|&b| b == b'/').map_or(path.len(), |i| start + i);
        if is_name(&path[start..end]) {
            let inside_skipped = path[..start]
                .split(|&b| b == b'/')
                .any(|name| !name.is_empty() && detect::is_skipped_dir(name));
            return (!inside_skipped).then_some(&path[..end]);
        }
        if end == path.len() {
            return None;
        }
        start = end + 1;
    }
    None
}

/// Whether a name is one of [`NAMES`].
fn is_name(name: &[u8]) -> bool {
    matches!(name, b"dist" | b"build" | b"out" | b"bin" | b"target" | b"obj")
}

/// The verdict on one place.
pub enum Verdict {
    /// Propose it, with this reason.
    Propose(String),
    /// Do not, for this reason.
    Keep(String),
}

/// Decides a place (a path relative to the context, named like build output) from the
/// detected projects and the Dockerfile's build runs (`None` without a Dockerfile).
pub fn decide(place: &[u8], detections: &[Detection], runs: Option<&[BuildRun]>) -> Verdict {
    let (parent, name) = path::split(place);
    let parent = parent.unwrap_or_default();
    let name = std::str::from_utf8(name).unwrap_or_default();
    let writers: Vec<&Detection> =
        detections.iter().filter(|d| d.dir.as_bytes() == parent && writes(d, name)).collect();
    if writers.is_empty() {
        return Verdict::Keep(format!(
            "no project in {} has a build that writes `{name}/`: it may be source",
            if parent.is_empty() { ".".to_owned() } else { crate::escape::escape_path(parent) }
        ));
    }
    let Some(runs) = runs else {
        return Verdict::Keep("no Dockerfile says the image rebuilds it".to_owned());
    };
    let run =
        writers.iter().find_map(|d| runs.iter().find(|r| r.ecosystem == d.kind).map(|r| (d, r)));
    let Some((project, run)) = run else {
        let kinds: Vec<&str> = writers.iter().map(|d| d.kind.name()).collect();
        return Verdict::Keep(format!(
            "the Dockerfile does not rebuild it: no RUN in the stages it builds runs a {} build",
            kinds.join(" or ")
        ));
    };
    let at = if project.dir.is_empty() { ".".to_owned() } else { project.dir.clone() };
    Verdict::Propose(format!(
        "build output of the {} project at {at}: `{}` (line {}) rebuilds it in the image",
        project.kind.name(),
        run.invocation,
        run.line
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_sit_in_the_first_three_levels_outside_dependencies() {
        assert_eq!(place_of(b"dist/index.js"), Some(&b"dist"[..]));
        assert_eq!(place_of(b"dist"), Some(&b"dist"[..]));
        assert_eq!(place_of(b"apps/api/dist/a/b.js"), Some(&b"apps/api/dist"[..]));
        assert_eq!(place_of(b"apps/dist/build/x"), Some(&b"apps/dist"[..]), "the outermost");
        assert_eq!(place_of(b"src/main/java/build/Util.java"), None, "four levels down");
        assert_eq!(place_of(b"node_modules/x/dist/a.js"), None);
        assert_eq!(place_of(b"apps/api/src/x.js"), None);
        assert_eq!(place_of(b"distro/x"), None);
    }

    #[test]
    fn the_names_are_the_list() {
        for name in NAMES {
            assert!(is_name(name.as_bytes()), "{name}");
        }
        assert!(!is_name(b"dists") && !is_name(b"") && !is_name(b"Dist"));
    }
}
