//! The builds a Bake file names, as `docker buildx bake` would run them.
//!
//! [`find`] gives the files bake reads when none is named, [`read`] reads them together:
//! later files override earlier ones attribute by attribute (`args` name by name), as
//! buildx merges them. The targets built are the ones named, or the `default` group (or
//! target); a group's members are expanded, nested groups included, each target once.
//! `inherits` lays the parents' attributes (in order, later wins) under the target's own.
//!
//! Paths are resolved as buildx resolves them: `context` against the directory bake runs
//! in (the current directory, not the Bake file's), default `.`; `dockerfile` against the
//! context unless absolute; a `cwd://` prefix means the current directory for both. The
//! paths in the returned builds are therefore relative to the current directory when the
//! file wrote them relative.
//!
//! Not supported, and listed in [`BuildList::unsupported`] by name: functions (the
//! standard library's and `function` blocks), expressions that do not evaluate (see the
//! `eval` module), `matrix` targets, and contexts that are no local directory (a URL,
//! `target:…`, `docker-image:…`). A target whose context, Dockerfile, inline Dockerfile,
//! stage or parents cannot be known is left out of the builds; a build argument that cannot
//! be evaluated is left out of its build. Compose files, which bake also reads, are not read
//! here.

mod eval;
mod file;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{BuildList, BuildSpec, SourceKind};
use crate::rules::clean_path;
use eval::{Field, Target};
use file::Origin;

/// The Bake files `docker buildx bake` reads from its directory when none is named, in the
/// order it merges them (buildx's `defaultFilenames`, after the Compose file names).
pub const DEFAULT_FILES: &[&str] = &[
    "docker-bake.json",
    "docker-bake.hcl",
    "docker-bake.override.json",
    "docker-bake.override.hcl",
];

/// Why Bake files could not be read. Each names the file, and the line where the parser
/// gives one.
#[derive(Debug, thiserror::Error)]
enum Error {
    #[error("cannot read {}: {error}", path.display())]
    Read { path: PathBuf, error: std::io::Error },
    #[error("{}:{line}:{column}: {message}", path.display())]
    Syntax { path: PathBuf, line: usize, column: usize, message: String },
    #[error("{at}: {message}")]
    Shape { at: Origin, message: String },
    #[error("{at}: variable \"{name}\": the environment's value {value:?} is not {expected}")]
    Environment { at: Origin, name: String, value: String, expected: &'static str },
    #[error("{files}: no target or group named \"{name}\"")]
    Unknown { files: String, name: String },
    #[error("{files}: group \"{group}\" lists \"{name}\", which is no target or group")]
    UnknownMember { files: String, group: String, name: String },
    #[error("{at}: target \"{target}\" inherits \"{name}\", which is no target")]
    UnknownParent { at: Origin, target: String, name: String },
    #[error("{files}: no target named, and no \"default\" group or target")]
    NoDefault { files: String },
}

/// The Bake files in `dir` that `docker buildx bake` reads when no file is named, in its
/// order.
pub fn find(dir: &Path) -> Vec<PathBuf> {
    DEFAULT_FILES.iter().map(|name| dir.join(name)).filter(|path| path.is_file()).collect()
}

/// Reads the Bake files `paths` together and lists the builds of `targets` (target or
/// group names; none: the `default` group or target). Variables take the values `env`
/// gives their names over their defaults.
///
/// # Errors
/// A file that cannot be read or parsed (with its line), a block without a name, a target
/// or group that is not defined, an environment value of the wrong type for its variable.
pub fn read(
    paths: &[PathBuf],
    targets: &[String],
    env: &dyn Fn(&str) -> Option<String>,
) -> anyhow::Result<BuildList> {
    let Some(first) = paths.first() else { anyhow::bail!("no Bake file to read") };
    let files = paths.iter().map(|path| file::read(path)).collect::<Result<Vec<_>, _>>()?;
    let mut unsupported: Vec<String> = files
        .iter()
        .flat_map(|file| &file.functions)
        .map(|function| format!("{}: function \"{}\"", function.at, function.name))
        .collect();
    let ctx = eval::scope(&files, env, &mut unsupported)?;
    let mut project = Project {
        files: paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
        targets: HashMap::new(),
        groups: HashMap::new(),
    };
    for block in files.iter().flat_map(|file| &file.targets) {
        let target = eval::target(block, &ctx);
        match project.targets.get_mut(&block.name) {
            Some(earlier) => earlier.merge(&target),
            None => {
                project.targets.insert(block.name.clone(), target);
            }
        }
    }
    // A later group of the same name replaces the earlier one whole (groups do not merge).
    for block in files.iter().flat_map(|file| &file.groups) {
        let members = eval::group(block, &ctx, &mut unsupported);
        project.groups.insert(block.name.clone(), members);
    }
    let mut builds = Vec::new();
    for name in project.selected(targets)? {
        let target = project.resolve(&name, &mut Vec::new())?.unwrap_or_default();
        unsupported.extend(target.issues.iter().cloned());
        match spec(&name, &target) {
            Ok(build) => builds.push(build),
            Err(reason) => unsupported.push(reason),
        }
    }
    let mut seen = std::collections::HashSet::new();
    unsupported.retain(|item| seen.insert(item.clone()));
    Ok(BuildList {
        kind: SourceKind::Bake,
        path: first.clone(),
        builds,
        without_build: Vec::new(),
        unsupported,
    })
}

/// The targets and groups of all the files read, merged.
struct Project {
    /// The files, for messages.
    files: String,
    targets: HashMap<String, Target>,
    groups: HashMap<String, Vec<String>>,
}

impl Project {
    /// The targets to build, groups expanded, each once, in the order named.
    fn selected(&self, names: &[String]) -> Result<Vec<String>, Error> {
        let default = ["default".to_owned()];
        let names = if names.is_empty() {
            if !self.groups.contains_key("default") && !self.targets.contains_key("default") {
                return Err(Error::NoDefault { files: self.files.clone() });
            }
            &default[..]
        } else {
            names
        };
        let mut out = Vec::new();
        for name in names {
            if !self.groups.contains_key(name) && !self.targets.contains_key(name) {
                return Err(Error::Unknown { files: self.files.clone(), name: name.clone() });
            }
            self.expand(name, &mut Vec::new(), &mut out)?;
        }
        Ok(out)
    }

    /// Adds the targets `name` stands for to `out`: a group's members (a name that is both
    /// a group and a target is the group, as in buildx), or the target itself. A group
    /// already being expanded adds nothing, so a circle of groups ends.
    fn expand(
        &self,
        name: &str,
        open: &mut Vec<String>,
        out: &mut Vec<String>,
    ) -> Result<(), Error> {
        let Some(members) = self.groups.get(name) else {
            if !out.iter().any(|done| done == name) {
                out.push(name.to_owned());
            }
            return Ok(());
        };
        if open.iter().any(|group| group == name) {
            return Ok(());
        }
        open.push(name.to_owned());
        for member in members {
            if !self.groups.contains_key(member) && !self.targets.contains_key(member) {
                return Err(Error::UnknownMember {
                    files: self.files.clone(),
                    group: name.to_owned(),
                    name: member.clone(),
                });
            }
            self.expand(member, open, out)?;
        }
        open.pop();
        Ok(())
    }

    /// A target with what it inherits laid under it. A parent already being resolved adds
    /// nothing (`None`), as buildx skips a circle of `inherits`.
    fn resolve(&self, name: &str, open: &mut Vec<String>) -> Result<Option<Target>, Error> {
        if open.iter().any(|target| target == name) {
            return Ok(None);
        }
        let own = &self.targets[name];
        open.push(name.to_owned());
        let mut merged = Target::default();
        for parent in &own.inherits {
            if !self.targets.contains_key(parent) {
                return Err(Error::UnknownParent {
                    at: own.at.clone(),
                    target: name.to_owned(),
                    name: parent.clone(),
                });
            }
            if let Some(resolved) = self.resolve(parent, open)? {
                merged.merge(&resolved);
            }
        }
        open.pop();
        merged.merge(own);
        merged.at = own.at.clone();
        Ok(Some(merged))
    }
}

/// The build of a resolved target, or why it cannot be measured.
fn spec(name: &str, target: &Target) -> Result<BuildSpec, String> {
    let at = &target.at;
    if let Some(matrix) = &target.matrix {
        return Err(format!("{matrix}: matrix in target \"{name}\""));
    }
    let fields = [&target.context, &target.dockerfile, &target.dockerfile_inline, &target.target];
    if target.inherits_unknown || fields.contains(&&Field::Unknown) {
        return Err(format!(
            "{at}: target \"{name}\" left out: an attribute it needs did not evaluate"
        ));
    }
    let context = match &target.context {
        Field::Set(context) => context.as_str(),
        _ => ".",
    };
    let context = context.strip_prefix(CWD).unwrap_or(context);
    if is_remote(context) {
        return Err(format!("{at}: target \"{name}\" context \"{context}\" is no local directory"));
    }
    let context = clean(context);
    let dockerfile = match (&target.dockerfile_inline, &target.dockerfile) {
        // buildx sends the inline Dockerfile when both are given.
        (Field::Set(_), _) | (_, Field::Unset | Field::Unknown) => None,
        (_, Field::Set(dockerfile)) => Some(match dockerfile.strip_prefix(CWD) {
            Some(from_cwd) => clean(from_cwd),
            None if dockerfile.starts_with('/') => clean(dockerfile),
            None => clean(&format!("{context}/{dockerfile}")),
        }),
    };
    let text = |field: &Field| match field {
        Field::Set(text) => Some(text.clone()),
        Field::Unset | Field::Unknown => None,
    };
    Ok(BuildSpec {
        name: name.to_owned(),
        context: PathBuf::from(context),
        dockerfile: dockerfile.map(PathBuf::from),
        dockerfile_inline: text(&target.dockerfile_inline),
        target: text(&target.target),
        args: target.args.clone(),
    })
}

/// buildx's prefix for a path in the directory the command runs in.
const CWD: &str = "cwd://";

/// A context that buildx does not read from the local disk: a URL (`https://`, `git://`,
/// `ssh://`…), a git address (`git@host:repo`, `github.com/…`), another target's output
/// (`target:`) or an image (`docker-image:`).
fn is_remote(context: &str) -> bool {
    context.contains("://")
        || ["git@", "github.com/", "target:", "docker-image:"]
            .iter()
            .any(|prefix| context.starts_with(prefix))
}

/// Go's `path.Clean`, which buildx applies to both paths.
fn clean(path: &str) -> String {
    String::from_utf8_lossy(&clean_path(path.as_bytes())).into_owned()
}
