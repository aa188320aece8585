//! Translation of Go RE2 regular-expression syntax into the `regex` crate's syntax.
//!
//! BuildKit compiles the regex it builds from a `.dockerignore` pattern with Go's
//! `regexp.Compile`, that is `regexp/syntax` with the `Perl` flags (ClassNL, OneLine, PerlX,
//! UnicodeGroups). Its syntax differs from the `regex` crate's in ways that change meaning:
//! `[` inside a class is a literal in Go but opens a nested class here, `&&` `--` `~~` are
//! class operators here, `\d \s \w \b` are ASCII in Go but Unicode here, a `{` that does not
//! start `{n}`, `{n,}` or `{n,m}` is a literal in Go but an error (or, as in `{,2}`, a
//! repetition) here, and so on. So the text is never
//! passed through: [`translate`] parses it the way Go's parser does (accepting and rejecting
//! the same patterns, with Go's error messages) and emits a canonical pattern in which every
//! literal is escaped, every class is spelled out and every flag is resolved per atom.
//!
//! The Unicode class names accepted are the ones Go accepted before 1.25: `Any`, the general
//! categories and the scripts of Go's `unicode` tables, spelled exactly.

use std::fmt::Write as _;

/// A Go regexp that Go's `regexp.Compile` would reject.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}: `{fragment}`")]
pub(crate) struct Re2Error {
    /// Go's error code text, such as "invalid escape sequence".
    pub(crate) kind: &'static str,
    /// The offending part of the expression, as Go reports it.
    pub(crate) fragment: String,
}

// Go's `syntax.ErrorCode` texts.
const INVALID_CHAR_RANGE: &str = "invalid character class range";
const INVALID_ESCAPE: &str = "invalid escape sequence";
const INVALID_NAMED_CAPTURE: &str = "invalid named capture";
const INVALID_PERL_OP: &str = "invalid or unsupported Perl syntax";
const INVALID_REPEAT_OP: &str = "invalid nested repetition operator";
const INVALID_REPEAT_SIZE: &str = "invalid repeat count";
const MISSING_BRACKET: &str = "missing closing ]";
const MISSING_PAREN: &str = "missing closing )";
const MISSING_REPEAT_ARGUMENT: &str = "missing argument to repetition operator";
const TRAILING_BACKSLASH: &str = "trailing backslash at end of expression";
const UNEXPECTED_PAREN: &str = "unexpected )";
const NESTING_DEPTH: &str = "expression nests too deeply";
const TOO_LARGE: &str = "expression too large";
/// Not Go's: the translated pattern failed to build (size or nesting limit of `regex`).
const INVALID_REGEX: &str = "invalid regex";

/// Go's `maxRepeat`: the largest count in `x{n,m}`, and the largest product of nested counts.
const MAX_REPEAT: u64 = 1000;
/// Go's `maxHeight`: the deepest parse tree it accepts.
const MAX_HEIGHT: u32 = 1000;
/// Go's `maxSize`: 128 MiB of 40-byte instructions.
const MAX_SIZE: u64 = (128 << 20) / 40;
/// Size limit for the compiled `regex`. Its default (10 MiB) rejects things Go accepts,
/// like `\pL{1000}`; this allows those while keeping a bound on memory.
const REGEX_SIZE_LIMIT: usize = 64 << 20;

/// A class that can never match: the `regex` crate's spelling of an empty set.
const NOTHING: &str = r"[^\x{0}-\x{10FFFF}]";
const MAX_RUNE: u32 = 0x10_FFFF;
const SURROGATES: (u32, u32) = (0xD800, 0xDFFF);

/// Translates Go regexp syntax to `regex` crate syntax with the same meaning.
pub(crate) fn translate(go: &str) -> Result<String, Re2Error> {
    let tree = Parser::new(go).parse()?;
    let mut out = String::with_capacity(go.len() * 4);
    emit(&tree, Ctx::Top, &mut out);
    Ok(out)
}

/// Translates a Go regexp and builds it, for matching `&str` subjects.
pub(crate) fn compile(go: &str) -> Result<regex::Regex, Re2Error> {
    let pattern = translate(go)?;
    regex::RegexBuilder::new(&pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|_| Re2Error { kind: INVALID_REGEX, fragment: go.to_owned() })
}

// ---------------------------------------------------------------------------------------------
// Parse tree

/// Go's parser flags that change meaning, as set by `(?flags)`.
#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    /// `i`: simple case folding.
    fold: bool,
    /// `m`: `^` and `$` match at line boundaries (clears Go's OneLine).
    multi_line: bool,
    /// `s`: `.` matches `\n`.
    dot_nl: bool,
    /// `U`: repetitions are lazy unless followed by `?`.
    ungreedy: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Look {
    StartText,
    EndText,
    StartLine,
    EndLine,
    WordBoundary,
    NotWordBoundary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RepeatOp {
    Star,
    Plus,
    Quest,
    /// `{min}`, `{min,}` (max `None`) or `{min,max}`.
    Counted {
        min: u32,
        max: Option<u32>,
    },
}

/// A Unicode class Go knows by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnicodeClass {
    Any,
    Category(&'static str),
    Script(&'static str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ClassItem {
    /// Code points `lo..=hi`; may include surrogates, which Go accepts and never matches.
    Range(u32, u32),
    /// A Perl (`\d`) or POSIX (`[:alpha:]`) class: always ASCII in Go.
    Ascii { ranges: &'static [(u32, u32)], negated: bool },
    /// `\pL`, `\p{Greek}`, `\PL`, `\p{^Greek}`.
    Unicode { class: UnicodeClass, negated: bool },
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Class {
    negated: bool,
    items: Vec<ClassItem>,
}

#[derive(Debug)]
enum Kind {
    Empty,
    /// A code point; a surrogate (from `\x{D800}`) is accepted by Go and never matches.
    Literal {
        cp: u32,
        fold: bool,
    },
    Class {
        class: Class,
        fold: bool,
    },
    AnyCharNotNl,
    AnyChar,
    Look(Look),
    Repeat {
        sub: Box<Expr>,
        op: RepeatOp,
        greedy: bool,
    },
    /// Kept only so the size and height limits count it as Go does.
    Capture(Box<Expr>),
    Concat(Vec<Expr>),
    Alternate(Vec<Expr>),
}

/// A node with the measures Go uses to reject expressions (see `checkLimits` and
/// `repeatIsValid` in Go's parse.go); they approximate Go's tree, which merges literals into
/// strings and factors alternations.
#[derive(Debug)]
struct Expr {
    kind: Kind,
    /// Go's `calcHeight`.
    height: u32,
    /// Go's `calcSize`: estimated instructions.
    size: u64,
    /// Largest product of nested counted repetitions on a path (`repeatIsValid`).
    repeat_product: u64,
}

impl Expr {
    fn leaf(kind: Kind) -> Expr {
        Expr { kind, height: 1, size: 1, repeat_product: 1 }
    }

    fn literal(cp: u32, fold: bool) -> Expr {
        Expr::leaf(Kind::Literal { cp, fold })
    }

    fn class(class: Class, fold: bool) -> Expr {
        Expr::leaf(Kind::Class { class, fold })
    }

    fn capture(sub: Expr) -> Expr {
        Expr {
            height: sub.height.saturating_add(1),
            size: sub.size.saturating_add(2),
            repeat_product: sub.repeat_product,
            kind: Kind::Capture(Box::new(sub)),
        }
    }

    fn repeat(sub: Expr, op: RepeatOp, greedy: bool) -> Expr {
        let size = match op {
            RepeatOp::Star => sub.size.saturating_add(2),
            RepeatOp::Plus | RepeatOp::Quest => sub.size.saturating_add(1),
            RepeatOp::Counted { min: 0, max: None } => sub.size.saturating_add(2),
            RepeatOp::Counted { min, max: None } => {
                u64::from(min).saturating_mul(sub.size).saturating_add(1)
            }
            RepeatOp::Counted { min, max: Some(max) } => {
                let extra = u64::from(max.saturating_sub(min));
                u64::from(max).saturating_mul(sub.size).saturating_add(extra)
            }
        };
        let repeat_product = match op {
            // Go stops at a repetition whose maximum is 0: `x{0}` contributes nothing. `x{0,}`
            // has no maximum and a minimum of 0: Go neither stops nor counts it, so the
            // counts inside it still add up.
            RepeatOp::Counted { max: Some(0), .. } => 1,
            RepeatOp::Counted { min, max } => match u64::from(max.unwrap_or(min)) {
                0 => sub.repeat_product,
                m => m.saturating_mul(sub.repeat_product),
            },
            _ => sub.repeat_product,
        };
        Expr {
            height: sub.height.saturating_add(1),
            size: size.max(1),
            repeat_product,
            kind: Kind::Repeat { sub: Box::new(sub), op, greedy },
        }
    }

    /// A concatenation, flattening nested ones as Go's `collapse` does.
    fn concat(items: Vec<Expr>) -> Expr {
        let mut flat = Vec::with_capacity(items.len());
        for item in items {
            match item {
                Expr { kind: Kind::Concat(inner), .. } => flat.extend(inner),
                other => flat.push(other),
            }
        }
        if flat.len() <= 1 {
            return flat.pop().unwrap_or_else(|| Expr::leaf(Kind::Empty));
        }
        // Go merges a run of literals into one string node of height 1.
        let all_literals =
            flat.iter().all(|e| e.height == 1 && matches!(e.kind, Kind::Literal { .. }));
        let height = if all_literals { 1 } else { 1 + max_height(&flat) };
        let size = flat.iter().fold(0u64, |acc, e| acc.saturating_add(e.size));
        Expr {
            height,
            size: size.max(1),
            repeat_product: max_product(&flat),
            kind: Kind::Concat(flat),
        }
    }

    /// An alternation, flattening nested ones and dropping repeated empty branches as Go does.
    fn alternate(branches: Vec<Expr>) -> Expr {
        let mut flat: Vec<Expr> = Vec::with_capacity(branches.len());
        for branch in branches {
            let inner = match branch {
                Expr { kind: Kind::Alternate(inner), .. } => inner,
                other => vec![other],
            };
            for b in inner {
                let repeated_empty = matches!(b.kind, Kind::Empty)
                    && matches!(flat.last().map(|l| &l.kind), Some(Kind::Empty));
                if !repeated_empty {
                    flat.push(b);
                }
            }
        }
        if flat.len() <= 1 {
            return flat.pop().unwrap_or_else(|| Expr::leaf(Kind::Empty));
        }
        // Go merges adjacent single-character branches into one character class.
        let mut kept = 0u64;
        let mut size = 0u64;
        let mut previous_char = false;
        for e in &flat {
            let is_char = e.height == 1 && e.is_single_char();
            if !(is_char && previous_char) {
                kept += 1;
                size = size.saturating_add(e.size);
            }
            previous_char = is_char;
        }
        let height = if kept == 1 { 1 } else { 1 + max_height(&flat) };
        let size = size.saturating_add(kept - 1);
        Expr {
            height,
            size: size.max(1),
            repeat_product: max_product(&flat),
            kind: Kind::Alternate(flat),
        }
    }

    fn is_single_char(&self) -> bool {
        matches!(
            self.kind,
            Kind::Literal { .. } | Kind::Class { .. } | Kind::AnyChar | Kind::AnyCharNotNl
        )
    }
}

fn max_height(items: &[Expr]) -> u32 {
    items.iter().map(|e| e.height).max().unwrap_or(0)
}

fn max_product(items: &[Expr]) -> u64 {
    items.iter().map(|e| e.repeat_product).max().unwrap_or(1)
}

// ---------------------------------------------------------------------------------------------
// Parser: a port of the decisions of Go's `regexp/syntax.parse` over `char`s.

/// An open group (or the whole expression, at the bottom of the stack).
struct Frame {
    /// Alternatives finished by `|`.
    branches: Vec<Expr>,
    /// The concatenation being built.
    items: Vec<Expr>,
    /// Flags to restore when the group closes: `(?i)` lasts to the end of its group.
    saved_flags: Flags,
    capture: bool,
}

impl Frame {
    fn new(saved_flags: Flags, capture: bool) -> Frame {
        Frame { branches: Vec::new(), items: Vec::new(), saved_flags, capture }
    }

    fn finish(mut self) -> Expr {
        let last = Expr::concat(std::mem::take(&mut self.items));
        self.branches.push(last);
        Expr::alternate(self.branches)
    }
}

type PResult<T> = Result<T, Re2Error>;

struct Parser<'a> {
    whole: &'a str,
    chars: Vec<char>,
    pos: usize,
    flags: Flags,
    stack: Vec<Frame>,
    /// For each position, the index of the next `:]` at or after it (Go looks for the end
    /// of a POSIX class name in the rest of the whole expression).
    next_posix_end: Vec<usize>,
}

impl<'a> Parser<'a> {
    fn new(whole: &'a str) -> Parser<'a> {
        let chars: Vec<char> = whole.chars().collect();
        let mut next_posix_end = vec![usize::MAX; chars.len() + 1];
        for i in (0..chars.len()).rev() {
            next_posix_end[i] = if chars[i] == ':' && chars.get(i + 1) == Some(&']') {
                i
            } else {
                next_posix_end[i + 1]
            };
        }
        let flags = Flags::default();
        Parser {
            whole,
            chars,
            pos: 0,
            flags,
            stack: vec![Frame::new(flags, false)],
            next_posix_end,
        }
    }

    fn at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    /// The first position at or after `from` whose char (and the next one) satisfy `pred`.
    fn find_from(&self, from: usize, pred: impl Fn(char, Option<char>) -> bool) -> Option<usize> {
        let rest = self.chars.get(from..)?;
        rest.iter()
            .enumerate()
            .position(|(i, c)| pred(*c, rest.get(i + 1).copied()))
            .map(|i| i + from)
    }

    fn remaining(&self) -> usize {
        self.chars.len() - self.pos
    }

    fn text(&self, from: usize, to: usize) -> String {
        self.chars[from.min(self.chars.len())..to.min(self.chars.len())].iter().collect()
    }

    fn error(&self, kind: &'static str, from: usize, to: usize) -> Re2Error {
        Re2Error { kind, fragment: self.text(from, to) }
    }

    fn whole_error(&self, kind: &'static str) -> Re2Error {
        Re2Error { kind, fragment: self.whole.to_owned() }
    }

    fn frame(&mut self) -> &mut Frame {
        // The bottom frame is only removed by `parse` once the input is consumed.
        let last = self.stack.len() - 1;
        &mut self.stack[last]
    }

    /// Go's `checkLimits`, applied to each node as it is built.
    fn check_limits(&self, e: &Expr) -> PResult<()> {
        if e.size > MAX_SIZE {
            return Err(self.whole_error(TOO_LARGE));
        }
        if e.height > MAX_HEIGHT {
            return Err(self.whole_error(NESTING_DEPTH));
        }
        Ok(())
    }

    fn push(&mut self, e: Expr) -> PResult<()> {
        self.check_limits(&e)?;
        self.frame().items.push(e);
        Ok(())
    }

    fn push_literal(&mut self, cp: u32) -> PResult<()> {
        let fold = self.flags.fold;
        self.push(Expr::literal(cp, fold))
    }

    /// Parses the whole expression, one token at a time, as Go's `parse` loop does.
    fn parse(mut self) -> PResult<Expr> {
        // Start of the previous token if it was a repetition operator: Go rejects `a**`.
        let mut last_repeat: Option<usize> = None;
        while let Some(c) = self.at(0) {
            let start = self.pos;
            let repeated = match c {
                '*' | '+' | '?' | '{' => self.parse_repetition(c, start, last_repeat)?,
                _ => {
                    self.parse_atom(c)?;
                    false
                }
            };
            last_repeat = repeated.then_some(start);
        }
        if self.stack.len() != 1 {
            return Err(self.whole_error(MISSING_PAREN));
        }
        let Some(root) = self.stack.pop() else {
            return Err(self.whole_error(MISSING_PAREN));
        };
        let tree = root.finish();
        self.check_limits(&tree)?;
        Ok(tree)
    }

    /// A token that is not a repetition operator, starting with `c`: groups, alternation,
    /// anchors, `.`, classes, escapes and literals.
    fn parse_atom(&mut self, c: char) -> PResult<()> {
        match c {
            '(' if self.at(1) == Some('?') => self.parse_perl_flags(),
            '(' => {
                self.pos += 1;
                let flags = self.flags;
                self.stack.push(Frame::new(flags, true));
                Ok(())
            }
            '|' => {
                self.pos += 1;
                let items = std::mem::take(&mut self.frame().items);
                let branch = Expr::concat(items);
                self.check_limits(&branch)?;
                self.frame().branches.push(branch);
                Ok(())
            }
            ')' => self.parse_right_paren(),
            '^' => {
                self.pos += 1;
                let look = if self.flags.multi_line { Look::StartLine } else { Look::StartText };
                self.push(Expr::leaf(Kind::Look(look)))
            }
            '$' => {
                self.pos += 1;
                let look = if self.flags.multi_line { Look::EndLine } else { Look::EndText };
                self.push(Expr::leaf(Kind::Look(look)))
            }
            '.' => {
                self.pos += 1;
                let kind = if self.flags.dot_nl { Kind::AnyChar } else { Kind::AnyCharNotNl };
                self.push(Expr::leaf(kind))
            }
            '[' => {
                let class = self.parse_class()?;
                let fold = self.flags.fold;
                self.push(Expr::class(class, fold))
            }
            '\\' => self.parse_top_escape(),
            c => {
                self.pos += 1;
                self.push_literal(c as u32)
            }
        }
    }

    /// A repetition operator at `start` (`*`, `+`, `?` or `{`), applied to the item before
    /// it. Returns whether it was one: a `{` that does not parse as counts is a literal.
    fn parse_repetition(
        &mut self,
        c: char,
        start: usize,
        last_repeat: Option<usize>,
    ) -> PResult<bool> {
        let (op, after) = match c {
            '*' => (RepeatOp::Star, start + 1),
            '+' => (RepeatOp::Plus, start + 1),
            '?' => (RepeatOp::Quest, start + 1),
            _ => match self.parse_counts() {
                // Go: "If the repeat cannot be parsed, { is a literal."
                None => {
                    self.pos += 1;
                    self.push_literal('{' as u32)?;
                    return Ok(false);
                }
                Some((min, max, after)) => {
                    if min > MAX_REPEAT || max.is_some_and(|max| max > MAX_REPEAT || min > max) {
                        return Err(self.error(INVALID_REPEAT_SIZE, start, after));
                    }
                    // Both are at most MAX_REPEAT now.
                    let op = RepeatOp::Counted {
                        min: u32::try_from(min).unwrap_or(u32::MAX),
                        max: max.map(|max| u32::try_from(max).unwrap_or(u32::MAX)),
                    };
                    (op, after)
                }
            },
        };
        self.pos = after;
        self.repeat(op, start, last_repeat)?;
        Ok(true)
    }

    /// Applies the repetition operator that ended just before `self.pos` (Go's `repeat`).
    fn repeat(&mut self, op: RepeatOp, start: usize, last_repeat: Option<usize>) -> PResult<()> {
        let lazy = self.at(0) == Some('?');
        if lazy {
            self.pos += 1;
        }
        if let Some(previous) = last_repeat {
            return Err(self.error(INVALID_REPEAT_OP, previous, self.pos));
        }
        // Nothing to repeat at the start, after `(` or after `|`. Flag groups like `(?i)`
        // add no node, so in `a(?i)*` the star applies to `a`, as in Go.
        let Some(sub) = self.frame().items.pop() else {
            return Err(self.error(MISSING_REPEAT_ARGUMENT, start, self.pos));
        };
        // A `?` after the operator flips the default, which `(?U)` makes lazy.
        let greedy = lazy == self.flags.ungreedy;
        let e = Expr::repeat(sub, op, greedy);
        self.check_limits(&e)?;
        if let RepeatOp::Counted { min, max } = op
            && (min >= 2 || max.is_some_and(|max| max >= 2))
            && e.repeat_product > MAX_REPEAT
        {
            return Err(self.error(INVALID_REPEAT_SIZE, start, self.pos));
        }
        self.frame().items.push(e);
        Ok(())
    }

    /// Go's `parseRepeat` at a `{`: `{n}`, `{n,}` or `{n,m}` without leading zeros, or `None`
    /// when `{` is a literal. Returns the counts (saturated) and the position after `}`.
    fn parse_counts(&self) -> Option<(u64, Option<u64>, usize)> {
        let (min, mut p) = self.parse_int(self.pos + 1)?;
        let max = match *self.chars.get(p)? {
            ',' => {
                p += 1;
                if *self.chars.get(p)? == '}' {
                    None
                } else {
                    let (max, next) = self.parse_int(p)?;
                    p = next;
                    Some(max)
                }
            }
            _ => Some(min),
        };
        (*self.chars.get(p)? == '}').then_some((min, max, p + 1))
    }

    fn parse_int(&self, from: usize) -> Option<(u64, usize)> {
        // `to_digit(10)` accepts only ASCII digits.
        let digit = |i: usize| self.chars.get(i).and_then(|c| c.to_digit(10));
        digit(from)?;
        // Go disallows leading zeros: `x{01}` is literal text.
        if self.chars[from] == '0' && digit(from + 1).is_some() {
            return None;
        }
        let mut n: u64 = 0;
        let mut p = from;
        while let Some(d) = digit(p) {
            n = n.saturating_mul(10).saturating_add(u64::from(d));
            p += 1;
        }
        Some((n, p))
    }

    /// At `(?`: a named capture, a non-capturing group with flags, or a flag change
    /// (Go's `parsePerlFlags`).
    fn parse_perl_flags(&mut self) -> PResult<()> {
        let start = self.pos;
        let with_p = self.remaining() > 4 && self.at(2) == Some('P') && self.at(3) == Some('<');
        let bare = self.remaining() > 3 && self.at(2) == Some('<');
        if with_p || bare {
            let name_start = start + if with_p { 4 } else { 3 };
            let Some(end) = self.find_from(name_start, |c, _| c == '>') else {
                return Err(self.error(INVALID_NAMED_CAPTURE, start, self.chars.len()));
            };
            let name = &self.chars[name_start..end];
            // Go: `[A-Za-z0-9_]+`. Go allows the same name twice, so duplicates are not checked.
            if name.is_empty() || !name.iter().all(|c| *c == '_' || c.is_ascii_alphanumeric()) {
                return Err(self.error(INVALID_NAMED_CAPTURE, start, end + 1));
            }
            self.pos = end + 1;
            let flags = self.flags;
            self.stack.push(Frame::new(flags, true));
            return Ok(());
        }

        self.pos += 2;
        let mut flags = self.flags;
        let mut negated = false;
        let mut saw_flag = false;
        while let Some(c) = self.at(0) {
            self.pos += 1;
            let value = !negated;
            match c {
                'i' => flags.fold = value,
                'm' => flags.multi_line = value,
                's' => flags.dot_nl = value,
                'U' => flags.ungreedy = value,
                '-' if !negated => {
                    negated = true;
                    saw_flag = false;
                    continue;
                }
                // After `-`, at least one flag must follow.
                ':' | ')' if !negated || saw_flag => {
                    if c == ':' {
                        let saved = self.flags;
                        self.stack.push(Frame::new(saved, false));
                    }
                    self.flags = flags;
                    return Ok(());
                }
                _ => break,
            }
            saw_flag = true;
        }
        Err(self.error(INVALID_PERL_OP, start, self.pos))
    }

    fn parse_right_paren(&mut self) -> PResult<()> {
        if self.stack.len() < 2 {
            return Err(self.whole_error(UNEXPECTED_PAREN));
        }
        let Some(frame) = self.stack.pop() else {
            return Err(self.whole_error(UNEXPECTED_PAREN));
        };
        self.pos += 1;
        self.flags = frame.saved_flags;
        let capture = frame.capture;
        let body = frame.finish();
        self.check_limits(&body)?;
        let group = if capture { Expr::capture(body) } else { body };
        self.push(group)
    }

    /// A `\` outside a class (the escape branch of Go's main loop).
    fn parse_top_escape(&mut self) -> PResult<()> {
        let start = self.pos;
        let look = match self.at(1) {
            Some('A') => Some(Look::StartText),
            Some('z') => Some(Look::EndText),
            Some('b') => Some(Look::WordBoundary),
            Some('B') => Some(Look::NotWordBoundary),
            Some('C') => return Err(self.error(INVALID_ESCAPE, start, start + 2)),
            Some('Q') => {
                // `\Q...\E` quotes up to the first `\E`, or to the end.
                let from = start + 2;
                let end = self.find_from(from, |c, next| c == '\\' && next == Some('E'));
                let to = end.unwrap_or(self.chars.len());
                let quoted = self.chars[from.min(to)..to].to_vec();
                self.pos = end.map_or(to, |e| e + 2);
                for c in quoted {
                    self.push_literal(c as u32)?;
                }
                return Ok(());
            }
            _ => None,
        };
        if let Some(look) = look {
            self.pos += 2;
            return self.push(Expr::leaf(Kind::Look(look)));
        }
        let item = match self.parse_unicode_class()? {
            Some(item) => Some(item),
            None => self.parse_perl_class(),
        };
        if let Some(item) = item {
            let fold = self.flags.fold;
            return self.push(Expr::class(Class { negated: false, items: vec![item] }, fold));
        }
        let cp = self.parse_escape()?;
        self.push_literal(cp)
    }

    /// Go's `parseEscape`: a single-character escape at `\`, as a code point.
    fn parse_escape(&mut self) -> PResult<u32> {
        let start = self.pos;
        self.pos += 1;
        let Some(c) = self.at(0) else {
            return Err(Re2Error { kind: TRAILING_BACKSLASH, fragment: String::new() });
        };
        self.pos += 1;
        let octal = |c: Option<char>| c.and_then(|c| c.to_digit(8));
        match c {
            // `\1`-`\7` alone would be a backreference, which Go rejects; followed by another
            // octal digit they start an octal escape.
            '1'..='7' if octal(self.at(0)).is_none() => {}
            '0'..='7' => {
                let mut value = c as u32 - '0' as u32;
                for _ in 1..3 {
                    let Some(d) = octal(self.at(0)) else { break };
                    value = value * 8 + d;
                    self.pos += 1;
                }
                return Ok(value);
            }
            'x' => {
                if let Some(value) = self.parse_hex() {
                    return Ok(value);
                }
            }
            'a' => return Ok(0x07),
            'f' => return Ok(0x0C),
            'n' => return Ok(0x0A),
            'r' => return Ok(0x0D),
            't' => return Ok(0x09),
            'v' => return Ok(0x0B),
            // Any other ASCII punctuation or symbol (space and `_` included) is itself.
            c if c.is_ascii() && !c.is_ascii_alphanumeric() => return Ok(c as u32),
            _ => {}
        }
        Err(self.error(INVALID_ESCAPE, start, self.pos))
    }

    /// After `\x`: two hex digits, or one or more in braces up to U+10FFFF.
    fn parse_hex(&mut self) -> Option<u32> {
        let c = self.at(0)?;
        self.pos += 1;
        if c == '{' {
            let mut value: u32 = 0;
            let mut digits = 0;
            loop {
                let c = self.at(0)?;
                self.pos += 1;
                if c == '}' {
                    break;
                }
                value = value * 16 + c.to_digit(16)?;
                if value > MAX_RUNE {
                    return None;
                }
                digits += 1;
            }
            return (digits > 0).then_some(value);
        }
        let high = c.to_digit(16);
        let low = self.at(0).and_then(|c| c.to_digit(16));
        if self.at(0).is_some() {
            self.pos += 1;
        }
        Some(high? * 16 + low?)
    }

    /// `\d \D \s \S \w \W`, in or out of a class.
    fn parse_perl_class(&mut self) -> Option<ClassItem> {
        if self.at(0) != Some('\\') {
            return None;
        }
        let (ranges, negated) = match self.at(1)? {
            'd' => (DIGIT, false),
            'D' => (DIGIT, true),
            's' => (PERL_SPACE, false),
            'S' => (PERL_SPACE, true),
            'w' => (WORD, false),
            'W' => (WORD, true),
            _ => return None,
        };
        self.pos += 2;
        Some(ClassItem::Ascii { ranges, negated })
    }

    /// Go's `parseUnicodeClass` at `\p` or `\P`: `None` if not there, an error for a name Go
    /// does not know.
    fn parse_unicode_class(&mut self) -> PResult<Option<ClassItem>> {
        let start = self.pos;
        let mut negated = match (self.at(0), self.at(1)) {
            (Some('\\'), Some('p')) => false,
            (Some('\\'), Some('P')) => true,
            _ => return Ok(None),
        };
        let (name, seq_end) = match self.at(2) {
            Some('{') => {
                let Some(end) = self.find_from(start + 3, |c, _| c == '}') else {
                    return Err(self.error(INVALID_CHAR_RANGE, start, self.chars.len()));
                };
                (self.text(start + 3, end), end + 1)
            }
            Some(c) => (c.to_string(), start + 3),
            None => (String::new(), start + 2),
        };
        // `\p{^Greek}` is `\P{Greek}` and `\P{^Greek}` is `\p{Greek}`.
        let name = match name.strip_prefix('^') {
            Some(rest) => {
                negated = !negated;
                rest
            }
            None => name.as_str(),
        };
        let Some(class) = unicode_class(name) else {
            return Err(self.error(INVALID_CHAR_RANGE, start, seq_end));
        };
        self.pos = seq_end;
        Ok(Some(ClassItem::Unicode { class, negated }))
    }

    /// At `[:`: a POSIX class if a `:]` follows anywhere (Go searches the rest of the whole
    /// expression), which must then name a known class; `None` when there is no `:]`.
    fn parse_posix_class(&mut self) -> PResult<Option<ClassItem>> {
        let end = self.next_posix_end.get(self.pos + 2).copied().unwrap_or(usize::MAX);
        if end == usize::MAX {
            return Ok(None);
        }
        let name = self.text(self.pos, end + 2);
        let (base, negated) = match name.strip_prefix("[:^") {
            Some(rest) => (format!("[:{rest}"), true),
            None => (name.clone(), false),
        };
        let Some(&(_, ranges)) = POSIX_CLASSES.iter().find(|(n, _)| *n == base) else {
            return Err(Re2Error { kind: INVALID_CHAR_RANGE, fragment: name });
        };
        self.pos = end + 2;
        Ok(Some(ClassItem::Ascii { ranges, negated }))
    }

    /// Go's `parseClass` at `[`.
    fn parse_class(&mut self) -> PResult<Class> {
        let start = self.pos;
        self.pos += 1;
        let negated = self.at(0) == Some('^');
        if negated {
            self.pos += 1;
        }
        let mut items = Vec::new();
        // `]` right after `[` or `[^` is a literal.
        let mut first = true;
        loop {
            if self.at(0) == Some(']') && !first {
                self.pos += 1;
                break;
            }
            first = false;
            // A `[` is a literal unless it starts a complete POSIX class.
            if self.remaining() > 2
                && self.at(0) == Some('[')
                && self.at(1) == Some(':')
                && let Some(item) = self.parse_posix_class()?
            {
                items.push(item);
                continue;
            }
            if let Some(item) = self.parse_unicode_class()? {
                items.push(item);
                continue;
            }
            if let Some(item) = self.parse_perl_class() {
                items.push(item);
                continue;
            }
            let range_start = self.pos;
            let lo = self.parse_class_char(start)?;
            let mut hi = lo;
            // `-` forms a range only between two single characters and not before `]`
            // (Perl's rule: `[a-b-c]` and `[ab-]` have a literal `-`).
            if self.at(0) == Some('-') && self.at(1).is_some_and(|c| c != ']') {
                self.pos += 1;
                hi = self.parse_class_char(start)?;
                if hi < lo {
                    return Err(self.error(INVALID_CHAR_RANGE, range_start, self.pos));
                }
            }
            items.push(ClassItem::Range(lo, hi));
        }
        Ok(Class { negated, items })
    }

    fn parse_class_char(&mut self, class_start: usize) -> PResult<u32> {
        match self.at(0) {
            None => Err(self.error(MISSING_BRACKET, class_start, self.chars.len())),
            Some('\\') => self.parse_escape(),
            Some(c) => {
                self.pos += 1;
                Ok(c as u32)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Go's class tables

const DIGIT: &[(u32, u32)] = &[(0x30, 0x39)];
/// Go's `\s` is `[\t\n\f\r ]`: no `\v`, unlike `[[:space:]]`.
const PERL_SPACE: &[(u32, u32)] = &[(0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x20)];
const WORD: &[(u32, u32)] = &[(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)];

const POSIX_CLASSES: &[(&str, &[(u32, u32)])] = &[
    ("[:alnum:]", &[(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)]),
    ("[:alpha:]", &[(0x41, 0x5A), (0x61, 0x7A)]),
    ("[:ascii:]", &[(0x00, 0x7F)]),
    ("[:blank:]", &[(0x09, 0x09), (0x20, 0x20)]),
    ("[:cntrl:]", &[(0x00, 0x1F), (0x7F, 0x7F)]),
    ("[:digit:]", DIGIT),
    ("[:graph:]", &[(0x21, 0x7E)]),
    ("[:lower:]", &[(0x61, 0x7A)]),
    ("[:print:]", &[(0x20, 0x7E)]),
    ("[:punct:]", &[(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)]),
    ("[:space:]", &[(0x09, 0x0D), (0x20, 0x20)]),
    ("[:upper:]", &[(0x41, 0x5A)]),
    ("[:word:]", WORD),
    ("[:xdigit:]", &[(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)]),
];

/// `unicode.Categories` keys.
const CATEGORIES: &[&str] = &[
    "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N",
    "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So",
    "Z", "Zl", "Zp", "Zs",
];

/// `unicode.Scripts` keys (Unicode 15.0.0, Go 1.21 to 1.24).
const SCRIPTS: &[&str] = &[
    "Adlam",
    "Ahom",
    "Anatolian_Hieroglyphs",
    "Arabic",
    "Armenian",
    "Avestan",
    "Balinese",
    "Bamum",
    "Bassa_Vah",
    "Batak",
    "Bengali",
    "Bhaiksuki",
    "Bopomofo",
    "Brahmi",
    "Braille",
    "Buginese",
    "Buhid",
    "Canadian_Aboriginal",
    "Carian",
    "Caucasian_Albanian",
    "Chakma",
    "Cham",
    "Cherokee",
    "Chorasmian",
    "Common",
    "Coptic",
    "Cuneiform",
    "Cypriot",
    "Cypro_Minoan",
    "Cyrillic",
    "Deseret",
    "Devanagari",
    "Dives_Akuru",
    "Dogra",
    "Duployan",
    "Egyptian_Hieroglyphs",
    "Elbasan",
    "Elymaic",
    "Ethiopic",
    "Georgian",
    "Glagolitic",
    "Gothic",
    "Grantha",
    "Greek",
    "Gujarati",
    "Gunjala_Gondi",
    "Gurmukhi",
    "Han",
    "Hangul",
    "Hanifi_Rohingya",
    "Hanunoo",
    "Hatran",
    "Hebrew",
    "Hiragana",
    "Imperial_Aramaic",
    "Inherited",
    "Inscriptional_Pahlavi",
    "Inscriptional_Parthian",
    "Javanese",
    "Kaithi",
    "Kannada",
    "Katakana",
    "Kawi",
    "Kayah_Li",
    "Kharoshthi",
    "Khitan_Small_Script",
    "Khmer",
    "Khojki",
    "Khudawadi",
    "Lao",
    "Latin",
    "Lepcha",
    "Limbu",
    "Linear_A",
    "Linear_B",
    "Lisu",
    "Lycian",
    "Lydian",
    "Mahajani",
    "Makasar",
    "Malayalam",
    "Mandaic",
    "Manichaean",
    "Marchen",
    "Masaram_Gondi",
    "Medefaidrin",
    "Meetei_Mayek",
    "Mende_Kikakui",
    "Meroitic_Cursive",
    "Meroitic_Hieroglyphs",
    "Miao",
    "Modi",
    "Mongolian",
    "Mro",
    "Multani",
    "Myanmar",
    "Nabataean",
    "Nag_Mundari",
    "Nandinagari",
    "New_Tai_Lue",
    "Newa",
    "Nko",
    "Nushu",
    "Nyiakeng_Puachue_Hmong",
    "Ogham",
    "Ol_Chiki",
    "Old_Hungarian",
    "Old_Italic",
    "Old_North_Arabian",
    "Old_Permic",
    "Old_Persian",
    "Old_Sogdian",
    "Old_South_Arabian",
    "Old_Turkic",
    "Old_Uyghur",
    "Oriya",
    "Osage",
    "Osmanya",
    "Pahawh_Hmong",
    "Palmyrene",
    "Pau_Cin_Hau",
    "Phags_Pa",
    "Phoenician",
    "Psalter_Pahlavi",
    "Rejang",
    "Runic",
    "Samaritan",
    "Saurashtra",
    "Sharada",
    "Shavian",
    "Siddham",
    "SignWriting",
    "Sinhala",
    "Sogdian",
    "Sora_Sompeng",
    "Soyombo",
    "Sundanese",
    "Syloti_Nagri",
    "Syriac",
    "Tagalog",
    "Tagbanwa",
    "Tai_Le",
    "Tai_Tham",
    "Tai_Viet",
    "Takri",
    "Tamil",
    "Tangsa",
    "Tangut",
    "Telugu",
    "Thaana",
    "Thai",
    "Tibetan",
    "Tifinagh",
    "Tirhuta",
    "Toto",
    "Ugaritic",
    "Vai",
    "Vithkuqi",
    "Wancho",
    "Warang_Citi",
    "Yezidi",
    "Yi",
    "Zanabazar_Square",
];

/// Go's `unicodeTable` before 1.25: exact, case-sensitive names.
fn unicode_class(name: &str) -> Option<UnicodeClass> {
    if name == "Any" {
        return Some(UnicodeClass::Any);
    }
    if let Some(c) = CATEGORIES.iter().copied().find(|c| *c == name) {
        return Some(UnicodeClass::Category(c));
    }
    SCRIPTS.iter().copied().find(|s| *s == name).map(UnicodeClass::Script)
}

// ---------------------------------------------------------------------------------------------
// Emitter

/// Where an expression is written, which decides whether it needs a group around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// The whole pattern or one branch of an alternation.
    Top,
    /// One element of a concatenation.
    Concat,
    /// The operand of a repetition.
    Atom,
}

fn emit(e: &Expr, ctx: Ctx, out: &mut String) {
    match &e.kind {
        Kind::Empty => out.push_str("(?:)"),
        Kind::Literal { cp, fold } => {
            if is_surrogate(*cp) {
                // Go accepts `\x{D800}` but no decoded text contains it.
                out.push_str(NOTHING);
            } else if *fold {
                out.push_str("(?i:");
                push_char(out, *cp);
                out.push(')');
            } else {
                push_char(out, *cp);
            }
        }
        Kind::Class { class, fold } => emit_class(class, *fold, out),
        Kind::AnyCharNotNl => out.push_str(r"[^\x{a}]"),
        Kind::AnyChar => out.push_str(r"[\x{0}-\x{10FFFF}]"),
        Kind::Look(look) => {
            let text = match look {
                Look::StartText => r"\A",
                Look::EndText => r"\z",
                Look::StartLine => "(?m:^)",
                Look::EndLine => "(?m:$)",
                // Go's \b and \B are ASCII word boundaries.
                Look::WordBoundary => r"(?-u:\b)",
                Look::NotWordBoundary => r"(?-u:\B)",
            };
            // Go allows repeating assertions (`^*`, `\b+`); a group keeps that valid here.
            wrap_if(ctx == Ctx::Atom, out, |out| out.push_str(text));
        }
        Kind::Repeat { sub, op, greedy } => {
            wrap_if(ctx == Ctx::Atom, out, |out| {
                emit(sub, Ctx::Atom, out);
                // Writing to a String cannot fail.
                let _ = match op {
                    RepeatOp::Star => write!(out, "*"),
                    RepeatOp::Plus => write!(out, "+"),
                    RepeatOp::Quest => write!(out, "?"),
                    RepeatOp::Counted { min, max: None } => write!(out, "{{{min},}}"),
                    RepeatOp::Counted { min, max: Some(max) } if min == max => {
                        write!(out, "{{{min}}}")
                    }
                    RepeatOp::Counted { min, max: Some(max) } => write!(out, "{{{min},{max}}}"),
                };
                if !greedy {
                    out.push('?');
                }
            });
        }
        Kind::Capture(sub) => emit(sub, ctx, out),
        Kind::Concat(items) => wrap_if(ctx == Ctx::Atom, out, |out| {
            for item in items {
                emit(item, Ctx::Concat, out);
            }
        }),
        Kind::Alternate(branches) => wrap_if(ctx != Ctx::Top, out, |out| {
            for (i, branch) in branches.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                emit(branch, Ctx::Top, out);
            }
        }),
    }
}

fn wrap_if(wrap: bool, out: &mut String, body: impl FnOnce(&mut String)) {
    if wrap {
        out.push_str("(?:");
    }
    body(out);
    if wrap {
        out.push(')');
    }
}

/// Writes a class with only escaped members, so `[`, `&&`, `--` and `~~` never mean anything
/// to the `regex` crate. Folding applies to the whole class, like Go's `appendFoldedRange`,
/// and nested negated classes are folded before they are negated, like Go's `appendGroup`.
fn emit_class(class: &Class, fold: bool, out: &mut String) {
    if fold {
        out.push_str("(?i:");
    }
    out.push('[');
    if class.negated {
        out.push('^');
    }
    let mut any = false;
    for item in &class.items {
        any |= emit_class_item(item, out);
    }
    if !any {
        // Only surrogates (or an empty Unicode set): Go's class matches nothing of them.
        out.push_str(NOTHING);
    }
    out.push(']');
    if fold {
        out.push(')');
    }
}

/// Writes one class member; returns false if it wrote nothing (a set that cannot match).
fn emit_class_item(item: &ClassItem, out: &mut String) -> bool {
    match item {
        ClassItem::Range(lo, hi) => {
            let mut wrote = false;
            let (s_lo, s_hi) = SURROGATES;
            for (lo, hi) in [(*lo, (*hi).min(s_lo - 1)), ((*lo).max(s_hi + 1), *hi)] {
                if lo <= hi {
                    push_range(out, lo, hi);
                    wrote = true;
                }
            }
            wrote
        }
        ClassItem::Ascii { ranges, negated } => {
            let mut members = String::new();
            for (lo, hi) in ranges.iter() {
                push_range(&mut members, *lo, *hi);
            }
            push_set(out, &members, *negated)
        }
        ClassItem::Unicode { class, negated } => {
            let members = match class {
                UnicodeClass::Any => r"\x{0}-\x{10FFFF}".to_owned(),
                // Go's C is Cc|Cf|Co|Cs, without the unassigned code points that Rust's C
                // includes; surrogates never occur in text.
                UnicodeClass::Category("C") => r"\p{gc=Cc}\p{gc=Cf}\p{gc=Co}".to_owned(),
                UnicodeClass::Category("Cs") => String::new(),
                UnicodeClass::Category(name) => format!(r"\p{{gc={name}}}"),
                UnicodeClass::Script(name) => format!(r"\p{{sc={name}}}"),
            };
            push_set(out, &members, *negated)
        }
    }
}

/// Writes a set given by its members, nesting a negated class for a negated set.
fn push_set(out: &mut String, members: &str, negated: bool) -> bool {
    match (negated, members.is_empty()) {
        (false, true) => false,
        (false, false) => {
            out.push_str(members);
            true
        }
        (true, true) => {
            out.push_str(r"\x{0}-\x{10FFFF}");
            true
        }
        (true, false) => {
            out.push_str("[^");
            out.push_str(members);
            out.push(']');
            true
        }
    }
}

fn push_range(out: &mut String, lo: u32, hi: u32) {
    push_char(out, lo);
    if hi != lo {
        out.push('-');
        push_char(out, hi);
    }
}

/// Writes a code point as itself if it is an ASCII letter or digit, else as `\x{...}`.
fn push_char(out: &mut String, cp: u32) {
    match char::from_u32(cp) {
        Some(c) if c.is_ascii_alphanumeric() => out.push(c),
        _ => {
            let _ = write!(out, r"\x{{{cp:x}}}");
        }
    }
}

fn is_surrogate(cp: u32) -> bool {
    (SURROGATES.0..=SURROGATES.1).contains(&cp)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(go: &str, subject: &str) -> bool {
        match compile(go) {
            Ok(re) => re.is_match(subject),
            Err(e) => panic!("{go:?} should compile: {e} (translated: {:?})", translate(go)),
        }
    }

    /// (Go regex, subject, whether Go matches).
    const MATCHES: &[(&str, &str, bool)] = &[
        // Alternation binds loosest: `^` belongs to the first branch, `$` to the second.
        (r"^[^/]*\.js|[^/]*\.ts$", "a.js", true),
        (r"^[^/]*\.js|[^/]*\.ts$", "x/y.ts", true),
        (r"^[^/]*\.js|[^/]*\.ts$", "x/a.js", false),
        // `{` that is not a counted repetition is a literal.
        (r"^a[^/]*\.{js,ts}$", "a.{js,ts}", true),
        (r"^a[^/]*\.{js,ts}$", "a.js", false),
        (r"^x{2}$", "xx", true),
        (r"^x{2}$", "x{2}", false),
        (r"^x{2}$", "xxx", false),
        (r"^x{2,}$", "xxx", true),
        (r"^x{1,2}$", "xxx", false),
        (r"^a{,2}$", "a{,2}", true),
        (r"^a{01}$", "a{01}", true),
        (r"^a{1$", "a{1", true),
        (r"^a}$", "a}", true),
        (r"^x*{$", "xx{", true),
        // `[` inside a class is a literal.
        (r"^[[^/]*]$", "[]", true),
        (r"^[[^/]*]$", "]", true),
        (r"^[[^/]*]$", "[[^]", true),
        (r"^[[^/]*]$", "a", false),
        (r"^a[[^/]*]b$", "a]b", true),
        (r"^a[[^/]*]b$", "a[]b", true),
        (r"^a[[^/]*]b$", "a*b", false),
        (r"^[!a]$", "!", true),
        (r"^[!a]$", "b", false),
        // `]` first is a literal; `-` is literal where it cannot make a range.
        (r"^[^]a]$", "b", true),
        (r"^[^]a]$", "]", false),
        (r"^[^]a]$", "a", false),
        (r"^[]a]$", "]", true),
        (r"^[]a]$", "a", true),
        (r"^[]a]$", "b", false),
        (r"^[a-b-c]$", "b", true),
        (r"^[a-b-c]$", "-", true),
        (r"^[a-b-c]$", "c", true),
        (r"^[a-b-c]$", "d", false),
        (r"^[ab-]$", "-", true),
        (r"^[ab-]$", "c", false),
        (r"^[\d-z]$", "-", true),
        (r"^[\d-z]$", "y", false),
        (r"^[--/]$", ".", true),
        // The `regex` crate's class operators are plain characters in Go.
        (r"^[a&&b]$", "&", true),
        (r"^[a&&b]$", "b", true),
        (r"^[a~~b]$", "~", true),
        (r"^[%--]$", "+", true),
        (r"^[a\]]$", "]", true),
        (r"^[\[]$", "[", true),
        // POSIX classes, and `[` that does not start one.
        (r"^[[:digit:]]+$", "123", true),
        (r"^[[:digit:]]+$", "12a", false),
        (r"^[[:digit:]]$", "٣", false),
        (r"^[[:^alpha:]]$", "1", true),
        (r"^[[:^alpha:]]$", "a", false),
        (r"^[[:^alpha:]]$", "é", true),
        (r"^[[:word:]]$", "_", true),
        (r"^[[:space:]]$", "\u{b}", true),
        (r"^[[:punct:]]$", "`", true),
        (r"^[[:punct:]]$", "a", false),
        (r"^[[:alpha:]-z]$", "-", true),
        (r"^[[:]$", "[", true),
        (r"^[[:]$", ":", true),
        (r"^[^[:lower:]]$", "a", false),
        (r"^[^[:lower:]]$", "A", true),
        // Perl classes are ASCII in Go.
        (r"\d", "٣", false),
        (r"\d", "3", true),
        (r"^\D$", "٣", true),
        (r"\w", "é", false),
        (r"^\W$", "é", true),
        (r"\s", "\t", true),
        (r"\s", "\u{b}", false),
        (r"\s", "\u{a0}", false),
        (r"^[^\S]$", " ", true),
        (r"^[\W\d]$", "5", true),
        (r"^[\W\d]$", "a", false),
        // \b and \B are ASCII word boundaries: é is not a word character.
        (r"^a\b", "aé", true),
        (r"^é\b", "éa", true),
        (r"\B", "aéa", false),
        (r"é\B", "éé", true),
        (r"\B", "", true),
        (r"\b", "", false),
        // Escapes.
        (r"^\x41$", "A", true),
        (r"^\x{1F600}$", "😀", true),
        (r"^\x{41}\x61$", "Aa", true),
        (r"^\101$", "A", true),
        (r"^\0$", "\0", true),
        (r"^\0123$", "\n3", true),
        (r"^\12$", "\n", true),
        (r"^\1234$", "S4", true),
        (r"^\a\f\t\n\r\v$", "\u{7}\u{c}\t\n\r\u{b}", true),
        (r"^\_\ \#\%\:$", "_ #%:", true),
        (r"^\Q*\E$", "*", true),
        (r"^\Q*\E$", "a", false),
        (r"^\Qa.b\E$", "a.b", true),
        (r"^\Qa.b\E$", "axb", false),
        (r"^\Qab\E+$", "abbb", true),
        (r"^\Qa\\E$", "a\\", true),
        (r"\Qa|b", "a|b", true),
        (r"\Qa|b", "b", false),
        (r"^\Qa*", "a*", true),
        (r"^\Q\\E$", "\\", true),
        (r"\x{D800}", "\u{fffd}", false),
        (r"^[\x{D7FF}-\x{E000}]$", "\u{e000}", true),
        (r"^[^\x{D800}]$", "a", true),
        // Anchors are text anchors unless (?m); `$` does not match before a final newline.
        (r"^e[^/]*", "ex", true),
        (r"^e[^/]*", "x/e", false),
        (r"f^[^/]*", "f", false),
        (r"f^[^/]*", "fx", false),
        (r"^*", "abc", true),
        (r"x\b+", "x", true),
        (r"^b", "a\nb", false),
        (r"(?m)^b", "a\nb", true),
        (r"a$", "a\n", false),
        (r"(?m)a$", "a\nb", true),
        (r"a\z", "a\n", false),
        (r"\Aa", "a", true),
        (r".", "\n", false),
        (r"(?s).", "\n", true),
        (r"(?s:.)a", "\na", true),
        (r"[^a]", "\n", true),
        // Flags.
        (r"(?i)abc", "ABC", true),
        (r"(?i)k", "\u{212a}", true),
        (r"(?i)[^k]", "K", false),
        (r"(?i)[^k]", "\u{212a}", false),
        (r"(?i)\W", "\u{212a}", false),
        (r"(?i)[[:upper:]]", "a", true),
        (r"(?i:a)b", "AB", false),
        (r"(?i:a)b", "Ab", true),
        (r"a(?i)b|c", "C", true),
        (r"((?i)a)b", "AB", false),
        (r"(?i)a(?-i)b", "Ab", true),
        (r"(?i)a(?-i)b", "AB", false),
        (r"(?i-i)a", "A", false),
        (r"(?)a", "a", true),
        (r"(?U)a+", "aa", true),
        (r"(?m-s:^.)$", "a", true),
        // Groups and empty alternatives.
        (r"^(?:ab)+$", "abab", true),
        (r"^(ab|c)d$", "cd", true),
        (r"^a|", "b", true),
        (r"^()$", "", true),
        (r"^(|a)$", "a", true),
        (r"^(?P<n>a)(?<m>b)$", "ab", true),
        (r"^(?P<n>a)(?P<n>b)$", "ab", true),
        (r"a*(?i)*", "b", true),
        (r"^(?:)*$", "", true),
        // Unicode classes.
        (r"\pL", "é", true),
        (r"\p{Greek}", "α", true),
        (r"\p{Greek}", "a", false),
        (r"^\PL$", "1", true),
        (r"^\p{^Greek}$", "a", true),
        (r"^\P{^Greek}$", "a", false),
        (r"^[\p{Greek}\d]$", "5", true),
        (r"^\pLu$", "éu", true),
        (r"^\p{Any}$", "\n", true),
        (r"\P{Any}", "a", false),
        (r"^\pC$", "\u{0}", true),
        // Go's C leaves out unassigned code points.
        (r"^\pC$", "\u{378}", false),
        (r"^\p{Cs}$", "\u{fffd}", false),
        (r"^\P{Cs}$", "\u{fffd}", true),
        (r"^(?i)\p{Lu}$", "a", true),
        // Repetitions.
        (r"^a*?b$", "aab", true),
        (r"^a{2}?$", "aa", true),
        (r"^(?:a{500}){2}$", "a", false),
        (r"^(?:[a-z]{4}){0,250}$", "abcd", true),
        (r"^a{0}$", "", true),
        // Lone closing brackets are literals.
        (r"^]$", "]", true),
    ];

    #[test]
    fn matches_like_go() {
        for &(go, subject, want) in MATCHES {
            assert_eq!(
                matches(go, subject),
                want,
                "{go:?} on {subject:?} (translated: {:?})",
                translate(go)
            );
        }
    }

    /// The translation must not leave the `regex` crate's Unicode semantics in place.
    #[test]
    fn rust_defaults_differ_where_go_is_ascii() {
        let unicode = |p: &str, s: &str| regex::Regex::new(p).is_ok_and(|r| r.is_match(s));
        assert!(unicode(r"\d", "٣") && !matches(r"\d", "٣"));
        assert!(unicode(r"\w", "é") && !matches(r"\w", "é"));
        assert!(unicode(r"\s", "\u{b}") && !matches(r"\s", "\u{b}"));
        assert!(!unicode(r"^a\b", "aé") && matches(r"^a\b", "aé"));
        let rust_matches = |p: &str, s: &str| regex::Regex::new(p).is_ok_and(|r| r.is_match(s));
        assert!(!rust_matches(r"^[[^/]*]$", "[]") && matches(r"^[[^/]*]$", "[]"));
        assert!(!rust_matches(r"^a{,2}$", "a{,2}") && matches(r"^a{,2}$", "a{,2}"));
        assert!(unicode(r"\pC", "\u{378}") && !matches(r"\pC", "\u{378}"));
    }

    /// (Go regex, Go's error kind, Go's fragment).
    const ERRORS: &[(&str, &str, &str)] = &[
        (r"\q", INVALID_ESCAPE, r"\q"),
        (r"\1", INVALID_ESCAPE, r"\1"),
        (r"\18", INVALID_ESCAPE, r"\1"),
        (r"\8", INVALID_ESCAPE, r"\8"),
        (r"\Z", INVALID_ESCAPE, r"\Z"),
        (r"\C", INVALID_ESCAPE, r"\C"),
        (r"\G", INVALID_ESCAPE, r"\G"),
        (r"\X", INVALID_ESCAPE, r"\X"),
        (r"\R", INVALID_ESCAPE, r"\R"),
        (r"\e", INVALID_ESCAPE, r"\e"),
        (r"\k", INVALID_ESCAPE, r"\k"),
        (r"\g", INVALID_ESCAPE, r"\g"),
        (r"\o", INVALID_ESCAPE, r"\o"),
        (r"\u", INVALID_ESCAPE, r"\u"),
        (r"\y", INVALID_ESCAPE, r"\y"),
        (r"\E", INVALID_ESCAPE, r"\E"),
        (r"\é", INVALID_ESCAPE, r"\é"),
        (r"[\b]", INVALID_ESCAPE, r"\b"),
        (r"[\Q]\E]", INVALID_ESCAPE, r"\Q"),
        (r"[a-\d]", INVALID_ESCAPE, r"\d"),
        (r"\x", INVALID_ESCAPE, r"\x"),
        (r"\x1", INVALID_ESCAPE, r"\x1"),
        (r"\xg1", INVALID_ESCAPE, r"\xg1"),
        (r"\x{}", INVALID_ESCAPE, r"\x{}"),
        (r"\x{110000}", INVALID_ESCAPE, r"\x{110000"),
        (r"\x{41", INVALID_ESCAPE, r"\x{41"),
        ("\\", TRAILING_BACKSLASH, ""),
        ("a\\", TRAILING_BACKSLASH, ""),
        ("[a\\", TRAILING_BACKSLASH, ""),
        (r"[z-a]", INVALID_CHAR_RANGE, "z-a"),
        (r"[a-Z]", INVALID_CHAR_RANGE, "a-Z"),
        // `--` is not set difference: `a` to `-` is a backwards range.
        (r"[a--b]", INVALID_CHAR_RANGE, "a--"),
        (r"(?i)[a-Z]", INVALID_CHAR_RANGE, "a-Z"),
        (r"[[:foo:]]", INVALID_CHAR_RANGE, "[:foo:]"),
        (r"[[:a]b:]", INVALID_CHAR_RANGE, "[:a]b:]"),
        (r"[[:alpha:]", MISSING_BRACKET, "[[:alpha:]"),
        (r"\pX", INVALID_CHAR_RANGE, r"\pX"),
        (r"\p{Foo}x", INVALID_CHAR_RANGE, r"\p{Foo}"),
        (r"\p{greek}", INVALID_CHAR_RANGE, r"\p{greek}"),
        (r"\p{Greek", INVALID_CHAR_RANGE, r"\p{Greek"),
        (r"\p", INVALID_CHAR_RANGE, r"\p"),
        (r"\p{}", INVALID_CHAR_RANGE, r"\p{}"),
        (r"\p{^}", INVALID_CHAR_RANGE, r"\p{^}"),
        (r"[\p{Foo}]", INVALID_CHAR_RANGE, r"\p{Foo}"),
        (r"[a", MISSING_BRACKET, "[a"),
        (r"[", MISSING_BRACKET, "["),
        (r"[a\]", MISSING_BRACKET, r"[a\]"),
        (r"[]", MISSING_BRACKET, "[]"),
        (r"[^]", MISSING_BRACKET, "[^]"),
        (r"x[a-", MISSING_BRACKET, "[a-"),
        (r"a**", INVALID_REPEAT_OP, "**"),
        (r"a*??", INVALID_REPEAT_OP, "*??"),
        (r"a+*", INVALID_REPEAT_OP, "+*"),
        (r"a*{2}", INVALID_REPEAT_OP, "*{2}"),
        (r"a{2}{3}", INVALID_REPEAT_OP, "{2}{3}"),
        (r"*a", MISSING_REPEAT_ARGUMENT, "*"),
        (r"??", MISSING_REPEAT_ARGUMENT, "??"),
        (r"(*)", MISSING_REPEAT_ARGUMENT, "*"),
        (r"a|*", MISSING_REPEAT_ARGUMENT, "*"),
        (r"{2}", MISSING_REPEAT_ARGUMENT, "{2}"),
        (r"\Q\E*", MISSING_REPEAT_ARGUMENT, "*"),
        (r"(?i)*", MISSING_REPEAT_ARGUMENT, "*"),
        (r"a{1001}", INVALID_REPEAT_SIZE, "{1001}"),
        (r"a{2,1}", INVALID_REPEAT_SIZE, "{2,1}"),
        (r"a{1,1001}", INVALID_REPEAT_SIZE, "{1,1001}"),
        (r"a{99999999999999999999}", INVALID_REPEAT_SIZE, "{99999999999999999999}"),
        (r"a*{1001}", INVALID_REPEAT_SIZE, "{1001}"),
        (r"(?:a{500}){3}", INVALID_REPEAT_SIZE, "{3}"),
        (r"(?:[a-z]{4}){0,251}", INVALID_REPEAT_SIZE, "{0,251}"),
        // `{0,}` passes the counts inside it through (Go's repeatIsValid does not stop there).
        (r"((a{2}){0,}){501}", INVALID_REPEAT_SIZE, "{501}"),
        (r"((a{501}){0,}){2}", INVALID_REPEAT_SIZE, "{2}"),
        (r"((a{2}){2}){251}", INVALID_REPEAT_SIZE, "{251}"),
        (r"(", MISSING_PAREN, "("),
        (r"(a", MISSING_PAREN, "(a"),
        (r"(?:a", MISSING_PAREN, "(?:a"),
        (r"(?i:a", MISSING_PAREN, "(?i:a"),
        (r"(?P<n>a", MISSING_PAREN, "(?P<n>a"),
        (r")", UNEXPECTED_PAREN, ")"),
        (r"a)", UNEXPECTED_PAREN, "a)"),
        (r"(a))", UNEXPECTED_PAREN, "(a))"),
        (r"a|b)", UNEXPECTED_PAREN, "a|b)"),
        (r"(?x)", INVALID_PERL_OP, "(?x"),
        (r"(?-u:\b)", INVALID_PERL_OP, "(?-u"),
        (r"(?-)", INVALID_PERL_OP, "(?-)"),
        (r"(?i-)", INVALID_PERL_OP, "(?i-)"),
        (r"(?--i)", INVALID_PERL_OP, "(?--"),
        (r"(?", INVALID_PERL_OP, "(?"),
        (r"(?i", INVALID_PERL_OP, "(?i"),
        (r"(?P=n)", INVALID_PERL_OP, "(?P"),
        (r"(?P<>a)", INVALID_NAMED_CAPTURE, "(?P<>"),
        (r"(?<>a)", INVALID_NAMED_CAPTURE, "(?<>"),
        (r"(?P<a b>c)", INVALID_NAMED_CAPTURE, "(?P<a b>"),
        (r"(?P<name", INVALID_NAMED_CAPTURE, "(?P<name"),
        (r"(?<=a)", INVALID_NAMED_CAPTURE, "(?<=a)"),
    ];

    #[test]
    fn rejects_like_go() {
        for &(go, kind, fragment) in ERRORS {
            let want = Re2Error { kind, fragment: fragment.to_owned() };
            assert_eq!(translate(go), Err(want.clone()), "{go:?}");
            assert_eq!(compile(go).err(), Some(want), "{go:?}");
        }
    }

    #[test]
    fn error_reads_like_go() {
        let err = translate(r"a\q").err();
        assert_eq!(err.map(|e| e.to_string()).as_deref(), Some(r"invalid escape sequence: `\q`"));
    }

    /// Go's own limits on nesting and size (cases from Go's parse_test.go).
    #[test]
    fn go_limits() {
        let nested =
            |open: &str, close: &str, n: usize| format!("{}{}", open.repeat(n), close.repeat(n));
        assert!(translate(&nested("(", ")", 999)).is_ok());
        assert_eq!(translate(&nested("(", ")", 1000)).err().map(|e| e.kind), Some(NESTING_DEPTH));
        assert!(translate(&nested("(?:", ")*", 999)).is_ok());
        assert_eq!(
            translate(&nested("(?:", ")*", 1000)).err().map(|e| e.kind),
            Some(NESTING_DEPTH)
        );
        // Non-capturing groups add no depth in Go.
        assert!(translate(&format!("{}a{}", "(?:".repeat(5000), ")".repeat(5000))).is_ok());
        assert!(matches(&format!("{}a{}", "(?:".repeat(5000), ")".repeat(5000)), "a"));
        assert!(matches(&format!("({})", "|".repeat(12345)), ""));
        let too_long = format!("({}){{1000}}", "(xx?)".repeat(1000));
        assert_eq!(translate(&too_long).err().map(|e| e.kind), Some(TOO_LARGE));
        assert_eq!(translate(&"(xx?){1000}".repeat(1000)).err().map(|e| e.kind), Some(TOO_LARGE));
        assert!(translate(r"((((((((((x{2}){2}){2}){2}){2}){2}){2}){2}){2}))").is_ok());
        assert_eq!(
            translate(r"((((((((((x{2}){2}){2}){2}){2}){2}){2}){2}){2}){2})").err().map(|e| e.kind),
            Some(INVALID_REPEAT_SIZE)
        );
        // A count of 0 hides what it repeats from the product.
        assert!(translate(r"(?:(?:(?:a{100}){10}){0}){2}").is_ok());
        // Go accepts this; the `regex` crate needs more than its default size limit.
        assert!(matches(r"^\pL{1000}$", &"é".repeat(1000)));
    }

    /// Patterns Go accepts that are nested deeper than the `regex` crate allows fail to
    /// compile with an error rather than overflowing the stack.
    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}a{}", "(?:".repeat(300), ")*".repeat(300));
        assert!(translate(&deep).is_ok());
        let err = compile(&deep).err();
        assert_eq!(err.map(|e| e.kind), Some(INVALID_REGEX));
    }

    #[test]
    fn translation_is_canonical() {
        let cases = [
            (r"[[^/]", r"[\x{5b}\x{5e}\x{2f}]"),
            (r".{js,ts}", r"[^\x{a}]\x{7b}js\x{2c}ts\x{7d}"),
            (r"a|b", "a|b"),
            (r"(a|b)c", "(?:a|b)c"),
            (r"(?i)a", "(?i:a)"),
            (r"\d\W", r"[0-9][[^0-9A-Z\x{5f}a-z]]"),
            (r"^*", r"(?:\A)*"),
            (r"\b", r"(?-u:\b)"),
            (r"(?m)^$", "(?m:^)(?m:$)"),
            (r"(?U)a*b*?", "a*?b*"),
            (r"(?:ab)*", "(?:ab)*"),
            (r"a{2,}b{1,3}c{4}", "a{2,}b{1,3}c{4}"),
            (r"\p{Greek}\PL", r"[\p{sc=Greek}][[^\p{gc=L}]]"),
            (r"", "(?:)"),
            (r"|", "(?:)"),
        ];
        for (go, want) in cases {
            assert_eq!(translate(go).as_deref(), Ok(want), "{go:?}");
        }
    }

    /// Every Unicode class name Go knows must exist in the `regex` crate.
    #[test]
    fn every_go_unicode_name_builds() {
        for name in CATEGORIES.iter().chain(SCRIPTS).chain(["Any"].iter()) {
            for form in [
                format!(r"\p{{{name}}}"),
                format!(r"[^\P{{^{name}}}a]"),
                format!(r"(?i)\P{{{name}}}"),
            ] {
                assert!(compile(&form).is_ok(), "{form}: {:?}", translate(&form));
            }
        }
        assert!(matches(r"^\p{Old_Italic}$", "\u{10300}"));
        assert!(matches(r"^\p{Nag_Mundari}$", "\u{1e4d0}"));
    }

    /// Every POSIX class matches exactly Go's ASCII set, positively and negated.
    #[test]
    fn posix_classes_are_ascii() {
        for (name, ranges) in POSIX_CLASSES {
            let positive = compile(&format!("^[{name}]$")).ok();
            let negated = compile(&format!("^[{}]$", name.replacen("[:", "[:^", 1))).ok();
            let (Some(positive), Some(negated)) = (positive, negated) else {
                panic!("{name} should compile");
            };
            for cp in (0u32..0x80).chain([0xA0, 0xE9, 0x212A, 0x0663]) {
                let Some(c) = char::from_u32(cp) else {
                    continue;
                };
                let want = ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&cp));
                let s = c.to_string();
                assert_eq!(positive.is_match(&s), want, "{name} on U+{cp:04X}");
                assert_eq!(negated.is_match(&s), !want, "negated {name} on U+{cp:04X}");
            }
        }
    }

    /// Pseudo-random short patterns: translation never panics, and what it accepts builds.
    #[test]
    fn random_patterns_never_panic() {
        let alphabet: Vec<char> = r"a*?[]^-\{}(),|:!.$+dswbpPQEx0123".chars().collect();
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut accepted = 0;
        for _ in 0..6000 {
            let len = (next() % 13) as usize;
            let pattern: String =
                (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect();
            if let Ok(translated) = translate(&pattern) {
                accepted += 1;
                if let Err(e) = regex::Regex::new(&translated) {
                    panic!("{pattern:?} -> {translated:?} does not build: {e}");
                }
            }
        }
        // The generator must exercise both outcomes.
        assert!(accepted > 1000 && accepted < 5000, "accepted {accepted}");
    }
}
