//! Importing a network file into a fresh SQLite store, and reading it back as a snapshot:
//! the load path of `warmpath bench`, on a synthetic network of 4,000 people
//! (about 80,000 listings). `cargo bench --bench import`.

mod common;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use warmpath::identity::PersonRef;
use warmpath::import::{self, Format, ParseOptions};
use warmpath::store::{ImportRequest, OnError, Source, Store};

fn benches(c: &mut Criterion) {
    let bytes = common::generate(4_000, 11).network_csv();
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.throughput(criterion::Throughput::Bytes(bytes.len() as u64));
    group.bench_function("parse_network_80k_rows", |b| {
        let options = ParseOptions {
            format: Some(Format::Network),
            encoding: None,
        };
        b.iter(|| black_box(import::parse(&bytes, &options)))
    });
    group.bench_function("import_network_80k_rows", |b| {
        b.iter_batched(
            || {
                let directory = tempfile::tempdir().expect("a temporary directory");
                let store = Store::open(&directory.path().join("bench.db")).expect("a store");
                (directory, store)
            },
            |(directory, mut store)| {
                let workspace = store.workspace("default").expect("the default workspace");
                let request = ImportRequest {
                    source: Source::Bytes(&bytes),
                    owner: PersonRef::Me,
                    relationship: None,
                    format: Some(Format::Network),
                    encoding: None,
                    on_error: OnError::Reject,
                    replaces: None,
                };
                let outcome = store.import(workspace, &request, &mut |_, _| {});
                black_box((outcome.is_ok(), store.snapshot_input(workspace).is_ok()));
                drop(store);
                drop(directory);
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(import_benches, benches);
criterion_main!(import_benches);
