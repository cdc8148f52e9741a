//! strikemap: a fast desktop map viewer for geocoded strike and conflict events.
//!
//! Layers run one way: [`model`] → [`geo`] → [`import`] → [`store`] → [`layers`] /
//! [`timeline`] → [`state`] (app state and commands) → [`present`], [`map`], [`ui`] → [`app`]
//! → `main`. UI code never mutates state directly: it emits [`state::Command`]s that
//! [`app::StrikemapApp`] routes to the domain that owns them.

pub mod app;
pub mod bench;
pub mod cli;
pub mod draft;
pub mod export;
pub mod filter;
pub mod generate;
pub mod geo;
pub mod import;
pub mod layers;
pub mod map;
pub mod model;
pub mod present;
pub mod settings;
pub mod state;
pub mod stats;
pub mod store;
pub mod timeline;
pub mod ui;

pub use app::{AppConfig, StrikemapApp};
pub use state::AppState;

/// When the process started (as near as `main` can tell): the origin of the start-up time
/// that the app logs at its first painted frame.
pub fn process_start() -> std::time::Instant {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    *START.get_or_init(std::time::Instant::now)
}
