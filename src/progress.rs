//! A spinner with a running count of entries and bytes, on stderr, for long walks.
//!
//! Walker threads add to the walk's [`Counters`] in batches (never a lock per entry); a
//! ticker thread redraws. Nothing is drawn unless stderr is a terminal, `CI` is unset, and the walk takes
//! longer than a moment.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::walk::Counters;

/// Walks shorter than this show nothing.
const QUIET_PERIOD: Duration = Duration::from_millis(300);
const REDRAW_EVERY: Duration = Duration::from_millis(100);

/// Whether a spinner may be drawn: stderr is a terminal and this is not a CI log.
pub fn wanted() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none_or(|v| v.is_empty())
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
        bar.set_message(format!(
            "{} entries, {}",
            crate::scan::text::count(entries),
            crate::scan::text::size(bytes)
        ));
        bar.tick();
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
}
