//! `scan`: one walk that measures the context, what ships, where the bytes are, the project
//! type, and what a proper `.dockerignore` would save.

pub mod allow;
pub mod build_output;
pub mod categories;
pub mod largest;
pub mod probe;
pub mod proposal;
pub mod report;
pub mod tally;

use categories::{Categorizer, Category};
use proposal::{Candidates, Proposal};
use report::{
    AllowedAmount, CategoryAmount, Directories, InstructionAmount, PathAmount, PathBytes, Project,
    SCHEMA_VERSION, ScanReport, SourceCause, Totals, Transfer, Warning, WarningKind,
};
use tally::{ScanSettings, ScanTally};

use crate::bits::{Bits, SourceBits};
use crate::build::{Build, BuildSettings};
use crate::context::BuildContext;
use crate::detect;
use crate::dockerfile::ContextSource;
use crate::numbers as text;
use crate::raw_path::RawPath;
use crate::rules::Step;
use crate::rules::{PatternSet, RuleSet, path};
use crate::templates::ProjectKind;
use crate::walk::{self, Entry, Seen, Tally, WalkError, WalkIssue, WalkOptions};
use probe::{MAX_SELECTORS, Probed, Probes};

/// A context larger than this earns a warning.
pub const LARGE_CONTEXT_BYTES: u64 = 100 * 1000 * 1000;

/// How to scan.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub threads: usize,
    /// Depth of the heaviest-directories view.
    pub depth: usize,
    /// Length of the heaviest-directories and largest-files lists.
    pub top: usize,
    /// Project types to propose rules for, instead of the detected ones.
    pub kinds: Option<Vec<ProjectKind>>,
    /// How the Dockerfile is read: target, build arguments, platform.
    pub build: BuildSettings,
    /// Counters the walk keeps up to date, for a progress display the caller runs.
    pub progress: Option<std::sync::Arc<crate::walk::Counters>>,
    /// Measure the template rules for a proposal.
    pub propose: bool,
    /// More candidate rules to measure beside the templates' (e.g. converted from
    /// `.gitignore`); they apply whatever the project type.
    pub extra_candidates: Vec<crate::templates::TemplateRule>,
    /// Propose rules for local files even where they remove files git tracks.
    pub include_tracked: bool,
    /// Measure as if `.dockerignore` existed at the root when no ignore file does: `init`
    /// is about to write it, and its proposal must hold once it is there (a second run then
    /// changes nothing).
    pub assume_ignore_file: bool,
    /// Walk into directories BuildKit prunes, to measure what is on disk and excluded.
    /// Without it (as `check` does when it needs no such figure) those totals only count the
    /// pruned directories themselves, and the walk costs what `ls` costs.
    pub measure_excluded: bool,
    /// Files `check` is told are shipped on purpose: each category counts them apart, as
    /// [`CategoryAmount::allowed`].
    pub allow: crate::scan::allow::AllowList,
    /// Measure every directory down to `depth`, for the context and the transfer, into
    /// [`ScanReport::directories`] (a baseline records them to explain later growth).
    pub directories: bool,
}

impl Default for ScanOptions {
    /// Measures only what ships: the pruned walk, no proposal, no lists, no spinner.
    fn default() -> ScanOptions {
        ScanOptions {
            threads: 0,
            depth: 1,
            top: 0,
            kinds: None,
            build: BuildSettings::default(),
            progress: None,
            measure_excluded: false,
            extra_candidates: Vec::new(),
            propose: false,
            assume_ignore_file: false,
            include_tracked: false,
            allow: Default::default(),
            directories: false,
        }
    }
}

/// Scans a context in one walk: reads the inputs, walks with the scan's probes, then builds
/// the report section by section.
pub fn scan(
    context: &BuildContext,
    options: &ScanOptions,
) -> Result<(ScanReport, Vec<WalkIssue>), WalkError> {
    let mut scanned = scan_together(&[(context, options)])?;
    Ok(scanned.pop().expect("one report per build"))
}

/// Scans several builds of one context in one walk, each as [`scan`] scans it alone: every
/// build's Dockerfile sources are probed in the same pass, and each build has a tally of
/// its own. The builds must share what decides the walk: the context's root and the ignore
/// file's rules (so each entry's fate is the same for all), and options other than how the
/// Dockerfile is read (so the candidate rules are the same); the walk's options are the
/// first build's.
pub fn scan_together(
    builds: &[(&BuildContext, &ScanOptions)],
) -> Result<Vec<(ScanReport, Vec<WalkIssue>)>, WalkError> {
    let Some(&(first, first_options)) = builds.first() else { return Ok(Vec::new()) };
    let mut inputs: Vec<Inputs> =
        builds.iter().map(|(context, options)| Inputs::read(context, options)).collect();
    let warnings: Vec<Vec<Warning>> =
        inputs.iter_mut().map(|i| std::mem::take(&mut i.warnings)).collect();
    let lint_sets: Vec<LintSets<'_>> = inputs.iter().map(|i| i.lint.pattern_sets()).collect();
    let candidate_sets: Vec<PatternSet<'_>> =
        inputs.iter().map(|i| PatternSet::new(&i.candidates.rules)).collect();
    let hits = PatternSet::new(&first.rules);
    let probes: Vec<Probes<'_>> = inputs
        .iter()
        .zip(&candidate_sets)
        .map(|(inputs, candidate_set)| Probes {
            hits: (!first.rules.is_empty()).then_some(&hits),
            hits_always: exception_bits(&first.rules),
            candidates: (!inputs.candidates.list.is_empty()).then_some(candidate_set),
            sources: inputs.selected_sources(),
        })
        .collect();
    let categorizer = Categorizer::new();
    let settings: Vec<ScanSettings<'_>> = (0..builds.len())
        .map(|k| {
            let (context, options) = builds[k];
            inputs[k].settings(context, options, &probes[k], &lint_sets[k], &categorizer)
        })
        .collect();
    let walked = walk_context(first, first_options, &settings)?;
    let mut scanned = Vec::with_capacity(builds.len());
    let parts = inputs.iter().zip(warnings).zip(walked.tally.tallies).enumerate();
    for (k, ((inputs, warnings), mut tally)) in parts {
        let (context, options) = builds[k];
        if options.assume_ignore_file && context.ignore_file.is_none() {
            add_ignore_file_to_be_written(&mut tally, &candidate_sets[k], probes[k].sources);
        }
        let walk_facts = (&walked.issues[..], &walked.unreadable_files[..]);
        let report = report(context, options, inputs, warnings, &tally, walk_facts);
        scanned.push((report, walked.issues.clone()));
    }
    Ok(scanned)
}

/// The report of one build, section by section, from its tally and what the walk could not
/// read (`issues`, `unreadable_files`).
fn report(
    context: &BuildContext,
    options: &ScanOptions,
    inputs: &Inputs,
    mut warnings: Vec<Warning>,
    tally: &ScanTally<'_>,
    (issues, unreadable_files): (&[WalkIssue], &[Box<[u8]>]),
) -> ScanReport {
    let (detections, proposal) = propose(context, options, inputs, tally);
    let workspace_dirs: Vec<Option<String>> =
        detect::workspaces(&detections, |path| read_manifest(&context.root, path))
            .into_iter()
            .map(|w| w.map(|w| detections[w].dir.clone()))
            .collect();
    let repeated = proposal::repeated(tally, |_| false);
    let (shipped, transferred) = proposal::deduplicated(tally, repeated);
    let transfer = inputs.parsed().then(|| Transfer {
        whole_context: inputs.views.whole_context,
        amount: transferred,
        hard_linked: repeated.1,
        categories: category_amounts(&tally.transfer_categories),
    });
    let categories = category_amounts(&tally.categories);
    let lint = lint_findings(context, options, &inputs.sources, tally);
    add_warnings(&mut warnings, &categories, shipped, &proposal, transfer.as_ref());
    if let Some(dockerfile) = &inputs.build.dockerfile {
        add_broad_copy_warnings(&mut warnings, dockerfile, &inputs.sources, tally);
    }
    add_unreadable_warning(&mut warnings, unreadable_files);
    let unavailable_sources = unavailable(&inputs.sources, tally);
    add_unavailable_warnings(&mut warnings, &unavailable_sources);

    ScanReport {
        schema_version: SCHEMA_VERSION,
        context: RawPath::from_path(&context.root),
        ignore_file: context.ignore_file.as_ref().map(|f| RawPath::from_path(&f.shown)),
        dockerfile: inputs.build.path.clone().map(|p| RawPath::from_path(&p)),
        totals: Totals {
            on_disk: tally.on_disk,
            excluded: tally.excluded,
            shipped,
            emptied: tally.emptied,
            hard_linked: repeated.0,
        },
        heaviest_dirs: heaviest_dirs(tally, options.top),
        directories: options.directories.then(|| directories(tally)),
        largest_files: largest_files(tally),
        categories,
        projects: projects(detections, workspace_dirs),
        services: services(tally),
        proposal,
        instructions: instructions(&inputs.sources, tally),
        transfer,
        unavailable_sources,
        warnings,
        lint,
        incomplete: issues.iter().map(|i| RawPath::from_path(&i.path)).collect(),
    }
}

/// What a scan reads before it walks.
struct Inputs {
    build: Build,
    sources: Vec<ContextSource>,
    candidates: Candidates,
    /// Which sources make up the transfer (see [`tally::Views`]).
    views: tally::Views,
    /// Git's index, to keep rules for local files off the files a repository keeps (and
    /// lint's advice on one-segment rules off tracked source).
    tracked: Option<crate::git::Tracked>,
    lint: LintRules,
    /// The candidates meant for generated or local files.
    local_candidates: Bits,
    warnings: Vec<Warning>,
}

impl Inputs {
    fn read(context: &BuildContext, options: &ScanOptions) -> Inputs {
        let mut warnings = Vec::new();
        let build = Build::read(context, &options.build);
        if let Some(problem) = &build.problem {
            warnings.push(Warning {
                kind: WarningKind::Dockerfile,
                message: problem.clone(),
                paths: Vec::new(),
            });
        }
        let sources = build.sources();
        let candidates = if options.propose {
            Candidates::from_templates(&context.rules, &options.extra_candidates)
        } else {
            Candidates::none()
        };
        let mut views = views_of(&sources);
        // Without a Dockerfile to read, the question is the one the tool started from: what a
        // `COPY . .` ships.
        views.whole_context |= build.dockerfile.is_none();
        let tracked = if options.propose || !context.rules.is_empty() {
            git_index(context, &mut warnings)
        } else {
            None
        };
        let mut local_candidates = Bits::EMPTY;
        for (index, candidate) in candidates.list.iter().enumerate() {
            if candidate.rule.targets == crate::templates::Targets::Local {
                local_candidates.set(index);
            }
        }
        let lint = LintRules::new(&context.rules);
        Inputs { build, sources, candidates, views, tracked, lint, local_candidates, warnings }
    }

    /// Whether a Dockerfile was read.
    fn parsed(&self) -> bool {
        self.build.dockerfile.is_some()
    }

    /// The sources the walk probes, one selector each.
    fn selected_sources(&self) -> &[ContextSource] {
        &self.sources[..self.sources.len().min(MAX_SELECTORS)]
    }

    /// What the scan's tally needs while it walks.
    fn settings<'a>(
        &'a self,
        context: &'a BuildContext,
        options: &'a ScanOptions,
        probes: &'a Probes<'a>,
        lint: &'a LintSets<'a>,
        categorizer: &'a Categorizer,
    ) -> ScanSettings<'a> {
        let complete = |set: &'a RuleSet, count: usize| set.rules().len() == count && count > 0;
        ScanSettings {
            probes,
            bare_names: complete(&self.lint.names, self.lint.name_index.len())
                .then_some((&lint.names, self.lint.name_index.as_slice())),
            except_names: complete(&self.lint.except, self.lint.except_index.len())
                .then_some((&lint.except, self.lint.except_index.as_slice())),
            deep_names: complete(&self.lint.deep, self.lint.deep_index.len())
                .then_some((&lint.deep, self.lint.deep_index.as_slice())),
            exceptions: probes.hits_always,
            root: &context.root,
            categorizer,
            allow: &options.allow,
            depth: options.depth,
            transfer_dirs: options.directories,
            top: options.top,
            sources: &self.sources,
            views: self.views,
            tracked: self.tracked.as_ref(),
            local_candidates: self.local_candidates,
            propose: options.propose,
            wildcard_sources: self
                .selected_sources()
                .iter()
                .enumerate()
                .filter(|(_, s)| s.wildcard_dir().is_some_and(|dir| !dir.is_empty()))
                .fold(SourceBits::EMPTY, |mask, (bit, _)| mask | SourceBits::single(bit)),
            is_marker: &|path: &[u8]| {
                let name = path::name(path);
                (detect::is_marker_name(name) || is_dockerfile_name(name))
                    && !detect::is_inside_skipped_dir(path)
            },
        }
    }
}

/// Git's index of the context's work tree, if any; a warning when it cannot be read.
fn git_index(context: &BuildContext, warnings: &mut Vec<Warning>) -> Option<crate::git::Tracked> {
    match crate::git::Tracked::open(&context.root) {
        Ok(tracked) => tracked,
        Err(error) => {
            warnings.push(Warning {
                kind: WarningKind::Git,
                message: format!(
                    "{error}; rules are proposed without knowing which files git tracks"
                ),
                paths: Vec::new(),
            });
            None
        }
    }
}

/// The user's exception rules, as bits (the first [`crate::bits::CAPACITY`] rules).
fn exception_bits(rules: &RuleSet) -> Bits {
    let mut exceptions = Bits::EMPTY;
    for (index, rule) in rules.rules().iter().enumerate().take(crate::bits::CAPACITY) {
        if rule.exception {
            exceptions.set(index);
        }
    }
    exceptions
}

/// The rules anchored without `**`, in sets of their own, for what lint reports: a match
/// deeper than the rule's own depth. One-segment rules (`node_modules`, `*.log`) are
/// tested on an entry's name, the others as `**/RULE` on its path; each set uses its
/// lookups (exact names by hash, `*.log` by extension), not one rule after another.
struct LintRules {
    names: RuleSet,
    /// Each one-segment rule's index in the ignore file.
    name_index: Vec<usize>,
    deep: RuleSet,
    /// Each deeper rule's index in the ignore file, and its number of segments.
    deep_index: Vec<(usize, usize)>,
    except: RuleSet,
    /// Each one-segment exception's index in the ignore file.
    except_index: Vec<usize>,
}

/// [`LintRules`] ready to be tested on paths.
struct LintSets<'a> {
    names: PatternSet<'a>,
    deep: PatternSet<'a>,
    except: PatternSet<'a>,
}

impl LintRules {
    fn new(rules: &RuleSet) -> LintRules {
        let rule_set = |lines: &[String]| {
            RuleSet::from_ignore_file(lines.concat().as_bytes())
                .unwrap_or_else(|_| RuleSet::empty())
        };
        let (mut names, mut deep) = (Vec::new(), Vec::new());
        for index in crate::lint::bare_names(rules) {
            let text = &rules.rules()[index].text;
            let segments = text.split('/').count();
            if segments == 1 {
                names.push((index, format!("{text}\n")));
            } else {
                deep.push(((index, segments), format!("**/{text}\n")));
            }
        }
        let except_index = crate::lint::bare_exceptions(rules);
        let except_lines: Vec<String> =
            except_index.iter().map(|&i| format!("{}\n", rules.rules()[i].text)).collect();
        LintRules {
            names: rule_set(&names.iter().map(|(_, line)| line.clone()).collect::<Vec<_>>()),
            name_index: names.iter().map(|(index, _)| *index).collect(),
            deep: rule_set(&deep.iter().map(|(_, line)| line.clone()).collect::<Vec<_>>()),
            deep_index: deep.iter().map(|(at, _)| *at).collect(),
            except: rule_set(&except_lines),
            except_index,
        }
    }

    fn pattern_sets(&self) -> LintSets<'_> {
        LintSets {
            names: PatternSet::new(&self.names),
            deep: PatternSet::new(&self.deep),
            except: PatternSet::new(&self.except),
        }
    }
}

/// The walk, updating the caller's counters (for its progress display) when it gave some:
/// one tally per build, each thread holding one of each.
fn walk_context<'a>(
    context: &BuildContext,
    options: &ScanOptions,
    settings: &'a [ScanSettings<'a>],
) -> Result<walk::Walked<Together<'a>>, WalkError> {
    let walk_options = WalkOptions {
        threads: options.threads,
        descend_pruned: options.measure_excluded,
        sizes_shipped: true,
        sizes_excluded: true,
        counters: options.progress.as_deref(),
    };
    let new_tally = || Together { tallies: settings.iter().map(ScanTally::new).collect() };
    walk::walk(context, walk_options, &new_tally)
}

/// The tallies of builds that share a walk. They share its state too: the candidate rules
/// that would remove an entry depend only on the rules and candidates, which such builds
/// share (see [`scan_together`]), so the first tally's state serves all.
struct Together<'a> {
    tallies: Vec<ScanTally<'a>>,
}

impl Tally for Together<'_> {
    type State = Bits;

    fn uses_state(&self) -> bool {
        self.tallies.first().is_some_and(Tally::uses_state)
    }

    fn state(&self, parent: &Bits, path: &[u8], step: &Step) -> Bits {
        self.tallies.first().map_or(Bits::EMPTY, |tally| tally.state(parent, path, step))
    }

    /// Probes the entry once: every answer but the Dockerfile sources' is the same for all
    /// builds (the rules, the candidates and lint's rule hits are shared), so the other
    /// builds only ask their own sources.
    fn add(&mut self, entry: Entry<&[u8]>, seen: Seen<'_, Bits>) {
        let Some((first, others)) = self.tallies.split_first_mut() else { return };
        let mut probed = Probed::default();
        first.probe(&entry, &seen, &mut probed);
        first.add_probed(entry.clone(), &probed);
        for tally in others {
            let mut own = Probed {
                selected_by: SourceBits::EMPTY,
                named_by: SourceBits::EMPTY,
                leads_by: SourceBits::EMPTY,
                ..probed
            };
            own.select(tally.selected_sources(), entry.path);
            tally.add_probed(entry.clone(), &own);
        }
    }

    fn merge(&mut self, other: Self) {
        for (tally, other) in self.tallies.iter_mut().zip(other.tallies) {
            tally.merge(other);
        }
    }
}

/// The projects detected and the proposal for them (or for the kinds asked for).
fn propose(
    context: &BuildContext,
    options: &ScanOptions,
    inputs: &Inputs,
    tally: &ScanTally<'_>,
) -> (Vec<detect::Detection>, Proposal) {
    let detections =
        detect::detect(tally.markers.iter().map(Vec::as_slice).filter(|p| !is_dockerfile_path(p)));
    let kinds: Vec<ProjectKind> = match &options.kinds {
        Some(kinds) => kinds.clone(),
        None => {
            let mut kinds: Vec<ProjectKind> = detections.iter().map(|d| d.kind).collect();
            kinds.sort();
            kinds.dedup();
            kinds
        }
    };
    // Builds that can rebuild output: in a stage the target needs that reads the context.
    let runs: Vec<_> = inputs
        .build
        .dockerfile
        .iter()
        .flat_map(|d| d.build_runs().into_iter().filter(|run| d.stage_reads_context(run.stage)))
        .collect();
    let facts = proposal::Facts {
        current: &context.rules,
        sources: &inputs.sources,
        detections: &detections,
        runs: inputs.parsed().then_some(runs.as_slice()),
        include_tracked: options.include_tracked,
    };
    let proposal = Proposal::evaluate(&inputs.candidates, &kinds, tally, &facts);
    (detections, proposal)
}

fn projects(
    detections: Vec<detect::Detection>,
    workspace_dirs: Vec<Option<String>>,
) -> Vec<Project> {
    detections
        .into_iter()
        .zip(workspace_dirs)
        .map(|(d, workspace)| Project {
            kind: d.kind,
            dir: d.dir,
            tool: d.tool,
            evidence: d.evidence,
            workspace,
        })
        .collect()
}

/// Dockerfiles below the root: services of their own.
fn services(tally: &ScanTally<'_>) -> Vec<RawPath> {
    let mut services: Vec<RawPath> = tally
        .markers
        .iter()
        .filter(|p| is_dockerfile_path(p) && p.contains(&b'/'))
        .map(|p| RawPath::from(&p[..]))
        .collect();
    services.sort();
    services
}

fn heaviest_dirs(tally: &ScanTally<'_>, top: usize) -> Vec<PathAmount> {
    let mut heaviest: Vec<PathAmount> = tally
        .dirs
        .iter()
        .map(|(path, amount)| PathAmount {
            path: RawPath::from(&path[..]),
            files: amount.files,
            bytes: amount.bytes,
        })
        .collect();
    heaviest.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.path.cmp(&b.path)));
    heaviest.truncate(top);
    heaviest
}

/// Every measured directory of both views, sorted by path.
fn directories(tally: &ScanTally<'_>) -> Directories {
    let sorted = |dirs: &rustc_hash::FxHashMap<Vec<u8>, tally::Amount>| {
        let mut list: Vec<PathAmount> = dirs
            .iter()
            .map(|(path, amount)| PathAmount {
                path: RawPath::from(&path[..]),
                files: amount.files,
                bytes: amount.bytes,
            })
            .collect();
        list.sort_by(|a, b| a.path.cmp(&b.path));
        list
    };
    Directories { context: sorted(&tally.dirs), transfer: sorted(&tally.transfer_dirs) }
}

fn largest_files(tally: &ScanTally<'_>) -> Vec<PathBytes> {
    tally
        .largest
        .sorted()
        .into_iter()
        .map(|(bytes, path)| PathBytes { path: RawPath::from(path), bytes })
        .collect()
}

/// What each source the walk probed selects.
fn instructions(sources: &[ContextSource], tally: &ScanTally<'_>) -> Vec<InstructionAmount> {
    sources
        .iter()
        .take(MAX_SELECTORS)
        .enumerate()
        .map(|(bit, source)| InstructionAmount {
            line: source.line,
            instruction: source.instruction.to_string(),
            source: source.written.clone(),
            needed: source.needed,
            files: tally.selected[bit].files,
            bytes: tally.selected[bit].bytes,
            unresolved: source.unresolved.clone(),
        })
        .collect()
}

/// Lint's findings: on the rules alone, and on what the walk saw.
fn lint_findings(
    context: &BuildContext,
    options: &ScanOptions,
    sources: &[ContextSource],
    tally: &ScanTally<'_>,
) -> Vec<crate::lint::Finding> {
    if context.rules.is_empty() {
        return Vec::new();
    }
    let facts = crate::lint::TreeFacts {
        hits_walked: tally.hits_walked,
        hits_pruned: tally.hits_pruned,
        nested_bare: sorted(&tally.nested_bare),
        nested_exceptions: sorted(&tally.nested_exceptions),
        exception_misses: sorted(&tally.exception_misses),
        needed_excluded: tally.needed_excluded(),
    };
    let refs: Vec<crate::lint::SourceRef> = sources
        .iter()
        .take(MAX_SELECTORS)
        .map(|s| crate::lint::SourceRef {
            line: s.line,
            instruction: s.instruction.to_string(),
            written: s.written.clone(),
        })
        .collect();
    let mut all = crate::lint::lint_rules(&context.rules);
    all.extend(crate::lint::lint_tree(&context.rules, &facts, &refs, options.measure_excluded));
    all.sort_by(|a, b| a.line.cmp(&b.line).then(a.name.cmp(&b.name)));
    all
}

/// Files BuildKit cannot read: it sends them empty.
fn add_unreadable_warning(warnings: &mut Vec<Warning>, unreadable_files: &[Box<[u8]>]) {
    if !unreadable_files.is_empty() {
        let n = unreadable_files.len();
        let (it, they, are, empty) = if n == 1 {
            ("it", "it", "is", "an empty file")
        } else {
            ("them", "they", "are", "empty files")
        };
        warnings.push(Warning {
            kind: WarningKind::Unreadable,
            message: format!(
                "{} in the context cannot be read: BuildKit sends {it} as {empty} and the \
                 build goes on; make {it} readable, or exclude {it} if {they} {are} not needed",
                text::files(n as u64)
            ),
            paths: unreadable_files.iter().map(|p| RawPath::from(&p[..])).collect(),
        });
    }
}

/// Sources whose paths do not reach the builder: the build fails.
fn add_unavailable_warnings(
    warnings: &mut Vec<Warning>,
    unavailable_sources: &[report::UnavailableSource],
) {
    for source in unavailable_sources {
        warnings.push(Warning {
            kind: WarningKind::BuildFails,
            message: format!(
                "{} {} at line {} {}: docker build fails with \"not found\"",
                source.instruction,
                source.source,
                source.line,
                match source.cause {
                    SourceCause::Excluded => "names only what the ignore file excludes",
                    SourceCause::Missing => "matches nothing in the context",
                }
            ),
            paths: Vec::new(),
        });
    }
}

/// The report's categories, in [`Category::ALL`] order, from one view of a tally, with the
/// allowed files among them.
fn category_amounts(by: &tally::ByCategory) -> Vec<CategoryAmount> {
    let tally::ByCategory { amounts, examples, allowed, allowed_examples } = by;
    let paths = |largest: &largest::Largest| {
        largest.sorted().iter().map(|(_, p)| RawPath::from(*p)).collect::<Vec<_>>()
    };
    Category::ALL
        .iter()
        .map(|&category| {
            let amount = amounts[category.index()];
            CategoryAmount {
                category,
                label: category.label(),
                files: amount.files,
                bytes: amount.bytes,
                examples: paths(&examples[category.index()]),
                allowed: AllowedAmount {
                    files: allowed[category.index()].files,
                    bytes: allowed[category.index()].bytes,
                    examples: paths(&allowed_examples[category.index()]),
                },
            }
        })
        .collect()
}

/// Adds the `.dockerignore` that `init` is about to create to the tally, as the walk would
/// have seen it: a file at the root (its length is not known yet, so 0 bytes), kept by the
/// rules (there are none), probed by the candidates and the selectors.
fn add_ignore_file_to_be_written(
    tally: &mut ScanTally<'_>,
    candidates: &PatternSet<'_>,
    sources: &[ContextSource],
) {
    use crate::rules::Fate;
    use crate::walk::{Entry, EntryKind};
    let path: &[u8] = b".dockerignore";
    let mut probed =
        Probed { removed_by: candidates.matching(path, Bits::EMPTY), ..Probed::default() };
    probed.select(sources, path);
    let entry = Entry { path, kind: EntryKind::File, size: 0, fate: Fate::Shipped };
    tally.add_probed(entry, &probed);
}

/// The needed sources whose named paths do not reach the builder. A source with a variable
/// of unknown value may name anything, and is left out.
fn unavailable(sources: &[ContextSource], tally: &ScanTally<'_>) -> Vec<report::UnavailableSource> {
    let excluded: Vec<usize> = tally.needed_excluded().iter().map(|(bit, _, _)| *bit).collect();
    sources
        .iter()
        .enumerate()
        .take(MAX_SELECTORS)
        .filter(|(bit, s)| {
            s.needed && !s.is_root && s.unresolved.is_empty() && !tally.source_available(*bit)
        })
        .map(|(bit, s)| report::UnavailableSource {
            line: s.line,
            instruction: s.instruction.to_string(),
            source: s.written.clone(),
            cause: if excluded.contains(&bit) {
                SourceCause::Excluded
            } else {
                SourceCause::Missing
            },
        })
        .collect()
}

/// Which sources make up the transfer and which must stay available (see [`tally::Views`]).
fn views_of(sources: &[ContextSource]) -> tally::Views {
    let mut views = tally::Views::default();
    for (bit, source) in sources.iter().take(MAX_SELECTORS).enumerate() {
        if source.needed {
            views.transfer_mask.set(bit);
            if source.is_root {
                views.whole_context = true;
            } else {
                views.protect_mask.set(bit);
            }
        }
    }
    views
}

fn sorted<V: Clone>(map: &rustc_hash::FxHashMap<usize, V>) -> Vec<(usize, V)> {
    let mut list: Vec<(usize, V)> = map.iter().map(|(k, v)| (*k, v.clone())).collect();
    list.sort_by_key(|(k, _)| *k);
    list
}

fn add_warnings(
    warnings: &mut Vec<Warning>,
    categories: &[CategoryAmount],
    shipped: tally::Amount,
    proposal: &Proposal,
    transfer: Option<&Transfer>,
) {
    // With a Dockerfile that names its sources, what matters is what it sends; what only a
    // `COPY . .` would ship is said once, for secrets.
    let narrow = transfer.filter(|t| !t.whole_context);
    add_secret_warnings(warnings, categories, narrow);
    add_category_warnings(warnings, categories, narrow);
    let large = narrow.map_or(shipped, |t| t.amount);
    if large.bytes > LARGE_CONTEXT_BYTES {
        let what = if narrow.is_some() { "docker build sends" } else { "the context is" };
        warnings.push(Warning {
            kind: WarningKind::LargeContext,
            message: format!("{what} {}", text::size(large.bytes)),
            paths: Vec::new(),
        });
    }
    // Build output left alone, and rules other rules make redundant, are said once, in the
    // proposal: nothing is at stake.
    let worth_a_warning = |d: &&proposal::DroppedRule| {
        d.template != build_output::TEMPLATE && !d.needed_path.is_empty()
    };
    for dropped in proposal.dropped.iter().filter(worth_a_warning) {
        warnings.push(Warning {
            kind: WarningKind::DroppedRules,
            message: format!(
                "`{}` is not proposed: {}: {}",
                dropped.pattern,
                dropped.reason,
                crate::escape::escape_path(dropped.needed_path.as_bytes())
            ),
            paths: Vec::new(),
        });
    }
}

/// The category `narrow` sends, or the whole context's without a narrower transfer.
fn sent<'a>(
    categories: &'a [CategoryAmount],
    narrow: Option<&'a Transfer>,
    category: Category,
) -> &'a CategoryAmount {
    match narrow {
        Some(transfer) => &transfer.categories[category.index()],
        None => &categories[category.index()],
    }
}

/// Files that look like secrets: what is sent, and what only a `COPY . .` would send.
fn add_secret_warnings(
    warnings: &mut Vec<Warning>,
    categories: &[CategoryAmount],
    narrow: Option<&Transfer>,
) {
    let secrets = sent(categories, narrow, Category::Secrets);
    if secrets.files > 0 {
        warnings.push(Warning {
            kind: WarningKind::Secrets,
            message: format!(
                "{} that {} {} (names only; contents are never shown)",
                text::files(secrets.files),
                like_secrets(secrets.files),
                if narrow.is_some() { "sent to the builder" } else { "in the context" },
            ),
            paths: secrets.examples.clone(),
        });
    }
    let in_context = &categories[Category::Secrets.index()];
    if narrow.is_some() && in_context.files > secrets.files {
        let examples: Vec<RawPath> =
            in_context.examples.iter().filter(|p| !secrets.examples.contains(p)).cloned().collect();
        warnings.push(Warning {
            kind: WarningKind::SecretsInContext,
            message: format!(
                "{} that {} in the context: this Dockerfile does not send {}, a `COPY . .` \
                 would (`ctxsize ls --transfer` lists what it sends)",
                text::files(in_context.files - secrets.files),
                like_secrets(in_context.files - secrets.files),
                if in_context.files - secrets.files == 1 { "it" } else { "them" },
            ),
            paths: examples,
        });
    }
}

/// Version control data and dependency directories that are sent.
fn add_category_warnings(
    warnings: &mut Vec<Warning>,
    categories: &[CategoryAmount],
    narrow: Option<&Transfer>,
) {
    let (sends, send) = if narrow.is_some() {
        ("docker build sends", "docker build sends")
    } else {
        ("ships", "ship")
    };
    let vcs = sent(categories, narrow, Category::Vcs);
    if vcs.files > 0 {
        warnings.push(Warning {
            kind: WarningKind::Vcs,
            message: format!(
                "version control data {sends}: {}, {}",
                text::files(vcs.files),
                text::size(vcs.bytes)
            ),
            paths: Vec::new(),
        });
    }
    let deps = sent(categories, narrow, Category::Dependencies);
    if deps.files > 0 {
        warnings.push(Warning {
            kind: WarningKind::Dependencies,
            message: format!(
                "dependency directories {send}: {}, {} (install them in the image instead)",
                text::files(deps.files),
                text::size(deps.bytes)
            ),
            paths: deps.examples.iter().take(5).cloned().collect(),
        });
    }
}

/// A `COPY .` (or any source that is the context root) in a stage the image is built from
/// puts the whole context into the image: worth narrowing when specific sources exist. In a
/// builder stage it is normal; it costs the transfer and that stage's cache, and the ignore
/// file is what keeps it small.
fn add_broad_copy_warnings(
    warnings: &mut Vec<Warning>,
    dockerfile: &crate::dockerfile::Dockerfile,
    sources: &[ContextSource],
    tally: &ScanTally<'_>,
) {
    let mut in_image = vec![false; dockerfile.stages.len()];
    let mut stage = Some(dockerfile.target);
    while let Some(index) = stage.filter(|&i| !in_image[i]) {
        in_image[index] = true;
        stage = dockerfile.stages[index].base_stage;
    }
    let broad =
        |image: bool| sources.iter().find(|s| s.needed && s.is_root && in_image[s.stage] == image);
    let named = sources.iter().filter(|s| s.needed && !s.is_root).count();
    if let Some(broad) = broad(true)
        && named > 0
        && tally.shipped.bytes > tally.named_any.bytes
    {
        warnings.push(Warning {
            kind: WarningKind::BroadCopy,
            message: format!(
                "{} {} at line {} puts the whole context into the image: {}, {}, {} more \
                 than the {} specific {}; narrow it to what the image needs, or \
                 exclude the rest",
                broad.instruction,
                broad.written,
                broad.line,
                text::files(tally.shipped.files),
                text::size(tally.shipped.bytes),
                text::size(tally.shipped.bytes - tally.named_any.bytes),
                named,
                text::noun(named as u64, "source names", "sources name")
            ),
            paths: Vec::new(),
        });
    }
    if let Some(broad) = broad(false) {
        let stage = &dockerfile.stages[broad.stage];
        let name = stage.name.clone().unwrap_or_else(|| stage.index.to_string());
        warnings.push(Warning {
            kind: WarningKind::BroadCopyBuilder,
            message: format!(
                "{} {} at line {} (build stage {name}, not in the image) makes docker build \
                 send the whole context: {}, {}; any change to any of it re-runs that stage \
                 from there. Normal for a builder stage: the ignore file is what keeps it \
                 small",
                broad.instruction,
                broad.written,
                broad.line,
                text::files(tally.shipped.files),
                text::size(tally.shipped.bytes),
            ),
            paths: Vec::new(),
        });
    }
}

/// `looks like a secret` or `look like secrets`, to follow a number of files.
/// The most bytes read from a manifest to tell a workspace (a `Cargo.toml`'s `[workspace]`
/// comes first in practice).
const MANIFEST_READ_LIMIT: u64 = 1 << 20;

/// A marker file's content, for [`detect::workspaces`].
fn read_manifest(root: &std::path::Path, path: &str) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut content = Vec::new();
    let file = std::fs::File::open(root.join(path)).ok()?;
    file.take(MANIFEST_READ_LIMIT).read_to_end(&mut content).ok()?;
    Some(content)
}

fn like_secrets(files: u64) -> &'static str {
    if files == 1 { "looks like a secret is" } else { "look like secrets are" }
}

fn is_dockerfile_name(name: &[u8]) -> bool {
    name == b"Dockerfile"
        || name == b"dockerfile"
        || name.starts_with(b"Dockerfile.") && !name.ends_with(b".dockerignore")
        || name.ends_with(b".Dockerfile")
        || name.ends_with(b".dockerfile")
}

fn is_dockerfile_path(path: &[u8]) -> bool {
    let name = path::name(path);
    is_dockerfile_name(name)
}
