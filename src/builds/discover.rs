//! Discovery: every Dockerfile under a directory, each a build with that directory as its
//! context, as `docker build -f PATH DIR` would run it.
//!
//! The search honours `.gitignore` (what git ignores is rarely a build someone runs) and
//! never enters the directories whose manifests project detection ignores (installed
//! dependencies, VCS data, caches, test data): a `node_modules/*/Dockerfile` is a package's,
//! not the project's.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::{BuildList, BuildSpec, SourceKind};

/// Every `Dockerfile`, `*.Dockerfile` and `Dockerfile.*` (not `*.dockerignore`) under `dir`,
/// each built with `dir` as its context, named by its path relative to `dir` and sorted by it.
pub fn discover(dir: &Path) -> anyhow::Result<BuildList> {
    let metadata = std::fs::metadata(dir).with_context(|| format!("{}", dir.display()))?;
    anyhow::ensure!(metadata.is_dir(), "{} is not a directory", dir.display());
    let mut found: Vec<PathBuf> = Vec::new();
    let walker = ignore::WalkBuilder::new(dir)
        // Only .gitignore decides what is skipped: hidden directories (`.devcontainer`)
        // hold Dockerfiles too, and a tree that is not (yet) a repository keeps its rules.
        .hidden(false)
        .ignore(false)
        .git_global(false)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            !(is_dir && entry.depth() > 0 && is_skipped_name(entry.file_name()))
        })
        .build();
    for entry in walker {
        let entry =
            entry.with_context(|| format!("searching {} for Dockerfiles", dir.display()))?;
        let is_file = entry.file_type().is_some_and(|t| t.is_file());
        if is_file && is_dockerfile_name(entry.file_name()) {
            let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            found.push(relative.to_owned());
        }
    }
    found.sort();
    let builds = found
        .into_iter()
        .map(|relative| BuildSpec {
            name: relative.to_string_lossy().into_owned(),
            context: dir.to_owned(),
            // `docker build -f apps/api/Dockerfile .` names it so: no `./` before it.
            dockerfile: Some(if dir == Path::new(".") {
                relative.clone()
            } else {
                dir.join(&relative)
            }),
            dockerfile_inline: None,
            target: None,
            args: Vec::new(),
        })
        .collect();
    Ok(BuildList {
        kind: SourceKind::All,
        path: dir.to_owned(),
        builds,
        without_build: Vec::new(),
        unsupported: Vec::new(),
    })
}

fn is_skipped_name(name: &std::ffi::OsStr) -> bool {
    use std::os::unix::ffi::OsStrExt;
    crate::detect::is_skipped_dir(name.as_bytes())
}

/// `Dockerfile`, `NAME.Dockerfile`, `Dockerfile.NAME`, but not `Dockerfile.dockerignore`
/// (the ignore file of a Dockerfile named `Dockerfile`).
fn is_dockerfile_name(name: &std::ffi::OsStr) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let name = name.as_bytes();
    name == b"Dockerfile"
        || (name.starts_with(b"Dockerfile.") && !name.ends_with(b".dockerignore"))
        || (name.ends_with(b".Dockerfile") && name.len() > b".Dockerfile".len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, path: &str) {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "FROM scratch\n").unwrap();
    }

    #[test]
    fn names_that_are_dockerfiles() {
        for name in ["Dockerfile", "api.Dockerfile", "Dockerfile.dev"] {
            assert!(is_dockerfile_name(name.as_ref()), "{name}");
        }
        for name in ["Dockerfile.dockerignore", ".Dockerfile", "dockerfile.txt", "Dockerfiles"] {
            assert!(!is_dockerfile_name(name.as_ref()), "{name}");
        }
    }

    #[test]
    fn finds_dockerfiles_sorted_and_skips_dependencies_and_gitignored() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for path in [
            "Dockerfile",
            "Dockerfile.dockerignore",
            "services/web/Dockerfile.prod",
            "services/api.Dockerfile",
            ".devcontainer/Dockerfile",
            "node_modules/pkg/Dockerfile",
            "a/vendor/x/Dockerfile",
            "build/Dockerfile",
        ] {
            write(root, path);
        }
        std::fs::write(root.join(".gitignore"), "/build/\n").unwrap();
        let list = discover(root).unwrap();
        let names: Vec<&str> = list.builds.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(
            names,
            [
                ".devcontainer/Dockerfile",
                "Dockerfile",
                "services/api.Dockerfile",
                "services/web/Dockerfile.prod"
            ]
        );
        assert_eq!(list.kind, SourceKind::All);
        assert!(list.builds.iter().all(|b| b.context == root));
        assert_eq!(list.builds[1].dockerfile.as_deref(), Some(root.join("Dockerfile").as_path()));
    }

    #[test]
    fn a_missing_directory_is_an_error_naming_it() {
        let error = discover(Path::new("/surely/not/here")).unwrap_err();
        assert!(format!("{error:#}").contains("/surely/not/here"), "{error:#}");
    }
}
