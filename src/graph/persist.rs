//! Snapshot files: a base written as it lies in memory, so that `serve` and `ask` start by
//! reading one file instead of rebuilding from the store.
//!
//! # Format (version [`SNAPSHOT_FORMAT`])
//! A header (magic, version, byte order, the database's id, the change-log row the base
//! includes, the strength settings, counts), then each array of the base as one section:
//! its length in bytes and its bytes, padded to 8. Arrays of plain data are written and
//! read with one copy each (`bytemuck`); lists of strings as offsets plus text. A file is
//! written beside its final name and renamed over it after `fsync`, so a reader sees an old
//! file or a new one, never half of one. Reading checks every index against the sizes it
//! read, so a damaged file is refused (and rebuilt by the caller), never a panic.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;
use std::sync::Arc;

use bytemuck::{Pod, Zeroable};

use super::base::{Base, EmailAt, PersonAt, PersonMeta};
use super::delta::Delta;
use super::tie::TieInput;
use super::{Entry, FieldGroup, Interned, Snapshot};
use crate::strength::StrengthSettings;

/// The version of the file format; a file of another version is rebuilt.
pub const SNAPSHOT_FORMAT: u32 = 1;

const MAGIC: [u8; 8] = *b"WPSNAP\0\x01";
const BYTE_ORDER: u32 = 0x0102_0304;

/// Why a snapshot file could not be written or used.
#[derive(Debug, thiserror::Error)]
pub enum PersistError {
    #[error("snapshot file: {0}")]
    Io(#[from] std::io::Error),
    #[error("snapshot file is not usable: {0}")]
    Format(String),
}

fn bad(what: &str) -> PersistError {
    PersistError::Format(what.to_string())
}

/// What a file says about itself, read before the arrays.
#[derive(Debug, Clone, Copy, PartialEq, Pod, Zeroable)]
#[repr(C)]
struct Header {
    magic: [u8; 8],
    version: u32,
    byte_order: u32,
    database: [u8; 32],
    seq: i64,
    today: i64,
    half_life_days: f64,
    me: i64,
}

/// Where a base comes from: the database (by its id) and the change-log row it includes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The database's id (`Store::database_id`), at most 32 bytes.
    pub database: String,
    pub seq: i64,
}

impl Snapshot {
    /// Writes this snapshot's base to `path` (atomically: a temporary file renamed over
    /// it), if `still_wanted()` holds once it is written. Only a snapshot without a delta
    /// can be written.
    ///
    /// # Errors
    /// I/O errors, or [`PersistError::Format`] when the snapshot has a delta.
    pub fn write_to(
        &self,
        path: &Path,
        provenance: &Provenance,
        still_wanted: impl Fn() -> bool,
    ) -> Result<(), PersistError> {
        if self.delta_size() > 0 || self.delta.count != 0 {
            return Err(bad(
                "only a snapshot without writes over its base is written",
            ));
        }
        let directory = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(directory)?;
        let mut temporary = tempfile::NamedTempFile::new_in(directory)?;
        {
            let mut out = BufWriter::with_capacity(1 << 20, temporary.as_file_mut());
            write_base(&mut out, &self.base, provenance)?;
            out.flush()?;
        }
        temporary.as_file().sync_all()?;
        if !still_wanted() {
            // Dropping the temporary file removes it.
            return Ok(());
        }
        temporary
            .persist(path)
            .map_err(|error| PersistError::Io(error.error))?;
        Ok(())
    }

    /// Reads a snapshot written by [`Snapshot::write_to`]: `Ok(None)` when there is no
    /// file, or it is of another format, database or settings.
    ///
    /// # Errors
    /// I/O errors, or [`PersistError::Format`] for a damaged file.
    pub fn read_from(
        path: &Path,
        database: &str,
        settings: &StrengthSettings,
    ) -> Result<Option<(Snapshot, i64)>, PersistError> {
        let file = match File::open(path) {
            Ok(file) => file,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(error.into()),
        };
        let mut input = BufReader::with_capacity(1 << 20, file);
        let mut header = Header::zeroed();
        input.read_exact(bytemuck::bytes_of_mut(&mut header))?;
        if header.magic != MAGIC
            || header.version != SNAPSHOT_FORMAT
            || header.byte_order != BYTE_ORDER
            || header.database != database_bytes(database)
            || header.today != days(settings.today)
            || header.half_life_days.to_bits() != settings.half_life_days.to_bits()
        {
            return Ok(None);
        }
        let base = read_base(&mut input, &header, settings)?;
        Ok(Some((
            Snapshot {
                base: Arc::new(base),
                delta: Arc::new(Delta::default()),
            },
            header.seq,
        )))
    }
}

fn days(date: chrono::NaiveDate) -> i64 {
    use chrono::Datelike;
    i64::from(date.num_days_from_ce())
}

fn database_bytes(database: &str) -> [u8; 32] {
    let mut bytes = [0u8; 32];
    let len = database.len().min(32);
    bytes[..len].copy_from_slice(&database.as_bytes()[..len]);
    bytes
}

fn write_base(
    out: &mut impl Write,
    base: &Base,
    provenance: &Provenance,
) -> Result<(), PersistError> {
    let header = Header {
        magic: MAGIC,
        version: SNAPSHOT_FORMAT,
        byte_order: BYTE_ORDER,
        database: database_bytes(&provenance.database),
        seq: provenance.seq,
        today: days(base.settings.today),
        half_life_days: base.settings.half_life_days,
        me: base.me.map_or(-1, i64::from),
    };
    out.write_all(bytemuck::bytes_of(&header))?;
    write_slice(out, &base.people)?;
    write_slice(out, base.text.as_bytes())?;
    write_strings(out, base.field_lists.iter().map(|list| list.join("\n")))?;
    write_slice(out, &base.rank)?;
    write_slice(out, &base.order)?;
    write_slice(out, &base.offsets)?;
    write_slice(out, &base.entries)?;
    write_slice(out, &base.upward_before)?;
    write_slice(out, &base.ties)?;
    write_slice(out, &base.mutual)?;
    write_slice(out, &base.groups)?;
    write_strings(out, base.companies.values.iter().cloned())?;
    write_slice(out, &base.companies.of_node)?;
    write_strings(out, base.titles.values.iter().cloned())?;
    write_slice(out, &base.titles.of_node)?;
    write_slice(out, &base.by_person)?;
    write_slice(out, &base.by_email)?;
    Ok(())
}

fn write_slice<T: Pod>(out: &mut impl Write, items: &[T]) -> Result<(), PersistError> {
    let bytes: &[u8] = bytemuck::cast_slice(items);
    out.write_all(&(bytes.len() as u64).to_le_bytes())?;
    out.write_all(bytes)?;
    out.write_all(&[0u8; 8][..padding(bytes.len())])?;
    Ok(())
}

fn padding(len: usize) -> usize {
    (8 - len % 8) % 8
}

/// Strings as their end offsets, then their bytes.
fn write_strings(
    out: &mut impl Write,
    strings: impl Iterator<Item = String>,
) -> Result<(), PersistError> {
    let mut ends: Vec<u64> = Vec::new();
    let mut text = String::new();
    for string in strings {
        text.push_str(&string);
        ends.push(text.len() as u64);
    }
    write_slice(out, &ends)?;
    write_slice(out, text.as_bytes())
}

fn read_slice<T: Pod>(input: &mut impl Read) -> Result<Vec<T>, PersistError> {
    let mut len = [0u8; 8];
    input.read_exact(&mut len)?;
    let len = u64::from_le_bytes(len) as usize;
    let size = std::mem::size_of::<T>();
    if !len.is_multiple_of(size) || len > (1 << 40) {
        return Err(bad("a section has an impossible length"));
    }
    let mut items = vec![T::zeroed(); len / size];
    input.read_exact(bytemuck::cast_slice_mut(&mut items))?;
    let mut pad = [0u8; 8];
    input.read_exact(&mut pad[..padding(len)])?;
    Ok(items)
}

fn read_text(input: &mut impl Read) -> Result<String, PersistError> {
    String::from_utf8(read_slice::<u8>(input)?).map_err(|_| bad("text is not UTF-8"))
}

fn read_strings(input: &mut impl Read) -> Result<Vec<String>, PersistError> {
    let ends: Vec<u64> = read_slice(input)?;
    let text = read_text(input)?;
    let mut strings = Vec::with_capacity(ends.len());
    let mut start = 0usize;
    for &end in &ends {
        let end = end as usize;
        let piece = text
            .get(start..end)
            .ok_or_else(|| bad("a string lies outside its text"))?;
        strings.push(piece.to_string());
        start = end;
    }
    Ok(strings)
}

fn read_base(
    input: &mut impl Read,
    header: &Header,
    settings: &StrengthSettings,
) -> Result<Base, PersistError> {
    let people: Vec<PersonMeta> = read_slice(input)?;
    let text = read_text(input)?;
    let field_lists: Vec<Vec<String>> = read_strings(input)?
        .into_iter()
        .map(|joined| {
            if joined.is_empty() {
                Vec::new()
            } else {
                joined.split('\n').map(str::to_string).collect()
            }
        })
        .collect();
    let base = Base {
        people,
        text,
        field_lists,
        rank: read_slice(input)?,
        order: read_slice(input)?,
        offsets: read_slice(input)?,
        entries: read_slice::<Entry>(input)?,
        upward_before: read_slice(input)?,
        ties: read_slice::<TieInput>(input)?,
        mutual: read_slice(input)?,
        groups: read_slice::<FieldGroup>(input)?,
        companies: Interned {
            values: read_strings(input)?,
            of_node: read_slice(input)?,
        },
        titles: Interned {
            values: read_strings(input)?,
            of_node: read_slice(input)?,
        },
        by_person: read_slice::<PersonAt>(input)?,
        by_email: read_slice::<EmailAt>(input)?,
        me: u32::try_from(header.me).ok(),
        settings: *settings,
    };
    check(&base)?;
    Ok(base)
}

/// Every index of a base read from a file is within what it indexes.
fn check(base: &Base) -> Result<(), PersistError> {
    let nodes = base.people.len();
    let count = nodes as u32;
    let same = |len: usize| len == nodes;
    if !same(base.rank.len())
        || !same(base.companies.of_node.len())
        || !same(base.titles.of_node.len())
        || base.offsets.len() != nodes + 1
        || base.upward_before.len() != nodes + 1
        || base.offsets.first() != Some(&0)
        || base.offsets.last().copied() != Some(base.entries.len() as u64)
        || base.offsets.windows(2).any(|pair| pair[0] > pair[1])
        || base.upward_before.last().copied() != Some(base.ties.len() as u64)
        || base.upward_before.windows(2).any(|pair| pair[0] > pair[1])
        || !(base.mutual.is_empty() || base.mutual.len() == base.ties.len())
    {
        return Err(bad("the arrays' sizes do not agree"));
    }
    if base.entries.iter().any(|entry| entry.node >= count)
        || base.ties.iter().any(|tie| tie.a >= tie.b || tie.b >= count)
        || base.order.iter().any(|&node| node >= count)
        || base
            .rank
            .iter()
            .any(|&rank| rank != u32::MAX && rank as usize >= base.order.len())
        || base.by_person.iter().any(|at| at.node >= count)
        || base.by_email.iter().any(|at| at.node >= count)
        || base.me.is_some_and(|me| me >= count)
        || base.groups.iter().any(|group| {
            group.start > group.filled || group.filled > group.end || group.end > count
        })
    {
        return Err(bad("a node index lies outside the network"));
    }
    let (companies, titles) = (
        base.companies.values.len() as u32,
        base.titles.values.len() as u32,
    );
    if base
        .companies
        .of_node
        .iter()
        .any(|&id| id != u32::MAX && id >= companies)
        || base
            .titles
            .of_node
            .iter()
            .any(|&id| id != u32::MAX && id >= titles)
    {
        return Err(bad("a company or title id lies outside its table"));
    }
    for meta in &base.people {
        let start = meta.text as usize;
        let mut at = start;
        for len in [
            meta.name_len,
            meta.company_len,
            meta.title_len,
            meta.emails_len,
        ] {
            at += len as usize;
            if !base.text.is_char_boundary(at) {
                return Err(bad("a person's text lies outside the text"));
            }
        }
        if !base.text.is_char_boundary(start)
            || meta.fields as usize >= base.field_lists.len().max(1)
        {
            return Err(bad("a person's text lies outside the text"));
        }
    }
    Ok(())
}
