//! The per-thread aggregates of a scan, merged once the walk ends.

use rustc_hash::FxHashMap;

use super::categories::{Categorizer, Category, DirectoryMemory};
use super::largest::Largest;
use crate::bits::Bits;
use crate::walk::{Entry, EntryKind, Fate, MAX_SELECTORS, Probed, Tally};

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
    /// The context root (to look inside config files that may hold tokens).
    pub root: &'a std::path::Path,
    pub categorizer: &'a Categorizer,
    /// Directories are aggregated down to this depth (1 = top-level directories).
    pub depth: usize,
    /// How many of the largest files to keep.
    pub top: usize,
    /// Tells whether a file (by its relative path) marks a project or a service.
    pub is_marker: &'a (dyn Fn(&[u8]) -> bool + Sync),
    /// The user's bare-name rules (name, rule index), for lint.
    pub bare_names: &'a [(Vec<u8>, usize)],
    /// The user's exception rules, as bits.
    pub exceptions: Bits,
}

/// How many paths are kept as examples per category.
const EXAMPLES_PER_CATEGORY: usize = 20;

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
    /// The largest shipped files, at most `top`.
    pub largest: Largest,
    pub categories: [Amount; Category::ALL.len()],
    /// The largest files of each category, as examples.
    pub category_examples: [Largest; Category::ALL.len()],
    /// Paths of marker files (for project detection), and of Dockerfiles.
    pub markers: Vec<Vec<u8>>,
    /// Shipped amounts per combination of candidate bits (removed, emptied).
    pub by_candidates: FxHashMap<(Bits, Bits), Amount>,
    /// Shipped amounts per selector.
    pub selected: [Amount; MAX_SELECTORS],
    /// Shipped amounts selected by any selector in `transfer_mask` (what is transferred).
    pub needed_any: Amount,
    /// Shipped amounts selected by any selector in `protect_mask` (named by a specific source).
    pub named_any: Amount,
    /// For each candidate, a path it would remove that a selector in `protect_mask` needs.
    pub conflicts: FxHashMap<usize, (u64, Vec<u8>)>,
    /// For each candidate, a path it would remove that one of the user's `!` rules
    /// re-includes, with that rule's index.
    pub undoes: FxHashMap<usize, (usize, Vec<u8>)>,
    protect_mask: u64,
    transfer_mask: u64,
    /// Lint facts: rules whose pattern names a walked entry, or only pruned ones.
    pub hits_walked: Bits,
    pub hits_pruned: Bits,
    /// First (smallest) example path per rule or source.
    pub nested_bare: FxHashMap<usize, Vec<u8>>,
    pub exception_misses: FxHashMap<usize, Vec<u8>>,
    pub needed_excluded: FxHashMap<usize, (Option<usize>, Vec<u8>)>,
    scratch: Vec<usize>,
    directories: DirectoryMemory,
}

impl<'a> ScanTally<'a> {
    pub fn new(
        settings: &'a ScanSettings<'a>,
        protect_mask: u64,
        transfer_mask: u64,
    ) -> ScanTally<'a> {
        ScanTally {
            settings,
            on_disk: Amount::default(),
            excluded: Amount::default(),
            shipped: Amount::default(),
            emptied: Amount::default(),
            dirs: FxHashMap::default(),
            largest: Largest::new(settings.top),
            categories: [Amount::default(); Category::ALL.len()],
            category_examples: std::array::from_fn(|_| Largest::new(EXAMPLES_PER_CATEGORY)),
            markers: Vec::new(),
            by_candidates: FxHashMap::default(),
            selected: [Amount::default(); MAX_SELECTORS],
            needed_any: Amount::default(),
            named_any: Amount::default(),
            conflicts: FxHashMap::default(),
            undoes: FxHashMap::default(),
            protect_mask,
            transfer_mask,
            hits_walked: Bits::EMPTY,
            hits_pruned: Bits::EMPTY,
            nested_bare: FxHashMap::default(),
            exception_misses: FxHashMap::default(),
            needed_excluded: FxHashMap::default(),
            scratch: Vec::new(),
            directories: DirectoryMemory::default(),
        }
    }

    fn add_shipped(&mut self, entry: &Entry<&[u8]>, probed: &Probed) {
        let bytes = entry.shipped_size();
        self.shipped.add(entry, bytes);
        if let Fate::ShippedEmpty { .. } = entry.fate {
            self.emptied.add(entry, entry.size);
        }
        // Directories above the entry, down to the configured depth.
        let mut depth = 0;
        for (i, &b) in entry.path.iter().enumerate() {
            if b == b'/' {
                depth += 1;
                if depth > self.settings.depth {
                    break;
                }
                match self.dirs.get_mut(&entry.path[..i]) {
                    Some(amount) => amount.add(entry, bytes),
                    None => {
                        self.dirs.entry(entry.path[..i].to_vec()).or_default().add(entry, bytes)
                    }
                }
            }
        }
        if entry.kind != EntryKind::Dir {
            let mut category = self.settings.categorizer.categorize(
                entry.path,
                bytes,
                &mut self.scratch,
                &mut self.directories,
            );
            if category == Category::Secrets && !holds_credentials(self.settings.root, entry.path) {
                category = Category::Other;
            }
            self.categories[category.index()].add(entry, bytes);
            if category != Category::Other {
                self.category_examples[category.index()].offer(bytes, entry.path);
            }
            if entry.kind == EntryKind::File {
                self.largest.offer(bytes, entry.path);
            }
        }
        if !probed.removed_by.is_empty() || !probed.emptied_by.is_empty() {
            self.by_candidates
                .entry((probed.removed_by, probed.emptied_by))
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
        if probed.selected_by != 0 {
            if probed.selected_by & self.transfer_mask != 0 {
                self.needed_any.add(entry, bytes);
            }
            for bit in selector_bits(probed.selected_by) {
                self.selected[bit].add(entry, bytes);
            }
            if probed.selected_by & self.protect_mask != 0 {
                self.named_any.add(entry, bytes);
                for candidate in (probed.removed_by | probed.emptied_by).iter() {
                    let slot =
                        self.conflicts.entry(candidate).or_insert((bytes, entry.path.to_vec()));
                    if *entry.path < *slot.1 {
                        *slot = (bytes, entry.path.to_vec());
                    }
                }
            }
        }
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

/// For a needed path that is excluded: the most specific path (the deepest: the file the
/// source names rather than a directory on the way), and a rule that excluded something on
/// the way (entries inside a skipped directory have none).
fn merge_needed(
    map: &mut FxHashMap<usize, (Option<usize>, Vec<u8>)>,
    source: usize,
    (rule, path): (Option<usize>, Vec<u8>),
) {
    let depth = |p: &[u8]| p.iter().filter(|&&b| b == b'/').count();
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
    fn add_lint_facts(&mut self, entry: &Entry<&[u8]>, probed: &Probed) {
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
            && !self.settings.bare_names.is_empty()
            && let Some(slash) = entry.path.iter().rposition(|&b| b == b'/')
        {
            let name = &entry.path[slash + 1..];
            for (bare, rule) in self.settings.bare_names {
                if bare.as_slice() == name {
                    keep_first(&mut self.nested_bare, *rule, entry.path.to_vec(), |p| p);
                }
            }
        }
        if !entry.fate.is_listed() && probed.selected_by & self.protect_mask != 0 {
            let rule = match entry.fate {
                Fate::Excluded { rule, .. } => rule.map(usize::from),
                _ => None,
            };
            for source in selector_bits(probed.selected_by & self.protect_mask) {
                merge_needed(&mut self.needed_excluded, source, (rule, entry.path.to_vec()));
            }
        }
    }
}

impl Tally for ScanTally<'_> {
    fn add(&mut self, entry: Entry<&[u8]>, probed: &Probed) {
        let disk_bytes = match entry.kind {
            EntryKind::File | EntryKind::Symlink => entry.size,
            _ => 0,
        };
        self.on_disk.add(&entry, disk_bytes);
        if entry.kind == EntryKind::File
            && entry.fate != Fate::InsidePruned
            && entry.path.iter().filter(|&&b| b == b'/').count() <= MARKER_MAX_DEPTH
            && (self.settings.is_marker)(entry.path)
        {
            self.markers.push(entry.path.to_vec());
        }
        self.add_lint_facts(&entry, probed);
        if entry.fate.is_listed() {
            self.add_shipped(&entry, probed);
        } else {
            self.excluded.add(&entry, disk_bytes);
        }
    }

    fn merge(&mut self, other: Self) {
        self.on_disk.merge(other.on_disk);
        self.excluded.merge(other.excluded);
        self.shipped.merge(other.shipped);
        self.emptied.merge(other.emptied);
        for (dir, amount) in other.dirs {
            self.dirs.entry(dir).or_default().merge(amount);
        }
        self.largest.merge(other.largest);
        for (i, amount) in other.categories.into_iter().enumerate() {
            self.categories[i].merge(amount);
        }
        for (i, examples) in other.category_examples.into_iter().enumerate() {
            self.category_examples[i].merge(examples);
        }
        self.markers.extend(other.markers);
        for (bits, amount) in other.by_candidates {
            self.by_candidates.entry(bits).or_default().merge(amount);
        }
        for (i, amount) in other.selected.into_iter().enumerate() {
            self.selected[i].merge(amount);
        }
        self.needed_any.merge(other.needed_any);
        self.named_any.merge(other.named_any);
        self.hits_walked |= other.hits_walked;
        self.hits_pruned |= other.hits_pruned;
        for (rule, path) in other.nested_bare {
            keep_first(&mut self.nested_bare, rule, path, |p| p);
        }
        for (rule, path) in other.exception_misses {
            keep_first(&mut self.exception_misses, rule, path, |p| p);
        }
        for (source, example) in other.needed_excluded {
            merge_needed(&mut self.needed_excluded, source, example);
        }
        for (candidate, example) in other.undoes {
            let slot = self.undoes.entry(candidate).or_insert(example.clone());
            if example.1 < slot.1 {
                *slot = example;
            }
        }
        for (candidate, example) in other.conflicts {
            let slot = self.conflicts.entry(candidate).or_insert(example.clone());
            if example.1 < slot.1 {
                *slot = example;
            }
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
/// ordinary configuration unless they hold credentials. The content is only searched, never
/// shown; a file that cannot be read stays a suspect.
fn holds_credentials(root: &std::path::Path, path: &[u8]) -> bool {
    use std::io::Read;
    use std::os::unix::ffi::OsStrExt;
    let name = path.rsplit(|&b| b == b'/').next().unwrap_or(path);
    let Some((_, markers)) = CREDENTIAL_MARKERS.iter().find(|(n, _)| match n {
        Name::Is(exact) => name == *exact,
        Name::EndsWith(suffix) => name.ends_with(suffix),
    }) else {
        return true;
    };
    let mut content = Vec::new();
    let full = root.join(std::ffi::OsStr::from_bytes(path));
    match std::fs::File::open(full)
        .and_then(|f| f.take(CONFIG_READ_LIMIT).read_to_end(&mut content))
    {
        Ok(_) => markers.iter().any(|m| content.windows(m.len()).any(|w| w == *m)),
        Err(_) => true,
    }
}

/// The indexes of the set bits of a selector mask.
fn selector_bits(mut value: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        if value == 0 {
            return None;
        }
        let bit = value.trailing_zeros() as usize;
        value &= value - 1;
        Some(bit)
    })
}
