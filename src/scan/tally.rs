//! The per-thread aggregates of a scan, merged once the walk ends.

use rustc_hash::{FxHashMap, FxHashSet};

use super::categories::{Categorizer, Category, DirectoryMemory};
use super::largest::Largest;
use super::probe::{MAX_SELECTORS, Probed, Prober, Probes};
use crate::bits::{Bits, SourceBits};
use crate::dockerfile::ContextSource;
use crate::rules::{Fate, Step, path};
use crate::walk::{Entry, EntryKind, Inode, Seen, Tally};

/// Files, directories and bytes of some part of the context.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Amount {
    pub files: u64,
    pub dirs: u64,
    pub bytes: u64,
}

impl Amount {
    fn add(&mut self, entry: &Entry<&[u8]>, bytes: u64) {
        if entry.kind == EntryKind::Dir {
            self.dirs += 1;
        } else {
            self.files += 1;
        }
        self.bytes += bytes;
    }

    fn merge(&mut self, other: Amount) {
        self.files += other.files;
        self.dirs += other.dirs;
        self.bytes += other.bytes;
    }
}

/// What the scan needs to know while it walks.
pub struct ScanSettings<'a> {
    /// What to ask of every entry beside BuildKit's decision.
    pub probes: &'a Probes<'a>,
    /// The context root (to look inside config files that may hold tokens).
    pub root: &'a std::path::Path,
    pub categorizer: &'a Categorizer,
    /// Files shipped on purpose (`check`'s allow-list), counted apart in each category.
    pub allow: &'a crate::scan::allow::AllowList,
    /// Directories are aggregated down to this depth (1 = top-level directories).
    pub depth: usize,
    /// Aggregate the transfer's directories too, into [`ScanTally::transfer_dirs`].
    pub transfer_dirs: bool,
    /// How many of the largest files to keep.
    pub top: usize,
    /// Tells whether a file (by its relative path) marks a project or a service.
    pub is_marker: &'a (dyn Fn(&[u8]) -> bool + Sync),
    /// The user's one-segment rules, for lint: as a set tested on names, and each one's
    /// index in the ignore file.
    pub bare_names: Option<(&'a crate::rules::PatternSet<'a>, &'a [usize])>,
    /// The user's one-segment exceptions: as a set tested on names, and each one's index.
    pub except_names: Option<(&'a crate::rules::PatternSet<'a>, &'a [usize])>,
    /// The user's other rules anchored without `**`: as a set of `**/RULE` tested on
    /// paths, and each one's index and number of segments.
    pub deep_names: Option<(&'a crate::rules::PatternSet<'a>, &'a [(usize, usize)])>,
    /// The user's exception rules, as bits.
    pub exceptions: Bits,
    /// The Dockerfile's sources, in selector order.
    pub sources: &'a [ContextSource],
    /// The files git tracks, when the context is in a work tree, and the candidates meant
    /// for generated or local files (a tracked file they remove is worth a question).
    pub tracked: Option<&'a crate::git::Tracked>,
    pub local_candidates: Bits,
    /// A proposal is wanted: measure build-output places (`check` and `init`'s second
    /// measure do not need them).
    pub propose: bool,
    /// Which selectors make up the transfer and which sources must stay available.
    pub views: Views,
    /// Selectors of wildcard sources whose directory is not the root.
    pub wildcard_sources: SourceBits,
}

/// How the selectors (one per source) make up the two views of a scan.
#[derive(Debug, Clone, Copy, Default)]
pub struct Views {
    /// Selectors of the sources the target needs: what they select is transferred.
    pub transfer_mask: SourceBits,
    /// A needed source is the context root: the whole (filtered) context is transferred.
    pub whole_context: bool,
    /// Selectors of needed sources that name something specific (not the root): what they
    /// name must stay available, or the build fails.
    pub protect_mask: SourceBits,
}

impl Views {
    /// Whether a listed entry with these selectors travels to the builder.
    pub fn in_transfer(&self, selected_by: SourceBits) -> bool {
        self.whole_context || selected_by.intersects(&self.transfer_mask)
    }
}

/// A path a source needs that does not ship, and a rule that excluded it.
pub type Unlisted = (Option<usize>, Vec<u8>);

/// The most named-but-unlisted paths kept per source (for lint; wildcards can name many).
const UNLISTED_PER_SOURCE: usize = 32;

/// How many paths are kept as examples per category.
const EXAMPLES_PER_CATEGORY: usize = 20;
/// Allowed files listed per category: an allow-list names files one by one, so all of them
/// show unless a glob allows a crowd.
const ALLOWED_PER_CATEGORY: usize = 100;

/// The per-thread aggregates.
pub struct ScanTally<'a> {
    settings: &'a ScanSettings<'a>,
    pub on_disk: Amount,
    pub excluded: Amount,
    pub shipped: Amount,
    /// Files that ship empty (BuildKit drops their content), and the bytes dropped.
    pub emptied: Amount,
    /// Shipped bytes under each directory, down to `depth`.
    pub dirs: FxHashMap<Vec<u8>, Amount>,
    /// Transferred bytes under each directory, down to `depth`, when the settings ask.
    pub transfer_dirs: FxHashMap<Vec<u8>, Amount>,
    /// The largest shipped files, at most `top`.
    pub largest: Largest,
    /// What ships, by category.
    pub categories: ByCategory,
    /// Paths of marker files (for project detection), and of Dockerfiles.
    pub markers: Vec<Vec<u8>>,
    /// Shipped amounts per combination of candidate bits (removed, emptied) and whether the
    /// entries are in the transfer.
    pub by_candidates: FxHashMap<(Bits, Bits, bool), Amount>,
    /// Shipped amounts per selector.
    pub selected: [Amount; MAX_SELECTORS],
    /// Shipped regular files with several names, by inode: every name, with the candidates
    /// that would remove it and whether it is in the transfer (see [`Linked`]).
    pub links: FxHashMap<Inode, Linked>,
    /// Candidates that would remove a shipped file the categories call a secret.
    pub secret_removers: Bits,
    /// What the build transfers (see [`Views::in_transfer`]).
    pub transfer: Amount,
    /// The transfer by category.
    pub transfer_categories: ByCategory,
    /// Shipped amounts selected by any selector in `protect_mask` (named by a specific source).
    pub named_any: Amount,
    /// Selectors that name at least one shipped entry.
    pub named_shipped: SourceBits,
    /// Wildcard sources whose directory (before the first wildcard) ships: they may match
    /// nothing without failing the build.
    pub wildcard_dir_shipped: SourceBits,
    /// For each candidate, a path a protected source names that it would remove or empty,
    /// and that source's selector.
    pub conflicts: FxHashMap<usize, (usize, Vec<u8>)>,
    /// Shipped entries below what protected sources name, counted per (those sources'
    /// selectors, the candidates that would remove the entry): a candidate that removes every
    /// one of them would leave a copied directory empty.
    pub below_sources: FxHashMap<(SourceBits, Bits), u64>,
    /// What ships in each place named like build output (see [`super::build_output`]).
    pub outputs: FxHashMap<Vec<u8>, OutputPlace>,
    /// Shipped directories named like build output at any depth (outside installed
    /// dependencies), with the candidates that remove them: a template's `**/target` must
    /// not take a source package called `target`. At most [`OUTPUT_DIRS_KEPT`].
    pub output_dirs: Vec<(Vec<u8>, Bits)>,
    /// More such directories than that: the list is incomplete.
    pub output_dirs_overflow: bool,
    /// For each candidate, a path it would remove that one of the user's `!` rules
    /// re-includes, with that rule's index.
    pub undoes: FxHashMap<usize, (usize, Vec<u8>)>,
    /// Lint facts: rules whose pattern names a walked entry, or only pruned ones.
    pub hits_walked: Bits,
    pub hits_pruned: Bits,
    /// First (smallest) example path per rule or source.
    pub nested_bare: FxHashMap<usize, crate::lint::NestedBare>,
    pub nested_exceptions: FxHashMap<usize, crate::lint::NestedBare>,
    pub exception_misses: FxHashMap<usize, Vec<u8>>,
    /// Tracked files that candidates meant for local files would remove, per combination
    /// of those candidates: how many, and the first few paths.
    pub tracked_removed: FxHashMap<Bits, (u64, Vec<Vec<u8>>)>,
    /// Per protected source: paths it needs that do not ship (what it names, or a pruned
    /// directory on the way), with a rule that excluded them.
    pub named_unlisted: FxHashMap<usize, Vec<Unlisted>>,
    /// Per protected source: named paths with something re-included and shipping below
    /// them (an excluded directory BuildKit still sends, because of an exception).
    pub named_listed_below: FxHashMap<usize, FxHashSet<Vec<u8>>>,
    scratch: Vec<usize>,
    directories: DirectoryMemory,
    prober: Prober<'a>,
}

impl<'a> ScanTally<'a> {
    pub fn new(settings: &'a ScanSettings<'a>) -> ScanTally<'a> {
        ScanTally {
            settings,
            on_disk: Amount::default(),
            excluded: Amount::default(),
            shipped: Amount::default(),
            emptied: Amount::default(),
            dirs: FxHashMap::default(),
            transfer_dirs: FxHashMap::default(),
            largest: Largest::new(settings.top),
            categories: ByCategory::new(),
            markers: Vec::new(),
            by_candidates: FxHashMap::default(),
            selected: [Amount::default(); MAX_SELECTORS],
            links: FxHashMap::default(),
            secret_removers: Bits::EMPTY,
            transfer: Amount::default(),
            transfer_categories: ByCategory::new(),
            named_any: Amount::default(),
            named_shipped: SourceBits::EMPTY,
            wildcard_dir_shipped: SourceBits::EMPTY,
            conflicts: FxHashMap::default(),
            below_sources: FxHashMap::default(),
            outputs: FxHashMap::default(),
            output_dirs: Vec::new(),
            output_dirs_overflow: false,
            tracked_removed: FxHashMap::default(),
            undoes: FxHashMap::default(),
            hits_walked: Bits::EMPTY,
            hits_pruned: Bits::EMPTY,
            nested_bare: FxHashMap::default(),
            nested_exceptions: FxHashMap::default(),
            exception_misses: FxHashMap::default(),
            named_unlisted: FxHashMap::default(),
            named_listed_below: FxHashMap::default(),
            scratch: Vec::new(),
            directories: DirectoryMemory::default(),
            prober: Prober::new(settings.probes),
        }
    }

    /// Adds a shipped entry; returns its category (none for a directory).
    fn add_shipped(&mut self, entry: &Entry<&[u8]>, probed: &Probed) -> Option<Category> {
        let bytes = entry.shipped_size();
        let in_transfer = self.settings.views.in_transfer(probed.selected_by);
        self.shipped.add(entry, bytes);
        if in_transfer {
            self.transfer.add(entry, bytes);
        }
        if let Some(inode) = probed.hard_link
            && bytes > 0
        {
            let linked = self
                .links
                .entry(inode)
                .or_insert_with(|| Linked { size: bytes, names: Vec::new() });
            linked.names.push(LinkName {
                path: entry.path.into(),
                removed_by: probed.removed_by,
                in_transfer,
            });
        }
        if let Fate::ShippedEmpty { .. } = entry.fate {
            self.emptied.add(entry, entry.size);
        }
        add_to_dirs(&mut self.dirs, self.settings.depth, entry, bytes);
        if in_transfer && self.settings.transfer_dirs {
            add_to_dirs(&mut self.transfer_dirs, self.settings.depth, entry, bytes);
        }
        let found = (entry.kind != EntryKind::Dir)
            .then(|| self.add_to_category(entry, probed, bytes, in_transfer));
        if self.settings.propose {
            self.add_output_facts(entry, probed, in_transfer, bytes);
        }
        self.add_candidate_facts(entry, probed, bytes, in_transfer);
        if !probed.selected_by.is_empty() {
            self.add_selected(entry, probed, bytes);
        }
        found
    }

    /// Counts a shipped file (not a directory) in its category; returns the category.
    fn add_to_category(
        &mut self,
        entry: &Entry<&[u8]>,
        probed: &Probed,
        bytes: u64,
        in_transfer: bool,
    ) -> Category {
        let mut category = self.settings.categorizer.categorize(
            entry.path,
            bytes,
            &mut self.scratch,
            &mut self.directories,
        );
        // A FIFO, device or socket ships with no content: nothing in it can leak.
        let contentless =
            !matches!(entry.kind, EntryKind::File | EntryKind::Symlink | EntryKind::Dir);
        if category == Category::Secrets
            && (contentless
                || !self.settings.categorizer.secret_by_path(entry.path)
                    && !holds_credentials(self.settings.root, entry.path))
        {
            category = Category::Other;
        }
        let allowed = category != Category::Other && self.settings.allow.allows(entry.path);
        self.categories.add(category, entry, bytes, allowed);
        if in_transfer {
            self.transfer_categories.add(category, entry, bytes, allowed);
        }
        if category == Category::Secrets {
            self.secret_removers |= probed.removed_by;
        }
        if entry.kind == EntryKind::File {
            self.largest.offer(bytes, entry.path);
        }
        category
    }

    /// What the candidates that would remove or empty a shipped entry would cost: tracked
    /// files they take, amounts per combination, and `!` rules they would undo.
    fn add_candidate_facts(
        &mut self,
        entry: &Entry<&[u8]>,
        probed: &Probed,
        bytes: u64,
        in_transfer: bool,
    ) {
        if entry.kind != EntryKind::Dir
            && let Some(tracked) = self.settings.tracked
            && probed.removed_by.intersects(&self.settings.local_candidates)
            && tracked.is_tracked(entry.path)
        {
            let removers = probed.removed_by & self.settings.local_candidates;
            let slot = self.tracked_removed.entry(removers).or_default();
            slot.0 += 1;
            keep_smallest(&mut slot.1, entry.path);
        }
        if !probed.removed_by.is_empty() || !probed.emptied_by.is_empty() {
            self.by_candidates
                .entry((probed.removed_by, probed.emptied_by, in_transfer))
                .or_default()
                .add(entry, bytes);
        }
        if let Some(exception) = probed.reincluded_by {
            for candidate in (probed.removed_by | probed.emptied_by).iter() {
                let slot = self.undoes.entry(candidate).or_insert((exception, entry.path.to_vec()));
                if *entry.path < *slot.1 {
                    *slot = (exception, entry.path.to_vec());
                }
            }
        }
    }

    /// Counts a shipped entry for the sources that select it.
    fn add_selected(&mut self, entry: &Entry<&[u8]>, probed: &Probed, bytes: u64) {
        let views = self.settings.views;
        for bit in probed.selected_by.iter() {
            self.selected[bit].add(entry, bytes);
        }
        if probed.selected_by.intersects(&views.protect_mask) {
            self.named_any.add(entry, bytes);
        }
        self.named_shipped |= probed.named_by;
        for bit in (probed.leads_by & self.settings.wildcard_sources).iter() {
            let dir = self.settings.sources[bit].wildcard_dir();
            if dir.as_deref() == Some(entry.path) {
                self.wildcard_dir_shipped.set(bit);
            }
        }
        // Protection is for what a source names, never for what lies below it: filtering
        // inside a copied directory is what an ignore file is for.
        let named = probed.named_by & views.protect_mask;
        if let Some(source) = named.first() {
            for candidate in (probed.removed_by | probed.emptied_by).iter() {
                let slot = self.conflicts.entry(candidate).or_insert((source, entry.path.to_vec()));
                if *entry.path < *slot.1 {
                    *slot = (source, entry.path.to_vec());
                }
            }
        }
        let below = probed.selected_by & !probed.named_by & !probed.leads_by & views.protect_mask;
        if !below.is_empty() {
            *self.below_sources.entry((below, probed.removed_by)).or_default() += 1;
            if probed.reincluded_by.is_some() {
                self.note_listed_below(below, entry.path);
            }
        }
    }

    /// Whether the transfer is the whole context (a source is the root, or no Dockerfile).
    pub fn sends_whole_context(&self) -> bool {
        self.settings.views.whole_context
    }

    /// What the proposal needs to know about build output: directories named like it (for
    /// the templates' `**/target`), and what ships in each place (for rules of their own).
    fn add_output_facts(
        &mut self,
        entry: &Entry<&[u8]>,
        probed: &Probed,
        in_transfer: bool,
        bytes: u64,
    ) {
        if entry.kind == EntryKind::Dir
            && !probed.removed_by.is_empty()
            && super::build_output::is_output_name(entry.path)
            && !crate::detect::is_inside_skipped_dir(entry.path)
        {
            if self.output_dirs.len() < OUTPUT_DIRS_KEPT {
                self.output_dirs.push((entry.path.to_vec(), probed.removed_by));
            } else {
                self.output_dirs_overflow = true;
            }
        }
        if let Some(place) = super::build_output::place_of(entry.path) {
            self.add_to_output(place, entry, probed, in_transfer, bytes);
        }
    }

    /// Counts a shipped entry at or below a place named like build output.
    fn add_to_output(
        &mut self,
        place: &[u8],
        entry: &Entry<&[u8]>,
        probed: &Probed,
        in_transfer: bool,
        bytes: u64,
    ) {
        let slot = match self.outputs.get_mut(place) {
            Some(slot) => slot,
            None => self.outputs.entry(place.to_vec()).or_default(),
        };
        if entry.path.len() == place.len() {
            slot.is_dir = entry.kind == EntryKind::Dir;
        }
        // Content a candidate would empty still counts whole: the place removes the entry.
        let amount = slot.by_candidates.entry((probed.removed_by, in_transfer)).or_default();
        amount.add(entry, bytes);
        slot.reincluded |= probed.reincluded_by.is_some();
        if entry.kind != EntryKind::Dir
            && let Some(tracked) = self.settings.tracked
            && tracked.is_tracked(entry.path)
        {
            slot.tracked.0 += 1;
            keep_smallest(&mut slot.tracked.1, entry.path);
        }
    }

    /// Remembers, for each source, the path it names above a re-included entry: that path
    /// reaches the builder even if a rule excludes it.
    fn note_listed_below(&mut self, sources: SourceBits, path: &[u8]) {
        for bit in sources.iter() {
            let Some(named) = self.settings.sources.get(bit).and_then(|s| s.named_ancestor(path))
            else {
                continue;
            };
            let set = self.named_listed_below.entry(bit).or_default();
            if !set.contains(named) {
                set.insert(named.to_vec());
            }
        }
    }
}

/// Amounts and examples per category, for one view (the context or the transfer).
pub struct ByCategory {
    pub amounts: [Amount; Category::ALL.len()],
    /// The largest files of each category, as examples (none of the allowed ones).
    pub examples: [Largest; Category::ALL.len()],
    /// The allowed files of each category (also counted in `amounts`), and the largest of
    /// them.
    pub allowed: [Amount; Category::ALL.len()],
    pub allowed_examples: [Largest; Category::ALL.len()],
}

impl ByCategory {
    fn new() -> ByCategory {
        ByCategory {
            amounts: [Amount::default(); Category::ALL.len()],
            examples: std::array::from_fn(|_| Largest::new(EXAMPLES_PER_CATEGORY)),
            allowed: [Amount::default(); Category::ALL.len()],
            allowed_examples: std::array::from_fn(|_| Largest::new(ALLOWED_PER_CATEGORY)),
        }
    }

    fn add(&mut self, category: Category, entry: &Entry<&[u8]>, bytes: u64, allowed: bool) {
        let i = category.index();
        self.amounts[i].add(entry, bytes);
        if allowed {
            self.allowed[i].add(entry, bytes);
            self.allowed_examples[i].offer(bytes, entry.path);
        } else if category != Category::Other {
            self.examples[i].offer(bytes, entry.path);
        }
    }

    fn merge(&mut self, other: ByCategory) {
        let parts = other.amounts.into_iter().zip(other.examples).zip(other.allowed);
        for (i, ((amount, examples), allowed)) in parts.enumerate() {
            self.amounts[i].merge(amount);
            self.examples[i].merge(examples);
            self.allowed[i].merge(allowed);
        }
        for (i, examples) in other.allowed_examples.into_iter().enumerate() {
            self.allowed_examples[i].merge(examples);
        }
    }
}

/// A shipped file with several names (hard links). BuildKit sends its content with the
/// first name and the others as links, so totals count its bytes once for each view.
#[derive(Debug, Clone)]
pub struct Linked {
    pub size: u64,
    pub names: Vec<LinkName>,
}

/// One name of a [`Linked`] file.
#[derive(Debug, Clone)]
pub struct LinkName {
    pub path: Box<[u8]>,
    pub removed_by: Bits,
    pub in_transfer: bool,
}

impl Linked {
    /// The bytes counted more than once among the names that `kept` leaves (those `gone`
    /// says are not removed otherwise): for the context and for the transfer.
    pub fn repeated(&self, gone: impl Fn(&LinkName) -> bool) -> (u64, u64) {
        let left = self.names.iter().filter(|n| !gone(n));
        let (context, transfer) =
            left.fold((0u64, 0u64), |(c, t), n| (c + 1, t + u64::from(n.in_transfer)));
        (self.size * context.saturating_sub(1), self.size * transfer.saturating_sub(1))
    }
}

/// The most directories named like build output kept for the proposal's check.
const OUTPUT_DIRS_KEPT: usize = 4096;

/// What ships at and below one place named like build output (`apps/api/dist`).
#[derive(Debug, Clone, Default)]
pub struct OutputPlace {
    /// The place itself is a directory (a file called `build` is a script, not output).
    pub is_dir: bool,
    /// Amounts per (candidates removing the entry, in the transfer): the place's rule would
    /// remove all of them, some of which other proposed rules remove too.
    pub by_candidates: FxHashMap<(Bits, bool), Amount>,
    /// Something in it ships because of one of the user's `!` rules.
    pub reincluded: bool,
    /// Tracked files in it: how many, and the first few.
    pub tracked: (u64, Vec<Vec<u8>>),
}

impl OutputPlace {
    fn merge(&mut self, other: OutputPlace) {
        self.is_dir |= other.is_dir;
        for (key, amount) in other.by_candidates {
            self.by_candidates.entry(key).or_default().merge(amount);
        }
        self.reincluded |= other.reincluded;
        self.tracked.0 += other.tracked.0;
        for path in other.tracked.1 {
            keep_smallest(&mut self.tracked.1, &path);
        }
    }
}

/// How many example paths are kept per combination of candidates.
pub const TRACKED_EXAMPLES: usize = 5;

/// Keeps the [`TRACKED_EXAMPLES`] smallest paths, sorted.
fn keep_smallest(paths: &mut Vec<Vec<u8>>, path: &[u8]) {
    let at = paths.partition_point(|p| p.as_slice() < path);
    if at < TRACKED_EXAMPLES && paths.get(at).is_none_or(|p| p.as_slice() != path) {
        paths.insert(at, path.to_vec());
        paths.truncate(TRACKED_EXAMPLES);
    }
}

/// Keeps the most telling example of a nested match: a secret, else junk, else the
/// smallest path.
fn offer_example(slot: &mut crate::lint::NestedBare, path: &[u8], junk: bool, secret: bool) {
    let rank = |secret: bool, junk: bool| (!secret, !junk);
    let new = (rank(secret, junk), path);
    let old = (rank(slot.example_is_secret, slot.example_is_junk), slot.example.as_slice());
    if slot.example.is_empty() || new < old {
        slot.example = path.to_vec();
        slot.example_is_secret = secret;
        slot.example_is_junk = junk;
    }
}

/// Keeps the smallest path as the example.
fn keep_first<K: std::hash::Hash + Eq, V>(
    map: &mut FxHashMap<K, V>,
    key: K,
    value: V,
    path: impl Fn(&V) -> &[u8],
) {
    match map.get_mut(&key) {
        Some(old) if path(&value) < path(old) => *old = value,
        Some(_) => {}
        None => {
            map.insert(key, value);
        }
    }
}

impl ScanTally<'_> {
    /// Whether a shipped entry looks generated or local (a category other than `other`, a
    /// directory whose contents would be, and not tracked by git), and whether it is a secret.
    fn looks_junk(&mut self, entry: &Entry<&[u8]>, category: Option<Category>) -> (bool, bool) {
        let category = category.unwrap_or_else(|| {
            // A directory: what a file inside it would be (`sub/node_modules` → dependencies).
            let inside = [entry.path, b"/x"].concat();
            self.settings.categorizer.categorize(
                &inside,
                0,
                &mut self.scratch,
                &mut self.directories,
            )
        });
        let tracked = self.settings.tracked.is_some_and(|t| {
            if entry.kind == EntryKind::Dir {
                t.has_tracked_below(entry.path)
            } else {
                t.is_tracked(entry.path)
            }
        });
        (category != Category::Other && !tracked, category == Category::Secrets)
    }

    /// Whether what source `bit` names reaches the builder: something it names ships, or is
    /// an excluded directory that an exception still sends; for a wildcard source, its
    /// directory ships (an empty match copies nothing, and the build goes on).
    pub fn source_available(&self, bit: usize) -> bool {
        let wildcard_in_root =
            self.settings.sources[bit].wildcard_dir().is_some_and(|d| d.is_empty());
        wildcard_in_root
            || self.wildcard_dir_shipped.get(bit)
            || self.named_shipped.get(bit)
            || self.named_listed_below.get(&bit).is_some_and(|set| !set.is_empty())
    }

    /// For each protected source whose needed path does not ship: a rule that excluded
    /// something on the way and the most specific such path. A named directory that an
    /// exception still sends (something below it is re-included) is available.
    pub fn needed_excluded(&self) -> Vec<(usize, Option<usize>, Vec<u8>)> {
        let mut found: FxHashMap<usize, (Option<usize>, Vec<u8>)> = FxHashMap::default();
        for (&source, list) in &self.named_unlisted {
            let sent = self.named_listed_below.get(&source);
            for (rule, path) in list {
                if sent.is_some_and(|set| set.contains(path.as_slice())) {
                    continue;
                }
                merge_needed(&mut found, source, (*rule, path.clone()));
            }
        }
        let mut list: Vec<_> =
            found.into_iter().map(|(source, (rule, path))| (source, rule, path)).collect();
        list.sort();
        list
    }
}

/// For a needed path that is excluded: the most specific path (the deepest: the file the
/// source names rather than a directory on the way), and a rule that excluded something on
/// the way (entries inside a skipped directory have none).
fn merge_needed(
    map: &mut FxHashMap<usize, (Option<usize>, Vec<u8>)>,
    source: usize,
    (rule, path): (Option<usize>, Vec<u8>),
) {
    let depth = |p: &[u8]| path::depth(p);
    let slot = map.entry(source).or_insert((rule, path.clone()));
    slot.0 = match (slot.0, rule) {
        (Some(kept), Some(new)) => Some(kept.min(new)),
        (kept, new) => kept.or(new),
    };
    let (old, new) = (depth(&slot.1), depth(&path));
    if new > old || new == old && path < slot.1 {
        slot.1 = path;
    }
}

impl ScanTally<'_> {
    fn add_lint_facts(
        &mut self,
        entry: &Entry<&[u8]>,
        probed: &Probed,
        category: Option<Category>,
    ) {
        if !probed.hit_by.is_empty() {
            if entry.fate == Fate::InsidePruned {
                self.hits_pruned |= probed.hit_by;
            } else {
                self.hits_walked |= probed.hit_by;
            }
            if !entry.fate.is_listed() {
                for rule in (probed.hit_by & self.settings.exceptions).iter() {
                    keep_first(&mut self.exception_misses, rule, entry.path.to_vec(), |p| p);
                }
            }
        }
        if entry.fate.is_listed()
            && let (Some(_), name) = path::split(entry.path)
        {
            let mut deeper: Vec<usize> = Vec::new();
            if let Some((set, rules)) = self.settings.bare_names {
                deeper.extend(set.matching(name, Bits::EMPTY).iter().map(|bit| rules[bit]));
            }
            if let Some((set, rules)) = self.settings.deep_names {
                let depth = path::depth(entry.path) + 1;
                let found = set.matching(entry.path, Bits::EMPTY);
                deeper.extend(found.iter().filter(|&bit| rules[bit].1 < depth).map(|b| rules[b].0));
            }
            let mut junk = None;
            for rule in deeper {
                let (is_junk, is_secret) =
                    *junk.get_or_insert_with(|| self.looks_junk(entry, category));
                let slot = self.nested_bare.entry(rule).or_default();
                slot.count += 1;
                slot.junk += u64::from(is_junk);
                offer_example(slot, entry.path, is_junk, is_secret);
            }
        }
        if let Fate::Excluded { .. } = entry.fate
            && let Some((set, rules)) = self.settings.except_names
            && let (Some(_), name) = path::split(entry.path)
        {
            for rule in set.matching(name, Bits::EMPTY).iter().map(|bit| rules[bit]) {
                let slot = self.nested_exceptions.entry(rule).or_default();
                slot.count += 1;
                offer_example(slot, entry.path, false, false);
            }
        }
        if !entry.fate.is_listed() {
            // What a source names must arrive; a directory on the way matters only when
            // BuildKit does not enter it (otherwise what lies below is decided on its own).
            let pruned = matches!(entry.fate, Fate::Excluded { pruned: true, .. });
            let protect = self.settings.views.protect_mask;
            let leads = if pruned { probed.leads_by } else { SourceBits::EMPTY };
            let needs = (probed.named_by | leads) & protect;
            let rule = match entry.fate {
                Fate::Excluded { rule, .. } => rule.map(usize::from),
                _ => None,
            };
            for source in needs.iter() {
                let list = self.named_unlisted.entry(source).or_default();
                if list.len() < UNLISTED_PER_SOURCE {
                    list.push((rule, entry.path.to_vec()));
                }
            }
        }
    }
}

impl Tally for ScanTally<'_> {
    /// The candidates that would remove the entry.
    type State = Bits;

    fn uses_state(&self) -> bool {
        self.prober.has_candidates()
    }

    fn state(&self, parent: &Bits, path: &[u8], step: &Step) -> Bits {
        self.prober.removed_by(*parent, path, step)
    }

    fn add(&mut self, entry: Entry<&[u8]>, seen: Seen<'_, Bits>) {
        let mut probed = Probed::default();
        self.prober.probe(&entry, &seen, &mut probed);
        self.add_probed(entry, &probed);
    }

    fn merge(&mut self, other: Self) {
        self.merge_tally(other);
    }
}

impl ScanTally<'_> {
    /// Answers the scan's probes for one entry (see [`Prober::probe`]).
    pub fn probe(&mut self, entry: &Entry<&[u8]>, seen: &Seen<'_, Bits>, probed: &mut Probed) {
        self.prober.probe(entry, seen, probed);
    }

    /// The Dockerfile sources this tally's selectors stand for.
    pub fn selected_sources(&self) -> &[ContextSource] {
        self.settings.probes.sources
    }

    /// Counts one entry, with the answers to the scan's probes.
    pub fn add_probed(&mut self, entry: Entry<&[u8]>, probed: &Probed) {
        let disk_bytes = match entry.kind {
            EntryKind::File | EntryKind::Symlink => entry.size,
            _ => 0,
        };
        self.on_disk.add(&entry, disk_bytes);
        if entry.kind == EntryKind::File
            && entry.fate != Fate::InsidePruned
            && path::depth(entry.path) <= MARKER_MAX_DEPTH
            && (self.settings.is_marker)(entry.path)
        {
            self.markers.push(entry.path.to_vec());
        }
        let category = if entry.fate.is_listed() { self.add_shipped(&entry, probed) } else { None };
        self.add_lint_facts(&entry, probed, category);
        if !entry.fate.is_listed() {
            self.excluded.add(&entry, disk_bytes);
        }
    }

    fn merge_tally(&mut self, other: Self) {
        self.on_disk.merge(other.on_disk);
        self.excluded.merge(other.excluded);
        self.shipped.merge(other.shipped);
        self.emptied.merge(other.emptied);
        for (dir, amount) in other.dirs {
            self.dirs.entry(dir).or_default().merge(amount);
        }
        for (dir, amount) in other.transfer_dirs {
            self.transfer_dirs.entry(dir).or_default().merge(amount);
        }
        self.largest.merge(other.largest);
        self.categories.merge(other.categories);
        self.markers.extend(other.markers);
        for (bits, amount) in other.by_candidates {
            self.by_candidates.entry(bits).or_default().merge(amount);
        }
        self.secret_removers |= other.secret_removers;
        self.merge_links(other.links);
        for (i, amount) in other.selected.into_iter().enumerate() {
            self.selected[i].merge(amount);
        }
        self.transfer.merge(other.transfer);
        self.transfer_categories.merge(other.transfer_categories);
        self.named_any.merge(other.named_any);
        self.named_shipped |= other.named_shipped;
        self.wildcard_dir_shipped |= other.wildcard_dir_shipped;
        self.merge_tracked_removed(other.tracked_removed);
        self.output_dirs.extend(other.output_dirs);
        self.output_dirs_overflow |= other.output_dirs_overflow;
        if self.output_dirs.len() > OUTPUT_DIRS_KEPT {
            self.output_dirs_overflow = true;
        }
        for (place, other) in other.outputs {
            self.outputs.entry(place).or_default().merge(other);
        }
        for (key, count) in other.below_sources {
            *self.below_sources.entry(key).or_default() += count;
        }
        for (source, mut list) in other.named_unlisted {
            let mine = self.named_unlisted.entry(source).or_default();
            mine.append(&mut list);
            mine.sort_by(|a, b| a.1.cmp(&b.1));
            mine.truncate(UNLISTED_PER_SOURCE);
        }
        for (source, set) in other.named_listed_below {
            self.named_listed_below.entry(source).or_default().extend(set);
        }
        self.hits_walked |= other.hits_walked;
        self.hits_pruned |= other.hits_pruned;
        self.merge_nested(other.nested_exceptions, other.nested_bare);
        for (rule, path) in other.exception_misses {
            keep_first(&mut self.exception_misses, rule, path, |p| p);
        }
        keep_first_examples(&mut self.undoes, other.undoes);
        keep_first_examples(&mut self.conflicts, other.conflicts);
    }

    fn merge_links(&mut self, links: FxHashMap<Inode, Linked>) {
        for (inode, mut theirs) in links {
            match self.links.entry(inode) {
                std::collections::hash_map::Entry::Occupied(mut mine) => {
                    mine.get_mut().names.append(&mut theirs.names)
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(theirs);
                }
            }
        }
    }

    fn merge_tracked_removed(&mut self, tracked_removed: FxHashMap<Bits, (u64, Vec<Vec<u8>>)>) {
        for (removers, (count, paths)) in tracked_removed {
            let slot = self.tracked_removed.entry(removers).or_default();
            slot.0 += count;
            for path in paths {
                keep_smallest(&mut slot.1, &path);
            }
        }
    }

    /// Merges lint's counts of deeper matches, keeping the most telling examples.
    fn merge_nested(
        &mut self,
        nested_exceptions: FxHashMap<usize, crate::lint::NestedBare>,
        nested_bare: FxHashMap<usize, crate::lint::NestedBare>,
    ) {
        for (rule, theirs) in nested_exceptions {
            let slot = self.nested_exceptions.entry(rule).or_default();
            slot.count += theirs.count;
            if !theirs.example.is_empty() {
                offer_example(slot, &theirs.example, false, false);
            }
        }
        for (rule, theirs) in nested_bare {
            let slot = self.nested_bare.entry(rule).or_default();
            slot.count += theirs.count;
            slot.junk += theirs.junk;
            if !theirs.example.is_empty() {
                let (junk, secret) = (theirs.example_is_junk, theirs.example_is_secret);
                offer_example(slot, &theirs.example, junk, secret);
            }
        }
    }
}

/// Merges examples kept per candidate, keeping the smallest path.
fn keep_first_examples(
    mine: &mut FxHashMap<usize, (usize, Vec<u8>)>,
    theirs: FxHashMap<usize, (usize, Vec<u8>)>,
) {
    for (candidate, example) in theirs {
        let slot = mine.entry(candidate).or_insert(example.clone());
        if example.1 < slot.1 {
            *slot = example;
        }
    }
}

/// Markers deeper than this many directories are not looked at (services sit near the top).
const MARKER_MAX_DEPTH: usize = 4;

/// Files that are secrets only when they hold credentials: a file name, or a name ending
/// (`*.pem`), and what gives the credentials away.
enum Name {
    Is(&'static [u8]),
    EndsWith(&'static [u8]),
}

const CREDENTIAL_MARKERS: &[(Name, &[&[u8]])] = &[
    (Name::Is(b".npmrc"), &[b"_authToken", b"_auth", b"_password", b"password"]),
    (Name::Is(b".pypirc"), &[b"password"]),
    // A PEM file may hold only certificates (public); a key file may be a public key.
    (Name::EndsWith(b".pem"), &[b"PRIVATE KEY"]),
    (Name::EndsWith(b".key"), &[b"PRIVATE KEY"]),
];

/// The most bytes read from such a config file.
const CONFIG_READ_LIMIT: u64 = 1 << 20;

/// Whether a file the categories call a secret really is one: `.npmrc` and `.pypirc` are
/// ordinary configuration unless they hold credentials, and a `*.pem` or `*.key` file is a
/// secret when it holds a private key (Rails' keys are secrets by path, see
/// [`Categorizer::secret_by_path`]). The content is only searched, never
/// shown; a file that cannot be read stays a suspect.
fn holds_credentials(root: &std::path::Path, path: &[u8]) -> bool {
    use std::io::Read;
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::OpenOptionsExt;
    let name = path::name(path);
    let Some((_, markers)) = CREDENTIAL_MARKERS.iter().find(|(n, _)| match n {
        Name::Is(exact) => name == *exact,
        Name::EndsWith(suffix) => name.ends_with(suffix),
    }) else {
        return true;
    };
    let mut content = Vec::new();
    let full = root.join(std::ffi::OsStr::from_bytes(path));
    // Non-blocking, and only a regular file is read: a symlink may lead to a FIFO, whose
    // opening would wait for a writer forever.
    let regular = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(full)
        .and_then(|f| f.metadata().map(|m| (f, m.is_file())));
    match regular {
        Ok((_, false)) => false,
        Ok((file, true)) => match file.take(CONFIG_READ_LIMIT).read_to_end(&mut content) {
            Ok(_) => markers.iter().any(|m| content.windows(m.len()).any(|w| w == *m)),
            Err(_) => true,
        },
        Err(_) => true,
    }
}

/// Counts a shipped entry in the directories above it, down to `depth`.
fn add_to_dirs(
    dirs: &mut FxHashMap<Vec<u8>, Amount>,
    depth: usize,
    entry: &Entry<&[u8]>,
    bytes: u64,
) {
    let mut level = 0;
    for (i, &b) in entry.path.iter().enumerate() {
        if b == b'/' {
            level += 1;
            if level > depth {
                break;
            }
            match dirs.get_mut(&entry.path[..i]) {
                Some(amount) => amount.add(entry, bytes),
                None => dirs.entry(entry.path[..i].to_vec()).or_default().add(entry, bytes),
            }
        }
    }
}
