//! The `.dockerignore` proposal: template rules as candidates, measured in the scan's walk.
//!
//! Every template rule (for every ecosystem, so that detection can happen in the same walk)
//! is a candidate; the walk records, for each shipped entry, which candidates would exclude
//! it or empty its content if appended alone after the current rules. After the walk, the
//! candidates of the detected project types are kept if they remove something and exclude
//! nothing the Dockerfile needs.

use serde::Serialize;

use super::tally::{Amount, ScanTally};
use crate::bits::Bits;
use crate::rules::RuleSet;
use crate::templates::{self, ProjectKind, TemplateRule};
use crate::walk::MAX_CANDIDATES;

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
    /// What the rule alone removes from what ships now (`bytes` include content it empties).
    pub removes: Amount,
}

/// A rule that would have saved something but excludes a path the Dockerfile needs.
#[derive(Debug, Clone, Serialize)]
pub struct DroppedRule {
    pub template: &'static str,
    pub pattern: String,
    /// A path the Dockerfile needs that the rule would exclude.
    pub needed_path: String,
    pub reason: String,
}

/// The proposal and its measured effect.
#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    pub rules: Vec<ProposedRule>,
    pub dropped: Vec<DroppedRule>,
    /// What ships with every proposed rule appended.
    pub after: Amount,
    pub saving_bytes: u64,
    pub saving_percent: f64,
}

impl Proposal {
    /// The proposal for these project kinds, from the walk's tally.
    pub fn evaluate(
        candidates: &Candidates,
        kinds: &[ProjectKind],
        tally: &ScanTally<'_>,
        current: &RuleSet,
    ) -> Proposal {
        let applies = |c: &Candidate| c.kind.is_none_or(|k| kinds.contains(&k));
        let mut rules = Vec::new();
        let mut dropped = Vec::new();
        let mut kept = Bits::EMPTY;
        for (index, candidate) in candidates.list.iter().enumerate() {
            if !applies(candidate) {
                continue;
            }
            let bit = Bits::single(index);
            let mut removes = Amount::default();
            for (&(removed, emptied), amount) in &tally.by_candidates {
                if removed.intersects(&bit) {
                    removes.files += amount.files;
                    removes.dirs += amount.dirs;
                    removes.bytes += amount.bytes;
                } else if emptied.intersects(&bit) {
                    removes.bytes += amount.bytes;
                }
            }
            if removes.files == 0 && removes.bytes == 0 {
                continue;
            }
            if let Some((exception, path)) = tally.undoes.get(&index) {
                let rule = &current.rules()[*exception];
                dropped.push(DroppedRule {
                    template: candidate.rule.template,
                    pattern: candidate.rule.pattern.clone(),
                    needed_path: crate::output::escape_path(path),
                    reason: format!(
                        "it would undo your exception on line {} (`{}`)",
                        rule.line, rule.written
                    ),
                });
                continue;
            }
            if let Some((_, path)) = tally.conflicts.get(&index) {
                dropped.push(DroppedRule {
                    template: candidate.rule.template,
                    pattern: candidate.rule.pattern.clone(),
                    needed_path: crate::output::escape_path(path),
                    reason: "a COPY, ADD or RUN --mount in the Dockerfile needs it".to_owned(),
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
            });
        }
        let mut after = tally.shipped;
        for (&(removed, emptied), amount) in &tally.by_candidates {
            if removed.intersects(&kept) {
                after.files -= amount.files;
                after.dirs -= amount.dirs;
                after.bytes -= amount.bytes;
            } else if emptied.intersects(&kept) {
                after.bytes -= amount.bytes;
            }
        }
        let saving_bytes = tally.shipped.bytes - after.bytes;
        let saving_percent = if tally.shipped.bytes == 0 {
            0.0
        } else {
            100.0 * saving_bytes as f64 / tally.shipped.bytes as f64
        };
        Proposal { rules, dropped, after, saving_bytes, saving_percent }
    }
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
        for template in templates::all() {
            for rule in templates::rules(&template) {
                let parsed = RuleSet::from_ignore_file(rule.pattern.as_bytes()).unwrap();
                let only = &parsed.rules()[0];
                if !only.exception && !unique.contains(&only.text) {
                    unique.push(only.text.clone());
                }
            }
        }
        assert_eq!(candidates.list.len(), unique.len());
        assert!(candidates.list.len() < MAX_CANDIDATES, "room left: {}", candidates.list.len());
        assert_eq!(candidates.rules.rules().len(), candidates.list.len());
    }
}
