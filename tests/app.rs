//! UI tests driving the real app with egui_kittest: clicks, drags and keys, reading labels.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may unwrap and panic

mod common;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use strikemap::model::{DAY, Event};
use strikemap::present::text::summary_text;
use strikemap::state::Command;
use strikemap::state::datasets::DatasetCommand;
use strikemap::state::map::MapCommand;
use strikemap::state::selection::SelectCommand;
use strikemap::ui::timeline::CURSOR_LABEL;
use strikemap::{AppConfig, StrikemapApp};
use walkers::{MercatorProjection, Projector, lat_lon};

fn harness() -> Harness<'static, StrikemapApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(|cc| StrikemapApp::new(cc, AppConfig::default()));
    h.run_steps(4);
    h
}

/// The summary a window should show, computed from the raw events, not from the store.
fn expected_summary(events: &[Event], from: i64, to: i64) -> String {
    let mut s = strikemap::store::WindowSummary::default();
    for e in events.iter().filter(|e| e.time.overlaps(from, to)) {
        s.events += 1;
        s.killed += u64::from(e.killed.unwrap_or(0));
        s.injured += u64::from(e.injured.unwrap_or(0));
        s.killed_reported += u64::from(e.killed.is_some());
        s.injured_reported += u64::from(e.injured.is_some());
    }
    summary_text(s)
}

fn bundled() -> Vec<Event> {
    strikemap::import::load_bundled().unwrap().events
}

#[test]
fn starts_on_the_bundled_data_showing_everything() {
    let h = harness();
    let events = bundled();
    assert_eq!(h.state().store().len(), events.len());
    assert_eq!(h.state().visible().len(), events.len());
    let expected = expected_summary(&events, i64::MIN / 2, i64::MAX / 2);
    h.get_by_label(&expected);
    h.get_by_label(&format!(
        "{} events · bundled sample (data/events.geojson)",
        events.len()
    ));
    h.get_by_label(strikemap::ui::detail::EMPTY_HINT);
    h.get_by_label(strikemap::geo::ATTRIBUTION);
    h.get_by_label("Map: tiles off — built-in basemap");
}

#[test]
fn clicking_the_slider_and_arrow_keys_scrub_the_window() {
    let mut h = harness();
    let events = bundled();
    // A one-week window.
    common::choose_window(&mut h, "1 week");
    let week = h.state().timeline().window();
    assert_eq!(week.1 - week.0, 7 * DAY);

    // Click the slider at 45% of its width: the cursor lands there (snapped to a day).
    let slider = h.get_by_role_and_label(Role::Slider, CURSOR_LABEL).rect();
    let before = h.state().timeline().cursor;
    let target = egui::pos2(
        slider.left() + 4.0 + 0.45 * (slider.width() - 8.0),
        slider.center().y,
    );
    h.hover_at(target);
    h.drag_at(target);
    h.run_steps(1);
    h.drop_at(target);
    h.run_steps(2);
    let t = *h.state().timeline();
    assert!(t.cursor < before, "cursor moved back from the end");
    assert_eq!(t.cursor % DAY, 0, "snapped to a day boundary");
    let (from, to) = t.window();
    h.get_by_label(&expected_summary(&events, from, to));

    // Drag to the end of the Kyiv July 2025 attack: the week then holds it.
    let kyiv = events.iter().find(|e| e.id == "2025-07-10-kyiv").unwrap();
    let hist_t0 = h.state().store().histogram().first_day;
    let hist_t1 = hist_t0 + h.state().store().histogram().days.len() as i64 * DAY;
    let frac = (kyiv.time.end + DAY / 2 - hist_t0) as f32 / (hist_t1 - hist_t0) as f32;
    let x = slider.left() + 4.0 + frac * (slider.width() - 8.0);
    let start = egui::pos2(slider.left() + 40.0, slider.center().y);
    h.hover_at(start);
    h.drag_at(start);
    h.run_steps(1);
    h.hover_at(egui::pos2((start.x + x) / 2.0, slider.center().y));
    h.run_steps(1);
    h.hover_at(egui::pos2(x, slider.center().y));
    h.run_steps(1);
    h.drop_at(egui::pos2(x, slider.center().y));
    h.run_steps(2);
    let (from, to) = h.state().timeline().window();
    assert!(
        kyiv.time.overlaps(from, to),
        "window {from}..{to} holds the Kyiv attack"
    );
    let summary = expected_summary(&events, from, to);
    assert!(summary.contains("killed"));
    h.get_by_label(&summary);
    let with_kyiv = h.state().summary();
    assert!(with_kyiv.killed >= 2 && with_kyiv.injured >= 16);

    // ← steps back one week; → comes back.
    let cursor = h.state().timeline().cursor;
    h.key_press(egui::Key::ArrowLeft);
    h.run_steps(2);
    assert_eq!(h.state().timeline().cursor, cursor - 7 * DAY);
    let (from, to) = h.state().timeline().window();
    h.get_by_label(&expected_summary(&events, from, to));
    h.key_press(egui::Key::ArrowRight);
    h.run_steps(2);
    assert_eq!(h.state().timeline().cursor, cursor);
    h.get_by_label(&summary);

    // Shift+→ jumps to the next event.
    h.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::ArrowRight);
    h.run_steps(2);
    let next = h.state().timeline().cursor;
    assert!(next > cursor);
    let (from, to) = h.state().timeline().window();
    assert!(
        events
            .iter()
            .any(|e| e.time.start >= cursor && e.time.overlaps(from, to))
    );
}

#[test]
fn clicking_a_marker_opens_its_details() {
    let mut h = harness();
    let events = bundled();
    let target = events
        .iter()
        .find(|e| e.id == "2026-02-10-bohodukhiv")
        .unwrap();
    // Where walkers puts this event on screen, computed from the map view itself.
    let app = h.state();
    let projector = Projector::new(
        app.map_rect(),
        &MercatorProjection,
        app.map_memory(),
        lat_lon(0.0, 0.0),
    );
    let pos = projector
        .project(lat_lon(target.location.lat, target.location.lon))
        .to_pos2();
    assert!(
        app.map_rect().contains(pos),
        "marker is on screen at first view"
    );
    h.hover_at(pos);
    h.run_steps(3);
    // The hover tooltip names the place.
    assert!(h.query_by_label_contains("Bohodukhiv").is_some());
    h.get_by_label("Killed: 4 (incl. 3 children) · Injured: 1");
    h.drag_at(pos);
    h.run_steps(1);
    h.drop_at(pos);
    h.run_steps(3);
    let sel = h
        .state()
        .selected()
        .and_then(|i| h.state().store().get(i))
        .unwrap();
    assert_eq!(sel.id, target.id);
    h.get_by_label("Bohodukhiv, Kharkiv Oblast, Ukraine");
    h.get_by_label("4 (incl. 3 children)");
    assert!(
        h.query_by_label(strikemap::ui::detail::EMPTY_HINT)
            .is_none()
    );
    // Escape clears the selection.
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    assert!(h.state().selected().is_none());
}

/// Where walkers draws (`lat`, `lon`) in the app's current view.
fn screen_pos(h: &Harness<'static, StrikemapApp>, lat: f64, lon: f64) -> egui::Pos2 {
    let app = h.state();
    Projector::new(
        app.map_rect(),
        &MercatorProjection,
        app.map_memory(),
        lat_lon(0.0, 0.0),
    )
    .project(lat_lon(lat, lon))
    .to_pos2()
}

/// A source that gives only coordinates (as Bellingcat's does): the details say which town
/// the point is near, from the built-in gazetteer, and don't repeat the weapon.
#[test]
fn an_event_with_only_coordinates_is_placed_by_the_nearest_town() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coords_only.geojson");
    std::fs::write(
        &path,
        r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","geometry":{"type":"Point","coordinates":[26.2245,50.6410]},"properties":{"date":"2022-10-22","weapon":"cruise missile","weapon_detail":"Cruise missile"}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[36.2,49.9]},"properties":{"date":"2022-10-23","place":"Kharkiv"}}]}"#,
    )
    .unwrap();
    let mut h = common::harness_with(vec![path], egui::vec2(1280.0, 800.0));
    // "2 km NE of Rivne" (or "0.8 km from Rivne"): under 3 km from its centre point.
    let near = |n: &egui_kittest::kittest::AccessKitNode<'_>| {
        n.value().is_some_and(|v| {
            let km = v.split(' ').next().and_then(|km| km.parse::<f64>().ok());
            (v.ends_with(" of Rivne") || v.ends_with(" km from Rivne"))
                && km.is_some_and(|k| k < 3.0)
        })
    };
    let pos = screen_pos(&h, 50.6410, 26.2245);
    assert!(h.query_all_by(near).next().is_none());
    // The hover tooltip says it first.
    h.hover_at(pos);
    h.run_steps(3);
    assert!(
        h.query_all_by(near).next().is_some(),
        "the tooltip names Rivne"
    );
    h.drag_at(pos);
    h.run_steps(1);
    h.drop_at(pos);
    h.run_steps(3);
    let sel = h.state().selected().and_then(|i| h.state().store().get(i));
    assert_eq!(sel.unwrap().location.place, None);
    h.get_by_label("Near");
    assert!(
        h.query_all_by(near).next().is_some(),
        "the gazetteer row names Rivne"
    );
    // The headline says so too.
    assert!(
        h.query_all_by(|n| n
            .value()
            .is_some_and(|v| v.starts_with("Cruise missile · ") && v.ends_with("Rivne")))
            .next()
            .is_some()
    );
    assert!(h.query_all_by_value("Cruise missile").next().is_some());
    assert!(
        h.query_all_by_value("Cruise missile (Cruise missile)")
            .next()
            .is_none()
    );
    // An event whose source names its place gets no gazetteer row.
    let pos = screen_pos(&h, 49.9, 36.2);
    h.drag_at(pos);
    h.run_steps(1);
    h.drop_at(pos);
    h.run_steps(3);
    assert!(h.query_all_by_value("Kharkiv").next().is_some());
    assert!(h.query_by_label("Near").is_none());
}

/// The detail rows are laid out from the first frame after a selection: with egui's Grid,
/// which places rows by the previous frame's heights, the first frame of an event with other
/// rows drew them over each other until something repainted.
#[test]
fn detail_rows_never_overlap_when_the_selection_changes() {
    let mut h = harness();
    let n = h.state().store().len();
    for sel in [0, n / 2, 1, n - 1, 3] {
        h.state_mut()
            .push_command(Command::Select(SelectCommand::Select(Some(sel))));
        h.step();
        let top = |label: &str| h.get_by_label(label).rect();
        let keys = [
            "Place",
            "Location precision",
            "When",
            "Time precision",
            "Weapon",
            "Target",
        ];
        let rects: Vec<_> = keys.iter().map(|k| top(k)).collect();
        for (k, pair) in keys.windows(2).zip(rects.windows(2)) {
            assert!(
                pair[1].min.y >= pair[0].max.y,
                "event {sel}: {} ({:?}) overlaps {} ({:?})",
                k[1],
                pair[1],
                k[0],
                pair[0]
            );
        }
    }
}

#[test]
fn play_advances_time() {
    let mut h = harness();
    common::choose_window(&mut h, "30 days");
    let span = h.state().store().span().unwrap();
    h.key_press(egui::Key::Space);
    h.run_steps(1);
    assert!(h.state().timeline().playing);
    let c0 = h.state().timeline().cursor;
    assert!(
        c0 <= span.0 + 31 * DAY,
        "play from the end rewinds to the start"
    );
    h.run_steps(30);
    let c1 = h.state().timeline().cursor;
    assert!(c1 > c0, "cursor advanced while playing ({c0} → {c1})");
    h.get_by_label("|| Pause").click();
    h.run_steps(2);
    assert!(!h.state().timeline().playing);
    let c2 = h.state().timeline().cursor;
    h.run_steps(10);
    assert_eq!(h.state().timeline().cursor, c2, "paused stays put");
}

#[test]
fn zoom_buttons_change_the_map_zoom() {
    let mut h = harness();
    let z0 = h.state().map_memory().zoom();
    h.get_by_label("Zoom in").click();
    h.run_steps(2);
    assert!((h.state().map_memory().zoom() - (z0 + 1.0)).abs() < 1e-9);
    h.get_by_label("Fit all events").click();
    h.run_steps(2);
    assert!((h.state().map_memory().zoom() - z0).abs() < 1e-6);
}

fn snapshot_at(name: &str, view: Option<(f64, f64, f64)>) {
    let config = AppConfig {
        view,
        ..Default::default()
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_theme(egui::Theme::Light)
        .wgpu()
        .build_eframe(|cc| StrikemapApp::new(cc, config));
    let ctx = h.ctx.clone();
    h.state_mut().wait_for_world_places(&ctx);
    h.run_steps(4);
    let options = egui_kittest::SnapshotOptions::new()
        .threshold(2.0)
        .max_failed_pixels(100);
    h.snapshot_options(name, &options);
}

/// The whole window on the bundled data: map fitted to all events, offline basemap, timeline.
#[test]
fn main_window_snapshot() {
    snapshot_at("main_window", None);
}

/// The built-in basemap over Ukraine at about zoom 6, events on top.
#[test]
fn basemap_ukraine_zoom6_snapshot() {
    snapshot_at("basemap_ukraine_z6", Some((48.8, 32.0, 6.0)));
}

/// The built-in basemap over Kyiv at about zoom 11, events on top.
#[test]
fn basemap_kyiv_zoom11_snapshot() {
    snapshot_at("basemap_kyiv_z11", Some((50.45, 30.52, 11.0)));
}

/// The built-in basemap over Yemen at zoom 6: coast, borders, governorates, the capital and
/// governorate centres, far from the regional extract.
#[test]
fn basemap_yemen_zoom6_snapshot() {
    snapshot_at("basemap_yemen_z6", Some((15.5, 47.5, 6.0)));
}

/// The whole world at zoom 2: land, sea, country borders, major lakes and rivers, capitals.
#[test]
fn basemap_world_zoom2_snapshot() {
    snapshot_at("basemap_world_z2", Some((20.0, 20.0, 2.0)));
}

/// Khartoum at zoom 10: the world gazetteer's small places label the city's surroundings.
#[test]
fn basemap_khartoum_zoom10_snapshot() {
    snapshot_at("basemap_khartoum_z10", Some((15.55, 32.53, 10.0)));
}

/// A file dropped on the window, as eframe hands it to egui.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn dropping_a_file_loads_it_in_the_background_and_replaces_the_sample() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("drops.csv");
    std::fs::write(
        &path,
        "latitude,longitude,date,place,weapon,killed,injured\n\
         50.45,30.52,2025-07-10,Kyiv,drone,2,16\n\
         49.99,36.23,2025-07-11,Kharkiv,guided bomb,1,5\n\
         ,36.23,2025-07-12,Nowhere,drone,0,0\n",
    )
    .unwrap();
    let mut h = harness();
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(path.clone())));
    common::step_until(&mut h, "the dropped file landed", |a| a.store().len() == 2);
    h.run_steps(3);
    assert_eq!(
        h.state().store().len(),
        2,
        "bundled sample replaced by the dropped file"
    );
    h.get_by_label("2 events · 3 killed · 21 injured");
    // The report does not open by itself for a rejected record (it would cover the map's
    // controls); the top bar says so and opens it.
    assert!(
        h.query_by_label("3 records · 2 loaded · 1 rejected")
            .is_none()
    );
    h.get_by_label_contains("1 record not loaded").click();
    h.run_steps(3);
    // The rejected row is reported, with its reason, in the load report: it has no
    // coordinates, and the built-in gazetteer knows no place called "Nowhere".
    h.get_by_label("3 records · 2 loaded · 1 rejected");
    h.get_by_label("unknown place: 1");
    assert!(h.state().loading().next().is_none());
}

#[test]
fn file_menu_asks_for_the_open_dialog_and_lists_recent_files() {
    let mut h = harness();
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label_contains("Open…").click();
    h.run_steps(2);
    assert_eq!(h.state().dialogs_requested(), 1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    h.run_steps(2);
    assert_eq!(h.state().dialogs_requested(), 2);
}

#[test]
fn the_time_property_of_a_geojson_file_can_be_chosen_in_the_load_report() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two_dates.geojson");
    std::fs::write(
        &path,
        r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","geometry":{"type":"Point","coordinates":[30.5,50.4]},"properties":{"date":"2025-07-10","published":"2025-08-01"}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[36.2,49.9]},"properties":{"date":"2025-07-11","published":"2025-08-02"}}]}"#,
    )
    .unwrap();
    let mut h = common::harness_with(vec![path.clone()], egui::vec2(1280.0, 800.0));
    let day = |s: &str| strikemap::import::time::parse_time_str(s).unwrap().at;
    assert_eq!(h.state().store().span().unwrap().0, day("2025-07-10"));
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label_contains("Load report…").click();
    h.run_steps(3);
    h.get_by_role_and_label(Role::ComboBox, strikemap::ui::TIME_PROPERTY_HINT)
        .click();
    h.run_steps(2);
    h.get_by_label("published").click();
    // The file loads again in the background with the chosen property.
    common::step_until(&mut h, "the file loaded again", |a| {
        a.store().span().map(|s| s.0) == Some(day("2025-08-01"))
    });
    assert_eq!(h.state().store().span().unwrap().0, day("2025-08-01"));
    assert_eq!(
        h.state().store().len(),
        2,
        "the file replaced its own dataset"
    );
}

#[test]
fn csv_columns_can_be_mapped_in_the_load_report_and_are_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("german.csv");
    std::fs::write(
        &path,
        "Ort;Breite;Länge;Tag\nCharkiw;49.99;36.23;2025-07-10\nKyjiw;50.45;30.52;2025-07-11\n",
    )
    .unwrap();
    let mut h = common::harness_with(vec![path.clone()], egui::vec2(1280.0, 900.0));
    assert!(
        h.state().store().is_empty(),
        "no column is recognised by name"
    );
    // A file that needs a choice opens the report by itself, which says what to choose.
    assert!(
        h.query_by_label_contains("choose which columns hold them")
            .is_some()
    );
    for (role, column) in [
        ("latitude", "Breite"),
        ("longitude", "Länge"),
        ("date (start)", "Tag"),
    ] {
        h.get_by_role_and_label(Role::ComboBox, &format!("Column for {role}"))
            .click();
        h.run_steps(2);
        h.get_by_label(column).click();
        // The file is read again in the background with the new mapping.
        h.run_steps(2);
        common::step_until(&mut h, "the file was read again", |a| {
            a.loading().next().is_none()
        });
        h.run_steps(2);
    }
    assert_eq!(h.state().store().len(), 2);
    let e = h.state().store().get(0).unwrap();
    assert!((e.location.lat - 49.99).abs() < 1e-9);
    assert_eq!(e.time.display(), "2025-07-10");
    // The place column is found by its (German) name.
    assert_eq!(e.location.place.as_deref(), Some("Charkiw"));
}

/// A left click at a screen point (press and release on the next frame).
fn click_at(h: &mut Harness<'static, StrikemapApp>, p: egui::Pos2) {
    h.hover_at(p);
    h.run_steps(1);
    h.drag_at(p);
    h.run_steps(1);
    h.drop_at(p);
    h.run_steps(1);
}

/// The lat/lon under a screen point of the map, with the app's current view.
fn geo_at(h: &Harness<'static, StrikemapApp>, p: egui::Pos2) -> walkers::Position {
    let rect = h.state().map_rect();
    let memory = h.state().map_memory();
    let projector = Projector::new(rect, &MercatorProjection, memory, lat_lon(0.0, 0.0));
    projector.unproject(p.to_vec2())
}

#[test]
fn the_mouse_wheel_zooms_around_the_pointer() {
    let mut h = harness();
    let rect = h.state().map_rect();
    let at = rect.center() + egui::vec2(150.0, 80.0);
    h.hover_at(at);
    h.run_steps(1);
    let z0 = h.state().map_memory().zoom();
    let before = geo_at(&h, at);
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Line,
        delta: egui::vec2(0.0, 3.0),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers: egui::Modifiers::NONE,
    });
    h.run_steps(20);
    let z1 = h.state().map_memory().zoom();
    assert!(z1 > z0 + 0.2, "plain wheel zooms in ({z0} → {z1})");
    let after = geo_at(&h, at);
    let moved_px = (after.x() - before.x())
        .abs()
        .max((after.y() - before.y()).abs())
        * 256.0
        * 2f64.powf(z1)
        / 360.0;
    assert!(
        moved_px < 3.0,
        "the place under the pointer stays there ({moved_px} px)"
    );
}

#[test]
fn playback_follows_the_clock_not_the_frame_count() {
    let mut h = harness();
    common::choose_window(&mut h, "1 day");
    // Default speed: 1 week/s. The harness's clock moves 0.25 s per step.
    assert_eq!(h.state().timeline().speed.label(), "1 week/s");
    h.key_press(egui::Key::Space);
    h.run_steps(1);
    assert!(h.state().timeline().playing);
    h.run_steps(1);
    let c0 = h.state().timeline().cursor;
    h.run_steps(4);
    let c1 = h.state().timeline().cursor;
    assert_eq!(
        c1 - c0,
        7 * DAY,
        "one simulated second at 1 week/s is 7 days"
    );
    // The label names the window's one day.
    let (from, to) = h.state().timeline().window();
    assert_eq!(to - from, DAY);
    h.get_by_label(&strikemap::present::text::day_range_text(from, to));
    assert!(!strikemap::present::text::day_range_text(from, to).contains('–'));
    // Loop: playback at the end starts again instead of stopping.
    h.get_by_label("Loop").click();
    h.run_steps(2);
    assert!(h.state().timeline().looping);
    h.run_steps(400);
    assert!(h.state().timeline().playing, "looping playback never stops");
}

#[test]
fn cancelling_a_load_keeps_what_is_shown() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("later.csv");
    std::fs::write(&path, "latitude,longitude,date\n50.45,30.52,2025-07-10\n").unwrap();
    let mut h = harness();
    let n = h.state().store().len();
    h.state_mut()
        .push_command(Command::Datasets(DatasetCommand::Open(vec![path.clone()])));
    h.state_mut()
        .push_command(Command::Datasets(DatasetCommand::Cancel(path.clone())));
    h.run_steps(3);
    assert!(h.state().loading().next().is_none());
    assert_eq!(
        h.state().store().len(),
        n,
        "the bundled sample is still shown"
    );
    h.get_by_label("Loading later.csv cancelled");
    // The cancelled file never lands, however long we wait.
    std::thread::sleep(std::time::Duration::from_millis(300));
    h.run_steps(3);
    assert_eq!(h.state().store().len(), n);

    // With nothing shown (the only file given could not be read), cancelling brings the
    // bundled sample back instead of an empty map.
    let mut h = common::harness_with(
        vec![dir.path().join("missing.csv")],
        egui::vec2(1280.0, 800.0),
    );
    assert!(h.state().store().is_empty());
    h.state_mut()
        .push_command(Command::Datasets(DatasetCommand::Open(vec![path.clone()])));
    h.state_mut()
        .push_command(Command::Datasets(DatasetCommand::Cancel(path)));
    h.run_steps(3);
    assert_eq!(h.state().store().len(), n);
    h.get_by_label("Loading later.csv cancelled · showing the bundled sample");
}

#[test]
fn without_a_system_dialog_the_built_in_one_opens_also_from_the_map() {
    let mut h = harness();
    // Focus on the map (a click on it) must not swallow Ctrl+O.
    let rect = h.state().map_rect();
    click_at(&mut h, rect.center() + egui::vec2(200.0, -150.0));
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    h.run_steps(3);
    assert_eq!(h.state().dialogs_requested(), 1);
    assert!(h.state().dialog_open(), "the built-in dialog is open");
    h.get_by_label("📂  Open event files");
    h.get_by_label("Cancel").click();
    h.run_steps(3);
    assert!(!h.state().dialog_open());
}

#[test]
fn the_layer_picker_counts_events_in_view_not_in_the_window() {
    let mut h = harness();
    let events = bundled();
    let in_view = h.state().layer().1;
    assert_eq!(in_view, events.len(), "the first view fits every event");
    let text = |h: &Harness<'static, StrikemapApp>| {
        let drawn = match h.state().layer().0 {
            Some(strikemap::layers::Layer::Markers(..)) => "markers",
            _ => "other",
        };
        strikemap::ui::layer_mode_text(
            strikemap::layers::LayerMode::Auto,
            drawn,
            h.state().layer().1,
        )
    };
    assert_eq!(
        text(&h),
        format!("Auto: markers · {in_view} events in view")
    );
    // Over the open Atlantic nothing is in view.
    h.state_mut()
        .push_command(Command::Map(MapCommand::SetView(30.0, -40.0, 6.0)));
    h.run_steps(3);
    assert_eq!(h.state().layer().1, 0);
    assert_eq!(text(&h), "Auto: markers · no events in view");
    let shown = h
        .get_by_role_and_label(Role::ComboBox, strikemap::ui::LAYER_MODE_HINT)
        .value();
    assert_eq!(shown.as_deref(), Some("Auto: markers · no events in view"));
}

#[test]
fn country_wide_reports_are_one_badge_per_spot_that_lists_them() {
    let mut h = harness();
    let badges = h.state().badges().to_vec();
    assert!(
        !badges.is_empty(),
        "the bundled data has country-wide reports"
    );
    let store = h.state().store();
    let country: Vec<usize> = (0..store.len())
        .filter(|&i| store.precision(i) == strikemap::model::LocationPrecision::Country)
        .collect();
    let in_badges: usize = badges.iter().map(|(_, e)| e.len()).sum();
    assert_eq!(
        in_badges,
        country.len(),
        "every country-level report is in a badge"
    );
    for (k, (r, _)) in badges.iter().enumerate() {
        for (q, _) in &badges[k + 1..] {
            assert!(!r.intersects(*q), "badges do not pile up");
        }
        for (i, p) in h.state().drawn() {
            assert!(!r.contains(*p), "badge {k} hides the marker of event {i}");
        }
    }
    // Click the badge: its list opens; click the first report: it is selected.
    let (rect, events) = badges[0].clone();
    click_at(&mut h, rect.center());
    h.run_steps(3);
    click_at(
        &mut h,
        rect.left_bottom() + egui::vec2(40.0, 2.0 + 4.0 + 9.0),
    );
    h.run_steps(3);
    assert_eq!(h.state().selected(), Some(events[0]));
}

#[test]
fn details_keep_the_place_note_apart_from_the_date_note_and_name_sources() {
    let mut h = harness();
    let store = h.state().store();
    let i = (0..store.len())
        .find(|&i| store.get(i).unwrap().id == "2025-02-01-sumy-region")
        .unwrap();
    let e = store.get(i).unwrap().into_owned();
    h.state_mut()
        .push_command(Command::Select(SelectCommand::Select(Some(i))));
    h.run_steps(3);
    h.get_by_label("How the date is known");
    h.get_by_label("How the place is known");
    h.get_by_label(e.location_note.as_deref().unwrap());
    assert!(!e.time_note.as_deref().unwrap().contains("Report 00"));
    assert!(e.time_note.as_deref().unwrap().contains("NewsX"));
}

/// The custom tile template is typed into a draft (a command per edit), applied with Apply,
/// and both the draft and the source are what the saved state holds.
#[test]
fn a_typed_tile_template_is_applied_and_saved() {
    let mut h = harness();
    h.get_by_role_and_label(Role::ComboBox, "Tile source")
        .click();
    h.run_steps(2);
    h.get_by_label("Custom XYZ URL").click();
    h.run_steps(2);
    let template = "http://127.0.0.1:9/{z}/{x}/{y}.png";
    let field = strikemap::ui::TEMPLATE_LABEL;
    h.get_by_role_and_label(Role::TextInput, field).click();
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, field)
        .type_text(template);
    h.run_steps(2);
    assert_eq!(h.state().snapshot().custom_template, template, "the draft");
    h.get_by_label("Apply").click();
    h.run_steps(2);
    let saved = h.state().snapshot();
    assert_eq!(
        saved.tile_source,
        strikemap::map::tiles::TileSourceChoice::Custom(template.to_owned())
    );
    assert_eq!(saved.custom_template, template);
}

/// The theme button switches the theme through a command.
#[test]
fn the_theme_button_switches_the_theme() {
    let mut h = harness();
    let dark = h.ctx.theme() == egui::Theme::Dark;
    let (button, other) = if dark {
        ("Light theme", "Dark theme")
    } else {
        ("Dark theme", "Light theme")
    };
    h.get_by_label(button).click();
    h.run_steps(3);
    assert_ne!(h.ctx.theme() == egui::Theme::Dark, dark);
    h.get_by_label(other);
}

/// The events of the store, by id (sorted: ids need not be unique across files).
fn store_ids(app: &StrikemapApp) -> Vec<String> {
    let store = app.store();
    let mut ids: Vec<String> = (0..store.len())
        .map(|i| store.get(i).unwrap().id.clone())
        .collect();
    ids.sort();
    ids
}

#[test]
fn file_export_writes_the_shown_events_through_the_built_in_dialog() {
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, rows: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, format!("event_id,latitude,longitude,date\n{rows}")).unwrap();
        p
    };
    let a = file(
        "a.csv",
        "A1,50.45,30.52,2025-07-10\nA2,49.99,36.23,2025-07-11\n",
    );
    let b = file("b.csv", "B1,46.48,30.73,2025-07-12\n");
    let hidden = file("hidden.csv", "H1,48.46,35.04,2025-07-13\n");
    let mut h = common::harness_with(vec![a, b, hidden.clone()], egui::vec2(1280.0, 800.0));
    assert_eq!(h.state().store().len(), 4);
    // A hidden dataset is not exported: what is shown is.
    h.state_mut()
        .push_command(Command::Datasets(DatasetCommand::Show(
            strikemap::model::DatasetId::File(hidden),
            false,
        )));
    common::step_until(&mut h, "the dataset was hidden", |a| {
        a.store().len() == 3 && !a.reshowing()
    });
    let want = store_ids(h.state());
    assert!(!want.iter().any(|id| id.contains("H1")), "{want:?}");

    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Export events…").click();
    h.run_steps(3);
    assert!(h.state().export_dialog_open(), "the built-in save dialog");
    // It starts in the folder of the files opened, with a name to save under.
    h.get_by_label("💾  Export events");
    h.get_by_label("Save").click();
    let out = dir
        .path()
        .join(strikemap::ui::file_dialog::EXPORT_FILE_NAME);
    // The export runs on a thread; the window keeps drawing.
    common::step_until(&mut h, "the export was written", |a| {
        !a.exporting() && out.exists()
    });
    assert!(!h.state().export_dialog_open());
    h.run_steps(2);
    h.get_by_label(&format!("Exported 3 events to {}", out.display()));

    let back = strikemap::import::load_path(&out).unwrap();
    assert_eq!(back.rejected, vec![]);
    let mut got: Vec<String> = back.events.iter().map(|e| e.id.clone()).collect();
    got.sort();
    assert_eq!(got, want, "exactly the shown events");

    // Not over a file that is open (its events may still be read from it).
    let before = std::fs::read(dir.path().join("b.csv")).unwrap();
    h.state_mut()
        .push_command(Command::Datasets(DatasetCommand::Export(
            dir.path().join("b.csv"),
        )));
    h.run_steps(3);
    assert!(!h.state().exporting());
    assert_eq!(std::fs::read(dir.path().join("b.csv")).unwrap(), before);
    h.get_by_label_contains("is an opened file; choose another name");

    // By the command, to CSV by the extension.
    let csv = dir.path().join("out.csv");
    h.state_mut()
        .push_command(Command::Datasets(DatasetCommand::Export(csv.clone())));
    common::step_until(&mut h, "the CSV export was written", |a| {
        !a.exporting() && csv.exists()
    });
    let back = strikemap::import::load_path(&csv).unwrap();
    assert_eq!(back.format, strikemap::import::Format::Csv);
    assert_eq!(back.events.len(), 3);
}

#[test]
fn a_workbooks_sheet_can_be_chosen_in_the_load_report() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/unseen/incident_log.xlsx");
    let mut h = common::harness_with(vec![path.clone()], egui::vec2(1280.0, 900.0));
    assert_eq!(
        h.state().store().len(),
        5,
        "the sheet that looks like events"
    );
    let sheets = h.state().problems()[0].sheet_choice.clone().unwrap();
    assert_eq!(
        sheets.candidates,
        ["README", "Pivot", "Incidents", "Incidents (old copy)"]
    );
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label_contains("Load report…").click();
    h.run_steps(3);
    let choose = |h: &mut Harness<'static, StrikemapApp>, sheet: &str| {
        let picker = h.get_by_role_and_label(Role::ComboBox, "Sheet");
        picker.click();
        h.run_steps(2);
        h.get_by_label(sheet).click();
        h.run_steps(2);
    };
    let picked = |h: &Harness<'static, StrikemapApp>| {
        h.get_by_role_and_label(Role::ComboBox, "Sheet").value()
    };
    assert_eq!(picked(&h).as_deref(), Some("Incidents"));
    choose(&mut h, "Incidents (old copy)");
    // The file is read again in the background with that sheet, replacing its dataset.
    common::step_until(&mut h, "the old copy was read", |a| {
        a.loading().next().is_none() && a.store().len() == 1
    });
    h.run_steps(2);
    assert_eq!(picked(&h).as_deref(), Some("Incidents (old copy)"));
    let key = path.display().to_string();
    assert_eq!(
        h.state().snapshot().sheets.get(&key).map(String::as_str),
        Some("Incidents (old copy)"),
        "the choice is remembered for the file"
    );
    // A sheet without events fails, and the picker stays to choose another.
    choose(&mut h, "README");
    common::step_until(&mut h, "the README sheet was tried", |a| {
        a.loading().next().is_none() && a.problems().iter().any(|p| p.error.is_some())
    });
    h.run_steps(2);
    assert_eq!(picked(&h).as_deref(), Some("README"));
    choose(&mut h, "Incidents");
    common::step_until(&mut h, "the events sheet was read again", |a| {
        a.loading().next().is_none() && a.store().len() == 5
    });
}

#[test]
fn a_remembered_sheet_that_no_longer_reads_gives_way_to_the_events_sheet() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/unseen/incident_log.xlsx");
    let mut state = strikemap::state::AppState::default();
    state
        .sheets
        .insert(path.display().to_string(), "Deleted sheet".to_owned());
    let files = vec![path.clone()];
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| {
            let config = AppConfig {
                files,
                ..AppConfig::default()
            };
            strikemap::present::style::apply(&cc.egui_ctx);
            StrikemapApp::with_state(state, config, &cc.egui_ctx)
        });
    common::step_until(&mut h, "the file loaded with another sheet", |a| {
        a.loading().next().is_none() && a.store().len() == 5
    });
    h.run_steps(2);
    h.get_by_label_contains("Sheet \"Deleted sheet\" of incident_log.xlsx could not be read");
    assert!(
        h.state().snapshot().sheets.is_empty(),
        "the choice is forgotten"
    );
}
