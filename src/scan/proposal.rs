//! The `.dockerignore` proposal: template rules as candidates, measured in the scan's walk.
//!
//! Every template rule (for every ecosystem, so that detection can happen in the same walk)
//! is a candidate; the walk records, for each shipped entry, which candidates would exclude
//! it or empty its content if appended alone after the current rules. After the walk, the
//! candidates of the detected project types are kept if they remove something, take away
//! nothing a COPY, ADD or RUN --mount source names, and undo none of the user's exceptions.
//! Each is measured twice: against the context (what `COPY . .` ships) and against the
//! transfer (what this Dockerfile makes BuildKit send).

use serde::Serialize;

use super::build_output;
use super::probe::{MAX_CANDIDATES, MAX_SELECTORS};
use super::tally::{Amount, LinkName, OutputPlace, ScanTally};
use crate::bits::Bits;
use crate::detect::Detection;
use crate::dockerfile::{BuildRun, ContextSource};
use crate::raw_path::RawPath;
use crate::rules::{Kind, Pattern, RuleSet, ancestors};
use crate::templates::{self, ProjectKind, TemplateRule};

/// One candidate rule and where it comes from.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// `None` for the generic template.
    pub kind: Option<ProjectKind>,
    pub rule: TemplateRule,
}

/// All candidates, compiled.
pub struct Candidates {
    pub list: Vec<Candidate>,
    pub rules: RuleSet,
}

impl Candidates {
    /// No candidates (when no proposal is wanted).
    pub fn none() -> Candidates {
        Candidates { list: Vec::new(), rules: RuleSet::empty() }
    }

    /// The ordinary rules of every template (exceptions are not proposed: appended after the
    /// user's rules they could re-include what the user excluded), without duplicates and
    /// without rules the current ignore file already has.
    pub fn from_templates(current: &RuleSet, extra: &[TemplateRule]) -> Candidates {
        let mut list: Vec<Candidate> = Vec::new();
        let mut seen: Vec<String> =
            current.rules().iter().filter(|r| !r.exception).map(|r| r.text.clone()).collect();
        let sources = std::iter::once((None, templates::generic()))
            .chain(ProjectKind::ALL.iter().map(|&k| (Some(k), templates::template_for(k))))
            .map(|(kind, template)| (kind, templates::rules(&template)))
            .chain(std::iter::once((None, extra.to_vec())));
        for (kind, rules) in sources {
            for rule in rules {
                let Ok(parsed) = RuleSet::from_ignore_file(rule.pattern.as_bytes()) else {
                    continue;
                };
                let [only] = parsed.rules() else { continue };
                if only.exception || seen.contains(&only.text) || list.len() == MAX_CANDIDATES {
                    continue;
                }
                seen.push(only.text.clone());
                list.push(Candidate { kind, rule });
            }
        }
        let text: String = list.iter().map(|c| format!("{}\n", c.rule.pattern)).collect();
        let rules = RuleSet::from_ignore_file(text.as_bytes()).unwrap_or_else(|_| RuleSet::empty());
        debug_assert_eq!(rules.rules().len(), list.len());
        Candidates { list, rules }
    }
}

/// A rule the scan proposes, with what it removes beyond the current rules.
#[derive(Debug, Clone, Serialize)]
pub struct ProposedRule {
    pub template: &'static str,
    pub line: usize,
    pub pattern: String,
    pub reason: String,
    /// What the rule alone removes from the context, what a `COPY . .` ships (`bytes`
    /// include content it empties).
    pub removes: Amount,
    /// What the rule alone removes from what this Dockerfile makes BuildKit transfer. Zero
    /// for a rule about paths no source names: it only guards a `COPY . .` added later.
    pub removes_transfer: Amount,
}

impl ProposedRule {
    /// Whether the rule shrinks what this build transfers (else it is hygiene).
    pub fn shrinks_transfer(&self) -> bool {
        self.removes_transfer.files > 0 || self.removes_transfer.bytes > 0
    }
}

/// A rule that would have saved something but is not proposed, and why.
#[derive(Debug, Clone, Serialize)]
pub struct DroppedRule {
    pub template: &'static str,
    pub pattern: String,
    /// The path that stops it: one the Dockerfile names, or one an exception re-includes
    /// (the rule's own pattern for a build-output place; empty for a redundant rule).
    pub needed_path: RawPath,
    pub reason: String,
    /// What it would have removed from the context (as `ProposedRule::removes`).
    pub removes: Amount,
    /// The files git tracks that it would remove (when that is why it is not proposed).
    #[serde(skip_serializing_if = "Tracked::is_none")]
    pub tracked: Tracked,
}

/// Tracked files a rule would remove: how many, and the first few (bytewise).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Tracked {
    pub files: u64,
    pub examples: Vec<RawPath>,
}

impl Tracked {
    fn is_none(&self) -> bool {
        self.files == 0
    }

    /// The tracked files the candidates in `bits` remove.
    fn removed_by(tally: &ScanTally<'_>, bits: Bits) -> Tracked {
        let mut files = 0;
        let mut examples: Vec<&[u8]> = Vec::new();
        for (removers, (count, paths)) in &tally.tracked_removed {
            if removers.intersects(&bits) {
                files += count;
                examples.extend(paths.iter().map(Vec::as_slice));
            }
        }
        examples.sort();
        examples.dedup();
        examples.truncate(super::tally::TRACKED_EXAMPLES);
        Tracked { files, examples: examples.into_iter().map(RawPath::from).collect() }
    }
}

/// The proposal and its measured effect.
#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    /// Rules that shrink the transfer first, then the others; template order within each.
    pub rules: Vec<ProposedRule>,
    pub dropped: Vec<DroppedRule>,
    /// What the context (`COPY . .`) holds with every proposed rule appended.
    pub after: Amount,
    pub saving_bytes: u64,
    pub saving_percent: f64,
    /// What this Dockerfile transfers with every proposed rule appended (the context when
    /// there is no Dockerfile to read, or one of its sources is the root).
    pub transfer_after: Amount,
    pub transfer_saving_bytes: u64,
    pub transfer_saving_percent: f64,
}

/// What the candidates in `bits` remove from the amounts of a tally, context and transfer.
fn removed_by(tally: &ScanTally<'_>, bits: Bits) -> (Amount, Amount) {
    let (mut context, mut transfer) = (Amount::default(), Amount::default());
    for (&(removed, emptied, in_transfer), amount) in &tally.by_candidates {
        let part = if removed.intersects(&bits) {
            *amount
        } else if emptied.intersects(&bits) {
            Amount { files: 0, dirs: 0, bytes: amount.bytes }
        } else {
            continue;
        };
        add(&mut context, part);
        if in_transfer {
            add(&mut transfer, part);
        }
    }
    (context, transfer)
}

/// The bytes of hard-linked files counted more than once among the names `gone` leaves, in
/// the context and in the transfer.
pub fn repeated(tally: &ScanTally<'_>, gone: impl Fn(&LinkName) -> bool) -> (u64, u64) {
    tally.links.values().fold((0, 0), |(c, t), linked| {
        let (context, transfer) = linked.repeated(&gone);
        (c + context, t + transfer)
    })
}

/// The context and the transfer with hard-linked files counted once.
pub fn deduplicated(tally: &ScanTally<'_>, repeated: (u64, u64)) -> (Amount, Amount) {
    let (mut shipped, mut transfer) = (tally.shipped, tally.transfer);
    shipped.bytes -= repeated.0;
    transfer.bytes -= repeated.1;
    (shipped, transfer)
}

fn add(total: &mut Amount, part: Amount) {
    total.files += part.files;
    total.dirs += part.dirs;
    total.bytes += part.bytes;
}

fn minus(total: Amount, part: Amount) -> Amount {
    Amount {
        files: total.files - part.files,
        dirs: total.dirs - part.dirs,
        bytes: total.bytes - part.bytes,
    }
}

fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 { 0.0 } else { 100.0 * part as f64 / whole as f64 }
}

/// What a proposal is decided against, besides the walk's tally.
pub struct Facts<'a> {
    /// The rules in force.
    pub current: &'a RuleSet,
    /// The Dockerfile's sources that read the context, in selector order.
    pub sources: &'a [ContextSource],
    /// The projects found in the context.
    pub detections: &'a [Detection],
    /// The Dockerfile's builds in stages that read the context; `None` without a
    /// Dockerfile to read.
    pub runs: Option<&'a [BuildRun]>,
    /// Keep rules that remove tracked files (`init --include-tracked`).
    pub include_tracked: bool,
}

impl Proposal {
    /// The proposal for these project kinds, from the walk's tally: the template rules that
    /// remove something and are not refused, then rules for build output, place by place,
    /// on what the template rules leave.
    pub fn evaluate(
        candidates: &Candidates,
        kinds: &[ProjectKind],
        tally: &ScanTally<'_>,
        facts: &Facts<'_>,
    ) -> Proposal {
        let repeated_before = repeated(tally, |_| false);
        let (mut rules, mut dropped, mut kept) =
            template_rules(candidates, kinds, tally, facts, repeated_before);
        drop_redundant(&mut rules, &mut dropped, &mut kept, candidates, tally);
        let chosen = output_rules(&mut rules, &mut dropped, kept, tally, facts);
        // Stable: template order within each group.
        rules.sort_by_key(|rule| !rule.shrinks_transfer());
        let (after, transfer_after) = left_after(tally, kept, &chosen);
        let (shipped, transfer) = deduplicated(tally, repeated_before);
        Proposal {
            rules,
            dropped,
            after,
            saving_bytes: shipped.bytes - after.bytes,
            saving_percent: percent(shipped.bytes - after.bytes, shipped.bytes),
            transfer_after,
            transfer_saving_bytes: transfer.bytes - transfer_after.bytes,
            transfer_saving_percent: percent(transfer.bytes - transfer_after.bytes, transfer.bytes),
        }
    }
}

/// The template rules for these kinds that remove something: proposed, or dropped with the
/// reason; and the proposed ones as bits.
fn template_rules(
    candidates: &Candidates,
    kinds: &[ProjectKind],
    tally: &ScanTally<'_>,
    facts: &Facts<'_>,
    repeated_before: (u64, u64),
) -> (Vec<ProposedRule>, Vec<DroppedRule>, Bits) {
    let (current, sources) = (facts.current, facts.sources);
    let applies = |c: &Candidate| c.kind.is_none_or(|k| kinds.contains(&k));
    let mut rules = Vec::new();
    let mut dropped = Vec::new();
    let mut kept = Bits::EMPTY;
    let link_hitters = tally
        .links
        .values()
        .flat_map(|l| l.names.iter())
        .fold(Bits::EMPTY, |bits, n| bits | n.removed_by);
    for (index, candidate) in candidates.list.iter().enumerate() {
        if !applies(candidate) {
            continue;
        }
        let bit = Bits::single(index);
        let (mut removes, mut removes_transfer) = removed_by(tally, bit);
        if removes.files == 0 && removes.bytes == 0 {
            continue;
        }
        if link_hitters.intersects(&bit) {
            // A hard-linked file goes only with its last name.
            let (context, transfer) = repeated(tally, |n| n.removed_by.intersects(&bit));
            removes.bytes -= repeated_before.0 - context;
            removes_transfer.bytes -= repeated_before.1 - transfer;
        }
        let compiled = &candidates.rules.rules()[index];
        let mut refused = why_not(index, compiled.pattern(), tally, current, sources);
        if refused.is_none() {
            refused =
                source_named_like_output(&candidate.rule.pattern, bit, compiled, tally, facts);
        }
        let tracked = Tracked::removed_by(tally, bit);
        if refused.is_none() && !tracked.is_none() && !facts.include_tracked {
            refused = Some(tracked_reason(&tracked));
        }
        if let Some((needed_path, reason)) = refused {
            dropped.push(DroppedRule {
                template: candidate.rule.template,
                pattern: candidate.rule.pattern.clone(),
                needed_path,
                reason,
                removes,
                tracked,
            });
            continue;
        }
        kept |= bit;
        rules.push(ProposedRule {
            template: candidate.rule.template,
            line: candidate.rule.line,
            pattern: candidate.rule.pattern.clone(),
            reason: candidate.rule.reason.clone(),
            removes,
            removes_transfer,
        });
    }
    (rules, dropped, kept)
}

/// Rules for build output, place by place, on what the `kept` template rules leave;
/// returns the places chosen.
fn output_rules<'t>(
    rules: &mut Vec<ProposedRule>,
    dropped: &mut Vec<DroppedRule>,
    kept: Bits,
    tally: &'t ScanTally<'_>,
    facts: &Facts<'_>,
) -> Vec<(&'t [u8], &'t OutputPlace)> {
    let mut places: Vec<(&Vec<u8>, &OutputPlace)> = tally.outputs.iter().collect();
    places.sort_by(|a, b| a.0.cmp(b.0));
    let mut chosen: Vec<(&[u8], &OutputPlace)> = Vec::new();
    for (place, facts_of_place) in places {
        let Some(outcome) = judge_place(place, facts_of_place, kept, tally, facts) else {
            continue;
        };
        match outcome {
            Ok(rule) => {
                rules.push(rule);
                chosen.push((place, facts_of_place));
            }
            Err(dropped_rule) => dropped.push(dropped_rule),
        }
    }
    chosen
}

/// What ships, and what the build transfers, once the `kept` rules and the `chosen` output
/// places are excluded.
fn left_after(
    tally: &ScanTally<'_>,
    kept: Bits,
    chosen: &[(&[u8], &OutputPlace)],
) -> (Amount, Amount) {
    let (mut removed, mut removed_transfer) = removed_by(tally, kept);
    for (_, place) in chosen {
        let (context, transfer) = place.removes_beyond(kept);
        add(&mut removed, context);
        add(&mut removed_transfer, transfer);
    }
    // Hard-linked files count once, before and after, as BuildKit sends them.
    let under_chosen =
        |path: &[u8]| chosen.iter().any(|(place, _)| crate::rules::path::is_within(path, place));
    let repeated_after =
        repeated(tally, |n| n.removed_by.intersects(&kept) || under_chosen(&n.path));
    let mut after = minus(tally.shipped, removed);
    let mut transfer_after = minus(tally.transfer, removed_transfer);
    after.bytes -= repeated_after.0;
    transfer_after.bytes -= repeated_after.1;
    (after, transfer_after)
}

/// The proposal as a set: a rule whose every hit another proposed rule removes too adds
/// nothing (`**/*.pem` whose only hit is a CA bundle inside `.venv`, which `**/.venv`
/// removes), unless it removes a secret that ships (it then guards it on its own). Rules
/// are weighed from the one that removes least, so of two that remove the same entries the
/// broader stays.
fn drop_redundant(
    rules: &mut Vec<ProposedRule>,
    dropped: &mut Vec<DroppedRule>,
    kept: &mut Bits,
    candidates: &Candidates,
    tally: &ScanTally<'_>,
) {
    let index_of = |rule: &ProposedRule| {
        candidates
            .list
            .iter()
            .position(|c| c.rule.pattern == rule.pattern && c.rule.template == rule.template)
    };
    let mut order: Vec<(usize, Amount)> =
        rules.iter().filter_map(|r| Some((index_of(r)?, r.removes))).collect();
    order.sort_by_key(|(index, removes)| (removes.files + removes.dirs, removes.bytes, *index));
    for (index, _) in order {
        let bit = Bits::single(index);
        if tally.secret_removers.intersects(&bit) {
            continue;
        }
        let others = *kept & !bit;
        let mut covering = Bits::EMPTY;
        let mut unique = false;
        for &(removed, emptied, _) in tally.by_candidates.keys() {
            if !(removed | emptied).intersects(&bit) {
                continue;
            }
            if removed.intersects(&others) {
                covering |= removed & others;
            } else {
                unique = true;
                break;
            }
        }
        if unique || covering.is_empty() {
            continue;
        }
        *kept = others;
        let Some(at) = rules.iter().position(|r| index_of(r) == Some(index)) else { continue };
        let rule = rules.remove(at);
        let by: Vec<String> = covering
            .iter()
            .take(2)
            .map(|i| format!("`{}`", candidates.list[i].rule.pattern))
            .collect();
        dropped.push(DroppedRule {
            template: rule.template,
            pattern: rule.pattern,
            needed_path: RawPath::default(),
            reason: format!("everything it removes, {} removes too", by.join(" and ")),
            removes: rule.removes,
            tracked: Tracked::default(),
        });
    }
}

fn tracked_reason(tracked: &Tracked) -> (RawPath, String) {
    (
        tracked.examples[0].clone(),
        format!(
            "it would remove {} git tracks (`ctxsize init --include-tracked` adds it anyway)",
            crate::numbers::files(tracked.files),
        ),
    )
}

impl OutputPlace {
    /// What the place's rule removes beyond the candidates in `kept`, from the context and
    /// from the transfer.
    fn removes_beyond(&self, kept: Bits) -> (Amount, Amount) {
        let (mut context, mut transfer) = (Amount::default(), Amount::default());
        for (&(removers, in_transfer), &amount) in &self.by_candidates {
            if removers.intersects(&kept) {
                continue;
            }
            add(&mut context, amount);
            if in_transfer {
                add(&mut transfer, amount);
            }
        }
        (context, transfer)
    }
}

/// For a template rule `**/NAME` where NAME is a build-output name (`**/target`, `**/bin`):
/// a directory it takes that does not sit beside a manifest whose build writes NAME may be
/// source (a Java package `target`), so the rule is not proposed. Returns that directory and
/// the reason.
fn source_named_like_output(
    pattern: &str,
    bit: Bits,
    compiled: &crate::rules::Rule,
    tally: &ScanTally<'_>,
    facts: &Facts<'_>,
) -> Option<(RawPath, String)> {
    let name = pattern.strip_prefix("**/")?;
    if !build_output::NAMES.contains(&name) {
        return None;
    }
    let matches = |path: &[u8]| compiled.pattern().test(path).unwrap_or(true);
    if tally.output_dirs_overflow {
        return Some((
            RawPath::from(pattern),
            format!("too many directories named `{name}` to tell build output from source"),
        ));
    }
    let mut dirs: Vec<&[u8]> = tally
        .output_dirs
        .iter()
        .filter(|(path, removers)| removers.intersects(&bit) && matches(path))
        // Below another match, the directory goes with it anyway.
        .filter(|(path, _)| !ancestors(path).any(matches))
        .map(|(path, _)| path.as_slice())
        .collect();
    dirs.sort();
    let stray =
        dirs.into_iter().find(|dir| build_output::writer_of(dir, facts.detections).is_none())?;
    Some((
        RawPath::from(stray),
        format!(
            "no project beside it has a build that writes `{name}/`: it may be source (only \
             the directories a build writes are proposed, one by one)"
        ),
    ))
}

/// The rule for one place named like build output, or why it is not proposed; `None` when
/// there is nothing to say (the kept rules remove it all already, it is a file, or this
/// build does not send it).
fn judge_place(
    place: &[u8],
    found: &OutputPlace,
    kept: Bits,
    tally: &ScanTally<'_>,
    facts: &Facts<'_>,
) -> Option<Result<ProposedRule, DroppedRule>> {
    let (beyond, beyond_transfer) = found.removes_beyond(kept);
    if !found.is_dir || beyond.files + beyond.dirs == 0 {
        return None;
    }
    let whole = found.removes_beyond(Bits::EMPTY);
    let (removes, removes_transfer) = whole;
    // A place only a `COPY . .` would ship is another build's business (in a monorepo,
    // another Dockerfile may copy its prebuilt output).
    if beyond_transfer.files + beyond_transfer.dirs == 0 && !tally.sends_whole_context() {
        return None;
    }
    let pattern = crate::rules::literal::pattern_for(place)?;
    let shown = RawPath::from(place);
    let named = facts.sources.iter().find(|s| s.names(place) || s.leads_to(place));
    let tracked = Tracked {
        files: found.tracked.0,
        examples: found.tracked.1.iter().map(|p| RawPath::from(&p[..])).collect(),
    };
    // In this order: what stops it whatever you pass first, then whether it is build output
    // at all, and last what `--include-tracked` overrides.
    let reincluded = found.reincluded || literal_exception_below(facts.current, place);
    let held_by_git = !tracked.is_none() && !facts.include_tracked;
    let reason = match (named, build_output::decide(place, facts.detections, facts.runs)) {
        (Some(source), _) => Err((
            shown,
            format!(
                "the Dockerfile needs it: {} {} (line {}) names it",
                source.instruction, source.written, source.line
            ),
        )),
        _ if reincluded => {
            Err((shown, "one of your `!` rules re-includes something in it".to_owned()))
        }
        (None, build_output::Verdict::Keep(why)) => Err((shown, why)),
        (None, build_output::Verdict::Propose(_)) if held_by_git => Err(tracked_reason(&tracked)),
        (None, build_output::Verdict::Propose(why)) => Ok(why),
    };
    Some(match reason {
        Ok(reason) => Ok(ProposedRule {
            template: build_output::TEMPLATE,
            line: 0,
            pattern,
            reason,
            removes,
            removes_transfer,
        }),
        Err((needed_path, reason)) => Err(DroppedRule {
            template: build_output::TEMPLATE,
            pattern,
            needed_path,
            reason,
            removes,
            tracked,
        }),
    })
}

/// Whether a literal `!` rule names the place or a path in it.
fn literal_exception_below(rules: &RuleSet, place: &[u8]) -> bool {
    rules.rules().iter().any(|rule| {
        let text = rule.pattern().text();
        rule.exception
            && rule.pattern().kind() == Kind::Exact
            && crate::rules::path::is_within(text, place)
    })
}

/// Why a candidate must not be appended, if it must not: it would undo one of the user's
/// `!` exceptions (a path it re-includes in this tree, or the literal path it names), take
/// away what a COPY, ADD or RUN --mount source names, or leave a copied directory with
/// nothing in it. Returns the path in the way and the reason.
fn why_not(
    index: usize,
    pattern: &Pattern,
    tally: &ScanTally<'_>,
    current: &RuleSet,
    sources: &[ContextSource],
) -> Option<(RawPath, String)> {
    let undo = |exception: usize, path: &[u8]| {
        let rule = &current.rules()[exception];
        Some((
            RawPath::from(path),
            format!("it would undo your exception on line {} (`{}`)", rule.line, rule.written),
        ))
    };
    if let Some((exception, path)) = tally.undoes.get(&index) {
        return undo(*exception, path);
    }
    for (exception, rule) in current.rules().iter().enumerate() {
        if !rule.exception || rule.pattern().kind() != Kind::Exact {
            continue;
        }
        let path = rule.pattern().text();
        let hits = |p: &[u8]| pattern.test(p).unwrap_or(true);
        if hits(path) || ancestors(path).any(hits) {
            return undo(exception, path);
        }
    }
    let instruction = |bit: usize| {
        let source = &sources[bit];
        format!("{} {} (line {})", source.instruction, source.written, source.line)
    };
    if let Some((source, path)) = tally.conflicts.get(&index) {
        return Some((
            RawPath::from(&path[..]),
            format!("the Dockerfile needs it: {} names it", instruction(*source)),
        ));
    }
    let bit = Bits::single(index);
    for (source, copied) in sources.iter().enumerate().take(MAX_SELECTORS) {
        let (mut total, mut removed) = (0u64, 0u64);
        for (&(below, removers), &count) in &tally.below_sources {
            if below.get(source) {
                total += count;
                if removers.intersects(&bit) {
                    removed += count;
                }
            }
        }
        if total > 0 && removed == total {
            return Some((
                RawPath::from(copied.path.as_str()),
                format!("it would leave nothing to copy in {}", instruction(source)),
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every ordinary rule of every template is a candidate: none is cut off by the walk's
    /// capacity for probes.
    #[test]
    fn every_template_rule_fits_as_a_candidate() {
        let candidates = Candidates::from_templates(&RuleSet::empty(), &[]);
        let mut unique: Vec<String> = Vec::new();
        let rules = templates::all().iter().flat_map(templates::rules).collect::<Vec<_>>();
        for rule in rules {
            let parsed = RuleSet::from_ignore_file(rule.pattern.as_bytes()).unwrap();
            let only = &parsed.rules()[0];
            if !only.exception && !unique.contains(&only.text) {
                unique.push(only.text.clone());
            }
        }
        assert_eq!(candidates.list.len(), unique.len());
        assert!(candidates.list.len() < MAX_CANDIDATES, "room left: {}", candidates.list.len());
        assert_eq!(candidates.rules.rules().len(), candidates.list.len());
    }
}
