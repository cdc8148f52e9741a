//! UI tests of the filter panel, the event table and the statistics (#14), driving the real
//! app with egui_kittest and checking what it shows against brute-force passes over the raw
//! events.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may unwrap and panic

mod common;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use strikemap::model::{Event, Weapon};
use strikemap::{AppConfig, StrikemapApp};

fn harness() -> Harness<'static, StrikemapApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(|cc| StrikemapApp::new(cc, AppConfig::default()));
    h.run_steps(4);
    h
}

fn bundled() -> Vec<Event> {
    strikemap::import::load_bundled().unwrap().events
}

fn ids(app: &StrikemapApp) -> Vec<String> {
    let s = app.store();
    let mut v: Vec<String> = (0..s.len()).map(|i| s.get(i).unwrap().id.clone()).collect();
    v.sort();
    v
}

#[test]
fn ticking_a_weapon_filter_shows_exactly_the_events_a_recount_predicts() {
    let mut h = harness();
    let events = bundled();
    h.get_by_label("Filters").click();
    h.run_steps(2);
    let drones: Vec<&Event> = events
        .iter()
        .filter(|e| e.weapons.contains(&Weapon::Drone))
        .collect();
    assert!(!drones.is_empty() && drones.len() < events.len());
    // The box says how many events it would keep, and keeps exactly those.
    h.get_by_label(&format!("Drone ({})", drones.len())).click();
    h.run_steps(3);
    let mut want: Vec<String> = drones.iter().map(|e| e.id.clone()).collect();
    want.sort();
    assert_eq!(ids(h.state()), want);
    h.get_by_label(&format!(
        "{} of {} events · bundled sample (data/events.geojson)",
        drones.len(),
        events.len()
    ));
    // Map and timeline totals follow: every marker drawn is a drone event.
    assert!(h.state().drawn().iter().all(|(i, _)| {
        let e = h.state().store().get(*i).unwrap();
        e.weapons.contains(&Weapon::Drone)
    }));
    assert_eq!(h.state().summary().events, drones.len());
    // The chip's × takes the filter off again.
    h.get_by_label("Drone  ×").click();
    h.run_steps(3);
    assert_eq!(h.state().store().len(), events.len());
    assert!(h.state().filter().is_empty());
}

#[test]
fn a_table_row_click_selects_that_event_and_arrow_keys_move_down_the_table() {
    let mut h = harness();
    h.get_by_label("Table").click();
    h.run_steps(3);
    let store = h.state().store().clone();
    // The table lists the window in time order; pick a row by its title.
    let (a, b) = h.state().timeline().window();
    let order = store.window_ids(&store.window(a, b));
    // A row near the top: only the rows on screen are built.
    let k = 2;
    let pick = order[k];
    let title = store.get(pick).unwrap().title.clone().unwrap();
    h.get_all_by_label(&title).next().unwrap().click();
    h.run_steps(3);
    assert_eq!(h.state().selected(), Some(pick));
    // The detail panel reads the same event.
    assert!(
        h.get_all_by_label(&title).count() >= 2,
        "title in table and details"
    );
    h.key_press(egui::Key::ArrowDown);
    h.run_steps(2);
    assert_eq!(h.state().selected(), Some(order[k + 1]));
    h.key_press(egui::Key::ArrowUp);
    h.key_press(egui::Key::ArrowUp);
    h.run_steps(2);
    assert_eq!(h.state().selected(), Some(order[k - 1]));
}

#[test]
fn selecting_on_the_map_selects_the_row() {
    let mut h = harness();
    h.get_by_label("Table").click();
    h.run_steps(3);
    // The last row of the table: off its screen until the table scrolls to it.
    let store = h.state().store().clone();
    let (a, b) = h.state().timeline().window();
    let i = *store.window_ids(&store.window(a, b)).last().unwrap();
    let title = store.get(i).unwrap().title.clone().unwrap();
    assert_eq!(h.query_all_by_label(&title).count(), 0, "not built before");
    h.state_mut()
        .push_command(strikemap::state::Command::Select(
            strikemap::state::selection::SelectCommand::Select(Some(i)),
        ));
    h.run_steps(3);
    // Shown in the table (scrolled to) and in the details.
    assert!(h.get_all_by_label(&title).count() >= 2);
}

#[test]
fn statistics_totals_equal_a_brute_force_sum_over_the_filtered_window() {
    let mut h = harness();
    h.get_by_label("Statistics").click();
    h.run_steps(2);
    h.get_by_label("Filters").click();
    h.run_steps(2);
    let events = bundled();
    let drones = events
        .iter()
        .filter(|e| e.weapons.contains(&Weapon::Drone))
        .count();
    h.get_by_label(&format!("Drone ({drones})")).click();
    h.run_steps(3);
    let strikes: Vec<&Event> = events
        .iter()
        .filter(|e| e.weapons.contains(&Weapon::Drone))
        .filter(|e| e.launched.is_none() && e.intercepted.is_none())
        .collect();
    let killed = strikemap::stats::Count {
        sum: strikes.iter().filter_map(|e| e.killed).map(u64::from).sum(),
        reported: strikes.iter().filter(|e| e.killed.is_some()).count(),
    };
    let injured = strikemap::stats::Count {
        sum: strikes
            .iter()
            .filter_map(|e| e.injured)
            .map(u64::from)
            .sum(),
        reported: strikes.iter().filter(|e| e.injured.is_some()).count(),
    };
    use strikemap::ui::stats::count_text;
    h.get_by_label(&count_text(killed, strikes.len()));
    h.get_by_label(&count_text(injured, strikes.len()));
    let b = h.state_mut().stats();
    assert_eq!(b.strikes.events, strikes.len());
    assert_eq!(b.strikes.killed, killed);
    let launched: u64 = events
        .iter()
        .filter(|e| e.weapons.contains(&Weapon::Drone))
        .filter_map(|e| e.launched)
        .map(u64::from)
        .sum();
    assert_eq!(b.attacks.launched.sum, launched);
    // A click on a target bar adds that target to the filter.
    let bar = h
        .get_all_by_label_contains("Residential:")
        .next()
        .unwrap()
        .rect();
    h.hover_at(bar.center());
    h.run_steps(1);
    h.drag_at(bar.center());
    h.run_steps(1);
    h.drop_at(bar.center());
    h.run_steps(3);
    assert_eq!(
        h.state().filter().targets,
        vec![strikemap::model::Target::Residential]
    );
    // Save CSV… writes the table of what the panel shows now.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stats.csv");
    h.get_by_label("Save CSV…").click();
    h.run_steps(2);
    assert!(h.state().export_dialog_open(), "the save dialog");
    h.state_mut()
        .push_command(strikemap::state::Command::System(
            strikemap::state::SystemCommand::SaveStats(path.clone()),
        ));
    h.run_steps(2);
    let want = strikemap::stats::to_csv(&h.state_mut().stats());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), want);
    assert!(want.contains("target,Residential,"));
    h.get_by_label(&format!("Statistics saved to {}", path.display()));
}

#[test]
fn a_saved_view_reopens_with_the_same_window_filter_and_selection() {
    use strikemap::state::Command;
    use strikemap::state::filter::FilterCommand;
    use strikemap::timeline::{TimelineCommand, WindowLen};
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/events.geojson");
    let mut h = common::harness_with(vec![file], egui::vec2(1280.0, 800.0));
    let drone = strikemap::filter::EventFilter {
        weapons: vec![Weapon::Drone],
        ..Default::default()
    };
    let app = h.state_mut();
    app.push_command(Command::Filter(FilterCommand::Set(drone.clone())));
    app.push_command(Command::Timeline(TimelineCommand::SetWindow(
        WindowLen::Month,
    )));
    h.run_steps(2);
    // Select a drone event and put the window's end on its day.
    let pick = h.state().store().len() / 2;
    let (start, _) = h.state().store().time(pick).unwrap();
    let id = h.state().store().get(pick).unwrap().id.clone();
    let app = h.state_mut();
    app.push_command(Command::Timeline(TimelineCommand::SetCursor(start + 3600)));
    app.push_command(Command::Select(
        strikemap::state::selection::SelectCommand::Select(Some(pick)),
    ));
    h.run_steps(2);
    let window = h.state().timeline().window();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("drones.strikemap");
    h.state().save_view(&path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("\"record\""),
        "the selection is saved: {text}"
    );

    let mut h2 = common::harness_with(vec![path], egui::vec2(1280.0, 800.0));
    common::step_until(&mut h2, "the view applied", |a| a.selected().is_some());
    let app = h2.state();
    assert_eq!(app.filter(), &drone);
    assert_eq!(app.timeline().window(), window);
    let sel = app.selected().unwrap();
    assert_eq!(app.store().get(sel).unwrap().id, id);
    h2.get_by_label("Drone  ×");
}

#[test]
fn a_view_whose_file_is_missing_says_so_and_opens_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.strikemap");
    std::fs::write(
        &path,
        r#"{"format":"strikemap view 1","files":["gone.csv"],"filter":{"weapons":["drone"]}}"#,
    )
    .unwrap();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| {
            StrikemapApp::new(
                cc,
                AppConfig {
                    files: vec![path],
                    ..AppConfig::default()
                },
            )
        });
    h.run_steps(4);
    h.get_all_by_label_contains("not found: gone.csv")
        .next()
        .unwrap();
    assert_eq!(h.state().filter().weapons, vec![Weapon::Drone]);
}

#[test]
fn typing_a_date_range_in_the_timeline_moves_the_window_there() {
    let mut h = harness();
    let field = h.get_by_label(strikemap::ui::timeline::DATE_JUMP_LABEL);
    field.click();
    h.run_steps(1);
    h.get_by_label(strikemap::ui::timeline::DATE_JUMP_LABEL)
        .type_text("2025-07-01..2025-07-10");
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    let day = |d: &str| strikemap::filter::day_start(d).unwrap();
    assert_eq!(
        h.state().timeline().window(),
        (day("2025-07-01"), day("2025-07-11"))
    );
    // A single day moves the cursor to its end, keeping the window's length.
    h.get_by_label(strikemap::ui::timeline::DATE_JUMP_LABEL)
        .click();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label(strikemap::ui::timeline::DATE_JUMP_LABEL)
        .type_text("2025-12-08");
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert_eq!(h.state().timeline().window().1, day("2025-12-09"));
}

#[test]
fn png_export_writes_the_map_at_the_window_s_resolution_with_its_caption() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("events.geojson");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/events.geojson"),
        &data,
    )
    .unwrap();
    let mut h = common::harness_with(vec![data], egui::vec2(1280.0, 800.0));
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Export map image…").click();
    h.run_steps(3);
    assert!(h.state().export_dialog_open(), "the built-in save dialog");
    h.get_by_label("Save").click();
    let out = dir.path().join("strikemap-map.png");
    // The caption is drawn into the map while the picture is taken, then goes.
    h.run_steps(1);
    let data_line = "Data: events.geojson";
    assert_eq!(h.query_all_by_label(data_line).count(), 1, "the caption");
    common::step_until(&mut h, "the image was written", |_| out.exists());
    h.run_steps(3);
    assert_eq!(
        h.query_all_by_label(data_line).count(),
        0,
        "the caption is gone"
    );
    let rect = h.state().map_rect();
    let ppp = h.ctx.pixels_per_point();
    let img = image::open(&out).unwrap().to_rgba8();
    assert_eq!(
        (img.width(), img.height()),
        (
            (rect.width() * ppp).round() as u32,
            (rect.height() * ppp).round() as u32
        ),
        "the map area in pixels"
    );
    // A picture, not a blank: the basemap, markers and overlays give many colours.
    let colours: std::collections::HashSet<[u8; 4]> = img.pixels().map(|p| p.0).collect();
    assert!(colours.len() > 50, "{} colours", colours.len());
    h.get_by_label_contains("Map image saved to");
}
