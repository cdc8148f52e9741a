//! The event store: events sorted by start time with the columns each frame needs, so that a
//! time window is two binary searches and the histogram is computed once per data change.
//!
//! No egui here.

use crate::model::{DAY, Event, Seconds, Weapon};

/// Events whose time span is at most this long are "short": the window query finds them by
/// binary search on `start` alone. Longer ones (uncertain ranges) are kept in a separate list.
const SHORT_SPAN: Seconds = 2 * DAY;

/// A dataset that contributed events (one per opened file).
#[derive(Clone, Debug)]
pub struct Dataset {
    /// Display name (file name).
    pub name: String,
    /// Records read.
    pub records: usize,
    /// Events loaded.
    pub loaded: usize,
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
    /// The window's totals of one event.
    fn of(e: &Event) -> Self {
        Self {
            events: 1,
            killed: u64::from(e.killed.unwrap_or(0)),
            injured: u64::from(e.injured.unwrap_or(0)),
            killed_reported: u64::from(e.killed.is_some()),
            injured_reported: u64::from(e.injured.is_some()),
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

/// All loaded events, sorted by start time, with columnar copies of the hot fields.
#[derive(Clone, Debug, Default)]
pub struct EventStore {
    events: Vec<Event>,
    /// Dataset index of each event.
    dataset: Vec<u16>,
    /// Start of each event (sorted ascending).
    start: Vec<Seconds>,
    /// End of each event (exclusive).
    end: Vec<Seconds>,
    /// Prefix sums of the per-event totals over the sorted order, for O(log n) window totals.
    prefix: Vec<WindowSummary>,
    /// Indices of events longer than [`SHORT_SPAN`], sorted by start.
    long: Vec<u32>,
    datasets: Vec<Dataset>,
    histogram: Histogram,
    /// Earliest start and latest end over all events.
    span: Option<(Seconds, Seconds)>,
}

impl EventStore {
    /// Build a store from datasets of events. Sorting is stable, so ties keep file order.
    pub fn new(datasets: Vec<(Dataset, Vec<Event>)>) -> Self {
        let mut tagged: Vec<(u16, Event)> = Vec::new();
        let mut metas = Vec::new();
        for (i, (meta, events)) in datasets.into_iter().enumerate() {
            let idx = u16::try_from(i).unwrap_or(u16::MAX);
            tagged.extend(events.into_iter().map(|e| (idx, e)));
            metas.push(meta);
        }
        tagged.sort_by_key(|(_, e)| e.time.start);
        let (dataset, events): (Vec<u16>, Vec<Event>) = tagged.into_iter().unzip();
        let start: Vec<Seconds> = events.iter().map(|e| e.time.start).collect();
        let end: Vec<Seconds> = events.iter().map(|e| e.time.end).collect();
        let mut prefix = Vec::with_capacity(events.len() + 1);
        let mut acc = WindowSummary::default();
        prefix.push(acc);
        for e in &events {
            acc.add(&WindowSummary::of(e));
            prefix.push(acc);
        }
        let long = events
            .iter()
            .enumerate()
            .filter(|(_, e)| e.time.span() > SHORT_SPAN)
            .map(|(i, _)| i as u32)
            .collect();
        let span = match (start.first(), end.iter().max()) {
            (Some(a), Some(b)) => Some((*a, *b)),
            _ => None,
        };
        let mut store = Self {
            events,
            dataset,
            start,
            end,
            prefix,
            long,
            datasets: metas,
            histogram: Histogram::default(),
            span,
        };
        store.histogram = store.build_histogram();
        store
    }

    /// Take the store apart into its datasets (in opening order), e.g. to add one.
    pub fn into_datasets(self) -> Vec<(Dataset, Vec<Event>)> {
        let mut out: Vec<(Dataset, Vec<Event>)> =
            self.datasets.into_iter().map(|d| (d, Vec::new())).collect();
        for (ds, e) in self.dataset.into_iter().zip(self.events) {
            if let Some((_, v)) = out.get_mut(usize::from(ds)) {
                v.push(e);
            }
        }
        out
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// Whether there are no events.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// Event by index (indices are positions in start order).
    pub fn get(&self, i: usize) -> Option<&Event> {
        self.events.get(i)
    }

    /// All events in start order.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Dataset that event `i` came from.
    pub fn dataset_of(&self, i: usize) -> Option<&Dataset> {
        self.datasets.get(usize::from(*self.dataset.get(i)?))
    }

    /// The datasets, in the order they were opened.
    pub fn datasets(&self) -> &[Dataset] {
        &self.datasets
    }

    /// Earliest start and latest end over all events.
    pub fn span(&self) -> Option<(Seconds, Seconds)> {
        self.span
    }

    /// The per-day histogram.
    pub fn histogram(&self) -> &Histogram {
        &self.histogram
    }

    /// Index range (in start order) of short events that may overlap `[from, to)`; callers must
    /// still check `end > from` for the first [`SHORT_SPAN`] of it.
    fn short_candidates(&self, from: Seconds, to: Seconds) -> (usize, usize) {
        let lo = self.start.partition_point(|s| *s < from - SHORT_SPAN);
        let hi = self.start.partition_point(|s| *s < to);
        (lo, hi)
    }

    /// Indices of all events overlapping `[from, to)`, in start order.
    pub fn window(&self, from: Seconds, to: Seconds) -> Vec<usize> {
        let (lo, hi) = self.short_candidates(from, to);
        let mut out: Vec<usize> = (lo..hi)
            .filter(|&i| self.end[i] > from && self.end[i] - self.start[i] <= SHORT_SPAN)
            .collect();
        let before = out.len();
        out.extend(
            self.long
                .iter()
                .map(|&i| i as usize)
                .filter(|&i| self.start[i] < to && self.end[i] > from),
        );
        if out.len() != before {
            out.sort_unstable();
        }
        out
    }

    /// Count and casualty totals of events overlapping `[from, to)` without visiting every
    /// event: prefix sums cover events starting inside the window, and only the few that start
    /// before it (short ones within [`SHORT_SPAN`], and the long list) are checked one by one.
    pub fn summary(&self, from: Seconds, to: Seconds) -> WindowSummary {
        let is_short = |i: usize| self.end[i] - self.start[i] <= SHORT_SPAN;
        let (lo, hi) = self.short_candidates(from, to);
        let inside = self.start.partition_point(|s| *s < from).max(lo);
        let mut s = WindowSummary::default();
        if hi > inside {
            // Events that start inside the window all overlap it; long ones among them are
            // subtracted again below and counted with the long list.
            s = self.prefix[hi];
            s.sub(&self.prefix[inside]);
        }
        for i in lo..inside.min(hi) {
            if is_short(i) && self.end[i] > from {
                s.add(&WindowSummary::of(&self.events[i]));
            }
        }
        for &i in &self.long {
            let i = i as usize;
            let e = WindowSummary::of(&self.events[i]);
            if i >= inside && i < hi {
                s.sub(&e);
            }
            if self.start[i] < to && self.end[i] > from {
                s.add(&e);
            }
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

    fn build_histogram(&self) -> Histogram {
        let Some((first, last)) = self.span else {
            return Histogram::default();
        };
        let first_day = first.div_euclid(DAY) * DAY;
        let n_days = ((last - 1).div_euclid(DAY) * DAY - first_day) / DAY + 1;
        let mut days = vec![[0u32; Weapon::ALL.len()]; usize::try_from(n_days).unwrap_or(0)];
        for e in &self.events {
            // Each event is counted once, on its start day: the histogram shows activity, the
            // timeline marks uncertain ranges separately.
            let d = usize::try_from((e.time.start - first_day) / DAY).unwrap_or(0);
            if let Some(bin) = days.get_mut(d) {
                bin[e.primary_weapon().index()] += 1;
            }
        }
        let max_total = days.iter().map(|d| d.iter().sum()).max().unwrap_or(0);
        Histogram {
            first_day,
            days,
            max_total,
        }
    }

    /// Indices of events longer than a couple of days (uncertain dates), for the timeline.
    pub fn long_events(&self) -> impl Iterator<Item = usize> + '_ {
        self.long.iter().map(|&i| i as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EventTime, Location, LocationPrecision, TimePrecision};

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
        ];
        EventStore::new(vec![(
            Dataset {
                name: "t".into(),
                records: 5,
                loaded: 5,
            },
            events,
        )])
    }

    fn brute(s: &EventStore, from: Seconds, to: Seconds) -> WindowSummary {
        let mut w = WindowSummary::default();
        for e in s.events() {
            if e.time.overlaps(from, to) {
                w.add(&WindowSummary::of(e));
            }
        }
        w
    }

    #[test]
    fn sorted_by_start() {
        let s = store();
        let ids: Vec<_> = s.events().iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["range", "d5", "d10", "min", "d20"]);
        assert_eq!(s.span(), Some((3 * DAY, 21 * DAY)));
    }

    #[test]
    fn window_finds_overlapping_events_including_ranges() {
        let s = store();
        let ids = |from, to| -> Vec<String> {
            s.window(from, to)
                .iter()
                .map(|&i| s.events()[i].id.clone())
                .collect()
        };
        assert_eq!(ids(10 * DAY, 11 * DAY), ["range", "d10", "min"]);
        // a day event is in a window that covers only its afternoon
        assert_eq!(ids(5 * DAY + 50_000, 5 * DAY + 60_000), ["range", "d5"]);
        assert_eq!(ids(13 * DAY, 19 * DAY), Vec::<String>::new());
        assert_eq!(ids(0, 100 * DAY).len(), 5);
    }

    #[test]
    fn summary_matches_brute_force_for_every_window() {
        let s = store();
        for from in (0..25).map(|d| d * DAY / 2) {
            for len in [3_600, DAY, 3 * DAY, 7 * DAY, 30 * DAY] {
                assert_eq!(
                    s.summary(from, from + len),
                    brute(&s, from, from + len),
                    "{from} {len}"
                );
            }
        }
    }

    #[test]
    fn unknown_casualties_add_nothing() {
        let s = store();
        let w = s.summary(20 * DAY, 21 * DAY);
        assert_eq!((w.events, w.killed, w.injured), (1, 0, 0));
        assert_eq!((w.killed_reported, w.injured_reported), (0, 0));
    }

    #[test]
    fn histogram_bins_per_day_by_weapon() {
        let s = store();
        let h = s.histogram();
        assert_eq!(h.first_day, 3 * DAY);
        assert_eq!(h.days.len(), 18);
        assert_eq!(h.days[7][Weapon::Unknown.index()], 2); // day 10: d10 and min
        assert_eq!(h.max_total, 2);
    }

    #[test]
    fn next_and_previous_event() {
        let s = store();
        assert_eq!(s.events()[s.next_event_after(5 * DAY).unwrap()].id, "d10");
        assert_eq!(s.events()[s.prev_event_before(10 * DAY).unwrap()].id, "d5");
        assert!(s.next_event_after(20 * DAY).is_none());
        assert!(s.prev_event_before(3 * DAY).is_none());
    }

    #[test]
    fn taking_apart_and_rebuilding_keeps_every_event_in_its_dataset() {
        let s = store();
        let n = s.len();
        let mut parts = s.into_datasets();
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].1.len(), n);
        let extra = ev(
            "x",
            EventTime::at(30 * DAY, TimePrecision::Day),
            Some(1),
            None,
        );
        parts.push((
            Dataset {
                name: "second".into(),
                records: 1,
                loaded: 1,
            },
            vec![extra],
        ));
        let s = EventStore::new(parts);
        assert_eq!(s.len(), n + 1);
        assert_eq!(s.dataset_of(s.len() - 1).unwrap().name, "second");
        assert_eq!(s.dataset_of(0).unwrap().name, "t");
    }

    #[test]
    fn empty_store() {
        let s = EventStore::default();
        assert!(s.is_empty());
        assert_eq!(s.window(0, 10), Vec::<usize>::new());
        assert_eq!(s.summary(0, 10), WindowSummary::default());
        assert!(s.histogram().days.is_empty());
    }
}
