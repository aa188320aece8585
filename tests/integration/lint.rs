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
    env.file(".dockerignore", "**/node_modules\n*.log\n");
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
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["ignore_file"], "api.Dockerfile.dockerignore");
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["name"], "rejected");
    assert_eq!(findings[0]["severity"], "error");
    assert_eq!(findings[0]["line"], 2);
}
