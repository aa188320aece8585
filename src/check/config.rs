//! Settings of `ctxsize check`: the `[check]` table of `ctxsize.toml` at the context root,
//! the command-line flags over it, and the defaults under both.
//!
//! ```toml
//! [check]
//! max-size = "200MB"          # or a number of bytes
//! max-files = 50000
//! deny = ["secrets", "vcs"]   # fail when these ship
//! warn = ["deps"]             # report these, do not fail
//! format = "github"           # text, json, sarif, github
//! allow = ["config/master.key"] # shipped on purpose: not a violation, listed as allowed
//! ```

use std::fmt;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use toml::de::{DeTable, DeValue};

use super::allow::AllowList;
use crate::scan::categories::Category;

/// The settings file, at the context root.
pub const CONFIG_FILE: &str = "ctxsize.toml";

/// What `check` enforces, after flags, file and defaults are merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckSettings {
    /// Fail when more bytes than this ship.
    pub max_size: Option<u64>,
    /// Fail when more files than this ship.
    pub max_files: Option<u64>,
    /// Fail when any of these ship.
    pub deny: Vec<DenyItem>,
    /// Report these, without failing. Never holds an item of `deny`.
    pub warn: Vec<DenyItem>,
    pub format: Format,
    /// Judge the whole filtered context (what `COPY . .` ships) instead of what the
    /// Dockerfile makes BuildKit transfer.
    pub whole_context: bool,
    /// Files shipped on purpose: neither violations nor warnings, listed as allowed.
    pub allow: AllowList,
}

/// What `--deny`/`--warn` can name: a category of shipped bytes (see
/// [`Category`]), or `lint` (the ignore file's lint findings).
///
/// Names, as accepted by [`DenyItem::from_name`]: `secrets`, `vcs`, `deps`, `build`,
/// `caches`, `logs`, `lint`, `test`, `junk`, `large`.
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

impl DenyItem {
    /// Every item, in the order of [`DenyItem::NAMES`].
    pub const ALL: [DenyItem; 10] = [
        DenyItem::Secrets,
        DenyItem::Vcs,
        DenyItem::Deps,
        DenyItem::Build,
        DenyItem::Caches,
        DenyItem::Logs,
        DenyItem::Lint,
        DenyItem::TestOutput,
        DenyItem::EditorJunk,
        DenyItem::LargeBinaries,
    ];

    /// The accepted names, for help texts.
    pub const NAMES: &'static str =
        "secrets, vcs, deps, build, caches, logs, lint, test, junk, large";

    /// The item's name on the command line and in `ctxsize.toml`.
    pub fn name(self) -> &'static str {
        match self {
            DenyItem::Secrets => "secrets",
            DenyItem::Vcs => "vcs",
            DenyItem::Deps => "deps",
            DenyItem::Build => "build",
            DenyItem::Caches => "caches",
            DenyItem::Logs => "logs",
            DenyItem::Lint => "lint",
            DenyItem::TestOutput => "test",
            DenyItem::EditorJunk => "junk",
            DenyItem::LargeBinaries => "large",
        }
    }

    /// The item of a name; exactly one of [`DenyItem::NAMES`] (case matters).
    pub fn from_name(name: &str) -> Result<DenyItem, UnknownDenyItem> {
        DenyItem::ALL
            .into_iter()
            .find(|item| item.name() == name)
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
        Some(match self {
            DenyItem::Secrets => Category::Secrets,
            DenyItem::Vcs => Category::Vcs,
            DenyItem::Deps => Category::Dependencies,
            DenyItem::Build => Category::BuildOutput,
            DenyItem::Caches => Category::Caches,
            DenyItem::Logs => Category::Logs,
            DenyItem::Lint => return None,
            DenyItem::TestOutput => Category::TestOutput,
            DenyItem::EditorJunk => Category::EditorJunk,
            DenyItem::LargeBinaries => Category::LargeBinaries,
        })
    }

    /// One file of the item, in a sentence: "a secret ships".
    pub(crate) fn one(self) -> &'static str {
        match self {
            DenyItem::Secrets => "secret",
            DenyItem::Vcs => "VCS file",
            DenyItem::Deps => "dependency file",
            DenyItem::Build => "build output file",
            DenyItem::Caches => "cache file",
            DenyItem::Logs => "log file",
            DenyItem::Lint => "lint finding",
            DenyItem::TestOutput => "test or coverage file",
            DenyItem::EditorJunk => "editor or OS junk file",
            DenyItem::LargeBinaries => "large binary or media file",
        }
    }

    /// Several files of the item: "3 secrets ship".
    pub(crate) fn many(self) -> &'static str {
        match self {
            DenyItem::Secrets => "secrets",
            DenyItem::Vcs => "VCS files",
            DenyItem::Deps => "dependency files",
            DenyItem::Build => "build output files",
            DenyItem::Caches => "cache files",
            DenyItem::Logs => "log files",
            DenyItem::Lint => "lint findings",
            DenyItem::TestOutput => "test or coverage files",
            DenyItem::EditorJunk => "editor or OS junk files",
            DenyItem::LargeBinaries => "large binaries or media files",
        }
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

/// How `check` writes its verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Format {
    /// One line per finding and a summary, for people.
    #[default]
    Text,
    /// One JSON object (schema_version 2).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…::…`), then the summary.
    Github,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Text, Format::Json, Format::Sarif, Format::Github];
    pub const NAMES: &'static str = "text, json, sarif, github";

    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
        }
    }

    pub fn from_name(name: &str) -> Result<Format, UnknownFormat> {
        Format::ALL
            .into_iter()
            .find(|format| format.name() == name)
            .ok_or_else(|| UnknownFormat { name: name.to_owned() })
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = UnknownFormat;
    fn from_str(name: &str) -> Result<Format, UnknownFormat> {
        Format::from_name(name)
    }
}

/// A name that is not one of [`Format::NAMES`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format `{name}` (known: {})", Format::NAMES)]
pub struct UnknownFormat {
    pub name: String,
}

/// What `ctxsize.toml` sets; `None` where it says nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileSettings {
    /// The file read.
    pub path: PathBuf,
    pub max_size: Option<u64>,
    pub max_files: Option<u64>,
    pub deny: Option<Vec<DenyItem>>,
    pub warn: Option<Vec<DenyItem>>,
    pub format: Option<Format>,
    pub whole_context: Option<bool>,
    pub allow: Option<AllowList>,
}

/// What the command line sets; `None` where no flag was given. `Some(vec![])` for
/// `deny`/`warn` clears the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlagSettings {
    pub max_size: Option<u64>,
    pub max_files: Option<u64>,
    pub deny: Option<Vec<DenyItem>>,
    pub warn: Option<Vec<DenyItem>>,
    pub format: Option<Format>,
    pub whole_context: Option<bool>,
    pub allow: Option<AllowList>,
}

/// Why `ctxsize.toml` cannot be used. Every message names the file (and the line and key
/// when there is one).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: cannot read: {cause}", path.display())]
    Read { path: PathBuf, cause: io::Error },
    #[error("{}:{line}: invalid TOML: {message}", path.display())]
    Syntax { path: PathBuf, line: usize, message: String },
    #[error("{}:{line}: unknown key `{key}`{hint} (known: {known})", path.display())]
    UnknownKey { path: PathBuf, line: usize, key: String, hint: String, known: &'static str },
    #[error("{}:{line}: bad value for `{key}`: {message}", path.display())]
    BadValue { path: PathBuf, line: usize, key: String, message: String },
}

/// Keys of the `[check]` table.
const CHECK_KEYS: &str = "max-size, max-files, deny, warn, format, whole-context, allow";
/// Keys of the top level.
const TOP_KEYS: &str = "check";

/// Reads `ctxsize.toml` at the context root: `Ok(None)` when there is none.
pub fn load(context_root: &Path) -> Result<Option<FileSettings>, ConfigError> {
    let path = context_root.join(CONFIG_FILE);
    let content = match std::fs::read(&path) {
        Ok(content) => content,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(cause) => return Err(ConfigError::Read { path, cause }),
    };
    let Ok(text) = String::from_utf8(content) else {
        return Err(ConfigError::Syntax { path, line: 1, message: "not valid UTF-8".into() });
    };
    parse(&text, path).map(Some)
}

/// Parses the text of a settings file; `path` is for messages.
pub fn parse(text: &str, path: PathBuf) -> Result<FileSettings, ConfigError> {
    let line = |span: Range<usize>| line_of(text, span.start);
    let root = match DeTable::parse(text) {
        Ok(root) => root.into_inner(),
        Err(error) => {
            let at = error.span().map_or(1, &line);
            let message = error.message().trim_end().replace('\n', "; ");
            return Err(ConfigError::Syntax { path, line: at, message });
        }
    };
    let mut settings = FileSettings::default();
    let bad = |span: Range<usize>, key: &str, message: String| ConfigError::BadValue {
        path: path.clone(),
        line: line(span),
        key: key.to_owned(),
        message,
    };
    let mut check = None;
    for (key, value) in in_file_order(&root) {
        match key.get_ref().as_ref() {
            "check" => match value.get_ref() {
                DeValue::Table(table) => check = Some(table),
                _ => return Err(bad(value.span(), "check", "must be a table: [check]".into())),
            },
            other => return Err(unknown(&path, line(key.span()), other, None)),
        }
    }
    let Some(check) = check else { return Ok(FileSettings { path, ..settings }) };
    for (key, value) in in_file_order(check) {
        let name = key.get_ref().as_ref();
        let full = format!("check.{name}");
        let span = value.span();
        let value = value.get_ref();
        match name {
            "max-size" => {
                settings.max_size = Some(match value {
                    DeValue::String(text) => {
                        parse_size(text).map_err(|message| bad(span, &full, message))?
                    }
                    DeValue::Integer(n) => u64::from_str_radix(n.as_str(), n.radix())
                        .map_err(|_| bad(span, &full, "must not be negative".into()))?,
                    _ => {
                        let message = format!(
                            "expected a size such as \"200MB\" or a number of bytes, found a {}",
                            value.type_str()
                        );
                        return Err(bad(span, &full, message));
                    }
                })
            }
            "max-files" => {
                let files = match value {
                    DeValue::Integer(n) => u64::from_str_radix(n.as_str(), n.radix()).ok(),
                    _ => None,
                };
                let Some(files) = files else {
                    let message = format!(
                        "expected a whole number of files (0 or more), found {}",
                        shown_value(value)
                    );
                    return Err(bad(span, &full, message));
                };
                settings.max_files = Some(files);
            }
            "deny" | "warn" => {
                let DeValue::Array(array) = value else {
                    let message = format!(
                        "expected a list such as [\"secrets\", \"vcs\"], found {}",
                        shown_value(value)
                    );
                    return Err(bad(span, &full, message));
                };
                let mut items = Vec::new();
                for element in array {
                    let item = match element.get_ref() {
                        DeValue::String(name) => {
                            DenyItem::from_name(name).map_err(|e| e.to_string())
                        }
                        other => Err(format!(
                            "expected names ({}), found {}",
                            DenyItem::NAMES,
                            shown_value(other)
                        )),
                    };
                    push_unique(&mut items, item.map_err(|m| bad(element.span(), &full, m))?);
                }
                if name == "deny" {
                    settings.deny = Some(items);
                } else {
                    settings.warn = Some(items);
                }
            }
            "format" => {
                let format = match value {
                    DeValue::String(name) => Format::from_name(name).map_err(|e| e.to_string()),
                    other => Err(format!(
                        "expected one of {}, found {}",
                        Format::NAMES,
                        shown_value(other)
                    )),
                };
                settings.format = Some(format.map_err(|message| bad(span, &full, message))?);
            }
            "whole-context" => {
                let DeValue::Boolean(whole) = value else {
                    let message = format!("expected true or false, found {}", shown_value(value));
                    return Err(bad(span, &full, message));
                };
                settings.whole_context = Some(*whole);
            }
            "allow" => {
                let expected = "expected paths or globs such as [\"config/master.key\"]";
                let DeValue::Array(array) = value else {
                    let message = format!("{expected}, found {}", shown_value(value));
                    return Err(bad(span, &full, message));
                };
                let mut patterns = Vec::new();
                for element in array {
                    let DeValue::String(pattern) = element.get_ref() else {
                        let message =
                            format!("{expected}, found {}", shown_value(element.get_ref()));
                        return Err(bad(element.span(), &full, message));
                    };
                    // One at a time, so that the error names the element's line.
                    AllowList::new(&[pattern.as_ref()])
                        .map_err(|error| bad(element.span(), &full, error.to_string()))?;
                    patterns.push(pattern.as_ref());
                }
                let list =
                    AllowList::new(&patterns).map_err(|e| bad(span, &full, e.to_string()))?;
                settings.allow = Some(list);
            }
            _ => {
                return Err(unknown(&path, line(key.span()), &full, Some(name)));
            }
        }
    }
    Ok(FileSettings { path, ..settings })
}

/// Merges the flags over the file over the defaults: each setting the flags give replaces
/// the file's, and each setting neither gives takes its default (no size or file limit;
/// deny `secrets`; warn `vcs`, `deps`; text; nothing allowed). An item in both lists is only
/// denied. `--allow` replaces the file's `allow`, as every flag replaces its key.
pub fn resolve(file: Option<FileSettings>, flags: FlagSettings) -> CheckSettings {
    let file = file.unwrap_or_default();
    let dedup = |list: Vec<DenyItem>| {
        let mut unique = Vec::with_capacity(list.len());
        for item in list {
            push_unique(&mut unique, item);
        }
        unique
    };
    let deny = dedup(flags.deny.or(file.deny).unwrap_or_else(|| vec![DenyItem::Secrets]));
    let mut warn =
        dedup(flags.warn.or(file.warn).unwrap_or_else(|| vec![DenyItem::Vcs, DenyItem::Deps]));
    warn.retain(|item| !deny.contains(item));
    CheckSettings {
        max_size: flags.max_size.or(file.max_size),
        max_files: flags.max_files.or(file.max_files),
        deny,
        warn,
        format: flags.format.or(file.format).unwrap_or_default(),
        whole_context: flags.whole_context.or(file.whole_context).unwrap_or(false),
        allow: flags.allow.or(file.allow).unwrap_or_default(),
    }
}

fn push_unique(items: &mut Vec<DenyItem>, item: DenyItem) {
    if !items.contains(&item) {
        items.push(item);
    }
}

fn unknown(path: &Path, line: usize, key: &str, in_check: Option<&str>) -> ConfigError {
    // `max_size` for `max-size`: say so.
    let hint = in_check
        .map(|name| name.replace('_', "-"))
        .filter(|dashed| CHECK_KEYS.split(", ").any(|k| k == dashed))
        .map(|dashed| format!(", did you mean `{dashed}`?"))
        .unwrap_or_default();
    ConfigError::UnknownKey {
        path: path.to_owned(),
        line,
        key: key.to_owned(),
        hint,
        known: if in_check.is_some() { CHECK_KEYS } else { TOP_KEYS },
    }
}

/// A table's entries in the order they are written, so that the first error is reported.
fn in_file_order<'a, 'i>(
    table: &'a DeTable<'i>,
) -> Vec<(&'a toml::Spanned<std::borrow::Cow<'i, str>>, &'a toml::Spanned<DeValue<'i>>)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count() + 1
}

/// A value in a message: strings quoted, other kinds named.
fn shown_value(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(text) => format!("\"{}\"", text.escape_debug()),
        DeValue::Integer(n) => format!("{n}"),
        other => format!("a {}", other.type_str()),
    }
}

/// Parses a size as everywhere else in ctxsize (`200MB`, `1.5GiB`, `512k`, `4096`); the
/// message names the value for the `bad value` error.
fn parse_size(text: &str) -> Result<u64, String> {
    use crate::size::ParseSizeErrorKind;
    crate::size::parse_size(text).map_err(|error| match error.kind {
        ParseSizeErrorKind::TooLarge => format!("size \"{}\" is too large", text.escape_debug()),
        _ => format!(
            "invalid size \"{}\": expected a number and a unit such as 200MB, 1.5GiB or 512k",
            text.escape_debug()
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> FileSettings {
        parse(text, PathBuf::from("ctx/ctxsize.toml")).unwrap()
    }

    fn parse_err(text: &str) -> String {
        parse(text, PathBuf::from("ctx/ctxsize.toml")).unwrap_err().to_string()
    }

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

    #[test]
    fn formats_parse_by_name() {
        for format in Format::ALL {
            assert_eq!(format.name().parse::<Format>(), Ok(format));
        }
        assert_eq!(Format::default(), Format::Text);
        assert_eq!(
            Format::from_name("xml").unwrap_err().to_string(),
            "unknown format `xml` (known: text, json, sarif, github)"
        );
    }

    #[test]
    fn sizes_in_si_and_iec_units() {
        assert_eq!(parse_size("200MB"), Ok(200_000_000));
        assert_eq!(parse_size("200mb"), Ok(200_000_000));
        assert_eq!(parse_size("200 MB"), Ok(200_000_000));
        assert_eq!(parse_size("1.5GiB"), Ok(1_610_612_736));
        assert_eq!(parse_size("1.5GB"), Ok(1_500_000_000));
        assert_eq!(parse_size("512k"), Ok(512_000));
        assert_eq!(parse_size("512Ki"), Ok(524_288));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("10B"), Ok(10));
        assert_eq!(parse_size("2T"), Ok(2_000_000_000_000));
        assert_eq!(parse_size("1PiB"), Ok(1 << 50));
        assert_eq!(parse_size("0.1KiB"), Ok(102));
        assert_eq!(parse_size("0"), Ok(0));
    }

    #[test]
    fn bad_sizes_are_errors() {
        for bad in ["", "MB", "-1MB", "1.2.3MB", "1.MB", ".5MB", "12 megabytes", "1e6", "5 MBB"] {
            assert!(parse_size(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(parse_size("18446744073709551615"), Ok(u64::MAX));
        assert!(parse_size("18446744073709551616").unwrap_err().contains("too large"));
        assert!(parse_size("20000000PB").unwrap_err().contains("too large"));
        assert!(parse_size("9".repeat(40).as_str()).unwrap_err().contains("too large"));
    }

    #[test]
    fn valid_file_sets_every_key() {
        let settings = parse_ok(
            "# gate\n[check]\nmax-size = \"200MB\"\nmax-files = 50_000\n\
             deny = [\"secrets\", \"vcs\"]\nwarn = [\"deps\", \"lint\"]\nformat = \"github\"\n",
        );
        assert_eq!(
            settings,
            FileSettings {
                path: PathBuf::from("ctx/ctxsize.toml"),
                max_size: Some(200_000_000),
                max_files: Some(50_000),
                deny: Some(vec![DenyItem::Secrets, DenyItem::Vcs]),
                warn: Some(vec![DenyItem::Deps, DenyItem::Lint]),
                format: Some(Format::Github),
                whole_context: None,
                allow: None,
            }
        );
        assert_eq!(parse_ok("[check]\nwhole-context = true\n").whole_context, Some(true));
        // A size may be a number of bytes.
        assert_eq!(parse_ok("[check]\nmax-size = 1024\n").max_size, Some(1024));
        // Nothing set, or no table: all `None`.
        assert_eq!(parse_ok("").max_size, None);
        assert_eq!(parse_ok("[check]\n").deny, None);
        assert_eq!(parse_ok("[check]\ndeny = []\n").deny, Some(vec![]));
    }

    #[test]
    fn load_reads_the_file_at_the_context_root() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load(dir.path()).unwrap().is_none());
        std::fs::write(dir.path().join(CONFIG_FILE), "[check]\nmax-files = 3\n").unwrap();
        let settings = load(dir.path()).unwrap().unwrap();
        assert_eq!(settings.max_files, Some(3));
        assert_eq!(settings.path, dir.path().join("ctxsize.toml"));
        std::fs::write(dir.path().join(CONFIG_FILE), b"[check]\nformat = \"\xff\"\n").unwrap();
        let error = load(dir.path()).unwrap_err().to_string();
        assert!(error.ends_with("ctxsize.toml:1: invalid TOML: not valid UTF-8"), "{error}");
    }

    #[test]
    fn a_directory_in_place_of_the_file_is_a_read_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(CONFIG_FILE)).unwrap();
        let error = load(dir.path()).unwrap_err();
        assert!(matches!(error, ConfigError::Read { .. }), "{error:?}");
        assert!(error.to_string().contains("ctxsize.toml: cannot read: "), "{error}");
    }

    #[test]
    fn unknown_keys_name_the_key_and_the_file() {
        assert_eq!(
            parse_err("[check]\nmax-size = \"1GB\"\nmax_files = 3\n"),
            "ctx/ctxsize.toml:3: unknown key `check.max_files`, did you mean `max-files`? \
             (known: max-size, max-files, deny, warn, format, whole-context, allow)"
        );
        assert_eq!(
            parse_err("[check]\nfail-on = [\"vcs\"]\n"),
            "ctx/ctxsize.toml:2: unknown key `check.fail-on` \
             (known: max-size, max-files, deny, warn, format, whole-context, allow)"
        );
        assert_eq!(
            parse_err("\n[checks]\nmax-files = 3\n"),
            "ctx/ctxsize.toml:2: unknown key `checks` (known: check)"
        );
        assert_eq!(
            parse_err("max-files = 3\n"),
            "ctx/ctxsize.toml:1: unknown key `max-files` (known: check)"
        );
    }

    #[test]
    fn the_first_error_in_the_file_is_reported() {
        // `deny` sorts before `max_files`, but comes after it in the file.
        assert!(
            parse_err("[check]\nmax_files = 3\ndeny = 1\n")
                .starts_with("ctx/ctxsize.toml:2: unknown key `check.max_files`")
        );
        assert!(
            parse_err("[zzz]\n[check]\ndeny = 1\n")
                .starts_with("ctx/ctxsize.toml:1: unknown key `zzz`")
        );
    }

    #[test]
    fn bad_values_name_the_file_the_line_and_the_key() {
        assert_eq!(
            parse_err("[check]\n\nmax-size = \"200 bananas\"\n"),
            "ctx/ctxsize.toml:3: bad value for `check.max-size`: invalid size \"200 bananas\": \
             expected a number and a unit such as 200MB, 1.5GiB or 512k"
        );
        assert_eq!(
            parse_err("[check]\nmax-size = -5\n"),
            "ctx/ctxsize.toml:2: bad value for `check.max-size`: must not be negative"
        );
        assert_eq!(
            parse_err("[check]\nmax-size = true\n"),
            "ctx/ctxsize.toml:2: bad value for `check.max-size`: expected a size such as \
             \"200MB\" or a number of bytes, found a boolean"
        );
        assert_eq!(
            parse_err("[check]\nmax-files = \"many\"\n"),
            "ctx/ctxsize.toml:2: bad value for `check.max-files`: expected a whole number of \
             files (0 or more), found \"many\""
        );
        assert_eq!(
            parse_err("[check]\nmax-files = -1\n"),
            "ctx/ctxsize.toml:2: bad value for `check.max-files`: expected a whole number of \
             files (0 or more), found -1"
        );
        assert_eq!(
            parse_err("[check]\ndeny = \"secrets,vcs\"\n"),
            "ctx/ctxsize.toml:2: bad value for `check.deny`: expected a list such as \
             [\"secrets\", \"vcs\"], found \"secrets,vcs\""
        );
        assert_eq!(
            parse_err("[check]\nwarn = [\n  \"deps\",\n  \"modules\",\n]\n"),
            "ctx/ctxsize.toml:4: bad value for `check.warn`: unknown category `modules` \
             (known: secrets, vcs, deps, build, caches, logs, lint, test, junk, large)"
        );
        assert_eq!(
            parse_err("[check]\ndeny = [1]\n"),
            "ctx/ctxsize.toml:2: bad value for `check.deny`: expected names (secrets, vcs, \
             deps, build, caches, logs, lint, test, junk, large), found 1"
        );
        assert_eq!(
            parse_err("[check]\nformat = \"xml\"\n"),
            "ctx/ctxsize.toml:2: bad value for `check.format`: unknown format `xml` \
             (known: text, json, sarif, github)"
        );
        assert_eq!(
            parse_err("check = 1\n"),
            "ctx/ctxsize.toml:1: bad value for `check`: must be a table: [check]"
        );
    }

    #[test]
    fn allow_takes_paths_and_globs() {
        let settings =
            parse_ok("[check]\nallow = [\n  \"config/master.key\",\n  \"certs/**/*.pem\",\n]\n");
        let allow = settings.allow.unwrap();
        assert_eq!(allow.patterns(), ["config/master.key", "certs/**/*.pem"]);
        assert!(allow.allows(b"config/master.key"));
        assert!(allow.allows(b"certs/a/b.pem"));
        assert!(!allow.allows(b"config/credentials/production.key"));
        assert_eq!(parse_ok("[check]\nallow = []\n").allow, Some(AllowList::default()));
        assert_eq!(parse_ok("[check]\n").allow, None);
    }

    #[test]
    fn bad_allow_values_name_the_file_and_the_line() {
        assert_eq!(
            parse_err("[check]\nallow = \"config/master.key\"\n"),
            "ctx/ctxsize.toml:2: bad value for `check.allow`: expected paths or globs such as \
             [\"config/master.key\"], found \"config/master.key\""
        );
        assert_eq!(
            parse_err("[check]\nallow = [\n  \"a.key\",\n  3,\n]\n"),
            "ctx/ctxsize.toml:4: bad value for `check.allow`: expected paths or globs such as \
             [\"config/master.key\"], found 3"
        );
        let error = parse_err("[check]\nallow = [\n  \"a.key\",\n  \"certs/[a-\",\n]\n");
        assert!(
            error.starts_with(
                "ctx/ctxsize.toml:4: bad value for `check.allow`: invalid glob \"certs/[a-\": "
            ),
            "{error}"
        );
        assert!(parse_err("[check]\nallow = [\"\"]\n").contains("names nothing"));
    }

    #[test]
    fn allow_flag_replaces_the_file_list() {
        let file = FileSettings {
            allow: Some(AllowList::new(&["config/master.key"]).unwrap()),
            ..FileSettings::default()
        };
        let from_file = resolve(Some(file.clone()), FlagSettings::default());
        assert_eq!(from_file.allow.patterns(), ["config/master.key"]);
        let flags = FlagSettings {
            allow: Some(AllowList::parse_list("certs/*.pem").unwrap()),
            ..FlagSettings::default()
        };
        assert_eq!(resolve(Some(file.clone()), flags).allow.patterns(), ["certs/*.pem"]);
        let cleared = FlagSettings { allow: Some(AllowList::default()), ..Default::default() };
        assert!(resolve(Some(file), cleared).allow.is_empty());
    }

    #[test]
    fn invalid_toml_names_the_file_and_line() {
        let error = parse_err("[check]\nmax-size = 200MB\n");
        assert!(error.starts_with("ctx/ctxsize.toml:2: invalid TOML: "), "{error}");
        assert!(!error.contains('\n'), "{error}");
    }

    #[test]
    fn defaults_without_file_or_flags() {
        let settings = resolve(None, FlagSettings::default());
        assert_eq!(
            settings,
            CheckSettings {
                max_size: None,
                max_files: None,
                deny: vec![DenyItem::Secrets],
                warn: vec![DenyItem::Vcs, DenyItem::Deps],
                format: Format::Text,
                whole_context: false,
                allow: AllowList::default(),
            }
        );
    }

    #[test]
    fn flags_override_the_file_key_by_key() {
        let file = FileSettings {
            path: PathBuf::from("ctxsize.toml"),
            max_size: Some(100),
            max_files: Some(10),
            deny: Some(vec![DenyItem::Vcs]),
            warn: Some(vec![DenyItem::Logs]),
            format: Some(Format::Github),
            whole_context: Some(true),
            allow: None,
        };
        let flags = FlagSettings {
            max_size: Some(200),
            deny: Some(vec![DenyItem::Lint, DenyItem::Logs]),
            format: Some(Format::Json),
            ..FlagSettings::default()
        };
        let settings = resolve(Some(file.clone()), flags);
        assert_eq!(settings.max_size, Some(200));
        assert_eq!(settings.max_files, Some(10), "unset flag keeps the file's value");
        assert_eq!(settings.deny, vec![DenyItem::Lint, DenyItem::Logs]);
        assert_eq!(settings.warn, vec![], "a denied item is not also a warning");
        assert_eq!(settings.format, Format::Json);

        let every_flag = FlagSettings {
            max_size: Some(1),
            max_files: Some(2),
            deny: Some(vec![DenyItem::Build]),
            warn: Some(vec![DenyItem::Caches]),
            format: Some(Format::Sarif),
            whole_context: Some(false),
            allow: None,
        };
        assert_eq!(
            resolve(Some(file.clone()), every_flag),
            CheckSettings {
                max_size: Some(1),
                max_files: Some(2),
                deny: vec![DenyItem::Build],
                warn: vec![DenyItem::Caches],
                format: Format::Sarif,
                whole_context: false,
                allow: AllowList::default(),
            }
        );

        let from_file = resolve(Some(file), FlagSettings::default());
        assert_eq!(from_file.max_size, Some(100));
        assert_eq!(from_file.deny, vec![DenyItem::Vcs]);
        assert_eq!(from_file.warn, vec![DenyItem::Logs]);
        assert_eq!(from_file.format, Format::Github);
        assert!(from_file.whole_context, "the file's whole-context holds without the flag");
    }

    #[test]
    fn default_warnings_step_aside_for_denied_items() {
        let flags = FlagSettings {
            deny: Some(vec![DenyItem::Vcs, DenyItem::Vcs]),
            ..FlagSettings::default()
        };
        let settings = resolve(None, flags);
        assert_eq!(settings.deny, vec![DenyItem::Vcs]);
        assert_eq!(settings.warn, vec![DenyItem::Deps]);
        // An empty list clears the default.
        let none = FlagSettings { deny: Some(vec![]), warn: Some(vec![]), ..Default::default() };
        let settings = resolve(None, none);
        assert!(settings.deny.is_empty() && settings.warn.is_empty());
    }
}
