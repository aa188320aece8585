//! Hard links: BuildKit sends a file's content with its first name and its other names as
//! links, so the totals of `scan` and `check` count it once, while `ls -l` keeps each
//! name's size (what lands in the image).

use serde_json::{Value, json};

use crate::env::TestEnv;

fn scan_json(env: &TestEnv) -> Value {
    let run = env.run(["scan", "--json"]);
    run.expect_code(0);
    serde_json::from_slice(&run.stdout).unwrap()
}

#[test]
fn a_hard_linked_file_counts_once_in_the_totals_and_the_proposal() {
    let env = TestEnv::new();
    env.sized("store/lib.js", 10_000).sized("app/main.js", 500);
    for name in ["app/lib.js", "app/debug.log"] {
        std::fs::hard_link(env.path("store/lib.js"), env.path(name)).unwrap();
    }
    env.file("Dockerfile", "FROM node:20\nCOPY app /app\n");
    let report = scan_json(&env);
    let dockerfile = "FROM node:20\nCOPY app /app\n".len() as u64;
    // Context: lib.js's content once (three names), main.js, the Dockerfile.
    assert_eq!(report["totals"]["shipped"]["bytes"], 10_000 + 500 + dockerfile);
    assert_eq!(report["totals"]["hard_linked"], 20_000);
    // Transfer: app/lib.js and app/debug.log share their content.
    assert_eq!(report["transfer"]["amount"], json!({ "files": 3, "dirs": 1, "bytes": 10_500 }));
    assert_eq!(report["transfer"]["hard_linked"], 10_000);
    // `**/*.log` takes a name, not the content: the transfer loses a file and no bytes.
    let log = report["proposal"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["pattern"] == "**/*.log")
        .unwrap();
    assert_eq!(log["removes_transfer"], json!({ "files": 1, "dirs": 0, "bytes": 0 }));
    let transfer_after = report["proposal"]["transfer_after"].clone();
    assert_eq!(transfer_after, json!({ "files": 2, "dirs": 1, "bytes": 10_500 }));
    let text = env.run(["scan"]).stdout();
    assert!(text.contains("Hard links: 20 kB not counted again"), "{text}");

    // The gate judges what is sent: 10.5 kB, not 20.5 kB.
    env.run(["check", "--max-size", "11kB"]).expect_code(0);
    env.run(["check", "--max-size", "10kB"]).expect_code(1);
    // `ls -l` keeps every name's size: that is what lands in the image.
    let listed = env.run(["ls", "-l", "--transfer"]).lines();
    assert!(listed.contains(&"f 10000 app/debug.log".to_owned()), "{listed:?}");

    env.run(["init", "--yes"]).expect_code(0);
    let again = scan_json(&env);
    assert_eq!(again["transfer"]["amount"], transfer_after);
    assert_eq!(again["totals"]["shipped"], report["proposal"]["after"]);
}
