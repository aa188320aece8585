//! One level of BuildKit's walk: from what an entry's directory hands down, the entry's path
//! and its kind, the entry's [`Fate`] and what it hands its own children. The walk, the
//! trace behind `why` and the tests all decide through [`RuleSet::step`], so that the
//! decision is written once.

use super::{Record, RuleError, RuleSet};
use crate::entry_kind::EntryKind;

/// A rule's index in its [`RuleSet`]. Two bytes, not eight: `ls` keeps an entry per path of
/// the context, and the transfer limits keep a usable rule set far below 65,536 rules.
pub type RuleIndex = u16;

fn rule_index(rule: usize) -> RuleIndex {
    RuleIndex::try_from(rule).expect("rule sets are limited to far fewer rules")
}

/// What happens to an entry in `docker build`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Listed and sent with its content.
    Shipped,
    /// Listed, but its content is dropped: it arrives as an empty file. `rule`: BuildKit's
    /// second check matched this rule on the file or one of its directories; `None`: the file
    /// cannot be read (BuildKit sends what it cannot open as an empty file).
    ShippedEmpty { rule: Option<RuleIndex> },
    /// Excluded by the rules. `rule` decided (`None`: no rule matched, which only happens
    /// for nothing — kept for completeness); `pruned` says BuildKit does not even enter it.
    Excluded { rule: Option<RuleIndex>, pruned: bool },
    /// An excluded directory that is listed anyway, because something below it ships.
    ListedForDescendant { rule: Option<RuleIndex> },
    /// Inside a directory BuildKit never enters (only seen when a walk measures there too).
    InsidePruned,
}

impl Fate {
    /// Whether the entry appears in what BuildKit sends.
    pub fn is_listed(self) -> bool {
        matches!(self, Fate::Shipped | Fate::ShippedEmpty { .. } | Fate::ListedForDescendant { .. })
    }
}

/// What a directory hands down to its children.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inherited {
    /// The rules that matched the directory: its children count them as matching without
    /// evaluating them.
    Record(Record),
    /// BuildKit never enters the directory.
    Pruned,
}

impl Inherited {
    /// What the context root hands down: BuildKit never matches the root against a rule.
    pub const ROOT: Inherited = Inherited::Record(Record::EMPTY);
}

/// The rules' decision on one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// What BuildKit does with the entry, as far as the rules say (the walk may still find a
    /// file unreadable, which BuildKit sends empty).
    pub fate: Fate,
    /// The rules that matched the entry (inherited matches included).
    pub record: Record,
    /// The last rule that matched, which decided; for a kept entry, the `!` rule that
    /// re-included it.
    pub deciding: Option<usize>,
    /// Whether BuildKit's second check ran on this kept regular file. It is skipped where it
    /// provably keeps the content: no rule matched the file or a directory above it.
    pub content_checked: bool,
}

impl Step {
    /// Whether the rules keep the entry (with or without its content).
    pub fn is_kept(&self) -> bool {
        matches!(self.fate, Fate::Shipped | Fate::ShippedEmpty { .. })
    }

    /// What the entry, if a directory, hands its children.
    pub fn children(&self) -> Inherited {
        match self.fate {
            Fate::Excluded { pruned: true, .. } | Fate::InsidePruned => Inherited::Pruned,
            _ => Inherited::Record(self.record),
        }
    }
}

impl RuleSet {
    /// Decides one entry as BuildKit's walk does, from what its directory hands down
    /// ([`Inherited::ROOT`] at the root of the context). Fails only where BuildKit fails the
    /// build: a rule whose regular expression does not compile, evaluated on this path.
    #[inline]
    pub fn step(
        &self,
        parent: &Inherited,
        path: &[u8],
        kind: EntryKind,
    ) -> Result<Step, RuleError> {
        let Inherited::Record(parent) = parent else {
            return Ok(Step {
                fate: Fate::InsidePruned,
                record: Record::EMPTY,
                deciding: None,
                content_checked: false,
            });
        };
        let verdict = self.decide(path, Some(parent))?;
        let rule = verdict.deciding.map(rule_index);
        let mut content_checked = false;
        let fate = if verdict.excluded {
            Fate::Excluded { rule, pruned: kind == EntryKind::Dir && self.prunes(path) }
        } else if kind == EntryKind::File && self.needs_content_check(Some(parent), &verdict.record)
        {
            content_checked = true;
            match self.content_excluded(path)? {
                Some(rule) => Fate::ShippedEmpty { rule: Some(rule_index(rule)) },
                None => Fate::Shipped,
            }
        } else {
            Fate::Shipped
        };
        Ok(Step { fate, record: verdict.record, deciding: verdict.deciding, content_checked })
    }
}
