use super::*;

use tempfile::TempDir;

/// A directory holding the given files.
fn dir_with(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("a written file");
    }
    dir
}

/// Reads the Bake files of `dir` as bake finds them, with `env` as the environment.
fn bake(dir: &TempDir, targets: &[&str], env: &[(&str, &str)]) -> anyhow::Result<BuildList> {
    let targets: Vec<String> = targets.iter().map(|t| (*t).to_owned()).collect();
    let lookup = |name: &str| env.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v).to_owned());
    read(&find(dir.path()), &targets, &lookup)
}

fn hcl(text: &str) -> TempDir {
    dir_with(&[("docker-bake.hcl", text)])
}

fn names(list: &BuildList) -> Vec<&str> {
    list.builds.iter().map(|b| b.name.as_str()).collect()
}

fn build<'a>(list: &'a BuildList, name: &str) -> &'a BuildSpec {
    list.builds.iter().find(|b| b.name == name).expect("a build of that name")
}

fn args(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

fn error(result: anyhow::Result<BuildList>) -> String {
    format!("{:#}", result.expect_err("an error"))
}

#[test]
fn finds_the_files_bake_reads_in_its_order() {
    let dir = dir_with(&[
        ("docker-bake.override.hcl", ""),
        ("docker-bake.hcl", ""),
        ("docker-bake.override.json", "{}"),
        ("docker-bake.json", "{}"),
        ("compose.yaml", ""),
        ("bake.hcl", ""),
    ]);
    let found: Vec<_> = find(dir.path())
        .into_iter()
        .map(|p| p.strip_prefix(dir.path()).unwrap().to_owned())
        .collect();
    let expected: Vec<PathBuf> = DEFAULT_FILES.iter().map(PathBuf::from).collect();
    assert_eq!(found, expected);
    assert!(find(dir_with(&[]).path()).is_empty());
}

#[test]
fn plain_targets_with_their_paths_stage_and_arguments() {
    let dir = hcl(r#"
group "default" {
  targets = ["api", "web", "inline"]
}
target "api" {
  context = "./services/api/"
  dockerfile = "docker/Dockerfile.prod"
  target = "runtime"
  args = {
    GO_VERSION = "1.23"
    "CGO" = 0
    DEBUG = false
    UNSET = null
  }
}
target "web" {}
target "inline" {
  context = "web"
  dockerfile = "ignored.Dockerfile"
  dockerfile-inline = "FROM scratch\nCOPY . /\n"
}
"#);
    let list = bake(&dir, &[], &[]).unwrap();
    assert_eq!(list.kind, SourceKind::Bake);
    assert_eq!(list.path, dir.path().join("docker-bake.hcl"));
    assert_eq!(names(&list), ["api", "web", "inline"]);
    assert_eq!(
        build(&list, "api"),
        &BuildSpec {
            name: "api".into(),
            context: "services/api".into(),
            dockerfile: Some("services/api/docker/Dockerfile.prod".into()),
            dockerfile_inline: None,
            target: Some("runtime".into()),
            args: args(&[("GO_VERSION", "1.23"), ("CGO", "0"), ("DEBUG", "false")]),
        }
    );
    let web = build(&list, "web");
    assert_eq!((web.context.as_path(), web.dockerfile.as_deref()), (Path::new("."), None));
    let inline = build(&list, "inline");
    assert_eq!(inline.dockerfile, None);
    assert_eq!(inline.dockerfile_inline.as_deref(), Some("FROM scratch\nCOPY . /\n"));
    assert!(list.unsupported.is_empty() && list.without_build.is_empty(), "{list:?}");
}

#[test]
fn dockerfile_paths_absolute_or_from_the_current_directory_stay_as_written() {
    let dir = hcl(r#"
target "default" {
  context = "cwd://app"
  dockerfile = "/abs/Dockerfile"
}
target "cwd" {
  context = "app"
  dockerfile = "cwd://docker/app.Dockerfile"
}
"#);
    let list = bake(&dir, &["default", "cwd"], &[]).unwrap();
    assert_eq!(build(&list, "default").context, Path::new("app"));
    assert_eq!(build(&list, "default").dockerfile.as_deref(), Some(Path::new("/abs/Dockerfile")));
    assert_eq!(build(&list, "cwd").dockerfile.as_deref(), Some(Path::new("docker/app.Dockerfile")));
}

#[test]
fn inherits_two_levels_with_arguments_merged_name_by_name() {
    let dir = hcl(r#"
target "base" {
  context = "src"
  args = { A = "base", B = "base" }
}
target "tools" {
  dockerfile = "tools.Dockerfile"
  args = { T = "tools", B = "tools" }
}
target "mid" {
  inherits = ["base"]
  dockerfile = "mid.Dockerfile"
  args = { B = "mid", C = "mid" }
}
target "leaf" {
  inherits = ["mid", "tools"]
  target = "prod"
  args = { C = "leaf" }
}
"#);
    let list = bake(&dir, &["leaf"], &[]).unwrap();
    let leaf = build(&list, "leaf");
    assert_eq!(leaf.context, Path::new("src"));
    // The later parent wins over the earlier one, the target over both.
    assert_eq!(leaf.dockerfile.as_deref(), Some(Path::new("src/tools.Dockerfile")));
    assert_eq!(leaf.target.as_deref(), Some("prod"));
    assert_eq!(leaf.args, args(&[("A", "base"), ("B", "tools"), ("C", "leaf"), ("T", "tools")]));
}

#[test]
fn a_circle_of_inherits_ends() {
    let dir = hcl(r#"
target "a" {
  inherits = ["b"]
  args = { FROM_A = "1" }
}
target "b" {
  inherits = ["a"]
  context = "b"
}
"#);
    let list = bake(&dir, &["a"], &[]).unwrap();
    assert_eq!(build(&list, "a").context, Path::new("b"));
    assert_eq!(build(&list, "a").args, args(&[("FROM_A", "1")]));
}

#[test]
fn groups_and_nested_groups_build_each_target_once() {
    let dir = hcl(r#"
group "all" {
  targets = ["web", "backend", "api"]
}
group "backend" {
  targets = ["api", "workers", "web"]
}
group "workers" {
  targets = ["worker", "all"]
}
target "web" {}
target "api" {}
target "worker" {}
"#);
    let list = bake(&dir, &["all"], &[]).unwrap();
    assert_eq!(names(&list), ["web", "api", "worker"]);
    let list = bake(&dir, &["worker", "backend"], &[]).unwrap();
    assert_eq!(names(&list), ["worker", "api", "web"]);
}

#[test]
fn without_a_name_the_default_group_or_target_else_an_error() {
    let group = hcl(r#"
group "default" { targets = ["b", "a"] }
target "a" {}
target "b" {}
"#);
    assert_eq!(names(&bake(&group, &[], &[]).unwrap()), ["b", "a"]);
    let target = hcl(r#"
target "default" { context = "app" }
target "other" {}
"#);
    assert_eq!(names(&bake(&target, &[], &[]).unwrap()), ["default"]);
    let none = hcl("target \"api\" {}\n");
    let message = error(bake(&none, &[], &[]));
    assert!(message.contains("docker-bake.hcl") && message.contains("\"default\""), "{message}");
}

#[test]
fn an_unknown_target_or_member_or_parent_is_an_error_naming_it_and_the_file() {
    let dir = hcl(r#"
group "default" { targets = ["api", "nope"] }
target "api" {}
target "child" { inherits = ["missing"] }
"#);
    let message = error(bake(&dir, &["web"], &[]));
    assert!(message.contains("docker-bake.hcl: no target or group named \"web\""), "{message}");
    let message = error(bake(&dir, &[], &[]));
    assert!(message.contains("docker-bake.hcl") && message.contains("\"nope\""), "{message}");
    let message = error(bake(&dir, &["child"], &[]));
    assert!(
        message.contains("docker-bake.hcl:4: target \"child\" inherits \"missing\""),
        "{message}"
    );
}

#[test]
fn an_override_file_changes_attributes_one_by_one() {
    let dir = dir_with(&[
        (
            "docker-bake.hcl",
            r#"
group "default" { targets = ["api", "web"] }
target "api" {
  context = "api"
  dockerfile = "Dockerfile"
  target = "prod"
  args = { A = "1", B = "1" }
}
target "web" {}
"#,
        ),
        (
            "docker-bake.override.hcl",
            r#"
group "default" { targets = ["api"] }
target "api" {
  dockerfile = "dev.Dockerfile"
  args = { B = "2", C = "2" }
}
"#,
        ),
    ]);
    let list = bake(&dir, &[], &[]).unwrap();
    // A later group replaces the earlier one; a later target merges into it.
    assert_eq!(names(&list), ["api"]);
    let api = build(&list, "api");
    assert_eq!(api.context, Path::new("api"));
    assert_eq!(api.dockerfile.as_deref(), Some(Path::new("api/dev.Dockerfile")));
    assert_eq!(api.target.as_deref(), Some("prod"));
    assert_eq!(api.args, args(&[("A", "1"), ("B", "2"), ("C", "2")]));
}

#[test]
fn variables_take_their_defaults_or_the_environment() {
    let dir = hcl(r#"
variable "TAG" { default = "latest" }
variable "DIR" { default = "apps/${NAME}" }
variable "NAME" { default = "api" }
variable "EMPTY" {}
variable "DEBUG" { default = false }
variable "REPLICAS" { default = 1 }
FIXED = "top"
target "default" {
  context = DIR
  dockerfile = "${NAME}.Dockerfile"
  target = DEBUG ? "debug" : "release"
  args = {
    TAG = "v-${TAG}"
    EMPTY = "[${EMPTY}]"
    FIXED = FIXED
    NEXT = REPLICAS + 1
    CMD = BAKE_CMD_CONTEXT
    LITERAL = "$${TAG}"
  }
}
"#);
    let list = bake(&dir, &[], &[]).unwrap();
    let spec = build(&list, "default");
    assert_eq!(spec.context, Path::new("apps/api"));
    assert_eq!(spec.dockerfile.as_deref(), Some(Path::new("apps/api/api.Dockerfile")));
    assert_eq!(spec.target.as_deref(), Some("release"));
    assert_eq!(
        spec.args,
        args(&[
            ("TAG", "v-latest"),
            ("EMPTY", "[]"),
            ("FIXED", "top"),
            ("NEXT", "2"),
            ("CMD", "."),
            ("LITERAL", "${TAG}")
        ])
    );
    let env = [
        ("TAG", "1.2"),
        ("NAME", "web"),
        ("EMPTY", "set"),
        ("DEBUG", "true"),
        ("REPLICAS", "4"),
        ("FIXED", "ignored: not a variable block"),
    ];
    let list = bake(&dir, &[], &env).unwrap();
    let spec = build(&list, "default");
    assert_eq!(spec.context, Path::new("apps/web"));
    assert_eq!(spec.target.as_deref(), Some("debug"));
    assert_eq!(
        &spec.args[..4],
        &args(&[("TAG", "v-1.2"), ("EMPTY", "[set]"), ("FIXED", "top"), ("NEXT", "5")])[..]
    );
    assert!(list.unsupported.is_empty(), "{:?}", list.unsupported);
}

#[test]
fn an_environment_value_of_the_wrong_type_is_an_error() {
    let dir = hcl("variable \"DEBUG\" {\n  default = true\n}\ntarget \"default\" {}\n");
    let message = error(bake(&dir, &[], &[("DEBUG", "maybe")]));
    assert!(message.contains("docker-bake.hcl:1: variable \"DEBUG\""), "{message}");
    assert!(message.contains("\"maybe\" is not a bool"), "{message}");
}

#[test]
fn a_variable_that_names_itself_is_reported() {
    let dir = hcl(r#"
variable "A" { default = "${B}" }
variable "B" { default = "${A}" }
target "default" { args = { X = A, Y = "y" } }
"#);
    let list = bake(&dir, &[], &[]).unwrap();
    assert_eq!(build(&list, "default").args, args(&[("Y", "y")]));
    assert!(
        list.unsupported.iter().any(|u| u.contains("variable \"A\" depends on itself")),
        "{:?}",
        list.unsupported
    );
}

#[test]
fn a_parse_error_names_the_file_and_line() {
    let dir = hcl("target \"api\" {\n  context = \"api\"\n  dockerfile = \n}\n");
    let message = error(bake(&dir, &[], &[]));
    assert!(message.contains("docker-bake.hcl:3:"), "{message}");
    let dir = dir_with(&[("docker-bake.json", "{\n  \"target\": {\n    \"api\": {,}\n  }\n}\n")]);
    let message = error(bake(&dir, &[], &[]));
    assert!(message.contains("docker-bake.json:3:"), "{message}");
    assert!(!message.contains("at line"), "{message}");
    let dir = hcl("target {\n}\n");
    let message = error(bake(&dir, &[], &[]));
    assert!(message.contains("docker-bake.hcl:1: a target block takes one name"), "{message}");
    let message = error(read(&[PathBuf::from("/nonexistent/docker-bake.hcl")], &[], &|_| None));
    assert!(message.contains("cannot read /nonexistent/docker-bake.hcl"), "{message}");
    assert!(error(read(&[], &[], &|_| None)).contains("no Bake file"));
}

#[test]
fn functions_are_reported_by_name_and_their_attribute_left_out() {
    let dir = hcl(r#"
function "tag" {
  params = [name]
  result = "repo/${name}"
}
group "default" { targets = ["api", "web"] }
target "api" {
  tags = [tag("api")]
  args = {
    KEEP = "kept"
    DROP = notequal("a", "b") ? "x" : "y"
  }
}
target "web" {
  context = upper("web")
}
target "unused" {
  context = lower("X")
}
"#);
    let list = bake(&dir, &[], &[]).unwrap();
    assert_eq!(names(&list), ["api"]);
    assert_eq!(build(&list, "api").args, args(&[("KEEP", "kept")]));
    let unsupported = list.unsupported.join("\n");
    assert!(unsupported.contains("docker-bake.hcl:2: function \"tag\""), "{unsupported}");
    assert!(
        unsupported.contains("docker-bake.hcl:9: notequal(...) in target \"api\" args.DROP"),
        "{unsupported}"
    );
    assert!(
        unsupported.contains("docker-bake.hcl:15: upper(...) in target \"web\" context"),
        "{unsupported}"
    );
    assert!(unsupported.contains("target \"web\" left out"), "{unsupported}");
    // Only what the builds read is reported: not `tags`, nor a target not built.
    assert!(!unsupported.contains("tag(...)") && !unsupported.contains("lower"), "{unsupported}");
}

#[test]
fn contexts_that_are_not_local_directories_and_matrices_are_unsupported() {
    let dir = hcl(r#"
group "default" { targets = ["remote", "git", "linked", "matrix", "local"] }
target "remote" { context = "https://github.com/org/repo.git#main" }
target "git" { context = "git@github.com:org/repo.git" }
target "linked" { context = "target:remote" }
target "matrix" {
  name = "app-${v}"
  matrix = { v = ["a", "b"] }
}
target "local" {}
"#);
    let list = bake(&dir, &[], &[]).unwrap();
    assert_eq!(names(&list), ["local"]);
    let unsupported = list.unsupported.join("\n");
    assert!(unsupported.contains("target \"remote\" context \"https://github.com/org/repo.git#main\" is no local directory"), "{unsupported}");
    assert!(unsupported.contains("\"git@github.com:org/repo.git\""), "{unsupported}");
    assert!(unsupported.contains("\"target:remote\""), "{unsupported}");
    assert!(
        unsupported.contains("docker-bake.hcl:8: matrix in target \"matrix\""),
        "{unsupported}"
    );
}

#[test]
fn json_files_with_variables_groups_and_an_override() {
    let dir = dir_with(&[
        (
            "docker-bake.json",
            r#"{
  "variable": { "TAG": { "default": "latest" }, "APP": { "default": "api" } },
  "group": { "default": { "targets": ["api", "web"] } },
  "target": {
    "api": {
      "context": "apps/${APP}",
      "dockerfile": "Dockerfile",
      "args": { "TAG": "${TAG}", "N": 3, "UNSET": null }
    },
    "web": { "inherits": ["api"], "target": "web" }
  }
}"#,
        ),
        ("docker-bake.override.json", r#"{ "target": { "web": { "args": { "N": "4" } } } }"#),
    ]);
    let list = bake(&dir, &[], &[("TAG", "1.0")]).unwrap();
    assert_eq!(names(&list), ["api", "web"]);
    let api = build(&list, "api");
    assert_eq!(api.context, Path::new("apps/api"));
    assert_eq!(api.dockerfile.as_deref(), Some(Path::new("apps/api/Dockerfile")));
    assert_eq!(api.args, args(&[("TAG", "1.0"), ("N", "3")]));
    let web = build(&list, "web");
    assert_eq!(
        (web.context.as_path(), web.target.as_deref()),
        (Path::new("apps/api"), Some("web"))
    );
    assert_eq!(web.args, args(&[("TAG", "1.0"), ("N", "4")]));
}

#[test]
fn an_hcl_file_and_a_json_override_merge() {
    let dir = dir_with(&[
        (
            "docker-bake.hcl",
            "variable \"TAG\" { default = \"a\" }\ntarget \"default\" {\n  args = { T = TAG }\n}\n",
        ),
        (
            "docker-bake.override.json",
            r#"{ "variable": { "TAG": { "default": "b" } }, "target": { "default": { "context": "x" } } }"#,
        ),
    ]);
    let list = bake(&dir, &[], &[]).unwrap();
    let spec = build(&list, "default");
    assert_eq!((spec.context.as_path(), &spec.args), (Path::new("x"), &args(&[("T", "b")])));
}

/// Block kinds, names and attribute values that random Bake files are made of: names
/// repeat, so that groups, `inherits` and variables refer to each other, circles included.
const KINDS: &[&str] = &["target", "group", "variable", "function"];
const NAMES: &[&str] = &["default", "a", "b", "c"];
const KEYS: &[&str] = &[
    "context",
    "dockerfile",
    "dockerfile-inline",
    "target",
    "args",
    "inherits",
    "targets",
    "default",
    "matrix",
];
const VALUES: &[&str] = &[
    "\"x\"",
    "\"${a}\"",
    "a",
    "[\"a\", \"b\"]",
    "[\"c\", \"default\"]",
    "[b]",
    "{ A = a, B = \"${b}y\" }",
    "{ C = null, D = 1 }",
    "upper(\"x\")",
    "a ? \"t\" : \"f\"",
    "[for x in [\"a\"]: x]",
    "null",
    "1 + a",
    "\"https://host/repo.git\"",
    "\"cwd://../up\"",
    "{ v = [\"1\", \"2\"] }",
    "target.a.context",
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
    #[test]
    fn any_file_gives_builds_or_an_error(
        blocks in proptest::collection::vec(
            (0..KINDS.len(), 0..NAMES.len(), proptest::collection::vec((0..KEYS.len(), 0..VALUES.len()), 0..4)),
            0..8,
        ),
    ) {
        let mut text = String::new();
        for (kind, name, attrs) in blocks {
            text.push_str(&format!("{} \"{}\" {{\n", KINDS[kind], NAMES[name]));
            for (key, value) in attrs {
                text.push_str(&format!("  {} = {}\n", KEYS[key], VALUES[value]));
            }
            text.push_str("}\n");
        }
        let dir = hcl(&text);
        let _ = bake(&dir, &[], &[("a", "1"), ("b", "true")]);
        let _ = bake(&dir, &["a", "b"], &[]);
    }
}

#[test]
fn a_top_level_attribute_sets_a_variable_in_any_file_and_the_environment_still_wins() {
    let dir = dir_with(&[
        (
            "docker-bake.hcl",
            "variable \"FOO\" { default = \"abc\" }\ntarget \"default\" {\n  args = { V = \"pre-${FOO}\" }\n}\n",
        ),
        ("docker-bake.override.hcl", "WHOAMI = \"me\"\nFOO = \"def-${WHOAMI}\"\n"),
    ]);
    assert_eq!(build(&bake(&dir, &[], &[]).unwrap(), "default").args, args(&[("V", "pre-def-me")]));
    let list = bake(&dir, &[], &[("FOO", "env"), ("WHOAMI", "not a variable")]).unwrap();
    assert_eq!(build(&list, "default").args, args(&[("V", "pre-env")]));
    // The attribute wins over the block even when the block comes later.
    let dir = dir_with(&[
        ("docker-bake.json", r#"{ "FOO": "json" }"#),
        (
            "docker-bake.hcl",
            "variable \"FOO\" { default = \"hcl\" }\ntarget \"default\" {\n  args = { V = FOO }\n}\n",
        ),
    ]);
    assert_eq!(build(&bake(&dir, &[], &[]).unwrap(), "default").args, args(&[("V", "json")]));
}
