//! What writes changed over a base: [`Snapshot::apply`] makes a new snapshot sharing the
//! base, with a new delta, in time proportional to the change (and to the degrees of the
//! people it touches), never to the whole network.
//!
//! # What the delta holds
//! - Per touched node (one bit each in `changed`): the person (or none: vacant), the whole
//!   neighbour list, the tie-break rank and the company and title ids. Untouched nodes are
//!   read from the base.
//! - Per touched pair: the tie and its mutual contacts, or none (removed).
//! - Store ids and emails whose node changed; field groups once a person was added; the
//!   companies and titles writes brought in; "me".
//!
//! # Applying a change
//! People first, then ties. A new person takes the next vacant node of their field group
//! (appended after the last node when the group is full or new); a person whose fields
//! changed moves to a node of their new group, their ties carried over unchanged; a deleted
//! person's ties are removed and the node stays vacant. A tie added or removed changes the
//! mutual contacts of the ties between its ends and their common neighbours, whose strengths
//! are evaluated again. The result answers every question exactly as a base built from the
//! store's new state would (the property test in `live` checks it).

use std::collections::BTreeMap;
use std::sync::Arc;

use foldhash::fast::RandomState;

use super::base::{Base, PersonMeta, pack_person};
use super::{
    Entry, FieldGroup, FieldMask, PackedTie, Person, PersonNode, Snapshot, SnapshotChange,
    base_rank,
};
use crate::strength::tie_strength;
use crate::text::fold;

type Map<K, V> = std::collections::HashMap<K, V, RandomState>;

/// A person a write added or changed, with their texts in one string.
#[derive(Debug)]
pub(crate) struct OverlayPerson {
    meta: PersonMeta,
    text: String,
    fields: Vec<String>,
}

impl OverlayPerson {
    fn new(person: &PersonNode) -> OverlayPerson {
        let (meta, text) = pack_person(
            person.id,
            &person.name,
            person.company.as_deref(),
            person.title.as_deref(),
            &person.emails,
            person.field_mask,
            0,
            0,
        );
        OverlayPerson {
            meta,
            text,
            fields: person.fields.clone(),
        }
    }

    pub(crate) fn view(&self) -> Person<'_> {
        self.meta.view(&self.text, &self.fields)
    }
}

/// A touched node.
#[derive(Debug, Clone)]
pub(crate) struct NodeData {
    /// `None`: vacant.
    pub(crate) person: Option<Arc<OverlayPerson>>,
    pub(crate) list: Arc<[Entry]>,
    pub(crate) rank: u64,
    pub(crate) company: u32,
    pub(crate) title: u32,
}

impl NodeData {
    fn vacant() -> NodeData {
        NodeData {
            person: None,
            list: Arc::from([]),
            rank: u64::MAX,
            company: u32::MAX,
            title: u32::MAX,
        }
    }
}

/// Folded texts writes brought in, with ids after the base's.
#[derive(Debug, Clone, Default)]
pub(crate) struct Texts {
    pub(crate) values: Vec<String>,
    ids: Map<String, u32>,
}

impl Texts {
    /// The id of a text (folded here), `u32::MAX` for none.
    fn intern(&mut self, text: Option<&str>, base_count: usize) -> u32 {
        let Some(folded) = text.map(fold).filter(|text| !text.is_empty()) else {
            return u32::MAX;
        };
        if let Some(&id) = self.ids.get(&folded) {
            return id;
        }
        let id = (base_count + self.values.len()) as u32;
        self.values.push(folded.clone());
        self.ids.insert(folded, id);
        id
    }
}

/// Everything writes changed over one base.
#[derive(Debug, Clone, Default)]
pub(crate) struct Delta {
    /// Nodes in all (0 while nothing was appended: the base's count).
    pub(crate) count: u32,
    /// One bit per node: set when the node is in `nodes`.
    pub(crate) changed: Vec<u64>,
    nodes: Map<u32, NodeData>,
    pub(crate) ties: Map<(u32, u32), Option<(PackedTie, u32)>>,
    pub(crate) by_person: Map<i64, Option<u32>>,
    pub(crate) by_email: Map<Arc<str>, Option<u32>>,
    pub(crate) groups: Option<Arc<[FieldGroup]>>,
    pub(crate) companies: Texts,
    pub(crate) titles: Texts,
    /// Ranks given to people writes added or re-keyed, and their nodes.
    ranks: BTreeMap<u64, u32>,
    pub(crate) me: Option<Option<u32>>,
    /// Ties and people added minus removed.
    pub(crate) tie_change: i64,
    pub(crate) people_change: i64,
    /// Entries held by the delta's lists.
    list_entries: usize,
}

impl Delta {
    pub(crate) fn node(&self, node: u32) -> Option<&NodeData> {
        self.nodes.get(&node)
    }

    pub(crate) fn size(&self) -> usize {
        self.list_entries + self.ties.len() + self.nodes.len()
    }
}

impl Snapshot {
    /// A new snapshot: this one with `change` applied. This one is left as it was.
    pub fn apply(&self, change: &SnapshotChange) -> Snapshot {
        let mut writer = Writer {
            base: &self.base,
            delta: (*self.delta).clone(),
            lists: Map::default(),
        };
        if writer.delta.count == 0 {
            writer.delta.count = self.base.node_count() as u32;
        }
        for (id, person) in &change.people {
            writer.set_person(*id, person.as_ref());
        }
        for &(a, b, tie) in &change.ties {
            let (Some(a), Some(b)) = (writer.node_of(a), writer.node_of(b)) else {
                continue;
            };
            if a != b {
                writer.set_tie(a, b, tie);
            }
        }
        if let Some(me) = change.me {
            writer.delta.me = Some(writer.node_of(me));
        }
        writer.finish();
        Snapshot {
            base: self.base.clone(),
            delta: Arc::new(writer.delta),
        }
    }
}

/// A delta being changed, with the lists changed so far kept as vectors.
struct Writer<'a> {
    base: &'a Base,
    delta: Delta,
    lists: Map<u32, Vec<Entry>>,
}

impl Writer<'_> {
    fn touched(&self, node: u32) -> bool {
        self.delta
            .changed
            .get((node >> 6) as usize)
            .is_some_and(|word| (word >> (node & 63)) & 1 != 0)
    }

    fn node_of(&self, id: i64) -> Option<u32> {
        match self.delta.by_person.get(&id) {
            Some(node) => *node,
            None => self.base.node_of_person(id),
        }
    }

    /// The current list of a node.
    fn list(&self, node: u32) -> &[Entry] {
        if let Some(list) = self.lists.get(&node) {
            return list;
        }
        if self.touched(node) {
            return self.delta.nodes.get(&node).map_or(&[], |data| &data.list);
        }
        if (node as usize) < self.base.node_count() {
            self.base.adjacency_of(node)
        } else {
            &[]
        }
    }

    fn list_mut(&mut self, node: u32) -> &mut Vec<Entry> {
        if !self.lists.contains_key(&node) {
            let list = self.list(node).to_vec();
            self.lists.insert(node, list);
        }
        self.lists.entry(node).or_default()
    }

    fn tie(&self, a: u32, b: u32) -> Option<(PackedTie, u32)> {
        let key = (a.min(b), a.max(b));
        if let Some(state) = self.delta.ties.get(&key) {
            return *state;
        }
        if (key.1 as usize) < self.base.node_count() {
            self.base.tie(key.0, key.1)
        } else {
            None
        }
    }

    /// The node's data, made from the base on first touch.
    fn data_mut(&mut self, node: u32) -> &mut NodeData {
        if !self.touched(node) {
            let data = if (node as usize) < self.base.node_count() {
                self.base_data(node)
            } else {
                NodeData::vacant()
            };
            self.delta.list_entries += data.list.len();
            self.delta.nodes.insert(node, data);
            let word = (node >> 6) as usize;
            if self.delta.changed.len() <= word {
                self.delta.changed.resize(word + 1, 0);
            }
            self.delta.changed[word] |= 1 << (node & 63);
        }
        self.delta
            .nodes
            .get_mut(&node)
            .expect("a touched node has its data")
    }

    /// A base node's data as the delta keeps it.
    fn base_data(&self, node: u32) -> NodeData {
        let (meta, name, company, title, emails) = self.base.texts(node);
        if meta.flags & super::VACANT != 0 {
            return NodeData::vacant();
        }
        let person = OverlayPerson {
            meta: PersonMeta {
                text: 0,
                fields: 0,
                ..*meta
            },
            text: format!("{name}{company}{title}{emails}"),
            fields: self
                .base
                .field_lists
                .get(meta.fields as usize)
                .cloned()
                .unwrap_or_default(),
        };
        NodeData {
            person: Some(Arc::new(person)),
            list: Arc::from(self.base.adjacency_of(node)),
            rank: base_rank(self.base.rank[node as usize]),
            company: self.base.companies.of_node[node as usize],
            title: self.base.titles.of_node[node as usize],
        }
    }

    /// The person at a node now, if any.
    fn person(&self, node: u32) -> Option<Person<'_>> {
        if self.touched(node) {
            return self
                .delta
                .nodes
                .get(&node)
                .and_then(|data| data.person.as_deref())
                .map(OverlayPerson::view);
        }
        if (node as usize) >= self.base.node_count() {
            return None;
        }
        self.base.person(node)
    }

    fn set_person(&mut self, id: i64, state: Option<&PersonNode>) {
        let current = self.node_of(id);
        match (current, state) {
            (None, None) => {}
            (None, Some(person)) => {
                let node = self.allocate(person.field_mask);
                self.place(node, person);
                self.delta.by_person.insert(id, Some(node));
                self.delta.people_change += 1;
                for email in &person.emails {
                    self.delta
                        .by_email
                        .insert(email.as_str().into(), Some(node));
                }
            }
            (Some(node), None) => {
                let neighbours: Vec<u32> = self.list(node).iter().map(|e| e.node).collect();
                for neighbour in neighbours {
                    self.remove_tie(node, neighbour);
                }
                self.forget_emails(node);
                self.vacate(node);
                self.delta.by_person.insert(id, None);
                self.delta.people_change -= 1;
                if self.me() == Some(node) {
                    self.delta.me = Some(None);
                }
            }
            (Some(node), Some(person)) => {
                let mask = self.person(node).map_or(0, |person| person.field_mask);
                self.forget_emails(node);
                let node = if mask == person.field_mask {
                    node
                } else {
                    let moved = self.allocate(person.field_mask);
                    self.carry_ties(node, moved);
                    self.vacate(node);
                    self.delta.by_person.insert(id, Some(moved));
                    if self.me() == Some(node) {
                        self.delta.me = Some(Some(moved));
                    }
                    moved
                };
                self.place(node, person);
                for email in &person.emails {
                    self.delta
                        .by_email
                        .insert(email.as_str().into(), Some(node));
                }
            }
        }
    }

    fn me(&self) -> Option<u32> {
        match self.delta.me {
            Some(me) => me,
            None => self.base.me,
        }
    }

    /// Unmaps the emails a node's person holds now (those that still map to it).
    fn forget_emails(&mut self, node: u32) {
        let Some(person) = self.person(node) else {
            return;
        };
        let emails: Vec<String> = person.emails().map(str::to_string).collect();
        for email in emails {
            let current = match self.delta.by_email.get(email.as_str()) {
                Some(mapped) => *mapped,
                None => Some(node),
            };
            if current == Some(node) {
                self.delta.by_email.insert(email.into(), None);
            }
        }
    }

    /// A node for a new person of these fields: the next vacant node of their group, or
    /// a new node after the last.
    fn allocate(&mut self, mask: FieldMask) -> u32 {
        let mut groups: Vec<FieldGroup> = match &self.delta.groups {
            Some(groups) => groups.to_vec(),
            None => self.base.groups.clone(),
        };
        if mask != 0
            && let Some(group) = groups
                .iter_mut()
                .find(|group| group.mask == mask && group.filled < group.end)
        {
            let node = group.filled;
            group.filled += 1;
            self.delta.groups = Some(groups.into());
            return node;
        }
        let node = self.delta.count;
        self.delta.count += 1;
        if mask != 0 {
            match groups.last_mut() {
                Some(last) if last.mask == mask && last.end == node => {
                    last.end += 1;
                    last.filled += 1;
                }
                _ => groups.push(FieldGroup::new(mask, node, node + 1, node + 1)),
            }
            self.delta.groups = Some(groups.into());
        }
        node
    }

    /// Puts a person's current data at a node (keeping its list).
    fn place(&mut self, node: u32, person: &PersonNode) {
        let base_count = self.base.node_count();
        let company = self
            .delta
            .companies
            .intern(person.company.as_deref(), self.base.companies.values.len());
        let title = self
            .delta
            .titles
            .intern(person.title.as_deref(), self.base.titles.values.len());
        let key = (
            person.emails.is_empty(),
            person.emails.first().cloned(),
            person.id,
        );
        let old_rank = self.data_mut(node).rank;
        let keeps_base_rank =
            (node as usize) < base_count && self.base.rank[node as usize] != u32::MAX && {
                let (empty, email, id) = self.base.tie_break_key(node);
                (empty, email.map(str::to_string), id) == key
            };
        if self.delta.ranks.get(&old_rank) == Some(&node) {
            self.delta.ranks.remove(&old_rank);
        }
        let rank = if keeps_base_rank {
            base_rank(self.base.rank[node as usize])
        } else {
            self.new_rank(node, &key)
        };
        let data = self.data_mut(node);
        data.person = Some(Arc::new(OverlayPerson::new(person)));
        data.company = company;
        data.title = title;
        data.rank = rank;
    }

    /// A rank for a person with this tie-break key: between the base people around it, and
    /// between the people writes added there (renumbered when no room is left).
    fn new_rank(&mut self, node: u32, key: &(bool, Option<String>, i64)) -> u64 {
        let borrowed = (key.0, key.1.as_deref(), key.2);
        let position = self
            .base
            .order
            .partition_point(|&other| self.base.tie_break_key(other) < borrowed)
            as u64;
        let (low, high) = (position << 32, (position << 32) | 0x8000_0000);
        let members: Vec<(u64, u32)> = self
            .delta
            .ranks
            .range(low..high)
            .map(|(&rank, &node)| (rank, node))
            .collect();
        let at = members.partition_point(|&(_, other)| {
            self.person(other)
                .is_some_and(|person| person.tie_break_key() < borrowed)
        });
        let below = if at == 0 { low } else { members[at - 1].0 + 1 };
        let above = if at == members.len() {
            high
        } else {
            members[at].0
        };
        if below < above {
            let rank = below + (above - below) / 2;
            self.delta.ranks.insert(rank, node);
            return rank;
        }
        // No room between the neighbours: spread the bucket evenly again.
        let mut nodes: Vec<u32> = members.iter().map(|&(_, node)| node).collect();
        nodes.insert(at, node);
        let step = 0x8000_0000 / (nodes.len() as u64 + 1);
        for &(rank, _) in &members {
            self.delta.ranks.remove(&rank);
        }
        let mut mine = low;
        for (index, &member) in nodes.iter().enumerate() {
            let rank = low + step * (index as u64 + 1);
            self.delta.ranks.insert(rank, member);
            if member == node {
                mine = rank;
            } else {
                self.data_mut(member).rank = rank;
            }
        }
        mine
    }

    /// Moves every tie of `from` to `to` (a person moving to another field group): the
    /// same ties, so no strength changes.
    fn carry_ties(&mut self, from: u32, to: u32) {
        let list = self.list(from).to_vec();
        for entry in &list {
            let neighbour = entry.node;
            let state = self.tie(from, neighbour);
            self.delta
                .ties
                .insert((from.min(neighbour), from.max(neighbour)), None);
            self.delta
                .ties
                .insert((to.min(neighbour), to.max(neighbour)), state);
            let theirs = self.list_mut(neighbour);
            if let Ok(at) = theirs.binary_search_by_key(&from, |e| e.node) {
                let moved = theirs.remove(at);
                let at = theirs.partition_point(|e| e.node < to);
                theirs.insert(
                    at,
                    Entry {
                        node: to,
                        strength: moved.strength,
                    },
                );
            }
        }
        self.lists.insert(to, list);
        self.lists.insert(from, Vec::new());
    }

    /// Leaves a node without a person (its ties are gone or carried over already).
    fn vacate(&mut self, node: u32) {
        let data = self.data_mut(node);
        let rank = data.rank;
        *data = NodeData {
            list: data.list.clone(),
            ..NodeData::vacant()
        };
        if self.delta.ranks.get(&rank) == Some(&node) {
            self.delta.ranks.remove(&rank);
        }
        self.lists.insert(node, Vec::new());
    }

    fn set_tie(&mut self, a: u32, b: u32, state: Option<PackedTie>) {
        match (self.tie(a, b), state) {
            (None, None) => {}
            (Some((old, mutual)), Some(tie)) => {
                if old == tie {
                    return;
                }
                let mutual = if tie.is_explicit() {
                    0
                } else if old.is_explicit() {
                    self.common(a, b).len() as u32
                } else {
                    mutual
                };
                self.put_tie(a, b, tie, mutual);
            }
            (None, Some(tie)) => self.add_tie(a, b, tie),
            (Some(_), None) => self.remove_tie(a, b),
        }
    }

    /// The common neighbours of two nodes.
    fn common(&self, a: u32, b: u32) -> Vec<u32> {
        let (mut left, mut right) = (self.list(a), self.list(b));
        if left.len() > right.len() {
            std::mem::swap(&mut left, &mut right);
        }
        // Each of the shorter list's entries looked up in the longer one.
        let mut common = Vec::new();
        let mut from = 0;
        for entry in left {
            from += right[from..].partition_point(|e| e.node < entry.node);
            if right.get(from).is_some_and(|e| e.node == entry.node) {
                common.push(entry.node);
            }
        }
        common
    }

    fn add_tie(&mut self, a: u32, b: u32, tie: PackedTie) {
        for (from, to) in [(a, b), (b, a)] {
            let list = self.list_mut(from);
            let at = list.partition_point(|e| e.node < to);
            list.insert(
                at,
                Entry {
                    node: to,
                    strength: 0.0,
                },
            );
        }
        let common = self.common(a, b);
        for &other in &common {
            self.bump_mutual(a, other, 1);
            self.bump_mutual(b, other, 1);
        }
        let mutual = if tie.is_explicit() {
            0
        } else {
            common.len() as u32
        };
        self.put_tie(a, b, tie, mutual);
        self.delta.tie_change += 1;
    }

    fn remove_tie(&mut self, a: u32, b: u32) {
        let common = self.common(a, b);
        for (from, to) in [(a, b), (b, a)] {
            let list = self.list_mut(from);
            if let Ok(at) = list.binary_search_by_key(&to, |e| e.node) {
                list.remove(at);
            }
        }
        self.delta.ties.insert((a.min(b), a.max(b)), None);
        for &other in &common {
            self.bump_mutual(a, other, -1);
            self.bump_mutual(b, other, -1);
        }
        self.delta.tie_change -= 1;
    }

    /// Another mutual contact (or one fewer) for the tie between `a` and `b`.
    fn bump_mutual(&mut self, a: u32, b: u32, by: i64) {
        let Some((tie, mutual)) = self.tie(a, b) else {
            return;
        };
        if tie.is_explicit() {
            return;
        }
        let mutual = (i64::from(mutual) + by).max(0) as u32;
        self.put_tie(a, b, tie, mutual);
    }

    /// Sets a tie and its strength in both lists.
    fn put_tie(&mut self, a: u32, b: u32, tie: PackedTie, mutual: u32) {
        self.delta
            .ties
            .insert((a.min(b), a.max(b)), Some((tie, mutual)));
        let strength = tie_strength(&tie.inputs(mutual), &self.base.settings).value as f32;
        for (from, to) in [(a, b), (b, a)] {
            let list = self.list_mut(from);
            if let Ok(at) = list.binary_search_by_key(&to, |e| e.node) {
                list[at].strength = strength;
            }
        }
    }

    /// Moves the changed lists into the delta.
    fn finish(&mut self) {
        let lists: Vec<(u32, Vec<Entry>)> = self.lists.drain().collect();
        for (node, list) in lists {
            let data = self.data_mut(node);
            let before = data.list.len();
            data.list = Arc::from(list);
            let after = data.list.len();
            self.delta.list_entries = self.delta.list_entries + after - before;
        }
    }
}
