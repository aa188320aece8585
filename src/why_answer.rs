//! What `why` says about each path: the report its renderers write (the text of
//! `output::why_text`, and JSON, whose shape docs/json.md describes).

use serde::Serialize;

use crate::dockerfile::ContextSource;
use crate::raw_path::RawPath;

/// One path's answer; also the JSON shape (see docs/json.md).
#[derive(Debug, Serialize)]
pub struct Answer {
    /// Relative to the context; `.` for the root.
    pub path: RawPath,
    pub exists: bool,
    #[serde(rename = "type")]
    pub kind: Option<&'static str>,
    pub status: Status,
    pub ships: bool,
    pub rule: Option<RuleRef>,
    /// Where the deciding rule matched: the path itself or one of its directories.
    pub matched: Option<RawPath>,
    /// An excluded directory above the path that BuildKit does not enter.
    pub pruned_at: Option<RawPath>,
    /// The rule that makes BuildKit send the file empty.
    pub content_rule: Option<RuleRef>,
    /// For an excluded directory that is listed anyway: one shipped entry inside it.
    pub shipped_inside: Option<RawPath>,
    pub reason: String,
    /// Whether this Dockerfile makes BuildKit send the path; `null` without a Dockerfile.
    pub transfer: Option<TransferAnswer>,
}

/// Whether the build sends a path, and through which instruction.
#[derive(Debug, Serialize)]
pub struct TransferAnswer {
    pub sent: bool,
    /// The needed sources that name the path or a directory above it (for a directory on
    /// the way, those it leads to).
    pub sources: Vec<SourceRef>,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct SourceRef {
    pub line: usize,
    pub instruction: String,
    pub source: String,
}

impl SourceRef {
    pub fn of(source: &ContextSource) -> SourceRef {
        SourceRef {
            line: source.line,
            instruction: source.instruction.to_string(),
            source: source.written.clone(),
        }
    }

    pub fn describe(&self) -> String {
        format!("{} {} (line {})", self.instruction, self.source, self.line)
    }
}

/// What becomes of a path (docs/json.md names each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Shipped,
    /// Listed, but BuildKit sends no content.
    ShippedEmpty,
    /// An excluded directory listed because something inside it ships.
    ListedForDescendant,
    Excluded,
    NotFound,
}

impl Status {
    /// Whether `docker build` sends the path.
    pub fn ships(self) -> bool {
        matches!(self, Status::Shipped | Status::ShippedEmpty | Status::ListedForDescendant)
    }
}

#[derive(Debug, Serialize)]
pub struct RuleRef {
    pub file: RawPath,
    pub line: usize,
    pub pattern: String,
    pub exception: bool,
}

#[derive(Debug, Serialize)]
pub struct JsonReport {
    pub schema_version: u32,
    pub context: RawPath,
    pub ignore_file: Option<RawPath>,
    pub paths: Vec<Answer>,
}
