//! The scale layers on the real app: a generated 20,000-event ACLED file is drawn as clusters
//! when zoomed out, density and markers can be forced from the picker, a click on a cluster
//! zooms into it, and datasets can be hidden from the Datasets menu.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use strikemap::StrikemapApp;
use strikemap::layers::Layer;
use strikemap::state::Command;
use strikemap::state::datasets::DatasetCommand;
use strikemap::state::map::MapCommand;
use walkers::{MercatorProjection, Projector, lat_lon};

fn generated(rows: usize) -> tempfile::TempPath {
    let f = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
    let opts = strikemap::generate::GenOptions {
        rows,
        format: strikemap::generate::GenFormat::Acled,
        seed: 3,
    };
    let mut w = std::io::BufWriter::new(f.as_file());
    strikemap::generate::generate(&opts, &mut w).unwrap();
    drop(w);
    f.into_temp_path()
}

fn harness(files: Vec<std::path::PathBuf>) -> Harness<'static, StrikemapApp> {
    common::harness_with(files, egui::vec2(1280.0, 800.0))
}

fn layer_name(h: &Harness<'static, StrikemapApp>) -> &'static str {
    match h.state().layer().0 {
        Some(Layer::Markers(..)) => "markers",
        Some(Layer::Clusters(_)) => "clusters",
        Some(Layer::Density(_)) => "density",
        None => "none",
    }
}

fn choose_mode(h: &mut Harness<'static, StrikemapApp>, mode: &str) {
    h.get_by_role_and_label(Role::ComboBox, strikemap::ui::LAYER_MODE_HINT)
        .click();
    h.run_steps(2);
    h.get_by_label(mode).click();
    h.run_steps(3);
}

#[test]
fn many_events_become_clusters_and_the_picker_forces_density_or_markers() {
    let file = generated(20_000);
    let mut h = harness(vec![file.to_path_buf()]);
    assert_eq!(h.state().store().len(), 20_000);
    assert_eq!(layer_name(&h), "clusters", "20 000 events in view");
    let total: u32 = match h.state().layer().0 {
        Some(Layer::Clusters(c)) => c.iter().map(|c| c.count).sum(),
        _ => unreachable!(),
    };
    assert!(total > 15_000, "most events are on screen: {total}");

    choose_mode(&mut h, "Density");
    match h.state().layer().0 {
        Some(Layer::Density(d)) => {
            assert!(d.total > 15_000 && d.total <= 20_000, "{}", d.total);
            assert!(d.max > 1);
        }
        _ => panic!("expected density, got {}", layer_name(&h)),
    }
    choose_mode(&mut h, "Markers");
    match h.state().layer().0 {
        Some(Layer::Markers(ids, 0)) => assert!(ids.len() > 15_000),
        _ => panic!("expected markers, got {}", layer_name(&h)),
    }
    // A one-day window is few enough for markers in Auto.
    choose_mode(&mut h, "Auto");
    common::choose_window(&mut h, "1 day");
    h.run_steps(1);
    assert_eq!(layer_name(&h), "markers");
}

#[test]
fn clicking_a_cluster_zooms_into_it() {
    let file = generated(20_000);
    let mut h = harness(vec![file.to_path_buf()]);
    let (lat, lon, count) = match h.state().layer().0 {
        Some(Layer::Clusters(c)) => {
            let big = c.iter().max_by_key(|c| c.count).unwrap();
            let (lat, lon) = strikemap::model::unmercator(big.x, big.y);
            (lat, lon, big.count)
        }
        _ => panic!("expected clusters"),
    };
    assert!(count > 100);
    let zoom = h.state().map_memory().zoom();
    let app = h.state();
    let projector = Projector::new(
        app.map_rect(),
        &MercatorProjection,
        app.map_memory(),
        lat_lon(0.0, 0.0),
    );
    let pos = projector.project(lat_lon(lat, lon)).to_pos2();
    h.hover_at(pos);
    h.run_steps(2);
    assert!(
        h.query_by_label_contains(&format!("{count} events"))
            .is_some()
    );
    h.drag_at(pos);
    h.run_steps(1);
    h.drop_at(pos);
    h.run_steps(3);
    let z = h.state().map_memory().zoom();
    assert!((z - (zoom + 2.0)).abs() < 1e-6, "zoom {zoom} → {z}");
}

/// The app with two datasets, a generated ACLED file of `rows` rows and the bundled events,
/// and its Datasets menu open. The files live as long as the returned handles.
fn two_datasets(
    rows: usize,
) -> (
    Harness<'static, StrikemapApp>,
    tempfile::TempPath,
    tempfile::NamedTempFile,
) {
    let file = generated(rows);
    let bundled = tempfile::Builder::new()
        .suffix(".geojson")
        .tempfile()
        .unwrap();
    std::fs::write(bundled.path(), strikemap::import::BUNDLED_GEOJSON).unwrap();
    let mut h = harness(vec![file.to_path_buf(), bundled.path().to_path_buf()]);
    assert_eq!(h.state().store().len(), rows + 24);
    h.get_by_label_contains("Datasets (2)").click();
    h.run_steps(2);
    (h, file, bundled)
}

#[test]
fn a_dataset_can_be_hidden_and_shown_again() {
    let (mut h, _file, _bundled) = two_datasets(2_000);
    let both = h.state().store().len();
    h.get_by_label_contains(".geojson · 24 of 24 records")
        .click();
    h.run_steps(3);
    assert_eq!(h.state().store().len(), 2_000);
    if h.query_by_label_contains(".geojson · 24 of 24 records")
        .is_none()
    {
        h.get_by_label_contains("Datasets (2)").click();
        h.run_steps(2);
    }
    h.get_by_label_contains(".geojson · 24 of 24 records")
        .click();
    h.run_steps(3);
    assert_eq!(h.state().store().len(), both);
}

/// Above 50,000 rows the store is rebuilt on a thread when a dataset is hidden; the events
/// follow when the rebuild lands.
#[test]
fn hiding_a_dataset_of_many_events_rebuilds_the_store_on_a_thread() {
    let (mut h, _file, _bundled) = two_datasets(60_000);
    let both = h.state().store().len();
    h.get_by_label_contains(".csv · 60000 of 60000 records")
        .click();
    h.run_steps(1);
    // The frame that took the click did not build the store: a rebuild is under way (it is
    // taken in at the start of a later frame) and the old store is still drawn.
    assert!(h.state().reshowing(), "the store is rebuilt on a thread");
    assert_eq!(
        h.state().store().len(),
        both,
        "the old store is drawn meanwhile"
    );
    common::step_until(&mut h, "the store was rebuilt", |a| {
        !a.reshowing() && a.store().len() != both
    });
    assert_eq!(h.state().store().len(), 24);
    // Files land in the order they finish loading: find the CSV's dataset by name.
    let csv = h
        .state()
        .store()
        .all_datasets()
        .iter()
        .position(|d| d.meta.name.ends_with(".csv"))
        .unwrap();
    let mut want = [true, true];
    want[csv] = false;
    assert_eq!(h.state().store().shown(), want);
}

/// Two files opened together land one after the other; the second, built before the first
/// landed, is merged with it (on a thread at this size, the file listed as loading until
/// then), and both end up shown with every event.
#[test]
fn two_files_opened_together_both_end_up_in_the_store() {
    let (a, b) = (generated(30_000), generated(31_000));
    let mut h = harness(Vec::new());
    h.state_mut()
        .push_command(Command::Datasets(DatasetCommand::Open(vec![
            a.to_path_buf(),
            b.to_path_buf(),
        ])));
    h.step();
    common::step_until(&mut h, "both files landed", |a| {
        a.loading().next().is_none()
    });
    assert_eq!(h.state().store().len(), 61_000);
    assert_eq!(h.state().store().shown(), [true, true]);
    let names: Vec<String> = h
        .state()
        .store()
        .all_datasets()
        .iter()
        .map(|d| d.meta.name.clone())
        .collect();
    for f in [&a, &b] {
        assert!(names.contains(&f.display().to_string()), "{names:?}");
    }
}

#[test]
fn a_zoom_over_many_events_keeps_drawing_the_previous_layer_until_the_new_one_lands() {
    let file = generated(strikemap::map::LAYER_ON_THREAD_FROM + 10_000);
    let mut h = harness(vec![file.to_path_buf()]);
    common::step_until(&mut h, "the file loaded", |a| a.loading().next().is_none());
    choose_mode(&mut h, "Density");
    common::step_until(&mut h, "the density layer", |a| {
        matches!(a.layer().0, Some(Layer::Density(_)))
    });
    let z0 = h.state().map_memory().zoom();
    let scale = |z: f64| 256.0 * 2f64.powf(z);
    h.state_mut()
        .push_command(Command::Map(MapCommand::Zoom(1)));
    h.step();
    assert!(
        h.state().layer_computing(),
        "the new raster is computed on a thread"
    );
    // Every frame until the new raster lands still has one (the old, drawn scaled).
    let start = std::time::Instant::now();
    loop {
        h.step();
        let Some(Layer::Density(d)) = h.state().layer().0 else {
            panic!("a frame without the density layer after a zoom");
        };
        if (d.scale - scale(z0 + 1.0)).abs() < 1e-6 {
            break;
        }
        assert!((d.scale - scale(z0)).abs() < 1e-6, "old or new raster only");
        assert!(start.elapsed().as_secs() < 60, "the new raster within 60 s");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}
