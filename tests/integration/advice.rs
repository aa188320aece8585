//! Advice held to the build: build output the Dockerfile rebuilds, files git tracks, a
//! builder stage's `COPY .`, and sources an exception keeps available.

use serde_json::Value;

use crate::env::TestEnv;

fn scan_json(env: &TestEnv, extra: &[&str]) -> Value {
    let mut args = vec!["scan", "--json"];
    args.extend_from_slice(extra);
    let run = env.run(&args);
    run.expect_code(0);
    serde_json::from_slice(&run.stdout).expect("valid JSON")
}

fn patterns(report: &Value, list: &str) -> Vec<String> {
    report["proposal"][list]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["pattern"].as_str().unwrap().to_owned())
        .collect()
}

fn dropped<'a>(report: &'a Value, pattern: &str) -> &'a Value {
    report["proposal"]["dropped"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["pattern"] == pattern)
        .unwrap_or_else(|| panic!("`{pattern}` not dropped: {:#}", report["proposal"]))
}

fn warning_kinds(report: &Value) -> Vec<String> {
    report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["kind"].as_str().unwrap().to_owned())
        .collect()
}

/// A Node app whose image runs `npm run build`: its `dist/` (and a nested package's) are
/// rebuilt, so they are proposed where they sit; a `scripts/build` file and a `build`
/// package under `src/` are not output.
#[test]
fn build_output_the_dockerfile_rebuilds_is_proposed_where_it_sits() {
    let env = TestEnv::new();
    env.file("package.json", "{\"name\":\"app\"}\n")
        .file("package-lock.json", "{}\n")
        .sized("src/index.ts", 100)
        .sized("src/build/helpers.ts", 40)
        .sized("dist/index.js", 3000)
        .file("packages/ui/package.json", "{}\n")
        .sized("packages/ui/dist/ui.js", 700)
        .sized("scripts/build", 20)
        .file(
            "Dockerfile",
            "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n\
             RUN npm run build\n",
        );
    let report = scan_json(&env, &[]);
    let rules = patterns(&report, "rules");
    assert!(rules.contains(&"dist".to_owned()), "{rules:?}");
    assert!(rules.contains(&"packages/ui/dist".to_owned()), "where it sits: {rules:?}");
    let dist =
        report["proposal"]["rules"].as_array().unwrap().iter().find(|r| r["pattern"] == "dist");
    let dist = dist.unwrap();
    assert_eq!(dist["removes"]["bytes"], 3000);
    assert_eq!(dist["template"], "build-output");
    assert!(dist["reason"].as_str().unwrap().contains("npm run build` (line 6)"), "{dist}");
    // A file called `build` is a script, and `src/build` has no manifest beside it.
    assert!(!rules.iter().any(|r| r.ends_with("build")), "{rules:?}");
    assert_eq!(dropped(&report, "src/build")["needed_path"], "src/build");
    assert!(
        report["proposal"]["dropped"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["pattern"] != "scripts/build"),
        "{:#}",
        report["proposal"]
    );

    env.run(["init", "--yes"]).expect_code(0);
    let listed = env.run(["ls"]).lines();
    for gone in ["dist/index.js", "packages/ui/dist/ui.js"] {
        assert!(!listed.contains(&gone.to_owned()), "{gone}: {listed:?}");
    }
    for kept in ["src/index.ts", "src/build/helpers.ts", "scripts/build", "package.json"] {
        assert!(listed.contains(&kept.to_owned()), "{kept}: {listed:?}");
    }
}

/// Without a build in the Dockerfile, the output is what the image runs: not proposed, and
/// listed with its size and why.
#[test]
fn build_output_is_left_alone_when_the_image_does_not_rebuild_it() {
    let env = TestEnv::new();
    env.file("package.json", "{}\n")
        .sized("dist/index.js", 3000)
        .file("Dockerfile", "FROM node:20\nCOPY . .\nCMD [\"node\", \"dist/index.js\"]\n");
    let report = scan_json(&env, &[]);
    assert!(!patterns(&report, "rules").contains(&"dist".to_owned()));
    let dist = dropped(&report, "dist");
    assert_eq!(dist["removes"]["bytes"], 3000);
    assert!(dist["reason"].as_str().unwrap().contains("does not rebuild it"), "{dist}");
    let text = env.run(["scan"]).stdout();
    assert!(text.contains("not proposed: dist would save 3 kB"), "{text}");

    // A monorepo: this Dockerfile builds and sends apps/api only; apps/web's prebuilt output
    // is another build's business and is not proposed at all.
    let mono = TestEnv::new();
    mono.file("apps/api/package.json", "{}\n")
        .sized("apps/api/src/index.ts", 10)
        .sized("apps/api/dist/index.js", 400)
        .file("apps/web/package.json", "{}\n")
        .sized("apps/web/dist/app.js", 900)
        .file(
            "apps/api/Dockerfile",
            "FROM node:20\nCOPY apps/api /app\nWORKDIR /app\nRUN npm ci && npm run build\n",
        );
    let report = scan_json(&mono, &["-f", "apps/api/Dockerfile", "."]);
    let rules = patterns(&report, "rules");
    assert!(rules.contains(&"apps/api/dist".to_owned()), "{rules:?}");
    let api = report["proposal"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["pattern"] == "apps/api/dist")
        .unwrap();
    assert_eq!(api["removes_transfer"], serde_json::json!({ "files": 1, "dirs": 1, "bytes": 400 }));
    assert!(!rules.iter().any(|r| r.contains("web")), "{rules:?}");
    assert!(patterns(&report, "dropped").iter().all(|p| !p.contains("web")));

    // The Dockerfile copies the output it runs: naming it protects it even with a build.
    env.file(
        "Dockerfile",
        "FROM node:20\nCOPY package.json .\nRUN npm run build\nCOPY dist /app/dist\n",
    );
    let report = scan_json(&env, &[]);
    assert!(!patterns(&report, "rules").contains(&"dist".to_owned()));
    assert!(dropped(&report, "dist")["reason"].as_str().unwrap().contains("COPY dist"));
}

/// A Java project whose tests load a tracked key: `**/*.key` would remove it, so it is not
/// proposed (and init leaves it out) unless asked; an untracked key alone is fair game.
#[test]
fn rules_for_local_files_leave_tracked_files_alone() {
    let env = TestEnv::new();
    env.file("pom.xml", "<project/>\n")
        .sized("application/src/main/java/App.java", 50)
        .sized("application/src/test/resources/app.key", 30)
        .sized("debug.log", 10)
        .file("Dockerfile", "FROM maven\nCOPY pom.xml .\nCOPY application application\n");
    env.git(&["init", "-q"]);
    env.git(&["add", "."]);
    env.git(&["commit", "-qm", "init"]);
    // Untracked after the commit: a local key and a log.
    env.sized("config/local.key", 20).sized("application/app.log", 5);

    let report = scan_json(&env, &[]);
    assert!(!patterns(&report, "rules").contains(&"**/*.key".to_owned()));
    let key = dropped(&report, "**/*.key");
    assert_eq!(key["tracked"]["files"], 1);
    assert_eq!(key["tracked"]["examples"][0], "application/src/test/resources/app.key");
    assert_eq!(key["needed_path"], "application/src/test/resources/app.key");
    // `**/*.log` removes untracked logs only... and the tracked debug.log: left out too.
    assert_eq!(dropped(&report, "**/*.log")["tracked"]["files"], 1);
    // Rules for repository files are not held back by git: the Dockerfile is tracked.
    assert!(patterns(&report, "rules").contains(&"**/Dockerfile".to_owned()));

    env.run(["init", "--yes"]).expect_code(0);
    let listed = env.run(["ls"]).lines();
    assert!(listed.contains(&"application/src/test/resources/app.key".to_owned()));
    assert!(listed.contains(&"config/local.key".to_owned()), "the rule was left out");

    env.run(["init", "--yes", "--include-tracked"]).expect_code(0);
    let listed = env.run(["ls"]).lines();
    assert!(!listed.iter().any(|p| p.ends_with(".key")), "{listed:?}");

    // Outside a work tree nothing is held back.
    let plain = TestEnv::new();
    plain.sized("a.key", 3).sized("src/x.py", 3);
    assert!(patterns(&scan_json(&plain, &[]), "rules").contains(&"**/*.key".to_owned()));
}

/// A builder stage's `COPY . /src` is normal: described with its cost, not called wrong.
/// The same `COPY .` in the stage the image is built from is the one to narrow.
#[test]
fn broad_copy_is_judged_by_where_it_lands() {
    let env = TestEnv::new();
    env.file("go.mod", "module x\n").sized("main.go", 100).sized("docs/guide.md", 5000).file(
        "Dockerfile",
        "FROM golang:1.23 AS build\nWORKDIR /src\nCOPY go.mod ./\nCOPY . .\n\
             RUN go build -o /app .\n\nFROM scratch\nCOPY --from=build /app /app\n",
    );
    let kinds = warning_kinds(&scan_json(&env, &[]));
    assert!(kinds.contains(&"broad_copy_builder".to_owned()), "{kinds:?}");
    assert!(!kinds.contains(&"broad_copy".to_owned()), "{kinds:?}");
    let text = env.run(["scan"]).stdout();
    assert!(text.contains("build stage build, not in the image"), "{text}");

    env.file(
        "Dockerfile",
        "FROM golang:1.23 AS base\nCOPY go.mod ./\nCOPY . .\nFROM base\nRUN go build .\n",
    );
    let kinds = warning_kinds(&scan_json(&env, &[]));
    assert!(kinds.contains(&"broad_copy".to_owned()), "the target is built FROM it: {kinds:?}");
    assert!(!kinds.contains(&"broad_copy_builder".to_owned()), "{kinds:?}");
}

/// `dist` excluded with `!dist/**/app` re-included: BuildKit still sends
/// `dist/linux/amd64/app`, so a COPY of it is available and lint does not say it fails; a COPY of something the
/// exception does not bring back does fail.
#[test]
fn a_source_an_exception_brings_back_is_available() {
    let env = TestEnv::new();
    env.sized("dist/linux/amd64/app", 100)
        .sized("dist/linux/amd64/notes.txt", 5)
        .file(".dockerignore", "dist\n!dist/**/app\n")
        .file("Dockerfile", "FROM scratch\nCOPY dist/linux/amd64/app /\n");
    let lint = |env: &TestEnv| -> Vec<String> {
        let run = env.run(["lint", "--json"]);
        let report: Value = serde_json::from_slice(&run.stdout).unwrap();
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let found = lint(&env);
    assert!(!found.contains(&"excludes-needed".to_owned()), "{found:?}");
    let sent = env.run(["ls", "--transfer"]).lines();
    assert_eq!(sent, ["dist", "dist/linux", "dist/linux/amd64", "dist/linux/amd64/app"]);

    env.file("Dockerfile", "FROM scratch\nCOPY dist/linux/amd64/notes.txt /\n");
    let found = lint(&env);
    assert!(found.contains(&"excludes-needed".to_owned()), "{found:?}");
}

/// A Java package called `target` is source: the template's `**/target` would take it out of
/// `COPY src src`, so it is not proposed; the root `target/` beside `pom.xml`, which
/// `mvn package` rebuilds, is proposed where it sits instead. A project with both Maven and
/// Gradle files writes `build/` too.
#[test]
fn a_source_package_named_like_build_output_is_kept() {
    let env = TestEnv::new();
    env.file("pom.xml", "<project/>\n")
        .file("build.gradle", "plugins {}\n")
        .sized("src/main/java/com/acme/App.java", 60)
        .sized("src/main/java/com/acme/target/Target.java", 70)
        .sized("target/app.jar", 5000)
        .sized("build/libs/app.jar", 4000)
        .file(
            "Dockerfile",
            "FROM maven\nCOPY pom.xml .\nCOPY src src\nCOPY build.gradle .\nRUN mvn package\n\
             RUN gradle build\n",
        );
    let report = scan_json(&env, &["--type", "java"]);
    let rules = patterns(&report, "rules");
    assert!(!rules.contains(&"**/target".to_owned()), "{rules:?}");
    assert_eq!(dropped(&report, "**/target")["needed_path"], "src/main/java/com/acme/target");
    // Neither `target` nor `build` is sent by this Dockerfile (it copies src, not them).
    assert!(!rules.contains(&"target".to_owned()), "not sent: {rules:?}");

    env.file("Dockerfile", "FROM maven\nCOPY . .\nRUN mvn package\nRUN gradle build\n");
    let report = scan_json(&env, &["--type", "java"]);
    let rules = patterns(&report, "rules");
    assert!(rules.contains(&"target".to_owned()), "{rules:?}");
    assert!(rules.contains(&"build".to_owned()), "{rules:?}");
    env.run(["init", "--yes", "--type", "java"]).expect_code(0);
    let sent = env.run(["ls", "--transfer"]).lines();
    assert!(sent.contains(&"src/main/java/com/acme/target/Target.java".to_owned()), "{sent:?}");
    assert!(!sent.iter().any(|p| p.ends_with("app.jar")), "{sent:?}");
}

/// A source that names nothing the builder receives fails `docker build` ("not found"):
/// `scan` says so and `check` fails, whether the path is missing, excluded, or built for
/// another platform; a source with an unknown variable may name anything and is left alone.
#[test]
fn a_source_the_build_cannot_receive_fails_the_check() {
    let env = TestEnv::new();
    env.sized("dist/linux/amd64/app", 10)
        .sized("app/main.go", 10)
        .file("Dockerfile", "FROM scratch\nARG TARGETPLATFORM\nCOPY dist/$TARGETPLATFORM/app /\n");
    env.run(["check", "--platform", "linux/amd64"]).expect_code(0);
    let run = env.run(["check", "--platform", "linux/riscv64", "--format", "json"]);
    run.expect_code(1);
    let verdict: Value = serde_json::from_slice(&run.stdout).unwrap();
    let violation = &verdict["violations"][0];
    assert_eq!(violation["kind"], "source-unavailable");
    assert_eq!(violation["line"], 3);
    assert!(violation["message"].as_str().unwrap().contains("matches nothing"), "{violation}");
    let report = scan_json(&env, &["--platform", "linux/riscv64"]);
    assert_eq!(report["unavailable_sources"][0]["cause"], "missing");
    assert!(warning_kinds(&report).contains(&"build_fails".to_owned()));

    env.file("Dockerfile", "FROM scratch\nCOPY app /app\n").file(".dockerignore", "app\n");
    let report = scan_json(&env, &[]);
    assert_eq!(report["unavailable_sources"][0]["cause"], "excluded");
    env.run(["check"]).expect_code(1);
    // Excluding everything inside leaves an empty directory: the build succeeds.
    env.file(".dockerignore", "app/*\n");
    env.run(["check"]).expect_code(0);

    env.file("Dockerfile", "FROM scratch\nARG WHERE\nCOPY $WHERE/missing /\n");
    let report = scan_json(&env, &[]);
    assert_eq!(report["unavailable_sources"], serde_json::json!([]));
}

/// COPY and ADD allow a wildcard to match nothing once its directory arrives: the optional
/// lock files of a Node image, or `n[o]there`, copy nothing and the build goes on. A
/// wildcard whose directory does not arrive fails.
#[test]
fn an_empty_wildcard_in_a_directory_that_arrives_is_fine() {
    let env = TestEnv::new();
    env.file("package.json", "{}\n").file("package-lock.json", "{}\n").sized("lib/readme", 3);
    env.file(
        "Dockerfile",
        "FROM node:20-alpine\n\
         COPY package.json yarn.lock* package-lock.json* pnpm-lock.yaml* .npmrc* ./\n\
         COPY n[o]there /\nCOPY lib/*.jar /jars/\n",
    );
    env.run(["check"]).expect_code(0);
    assert_eq!(scan_json(&env, &[])["unavailable_sources"], serde_json::json!([]));

    env.file("Dockerfile", "FROM node:20-alpine\nCOPY missingdir/*.jar /jars/\n");
    let report = scan_json(&env, &[]);
    assert_eq!(report["unavailable_sources"][0]["source"], "missingdir/*.jar");
    env.run(["check"]).expect_code(1);
    env.file("Dockerfile", "FROM node:20-alpine\nCOPY lib/*.jar /jars/\n")
        .file(".dockerignore", "lib\n");
    assert_eq!(scan_json(&env, &[])["unavailable_sources"][0]["source"], "lib/*.jar");
}

/// The proposal is a set: `**/*.pem` whose only hit is a CA bundle inside `.venv` adds
/// nothing once `**/.venv` is proposed, so it is listed as redundant, not proposed; a private
/// key inside `.terraform` is a secret that ships, and the rule that guards it stays beside
/// `**/.terraform`.
#[test]
fn a_rule_other_rules_make_redundant_is_not_proposed_unless_it_guards_a_secret() {
    let env = TestEnv::new();
    env.file("pyproject.toml", "[project]\n")
        .sized("app/main.py", 10)
        .file(
            ".venv/lib/python3.12/site-packages/certifi/cacert.pem",
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        )
        .file("Dockerfile", "FROM python:3.12\nCOPY . /app\n");
    let report = scan_json(&env, &[]);
    let rules = patterns(&report, "rules");
    assert!(rules.contains(&"**/.venv".to_owned()), "{rules:?}");
    assert!(!rules.contains(&"**/*.pem".to_owned()), "{rules:?}");
    let pem = dropped(&report, "**/*.pem");
    assert!(pem["reason"].as_str().unwrap().contains("`**/.venv` removes too"), "{pem}");
    // Not repeated among the warnings: nothing is at stake.
    assert!(!warning_kinds(&report).contains(&"dropped_rules".to_owned()));

    env.file(
        ".terraform/providers/server.pem",
        "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
    );
    let rules = patterns(&scan_json(&env, &[]), "rules");
    assert!(rules.contains(&"**/*.pem".to_owned()), "it guards a secret: {rules:?}");
}
