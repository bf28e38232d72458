//! Writing what an import resolved: its listings while rows are still being resolved,
//! [`LISTINGS_PER_STATEMENT`] rows a statement ([`ListingWriter`]), and at the end the people
//! it created or changed (classified on every core) and the keys they hold.

use rayon::prelude::*;
use rusqlite::{Transaction, params};

use crate::identity::PersonId;
use crate::identity::resolve::{ListingRow, Pending, Resolution};
use crate::relationship::Relationship;
use crate::store::{ImportId, StoreError, WorkspaceId, date_to_days, now_text};
use crate::taxonomy::Taxonomy;

/// Listings written by one statement.
pub(super) const LISTINGS_PER_STATEMENT: usize = 64;

/// Writes listings of one import, many rows a statement; a pair listed again in the same
/// file keeps the first relationship, the latest dates and the largest counts.
pub(super) struct ListingWriter<'t> {
    import_id: ImportId,
    /// The statement that writes a full batch, kept prepared.
    full: Option<rusqlite::CachedStatement<'t>>,
}

impl<'t> ListingWriter<'t> {
    pub(super) fn new(import_id: ImportId) -> ListingWriter<'t> {
        ListingWriter {
            import_id,
            full: None,
        }
    }

    pub(super) fn write(
        &mut self,
        transaction: &'t Transaction<'_>,
        batch: &[ListingRow],
    ) -> Result<(), StoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        // The full batch's statement text is made once (a statement is looked up in the
        // cache by its text).
        static FULL: std::sync::LazyLock<String> =
            std::sync::LazyLock::new(|| upsert_listings_sql(LISTINGS_PER_STATEMENT));
        let mut partial;
        let statement = if batch.len() == LISTINGS_PER_STATEMENT {
            match &mut self.full {
                Some(statement) => statement,
                empty => empty.insert(transaction.prepare_cached(FULL.as_str())?),
            }
        } else {
            partial = transaction.prepare_cached(&upsert_listings_sql(batch.len()))?;
            &mut partial
        };
        let mut index = 1;
        for (owner, contact, listing) in batch {
            let values: [&dyn rusqlite::ToSql; 7] = [
                &owner.0,
                &contact.0,
                &listing.relationship.map(Relationship::as_str),
                &listing.last_contacted.map(date_to_days),
                &listing.connected_on.map(date_to_days),
                &listing.interactions,
                &listing.strength,
            ];
            for value in values {
                statement.raw_bind_parameter(index, value)?;
                index += 1;
            }
        }
        statement.raw_bind_parameter(index, self.import_id)?;
        statement.raw_execute()?;
        Ok(())
    }
}

/// The statement that writes `rows` listings of one import (bound last).
fn upsert_listings_sql(rows: usize) -> String {
    let import = rows * 7 + 1;
    let mut sql = String::from(
        "INSERT INTO listings (import_id, owner_id, contact_id, relationship, last_contacted, connected_on, interactions, strength) VALUES ",
    );
    for row in 0..rows {
        let first = row * 7 + 1;
        if row > 0 {
            sql.push(',');
        }
        sql.push_str(&format!(
            "(?{import}, ?{}, ?{}, ?{}, ?{}, ?{}, ?{}, ?{})",
            first,
            first + 1,
            first + 2,
            first + 3,
            first + 4,
            first + 5,
            first + 6
        ));
    }
    sql.push_str(
        " ON CONFLICT (import_id, owner_id, contact_id) DO UPDATE SET
           relationship = COALESCE(relationship, excluded.relationship),
           last_contacted = COALESCE(max(last_contacted, excluded.last_contacted), last_contacted, excluded.last_contacted),
           connected_on = COALESCE(max(connected_on, excluded.connected_on), connected_on, excluded.connected_on),
           interactions = COALESCE(max(interactions, excluded.interactions), interactions, excluded.interactions),
           strength = COALESCE(max(strength, excluded.strength), strength, excluded.strength)",
    );
    sql
}

/// Writes the people this import created or changed and their keys.
pub(super) fn write_people(
    transaction: &Transaction<'_>,
    workspace: WorkspaceId,
    import_id: ImportId,
    resolution: &Resolution,
) -> Result<(), StoreError> {
    let now = now_text();
    let mut people: Vec<(&PersonId, &Pending)> = resolution
        .pending
        .iter()
        .filter(|(_, p)| p.changed)
        .collect();
    people.par_sort_unstable_by_key(|(id, _)| **id);
    let fields = classify(&people);
    let mut insert = transaction.prepare_cached(
        "INSERT INTO people (id, workspace_id, name, company, title, fields, evidence, fields_overridden, origin_import, created_at, name_key, company_key, department)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, warmpath_name_key(?3), warmpath_company_key(?4), ?11)",
    )?;
    let mut update = transaction.prepare_cached(
        "UPDATE people SET name = ?2, company = ?3, title = ?4,
            fields = CASE WHEN ?7 THEN ?5 ELSE fields END,
            evidence = CASE WHEN ?7 THEN ?6 ELSE evidence END,
            fields_overridden = ?8, department = ?9
         WHERE id = ?1",
    )?;
    for ((person, pending), (fields, evidence, recompute)) in people.iter().zip(fields) {
        if pending.is_new {
            let (fields, evidence) = if recompute {
                (fields, evidence)
            } else {
                ("[]".to_string(), "[]".to_string())
            };
            insert.execute(params![
                person.0,
                workspace.0,
                pending.name,
                pending.company,
                pending.title,
                fields,
                evidence,
                pending.fields_overridden,
                import_id,
                now,
                pending.department
            ])?;
        } else {
            update.execute(params![
                person.0,
                pending.name,
                pending.company,
                pending.title,
                fields,
                evidence,
                recompute,
                pending.fields_overridden,
                pending.department
            ])?;
        }
    }
    drop((insert, update));
    write_keys(transaction, workspace, resolution)
}

/// Each person's fields and evidence as JSON, and whether to write them: explicit fields
/// as given, none for fields corrected by hand, else the taxonomy's classification.
/// Classification is pure and per person: every core does its share first.
fn classify(people: &[(&PersonId, &Pending)]) -> Vec<(String, String, bool)> {
    let taxonomy = Taxonomy::embedded();
    people
        .par_iter()
        .map(
            |(_, pending)| match (&pending.explicit_fields, pending.fields_overridden) {
                (Some(explicit), _) => (json(explicit), "[]".to_string(), true),
                (None, true) => (String::new(), String::new(), false),
                (None, false) => {
                    let classification = taxonomy.classify_in_department(
                        pending.title.as_deref().unwrap_or(""),
                        pending.company.as_deref().unwrap_or(""),
                        pending.department.as_deref(),
                        pending.email.as_deref(),
                    );
                    (
                        json(&classification.fields),
                        json(&classification.evidence),
                        true,
                    )
                }
            },
        )
        .collect()
}

/// Inserts every key the directory now holds that the store does not, in key order
/// (the order of their table).
fn write_keys(
    transaction: &Transaction<'_>,
    workspace: WorkspaceId,
    resolution: &Resolution,
) -> Result<(), StoreError> {
    // Each key with its first 16 bytes beside it, so that sorting a million of them
    // rarely has to follow a pointer.
    let prefixed = |key: &str| {
        let mut prefix = [0u8; 16];
        let bytes = key.as_bytes();
        let len = bytes.len().min(16);
        prefix[..len].copy_from_slice(&bytes[..len]);
        u128::from_be_bytes(prefix)
    };
    let mut emails: Vec<(u128, &str, PersonId)> = Vec::new();
    let mut urls: Vec<(u128, &str, PersonId)> = Vec::new();
    for person in resolution.pending.keys() {
        if let Some(identity) = resolution.directory.identity(*person) {
            emails.extend(
                identity
                    .emails
                    .iter()
                    .map(|email| (prefixed(email), email.as_str(), *person)),
            );
            urls.extend(
                identity
                    .profile_urls
                    .iter()
                    .map(|url| (prefixed(url), url.as_str(), *person)),
            );
        }
    }
    // In person order: each insert checks its person exists (a foreign key), and
    // those checks then walk the people table once instead of seeking all over it.
    emails.par_sort_unstable_by_key(|&(prefix, _, person)| (person, prefix));
    urls.par_sort_unstable_by_key(|&(prefix, _, person)| (person, prefix));
    let mut email = transaction.prepare_cached(
        "INSERT OR IGNORE INTO person_emails (workspace_id, email, person_id) VALUES (?1, ?2, ?3)",
    )?;
    for (_, address, person) in emails {
        email.execute(params![workspace.0, address, person.0])?;
    }
    let mut url = transaction.prepare_cached(
        "INSERT OR IGNORE INTO person_urls (workspace_id, url, person_id) VALUES (?1, ?2, ?3)",
    )?;
    for (_, profile, person) in urls {
        url.execute(params![workspace.0, profile, person.0])?;
    }
    Ok(())
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".to_string())
}
