//! Introduction requests (`/v1/requests`): stored per workspace with their draft and the
//! history of their states.
//!
//! A request names two people of its workspace by foreign keys that cascade: erasing either
//! deletes the request and its history (with `secure_delete`, its text is overwritten);
//! a merge moves requests to the survivor (`merge_into`). An interaction a transition logs
//! is written as a declared tie me → the other person (`ties::insert_listing` or
//! `ties::update_listing`) in the same transaction, so the change log (and the live
//! network) sees it like any other write.
//!
//! **Invariant:** every statement filters by workspace; a state change happens only from
//! the state the caller read (else a conflict), with its history row, in one transaction.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Page, Store, StoreError, WorkspaceId, date_to_days, days_to_date};
use crate::identity::PersonId;
use crate::relationship::Relationship;
use crate::requests::State;
use crate::requests::draft::Draft;

/// A request's id.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct RequestId(pub i64);

impl std::fmt::Display for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// One step of a request's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub state: State,
    pub on: NaiveDate,
    pub note: Option<String>,
}

/// A request as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRequest {
    pub id: RequestId,
    pub introducer: PersonId,
    pub target: PersonId,
    pub state: State,
    pub reason: Option<String>,
    pub draft: Draft,
    /// Whether the user edited the draft (it is never regenerated then).
    pub edited: bool,
    /// Oldest first; the last entry is the current state.
    pub history: Vec<HistoryEntry>,
    pub created_on: NaiveDate,
    pub updated_on: NaiveDate,
}

/// A new request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRequest {
    pub introducer: PersonId,
    pub target: PersonId,
    pub state: State,
    pub reason: Option<String>,
    pub draft: Draft,
    pub on: NaiveDate,
}

/// An interaction with someone, logged on the tie me → them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interaction {
    pub with: PersonId,
    pub on: NaiveDate,
    /// The relationship of the tie when there is none yet.
    pub relationship_if_new: Relationship,
}

/// A change of a request, applied in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestUpdate {
    /// The state the caller read: the change is a conflict if it is no longer current.
    pub expected: State,
    /// A new state with its history entry.
    pub entered: Option<HistoryEntry>,
    pub draft: Option<Draft>,
    pub edited: bool,
    pub interaction: Option<Interaction>,
    pub updated_on: NaiveDate,
}

/// The merged tie of two people (every listing of the pair, in either direction), as the
/// snapshot merges them: the relationship with the highest prior, the latest contact, the
/// most interactions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PairTie {
    pub relationship: Option<Relationship>,
    pub last_contacted: Option<NaiveDate>,
    pub interactions: Option<u32>,
}

fn state_of(text: &str) -> rusqlite::Result<State> {
    State::parse(text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown request state {text:?}").into(),
        )
    })
}

fn date_of(days: i64) -> rusqlite::Result<NaiveDate> {
    days_to_date(days).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Integer,
            "a date out of range".into(),
        )
    })
}

/// The merged tie of `a` and `b`, if any listing ties them.
pub(crate) fn pair_tie(
    connection: &Connection,
    workspace: WorkspaceId,
    a: PersonId,
    b: PersonId,
) -> Result<Option<PairTie>, StoreError> {
    let mut statement = connection.prepare_cached(
        "SELECT l.relationship, l.last_contacted, l.interactions
         FROM listings l JOIN imports i ON i.id = l.import_id
         WHERE i.workspace_id = ?1
           AND ((l.owner_id = ?2 AND l.contact_id = ?3) OR (l.owner_id = ?3 AND l.contact_id = ?2))",
    )?;
    let mut rows = statement.query(params![workspace.0, a.0, b.0])?;
    let mut tie: Option<PairTie> = None;
    while let Some(row) = rows.next()? {
        let merged = tie.get_or_insert_with(PairTie::default);
        let relationship = row
            .get::<_, Option<String>>(0)?
            .as_deref()
            .and_then(Relationship::parse);
        if relationship.is_some()
            && (merged.relationship.is_none()
                || crate::strength::prior(relationship)
                    > crate::strength::prior(merged.relationship))
        {
            merged.relationship = relationship;
        }
        let last = row.get::<_, Option<i64>>(1)?.and_then(days_to_date);
        merged.last_contacted = merged.last_contacted.max(last);
        let interactions = row
            .get::<_, Option<i64>>(2)?
            .and_then(|count| u32::try_from(count).ok());
        merged.interactions = merged.interactions.max(interactions);
    }
    Ok(tie)
}

/// Logs an interaction on the tie me → `with`: the declared tie me → them takes the later
/// of its last contact and `on`, and one more interaction than the pair's most; a pair
/// without a declared tie gets one (relationship as the pair's, else
/// `relationship_if_new`).
fn log_interaction(
    connection: &Connection,
    workspace: WorkspaceId,
    me: PersonId,
    interaction: &Interaction,
) -> Result<(), StoreError> {
    let merged = pair_tie(connection, workspace, me, interaction.with)?;
    let last = merged
        .and_then(|tie| tie.last_contacted)
        .max(Some(interaction.on));
    let interactions = merged
        .and_then(|tie| tie.interactions)
        .unwrap_or(0)
        .saturating_add(1);
    let declared = super::ties::declared_between(connection, workspace, me, interaction.with)?;
    match declared {
        Some(tie) => super::ties::update_listing(
            connection,
            tie.id,
            tie.relationship,
            tie.strength,
            last,
            Some(interactions),
        ),
        None => {
            let relationship = merged
                .and_then(|tie| tie.relationship)
                .unwrap_or(interaction.relationship_if_new);
            super::ties::insert_listing(
                connection,
                workspace,
                me,
                interaction.with,
                Some(relationship),
                None,
                last,
                Some(interactions),
                super::ties::Origin::Request,
            )
            .map(|_| ())
        }
    }
}

fn history(connection: &Connection, id: RequestId) -> Result<Vec<HistoryEntry>, StoreError> {
    let mut statement = connection.prepare_cached(
        "SELECT state, on_day, note FROM request_history WHERE request_id = ?1 ORDER BY id",
    )?;
    let entries = statement
        .query_map([id.0], |row| {
            Ok(HistoryEntry {
                state: state_of(&row.get::<_, String>(0)?)?,
                on: date_of(row.get(1)?)?,
                note: row.get(2)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(entries)
}

const REQUEST_COLUMNS: &str =
    "id, introducer_id, target_id, state, reason, subject, body, edited, created_on, updated_on";

fn read_request(
    connection: &Connection,
    row: &rusqlite::Row<'_>,
) -> Result<StoredRequest, StoreError> {
    let id = RequestId(row.get(0)?);
    Ok(StoredRequest {
        id,
        introducer: PersonId(row.get(1)?),
        target: PersonId(row.get(2)?),
        state: state_of(&row.get::<_, String>(3)?)?,
        reason: row.get(4)?,
        draft: Draft {
            subject: row.get(5)?,
            body: row.get(6)?,
        },
        edited: row.get(7)?,
        created_on: date_of(row.get(8)?)?,
        updated_on: date_of(row.get(9)?)?,
        history: history(connection, id)?,
    })
}

fn insert_history(
    connection: &Connection,
    id: RequestId,
    entry: &HistoryEntry,
) -> Result<(), StoreError> {
    connection.execute(
        "INSERT INTO request_history (request_id, state, on_day, note) VALUES (?1, ?2, ?3, ?4)",
        params![
            id.0,
            entry.state.as_str(),
            date_to_days(entry.on),
            entry.note
        ],
    )?;
    Ok(())
}

impl Store {
    /// Someone other than `me` tied to both `a` and `b` (the middle of a path a → them →
    /// b), the lowest id when several are; read from `a`'s ties, so its cost follows `a`'s
    /// degree.
    ///
    /// # Errors
    /// Fails on a database error.
    pub fn common_contact(
        &self,
        workspace: WorkspaceId,
        me: PersonId,
        a: PersonId,
        b: PersonId,
    ) -> Result<Option<PersonId>, StoreError> {
        let mut statement = self.connection.prepare_cached(
            "WITH near_a(id) AS (
                 SELECT l.contact_id FROM listings l JOIN imports i ON i.id = l.import_id
                 WHERE i.workspace_id = ?1 AND l.owner_id = ?2
                 UNION
                 SELECT l.owner_id FROM listings l JOIN imports i ON i.id = l.import_id
                 WHERE i.workspace_id = ?1 AND l.contact_id = ?2
             ), near_b(id) AS (
                 SELECT l.contact_id FROM listings l JOIN imports i ON i.id = l.import_id
                 WHERE i.workspace_id = ?1 AND l.owner_id = ?3
                 UNION
                 SELECT l.owner_id FROM listings l JOIN imports i ON i.id = l.import_id
                 WHERE i.workspace_id = ?1 AND l.contact_id = ?3
             )
             SELECT id FROM near_a WHERE id IN near_b AND id NOT IN (?2, ?3, ?4)
             ORDER BY id LIMIT 1",
        )?;
        let found = statement
            .query_row(params![workspace.0, a.0, b.0, me.0], |row| row.get(0))
            .optional()?;
        Ok(found.map(PersonId))
    }

    /// The merged tie of two people of the workspace, if any listing ties them.
    ///
    /// # Errors
    /// Fails on a database error.
    pub fn pair_tie(
        &self,
        workspace: WorkspaceId,
        a: PersonId,
        b: PersonId,
    ) -> Result<Option<PairTie>, StoreError> {
        pair_tie(&self.connection, workspace, a, b)
    }

    /// Stores a new request with its first history entry.
    ///
    /// # Errors
    /// [`StoreError::UnknownPerson`] when either person is not of this workspace.
    pub fn insert_request(
        &mut self,
        workspace: WorkspaceId,
        request: &NewRequest,
    ) -> Result<RequestId, StoreError> {
        self.person(workspace, request.introducer)?;
        self.person(workspace, request.target)?;
        let transaction = self.connection.transaction()?;
        let on = date_to_days(request.on);
        transaction.execute(
            "INSERT INTO requests (workspace_id, introducer_id, target_id, state, reason, subject, body, edited, created_on, updated_on)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?8)",
            params![
                workspace.0,
                request.introducer.0,
                request.target.0,
                request.state.as_str(),
                request.reason,
                request.draft.subject,
                request.draft.body,
                on
            ],
        )?;
        let id = RequestId(transaction.last_insert_rowid());
        insert_history(
            &transaction,
            id,
            &HistoryEntry {
                state: request.state,
                on: request.on,
                note: None,
            },
        )?;
        transaction.commit()?;
        Ok(id)
    }

    /// One request of the workspace.
    ///
    /// # Errors
    /// [`StoreError::UnknownRequest`] when it is not a request of this workspace.
    pub fn stored_request(
        &self,
        workspace: WorkspaceId,
        id: RequestId,
    ) -> Result<StoredRequest, StoreError> {
        let sql =
            format!("SELECT {REQUEST_COLUMNS} FROM requests WHERE id = ?1 AND workspace_id = ?2");
        let mut statement = self.connection.prepare_cached(&sql)?;
        let mut rows = statement.query(params![id.0, workspace.0])?;
        match rows.next()? {
            Some(row) => read_request(&self.connection, row),
            None => Err(StoreError::UnknownRequest(id)),
        }
    }

    /// A page of the workspace's requests, newest first, optionally in one state; `before`
    /// is the previous page's cursor (the last id it showed).
    ///
    /// # Errors
    /// Fails on a database error.
    pub fn list_requests(
        &self,
        workspace: WorkspaceId,
        state: Option<State>,
        limit: usize,
        before: Option<i64>,
    ) -> Result<Page<StoredRequest>, StoreError> {
        let sql = format!(
            "SELECT {REQUEST_COLUMNS} FROM requests
             WHERE workspace_id = ?1 AND (?2 IS NULL OR state = ?2) AND id < ?3
             ORDER BY id DESC LIMIT ?4"
        );
        let mut statement = self.connection.prepare_cached(&sql)?;
        let mut rows = statement.query(params![
            workspace.0,
            state.map(State::as_str),
            before.unwrap_or(i64::MAX),
            limit as i64 + 1
        ])?;
        let mut items = Vec::new();
        while let Some(row) = rows.next()? {
            items.push(read_request(&self.connection, row)?);
        }
        let more = items.len() > limit;
        items.truncate(limit);
        Ok(super::lists::page(items, more, |request| request.id.0))
    }

    /// Every request of the workspace in one of `states`, oldest first.
    ///
    /// # Errors
    /// Fails on a database error.
    pub fn requests_in(
        &self,
        workspace: WorkspaceId,
        states: &[State],
    ) -> Result<Vec<StoredRequest>, StoreError> {
        // The states are the machine's own words, never a caller's text.
        let words: Vec<String> = states
            .iter()
            .map(|state| format!("'{}'", state.as_str()))
            .collect();
        let sql = format!(
            "SELECT {REQUEST_COLUMNS} FROM requests
             WHERE workspace_id = ?1 AND state IN ({}) ORDER BY id",
            words.join(", ")
        );
        let mut statement = self.connection.prepare_cached(&sql)?;
        let mut rows = statement.query(params![workspace.0])?;
        let mut found = Vec::new();
        while let Some(row) = rows.next()? {
            found.push(read_request(&self.connection, row)?);
        }
        Ok(found)
    }

    /// Applies a change: the new state and its history entry, the draft, and the
    /// interaction it logs, in one transaction.
    ///
    /// # Errors
    /// [`StoreError::UnknownRequest`]; [`StoreError::Conflict`] when the request is no
    /// longer in the state the caller read.
    pub fn update_request(
        &mut self,
        workspace: WorkspaceId,
        id: RequestId,
        update: &RequestUpdate,
    ) -> Result<(), StoreError> {
        let me = self.me(workspace)?;
        let transaction = self.connection.transaction()?;
        let current: Option<String> = transaction
            .query_row(
                "SELECT state FROM requests WHERE id = ?1 AND workspace_id = ?2",
                params![id.0, workspace.0],
                |row| row.get(0),
            )
            .optional()?;
        let Some(current) = current else {
            return Err(StoreError::UnknownRequest(id));
        };
        if current != update.expected.as_str() {
            return Err(StoreError::Conflict(format!(
                "request {id} changed meanwhile: it is {current} now"
            )));
        }
        if let Some(entry) = &update.entered {
            transaction.execute(
                "UPDATE requests SET state = ?2 WHERE id = ?1",
                params![id.0, entry.state.as_str()],
            )?;
            insert_history(&transaction, id, entry)?;
        }
        if let Some(draft) = &update.draft {
            transaction.execute(
                "UPDATE requests SET subject = ?2, body = ?3 WHERE id = ?1",
                params![id.0, draft.subject, draft.body],
            )?;
        }
        transaction.execute(
            "UPDATE requests SET edited = edited OR ?2, updated_on = ?3 WHERE id = ?1",
            params![id.0, update.edited, date_to_days(update.updated_on)],
        )?;
        if let Some(interaction) = &update.interaction {
            log_interaction(&transaction, workspace, me, interaction)?;
        }
        transaction.commit()?;
        Ok(())
    }

    /// Deletes a request and its history.
    ///
    /// # Errors
    /// [`StoreError::UnknownRequest`] when it is not a request of this workspace.
    pub fn delete_request(
        &mut self,
        workspace: WorkspaceId,
        id: RequestId,
    ) -> Result<(), StoreError> {
        let deleted = self.connection.execute(
            "DELETE FROM requests WHERE id = ?1 AND workspace_id = ?2",
            params![id.0, workspace.0],
        )?;
        if deleted == 0 {
            return Err(StoreError::UnknownRequest(id));
        }
        Ok(())
    }
}

/// Moves `absorbed`'s requests to `kept` (a merge); a request that would then name one
/// person twice, or "me" as introducer or target, is deleted.
pub(crate) fn merge_requests(
    connection: &Connection,
    workspace: WorkspaceId,
    kept: PersonId,
    absorbed: PersonId,
) -> Result<(), StoreError> {
    for column in ["introducer_id", "target_id"] {
        connection.execute(
            &format!("UPDATE requests SET {column} = ?1 WHERE {column} = ?2 AND workspace_id = ?3"),
            params![kept.0, absorbed.0, workspace.0],
        )?;
    }
    connection.execute(
        "DELETE FROM requests WHERE workspace_id = ?1
           AND (introducer_id = target_id
                OR introducer_id = (SELECT me_id FROM workspaces WHERE id = ?1)
                OR target_id = (SELECT me_id FROM workspaces WHERE id = ?1))",
        [workspace.0],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::PersonRef;
    use crate::store::{TieDeclaration, TieId};

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    /// A store with me, Maria (a declared family tie, last contact 2025-10-01), Dana and two
    /// more, all listed by someone else (so me has no tie with Dana).
    fn setup() -> (tempfile::TempDir, Store, WorkspaceId, Vec<PersonId>) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("t.db")).unwrap();
        let workspace = store.workspace("default").unwrap();
        let csv = "name,email\nMaria Lopez,maria@example.com\nDana Ortiz,dana@example.com\nDana O.,dana2@example.com\nEve Adams,eve@example.com\n";
        crate::store::tests::import(
            &mut store,
            workspace,
            csv,
            PersonRef::Email("owner@example.com".into()),
        );
        let people: Vec<PersonId> = ["maria", "dana", "dana2", "eve"]
            .iter()
            .map(|name| {
                store
                    .require_person(workspace, &PersonRef::Email(format!("{name}@example.com")))
                    .unwrap()
            })
            .collect();
        store
            .declare_tie(
                workspace,
                &TieDeclaration {
                    from: PersonRef::Me,
                    to: PersonRef::Id(people[0]),
                    relationship: Relationship::Family,
                    strength: None,
                    last_contacted: Some(day("2025-10-01")),
                    interactions: Some(3),
                },
            )
            .unwrap();
        (dir, store, workspace, people)
    }

    #[test]
    fn a_common_contact_is_someone_else_tied_to_both() {
        let (_dir, mut store, workspace, people) = setup();
        let me = store.me(workspace).unwrap();
        let owner = store
            .require_person(workspace, &PersonRef::Email("owner@example.com".into()))
            .unwrap();
        let (maria, dana, eve) = (people[0], people[1], people[3]);
        assert_eq!(
            store.common_contact(workspace, me, maria, dana).unwrap(),
            Some(owner)
        );
        // Me is tied to Maria and to Eve (declared below), but never counts as the middle.
        store
            .declare_tie(
                workspace,
                &TieDeclaration {
                    from: PersonRef::Me,
                    to: PersonRef::Id(eve),
                    relationship: Relationship::Friend,
                    strength: None,
                    last_contacted: None,
                    interactions: None,
                },
            )
            .unwrap();
        assert_eq!(
            store.common_contact(workspace, owner, maria, eve).unwrap(),
            Some(me)
        );
        assert_eq!(
            store.common_contact(workspace, me, owner, eve).unwrap(),
            None,
            "owner and Eve are tied directly; their only other common tie is me"
        );
        // Another workspace's ties are never read.
        let other = store.create_workspace("other").unwrap();
        assert_eq!(store.common_contact(other, me, maria, dana).unwrap(), None);
    }

    fn new_request(introducer: PersonId, target: PersonId) -> NewRequest {
        NewRequest {
            introducer,
            target,
            state: State::Draft,
            reason: Some("why".into()),
            draft: Draft {
                subject: "s".into(),
                body: "b".into(),
            },
            on: day("2026-01-01"),
        }
    }

    #[test]
    fn a_request_round_trips_and_ids_are_never_reused() {
        let (_dir, mut store, workspace, people) = setup();
        let (maria, dana) = (people[0], people[1]);
        let first = store
            .insert_request(workspace, &new_request(maria, dana))
            .unwrap();
        let read = store.stored_request(workspace, first).unwrap();
        assert_eq!(read.state, State::Draft);
        assert_eq!(read.history.len(), 1);
        assert_eq!(read.history[0].on, day("2026-01-01"));
        assert!(!read.edited);
        store.delete_request(workspace, first).unwrap();
        assert!(matches!(
            store.stored_request(workspace, first),
            Err(StoreError::UnknownRequest(_))
        ));
        assert!(matches!(
            store.delete_request(workspace, first),
            Err(StoreError::UnknownRequest(_))
        ));
        let second = store
            .insert_request(workspace, &new_request(maria, dana))
            .unwrap();
        assert!(second > first);
    }

    #[test]
    fn another_workspace_cannot_see_or_change_a_request() {
        let (_dir, mut store, workspace, people) = setup();
        let (maria, dana) = (people[0], people[1]);
        let id = store
            .insert_request(workspace, &new_request(maria, dana))
            .unwrap();
        let other = store.create_workspace("other").unwrap();
        assert!(store.stored_request(other, id).is_err());
        assert!(store.delete_request(other, id).is_err());
        assert!(
            store
                .list_requests(other, None, 10, None)
                .unwrap()
                .items
                .is_empty()
        );
        assert!(
            store
                .insert_request(other, &new_request(maria, dana))
                .is_err(),
            "people of another workspace"
        );
    }

    #[test]
    fn a_state_change_writes_history_and_logs_the_interaction_on_a_declared_tie() {
        let (_dir, mut store, workspace, people) = setup();
        let (maria, dana) = (people[0], people[1]);
        let me = store.me(workspace).unwrap();
        let id = store
            .insert_request(workspace, &new_request(maria, dana))
            .unwrap();
        let update = RequestUpdate {
            expected: State::Draft,
            entered: Some(HistoryEntry {
                state: State::Asked,
                on: day("2026-01-03"),
                note: Some("by email".into()),
            }),
            draft: None,
            edited: false,
            interaction: Some(Interaction {
                with: maria,
                on: day("2026-01-03"),
                relationship_if_new: Relationship::Acquaintance,
            }),
            updated_on: day("2026-01-03"),
        };
        store.update_request(workspace, id, &update).unwrap();
        let read = store.stored_request(workspace, id).unwrap();
        assert_eq!(read.state, State::Asked);
        assert_eq!(read.history.len(), 2);
        assert_eq!(read.history[1].note.as_deref(), Some("by email"));
        let tie = store.pair_tie(workspace, me, maria).unwrap().unwrap();
        assert_eq!(tie.last_contacted, Some(day("2026-01-03")));
        assert_eq!(tie.interactions, Some(4));
        assert_eq!(tie.relationship, Some(Relationship::Family));
        // The same change again: the request is no longer a draft.
        assert!(matches!(
            store.update_request(workspace, id, &update),
            Err(StoreError::Conflict(_))
        ));
        // A new tie me → Dana, an acquaintance, on meeting her.
        assert!(store.pair_tie(workspace, me, dana).unwrap().is_none());
        let met = RequestUpdate {
            expected: State::Asked,
            entered: None,
            draft: None,
            edited: true,
            interaction: Some(Interaction {
                with: dana,
                on: day("2026-01-02"),
                relationship_if_new: Relationship::Acquaintance,
            }),
            updated_on: day("2026-01-04"),
        };
        store.update_request(workspace, id, &met).unwrap();
        let tie = store.pair_tie(workspace, me, dana).unwrap().unwrap();
        assert_eq!(tie.relationship, Some(Relationship::Acquaintance));
        assert_eq!(tie.interactions, Some(1));
        assert!(store.stored_request(workspace, id).unwrap().edited);
        // Logged through a declared tie, which the change log records.
        let declared = super::super::ties::declared_between(&store.connection, workspace, me, dana)
            .unwrap()
            .unwrap();
        assert!(store.declared_tie(workspace, TieId(declared.id.0)).is_ok());
        let ties = store.ties_of(workspace, me).unwrap();
        let to_dana = ties.iter().find(|tie| tie.person == dana).unwrap();
        assert!(to_dana.sources.iter().all(|source| source.by_request));
        let to_maria = ties.iter().find(|tie| tie.person == maria).unwrap();
        assert!(
            to_maria.sources.iter().all(|source| !source.by_request),
            "the hand-declared tie to Maria took the interaction"
        );
    }

    #[test]
    fn erasing_a_person_deletes_their_requests_and_a_merge_moves_them() {
        let (_dir, mut store, workspace, people) = setup();
        let (maria, dana) = (people[0], people[1]);
        let others = [people[2], people[3]];
        let to_dana = store
            .insert_request(workspace, &new_request(maria, dana))
            .unwrap();
        let to_eve = store
            .insert_request(workspace, &new_request(maria, others[1]))
            .unwrap();
        let to_dana_again = store
            .insert_request(workspace, &new_request(maria, others[0]))
            .unwrap();
        store.merge_people(workspace, dana, others[0]).unwrap();
        assert_eq!(
            store
                .stored_request(workspace, to_dana_again)
                .unwrap()
                .target,
            dana
        );
        // Merging the target into the introducer leaves a request naming one person twice.
        store.merge_people(workspace, maria, dana).unwrap();
        assert!(store.stored_request(workspace, to_dana).is_err());
        store.erase_person(workspace, others[1]).unwrap();
        assert!(store.stored_request(workspace, to_eve).is_err());
        let rows: i64 = store
            .connection
            .query_row("SELECT count(*) FROM request_history", [], |row| row.get(0))
            .unwrap();
        assert_eq!(rows, 0, "history goes with its request");
    }

    #[test]
    fn pages_are_newest_first_and_filter_by_state() {
        let (_dir, mut store, workspace, people) = setup();
        let (maria, dana) = (people[0], people[1]);
        let ids: Vec<RequestId> = (0..5)
            .map(|_| {
                store
                    .insert_request(workspace, &new_request(maria, dana))
                    .unwrap()
            })
            .collect();
        let first = store.list_requests(workspace, None, 2, None).unwrap();
        assert_eq!(
            first.items.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![ids[4], ids[3]]
        );
        let second = store
            .list_requests(workspace, None, 2, first.next_cursor)
            .unwrap();
        assert_eq!(second.items[0].id, ids[2]);
        let last = store
            .list_requests(workspace, None, 2, Some(ids[1].0))
            .unwrap();
        assert_eq!(last.items.len(), 1);
        assert_eq!(last.next_cursor, None);
        assert!(
            store
                .list_requests(workspace, Some(State::Asked), 10, None)
                .unwrap()
                .items
                .is_empty()
        );
        assert_eq!(
            store.requests_in(workspace, &[State::Draft]).unwrap().len(),
            5
        );
    }
}
