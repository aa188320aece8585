//! What kind of bytes ship: dependencies, VCS, build output, caches, secrets, …
//!
//! Categories are data: one table of ctxsize's own globs (globset syntax, matched against
//! the path relative to the context), compiled once into a single `GlobSet` so that each
//! path is matched in one pass. The first category in table order wins.

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Serialize;

/// A kind of content in the build context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Vcs,
    Dependencies,
    Secrets,
    Caches,
    TestOutput,
    BuildOutput,
    Logs,
    EditorJunk,
    LargeBinaries,
    Other,
}

impl Category {
    /// Every category, in the order of precedence (and of the report).
    pub const ALL: [Category; 10] = [
        Category::Vcs,
        Category::Dependencies,
        Category::Secrets,
        Category::Caches,
        Category::TestOutput,
        Category::BuildOutput,
        Category::Logs,
        Category::EditorJunk,
        Category::LargeBinaries,
        Category::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Category::Secrets => "secrets",
            Category::Vcs => "VCS",
            Category::Dependencies => "dependencies",
            Category::Caches => "caches",
            Category::TestOutput => "test & coverage",
            Category::BuildOutput => "build output",
            Category::Logs => "logs",
            Category::EditorJunk => "editor/OS junk",
            Category::LargeBinaries => "large binaries & media",
            Category::Other => "other",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// A file at least this large is a large binary whatever its name.
pub const LARGE_FILE_BYTES: u64 = 50 * 1000 * 1000;

/// Names that look like secrets but are templates meant to be shared.
#[rustfmt::skip]
const NOT_SECRETS: &[&str] = &[
    "**/.env.dist",
    "**/.env.example",
    "**/.env.sample",
    "**/.env.template",
];

/// The category globs, in precedence order.
#[rustfmt::skip]
const TABLE: &[(Category, &[&str])] = &[
    // VCS and dependencies come first: a package's own `.env` or key is the package's.
    (Category::Vcs, &["**/.git", "**/.git/**", "**/.hg/**", "**/.svn/**", "**/.bzr/**"]),
    (Category::Dependencies, &[
        "**/node_modules/**", "**/bower_components/**", "**/jspm_packages/**", "**/.pnpm-store/**",
        "**/.yarn/cache/**", "**/.venv/**", "**/venv/**", "**/site-packages/**",
        "**/__pypackages__/**", "**/vendor/bundle/**", "**/.bundle/**", "**/.m2/**",
        "**/Pods/**", "**/packages/*.nupkg",
    ]),
    (Category::Secrets, &[
        "**/.env", "**/.env.*", "**/*.pem", "**/*.key", "**/*.p12", "**/*.pfx", "**/*.jks",
        "**/id_rsa", "**/id_dsa", "**/id_ecdsa", "**/id_ed25519", "**/.npmrc", "**/.pypirc",
        "**/.netrc", "**/.aws/credentials", "**/.docker/config.json", "**/*.tfstate",
        "**/*.tfstate.*", "**/.terraform/**", "**/credentials.json", "**/service-account*.json",
        "**/.git-credentials", "**/secrets.yml", "**/secrets.yaml",
    ]),
    (Category::Caches, &[
        "**/__pycache__/**", "**/*.pyc", "**/.pytest_cache/**", "**/.mypy_cache/**",
        "**/.ruff_cache/**", "**/.tox/**", "**/.nox/**", "**/.gradle/**", "**/.cache/**",
        "**/.parcel-cache/**", "**/.turbo/**", "**/.sass-cache/**", "**/.eslintcache",
        "**/.npm/**", "**/.angular/cache/**",
    ]),
    (Category::TestOutput, &[
        "**/coverage/**", "**/.nyc_output/**", "**/htmlcov/**", "**/.coverage", "**/.coverage.*",
        "**/lcov.info", "**/test-results/**", "**/playwright-report/**", "**/junit*.xml",
    ]),
    (Category::BuildOutput, &[
        "**/dist/**", "**/build/**", "**/target/**", "**/out/**", "**/.next/**", "**/.nuxt/**",
        "**/.svelte-kit/**", "**/.output/**", "**/*.egg-info/**", "**/obj/**",
        "**/bin/Debug/**", "**/bin/Release/**",
    ]),
    (Category::Logs, &["**/*.log", "**/logs/**", "**/*.log.[0-9]*"]),
    (Category::EditorJunk, &[
        "**/.DS_Store", "**/Thumbs.db", "**/desktop.ini", "**/.idea/**", "**/.vscode/**",
        "**/*.swp", "**/*.swo", "**/*~", "**/.history/**",
    ]),
    (Category::LargeBinaries, &[
        "**/*.{zip,tar,tgz,gz,bz2,xz,zst,7z,rar,iso,dmg,img,qcow2,vmdk}",
        "**/*.{mp4,mov,avi,mkv,webm,mp3,wav,flac,psd,sqlite,sqlite3,db,dump,bak}",
    ]),
];

/// Compiled category globs.
pub struct Categorizer {
    set: GlobSet,
    /// The category of each glob in `set`.
    glob_category: Vec<Category>,
    not_secrets: GlobSet,
}

impl Categorizer {
    pub fn new() -> Categorizer {
        let mut builder = GlobSetBuilder::new();
        let mut glob_category = Vec::new();
        for (category, globs) in TABLE {
            for glob in *globs {
                builder.add(compile(glob));
                glob_category.push(*category);
            }
        }
        let mut not_secrets = GlobSetBuilder::new();
        for glob in NOT_SECRETS {
            not_secrets.add(compile(glob));
        }
        Categorizer {
            set: builder.build().expect("category globs are valid"),
            glob_category,
            not_secrets: not_secrets.build().expect("category globs are valid"),
        }
    }

    /// The category of a file, given its relative path and size. `scratch` is reused
    /// between calls to avoid an allocation per path.
    pub fn categorize(&self, path: &[u8], size: u64, scratch: &mut Vec<usize>) -> Category {
        let candidate = globset::Candidate::from_bytes(path);
        self.set.matches_candidate_into(&candidate, scratch);
        let mut best = scratch.iter().map(|&i| self.glob_category[i]).min();
        if best == Some(Category::Secrets) && self.not_secrets.is_match_candidate(&candidate) {
            best = scratch
                .iter()
                .map(|&i| self.glob_category[i])
                .filter(|&c| c != Category::Secrets)
                .min();
        }
        match best {
            Some(category) => category,
            None if size >= LARGE_FILE_BYTES => Category::LargeBinaries,
            None => Category::Other,
        }
    }
}

impl Default for Categorizer {
    fn default() -> Self {
        Categorizer::new()
    }
}

fn compile(glob: &str) -> Glob {
    globset::GlobBuilder::new(glob)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
        .expect("category globs are valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn category(path: &str) -> Category {
        Categorizer::new().categorize(path.as_bytes(), 10, &mut Vec::new())
    }

    #[test]
    fn table_categorizes_typical_paths() {
        let cases = [
            (".env", Category::Secrets),
            ("services/api/.env.production", Category::Secrets),
            (".env.example", Category::Other),
            ("deploy/key.pem", Category::Secrets),
            ("node_modules/.env", Category::Dependencies),
            (".git/objects/ab/cdef", Category::Vcs),
            ("node_modules/react/index.js", Category::Dependencies),
            ("a/node_modules/b/c.js", Category::Dependencies),
            (".venv/lib/python3.11/site-packages/x.py", Category::Dependencies),
            ("src/__pycache__/m.cpython-311.pyc", Category::Caches),
            ("coverage/lcov-report/index.html", Category::TestOutput),
            ("dist/app.js", Category::BuildOutput),
            ("node_modules/x/dist/y.js", Category::Dependencies),
            ("logs/app.txt", Category::Logs),
            ("debug.log", Category::Logs),
            (".DS_Store", Category::EditorJunk),
            ("assets/video.mp4", Category::LargeBinaries),
            ("src/main.rs", Category::Other),
            ("src/builder.rs", Category::Other),
        ];
        for (path, want) in cases {
            assert_eq!(category(path), want, "{path}");
        }
    }

    #[test]
    fn big_unknown_files_are_large_binaries() {
        let c = Categorizer::new();
        assert_eq!(
            c.categorize(b"data/blob", LARGE_FILE_BYTES, &mut Vec::new()),
            Category::LargeBinaries
        );
        assert_eq!(
            c.categorize(b"data/blob", LARGE_FILE_BYTES - 1, &mut Vec::new()),
            Category::Other
        );
    }

    #[test]
    fn table_is_in_precedence_order() {
        let order: Vec<Category> = TABLE.iter().map(|(c, _)| *c).collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted);
        assert_eq!(Category::ALL.len(), TABLE.len() + 1, "every category but Other has globs");
    }
}
