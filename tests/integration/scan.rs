//! `ctxsize scan` on real temporary trees: totals, categories, detection, the proposal and
//! its measured savings, and the Dockerfile's needs.

use serde_json::Value;

use crate::env::TestEnv;

fn scan_json(env: &TestEnv, extra: &[&str]) -> Value {
    let mut args = vec!["scan", "--json"];
    args.extend_from_slice(extra);
    let run = env.run(&args);
    run.expect_code(0);
    serde_json::from_slice(&run.stdout).expect("valid JSON")
}

fn node_project() -> TestEnv {
    let env = TestEnv::new();
    env.file("package.json", "{\"name\":\"app\"}\n")
        .file("package-lock.json", "{}\n")
        .sized("src/index.js", 100)
        .sized("node_modules/react/index.js", 1000)
        .sized("node_modules/react/package.json", 50)
        .sized("node_modules/.bin/x", 10)
        .sized("debug.log", 300)
        .sized(".git/objects/ab/cdef", 400)
        .file(".env", "TOKEN=1\n");
    env
}

/// One category of a scan report, by its JSON name.
fn category_of(report: &Value, name: &str) -> Value {
    report["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == name)
        .unwrap_or_else(|| panic!("no category {name}"))
        .clone()
}

/// Sums `f` sizes and counts non-directory entries of `ctxsize ls -l`.
fn shipped_by_ls(env: &TestEnv) -> (u64, u64) {
    let run = env.run(["ls", "-l"]);
    run.expect_code(0);
    let mut files = 0;
    let mut bytes = 0;
    for line in run.lines() {
        let mut parts = line.splitn(3, ' ');
        let kind = parts.next().unwrap();
        let size: u64 = parts.next().unwrap().parse().unwrap();
        if kind != "d" {
            files += 1;
            bytes += size;
        }
    }
    (files, bytes)
}

#[test]
fn totals_match_ls_and_the_disk() {
    let env = node_project();
    env.file(".dockerignore", "node_modules\n");
    let report = scan_json(&env, &[]);
    assert_eq!(report["schema_version"], 2);
    let (files, bytes) = shipped_by_ls(&env);
    assert_eq!(report["totals"]["shipped"]["files"], files);
    assert_eq!(report["totals"]["shipped"]["bytes"], bytes);
    // node_modules: 3 files, 1060 bytes, 3 directories (node_modules, react, .bin).
    assert_eq!(report["totals"]["excluded"]["files"], 3);
    assert_eq!(report["totals"]["excluded"]["bytes"], 1060);
    assert_eq!(report["totals"]["excluded"]["dirs"], 3);
    let on_disk = &report["totals"]["on_disk"];
    assert_eq!(on_disk["files"].as_u64().unwrap(), files + 3);
    assert_eq!(on_disk["bytes"].as_u64().unwrap(), bytes + 1060);
}

#[test]
fn detects_the_project_and_categorizes_what_ships() {
    let env = node_project();
    let report = scan_json(&env, &[]);
    let projects = report["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 1, "{projects:?}");
    assert_eq!(projects[0]["kind"], "node");
    assert_eq!(projects[0]["tool"], "npm");
    assert_eq!(projects[0]["dir"], "");
    let category = |name: &str| category_of(&report, name);
    assert_eq!(category("dependencies")["files"], 3);
    assert_eq!(category("dependencies")["bytes"], 1060);
    assert_eq!(category("vcs")["bytes"], 400);
    assert_eq!(category("logs")["bytes"], 300);
    assert_eq!(category("secrets")["files"], 1);
    let kinds: Vec<&str> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["kind"].as_str().unwrap())
        .collect();
    for kind in ["secrets", "vcs", "dependencies"] {
        assert!(kinds.contains(&kind), "{kind} warning missing: {kinds:?}");
    }
}

#[test]
fn proposal_savings_are_measured_and_the_total_is_what_ls_then_ships() {
    let env = node_project();
    let report = scan_json(&env, &[]);
    let proposal = &report["proposal"];
    let rules = proposal["rules"].as_array().unwrap();
    let rule = |pattern: &str| rules.iter().find(|r| r["pattern"] == pattern).cloned();
    let node_modules = rule("**/node_modules").expect("node_modules proposed");
    assert_eq!(node_modules["removes"]["files"], 3);
    assert_eq!(node_modules["removes"]["bytes"], 1060);
    assert_eq!(node_modules["template"], "node");
    assert!(node_modules["reason"].as_str().unwrap().len() > 5);
    assert_eq!(rule("**/*.log").expect("logs proposed")["removes"]["bytes"], 300);
    for r in rules {
        let removes = &r["removes"];
        assert!(removes["files"].as_u64().unwrap() > 0 || removes["bytes"].as_u64().unwrap() > 0);
    }
    // Append the proposal and let `ls` measure it: the scan's "after" must be exactly that.
    let text: String =
        rules.iter().map(|r| format!("{}\n", r["pattern"].as_str().unwrap())).collect();
    env.file(".dockerignore", &text);
    let (files, bytes) = shipped_by_ls(&env);
    let ignore_file_bytes = text.len() as u64;
    assert_eq!(proposal["after"]["files"], files - 1, "the new .dockerignore itself is extra");
    assert_eq!(proposal["after"]["bytes"].as_u64().unwrap(), bytes - ignore_file_bytes);
    let shipped = report["totals"]["shipped"]["bytes"].as_u64().unwrap();
    assert_eq!(proposal["saving_bytes"].as_u64().unwrap(), shipped - (bytes - ignore_file_bytes));
}

#[test]
fn rules_already_present_are_not_proposed_again() {
    let env = node_project();
    env.file(".dockerignore", "**/node_modules\n");
    let report = scan_json(&env, &[]);
    let rules = report["proposal"]["rules"].as_array().unwrap();
    assert!(rules.iter().all(|r| r["pattern"] != "**/node_modules"), "{rules:?}");
}

#[test]
fn a_rule_that_excludes_what_the_dockerfile_copies_is_dropped() {
    let env = node_project();
    env.file("Dockerfile", "FROM node:20\nCOPY debug.log /app/\nCOPY src ./src\n");
    let report = scan_json(&env, &[]);
    let proposal = &report["proposal"];
    let rules = proposal["rules"].as_array().unwrap();
    assert!(rules.iter().all(|r| r["pattern"] != "**/*.log"), "{rules:?}");
    let dropped = proposal["dropped"].as_array().unwrap();
    let log = dropped.iter().find(|d| d["pattern"] == "**/*.log").expect("dropped rule listed");
    assert_eq!(log["needed_path"], "debug.log");
}

#[test]
fn transfer_is_only_what_the_sources_name_without_a_broad_copy() {
    let env = node_project();
    env.file(
        "Dockerfile",
        "FROM node:20\nCOPY package.json package-lock.json ./\nCOPY src ./src\n",
    );
    let report = scan_json(&env, &[]);
    let transfer = &report["transfer"];
    assert_eq!(transfer["whole_context"], false);
    // package.json (15) + package-lock.json (3) + src/index.js (100), and the src directory.
    assert_eq!(transfer["amount"]["bytes"], 118);
    assert_eq!(transfer["amount"]["files"], 3);
    let instructions = report["instructions"].as_array().unwrap();
    assert_eq!(instructions.len(), 3);
    let src = instructions.iter().find(|i| i["source"] == "src").unwrap();
    assert_eq!(src["line"], 3);
    assert_eq!(src["bytes"], 100);
    let kinds: Vec<&str> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["kind"].as_str().unwrap())
        .collect();
    // Rules do change what such a build transfers (inside the copied paths): no warning says
    // otherwise.
    assert!(!kinds.contains(&"no_broad_copy"), "{kinds:?}");

    env.file("Dockerfile", "FROM node:20\nCOPY . .\n");
    let report = scan_json(&env, &[]);
    assert_eq!(report["transfer"]["whole_context"], true);
    assert_eq!(report["transfer"]["amount"], report["totals"]["shipped"]);
}

#[test]
fn type_override_and_unknown_types() {
    let env = node_project();
    let report = scan_json(&env, &["--type", "python"]);
    let rules = report["proposal"]["rules"].as_array().unwrap();
    assert!(rules.iter().all(|r| r["template"] != "node"), "{rules:?}");
    let run = env.run(["scan", "--type", "cobol"]);
    run.expect_code(2);
    assert!(run.stderr.contains("cobol"), "{}", run.stderr);
}

#[test]
fn nested_services_are_detected() {
    let env = TestEnv::new();
    env.file("services/api/package.json", "{}\n")
        .file("services/api/Dockerfile", "FROM node\n")
        .file("services/worker/pyproject.toml", "[project]\n")
        .file("services/worker/uv.lock", "\n")
        .file("node_modules/dep/package.json", "{}\n");
    let report = scan_json(&env, &[]);
    let projects: Vec<(String, String)> = report["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["kind"].as_str().unwrap().to_owned(), p["dir"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        projects,
        [
            ("node".to_owned(), "services/api".to_owned()),
            ("python".to_owned(), "services/worker".to_owned())
        ]
    );
    assert_eq!(report["services"], serde_json::json!(["services/api/Dockerfile"]));
}

#[test]
fn text_report_fits_80_columns_and_names_the_essentials() {
    let env = node_project();
    let run = env.run(["scan"]);
    run.expect_code(0);
    let text = run.stdout();
    for needle in ["Ships", "Project node (npm)", "**/node_modules", "Warnings", "secrets"] {
        assert!(text.contains(needle), "{needle} missing in:\n{text}");
    }
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "line too wide ({}): {line}", line.chars().count());
    }
    assert!(!text.contains('\x1b'), "no colour when not a terminal");
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn npmrc_is_a_secret_only_with_credentials() {
    let env = TestEnv::new();
    env.file("package.json", "{}\n")
        .file(".npmrc", "registry=https://registry.example/\n")
        .file("sub/.npmrc", "//registry.example/:_authToken=abc\n");
    let report = scan_json(&env, &[]);
    let secrets = category_of(&report, "secrets");
    assert_eq!(secrets["files"], 1);
    assert_eq!(secrets["examples"], serde_json::json!(["sub/.npmrc"]));
    let text = env.run(["scan"]).stdout();
    assert!(!text.contains("_authToken"), "contents are never printed");
}

#[test]
fn certificates_are_not_secrets_but_private_keys_are() {
    let env = TestEnv::new();
    env.file("certs/ca.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
        .file("deploy/key.pem", "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n")
        .file("node_modules/pkg/.env", "X=1\n");
    let report = scan_json(&env, &[]);
    let category = |name: &str| category_of(&report, name);
    assert_eq!(category("secrets")["examples"], serde_json::json!(["deploy/key.pem"]));
    assert_eq!(category("dependencies")["files"], 1, "a package's own .env is the package's");
}

#[test]
fn every_project_type_is_detected_with_its_tool() {
    let cases: &[(&[&str], &str, &str)] = &[
        (&["package.json", "pnpm-lock.yaml"], "node", "pnpm"),
        (&["package.json", "yarn.lock", ".yarnrc.yml"], "node", "yarn-berry"),
        (&["pyproject.toml", "poetry.lock"], "python", "poetry"),
        (&["requirements.txt"], "python", "pip"),
        (&["go.mod", "go.sum"], "go", "go"),
        (&["pom.xml", "mvnw"], "java", "maven"),
        (&["build.gradle.kts", "gradlew"], "java", "gradle"),
        (&["Cargo.toml", "Cargo.lock"], "rust", "cargo"),
        (&["Gemfile", "Gemfile.lock"], "ruby", "bundler"),
        (&["composer.json"], "php", "composer"),
        (&["App.csproj"], "dotnet", "dotnet"),
    ];
    for (files, kind, tool) in cases {
        let env = TestEnv::new();
        for file in *files {
            env.file(file, "x\n");
        }
        let report = scan_json(&env, &[]);
        let projects = report["projects"].as_array().unwrap();
        assert_eq!(projects.len(), 1, "{files:?}: {projects:?}");
        assert_eq!(projects[0]["kind"], *kind, "{files:?}");
        assert_eq!(projects[0]["tool"], *tool, "{files:?}");
        for file in *files {
            assert!(
                projects[0]["evidence"].as_array().unwrap().iter().any(|e| e == file),
                "{file} missing from the evidence: {}",
                projects[0]
            );
        }
    }
}

#[test]
fn every_category_is_measured() {
    let env = TestEnv::new();
    let files: &[(&str, usize, &str)] = &[
        (".git/HEAD", 11, "vcs"),
        ("node_modules/a/index.js", 12, "dependencies"),
        (".env.production", 13, "secrets"),
        ("app/__pycache__/m.cpython-311.pyc", 14, "caches"),
        ("coverage/lcov.info", 15, "test_output"),
        ("dist/bundle.js", 16, "build_output"),
        ("logs/app.log", 17, "logs"),
        (".DS_Store", 18, "editor_junk"),
        ("assets/intro.mp4", 19, "large_binaries"),
        ("src/main.c", 20, "other"),
    ];
    for (path, size, _) in files {
        env.sized(path, *size);
    }
    let report = scan_json(&env, &[]);
    for (path, size, category) in files {
        let found = category_of(&report, category);
        assert_eq!(found["files"], 1, "{category}: {found}");
        assert_eq!(found["bytes"], *size, "{path} should count as {category}: {found}");
    }
}

#[test]
fn dockerfile_forms_feed_the_transfer_and_the_protection() {
    let env = TestEnv::new();
    env.file("package.json", "{}\n")
        .sized("src/a.js", 5)
        .sized("coverage/keep.json", 7)
        .sized("logs/boot.log", 9)
        .sized("docs/guide.md", 11)
        .file(
            "Dockerfile",
            "FROM node:20 AS deps\n\
             RUN --mount=type=bind,source=package.json,target=package.json npm ci\n\
             FROM deps AS build\n\
             COPY [\"src\", \"/app/src\"]\n\
             COPY --chown=1000:1000 coverage/*.json /app/\n\
             ADD --link logs/boot.log /app/\n\
             COPY <<EOF /app/inline.txt\nnot a path\nEOF\n\
             FROM scratch AS unused\n\
             COPY docs /docs\n\
             FROM build\n\
             COPY --from=deps /app /app\n",
        );
    let report = scan_json(&env, &[]);
    let sources: Vec<(&str, bool, u64)> = report["instructions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["source"].as_str().unwrap(),
                i["needed"].as_bool().unwrap(),
                i["bytes"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        sources,
        [
            ("package.json", true, 3),
            ("src", true, 5),
            ("coverage/*.json", true, 7),
            ("logs/boot.log", true, 9),
            ("docs", false, 11)
        ]
    );
    // Only the needed sources travel: package.json, src/a.js, coverage/keep.json, logs/boot.log.
    assert_eq!(report["transfer"]["whole_context"], false);
    assert_eq!(report["transfer"]["amount"]["bytes"], 3 + 5 + 7 + 9);
    // `**/*.log` would save bytes but excludes logs/boot.log, which ADD needs.
    let dropped = report["proposal"]["dropped"].as_array().unwrap();
    assert!(
        dropped.iter().any(|d| d["pattern"] == "**/*.log" && d["needed_path"] == "logs/boot.log"),
        "{dropped:?}"
    );

    // In the text report the instructions (`RUN --mount` among them) line up in columns.
    let run = env.run(["scan"]);
    run.expect_code(0);
    let text = run.stdout();
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("  line ")).collect();
    assert_eq!(rows.len(), 5, "{text}");
    let column = |row: &str| row.find(" file").unwrap();
    assert!(rows.iter().all(|row| column(row) == column(rows[0])), "{text}");
    assert!(rows[0].contains("RUN --mount package.json"), "{text}");
}

#[test]
fn top_and_depth_shape_the_directory_view() {
    let env = TestEnv::new();
    env.sized("a/x/1", 100).sized("a/y/2", 50).sized("b/3", 10).sized("c/4", 5);
    let report = scan_json(&env, &["--top", "2", "--depth", "1"]);
    let dirs: Vec<(&str, u64)> = report["heaviest_dirs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["path"].as_str().unwrap(), d["bytes"].as_u64().unwrap()))
        .collect();
    assert_eq!(dirs, [("a", 150), ("b", 10)]);
    assert_eq!(report["largest_files"].as_array().unwrap().len(), 2);
    let report = scan_json(&env, &["--depth", "2"]);
    let paths: Vec<&str> = report["heaviest_dirs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["a", "a/x", "a/y", "b", "c"]);
}

#[test]
fn colour_only_when_asked_for_off_a_terminal() {
    let env = node_project();
    let plain = env.run(["scan"]);
    assert!(!plain.stdout().contains('\x1b'));
    let mut always = env.command(["--color", "always", "scan"]);
    always.env_remove("NO_COLOR");
    let output = always.output().unwrap();
    assert!(String::from_utf8_lossy(&output.stdout).contains("\x1b["), "--color always colours");
    let never = env.run(["--color", "never", "scan"]);
    assert!(!never.stdout().contains('\x1b'));
}

#[test]
fn a_rule_that_would_undo_a_user_exception_is_not_proposed() {
    let env = node_project();
    env.sized("keep.log", 7).file(".dockerignore", "*.log\n!keep.log\n");
    env.sized("sub/debug.log", 5);
    let report = scan_json(&env, &[]);
    let proposal = &report["proposal"];
    assert!(proposal["rules"].as_array().unwrap().iter().all(|r| r["pattern"] != "**/*.log"));
    let dropped = proposal["dropped"].as_array().unwrap();
    let log = dropped.iter().find(|d| d["pattern"] == "**/*.log").expect("listed as dropped");
    assert_eq!(log["needed_path"], "keep.log");
    assert!(log["reason"].as_str().unwrap().contains("line 2"), "{log}");
}

#[test]
fn paths_use_the_width_columns_asks_for() {
    let env = TestEnv::new();
    let long = format!("{}/file.bin", ["a-rather-long-directory-name"; 4].join("/"));
    env.sized(&long, 1000).sized("small", 1);
    env.file("Dockerfile", format!("FROM scratch\nCOPY {long} /x\n"));
    let largest_row = |run: &crate::env::Run| {
        let text = run.stdout();
        let row = text.lines().find(|l| l.contains("file.bin") && l.contains("1 kB")).unwrap();
        row.to_owned()
    };
    // Piped without COLUMNS: 80 columns, the path cut from the front.
    let run = env.run(["scan"]);
    run.expect_code(0);
    assert!(largest_row(&run).contains("  …ather-long-directory-name/"), "{}", run.stdout());
    assert!(run.stdout().lines().all(|l| l.chars().count() <= 80), "{}", run.stdout());

    let wide = |columns: &str| -> crate::env::Run {
        env.command(["scan"]).env("COLUMNS", columns).output().unwrap().into()
    };
    let run = wide("200");
    run.expect_code(0);
    let text = run.stdout();
    assert!(largest_row(&run).ends_with(&format!("  {long}")), "{text}");
    // The Dockerfile's source too, with the columns after it still lined up.
    let source = text.lines().find(|l| l.starts_with("  line 2")).unwrap();
    assert!(source.contains(&format!("COPY {long} ")), "{text}");
    assert!(!text.contains('…'), "{text}");
    assert!(text.lines().all(|l| l.chars().count() <= 200), "{text}");
    // COLUMNS=80 is the piped layout exactly.
    assert_eq!(wide("80").stdout, env.run(["scan"]).stdout);
}

#[test]
fn a_workspace_is_one_project_and_test_data_is_none() {
    let env = TestEnv::new();
    env.file("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n").file("Cargo.lock", "\n");
    for i in 0..16 {
        env.file(format!("crates/c{i:02}/Cargo.toml"), "[package]\nname = \"c\"\n");
    }
    env.file("crates/c00/tests/fixtures/app/package.json", "{}\n")
        .file("crates/c01/tests/fixtures/bad/Cargo.toml", "[package]\n")
        .file("testdata/go.mod", "module x\n")
        .file("test/data/sample/pyproject.toml", "[project]\n")
        .file("web/package.json", "{}\n");
    let run = env.run(["scan"]);
    run.expect_code(0);
    let text = run.stdout();
    let projects: Vec<&str> = text.lines().filter(|l| l.starts_with("Project ")).collect();
    assert_eq!(
        projects,
        [
            "Project rust (cargo) at . with 16 members: Cargo.lock, Cargo.toml",
            "Project node (npm) at web: web/package.json",
        ],
        "{text}"
    );

    let report = scan_json(&env, &[]);
    let projects = report["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 18, "every member stays in the JSON: {projects:?}");
    assert_eq!(projects[0]["dir"], "");
    assert_eq!(projects[0]["workspace"], Value::Null);
    assert_eq!(projects[1]["dir"], "crates/c00");
    assert_eq!(projects[1]["workspace"], "");
    let web = projects.iter().find(|p| p["dir"] == "web").unwrap();
    assert_eq!(web["workspace"], Value::Null);
}

#[test]
fn crates_without_a_workspace_stay_projects_of_their_own() {
    let env = TestEnv::new();
    env.file("Cargo.toml", "[package]\nname = \"top\"\n")
        .file("sub/Cargo.toml", "[package]\nname = \"sub\"\n");
    let run = env.run(["scan"]);
    run.expect_code(0);
    let text = run.stdout();
    let projects: Vec<&str> = text.lines().filter(|l| l.starts_with("Project ")).collect();
    assert_eq!(projects.len(), 2, "{text}");
}
