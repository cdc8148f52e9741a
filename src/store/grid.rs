//! The spatial grid over the columns: `2^GRID_BITS` cells per side over the Web Mercator
//! square, each holding its short events' positions in time order, for culling a map view
//! and picking the event under the cursor.

use rayon::prelude::*;

use super::{EventStore, Window, WorldRect};

/// The spatial grid has `2^GRID_BITS` cells per side over the whole Web Mercator square
/// (about 13 km cells at Ukraine's latitude; 16 MB of cell offsets).
pub const GRID_BITS: u32 = 11;
const GRID_N: usize = 1 << GRID_BITS;
/// Above this many grid cells in view, scanning the window directly beats the grid: most of
/// the window is on screen anyway.
const MAX_GRID_CELLS: usize = 4096;

impl EventStore {
    /// Call `f` with every event of the window inside `rect`. Small views go through the
    /// spatial grid (per cell, two binary searches into its time-sorted ids); large views scan
    /// the window's columns, which are contiguous.
    pub fn for_each_in_rect(&self, w: &Window, rect: WorldRect, mut f: impl FnMut(usize)) {
        match self.grid_span(rect) {
            Some((cx, cy)) => self.visit_cells(w, rect, cx, cy, &mut f),
            None => self.visit_scan(w, rect, w.lo..w.hi, &mut f),
        }
        self.visit_long(w, rect, &mut f);
    }

    /// [`Self::for_each_in_rect`] on all cores: each task folds its share of grid rows (or
    /// of the window's range) into its own accumulator from `init`; `merge` combines them.
    pub fn par_fold_in_rect<T, I, F, M>(
        &self,
        w: &Window,
        rect: WorldRect,
        init: I,
        fold: F,
        merge: M,
    ) -> T
    where
        T: Send,
        I: Fn() -> T + Sync + Send,
        F: Fn(&mut T, usize) + Sync + Send,
        M: Fn(T, T) -> T + Sync + Send,
    {
        let mut acc = match self.grid_span(rect) {
            Some((cx, (cy0, cy1))) => (cy0..=cy1)
                .into_par_iter()
                .map(|cy| {
                    let mut acc = init();
                    self.visit_cells(w, rect, cx, (cy, cy), &mut |i| fold(&mut acc, i));
                    acc
                })
                .reduce(&init, &merge),
            None => {
                const CHUNK: usize = 1 << 16;
                (w.lo..w.hi)
                    .into_par_iter()
                    .step_by(CHUNK)
                    .map(|a| {
                        let mut acc = init();
                        let b = (a + CHUNK).min(w.hi);
                        self.visit_scan(w, rect, a..b, &mut |i| fold(&mut acc, i));
                        acc
                    })
                    .reduce(&init, &merge)
            }
        };
        self.visit_long(w, rect, &mut |i| fold(&mut acc, i));
        acc
    }

    /// Ids of grid cell `c` and where the window's head (`a..m`, starting in the month before
    /// it) and bulk (`m..b`, starting inside it) are among them.
    fn cell_window(&self, c: usize, w: &Window) -> (&[u32], usize, usize, usize) {
        let ids = &self.grid_ids[self.grid_start[c] as usize..self.grid_start[c + 1] as usize];
        let a = ids.partition_point(|&i| (i as usize) < w.lo);
        let m = ids.partition_point(|&i| (i as usize) < w.inside);
        let b = ids.partition_point(|&i| (i as usize) < w.hi);
        (ids, a, m, b)
    }

    /// Grid columns and rows covering `rect`, or `None` when scanning is cheaper.
    fn grid_span(&self, rect: WorldRect) -> Option<((usize, usize), (usize, usize))> {
        let [x0, y0, x1, y1] = rect;
        let (cx0, cx1, cy0, cy1) = (grid_cell(x0), grid_cell(x1), grid_cell(y0), grid_cell(y1));
        let cells = (cx1 - cx0 + 1) * (cy1 - cy0 + 1);
        (cells <= MAX_GRID_CELLS && self.grid_start.len() == GRID_N * GRID_N + 1)
            .then_some(((cx0, cx1), (cy0, cy1)))
    }

    #[inline]
    fn in_rect(&self, rect: &WorldRect, i: usize) -> bool {
        let (x, y) = (self.x[i], self.y[i]);
        x >= rect[0] && x <= rect[2] && y >= rect[1] && y <= rect[3]
    }

    /// Short events of the window in `rect`, from the grid cells `cx` × `cy` (inclusive).
    fn visit_cells(
        &self,
        w: &Window,
        rect: WorldRect,
        (cx0, cx1): (usize, usize),
        (cy0, cy1): (usize, usize),
        f: &mut dyn FnMut(usize),
    ) {
        // Cells on the rectangle's border need the exact test; inner cells are all inside.
        let (gx0, gx1, gy0, gy1) = (
            grid_cell(rect[0]),
            grid_cell(rect[2]),
            grid_cell(rect[1]),
            grid_cell(rect[3]),
        );
        for cy in cy0..=cy1 {
            for cx in cx0..=cx1 {
                // Grid ids are short events: those starting inside the window overlap it,
                // those in the month before it only if they end inside it.
                let (ids, a, m, b) = self.cell_window(cy * GRID_N + cx, w);
                let edge = cx == gx0 || cx == gx1 || cy == gy0 || cy == gy1;
                for &i in &ids[a..m] {
                    let i = i as usize;
                    if self.end[i] > w.from && (!edge || self.in_rect(&rect, i)) {
                        f(i);
                    }
                }
                if edge {
                    for &i in &ids[m..b] {
                        if self.in_rect(&rect, i as usize) {
                            f(i as usize);
                        }
                    }
                } else {
                    for &i in &ids[m..b] {
                        f(i as usize);
                    }
                }
            }
        }
    }

    /// Short events of the window in `rect` among positions `range`, scanning the columns.
    fn visit_scan(
        &self,
        w: &Window,
        rect: WorldRect,
        range: std::ops::Range<usize>,
        f: &mut dyn FnMut(usize),
    ) {
        for i in range {
            if self.in_rect(&rect, i) && self.short_in(w, i) {
                f(i);
            }
        }
    }

    /// Long events of the window in `rect`.
    fn visit_long(&self, w: &Window, rect: WorldRect, f: &mut dyn FnMut(usize)) {
        for &i in &w.long {
            if self.in_rect(&rect, i as usize) {
                f(i as usize);
            }
        }
    }

    /// The window's events inside `rect`, counted cheaply: through the grid's per-cell time
    /// ranges (edge cells counted whole) for small views, the whole window for large ones.
    pub fn estimate_in_rect(&self, w: &Window, rect: WorldRect) -> usize {
        let head = |ids: &mut dyn Iterator<Item = usize>| {
            ids.filter(|&i| self.end[i] > w.from && !self.is_long(i))
                .count()
        };
        let Some(((cx0, cx1), (cy0, cy1))) = self.grid_span(rect) else {
            // Long events starting inside the window are already in `hi - inside`.
            let long_before = w.long.iter().filter(|&&i| (i as usize) < w.inside).count();
            return w.hi - w.inside + head(&mut (w.lo..w.inside)) + long_before;
        };
        let mut n = w.long.len();
        for cy in cy0..=cy1 {
            for cx in cx0..=cx1 {
                let (ids, a, m, b) = self.cell_window(cy * GRID_N + cx, w);
                n += b - m + head(&mut ids[a..m].iter().map(|&i| i as usize));
            }
        }
        n
    }

    /// Nearest event of the window to the world point `(x, y)` within `radius` (world units),
    /// through the grid: the pick under the cursor.
    pub fn nearest(&self, w: &Window, x: f32, y: f32, radius: f32) -> Option<usize> {
        let mut best: Option<(f32, usize)> = None;
        self.for_each_in_rect(w, [x - radius, y - radius, x + radius, y + radius], |i| {
            let d = (self.x[i] - x).hypot(self.y[i] - y);
            if d <= radius && best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, i));
            }
        });
        best.map(|(_, i)| i)
    }

    /// The grid's cell starts and ids: a counting sort of the short events by cell, which keeps
    /// each cell's ids in time order.
    pub(super) fn build_grid(&self) -> (Vec<u32>, Vec<u32>) {
        let n = self.len();
        let cells: Vec<u32> = self
            .x
            .par_iter()
            .zip(&self.y)
            .map(|(&x, &y)| (grid_cell(y) * GRID_N + grid_cell(x)) as u32)
            .collect();
        // Long events are not in the grid: every window lists the ones it overlaps, so grid
        // queries never have to look at an event's span.
        let mut long = vec![false; n];
        for &i in &self.long {
            long[i as usize] = true;
        }
        // Zeroed by writing, not `vec![0; n]`: calloc'd pages that are read first (`+= 1`)
        // fault twice, once for the shared zero page and again on the write.
        #[allow(clippy::slow_vector_initialization)] // on purpose, see above
        let mut start = {
            let mut v = Vec::with_capacity(GRID_N * GRID_N + 1);
            v.resize(GRID_N * GRID_N + 1, 0u32);
            v
        };
        for (i, &c) in cells.iter().enumerate() {
            if !long[i] {
                start[c as usize + 1] += 1;
            }
        }
        for c in 0..GRID_N * GRID_N {
            start[c + 1] += start[c];
        }
        // `start[c]` serves as cell c's fill cursor, so it ends at cell c's end, which is cell
        // c + 1's start: shifting by one restores the starts (no second 16 MB array).
        let mut ids = vec![0u32; n - self.long.len()];
        for (i, &c) in cells.iter().enumerate() {
            if long[i] {
                continue;
            }
            let slot = &mut start[c as usize];
            ids[*slot as usize] = i as u32;
            *slot += 1;
        }
        start.copy_within(0..GRID_N * GRID_N, 1);
        start[0] = 0;
        (start, ids)
    }
}

/// Grid column (or row) of a normalised coordinate, clamped to the grid.
fn grid_cell(v: f32) -> usize {
    ((v.clamp(0.0, 1.0) * GRID_N as f32) as usize).min(GRID_N - 1)
}

#[cfg(test)]
mod tests {
    use crate::model::{DAY, EventTime, TimePrecision};
    use crate::store::EventStore;
    use crate::store::tests::{data, ev};

    /// Events scattered over a region and over time: the grid query and the pick agree with
    /// a brute-force scan for many windows and views.
    #[test]
    fn rect_query_and_nearest_match_brute_force() {
        let mut events = Vec::new();
        let mut seed = 7u64;
        let mut rnd = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as f64 / f64::from(1u32 << 31)
        };
        for k in 0..3000 {
            let t = if k % 50 == 0 {
                EventTime::range(
                    (rnd() * 100.0) as i64 * DAY,
                    (120.0 + rnd() * 30.0) as i64 * DAY,
                )
            } else {
                EventTime::at((rnd() * 150.0 * DAY as f64) as i64, TimePrecision::Minute)
            };
            let mut e = ev(&k.to_string(), t, None, None);
            e.location.lat = 44.0 + rnd() * 8.0;
            e.location.lon = 22.0 + rnd() * 18.0;
            events.push(e);
        }
        let s = EventStore::new(vec![data("r", events)]);
        for (from, len) in [(0, 150 * DAY), (40 * DAY, DAY), (70 * DAY, 30 * DAY)] {
            let w = s.window(from, from + len);
            let all = s.window_ids(&w);
            for rect in [
                [0.57f32, 0.33, 0.58, 0.34],
                [0.55, 0.30, 0.62, 0.36],
                [0.0, 0.0, 1.0, 1.0],
                [0.575, 0.335, 0.5752, 0.3352],
            ] {
                let mut got = Vec::new();
                s.for_each_in_rect(&w, rect, |i| got.push(i));
                got.sort_unstable();
                let want: Vec<usize> = all
                    .iter()
                    .copied()
                    .filter(|&i| {
                        let (x, y) = s.pos(i);
                        x >= rect[0] && x <= rect[2] && y >= rect[1] && y <= rect[3]
                    })
                    .collect();
                assert_eq!(got, want, "{from} {len} {rect:?}");
            }
            for (x, y) in [(0.58f32, 0.335f32), (0.6, 0.32)] {
                let r = 0.002;
                let want = all
                    .iter()
                    .copied()
                    .map(|i| {
                        let (px, py) = s.pos(i);
                        ((px - x).hypot(py - y), i)
                    })
                    .filter(|(d, _)| *d <= r)
                    .min_by(|a, b| a.0.total_cmp(&b.0))
                    .map(|(_, i)| i);
                assert_eq!(s.nearest(&w, x, y, r), want);
            }
            for i in 0..s.len() {
                assert_eq!(s.in_window(&w, i), all.binary_search(&i).is_ok());
            }
        }
    }
}
