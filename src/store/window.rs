//! Time windows: which positions of the time-sorted columns a window `[from, to)` can hold,
//! found by binary search, and the long (uncertain range) events kept apart for it.

use super::EventStore;
use crate::model::{DAY, Seconds};

/// Events whose time span is at most this long are "short": the window query finds them by
/// binary search on `start` alone. Longer ones (uncertain ranges) are kept in a separate list.
/// A month keeps ACLED's week and month precisions short.
pub(super) const SHORT_SPAN: Seconds = 32 * DAY;

/// A time window resolved against the store: which positions can be in it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Window {
    /// Window start (inclusive).
    pub from: Seconds,
    /// Window end (exclusive).
    pub to: Seconds,
    /// First short event that may overlap (starts at most [`SHORT_SPAN`] before `from`).
    pub(super) lo: usize,
    /// First event starting at or after `from`: from here to `hi` all short events overlap.
    pub(super) inside: usize,
    /// First event starting at or after `to`.
    pub(super) hi: usize,
    /// Long events overlapping the window, in start order.
    pub(super) long: Vec<u32>,
}

impl Window {
    /// An upper bound of the events in the window (exact when no event starts before it).
    pub fn candidates(&self) -> usize {
        self.hi - self.lo + self.long.len()
    }
}

impl EventStore {
    pub(super) fn is_long(&self, i: usize) -> bool {
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
    pub(super) fn short_in(&self, w: &Window, i: usize) -> bool {
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

    /// Positions of events longer than a month (uncertain dates), for the timeline.
    pub fn long_events(&self) -> impl Iterator<Item = usize> + '_ {
        self.long.iter().map(|&i| i as usize)
    }
}

#[cfg(test)]
mod tests {
    use crate::model::DAY;
    use crate::store::tests::{id, store};

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
    fn next_and_previous_event() {
        let s = store();
        assert_eq!(id(&s, s.next_event_after(5 * DAY).unwrap()), "d10");
        assert_eq!(id(&s, s.prev_event_before(10 * DAY).unwrap()), "d5");
        assert!(s.next_event_after(20 * DAY).is_none());
        assert!(s.prev_event_before(2 * DAY).is_none());
    }
}
