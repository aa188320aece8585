//! One Bake file, HCL or JSON, read into its blocks with their expressions unevaluated,
//! each remembering the file and (HCL) the line it was written on.
//!
//! buildx reads both formats through HCL: a JSON file is HCL's JSON syntax, where every
//! string is a template (`"${TAG}"` interpolates) and a top-level key that is no block type
//! is an attribute. Top-level attributes are variables too (how they combine with
//! `variable` blocks is the `eval` module's business).

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use hcl::edit::Span;
use hcl::expr::TemplateExpr;
use hcl::{Expression, Object, ObjectKey, Value};

use super::Error;

/// Where something was written: the file, and the line when the parser knows it (JSON
/// keeps no positions).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Origin {
    pub file: PathBuf,
    pub line: Option<usize>,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.file.display()),
            None => write!(f, "{}", self.file.display()),
        }
    }
}

/// `key = expression` in a block.
#[derive(Debug, Clone)]
pub(super) struct Attr {
    pub key: String,
    pub expr: Expression,
    pub at: Origin,
}

/// A `target "name" { … }`, `group "name" { … }` or `function "name" { … }` block.
#[derive(Debug, Clone)]
pub(super) struct Block {
    pub name: String,
    pub attrs: Vec<Attr>,
    pub at: Origin,
}

impl Block {
    pub fn attr(&self, key: &str) -> Option<&Attr> {
        self.attrs.iter().find(|attr| attr.key == key)
    }
}

/// A `variable` block (its `default`, if any) or a top-level attribute.
#[derive(Debug, Clone)]
pub(super) struct Variable {
    pub name: String,
    pub default: Option<Expression>,
    /// A `variable` block (which the environment overrides), not a top-level attribute.
    pub block: bool,
    pub at: Origin,
}

/// Everything one file defines, in the order written.
#[derive(Debug, Default)]
pub(super) struct Definitions {
    pub variables: Vec<Variable>,
    pub functions: Vec<Block>,
    pub targets: Vec<Block>,
    pub groups: Vec<Block>,
}

/// Reads one Bake file. Like buildx, a `.json` name means JSON and `.hcl` HCL; any other
/// name is JSON if it parses as JSON, else HCL.
pub(super) fn read(path: &Path) -> Result<Definitions, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| Error::Read { path: path.to_owned(), error })?;
    let json = match path.extension().and_then(|e| e.to_str()) {
        Some("json") => true,
        Some("hcl") => false,
        _ => serde_json::from_str::<Value>(&text).is_ok(),
    };
    if json { read_json(path, &text) } else { read_hcl(path, &text) }
}

fn read_hcl(path: &Path, text: &str) -> Result<Definitions, Error> {
    let body = hcl::edit::parser::parse_body(text).map_err(|err| Error::Syntax {
        path: path.to_owned(),
        line: err.location().line(),
        column: err.location().column(),
        message: err.message().to_owned(),
    })?;
    let origin = |span: Option<Range<usize>>| Origin {
        file: path.to_owned(),
        line: span.map(|span| line_at(text, span.start)),
    };
    let mut defs = Definitions::default();
    for structure in body {
        let at = origin(structure.span());
        let block = match structure {
            hcl::edit::structure::Structure::Attribute(attr) => {
                let expr = Expression::from(attr.value);
                let name = attr.key.as_str().to_owned();
                defs.variables.push(Variable { name, default: Some(expr), block: false, at });
                continue;
            }
            hcl::edit::structure::Structure::Block(block) => block,
        };
        let kind = block.ident.as_str().to_owned();
        if !matches!(kind.as_str(), "target" | "group" | "variable" | "function") {
            // buildx reads only these block types and ignores the rest.
            continue;
        }
        let [label] = block.labels.as_slice() else {
            return Err(Error::Shape { at, message: format!("a {kind} block takes one name") });
        };
        let name = label.as_str().to_owned();
        let mut attrs = Vec::new();
        for structure in block.body {
            if let hcl::edit::structure::Structure::Attribute(attr) = structure {
                let at = origin(attr.span());
                attrs.push(Attr { key: attr.key.as_str().to_owned(), expr: attr.value.into(), at });
            }
        }
        defs.add(&kind, Block { name, attrs, at });
    }
    Ok(defs)
}

impl Definitions {
    /// Files a block under its kind (`target`, `group`, `variable`, `function`).
    fn add(&mut self, kind: &str, block: Block) {
        match kind {
            "target" => self.targets.push(block),
            "group" => self.groups.push(block),
            "function" => self.functions.push(block),
            _ => {
                let default = block.attr("default").map(|attr| attr.expr.clone());
                let Block { name, at, .. } = block;
                self.variables.push(Variable { name, default, block: true, at });
            }
        }
    }
}

/// The 1-based line of a byte offset.
fn line_at(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

fn read_json(path: &Path, text: &str) -> Result<Definitions, Error> {
    // Read into hcl's `Value`, whose objects keep the order written (`args` stay in order).
    let value: Value = serde_json::from_str(text).map_err(|err| {
        let message = err.to_string();
        // The position goes in front, as for HCL.
        let suffix = format!(" at line {} column {}", err.line(), err.column());
        Error::Syntax {
            path: path.to_owned(),
            line: err.line(),
            column: err.column(),
            message: message.strip_suffix(&suffix).unwrap_or(&message).to_owned(),
        }
    })?;
    let at = Origin { file: path.to_owned(), line: None };
    let shape = |message: String| Error::Shape { at: at.clone(), message };
    let Value::Object(top) = value else {
        return Err(shape("a Bake file in JSON is an object".to_owned()));
    };
    let mut defs = Definitions::default();
    for (key, value) in top {
        if !matches!(key.as_str(), "target" | "group" | "variable" | "function") {
            let default = Some(json_expression(value));
            defs.variables.push(Variable { name: key, default, block: false, at: at.clone() });
            continue;
        }
        let Value::Object(blocks) = value else {
            return Err(shape(format!("\"{key}\" is not an object of named blocks")));
        };
        for (name, body) in blocks {
            let Value::Object(body) = body else {
                return Err(shape(format!("{key} \"{name}\" is not an object")));
            };
            let attrs = body
                .into_iter()
                .map(|(key, value)| Attr { key, expr: json_expression(value), at: at.clone() })
                .collect();
            defs.add(&key, Block { name, attrs, at: at.clone() });
        }
    }
    Ok(defs)
}

/// A JSON value as the HCL expression its JSON syntax means: strings are templates.
fn json_expression(value: Value) -> Expression {
    match value {
        Value::String(s) if s.contains("${") || s.contains("%{") => {
            Expression::TemplateExpr(Box::new(TemplateExpr::QuotedString(s)))
        }
        Value::Array(items) => Expression::Array(items.into_iter().map(json_expression).collect()),
        Value::Object(entries) => Expression::Object(
            entries
                .into_iter()
                .map(|(k, v)| (ObjectKey::Expression(Expression::String(k)), json_expression(v)))
                .collect::<Object<_, _>>(),
        ),
        other => Expression::from(other),
    }
}
