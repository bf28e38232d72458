//! The change log: which people and which pairs of people every committed write touched, so
//! that a live network (in this process or another) can bring itself up to date by reading
//! back only those, instead of the whole workspace.
//!
//! Triggers write the log (migration 3), so every write path is covered by construction:
//! a listing inserted, updated or deleted logs its pair; a person inserted, renamed,
//! re-titled, re-classified or deleted, or an email added or removed, logs the person; a
//! new "me" logs both. A bulk load or a workspace deletion turns the triggers off for its
//! transaction and logs one "rebuild" row for the workspace instead of millions of rows.
//!
//! The log holds store ids only, never names or emails. Old rows are pruned; a reader that
//! fell behind the pruned part rebuilds.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::{Connection, OptionalExtension, params};

use super::{Store, StoreError, WorkspaceId};
use crate::graph::{ListingSource, PersonNode, SnapshotChange, TieInput};
use crate::taxonomy::Taxonomy;

/// The SQL function the triggers ask whether to log.
pub(crate) const LOGGING_FUNCTION: &str = "warmpath_logging";

/// Rows kept when the log is pruned, and how far past that it may grow first.
const KEEP_ROWS: i64 = 2_000_000;
const PRUNE_SLACK: i64 = 500_000;

/// A catch-up touching more than this many rows rebuilds instead: reading back that many
/// people and pairs costs about as much as reading the whole workspace.
pub const MAX_ROWS_TO_APPLY: i64 = 1_000_000;

/// Registers the SQL functions the triggers call: the logging switch, and the identity
/// keys of a person's name and company (`identity::normalize`).
pub(crate) fn register(connection: &Connection, logging: Arc<AtomicBool>) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    connection.create_scalar_function(
        LOGGING_FUNCTION,
        0,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_INNOCUOUS,
        move |_| Ok(logging.load(Ordering::Relaxed)),
    )?;
    let pure = FunctionFlags::SQLITE_UTF8
        | FunctionFlags::SQLITE_DETERMINISTIC
        | FunctionFlags::SQLITE_INNOCUOUS;
    connection.create_scalar_function("warmpath_name_key", 1, pure, |context| {
        let name: Option<String> = context.get(0)?;
        Ok(crate::identity::normalize::name(
            name.as_deref().unwrap_or_default(),
        ))
    })?;
    connection.create_scalar_function("warmpath_company_key", 1, pure, |context| {
        let company: Option<String> = context.get(0)?;
        Ok(company
            .as_deref()
            .map(crate::identity::normalize::company)
            .unwrap_or_default())
    })
}

/// What the log says happened after some point.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// The last row read: the point to continue from.
    pub through: i64,
    /// The workspace must be read whole (a bulk load, a migration, a pruned log, a very
    /// large write).
    pub rebuild: bool,
    /// People touched (store ids), each once.
    pub people: Vec<i64>,
    /// Pairs touched (smaller id first), each once.
    pub pairs: Vec<(i64, i64)>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        !self.rebuild && self.people.is_empty() && self.pairs.is_empty()
    }
}

/// Turns the change-log triggers off while alive (a bulk write that logs one rebuild row
/// instead).
pub(crate) struct Unlogged<'a> {
    logging: &'a AtomicBool,
}

impl Unlogged<'_> {
    pub(crate) fn new(logging: &AtomicBool) -> Unlogged<'_> {
        logging.store(false, Ordering::Relaxed);
        Unlogged { logging }
    }
}

impl Drop for Unlogged<'_> {
    fn drop(&mut self) {
        self.logging.store(true, Ordering::Relaxed);
    }
}

impl Store {
    /// Logs that a workspace must be read whole, inside the caller's transaction.
    pub(crate) fn log_rebuild(
        connection: &Connection,
        workspace: WorkspaceId,
    ) -> Result<(), StoreError> {
        connection.execute(
            "INSERT INTO changes (workspace_id) VALUES (?1)",
            [workspace.0],
        )?;
        Ok(())
    }

    /// SQLite's `data_version`: it changes when another connection commits.
    ///
    /// # Errors
    /// A database error.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .connection
            .query_row("PRAGMA data_version", [], |row| row.get(0))?)
    }

    /// The newest row of the log (0 when it is empty): a network read now includes
    /// everything up to it.
    ///
    /// # Errors
    /// A database error.
    pub fn change_seq(&self) -> Result<i64, StoreError> {
        Ok(self
            .connection
            .query_row("SELECT coalesce(max(seq), 0) FROM changes", [], |row| {
                row.get(0)
            })?)
    }

    /// What changed for `workspace` after row `since`, up to the newest row.
    ///
    /// # Errors
    /// A database error.
    pub fn changes_since(&self, workspace: WorkspaceId, since: i64) -> Result<Changes, StoreError> {
        changes_since(&self.connection, workspace, since)
    }

    /// What changed for `workspace` after row `since` and, unless it must be read whole,
    /// the current state of everything that changed: both read in one transaction, so the
    /// state is exactly that of the log's newest row.
    ///
    /// # Errors
    /// A database error.
    pub fn catch_up(
        &self,
        workspace: WorkspaceId,
        since: i64,
    ) -> Result<(Changes, Option<SnapshotChange>), StoreError> {
        let transaction = self.connection.unchecked_transaction()?;
        let changes = changes_since(&transaction, workspace, since)?;
        let state = if changes.rebuild || changes.is_empty() {
            None
        } else {
            Some(read_state(&transaction, workspace, &changes)?)
        };
        transaction.commit()?;
        Ok((changes, state))
    }

    /// Deletes the oldest rows of the log once it holds more than it keeps.
    pub(crate) fn prune_changes(connection: &Connection) -> Result<(), StoreError> {
        let newest: Option<i64> = connection
            .query_row("SELECT max(seq) FROM changes", [], |row| row.get(0))
            .optional()?
            .flatten();
        let oldest: Option<i64> = connection
            .query_row("SELECT min(seq) FROM changes", [], |row| row.get(0))
            .optional()?
            .flatten();
        if let (Some(oldest), Some(newest)) = (oldest, newest)
            && newest - oldest > KEEP_ROWS + PRUNE_SLACK
        {
            connection.execute("DELETE FROM changes WHERE seq <= ?1", [newest - KEEP_ROWS])?;
        }
        Ok(())
    }
}

/// [`Store::changes_since`] on a connection or inside a transaction.
pub(crate) fn changes_since(
    connection: &Connection,
    workspace: WorkspaceId,
    since: i64,
) -> Result<Changes, StoreError> {
    // Two queries: SQLite finds min() or max() alone in one probe, both together by a scan.
    let oldest: Option<i64> =
        connection.query_row("SELECT min(seq) FROM changes", [], |row| row.get(0))?;
    let newest: Option<i64> =
        connection.query_row("SELECT max(seq) FROM changes", [], |row| row.get(0))?;
    let (Some(oldest), Some(newest)) = (oldest, newest) else {
        return Ok(Changes {
            through: since,
            ..Changes::default()
        });
    };
    if newest <= since {
        return Ok(Changes {
            through: since,
            ..Changes::default()
        });
    }
    // Rows after `since` were pruned, or there are too many to read back one by one.
    if oldest > since + 1 || newest - since > MAX_ROWS_TO_APPLY {
        return Ok(Changes {
            through: newest,
            rebuild: true,
            ..Changes::default()
        });
    }
    let mut statement = connection.prepare_cached(
        "SELECT seq, a, b, workspace_id FROM changes WHERE seq > ?1 AND seq <= ?2 ORDER BY seq",
    )?;
    let mut rows = statement.query(params![since, newest])?;
    let mut people = HashSet::new();
    let mut pairs = HashSet::new();
    let mut rebuild = false;
    while let Some(row) = rows.next()? {
        let (a, b, marked): (Option<i64>, Option<i64>, Option<i64>) =
            (row.get(1)?, row.get(2)?, row.get(3)?);
        match (a, b) {
            (Some(a), Some(b)) if a != b => {
                pairs.insert((a.min(b), a.max(b)));
            }
            (Some(_), Some(_)) => {}
            (Some(person), None) => {
                people.insert(person);
            }
            (None, _) => rebuild |= marked.is_none_or(|marked| marked == workspace.0),
        }
    }
    let mut people: Vec<i64> = people.into_iter().collect();
    people.sort_unstable();
    let mut pairs: Vec<(i64, i64)> = pairs.into_iter().collect();
    pairs.sort_unstable();
    Ok(Changes {
        through: newest,
        rebuild,
        people,
        pairs,
    })
}

/// The workspace's current state of the people and pairs `changes` names: what a live
/// network needs to bring itself up to date.
fn read_state(
    transaction: &Connection,
    workspace: WorkspaceId,
    changes: &Changes,
) -> Result<SnapshotChange, StoreError> {
    let taxonomy = Taxonomy::embedded();
    let mut person = transaction.prepare_cached(
        "SELECT name, company, title, fields FROM people WHERE id = ?1 AND workspace_id = ?2",
    )?;
    let mut emails =
        transaction.prepare_cached("SELECT email FROM person_emails WHERE person_id = ?1")?;
    let mut people = Vec::with_capacity(changes.people.len());
    for &id in &changes.people {
        let found = person
            .query_row(params![id, workspace.0], |row| {
                let fields = super::stored_fields(row.get_ref(3)?);
                Ok(PersonNode {
                    id,
                    name: row.get(0)?,
                    emails: Vec::new(),
                    company: row.get(1)?,
                    title: row.get(2)?,
                    field_mask: taxonomy.mask_of(&fields),
                    fields,
                })
            })
            .optional()?;
        let found = match found {
            Some(mut node) => {
                node.emails = emails
                    .query_map([id], |row| row.get::<_, String>(0))?
                    .collect::<Result<_, _>>()?;
                node.emails.sort();
                Some(node)
            }
            None => None,
        };
        people.push((id, found));
    }
    let mut exists =
        transaction.prepare_cached("SELECT 1 FROM people WHERE id = ?1 AND workspace_id = ?2")?;
    let mut listings = transaction.prepare_cached(
        "SELECT l.relationship, l.last_contacted, l.connected_on, l.interactions, l.strength,
                i.format = 'manual'
         FROM listings l JOIN imports i ON i.id = l.import_id
         WHERE l.owner_id = ?1 AND l.contact_id = ?2 AND i.workspace_id = ?3",
    )?;
    let mut ties = Vec::with_capacity(changes.pairs.len());
    for &(a, b) in &changes.pairs {
        let mut merged: Option<TieInput> = None;
        let both =
            exists.exists(params![a, workspace.0])? && exists.exists(params![b, workspace.0])?;
        if both {
            // Indices 0 and 1 stand for a and b: the tie merges as the full read does.
            for (owner, contact, index) in [(a, b, (0, 1)), (b, a, (1, 0))] {
                let mut rows = listings.query(params![owner, contact, workspace.0])?;
                while let Some(row) = rows.next()? {
                    let declared: bool = row.get(5)?;
                    let source = if declared {
                        ListingSource::Declared
                    } else {
                        ListingSource::List
                    };
                    let listing = TieInput::listing_stored(
                        index.0,
                        index.1,
                        &super::snapshot::stored_listing(row, 0, source)?,
                    );
                    match &mut merged {
                        Some(tie) => tie.absorb(&listing),
                        None => merged = Some(listing),
                    }
                }
            }
        }
        ties.push((
            a,
            b,
            merged.map(|mut tie| {
                tie.finish();
                tie.tie
            }),
        ));
    }
    let me: i64 = transaction.query_row(
        "SELECT me_id FROM workspaces WHERE id = ?1",
        [workspace.0],
        |row| row.get(0),
    )?;
    Ok(SnapshotChange {
        people,
        ties,
        me: Some(me),
    })
}
