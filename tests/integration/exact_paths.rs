//! JSON carries every name exactly: a UTF-8 name as its own string, any other as
//! `{"bytes": base64}` (docs/json.md, "Paths"). Each output is parsed, its paths decoded, and
//! compared with the bytes of the names on disk; SARIF URIs are decoded from their
//! percent-encoding.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use base64::Engine as _;
use serde_json::Value;

use crate::env::TestEnv;

/// Names a terminal escape would have changed, and one that is not UTF-8.
const NAMES: [&[u8]; 4] = [b"back\\slash.log", b"tab\tthere.log", b"new\nline.log", b"caf\xe9.log"];

fn tree() -> TestEnv {
    let env = TestEnv::new();
    for (i, name) in NAMES.iter().enumerate() {
        env.sized(OsStr::from_bytes(name), 100 + i);
    }
    env
}

/// A path in the documented form, as bytes.
fn decode(value: &Value) -> Vec<u8> {
    match value {
        Value::String(text) => text.as_bytes().to_vec(),
        Value::Object(map) => {
            assert_eq!(map.len(), 1, "{value}");
            let encoded = map["bytes"].as_str().expect("bytes is a string");
            let bytes = base64::engine::general_purpose::STANDARD.decode(encoded).unwrap();
            assert!(std::str::from_utf8(&bytes).is_err(), "a UTF-8 name is a string: {value}");
            bytes
        }
        other => panic!("not a path: {other}"),
    }
}

fn expected() -> BTreeSet<Vec<u8>> {
    NAMES.iter().map(|name| name.to_vec()).collect()
}

fn json(env: &TestEnv, args: &[&str]) -> Value {
    let run = env.run(args);
    serde_json::from_slice(&run.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {run:?}"))
}

#[test]
fn scan_json_names_every_file_exactly() {
    let env = tree();
    let report = json(&env, &["scan", "--json", "--top", "100", "."]);
    let largest: BTreeSet<Vec<u8>> =
        report["largest_files"].as_array().unwrap().iter().map(|f| decode(&f["path"])).collect();
    assert_eq!(largest, expected());
    let logs = report["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == "logs")
        .expect("a logs category");
    let examples: BTreeSet<Vec<u8>> =
        logs["examples"].as_array().unwrap().iter().map(decode).collect();
    assert_eq!(examples, expected());
}

#[test]
fn why_json_answers_with_the_exact_name() {
    let env = tree();
    let mut args: Vec<&OsStr> = vec![OsStr::new("why"), OsStr::new("--json")];
    args.extend(NAMES.iter().map(|name| OsStr::from_bytes(name)));
    let run = env.run(&args);
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    let paths: Vec<Vec<u8>> =
        report["paths"].as_array().unwrap().iter().map(|p| decode(&p["path"])).collect();
    assert_eq!(paths, NAMES.map(<[u8]>::to_vec));
    assert!(report["paths"].as_array().unwrap().iter().all(|p| p["status"] == "shipped"));
}

#[test]
fn check_json_names_each_denied_file_exactly() {
    let env = tree();
    let verdict = json(&env, &["check", "--deny", "logs", "--format", "json", "."]);
    let paths: BTreeSet<Vec<u8>> =
        verdict["violations"].as_array().unwrap().iter().map(|v| decode(&v["path"])).collect();
    assert_eq!(paths, expected());
}

/// Percent-decoding, as a SARIF consumer reads an `artifactLocation.uri`.
fn percent_decoded(uri: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut rest = uri.as_bytes();
    while let [first, tail @ ..] = rest {
        if *first == b'%' {
            let hex = std::str::from_utf8(&tail[..2]).unwrap();
            bytes.push(u8::from_str_radix(hex, 16).unwrap());
            rest = &tail[2..];
        } else {
            bytes.push(*first);
            rest = tail;
        }
    }
    bytes
}

#[test]
fn sarif_uris_carry_the_raw_bytes() {
    let env = tree();
    let log = json(&env, &["check", "--deny", "logs", "--format", "sarif", "."]);
    let uris: BTreeSet<Vec<u8>> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str();
            let uri = uri.expect("a URI");
            assert!(uri.is_ascii(), "{uri}");
            percent_decoded(uri)
        })
        .collect();
    assert_eq!(uris, expected());
}

/// Text output still escapes what a terminal must not see, as before.
#[test]
fn text_output_still_escapes_names() {
    let env = tree();
    let shown = ["back\\\\slash.log", "tab\\tthere.log", "new\\nline.log", "caf\\xe9.log"];
    let check = env.run(["check", "--deny", "logs", "."]).stdout();
    let scan = env.run(["scan", "--top", "100", "."]).stdout();
    let mut why = vec![OsStr::new("why")];
    why.extend(NAMES.iter().map(|name| OsStr::from_bytes(name)));
    let why = env.run(&why).stdout();
    for name in shown {
        assert!(check.contains(&format!("{name}: ")), "{name} in\n{check}");
        assert!(scan.contains(&format!("  {name}\n")), "{name} in\n{scan}");
        assert!(why.contains(&format!("{name}: shipped\n")), "{name} in\n{why}");
    }
}
