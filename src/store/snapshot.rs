//! Reading a workspace out of the store as the input of a graph snapshot: people with their
//! emails and fields, and one tie per pair of people, merged over every listing of the pair.
//!
//! A million-person workspace has tens of millions of listings, so they are read into
//! one compact vector, sorted by pair in parallel and merged in place; nothing is kept per
//! listing beyond its 32 bytes.

use std::collections::HashMap;

use rayon::prelude::*;

use super::{Store, StoreError, WorkspaceId, days_to_date};
use crate::graph::{PersonNode, SnapshotInput, TieInput};
use crate::relationship::Relationship;
use crate::strength::StrengthInputs;
use crate::taxonomy::Taxonomy;

/// Store ids to people indices: a table when ids are dense (they are, as the store hands
/// them out), a map otherwise.
enum IndexOf {
    Dense { first: i64, index: Vec<u32> },
    Sparse(HashMap<i64, u32>),
}

impl IndexOf {
    fn new(ids: &[i64]) -> IndexOf {
        let (Some(&first), Some(&last)) = (ids.first(), ids.last()) else {
            return IndexOf::Sparse(HashMap::new());
        };
        let span = (last - first) as u64 + 1;
        if span <= (ids.len() as u64).saturating_mul(4) + 1024 {
            let mut index = vec![u32::MAX; span as usize];
            for (position, &id) in ids.iter().enumerate() {
                index[(id - first) as usize] = position as u32;
            }
            IndexOf::Dense { first, index }
        } else {
            IndexOf::Sparse(
                ids.iter()
                    .enumerate()
                    .map(|(position, &id)| (id, position as u32))
                    .collect(),
            )
        }
    }

    fn get(&self, id: i64) -> Option<u32> {
        match self {
            IndexOf::Dense { first, index } => id
                .checked_sub(*first)
                .and_then(|offset| usize::try_from(offset).ok())
                .and_then(|offset| index.get(offset))
                .copied()
                .filter(|&position| position != u32::MAX),
            IndexOf::Sparse(map) => map.get(&id).copied(),
        }
    }
}

impl Store {
    /// Everything a snapshot of this workspace needs.
    ///
    /// A pair listed several times becomes one tie (see [`TieInput::absorb`]): the
    /// relationship with the highest prior, the latest contact and connection dates, the
    /// most interactions, the largest explicit strength, and `reciprocal` when both sides
    /// list each other.
    ///
    /// # Errors
    /// Fails on a database error.
    pub fn snapshot_input(&self, workspace: WorkspaceId) -> Result<SnapshotInput, StoreError> {
        let taxonomy = Taxonomy::embedded();
        let me = self.me(workspace)?;
        let mut people: Vec<PersonNode> = Vec::new();
        let mut statement = self.connection.prepare(
            "SELECT id, name, company, title, fields FROM people WHERE workspace_id = ?1 ORDER BY id",
        )?;
        let mut rows = statement.query([workspace.0])?;
        while let Some(row) = rows.next()? {
            let fields: Vec<String> = row
                .get_ref(4)?
                .as_str()
                .ok()
                .and_then(|json| serde_json::from_str(json).ok())
                .unwrap_or_default();
            let field_mask = fields
                .iter()
                .filter_map(|field| taxonomy.field(field))
                .fold(0, |mask, idx| mask | taxonomy.bit(idx));
            people.push(PersonNode {
                id: row.get(0)?,
                name: row.get(1)?,
                emails: Vec::new(),
                company: row.get(2)?,
                title: row.get(3)?,
                fields,
                field_mask,
            });
        }
        let ids: Vec<i64> = people.iter().map(|person| person.id).collect();
        let index_of = IndexOf::new(&ids);
        drop(ids);
        let mut statement = self
            .connection
            .prepare("SELECT person_id, email FROM person_emails WHERE workspace_id = ?1")?;
        let mut rows = statement.query([workspace.0])?;
        while let Some(row) = rows.next()? {
            if let Some(index) = index_of.get(row.get(0)?) {
                people[index as usize].emails.push(row.get(1)?);
            }
        }
        people
            .par_iter_mut()
            .for_each(|person| person.emails.sort());

        let mut ties: Vec<TieInput> = Vec::new();
        let mut statement = self.connection.prepare(
            "SELECT l.owner_id, l.contact_id, l.relationship, l.last_contacted, l.connected_on, l.interactions, l.strength, i.format = 'manual'
             FROM listings l JOIN imports i ON i.id = l.import_id WHERE i.workspace_id = ?1",
        )?;
        let mut rows = statement.query([workspace.0])?;
        while let Some(row) = rows.next()? {
            let (Some(owner), Some(contact)) =
                (index_of.get(row.get(0)?), index_of.get(row.get(1)?))
            else {
                continue;
            };
            if owner == contact {
                continue;
            }
            let relationship = row
                .get_ref(2)?
                .as_str_or_null()
                .ok()
                .flatten()
                .and_then(Relationship::parse);
            let inputs = StrengthInputs {
                relationship,
                last_contacted: row.get::<_, Option<i64>>(3)?.and_then(days_to_date),
                connected_on: row.get::<_, Option<i64>>(4)?.and_then(days_to_date),
                interactions: row
                    .get::<_, Option<i64>>(5)?
                    .and_then(|count| u32::try_from(count).ok()),
                explicit: row.get(6)?,
                declared: row.get::<_, Option<bool>>(7)?.unwrap_or(false),
                ..StrengthInputs::default()
            };
            ties.push(TieInput::listing(owner, contact, &inputs));
        }
        ties.par_sort_unstable_by_key(|tie| (tie.a, tie.b));
        // Merge each pair's listings into its first, in place.
        let mut kept = 0usize;
        for at in 0..ties.len() {
            if kept > 0 && (ties[kept - 1].a, ties[kept - 1].b) == (ties[at].a, ties[at].b) {
                let other = ties[at];
                ties[kept - 1].absorb(&other);
            } else {
                ties[kept] = ties[at];
                kept += 1;
            }
        }
        ties.truncate(kept);
        ties.par_iter_mut().for_each(TieInput::finish);
        Ok(SnapshotInput {
            people,
            ties,
            me: index_of.get(me.0).map(|index| index as usize),
        })
    }
}
