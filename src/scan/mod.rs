//! `scan`: one walk that measures the context, what ships, where the bytes are, the project
//! type, and what a proper `.dockerignore` would save.

pub mod categories;
pub mod tally;
