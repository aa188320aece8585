//! The verdict for people (text), machines (JSON), GitHub code scanning (SARIF 2.1.0) and
//! GitHub Actions (workflow commands).

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Value, json};

use crate::check::compare::{Comparison, Status};
use crate::check::config::{DenyItem, Format};
use crate::check::{
    Allowed, AllowedUnlisted, Verdict, View, Violation, ViolationKind, sizes_apart,
};
use crate::escape::escape_path;
use crate::numbers::{count, files, size};
use crate::raw_path::RawPath;
use crate::scan::tally::Amount;

/// Version of the `check --format json` output.
/// 2: `shipped` is the judged amount (the transfer by default), beside `view`.
/// 3: paths are exact (a string, or `{"bytes": base64}` for a name that is not UTF-8),
/// where 2 escaped them for a terminal.
pub const SCHEMA_VERSION: u32 = 3;

/// The SARIF schema `--format sarif` follows.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The title of GitHub annotations.
const TITLE: &str = "ctxsize check";

/// Writes the verdict in a format.
pub fn render(format: Format, verdict: &Verdict, out: &mut impl Write) -> io::Result<()> {
    match format {
        Format::Text => text(verdict, out),
        Format::Json => json(verdict, out),
        Format::Sarif => sarif(verdict, out),
        Format::Github => github(verdict, out),
    }
}

/// One line per violation (`path[:line]: message (size)`), then one per warning, prefixed
/// `warning: `, then one per allowed file (`allowed: PATH (category)`), then what was judged
/// (`judged: …`), then [`summary`].
pub fn text(verdict: &Verdict, out: &mut impl Write) -> io::Result<()> {
    for violation in &verdict.violations {
        writeln!(out, "{}{}", location(violation), with_size(violation))?;
        if violation.kind == ViolationKind::MaxGrowth
            && let Some(comparison) = &verdict.baseline
        {
            for grown in &comparison.grew_most {
                writeln!(out, "  {}", grown.line())?;
            }
        }
    }
    for warning in &verdict.warnings {
        writeln!(out, "warning: {}{}", location(warning), with_size(warning))?;
    }
    allowed_lines(verdict, out)?;
    if let Some(comparison) = &verdict.baseline {
        for line in comparison_lines(comparison) {
            writeln!(out, "baseline: {line}")?;
        }
    }
    writeln!(out, "judged: {}", verdict.view_reason)?;
    writeln!(out, "{}", summary(verdict))
}

/// What a comparison with the baseline says beside a violation: whether the judged amount
/// grew (within the allowance, or unjudged), shrank (`--write-baseline` would record it) or
/// stayed, where it grew, new categories, and a changed ignore file. A growth over the
/// allowance is a violation and says itself.
fn comparison_lines(comparison: &Comparison) -> Vec<String> {
    let file = shown(&comparison.file);
    let subject = comparison.view.subject();
    let by = || format!("{} ({})", size(comparison.growth.unsigned_abs()), comparison.change);
    let mut lines = Vec::new();
    match comparison.status {
        Status::NotRecorded => lines.push(format!(
            "{file} has no record of {subject} for this build: `ctxsize check --write-baseline` \
             records it"
        )),
        Status::Unchanged => lines.push(format!("{subject} is unchanged since {file}")),
        Status::Shrank => lines.push(format!(
            "{subject} shrank by {} since {file}: `ctxsize check --write-baseline` records the \
             smaller size",
            by()
        )),
        Status::Grew if comparison.over => {}
        Status::Grew => {
            let judged = match (comparison.allowance, &comparison.max_growth) {
                (Some(allowed), Some(limit)) => {
                    format!("within the allowed {} ({limit})", size(allowed))
                }
                _ => "not judged without --max-growth".to_owned(),
            };
            lines.push(format!("{subject} grew by {} since {file}, {judged}", by()));
            lines.extend(comparison.grew_most.iter().map(|grown| format!("  {}", grown.line())));
        }
    }
    let new: Vec<String> = comparison
        .categories
        .iter()
        .filter(|change| change.new)
        .map(|change| {
            let denied = if change.denied { ", denied" } else { "" };
            format!("{} (+{}{denied})", change.category.label(), size(change.after))
        })
        .collect();
    if !new.is_empty() {
        lines.push(format!("new since the baseline: {}", new.join(", ")));
    }
    if comparison.ignore_file_changed {
        lines.push("the ignore file changed since the baseline was recorded".to_owned());
    }
    lines
}

/// A violation's message with its size, and for a growth over the allowance where the
/// growth is: the whole story on one line, for formats without room for more.
fn one_line(verdict: &Verdict, violation: &Violation) -> String {
    let mut message = with_size(violation);
    if violation.kind == ViolationKind::MaxGrowth
        && let Some(most) = verdict.baseline.as_ref().and_then(Comparison::grew_most_sentence)
    {
        message.push_str("; grew most: ");
        message.push_str(&most);
    }
    message
}

/// `allowed: PATH (category)` per allowed file, then `allowed: N more (category)` per
/// category with more than are listed.
fn allowed_lines(verdict: &Verdict, out: &mut impl Write) -> io::Result<()> {
    for allowed in &verdict.allowed {
        writeln!(out, "allowed: {} ({})", shown(&allowed.path), allowed.category)?;
    }
    for rest in &verdict.allowed_unlisted {
        writeln!(out, "allowed: {} more ({})", count(rest.files), rest.category)?;
    }
    Ok(())
}

/// `ctxsize check: FAILED — 2 violations (context 312 MB, limit 200 MB)`, or
/// `ctxsize check: passed (transfer 56 MB)`; the first word names the view judged, warnings
/// are counted, the file count shows with a file limit.
pub fn summary(verdict: &Verdict) -> String {
    let word = verdict.view.word();
    let mut facts = match verdict.max_size {
        Some(limit) => {
            let (judged, limit) = sizes_apart(verdict.shipped.bytes, limit);
            format!("{word} {judged}, limit {limit}")
        }
        None => format!("{word} {}", size(verdict.shipped.bytes)),
    };
    if let Some(limit) = verdict.max_files {
        facts.push_str(&format!("; {}, limit {}", files(verdict.shipped.files), count(limit)));
    }
    if let Some(comparison) = &verdict.baseline
        && comparison.status != Status::NotRecorded
    {
        facts.push_str(&format!("; {} since the baseline", comparison.change));
    }
    let mut warnings = match verdict.warnings.len() {
        0 => String::new(),
        1 => ", 1 warning".to_owned(),
        n => format!(", {n} warnings"),
    };
    let allowed = verdict.allowed.len() as u64
        + verdict.allowed_unlisted.iter().map(|rest| rest.files).sum::<u64>();
    if allowed > 0 {
        warnings.push_str(&format!(", {} allowed", count(allowed)));
    }
    if verdict.passed() {
        format!("ctxsize check: passed{warnings} ({facts})")
    } else {
        let n = verdict.violations.len();
        let noun = if n == 1 { "violation" } else { "violations" };
        format!("ctxsize check: FAILED — {n} {noun}{warnings} ({facts})")
    }
}

/// `path:line: ` or `path: `, or nothing for the whole context.
fn location(violation: &Violation) -> String {
    match (&violation.path, violation.line) {
        (Some(path), Some(line)) => format!("{}:{line}: ", shown(path)),
        (Some(path), None) => format!("{}: ", shown(path)),
        (None, _) => String::new(),
    }
}

/// A path as text output shows it: escaped, so that a name cannot carry control sequences.
fn shown(path: &RawPath) -> String {
    escape_path(path.as_bytes())
}

/// The message, with the size when there is one.
fn with_size(violation: &Violation) -> String {
    match violation.bytes {
        Some(bytes) => format!("{} ({})", violation.message, size(bytes)),
        None => violation.message.clone(),
    }
}

#[derive(Serialize)]
struct JsonVerdict<'a> {
    schema_version: u32,
    passed: bool,
    view: View,
    view_reason: &'a str,
    shipped: Amount,
    limits: Limits,
    violations: &'a [Violation],
    warnings: &'a [Violation],
    allowed: &'a [Allowed],
    allowed_unlisted: &'a [AllowedUnlisted],
    baseline: Option<&'a Comparison>,
}

#[derive(Serialize)]
struct Limits {
    max_size: Option<u64>,
    max_files: Option<u64>,
}

/// `{ "schema_version": 2, "passed", "view", "view_reason", "shipped", "limits",
/// "violations", "warnings", "allowed", "allowed_unlisted" }`; `shipped` is the judged
/// amount (see `view`).
pub fn json(verdict: &Verdict, out: &mut impl Write) -> io::Result<()> {
    let shown = JsonVerdict {
        schema_version: SCHEMA_VERSION,
        passed: verdict.passed(),
        view: verdict.view,
        view_reason: &verdict.view_reason,
        shipped: verdict.shipped,
        limits: Limits { max_size: verdict.max_size, max_files: verdict.max_files },
        violations: &verdict.violations,
        warnings: &verdict.warnings,
        allowed: &verdict.allowed,
        allowed_unlisted: &verdict.allowed_unlisted,
        baseline: verdict.baseline.as_ref(),
    };
    super::printer::write_json(out, &shown)
}

/// SARIF 2.1.0 as GitHub code scanning takes it: one run, a rule per kind found, a result
/// per violation (`error`) and warning (`warning`), each with a file and a line. Findings
/// about the whole context point at the ignore file (or `.dockerignore`), line 1. Allowed
/// files are no findings: they are only named in the run's property bag (`allowed`).
pub fn sarif(verdict: &Verdict, out: &mut impl Write) -> io::Result<()> {
    super::printer::write_json(out, &sarif_log(verdict))
}

/// The SARIF log as a JSON value.
pub fn sarif_log(verdict: &Verdict) -> Value {
    let found = verdict
        .violations
        .iter()
        .map(|v| (v, "error"))
        .chain(verdict.warnings.iter().map(|w| (w, "warning")));
    let mut kinds: Vec<(ViolationKind, &'static str)> = Vec::new();
    let mut results = Vec::new();
    let fallback = verdict.fallback_file();
    for (violation, level) in found {
        let index = match kinds.iter().position(|(kind, _)| *kind == violation.kind) {
            Some(index) => index,
            None => {
                kinds.push((violation.kind, level));
                kinds.len() - 1
            }
        };
        let (file, line) = match &violation.path {
            Some(path) => (path.as_bytes(), violation.line.unwrap_or(1).max(1)),
            None => (fallback.as_bytes(), 1),
        };
        results.push(json!({
            "ruleId": violation.kind,
            "ruleIndex": index,
            "level": level,
            "message": { "text": one_line(verdict, violation) },
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": { "uri": artifact_uri(file) },
                    "region": { "startLine": line },
                },
            }],
        }));
    }
    let rules: Vec<Value> = kinds
        .iter()
        .map(|&(kind, level)| {
            json!({
                "id": kind,
                "shortDescription": { "text": rule_description(kind.name()) },
                "defaultConfiguration": { "level": level },
            })
        })
        .collect();
    let mut driver = json!({
        "name": "ctxsize",
        "version": env!("CARGO_PKG_VERSION"),
        "rules": rules,
    });
    if let Some(uri) = information_uri() {
        driver["informationUri"] = json!(uri);
    }
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "results": results,
            "properties": {
                "view": verdict.view,
                "viewReason": verdict.view_reason,
                "allowed": verdict.allowed,
                "allowedUnlisted": verdict.allowed_unlisted,
                "baseline": verdict.baseline,
            },
        }],
    })
}

/// The package's repository or home page, if Cargo.toml names one.
fn information_uri() -> Option<&'static str> {
    [env!("CARGO_PKG_REPOSITORY"), env!("CARGO_PKG_HOMEPAGE")]
        .into_iter()
        .find(|uri| uri.starts_with("https://"))
}

/// What a kind of violation means, for the SARIF rule.
fn rule_description(kind: &str) -> String {
    match kind {
        "max-size" => {
            return "What is judged (the transfer, or the whole context) is over the size \
                    limit (max-size)"
                .to_owned();
        }
        "source-unavailable" => {
            return "A COPY, ADD or RUN --mount source names nothing the build receives: \
                    docker build fails"
                .to_owned();
        }
        "unreadable-file" => {
            return "A file that ships cannot be read: BuildKit sends it empty and the build \
                    goes on"
                .to_owned();
        }
        "max-growth" => {
            return "What is judged grew since the recorded baseline by more than the allowance \
                    (max-growth)"
                .to_owned();
        }
        "max-files" => {
            return "What is judged (the transfer, or the whole context) has more files than \
                    the limit (max-files)"
                .to_owned();
        }
        _ => {}
    }
    let Some((mode, name)) = kind.split_once(':') else { return kind.to_owned() };
    let Ok(item) = DenyItem::from_name(name) else { return kind.to_owned() };
    let how = if mode == "deny" { "denied" } else { "warned" };
    if item == DenyItem::Lint {
        return format!("The ignore file has a lint finding ({how}: lint)");
    }
    let many = item.many();
    let mut capitalized = many[..1].to_ascii_uppercase();
    capitalized.push_str(&many[1..]);
    format!("{capitalized} in what docker build sends or in the build context ({how}: {name})")
}

/// A path as a SARIF URI, from its raw bytes: relative paths stay relative (GitHub
/// resolves them against the checkout), `/`-rooted ones become `file://` URIs; bytes
/// outside RFC 3986's unreserved set (and `/`) are percent-encoded, so a name that is not
/// UTF-8 keeps its exact bytes.
pub fn artifact_uri(path: &[u8]) -> String {
    let mut path = path;
    while let Some(rest) = path.strip_prefix(b"./") {
        path = rest;
    }
    let mut uri = if path.starts_with(b"/") { "file://".to_owned() } else { String::new() };
    for &byte in path {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

/// GitHub Actions workflow commands: `::error file=PATH,line=N,title=ctxsize check::MESSAGE`
/// per violation and `::warning …` per warning (no `file` for the whole context), then the
/// allowed files as plain log lines (as in [`text`]; no annotation), then [`summary`].
pub fn github(verdict: &Verdict, out: &mut impl Write) -> io::Result<()> {
    let found = verdict
        .violations
        .iter()
        .map(|v| (v, "error"))
        .chain(verdict.warnings.iter().map(|w| (w, "warning")));
    for (violation, command) in found {
        let mut properties = Vec::new();
        if let Some(path) = &violation.path {
            let path = shown(path);
            let mut path = path.as_str();
            while let Some(rest) = path.strip_prefix("./") {
                path = rest;
            }
            properties.push(format!("file={}", escape_property(path)));
            if let Some(line) = violation.line {
                properties.push(format!("line={line}"));
            }
        }
        properties.push(format!("title={}", escape_property(TITLE)));
        writeln!(
            out,
            "::{command} {}::{}",
            properties.join(","),
            escape_data(&one_line(verdict, violation))
        )?;
    }
    allowed_lines(verdict, out)?;
    if let Some(comparison) = &verdict.baseline {
        github_comparison(comparison, out)?;
    }
    writeln!(out, "judged: {}", verdict.view_reason)?;
    writeln!(out, "{}", summary(verdict))
}

/// The comparison's lines as log lines; a shrink is also a notice, so that the pull request
/// shows that the baseline can be recorded again.
fn github_comparison(comparison: &Comparison, out: &mut impl Write) -> io::Result<()> {
    for line in comparison_lines(comparison) {
        writeln!(out, "baseline: {line}")?;
    }
    if comparison.status == Status::Shrank {
        let Some(line) = comparison_lines(comparison).into_iter().next() else { return Ok(()) };
        let title = escape_property(TITLE);
        writeln!(out, "::notice title={title}::{}", escape_data(&line))?;
    }
    Ok(())
}

/// A workflow command's message, escaped as GitHub's toolkit does.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A workflow command's property value, escaped as GitHub's toolkit does.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::tests::{finding, report, settings};
    use crate::check::{CheckSettings, DenyItem, Severity, evaluate};
    use crate::scan::categories::Category;

    /// Over the size limit, a secret (two more unlisted), a lint finding, a VCS warning.
    fn failing() -> Verdict {
        let report = report(
            312_000_000,
            1_200,
            &[
                (Category::Secrets, 3, 3_000, &[".env", "certs/key,1.pem"]),
                (Category::Vcs, 40, 2_500_000, &[".git/index"]),
            ],
        );
        let settings = CheckSettings {
            max_size: Some(200_000_000),
            ..settings(&[DenyItem::Secrets, DenyItem::Lint], &[DenyItem::Vcs])
        };
        let mut lint = finding(2, Severity::Warning);
        lint.message = "100% wrong:\nsee here".to_owned();
        evaluate(&report, &[lint], &settings)
    }

    fn passing() -> Verdict {
        let report = report(1_500, 4, &[(Category::Dependencies, 1, 500, &["node_modules/x.js"])]);
        let settings = CheckSettings {
            max_size: Some(200_000_000),
            max_files: Some(10),
            ..settings(&[DenyItem::Secrets], &[DenyItem::Deps])
        };
        evaluate(&report, &[], &settings)
    }

    fn rendered(format: Format, verdict: &Verdict) -> String {
        let mut out = Vec::new();
        render(format, verdict, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn text_lists_violations_then_warnings_then_the_summary() {
        assert_eq!(
            rendered(Format::Text, &failing()),
            "the build context is over the size limit of 200 MB (312 MB)\n\
             .env: secret ships in the build context (denied: secrets)\n\
             certs/key,1.pem: secret ships in the build context (denied: secrets)\n\
             and 1 more secret ships in the build context (denied: secrets; 3 files, 3 kB in all)\n\
             .dockerignore:2: 100% wrong:\nsee here (inline-comment)\n\
             warning: 40 VCS files ship in the build context, e.g. .git/index (warn: vcs) (2.50 MB)\n\
             judged: the whole context: no Dockerfile was read\n\
             ctxsize check: FAILED — 5 violations, 1 warning (context 312 MB, limit 200 MB)\n"
        );
    }

    #[test]
    fn text_summary_when_passing() {
        assert_eq!(
            rendered(Format::Text, &passing()),
            "warning: 1 dependency file ships in the build context, e.g. node_modules/x.js \
             (warn: deps) (500 B)\n\
             judged: the whole context: no Dockerfile was read\n\
             ctxsize check: passed, 1 warning (context 1.50 kB, limit 200 MB; 4 files, limit 10)\n"
        );
        let quiet = evaluate(&report(0, 0, &[]), &[], &settings(&[], &[]));
        assert_eq!(
            rendered(Format::Text, &quiet),
            "judged: the whole context: no Dockerfile was read\nctxsize check: passed (context 0 B)\n"
        );
    }

    #[test]
    fn summary_tells_a_size_from_a_limit_that_looks_the_same() {
        let settings = CheckSettings { max_size: Some(311_999_999), ..settings(&[], &[]) };
        let verdict = evaluate(&report(312_000_000, 1, &[]), &[], &settings);
        assert_eq!(
            summary(&verdict),
            "ctxsize check: FAILED — 1 violation \
             (context 312,000,000 bytes, limit 311,999,999 bytes)"
        );
    }

    #[test]
    fn summary_counts_one_violation_in_the_singular() {
        let report = report(10, 1, &[(Category::Logs, 1, 10, &["a.log"])]);
        let verdict = evaluate(&report, &[], &settings(&[DenyItem::Logs], &[]));
        assert_eq!(summary(&verdict), "ctxsize check: FAILED — 1 violation (context 10 B)");
    }

    #[test]
    fn json_has_the_documented_shape() {
        let value: Value = serde_json::from_str(&rendered(Format::Json, &failing())).unwrap();
        assert_eq!(value["schema_version"], 3);
        assert_eq!(value["passed"], false);
        assert_eq!(value["shipped"], json!({ "files": 1200, "dirs": 3, "bytes": 312_000_000 }));
        assert_eq!(value["limits"], json!({ "max_size": 200_000_000, "max_files": null }));
        let violations = value["violations"].as_array().unwrap();
        assert_eq!(violations.len(), 5);
        assert_eq!(
            violations[0],
            json!({
                "kind": "max-size",
                "message": "the build context is over the size limit of 200 MB",
                "path": null,
                "line": null,
                "bytes": 312_000_000,
            })
        );
        assert_eq!(violations[1]["path"], ".env");
        assert_eq!(violations[4]["kind"], "deny:lint");
        assert_eq!(violations[4]["line"], 2);
        assert_eq!(value["warnings"][0]["kind"], "warn:vcs");
        assert_eq!(value["warnings"][0]["bytes"], 2_500_000);

        let value: Value = serde_json::from_str(&rendered(Format::Json, &passing())).unwrap();
        assert_eq!(value["passed"], true);
        assert_eq!(value["violations"], json!([]));
    }

    /// What GitHub code scanning requires of an upload, checked by hand (no schema at hand):
    /// the version, a driver name, and for every result a message, a rule the driver
    /// declares, a level, and a location with a URI and a line of at least 1.
    fn assert_github_accepts(log: &Value) {
        assert_eq!(log["version"], "2.1.0");
        assert_eq!(log["$schema"], SARIF_SCHEMA);
        let runs = log["runs"].as_array().expect("runs is an array");
        assert_eq!(runs.len(), 1);
        let driver = &runs[0]["tool"]["driver"];
        assert_eq!(driver["name"], "ctxsize");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        if let Some(uri) = driver.get("informationUri") {
            assert!(uri.as_str().unwrap().starts_with("https://"));
        }
        let rules = driver["rules"].as_array().expect("rules is an array");
        let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().expect("rule id")).collect();
        for rule in rules {
            assert!(!rule["shortDescription"]["text"].as_str().unwrap().is_empty());
        }
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "rule ids are unique: {ids:?}");
        for result in runs[0]["results"].as_array().expect("results is an array") {
            let rule = result["ruleId"].as_str().expect("ruleId");
            let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
            assert_eq!(ids.get(index), Some(&rule), "ruleIndex points at ruleId");
            assert!(matches!(result["level"].as_str(), Some("error" | "warning")));
            assert!(!result["message"]["text"].as_str().expect("message.text").is_empty());
            let locations = result["locations"].as_array().expect("locations");
            assert!(!locations.is_empty(), "GitHub needs a location: {result}");
            for location in locations {
                let physical = &location["physicalLocation"];
                let uri = physical["artifactLocation"]["uri"].as_str().expect("uri");
                assert!(!uri.is_empty() && !uri.starts_with("./"), "{uri}");
                assert!(!uri.contains(['\\', ' ', ',', '#', '?']), "{uri}");
                assert!(physical["region"]["startLine"].as_u64().expect("startLine") >= 1);
            }
        }
    }

    #[test]
    fn sarif_is_what_github_code_scanning_accepts() {
        let verdict = failing();
        let log: Value = serde_json::from_str(&rendered(Format::Sarif, &verdict)).unwrap();
        assert_github_accepts(&log);
        let run = &log["runs"][0];
        let ids: Vec<&str> = run["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["max-size", "deny:secrets", "deny:lint", "warn:vcs"]);
        assert_eq!(
            run["tool"]["driver"]["rules"][1]["shortDescription"]["text"],
            "Secrets in what docker build sends or in the build context (denied: secrets)"
        );
        assert_eq!(run["properties"]["view"], "context");
        assert_eq!(run["tool"]["driver"]["rules"][3]["defaultConfiguration"]["level"], "warning");
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 6);
        let at = |i: usize| {
            let physical = &results[i]["locations"][0]["physicalLocation"];
            (
                results[i]["level"].as_str().unwrap(),
                physical["artifactLocation"]["uri"].as_str().unwrap(),
                physical["region"]["startLine"].as_u64().unwrap(),
            )
        };
        // The size limit has no file of its own: the ignore file, line 1.
        assert_eq!(at(0), ("error", ".dockerignore", 1));
        assert_eq!(at(1), ("error", ".env", 1));
        assert_eq!(at(2), ("error", "certs/key%2C1.pem", 1));
        assert_eq!(at(3), ("error", ".dockerignore", 1));
        assert_eq!(at(4), ("error", ".dockerignore", 2));
        assert_eq!(at(5), ("warning", ".dockerignore", 1));
        assert_eq!(
            results[0]["message"]["text"],
            "the build context is over the size limit of 200 MB (312 MB)"
        );
    }

    #[test]
    fn sarif_without_findings_is_still_valid() {
        let log = sarif_log(&evaluate(&report(0, 0, &[]), &[], &settings(&[], &[])));
        assert_github_accepts(&log);
        assert_eq!(log["runs"][0]["results"], json!([]));
        assert_eq!(log["runs"][0]["tool"]["driver"]["rules"], json!([]));
    }

    /// A Rails key allowed, a vendored file allowed among a warned category.
    fn with_allowed() -> Verdict {
        let mut report = report(
            1_500,
            4,
            &[(Category::Secrets, 1, 32, &[]), (Category::Dependencies, 4, 500, &["vendor/x.js"])],
        );
        let allowed = |paths: &[&str], files, bytes| crate::scan::report::AllowedAmount {
            files,
            bytes,
            examples: paths.iter().map(|&p| p.into()).collect(),
        };
        report.categories[Category::Secrets.index()].allowed =
            allowed(&["config/master.key"], 1, 32);
        report.categories[Category::Dependencies.index()].allowed =
            allowed(&["vendor/y.js"], 3, 300);
        evaluate(&report, &[], &settings(&[DenyItem::Secrets], &[DenyItem::Deps]))
    }

    #[test]
    fn allowed_files_are_listed_in_every_format() {
        let verdict = with_allowed();
        assert_eq!(
            rendered(Format::Text, &verdict),
            "warning: 1 dependency file ships in the build context, e.g. vendor/x.js \
             (warn: deps) (200 B)\n\
             allowed: config/master.key (secrets)\n\
             allowed: vendor/y.js (deps)\n\
             allowed: 2 more (deps)\n\
             judged: the whole context: no Dockerfile was read\n\
             ctxsize check: passed, 1 warning, 4 allowed (context 1.50 kB)\n"
        );
        let value: Value = serde_json::from_str(&rendered(Format::Json, &verdict)).unwrap();
        assert_eq!(
            value["allowed"],
            json!([
                { "path": "config/master.key", "category": "secrets" },
                { "path": "vendor/y.js", "category": "deps" },
            ])
        );
        assert_eq!(value["allowed_unlisted"], json!([{ "category": "deps", "files": 2 }]));
        // SARIF: no result for an allowed file, only the run's properties.
        let log = sarif_log(&verdict);
        assert_github_accepts(&log);
        let results = log["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), 1, "the warning only");
        assert_eq!(log["runs"][0]["properties"]["allowed"][0]["path"], "config/master.key");
        // GitHub: plain log lines, no annotation.
        let github = rendered(Format::Github, &verdict);
        assert!(github.contains("\nallowed: config/master.key (secrets)\n"), "{github}");
        assert!(!github.lines().any(|l| l.starts_with("::") && l.contains("master.key")));
    }

    #[test]
    fn sarif_points_at_a_dockerignore_that_would_apply_when_there_is_none() {
        let mut report = report(10, 1, &[]);
        report.context = "services/api".into();
        report.ignore_file = None;
        let settings = CheckSettings { max_files: Some(0), ..settings(&[], &[]) };
        let log = sarif_log(&evaluate(&report, &[], &settings));
        assert_github_accepts(&log);
        let location = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "services/api/.dockerignore");
    }

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(artifact_uri(b"./ctx/.env"), "ctx/.env");
        assert_eq!(artifact_uri("a b/ü.txt".as_bytes()), "a%20b/%C3%BC.txt");
        assert_eq!(artifact_uri(b"/abs/x#1"), "file:///abs/x%231");
        assert_eq!(artifact_uri(b"na\\xe9me"), "na%5Cxe9me");
        // The raw byte of a name that is not UTF-8, not its escape for a terminal.
        assert_eq!(artifact_uri(b"caf\xe9"), "caf%E9");
        assert_eq!(artifact_uri(b"src/main-1_2.~rs"), "src/main-1_2.~rs");
    }

    #[test]
    fn github_annotations_are_escaped() {
        let out = rendered(Format::Github, &failing());
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines,
            [
                "::error title=ctxsize check::the build context is over the size limit of 200 MB (312 MB)",
                "::error file=.env,title=ctxsize check::secret ships in the build context (denied: secrets)",
                "::error file=certs/key%2C1.pem,title=ctxsize check::secret ships in the build context (denied: secrets)",
                "::error title=ctxsize check::and 1 more secret ships in the build context (denied: secrets; 3 files, 3 kB in all)",
                "::error file=.dockerignore,line=2,title=ctxsize check::100%25 wrong:%0Asee here (inline-comment)",
                "::warning title=ctxsize check::40 VCS files ship in the build context, e.g. .git/index (warn: vcs) (2.50 MB)",
                "judged: the whole context: no Dockerfile was read",
                "ctxsize check: FAILED — 5 violations, 1 warning (context 312 MB, limit 200 MB)",
            ]
        );
    }

    #[test]
    fn github_file_paths_drop_a_leading_dot_slash() {
        let mut report = report(10, 1, &[(Category::Logs, 1, 10, &["a:b.log"])]);
        report.context = "./ctx".into();
        let verdict = evaluate(&report, &[], &settings(&[DenyItem::Logs], &[]));
        let out = rendered(Format::Github, &verdict);
        assert!(out.starts_with("::error file=ctx/a%3Ab.log,title=ctxsize check::"), "{out}");
    }

    #[test]
    fn escaping_follows_the_toolkit() {
        assert_eq!(escape_data("50% done\r\nnext: a,b"), "50%25 done%0D%0Anext: a,b");
        assert_eq!(escape_property("50% done\r\nnext: a,b"), "50%25 done%0D%0Anext%3A a%2Cb");
    }
}
