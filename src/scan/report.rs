//! The scan's findings, built once in a fixed order; rendered as text or JSON.

use serde::Serialize;

use super::categories::Category;
use super::proposal::Proposal;
use super::tally::Amount;
use crate::raw_path::RawPath;
use crate::templates::ProjectKind;

/// Version of the `scan --json` output; bumped on any incompatible change.
/// 2: paths are exact (a string, or `{"bytes": base64}` for a name that is not UTF-8),
/// where 1 escaped them for a terminal.
pub const SCHEMA_VERSION: u32 = 2;

/// Everything `scan` found (also the JSON shape, see docs/json.md).
#[derive(Debug, Clone, Serialize)]
pub struct ScanReport {
    pub schema_version: u32,
    pub context: RawPath,
    pub ignore_file: Option<RawPath>,
    pub dockerfile: Option<RawPath>,
    /// Sizes are apparent sizes (file lengths; a symlink counts its target's length).
    pub totals: Totals,
    pub heaviest_dirs: Vec<PathAmount>,
    pub largest_files: Vec<PathBytes>,
    pub categories: Vec<CategoryAmount>,
    pub projects: Vec<Project>,
    pub services: Vec<RawPath>,
    pub proposal: Proposal,
    pub instructions: Vec<InstructionAmount>,
    pub transfer: Option<Transfer>,
    /// Sources of needed stages whose paths do not reach the builder: `docker build` fails.
    pub unavailable_sources: Vec<UnavailableSource>,
    pub warnings: Vec<Warning>,
    /// Findings on the ignore file (as `ctxsize lint` reports them).
    pub lint: Vec<crate::lint::Finding>,
    /// Paths the walk could not read: the totals are lower bounds when this is not empty.
    pub incomplete: Vec<RawPath>,
    /// Every shipped directory down to the scan's depth, when asked for
    /// ([`super::ScanOptions::directories`]); not part of the JSON.
    #[serde(skip)]
    pub directories: Option<Directories>,
}

/// What ships below each directory down to a depth, for the context and for the transfer,
/// each list sorted by path.
#[derive(Debug, Clone, Default)]
pub struct Directories {
    pub context: Vec<PathAmount>,
    pub transfer: Vec<PathAmount>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Totals {
    pub on_disk: Amount,
    pub excluded: Amount,
    pub shipped: Amount,
    /// Files that ship with no content (BuildKit drops it), and the bytes dropped.
    pub emptied: Amount,
    /// Bytes of hard-linked files not counted again in `shipped`: BuildKit sends a file's
    /// content with its first name and its other names as links.
    pub hard_linked: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PathAmount {
    pub path: RawPath,
    pub files: u64,
    pub bytes: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PathBytes {
    pub path: RawPath,
    pub bytes: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryAmount {
    pub category: Category,
    pub label: &'static str,
    pub files: u64,
    pub bytes: u64,
    /// Some of the paths (all of them for secrets, up to a limit), the largest first; none
    /// of the allowed ones.
    pub examples: Vec<RawPath>,
    /// The files among `files` and `bytes` that `check` was told ship on purpose (its
    /// allow-list); absent from the JSON when there are none (always, for `scan`).
    #[serde(skip_serializing_if = "AllowedAmount::is_empty")]
    pub allowed: AllowedAmount,
}

/// Allowed files of a category (see [`CategoryAmount::allowed`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AllowedAmount {
    pub files: u64,
    pub bytes: u64,
    /// Their paths, the largest first, up to a limit.
    pub examples: Vec<RawPath>,
}

impl AllowedAmount {
    pub fn is_empty(&self) -> bool {
        self.files == 0 && self.bytes == 0
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Project {
    pub kind: ProjectKind,
    /// "" for the context root, else the service's directory.
    pub dir: String,
    pub tool: Option<&'static str>,
    pub evidence: Vec<String>,
    /// For a member of a workspace (a crate of a Cargo workspace, a package of a pnpm
    /// workspace…), the workspace's directory; `None` otherwise.
    pub workspace: Option<String>,
}

/// What one `COPY`/`ADD`/bind mount takes from the context.
#[derive(Debug, Clone, Serialize)]
pub struct InstructionAmount {
    pub line: usize,
    pub instruction: String,
    pub source: String,
    /// Whether its stage is needed by the build target.
    pub needed: bool,
    pub files: u64,
    pub bytes: u64,
    /// Variables in the source without a known value (taken as any text), in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unresolved: Vec<String>,
}

/// A `COPY`/`ADD`/`RUN --mount` source that names nothing the build receives.
#[derive(Debug, Clone, Serialize)]
pub struct UnavailableSource {
    pub line: usize,
    pub instruction: String,
    pub source: String,
    pub cause: SourceCause,
}

/// Why a source names nothing the build receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceCause {
    /// Nothing in the context matches it.
    Missing,
    /// The ignore file keeps out everything it names.
    Excluded,
}

/// What `docker build` transfers with this Dockerfile.
#[derive(Debug, Clone, Serialize)]
pub struct Transfer {
    /// Some needed source is the context root: the whole filtered context travels.
    pub whole_context: bool,
    /// Hard-linked files count once (see [`Totals::hard_linked`]).
    pub amount: Amount,
    /// Bytes of hard-linked files not counted again in `amount`.
    pub hard_linked: u64,
    /// The transfer by category, in the order of the report's `categories`.
    pub categories: Vec<CategoryAmount>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Warning {
    pub kind: WarningKind,
    pub message: String,
    pub paths: Vec<RawPath>,
}

/// What a [`Warning`] is about; its JSON name is stable (docs/json.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// A needed source names nothing the builder receives: `docker build` fails.
    BuildFails,
    /// Secrets in what is sent (the transfer, or the context without a Dockerfile).
    Secrets,
    /// Secrets this Dockerfile does not send, but a `COPY . .` would.
    SecretsInContext,
    Vcs,
    Dependencies,
    LargeContext,
    /// A template rule not proposed because something needs what it removes.
    DroppedRules,
    /// A source that is the context root in a stage the image is built from.
    BroadCopy,
    /// The same in a builder stage.
    BroadCopyBuilder,
    /// The Dockerfile could not be read or parsed.
    Dockerfile,
    /// The git index could not be read.
    Git,
    /// Files that ship but cannot be read (BuildKit sends them empty).
    Unreadable,
}
