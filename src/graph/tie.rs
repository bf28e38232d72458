//! Ties as the snapshot keeps them: the formula's inputs packed into 24 bytes, and the
//! merging of several listings of one pair into one tie.

use bytemuck::{Pod, Zeroable};

use crate::relationship::Relationship;
use crate::strength::{StrengthInputs, prior};

/// Where a listing comes from: a contact list, or a tie a user declared (`POST /v1/ties`),
/// whose explicit strength is explained as "declared by you".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListingSource {
    List,
    Declared,
}

/// One listing of a contact by an owner, as the store keeps it: dates as days of the common
/// era (as `chrono`'s `num_days_from_ce` counts them).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoredListing {
    pub relationship: Option<Relationship>,
    pub last_contacted: Option<i64>,
    pub connected_on: Option<i64>,
    pub interactions: Option<u32>,
    pub strength: Option<f64>,
    pub source: ListingSource,
}

/// What the formula needs of one tie, packed into 24 bytes (a million-person network has
/// tens of millions of ties). [`PackedTie::inputs`] unpacks it.
#[derive(Debug, Clone, Copy, PartialEq, Pod, Zeroable)]
#[repr(C)]
pub struct PackedTie {
    /// NaN when there is none.
    explicit: f64,
    /// Days from the common era; `i32::MIN` when unknown.
    last_contacted: i32,
    connected_on: i32,
    /// `u32::MAX` when unknown.
    interactions: u32,
    /// 0 when unknown, else 1 + the index in [`Relationship::ALL`].
    relationship: u8,
    /// [`RECIPROCAL`] and [`DECLARED`].
    flags: u8,
    /// Always zero: the 24 bytes are plain data, written to and read from snapshot files
    /// as they are.
    pad: [u8; 2],
}

const RECIPROCAL: u8 = 1;
const DECLARED: u8 = 2;
/// While listings are merged: the lower (`a`) or the higher (`b`) end lists the other.
const LISTED_BY_A: u8 = 4;
const LISTED_BY_B: u8 = 8;

impl PackedTie {
    /// Packs everything of `inputs` but the mutual contacts (counted by the snapshot).
    pub fn new(inputs: &StrengthInputs) -> PackedTie {
        let days = |date: Option<chrono::NaiveDate>| {
            date.map(|date| {
                use chrono::Datelike;
                i64::from(date.num_days_from_ce())
            })
        };
        let mut tie = PackedTie::stored(
            inputs.relationship,
            days(inputs.last_contacted),
            days(inputs.connected_on),
            inputs.interactions,
            inputs.explicit,
            inputs.declared,
        );
        if inputs.reciprocal {
            tie.flags |= RECIPROCAL;
        }
        tie
    }

    /// Packs the values of a listing as the store keeps them: dates as days of the common
    /// era (as `chrono`'s `num_days_from_ce` counts them).
    fn stored(
        relationship: Option<Relationship>,
        last_contacted: Option<i64>,
        connected_on: Option<i64>,
        interactions: Option<u32>,
        explicit: Option<f64>,
        declared: bool,
    ) -> PackedTie {
        let days = |days: Option<i64>| {
            days.and_then(|days| i32::try_from(days).ok())
                .unwrap_or(i32::MIN)
        };
        PackedTie {
            explicit: explicit.unwrap_or(f64::NAN),
            last_contacted: days(last_contacted),
            connected_on: days(connected_on),
            interactions: interactions.unwrap_or(u32::MAX),
            relationship: relationship.map_or(0, |relationship| {
                Relationship::ALL
                    .iter()
                    .position(|&known| known == relationship)
                    .map_or(0, |at| at as u8 + 1)
            }),
            // "Declared" qualifies an explicit strength: without one it means nothing (and
            // would make a merge depend on the order listings come in).
            flags: if declared && explicit.is_some() {
                DECLARED
            } else {
                0
            },
            pad: [0; 2],
        }
    }

    /// The relationship, unpacked.
    fn relationship(&self) -> Option<Relationship> {
        usize::from(self.relationship)
            .checked_sub(1)
            .and_then(|index| Relationship::ALL.get(index).copied())
    }

    /// The inputs, with `mutual_contacts` as given.
    pub fn inputs(&self, mutual_contacts: u32) -> StrengthInputs {
        let date = |days: i32| {
            (days != i32::MIN)
                .then(|| chrono::NaiveDate::from_num_days_from_ce_opt(days))
                .flatten()
        };
        StrengthInputs {
            relationship: self.relationship(),
            last_contacted: date(self.last_contacted),
            connected_on: date(self.connected_on),
            interactions: (self.interactions != u32::MAX).then_some(self.interactions),
            reciprocal: self.flags & RECIPROCAL != 0,
            declared: self.flags & DECLARED != 0,
            mutual_contacts,
            explicit: (!self.explicit.is_nan()).then_some(self.explicit),
        }
    }

    pub(crate) fn is_explicit(&self) -> bool {
        !self.explicit.is_nan()
    }
}

/// One undirected tie of the input, between `people[a]` and `people[b]`.
#[derive(Debug, Clone, Copy, PartialEq, Pod, Zeroable)]
#[repr(C)]
pub struct TieInput {
    pub a: u32,
    pub b: u32,
    pub tie: PackedTie,
}

impl TieInput {
    pub fn new(a: usize, b: usize, inputs: &StrengthInputs) -> TieInput {
        TieInput {
            a: a as u32,
            b: b as u32,
            tie: PackedTie::new(inputs),
        }
    }

    /// One listing of `contact` by `owner` (indices into the people), as a tie between
    /// the two with `a < b`; listings of one pair are merged with [`TieInput::absorb`] and
    /// finished with [`TieInput::finish`].
    pub fn listing(owner: u32, contact: u32, inputs: &StrengthInputs) -> TieInput {
        TieInput::side(owner, contact, PackedTie::new(inputs))
    }

    /// [`TieInput::listing`] from a listing as the store keeps it.
    pub fn listing_stored(owner: u32, contact: u32, listing: &StoredListing) -> TieInput {
        let tie = PackedTie::stored(
            listing.relationship,
            listing.last_contacted,
            listing.connected_on,
            listing.interactions,
            listing.strength,
            listing.source == ListingSource::Declared,
        );
        TieInput::side(owner, contact, tie)
    }

    /// `owner`'s listing of `contact` as one side of the tie between them (`a < b`).
    fn side(owner: u32, contact: u32, mut tie: PackedTie) -> TieInput {
        tie.flags |= if owner < contact {
            LISTED_BY_A
        } else {
            LISTED_BY_B
        };
        TieInput {
            a: owner.min(contact),
            b: owner.max(contact),
            tie,
        }
    }

    /// Merges another listing of the same pair into this one: the relationship with the
    /// highest prior, the latest contact and connection dates, the most interactions, the
    /// largest explicit strength (declared when the declared listing gives it).
    pub fn absorb(&mut self, other: &TieInput) {
        let (mine, theirs) = (&mut self.tie, &other.tie);
        if theirs.relationship > 0
            && (mine.relationship == 0 || prior(theirs.relationship()) > prior(mine.relationship()))
        {
            mine.relationship = theirs.relationship;
        }
        let latest = |a: i32, b: i32| a.max(b);
        mine.last_contacted = latest(mine.last_contacted, theirs.last_contacted);
        mine.connected_on = latest(mine.connected_on, theirs.connected_on);
        mine.interactions = match (mine.interactions, theirs.interactions) {
            (u32::MAX, other) | (other, u32::MAX) => other,
            (a, b) => a.max(b),
        };
        let declared = |tie: &PackedTie| tie.flags & DECLARED != 0;
        if theirs.is_explicit()
            && (!mine.is_explicit()
                || theirs.explicit > mine.explicit
                || (theirs.explicit == mine.explicit && declared(theirs)))
        {
            mine.explicit = theirs.explicit;
            mine.flags = (mine.flags & !DECLARED) | (theirs.flags & DECLARED);
        }
        mine.flags |= theirs.flags & (LISTED_BY_A | LISTED_BY_B);
    }

    /// Ends a merge: reciprocal when both ends listed each other.
    pub fn finish(&mut self) {
        let both = LISTED_BY_A | LISTED_BY_B;
        if self.tie.flags & both == both {
            self.tie.flags |= RECIPROCAL;
        }
        self.tie.flags &= !both;
    }
}
