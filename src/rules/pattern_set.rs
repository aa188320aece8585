//! Many patterns tested on one path in a single pass, for probing candidate rules.
//!
//! Exact, prefix and suffix patterns and plain component globs (`**/*.pem`) are byte
//! comparisons; the other regex-kind patterns are combined into one `RegexSet` per depth, so a
//! path is scanned once however many candidates there are.

use regex::RegexSet;
use rustc_hash::FxHashMap;

use crate::bits::Bits;

use super::path;
use super::pattern::{Kind, lossy_per_byte};
use super::star_glob::{Anchor, StarGlob, split_name};
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
    /// Plain component globs of the form `*.ext` (`**/*.pem`), by extension.
    extensions: FxHashMap<Vec<u8>, Vec<(usize, &'a StarGlob)>>,
    /// The other plain component globs, by a byte a name must start or end with to match
    /// them, so a path meets only a few.
    star_globs: FxHashMap<Anchor, Vec<(usize, &'a StarGlob)>>,
    /// Regex patterns grouped by the number of `/` a path they match must have (`None`: any
    /// number), so a path only meets the regexes that can match at its depth.
    regexes: Vec<RegexGroup>,
}

struct RegexGroup {
    depth: Option<usize>,
    set: RegexSet,
    /// The rule index of each regex in `set`.
    rules: Vec<usize>,
    /// The same indexes as bits, to skip the group when all are known.
    all: Bits,
}

/// The number of `/` every path a regex-kind pattern matches has, when that is fixed: `*` and
/// `?` never match `/`, so only `**`, classes (which may hold `/`), escapes and regex syntax
/// that leaks through (`|`, `{n}`) can change it.
fn fixed_depth(text: &[u8]) -> Option<usize> {
    let free = text.windows(2).any(|w| w == b"**") || text.iter().any(|b| b"[]\\|{}".contains(b));
    (!free).then(|| path::depth(text))
}

impl<'a> PatternSet<'a> {
    /// Combines the first [`MAX_PATTERNS`] rules' patterns. A regex that does not compile
    /// never matches (such a rule would fail the build; candidates are ctxsize's own).
    pub fn new(rules: &'a RuleSet) -> PatternSet<'a> {
        let mut exact: FxHashMap<Vec<u8>, Bits> = FxHashMap::default();
        let mut last_component: FxHashMap<Vec<u8>, Bits> = FxHashMap::default();
        let mut simple = Vec::new();
        let mut extensions: FxHashMap<Vec<u8>, Vec<(usize, &StarGlob)>> = FxHashMap::default();
        let mut star_globs: FxHashMap<Anchor, Vec<(usize, &StarGlob)>> = FxHashMap::default();
        let mut grouped: Vec<(Option<usize>, Vec<String>, Vec<usize>)> = Vec::new();
        for (index, rule) in rules.rules().iter().enumerate().take(MAX_PATTERNS) {
            let pattern = rule.pattern();
            let text = pattern.text();
            match pattern.kind() {
                Kind::Exact => exact.entry(text.to_vec()).or_default().set(index),
                Kind::Suffix if let Some(name) = single_component_suffix(text) => {
                    last_component.entry(name.to_vec()).or_default().set(index);
                }
                Kind::Regex if let Some(globs) = pattern.star_globs() => {
                    for glob in globs {
                        match glob.extension() {
                            Some(ext) => extensions.entry(ext.to_vec()).or_default(),
                            None => star_globs.entry(glob.anchor()).or_default(),
                        }
                        .push((index, glob));
                    }
                }
                Kind::Regex => {
                    let Ok(translated) = re2::translate(pattern.go_regex()) else { continue };
                    let depth = fixed_depth(text);
                    match grouped.iter_mut().find(|(d, _, _)| *d == depth) {
                        Some((_, sources, indexes)) => {
                            sources.push(translated);
                            indexes.push(index);
                        }
                        None => grouped.push((depth, vec![translated], vec![index])),
                    }
                }
                _ => simple.push(index),
            }
        }
        let regexes = grouped
            .into_iter()
            .filter_map(|(depth, sources, rules)| {
                let all = rules.iter().fold(Bits::EMPTY, |mut all, &i| {
                    all.set(i);
                    all
                });
                RegexSet::new(&sources).ok().map(|set| RegexGroup { depth, set, rules, all })
            })
            .collect();
        PatternSet { rules, exact, last_component, simple, extensions, star_globs, regexes }
    }

    /// The patterns (bit `i` for rule `i`) that match `path`, among those not in `known`.
    pub fn matching(&self, path: &[u8], known: Bits) -> Bits {
        // Every lookup hashes the path or a part of it: skip the empty tables.
        let lookup = |table: &FxHashMap<Vec<u8>, Bits>, key: &[u8]| {
            if table.is_empty() { Bits::EMPTY } else { table.get(key).copied().unwrap_or_default() }
        };
        let (name, place) = split_name(path);
        let mut bits = lookup(&self.exact, path) | lookup(&self.last_component, name);
        for &index in &self.simple {
            if !known.get(index)
                && self.rules.rules()[index].pattern().matches(path).unwrap_or(false)
            {
                bits.set(index);
            }
        }
        if !self.extensions.is_empty() || !self.star_globs.is_empty() {
            let extension = path::extension(name);
            let globs = [
                extension.and_then(|ext| self.extensions.get(ext)),
                name.first().and_then(|&byte| self.star_globs.get(&Anchor::First(byte))),
                name.last().and_then(|&byte| self.star_globs.get(&Anchor::Last(byte))),
                self.star_globs.get(&Anchor::None),
            ];
            for &(index, glob) in globs.into_iter().flatten().flatten() {
                // An extension glob needs no more test than its place.
                if glob.applies_to(place) && (glob.extension().is_some() || glob.matches_name(name))
                {
                    bits.set(index);
                }
            }
        }
        if self.regexes.is_empty() {
            return bits & !known;
        }
        let depth = path::depth(path);
        let mut subject = None;
        for group in &self.regexes {
            if group.depth.is_some_and(|d| d != depth) || (group.all & !known).is_empty() {
                continue;
            }
            let subject = subject.get_or_insert_with(|| match std::str::from_utf8(path) {
                Ok(text) => std::borrow::Cow::Borrowed(text),
                Err(_) => std::borrow::Cow::Owned(lossy_per_byte(path)),
            });
            for slot in group.set.matches(subject).iter() {
                bits.set(group.rules[slot]);
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
            b"**/node_modules\n**/a/b\n**x\na\n*/x\na/*/c\n[a/]*\n*.log\n**/*.py[co]\nbuild**\n.env\n**/.env.*\na|b*\n*.{js,ts}\n**/a/b\n**x\n.env\na\n",
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
            b"d/x",
            b"q/d/x",
            b"a/b/c",
            b"a/c",
            b"/x",
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
