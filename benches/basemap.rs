//! Whole-frame CPU cost of the built-in basemap: cull + transform + label placement
//! (`basemap_shapes`) and egui's tessellation of the result, at zoom 3–11 over Kyiv, Kharkiv,
//! Sana'a, Khartoum, Aleppo, Gaza and Goma in a 1280×800 map, with the world gazetteer's
//! places added (the app's state a moment after start). The budget is 2 ms per frame
//! (median). Also the start-up cost of the basemap, and gazetteer lookups.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use egui::{Pos2, Rect, vec2};
use strikemap::geo::Basemap;
use strikemap::map::basemap::{BasemapStyle, Obstacles, View, basemap_shapes};
use strikemap::map::mercator;

/// The cities of the frame benchmark: the regional extract (Kyiv, Kharkiv) and the world.
const CITIES: [(&str, f64, f64); 7] = [
    ("kyiv", 50.45, 30.52),
    ("kharkiv", 49.99, 36.23),
    ("sanaa", 15.35, 44.21),
    ("khartoum", 15.55, 32.53),
    ("aleppo", 36.20, 37.16),
    ("gaza", 31.50, 34.47),
    ("goma", -1.68, 29.23),
];

fn frame(c: &mut Criterion) {
    let mut basemap = Basemap::embedded().unwrap();
    basemap.add_places(strikemap::geo::WorldGazetteer::get().unwrap().places());
    let ctx = egui::Context::default();
    let style = BasemapStyle::new(false);
    let mut group = c.benchmark_group("basemap_frame");
    group
        .sample_size(30)
        .warm_up_time(std::time::Duration::from_millis(300))
        .measurement_time(std::time::Duration::from_millis(1200));
    for (city, lat, lon) in CITIES {
        for zoom in [3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0] {
            let (x, y) = mercator(lat, lon);
            let rect = Rect::from_min_size(Pos2::ZERO, vec2(1280.0, 800.0));
            let view = View::new(rect, [x, y], zoom);
            group.bench_function(format!("{city}_z{zoom}"), |b| {
                b.iter(|| {
                    let mut out = ctx.run_ui(egui::RawInput::default(), |ui| {
                        let shapes = basemap_shapes(
                            &basemap,
                            &view,
                            &style,
                            false,
                            Obstacles::default(),
                            ui.ctx(),
                        );
                        ui.painter().extend(shapes);
                    });
                    out.textures_delta.clear();
                    let prims = ctx.tessellate(std::mem::take(&mut out.shapes), 1.0);
                    black_box(prims);
                });
            });
        }
    }
    group.finish();
}

/// Start-up: inflate, decode, project and triangulate the embedded basemap (before the first
/// frame), and adding the gazetteer's places (on the first frame after it has loaded).
fn start_up(c: &mut Criterion) {
    let mut group = c.benchmark_group("basemap_start");
    group.sample_size(10);
    group.bench_function("decode_prepare", |b| {
        b.iter(|| black_box(Basemap::embedded().unwrap()))
    });
    let base = Basemap::embedded().unwrap();
    let world = strikemap::geo::WorldGazetteer::get().unwrap();
    group.bench_function("add_gazetteer_places", |b| {
        b.iter_batched(
            || base.clone(),
            |mut m| black_box(m.add_places(world.places())),
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();
}

/// The world gazetteer: a lookup that is found (namesakes narrowed by oblast and country, as
/// a place-name-only record gives them), one that is not (every variant and the loose pass
/// tried), and the inflate + decode + index that the first lookup pays once.
fn world_gazetteer(c: &mut Criterion) {
    let w = strikemap::geo::WorldGazetteer::get().unwrap();
    let mut group = c.benchmark_group("gazetteer");
    group.bench_function("world_hit", |b| {
        b.iter(|| {
            black_box(w.geocode(
                black_box(Some("Kostiantynivka")),
                black_box(Some("Donetsk Oblast")),
                black_box(Some("Ukraine")),
            ))
        })
    });
    group.bench_function("world_miss", |b| {
        b.iter(|| {
            black_box(w.geocode(
                black_box(Some("Near Nowhere-on-the-map")),
                None,
                black_box(Some("Sudan")),
            ))
        })
    });
    group.sample_size(10);
    group.bench_function("world_load", |b| {
        b.iter(|| black_box(strikemap::geo::WorldGazetteer::load_embedded().unwrap()))
    });
    group.finish();
}

criterion_group!(benches, frame, start_up, world_gazetteer);
criterion_main!(benches);
