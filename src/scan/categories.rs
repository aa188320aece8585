//! What kind of bytes ship: dependencies, VCS, build output, caches, secrets, …
//!
//! Categories are data: one table of ctxsize's own globs (globset syntax, matched against
//! the path relative to the context). The first category in table order wins.
//!
//! Globs of the form `**/X/**` (everything below a directory `X`) are matched against
//! directories, once per directory and thread, and handed down to what lies below; the others
//! are compiled into one `GlobSet` matched once per path. Matching the directory globs
//! against every path instead would run a regex over each one.

use globset::{Candidate, Glob, GlobSet, GlobSetBuilder};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::rules::path;

/// A kind of content in the build context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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

/// Names that look like secrets but are templates meant to be shared, by the conventions of
/// dotenv, Laravel (`.env.example`), Symfony (`.env.dist`) and Compose `env_file`s: an env
/// file name with `example`, `sample`, `template` or `dist` as its last part
/// (`.env.example`, `.env.production.example`, `docker.env.sample`) or as the part before
/// `.env` (`example.env`, `app.sample.env`). `.env.example.local` is not one: `.local` is the
/// convention for a machine's own values.
#[rustfmt::skip]
const NOT_SECRETS: &[&str] = &[
    // `*` may be empty: `**/*.env.example` covers `.env.example`.
    "**/*.env.dist", "**/*.env.example", "**/*.env.sample", "**/*.env.template",
    "**/.env.*.dist", "**/.env.*.example", "**/.env.*.sample", "**/.env.*.template",
    "**/dist.env", "**/example.env", "**/sample.env", "**/template.env",
    "**/*.dist.env", "**/*.example.env", "**/*.sample.env", "**/*.template.env",
];

/// Secrets by their place, whatever their content: Rails' master key and per-environment
/// credential keys hold 32 hexadecimal characters, nothing a content check recognises.
#[rustfmt::skip]
const SECRETS_BY_PATH: &[&str] = &[
    "**/config/master.key",
    "**/config/credentials/*.key",
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
    // One glob per extension, not `*.{a,b}`: globset matches extensions by hash, alternations
    // by regex.
    (Category::LargeBinaries, &[
        "**/*.zip", "**/*.tar", "**/*.tgz", "**/*.gz", "**/*.bz2", "**/*.xz", "**/*.zst",
        "**/*.7z", "**/*.rar", "**/*.iso", "**/*.dmg", "**/*.img", "**/*.qcow2", "**/*.vmdk",
        "**/*.mp4", "**/*.mov", "**/*.avi", "**/*.mkv", "**/*.webm", "**/*.mp3", "**/*.wav",
        "**/*.flac", "**/*.psd", "**/*.sqlite", "**/*.sqlite3", "**/*.db", "**/*.dump",
        "**/*.bak",
    ]),
];

/// Compiled category globs.
pub struct Categorizer {
    /// Globs matched against the path itself.
    names: Globs,
    /// Globs whose last component holds a leading `.` or two `.` (`**/.env.*`,
    /// `**/*.tfstate.*`): only names of that shape can match them, and most names are not.
    dotted: Globs,
    /// Globs whose last component ends in a fixed extension but needs more than that
    /// (`**/junit*.xml`, `**/packages/*.nupkg`), by that extension: each would otherwise be a
    /// regex run on every file.
    by_extension: FxHashMap<&'static [u8], Globs>,
    /// `**/X/**` globs, as `**/X`, matched against directories.
    directories: Globs,
    not_secrets: GlobSet,
    secrets_by_path: GlobSet,
}

/// Globs compiled into one set, with the category of each.
struct Globs {
    set: GlobSet,
    categories: Vec<Category>,
}

impl Globs {
    fn new(globs: &[(&str, Category)]) -> Globs {
        let mut builder = GlobSetBuilder::new();
        for (glob, _) in globs {
            builder.add(compile(glob));
        }
        Globs {
            set: builder.build().expect("category globs are valid"),
            categories: globs.iter().map(|(_, category)| *category).collect(),
        }
    }

    /// The first category (in table order) of the globs that match, other than `except`.
    fn best(
        &self,
        candidate: &Candidate<'_>,
        except: Option<Category>,
        scratch: &mut Vec<usize>,
    ) -> Option<Category> {
        self.set.matches_candidate_into(candidate, scratch);
        scratch.iter().map(|&i| self.categories[i]).filter(|&c| Some(c) != except).min()
    }
}

/// Whether a name has a leading `.` or two `.`.
fn is_dotted(name: &[u8]) -> bool {
    name.first() == Some(&b'.') || name.iter().filter(|&&b| b == b'.').count() >= 2
}

/// Which set a glob of the table goes to (directory globs aside).
enum Gate {
    /// Only dotted names can match it.
    Dotted,
    /// Only names with this extension can match it.
    Extension(&'static str),
    None,
}

/// What every name a `**/…` glob matches must look like, read off its last component:
/// leading or literal dots (those outside classes; `*` and `?` only add to them), or a fixed
/// extension. Globs with braces or escapes are left alone.
fn gate(glob: &'static str) -> Gate {
    let Some(rest) = glob.strip_prefix("**/") else { return Gate::None };
    let name = path::name(rest);
    if name.contains(['{', '\\']) {
        return Gate::None;
    }
    let mut literal_dots = 0;
    let mut in_class = false;
    for byte in name.bytes() {
        match byte {
            b'[' => in_class = true,
            b']' => in_class = false,
            b'.' if !in_class => literal_dots += 1,
            _ => {}
        }
    }
    if name.starts_with('.') || literal_dots >= 2 {
        return Gate::Dotted;
    }
    match path::split_extension(name) {
        // `*.ext` alone globset already looks up by extension.
        Some((stem, ext))
            if stem != "*" && !ext.is_empty() && !ext.contains(['*', '?', '[', ']']) =>
        {
            Gate::Extension(ext)
        }
        _ => Gate::None,
    }
}

impl Default for Categorizer {
    fn default() -> Categorizer {
        Categorizer::new()
    }
}

/// What a thread has learnt of directories: the category each hands down to what lies below
/// it (`None`: none).
#[derive(Debug, Default)]
pub struct DirectoryMemory(FxHashMap<Box<[u8]>, Option<Category>>);

impl Categorizer {
    pub fn new() -> Categorizer {
        let (mut names, mut dotted, mut directories) = (Vec::new(), Vec::new(), Vec::new());
        let mut by_extension: FxHashMap<&str, Vec<_>> = FxHashMap::default();
        for (category, globs) in TABLE {
            for &glob in *globs {
                if let Some(directory) = glob.strip_suffix("/**") {
                    directories.push((directory, *category));
                    continue;
                }
                match gate(glob) {
                    Gate::Dotted => dotted.push((glob, *category)),
                    Gate::Extension(ext) => {
                        by_extension.entry(ext).or_default().push((glob, *category))
                    }
                    Gate::None => names.push((glob, *category)),
                }
            }
        }
        let set = |globs: &[&str]| {
            let mut builder = GlobSetBuilder::new();
            for glob in globs {
                builder.add(compile(glob));
            }
            builder.build().expect("category globs are valid")
        };
        Categorizer {
            names: Globs::new(&names),
            dotted: Globs::new(&dotted),
            by_extension: by_extension
                .into_iter()
                .map(|(ext, globs)| (ext.as_bytes(), Globs::new(&globs)))
                .collect(),
            directories: Globs::new(&directories),
            not_secrets: set(NOT_SECRETS),
            secrets_by_path: set(SECRETS_BY_PATH),
        }
    }

    /// The category of one file, `memory` being this thread's.
    pub fn categorize(
        &self,
        path: &[u8],
        size: u64,
        scratch: &mut Vec<usize>,
        memory: &mut DirectoryMemory,
    ) -> Category {
        let candidate = Candidate::from_bytes(path);
        let name = path::name(path);
        let own = |except, scratch: &mut Vec<usize>| {
            let plain = self.names.best(&candidate, except, scratch);
            let dotted =
                if is_dotted(name) { self.dotted.best(&candidate, except, scratch) } else { None };
            let gated = path::extension(name)
                .and_then(|ext| self.by_extension.get(ext))
                .and_then(|globs| globs.best(&candidate, except, scratch));
            [plain, dotted, gated].into_iter().flatten().min()
        };
        let mut own_category = own(None, scratch);
        // `.env.example` is not a secret, whatever else its name matches; below a directory
        // of secrets (`.terraform/`) it still is.
        if own_category == Some(Category::Secrets)
            && self.not_secrets.is_match_candidate(&candidate)
        {
            own_category = own(Some(Category::Secrets), scratch);
        }
        let inherited = path::parent(path).and_then(|dir| self.handed_down(dir, scratch, memory));
        match [own_category, inherited].into_iter().flatten().min() {
            Some(category) => category,
            None if size >= LARGE_FILE_BYTES => Category::LargeBinaries,
            None => Category::Other,
        }
    }

    /// Whether a file the categories call a secret is one by its path alone, whatever its
    /// content (Rails' `config/master.key`), rather than only when its content gives
    /// credentials away.
    pub fn secret_by_path(&self, path: &[u8]) -> bool {
        self.secrets_by_path.is_match_candidate(&Candidate::from_bytes(path))
    }

    /// The category a directory hands down to everything below it (`node_modules`:
    /// dependencies), if any.
    pub fn directory_category(&self, dir: &[u8]) -> Option<Category> {
        self.handed_down(dir, &mut Vec::new(), &mut DirectoryMemory::default())
    }

    /// The category a directory hands down: its own (`**/X/**` globs) or its parent's.
    fn handed_down(
        &self,
        dir: &[u8],
        scratch: &mut Vec<usize>,
        memory: &mut DirectoryMemory,
    ) -> Option<Category> {
        if let Some(&known) = memory.0.get(dir) {
            return known;
        }
        let above = path::parent(dir).and_then(|parent| self.handed_down(parent, scratch, memory));
        let own = self.directories.best(&Candidate::from_bytes(dir), None, scratch);
        let category = [own, above].into_iter().flatten().min();
        memory.0.insert(dir.into(), category);
        category
    }
}

fn compile(glob: &str) -> Glob {
    // `**/*X` (X plain, without `/`) ends in X however `*` treats `/`; allowing `*` to match
    // `/` there lets globset compare the suffix rather than run a regex.
    let suffix_only = glob
        .strip_prefix("**/*")
        .is_some_and(|rest| !rest.is_empty() && !rest.contains(['/', '*', '?', '[', '{', '\\']));
    globset::GlobBuilder::new(glob)
        .literal_separator(!suffix_only)
        .backslash_escape(true)
        .build()
        .expect("category globs are valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn category(path: &str) -> Category {
        Categorizer::new().categorize(
            path.as_bytes(),
            10,
            &mut Vec::new(),
            &mut DirectoryMemory::default(),
        )
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

    /// Handing directory categories down and matching dotted names apart gives what matching
    /// every glob against the whole path gives.
    #[test]
    fn directory_globs_hand_down_what_matching_the_path_gives() {
        let mut builder = GlobSetBuilder::new();
        let mut categories = Vec::new();
        for (category, globs) in TABLE {
            for glob in *globs {
                builder.add(compile(glob));
                categories.push(*category);
            }
        }
        let whole = builder.build().unwrap();
        let reference = |path: &str| {
            whole.matches(path).into_iter().map(|i| categories[i]).min().unwrap_or(Category::Other)
        };
        let categorizer = Categorizer::new();
        let mut memory = DirectoryMemory::default();
        let mut checked = 0;
        for glob in TABLE.iter().flat_map(|(_, globs)| globs.iter()) {
            let Some(dir) = glob.strip_prefix("**/").and_then(|g| g.strip_suffix("/**")) else {
                continue;
            };
            let dir = dir.replace('*', "x");
            for path in [
                format!("{dir}/f.txt"),
                format!("a/{dir}/b/f.txt"),
                format!("a/{dir}"),
                format!("{dir}x/f.txt"),
                format!("a/{dir}/node_modules/f.txt"),
                format!("dist/{dir}/f.txt"),
            ] {
                let got = categorizer.categorize(path.as_bytes(), 10, &mut Vec::new(), &mut memory);
                assert_eq!(got, reference(&path), "{path}");
                checked += 1;
            }
        }
        for glob in TABLE.iter().flat_map(|(_, globs)| globs.iter()) {
            let Some(name) = glob.strip_prefix("**/").filter(|n| !n.ends_with("/**")) else {
                continue;
            };
            // Stars as nothing, as a word and as dotted words; the one class as a member.
            for star in ["", "x", "x.y", "a.b.c"] {
                let name = name.replace('*', star).replace("[0-9]", "7");
                for path in [name.clone(), format!("a/{name}"), format!("node_modules/b/{name}")] {
                    let got =
                        categorizer.categorize(path.as_bytes(), 10, &mut Vec::new(), &mut memory);
                    assert_eq!(got, reference(&path), "{path}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    #[test]
    fn env_templates_are_not_secrets() {
        for path in [
            ".env.example",
            ".env.sample",
            ".env.template",
            ".env.dist",
            ".env.production.example",
            ".env.local.sample",
            "docker.env.example",
            "example.env",
            "app.sample.env",
            "services/api/.env.example",
            "services/api/.env.staging.template",
            "config/example.env",
        ] {
            assert_eq!(category(path), Category::Other, "{path}");
        }
        for path in [
            ".env",
            ".env.local",
            ".env.production",
            ".env.example.local",
            ".env.examples",
            "services/api/.env.staging",
            // Below a directory of secrets a template stays a secret.
            ".terraform/.env.example",
            "infra/.terraform/modules/m/.env.production.example",
        ] {
            assert_eq!(category(path), Category::Secrets, "{path}");
        }
        // Inside dependencies, a package's own files stay the package's.
        assert_eq!(category("node_modules/x/.env.example"), Category::Dependencies);
    }

    #[test]
    fn rails_keys_are_secrets_by_path() {
        let categorizer = Categorizer::new();
        for path in [
            "config/master.key",
            "config/credentials/production.key",
            "apps/web/config/master.key",
            "apps/web/config/credentials/staging.key",
        ] {
            assert_eq!(category(path), Category::Secrets, "{path}");
            assert!(categorizer.secret_by_path(path.as_bytes()), "{path}");
        }
        // Other key files are secrets only when they hold a private key.
        for path in [
            "server.key",
            "config/server.key",
            "config/credentials/nested/x.key",
            "config/master.key.enc",
            "config/credentials/production.yml.enc",
            "myconfig/master.key",
        ] {
            assert!(!categorizer.secret_by_path(path.as_bytes()), "{path}");
        }
    }

    #[test]
    fn big_unknown_files_are_large_binaries() {
        let c = Categorizer::new();
        assert_eq!(
            c.categorize(b"data/blob", LARGE_FILE_BYTES, &mut Vec::new(), &mut Default::default()),
            Category::LargeBinaries
        );
        assert_eq!(
            c.categorize(
                b"data/blob",
                LARGE_FILE_BYTES - 1,
                &mut Vec::new(),
                &mut Default::default()
            ),
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
