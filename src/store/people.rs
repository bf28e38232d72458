//! People: reading one, finding one by reference, loading a workspace's directory, and
//! changing "me".

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError, WorkspaceId};
use crate::identity::resolve::StoredPeople;
use crate::identity::{Directory, Identity, PersonId, PersonRef, normalize};

/// One person as every body of the API and the CLI shows them.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Person {
    #[schema(value_type = i64)]
    pub id: PersonId,
    pub name: String,
    pub emails: Vec<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    /// Field ids, e.g. `finance/venture-capital`.
    pub fields: Vec<String>,
}

impl Store {
    /// One person of a workspace.
    ///
    /// # Errors
    /// [`StoreError::UnknownPerson`] when the id is not a person of this workspace.
    pub fn person(&self, workspace: WorkspaceId, id: PersonId) -> Result<Person, StoreError> {
        let found = self
            .connection
            .query_row(
                "SELECT name, company, title, fields FROM people WHERE id = ?1 AND workspace_id = ?2",
                params![id.0, workspace.0],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, Option<String>>(1)?,
                        row.get::<_, Option<String>>(2)?,
                        row.get::<_, String>(3)?,
                    ))
                },
            )
            .optional()?;
        let Some((name, company, title, fields)) = found else {
            return Err(StoreError::UnknownPerson(id.to_string()));
        };
        let mut statement = self.connection.prepare_cached(
            "SELECT email FROM person_emails WHERE person_id = ?1 ORDER BY email",
        )?;
        let emails = statement
            .query_map([id.0], |row| row.get(0))?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(Person {
            id,
            name,
            emails,
            company,
            title,
            fields: serde_json::from_str(&fields).unwrap_or_default(),
        })
    }

    /// The person a reference names, if they exist in this workspace.
    ///
    /// # Errors
    /// Fails on a database error.
    pub fn find_person(
        &self,
        workspace: WorkspaceId,
        reference: &PersonRef,
    ) -> Result<Option<PersonId>, StoreError> {
        let id: Option<i64> = match reference {
            PersonRef::Me => Some(self.me(workspace)?.0),
            PersonRef::Id(id) => self
                .connection
                .query_row(
                    "SELECT id FROM people WHERE id = ?1 AND workspace_id = ?2",
                    params![id.0, workspace.0],
                    |row| row.get(0),
                )
                .optional()?,
            PersonRef::Email(email) => email_holder(&self.connection, workspace, email)?,
            PersonRef::ProfileUrl(url) => self
                .connection
                .query_row(URL_HOLDER, params![workspace.0, url], |row| row.get(0))
                .optional()?,
        };
        Ok(id.map(PersonId))
    }

    /// Like [`Store::find_person`], but a missing person is an error naming the reference.
    ///
    /// # Errors
    /// [`StoreError::UnknownPerson`] when nobody matches.
    pub fn require_person(
        &self,
        workspace: WorkspaceId,
        reference: &PersonRef,
    ) -> Result<PersonId, StoreError> {
        self.find_person(workspace, reference)?
            .ok_or_else(|| StoreError::UnknownPerson(describe(reference)))
    }

    /// Whether a reference names an erased person: an email or profile URL on the
    /// suppression list that nobody in the workspace holds now. `me` and ids never do (an
    /// erased id is simply unknown).
    ///
    /// # Errors
    /// Fails on a database error.
    pub fn is_suppressed_ref(
        &self,
        workspace: WorkspaceId,
        reference: &PersonRef,
    ) -> Result<bool, StoreError> {
        let hash = match reference {
            PersonRef::Me | PersonRef::Id(_) => return Ok(false),
            PersonRef::Email(email) => suppression_hash(workspace, "email", email),
            PersonRef::ProfileUrl(url) => suppression_hash(workspace, "url", url),
        };
        let listed: bool = self.connection.query_row(
            "SELECT EXISTS (SELECT 1 FROM suppressions WHERE workspace_id = ?1 AND hash = ?2)",
            params![workspace.0, hash],
            |row| row.get(0),
        )?;
        Ok(listed && self.find_person(workspace, reference)?.is_none())
    }

    /// Refuses a reference that names an erased person, so that naming them (as an
    /// import's owner or a tie's end) never brings them back.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] saying the person was erased; a database error.
    pub fn refuse_erased(
        &self,
        workspace: WorkspaceId,
        reference: &PersonRef,
    ) -> Result<(), StoreError> {
        if self.is_suppressed_ref(workspace, reference)? {
            return Err(StoreError::Conflict(format!(
                "{} names a person who was erased; an erased person stays erased",
                describe(reference)
            )));
        }
        Ok(())
    }

    /// Sets "me"'s name and adds emails, so that other people's lists that contain you merge
    /// with you. An email that already belongs to someone imported earlier merges that
    /// person into "me".
    ///
    /// # Errors
    /// [`StoreError::Invalid`] for an email that does not look like one.
    pub fn set_me(
        &mut self,
        workspace: WorkspaceId,
        name: Option<&str>,
        emails: &[String],
    ) -> Result<Person, StoreError> {
        let me = self.me(workspace)?;
        let transaction = self.connection.transaction()?;
        if let Some(name) = name.map(str::trim).filter(|name| !name.is_empty()) {
            transaction.execute(
                "UPDATE people SET name = ?1 WHERE id = ?2",
                params![name, me.0],
            )?;
        }
        for raw in emails {
            let email = normalize::email(raw)
                .ok_or_else(|| StoreError::Invalid(format!("{raw:?} is not an email")))?;
            refuse_erased_email(&transaction, workspace, &email)?;
            match email_holder(&transaction, workspace, &email)? {
                Some(holder) if holder == me.0 => {}
                Some(holder) => merge_into(&transaction, workspace, me, PersonId(holder))?,
                None => {
                    transaction.execute(
                        "INSERT INTO person_emails (workspace_id, email, person_id) VALUES (?1, ?2, ?3)",
                        params![workspace.0, email, me.0],
                    )?;
                }
            }
        }
        transaction.commit()?;
        self.person(workspace, me)
    }

    /// Loads a workspace's people, in one pass: an identity directory, and for each person
    /// what an import may update (name, company, title, whether fields were corrected).
    pub(crate) fn load_directory(
        connection: &rusqlite::Connection,
        workspace: WorkspaceId,
    ) -> Result<(Directory, StoredPeople), StoreError> {
        let mut identities: std::collections::HashMap<i64, Identity> =
            std::collections::HashMap::new();
        let mut stored = StoredPeople::default();
        let mut statement = connection.prepare(
            "SELECT id, name, company, title, fields_overridden, department FROM people WHERE workspace_id = ?1",
        )?;
        let mut rows = statement.query([workspace.0])?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let name: String = row.get(1)?;
            let company: Option<String> = row.get(2)?;
            identities.insert(
                id,
                Identity {
                    name: normalize::name(&name),
                    company: company
                        .as_deref()
                        .map(normalize::company)
                        .unwrap_or_default(),
                    ..Identity::default()
                },
            );
            stored.insert(
                PersonId(id),
                (name, company, row.get(3)?, row.get(4)?, row.get(5)?),
            );
        }
        for (table, column) in [("person_emails", "email"), ("person_urls", "url")] {
            let sql = format!("SELECT person_id, {column} FROM {table} WHERE workspace_id = ?1");
            let mut statement = connection.prepare(&sql)?;
            let mut rows = statement.query([workspace.0])?;
            while let Some(row) = rows.next()? {
                let person: i64 = row.get(0)?;
                let key: String = row.get(1)?;
                if let Some(identity) = identities.get_mut(&person) {
                    if column == "email" {
                        identity.emails.push(key)
                    } else {
                        identity.profile_urls.push(key)
                    }
                }
            }
        }
        let mut directory = Directory::new();
        for (id, identity) in identities {
            directory.upsert(PersonId(id), identity);
        }
        Ok((directory, stored))
    }
}

/// Who holds an email (already normalised) in a workspace: the one query every write that
/// adds or looks up an email asks.
pub(crate) const EMAIL_HOLDER: &str =
    "SELECT person_id FROM person_emails WHERE workspace_id = ?1 AND email = ?2";

/// Who holds a profile URL (already normalised) in a workspace.
pub(crate) const URL_HOLDER: &str =
    "SELECT person_id FROM person_urls WHERE workspace_id = ?1 AND url = ?2";

/// Refuses to give anyone an email of an erased person (an erased person stays erased,
/// whoever the email would go to).
pub(crate) fn refuse_erased_email(
    connection: &rusqlite::Connection,
    workspace: WorkspaceId,
    email: &str,
) -> Result<(), StoreError> {
    let hash = suppression_hash(workspace, "email", email);
    let erased: bool = connection.query_row(
        "SELECT EXISTS (SELECT 1 FROM suppressions WHERE workspace_id = ?1 AND hash = ?2)",
        params![workspace.0, hash],
        |row| row.get(0),
    )?;
    if erased {
        return Err(StoreError::Conflict(format!(
            "{email} belonged to a person who was erased; an erased person stays erased"
        )));
    }
    Ok(())
}

/// The person holding an email in a workspace, if anyone does.
pub(crate) fn email_holder(
    connection: &rusqlite::Connection,
    workspace: WorkspaceId,
    email: &str,
) -> Result<Option<i64>, StoreError> {
    Ok(connection
        .prepare_cached(EMAIL_HOLDER)?
        .query_row(params![workspace.0, email], |row| row.get(0))
        .optional()?)
}

/// Reads again the people `ids` names into a directory and what an import may update of
/// them: the store's current state, or nobody when they are gone. Everyone is removed
/// before anyone is added back, so an email that moved between two of them follows it.
pub(crate) fn refresh_people(
    connection: &rusqlite::Connection,
    workspace: WorkspaceId,
    ids: &[i64],
    directory: &mut Directory,
    stored: &mut StoredPeople,
) -> Result<(), StoreError> {
    for &id in ids {
        directory.remove(PersonId(id));
        stored.remove(&PersonId(id));
    }
    let mut person = connection.prepare_cached(
        "SELECT name, company, title, fields_overridden, department FROM people WHERE id = ?1 AND workspace_id = ?2",
    )?;
    let mut emails =
        connection.prepare_cached("SELECT email FROM person_emails WHERE person_id = ?1")?;
    let mut urls = connection.prepare_cached("SELECT url FROM person_urls WHERE person_id = ?1")?;
    for &id in ids {
        let Some((name, company, title, overridden, department)) = person
            .query_row(params![id, workspace.0], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, Option<String>>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, bool>(3)?,
                    row.get::<_, Option<String>>(4)?,
                ))
            })
            .optional()?
        else {
            continue;
        };
        let identity = Identity {
            name: normalize::name(&name),
            company: company
                .as_deref()
                .map(normalize::company)
                .unwrap_or_default(),
            emails: emails
                .query_map([id], |row| row.get(0))?
                .collect::<Result<_, _>>()?,
            profile_urls: urls
                .query_map([id], |row| row.get(0))?
                .collect::<Result<_, _>>()?,
        };
        directory.upsert(PersonId(id), identity);
        stored.insert(PersonId(id), (name, company, title, overridden, department));
    }
    Ok(())
}

/// Moves everything of `absorbed` onto `kept` and deletes `absorbed`: keys, listings on
/// either side (a listing that would tie `kept` to itself is dropped), imports it owned.
pub(crate) fn merge_into(
    transaction: &rusqlite::Transaction<'_>,
    workspace: WorkspaceId,
    kept: PersonId,
    absorbed: PersonId,
) -> Result<(), StoreError> {
    for table in ["person_emails", "person_urls"] {
        transaction.execute(
            &format!(
                "UPDATE {table} SET person_id = ?1 WHERE person_id = ?2 AND workspace_id = ?3"
            ),
            params![kept.0, absorbed.0, workspace.0],
        )?;
    }
    for column in ["owner_id", "contact_id"] {
        transaction.execute(
            &format!("UPDATE OR IGNORE listings SET {column} = ?1 WHERE {column} = ?2"),
            params![kept.0, absorbed.0],
        )?;
        transaction.execute(
            &format!("DELETE FROM listings WHERE {column} = ?1"),
            [absorbed.0],
        )?;
    }
    transaction.execute(
        "DELETE FROM listings WHERE owner_id = ?1 AND contact_id = ?1",
        [kept.0],
    )?;
    transaction.execute(
        "UPDATE imports SET owner_id = ?1 WHERE owner_id = ?2",
        params![kept.0, absorbed.0],
    )?;
    transaction.execute(
        "UPDATE people SET company = COALESCE(company, (SELECT company FROM people WHERE id = ?2)),
                           title = COALESCE(title, (SELECT title FROM people WHERE id = ?2))
         WHERE id = ?1",
        params![kept.0, absorbed.0],
    )?;
    super::requests::merge_requests(transaction, workspace, kept, absorbed)?;
    transaction.execute("DELETE FROM people WHERE id = ?1", [absorbed.0])?;
    Ok(())
}

/// The suppression-list hash of one identifying key: workspace-scoped SHA-256, so the
/// list never holds an erased person's identifiers in the clear.
pub(crate) fn suppression_hash(workspace: WorkspaceId, kind: &str, key: &str) -> String {
    crate::identity::suppressions::suppression_hash(workspace.0, kind, key)
}

pub(crate) fn describe(reference: &PersonRef) -> String {
    match reference {
        PersonRef::Me => "me".to_string(),
        PersonRef::Id(id) => id.to_string(),
        PersonRef::Email(email) => email.clone(),
        PersonRef::ProfileUrl(url) => url.clone(),
    }
}
