//! The map: walkers slippy map with OpenStreetMap tiles, event markers as a walkers
//! [`walkers::Plugin`], and overlays (zoom buttons, scale bar, legend, attribution).

pub mod markers;
pub mod overlay;
pub mod tiles;

use walkers::{Map, MapMemory, Tiles, lat_lon};

use crate::app::Command;
use crate::layers::{self, Layer, LayerMode, ViewGeom};
use crate::model::LocationPrecision;
use crate::store::{EventStore, Window};

/// What the map needs to draw one frame (read-only).
pub struct MapView<'a> {
    /// All events.
    pub store: &'a EventStore,
    /// Changes whenever the store is replaced (keys the layer cache).
    pub generation: u64,
    /// The current time window.
    pub window: &'a Window,
    /// How to draw events (markers, clusters, density or automatic).
    pub mode: LayerMode,
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

/// The layer computed for the last view, reused while nothing changes (idle frames cost
/// nothing), the density texture, and whether the next frame fits the view to the data.
#[derive(Default)]
pub struct LayerCache {
    key: Option<(u64, i64, i64, LayerMode, [u64; 5])>,
    /// What to draw.
    pub layer: Option<Layer>,
    /// The density raster as a texture (when `layer` is density).
    pub texture: Option<egui::TextureHandle>,
    /// Events in view by the cheap estimate (for the status line).
    pub estimate: usize,
    /// Fit the map to the data on the next frame (when the map's size is known).
    pub fit_pending: bool,
    /// Density counts kept between frames.
    density: layers::DensityCache,
}

impl LayerCache {
    /// An empty cache; `fit` fits the view to the data on the first frame.
    pub fn fitting(fit: bool) -> Self {
        Self {
            fit_pending: fit,
            ..Self::default()
        }
    }

    /// Recompute the layer if the data, window, mode or view changed.
    pub fn update(&mut self, ctx: &egui::Context, view: &MapView<'_>, geom: &ViewGeom, dark: bool) {
        let g = [
            geom.cx.to_bits(),
            geom.cy.to_bits(),
            geom.scale.to_bits(),
            u64::from(geom.width.to_bits()),
            u64::from(geom.height.to_bits()),
        ];
        let key = (
            view.generation,
            view.window.from,
            view.window.to,
            view.mode,
            g,
        );
        if self.key == Some(key) {
            return;
        }
        self.key = Some(key);
        self.estimate = layers::estimate_in_view(view.store, view.window, geom);
        let layer = layers::compute_cached(
            view.store,
            view.window,
            geom,
            view.mode,
            view.generation,
            &mut self.density,
        );
        if let Layer::Density(d) = &layer {
            let image = markers::density_image(d, dark);
            match &mut self.texture {
                Some(t) if t.size() == image.size => t.set(image, egui::TextureOptions::LINEAR),
                _ => {
                    self.texture =
                        Some(ctx.load_texture("density", image, egui::TextureOptions::LINEAR));
                }
            }
        }
        self.layer = Some(layer);
    }
}

/// The view in world terms for a map of `size` points showing `memory`.
pub fn view_geom(memory: &MapMemory, home: walkers::Position, size: egui::Vec2) -> ViewGeom {
    let c = memory.detached().unwrap_or(home);
    let (cx, cy) = mercator(c.y(), c.x());
    ViewGeom {
        cx,
        cy,
        scale: 256.0 * 2f64.powf(memory.zoom()),
        width: size.x,
        height: size.y,
    }
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

pub use crate::model::{mercator, unmercator};

/// Centre and zoom that fit all events into a viewport of `size` points, with a margin.
/// `None` when there are no events.
pub fn fit_view(store: &EventStore, size: egui::Vec2) -> Option<((f64, f64), f64)> {
    let [x0, y0, x1, y1] = store.bounds()?.map(f64::from);
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
    cache: &mut LayerCache,
    out: &mut MapOutput,
    commands: &mut Vec<Command>,
) {
    if cache.fit_pending {
        if let Some(((lat, lon), zoom)) = fit_view(view.store, ui.available_size()) {
            memory.center_at(lat_lon(lat, lon));
            let _ = memory.set_zoom(zoom);
        } else {
            // Nothing loaded: show Ukraine and its neighbours.
            memory.center_at(lat_lon(48.5, 31.5));
            let _ = memory.set_zoom(5.0);
        }
        cache.fit_pending = false;
    }
    let home = memory.detached().unwrap_or_else(|| lat_lon(48.5, 31.5));
    let geom = view_geom(memory, home, ui.available_size());
    cache.update(ui.ctx(), view, &geom, ui.visuals().dark_mode);
    let has_tiles = tiles.is_some();
    let attribution = tiles.as_ref().map(|t| t.attribution());
    // Reserve the basemap's place in the paint order before the map widget paints its tiles.
    let slot = ui.painter().add(egui::Shape::Noop);
    let plugin = markers::MarkersPlugin {
        view,
        cache,
        out,
        commands,
    };
    let mut overlay_cmds = Vec::new();
    let mut map = Map::new(tiles, memory, home);
    if let Some(basemap) = view.basemap {
        // Labels keep clear of event markers; with very many events the density layers own
        // the map and label avoidance would cost more than it helps.
        let markers = match &cache.layer {
            Some(Layer::Markers(ids, _)) if ids.len() <= 5_000 => ids
                .iter()
                .filter(|&&i| !view.store.precision(i).is_area())
                .map(|&i| {
                    let (x, y) = view.store.pos(i);
                    let (lat, lon) = unmercator(f64::from(x), f64::from(y));
                    (lat, lon, markers::dot_radius(view.store, i) + 2.0)
                })
                .collect(),
            _ => Vec::new(),
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
        let store = EventStore::new(vec![std::sync::Arc::new(
            crate::import::load_bundled().unwrap().into_dataset(),
        )]);
        let size = egui::vec2(1000.0, 700.0);
        let ((lat, lon), zoom) = fit_view(&store, size).unwrap();
        let (cx, cy) = mercator(lat, lon);
        let scale = 256.0 * 2f64.powf(zoom);
        for e in (0..store.len()).map(|i| store.get(i).unwrap()) {
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
