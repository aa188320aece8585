//! Which `RUN` instructions build the project, and for which ecosystem: the Dockerfile side
//! of deciding that build output in the context (`dist`, `target`, `bin`…) is not needed,
//! because the image rebuilds it.
//!
//! A `RUN` builds when one of its simple commands (the `script` module cuts shell form at
//! `&&`, `;`, `|`, newlines…; exec form is one command) is, after leading variable
//! assignments and wrappers (`env`, `sudo`, `time`, `if`/`then`…):
//! - Node: `npm|pnpm|yarn|bun run build` (also `run-script`, and `pnpm|yarn|bun build`;
//!   workspace selectors such as `--filter web` or `yarn workspace web` allowed), `bun build`,
//!   `tsc` (not with `--noEmit`), `next|vite|nuxt|nuxi|ng|astro|gatsby|remix|react-scripts|
//!   vue-cli-service build`, `turbo [run] build`, `nx build` (and `nx run P:build`,
//!   `nx run-many -t build`); each also through `npx`, `bunx`, `pnpx`, `npm exec`,
//!   `pnpm exec|dlx`, `yarn exec|dlx`, or `yarn|pnpm TOOL`. Other script names
//!   (`build:prod`) are not builds.
//! - Go: `go build`, `go install`.
//! - Java: `mvn` or `mvnw` with a `package`, `install`, `verify` or `deploy` phase; `gradle` or
//!   `gradlew` with a `build`, `assemble`, `jar`, `war`, `bootJar`, `bootWar`, `installDist` or
//!   `shadowJar` task (`:app:bootJar` too).
//! - Rust: `cargo build` (`cargo b`), `cargo install --path …` (not an install from a registry).
//! - .NET: `dotnet build`, `dotnet publish`.
//! - Python: `python -m build`, `pip wheel` (`python -m pip wheel`), `poetry|uv|pdm|hatch build`.
//!
//! A quoted string is an argument, not a command: `echo "go build"` builds nothing, while
//! `sh -c "go build"` (any shell, `-c` in an option cluster) and a here-document the shell
//! runs (`RUN <<EOF`, `RUN <<EOF bash`, without a `#!` naming another interpreter) are read
//! as scripts. Not seen: commands behind variables (`$BUILD_CMD`), in scripts the Dockerfile
//! copies (`./build.sh`), or behind wrappers with options (`sudo -E npm run build`).

use super::script::{self, program_name};
use super::{ContextSource, Dockerfile};
use crate::templates::ProjectKind;

/// A `RUN` instruction, as the Dockerfile writes its command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// Index of the stage it belongs to.
    pub stage: usize,
    /// 1-based line of the `RUN`.
    pub line: usize,
    pub command: RunCommand,
}

/// The command of a `RUN`, without its flags (`--mount`, `--network`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunCommand {
    /// Shell form: the script the shell runs (BuildKit joins continuation lines and drops
    /// the comment lines between them), and the bodies of its here-documents.
    Shell { script: String, here_docs: Vec<String> },
    /// Exec form: the JSON array's strings.
    Exec(Vec<String>),
}

impl RunCommand {
    /// The command on one line, for people: the shell script with its runs of white space
    /// (continuation indents) made one space, or the exec array as JSON.
    pub fn text(&self) -> String {
        match self {
            RunCommand::Shell { script, .. } => {
                script.split_whitespace().collect::<Vec<_>>().join(" ")
            }
            RunCommand::Exec(words) => serde_json::to_string(words).unwrap_or_default(),
        }
    }

    /// What the command builds: one (ecosystem, build command) per build found, in order,
    /// e.g. `(Node, "npm run build")`.
    pub fn builds(&self) -> Vec<(ProjectKind, String)> {
        let mut found = Vec::new();
        match self {
            RunCommand::Shell { script, here_docs } => {
                let commands = script::simple_commands(script);
                for words in &commands {
                    builds_in_command(words, &mut found);
                }
                // `RUN <<EOF` runs its here-document as a shell script, and so does
                // `RUN <<EOF bash`; `RUN <<EOF python3` does not.
                let shell_reads = match commands.as_slice() {
                    [] => true,
                    [only] => script::is_shell(only) && script::shell_script(only).is_none(),
                    _ => false,
                };
                for body in
                    here_docs.iter().filter(|body| shell_reads && script::is_shell_script(body))
                {
                    builds_in_script(body, &mut found);
                }
            }
            RunCommand::Exec(words) => builds_in_command(words, &mut found),
        }
        found
    }
}

/// A `RUN` that builds the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildRun {
    /// Index of the stage it belongs to.
    pub stage: usize,
    /// 1-based line of the `RUN`.
    pub line: usize,
    pub ecosystem: ProjectKind,
    /// The whole command after `RUN` and its flags, on one line ([`RunCommand::text`]).
    pub command: String,
    /// The simple command that builds, its words joined by spaces: `npm run build`.
    pub invocation: String,
}

impl Dockerfile {
    /// The `RUN`s that build the project in the stages the target needs, in Dockerfile
    /// order; a `RUN` that builds for two ecosystems appears twice.
    pub fn build_runs(&self) -> Vec<BuildRun> {
        let mut runs = Vec::new();
        for run in self.runs.iter().filter(|run| self.stages[run.stage].needed) {
            for (ecosystem, invocation) in run.command.builds() {
                runs.push(BuildRun {
                    stage: run.stage,
                    line: run.line,
                    ecosystem,
                    command: run.command.text(),
                    invocation,
                });
            }
        }
        runs
    }

    /// The context sources of stage `stage` itself (not of its base stages).
    pub fn sources_in_stage(&self, stage: usize) -> impl Iterator<Item = &ContextSource> {
        self.sources.iter().filter(move |source| source.stage == stage)
    }

    /// Whether stage `stage` has files from the context: it, or a stage it is built `FROM`,
    /// copies from or mounts (and so on, earlier), copies, adds or bind-mounts some (a `RUN`
    /// there may build from them: a turbo-prune builder copies the context, the next stage
    /// copies the pruned tree from it and builds).
    pub fn stage_reads_context(&self, stage: usize) -> bool {
        let mut seen = vec![false; self.stages.len()];
        let mut queue = vec![stage];
        while let Some(stage) = queue.pop() {
            if std::mem::replace(&mut seen[stage], true) {
                continue;
            }
            if self.sources_in_stage(stage).any(|source| source.instruction.reads_context()) {
                return true;
            }
            queue.extend(self.stages[stage].deps.iter().copied());
        }
        false
    }
}

/// Adds the builds of a shell script.
fn builds_in_script(script: &str, found: &mut Vec<(ProjectKind, String)>) {
    for words in &script::simple_commands(script) {
        builds_in_command(words, found);
    }
}

/// Adds the builds of one simple command (opening `sh -c` scripts).
fn builds_in_command(words: &[String], found: &mut Vec<(ProjectKind, String)>) {
    let words = strip_prefixes(words);
    if let Some(script) = script::shell_script(words) {
        builds_in_script(script, found);
    } else if let Some(ecosystem) = ecosystem_of(words) {
        found.push((ecosystem, words.join(" ")));
    }
}

/// Words that start a command without being it.
const PREFIXES: &[&str] = &[
    "!", "command", "do", "elif", "else", "exec", "if", "nice", "nohup", "sudo", "then", "time",
    "until", "while", "{", "}",
];

/// The command without leading assignments (`CGO_ENABLED=0`), keywords and wrappers
/// (`env -i`, `sudo`, `time`).
fn strip_prefixes(mut words: &[String]) -> &[String] {
    while let Some((first, rest)) = words.split_first() {
        let wrapper = PREFIXES.contains(&first.as_str());
        if wrapper || is_assignment(first) {
            words = rest;
        } else if program_name(first) == "env" {
            words = rest;
            while words.first().is_some_and(|w| w.starts_with('-') || is_assignment(w)) {
                words = &words[1..];
            }
        } else {
            break;
        }
    }
    words
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    })
}

/// The ecosystem whose build `words` runs, if it runs one.
fn ecosystem_of(words: &[String]) -> Option<ProjectKind> {
    use ProjectKind::{Dotnet, Go, Java, Node, Python, Rust};
    let (program, args) = words.split_first()?;
    let (ecosystem, builds) = match program_name(program) {
        "npm" | "pnpm" | "yarn" | "bun" => return package_manager(program_name(program), args),
        "npx" | "bunx" | "pnpx" => return ecosystem_of(skip_flags(args)),
        "tsc" => (Node, !args.iter().any(|arg| arg.eq_ignore_ascii_case("--noEmit"))),
        tool if NODE_TOOLS.contains(&tool) => (Node, node_tool(tool, args)),
        "go" => (Go, matches!(operand(args, 0), Some("build" | "install"))),
        "mvn" | "mvnw" => (Java, operands(args).any(|phase| MAVEN_PHASES.contains(&phase))),
        "gradle" | "gradlew" => (
            Java,
            operands(args)
                .any(|task| GRADLE_TASKS.contains(&task.rsplit(':').next().unwrap_or(task))),
        ),
        "cargo" => {
            let builds = match operands(args).find(|arg| !arg.starts_with('+')) {
                Some("build" | "b") => true,
                // From a registry it builds elsewhere; `--path` builds the project.
                Some("install") => {
                    args.iter().any(|arg| arg == "--path" || arg.starts_with("--path="))
                }
                _ => false,
            };
            (Rust, builds)
        }
        "dotnet" => (Dotnet, matches!(operand(args, 0), Some("build" | "publish"))),
        "pip" | "pip3" => (Python, operand(args, 0) == Some("wheel")),
        "poetry" | "uv" | "pdm" | "hatch" => (Python, operand(args, 0) == Some("build")),
        python if python == "python" || python.starts_with("python3") => {
            let module = args.iter().position(|arg| arg == "-m").map(|at| &args[at + 1..]);
            let builds = match module {
                Some([module, ..]) if module == "build" => true,
                Some([module, rest @ ..]) if module == "pip" => operand(rest, 0) == Some("wheel"),
                _ => false,
            };
            (Python, builds)
        }
        _ => return None,
    };
    builds.then_some(ecosystem)
}

/// Node tools whose `build` subcommand builds (`tsc` builds with any arguments).
const NODE_TOOLS: &[&str] = &[
    "astro",
    "gatsby",
    "next",
    "ng",
    "nuxi",
    "nuxt",
    "nx",
    "react-scripts",
    "remix",
    "tsc",
    "turbo",
    "vite",
    "vue-cli-service",
];

/// Maven phases that run `package`.
const MAVEN_PHASES: &[&str] = &["deploy", "install", "package", "verify"];

/// Gradle tasks that leave build output.
const GRADLE_TASKS: &[&str] =
    &["assemble", "bootJar", "bootWar", "build", "installDist", "jar", "shadowJar", "war"];

/// `next build`, `turbo run build`, `nx run-many -t build`…
fn node_tool(tool: &str, args: &[String]) -> bool {
    match tool {
        "turbo" => {
            let mut tasks = operands(args).skip_while(|&task| task == "run");
            tasks.any(|task| task == "build")
        }
        "nx" => match operand(args, 0) {
            Some("build") => true,
            Some("run") => operand(args, 1).is_some_and(|target| target.ends_with(":build")),
            Some("run-many" | "affected") => targets(args).any(|target| target == "build"),
            _ => false,
        },
        _ => operand(args, 0) == Some("build"),
    }
}

/// The targets of `nx run-many -t build,test` or `--targets=build`.
fn targets(args: &[String]) -> impl Iterator<Item = &str> {
    let mut values = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if matches!(arg.as_str(), "-t" | "--target" | "--targets") {
            values.extend(iter.next().map(String::as_str));
        } else if let Some(value) =
            arg.strip_prefix("--target=").or_else(|| arg.strip_prefix("--targets="))
        {
            values.push(value);
        }
    }
    values.into_iter().flat_map(|value| value.split(','))
}

/// Flags of a package manager that take the next word as their value.
const VALUED_FLAGS: &[&str] =
    &["--cwd", "--dir", "--filter", "--prefix", "--workspace", "-C", "-F", "-w"];

/// `npm run build`, `pnpm --filter web build`, `yarn workspace web build`, `bun build`,
/// `pnpm exec tsc`, `yarn tsc`.
fn package_manager(manager: &str, args: &[String]) -> Option<ProjectKind> {
    // Operands, with the values of selector flags and `yarn workspace NAME` left out.
    let mut operands: Vec<&str> = Vec::new();
    let mut iter = args.iter().map(String::as_str);
    while let Some(arg) = iter.next() {
        if arg == "--" {
            break;
        }
        if VALUED_FLAGS.contains(&arg) || (manager == "yarn" && arg == "workspace") {
            iter.next();
        } else if !arg.starts_with('-') {
            operands.push(arg);
        }
    }
    let builds = match operands.as_slice() {
        ["run" | "run-script", "build", ..] => true,
        ["build", ..] => manager != "npm",
        ["exec" | "dlx" | "x", ..] => {
            let at = args.iter().position(|arg| arg == operands[0]).expect("an operand of args");
            return ecosystem_of(skip_flags(&args[at + 1..]));
        }
        [tool, ..] if manager != "npm" && NODE_TOOLS.contains(tool) => {
            let at = args.iter().position(|arg| arg == tool).expect("an operand of args");
            return ecosystem_of(&args[at..]);
        }
        // `yarn workspaces foreach -A run build`
        operands => operands.windows(2).any(|pair| matches!(pair, ["run" | "run-script", "build"])),
    };
    builds.then_some(ProjectKind::Node)
}

/// The words after leading flags (and `--`).
fn skip_flags(args: &[String]) -> &[String] {
    let start = args.iter().position(|arg| !arg.starts_with('-')).unwrap_or(args.len());
    &args[start..]
}

/// The operands of a command: its words that are not flags (a flag's value is an operand).
fn operands(args: &[String]) -> impl Iterator<Item = &str> {
    args.iter().map(String::as_str).filter(|arg| !arg.starts_with('-'))
}

/// The operand at `index`.
fn operand(args: &[String], index: usize) -> Option<&str> {
    operands(args).nth(index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::{Platform, parse};
    use ProjectKind::{Dotnet, Go, Java, Node, Python, Rust};

    fn dockerfile(text: &str, target: Option<&str>) -> Dockerfile {
        parse(text, &[], target, &Platform::host()).unwrap_or_else(|error| panic!("{error}"))
    }

    /// (stage, line, ecosystem, invocation) of each build run.
    fn builds(text: &str, target: Option<&str>) -> Vec<(usize, usize, ProjectKind, String)> {
        let d = dockerfile(text, target);
        d.build_runs().into_iter().map(|r| (r.stage, r.line, r.ecosystem, r.invocation)).collect()
    }

    /// The builds in one shell-form script.
    fn in_script(script: &str) -> Vec<(ProjectKind, String)> {
        RunCommand::Shell { script: script.to_owned(), here_docs: Vec::new() }.builds()
    }

    fn kinds(script: &str) -> Vec<ProjectKind> {
        in_script(script).into_iter().map(|(kind, _)| kind).collect()
    }

    const NODE: &str = "\
# syntax=docker/dockerfile:1
FROM node:20-alpine AS deps
WORKDIR /app
COPY package.json pnpm-lock.yaml ./
RUN --mount=type=cache,target=/root/.local/share/pnpm/store \\
    corepack enable && pnpm install --frozen-lockfile

FROM deps AS build
COPY . .
RUN pnpm run build && pnpm prune --prod

FROM deps AS storybook
COPY . .
RUN npx storybook build

FROM node:20-alpine AS runtime
COPY --from=build /app/dist ./dist
CMD [\"node\", \"dist/server.js\"]
";

    #[test]
    fn node_multi_stage() {
        let d = dockerfile(NODE, None);
        let runs = d.build_runs();
        assert_eq!(runs.len(), 1, "{runs:?}");
        let run = &runs[0];
        assert_eq!((run.stage, run.line, run.ecosystem), (1, 10, Node));
        assert_eq!(run.invocation, "pnpm run build");
        assert_eq!(run.command, "pnpm run build && pnpm prune --prod");
        assert!(d.stage_reads_context(1) && d.sources_in_stage(1).count() == 1);
        assert!(d.stage_reads_context(0), "package.json and the lock file");
        assert!(d.stage_reads_context(3), "runtime copies from a stage that read the context");
        assert!(builds(NODE, Some("deps")).is_empty(), "pnpm install is no build");
    }

    const TURBO: &str = "\
FROM node:20-alpine AS base
FROM base AS builder
WORKDIR /app
COPY . .
RUN npx turbo prune web --docker
FROM base AS installer
WORKDIR /app
COPY --from=builder /app/out/json/ .
RUN npm ci
COPY --from=builder /app/out/full/ .
RUN npx turbo run build
FROM base AS runner
COPY --from=installer /app/apps/web/.next/standalone ./
";

    /// turbo prune: the stage that builds copies the pruned tree from the one that copied
    /// the context.
    #[test]
    fn a_build_from_a_tree_copied_from_another_stage() {
        let d = dockerfile(TURBO, None);
        let runs = d.build_runs();
        assert_eq!(runs.len(), 1, "{runs:?}");
        assert_eq!((runs[0].stage, runs[0].line, runs[0].ecosystem), (2, 11, Node));
        assert!(d.stage_reads_context(2), "through COPY --from=builder");
        assert!(d.stage_reads_context(3));
        assert!(!d.stage_reads_context(0), "base copies nothing");
    }

    const GO: &str = "\
FROM --platform=$BUILDPLATFORM golang:1.22 AS build
WORKDIR /src
RUN --mount=type=bind,source=go.mod,target=go.mod go mod download
ARG TARGETOS TARGETARCH
RUN --mount=type=cache,target=/root/.cache/go-build \\
    --mount=type=bind,target=. \\
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \\
    go build -trimpath -o /out/app ./cmd/app

FROM gcr.io/distroless/static
COPY --from=build /out/app /app
";

    #[test]
    fn go_build_behind_mounts_and_assignments() {
        assert_eq!(
            builds(GO, None),
            [(0, 5, Go, "go build -trimpath -o /out/app ./cmd/app".to_owned())]
        );
        let d = dockerfile(GO, None);
        assert!(d.stage_reads_context(0) && d.stage_reads_context(1), "through COPY --from");
        assert_eq!(
            d.build_runs()[0].command,
            "CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -o /out/app \
             ./cmd/app",
            "the flags are not part of the command"
        );
    }

    const MAVEN: &str = "\
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /app
COPY pom.xml .
RUN mvn -B dependency:go-offline
COPY src ./src
RUN mvn -B -DskipTests clean package

FROM eclipse-temurin:21-jre
COPY --from=build /app/target/app.jar /app.jar
";

    #[test]
    fn maven_package_not_go_offline() {
        assert_eq!(builds(MAVEN, None), [(0, 6, Java, "mvn -B -DskipTests clean package".into())]);
        assert_eq!(kinds("./mvnw -q verify"), [Java]);
        assert_eq!(kinds("./mvnw dependency:resolve"), []);
    }

    const GRADLE: &str = "\
FROM gradle:8-jdk21 AS build
COPY --chown=gradle:gradle . /home/gradle/src
WORKDIR /home/gradle/src
RUN [\"gradle\", \"--no-daemon\", \"bootJar\"]

FROM eclipse-temurin:21-jre
COPY --from=build /home/gradle/src/build/libs/*.jar /app.jar
";

    #[test]
    fn gradle_exec_form() {
        assert_eq!(builds(GRADLE, None), [(0, 4, Java, "gradle --no-daemon bootJar".into())]);
        let d = dockerfile(GRADLE, None);
        assert_eq!(d.build_runs()[0].command, r#"["gradle","--no-daemon","bootJar"]"#);
        assert_eq!(kinds("./gradlew :app:installDist --no-daemon"), [Java]);
        assert_eq!(kinds("./gradlew dependencies"), []);
    }

    const DOTNET: &str = "\
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /src
COPY *.csproj .
RUN dotnet restore
COPY . .
RUN dotnet publish -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:8.0
COPY --from=build /app .
";

    #[test]
    fn dotnet_publish_not_restore() {
        assert_eq!(
            builds(DOTNET, None),
            [(0, 6, Dotnet, "dotnet publish -c Release -o /app --no-restore".into())]
        );
    }

    #[test]
    fn stages_the_target_does_not_need_are_left_out() {
        let text = "FROM rust:1 AS build\nCOPY . .\nRUN cargo build --release\n\
                    FROM python:3 AS docs\nCOPY . .\nRUN python -m build\n\
                    FROM debian\nCOPY --from=build /target/release/app /app\n";
        assert_eq!(builds(text, None), [(0, 3, Rust, "cargo build --release".into())]);
        assert_eq!(builds(text, Some("docs")), [(1, 6, Python, "python -m build".into())]);
    }

    #[test]
    fn tables_are_sorted() {
        for table in [PREFIXES, NODE_TOOLS, MAVEN_PHASES, GRADLE_TASKS, VALUED_FLAGS] {
            assert!(table.is_sorted(), "{table:?}");
        }
    }

    #[test]
    fn node_commands() {
        for yes in [
            "npm run build",
            "npm run-script build -- --prod",
            "npm --prefix web run build",
            "npm run build --workspace=web",
            "pnpm build",
            "pnpm -r build",
            "pnpm --filter web build",
            "pnpm -F web run build",
            "yarn build",
            "yarn workspace web build",
            "yarn workspaces foreach -A run build",
            "bun run build",
            "bun build ./index.ts --outdir ./out",
            "tsc",
            "tsc -p tsconfig.build.json",
            "npx tsc",
            "npx --yes tsc -b",
            "pnpm exec tsc",
            "yarn tsc",
            "node_modules/.bin/tsc",
            "next build",
            "npx next build",
            "vite build",
            "nuxt build",
            "ng build --configuration production",
            "turbo build",
            "turbo run build --filter=web",
            "npx turbo run build",
            "nx build api",
            "nx run api:build",
            "nx run-many -t lint,build",
        ] {
            assert_eq!(kinds(yes), [Node], "{yes}");
        }
        for no in [
            "npm ci",
            "npm install",
            "npm run build:prod",
            "npm run test",
            "npm build",
            "pnpm install --frozen-lockfile",
            "yarn install --immutable",
            "tsc --noEmit",
            "next start",
            "vite preview",
            "turbo run lint",
            "nx test api",
            "echo npm run build",
        ] {
            assert_eq!(kinds(no), [], "{no}");
        }
    }

    #[test]
    fn other_ecosystems() {
        for (script, kind) in [
            ("go build ./...", Go),
            ("go install ./cmd/...", Go),
            ("/usr/local/go/bin/go build .", Go),
            ("cargo build --release --locked", Rust),
            ("cargo +nightly build", Rust),
            ("cargo install --path .", Rust),
            ("dotnet build", Dotnet),
            ("python -m build --wheel", Python),
            ("python3.12 -m pip wheel . -w dist", Python),
            ("pip wheel --no-deps -w /wheels .", Python),
            ("poetry build", Python),
            ("uv build", Python),
        ] {
            assert_eq!(kinds(script), [kind], "{script}");
        }
        for no in [
            "go mod download",
            "go test ./...",
            "go env GOPATH",
            "cargo install cargo-chef",
            "cargo fetch",
            "dotnet restore",
            "pip install -r requirements.txt",
            "python -m pip install .",
            "poetry install --no-root",
            "uv sync --frozen",
        ] {
            assert_eq!(kinds(no), [], "{no}");
        }
    }

    #[test]
    fn shell_structure() {
        assert_eq!(
            in_script("set -eux; cd /app && npm ci && npm run build; rm -rf ~/.npm"),
            [(Node, "npm run build".to_owned())]
        );
        assert_eq!(kinds("if [ -f go.mod ]; then go build ./...; fi"), [Go]);
        assert_eq!(kinds("sh -c 'go build -o /app .'"), [Go]);
        assert_eq!(kinds("bash -o pipefail -ec \"npm ci && npm run build\""), [Node]);
        assert_eq!(kinds("env GOOS=linux go build ."), [Go]);
        assert_eq!(kinds("sudo -E npm run build"), [], "sudo flags are not skipped");
        assert_eq!(kinds("time go build"), [Go]);
        assert_eq!(kinds("(cd web && pnpm build) && cargo build"), [Node, Rust]);
        // A quoted string is an argument, unless a shell runs it.
        assert_eq!(kinds("echo \"go build\" && printf 'npm run build'"), []);
        assert_eq!(kinds("bash -c 'echo go build'"), []);
        // Commands behind variables or in copied scripts are not seen.
        assert_eq!(kinds("$BUILD_CMD && ./build.sh"), []);
    }

    #[test]
    fn here_documents_run_by_the_shell_are_scripts() {
        let text = "FROM golang\nCOPY . .\nRUN <<EOF\nset -e\ngo build -o /app .\nEOF\n\
                    RUN <<EOF python3\nimport os\nos.system('go build')\nEOF\n\
                    RUN <<EOF\n#!/usr/bin/env python3\nimport os\nos.system('go build')\nEOF\n\
                    RUN <<EOF bash\n#!/bin/bash\ncargo build\nEOF\n";
        assert_eq!(
            builds(text, None),
            [(0, 3, Go, "go build -o /app .".into()), (0, 16, Rust, "cargo build".into())]
        );
    }

    #[test]
    fn continuation_lines_and_comments_inside_a_run() {
        let text =
            "FROM node\nCOPY . .\nRUN npm ci \\\n# build it\n    && npm run \\\n      build\n";
        let d = dockerfile(text, None);
        let runs = d.build_runs();
        assert_eq!(runs.len(), 1, "{:?}", d.runs);
        assert_eq!((runs[0].line, runs[0].invocation.as_str()), (3, "npm run build"));
        assert_eq!(runs[0].command, "npm ci && npm run build");
        let text =
            "# escape=`\nFROM mcr.microsoft.com/dotnet/sdk\nCOPY . .\nRUN dotnet `\n  publish\n";
        assert_eq!(builds(text, None), [(0, 4, Dotnet, "dotnet publish".into())]);
    }
}
