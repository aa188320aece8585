//! The `.dockerignore` templates, run through the real rule engine: every rule is accepted by
//! BuildKit, matches what its comment says, and no template keeps out a file builds need.
//!
//! Paths are decided by the walk's own step: each ancestor directory first, what it hands
//! down passed on, stopping at a directory BuildKit prunes; a file the walk keeps goes
//! through BuildKit's content check there, which can ship it empty. The last component of
//! every sample path is taken as a file.

use std::collections::BTreeSet;
use std::path::Path;

use ctxsize::rules::{self, Inherited, RuleIndex, RuleSet};
use ctxsize::templates::{self, ProjectKind, Template, TemplateRule};
use ctxsize::walk::EntryKind;

/// What BuildKit does with one path, and the template line that decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Shipped,
    /// Listed, but the content check matched a directory above it: it arrives empty.
    ShippedEmpty {
        line: usize,
    },
    /// Excluded by a rule on the path or on an ancestor (`line` in the concatenated text).
    Excluded {
        line: Option<usize>,
    },
}

fn fate(rules: &RuleSet, path: &str) -> Fate {
    let bytes = path.as_bytes();
    let line_of = |index: Option<RuleIndex>| index.map(|i| rules.rules()[usize::from(i)].line);
    let mut parent = Inherited::ROOT;
    let ends = bytes.iter().enumerate().filter(|&(_, &b)| b == b'/').map(|(i, _)| i);
    for end in ends.chain([bytes.len()]) {
        let is_last = end == bytes.len();
        let kind = if is_last { EntryKind::File } else { EntryKind::Dir };
        let step = rules.step(&parent, &bytes[..end], kind).unwrap_or_else(|error| {
            panic!("BuildKit would fail the build on {path}: {error}");
        });
        match step.fate {
            rules::Fate::Excluded { rule, pruned } if is_last || pruned => {
                return Fate::Excluded { line: line_of(rule) };
            }
            rules::Fate::ShippedEmpty { rule } => {
                return Fate::ShippedEmpty { line: line_of(rule).unwrap() };
            }
            rules::Fate::Shipped if is_last => return Fate::Shipped,
            _ => parent = step.children(),
        }
    }
    unreachable!("the loop returns at the last component")
}

fn compile(what: &str, text: &str) -> RuleSet {
    RuleSet::from_ignore_file(text.as_bytes())
        .unwrap_or_else(|error| panic!("BuildKit rejects {what}: {error}"))
}

fn template(name: &str) -> Template {
    match name {
        "generic" => templates::generic(),
        _ => templates::template_for(ProjectKind::from_name(name).expect("a template name")),
    }
}

/// The combinations a project gets: the template alone, and generic plus an ecosystem in
/// both orders (the order of concatenation must not matter).
fn combinations(name: &str) -> Vec<(String, String)> {
    let own = template(name).text.to_owned();
    let generic = templates::generic().text;
    let mut out = vec![(name.to_owned(), own.clone())];
    let partners: Vec<&str> = if name == "generic" {
        ProjectKind::ALL.iter().map(|k| k.name()).collect()
    } else {
        vec![name]
    };
    for partner in partners {
        let partner_text = template(partner).text;
        out.push((format!("generic+{partner}"), format!("{generic}\n{partner_text}")));
        out.push((format!("{partner}+generic"), format!("{partner_text}\n{generic}")));
    }
    out
}

/// (template, rule as written, paths it must exclude, paths it must leave alone).
///
/// For an ordinary rule, both lists are checked with the rule alone (it matches what its
/// comment says, and no more), and the first list again with the whole template and with
/// generic plus the template (nothing later undoes it). For a `!` rule, both lists are
/// checked with the whole template and those combinations: it re-includes the second list
/// and not the first.
type Row = (&'static str, &'static str, &'static [&'static str], &'static [&'static str]);

#[rustfmt::skip]
const ROWS: &[Row] = &[
    // generic: version control
    ("generic", "**/.git", &[".git/HEAD", ".git", "third_party/lib/.git/config"], &[".gitignore", ".gitattributes", "src/.gitkeep", "a.git/x", ".github/x"]),
    ("generic", "**/.hg", &[".hg/store/data/x.i", "sub/.hg/hgrc"], &[".hgignore", ".hgtags"]),
    ("generic", "**/.svn", &[".svn/wc.db", "src/.svn/entries"], &["svn/x", "a.svn"]),
    // generic: editors and operating systems
    ("generic", "**/.DS_Store", &[".DS_Store", "src/img/.DS_Store"], &["DS_Store", ".DS_Store.txt"]),
    ("generic", "**/Thumbs.db", &["Thumbs.db", "assets/img/Thumbs.db"], &["Thumbs.db.bak", "thumbs/x"]),
    ("generic", "**/*.swp", &[".main.c.swp", "src/.app.py.swp"], &["a.swp.txt", "swp"]),
    ("generic", "**/*~", &["notes.txt~", "src/main.rs~"], &["a~b", "~user/x"]),
    ("generic", "**/.idea", &[".idea/workspace.xml", "backend/.idea/misc.xml"], &["idea/x", ".ideas"]),
    ("generic", "**/*.iml", &["app.iml", "mod/mod.iml"], &["app.iml.txt", "html/x"]),
    ("generic", "**/.vscode", &[".vscode/settings.json", "web/.vscode/launch.json"], &["vscode/x", ".vscodeignore"]),
    ("generic", "**/.vs", &[".vs/App/v17/.suo", "src/.vs/x"], &[".vscode/x", ".vsconfig"]),
    ("generic", "**/.classpath", &[".classpath", "mod/.classpath"], &["classpath.txt"]),
    ("generic", "**/.project", &[".project", "mod/.project"], &["project/x", ".projectile"]),
    ("generic", "**/.settings", &[".settings/org.eclipse.jdt.core.prefs", "mod/.settings/x"], &["settings/x", "settings.py"]),
    // generic: continuous integration
    ("generic", ".github", &[".github/workflows/ci.yml", ".github/dependabot.yml"], &["docs/.github/x", ".githubx"]),
    ("generic", ".gitlab-ci.yml", &[".gitlab-ci.yml"], &["ci/.gitlab-ci.yml"]),
    ("generic", ".circleci", &[".circleci/config.yml"], &["x/.circleci/config.yml"]),
    ("generic", ".buildkite", &[".buildkite/pipeline.yml"], &["x/.buildkite/pipeline.yml"]),
    ("generic", "Jenkinsfile", &["Jenkinsfile"], &["ci/Jenkinsfile", "Jenkinsfile.groovy"]),
    // generic: Docker files
    ("generic", "**/Dockerfile", &["Dockerfile", "services/api/Dockerfile"], &["docker/entrypoint.sh", "Dockerfile.dev", "src/dockerfile.go"]),
    ("generic", "**/Dockerfile.*", &["Dockerfile.dev", "Dockerfile.dockerignore", "svc/Dockerfile.prod"], &["Dockerfile", "Dockerfiles/base.sh"]),
    ("generic", "**/*.Dockerfile", &["api.Dockerfile", "docker/worker.Dockerfile"], &["Dockerfile", "docker/entrypoint.sh"]),
    ("generic", ".dockerignore", &[".dockerignore"], &["sub/.dockerignore", "templates/node.dockerignore"]),
    ("generic", "**/docker-compose*.y*ml", &["docker-compose.yml", "docker-compose.override.yaml", "deploy/docker-compose.prod.yml"], &["composer.json", "composer.lock", "docker-compose.md"]),
    ("generic", "**/compose.y*ml", &["compose.yaml", "compose.yml", "ops/compose.yaml"], &["composer.json", "composer.lock", "composer.yaml", "src/compose.ts"]),
    ("generic", "**/compose.*.y*ml", &["compose.override.yaml", "ops/compose.prod.yml"], &["compose.yaml", "composer.yaml", "composer.json"]),
    // generic: logs and test output
    ("generic", "**/*.log", &["debug.log", "logs/app.log", "storage/logs/laravel.log"], &["logs/README", "log/x.log.gz", "changelog"]),
    ("generic", "coverage", &["coverage/lcov.info", "coverage/lcov-report/index.html"], &["src/coverage/index.ts", "internal/coverage/cover.go", "coverage.go"]),
    ("generic", "**/perf.data", &["perf.data", "bench/perf.data"], &["perf.data.old", "perf/data", "perf.database.go"]),
    ("generic", "**/perf.data.old", &["perf.data.old", "bench/perf.data.old"], &["perf.data", "perf.data.older"]),
    // generic: database dumps
    ("generic", "*.sql.gz", &["backup.sql.gz", "prod-2024-01-01.sql.gz"], &["schema.sql", "docker-entrypoint-initdb.d/init.sql.gz", "db/seed.sql.gz"]),
    ("generic", "*.dump", &["latest.dump", "db.dump"], &["db/seed.dump", "dump.go", "dump"]),
    ("generic", "*.sqlite3", &["db.sqlite3", "dev.sqlite3"], &["data/geo.sqlite3", "db.sqlite3-journal", "sqlite3.go"]),
    // generic: secrets
    ("generic", "**/.env", &[".env", "services/api/.env"], &[".envrc", ".env.example", "env/x"]),
    ("generic", "**/.env.*", &[".env.local", ".env.production", "web/.env.development.local", "api/.env.example"], &[".env", ".environment"]),
    ("generic", "**/.envrc", &[".envrc", "svc/.envrc"], &[".env", "envrc"]),
    ("generic", "!.env.example", &["api/.env.example", ".env.local"], &[".env.example"]),
    ("generic", "!.env.sample", &["api/.env.sample", ".env"], &[".env.sample"]),
    ("generic", "**/*_rsa", &["id_rsa", ".ssh/id_rsa", "deploy/deploy_rsa"], &["id_rsa.pub", "crypto/rsa.go"]),
    ("generic", "**/*_dsa", &["id_dsa", "keys/old_dsa"], &["id_dsa.pub"]),
    ("generic", "**/*_ecdsa", &["id_ecdsa", "keys/host_ecdsa"], &["id_ecdsa.pub"]),
    ("generic", "**/*_ed25519", &["id_ed25519", "ci/deploy_ed25519"], &["id_ed25519.pub"]),
    ("generic", "**/*.pem", &["server.pem", "certs/key.pem"], &["pem/x", "a.pem.txt"]),
    ("generic", "**/*.key", &["config/master.key", "config/credentials/production.key", "tls.key"], &["config/credentials.yml.enc", "keys/README", "a.keys"]),
    ("generic", "**/*.p12", &["cert.p12", "ios/dist.p12"], &["p12.md"]),
    ("generic", "**/*.pfx", &["aspnetapp.pfx", "certs/dev.pfx"], &["pfx.txt"]),
    ("generic", "**/*.pkcs12", &["client.pkcs12"], &["pkcs12.go"]),
    ("generic", "**/*.jks", &["truststore.jks", "conf/keystore.jks"], &["jks.md"]),
    ("generic", "**/*.keystore", &["release.keystore", "android/app/debug.keystore"], &["keystore.go"]),
    ("generic", "**/*.ppk", &["server.ppk"], &["ppk.txt"]),
    ("generic", "**/*.kdbx", &["passwords.kdbx", "ops/team.kdbx"], &["kdbx.md"]),
    ("generic", "**/.pypirc", &[".pypirc", "pkg/.pypirc"], &["pypirc.md"]),
    ("generic", "**/.netrc", &[".netrc", "ci/.netrc"], &["netrc.go"]),
    ("generic", "**/.git-credentials", &[".git-credentials"], &[".gitconfig"]),
    ("generic", "**/.dockercfg", &[".dockercfg", "ci/.dockercfg"], &["dockercfg.go"]),
    ("generic", "**/.docker/config.json", &[".docker/config.json", "ci/.docker/config.json"], &["config.json", "docker/config.json", ".docker/daemon.json"]),
    ("generic", "**/.aws/credentials", &[".aws/credentials", "home/.aws/credentials"], &[".aws/config", "credentials"]),
    ("generic", "**/.s3cfg", &[".s3cfg"], &["s3cfg.py"]),
    ("generic", "**/.htpasswd", &[".htpasswd", "public/.htpasswd"], &[".htaccess", "public/.htaccess"]),
    ("generic", "**/.pgpass", &[".pgpass"], &["pgpass.c"]),
    ("generic", "**/sftp-config.json", &["sftp-config.json", "site/sftp-config.json"], &["config.json"]),
    ("generic", "**/secrets.dev.yaml", &["secrets.dev.yaml", "charts/app/secrets.dev.yaml"], &["secrets.yaml"]),
    ("generic", "**/.*_history", &[".bash_history", ".psql_history", "home/.zsh_history", ".byebug_history"], &["history.md", "bash_history", "src/_history.ts"]),
    // generic: Terraform
    ("generic", "**/.terraform", &[".terraform/providers/x", "infra/.terraform/modules/y"], &[".terraform.lock.hcl", "infra/.terraform.lock.hcl", "terraform/main.tf"]),
    ("generic", "**/*.tfstate", &["terraform.tfstate", "infra/prod.tfstate"], &["main.tf", "terraform.tfstate.backup"]),
    ("generic", "**/*.tfstate.*", &["terraform.tfstate.backup", "infra/terraform.tfstate.1700000000.backup"], &["terraform.tfstate"]),
    ("generic", "**/*.tfvars", &["prod.tfvars", "infra/terraform.tfvars"], &["variables.tf", "prod.tfvars.json"]),
    ("generic", "**/*.tfvars.json", &["prod.tfvars.json", "infra/x.tfvars.json"], &["prod.tfvars"]),
    ("generic", "**/.terraformrc", &[".terraformrc"], &[".terraform.lock.hcl"]),
    ("generic", "**/terraform.rc", &["terraform.rc", "ci/terraform.rc"], &["terraform.tf"]),

    // node
    ("node", "**/node_modules", &["node_modules/react/index.js", "packages/ui/node_modules/x/package.json", "node_modules"], &["node_modules_docs/a.md", "src/node_modules.ts"]),
    ("node", "**/bower_components", &["bower_components/jquery/jquery.js", "static/bower_components/x.js"], &["bower.json"]),
    ("node", "**/npm-debug.log*", &["npm-debug.log", "npm-debug.log.1", "packages/a/npm-debug.log"], &["npm-debug.txt"]),
    ("node", "**/yarn-debug.log*", &["yarn-debug.log", "web/yarn-debug.log"], &["yarn.lock"]),
    ("node", "**/yarn-error.log*", &["yarn-error.log", "web/yarn-error.log"], &["yarn.lock"]),
    ("node", "**/.pnpm-debug.log*", &[".pnpm-debug.log", "apps/a/.pnpm-debug.log"], &["pnpm-lock.yaml"]),
    ("node", "**/lerna-debug.log*", &["lerna-debug.log"], &["lerna.json"]),
    ("node", ".npm", &[".npm/_cacache/index-v5/x"], &[".npmrc", ".npmignore", "web/.npm/x"]),
    ("node", ".pnpm-store", &[".pnpm-store/v3/files/00/x"], &["pnpm-workspace.yaml", "web/.pnpm-store/x"]),
    ("node", ".yarn/install-state.gz", &[".yarn/install-state.gz"], &[".yarn/releases/yarn-4.1.0.cjs", ".yarnrc.yml"]),
    ("node", ".yarn/build-state.yml", &[".yarn/build-state.yml"], &[".yarn/releases/yarn-4.1.0.cjs"]),
    ("node", ".yarn/unplugged", &[".yarn/unplugged/esbuild-npm-0.19.0/node_modules/esbuild/bin/esbuild"], &[".yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs", ".yarn/patches/x.patch"]),
    ("node", "**/.eslintcache", &[".eslintcache", "apps/web/.eslintcache"], &[".eslintrc.js", "eslint.config.js"]),
    ("node", "**/*.tsbuildinfo", &["tsconfig.tsbuildinfo", "packages/a/tsconfig.build.tsbuildinfo"], &["tsconfig.json"]),
    ("node", "**/.cache", &[".cache/babel-loader/x.json", "apps/site/.cache/y"], &["cache/x", "src/cache.ts"]),
    ("node", "**/.parcel-cache", &[".parcel-cache/data.mdb", "web/.parcel-cache/x"], &[".parcelrc"]),
    ("node", "**/.vite", &[".vite/deps/react.js", "apps/web/.vite/x"], &["vite.config.ts", "docs/.vitepress/config.ts"]),
    ("node", "**/vite.config.*.timestamp-*", &["vite.config.ts.timestamp-1700000000000-abc.mjs", "apps/web/vite.config.js.timestamp-1.mjs"], &["vite.config.ts", "vite.config.mjs"]),
    ("node", "**/.angular/cache", &[".angular/cache/17.0.0/x", "apps/admin/.angular/cache/y"], &["angular.json", ".angular/config.json"]),
    ("node", "**/.turbo", &[".turbo/cookies/x", "apps/web/.turbo/turbo-build.log"], &["turbo.json"]),
    ("node", ".nx/cache", &[".nx/cache/123/outputs/x"], &["nx.json", ".nx/installation/package.json"]),
    ("node", ".nx/workspace-data", &[".nx/workspace-data/project-graph.json"], &["nx.json", ".nx/installation/package.json"]),
    ("node", "**/.next", &[".next/cache/webpack/x", ".next/standalone/server.js", "apps/web/.next/BUILD_ID"], &["next.config.js", "public/next.svg", "src/next/x.ts"]),
    ("node", "**/.nuxt", &[".nuxt/nuxt.d.ts", "apps/a/.nuxt/x"], &["nuxt.config.ts"]),
    ("node", "**/.output", &[".output/server/index.mjs", "apps/a/.output/x"], &["output/x", "src/output.ts"]),
    ("node", "**/.svelte-kit", &[".svelte-kit/generated/root.js"], &["svelte.config.js"]),
    ("node", "**/.nyc_output", &[".nyc_output/x.json", "packages/a/.nyc_output/y.json"], &[".nycrc"]),

    // python
    ("python", "**/__pycache__", &["__pycache__/app.cpython-312.pyc", "pkg/sub/__pycache__/m.cpython-312.pyc"], &["pkg/__init__.py"]),
    ("python", "**/*.py[co]", &["app.pyc", "pkg/mod.pyo"], &["app.py", "ext.pyd", "app.pyi"]),
    ("python", "**/.venv", &[".venv/bin/python", "services/api/.venv/lib/python3.12/site-packages/x.py"], &["venv.py", ".venvrc"]),
    ("python", "**/venv", &["venv/bin/activate", "tools/venv/pyvenv.cfg"], &["src/venv.py", "venvs/x"]),
    ("python", "__pypackages__", &["__pypackages__/3.12/lib/x.py"], &["pkg/__pypackages__/x"]),
    ("python", "**/*.egg-info", &["mypkg.egg-info/PKG-INFO", "src/mypkg.egg-info/SOURCES.txt"], &["setup.py", "egg-info.md"]),
    ("python", "**/.eggs", &[".eggs/x.egg"], &["eggs/x"]),
    ("python", ".pdm-build", &[".pdm-build/x"], &["pdm.lock", ".pdm-python"]),
    ("python", "**/.tox", &[".tox/py312/bin/python", "pkg/.tox/x"], &["tox.ini"]),
    ("python", "**/.nox", &[".nox/tests/bin/python"], &["noxfile.py"]),
    ("python", "**/.pytest_cache", &[".pytest_cache/v/cache/lastfailed", "tests/.pytest_cache/x"], &["pytest.ini", "conftest.py"]),
    ("python", "**/.mypy_cache", &[".mypy_cache/3.12/x.json"], &["mypy.ini"]),
    ("python", "**/.ruff_cache", &[".ruff_cache/0.4.0/x"], &["ruff.toml", ".ruff.toml"]),
    ("python", "**/.hypothesis", &[".hypothesis/examples/x"], &["hypothesis/x"]),
    ("python", "**/htmlcov", &["htmlcov/index.html", "pkg/htmlcov/x.html"], &["src/htmlcov.py"]),
    ("python", "**/.coverage", &[".coverage", "pkg/.coverage"], &[".coveragerc", ".coverage.host.1"]),
    ("python", "**/.coverage.*", &[".coverage.host.1234.567", "pkg/.coverage.x"], &[".coveragerc", ".coverage"]),
    ("python", "**/.ipynb_checkpoints", &[".ipynb_checkpoints/a-checkpoint.ipynb", "notebooks/.ipynb_checkpoints/b"], &["notebooks/a.ipynb"]),
    ("python", "db.sqlite3*", &["db.sqlite3", "db.sqlite3-journal"], &["app/db.sqlite3", "db.py"]),
    ("python", "**/local_settings.py", &["local_settings.py", "mysite/local_settings.py"], &["settings.py", "mysite/settings.py"]),
    ("python", "**/.streamlit/secrets.toml", &[".streamlit/secrets.toml", "app/.streamlit/secrets.toml"], &[".streamlit/config.toml"]),

    // go
    ("go", "**/*.exe", &["app.exe", "cmd/tool/tool.exe"], &["main.go"]),
    ("go", "*.test", &["pkg.test"], &["testdata/case.test", "main_test.go"]),
    ("go", "*.out", &["cover.out", "cpu.out"], &["testdata/golden.out", "internal/x/testdata/a.out"]),
    ("go", "**/*.coverprofile", &["c.coverprofile", "pkg/a.coverprofile"], &["coverprofile.go"]),
    ("go", "**/coverage.out", &["pkg/api/coverage.out", "cmd/tool/coverage.out"], &["coverage.go", "coverage.outline", "testdata/golden.out"]),
    ("go", "**/cover.out", &["internal/x/cover.out", "pkg/cover.out"], &["cover.go", "discover.out", "cover.outs"]),
    ("go", "profile.cov", &["profile.cov"], &["profile.go"]),
    ("go", "coverage.txt", &["coverage.txt"], &["coverage.go"]),
    ("go", "coverage.html", &["coverage.html"], &["coverage.go", "coverage_test.go"]),
    ("go", "**/__debug_bin*", &["__debug_bin", "cmd/api/__debug_bin3998373107"], &["debug.go"]),

    // java
    ("java", "**/target", &["target/app-1.0.jar", "module-a/target/classes/A.class"], &["src/main/java/com/x/Target.java", "targets/x"]),
    ("java", "**/.gradle", &[".gradle/8.5/fileHashes/x.bin", "sub/.gradle/y"], &["build.gradle", "settings.gradle.kts", "gradle/wrapper/gradle-wrapper.jar", "gradle.properties"]),
    ("java", "**/*.class", &["Main.class", "out/production/com/x/A.class"], &["Main.java", "classes/x"]),
    ("java", "**/hs_err_pid*", &["hs_err_pid1234.log", "app/hs_err_pid99.log"], &["hs_err.md"]),
    ("java", "**/replay_pid*", &["replay_pid1234.log"], &["replay.java"]),

    // rust
    ("rust", "**/target", &["target/release/app", "crates/x/target/debug/y"], &["src/target.rs", "Cargo.toml"]),
    ("rust", "**/*.rs.bk", &["src/main.rs.bk", "main.rs.bk"], &["src/main.rs"]),
    ("rust", "**/mutants.out*", &["mutants.out/outcomes.json", "mutants.out.old/log", "crates/a/mutants.out/x"], &["mutants.toml"]),

    // ruby
    ("ruby", ".bundle", &[".bundle/config"], &["Gemfile", "engines/x/.bundle/config"]),
    ("ruby", "vendor/bundle", &["vendor/bundle/ruby/3.3.0/gems/rails/x.rb"], &["vendor/javascript/x.js", "vendor/assets/x.css"]),
    ("ruby", "*.gem", &["mygem-1.0.0.gem"], &["mygem.gemspec", "Gemfile", "pkg/x.gem"]),
    ("ruby", "log/*", &["log/development.log", "log/.keep"], &["log", "app/log/x.rb"]),
    ("ruby", "tmp/*", &["tmp/pids/server.pid", "tmp/cache/bootsnap/x"], &["tmp", "app/tmp/x"]),
    ("ruby", "storage/*", &["storage/development.sqlite3", "storage/ab/cd/abcd123"], &["storage", "config/storage.yml"]),
    ("ruby", "app/assets/builds/*", &["app/assets/builds/application.css"], &["app/assets/builds", "app/assets/stylesheets/application.css"]),
    ("ruby", "public/assets", &["public/assets/application-abc.css"], &["public/robots.txt", "public/404.html"]),
    ("ruby", "spec/reports", &["spec/reports/rspec.xml"], &["spec/models/user_spec.rb"]),
    ("ruby", ".yardoc", &[".yardoc/checksums"], &[".yardopts"]),

    // php
    ("php", "vendor", &["vendor/autoload.php", "vendor/laravel/framework/composer.json"], &["resources/views/vendor/mail/html/button.blade.php", "public/vendor/horizon/app.js", "lang/vendor/x.php"]),
    ("php", "auth.json", &["auth.json"], &["lang/en/auth.json", "resources/js/auth.json"]),
    ("php", "public/hot", &["public/hot"], &["public/index.php"]),
    ("php", "public/storage", &["public/storage"], &["storage/app/public/x.png", "public/.htaccess"]),
    ("php", "public/build", &["public/build/manifest.json", "public/build/assets/app-abc.js"], &["public/index.php", "resources/js/app.js"]),
    ("php", "bootstrap/cache/*.php", &["bootstrap/cache/config.php", "bootstrap/cache/packages.php"], &["bootstrap/app.php", "bootstrap/cache", "bootstrap/cache/.gitignore", "bootstrap/providers.php"]),
    ("php", "storage/logs/*", &["storage/logs/laravel.log", "storage/logs/.gitignore"], &["storage/logs", "storage/app/x"]),
    ("php", "storage/framework/sessions/*", &["storage/framework/sessions/abc"], &["storage/framework/sessions"]),
    ("php", "storage/framework/views/*", &["storage/framework/views/abc.php"], &["storage/framework/views", "resources/views/welcome.blade.php"]),
    ("php", "storage/framework/cache/data/*", &["storage/framework/cache/data/ab/cd/x"], &["storage/framework/cache/data", "storage/framework/cache/.gitignore"]),
    ("php", "Homestead.json", &["Homestead.json"], &["config/Homestead.json"]),
    ("php", "Homestead.yaml", &["Homestead.yaml"], &["config/Homestead.yaml"]),
    ("php", "**/.phpunit.result.cache", &[".phpunit.result.cache", "pkg/.phpunit.result.cache"], &["phpunit.xml"]),
    ("php", "**/.phpunit.cache", &[".phpunit.cache/test-results"], &["phpunit.xml.dist"]),
    ("php", "**/.php-cs-fixer.cache", &[".php-cs-fixer.cache"], &[".php-cs-fixer.dist.php", ".php-cs-fixer.php"]),

    // dotnet
    ("dotnet", "**/bin", &["bin/Debug/net8.0/App.dll", "src/App/bin/Release/x.dll"], &["src/App/Binding.cs", "src/App/App.csproj"]),
    ("dotnet", "**/obj", &["obj/project.assets.json", "src/App/obj/Debug/x"], &["src/App/Objects/A.cs"]),
    ("dotnet", "**/out", &["out/App.dll", "src/App/out/x"], &["src/App/Output.cs", "layout/x"]),
    ("dotnet", "**/TestResults", &["TestResults/x.trx", "tests/App.Tests/TestResults/y/coverage.cobertura.xml"], &["tests/App.Tests/TestResultsTests.cs"]),
    ("dotnet", "**/*.trx", &["results.trx", "tests/x.trx"], &["trx.cs"]),
    ("dotnet", "**/*.user", &["App.csproj.user", "src/App/App.csproj.user"], &["src/App/App.csproj", "Models/User.cs"]),
    ("dotnet", "**/*.suo", &["App.suo"], &["App.sln"]),
    ("dotnet", "**/*.dbmdl", &["Db.dbmdl"], &["Db.sqlproj"]),
    ("dotnet", "**/*.jfm", &["Db.jfm"], &["Db.sqlproj"]),
];

/// Files builds need, per template (`generic`: every project): each must ship intact under
/// its template plus the generic one, in either order. From the fact sheet's "keep" lists
/// and footguns.
#[rustfmt::skip]
const FOOTGUNS: &[(&str, &[&str])] = &[
    ("generic", &[
        // `**/compose*` would take these; `**/docker*` would take docker/.
        "composer.json", "composer.lock", "docker/entrypoint.sh", "docker/nginx.conf",
        // Providers are excluded, their lock file is not.
        ".terraform.lock.hcl", "infra/.terraform.lock.hcl",
        // Secret-free templates of .env files.
        ".env.example", ".env.sample",
        // Build inputs a broad generator drops: docs and readmes, charts-like source folders,
        // .gitignore (hatchling reads it to select files), tests for a test stage.
        "README.md", "LICENSE", "docs/index.md", "src/components/charts/Bar.tsx",
        ".gitignore", "tests/test_app.py", "spec/app_spec.rb",
        // Per-Dockerfile ignore files of other tools or templates are ordinary files.
        "templates/node.dockerignore",
        // Seed data an entrypoint loads lives below the root; migrations are plain SQL.
        "docker-entrypoint-initdb.d/10-seed.sql.gz", "db/fixtures.dump", "data/geo.sqlite3",
        "db/migrations/001_init.sql",
        // Public keys and CA material named like keys, but not private.
        "id_rsa.pub", "config/credentials.yml.enc",
    ]),
    ("node", &[
        "package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
        "bun.lock", "bun.lockb", "packages/ui/package.json",
        // Yarn Berry: config, the checked-in Yarn, plugins, patches, SDKs, versions.
        ".yarnrc.yml", ".yarn/releases/yarn-4.1.0.cjs",
        ".yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs", ".yarn/patches/lodash-npm-4.17.21.patch",
        ".yarn/sdks/typescript/lib/tsserver.js", ".yarn/versions/1a2b3c4d.yml",
        // Zero-installs: the committed cache and PnP loader are left to the user.
        ".yarn/cache/react-npm-18.2.0-abc.zip", ".pnp.cjs", ".pnp.loader.mjs",
        // pnpm needs these to install; .npmrc is a warning, not an exclusion.
        ".npmrc", "pnpm-workspace.yaml", ".pnpmfile.cjs", "patches/react@18.2.0.patch",
        // Express's generator starts from bin/www.
        "bin/www",
        // Next.js static assets and configs, Prisma schema and migrations.
        "public/favicon.ico", "public/robots.txt", "next.config.js", "next.config.mjs",
        "tsconfig.json", "tsconfig.build.json", ".babelrc", "prisma/schema.prisma",
        "prisma/migrations/20240101000000_init/migration.sql",
        // Turborepo's `turbo prune --docker` output on the host.
        "out/json/package.json", "out/full/apps/web/src/index.ts", "out/yarn.lock",
        ".nvmrc", ".nx/installation/package.json",
    ]),
    ("python", &[
        "README.md", "README.rst", "LICENSE", "pyproject.toml", "poetry.lock", "uv.lock", "Pipfile",
        "Pipfile.lock", "requirements.txt", "requirements-dev.txt", "requirements/base.txt",
        "setup.py", "setup.cfg", "MANIFEST.in", ".python-version", ".coveragerc",
        // docker init's `**/bin`, GitHub's `lib/` and a blanket `env` would take these.
        "bin/run-worker", "lib/mypkg/__init__.py", "env/settings.py", "src/app/env/__init__.py",
        "src/mypkg/build/__init__.py", "manage.py", "mysite/settings.py",
        "migrations/0001_initial.py", "db/migrations/001_init.sql",
    ]),
    ("go", &[
        "go.mod", "go.sum", "go.work", "go.work.sum",
        "vendor/modules.txt", "vendor/github.com/pkg/errors/errors.go",
        "bin/app.go", "internal/coverage/coverage.go", "coverage.go", "cmd/api/main_test.go",
        "testdata/golden.out", "pkg/x/testdata/case.test", "logs/logger.go",
    ]),
    ("java", &[
        "pom.xml", "mvnw", "mvnw.cmd", ".mvn/wrapper/maven-wrapper.properties",
        ".mvn/wrapper/maven-wrapper.jar", ".mvn/jvm.config", ".mvn/maven.config",
        "gradlew", "gradlew.bat", "gradle/wrapper/gradle-wrapper.jar",
        "gradle/wrapper/gradle-wrapper.properties", "gradle/libs.versions.toml",
        "buildSrc/build.gradle.kts", "buildSrc/src/main/kotlin/conventions.gradle.kts",
        "gradle.properties", "settings.gradle.kts", "settings.gradle", "build.gradle",
        "build.gradle.kts", "src/main/java/com/example/build/Builder.java",
        "src/main/resources/application.yml", "libs/vendor-sdk.jar", ".m2/settings.xml",
    ]),
    ("rust", &[
        "Cargo.toml", "Cargo.lock", ".cargo/config.toml", "vendor/serde/Cargo.toml",
        "vendor/serde/.cargo-checksum.json", "rust-toolchain.toml", "build.rs",
        "src/debug/mod.rs", "crates/core/src/lib.rs",
    ]),
    ("ruby", &[
        "Gemfile", "Gemfile.lock", "bin/rails", "bin/docker-entrypoint", "bin/setup",
        "config/credentials.yml.enc", "config/database.yml", "db/schema.rb",
        "db/migrate/20240101000000_create_users.rb", ".ruby-version", "vendor/javascript/x.js",
        // The directories the Rails Dockerfile chowns must exist in the image.
        "log", "tmp", "storage", "app/assets/builds", "public/robots.txt",
    ]),
    ("php", &[
        "composer.json", "composer.lock", "artisan", "public/index.php", "public/.htaccess",
        "bootstrap/app.php", "bootstrap/cache", "tests/Feature/ExampleTest.php", "phpunit.xml",
        // Laravel's published views, translations and assets live in directories named vendor.
        "resources/views/vendor/mail/html/button.blade.php", "public/vendor/horizon/app.js",
        "lang/vendor/backup/en/notifications.php", "lang/en/auth.json",
        "storage/framework/views", "storage/logs", "database/migrations/2024_01_01_000000_x.php",
        "config/app.php",
    ]),
    ("dotnet", &[
        "App.sln", "App.slnx", "src/App/App.csproj", "src/Lib/Lib.fsproj", "global.json",
        "Directory.Build.props", "Directory.Packages.props", "NuGet.config", "nuget.config",
        "packages.lock.json", "src/App/packages.lock.json", "src/App/Program.cs",
        "src/App/wwwroot/css/site.css", "src/App/appsettings.json",
        "src/App/Properties/launchSettings.json", ".config/dotnet-tools.json",
    ]),
];

fn row_rule(row: &Row) -> TemplateRule {
    let (name, pattern, ..) = *row;
    templates::rules(&template(name))
        .into_iter()
        .find(|rule| rule.pattern == pattern)
        .unwrap_or_else(|| panic!("{name}: the table names `{pattern}`, not in the template"))
}

#[test]
fn every_template_file_is_embedded_and_every_kind_has_one() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut on_disk = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let stem = name.strip_suffix(".dockerignore").unwrap_or_else(|| {
            panic!("templates/{name}: only *.dockerignore files belong here");
        });
        let embedded = templates::all().into_iter().find(|t| t.name == stem);
        let embedded = embedded.unwrap_or_else(|| panic!("templates/{name} is not embedded"));
        assert_eq!(embedded.text, std::fs::read_to_string(&path).unwrap());
        on_disk.insert(stem.to_owned());
    }
    let mut expected: BTreeSet<String> =
        ProjectKind::ALL.iter().map(|kind| kind.name().to_owned()).collect();
    expected.insert("generic".to_owned());
    assert_eq!(on_disk, expected);
}

#[test]
fn buildkit_accepts_every_template_and_every_rule() {
    for template in templates::all() {
        for (what, text) in combinations(template.name) {
            compile(&what, &text);
        }
        for rule in templates::rules(&template) {
            let what = format!("{}:{}: {}", template.name, rule.line, rule.pattern);
            let alone = compile(&what, &rule.pattern);
            assert_eq!(alone.rules().len(), 1, "{what}: one line, one pattern");
            // Regular expressions compile only when evaluated. An ordinary rule alone is
            // evaluated on any path; an exception only once something is excluded, so put `**`
            // (everything) before it.
            let text = format!("**\n{}\n", rule.pattern);
            let rules = if rule.pattern.starts_with('!') { compile(&what, &text) } else { alone };
            for path in ["x", "a/b", ".hidden/deep/file.txt"] {
                fate(&rules, path);
            }
        }
    }
    // Everything at once (a monorepo of every kind) stays within BuildKit's limits.
    let everything: String = templates::all().iter().map(|t| t.text).collect::<Vec<_>>().join("\n");
    compile("all templates together", &everything);
}

#[test]
fn every_rule_has_a_row_in_the_table() {
    let mut missing = Vec::new();
    for template in templates::all() {
        for rule in templates::rules(&template) {
            if !ROWS.iter().any(|row| row.0 == template.name && row.1 == rule.pattern) {
                missing.push(format!("{}:{}: {}", template.name, rule.line, rule.pattern));
            }
        }
    }
    assert!(missing.is_empty(), "rules with no sample paths in ROWS:\n{}", missing.join("\n"));
    for (i, row) in ROWS.iter().enumerate() {
        row_rule(row);
        assert!(!row.2.is_empty() && !row.3.is_empty(), "{}: `{}` needs both lists", row.0, row.1);
        assert!(
            !ROWS[..i].iter().any(|earlier| earlier.0 == row.0 && earlier.1 == row.1),
            "{}: `{}` has two rows",
            row.0,
            row.1
        );
    }
}

#[test]
fn each_rule_alone_matches_what_its_comment_says() {
    for row in ROWS {
        let (name, pattern, excluded, shipped) = *row;
        if pattern.starts_with('!') {
            continue;
        }
        let rule = row_rule(row);
        let rules = compile(pattern, pattern);
        for path in excluded {
            assert!(
                matches!(fate(&rules, path), Fate::Excluded { .. }),
                "{name}:{}: `{pattern}` ({}) should exclude {path}",
                rule.line,
                rule.reason
            );
        }
        for path in shipped {
            assert_eq!(
                fate(&rules, path),
                Fate::Shipped,
                "{name}:{}: `{pattern}` ({}) should not exclude {path}",
                rule.line,
                rule.reason
            );
        }
    }
}

#[test]
fn each_rule_holds_within_its_template_and_beside_generic() {
    // Compiled once per template: a RuleSet compiles each regex the first time it is used.
    let compiled: Vec<(&str, Vec<(String, RuleSet)>)> = templates::all()
        .iter()
        .map(|t| {
            let sets = combinations(t.name)
                .into_iter()
                .map(|(what, text)| {
                    let rules = compile(&what, &text);
                    (what, rules)
                })
                .collect();
            (t.name, sets)
        })
        .collect();
    for row in ROWS {
        let (name, pattern, excluded, shipped) = *row;
        let rule = row_rule(row);
        let exception = pattern.starts_with('!');
        let sets = &compiled.iter().find(|(n, _)| *n == name).unwrap().1;
        for (what, rules) in sets {
            for path in excluded {
                assert!(
                    matches!(fate(rules, path), Fate::Excluded { .. }),
                    "{what}: {path} should be excluded ({name}:{}: `{pattern}`: {})",
                    rule.line,
                    rule.reason
                );
            }
            if exception {
                for path in shipped {
                    assert_eq!(
                        fate(rules, path),
                        Fate::Shipped,
                        "{what}: `{pattern}` should re-include {path}"
                    );
                }
            }
        }
        // Within its own template (the first set), the excluding decision is this rule's: no
        // other rule of the template claims the same paths.
        if !exception {
            let own = &sets[0].1;
            for path in excluded {
                let Fate::Excluded { line } = fate(own, path) else { unreachable!() };
                assert_eq!(line, Some(rule.line), "{name}: {path} decided by another rule");
            }
        }
    }
}

#[test]
fn footguns_ship_intact() {
    for (name, paths) in FOOTGUNS {
        for (what, text) in combinations(name) {
            let rules = compile(&what, &text);
            for path in *paths {
                let got = fate(&rules, path);
                let line = match got {
                    Fate::Shipped => continue,
                    Fate::ShippedEmpty { line } | Fate::Excluded { line: Some(line) } => line,
                    Fate::Excluded { line: None } => 0,
                };
                let culprit = text.lines().nth(line.wrapping_sub(1)).unwrap_or("?");
                panic!("{what}: builds need {path}, but it is {got:?} by `{culprit}`");
            }
        }
    }
    // Every kind has footgun checks.
    for kind in ProjectKind::ALL {
        assert!(FOOTGUNS.iter().any(|(name, _)| *name == kind.name()), "{kind:?}");
    }
}

#[test]
fn exceptions_do_not_turn_off_pruning() {
    // An exception with a wildcard (`!**/.env.example`) would make BuildKit enter every
    // excluded directory (node_modules, .git, target, ...) to look for files to re-include.
    for template in templates::all() {
        for (what, text) in combinations(template.name) {
            let rules = compile(&what, &text);
            for dir in ["node_modules", ".git", "target", ".venv", "a/b/node_modules", ".env.d"] {
                assert!(rules.prunes(dir.as_bytes()), "{what}: BuildKit would enter {dir}");
            }
        }
    }
}

#[test]
fn the_fate_helper_follows_the_walk() {
    // These make the assertions above able to fail: pruning, exceptions, the content check.
    let rules = compile("t", "**/node_modules\n!node_modules/keep\n");
    assert_eq!(fate(&rules, "node_modules/x/y.js"), Fate::Excluded { line: Some(1) });
    assert_eq!(fate(&rules, "node_modules/keep"), Fate::Shipped);
    assert_eq!(fate(&rules, "src/a.js"), Fate::Shipped);
    let rules = compile("t", "build\n!build/keep.txt\n**/build\n");
    assert_eq!(fate(&rules, "build/keep.txt"), Fate::ShippedEmpty { line: 3 });
    let rules = compile("t", "log/*\n");
    assert_eq!(fate(&rules, "log"), Fate::Shipped);
    assert_eq!(fate(&rules, "log/a/b"), Fate::Excluded { line: Some(1) });
}
