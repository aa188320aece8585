//! The command line, resolved once: what each command needs as plain values, checked before
//! any walk starts. Commands never see clap's types, and nothing after this module reads the
//! environment for a setting (`--build-arg NAME` takes its value here).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::build::BuildSettings;
use crate::builds::{self, BuildList};
use crate::check::baseline::BASELINE_FILE;
use crate::check::config::{self as check_config, CheckSettings, FlagSettings};
use crate::check::growth::MaxGrowth;
use crate::cli::{BuildFlags, BuildsArgs, Cli, ColorWhen, Command, ContextArgs};
use crate::dockerfile::Platform;
use crate::templates::ProjectKind;

/// One run of ctxsize, every setting resolved.
#[derive(Debug)]
pub struct Config {
    /// Threads that walk (`-j`; 0: three per core).
    pub threads: usize,
    /// `--color` as given: each output stream decides with it whether it is coloured.
    pub color: ColorWhen,
    pub command: CommandConfig,
}

/// What the chosen command needs.
#[derive(Debug)]
pub enum CommandConfig {
    Scan(ScanConfig),
    Ls(LsConfig),
    Check(CheckConfig),
    Init(InitConfig),
    Lint(LintConfig),
    Why(WhyConfig),
    Completions(clap_complete::Shell),
    Man,
    InstallPlugin(InstallPluginConfig),
}

/// Where and how `install-docker-plugin` places the plugin.
#[derive(Debug)]
pub struct InstallPluginConfig {
    /// The plugin directory, `--dir` or Docker's own for this user.
    pub dir: PathBuf,
    pub mode: crate::plugin::InstallMode,
    pub force: bool,
}

/// The context directory and the Dockerfile, as `docker build [-f DOCKERFILE] CONTEXT`.
#[derive(Debug, Clone)]
pub struct Inputs {
    pub context: PathBuf,
    /// `-f` as given (`-` is standard input); `None`: CONTEXT/Dockerfile.
    pub dockerfile: Option<PathBuf>,
}

impl Inputs {
    /// The `-f` path, for [`crate::context::BuildContext::open`].
    pub fn dockerfile(&self) -> Option<&Path> {
        self.dockerfile.as_deref()
    }
}

/// `ctxsize scan`.
#[derive(Debug)]
pub struct ScanConfig {
    pub inputs: Inputs,
    pub build: BuildSettings,
    /// `--type`; `None`: the detected types.
    pub kinds: Option<Vec<ProjectKind>>,
    pub top: usize,
    /// At least 1.
    pub depth: usize,
    pub json: bool,
    /// `--compose`, `--bake` or `--all`: every build of a list instead of one context.
    pub builds: Option<BuildsConfig>,
}

/// The builds of `--compose`, `--bake` or `--all`, read and narrowed by `--service`.
#[derive(Debug)]
pub struct BuildsConfig {
    pub list: BuildList,
    /// `--service` named builds: each is shown with its full report.
    pub narrowed: bool,
}

/// `ctxsize ls`.
#[derive(Debug)]
pub struct LsConfig {
    pub inputs: Inputs,
    pub build: BuildSettings,
    pub long: bool,
    pub null: bool,
    pub excluded: bool,
    pub transfer: bool,
    pub all: bool,
    pub no_ignore: bool,
}

/// `ctxsize check`: the flags merged over `ctxsize.toml` and the defaults.
#[derive(Debug)]
pub struct CheckConfig {
    pub inputs: Inputs,
    pub build: BuildSettings,
    pub settings: CheckSettings,
    /// `--compose`, `--bake` or `--all`: every build of a list is judged.
    pub builds: Option<BuildsConfig>,
    /// `--write-baseline`: the file to record every build in.
    pub write_baseline: Option<PathBuf>,
}

/// `ctxsize init`.
#[derive(Debug)]
pub struct InitConfig {
    pub inputs: Inputs,
    pub build: BuildSettings,
    /// `--type`; `None`: the detected types.
    pub kinds: Option<Vec<ProjectKind>>,
    pub dry_run: bool,
    pub diff: bool,
    pub from_gitignore: bool,
    pub yes: bool,
    pub include_tracked: bool,
    /// `--compose`, `--bake` or `--all`: one proposal per ignore file the builds read.
    pub builds: Option<BuildsConfig>,
}

/// `ctxsize lint`.
#[derive(Debug)]
pub struct LintConfig {
    pub inputs: Inputs,
    pub json: bool,
}

/// `ctxsize why`.
#[derive(Debug)]
pub struct WhyConfig {
    pub inputs: Inputs,
    pub build: BuildSettings,
    pub json: bool,
    /// As given: relative to the context, or absolute inside it.
    pub paths: Vec<OsString>,
}

impl Config {
    /// Resolves a parsed command line. Fails, before anything is walked, on what `docker
    /// build` would also stop at (a missing `-f` Dockerfile) and on a bad `ctxsize.toml`.
    pub fn from_cli(cli: &Cli) -> anyhow::Result<Config> {
        let command = match &cli.command {
            Command::Scan(args) => CommandConfig::Scan(ScanConfig {
                inputs: inputs(&args.inputs)?,
                build: build_settings(&args.build),
                kinds: kinds(&args.kinds),
                top: args.top,
                depth: args.depth.max(1),
                json: args.json,
                builds: builds_config(&args.builds)?,
            }),
            Command::Ls(args) => CommandConfig::Ls(LsConfig {
                inputs: inputs(&args.inputs)?,
                build: build_settings(&args.build),
                long: args.long,
                null: args.null,
                excluded: args.excluded,
                transfer: args.transfer,
                all: args.all,
                no_ignore: args.no_ignore,
            }),
            Command::Check(args) => CommandConfig::Check(check_config(args)?),
            Command::Init(args) => CommandConfig::Init(InitConfig {
                inputs: inputs(&args.inputs)?,
                build: build_settings(&args.build),
                kinds: kinds(&args.kinds),
                dry_run: args.dry_run,
                diff: args.diff,
                from_gitignore: args.from_gitignore,
                yes: args.yes,
                include_tracked: args.include_tracked,
                builds: builds_config(&args.builds)?,
            }),
            Command::Lint(args) => {
                // lint reads the ignore file before any walk, so it asks for a directory
                // itself rather than leave that to the walk.
                let context = &args.inputs.context;
                anyhow::ensure!(context.is_dir(), "context {context:?} is not a directory");
                CommandConfig::Lint(LintConfig { inputs: inputs(&args.inputs)?, json: args.json })
            }
            Command::Why(args) => {
                let dockerfile = args.dockerfile.path.clone();
                require_dockerfile(dockerfile.as_deref())?;
                CommandConfig::Why(WhyConfig {
                    inputs: Inputs { context: args.context.clone(), dockerfile },
                    build: build_settings(&args.build),
                    json: args.json,
                    paths: args.paths.clone(),
                })
            }
            Command::Completions { shell } => CommandConfig::Completions(*shell),
            Command::Man => CommandConfig::Man,
            Command::InstallDockerPlugin(args) => {
                CommandConfig::InstallPlugin(install_plugin(args)?)
            }
        };
        Ok(Config { threads: cli.threads, color: cli.color, command })
    }
}

/// `check`'s settings: the flags over `ctxsize.toml`, read beside the context or, with many
/// builds, beside the file that lists them.
fn check_config(args: &crate::cli::CheckArgs) -> anyhow::Result<CheckConfig> {
    let inputs = inputs(&args.inputs)?;
    let flags = FlagSettings {
        max_size: args.max_size,
        max_files: args.max_files,
        deny: args.deny.clone().map(|list| list.0),
        warn: args.warn.clone().map(|list| list.0),
        format: args.format,
        whole_context: args.whole_context.then_some(true),
        allow: args.allow.clone(),
        baseline: args.baseline.clone().map(PathBuf::from),
        max_growth: (!args.max_growth.is_empty()).then(|| MaxGrowth(args.max_growth.clone())),
    };
    let builds = builds_config(&args.builds)?;
    let settings_dir = builds.as_ref().map_or(inputs.context.clone(), |b| settings_dir(&b.list));
    let file = check_config::load(&settings_dir)?;
    let mut settings = check_config::resolve(file, flags);
    // An empty name is the default file; a growth limit needs a baseline to grow from.
    let default_baseline = || match settings_dir.as_os_str() == "." {
        true => PathBuf::from(BASELINE_FILE),
        false => settings_dir.join(BASELINE_FILE),
    };
    let named = |file: PathBuf| if file.as_os_str().is_empty() { default_baseline() } else { file };
    let write_baseline = args.write_baseline.clone().map(|file| named(file.into()));
    settings.baseline = match (settings.baseline.take(), &settings.max_growth) {
        _ if write_baseline.is_some() => None,
        (Some(file), _) => Some(named(file)),
        (None, Some(_)) => Some(default_baseline()),
        (None, None) => None,
    };
    Ok(CheckConfig { inputs, build: build_settings(&args.build), settings, builds, write_baseline })
}

/// The plugin directory: `--dir`, else Docker's, which follows `DOCKER_CONFIG` and `HOME`.
fn install_plugin(args: &crate::cli::InstallPluginArgs) -> anyhow::Result<InstallPluginConfig> {
    use crate::plugin::{InstallMode, default_plugin_dir};
    let dir = match &args.dir {
        Some(dir) => dir.clone(),
        None => default_plugin_dir(
            std::env::var_os("DOCKER_CONFIG").as_deref(),
            std::env::var_os("HOME").as_deref(),
        )
        .ok_or_else(|| {
            anyhow::anyhow!("neither DOCKER_CONFIG nor HOME is set: name the directory with --dir")
        })?,
    };
    let mode = if args.copy { InstallMode::Copy } else { InstallMode::Symlink };
    Ok(InstallPluginConfig { dir, mode, force: args.force })
}

/// The context and `-f`, with the Dockerfile required to exist.
fn inputs(args: &ContextArgs) -> anyhow::Result<Inputs> {
    let dockerfile = args.dockerfile.path.clone();
    require_dockerfile(dockerfile.as_deref())?;
    Ok(Inputs { context: args.context.clone(), dockerfile })
}

/// The builds `--compose`, `--bake` or `--all` name, narrowed to `--service`; `None`
/// without those flags. Files are looked for in the current directory when not given, as
/// `docker compose` and `docker buildx bake` look for them; variables take their values from
/// the environment.
fn builds_config(args: &BuildsArgs) -> anyhow::Result<Option<BuildsConfig>> {
    let here = Path::new(".");
    let env = |name: &str| std::env::var(name).ok();
    let source = &args.source;
    let list = if let Some(given) = &source.compose {
        // Named, the file is read alone (`docker compose -f FILE`); found here, with the
        // override file beside it, as `docker compose` reads them.
        let paths = match given {
            Some(path) => vec![path.clone()],
            None => {
                let file = builds::compose::find(here).ok_or_else(|| {
                    anyhow::anyhow!(
                        "no Compose file here ({}); name one: --compose FILE",
                        builds::compose::FILE_NAMES.join(", ")
                    )
                })?;
                std::iter::once(file).chain(builds::compose::find_override(here)).collect()
            }
        };
        builds::compose::read_files(&paths, &env)?
    } else if let Some(given) = &source.bake {
        let paths = match given {
            Some(path) => vec![path.clone()],
            None => builds::bake::find(here),
        };
        anyhow::ensure!(
            !paths.is_empty(),
            "no Bake file here (docker-bake.hcl, docker-bake.json); name one: --bake FILE"
        );
        // Bake narrows by itself: a name may be a group, which stands for its targets.
        let list = builds::bake::read(&paths, &args.services, &env)?;
        return Ok(Some(BuildsConfig { list, narrowed: !args.services.is_empty() }));
    } else if let Some(given) = &source.all {
        builds::discover::discover(given.as_deref().unwrap_or(here))?
    } else {
        return Ok(None);
    };
    let list = builds::run::select(list, &args.services)?;
    Ok(Some(BuildsConfig { list, narrowed: !args.services.is_empty() }))
}

/// Where `ctxsize.toml` is read for a list of builds: beside the file that lists them, or
/// in the directory searched.
fn settings_dir(list: &BuildList) -> PathBuf {
    match list.kind {
        builds::SourceKind::All => list.path.clone(),
        _ => match list.path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
            _ => PathBuf::from("."),
        },
    }
}

/// `--type`: `None` when not given, so the detected types apply.
fn kinds(kinds: &[ProjectKind]) -> Option<Vec<ProjectKind>> {
    (!kinds.is_empty()).then(|| kinds.to_vec())
}

/// Fails when `-f` names a Dockerfile that is not there (or a link to nothing): `docker
/// build` stops before sending anything, so no answer about its context would be true.
/// `-f -` (standard input) is always there.
fn require_dockerfile(dockerfile: Option<&Path>) -> anyhow::Result<()> {
    match dockerfile {
        Some(path) if path.as_os_str() != "-" => match std::fs::metadata(path) {
            Ok(_) => Ok(()),
            Err(cause) => anyhow::bail!(
                "the Dockerfile {}: {cause} (`docker build` would fail too)",
                path.display()
            ),
        },
        _ => Ok(()),
    }
}

/// `--target`, `--build-arg` and `--platform`, read as `docker build` reads them.
fn build_settings(flags: &BuildFlags) -> BuildSettings {
    BuildSettings {
        build_args: build_args(&flags.build_args),
        target: flags.target.clone(),
        platform: flags.platform.clone().unwrap_or_else(Platform::host),
        dockerfile_inline: None,
    }
}

/// `--build-arg NAME=VALUE` pairs; a bare `NAME` takes its value from the environment, as
/// `docker build` does (and is left out when the environment has none).
fn build_args(args: &[String]) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for arg in args {
        match arg.split_once('=') {
            Some((name, value)) => pairs.push((name.to_owned(), value.to_owned())),
            None => {
                if let Ok(value) = std::env::var(arg) {
                    pairs.push((arg.clone(), value));
                }
            }
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::check::config::{DenyItem, Format};

    fn config(args: &[&str]) -> Config {
        let cli = Cli::try_parse_from(std::iter::once("ctxsize").chain(args.iter().copied()))
            .expect("a valid command line");
        Config::from_cli(&cli).expect("a resolvable command line")
    }

    #[test]
    fn scan_takes_types_and_at_least_depth_one() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_str().unwrap();
        let CommandConfig::Scan(scan) =
            config(&["scan", root, "--type", "node,go", "--depth", "0"]).command
        else {
            panic!("not scan");
        };
        assert_eq!(scan.kinds, Some(vec![ProjectKind::Node, ProjectKind::Go]));
        assert_eq!(scan.depth, 1);
        assert_eq!(scan.inputs.context, dir.path());
        let CommandConfig::Scan(scan) = config(&["scan", root]).command else { panic!() };
        assert_eq!(scan.kinds, None);
    }

    #[test]
    fn check_merges_flags_over_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("ctxsize.toml"),
            "[check]\nmax-files = 3\nformat = \"json\"\n",
        )
        .unwrap();
        let root = dir.path().to_str().unwrap();
        let CommandConfig::Check(check) =
            config(&["check", root, "--deny", "vcs, lint", "--max-size", "1kB"]).command
        else {
            panic!("not check");
        };
        assert_eq!(check.settings.deny, vec![DenyItem::Vcs, DenyItem::Lint]);
        assert_eq!(check.settings.warn, vec![DenyItem::Deps]);
        assert_eq!(check.settings.max_size, Some(1000));
        assert_eq!(check.settings.max_files, Some(3));
        assert_eq!(check.settings.format, Format::Json);
    }

    #[test]
    fn an_empty_deny_list_clears_the_default() {
        let dir = tempfile::tempdir().unwrap();
        let CommandConfig::Check(check) =
            config(&["check", dir.path().to_str().unwrap(), "--deny", ""]).command
        else {
            panic!("not check");
        };
        assert!(check.settings.deny.is_empty());
    }

    #[test]
    fn build_flags_are_read_as_docker_build_reads_them() {
        let flags = BuildFlags {
            target: Some("runtime".into()),
            build_args: vec!["A=1".into(), "B=x=y".into(), "CTXSIZE_SURELY_UNSET_VARIABLE".into()],
            platform: None,
        };
        let settings = build_settings(&flags);
        assert_eq!(
            settings.build_args,
            [("A".to_owned(), "1".to_owned()), ("B".to_owned(), "x=y".to_owned())]
        );
        assert_eq!(settings.target.as_deref(), Some("runtime"));
        assert_eq!(settings.platform, Platform::host());
    }

    #[test]
    fn all_reads_the_builds_and_check_its_settings_in_the_directory_searched() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_str().unwrap();
        for path in ["Dockerfile", "api/Dockerfile", "web.Dockerfile"] {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "FROM scratch\n").unwrap();
        }
        std::fs::write(dir.path().join("ctxsize.toml"), "[check]\nmax-files = 3\n").unwrap();
        let CommandConfig::Check(check) =
            config(&["check", "--all", root, "--service", "web.Dockerfile"]).command
        else {
            panic!("not check");
        };
        let builds = check.builds.expect("builds");
        assert!(builds.narrowed);
        let names: Vec<&str> = builds.list.builds.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["web.Dockerfile"]);
        assert_eq!(check.settings.max_files, Some(3));
        let CommandConfig::Scan(scan) = config(&["scan", "--all", root]).command else { panic!() };
        assert_eq!(scan.builds.expect("builds").list.builds.len(), 3);
        let CommandConfig::Scan(scan) = config(&["scan", root]).command else { panic!() };
        assert!(scan.builds.is_none());
    }

    #[test]
    fn the_sources_of_builds_exclude_each_other_and_dockerfile() {
        for args in [
            &["scan", "--all", "--compose"][..],
            &["scan", "--bake", "x.hcl", "--all", "."],
            &["check", "--all", ".", "-f", "Dockerfile"],
            &["init", "--service", "api"],
        ] {
            let full = std::iter::once("ctxsize").chain(args.iter().copied());
            assert!(Cli::try_parse_from(full).is_err(), "{args:?}");
        }
    }

    #[test]
    fn a_missing_dockerfile_is_an_error_before_any_walk() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_str().unwrap();
        let missing = dir.path().join("nope.Dockerfile");
        for command in ["scan", "ls", "check", "init", "lint"] {
            let cli =
                Cli::try_parse_from(["ctxsize", command, root, "-f", missing.to_str().unwrap()])
                    .unwrap();
            let error = Config::from_cli(&cli).unwrap_err().to_string();
            assert!(error.contains("nope.Dockerfile"), "{command}: {error}");
        }
        let cli = Cli::try_parse_from(["ctxsize", "why", "-C", root, "-f", "-", "x"]).unwrap();
        assert!(Config::from_cli(&cli).is_ok(), "`-f -` is standard input");
    }
}
