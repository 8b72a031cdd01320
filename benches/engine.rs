//! Detection engine throughput on in-memory buffers of mixed, realistic text.
//!
//! Run with `cargo bench --bench engine`. Reports MB/s for the full built-in catalogue and for
//! each detector alone, on the same deterministic buffer (~8 MB).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use piimap::detection::{Catalog, Engine, EngineOptions};

mod common;
use common::corpus;

fn bench(c: &mut Criterion) {
    let data = corpus(8 << 20);
    let catalog = Catalog::builtin().expect("built-in catalogue");
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Bytes(data.len() as u64));
    group.sample_size(10);
    let mut run = |name: &str, catalog: &Catalog| {
        let engine = Engine::new(catalog, EngineOptions::default()).expect("engine");
        let mut scratch = engine.scratch();
        group.bench_function(name, |b| {
            b.iter(|| {
                engine.scan(&data, 0..data.len(), &mut scratch);
                scratch.hits().len()
            })
        });
    };
    run("all", &catalog);
    // The catalogue without the dictionary detectors (names, addresses, Art. 9 terms), to see
    // what they cost.
    let mut core = catalog.clone();
    core.retain(|d| {
        !matches!(
            &*d.id,
            "person_name"
                | "street_address"
                | "health"
                | "religion"
                | "ethnic_origin"
                | "political_opinion"
                | "trade_union"
                | "sexual_orientation"
                | "genetic_biometric"
        )
    });
    run("all_without_dictionary_detectors", &core);
    for d in catalog.detectors() {
        let mut one = catalog.clone();
        one.retain(|x| x.id == d.id);
        run(&d.id, &one);
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
