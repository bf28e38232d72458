//! Replacing an earlier list of the same owner (`replaces`): withdrawing its listings
//! before the new rows are written, and removing the people only it brought in that the
//! new list does not list again.

use rusqlite::{OptionalExtension, Transaction, params};

use crate::identity::PersonId;
use crate::store::{ImportId, StoreError, WorkspaceId};

/// Withdraws an earlier import that this one replaces: its listings go now, and the
/// people only it brought in go at the end unless this import lists them again (they
/// become this import's, `import_id`'s, meanwhile).
/// The replaced import must be a list of the same owner: a newer export of one list.
pub(super) fn withdraw(
    transaction: &Transaction<'_>,
    workspace: WorkspaceId,
    old: ImportId,
    owner: PersonId,
    import_id: ImportId,
) -> Result<(), StoreError> {
    let found: Option<i64> = transaction
        .query_row(
            "SELECT owner_id FROM imports WHERE id = ?1 AND workspace_id = ?2 AND format != 'manual'",
            params![old, workspace.0],
            |row| row.get(0),
        )
        .optional()?;
    let old_owner = found.ok_or(StoreError::UnknownImport(old))?;
    if old_owner != owner.0 {
        return Err(StoreError::Conflict(format!(
            "import {old} is the list of another owner (person {old_owner}); replaces= takes an earlier import of the same owner"
        )));
    }
    transaction.execute("DELETE FROM listings WHERE import_id = ?1", [old])?;
    transaction.execute("DELETE FROM imports WHERE id = ?1", [old])?;
    transaction.execute(
        "UPDATE people SET origin_import = ?1 WHERE origin_import = ?2",
        params![import_id, old],
    )?;
    Ok(())
}

/// People that an import (or the one it replaced) brought in and that nothing lists
/// any more are removed.
pub(super) fn remove_orphans(
    transaction: &Transaction<'_>,
    replaced: Option<ImportId>,
    import_id: ImportId,
    me: PersonId,
) -> Result<(), StoreError> {
    if replaced.is_none() {
        return Ok(());
    }
    transaction.execute(
        "DELETE FROM people WHERE origin_import = ?1 AND id != ?2
           AND NOT EXISTS (SELECT 1 FROM listings WHERE owner_id = people.id OR contact_id = people.id)
           AND NOT EXISTS (SELECT 1 FROM imports WHERE owner_id = people.id)",
        params![import_id, me.0],
    )?;
    Ok(())
}
