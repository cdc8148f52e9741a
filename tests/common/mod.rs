//! Helpers shared by the UI test files.

use egui_kittest::Harness;
use strikemap::{AppConfig, StrikemapApp};

/// The app on these files (no tiles), after its first frames.
pub fn harness_with(
    files: Vec<std::path::PathBuf>,
    size: egui::Vec2,
) -> Harness<'static, StrikemapApp> {
    let mut h = Harness::builder().with_size(size).build_eframe(move |cc| {
        StrikemapApp::new(
            cc,
            AppConfig {
                files,
                ..AppConfig::default()
            },
        )
    });
    h.run_steps(4);
    // Files load in the background (the window comes first): wait until they have landed.
    step_until(&mut h, "the files loaded", |a| a.loading().next().is_none());
    h.run_steps(2);
    h
}

/// Step frames, with real time passing (loads and rebuilds run on threads), until `done`
/// holds; fails after 60 s (slow CI machines included) saying `what` did not happen.
pub fn step_until(
    h: &mut Harness<'static, StrikemapApp>,
    what: &str,
    done: impl Fn(&StrikemapApp) -> bool,
) {
    let start = std::time::Instant::now();
    while !done(h.state()) {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "{what} within 60 s"
        );
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Choose a timeline window length ("1 day", "1 week", "30 days", …) from its picker.
#[allow(dead_code)] // not every test file that shares this module changes the window
pub fn choose_window(h: &mut Harness<'static, StrikemapApp>, label: &str) {
    use egui_kittest::kittest::Queryable;
    h.get_by_role_and_label(
        egui::accesskit::Role::ComboBox,
        "Window length (the window ends at the cursor)",
    )
    .click();
    h.run_steps(2);
    h.get_by_label(label).click();
    h.run_steps(2);
}
