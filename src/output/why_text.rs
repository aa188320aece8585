//! `why`'s answers for people: the path and its fate, then the reason, wrapped.

use std::io::{self, Write};

use super::layout::{Layout, wrapped};
use super::style::Style;
use crate::escape::escape_path;
use crate::why_answer::{Answer, Status};

/// One answer for people: the path and its fate, then the reason.
pub fn write_answer(
    out: &mut impl Write,
    answer: &Answer,
    style: Style,
    layout: Layout,
) -> io::Result<()> {
    let verdict = match answer.status {
        Status::Shipped => style.green("shipped"),
        Status::ShippedEmpty => style.yellow("shipped empty"),
        Status::ListedForDescendant => style.yellow("listed"),
        Status::NotFound => style.yellow("not found"),
        Status::Excluded => style.red("excluded"),
    };
    writeln!(out, "{}: {verdict}", style.bold(&escape_path(answer.path.as_bytes())))?;
    wrapped(out, layout, " ", &answer.reason, 2)?;
    if let Some(transfer) = &answer.transfer {
        wrapped(out, layout, "  transfer:", &transfer.reason, 4)?;
    }
    Ok(())
}
