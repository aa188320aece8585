//! How a run ends, and the exit status each ending maps to.

use std::process::ExitCode;

/// How a run ended; maps to the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Success,
    /// Exit 1: a check found a violation.
    Failure,
    /// Exit 2: a usage or runtime error, or an incomplete result.
    Error,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> ExitCode {
        match outcome {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::Failure => ExitCode::from(1),
            Outcome::Error => ExitCode::from(2),
        }
    }
}
