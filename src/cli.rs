//! Command-line interface: clap definitions only.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, Parser, Subcommand, ValueEnum, ValueHint};

use crate::check::config::{DenyItem, Format};
use crate::check::growth::GrowthLimit;
use crate::dockerfile::Platform;
use crate::scan::allow::AllowList;
use crate::size::parse_size;
use crate::templates::ProjectKind;

const ABOUT: &str = "See exactly what `docker build` sends as its build context.";

const LONG_ABOUT: &str = "\
See exactly what `docker build` sends as its build context.

ctxsize applies `.dockerignore` exactly as BuildKit does (the ignore file beside a `-f`
Dockerfile, `!` exceptions, `**`, parent-directory matches, pruning, the regex syntax that
leaks through patterns) and walks the context in parallel.";

const EXAMPLES: &str = "\
Examples:
  Measure the context and get a proposal for a smaller one:
    ctxsize scan

  Gate a build:
    ctxsize check --max-size 200MB && docker build .

  List what `docker build .` ships, with types and sizes:
    ctxsize ls -l .

  The same for `docker build -f docker/api.Dockerfile .`:
    ctxsize ls -l -f docker/api.Dockerfile .

  What the rules keep out (each excluded directory once):
    ctxsize ls --excluded

  Why is this file (not) in the image?
    ctxsize why node_modules/react/index.js .env src/main.rs

  Run it as `docker ctxsize` (a Docker CLI plugin):
    ctxsize install-docker-plugin && docker ctxsize scan .

Exit status: 0 ok; 1 `check` failed, `lint` found problems, or `init` left a file unchanged;
2 usage error, a missing -f Dockerfile, an ignore file BuildKit would reject, a directory
BuildKit enters that cannot be read (docker build fails there), or an incomplete walk.";

#[derive(Debug, Parser)]
#[command(name = "ctxsize", version, about = ABOUT, long_about = LONG_ABOUT, after_long_help = EXAMPLES)]
pub struct Cli {
    /// When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true, value_name = "WHEN")]
    pub color: ColorWhen,

    /// Number of threads that walk (0: three per core, which keeps the disk busy on a cold
    /// cache; sorting uses at most one per core).
    #[arg(short = 'j', long = "threads", default_value_t = 0, global = true, value_name = "N")]
    pub threads: usize,

    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses `args` (program name first), naming the program `program` in help and usage
    /// errors (`docker ctxsize` when run as a Docker plugin); exits on a usage error.
    pub fn parse_as(program: &str, args: Vec<OsString>) -> Cli {
        use clap::{CommandFactory, FromArgMatches};
        let matches = Cli::command().bin_name(program).get_matches_from(args);
        Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Measure the context: totals, where the bytes are, project type, proposed rules.
    #[command(after_long_help = SCAN_EXAMPLES)]
    Scan(ScanArgs),
    /// List what the build context ships (or, with --excluded, what it leaves out).
    #[command(after_long_help = LS_EXAMPLES)]
    Ls(LsArgs),
    /// Gate a build: fail when the shipped context breaks a limit or a deny rule.
    #[command(after_long_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Write the proposed rules into the ignore file in force, keeping every line it has.
    #[command(after_long_help = INIT_EXAMPLES)]
    Init(InitArgs),
    /// Check the ignore file for lines BuildKit rejects and rules that do not do what they seem.
    #[command(after_long_help = LINT_EXAMPLES)]
    Lint(LintArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        after_long_help = "Example:\n  ctxsize completions bash > ~/.local/share/bash-completion/completions/ctxsize"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `ctxsize man > ctxsize.1`.
    Man,
    /// Explain, for each path, whether it ships and which rule decided.
    #[command(after_long_help = WHY_EXAMPLES)]
    Why(WhyArgs),
    /// Install ctxsize as a Docker CLI plugin, so `docker ctxsize scan` works.
    #[command(after_long_help = INSTALL_PLUGIN_EXAMPLES)]
    InstallDockerPlugin(InstallPluginArgs),
}

const INSTALL_PLUGIN_EXAMPLES: &str = "\
Docker runs `docker ctxsize ARGS` as `docker-ctxsize ctxsize ARGS`, finding docker-ctxsize in
the cli-plugins directory of its configuration directory ($DOCKER_CONFIG, else ~/.docker).
This places a symlink to this executable there (or a copy, with --copy). An existing file
that is not this ctxsize is left alone unless --force is given.

Examples:
  ctxsize install-docker-plugin && docker ctxsize scan .
  ctxsize install-docker-plugin --copy --dir /usr/local/lib/docker/cli-plugins";

#[derive(Debug, Args)]
pub struct InstallPluginArgs {
    /// The plugin directory (default: $DOCKER_CONFIG/cli-plugins, else ~/.docker/cli-plugins).
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub dir: Option<PathBuf>,
    /// Replace an existing docker-ctxsize that is not this executable.
    #[arg(long)]
    pub force: bool,
    /// Copy the executable instead of linking to it.
    #[arg(long)]
    pub copy: bool,
}

const SCAN_EXAMPLES: &str = "\
One walk measures everything on disk (excluded directories too, only to size them), what the
current rules exclude, what ships (the context: what `COPY . .` copies) and the transfer
(what `docker build` sends with this Dockerfile: only the paths its COPY, ADD and RUN --mount
sources name, filtered by the ignore file). It detects the project types (Node, Python, Go,
Java, Rust, Ruby, PHP, .NET; services in subdirectories too), measures every template rule
for them against both, and proposes those that remove something and take away nothing a
source names; what lies below a copied directory is fair game. Rules that shrink the
transfer come first; the others guard a later `COPY . .`. Build output (dist, build, out,
bin, target, obj) is proposed where it sits when the Dockerfile rebuilds it. In a git work
tree, a rule that would remove tracked files is listed, not proposed.

Sizes are apparent sizes (file lengths), in SI units (1 MB = 1,000,000 bytes).

Examples:
  ctxsize scan                      # the context in the current directory
  ctxsize scan ./app -f app/Dockerfile --target runtime
  ctxsize scan --type node,python   # propose rules for these types, not the detected ones
  ctxsize scan --json | jq .proposal.saving_bytes

Every build of a project (one row each, then the rules proposed per ignore file):
  ctxsize scan --compose            # compose.yaml here, or --compose FILE
  ctxsize scan --bake               # docker-bake.hcl here, or --bake FILE
  ctxsize scan --all                # every Dockerfile below here, or --all DIR
  ctxsize scan --compose --service api   # one service, its full report";

const CHECK_EXAMPLES: &str = "\
With a Dockerfile, limits and denies judge what `docker build` sends: the paths its COPY,
ADD and RUN --mount sources name, filtered by the ignore file (everything, when a source is
the context root). A denied file that is in the context but not sent is a warning.
--whole-context judges the whole filtered context instead.

Settings can live in ctxsize.toml at the context root, so a Makefile just says
`ctxsize check`; flags override the file:

  [check]
  max-size = \"200MB\"
  max-files = 50000
  deny = [\"secrets\", \"vcs\"]
  warn = [\"deps\"]
  format = \"text\"
  whole-context = false
  allow = [\"config/master.key\"]   # shipped on purpose

Allowed files (allow, --allow) are paths or globs relative to the context root: `*` and
`?` stay within one directory, `**` crosses directories (config/*.key does not match
config/credentials/x.key; config/**/*.key does), a directory allows what lies below it.
They are neither violations nor warnings, and are listed as `allowed: PATH (category)`.
A denied category lists its 20 largest files, then `and N more`; allowed files are counted
apart from both, so one never hides among the unlisted.

Exit status:
  0  what is judged is within every limit
  1  a limit or a deny is violated
  2  usage or runtime error, or docker build would fail on the context: a bad flag or
     ctxsize.toml, a missing -f Dockerfile, an ignore file BuildKit would reject, a
     directory BuildKit enters that cannot be read, or a context that could not be read
     completely (a file cannot be read: only a warning, it arrives empty)

Examples:
  ctxsize check --max-size 200MB && docker build .
  ctxsize check --deny secrets,vcs,deps --format github
  ctxsize check --format sarif > ctxsize.sarif
  ctxsize check --allow config/master.key,'certs/*.pem'";

const INIT_EXAMPLES: &str = "\
The rules are those `ctxsize scan` proposes: template rules for the detected project types
that remove something and take away nothing the Dockerfile's COPY, ADD or RUN --mount
sources name, and build output the Dockerfile rebuilds. They go into the
ignore file BuildKit reads (`<Dockerfile>.dockerignore` beside the Dockerfile when it exists,
else `.dockerignore`), in one block marked `# Added by ctxsize` at the end. Every existing
line stays byte for byte; a rule already present, or one that would undo one of your `!`
exceptions, is not added; running init again changes nothing. The write is atomic.

In a git work tree, a rule meant for generated or local files (dependencies, caches, build
output, logs, secrets) that would remove files git tracks is left out, with those files
listed; --include-tracked adds it anyway.

Without a terminal and without --yes, an existing file is not modified: the diff is printed
and the exit status is 1.

Examples:
  ctxsize init --dry-run          # the file that would be written
  ctxsize init --diff             # what would change
  ctxsize init --yes              # write it
  ctxsize init --from-gitignore   # also carry over .gitignore rules, converted";

const LINT_EXAMPLES: &str = "\
Each finding: FILE:LINE: severity name: what is wrong, then the fix. Findings: rejected
(BuildKit fails the build), inline-comment, trailing-whitespace, trailing-slash,
regex-syntax (`|` `{` `}` `^` `\\d`… act as regex syntax in patterns with a wildcard),
class-negation (`[!a]` is not a negation), duplicate, exception-first,
ineffective-exception (a later rule, or BuildKit not entering an excluded directory, keeps
what `!` names out or empty), and from the tree: unused (matches nothing), redundant (only
matches inside directories already skipped), bare-name (a one-segment rule such as
`node_modules`, `.*` or `*.log` while same-named entries ship deeper: a warning when they
look generated, local or secret, information when they look like source), excludes-needed
(a rule excludes what the Dockerfile's COPY, ADD or RUN --mount names).

Exit status: 0 no warnings, 1 warnings or errors found, 2 usage or runtime error.

Examples:
  ctxsize lint
  ctxsize lint -f docker/api.Dockerfile --json";

const LS_EXAMPLES: &str = "\
Output: one path per line, relative to the context, `/`-separated, sorted bytewise;
directories are included. With --long each line is `TYPE SIZE PATH`: TYPE is f (file; a
unix socket arrives as an empty file), d (directory), l (symlink), p (FIFO), c (character
device) or b (block device); SIZE is what BuildKit sends: a file's length (0 when BuildKit
drops its content), the length of a symlink's target, 0 for anything else.

Examples:
  ctxsize ls                       # what `docker build .` sends
  ctxsize ls -l ./app -f app.Dockerfile
  ctxsize ls -0 | xargs -0 du -b   # NUL-separated, safe for any name
  ctxsize ls --excluded -l         # the excluded entries, top directories only
  ctxsize ls --excluded --all      # every excluded entry
  ctxsize ls --transfer -l         # what `docker build` sends with this Dockerfile";

const WHY_EXAMPLES: &str = "\
PATH is relative to the context, as `ctxsize ls` prints it (an absolute path inside the
context works too). For each path ctxsize prints whether it ships and the deciding rule as
FILE:LINE: PATTERN, and says when the decision came from a parent directory, from BuildKit
not entering an excluded directory, or from no rule at all. With a Dockerfile, a
`transfer:` line says whether `docker build` sends the path, and through which COPY, ADD or
RUN --mount (line and source), or why not.

Examples:
  ctxsize why node_modules/left-pad/index.js
  ctxsize why -C services/api -f services/api/Dockerfile .env
  ctxsize why --json build/keep.txt";

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub inputs: ContextArgs,

    #[command(flatten)]
    pub build: BuildFlags,

    /// Propose rules for these project types instead of the detected ones (comma-separated).
    #[arg(long = "type", value_name = "TYPES", value_delimiter = ',', value_enum)]
    pub kinds: Vec<ProjectKind>,

    /// How many heaviest directories and largest files to show.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub top: usize,

    /// How deep the heaviest-directories view goes (1: top-level directories).
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub depth: usize,

    /// Print one JSON object (schema in docs/json.md).
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub builds: BuildsArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub inputs: ContextArgs,

    #[command(flatten)]
    pub builds: BuildsArgs,

    /// Fail when more than this ships (200MB, 1.5GiB, 512k: SI and IEC units).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_size: Option<u64>,

    /// Fail when more files than this ship.
    #[arg(long, value_name = "N")]
    pub max_files: Option<u64>,

    /// Fail when any of these ship (comma-separated; `''` denies nothing) [default: secrets].
    /// For lint, the ignore file's findings of severity warning or error fail; info ones are
    /// reported as warnings.
    #[arg(long, value_name = "LIST", value_parser = DenyListParser)]
    pub deny: Option<DenyList>,

    /// Report these without failing (same names) [default: vcs,deps].
    #[arg(long, value_name = "LIST", value_parser = DenyListParser)]
    pub warn: Option<DenyList>,

    /// How to write the verdict [default: text].
    #[arg(long, value_name = "FORMAT", value_enum)]
    pub format: Option<Format>,

    /// Judge the whole filtered context (what `COPY . .` ships) instead of what the
    /// Dockerfile makes BuildKit send: for builders that send everything (the legacy
    /// builder, kaniko, buildah/podman).
    #[arg(long)]
    pub whole_context: bool,

    /// Files shipped on purpose (comma-separated paths or globs, relative to the context):
    /// neither violations nor warnings, listed as allowed. `*` stays within a directory,
    /// `**` crosses directories; a directory allows what lies below it. Replaces the
    /// `allow` of ctxsize.toml; `--allow ''` allows nothing.
    #[arg(long, value_name = "LIST", value_parser = AllowList::parse_list)]
    pub allow: Option<AllowList>,

    /// Compare each build with the baseline --write-baseline recorded, and show how much it
    /// grew and where. FILE defaults to .ctxsize-baseline.json at the context root (beside
    /// the Compose or Bake file with a list of builds). Growth fails only with --max-growth.
    #[arg(
        long,
        value_name = "FILE",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "",
        value_parser = clap::builder::OsStringValueParser::new()
    )]
    pub baseline: Option<std::ffi::OsString>,

    /// Fail when a build sends more than its baseline plus this: a share (10%), a size
    /// (5MB), or both (10%,5MB: the larger allowance applies). Reads the default baseline
    /// unless --baseline names one.
    #[arg(long, value_name = "LIMIT", value_delimiter = ',', value_parser = GrowthLimit::parse)]
    pub max_growth: Vec<GrowthLimit>,

    /// Record what every build sends now as the baseline (FILE as for --baseline), then
    /// judge as usual. Commit the file: later checks compare with it.
    #[arg(
        long,
        value_name = "FILE",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "",
        value_parser = clap::builder::OsStringValueParser::new(),
        conflicts_with_all = ["baseline", "max_growth"]
    )]
    pub write_baseline: Option<std::ffi::OsString>,

    #[command(flatten)]
    pub build: BuildFlags,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    #[command(flatten)]
    pub inputs: ContextArgs,

    /// Propose rules for these project types instead of the detected ones (comma-separated).
    #[arg(long = "type", value_name = "TYPES", value_delimiter = ',', value_enum)]
    pub kinds: Vec<ProjectKind>,

    /// Print the file that would be written, change nothing.
    #[arg(long, conflicts_with = "diff")]
    pub dry_run: bool,

    /// Print a unified diff of the change, change nothing.
    #[arg(long)]
    pub diff: bool,

    /// Also convert the context's .gitignore rules (anchored as dockerignore needs).
    #[arg(long)]
    pub from_gitignore: bool,

    /// Modify an existing file without asking.
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// Also add rules that would remove files git tracks (by default such a rule is left
    /// out and listed with the tracked files it would remove).
    #[arg(long)]
    pub include_tracked: bool,

    #[command(flatten)]
    pub builds: BuildsArgs,

    #[command(flatten)]
    pub build: BuildFlags,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    #[command(flatten)]
    pub inputs: ContextArgs,

    /// Print one JSON object (schema in docs/json.md).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct LsArgs {
    #[command(flatten)]
    pub inputs: ContextArgs,

    /// Print `TYPE SIZE PATH` per entry.
    #[arg(short = 'l', long)]
    pub long: bool,

    /// Separate entries with NUL instead of newline.
    #[arg(short = '0', long = "null")]
    pub null: bool,

    /// List what the rules exclude instead (each excluded directory once).
    #[arg(long, conflicts_with = "transfer")]
    pub excluded: bool,

    /// List only what this Dockerfile makes BuildKit send: the paths its COPY, ADD and RUN
    /// --mount sources name (and the directories leading to them), filtered by the ignore
    /// file; everything that ships when a source is the context root.
    #[arg(long)]
    pub transfer: bool,

    /// With --excluded: every excluded entry, including the contents of excluded directories.
    #[arg(long, requires = "excluded")]
    pub all: bool,

    /// Ignore any ignore file: list the whole context.
    #[arg(long)]
    pub no_ignore: bool,

    #[command(flatten)]
    pub build: BuildFlags,
}

#[derive(Debug, Args)]
pub struct WhyArgs {
    /// The build context directory.
    #[arg(
        short = 'C',
        long = "context",
        default_value = ".",
        value_name = "CONTEXT",
        value_hint = ValueHint::DirPath
    )]
    pub context: PathBuf,

    #[command(flatten)]
    pub dockerfile: DockerfileArg,

    /// Print one JSON object (schema in docs/json.md).
    #[arg(long)]
    pub json: bool,

    /// Paths to explain, relative to the context.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<OsString>,

    #[command(flatten)]
    pub build: BuildFlags,
}

/// The context and the Dockerfile, as `docker build [-f DOCKERFILE] CONTEXT` names them.
#[derive(Debug, Clone, Args)]
pub struct ContextArgs {
    /// The build context directory.
    #[arg(default_value = ".", value_name = "CONTEXT", value_hint = ValueHint::DirPath)]
    pub context: PathBuf,

    #[command(flatten)]
    pub dockerfile: DockerfileArg,
}

/// Every build of a project at once, instead of one context: the services of a Compose
/// file, the targets of Bake files, or every Dockerfile under a directory.
#[derive(Debug, Clone, Default, Args)]
pub struct BuildsArgs {
    #[command(flatten)]
    pub source: BuildSourceArgs,

    /// Only this build (a Compose service, a Bake target, a discovered Dockerfile's path),
    /// with its full report; repeat for more.
    #[arg(long = "service", value_name = "NAME", requires = "source")]
    pub services: Vec<String>,
}

/// Where the builds come from: one of the three.
#[derive(Debug, Clone, Default, Args)]
#[group(id = "source", multiple = false, conflicts_with = "path")]
pub struct BuildSourceArgs {
    /// Every service of a Compose file that builds (default: compose.yaml,
    /// compose.yml, docker-compose.yaml or docker-compose.yml here).
    #[arg(long, value_name = "FILE", num_args = 0..=1, value_hint = ValueHint::FilePath)]
    pub compose: Option<Option<PathBuf>>,

    /// Every target of Bake files (default: docker-bake.hcl, docker-bake.json and their
    /// overrides here; the `default` group unless --service names targets).
    #[arg(long, value_name = "FILE", num_args = 0..=1, value_hint = ValueHint::FilePath)]
    pub bake: Option<Option<PathBuf>>,

    /// Every Dockerfile, *.Dockerfile and Dockerfile.* under DIR (default: here), each
    /// built with DIR as its context; what .gitignore ignores and dependency directories
    /// (node_modules, vendor, .git, …) are skipped.
    #[arg(long = "all", value_name = "DIR", num_args = 0..=1, value_hint = ValueHint::DirPath)]
    pub all: Option<Option<PathBuf>>,
}

/// `-f`, apart from the context, because `why` takes its context as `-C`: its paths are the
/// positional arguments.
#[derive(Debug, Clone, Default, Args)]
pub struct DockerfileArg {
    /// The Dockerfile, as `docker build -f` takes it (default: CONTEXT/Dockerfile; its
    /// `<name>.dockerignore` applies).
    #[arg(short = 'f', long = "file", value_name = "DOCKERFILE", value_hint = ValueHint::FilePath)]
    pub path: Option<PathBuf>,
}

/// How `docker build` reads the Dockerfile: the same flags, the same meaning.
#[derive(Debug, Clone, Default, Args)]
pub struct BuildFlags {
    /// The build stage, as `docker build --target` (default: the last stage).
    #[arg(long, value_name = "STAGE")]
    pub target: Option<String>,

    /// A build argument for the Dockerfile's ARGs, as `docker build --build-arg` (a bare
    /// NAME takes its value from the environment).
    #[arg(long = "build-arg", value_name = "NAME=VALUE")]
    pub build_args: Vec<String>,

    /// The target platform, as `docker build --platform`: linux/amd64, linux/arm64,
    /// linux/arm/v7, or an architecture alone (default: the host's, `linux/<arch>`).
    ///
    /// It gives TARGETPLATFORM, TARGETOS, TARGETARCH and TARGETVARIANT their values, so
    /// `ARG TARGETARCH` then `COPY dist/$TARGETARCH/app /` selects one directory. The BUILD*
    /// arguments are always the host's. A multi-platform build is one build per platform:
    /// run ctxsize once for each.
    #[arg(long, value_name = "PLATFORM", value_parser = Platform::parse)]
    pub platform: Option<Platform>,
}

/// `--deny`/`--warn`: the items of one comma-separated list, in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DenyList(pub Vec<DenyItem>);

/// Reads a [`DenyList`] while clap parses, so that a wrong name is a usage error that lists
/// the known ones, and `--help` and the shell completions know them. A plain `ValueEnum`
/// with a delimiter would not do: `--deny ''` (an empty list, which clears the default)
/// and blanks around names (`--deny 'secrets, vcs'`) are accepted.
#[derive(Debug, Clone, Copy)]
pub struct DenyListParser;

impl TypedValueParser for DenyListParser {
    type Value = DenyList;

    fn parse_ref(
        &self,
        command: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<DenyList, clap::Error> {
        let text = value.to_string_lossy();
        DenyItem::parse_list(&text).map(DenyList).map_err(|unknown| {
            let mut error = clap::Error::new(ErrorKind::InvalidValue).with_cmd(command);
            let arg = arg.map(ToString::to_string).unwrap_or_default();
            error.insert(ContextKind::InvalidArg, ContextValue::String(arg));
            error.insert(ContextKind::InvalidValue, ContextValue::String(unknown.name));
            let known = DenyItem::ALL.iter().map(|item| item.name().to_owned()).collect();
            error.insert(ContextKind::ValidValue, ContextValue::Strings(known));
            error
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(DenyItem::ALL.into_iter().map(|item| PossibleValue::new(item.name()))))
    }
}

impl ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Format] {
        &Format::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let help = match self {
            Format::Text => "one line per finding and a summary, for people",
            Format::Json => "one JSON object (schema in docs/json.md)",
            Format::Sarif => "SARIF 2.1.0, for code scanning",
            Format::Github => "GitHub Actions annotations, then the summary",
        };
        Some(PossibleValue::new(self.name()).help(help))
    }
}

impl ValueEnum for ProjectKind {
    fn value_variants<'a>() -> &'a [ProjectKind] {
        &ProjectKind::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.name()))
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }

    #[test]
    fn deny_lists_are_read_while_parsing() {
        use clap::Parser;
        use clap::error::ErrorKind;

        use super::{Cli, Command, DenyItem, DenyList};

        let cli =
            Cli::try_parse_from(["ctxsize", "check", "--deny", " vcs,lint ,vcs", "--warn", ""])
                .unwrap();
        let Command::Check(args) = cli.command else { panic!("not check") };
        assert_eq!(args.deny, Some(DenyList(vec![DenyItem::Vcs, DenyItem::Lint])));
        assert_eq!(args.warn, Some(DenyList(vec![])));
        let error = Cli::try_parse_from(["ctxsize", "check", "--warn", "vcs,modules"]).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidValue);
        assert_eq!(error.exit_code(), 2);
        let message = error.to_string();
        assert!(message.contains("invalid value 'modules' for '--warn <LIST>'"), "{message}");
        assert!(message.contains("[possible values: secrets, vcs, deps"), "{message}");
    }
}
