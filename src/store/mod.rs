//! The event store: every loaded event as time-sorted columns holding what each frame needs
//! (time, projected position, weapon, precision, casualties), a spatial grid over those
//! columns, prefix sums and a per-day histogram. A time window is two binary searches; the
//! events of a window inside a map view are found through the grid.
//!
//! The full [`Event`] (texts, sources, extra columns) is not part of the columns: datasets
//! keep it either in memory or as a [`RecordSource`] that re-reads one record from its file
//! when the user opens it, so a million events cost tens of megabytes, not gigabytes.
//!
//! This file holds the columns and their construction; the queries over them live by what
//! they use: [`window`] (time windows), [`grid`] (the spatial grid for culling and picking),
//! [`summary`] (prefix sums for window totals) and [`histogram`] (events per day).
//!
//! No egui here.

use std::borrow::Cow;
use std::sync::Arc;

use rayon::prelude::*;

use crate::model::{Event, LocationPrecision, Seconds, Weapon, mercator};

mod grid;
mod histogram;
mod summary;
pub mod text;
mod window;

pub use grid::GRID_BITS;
pub use histogram::Histogram;
pub use summary::WindowSummary;
pub use window::Window;

use summary::Prefix;

/// "Not reported" in the compact count columns.
pub const UNKNOWN: u32 = u32::MAX;

/// "No target reported" in [`Row::target`].
pub const NO_TARGET: u8 = u8::MAX;

/// The hot fields of one event, as importers produce them (in file order): what frames,
/// filters and statistics read, so that none of them needs the full [`Event`].
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
    /// Children killed, or [`UNKNOWN`].
    pub children_killed: u32,
    /// Children injured, or [`UNKNOWN`].
    pub children_injured: u32,
    /// Weapons launched (attack-level reports), or [`UNKNOWN`].
    pub launched: u32,
    /// Weapons intercepted, or [`UNKNOWN`].
    pub intercepted: u32,
    /// Region and country: an index into the dataset's [`Areas`] ([`NO_AREA`]: not known).
    pub area: u32,
    /// Primary weapon ([`Weapon::index`]).
    pub weapon: u8,
    /// Every weapon reported, bit [`Weapon::index`] set for each (0: none reported).
    pub weapons: u8,
    /// What was hit ([`Target::index`]), or [`NO_TARGET`].
    pub target: u8,
    /// Location precision ([`LocationPrecision::index`]).
    pub precision: u8,
}

/// "Region and country not known" in [`Row::area`].
pub const NO_AREA: u32 = u32::MAX;

impl Default for Row {
    /// A row with nothing reported, at time 0 and map origin.
    fn default() -> Self {
        Self {
            start: 0,
            end: 0,
            x: 0.0,
            y: 0.0,
            killed: UNKNOWN,
            injured: UNKNOWN,
            children_killed: UNKNOWN,
            children_injured: UNKNOWN,
            launched: UNKNOWN,
            intercepted: UNKNOWN,
            area: NO_AREA,
            weapon: Weapon::Unknown.index() as u8,
            weapons: 0,
            target: NO_TARGET,
            precision: LocationPrecision::Exact.index() as u8,
        }
    }
}

impl Row {
    /// The hot fields of an event; its area is left unknown (see [`Self::of_in`]).
    pub fn of(e: &Event) -> Self {
        let (x, y) = mercator(e.location.lat, e.location.lon);
        let count = |c: Option<u32>| c.unwrap_or(UNKNOWN);
        Self {
            start: e.time.start,
            end: e.time.end,
            x: x as f32,
            y: y as f32,
            killed: count(e.killed),
            injured: count(e.injured),
            children_killed: count(e.children_killed),
            children_injured: count(e.children_injured),
            launched: count(e.launched),
            intercepted: count(e.intercepted),
            area: NO_AREA,
            weapon: e.primary_weapon().index() as u8,
            weapons: e.weapons.iter().fold(0, |m, w| m | 1 << w.index()),
            target: e.target.map_or(NO_TARGET, |t| t.index() as u8),
            precision: e.location.precision.index() as u8,
        }
    }

    /// Children killed or injured, summed over what is reported ([`UNKNOWN`] if neither is).
    pub fn children(&self) -> u32 {
        match (self.children_killed, self.children_injured) {
            (UNKNOWN, UNKNOWN) => UNKNOWN,
            (a, b) => [a, b].into_iter().filter(|c| *c != UNKNOWN).sum(),
        }
    }

    /// The target's slot in per-target tallies: [`Target::index`], or `Target::ALL.len()` for
    /// "not reported".
    pub fn target_slot(&self) -> usize {
        if self.target == NO_TARGET {
            crate::model::Target::ALL.len()
        } else {
            usize::from(self.target)
        }
    }

    /// The hot fields of an event, its region and country interned in `areas`.
    pub fn of_in(e: &Event, areas: &mut Areas) -> Self {
        Self {
            area: areas.intern(e.location.admin1.as_deref(), e.location.country.as_deref()),
            ..Self::of(e)
        }
    }
}

/// Rows with their areas looked up (tests compare rows of two readers, whose area indices
/// may differ while naming the same regions).
#[cfg(test)]
pub(crate) fn resolved(rows: &[Row], areas: &Areas) -> Vec<(Row, Option<Area>)> {
    rows.iter()
        .map(|r| {
            let a = areas.get(r.area).cloned();
            (
                Row {
                    area: NO_AREA,
                    ..*r
                },
                a,
            )
        })
        .collect()
}

/// The rows of in-memory events, their areas looked up (see [`resolved`]).
#[cfg(test)]
pub(crate) fn resolved_events(events: &[Event]) -> Vec<(Row, Option<Area>)> {
    let mut areas = Areas::default();
    let rows: Vec<Row> = events.iter().map(|e| Row::of_in(e, &mut areas)).collect();
    resolved(&rows, &areas)
}

/// A first-level region and country, as an event names them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Area {
    /// First-level region (oblast, governorate, state), as written.
    pub admin1: Option<String>,
    /// Country, as written.
    pub country: Option<String>,
}

/// The distinct regions and countries of a dataset, each stored once: rows hold an index.
#[derive(Clone, Debug, Default)]
pub struct Areas {
    list: Vec<Area>,
    /// Each area's index, keyed by `admin1 \0 country` (no allocation per lookup).
    index: std::collections::HashMap<Vec<u8>, u32>,
    key: Vec<u8>,
}

impl Areas {
    /// The index of this region and country, added if new. Empty names are not known.
    pub fn intern(&mut self, admin1: Option<&str>, country: Option<&str>) -> u32 {
        let admin1 = admin1.map(str::trim).filter(|a| !a.is_empty());
        let country = country.map(str::trim).filter(|c| !c.is_empty());
        if admin1.is_none() && country.is_none() {
            return NO_AREA;
        }
        self.key.clear();
        self.key
            .extend_from_slice(admin1.unwrap_or_default().as_bytes());
        self.key.push(0);
        self.key
            .extend_from_slice(country.unwrap_or_default().as_bytes());
        if let Some(&k) = self.index.get(self.key.as_slice()) {
            return k;
        }
        let k = u32::try_from(self.list.len()).unwrap_or(NO_AREA);
        self.index.insert(self.key.clone(), k);
        self.list.push(Area {
            admin1: admin1.map(str::to_owned),
            country: country.map(str::to_owned),
        });
        k
    }

    /// Area `k`, if known.
    pub fn get(&self, k: u32) -> Option<&Area> {
        self.list.get(k as usize)
    }

    /// Every area, by index.
    pub fn all(&self) -> &[Area] {
        &self.list
    }

    /// Take in `other`'s areas; returns, for each of its indices, the index here.
    pub fn absorb(&mut self, other: &Areas) -> Vec<u32> {
        other
            .list
            .iter()
            .map(|a| self.intern(a.admin1.as_deref(), a.country.as_deref()))
            .collect()
    }

    /// Re-point `rows` (interned in another [`Areas`]) at this one, by [`Self::absorb`]'s map.
    pub fn remap(rows: &mut [Row], map: &[u32]) {
        for r in rows {
            if let Some(&k) = map.get(r.area as usize) {
                r.area = k;
            }
        }
    }
}

/// Reads one record's full event on demand (e.g. by seeking into the file it came from).
pub trait RecordSource: Send + Sync + std::fmt::Debug {
    /// The full event of record `record` (its position among the dataset's loaded events).
    fn event(&self, record: usize) -> Result<Event, String>;

    /// The full events of many records, in the order asked (ascending is fastest): bulk
    /// passes (export, text search) read them in one go where the source can. `rows` are
    /// the dataset's hot rows (indexed like records, or empty): what the load already worked
    /// out (weapons, target) need not be inferred again from the record's text.
    fn events(&self, records: &[usize], rows: &[Row]) -> Vec<Result<Event, String>> {
        let _ = rows;
        records.iter().map(|&r| self.event(r)).collect()
    }

    /// Every extra-property name an event of this source can have, in the source's order,
    /// when the source knows them without reading its records (a CSV's unused columns): a
    /// CSV export then needs no pass to find its columns. `None`: not known.
    fn extra_names(&self) -> Option<Vec<String>> {
        None
    }

    /// [`Self::events`] for text search, which reads only an event's own fields: a source
    /// may leave the extra properties out.
    fn searchable_events(&self, records: &[usize], rows: &[Row]) -> Vec<Result<Event, String>> {
        self.events(records, rows)
    }
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
    /// The regions and countries the rows' [`Row::area`] point at.
    pub areas: Areas,
    /// The full events, indexed like `rows`.
    pub details: Details,
    /// The folded texts for search, built at the first search ([`Self::texts`]).
    pub texts: std::sync::OnceLock<text::TextIndex>,
}

impl DatasetData {
    /// A dataset whose events are all in memory.
    pub fn from_events(meta: Dataset, events: Vec<Event>) -> Self {
        let mut areas = Areas::default();
        let rows = events.iter().map(|e| Row::of_in(e, &mut areas)).collect();
        Self {
            meta,
            rows,
            areas,
            details: Details::Events(events),
            texts: Default::default(),
        }
    }

    /// The folded texts of every record, for search: built (reading every record back) at
    /// the first call, then kept.
    pub fn texts(&self) -> &text::TextIndex {
        self.texts.get_or_init(|| text::TextIndex::build(self))
    }

    /// The full events of rows `recs` (ascending is fastest), read on all cores in batches.
    pub fn events_of(&self, recs: &[usize]) -> Vec<Result<Cow<'_, Event>, String>> {
        match &self.details {
            Details::Events(v) => recs
                .iter()
                .map(|&r| {
                    v.get(r)
                        .map(Cow::Borrowed)
                        .ok_or_else(|| format!("no record {r}"))
                })
                .collect(),
            Details::Records(src) => recs
                .par_chunks(1024)
                .flat_map_iter(|c| {
                    src.events(c, &self.rows)
                        .into_iter()
                        .map(|e| e.map(Cow::Owned))
                })
                .collect(),
        }
    }

    /// The events of rows `recs` with only what text search reads
    /// ([`RecordSource::searchable_events`]), on the calling thread.
    pub fn searchable_events(&self, recs: &[usize]) -> Vec<Result<Cow<'_, Event>, String>> {
        match &self.details {
            Details::Events(v) => recs
                .iter()
                .map(|&r| {
                    v.get(r)
                        .map(Cow::Borrowed)
                        .ok_or_else(|| format!("no record {r}"))
                })
                .collect(),
            Details::Records(src) => src
                .searchable_events(recs, &self.rows)
                .into_iter()
                .map(|e| e.map(Cow::Owned))
                .collect(),
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
        Self::from_order(datasets, shown, ds, rec)
    }

    /// The store of these events (dataset and row of each, in start order).
    fn from_order(
        datasets: Vec<Arc<DatasetData>>,
        shown: Vec<bool>,
        ds: Vec<u16>,
        rec: Vec<u32>,
    ) -> Self {
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

    /// A store of the events at positions `i` for which `keep(i)` holds, in the same order
    /// (no sort: the positions are already in start order). Grid, prefix sums and histogram
    /// are built for the subset, so every query over it answers for the kept events only.
    pub fn subset(&self, keep: impl Fn(usize) -> bool + Sync) -> Self {
        let (ds, rec): (Vec<u16>, Vec<u32>) = (0..self.len())
            .into_par_iter()
            .filter(|&i| keep(i))
            .map(|i| (self.ds[i], self.rec[i]))
            .unzip();
        Self::from_order(self.datasets.clone(), self.shown.clone(), ds, rec)
    }

    /// The hot row of event `i` (every field filters and statistics read).
    pub fn row(&self, i: usize) -> Option<&Row> {
        let d = self.datasets.get(usize::from(*self.ds.get(i)?))?;
        d.rows.get(*self.rec.get(i)? as usize)
    }

    /// Region and country of event `i`, where known.
    pub fn area(&self, i: usize) -> Option<&Area> {
        let d = self.datasets.get(usize::from(*self.ds.get(i)?))?;
        d.areas.get(d.rows.get(*self.rec.get(i)? as usize)?.area)
    }

    /// Which dataset and record event `i` is: stable across stores of the same datasets.
    pub fn identity(&self, i: usize) -> Option<(u16, u32)> {
        Some((*self.ds.get(i)?, *self.rec.get(i)?))
    }

    /// The position of the event with this [`Self::identity`] and start time, if here.
    pub fn position_of(&self, id: (u16, u32), start: Seconds) -> Option<usize> {
        let a = self.start.partition_point(|s| *s < start);
        let b = self.start.partition_point(|s| *s <= start);
        (a..b).find(|&i| self.ds[i] == id.0 && self.rec[i] == id.1)
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
    use crate::model::{DAY, EventTime, Location, TimePrecision};

    // Shared by the tests of the store's submodules.
    pub(super) fn ev(
        id: &str,
        time: EventTime,
        killed: Option<u32>,
        injured: Option<u32>,
    ) -> Event {
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

    pub(super) fn data(name: &str, events: Vec<Event>) -> Arc<DatasetData> {
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

    pub(super) fn store() -> EventStore {
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

    pub(super) fn id(s: &EventStore, i: usize) -> String {
        s.get(i).unwrap().id.clone()
    }

    pub(super) fn brute(s: &EventStore, from: Seconds, to: Seconds) -> WindowSummary {
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
}
