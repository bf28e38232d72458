//! Ties a user declares by hand (`POST /v1/ties`).
//!
//! A declared tie is stored as an import of format `manual` owned by `from`, holding one
//! listing `from → to`. The snapshot reads it like any listing, merges and erasures move or
//! drop it like any listing, and the tie's id is that import's id. Declared ties never
//! appear among a workspace's imports.

use rusqlite::{Connection, OptionalExtension, params};

use super::edit::remove_empty_declared_ties;
use super::{Store, StoreError, TieId, WorkspaceId, date_to_days, days_to_date, now_text};
use crate::identity::{PersonId, PersonRef};
use crate::relationship::Relationship;

/// A tie to declare.
#[derive(Debug, Clone, PartialEq)]
pub struct TieDeclaration {
    pub from: PersonRef,
    pub to: PersonRef,
    pub relationship: Relationship,
    pub strength: Option<f64>,
    pub last_contacted: Option<chrono::NaiveDate>,
    pub interactions: Option<u32>,
}

/// A correction of a declared tie; `None` leaves a value as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TieChange {
    pub relationship: Option<Relationship>,
    pub strength: Option<f64>,
    pub last_contacted: Option<chrono::NaiveDate>,
    pub interactions: Option<u32>,
}

/// A declared tie as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct DeclaredTie {
    pub id: TieId,
    pub from: PersonId,
    pub to: PersonId,
    pub relationship: Option<Relationship>,
    pub strength: Option<f64>,
    pub last_contacted: Option<chrono::NaiveDate>,
    pub interactions: Option<u32>,
}

impl Store {
    /// Declares a tie between two people of the workspace.
    ///
    /// # Errors
    /// [`StoreError::UnknownPerson`] for either side; [`StoreError::Conflict`] for a tie of
    /// a person to themself (who is who depends on what is stored) or to an erased person
    /// named by email or profile URL; [`StoreError::Invalid`] for a strength outside (0, 1].
    pub fn declare_tie(
        &mut self,
        workspace: WorkspaceId,
        declaration: &TieDeclaration,
    ) -> Result<DeclaredTie, StoreError> {
        self.refuse_erased(workspace, &declaration.from)?;
        self.refuse_erased(workspace, &declaration.to)?;
        let from = self.require_person(workspace, &declaration.from)?;
        let to = self.require_person(workspace, &declaration.to)?;
        if from == to {
            return Err(StoreError::Conflict(
                "a tie needs two different people".to_string(),
            ));
        }
        check_strength(declaration.strength)?;
        let transaction = self.connection.transaction()?;
        let id = insert_listing(
            &transaction,
            workspace,
            from,
            to,
            Some(declaration.relationship),
            declaration.strength,
            declaration.last_contacted,
            declaration.interactions,
            Origin::Hand,
        )?;
        transaction.commit()?;
        self.declared_tie(workspace, id)
    }

    /// One declared tie.
    ///
    /// # Errors
    /// [`StoreError::UnknownTie`] when it is not a declared tie of this workspace.
    pub fn declared_tie(
        &self,
        workspace: WorkspaceId,
        id: TieId,
    ) -> Result<DeclaredTie, StoreError> {
        self.connection
            .query_row(
                &format!(
                    "SELECT {DECLARED_COLUMNS} FROM imports i JOIN listings l ON l.import_id = i.id
                     WHERE i.id = ?1 AND i.workspace_id = ?2 AND i.format = 'manual'"
                ),
                params![id, workspace.0],
                declared_from_row,
            )
            .optional()?
            .ok_or(StoreError::UnknownTie(id))
    }

    /// Corrects a declared tie.
    ///
    /// # Errors
    /// [`StoreError::UnknownTie`]; [`StoreError::Invalid`] for a strength outside (0, 1].
    pub fn change_tie(
        &mut self,
        workspace: WorkspaceId,
        id: TieId,
        change: &TieChange,
    ) -> Result<DeclaredTie, StoreError> {
        let current = self.declared_tie(workspace, id)?;
        check_strength(change.strength)?;
        update_listing(
            &self.connection,
            id,
            change.relationship.or(current.relationship),
            change.strength.or(current.strength),
            change.last_contacted.or(current.last_contacted),
            change.interactions.or(current.interactions),
        )?;
        self.declared_tie(workspace, id)
    }

    /// Removes a declared tie.
    ///
    /// # Errors
    /// [`StoreError::UnknownTie`] when it is not a declared tie of this workspace.
    pub fn remove_tie(&mut self, workspace: WorkspaceId, id: TieId) -> Result<(), StoreError> {
        self.declared_tie(workspace, id)?;
        let transaction = self.connection.transaction()?;
        transaction.execute("DELETE FROM listings WHERE import_id = ?1", [id])?;
        remove_empty_declared_ties(&transaction, workspace)?;
        transaction.commit()?;
        Ok(())
    }
}

/// Who wrote a declared tie: the user by hand (`POST /v1/ties`), or an introduction request
/// logging an interaction. Kept in the `manual` import's `encoding` column (unused for
/// declared ties otherwise): `''` or `'request'`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Origin {
    Hand,
    Request,
}

/// Writes a declared tie `from → to`: an import of format `manual` holding one listing.
/// Callers check the people and the strength, and run it inside their transaction.
#[allow(clippy::too_many_arguments)]
pub(super) fn insert_listing(
    connection: &Connection,
    workspace: WorkspaceId,
    from: PersonId,
    to: PersonId,
    relationship: Option<Relationship>,
    strength: Option<f64>,
    last_contacted: Option<chrono::NaiveDate>,
    interactions: Option<u32>,
    origin: Origin,
) -> Result<TieId, StoreError> {
    let encoding = match origin {
        Origin::Hand => "",
        Origin::Request => "request",
    };
    connection.execute(
        "INSERT INTO imports (workspace_id, owner_id, relationship, format, encoding, digest, report, created_at)
         VALUES (?1, ?2, NULL, 'manual', ?4, 'manual', '{}', ?3)",
        params![workspace.0, from.0, now_text(), encoding],
    )?;
    let id = TieId(connection.last_insert_rowid());
    connection.execute(
        "INSERT INTO listings (import_id, owner_id, contact_id, relationship, last_contacted, interactions, strength)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            id,
            from.0,
            to.0,
            relationship.map(Relationship::as_str),
            last_contacted.map(date_to_days),
            interactions,
            strength
        ],
    )?;
    Ok(id)
}

/// Sets every value of a declared tie's listing.
pub(super) fn update_listing(
    connection: &Connection,
    id: TieId,
    relationship: Option<Relationship>,
    strength: Option<f64>,
    last_contacted: Option<chrono::NaiveDate>,
    interactions: Option<u32>,
) -> Result<(), StoreError> {
    connection.execute(
        "UPDATE listings SET relationship = ?2, strength = ?3, last_contacted = ?4, interactions = ?5
         WHERE import_id = ?1",
        params![
            id,
            relationship.map(Relationship::as_str),
            strength,
            last_contacted.map(date_to_days),
            interactions
        ],
    )?;
    Ok(())
}

/// The columns [`declared_from_row`] reads, of `imports i` joined with its `listings l`.
const DECLARED_COLUMNS: &str =
    "i.id, l.owner_id, l.contact_id, l.relationship, l.strength, l.last_contacted, l.interactions";

/// A declared tie from a row of [`DECLARED_COLUMNS`].
fn declared_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<DeclaredTie> {
    Ok(DeclaredTie {
        id: row.get(0)?,
        from: PersonId(row.get(1)?),
        to: PersonId(row.get(2)?),
        relationship: row
            .get::<_, Option<String>>(3)?
            .as_deref()
            .and_then(Relationship::parse),
        strength: row.get(4)?,
        last_contacted: row.get::<_, Option<i64>>(5)?.and_then(days_to_date),
        interactions: row
            .get::<_, Option<i64>>(6)?
            .and_then(|count| u32::try_from(count).ok()),
    })
}

/// The (first) declared tie `from → to` of the workspace, if any.
pub(super) fn declared_between(
    connection: &Connection,
    workspace: WorkspaceId,
    from: PersonId,
    to: PersonId,
) -> Result<Option<DeclaredTie>, StoreError> {
    Ok(connection
        .query_row(
            &format!(
                "SELECT {DECLARED_COLUMNS} FROM imports i JOIN listings l ON l.import_id = i.id
                 WHERE i.workspace_id = ?1 AND i.format = 'manual' AND l.owner_id = ?2 AND l.contact_id = ?3
                 ORDER BY i.id LIMIT 1"
            ),
            params![workspace.0, from.0, to.0],
            declared_from_row,
        )
        .optional()?)
}

fn check_strength(strength: Option<f64>) -> Result<(), StoreError> {
    match strength {
        Some(value) if !(value.is_finite() && value > 0.0 && value <= 1.0) => Err(
            StoreError::Invalid(format!("strength must be in (0, 1], not {value}")),
        ),
        _ => Ok(()),
    }
}
