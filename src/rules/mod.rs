//! The `.dockerignore` rule engine, with BuildKit's exact semantics.
//!
//! [`RuleSet::from_ignore_file`] reads an ignore file (`parse`), checks the limits of the
//! transfer (`limits`), runs BuildKit's early syntax check (`glob_check`) and classifies each
//! pattern (`pattern`). [`RuleSet::step`] (`step`) then decides one entry from what its
//! directory hands down (the [`Record`] of the rules that matched it, or that it is pruned),
//! exactly as BuildKit's walk does, with BuildKit's second check, which decides whether a
//! listed file keeps its content. [`trace()`] follows one path down with the same step, to
//! say which rule decided and where (for `why` and lint).

mod clean;
pub(crate) mod examples;
mod glob_check;
mod limits;
pub(crate) mod literal;
mod parse;
pub(crate) mod path;
mod pattern;
mod pattern_set;
pub(crate) mod re2;
mod star_glob;
mod step;
mod trace;

use std::fmt;

pub use limits::TransferError;
pub use parse::{RawPattern, ReadError};
pub use pattern::{Kind, Pattern};
pub use pattern_set::PatternSet;
pub use step::{Fate, Inherited, RuleIndex, Step};
pub use trace::{Trace, trace};

/// The most rules a [`Record`] can hold; the transfer limit (490) is below it.
const MAX_RULES: usize = 512;

/// One line of the ignore file that is a pattern.
#[derive(Debug)]
pub struct Rule {
    /// 1-based line number in the ignore file.
    pub line: usize,
    /// `!` rules re-include what earlier rules excluded.
    pub exception: bool,
    /// The line as written (lossily decoded, for messages).
    pub written: String,
    /// The pattern as BuildKit compiles it (cleaned, without `!`).
    pub text: String,
    pattern: Pattern,
}

impl Rule {
    /// The pattern, classified and ready to evaluate.
    pub fn pattern(&self) -> &Pattern {
        &self.pattern
    }
}

/// An error BuildKit fails the build with, located in the ignore file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// 1-based line, when one line is to blame.
    pub line: Option<usize>,
    /// The offending line as written, when one line is to blame.
    pub pattern: Option<String>,
    pub kind: RuleErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleErrorKind {
    LineTooLong {
        len: usize,
    },
    Transfer(TransferError),
    /// `!` with nothing after it.
    EmptyException,
    /// Rejected by BuildKit's early glob syntax check.
    BadGlob,
    /// The translated regular expression does not compile (found when evaluated).
    BadRegex {
        regex: String,
        reason: String,
    },
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "{line}: ")?;
        }
        match &self.kind {
            RuleErrorKind::LineTooLong { len } => write!(
                f,
                "line is {len} bytes long; BuildKit rejects ignore-file lines over {} bytes",
                parse::MAX_LINE_BYTES
            )?,
            RuleErrorKind::Transfer(TransferError::ControlCharacter { byte, .. }) => write!(
                f,
                "control character 0x{byte:02X} inside a pattern; BuildKit cannot send it \
                 (\"non-printable ASCII characters\")"
            )?,
            RuleErrorKind::Transfer(TransferError::TooManyPatterns { count, max, .. }) => write!(
                f,
                "{count} patterns; BuildKit fails the build above {max} (this is the first one \
                 too many)"
            )?,
            RuleErrorKind::Transfer(TransferError::TooLarge { bytes, max }) => write!(
                f,
                "the patterns take {bytes} bytes of request headers; BuildKit fails the build \
                 above {max}"
            )?,
            RuleErrorKind::EmptyException => write!(f, "illegal exclusion pattern: `!` alone")?,
            RuleErrorKind::BadGlob => write!(f, "syntax error in pattern")?,
            RuleErrorKind::BadRegex { regex, reason } => write!(
                f,
                "syntax error in pattern: its regular expression {regex:?} does not compile \
                 ({reason})"
            )?,
        }
        if let Some(pattern) = &self.pattern {
            write!(f, ": {pattern:?}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RuleError {}

/// Which rules matched a directory; handed to its children, which count those rules as
/// matching without evaluating them.
pub type Record = crate::bits::BitSet<{ MAX_RULES / 64 }>;

/// The outcome of deciding one path during the walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Verdict {
    pub excluded: bool,
    /// The rules that matched this path (for its children, if it is a directory).
    pub record: Record,
    /// The last rule that matched (and so decided), if any.
    pub deciding: Option<usize>,
}

/// When an excluded directory may be skipped without entering it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pruning {
    /// No exceptions: every excluded directory is skipped.
    Always,
    /// Skipped unless one of these exception prefixes (each ending in `/`) starts with the
    /// directory followed by `/`.
    UnlessOnPath(Vec<Vec<u8>>),
    /// An exception has wildcard or escape characters: nothing is ever skipped.
    Never,
}

/// The compiled rules of one ignore file.
#[derive(Debug)]
pub struct RuleSet {
    rules: Vec<Rule>,
    pruning: Pruning,
    has_exceptions: bool,
}

impl RuleSet {
    /// No rules: everything ships.
    pub fn empty() -> RuleSet {
        RuleSet { rules: Vec::new(), pruning: Pruning::Always, has_exceptions: false }
    }

    /// Reads, checks and compiles an ignore file, failing where BuildKit fails the build.
    pub fn from_ignore_file(content: &[u8]) -> Result<RuleSet, RuleError> {
        let raw =
            parse::read_patterns(content).map_err(|ReadError::LineTooLong { line, len }| {
                RuleError {
                    line: Some(line),
                    pattern: None,
                    kind: RuleErrorKind::LineTooLong { len },
                }
            })?;
        limits::check_transfer(&raw).map_err(|error| {
            let line = match &error {
                TransferError::ControlCharacter { line, .. } => Some(*line),
                TransferError::TooManyPatterns { first_extra_line, .. } => Some(*first_extra_line),
                TransferError::TooLarge { .. } => None,
            };
            let pattern = line
                .and_then(|line| raw.iter().find(|p| p.line == line))
                .map(|p| String::from_utf8_lossy(&p.written).into_owned());
            RuleError { line, pattern, kind: RuleErrorKind::Transfer(error) }
        })?;
        let mut rules = Vec::with_capacity(raw.len());
        for raw_pattern in raw {
            rules.push(compile_rule(raw_pattern)?);
        }
        Ok(RuleSet::from_rules(rules))
    }

    fn from_rules(rules: Vec<Rule>) -> RuleSet {
        debug_assert!(rules.len() <= MAX_RULES);
        let exceptions: Vec<&Rule> = rules.iter().filter(|r| r.exception).collect();
        let pruning = if exceptions.is_empty() {
            Pruning::Always
        } else {
            let prefixes: Vec<Vec<u8>> =
                exceptions.iter().map(|r| exception_prefix(r.pattern.text())).collect();
            if prefixes.iter().any(|p| p.iter().any(|b| b"*?[]^\\".contains(b))) {
                Pruning::Never
            } else {
                Pruning::UnlessOnPath(prefixes)
            }
        };
        RuleSet { has_exceptions: !exceptions.is_empty(), rules, pruning }
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Decides a path during the walk, from its parent directory's record (`None` for
    /// entries at the root of the context).
    ///
    /// For each rule in order: a rule that matched the parent matches, whatever the current
    /// state; otherwise a rule that cannot change the state is skipped (an ordinary rule
    /// while excluded, an exception while included); otherwise it is evaluated on the full
    /// path. Only matches recorded here travel down to children.
    pub(crate) fn decide(
        &self,
        path: &[u8],
        parent: Option<&Record>,
    ) -> Result<Verdict, RuleError> {
        let mut verdict = Verdict { excluded: false, record: Record::default(), deciding: None };
        for (index, rule) in self.rules.iter().enumerate() {
            let inherited = parent.is_some_and(|record| record.get(index));
            let matched =
                inherited || (rule.exception == verdict.excluded && self.evaluate(index, path)?);
            if matched {
                verdict.record.set(index);
                verdict.excluded = !rule.exception;
                verdict.deciding = Some(index);
            }
        }
        Ok(verdict)
    }

    /// BuildKit's second check, run when a listed regular file's content is read: each rule
    /// (with the same skipping) matches if it matches the path or any ancestor directory.
    /// When it says "excluded", the file ships empty. Returns the deciding rule then.
    pub(crate) fn content_excluded(&self, path: &[u8]) -> Result<Option<usize>, RuleError> {
        if !self.has_exceptions {
            // Without exceptions, a file the walk kept matched no rule, and none of its
            // directories did (they would have been skipped), so this check agrees.
            return Ok(None);
        }
        let mut excluded = false;
        let mut deciding = None;
        for (index, rule) in self.rules.iter().enumerate() {
            if rule.exception != excluded {
                continue;
            }
            let mut matched = self.evaluate(index, path)?;
            if !matched {
                // BuildKit ignores evaluation errors on the ancestors here.
                matched =
                    ancestors(path).any(|ancestor| rule.pattern.matches(ancestor).unwrap_or(false));
            }
            if matched {
                excluded = !rule.exception;
                deciding = Some(index);
            }
        }
        Ok(if excluded { deciding } else { None })
    }

    /// Whether [`RuleSet::content_excluded`] can say "excluded" for a file the walk kept,
    /// given the parent's record and the file's own. When no rule matched the file or any
    /// directory above it, every ordinary rule was evaluated on each of them and missed, and
    /// exceptions are skipped while nothing is excluded: the second check must agree.
    pub(crate) fn needs_content_check(&self, parent: Option<&Record>, own: &Record) -> bool {
        self.has_exceptions
            && (parent.is_some_and(|p| *p != Record::default()) || *own != Record::default())
    }

    /// Whether BuildKit skips an excluded directory without entering it: only when no
    /// exception could re-include anything below it.
    pub fn prunes(&self, dir: &[u8]) -> bool {
        match &self.pruning {
            Pruning::Always => true,
            Pruning::Never => false,
            Pruning::UnlessOnPath(prefixes) => !prefixes.iter().any(|prefix| {
                prefix.len() > dir.len() && prefix.starts_with(dir) && prefix[dir.len()] == b'/'
            }),
        }
    }

    fn evaluate(&self, index: usize, path: &[u8]) -> Result<bool, RuleError> {
        let rule = &self.rules[index];
        rule.pattern.matches(path).map_err(|error| RuleError {
            line: Some(rule.line),
            pattern: Some(rule.written.clone()),
            kind: RuleErrorKind::BadRegex {
                regex: rule.pattern.go_regex().to_owned(),
                reason: error.to_string(),
            },
        })
    }
}

/// Compiles one pattern as BuildKit's matcher does: trim and clean again (the `!` included),
/// reject a bare `!`, run the early glob check, classify.
fn compile_rule(raw: RawPattern) -> Result<Rule, RuleError> {
    let written = String::from_utf8_lossy(&raw.written).into_owned();
    let error = |kind| RuleError { line: Some(raw.line), pattern: Some(written.clone()), kind };
    let cleaned = clean::clean(parse::trim_space(&raw.text));
    let (exception, text) = match cleaned.strip_prefix(b"!") {
        Some(b"") => return Err(error(RuleErrorKind::EmptyException)),
        Some(rest) => (true, rest),
        None => (false, &cleaned[..]),
    };
    glob_check::check(text).map_err(|_| error(RuleErrorKind::BadGlob))?;
    Ok(Rule {
        line: raw.line,
        exception,
        text: String::from_utf8_lossy(text).into_owned(),
        pattern: Pattern::new(text),
        written,
    })
}

/// An exception's pattern minus one trailing `/**` and then one trailing `/*`, plus `/`:
/// the path an excluded directory must lie on for BuildKit to enter it.
fn exception_prefix(text: &[u8]) -> Vec<u8> {
    let text = text.strip_suffix(b"/**").unwrap_or(text);
    let text = text.strip_suffix(b"/*").unwrap_or(text);
    let mut prefix = text.to_vec();
    prefix.push(b'/');
    prefix
}

/// The proper ancestor directories of a relative path, shortest first: `a`, `a/b` for `a/b/c`.
pub(crate) fn ancestors(path: &[u8]) -> impl Iterator<Item = &[u8]> {
    path.iter().enumerate().filter(|&(_, &b)| b == b'/').map(move |(i, _)| &path[..i])
}

#[cfg(test)]
mod tests;

/// Lexical path cleaning, as Go's `path.Clean` does it.
pub(crate) fn clean_path(path: &[u8]) -> Vec<u8> {
    clean::clean(path)
}
