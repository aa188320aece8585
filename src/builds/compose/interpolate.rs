//! Compose's variable interpolation: `$VAR`, `${VAR}`, the `:-` `-` `:?` `?` `:+` `+`
//! forms and `$$`, with the value of each name given by the caller.

/// Why a string could not be interpolated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InterpolationError {
    /// `${NAME:?message}` or `${NAME?message}` with NAME unset (or empty, for `:?`).
    #[error("required variable {name} is missing a value: {message}")]
    Required { name: String, message: String },
    /// A `${` that starts none of the forms Compose knows, such as `${1}` or an unclosed `${`.
    #[error("invalid interpolation format in {text:?}")]
    Invalid { text: String },
}

/// Replaces every variable in `text` as Compose does. An unset variable with no default
/// becomes the empty string (Compose warns and does the same).
pub fn interpolate(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, InterpolationError> {
    let invalid = || InterpolationError::Invalid { text: text.to_owned() };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(inner) = after.strip_prefix('{') {
            let end = closing_brace(inner).ok_or_else(invalid)?;
            out.push_str(&braced(&inner[..end], lookup).map_err(|err| match err {
                // An error inside a nested default names the whole string, not a fragment.
                InterpolationError::Invalid { .. } => invalid(),
                required => required,
            })?);
            rest = &inner[end + 1..];
        } else {
            // A `$` that starts no name (`$1`, `$ `, a last `$`) is kept as it is: Compose's
            // pattern does not match it.
            let len = name_len(after);
            if len == 0 {
                out.push('$');
            } else {
                out.push_str(&lookup(&after[..len]).unwrap_or_default());
            }
            rest = &after[len..];
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// The length of the variable name `text` starts with (`[_A-Za-z][_A-Za-z0-9]*`), 0 if none.
fn name_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    if !bytes.first().is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_') {
        return 0;
    }
    bytes.iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'_').count()
}

/// Where the `}` closing a `${` is, skipping nested `${…}` (a default may hold variables)
/// and `$$`.
fn closing_brace(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if matches!(bytes.get(i + 1), Some(b'{')) => {
                depth += 1;
                i += 1;
            }
            b'$' if matches!(bytes.get(i + 1), Some(b'$')) => i += 1,
            b'}' if depth == 0 => return Some(i),
            b'}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The value of the inside of one `${…}`.
fn braced(
    body: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, InterpolationError> {
    let len = name_len(body);
    let invalid = || InterpolationError::Invalid { text: body.to_owned() };
    if len == 0 {
        return Err(invalid());
    }
    let (name, op) = body.split_at(len);
    let value = lookup(name);
    let (colon, op) = match op.strip_prefix(':') {
        Some(op) => (true, op),
        None => (false, op),
    };
    // With a colon, an empty value counts as unset.
    let set = value.as_deref().is_some_and(|v| !colon || !v.is_empty());
    let Some(kind) = op.chars().next() else {
        return if colon { Err(invalid()) } else { Ok(value.unwrap_or_default()) };
    };
    let word = &op[1..];
    match kind {
        '-' if set => Ok(value.unwrap_or_default()),
        '-' => interpolate(word, lookup),
        '?' if set => Ok(value.unwrap_or_default()),
        '?' => Err(InterpolationError::Required {
            name: name.to_owned(),
            message: interpolate(word, lookup)?,
        }),
        '+' if set => interpolate(word, lookup),
        '+' => Ok(String::new()),
        _ => Err(invalid()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "TAG" => Some("1.2".into()),
            "EMPTY" => Some(String::new()),
            "DIR" => Some("apps/web".into()),
            _ => None,
        }
    }

    fn run(text: &str) -> Result<String, InterpolationError> {
        interpolate(text, &env)
    }

    #[test]
    fn plain_and_braced_names() {
        assert_eq!(run("v$TAG-x").unwrap(), "v1.2-x");
        assert_eq!(run("v${TAG}x").unwrap(), "v1.2x");
        assert_eq!(run("./${DIR}/src").unwrap(), "./apps/web/src");
        assert_eq!(run("no variables").unwrap(), "no variables");
    }

    #[test]
    fn a_dollar_before_no_name_stays() {
        assert_eq!(run("$").unwrap(), "$");
        assert_eq!(run("a$1 b$ $-c").unwrap(), "a$1 b$ $-c");
    }

    #[test]
    fn unset_is_empty() {
        assert_eq!(run("a${NOPE}b$NOPE").unwrap(), "ab");
    }

    #[test]
    fn dollar_dollar_is_a_dollar() {
        assert_eq!(run("$$TAG and $${TAG}").unwrap(), "$TAG and ${TAG}");
    }

    #[test]
    fn defaults_with_and_without_colon() {
        assert_eq!(run("${NOPE:-d}").unwrap(), "d");
        assert_eq!(run("${NOPE-d}").unwrap(), "d");
        assert_eq!(run("${EMPTY:-d}").unwrap(), "d");
        assert_eq!(run("${EMPTY-d}").unwrap(), "");
        assert_eq!(run("${TAG:-d}").unwrap(), "1.2");
        assert_eq!(run("${NOPE:-}").unwrap(), "");
    }

    #[test]
    fn nested_default() {
        assert_eq!(run("${NOPE:-${DIR}/x}").unwrap(), "apps/web/x");
        assert_eq!(run("${NOPE:-${ALSO:-deep}}").unwrap(), "deep");
    }

    #[test]
    fn alternatives() {
        assert_eq!(run("${TAG:+yes}").unwrap(), "yes");
        assert_eq!(run("${EMPTY:+yes}").unwrap(), "");
        assert_eq!(run("${EMPTY+yes}").unwrap(), "yes");
        assert_eq!(run("${NOPE+yes}").unwrap(), "");
    }

    #[test]
    fn required_names_the_variable() {
        let err = run("${NOPE:?set NOPE first}").unwrap_err();
        assert_eq!(
            err,
            InterpolationError::Required { name: "NOPE".into(), message: "set NOPE first".into() }
        );
        assert!(err.to_string().contains("NOPE"));
        assert!(matches!(run("${EMPTY:?x}"), Err(InterpolationError::Required { .. })));
        assert_eq!(run("${EMPTY?x}").unwrap(), "");
        assert_eq!(run("${TAG?x}").unwrap(), "1.2");
    }

    #[test]
    fn invalid_forms() {
        for text in ["${", "${TAG", "${}", "${1A}", "${TAG:}", "${TAG*x}", "x${A:-${B}"] {
            assert!(
                matches!(run(text), Err(InterpolationError::Invalid { .. })),
                "{text:?} should be invalid"
            );
        }
    }
}
