//! A byte matcher for the regex-kind patterns that need no regex: one path component of plain
//! characters, `*` and small classes, optionally after a leading `**/` (`*.log`, `**/*.pem`,
//! `**/.env.*`, `**/*.py[co]`).
//!
//! Such patterns fill the templates and most real ignore files, and every entry of a context
//! is tested against them; matching them as a regex costs several times more than comparing
//! bytes. The answer is the same as the regex's: `*` translates to `[^/]*`, every other
//! accepted character to itself, a class of letters, digits and `_` (ranges included) to the
//! same class, which is expanded into one glob per member, and `**/` to `(.*/)?`, which leaves
//! exactly "the last component matches".

/// A compiled component glob.
#[derive(Debug, Clone)]
pub struct StarGlob {
    /// The literal pieces between the `*`s (the first and last may be empty).
    pieces: Vec<Vec<u8>>,
    /// `**/` led the pattern: test the path's last component, at any depth.
    any_depth: bool,
}

/// Whether BuildKit's translation keeps `byte` as a literal that matches only itself: printable
/// ASCII that is neither a glob character nor regex syntax left unescaped (`.+()$` are
/// escaped). Other bytes (non-ASCII, which Go reads as characters, controls) go to the regex.
fn is_plain(byte: u8) -> bool {
    (0x20..0x7f).contains(&byte) && !b"*?[]\\|{}^/".contains(&byte)
}

/// The most globs one pattern's classes expand into.
const MAX_EXPANSION: usize = 16;

/// The members of a class's content (between `[` and `]`), when it is letters, digits and `_`,
/// with ranges between two of the same sort. Anything else (negation, escapes, classes Go
/// rejects) stays with the regex.
fn class_members(content: &[u8]) -> Option<Vec<u8>> {
    let mut members = Vec::new();
    let mut rest = content;
    while let Some((&first, tail)) = rest.split_first() {
        if !(first.is_ascii_alphanumeric() || first == b'_') {
            return None;
        }
        match tail {
            [b'-', last, after @ ..] => {
                let same_sort =
                    [u8::is_ascii_digit, u8::is_ascii_lowercase, u8::is_ascii_uppercase]
                        .iter()
                        .any(|sort| sort(&first) && sort(last));
                if !same_sort || first > *last {
                    return None;
                }
                members.extend(first..=*last);
                rest = after;
            }
            _ => {
                members.push(first);
                rest = tail;
            }
        }
    }
    members.sort_unstable();
    members.dedup();
    (!members.is_empty()).then_some(members)
}

impl StarGlob {
    /// The globs a cleaned pattern text stands for (one per choice of its classes' members),
    /// when it has this shape.
    pub fn expand(text: &[u8]) -> Option<Vec<StarGlob>> {
        let (component, any_depth) = match text.strip_prefix(b"**/") {
            Some(rest) => (rest, true),
            None => (text, false),
        };
        if !component.contains(&b'*') || component.windows(2).any(|pair| pair == b"**") {
            return None;
        }
        // Every spelling of the component with its classes resolved; `*` never is a member.
        let mut spellings: Vec<Vec<u8>> = vec![Vec::new()];
        let mut rest = component;
        while let Some((&byte, tail)) = rest.split_first() {
            let choices = match byte {
                b'[' => {
                    let end = tail.iter().position(|&b| b == b']')?;
                    rest = &tail[end + 1..];
                    class_members(&tail[..end])?
                }
                b'*' => {
                    rest = tail;
                    vec![b'*']
                }
                _ if is_plain(byte) => {
                    rest = tail;
                    vec![byte]
                }
                _ => return None,
            };
            if spellings.len() * choices.len() > MAX_EXPANSION {
                return None;
            }
            spellings = spellings
                .iter()
                .flat_map(|spelling| choices.iter().map(move |&c| [&spelling[..], &[c]].concat()))
                .collect();
        }
        let glob = |spelling: Vec<u8>| StarGlob {
            pieces: spelling.split(|&b| b == b'*').map(<[u8]>::to_vec).collect(),
            any_depth,
        };
        Some(spellings.into_iter().map(glob).collect())
    }

    /// A byte every name the glob matches has at a fixed place, to look globs up by.
    pub fn anchor(&self) -> Anchor {
        let first = self.pieces.first().and_then(|piece| piece.first());
        let last = self.pieces.last().and_then(|piece| piece.last());
        match (first, last) {
            (Some(&byte), _) => Anchor::First(byte),
            (None, Some(&byte)) => Anchor::Last(byte),
            (None, None) => Anchor::None,
        }
    }

    /// For `*.ext` (any `ext` without `.`), `ext`: the glob matches exactly the names whose
    /// extension (after their last `.`) it is.
    pub fn extension(&self) -> Option<&[u8]> {
        match &self.pieces[..] {
            [first, last] if first.is_empty() => {
                last.strip_prefix(b".").filter(|ext| !ext.is_empty() && !ext.contains(&b'.'))
            }
            _ => None,
        }
    }

    /// Whether the glob applies to a path's last component, given where that component is.
    pub fn applies_to(&self, place: NamePlace) -> bool {
        match place {
            NamePlace::Top => true,
            NamePlace::Nested => self.any_depth,
            NamePlace::Unreachable => false,
        }
    }

    /// Whether the pattern matches the `/`-separated path.
    pub fn matches(&self, path: &[u8]) -> bool {
        let (name, place) = split_name(path);
        self.applies_to(place) && self.matches_name(name)
    }

    /// Whether the glob matches one path component.
    pub fn matches_name(&self, name: &[u8]) -> bool {
        let (first, rest) = self.pieces.split_first().expect("split yields one piece at least");
        let (last, middle) = rest.split_last().expect("the glob holds a `*`");
        if name.len() < first.len() + last.len()
            || !name.starts_with(first)
            || !name.ends_with(last)
        {
            return false;
        }
        // Each `*` matches any run: taking every middle piece at its leftmost place leaves
        // the most room for the next.
        let mut between = &name[first.len()..name.len() - last.len()];
        for piece in middle {
            match find(between, piece) {
                Some(at) => between = &between[at + piece.len()..],
                None => return false,
            }
        }
        true
    }
}

/// A byte every name a glob matches has at one end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Anchor {
    /// The name starts with this byte.
    First(u8),
    /// The name ends with this byte.
    Last(u8),
    /// `*` at both ends.
    None,
}

/// Where a path's last component sits, as component globs see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamePlace {
    /// The path is one component.
    Top,
    /// Below a directory that `**/` can match.
    Nested,
    /// Below directories `**/` cannot match: its `(.*/)?` must take everything up to the last
    /// `/`, and Go's `.` does not match `\n`.
    Unreachable,
}

/// A path's last component and where it sits.
pub fn split_name(path: &[u8]) -> (&[u8], NamePlace) {
    match super::path::split(path) {
        (None, name) => (name, NamePlace::Top),
        (Some(dir), name) if dir.contains(&b'\n') => (name, NamePlace::Unreachable),
        (Some(_), name) => (name, NamePlace::Nested),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.windows(needle.len()).position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::super::pattern::Pattern;
    use super::*;

    #[test]
    fn only_plain_component_globs_qualify() {
        let count = |text: &str| StarGlob::expand(text.as_bytes()).map(|globs| globs.len());
        for text in ["*.log", "**/*.pem", "**/.env.*", "a*b*c", "*", "**/*", "x+(1)$*"] {
            assert_eq!(count(text), Some(1), "{text}");
        }
        assert_eq!(count("**/*.py[co]"), Some(2));
        assert_eq!(count("*.[ch][ch]"), Some(4));
        assert_eq!(count("*.log.[0-9]"), Some(10));
        assert_eq!(count("*[a-z]"), None, "more than {MAX_EXPANSION}");
        for text in ["a", "**/a", "a/*", "*/a", "a**b", "**/a/*", "a?*", "*|b", "é*"] {
            assert_eq!(count(text), None, "{text}");
        }
        for text in ["*[^a]", "*[!a]", "*[a-]", "*[b-a]", "*[0-z]", "*[]", "*[a", "*[.]", "*[*]"] {
            assert_eq!(count(text), None, "{text}");
        }
    }

    /// The byte matcher against the regex BuildKit's translation builds, on every pattern
    /// and path over a small alphabet that exercises overlaps, repeats and depth.
    #[test]
    fn agrees_with_the_regex() {
        let alphabet: &[&[u8]] = &[b"a", b"b", b".", b"*", b"[ab]", b"[a-b]", b"[b-a]", b"[^a]"];
        let mut patterns = Vec::new();
        for len in 1..=4 {
            for mut code in 0..alphabet.len().pow(len) {
                let mut text = Vec::new();
                for _ in 0..len {
                    text.extend_from_slice(alphabet[code % alphabet.len()]);
                    code /= alphabet.len();
                }
                patterns.push(text.clone());
                patterns.push([b"**/".as_slice(), &text].concat());
            }
        }
        let mut paths: Vec<Vec<u8>> = vec![Vec::new()];
        for len in 1..=5 {
            for mut code in 0..4usize.pow(len) {
                let mut path = Vec::new();
                for _ in 0..len {
                    path.push(b"ab.\n"[code % 4]);
                    code /= 4;
                }
                paths.push(path);
            }
        }
        let more: Vec<Vec<u8>> = paths
            .iter()
            .flat_map(|p| [[b"x/", &p[..]].concat(), [&p[..], b"/a"].concat()])
            .collect();
        paths.extend(more);
        let mut checked = 0;
        for text in &patterns {
            let Some(globs) = StarGlob::expand(text) else { continue };
            let pattern = Pattern::new(text);
            for path in &paths {
                let want = pattern.regex_matches(path).expect("compiles");
                let got = globs.iter().any(|glob| glob.matches(path));
                assert_eq!(got, want, "{:?} on {:?}", bstr(text), bstr(path));
                checked += 1;
            }
        }
        assert!(checked > 1_000_000, "{checked}");
    }

    fn bstr(bytes: &[u8]) -> String {
        String::from_utf8_lossy(bytes).into_owned()
    }
}
