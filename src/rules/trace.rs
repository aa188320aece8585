//! Tracing the decision for one path, level by level, to say which rule decided and where.

use super::{Fate, Inherited, Record, RuleError, RuleSet, ancestors};
use crate::entry_kind::EntryKind;

/// How BuildKit reaches its decision on one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace {
    /// The walk's decision on the path itself (if BuildKit reaches it).
    pub excluded: bool,
    /// The last rule that matched, which decided.
    pub rule: Option<usize>,
    /// Where that rule was evaluated and matched: the path itself or one of its directories.
    pub matched_at: Option<Vec<u8>>,
    /// A directory above the path that BuildKit excludes and never enters.
    pub pruned_at: Option<Vec<u8>>,
    /// For a kept regular file: the rule of BuildKit's second check that drops its content.
    pub content_rule: Option<usize>,
}

/// Traces `path` from the root down, each level decided by [`RuleSet::step`] as the walk
/// decides it. Only a regular file (`is_file`) goes through BuildKit's content check.
pub fn trace(rules: &RuleSet, path: &[u8], is_file: bool) -> Result<Trace, RuleError> {
    let mut traced = Trace {
        excluded: false,
        rule: None,
        matched_at: None,
        pruned_at: None,
        content_rule: None,
    };
    if path.is_empty() {
        // The context root itself, which BuildKit never matches.
        return Ok(traced);
    }
    let levels: Vec<&[u8]> = ancestors(path).chain(std::iter::once(path)).collect();
    // For every rule recorded as matching the current directory: the level it matched at.
    let mut origin: Vec<Option<usize>> = vec![None; rules.rules().len()];
    let mut parent = Record::EMPTY;
    for (depth, level) in levels.iter().enumerate() {
        let is_last = depth + 1 == levels.len();
        // Anything but a regular file is decided as a directory is: the pruning it may get
        // is not reported for the path itself.
        let kind = if is_last && is_file { EntryKind::File } else { EntryKind::Dir };
        let step = rules.step(&Inherited::Record(parent), level, kind)?;
        let mut next_origin = vec![None; origin.len()];
        for (index, slot) in next_origin.iter_mut().enumerate() {
            if step.record.get(index) {
                *slot = if parent.get(index) { origin[index] } else { Some(depth) };
            }
        }
        origin = next_origin;
        traced.rule = step.deciding;
        traced.matched_at = step.deciding.and_then(|i| origin[i]).map(|d| levels[d].to_vec());
        traced.excluded = matches!(step.fate, Fate::Excluded { .. });
        if is_last {
            if let Fate::ShippedEmpty { rule: Some(rule) } = step.fate {
                traced.content_rule = Some(usize::from(rule));
            }
            return Ok(traced);
        }
        if let Fate::Excluded { pruned: true, .. } = step.fate {
            traced.pruned_at = Some(level.to_vec());
            return Ok(traced);
        }
        parent = step.record;
    }
    unreachable!("the last level always returns")
}
