//! Which context paths one source needs.
//!
//! A source without wildcards names one path: it needs that path, everything below it, and
//! the directories leading to it. A source with wildcards (BuildKit's `containsWildcards`:
//! an unescaped `*`, `?` or `[`) is matched as BuildKit's copy does, with Go's
//! `filepath.Match`, whose `*`, `?` and classes never cross a `/`, so the match goes segment
//! by segment; it needs what the pattern matches, everything below it, and the directories
//! that lead to a possible match. A malformed pattern (`[` without `]`, a trailing `\`) is
//! taken literally. (Go lets a negated class such as `[^x]` match `/`; here no class does.)
//!
//! An unknown variable (see [`super::shell`]) matches any text, `/` included.

use super::shell::Piece;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token {
    Lit(char),
    /// `?`: one character other than `/`.
    Any,
    /// `*`: any run of characters other than `/`.
    Star,
    /// `[...]`: one character other than `/` in (or, negated, not in) the ranges.
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
    /// An unknown variable: any text.
    AnyText,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Matcher {
    /// The whole context.
    Root,
    /// One path, `/`-separated, without wildcards.
    Literal(Vec<u8>),
    /// Wildcards: one token list per segment.
    Glob(Vec<Vec<Token>>),
    /// Unknown variables: one token list for the whole path, segments joined by `/`.
    Loose(Vec<Token>),
}

/// Whether BuildKit treats a source as a wildcard pattern (`containsWildcards`).
pub(crate) fn contains_wildcards(text: &str) -> bool {
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'\\' => {
                bytes.next();
            }
            b'*' | b'?' | b'[' => return true,
            _ => {}
        }
    }
    false
}

impl Matcher {
    /// Builds the matcher of a cleaned source: its segments, each a list of pieces.
    pub fn new(segments: &[Vec<Piece>], wildcards: bool) -> Matcher {
        if segments.is_empty() {
            return Matcher::Root;
        }
        let loose = segments.iter().flatten().any(|piece| matches!(piece, Piece::Unknown { .. }));
        if !loose && !wildcards {
            let mut path = Vec::new();
            for (i, segment) in segments.iter().enumerate() {
                if i > 0 {
                    path.push(b'/');
                }
                for piece in segment {
                    if let Piece::Text(text) = piece {
                        path.extend_from_slice(text.as_bytes());
                    }
                }
            }
            return Matcher::Literal(path);
        }
        let tokenize = |segment: &[Piece], glob: bool| -> Option<Vec<Token>> {
            let mut tokens = Vec::new();
            for piece in segment {
                match piece {
                    Piece::Text(text) if glob => tokens.extend(glob_tokens(text)?),
                    Piece::Text(text) => tokens.extend(text.chars().map(Token::Lit)),
                    Piece::Unknown { .. } => tokens.push(Token::AnyText),
                }
            }
            Some(tokens)
        };
        let per_segment = |glob: bool| -> Option<Vec<Vec<Token>>> {
            segments.iter().map(|segment| tokenize(segment, glob)).collect()
        };
        let segments = per_segment(wildcards)
            .or_else(|| per_segment(false))
            .expect("literal tokens always build");
        if !loose {
            return Matcher::Glob(segments);
        }
        let mut tokens = Vec::new();
        for (i, segment) in segments.into_iter().enumerate() {
            if i > 0 {
                tokens.push(Token::Lit('/'));
            }
            tokens.extend(segment);
        }
        Matcher::Loose(tokens)
    }

    /// Whether `path`, or a directory above it, is what the source names or matches.
    pub fn covers(&self, path: &[u8]) -> bool {
        let path = normalize(path);
        match self {
            Matcher::Root => true,
            _ if path.is_empty() => false,
            Matcher::Literal(source) => {
                path.starts_with(source)
                    && (path.len() == source.len() || path[source.len()] == b'/')
            }
            Matcher::Glob(segments) => {
                let parts: Vec<&[u8]> = path.split(|&b| b == b'/').collect();
                parts.len() >= segments.len() && segments_match(&parts, segments)
            }
            Matcher::Loose(tokens) => Nfa::new(tokens).covers(path),
        }
    }

    /// For a wildcard source, the directory before its first wildcard segment (empty for
    /// the root): when it arrives, BuildKit copies whatever matches, nothing included (COPY
    /// and ADD allow an empty wildcard). `None` for other sources.
    pub fn wildcard_dir(&self) -> Option<Vec<u8>> {
        let Matcher::Glob(segments) = self else { return None };
        let literal = |tokens: &Vec<Token>| tokens.iter().all(|t| matches!(t, Token::Lit(_)));
        let fixed = segments.iter().take_while(|tokens| literal(tokens)).count();
        if fixed == segments.len() {
            return None;
        }
        let parts: Vec<String> = segments[..fixed]
            .iter()
            .map(|tokens| {
                tokens.iter().map(|t| if let Token::Lit(c) = t { *c } else { '?' }).collect()
            })
            .collect();
        Some(parts.join("/").into_bytes())
    }

    /// How the source relates to `path`, in one pass (called for every entry of a scan).
    pub fn selection(&self, path: &[u8]) -> super::Selection {
        use super::Selection;
        let path = normalize(path);
        match self {
            Matcher::Root if path.is_empty() => Selection::Named,
            Matcher::Root => Selection::Below,
            _ if path.is_empty() => Selection::LeadsTo,
            Matcher::Literal(source) => {
                let common = path.len().min(source.len());
                if path[..common] != source[..common] {
                    Selection::None
                } else if path.len() == source.len() {
                    Selection::Named
                } else if path.len() > source.len() {
                    if path[source.len()] == b'/' { Selection::Below } else { Selection::None }
                } else if source[path.len()] == b'/' {
                    Selection::LeadsTo
                } else {
                    Selection::None
                }
            }
            Matcher::Glob(segments) => {
                let parts: Vec<&[u8]> = path.split(|&b| b == b'/').collect();
                if !segments_match(&parts, segments) {
                    Selection::None
                } else if parts.len() == segments.len() {
                    Selection::Named
                } else if parts.len() > segments.len() {
                    Selection::Below
                } else {
                    Selection::LeadsTo
                }
            }
            Matcher::Loose(_) => {
                if self.covers(path) {
                    if self.names(path) { Selection::Named } else { Selection::Below }
                } else if self.leads_to(path) {
                    Selection::LeadsTo
                } else {
                    Selection::None
                }
            }
        }
    }

    /// Whether `path` itself is what the source names or matches (not something below it).
    pub fn names(&self, path: &[u8]) -> bool {
        let path = normalize(path);
        match self {
            Matcher::Root => path.is_empty(),
            _ if path.is_empty() => false,
            Matcher::Literal(source) => path == source.as_slice(),
            Matcher::Glob(segments) => {
                let parts: Vec<&[u8]> = path.split(|&b| b == b'/').collect();
                parts.len() == segments.len() && segments_match(&parts, segments)
            }
            Matcher::Loose(tokens) => Nfa::new(tokens).accepts_whole(path),
        }
    }

    /// Whether `path` is a directory on the way to what the source names or may match.
    pub fn leads_to(&self, path: &[u8]) -> bool {
        let path = normalize(path);
        match self {
            Matcher::Root => false,
            _ if path.is_empty() => true,
            Matcher::Literal(source) => {
                source.starts_with(path) && source.len() > path.len() && source[path.len()] == b'/'
            }
            Matcher::Glob(segments) => {
                let parts: Vec<&[u8]> = path.split(|&b| b == b'/').collect();
                parts.len() < segments.len() && segments_match(&parts, segments)
            }
            Matcher::Loose(tokens) => Nfa::new(tokens).leads_to(path),
        }
    }
}

/// `./a/b/` → `a/b`; the root is empty.
fn normalize(mut path: &[u8]) -> &[u8] {
    loop {
        if let Some(rest) = path.strip_prefix(b"./") {
            path = rest;
        } else if let Some(rest) = path.strip_prefix(b"/") {
            path = rest;
        } else {
            break;
        }
    }
    while let Some(rest) = path.strip_suffix(b"/") {
        path = rest;
    }
    if path == b"." { b"" } else { path }
}

/// Whether the first `min(parts, segments)` parts match their segments.
fn segments_match(parts: &[&[u8]], segments: &[Vec<Token>]) -> bool {
    parts.iter().zip(segments).all(|(part, tokens)| segment_matches(part, tokens))
}

/// Go's `filepath.Match` on one segment (no `/` in `text` or in a match).
fn segment_matches(text: &[u8], tokens: &[Token]) -> bool {
    let chars = decode(text);
    // The classic single-star backtracking: on a mismatch, let the last `*` eat one more.
    let (mut t, mut c) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while c < chars.len() {
        match tokens.get(t) {
            Some(Token::Star) => {
                star = Some((t, c));
                t += 1;
                continue;
            }
            Some(token) if token_matches(token, chars[c]) => {
                t += 1;
                c += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((star_t, star_c)) if chars[star_c] != Unit::Char('/') => {
                star = Some((star_t, star_c + 1));
                t = star_t + 1;
                c = star_c + 1;
            }
            _ => return false,
        }
    }
    tokens[t..].iter().all(|token| matches!(token, Token::Star | Token::AnyText))
}

/// One character of a path: Go decodes invalid UTF-8 one byte at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Char(char),
    Invalid,
}

fn decode(mut bytes: &[u8]) -> Vec<Unit> {
    let mut units = Vec::with_capacity(bytes.len());
    while !bytes.is_empty() {
        match std::str::from_utf8(bytes) {
            Ok(text) => {
                units.extend(text.chars().map(Unit::Char));
                break;
            }
            Err(error) => {
                let (valid, rest) = bytes.split_at(error.valid_up_to());
                units
                    .extend(std::str::from_utf8(valid).unwrap_or_default().chars().map(Unit::Char));
                let bad = error.error_len().unwrap_or(rest.len()).max(1);
                units.extend(std::iter::repeat_n(Unit::Invalid, bad));
                bytes = &rest[bad..];
            }
        }
    }
    units
}

fn token_matches(token: &Token, unit: Unit) -> bool {
    match (token, unit) {
        (Token::AnyText, _) => true,
        (_, Unit::Char('/')) => *token == Token::Lit('/'),
        (Token::Lit(c), Unit::Char(u)) => *c == u,
        (Token::Lit(_), Unit::Invalid) => false,
        (Token::Any, _) => true,
        (Token::Star, _) => true,
        (Token::Class { negated, ranges }, unit) => {
            let c = match unit {
                Unit::Char(c) => c,
                Unit::Invalid => char::REPLACEMENT_CHARACTER,
            };
            ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *negated
        }
    }
}

/// Parses Go's `filepath.Match` syntax; `None` for a malformed pattern.
fn glob_tokens(text: &str) -> Option<Vec<Token>> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' => tokens.push(Token::Star),
            '?' => tokens.push(Token::Any),
            '\\' => tokens.push(Token::Lit(chars.next()?)),
            '[' => {
                let negated = chars.next_if_eq(&'^').is_some();
                let mut ranges = Vec::new();
                loop {
                    if !ranges.is_empty() && chars.next_if_eq(&']').is_some() {
                        break;
                    }
                    let escaped =
                        |chars: &mut std::iter::Peekable<std::str::Chars>| match chars.next()? {
                            '-' | ']' => None,
                            '\\' => chars.next(),
                            c => Some(c),
                        };
                    let lo = escaped(&mut chars)?;
                    let hi =
                        if chars.next_if_eq(&'-').is_some() { escaped(&mut chars)? } else { lo };
                    chars.peek()?;
                    ranges.push((lo, hi));
                }
                tokens.push(Token::Class { negated, ranges });
            }
            c => tokens.push(Token::Lit(c)),
        }
    }
    Some(tokens)
}

/// A token list run as a set of positions, for patterns with unknown variables.
struct Nfa<'a> {
    tokens: &'a [Token],
    states: Vec<bool>,
}

impl<'a> Nfa<'a> {
    fn new(tokens: &'a [Token]) -> Nfa<'a> {
        let mut nfa = Nfa { tokens, states: vec![false; tokens.len() + 1] };
        nfa.states[0] = true;
        nfa.close();
        nfa
    }

    /// `*` and unknown text may match nothing.
    fn close(&mut self) {
        for i in 0..self.tokens.len() {
            if self.states[i] && matches!(self.tokens[i], Token::Star | Token::AnyText) {
                self.states[i + 1] = true;
            }
        }
    }

    fn step(&mut self, unit: Unit) {
        let mut next = vec![false; self.states.len()];
        for (i, token) in self.tokens.iter().enumerate() {
            if !self.states[i] || !token_matches(token, unit) {
                continue;
            }
            match token {
                Token::Star | Token::AnyText => next[i] = true,
                _ => next[i + 1] = true,
            }
        }
        self.states = next;
        self.close();
    }

    fn accepts(&self) -> bool {
        self.states[self.tokens.len()]
    }

    fn alive(&self) -> bool {
        self.states.iter().any(|&state| state)
    }

    /// Whether `path` or one of its ancestors matches.
    fn covers(mut self, path: &[u8]) -> bool {
        for unit in decode(path) {
            if unit == Unit::Char('/') && self.accepts() {
                return true;
            }
            self.step(unit);
            if !self.alive() {
                return false;
            }
        }
        self.accepts()
    }

    /// Whether `path` itself matches.
    fn accepts_whole(mut self, path: &[u8]) -> bool {
        for unit in decode(path) {
            self.step(unit);
            if !self.alive() {
                return false;
            }
        }
        self.accepts()
    }

    /// Whether something below `path` may match.
    fn leads_to(mut self, path: &[u8]) -> bool {
        for unit in decode(path) {
            self.step(unit);
        }
        self.step(Unit::Char('/'));
        self.alive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glob(pattern: &str) -> Matcher {
        let segments: Vec<Vec<Piece>> =
            pattern.split('/').map(|s| vec![Piece::Text(s.to_owned())]).collect();
        Matcher::new(&segments, contains_wildcards(pattern))
    }

    fn selects(m: &Matcher, path: &str) -> bool {
        m.covers(path.as_bytes()) || m.leads_to(path.as_bytes())
    }

    #[test]
    fn go_match_on_segments() {
        let cases: &[(&str, &str, bool)] = &[
            ("*.js", "a.js", true),
            ("*.js", ".js", true),
            ("*.js", "a.ts", false),
            ("a?c", "abc", true),
            ("a?c", "ac", false),
            ("a?c", "aéc", true),
            ("[a-c]x", "bx", true),
            ("[a-c]x", "dx", false),
            ("[^a-c]x", "dx", true),
            ("[^a-c]x", "ax", false),
            ("[!a]x", "!x", true),
            ("[!a]x", "bx", false),
            ("a\\*b", "a*b", true),
            ("a\\*b", "axb", false),
            ("[\\]]", "]", true),
            ("*a*b", "xaybzb", true),
            ("*a*b", "xaybz", false),
            ("**", "abc", true),
        ];
        for &(pattern, name, expected) in cases {
            let tokens = glob_tokens(pattern).unwrap();
            assert_eq!(segment_matches(name.as_bytes(), &tokens), expected, "{pattern} {name}");
        }
        for bad in ["[", "[]", "[a", "a\\", "[a-]", "[-a]"] {
            assert!(glob_tokens(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn literal_sources_select_themselves_below_and_above() {
        let m = glob("src/app");
        for yes in ["src/app", "src/app/x.js", "src", "./src/", "", "."] {
            assert!(selects(&m, yes), "{yes}");
        }
        for no in ["src/application", "srcx", "lib", "src/ap", "src/other/app"] {
            assert!(!selects(&m, no), "{no}");
        }
        assert!(!m.covers(b"src") && m.leads_to(b"src"));
        assert!(m.covers(b"src/app/x") && !m.leads_to(b"src/app/x"));
    }

    #[test]
    fn wildcard_sources() {
        let m = glob("src/*.js");
        for yes in ["src", "src/a.js", "src/dir.js/inner", ""] {
            assert!(selects(&m, yes), "{yes}");
        }
        for no in ["src/a.ts", "lib/a.js", "src/x/a.js", "a.js"] {
            assert!(!selects(&m, no), "{no}");
        }
        let m = glob("*");
        for yes in ["a", ".env", "a/b/c"] {
            assert!(selects(&m, yes), "{yes}");
        }
        let m = glob("pkg/*/go.mod");
        assert!(selects(&m, "pkg/a") && selects(&m, "pkg/a/go.mod"));
        assert!(!selects(&m, "pkg/a/go.sum"));
        let malformed = glob("a[b");
        assert_eq!(
            malformed,
            Matcher::Glob(vec![vec![Token::Lit('a'), Token::Lit('['), Token::Lit('b')]])
        );
        assert!(selects(&malformed, "a[b") && !selects(&malformed, "ab"));
    }

    #[test]
    fn unknown_variables_match_anything() {
        let unknown = Piece::Unknown { written: "$D".into(), name: "D".into() };
        let text = |s: &str| Piece::Text(s.to_owned());
        let m = Matcher::new(&[vec![text("bin")], vec![unknown.clone()], vec![text("app")]], false);
        for yes in ["bin", "bin/x/app", "bin/x/y/app", "bin/x/app/sub", "bin/x", ""] {
            assert!(selects(&m, yes), "{yes}");
        }
        for no in ["lib", "bin/app", "bin/x/other"] {
            assert!(!m.covers(no.as_bytes()), "{no}");
        }
        assert!(!selects(&m, "lib"));
        let m = Matcher::new(&[vec![unknown]], false);
        assert!(selects(&m, "anything/at/all"));
    }

    #[test]
    fn the_directory_an_empty_wildcard_needs() {
        assert_eq!(glob("yarn.lock*").wildcard_dir(), Some(Vec::new()));
        assert_eq!(glob("lib/*.jar").wildcard_dir(), Some(b"lib".to_vec()));
        assert_eq!(glob("a/b/*/c").wildcard_dir(), Some(b"a/b".to_vec()));
        assert_eq!(glob("n[o]there").wildcard_dir(), Some(Vec::new()));
        assert_eq!(glob("plain/path").wildcard_dir(), None);
    }

    /// The one-pass selection says what covers, names and leads_to say.
    #[test]
    fn selection_agrees_with_the_three_questions() {
        use crate::dockerfile::Selection;
        let sources = ["app", "a/b", "*.txt", "src/*/x", "a\\*b", "."];
        let paths = [
            "",
            "a",
            "app",
            "app/x",
            "apps",
            "a/b",
            "a/b/c",
            "a/bc",
            "x.txt",
            "d/x.txt",
            "src",
            "src/k",
            "src/k/x",
            "src/k/x/y",
            "src/k/y",
            "a*b",
            "ab",
        ];
        for source in sources {
            let m = if source == "." { Matcher::Root } else { glob(source) };
            for path in paths {
                let path = path.as_bytes();
                let expected = if m.covers(path) {
                    if m.names(path) { Selection::Named } else { Selection::Below }
                } else if m.leads_to(path) {
                    Selection::LeadsTo
                } else {
                    Selection::None
                };
                assert_eq!(
                    m.selection(path),
                    expected,
                    "{source} {:?}",
                    String::from_utf8_lossy(path)
                );
            }
        }
    }

    #[test]
    fn invalid_utf8_paths() {
        let m = glob("?");
        assert!(m.covers(b"\xff"));
        assert!(!m.covers(b"\xff\xfe"));
        let m = glob("a");
        assert!(!m.covers(b"\xff") && !m.leads_to(b"\xff"));
    }
}
