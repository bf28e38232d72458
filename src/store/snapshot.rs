//! Reading a workspace out of the store as the input of a graph snapshot: people with their
//! emails and fields, and one tie per pair of people, merged over every listing of the pair.
//!
//! A million-person workspace has tens of millions of listings, so they are read into
//! one compact vector, sorted by pair in parallel and merged in place; nothing is kept per
//! listing beyond its 32 bytes.

use std::collections::HashMap;

use rayon::prelude::*;

use rusqlite::params;

use super::{Store, StoreError, WorkspaceId};
use crate::graph::{ListingSource, PersonNode, SnapshotInput, StoredListing, TieInput};
use crate::relationship::Relationship;
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

/// One piece of the listings to read: an import's listings whose owner id is in a range.
#[derive(Debug, Clone, Copy)]
struct Piece {
    import: i64,
    source: ListingSource,
    owners: (i64, i64),
}

/// A listing read from `relationship, last_contacted, connected_on, interactions, strength`
/// at column `first` on.
pub(crate) fn stored_listing(
    row: &rusqlite::Row<'_>,
    first: usize,
    source: ListingSource,
) -> rusqlite::Result<StoredListing> {
    Ok(StoredListing {
        relationship: row
            .get_ref(first)?
            .as_str_or_null()
            .ok()
            .flatten()
            .and_then(Relationship::parse),
        last_contacted: row.get(first + 1)?,
        connected_on: row.get(first + 2)?,
        interactions: row
            .get::<_, Option<i64>>(first + 3)?
            .and_then(|count| u32::try_from(count).ok()),
        strength: row.get(first + 4)?,
        source,
    })
}

/// The listings of these pieces, through `connection`.
fn read_pieces(
    connection: &rusqlite::Connection,
    pieces: &[Piece],
    index_of: &IndexOf,
) -> Result<Vec<TieInput>, StoreError> {
    let mut ties = Vec::new();
    let mut statement = connection.prepare_cached(
        "SELECT owner_id, contact_id, relationship, last_contacted, connected_on, interactions, strength
         FROM listings WHERE import_id = ?1 AND owner_id BETWEEN ?2 AND ?3",
    )?;
    for piece in pieces {
        let mut rows = statement.query(params![piece.import, piece.owners.0, piece.owners.1])?;
        while let Some(row) = rows.next()? {
            let (Some(owner), Some(contact)) =
                (index_of.get(row.get(0)?), index_of.get(row.get(1)?))
            else {
                continue;
            };
            if owner == contact {
                continue;
            }
            ties.push(TieInput::listing_stored(
                owner,
                contact,
                &stored_listing(row, 2, piece.source)?,
            ));
        }
    }
    Ok(ties)
}

impl Store {
    /// Every listing of the workspace as a tie of one side, read on every core: each
    /// import's owner range is cut into pieces, and each worker reads its share of the
    /// pieces through a read-only connection of its own (WAL lets readers run side by
    /// side). A database without a file is read on this connection.
    fn read_listings(
        &self,
        workspace: WorkspaceId,
        index_of: &IndexOf,
    ) -> Result<Vec<TieInput>, StoreError> {
        let workers = rayon::current_num_threads().max(1);
        let mut pieces: Vec<Piece> = Vec::new();
        let mut statement = self.connection.prepare(
            // min() and max() of a key prefix are one index probe each.
            "SELECT i.id, i.format = 'manual',
                    (SELECT min(owner_id) FROM listings WHERE import_id = i.id),
                    (SELECT max(owner_id) FROM listings WHERE import_id = i.id)
             FROM imports i WHERE i.workspace_id = ?1",
        )?;
        let mut rows = statement.query([workspace.0])?;
        while let Some(row) = rows.next()? {
            let (import, declared): (i64, bool) = (row.get(0)?, row.get(1)?);
            let source = if declared {
                ListingSource::Declared
            } else {
                ListingSource::List
            };
            let (Some(low), Some(high)) =
                (row.get::<_, Option<i64>>(2)?, row.get::<_, Option<i64>>(3)?)
            else {
                continue;
            };
            let parts = if high - low > 10_000 {
                workers as i64 * 4
            } else {
                1
            };
            let step = ((high - low) / parts).max(1);
            let mut start = low;
            while start <= high {
                let end = if start + step > high {
                    high
                } else {
                    start + step - 1
                };
                pieces.push(Piece {
                    import,
                    source,
                    owners: (start, end),
                });
                start = end + 1;
            }
        }
        let path = self
            .connection
            .path()
            .filter(|path| !path.is_empty())
            .map(str::to_string);
        let Some(path) = path.filter(|_| workers > 1 && pieces.len() > 1) else {
            return read_pieces(&self.connection, &pieces, index_of);
        };
        // Worker `w` takes pieces w, w + workers, ...: big imports spread evenly.
        let parts: Vec<Result<Vec<TieInput>, StoreError>> = (0..workers)
            .into_par_iter()
            .map(|worker| {
                let share: Vec<Piece> = pieces
                    .iter()
                    .skip(worker)
                    .step_by(workers)
                    .copied()
                    .collect();
                let connection = rusqlite::Connection::open_with_flags(
                    &path,
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                        | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                connection.busy_timeout(std::time::Duration::from_secs(10))?;
                read_pieces(&connection, &share, index_of)
            })
            .collect();
        let mut ties = Vec::new();
        for part in parts {
            let mut part = part?;
            if ties.is_empty() {
                ties = part;
            } else {
                ties.append(&mut part);
            }
        }
        Ok(ties)
    }

    /// Everything a snapshot of this workspace needs, and the change-log row it includes
    /// at least: writes logged after it may be in the input or not, and are caught up
    /// from the log (reading them back is idempotent).
    ///
    /// # Errors
    /// Fails on a database error.
    pub fn snapshot_input_with_seq(
        &self,
        workspace: WorkspaceId,
    ) -> Result<(SnapshotInput, i64), StoreError> {
        let seq = self.change_seq()?;
        Ok((self.snapshot_input(workspace)?, seq))
    }

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
        // The pieces are read by several statements and connections: when another
        // connection committed meanwhile, they may not agree, so read again.
        let version = |store: &Store| -> Result<i64, StoreError> {
            Ok(store
                .connection
                .query_row("PRAGMA data_version", [], |row| row.get(0))?)
        };
        let mut attempts = 0;
        loop {
            let before = version(self)?;
            let input = self.read_snapshot_input(workspace)?;
            attempts += 1;
            if version(self)? == before || attempts == 3 {
                return Ok(input);
            }
        }
    }

    fn read_snapshot_input(&self, workspace: WorkspaceId) -> Result<SnapshotInput, StoreError> {
        let taxonomy = Taxonomy::embedded();
        let me = self.me(workspace)?;
        let mut people: Vec<PersonNode> = Vec::new();
        let mut statement = self.connection.prepare(
            "SELECT id, name, company, title, fields FROM people WHERE workspace_id = ?1 ORDER BY id",
        )?;
        let mut rows = statement.query([workspace.0])?;
        while let Some(row) = rows.next()? {
            let fields = super::stored_fields(row.get_ref(4)?);
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
        tracing::debug!(people = people.len(), "snapshot input: people read");
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

        tracing::debug!("snapshot input: emails read");
        let mut ties = self.read_listings(workspace, &index_of)?;
        tracing::debug!(listings = ties.len(), "snapshot input: listings read");
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
        tracing::debug!(ties = ties.len(), "snapshot input: listings merged");
        Ok(SnapshotInput {
            people,
            ties,
            me: index_of.get(me.0).map(|index| index as usize),
        })
    }
}
