//! Sizes as people write them (`200MB`, `1.5GiB`, `512k`) and as the app shows them.
//!
//! [`format_size`] uses SI units (powers of 1000), like every size the app prints, so a limit
//! written `200MB` and the number shown next to it agree. [`parse_size`] also accepts IEC
//! units (powers of 1024: `KiB`, `MiB`, …) for people who think in those.

use std::fmt;

/// What [`parse_size`] accepts, for error messages.
const ACCEPTED: &str = "expected a number of bytes with an optional unit, such as 100, 512k, \
                        200MB, 200 MB or 1.5GiB (units: B, kB, MB, GB, TB, PB in powers of 1000; \
                        KiB, MiB, GiB, TiB, PiB in powers of 1024; the B may be left out; \
                        case does not matter)";

/// A size that [`parse_size`] cannot read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseSizeError {
    /// The text as given.
    pub input: String,
    pub kind: ParseSizeErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseSizeErrorKind {
    /// Nothing but white space.
    Empty,
    /// No number where one was expected (`MB`, `-1`, `1.`, `1,5`).
    BadNumber,
    /// A unit that is not one of the accepted ones.
    UnknownUnit(String),
    /// More bytes than fit in 64 bits.
    TooLarge,
}

impl fmt::Display for ParseSizeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid size {:?}: ", self.input)?;
        match &self.kind {
            ParseSizeErrorKind::Empty => write!(f, "it is empty")?,
            ParseSizeErrorKind::BadNumber => write!(f, "no valid number")?,
            ParseSizeErrorKind::UnknownUnit(unit) => write!(f, "unknown unit {unit:?}")?,
            ParseSizeErrorKind::TooLarge => {
                write!(f, "too large (the most is {} bytes)", u64::MAX)?
            }
        }
        write!(f, "; {ACCEPTED}")
    }
}

impl std::error::Error for ParseSizeError {}

/// Reads a size in bytes: a decimal number (`100`, `1.5`), optional blanks, an optional unit.
///
/// Units are case-insensitive: `B` (bytes), `k`/`kB`, `M`/`MB`, `G`/`GB`, `T`/`TB`, `P`/`PB`
/// (powers of 1000) and `Ki`/`KiB`, `Mi`/`MiB`, `Gi`/`GiB`, `Ti`/`TiB`, `Pi`/`PiB` (powers of
/// 1024). A fraction is rounded to the nearest byte (halves up): `1.5k` is 1500, `0.0001k`
/// is 0. The arithmetic is exact and checked: a result above `u64::MAX` is an error.
pub fn parse_size(text: &str) -> Result<u64, ParseSizeError> {
    let error = |kind| ParseSizeError { input: text.to_owned(), kind };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(error(ParseSizeErrorKind::Empty));
    }
    let number_end =
        trimmed.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(number_end);
    let unit = unit.trim_start();
    let (whole, fraction) = match number.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (number, ""),
    };
    let has_point = number.contains('.');
    if whole.is_empty()
        || (has_point && fraction.is_empty())
        || fraction.contains('.')
        || !whole.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(error(ParseSizeErrorKind::BadNumber));
    }
    let multiplier =
        unit_multiplier(unit).ok_or_else(|| error(ParseSizeErrorKind::UnknownUnit(unit.into())))?;
    // Trailing zeros of the fraction change nothing and would only risk overflow.
    let fraction = fraction.trim_end_matches('0');
    let too_large = || error(ParseSizeErrorKind::TooLarge);
    // value = digits / 10^fraction.len(), all in u128: exact as long as it fits.
    let mut digits: u128 = 0;
    for b in whole.bytes().chain(fraction.bytes()) {
        digits = digits
            .checked_mul(10)
            .and_then(|d| d.checked_add(u128::from(b - b'0')))
            .ok_or_else(too_large)?;
    }
    let scale = u32::try_from(fraction.len())
        .ok()
        .and_then(|len| 10u128.checked_pow(len))
        .ok_or_else(too_large)?;
    let scaled = digits.checked_mul(u128::from(multiplier)).ok_or_else(too_large)?;
    let bytes = scaled / scale + u128::from(scaled % scale * 2 >= scale);
    u64::try_from(bytes).map_err(|_| too_large())
}

/// The multiplier of a unit, case-insensitively; `None` for an unknown unit.
fn unit_multiplier(unit: &str) -> Option<u64> {
    let lower = unit.to_ascii_lowercase();
    let without_b = lower.strip_suffix('b').unwrap_or(&lower);
    let (prefix, binary) = match without_b.strip_suffix('i') {
        Some(prefix) if !prefix.is_empty() => (prefix, true),
        _ => (without_b, false),
    };
    let power = match prefix {
        "" if !binary => 0,
        "k" => 1,
        "m" => 2,
        "g" => 3,
        "t" => 4,
        "p" => 5,
        _ => return None,
    };
    let base: u64 = if binary { 1024 } else { 1000 };
    Some(base.pow(power))
}

/// Shows a size as the rest of the app does: SI units, two decimals (`200 MB`, `3.27 kB`).
pub fn format_size(bytes: u64) -> String {
    humansize::format_size(bytes, humansize::DECIMAL)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_accepted_forms() {
        let cases: &[(&str, u64)] = &[
            ("0", 0),
            ("100", 100),
            ("100B", 100),
            ("100 b", 100),
            ("  7  ", 7),
            ("512k", 512_000),
            ("512K", 512_000),
            ("1kB", 1000),
            ("1KB", 1000),
            ("1kb", 1000),
            ("200MB", 200_000_000),
            ("200 MB", 200_000_000),
            ("200M", 200_000_000),
            ("200mb", 200_000_000),
            ("3GB", 3_000_000_000),
            ("3 g", 3_000_000_000),
            ("2TB", 2_000_000_000_000),
            ("1PB", 1_000_000_000_000_000),
            ("10KiB", 10_240),
            ("10Ki", 10_240),
            ("10 kib", 10_240),
            ("1MiB", 1_048_576),
            ("1Mi", 1_048_576),
            ("1.5GiB", 1_610_612_736),
            ("1TiB", 1_099_511_627_776),
            ("1PiB", 1_125_899_906_842_624),
            ("1.5k", 1500),
            ("1.5 MB", 1_500_000),
            ("0.5", 1),
            ("0.4", 0),
            ("1.0005k", 1001),
            ("1.0004k", 1000),
            ("0.0001k", 0),
            ("2.50000000000000000000000000000000000000000000MB", 2_500_000),
            ("007", 7),
            ("18446744073709551615", u64::MAX),
            ("15.9999999999999999999PiB", 18_014_398_509_481_984),
        ];
        for &(text, bytes) in cases {
            assert_eq!(parse_size(text), Ok(bytes), "{text:?}");
        }
    }

    #[test]
    fn rejects_bad_input_with_the_reason() {
        use ParseSizeErrorKind::*;
        let cases: &[(&str, ParseSizeErrorKind)] = &[
            ("", Empty),
            ("   ", Empty),
            ("MB", BadNumber),
            ("-1", BadNumber),
            ("+1", BadNumber),
            (".5", BadNumber),
            ("1.", BadNumber),
            ("1.2.3", BadNumber),
            ("1,5MB", UnknownUnit(",5MB".into())),
            ("10 parsecs", UnknownUnit("parsecs".into())),
            ("10i", UnknownUnit("i".into())),
            ("10iB", UnknownUnit("iB".into())),
            ("10 MB extra", UnknownUnit("MB extra".into())),
            ("5EB", UnknownUnit("EB".into())),
            ("18446744073709551616", TooLarge),
            ("18446744073709551615.5", TooLarge),
            ("20000PB", TooLarge),
            ("16384PiB", TooLarge),
            ("99999999999999999999999999999999999999999", TooLarge),
        ];
        for (text, kind) in cases {
            let error = parse_size(text).unwrap_err();
            assert_eq!(&error.kind, kind, "{text:?}");
            assert_eq!(error.input, *text);
        }
    }

    #[test]
    fn error_message_names_the_input_and_the_format() {
        let message = parse_size("12 apples").unwrap_err().to_string();
        assert!(message.starts_with("invalid size \"12 apples\": unknown unit \"apples\";"));
        assert!(message.contains("200MB") && message.contains("KiB"), "{message}");
    }

    #[test]
    fn formats_in_si_units() {
        let cases: &[(u64, &str)] = &[
            (0, "0 B"),
            (999, "999 B"),
            (1000, "1 kB"),
            (3270, "3.27 kB"),
            (200_000_000, "200 MB"),
            (574_170_000, "574.17 MB"),
            (2_830_000_000, "2.83 GB"),
        ];
        for &(bytes, text) in cases {
            assert_eq!(format_size(bytes), text, "{bytes}");
        }
    }

    #[test]
    fn a_limit_and_its_display_agree() {
        for text in ["200MB", "1.5GB", "512k", "3.27 kB", "10 B"] {
            let bytes = parse_size(text).unwrap();
            assert_eq!(parse_size(&format_size(bytes)), Ok(bytes), "{text:?}");
        }
    }
}
