//! App state and commands, below the views: what the map and the panels read, and the
//! commands they emit. Each domain owns its state and applies its own commands:
//! [`crate::timeline::Timeline`] (cursor, window, playback), [`map::MapState`] (view, pending
//! fit), [`datasets::Datasets`] (store, loads, problems), [`view::ViewSettings`] (how things are
//! drawn) and [`selection::Selection`]. [`AppState`] is the persisted snapshot of them, taken on
//! save and handed out at start.

pub mod basemap;
pub mod command;
pub mod datasets;
mod export;
pub mod filter;
pub mod job;
pub mod map;
pub mod map_image;
pub mod saved_view;
pub mod selection;
pub mod table;
pub mod view;

pub use command::{Command, SystemCommand};

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use walkers::MapMemory;

use crate::import;
use crate::layers::LayerMode;
use crate::timeline::{Speed, WindowLen};
use view::TileSourceChoice;

/// Everything that persists across runs (eframe storage). `#[serde(default)]` so that state
/// written by an older version still loads.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AppState {
    /// The map view (centre and zoom).
    pub map_memory: MapMemory,
    /// Whether `map_memory` holds a view saved by a previous run (not just the default).
    pub view_saved: bool,
    /// The files that were open when the map view was saved; the view is restored only when
    /// the same files are opened again, otherwise the first view fits the data.
    pub files: Vec<PathBuf>,
    /// Files opened recently, newest first.
    pub recent: Vec<PathBuf>,
    /// Timeline window length.
    pub window: WindowLen,
    /// Playback speed.
    pub speed: Speed,
    /// Playback starts again at the beginning when it reaches the end.
    pub looping: bool,
    /// Label the built-in basemap in Ukrainian (Cyrillic) where a Ukrainian name is known.
    pub ukrainian_names: bool,
    /// The chosen tile source.
    pub tile_source: TileSourceChoice,
    /// Text of the custom XYZ template field.
    pub custom_template: String,
    /// Text of the PMTiles path field.
    pub pmtiles_path: String,
    /// How events are drawn (automatic by density, or forced).
    pub layer_mode: LayerMode,
    /// Per file (path): the property event times are read from, when the user chose one.
    pub time_properties: std::collections::BTreeMap<String, String>,
    /// CSV column mappings the user chose, per header.
    pub csv_columns: import::ColumnChoices,
    /// Per workbook (path): the sheet read, when the user chose one.
    pub sheets: std::collections::BTreeMap<String, String>,
    /// Which events are shown (the filter panel's choice).
    pub filter: crate::filter::EventFilter,
    /// Which side and bottom panels are open.
    pub panels: view::Panels,
}

impl AppState {
    /// The state from its saved RON text: read field by field (one unreadable field resets
    /// alone), then checked; the notes say what was reset.
    pub fn from_saved(text: &str) -> (Self, Vec<String>) {
        let (mut state, mut notes) = crate::settings::read_fields::<Self>(text);
        state.sanitize(&mut notes);
        (state, notes)
    }

    /// Clamp or default every value that would break the app (a NaN zoom blanks the map, a
    /// negative speed plays backwards as "NaN days/s").
    pub fn sanitize(&mut self, notes: &mut Vec<String>) {
        let state = self;
        let m = &state.map_memory;
        let zoom = m.zoom();
        let centre_ok = m.detached().is_none_or(|p| {
            p.y().is_finite() && p.x().is_finite() && p.y().abs() <= 90.0 && p.x().abs() <= 180.0
        });
        if !(zoom.is_finite() && (1.0..=19.0).contains(&zoom) && centre_ok) {
            notes.push(format!(
                "map view (zoom {zoom}) unusable: fitting the data instead"
            ));
            state.map_memory = walkers::MapMemory::default();
            state.view_saved = false;
        }
        let s = state.speed.0;
        if !(s.is_finite() && s > 0.0 && s <= 3650.0) {
            notes.push(format!("playback speed {s} reset"));
            state.speed = Speed::default();
        }
        if let WindowLen::Custom(n) = state.window
            && !(1..=3650).contains(&n)
        {
            notes.push(format!("window of {n} days clamped"));
            state.window = WindowLen::Custom(n.clamp(1, 3650));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved(state: &AppState) -> String {
        ron::to_string(state).unwrap()
    }

    #[test]
    fn one_bad_field_resets_only_itself() {
        let mut good = AppState {
            custom_template: "https://tiles.example/{z}/{x}/{y}.png".into(),
            ukrainian_names: true,
            recent: vec!["/data/a.csv".into()],
            ..AppState::default()
        };
        good.layer_mode = crate::layers::LayerMode::Density;
        let text = saved(&good).replace("window:Everything", "window:Custom(-5)");
        assert!(text.contains("Custom(-5)"), "{text}");
        let (s, notes) = AppState::from_saved(&text);
        assert_eq!(s.custom_template, good.custom_template);
        assert!(s.ukrainian_names);
        assert_eq!(s.recent, good.recent);
        assert_eq!(s.layer_mode, crate::layers::LayerMode::Density);
        assert_eq!(s.window, WindowLen::default());
        assert!(notes.iter().any(|n| n.contains("window")), "{notes:?}");
    }

    #[test]
    fn broken_numbers_become_sane_values() {
        let good = AppState::default();
        let base = saved(&good);
        for (what, text) in [
            ("speed NaN", base.replace("speed:(7.0)", "speed:(NaN)")),
            ("speed inf", base.replace("speed:(7.0)", "speed:(inf)")),
            ("speed -7", base.replace("speed:(7.0)", "speed:(-7.0)")),
        ] {
            assert_ne!(text, base, "{what}: the test edits the file");
            let (s, _) = AppState::from_saved(&text);
            assert_eq!(s.speed, Speed::default(), "{what}");
        }
        let mut m = AppState::default();
        m.map_memory.center_at(walkers::lat_lon(50.0, 30.0));
        let _ = m.map_memory.set_zoom(8.0);
        m.view_saved = true;
        let base = saved(&m);
        assert!(base.contains("zoom:(8.0)"), "{base}");
        for bad in ["NaN", "inf", "-50.0", "1e308"] {
            let text = base.replace("zoom:(8.0)", &format!("zoom:({bad})"));
            let (s, notes) = AppState::from_saved(&text);
            let z = s.map_memory.zoom();
            assert!(
                z.is_finite() && (1.0..=19.0).contains(&z),
                "zoom {bad} → {z}"
            );
            assert!(!notes.is_empty(), "{bad}");
            assert!(!s.view_saved, "{bad}: the data is fitted instead");
        }
        // A centre off the globe, too.
        let (s, _) = AppState::from_saved(&base.replacen("50.0", "NaN", 1));
        assert!(s.map_memory.detached().is_none_or(|p| p.y().is_finite()));
        let (s, _) = AppState::from_saved("not ron at all (");
        assert_eq!(s.speed, Speed::default());
    }
}
