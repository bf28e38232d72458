//! Applying one contact list: resolve every row to people, write people, keys and
//! listings, all in one transaction, and report what happened.
//!
//! **Invariant:** an import is applied whole or not at all. With `on_error=reject` a file
//! with any bad line writes nothing; the same bytes for the same owner are applied once.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use rayon::prelude::*;
use rusqlite::{OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

use super::people::{describe, suppression_hash};
use super::{Store, StoreError, WorkspaceId, date_to_days, now_text};
use crate::identity::{Directory, Identity, Keys, MatchedBy, PersonId, PersonRef, Resolved};
use crate::import::{self, ContactRow, Format, LineProblem, ParseOptions};
use crate::relationship::Relationship;
use crate::taxonomy::Taxonomy;

/// What to do with a file that has bad lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnError {
    /// Apply nothing and list every bad line.
    #[default]
    Reject,
    /// Apply the good rows and list the skipped ones.
    Skip,
}

/// One upload and how to apply it.
#[derive(Debug, Clone)]
pub struct ImportRequest<'a> {
    pub bytes: &'a [u8],
    pub owner: PersonRef,
    pub relationship: Option<Relationship>,
    pub format: Option<Format>,
    pub encoding: Option<&'static encoding_rs::Encoding>,
    pub on_error: OnError,
    pub replaces: Option<i64>,
}

/// A row that was matched to someone already known, and by which rule.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Merge {
    pub person: PersonId,
    pub matched_by: MatchedBy,
    pub line: usize,
}

/// A skipped line, as the report shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Skipped {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// DESIGN's import report.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ImportReport {
    pub id: i64,
    pub format: String,
    pub encoding: String,
    pub owner: PersonId,
    pub rows: usize,
    pub people_created: usize,
    pub people_merged: usize,
    pub merges: Vec<Merge>,
    pub ties_created: usize,
    pub ties_updated: usize,
    pub skipped: Vec<Skipped>,
    pub suppressed: usize,
    pub warnings: Vec<String>,
    pub took_ms: u64,
}

/// The report, and whether this call applied it or found the same upload already applied.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportOutcome {
    pub report: ImportReport,
    pub created: bool,
}

/// One owner–contact listing, merged over the rows of a file that list the same pair.
#[derive(Debug, Clone, Default)]
struct Listing {
    relationship: Option<Relationship>,
    last_contacted: Option<chrono::NaiveDate>,
    connected_on: Option<chrono::NaiveDate>,
    interactions: Option<u32>,
    strength: Option<f64>,
}

impl Listing {
    fn absorb(&mut self, other: &Listing) {
        self.relationship = self.relationship.or(other.relationship);
        self.last_contacted = self.last_contacted.max(other.last_contacted);
        self.connected_on = self.connected_on.max(other.connected_on);
        self.interactions = self.interactions.max(other.interactions);
        self.strength = match (self.strength, other.strength) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }
}

/// What an import changes about a person, written once at the end.
#[derive(Debug, Clone)]
struct Pending {
    name: String,
    name_is_placeholder: bool,
    company: Option<String>,
    title: Option<String>,
    fields_overridden: bool,
    explicit_fields: Option<Vec<String>>,
    email: Option<String>,
    is_new: bool,
    changed: bool,
}

impl Store {
    /// Parses and applies one contact list in one transaction.
    ///
    /// `progress` is called with the number of rows applied so far and the number of rows.
    ///
    /// # Errors
    /// [`StoreError::File`] when the file as a whole cannot be read,
    /// [`StoreError::Rejected`] with every bad line under [`OnError::Reject`],
    /// [`StoreError::UnknownPerson`] / [`StoreError::UnknownImport`] for an owner id or
    /// `replaces` that is not in this workspace.
    pub fn import(
        &mut self,
        workspace: WorkspaceId,
        request: &ImportRequest<'_>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportOutcome, StoreError> {
        let started = Instant::now();
        let digest = upload_digest(request);
        if let Some(report) = self.report_by_digest(workspace, &digest)? {
            return Ok(ImportOutcome {
                report,
                created: false,
            });
        }
        let options = ParseOptions {
            format: request.format,
            encoding: request.encoding,
        };
        let parsed = import::parse(request.bytes, &options)?;
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            rows = parsed.rows.len(),
            "parsed"
        );
        if request.on_error == OnError::Reject && !parsed.problems.is_empty() {
            return Err(StoreError::Rejected(parsed.problems));
        }
        let transaction = self
            .connection
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut apply = Apply::start(&transaction, workspace)?;
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "directory loaded"
        );
        let owner = apply.owner(&request.owner)?;
        transaction.execute(
            "INSERT INTO imports (workspace_id, owner_id, relationship, format, encoding, digest, report, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, '{}', ?7)",
            params![
                workspace.0,
                owner.0,
                request.relationship.map(Relationship::as_str),
                parsed.format.as_str(),
                parsed.encoding,
                digest,
                now_text()
            ],
        )?;
        let import_id = transaction.last_insert_rowid();
        apply.import_id = import_id;
        apply.network = parsed.format == Format::Network;
        // The replaced list is withdrawn only now, after the new import has its row, so
        // SQLite cannot hand the new import the old one's id.
        if let Some(old) = request.replaces {
            apply.withdraw(old)?;
            transaction.execute(
                "UPDATE people SET origin_import = ?1 WHERE origin_import = ?2",
                params![import_id, old],
            )?;
        }
        let me = apply.me;
        if let Some(relationship) = request
            .relationship
            .filter(|_| owner != me && parsed.format != Format::Network)
        {
            apply.add_listing(
                me,
                owner,
                Listing {
                    relationship: Some(relationship),
                    ..Listing::default()
                },
            );
        }
        // Normalising keys is pure and the costliest per-row step, so it runs on every core;
        // resolving must see rows in file order and stays sequential.
        let keys: Vec<Keys> = parsed
            .rows
            .par_iter()
            .map(|row| {
                Keys::from_raw(
                    &row.name,
                    &row.emails,
                    row.profile_url.as_deref(),
                    row.company.as_deref(),
                )
            })
            .collect();
        for (done, (row, keys)) in parsed.rows.iter().zip(keys).enumerate() {
            let row_owner = match (&row.owner_email, parsed.format) {
                (Some(email), Format::Network) => {
                    apply.owner(&PersonRef::Email(email.to_lowercase()))?
                }
                _ => owner,
            };
            apply.row(row, keys, row_owner)?;
            if done % 10_000 == 0 {
                progress(done, parsed.rows.len());
            }
        }
        progress(parsed.rows.len(), parsed.rows.len());
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "rows resolved"
        );
        let (ties_created, ties_updated) = apply.write(&transaction)?;
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "people, keys and listings written"
        );
        apply.remove_orphans(&transaction, request.replaces)?;
        let mut warnings = parsed.warnings.clone();
        warnings.extend(apply.warnings());
        let bad_lines: HashSet<usize> =
            parsed.problems.iter().map(|problem| problem.line).collect();
        let report = ImportReport {
            id: import_id,
            format: parsed.format.as_str().to_string(),
            encoding: parsed.encoding.to_string(),
            owner,
            rows: parsed.rows.len() + bad_lines.len() + parsed.blank_rows,
            people_created: apply.people_created,
            people_merged: apply.merges.len(),
            merges: std::mem::take(&mut apply.merges),
            ties_created,
            ties_updated,
            skipped: parsed.problems.iter().map(skipped).collect(),
            suppressed: apply.suppressed,
            warnings,
            took_ms: started.elapsed().as_millis() as u64,
        };
        let json = serde_json::to_string(&report)
            .map_err(|error| StoreError::Invalid(error.to_string()))?;
        transaction.execute(
            "UPDATE imports SET report = ?1 WHERE id = ?2",
            params![json, import_id],
        )?;
        drop(apply);
        transaction.commit()?;
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "committed"
        );
        tracing::info!(
            import = import_id,
            rows = report.rows,
            took_ms = report.took_ms,
            "import applied"
        );
        Ok(ImportOutcome {
            report,
            created: true,
        })
    }

    /// One import's report.
    ///
    /// # Errors
    /// [`StoreError::UnknownImport`] when it is not an import of this workspace.
    pub fn import_report(
        &self,
        workspace: WorkspaceId,
        id: i64,
    ) -> Result<ImportReport, StoreError> {
        let json: Option<String> = self
            .connection
            .query_row(
                "SELECT report FROM imports WHERE id = ?1 AND workspace_id = ?2",
                params![id, workspace.0],
                |row| row.get(0),
            )
            .optional()?;
        let json = json.ok_or(StoreError::UnknownImport(id))?;
        serde_json::from_str(&json).map_err(|error| StoreError::Invalid(error.to_string()))
    }

    fn report_by_digest(
        &self,
        workspace: WorkspaceId,
        digest: &str,
    ) -> Result<Option<ImportReport>, StoreError> {
        let id: Option<i64> = self
            .connection
            .query_row(
                "SELECT id FROM imports WHERE workspace_id = ?1 AND digest = ?2",
                params![workspace.0, digest],
                |row| row.get(0),
            )
            .optional()?;
        id.map(|id| self.import_report(workspace, id)).transpose()
    }
}

fn skipped(problem: &LineProblem) -> Skipped {
    Skipped {
        line: problem.line,
        column: problem.column,
        message: problem.message.clone(),
    }
}

/// The same bytes, for the same owner, read the same way, give the same digest.
fn upload_digest(request: &ImportRequest<'_>) -> String {
    let mut hasher = Sha256::new();
    hasher.update(describe(&request.owner).as_bytes());
    hasher.update([0]);
    hasher.update(
        request
            .relationship
            .map(Relationship::as_str)
            .unwrap_or("")
            .as_bytes(),
    );
    hasher.update([0]);
    hasher.update(
        request
            .format
            .map(Format::as_str)
            .unwrap_or("auto")
            .as_bytes(),
    );
    hasher.update([0]);
    hasher.update(
        request
            .encoding
            .map(encoding_rs::Encoding::name)
            .unwrap_or("auto")
            .as_bytes(),
    );
    hasher.update([0]);
    hasher.update(request.replaces.unwrap_or(0).to_le_bytes());
    hasher.update(request.bytes);
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The state of one import being applied.
struct Apply<'t> {
    transaction: &'t Transaction<'t>,
    workspace: WorkspaceId,
    import_id: i64,
    me: PersonId,
    directory: Directory,
    suppressions: HashSet<String>,
    next_person: i64,
    pending: HashMap<PersonId, Pending>,
    listings: HashMap<(PersonId, PersonId), Listing>,
    merges: Vec<Merge>,
    merged: HashSet<PersonId>,
    network: bool,
    people_created: usize,
    suppressed: usize,
    self_listings: usize,
    unknown_fields: usize,
}

impl<'t> Apply<'t> {
    fn start(
        transaction: &'t Transaction<'t>,
        workspace: WorkspaceId,
    ) -> Result<Apply<'t>, StoreError> {
        let me: i64 = transaction.query_row(
            "SELECT me_id FROM workspaces WHERE id = ?1",
            [workspace.0],
            |row| row.get(0),
        )?;
        let directory = Store::load_directory(transaction, workspace)?;
        let mut suppressions = HashSet::new();
        let mut statement =
            transaction.prepare("SELECT hash FROM suppressions WHERE workspace_id = ?1")?;
        let mut rows = statement.query([workspace.0])?;
        while let Some(row) = rows.next()? {
            suppressions.insert(row.get(0)?);
        }
        let next_person: i64 =
            transaction.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM people", [], |row| {
                row.get(0)
            })?;
        Ok(Apply {
            transaction,
            workspace,
            import_id: 0,
            me: PersonId(me),
            directory,
            suppressions,
            next_person,
            pending: HashMap::new(),
            listings: HashMap::new(),
            merges: Vec::new(),
            merged: HashSet::new(),
            network: false,
            people_created: 0,
            suppressed: 0,
            self_listings: 0,
            unknown_fields: 0,
        })
    }

    /// The owner a reference names; an email or URL that matches nobody creates them.
    fn owner(&mut self, reference: &PersonRef) -> Result<PersonId, StoreError> {
        match reference {
            PersonRef::Me => Ok(self.me),
            PersonRef::Id(id) => {
                if self.directory.identity(*id).is_some() || self.pending.contains_key(id) {
                    Ok(*id)
                } else {
                    Err(StoreError::UnknownPerson(id.to_string()))
                }
            }
            PersonRef::Email(email) => match self.directory.by_email(email) {
                Some(person) => Ok(person),
                None => Ok(self.create(
                    email,
                    Keys {
                        emails: vec![email.clone()],
                        ..Keys::default()
                    },
                    true,
                )),
            },
            PersonRef::ProfileUrl(url) => match self.directory.by_profile_url(url) {
                Some(person) => Ok(person),
                None => Ok(self.create(
                    url,
                    Keys {
                        profile_url: Some(url.clone()),
                        ..Keys::default()
                    },
                    true,
                )),
            },
        }
    }

    fn create(&mut self, name: &str, keys: Keys, name_is_placeholder: bool) -> PersonId {
        let person = PersonId(self.next_person);
        self.next_person += 1;
        self.people_created += 1;
        let identity = Identity {
            emails: keys.emails.clone(),
            profile_urls: keys.profile_url.iter().cloned().collect(),
            name: keys.name.clone(),
            company: keys.company.clone(),
        };
        self.directory.upsert(person, identity);
        self.pending.insert(
            person,
            Pending {
                name: name.to_string(),
                name_is_placeholder,
                company: None,
                title: None,
                fields_overridden: false,
                explicit_fields: None,
                email: keys.emails.first().cloned(),
                is_new: true,
                changed: true,
            },
        );
        person
    }

    /// Withdraws an earlier import that this one replaces: its listings go now, and the
    /// people only it brought in go at the end unless this import lists them again.
    fn withdraw(&mut self, old: i64) -> Result<(), StoreError> {
        let found: Option<i64> = self
            .transaction
            .query_row(
                "SELECT id FROM imports WHERE id = ?1 AND workspace_id = ?2 AND format != 'manual'",
                params![old, self.workspace.0],
                |row| row.get(0),
            )
            .optional()?;
        found.ok_or(StoreError::UnknownImport(old))?;
        self.transaction
            .execute("DELETE FROM listings WHERE import_id = ?1", [old])?;
        self.transaction
            .execute("DELETE FROM imports WHERE id = ?1", [old])?;
        Ok(())
    }

    fn is_suppressed(&self, keys: &Keys) -> bool {
        if self.suppressions.is_empty() {
            return false;
        }
        let hash = |kind: &str, key: &str| suppression_hash(self.workspace, kind, key);
        keys.emails
            .iter()
            .any(|email| self.suppressions.contains(&hash("email", email)))
            || keys
                .profile_url
                .iter()
                .any(|url| self.suppressions.contains(&hash("url", url)))
            || (!keys.name.is_empty()
                && !keys.company.is_empty()
                && self.suppressions.contains(&hash(
                    "name_company",
                    &format!("{}\u{1f}{}", keys.name, keys.company),
                )))
    }

    fn row(&mut self, row: &ContactRow, keys: Keys, owner: PersonId) -> Result<(), StoreError> {
        if self.is_suppressed(&keys) {
            self.suppressed += 1;
            return Ok(());
        }
        let contact = match self.directory.resolve(&keys) {
            Resolved::Existing { person, matched_by } => {
                self.directory.absorb(person, &keys);
                self.load_pending(person)?;
                self.record_merge(person, matched_by, row.line);
                person
            }
            Resolved::New => self.create(&row.name, keys, false),
        };
        if contact == owner {
            self.self_listings += 1;
            return Ok(());
        }
        self.update_person(contact, row);
        let listing = Listing {
            relationship: row.relationship,
            last_contacted: row.last_contacted,
            connected_on: row.connected_on,
            interactions: row.interactions,
            strength: row.strength,
        };
        self.add_listing(owner, contact, listing);
        Ok(())
    }

    /// Lists a person in the report's merges once, with the first rule that matched them.
    /// In a network file the same person is listed by many owners by design, so there only
    /// matches to people known before the import count as merges.
    fn record_merge(&mut self, person: PersonId, matched_by: MatchedBy, line: usize) {
        let is_new = self
            .pending
            .get(&person)
            .is_some_and(|pending| pending.is_new);
        if (self.network && is_new) || !self.merged.insert(person) {
            return;
        }
        self.merges.push(Merge {
            person,
            matched_by,
            line,
        });
    }

    fn add_listing(&mut self, owner: PersonId, contact: PersonId, listing: Listing) {
        self.listings
            .entry((owner, contact))
            .or_default()
            .absorb(&listing);
    }

    /// Reads what the store holds of a person the first time this import touches them.
    fn load_pending(&mut self, person: PersonId) -> Result<(), StoreError> {
        if self.pending.contains_key(&person) {
            return Ok(());
        }
        let (name, company, title, overridden): (String, Option<String>, Option<String>, bool) =
            self.transaction.query_row(
                "SELECT name, company, title, fields_overridden FROM people WHERE id = ?1",
                [person.0],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )?;
        let email = self
            .directory
            .identity(person)
            .and_then(|identity| identity.emails.first().cloned());
        let name_is_placeholder =
            name.contains('@') || name.contains("://") || (person == self.me && name == "Me");
        self.pending.insert(
            person,
            Pending {
                name,
                name_is_placeholder,
                company,
                title,
                fields_overridden: overridden,
                explicit_fields: None,
                email,
                is_new: false,
                changed: false,
            },
        );
        Ok(())
    }

    /// The latest list is the freshest: a row's company and title replace older ones.
    fn update_person(&mut self, person: PersonId, row: &ContactRow) {
        let taxonomy = Taxonomy::embedded();
        let mut explicit = None;
        if !row.fields.is_empty() {
            let known: Vec<String> = row
                .fields
                .iter()
                .filter_map(|field| {
                    taxonomy
                        .field(field)
                        .map(|idx| taxonomy.get(idx).id.clone())
                })
                .collect();
            if known.len() < row.fields.len() {
                self.unknown_fields += 1;
            }
            explicit = Some(known).filter(|known| !known.is_empty());
        }
        let Some(pending) = self.pending.get_mut(&person) else {
            return;
        };
        if pending.name_is_placeholder && !row.name.trim().is_empty() {
            pending.name = row.name.trim().to_string();
            pending.name_is_placeholder = false;
            pending.changed = true;
        }
        for (slot, value) in [
            (&mut pending.company, &row.company),
            (&mut pending.title, &row.title),
        ] {
            if let Some(value) = value
                .as_deref()
                .map(str::trim)
                .filter(|value| !value.is_empty())
                && slot.as_deref() != Some(value)
            {
                *slot = Some(value.to_string());
                pending.changed = true;
            }
        }
        if pending.email.is_none() {
            pending.email = row.emails.first().map(|email| email.to_lowercase());
        }
        if explicit.is_some() {
            pending.explicit_fields = explicit;
            pending.fields_overridden = true;
            pending.changed = true;
        }
    }

    /// Writes people, keys and listings; returns (ties created, ties updated).
    fn write(&mut self, transaction: &Transaction<'_>) -> Result<(usize, usize), StoreError> {
        let taxonomy = Taxonomy::embedded();
        let now = now_text();
        {
            let mut insert = transaction.prepare_cached(
                "INSERT INTO people (id, workspace_id, name, company, title, fields, evidence, fields_overridden, origin_import, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            let mut update = transaction.prepare_cached(
                "UPDATE people SET name = ?2, company = ?3, title = ?4,
                    fields = CASE WHEN ?7 THEN ?5 ELSE fields END,
                    evidence = CASE WHEN ?7 THEN ?6 ELSE evidence END,
                    fields_overridden = ?8
                 WHERE id = ?1",
            )?;
            let mut people: Vec<(&PersonId, &Pending)> =
                self.pending.iter().filter(|(_, p)| p.changed).collect();
            people.sort_by_key(|(id, _)| **id);
            for (person, pending) in people {
                let (fields, evidence, recompute) =
                    match (&pending.explicit_fields, pending.fields_overridden) {
                        (Some(explicit), _) => (json(explicit), "[]".to_string(), true),
                        (None, true) => (String::new(), String::new(), false),
                        (None, false) => {
                            let classification = taxonomy.classify(
                                pending.title.as_deref().unwrap_or(""),
                                pending.company.as_deref().unwrap_or(""),
                                pending.email.as_deref(),
                            );
                            (
                                json(&classification.fields),
                                json(&classification.evidence),
                                true,
                            )
                        }
                    };
                if pending.is_new {
                    insert.execute(params![
                        person.0,
                        self.workspace.0,
                        pending.name,
                        pending.company,
                        pending.title,
                        if recompute { fields } else { "[]".to_string() },
                        if recompute {
                            evidence
                        } else {
                            "[]".to_string()
                        },
                        pending.fields_overridden,
                        self.import_id,
                        now
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
                        pending.fields_overridden
                    ])?;
                }
            }
        }
        self.write_keys(transaction)?;
        self.write_listings(transaction)
    }

    /// Inserts every key the directory now holds that the store does not.
    fn write_keys(&self, transaction: &Transaction<'_>) -> Result<(), StoreError> {
        let mut email = transaction.prepare_cached(
            "INSERT OR IGNORE INTO person_emails (workspace_id, email, person_id) VALUES (?1, ?2, ?3)",
        )?;
        let mut url = transaction.prepare_cached(
            "INSERT OR IGNORE INTO person_urls (workspace_id, url, person_id) VALUES (?1, ?2, ?3)",
        )?;
        for person in self.pending.keys() {
            let Some(identity) = self.directory.identity(*person) else {
                continue;
            };
            for address in &identity.emails {
                email.execute(params![self.workspace.0, address, person.0])?;
            }
            for profile in &identity.profile_urls {
                url.execute(params![self.workspace.0, profile, person.0])?;
            }
        }
        Ok(())
    }

    fn write_listings(&self, transaction: &Transaction<'_>) -> Result<(usize, usize), StoreError> {
        let pairs: HashSet<(PersonId, PersonId)> = self
            .listings
            .keys()
            .map(|(owner, contact)| ordered(*owner, *contact))
            .collect();
        let mut exists = transaction.prepare_cached(
            "SELECT 1 FROM listings WHERE import_id != ?3 AND
               ((owner_id = ?1 AND contact_id = ?2) OR (owner_id = ?2 AND contact_id = ?1)) LIMIT 1",
        )?;
        let fresh_workspace = self.directory.len() == self.people_created + 1;
        let mut updated = 0;
        if !fresh_workspace {
            for (a, b) in &pairs {
                if exists.exists(params![a.0, b.0, self.import_id])? {
                    updated += 1;
                }
            }
        }
        let mut insert = transaction.prepare_cached(
            "INSERT INTO listings (import_id, owner_id, contact_id, relationship, last_contacted, connected_on, interactions, strength)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        let mut listings: Vec<(&(PersonId, PersonId), &Listing)> = self.listings.iter().collect();
        listings.sort_unstable_by_key(|(key, _)| **key);
        for ((owner, contact), listing) in listings {
            insert.execute(params![
                self.import_id,
                owner.0,
                contact.0,
                listing.relationship.map(Relationship::as_str),
                listing.last_contacted.map(date_to_days),
                listing.connected_on.map(date_to_days),
                listing.interactions,
                listing.strength
            ])?;
        }
        Ok((pairs.len() - updated, updated))
    }

    /// People that an import (or the one it replaced) brought in and that nothing lists
    /// any more are removed.
    fn remove_orphans(
        &self,
        transaction: &Transaction<'_>,
        replaced: Option<i64>,
    ) -> Result<(), StoreError> {
        if replaced.is_none() {
            return Ok(());
        }
        transaction.execute(
            "DELETE FROM people WHERE origin_import = ?1 AND id != ?2
               AND NOT EXISTS (SELECT 1 FROM listings WHERE owner_id = people.id OR contact_id = people.id)
               AND NOT EXISTS (SELECT 1 FROM imports WHERE owner_id = people.id)",
            params![self.import_id, self.me.0],
        )?;
        Ok(())
    }

    fn warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        if self.self_listings > 0 {
            warnings.push(format!(
                "{} row(s) list the owner themself and were skipped",
                self.self_listings
            ));
        }
        if self.unknown_fields > 0 {
            warnings.push(format!(
                "{} row(s) name a field that is not in the taxonomy; it was ignored",
                self.unknown_fields
            ));
        }
        warnings
    }
}

fn ordered(a: PersonId, b: PersonId) -> (PersonId, PersonId) {
    if a <= b { (a, b) } else { (b, a) }
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".to_string())
}
