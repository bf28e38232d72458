//! The base of a snapshot: the whole network laid out once, from a [`SnapshotInput`], and
//! never changed afterwards (writes go to a [`super::delta::Delta`] over it).
//!
//! Every array is plain data, so a base is written to a file and read back as it is
//! (`persist`).

use std::collections::HashMap;

use bytemuck::{Pod, Zeroable};
use rayon::prelude::*;

use super::tie::TieInput;
use super::{
    Entry, FieldGroup, FieldMask, Interned, PersonNode, SnapshotInput, lower_bound, prefix,
};
use crate::strength::{StrengthInputs, StrengthSettings, tie_strength};
use crate::taxonomy::{FieldIdx, Taxonomy};

pub(crate) const HAS_COMPANY: u32 = 1;
pub(crate) const HAS_TITLE: u32 = 2;
/// A node kept free for a person a later write adds to its field group.
pub(crate) const VACANT: u32 = 4;

/// A person of the base: where their texts sit in the text arena (the name, the company,
/// the title, then every email ended by a NUL), so that showing a person costs two cache
/// misses rather than one per string.
#[derive(Debug, Clone, Copy, PartialEq, Pod, Zeroable)]
#[repr(C)]
pub(crate) struct PersonMeta {
    pub(crate) field_mask: FieldMask,
    pub(crate) id: i64,
    pub(crate) text: u64,
    pub(crate) name_len: u32,
    pub(crate) company_len: u32,
    pub(crate) title_len: u32,
    pub(crate) emails_len: u32,
    /// Index into the base's field lists.
    pub(crate) fields: u32,
    pub(crate) flags: u32,
    pub(crate) pad: u64,
}

impl PersonMeta {
    /// The person these lengths describe in `text` (their texts alone, from the name on).
    pub(crate) fn view<'a>(&self, text: &'a str, fields: &'a [String]) -> super::Person<'a> {
        let (name, rest) = text.split_at(self.name_len as usize);
        let (company, rest) = rest.split_at(self.company_len as usize);
        let (title, emails) = rest.split_at(self.title_len as usize);
        super::Person {
            id: self.id,
            name,
            company: (self.flags & HAS_COMPANY != 0).then_some(company),
            title: (self.flags & HAS_TITLE != 0).then_some(title),
            emails,
            fields,
            field_mask: self.field_mask,
        }
    }

    pub(crate) const VACANT: PersonMeta = PersonMeta {
        field_mask: 0,
        id: 0,
        text: 0,
        name_len: 0,
        company_len: 0,
        title_len: 0,
        emails_len: 0,
        fields: 0,
        flags: VACANT,
        pad: 0,
    };
}

/// A store id and its node, sorted by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Pod, Zeroable)]
#[repr(C)]
pub(crate) struct PersonAt {
    pub(crate) id: i64,
    pub(crate) node: u32,
    pub(crate) pad: u32,
}

/// An email's hash and its node, sorted by hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Pod, Zeroable)]
#[repr(C)]
pub(crate) struct EmailAt {
    pub(crate) hash: u64,
    pub(crate) node: u32,
    pub(crate) pad: u32,
}

/// A stable 64-bit hash of an email (FNV-1a): the base's email index is written to files, so
/// the hash must not change between runs or builds.
pub(crate) fn email_hash(email: &str) -> u64 {
    email.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Vacant nodes kept after a field group of `members` people, for people writes add.
pub(crate) fn slack(members: usize) -> usize {
    members / 8 + 4
}

/// The immutable layout of one network.
pub(crate) struct Base {
    pub(crate) people: Vec<PersonMeta>,
    pub(crate) text: String,
    /// The distinct field lists of people, shared.
    pub(crate) field_lists: Vec<Vec<String>>,
    /// Tie-break order: each node's position when people are sorted by smallest email
    /// (people without an email after those with one), then by id; `u32::MAX` when vacant.
    pub(crate) rank: Vec<u32>,
    /// The nodes of the people in that order.
    pub(crate) order: Vec<u32>,
    /// The compressed sparse rows: node `n`'s neighbours are
    /// `entries[offsets[n]..offsets[n + 1]]`, sorted by neighbour.
    pub(crate) offsets: Vec<u64>,
    pub(crate) entries: Vec<Entry>,
    /// Per node, how many upward entries (`a < b`) the nodes before it hold.
    pub(crate) upward_before: Vec<u64>,
    /// One per undirected tie, in the order of the upward entries.
    pub(crate) ties: Vec<TieInput>,
    /// Mutual contacts per tie, in the same order; empty when every strength is explicit
    /// (then none were counted).
    pub(crate) mutual: Vec<u32>,
    pub(crate) groups: Vec<FieldGroup>,
    pub(crate) companies: Interned,
    pub(crate) titles: Interned,
    pub(crate) by_person: Vec<PersonAt>,
    pub(crate) by_email: Vec<EmailAt>,
    pub(crate) me: Option<u32>,
    pub(crate) settings: StrengthSettings,
}

impl Base {
    /// Lays out a network: numbers the nodes, lays out the adjacency, counts mutual
    /// contacts and evaluates every tie's strength.
    pub(crate) fn build(input: SnapshotInput, settings: &StrengthSettings) -> Base {
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

        // The node order: each field group's people, then its vacant nodes; people
        // without a field last.
        let mut slots: Vec<u32> = Vec::with_capacity(count + count / 8);
        let mut groups: Vec<FieldGroup> = Vec::new();
        let mut at = 0;
        while at < keyed.len() {
            let key = keyed[at].0;
            let start = slots.len() as u32;
            let members = keyed[at..].partition_point(|entry| entry.0 == key);
            slots.extend(keyed[at..at + members].iter().map(|entry| entry.2));
            at += members;
            if key.1 != 0 {
                let filled = slots.len() as u32;
                slots.extend(std::iter::repeat_n(u32::MAX, slack(members)));
                groups.push(FieldGroup::new(key.1, start, slots.len() as u32, filled));
            }
        }
        drop(keyed);
        let nodes = slots.len();
        let mut new_of_old = vec![0u32; count];
        for (new, &old) in slots.iter().enumerate() {
            if old != u32::MAX {
                new_of_old[old as usize] = new as u32;
            }
        }
        let rank: Vec<u32> = slots
            .iter()
            .map(|&old| {
                if old == u32::MAX {
                    u32::MAX
                } else {
                    rank_of_old[old as usize]
                }
            })
            .collect();
        let mut order = vec![0u32; count];
        for (node, &position) in rank.iter().enumerate() {
            if position != u32::MAX {
                order[position as usize] = node as u32;
            }
        }
        drop(rank_of_old);
        let mut taken: Vec<Option<PersonNode>> = people.into_iter().map(Some).collect();
        let people: Vec<Option<PersonNode>> = slots
            .iter()
            .map(|&old| {
                if old == u32::MAX {
                    None
                } else {
                    taken[old as usize].take()
                }
            })
            .collect();
        drop(taken);
        drop(slots);

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
        let (offsets, entries, mutual) = adjacency(nodes, &ties, settings);

        let mut upward_before = Vec::with_capacity(nodes + 1);
        let mut upward = 0u64;
        for node in 0..nodes as u32 {
            upward_before.push(upward);
            let list =
                &entries[offsets[node as usize] as usize..offsets[node as usize + 1] as usize];
            upward += (list.len() - list.partition_point(|entry| entry.node <= node)) as u64;
        }
        upward_before.push(upward);

        let companies = Interned::build(
            people
                .iter()
                .map(|p| p.as_ref().and_then(|p| p.company.as_deref())),
        );
        let titles = Interned::build(
            people
                .iter()
                .map(|p| p.as_ref().and_then(|p| p.title.as_deref())),
        );
        let mut by_person: Vec<PersonAt> = people
            .iter()
            .enumerate()
            .filter_map(|(node, person)| {
                person.as_ref().map(|person| PersonAt {
                    id: person.id,
                    node: node as u32,
                    pad: 0,
                })
            })
            .collect();
        by_person.par_sort_unstable();
        let mut by_email: Vec<EmailAt> = people
            .par_iter()
            .enumerate()
            .flat_map_iter(|(node, person)| {
                person.iter().flat_map(move |person| {
                    person.emails.iter().map(move |email| EmailAt {
                        hash: email_hash(email),
                        node: node as u32,
                        pad: 0,
                    })
                })
            })
            .collect();
        by_email.par_sort_unstable();

        let (people, text, field_lists) = store_people(people);
        Base {
            people,
            text,
            field_lists,
            rank,
            order,
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
            me: me.filter(|&me| me < count).map(|me| new_of_old[me]),
            settings: *settings,
        }
    }

    pub(crate) fn node_count(&self) -> usize {
        self.people.len()
    }

    /// The neighbour list of `node` in the base.
    #[inline]
    pub(crate) fn adjacency_of(&self, node: u32) -> &[Entry] {
        let node = node as usize;
        &self.entries[self.offsets[node] as usize..self.offsets[node + 1] as usize]
    }

    /// The base's tie between two of its nodes, with its mutual contacts.
    pub(crate) fn tie(&self, a: u32, b: u32) -> Option<(super::PackedTie, u32)> {
        let (low, high) = (a.min(b), a.max(b));
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
        Some((tie.tie, self.mutual.get(index).copied().unwrap_or(0)))
    }

    /// The node of the person with this store id.
    pub(crate) fn node_of_person(&self, id: i64) -> Option<u32> {
        let at = self.by_person.partition_point(|entry| entry.id < id);
        self.by_person
            .get(at)
            .filter(|entry| entry.id == id)
            .map(|entry| entry.node)
    }

    /// The nodes whose emails hash as this one does (almost always one or none).
    pub(crate) fn nodes_by_email_hash(&self, hash: u64) -> impl Iterator<Item = u32> + '_ {
        let at = self.by_email.partition_point(|entry| entry.hash < hash);
        self.by_email[at..]
            .iter()
            .take_while(move |entry| entry.hash == hash)
            .map(|entry| entry.node)
    }

    /// The texts of a base person: name, company, title, NUL-ended emails.
    pub(crate) fn texts(&self, node: u32) -> (&PersonMeta, &str, &str, &str, &str) {
        let meta = &self.people[node as usize];
        let start = meta.text as usize;
        let text = &self.text[start
            ..start
                + (meta.name_len + meta.company_len + meta.title_len + meta.emails_len) as usize];
        let (name, rest) = text.split_at(meta.name_len as usize);
        let (company, rest) = rest.split_at(meta.company_len as usize);
        let (title, emails) = rest.split_at(meta.title_len as usize);
        (meta, name, company, title, emails)
    }

    /// The person at a base node, `None` when it is vacant.
    pub(crate) fn person(&self, node: u32) -> Option<super::Person<'_>> {
        let meta = &self.people[node as usize];
        if meta.flags & VACANT != 0 {
            return None;
        }
        let start = meta.text as usize;
        let len = (meta.name_len + meta.company_len + meta.title_len + meta.emails_len) as usize;
        let fields = self
            .field_lists
            .get(meta.fields as usize)
            .map_or(&[][..], Vec::as_slice);
        Some(meta.view(&self.text[start..start + len], fields))
    }

    /// The tie-break key of a base person (as the base was built).
    pub(crate) fn tie_break_key(&self, node: u32) -> (bool, Option<&str>, i64) {
        let (meta, _, _, _, emails) = self.texts(node);
        let email = emails.split_terminator('\0').next();
        (email.is_none(), email, meta.id)
    }
}

/// The adjacency of `nodes` nodes holding `ties` (upward, sorted, one per pair): offsets,
/// entries with `f32` strengths, and mutual contacts per tie.
fn adjacency(
    nodes: usize,
    ties: &[TieInput],
    settings: &StrengthSettings,
) -> (Vec<u64>, Vec<Entry>, Vec<u32>) {
    // The structure first, each entry holding its tie's index: mutual contacts need it
    // before strengths exist.
    let mut degree = vec![0u32; nodes];
    for tie in ties {
        degree[tie.a as usize] += 1;
        degree[tie.b as usize] += 1;
    }
    let mut offsets = Vec::with_capacity(nodes + 1);
    let mut total = 0u64;
    offsets.push(0u64);
    for &d in &degree {
        total += u64::from(d);
        offsets.push(total);
    }
    drop(degree);
    let mut fill: Vec<u64> = offsets[..nodes].to_vec();
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
        let mut lists = Vec::with_capacity(nodes);
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
            let inputs: StrengthInputs = tie.tie.inputs(mutual.get(index).copied().unwrap_or(0));
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
    (offsets, entries, mutual)
}

/// Packs people (in node order, `None` for vacant nodes) into one text arena, freeing each
/// input as it goes.
fn store_people(people: Vec<Option<PersonNode>>) -> (Vec<PersonMeta>, String, Vec<Vec<String>>) {
    let mut list_ids: HashMap<Vec<String>, u32> = HashMap::new();
    let mut field_lists: Vec<Vec<String>> = Vec::new();
    let size: usize = people
        .iter()
        .flatten()
        .map(|person| {
            person.name.len()
                + person.company.as_ref().map_or(0, String::len)
                + person.title.as_ref().map_or(0, String::len)
                + person
                    .emails
                    .iter()
                    .map(|email| email.len() + 1)
                    .sum::<usize>()
        })
        .sum();
    let mut text = String::with_capacity(size);
    let metas = people
        .into_iter()
        .map(|person| {
            let Some(person) = person else {
                return PersonMeta::VACANT;
            };
            let fields = match list_ids.get(&person.fields) {
                Some(&id) => id,
                None => {
                    let id = field_lists.len() as u32;
                    field_lists.push(person.fields.clone());
                    list_ids.insert(person.fields, id);
                    id
                }
            };
            let (meta, texts) = pack_person(
                person.id,
                &person.name,
                person.company.as_deref(),
                person.title.as_deref(),
                &person.emails,
                person.field_mask,
                fields,
                text.len() as u64,
            );
            text.push_str(&texts);
            meta
        })
        .collect();
    (metas, text, field_lists)
}

/// A person's texts in one string (name, company, title, NUL-ended emails) and where they
/// sit, with the string starting at `at`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn pack_person(
    id: i64,
    name: &str,
    company: Option<&str>,
    title: Option<&str>,
    emails: &[String],
    field_mask: FieldMask,
    fields: u32,
    at: u64,
) -> (PersonMeta, String) {
    let flags = if company.is_some() { HAS_COMPANY } else { 0 }
        | if title.is_some() { HAS_TITLE } else { 0 };
    let (company, title) = (company.unwrap_or_default(), title.unwrap_or_default());
    let mut text = String::with_capacity(name.len() + company.len() + title.len() + 32);
    text.push_str(name);
    text.push_str(company);
    text.push_str(title);
    // An email holds no NUL (it would not be an email); one that did is left out rather
    // than split.
    for email in emails.iter().filter(|email| !email.contains('\0')) {
        text.push_str(email);
        text.push('\0');
    }
    let meta = PersonMeta {
        field_mask,
        id,
        text: at,
        name_len: name.len() as u32,
        company_len: company.len() as u32,
        title_len: title.len() as u32,
        emails_len: (text.len() - name.len() - company.len() - title.len()) as u32,
        fields,
        flags,
        pad: 0,
    };
    (meta, text)
}

/// Smallest email first, people without email after, then the store id.
pub(crate) fn tie_break_key(person: &PersonNode) -> (bool, Option<&str>, i64) {
    let email = person.emails.first().map(String::as_str);
    (email.is_none(), email, person.id)
}

/// The size of the intersection of two neighbour lists sorted by neighbour: a merge when
/// they are of similar length, else each entry of the shorter one found in the longer by
/// galloping (a person listing 300,000 contacts has 300,000 ties to count, each against
/// that list: a merge would make that quadratic).
fn common_count(a: &[(u32, u32)], b: &[(u32, u32)]) -> u32 {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return 0;
    }
    if long.len() / short.len() < 16 {
        let (mut i, mut j, mut count) = (0, 0, 0);
        while i < short.len() && j < long.len() {
            match short[i].0.cmp(&long[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    count += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        return count;
    }
    let mut count = 0;
    let mut from = 0;
    for &(node, _) in short {
        // Gallop from the last place, then search the bracket.
        let mut step = 1;
        let mut high = from;
        while high < long.len() && long[high].0 < node {
            from = high + 1;
            high += step;
            step *= 2;
        }
        let high = high.min(long.len());
        from += long[from..high].partition_point(|entry| entry.0 < node);
        if long.get(from).is_some_and(|entry| entry.0 == node) {
            count += 1;
            from += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::common_count;

    #[test]
    fn common_count_agrees_with_a_set_intersection_for_lists_of_any_lengths() {
        let list = |nodes: &[u32]| nodes.iter().map(|&n| (n, 0)).collect::<Vec<_>>();
        let long: Vec<u32> = (0..1000).map(|n| n * 3).collect();
        for short in [
            vec![],
            vec![0],
            vec![1],
            vec![2997],
            vec![2998],
            vec![3, 4, 6, 300, 301, 2997],
            (0..40).map(|n| n * 75).collect(),
        ] {
            let expected = short.iter().filter(|n| long.contains(n)).count() as u32;
            assert_eq!(
                common_count(&list(&short), &list(&long)),
                expected,
                "{short:?}"
            );
            assert_eq!(
                common_count(&list(&long), &list(&short)),
                expected,
                "{short:?}"
            );
        }
        let half: Vec<u32> = (0..700).map(|n| n * 2).collect();
        let expected = half.iter().filter(|n| long.contains(n)).count() as u32;
        assert_eq!(common_count(&list(&half), &list(&long)), expected);
    }
}
