//! A spinner with a running count of entries and bytes, on stderr, for long walks.
//!
//! A ticker thread redraws from the walk's [`Counters`]. Whether it may draw at
//! all is decided once, by [`wanted`]; even then nothing shows unless the walk takes longer
//! than a moment.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::numbers::{count, size};
use crate::walk::Counters;

/// Walks shorter than this show nothing.
const QUIET_PERIOD: Duration = Duration::from_millis(300);
const REDRAW_EVERY: Duration = Duration::from_millis(100);

/// Whether a spinner may be drawn, for every command and every output format: stderr is a
/// terminal (the spinner never touches stdout, so JSON or a pipe there is unaffected) and
/// this is not a CI log (`CI` unset or empty), where redrawn lines only add noise.
pub fn wanted() -> bool {
    use std::io::IsTerminal;
    wanted_for(std::io::stderr().is_terminal(), std::env::var_os("CI").as_deref())
}

/// [`wanted`], given whether stderr is a terminal and the value of `CI`.
fn wanted_for(stderr_is_terminal: bool, ci: Option<&std::ffi::OsStr>) -> bool {
    stderr_is_terminal && ci.is_none_or(|v| v.is_empty())
}

/// The ticker; dropping it clears the line.
pub struct Spinner {
    stop: Arc<AtomicBool>,
    ticker: Option<JoinHandle<()>>,
}

impl Spinner {
    pub fn start(progress: Arc<Counters>) -> Spinner {
        let stop = Arc::new(AtomicBool::new(false));
        let ticker = {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || tick(&progress, &stop))
        };
        Spinner { stop, ticker: Some(ticker) }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(ticker) = self.ticker.take() {
            let _ = ticker.join();
        }
    }
}

fn tick(progress: &Counters, stop: &AtomicBool) {
    let started = Instant::now();
    let mut bar: Option<ProgressBar> = None;
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(REDRAW_EVERY);
        if started.elapsed() < QUIET_PERIOD {
            continue;
        }
        let bar = bar.get_or_insert_with(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} walking: {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar
        });
        let (entries, bytes) = (progress.entries(), progress.bytes());
        bar.set_message(format!("{} entries, {}", count(entries), size(bytes)));
        bar.tick();
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
}

/// The counters of one walk and, when a spinner is wanted, the spinner that shows them.
/// Finish it (or drop it) before printing: that clears the spinner's line.
pub struct Walking {
    counters: Option<Arc<Counters>>,
    spinner: Option<Spinner>,
}

impl Walking {
    /// Counters and a spinner when `wanted`; nothing at all otherwise.
    pub fn start(wanted: bool) -> Walking {
        let counters = wanted.then(Arc::<Counters>::default);
        let spinner = counters.clone().map(Spinner::start);
        Walking { counters, spinner }
    }

    /// The counters for the walk to update.
    pub fn counters(&self) -> Option<Arc<Counters>> {
        self.counters.clone()
    }

    /// The counters, borrowed.
    pub fn counters_ref(&self) -> Option<&Counters> {
        self.counters.as_deref()
    }

    /// Stops the spinner and clears its line.
    pub fn finish(mut self) {
        self.spinner.take();
    }
}

#[cfg(test)]
mod tests {
    use super::wanted_for;
    use std::ffi::OsStr;

    #[test]
    fn a_spinner_only_on_a_terminal_outside_ci() {
        assert!(wanted_for(true, None));
        assert!(wanted_for(true, Some(OsStr::new(""))));
        assert!(!wanted_for(true, Some(OsStr::new("true"))));
        assert!(!wanted_for(false, None));
    }
}
