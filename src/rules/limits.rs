//! Limits that come from how BuildKit transfers the pattern list, not from matching.
//!
//! The patterns travel to the owner of the context as request headers, one per pattern.
//! The transport rejects control characters in header values and caps the total header
//! size; when any pattern has a non-ASCII byte, every pattern is percent-encoded (which
//! makes control characters harmless) and one more header marks that.

use super::parse::RawPattern;

/// Patterns that still transfer when all of them are ASCII.
pub(crate) const MAX_PATTERNS_ASCII: usize = 490;
/// Patterns that still transfer when they are percent-encoded (one header is the marker).
pub(crate) const MAX_PATTERNS_ENCODED: usize = 489;
/// Per-pattern overhead in the header budget: the header name and HTTP/2's 32 bytes.
const HEADER_OVERHEAD: usize = 48;
/// The header budget left for the patterns, plain and percent-encoded.
const MAX_PATTERN_BYTES_ASCII: usize = 1_048_328;
const MAX_PATTERN_BYTES_ENCODED: usize = 1_048_271;

/// Why the pattern list cannot be transferred (BuildKit fails the build).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransferError {
    /// A control character in a pattern, while all patterns are ASCII.
    ControlCharacter { line: usize, byte: u8 },
    /// More patterns than the transport accepts.
    TooManyPatterns { count: usize, max: usize, first_extra_line: usize },
    /// The patterns together exceed the header budget.
    TooLarge { bytes: usize, max: usize },
}

/// Checks the pattern list against the transfer limits.
pub fn check_transfer(patterns: &[RawPattern]) -> Result<(), TransferError> {
    let encoded = patterns.iter().any(|p| !p.text.is_ascii());
    if !encoded {
        for pattern in patterns {
            if let Some(&byte) = pattern.text.iter().find(|&&b| b < 0x20 || b == 0x7F) {
                return Err(TransferError::ControlCharacter { line: pattern.line, byte });
            }
        }
    }
    let max = if encoded { MAX_PATTERNS_ENCODED } else { MAX_PATTERNS_ASCII };
    if patterns.len() > max {
        return Err(TransferError::TooManyPatterns {
            count: patterns.len(),
            max,
            first_extra_line: patterns[max].line,
        });
    }
    let (bytes, max) = if encoded {
        let total = patterns.iter().map(|p| query_escaped_len(&p.text) + HEADER_OVERHEAD).sum();
        (total, MAX_PATTERN_BYTES_ENCODED)
    } else {
        let total = patterns.iter().map(|p| p.text.len() + HEADER_OVERHEAD).sum();
        (total, MAX_PATTERN_BYTES_ASCII)
    };
    if bytes > max {
        return Err(TransferError::TooLarge { bytes, max });
    }
    Ok(())
}

/// The length of Go's `url.QueryEscape(text)`: unreserved bytes and the blank (which becomes
/// `+`) stay one byte, every other byte becomes `%XX`.
fn query_escaped_len(text: &[u8]) -> usize {
    text.iter()
        .map(|&b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b' ' => 1,
            _ => 3,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(lines: &[&[u8]]) -> Vec<RawPattern> {
        lines
            .iter()
            .enumerate()
            .map(|(i, text)| RawPattern {
                line: i + 1,
                text: text.to_vec(),
                written: text.to_vec(),
            })
            .collect()
    }

    #[test]
    fn control_characters_fail_unless_encoded() {
        assert_eq!(
            check_transfer(&raw(&[b"ok", b"a\tb"])),
            Err(TransferError::ControlCharacter { line: 2, byte: b'\t' })
        );
        assert!(check_transfer(&raw(&[b"a\x7f"])).is_err());
        assert_eq!(check_transfer(&raw(&[b"a\tb", "é".as_bytes()])), Ok(()));
    }

    #[test]
    fn pattern_count_limit() {
        let many: Vec<Vec<u8>> = (0..491).map(|i| format!("p{i}").into_bytes()).collect();
        let refs: Vec<&[u8]> = many.iter().map(|v| &v[..]).collect();
        assert_eq!(check_transfer(&raw(&refs[..490])), Ok(()));
        assert!(matches!(
            check_transfer(&raw(&refs)),
            Err(TransferError::TooManyPatterns { count: 491, max: 490, first_extra_line: 491 })
        ));
        let mut encoded = refs[..490].to_vec();
        encoded[0] = "é".as_bytes();
        assert!(matches!(
            check_transfer(&raw(&encoded)),
            Err(TransferError::TooManyPatterns { max: 489, .. })
        ));
    }

    #[test]
    fn byte_budget() {
        // 16 patterns of 65487 bytes: 16 * (65487 + 48) = 1048560 > 1048328.
        let big = vec![b'a'; 65_487];
        let refs: Vec<&[u8]> = (0..16).map(|_| &big[..]).collect();
        assert!(matches!(check_transfer(&raw(&refs)), Err(TransferError::TooLarge { .. })));
        let fits = vec![b'a'; 65_470];
        let refs: Vec<&[u8]> = (0..16).map(|_| &fits[..]).collect();
        assert_eq!(check_transfer(&raw(&refs)), Ok(()));
        assert_eq!(query_escaped_len("a b/é".as_bytes()), 1 + 1 + 1 + 3 + 6);
    }
}
