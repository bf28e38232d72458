//! The graph snapshot: an immutable, read-optimised picture of one workspace's network.
//!
//! It owns the layout queries run on. It does not read the store (the store hands it a
//! [`SnapshotInput`]) nor search (that is `search`).
//!
//! # Layout
//! - Nodes are dense `u32` indices, numbered **by field group**: people whose field sets
//!   share a primary top field (finance, law, ...) get one contiguous index range, people of
//!   the same field set are contiguous inside it, and people without a field come last.
//!   Within a group, nodes follow the tie-break order (smallest email first).
//! - The adjacency is a compressed sparse row of [`Entry`]s, the neighbour (`u32`) and the
//!   tie's strength (`f32`) side by side, both directions of every tie stored, each
//!   neighbour list sorted by index. Because of the numbering, the neighbours of one person
//!   that belong to a field sit together in their list: a query for finance finds the
//!   finance range of each introducer's list by interpolation and reads only those entries,
//!   instead of reading every neighbour and looking up its fields. The `f32` strengths keep
//!   an entry at 8 bytes; [`Snapshot::strength`] gives the exact `f64` from the tie's inputs
//!   for anything shown to a user.
//! - petgraph is the graph model: the snapshot implements its graph traits (module `visit`),
//!   so petgraph's algorithms run on it; the layout under them is warmpath's own, because
//!   petgraph's `Csr` keeps neighbours and weights apart (two cache misses a list, not one).
//! - Tie inputs are packed ([`PackedTie`]) once per undirected tie, in the order of the
//!   upward entries (`a < b`) of the adjacency, so finding a tie's inputs is a search in one
//!   list, with no per-entry index.
//! - Mutual contacts (the size of the common neighbourhood) are counted here, in parallel,
//!   for ties whose strength is not explicit.
//! - A person's texts sit in one allocation ([`Person`] borrows them).

mod visit;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::relationship::Relationship;
use crate::strength::{StrengthInputs, StrengthSettings, prior, tie_strength};
use crate::taxonomy::{FieldIdx, Taxonomy};
use crate::text::fold;

/// A node of a snapshot: dense, `0..node_count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeIdx(pub u32);

impl NodeIdx {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A set of taxonomy fields, one bit per field (see `Taxonomy::bit`).
pub type FieldMask = u128;

/// A person as the snapshot holds them.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonNode {
    /// The person's id in the store.
    pub id: i64,
    pub name: String,
    /// Sorted; the first is the person's smallest email, used for tie-breaks.
    pub emails: Vec<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub fields: Vec<String>,
    pub field_mask: FieldMask,
}

/// What the formula needs of one tie, packed into 24 bytes (a million-person network has
/// tens of millions of ties). [`PackedTie::inputs`] unpacks it.
#[derive(Debug, Clone, Copy, PartialEq)]
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
            flags: if declared { DECLARED } else { 0 },
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

    fn is_explicit(&self) -> bool {
        !self.explicit.is_nan()
    }
}

/// One undirected tie of the input, between `people[a]` and `people[b]`.
#[derive(Debug, Clone, Copy, PartialEq)]
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

    /// [`TieInput::listing`] from the values as the store keeps them: dates as days of
    /// the common era (as `chrono`'s `num_days_from_ce` counts them).
    #[allow(clippy::too_many_arguments)]
    pub fn listing_stored(
        owner: u32,
        contact: u32,
        relationship: Option<Relationship>,
        last_contacted: Option<i64>,
        connected_on: Option<i64>,
        interactions: Option<u32>,
        explicit: Option<f64>,
        declared: bool,
    ) -> TieInput {
        let tie = PackedTie::stored(
            relationship,
            last_contacted,
            connected_on,
            interactions,
            explicit,
            declared,
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

/// Everything a snapshot is built from.
#[derive(Debug, Clone, Default)]
pub struct SnapshotInput {
    pub people: Vec<PersonNode>,
    /// One tie per unordered pair (of several, one is kept); self-ties are ignored.
    pub ties: Vec<TieInput>,
    /// The index of "me" in `people`.
    pub me: Option<usize>,
}

/// A tie as results show it: its exact strength and the inputs that made it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TieView {
    pub strength: f64,
    pub inputs: StrengthInputs,
}

/// A contiguous range of nodes that share one field set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldGroup {
    pub mask: FieldMask,
    pub start: u32,
    pub end: u32,
}

/// One entry of a neighbour list: the neighbour and the tie's strength, side by side so
/// that reading a list costs one cache line per eight neighbours.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(C)]
pub struct Entry {
    pub node: u32,
    pub strength: f32,
}

/// Interned, folded strings (companies or titles): one id per distinct value.
#[derive(Debug, Default)]
pub(crate) struct Interned {
    pub(crate) values: Vec<String>,
    /// Per node, the id of its value, or `u32::MAX` when it has none.
    pub(crate) of_node: Vec<u32>,
}

impl Interned {
    fn build<'a>(texts: impl Iterator<Item = Option<&'a str>>) -> Interned {
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut interned = Interned::default();
        for text in texts {
            let folded = text.map(fold).filter(|text| !text.is_empty());
            let id = match folded {
                None => u32::MAX,
                Some(folded) => {
                    let next = interned.values.len() as u32;
                    *ids.entry(folded).or_insert_with_key(|folded| {
                        interned.values.push(folded.clone());
                        next
                    })
                }
            };
            interned.of_node.push(id);
        }
        interned
    }
}

/// The immutable snapshot queries run on. Cheap to share between threads.
pub struct Snapshot {
    people: Vec<StoredPerson>,
    /// The distinct field lists of people, shared.
    field_lists: Vec<Vec<String>>,
    /// Tie-break order: position of each node when people are sorted by smallest email
    /// (people without an email after those with one), then by id.
    rank: Vec<u32>,
    /// The compressed sparse rows: node `n`'s neighbours are
    /// `entries[offsets[n]..offsets[n + 1]]`, sorted by neighbour.
    offsets: Vec<u64>,
    entries: Vec<Entry>,
    /// Per node, how many upward entries (`a < b`) the nodes before it hold.
    upward_before: Vec<u64>,
    /// One per undirected tie, in the order of the upward entries.
    ties: Vec<TieInput>,
    /// Mutual contacts per tie, in the same order; empty when every strength is explicit
    /// (then none were counted).
    mutual: Vec<u32>,
    groups: Vec<FieldGroup>,
    companies: Interned,
    titles: Interned,
    by_person: Vec<(i64, u32)>,
    by_email: HashMap<String, u32>,
    me: Option<NodeIdx>,
    settings: StrengthSettings,
}

impl Snapshot {
    /// Builds the snapshot: numbers the nodes, lays out the adjacency, counts mutual
    /// contacts and evaluates every tie's strength.
    pub fn build(input: SnapshotInput, settings: &StrengthSettings) -> Snapshot {
        let SnapshotInput {
            people,
            ties: mut input_ties,
            me,
        } = input;
        let count = people.len();
        let taxonomy = Taxonomy::embedded();

        // Tie-break ranks, then the node order: by field group, then by rank.
        // Each person's first 16 bytes of smallest email sit beside their index, so the
        // sort rarely follows a pointer to the person (a cache miss each time).
        let mut by_rank: Vec<(bool, u128, u32)> = people
            .par_iter()
            .enumerate()
            .map(|(index, person)| {
                let email = person.emails.first();
                (
                    email.is_none(),
                    email.map_or(0, |email| prefix(email)),
                    index as u32,
                )
            })
            .collect();
        by_rank.par_sort_unstable_by(|x, y| {
            (x.0, x.1).cmp(&(y.0, y.1)).then_with(|| {
                tie_break_key(&people[x.2 as usize]).cmp(&tie_break_key(&people[y.2 as usize]))
            })
        });
        let mut rank_of_old = vec![0u32; count];
        for (rank, &(_, _, old)) in by_rank.iter().enumerate() {
            rank_of_old[old as usize] = rank as u32;
        }
        drop(by_rank);
        let group_key = |person: &PersonNode| -> (u32, FieldMask) {
            if person.field_mask == 0 {
                return (u32::MAX, 0);
            }
            let lowest = FieldIdx(person.field_mask.trailing_zeros() as u8);
            let top = if usize::from(lowest.0) < taxonomy.fields().len() {
                u32::from(taxonomy.top(lowest).0)
            } else {
                u32::from(lowest.0)
            };
            (top, person.field_mask)
        };
        // Sort keys computed once, beside the index (no pointer chasing while sorting).
        let mut keyed: Vec<((u32, FieldMask), u32, u32)> = people
            .par_iter()
            .enumerate()
            .map(|(old, person)| (group_key(person), rank_of_old[old], old as u32))
            .collect();
        keyed.par_sort_unstable();
        let order: Vec<u32> = keyed.into_iter().map(|(_, _, old)| old).collect();
        let mut new_of_old = vec![0u32; count];
        for (new, &old) in order.iter().enumerate() {
            new_of_old[old as usize] = new as u32;
        }
        let rank: Vec<u32> = order.iter().map(|&old| rank_of_old[old as usize]).collect();
        drop(rank_of_old);
        let mut slots: Vec<Option<PersonNode>> = people.into_iter().map(Some).collect();
        let people: Vec<PersonNode> = order
            .iter()
            .map(|&old| slots[old as usize].take().unwrap_or_else(empty_person))
            .collect();
        drop(slots);
        drop(order);

        // Ties in the new numbering, upward (a < b), sorted, one per pair; in place.
        input_ties
            .retain(|tie| tie.a != tie.b && (tie.a as usize) < count && (tie.b as usize) < count);
        input_ties.par_iter_mut().for_each(|tie| {
            let (a, b) = (new_of_old[tie.a as usize], new_of_old[tie.b as usize]);
            (tie.a, tie.b) = (a.min(b), a.max(b));
        });
        input_ties.par_sort_unstable_by_key(|tie| (tie.a, tie.b));
        input_ties.dedup_by_key(|tie| (tie.a, tie.b));
        let ties = input_ties;

        // The structure first, each entry holding its tie's index: mutual contacts need
        // it before strengths exist.
        let mut degree = vec![0u32; count];
        for tie in &ties {
            degree[tie.a as usize] += 1;
            degree[tie.b as usize] += 1;
        }
        let mut offsets = Vec::with_capacity(count + 1);
        let mut total = 0u64;
        offsets.push(0u64);
        for &d in &degree {
            total += u64::from(d);
            offsets.push(total);
        }
        drop(degree);
        let mut fill: Vec<u64> = offsets[..count].to_vec();
        let mut structure = vec![(0u32, 0u32); total as usize];
        for (index, tie) in ties.iter().enumerate() {
            for (from, to) in [(tie.a, tie.b), (tie.b, tie.a)] {
                let slot = &mut fill[from as usize];
                structure[*slot as usize] = (to, index as u32);
                *slot += 1;
            }
        }
        drop(fill);
        {
            // Sort every neighbour list by neighbour, in parallel.
            let mut rest: &mut [(u32, u32)] = &mut structure;
            let mut lists = Vec::with_capacity(count);
            for window in offsets.windows(2) {
                let (list, tail) = rest.split_at_mut((window[1] - window[0]) as usize);
                lists.push(list);
                rest = tail;
            }
            lists
                .into_par_iter()
                .for_each(|list| list.sort_unstable_by_key(|&(n, _)| n));
        }

        // Mutual contacts, for ties whose strength is computed.
        let list_of = |node: u32| -> &[(u32, u32)] {
            &structure[offsets[node as usize] as usize..offsets[node as usize + 1] as usize]
        };
        let mutual: Vec<u32> = if ties.iter().all(|tie| tie.tie.is_explicit()) {
            Vec::new()
        } else {
            ties.par_iter()
                .map(|tie| {
                    if tie.tie.is_explicit() {
                        0
                    } else {
                        common_count(list_of(tie.a), list_of(tie.b))
                    }
                })
                .collect()
        };
        let strengths: Vec<f32> = ties
            .par_iter()
            .enumerate()
            .map(|(index, tie)| {
                let inputs = tie.tie.inputs(mutual.get(index).copied().unwrap_or(0));
                tie_strength(&inputs, settings).value as f32
            })
            .collect();
        // Each entry's tie index becomes the tie's strength, in place.
        let entries: Vec<Entry> = structure
            .into_iter()
            .map(|(node, tie)| Entry {
                node,
                strength: strengths[tie as usize],
            })
            .collect();
        drop(strengths);

        let mut upward_before = Vec::with_capacity(count + 1);
        let mut upward = 0u64;
        for node in 0..count as u32 {
            upward_before.push(upward);
            let list =
                &entries[offsets[node as usize] as usize..offsets[node as usize + 1] as usize];
            upward += (list.len() - list.partition_point(|entry| entry.node <= node)) as u64;
        }
        upward_before.push(upward);

        let mut groups: Vec<FieldGroup> = Vec::new();
        for (node, person) in people.iter().enumerate() {
            match groups.last_mut() {
                Some(group) if group.mask == person.field_mask => group.end = node as u32 + 1,
                _ => groups.push(FieldGroup {
                    mask: person.field_mask,
                    start: node as u32,
                    end: node as u32 + 1,
                }),
            }
        }
        groups.retain(|group| group.mask != 0);

        let companies = Interned::build(people.iter().map(|p| p.company.as_deref()));
        let titles = Interned::build(people.iter().map(|p| p.title.as_deref()));
        let mut by_person: Vec<(i64, u32)> = people
            .iter()
            .enumerate()
            .map(|(node, person)| (person.id, node as u32))
            .collect();
        by_person.par_sort_unstable();
        let mut by_email = HashMap::with_capacity(count);
        for (node, person) in people.iter().enumerate() {
            for email in &person.emails {
                by_email.entry(email.clone()).or_insert(node as u32);
            }
        }

        let (people, field_lists) = store_people(people);
        Snapshot {
            field_lists,
            rank,
            offsets,
            entries,
            upward_before,
            ties,
            mutual,
            groups,
            companies,
            titles,
            by_person,
            by_email,
            me: me
                .filter(|&me| me < count)
                .map(|me| NodeIdx(new_of_old[me])),
            people,
            settings: *settings,
        }
    }

    /// An empty snapshot (no people, no ties).
    pub fn empty(settings: &StrengthSettings) -> Snapshot {
        Snapshot::build(SnapshotInput::default(), settings)
    }

    pub fn node_count(&self) -> usize {
        self.people.len()
    }

    /// Undirected ties.
    pub fn tie_count(&self) -> usize {
        self.ties.len()
    }

    /// The workspace's "me", when set and known.
    pub fn me(&self) -> Option<NodeIdx> {
        self.me
    }

    /// The node of the person with this store id.
    pub fn node_of_person(&self, person_id: i64) -> Option<NodeIdx> {
        self.by_person
            .binary_search_by_key(&person_id, |&(id, _)| id)
            .ok()
            .map(|at| NodeIdx(self.by_person[at].1))
    }

    /// The node holding this (already normalised) email.
    pub fn node_by_email(&self, email: &str) -> Option<NodeIdx> {
        self.by_email.get(email).map(|&node| NodeIdx(node))
    }

    /// # Panics
    /// When `node` is not a node of this snapshot.
    pub fn person(&self, node: NodeIdx) -> Person<'_> {
        let stored = &self.people[node.index()];
        let text = &*stored.text;
        let (name, rest) = text.split_at(stored.name_len as usize);
        let (company, rest) = rest.split_at(stored.company_len as usize);
        let (title, emails) = rest.split_at(stored.title_len as usize);
        Person {
            id: stored.id,
            name,
            company: (stored.flags & HAS_COMPANY != 0).then_some(company),
            title: (stored.flags & HAS_TITLE != 0).then_some(title),
            emails,
            fields: self
                .field_lists
                .get(stored.fields as usize)
                .map_or(&[], Vec::as_slice),
            field_mask: stored.field_mask,
        }
    }

    /// The tie between `a` and `b`, with its exact strength.
    pub fn tie(&self, a: NodeIdx, b: NodeIdx) -> Option<TieView> {
        let inputs = self.tie_inputs(a, b)?;
        Some(TieView {
            strength: tie_strength(&inputs, &self.settings).value,
            inputs,
        })
    }

    /// The exact strength of the tie between `a` and `b` (what the `f32` in the adjacency
    /// approximates).
    pub fn strength(&self, a: NodeIdx, b: NodeIdx) -> Option<f64> {
        self.tie(a, b).map(|tie| tie.strength)
    }

    /// The neighbours of `node` with their (`f32`) strengths, by index.
    pub fn neighbours(&self, node: NodeIdx) -> impl Iterator<Item = (NodeIdx, f32)> + '_ {
        self.adjacency_of(node.0)
            .iter()
            .map(|entry| (NodeIdx(entry.node), entry.strength))
    }

    /// The settings strengths were evaluated with.
    pub fn settings(&self) -> &StrengthSettings {
        &self.settings
    }

    fn tie_inputs(&self, a: NodeIdx, b: NodeIdx) -> Option<StrengthInputs> {
        let (low, high) = (a.0.min(b.0), a.0.max(b.0));
        if low == high || high as usize >= self.people.len() {
            return None;
        }
        let list = self.adjacency_of(low);
        let count = self.people.len() as u32;
        let at = lower_bound(list, high, count);
        if list.get(at)?.node != high {
            return None;
        }
        let first_upward = lower_bound(list, low + 1, count);
        let index = self.upward_before[low as usize] as usize + (at - first_upward);
        let tie = self.ties.get(index)?;
        Some(tie.tie.inputs(self.mutual.get(index).copied().unwrap_or(0)))
    }

    // --- for search ---

    /// The neighbour list of `node`, sorted by neighbour.
    #[inline]
    pub(crate) fn adjacency_of(&self, node: u32) -> &[Entry] {
        let node = node as usize;
        &self.entries[self.offsets[node] as usize..self.offsets[node + 1] as usize]
    }

    /// Asks the memory system for the place in `node`'s neighbour list where neighbours
    /// from the value of this [`fraction`] on start, guessed by interpolation as
    /// [`lower_bound`] guesses it (two cache lines: a field's range of a list usually fits
    /// in them).
    #[inline]
    pub(crate) fn prefetch_range(&self, node: u32, fraction: u64) {
        let node = node as usize;
        let (Some(&start), Some(&end)) = (self.offsets.get(node), self.offsets.get(node + 1))
        else {
            return;
        };
        let len = end - start;
        let guess = start + ((len * fraction) >> 32).min(len.saturating_sub(1));
        let at = self.entries.as_ptr().wrapping_add(guess as usize);
        prefetch(at);
        prefetch(at.wrapping_add(8));
    }

    /// Asks for the offsets of `node`'s list: the first of the two misses of reading it.
    #[inline]
    pub(crate) fn prefetch_offsets(&self, node: u32) {
        prefetch(self.offsets.as_ptr().wrapping_add(node as usize));
    }

    #[inline]
    pub(crate) fn rank(&self, node: u32) -> u32 {
        self.rank[node as usize]
    }

    pub(crate) fn groups(&self) -> &[FieldGroup] {
        &self.groups
    }

    pub(crate) fn companies(&self) -> &Interned {
        &self.companies
    }

    pub(crate) fn titles(&self) -> &Interned {
        &self.titles
    }
}

/// The first position of `list` (sorted by node, nodes below `count`) holding a node
/// `>= value`.
///
/// Neighbour indices are spread over `0..count`, so the position is guessed by
/// interpolation and then found by galloping from the guess: a cache line or two instead of
/// a binary search's dozen scattered probes.
#[inline]
pub(crate) fn lower_bound(list: &[Entry], value: u32, count: u32) -> usize {
    lower_bound_at(list, value, fraction(value, count))
}

/// Where `value` lies in `0..count`, as a 32-bit fixed-point fraction: interpolating with
/// it takes a multiplication instead of a division (which costs dozens of cycles, and a
/// query interpolates hundreds of times with the same `value`).
#[inline]
pub(crate) fn fraction(value: u32, count: u32) -> u64 {
    (u64::from(value) << 32) / u64::from(count.max(1))
}

/// [`lower_bound`] with `value`'s [`fraction`] worked out beforehand.
#[inline]
pub(crate) fn lower_bound_at(list: &[Entry], value: u32, fraction: u64) -> usize {
    let below = |entry: &Entry| entry.node < value;
    let len = list.len();
    if len < 16 {
        return list.partition_point(below);
    }
    let guess = ((len as u64 * fraction) >> 32) as usize;
    let guess = guess.min(len - 1);
    if list[guess].node < value {
        // Gallop right: find a bound with list[hi] >= value.
        let (mut lo, mut step) = (guess + 1, 1usize);
        loop {
            let hi = lo + step;
            if hi >= len {
                return lo + list[lo..].partition_point(below);
            }
            if list[hi].node >= value {
                return lo + list[lo..hi].partition_point(below);
            }
            lo = hi + 1;
            step *= 2;
        }
    } else {
        // Gallop left: find a bound with list[lo] < value.
        let (mut hi, mut step) = (guess, 1usize);
        loop {
            if hi < step {
                return list[..hi].partition_point(below);
            }
            let lo = hi - step;
            if list[lo].node < value {
                return lo + 1 + list[lo + 1..hi].partition_point(below);
            }
            hi = lo;
            step *= 2;
        }
    }
}

/// A hint that `pointer`'s cache line will be read soon; nothing else happens.
#[inline(always)]
fn prefetch<T>(pointer: *const T) {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE is part of every x86_64 target, so the instruction exists; a
        // prefetch only hints the cache and never faults or reads, whatever the address.
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(pointer.cast());
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = pointer;
}

const HAS_COMPANY: u8 = 1;
const HAS_TITLE: u8 = 2;

/// A person as the snapshot keeps them: every text in one allocation, so that showing a
/// person costs two cache misses rather than one per string.
#[derive(Debug)]
struct StoredPerson {
    field_mask: FieldMask,
    id: i64,
    /// The name, the company, the title, then every email each ended by a NUL.
    text: Box<str>,
    name_len: u32,
    company_len: u32,
    title_len: u32,
    /// Index into the snapshot's field lists.
    fields: u32,
    flags: u8,
}

/// A person of a snapshot, borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Person<'a> {
    /// The person's id in the store.
    pub id: i64,
    pub name: &'a str,
    pub company: Option<&'a str>,
    pub title: Option<&'a str>,
    /// NUL-ended emails, smallest first.
    emails: &'a str,
    pub fields: &'a [String],
    pub field_mask: FieldMask,
}

impl<'a> Person<'a> {
    /// The person's emails, smallest first (the first is used for tie-breaks).
    pub fn emails(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.emails.split_terminator('\0')
    }

    pub fn first_email(&self) -> Option<&'a str> {
        self.emails().next()
    }
}

/// Packs people (in node order) into the snapshot's form, freeing each input as it goes.
fn store_people(people: Vec<PersonNode>) -> (Vec<StoredPerson>, Vec<Vec<String>>) {
    let mut list_ids: HashMap<Vec<String>, u32> = HashMap::new();
    let mut field_lists: Vec<Vec<String>> = Vec::new();
    let stored = people
        .into_iter()
        .map(|person| {
            let fields = match list_ids.get(&person.fields) {
                Some(&id) => id,
                None => {
                    let id = field_lists.len() as u32;
                    field_lists.push(person.fields.clone());
                    list_ids.insert(person.fields, id);
                    id
                }
            };
            let flags = if person.company.is_some() {
                HAS_COMPANY
            } else {
                0
            } | if person.title.is_some() { HAS_TITLE } else { 0 };
            let company = person.company.unwrap_or_default();
            let title = person.title.unwrap_or_default();
            let mut text = String::with_capacity(
                person.name.len()
                    + company.len()
                    + title.len()
                    + person
                        .emails
                        .iter()
                        .map(|email| email.len() + 1)
                        .sum::<usize>(),
            );
            text.push_str(&person.name);
            text.push_str(&company);
            text.push_str(&title);
            // An email holds no NUL (it would not be an email); one that did is left out
            // rather than split.
            for email in person.emails.iter().filter(|email| !email.contains('\0')) {
                text.push_str(email);
                text.push('\0');
            }
            StoredPerson {
                field_mask: person.field_mask,
                id: person.id,
                text: text.into_boxed_str(),
                name_len: person.name.len() as u32,
                company_len: company.len() as u32,
                title_len: title.len() as u32,
                fields,
                flags,
            }
        })
        .collect();
    (stored, field_lists)
}

/// The first 16 bytes of a text as a number that orders as the bytes do.
fn prefix(text: &str) -> u128 {
    let mut bytes = [0u8; 16];
    let len = text.len().min(16);
    bytes[..len].copy_from_slice(&text.as_bytes()[..len]);
    u128::from_be_bytes(bytes)
}

/// Smallest email first, people without email after, then the store id.
fn tie_break_key(person: &PersonNode) -> (bool, Option<&str>, i64) {
    let email = person.emails.first().map(String::as_str);
    (email.is_none(), email, person.id)
}

fn empty_person() -> PersonNode {
    PersonNode {
        id: 0,
        name: String::new(),
        emails: Vec::new(),
        company: None,
        title: None,
        fields: Vec::new(),
        field_mask: 0,
    }
}

/// The size of the intersection of two neighbour lists sorted by neighbour.
fn common_count(a: &[(u32, u32)], b: &[(u32, u32)]) -> u32 {
    let (mut i, mut j, mut count) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                count += 1;
                i += 1;
                j += 1;
            }
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relationship::Relationship;
    use chrono::NaiveDate;

    fn person(id: i64, email: Option<&str>, fields: &[&str]) -> PersonNode {
        let taxonomy = Taxonomy::embedded();
        PersonNode {
            id,
            name: format!("P{id}"),
            emails: email.map(|e| vec![e.to_string()]).unwrap_or_default(),
            company: Some("Acme Bank".into()),
            title: None,
            fields: fields.iter().map(|f| f.to_string()).collect(),
            field_mask: taxonomy.mask_of(fields),
        }
    }

    fn tie(a: usize, b: usize, explicit: Option<f64>) -> TieInput {
        TieInput::new(
            a,
            b,
            &StrengthInputs {
                relationship: Some(Relationship::Friend),
                explicit,
                ..StrengthInputs::default()
            },
        )
    }

    fn settings() -> StrengthSettings {
        StrengthSettings::new(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap())
    }

    #[test]
    fn nodes_are_grouped_by_field_and_ties_found_both_ways() {
        let input = SnapshotInput {
            people: vec![
                person(10, Some("z@x.org"), &[]),
                person(11, Some("b@x.org"), &["finance"]),
                person(12, None, &["law"]),
                person(13, Some("a@x.org"), &["finance"]),
            ],
            ties: vec![tie(0, 1, Some(0.5)), tie(3, 0, Some(0.25)), tie(1, 2, None)],
            me: Some(0),
        };
        let snapshot = Snapshot::build(input, &settings());
        assert_eq!(snapshot.node_count(), 4);
        assert_eq!(snapshot.tie_count(), 3);
        let me = snapshot.me().unwrap();
        assert_eq!(snapshot.person(me).id, 10);
        let finance: Vec<i64> = (0..4)
            .map(|n| snapshot.person(NodeIdx(n)))
            .filter(|p| p.fields == ["finance"])
            .map(|p| p.id)
            .collect();
        // Same group, ordered by email: a@ (13) before b@ (11), and contiguous.
        assert_eq!(finance, vec![13, 11]);
        let a = snapshot.node_of_person(13).unwrap();
        let b = snapshot.node_of_person(11).unwrap();
        assert_eq!(b.0, a.0 + 1);
        assert_eq!(snapshot.node_by_email("b@x.org"), Some(b));
        assert_eq!(snapshot.strength(me, b), Some(0.5));
        assert_eq!(snapshot.strength(b, me), Some(0.5));
        assert_eq!(snapshot.strength(a, me), Some(0.25));
        assert_eq!(snapshot.strength(a, b), None);
        let law = snapshot.node_of_person(12).unwrap();
        let tie = snapshot.tie(b, law).unwrap();
        assert_eq!(tie.inputs.mutual_contacts, 0);
        assert!(tie.strength > 0.0 && tie.strength <= 1.0);
        assert!(snapshot.rank(a.0) < snapshot.rank(b.0));
        assert!(
            snapshot.rank(law.0) > snapshot.rank(me.0),
            "no email ranks last"
        );
    }

    #[test]
    fn mutual_contacts_count_the_common_neighbours() {
        let input = SnapshotInput {
            people: (0..4).map(|i| person(i, None, &[])).collect(),
            ties: vec![
                tie(0, 1, None),
                tie(0, 2, None),
                tie(1, 2, None),
                tie(0, 3, None),
                tie(1, 3, None),
            ],
            me: None,
        };
        let snapshot = Snapshot::build(input, &settings());
        let node = |id| snapshot.node_of_person(id).unwrap();
        assert_eq!(
            snapshot
                .tie(node(0), node(1))
                .unwrap()
                .inputs
                .mutual_contacts,
            2
        );
        assert_eq!(
            snapshot
                .tie(node(0), node(2))
                .unwrap()
                .inputs
                .mutual_contacts,
            1
        );
        assert_eq!(snapshot.neighbours(node(0)).count(), 3);
    }

    #[test]
    fn packed_inputs_unpack_to_what_was_packed() {
        let date = NaiveDate::from_ymd_opt(2021, 3, 4);
        for inputs in [
            StrengthInputs::default(),
            StrengthInputs {
                relationship: Some(Relationship::Professor),
                last_contacted: date,
                connected_on: NaiveDate::from_ymd_opt(1999, 12, 31),
                interactions: Some(0),
                reciprocal: true,
                declared: true,
                mutual_contacts: 0,
                explicit: Some(0.3333),
            },
        ] {
            assert_eq!(PackedTie::new(&inputs).inputs(0), inputs);
        }
        assert_eq!(std::mem::size_of::<PackedTie>(), 24);
        assert_eq!(std::mem::size_of::<TieInput>(), 32);
    }

    #[test]
    fn listings_of_one_pair_merge_into_one_tie() {
        let listing = |owner: u32, contact: u32, inputs: StrengthInputs| {
            TieInput::listing(owner, contact, &inputs)
        };
        let mut tie = listing(
            7,
            3,
            StrengthInputs {
                relationship: Some(Relationship::Acquaintance),
                last_contacted: NaiveDate::from_ymd_opt(2020, 1, 1),
                interactions: Some(4),
                explicit: Some(0.4),
                ..StrengthInputs::default()
            },
        );
        assert_eq!((tie.a, tie.b), (3, 7));
        let mut one_sided = tie;
        one_sided.finish();
        assert!(!one_sided.tie.inputs(0).reciprocal);
        tie.absorb(&listing(
            3,
            7,
            StrengthInputs {
                relationship: Some(Relationship::Family),
                connected_on: NaiveDate::from_ymd_opt(2015, 1, 1),
                explicit: Some(0.4),
                declared: true,
                ..StrengthInputs::default()
            },
        ));
        tie.absorb(&listing(
            7,
            3,
            StrengthInputs {
                relationship: Some(Relationship::Colleague),
                last_contacted: NaiveDate::from_ymd_opt(2024, 6, 1),
                interactions: Some(2),
                ..StrengthInputs::default()
            },
        ));
        tie.finish();
        let inputs = tie.tie.inputs(0);
        assert_eq!(inputs.relationship, Some(Relationship::Family));
        assert_eq!(inputs.last_contacted, NaiveDate::from_ymd_opt(2024, 6, 1));
        assert_eq!(inputs.connected_on, NaiveDate::from_ymd_opt(2015, 1, 1));
        assert_eq!(inputs.interactions, Some(4));
        assert_eq!(inputs.explicit, Some(0.4));
        assert!(
            inputs.declared,
            "an equal declared strength says it was declared"
        );
        assert!(inputs.reciprocal);
        tie.absorb(&listing(
            3,
            7,
            StrengthInputs {
                explicit: Some(0.9),
                ..StrengthInputs::default()
            },
        ));
        let inputs = tie.tie.inputs(0);
        assert_eq!(inputs.explicit, Some(0.9));
        assert!(!inputs.declared, "a larger listed strength is not declared");
    }

    #[test]
    fn an_empty_snapshot_answers_nothing() {
        let snapshot = Snapshot::empty(&settings());
        assert_eq!(snapshot.node_count(), 0);
        assert_eq!(snapshot.tie(NodeIdx(0), NodeIdx(1)), None);
        assert_eq!(snapshot.node_of_person(1), None);
    }
}
