//! The unordered pairs of people an import lists, kept compactly so that a bulk load of
//! millions of rows can count the ties it creates.

use rayon::prelude::*;

use crate::identity::PersonId;

/// Unordered pairs of people, packed into one word each while ids fit in 32 bits.
#[derive(Debug, Default)]
pub(crate) struct Pairs {
    packed: Vec<u64>,
    wide: Vec<(PersonId, PersonId)>,
}

impl Pairs {
    pub(crate) fn insert(&mut self, a: PersonId, b: PersonId) {
        let (low, high) = if a <= b { (a, b) } else { (b, a) };
        match (u32::try_from(low.0), u32::try_from(high.0)) {
            (Ok(low), Ok(high)) => self.packed.push(u64::from(low) << 32 | u64::from(high)),
            _ => self.wide.push((low, high)),
        }
    }

    /// Each pair once.
    pub(crate) fn distinct(mut self) -> Vec<(PersonId, PersonId)> {
        self.packed.par_sort_unstable();
        self.packed.dedup();
        self.wide.sort_unstable();
        self.wide.dedup();
        let mut pairs: Vec<(PersonId, PersonId)> = self
            .packed
            .iter()
            .map(|&pair| {
                (
                    PersonId((pair >> 32) as i64),
                    PersonId((pair & 0xFFFF_FFFF) as i64),
                )
            })
            .collect();
        pairs.append(&mut self.wide);
        pairs
    }
}
