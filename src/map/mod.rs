//! The map: walkers slippy map with OpenStreetMap tiles, event markers as a walkers
//! [`walkers::Plugin`], and overlays (zoom buttons, scale bar, legend, attribution).

pub mod markers;
pub mod overlay;
pub mod tiles;

use walkers::{Map, MapMemory, Tiles, lat_lon};

use crate::app::Command;
use crate::model::LocationPrecision;
use crate::store::EventStore;

/// What the map needs to draw one frame (read-only).
pub struct MapView<'a> {
    /// All events.
    pub store: &'a EventStore,
    /// Indices of events in the current time window.
    pub visible: &'a [usize],
    /// The selected event.
    pub selected: Option<usize>,
    /// The built-in basemap, if available.
    pub basemap: Option<&'a crate::basemap::Basemap>,
    /// Label the basemap in Ukrainian.
    pub ukrainian: bool,
}

/// What the map pass found out, beyond commands.
#[derive(Debug, Default)]
pub struct MapOutput {
    /// Events drawn at (within a few pixels of) the selected event, selected first.
    pub at_selected_spot: Vec<usize>,
    /// Screen position of each drawn event marker: `(event index, centre)`.
    pub drawn: Vec<(usize, egui::Pos2)>,
    /// Where the map widget is on screen.
    pub rect: Option<egui::Rect>,
}

/// Zoom level at which an event of this precision is best seen.
pub fn zoom_for_precision(p: LocationPrecision) -> f64 {
    match p {
        LocationPrecision::Exact => 15.0,
        LocationPrecision::Settlement => 12.0,
        LocationPrecision::District => 10.0,
        LocationPrecision::Region => 8.0,
        LocationPrecision::Country => 6.0,
    }
}

/// Normalised Web Mercator coordinates (0..1, y down) of a lat/lon, as walkers uses.
pub fn mercator(lat: f64, lon: f64) -> (f64, f64) {
    let lat = lat.clamp(-85.05, 85.05).to_radians();
    let x = (lon + 180.0) / 360.0;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0;
    (x, y)
}

/// Inverse of [`mercator`].
pub fn unmercator(x: f64, y: f64) -> (f64, f64) {
    let lon = x * 360.0 - 180.0;
    let n = std::f64::consts::PI * (1.0 - 2.0 * y);
    let lat = n.sinh().atan().to_degrees();
    (lat, lon)
}

/// Centre and zoom that fit all events into a viewport of `size` points, with a margin.
/// `None` when there are no events.
pub fn fit_view(store: &EventStore, size: egui::Vec2) -> Option<((f64, f64), f64)> {
    let mut it = store
        .events()
        .iter()
        .map(|e| mercator(e.location.lat, e.location.lon));
    let first = it.next()?;
    let (mut x0, mut y0, mut x1, mut y1) = (first.0, first.1, first.0, first.1);
    for (x, y) in it {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    let margin = 60.0;
    let w = f64::from((size.x - 2.0 * margin).max(50.0));
    let h = f64::from((size.y - 2.0 * margin).max(50.0));
    let dx = (x1 - x0).max(1e-9);
    let dy = (y1 - y0).max(1e-9);
    let zoom = (w / (dx * 256.0))
        .min(h / (dy * 256.0))
        .log2()
        .clamp(2.0, 12.0);
    let centre = unmercator((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    Some((centre, zoom))
}

/// Draw the map with markers and overlays. Emits commands for clicks and buttons.
pub fn map_ui(
    ui: &mut egui::Ui,
    view: &MapView<'_>,
    memory: &mut MapMemory,
    tiles: Option<&mut dyn Tiles>,
    fit_pending: &mut bool,
    out: &mut MapOutput,
    commands: &mut Vec<Command>,
) {
    if *fit_pending {
        if let Some(((lat, lon), zoom)) = fit_view(view.store, ui.available_size()) {
            memory.center_at(lat_lon(lat, lon));
            let _ = memory.set_zoom(zoom);
        } else {
            // Nothing loaded: show Ukraine and its neighbours.
            memory.center_at(lat_lon(48.5, 31.5));
            let _ = memory.set_zoom(5.0);
        }
        *fit_pending = false;
    }
    let home = memory.detached().unwrap_or_else(|| lat_lon(48.5, 31.5));
    let has_tiles = tiles.is_some();
    let attribution = tiles.as_ref().map(|t| t.attribution());
    // Reserve the basemap's place in the paint order before the map widget paints its tiles.
    let slot = ui.painter().add(egui::Shape::Noop);
    let plugin = markers::MarkersPlugin {
        view,
        out,
        commands,
    };
    let mut overlay_cmds = Vec::new();
    let mut map = Map::new(tiles, memory, home);
    if let Some(basemap) = view.basemap {
        // Labels keep clear of event markers; with very many events the density layers own
        // the map and label avoidance would cost more than it helps.
        let markers = if view.visible.len() <= 5_000 {
            view.visible
                .iter()
                .filter_map(|&i| view.store.get(i))
                .filter(|e| !e.location.precision.is_area())
                .map(|e| (e.location.lat, e.location.lon, markers::dot_radius(e) + 2.0))
                .collect()
        } else {
            Vec::new()
        };
        map = map.with_plugin(crate::basemap::BasemapPlugin {
            basemap,
            slot,
            ukrainian: view.ukrainian,
            markers,
        });
    }
    let sources = overlay::Sources {
        has_tiles,
        has_basemap: view.basemap.is_some(),
        attribution,
    };
    let response = map
        .with_plugin(plugin)
        .show(ui, |ui, response, projector, memory| {
            overlay::overlays_ui(ui, response, projector, memory, &sources, &mut overlay_cmds);
        });
    out.rect = Some(response.response.rect);
    commands.extend(overlay_cmds);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mercator_round_trip() {
        for (lat, lon) in [(50.45, 30.52), (0.0, 0.0), (-33.9, 151.2)] {
            let (x, y) = mercator(lat, lon);
            let (la, lo) = unmercator(x, y);
            assert!((la - lat).abs() < 1e-9 && (lo - lon).abs() < 1e-9);
        }
        assert!((mercator(0.0, 0.0).1 - 0.5).abs() < 1e-12);
    }

    #[test]
    fn fit_view_contains_all_events() {
        let store = EventStore::new(vec![(
            crate::store::Dataset {
                name: "b".into(),
                records: 0,
                loaded: 0,
            },
            crate::import::load_bundled().unwrap().events,
        )]);
        let size = egui::vec2(1000.0, 700.0);
        let ((lat, lon), zoom) = fit_view(&store, size).unwrap();
        let (cx, cy) = mercator(lat, lon);
        let scale = 256.0 * 2f64.powf(zoom);
        for e in store.events() {
            let (x, y) = mercator(e.location.lat, e.location.lon);
            let sx = (x - cx) * scale;
            let sy = (y - cy) * scale;
            assert!(
                sx.abs() <= 500.0 && sy.abs() <= 350.0,
                "{} off screen",
                e.id
            );
        }
    }
}
