//! The questions `scan` asks of every entry beside BuildKit's decision, answered during the
//! one walk so that no second pass is needed: which proposed rules would exclude or empty
//! it, which Dockerfile sources select it, and which of the user's rules name it (for lint).

use crate::bits::{Bits, SourceBits};
use crate::dockerfile::{ContextSource, Selection};
use crate::rules::{Fate, PatternSet, Step};
use crate::walk::{Entry, EntryKind, Inode, Seen};

/// The most candidate rules and selectors (Dockerfile sources) one walk can probe.
pub const MAX_CANDIDATES: usize = crate::bits::CAPACITY;
pub const MAX_SELECTORS: usize = 64;

/// What to ask of every entry.
#[derive(Default)]
pub struct Probes<'a> {
    /// Candidate rules (ordinary, not exceptions; at most [`MAX_CANDIDATES`]): for each, whether
    /// appending it alone after the current rules would exclude an entry, or empty its content.
    pub candidates: Option<&'a PatternSet<'a>>,
    /// The Dockerfile's sources, at most [`MAX_SELECTORS`]: how each relates to every entry
    /// (source `i` is selector `i`).
    pub sources: &'a [ContextSource],
    /// The user's own rules, each tested on entries' paths by themselves (no skipping, no
    /// parents): which rules name something in the context at all (for lint). A rule already
    /// seen by this thread is not tested again, except the `always` ones (exceptions, whose
    /// every hit matters).
    pub hits: Option<&'a PatternSet<'a>>,
    pub hits_always: Bits,
}

/// The answers of the [`Probes`] for one entry (bit `i` is candidate or selector `i`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Probed {
    /// Candidates that would exclude the entry: one matched it, or a directory above it, at a
    /// level the current rules keep (an appended rule is evaluated only where nothing
    /// excluded the path; a match on a directory carries down).
    pub removed_by: Bits,
    /// Candidates that would make BuildKit send this kept file empty (its content check
    /// matches them on a directory above, where the walk skipped them).
    pub emptied_by: Bits,
    /// Selectors that select the entry (in any way: the three masks below, or-ed).
    pub selected_by: SourceBits,
    /// Selectors that name the entry itself ([`Selection::Named`]).
    pub named_by: SourceBits,
    /// Selectors for which the entry is a directory on the way ([`Selection::LeadsTo`]).
    pub leads_by: SourceBits,
    /// The user's `!` rule that re-includes the entry (the current rules' deciding rule,
    /// when it is an exception): candidates must not undo it.
    pub reincluded_by: Option<usize>,
    /// The user's rules whose pattern matches the entry's own path (see [`Probes::hits`]).
    pub hit_by: Bits,
    /// For a regular file with several names (hard links), its inode.
    pub hard_link: Option<Inode>,
}

impl Probed {
    /// Records how each source relates to `path`.
    pub fn select(&mut self, sources: &[ContextSource], path: &[u8]) {
        for (bit, source) in sources.iter().enumerate() {
            match source.selection(path) {
                Selection::None => continue,
                Selection::Named => self.named_by.set(bit),
                Selection::LeadsTo => self.leads_by.set(bit),
                Selection::Below => {}
            }
            self.selected_by.set(bit);
        }
    }
}

/// One thread's prober: the [`Probes`], and the user's rules this thread has already seen
/// hit an entry (so that they are not tested again).
pub struct Prober<'a> {
    probes: &'a Probes<'a>,
    /// Rules seen hit a walked entry, and an entry inside a pruned directory.
    hits_seen: (Bits, Bits),
}

impl<'a> Prober<'a> {
    pub fn new(probes: &'a Probes<'a>) -> Prober<'a> {
        Prober { probes, hits_seen: (Bits::EMPTY, Bits::EMPTY) }
    }

    /// Whether any candidate is probed: only then do directories hand anything down.
    pub fn has_candidates(&self) -> bool {
        self.probes.candidates.is_some()
    }

    /// The candidates that would exclude an entry, from those that would exclude its
    /// directory: a candidate appended after the current rules is evaluated only where
    /// nothing excludes the path, and its match on a directory carries down.
    pub fn removed_by(&self, parent: Bits, path: &[u8], step: &Step) -> Bits {
        match step.fate {
            Fate::Excluded { pruned: true, .. } | Fate::InsidePruned => Bits::EMPTY,
            Fate::Excluded { .. } => parent,
            _ => parent | self.candidates_matching(path, parent),
        }
    }

    /// Answers the probes for one entry, as the walk hands it over: its state is the
    /// candidates that would remove it (see [`Prober::removed_by`]). Fills `probed`, which
    /// starts empty: filled in place, the answers are not copied once per entry.
    pub fn probe(&mut self, entry: &Entry<&[u8]>, seen: &Seen<'_, Bits>, probed: &mut Probed) {
        let (path, step) = (entry.path, seen.step);
        probed.hard_link = seen.hard_link;
        if step.is_kept() {
            probed.removed_by = *seen.state;
            // A kept entry's deciding rule, if any, is the `!` rule that re-included it.
            probed.reincluded_by = step.deciding;
            if entry.kind == EntryKind::File && step.content_checked && step.fate == Fate::Shipped {
                probed.emptied_by = self.candidates_emptying(path, probed.removed_by);
            }
        }
        probed.select(self.probes.sources, path);
        if let Some(hits) = self.probes.hits {
            let inside_pruned = entry.fate == Fate::InsidePruned;
            let seen =
                if inside_pruned { self.hits_seen.0 | self.hits_seen.1 } else { self.hits_seen.0 };
            probed.hit_by = hits.matching(path, seen & !self.probes.hits_always);
            if inside_pruned {
                self.hits_seen.1 |= probed.hit_by;
            } else {
                self.hits_seen.0 |= probed.hit_by;
            }
        }
    }

    /// The candidates, among those not already set in `known`, that match `path` itself.
    fn candidates_matching(&self, path: &[u8], known: Bits) -> Bits {
        self.probes.candidates.map_or(Bits::EMPTY, |set| set.matching(path, known))
    }

    /// The candidates (not in `known`) that BuildKit's content check would match on a
    /// directory above the path: appended, they would make the file arrive empty.
    fn candidates_emptying(&self, path: &[u8], known: Bits) -> Bits {
        let Some(set) = self.probes.candidates else { return Bits::EMPTY };
        crate::rules::ancestors(path)
            .fold(Bits::EMPTY, |bits, dir| bits | set.matching(dir, known | bits))
    }
}
