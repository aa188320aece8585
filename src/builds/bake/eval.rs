//! The values of a Bake file's expressions: variables (their defaults, or the environment's
//! values) and the attributes of targets and groups that decide what a build sends.
//!
//! Evaluation is `hcl-rs`'s: literals, `${…}` templates, operators, conditionals and `for`
//! expressions over the variables. No function is declared, neither buildx's standard
//! library (`notequal`, `upper`, …) nor a file's `function` blocks, so a call to one is
//! reported by name and the attribute holding it is left out; so is any other expression
//! that does not evaluate (a reference to another target's attribute, say).

use hcl::eval::{Context, Error as EvalError, ErrorKind, Evaluate};
use hcl::{Expression, Number, ObjectKey, Value};

use super::Error;
use super::file::{Attr, Block, Definitions, Origin, Variable};

/// Variables buildx defines itself; a file's own definitions of these names are ignored.
/// The command runs locally, so the command's context is the current directory.
const BUILTIN_VARIABLES: &[(&str, &str)] = &[("BAKE_CMD_CONTEXT", ".")];

/// One attribute with a single value, after evaluation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) enum Field {
    /// Not written (or `null`).
    #[default]
    Unset,
    Set(String),
    /// Written, but not evaluated (reported): the build cannot be known.
    Unknown,
}

/// A `target` block's attributes, evaluated; several definitions of one name merge.
#[derive(Debug, Clone, Default)]
pub(super) struct Target {
    pub context: Field,
    pub dockerfile: Field,
    pub dockerfile_inline: Field,
    pub target: Field,
    /// In the order written; a later value of a name replaces the earlier one in place.
    pub args: Vec<(String, String)>,
    pub inherits: Vec<String>,
    /// `inherits` did not evaluate: the parents are not known.
    pub inherits_unknown: bool,
    /// Where a `matrix` (one target per combination of values) was given.
    pub matrix: Option<Origin>,
    /// What was not evaluated, for the list of unsupported things.
    pub issues: Vec<String>,
    pub at: Origin,
}

impl Target {
    /// Lays `later` over `self` as buildx's `Target.Merge` does: a value that is set
    /// replaces, `args` merge name by name, `inherits` add up.
    pub fn merge(&mut self, later: &Target) {
        for (field, new) in [
            (&mut self.context, &later.context),
            (&mut self.dockerfile, &later.dockerfile),
            (&mut self.dockerfile_inline, &later.dockerfile_inline),
            (&mut self.target, &later.target),
        ] {
            if *new != Field::Unset {
                field.clone_from(new);
            }
        }
        for (name, value) in &later.args {
            match self.args.iter_mut().find(|(n, _)| n == name) {
                Some(slot) => slot.1.clone_from(value),
                None => self.args.push((name.clone(), value.clone())),
            }
        }
        self.inherits.extend(later.inherits.iter().cloned());
        self.inherits_unknown |= later.inherits_unknown;
        if later.matrix.is_some() {
            self.matrix.clone_from(&later.matrix);
        }
        self.issues.extend(later.issues.iter().cloned());
    }
}

/// The evaluation context of all the files read together: each variable's value (a later
/// file's definition of a name replaces an earlier one's), with what could not be
/// evaluated added to `issues`.
pub(super) fn scope(
    files: &[Definitions],
    env: &dyn Fn(&str) -> Option<String>,
    issues: &mut Vec<String>,
) -> Result<Context<'static>, Error> {
    let mut ctx = Context::new();
    for (name, value) in BUILTIN_VARIABLES {
        ctx.declare_var(*name, *value);
    }
    let merged = merged_variables(files);
    let mut pending: Vec<&Variable> = merged.iter().collect();
    // A default may name other variables: evaluate in rounds until no round settles one.
    loop {
        let names: Vec<String> = pending.iter().map(|var| var.name.clone()).collect();
        let before = pending.len();
        let mut waiting = Vec::new();
        for var in pending {
            match variable(var, &ctx, env, &names)? {
                Settled::Value(value) => ctx.declare_var(var.name.as_str(), value),
                Settled::Waiting => waiting.push(var),
                Settled::Failed(issue) => issues.push(issue),
            }
        }
        pending = waiting;
        if pending.is_empty() || pending.len() == before {
            break;
        }
    }
    for var in pending {
        issues.push(format!("{}: variable \"{}\" depends on itself", var.at, var.name));
    }
    Ok(ctx)
}

/// One definition per variable name. As in buildx's `hclparser`, a later definition of a
/// kind replaces an earlier one, a top-level attribute's value wins over a `variable`
/// block's default whatever their order (a file of plain `NAME = value` lines sets
/// variables), and the environment overrides any name that has a `variable` block.
fn merged_variables(files: &[Definitions]) -> Vec<Variable> {
    let (mut attrs, mut blocks): (Vec<&Variable>, Vec<&Variable>) = (Vec::new(), Vec::new());
    for var in files.iter().flat_map(|file| &file.variables) {
        if BUILTIN_VARIABLES.iter().any(|(name, _)| *name == var.name) {
            continue;
        }
        let kind = if var.block { &mut blocks } else { &mut attrs };
        kind.retain(|earlier| earlier.name != var.name);
        kind.push(var);
    }
    let has_block = |name: &str| blocks.iter().any(|block| block.name == name);
    let mut merged: Vec<Variable> = attrs
        .iter()
        .map(|attr| Variable { block: has_block(&attr.name), ..(*attr).clone() })
        .collect();
    let has_attr = |name: &str| attrs.iter().any(|attr| attr.name == name);
    merged.extend(blocks.iter().filter(|block| !has_attr(&block.name)).map(|&block| block.clone()));
    merged
}

enum Settled {
    Value(Value),
    /// The default names a variable not evaluated yet.
    Waiting,
    Failed(String),
}

/// A variable's value: a `variable` block's default, overridden by the environment's value
/// of the same name (converted to the default's type, as buildx does); a top-level
/// attribute's value; an empty string for a `variable` without default nor environment.
fn variable(
    var: &Variable,
    ctx: &Context,
    env: &dyn Fn(&str) -> Option<String>,
    pending: &[String],
) -> Result<Settled, Error> {
    let from_env = if var.block { env(&var.name) } else { None };
    let Some(default) = &var.default else {
        return Ok(Settled::Value(Value::String(from_env.unwrap_or_default())));
    };
    let value = match default.evaluate(ctx) {
        Ok(value) => value,
        Err(error) => {
            if let ErrorKind::UndefinedVar(name) = error.kind()
                && pending.iter().any(|p| p == name.as_str())
            {
                return Ok(Settled::Waiting);
            }
            // The environment's value stands in for a default that cannot be evaluated.
            if let Some(text) = from_env {
                return Ok(Settled::Value(Value::String(text)));
            }
            let what = format!("variable \"{}\"", var.name);
            return Ok(Settled::Failed(issue(&var.at, &what, &error)));
        }
    };
    let Some(text) = from_env else { return Ok(Settled::Value(value)) };
    let mismatch = |expected: &'static str| Error::Environment {
        at: var.at.clone(),
        name: var.name.clone(),
        value: text.clone(),
        expected,
    };
    Ok(Settled::Value(match value {
        Value::Bool(_) => Value::Bool(go_bool(&text).ok_or_else(|| mismatch("a bool"))?),
        Value::Number(_) => Value::Number(
            text.trim()
                .parse::<f64>()
                .ok()
                .and_then(Number::from_f64)
                .ok_or_else(|| mismatch("a number"))?,
        ),
        Value::Null | Value::String(_) => Value::String(text),
        Value::Array(_) | Value::Object(_) => return Err(mismatch("a string, bool or number")),
    }))
}

/// Go's `strconv.ParseBool`.
fn go_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// The line for the list of unsupported things: a function by name, anything else with
/// the evaluator's message.
fn issue(at: &Origin, what: &str, error: &EvalError) -> String {
    match error.kind() {
        ErrorKind::UndefinedFunc(name) => format!("{at}: {name}(...) in {what}"),
        kind => format!("{at}: {what}: {kind}"),
    }
}

/// A value as a build option's text: numbers and bools as buildx converts them, `null` as
/// unset (`Ok(None)`), lists and objects not at all.
fn text(value: Value) -> Result<Option<String>, Value> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::Bool(b) => Ok(Some(b.to_string())),
        other @ (Value::Array(_) | Value::Object(_)) => Err(other),
    }
}

/// Evaluates a `target` block.
pub(super) fn target(block: &Block, ctx: &Context) -> Target {
    let place = |key: &str| format!("target \"{}\" {key}", block.name);
    let mut issues = Vec::new();
    let mut field = |key: &str| {
        let Some(attr) = block.attr(key) else { return Field::Unset };
        match evaluate_text(attr, ctx, &place(key)) {
            Ok(Some(text)) => Field::Set(text),
            Ok(None) => Field::Unset,
            Err(issue) => {
                issues.push(issue);
                Field::Unknown
            }
        }
    };
    let context = field("context");
    let dockerfile = field("dockerfile");
    let dockerfile_inline = field("dockerfile-inline");
    let target = field("target");
    let args = block.attr("args").map(|attr| args(attr, ctx, &place("args"), &mut issues));
    let (inherits, inherits_unknown) = match block.attr("inherits") {
        None => (Vec::new(), false),
        Some(attr) => match names(attr, ctx, &place("inherits")) {
            Ok(names) => (names, false),
            Err(issue) => {
                issues.push(issue);
                (Vec::new(), true)
            }
        },
    };
    Target {
        context,
        dockerfile,
        dockerfile_inline,
        target,
        args: args.unwrap_or_default(),
        inherits,
        inherits_unknown,
        matrix: block.attr("matrix").map(|attr| attr.at.clone()),
        issues,
        at: block.at.clone(),
    }
}

/// Evaluates a `group` block's `targets`; a list that does not evaluate is reported and
/// counts as empty.
pub(super) fn group(block: &Block, ctx: &Context, issues: &mut Vec<String>) -> Vec<String> {
    let Some(attr) = block.attr("targets") else { return Vec::new() };
    names(attr, ctx, &format!("group \"{}\" targets", block.name)).unwrap_or_else(|issue| {
        issues.push(issue);
        Vec::new()
    })
}

fn evaluate_text(attr: &Attr, ctx: &Context, what: &str) -> Result<Option<String>, String> {
    let value = attr.expr.evaluate(ctx).map_err(|error| issue(&attr.at, what, &error))?;
    text(value).map_err(|other| format!("{}: {what}: expected text, found {other}", attr.at))
}

/// A list of names (`inherits`, a group's `targets`).
fn names(attr: &Attr, ctx: &Context, what: &str) -> Result<Vec<String>, String> {
    let value = attr.expr.evaluate(ctx).map_err(|error| issue(&attr.at, what, &error))?;
    let not_names =
        |value: &Value| format!("{}: {what}: expected a list of names, found {value}", attr.at);
    let Value::Array(items) = value else { return Err(not_names(&value)) };
    items
        .into_iter()
        .map(|item| match item {
            Value::String(name) => Ok(name),
            other => Err(not_names(&other)),
        })
        .collect()
}

/// `args = { NAME = value, … }`. Each value is evaluated on its own, so one that does not
/// evaluate leaves out that argument alone; `null` leaves it unset, as in buildx.
fn args(attr: &Attr, ctx: &Context, what: &str, issues: &mut Vec<String>) -> Vec<(String, String)> {
    let entries: Vec<(String, Result<Value, String>)> = match &attr.expr {
        Expression::Object(object) => object
            .iter()
            .filter_map(|(key, expr)| {
                let name = match key {
                    ObjectKey::Identifier(id) => Some(id.to_string()),
                    ObjectKey::Expression(key) => match key.evaluate(ctx).map(text) {
                        Ok(Ok(Some(name))) => Some(name),
                        _ => None,
                    },
                    _ => None,
                };
                let Some(name) = name else {
                    issues.push(format!("{}: {what}: a name that is not text", attr.at));
                    return None;
                };
                let what = format!("{what}.{name}");
                Some((name, expr.evaluate(ctx).map_err(|e| issue(&attr.at, &what, &e))))
            })
            .collect(),
        expr => match expr.evaluate(ctx) {
            Ok(Value::Object(map)) => map.into_iter().map(|(k, v)| (k, Ok(v))).collect(),
            Ok(other) => {
                issues.push(format!("{}: {what}: expected an object, found {other}", attr.at));
                return Vec::new();
            }
            Err(error) => {
                issues.push(issue(&attr.at, what, &error));
                return Vec::new();
            }
        },
    };
    let mut out: Vec<(String, String)> = Vec::new();
    for (name, value) in entries {
        let value = value.and_then(|value| {
            text(value).map_err(|v| format!("{}: {what}.{name}: expected text, found {v}", attr.at))
        });
        match value {
            Ok(Some(value)) => match out.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = value,
                None => out.push((name, value)),
            },
            Ok(None) => {}
            Err(issue) => issues.push(issue),
        }
    }
    out
}
