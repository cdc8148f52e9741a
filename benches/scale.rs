//! Scale benchmarks on 200,000 generated ACLED events (the `strikemap bench` command measures
//! the full 1,000,000-row case with the real app): building the store, computing the map layer
//! (markers, clusters or density, as Auto picks) at zoom 5, 8 and 12 for windows of 1 day, 30
//! days and everything, and picking the event under the pointer.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use strikemap::generate::{GenFormat, GenOptions, generate};
use strikemap::geo::view::ViewGeometry;
use strikemap::layers::{LayerMode, compute};
use strikemap::model::{DAY, mercator};
use strikemap::store::EventStore;

fn scale(c: &mut Criterion) {
    let mut bytes = Vec::new();
    let opts = GenOptions {
        rows: 200_000,
        format: GenFormat::Acled,
        seed: 1,
    };
    generate(&opts, &mut bytes).unwrap();
    let report = strikemap::import::load_bytes("bench.csv", &bytes).unwrap();
    let data = Arc::new(report.into_dataset(strikemap::model::DatasetId::File("bench.csv".into())));
    let mut group = c.benchmark_group("scale_200k");
    group.sample_size(20);
    group.bench_function("store_build", |b| {
        b.iter(|| black_box(EventStore::new(vec![data.clone()])));
    });
    let store = EventStore::new(vec![data]);
    let (t0, t1) = store.span().unwrap();
    let cursor = t0 + (t1 - t0) * 3 / 4;
    for (zoom, lat, lon) in [(5.0, 48.5, 34.5), (8.0, 49.0, 37.0), (12.0, 49.99, 36.23)] {
        let (cx, cy) = mercator(lat, lon);
        let view = ViewGeometry::at_zoom((cx, cy), zoom, (1280.0, 700.0));
        for (name, from) in [
            ("1d", cursor - DAY),
            ("30d", cursor - 30 * DAY),
            ("all", t0),
        ] {
            let w = store.window(from, cursor);
            group.bench_function(format!("layer_z{zoom}_{name}"), |b| {
                b.iter(|| black_box(compute(&store, &w, &view, LayerMode::Auto)));
            });
        }
        let w = store.window(t0, cursor);
        let r = (8.0 / view.scale) as f32;
        group.bench_function(format!("pick_z{zoom}_all"), |b| {
            b.iter(|| black_box(store.nearest(&w, cx as f32, cy as f32, r)));
        });
    }
    group.finish();
}

criterion_group!(benches, scale);
criterion_main!(benches);
