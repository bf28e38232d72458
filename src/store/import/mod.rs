//! Applying one contact list: resolve every row to people, write people, keys and
//! listings, all in one transaction, and report what happened.
//!
//! Resolving rows needs no database and lives in [`crate::identity::resolve`]; this folder
//! reads what it starts from and writes what it produces, one file per concern:
//! - `mod.rs`: [`Store::import`] and its public types, and the order of the steps.
//! - `digest.rs`: upload digests, computed before reading or while reading a file.
//! - `stages.rs`: the three stages side by side (read and parse blocks, resolve rows,
//!   write listings).
//! - `preload.rs`: what is read before the rows (everyone, or for a small file only the
//!   people its rows may be).
//! - `bulk.rs`: bulk loads (indexes dropped and built once, one "rebuild" row in the
//!   change log, a rollback journal).
//! - `writer.rs`: listings, 64 rows a statement, then people and their keys.
//! - `replace.rs`: withdrawing the list an import replaces, removing people left unlisted.
//! - `report.rs`: the import's row and its report.
//!
//! **Invariant:** an import is applied whole or not at all. With `on_error=reject` a file
//! with any bad line writes nothing; the same bytes for the same owner are applied once.

mod bulk;
mod digest;
mod preload;
mod replace;
mod report;
mod stages;
mod writer;

use std::time::Instant;

use rusqlite::{Transaction, TransactionBehavior};

use super::{ImportId, Store, StoreError, WorkspaceId};
use crate::identity::resolve::{Listing, ResolveError, Resolver};
use crate::identity::{MatchedBy, PersonId, PersonRef};
use crate::import::{self, Format, ParseOptions};
use crate::relationship::Relationship;
use bulk::BulkMode;
use digest::DigestReader;
use stages::{Parsed, Rows, Staged, UploadBlocks};
use writer::LISTINGS_PER_STATEMENT;

/// What to do with a file that has bad lines: the `on_error` parameter of an upload and
/// the `--on-error` flag of `warmpath import`, one type for both.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Deserialize,
    utoipa::ToSchema,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum OnError {
    /// Apply nothing and answer 422 listing every bad line.
    #[default]
    Reject,
    /// Apply the good rows and list the skipped ones in the report.
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
    pub replaces: Option<ImportId>,
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
    pub id: ImportId,
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

/// An upload opened and its first block read, before the transaction.
struct Opened<'a> {
    blocks: UploadBlocks<'a>,
    first: Parsed,
    /// The first block is the whole file.
    whole: bool,
    total_bytes: u64,
    /// The digest, when known before reading (an upload in memory); else it is worked out
    /// while reading.
    digest: Option<String>,
}

/// What the store side keeps of one import while it is applied.
struct Pass {
    workspace: WorkspaceId,
    started: Instant,
    format: Format,
    encoding: &'static str,
    bulk: bool,
    import_id: ImportId,
    owner: PersonId,
    me: PersonId,
    /// The first id this import gives a new person.
    first_new_person: i64,
    /// Nobody but "me" was in the workspace before this import.
    fresh_workspace: bool,
}

impl From<ResolveError> for StoreError {
    fn from(error: ResolveError) -> StoreError {
        match error {
            ResolveError::UnknownPerson(person) => StoreError::UnknownPerson(person.to_string()),
            ResolveError::Erased => StoreError::Conflict(
                "that person was erased from this workspace and stays erased; \
                 their email or profile URL cannot name an owner again"
                    .to_string(),
            ),
        }
    }
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
        let reader = DigestReader::new(reader, request, digest.is_none());
        let options = ParseOptions {
            format: request.format,
            encoding: request.encoding,
        };
        let mut blocks = import::Blocks::with_block_size(reader, &options, block_bytes);
        let (first, whole) = stages::first_block(&mut blocks, started)?;
        let opened = Opened {
            blocks,
            first,
            whole,
            total_bytes,
            digest,
        };
        let bulk = bulk::is_bulk(&self.connection, total_bytes)?;
        // A bulk load logs one "rebuild" row instead of a row per listing and person.
        let logging = self.logging.clone();
        let mode = bulk.then(|| BulkMode::enter(&self.connection, &logging));
        let outcome = self.apply_upload(workspace, request, opened, bulk, started, progress);
        if let Some(mode) = &mode {
            mode.leave(&self.connection);
        }
        outcome
    }

    /// Applies an opened upload in one transaction.
    fn apply_upload(
        &mut self,
        workspace: WorkspaceId,
        request: &ImportRequest<'_>,
        opened: Opened<'_>,
        bulk: bool,
        started: Instant,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<ImportOutcome, StoreError> {
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (resolver, pass) = begin(&transaction, workspace, request, &opened, bulk, started)?;
        let hashing = opened.digest.is_none();
        let rows = Rows {
            owner: pass.owner,
            reject: request.on_error == OnError::Reject,
        };
        // Three stages run side by side: reading and parsing blocks, resolving their rows
        // (which must see them in file order), and writing the listings they produce.
        let staged = stages::run(
            &transaction,
            opened.blocks,
            opened.first,
            resolver,
            rows,
            pass.import_id,
            (progress, opened.total_bytes),
        )?;
        finish(transaction, &pass, request, staged, hashing)
    }
}

/// The steps before the rows: what resolving starts from, the owner, the import's row, the
/// list it replaces withdrawn, a bulk load's indexes dropped, and the owner's tie to me.
fn begin(
    transaction: &Transaction<'_>,
    workspace: WorkspaceId,
    request: &ImportRequest<'_>,
    opened: &Opened<'_>,
    bulk: bool,
    started: Instant,
) -> Result<(Resolver, Pass), StoreError> {
    let first = &opened.first;
    let (format, encoding) = (first.block.format, first.block.encoding);
    // A small file that fit in one block is resolved against the people its rows (and its
    // owner) may be, found by their keys; anything larger against everyone.
    let targeted = !bulk && opened.whole && first.block.rows.len() <= preload::TARGETED_ROWS;
    let (mut seed, fresh_workspace) = preload::seed(transaction, workspace, targeted)?;
    if targeted {
        preload::preload(transaction, workspace, &request.owner, first, &mut seed)?;
    }
    let (me, first_new_person) = (seed.me, seed.next_person);
    let network = format == Format::Network;
    let mut resolver = Resolver::new(seed, network, LISTINGS_PER_STATEMENT);
    let owner = resolver.owner(&request.owner)?;
    let mut pass = Pass {
        workspace,
        started,
        format,
        encoding,
        bulk,
        import_id: ImportId(0),
        owner,
        me,
        first_new_person,
        fresh_workspace,
    };
    pass.import_id =
        report::insert_import(transaction, &pass, request, owner, opened.digest.as_deref())?;
    // The replaced list is withdrawn only now, after the new import has its row, so
    // SQLite cannot hand the new import the old one's id.
    if let Some(old) = request.replaces {
        replace::withdraw(transaction, workspace, old, owner, pass.import_id)?;
    }
    if bulk {
        bulk::drop_indexes(transaction, workspace)?;
    }
    if let Some(relationship) = request.relationship.filter(|_| owner != me && !network) {
        let listing = Listing {
            relationship: Some(relationship),
            ..Listing::default()
        };
        resolver.add_listing(me, owner, listing);
    }
    Ok((resolver, pass))
}

/// The steps after the rows: a rejected file or a duplicate upload rolled back, people and
/// keys written, a bulk load's indexes built, ties counted, people left unlisted removed,
/// the report stored and the transaction committed.
fn finish(
    transaction: Transaction<'_>,
    pass: &Pass,
    request: &ImportRequest<'_>,
    staged: Staged,
    hashing: bool,
) -> Result<ImportOutcome, StoreError> {
    let Staged {
        mut resolution,
        totals,
        digest,
    } = staged;
    let elapsed_ms = || pass.started.elapsed().as_millis() as u64;
    tracing::debug!(
        elapsed_ms = elapsed_ms(),
        rows = totals.rows,
        "rows resolved and listings written"
    );
    if request.on_error == OnError::Reject && !totals.problems.is_empty() {
        return Err(StoreError::Rejected(totals.problems));
    }
    if hashing {
        let digest = digest.unwrap_or_default();
        if let Some(report) = report::report_by_digest(&transaction, pass.workspace, &digest)? {
            // These bytes were applied before: this pass is rolled back.
            return Ok(ImportOutcome {
                report,
                created: false,
            });
        }
        report::record_digest(&transaction, pass.import_id, &digest)?;
    }
    writer::write_people(&transaction, pass.workspace, pass.import_id, &resolution)?;
    tracing::debug!(elapsed_ms = elapsed_ms(), "people and keys written");
    if pass.bulk {
        bulk::build_indexes(&transaction, pass.started)?;
    }
    let ties = report::count_ties(&transaction, pass, std::mem::take(&mut resolution.pairs))?;
    tracing::debug!(elapsed_ms = elapsed_ms(), "ties counted");
    replace::remove_orphans(&transaction, request.replaces, pass.import_id, pass.me)?;
    let report = report::build(pass, totals, &mut resolution, ties);
    report::save(&transaction, &report)?;
    drop(resolution);
    Store::prune_changes(&transaction)?;
    transaction.commit()?;
    tracing::debug!(elapsed_ms = elapsed_ms(), "committed");
    tracing::info!(
        import = report.id.0,
        rows = report.rows,
        took_ms = report.took_ms,
        "import applied"
    );
    Ok(ImportOutcome {
        report,
        created: true,
    })
}

#[cfg(test)]
mod tests;
