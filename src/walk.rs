//! The parallel walk of a build context, deciding every entry as BuildKit does.
//!
//! One walk serves every command: each thread owns a [`Tally`] that sees every entry with
//! its [`Fate`], and the tallies are merged once at the end (no lock per entry). Directories
//! are pruned exactly when BuildKit prunes them, unless the caller asks to measure inside
//! them too ([`WalkOptions::descend_pruned`]); entries found there are excluded without
//! evaluating any rule, since BuildKit never evaluates them.

use std::ffi::OsStr;
use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use ignore::{DirEntry, ParallelVisitor, ParallelVisitorBuilder, WalkBuilder, WalkState};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::bits::Bits;
use crate::context::BuildContext;
use crate::dockerfile::Selection;
use crate::rules::path;
use crate::rules::{PatternSet, Record, RuleError, RuleSet};

/// What an entry is on disk (never following symlinks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    /// A unix socket: BuildKit ships it as an empty regular file.
    Socket,
    /// A named pipe: BuildKit ships it as a named pipe (never opened, so never read).
    Fifo,
    /// A character device: BuildKit ships the device node, not what reading it gives.
    CharDevice,
    /// A block device: shipped as a device node, like a character device.
    BlockDevice,
}

impl EntryKind {
    /// The kind of a file type read without following symlinks. The file type is the one the
    /// directory read already gave, so this costs no system call.
    pub fn of(file_type: std::fs::FileType) -> EntryKind {
        if file_type.is_dir() {
            EntryKind::Dir
        } else if file_type.is_symlink() {
            EntryKind::Symlink
        } else if file_type.is_socket() {
            EntryKind::Socket
        } else if file_type.is_fifo() {
            EntryKind::Fifo
        } else if file_type.is_char_device() {
            EntryKind::CharDevice
        } else if file_type.is_block_device() {
            EntryKind::BlockDevice
        } else {
            // A regular file, or a type unix does not have: BuildKit's sender treats
            // whatever is not one of the above as a regular file.
            EntryKind::File
        }
    }
}

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
    /// Inside a directory BuildKit never enters (only seen with `descend_pruned`).
    InsidePruned,
}

impl Fate {
    /// Whether the entry appears in what BuildKit sends.
    pub fn is_listed(self) -> bool {
        matches!(self, Fate::Shipped | Fate::ShippedEmpty { .. } | Fate::ListedForDescendant { .. })
    }
}

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
    fn add(&mut self, entry: Entry<&[u8]>, probed: &Probed);
    fn merge(&mut self, other: Self);
}

/// The most candidate rules and selectors one walk can probe.
pub const MAX_CANDIDATES: usize = crate::bits::CAPACITY;
pub const MAX_SELECTORS: usize = 64;

/// A test on a relative path, evaluated on every entry: how a `COPY` source (for example)
/// relates to it.
pub type Selector<'a> = &'a (dyn Fn(&[u8]) -> Selection + Sync);

/// Extra questions the walk answers for every entry, so that `scan` needs no second pass.
#[derive(Default)]
pub struct Probes<'a> {
    /// Candidate rules (ordinary, not exceptions; at most [`MAX_CANDIDATES`]): for each, whether
    /// appending it alone after the current rules would exclude an entry, or empty its content.
    pub candidates: Option<&'a PatternSet<'a>>,
    /// At most [`MAX_SELECTORS`] selectors, evaluated on every entry.
    pub selectors: Vec<Selector<'a>>,
    /// The user's own rules, each tested on entries' paths by themselves (no skipping, no
    /// parents): which rules name something in the context at all (for lint). A rule already
    /// seen by this thread is not tested again, except the `always` ones (exceptions, whose
    /// every hit matters).
    pub hits: Option<&'a PatternSet<'a>>,
    pub hits_always: Bits,
    /// Running counters for a progress display.
    pub progress: Option<&'a crate::progress::Progress>,
}

/// Entries counted locally before they are added to the shared progress counters.
const PROGRESS_BATCH: u64 = 1024;

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
    pub selected_by: u64,
    /// Selectors that name the entry itself ([`Selection::Named`]).
    pub named_by: u64,
    /// Selectors for which the entry is a directory on the way ([`Selection::LeadsTo`]).
    pub leads_by: u64,
    /// The user's `!` rule that re-includes the entry (the current rules' deciding rule,
    /// when it is an exception): candidates must not undo it.
    pub reincluded_by: Option<usize>,
    /// The user's rules whose pattern matches the entry's own path (see [`Probes::hits`]).
    pub hit_by: Bits,
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

impl Probed {
    /// Records how each selector relates to `path`.
    pub fn select(&mut self, selectors: &[Selector<'_>], path: &[u8]) {
        for (bit, selector) in selectors.iter().enumerate() {
            match selector(path) {
                Selection::None => continue,
                Selection::Named => self.named_by |= 1 << bit,
                Selection::LeadsTo => self.leads_by |= 1 << bit,
                Selection::Below => {}
            }
            self.selected_by |= 1 << bit;
        }
    }
}

/// The simplest tally: every entry.
#[derive(Debug, Default)]
pub struct EntryList(pub Vec<Entry>);

impl Tally for EntryList {
    fn add(&mut self, entry: Entry<&[u8]>, _: &Probed) {
        let Entry { path, kind, size, fate } = entry;
        self.0.push(Entry { path: path.into(), kind, size, fate });
    }
    fn merge(&mut self, mut other: Self) {
        self.0.append(&mut other.0);
    }
}

/// How to walk.
#[derive(Debug, Clone, Copy, Default)]
pub struct WalkOptions {
    /// Worker threads; 0 picks from the machine (see [`walker_threads`]).
    pub threads: usize,
    /// Measure inside directories BuildKit prunes (their entries become [`Fate::InsidePruned`]).
    pub descend_pruned: bool,
    /// Measure sizes of shipped entries.
    pub sizes_shipped: bool,
    /// Measure sizes of excluded entries.
    pub sizes_excluded: bool,
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
    options: WalkOptions,
    probes: &Probes<'_>,
    new_tally: &(dyn Fn() -> T + Sync),
) -> Result<Walked<T>, WalkError> {
    let fatal = OnceLock::new();
    let done = Mutex::new(Vec::new());
    let mut builder = VisitorBuilder {
        root: &context.root,
        rules: &context.rules,
        probes,
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
    probes: &'a Probes<'a>,
    new_tally: &'a (dyn Fn() -> T + Sync),
    root_len: usize,
    options: WalkOptions,
    fatal: &'a OnceLock<RuleError>,
    done: &'a Mutex<Vec<(T, Findings)>>,
}

impl<'s, T: Tally + 's> ParallelVisitorBuilder<'s> for VisitorBuilder<'s, T> {
    fn build(&mut self) -> Box<dyn ParallelVisitor + 's> {
        Box::new(Visitor {
            rules: self.rules,
            probes: self.probes,
            new_tally: self.new_tally,
            remembers_dirs: !self.rules.is_empty() || self.probes.candidates.is_some(),
            root_len: self.root_len,
            options: self.options,
            fatal: self.fatal,
            done: self.done,
            children_of: FxHashMap::default(),
            unreported: (0, 0),
            root: self.root,
            parents: ParentDirs::default(),
            hits_seen: (Bits::EMPTY, Bits::EMPTY),
            privileged: rustix::process::geteuid().is_root(),
            tally: (self.new_tally)(),
            findings: Findings::default(),
        })
    }
}

/// What a directory hands down to its children.
#[derive(Debug, Clone, Copy)]
enum Inherited {
    /// The rules that matched the directory, and the candidate rules that would exclude it.
    Record(Record, Bits),
    /// BuildKit never enters the directory.
    Pruned,
}

struct Visitor<'a, T: Tally> {
    rules: &'a RuleSet,
    probes: &'a Probes<'a>,
    new_tally: &'a (dyn Fn() -> T + Sync),
    /// Whether directories' records are needed at all (not without rules or candidates).
    remembers_dirs: bool,
    root_len: usize,
    options: WalkOptions,
    fatal: &'a OnceLock<RuleError>,
    done: &'a Mutex<Vec<(T, Findings)>>,
    /// This thread's memory of directories' records. A directory's children may be visited
    /// by any thread; a thread that has not seen the directory recomputes its record from
    /// the root (the same evaluations BuildKit made), which keeps the walk lock-free.
    children_of: FxHashMap<Vec<u8>, Inherited>,
    /// Entries and bytes not yet added to the progress counters.
    unreported: (u64, u64),
    root: &'a Path,
    parents: ParentDirs,
    /// User rules this thread has seen hit a walked entry, and an entry inside a pruned one.
    hits_seen: (Bits, Bits),
    /// Running as root: every file can be read.
    privileged: bool,
    tally: T,
    findings: Findings,
}

impl<T: Tally> Drop for Visitor<'_, T> {
    fn drop(&mut self) {
        if let Some(progress) = self.probes.progress {
            progress.add(self.unreported.0, self.unreported.1);
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
        let inherited = match path::parent(relative) {
            // Without rules or candidates everything ships: no records to remember.
            _ if !self.remembers_dirs => Inherited::Record(Record::default(), Bits::EMPTY),
            None => Inherited::Record(Record::default(), Bits::EMPTY),
            Some(parent) => self.inherited_by_children_of(parent)?,
        };
        let mut probed = Probed::default();
        let (fate, hands_down) = match inherited {
            Inherited::Pruned => (Fate::InsidePruned, Inherited::Pruned),
            Inherited::Record(record, candidates) => {
                let parent = path::parent(relative).map(|_| &record);
                let verdict = self.rules.decide(relative, parent)?;
                if verdict.excluded {
                    let pruned = kind == EntryKind::Dir && self.rules.prunes(relative);
                    let fate = Fate::Excluded { rule: verdict.deciding.map(rule_index), pruned };
                    let down = if pruned {
                        Inherited::Pruned
                    } else {
                        Inherited::Record(verdict.record, candidates)
                    };
                    (fate, down)
                } else {
                    probed.removed_by = candidates | self.candidates_matching(relative, candidates);
                    probed.reincluded_by =
                        verdict.deciding.filter(|&i| self.rules.rules()[i].exception);
                    let down = Inherited::Record(verdict.record, probed.removed_by);
                    if kind == EntryKind::File
                        && self.rules.needs_content_check(parent, &verdict.record)
                    {
                        let fate = match self.rules.content_excluded(relative)? {
                            Some(rule) => Fate::ShippedEmpty { rule: Some(rule_index(rule)) },
                            None => {
                                probed.emptied_by =
                                    self.candidates_emptying(relative, probed.removed_by);
                                Fate::Shipped
                            }
                        };
                        (fate, down)
                    } else {
                        (Fate::Shipped, down)
                    }
                }
            }
        };
        probed.select(&self.probes.selectors, relative);
        if let Some(hits) = self.probes.hits {
            let seen = if fate == Fate::InsidePruned {
                self.hits_seen.0 | self.hits_seen.1
            } else {
                self.hits_seen.0
            };
            probed.hit_by = hits.matching(relative, seen & !self.probes.hits_always);
            if fate == Fate::InsidePruned {
                self.hits_seen.1 |= probed.hit_by;
            } else {
                self.hits_seen.0 |= probed.hit_by;
            }
        }
        let skip =
            matches!(fate, Fate::Excluded { pruned: true, .. }) && !self.options.descend_pruned;
        if kind == EntryKind::Dir && !skip && self.remembers_dirs {
            self.children_of.insert(relative.to_vec(), hands_down);
        }
        let wants_size =
            if fate.is_listed() { self.options.sizes_shipped } else { self.options.sizes_excluded };
        let mut fate = fate;
        let size = match kind {
            EntryKind::File | EntryKind::Symlink if wants_size => {
                // Root reads anything: only check when permissions can refuse us.
                let check = fate == Fate::Shipped && !self.privileged;
                match self.parents.size_of(self.root, relative, kind, check) {
                    Ok((size, true, inode)) => {
                        probed.hard_link = inode;
                        size
                    }
                    Ok((size, false, _)) => {
                        // BuildKit's sender sends a file it cannot open as an empty file, and
                        // the build goes on (observed with a real build).
                        self.findings.unreadable_files.push(relative.into());
                        fate = Fate::ShippedEmpty { rule: None };
                        size
                    }
                    Err(error) => {
                        self.issue(entry.path().to_owned(), error.to_string());
                        return Ok(WalkState::Continue);
                    }
                }
            }
            _ => 0,
        };
        if let Some(progress) = self.probes.progress {
            self.unreported.0 += 1;
            self.unreported.1 += size;
            if self.unreported.0 >= PROGRESS_BATCH {
                progress.add(self.unreported.0, self.unreported.1);
                self.unreported = (0, 0);
            }
        }
        self.tally.add(Entry { path: relative, kind, size, fate }, &probed);
        Ok(if skip { WalkState::Skip } else { WalkState::Continue })
    }

    /// The record a directory hands its children, from this thread's memory or recomputed
    /// from the nearest remembered ancestor down.
    fn inherited_by_children_of(&mut self, dir: &[u8]) -> Result<Inherited, RuleError> {
        if let Some(inherited) = self.children_of.get(dir) {
            return Ok(*inherited);
        }
        let mut missing = vec![dir];
        let mut start = Inherited::Record(Record::default(), Bits::EMPTY);
        let mut at_root = true;
        let mut cursor = dir;
        while let Some(parent) = path::parent(cursor) {
            if let Some(inherited) = self.children_of.get(parent) {
                start = *inherited;
                at_root = false;
                break;
            }
            missing.push(parent);
            cursor = parent;
        }
        let mut inherited = start;
        for (depth, dir) in missing.into_iter().rev().enumerate() {
            inherited = match inherited {
                Inherited::Pruned => Inherited::Pruned,
                Inherited::Record(record, candidates) => {
                    let parent = if at_root && depth == 0 { None } else { Some(&record) };
                    let verdict = self.rules.decide(dir, parent)?;
                    if verdict.excluded && self.rules.prunes(dir) {
                        Inherited::Pruned
                    } else if verdict.excluded {
                        Inherited::Record(verdict.record, candidates)
                    } else {
                        let matching = self.candidates_matching(dir, candidates);
                        Inherited::Record(verdict.record, candidates | matching)
                    }
                }
            };
            self.children_of.insert(dir.to_vec(), inherited);
        }
        Ok(inherited)
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
        Ok(match self.inherited_by_children_of(relative)? {
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
