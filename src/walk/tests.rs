//! The walk itself, on small temporary trees: what it enters, what it decides, what it
//! hands down and measures.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use tempfile::TempDir;

use super::*;

/// A tree from paths: a path ending in `/` is a directory, any other a file with that
/// content.
fn tree(paths: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, content) in paths {
        let full = dir.path().join(path);
        if path.ends_with('/') {
            std::fs::create_dir_all(&full).unwrap();
        } else {
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(&full, content).unwrap();
        }
    }
    dir
}

fn context(root: &Path, rules: &str) -> BuildContext {
    BuildContext {
        root: root.to_owned(),
        dockerfile: None,
        ignore_file: None,
        rules: RuleSet::from_ignore_file(rules.as_bytes()).unwrap(),
        passed_over: Vec::new(),
    }
}

/// A tally that keeps everything it is handed, with a state that counts the levels of a
/// path and how many of them the rules exclude.
#[derive(Debug, Default)]
struct Recorder(Vec<Recorded>);

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Levels {
    deep: u32,
    excluded: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Recorded {
    path: String,
    kind: EntryKind,
    size: u64,
    fate: String,
    levels: Levels,
    hard_link: Option<Inode>,
}

impl Tally for Recorder {
    type State = Levels;

    fn state(&self, parent: &Levels, _: &[u8], step: &Step) -> Levels {
        let excluded = matches!(step.fate, Fate::Excluded { .. });
        Levels { deep: parent.deep + 1, excluded: parent.excluded + u32::from(excluded) }
    }

    fn add(&mut self, entry: Entry<&[u8]>, seen: Seen<'_, Levels>) {
        self.0.push(Recorded {
            path: String::from_utf8(entry.path.to_vec()).unwrap(),
            kind: entry.kind,
            size: entry.size,
            fate: format!("{:?}", entry.fate),
            levels: *seen.state,
            hard_link: seen.hard_link,
        });
    }

    fn merge(&mut self, mut other: Self) {
        self.0.append(&mut other.0);
    }
}

fn walk_with(context: &BuildContext, options: WalkOptions<'_>) -> Vec<Recorded> {
    let mut entries = walk(context, options, &Recorder::default).unwrap().tally.0;
    entries.sort();
    entries
}

/// Each path with its fate, sorted.
fn fates(entries: &[Recorded]) -> Vec<(&str, &str)> {
    entries.iter().map(|e| (e.path.as_str(), e.fate.as_str())).collect()
}

const ONE_THREAD: WalkOptions<'static> = WalkOptions {
    threads: 1,
    descend_pruned: false,
    sizes_shipped: true,
    sizes_excluded: true,
    counters: None,
};

#[test]
fn pruned_directories_are_not_entered() {
    let dir = tree(&[("build/out.o", "x"), ("build/sub/deep.o", "x"), ("src/main.rs", "fn")]);
    let entries = walk_with(&context(dir.path(), "build\n"), ONE_THREAD);
    assert_eq!(
        fates(&entries),
        [
            ("build", "Excluded { rule: Some(0), pruned: true }"),
            ("src", "Shipped"),
            ("src/main.rs", "Shipped"),
        ]
    );
}

#[test]
fn a_reincluded_file_ships_and_its_directory_is_listed() {
    let dir = tree(&[("build/keep.txt", "k"), ("build/drop.o", "d")]);
    let context = context(dir.path(), "build\n!build/keep.txt\n");
    let entries = walk_with(&context, ONE_THREAD);
    assert_eq!(
        fates(&entries),
        [
            ("build", "Excluded { rule: Some(0), pruned: false }"),
            ("build/drop.o", "Excluded { rule: Some(0), pruned: false }"),
            ("build/keep.txt", "Shipped"),
        ]
    );
    let listed = resolve_listing(walk(&context, ONE_THREAD, &EntryList::default).unwrap().tally.0);
    let fates: Vec<(&[u8], Fate)> = listed.iter().map(|e| (&e.path[..], e.fate)).collect();
    assert_eq!(
        fates,
        [
            (&b"build"[..], Fate::ListedForDescendant { rule: Some(0) }),
            (b"build/drop.o", Fate::Excluded { rule: Some(0), pruned: false }),
            (b"build/keep.txt", Fate::Shipped),
        ]
    );
}

#[test]
fn descend_pruned_measures_inside_as_inside_pruned() {
    let dir = tree(&[("build/out.o", "xyz"), ("build/sub/deep.o", "x"), ("keep", "")]);
    let options = WalkOptions { descend_pruned: true, ..ONE_THREAD };
    let entries = walk_with(&context(dir.path(), "build\n"), options);
    assert_eq!(
        fates(&entries),
        [
            ("build", "Excluded { rule: Some(0), pruned: true }"),
            ("build/out.o", "InsidePruned"),
            ("build/sub", "InsidePruned"),
            ("build/sub/deep.o", "InsidePruned"),
            ("keep", "Shipped"),
        ]
    );
    assert_eq!(entries[1].size, 3, "sizes are measured inside too");
}

#[test]
fn directories_hand_their_state_to_their_children() {
    let dir = tree(&[("a/b/c.txt", ""), ("a/d.log", ""), ("x.log", "")]);
    let entries = walk_with(&context(dir.path(), "*.log\na/b\n!a/b/c.txt\n"), ONE_THREAD);
    let levels: Vec<(&str, (u32, u32))> =
        entries.iter().map(|e| (e.path.as_str(), (e.levels.deep, e.levels.excluded))).collect();
    assert_eq!(
        levels,
        [
            ("a", (1, 0)),
            ("a/b", (2, 1)),
            ("a/b/c.txt", (3, 1)),
            ("a/d.log", (2, 0)),
            ("x.log", (1, 1))
        ]
    );
}

/// A tree wide and deep enough that walker threads meet directories another thread read.
fn wide_tree() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for top in 0..12 {
        for sub in 0..8 {
            let path = dir.path().join(format!("t{top}/s{sub}/build/deeper"));
            std::fs::create_dir_all(&path).unwrap();
            for file in 0..4 {
                std::fs::write(path.join(format!("f{file}.log")), "x").unwrap();
                std::fs::write(path.parent().unwrap().join(format!("g{file}.txt")), "y").unwrap();
            }
            std::fs::write(path.join("keep.log"), "k").unwrap();
        }
    }
    dir
}

/// Rules for [`wide_tree`]: directories pruned, excluded but entered, and re-included files.
const WIDE_RULES: &str = "**/build\n!t0/s0/build/deeper/keep.log\n*/s3\n";

#[test]
fn several_threads_agree_with_one() {
    let dir = wide_tree();
    // A wildcard exception turns pruning off; a plain one keeps it for other directories.
    for rules in [WIDE_RULES, "**/build\n!**/deeper/keep.log\n*/s3\n"] {
        let context = context(dir.path(), rules);
        let one = walk_with(&context, ONE_THREAD);
        assert!(one.len() > 200, "{}", one.len());
        for threads in [2, 4, 8] {
            let options = WalkOptions { threads, ..ONE_THREAD };
            assert_eq!(walk_with(&context, options), one, "{rules:?} with {threads} threads");
        }
    }
}

/// What visitors share; each test keeps its own.
type Shared = (OnceLock<RuleError>, Mutex<Vec<(Recorder, Findings)>>);

/// A visitor that has seen nothing yet.
fn fresh_visitor<'a>(
    context: &'a BuildContext,
    options: WalkOptions<'a>,
    shared: &'a Shared,
) -> Visitor<'a, Recorder> {
    Visitor {
        rules: &context.rules,
        new_tally: &Recorder::default,
        remembers_dirs: true,
        root_len: context.root.as_os_str().len(),
        options,
        fatal: &shared.0,
        done: &shared.1,
        children_of: FxHashMap::default(),
        unreported: (0, 0),
        root: &context.root,
        parents: ParentDirs::default(),
        privileged: false,
        tally: Recorder::default(),
        findings: Findings::default(),
    }
}

#[test]
fn a_directory_not_seen_by_a_thread_is_recomputed_as_the_walk_decided_it() {
    let dir = wide_tree();
    let context = context(dir.path(), WIDE_RULES);
    let options = WalkOptions { descend_pruned: true, ..ONE_THREAD };
    let shared = Shared::default();
    // One visitor sees every entry in order, and so what each directory handed down.
    let mut walker = fresh_visitor(&context, options, &shared);
    for entry in WalkBuilder::new(&context.root).standard_filters(false).build() {
        let entry = entry.unwrap();
        if entry.depth() > 0 {
            walker.visit_entry(&entry).unwrap();
        }
    }
    let remembered = std::mem::take(&mut walker.children_of);
    assert_eq!(remembered.len(), 12 + 3 * 12 * 8, "every directory, pruned or not");
    assert!(remembered.values().any(|(inherited, _)| *inherited == Inherited::Pruned));
    assert!(remembered.values().any(|(_, levels)| levels.excluded == 2));
    for (dir, handed) in &remembered {
        // A visitor that has seen nothing recomputes every level from the root.
        let recomputed = fresh_visitor(&context, options, &shared).handed_down_by(dir).unwrap();
        assert_eq!(recomputed, *handed, "{}", String::from_utf8_lossy(dir));
    }
}

#[test]
fn a_permission_error_fails_the_build_only_where_buildkit_reads() {
    let dir = tree(&[("a/locked/", ""), ("b/locked/", "")]);
    let context = context(dir.path(), "b\n");
    let shared = Shared::default();
    let mut visitor = fresh_visitor(&context, ONE_THREAD, &shared);
    let error = |path: &str, kind: io::ErrorKind| ignore::Error::WithPath {
        path: context.root.join(path),
        err: Box::new(ignore::Error::Io(io::Error::from(kind))),
    };
    let denied = io::ErrorKind::PermissionDenied;
    let failing = visitor.build_failing_dir(&error("a/locked", denied)).unwrap();
    assert_eq!(failing.as_deref(), Some(&b"a/locked"[..]));
    // BuildKit never enters `b`: only `descend_pruned` reads there, and that is no failure.
    assert_eq!(visitor.build_failing_dir(&error("b/locked", denied)).unwrap(), None);
    let vanished = error("a/locked", io::ErrorKind::NotFound);
    assert_eq!(visitor.build_failing_dir(&vanished).unwrap(), None);
}

#[test]
fn sizes_symlinks_and_hard_links() {
    let dir = tree(&[("five", "12345"), ("linked", "abc"), ("sub/", "")]);
    std::os::unix::fs::symlink("five", dir.path().join("to-five")).unwrap();
    std::fs::hard_link(dir.path().join("linked"), dir.path().join("sub/also-linked")).unwrap();
    let entries = walk_with(&context(dir.path(), ""), ONE_THREAD);
    let sizes: Vec<(&str, EntryKind, u64)> =
        entries.iter().map(|e| (e.path.as_str(), e.kind, e.size)).collect();
    assert_eq!(
        sizes,
        [
            ("five", EntryKind::File, 5),
            ("linked", EntryKind::File, 3),
            ("sub", EntryKind::Dir, 0),
            ("sub/also-linked", EntryKind::File, 3),
            ("to-five", EntryKind::Symlink, 4),
        ]
    );
    let inode = |path: &str| entries.iter().find(|e| e.path == path).unwrap().hard_link;
    assert_eq!(inode("five"), None, "a file with one name has no inode to share");
    assert!(inode("linked").is_some());
    assert_eq!(inode("linked"), inode("sub/also-linked"));
    let unmeasured = WalkOptions { sizes_shipped: false, ..ONE_THREAD };
    let entries = walk_with(&context(dir.path(), ""), unmeasured);
    assert!(entries.iter().all(|e| e.size == 0 && e.hard_link.is_none()));
}

#[test]
fn counters_count_every_entry_and_byte() {
    let dir = wide_tree();
    let counters = Counters::default();
    let options = WalkOptions { threads: 3, counters: Some(&counters), ..ONE_THREAD };
    let entries = walk_with(&context(dir.path(), ""), options);
    assert_eq!(counters.entries(), entries.len() as u64);
    assert_eq!(counters.bytes(), entries.iter().map(|e| e.size).sum::<u64>());
}

/// Root reads through any permission, so these run only as another user.
fn running_as_root() -> bool {
    rustix::process::geteuid().is_root()
}

#[test]
fn an_unreadable_directory_buildkit_enters_fails_the_walk() {
    if running_as_root() {
        return;
    }
    let dir = tree(&[("a/locked/x", ""), ("b/locked/y", ""), ("c", "")]);
    for locked in ["a/locked", "b/locked"] {
        std::fs::set_permissions(dir.path().join(locked), PermissionsExt::from_mode(0o000))
            .unwrap();
    }
    let result = walk(&context(dir.path(), ""), ONE_THREAD, &EntryList::default);
    let error = result.map(|_| ()).unwrap_err();
    assert_eq!(error, WalkError::UnreadableDir { path: b"a/locked"[..].into(), more: 1 });
    // Inside a directory BuildKit prunes, the same directory is only an issue.
    let options = WalkOptions { descend_pruned: true, ..ONE_THREAD };
    let walked = walk(&context(dir.path(), "a\nb\n"), options, &EntryList::default).unwrap();
    assert_eq!(walked.issues.len(), 2);
    for locked in ["a/locked", "b/locked"] {
        std::fs::set_permissions(dir.path().join(locked), PermissionsExt::from_mode(0o755))
            .unwrap();
    }
}

#[test]
fn an_unreadable_file_ships_empty() {
    if running_as_root() {
        return;
    }
    let dir = tree(&[("secret", "s3cret"), ("open", "o")]);
    std::fs::set_permissions(dir.path().join("secret"), PermissionsExt::from_mode(0o000)).unwrap();
    let walked = walk(&context(dir.path(), ""), ONE_THREAD, &Recorder::default).unwrap();
    assert_eq!(walked.unreadable_files, [b"secret"[..].into()]);
    let secret = walked.tally.0.iter().find(|e| e.path == "secret").unwrap();
    assert_eq!(secret.fate, "ShippedEmpty { rule: None }");
}
