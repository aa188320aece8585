//! The build `docker build` would run: which Dockerfile, read with which target, arguments
//! and platform, and so which context paths BuildKit transfers.
//!
//! Every command that speaks of the transfer reads the Dockerfile here, so `scan`, `check`,
//! `init`, `ls --transfer` and `why` agree on it.

use std::path::PathBuf;

use crate::context::{BuildContext, DEFAULT_DOCKERFILE};
use crate::dockerfile::{self, ContextSource, Dockerfile, Platform};

/// How `docker build` reads the Dockerfile (`--target`, `--build-arg`, `--platform`).
#[derive(Debug, Clone)]
pub struct BuildSettings {
    pub build_args: Vec<(String, String)>,
    pub target: Option<String>,
    pub platform: Platform,
    /// The Dockerfile's text, when it is given inline (Compose `dockerfile_inline`) rather
    /// than read from a file.
    pub dockerfile_inline: Option<String>,
}

impl Default for BuildSettings {
    fn default() -> BuildSettings {
        BuildSettings {
            build_args: Vec::new(),
            target: None,
            platform: Platform::host(),
            dockerfile_inline: None,
        }
    }
}

/// The Dockerfile of a build, as far as it could be read.
#[derive(Debug, Clone, Default)]
pub struct Build {
    /// The Dockerfile's path, when there is one to read (not for `-f -`).
    pub path: Option<PathBuf>,
    /// The parsed Dockerfile; `None` when it is missing or does not parse.
    pub dockerfile: Option<Dockerfile>,
    /// Why it could not be read, when it was expected (`-f` given, or it exists).
    pub problem: Option<String>,
}

impl Build {
    /// Reads the Dockerfile `docker build` would use for this context.
    pub fn read(context: &BuildContext, settings: &BuildSettings) -> Build {
        if let Some(text) = &settings.dockerfile_inline {
            return Build::parse(text, None, settings);
        }
        let path = match &context.dockerfile {
            Some(path) if path.as_os_str() == "-" => return Build::default(),
            Some(path) => path.clone(),
            None => context.root.join(DEFAULT_DOCKERFILE),
        };
        let text = match crate::context::read_regular_file(&path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(error) => {
                // Only a Dockerfile that is there (or was asked for) is worth a word.
                let there =
                    context.dockerfile.is_some() || error.kind() != std::io::ErrorKind::NotFound;
                let problem = there
                    .then(|| format!("cannot read the Dockerfile {}: {error}", path.display()));
                return Build { path: None, dockerfile: None, problem };
            }
        };
        Build::parse(&text, Some(path), settings)
    }

    /// Parses a Dockerfile's text; `path` is where it was read (`None`: given inline).
    fn parse(text: &str, path: Option<PathBuf>, settings: &BuildSettings) -> Build {
        let target = settings.target.as_deref();
        match dockerfile::parse(text, &settings.build_args, target, &settings.platform) {
            Ok(parsed) => Build { path, dockerfile: Some(parsed), problem: None },
            Err(error) => {
                let shown = path
                    .as_ref()
                    .map_or("the inline Dockerfile".into(), |p| p.display().to_string());
                Build { path, dockerfile: None, problem: Some(format!("{shown}: {error}")) }
            }
        }
    }

    /// The sources that read the context, needed by the target or not, in Dockerfile
    /// order (a tmpfs mount names the context without reading it).
    pub fn sources(&self) -> Vec<ContextSource> {
        self.dockerfile
            .iter()
            .flat_map(|d| d.sources.iter())
            .filter(|s| s.instruction.reads_context())
            .cloned()
            .collect()
    }

    /// Whether BuildKit sends the whole (filtered) context: a needed source is the root.
    /// Without a Dockerfile to read, the question is the one `COPY . .` asks: yes.
    pub fn sends_whole_context(&self) -> bool {
        self.dockerfile.as_ref().is_none_or(Dockerfile::sends_whole_context)
    }

    /// The needed sources that cover `path` (name it or a directory above it): what makes
    /// BuildKit send it. Empty when no source asks for it.
    pub fn sending(&self, path: &[u8]) -> Vec<&ContextSource> {
        self.dockerfile
            .iter()
            .flat_map(|d| d.needed_sources())
            .filter(|s| s.instruction.reads_context() && s.covers(path))
            .collect()
    }
}
