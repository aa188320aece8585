//! The parallel walk of a build context, deciding every entry as BuildKit does.
//!
//! One walk serves every command: each thread owns a [`Tally`] that sees every entry with
//! its [`Fate`], and the tallies are merged once at the end (no lock per entry). Directories
//! are pruned exactly when BuildKit prunes them, unless the caller asks to measure inside
//! them too ([`WalkOptions::descend_pruned`]); entries found there are excluded without
//! evaluating any rule, since BuildKit never evaluates them. The walk knows only what is on
//! disk and what BuildKit decides; whatever else a command asks of each entry is its
//! tally's business.

use std::ffi::OsStr;
use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use ignore::{DirEntry, ParallelVisitor, ParallelVisitorBuilder, WalkBuilder, WalkState};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::context::BuildContext;
pub use crate::entry_kind::EntryKind;
use crate::rules::path;
use crate::rules::{Fate, Inherited, RuleError, RuleSet, Step};

/// One entry of the context. Tallies see it with a borrowed path (`Entry<&[u8]>`): most
/// keep no path, and the walk then allocates none per entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<P = Box<[u8]>> {
    /// Relative to the context root, `/`-separated, raw bytes (names need not be UTF-8).
    /// Boxed rather than a `Vec`: `ls` keeps every entry of the context to sort them.
    pub path: P,
    pub kind: EntryKind,
    /// Apparent size on disk: file length, the target's length for a symlink, 0 otherwise.
    /// Only measured when the walk was asked to (see [`WalkOptions`]).
    pub size: u64,
    pub fate: Fate,
}

impl<P> Entry<P> {
    /// The size BuildKit sends for this entry, as `ls --long` prints it.
    pub fn shipped_size(&self) -> u64 {
        match (self.kind, self.fate) {
            (EntryKind::File, Fate::Shipped) | (EntryKind::Symlink, _) => self.size,
            _ => 0,
        }
    }
}

/// Something the walk could not see; the result is incomplete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkIssue {
    pub path: PathBuf,
    pub message: String,
}

/// Per-thread accumulation of walk results; merged when the walk ends.
pub trait Tally: Send {
    /// What the tally derives for each entry from its directory's, beside the rules' step
    /// (`scan`: the proposed rules that would exclude it). A directory's state is remembered
    /// next to the rules' and handed to its children; a thread that meets a directory it has
    /// not seen recomputes both from the nearest ancestor it remembers, so that no state is
    /// shared between threads.
    type State: Clone + Default + Send;

    /// Whether [`Tally::State`] carries anything: without rules and without it, the walk
    /// remembers no directories.
    fn uses_state(&self) -> bool {
        std::mem::size_of::<Self::State>() != 0
    }

    /// An entry's state, from its directory's and the rules' step on the entry.
    fn state(&self, parent: &Self::State, path: &[u8], step: &Step) -> Self::State;

    /// Counts one entry.
    fn add(&mut self, entry: Entry<&[u8]>, seen: Seen<'_, Self::State>);

    fn merge(&mut self, other: Self);
}

/// What the walk knows of an entry beside the [`Entry`] itself.
#[derive(Debug, Clone, Copy)]
pub struct Seen<'a, S> {
    /// The rules' decision on the entry (the entry's fate may differ: a file the rules keep
    /// but that cannot be read ships empty).
    pub step: &'a Step,
    /// The tally's own state for the entry (see [`Tally::state`]).
    pub state: &'a S,
    /// For a regular file with several names (hard links), its inode: BuildKit sends the
    /// content once and the other names as links. Only known when sizes are measured.
    pub hard_link: Option<Inode>,
}

/// A file's identity on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Inode {
    pub dev: u64,
    pub ino: u64,
}

/// Running totals of a walk, for a progress display. Walker threads add to them in batches
/// of about a thousand entries, never once per entry.
#[derive(Debug, Default)]
pub struct Counters {
    entries: AtomicU64,
    bytes: AtomicU64,
}

impl Counters {
    fn add(&self, entries: u64, bytes: u64) {
        self.entries.fetch_add(entries, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
    }

    /// Entries walked so far.
    pub fn entries(&self) -> u64 {
        self.entries.load(Ordering::Relaxed)
    }

    /// Bytes measured so far.
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }
}

/// Entries counted locally before they are added to the shared [`Counters`].
const COUNTERS_BATCH: u64 = 1024;

/// The simplest tally: every entry.
#[derive(Debug, Default)]
pub struct EntryList(pub Vec<Entry>);

impl Tally for EntryList {
    type State = ();

    fn state(&self, _: &(), _: &[u8], _: &Step) {}

    fn add(&mut self, entry: Entry<&[u8]>, _: Seen<'_, ()>) {
        let Entry { path, kind, size, fate } = entry;
        self.0.push(Entry { path: path.into(), kind, size, fate });
    }

    fn merge(&mut self, mut other: Self) {
        self.0.append(&mut other.0);
    }
}

/// How to walk.
#[derive(Debug, Clone, Copy, Default)]
pub struct WalkOptions<'a> {
    /// Worker threads; 0 picks from the machine (see [`walker_threads`]).
    pub threads: usize,
    /// Measure inside directories BuildKit prunes (their entries become [`Fate::InsidePruned`]).
    pub descend_pruned: bool,
    /// Measure sizes of shipped entries.
    pub sizes_shipped: bool,
    /// Measure sizes of excluded entries.
    pub sizes_excluded: bool,
    /// Running totals to add to, for a progress display.
    pub counters: Option<&'a Counters>,
}

/// The merged result of a walk.
#[derive(Debug)]
pub struct Walked<T> {
    pub tally: T,
    /// What the walk could not see: the result is incomplete. Sorted by path.
    pub issues: Vec<WalkIssue>,
    /// Regular files that ship but cannot be read, relative to the root, sorted: BuildKit
    /// sends each as an empty file and the build goes on (their fate is
    /// [`Fate::ShippedEmpty`] without a rule). Only found when shipped sizes are measured.
    pub unreadable_files: Vec<Box<[u8]>>,
}

/// Why a walk has no result: `docker build` would fail on this context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalkError {
    /// A rule whose regular expression does not compile, evaluated on some path.
    Rules(RuleError),
    /// A directory BuildKit enters cannot be read: its sender fails with `error from sender:
    /// open DIR: permission denied` (observed with a real build). `path` is the first such
    /// directory in BuildKit's walk order (relative to the root, empty for the root itself);
    /// `more` counts the others.
    UnreadableDir { path: Box<[u8]>, more: usize },
}

impl From<RuleError> for WalkError {
    fn from(error: RuleError) -> WalkError {
        WalkError::Rules(error)
    }
}

/// What one visitor found beside its tally.
#[derive(Debug, Default)]
struct Findings {
    issues: Vec<WalkIssue>,
    unreadable_files: Vec<Box<[u8]>>,
    /// Directories BuildKit would enter but that cannot be read: the build fails.
    unreadable_dirs: Vec<Box<[u8]>>,
}

/// Walks the context in parallel. Fails only when BuildKit would fail the build: a rule whose
/// regular expression does not compile, evaluated on some path, or a directory it enters that
/// cannot be read.
pub fn walk<T: Tally>(
    context: &BuildContext,
    options: WalkOptions<'_>,
    new_tally: &(dyn Fn() -> T + Sync),
) -> Result<Walked<T>, WalkError> {
    let fatal = OnceLock::new();
    let done = Mutex::new(Vec::new());
    let mut builder = VisitorBuilder {
        root: &context.root,
        rules: &context.rules,
        new_tally,
        root_len: context.root.as_os_str().len(),
        options,
        fatal: &fatal,
        done: &done,
    };
    WalkBuilder::new(&context.root)
        .standard_filters(false)
        .follow_links(false)
        .threads(walker_threads(options.threads))
        .build_parallel()
        .visit(&mut builder);
    if let Some(error) = fatal.into_inner() {
        return Err(WalkError::Rules(error));
    }
    let mut tally = new_tally();
    let mut all = Findings::default();
    for (part, mut findings) in done.into_inner().unwrap_or_else(|e| e.into_inner()) {
        tally.merge(part);
        all.issues.append(&mut findings.issues);
        all.unreadable_files.append(&mut findings.unreadable_files);
        all.unreadable_dirs.append(&mut findings.unreadable_dirs);
    }
    let Findings { mut issues, mut unreadable_files, unreadable_dirs } = all;
    // BuildKit walks each directory's entries in name order and stops at the first error.
    if let Some(first) = unreadable_dirs.iter().min_by(|a, b| walk_order(a, b)) {
        let more = unreadable_dirs.len() - 1;
        return Err(WalkError::UnreadableDir { path: first.clone(), more });
    }
    issues.sort_by(|a, b| a.path.cmp(&b.path));
    unreadable_files.sort_unstable();
    Ok(Walked { tally, issues, unreadable_files })
}

/// The walker threads for a requested count (0: pick). Picking three per core: on a warm
/// cache more threads than cores cost nothing measurable, and on a cold one they keep more
/// reads in flight (the benchmark's 130k-entry tree: 1.5 s with two threads, 0.9 s with six).
pub fn walker_threads(requested: usize) -> usize {
    if requested > 0 {
        return requested;
    }
    (3 * available_cores()).min(MAX_DEFAULT_THREADS)
}

/// The cores this process may run on.
pub fn available_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// More threads than this stop helping even on a cold cache, and each holds its own tally.
const MAX_DEFAULT_THREADS: usize = 24;

struct VisitorBuilder<'a, T> {
    root: &'a Path,
    rules: &'a RuleSet,
    new_tally: &'a (dyn Fn() -> T + Sync),
    root_len: usize,
    options: WalkOptions<'a>,
    fatal: &'a OnceLock<RuleError>,
    done: &'a Mutex<Vec<(T, Findings)>>,
}

impl<'s, T: Tally + 's> ParallelVisitorBuilder<'s> for VisitorBuilder<'s, T> {
    fn build(&mut self) -> Box<dyn ParallelVisitor + 's> {
        let tally = (self.new_tally)();
        Box::new(Visitor {
            rules: self.rules,
            new_tally: self.new_tally,
            remembers_dirs: !self.rules.is_empty() || tally.uses_state(),
            root_len: self.root_len,
            options: self.options,
            fatal: self.fatal,
            done: self.done,
            children_of: FxHashMap::default(),
            unreported: (0, 0),
            root: self.root,
            parents: ParentDirs::default(),
            privileged: rustix::process::geteuid().is_root(),
            tally,
            findings: Findings::default(),
        })
    }
}

struct Visitor<'a, T: Tally> {
    rules: &'a RuleSet,
    new_tally: &'a (dyn Fn() -> T + Sync),
    /// Whether directories' states are needed at all (not without rules or tally state).
    remembers_dirs: bool,
    root_len: usize,
    options: WalkOptions<'a>,
    fatal: &'a OnceLock<RuleError>,
    done: &'a Mutex<Vec<(T, Findings)>>,
    /// This thread's memory of what directories hand their children: the rules' record and
    /// the tally's state. A directory's children may be visited by any thread; a thread
    /// that has not seen the directory recomputes both from the root (the same evaluations
    /// BuildKit made), which keeps the walk lock-free.
    children_of: FxHashMap<Vec<u8>, (Inherited, T::State)>,
    /// Entries and bytes not yet added to the shared counters.
    unreported: (u64, u64),
    root: &'a Path,
    parents: ParentDirs,
    /// Running as root: every file can be read.
    privileged: bool,
    tally: T,
    findings: Findings,
}

impl<T: Tally> Drop for Visitor<'_, T> {
    fn drop(&mut self) {
        if let Some(counters) = self.options.counters {
            counters.add(self.unreported.0, self.unreported.1);
        }
        let part = (
            std::mem::replace(&mut self.tally, (self.new_tally)()),
            std::mem::take(&mut self.findings),
        );
        self.done.lock().unwrap_or_else(|e| e.into_inner()).push(part);
    }
}

impl<T: Tally> ParallelVisitor for Visitor<'_, T> {
    fn visit(&mut self, result: Result<DirEntry, ignore::Error>) -> WalkState {
        let entry = match result {
            Ok(entry) => entry,
            Err(error) => {
                match self.build_failing_dir(&error) {
                    Ok(Some(dir)) => self.findings.unreadable_dirs.push(dir),
                    Ok(None) => self.issue_from(error),
                    Err(error) => {
                        let _ = self.fatal.set(error);
                        return WalkState::Quit;
                    }
                }
                return WalkState::Continue;
            }
        };
        if entry.depth() == 0 {
            return WalkState::Continue;
        }
        match self.visit_entry(&entry) {
            Ok(state) => state,
            Err(error) => {
                let _ = self.fatal.set(error);
                WalkState::Quit
            }
        }
    }
}

impl<T: Tally> Visitor<'_, T> {
    fn visit_entry(&mut self, entry: &DirEntry) -> Result<WalkState, RuleError> {
        let full = entry.path().as_os_str().as_bytes();
        let relative = relative_path(full, self.root_len);
        // Only standard input has no file type, and the walk never reads it.
        let kind = entry.file_type().map_or(EntryKind::File, EntryKind::of);
        let (inherited, parent_state) = match path::parent(relative) {
            Some(parent) if self.remembers_dirs => self.handed_down_by(parent)?,
            // At the root, or without rules and tally state: nothing to remember.
            _ => (Inherited::ROOT, T::State::default()),
        };
        let step = self.rules.step(&inherited, relative, kind)?;
        let state = self.tally.state(&parent_state, relative, &step);
        let skip = matches!(step.fate, Fate::Excluded { pruned: true, .. })
            && !self.options.descend_pruned;
        if kind == EntryKind::Dir && !skip && self.remembers_dirs {
            self.children_of.insert(relative.to_vec(), (step.children(), state.clone()));
        }
        let Some((size, fate, hard_link)) = self.measure(entry, relative, kind, step.fate) else {
            return Ok(WalkState::Continue);
        };
        self.count(size);
        let seen = Seen { step: &step, state: &state, hard_link };
        self.tally.add(Entry { path: relative, kind, size, fate }, seen);
        Ok(if skip { WalkState::Skip } else { WalkState::Continue })
    }

    /// An entry's size (when the options ask for it), its fate once the walk knows whether
    /// BuildKit can read it, and its inode if it has several names. `None` when it cannot be
    /// measured (the issue is recorded).
    fn measure(
        &mut self,
        entry: &DirEntry,
        relative: &[u8],
        kind: EntryKind,
        fate: Fate,
    ) -> Option<(u64, Fate, Option<Inode>)> {
        let wants_size =
            if fate.is_listed() { self.options.sizes_shipped } else { self.options.sizes_excluded };
        if !wants_size || !matches!(kind, EntryKind::File | EntryKind::Symlink) {
            return Some((0, fate, None));
        }
        // Root reads anything: only check when permissions can refuse us.
        let check = fate == Fate::Shipped && !self.privileged;
        match self.parents.size_of(self.root, relative, kind, check) {
            Ok((size, true, inode)) => Some((size, fate, inode)),
            Ok((size, false, _)) => {
                // BuildKit's sender sends a file it cannot open as an empty file, and the
                // build goes on (observed with a real build).
                self.findings.unreadable_files.push(relative.into());
                Some((size, Fate::ShippedEmpty { rule: None }, None))
            }
            Err(error) => {
                self.issue(entry.path().to_owned(), error.to_string());
                None
            }
        }
    }

    /// Adds an entry to the shared counters, in batches.
    fn count(&mut self, size: u64) {
        if let Some(counters) = self.options.counters {
            self.unreported.0 += 1;
            self.unreported.1 += size;
            if self.unreported.0 >= COUNTERS_BATCH {
                counters.add(self.unreported.0, self.unreported.1);
                self.unreported = (0, 0);
            }
        }
    }

    /// What a directory hands its children, from this thread's memory or recomputed from
    /// the nearest remembered ancestor down, each level by the same step as the walk's.
    fn handed_down_by(&mut self, dir: &[u8]) -> Result<(Inherited, T::State), RuleError> {
        if let Some(known) = self.children_of.get(dir) {
            return Ok(known.clone());
        }
        let mut missing = vec![dir];
        let mut handed = (Inherited::ROOT, T::State::default());
        let mut cursor = dir;
        while let Some(parent) = path::parent(cursor) {
            if let Some(known) = self.children_of.get(parent) {
                handed = known.clone();
                break;
            }
            missing.push(parent);
            cursor = parent;
        }
        for dir in missing.into_iter().rev() {
            let step = self.rules.step(&handed.0, dir, EntryKind::Dir)?;
            let state = self.tally.state(&handed.1, dir, &step);
            handed = (step.children(), state);
            self.children_of.insert(dir.to_vec(), handed.clone());
        }
        Ok(handed)
    }

    /// The directory (relative to the root) whose reading failed with a permission error
    /// where BuildKit reads it too, so that the build fails; `None` for any other error, and
    /// inside a directory BuildKit never enters (only measured with `descend_pruned`).
    fn build_failing_dir(&mut self, error: &ignore::Error) -> Result<Option<Box<[u8]>>, RuleError> {
        if error.io_error().map(io::Error::kind) != Some(io::ErrorKind::PermissionDenied) {
            return Ok(None);
        }
        let Some(path) = error_path(error) else { return Ok(None) };
        let relative = relative_path(path.as_os_str().as_bytes(), self.root_len);
        if relative.is_empty() || !self.remembers_dirs {
            return Ok(Some(relative.into()));
        }
        Ok(match self.handed_down_by(relative)?.0 {
            Inherited::Pruned => None,
            Inherited::Record(..) => Some(relative.into()),
        })
    }

    fn issue_from(&mut self, error: ignore::Error) {
        let path = error_path(&error).unwrap_or_default();
        let message = match error.io_error() {
            Some(io) => io.to_string(),
            None => error.to_string(),
        };
        self.issue(path, message);
    }

    fn issue(&mut self, path: PathBuf, message: String) {
        self.findings.issues.push(WalkIssue { path, message });
    }
}

fn error_path(error: &ignore::Error) -> Option<PathBuf> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::Partial(errors) => errors.iter().find_map(error_path),
        _ => None,
    }
}

/// Directories kept open per thread, so that sizes come from `fstatat(dir, name)`: the
/// kernel then resolves one name instead of every component of a deep path, which is most
/// of a walk's system time. Children of a directory are mostly visited together, so a few
/// recently used directories suffice.
#[derive(Default)]
struct ParentDirs {
    /// Most recently used last.
    open: Vec<(Vec<u8>, OwnedFd)>,
}

/// How many directories a thread keeps open.
const OPEN_PARENT_DIRS: usize = 8;

impl ParentDirs {
    /// A file's length or a symlink's target length, read relative to its directory, and
    /// whether the file can be read (checked only when `check_readable`).
    fn size_of(
        &mut self,
        root: &Path,
        relative: &[u8],
        kind: EntryKind,
        check_readable: bool,
    ) -> io::Result<(u64, bool, Option<Inode>)> {
        let (parent, name) = match path::split(relative) {
            (Some(parent), name) => (parent, name),
            (None, name) => (&relative[..0], name),
        };
        let dir = self.open(root, parent)?;
        let name = OsStr::from_bytes(name);
        if kind == EntryKind::Symlink {
            Ok((rustix::fs::readlinkat(dir, name, Vec::new())?.as_bytes().len() as u64, true, None))
        } else {
            let stat = rustix::fs::statat(dir, name, rustix::fs::AtFlags::SYMLINK_NOFOLLOW)?;
            let readable = !check_readable
                || rustix::fs::accessat(
                    dir,
                    name,
                    rustix::fs::Access::READ_OK,
                    rustix::fs::AtFlags::EACCESS,
                )
                .is_ok();
            // A file with other names: BuildKit sends its content once.
            #[allow(clippy::useless_conversion)] // st_nlink's type differs by architecture
            let linked = u64::from(stat.st_nlink) > 1;
            #[allow(clippy::unnecessary_cast)] // so do st_dev's and st_ino's
            let inode = Inode { dev: stat.st_dev as u64, ino: stat.st_ino as u64 };
            let inode = linked.then_some(inode);
            Ok((u64::try_from(stat.st_size).unwrap_or(0), readable, inode))
        }
    }

    fn open(&mut self, root: &Path, parent: &[u8]) -> io::Result<&OwnedFd> {
        if let Some(index) = self.open.iter().position(|(path, _)| path == parent) {
            let recent = self.open.remove(index);
            self.open.push(recent);
        } else {
            use rustix::fs::{Mode, OFlags};
            let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
            // The context root may be a symlink (docker follows it); a directory inside it
            // may not (it would be a symlink that replaced the directory during the walk).
            let (path, flags) = if parent.is_empty() {
                (root.to_owned(), flags)
            } else {
                (root.join(OsStr::from_bytes(parent)), flags | OFlags::NOFOLLOW)
            };
            let fd = rustix::fs::open(&path, flags, Mode::empty())?;
            if self.open.len() == OPEN_PARENT_DIRS {
                self.open.remove(0);
            }
            self.open.push((parent.to_vec(), fd));
        }
        Ok(&self.open.last().expect("just pushed").1)
    }
}

/// The order in which BuildKit's sender meets two relative paths: name by name.
fn walk_order(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let names = |path| <[u8]>::split(path, |&b| b == b'/');
    names(a).cmp(names(b))
}

/// The path relative to the root, given the root's length in bytes.
fn relative_path(full: &[u8], root_len: usize) -> &[u8] {
    let rest = &full[root_len.min(full.len())..];
    rest.strip_prefix(b"/").unwrap_or(rest)
}

/// Marks excluded directories that contain a listed entry as listed, as BuildKit lists every
/// ancestor of what it sends. Returns the entries sorted bytewise by path.
pub fn resolve_listing(mut entries: Vec<Entry>) -> Vec<Entry> {
    use rayon::slice::ParallelSliceMut;
    // Paths are unique, so an unstable sort is deterministic; a million of them take longer
    // to sort than to list.
    entries.par_sort_unstable_by(|a, b| a.path.cmp(&b.path));
    if !entries.iter().any(|e| matches!(e.fate, Fate::Excluded { .. })) {
        return entries;
    }
    let mut needed: FxHashSet<Vec<u8>> = FxHashSet::default();
    for entry in entries.iter().filter(|e| e.fate.is_listed()) {
        let mut cursor = &entry.path[..];
        while let Some(parent) = path::parent(cursor) {
            if !needed.insert(parent.to_vec()) {
                break;
            }
            cursor = parent;
        }
    }
    for entry in &mut entries {
        if let Fate::Excluded { rule, .. } = entry.fate
            && needed.contains(&entry.path[..])
        {
            entry.fate = Fate::ListedForDescendant { rule };
        }
    }
    entries
}

#[cfg(test)]
mod tests;
