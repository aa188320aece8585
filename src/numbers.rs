//! Numbers in prose, the same everywhere (reports, warnings, the spinner): thousands
//! separators, nouns that agree with their count, sizes in the one convention of
//! [`crate::size`].

/// Bytes in the SI convention every size in ctxsize uses (so a `200MB` limit reads alike).
pub fn size(bytes: u64) -> String {
    crate::size::format_size(bytes)
}

/// A number of files in prose: `1 file`, `1,204 files`.
pub fn files(n: u64) -> String {
    counted(n, "file", "files")
}

/// A count with its noun, which agrees with it: `1 rule`, `2 rules`, `1,204 paths`.
pub fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", count(n), noun(n, one, many))
}

/// `one` for 1, `many` for any other number.
pub fn noun<'a>(n: u64, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// A count with thousands separators: `1,234,567`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_get_thousands_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
    }

    #[test]
    fn one_file_is_singular() {
        assert_eq!(files(0), "0 files");
        assert_eq!(files(1), "1 file");
        assert_eq!(files(1204), "1,204 files");
        assert_eq!(counted(1, "rule", "rules"), "1 rule");
        assert_eq!(counted(2, "rule", "rules"), "2 rules");
    }
}
