//! Which ecosystems a build context holds, decided from the names of marker files
//! (`package.json`, `go.mod`, `*.csproj`, ...).
//!
//! Detection is a pure function over relative paths, so the walk can collect them as it goes:
//! it calls [`is_marker_name`] on each regular file's name and hands the paths that pass to
//! [`detect`]. Each directory with markers of its own is one [`Detection`] per kind, so the
//! services of a monorepo come out separately. Markers inside dependency, VCS, cache or
//! build-output directories (`node_modules`, `.git`, `target`, ...) or test data
//! (`testdata`, `fixtures`, `test/data`) never count: those directories are full of other
//! projects' manifests. [`workspaces`] then groups the members of a workspace (a Cargo
//! workspace's crates) under it, reading at most one file per enclosing project.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::rules::path;
use crate::templates::ProjectKind;

/// One ecosystem found in one directory of the context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Detection {
    pub kind: ProjectKind,
    /// The directory holding the markers, relative to the context, `/`-separated; `""` for
    /// the context root.
    pub dir: String,
    /// The package manager or build tool: `npm`, `yarn`, `yarn-berry`, `pnpm`, `bun`; `pip`,
    /// `poetry`, `pipenv`, `uv`; `maven`, `gradle`; `go`; `cargo`; `bundler`; `composer`;
    /// `dotnet`.
    pub tool: Option<&'static str>,
    /// The marker files that led here, relative to the context, sorted.
    pub evidence: Vec<String>,
}

/// How much one marker file says on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strength {
    /// Makes a detection and names its tool (a lockfile, a build file).
    Decisive,
    /// Makes a detection, but its tool is only a default (`package.json` says npm): when no
    /// stronger marker sits beside it, the tool of the nearest enclosing detection of the same
    /// kind wins (a package of a pnpm workspace is built with pnpm).
    Fallback,
    /// Counts only beside a marker of the same kind that makes a detection: the name is also
    /// used outside the ecosystem (`global.json`, `setup.cfg`), or it only refines the tool
    /// (`.yarnrc.yml`), or it never comes alone (`go.sum`, `Cargo.lock`).
    Supporting,
}

use Strength::{Decisive, Fallback, Supporting};

/// A marker file name, or a glob with one `*`, and what it says.
#[derive(Debug)]
struct Marker {
    name: &'static str,
    kind: ProjectKind,
    tool: &'static str,
    /// Within one kind and directory, the marker with the lowest rank names the tool.
    rank: u8,
    strength: Strength,
}

const NODE: ProjectKind = ProjectKind::Node;
const PYTHON: ProjectKind = ProjectKind::Python;
const GO: ProjectKind = ProjectKind::Go;
const JAVA: ProjectKind = ProjectKind::Java;
const RUST: ProjectKind = ProjectKind::Rust;
const RUBY: ProjectKind = ProjectKind::Ruby;
const PHP: ProjectKind = ProjectKind::Php;
const DOTNET: ProjectKind = ProjectKind::Dotnet;

/// Every marker, sorted bytewise by name (tested). Node ranks follow the lockfile order of
/// package-manager-detector (bun, pnpm, yarn, npm); `.yarnrc.yml` (Yarn 2+ reads only that
/// name) or `.pnp.cjs` turns Yarn into Yarn Berry.
#[rustfmt::skip]
static MARKERS: &[Marker] = &[
    Marker { name: "*.csproj",                 kind: DOTNET, tool: "dotnet",     rank: 0, strength: Decisive },
    Marker { name: "*.fsproj",                 kind: DOTNET, tool: "dotnet",     rank: 0, strength: Decisive },
    Marker { name: "*.sln",                    kind: DOTNET, tool: "dotnet",     rank: 0, strength: Decisive },
    Marker { name: "*.slnx",                   kind: DOTNET, tool: "dotnet",     rank: 0, strength: Decisive },
    Marker { name: "*.vbproj",                 kind: DOTNET, tool: "dotnet",     rank: 0, strength: Decisive },
    Marker { name: ".pnp.cjs",                 kind: NODE,   tool: "yarn-berry", rank: 2, strength: Supporting },
    Marker { name: ".yarnrc.yml",              kind: NODE,   tool: "yarn-berry", rank: 2, strength: Supporting },
    Marker { name: "Cargo.lock",               kind: RUST,   tool: "cargo",      rank: 0, strength: Supporting },
    Marker { name: "Cargo.toml",               kind: RUST,   tool: "cargo",      rank: 0, strength: Decisive },
    Marker { name: "Directory.Build.props",    kind: DOTNET, tool: "dotnet",     rank: 0, strength: Supporting },
    Marker { name: "Directory.Packages.props", kind: DOTNET, tool: "dotnet",     rank: 0, strength: Supporting },
    Marker { name: "Gemfile",                  kind: RUBY,   tool: "bundler",    rank: 0, strength: Decisive },
    Marker { name: "Gemfile.lock",             kind: RUBY,   tool: "bundler",    rank: 0, strength: Supporting },
    Marker { name: "Pipfile",                  kind: PYTHON, tool: "pipenv",     rank: 2, strength: Decisive },
    Marker { name: "Pipfile.lock",             kind: PYTHON, tool: "pipenv",     rank: 2, strength: Decisive },
    Marker { name: "build.gradle",             kind: JAVA,   tool: "gradle",     rank: 2, strength: Decisive },
    Marker { name: "build.gradle.kts",         kind: JAVA,   tool: "gradle",     rank: 2, strength: Decisive },
    Marker { name: "bun.lock",                 kind: NODE,   tool: "bun",        rank: 0, strength: Decisive },
    Marker { name: "bun.lockb",                kind: NODE,   tool: "bun",        rank: 0, strength: Decisive },
    Marker { name: "composer.json",            kind: PHP,    tool: "composer",   rank: 0, strength: Decisive },
    Marker { name: "composer.lock",            kind: PHP,    tool: "composer",   rank: 0, strength: Supporting },
    Marker { name: "global.json",              kind: DOTNET, tool: "dotnet",     rank: 0, strength: Supporting },
    Marker { name: "go.mod",                   kind: GO,     tool: "go",         rank: 0, strength: Decisive },
    Marker { name: "go.sum",                   kind: GO,     tool: "go",         rank: 0, strength: Supporting },
    Marker { name: "go.work",                  kind: GO,     tool: "go",         rank: 0, strength: Decisive },
    Marker { name: "gradlew",                  kind: JAVA,   tool: "gradle",     rank: 3, strength: Decisive },
    Marker { name: "mvnw",                     kind: JAVA,   tool: "maven",      rank: 1, strength: Decisive },
    Marker { name: "npm-shrinkwrap.json",      kind: NODE,   tool: "npm",        rank: 4, strength: Decisive },
    Marker { name: "package-lock.json",        kind: NODE,   tool: "npm",        rank: 4, strength: Decisive },
    Marker { name: "package.json",             kind: NODE,   tool: "npm",        rank: 5, strength: Fallback },
    Marker { name: "pnpm-lock.yaml",           kind: NODE,   tool: "pnpm",       rank: 1, strength: Decisive },
    Marker { name: "pnpm-workspace.yaml",      kind: NODE,   tool: "pnpm",       rank: 1, strength: Decisive },
    Marker { name: "poetry.lock",              kind: PYTHON, tool: "poetry",     rank: 1, strength: Decisive },
    Marker { name: "pom.xml",                  kind: JAVA,   tool: "maven",      rank: 0, strength: Decisive },
    Marker { name: "pyproject.toml",           kind: PYTHON, tool: "pip",        rank: 5, strength: Fallback },
    Marker { name: "requirements*.txt",        kind: PYTHON, tool: "pip",        rank: 3, strength: Decisive },
    Marker { name: "settings.gradle",          kind: JAVA,   tool: "gradle",     rank: 2, strength: Decisive },
    Marker { name: "settings.gradle.kts",      kind: JAVA,   tool: "gradle",     rank: 2, strength: Decisive },
    Marker { name: "setup.cfg",                kind: PYTHON, tool: "pip",        rank: 6, strength: Supporting },
    Marker { name: "setup.py",                 kind: PYTHON, tool: "pip",        rank: 4, strength: Fallback },
    Marker { name: "uv.lock",                  kind: PYTHON, tool: "uv",         rank: 0, strength: Decisive },
    Marker { name: "yarn.lock",                kind: NODE,   tool: "yarn",       rank: 3, strength: Decisive },
];

/// Directories whose markers never count, at any depth, sorted bytewise (tested): installed
/// dependencies, VCS data, caches and generated output, which hold other projects' manifests
/// (`node_modules/*/package.json`, `target/classes/META-INF/maven/*/*/pom.xml`, ...), and test
/// data: Go's `testdata`, which the go tool itself ignores, and the `fixtures` of test suites
/// (`tests/fixtures/*/package.json` is a sample, not a service). See also [`TEST_DATA`].
#[rustfmt::skip]
static SKIPPED_DIRS: &[&str] = &[
    ".cache",
    ".cargo",
    ".eggs",
    ".git",
    ".gradle",
    ".hg",
    ".m2",
    ".next",
    ".nox",
    ".nuxt",
    ".output",
    ".pnpm-store",
    ".svelte-kit",
    ".svn",
    ".terraform",
    ".tox",
    ".venv",
    ".yarn",
    "__fixtures__",
    "__pycache__",
    "__pypackages__",
    "bower_components",
    "dist-packages",
    "fixtures",
    "jspm_packages",
    "node_modules",
    "site-packages",
    "target",
    "testdata",
    "vendor",
    "venv",
];

/// A glob of the table, split at its one `*`: what a name must start with and end with.
type Glob = (&'static [u8], &'static [u8], &'static Marker);

/// The table's globs.
static GLOBS: LazyLock<Vec<Glob>> = LazyLock::new(|| {
    MARKERS
        .iter()
        .filter_map(|m| {
            m.name.split_once('*').map(|(pre, suf)| (pre.as_bytes(), suf.as_bytes(), m))
        })
        .collect()
});

/// The table's names that are not globs, for one lookup per file.
static EXACT: LazyLock<FxHashMap<&'static [u8], &'static Marker>> = LazyLock::new(|| {
    MARKERS.iter().filter(|m| !m.name.contains('*')).map(|m| (m.name.as_bytes(), m)).collect()
});

/// The marker a file name is, if any.
fn marker(file_name: &[u8]) -> Option<&'static Marker> {
    if let Some(&marker) = EXACT.get(file_name) {
        return Some(marker);
    }
    // Every name of the walk comes here: compare the last byte before whole suffixes.
    let last = *file_name.last()?;
    GLOBS.iter().find_map(|&(prefix, suffix, m)| {
        let fits = suffix.last().is_none_or(|&b| b == last)
            && file_name.len() >= prefix.len() + suffix.len()
            && file_name.starts_with(prefix)
            && file_name.ends_with(suffix);
        fits.then_some(m)
    })
}

/// Whether a file name (the last path component, no `/`) is a marker; cheap enough for the
/// walk to call on every file.
pub fn is_marker_name(file_name: &[u8]) -> bool {
    marker(file_name).is_some()
}

/// Test data named by two directories, a test suite's and the one inside it: `data` is too
/// common a name to skip everywhere, but `test/data` holds samples.
const TEST_DATA: &[(&[u8], &[u8])] = &[(b"test", b"data"), (b"tests", b"data")];

/// Whether a relative path lies inside a dependency, VCS or cache directory or test data,
/// where markers never count.
pub fn is_inside_skipped_dir(path: &[u8]) -> bool {
    path::parent(path).is_some_and(is_skipped_path)
}

/// Whether markers in this directory (relative, `/`-separated) never count.
fn is_skipped_path(dir: &[u8]) -> bool {
    let mut parent: &[u8] = b"";
    dir.split(|&b| b == b'/').any(|name| {
        let skipped = is_skipped_dir(name) || TEST_DATA.contains(&(parent, name));
        parent = name;
        skipped
    })
}

/// Whether a directory name is one whose markers never count (`node_modules`, `.git`, …).
pub fn is_skipped_dir(name: &[u8]) -> bool {
    SKIPPED_DIRS.binary_search_by(|skipped| skipped.as_bytes().cmp(name)).is_ok()
}

/// What one directory says about one kind, while collecting.
#[derive(Default)]
struct Found {
    /// The lowest-ranked marker seen, which names the tool.
    best: Option<&'static Marker>,
    /// Whether a marker that makes a detection was seen.
    makes_detection: bool,
    evidence: Vec<String>,
}

/// Detects the projects among the relative paths of the context's regular files
/// (`/`-separated, relative to the context root; paths that are not markers are ignored).
/// Returns one [`Detection`] per directory and kind, sorted by directory (bytewise, so the
/// root comes first and every directory before those below it), then kind.
pub fn detect<'a>(marker_paths: impl IntoIterator<Item = &'a [u8]>) -> Vec<Detection> {
    let mut found: BTreeMap<(&'a [u8], ProjectKind), Found> = BTreeMap::new();
    for path in marker_paths {
        let (dir, file_name) = path::split(path);
        let dir = dir.unwrap_or_default();
        let Some(marker) = marker(file_name) else { continue };
        if is_skipped_path(dir) {
            continue;
        }
        let entry = found.entry((dir, marker.kind)).or_default();
        if entry.best.is_none_or(|best| marker.rank < best.rank) {
            entry.best = Some(marker);
        }
        entry.makes_detection |= marker.strength != Supporting;
        entry.evidence.push(String::from_utf8_lossy(path).into_owned());
    }

    // Directories come before those below them, so an enclosing detection's tool is known
    // by the time a package with only a default marker asks for it.
    let mut tools: BTreeMap<(&[u8], ProjectKind), &'static str> = BTreeMap::new();
    let mut detections = Vec::new();
    for ((dir, kind), mut entry) in found {
        let Some(best) = entry.best.filter(|_| entry.makes_detection) else { continue };
        let inherited = || parents(dir).find_map(|parent| tools.get(&(parent, kind)).copied());
        let tool = match best.strength {
            Fallback => inherited().unwrap_or(best.tool),
            Decisive | Supporting => best.tool,
        };
        tools.insert((dir, kind), tool);
        entry.evidence.sort();
        entry.evidence.dedup();
        detections.push(Detection {
            kind,
            dir: String::from_utf8_lossy(dir).into_owned(),
            tool: Some(tool),
            evidence: entry.evidence,
        });
    }
    detections
}

/// What makes a project a workspace, whose nested projects of the same kind are its members
/// rather than projects of their own.
enum WorkspaceSign {
    /// A marker file beside its others.
    Marker(&'static str),
    /// A marker file that holds this text.
    Holds(&'static str, &'static [u8]),
}

/// Workspace signs by kind: a Cargo workspace's crates, a pnpm, npm or Yarn workspace's
/// packages, a `go.work`'s modules, a multi-project Gradle build, a Maven parent's modules.
/// Within a kind, marker names come first: they need no read.
static WORKSPACE_SIGNS: &[(ProjectKind, WorkspaceSign)] = &[
    (GO, WorkspaceSign::Marker("go.work")),
    (JAVA, WorkspaceSign::Marker("settings.gradle")),
    (JAVA, WorkspaceSign::Marker("settings.gradle.kts")),
    (JAVA, WorkspaceSign::Holds("pom.xml", b"<modules>")),
    (NODE, WorkspaceSign::Marker("pnpm-workspace.yaml")),
    (NODE, WorkspaceSign::Holds("package.json", b"\"workspaces\"")),
    (RUST, WorkspaceSign::Holds("Cargo.toml", b"[workspace]")),
];

/// For each detection, the index of the workspace it is a member of: the nearest enclosing
/// detection of its kind that is a workspace (see [`WORKSPACE_SIGNS`]). `read` gives a
/// marker file's content from its path relative to the context (`None` if unreadable); it is
/// asked only about directories with projects of their kind below them, so a context
/// without nested projects reads nothing.
pub fn workspaces(
    detections: &[Detection],
    read: impl Fn(&str) -> Option<Vec<u8>>,
) -> Vec<Option<usize>> {
    let below = |outer: &Detection, inner: &Detection| {
        outer.kind == inner.kind && path::is_below(&inner.dir, &outer.dir)
    };
    let is_workspace = |d: &Detection| {
        let path = |name: &str| {
            if d.dir.is_empty() { name.to_owned() } else { format!("{}/{name}", d.dir) }
        };
        WORKSPACE_SIGNS.iter().filter(|(kind, _)| *kind == d.kind).any(|(_, sign)| match sign {
            WorkspaceSign::Marker(name) => d.evidence.contains(&path(name)),
            WorkspaceSign::Holds(name, text) => {
                let path = path(name);
                d.evidence.contains(&path)
                    && read(&path).is_some_and(|c| c.windows(text.len()).any(|w| w == *text))
            }
        })
    };
    let roots: FxHashMap<(&str, ProjectKind), usize> = detections
        .iter()
        .enumerate()
        .filter(|(_, d)| detections.iter().any(|inner| below(d, inner)) && is_workspace(d))
        .map(|(i, d)| ((d.dir.as_str(), d.kind), i))
        .collect();
    detections
        .iter()
        .map(|d| {
            parents(d.dir.as_bytes()).find_map(|parent| {
                let parent = std::str::from_utf8(parent).ok()?;
                roots.get(&(parent, d.kind)).copied()
            })
        })
        .collect()
}

/// The directories enclosing `dir`, nearest first, ending with the root (`""`).
fn parents(dir: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = (!dir.is_empty()).then_some(dir);
    std::iter::from_fn(move || {
        let current = rest?;
        let parent = path::parent(current).unwrap_or_default();
        rest = (!parent.is_empty()).then_some(parent);
        Some(parent)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(paths: &[&str]) -> Vec<(String, ProjectKind, &'static str)> {
        detect(paths.iter().map(|p| p.as_bytes()))
            .into_iter()
            .map(|d| (d.dir, d.kind, d.tool.unwrap()))
            .collect()
    }

    fn tool(paths: &[&str]) -> &'static str {
        let detections = run(paths);
        assert_eq!(detections.len(), 1, "{paths:?} gave {detections:?}");
        detections[0].2
    }

    fn entry(
        dir: &str,
        kind: ProjectKind,
        tool: &'static str,
    ) -> (String, ProjectKind, &'static str) {
        (dir.to_owned(), kind, tool)
    }

    #[test]
    fn tables_are_sorted_and_unique() {
        for pair in MARKERS.windows(2) {
            assert!(
                pair[0].name < pair[1].name,
                "MARKERS: {} before {}",
                pair[0].name,
                pair[1].name
            );
        }
        for pair in SKIPPED_DIRS.windows(2) {
            assert!(pair[0] < pair[1], "SKIPPED_DIRS: {} before {}", pair[0], pair[1]);
        }
    }

    #[test]
    fn globs_have_one_star_and_each_name_finds_its_own_entry() {
        for m in MARKERS {
            let stars = m.name.matches('*').count();
            assert!(stars <= 1, "{}: one `*` at most", m.name);
            assert!(!m.name.contains(['?', '[', '/']), "{}: only `*` is supported", m.name);
            let example = m.name.replace('*', "x");
            assert!(
                std::ptr::eq(marker(example.as_bytes()).unwrap(), m),
                "{example} should be found as {}",
                m.name
            );
        }
    }

    #[test]
    fn every_kind_can_be_detected_and_tools_agree_within_a_rank() {
        for kind in ProjectKind::ALL {
            assert!(
                MARKERS.iter().any(|m| m.kind == kind && m.strength != Supporting),
                "{kind:?} has no marker that makes a detection"
            );
        }
        // On a tie the first marker seen would win: ties must not change the outcome.
        for a in MARKERS {
            for b in MARKERS {
                if a.kind == b.kind && a.rank == b.rank {
                    assert_eq!(a.tool, b.tool, "{} and {} tie on rank", a.name, b.name);
                    assert_eq!(
                        a.strength == Fallback,
                        b.strength == Fallback,
                        "{} and {} tie on rank but only one inherits",
                        a.name,
                        b.name
                    );
                }
            }
        }
    }

    #[test]
    fn marker_names() {
        for name in [
            "package.json",
            "go.mod",
            "App.csproj",
            "Lib.fsproj",
            "All.sln",
            "requirements.txt",
            "requirements-dev.txt",
            "Gemfile",
            "composer.json",
            "pom.xml",
            "gradlew",
            "uv.lock",
        ] {
            assert!(is_marker_name(name.as_bytes()), "{name}");
        }
        for name in [
            "",
            "package.json5",
            "Package.json",
            "gemfile",
            "requirements.in",
            "App.csproj.user",
            "README.md",
            "x.sln.bak",
            "go.mod.bak",
            "csproj",
            "Dockerfile",
        ] {
            assert!(!is_marker_name(name.as_bytes()), "{name}");
        }
    }

    #[test]
    fn single_project_with_evidence() {
        let detections = detect(
            ["src/index.js", "package.json", "package-lock.json", "README.md"].map(str::as_bytes),
        );
        assert_eq!(
            detections,
            [Detection {
                kind: ProjectKind::Node,
                dir: String::new(),
                tool: Some("npm"),
                evidence: vec!["package-lock.json".to_owned(), "package.json".to_owned()],
            }]
        );
    }

    #[test]
    fn several_kinds_in_one_directory_sorted_by_kind() {
        let got = run(&["pyproject.toml", "package.json", "go.mod", "Cargo.toml", "Gemfile"]);
        assert_eq!(
            got,
            [
                entry("", ProjectKind::Node, "npm"),
                entry("", ProjectKind::Python, "pip"),
                entry("", ProjectKind::Go, "go"),
                entry("", ProjectKind::Rust, "cargo"),
                entry("", ProjectKind::Ruby, "bundler"),
            ]
        );
    }

    #[test]
    fn monorepo_services_are_separate_and_sorted_by_dir() {
        let got = run(&[
            "services/api/go.mod",
            "services/api/go.sum",
            "package.json",
            "pnpm-workspace.yaml",
            "apps/web/package.json",
            "services/worker/pyproject.toml",
            "services/worker/uv.lock",
            "services/billing/pom.xml",
            "services/billing/mvnw",
            "services/billing/module-a/pom.xml",
        ]);
        assert_eq!(
            got,
            [
                entry("", ProjectKind::Node, "pnpm"),
                // Only package.json: the workspace's tool, not npm.
                entry("apps/web", ProjectKind::Node, "pnpm"),
                entry("services/api", ProjectKind::Go, "go"),
                entry("services/billing", ProjectKind::Java, "maven"),
                entry("services/billing/module-a", ProjectKind::Java, "maven"),
                entry("services/worker", ProjectKind::Python, "uv"),
            ]
        );
    }

    #[test]
    fn markers_inside_dependency_vcs_and_cache_dirs_do_not_count() {
        let got = run(&[
            "node_modules/react/package.json",
            "web/node_modules/lodash/package.json",
            ".venv/lib/python3.12/site-packages/pkg/setup.py",
            "venv/src/x/pyproject.toml",
            "vendor/github.com/x/y/go.mod",
            "vendor/laravel/framework/composer.json",
            ".git/x/package.json",
            "target/classes/META-INF/maven/a/b/pom.xml",
            "lib/site-packages/a/setup.py",
            ".gradle/x/build.gradle",
            ".m2/repository/a/pom.xml",
            "bower_components/x/package.json",
            "cmd/tool/testdata/mod/go.mod",
            ".next/standalone/package.json",
        ]);
        assert_eq!(got, []);
        // The same names outside those directories count.
        let got =
            run(&["node_modules_docs/package.json", "my_vendor/go.mod", "targets/Cargo.toml"]);
        assert_eq!(got.len(), 3, "{got:?}");
    }

    #[test]
    fn test_data_holds_no_projects() {
        let got = run(&[
            "tests/fixtures/app/package.json",
            "spec/fixtures/gem/Gemfile",
            "src/__fixtures__/pkg/package.json",
            "test/data/sample/pyproject.toml",
            "crates/x/tests/data/Cargo.toml",
        ]);
        assert_eq!(got, []);
        let got = run(&["data/go.mod", "test/go.mod", "tests/x/data/Cargo.toml"]);
        assert_eq!(got.len(), 3, "{got:?}");
    }

    #[test]
    fn workspace_members_belong_to_the_nearest_workspace_of_their_kind() {
        let detections = detect(
            [
                "Cargo.toml",
                "Cargo.lock",
                "crates/a/Cargo.toml",
                "crates/b/Cargo.toml",
                "crates/b/web/package.json",
                "tools/nested/Cargo.toml",
                "tools/nested/inner/Cargo.toml",
                "lib/Cargo.toml",
                "lib/sub/Cargo.toml",
            ]
            .map(str::as_bytes),
        );
        let read = |path: &str| match path {
            "Cargo.toml" | "tools/nested/Cargo.toml" => Some(b"[workspace]\n".to_vec()),
            "lib/Cargo.toml" => Some(b"[package]\nname = \"lib\"\n".to_vec()),
            other => panic!("read {other}: only enclosing projects are read"),
        };
        let grouped = workspaces(&detections, read);
        let named: Vec<(&str, Option<&str>)> = detections
            .iter()
            .zip(&grouped)
            .map(|(d, w)| (d.dir.as_str(), w.map(|w| detections[w].dir.as_str())))
            .collect();
        assert_eq!(
            named,
            [
                ("", None),
                ("crates/a", Some("")),
                ("crates/b", Some("")),
                // Not a Rust project: not a member of the Cargo workspace.
                ("crates/b/web", None),
                ("lib", Some("")),
                ("lib/sub", Some("")),
                ("tools/nested", Some("")),
                ("tools/nested/inner", Some("tools/nested")),
            ]
        );
        // Without nested projects, nothing is read.
        let single = detect([b"Cargo.toml".as_slice()]);
        assert_eq!(workspaces(&single, |p| panic!("read {p}")), [None]);
        // Signs that are marker names need no read.
        let pnpm = detect(
            ["package.json", "pnpm-workspace.yaml", "packages/a/package.json"].map(str::as_bytes),
        );
        assert_eq!(workspaces(&pnpm, |p| panic!("read {p}")), [None, Some(0)]);
    }

    #[test]
    fn supporting_markers_alone_detect_nothing() {
        assert_eq!(
            run(&["global.json", "src/setup.cfg", "go.sum", "Cargo.lock", ".yarnrc.yml"]),
            []
        );
        // Beside a marker that makes a detection, they join the evidence.
        let detections = detect(["global.json", "App.sln"].map(str::as_bytes));
        assert_eq!(detections[0].evidence, ["App.sln", "global.json"]);
    }

    #[test]
    fn node_tool_precedence() {
        assert_eq!(tool(&["package.json"]), "npm");
        assert_eq!(tool(&["package.json", "package-lock.json"]), "npm");
        assert_eq!(tool(&["npm-shrinkwrap.json"]), "npm");
        assert_eq!(tool(&["package.json", "yarn.lock"]), "yarn");
        assert_eq!(tool(&["package.json", "yarn.lock", ".yarnrc.yml"]), "yarn-berry");
        assert_eq!(tool(&["package.json", ".pnp.cjs"]), "yarn-berry");
        assert_eq!(tool(&["package.json", ".yarnrc.yml"]), "yarn-berry");
        assert_eq!(tool(&["package.json", "pnpm-lock.yaml"]), "pnpm");
        assert_eq!(tool(&["package.json", "pnpm-workspace.yaml"]), "pnpm");
        assert_eq!(tool(&["package.json", "yarn.lock", "pnpm-lock.yaml"]), "pnpm");
        assert_eq!(tool(&["package.json", "bun.lockb"]), "bun");
        assert_eq!(tool(&["package.json", "bun.lock", "pnpm-lock.yaml", "yarn.lock"]), "bun");
    }

    #[test]
    fn python_tool_precedence() {
        assert_eq!(tool(&["pyproject.toml"]), "pip");
        assert_eq!(tool(&["setup.py"]), "pip");
        assert_eq!(tool(&["requirements-dev.txt"]), "pip");
        assert_eq!(tool(&["Pipfile"]), "pipenv");
        assert_eq!(tool(&["Pipfile", "Pipfile.lock", "requirements.txt"]), "pipenv");
        assert_eq!(tool(&["pyproject.toml", "poetry.lock", "requirements.txt"]), "poetry");
        assert_eq!(tool(&["pyproject.toml", "uv.lock", "poetry.lock"]), "uv");
    }

    #[test]
    fn other_tools() {
        assert_eq!(tool(&["pom.xml"]), "maven");
        assert_eq!(tool(&["mvnw"]), "maven");
        assert_eq!(tool(&["build.gradle.kts", "settings.gradle.kts", "gradlew"]), "gradle");
        assert_eq!(tool(&["settings.gradle"]), "gradle");
        assert_eq!(tool(&["gradlew", "pom.xml"]), "maven");
        assert_eq!(tool(&["go.mod", "go.sum"]), "go");
        assert_eq!(tool(&["go.work"]), "go");
        assert_eq!(tool(&["Cargo.toml", "Cargo.lock"]), "cargo");
        assert_eq!(tool(&["Gemfile", "Gemfile.lock"]), "bundler");
        assert_eq!(tool(&["composer.json", "composer.lock"]), "composer");
        assert_eq!(tool(&["src/App/App.csproj"]), "dotnet");
        assert_eq!(tool(&["Lib.fsproj"]), "dotnet");
        assert_eq!(tool(&["All.sln", "global.json", "Directory.Build.props"]), "dotnet");
    }

    #[test]
    fn input_order_does_not_matter() {
        let paths = [
            "package.json",
            "yarn.lock",
            ".yarnrc.yml",
            "a/package.json",
            "a/setup.cfg",
            "a/pyproject.toml",
            "pyproject.toml",
            "uv.lock",
            "b/Cargo.lock",
            "b/Cargo.toml",
        ];
        let forward = detect(paths.map(str::as_bytes));
        let mut reversed = paths;
        reversed.reverse();
        assert_eq!(detect(reversed.map(str::as_bytes)), forward);
        let a_python = forward.iter().find(|d| d.dir == "a" && d.kind == ProjectKind::Python);
        assert_eq!(a_python.unwrap().tool, Some("uv"), "inherited whatever the order");
    }

    #[test]
    fn inherited_tool_comes_from_the_nearest_enclosing_detection() {
        let got = run(&[
            "package.json",
            "yarn.lock",
            "packages/a/package.json",
            "packages/a/sub/package.json",
            "tools/package.json",
            "tools/bun.lock",
            "tools/x/package.json",
            "py/pyproject.toml",
        ]);
        assert_eq!(
            got,
            [
                entry("", ProjectKind::Node, "yarn"),
                entry("packages/a", ProjectKind::Node, "yarn"),
                entry("packages/a/sub", ProjectKind::Node, "yarn"),
                entry("py", ProjectKind::Python, "pip"),
                entry("tools", ProjectKind::Node, "bun"),
                entry("tools/x", ProjectKind::Node, "bun"),
            ]
        );
        // A sibling whose name shares a prefix is not an enclosing directory.
        assert_eq!(
            run(&["a/bun.lock", "a-b/package.json"]),
            [entry("a", ProjectKind::Node, "bun"), entry("a-b", ProjectKind::Node, "npm")]
        );
    }

    #[test]
    fn parents_walk_up_to_the_root() {
        let got: Vec<&[u8]> = parents(b"a/b/c").collect();
        assert_eq!(got, [&b"a/b"[..], b"a", b""]);
        assert_eq!(parents(b"").count(), 0);
        assert_eq!(parents(b"a").collect::<Vec<_>>(), [b""]);
    }

    #[test]
    fn non_utf8_directories_and_repeated_paths() {
        let paths: [&[u8]; 3] = [b"svc\xff/go.mod", b"svc\xff/go.mod", b"go.mod"];
        let detections = detect(paths);
        assert_eq!(detections.len(), 2);
        assert_eq!(detections[1].dir, "svc\u{fffd}");
        assert_eq!(detections[1].evidence, ["svc\u{fffd}/go.mod"]);
    }
}
