//! One integration test binary: every test runs the real `ctxsize` on a temporary tree.

mod case;
mod conformance;
mod env;
mod ls;
mod unreadable;
mod why;
