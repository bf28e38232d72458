//! Bulk loads: an upload that probably holds more listings than the store. Its listing and
//! key indexes are dropped and built once at the end, it logs one "rebuild" row instead of
//! a row per listing and person (the change log's triggers are switched off through
//! [`Unlogged`]), and, when its connection is the only one, it runs under a rollback
//! journal ([`BulkJournal`]), all inside its one transaction.

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use rusqlite::Transaction;

use crate::store::changes::Unlogged;
use crate::store::{Store, StoreError, WorkspaceId, schema};

/// Files from this size on may be bulk loads.
const BULK_BYTES: u64 = 32 << 20;

/// Whether this upload probably holds more listings than the whole store (about 64 bytes
/// a row): then the listing indexes are dropped and rebuilt once at the end.
pub(super) fn is_bulk(
    connection: &rusqlite::Connection,
    total_bytes: u64,
) -> Result<bool, StoreError> {
    if total_bytes < BULK_BYTES {
        return Ok(false);
    }
    let stored: i64 =
        connection.query_row("SELECT COUNT(*) FROM listings", [], |row| row.get(0))?;
    Ok((stored.max(0) as u64).saturating_mul(64) < total_bytes)
}

/// What a bulk load switches for its transaction: the journal, and the change log's
/// triggers (back on when this is dropped).
pub(super) struct BulkMode<'a> {
    journal: BulkJournal,
    _unlogged: Unlogged<'a>,
}

impl<'a> BulkMode<'a> {
    /// Switches to a bulk load's journal and turns the change log's triggers off.
    pub(super) fn enter(
        connection: &rusqlite::Connection,
        logging: &'a AtomicBool,
    ) -> BulkMode<'a> {
        let journal = BulkJournal::enter(connection);
        BulkMode {
            journal,
            _unlogged: Unlogged::new(logging),
        }
    }

    /// Back to the journal of other writes (the triggers log again once this is dropped).
    pub(super) fn leave(&self, connection: &rusqlite::Connection) {
        self.journal.leave(connection);
    }
}

/// The journal of a bulk load.
///
/// In WAL mode every page of a bulk load is written twice, to the log and then back into
/// the database at the checkpoint. With a rollback journal, pages added to the end of the
/// file (nearly all of a bulk load) are written once and not journaled at all, and the
/// commit is still atomic: a crash leaves a journal that SQLite rolls back when the
/// database is next opened. The switch needs the only connection to the database (the
/// command line); when another one is open (a running server) it fails and the load
/// stays in WAL mode. The commit syncs fully, as a rollback journal needs to be safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BulkJournal {
    Unchanged,
    Rollback,
}

impl BulkJournal {
    fn enter(connection: &rusqlite::Connection) -> BulkJournal {
        // Another connection makes the switch fail at once: no waiting for it.
        let _ = connection.busy_timeout(std::time::Duration::ZERO);
        let mode: Result<String, _> =
            connection.query_row("PRAGMA journal_mode = TRUNCATE", [], |row| row.get(0));
        let _ = connection.busy_timeout(crate::store::BUSY_TIMEOUT);
        tracing::debug!(mode = ?mode.as_deref().ok(), "bulk load journal");
        match mode {
            Ok(mode) if mode.eq_ignore_ascii_case("truncate") => {
                if connection
                    .pragma_update(None, "synchronous", "FULL")
                    .is_ok()
                {
                    BulkJournal::Rollback
                } else {
                    BulkJournal::Rollback.leave(connection);
                    BulkJournal::Unchanged
                }
            }
            _ => BulkJournal::Unchanged,
        }
    }

    /// Back to WAL mode (`Store::open` sets it again should this fail).
    fn leave(self, connection: &rusqlite::Connection) {
        if self == BulkJournal::Rollback {
            let _ = connection.pragma_update(None, "synchronous", "NORMAL");
            let _ = connection.query_row("PRAGMA journal_mode = WAL", [], |row| {
                row.get::<_, String>(0)
            });
        }
    }
}

/// Logs one "rebuild" row for the load and drops the indexes it builds at the end.
pub(super) fn drop_indexes(
    transaction: &Transaction<'_>,
    workspace: WorkspaceId,
) -> Result<(), StoreError> {
    Store::log_rebuild(transaction, workspace)?;
    // Building the listing indexes once at the end is several times faster than
    // keeping them up to date row by row; inside the transaction, so atomic too.
    for (name, _) in schema::BULK_INDEXES {
        transaction.execute_batch(&format!("DROP INDEX IF EXISTS {name}"))?;
    }
    Ok(())
}

/// Builds the indexes [`drop_indexes`] dropped, once every row is written.
pub(super) fn build_indexes(
    transaction: &Transaction<'_>,
    started: Instant,
) -> Result<(), StoreError> {
    transaction.pragma_update(None, "threads", 2)?;
    for (name, sql) in schema::BULK_INDEXES {
        transaction.execute_batch(sql)?;
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            index = name,
            "index built"
        );
    }
    tracing::debug!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        "indexes built"
    );
    Ok(())
}
