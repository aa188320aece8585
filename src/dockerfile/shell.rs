//! Word processing as BuildKit's shell lexer (`frontend/dockerfile/shell`) does it for
//! `COPY`/`ADD` sources, `RUN --mount` options, `ARG`/`ENV` values and `FROM` images:
//! quotes are removed, the escape character escapes, and `$VAR`, `${VAR}`,
//! `${VAR:-word}`, `${VAR-word}`, `${VAR:+word}`, `${VAR+word}`, `${VAR:?word}` and
//! `${VAR?word}` are substituted.
//!
//! A variable whose value ctxsize cannot know (an `ARG` without a default and no build
//! argument, an automatic platform argument, an `ENV` of the base image, a value built from
//! such a variable) is not replaced by the empty string as BuildKit would do without it:
//! the reference stays in the word as written, as a [`Piece::Unknown`], so that callers can
//! treat it as "could be anything". The pattern operators `${VAR#…}`, `${VAR%…}` and
//! `${VAR/…/…}` are treated the same way, even on a known value.

use std::collections::HashMap;

/// A piece of an expanded word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    /// Known text.
    Text(String),
    /// A variable reference whose value is unknown, kept as written (`${VAR:-x}`).
    Unknown { written: String, name: String },
}

/// An expanded word: known text and unknown references, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Word {
    pub pieces: Vec<Piece>,
}

impl Word {
    pub fn text(text: &str) -> Word {
        let mut word = Word::default();
        word.push_str(text);
        word
    }

    pub fn unknown(written: &str, name: &str) -> Word {
        Word { pieces: vec![Piece::Unknown { written: written.to_owned(), name: name.to_owned() }] }
    }

    fn push_char(&mut self, c: char) {
        if let Some(Piece::Text(text)) = self.pieces.last_mut() {
            text.push(c);
        } else {
            self.pieces.push(Piece::Text(c.to_string()));
        }
    }

    fn push_str(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if let Some(Piece::Text(text)) = self.pieces.last_mut() {
            text.push_str(s);
        } else {
            self.pieces.push(Piece::Text(s.to_owned()));
        }
    }

    fn append(&mut self, other: Word) {
        for piece in other.pieces {
            match piece {
                Piece::Text(text) => self.push_str(&text),
                unknown => self.pieces.push(unknown),
            }
        }
    }

    /// The value, when every piece is known.
    pub fn known(&self) -> Option<String> {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Unknown { .. } => return None,
            }
        }
        Some(out)
    }

    /// The word with unknown references as written.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Unknown { written, .. } => out.push_str(written),
            }
        }
        out
    }

    /// Names of the unknown variables, each once, in order.
    pub fn unknown_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for piece in &self.pieces {
            if let Piece::Unknown { name, .. } = piece
                && !names.contains(name)
            {
                names.push(name.clone());
            }
        }
        names
    }
}

/// The variables in scope at one instruction. `Some(value)` is a known value; `None` a
/// variable that is defined but whose value ctxsize cannot know. `ENV` wins over `ARG`, as
/// in BuildKit. A name in neither map is unknown too (it may come from the base image).
#[derive(Debug, Clone, Default)]
pub(crate) struct Scope {
    env: HashMap<String, Option<String>>,
    args: HashMap<String, Option<String>>,
}

impl Scope {
    /// The known value of `name`, or `None` when it is unknown.
    pub fn lookup(&self, name: &str) -> Option<&str> {
        match self.env.get(name) {
            Some(value) => value.as_deref(),
            None => self.args.get(name).and_then(|value| value.as_deref()),
        }
    }

    /// The value of the `ARG` `name`: `None` when not declared, `Some(None)` when unknown.
    pub fn arg(&self, name: &str) -> Option<Option<&str>> {
        self.args.get(name).map(|value| value.as_deref())
    }

    pub fn set_env(&mut self, name: &str, value: Option<String>) {
        self.env.insert(name.to_owned(), value);
    }

    pub fn set_arg(&mut self, name: &str, value: Option<String>) {
        self.args.insert(name.to_owned(), value);
    }
}

/// Expands one word as BuildKit's `ProcessWord` does; the error is BuildKit's message.
pub(crate) fn expand(word: &str, escape: char, scope: &Scope) -> Result<Word, String> {
    let mut lexer =
        Lexer { src: word, chars: word.char_indices().collect(), pos: 0, escape, scope };
    lexer.process_stop_on(None, false)
}

struct Lexer<'a> {
    src: &'a str,
    chars: Vec<(usize, char)>,
    pos: usize,
    escape: char,
    scope: &'a Scope,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).map(|&(_, c)| c)
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    /// Byte offset of the next character.
    fn offset(&self) -> usize {
        self.chars.get(self.pos).map_or(self.src.len(), |&(offset, _)| offset)
    }

    fn process_stop_on(&mut self, stop: Option<char>, raw_escapes: bool) -> Result<Word, String> {
        let mut out = Word::default();
        while let Some(c) = self.peek() {
            if Some(c) == stop {
                self.next();
                return Ok(out);
            }
            match c {
                '\'' => out.append(self.single_quote()?),
                '"' => out.append(self.double_quote()?),
                '$' => out.append(self.dollar()?),
                _ => {
                    self.next();
                    if c == self.escape {
                        if raw_escapes {
                            out.push_char(c);
                        }
                        match self.next() {
                            Some(escaped) => out.push_char(escaped),
                            None => break,
                        }
                    } else {
                        out.push_char(c);
                    }
                }
            }
        }
        match stop {
            Some(stop) => {
                Err(format!("unexpected end of statement while looking for matching {stop}"))
            }
            None => Ok(out),
        }
    }

    fn single_quote(&mut self) -> Result<Word, String> {
        self.next();
        let mut out = Word::default();
        loop {
            match self.next() {
                None => {
                    return Err("unexpected end of statement while looking for matching \
                                single-quote"
                        .to_owned());
                }
                Some('\'') => return Ok(out),
                Some(c) => out.push_char(c),
            }
        }
    }

    fn double_quote(&mut self) -> Result<Word, String> {
        self.next();
        let mut out = Word::default();
        loop {
            match self.peek() {
                None => {
                    return Err("unexpected end of statement while looking for matching \
                                double-quote"
                        .to_owned());
                }
                Some('"') => {
                    self.next();
                    return Ok(out);
                }
                Some('$') => out.append(self.dollar()?),
                Some(c) => {
                    self.next();
                    if c == self.escape {
                        match self.peek() {
                            // BuildKit drops an escape at the end of the word.
                            None => continue,
                            Some(next) if next == '"' || next == '$' || next == self.escape => {
                                self.next();
                                out.push_char(next);
                                continue;
                            }
                            Some(_) => {}
                        }
                    }
                    out.push_char(c);
                }
            }
        }
    }

    /// A name after `$`: digits only when it starts with one, one special parameter, or
    /// letters, digits and `_`.
    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if name.is_empty() && c.is_numeric() {
                while let Some(digit) = self.peek().filter(|d| d.is_numeric()) {
                    self.next();
                    name.push(digit);
                }
                return name;
            }
            if name.is_empty() && matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.next();
                name.push(c);
                return name;
            }
            if !c.is_alphanumeric() && c != '_' {
                break;
            }
            self.next();
            name.push(c);
        }
        name
    }

    fn variable(&self, name: &str, start: usize) -> Word {
        match self.scope.lookup(name) {
            Some(value) => Word::text(value),
            None => Word::unknown(&self.src[start..self.offset()], name),
        }
    }

    fn dollar(&mut self) -> Result<Word, String> {
        const MISSING_BRACE: &str = "syntax error: missing '}'";
        let start = self.offset();
        self.next();
        if self.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                return Ok(Word::text("$"));
            }
            return Ok(self.variable(&name, start));
        }
        self.next();
        match self.peek() {
            None => return Err(MISSING_BRACE.to_owned()),
            Some('{' | '}' | ':') => return Err("syntax error: bad substitution".to_owned()),
            Some(_) => {}
        }
        let name = self.name();
        let Some(c) = self.next() else { return Err(MISSING_BRACE.to_owned()) };
        match c {
            '}' => Ok(self.variable(&name, start)),
            ':' | '-' | '+' | '?' | '#' | '%' => {
                let (op, null_is_unset) = if c == ':' {
                    let Some(op) = self.next() else { return Err(MISSING_BRACE.to_owned()) };
                    (op, true)
                } else {
                    (c, false)
                };
                let modifier = if null_is_unset { format!(":{op}") } else { op.to_string() };
                if !matches!(op, '-' | '+' | '?' | '#' | '%')
                    || (null_is_unset && matches!(op, '#' | '%'))
                {
                    return Err(format!("unsupported modifier ({modifier}) in substitution"));
                }
                let word =
                    self.process_stop_on(Some('}'), matches!(op, '#' | '%')).map_err(|error| {
                        if self.peek().is_none() { MISSING_BRACE.to_owned() } else { error }
                    })?;
                let Some(value) = self.scope.lookup(&name) else {
                    return Ok(Word::unknown(&self.src[start..self.offset()], &name));
                };
                let null = null_is_unset && value.is_empty();
                match op {
                    '-' if null => Ok(word),
                    '-' => Ok(Word::text(value)),
                    '+' if null => Ok(Word::default()),
                    '+' => Ok(word),
                    '?' if null => {
                        let message = word.render();
                        let message = if message.is_empty() {
                            "is not allowed to be empty".to_owned()
                        } else {
                            message
                        };
                        Err(format!("{name}: {message}"))
                    }
                    '?' => Ok(Word::text(value)),
                    // `#` and `%`: pattern trimming, not evaluated.
                    _ => Ok(Word::unknown(&self.src[start..self.offset()], &name)),
                }
            }
            '/' => {
                if self.peek() == Some('/') {
                    self.next();
                }
                self.process_stop_on(Some('/'), true).map_err(|error| {
                    if self.peek().is_none() {
                        "syntax error: missing '/' in ${}".to_owned()
                    } else {
                        error
                    }
                })?;
                self.process_stop_on(Some('}'), true).map_err(|error| {
                    if self.peek().is_none() { MISSING_BRACE.to_owned() } else { error }
                })?;
                Ok(Word::unknown(&self.src[start..self.offset()], &name))
            }
            _ => Err(format!("unsupported modifier ({c}) in substitution")),
        }
    }
}

/// Splits an `ARG`/`ENV` argument string into words as BuildKit's `parseWords` does:
/// white space separates words outside quotes; quotes and escapes stay in the words.
pub(crate) fn split_words(rest: &str, escape: char) -> Vec<String> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote(char),
    }
    let mut words = Vec::new();
    let mut word = String::new();
    let mut blank_ok = false;
    let mut phase = Phase::Spaces;
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        if phase == Phase::Spaces {
            if c.is_whitespace() {
                continue;
            }
            phase = Phase::Word;
        }
        match phase {
            Phase::Word => {
                if c.is_whitespace() {
                    phase = Phase::Spaces;
                    if blank_ok || !word.is_empty() {
                        words.push(std::mem::take(&mut word));
                    }
                    blank_ok = false;
                    continue;
                }
                if c == '\'' || c == '"' {
                    phase = Phase::Quote(c);
                    blank_ok = true;
                }
                if c == escape {
                    match chars.next() {
                        // An escape at the end of the line is dropped.
                        None => continue,
                        Some(escaped) => {
                            word.push(c);
                            word.push(escaped);
                            continue;
                        }
                    }
                }
                word.push(c);
            }
            Phase::Quote(quote) => {
                if c == quote {
                    phase = Phase::Word;
                }
                if c == escape && quote != '\'' {
                    match chars.next() {
                        None => {
                            phase = Phase::Word;
                            continue;
                        }
                        Some(escaped) => {
                            word.push(c);
                            word.push(escaped);
                            continue;
                        }
                    }
                }
                word.push(c);
            }
            Phase::Spaces => unreachable!("left above"),
        }
    }
    if phase != Phase::Spaces && (blank_ok || !word.is_empty()) {
        words.push(word);
    }
    words
}

/// Names a word refers to with `$NAME` or `${NAME…`, for a word that failed to expand.
pub(crate) fn referenced_names(word: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut rest = word;
    while let Some(at) = rest.find('$') {
        rest = &rest[at + 1..];
        let body = rest.strip_prefix('{').unwrap_or(rest);
        let end = body.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(body.len());
        let name = &body[..end];
        if !name.is_empty() && !names.iter().any(|known| known == name) {
            names.push(name.to_owned());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(vars: &[(&str, Option<&str>)]) -> Scope {
        let mut scope = Scope::default();
        for (name, value) in vars {
            scope.set_arg(name, value.map(str::to_owned));
        }
        scope
    }

    fn known(word: &str, scope: &Scope) -> String {
        expand(word, '\\', scope).unwrap().known().unwrap()
    }

    #[test]
    fn substitutes_known_values() {
        let s = scope(&[("A", Some("x")), ("E", Some(""))]);
        assert_eq!(known("$A/b", &s), "x/b");
        assert_eq!(known("${A}b", &s), "xb");
        assert_eq!(known("${A:-d}", &s), "x");
        assert_eq!(known("${E:-d}", &s), "d");
        assert_eq!(known("${E-d}", &s), "");
        assert_eq!(known("${A:+y}", &s), "y");
        assert_eq!(known("${E:+y}", &s), "");
        assert_eq!(known("${E+y}", &s), "y");
        assert_eq!(known("${A:?oops}", &s), "x");
        assert_eq!(known("$", &s), "$");
        assert_eq!(known("a$/b", &s), "a$/b");
    }

    #[test]
    fn quotes_and_escapes() {
        let s = scope(&[("A", Some("x"))]);
        assert_eq!(known("'$A'", &s), "$A");
        assert_eq!(known("\"$A y\"", &s), "x y");
        assert_eq!(known("\\$A", &s), "$A");
        assert_eq!(known("a\\*b", &s), "a*b", "an unquoted escape is removed");
        assert_eq!(known("\"a\\*b\"", &s), "a\\*b", "in double quotes it stays");
        assert_eq!(known("\"a\\\"b\"", &s), "a\"b");
        assert_eq!(expand("`$A", '`', &s).unwrap().known().unwrap(), "$A");
    }

    #[test]
    fn unknown_variables_stay_as_written() {
        let s = scope(&[("DECLARED", None)]);
        let word = expand("bin/${TARGETARCH}/$DECLARED/${X:-d}/x", '\\', &s).unwrap();
        assert_eq!(word.known(), None);
        assert_eq!(word.render(), "bin/${TARGETARCH}/$DECLARED/${X:-d}/x");
        assert_eq!(word.unknown_names(), ["TARGETARCH", "DECLARED", "X"]);
        let s = scope(&[("A", Some("abc"))]);
        let word = expand("${A#a}", '\\', &s).unwrap();
        assert_eq!(word.render(), "${A#a}", "pattern operators are not evaluated");
    }

    #[test]
    fn syntax_errors_are_buildkits() {
        let s = Scope::default();
        for bad in ["${", "${}", "${:a}", "${A", "${A:-x", "'a", "\"a", "${A!}", "${A:#x}"] {
            assert!(expand(bad, '\\', &s).is_err(), "{bad}");
        }
        let s = scope(&[("E", Some(""))]);
        assert_eq!(expand("${E:?must be set}", '\\', &s).unwrap_err(), "E: must be set");
    }

    #[test]
    fn splits_words_like_buildkit() {
        assert_eq!(split_words("A=1 B=\"x y\"  C", '\\'), ["A=1", "B=\"x y\"", "C"]);
        assert_eq!(split_words("A=a\\ b", '\\'), ["A=a\\ b"]);
        assert_eq!(split_words("A='it''s' B=\"\"", '\\'), ["A='it''s'", "B=\"\""]);
        assert_eq!(split_words("   ", '\\'), Vec::<String>::new());
    }

    #[test]
    fn referenced_names_are_found() {
        assert_eq!(referenced_names("${A:-x}/$B/$A/${"), ["A", "B"]);
    }
}
