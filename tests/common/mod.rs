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
    h
}
