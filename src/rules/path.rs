//! The parts of a path as the rules see it: relative to the context root, `/`-separated, no
//! leading `/`. Paths are bytes (a name need not be UTF-8); pattern and glob texts use the
//! same helpers as `str`.
//!
//! BuildKit's matcher works on such paths (it converts to `/` before matching), so "the
//! directory above", "the last name" and "its extension" are decided here once, and every
//! caller agrees on them: a name is whatever follows the last `/`, and there is no `\`
//! separator.

pub(crate) use super::ancestors;

/// A `/`-separated path held as bytes or as text.
///
/// The helpers below only ever cut next to an ASCII `/` or `.`, which is always a character
/// boundary in UTF-8, so a text path stays valid text.
pub(crate) trait SlashPath {
    /// The path's bytes.
    fn path_bytes(&self) -> &[u8];
    /// The part before byte `end` (a character boundary).
    fn before(&self, end: usize) -> &Self;
    /// The part from byte `start` on (a character boundary).
    fn from(&self, start: usize) -> &Self;
}

impl SlashPath for [u8] {
    fn path_bytes(&self) -> &[u8] {
        self
    }

    fn before(&self, end: usize) -> &Self {
        &self[..end]
    }

    fn from(&self, start: usize) -> &Self {
        &self[start..]
    }
}

impl SlashPath for str {
    fn path_bytes(&self) -> &[u8] {
        self.as_bytes()
    }

    fn before(&self, end: usize) -> &Self {
        &self[..end]
    }

    fn from(&self, start: usize) -> &Self {
        &self[start..]
    }
}

/// The directory a path lies in and its last name: `(Some("a/b"), "c")` for `a/b/c`,
/// `(None, "c")` for `c` (it lies at the root).
#[inline]
pub(crate) fn split<P: SlashPath + ?Sized>(path: &P) -> (Option<&P>, &P) {
    let bytes = path.path_bytes();
    match last_slash(bytes) {
        Some(slash) => (Some(path.before(slash)), path.from(slash + 1)),
        None => (None, path),
    }
}

/// The directory a path lies in: `a/b` for `a/b/c`; `None` for a name at the root.
#[inline]
pub(crate) fn parent<P: SlashPath + ?Sized>(path: &P) -> Option<&P> {
    // Not through `split`: the walk asks this of every entry, and cutting out the name
    // too costs bounds checks the compiler keeps.
    last_slash(path.path_bytes()).map(|slash| path.before(slash))
}

/// The last name of a path: `c` for `a/b/c`, the path itself when it has no `/`.
#[inline]
pub(crate) fn name<P: SlashPath + ?Sized>(path: &P) -> &P {
    split(path).1
}

#[inline]
fn last_slash(bytes: &[u8]) -> Option<usize> {
    bytes.iter().rposition(|&b| b == b'/')
}

/// A file name cut at its last `.`: `("archive.tar", "gz")` for `archive.tar.gz`; `None`
/// without a `.`. A leading dot counts (`("", "env")` for `.env`), as does a trailing one
/// (`("a", "")` for `a.`). Give it a name, not a path: a `.` in a directory name would count.
#[inline]
pub(crate) fn split_extension<P: SlashPath + ?Sized>(name: &P) -> Option<(&P, &P)> {
    let bytes = name.path_bytes();
    let dot = bytes.iter().rposition(|&b| b == b'.')?;
    Some((name.before(dot), name.from(dot + 1)))
}

/// What follows the last `.` of a file name (see [`split_extension`]).
#[inline]
pub(crate) fn extension<P: SlashPath + ?Sized>(name: &P) -> Option<&P> {
    split_extension(name).map(|(_, extension)| extension)
}

/// How many directories a path lies below the root: 0 for `a`, 2 for `a/b/c`.
#[inline]
pub(crate) fn depth(path: impl AsRef<[u8]>) -> usize {
    path.as_ref().iter().filter(|&&b| b == b'/').count()
}

/// Whether `path` lies strictly below the directory `dir`: `a/b` is below `a`, `ab` and `a`
/// are not. Everything but the root itself lies below the root, written `""`.
#[inline]
pub(crate) fn is_below(path: impl AsRef<[u8]>, dir: impl AsRef<[u8]>) -> bool {
    let (path, dir) = (path.as_ref(), dir.as_ref());
    path.len() > dir.len() && path.starts_with(dir) && (dir.is_empty() || path[dir.len()] == b'/')
}

/// Whether `path` is the directory `dir` or lies below it.
#[inline]
pub(crate) fn is_within(path: impl AsRef<[u8]>, dir: impl AsRef<[u8]>) -> bool {
    let (path, dir) = (path.as_ref(), dir.as_ref());
    path == dir || is_below(path, dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    type Bytes = &'static [u8];

    #[test]
    fn split_parent_and_name() {
        let cases: &[(Bytes, Option<Bytes>, Bytes)] = &[
            (b"a/b/c", Some(b"a/b"), b"c"),
            (b"a/b", Some(b"a"), b"b"),
            (b"c", None, b"c"),
            (b"", None, b""),
            (b"a/", Some(b"a"), b""),
            (b"/a", Some(b""), b"a"),
            (b"caf\xe9/x.txt", Some(b"caf\xe9"), b"x.txt"),
            (b"back\\slash/n", Some(b"back\\slash"), b"n"),
        ];
        for &(path, dir, last) in cases {
            assert_eq!(split(path), (dir, last), "{path:?}");
            assert_eq!(parent(path), dir, "{path:?}");
            assert_eq!(name(path), last, "{path:?}");
        }
    }

    #[test]
    fn text_paths_split_the_same_way() {
        assert_eq!(split("dir/é/ß.txt"), (Some("dir/é"), "ß.txt"));
        assert_eq!(name("/usr/local/bin/go"), "go");
        assert_eq!(parent("go"), None);
        assert_eq!(split_extension("é.ü"), Some(("é", "ü")));
    }

    #[test]
    fn extensions() {
        let cases: &[(Bytes, Option<(Bytes, Bytes)>)] = &[
            (b"main.rs", Some((b"main", b"rs"))),
            (b"archive.tar.gz", Some((b"archive.tar", b"gz"))),
            (b".env", Some((b"", b"env"))),
            (b"a.", Some((b"a", b""))),
            (b"Makefile", None),
            (b"", None),
        ];
        for &(file, parts) in cases {
            assert_eq!(split_extension(file), parts, "{file:?}");
            assert_eq!(extension(file), parts.map(|(_, ext)| ext), "{file:?}");
        }
    }

    #[test]
    fn depth_counts_the_directories_above() {
        assert_eq!(depth(b"a"), 0);
        assert_eq!(depth(b"a/b/c"), 2);
        assert_eq!(depth("x/y"), 1);
    }

    #[test]
    fn below_and_within() {
        let cases: &[(&str, &str, bool, bool)] = &[
            ("a/b", "a", true, true),
            ("a/b/c", "a", true, true),
            ("a", "a", false, true),
            ("ab", "a", false, false),
            ("a-x/f", "a", false, false),
            ("a", "a/b", false, false),
            ("a", "", true, true),
            ("", "", false, true),
        ];
        for &(path, dir, below, within) in cases {
            assert_eq!(is_below(path, dir), below, "{path} below {dir}");
            assert_eq!(is_within(path, dir), within, "{path} within {dir}");
            assert_eq!(is_below(path.as_bytes(), dir.as_bytes()), below, "{path} below {dir}");
        }
    }

    #[test]
    fn every_ancestor_has_its_parent_as_an_ancestor() {
        let path: &[u8] = b"a/b/c/d";
        let listed: Vec<&[u8]> = ancestors(path).collect();
        assert_eq!(listed, [&b"a"[..], b"a/b", b"a/b/c"]);
        let mut up = Vec::new();
        let mut cursor = path;
        while let Some(dir) = parent(cursor) {
            up.push(dir);
            cursor = dir;
        }
        up.reverse();
        assert_eq!(up, listed);
    }
}
