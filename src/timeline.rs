//! Timeline logic (no egui): the window that ends at the cursor, stepping, playing.

use serde::{Deserialize, Serialize};

use crate::model::{DAY, Seconds};
use crate::store::EventStore;

/// How long the time window ending at the cursor is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum WindowLen {
    /// One day.
    Day,
    /// Seven days.
    Week,
    /// Thirty days.
    Month,
    /// A user-chosen number of days.
    Custom(u32),
    /// From the first event up to the cursor.
    #[default]
    Everything,
}

impl WindowLen {
    /// Menu label.
    pub fn label(self) -> String {
        match self {
            Self::Day => "1 day".to_owned(),
            Self::Week => "1 week".to_owned(),
            Self::Month => "30 days".to_owned(),
            Self::Custom(n) => format!("{n} days"),
            Self::Everything => "Everything so far".to_owned(),
        }
    }

    /// Length in seconds, or `None` for "everything so far".
    pub fn seconds(self) -> Option<Seconds> {
        match self {
            Self::Day => Some(DAY),
            Self::Week => Some(7 * DAY),
            Self::Month => Some(30 * DAY),
            Self::Custom(n) => Some(Seconds::from(n.max(1)) * DAY),
            Self::Everything => None,
        }
    }
}

/// Playback speed in days of data per second of wall time.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Speed(pub f32);

impl Default for Speed {
    fn default() -> Self {
        Self(7.0)
    }
}

impl Speed {
    /// Choices offered in the UI.
    pub const CHOICES: [f32; 5] = [1.0, 7.0, 30.0, 90.0, 365.0];

    /// Label like "1 week / s".
    pub fn label(self) -> String {
        match self.0 {
            x if (x - 1.0).abs() < 1e-3 => "1 day/s".to_owned(),
            x if (x - 7.0).abs() < 1e-3 => "1 week/s".to_owned(),
            x if (x - 30.0).abs() < 1e-3 => "1 month/s".to_owned(),
            x if (x - 90.0).abs() < 1e-3 => "3 months/s".to_owned(),
            x if (x - 365.0).abs() < 1e-3 => "1 year/s".to_owned(),
            x => format!("{x} days/s"),
        }
    }
}

/// The time cursor and its window over a data span.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Timeline {
    /// End of the window (exclusive).
    pub cursor: Seconds,
    /// Window length.
    pub len: WindowLen,
    /// Whether playback is running.
    pub playing: bool,
    /// Playback speed.
    pub speed: Speed,
    /// Start and end of the data (cursor range).
    pub span: (Seconds, Seconds),
}

impl Timeline {
    /// A timeline over `span` with the cursor at its end (so everything is visible at first).
    pub fn new(span: (Seconds, Seconds), len: WindowLen, speed: Speed) -> Self {
        Self {
            cursor: span.1,
            len,
            playing: false,
            speed,
            span,
        }
    }

    /// The current window `[from, to)`.
    pub fn window(&self) -> (Seconds, Seconds) {
        let from = match self.len.seconds() {
            Some(l) => self.cursor - l,
            None => self.span.0.min(self.cursor - 1),
        };
        (from, self.cursor)
    }

    /// Move the cursor, clamped to the data span (the window may start before the data).
    pub fn set_cursor(&mut self, t: Seconds) {
        let min = self.span.0
            + self
                .len
                .seconds()
                .unwrap_or(DAY)
                .min(self.span.1 - self.span.0);
        self.cursor = t.clamp(min.min(self.span.1), self.span.1);
    }

    /// Step by one window length (one day for "everything").
    pub fn step(&mut self, direction: i64) {
        let step = self.len.seconds().unwrap_or(DAY);
        self.set_cursor(self.cursor + direction * step);
    }

    /// Move so the next event after the window's end is just inside the window.
    pub fn next_event(&mut self, store: &EventStore) {
        if let Some(i) = store.next_event_after(self.cursor - 1)
            && let Some((start, end)) = store.time(i)
        {
            // end the window at the end of that event's first day (or its end, if shorter)
            self.set_cursor(end.min(start + DAY));
        }
    }

    /// Move so the window ends just after the previous event (the last one starting before
    /// the current window's start, or before the cursor for "everything").
    pub fn prev_event(&mut self, store: &EventStore) {
        let (from, to) = self.window();
        let pivot = if self.len == WindowLen::Everything {
            to - 1
        } else {
            from
        };
        let pivot = self.latest_start_before(store, pivot);
        if let Some((start, end)) = pivot.and_then(|i| store.time(i)) {
            self.set_cursor(end.min(start + DAY));
        }
    }

    fn latest_start_before(&self, store: &EventStore, t: Seconds) -> Option<usize> {
        let i = store.prev_event_before(t)?;
        // skip events whose first day already ends at or after the cursor
        let mut i = i;
        loop {
            let (start, end) = store.time(i)?;
            if end.min(start + DAY) < self.cursor {
                return Some(i);
            }
            i = i.checked_sub(1)?;
        }
    }

    /// Advance playback by `dt` seconds of wall time. Returns false (and stops) at the end.
    pub fn advance(&mut self, dt: f32) -> bool {
        if !self.playing {
            return false;
        }
        let delta = (f64::from(dt) * f64::from(self.speed.0) * DAY as f64).round() as Seconds;
        self.set_cursor(self.cursor + delta.max(1));
        if self.cursor >= self.span.1 {
            self.playing = false;
        }
        self.playing
    }

    /// Start or stop playback; starting at the end rewinds to the beginning first.
    pub fn toggle_play(&mut self) {
        if self.playing {
            self.playing = false;
        } else {
            if self.cursor >= self.span.1 {
                self.set_cursor(self.span.0);
            }
            self.playing = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tl(len: WindowLen) -> Timeline {
        Timeline::new((10 * DAY, 100 * DAY), len, Speed(1.0))
    }

    #[test]
    fn window_ends_at_cursor() {
        let mut t = tl(WindowLen::Week);
        assert_eq!(t.window(), (93 * DAY, 100 * DAY));
        t.step(-1);
        assert_eq!(t.window(), (86 * DAY, 93 * DAY));
        let e = tl(WindowLen::Everything);
        assert_eq!(e.window(), (10 * DAY, 100 * DAY));
    }

    #[test]
    fn cursor_is_clamped() {
        let mut t = tl(WindowLen::Day);
        t.set_cursor(0);
        assert_eq!(t.cursor, 11 * DAY);
        t.set_cursor(1_000 * DAY);
        assert_eq!(t.cursor, 100 * DAY);
    }

    #[test]
    fn playing_advances_and_stops_at_the_end() {
        let mut t = tl(WindowLen::Day);
        t.toggle_play();
        assert!(t.playing);
        assert_eq!(t.cursor, 11 * DAY, "play at the end rewinds");
        t.advance(2.0);
        assert_eq!(t.cursor, 13 * DAY);
        t.advance(1_000.0);
        assert!(!t.playing);
        assert_eq!(t.cursor, 100 * DAY);
    }
}
