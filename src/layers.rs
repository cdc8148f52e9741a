//! Map layers computed from the store for one view: which events to draw as markers, or the
//! clusters, or the density grid. Pure data (no egui), so it is unit-tested and benchmarked;
//! `map::markers` paints the result.
//!
//! Clusters and density cells are anchored to the world (cell `k` covers world pixels
//! `k·size..(k+1)·size` at the current zoom), so they do not jump while panning.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::geo::view::ViewGeometry;
use crate::model::Weapon;
use crate::store::{EventStore, UNKNOWN, Window, WorldRect};

/// Auto mode draws individual markers up to this many events in view.
pub const MARKERS_MAX: usize = 3_000;
/// Auto mode draws clusters up to this many events in view, density above.
pub const CLUSTERS_MAX: usize = 150_000;
/// Forced marker mode still stops at this many markers (the rest are counted, not drawn).
pub const MARKERS_HARD_CAP: usize = 50_000;
/// Cluster cell size in screen points.
pub const CLUSTER_CELL: f32 = 64.0;
/// Density cell size in screen points.
pub const DENSITY_CELL: f32 = 4.0;

/// How events are drawn; `Auto` switches by the number of events in view.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum LayerMode {
    /// Markers when few, clusters at intermediate density, a density raster when very many.
    #[default]
    Auto,
    /// Always individual markers (capped at [`MARKERS_HARD_CAP`]).
    Markers,
    /// Always clusters.
    Clusters,
    /// Always the density raster.
    Density,
}

impl LayerMode {
    /// All modes, for the picker.
    pub const ALL: [LayerMode; 4] = [Self::Auto, Self::Markers, Self::Clusters, Self::Density];

    /// Picker label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Auto => "Auto",
            Self::Markers => "Markers",
            Self::Clusters => "Clusters",
            Self::Density => "Density",
        }
    }
}

/// One cluster: events of one world-anchored cell.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cluster {
    /// Mean position (normalised Web Mercator).
    pub x: f64,
    /// Mean position (normalised Web Mercator).
    pub y: f64,
    /// Events in it.
    pub count: u32,
    /// Sum of reported killed.
    pub killed: u64,
    /// Events per weapon ([`Weapon::index`]).
    pub weapons: [u32; Weapon::ALL.len()],
    /// One event of the cluster (a single-event cluster opens it on click).
    pub first: usize,
    /// Sums of positions in 32.32 fixed point, while accumulating.
    sx: u64,
    sy: u64,
}

impl Cluster {
    /// The most frequent weapon.
    pub fn dominant(&self) -> Weapon {
        let (i, _) = self
            .weapons
            .iter()
            .enumerate()
            .max_by_key(|(i, n)| (**n, usize::MAX - *i))
            .unwrap_or((Weapon::Unknown.index(), &0));
        Weapon::ALL.get(i).copied().unwrap_or(Weapon::Unknown)
    }
}

/// Event counts on a world-anchored grid of `cell`-point squares covering the view.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Density {
    /// Columns.
    pub cols: usize,
    /// Rows.
    pub rows: usize,
    /// Cell size in points (at `scale`).
    pub cell: f32,
    /// Screen points per world unit the grid was made for: a frame at another zoom (while
    /// the new layer is computed) scales the raster by its own scale over this one.
    pub scale: f64,
    /// World position of the top-left corner of cell (0, 0).
    pub origin: (f64, f64),
    /// Count per cell, row-major.
    pub counts: Vec<u32>,
    /// Largest count.
    pub max: u32,
    /// Events counted.
    pub total: u64,
}

impl Density {
    /// The count of the cell under a world position.
    pub fn count_at(&self, x: f64, y: f64, scale: f64) -> u32 {
        let c = ((x - self.origin.0) * scale / f64::from(self.cell)).floor();
        let r = ((y - self.origin.1) * scale / f64::from(self.cell)).floor();
        if c < 0.0 || r < 0.0 || c as usize >= self.cols || r as usize >= self.rows {
            return 0;
        }
        self.counts[r as usize * self.cols + c as usize]
    }
}

/// What to draw this frame.
#[derive(Clone, Debug, PartialEq)]
pub enum Layer {
    /// Individual events (positions in the store), and how many more were not drawn.
    Markers(Vec<usize>, usize),
    /// Clusters (those of one event are drawn as markers).
    Clusters(Vec<Cluster>),
    /// The density raster.
    Density(Density),
}

/// An upper bound of the events of `w` in view, cheap enough for every frame.
pub fn estimate_in_view(store: &EventStore, w: &Window, view: &ViewGeometry) -> usize {
    store.estimate_in_rect(w, view.world_rect(0.0))
}

/// The events of `w` whose position is on screen: exact, for the counters ("N in view").
pub fn count_in_view(store: &EventStore, w: &Window, view: &ViewGeometry) -> usize {
    store.par_fold_in_rect(
        w,
        view.world_rect(0.0),
        || 0usize,
        |n, _| *n += 1,
        |a, b| a + b,
    )
}

/// Decide the layer for this view and compute it.
pub fn compute(store: &EventStore, w: &Window, view: &ViewGeometry, mode: LayerMode) -> Layer {
    compute_cached(store, w, view, mode, 0, &mut DensityCache::default())
}

/// [`compute`], keeping density counts in `cache` between frames (`generation` identifies
/// the store's data).
pub fn compute_cached(
    store: &EventStore,
    w: &Window,
    view: &ViewGeometry,
    mode: LayerMode,
    generation: u64,
    cache: &mut DensityCache,
) -> Layer {
    let mode = match mode {
        LayerMode::Auto => {
            let n = estimate_in_view(store, w, view);
            if n <= MARKERS_MAX {
                LayerMode::Markers
            } else if n <= CLUSTERS_MAX {
                LayerMode::Clusters
            } else {
                LayerMode::Density
            }
        }
        m => m,
    };
    match mode {
        LayerMode::Markers | LayerMode::Auto => {
            let mut ids = Vec::new();
            let mut more = 0;
            store.for_each_in_rect(w, view.world_rect(40.0), |i| {
                if ids.len() < MARKERS_HARD_CAP {
                    ids.push(i);
                } else {
                    more += 1;
                }
            });
            Layer::Markers(ids, more)
        }
        LayerMode::Clusters => Layer::Clusters(clusters(store, w, view)),
        LayerMode::Density => {
            Layer::Density(cache.density_for(generation, store, w, view, DENSITY_CELL))
        }
    }
}

/// Cells of `cell` points anchored to the world, covering the view plus one cell around it.
#[derive(Clone, Debug)]
struct CellGrid {
    cols: usize,
    rows: usize,
    /// World position of cell (0, 0)'s corner.
    x0: f64,
    y0: f64,
    /// Cells per world unit.
    k: f64,
}

impl CellGrid {
    fn new(view: &ViewGeometry, cell: f32) -> Self {
        let k = view.scale / f64::from(cell);
        let [wx0, wy0, wx1, wy1] = view.world_rect(cell);
        let c0 = (f64::from(wx0) * k).floor();
        let r0 = (f64::from(wy0) * k).floor();
        let cols = ((f64::from(wx1) * k).ceil() - c0).max(1.0) as usize;
        let rows = ((f64::from(wy1) * k).ceil() - r0).max(1.0) as usize;
        Self {
            cols,
            rows,
            x0: c0 / k,
            y0: r0 / k,
            k,
        }
    }

    /// The grid's area in world coordinates.
    fn rect(&self) -> WorldRect {
        [
            self.x0 as f32,
            self.y0 as f32,
            (self.x0 + self.cols as f64 / self.k) as f32,
            (self.y0 + self.rows as f64 / self.k) as f32,
        ]
    }

    /// Column and row of `other`'s first cell in this grid (same cell size).
    fn offset_of(&self, other: &CellGrid) -> (usize, usize) {
        (
            ((other.x0 - self.x0) * self.k).round().max(0.0) as usize,
            ((other.y0 - self.y0) * self.k).round().max(0.0) as usize,
        )
    }

    /// Whether `other` (same cell size) lies entirely on this grid.
    fn contains(&self, other: &CellGrid) -> bool {
        let (c, r) = (
            ((other.x0 - self.x0) * self.k).round(),
            ((other.y0 - self.y0) * self.k).round(),
        );
        (self.k - other.k).abs() < 1e-9 * self.k
            && c >= 0.0
            && r >= 0.0
            && c as usize + other.cols <= self.cols
            && r as usize + other.rows <= self.rows
    }

    /// Cell index of a world position, if on the grid.
    #[inline]
    fn index(&self, x: f32, y: f32) -> Option<usize> {
        let c = (f64::from(x) - self.x0) * self.k;
        let r = (f64::from(y) - self.y0) * self.k;
        if c >= 0.0 && r >= 0.0 && (c as usize) < self.cols && (r as usize) < self.rows {
            Some(r as usize * self.cols + c as usize)
        } else {
            None
        }
    }

    /// The same in single precision, for the million-point density pass: the subtraction
    /// comes first, so the error stays far below a cell at the zooms density is drawn at.
    #[inline]
    fn fast(&self) -> impl Fn(f32, f32) -> Option<usize> + Sync + '_ {
        let (x0, y0, k) = (self.x0 as f32, self.y0 as f32, self.k as f32);
        let (cols, rows) = (self.cols as f32, self.rows as f32);
        let stride = self.cols;
        move |x, y| {
            let c = (x - x0) * k;
            let r = (y - y0) * k;
            (c >= 0.0 && r >= 0.0 && c < cols && r < rows).then(|| r as usize * stride + c as usize)
        }
    }
}

/// Cell-wise sum of two count grids.
fn add_counts(mut a: Vec<u32>, b: Vec<u32>) -> Vec<u32> {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
    a
}

/// Events of the window in view, grouped by world-anchored [`CLUSTER_CELL`] cells.
pub fn clusters(store: &EventStore, w: &Window, view: &ViewGeometry) -> Vec<Cluster> {
    let grid = CellGrid::new(view, CLUSTER_CELL);
    let n_cells = grid.cols * grid.rows;
    let cols = store.columns();
    let (xs, ys, killed, weapon) = (cols.x, cols.y, cols.killed, cols.weapon);
    let rect = [
        grid.x0 as f32,
        grid.y0 as f32,
        (grid.x0 + grid.cols as f64 / grid.k) as f32,
        (grid.y0 + grid.rows as f64 / grid.k) as f32,
    ];
    // Positions are summed as fixed-point integers: exact in any order, so clusters come out
    // the same however the work was split between cores.
    const FIX: f64 = (1u64 << 32) as f64;
    let cells = store.par_fold_in_rect(
        w,
        rect,
        || vec![Cluster::default(); n_cells],
        |cells, i| {
            if let Some(c) = grid.index(xs[i], ys[i]) {
                let cl = &mut cells[c];
                if cl.count == 0 || i < cl.first {
                    cl.first = i;
                }
                cl.count += 1;
                cl.sx += (f64::from(xs[i]) * FIX) as u64;
                cl.sy += (f64::from(ys[i]) * FIX) as u64;
                if killed[i] != UNKNOWN {
                    cl.killed += u64::from(killed[i]);
                }
                if let Some(n) = cl.weapons.get_mut(usize::from(weapon[i])) {
                    *n += 1;
                }
            }
        },
        |mut a, b| {
            for (x, y) in a.iter_mut().zip(b) {
                if y.count > 0 && (x.count == 0 || y.first < x.first) {
                    x.first = y.first;
                }
                x.count += y.count;
                x.sx += y.sx;
                x.sy += y.sy;
                x.killed += y.killed;
                for (p, q) in x.weapons.iter_mut().zip(y.weapons) {
                    *p += q;
                }
            }
            a
        },
    );
    cells
        .into_iter()
        .filter(|c| c.count > 0)
        .map(|mut c| {
            c.x = c.sx as f64 / FIX / f64::from(c.count);
            c.y = c.sy as f64 / FIX / f64::from(c.count);
            c
        })
        .collect()
}

/// Events of the window in view counted per world-anchored `cell`-point square. Wide views
/// scan the window's position columns on both cores; narrow ones go through the grid.
pub fn density(store: &EventStore, w: &Window, view: &ViewGeometry, cell: f32) -> Density {
    DensityCache::default().density(store, w, view, cell)
}

/// Counts of the window's events per cell of `grid` (full count).
fn count_all(store: &EventStore, w: &Window, grid: &CellGrid) -> Vec<u32> {
    let n_cells = grid.cols * grid.rows;
    let cols = store.columns();
    let (xs, ys) = (cols.x, cols.y);
    let (lo, inside, hi) = store.window_range(w);
    // Every density path maps positions to cells with the same (single-precision) function,
    // so counts added in one frame are removed exactly in a later one.
    let index = grid.fast();
    // A cell wider than the grid, so rounding at its edge cannot leave an event out.
    let rect = {
        let [x0, y0, x1, y1] = grid.rect();
        let pad = (1.0 / grid.k) as f32;
        [x0 - pad, y0 - pad, x1 + pad, y1 + pad]
    };
    // The grid reads positions scattered over memory; a contiguous scan of the window is
    // faster unless the area holds a small part of it.
    let narrow = store.estimate_in_rect(w, rect) < (hi - lo) / 16;
    if narrow {
        return store.par_fold_in_rect(
            w,
            rect,
            || vec![0u32; n_cells],
            |counts, i| {
                if let Some(c) = index(xs[i], ys[i]) {
                    counts[c] += 1;
                }
            },
            add_counts,
        );
    }
    // Every event starting inside the window overlaps it, long ones included, so the bulk of
    // the window needs only its positions (one chunk per core); the rest are checked.
    let chunk = (hi - inside)
        .div_ceil(rayon::current_num_threads().max(1))
        .max(1);
    let mut counts = (inside..hi)
        .into_par_iter()
        .step_by(chunk)
        .map(|a| {
            let mut counts = vec![0u32; n_cells];
            let b = (a + chunk).min(hi);
            for (&x, &y) in xs[a..b].iter().zip(&ys[a..b]) {
                if let Some(c) = index(x, y) {
                    counts[c] += 1;
                }
            }
            counts
        })
        .reduce(|| vec![0u32; n_cells], add_counts);
    apply_head(store, w, grid, &mut counts, 1);
    counts
}

/// Add (`sign` 1) or remove (-1) the window's events that start before it: short ones still
/// running at its start, and long ones.
fn apply_head(store: &EventStore, w: &Window, grid: &CellGrid, counts: &mut [u32], sign: i32) {
    let cols = store.columns();
    let (lo, inside, _) = store.window_range(w);
    let index = grid.fast();
    let mut bump = |i: usize| {
        if let Some(c) = index(cols.x[i], cols.y[i]) {
            counts[c] = counts[c].wrapping_add_signed(sign);
        }
    };
    for i in lo..inside {
        if !store.is_long_event(i) && store.in_window(w, i) {
            bump(i);
        }
    }
    for &i in store.window_long(w) {
        if (i as usize) < inside {
            bump(i as usize);
        }
    }
}

/// Add or remove the events at positions `range` (all of which start inside the window).
fn apply_range(
    store: &EventStore,
    grid: &CellGrid,
    counts: &mut [u32],
    range: std::ops::Range<usize>,
    sign: i32,
) {
    let cols = store.columns();
    let index = grid.fast();
    for (&x, &y) in cols.x[range.clone()].iter().zip(&cols.y[range]) {
        if let Some(c) = index(x, y) {
            counts[c] = counts[c].wrapping_add_signed(sign);
        }
    }
}

/// Density counts kept between frames: over an area of three views square around the view,
/// so panning reuses them, and updated by the events entering and leaving the window, so
/// playing costs what changed, not the whole window.
#[derive(Debug, Default)]
pub struct DensityCache {
    /// Data generation and zoom/cell the counts are for.
    key: Option<(u64, u64, u32)>,
    grid: Option<CellGrid>,
    counts: Vec<u32>,
    /// The window the counts hold.
    counted: Option<Window>,
}

impl DensityCache {
    /// The density of `w` for `view` with `cell`-point cells (data generation 0).
    pub fn density(
        &mut self,
        store: &EventStore,
        w: &Window,
        view: &ViewGeometry,
        cell: f32,
    ) -> Density {
        self.density_for(0, store, w, view, cell)
    }

    /// As [`Self::density`], for data generation `generation` (a new store resets the cache).
    pub fn density_for(
        &mut self,
        generation: u64,
        store: &EventStore,
        w: &Window,
        view: &ViewGeometry,
        cell: f32,
    ) -> Density {
        let key = (generation, view.scale.to_bits(), cell.to_bits());
        let visible = CellGrid::new(view, cell);
        let fits = self.grid.as_ref().is_some_and(|g| g.contains(&visible));
        if self.key != Some(key) || !fits {
            let mut wide = *view;
            wide.width *= 3.0;
            wide.height *= 3.0;
            self.grid = Some(CellGrid::new(&wide, cell));
            self.key = Some(key);
            self.counted = None;
        }
        let Some(grid) = self.grid.as_ref() else {
            return Density::default();
        };
        self.counts = match self.counted.take() {
            Some(old) if incremental_cost(store, &old, w) < (w.candidates() / 2).max(1) => {
                let mut counts = std::mem::take(&mut self.counts);
                update(store, grid, &mut counts, &old, w);
                counts
            }
            _ => count_all(store, w, grid),
        };
        self.counted = Some(w.clone());
        // The part on screen, for the texture.
        let (c0, r0) = grid.offset_of(&visible);
        let mut counts = Vec::with_capacity(visible.cols * visible.rows);
        for r in 0..visible.rows {
            let start = (r0 + r) * grid.cols + c0;
            counts.extend_from_slice(&self.counts[start..start + visible.cols]);
        }
        let max = counts.iter().copied().max().unwrap_or(0);
        let total = counts.iter().map(|&c| u64::from(c)).sum();
        Density {
            cols: visible.cols,
            rows: visible.rows,
            cell,
            scale: view.scale,
            origin: (visible.x0, visible.y0),
            counts,
            max,
            total,
        }
    }
}

/// Events to visit to go from window `old` to `new` incrementally.
fn incremental_cost(store: &EventStore, old: &Window, new: &Window) -> usize {
    let (lo0, i0, h0) = store.window_range(old);
    let (lo1, i1, h1) = store.window_range(new);
    let bulk = if i1 < h0 && i0 < h1 {
        i0.abs_diff(i1) + h0.abs_diff(h1)
    } else {
        (h0 - i0) + (h1 - i1)
    };
    bulk + (i0 - lo0) + (i1 - lo1) + old.candidates().saturating_sub(h0 - lo0)
}

/// Move `counts` from window `old` to `new`: the bulk ranges' difference, and the heads.
fn update(store: &EventStore, grid: &CellGrid, counts: &mut [u32], old: &Window, new: &Window) {
    let (_, i0, h0) = store.window_range(old);
    let (_, i1, h1) = store.window_range(new);
    apply_head(store, old, grid, counts, -1);
    if i1 < h0 && i0 < h1 {
        // Overlapping bulk ranges: remove what left, add what entered, on either side.
        apply_range(
            store,
            grid,
            counts,
            i0.min(i1)..i0.max(i1),
            if i0 < i1 { -1 } else { 1 },
        );
        apply_range(
            store,
            grid,
            counts,
            h0.min(h1)..h0.max(h1),
            if h1 > h0 { 1 } else { -1 },
        );
    } else {
        apply_range(store, grid, counts, i0..h0, -1);
        apply_range(store, grid, counts, i1..h1, 1);
    }
    apply_head(store, new, grid, counts, 1);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DAY, Event, EventTime, Location, LocationPrecision, TimePrecision};
    use crate::store::{Dataset, DatasetData};
    use std::sync::Arc;

    fn store(n: usize) -> EventStore {
        let mut seed = 11u64;
        let mut rnd = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as f64 / f64::from(1u32 << 31)
        };
        let events: Vec<Event> = (0..n)
            .map(|k| {
                let t = if k % 97 == 0 {
                    EventTime::range(0, 200 * DAY)
                } else {
                    EventTime::at((rnd() * 100.0 * DAY as f64) as i64, TimePrecision::Hour)
                };
                let mut e = Event::new(
                    k.to_string(),
                    t,
                    Location {
                        lat: 46.0 + rnd() * 5.0,
                        lon: 30.0 + rnd() * 8.0,
                        precision: LocationPrecision::Settlement,
                        place: None,
                        admin1: None,
                        country: None,
                    },
                );
                e.killed = (k % 3 == 0).then_some(2);
                e
            })
            .collect();
        EventStore::new(vec![Arc::new(DatasetData::from_events(
            Dataset::default(),
            events,
        ))])
    }

    fn view(zoom: f64) -> ViewGeometry {
        let (cx, cy) = crate::model::mercator(48.5, 34.0);
        ViewGeometry::at_zoom((cx, cy), zoom, (1000.0, 700.0))
    }

    /// Events of the window inside the view, by brute force.
    fn brute(s: &EventStore, w: &Window, v: &ViewGeometry, margin: f32) -> Vec<usize> {
        let r = v.world_rect(margin);
        s.window_ids(w)
            .into_iter()
            .filter(|&i| {
                let (x, y) = s.pos(i);
                x >= r[0] && x <= r[2] && y >= r[1] && y <= r[3]
            })
            .collect()
    }

    #[test]
    fn density_counts_every_event_in_view_once() {
        let s = store(20_000);
        for zoom in [4.0, 6.0, 8.5] {
            let v = view(zoom);
            for (from, to) in [(0, 300 * DAY), (40 * DAY, 41 * DAY), (10 * DAY, 40 * DAY)] {
                let w = s.window(from, to);
                let d = density(&s, &w, &v, 4.0);
                let want = brute(&s, &w, &v, 0.0).len() as u64;
                // The grid covers the view plus up to a cell around it.
                let around = brute(&s, &w, &v, 8.0).len() as u64;
                assert!(
                    d.total >= want && d.total <= around,
                    "zoom {zoom} {from}: {} not in {want}..={around}",
                    d.total
                );
                assert_eq!(d.counts.len(), d.cols * d.rows);
            }
        }
    }

    /// Counts carried from frame to frame (panning, playing, scrubbing back, jumping) are
    /// always exactly a fresh count.
    #[test]
    fn cached_density_equals_a_fresh_count_through_play_pan_and_jumps() {
        let s = store(20_000);
        for zoom in [6.0, 10.0] {
            cached_density_follows_fresh_counts(&s, zoom);
        }
    }

    fn cached_density_follows_fresh_counts(s: &EventStore, zoom: f64) {
        let mut cache = DensityCache::default();
        let mut v = view(zoom);
        let steps: Vec<(i64, i64)> = (0..40)
            .map(|k| (k * DAY, 30 * DAY + k * DAY)) // play a 30-day window
            .chain((0..10).map(|k| (0, 50 * DAY + k * 3 * DAY))) // everything so far
            .chain([(80 * DAY, 81 * DAY), (5 * DAY, 6 * DAY), (0, 300 * DAY)]) // jumps
            .collect();
        for (n, (from, to)) in steps.into_iter().enumerate() {
            if n % 7 == 3 {
                v.cx += 37.0 / v.scale; // pan a little
            }
            if n == 45 {
                v.cx += 5000.0 / v.scale; // pan far: the cached area is left behind
            }
            let w = s.window(from, to);
            let cached = cache.density(s, &w, &v, 4.0);
            let fresh = DensityCache::default().density(s, &w, &v, 4.0);
            assert_eq!(cached, fresh, "zoom {zoom} step {n}: {from}..{to}");
        }
    }

    /// The incremental update itself, between overlapping, nested and disjoint windows with
    /// events running into them from before.
    #[test]
    fn updating_counts_between_windows_equals_counting_afresh() {
        let s = store(20_000);
        let grid = CellGrid::new(&view(6.0), 4.0);
        let windows = [
            (10 * DAY, 40 * DAY),
            (12 * DAY, 45 * DAY),
            (11 * DAY, 41 * DAY),
            (60 * DAY, 70 * DAY),
            (0, 300 * DAY),
            (50 * DAY + 3600, 50 * DAY + 7200),
        ];
        for a in windows {
            for b in windows {
                let (wa, wb) = (s.window(a.0, a.1), s.window(b.0, b.1));
                let mut counts = count_all(&s, &wa, &grid);
                update(&s, &grid, &mut counts, &wa, &wb);
                assert_eq!(counts, count_all(&s, &wb, &grid), "{a:?} → {b:?}");
            }
        }
    }

    #[test]
    fn clusters_partition_the_events_in_view_and_stay_put_when_panning() {
        let s = store(20_000);
        let w = s.window(0, 300 * DAY);
        let v = view(7.0);
        let cl = clusters(&s, &w, &v);
        let total: u32 = cl.iter().map(|c| c.count).sum();
        let inner = brute(&s, &w, &v, 0.0).len() as u32;
        assert!(total >= inner, "{total} < {inner}");
        let killed: u64 = cl.iter().map(|c| c.killed).sum();
        assert!(killed > 0);
        // Pan by 10 points: a cluster well inside the view keeps its count and place.
        let mut v2 = v;
        v2.cx += 10.0 / v.scale;
        let cl2 = clusters(&s, &w, &v2);
        let centre = cl.iter().max_by_key(|c| c.count).unwrap();
        assert!(
            cl2.iter().any(|c| c == centre),
            "the biggest cluster changed while panning"
        );
    }

    #[test]
    fn auto_mode_switches_by_count() {
        let s = store(20_000);
        let everything = s.window(0, 300 * DAY);
        assert!(matches!(
            compute(&s, &everything, &view(5.0), LayerMode::Auto),
            Layer::Clusters(_)
        ));
        let hour = s.window(50 * DAY, 50 * DAY + 3600);
        match compute(&s, &hour, &view(5.0), LayerMode::Auto) {
            Layer::Markers(ids, 0) => {
                assert_eq!(ids.len(), brute(&s, &hour, &view(5.0), 40.0).len());
            }
            other => panic!("expected markers, got {other:?}"),
        }
        assert!(matches!(
            compute(&s, &hour, &view(5.0), LayerMode::Density),
            Layer::Density(_)
        ));
    }
}
