//! The event store: every loaded event as time-sorted columns holding what each frame needs
//! (time, projected position, weapon, precision, casualties), a spatial grid over those
//! columns, prefix sums and a per-day histogram. A time window is two binary searches; the
//! events of a window inside a map view are found through the grid.
//!
//! The full [`Event`] (texts, sources, extra columns) is not part of the columns: datasets
//! keep it either in memory or as a [`RecordSource`] that re-reads one record from its file
//! when the user opens it, so a million events cost tens of megabytes, not gigabytes.
//!
//! No egui here.

use std::borrow::Cow;
use std::sync::Arc;

use rayon::prelude::*;

use crate::model::{DAY, Event, LocationPrecision, Seconds, Weapon, mercator};

/// Events whose time span is at most this long are "short": the window query finds them by
/// binary search on `start` alone. Longer ones (uncertain ranges) are kept in a separate list.
/// A month keeps ACLED's week and month precisions short.
const SHORT_SPAN: Seconds = 32 * DAY;

/// Events per stored prefix sum: a window total adds at most twice this many events by hand,
/// and the sums take 1/64 of the memory of one per event.
const PREFIX_STEP: usize = 64;

/// The spatial grid has `2^GRID_BITS` cells per side over the whole Web Mercator square
/// (about 13 km cells at Ukraine's latitude; 16 MB of cell offsets).
pub const GRID_BITS: u32 = 11;
const GRID_N: usize = 1 << GRID_BITS;
/// Above this many grid cells in view, scanning the window directly beats the grid: most of
/// the window is on screen anyway.
const MAX_GRID_CELLS: usize = 4096;

/// "Not reported" in the compact count columns.
pub const UNKNOWN: u32 = u32::MAX;

/// The hot fields of one event, as importers produce them (in file order).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Row {
    /// Start (UTC seconds, inclusive).
    pub start: Seconds,
    /// End (UTC seconds, exclusive).
    pub end: Seconds,
    /// Normalised Web Mercator x (0..1).
    pub x: f32,
    /// Normalised Web Mercator y (0..1, down).
    pub y: f32,
    /// Killed, or [`UNKNOWN`].
    pub killed: u32,
    /// Injured, or [`UNKNOWN`].
    pub injured: u32,
    /// Primary weapon ([`Weapon::index`]).
    pub weapon: u8,
    /// Location precision ([`LocationPrecision::index`]).
    pub precision: u8,
}

impl Row {
    /// The hot fields of an event.
    pub fn of(e: &Event) -> Self {
        let (x, y) = mercator(e.location.lat, e.location.lon);
        Self {
            start: e.time.start,
            end: e.time.end,
            x: x as f32,
            y: y as f32,
            killed: e.killed.unwrap_or(UNKNOWN),
            injured: e.injured.unwrap_or(UNKNOWN),
            weapon: e.primary_weapon().index() as u8,
            precision: e.location.precision.index() as u8,
        }
    }
}

/// Reads one record's full event on demand (e.g. by seeking into the file it came from).
pub trait RecordSource: Send + Sync + std::fmt::Debug {
    /// The full event of record `record` (its position among the dataset's loaded events).
    fn event(&self, record: usize) -> Result<Event, String>;
}

/// Where a dataset's full events live.
#[derive(Debug)]
pub enum Details {
    /// In memory, one per row.
    Events(Vec<Event>),
    /// Read back from the source file when an event is opened.
    Records(Box<dyn RecordSource>),
}

/// A dataset that contributed events (one per opened file).
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    /// Where it came from (tells datasets apart).
    pub id: crate::model::DatasetId,
    /// Display name (file name).
    pub name: String,
    /// Records read.
    pub records: usize,
    /// Events loaded.
    pub loaded: usize,
}

/// One opened file: its hot rows and where its full events are.
#[derive(Debug)]
pub struct DatasetData {
    /// Name and counts.
    pub meta: Dataset,
    /// Hot fields, one per loaded event, in file order.
    pub rows: Vec<Row>,
    /// The full events, indexed like `rows`.
    pub details: Details,
}

impl DatasetData {
    /// A dataset whose events are all in memory.
    pub fn from_events(meta: Dataset, events: Vec<Event>) -> Self {
        let rows = events.iter().map(Row::of).collect();
        Self {
            meta,
            rows,
            details: Details::Events(events),
        }
    }

    /// The full event of row `rec`.
    pub fn event(&self, rec: usize) -> Result<Cow<'_, Event>, String> {
        match &self.details {
            Details::Events(v) => v
                .get(rec)
                .map(Cow::Borrowed)
                .ok_or_else(|| format!("no record {rec}")),
            Details::Records(src) => src.event(rec).map(Cow::Owned),
        }
    }
}

/// Aggregates over a time window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WindowSummary {
    /// Events overlapping the window.
    pub events: usize,
    /// Sum of reported killed (unknown counts nothing).
    pub killed: u64,
    /// Sum of reported injured.
    pub injured: u64,
    /// Events whose killed count is reported (0 means the sum says nothing).
    pub killed_reported: u64,
    /// Events whose injured count is reported.
    pub injured_reported: u64,
}

impl WindowSummary {
    /// The totals of one event with these counts.
    fn of(killed: u32, injured: u32) -> Self {
        let k = killed != UNKNOWN;
        let j = injured != UNKNOWN;
        Self {
            events: 1,
            killed: if k { u64::from(killed) } else { 0 },
            injured: if j { u64::from(injured) } else { 0 },
            killed_reported: u64::from(k),
            injured_reported: u64::from(j),
        }
    }

    fn add(&mut self, o: &Self) {
        self.events += o.events;
        self.killed += o.killed;
        self.injured += o.injured;
        self.killed_reported += o.killed_reported;
        self.injured_reported += o.injured_reported;
    }

    fn sub(&mut self, o: &Self) {
        self.events -= o.events;
        self.killed -= o.killed;
        self.injured -= o.injured;
        self.killed_reported -= o.killed_reported;
        self.injured_reported -= o.injured_reported;
    }
}

/// Running totals before every [`PREFIX_STEP`]-th event (the event count is the index itself);
/// totals at other positions are completed from the columns.
#[derive(Clone, Copy, Debug, Default)]
struct Prefix {
    killed: u64,
    injured: u64,
    killed_reported: u32,
    injured_reported: u32,
}

impl Prefix {
    fn add_event(&mut self, killed: u32, injured: u32) {
        if killed != UNKNOWN {
            self.killed += u64::from(killed);
            self.killed_reported += 1;
        }
        if injured != UNKNOWN {
            self.injured += u64::from(injured);
            self.injured_reported += 1;
        }
    }

    fn add(&mut self, o: &Self) {
        self.killed += o.killed;
        self.injured += o.injured;
        self.killed_reported += o.killed_reported;
        self.injured_reported += o.injured_reported;
    }
}

/// Events per day, split by primary weapon, precomputed for the timeline.
#[derive(Clone, Debug, Default)]
pub struct Histogram {
    /// Midnight UTC of the first bin.
    pub first_day: Seconds,
    /// One entry per day: count per weapon (indexed by [`Weapon::index`]).
    pub days: Vec<[u32; Weapon::ALL.len()]>,
    /// The largest daily total, for scaling.
    pub max_total: u32,
}

/// A time window resolved against the store: which positions can be in it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Window {
    /// Window start (inclusive).
    pub from: Seconds,
    /// Window end (exclusive).
    pub to: Seconds,
    /// First short event that may overlap (starts at most [`SHORT_SPAN`] before `from`).
    lo: usize,
    /// First event starting at or after `from`: from here to `hi` all short events overlap.
    inside: usize,
    /// First event starting at or after `to`.
    hi: usize,
    /// Long events overlapping the window, in start order.
    long: Vec<u32>,
}

impl Window {
    /// An upper bound of the events in the window (exact when no event starts before it).
    pub fn candidates(&self) -> usize {
        self.hi - self.lo + self.long.len()
    }
}

/// Borrowed hot columns, indexed by event position.
#[derive(Clone, Copy, Debug)]
pub struct Columns<'a> {
    /// Normalised Web Mercator x.
    pub x: &'a [f32],
    /// Normalised Web Mercator y.
    pub y: &'a [f32],
    /// Killed, or [`UNKNOWN`].
    pub killed: &'a [u32],
    /// Primary weapon index.
    pub weapon: &'a [u8],
}

/// A rectangle in normalised Web Mercator coordinates: `[x0, y0, x1, y1]`.
pub type WorldRect = [f32; 4];

/// All shown events, sorted by start time, as columns.
#[derive(Debug, Default)]
pub struct EventStore {
    /// Every opened dataset, shown or not.
    datasets: Vec<Arc<DatasetData>>,
    /// Whether each dataset's events are in the columns.
    shown: Vec<bool>,
    start: Vec<Seconds>,
    end: Vec<Seconds>,
    x: Vec<f32>,
    y: Vec<f32>,
    killed: Vec<u32>,
    injured: Vec<u32>,
    weapon: Vec<u8>,
    precision: Vec<u8>,
    /// Dataset of each event.
    ds: Vec<u16>,
    /// Row of each event within its dataset.
    rec: Vec<u32>,
    /// Prefix sums over the sorted order: `prefix[k]` sums events `0..k * PREFIX_STEP`.
    prefix: Vec<Prefix>,
    /// Positions of events longer than [`SHORT_SPAN`], ascending.
    long: Vec<u32>,
    /// Grid cell `c` holds `grid_ids[grid_start[c]..grid_start[c + 1]]`, ascending.
    grid_start: Vec<u32>,
    grid_ids: Vec<u32>,
    histogram: Histogram,
    /// Earliest start and latest end over all events.
    span: Option<(Seconds, Seconds)>,
    /// Bounding box of all event positions.
    bounds: Option<WorldRect>,
}

impl EventStore {
    /// A store showing all these datasets.
    pub fn new(datasets: Vec<Arc<DatasetData>>) -> Self {
        let shown = vec![true; datasets.len()];
        Self::with_shown(datasets, shown)
    }

    /// A store over `datasets` whose columns hold the events of the shown ones. Ties in start
    /// time keep dataset and file order.
    pub fn with_shown(datasets: Vec<Arc<DatasetData>>, mut shown: Vec<bool>) -> Self {
        shown.resize(datasets.len(), true);
        let (ds, rec) = start_order(&datasets, &shown);
        let n = ds.len();
        // The columns are filled in chunks on all cores straight from the datasets' rows: one
        // random read per row, and no sorted copy of the rows in between (at a million events
        // every extra array costs ~10k page faults).
        let mut start = vec![0; n];
        let mut end = vec![0; n];
        let mut x = vec![0.0; n];
        let mut y = vec![0.0; n];
        let mut killed = vec![0; n];
        let mut injured = vec![0; n];
        let mut weapon = vec![0; n];
        let mut precision = vec![0; n];
        const CHUNK: usize = 4096;
        (
            start.par_chunks_mut(CHUNK),
            end.par_chunks_mut(CHUNK),
            x.par_chunks_mut(CHUNK),
            y.par_chunks_mut(CHUNK),
            killed.par_chunks_mut(CHUNK),
            injured.par_chunks_mut(CHUNK),
            weapon.par_chunks_mut(CHUNK),
            precision.par_chunks_mut(CHUNK),
            ds.par_chunks(CHUNK),
            rec.par_chunks(CHUNK),
        )
            .into_par_iter()
            .for_each(
                |(start, end, x, y, killed, injured, weapon, precision, ds, rec)| {
                    for (k, (&d, &r)) in ds.iter().zip(rec).enumerate() {
                        let row = &datasets[usize::from(d)].rows[r as usize];
                        start[k] = row.start;
                        end[k] = row.end;
                        x[k] = row.x;
                        y[k] = row.y;
                        killed[k] = row.killed;
                        injured[k] = row.injured;
                        weapon[k] = row.weapon;
                        precision[k] = row.precision;
                    }
                },
            );
        let mut s = Self {
            start,
            end,
            x,
            y,
            killed,
            injured,
            weapon,
            precision,
            ds,
            rec,
            datasets,
            shown,
            ..Self::default()
        };
        s.long = (0..n)
            .into_par_iter()
            .filter(|&i| s.is_long(i))
            .map(|i| i as u32)
            .collect();
        s.span = match (s.start.first(), s.end.par_iter().max()) {
            (Some(a), Some(b)) => Some((*a, *b)),
            _ => None,
        };
        if n > 0 {
            let ((x0, x1), (y0, y1)) = rayon::join(|| min_max(&s.x), || min_max(&s.y));
            s.bounds = Some([x0, y0, x1, y1]);
        }
        // The grid, the prefix sums and the histogram are mostly sequential passes: side by
        // side they use both cores.
        let ((grid_start, grid_ids), (prefix, histogram)) = rayon::join(
            || s.build_grid(),
            || rayon::join(|| s.build_prefix(), || s.build_histogram()),
        );
        s.grid_start = grid_start;
        s.grid_ids = grid_ids;
        s.prefix = prefix;
        s.histogram = histogram;
        s
    }

    /// The same datasets with a different choice of shown ones.
    pub fn reshow(&self, shown: Vec<bool>) -> Self {
        Self::with_shown(self.datasets.clone(), shown)
    }

    /// All opened datasets (shown or not), in opening order.
    pub fn all_datasets(&self) -> &[Arc<DatasetData>] {
        &self.datasets
    }

    /// Whether each dataset is shown.
    pub fn shown(&self) -> &[bool] {
        &self.shown
    }

    /// Number of events (of shown datasets).
    pub fn len(&self) -> usize {
        self.start.len()
    }

    /// Whether there are no events.
    pub fn is_empty(&self) -> bool {
        self.start.is_empty()
    }

    /// The full event at position `i` (positions are in start order), read back from its file
    /// if its dataset keeps records there. Errors (the file changed) are logged.
    pub fn get(&self, i: usize) -> Option<Cow<'_, Event>> {
        match self.detail(i) {
            Ok(e) => Some(e),
            Err(msg) => {
                log::warn!("event {i}: {msg}");
                None
            }
        }
    }

    /// The full event at position `i`, or why it cannot be read.
    pub fn detail(&self, i: usize) -> Result<Cow<'_, Event>, String> {
        let (Some(d), Some(r)) = (self.ds.get(i), self.rec.get(i)) else {
            return Err(format!("no event {i}"));
        };
        let data = self
            .datasets
            .get(usize::from(*d))
            .ok_or_else(|| format!("no dataset {d}"))?;
        data.event(*r as usize)
    }

    /// Dataset that event `i` came from.
    pub fn dataset_of(&self, i: usize) -> Option<&Dataset> {
        Some(&self.datasets.get(usize::from(*self.ds.get(i)?))?.meta)
    }

    /// Index (into [`Self::all_datasets`]) of the dataset event `i` came from.
    pub fn dataset_index(&self, i: usize) -> Option<usize> {
        self.ds.get(i).map(|d| usize::from(*d))
    }

    /// The shown datasets, in the order they were opened.
    pub fn datasets(&self) -> impl Iterator<Item = &Dataset> {
        self.datasets
            .iter()
            .zip(&self.shown)
            .filter(|(_, s)| **s)
            .map(|(d, _)| &d.meta)
    }

    /// Earliest start and latest end over all events.
    pub fn span(&self) -> Option<(Seconds, Seconds)> {
        self.span
    }

    /// Bounding box of all event positions (normalised Web Mercator).
    pub fn bounds(&self) -> Option<WorldRect> {
        self.bounds
    }

    /// The per-day histogram.
    pub fn histogram(&self) -> &Histogram {
        &self.histogram
    }

    /// `[start, end)` of event `i`.
    pub fn time(&self, i: usize) -> Option<(Seconds, Seconds)> {
        Some((*self.start.get(i)?, *self.end.get(i)?))
    }

    /// Projected position of event `i` (normalised Web Mercator).
    pub fn pos(&self, i: usize) -> (f32, f32) {
        (self.x[i], self.y[i])
    }

    /// Primary weapon of event `i`.
    pub fn weapon(&self, i: usize) -> Weapon {
        Weapon::ALL
            .get(usize::from(self.weapon[i]))
            .copied()
            .unwrap_or(Weapon::Unknown)
    }

    /// Location precision of event `i`.
    pub fn precision(&self, i: usize) -> LocationPrecision {
        LocationPrecision::ALL
            .get(usize::from(self.precision[i]))
            .copied()
            .unwrap_or(LocationPrecision::Country)
    }

    /// Killed and injured of event `i` (`None` = not reported).
    pub fn casualties(&self, i: usize) -> (Option<u32>, Option<u32>) {
        let f = |v: u32| (v != UNKNOWN).then_some(v);
        (f(self.killed[i]), f(self.injured[i]))
    }

    /// Columns for bulk passes (density, clusters).
    pub fn columns(&self) -> Columns<'_> {
        Columns {
            x: &self.x,
            y: &self.y,
            killed: &self.killed,
            weapon: &self.weapon,
        }
    }

    fn is_long(&self, i: usize) -> bool {
        self.end[i] - self.start[i] > SHORT_SPAN
    }

    /// Resolve `[from, to)`: two binary searches plus the long events overlapping it.
    pub fn window(&self, from: Seconds, to: Seconds) -> Window {
        let lo = self
            .start
            .partition_point(|s| *s < from.saturating_sub(SHORT_SPAN));
        let inside = self.start.partition_point(|s| *s < from).max(lo);
        let hi = self.start.partition_point(|s| *s < to).max(inside);
        let long = self
            .long
            .iter()
            .copied()
            .filter(|&i| self.start[i as usize] < to && self.end[i as usize] > from)
            .collect();
        Window {
            from,
            to,
            lo,
            inside,
            hi,
            long,
        }
    }

    /// Whether short event `i` (within the window's candidates) overlaps it.
    #[inline]
    fn short_in(&self, w: &Window, i: usize) -> bool {
        (i >= w.inside || self.end[i] > w.from) && !self.is_long(i)
    }

    /// Call `f` with every event position in the window: short events in start order, then
    /// the long ones.
    pub fn for_each_in_window(&self, w: &Window, mut f: impl FnMut(usize)) {
        for i in w.lo..w.hi {
            if self.short_in(w, i) {
                f(i);
            }
        }
        for &i in &w.long {
            f(i as usize);
        }
    }

    /// Positions of all events in the window, in start order.
    pub fn window_ids(&self, w: &Window) -> Vec<usize> {
        let mut out = Vec::new();
        self.for_each_in_window(w, |i| out.push(i));
        if !w.long.is_empty() {
            out.sort_unstable();
        }
        out
    }

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

    /// The short-event position range of a window and its cut, for parallel bulk passes:
    /// `(lo, inside, hi)`; positions in `lo..inside` also need `end > from`, and long events
    /// (see [`Self::is_long_event`]) must be skipped and taken from [`Self::window_long`].
    pub fn window_range(&self, w: &Window) -> (usize, usize, usize) {
        (w.lo, w.inside, w.hi)
    }

    /// Whether event `i` overlaps the window (for use with [`Self::window_range`]).
    #[inline]
    pub fn in_window(&self, w: &Window, i: usize) -> bool {
        if self.is_long(i) {
            self.start[i] < w.to && self.end[i] > w.from
        } else {
            i >= w.lo && i < w.hi && (i >= w.inside || self.end[i] > w.from)
        }
    }

    /// Whether event `i` is a long (uncertain range) event.
    pub fn is_long_event(&self, i: usize) -> bool {
        self.is_long(i)
    }

    /// The long events overlapping the window.
    pub fn window_long<'w>(&self, w: &'w Window) -> &'w [u32] {
        &w.long
    }

    /// Count and casualty totals of events overlapping `[from, to)` without visiting every
    /// event: prefix sums cover events starting inside the window, and only the few that start
    /// before it (short ones within [`SHORT_SPAN`], and the long list) are checked one by one.
    pub fn summary(&self, from: Seconds, to: Seconds) -> WindowSummary {
        let w = self.window(from, to);
        let of = |i: usize| WindowSummary::of(self.killed[i], self.injured[i]);
        let mut s = WindowSummary::default();
        if w.hi > w.inside {
            // Events that start inside the window all overlap it; long ones among them are
            // subtracted again below and counted with the long list.
            let (a, b) = (self.prefix_at(w.inside), self.prefix_at(w.hi));
            s = WindowSummary {
                events: w.hi - w.inside,
                killed: b.killed - a.killed,
                injured: b.injured - a.injured,
                killed_reported: u64::from(b.killed_reported - a.killed_reported),
                injured_reported: u64::from(b.injured_reported - a.injured_reported),
            };
        }
        for i in w.lo..w.inside {
            if !self.is_long(i) && self.end[i] > from {
                s.add(&of(i));
            }
        }
        let first_long = self.long.partition_point(|&i| (i as usize) < w.inside);
        for &i in &self.long[first_long..] {
            let i = i as usize;
            if i >= w.hi {
                break;
            }
            s.sub(&of(i));
        }
        for &i in &w.long {
            s.add(&of(i as usize));
        }
        s
    }

    /// The first event starting strictly after `t`.
    pub fn next_event_after(&self, t: Seconds) -> Option<usize> {
        let i = self.start.partition_point(|s| *s <= t);
        (i < self.len()).then_some(i)
    }

    /// The last event starting strictly before `t`.
    pub fn prev_event_before(&self, t: Seconds) -> Option<usize> {
        let i = self.start.partition_point(|s| *s < t);
        i.checked_sub(1)
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
    fn build_grid(&self) -> (Vec<u32>, Vec<u32>) {
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

    /// Sums before every [`PREFIX_STEP`]-th event: block sums on all cores, then one short scan.
    fn build_prefix(&self) -> Vec<Prefix> {
        let blocks = self.len() / PREFIX_STEP;
        let sums: Vec<Prefix> = (0..blocks)
            .into_par_iter()
            .map(|b| {
                let mut p = Prefix::default();
                for i in b * PREFIX_STEP..(b + 1) * PREFIX_STEP {
                    p.add_event(self.killed[i], self.injured[i]);
                }
                p
            })
            .collect();
        let mut prefix = Vec::with_capacity(blocks + 1);
        let mut acc = Prefix::default();
        prefix.push(acc);
        for b in sums {
            acc.add(&b);
            prefix.push(acc);
        }
        prefix
    }

    /// Totals of events `0..i`.
    fn prefix_at(&self, i: usize) -> Prefix {
        let k = i / PREFIX_STEP;
        let mut p = self.prefix.get(k).copied().unwrap_or_default();
        for j in k * PREFIX_STEP..i {
            p.add_event(self.killed[j], self.injured[j]);
        }
        p
    }

    fn build_histogram(&self) -> Histogram {
        let Some((first, last)) = self.span else {
            return Histogram::default();
        };
        let first_day = first.div_euclid(DAY) * DAY;
        let n_days = ((last - 1).div_euclid(DAY) * DAY - first_day) / DAY + 1;
        let mut days = vec![[0u32; Weapon::ALL.len()]; usize::try_from(n_days).unwrap_or(0)];
        for (s, w) in self.start.iter().zip(&self.weapon) {
            // Each event is counted once, on its start day: the histogram shows activity, the
            // timeline marks uncertain ranges separately.
            let d = usize::try_from((s - first_day) / DAY).unwrap_or(0);
            if let Some(bin) = days.get_mut(d) {
                bin[usize::from(*w).min(Weapon::ALL.len() - 1)] += 1;
            }
        }
        let max_total = days.iter().map(|d| d.iter().sum()).max().unwrap_or(0);
        Histogram {
            first_day,
            days,
            max_total,
        }
    }

    /// Positions of events longer than a month (uncertain dates), for the timeline.
    pub fn long_events(&self) -> impl Iterator<Item = usize> + '_ {
        self.long.iter().map(|&i| i as usize)
    }
}

/// Grid column (or row) of a normalised coordinate, clamped to the grid.
fn grid_cell(v: f32) -> usize {
    ((v.clamp(0.0, 1.0) * GRID_N as f32) as usize).min(GRID_N - 1)
}

/// Dataset and row of every shown row, in start order; ties keep dataset and file order.
fn start_order(datasets: &[Arc<DatasetData>], shown: &[bool]) -> (Vec<u16>, Vec<u32>) {
    let parts: Vec<(u16, &[Row])> = datasets
        .iter()
        .enumerate()
        .filter(|&(d, _)| shown.get(d).copied().unwrap_or(true))
        .map(|(d, data)| (u16::try_from(d).unwrap_or(u16::MAX), &data.rows[..]))
        .collect();
    let starts = || {
        parts
            .iter()
            .flat_map(|(_, rows)| rows.iter().map(|r| r.start))
    };
    // Files written in time order need no sort; nor do ACLED exports, which are newest first.
    if starts().is_sorted() {
        return parts
            .iter()
            .flat_map(|&(d, rows)| (0..rows.len() as u32).map(move |r| (d, r)))
            .unzip();
    }
    if let [(d, rows)] = parts[..]
        && starts().is_sorted_by(|a, b| a >= b)
    {
        // Runs of equal starts from the last to the first, each run in file order.
        let mut rec = Vec::with_capacity(rows.len());
        let mut b = rows.len();
        while b > 0 {
            let t = rows[b - 1].start;
            let a = rows[..b].partition_point(|r| r.start > t);
            rec.extend(a as u32..b as u32);
            b = a;
        }
        return (vec![d; rows.len()], rec);
    }
    let total: usize = parts.iter().map(|(_, rows)| rows.len()).sum();
    let (min, max) = starts().fold((Seconds::MAX, Seconds::MIN), |(a, b), t| {
        (a.min(t), b.max(t))
    });
    if u32::try_from(max - min).is_ok() && u32::try_from(total).is_ok() {
        // Start (from the earliest, up to 136 years) and position among all shown rows in one
        // u64: half the bytes of a tuple to sort, and ties keep dataset and file order.
        let mut keys: Vec<u64> = Vec::with_capacity(total);
        let mut first = 0u64;
        for &(_, rows) in &parts {
            keys.par_extend(
                rows.par_iter()
                    .enumerate()
                    .map(move |(r, row)| ((row.start - min) as u64) << 32 | (first + r as u64)),
            );
            first += rows.len() as u64;
        }
        keys.par_sort_unstable();
        // Where each dataset's rows begin among all shown rows.
        let begins: Vec<u64> = parts
            .iter()
            .scan(0u64, |acc, (_, rows)| {
                let b = *acc;
                *acc += rows.len() as u64;
                Some(b)
            })
            .collect();
        return keys
            .into_par_iter()
            .map(|k| {
                let flat = k & u64::from(u32::MAX);
                let p = begins.partition_point(|&b| b <= flat).saturating_sub(1);
                (parts[p].0, (flat - begins[p]) as u32)
            })
            .unzip();
    }
    // (start, dataset, row) sorted: the tuple order keeps ties stable.
    let mut keys: Vec<(Seconds, u16, u32)> = Vec::with_capacity(total);
    for &(d, rows) in &parts {
        keys.par_extend(
            rows.par_iter()
                .enumerate()
                .map(move |(r, row)| (row.start, d, r as u32)),
        );
    }
    keys.par_sort_unstable();
    keys.into_par_iter().map(|(_, d, r)| (d, r)).unzip()
}

fn min_max(v: &[f32]) -> (f32, f32) {
    v.iter()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EventTime, Location, TimePrecision};

    fn ev(id: &str, time: EventTime, killed: Option<u32>, injured: Option<u32>) -> Event {
        let mut e = Event::new(
            id,
            time,
            Location {
                lat: 50.0,
                lon: 30.0,
                precision: LocationPrecision::Exact,
                place: None,
                admin1: None,
                country: None,
            },
        );
        e.killed = killed;
        e.injured = injured;
        e
    }

    fn data(name: &str, events: Vec<Event>) -> Arc<DatasetData> {
        let n = events.len();
        Arc::new(DatasetData::from_events(
            Dataset {
                id: Default::default(),
                name: name.into(),
                records: n,
                loaded: n,
            },
            events,
        ))
    }

    fn store() -> EventStore {
        let day = |d: i64| EventTime::at(d * DAY, TimePrecision::Day);
        let events = vec![
            ev("d10", day(10), Some(1), Some(2)),
            ev("d5", day(5), Some(3), None),
            ev("range", EventTime::range(3 * DAY, 12 * DAY), None, Some(7)),
            ev("d20", day(20), None, None),
            ev(
                "min",
                EventTime::at(10 * DAY + 600, TimePrecision::Minute),
                Some(1),
                Some(1),
            ),
            ev("long", EventTime::range(2 * DAY, 60 * DAY), Some(2), None),
        ];
        EventStore::new(vec![data("t", events)])
    }

    fn id(s: &EventStore, i: usize) -> String {
        s.get(i).unwrap().id.clone()
    }

    fn brute(s: &EventStore, from: Seconds, to: Seconds) -> WindowSummary {
        let mut w = WindowSummary::default();
        for i in 0..s.len() {
            let e = s.get(i).unwrap();
            if e.time.overlaps(from, to) {
                w.add(&WindowSummary::of(
                    e.killed.unwrap_or(UNKNOWN),
                    e.injured.unwrap_or(UNKNOWN),
                ));
            }
        }
        w
    }

    #[test]
    fn sorted_by_start() {
        let s = store();
        let ids: Vec<_> = (0..s.len()).map(|i| id(&s, i)).collect();
        assert_eq!(ids, ["long", "range", "d5", "d10", "min", "d20"]);
        assert_eq!(s.span(), Some((2 * DAY, 60 * DAY)));
        assert_eq!(s.long_events().count(), 1);
    }

    #[test]
    fn window_finds_overlapping_events_including_ranges() {
        let s = store();
        let ids = |from, to| -> Vec<String> {
            s.window_ids(&s.window(from, to))
                .iter()
                .map(|&i| id(&s, i))
                .collect()
        };
        assert_eq!(ids(10 * DAY, 11 * DAY), ["long", "range", "d10", "min"]);
        // a day event is in a window that covers only its afternoon
        assert_eq!(
            ids(5 * DAY + 50_000, 5 * DAY + 60_000),
            ["long", "range", "d5"]
        );
        assert_eq!(ids(13 * DAY, 19 * DAY), ["long"]);
        assert_eq!(ids(61 * DAY, 70 * DAY), Vec::<String>::new());
        assert_eq!(ids(0, 100 * DAY).len(), 6);
    }

    #[test]
    fn summary_matches_brute_force_for_every_window() {
        let s = store();
        for from in (0..130).map(|d| d * DAY / 2) {
            for len in [3_600, DAY, 3 * DAY, 7 * DAY, 30 * DAY, 100 * DAY] {
                assert_eq!(
                    s.summary(from, from + len),
                    brute(&s, from, from + len),
                    "{from} {len}"
                );
                let w = s.window(from, from + len);
                assert_eq!(s.window_ids(&w).len(), brute(&s, from, from + len).events);
            }
        }
    }

    /// Sorted, newest-first (with ties) and shuffled files, alone and together: the order is
    /// a stable sort by start, and window totals (sparse prefix sums) match a brute count.
    #[test]
    fn any_input_order_gives_a_stable_start_order_and_exact_totals() {
        let mut seed = 11u64;
        let mut rnd = |m: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        let mut make = |name: &str| -> Vec<Event> {
            (0..700)
                .map(|k| {
                    let day = rnd(90) as i64;
                    let t = if k % 97 == 0 {
                        EventTime::range(day * DAY, (day + 40) * DAY)
                    } else {
                        EventTime::at(day * DAY, TimePrecision::Day)
                    };
                    let killed = (k % 3 != 0).then(|| rnd(5) as u32);
                    let injured = (k % 4 != 0).then(|| rnd(9) as u32);
                    ev(&format!("{name}{k}"), t, killed, injured)
                })
                .collect()
        };
        let shuffled = make("s");
        let mut ascending = make("a");
        ascending.sort_by_key(|e| e.time.start);
        let mut newest_first = make("n");
        newest_first.sort_by_key(|e| std::cmp::Reverse(e.time.start));
        // Two centuries apart: too wide for the packed sort keys.
        let mut wide = shuffled.clone();
        wide[5].time = EventTime::at(-200 * 365 * DAY, TimePrecision::Day);
        let sets = [
            vec![data("w", wide)],
            vec![data("a", ascending.clone())],
            vec![data("n", newest_first.clone())],
            vec![data("s", shuffled.clone())],
            vec![
                data("n", newest_first),
                data("a", ascending),
                data("s", shuffled),
            ],
        ];
        for datasets in sets {
            // What a stable sort of all rows (in dataset, then file order) by start gives.
            let mut want: Vec<(Seconds, String)> = datasets
                .iter()
                .flat_map(|d| match &d.details {
                    Details::Events(ev) => ev.iter().map(|e| (e.time.start, e.id.clone())),
                    Details::Records(_) => unreachable!(),
                })
                .collect();
            want.sort_by_key(|(t, _)| *t);
            let s = EventStore::new(datasets);
            let got: Vec<(Seconds, String)> =
                (0..s.len()).map(|i| (s.start[i], id(&s, i))).collect();
            assert_eq!(got, want);
            for from in (0..40).map(|d| d * 3 * DAY) {
                for len in [DAY, 5 * DAY, 45 * DAY] {
                    assert_eq!(s.summary(from, from + len), brute(&s, from, from + len));
                }
            }
        }
    }

    #[test]
    fn unknown_casualties_add_nothing() {
        let s = store();
        let w = s.summary(20 * DAY, 21 * DAY);
        assert_eq!((w.events, w.killed, w.injured), (2, 2, 0));
        assert_eq!((w.killed_reported, w.injured_reported), (1, 0));
    }

    #[test]
    fn histogram_bins_per_day_by_weapon() {
        let s = store();
        let h = s.histogram();
        assert_eq!(h.first_day, 2 * DAY);
        assert_eq!(h.days.len(), 58);
        assert_eq!(h.days[8][Weapon::Unknown.index()], 2); // day 10: d10 and min
        assert_eq!(h.max_total, 2);
    }

    #[test]
    fn next_and_previous_event() {
        let s = store();
        assert_eq!(id(&s, s.next_event_after(5 * DAY).unwrap()), "d10");
        assert_eq!(id(&s, s.prev_event_before(10 * DAY).unwrap()), "d5");
        assert!(s.next_event_after(20 * DAY).is_none());
        assert!(s.prev_event_before(2 * DAY).is_none());
    }

    #[test]
    fn datasets_can_be_added_and_hidden() {
        let s = store();
        let n = s.len();
        let extra = ev(
            "x",
            EventTime::at(30 * DAY, TimePrecision::Day),
            Some(1),
            None,
        );
        let mut all = s.all_datasets().to_vec();
        all.push(data("second", vec![extra]));
        let s = EventStore::new(all);
        assert_eq!(s.len(), n + 1);
        assert_eq!(s.dataset_of(s.len() - 1).unwrap().name, "second");
        assert_eq!(s.dataset_of(0).unwrap().name, "t");
        let hidden = s.reshow(vec![false, true]);
        assert_eq!(hidden.len(), 1);
        assert_eq!(id(&hidden, 0), "x");
        assert_eq!(hidden.datasets().count(), 1);
        assert_eq!(hidden.all_datasets().len(), 2);
    }

    #[test]
    fn empty_store() {
        let s = EventStore::default();
        assert!(s.is_empty());
        assert_eq!(s.window_ids(&s.window(0, 10)), Vec::<usize>::new());
        assert_eq!(s.summary(0, 10), WindowSummary::default());
        assert!(s.histogram().days.is_empty());
        assert!(s.nearest(&s.window(0, 10), 0.5, 0.5, 0.1).is_none());
    }

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
