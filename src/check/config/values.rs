//! The value types of `ctxsize.toml`, read by serde: each accepts the TOML types it takes
//! and says what it expects, so that a wrong value reads `expected …, found …`.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

use super::{DenyItem, Format};
use crate::check::deny::push_unique;
use crate::check::growth::{GrowthLimit, MaxGrowth};
use crate::scan::allow::AllowList;

/// A value of `ctxsize.toml`, read by serde through [`ValueVisitor`]: each type accepts the
/// TOML types it takes and says what it expects; every other type is an error
/// `expected …, found …` that shows the value found.
trait ConfigValue: Sized {
    /// What the key takes, as in "expected a list such as [\"secrets\"]".
    const EXPECTED: &'static str;

    fn from_str(text: &str) -> Result<Self, String> {
        Err(mismatch::<Self>(&format!("\"{}\"", text.escape_debug())))
    }

    fn from_integer(number: i64) -> Result<Self, String> {
        Err(mismatch::<Self>(&number.to_string()))
    }

    fn from_bool(_: bool) -> Result<Self, String> {
        Err(mismatch::<Self>("a boolean"))
    }

    fn from_array<'de, A: SeqAccess<'de>>(_: A) -> Result<Self, A::Error> {
        Err(de::Error::custom(mismatch::<Self>("an array")))
    }
}

/// `expected …, found …` for a value of the wrong TOML type.
fn mismatch<T: ConfigValue>(found: &str) -> String {
    format!("{}, found {found}", T::EXPECTED)
}

/// Reads any TOML value into a [`ConfigValue`].
struct ValueVisitor<T>(PhantomData<T>);

impl<'de, T: ConfigValue> Visitor<'de> for ValueVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTED)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        T::from_str(text).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<T, E> {
        T::from_integer(number).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<T, E> {
        let number =
            i64::try_from(number).map_err(|_| E::custom(mismatch::<T>("a huge number")))?;
        self.visit_i64(number)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<T, E> {
        T::from_bool(value).map_err(E::custom)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<T, E> {
        Err(E::custom(mismatch::<T>("a float")))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        T::from_array(seq)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, _: A) -> Result<T, A::Error> {
        // A datetime arrives as a map too.
        Err(de::Error::custom(mismatch::<T>("a table or a date")))
    }
}

/// `Deserialize` through [`ValueVisitor`] for each [`ConfigValue`].
macro_rules! deserialize_as_config_value {
    ($($type:ty),*) => {$(
        impl<'de> Deserialize<'de> for $type {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<$type, D::Error> {
                deserializer.deserialize_any(ValueVisitor(PhantomData))
            }
        }
    )*};
}

deserialize_as_config_value!(SizeLimit, FileCount, ItemList, DenyItem, Format, Switch);
deserialize_as_config_value!(AllowPatterns, AllowPattern, GrowthLimits, GrowthLimit, BaselinePath);

/// `max-size`: a size as everywhere else in ctxsize (`"200MB"`), or a number of bytes.
#[derive(Debug)]
pub(super) struct SizeLimit(pub(super) u64);

impl ConfigValue for SizeLimit {
    const EXPECTED: &'static str = "expected a size such as \"200MB\" or a number of bytes";

    fn from_str(text: &str) -> Result<SizeLimit, String> {
        parse_size(text).map(SizeLimit)
    }

    fn from_integer(number: i64) -> Result<SizeLimit, String> {
        u64::try_from(number).map(SizeLimit).map_err(|_| "must not be negative".to_owned())
    }
}

/// `max-files`: a whole number, 0 or more.
#[derive(Debug)]
pub(super) struct FileCount(pub(super) u64);

impl ConfigValue for FileCount {
    const EXPECTED: &'static str = "expected a whole number of files (0 or more)";

    fn from_integer(number: i64) -> Result<FileCount, String> {
        u64::try_from(number).map(FileCount).map_err(|_| mismatch::<FileCount>(&number.to_string()))
    }
}

/// `deny`, `warn`: a list of names, without duplicates; a wrong element is reported at its
/// own line.
#[derive(Debug)]
pub(super) struct ItemList(pub(super) Vec<DenyItem>);

impl ConfigValue for ItemList {
    const EXPECTED: &'static str = "expected a list such as [\"secrets\", \"vcs\"]";

    fn from_array<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<ItemList, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<DenyItem>()? {
            push_unique(&mut items, item);
        }
        Ok(ItemList(items))
    }
}

impl ConfigValue for DenyItem {
    const EXPECTED: &'static str =
        "expected names (secrets, vcs, deps, build, caches, logs, lint, test, junk, large)";

    fn from_str(name: &str) -> Result<DenyItem, String> {
        DenyItem::from_name(name).map_err(|error| error.to_string())
    }
}

impl ConfigValue for Format {
    const EXPECTED: &'static str = "expected one of text, json, sarif, github";

    fn from_str(name: &str) -> Result<Format, String> {
        Format::from_name(name).map_err(|error| error.to_string())
    }
}

/// `whole-context`: true or false.
#[derive(Debug)]
pub(super) struct Switch(pub(super) bool);

impl ConfigValue for Switch {
    const EXPECTED: &'static str = "expected true or false";

    fn from_bool(value: bool) -> Result<Switch, String> {
        Ok(Switch(value))
    }
}

/// `max-growth`: one limit (`"10%"`, `"5MB"`) or a list of them; with several, the larger
/// allowance applies.
#[derive(Debug)]
pub(super) struct GrowthLimits(pub(super) MaxGrowth);

impl ConfigValue for GrowthLimits {
    const EXPECTED: &'static str =
        "expected a share or a size such as \"10%\" or \"5MB\", or a list of them";

    fn from_str(text: &str) -> Result<GrowthLimits, String> {
        GrowthLimit::parse(text).map(|limit| GrowthLimits(MaxGrowth(vec![limit])))
    }

    fn from_array<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<GrowthLimits, A::Error> {
        let mut limits = Vec::new();
        while let Some(limit) = seq.next_element::<GrowthLimit>()? {
            limits.push(limit);
        }
        if limits.is_empty() {
            return Err(de::Error::custom("an empty list allows nothing: give at least one limit"));
        }
        Ok(GrowthLimits(MaxGrowth(limits)))
    }
}

impl ConfigValue for GrowthLimit {
    const EXPECTED: &'static str = GrowthLimits::EXPECTED;

    fn from_str(text: &str) -> Result<GrowthLimit, String> {
        GrowthLimit::parse(text)
    }
}

/// `baseline`: the baseline file, relative to the settings file.
#[derive(Debug)]
pub(super) struct BaselinePath(pub(super) std::path::PathBuf);

impl ConfigValue for BaselinePath {
    const EXPECTED: &'static str = "expected a file name such as \".ctxsize-baseline.json\"";

    fn from_str(text: &str) -> Result<BaselinePath, String> {
        if text.is_empty() {
            return Err("an empty name: give the file, such as \".ctxsize-baseline.json\"".into());
        }
        Ok(BaselinePath(text.into()))
    }
}

/// `allow`: paths or globs; each is compiled alone first, so that an error names its line.
#[derive(Debug)]
pub(super) struct AllowPatterns(pub(super) AllowList);

/// One element of `allow`, checked.
#[derive(Debug)]
struct AllowPattern(String);

impl ConfigValue for AllowPatterns {
    const EXPECTED: &'static str = "expected paths or globs such as [\"config/master.key\"]";

    fn from_array<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<AllowPatterns, A::Error> {
        let mut patterns = Vec::new();
        while let Some(AllowPattern(pattern)) = seq.next_element()? {
            patterns.push(pattern);
        }
        AllowList::new(&patterns).map(AllowPatterns).map_err(de::Error::custom)
    }
}

impl ConfigValue for AllowPattern {
    const EXPECTED: &'static str = AllowPatterns::EXPECTED;

    fn from_str(pattern: &str) -> Result<AllowPattern, String> {
        AllowList::new(&[pattern]).map_err(|error| error.to_string())?;
        Ok(AllowPattern(pattern.to_owned()))
    }
}

/// Parses a size as everywhere else in ctxsize (`200MB`, `1.5GiB`, `512k`, `4096`); the
/// message names the value for the `bad value` error.
pub(super) fn parse_size(text: &str) -> Result<u64, String> {
    use crate::size::ParseSizeErrorKind;
    crate::size::parse_size(text).map_err(|error| match error.kind {
        ParseSizeErrorKind::TooLarge => format!("size \"{}\" is too large", text.escape_debug()),
        _ => format!(
            "invalid size \"{}\": expected a number and a unit such as 200MB, 1.5GiB or 512k",
            text.escape_debug()
        ),
    })
}
