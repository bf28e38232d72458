//! A fuzzer for the decoders and the import pipeline, with a time budget: every export in
//! `tests/fixtures/import` and `../shared/fixtures/real-exports`, mutated at random (bytes
//! flipped, inserted, deleted, runs duplicated, files spliced), parsed whole, parsed in
//! small blocks, and now and then imported into a real database. Nothing may panic; what
//! is parsed must be sound (rows with names, problems with lines).
//!
//! `.ci/run` runs it for a while (`FUZZ_SECONDS=60 FUZZ_SEED=20261207 cargo test --release
//! --test fuzz_import -- --ignored`); a failure prints the mutated bytes' file, which goes
//! into `tests/fixtures/fuzz/`, where `past_finds_stay_fixed` reads it on every `cargo test`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use warmpath::identity::PersonRef;
use warmpath::import::{Blocks, ParseOptions, parse};
use warmpath::store::{ImportRequest, OnError, Source, Store};

/// The seed files: our fixtures and, when present, the shared real exports.
fn corpus() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    let mut folders = vec![
        root.join("tests/fixtures/import"),
        root.join("tests/fixtures/fuzz"),
    ];
    let shared = root.join("../shared/fixtures/real-exports");
    if let Ok(entries) = std::fs::read_dir(&shared) {
        folders.extend(entries.flatten().map(|entry| entry.path()));
    }
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let wanted = path
                .extension()
                .is_some_and(|ext| matches!(ext.to_str(), Some("csv" | "vcf" | "bin" | "txt")));
            if wanted && let Ok(bytes) = std::fs::read(&path) {
                files.push(bytes);
            }
        }
    }
    files
}

/// xorshift64*: a small, seeded source of randomness, so a run can be repeated.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes worth inserting: the ones parsers care about.
const INTERESTING: &[u8] = b",;\"\r\n\t:=\\\x00\xff\xfe\xef\xbb\xbfBEGIN:VCARD\nEND:VCARD@";

fn mutate(rng: &mut Rng, seed: &[u8], corpus: &[Vec<u8>]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(6) {
            0 if !bytes.is_empty() => {
                let at = at.min(bytes.len() - 1);
                bytes[at] ^= 1 << rng.below(8);
            }
            1 => {
                let byte = INTERESTING[rng.below(INTERESTING.len())];
                bytes.insert(at, byte);
            }
            2 if !bytes.is_empty() => {
                let end = (at + 1 + rng.below(16)).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            3 if !bytes.is_empty() => {
                let start = rng.below(bytes.len());
                let end = (start + 1 + rng.below(64)).min(bytes.len());
                let run = bytes[start..end].to_vec();
                bytes.splice(at..at, run);
            }
            4 => {
                let other = &corpus[rng.below(corpus.len())];
                let start = rng.below(other.len());
                let end = (start + rng.below(256)).min(other.len());
                bytes.splice(at..at, other[start..end].iter().copied());
            }
            _ => bytes.truncate(at),
        }
    }
    bytes
}

/// Parses the bytes whole and in small blocks; both must be sound and agree on success.
fn check(bytes: &[u8]) {
    let options = ParseOptions::default();
    let whole = parse(bytes, &options);
    if let Ok(parsed) = &whole {
        assert!(
            parsed
                .rows
                .iter()
                .all(|row| !row.name.is_empty() && row.line >= 1)
        );
        assert!(parsed.problems.iter().all(|problem| problem.line >= 1));
    }
    let mut blocks = Blocks::with_block_size(bytes, &options, 64);
    let mut streamed_rows = 0;
    let mut streamed_encoding = None;
    let mut refused = false;
    while let Some(block) = blocks.next_block() {
        match block {
            Ok(block) => {
                streamed_rows += block.rows.len();
                streamed_encoding.get_or_insert(block.encoding);
            }
            Err(_) => {
                refused = true;
                break;
            }
        }
    }
    if let Ok(parsed) = &whole
        && !refused
    {
        // A file longer than its first block is judged by that block (documented): when it
        // is clean UTF-8, bytes that do not decode later are replaced, where a whole read
        // takes the file for Windows-1252. The blocks must then agree with a whole read
        // as UTF-8.
        let expected = if streamed_encoding.as_ref() == Some(&parsed.encoding) {
            parsed.rows.len()
        } else {
            assert_eq!(streamed_encoding, Some("utf-8"));
            let as_utf8 = ParseOptions {
                encoding: Some(encoding_rs::UTF_8),
                ..ParseOptions::default()
            };
            parse(bytes, &as_utf8)
                .expect("a file read in UTF-8 blocks reads whole as UTF-8")
                .rows
                .len()
        };
        assert_eq!(expected, streamed_rows, "whole and block reads agree");
    }
}

/// Imports the bytes into a real database: an answer or a refusal, never a panic, and a
/// refused file leaves nothing behind.
fn import(store: &mut Store, bytes: &[u8]) {
    let workspace = store.workspace("default").expect("the default workspace");
    let before = store.change_seq().expect("the change sequence");
    let outcome = store.import(
        workspace,
        &ImportRequest {
            source: Source::Bytes(bytes),
            owner: PersonRef::Me,
            relationship: None,
            format: None,
            encoding: None,
            on_error: OnError::Reject,
            replaces: None,
        },
        &mut |_, _| {},
    );
    if outcome.is_err() {
        assert_eq!(
            store.change_seq().expect("the change sequence"),
            before,
            "a refused file wrote nothing"
        );
    }
}

/// Keeps a failing input where the regression test finds it, and says where.
fn keep(bytes: &[u8]) -> PathBuf {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let _ = std::fs::create_dir_all(&folder);
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    let path = folder.join(format!("find-{hash:016x}.bin"));
    let _ = std::fs::write(&path, bytes);
    path
}

#[test]
#[ignore = "a fuzzer: .ci/run runs it with a time budget (FUZZ_SECONDS)"]
fn mutated_exports_never_panic() {
    let corpus = corpus();
    assert!(!corpus.is_empty(), "no seed files");
    let seconds: u64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(30);
    let seed: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(0x5eed_1234_abcd_0042);
    let mut rng = Rng(seed | 1);
    let directory = tempfile::tempdir().unwrap();
    let mut store = Store::open(&directory.path().join("fuzz.db")).unwrap();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut runs = 0u64;
    while Instant::now() < deadline {
        let seed = &corpus[rng.below(corpus.len())];
        let bytes = mutate(&mut rng, seed, &corpus);
        let outcome = std::panic::catch_unwind(|| check(&bytes));
        if outcome.is_err() {
            panic!("parsing panicked; input kept at {}", keep(&bytes).display());
        }
        if runs.is_multiple_of(50) {
            let imported = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                import(&mut store, &bytes)
            }));
            if imported.is_err() {
                panic!(
                    "importing panicked; input kept at {}",
                    keep(&bytes).display()
                );
            }
        }
        runs += 1;
    }
    eprintln!("fuzzed {runs} inputs in {seconds} s (seed {seed:#x})");
    assert!(runs > 0);
}

#[test]
fn past_finds_stay_fixed() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return;
    };
    let directory = tempfile::tempdir().unwrap();
    let mut store = Store::open(&directory.path().join("finds.db")).unwrap();
    for entry in entries.flatten() {
        let bytes = std::fs::read(entry.path()).unwrap();
        check(&bytes);
        import(&mut store, &bytes);
    }
}
