//! One integration test binary: every test runs the real `ctxsize` on a temporary tree.

mod advice;
mod builds;
mod case;
mod check;
mod churn;
mod conformance;
mod dockerfile;
mod env;
mod exact_paths;
mod gitignore;
mod hardlinks;
mod hardness;
mod init;
mod layers;
mod lint;
mod lint_cases;
mod ls;
mod pipe;
mod property;
mod scan;
mod special;
mod templates;
mod transfer;
mod unreadable;
mod usage;
mod why;
