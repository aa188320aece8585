//! BuildKit build-context conformance: one test per `fixtures/conformance/*.case` file.
//!
//! Each case is materialized into a fresh temporary directory `T` (context `T/ctx`), then
//! `ctxsize ls -l T/ctx [-f T/ctx/DF]` runs with `NO_COLOR=1` and its output is compared with
//! the case's `expect` section as `fixtures/conformance/FORMAT.md` describes.
//!
//! Run one case: `cargo test --test integration conformance::case_045_prune_literal_exception`.

#![cfg(unix)]

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

use crate::case::{Case, Expect, materialize};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/conformance");

/// A run taking longer than this is killed and reported as a failure.
const TIMEOUT: Duration = Duration::from_secs(60);

/// When this environment variable is set, the temporary directory of a failing case is kept.
const KEEP_VAR: &str = "CTXSIZE_KEEP_CASE_DIR";

/// At most this many lines are shown per diff category.
const MAX_SHOWN: usize = 100;

macro_rules! conformance_cases {
    ($($name:ident => $file:literal,)*) => {
        $(
            #[test]
            fn $name() {
                run_case(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/conformance/", $file));
            }
        )*

        /// (test name, fixture file name) of every generated test.
        const LISTED: &[(&str, &str)] = &[$((stringify!($name), $file)),*];
    };
}

conformance_cases! {
    case_001_plain_name => "001-plain-name.case",
    case_002_plain_dir_name => "002-plain-dir-name.case",
    case_003_nested_literal_path => "003-nested-literal-path.case",
    case_004_star_one_segment => "004-star-one-segment.case",
    case_005_star_in_dir_segment => "005-star-in-dir-segment.case",
    case_006_star_does_not_cross_slash => "006-star-does-not-cross-slash.case",
    case_007_star_matches_empty_and_dots => "007-star-matches-empty-and-dots.case",
    case_008_question_mark => "008-question-mark.case",
    case_009_doublestar_prefix => "009-doublestar-prefix.case",
    case_010_doublestar_dir_name => "010-doublestar-dir-name.case",
    case_011_doublestar_middle => "011-doublestar-middle.case",
    case_012_doublestar_end_keeps_dir => "012-doublestar-end-keeps-dir.case",
    case_013_doublestar_suffix_bak => "013-doublestar-suffix-bak.case",
    case_014_trailing_doublestar_prefix => "014-trailing-doublestar-prefix.case",
    case_015_a_doublestar_b => "015-a-doublestar-b.case",
    case_016_doublestar_alone => "016-doublestar-alone.case",
    case_017_doublestar_suffix_no_slash => "017-doublestar-suffix-no-slash.case",
    case_018_leading_slash => "018-leading-slash.case",
    case_019_dot_slash_and_dotdot_cleaning => "019-dot-slash-and-dotdot-cleaning.case",
    case_020_dotdot_escapes_nothing => "020-dotdot-escapes-nothing.case",
    case_021_trailing_slash_also_files => "021-trailing-slash-also-files.case",
    case_022_comments => "022-comments.case",
    case_023_blank_lines_and_whitespace => "023-blank-lines-and-whitespace.case",
    case_024_crlf_line_endings => "024-crlf-line-endings.case",
    case_025_utf8_bom => "025-utf8-bom.case",
    case_026_no_final_newline => "026-no-final-newline.case",
    case_027_case_sensitive => "027-case-sensitive.case",
    case_028_dotstar_hidden_files => "028-dotstar-hidden-files.case",
    case_029_exact_not_prefix => "029-exact-not-prefix.case",
    case_030_escaped_wildcards => "030-escaped-wildcards.case",
    case_031_escaped_hash => "031-escaped-hash.case",
    case_032_negation_reincludes_file => "032-negation-reincludes-file.case",
    case_033_later_rule_wins => "033-later-rule-wins.case",
    case_034_reinclude_file_in_excluded_dir => "034-reinclude-file-in-excluded-dir.case",
    case_035_reinclude_subdir => "035-reinclude-subdir.case",
    case_036_exclude_all_but => "036-exclude-all-but.case",
    case_037_exclude_all_but_deep_file => "037-exclude-all-but-deep-file.case",
    case_038_sticky_parent_match => "038-sticky-parent-match.case",
    case_039_negate_whole_dir_again => "039-negate-whole-dir-again.case",
    case_040_dir_contents_star_with_exception => "040-dir-contents-star-with-exception.case",
    case_041_negation_wildcard_any_depth => "041-negation-wildcard-any-depth.case",
    case_042_negation_blank_after_bang => "042-negation-blank-after-bang.case",
    case_043_negation_leading_slash => "043-negation-leading-slash.case",
    case_044_exclude_reinclude_exclude => "044-exclude-reinclude-exclude.case",
    case_045_prune_literal_exception => "045-prune-literal-exception.case",
    case_046_prune_disabled_by_wildcard_exception => "046-prune-disabled-by-wildcard-exception.case",
    case_047_prune_second_level => "047-prune-second-level.case",
    case_048_prune_exception_literal_prefix => "048-prune-exception-literal-prefix.case",
    case_049_prune_exception_trailing_star => "049-prune-exception-trailing-star.case",
    case_050_wildcard_exception_mid_path => "050-wildcard-exception-mid-path.case",
    case_051_zero_size_reincluded_file => "051-zero-size-reincluded-file.case",
    case_052_zero_size_repeated_pattern => "052-zero-size-repeated-pattern.case",
    case_053_no_zero_size_without_repeat => "053-no-zero-size-without-repeat.case",
    case_054_pipe_alternation => "054-pipe-alternation.case",
    case_055_pipe_literal_without_wildcard => "055-pipe-literal-without-wildcard.case",
    case_056_braces_leak => "056-braces-leak.case",
    case_057_caret_anchor => "057-caret-anchor.case",
    case_058_escaped_regex_metachars => "058-escaped-regex-metachars.case",
    case_059_backslash_d_digit => "059-backslash-d-digit.case",
    case_060_backslash_s_space => "060-backslash-s-space.case",
    case_061_invalid_escape_evaluated => "061-invalid-escape-evaluated.case",
    case_062_invalid_escape_never_evaluated => "062-invalid-escape-never-evaluated.case",
    case_063_char_class_range => "063-char-class-range.case",
    case_064_bang_class_not_negation => "064-bang-class-not-negation.case",
    case_065_caret_class_negation => "065-caret-class-negation.case",
    case_066_posix_class => "066-posix-class.case",
    case_067_class_matches_slash => "067-class-matches-slash.case",
    case_068_unterminated_bracket_error => "068-unterminated-bracket-error.case",
    case_069_unterminated_bracket_after_star => "069-unterminated-bracket-after-star.case",
    case_070_tab_inside_pattern => "070-tab-inside-pattern.case",
    case_071_cr_line_endings => "071-cr-line-endings.case",
    case_072_tab_trimmed_at_ends => "072-tab-trimmed-at-ends.case",
    case_073_bang_alone => "073-bang-alone.case",
    case_074_bang_blank => "074-bang-blank.case",
    case_075_bang_slash => "075-bang-slash.case",
    case_076_trailing_backslash_blank => "076-trailing-backslash-blank.case",
    case_077_long_line_limit => "077-long-line-limit.case",
    case_078_490_patterns_ok => "078-490-patterns-ok.case",
    case_079_491_patterns_error => "079-491-patterns-error.case",
    case_080_dockerignore_root_only => "080-dockerignore-root-only.case",
    case_081_dockerfile_dockerignore_beside_f => "081-dockerfile-dockerignore-beside-f.case",
    case_082_empty_dockerfile_dockerignore => "082-empty-dockerfile-dockerignore.case",
    case_083_root_dockerfile_dockerignore => "083-root-dockerfile-dockerignore.case",
    case_084_lowercase_dockerfile_default_name => "084-lowercase-dockerfile-default-name.case",
    case_085_f_lowercase_dockerfile => "085-f-lowercase-dockerfile.case",
    case_086_f_subdir_without_sibling => "086-f-subdir-without-sibling.case",
    case_087_named_dockerfile => "087-named-dockerfile.case",
    case_088_dockerfile_outside_context => "088-dockerfile-outside-context.case",
    case_089_dockerfile_outside_no_sibling => "089-dockerfile-outside-no-sibling.case",
    case_090_dockerignore_symlink => "090-dockerignore-symlink.case",
    case_091_dockerignore_symlink_escaping => "091-dockerignore-symlink-escaping.case",
    case_092_dockerignore_excludes_itself => "092-dockerignore-excludes-itself.case",
    case_093_empty_dirs => "093-empty-dirs.case",
    case_094_symlinks_not_followed => "094-symlinks-not-followed.case",
    case_095_symlink_excluded_by_pattern => "095-symlink-excluded-by-pattern.case",
    case_096_socket => "096-socket.case",
    case_097_unicode_names => "097-unicode-names.case",
    case_098_spaces_in_names => "098-spaces-in-names.case",
    case_099_odd_characters_in_names => "099-odd-characters-in-names.case",
    case_100_deep_nesting => "100-deep-nesting.case",
    case_101_class_star_no_split => "101-class-star-no-split.case",
    case_102_escaped_star_no_split => "102-escaped-star-no-split.case",
    case_103_escaped_backslash_at_end => "103-escaped-backslash-at-end.case",
    case_104_unicode_spaces_trimmed => "104-unicode-spaces-trimmed.case",
    case_105_bom_zwsp_not_trimmed => "105-bom-zwsp-not-trimmed.case",
    case_106_control_char_not_trimmed => "106-control-char-not-trimmed.case",
    case_107_bom_then_hash_comment => "107-bom-then-hash-comment.case",
    case_108_dash_after_range_early_error => "108-dash-after-range-early-error.case",
    case_109_classes_after_star_are_re2 => "109-classes-after-star-are-re2.case",
    case_110_reversed_range_unreached => "110-reversed-range-unreached.case",
    case_111_reversed_range_evaluated => "111-reversed-range-evaluated.case",
    case_112_bad_regex_skipped_in_both_checks => "112-bad-regex-skipped-in-both-checks.case",
    case_113_pattern_bytes_limit_ok => "113-pattern-bytes-limit-ok.case",
    case_114_pattern_bytes_limit_error => "114-pattern-bytes-limit-error.case",
    case_115_crlf_line_limit => "115-crlf-line-limit.case",
    case_116_dockerignore_symlink_chain => "116-dockerignore-symlink-chain.case",
    case_117_dockerignore_symlink_dotdot_lexical => "117-dockerignore-symlink-dotdot-lexical.case",
}

/// Materializes the case at `fixture`, runs `ctxsize` on it and panics with a readable report
/// when the result does not conform.
fn run_case(fixture: &str) {
    let case = Case::load(Path::new(fixture)).unwrap_or_else(|e| panic!("bad fixture: {e}"));
    let tmp =
        tempfile::Builder::new().prefix("ctxsize-conformance-").tempdir().expect("create temp dir");
    let root = tmp.path();
    materialize(&case, root).unwrap_or_else(|e| panic!("{fixture}: cannot materialize: {e}"));

    let ctx = root.join("ctx");
    let mut args = vec!["ls".into(), "-l".into(), ctx.clone().into_os_string()];
    if let Some(df) = &case.dockerfile {
        args.push("-f".into());
        args.push(ctx.join(df).into_os_string());
    }
    let output = assert_cmd::Command::new(env!("CARGO_BIN_EXE_ctxsize"))
        .args(&args)
        .env("NO_COLOR", "1")
        .current_dir(root)
        .write_stdin(Vec::<u8>::new())
        .timeout(TIMEOUT)
        .output()
        .expect("spawn ctxsize");

    let shown_args: Vec<String> = args
        .iter()
        .map(|a| {
            let a = a.to_string_lossy();
            match a.strip_prefix(&*root.to_string_lossy()) {
                Some(rest) => format!("T{rest}"),
                None => a.into_owned(),
            }
        })
        .collect();
    let mut report = format!(
        concat!(
            "conformance case {name} failed\n",
            "  {title}\n",
            "  fixture: {fixture}\n",
            "  command: ctxsize {cmd}   (T = {t})\n",
        ),
        name = Path::new(fixture).file_name().unwrap_or_default().to_string_lossy(),
        title = case.title,
        fixture = fixture,
        cmd = shown_args.join(" "),
        t = root.display(),
    );

    let failed = match &case.expect {
        Expect::Listing(expected) => check_listing(expected, &output, &mut report),
        Expect::Error(reason) => check_error(reason, &output, &mut report),
    };
    if failed {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let _ = writeln!(report, "stderr ({} bytes):", output.stderr.len());
        push_lines(&mut report, "  | ", stderr.lines(), MAX_SHOWN);
        if std::env::var_os(KEEP_VAR).is_some() {
            let kept = tmp.keep();
            let _ = writeln!(report, "kept T = {} ({KEEP_VAR} is set)", kept.display());
        } else {
            let _ = writeln!(report, "(set {KEEP_VAR}=1 to keep T for inspection)");
        }
        panic!("{report}");
    }
}

fn exit_status(output: &Output) -> String {
    match output.status.code() {
        Some(code) => code.to_string(),
        None => format!("none ({}; killed after a {TIMEOUT:?} timeout?)", output.status),
    }
}

/// Listing case: exit 0, and the multiset of non-blank stdout lines equals the expect lines.
/// Returns whether the case failed (the report is appended to `report`).
fn check_listing(expected: &[String], output: &Output, report: &mut String) -> bool {
    let actual: Vec<&[u8]> = output
        .stdout
        .split(|&b| b == b'\n')
        .filter(|line| !line.iter().all(u8::is_ascii_whitespace))
        .collect();

    // Missing lines in the order of the fixture, unexpected ones in the order printed.
    let mut printed: HashMap<&[u8], usize> = HashMap::new();
    for &line in &actual {
        *printed.entry(line).or_default() += 1;
    }
    let mut wanted: HashMap<&[u8], usize> = HashMap::new();
    let mut missing = Vec::new();
    for line in expected {
        *wanted.entry(line.as_bytes()).or_default() += 1;
        match printed.get_mut(line.as_bytes()) {
            Some(n) if *n > 0 => *n -= 1,
            _ => missing.push(line.clone()),
        }
    }
    let mut unexpected = Vec::new();
    for &line in &actual {
        match wanted.get_mut(line) {
            Some(n) if *n > 0 => *n -= 1,
            _ => unexpected.push(String::from_utf8_lossy(line).into_owned()),
        }
    }

    let status_ok = output.status.code() == Some(0);
    if status_ok && missing.is_empty() && unexpected.is_empty() {
        return false;
    }
    let _ = writeln!(
        report,
        "exit status: {}{}",
        exit_status(output),
        if status_ok { "" } else { "   <-- expected 0" }
    );
    let _ = writeln!(
        report,
        "expected {} line(s), got {} non-blank stdout line(s); {} matched",
        expected.len(),
        actual.len(),
        actual.len() - unexpected.len()
    );
    if !missing.is_empty() {
        let _ = writeln!(report, "missing (expected, not printed): {}", missing.len());
        push_lines(report, "  - ", missing.iter().map(String::as_str), MAX_SHOWN);
    }
    if !unexpected.is_empty() {
        let _ = writeln!(report, "unexpected (printed, not expected): {}", unexpected.len());
        push_lines(report, "  + ", unexpected.iter().map(String::as_str), MAX_SHOWN);
    }
    true
}

/// ERROR case: exit status 2 and nothing on stdout. Returns whether the case failed.
fn check_error(reason: &str, output: &Output, report: &mut String) -> bool {
    let status_ok = output.status.code() == Some(2);
    if status_ok && output.stdout.is_empty() {
        return false;
    }
    let _ =
        writeln!(report, "expected: exit status 2 and an empty stdout (BuildKit fails: {reason})");
    let _ = writeln!(
        report,
        "exit status: {}{}",
        exit_status(output),
        if status_ok { "" } else { "   <-- expected 2" }
    );
    if !output.stdout.is_empty() {
        let stdout = String::from_utf8_lossy(&output.stdout);
        let _ = writeln!(report, "stdout ({} bytes, expected none):", output.stdout.len());
        push_lines(report, "  + ", stdout.lines(), MAX_SHOWN);
    }
    true
}

/// A line as shown in a report: verbatim when plain, Rust-quoted (`"..."`) when it has
/// characters that would be invisible or ambiguous (control characters, trailing blanks,
/// non-ASCII blanks, zero-width characters, a BOM).
fn shown(line: &str) -> Cow<'_, str> {
    let invisible = |c: char| {
        c.is_control()
            || (!c.is_ascii() && c.is_whitespace())
            || matches!(
                c,
                '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}'
            )
    };
    if line.ends_with([' ', '\t']) || line.chars().any(invisible) {
        Cow::Owned(format!("{line:?}"))
    } else {
        Cow::Borrowed(line)
    }
}

fn push_lines<'a>(
    report: &mut String,
    prefix: &str,
    lines: impl Iterator<Item = &'a str>,
    max: usize,
) {
    let mut rest = 0;
    for (i, line) in lines.enumerate() {
        if i < max {
            let _ = writeln!(report, "{prefix}{}", shown(line));
        } else {
            rest += 1;
        }
    }
    if rest > 0 {
        let _ = writeln!(report, "{prefix}... and {rest} more");
    }
}

/// Every `*.case` fixture has a test in `conformance_cases!`, named after its file, and every
/// listed fixture exists: a new fixture cannot be silently skipped.
#[test]
fn every_fixture_has_a_test() {
    let mut on_disk: Vec<String> = std::fs::read_dir(FIXTURES)
        .unwrap_or_else(|e| panic!("read {FIXTURES}: {e}"))
        .map(|entry| entry.expect("read dir entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".case"))
        .collect();
    on_disk.sort();
    assert!(!on_disk.is_empty(), "no *.case files in {FIXTURES}");

    let mut problems = Vec::new();
    for name in &on_disk {
        if !LISTED.iter().any(|&(_, file)| file == name) {
            let stem = name.trim_end_matches(".case");
            problems.push(format!(
                "not listed in conformance_cases!: add `{} => \"{name}\",`",
                test_name_for(stem)
            ));
        }
    }
    for (i, &(test, file)) in LISTED.iter().enumerate() {
        if !on_disk.iter().any(|name| name == file) {
            problems.push(format!("{test} => {file:?}: no such fixture"));
        }
        if LISTED[..i].iter().any(|&(_, f)| f == file) {
            problems.push(format!("{file:?} is listed twice"));
        }
        let want = test_name_for(file.trim_end_matches(".case"));
        if test != want {
            problems.push(format!("{test} => {file:?}: the test should be named {want}"));
        }
    }
    assert!(problems.is_empty(), "fixture list out of date:\n  {}", problems.join("\n  "));
}

fn test_name_for(stem: &str) -> String {
    let stem: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
        .collect();
    format!("case_{stem}")
}

/// Every fixture parses and materializes, whatever the state of the binary.
#[test]
fn every_fixture_parses_and_materializes() {
    let mut problems = Vec::new();
    for &(_, file) in LISTED {
        let path = Path::new(FIXTURES).join(file);
        let result = Case::load(&path).and_then(|case| {
            let tmp = tempfile::TempDir::new().map_err(|e| e.to_string())?;
            materialize(&case, tmp.path())
        });
        if let Err(e) = result {
            problems.push(format!("{file}: {e}"));
        }
    }
    assert!(problems.is_empty(), "bad fixtures:\n  {}", problems.join("\n  "));
}
