//! BuildKit's early syntax check of a pattern.
//!
//! Before using a pattern, BuildKit's pattern matcher calls Go's `filepath.Match(pattern, ".")`
//! only for its error. That function cuts the pattern into pieces at each unescaped `*`
//! outside a `[...]` class and reports a malformed piece only when it reaches it: the first
//! piece always, a later piece only while everything before it matched `"."`. So `x[` fails
//! the build, `a*[` passes this check (and fails later, when its regex is compiled).

/// The check failed: BuildKit rejects the pattern ("syntax error in pattern").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BadPattern;

/// Runs `filepath.Match(pattern, ".")` for its error only.
pub(crate) fn check(pattern: &[u8]) -> Result<(), BadPattern> {
    let mut pattern = pattern;
    let mut name: &[u8] = b".";
    while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            // A trailing star: Go returns without looking further.
            return Ok(());
        }
        let (remaining, matched) = match_chunk(chunk, name)?;
        if matched && (remaining.is_empty() || !pattern.is_empty()) {
            name = remaining;
            continue;
        }
        if star {
            let mut advanced = false;
            let mut i = 0;
            while i < name.len() && name[i] != b'/' {
                let (remaining, matched) = match_chunk(chunk, &name[i + 1..])?;
                // As the last piece, the match must use up the name.
                if matched && (remaining.is_empty() || !pattern.is_empty()) {
                    name = remaining;
                    advanced = true;
                    break;
                }
                i += 1;
            }
            if advanced {
                continue;
            }
        }
        return Ok(());
    }
    Ok(())
}

/// Splits off leading stars and the piece up to the next star outside a class.
fn scan_chunk(pattern: &[u8]) -> (bool, &[u8], &[u8]) {
    let mut star = false;
    let mut pattern = pattern;
    while let [b'*', rest @ ..] = pattern {
        pattern = rest;
        star = true;
    }
    let mut in_class = false;
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            b'\\' if i + 1 < pattern.len() => i += 1,
            b'[' => in_class = true,
            b']' => in_class = false,
            b'*' if !in_class => break,
            _ => {}
        }
        i += 1;
    }
    (star, &pattern[..i], &pattern[i..])
}

/// Matches one piece against the start of `name`; once the match has failed the piece is
/// still read to the end, so that its syntax is checked.
fn match_chunk<'n>(chunk: &[u8], name: &'n [u8]) -> Result<(&'n [u8], bool), BadPattern> {
    let mut chunk = chunk;
    let mut name = name;
    let mut failed = false;
    while !chunk.is_empty() {
        if !failed && name.is_empty() {
            failed = true;
        }
        match chunk[0] {
            b'[' => {
                let mut subject = None;
                if !failed {
                    let (c, len) = decode_rune(name);
                    subject = Some(c);
                    name = &name[len..];
                }
                chunk = &chunk[1..];
                let negated = chunk.first() == Some(&b'^');
                if negated {
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut ranges = 0;
                loop {
                    if chunk.first() == Some(&b']') && ranges > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let (lo, rest) = class_char(chunk)?;
                    chunk = rest;
                    let mut hi = lo;
                    if chunk[0] == b'-' {
                        let (end, rest) = class_char(&chunk[1..])?;
                        hi = end;
                        chunk = rest;
                    }
                    if subject.is_some_and(|c| lo <= c && c <= hi) {
                        matched = true;
                    }
                    ranges += 1;
                }
                if matched == negated {
                    failed = true;
                }
            }
            b'?' => {
                if !failed {
                    if name[0] == b'/' {
                        failed = true;
                    }
                    let (_, len) = decode_rune(name);
                    name = &name[len..];
                }
                chunk = &chunk[1..];
            }
            first => {
                let mut literal = first;
                if first == b'\\' {
                    chunk = &chunk[1..];
                    match chunk.first() {
                        Some(&escaped) => literal = escaped,
                        None => return Err(BadPattern),
                    }
                }
                if !failed {
                    if literal != name[0] {
                        failed = true;
                    }
                    name = &name[1..];
                }
                chunk = &chunk[1..];
            }
        }
    }
    if failed { Ok((name, false)) } else { Ok((name, true)) }
}

/// One class member (Go's `getEsc`): not empty, not starting with `-` or `]`, a `\` takes
/// the next character, valid UTF-8, and something must follow it.
fn class_char(chunk: &[u8]) -> Result<(u32, &[u8]), BadPattern> {
    let mut chunk = chunk;
    match chunk.first() {
        None | Some(b'-') | Some(b']') => return Err(BadPattern),
        Some(b'\\') => {
            chunk = &chunk[1..];
            if chunk.is_empty() {
                return Err(BadPattern);
            }
        }
        Some(_) => {}
    }
    let (c, len) = decode_rune(chunk);
    if c == INVALID_RUNE {
        return Err(BadPattern);
    }
    let rest = &chunk[len..];
    if rest.is_empty() {
        return Err(BadPattern);
    }
    Ok((c, rest))
}

/// Marks an invalid UTF-8 byte (Go decodes it as U+FFFD of width 1).
const INVALID_RUNE: u32 = u32::MAX;

/// Decodes the first character as Go does: an invalid byte is one rune of width 1.
fn decode_rune(bytes: &[u8]) -> (u32, usize) {
    for len in 1..=bytes.len().min(4) {
        if let Ok(s) = std::str::from_utf8(&bytes[..len])
            && let Some(c) = s.chars().next()
        {
            return (c as u32, len);
        }
    }
    (INVALID_RUNE, 1)
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn accepts_and_rejects_like_go_filepath_match() {
        let ok = [
            "a",
            "*",
            "**",
            "a*[",
            "a*\\",
            "a[*]b",
            "\\*",
            "[z-a]",
            "[a-c]x",
            "a\\\\",
            ".*a*[",
            "[^a]",
            "[!a]",
            "a?b",
            "q*[a-b-c]",
            "s*[^]a]",
            "x/**/y",
            "\\[x\\]",
            "a\\?b",
        ];
        for pattern in ok {
            assert_eq!(check(pattern.as_bytes()), Ok(()), "{pattern:?} should pass");
        }
        let bad = [
            "x[", "[*", "[a\\]", "[]a]", "[^]a]", "[-a]", "[ab-]", "[a-b-c]", "foo\\", "*\\",
            "a\\*[", ".*[", "[", "[]", "a[",
        ];
        for pattern in bad {
            assert!(check(pattern.as_bytes()).is_err(), "{pattern:?} should fail");
        }
    }
}
