//! Fixed sets of bits, `Copy` and without allocation, one type for every set a walk carries:
//! one bit per candidate or user rule probed ([`Bits`]), per rule of an ignore file (the
//! rules' [`crate::rules::Record`]), per Dockerfile source ([`SourceBits`]).

use std::ops::{BitAnd, BitOr, BitOrAssign, Not};

/// How many bits a [`Bits`] holds: the most candidate rules, or user rules, a walk probes.
pub const CAPACITY: usize = 256;

/// A set of `64 * WORDS` bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BitSet<const WORDS: usize>([u64; WORDS]);

/// One bit per candidate rule, or per user rule, probed in a walk.
pub type Bits = BitSet<{ CAPACITY / 64 }>;

/// One bit per Dockerfile source probed in a walk (its selector).
pub type SourceBits = BitSet<1>;

impl<const WORDS: usize> BitSet<WORDS> {
    pub const EMPTY: Self = BitSet([0; WORDS]);

    /// The set with only bit `index` (which must be below `64 * WORDS`).
    pub fn single(index: usize) -> Self {
        let mut bits = Self::EMPTY;
        bits.set(index);
        bits
    }

    pub fn set(&mut self, index: usize) {
        self.0[index / 64] |= 1 << (index % 64);
    }

    pub fn get(&self, index: usize) -> bool {
        self.0[index / 64] & (1 << (index % 64)) != 0
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|&word| word == 0)
    }

    /// Whether the two sets share a bit.
    pub fn intersects(&self, other: &Self) -> bool {
        self.0.iter().zip(other.0).any(|(word, other)| word & other != 0)
    }

    /// The lowest set bit.
    pub fn first(&self) -> Option<usize> {
        self.iter().next()
    }

    /// The indexes of the set bits, in increasing order.
    pub fn iter(self) -> impl Iterator<Item = usize> {
        self.0.into_iter().enumerate().flat_map(|(word_index, mut word)| {
            std::iter::from_fn(move || {
                if word == 0 {
                    return None;
                }
                let bit = word.trailing_zeros() as usize;
                word &= word - 1;
                Some(word_index * 64 + bit)
            })
        })
    }
}

impl<const WORDS: usize> Default for BitSet<WORDS> {
    fn default() -> Self {
        Self::EMPTY
    }
}

impl<const WORDS: usize> BitOr for BitSet<WORDS> {
    type Output = Self;
    fn bitor(mut self, other: Self) -> Self {
        self |= other;
        self
    }
}

impl<const WORDS: usize> BitOrAssign for BitSet<WORDS> {
    fn bitor_assign(&mut self, other: Self) {
        for (word, other) in self.0.iter_mut().zip(other.0) {
            *word |= other;
        }
    }
}

impl<const WORDS: usize> BitAnd for BitSet<WORDS> {
    type Output = Self;
    fn bitand(mut self, other: Self) -> Self {
        for (word, other) in self.0.iter_mut().zip(other.0) {
            *word &= other;
        }
        self
    }
}

impl<const WORDS: usize> Not for BitSet<WORDS> {
    type Output = Self;
    fn not(mut self) -> Self {
        for word in &mut self.0 {
            *word = !*word;
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_get_iterate_across_words() {
        let mut bits = Bits::EMPTY;
        for i in [0, 63, 64, 130, 255] {
            bits.set(i);
        }
        assert_eq!(bits.iter().collect::<Vec<_>>(), [0, 63, 64, 130, 255]);
        assert!(bits.get(130) && !bits.get(131));
        assert!(bits.intersects(&Bits::single(64)));
        assert!(!bits.intersects(&Bits::single(65)));
        assert_eq!((bits & !Bits::single(63)).iter().count(), 4);
        assert!(Bits::EMPTY.is_empty() && !bits.is_empty());
        assert_eq!(bits.first(), Some(0));
    }

    #[test]
    fn one_word_sets() {
        let mut sources = SourceBits::EMPTY;
        assert_eq!(sources.first(), None);
        sources.set(63);
        sources |= SourceBits::single(5);
        assert_eq!(sources.iter().collect::<Vec<_>>(), [5, 63]);
        assert_eq!(sources.first(), Some(5));
        assert_eq!((sources & !SourceBits::single(5)).iter().collect::<Vec<_>>(), [63]);
        assert_eq!(SourceBits::default(), SourceBits::EMPTY);
    }
}
