//! `ctxsize lint` through the binary.

use serde_json::Value;

use crate::env::TestEnv;

#[test]
fn findings_name_file_line_and_fix_and_fail_the_exit_status() {
    let env = TestEnv::new();
    env.file(".dockerignore", "*.log # logs\nnode_modules/\n");
    let run = env.run(["lint"]);
    run.expect_code(1);
    let text = run.stdout();
    assert!(text.contains(".dockerignore:1: warning[inline-comment]:"), "{text}");
    assert!(text.contains(".dockerignore:2: info[trailing-slash]:"), "{text}");
    assert!(text.contains("  fix: "), "{text}");
}

#[test]
fn info_only_passes_and_a_clean_file_is_silent() {
    let env = TestEnv::new();
    env.file(".dockerignore", "node_modules/\n");
    env.run(["lint"]).expect_code(0);
    env.file(".dockerignore", "**/node_modules\n*.log\n")
        .sized("a/node_modules/x", 1)
        .sized("b.log", 1);
    let run = env.run(["lint"]);
    run.expect_code(0);
    assert!(run.stdout.is_empty(), "{}", run.stdout());
}

#[test]
fn a_rejected_line_is_an_error_finding() {
    let env = TestEnv::new();
    env.file("api.Dockerfile.dockerignore", "ok\n!\n").file("api.Dockerfile", "FROM scratch\n");
    let run = env.run(["lint", "-f", "api.Dockerfile", "--json"]);
    run.expect_code(1);
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(report["schema_version"], 2);
    assert_eq!(report["ignore_file"], "api.Dockerfile.dockerignore");
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["name"], "rejected");
    assert_eq!(findings[0]["severity"], "error");
    assert_eq!(findings[0]["line"], 2);
}

#[test]
fn tree_findings_need_the_context() {
    let env = TestEnv::new();
    env.sized("packages/legacy/x.js", 1)
        .sized("packages/new/z.js", 2)
        .sized("sub/node_modules/x/i.js", 3)
        .sized("node_modules/a.js", 4)
        .file("Dockerfile", "FROM scratch\nCOPY node_modules/a.js /\n")
        .file(
            ".dockerignore",
            "packages/legacy\n!packages/*/**\nnode_modules\nnothing-here\nnode_modules/a.js\n",
        );
    let run = env.run(["lint", "--json"]);
    run.expect_code(1);
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    let found: Vec<(u64, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["line"].as_u64().unwrap(), f["name"].as_str().unwrap().to_owned()))
        .collect();
    let expect = [
        (2, "ineffective-exception"),
        (3, "bare-name"),
        (3, "excludes-needed"),
        (4, "unused"),
        (5, "redundant"),
    ];
    for (line, name) in expect {
        assert!(found.contains(&(line, name.to_owned())), "{line} {name} missing: {found:?}");
    }
    assert_eq!(found.len(), expect.len(), "{found:?}");
    let text = env.run(["lint"]).stdout();
    assert!(text.contains("BuildKit does not enter `packages/legacy`"), "{text}");
    assert!(text.contains("still ships, e.g. `sub/node_modules`"), "{text}");
}

#[test]
fn scan_and_check_report_the_same_findings() {
    let env = TestEnv::new();
    env.sized("sub/node_modules/x/i.js", 3).file(".dockerignore", "node_modules\n");
    let scan = env.run(["scan", "--json"]);
    scan.expect_code(0);
    let report: Value = serde_json::from_slice(&scan.stdout).unwrap();
    assert_eq!(report["lint"][0]["name"], "bare-name");
    assert!(env.run(["scan"]).stdout().contains("[bare-name]"));
    env.run(["check", "--deny", "lint"]).expect_code(1);
}

/// One-segment globs are anchored at the root like bare names: `.*` meant as every dotfile
/// leaves deeper ones shipping. Warned with the count and a secret first; a pattern whose
/// deeper matches look like source (tracked by git) is information, and the `**/` rewrite
/// is not recommended.
#[test]
fn root_only_globs_are_caught_and_source_is_not_advised_away() {
    let env = TestEnv::new();
    env.sized("saleor/.DS_Store", 4)
        .file("saleor/graphql/.env", "TOKEN=1\n")
        .sized("server/app.log", 9)
        .sized("lang/vendor/webauthn/en/errors.php", 20)
        .sized(".hidden", 1)
        .sized("top.log", 1)
        .sized("x.tmp", 1)
        .file(".dockerignore", ".*\n*.log\nvendor\n*.tmp\n");
    env.git(&["init", "-q"]);
    env.git(&["add", "lang"]);
    env.git(&["commit", "-qm", "translations"]);
    let run = env.run(["lint", "--json"]);
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    let find = |line: u64| -> Vec<Value> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["line"] == line && f["name"] == "bare-name")
            .cloned()
            .collect()
    };
    let dotfiles = &find(1)[0];
    assert_eq!(dotfiles["severity"], "warning");
    let message = dotfiles["message"].as_str().unwrap();
    assert!(message.contains("2 entries below the root"), "{message}");
    assert!(message.contains("`saleor/graphql/.env` (a secret)"), "a secret first: {message}");
    assert_eq!(dotfiles["fix"], "write `**/.*` to match at any depth");
    assert_eq!(find(2)[0]["severity"], "warning", "server/app.log");
    let vendor = &find(3)[0];
    assert_eq!(vendor["severity"], "info", "{vendor}");
    assert!(!vendor["fix"].as_str().unwrap().contains("**/"), "{vendor}");
    assert!(find(4).is_empty(), "`*.tmp` matches nothing deeper");
}

/// `*/bin` matches `X/bin` at the top only: with `src/Web/bin` shipping two levels down it is
/// not "unused, remove it" but a rule that misses its mark, named with the deeper match.
#[test]
fn an_anchored_rule_that_matches_only_deeper_is_named_with_the_deeper_match() {
    let env = TestEnv::new();
    env.sized("src/Web/bin/Debug/app.dll", 50)
        .sized("src/Web/Program.cs", 10)
        .sized("unrelated.txt", 1)
        .file(".dockerignore", "*/bin\nnothing/here\n");
    let run = env.run(["lint", "--json"]);
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    let bin = findings.iter().find(|f| f["line"] == 1).expect("a finding on `*/bin`");
    assert_eq!(bin["name"], "unused");
    let message = bin["message"].as_str().unwrap();
    assert!(message.contains("matches nothing at its depth"), "{message}");
    assert!(message.contains("`src/Web/bin`"), "{message}");
    assert_eq!(bin["fix"], "write `**/*/bin` to match at any depth");
    // A rule that matches nothing anywhere is still plainly unused.
    let nothing = findings.iter().find(|f| f["line"] == 2).unwrap();
    assert!(nothing["message"].as_str().unwrap().contains("matches nothing in this context"));
}

/// An exception written the root-only way (`!.env.example`) leaves deeper ones excluded by a
/// `**/` rule: said where it matters, with the `!**/` fix.
#[test]
fn a_root_only_exception_that_leaves_deeper_matches_excluded_is_caught() {
    let env = TestEnv::new();
    env.sized(".env.example", 1)
        .sized("server/.env.example", 2)
        .sized("server/.env", 3)
        .file(".dockerignore", "**/.env*\n!.env.example\n");
    let run = env.run(["lint", "--json"]);
    run.expect_code(1);
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["line"] == 2 && f["name"] == "bare-name")
        .expect("a finding on `!.env.example`")
        .clone();
    assert!(finding["message"].as_str().unwrap().contains("`server/.env.example`"), "{finding}");
    assert_eq!(finding["fix"], "write `!**/.env.example` to re-include at any depth");

    // Nothing deeper is excluded: nothing to say.
    env.file(".dockerignore", ".env*\n!.env.example\n");
    let run = env.run(["lint", "--json"]);
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert!(
        !report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["line"] == 2 && f["name"] == "bare-name"),
        "{report}"
    );
}
