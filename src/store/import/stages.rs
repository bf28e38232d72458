//! The three stages of an import, run side by side: a thread reads and parses blocks
//! (rayon prepares their rows), a thread resolves rows to people in file order, and the
//! calling thread writes the listings they produce inside the import's transaction. A
//! fourth thread frees each block once its rows are resolved.

use std::io::Read;
use std::sync::mpsc::{Receiver, Sender, SyncSender};
use std::time::Instant;

use rusqlite::Transaction;

use super::digest::DigestReader;
use super::report::Totals;
use super::writer::ListingWriter;
use crate::identity::PersonId;
use crate::identity::resolve::{ListingRow, Prepared, Resolution, Resolver, prepare_rows};
use crate::import::{self, ParsedFile};
use crate::store::StoreError;

/// The blocks of an upload, hashed as they are read when its digest is not known yet.
pub(super) type UploadBlocks<'a> = import::Blocks<DigestReader<Box<dyn Read + Send + 'a>>>;

/// One block of the file with what was prepared of its rows, and how far into the file
/// it ends.
pub(super) struct Parsed {
    pub(super) block: ParsedFile,
    pub(super) prepared: Vec<Prepared>,
    pub(super) read: u64,
}

/// A batch of listings to write, or how far the file has been read.
enum Outcome {
    Listings(Vec<ListingRow>),
    Read(u64),
}

/// What the stages produced: the rows' resolution, the report's totals (with the reader's
/// closing warnings), and the digest of what was read when it was hashed.
pub(super) struct Staged {
    pub(super) resolution: Resolution,
    pub(super) totals: Totals,
    pub(super) digest: Option<String>,
}

/// How the rows are resolved: who owns them (but a network file's) and whether a bad line
/// stops resolving (`on_error=reject`: nothing is written anyway).
#[derive(Clone, Copy)]
pub(super) struct Rows {
    pub(super) owner: PersonId,
    pub(super) reject: bool,
}

/// Reads and prepares the first block, before the transaction: a file refused as a whole
/// writes nothing. Also says whether it was the whole file.
pub(super) fn first_block(
    blocks: &mut UploadBlocks<'_>,
    started: Instant,
) -> Result<(Parsed, bool), StoreError> {
    let block = match blocks.next_block() {
        Some(block) => block?,
        None => return Err(StoreError::File(import::ImportError::Empty)),
    };
    let prepared = prepare_rows(&block);
    let read = blocks.bytes_read();
    tracing::debug!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        rows = block.rows.len(),
        "first block parsed"
    );
    let first = Parsed {
        block,
        prepared,
        read,
    };
    Ok((first, blocks.is_done()))
}

/// Runs the three stages over the rest of the upload: the first block (already read) and
/// every later one are resolved in file order, and their listings written through one
/// [`ListingWriter`]. `progress` is called with the bytes read so far and the file's size.
pub(super) fn run(
    transaction: &Transaction<'_>,
    blocks: UploadBlocks<'_>,
    first: Parsed,
    resolver: Resolver,
    rows: Rows,
    import_id: crate::store::ImportId,
    (progress, total_bytes): (&mut dyn FnMut(u64, u64), u64),
) -> Result<Staged, StoreError> {
    let mut writer = ListingWriter::new(import_id);
    std::thread::scope(|scope| -> Result<Staged, StoreError> {
        let (sender, parsed) =
            std::sync::mpsc::sync_channel::<Result<Parsed, import::ReadError>>(1);
        let reader = scope.spawn(move || read_blocks(blocks, sender));
        // Freeing a block's millions of small strings is left to a thread of its own.
        let (done, finished) = std::sync::mpsc::channel::<ParsedFile>();
        scope.spawn(move || finished.into_iter().for_each(drop));
        let (sink, outcomes) = std::sync::mpsc::sync_channel::<Outcome>(64);
        let resolving =
            scope.spawn(move || resolve_blocks(resolver, first, parsed, rows, sink, done));
        for outcome in outcomes {
            match outcome {
                Outcome::Listings(batch) => writer.write(transaction, &batch)?,
                Outcome::Read(read) => progress(read, total_bytes.max(read)),
            }
        }
        let (resolution, mut totals) = resolving.join().map_err(|_| {
            StoreError::internal("the row resolver stopped", "its thread panicked")
        })??;
        let (warnings, digest) = reader
            .join()
            .map_err(|_| StoreError::internal("the file reader stopped", "its thread panicked"))?;
        totals.warnings.extend(warnings);
        Ok(Staged {
            resolution,
            totals,
            digest,
        })
    })
}

/// The reading stage: parses and prepares every block after the first and sends it on;
/// returns the reader's closing warnings and the digest of what it read.
fn read_blocks(
    mut blocks: UploadBlocks<'_>,
    sender: SyncSender<Result<Parsed, import::ReadError>>,
) -> (Vec<String>, Option<String>) {
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
}

/// The resolving stage: resolves the rows of every block in file order (none once a bad
/// line rejects the file), sends their listings to the writer, says how far the file has
/// been read, and hands each block on to be freed.
fn resolve_blocks(
    mut resolver: Resolver,
    first: Parsed,
    parsed: Receiver<Result<Parsed, import::ReadError>>,
    rows: Rows,
    sink: SyncSender<Outcome>,
    done: Sender<ParsedFile>,
) -> Result<(Resolution, Totals), StoreError> {
    let mut ship = |batch: Vec<ListingRow>| {
        sink.send(Outcome::Listings(batch))
            .map_err(|_| StoreError::internal("the listing writer stopped", "its channel closed"))
    };
    let mut totals = Totals::default();
    for parsed in std::iter::once(Ok(first)).chain(parsed) {
        let parsed = parsed.map_err(StoreError::from)?;
        totals.add(&parsed.block);
        if !rows.reject || totals.problems.is_empty() {
            resolver.block(&parsed.block, parsed.prepared, rows.owner, &mut ship)?;
        }
        let _ = sink.send(Outcome::Read(parsed.read));
        let _ = done.send(parsed.block);
    }
    resolver.flush(&mut ship)?;
    Ok((resolver.finish(), totals))
}
