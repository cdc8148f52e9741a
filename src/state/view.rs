//! How things are drawn: layer mode, basemap language, the tile source fields, the load report
//! window. The tile source itself is applied by the tile layer (`map::tiles::TileLayer`), which
//! owns it; [`TileSourceChoice`] lives here so that commands can name it.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::layers::LayerMode;

/// What the UI asks of the view settings.
#[derive(Clone, Debug, PartialEq)]
pub enum ViewCommand {
    /// Label the basemap in Ukrainian (true) or Latin script (false).
    UkrainianNames(bool),
    /// Draw events as markers, clusters, density, or choose automatically.
    SetLayerMode(LayerMode),
    /// Switch the tile source (applied by the tile layer).
    SetTileSource(TileSourceChoice),
    /// The custom XYZ template field was edited (the draft; applied by `SetTileSource`).
    EditTemplate(String),
    /// The PMTiles path field was edited (the draft; applied by `SetTileSource`).
    EditPmtilesPath(String),
    /// Show or hide the load report window.
    ShowLoadReport(bool),
    /// Light or dark theme (applied to the egui context by the app).
    SetTheme(egui::Theme),
    /// Open or close a panel.
    ShowPanel(Panel, bool),
}

/// The panels beside and below the map that the user opens and closes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    /// The filter panel (left).
    Filters,
    /// The event table (bottom).
    Table,
    /// The statistics (right).
    Stats,
}

/// Which panels are open (persisted).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Panels {
    /// The filter panel.
    pub filters: bool,
    /// The event table.
    pub table: bool,
    /// The statistics panel.
    pub stats: bool,
}

impl Panels {
    /// The flag of `panel`.
    pub fn get_mut(&mut self, panel: Panel) -> &mut bool {
        match panel {
            Panel::Filters => &mut self.filters,
            Panel::Table => &mut self.table,
            Panel::Stats => &mut self.stats,
        }
    }
}

/// How events and the basemap are drawn, and the drafts of the tile source fields.
#[derive(Debug, Default)]
pub struct ViewSettings {
    /// Label the built-in basemap in Ukrainian (Cyrillic) where a Ukrainian name is known.
    pub ukrainian_names: bool,
    /// How events are drawn (automatic by density, or forced).
    pub layer_mode: LayerMode,
    /// Text of the custom XYZ template field.
    pub custom_template: String,
    /// Text of the PMTiles path field.
    pub pmtiles_path: String,
    /// Whether the load report window is open.
    pub show_load_report: bool,
    /// Which panels are open.
    pub panels: Panels,
}

impl ViewSettings {
    /// Apply the commands these settings own (the tile source and theme go elsewhere).
    pub fn apply(&mut self, command: &ViewCommand) {
        match command {
            ViewCommand::UkrainianNames(on) => self.ukrainian_names = *on,
            ViewCommand::SetLayerMode(m) => self.layer_mode = *m,
            ViewCommand::EditTemplate(t) => self.custom_template.clone_from(t),
            ViewCommand::EditPmtilesPath(p) => self.pmtiles_path.clone_from(p),
            ViewCommand::ShowLoadReport(on) => self.show_load_report = *on,
            ViewCommand::ShowPanel(p, on) => *self.panels.get_mut(*p) = *on,
            ViewCommand::SetTileSource(_) | ViewCommand::SetTheme(_) => {}
        }
    }
}

/// Where the map's raster tiles come from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TileSourceChoice {
    /// tile.openstreetmap.org.
    #[default]
    OpenStreetMap,
    /// OpenTopoMap.
    OpenTopoMap,
    /// No tiles: only the built-in vector basemap (works offline).
    BuiltIn,
    /// Any XYZ server, e.g. `https://tiles.example.org/{z}/{x}/{y}.png`.
    Custom(String),
    /// A local raster `.pmtiles` file.
    PmTiles(PathBuf),
}

impl TileSourceChoice {
    /// Menu label.
    pub fn label(&self) -> String {
        match self {
            Self::OpenStreetMap => "OpenStreetMap".to_owned(),
            Self::OpenTopoMap => "OpenTopoMap".to_owned(),
            Self::BuiltIn => "Built-in (offline)".to_owned(),
            Self::Custom(_) => "Custom XYZ URL".to_owned(),
            Self::PmTiles(_) => "Local PMTiles file".to_owned(),
        }
    }
}
