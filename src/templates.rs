//! The `.dockerignore` templates: one generic file and one per [`ProjectKind`], embedded in
//! the binary so that an installed `ctxsize` needs no data files.
//!
//! The files live in `templates/*.dockerignore`. Every rule in them has a one-line comment
//! directly above it, `# <reason>`, which [`rules`] returns as the rule's reason; group
//! headers are comments followed by a blank line.

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
}

/// The rules of a template in file order. A line is a rule when it is neither empty nor a
/// comment (BuildKit's test: `#` as the very first byte).
pub fn rules(template: &Template) -> Vec<TemplateRule> {
    let mut rules = Vec::new();
    let mut previous: Option<&str> = None;
    for (index, line) in template.text.lines().enumerate() {
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
    }
}
