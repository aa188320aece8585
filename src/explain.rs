//! Tracing the decision for one path, level by level, to say which rule decided and where.

use crate::rules::{RuleError, RuleSet, ancestors};

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

/// Traces `path` from the root down, exactly as the walk decides each level.
pub fn trace(rules: &RuleSet, path: &[u8], is_file: bool) -> Result<Trace, RuleError> {
    if path.is_empty() {
        // The context root itself, which BuildKit never matches.
        return Ok(Trace {
            excluded: false,
            rule: None,
            matched_at: None,
            pruned_at: None,
            content_rule: None,
        });
    }
    let levels: Vec<&[u8]> = ancestors(path).chain(std::iter::once(path)).collect();
    // For every rule recorded as matching the current directory: the level it matched at.
    let mut origin: Vec<Option<usize>> = vec![None; rules.rules().len()];
    let mut parent = None;
    for (depth, level) in levels.iter().enumerate() {
        let verdict = rules.decide(level, parent.as_ref())?;
        let mut next_origin = vec![None; origin.len()];
        for (index, slot) in next_origin.iter_mut().enumerate() {
            if verdict.record.get(index) {
                let inherited =
                    parent.as_ref().is_some_and(|p: &crate::rules::Record| p.get(index));
                *slot = if inherited { origin[index] } else { Some(depth) };
            }
        }
        origin = next_origin;
        let matched_at = verdict.deciding.and_then(|i| origin[i]).map(|d| levels[d].to_vec());
        let is_last = depth + 1 == levels.len();
        if !is_last && verdict.excluded && rules.prunes(level) {
            return Ok(Trace {
                excluded: true,
                rule: verdict.deciding,
                matched_at,
                pruned_at: Some(level.to_vec()),
                content_rule: None,
            });
        }
        if is_last {
            let content_rule =
                if !verdict.excluded && is_file { rules.content_excluded(path)? } else { None };
            return Ok(Trace {
                excluded: verdict.excluded,
                rule: verdict.deciding,
                matched_at,
                pruned_at: None,
                content_rule,
            });
        }
        parent = Some(verdict.record);
    }
    unreachable!("the last level always returns")
}
