//! The N largest files of a set, kept per walker thread and merged. The order is total
//! (size, then path) so that the N kept, ties included, never depend on the thread count or
//! on the order the walk met the files.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// Larger files rank higher; of two files of one size, the bytewise-smaller path does.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Ranked {
    bytes: u64,
    path: Box<[u8]>,
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        rank(self.bytes, &self.path, other.bytes, &other.path)
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn rank(bytes: u64, path: &[u8], other_bytes: u64, other_path: &[u8]) -> Ordering {
    bytes.cmp(&other_bytes).then_with(|| other_path.cmp(path))
}

/// At most `limit` files: the highest-ranked offered so far.
#[derive(Debug, Clone)]
pub struct Largest {
    limit: usize,
    /// A min-heap: the top is the lowest-ranked file kept, the first to go.
    kept: BinaryHeap<Reverse<Ranked>>,
}

impl Largest {
    pub fn new(limit: usize) -> Largest {
        Largest { limit, kept: BinaryHeap::new() }
    }

    /// Offers one file; the path is copied only when the file is kept.
    pub fn offer(&mut self, bytes: u64, path: &[u8]) {
        if self.makes_room_for(bytes, path) {
            self.kept.push(Reverse(Ranked { bytes, path: path.into() }));
        }
    }

    pub fn merge(&mut self, other: Largest) {
        for Reverse(ranked) in other.kept {
            if self.makes_room_for(ranked.bytes, &ranked.path) {
                self.kept.push(Reverse(ranked));
            }
        }
    }

    /// Whether a file ranks among those kept, dropping the lowest-ranked one when full.
    fn makes_room_for(&mut self, bytes: u64, path: &[u8]) -> bool {
        if self.limit == 0 {
            return false;
        }
        if self.kept.len() >= self.limit {
            let Some(Reverse(lowest)) = self.kept.peek() else { return false };
            if rank(bytes, path, lowest.bytes, &lowest.path) != Ordering::Greater {
                return false;
            }
            self.kept.pop();
        }
        true
    }

    /// The files kept, highest-ranked first: `(bytes, path)`.
    pub fn sorted(&self) -> Vec<(u64, &[u8])> {
        let mut files: Vec<&Ranked> = self.kept.iter().map(|Reverse(ranked)| ranked).collect();
        files.sort_unstable_by(|a, b| b.cmp(a));
        files.into_iter().map(|ranked| (ranked.bytes, &*ranked.path)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(largest: &Largest) -> Vec<(u64, String)> {
        largest
            .sorted()
            .into_iter()
            .map(|(bytes, path)| (bytes, String::from_utf8(path.to_vec()).unwrap()))
            .collect()
    }

    #[test]
    fn keeps_the_largest_and_breaks_ties_by_path() {
        let mut largest = Largest::new(3);
        for (bytes, path) in [(5, "e"), (9, "z"), (5, "b"), (1, "a"), (5, "c"), (9, "y")] {
            largest.offer(bytes, path.as_bytes());
        }
        let expected = [(9, "y"), (9, "z"), (5, "b")];
        assert_eq!(paths(&largest), expected.map(|(b, p)| (b, p.to_owned())));
    }

    #[test]
    fn any_split_into_parts_merges_to_the_same_files() {
        let files: Vec<(u64, String)> =
            (0..60u64).map(|i| ((i * 7) % 5, format!("f{:02}", (i * 13) % 60))).collect();
        let mut whole = Largest::new(10);
        for (bytes, path) in &files {
            whole.offer(*bytes, path.as_bytes());
        }
        for parts in 1..7 {
            let mut split: Vec<Largest> = (0..parts).map(|_| Largest::new(10)).collect();
            for (i, (bytes, path)) in files.iter().enumerate().rev() {
                split[i % parts].offer(*bytes, path.as_bytes());
            }
            let mut merged = Largest::new(10);
            for part in split {
                merged.merge(part);
            }
            assert_eq!(paths(&merged), paths(&whole), "{parts} parts");
        }
    }

    #[test]
    fn a_limit_of_zero_keeps_nothing() {
        let mut largest = Largest::new(0);
        largest.offer(10, b"a");
        assert!(largest.sorted().is_empty());
    }
}
