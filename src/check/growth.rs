//! `--max-growth`: how much more than its baseline a build may send. A limit is a share of
//! the baseline (`10%`) or an amount (`5MB`); with both, the larger allowance applies, so
//! that a small context is not failed for a few kilobytes and a large one not for a few
//! percent of its size under the amount.

use std::fmt;

use crate::numbers::size;

/// One allowance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrowthLimit {
    /// A share of the baseline, in hundredths of a percent (`12.5%` is 1250): exact
    /// arithmetic, no float rounding in a gate.
    Share(u64),
    /// Bytes.
    Bytes(u64),
}

impl GrowthLimit {
    /// Reads `10%`, `2.5%` or a size as `--max-size` takes it (`5MB`, `512k`, `1GiB`).
    pub fn parse(text: &str) -> Result<GrowthLimit, String> {
        let trimmed = text.trim();
        let Some(number) = trimmed.strip_suffix('%') else {
            return crate::size::parse_size(trimmed)
                .map(GrowthLimit::Bytes)
                .map_err(|error| format!("{error}; or a share such as 10%"));
        };
        let bad = || format!("invalid share {text:?}: expected a percentage such as 10% or 2.5%");
        let number = number.trim_end();
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > 2 {
            return Err(bad());
        }
        let whole: u64 = whole.parse().map_err(|_| bad())?;
        let hundredths: u64 = format!("{fraction:0<2}").parse().map_err(|_| bad())?;
        whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(hundredths))
            .map(GrowthLimit::Share)
            .ok_or_else(bad)
    }

    /// The bytes this limit lets a baseline of `before` bytes grow by.
    pub fn allowance(self, before: u64) -> u64 {
        match self {
            GrowthLimit::Bytes(bytes) => bytes,
            GrowthLimit::Share(hundredths) => {
                let allowed = u128::from(before) * u128::from(hundredths) / 10_000;
                u64::try_from(allowed).unwrap_or(u64::MAX)
            }
        }
    }
}

impl fmt::Display for GrowthLimit {
    /// `10%`, `2.5%`, `5 MB`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            GrowthLimit::Share(hundredths) => {
                let (whole, rest) = (hundredths / 100, hundredths % 100);
                match rest {
                    0 => write!(f, "{whole}%"),
                    r if r % 10 == 0 => write!(f, "{whole}.{}%", r / 10),
                    r => write!(f, "{whole}.{r:02}%"),
                }
            }
            GrowthLimit::Bytes(bytes) => f.write_str(&size(bytes)),
        }
    }
}

/// Every limit given (at least one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaxGrowth(pub Vec<GrowthLimit>);

impl MaxGrowth {
    /// The larger of the limits' allowances.
    pub fn allowance(&self, before: u64) -> u64 {
        self.0.iter().map(|limit| limit.allowance(before)).max().unwrap_or(0)
    }

    /// `10%`, or `10% or 5 MB, whichever is larger`.
    pub fn describe(&self) -> String {
        let names: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        match names.as_slice() {
            [one] => one.clone(),
            many => format!("{}, whichever is larger", many.join(" or ")),
        }
    }
}

/// How much `after` differs from `before`, as a signed percentage with one decimal
/// (`+18.0%`, `-3.2%`); `new` when there was nothing before.
pub fn percent_change(before: u64, after: u64) -> String {
    if before == 0 {
        return if after == 0 { "+0.0%".to_owned() } else { "new".to_owned() };
    }
    let tenths = (i128::from(after) - i128::from(before)) * 1000 / i128::from(before);
    let sign = if tenths < 0 { "-" } else { "+" };
    let tenths = tenths.unsigned_abs();
    format!("{sign}{}.{}%", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_and_sizes_parse() {
        assert_eq!(GrowthLimit::parse("10%"), Ok(GrowthLimit::Share(1000)));
        assert_eq!(GrowthLimit::parse("2.5%"), Ok(GrowthLimit::Share(250)));
        assert_eq!(GrowthLimit::parse(" 0.25 %"), Ok(GrowthLimit::Share(25)));
        assert_eq!(GrowthLimit::parse("0%"), Ok(GrowthLimit::Share(0)));
        assert_eq!(GrowthLimit::parse("5MB"), Ok(GrowthLimit::Bytes(5_000_000)));
        assert_eq!(GrowthLimit::parse("1KiB"), Ok(GrowthLimit::Bytes(1024)));
        for bad in ["%", "-5%", "1.234%", "ten%", "5 bananas", "", "1.%x"] {
            assert!(GrowthLimit::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn allowances_are_exact_and_the_larger_applies() {
        assert_eq!(GrowthLimit::Share(1000).allowance(1_000_000), 100_000);
        assert_eq!(GrowthLimit::Share(250).allowance(999), 24);
        assert_eq!(GrowthLimit::Share(1000).allowance(u64::MAX), u64::MAX / 10);
        let both = MaxGrowth(vec![GrowthLimit::Share(1000), GrowthLimit::Bytes(5_000_000)]);
        assert_eq!(both.allowance(1_000_000), 5_000_000);
        assert_eq!(both.allowance(100_000_000), 10_000_000);
        assert_eq!(both.describe(), "10% or 5 MB, whichever is larger");
    }

    #[test]
    fn limits_print_as_written() {
        let shown: Vec<String> =
            [1000, 250, 25, 1234].into_iter().map(|h| GrowthLimit::Share(h).to_string()).collect();
        assert_eq!(shown, ["10%", "2.5%", "0.25%", "12.34%"]);
    }

    #[test]
    fn changes_read_as_signed_percentages() {
        assert_eq!(percent_change(100, 118), "+18.0%");
        assert_eq!(percent_change(1000, 968), "-3.2%");
        assert_eq!(percent_change(0, 5), "new");
        assert_eq!(percent_change(7, 7), "+0.0%");
    }
}
