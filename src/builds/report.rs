//! The report on every build of a list: each build's single-build scan report, whole, with
//! what names the build (its source's name, context, Dockerfile, target, arguments).
//! Also the JSON shape of `scan --compose/--bake/--all --json` (docs/json.md).

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::run::ScannedBuild;
use super::{BuildList, SourceKind};
use crate::raw_path::RawPath;
use crate::scan::report::ScanReport;

/// Version of the multi-build JSON output; each build's `report` keeps the version of the
/// single-build output it is.
pub const SCHEMA_VERSION: u32 = 1;

/// Every build of a list, scanned.
#[derive(Debug, Serialize)]
pub struct BuildsReport {
    pub schema_version: u32,
    pub source: Source,
    pub builds: Vec<BuildReport>,
    /// Services or targets that build nothing, by name.
    pub without_build: Vec<String>,
    /// What the source holds that is not supported, by name.
    pub unsupported: Vec<String>,
}

/// Where the builds came from.
#[derive(Debug, Serialize)]
pub struct Source {
    pub kind: SourceKind,
    /// The file read (Compose, Bake), or the directory searched.
    pub path: RawPath,
}

/// One build and its report.
#[derive(Debug, Serialize)]
pub struct BuildReport {
    pub name: String,
    pub context: RawPath,
    /// `None` for an inline Dockerfile; the context's `Dockerfile` when the source names none.
    pub dockerfile: Option<RawPath>,
    /// Whether the Dockerfile is given inline (Compose `dockerfile_inline`).
    pub dockerfile_inline: bool,
    pub target: Option<String>,
    /// `--build-arg` values in the order given, as one JSON object.
    #[serde(serialize_with = "args_object")]
    pub args: Vec<(String, String)>,
    /// Exactly what `ctxsize scan --json` prints for this build alone.
    pub report: ScanReport,
}

impl BuildsReport {
    /// The report on `list`, whose builds were scanned into `scanned` (in its order).
    pub fn new(list: &BuildList, scanned: Vec<ScannedBuild>) -> BuildsReport {
        let builds = scanned
            .into_iter()
            .map(|scanned| {
                let spec = scanned.spec;
                let dockerfile = match (&spec.dockerfile_inline, &spec.dockerfile) {
                    (Some(_), _) => None,
                    (None, Some(path)) => Some(RawPath::from_path(path)),
                    (None, None) => Some(RawPath::from_path(
                        &spec.context.join(crate::context::DEFAULT_DOCKERFILE),
                    )),
                };
                BuildReport {
                    name: spec.name,
                    context: RawPath::from_path(&spec.context),
                    dockerfile,
                    dockerfile_inline: spec.dockerfile_inline.is_some(),
                    target: spec.target,
                    args: spec.args,
                    report: scanned.report,
                }
            })
            .collect();
        BuildsReport {
            schema_version: SCHEMA_VERSION,
            source: Source { kind: list.kind, path: RawPath::from_path(&list.path) },
            builds,
            without_build: list.without_build.clone(),
            unsupported: list.unsupported.clone(),
        }
    }
}

/// Build arguments as one object; a repeated name keeps its last value, as `docker build`.
fn args_object<S: Serializer>(args: &[(String, String)], serializer: S) -> Result<S::Ok, S::Error> {
    let mut last: Vec<(&str, &str)> = Vec::new();
    for (name, value) in args {
        match last.iter_mut().find(|(n, _)| n == name) {
            Some(entry) => entry.1 = value,
            None => last.push((name, value)),
        }
    }
    let mut map = serializer.serialize_map(Some(last.len()))?;
    for (name, value) in last {
        map.serialize_entry(name, value)?;
    }
    map.end()
}
