//! What `check --deny`/`--warn` and `ctxsize.toml`'s `deny`/`warn` can name: the
//! categories of shipped bytes, and `lint`. One table holds each item's name, category and
//! nouns, so adding an item is adding a row.

use std::fmt;
use std::str::FromStr;

use crate::scan::categories::Category;

/// What `--deny`/`--warn` can name: a category of shipped bytes (see
/// [`Category`]), or `lint` (the ignore file's lint findings).
///
/// Names, as accepted by [`DenyItem::from_name`]: `secrets`, `vcs`, `deps`, `build`,
/// `caches`, `logs`, `lint`, `test`, `junk`, `large`. Everything known about an item is in
/// one row of [`DENY_ITEMS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DenyItem {
    Secrets,
    Vcs,
    Deps,
    Build,
    Caches,
    Logs,
    Lint,
    TestOutput,
    EditorJunk,
    LargeBinaries,
}

/// One row of [`DENY_ITEMS`].
#[derive(Debug)]
struct DenyItemFacts {
    item: DenyItem,
    /// The name on the command line and in `ctxsize.toml`.
    name: &'static str,
    /// The category of shipped bytes; `None` for `lint`.
    category: Option<Category>,
    /// One file of the item, in a sentence: "a secret ships".
    one: &'static str,
    /// Several files of the item: "3 secrets ship".
    many: &'static str,
}

/// Every deny item, in declaration order (a test checks that row `i` is the item `i`).
#[rustfmt::skip]
const DENY_ITEMS: [DenyItemFacts; 10] = {
    use Category as C;
    use DenyItem as D;
    const fn row(
        item: DenyItem, name: &'static str, category: Option<Category>, one: &'static str,
        many: &'static str,
    ) -> DenyItemFacts {
        DenyItemFacts { item, name, category, one, many }
    }
    [
        row(D::Secrets, "secrets", Some(C::Secrets), "secret", "secrets"),
        row(D::Vcs, "vcs", Some(C::Vcs), "VCS file", "VCS files"),
        row(D::Deps, "deps", Some(C::Dependencies), "dependency file", "dependency files"),
        row(D::Build, "build", Some(C::BuildOutput), "build output file", "build output files"),
        row(D::Caches, "caches", Some(C::Caches), "cache file", "cache files"),
        row(D::Logs, "logs", Some(C::Logs), "log file", "log files"),
        row(D::Lint, "lint", None, "lint finding", "lint findings"),
        row(D::TestOutput, "test", Some(C::TestOutput), "test or coverage file", "test or coverage files"),
        row(D::EditorJunk, "junk", Some(C::EditorJunk), "editor or OS junk file", "editor or OS junk files"),
        row(D::LargeBinaries, "large", Some(C::LargeBinaries), "large binary or media file", "large binaries or media files"),
    ]
};

impl DenyItem {
    /// Every item, in the order of [`DenyItem::NAMES`].
    pub const ALL: [DenyItem; 10] = {
        let mut all = [DenyItem::Secrets; 10];
        let mut i = 0;
        while i < DENY_ITEMS.len() {
            all[i] = DENY_ITEMS[i].item;
            i += 1;
        }
        all
    };

    /// The accepted names, for help texts.
    pub const NAMES: &'static str =
        "secrets, vcs, deps, build, caches, logs, lint, test, junk, large";

    fn facts(self) -> &'static DenyItemFacts {
        &DENY_ITEMS[self as usize]
    }

    /// The item's name on the command line and in `ctxsize.toml`.
    pub fn name(self) -> &'static str {
        self.facts().name
    }

    /// The item of a name; exactly one of [`DenyItem::NAMES`] (case matters).
    pub fn from_name(name: &str) -> Result<DenyItem, UnknownDenyItem> {
        DENY_ITEMS
            .iter()
            .find(|facts| facts.name == name)
            .map(|facts| facts.item)
            .ok_or_else(|| UnknownDenyItem { name: name.to_owned() })
    }

    /// A comma-separated list (`secrets,vcs`; blanks around names are ignored, an empty
    /// list is allowed), without duplicates, in the order given.
    pub fn parse_list(list: &str) -> Result<Vec<DenyItem>, UnknownDenyItem> {
        let mut items = Vec::new();
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            push_unique(&mut items, DenyItem::from_name(name)?);
        }
        Ok(items)
    }

    /// The category of shipped bytes the item stands for; `None` for `lint`.
    pub fn category(self) -> Option<Category> {
        self.facts().category
    }

    /// One file of the item, in a sentence: "a secret ships".
    pub(crate) fn one(self) -> &'static str {
        self.facts().one
    }

    /// Several files of the item: "3 secrets ship".
    pub(crate) fn many(self) -> &'static str {
        self.facts().many
    }
}

impl fmt::Display for DenyItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for DenyItem {
    type Err = UnknownDenyItem;
    fn from_str(name: &str) -> Result<DenyItem, UnknownDenyItem> {
        DenyItem::from_name(name)
    }
}

/// A name that is not one of [`DenyItem::NAMES`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown category `{name}` (known: {})", DenyItem::NAMES)]
pub struct UnknownDenyItem {
    pub name: String,
}

/// Adds `item` unless the list has it: lists keep the order given, without duplicates.
pub(super) fn push_unique(items: &mut Vec<DenyItem>, item: DenyItem) {
    if !items.contains(&item) {
        items.push(item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deny_names_are_exactly_the_documented_ones() {
        let names: Vec<&str> = DenyItem::ALL.iter().map(|i| i.name()).collect();
        assert_eq!(names.join(", "), DenyItem::NAMES);
        for item in DenyItem::ALL {
            assert_eq!(DenyItem::from_name(item.name()), Ok(item));
            assert_eq!(item.name().parse::<DenyItem>(), Ok(item));
        }
        assert_eq!(DenyItem::from_name("deps"), Ok(DenyItem::Deps));
        assert_eq!(DenyItem::from_name("test"), Ok(DenyItem::TestOutput));
        assert_eq!(DenyItem::from_name("junk"), Ok(DenyItem::EditorJunk));
        assert_eq!(DenyItem::from_name("large"), Ok(DenyItem::LargeBinaries));
        // Not category names, not other spellings.
        for wrong in ["dependencies", "Secrets", "secret", " vcs", "", "other", "build_output"] {
            assert!(DenyItem::from_name(wrong).is_err(), "{wrong:?} accepted");
        }
    }

    #[test]
    fn the_deny_item_table_is_in_declaration_order() {
        for (i, facts) in DENY_ITEMS.iter().enumerate() {
            assert_eq!(facts.item as usize, i, "{facts:?}");
            assert_eq!(DenyItem::ALL[i], facts.item);
        }
        assert_eq!(DenyItem::Secrets.one(), "secret");
        assert_eq!(DenyItem::LargeBinaries.many(), "large binaries or media files");
    }

    #[test]
    fn unknown_deny_name_lists_the_known_ones() {
        let error = DenyItem::from_name("node_modules").unwrap_err().to_string();
        assert_eq!(
            error,
            "unknown category `node_modules` (known: secrets, vcs, deps, build, caches, logs, \
             lint, test, junk, large)"
        );
    }

    #[test]
    fn deny_lists_split_on_commas() {
        assert_eq!(
            DenyItem::parse_list("secrets, vcs,deps,secrets"),
            Ok(vec![DenyItem::Secrets, DenyItem::Vcs, DenyItem::Deps])
        );
        assert_eq!(DenyItem::parse_list(""), Ok(vec![]));
        assert_eq!(
            DenyItem::parse_list("lint,,large"),
            Ok(vec![DenyItem::Lint, DenyItem::LargeBinaries])
        );
        let error = DenyItem::parse_list("secrets,cache").unwrap_err();
        assert_eq!(error.name, "cache");
    }

    #[test]
    fn items_map_to_categories() {
        assert_eq!(DenyItem::Deps.category(), Some(Category::Dependencies));
        assert_eq!(DenyItem::TestOutput.category(), Some(Category::TestOutput));
        assert_eq!(DenyItem::Lint.category(), None);
        // Every category but `other` can be denied, each by one item.
        let mut categories: Vec<Category> =
            DenyItem::ALL.iter().filter_map(|i| i.category()).collect();
        categories.sort();
        let expected: Vec<Category> =
            Category::ALL.into_iter().filter(|&c| c != Category::Other).collect();
        assert_eq!(categories, expected);
    }
}
