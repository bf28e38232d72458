//! Workspaces and their API keys: listing, creating, deleting workspaces, issuing and
//! revoking keys, and finding the workspace a presented key belongs to.
//!
//! **Invariant:** a key is shown once, when issued; the store keeps only its SHA-256 hash,
//! and a presented key is compared with every stored hash in constant time.

use rusqlite::params;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{Store, StoreError, WorkspaceId, now_text};

/// The prefix of every key, so a leaked one is recognisable in logs and scanners.
const KEY_PREFIX: &str = "wp_";

/// One workspace as `warmpath workspace list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceSummary {
    pub id: WorkspaceId,
    pub name: String,
    pub keys: usize,
    pub people: usize,
    pub created_at: String,
}

/// A newly issued key, in the clear; it is never stored like this.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(pub String);

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(..)")
    }
}

impl Store {
    /// Every workspace, by name.
    ///
    /// # Errors
    /// Fails on a database error.
    pub fn workspaces(&self) -> Result<Vec<WorkspaceSummary>, StoreError> {
        let mut statement = self.connection.prepare(
            "SELECT w.id, w.name, w.created_at,
                    (SELECT COUNT(*) FROM api_keys k WHERE k.workspace_id = w.id),
                    (SELECT COUNT(*) FROM people p WHERE p.workspace_id = w.id)
             FROM workspaces w ORDER BY w.name",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(WorkspaceSummary {
                id: WorkspaceId(row.get(0)?),
                name: row.get(1)?,
                created_at: row.get(2)?,
                keys: row.get::<_, i64>(3)? as usize,
                people: row.get::<_, i64>(4)? as usize,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The ids of every workspace.
    ///
    /// # Errors
    /// Fails on a database error.
    pub fn workspace_ids(&self) -> Result<Vec<WorkspaceId>, StoreError> {
        let mut statement = self
            .connection
            .prepare_cached("SELECT id FROM workspaces ORDER BY id")?;
        let ids = statement.query_map([], |row| Ok(WorkspaceId(row.get(0)?)))?;
        Ok(ids.collect::<Result<_, _>>()?)
    }

    /// Deletes a workspace with everything in it: people, imports, ties, keys, suppressions.
    ///
    /// # Errors
    /// [`StoreError::UnknownWorkspace`], or [`StoreError::Invalid`] for `default`, which
    /// every database has.
    pub fn delete_workspace(&mut self, name: &str) -> Result<(), StoreError> {
        if name == "default" {
            return Err(StoreError::Invalid(
                "the default workspace cannot be deleted".to_string(),
            ));
        }
        let workspace = self.workspace(name)?;
        // One "rebuild" row for the workspace instead of a row per person and listing.
        let _unlogged = super::changes::Unlogged::new(&self.logging);
        let transaction = self.connection.transaction()?;
        Store::log_rebuild(&transaction, workspace)?;
        transaction.execute(
            "DELETE FROM suppressions WHERE workspace_id = ?1",
            [workspace.0],
        )?;
        for table in ["person_emails", "person_urls"] {
            transaction.execute(
                &format!("DELETE FROM {table} WHERE workspace_id = ?1"),
                [workspace.0],
            )?;
        }
        transaction.execute("DELETE FROM workspaces WHERE id = ?1", [workspace.0])?;
        transaction.commit()?;
        Ok(())
    }

    /// Issues a new key for a workspace, replacing any it had (rotation).
    ///
    /// # Errors
    /// Fails on a database error or when the system has no randomness to give.
    pub fn issue_key(&mut self, workspace: WorkspaceId) -> Result<ApiKey, StoreError> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret)
            .map_err(|error| StoreError::internal("no randomness for a key", error.to_string()))?;
        let key = format!("{KEY_PREFIX}{}", hex(&secret));
        let transaction = self.connection.transaction()?;
        transaction.execute(
            "DELETE FROM api_keys WHERE workspace_id = ?1",
            [workspace.0],
        )?;
        transaction.execute(
            "INSERT INTO api_keys (workspace_id, hash, created_at) VALUES (?1, ?2, ?3)",
            params![workspace.0, key_hash(&key), now_text()],
        )?;
        transaction.commit()?;
        Ok(ApiKey(key))
    }

    /// Revokes every key of a workspace; returns how many there were.
    ///
    /// # Errors
    /// Fails on a database error.
    pub fn revoke_keys(&self, workspace: WorkspaceId) -> Result<usize, StoreError> {
        Ok(self.connection.execute(
            "DELETE FROM api_keys WHERE workspace_id = ?1",
            [workspace.0],
        )?)
    }

    /// Whether any workspace has a key; while none has, a loopback server needs no key.
    ///
    /// # Errors
    /// Fails on a database error.
    pub fn any_key(&self) -> Result<bool, StoreError> {
        // Asked on every keyless request: the statement is kept prepared.
        Ok(self
            .connection
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM api_keys)")?
            .query_row([], |row| row.get(0))?)
    }

    /// The workspace a presented key belongs to, if any.
    ///
    /// Every stored hash is compared, in constant time, so the answer's timing does not
    /// tell how much of a guess was right.
    ///
    /// # Errors
    /// Fails on a database error.
    pub fn workspace_for_key(&self, presented: &str) -> Result<Option<WorkspaceId>, StoreError> {
        let presented = key_hash(presented);
        let mut statement = self
            .connection
            .prepare_cached("SELECT workspace_id, hash FROM api_keys")?;
        let mut rows = statement.query([])?;
        let mut found = None;
        while let Some(row) = rows.next()? {
            let stored: String = row.get(1)?;
            if bool::from(stored.as_bytes().ct_eq(presented.as_bytes())) {
                found = Some(WorkspaceId(row.get(0)?));
            }
        }
        Ok(found)
    }
}

fn key_hash(key: &str) -> String {
    hex(&Sha256::digest(key.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("keys.db")).unwrap();
        (dir, store)
    }

    #[test]
    fn an_issued_key_finds_its_workspace_and_a_rotated_one_no_longer_does() {
        let (_dir, mut store) = store();
        let workspace = store.create_workspace("ci").unwrap();
        assert!(!store.any_key().unwrap());
        let first = store.issue_key(workspace).unwrap();
        assert!(first.0.starts_with("wp_") && first.0.len() == 67);
        assert_eq!(store.workspace_for_key(&first.0).unwrap(), Some(workspace));
        let second = store.issue_key(workspace).unwrap();
        assert_eq!(store.workspace_for_key(&first.0).unwrap(), None);
        assert_eq!(store.workspace_for_key(&second.0).unwrap(), Some(workspace));
        assert_eq!(store.revoke_keys(workspace).unwrap(), 1);
        assert!(!store.any_key().unwrap());
    }

    #[test]
    fn keys_are_stored_only_as_hashes() {
        let (_dir, mut store) = store();
        let workspace = store.workspace("default").unwrap();
        let key = store.issue_key(workspace).unwrap();
        let stored: String = store
            .connection
            .query_row("SELECT hash FROM api_keys", [], |row| row.get(0))
            .unwrap();
        assert!(!stored.contains(&key.0[3..]));
        assert_eq!(stored, key_hash(&key.0));
    }

    #[test]
    fn deleting_a_workspace_removes_it_but_default_stays() {
        let (_dir, mut store) = store();
        store.create_workspace("temp").unwrap();
        store.delete_workspace("temp").unwrap();
        assert!(store.workspace("temp").is_err());
        assert!(store.delete_workspace("default").is_err());
    }
}
