//! Reading a workspace out of the store as the input of a graph snapshot: people with their
//! emails and fields, and one tie per pair of people, merged over every listing of the pair.

use std::collections::HashMap;

use super::{Store, StoreError, WorkspaceId, days_to_date};
use crate::graph::{PersonNode, SnapshotInput, TieInput};
use crate::relationship::Relationship;
use crate::strength::{StrengthInputs, prior};
use crate::taxonomy::Taxonomy;

/// The listings of one unordered pair, merged into a tie.
#[derive(Debug, Clone, Copy, Default)]
struct PairListings {
    inputs: StrengthInputs,
    /// Bit 0: the smaller index lists the larger; bit 1: the other way round.
    directions: u8,
}

impl Store {
    /// Everything a snapshot of this workspace needs.
    ///
    /// A pair listed several times becomes one tie: the relationship with the highest
    /// prior, the latest contact and connection dates, the most interactions, the largest
    /// explicit strength, and `reciprocal` when both sides list each other.
    ///
    /// # Errors
    /// Fails on a database error.
    pub fn snapshot_input(&self, workspace: WorkspaceId) -> Result<SnapshotInput, StoreError> {
        let taxonomy = Taxonomy::embedded();
        let me = self.me(workspace)?;
        let mut index_of: HashMap<i64, usize> = HashMap::new();
        let mut people: Vec<PersonNode> = Vec::new();
        let mut statement = self
            .connection
            .prepare("SELECT id, name, company, title, fields FROM people WHERE workspace_id = ?1 ORDER BY id")?;
        let mut rows = statement.query([workspace.0])?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let fields: Vec<String> =
                serde_json::from_str(&row.get::<_, String>(4)?).unwrap_or_default();
            let field_mask = fields
                .iter()
                .filter_map(|field| taxonomy.field(field))
                .fold(0, |mask, idx| mask | taxonomy.bit(idx));
            index_of.insert(id, people.len());
            people.push(PersonNode {
                id,
                name: row.get(1)?,
                emails: Vec::new(),
                company: row.get(2)?,
                title: row.get(3)?,
                fields,
                field_mask,
            });
        }
        let mut statement = self
            .connection
            .prepare("SELECT person_id, email FROM person_emails WHERE workspace_id = ?1")?;
        let mut rows = statement.query([workspace.0])?;
        while let Some(row) = rows.next()? {
            if let Some(&index) = index_of.get(&row.get::<_, i64>(0)?) {
                people[index].emails.push(row.get(1)?);
            }
        }
        for person in &mut people {
            person.emails.sort();
        }
        let mut pairs: HashMap<(usize, usize), PairListings> = HashMap::new();
        let mut statement = self.connection.prepare(
            "SELECT l.owner_id, l.contact_id, l.relationship, l.last_contacted, l.connected_on, l.interactions, l.strength
             FROM listings l JOIN imports i ON i.id = l.import_id WHERE i.workspace_id = ?1",
        )?;
        let mut rows = statement.query([workspace.0])?;
        while let Some(row) = rows.next()? {
            let (Some(&owner), Some(&contact)) = (
                index_of.get(&row.get::<_, i64>(0)?),
                index_of.get(&row.get::<_, i64>(1)?),
            ) else {
                continue;
            };
            if owner == contact {
                continue;
            }
            let key = (owner.min(contact), owner.max(contact));
            let direction = if owner < contact { 1 } else { 2 };
            let relationship = row
                .get::<_, Option<String>>(2)?
                .as_deref()
                .and_then(Relationship::parse);
            let last_contacted = row.get::<_, Option<i64>>(3)?.and_then(days_to_date);
            let connected_on = row.get::<_, Option<i64>>(4)?.and_then(days_to_date);
            let interactions = row
                .get::<_, Option<i64>>(5)?
                .and_then(|count| u32::try_from(count).ok());
            let strength: Option<f64> = row.get(6)?;
            let pair = pairs.entry(key).or_default();
            pair.directions |= direction;
            let inputs = &mut pair.inputs;
            if relationship.is_some()
                && (inputs.relationship.is_none()
                    || prior(relationship) > prior(inputs.relationship))
            {
                inputs.relationship = relationship;
            }
            inputs.last_contacted = inputs.last_contacted.max(last_contacted);
            inputs.connected_on = inputs.connected_on.max(connected_on);
            inputs.interactions = inputs.interactions.max(interactions);
            inputs.explicit = match (inputs.explicit, strength) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
        }
        let mut ties: Vec<TieInput> = pairs
            .into_iter()
            .map(|((a, b), pair)| TieInput {
                a,
                b,
                inputs: StrengthInputs {
                    reciprocal: pair.directions == 3,
                    ..pair.inputs
                },
            })
            .collect();
        ties.sort_unstable_by_key(|tie| (tie.a, tie.b));
        Ok(SnapshotInput {
            people,
            ties,
            me: index_of.get(&me.0).copied(),
        })
    }
}
