//! Snapshot building and the two queries of the shared benchmark (plus three hops) on a
//! synthetic network of 100,000 people. `cargo bench --bench search`.

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use warmpath::graph::{NodeIdx, Snapshot};
use warmpath::search::{self, Query, Scratch, TargetFilter};
use warmpath::strength::StrengthSettings;
use warmpath::taxonomy::Taxonomy;

fn benches(c: &mut Criterion) {
    let generated = common::generate(100_000, 7);
    let settings =
        StrengthSettings::new(chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default());
    let mut group = c.benchmark_group("snapshot");
    group.sample_size(10);
    group.bench_function("build_100k", |b| {
        b.iter_batched(
            || generated.snapshot_input(),
            |input| black_box(Snapshot::build(input, &settings)),
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();

    let snapshot = Snapshot::build(generated.snapshot_input(), &settings);
    let taxonomy = Taxonomy::embedded();
    let finance = taxonomy.query_mask(taxonomy.field("finance").expect("finance is a field"));
    let egos: Vec<NodeIdx> = generated
        .egos
        .iter()
        .filter_map(|&ego| snapshot.node_of_person(ego as i64 + 1))
        .collect();
    let mut scratch = Scratch::new(&snapshot);
    let query = |from, max_hops| Query {
        from,
        filter: TargetFilter {
            field_mask: finance,
            ..TargetFilter::default()
        },
        max_hops,
        limit: 10,
    };
    let mut group = c.benchmark_group("search");
    let mut next = 0usize;
    group.bench_function("paths_2hop", |b| {
        b.iter(|| {
            next = (next + 1) % egos.len();
            black_box(search::paths(
                &snapshot,
                &query(egos[next], 2),
                &mut scratch,
            ))
        })
    });
    group.bench_function("introducers_2hop", |b| {
        b.iter(|| {
            next = (next + 1) % egos.len();
            black_box(search::introducers(
                &snapshot,
                &query(egos[next], 2),
                &mut scratch,
            ))
        })
    });
    group.sample_size(20);
    group.bench_function("paths_3hop", |b| {
        b.iter(|| {
            next = (next + 1) % egos.len();
            black_box(search::paths(
                &snapshot,
                &query(egos[next], 3),
                &mut scratch,
            ))
        })
    });
    group.finish();
}

criterion_group!(search_benches, benches);
criterion_main!(search_benches);
