//! `ctxsize check`: a pre-build gate. The scan's report and the ignore file's lint findings
//! are held against the limits and denied categories of [`CheckSettings`]; the [`Verdict`]
//! says what fails (exit 1) and what is only worth a warning.
//!
//! Paths in a verdict are raw bytes relative to the working directory, like
//! [`ScanReport::ignore_file`]: a category's example (relative to the context) is joined to
//! the context path as given, so that `--format github` and `--format sarif` point at the
//! right file when the context is a subdirectory of the repository. The renderers of
//! `crate::output::check` escape them for text or encode them for JSON and SARIF.

pub mod baseline;
pub mod compare;
pub mod config;
pub mod deny;
pub mod growth;

use serde::{Serialize, Serializer};

pub use crate::lint::Severity;
pub use config::{
    CheckSettings, ConfigError, DenyItem, FileSettings, FlagSettings, Format, load, resolve,
};

use crate::numbers::{self as text, count, files, size};
use crate::raw_path::RawPath;
use crate::scan::report::{CategoryAmount, ScanReport, SourceCause, WarningKind};
use crate::scan::tally::Amount;

/// One lint finding on a file, as `check` needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintFinding {
    /// The file, as shown to the user (like [`ScanReport::ignore_file`]).
    pub file: RawPath,
    /// 1-based.
    pub line: usize,
    /// The lint check that found it.
    pub rule: crate::lint::Check,
    pub message: String,
    pub severity: Severity,
}

impl LintFinding {
    /// A finding of [`crate::lint`] on `file` (the ignore file as shown); its fix joins the
    /// message.
    pub fn from_lint(file: &RawPath, finding: &crate::lint::Finding) -> LintFinding {
        let message = if finding.fix.is_empty() {
            finding.message.clone()
        } else {
            format!("{}; fix: {}", finding.message, finding.fix)
        };
        LintFinding {
            file: file.clone(),
            line: finding.line,
            rule: finding.name,
            message,
            severity: finding.severity,
        }
    }
}

/// One reason to fail (or, among [`Verdict::warnings`], to warn).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub kind: ViolationKind,
    /// A sentence; never repeats `bytes`, which renderers show themselves.
    pub message: String,
    /// The offending file, relative to the working directory; `None` for the whole context.
    pub path: Option<RawPath>,
    /// The line in `path`, for lint findings.
    pub line: Option<usize>,
    /// The bytes concerned: the context's for `max-size`, a category's for a warning.
    pub bytes: Option<u64>,
}

/// What a [`Violation`] is about. Its name (in JSON, SARIF's rule id and GitHub's
/// annotations) is `max-size`, `max-files`, `max-growth`, `source-unavailable`, `unreadable-file`,
/// `deny:<item>` or `warn:<item>` (item names as in [`DenyItem::NAMES`]); it is written by
/// hand rather than by serde's renames because the last two carry their item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViolationKind {
    /// What is judged is over `--max-size`.
    MaxSize,
    /// What is judged has more files than `--max-files`.
    MaxFiles,
    /// What is judged grew since the baseline by more than `--max-growth` allows.
    MaxGrowth,
    /// A needed source names nothing the build receives: `docker build` fails.
    SourceUnavailable,
    /// A file that ships cannot be read (a warning: it arrives empty).
    UnreadableFile,
    /// A denied item ships.
    Deny(DenyItem),
    /// A warned item ships (or a denied one that only a `COPY . .` would send).
    Warn(DenyItem),
}

impl ViolationKind {
    /// The stable name (see the type's documentation).
    pub fn name(self) -> &'static str {
        match self {
            ViolationKind::MaxSize => "max-size",
            ViolationKind::MaxFiles => "max-files",
            ViolationKind::MaxGrowth => "max-growth",
            ViolationKind::SourceUnavailable => "source-unavailable",
            ViolationKind::UnreadableFile => "unreadable-file",
            ViolationKind::Deny(item) => deny_kind(item),
            ViolationKind::Warn(item) => warn_kind(item),
        }
    }
}

impl Serialize for ViolationKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl std::fmt::Display for ViolationKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl PartialEq<&str> for ViolationKind {
    fn eq(&self, name: &&str) -> bool {
        self.name() == *name
    }
}

/// A file of a denied or warned category that the allow-list says ships on purpose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Allowed {
    /// Relative to the working directory, like a violation's path.
    pub path: RawPath,
    /// Its category, named in JSON as `--deny` takes it (`secrets`, `deps`, …).
    #[serde(serialize_with = "item_name")]
    pub category: DenyItem,
}

/// Allowed files of a category beyond those the report lists one by one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AllowedUnlisted {
    #[serde(serialize_with = "item_name")]
    pub category: DenyItem,
    pub files: u64,
}

/// A deny item as JSON names it: its name on the command line.
fn item_name<S: Serializer>(item: &DenyItem, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(item.name())
}

/// What a check judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// What the Dockerfile makes BuildKit send: the paths its sources name, filtered by the
    /// ignore file (the whole filtered context when a source is the root).
    Transfer,
    /// The whole filtered context, what `COPY . .` ships: asked for with `--whole-context`
    /// (builders that send everything), or when there is no Dockerfile to read.
    Context,
}

impl View {
    /// The judged amount as the subject of a sentence.
    pub fn subject(self) -> &'static str {
        match self {
            View::Transfer => "what docker build sends",
            View::Context => "the build context",
        }
    }

    /// `ships in the build context` or `is sent by docker build`, for one or many.
    fn goes(self, one: bool) -> &'static str {
        match (self, one) {
            (View::Transfer, true) => "is sent by docker build",
            (View::Transfer, false) => "are sent by docker build",
            (View::Context, true) => "ships in the build context",
            (View::Context, false) => "ship in the build context",
        }
    }

    /// The short word of summaries: `transfer 56 MB`, `context 312 MB`.
    pub fn word(self) -> &'static str {
        match self {
            View::Transfer => "transfer",
            View::Context => "context",
        }
    }
}

/// What `check` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub violations: Vec<Violation>,
    pub warnings: Vec<Violation>,
    /// Files of denied and warned categories shipped on purpose (the allow-list), which
    /// neither fail nor warn; then how many more there are, by category.
    pub allowed: Vec<Allowed>,
    pub allowed_unlisted: Vec<AllowedUnlisted>,
    /// What was judged, and how it was chosen (a sentence for people).
    pub view: View,
    pub view_reason: String,
    /// The judged amount: the transfer or the whole context (see `view`).
    pub shipped: Amount,
    /// The limits applied, for the summary.
    pub max_size: Option<u64>,
    pub max_files: Option<u64>,
    /// The context as given, and the ignore file in force (both as in the report): a
    /// location for findings about the whole context.
    pub context: RawPath,
    pub ignore_file: Option<RawPath>,
    /// The comparison with a baseline, with `--baseline`.
    pub baseline: Option<compare::Comparison>,
}

impl Verdict {
    /// Holds the verdict against a baseline too: a growth over the allowance fails.
    pub fn add_comparison(&mut self, comparison: compare::Comparison) {
        self.violations.extend(comparison.violation());
        self.baseline = Some(comparison);
    }

    /// Whether the context is within every limit and nothing denied ships.
    pub fn passed(&self) -> bool {
        self.violations.is_empty()
    }

    /// The exit status: success when passed, failure (exit 1) otherwise.
    pub fn outcome(&self) -> crate::outcome::Outcome {
        if self.passed() {
            crate::outcome::Outcome::Success
        } else {
            crate::outcome::Outcome::Failure
        }
    }

    /// The file findings about the whole context point at: the ignore file in force, or
    /// the `.dockerignore` that would be.
    pub fn fallback_file(&self) -> RawPath {
        self.ignore_file.clone().unwrap_or_else(|| self.context.join_relative(b".dockerignore"))
    }
}

/// Holds what ships, and the lint findings, against the settings.
///
/// - `max-size`/`max-files`: one violation each when the shipped bytes/files are over the
///   limit (equal is within).
/// - A denied category: one violation per example path the scan kept, then one saying how
///   many more files there are when the category has more than its examples.
/// - A warned category: one warning for the category, with its size.
/// - Allowed files (the scan counts them apart, see [`CategoryAmount::allowed`]) are left
///   out of both, whatever their number, and listed in [`Verdict::allowed`]: the scan keeps
///   examples of the others only, so the "and N more" count never includes an allowed file.
/// - `lint` denied: a finding of severity error or warning is a violation, an info finding a
///   warning. `lint` warned: every finding is a warning. Otherwise findings are ignored.
pub fn evaluate(report: &ScanReport, lint: &[LintFinding], settings: &CheckSettings) -> Verdict {
    let judged = Judged::choose(report, settings);
    let mut verdict = Verdict {
        violations: Vec::new(),
        warnings: Vec::new(),
        allowed: Vec::new(),
        allowed_unlisted: Vec::new(),
        view: judged.view,
        view_reason: judged.reason.clone(),
        shipped: judged.amount,
        max_size: settings.max_size,
        max_files: settings.max_files,
        context: report.context.clone(),
        ignore_file: report.ignore_file.clone(),
        baseline: None,
    };
    add_unavailable_sources(&mut verdict, report);
    add_unreadable_files(&mut verdict, report);
    add_limits(&mut verdict, settings);
    for &item in &settings.deny {
        add_denied(&mut verdict, report, &judged, lint, item);
    }
    for &item in &settings.warn {
        add_warned(&mut verdict, report, &judged, lint, item);
    }
    verdict
}

/// What a check judges: the transfer, or the whole context, with its amounts.
struct Judged<'r> {
    view: View,
    /// How the view was chosen, a sentence for people.
    reason: String,
    amount: Amount,
    categories: &'r [CategoryAmount],
}

impl<'r> Judged<'r> {
    /// The transfer when the Dockerfile was read, unless `--whole-context` asks for the
    /// context.
    fn choose(report: &'r ScanReport, settings: &CheckSettings) -> Judged<'r> {
        let context = |reason: &str| Judged {
            view: View::Context,
            reason: reason.to_owned(),
            amount: report.totals.shipped,
            categories: &report.categories,
        };
        let Some(transfer) = &report.transfer else {
            return context("the whole context: no Dockerfile was read");
        };
        if settings.whole_context {
            return context("the whole context, as asked (--whole-context)");
        }
        let dockerfile = match &report.dockerfile {
            Some(path) => String::from_utf8_lossy(path.as_bytes()).into_owned(),
            None => "the Dockerfile".to_owned(),
        };
        let reason = if transfer.whole_context {
            format!("the whole context: {dockerfile} copies its root, so all of it is sent")
        } else {
            format!(
                "what {dockerfile} makes docker build send (--whole-context judges the whole \
                 context)"
            )
        };
        Judged {
            view: View::Transfer,
            reason,
            amount: transfer.amount,
            categories: &transfer.categories,
        }
    }
}

/// A source that names nothing the builder receives fails the build, whatever the limits.
fn add_unavailable_sources(verdict: &mut Verdict, report: &ScanReport) {
    for source in &report.unavailable_sources {
        verdict.violations.push(Violation {
            kind: ViolationKind::SourceUnavailable,
            message: format!(
                "{} {} {}: docker build fails with \"not found\"",
                source.instruction,
                source.source,
                match source.cause {
                    SourceCause::Excluded => "names only what the ignore file excludes",
                    SourceCause::Missing => "matches nothing in the context",
                }
            ),
            path: report.dockerfile.clone(),
            line: Some(source.line),
            bytes: None,
        });
    }
}

/// A file that cannot be read arrives empty; the build goes on, so it is only a warning.
fn add_unreadable_files(verdict: &mut Verdict, report: &ScanReport) {
    for warning in report.warnings.iter().filter(|w| w.kind == WarningKind::Unreadable) {
        for path in &warning.paths {
            verdict.warnings.push(Violation {
                kind: ViolationKind::UnreadableFile,
                message: "cannot be read: BuildKit sends it as an empty file (the build goes on)"
                    .to_owned(),
                path: Some(report.context.join_relative(path.as_bytes())),
                line: None,
                bytes: None,
            });
        }
    }
}

/// `max-size` and `max-files`: over the limit fails, equal is within.
fn add_limits(verdict: &mut Verdict, settings: &CheckSettings) {
    let (view, shipped) = (verdict.view, verdict.shipped);
    if let Some(limit) = settings.max_size
        && shipped.bytes > limit
    {
        verdict.violations.push(Violation {
            kind: ViolationKind::MaxSize,
            message: format!(
                "{} is over the size limit of {}",
                view.subject(),
                sizes_apart(shipped.bytes, limit).1
            ),
            path: None,
            line: None,
            bytes: Some(shipped.bytes),
        });
    }
    if let Some(limit) = settings.max_files
        && shipped.files > limit
    {
        let has = match view {
            View::Context => "the build context has",
            View::Transfer => "docker build sends",
        };
        verdict.violations.push(Violation {
            kind: ViolationKind::MaxFiles,
            message: format!("{has} {}, over the limit of {}", files(shipped.files), count(limit)),
            path: None,
            line: None,
            bytes: None,
        });
    }
}

/// A denied item: one violation per example path, then one for the rest; lint findings of
/// severity info are only warnings.
fn add_denied(
    verdict: &mut Verdict,
    report: &ScanReport,
    judged: &Judged<'_>,
    lint: &[LintFinding],
    item: DenyItem,
) {
    let kind = ViolationKind::Deny(item);
    if item == DenyItem::Lint {
        for finding in lint {
            let violation = lint_violation(finding, kind);
            if finding.severity == Severity::Info {
                verdict.warnings.push(Violation { kind: ViolationKind::Warn(item), ..violation });
            } else {
                verdict.violations.push(violation);
            }
        }
        return;
    }
    if judged.view == View::Transfer {
        warn_outside_transfer(verdict, report, judged.categories, item, "denied");
    }
    list_allowed(verdict, &report.context, judged.categories, item);
    let Some(amount) = category_of(judged.categories, item) else { return };
    let (files, bytes) = not_allowed(amount);
    let view = judged.view;
    for example in &amount.examples {
        verdict.violations.push(Violation {
            kind,
            message: format!("{} {} (denied: {item})", item.one(), view.goes(true)),
            path: Some(report.context.join_relative(example.as_bytes())),
            line: None,
            bytes: None,
        });
    }
    let listed = amount.examples.len() as u64;
    if files > listed {
        let more = files - listed;
        let noun = if more == 1 { item.one() } else { item.many() };
        let verb = view.goes(more == 1);
        let (and, also) = if listed == 0 { ("", "") } else { ("and ", " more") };
        verdict.violations.push(Violation {
            kind,
            message: format!(
                "{and}{}{also} {noun} {verb} (denied: {item}; {}, {} in all)",
                count(more),
                text::files(files),
                size(bytes)
            ),
            path: None,
            line: None,
            bytes: None,
        });
    }
}

/// A warned item: one warning for its category, with its size; every lint finding.
fn add_warned(
    verdict: &mut Verdict,
    report: &ScanReport,
    judged: &Judged<'_>,
    lint: &[LintFinding],
    item: DenyItem,
) {
    let kind = ViolationKind::Warn(item);
    if item == DenyItem::Lint {
        verdict.warnings.extend(lint.iter().map(|finding| lint_violation(finding, kind)));
        return;
    }
    list_allowed(verdict, &report.context, judged.categories, item);
    let Some(amount) = category_of(judged.categories, item) else { return };
    let (files, bytes) = not_allowed(amount);
    let noun = if files == 1 { item.one() } else { item.many() };
    let verb = judged.view.goes(files == 1);
    let example = match amount.examples.first() {
        Some(path) => format!(", e.g. {}", shown(&report.context.join_relative(path.as_bytes()))),
        None => String::new(),
    };
    verdict.warnings.push(Violation {
        kind,
        message: format!("{} {noun} {verb}{example} (warn: {item})", count(files)),
        path: None,
        line: None,
        bytes: Some(bytes),
    });
}

/// A path quoted in a message, escaped as text output shows paths.
fn shown(path: &RawPath) -> String {
    crate::escape::escape_path(path.as_bytes())
}

/// Two sizes for one sentence: as [`size`] shows them, or as exact byte counts when they
/// would look the same (`312 MB` against a limit of `312.00 MB`).
pub(crate) fn sizes_apart(a: u64, b: u64) -> (String, String) {
    let (shown_a, shown_b) = (size(a), size(b));
    let key = |shown: &str| {
        let (number, unit) = shown.split_once(' ').unwrap_or((shown, ""));
        (number.parse::<f64>().map(|n| format!("{n:.2}")).unwrap_or_default(), unit.to_owned())
    };
    if a != b && key(&shown_a) == key(&shown_b) {
        (format!("{} bytes", count(a)), format!("{} bytes", count(b)))
    } else {
        (shown_a, shown_b)
    }
}

/// The category of an item among the judged amounts, if any of its files are there and not
/// all of them are allowed.
fn category_of(categories: &[CategoryAmount], item: DenyItem) -> Option<&CategoryAmount> {
    let category = item.category()?;
    categories.iter().find(|c| c.category == category && not_allowed(c) != (0, 0))
}

/// The files and bytes of a category that are not allowed.
fn not_allowed(amount: &CategoryAmount) -> (u64, u64) {
    (
        amount.files.saturating_sub(amount.allowed.files),
        amount.bytes.saturating_sub(amount.allowed.bytes),
    )
}

/// Lists the allowed files of an item's category among the judged amounts.
fn list_allowed(
    verdict: &mut Verdict,
    context: &RawPath,
    categories: &[CategoryAmount],
    item: DenyItem,
) {
    let Some(category) = item.category() else { return };
    let Some(amount) = categories.iter().find(|c| c.category == category) else { return };
    let allowed = &amount.allowed;
    verdict.allowed.extend(
        allowed
            .examples
            .iter()
            .map(|path| Allowed { path: context.join_relative(path.as_bytes()), category: item }),
    );
    let listed = allowed.examples.len() as u64;
    if allowed.files > listed {
        verdict
            .allowed_unlisted
            .push(AllowedUnlisted { category: item, files: allowed.files - listed });
    }
}

/// A denied category in the context that this Dockerfile does not send is worth a warning,
/// not a failure: a `COPY . .` added later would ship it.
fn warn_outside_transfer(
    verdict: &mut Verdict,
    report: &ScanReport,
    sent: &[CategoryAmount],
    item: DenyItem,
    how: &str,
) {
    let Some(in_context) = category_of(&report.categories, item) else { return };
    let sent = category_of(sent, item);
    let outside = not_allowed(in_context).0.saturating_sub(sent.map_or(0, |c| not_allowed(c).0));
    if outside == 0 {
        return;
    }
    let example = in_context
        .examples
        .iter()
        .find(|path| sent.is_none_or(|c| !c.examples.contains(path)))
        .map(|path| report.context.join_relative(path.as_bytes()));
    let (noun, verb) = if outside == 1 { (item.one(), "is") } else { (item.many(), "are") };
    verdict.warnings.push(Violation {
        kind: ViolationKind::Warn(item),
        message: format!(
            "{} {noun} {verb} in the context but not sent by this Dockerfile; a `COPY . .` \
             would ship {} ({how}: {item})",
            count(outside),
            if outside == 1 { "it" } else { "them" }
        ),
        path: example,
        line: None,
        bytes: None,
    });
}

fn lint_violation(finding: &LintFinding, kind: ViolationKind) -> Violation {
    Violation {
        kind,
        message: format!("{} ({})", finding.message, finding.rule),
        path: Some(finding.file.clone()),
        line: Some(finding.line),
        bytes: None,
    }
}

/// `deny:<name>`.
pub fn deny_kind(item: DenyItem) -> &'static str {
    match item {
        DenyItem::Secrets => "deny:secrets",
        DenyItem::Vcs => "deny:vcs",
        DenyItem::Deps => "deny:deps",
        DenyItem::Build => "deny:build",
        DenyItem::Caches => "deny:caches",
        DenyItem::Logs => "deny:logs",
        DenyItem::Lint => "deny:lint",
        DenyItem::TestOutput => "deny:test",
        DenyItem::EditorJunk => "deny:junk",
        DenyItem::LargeBinaries => "deny:large",
    }
}

/// `warn:<name>`.
pub fn warn_kind(item: DenyItem) -> &'static str {
    match item {
        DenyItem::Secrets => "warn:secrets",
        DenyItem::Vcs => "warn:vcs",
        DenyItem::Deps => "warn:deps",
        DenyItem::Build => "warn:build",
        DenyItem::Caches => "warn:caches",
        DenyItem::Logs => "warn:logs",
        DenyItem::Lint => "warn:lint",
        DenyItem::TestOutput => "warn:test",
        DenyItem::EditorJunk => "warn:junk",
        DenyItem::LargeBinaries => "warn:large",
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::scan::categories::Category;
    use crate::scan::proposal::Proposal;
    use crate::scan::report::{CategoryAmount, SCHEMA_VERSION, Totals};

    /// A report with `shipped` bytes and files, and these categories:
    /// (category, files, bytes, examples).
    pub(crate) fn report(
        bytes: u64,
        files: u64,
        categories: &[(Category, u64, u64, &[&str])],
    ) -> ScanReport {
        let shipped = Amount { files, dirs: 3, bytes };
        ScanReport {
            schema_version: SCHEMA_VERSION,
            context: ".".into(),
            ignore_file: Some(".dockerignore".into()),
            dockerfile: Some("Dockerfile".into()),
            totals: Totals {
                on_disk: shipped,
                excluded: Amount::default(),
                shipped,
                emptied: Amount::default(),
                hard_linked: 0,
            },
            heaviest_dirs: Vec::new(),
            directories: None,
            largest_files: Vec::new(),
            categories: Category::ALL
                .iter()
                .map(|&category| {
                    let found = categories.iter().find(|c| c.0 == category);
                    CategoryAmount {
                        category,
                        label: category.label(),
                        files: found.map_or(0, |c| c.1),
                        bytes: found.map_or(0, |c| c.2),
                        examples: found
                            .map(|c| c.3.iter().map(|&p| p.into()).collect())
                            .unwrap_or_default(),
                        allowed: Default::default(),
                    }
                })
                .collect(),
            projects: Vec::new(),
            services: Vec::new(),
            proposal: Proposal {
                rules: Vec::new(),
                dropped: Vec::new(),
                after: shipped,
                saving_bytes: 0,
                saving_percent: 0.0,
                transfer_after: shipped,
                transfer_saving_bytes: 0,
                transfer_saving_percent: 0.0,
            },
            instructions: Vec::new(),
            transfer: None,
            unavailable_sources: Vec::new(),
            warnings: Vec::new(),
            lint: Vec::new(),
            incomplete: Vec::new(),
        }
    }

    pub(crate) fn settings(deny: &[DenyItem], warn: &[DenyItem]) -> CheckSettings {
        CheckSettings {
            max_size: None,
            max_files: None,
            deny: deny.to_vec(),
            warn: warn.to_vec(),
            format: Format::Text,
            whole_context: false,
            allow: Default::default(),
            baseline: None,
            max_growth: None,
        }
    }

    pub(crate) fn finding(line: usize, severity: Severity) -> LintFinding {
        LintFinding {
            file: ".dockerignore".into(),
            line,
            rule: crate::lint::Check::InlineComment,
            message: "`*.log # logs` is one pattern".to_owned(),
            severity,
        }
    }

    /// One example file of every category but `other`.
    fn every_category() -> ScanReport {
        report(
            1000,
            20,
            &[
                (Category::Secrets, 1, 10, &[".env"]),
                (Category::Vcs, 1, 10, &[".git/HEAD"]),
                (Category::Dependencies, 1, 10, &["node_modules/a.js"]),
                (Category::BuildOutput, 1, 10, &["dist/app.js"]),
                (Category::Caches, 1, 10, &["__pycache__/a.pyc"]),
                (Category::Logs, 1, 10, &["app.log"]),
                (Category::TestOutput, 1, 10, &["coverage/lcov.info"]),
                (Category::EditorJunk, 1, 10, &[".DS_Store"]),
                (Category::LargeBinaries, 1, 10, &["dump.sql.gz"]),
                (Category::Other, 11, 910, &[]),
            ],
        )
    }

    #[test]
    fn size_limit_fails_only_above_it() {
        let report = report(312_000_000, 10, &[]);
        let mut settings = settings(&[], &[]);
        settings.max_size = Some(312_000_000);
        assert!(evaluate(&report, &[], &settings).passed(), "equal to the limit is within");
        settings.max_size = Some(200_000_000);
        let verdict = evaluate(&report, &[], &settings);
        assert!(!verdict.passed());
        assert_eq!(verdict.outcome(), crate::outcome::Outcome::Failure);
        assert_eq!(
            verdict.violations,
            vec![Violation {
                kind: ViolationKind::MaxSize,
                message: "the build context is over the size limit of 200 MB".to_owned(),
                path: None,
                line: None,
                bytes: Some(312_000_000),
            }]
        );
    }

    #[test]
    fn a_limit_just_below_the_size_is_shown_in_bytes() {
        let report = report(312_000_000, 10, &[]);
        let mut settings = settings(&[], &[]);
        settings.max_size = Some(311_999_999);
        let verdict = evaluate(&report, &[], &settings);
        assert_eq!(
            verdict.violations[0].message,
            "the build context is over the size limit of 311,999,999 bytes"
        );
        assert_eq!(
            sizes_apart(312_000_000, 311_999_999),
            ("312,000,000 bytes".to_owned(), "311,999,999 bytes".to_owned())
        );
        assert_eq!(
            sizes_apart(312_000_000, 200_000_000),
            ("312 MB".to_owned(), "200 MB".to_owned())
        );
        assert_eq!(sizes_apart(5, 5), ("5 B".to_owned(), "5 B".to_owned()));
    }

    #[test]
    fn file_limit_fails_only_above_it() {
        let report = report(100, 50_001, &[]);
        let mut settings = settings(&[], &[]);
        settings.max_files = Some(50_001);
        let verdict = evaluate(&report, &[], &settings);
        assert!(verdict.passed());
        assert_eq!(verdict.outcome(), crate::outcome::Outcome::Success);
        settings.max_files = Some(50_000);
        let verdict = evaluate(&report, &[], &settings);
        assert_eq!(verdict.violations.len(), 1);
        assert_eq!(verdict.violations[0].kind, "max-files");
        assert_eq!(
            verdict.violations[0].message,
            "the build context has 50,001 files, over the limit of 50,000"
        );
    }

    #[test]
    fn both_limits_fail_together() {
        let report = report(2_000, 20, &[]);
        let mut settings = settings(&[], &[]);
        settings.max_size = Some(1_000);
        settings.max_files = Some(10);
        let kinds: Vec<_> =
            evaluate(&report, &[], &settings).violations.iter().map(|v| v.kind).collect();
        assert_eq!(kinds, ["max-size", "max-files"]);
    }

    #[test]
    fn each_denied_category_fails_on_its_own_files() {
        let report = every_category();
        for item in DenyItem::ALL {
            let verdict = evaluate(&report, &[], &settings(&[item], &[]));
            if item == DenyItem::Lint {
                assert!(verdict.passed(), "no lint findings");
                continue;
            }
            let category = item.category().unwrap();
            let expected = &report.categories[category.index()].examples[0];
            assert_eq!(verdict.violations.len(), 1, "{item}: {:?}", verdict.violations);
            let violation = &verdict.violations[0];
            assert_eq!(violation.kind, ViolationKind::Deny(item));
            assert_eq!(violation.kind.name(), deny_kind(item));
            assert_eq!(violation.kind.name(), format!("deny:{item}"));
            assert_eq!(violation.path.as_ref(), Some(expected), "{item}");
        }
        // Nothing denied: nothing fails, whatever ships.
        assert!(evaluate(&report, &[], &settings(&[], &[])).passed());
    }

    #[test]
    fn denied_category_that_does_not_ship_passes() {
        let report = report(100, 2, &[(Category::Vcs, 2, 100, &[".git/HEAD", ".git/config"])]);
        assert!(evaluate(&report, &[], &settings(&[DenyItem::Secrets], &[])).passed());
    }

    #[test]
    fn one_violation_per_example_then_the_rest() {
        let report = report(
            5_000_000,
            1_002,
            &[(
                Category::Dependencies,
                1_000,
                4_000_000,
                &["node_modules/a.js", "node_modules/b.js"],
            )],
        );
        let verdict = evaluate(&report, &[], &settings(&[DenyItem::Deps], &[]));
        let shown: Vec<(Option<&str>, &str)> = verdict
            .violations
            .iter()
            .map(|v| (v.path.as_ref().and_then(RawPath::to_str), v.message.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                (
                    Some("node_modules/a.js"),
                    "dependency file ships in the build context (denied: deps)"
                ),
                (
                    Some("node_modules/b.js"),
                    "dependency file ships in the build context (denied: deps)"
                ),
                (
                    None,
                    "and 998 more dependency files ship in the build context (denied: deps; \
                     1,000 files, 4 MB in all)"
                ),
            ]
        );
        // All listed: no "more".
        let all = report_with_secrets(&[".env", "key.pem"], 2);
        let verdict = evaluate(&all, &[], &settings(&[DenyItem::Secrets], &[]));
        assert_eq!(verdict.violations.len(), 2);
        // No examples at all: the count alone.
        let none = report_with_secrets(&[], 3);
        let verdict = evaluate(&none, &[], &settings(&[DenyItem::Secrets], &[]));
        assert_eq!(verdict.violations.len(), 1);
        assert!(verdict.violations[0].message.starts_with("3 secrets ship"));
    }

    /// Marks some files of a category as allowed, as the scan counts them: out of the
    /// examples, into `allowed`.
    fn allow(report: &mut ScanReport, category: Category, paths: &[&str], files: u64, bytes: u64) {
        let amount = &mut report.categories[category.index()];
        amount.examples.retain(|p| !paths.iter().any(|path| p == path));
        amount.allowed = crate::scan::report::AllowedAmount {
            files,
            bytes,
            examples: paths.iter().map(|&p| p.into()).collect(),
        };
    }

    #[test]
    fn allowed_files_neither_fail_nor_warn_and_are_listed() {
        let mut report = report(
            1_000,
            10,
            &[
                (Category::Secrets, 1, 32, &["config/master.key"]),
                (Category::Dependencies, 2, 20, &["vendor/a.js", "vendor/b.js"]),
            ],
        );
        let settings = settings(&[DenyItem::Secrets], &[DenyItem::Deps]);
        assert!(!evaluate(&report, &[], &settings).passed());
        allow(&mut report, Category::Secrets, &["config/master.key"], 1, 32);
        allow(&mut report, Category::Dependencies, &["vendor/a.js"], 1, 10);
        report.context = "app".into();
        let verdict = evaluate(&report, &[], &settings);
        assert!(verdict.passed(), "{:?}", verdict.violations);
        assert_eq!(
            verdict.allowed,
            [
                Allowed { path: "app/config/master.key".into(), category: DenyItem::Secrets },
                Allowed { path: "app/vendor/a.js".into(), category: DenyItem::Deps },
            ]
        );
        // The warning counts only the file not allowed.
        assert_eq!(verdict.warnings.len(), 1);
        assert_eq!(
            verdict.warnings[0].message,
            "1 dependency file ships in the build context, e.g. app/vendor/b.js (warn: deps)"
        );
        assert_eq!(verdict.warnings[0].bytes, Some(10));
        // All of a warned category allowed: no warning.
        allow(&mut report, Category::Dependencies, &["vendor/a.js", "vendor/b.js"], 2, 20);
        assert!(evaluate(&report, &[], &settings).warnings.is_empty());
    }

    /// The examples are the largest files not allowed, so an allowed file too small to be
    /// among them is still subtracted from the "and N more" count.
    #[test]
    fn allowed_files_beyond_the_examples_are_not_counted_as_more() {
        let mut report = report_with_secrets(&["a/.env", "b/.env"], 5);
        allow(&mut report, Category::Secrets, &["config/master.key"], 1, 1);
        let verdict = evaluate(&report, &[], &settings(&[DenyItem::Secrets], &[]));
        let messages: Vec<&str> = verdict.violations.iter().map(|v| v.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "secret ships in the build context (denied: secrets)",
                "secret ships in the build context (denied: secrets)",
                "and 2 more secrets ship in the build context (denied: secrets; 4 files, 99 B \
                 in all)",
            ]
        );
        // More allowed than listed: the rest is counted.
        let mut report = report_with_secrets(&[], 150);
        allow(&mut report, Category::Secrets, &["k/1.key"], 150, 100);
        let verdict = evaluate(&report, &[], &settings(&[DenyItem::Secrets], &[]));
        assert!(verdict.passed());
        assert_eq!(verdict.allowed.len(), 1);
        assert_eq!(
            verdict.allowed_unlisted,
            [AllowedUnlisted { category: DenyItem::Secrets, files: 149 }]
        );
    }

    fn report_with_secrets(examples: &[&str], files: u64) -> ScanReport {
        report(100, files, &[(Category::Secrets, files, 100, examples)])
    }

    #[test]
    fn paths_are_joined_to_the_context() {
        let mut report = report_with_secrets(&[".env"], 1);
        for (context, expected) in [
            ("services/api", "services/api/.env"),
            ("services/api/", "services/api/.env"),
            ("./ctx", "./ctx/.env"),
            ("/abs/ctx", "/abs/ctx/.env"),
            ("/", "/.env"),
            (".", ".env"),
        ] {
            report.context = context.into();
            let verdict = evaluate(&report, &[], &settings(&[DenyItem::Secrets], &[]));
            assert_eq!(
                verdict.violations[0].path.as_ref().and_then(RawPath::to_str),
                Some(expected),
                "{context}"
            );
        }
        report.context = "ctx".into();
        report.ignore_file = None;
        let verdict = evaluate(&report, &[], &settings(&[], &[]));
        assert_eq!(verdict.fallback_file(), "ctx/.dockerignore");
        report.ignore_file = Some("docker/api.Dockerfile.dockerignore".into());
        let verdict = evaluate(&report, &[], &settings(&[], &[]));
        assert_eq!(verdict.fallback_file(), "docker/api.Dockerfile.dockerignore");
    }

    #[test]
    fn warned_categories_do_not_fail() {
        let report = every_category();
        let verdict = evaluate(&report, &[], &settings(&[], &[DenyItem::Vcs, DenyItem::Deps]));
        assert!(verdict.passed());
        assert_eq!(
            verdict.warnings,
            vec![
                Violation {
                    kind: ViolationKind::Warn(DenyItem::Vcs),
                    message: "1 VCS file ships in the build context, e.g. .git/HEAD (warn: vcs)"
                        .to_owned(),
                    path: None,
                    line: None,
                    bytes: Some(10),
                },
                Violation {
                    kind: ViolationKind::Warn(DenyItem::Deps),
                    message: "1 dependency file ships in the build context, \
                              e.g. node_modules/a.js (warn: deps)"
                        .to_owned(),
                    path: None,
                    line: None,
                    bytes: Some(10),
                },
            ]
        );
    }

    #[test]
    fn default_settings_fail_on_secrets_and_warn_on_vcs_and_deps() {
        let defaults = resolve(None, FlagSettings::default());
        let mut report = every_category();
        let verdict = evaluate(&report, &[], &defaults);
        assert!(!verdict.passed());
        assert_eq!(verdict.violations.len(), 1);
        assert_eq!(verdict.violations[0].kind, "deny:secrets");
        let kinds: Vec<_> = verdict.warnings.iter().map(|w| w.kind).collect();
        assert_eq!(kinds, ["warn:vcs", "warn:deps"]);
        // Without the secret, the same context passes with its warnings.
        report.categories[Category::Secrets.index()].files = 0;
        report.categories[Category::Secrets.index()].bytes = 0;
        report.categories[Category::Secrets.index()].examples.clear();
        let verdict = evaluate(&report, &[], &defaults);
        assert!(verdict.passed());
        assert_eq!(verdict.warnings.len(), 2);
    }

    #[test]
    fn denied_lint_fails_on_a_finding() {
        let report = report(10, 1, &[]);
        let findings = [finding(3, Severity::Warning)];
        let verdict = evaluate(&report, &findings, &settings(&[DenyItem::Lint], &[]));
        assert!(!verdict.passed());
        assert_eq!(
            verdict.violations,
            vec![Violation {
                kind: ViolationKind::Deny(DenyItem::Lint),
                message: "`*.log # logs` is one pattern (inline-comment)".to_owned(),
                path: Some(".dockerignore".into()),
                line: Some(3),
                bytes: None,
            }]
        );
        let errors = [finding(1, Severity::Error)];
        assert!(!evaluate(&report, &errors, &settings(&[DenyItem::Lint], &[])).passed());
        // An info finding is only a warning, even denied.
        let infos = [finding(2, Severity::Info)];
        let verdict = evaluate(&report, &infos, &settings(&[DenyItem::Lint], &[]));
        assert!(verdict.passed());
        assert_eq!(verdict.warnings.len(), 1);
        assert_eq!(verdict.warnings[0].kind, "warn:lint");
        assert_eq!(verdict.warnings[0].line, Some(2));
    }

    #[test]
    fn lint_not_denied_does_not_fail() {
        let report = report(10, 1, &[]);
        let findings = [finding(3, Severity::Error), finding(4, Severity::Warning)];
        let verdict = evaluate(&report, &findings, &settings(&[DenyItem::Secrets], &[]));
        assert!(verdict.passed());
        assert!(verdict.warnings.is_empty());
        let verdict = evaluate(&report, &findings, &settings(&[], &[DenyItem::Lint]));
        assert!(verdict.passed());
        let lines: Vec<_> = verdict.warnings.iter().map(|w| (w.kind.name(), w.line)).collect();
        assert_eq!(lines, [("warn:lint", Some(3)), ("warn:lint", Some(4))]);
    }

    #[test]
    fn lint_findings_convert_with_their_fix() {
        let finding = crate::lint::Finding {
            line: 7,
            name: crate::lint::Check::TrailingSlash,
            severity: Severity::Info,
            message: "`dist/` is the same as `dist`".to_owned(),
            fix: "write `dist`".to_owned(),
        };
        assert_eq!(
            LintFinding::from_lint(&"ctx/.dockerignore".into(), &finding),
            LintFinding {
                file: "ctx/.dockerignore".into(),
                line: 7,
                rule: crate::lint::Check::TrailingSlash,
                message: "`dist/` is the same as `dist`; fix: write `dist`".to_owned(),
                severity: Severity::Info,
            }
        );
    }
}
