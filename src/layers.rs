//! Map layers computed from the store for one view: which events to draw as markers, or the
//! clusters, or the density grid. Pure data (no egui), so it is unit-tested and benchmarked;
//! `map::markers` paints the result.
//!
//! Clusters and density cells are anchored to the world (cell `k` covers world pixels
//! `k·size..(k+1)·size` at the current zoom), so they do not jump while panning.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

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

/// The map view in world terms.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ViewGeom {
    /// Centre, normalised Web Mercator.
    pub cx: f64,
    /// Centre, normalised Web Mercator.
    pub cy: f64,
    /// Screen points per world unit (`256 · 2^zoom`).
    pub scale: f64,
    /// Viewport width in points.
    pub width: f32,
    /// Viewport height in points.
    pub height: f32,
}

impl ViewGeom {
    /// The world rectangle on screen, grown by `margin` points on each side.
    pub fn world_rect(&self, margin: f32) -> WorldRect {
        let hw = f64::from(self.width / 2.0 + margin) / self.scale;
        let hh = f64::from(self.height / 2.0 + margin) / self.scale;
        [
            (self.cx - hw) as f32,
            (self.cy - hh) as f32,
            (self.cx + hw) as f32,
            (self.cy + hh) as f32,
        ]
    }

    /// World position of a screen offset from the viewport's top-left corner.
    pub fn to_world(&self, sx: f32, sy: f32) -> (f64, f64) {
        (
            self.cx + f64::from(sx - self.width / 2.0) / self.scale,
            self.cy + f64::from(sy - self.height / 2.0) / self.scale,
        )
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
    /// Cell size in points.
    pub cell: f32,
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
pub fn estimate_in_view(store: &EventStore, w: &Window, view: &ViewGeom) -> usize {
    store.estimate_in_rect(w, view.world_rect(0.0))
}

/// Decide the layer for this view and compute it.
pub fn compute(store: &EventStore, w: &Window, view: &ViewGeom, mode: LayerMode) -> Layer {
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
        LayerMode::Density => Layer::Density(density(store, w, view, DENSITY_CELL)),
    }
}

/// Cells of `cell` points anchored to the world, covering the view plus one cell around it.
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
    fn new(view: &ViewGeom, cell: f32) -> Self {
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
pub fn clusters(store: &EventStore, w: &Window, view: &ViewGeom) -> Vec<Cluster> {
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
pub fn density(store: &EventStore, w: &Window, view: &ViewGeom, cell: f32) -> Density {
    let grid = CellGrid::new(view, cell);
    let n_cells = grid.cols * grid.rows;
    let cols = store.columns();
    let (xs, ys) = (cols.x, cols.y);
    let (lo, inside, hi) = store.window_range(w);
    let narrow = store.estimate_in_rect(w, view.world_rect(cell)) < (hi - lo) / 4;
    let mut counts = if narrow {
        store.par_fold_in_rect(
            w,
            view.world_rect(cell),
            || vec![0u32; n_cells],
            |counts, i| {
                if let Some(c) = grid.index(xs[i], ys[i]) {
                    counts[c] += 1;
                }
            },
            add_counts,
        )
    } else {
        // Every event starting inside the window overlaps it, long ones included, so the bulk
        // of the window needs only its positions; the few starting before are checked.
        const CHUNK: usize = 1 << 17;
        let index = grid.fast();
        let bulk = (inside..hi)
            .into_par_iter()
            .step_by(CHUNK)
            .map(|a| {
                let mut counts = vec![0u32; n_cells];
                let b = (a + CHUNK).min(hi);
                for (&x, &y) in xs[a..b].iter().zip(&ys[a..b]) {
                    if let Some(c) = index(x, y) {
                        counts[c] += 1;
                    }
                }
                counts
            })
            .reduce(|| vec![0u32; n_cells], add_counts);
        let mut counts = bulk;
        for i in lo..inside {
            if store.in_window(w, i)
                && !store.is_long_event(i)
                && let Some(c) = grid.index(xs[i], ys[i])
            {
                counts[c] += 1;
            }
        }
        for &i in store.window_long(w) {
            let i = i as usize;
            if i < inside
                && let Some(c) = grid.index(xs[i], ys[i])
            {
                counts[c] += 1;
            }
        }
        counts
    };
    let max = counts.iter().copied().max().unwrap_or(0);
    let total = counts.iter().map(|&c| u64::from(c)).sum();
    counts.shrink_to_fit();
    Density {
        cols: grid.cols,
        rows: grid.rows,
        cell,
        origin: (grid.x0, grid.y0),
        counts,
        max,
        total,
    }
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

    fn view(zoom: f64) -> ViewGeom {
        let (cx, cy) = crate::model::mercator(48.5, 34.0);
        ViewGeom {
            cx,
            cy,
            scale: 256.0 * 2f64.powf(zoom),
            width: 1000.0,
            height: 700.0,
        }
    }

    /// Events of the window inside the view, by brute force.
    fn brute(s: &EventStore, w: &Window, v: &ViewGeom, margin: f32) -> Vec<usize> {
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
