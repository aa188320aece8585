//! Bad input never crashes, hangs or lies: deep and long paths, symlink loops, huge or odd
//! ignore files.

use std::os::unix::fs::symlink;

use crate::env::TestEnv;

#[test]
fn depth_500_is_walked_completely() {
    let env = TestEnv::new();
    let deep: String = std::iter::repeat_n("d", 500).collect::<Vec<_>>().join("/");
    env.sized(format!("{deep}/leaf"), 3);
    let run = env.run(["ls", "-l"]);
    run.expect_code(0);
    assert_eq!(run.lines().len(), 501);
    assert!(run.lines().last().unwrap().ends_with("/leaf"));
    assert!(run.lines().last().unwrap().starts_with("f 3 "));
}

/// Paths longer than the kernel's PATH_MAX (4096) cannot be opened by full path: the walk
/// reports them and says the result is incomplete, without a panic.
#[test]
fn paths_beyond_path_max_are_reported_not_fatal() {
    use rustix::fs::{AtFlags, CWD, Mode, OFlags, mkdirat, openat, unlinkat};
    let env = TestEnv::new();
    env.sized("ok.txt", 1);
    let name = "n".repeat(200);
    let mut dirs =
        vec![openat(CWD, env.root(), OFlags::DIRECTORY | OFlags::RDONLY, Mode::empty()).unwrap()];
    for _ in 0..25 {
        let parent = dirs.last().unwrap();
        mkdirat(parent, name.as_str(), Mode::from_raw_mode(0o755)).unwrap();
        let child =
            openat(parent, name.as_str(), OFlags::DIRECTORY | OFlags::RDONLY, Mode::empty())
                .unwrap();
        dirs.push(child);
    }
    let dir = dirs.last().unwrap();
    let file = openat(dir, "deep.txt", OFlags::CREATE | OFlags::WRONLY, Mode::from_raw_mode(0o644))
        .unwrap();
    rustix::io::write(&file, b"abc").unwrap();
    let run = env.run(["ls", "-l"]);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(run.code == 0 || run.code == 2, "{}", run.stderr);
    if run.code == 2 {
        assert!(run.stderr.contains("incomplete"), "{}", run.stderr);
    } else {
        assert!(run.lines().iter().any(|l| l.ends_with("/deep.txt")), "complete when exit 0");
    }
    assert!(run.lines().contains(&"f 1 ok.txt".to_owned()));
    // Removing it needs relative paths too (the temporary directory's cleanup cannot).
    unlinkat(dirs.last().unwrap(), "deep.txt", AtFlags::empty()).unwrap();
    for level in (0..25).rev() {
        unlinkat(&dirs[level], name.as_str(), AtFlags::REMOVEDIR).unwrap();
    }
}

#[test]
fn symlink_loops_are_links_never_followed() {
    let env = TestEnv::new();
    env.dir("d");
    symlink("b", env.path("a")).unwrap();
    symlink("a", env.path("b")).unwrap();
    symlink("..", env.path("d/up")).unwrap();
    let run = env.run(["ls", "-l"]);
    run.expect_code(0);
    assert_eq!(run.lines(), ["l 1 a", "l 1 b", "d 0 d", "l 2 d/up"]);
}

#[test]
fn a_ten_megabyte_ignore_file_is_rejected_with_its_line() {
    let env = TestEnv::new();
    env.sized("a", 1);
    // One line of 10 MB: BuildKit's reader stops at 64 KiB.
    env.file(".dockerignore", format!("ok\n{}\n", "x".repeat(10 << 20)));
    let run = env.run(["ls"]);
    run.expect_code(2);
    assert!(run.stderr.contains(".dockerignore:2:"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

#[test]
fn ten_thousand_rules_fail_at_the_first_one_too_many() {
    let env = TestEnv::new();
    env.sized("a", 1);
    let rules: String = (0..10_000).map(|i| format!("rule{i}\n")).collect();
    env.file(".dockerignore", rules);
    let run = env.run(["ls"]);
    run.expect_code(2);
    assert!(run.stderr.contains(".dockerignore:491:"), "{}", run.stderr);
}

#[test]
fn binary_ignore_file_never_panics() {
    let env = TestEnv::new();
    env.sized("a", 1);
    let bytes: Vec<u8> =
        (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    env.file(".dockerignore", bytes);
    let run = env.run(["ls"]);
    assert!(run.code == 0 || run.code == 2, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    if run.code == 2 {
        assert!(run.stderr.contains(".dockerignore"), "{}", run.stderr);
    }
}
