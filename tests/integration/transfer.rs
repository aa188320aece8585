//! The transfer (what a Dockerfile makes BuildKit send) against the context (what `COPY . .`
//! ships), on trees shaped like real projects: the proposal's two measures, `init`, `check`,
//! `ls --transfer` and `why`. Every expected number is derived from the files written here.

use std::collections::BTreeSet;
use std::fs;

use serde_json::{Value, json};

use crate::env::{Run, TestEnv};

// --- Helpers ---

fn parse(run: &Run) -> Value {
    serde_json::from_slice(&run.stdout).expect("valid JSON")
}

fn scan_json(env: &TestEnv, extra: &[&str]) -> Value {
    let mut args = vec!["scan", "--json"];
    args.extend_from_slice(extra);
    let run = env.run(&args);
    run.expect_code(0);
    parse(&run)
}

/// Writes each `(path, size)` as a file of that many bytes.
fn write_sized(env: &TestEnv, files: &[(&str, usize)]) {
    for (path, size) in files {
        env.sized(path, *size);
    }
}

fn total(files: &[(&str, usize)]) -> u64 {
    files.iter().map(|(_, size)| *size as u64).sum()
}

fn amount(files: usize, dirs: usize, bytes: u64) -> Value {
    json!({ "files": files, "dirs": dirs, "bytes": bytes })
}

/// The amount of a rule that removes nothing.
fn nothing() -> Value {
    amount(0, 0, 0)
}

/// The proposed rule with this pattern.
fn rule<'a>(report: &'a Value, pattern: &str) -> &'a Value {
    report["proposal"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["pattern"] == pattern)
        .unwrap_or_else(|| panic!("`{pattern}` not proposed: {:#}", report["proposal"]))
}

fn proposed(report: &Value) -> Vec<String> {
    report["proposal"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["pattern"].as_str().unwrap().to_owned())
        .collect()
}

fn dropped(report: &Value) -> Vec<Value> {
    report["proposal"]["dropped"].as_array().unwrap().clone()
}

/// The paths with every directory leading to them (what `ls` lists for them).
fn with_parents<'a>(paths: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    for path in paths {
        let mut end = 0;
        while let Some(slash) = path[end..].find('/') {
            end += slash;
            set.insert(path[..end].to_owned());
            end += 1;
        }
        set.insert(path.to_owned());
    }
    set
}

/// The lines of `ctxsize ls ARGS`, as a set.
fn listed(env: &TestEnv, args: &[&str]) -> BTreeSet<String> {
    let mut all = vec!["ls"];
    all.extend_from_slice(args);
    let run = env.run(&all);
    run.expect_code(0);
    run.lines().into_iter().collect()
}

fn ignore_file(env: &TestEnv) -> String {
    fs::read_to_string(env.path(".dockerignore")).unwrap()
}

fn has_line(text: &str, line: &str) -> bool {
    text.lines().any(|l| l == line)
}

/// The `transfer` object of `why --json PATH`, for the one path asked about.
fn why_transfer(env: &TestEnv, path: &str) -> Value {
    let run = env.run(["why", "--json", path]);
    run.expect_code(0);
    let report = parse(&run);
    let answer = &report["paths"][0];
    assert_eq!(answer["path"], path);
    answer["transfer"].clone()
}

// --- 1. A Python package copied by name (Django-like) ---

const PY_SOURCES: &[(&str, usize)] = &[
    ("netbox/__init__.py", 0),
    ("netbox/settings.py", 2_000),
    ("netbox/urls.py", 300),
    ("netbox/app/__init__.py", 1),
    ("netbox/app/models.py", 3_000),
    ("netbox/core/__init__.py", 0),
    ("netbox/core/views.py", 1_500),
];
/// Two subpackages' bytecode caches: 2 directories.
const PY_PYCACHE: &[(&str, usize)] = &[
    ("netbox/app/__pycache__/models.cpython-312.pyc", 5_000),
    ("netbox/app/__pycache__/__init__.cpython-312.pyc", 100),
    ("netbox/core/__pycache__/views.cpython-312.pyc", 7_000),
];
/// `.pytest_cache`, `v`, `cache`: 3 directories.
const PY_PYTEST: &[(&str, usize)] =
    &[("netbox/.pytest_cache/v/cache/nodeids", 600), ("netbox/.pytest_cache/README.md", 300)];
const PY_LOG: (&str, usize) = ("netbox/debug.log", 8_000);
const PY_COVERAGE: (&str, usize) = ("netbox/.coverage", 900);
const PY_REQUIREMENTS: (&str, usize) = ("requirements.txt", 120);
const PY_MANAGE: (&str, usize) = ("manage.py", 400);
/// `.git`, `objects`, `ab`.
const PY_GIT: &[(&str, usize)] = &[(".git/HEAD", 23), (".git/objects/ab/cdef", 4_000)];
/// `.venv`, `lib`, `python3.12`, `site-packages`, `django`, `bin`: 6 directories.
const PY_VENV: &[(&str, usize)] =
    &[(".venv/lib/python3.12/site-packages/django/__init__.py", 200_000), (".venv/bin/python", 50)];
const PY_ENV: &str = "SECRET_KEY=django-insecure-abc\n";
const PY_DOCKERFILE: &str = "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nCOPY netbox ./netbox\nRUN pip install -r requirements.txt\n";
/// The line of `COPY netbox ./netbox` in [`PY_DOCKERFILE`].
const PY_COPY_NETBOX_LINE: u64 = 4;

fn python_project() -> TestEnv {
    let env = TestEnv::new();
    write_sized(&env, PY_SOURCES);
    write_sized(&env, PY_PYCACHE);
    write_sized(&env, PY_PYTEST);
    write_sized(&env, &[PY_LOG, PY_COVERAGE, PY_REQUIREMENTS, PY_MANAGE]);
    write_sized(&env, PY_GIT);
    write_sized(&env, PY_VENV);
    env.file(".env", PY_ENV).file(".dockerignore", ".git\n").file("Dockerfile", PY_DOCKERFILE);
    env
}

/// Every file `COPY requirements.txt .` and `COPY netbox ./netbox` send before any rule.
fn python_sent_before() -> Vec<(&'static str, usize)> {
    let mut files = vec![PY_REQUIREMENTS, PY_LOG, PY_COVERAGE];
    files.extend_from_slice(PY_SOURCES);
    files.extend_from_slice(PY_PYCACHE);
    files.extend_from_slice(PY_PYTEST);
    files
}

/// What they send once bytecode, caches, logs and coverage data are excluded.
fn python_sent_after() -> Vec<(&'static str, usize)> {
    let mut files = vec![PY_REQUIREMENTS];
    files.extend_from_slice(PY_SOURCES);
    files
}

#[test]
fn python_package_copied_by_name_rules_that_shrink_the_transfer_come_first() {
    let env = python_project();
    let report = scan_json(&env, &[]);

    let before = python_sent_before();
    let transfer = &report["transfer"];
    assert_eq!(transfer["whole_context"], false);
    // netbox, app, core, two __pycache__, .pytest_cache/v/cache.
    assert_eq!(transfer["amount"], amount(before.len(), 2 + 3 + 3, total(&before)));

    let pycache = rule(&report, "**/__pycache__");
    assert_eq!(pycache["template"], "python");
    assert_eq!(pycache["removes_transfer"], amount(PY_PYCACHE.len(), 2, total(PY_PYCACHE)));
    assert_eq!(pycache["removes"], pycache["removes_transfer"]);
    let log = rule(&report, "**/*.log");
    assert_eq!(log["removes_transfer"], amount(1, 0, PY_LOG.1 as u64));
    let pytest = rule(&report, "**/.pytest_cache");
    assert_eq!(pytest["removes_transfer"], amount(PY_PYTEST.len(), 3, total(PY_PYTEST)));
    let coverage = rule(&report, "**/.coverage");
    assert_eq!(coverage["removes_transfer"], amount(1, 0, PY_COVERAGE.1 as u64));

    // Hygiene: in the context, never sent by this Dockerfile.
    let venv = rule(&report, "**/.venv");
    assert_eq!(venv["removes"], amount(PY_VENV.len(), 6, total(PY_VENV)));
    assert_eq!(venv["removes_transfer"], nothing());
    let dotenv = rule(&report, "**/.env");
    assert_eq!(dotenv["removes"], amount(1, 0, PY_ENV.len() as u64));
    assert_eq!(dotenv["removes_transfer"], nothing());

    // Every rule that shrinks the transfer is listed before every rule that does not.
    let rules = report["proposal"]["rules"].as_array().unwrap();
    let shrinks: Vec<bool> =
        rules.iter().map(|r| r["removes_transfer"]["bytes"].as_u64().unwrap() > 0).collect();
    let first_hygiene = shrinks.iter().position(|s| !s).expect("hygiene rules proposed");
    assert!(
        shrinks[first_hygiene..].iter().all(|s| !s),
        "a rule that shrinks the transfer comes after a hygiene rule: {:?}",
        proposed(&report)
    );
    for r in rules {
        let removes = &r["removes_transfer"];
        if removes["bytes"] == 0 {
            assert_eq!(removes, &nothing(), "{r}");
        }
    }
    // Entries below `COPY netbox` are fair game: nothing is dropped for the Dockerfile's sake;
    // only rules the others make redundant are left out.
    for d in dropped(&report) {
        assert!(d["reason"].as_str().unwrap().contains("removes too"), "{d}");
    }

    let after = python_sent_after();
    let proposal = &report["proposal"];
    assert_eq!(proposal["transfer_after"], amount(after.len(), 3, total(&after)));
    assert_eq!(proposal["transfer_saving_bytes"], total(&before) - total(&after));
    // The context after: the same plus manage.py (the Dockerfile, .dockerignore, .env and
    // .venv are proposed away, .git already was).
    assert_eq!(proposal["after"], amount(after.len() + 1, 3, total(&after) + PY_MANAGE.1 as u64));

    let warnings = report["warnings"].as_array().unwrap();
    let kinds: Vec<&str> = warnings.iter().map(|w| w["kind"].as_str().unwrap()).collect();
    assert!(!kinds.contains(&"no_broad_copy"), "{kinds:?}");
    // .env is in the context but not sent: not the warning of a secret that is sent.
    assert!(!kinds.contains(&"secrets"), "{warnings:?}");
    assert!(
        warnings.iter().any(|w| w["paths"].as_array().unwrap().iter().any(|p| p == ".env")),
        "no warning names .env: {warnings:?}"
    );
}

#[test]
fn python_package_copied_by_name_check_judges_the_transfer() {
    let env = python_project();
    // .env is a secret of the context that this Dockerfile does not send: a warning.
    let run = env.run(["check"]);
    run.expect_code(0);
    let out = run.stdout();
    assert!(
        out.lines().any(|l| l.starts_with("warning:") && l.contains(".env")),
        "no warning about .env:\n{out}"
    );
    assert!(out.lines().any(|l| l.starts_with("judged:")), "{out}");
    // Judging the context, the same secret fails.
    let run = env.run(["check", "--whole-context"]);
    run.expect_code(1);
    assert!(run.stdout().contains(".env"), "{}", run.stdout());
}

#[test]
fn python_package_copied_by_name_init_does_what_scan_measured() {
    let env = python_project();
    let report = scan_json(&env, &[]);
    env.run(["init", "--yes"]).expect_code(0);

    let sent = listed(&env, &["--transfer"]);
    for path in &sent {
        assert!(
            !path.contains("__pycache__") && !path.ends_with(".pyc") && !path.ends_with(".log"),
            "{path} still sent: {sent:?}"
        );
    }
    for (path, _) in python_sent_after() {
        assert!(sent.contains(path), "{path} no longer sent: {sent:?}");
    }

    let rescan = scan_json(&env, &[]);
    assert_eq!(rescan["transfer"]["amount"], report["proposal"]["transfer_after"]);
    assert_eq!(rescan["totals"]["shipped"], report["proposal"]["after"]);
    assert_eq!(proposed(&rescan), Vec::<String>::new());

    let written = fs::read(env.path(".dockerignore")).unwrap();
    let run = env.run(["init", "--yes"]);
    run.expect_code(0);
    assert!(run.stdout().contains("nothing to add"), "{}", run.stdout());
    assert_eq!(fs::read(env.path(".dockerignore")).unwrap(), written);
    let run = env.run(["init", "--diff"]);
    run.expect_code(0);
    assert_eq!(run.stdout(), ".dockerignore: nothing to add\n");
}

// --- 7. `ls --transfer` and `why` on the same tree ---

#[test]
fn python_package_ls_transfer_is_exactly_what_the_sources_name() {
    let env = python_project();
    let before = python_sent_before();
    let expected = with_parents(before.iter().map(|(path, _)| *path));
    assert_eq!(listed(&env, &["--transfer"]), expected);

    // -l: each file with the size written, each directory with 0.
    let run = env.run(["ls", "--transfer", "-l"]);
    run.expect_code(0);
    let mut seen = BTreeSet::new();
    for line in run.lines() {
        let mut parts = line.splitn(3, ' ');
        let (kind, size, path) =
            (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
        let size: u64 = size.parse().unwrap();
        match before.iter().find(|(p, _)| *p == path) {
            Some((_, written)) => assert_eq!((kind, size), ("f", *written as u64), "{line}"),
            None => assert_eq!((kind, size), ("d", 0), "{line}"),
        }
        seen.insert(path.to_owned());
    }
    assert_eq!(seen, expected);

    // -0: the same entries, NUL-separated.
    let run = env.run(["ls", "--transfer", "-0"]);
    run.expect_code(0);
    let entries: BTreeSet<String> = run
        .stdout
        .split(|&b| b == 0)
        .filter(|e| !e.is_empty())
        .map(|e| String::from_utf8(e.to_vec()).unwrap())
        .collect();
    assert_eq!(entries, expected);
}

#[test]
fn python_package_why_says_whether_and_through_what_a_path_is_sent() {
    let env = python_project();
    let dotenv = why_transfer(&env, ".env");
    assert_eq!(dotenv["sent"], false);
    assert_eq!(dotenv["sources"], json!([]));

    let models = why_transfer(&env, "netbox/app/models.py");
    assert_eq!(models["sent"], true);
    assert_eq!(
        models["sources"],
        json!([{ "line": PY_COPY_NETBOX_LINE, "instruction": "COPY", "source": "netbox" }])
    );
    assert!(models["reason"].as_str().unwrap().contains("COPY netbox"), "{models}");

    // manage.py ships in the context but no source names it.
    let manage = why_transfer(&env, "manage.py");
    assert_eq!(manage["sent"], false);

    // A path that is not there is not blamed on the ignore file.
    let missing = why_transfer(&env, "netbox/nothere.py");
    assert_eq!(missing["sent"], false);
    assert!(missing["reason"].as_str().unwrap().contains("not in the context"), "{missing}");

    // After init, a named path the ignore file now excludes is not sent, and says why.
    env.run(["init", "--yes"]).expect_code(0);
    let log = why_transfer(&env, PY_LOG.0);
    assert_eq!(log["sent"], false);
    assert_eq!(log["sources"][0]["line"], PY_COPY_NETBOX_LINE);
    assert!(log["reason"].as_str().unwrap().contains("ignore file"), "{log}");
}

// --- 8. check's formats carry the view ---

#[test]
fn check_formats_say_which_view_was_judged() {
    let env = python_project();
    let report = scan_json(&env, &[]);

    let run = env.run(["check", "--format", "json"]);
    run.expect_code(0);
    let check = parse(&run);
    assert_eq!(check["view"], "transfer");
    assert!(!check["view_reason"].as_str().unwrap().is_empty(), "{check}");
    assert_eq!(check["passed"], true);
    assert_eq!(check["shipped"], report["transfer"]["amount"]);
    let warned: Vec<&Value> = check["warnings"].as_array().unwrap().iter().collect();
    assert!(warned.iter().any(|w| w["path"] == ".env"), "{warned:?}");

    let run = env.run(["check", "--format", "json", "--whole-context"]);
    run.expect_code(1);
    let check = parse(&run);
    assert_eq!(check["view"], "context");
    assert_eq!(check["passed"], false);
    assert_eq!(check["shipped"], report["totals"]["shipped"]);
    let violations = check["violations"].as_array().unwrap();
    assert!(
        violations.iter().any(|v| v["kind"] == "deny:secrets" && v["path"] == ".env"),
        "{violations:?}"
    );

    // The same through ctxsize.toml.
    env.file("ctxsize.toml", "[check]\nwhole-context = true\n");
    let run = env.run(["check", "--format", "json"]);
    run.expect_code(1);
    assert_eq!(parse(&run)["view"], "context");
    fs::remove_file(env.path("ctxsize.toml")).unwrap();

    let run = env.run(["check", "--format", "github"]);
    run.expect_code(0);
    let out = run.stdout();
    assert!(out.lines().any(|l| l.starts_with("judged:")), "{out}");
    assert!(out.contains("file=.env"), "{out}");
}

// --- 2. A Node monorepo built with `-f apps/api/Dockerfile .` ---

const NODE_KEPT: &[(&str, usize)] = &[
    ("packages/shared/package.json", 60),
    ("packages/shared/index.js", 1_200),
    ("apps/api/package.json", 80),
    ("apps/api/src/index.js", 2_500),
];
/// `node_modules`, `express`, `.bin`: 3 directories.
const NODE_NESTED_MODULES: &[(&str, usize)] = &[
    ("apps/api/node_modules/express/index.js", 40_000),
    ("apps/api/node_modules/express/package.json", 1_000),
    ("apps/api/node_modules/.bin/tsc", 30),
];
/// `.turbo`, `cache`: 2 directories; one of them a log.
const NODE_TURBO: &[(&str, usize)] =
    &[("apps/api/.turbo/cache/0a1b2c.tar.zst", 7_000), ("apps/api/.turbo/turbo-build.log", 150)];
const NODE_NPM_LOG: (&str, usize) = ("apps/api/npm-debug.log", 900);
/// Nested coverage: the generic template's `coverage` is root-only, so it stays.
const NODE_COVERAGE: (&str, usize) = ("apps/api/coverage/lcov.info", 3_000);
const NODE_ENV_LOCAL: &str = "DATABASE_URL=postgres://user:password@db/app\n";
const NODE_DOCKERFILE: &str = "FROM node:20\nWORKDIR /app\nCOPY packages/shared packages/shared\nCOPY apps/api apps/api\nRUN npm ci && npm run build\n";
const NODE_F: [&str; 3] = ["-f", "apps/api/Dockerfile", "."];

fn node_monorepo() -> TestEnv {
    let env = TestEnv::new();
    write_sized(&env, NODE_KEPT);
    write_sized(&env, NODE_NESTED_MODULES);
    write_sized(&env, NODE_TURBO);
    write_sized(&env, &[NODE_NPM_LOG, NODE_COVERAGE]);
    write_sized(&env, &[("node_modules/react/index.js", 80_000), (".git/HEAD", 23)]);
    env.file("apps/api/.env.local", NODE_ENV_LOCAL)
        .file("apps/api/Dockerfile", NODE_DOCKERFILE)
        .file(".dockerignore", "node_modules\n.git\n");
    env
}

fn with_f<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = args.to_vec();
    all.extend_from_slice(&NODE_F);
    all
}

#[test]
fn node_monorepo_a_nested_secret_is_sent_and_fails_check() {
    let env = node_monorepo();
    let run = env.run(with_f(&["check"]));
    run.expect_code(1);
    assert!(run.stdout().contains("apps/api/.env.local"), "{}", run.stdout());
}

#[test]
fn node_monorepo_root_only_rules_leave_nested_packages_to_the_proposal() {
    let env = node_monorepo();
    let report = scan_json(&env, &NODE_F);
    assert_eq!(report["dockerfile"], "apps/api/Dockerfile");
    let transfer = &report["transfer"];
    assert_eq!(transfer["whole_context"], false);
    let secrets = transfer["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == "secrets")
        .unwrap();
    assert_eq!(secrets["files"], 1);
    assert_eq!(secrets["bytes"], NODE_ENV_LOCAL.len());

    assert_eq!(
        rule(&report, "**/node_modules")["removes_transfer"],
        amount(NODE_NESTED_MODULES.len(), 3, total(NODE_NESTED_MODULES))
    );
    assert_eq!(
        rule(&report, "**/.env.*")["removes_transfer"],
        amount(1, 0, NODE_ENV_LOCAL.len() as u64)
    );
    // npm-debug.log and the log inside .turbo.
    assert_eq!(
        rule(&report, "**/*.log")["removes_transfer"],
        amount(2, 0, NODE_NPM_LOG.1 as u64 + NODE_TURBO[1].1 as u64)
    );
    // `**/npm-debug.log*` removes nothing `**/*.log` leaves: the proposal is a set.
    let npm_log = dropped(&report).into_iter().find(|d| d["pattern"] == "**/npm-debug.log*");
    let npm_log = npm_log.expect("listed as redundant");
    assert!(npm_log["reason"].as_str().unwrap().contains("`**/*.log` removes too"), "{npm_log}");
    assert_eq!(rule(&report, "**/.turbo")["removes_transfer"], amount(2, 2, total(NODE_TURBO)));
    // The Dockerfile is inside `COPY apps/api`: BuildKit receives it apart, the copy sends it
    // again.
    assert_eq!(
        rule(&report, "**/Dockerfile")["removes_transfer"],
        amount(1, 0, NODE_DOCKERFILE.len() as u64)
    );
    for pattern in ["**/node_modules", "**/.env.*", "**/*.log", "**/.turbo"] {
        assert!(
            !dropped(&report).iter().any(|d| d["pattern"] == pattern),
            "{pattern} dropped: {:?}",
            dropped(&report)
        );
    }

    let mut after = NODE_KEPT.to_vec();
    after.push(NODE_COVERAGE);
    // packages, packages/shared, apps, apps/api, src, coverage.
    assert_eq!(report["proposal"]["transfer_after"], amount(after.len(), 6, total(&after)));
}

#[test]
fn node_monorepo_init_with_dockerfile_flag_cleans_the_transfer() {
    let env = node_monorepo();
    let report = scan_json(&env, &NODE_F);
    env.run(with_f(&["init", "--yes"])).expect_code(0);
    let text = ignore_file(&env);
    assert!(text.starts_with("node_modules\n.git\n"), "{text}");
    for pattern in ["**/node_modules", "**/.env.*", "**/*.log", "**/.turbo"] {
        assert!(has_line(&text, pattern), "{pattern} not written:\n{text}");
    }

    let mut after = NODE_KEPT.to_vec();
    after.push(NODE_COVERAGE);
    assert_eq!(listed(&env, &with_f(&["--transfer"])), with_parents(after.iter().map(|(p, _)| *p)));
    env.run(with_f(&["check"])).expect_code(0);

    let rescan = scan_json(&env, &NODE_F);
    assert_eq!(rescan["transfer"]["amount"], report["proposal"]["transfer_after"]);
    assert_eq!(rescan["totals"]["shipped"], report["proposal"]["after"]);
}

// --- 3. A Go service ---

const GO_SOURCES: &[(&str, usize)] = &[
    ("go.mod", 80),
    ("go.sum", 2_400),
    ("cmd/server/main.go", 1_800),
    ("internal/x/x.go", 900),
    ("internal/x/x_test.go", 700),
];
/// A host build of the server and a `go test -c` binary, both inside copied directories.
const GO_BINARIES: &[(&str, usize)] =
    &[("cmd/server/server", 50_000), ("internal/x/x.test", 30_000)];
const GO_COVERAGE: (&str, usize) = ("coverage.out", 500);
const GO_DOCKERFILE: &str = "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY cmd ./cmd\nCOPY internal ./internal\nRUN go build -o /bin/server ./cmd/server\n";

fn go_service() -> TestEnv {
    let env = TestEnv::new();
    write_sized(&env, GO_SOURCES);
    write_sized(&env, GO_BINARIES);
    write_sized(&env, &[GO_COVERAGE]);
    env.file("Dockerfile", GO_DOCKERFILE);
    env
}

#[test]
fn go_service_root_only_template_rules_do_not_reach_the_copied_packages() {
    let env = go_service();
    let report = scan_json(&env, &[]);
    let mut sent = GO_SOURCES.to_vec();
    sent.extend_from_slice(GO_BINARIES);
    // cmd, cmd/server, internal, internal/x.
    assert_eq!(report["transfer"]["amount"], amount(sent.len(), 4, total(&sent)));

    // The Go template's `*.test` and `*.out` are anchored at the root (BuildKit anchors every
    // pattern): coverage.out goes from the context (by `**/coverage.out`, which makes `*.out`
    // redundant here), internal/x/x.test is not matched.
    let coverage = rule(&report, "**/coverage.out");
    assert_eq!(coverage["removes"], amount(1, 0, GO_COVERAGE.1 as u64));
    assert_eq!(coverage["removes_transfer"], nothing());
    let out = dropped(&report).into_iter().find(|d| d["pattern"] == "*.out").unwrap();
    assert!(out["reason"].as_str().unwrap().contains("removes too"), "{out}");
    assert!(!proposed(&report).contains(&"*.test".to_owned()), "{:?}", proposed(&report));
    for r in report["proposal"]["rules"].as_array().unwrap() {
        assert_eq!(r["removes_transfer"], nothing(), "{r}");
    }
    assert_eq!(report["proposal"]["transfer_saving_bytes"], 0);
    assert_eq!(report["proposal"]["transfer_after"], report["transfer"]["amount"]);

    env.run(["init", "--yes"]).expect_code(0);
    let listed_after = listed(&env, &["--transfer"]);
    for (path, _) in GO_SOURCES {
        assert!(listed_after.contains(*path), "{path} no longer sent: {listed_after:?}");
    }
    let test_binary = why_transfer(&env, "internal/x/x.test");
    assert_eq!(test_binary["sent"], true, "{test_binary}");
    let rescan = scan_json(&env, &[]);
    assert_eq!(rescan["transfer"]["amount"], report["proposal"]["transfer_after"]);
}

/// Without an ignore file, `init` creates one, and that file is then part of the context:
/// the scan's `after` and a second `init` have to account for it.
#[test]
fn init_without_an_ignore_file_is_complete_in_one_run() {
    let env = go_service();
    let report = scan_json(&env, &[]);
    env.run(["init", "--yes"]).expect_code(0);
    let rescan = scan_json(&env, &[]);
    assert_eq!(
        rescan["totals"]["shipped"],
        report["proposal"]["after"],
        "the context after init is not the scan's `after`; the re-scan proposes {:?}",
        proposed(&rescan)
    );
    let run = env.run(["init", "--yes"]);
    run.expect_code(0);
    assert!(run.stdout().contains("nothing to add"), "{}", run.stdout());
}

// --- 4. A Gradle build ---

const GRADLE_SENT: &[(&str, usize)] = &[
    ("gradlew", 8_700),
    ("gradle/wrapper/gradle-wrapper.jar", 43_000),
    ("gradle/wrapper/gradle-wrapper.properties", 250),
    ("build.gradle", 900),
    ("settings.gradle", 40),
    ("src/main/java/App.java", 600),
    ("src/main/java/build/Util.java", 300),
];
/// `.gradle`, `8.5`, `fileHashes`, `checksums`: 4 directories.
const GRADLE_CACHE: &[(&str, usize)] = &[
    (".gradle/8.5/fileHashes/fileHashes.bin", 20_000),
    (".gradle/8.5/checksums/checksums.lock", 17),
];
const GRADLE_OUTPUT: &[(&str, usize)] =
    &[("build/libs/app.jar", 60_000), ("build/classes/java/main/App.class", 1_100)];
const GRADLE_DOCKERFILE: &str = "FROM eclipse-temurin:21\nWORKDIR /app\nCOPY gradlew .\nCOPY gradle gradle\nCOPY build.gradle settings.gradle ./\nCOPY src src\nRUN ./gradlew build\n";

#[test]
fn gradle_build_keeps_the_wrapper_jar_and_a_package_named_build() {
    let env = TestEnv::new();
    write_sized(&env, GRADLE_SENT);
    write_sized(&env, GRADLE_CACHE);
    write_sized(&env, GRADLE_OUTPUT);
    env.file("Dockerfile", GRADLE_DOCKERFILE);

    let report = scan_json(&env, &[]);
    // gradle, gradle/wrapper, src, src/main, src/main/java, src/main/java/build.
    let transfer = amount(GRADLE_SENT.len(), 6, total(GRADLE_SENT));
    assert_eq!(report["transfer"]["amount"], transfer);
    let gradle = rule(&report, "**/.gradle");
    assert_eq!(gradle["removes"], amount(GRADLE_CACHE.len(), 4, total(GRADLE_CACHE)));
    assert_eq!(gradle["removes_transfer"], nothing());
    assert_eq!(report["proposal"]["transfer_after"], transfer);
    assert_eq!(dropped(&report), Vec::<Value>::new());

    env.run(["init", "--yes"]).expect_code(0);
    assert_eq!(listed(&env, &["--transfer"]), with_parents(GRADLE_SENT.iter().map(|(p, _)| *p)));
    let context = listed(&env, &[]);
    assert!(!context.iter().any(|p| p.starts_with(".gradle")), "{context:?}");
    assert!(context.contains("gradle/wrapper/gradle-wrapper.jar"), "{context:?}");
    assert!(context.contains("src/main/java/build/Util.java"), "{context:?}");
}

// --- 5. Protection of what the Dockerfile names ---

#[test]
fn a_rule_that_would_remove_a_named_file_is_dropped() {
    let env = TestEnv::new();
    write_sized(
        &env,
        &[("package.json", 20), ("debug.log", 300), ("other.log", 40), ("src/index.js", 100)],
    );
    env.file(
        "Dockerfile",
        "FROM node:20\nCOPY package.json /app/\nCOPY debug.log /app/\nCOPY src /app/src\n",
    );
    let report = scan_json(&env, &[]);
    assert!(!proposed(&report).contains(&"**/*.log".to_owned()), "{:?}", proposed(&report));
    let drops = dropped(&report);
    let log = drops.iter().find(|d| d["pattern"] == "**/*.log").expect("**/*.log dropped");
    assert_eq!(log["needed_path"], "debug.log");
    assert!(log["reason"].as_str().unwrap().contains("COPY debug.log"), "{log}");
    assert_eq!(log["removes"], amount(2, 0, 340));

    let run = env.run(["init", "--yes"]);
    run.expect_code(0);
    assert!(run.stderr.contains("not adding `**/*.log`"), "{}", run.stderr);
    assert!(!has_line(&ignore_file(&env), "**/*.log"), "{}", ignore_file(&env));
    assert!(listed(&env, &["--transfer"]).contains("debug.log"));
}

#[test]
fn a_rule_that_would_empty_a_copied_directory_is_dropped() {
    let env = TestEnv::new();
    write_sized(
        &env,
        &[
            ("package.json", 20),
            ("logs/app.log", 300),
            ("logs/err.log", 50),
            ("src/index.js", 100),
            ("src/trace.log", 7),
        ],
    );
    env.file(
        "Dockerfile",
        "FROM node:20\nCOPY package.json /app/\nCOPY logs /app/logs\nCOPY src /app/src\n",
    );
    let report = scan_json(&env, &[]);
    assert!(!proposed(&report).contains(&"**/*.log".to_owned()), "{:?}", proposed(&report));
    let drops = dropped(&report);
    let log = drops.iter().find(|d| d["pattern"] == "**/*.log").expect("**/*.log dropped");
    assert_eq!(log["needed_path"], "logs");
    assert!(log["reason"].as_str().unwrap().contains("nothing to copy"), "{log}");

    env.run(["init", "--yes"]).expect_code(0);
    let sent = listed(&env, &["--transfer"]);
    assert!(sent.contains("logs/app.log") && sent.contains("logs/err.log"), "{sent:?}");
}

// --- 6. scan and init agree when the ignore file has exceptions ---

#[test]
fn an_exception_under_an_excluded_directory_does_not_block_other_rules() {
    let env = TestEnv::new();
    write_sized(
        &env,
        &[
            ("package.json", 20),
            ("dist/x/app/main", 300),
            ("dist/y/other", 40),
            (".git/HEAD", 23),
            (".git/objects/ab/cd", 500),
        ],
    );
    env.file(".dockerignore", "dist\n!dist/**/app\n")
        .file("Dockerfile", "FROM node:20\nCOPY . /app\n");
    let report = scan_json(&env, &[]);
    assert_eq!(report["transfer"]["whole_context"], true);
    // .git, objects, ab.
    assert_eq!(rule(&report, "**/.git")["removes_transfer"], amount(2, 3, 523));

    let run = env.run(["init", "--yes"]);
    run.expect_code(0);
    assert!(!run.stderr.contains("not adding"), "{}", run.stderr);
    let text = ignore_file(&env);
    assert!(text.starts_with("dist\n!dist/**/app\n"), "{text}");
    assert!(has_line(&text, "**/.git"), "{text}");
    let context = listed(&env, &[]);
    assert!(!context.iter().any(|p| p.starts_with(".git")), "{context:?}");
    assert!(context.contains("dist/x/app/main"), "{context:?}");
    assert!(!context.contains("dist/y/other"), "{context:?}");
}

#[test]
fn rails_keep_exception_survives_and_keys_are_excluded() {
    let env = TestEnv::new();
    write_sized(
        &env,
        &[
            ("Gemfile", 30),
            ("Gemfile.lock", 600),
            ("app/models/user.rb", 200),
            ("config/credentials.yml.enc", 100),
            ("config/credentials/production.key", 32),
            ("config/master.key", 32),
            ("log/.keep", 0),
            ("log/development.log", 900),
        ],
    );
    env.file(".dockerignore", "log/*\n!log/.keep\n")
        .file("Dockerfile", "FROM ruby:3.3\nWORKDIR /rails\nCOPY . .\n");
    let report = scan_json(&env, &[]);
    assert_eq!(rule(&report, "**/*.key")["removes_transfer"], amount(2, 0, 64));
    assert_eq!(dropped(&report), Vec::<Value>::new());

    let run = env.run(["init", "--yes"]);
    run.expect_code(0);
    assert!(!run.stderr.contains("not adding"), "{}", run.stderr);
    let text = ignore_file(&env);
    assert!(text.starts_with("log/*\n!log/.keep\n"), "{text}");
    assert!(has_line(&text, "**/*.key"), "{text}");
    let sent = listed(&env, &["--transfer"]);
    assert!(sent.contains("log/.keep"), "{sent:?}");
    assert!(sent.contains("config/credentials.yml.enc"), "{sent:?}");
    for gone in ["log/development.log", "config/credentials/production.key", "config/master.key"] {
        assert!(!sent.contains(gone), "{gone} still sent: {sent:?}");
    }
}

/// Per-instruction amounts stay exact when the ignore file filters inside a copied directory
/// and when a source is a wildcard: each counts what arrives, as BuildKit copies it.
#[test]
fn per_instruction_amounts_follow_rules_inside_copied_directories_and_wildcards() {
    let env = TestEnv::new();
    let json = [("config/app.json", 10), ("config/db.json", 20)];
    let kept = [("src/a.py", 100), ("src/pkg/b.py", 40)];
    write_sized(&env, &json);
    write_sized(&env, &kept);
    write_sized(
        &env,
        &[
            ("config/secret.yaml", 5),
            ("src/__pycache__/a.cpython-312.pyc", 50),
            ("src/pkg/__pycache__/b.cpython-312.pyc", 30),
            ("src/x.log", 7),
        ],
    );
    env.file(".dockerignore", "**/__pycache__\nsrc/*.log\n")
        .file("Dockerfile", "FROM python:3.12\nCOPY config/*.json /cfg/\nCOPY src /app/src\n");
    let report = scan_json(&env, &[]);
    let instructions = report["instructions"].as_array().unwrap();
    let of = |source: &str| instructions.iter().find(|i| i["source"] == source).unwrap().clone();
    assert_eq!(of("config/*.json")["files"], 2);
    assert_eq!(of("config/*.json")["bytes"], total(&json));
    assert_eq!(of("src")["files"], 2);
    assert_eq!(of("src")["bytes"], total(&kept));
    // The transfer: both sources, the directories on the way (config, src, src/pkg).
    assert_eq!(report["transfer"]["amount"], amount(4, 3, total(&json) + total(&kept)));
    let expected = with_parents(json.iter().chain(&kept).map(|(p, _)| *p));
    assert_eq!(listed(&env, &["--transfer"]), expected);
}
