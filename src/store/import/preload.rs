//! What an import reads before its rows are resolved: "me", the stored people (everyone
//! of the workspace, or for a small file only those its rows may be), the suppression
//! list and the next free id, handed to the resolver as an [`identity::resolve::Seed`].
//!
//! [`identity::resolve::Seed`]: crate::identity::resolve::Seed

use foldhash::{HashSet, HashSetExt};
use rusqlite::{Transaction, params};

use super::stages::Parsed;
use crate::identity::resolve::{Seed, StoredPeople};
use crate::identity::suppressions::Suppressions;
use crate::identity::{Directory, PersonId, PersonRef, normalize};
use crate::store::people::refresh_people;
use crate::store::{Store, StoreError, WorkspaceId};

/// Files of at most this many rows that fit in one block are resolved against the people
/// their rows name (found by key), not against every person of the workspace.
pub(super) const TARGETED_ROWS: usize = 50_000;

/// Reads what resolving starts from: with every person of the workspace read, or
/// (`targeted`) only "me", the rest left to [`preload`]. Also says whether nobody but "me"
/// was in the workspace before this import.
pub(super) fn seed(
    transaction: &Transaction<'_>,
    workspace: WorkspaceId,
    targeted: bool,
) -> Result<(Seed, bool), StoreError> {
    let me: i64 = transaction.query_row(
        "SELECT me_id FROM workspaces WHERE id = ?1",
        [workspace.0],
        |row| row.get(0),
    )?;
    let (directory, stored) = if targeted {
        let mut directory = Directory::new();
        let mut stored = StoredPeople::default();
        refresh_people(transaction, workspace, &[me], &mut directory, &mut stored)?;
        (directory, stored)
    } else {
        Store::load_directory(transaction, workspace)?
    };
    let fresh_workspace = !transaction.query_row(
        "SELECT EXISTS (SELECT 1 FROM people WHERE workspace_id = ?1 AND id != ?2)",
        params![workspace.0, me],
        |row| row.get::<_, bool>(0),
    )?;
    let mut suppressions = HashSet::new();
    let mut statement =
        transaction.prepare("SELECT hash FROM suppressions WHERE workspace_id = ?1")?;
    let mut rows = statement.query([workspace.0])?;
    while let Some(row) = rows.next()? {
        suppressions.insert(row.get(0)?);
    }
    // Never an id handed out before: above the highest ever given (AUTOINCREMENT keeps it
    // in sqlite_sequence), not only above the highest still there.
    let next_person: i64 = transaction.query_row(
        "SELECT max(COALESCE((SELECT MAX(id) FROM people), 0),
                    COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'people'), 0)) + 1",
        [],
        |row| row.get(0),
    )?;
    let seed = Seed {
        me: PersonId(me),
        directory,
        stored,
        suppressions: Suppressions::new(workspace.0, suppressions),
        next_person,
    };
    Ok((seed, fresh_workspace))
}

/// Reads into the seed's directory everyone the owner reference and the rows of `first`
/// may name: the holders of their emails, profile URLs and network owners' emails, and the
/// people of their name and company.
pub(super) fn preload(
    transaction: &Transaction<'_>,
    workspace: WorkspaceId,
    owner: &PersonRef,
    first: &Parsed,
    seed: &mut Seed,
) -> Result<(), StoreError> {
    let mut by_email = transaction.prepare_cached(super::super::people::EMAIL_HOLDER)?;
    let mut by_url = transaction.prepare_cached(super::super::people::URL_HOLDER)?;
    let mut by_name = transaction.prepare_cached(
        "SELECT id FROM people WHERE workspace_id = ?1 AND name_key = ?2 AND company_key = ?3",
    )?;
    let mut ids: HashSet<i64> = HashSet::new();
    let mut found = |statement: &mut rusqlite::CachedStatement<'_>,
                     key: &[&dyn rusqlite::ToSql]|
     -> Result<(), StoreError> {
        let mut rows = statement.query(key)?;
        while let Some(row) = rows.next()? {
            ids.insert(row.get(0)?);
        }
        Ok(())
    };
    let workspace_id = workspace.0;
    match owner {
        PersonRef::Me | PersonRef::Id(_) => {}
        PersonRef::Email(email) => found(&mut by_email, &[&workspace_id, email])?,
        PersonRef::ProfileUrl(url) => found(&mut by_url, &[&workspace_id, url])?,
    }
    for (row, prepared) in first.block.rows.iter().zip(&first.prepared) {
        for email in &prepared.keys.emails {
            found(&mut by_email, &[&workspace_id, email])?;
        }
        if let Some(url) = &prepared.keys.profile_url {
            found(&mut by_url, &[&workspace_id, url])?;
        }
        if let Some(email) = &row.owner_email {
            found(&mut by_email, &[&workspace_id, &email.to_lowercase()])?;
        }
        let (name, company) = if prepared.names_deferred {
            (
                normalize::name(&row.name),
                row.company
                    .as_deref()
                    .map(normalize::company)
                    .unwrap_or_default(),
            )
        } else {
            (prepared.keys.name.clone(), prepared.keys.company.clone())
        };
        if !name.is_empty() && !company.is_empty() {
            found(&mut by_name, &[&workspace_id, &name, &company])?;
        }
    }
    if let PersonRef::Id(id) = owner {
        ids.insert(id.0);
    }
    ids.remove(&seed.me.0);
    let ids: Vec<i64> = ids.into_iter().collect();
    refresh_people(
        transaction,
        workspace,
        &ids,
        &mut seed.directory,
        &mut seed.stored,
    )
}
