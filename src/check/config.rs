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
//! baseline = ".ctxsize-baseline.json" # compare with this recorded baseline
//! max-growth = ["10%", "5MB"] # fail on more growth than the larger of these
//! ```
//!
//! The file is read by serde into [`CheckTable`]; each value type says what it expects, and
//! an error is placed at its key and line by the span toml gives it (see [`value_error`]);
//! the value types are in `values`.

mod values;

use std::fmt;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Deserialize;
use toml::de::{DeTable, DeValue};

use super::deny::push_unique;
pub use super::deny::{DenyItem, UnknownDenyItem};
use crate::check::growth::MaxGrowth;
use crate::scan::allow::AllowList;
use values::{AllowPatterns, BaselinePath, FileCount, GrowthLimits, ItemList, SizeLimit, Switch};

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
    /// The baseline to compare with; an empty path stands for the default file, which the
    /// caller places (see [`crate::check::baseline::BASELINE_FILE`]).
    pub baseline: Option<PathBuf>,
    /// How much a build may grow since the baseline.
    pub max_growth: Option<MaxGrowth>,
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
    pub baseline: Option<PathBuf>,
    pub max_growth: Option<MaxGrowth>,
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
    pub baseline: Option<PathBuf>,
    pub max_growth: Option<MaxGrowth>,
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
const CHECK_KEYS: &str =
    "max-size, max-files, deny, warn, format, whole-context, allow, baseline, max-growth";
/// Keys of the top level.
const TOP_KEYS: &str = "check";

/// The whole file. Unknown keys are errors: a misspelt key would otherwise be a limit
/// silently not enforced.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsFile {
    check: Option<CheckTable>,
}

/// The `[check]` table, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct CheckTable {
    max_size: Option<SizeLimit>,
    max_files: Option<FileCount>,
    deny: Option<ItemList>,
    warn: Option<ItemList>,
    format: Option<Format>,
    whole_context: Option<Switch>,
    allow: Option<AllowPatterns>,
    baseline: Option<BaselinePath>,
    max_growth: Option<GrowthLimits>,
}

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

/// Parses the text of a settings file; `path` is for messages. The first error in the file
/// is the one reported (toml keeps the file's order of keys, `preserve_order`).
pub fn parse(text: &str, path: PathBuf) -> Result<FileSettings, ConfigError> {
    // The parsed document gives the spans of keys and values, to name the key of an error.
    let root = match DeTable::parse(text) {
        Ok(root) => root.into_inner(),
        Err(error) => {
            let line = error.span().map_or(1, |span| line_of(text, span.start));
            let message = error.message().trim_end().replace('\n', "; ");
            return Err(ConfigError::Syntax { path, line, message });
        }
    };
    let file: SettingsFile =
        toml::from_str(text).map_err(|error| value_error(text, &root, &error, &path))?;
    let check = file.check.unwrap_or_default();
    Ok(FileSettings {
        max_size: check.max_size.map(|size| size.0),
        max_files: check.max_files.map(|count| count.0),
        deny: check.deny.map(|list| list.0),
        warn: check.warn.map(|list| list.0),
        format: check.format,
        whole_context: check.whole_context.map(|switch| switch.0),
        allow: check.allow.map(|patterns| patterns.0),
        // Relative to the settings file, as a path in a file is.
        baseline: check.baseline.map(|file| match path.parent() {
            Some(dir) => dir.join(file.0),
            None => file.0,
        }),
        max_growth: check.max_growth.map(|limits| limits.0),
        path,
    })
}

/// Names the key of a deserialisation error: the key whose name (an unknown key) or value
/// (a bad value) holds the error's span.
fn value_error(
    text: &str,
    root: &DeTable<'_>,
    error: &toml::de::Error,
    path: &Path,
) -> ConfigError {
    let span = error.span().unwrap_or(0..0);
    let line = line_of(text, span.start);
    let holds = |outer: Range<usize>| outer.start <= span.start && span.end <= outer.end;
    let bad = |key: String, message: String| ConfigError::BadValue {
        path: path.to_owned(),
        line,
        key,
        message,
    };
    for (key, value) in root {
        let name = key.get_ref().as_ref();
        if holds(key.span()) {
            return unknown(path, line, name, None);
        }
        let DeValue::Table(check) = value.get_ref() else {
            if holds(value.span()) {
                return bad(name.to_owned(), "must be a table: [check]".into());
            }
            continue;
        };
        for (key, value) in check {
            let inner = key.get_ref().as_ref();
            let full = format!("{name}.{inner}");
            if holds(key.span()) {
                return unknown(path, line, &full, Some(inner));
            }
            if holds(value.span()) {
                return bad(full, error.message().to_owned());
            }
        }
    }
    // Not placed (toml gives every error a span): say what serde said, at its line.
    ConfigError::Syntax { path: path.to_owned(), line, message: error.message().to_owned() }
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
        baseline: flags.baseline.or(file.baseline),
        max_growth: flags.max_growth.or(file.max_growth),
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

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::values::parse_size;
    use super::*;

    fn parse_ok(text: &str) -> FileSettings {
        parse(text, PathBuf::from("ctx/ctxsize.toml")).unwrap()
    }

    fn parse_err(text: &str) -> String {
        parse(text, PathBuf::from("ctx/ctxsize.toml")).unwrap_err().to_string()
    }

    #[test]
    fn values_of_other_types_are_named() {
        assert_eq!(
            parse_err("[check]\nwhole-context = \"yes\"\n"),
            "ctx/ctxsize.toml:2: bad value for `check.whole-context`: expected true or false, \
             found \"yes\""
        );
        assert_eq!(
            parse_err("[check]\nformat = [\"json\"]\n"),
            "ctx/ctxsize.toml:2: bad value for `check.format`: expected one of text, json, sarif, \
             github, found an array"
        );
        assert_eq!(
            parse_err("[check]\nmax-files = 1.5\n"),
            "ctx/ctxsize.toml:2: bad value for `check.max-files`: expected a whole number of \
             files (0 or more), found a float"
        );
        assert_eq!(
            parse_err("[check]\ndeny = { secrets = true }\n"),
            "ctx/ctxsize.toml:2: bad value for `check.deny`: expected a list such as \
             [\"secrets\", \"vcs\"], found a table or a date"
        );
        // Dotted keys and inline tables are the same table.
        assert_eq!(
            parse_err("check.max-files = \"3\"\n"),
            "ctx/ctxsize.toml:1: bad value for `check.max-files`: expected a whole number of \
             files (0 or more), found \"3\""
        );
        assert_eq!(parse_ok("check = { max-files = 3 }\n").max_files, Some(3));
    }

    #[test]
    fn a_bad_value_before_an_unknown_key_is_the_first_error() {
        assert_eq!(
            parse_err("[check]\ndeny = 1\nmax_files = 3\n"),
            "ctx/ctxsize.toml:2: bad value for `check.deny`: expected a list such as \
             [\"secrets\", \"vcs\"], found 1"
        );
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
                baseline: None,
                max_growth: None,
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
    fn baseline_and_growth_keys_are_read() {
        let settings =
            parse_ok("[check]\nbaseline = \"ci/base.json\"\nmax-growth = [\"10%\", \"5MB\"]\n");
        // The file is relative to the settings file's directory.
        assert_eq!(settings.baseline, Some(PathBuf::from("ctx/ci/base.json")));
        let growth = settings.max_growth.unwrap();
        assert_eq!(growth.describe(), "10% or 5 MB, whichever is larger");
        let single = parse_ok("[check]\nmax-growth = \"2.5%\"\n").max_growth.unwrap();
        assert_eq!(single.describe(), "2.5%");
        assert!(parse_err("[check]\nmax-growth = []\n").contains("an empty list allows nothing"));
        assert!(parse_err("[check]\nmax-growth = \"ten\"\n").contains("`check.max-growth`"));
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
             (known: max-size, max-files, deny, warn, format, whole-context, allow, baseline, max-growth)"
        );
        assert_eq!(
            parse_err("[check]\nfail-on = [\"vcs\"]\n"),
            "ctx/ctxsize.toml:2: unknown key `check.fail-on` \
             (known: max-size, max-files, deny, warn, format, whole-context, allow, baseline, max-growth)"
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
                baseline: None,
                max_growth: None,
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
            baseline: None,
            max_growth: None,
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
            baseline: None,
            max_growth: None,
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
                baseline: None,
                max_growth: None,
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
