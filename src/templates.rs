//! The `.dockerignore` templates: one generic file and one per [`ProjectKind`], embedded in
//! the binary so that an installed `ctxsize` needs no data files.
//!
//! The files live in `templates/*.dockerignore`. Every rule in them has a one-line comment
//! directly above it, `# <reason>`, which [`rules`] returns as the rule's reason; group
//! headers are comments followed by a blank line. A section heading, `# --- Heading ---`,
//! decides what the rules below it target ([`Targets`], from [`SECTIONS`]).

use serde::Serialize;

/// An ecosystem that has its own template and its own detection markers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProjectKind {
    Node,
    Python,
    Go,
    Java,
    Rust,
    Ruby,
    Php,
    Dotnet,
}

impl ProjectKind {
    /// Every kind, in declaration (and sort) order.
    pub const ALL: [ProjectKind; 8] = [
        ProjectKind::Node,
        ProjectKind::Python,
        ProjectKind::Go,
        ProjectKind::Java,
        ProjectKind::Rust,
        ProjectKind::Ruby,
        ProjectKind::Php,
        ProjectKind::Dotnet,
    ];

    /// The lowercase name, as in JSON and in the template's file name (`node`, `dotnet`).
    pub fn name(self) -> &'static str {
        match self {
            ProjectKind::Node => "node",
            ProjectKind::Python => "python",
            ProjectKind::Go => "go",
            ProjectKind::Java => "java",
            ProjectKind::Rust => "rust",
            ProjectKind::Ruby => "ruby",
            ProjectKind::Php => "php",
            ProjectKind::Dotnet => "dotnet",
        }
    }

    /// The kind with this [`name`](ProjectKind::name), exactly (lowercase).
    pub fn from_name(name: &str) -> Option<ProjectKind> {
        ProjectKind::ALL.into_iter().find(|kind| kind.name() == name)
    }
}

/// One embedded template file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    /// `generic` or a [`ProjectKind::name`]; the file is `templates/<name>.dockerignore`.
    pub name: &'static str,
    /// The whole file, comments included, ready to be written as a `.dockerignore`.
    pub text: &'static str,
}

/// The template of one ecosystem. Combine it with [`generic`], which holds the rules every
/// project wants (VCS directories, editor files, logs, secrets).
pub fn template_for(kind: ProjectKind) -> Template {
    let text = match kind {
        ProjectKind::Node => include_str!("../templates/node.dockerignore"),
        ProjectKind::Python => include_str!("../templates/python.dockerignore"),
        ProjectKind::Go => include_str!("../templates/go.dockerignore"),
        ProjectKind::Java => include_str!("../templates/java.dockerignore"),
        ProjectKind::Rust => include_str!("../templates/rust.dockerignore"),
        ProjectKind::Ruby => include_str!("../templates/ruby.dockerignore"),
        ProjectKind::Php => include_str!("../templates/php.dockerignore"),
        ProjectKind::Dotnet => include_str!("../templates/dotnet.dockerignore"),
    };
    Template { name: kind.name(), text }
}

/// The rules for every project, whatever its ecosystem.
pub fn generic() -> Template {
    Template { name: "generic", text: include_str!("../templates/generic.dockerignore") }
}

/// Every template: [`generic`] first, then one per kind in [`ProjectKind::ALL`] order.
pub fn all() -> [Template; 9] {
    let mut all = [generic(); 9];
    for (slot, kind) in all[1..].iter_mut().zip(ProjectKind::ALL) {
        *slot = template_for(kind);
    }
    all
}

/// What a rule's files are: the reason a tracked file matched by it is worth a second look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Targets {
    /// Files that are generated or local to one machine: dependencies, caches, build output,
    /// logs, secrets, editor and OS files, VCS metadata. Git usually ignores them, so a match
    /// that git tracks was committed on purpose (a test key, a `.env` of defaults) and the
    /// image may need it.
    Local,
    /// Files a repository keeps on purpose that the image does not need: CI configuration,
    /// Dockerfiles and ignore files, compose files. That git tracks them is expected.
    Repository,
}

/// Every section heading of the templates (`# --- Heading ---`) and what the rules under it
/// target. A test checks that each heading of each template is here, so that a new section
/// is classified on purpose; a rule outside any listed section counts as [`Targets::Local`].
pub const SECTIONS: &[(&str, Targets)] = &[
    // generic
    ("Version control", Targets::Local),
    ("Editors and operating systems", Targets::Local),
    ("Continuous integration", Targets::Repository),
    ("Docker files", Targets::Repository),
    ("Logs and test output", Targets::Local),
    ("Database dumps", Targets::Local),
    ("Secrets", Targets::Local),
    ("Terraform", Targets::Local),
    // ecosystems
    ("Build output", Targets::Local),
    ("Build and test output", Targets::Local),
    ("Bundler", Targets::Local),
    ("Bytecode and virtual environments", Targets::Local),
    ("Dependencies", Targets::Local),
    ("Framework build output", Targets::Local),
    ("JVM crash files", Targets::Local),
    ("Laravel", Targets::Local),
    ("Local data and secrets", Targets::Local),
    ("Package manager logs and caches", Targets::Local),
    ("Packaging leftovers", Targets::Local),
    ("Rails runtime files (the directories stay: the Dockerfile chowns them)", Targets::Local),
    ("Test output", Targets::Local),
    ("Test output and docs caches", Targets::Local),
    ("Test, lint and type-check caches", Targets::Local),
    ("Tool caches", Targets::Local),
    ("Visual Studio user files", Targets::Local),
];

/// The heading of a section line, `# --- Heading ---`.
fn section_heading(line: &str) -> Option<&str> {
    line.strip_prefix("# --- ")?.strip_suffix(" ---")
}

/// What the rules under `heading` target (see [`SECTIONS`]).
fn section_targets(heading: &str) -> Targets {
    SECTIONS.iter().find(|(name, _)| *name == heading).map_or(Targets::Local, |&(_, t)| t)
}

/// One rule of a template, with the comment above it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateRule {
    /// The template's [`Template::name`].
    pub template: &'static str,
    /// 1-based line of the rule in the template.
    pub line: usize,
    /// The line as written (an exception keeps its `!`).
    pub pattern: String,
    /// The comment line directly above the rule, without `#` and surrounding blanks; empty
    /// when the line above is not a comment.
    pub reason: String,
    /// What the rule's files are, from the template section it is in.
    pub targets: Targets,
}

/// The rules of a template in file order. A line is a rule when it is neither empty nor a
/// comment (BuildKit's test: `#` as the very first byte).
pub fn rules(template: &Template) -> Vec<TemplateRule> {
    let mut rules = Vec::new();
    let mut previous: Option<&str> = None;
    let mut targets = Targets::Local;
    for (index, line) in template.text.lines().enumerate() {
        if let Some(heading) = section_heading(line) {
            targets = section_targets(heading);
        }
        if !line.trim().is_empty() && !line.starts_with('#') {
            let reason = previous
                .and_then(|above| above.strip_prefix('#'))
                .map(|comment| comment.trim().to_owned())
                .unwrap_or_default();
            rules.push(TemplateRule {
                template: template.name,
                line: index + 1,
                pattern: line.to_owned(),
                reason,
                targets,
            });
        }
        previous = Some(line);
    }
    rules
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_distinct() {
        for kind in ProjectKind::ALL {
            assert_eq!(ProjectKind::from_name(kind.name()), Some(kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.name());
        }
        assert_eq!(ProjectKind::from_name("Node"), None);
        assert_eq!(ProjectKind::from_name("generic"), None);
        assert_eq!(ProjectKind::from_name(""), None);
    }

    #[test]
    fn all_is_strictly_sorted() {
        // Strictly increasing: no kind twice, so the 8 slots hold 8 different kinds.
        assert!(ProjectKind::ALL.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn every_kind_has_its_own_template() {
        let all = all();
        assert_eq!(all[0].name, "generic");
        for (template, kind) in all[1..].iter().zip(ProjectKind::ALL) {
            assert_eq!(template.name, kind.name());
            assert_eq!(*template, template_for(kind));
            assert!(
                template.text.starts_with("# ctxsize template: "),
                "{}: wrong or empty file embedded",
                template.name
            );
        }
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert_ne!(a.text, b.text, "{} and {} embed the same file", a.name, b.name);
            }
        }
    }

    #[test]
    fn every_rule_has_a_reason_right_above_it() {
        for template in all() {
            let rules = rules(&template);
            assert!(!rules.is_empty(), "{} has no rules", template.name);
            for rule in &rules {
                assert!(
                    rule.reason.len() >= 10,
                    "{}:{}: `{}` needs a `# reason` comment directly above it",
                    template.name,
                    rule.line,
                    rule.pattern
                );
            }
        }
    }

    #[test]
    fn lines_are_clean_for_buildkit() {
        for template in all() {
            for (index, line) in template.text.lines().enumerate() {
                let at = format!("{}:{}", template.name, index + 1);
                // BuildKit takes `#` as a comment only as the very first byte, and trims blanks
                // around patterns: a template line must not depend on either.
                assert_eq!(line, line.trim(), "{at}: surrounding white space");
                assert!(!line.contains('\r') && !line.contains('\t'), "{at}: CR or TAB");
                assert!(line.is_ascii(), "{at}: keep templates ASCII");
                if !line.starts_with('#') && !line.is_empty() {
                    assert!(!line.contains(" #"), "{at}: `#` after a pattern is not a comment");
                    assert!(!line.ends_with('/'), "{at}: a trailing `/` means nothing here");
                }
            }
            assert!(template.text.ends_with('\n'), "{}: no final newline", template.name);
        }
    }

    #[test]
    fn no_rule_is_repeated_within_or_across_templates() {
        let generic = rules(&generic());
        for template in all() {
            let own = rules(&template);
            for (i, rule) in own.iter().enumerate() {
                assert!(
                    !own[..i].iter().any(|earlier| earlier.pattern == rule.pattern),
                    "{}:{}: `{}` appears twice",
                    template.name,
                    rule.line,
                    rule.pattern
                );
                if template.name != "generic" {
                    assert!(
                        !generic.iter().any(|g| g.pattern == rule.pattern),
                        "{}:{}: `{}` is already in the generic template",
                        template.name,
                        rule.line,
                        rule.pattern
                    );
                }
            }
        }
    }

    #[test]
    fn every_section_heading_is_classified_and_every_rule_is_in_a_section() {
        let mut used = Vec::new();
        for template in all() {
            let mut in_section = false;
            for (index, line) in template.text.lines().enumerate() {
                if line.starts_with("# ---") {
                    let heading = section_heading(line).unwrap_or_else(|| {
                        panic!(
                            "{}:{}: write headings as `# --- Heading ---`",
                            template.name,
                            index + 1
                        )
                    });
                    assert!(
                        SECTIONS.iter().any(|(name, _)| *name == heading),
                        "{}:{}: add `{heading}` to SECTIONS with what its rules target",
                        template.name,
                        index + 1
                    );
                    used.push(heading);
                    in_section = true;
                } else if !line.is_empty() && !line.starts_with('#') {
                    assert!(
                        in_section,
                        "{}:{}: `{line}` is above every section heading",
                        template.name,
                        index + 1
                    );
                }
            }
        }
        for (name, _) in SECTIONS {
            assert!(used.contains(name), "SECTIONS lists `{name}`, which no template has");
        }
    }

    #[test]
    fn repository_rules_are_exactly_ci_docker_and_compose_files() {
        let repository: Vec<(&str, String)> = all()
            .iter()
            .flat_map(rules)
            .filter(|rule| rule.targets == Targets::Repository)
            .map(|rule| (rule.template, rule.pattern))
            .collect();
        let expected = [
            // CI configuration
            ".github",
            ".gitlab-ci.yml",
            ".circleci",
            ".buildkite",
            "Jenkinsfile",
            // Dockerfiles and ignore files
            "**/Dockerfile",
            "**/Dockerfile.*",
            "**/*.Dockerfile",
            ".dockerignore",
            // compose files
            "**/docker-compose*.y*ml",
            "**/compose.y*ml",
            "**/compose.*.y*ml",
        ];
        let expected: Vec<(&str, String)> =
            expected.iter().map(|pattern| ("generic", (*pattern).to_owned())).collect();
        assert_eq!(repository, expected);
    }

    #[test]
    fn generated_and_local_files_are_local() {
        let all_rules: Vec<TemplateRule> = all().iter().flat_map(rules).collect();
        let targets = |pattern: &str| {
            let rule = all_rules.iter().find(|rule| rule.pattern == pattern);
            rule.unwrap_or_else(|| panic!("no template has `{pattern}`")).targets
        };
        for pattern in [
            "**/*.key",
            "**/*.pem",
            "**/.env",
            "!.env.example",
            "**/*.log",
            "**/.git",
            "**/.DS_Store",
            "**/.vscode",
            "**/node_modules",
            "**/__pycache__",
            "**/target",
            "**/bin",
            "vendor",
            "log/*",
            "**/.terraform",
            "coverage",
        ] {
            assert_eq!(targets(pattern), Targets::Local, "{pattern}");
        }
        assert_eq!(serde_json::to_value(Targets::Repository).unwrap(), "repository");
    }

    #[test]
    fn rules_reads_reasons_and_line_numbers() {
        let template = Template {
            name: "t",
            text: "# header\n\n# why a\na\nb\n#  why c  \n!c\n\n# header only\n",
        };
        let rules = rules(&template);
        let got: Vec<(usize, &str, &str)> =
            rules.iter().map(|r| (r.line, r.pattern.as_str(), r.reason.as_str())).collect();
        assert_eq!(got, [(4, "a", "why a"), (5, "b", ""), (7, "!c", "why c")]);
        assert!(rules.iter().all(|r| r.template == "t"));
        assert!(rules.iter().all(|r| r.targets == Targets::Local));
    }

    #[test]
    fn rules_take_targets_from_the_section_above_them() {
        let template = Template {
            name: "t",
            text: "# --- Docker files ---\n\n# why a\na\n\n# --- Secrets ---\n\n# why b\nb\n",
        };
        let got: Vec<(String, Targets)> =
            rules(&template).into_iter().map(|r| (r.pattern, r.targets)).collect();
        assert_eq!(got, [("a".to_owned(), Targets::Repository), ("b".to_owned(), Targets::Local)]);
    }
}
