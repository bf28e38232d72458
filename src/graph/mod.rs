//! The graph snapshot: an immutable, read-optimised picture of one workspace's network.
//!
//! It owns the layout queries run on. It does not read the store (the store hands it a
//! [`SnapshotInput`], and a [`SnapshotChange`] after writes) nor search (that is `search`).
//!
//! # Layout
//! A snapshot is a **base** (module `base`), laid out once for the whole network, and a
//! **delta** over it (module `delta`), which holds what writes changed since: a write of k
//! rows makes a new snapshot sharing the base, in time proportional to k (and the degrees
//! of the people it touches), not to the network. The owner of the live network (`live`)
//! folds a delta that grew large into a new base.
//! - Nodes are dense `u32` indices, numbered **by field group**: people whose field sets
//!   share a primary top field (finance, law, ...) get one contiguous index range, people of
//!   the same field set are contiguous inside it, and people without a field come last.
//!   Within a group, nodes follow the tie-break order (smallest email first). Each field
//!   group ends with a few vacant nodes, so that a person a write adds lands inside their
//!   group's range; when a group is full, they are appended after the last node.
//! - The adjacency is a compressed sparse row of [`Entry`]s, the neighbour (`u32`) and the
//!   tie's strength (`f32`) side by side, both directions of every tie stored, each
//!   neighbour list sorted by index. Because of the numbering, the neighbours of one person
//!   that belong to a field sit together in their list: a query for finance finds the
//!   finance range of each introducer's list by interpolation and reads only those entries,
//!   instead of reading every neighbour and looking up its fields. The `f32` strengths keep
//!   an entry at 8 bytes; [`Snapshot::strength`] gives the exact `f64` from the tie's inputs
//!   for anything shown to a user. A node a write touched has its whole list in the delta;
//!   one bit per node says which, so a query on an untouched node reads the base as before.
//! - petgraph is the graph model: the snapshot implements its graph traits (module `visit`),
//!   so petgraph's algorithms run on it; the layout under them is warmpath's own, because
//!   petgraph's `Csr` keeps neighbours and weights apart (two cache misses a list, not one).
//! - Tie inputs are packed ([`PackedTie`]) once per undirected tie, in the order of the
//!   upward entries (`a < b`) of the adjacency, so finding a tie's inputs is a search in one
//!   list, with no per-entry index.
//! - Mutual contacts (the size of the common neighbourhood) are counted here, in parallel,
//!   for ties whose strength is not explicit; a write adjusts the counts of the ties around
//!   the ties it adds or removes.
//! - A person's texts sit in one arena ([`Person`] borrows them).
//! - Tie-breaks compare a 64-bit rank: a base person's position in the tie-break order in
//!   the high half; a person a write added or re-keyed gets a value between the positions
//!   of its neighbours in that order.

mod base;
mod delta;
mod persist;
mod tie;
mod visit;

#[cfg(test)]
mod delta_tests;

use std::collections::HashMap;
use std::sync::Arc;

use bytemuck::{Pod, Zeroable};

pub use persist::{PersistError, Provenance, SNAPSHOT_FORMAT};
pub use tie::{ListingSource, PackedTie, StoredListing, TieInput};

use crate::strength::{StrengthInputs, StrengthSettings, tie_strength};
use crate::text::fold;
use base::{Base, VACANT};
use delta::Delta;

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

/// A person as the store hands them to the snapshot.
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

/// Everything a snapshot is built from.
#[derive(Debug, Clone, Default)]
pub struct SnapshotInput {
    pub people: Vec<PersonNode>,
    /// One tie per unordered pair (of several, one is kept); self-ties are ignored.
    pub ties: Vec<TieInput>,
    /// The index of "me" in `people`.
    pub me: Option<usize>,
}

/// What writes changed, as the store holds it now: the current state of every person and
/// pair they touched (`None`: no longer there), by store id.
#[derive(Debug, Clone, Default)]
pub struct SnapshotChange {
    pub people: Vec<(i64, Option<PersonNode>)>,
    /// Smaller id first; the tie merged over every listing of the pair.
    pub ties: Vec<(i64, i64, Option<PackedTie>)>,
    /// The workspace's "me" now.
    pub me: Option<i64>,
}

/// A tie as results show it: its exact strength and the inputs that made it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TieView {
    pub strength: f64,
    pub inputs: StrengthInputs,
}

/// A contiguous range of nodes that share one field set: people from `start` to `filled`,
/// vacant nodes from `filled` to `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Pod, Zeroable)]
#[repr(C)]
pub struct FieldGroup {
    pub mask: FieldMask,
    pub start: u32,
    pub end: u32,
    pub filled: u32,
    pad: u32,
}

impl FieldGroup {
    pub(crate) fn new(mask: FieldMask, start: u32, end: u32, filled: u32) -> FieldGroup {
        FieldGroup {
            mask,
            start,
            end,
            filled,
            pad: 0,
        }
    }
}

/// One entry of a neighbour list: the neighbour and the tie's strength, side by side so
/// that reading a list costs one cache line per eight neighbours.
#[derive(Debug, Clone, Copy, PartialEq, Pod, Zeroable)]
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

/// The rank of a base person at this position of the tie-break order: people a write
/// adds take values between these (see `delta`).
#[inline]
fn base_rank(position: u32) -> u64 {
    (u64::from(position) << 32) | 0x8000_0000
}

/// The snapshot queries run on: a base and the delta writes made over it. Cheap to share
/// between threads and to clone; never changes once made.
#[derive(Clone)]
pub struct Snapshot {
    base: Arc<Base>,
    delta: Arc<Delta>,
}

impl Snapshot {
    /// Builds a snapshot of a whole network (a base with an empty delta).
    pub fn build(input: SnapshotInput, settings: &StrengthSettings) -> Snapshot {
        Snapshot {
            base: Arc::new(Base::build(input, settings)),
            delta: Arc::new(Delta::default()),
        }
    }

    /// An empty snapshot (no people, no ties).
    pub fn empty(settings: &StrengthSettings) -> Snapshot {
        Snapshot::build(SnapshotInput::default(), settings)
    }

    /// Nodes, vacant ones included: node indices are below this.
    pub fn node_count(&self) -> usize {
        (self.delta.count as usize).max(self.base.node_count())
    }

    /// Undirected ties.
    pub fn tie_count(&self) -> usize {
        (self.base.ties.len() as i64 + self.delta.tie_change) as usize
    }

    /// People (vacant nodes are not people).
    pub fn people_count(&self) -> usize {
        (self.base.by_person.len() as i64 + self.delta.people_change) as usize
    }

    /// How much the delta holds, in list entries and ties: the live network folds it
    /// into a new base when this grows past a share of the base.
    pub fn delta_size(&self) -> usize {
        self.delta.size()
    }

    /// The size of the base, in the same unit as [`Snapshot::delta_size`].
    pub fn base_size(&self) -> usize {
        self.base.entries.len() + self.base.ties.len()
    }

    /// The workspace's "me", when set and known.
    pub fn me(&self) -> Option<NodeIdx> {
        match self.delta.me {
            Some(me) => me,
            None => self.base.me,
        }
        .map(NodeIdx)
    }

    /// The node of the person with this store id.
    pub fn node_of_person(&self, person_id: i64) -> Option<NodeIdx> {
        match self.delta.by_person.get(&person_id) {
            Some(node) => *node,
            None => self.base.node_of_person(person_id),
        }
        .map(NodeIdx)
    }

    /// The node holding this (already normalised) email.
    pub fn node_by_email(&self, email: &str) -> Option<NodeIdx> {
        if let Some(node) = self.delta.by_email.get(email) {
            return node.map(NodeIdx);
        }
        self.base
            .nodes_by_email_hash(base::email_hash(email))
            .find(|&node| {
                let (_, _, _, _, emails) = self.base.texts(node);
                emails.split_terminator('\0').any(|held| held == email)
            })
            .map(NodeIdx)
    }

    /// The person at a node; a vacant node is an empty person (id 0, no name).
    ///
    /// # Panics
    /// When `node` is not a node of this snapshot.
    pub fn person(&self, node: NodeIdx) -> Person<'_> {
        if self.touched(node.0) {
            return match self
                .delta
                .node(node.0)
                .and_then(|data| data.person.as_deref())
            {
                Some(person) => person.view(),
                None => Person::VACANT,
            };
        }
        self.base.person(node.0).unwrap_or(Person::VACANT)
    }

    /// Whether a node holds no person (kept free for people writes add, or left by one
    /// who moved or was deleted).
    pub fn is_vacant(&self, node: NodeIdx) -> bool {
        if self.touched(node.0) {
            return self
                .delta
                .node(node.0)
                .is_none_or(|data| data.person.is_none());
        }
        self.base.people[node.index()].flags & VACANT != 0
    }

    /// Every person, with their node.
    pub fn people(&self) -> impl Iterator<Item = (NodeIdx, Person<'_>)> + '_ {
        (0..self.node_count() as u32)
            .map(NodeIdx)
            .filter(|&node| !self.is_vacant(node))
            .map(|node| (node, self.person(node)))
    }

    /// The tie between `a` and `b`, with its exact strength.
    pub fn tie(&self, a: NodeIdx, b: NodeIdx) -> Option<TieView> {
        let inputs = self.tie_inputs(a, b)?;
        Some(TieView {
            strength: tie_strength(&inputs, &self.base.settings).value,
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
        &self.base.settings
    }

    fn tie_inputs(&self, a: NodeIdx, b: NodeIdx) -> Option<StrengthInputs> {
        let (tie, mutual) = self.packed_tie(a.0, b.0)?;
        Some(tie.inputs(mutual))
    }

    /// The packed tie between two nodes and its mutual contacts.
    fn packed_tie(&self, a: u32, b: u32) -> Option<(PackedTie, u32)> {
        let key = (a.min(b), a.max(b));
        if !self.delta.ties.is_empty()
            && let Some(state) = self.delta.ties.get(&key)
        {
            return *state;
        }
        self.base.tie(key.0, key.1)
    }

    // --- for search ---

    /// Whether a write changed this node (its list and person then live in the delta).
    #[inline]
    fn touched(&self, node: u32) -> bool {
        self.delta
            .changed
            .get((node >> 6) as usize)
            .is_some_and(|word| (word >> (node & 63)) & 1 != 0)
    }

    /// The neighbour list of `node`, sorted by neighbour.
    #[inline]
    pub(crate) fn adjacency_of(&self, node: u32) -> &[Entry] {
        if self.touched(node) {
            return self.delta_list(node);
        }
        self.base.adjacency_of(node)
    }

    /// The list of a node a write touched (kept out of line: queries mostly read the base).
    #[cold]
    #[inline(never)]
    fn delta_list(&self, node: u32) -> &[Entry] {
        self.delta.node(node).map_or(&[], |data| &data.list)
    }

    /// Asks the memory system for the place in `node`'s neighbour list where neighbours
    /// from the value of this [`fraction`] on start, guessed by interpolation as
    /// [`lower_bound`] guesses it (two cache lines: a field's range of a list usually fits
    /// in them).
    #[inline]
    pub(crate) fn prefetch_range(&self, node: u32, fraction: u64) {
        let node = node as usize;
        let (Some(&start), Some(&end)) =
            (self.base.offsets.get(node), self.base.offsets.get(node + 1))
        else {
            return;
        };
        let len = end - start;
        let guess = start + ((len * fraction) >> 32).min(len.saturating_sub(1));
        let at = self.base.entries.as_ptr().wrapping_add(guess as usize);
        prefetch(at);
        prefetch(at.wrapping_add(8));
    }

    /// Asks for the offsets of `node`'s list: the first of the two misses of reading it.
    #[inline]
    pub(crate) fn prefetch_offsets(&self, node: u32) {
        prefetch(self.base.offsets.as_ptr().wrapping_add(node as usize));
    }

    /// The node's place in the tie-break order (smaller first).
    #[inline]
    pub(crate) fn rank(&self, node: u32) -> u64 {
        if self.touched(node) {
            return self.delta_rank(node);
        }
        base_rank(self.base.rank[node as usize])
    }

    #[cold]
    #[inline(never)]
    fn delta_rank(&self, node: u32) -> u64 {
        self.delta.node(node).map_or(u64::MAX, |data| data.rank)
    }

    pub(crate) fn groups(&self) -> &[FieldGroup] {
        match &self.delta.groups {
            Some(groups) => groups,
            None => &self.base.groups,
        }
    }

    /// The id of the node's folded company, `u32::MAX` when it has none.
    #[inline]
    pub(crate) fn company_of(&self, node: u32) -> u32 {
        if self.touched(node) {
            return self.delta.node(node).map_or(u32::MAX, |data| data.company);
        }
        self.base.companies.of_node[node as usize]
    }

    /// The id of the node's folded title, `u32::MAX` when it has none.
    #[inline]
    pub(crate) fn title_of(&self, node: u32) -> u32 {
        if self.touched(node) {
            return self.delta.node(node).map_or(u32::MAX, |data| data.title);
        }
        self.base.titles.of_node[node as usize]
    }

    /// Every folded company, by id.
    pub(crate) fn companies(&self) -> impl Iterator<Item = &str> + '_ {
        self.base
            .companies
            .values
            .iter()
            .chain(&self.delta.companies.values)
            .map(String::as_str)
    }

    pub(crate) fn company_count(&self) -> usize {
        self.base.companies.values.len() + self.delta.companies.values.len()
    }

    /// Every folded title, by id.
    pub(crate) fn titles(&self) -> impl Iterator<Item = &str> + '_ {
        self.base
            .titles
            .values
            .iter()
            .chain(&self.delta.titles.values)
            .map(String::as_str)
    }

    pub(crate) fn title_count(&self) -> usize {
        self.base.titles.values.len() + self.delta.titles.values.len()
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
    /// What a vacant node shows.
    const VACANT: Person<'static> = Person {
        id: 0,
        name: "",
        company: None,
        title: None,
        emails: "",
        fields: &[],
        field_mask: 0,
    };

    /// The person's emails, smallest first (the first is used for tie-breaks).
    pub fn emails(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.emails.split_terminator('\0')
    }

    pub fn first_email(&self) -> Option<&'a str> {
        self.emails().next()
    }

    /// Smallest email first, people without email after, then the store id.
    pub(crate) fn tie_break_key(&self) -> (bool, Option<&'a str>, i64) {
        let email = self.first_email();
        (email.is_none(), email, self.id)
    }
}

/// The first 16 bytes of a text as a number that orders as the bytes do.
fn prefix(text: &str) -> u128 {
    let mut bytes = [0u8; 16];
    let len = text.len().min(16);
    bytes[..len].copy_from_slice(&text.as_bytes()[..len]);
    u128::from_be_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relationship::Relationship;
    use crate::taxonomy::Taxonomy;
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
        assert_eq!(snapshot.people_count(), 4);
        assert!(
            snapshot.node_count() > 4,
            "field groups end with vacant nodes"
        );
        assert_eq!(snapshot.tie_count(), 3);
        let me = snapshot.me().unwrap();
        assert_eq!(snapshot.person(me).id, 10);
        let finance: Vec<i64> = snapshot
            .people()
            .map(|(_, p)| p)
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
