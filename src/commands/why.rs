//! `ctxsize why`: for each path, whether it ships and which rule decided.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use anyhow::bail;

use crate::build::Build;
use crate::config::WhyConfig;
use crate::context::BuildContext;
use crate::dockerfile::ContextSource;
use crate::outcome::Outcome;
use crate::output::{self, Printer, escape_path};
use crate::raw_path::RawPath;
use crate::rules::{Fate, Trace, clean_path, trace};
use crate::walk::{Entry, EntryKind, WalkOptions};
use crate::why_answer::{Answer, JsonReport, RuleRef, SourceRef, Status, TransferAnswer};

/// Version of the `why --json` output; bumped on any incompatible change.
/// 2: `type` names `fifo`, `char_device` and `block_device` where 1 said `special`.
/// 3: paths are exact (a string, or `{"bytes": base64}` for a name that is not UTF-8),
/// where 2 escaped them for a terminal.
const SCHEMA_VERSION: u32 = 3;

pub fn run(args: &WhyConfig, threads: usize, printer: &mut Printer) -> anyhow::Result<Outcome> {
    let context = BuildContext::open(&args.inputs.context, args.inputs.dockerfile(), false)?;
    super::warn_about_inputs(&context);
    // The same walk as `ls`, so that both always agree (and a rule BuildKit would fail on
    // anywhere in the context fails here too).
    let options = WalkOptions { threads, ..WalkOptions::default() };
    let walked = super::listed_entries(&context, options, printer)?;
    let entries = walked.tally;
    let by_path: HashMap<&[u8], &Entry> = entries.iter().map(|e| (&e.path[..], e)).collect();
    let mut answers = Vec::new();
    // Every path is checked before anything is printed: one outside the context is a mistake
    // in the command line, not an answer.
    let mut relatives = Vec::new();
    for path in &args.paths {
        let path = Path::new(path);
        match context_relative(&context.root, path) {
            Some(relative) => relatives.push(relative),
            None => bail!(
                "{} is outside the context {} (relative paths are taken from the context)",
                path.display(),
                std::path::absolute(&context.root)
                    .unwrap_or_else(|_| context.root.clone())
                    .display()
            ),
        }
    }
    let build = Build::read(&context, &args.build);
    if let Some(problem) = &build.problem {
        output::warn(&format!("{problem}; what the build sends is not said"));
    }
    for relative in &relatives {
        let mut answer = answer(&context, relative, &by_path, &entries)?;
        if build.dockerfile.is_some() {
            answer.transfer = Some(if answer.exists {
                in_transfer(&build, relative, answer.ships, &entries)
            } else {
                TransferAnswer {
                    sent: false,
                    sources: build.sending(relative).into_iter().map(SourceRef::of).collect(),
                    reason: "not sent: it is not in the context".to_owned(),
                }
            });
        }
        answers.push(answer);
    }
    if args.json {
        let report = JsonReport {
            schema_version: SCHEMA_VERSION,
            context: RawPath::from_path(&context.root),
            ignore_file: context.ignore_file.as_ref().map(|f| RawPath::from_path(&f.shown)),
            paths: answers,
        };
        printer.json(&report)?;
    } else {
        let (style, layout) = (printer.style(), printer.layout());
        for answer in &answers {
            output::why_text::write_answer(printer.out(), answer, style, layout)?;
        }
    }
    printer.flush()?;
    Ok(if super::report_issues(&walked.issues) { Outcome::Error } else { Outcome::Success })
}

fn answer(
    context: &BuildContext,
    relative: &[u8],
    by_path: &HashMap<&[u8], &Entry>,
    entries: &[Entry],
) -> anyhow::Result<Answer> {
    let on_disk = fs::symlink_metadata(context.root.join(OsStr::from_bytes(relative))).ok();
    let entry = by_path.get(relative).copied();
    let kind =
        entry.map(|e| e.kind).or_else(|| on_disk.as_ref().map(|m| EntryKind::of(m.file_type())));
    let trace = trace(&context.rules, relative, kind == Some(EntryKind::File))
        .map_err(|error| super::rule_error(context, error))?;
    let rule_ref = |index: usize| {
        let rule = &context.rules.rules()[index];
        RuleRef {
            file: context
                .ignore_file
                .as_ref()
                .map(|f| RawPath::from_path(&f.shown))
                .unwrap_or_default(),
            line: rule.line,
            pattern: rule.written.clone(),
            exception: rule.exception,
        }
    };
    let shown = |p: &[u8]| RawPath::from(p);
    let path = if relative.is_empty() { RawPath::from(".") } else { shown(relative) };
    let exists = on_disk.is_some();
    // The walk (as `ls` without sizes) does not test permissions; a file that ships but cannot
    // be read arrives empty.
    let readable = || {
        let full = context.root.join(OsStr::from_bytes(relative));
        let access = rustix::fs::Access::READ_OK;
        rustix::fs::accessat(rustix::fs::CWD, &full, access, rustix::fs::AtFlags::EACCESS).is_ok()
    };
    let status = match (entry.map(|e| e.fate), exists) {
        (_, false) => Status::NotFound,
        _ if relative.is_empty() => Status::Shipped,
        (Some(Fate::Shipped), _) if kind == Some(EntryKind::File) && !readable() => {
            Status::ShippedEmpty
        }
        (Some(Fate::Shipped), _) => Status::Shipped,
        (Some(Fate::ShippedEmpty { .. }), _) => Status::ShippedEmpty,
        (Some(Fate::ListedForDescendant { .. }), _) => Status::ListedForDescendant,
        _ => Status::Excluded,
    };
    let shipped_inside = (status == Status::ListedForDescendant)
        .then(|| first_shipped_inside(entries, relative))
        .flatten()
        .map(shown);
    let reason = reason(&trace, status, relative, &rule_ref, &shipped_inside);
    Ok(Answer {
        path,
        exists,
        kind: kind.map(kind_name),
        status,
        ships: status.ships(),
        rule: trace.rule.map(rule_ref),
        matched: trace.matched_at.as_deref().map(shown),
        pruned_at: trace.pruned_at.as_deref().map(shown),
        content_rule: trace.content_rule.map(rule_ref),
        shipped_inside,
        reason,
        transfer: None,
    })
}

/// Whether the build sends `relative` (which ships, or not, as `ships` says).
fn in_transfer(build: &Build, relative: &[u8], ships: bool, entries: &[Entry]) -> TransferAnswer {
    let sending: Vec<SourceRef> = build.sending(relative).into_iter().map(SourceRef::of).collect();
    let through = |sources: &[SourceRef]| {
        sources.iter().map(SourceRef::describe).collect::<Vec<_>>().join(", ")
    };
    if relative.is_empty() {
        let reason = "the context root: the directory every source is in".to_owned();
        return TransferAnswer { sent: true, sources: Vec::new(), reason };
    }
    if !ships {
        let reason = if sending.is_empty() {
            "not sent: no source asks for it, and the ignore file excludes it".to_owned()
        } else {
            format!("not sent: {} asks for it, but the ignore file excludes it", through(&sending))
        };
        return TransferAnswer { sent: false, sources: sending, reason };
    }
    if build.sends_whole_context() {
        let reason = format!("sent: {} sends the whole filtered context", through(&sending));
        return TransferAnswer { sent: true, sources: sending, reason };
    }
    if !sending.is_empty() {
        let reason = format!("sent through {}", through(&sending));
        return TransferAnswer { sent: true, sources: sending, reason };
    }
    // A directory on the way to something a source names goes only when that goes.
    let below = sent_below(build, relative, entries);
    match below {
        Some((path, sources)) => {
            let sources: Vec<SourceRef> = sources.into_iter().map(SourceRef::of).collect();
            let reason = format!(
                "sent as a directory on the way to {} ({})",
                escape_path(path),
                through(&sources)
            );
            TransferAnswer { sent: true, sources, reason }
        }
        None => TransferAnswer {
            sent: false,
            sources: Vec::new(),
            reason: "not sent: no COPY, ADD or RUN --mount source names it or a directory \
                     above it; only a `COPY . .` would"
                .to_owned(),
        },
    }
}

/// The first listed entry below `dir` that a needed source covers, with those sources.
fn sent_below<'e, 'b>(
    build: &'b Build,
    dir: &[u8],
    entries: &'e [Entry],
) -> Option<(&'e [u8], Vec<&'b ContextSource>)> {
    let start = entries.partition_point(|e| *e.path <= *dir);
    entries[start..]
        .iter()
        .take_while(|e| e.path.starts_with(dir))
        .filter(|e| e.path.get(dir.len()) == Some(&b'/') && e.fate.is_listed())
        .find_map(|e| {
            let sources = build.sending(&e.path);
            (!sources.is_empty()).then_some((&e.path[..], sources))
        })
}

fn reason(
    trace: &Trace,
    status: Status,
    relative: &[u8],
    rule_ref: &dyn Fn(usize) -> RuleRef,
    shipped_inside: &Option<RawPath>,
) -> String {
    let describe = |index: usize| {
        let r = rule_ref(index);
        format!("{}:{}: {}", String::from_utf8_lossy(r.file.as_bytes()), r.line, r.pattern)
    };
    let via = |at: &Option<Vec<u8>>| match at {
        Some(at) if at != relative => format!(" (it matches the directory {})", escape_path(at)),
        _ => String::new(),
    };
    let decided = match trace.rule {
        Some(index) => format!("{}{}", describe(index), via(&trace.matched_at)),
        None => "no rule matches it".to_owned(),
    };
    match status {
        Status::NotFound => {
            let would =
                if trace.excluded || trace.pruned_at.is_some() { "excluded" } else { "shipped" };
            format!("not in the context; the rules would have it {would}: {decided}")
        }
        Status::Shipped if relative.is_empty() => "the context root itself".to_owned(),
        Status::Shipped => match trace.rule {
            Some(_) => format!("re-included by {decided}"),
            None => decided,
        },
        Status::ShippedEmpty if trace.content_rule.is_none() => {
            "the file cannot be read: BuildKit sends it as an empty file".to_owned()
        }
        Status::ShippedEmpty => {
            let content = trace.content_rule.map(&describe).unwrap_or_default();
            format!(
                "kept by the walk ({decided}), but BuildKit's content check matches {content} on \
                 the file or a directory above it, so it arrives empty (0 bytes)"
            )
        }
        Status::ListedForDescendant => format!(
            "excluded by {decided}, but listed (without its other contents) because {} inside it ships",
            shipped_inside.as_ref().map_or("an entry".to_owned(), |p| escape_path(p.as_bytes()))
        ),
        Status::Excluded => match &trace.pruned_at {
            Some(dir) => {
                let dir = escape_path(dir);
                format!(
                    "excluded by {decided}; BuildKit does not enter {dir}: no exception can \
                     reach below it"
                )
            }
            None => format!("excluded by {decided}"),
        },
    }
}

fn first_shipped_inside<'e>(entries: &'e [Entry], dir: &[u8]) -> Option<&'e [u8]> {
    let start = entries.partition_point(|e| *e.path <= *dir);
    entries[start..]
        .iter()
        .take_while(|e| e.path.starts_with(dir))
        .find(|e| {
            e.path.get(dir.len()) == Some(&b'/')
                && matches!(e.fate, Fate::Shipped | Fate::ShippedEmpty { .. })
        })
        .map(|e| &e.path[..])
}

fn kind_name(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::File => "file",
        EntryKind::Dir => "dir",
        EntryKind::Symlink => "symlink",
        EntryKind::Socket => "socket",
        EntryKind::Fifo => "fifo",
        EntryKind::CharDevice => "char_device",
        EntryKind::BlockDevice => "block_device",
    }
}

/// A path as the user typed it, made relative to the context: absolute paths inside the
/// context lose the context's prefix (the context as given or with its symlinks resolved);
/// `./`, `//` and a trailing `/` are cleaned away. `None` for a path outside the context.
fn context_relative(root: &Path, path: &Path) -> Option<Vec<u8>> {
    // `..` and `.` resolved by the letter, as the shell's `cd` does.
    let lexical =
        |path: &Path| PathBuf::from(OsStr::from_bytes(&clean_path(path.as_os_str().as_bytes())));
    let mut path = path.to_owned();
    if path.is_absolute() {
        path = lexical(&path);
        let canonical_root = fs::canonicalize(root).ok();
        let roots =
            [std::path::absolute(root).ok().map(|root| lexical(&root)), canonical_root.clone()];
        let inside = roots.iter().flatten().find_map(|root| path.strip_prefix(root).ok());
        // Through a symlink outside the context: resolve the path itself when it exists.
        let resolved = || {
            let resolved = fs::canonicalize(&path).ok()?;
            resolved.strip_prefix(canonical_root.as_ref()?).ok().map(Path::to_owned)
        };
        path = match inside {
            Some(inside) => inside.to_owned(),
            None => resolved()?,
        };
    }
    let cleaned = clean_path(path.as_os_str().as_bytes());
    if cleaned == b".." || cleaned.starts_with(b"../") {
        return None;
    }
    Some(if cleaned == b"." { Vec::new() } else { cleaned })
}
