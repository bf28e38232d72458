//! Applying one contact list: resolve every row to people, write people, keys and
//! listings, all in one transaction, and report what happened.
//!
//! **Invariant:** an import is applied whole or not at all. With `on_error=reject` a file
//! with any bad line writes nothing; the same bytes for the same owner are applied once.

mod bulk;
mod digest;
mod report;
mod writer;

use std::time::Instant;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use rayon::prelude::*;
use rusqlite::{OptionalExtension, Transaction, params};

use super::people::{StoredPeople, refresh_people};
use super::{Store, StoreError, WorkspaceId, now_text};
use crate::identity::suppressions::Suppressions;
use crate::identity::{
    Directory, Identity, Keys, MatchedBy, PersonId, PersonRef, Resolved, normalize,
};
use crate::import::{self, ContactRow, Format, ParseOptions, ParsedFile};
use crate::relationship::Relationship;
use crate::taxonomy::Taxonomy;
use bulk::BulkMode;
use digest::DigestReader;
use report::Totals;
use writer::{LISTINGS_PER_STATEMENT, ListingWriter};

/// What to do with a file that has bad lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnError {
    /// Apply nothing and list every bad line.
    #[default]
    Reject,
    /// Apply the good rows and list the skipped ones.
    Skip,
}

/// Where an upload's bytes are.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// Held in memory (an HTTP upload).
    Bytes(&'a [u8]),
    /// A file, read block by block: neither it nor its rows are ever held whole.
    File(&'a std::path::Path),
}

/// One upload and how to apply it.
#[derive(Debug, Clone)]
pub struct ImportRequest<'a> {
    pub source: Source<'a>,
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

/// What an import changes about a person, written once at the end.
#[derive(Debug, Clone)]
struct Pending {
    name: String,
    name_is_placeholder: bool,
    company: Option<String>,
    title: Option<String>,
    /// [`text_hash`] of `company` and `title`.
    company_hash: u64,
    title_hash: u64,
    fields_overridden: bool,
    explicit_fields: Option<Vec<&'static str>>,
    email: Option<String>,
    is_new: bool,
    changed: bool,
}

impl Store {
    /// Parses and applies one contact list in one transaction.
    ///
    /// The file is read block by block (see [`import::Blocks`]): while one block is being
    /// applied, the next is read and parsed on another thread, so neither the file nor its
    /// rows are ever held whole. `progress` is called with the bytes read so far and the
    /// size of the file.
    ///
    /// # Errors
    /// [`StoreError::File`] when the file as a whole cannot be read,
    /// [`StoreError::Rejected`] with every bad line under [`OnError::Reject`],
    /// [`StoreError::UnknownPerson`] / [`StoreError::UnknownImport`] for an owner id or
    /// `replaces` that is not in this workspace, [`StoreError::Read`] when the file cannot
    /// be read.
    pub fn import(
        &mut self,
        workspace: WorkspaceId,
        request: &ImportRequest<'_>,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<ImportOutcome, StoreError> {
        self.import_in_blocks(workspace, request, progress, import::BLOCK_BYTES)
    }

    /// [`Store::import`] with blocks of about `block_bytes` (tests cross many).
    pub(crate) fn import_in_blocks(
        &mut self,
        workspace: WorkspaceId,
        request: &ImportRequest<'_>,
        progress: &mut dyn FnMut(u64, u64),
        block_bytes: usize,
    ) -> Result<ImportOutcome, StoreError> {
        let started = Instant::now();
        let digest = match request.source {
            Source::Bytes(bytes) => Some(digest::upload_digest(request, bytes)),
            Source::File(_) => None,
        };
        if let Some(digest) = &digest
            && let Some(report) = report::report_by_digest(&self.connection, workspace, digest)?
        {
            return Ok(ImportOutcome {
                report,
                created: false,
            });
        }
        let (reader, total_bytes) = digest::open(request.source)?;
        let hashing = digest.is_none();
        let reader = DigestReader::new(reader, request, hashing);
        let options = ParseOptions {
            format: request.format,
            encoding: request.encoding,
        };
        let mut blocks = import::Blocks::with_block_size(reader, &options, block_bytes);
        // The first block is read here: a file refused as a whole writes nothing.
        let first = match blocks.next_block() {
            Some(block) => block?,
            None => return Err(StoreError::File(import::ImportError::Empty)),
        };
        let (format, encoding) = (first.format, first.encoding);
        let first_prepared = prepare_rows(&first);
        let first_read = blocks.bytes_read();
        let whole = blocks.is_done();
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            rows = first.rows.len(),
            "first block parsed"
        );

        let bulk = bulk::is_bulk(&self.connection, total_bytes)?;
        // A bulk load logs one "rebuild" row instead of a row per listing and person.
        let logging = self.logging.clone();
        let mode = bulk.then(|| BulkMode::enter(&self.connection, &logging));
        let outcome = (|| -> Result<ImportOutcome, StoreError> {
            let transaction = self
                .connection
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            // A small file that fit in one block is resolved against the people its rows
            // (and its owner) may be, found by their keys; anything larger against everyone.
            let targeted = !bulk && whole && first.rows.len() <= TARGETED_ROWS;
            let mut apply = Apply::start(&transaction, workspace, targeted)?;
            if targeted {
                apply.preload(&transaction, &request.owner, &first, &first_prepared)?;
            }
            let owner = apply.owner(&request.owner)?;
            transaction.execute(
                "INSERT INTO imports (workspace_id, owner_id, relationship, format, encoding, digest, report, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, '{}', ?7)",
                params![
                    workspace.0,
                    owner.0,
                    request.relationship.map(Relationship::as_str),
                    format.as_str(),
                    encoding,
                    digest.as_deref().unwrap_or(""),
                    now_text()
                ],
            )?;
            let import_id = transaction.last_insert_rowid();
            apply.import_id = import_id;
            apply.network = format == Format::Network;
            // The replaced list is withdrawn only now, after the new import has its row, so
            // SQLite cannot hand the new import the old one's id.
            if let Some(old) = request.replaces {
                apply.withdraw(&transaction, old, owner)?;
                transaction.execute(
                    "UPDATE people SET origin_import = ?1 WHERE origin_import = ?2",
                    params![import_id, old],
                )?;
            }
            if bulk {
                bulk::drop_indexes(&transaction, workspace)?;
            }
            let me = apply.me;
            if let Some(relationship) = request
                .relationship
                .filter(|_| owner != me && format != Format::Network)
            {
                apply.add_listing(
                    me,
                    owner,
                    Listing {
                        relationship: Some(relationship),
                        ..Listing::default()
                    },
                )?;
            }

            let reject = request.on_error == OnError::Reject;
            let mut writer = ListingWriter::new(import_id);
            // Three stages run side by side: reading and parsing blocks, resolving their rows
            // (which must see them in file order), and writing the listings they produce.
            let (apply, totals, closing_warnings, streamed_digest) = std::thread::scope(
                |scope| -> Result<(Apply, Totals, Vec<String>, Option<String>), StoreError> {
                    let (sender, parsed) =
                        std::sync::mpsc::sync_channel::<Result<Parsed, import::ReadError>>(1);
                    let reader = scope.spawn(move || {
                        while let Some(block) = blocks.next_block() {
                            let parsed = block.map(|block| {
                                let prepared = prepare_rows(&block);
                                Parsed {
                                    read: blocks.bytes_read(),
                                    block,
                                    prepared,
                                }
                            });
                            if sender.send(parsed).is_err() {
                                break;
                            }
                        }
                        let warnings = blocks.closing_warnings();
                        (warnings, blocks.into_inner().finish())
                    });
                    // Freeing a block's millions of small strings is left to a thread of its own.
                    let (done, finished) = std::sync::mpsc::channel::<ParsedFile>();
                    scope.spawn(move || finished.into_iter().for_each(drop));
                    let (sink, outcomes) = std::sync::mpsc::sync_channel::<Outcome>(64);
                    apply.sink = Some(sink);
                    let first = Parsed {
                        read: first_read,
                        block: first,
                        prepared: first_prepared,
                    };
                    let resolver = scope.spawn(move || -> Result<(Apply, Totals), StoreError> {
                        let mut totals = Totals::default();
                        for parsed in std::iter::once(Ok(first)).chain(parsed) {
                            let parsed = parsed.map_err(StoreError::from)?;
                            totals.add(&parsed.block);
                            if !reject || totals.problems.is_empty() {
                                apply.block(&parsed.block, parsed.prepared, owner)?;
                            }
                            if let Some(sink) = &apply.sink {
                                let _ = sink.send(Outcome::Read(parsed.read));
                            }
                            let _ = done.send(parsed.block);
                        }
                        apply.ship()?;
                        apply.sink = None;
                        Ok((apply, totals))
                    });
                    for outcome in outcomes {
                        match outcome {
                            Outcome::Listings(batch) => writer.write(&transaction, &batch)?,
                            Outcome::Read(read) => progress(read, total_bytes.max(read)),
                        }
                    }
                    let (apply, totals) = resolver.join().map_err(|_| {
                        StoreError::Invalid("the row resolver stopped".to_string())
                    })??;
                    let (warnings, digest) = reader
                        .join()
                        .map_err(|_| StoreError::Invalid("the file reader stopped".to_string()))?;
                    Ok((apply, totals, warnings, digest))
                },
            )?;
            let mut apply = apply;
            // Listings queued before the rows (the owner's tie to me) and any left over.
            for batch in std::mem::take(&mut apply.queued).chunks(LISTINGS_PER_STATEMENT) {
                writer.write(&transaction, batch)?;
            }
            drop(writer);
            tracing::debug!(
                elapsed_ms = started.elapsed().as_millis() as u64,
                rows = totals.rows,
                "rows resolved and listings written"
            );
            if reject && !totals.problems.is_empty() {
                return Err(StoreError::Rejected(totals.problems));
            }
            if hashing {
                let digest = streamed_digest.unwrap_or_default();
                if let Some(report) = report::report_by_digest(&transaction, workspace, &digest)? {
                    // These bytes were applied before: this pass is rolled back.
                    return Ok(ImportOutcome {
                        report,
                        created: false,
                    });
                }
                transaction.execute(
                    "UPDATE imports SET digest = ?1 WHERE id = ?2",
                    params![digest, import_id],
                )?;
            }
            apply.write(&transaction)?;
            tracing::debug!(
                elapsed_ms = started.elapsed().as_millis() as u64,
                "people and keys written"
            );
            if bulk {
                bulk::build_indexes(&transaction, started)?;
            }
            let (ties_created, ties_updated) = apply.count_ties(&transaction)?;
            tracing::debug!(
                elapsed_ms = started.elapsed().as_millis() as u64,
                "ties counted"
            );
            apply.remove_orphans(&transaction, request.replaces)?;
            let mut warnings = totals.warnings;
            warnings.extend(closing_warnings);
            if totals.blank_rows > 0 {
                warnings.push(format!(
                    "{} row(s) without a person in them (deleted members, empty cards, undecodable bytes) were skipped",
                    totals.blank_rows
                ));
            }
            warnings.extend(apply.warnings());
            let report = ImportReport {
                id: import_id,
                format: format.as_str().to_string(),
                encoding: encoding.to_string(),
                owner,
                rows: totals.rows,
                people_created: apply.people_created,
                people_merged: apply.merges.len(),
                merges: std::mem::take(&mut apply.merges),
                ties_created,
                ties_updated,
                skipped: totals.problems.iter().map(report::skipped).collect(),
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
            Store::prune_changes(&transaction)?;
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
        })();
        if let Some(mode) = &mode {
            mode.leave(&self.connection);
        }
        outcome
    }
}

/// One block of the file with what was prepared of its rows, and how far into the file
/// it ends.
struct Parsed {
    block: ParsedFile,
    prepared: Vec<Prepared>,
    read: u64,
}

/// What can be worked out about a row before it is resolved: its identity keys, its known
/// fields, and hashes of its company and title (to see cheaply that they did not change).
struct Prepared {
    keys: Keys,
    /// The name and company keys are still to be worked out (see [`Keys::fill_names`]).
    names_deferred: bool,
    fields: Vec<&'static str>,
    unknown_fields: bool,
    company: u64,
    title: u64,
}

/// Preparing rows is pure and the costliest per-row step, so it runs on every core,
/// beside the thread that resolves rows (which must see them in file order).
fn prepare_rows(block: &ParsedFile) -> Vec<Prepared> {
    let taxonomy = Taxonomy::embedded();
    block
        .rows
        .par_iter()
        .map(|row| {
            let fields: Vec<&'static str> = row
                .fields
                .iter()
                .filter_map(|field| {
                    taxonomy
                        .field(field)
                        .map(|idx| taxonomy.get(idx).id.as_str())
                })
                .collect();
            let (keys, names_deferred) = Keys::from_raw_deferred(
                &row.name,
                &row.emails,
                row.profile_url.as_deref(),
                row.company.as_deref(),
            );
            Prepared {
                keys,
                names_deferred,
                unknown_fields: fields.len() < row.fields.len(),
                fields,
                company: text_hash(row.company.as_deref()),
                title: text_hash(row.title.as_deref()),
            }
        })
        .collect()
}

/// A hash of a trimmed text, 0 for none or blank.
fn text_hash(text: Option<&str>) -> u64 {
    use std::hash::BuildHasher;
    match text.map(str::trim).filter(|text| !text.is_empty()) {
        None => 0,
        Some(text) => foldhash::fast::FixedState::with_seed(0x5eed)
            .hash_one(text)
            .max(1),
    }
}

/// Files of at most this many rows that fit in one block are resolved against the people
/// their rows name (found by key), not against every person of the workspace.
const TARGETED_ROWS: usize = 50_000;

/// A batch of listings to write, or how far the file has been read.
enum Outcome {
    Listings(Vec<(PersonId, PersonId, Listing)>),
    Read(u64),
}

/// The state of one import being applied. It holds no database handle, so that rows can
/// be resolved on one thread while another writes the listings they produce.
struct Apply {
    workspace: WorkspaceId,
    import_id: i64,
    me: PersonId,
    directory: Directory,
    suppressions: Suppressions,
    next_person: i64,
    /// The first id this import gives a new person.
    first_new_person: i64,
    /// Nobody but "me" was in the workspace before this import.
    fresh_workspace: bool,
    pending: HashMap<PersonId, Pending>,
    /// Every unordered pair this import lists, to count the ties it creates.
    pairs: Pairs,
    /// Listings waiting to be written, sent to `sink` [`LISTINGS_PER_STATEMENT`] at a time
    /// (or, without a sink, left for the caller).
    queued: Vec<(PersonId, PersonId, Listing)>,
    sink: Option<std::sync::mpsc::SyncSender<Outcome>>,
    /// What the store held of the workspace's people before the import.
    stored: StoredPeople,
    /// The last owner email of a network file and who it names (rows come by owner).
    last_owner: Option<(String, PersonId)>,
    merges: Vec<Merge>,
    merged: HashSet<PersonId>,
    network: bool,
    people_created: usize,
    suppressed: usize,
    self_listings: usize,
    unknown_fields: usize,
}

impl Apply {
    /// Starts an import: with every person of the workspace read, or (`targeted`) only
    /// "me", the rest left to [`Apply::preload`].
    fn start(
        transaction: &Transaction<'_>,
        workspace: WorkspaceId,
        targeted: bool,
    ) -> Result<Apply, StoreError> {
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
        let mut hashes = HashSet::new();
        let mut statement =
            transaction.prepare("SELECT hash FROM suppressions WHERE workspace_id = ?1")?;
        let mut rows = statement.query([workspace.0])?;
        while let Some(row) = rows.next()? {
            hashes.insert(row.get(0)?);
        }
        let next_person: i64 =
            transaction.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM people", [], |row| {
                row.get(0)
            })?;
        Ok(Apply {
            workspace,
            import_id: 0,
            me: PersonId(me),
            directory,
            suppressions: Suppressions::new(workspace.0, hashes),
            next_person,
            first_new_person: next_person,
            fresh_workspace,
            pending: HashMap::new(),
            pairs: Pairs::default(),
            queued: Vec::with_capacity(LISTINGS_PER_STATEMENT),
            sink: None,
            stored,
            last_owner: None,
            merges: Vec::new(),
            merged: HashSet::new(),
            network: false,
            people_created: 0,
            suppressed: 0,
            self_listings: 0,
            unknown_fields: 0,
        })
    }

    /// Reads into the directory everyone the owner reference and the rows may name: the
    /// holders of their emails, profile URLs and network owners' emails, and the people of
    /// their name and company.
    fn preload(
        &mut self,
        transaction: &Transaction<'_>,
        owner: &PersonRef,
        block: &ParsedFile,
        prepared: &[Prepared],
    ) -> Result<(), StoreError> {
        let workspace = self.workspace.0;
        let mut by_email = transaction.prepare_cached(
            "SELECT person_id FROM person_emails WHERE workspace_id = ?1 AND email = ?2",
        )?;
        let mut by_url = transaction.prepare_cached(
            "SELECT person_id FROM person_urls WHERE workspace_id = ?1 AND url = ?2",
        )?;
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
        match owner {
            PersonRef::Me | PersonRef::Id(_) => {}
            PersonRef::Email(email) => found(&mut by_email, &[&workspace, email])?,
            PersonRef::ProfileUrl(url) => found(&mut by_url, &[&workspace, url])?,
        }
        for (row, prepared) in block.rows.iter().zip(prepared) {
            for email in &prepared.keys.emails {
                found(&mut by_email, &[&workspace, email])?;
            }
            if let Some(url) = &prepared.keys.profile_url {
                found(&mut by_url, &[&workspace, url])?;
            }
            if let Some(email) = &row.owner_email {
                found(&mut by_email, &[&workspace, &email.to_lowercase()])?;
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
                found(&mut by_name, &[&workspace, &name, &company])?;
            }
        }
        if let PersonRef::Id(id) = owner {
            ids.insert(id.0);
        }
        ids.remove(&self.me.0);
        let ids: Vec<i64> = ids.into_iter().collect();
        refresh_people(
            transaction,
            self.workspace,
            &ids,
            &mut self.directory,
            &mut self.stored,
        )
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
                None if self.suppressions.holds("email", email) => Err(erased(email)),
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
                None if self.suppressions.holds("url", url) => Err(erased(url)),
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
                company_hash: 0,
                title_hash: 0,
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
    /// The replaced import must be a list of the same owner: a newer export of one list.
    fn withdraw(
        &mut self,
        transaction: &Transaction<'_>,
        old: i64,
        owner: PersonId,
    ) -> Result<(), StoreError> {
        let found: Option<i64> = transaction
            .query_row(
                "SELECT owner_id FROM imports WHERE id = ?1 AND workspace_id = ?2 AND format != 'manual'",
                params![old, self.workspace.0],
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
        Ok(())
    }

    /// Applies the rows of one block; `owner` owns every row but those of a network file,
    /// which name their own.
    fn block(
        &mut self,
        block: &ParsedFile,
        prepared: Vec<Prepared>,
        owner: PersonId,
    ) -> Result<(), StoreError> {
        for (row, prepared) in block.rows.iter().zip(prepared) {
            let row_owner = match (&row.owner_email, self.network) {
                (Some(email), true) => match self.row_owner(email)? {
                    Some(person) => person,
                    None => {
                        self.suppressed += 1;
                        continue;
                    }
                },
                _ => owner,
            };
            self.row(row, prepared, row_owner)?;
        }
        Ok(())
    }

    /// The owner a network file's row names; `None` when that person was erased.
    fn row_owner(&mut self, email: &str) -> Result<Option<PersonId>, StoreError> {
        if let Some((last, person)) = &self.last_owner
            && last == email
        {
            return Ok(Some(*person));
        }
        let reference = PersonRef::Email(email.to_lowercase());
        let person = match self.owner(&reference) {
            Ok(person) => person,
            Err(StoreError::Conflict(_)) => return Ok(None),
            Err(error) => return Err(error),
        };
        self.last_owner = Some((email.to_string(), person));
        Ok(Some(person))
    }

    fn row(
        &mut self,
        row: &ContactRow,
        prepared: Prepared,
        owner: PersonId,
    ) -> Result<(), StoreError> {
        let Prepared {
            mut keys,
            names_deferred,
            fields,
            unknown_fields,
            company,
            title,
        } = prepared;
        // The email rule is tried first, once: it settles nearly every row of a bulk file.
        let by_email = keys
            .emails
            .iter()
            .find_map(|email| self.directory.by_email(email));
        if names_deferred {
            let needed = match by_email {
                None => true,
                Some(person) => self.directory.lacks_name_or_company(person),
            };
            if needed || !self.suppressions.is_empty() {
                keys.fill_names(&row.name, row.company.as_deref());
            }
        }
        if self.suppressions.covers(&keys) {
            self.suppressed += 1;
            return Ok(());
        }
        let resolved = match by_email {
            Some(person) => Resolved::Existing {
                person,
                matched_by: MatchedBy::Email,
            },
            None => self.directory.resolve(&keys),
        };
        let contact = match resolved {
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
        if unknown_fields {
            self.unknown_fields += 1;
        }
        self.update_person(contact, row, fields, (company, title));
        let listing = Listing {
            relationship: row.relationship,
            last_contacted: row.last_contacted,
            connected_on: row.connected_on,
            interactions: row.interactions,
            strength: row.strength,
        };
        self.add_listing(owner, contact, listing)
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

    /// Queues one listing for writing.
    fn add_listing(
        &mut self,
        owner: PersonId,
        contact: PersonId,
        listing: Listing,
    ) -> Result<(), StoreError> {
        self.pairs.insert(owner, contact);
        self.queued.push((owner, contact, listing));
        if self.queued.len() >= LISTINGS_PER_STATEMENT && self.sink.is_some() {
            self.ship()?;
        }
        Ok(())
    }

    /// Sends the queued listings to the writer.
    fn ship(&mut self) -> Result<(), StoreError> {
        let Some(sink) = &self.sink else {
            return Ok(());
        };
        if self.queued.is_empty() {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.queued, Vec::with_capacity(LISTINGS_PER_STATEMENT));
        sink.send(Outcome::Listings(batch))
            .map_err(|_| StoreError::Invalid("the listing writer stopped".to_string()))
    }

    /// Reads what the store holds of a person the first time this import touches them.
    fn load_pending(&mut self, person: PersonId) -> Result<(), StoreError> {
        if self.pending.contains_key(&person) {
            return Ok(());
        }
        let (name, company, title, overridden) = self
            .stored
            .remove(&person)
            .ok_or_else(|| StoreError::UnknownPerson(person.to_string()))?;
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
                company_hash: text_hash(company.as_deref()),
                title_hash: text_hash(title.as_deref()),
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
    /// `hashes` are the row's company and title hashes ([`text_hash`]).
    fn update_person(
        &mut self,
        person: PersonId,
        row: &ContactRow,
        fields: Vec<&'static str>,
        hashes: (u64, u64),
    ) {
        let Some(pending) = self.pending.get_mut(&person) else {
            return;
        };
        if pending.name_is_placeholder && !row.name.trim().is_empty() {
            pending.name = row.name.trim().to_string();
            pending.name_is_placeholder = false;
            pending.changed = true;
        }
        for (slot, hash, value, new_hash) in [
            (
                &mut pending.company,
                &mut pending.company_hash,
                &row.company,
                hashes.0,
            ),
            (
                &mut pending.title,
                &mut pending.title_hash,
                &row.title,
                hashes.1,
            ),
        ] {
            if new_hash == 0 || *hash == new_hash {
                continue;
            }
            if let Some(value) = value.as_deref().map(str::trim)
                && slot.as_deref() != Some(value)
            {
                *slot = Some(value.to_string());
                pending.changed = true;
            }
            *hash = new_hash;
        }
        if pending.email.is_none() {
            pending.email = row.emails.first().map(|email| email.to_lowercase());
        }
        if !fields.is_empty() && pending.explicit_fields.as_ref() != Some(&fields) {
            pending.explicit_fields = Some(fields);
            pending.fields_overridden = true;
            pending.changed = true;
        }
    }

    /// Writes the people this import created or changed and their keys.
    fn write(&mut self, transaction: &Transaction<'_>) -> Result<(), StoreError> {
        let taxonomy = Taxonomy::embedded();
        let now = now_text();
        let mut people: Vec<(&PersonId, &Pending)> =
            self.pending.iter().filter(|(_, p)| p.changed).collect();
        people.par_sort_unstable_by_key(|(id, _)| **id);
        // Classification is pure and per person: every core does its share first.
        let fields: Vec<(String, String, bool)> = people
            .par_iter()
            .map(
                |(_, pending)| match (&pending.explicit_fields, pending.fields_overridden) {
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
                },
            )
            .collect();
        {
            let mut insert = transaction.prepare_cached(
                "INSERT INTO people (id, workspace_id, name, company, title, fields, evidence, fields_overridden, origin_import, created_at, name_key, company_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, warmpath_name_key(?3), warmpath_company_key(?4))",
            )?;
            let mut update = transaction.prepare_cached(
                "UPDATE people SET name = ?2, company = ?3, title = ?4,
                    fields = CASE WHEN ?7 THEN ?5 ELSE fields END,
                    evidence = CASE WHEN ?7 THEN ?6 ELSE evidence END,
                    fields_overridden = ?8
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
                        self.workspace.0,
                        pending.name,
                        pending.company,
                        pending.title,
                        fields,
                        evidence,
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
        self.write_keys(transaction)
    }

    /// Inserts every key the directory now holds that the store does not, in key order
    /// (the order of their table).
    fn write_keys(&self, transaction: &Transaction<'_>) -> Result<(), StoreError> {
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
        for person in self.pending.keys() {
            if let Some(identity) = self.directory.identity(*person) {
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
            email.execute(params![self.workspace.0, address, person.0])?;
        }
        let mut url = transaction.prepare_cached(
            "INSERT OR IGNORE INTO person_urls (workspace_id, url, person_id) VALUES (?1, ?2, ?3)",
        )?;
        for (_, profile, person) in urls {
            url.execute(params![self.workspace.0, profile, person.0])?;
        }
        Ok(())
    }

    /// (ties created, ties updated): the distinct pairs this import lists, split by
    /// whether another list already had them.
    fn count_ties(&mut self, transaction: &Transaction<'_>) -> Result<(usize, usize), StoreError> {
        let pairs = std::mem::take(&mut self.pairs).distinct();
        if self.fresh_workspace {
            return Ok((pairs.len(), 0));
        }
        let mut exists = transaction.prepare_cached(
            "SELECT 1 FROM listings WHERE import_id != ?3 AND
               ((owner_id = ?1 AND contact_id = ?2) OR (owner_id = ?2 AND contact_id = ?1)) LIMIT 1",
        )?;
        // Only a pair of people who both existed before this import can be listed by
        // another one.
        let mut updated = 0;
        for (a, b) in pairs
            .iter()
            .filter(|(a, b)| a.0 < self.first_new_person && b.0 < self.first_new_person)
        {
            if exists.exists(params![a.0, b.0, self.import_id])? {
                updated += 1;
            }
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

/// Unordered pairs of people, packed into one word each while ids fit in 32 bits.
#[derive(Debug, Default)]
struct Pairs {
    packed: Vec<u64>,
    wide: Vec<(PersonId, PersonId)>,
}

impl Pairs {
    fn insert(&mut self, a: PersonId, b: PersonId) {
        let (low, high) = if a <= b { (a, b) } else { (b, a) };
        match (u32::try_from(low.0), u32::try_from(high.0)) {
            (Ok(low), Ok(high)) => self.packed.push(u64::from(low) << 32 | u64::from(high)),
            _ => self.wide.push((low, high)),
        }
    }

    /// Each pair once.
    fn distinct(mut self) -> Vec<(PersonId, PersonId)> {
        self.packed.par_sort_unstable();
        self.packed.dedup();
        self.wide.sort_unstable();
        self.wide.dedup();
        let mut pairs: Vec<(PersonId, PersonId)> = self
            .packed
            .iter()
            .map(|&pair| {
                (
                    PersonId((pair >> 32) as i64),
                    PersonId((pair & 0xFFFF_FFFF) as i64),
                )
            })
            .collect();
        pairs.append(&mut self.wide);
        pairs
    }
}

/// The refusal to bring back someone who was erased.
fn erased(key: &str) -> StoreError {
    let _ = key;
    StoreError::Conflict(
        "that person was erased from this workspace and stays erased; \
         their email or profile URL cannot name an owner again"
            .to_string(),
    )
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".to_string())
}

#[cfg(test)]
mod tests;
