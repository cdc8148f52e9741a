//! strikemap: a fast desktop map viewer for geocoded strike and conflict events.
//!
//! Data flows one way: [`import`] → [`store`] → window query → map layers ([`map`]) and panels
//! ([`ui`]) → paint. UI code never mutates state directly: it emits [`app::Command`]s that
//! [`app::StrikemapApp`] applies in one place.

pub mod app;
pub mod geo;
pub mod bench;
pub mod cli;
pub mod generate;
pub mod import;
pub mod layers;
pub mod map;
pub mod model;
pub mod settings;
pub mod store;
pub mod timeline;
pub mod ui;

pub use app::{AppConfig, AppState, StrikemapApp};

/// When the process started (as near as `main` can tell): the origin of the start-up time
/// that the app logs at its first painted frame.
pub fn process_start() -> std::time::Instant {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    *START.get_or_init(std::time::Instant::now)
}
