//! `ctxsize ls`: what the context ships, or what the rules exclude.

use std::collections::HashSet;
use std::io::Write;

use crate::build::Build;
use crate::config::LsConfig;
use crate::context::BuildContext;
use crate::outcome::Outcome;
use crate::output::{Printer, write_path};
use crate::rules::{Fate, path};
use crate::walk::{Entry, EntryKind, WalkOptions};

pub fn run(args: &LsConfig, threads: usize, printer: &mut Printer) -> anyhow::Result<Outcome> {
    let context =
        BuildContext::open(&args.inputs.context, args.inputs.dockerfile(), args.no_ignore)?;
    super::warn_about_inputs(&context);
    let options = WalkOptions {
        threads,
        descend_pruned: args.all,
        sizes_shipped: args.long && !args.excluded,
        sizes_excluded: args.long && args.excluded,
        counters: None,
    };
    let walked = super::listed_entries(&context, options, printer)?;
    let entries = walked.tally;
    let selected = if args.excluded {
        excluded(&entries, args.all)
    } else if args.transfer {
        let build = Build::read(&context, &args.build);
        if let Some(problem) = &build.problem {
            anyhow::bail!("{problem}: the transfer cannot be known");
        }
        transferred(&entries, &build)
    } else {
        listed(&entries)
    };
    let escape = printer.escapes();
    let separator = if args.null { b'\0' } else { b'\n' };
    let out = printer.out();
    for entry in selected {
        if args.long {
            let size = if args.excluded { entry.size } else { entry.shipped_size() };
            write!(out, "{} {} ", type_letter(entry.kind), size)?;
        }
        write_path(out, &entry.path, escape && !args.null)?;
        out.write_all(&[separator])?;
    }
    printer.flush()?;
    super::warn_unreadable_files(&context.root, &walked.unreadable_files);
    Ok(if super::report_issues(&walked.issues) { Outcome::Error } else { Outcome::Success })
}

/// What ships, in order.
fn listed(entries: &[Entry]) -> Vec<&Entry> {
    entries.iter().filter(|e| e.fate.is_listed()).collect()
}

/// What the build sends: listed entries a needed source covers, and the directories
/// leading to them (BuildKit sends a directory on the way only when something below it
/// goes); every listed entry when a source is the root.
fn transferred<'e>(entries: &'e [Entry], build: &Build) -> Vec<&'e Entry> {
    if build.sends_whole_context() {
        return listed(entries);
    }
    let mut sent: Vec<bool> =
        entries.iter().map(|e| e.fate.is_listed() && !build.sending(&e.path).is_empty()).collect();
    let mut on_the_way: HashSet<&[u8]> = HashSet::new();
    for entry in entries.iter().zip(&sent).filter(|(_, sent)| **sent).map(|(e, _)| e) {
        let mut cursor = &entry.path[..];
        while let Some(parent) = path::parent(cursor) {
            if !on_the_way.insert(parent) {
                break;
            }
            cursor = parent;
        }
    }
    for (entry, sent) in entries.iter().zip(&mut sent) {
        *sent |= entry.fate.is_listed() && on_the_way.contains(&entry.path[..]);
    }
    entries.iter().zip(sent).filter(|(_, sent)| *sent).map(|(e, _)| e).collect()
}

/// What the rules keep out: with `all`, every excluded entry; otherwise only the topmost
/// ones (whose parent ships), so a huge excluded directory is one line.
fn excluded(entries: &[Entry], all: bool) -> Vec<&Entry> {
    let listed_dirs: HashSet<&[u8]> = entries
        .iter()
        .filter(|e| e.kind == EntryKind::Dir && e.fate.is_listed())
        .map(|e| &e.path[..])
        .collect();
    entries
        .iter()
        .filter(|e| matches!(e.fate, Fate::Excluded { .. } | Fate::InsidePruned))
        .filter(|e| all || path::parent(&e.path[..]).is_none_or(|p| listed_dirs.contains(p)))
        .collect()
}

/// The type letter of `ls --long`, as BuildKit ships the entry: a socket arrives as an empty
/// regular file; a FIFO and a device node arrive as what they are (`p`, `c`, `b`, the
/// letters of `ls -l`), with no content.
fn type_letter(kind: EntryKind) -> char {
    match kind {
        EntryKind::Dir => 'd',
        EntryKind::Symlink => 'l',
        EntryKind::File | EntryKind::Socket => 'f',
        EntryKind::Fifo => 'p',
        EntryKind::CharDevice => 'c',
        EntryKind::BlockDevice => 'b',
    }
}
