//! What a Dockerfile needs from the build context.
//!
//! BuildKit's Dockerfile frontend dispatches only the stages the build target needs, and
//! records every context path that a `COPY`/`ADD` source or a `RUN --mount` without `from`
//! names (`ctxPaths`, after variable expansion, cleaned as `path.Join("/", src)`). It asks
//! the client for those paths alone (`llb.FollowPaths`), which then applies `.dockerignore`;
//! only when one of them is the context root does the whole (filtered) context travel.
//! [`parse`] reproduces that record: the stages, which of them the target needs, and every
//! source, each able to tell which context paths it needs ([`ContextSource::selects`]).
//!
//! [`Dockerfile::build_runs`] tells which `RUN`s of the needed stages build the project, for
//! which ecosystem (the [`build`] module), and [`Dockerfile::stage_reads_context`] whether
//! such a stage has files from the context to build from.
//!
//! Text is parsed by the `parse-dockerfile` crate; this module adds what BuildKit does on
//! top: variable expansion (the `shell` module), `--from`, mount options, URL and git sources, stage
//! reachability and path cleaning.
//!
//! The automatic platform `ARG`s (`TARGETPLATFORM`, `TARGETARCH`, `BUILDOS`, …) have the
//! values of the build's [`Platform`]: the host's (`linux/<arch>`) unless `--platform` says
//! otherwise (the `platform` module). As in BuildKit they are predefined in the global scope
//! only: `FROM` sees them, a stage after `ARG TARGETARCH` (no default) does, and a default
//! or a build argument overrides them like any `ARG` (BuildKit's `dispatchArg`).
//!
//! Decisions where BuildKit gives no answer or ctxsize cannot know it:
//! - A variable without a known value (an `ARG` without default nor build argument, a
//!   base image's `ENV`, any name not declared in the stage, a platform `ARG` included)
//!   stays in [`ContextSource::path`] as written and is listed in
//!   [`ContextSource::unresolved`]; [`ContextSource::selects`] lets it stand for any text,
//!   `/` included. BuildKit would substitute the empty string, but the real build may well
//!   pass that argument, or the base image set that variable. So `COPY dist/$TARGETARCH/app`
//!   in a stage without `ARG TARGETARCH` selects every `dist/*/app`, where BuildKit would
//!   copy `dist/app`: the Dockerfile probably lacks the `ARG`.
//! - `COPY --from` and `RUN --mount=from=` are taken literally, as BuildKit does (it
//!   expands neither); a name that is no stage is an image or a named context.
//! - `ADD` of `http://` or `https://` URLs, and of git references with a scheme (`git://`,
//!   `ssh://`) or in scp form (`git@host:repo`), is not the context; `github.com/…` and
//!   `x.git` without a scheme are context paths, as in BuildKit, which reads them locally.
//! - `RUN --mount=type=tmpfs` reads nothing, yet BuildKit records its source (the root by
//!   default) like a bind mount's, which turns the path filter off. It is reported as
//!   [`Instruction::TmpfsMount`]; [`Instruction::reads_context`] is false for it.
//! - A `*` source is not [`ContextSource::is_root`] (BuildKit follows the pattern `*`), but
//!   it selects every path.
//! - An expansion error (`${A`, an unclosed quote) fails [`parse`] in a stage the target
//!   needs, as it fails the build; elsewhere the word is kept as written and unresolved.
//! - Not modelled: `ONBUILD` triggers of base images, the symlinks BuildKit follows inside
//!   followed paths, `--exclude` (recorded, but it does not shrink the transfer).

pub mod build;
mod pattern;
pub mod platform;
mod script;
mod shell;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use parse_dockerfile as pd;

pub use build::{BuildRun, Run, RunCommand};
use pattern::Matcher;
pub use platform::{Platform, PlatformError};
use shell::{Piece, Scope, Word};

/// A parsed Dockerfile: its stages and every source it reads from the context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dockerfile {
    pub stages: Vec<Stage>,
    /// Every context source, in Dockerfile order, needed or not.
    pub sources: Vec<ContextSource>,
    /// Every `RUN`, in Dockerfile order, needed or not ([`Dockerfile::build_runs`] reads them).
    pub runs: Vec<Run>,
    /// Index of the target stage.
    pub target: usize,
}

/// One `FROM` and the instructions after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// 0-based, as in `COPY --from=0`.
    pub index: usize,
    /// The name after `AS`, as written.
    pub name: Option<String>,
    /// The base after global `ARG` expansion (unknown variables as written).
    pub base: String,
    /// The earlier stage the base names, when it names one.
    pub base_stage: Option<usize>,
    /// 1-based line of the `FROM`.
    pub line: usize,
    /// The target needs this stage.
    pub needed: bool,
    /// The earlier stages it is built from, copies from (`COPY --from`) or mounts.
    pub deps: Vec<usize>,
}

/// The instruction a source comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Instruction {
    Copy,
    Add,
    /// `RUN --mount=type=bind` (the default type) without `from`.
    RunMount,
    /// `RUN --mount=type=tmpfs`: reads nothing, but BuildKit records its source.
    TmpfsMount,
}

impl Instruction {
    /// Whether the instruction reads the paths it names (all but [`Instruction::TmpfsMount`]).
    pub fn reads_context(self) -> bool {
        self != Instruction::TmpfsMount
    }

    /// How the instruction reads in a Dockerfile: `COPY`, `ADD`, `RUN --mount`,
    /// `RUN --mount=type=tmpfs` (also its [`Display`](std::fmt::Display)).
    pub fn keyword(self) -> &'static str {
        match self {
            Instruction::Copy => "COPY",
            Instruction::Add => "ADD",
            Instruction::RunMount => "RUN --mount",
            Instruction::TmpfsMount => "RUN --mount=type=tmpfs",
        }
    }
}

impl std::fmt::Display for Instruction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.keyword())
    }
}

/// How a source relates to one context path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// The source does not need the path.
    None,
    /// The path is what the source names (or one match of a wildcard source).
    Named,
    /// The path lies below what the source names: sent, but an ignore rule may filter it.
    Below,
    /// The path is a directory on the way to what the source names.
    LeadsTo,
}

impl Selection {
    /// Whether the source needs the path at all.
    pub fn selected(self) -> bool {
        self != Selection::None
    }
}

/// One source an instruction reads from the build context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextSource {
    /// 1-based line of the instruction.
    pub line: usize,
    pub instruction: Instruction,
    /// Index of the stage it belongs to.
    pub stage: usize,
    /// The source as written (a JSON-form string decoded; empty for a mount without `source`).
    pub written: String,
    /// Expanded and cleaned, relative to the context root, `/`-separated, without a leading
    /// `/` or `./`; `.` is the root. Unknown variables stay as written.
    pub path: String,
    /// The source is the context root (`.`, `./`, `/`, `..`, a mount without `source`):
    /// BuildKit then sends the whole context that `.dockerignore` lets through.
    pub is_root: bool,
    /// Its stage is needed by the target.
    pub needed: bool,
    /// Variables in the source whose value is unknown; empty when fully expanded.
    pub unresolved: Vec<String>,
    /// `COPY`/`ADD --exclude` patterns, as written.
    pub excludes: Vec<String>,
    /// `COPY`/`ADD --parents`.
    pub parents: bool,
    /// BuildKit treats the source as a pattern (an unescaped `*`, `?` or `[`).
    pub wildcard: bool,
    matcher: Matcher,
}

impl ContextSource {
    /// Whether the source needs context path `path` (relative, `/`-separated): the path
    /// it names or matches, everything below, and the directories leading to it.
    pub fn selects(&self, path: &[u8]) -> bool {
        self.covers(path) || self.leads_to(path)
    }

    /// Whether `path` is what the source names or matches, or lies below it.
    pub fn covers(&self, path: &[u8]) -> bool {
        self.matcher.covers(path)
    }

    /// Whether `path` itself is what the source names or matches: the path that must reach
    /// the builder, or BuildKit fails with "not found" (a wildcard source needs at least one
    /// of its matches; ctxsize keeps every one of them).
    pub fn names(&self, path: &[u8]) -> bool {
        self.matcher.names(path)
    }

    /// For a wildcard source, the directory that must arrive for it to copy nothing without
    /// failing (see [`pattern::Matcher::wildcard_dir`]); `None` for others.
    pub fn wildcard_dir(&self) -> Option<Vec<u8>> {
        self.matcher.wildcard_dir()
    }

    /// How the source relates to `path`, in one call.
    pub fn selection(&self, path: &[u8]) -> Selection {
        self.matcher.selection(path)
    }

    /// The path this source names that `path` is, or lies below (`None` when it covers
    /// nothing of `path`): `netbox` for `netbox/app/views.py` and source `netbox`.
    pub fn named_ancestor<'p>(&self, path: &'p [u8]) -> Option<&'p [u8]> {
        let mut end = 0;
        loop {
            let next = path[end..].iter().position(|&b| b == b'/').map_or(path.len(), |i| end + i);
            if self.names(&path[..next]) {
                return Some(&path[..next]);
            }
            if next == path.len() {
                return None;
            }
            end = next + 1;
        }
    }

    /// Whether `path` is a directory on the way to what the source names or may match
    /// (the root leads to every source but a root one, which covers it).
    pub fn leads_to(&self, path: &[u8]) -> bool {
        self.matcher.leads_to(path)
    }
}

impl Dockerfile {
    /// The target stage.
    pub fn target_stage(&self) -> &Stage {
        &self.stages[self.target]
    }

    /// The sources of the stages the target needs.
    pub fn needed_sources(&self) -> impl Iterator<Item = &ContextSource> {
        self.sources.iter().filter(|source| source.needed)
    }

    /// Whether BuildKit sends the whole (ignore-filtered) context: a needed source is the
    /// root. When false and [`Dockerfile::reads_context`], only the selected paths travel.
    pub fn sends_whole_context(&self) -> bool {
        self.needed_sources().any(|source| source.is_root)
    }

    /// Whether the build reads the context at all.
    pub fn reads_context(&self) -> bool {
        self.needed_sources().any(|source| source.instruction.reads_context())
    }
}

/// Why a Dockerfile cannot be analysed; each is a build BuildKit would fail too.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DockerfileError {
    /// The text does not parse.
    #[error("line {line}: {message}")]
    Syntax { line: usize, column: usize, message: String },
    #[error("the Dockerfile has no FROM instruction")]
    NoStage,
    #[error("target stage {0:?} could not be found")]
    UnknownTarget(String),
    #[error("line {line}: invalid stage index {index} in COPY --from")]
    StageIndex { line: usize, index: String },
    /// A variable substitution BuildKit rejects, in a stage the target needs.
    #[error("line {line}: {message}")]
    Expansion { line: usize, message: String },
}

impl DockerfileError {
    /// The 1-based line to blame, when there is one.
    pub fn line(&self) -> Option<usize> {
        match self {
            DockerfileError::Syntax { line, .. }
            | DockerfileError::StageIndex { line, .. }
            | DockerfileError::Expansion { line, .. } => Some(*line),
            DockerfileError::NoStage | DockerfileError::UnknownTarget(_) => None,
        }
    }
}

/// Parses `text` and finds what it needs from the context when building `target` (by
/// name, case-insensitive; `None` is the last stage) for `platform` (`--platform`, else
/// [`Platform::host`]) with `build_args` (`--build-arg`; the last of a repeated name wins).
///
/// In BuildKit's order: the global ARGs, each stage's base, the target, then every stage's
/// instructions; only then is it known which stages the target needs, and so which
/// expansion errors count and which sources are sent.
pub fn parse(
    text: &str,
    build_args: &[(String, String)],
    target: Option<&str>,
    platform: &Platform,
) -> Result<Dockerfile, DockerfileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let parsed = pd::parse(text).map_err(|error| match error.line() {
        0 => DockerfileError::NoStage,
        line => {
            DockerfileError::Syntax { line, column: error.column(), message: format!("{error:#}") }
        }
    })?;
    let lines = LineIndex::new(text);
    let escape = parsed.parser_directives.escape.as_ref().map_or('\\', |d| d.value.value);
    let build_args: HashMap<&str, &str> =
        build_args.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
    let mut cx = Context { escape, build_args, errors: Vec::new() };
    let global = global_scope(&parsed, platform, &mut cx, &lines)?;
    let mut stages = read_stages(&parsed, &global, escape, &lines)?;
    let target = match target {
        None => stages.len() - 1,
        Some(name) => find_stage(&stages, name)
            .ok_or_else(|| DockerfileError::UnknownTarget(name.to_owned()))?,
    };
    let uses = StageUses::read(&parsed, &stages, &global, &mut cx, &lines)?;
    for (stage, deps) in stages.iter_mut().zip(&uses.deps) {
        stage.deps = deps.clone();
        stage.deps.sort_unstable();
        stage.deps.dedup();
    }
    mark_needed(&mut stages, &uses.deps, target);
    cx.errors.sort_by_key(|&(_, line, _)| line);
    if let Some((_, line, message)) =
        cx.errors.into_iter().find(|&(stage, _, _)| stage == usize::MAX || stages[stage].needed)
    {
        return Err(DockerfileError::Expansion { line, message });
    }
    let sources = uses
        .found
        .into_iter()
        .map(|found| {
            let needed = stages[found.at.stage].needed;
            found.finish(needed)
        })
        .collect();
    Ok(Dockerfile { stages, sources, runs: uses.runs, target })
}

/// The scope `FROM` lines see: the platform ARGs, then the ARGs before the first `FROM`.
///
/// BuildKit predefines the platform ARGs in the global scope: `FROM` sees them, and a stage
/// sees one after `ARG TARGETARCH` (no default), like any global ARG. A default or a build
/// argument overrides them as it would any ARG. The build runs on this machine whatever the
/// target (`--platform` changes only TARGET*).
fn global_scope(
    parsed: &pd::Dockerfile<'_>,
    platform: &Platform,
    cx: &mut Context<'_>,
    lines: &LineIndex,
) -> Result<Scope, DockerfileError> {
    let mut global = Scope::default();
    for (name, value) in platform::automatic_args(platform, &Platform::host()) {
        global.set_arg(name, Some(value));
    }
    for arg in parsed.global_args() {
        let line = lines.line(arg.arg.span.start);
        cx.declare_args(&arg.arguments.value, &mut global, None, line, usize::MAX);
    }
    // A global ARG BuildKit cannot expand fails every build, whatever the target.
    if let Some((_, line, message)) = cx.errors.first().cloned() {
        return Err(DockerfileError::Expansion { line, message });
    }
    Ok(global)
}

/// Every stage from its `FROM` line: name, base image (expanded in the global scope) and the
/// earlier stage it builds on. Which stages are needed is decided later.
fn read_stages(
    parsed: &pd::Dockerfile<'_>,
    global: &Scope,
    escape: char,
    lines: &LineIndex,
) -> Result<Vec<Stage>, DockerfileError> {
    let mut stages: Vec<Stage> = Vec::new();
    for (index, stage) in parsed.stages().enumerate() {
        let line = lines.line(stage.from.from.span.start);
        let base = shell::expand(&stage.from.image.value, escape, global)
            .map_err(|message| DockerfileError::Expansion { line, message })?;
        let base_stage = base.known().and_then(|base| find_stage(&stages, &base));
        stages.push(Stage {
            index,
            name: stage.from.as_.as_ref().map(|(_, name)| name.value.to_string()),
            base: base.render(),
            base_stage,
            line,
            needed: false,
            deps: Vec::new(),
        });
    }
    Ok(stages)
}

/// Marks the target and, transitively, every stage it depends on as needed.
fn mark_needed(stages: &mut [Stage], deps: &[Vec<usize>], target: usize) {
    let mut queue = vec![target];
    stages[target].needed = true;
    while let Some(stage) = queue.pop() {
        for &dep in &deps[stage] {
            if !stages[dep].needed {
                stages[dep].needed = true;
                queue.push(dep);
            }
        }
    }
}

/// What the stages' instructions use: other stages, context sources and `RUN` commands.
struct StageUses {
    /// Per stage: the stages it depends on (its base, `COPY --from`, `RUN --mount from=`).
    deps: Vec<Vec<usize>>,
    found: Vec<Found>,
    runs: Vec<Run>,
}

impl StageUses {
    /// Reads every stage's instructions, each stage in the scope it inherits from its base.
    fn read(
        parsed: &pd::Dockerfile<'_>,
        stages: &[Stage],
        global: &Scope,
        cx: &mut Context<'_>,
        lines: &LineIndex,
    ) -> Result<StageUses, DockerfileError> {
        let mut uses = StageUses {
            deps: stages.iter().map(|s| s.base_stage.into_iter().collect()).collect(),
            found: Vec::new(),
            runs: Vec::new(),
        };
        let mut scopes: Vec<Scope> = Vec::with_capacity(stages.len());
        for (index, stage) in parsed.stages().enumerate() {
            let mut scope =
                stages[index].base_stage.map(|base| scopes[base].clone()).unwrap_or_default();
            for instruction in stage.instructions {
                let at = |span: &pd::Span| At { line: lines.line(span.start), stage: index };
                match instruction {
                    pd::Instruction::Arg(arg) => {
                        let line = lines.line(arg.arg.span.start);
                        cx.declare_args(
                            &arg.arguments.value,
                            &mut scope,
                            Some(global),
                            line,
                            index,
                        );
                    }
                    pd::Instruction::Env(env) => {
                        let line = lines.line(env.env.span.start);
                        cx.declare_env(&env.arguments.value, &mut scope, line, index);
                    }
                    pd::Instruction::Copy(copy) => {
                        uses.copy(copy, stages, &scope, cx, at(&copy.copy.span))?;
                    }
                    pd::Instruction::Add(add) => uses.add(add, &scope, cx, at(&add.add.span)),
                    pd::Instruction::Run(run) => {
                        uses.run(run, stages, &scope, cx, at(&run.run.span));
                    }
                    _ => {}
                }
            }
            scopes.push(scope);
        }
        Ok(uses)
    }

    /// `COPY`: a dependency on the stage `--from` names, else context sources.
    fn copy(
        &mut self,
        copy: &pd::CopyInstruction<'_>,
        stages: &[Stage],
        scope: &Scope,
        cx: &mut Context<'_>,
        at: At,
    ) -> Result<(), DockerfileError> {
        let flags = CopyFlags::new(&copy.options);
        if let Some(from) = &flags.from {
            match stage_ref(stages, from, true) {
                Ok(Some(dep)) => self.deps[at.stage].push(dep),
                Ok(None) => {}
                Err(()) => {
                    let index = from.clone();
                    return Err(DockerfileError::StageIndex { line: at.line, index });
                }
            }
            return Ok(());
        }
        for src in &copy.src {
            if let pd::Source::Path(src) = src {
                let word = cx.expand(&src.value, scope, at);
                self.found.push(Found::new(Instruction::Copy, at, &src.value, word, &flags));
            }
        }
        Ok(())
    }

    /// `ADD`: context sources; URLs and git repositories come from elsewhere.
    fn add(&mut self, add: &pd::AddInstruction<'_>, scope: &Scope, cx: &mut Context<'_>, at: At) {
        let flags = CopyFlags::new(&add.options);
        for src in &add.src {
            if let pd::Source::Path(src) = src {
                let word = cx.expand(&src.value, scope, at);
                if !is_remote(&word.render()) {
                    self.found.push(Found::new(Instruction::Add, at, &src.value, word, &flags));
                }
            }
        }
    }

    /// `RUN`: its command, and its `--mount`s: a stage it depends on, or a context source.
    fn run(
        &mut self,
        run: &pd::RunInstruction<'_>,
        stages: &[Stage],
        scope: &Scope,
        cx: &mut Context<'_>,
        at: At,
    ) {
        self.runs.push(Run {
            stage: at.stage,
            line: at.line,
            command: run_command(run, cx.escape),
        });
        for flag in run.options.iter().filter(|flag| flag.name.value == "mount") {
            let Some(value) = &flag.value else { continue };
            match cx.mount(&value.value, scope, at) {
                Mount::Stage(from) => {
                    if let Ok(Some(dep)) = stage_ref(stages, &from, false) {
                        self.deps[at.stage].push(dep);
                    }
                }
                Mount::Context { instruction, written, word } => {
                    let flags = CopyFlags::default();
                    self.found.push(Found::new(instruction, at, &written, word, &flags));
                }
                Mount::Nothing => {}
            }
        }
    }
}

/// The command of a `RUN`. A shell-form script is made what BuildKit hands the shell: the
/// escape at the end of a line joins it to the next, and comment lines between them go.
fn run_command(run: &pd::RunInstruction<'_>, escape: char) -> RunCommand {
    match &run.arguments {
        pd::Command::Exec(words) => {
            RunCommand::Exec(words.value.iter().map(|word| word.value.to_string()).collect())
        }
        pd::Command::Shell(script) => RunCommand::Shell {
            script: join_continuations(script.value, escape),
            here_docs: run.here_docs.iter().map(|doc| doc.value.to_string()).collect(),
        },
        // A form a later parser version adds: no command known to build.
        _ => RunCommand::Exec(Vec::new()),
    }
}

/// Joins continuation lines as BuildKit's parser does: the escape and the white space after
/// it go, the next line follows directly; blank and comment lines in between are dropped.
fn join_continuations(text: &str, escape: char) -> String {
    let mut joined = String::with_capacity(text.len());
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if i > 0 && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        match line.trim_end().strip_suffix(escape) {
            Some(continued) => joined.push_str(continued),
            None => joined.push_str(line),
        }
    }
    joined
}

/// Where an instruction is.
#[derive(Debug, Clone, Copy)]
struct At {
    line: usize,
    stage: usize,
}

/// Settings shared by one parse, and the expansion errors met so far.
struct Context<'a> {
    escape: char,
    build_args: HashMap<&'a str, &'a str>,
    /// (stage, line, message); stage `usize::MAX` is the global scope.
    errors: Vec<(usize, usize, String)>,
}

impl Context<'_> {
    /// Expands a word; on an error, records it and keeps the word as written, unresolved.
    fn expand(&mut self, word: &str, scope: &Scope, at: At) -> Word {
        shell::expand(word, self.escape, scope).unwrap_or_else(|message| {
            self.errors.push((at.stage, at.line, message));
            let names = shell::referenced_names(word);
            Word::unknown(word, names.first().map_or("", String::as_str))
        })
    }

    /// `ARG a=1 b`: in a stage, an `ARG` without default takes the build argument, else
    /// the global `ARG` of that name; with a default, the build argument or the default.
    /// In the global scope (`global` is `None`), one without default nor build argument
    /// keeps the value the name has.
    fn declare_args(
        &mut self,
        arguments: &str,
        scope: &mut Scope,
        global: Option<&Scope>,
        line: usize,
        stage: usize,
    ) {
        // Every value of the instruction is expanded before any is set, as in BuildKit.
        let mut values = Vec::new();
        for word in shell::split_words(arguments, self.escape) {
            let (name, default) = match word.split_once('=') {
                Some((name, default)) => (name, Some(default)),
                None => (word.as_str(), None),
            };
            if name.is_empty() {
                continue;
            }
            let default = default.map(|default| self.expand(default, scope, At { line, stage }));
            let value = match (self.build_args.get(name), default) {
                (Some(value), _) => Some((*value).to_owned()),
                (None, Some(default)) => default.known(),
                // A global `ARG` without a value leaves the value it has (a predefined
                // platform ARG keeps its value; BuildKit's `buildMetaArgs`).
                (None, None) => match global {
                    Some(global) => global.arg(name).flatten().map(str::to_owned),
                    None => scope.arg(name).flatten().map(str::to_owned),
                },
            };
            values.push((name.to_owned(), value));
        }
        for (name, value) in values {
            scope.set_arg(&name, value);
        }
    }

    /// `ENV a=1 b="2 3"` or the legacy `ENV a 1`; values see the variables from before the
    /// instruction.
    fn declare_env(&mut self, arguments: &str, scope: &mut Scope, line: usize, stage: usize) {
        let words = shell::split_words(arguments, self.escape);
        let pairs: Vec<(String, String)> = match words.first() {
            // The legacy form: the name, white space, the rest of the line.
            Some(first) if !first.contains('=') => arguments
                .trim_start()
                .split_once(char::is_whitespace)
                .map(|(name, value)| (name.to_owned(), value.trim_start().to_owned()))
                .into_iter()
                .collect(),
            _ => words
                .iter()
                .filter_map(|word| word.split_once('='))
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .collect(),
        };
        let values: Vec<(String, Option<String>)> = pairs
            .into_iter()
            .map(|(name, value)| (name, self.expand(&value, scope, At { line, stage }).known()))
            .collect();
        for (name, value) in values {
            scope.set_env(&name, value);
        }
    }

    /// One `--mount` value: `type=bind,source=a,target=/a`, a CSV record.
    fn mount(&mut self, value: &str, scope: &Scope, at: At) -> Mount {
        let mut kind = Word::text("bind");
        let mut source: Option<(String, Word)> = None;
        let mut from = String::new();
        for field in csv_fields(value) {
            let Some((key, value)) = field.split_once('=') else { continue };
            match key.to_ascii_lowercase().as_str() {
                "from" => from = value.to_owned(),
                "type" => kind = self.expand(value, scope, at),
                "source" | "src" => {
                    source = Some((value.to_owned(), self.expand(value, scope, at)))
                }
                _ => {}
            }
        }
        if !from.is_empty() {
            return Mount::Stage(from);
        }
        let instruction = match kind.known().map(|kind| kind.to_ascii_lowercase()).as_deref() {
            // An unknown type may be a bind mount.
            Some("bind") | None => Instruction::RunMount,
            Some("tmpfs") => Instruction::TmpfsMount,
            // cache (from scratch), secret, ssh, or a type BuildKit rejects.
            Some(_) => return Mount::Nothing,
        };
        let (written, word) = source.unwrap_or_default();
        Mount::Context { instruction, written, word }
    }
}

enum Mount {
    /// `from=` a stage, image or named context.
    Stage(String),
    Context {
        instruction: Instruction,
        written: String,
        word: Word,
    },
    Nothing,
}

/// The flags of `COPY`/`ADD` that matter here.
#[derive(Debug, Default)]
struct CopyFlags {
    from: Option<String>,
    excludes: Vec<String>,
    parents: bool,
}

impl CopyFlags {
    fn new(options: &[pd::Flag<'_>]) -> CopyFlags {
        let mut flags = CopyFlags::default();
        for flag in options {
            let value = flag.value.as_ref().map(|value| value.value.to_string());
            match &*flag.name.value {
                "from" => flags.from = value.filter(|from| !from.is_empty()),
                "exclude" => flags.excludes.extend(value),
                "parents" => flags.parents = value.is_none_or(|value| value != "false"),
                _ => {}
            }
        }
        flags
    }
}

/// A source found in the walk, before its stage is known to be needed.
struct Found {
    instruction: Instruction,
    at: At,
    written: String,
    word: Word,
    excludes: Vec<String>,
    parents: bool,
}

impl Found {
    fn new(
        instruction: Instruction,
        at: At,
        written: &str,
        word: Word,
        flags: &CopyFlags,
    ) -> Found {
        Found {
            instruction,
            at,
            written: written.to_owned(),
            word,
            excludes: flags.excludes.clone(),
            parents: flags.parents,
        }
    }

    fn finish(self, needed: bool) -> ContextSource {
        let segments = clean(&self.word);
        let wildcards = pattern::contains_wildcards(
            &self
                .word
                .pieces
                .iter()
                .map(|piece| match piece {
                    Piece::Text(text) => text.as_str(),
                    Piece::Unknown { .. } => "\0",
                })
                .collect::<String>(),
        );
        let path = if segments.is_empty() {
            ".".to_owned()
        } else {
            let rendered: Vec<String> =
                segments.iter().map(|segment| Word { pieces: segment.clone() }.render()).collect();
            rendered.join("/")
        };
        ContextSource {
            line: self.at.line,
            instruction: self.instruction,
            stage: self.at.stage,
            written: self.written,
            is_root: segments.is_empty(),
            needed,
            unresolved: self.word.unknown_names(),
            excludes: self.excludes,
            parents: self.parents,
            wildcard: wildcards,
            matcher: Matcher::new(&segments, wildcards),
            path,
        }
    }
}

/// Go's `path.Join("/", src)`, segment by segment: empty and `.` segments go, `..` removes
/// the segment before it and never climbs above the root.
fn clean(word: &Word) -> Vec<Vec<Piece>> {
    let mut segments: Vec<Vec<Piece>> = vec![Vec::new()];
    for piece in &word.pieces {
        match piece {
            Piece::Text(text) => {
                for (i, part) in text.split('/').enumerate() {
                    if i > 0 {
                        segments.push(Vec::new());
                    }
                    if !part.is_empty() {
                        let last = segments.last_mut().expect("never empty");
                        last.push(Piece::Text(part.to_owned()));
                    }
                }
            }
            unknown => segments.last_mut().expect("never empty").push(unknown.clone()),
        }
    }
    let mut out: Vec<Vec<Piece>> = Vec::new();
    for segment in segments {
        match segment.as_slice() {
            [] => {}
            [Piece::Text(text)] if text == "." => {}
            [Piece::Text(text)] if text == ".." => {
                out.pop();
            }
            _ => out.push(segment),
        }
    }
    out
}

/// The stage `name` designates, case-insensitively.
fn find_stage(stages: &[Stage], name: &str) -> Option<usize> {
    stages
        .iter()
        .position(|stage| stage.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(name)))
}

/// The stage a `--from` designates: `Ok(None)` for an image or named context; `Err` for a
/// stage index out of range (BuildKit parses `--from` as an index first, `COPY` only).
fn stage_ref(stages: &[Stage], from: &str, allow_index: bool) -> Result<Option<usize>, ()> {
    if allow_index && let Ok(index) = from.parse::<i64>() {
        return usize::try_from(index)
            .ok()
            .filter(|&index| index < stages.len())
            .map(Some)
            .ok_or(());
    }
    Ok(find_stage(stages, from))
}

/// Whether an `ADD` source is fetched from elsewhere than the context.
fn is_remote(source: &str) -> bool {
    if source.starts_with("http://") || source.starts_with("https://") {
        return true;
    }
    let lower = source.to_ascii_lowercase();
    if lower.starts_with("git://") || lower.starts_with("ssh://") {
        return true;
    }
    // scp-like `user@host:path`, as BuildKit's `sshutil.IsImplicitSSHTransport`.
    let Some((user, rest)) = source.split_once('@') else { return false };
    let Some((host, _)) = rest.split_once(':') else { return false };
    !user.is_empty()
        && user.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && !host.is_empty()
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

/// Splits a CSV record as Go's `encoding/csv` does for one line: `"` quotes a field and
/// `""` is a quote inside one. A malformed quote is kept literally.
fn csv_fields(record: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut rest = record;
    loop {
        let mut field = String::new();
        if let Some(quoted) = rest.strip_prefix('"') {
            let mut chars = quoted.char_indices().peekable();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                if c == '"' {
                    if chars.next_if(|&(_, c)| c == '"').is_some() {
                        field.push('"');
                        continue;
                    }
                    end = Some(i + 1);
                    break;
                }
                field.push(c);
            }
            match end.map(|end| &quoted[end..]) {
                Some("") => {
                    fields.push(field);
                    return fields;
                }
                Some(after) if after.starts_with(',') => {
                    fields.push(field);
                    rest = &after[1..];
                    continue;
                }
                // Malformed: take the field up to the next comma as written.
                _ => {}
            }
        }
        match rest.split_once(',') {
            Some((field, after)) => {
                fields.push(field.to_owned());
                rest = after;
            }
            None => {
                fields.push(rest.to_owned());
                return fields;
            }
        }
    }
}

/// Byte offset → 1-based line.
struct LineIndex {
    newlines: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        LineIndex {
            newlines: text
                .bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        }
    }

    fn line(&self, offset: usize) -> usize {
        self.newlines.partition_point(|&newline| newline < offset) + 1
    }
}
