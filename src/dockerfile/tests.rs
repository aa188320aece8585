//! Unit tests of the Dockerfile analysis: each instruction form, variables, reachability.

use super::*;

/// Parses for the host platform, as `docker build` without `--platform`.
fn parse_on_host(
    text: &str,
    build_args: &[(String, String)],
    target: Option<&str>,
) -> Result<Dockerfile, DockerfileError> {
    parse(text, build_args, target, &Platform::host())
}

fn df(text: &str) -> Dockerfile {
    parse_on_host(text, &[], None).unwrap_or_else(|error| panic!("{error}\n{text}"))
}

fn args(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect()
}

/// (instruction, path) of every source.
fn paths(dockerfile: &Dockerfile) -> Vec<(Instruction, &str)> {
    dockerfile.sources.iter().map(|s| (s.instruction, s.path.as_str())).collect()
}

fn only_paths(text: &str) -> Vec<String> {
    df(text).sources.into_iter().map(|s| s.path).collect()
}

fn needed(dockerfile: &Dockerfile) -> Vec<bool> {
    dockerfile.stages.iter().map(|s| s.needed).collect()
}

use Instruction::{Add, Copy, RunMount, TmpfsMount};

#[test]
fn copy_shell_form_with_flags_and_several_sources() {
    let d = df("FROM alpine\n\
                COPY --chown=1000:1000 --chmod=644 --link package.json package-lock.json ./\n\
                COPY --parents --exclude=*.md --exclude=test ./src/./app /app/\n");
    assert_eq!(paths(&d), [(Copy, "package.json"), (Copy, "package-lock.json"), (Copy, "src/app")]);
    let s = &d.sources[0];
    assert_eq!(
        (s.line, s.stage, s.written.as_str(), s.is_root, s.needed),
        (2, 0, "package.json", false, true)
    );
    assert!(!s.parents && s.excludes.is_empty());
    let s = &d.sources[2];
    assert_eq!(s.written, "./src/./app");
    assert!(s.parents);
    assert_eq!(s.excludes, ["*.md", "test"]);
}

#[test]
fn copy_exec_form() {
    let d =
        df("FROM alpine\nCOPY [\"my file.txt\", \"b\\u0020c\", \"/dest/\"]\nADD [\"x\", \"/y\"]\n");
    assert_eq!(paths(&d), [(Copy, "my file.txt"), (Copy, "b c"), (Add, "x")]);
    assert_eq!(d.sources[0].written, "my file.txt");
}

#[test]
fn copy_from_is_not_the_context() {
    let d = df("FROM golang AS build\nCOPY . .\n\
                FROM alpine\n\
                COPY --from=build /out/app /app\n\
                COPY --from=0 /etc/x /x\n\
                COPY --from=nginx:latest /etc/nginx /etc/nginx\n\
                COPY --from= ./from-empty /\n");
    assert_eq!(paths(&d), [(Copy, "."), (Copy, "from-empty")]);
    assert_eq!(needed(&d), [true, true]);
}

#[test]
fn add_urls_and_git_are_not_the_context() {
    let d = df("FROM alpine\n\
                ADD https://example.com/a.tgz http://example.com/b /x/\n\
                ADD git@github.com:moby/buildkit.git /bk\n\
                ADD git://example.com/repo.git ssh://git@example.com/repo.git /r\n\
                ADD github.com/moby/buildkit vendor.git local.tar.gz /l/\n");
    assert_eq!(
        paths(&d),
        [(Add, "github.com/moby/buildkit"), (Add, "vendor.git"), (Add, "local.tar.gz")]
    );
}

#[test]
fn heredocs_are_not_paths() {
    let d = df(
        "FROM alpine\nCOPY <<EOF /etc/motd\nhello\nEOF\nCOPY <<-A <<B real.txt /x/\n\tone\n\tA\ntwo\nB\n",
    );
    assert_eq!(paths(&d), [(Copy, "real.txt")]);
    assert_eq!(d.sources[0].line, 5);
}

#[test]
fn run_bind_mounts() {
    let d = df("FROM golang\n\
                RUN --mount=type=bind,source=go.sum,target=go.sum \\\n\
                    --mount=type=bind,src=./go.mod,target=go.mod \\\n\
                    --mount=type=cache,target=/go/pkg/mod go mod download\n\
                RUN --mount=target=/src make\n\
                RUN --mount=type=bind,target=/src,readonly make\n\
                RUN --mount=type=secret,id=npm,target=/root/.npmrc \\\n\
                    --mount=type=ssh --mount=type=cache,target=/c,source=/c make\n\
                RUN --mount=type=bind,\"source=a,b\",target=/ab true\n\
                RUN [\"--mount=x\"]\n");
    assert_eq!(
        paths(&d),
        [
            (RunMount, "go.sum"),
            (RunMount, "go.mod"),
            (RunMount, "."),
            (RunMount, "."),
            (RunMount, "a,b")
        ]
    );
    assert_eq!(d.sources[0].line, 2);
    assert_eq!(d.sources[2].written, "");
    assert!(d.sources[2].is_root && d.sends_whole_context());
}

#[test]
fn mounts_from_stages_images_and_tmpfs() {
    let d = df("FROM alpine AS deps\n\
                FROM alpine AS tools\n\
                FROM alpine\n\
                RUN --mount=from=deps,source=/node_modules,target=/nm \\\n\
                    --mount=type=cache,from=tools,target=/t \\\n\
                    --mount=type=bind,from=busybox,target=/b true\n\
                RUN --mount=type=tmpfs,target=/tmp true\n");
    assert_eq!(paths(&d), [(TmpfsMount, ".")]);
    assert!(d.sources[0].is_root && !TmpfsMount.reads_context());
    assert!(d.sends_whole_context() && !d.reads_context());
    assert_eq!(needed(&d), [true, true, true]);
    assert_eq!(TmpfsMount.to_string(), "RUN --mount=type=tmpfs");
}

#[test]
fn root_sources_and_cleaning() {
    let roots = "FROM a\nCOPY . ./ / .. ../ /x\nADD ./ /y\nCOPY ./a/.. /z\n";
    let d = df(roots);
    assert!(d.sources.iter().all(|s| s.is_root && s.path == "."), "{:?}", paths(&d));
    assert_eq!(d.sources.len(), 7);
    assert_eq!(
        only_paths("FROM a\nCOPY ./a/../b/ /src//x/./y/ ../../c /d\n"),
        ["b", "src/x/y", "c"]
    );
    let d = df("FROM a\nCOPY * /app/\n");
    let star = &d.sources[0];
    assert!(!star.is_root && star.wildcard);
    assert!(star.selects(b".env") && star.selects(b"node_modules/x/y"));
}

#[test]
fn wildcards_select_like_go_match() {
    let d = df("FROM a\nCOPY src/*.js lib/??.rs cfg/[a-c].yml /x/\nCOPY \"a\\*b\" /y\n");
    let [js, rs, yml, escaped] = &d.sources[..] else { panic!("{:?}", paths(&d)) };
    assert!(
        js.wildcard && js.selects(b"src") && js.selects(b"src/app.js") && js.selects(b"src/d.js/f")
    );
    assert!(!js.selects(b"src/app.ts") && !js.selects(b"src/sub/app.js") && !js.selects(b"app.js"));
    assert!(rs.selects(b"lib/ab.rs") && !rs.selects(b"lib/abc.rs"));
    assert!(yml.selects(b"cfg/b.yml") && !yml.selects(b"cfg/d.yml"));
    assert!(!escaped.wildcard, "BuildKit's containsWildcards skips an escaped character");
    assert_eq!(escaped.path, "a\\*b");
    assert!(escaped.selects(b"a\\*b") && !escaped.selects(b"a*b") && !escaped.selects(b"axb"));
}

#[test]
fn literal_sources_select_below_and_above() {
    let d = df("FROM a\nCOPY web/public/index.html /x\n");
    let s = &d.sources[0];
    for yes in ["web", "web/public", "web/public/index.html", "", "./web/"] {
        assert!(s.selects(yes.as_bytes()), "{yes}");
    }
    for no in ["web/private", "web/public/other.html", "webx", "web/public/index.html.bak"] {
        assert!(!s.selects(no.as_bytes()), "{no}");
    }
    assert!(s.leads_to(b"web") && !s.covers(b"web"));
    let d = df("FROM a\nCOPY dir /x\n");
    assert!(d.sources[0].covers(b"dir/deep/file"));
}

#[test]
fn variables_from_args_env_and_build_args() {
    let text = "ARG APP=web\n\
                ARG VERSION=1\n\
                FROM node:${VERSION}-alpine\n\
                ARG APP\n\
                ARG DIR=apps/$APP\n\
                ENV CONF=config\n\
                COPY ${DIR}/package.json $CONF/${MISSING:-default}.json ${DIR:+set} ./\n\
                COPY app-${VERSION}.tar /\n";
    let d = parse_on_host(text, &[], None).unwrap();
    assert_eq!(d.stages[0].base, "node:1-alpine");
    assert_eq!(
        paths(&d),
        [
            (Copy, "apps/web/package.json"),
            (Copy, "config/${MISSING:-default}.json"),
            (Copy, "set"),
            (Copy, "app-${VERSION}.tar")
        ]
    );
    assert!(d.sources[0].unresolved.is_empty());
    assert_eq!(d.sources[1].unresolved, ["MISSING"]);
    assert_eq!(d.sources[3].unresolved, ["VERSION"], "global ARGs need redeclaring in a stage");

    let d = parse_on_host(text, &args(&[("APP", "api"), ("VERSION", "2")]), None).unwrap();
    assert_eq!(d.stages[0].base, "node:2-alpine");
    assert_eq!(d.sources[0].path, "apps/api/package.json");
    let d = parse_on_host(text, &args(&[("DIR", "x"), ("MISSING", "m")]), None).unwrap();
    assert_eq!(only(&d, 0), "x/package.json");
    assert_eq!(
        only(&d, 1),
        "config/${MISSING:-default}.json",
        "an undeclared build arg is not visible"
    );
}

fn only(d: &Dockerfile, i: usize) -> &str {
    &d.sources[i].path
}

#[test]
fn env_forms_and_precedence() {
    let d = df("FROM a\n\
                ARG X=arg\n\
                ENV X=env Y=\"two words\" Z='$X'\n\
                ENV LEGACY some value\n\
                COPY $X \"$Y\" $Z ${LEGACY} /d/\n");
    assert_eq!(only_paths_of(&d), ["env", "two words", "$X", "some value"]);
}

#[test]
fn one_instruction_expands_with_the_variables_before_it() {
    let d = df(
        "FROM a\nENV abc=hello\nENV abc=bye def=$abc\nARG x=1\nARG x=2 y=$x\nCOPY $def $y /d/\n",
    );
    assert_eq!(only_paths_of(&d), ["hello", "1"]);
}

#[test]
fn onbuild_triggers_are_not_run() {
    let d = df("FROM a\nONBUILD COPY . /app\nONBUILD ADD x /x\n");
    assert!(d.sources.is_empty() && !d.reads_context());
}

fn only_paths_of(d: &Dockerfile) -> Vec<&str> {
    d.sources.iter().map(|s| s.path.as_str()).collect()
}

#[test]
fn unknown_variables_are_kept_and_match_anything() {
    let d = df("FROM a\nARG ARCH\nARG FROM_ENV=$HOME/x\nCOPY bin/${ARCH}/app $FROM_ENV /d/\n");
    let [app, home] = &d.sources[..] else { panic!() };
    assert_eq!(app.path, "bin/${ARCH}/app");
    assert_eq!(app.unresolved, ["ARCH"]);
    assert!(app.selects(b"bin/amd64/app") && app.selects(b"bin/linux/arm64/app"));
    assert!(app.selects(b"bin") && !app.selects(b"lib") && !app.covers(b"bin/amd64/other"));
    assert!(app.leads_to(b"bin/amd64/other"), "the variable may hold slashes");
    assert_eq!(home.path, "$FROM_ENV");
    assert_eq!(home.unresolved, ["FROM_ENV"], "a default built from an unknown is unknown");
    assert!(home.selects(b"anything/at/all") && !home.is_root);
    let d = parse_on_host(
        "FROM a\nARG ARCH\nCOPY bin/${ARCH}/app /\n",
        &args(&[("ARCH", "arm64")]),
        None,
    )
    .unwrap();
    assert_eq!(d.sources[0].path, "bin/arm64/app");
}

/// The paths of the sources when building for `platform`.
fn paths_for(text: &str, platform: &str) -> Vec<String> {
    let platform = Platform::parse(platform).unwrap();
    let d = parse(text, &[], None, &platform).unwrap_or_else(|error| panic!("{error}\n{text}"));
    d.sources.into_iter().map(|s| s.path).collect()
}

#[test]
fn platform_args_declared_in_a_stage_take_the_target_platform() {
    let text = "FROM scratch\nARG TARGETPLATFORM\nCOPY dist/$TARGETPLATFORM/app /app\n";
    assert_eq!(paths_for(text, "linux/arm64"), ["dist/linux/arm64/app"]);
    assert_eq!(paths_for(text, "linux/arm64/v8"), ["dist/linux/arm64/app"]);
    assert_eq!(paths_for(text, "linux/arm/v7"), ["dist/linux/arm/v7/app"]);
    let d = df(text);
    assert_eq!(d.sources[0].path, format!("dist/{}/app", Platform::host()), "the host by default");
    assert!(d.sources[0].unresolved.is_empty());

    let text = "FROM scratch\nARG TARGETOS TARGETARCH TARGETVARIANT\n\
                COPY bin/${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-}${TARGETVARIANT} /app\n";
    assert_eq!(paths_for(text, "linux/amd64"), ["bin/linux-amd64"], "no variant on amd64");
    assert_eq!(paths_for(text, "linux/arm64"), ["bin/linux-arm64"], "nor on arm64");
    assert_eq!(paths_for(text, "linux/arm"), ["bin/linux-arm-v7"]);
    assert_eq!(paths_for(text, "windows/amd64"), ["bin/windows-amd64"]);
}

#[test]
fn build_platform_args_are_the_hosts_whatever_the_target() {
    let text = "FROM scratch\nARG BUILDPLATFORM BUILDOS BUILDARCH BUILDVARIANT TARGETARCH\n\
                COPY $BUILDPLATFORM $BUILDOS/$BUILDARCH/${BUILDVARIANT}x $TARGETARCH /\n";
    let host = Platform::host();
    let on_host = [
        host.to_string(),
        format!("{}/{}/{}x", host.os(), host.arch(), host.variant()),
        host.arch().to_owned(),
    ];
    assert_eq!(paths_for(text, &host.to_string()), on_host);
    let other = if host.arch() == "s390x" { "linux/amd64" } else { "linux/s390x" };
    let for_other = paths_for(text, other);
    assert_eq!(for_other[..2], on_host[..2]);
    assert_eq!(for_other[2], Platform::parse(other).unwrap().arch());
}

#[test]
fn platform_args_are_global_args_predefined() {
    // FROM sees them without a global ARG; a global ARG without default keeps the value.
    let text = "ARG TARGETARCH\nFROM app-$TARGETARCH AS a\nFROM app-$BUILDOS\n";
    let d = parse(text, &[], None, &Platform::parse("linux/arm64").unwrap()).unwrap();
    assert_eq!(d.stages[0].base, "app-arm64");
    assert_eq!(d.stages[1].base, "app-linux");
    // A global default built from one, then taken by a stage.
    let text = "ARG DIST=dist/$TARGETARCH\nFROM scratch\nARG DIST\nCOPY $DIST /\n";
    assert_eq!(paths_for(text, "linux/arm64"), ["dist/arm64"]);
    // A default, global or in the stage, wins over the platform, as BuildKit's does.
    let text = "ARG TARGETARCH=amd64\nFROM scratch\nARG TARGETARCH\nCOPY bin/$TARGETARCH /\n";
    assert_eq!(paths_for(text, "linux/arm64"), ["bin/amd64"]);
    let text = "FROM scratch\nARG TARGETARCH=amd64\nCOPY bin/$TARGETARCH /\n";
    assert_eq!(paths_for(text, "linux/arm64"), ["bin/amd64"]);
    // So does a build argument, for a declared ARG (BuildKit's `dispatchArg`).
    let text = "FROM scratch\nARG TARGETARCH\nCOPY bin/$TARGETARCH /\n";
    let platform = Platform::parse("linux/arm64").unwrap();
    let d = parse(text, &args(&[("TARGETARCH", "riscv64")]), None, &platform).unwrap();
    assert_eq!(d.sources[0].path, "bin/riscv64");
}

#[test]
fn undeclared_platform_args_stay_unknown_in_a_stage() {
    // Global ARGs need redeclaring in a stage, predefined ones too. BuildKit would expand
    // `$TARGETARCH` to nothing here; ctxsize keeps it unknown, as any undeclared name.
    let text = "FROM scratch\nCOPY bin/$TARGETARCH/app /\n";
    let d = parse(text, &[], None, &Platform::parse("linux/arm64").unwrap()).unwrap();
    let app = &d.sources[0];
    assert_eq!(
        (app.path.as_str(), app.unresolved.as_slice()),
        ("bin/$TARGETARCH/app", &["TARGETARCH".to_owned()][..])
    );
    assert!(app.selects(b"bin/amd64/app") && app.selects(b"bin/arm64/app"));
    // A stage inherits its base stage's declaration.
    let text = "FROM scratch AS base\nARG TARGETARCH\nFROM base\nCOPY bin/$TARGETARCH/app /\n";
    assert_eq!(paths_for(text, "linux/arm64"), ["bin/arm64/app"]);
}

#[test]
fn stages_inherit_variables_from_their_base_stage() {
    let d = df("FROM a AS base\nARG D=src\nENV E=lib\nFROM base\nCOPY $D $E /x/\n");
    assert_eq!(only_paths_of(&d), ["src", "lib"]);
    assert_eq!(d.stages[1].base_stage, Some(0));
}

#[test]
fn mount_options_are_expanded_but_not_from() {
    let d = df("FROM a AS deps\nFROM a\nARG S=go.sum\nARG T=bind\n\
                RUN --mount=type=$T,source=$S,target=/x --mount=from=$STAGE,target=/y true\n");
    assert_eq!(paths(&d), [(RunMount, "go.sum")]);
    assert_eq!(needed(&d), [false, true]);
}

#[test]
fn escape_directive() {
    let d = df("# escape=`\nFROM a\nCOPY a`$b `\n   c /d/\n");
    assert_eq!(only_paths_of(&d), ["a$b", "c"]);
    assert_eq!(d.sources[1].line, 3);
}

#[test]
fn stage_reachability() {
    let text = "FROM alpine AS base\n\
                FROM base AS deps\nCOPY package.json ./\n\
                FROM alpine AS tools\nCOPY tools/ /t/\n\
                FROM deps AS build\nCOPY src src\n\
                FROM node AS assets\nCOPY assets assets\nRUN --mount=from=tools,target=/t true\n\
                FROM alpine AS test\nCOPY test test\n\
                FROM alpine AS Final\nCOPY --from=BUILD /app /app\nCOPY --from=4 /assets /assets\n";
    let d = df(text);
    assert_eq!(d.target, 6);
    assert_eq!(needed(&d), [true, true, true, true, true, false, true]);
    let needed_paths: Vec<&str> = d.needed_sources().map(|s| s.path.as_str()).collect();
    assert_eq!(needed_paths, ["package.json", "tools", "src", "assets"]);
    assert!(!d.sources.iter().find(|s| s.path == "test").unwrap().needed);

    let d = parse_on_host(text, &[], Some("test")).unwrap();
    assert_eq!(needed(&d), [false, false, false, false, false, true, false]);
    assert_eq!(d.target_stage().name.as_deref(), Some("test"));
    let d = parse_on_host(text, &[], Some("DEPS")).unwrap();
    assert_eq!(needed(&d), [true, true, false, false, false, false, false]);

    assert_eq!(
        parse_on_host(text, &[], Some("nope")),
        Err(DockerfileError::UnknownTarget("nope".into()))
    );
}

#[test]
fn from_with_a_global_arg_names_a_stage() {
    let text = "ARG FLAVOR=slim\nFROM alpine AS slim\nCOPY slim.txt /\nFROM alpine AS full\nCOPY full.txt /\n\
                FROM ${FLAVOR}\nCOPY app /\n";
    let d = df(text);
    assert_eq!(needed(&d), [true, false, true]);
    let d = parse_on_host(text, &args(&[("FLAVOR", "full")]), None).unwrap();
    assert_eq!(needed(&d), [false, true, true]);
    assert_eq!(d.stages[2].base, "full");
    assert_eq!(d.stages[2].base_stage, Some(1));
}

#[test]
fn errors_carry_lines() {
    let error = parse_on_host("FROM a\nCOPY onlyone\n", &[], None).unwrap_err();
    assert_eq!(error.line(), Some(2), "{error}");
    let error = parse_on_host("FROM a\nBOGUS x\n", &[], None).unwrap_err();
    assert!(matches!(error, DockerfileError::Syntax { line: 2, .. }), "{error}");
    assert!(error.to_string().starts_with("line 2: "), "{error}");
    assert_eq!(parse_on_host("", &[], None), Err(DockerfileError::NoStage));
    assert_eq!(parse_on_host("# just a comment\n", &[], None), Err(DockerfileError::NoStage));
    let error = parse_on_host("COPY a b\nFROM a\n", &[], None).unwrap_err();
    assert_eq!(error.line(), Some(1));
    let error = parse_on_host("FROM a\nFROM b\nCOPY --from=2 /x /y\n", &[], None).unwrap_err();
    assert_eq!(error, DockerfileError::StageIndex { line: 3, index: "2".into() });
    assert!(parse_on_host("FROM a\nCOPY --from=-1 /x /y\n", &[], None).is_err());
    let error = parse_on_host("ARG A=${\nFROM a\n", &[], None).unwrap_err();
    assert_eq!(error.line(), Some(1));
}

#[test]
fn expansion_errors_matter_only_in_needed_stages() {
    let text = "FROM a AS broken\nCOPY ${X /x\nFROM a\nCOPY ok /ok\n";
    let d = df(text);
    assert_eq!(paths(&d), [(Copy, "${X"), (Copy, "ok")]);
    assert!(!d.sources[0].needed);
    let error = parse_on_host(text, &[], Some("broken")).unwrap_err();
    assert!(
        matches!(&error, DockerfileError::Expansion { line: 2, message } if message.contains("missing '}'")),
        "{error}"
    );
}

#[test]
fn crlf_bom_and_continuations_keep_lines() {
    let d = df("\u{feff}FROM a\r\n# comment\r\nCOPY a \\\r\n  b \\\r\n  /d/\r\nCOPY c /e\r\n");
    assert_eq!(only_paths_of(&d), ["a", "b", "c"]);
    assert_eq!(d.sources.iter().map(|s| s.line).collect::<Vec<_>>(), [3, 3, 6]);
}

#[test]
fn csv_fields_follow_go() {
    assert_eq!(csv_fields("a=1,b=2"), ["a=1", "b=2"]);
    assert_eq!(csv_fields("\"a=1,2\",b"), ["a=1,2", "b"]);
    assert_eq!(csv_fields("\"a=\"\"q\"\"\""), ["a=\"q\""]);
    assert_eq!(csv_fields("a=\"x\",b"), ["a=\"x\"", "b"]);
    assert_eq!(csv_fields("\"unterminated,b"), ["\"unterminated", "b"]);
    assert_eq!(csv_fields(""), [""]);
}

#[test]
fn remote_add_sources() {
    for remote in [
        "http://x",
        "https://x/y.git",
        "git://h/r",
        "GIT://h/r",
        "ssh://h/r",
        "git@github.com:a/b.git",
        "user-1@host.example:repo",
    ] {
        assert!(is_remote(remote), "{remote}");
    }
    for local in
        ["HTTP://x", "github.com/a/b", "a.git", "a@b", "@host:x", "me@:x", "a/b@host:x", "./x"]
    {
        assert!(!is_remote(local), "{local}");
    }
}

/// A small xorshift generator, so the test needs no dependency and is reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

#[test]
fn never_panics_on_dockerfile_ish_noise() {
    const KEYWORDS: &[&str] = &[
        "FROM",
        "from",
        "COPY",
        "ADD",
        "RUN",
        "ARG",
        "ENV",
        "WORKDIR",
        "ONBUILD",
        "CMD",
        "EXPOSE",
        "LABEL",
        "USER",
        "VOLUME",
        "SHELL",
        "HEALTHCHECK",
        "STOPSIGNAL",
        "MAINTAINER",
        "#",
        "# escape=`",
        "# syntax=docker/dockerfile:1",
        "",
        " ",
    ];
    const TOKENS: &[&str] = &[
        "alpine",
        "AS",
        "as",
        "build",
        "base",
        ".",
        "./",
        "/",
        "..",
        "*",
        "?",
        "[",
        "]",
        "[a-",
        "[^x]",
        "\\",
        "`",
        "\\\n",
        "\"",
        "'",
        "[\"a\",",
        "\"b\"]",
        "[]",
        "$",
        "${",
        "}",
        "${A}",
        "$A",
        "${A:-x}",
        "${A:?}",
        "${A#*}",
        "${A/x/y}",
        "${:}",
        "A=1",
        "B=\"x y\"",
        "--from=build",
        "--from=0",
        "--from=9",
        "--from=",
        "--chown=1:1",
        "--link",
        "--parents",
        "--exclude=*.md",
        "--mount=type=bind,source=a,target=/a",
        "--mount=type=tmpfs,target=/t",
        "--mount=from=base,target=/b",
        "--mount=\"src=a,b\",target=/x",
        "--mount=type=cache",
        "--mount=",
        "--mount",
        "<<EOF",
        "<<-EOF",
        "EOF",
        "https://x/y",
        "git@h:r.git",
        "src/*.js",
        "a\\*b",
        "é",
        "\u{feff}",
        "\t",
        "\r",
        "\r\n",
        "\n",
        "#comment",
        "=",
        ",",
        "--",
        "-",
        "\u{0}",
        "日本",
        "a b",
        "\\ ",
        "${A:-${B}}",
        "$$",
        "${1}",
        "$@",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut lines = 0;
    for _ in 0..400 {
        let mut text = String::new();
        if !rng.next().is_multiple_of(3) {
            text.push_str("FROM alpine AS base\n");
        }
        for _ in 0..(rng.next() % 16) {
            text.push_str(rng.pick(KEYWORDS));
            for _ in 0..(rng.next() % 6) {
                text.push(' ');
                text.push_str(rng.pick(TOKENS));
                if rng.next().is_multiple_of(4) {
                    text.push_str(rng.pick(TOKENS));
                }
            }
            text.push('\n');
            lines += 1;
        }
        let build_args = args(&[("A", "src"), ("B", "*")]);
        let target = ["base", "build", "missing"][(rng.next() % 4).min(2) as usize];
        for target in [None, Some(target)] {
            if let Ok(dockerfile) = parse_on_host(&text, &build_args, target) {
                for source in &dockerfile.sources {
                    for path in ["", "a", "src/a.js", "a/b/c", ".env", "\u{e9}", "x/../y"] {
                        let _ = source.selects(path.as_bytes());
                    }
                    let _ = source.selects(b"\xff\xfe/\x80");
                }
            }
        }
    }
    assert!(lines > 2000, "{lines} lines");
}
