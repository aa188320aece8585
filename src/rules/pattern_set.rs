//! Many patterns tested on one path in a single pass, for probing candidate rules.
//!
//! Exact, prefix and suffix patterns are byte comparisons; the regex-kind patterns are
//! combined into one `RegexSet`, so a path is scanned once however many candidates there are.

use regex::RegexSet;
use rustc_hash::FxHashMap;

use crate::bits::Bits;

use super::pattern::{Kind, lossy_per_byte};
use super::{RuleSet, re2};

/// The most patterns a set holds (one bit each in the result).
pub const MAX_PATTERNS: usize = crate::bits::CAPACITY;

pub struct PatternSet<'a> {
    rules: &'a RuleSet,
    /// Exact patterns, by their text: one hash lookup per path.
    exact: FxHashMap<Vec<u8>, Bits>,
    /// `**/name` patterns (suffix kind, one component), by that name: they match exactly the
    /// paths whose last component is `name`.
    last_component: FxHashMap<Vec<u8>, Bits>,
    /// Indexes of the other prefix and suffix patterns.
    simple: Vec<usize>,
    regexes: RegexSet,
    /// The rule index of each regex in `regexes`.
    regex_rules: Vec<usize>,
}

impl<'a> PatternSet<'a> {
    /// Combines the first [`MAX_PATTERNS`] rules' patterns. A regex that does not compile
    /// never matches (such a rule would fail the build; candidates are ctxsize's own).
    pub fn new(rules: &'a RuleSet) -> PatternSet<'a> {
        let mut exact: FxHashMap<Vec<u8>, Bits> = FxHashMap::default();
        let mut last_component: FxHashMap<Vec<u8>, Bits> = FxHashMap::default();
        let mut simple = Vec::new();
        let mut sources = Vec::new();
        let mut regex_rules = Vec::new();
        for (index, rule) in rules.rules().iter().enumerate().take(MAX_PATTERNS) {
            if rule.pattern().kind() == Kind::Regex {
                if let Ok(translated) = re2::translate(rule.pattern().go_regex()) {
                    sources.push(translated);
                    regex_rules.push(index);
                }
            } else if rule.pattern().kind() == Kind::Exact {
                exact.entry(rule.pattern().text().to_vec()).or_default().set(index);
            } else if let Some(name) = single_component_suffix(rule.pattern().text()) {
                last_component.entry(name.to_vec()).or_default().set(index);
            } else {
                simple.push(index);
            }
        }
        let regexes = RegexSet::new(&sources).unwrap_or_else(|_| {
            regex_rules.clear();
            RegexSet::empty()
        });
        PatternSet { rules, exact, last_component, simple, regexes, regex_rules }
    }

    /// The patterns (bit `i` for rule `i`) that match `path`, among those not in `known`.
    pub fn matching(&self, path: &[u8], known: Bits) -> Bits {
        let mut bits = self.exact.get(path).copied().unwrap_or_default();
        let name = path.rsplit(|&b| b == b'/').next().unwrap_or(path);
        bits |= self.last_component.get(name).copied().unwrap_or_default();
        for &index in &self.simple {
            if !known.get(index)
                && self.rules.rules()[index].pattern().matches(path).unwrap_or(false)
            {
                bits.set(index);
            }
        }
        if !self.regex_rules.is_empty() && self.regex_rules.iter().any(|&i| !known.get(i)) {
            let subject = match std::str::from_utf8(path) {
                Ok(text) => std::borrow::Cow::Borrowed(text),
                Err(_) => std::borrow::Cow::Owned(lossy_per_byte(path)),
            };
            for slot in self.regexes.matches(&subject).iter() {
                bits.set(self.regex_rules[slot]);
            }
        }
        bits & !known
    }
}

/// For a suffix pattern `**/name` (text `**/name`, `name` without `/`), that name.
fn single_component_suffix(text: &[u8]) -> Option<&[u8]> {
    let name = text.strip_prefix(b"**/")?;
    (!name.is_empty() && !name.contains(&b'/')).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_matching_each_pattern() {
        let rules = RuleSet::from_ignore_file(
            b"**/node_modules\n**/a/b\n**x\na\n*.log\n**/*.py[co]\nbuild**\n.env\n**/.env.*\na|b*\n*.{js,ts}\n**/a/b\n**x\n.env\na\n",
        )
        .unwrap();
        let set = PatternSet::new(&rules);
        let paths: &[&[u8]] = &[
            b"node_modules",
            b"a/node_modules",
            b"x.log",
            b"d/x.log",
            b"m.pyc",
            b"d/m.pyo",
            b"builder",
            b"x/a/b",
            b"a/b",
            b"ab",
            b"yx",
            b"q/node_modules/z",
            b".env",
            b"s/.env.prod",
            b"a",
            b"bx",
            b"a.{js,ts}",
            b"a.js",
            b"caf\xe9.log",
        ];
        for path in paths {
            let mut want = Bits::EMPTY;
            for (i, rule) in rules.rules().iter().enumerate() {
                if rule.pattern().matches(path).unwrap() {
                    want.set(i);
                }
            }
            assert_eq!(set.matching(path, Bits::EMPTY), want, "{}", String::from_utf8_lossy(path));
            assert_eq!(set.matching(path, want), Bits::EMPTY);
        }
    }
}
