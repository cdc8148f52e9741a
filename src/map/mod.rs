//! The map: walkers slippy map with OpenStreetMap tiles, event markers as a walkers
//! [`walkers::Plugin`], and overlays (zoom buttons, scale bar, legend, attribution).

pub mod badges;
pub mod basemap;
pub mod glyph;
pub mod http_tiles;
pub mod markers;
pub mod overlay;
pub mod placement;
pub mod tiles;

use walkers::{Map, MapMemory, Tiles, lat_lon};

use crate::geo::view::ViewGeometry;
use crate::layers::{self, Layer, LayerMode};
use crate::model::LocationPrecision;
use crate::state::Command;
use crate::state::job::{Job, Polled};
use crate::store::{EventStore, Window};

/// What the map needs to draw one frame (read-only).
pub struct MapView<'a> {
    /// All events.
    pub store: &'a EventStore,
    /// The same, shared, for layers computed on a thread.
    pub shared: &'a std::sync::Arc<EventStore>,
    /// Changes whenever the store is replaced (keys the layer cache).
    pub generation: u64,
    /// The current time window.
    pub window: &'a Window,
    /// How to draw events (markers, clusters, density or automatic).
    pub mode: LayerMode,
    /// The selected event.
    pub selected: Option<usize>,
    /// The built-in basemap, if available.
    pub basemap: Option<&'a crate::geo::Basemap>,
    /// Label the basemap in Ukrainian.
    pub ukrainian: bool,
    /// A caption burnt into the map while an image of it is exported.
    pub caption: Option<&'a overlay::Caption>,
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
    /// The country-level badges drawn: where, and their reports.
    pub badges: Vec<(egui::Rect, Vec<usize>)>,
}

/// What keys a computed layer: data generation, window, mode and view.
type LayerKey = (u64, i64, i64, LayerMode, [u64; 5]);

/// Windows with at least this many events have their layer computed on a thread: the map
/// keeps drawing the previous layer (moved and scaled to the new view) meanwhile, so a zoom
/// at a million events never shows a frame without them nor waits for the computation.
pub const LAYER_ON_THREAD_FROM: usize = 100_000;

/// A layer being computed on a thread.
struct LayerJob {
    key: LayerKey,
    job: Job<Computed>,
}

/// What a layer computation produces (the density counts come back for reuse).
struct Computed {
    layer: Layer,
    estimate: usize,
    in_view: usize,
    density: layers::DensityCache,
}

/// The layer computed for the last view, reused while nothing changes (idle frames cost
/// nothing), the density texture, and whether the next frame fits the view to the data.
#[derive(Default)]
pub struct LayerCache {
    /// The key of the layer shown or being computed.
    key: Option<LayerKey>,
    /// What to draw.
    pub layer: Option<Layer>,
    /// The data generation `layer` belongs to (its event indices are into that store).
    layer_generation: u64,
    /// The density raster as a texture (when `layer` is density).
    pub texture: Option<egui::TextureHandle>,
    /// Events in view by the cheap estimate (an upper bound; chooses the layer).
    pub estimate: usize,
    /// Events in view, counted exactly (for the counters).
    pub in_view: usize,
    /// Density counts kept between frames (taken by a job while it runs).
    density: layers::DensityCache,
    /// The layer being computed on a thread.
    job: Option<LayerJob>,
    /// Never compute on a thread (benchmarks).
    sync_only: bool,
    /// Layers installed so far (identifies `layer` for the badge cache).
    installs: u64,
    /// The badges placed for a layer, view and map rect: reading the reports' texts and
    /// laying them out is not redone every frame.
    badges: Option<(BadgeKey, Vec<badges::Badge>)>,
}

/// What the badges' placement depends on: the layer drawn, the view, the map's rect.
type BadgeKey = (u64, [u64; 3], [u32; 4], bool);

impl LayerCache {
    /// An empty cache; `sync_only` computes every layer on the calling thread.
    pub fn new(sync_only: bool) -> Self {
        Self {
            sync_only,
            ..Self::default()
        }
    }

    /// Whether a layer is being computed on a thread.
    pub fn computing(&self) -> bool {
        self.job.is_some()
    }

    /// Recompute the layer if the data, window, mode or view changed: at once for small
    /// windows, on a thread for large ones (the previous layer stays until it lands).
    pub fn update(
        &mut self,
        ctx: &egui::Context,
        view: &MapView<'_>,
        geom: &ViewGeometry,
        dark: bool,
    ) {
        self.poll_job(ctx, view.generation, dark);
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
        if self.layer_generation != view.generation {
            // Indices of another store must never be drawn with this one, nor a job for it
            // waited for.
            self.layer = None;
            self.texture = None;
            self.badges = None;
            if self
                .job
                .as_ref()
                .is_some_and(|j| j.key.0 != view.generation)
            {
                self.job = None;
                self.key = None;
            }
        }
        // One job at a time: a view that changed meanwhile is computed when it lands.
        if self.key == Some(key) || self.job.is_some() {
            return;
        }
        self.key = Some(key);
        if self.sync_only || view.window.candidates() < LAYER_ON_THREAD_FROM {
            let density = std::mem::take(&mut self.density);
            let c = compute(
                view.store,
                view.window,
                geom,
                view.mode,
                view.generation,
                density,
            );
            self.install(ctx, c, view.generation, dark);
            return;
        }
        let (store, window, geom, mode, generation) = (
            view.shared.clone(),
            view.window.clone(),
            *geom,
            view.mode,
            view.generation,
        );
        let density = std::mem::take(&mut self.density);
        let job = Job::spawn(ctx, move |_| {
            compute(&store, &window, &geom, mode, generation, density)
        });
        self.job = Some(LayerJob { key, job });
    }

    /// Take in a layer computed on a thread (dropped if the data changed meanwhile).
    fn poll_job(&mut self, ctx: &egui::Context, generation: u64, dark: bool) {
        let Some(job) = &self.job else {
            return;
        };
        match job.job.poll() {
            Polled::Done(c) => {
                let job_generation = job.key.0;
                self.job = None;
                if job_generation == generation {
                    self.install(ctx, c, generation, dark);
                } else {
                    self.key = None;
                }
            }
            Polled::Pending => {}
            Polled::Lost => {
                self.job = None;
                self.key = None;
            }
        }
    }

    /// Make a computed layer the one drawn (uploading the density texture).
    fn install(&mut self, ctx: &egui::Context, c: Computed, generation: u64, dark: bool) {
        if let Layer::Density(d) = &c.layer {
            let image = markers::density_image(d, dark);
            match &mut self.texture {
                Some(t) if t.size() == image.size => t.set(image, egui::TextureOptions::LINEAR),
                _ => {
                    self.texture =
                        Some(ctx.load_texture("density", image, egui::TextureOptions::LINEAR));
                }
            }
        }
        self.estimate = c.estimate;
        self.in_view = c.in_view;
        self.density = c.density;
        self.layer = Some(c.layer);
        self.layer_generation = generation;
        self.installs += 1;
    }
}

/// Compute the layer of a view, with the counters ("N in view").
fn compute(
    store: &EventStore,
    window: &Window,
    geom: &ViewGeometry,
    mode: LayerMode,
    generation: u64,
    mut density: layers::DensityCache,
) -> Computed {
    let estimate = layers::estimate_in_view(store, window, geom);
    let layer = layers::compute_cached(store, window, geom, mode, generation, &mut density);
    // The density raster has counted them already (its cells reach at most one 4-point cell
    // past the edges); a second pass over ~10⁶ events would double the frame.
    let in_view = match &layer {
        Layer::Density(d) => usize::try_from(d.total).unwrap_or(usize::MAX),
        _ => layers::count_in_view(store, window, geom),
    };
    Computed {
        layer,
        estimate,
        in_view,
        density,
    }
}

/// The view in world terms for a map of `size` points showing `memory`.
pub fn view_geom(memory: &MapMemory, home: walkers::Position, size: egui::Vec2) -> ViewGeometry {
    let c = memory.detached().unwrap_or(home);
    ViewGeometry::at_zoom(mercator(c.y(), c.x()), memory.zoom(), (size.x, size.y))
}

pub use crate::model::{mercator, unmercator};
pub use crate::state::map::{fit_view, zoom_for_precision};

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
    let home = memory.detached().unwrap_or_else(|| lat_lon(48.5, 31.5));
    let geom = view_geom(memory, home, ui.available_size());
    cache.update(ui.ctx(), view, &geom, ui.visuals().dark_mode);
    let has_tiles = tiles.is_some();
    let attribution = tiles.as_ref().map(|t| t.attribution());
    let map_rect = ui.available_rect_before_wrap();
    let mut keep_clear = overlay::reserved_rects(map_rect);
    let caption = view.caption.map(|c| {
        let points = layer_points(view, cache, &geom, map_rect);
        let at = overlay::place_caption(ui, map_rect, c, &points);
        keep_clear.push(at.expand(4.0));
        (c, at)
    });
    let badge_key: BadgeKey = (
        cache.installs,
        [geom.cx.to_bits(), geom.cy.to_bits(), geom.scale.to_bits()],
        [
            map_rect.min.x.to_bits(),
            map_rect.min.y.to_bits(),
            map_rect.max.x.to_bits(),
            map_rect.max.y.to_bits(),
        ],
        // A caption (an image being exported) takes room the badges must keep clear of.
        view.caption.is_some(),
    );
    let badges = match &cache.badges {
        Some((k, b)) if *k == badge_key && cache.layer.is_some() => b.clone(),
        _ => {
            let b = place_badges(ui.ctx(), view, cache, &geom, map_rect, &keep_clear);
            cache.badges = Some((badge_key, b.clone()));
            b
        }
    };
    let open = markers::open_badges(ui.ctx());
    out.badges = badges.iter().map(|b| (b.rect, b.events.clone())).collect();
    for b in &badges {
        keep_clear.push(b.rect.expand(2.0));
        if open.contains(&b.key()) {
            keep_clear.push(b.list_rect(map_rect, markers::LIST_WIDTH));
        }
    }
    // Reserve the basemap's place in the paint order before the map widget paints its tiles.
    let slot = ui.painter().add(egui::Shape::Noop);
    // Over a density raster the place names go above it (they would be unreadable under it).
    let labels_above = std::cell::RefCell::new(Vec::new());
    let density = matches!(cache.layer, Some(Layer::Density(_)));
    let plugin = markers::MarkersPlugin {
        view,
        cache,
        out,
        commands,
        badges: &badges,
    };
    let mut overlay_cmds = Vec::new();
    // Plain wheel (and pinch) zooms around the pointer, as in every web map; drag pans.
    // walkers' default zooms only with Ctrl and pans on the wheel.
    let mut map = Map::new(tiles, memory, home).zoom_with_ctrl(false);
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
                    (lat, lon, placement::dot_radius(view.store, i) + 2.0)
                })
                .collect(),
            _ => Vec::new(),
        };
        map = map.with_plugin(crate::map::basemap::BasemapPlugin {
            basemap,
            slot,
            ukrainian: view.ukrainian,
            markers,
            keep_clear,
            labels_on_top: density.then_some(&labels_above),
        });
    }
    let sources = overlay::Sources {
        has_tiles,
        has_basemap: view.basemap.is_some(),
        attribution,
    };
    let response = map
        .with_plugin(plugin)
        .with_plugin(crate::map::basemap::ShapesPlugin(&labels_above))
        .show(ui, |ui, response, projector, memory| {
            overlay::overlays_ui(
                ui,
                response,
                projector,
                memory,
                &sources,
                caption,
                &mut overlay_cmds,
            );
        });
    out.rect = Some(response.response.rect);
    // The view moved during `show` (a drag or the wheel): draw once more, so the layer and
    // the badges catch up even when no further input comes.
    if view_geom(memory, home, response.response.rect.size()) != geom {
        ui.ctx().request_repaint();
    }
    commands.extend(overlay_cmds);
}

/// Where the layer's markers and clusters are on screen (for placing a caption clear of
/// them; a density raster has no points).
fn layer_points(
    view: &MapView<'_>,
    cache: &LayerCache,
    geom: &ViewGeometry,
    map_rect: egui::Rect,
) -> Vec<egui::Pos2> {
    let centre = map_rect.center();
    let at = |x: f64, y: f64| {
        let (dx, dy) = geom.offset(x, y);
        centre + egui::vec2(dx, dy)
    };
    match &cache.layer {
        Some(Layer::Markers(ids, _)) => ids
            .iter()
            .map(|&i| {
                let (x, y) = view.store.pos(i);
                at(f64::from(x), f64::from(y))
            })
            .collect(),
        Some(Layer::Clusters(cls)) => cls.iter().map(|c| at(c.x, c.y)).collect(),
        _ => Vec::new(),
    }
}

/// Country- and macro-region-level reports among the drawn markers, one badge per spot,
/// placed clear of the other markers and of `overlays`.
fn place_badges(
    ctx: &egui::Context,
    view: &MapView<'_>,
    cache: &LayerCache,
    geom: &ViewGeometry,
    map_rect: egui::Rect,
    overlays: &[egui::Rect],
) -> Vec<badges::Badge> {
    // Markers, or the clusters of one event (drawn as markers).
    let ids: Vec<usize> = match &cache.layer {
        Some(Layer::Markers(ids, _)) => ids.clone(),
        Some(Layer::Clusters(cls)) => cls
            .iter()
            .filter(|c| c.count == 1)
            .map(|c| c.first)
            .collect(),
        _ => return Vec::new(),
    };
    let ids = &ids;
    let centre = map_rect.center();
    let screen = |i: usize| {
        let (x, y) = view.store.pos(i);
        let (dx, dy) = geom.offset(f64::from(x), f64::from(y));
        centre + egui::vec2(dx, dy)
    };
    let mut country = Vec::new();
    let mut obstacles: Vec<egui::Rect> = overlays.to_vec();
    for &i in ids {
        let p = screen(i);
        if !map_rect.contains(p) {
            continue;
        }
        match view.store.precision(i) {
            LocationPrecision::Country => country.push((i, p)),
            LocationPrecision::Region => {
                obstacles.push(egui::Rect::from_center_size(p, egui::vec2(8.0, 8.0)));
            }
            _ => {
                let d = 2.0 * placement::dot_radius(view.store, i) + 2.0;
                obstacles.push(egui::Rect::from_center_size(p, egui::vec2(d, d)));
            }
        }
    }
    if country.is_empty() {
        return Vec::new();
    }
    let font = egui::FontId::proportional(11.0);
    let groups = badges::group_by_spot(&country);
    let texts: Vec<String> = groups
        .iter()
        .map(|(_, ev)| badges::badge_text(view.store, ev))
        .collect();
    let anchors: Vec<(egui::Pos2, egui::Vec2)> = groups
        .iter()
        .zip(&texts)
        .map(|((at, _), text)| {
            let g = ctx.fonts_mut(|f| {
                f.layout_no_wrap(format!("{text} ▸"), font.clone(), egui::Color32::WHITE)
            });
            (*at, g.size() + egui::vec2(16.0, 6.0))
        })
        .collect();
    // No badge covers another's spot.
    obstacles.extend(
        groups
            .iter()
            .map(|(at, _)| egui::Rect::from_center_size(*at, egui::vec2(9.0, 9.0))),
    );
    let rects = badges::place(&anchors, map_rect, &obstacles);
    groups
        .into_iter()
        .zip(texts)
        .zip(rects)
        .map(|(((anchor, events), text), rect)| badges::Badge {
            anchor,
            events,
            text,
            rect,
        })
        .collect()
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
            crate::import::load_bundled()
                .unwrap()
                .into_dataset(crate::model::DatasetId::Bundled),
        )]);
        let size = (1000.0, 700.0);
        let ((lat, lon), zoom) = fit_view(&store, size).unwrap();
        let (cx, cy) = mercator(lat, lon);
        let scale = ViewGeometry::world_size(zoom);
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
