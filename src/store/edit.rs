//! Corrections a user makes by hand: patching a person, merging two people, erasing a
//! person, and withdrawing an import. Each is one transaction.
//!
//! **Invariant:** every statement filters by workspace, so a person or import id from
//! another workspace is "unknown" here, never read nor changed.

use rusqlite::{OptionalExtension, Transaction, params};

use super::people::{merge_into, suppression_hash};
use super::{ImportId, Person, Store, StoreError, WorkspaceId};
use crate::identity::{PersonId, normalize};
use crate::taxonomy::Taxonomy;

/// What `PATCH /v1/people/{id}` may correct; `None` leaves a value as it is, and an empty
/// company or title clears it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonPatch {
    pub name: Option<String>,
    pub emails: Option<Vec<String>>,
    pub fields: Option<Vec<String>>,
    pub title: Option<String>,
    pub company: Option<String>,
}

impl Store {
    /// Corrects a person. Fields set here override classification from then on; a new
    /// title or company reclassifies a person whose fields were never set by hand.
    ///
    /// # Errors
    /// [`StoreError::UnknownPerson`]; [`StoreError::Invalid`] for an empty name, a bad
    /// email or an unknown field; [`StoreError::Conflict`] for an email someone else holds.
    pub fn patch_person(
        &mut self,
        workspace: WorkspaceId,
        person: PersonId,
        patch: &PersonPatch,
    ) -> Result<Person, StoreError> {
        self.person(workspace, person)?;
        let transaction = self.connection.transaction()?;
        if let Some(name) = &patch.name {
            let name = name.trim();
            if name.is_empty() {
                return Err(StoreError::Invalid("name cannot be empty".to_string()));
            }
            transaction.execute(
                "UPDATE people SET name = ?1 WHERE id = ?2",
                params![name, person.0],
            )?;
        }
        for (column, value) in [("title", &patch.title), ("company", &patch.company)] {
            if let Some(value) = value {
                let value = Some(value.trim()).filter(|value| !value.is_empty());
                transaction.execute(
                    &format!("UPDATE people SET {column} = ?1 WHERE id = ?2"),
                    params![value, person.0],
                )?;
                if column == "company" {
                    // The department belonged to the company a file gave.
                    transaction.execute(
                        "UPDATE people SET department = NULL WHERE id = ?1",
                        [person.0],
                    )?;
                }
            }
        }
        if let Some(emails) = &patch.emails {
            replace_emails(&transaction, workspace, person, emails)?;
        }
        match &patch.fields {
            Some(fields) => set_fields(&transaction, person, fields)?,
            None if patch.title.is_some() || patch.company.is_some() || patch.emails.is_some() => {
                reclassify(&transaction, person)?
            }
            None => {}
        }
        transaction.commit()?;
        self.person(workspace, person)
    }

    /// Merges `absorbed` into `kept`: keys, ties and imports move to `kept`, and `absorbed`
    /// is gone. A hand merge is the user's call, so conflicting emails do not stop it.
    ///
    /// # Errors
    /// [`StoreError::UnknownPerson`] for either; [`StoreError::Conflict`] for a person merged
    /// with themself or "me" merged into someone else.
    pub fn merge_people(
        &mut self,
        workspace: WorkspaceId,
        kept: PersonId,
        absorbed: PersonId,
    ) -> Result<Person, StoreError> {
        self.person(workspace, kept)?;
        self.person(workspace, absorbed)?;
        if kept == absorbed {
            return Err(StoreError::Conflict(
                "a person cannot be merged with themself".to_string(),
            ));
        }
        if absorbed == self.me(workspace)? {
            return Err(StoreError::Conflict(
                "\"me\" can only be merged into, not away: merge the other person into me"
                    .to_string(),
            ));
        }
        let transaction = self.connection.transaction()?;
        merge_into(&transaction, workspace, kept, absorbed)?;
        remove_empty_declared_ties(&transaction, workspace)?;
        reclassify(&transaction, kept)?;
        transaction.commit()?;
        self.person(workspace, kept)
    }

    /// Erases a person everywhere: their keys, their ties, the lists they own (and the
    /// people only those lists brought in). Their email, profile URL and name + company
    /// stay only as hashes in the suppression list, so later imports skip them.
    ///
    /// # Errors
    /// [`StoreError::UnknownPerson`]; [`StoreError::Conflict`] for "me".
    pub fn erase_person(
        &mut self,
        workspace: WorkspaceId,
        person: PersonId,
    ) -> Result<(), StoreError> {
        let erased = self.person(workspace, person)?;
        let me = self.me(workspace)?;
        if person == me {
            return Err(StoreError::Conflict("\"me\" cannot be erased".to_string()));
        }
        let transaction = self.connection.transaction()?;
        let mut hashes: Vec<String> = erased
            .emails
            .iter()
            .map(|email| suppression_hash(workspace, "email", email))
            .collect();
        let mut statement =
            transaction.prepare("SELECT url FROM person_urls WHERE person_id = ?1")?;
        for url in statement.query_map([person.0], |row| row.get::<_, String>(0))? {
            hashes.push(suppression_hash(workspace, "url", &url?));
        }
        drop(statement);
        let name = normalize::name(&erased.name);
        let company = erased
            .company
            .as_deref()
            .map(normalize::company)
            .unwrap_or_default();
        if !name.is_empty() && !company.is_empty() {
            let key = format!("{name}\u{1f}{company}");
            hashes.push(suppression_hash(workspace, "name_company", &key));
        }
        if !name.is_empty() {
            hashes.push(suppression_hash(workspace, "name", &name));
        }
        for hash in &hashes {
            transaction.execute(
                "INSERT OR IGNORE INTO suppressions (workspace_id, hash) VALUES (?1, ?2)",
                params![workspace.0, hash],
            )?;
        }
        let owned: Vec<ImportId> = {
            let mut statement = transaction
                .prepare("SELECT id FROM imports WHERE owner_id = ?1 AND workspace_id = ?2")?;
            statement
                .query_map(params![person.0, workspace.0], |row| row.get(0))?
                .collect::<Result<_, _>>()?
        };
        transaction.execute(
            "DELETE FROM listings WHERE owner_id = ?1 OR contact_id = ?1",
            [person.0],
        )?;
        transaction.execute("DELETE FROM people WHERE id = ?1", [person.0])?;
        for import in owned {
            transaction.execute("DELETE FROM imports WHERE id = ?1", [import])?;
            remove_orphans(&transaction, workspace, import, me)?;
        }
        remove_empty_declared_ties(&transaction, workspace)?;
        transaction.commit()?;
        self.flush_log();
        Ok(())
    }

    /// Moves the write-ahead log into the database and empties it, so what an erasure
    /// deleted (overwritten in the database by `secure_delete`) is not left in the log
    /// either. Readers still on an older snapshot can keep a checkpoint from finishing;
    /// it is tried a few times, then left to SQLite's next automatic checkpoint.
    fn flush_log(&self) {
        for attempt in 0..20 {
            let busy: rusqlite::Result<i64> =
                self.connection
                    .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0));
            match busy {
                Ok(0) => return,
                Ok(_) => std::thread::sleep(std::time::Duration::from_millis(5 * (attempt + 1))),
                Err(error) => {
                    tracing::warn!(error = %error, "cannot checkpoint the write-ahead log");
                    return;
                }
            }
        }
        tracing::warn!(
            "the write-ahead log could not be emptied after an erasure: readers held it"
        );
    }

    /// Withdraws an import: its ties go, and so do the people only it brought in.
    ///
    /// # Errors
    /// [`StoreError::UnknownImport`] when it is not an import of this workspace.
    pub fn withdraw_import(
        &mut self,
        workspace: WorkspaceId,
        import: ImportId,
    ) -> Result<(), StoreError> {
        let me = self.me(workspace)?;
        let transaction = self.connection.transaction()?;
        let deleted = transaction.execute(
            "DELETE FROM imports WHERE id = ?1 AND workspace_id = ?2 AND format != 'manual'",
            params![import, workspace.0],
        )?;
        if deleted == 0 {
            return Err(StoreError::UnknownImport(import));
        }
        remove_orphans(&transaction, workspace, import, me)?;
        transaction.commit()?;
        Ok(())
    }
}

/// People an import brought in that nothing lists or owns any more are removed.
fn remove_orphans(
    transaction: &Transaction<'_>,
    workspace: WorkspaceId,
    import: ImportId,
    me: PersonId,
) -> Result<(), StoreError> {
    transaction.execute(
        "DELETE FROM people WHERE workspace_id = ?1 AND origin_import = ?2 AND id != ?3
           AND NOT EXISTS (SELECT 1 FROM listings WHERE owner_id = people.id OR contact_id = people.id)
           AND NOT EXISTS (SELECT 1 FROM imports WHERE owner_id = people.id)",
        params![workspace.0, import, me.0],
    )?;
    Ok(())
}

/// A declared tie whose listing went (its person erased, or merged into the other side)
/// goes too.
pub(super) fn remove_empty_declared_ties(
    transaction: &Transaction<'_>,
    workspace: WorkspaceId,
) -> Result<(), StoreError> {
    transaction.execute(
        "DELETE FROM imports WHERE workspace_id = ?1 AND format = 'manual'
           AND NOT EXISTS (SELECT 1 FROM listings WHERE import_id = imports.id)",
        [workspace.0],
    )?;
    Ok(())
}

fn replace_emails(
    transaction: &Transaction<'_>,
    workspace: WorkspaceId,
    person: PersonId,
    emails: &[String],
) -> Result<(), StoreError> {
    transaction.execute("DELETE FROM person_emails WHERE person_id = ?1", [person.0])?;
    for raw in emails {
        let email = normalize::email(raw)
            .ok_or_else(|| StoreError::Invalid(format!("{raw:?} is not an email")))?;
        super::people::refuse_erased_email(transaction, workspace, &email)?;
        match super::people::email_holder(transaction, workspace, &email)? {
            Some(holder) if holder == person.0 => {}
            Some(holder) => {
                return Err(StoreError::Conflict(format!(
                    "{email} belongs to person {holder}; merge the two people instead"
                )));
            }
            None => {
                transaction.execute(
                    "INSERT INTO person_emails (workspace_id, email, person_id) VALUES (?1, ?2, ?3)",
                    params![workspace.0, email, person.0],
                )?;
            }
        }
    }
    Ok(())
}

fn set_fields(
    transaction: &Transaction<'_>,
    person: PersonId,
    fields: &[String],
) -> Result<(), StoreError> {
    let taxonomy = Taxonomy::embedded();
    let mut ids: Vec<String> = Vec::with_capacity(fields.len());
    for field in fields {
        let idx = taxonomy.field(field.trim()).ok_or_else(|| {
            StoreError::Invalid(format!("no field {field:?}; GET /v1/fields lists them"))
        })?;
        let id = taxonomy.get(idx).id.clone();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let json = serde_json::to_string(&ids)
        .map_err(|error| StoreError::internal("fields do not serialise", error))?;
    transaction.execute(
        "UPDATE people SET fields = ?1, evidence = '[]', fields_overridden = 1 WHERE id = ?2",
        params![json, person.0],
    )?;
    Ok(())
}

/// Classifies a person again from their title, company and first email, unless their
/// fields were set by hand or by a file's `field` column.
fn reclassify(transaction: &Transaction<'_>, person: PersonId) -> Result<(), StoreError> {
    let (title, company, overridden, department): (
        Option<String>,
        Option<String>,
        bool,
        Option<String>,
    ) = transaction.query_row(
        "SELECT title, company, fields_overridden, department FROM people WHERE id = ?1",
        [person.0],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
    )?;
    if overridden {
        return Ok(());
    }
    let email: Option<String> = transaction
        .query_row(
            "SELECT MIN(email) FROM person_emails WHERE person_id = ?1",
            [person.0],
            |row| row.get(0),
        )
        .optional()?
        .flatten();
    let classification = Taxonomy::embedded().classify_in_department(
        title.as_deref().unwrap_or(""),
        company.as_deref().unwrap_or(""),
        department.as_deref(),
        email.as_deref(),
    );
    transaction.execute(
        "UPDATE people SET fields = ?1, evidence = ?2 WHERE id = ?3",
        params![
            json(&classification.fields),
            json(&classification.evidence),
            person.0
        ],
    )?;
    Ok(())
}

/// JSON text of a list, "[]" if that ever fails (it does not for these types).
fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".to_string())
}
