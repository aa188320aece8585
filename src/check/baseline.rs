//! The baseline file `check --write-baseline` records and `check --baseline` reads: per
//! build, what the transfer and the whole context held (files, bytes, by category, and the
//! heaviest directories), and a digest of the ignore file in force.
//!
//! The file is meant to be committed and reviewed: keys come in a fixed order, lists are
//! sorted (builds by name, directories by path, categories in the report's order), it is
//! indented JSON ending in a newline, and it holds nothing that changes between two runs on
//! the same tree (no time, no version of ctxsize).

use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::raw_path::RawPath;
use crate::scan::categories::Category;
use crate::scan::report::{CategoryAmount, PathAmount, ScanReport};

/// The file's name, at the context root (or beside the list of builds).
pub const BASELINE_FILE: &str = ".ctxsize-baseline.json";

/// The version of the file's layout; a file of a later version is refused rather than read
/// wrongly.
pub const SCHEMA_VERSION: u32 = 1;

/// Directories are recorded down to this depth (`services/api/node_modules`).
pub const DEPTH: usize = 3;

/// A directory is recorded when it holds at least this share of its view's bytes, in
/// hundredths of a percent (1%), and among the [`DIRECTORIES_KEPT`] heaviest: enough to
/// explain growth, few enough to review.
const DIRECTORY_SHARE: u64 = 100;
const DIRECTORIES_KEPT: usize = 100;

/// The whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    pub schema_version: u32,
    /// Sorted by name.
    pub builds: Vec<BuildRecord>,
}

/// One build as it was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildRecord {
    /// The Compose service, the Bake target, the discovered Dockerfile, or for a single
    /// build its Dockerfile relative to the context (`context` without one).
    pub name: String,
    /// The ignore file in force, as named then, and the SHA-256 of its content.
    pub ignore_file: Option<IgnoreFileRecord>,
    /// What the Dockerfile made BuildKit send; `None` when no Dockerfile was read.
    pub transfer: Option<ViewRecord>,
    /// The whole filtered context (what `COPY . .` ships).
    pub context: ViewRecord,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IgnoreFileRecord {
    pub path: RawPath,
    pub sha256: String,
}

/// One view's amounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewRecord {
    pub files: u64,
    pub bytes: u64,
    /// Categories that hold something, in the report's order.
    pub categories: Vec<CategoryRecord>,
    /// Directories not listed held fewer bytes than this.
    pub directories_below: u64,
    /// The heaviest directories down to [`DEPTH`], sorted by path.
    pub directories: Vec<DirectoryRecord>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryRecord {
    pub category: Category,
    pub files: u64,
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryRecord {
    pub path: RawPath,
    pub files: u64,
    pub bytes: u64,
}

/// Why a baseline cannot be used. Each message names the file.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error(
        "{}: no baseline here; record one with `ctxsize check --write-baseline` (and commit it)",
        path.display()
    )]
    Missing { path: PathBuf },
    #[error("{}: cannot read the baseline: {cause}", path.display())]
    Unreadable { path: PathBuf, cause: io::Error },
    #[error("{}:{line}: not a ctxsize baseline: {message}", path.display())]
    Invalid { path: PathBuf, line: usize, message: String },
    #[error(
        "{}: the baseline has schema version {found}, newer than this ctxsize reads ({SCHEMA_VERSION}): \
         upgrade ctxsize, or record it again with --write-baseline",
        path.display()
    )]
    Newer { path: PathBuf, found: u64 },
    #[error("{}: cannot write the baseline: {cause}", path.display())]
    Write { path: PathBuf, cause: io::Error },
}

impl Baseline {
    /// A baseline of these builds (sorted by name here).
    pub fn new(mut builds: Vec<BuildRecord>) -> Baseline {
        builds.sort_by(|a, b| a.name.cmp(&b.name));
        Baseline { schema_version: SCHEMA_VERSION, builds }
    }

    /// The recorded build of this name.
    pub fn build(&self, name: &str) -> Option<&BuildRecord> {
        self.builds.iter().find(|build| build.name == name)
    }

    /// The file's text: indented JSON and a final newline.
    pub fn to_text(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a baseline serialises");
        text.push('\n');
        text
    }

    /// Reads a baseline. The schema version is looked at first, so that a newer file is
    /// refused as newer rather than as malformed.
    pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
        let text = std::fs::read(path).map_err(|cause| match cause.kind() {
            io::ErrorKind::NotFound => BaselineError::Missing { path: path.to_owned() },
            _ => BaselineError::Unreadable { path: path.to_owned(), cause },
        })?;
        Baseline::parse(&text, path)
    }

    /// Parses a baseline's text; `path` is for messages.
    pub fn parse(text: &[u8], path: &Path) -> Result<Baseline, BaselineError> {
        let invalid = |error: serde_json::Error| BaselineError::Invalid {
            path: path.to_owned(),
            line: error.line().max(1),
            message: error.to_string(),
        };
        let value: serde_json::Value = serde_json::from_slice(text).map_err(invalid)?;
        match value.get("schema_version").and_then(serde_json::Value::as_u64) {
            Some(found) if found > u64::from(SCHEMA_VERSION) => {
                return Err(BaselineError::Newer { path: path.to_owned(), found });
            }
            Some(_) => {}
            None => {
                return Err(BaselineError::Invalid {
                    path: path.to_owned(),
                    line: 1,
                    message: "no schema_version".to_owned(),
                });
            }
        }
        serde_json::from_slice(text).map_err(invalid)
    }

    /// These records, with those of other builds `file` already holds (a run that measured
    /// one build, or some services, must not drop the others); and how many were kept. A
    /// file that is not there yet keeps nothing; one that cannot be read is an error rather
    /// than something to overwrite.
    pub fn keeping_others_of(mut self, file: &Path) -> Result<(Baseline, u64), BaselineError> {
        let existing = match Baseline::read(file) {
            Ok(existing) => existing,
            Err(BaselineError::Missing { .. }) => return Ok((self, 0)),
            Err(error) => return Err(error),
        };
        let others: Vec<BuildRecord> =
            existing.builds.into_iter().filter(|old| self.build(&old.name).is_none()).collect();
        let kept = others.len() as u64;
        self.builds.extend(others);
        Ok((Baseline::new(self.builds), kept))
    }

    /// Writes the file atomically: a reader sees the old baseline or the new one.
    pub fn write(&self, path: &Path) -> Result<(), BaselineError> {
        crate::fs::write_atomically(path, self.to_text().as_bytes())
            .map_err(|cause| BaselineError::Write { path: path.to_owned(), cause })
    }
}

impl BuildRecord {
    /// What a scan (made with [`crate::scan::ScanOptions::directories`] and depth
    /// [`DEPTH`]) found for one build; `ignore_content` is the ignore file as read.
    pub fn from_report(
        name: &str,
        report: &ScanReport,
        ignore_content: Option<&[u8]>,
    ) -> BuildRecord {
        let directories = report.directories.clone().unwrap_or_default();
        let ignore_file = report.ignore_file.clone().map(|path| IgnoreFileRecord {
            path,
            sha256: ignore_content.map(sha256).unwrap_or_default(),
        });
        let transfer = report
            .transfer
            .as_ref()
            .map(|transfer| view(transfer.amount, &transfer.categories, &directories.transfer));
        BuildRecord {
            name: name.to_owned(),
            ignore_file,
            transfer,
            context: view(report.totals.shipped, &report.categories, &directories.context),
        }
    }
}

/// The name a single build (no list of builds) is recorded under: its Dockerfile relative to
/// the context, as given otherwise; `context` when there is none.
pub fn single_build_name(context: &Path, dockerfile: Option<&Path>) -> String {
    let Some(dockerfile) = dockerfile else { return "context".to_owned() };
    let relative = dockerfile.strip_prefix(context).unwrap_or(dockerfile);
    let relative = relative.strip_prefix(".").unwrap_or(relative);
    relative.to_string_lossy().into_owned()
}

fn view(
    amount: crate::scan::tally::Amount,
    categories: &[CategoryAmount],
    directories: &[PathAmount],
) -> ViewRecord {
    let (directories_below, directories) = heaviest(directories, amount.bytes);
    ViewRecord {
        files: amount.files,
        bytes: amount.bytes,
        categories: categories
            .iter()
            .filter(|c| c.files > 0 || c.bytes > 0)
            .map(|c| CategoryRecord { category: c.category, files: c.files, bytes: c.bytes })
            .collect(),
        directories_below,
        directories,
    }
}

/// The directories worth recording, sorted by path, and the size under which the others
/// fell.
fn heaviest(directories: &[PathAmount], total: u64) -> (u64, Vec<DirectoryRecord>) {
    let share = u64::try_from(u128::from(total) * u128::from(DIRECTORY_SHARE) / 10_000)
        .unwrap_or(u64::MAX)
        .max(1);
    let mut kept: Vec<&PathAmount> = directories.iter().filter(|d| d.bytes >= share).collect();
    kept.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.path.cmp(&b.path)));
    let mut below = share;
    if kept.len() > DIRECTORIES_KEPT {
        below = kept[DIRECTORIES_KEPT - 1].bytes;
        kept.truncate(DIRECTORIES_KEPT);
    }
    let mut records: Vec<DirectoryRecord> = kept
        .into_iter()
        .map(|d| DirectoryRecord { path: d.path.clone(), files: d.files, bytes: d.bytes })
        .collect();
    records.sort_by(|a, b| a.path.cmp(&b.path));
    (below, records)
}

/// The SHA-256 of some bytes, in lowercase hexadecimal.
fn sha256(content: &[u8]) -> String {
    Sha256::digest(content).iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(path: &str, bytes: u64) -> PathAmount {
        PathAmount { path: RawPath::from(path), files: 1, bytes }
    }

    #[test]
    fn a_digest_is_sha256_in_hex() {
        assert_eq!(
            sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn only_directories_with_a_share_are_kept_sorted_by_path() {
        let dirs = [amount("b", 50), amount("a", 40), amount("c", 5), amount("a/x", 30)];
        let (below, kept) = heaviest(&dirs, 1000);
        assert_eq!(below, 10);
        let paths: Vec<&[u8]> = kept.iter().map(|d| d.path.as_bytes()).collect();
        assert_eq!(paths, [b"a".as_slice(), b"a/x", b"b"]);
    }

    #[test]
    fn too_many_directories_keep_the_heaviest() {
        let dirs: Vec<PathAmount> =
            (0..150).map(|i| amount(&format!("d{i:03}"), 1000 + i)).collect();
        let (below, kept) = heaviest(&dirs, 10_000);
        assert_eq!(kept.len(), DIRECTORIES_KEPT);
        assert_eq!(below, 1050);
        assert!(kept.iter().all(|d| d.bytes >= below));
    }

    #[test]
    fn a_newer_schema_is_refused_as_newer() {
        let path = Path::new("b.json");
        let newer = br#"{"schema_version": 2, "builds": [], "whatever": {}}"#;
        assert!(matches!(Baseline::parse(newer, path), Err(BaselineError::Newer { found: 2, .. })));
        let broken = b"{\n  \"schema_version\": 1,\n  \"builds\": 3\n}";
        let error = Baseline::parse(broken, path).unwrap_err();
        assert!(matches!(error, BaselineError::Invalid { line: 3, .. }), "{error}");
        assert!(matches!(Baseline::parse(b"{}", path), Err(BaselineError::Invalid { .. })));
    }

    #[test]
    fn the_text_reads_back_unchanged() {
        let baseline = Baseline::new(vec![BuildRecord {
            name: "web".into(),
            ignore_file: None,
            transfer: None,
            context: ViewRecord {
                files: 2,
                bytes: 30,
                categories: vec![CategoryRecord { category: Category::Logs, files: 1, bytes: 10 }],
                directories_below: 1,
                directories: vec![DirectoryRecord {
                    path: RawPath::new(b"caf\xe9".to_vec()),
                    files: 1,
                    bytes: 10,
                }],
            },
        }]);
        let text = baseline.to_text();
        assert!(text.ends_with("}\n"));
        assert_eq!(Baseline::parse(text.as_bytes(), Path::new("b")).unwrap(), baseline);
    }

    #[test]
    fn a_single_build_is_named_by_its_dockerfile_within_the_context() {
        let name =
            |ctx: &str, file: Option<&str>| single_build_name(Path::new(ctx), file.map(Path::new));
        assert_eq!(name("app", Some("app/docker/prod.Dockerfile")), "docker/prod.Dockerfile");
        assert_eq!(name(".", Some("./Dockerfile")), "Dockerfile");
        assert_eq!(name("app", Some("other/Dockerfile")), "other/Dockerfile");
        assert_eq!(name("app", None), "context");
    }
}
