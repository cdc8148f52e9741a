//! Window totals (event count, reported killed and injured) from sparse prefix sums over the
//! time-sorted columns, so a summary costs a few hundred events however long the window.

use rayon::prelude::*;

use super::{EventStore, UNKNOWN};
use crate::model::Seconds;

/// Events per stored prefix sum: a window total adds at most twice this many events by hand,
/// and the sums take 1/64 of the memory of one per event.
const PREFIX_STEP: usize = 64;

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
    pub(super) fn of(killed: u32, injured: u32) -> Self {
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

    pub(super) fn add(&mut self, o: &Self) {
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
pub(super) struct Prefix {
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

impl EventStore {
    /// Count and casualty totals of events overlapping `[from, to)` without visiting every
    /// event: prefix sums cover events starting inside the window, and only the few that start
    /// before it (short ones within [`SHORT_SPAN`](super::window::SHORT_SPAN), and the long list) are checked one by one.
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

    /// Sums before every [`PREFIX_STEP`]-th event: block sums on all cores, then one short scan.
    pub(super) fn build_prefix(&self) -> Vec<Prefix> {
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
}

#[cfg(test)]
mod tests {
    use crate::model::DAY;
    use crate::store::tests::{brute, store};

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

    #[test]
    fn unknown_casualties_add_nothing() {
        let s = store();
        let w = s.summary(20 * DAY, 21 * DAY);
        assert_eq!((w.events, w.killed, w.injured), (2, 2, 0));
        assert_eq!((w.killed_reported, w.injured_reported), (1, 0));
    }
}
