//! Running counts of a walk (entries and bytes) that a progress display reads.
//!
//! Walker threads add to two atomics in batches, never a lock per entry; the output
//! layer's spinner reads them. This module imports nothing, so the walk can count without
//! depending on any display.

use std::sync::atomic::{AtomicU64, Ordering};

/// Counters the walk updates.
#[derive(Debug, Default)]
pub struct Progress {
    entries: AtomicU64,
    bytes: AtomicU64,
}

impl Progress {
    pub fn add(&self, entries: u64, bytes: u64) {
        self.entries.fetch_add(entries, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
    }

    /// The entries and bytes counted so far.
    pub fn read(&self) -> (u64, u64) {
        (self.entries.load(Ordering::Relaxed), self.bytes.load(Ordering::Relaxed))
    }
}
