//! `ctxsize::dockerfile` on realistic multi-stage Dockerfiles: which stages the target
//! needs, which context paths each `COPY`/`ADD`/`RUN --mount` reads.

use ctxsize::dockerfile::{Dockerfile, DockerfileError, Instruction, Platform, parse};

/// Parses for the host platform, as `docker build` without `--platform`.
fn parse_on_host(
    text: &str,
    build_args: &[(String, String)],
    target: Option<&str>,
) -> Result<Dockerfile, DockerfileError> {
    parse(text, build_args, target, &Platform::host())
}

const NODE: &str = r#"# syntax=docker/dockerfile:1
ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-alpine AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci

FROM deps AS build
COPY tsconfig.json ./
COPY src ./src
COPY public/*.html public/
RUN npm run build

FROM deps AS test
COPY . .
RUN npm test

FROM nginx:1.27-alpine AS runtime
COPY --from=build /app/dist /usr/share/nginx/html
COPY ["docker/nginx.conf", "/etc/nginx/conf.d/default.conf"]
ADD https://example.com/robots.txt /usr/share/nginx/html/
"#;

const GO: &str = r#"# syntax=docker/dockerfile:1
ARG GO_VERSION=1.22
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
WORKDIR /src
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=bind,source=go.sum,target=go.sum \
    --mount=type=bind,source=go.mod,target=go.mod \
    go mod download -x
ARG TARGETOS TARGETARCH
ARG CMD=server
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=bind,target=. \
    GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /bin/app ./cmd/${CMD}

FROM alpine:3.20 AS final
RUN --mount=type=secret,id=ca,target=/ca.pem cp /ca.pem /usr/local/share/ca-certificates/
COPY --from=build /bin/app /bin/
COPY configs/${CMD:-server}.yaml /etc/app/config.yaml
ENTRYPOINT ["/bin/app"]
"#;

fn summary(dockerfile: &Dockerfile) -> Vec<(usize, Instruction, &str, bool)> {
    dockerfile.sources.iter().map(|s| (s.line, s.instruction, s.path.as_str(), s.needed)).collect()
}

fn needed(dockerfile: &Dockerfile) -> Vec<bool> {
    dockerfile.stages.iter().map(|stage| stage.needed).collect()
}

#[test]
fn node_multi_stage_default_target() {
    let d = parse_on_host(NODE, &[], None).unwrap();
    let names: Vec<_> =
        d.stages.iter().map(|s| (s.name.as_deref(), s.base.as_str(), s.line)).collect();
    assert_eq!(
        names,
        [
            (Some("deps"), "node:20-alpine", 4),
            (Some("build"), "deps", 9),
            (Some("test"), "deps", 15),
            (Some("runtime"), "nginx:1.27-alpine", 19),
        ]
    );
    assert_eq!(d.stages[1].base_stage, Some(0));
    assert_eq!(d.target, 3);
    assert_eq!(needed(&d), [true, true, false, true]);
    assert_eq!(
        summary(&d),
        [
            (6, Instruction::Copy, "package.json", true),
            (6, Instruction::Copy, "package-lock.json", true),
            (10, Instruction::Copy, "tsconfig.json", true),
            (11, Instruction::Copy, "src", true),
            (12, Instruction::Copy, "public/*.html", true),
            (16, Instruction::Copy, ".", false),
            (21, Instruction::Copy, "docker/nginx.conf", true),
        ]
    );
    assert!(!d.sends_whole_context(), "COPY . . is in the test stage only");

    let needs = |path: &str| d.needed_sources().any(|s| s.selects(path.as_bytes()));
    for yes in [
        "package.json",
        "src",
        "src/index.ts",
        "public",
        "public/index.html",
        "docker",
        "docker/nginx.conf",
    ] {
        assert!(needs(yes), "{yes}");
    }
    for no in [
        "node_modules",
        "node_modules/react/index.js",
        ".git/HEAD",
        "public/logo.png",
        "docker/compose.yml",
        "README.md",
    ] {
        assert!(!needs(no), "{no}");
    }
}

#[test]
fn node_test_target_needs_the_whole_context() {
    let d = parse_on_host(NODE, &[], Some("test")).unwrap();
    assert_eq!(needed(&d), [true, false, true, false]);
    assert!(d.sends_whole_context());
    let root = d.needed_sources().find(|s| s.is_root).unwrap();
    assert_eq!((root.line, root.written.as_str(), root.path.as_str()), (16, ".", "."));
    assert!(root.selects(b"node_modules/react/index.js"));
    let d = parse_on_host(NODE, &[("NODE_VERSION".into(), "22".into())], Some("Build")).unwrap();
    assert_eq!(d.stages[0].base, "node:22-alpine");
    assert_eq!(needed(&d), [true, true, false, false]);
    assert_eq!(
        parse_on_host(NODE, &[], Some("prod")),
        Err(DockerfileError::UnknownTarget("prod".into()))
    );
}

#[test]
fn go_mounts_and_arguments() {
    let d = parse_on_host(GO, &[], None).unwrap();
    assert_eq!(needed(&d), [true, true]);
    assert_eq!(d.stages[0].base, "golang:1.22");
    assert_eq!(
        summary(&d),
        [
            (5, Instruction::RunMount, "go.sum", true),
            (5, Instruction::RunMount, "go.mod", true),
            (11, Instruction::RunMount, ".", true),
            (18, Instruction::Copy, "configs/${CMD:-server}.yaml", true),
        ]
    );
    let bind_all = &d.sources[2];
    assert!(bind_all.is_root && bind_all.written.is_empty());
    assert!(d.sends_whole_context(), "a bind mount without source is the whole context");
    let config = &d.sources[3];
    assert_eq!(config.unresolved, ["CMD"], "the ARG is declared in the build stage only");
    assert!(config.selects(b"configs/server.yaml") && config.selects(b"configs/worker.yaml"));
    assert!(!config.covers(b"configs/server.json") && !config.selects(b"cmd"));
    assert!(config.leads_to(b"configs/sub"), "CMD may hold a slash");

    let go_sum = &d.sources[0];
    assert!(
        go_sum.selects(b"go.sum")
            && !go_sum.selects(b"go.mod")
            && !go_sum.selects(b"cmd/server/main.go")
    );
}

#[test]
fn go_final_stage_alone_with_build_args() {
    let text = GO.replace("COPY --from=build /bin/app /bin/\n", "");
    let args = [("CMD".to_owned(), "worker".to_owned())];
    let d = parse_on_host(&text, &args, None).unwrap();
    assert_eq!(needed(&d), [false, true], "nothing ties final to build any more");
    let needed_paths: Vec<&str> = d.needed_sources().map(|s| s.path.as_str()).collect();
    assert_eq!(needed_paths, ["configs/${CMD:-server}.yaml"], "CMD is not declared in final");
    let d = parse_on_host(
        &text.replace("FROM alpine:3.20 AS final\n", "FROM alpine:3.20 AS final\nARG CMD\n"),
        &args,
        None,
    )
    .unwrap();
    let needed_paths: Vec<&str> = d.needed_sources().map(|s| s.path.as_str()).collect();
    assert_eq!(needed_paths, ["configs/worker.yaml"]);
    assert!(!d.sends_whole_context());
}

#[test]
fn broken_dockerfiles_name_the_line() {
    let error = parse_on_host("FROM alpine\nCOPY only-one-argument\n", &[], None).unwrap_err();
    assert_eq!(error.line(), Some(2));
    let error =
        parse_on_host(&NODE.replace("RUN npm test", "RUM npm test"), &[], None).unwrap_err();
    assert_eq!(error.line(), Some(17), "{error}");
}

/// The amount `scan --json` gives the first instruction, with these flags.
fn first_instruction(env: &crate::env::TestEnv, flags: &[&str]) -> serde_json::Value {
    let mut args = vec!["scan", "--json"];
    args.extend_from_slice(flags);
    let run = env.run(&args);
    run.expect_code(0);
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).expect("valid JSON");
    report["instructions"][0].clone()
}

#[test]
fn platform_selects_one_directory_of_a_per_platform_tree() {
    let env = crate::env::TestEnv::new();
    env.sized("dist/linux/amd64/app", 1000).sized("dist/linux/arm64/app", 2000).file(
        "Dockerfile",
        "FROM scratch\nARG TARGETPLATFORM\nCOPY dist/$TARGETPLATFORM/app /app\n",
    );
    let arm = first_instruction(&env, &["--platform", "linux/arm64"]);
    assert_eq!((arm["files"].as_u64(), arm["bytes"].as_u64()), (Some(1), Some(2000)));
    assert!(arm.get("unresolved").is_none(), "no unresolved variable: {arm}");
    let amd = first_instruction(&env, &["--platform", "linux/amd64"]);
    assert_eq!((amd["files"].as_u64(), amd["bytes"].as_u64()), (Some(1), Some(1000)));

    for bad in ["bogus/x/y/z", "linux/amd64,linux/arm64"] {
        let run = env.run(["scan", "--platform", bad]);
        run.expect_code(2);
        assert!(run.stderr.contains(bad), "{}", run.stderr);
        assert!(run.stdout.is_empty());
    }
    for command in ["ls", "check", "init --dry-run"] {
        let mut args: Vec<&str> = command.split(' ').collect();
        args.extend(["--platform", "linux/arm64"]);
        let run = env.run(&args);
        assert_ne!(run.code, 2, "{command}: {}", run.stderr);
    }
    env.run(["why", "--platform", "linux/arm64", "Dockerfile"]).expect_code(0);
}

#[test]
fn other_unresolved_variables_are_named_in_the_scan() {
    let env = crate::env::TestEnv::new();
    env.sized("v/1/a", 10)
        .sized("v/2/a", 20)
        .file("Dockerfile", "FROM scratch\nARG VERSION\nCOPY v/$VERSION/a /\n");
    let copy = first_instruction(&env, &[]);
    assert_eq!(copy["unresolved"], serde_json::json!(["VERSION"]));
    assert_eq!(copy["bytes"], 30, "any text: both versions");
    let copy = first_instruction(&env, &["--build-arg", "VERSION=2"]);
    assert_eq!((copy["bytes"].as_u64(), copy.get("unresolved")), (Some(20), None));

    let text = env.run(["scan"]).expect_code(0).stdout();
    let row = text.lines().position(|line| line.contains("COPY v/$VERSION/a")).expect(&text);
    let note = text.lines().nth(row + 1).unwrap();
    assert!(note.contains("$VERSION") && note.contains("any text"), "{text}");
}
