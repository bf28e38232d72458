//! The store: SQLite, the source of truth, and the only module that speaks SQL.
//!
//! It owns the schema, applying a parsed import in one transaction, the people and their
//! keys, and reading a workspace back out as a [`crate::graph::SnapshotInput`]. It does not
//! parse files (that is `import`) nor decide identity (that is `identity`).
//!
//! **Invariant:** every write is one transaction; a crash loses nothing that was committed
//! and leaves nothing half-applied.

mod changes;
mod edit;
mod import;
mod keys;
mod lists;
mod people;
mod requests;
mod schema;
mod snapshot;
mod ties;

#[cfg(test)]
pub(crate) mod tests;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use rusqlite::{Connection, OptionalExtension, params};

pub use changes::{Changes, MAX_ROWS_TO_APPLY};
pub use edit::PersonPatch;
pub use import::{ImportOutcome, ImportReport, ImportRequest, Merge, OnError, Source};
pub use keys::{ApiKey, WorkspaceSummary};
pub use lists::{Page, PeopleFilter, TieRecord, TieSource};
pub use people::Person;
pub use requests::{
    HistoryEntry, Interaction, NewRequest, PairTie, RequestId, RequestUpdate, StoredRequest,
};
pub use schema::latest_version;
pub use ties::{DeclaredTie, TieChange, TieDeclaration};

use crate::identity::{InvalidPersonRef, PersonId};
use crate::import::{ImportError, LineProblem};

impl StoreError {
    /// An internal failure with its cause.
    pub(crate) fn internal(
        what: &'static str,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> StoreError {
        StoreError::Internal {
            what,
            source: source.into(),
        }
    }
}

/// An import's id: one uploaded contact list (a declared tie is stored as an import too,
/// but is known by its [`TieId`]).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct ImportId(pub i64);

/// A declared tie's id (`POST /v1/ties`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct TieId(pub i64);

macro_rules! sql_id {
    ($($id:ident),*) => {$(
        impl std::fmt::Display for $id {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl rusqlite::ToSql for $id {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }

        impl rusqlite::types::FromSql for $id {
            fn column_result(
                value: rusqlite::types::ValueRef<'_>,
            ) -> rusqlite::types::FromSqlResult<Self> {
                i64::column_result(value).map($id)
            }
        }
    )*};
}
sql_id!(ImportId, TieId);

/// A workspace's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WorkspaceId(pub i64);

/// Everything that can go wrong in the store, by kind.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error")]
    Sqlite(#[from] rusqlite::Error),
    #[error("no workspace named {0:?}")]
    UnknownWorkspace(String),
    #[error("a workspace named {0:?} already exists")]
    WorkspaceExists(String),
    #[error("no person {0}")]
    UnknownPerson(String),
    #[error("no import {0}")]
    UnknownImport(ImportId),
    #[error("the file has {} problem(s); nothing was imported", .0.len())]
    Rejected(Vec<LineProblem>),
    #[error("the file cannot be imported: {0}")]
    File(#[from] ImportError),
    #[error("cannot read the file")]
    Read(#[source] std::io::Error),
    #[error(transparent)]
    InvalidPerson(#[from] InvalidPersonRef),
    /// Input the store refuses (an empty name, an email that is not one, an unknown field).
    #[error("{0}")]
    Invalid(String),
    /// A failure of the store itself, not of what it was asked (a worker thread that
    /// stopped, a report that does not serialise, no randomness): its cause is kept.
    #[error("{what}")]
    Internal {
        what: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("no tie {0}")]
    UnknownTie(TieId),
    #[error("{0}")]
    Conflict(String),
    #[error("no request {0}")]
    UnknownRequest(RequestId),
}

impl From<crate::import::ReadError> for StoreError {
    fn from(error: crate::import::ReadError) -> StoreError {
        match error {
            crate::import::ReadError::File(error) => StoreError::File(error),
            crate::import::ReadError::Io(error) => StoreError::Read(error),
        }
    }
}

/// How long a statement waits for another connection's lock before it fails.
pub(crate) const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// An open database.
pub struct Store {
    connection: Connection,
    /// Whether the change-log triggers log (off during a bulk load; see `changes`).
    logging: Arc<AtomicBool>,
}

impl Store {
    /// Opens (creating and migrating if needed) the database at `path`.
    ///
    /// # Errors
    /// Fails when the file cannot be opened as SQLite or a migration fails.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let mut connection = Connection::open(path)?;
        let logging = Arc::new(AtomicBool::new(true));
        changes::register(&connection, logging.clone())?;
        connection.busy_timeout(BUSY_TIMEOUT)?;
        // Takes effect only while the file is still empty (a new database).
        connection.pragma_update(None, "page_size", schema::PAGE_SIZE)?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        // Deleted content is overwritten, not left in free pages: an erased person must not
        // be readable in the file (DESIGN: erasure).
        connection.pragma_update(None, "secure_delete", "ON")?;
        // 64 MiB of page cache: large imports insert millions of index entries.
        connection.pragma_update(None, "cache_size", -65536)?;
        schema::migrate(&mut connection)?;
        let store = Store {
            connection,
            logging,
        };
        if store.find_workspace("default")?.is_none() {
            store.create_workspace("default")?;
        }
        Ok(store)
    }

    /// The workspace with this name.
    ///
    /// # Errors
    /// [`StoreError::UnknownWorkspace`] when there is none.
    pub fn workspace(&self, name: &str) -> Result<WorkspaceId, StoreError> {
        self.find_workspace(name)?
            .ok_or_else(|| StoreError::UnknownWorkspace(name.to_string()))
    }

    fn find_workspace(&self, name: &str) -> Result<Option<WorkspaceId>, StoreError> {
        Ok(self
            .connection
            .query_row("SELECT id FROM workspaces WHERE name = ?1", [name], |row| {
                row.get(0)
            })
            .optional()?
            .map(WorkspaceId))
    }

    /// Creates a workspace and its "me".
    ///
    /// # Errors
    /// [`StoreError::WorkspaceExists`] when the name is taken.
    pub fn create_workspace(&self, name: &str) -> Result<WorkspaceId, StoreError> {
        check_workspace_name(name)?;
        if self.find_workspace(name)?.is_some() {
            return Err(StoreError::WorkspaceExists(name.to_string()));
        }
        let transaction = self.connection.unchecked_transaction()?;
        let now = now_text();
        transaction.execute(
            "INSERT INTO workspaces (name, created_at) VALUES (?1, ?2)",
            params![name, now],
        )?;
        let workspace = transaction.last_insert_rowid();
        transaction.execute(
            "INSERT INTO people (workspace_id, name, created_at) VALUES (?1, 'Me', ?2)",
            params![workspace, now],
        )?;
        let me = transaction.last_insert_rowid();
        transaction.execute(
            "UPDATE workspaces SET me_id = ?1 WHERE id = ?2",
            params![me, workspace],
        )?;
        transaction.commit()?;
        Ok(WorkspaceId(workspace))
    }

    /// The database's id, made when it was created: snapshot files say which database
    /// they were made from.
    ///
    /// # Errors
    /// Fails on a database error.
    pub fn database_id(&self) -> Result<String, StoreError> {
        Ok(self.connection.query_row(
            "SELECT value FROM meta WHERE key = 'database_id'",
            [],
            |row| row.get(0),
        )?)
    }

    /// Writes a consistent copy of the whole database to `path` (which must not exist),
    /// while others keep reading and writing: SQLite's `VACUUM INTO`, from one read
    /// transaction, written beside `path` and renamed into place.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] when `path` exists; a database or file error.
    pub fn backup_to(&self, path: &Path) -> Result<(), StoreError> {
        if path.exists() {
            return Err(StoreError::Invalid(format!(
                "{} exists already; a backup never overwrites a file",
                path.display()
            )));
        }
        let name = path
            .file_name()
            .ok_or_else(|| StoreError::Invalid(format!("{} names no file", path.display())))?;
        let partial = path.with_file_name(format!("{}.partial", name.to_string_lossy()));
        let _ = std::fs::remove_file(&partial);
        let target = partial
            .to_str()
            .ok_or_else(|| StoreError::Invalid("the backup path is not UTF-8".to_string()))?;
        self.connection.execute("VACUUM INTO ?1", [target])?;
        std::fs::rename(&partial, path).map_err(StoreError::Read)?;
        Ok(())
    }

    /// The database file, when it has one.
    pub fn path(&self) -> Option<&Path> {
        self.connection
            .path()
            .filter(|path| !path.is_empty())
            .map(Path::new)
    }

    /// The workspace's "me".
    ///
    /// # Errors
    /// Fails on a database error.
    pub fn me(&self, workspace: WorkspaceId) -> Result<PersonId, StoreError> {
        let me: i64 = self.connection.query_row(
            "SELECT me_id FROM workspaces WHERE id = ?1",
            [workspace.0],
            |row| row.get(0),
        )?;
        Ok(PersonId(me))
    }
}

/// A person's `fields` column (a JSON list of field ids); empty when it cannot be read.
pub(crate) fn stored_fields(value: rusqlite::types::ValueRef<'_>) -> Vec<String> {
    value
        .as_str()
        .ok()
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default()
}

/// A workspace name is what a person types and a URL or shell carries unquoted: 1 to 63
/// lowercase ASCII letters, digits, `-` and `_`, starting with a letter or digit (no spaces,
/// no escape codes, no look-alike letters).
fn check_workspace_name(name: &str) -> Result<(), StoreError> {
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_';
    let valid = (1..=63).contains(&name.len())
        && name.chars().all(allowed)
        && name.starts_with(|c: char| c.is_ascii_alphanumeric());
    if valid {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "{:?} is not a workspace name: 1 to 63 lowercase letters, digits, - and _, starting with a letter or digit",
            name.escape_debug().to_string()
        )))
    }
}

pub(crate) fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Days since the common era, the way dates are stored.
pub(crate) fn date_to_days(date: chrono::NaiveDate) -> i64 {
    use chrono::Datelike;
    i64::from(date.num_days_from_ce())
}

pub(crate) fn days_to_date(days: i64) -> Option<chrono::NaiveDate> {
    i32::try_from(days)
        .ok()
        .and_then(chrono::NaiveDate::from_num_days_from_ce_opt)
}
