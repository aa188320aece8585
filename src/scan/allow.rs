//! The allow-list of `check`: files a team ships on purpose (`[check] allow` in
//! `ctxsize.toml`, `--allow`), which denied and warned categories then leave alone.
//!
//! Each pattern is a path or a glob relative to the context root, in globset syntax with
//! `literal_separator`: `*`, `?` and `[…]` stay inside one path component, `**` crosses
//! them, `{a,b}` is an alternation. A pattern that names a directory allows everything
//! below it (`certs` allows `certs/ca.pem`), as ignore-file patterns do.

use std::fmt;

use globset::{Candidate, GlobBuilder, GlobSet, GlobSetBuilder};

use crate::rules::path;

/// Compiled allow patterns; empty by default.
#[derive(Clone, Default)]
pub struct AllowList {
    /// The patterns as written (after trimming).
    patterns: Vec<String>,
    set: GlobSet,
}

/// A pattern that is not a valid glob.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid glob \"{pattern}\": {message}")]
pub struct AllowError {
    pub pattern: String,
    pub message: String,
}

impl AllowList {
    /// Compiles patterns; blanks around each are ignored, and so is a leading `./` or `/`
    /// (patterns are relative to the context root either way) and a trailing `/`.
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<AllowList, AllowError> {
        let mut builder = GlobSetBuilder::new();
        let mut kept = Vec::new();
        for written in patterns {
            let written = written.as_ref().trim();
            let error = |message: String| AllowError { pattern: written.to_owned(), message };
            let pattern = normalize(written);
            if pattern.is_empty() {
                return Err(error("names nothing; write a path relative to the context".into()));
            }
            let glob = GlobBuilder::new(pattern)
                .literal_separator(true)
                .backslash_escape(true)
                .build()
                .map_err(|e| error(e.kind().to_string()))?;
            builder.add(glob);
            kept.push(written.to_owned());
        }
        let set = builder.build().map_err(|e| AllowError {
            pattern: e.glob().unwrap_or_default().to_owned(),
            message: e.kind().to_string(),
        })?;
        Ok(AllowList { patterns: kept, set })
    }

    /// A comma-separated list (`config/master.key,certs/*.pem`); commas inside `{…}` belong
    /// to the glob. Empty items are skipped, so `""` is the empty list.
    pub fn parse_list(list: &str) -> Result<AllowList, AllowError> {
        let mut items = Vec::new();
        let (mut depth, mut start) = (0usize, 0);
        for (i, c) in list.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth = depth.saturating_sub(1),
                ',' if depth == 0 => {
                    items.push(&list[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        items.push(&list[start..]);
        items.retain(|item| !item.trim().is_empty());
        AllowList::new(&items)
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The patterns as written.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// Whether a path relative to the context (`/`-separated), or a directory above it, is
    /// allowed.
    pub fn allows(&self, path: &[u8]) -> bool {
        if self.is_empty() {
            return false;
        }
        let mut end = path.len();
        loop {
            if self.set.is_match_candidate(&Candidate::from_bytes(&path[..end])) {
                return true;
            }
            match path::parent(&path[..end]) {
                Some(dir) => end = dir.len(),
                None => return false,
            }
        }
    }
}

/// Drops a leading `./` or `/` (repeated) and a trailing `/`.
fn normalize(pattern: &str) -> &str {
    let mut pattern = pattern;
    loop {
        let rest = pattern.strip_prefix("./").or_else(|| pattern.strip_prefix('/'));
        match rest {
            Some(rest) => pattern = rest,
            None => break,
        }
    }
    pattern.trim_end_matches('/')
}

impl PartialEq for AllowList {
    fn eq(&self, other: &AllowList) -> bool {
        self.patterns == other.patterns
    }
}

impl Eq for AllowList {}

impl fmt::Debug for AllowList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("AllowList").field(&self.patterns).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allows(patterns: &[&str], path: &str) -> bool {
        AllowList::new(patterns).unwrap().allows(path.as_bytes())
    }

    #[test]
    fn paths_and_globs_relative_to_the_context() {
        assert!(allows(&["config/master.key"], "config/master.key"));
        assert!(allows(&["./config/master.key"], "config/master.key"));
        assert!(allows(&["/config/master.key"], "config/master.key"));
        assert!(!allows(&["config/master.key"], "apps/web/config/master.key"));
        assert!(!allows(&["master.key"], "config/master.key"), "anchored at the root");
        // `*` stays in one component, `**` crosses them.
        assert!(allows(&["config/*.key"], "config/master.key"));
        assert!(!allows(&["config/*.key"], "config/credentials/production.key"));
        assert!(!allows(&["*.key"], "config/master.key"));
        assert!(allows(&["**/*.key"], "config/credentials/production.key"));
        assert!(allows(&["**/master.key"], "master.key"));
        assert!(allows(&["config/{master,credentials/*}.key"], "config/credentials/p.key"));
        // A directory allows what lies below it.
        assert!(allows(&["certs"], "certs/ca.pem"));
        assert!(allows(&["certs/"], "certs/sub/ca.pem"));
        assert!(!allows(&["certs"], "certsx/ca.pem"));
        assert!(!allows(&[], "certs/ca.pem"));
    }

    #[test]
    fn lists_split_on_commas_outside_braces() {
        let list = AllowList::parse_list(" config/master.key, {a,b}.pem ,,").unwrap();
        assert_eq!(list.patterns(), ["config/master.key", "{a,b}.pem"]);
        assert!(list.allows(b"b.pem"));
        assert!(AllowList::parse_list("").unwrap().is_empty());
    }

    #[test]
    fn bad_patterns_are_errors_naming_them() {
        let error = AllowList::new(&["ok", "config/[a-"]).unwrap_err();
        assert_eq!(error.pattern, "config/[a-");
        assert!(error.to_string().starts_with("invalid glob \"config/[a-\": "), "{error}");
        assert!(AllowList::new(&["./"]).unwrap_err().to_string().contains("names nothing"));
    }
}
