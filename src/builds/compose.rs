//! Reading a Compose file into a [`BuildList`]: every service with a `build:`, its paths
//! resolved against the file's directory and its strings interpolated as `docker compose`
//! does, with values from the environment and then from the `.env` file beside it.

mod interpolate;
mod raw;

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, anyhow};
use serde_saphyr::Spanned;

use super::{BuildList, BuildSpec, SourceKind};
pub use interpolate::{InterpolationError, interpolate};
use raw::{Include, LongBuild, RawArgs, RawFile, RawService, Text};

/// The names `docker compose` looks for when no file is named, in its order of preference
/// (compose-go's `DefaultFileNames`: `.yml` before `.yaml` for the older names).
pub const FILE_NAMES: [&str; 4] =
    ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];

/// The override files `docker compose` also reads, over the file found, when none is named
/// (compose-go's `DefaultOverrideFileNames`).
pub const OVERRIDE_FILE_NAMES: [&str; 4] = [
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
];

/// The Compose file `docker compose` would read in `dir` when none is named.
pub fn find(dir: &Path) -> Option<PathBuf> {
    FILE_NAMES.iter().map(|name| dir.join(name)).find(|path| path.is_file())
}

/// The override file `docker compose` would read over [`find`]'s in `dir`, when none is
/// named: give both to [`read_files`].
pub fn find_override(dir: &Path) -> Option<PathBuf> {
    OVERRIDE_FILE_NAMES.iter().map(|name| dir.join(name)).find(|path| path.is_file())
}

/// Reads the Compose file at `path`, and the files it includes. `env` gives the
/// environment's variables (the command passes `std::env::var`); a variable it lacks is
/// taken from the `.env` file beside the Compose file, if there is one.
pub fn read(path: &Path, env: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<BuildList> {
    read_files(&[path.to_path_buf()], env)
}

/// Reads several Compose files as `docker compose -f A -f B …` does (or a file and the
/// override [`find_override`] found): each file's services merged over the earlier files'
/// (their own keys win, build keys merge one by one, arguments add up). Paths are relative
/// to the first file's directory, and the `.env` file is the one beside it.
pub fn read_files(
    paths: &[PathBuf],
    env: &dyn Fn(&str) -> Option<String>,
) -> anyhow::Result<BuildList> {
    let mut list = read_project(paths, env, &mut Vec::new())?;
    list.builds.sort_by(|a, b| a.name.cmp(&b.name));
    list.without_build.sort();
    let mut names: Vec<&str> = list.builds.iter().map(|b| b.name.as_str()).collect();
    names.extend(list.without_build.iter().map(String::as_str));
    names.sort_unstable();
    if let Some(twice) = names.windows(2).find(|pair| pair[0] == pair[1]) {
        // docker compose refuses an included service that a file already defines.
        let message = format!("service {} is defined twice (by an included file)", twice[0]);
        return Err(located(&list.path, 0, &message));
    }
    Ok(list)
}

/// Reads the files of one project (one `-f` list, or one included file); `chain` holds
/// the files that include it, to catch a circle.
fn read_project(
    paths: &[PathBuf],
    env: &dyn Fn(&str) -> Option<String>,
    chain: &mut Vec<PathBuf>,
) -> anyhow::Result<BuildList> {
    let Some(first) = paths.first() else { anyhow::bail!("no Compose file to read") };
    let mut merged: Option<RawFile> = None;
    for (index, path) in paths.iter().enumerate() {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read Compose file {}", path.display()))?;
        let mut file: RawFile =
            serde_saphyr::from_str(&text).map_err(|err| yaml_error(path, &err))?;
        file.set_file(index);
        merged = Some(match merged {
            Some(earlier) => earlier.merge(file),
            None => file,
        });
    }
    let file = merged.unwrap_or(RawFile { services: None, include: None });
    // Relative as the file was named, so that builds show paths as the user wrote them.
    let base = first.parent().unwrap_or(Path::new("")).to_path_buf();
    let dotenv = read_dotenv(&base.join(".env"))?;
    let lookup = |name: &str| env(name).or_else(|| dotenv.get(name).cloned());
    let reader = Reader { paths, base: &base, lookup: &lookup };

    let mut list = BuildList {
        kind: SourceKind::Compose,
        path: first.clone(),
        builds: Vec::new(),
        without_build: Vec::new(),
        unsupported: Vec::new(),
    };
    let services = file.services.unwrap_or_default();
    for name in services.keys() {
        let merged = reader.merged(&services, name, &mut Vec::new())?;
        if merged.other_file {
            list.unsupported.push(format!("services.{name}.extends.file"));
        }
        match merged.build {
            Some(build) => reader.service(name, build, &mut list)?,
            // What a service extends from another file may build: not "no build".
            None if merged.other_file && !merged.image => {}
            None => list.without_build.push(name.clone()),
        }
    }
    // Canonical, so that two spellings of one file still show a circle.
    let canonical = paths.iter().map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()));
    let depth = chain.len();
    chain.extend(canonical);
    for entry in file.include.unwrap_or_default() {
        reader.include(&entry, env, chain, &mut list)?;
    }
    chain.truncate(depth);
    Ok(list)
}

/// A service with what it `extends` merged in.
struct Merged {
    build: Option<LongBuild>,
    image: bool,
    /// It, or a service it extends, extends a service of another file (not read).
    other_file: bool,
}

/// What every service's build needs: the files (for errors), the project's directory (for
/// paths) and the variables.
struct Reader<'a> {
    paths: &'a [PathBuf],
    base: &'a Path,
    lookup: &'a dyn Fn(&str) -> Option<String>,
}

impl Reader<'_> {
    /// Service `name` with the services it extends in this file merged in, as Compose does:
    /// its own build keys win over the base's, arguments add up. `chain` holds the services
    /// that led here, to catch a circle.
    fn merged(
        &self,
        services: &BTreeMap<String, RawService>,
        name: &str,
        chain: &mut Vec<String>,
    ) -> anyhow::Result<Merged> {
        let service = &services[name];
        let own = Merged {
            build: service.build.as_ref().map(LongBuild::from_build),
            image: service.image.is_some(),
            other_file: false,
        };
        let Some(extends) = &service.extends else { return Ok(own) };
        if extends.value.file.is_some() {
            return Ok(Merged { other_file: true, ..own });
        }
        let (file, line) = (service.file, extends.referenced.line());
        let base_name = &extends.value.service;
        if !services.contains_key(base_name) {
            let message = format!("service {name} extends {base_name}, which is not a service");
            return Err(self.error(file, line, message));
        }
        if base_name == name || chain.iter().any(|seen| seen == base_name) {
            let message = format!("service {name} extends {base_name}, which extends it");
            return Err(self.error(file, line, message));
        }
        chain.push(name.to_owned());
        let base = self.merged(services, base_name, chain)?;
        chain.pop();
        let build = match (own.build, base.build) {
            (Some(own), Some(base)) => Some(own.over(base)),
            (own, base) => own.or(base),
        };
        Ok(Merged { build, image: own.image || base.image, other_file: base.other_file })
    }

    /// Adds what the files of one `include:` entry build to `list`. Each is read as Compose
    /// reads it: its paths against its own directory, its own `.env`.
    fn include(
        &self,
        entry: &Spanned<Include>,
        env: &dyn Fn(&str) -> Option<String>,
        chain: &mut Vec<PathBuf>,
        list: &mut BuildList,
    ) -> anyhow::Result<()> {
        if entry.value.options {
            list.unsupported.push("include (project_directory, env_file)".to_owned());
            return Ok(());
        }
        for file in &entry.value.paths {
            let file =
                self.interpolate(&Spanned::new(file.clone(), entry.referenced, entry.defined))?;
            if is_remote(&file) || file.starts_with("oci:") {
                list.unsupported.push(format!("include {file} (remote)"));
                continue;
            }
            let path = resolve(self.base, &file);
            if std::fs::canonicalize(&path).is_ok_and(|path| chain.contains(&path)) {
                let message = format!("{file} includes this file again");
                return Err(self.error(entry.value.file, entry.referenced.line(), message));
            }
            let included = read_project(&[path], env, chain)?;
            list.builds.extend(included.builds);
            list.without_build.extend(included.without_build);
            list.unsupported.extend(included.unsupported);
        }
        Ok(())
    }

    /// Adds the build of service `name` to `list`.
    fn service(&self, name: &str, build: LongBuild, list: &mut BuildList) -> anyhow::Result<()> {
        if build.additional_contexts.is_some() {
            list.unsupported.push(format!("services.{name}.build.additional_contexts"));
        }
        let context = self.text(build.context.as_ref())?.unwrap_or_else(|| ".".to_owned());
        if is_remote(&context) {
            list.unsupported.push(format!("services.{name}.build.context (remote: {context})"));
            return Ok(());
        }
        let context = resolve(self.base, &context);
        let dockerfile = self.text(build.dockerfile.as_ref())?;
        let dockerfile_inline = self.text(build.dockerfile_inline.as_ref())?;
        if let (Some(_), Some(_), Some(at)) = (&dockerfile, &dockerfile_inline, &build.dockerfile) {
            return Err(self.error(
                at.value.file,
                at.referenced.line(),
                format!("service {name}: `dockerfile` and `dockerfile_inline` cannot both be set"),
            ));
        }
        let mut all = Vec::new();
        for set in build.base_args.iter().chain(&build.args) {
            self.args(&set.value, &mut all)?;
        }
        // Compose holds the arguments in a map: a name given again (by the service over the
        // one it extends, or twice in a list) takes the later value in the earlier place.
        let mut args: Vec<(String, String)> = Vec::with_capacity(all.len());
        for (name, value) in all {
            match args.iter_mut().find(|(seen, _)| *seen == name) {
                Some(earlier) => earlier.1 = value,
                None => args.push((name, value)),
            }
        }
        list.builds.push(BuildSpec {
            name: name.to_owned(),
            dockerfile: dockerfile.map(|file| resolve(&context, &file)),
            context,
            dockerfile_inline,
            target: self.text(build.target.as_ref())?,
            args,
        });
        Ok(())
    }

    /// Adds the build arguments, interpolated, to `out`; a name with no value takes the
    /// variable's, and is left out when that is unset (as Compose does).
    fn args(&self, args: &RawArgs, out: &mut Vec<(String, String)>) -> anyhow::Result<()> {
        match args {
            RawArgs::Map(map) => {
                for (name, value) in map {
                    match value {
                        Some(value) => out.push((name.clone(), self.interpolate(value)?)),
                        None => out.extend((self.lookup)(name).map(|v| (name.clone(), v))),
                    }
                }
            }
            RawArgs::List(list) => {
                for entry in list {
                    let entry = self.interpolate(entry)?;
                    match entry.split_once('=') {
                        Some((name, value)) => out.push((name.to_owned(), value.to_owned())),
                        None => out.extend((self.lookup)(&entry).map(|v| (entry, v))),
                    }
                }
            }
        }
        Ok(())
    }

    fn text(&self, value: Option<&Spanned<Text>>) -> anyhow::Result<Option<String>> {
        value.map(|value| self.interpolate(value)).transpose()
    }

    fn interpolate(&self, value: &Spanned<Text>) -> anyhow::Result<String> {
        interpolate(&value.value.text, self.lookup)
            .map_err(|err| self.error(value.value.file, value.referenced.line(), err.to_string()))
    }

    /// An error naming the `file`th Compose file and, when known (not 0), the line.
    fn error(&self, file: usize, line: u64, message: String) -> anyhow::Error {
        located(&self.paths[file], line, &message)
    }
}

fn located(path: &Path, line: u64, message: &str) -> anyhow::Error {
    if line == 0 {
        anyhow!("{}: {message}", path.display())
    } else {
        anyhow!("{}:{line}: {message}", path.display())
    }
}

/// A YAML error as `file:line: message`.
fn yaml_error(path: &Path, err: &serde_saphyr::Error) -> anyhow::Error {
    let err = err.without_snippet();
    let message = err.to_string();
    let Some(at) = err.location() else {
        return located(path, 0, &format!("not a valid Compose file: {message}"));
    };
    // The parser ends its message with the place, which `file:line:` already gives.
    let place = format!(" at line {}, column {}", at.line(), at.column());
    let message = message.strip_suffix(&place).unwrap_or(&message);
    let message = format!("not a valid Compose file: {message} (column {})", at.column());
    located(path, at.line(), &message)
}

/// The variables of a `.env` file, without setting them in the process; none if there is
/// no such file.
fn read_dotenv(path: &Path) -> anyhow::Result<HashMap<String, String>> {
    if !path.exists() {
        return Ok(HashMap::new());
    }
    let iter = dotenvy::from_path_iter(path).map_err(|err| dotenv_error(path, &err))?;
    iter.map(|item| item.map_err(|err| dotenv_error(path, &err))).collect()
}

/// A `.env` error as `file:line: message`. dotenvy gives the line's text, not its number:
/// the first line with that text is the one.
fn dotenv_error(path: &Path, err: &dotenvy::Error) -> anyhow::Error {
    if let dotenvy::Error::LineParse(text, _) = err {
        let number = std::fs::read_to_string(path).ok().and_then(|file| {
            file.lines().position(|line| line.trim() == text.trim()).map(|at| at as u64 + 1)
        });
        return located(path, number.unwrap_or(0), &format!("cannot read the line {text:?}"));
    }
    located(path, 0, &err.to_string())
}

/// A Git URL or an HTTP(S) archive: Compose passes these to the builder, nothing local is sent.
fn is_remote(context: &str) -> bool {
    context.contains("://") || context.starts_with("git@")
}

/// `path` against `base` (absolute stays absolute), cleaned as Go's `filepath.Join` cleans
/// it (compose joins paths that way): no `.`, `dir/..` removed, `.` for nothing left.
fn resolve(base: &Path, path: &str) -> PathBuf {
    let mut out = PathBuf::new();
    for component in base.join(path).components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            // `/..` is `/`.
            Component::ParentDir if out.has_root() => {}
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A directory holding `compose.yaml` (and `.env` when given).
    fn project(compose: &str, dotenv: Option<&str>) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("compose.yaml"), compose).unwrap();
        if let Some(dotenv) = dotenv {
            std::fs::write(dir.path().join(".env"), dotenv).unwrap();
        }
        dir
    }

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn read_in(dir: &tempfile::TempDir, env: &dyn Fn(&str) -> Option<String>) -> BuildList {
        read(&dir.path().join("compose.yaml"), env).unwrap()
    }

    fn error_in(compose: &str) -> String {
        let dir = project(compose, None);
        format!("{:#}", read(&dir.path().join("compose.yaml"), &no_env).unwrap_err())
    }

    fn base(dir: &tempfile::TempDir) -> PathBuf {
        std::path::absolute(dir.path()).unwrap()
    }

    #[test]
    fn finds_the_file_compose_prefers() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(find(dir.path()), None);
        for name in FILE_NAMES.iter().rev() {
            std::fs::write(dir.path().join(name), "services: {}\n").unwrap();
            assert_eq!(find(dir.path()), Some(dir.path().join(name)));
        }
        assert_eq!(find(dir.path()), Some(dir.path().join("compose.yaml")));
        assert_eq!(find_override(dir.path()), None);
        for name in OVERRIDE_FILE_NAMES.iter().rev() {
            std::fs::write(dir.path().join(name), "services: {}\n").unwrap();
            assert_eq!(find_override(dir.path()), Some(dir.path().join(name)));
        }
    }

    #[test]
    fn short_form_is_the_context() {
        let dir = project("services:\n  web:\n    build: ./apps/web\n", None);
        let list = read_in(&dir, &no_env);
        assert_eq!(list.kind, SourceKind::Compose);
        assert_eq!(list.path, dir.path().join("compose.yaml"));
        assert_eq!(
            list.builds,
            [BuildSpec {
                name: "web".into(),
                context: base(&dir).join("apps/web"),
                dockerfile: None,
                dockerfile_inline: None,
                target: None,
                args: vec![],
            }]
        );
        assert!(list.without_build.is_empty() && list.unsupported.is_empty());
    }

    #[test]
    fn long_form_with_every_key() {
        let compose = "services:
  api:
    build:
      context: .
      dockerfile: apps/api/Dockerfile
      target: runtime
      args:
        VERSION: 3
        MODE: prod
        DEBUG: yes
        RATIO: 1.50
";
        let dir = project(compose, None);
        let build = &read_in(&dir, &no_env).builds[0];
        assert_eq!(build.context, base(&dir));
        assert_eq!(build.dockerfile, Some(base(&dir).join("apps/api/Dockerfile")));
        assert_eq!(build.target.as_deref(), Some("runtime"));
        // A map's arguments come sorted by name.
        // YAML 1.2 as Compose reads it: `yes` is a word, not a boolean; scalars keep their text.
        let args = [("DEBUG", "yes"), ("MODE", "prod"), ("RATIO", "1.50"), ("VERSION", "3")];
        let args: Vec<_> = args.iter().map(|(n, v)| ((*n).into(), (*v).into())).collect();
        assert_eq!(build.args, args);
    }

    #[test]
    fn missing_context_is_the_files_directory_and_dockerfile_is_relative_to_it() {
        let dir = project("services:\n  a:\n    build:\n      dockerfile: ../x/Dockerfile\n", None);
        let build = &read_in(&dir, &no_env).builds[0];
        assert_eq!(build.context, base(&dir));
        let parent = base(&dir).parent().unwrap().to_path_buf();
        assert_eq!(build.dockerfile, Some(parent.join("x/Dockerfile")));
    }

    #[test]
    fn absolute_paths_stay_absolute() {
        let compose = "services:\n  a:\n    build:\n      context: /srv/app\n      dockerfile: /df/Dockerfile\n";
        let dir = project(compose, None);
        let build = &read_in(&dir, &no_env).builds[0];
        assert_eq!(build.context, Path::new("/srv/app"));
        assert_eq!(build.dockerfile.as_deref(), Some(Path::new("/df/Dockerfile")));
    }

    #[test]
    fn args_as_a_list_with_bare_names() {
        let compose = "services:
  a:
    build:
      context: .
      args:
        - PLAIN=1
        - WITH_EQUALS=a=b
        - FROM_ENV
        - UNSET
        - EMPTY=
        - PLAIN=2
";
        let dir = project(compose, None);
        let env = |name: &str| (name == "FROM_ENV").then(|| "e".to_owned());
        let build = &read_in(&dir, &env).builds[0];
        let expected = [("PLAIN", "2"), ("WITH_EQUALS", "a=b"), ("FROM_ENV", "e"), ("EMPTY", "")];
        let expected: Vec<_> = expected.iter().map(|(n, v)| ((*n).into(), (*v).into())).collect();
        assert_eq!(build.args, expected);
    }

    #[test]
    fn args_map_null_value_comes_from_the_environment() {
        let compose = "services:\n  a:\n    build:\n      context: .\n      args:\n        SET:\n        UNSET:\n";
        let dir = project(compose, None);
        let env = |name: &str| (name == "SET").then(|| "yes".to_owned());
        assert_eq!(read_in(&dir, &env).builds[0].args, [("SET".into(), "yes".into())]);
    }

    #[test]
    fn interpolation_from_the_environment() {
        let compose = "services:
  a:
    build:
      context: ./apps/${APP}
      target: ${TARGET:-dev}
      args:
        TAG: v$TAG
";
        let dir = project(compose, None);
        let env = |name: &str| match name {
            "APP" => Some("web".to_owned()),
            "TAG" => Some("2".to_owned()),
            _ => None,
        };
        let build = &read_in(&dir, &env).builds[0];
        assert_eq!(build.context, base(&dir).join("apps/web"));
        assert_eq!(build.target.as_deref(), Some("dev"));
        assert_eq!(build.args, [("TAG".into(), "v2".into())]);
    }

    #[test]
    fn interpolation_from_dotenv_after_the_environment() {
        let compose = "services:
  a:
    build:
      context: ${APP_DIR}
      target: ${TARGET-none}
      args:
        - FROM_DOTENV
        - BOTH=${BOTH}
";
        let dir = project(
            compose,
            Some("APP_DIR=apps/api\nTARGET=release\nFROM_DOTENV=d\nBOTH=dotenv\n"),
        );
        let env = |name: &str| (name == "BOTH").then(|| "env".to_owned());
        let build = &read_in(&dir, &env).builds[0];
        assert_eq!(build.context, base(&dir).join("apps/api"));
        assert_eq!(build.target.as_deref(), Some("release"));
        assert_eq!(build.args, [("FROM_DOTENV".into(), "d".into()), ("BOTH".into(), "env".into())]);
    }

    #[test]
    fn defaults_and_dollar_dollar() {
        let compose = "services:
  a:
    build:
      context: ${DIR:-apps/web}
      args:
        PRICE: $$5
        EMPTY_DEFAULT: ${EMPTY:-fallback}
        DASH_DEFAULT: ${EMPTY-kept}
";
        let dir = project(compose, Some("EMPTY=\n"));
        let build = &read_in(&dir, &no_env).builds[0];
        assert_eq!(build.context, base(&dir).join("apps/web"));
        let args = [("DASH_DEFAULT", ""), ("EMPTY_DEFAULT", "fallback"), ("PRICE", "$5")];
        let args: Vec<_> = args.iter().map(|(n, v)| ((*n).into(), (*v).into())).collect();
        assert_eq!(build.args, args);
    }

    #[test]
    fn required_variable_error_names_it_file_and_line() {
        let err = error_in("services:\n  a:\n    build:\n      context: ${APP_DIR:?set APP_DIR}\n");
        assert!(err.contains("compose.yaml:4:"), "{err}");
        assert!(err.contains("APP_DIR") && err.contains("set APP_DIR"), "{err}");
        let err = error_in("services:\n  a:\n    build: ${NOPE?needed}\n");
        assert!(err.contains("compose.yaml:3:") && err.contains("NOPE"), "{err}");
    }

    #[test]
    fn invalid_interpolation_is_an_error() {
        let err = error_in("services:\n  a:\n    build:\n      context: .\n      target: ${oops\n");
        assert!(err.contains("compose.yaml:5:") && err.contains("interpolation"), "{err}");
    }

    #[test]
    fn dockerfile_inline() {
        let compose = "services:
  a:
    build:
      context: .
      dockerfile_inline: |
        FROM alpine:${ALPINE:-3.20}
        COPY . /src
";
        let dir = project(compose, None);
        let build = &read_in(&dir, &no_env).builds[0];
        assert_eq!(build.dockerfile, None);
        assert_eq!(build.dockerfile_inline.as_deref(), Some("FROM alpine:3.20\nCOPY . /src\n"));
    }

    #[test]
    fn dockerfile_and_inline_together_is_an_error() {
        let err = error_in(
            "services:\n  a:\n    build:\n      dockerfile: D\n      dockerfile_inline: FROM x\n",
        );
        assert!(err.contains("compose.yaml:4:") && err.contains("dockerfile_inline"), "{err}");
    }

    #[test]
    fn image_only_services_build_nothing_and_builds_are_sorted() {
        let compose = "services:
  web:
    build: web
  db:
    image: postgres:16
  api:
    build: api
  cache:
    image: redis
";
        let dir = project(compose, None);
        let list = read_in(&dir, &no_env);
        let names: Vec<_> = list.builds.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["api", "web"]);
        assert_eq!(list.without_build, ["cache", "db"]);
    }

    #[test]
    fn profiles_are_ignored() {
        let compose = "services:
  a:
    build: .
  debug:
    profiles: [debug]
    build: ./tools
";
        let dir = project(compose, None);
        assert_eq!(read_in(&dir, &no_env).builds.len(), 2);
    }

    #[test]
    fn two_services_share_a_context_with_different_dockerfiles() {
        let compose = "services:
  api:
    build: { context: ., dockerfile: apps/api/Dockerfile }
  worker:
    build: { context: ., dockerfile: apps/worker/Dockerfile }
";
        let dir = project(compose, None);
        let builds = read_in(&dir, &no_env).builds;
        assert_eq!(builds[0].context, builds[1].context);
        assert_eq!(builds[0].dockerfile, Some(base(&dir).join("apps/api/Dockerfile")));
        assert_eq!(builds[1].dockerfile, Some(base(&dir).join("apps/worker/Dockerfile")));
    }

    #[test]
    fn remote_contexts_and_other_files_are_reported() {
        let compose = "services:
  child:
    extends: { service: base, file: common.yaml }
  remote:
    build: https://github.com/example/app.git#main
  named:
    build:
      context: .
      additional_contexts:
        shared: ../shared
";
        let dir = project(compose, None);
        let list = read_in(&dir, &no_env);
        let names: Vec<_> = list.builds.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["named"]);
        assert!(list.without_build.is_empty());
        let unsupported = [
            "services.child.extends.file",
            "services.named.build.additional_contexts",
            "services.remote.build.context (remote: https://github.com/example/app.git#main)",
        ];
        assert_eq!(list.unsupported, unsupported);
    }

    #[test]
    fn included_files_resolve_against_their_own_directory() {
        let compose = "include:
  - tools/compose.yaml
  - path:
      - ${EXTRA:-extra}/compose.yml
  - path: other.yaml
    env_file: other.env
services:
  web:
    build: web
";
        let dir = project(compose, Some("TOOLS_TARGET=root\n"));
        std::fs::create_dir_all(dir.path().join("tools")).unwrap();
        std::fs::create_dir_all(dir.path().join("extra")).unwrap();
        let tools =
            "services:\n  lint:\n    build:\n      context: .\n      target: ${TOOLS_TARGET}\n";
        std::fs::write(dir.path().join("tools/compose.yaml"), tools).unwrap();
        std::fs::write(dir.path().join("tools/.env"), "TOOLS_TARGET=tools\n").unwrap();
        let extra = "services:\n  cache:\n    image: redis\n  api:\n    build: ../api\n";
        std::fs::write(dir.path().join("extra/compose.yml"), extra).unwrap();
        let list = read_in(&dir, &no_env);
        let names: Vec<_> = list.builds.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["api", "lint", "web"]);
        assert_eq!(list.builds[0].context, base(&dir).join("api"));
        assert_eq!(list.builds[1].context, base(&dir).join("tools"));
        assert_eq!(list.builds[1].target.as_deref(), Some("tools"));
        assert_eq!(list.without_build, ["cache"]);
        assert_eq!(list.unsupported, ["include (project_directory, env_file)"]);
        assert_eq!(list.path, dir.path().join("compose.yaml"));
    }

    #[test]
    fn include_errors() {
        let dir = project("include: [other.yaml]\nservices:\n  a:\n    build: .\n", None);
        let other = dir.path().join("other.yaml");
        std::fs::write(&other, "services:\n  a:\n    image: x\n").unwrap();
        let err = format!("{:#}", read(&dir.path().join("compose.yaml"), &no_env).unwrap_err());
        assert!(err.contains("compose.yaml") && err.contains("service a"), "{err}");
        std::fs::write(&other, "include:\n  - ./compose.yaml\n").unwrap();
        let err = format!("{:#}", read(&dir.path().join("compose.yaml"), &no_env).unwrap_err());
        assert!(err.contains("other.yaml:2:") && err.contains("again"), "{err}");
        std::fs::remove_file(&other).unwrap();
        let err = format!("{:#}", read(&dir.path().join("compose.yaml"), &no_env).unwrap_err());
        assert!(err.contains("other.yaml"), "{err}");
    }

    #[test]
    fn extends_in_the_same_file_merges_the_build() {
        let compose = "services:
  base:
    build:
      context: ./app
      dockerfile: Dockerfile.base
      target: dev
      args: { A: base, B: base }
  child:
    extends: base
    build:
      target: prod
      args: [B=child, C=child]
  grandchild:
    extends: { service: child }
    image: app:latest
  plain:
    extends: db
  db:
    image: postgres
";
        let dir = project(compose, None);
        let list = read_in(&dir, &no_env);
        let names: Vec<_> = list.builds.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["base", "child", "grandchild"]);
        let child = &list.builds[1];
        assert_eq!(child.context, base(&dir).join("app"));
        assert_eq!(child.dockerfile, Some(base(&dir).join("app/Dockerfile.base")));
        assert_eq!(child.target.as_deref(), Some("prod"));
        // The child's value of B replaces the base's.
        let args = [("A", "base"), ("B", "child"), ("C", "child")];
        let args: Vec<_> = args.iter().map(|(n, v)| ((*n).into(), (*v).into())).collect();
        assert_eq!(child.args, args);
        assert_eq!(list.builds[2].args, args);
        assert_eq!(list.without_build, ["db", "plain"]);
        assert!(list.unsupported.is_empty());
    }

    #[test]
    fn extends_errors_name_the_line() {
        let err = error_in("services:\n  a:\n    extends: nope\n");
        assert!(err.contains("compose.yaml:3:") && err.contains("nope"), "{err}");
        let err = error_in("services:\n  a:\n    extends: b\n  b:\n    extends: a\n");
        assert!(err.contains("compose.yaml:") && err.contains("extends"), "{err}");
        let err = error_in("services:\n  a:\n    build: .\n    extends: a\n");
        assert!(err.contains("compose.yaml:4:"), "{err}");
    }

    #[test]
    fn not_yaml_names_the_file_and_line() {
        for (text, line) in [
            ("services:\n  a: {build: .\n", 2),
            ("services:\n  a:\n    build: 'unterminated\n", 3),
            ("services:\n  a:\n\tbuild: .\n", 3),
        ] {
            let err = error_in(text);
            eprintln!("{err}");
            let expected = format!("compose.yaml:{line}: not a valid Compose file");
            assert!(err.contains(&expected), "{text:?}: {err}");
        }
    }

    #[test]
    fn wrong_shapes_name_the_file_and_line() {
        for (compose, line) in [
            ("services:\n  a:\n    image: x\n  b:\n    build: [a, b]\n", 5),
            ("services:\n  a:\n    build:\n      context: [a]\n", 4),
            ("services:\n  a:\n    build:\n      args: 3\n", 4),
            ("just a string\n", 1),
            ("services: 3\n", 1),
        ] {
            let err = error_in(compose);
            eprintln!("{err}");
            assert!(err.contains(&format!("compose.yaml:{line}:")), "{compose:?}: {err}");
        }
    }

    #[test]
    fn missing_file_and_bad_dotenv_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let err = read(&dir.path().join("compose.yaml"), &no_env).unwrap_err();
        assert!(format!("{err:#}").contains("compose.yaml"));
        let dir = project("services:\n  a:\n    build: .\n", Some("A=1\nNOT A VALID LINE\n"));
        let err = read(&dir.path().join("compose.yaml"), &no_env).unwrap_err();
        assert!(format!("{err:#}").contains(".env:2: cannot read the line"), "{err:#}");
    }

    /// The sample monorepo's Compose file, which other tests build on.
    #[test]
    fn the_sample_monorepo() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/monorepo");
        let path = find(&root).unwrap();
        assert_eq!(path, root.join("compose.yaml"));
        let list = read(&path, &no_env).unwrap();
        let args = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs.iter().map(|(n, v)| ((*n).into(), (*v).into())).collect()
        };
        let build = |name: &str, context: &str, dockerfile: Option<&str>| BuildSpec {
            name: name.into(),
            context: root.join(context).components().collect(),
            dockerfile: dockerfile.map(|file| root.join(file)),
            dockerfile_inline: None,
            target: None,
            args: Vec::new(),
        };
        let expected = [
            BuildSpec {
                target: Some("runtime".into()),
                args: args(&[("NODE_VERSION", "22")]),
                ..build("api", ".", Some("apps/api/Dockerfile"))
            },
            BuildSpec {
                args: args(&[("NODE_VERSION", "22"), ("API_URL", "http://api:8080")]),
                ..build("web", "apps/web", None)
            },
            BuildSpec {
                args: args(&[("PYTHON_VERSION", "3.12")]),
                ..build("worker", ".", Some("apps/worker/Dockerfile"))
            },
        ];
        assert_eq!(list.builds, expected);
        assert_eq!(list.without_build, ["db"]);
        assert!(list.unsupported.is_empty());
        // The environment wins over `.env`.
        let env = |name: &str| (name == "NODE_VERSION").then(|| "24".to_owned());
        let list = read(&path, &env).unwrap();
        assert_eq!(list.builds[0].args, args(&[("NODE_VERSION", "24")]));
        // Named relative to the current directory (the package's, in a test), paths stay
        // relative to it.
        let list = read(Path::new("fixtures/monorepo/compose.yaml"), &no_env).unwrap();
        let contexts: Vec<_> = list.builds.iter().map(|b| b.context.as_path()).collect();
        let [root, web] = [Path::new("fixtures/monorepo"), Path::new("fixtures/monorepo/apps/web")];
        assert_eq!(contexts, [root, web, root]);
        let dockerfile = list.builds[0].dockerfile.as_deref();
        assert_eq!(dockerfile, Some(Path::new("fixtures/monorepo/apps/api/Dockerfile")));
    }

    #[test]
    fn anchors_and_merge_keys() {
        let compose = "x-build: &build
  context: .
  dockerfile: apps/Dockerfile
  args: { A: '1' }
services:
  one:
    build: *build
  two:
    build:
      <<: *build
      target: two
";
        let dir = project(compose, None);
        let builds = read_in(&dir, &no_env).builds;
        assert_eq!(builds[0].dockerfile, builds[1].dockerfile);
        assert_eq!(builds[0].args, [("A".into(), "1".into())]);
        assert_eq!(builds[0].target, None);
        assert_eq!(builds[1].target.as_deref(), Some("two"));
        assert_eq!(builds[1].args, builds[0].args);
    }

    #[test]
    fn a_service_named_twice_is_an_error() {
        let err = error_in("services:\n  a:\n    build: .\n  a:\n    image: x\n");
        assert!(err.contains("compose.yaml:4:"), "{err}");
    }

    #[test]
    fn an_override_file_merges_over_the_first() {
        let compose = "services:
  api:
    build:
      context: ./api
      target: dev
      args: { MODE: dev, KEEP: yes }
  db:
    image: postgres
";
        let dir = project(compose, Some("TAG=7\n"));
        let over = "services:
  api:
    build:
      target: prod
      args: [MODE=prod, TAG=$TAG]
  web:
    build: ./web
  db:
    build: ./db
";
        let over_path = dir.path().join("compose.override.yml");
        std::fs::write(&over_path, over).unwrap();
        assert_eq!(find_override(dir.path()), Some(over_path.clone()));
        let paths = [dir.path().join("compose.yaml"), over_path];
        let list = read_files(&paths, &no_env).unwrap();
        assert_eq!(list.path, paths[0]);
        let names: Vec<_> = list.builds.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["api", "db", "web"]);
        let api = &list.builds[0];
        assert_eq!(api.context, base(&dir).join("api"));
        assert_eq!(api.target.as_deref(), Some("prod"));
        let args = [("KEEP", "yes"), ("MODE", "prod"), ("TAG", "7")];
        let args: Vec<_> = args.iter().map(|(n, v)| ((*n).into(), (*v).into())).collect();
        assert_eq!(api.args, args);
        assert!(list.without_build.is_empty());
    }

    #[test]
    fn an_error_in_an_override_file_names_that_file() {
        let dir = project("services:\n  a:\n    build: .\n", None);
        let over_path = dir.path().join("compose.override.yaml");
        std::fs::write(&over_path, "services:\n  a:\n    build:\n      target: ${T:?no T}\n")
            .unwrap();
        let paths = [dir.path().join("compose.yaml"), over_path];
        let err = format!("{:#}", read_files(&paths, &no_env).unwrap_err());
        assert!(err.contains("compose.override.yaml:4:") && err.contains("no T"), "{err}");
        assert!(read_files(&[], &no_env).is_err());
    }

    #[test]
    fn paths_are_cleaned_as_compose_cleans_them() {
        for (base, path, expected) in [
            ("", ".", "."),
            ("", "./apps/web/", "apps/web"),
            ("a/b", "../c", "a/c"),
            ("a", "../../c", "../c"),
            ("..", "x/./y", "../x/y"),
            ("/srv", "../../x", "/x"),
            ("a", "/abs/./p", "/abs/p"),
        ] {
            assert_eq!(resolve(Path::new(base), path), Path::new(expected), "{base} + {path}");
        }
    }

    #[test]
    fn empty_file_has_no_builds() {
        let dir = project("", None);
        let list = read_in(&dir, &no_env);
        assert!(list.builds.is_empty() && list.without_build.is_empty());
    }
}
