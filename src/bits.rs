//! A fixed set of 256 bits, one per candidate rule probed in a walk; `Copy`, no allocation.

use std::ops::{BitAnd, BitOr, BitOrAssign, Not};

/// How many bits a [`Bits`] holds.
pub const CAPACITY: usize = 256;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Bits([u64; CAPACITY / 64]);

impl Bits {
    pub const EMPTY: Bits = Bits([0; CAPACITY / 64]);

    /// The set with only bit `index` (which must be below [`CAPACITY`]).
    pub fn single(index: usize) -> Bits {
        let mut bits = Bits::EMPTY;
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
    pub fn intersects(&self, other: &Bits) -> bool {
        !(*self & *other).is_empty()
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

impl BitOr for Bits {
    type Output = Bits;
    fn bitor(mut self, other: Bits) -> Bits {
        self |= other;
        self
    }
}

impl BitOrAssign for Bits {
    fn bitor_assign(&mut self, other: Bits) {
        for (word, other) in self.0.iter_mut().zip(other.0) {
            *word |= other;
        }
    }
}

impl BitAnd for Bits {
    type Output = Bits;
    fn bitand(mut self, other: Bits) -> Bits {
        for (word, other) in self.0.iter_mut().zip(other.0) {
            *word &= other;
        }
        self
    }
}

impl Not for Bits {
    type Output = Bits;
    fn not(mut self) -> Bits {
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
    }
}
