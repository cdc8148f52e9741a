//! The map view: walkers' `MapMemory` (centre, zoom; also moved by dragging and the wheel while
//! the map is shown) and the pending fit to the data.

use walkers::{MapMemory, lat_lon};

use crate::geo::view::ViewGeometry;
use crate::model::{LocationPrecision, unmercator};
use crate::store::EventStore;

/// What the UI asks of the map view.
#[derive(Clone, Debug, PartialEq)]
pub enum MapCommand {
    /// Zoom the map in (+1) or out (-1).
    Zoom(i32),
    /// Fit the map to all loaded events.
    FitAll,
    /// Centre and zoom on an event (store index).
    ZoomTo(usize),
    /// Centre the map on (lat, lon) at a zoom level.
    SetView(f64, f64, f64),
    /// Pan to an event (store index) if it is off-screen; the zoom stays.
    Reveal(usize),
}

/// Where Ukraine and its neighbours are: the view when nothing is loaded.
const HOME: (f64, f64, f64) = (48.5, 31.5, 5.0);

/// The map view and whether it should be fitted to the data before the next draw.
#[derive(Default)]
pub struct MapState {
    /// Centre and zoom (walkers' own state, also changed by dragging and the wheel).
    pub memory: MapMemory,
    /// Fit the view to the data before the map is next drawn (its size is known only then).
    pub fit_pending: bool,
    /// A view was given on the command line, or restored: the files loading in the background
    /// keep it instead of fitting it.
    pub keep_view: bool,
    /// The map's size at the last draw (points), to tell whether an event is on screen.
    pub size: (f32, f32),
}

impl MapState {
    /// Apply one map command.
    pub fn apply(&mut self, command: MapCommand, store: &EventStore) {
        let m = &mut self.memory;
        match command {
            MapCommand::Zoom(d) => {
                let _ = if d > 0 { m.zoom_in() } else { m.zoom_out() };
            }
            MapCommand::FitAll => self.fit_pending = true,
            MapCommand::ZoomTo(i) => {
                if i < store.len() {
                    let (x, y) = store.pos(i);
                    let (lat, lon) = unmercator(f64::from(x), f64::from(y));
                    m.center_at(lat_lon(lat, lon));
                    let z = zoom_for_precision(store.precision(i));
                    // Never zoom out to show an event: the user may be looking closer.
                    let _ = m.set_zoom(z.max(m.zoom()));
                }
            }
            MapCommand::Reveal(i) => {
                if i < store.len() && !on_screen(m, self.size, store.pos(i)) {
                    let (x, y) = store.pos(i);
                    let (lat, lon) = unmercator(f64::from(x), f64::from(y));
                    m.center_at(lat_lon(lat, lon));
                }
            }
            MapCommand::SetView(lat, lon, zoom) => {
                m.center_at(lat_lon(lat, lon));
                let _ = m.set_zoom(zoom.clamp(1.0, 19.0));
                self.fit_pending = false;
            }
        }
    }

    /// New data arrived: fit it, unless a view asked for on the command line is kept.
    pub fn data_replaced(&mut self) {
        self.fit_pending = !self.keep_view;
    }

    /// Before the map is drawn at `size` (points): perform a pending fit.
    pub fn prepare(&mut self, store: &EventStore, size: (f32, f32)) {
        self.size = size;
        if !self.fit_pending {
            return;
        }
        let ((lat, lon), zoom) = fit_view(store, size).unwrap_or(((HOME.0, HOME.1), HOME.2));
        self.memory.center_at(lat_lon(lat, lon));
        let _ = self.memory.set_zoom(zoom);
        self.fit_pending = false;
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

/// Centre and zoom that fit all events into a viewport of `size` points, with a margin.
/// `None` when there are no events.
pub fn fit_view(store: &EventStore, size: (f32, f32)) -> Option<((f64, f64), f64)> {
    let [x0, y0, x1, y1] = store.bounds()?.map(f64::from);
    let margin = 60.0;
    let w = f64::from((size.0 - 2.0 * margin).max(50.0));
    let h = f64::from((size.1 - 2.0 * margin).max(50.0));
    let dx = (x1 - x0).max(1e-9);
    let dy = (y1 - y0).max(1e-9);
    let zoom = ViewGeometry::fit_zoom((dx, dy), (w, h)).clamp(2.0, 12.0);
    let centre = unmercator((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    Some((centre, zoom))
}
/// Whether a point (normalised Web Mercator) is inside the map as last drawn.
fn on_screen(memory: &MapMemory, size: (f32, f32), (x, y): (f32, f32)) -> bool {
    let Some(centre) = memory.detached() else {
        return false;
    };
    let world = 256.0 * 2f64.powf(memory.zoom());
    let (cx, cy) = crate::model::mercator(centre.y(), centre.x());
    let dx = (f64::from(x) - cx) * world;
    let dy = (f64::from(y) - cy) * world;
    let (w, h) = (f64::from(size.0), f64::from(size.1));
    dx.abs() < w / 2.0 - 20.0 && dy.abs() < h / 2.0 - 20.0
}
