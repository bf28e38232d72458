//! Upload digests: the same bytes, for the same owner, read the same way, give the same
//! digest, so an upload is applied once. An upload in memory is hashed before it is read;
//! a file is hashed while it is read ([`DigestReader`]) and its duplicate found at the end.

use std::io::Read;

use sha2::{Digest, Sha256};

use super::{ImportRequest, Source};
use crate::import::Format;
use crate::relationship::Relationship;
use crate::store::StoreError;
use crate::store::people::describe;

/// The same bytes, for the same owner, read the same way, give the same digest.
pub(super) fn upload_digest(request: &ImportRequest<'_>, bytes: &[u8]) -> String {
    let mut hasher = digest_start(request);
    hasher.update(bytes);
    hex(hasher)
}

/// The digest of everything about an upload but its bytes, which follow.
fn digest_start(request: &ImportRequest<'_>) -> Sha256 {
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
    hasher.update(request.replaces.map_or(0, |old| old.0).to_le_bytes());
    hasher
}

fn hex(hasher: Sha256) -> String {
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// An upload's bytes as a reader, and their size (0 when a file's is unknown).
pub(super) fn open<'a>(source: Source<'a>) -> Result<(Box<dyn Read + Send + 'a>, u64), StoreError> {
    match source {
        Source::Bytes(bytes) => Ok((Box::new(bytes), bytes.len() as u64)),
        Source::File(path) => {
            let file = std::fs::File::open(path).map_err(StoreError::Read)?;
            let size = file.metadata().map(|meta| meta.len()).unwrap_or(0);
            Ok((Box::new(file), size))
        }
    }
}

/// A reader that hashes what it reads, for uploads whose digest is only known at the end.
pub(super) struct DigestReader<R> {
    inner: R,
    hasher: Option<Sha256>,
}

impl<R: Read> DigestReader<R> {
    pub(super) fn new(inner: R, request: &ImportRequest<'_>, hashing: bool) -> DigestReader<R> {
        DigestReader {
            inner,
            hasher: hashing.then(|| digest_start(request)),
        }
    }

    /// The digest of what was read, when hashing.
    pub(super) fn finish(self) -> Option<String> {
        self.hasher.map(hex)
    }
}

impl<R: Read> Read for DigestReader<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        if let Some(hasher) = &mut self.hasher {
            hasher.update(&buffer[..read]);
        }
        Ok(read)
    }
}
