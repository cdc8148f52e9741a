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
    /// Playback starts again at the beginning when it reaches the end.
    pub looping: bool,
    /// Wall-clock time (seconds, from the UI's clock) of the last playback tick, and the part
    /// of a day of data not yet stepped (the cursor moves in whole days).
    clock: Option<(f64, f64)>,
}

impl Timeline {
    /// A timeline over `span` with the cursor at its end (so everything is visible at first).
    /// The span is widened to whole UTC days: the cursor always sits on a day boundary, so a
    /// window is always whole days and its label names exactly the days it holds.
    pub fn new(span: (Seconds, Seconds), len: WindowLen, speed: Speed) -> Self {
        let start = span.0.div_euclid(DAY) * DAY;
        let end = ceil_day(span.1.max(span.0 + 1));
        Self {
            cursor: end,
            len,
            playing: false,
            speed,
            span: (start, end),
            looping: false,
            clock: None,
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

    /// Move the cursor to the end of the day holding `t - 1` (a boundary stays put), clamped
    /// to the data span (the window may start before the data).
    pub fn set_cursor(&mut self, t: Seconds) {
        let min = self.span.0
            + self
                .len
                .seconds()
                .unwrap_or(DAY)
                .min(self.span.1 - self.span.0);
        self.cursor = ceil_day(t).clamp(min.min(self.span.1), self.span.1);
    }

    /// Step by one window length (one day for "everything").
    pub fn step(&mut self, direction: i64) {
        let step = self.len.seconds().unwrap_or(DAY);
        self.set_cursor(self.cursor + direction * step);
    }

    /// Move so the next event after the window's end is just inside the window.
    pub fn next_event(&mut self, store: &EventStore) {
        if let Some(i) = store.next_event_after(self.cursor - 1)
            && let Some((start, _)) = store.time(i)
        {
            // End the window at the end of the day the event starts on.
            self.set_cursor(start + 1);
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
        if let Some((start, _)) = pivot.and_then(|i| store.time(i)) {
            self.set_cursor(start + 1);
        }
    }

    fn latest_start_before(&self, store: &EventStore, t: Seconds) -> Option<usize> {
        let i = store.prev_event_before(t)?;
        // skip events whose first day already ends at or after the cursor
        let mut i = i;
        loop {
            let (start, _) = store.time(i)?;
            // Where `set_cursor` would put the window's end for it (the end of its first day).
            if ceil_day(start + 1) < self.cursor {
                return Some(i);
            }
            i = i.checked_sub(1)?;
        }
    }

    /// Advance playback to wall-clock time `now` (seconds, any origin: egui's input time).
    /// The cursor moves by the time passed since the last tick times the speed, whatever the
    /// frame rate, in whole days (the part of a day left over is carried to the next tick).
    /// A pause longer than a second (a stalled or hidden window) counts as one second. At the
    /// end playback stops, or starts again at the beginning when looping. Returns whether it
    /// is still playing.
    pub fn tick(&mut self, now: f64) -> bool {
        if !self.playing {
            self.clock = None;
            return false;
        }
        let (last, carry) = self.clock.unwrap_or((now, 0.0));
        let dt = (now - last).clamp(0.0, 1.0);
        let days = carry + dt * f64::from(self.speed.0);
        let whole = days.floor();
        self.clock = Some((now, days - whole));
        if whole >= 1.0 {
            self.advance_days(whole as i64);
        }
        self.playing
    }

    /// Move the playing cursor forward by `days`, stopping or wrapping at the end.
    fn advance_days(&mut self, days: i64) {
        if self.cursor >= self.span.1 {
            if self.looping {
                self.rewind();
            } else {
                self.playing = false;
            }
            return;
        }
        self.set_cursor(self.cursor + days * DAY);
        if self.cursor >= self.span.1 && !self.looping {
            self.playing = false;
        }
    }

    /// The cursor at the first position of the data (one window in).
    fn rewind(&mut self) {
        self.set_cursor(self.span.0);
    }

    /// Start or stop playback; starting at the end rewinds to the beginning first.
    pub fn toggle_play(&mut self) {
        if self.playing {
            self.playing = false;
        } else {
            if self.cursor >= self.span.1 {
                self.rewind();
            }
            self.playing = true;
            self.clock = None;
        }
    }
}

/// What the UI asks of the timeline; applied by [`Timeline::apply`].
#[derive(Clone, Debug, PartialEq)]
pub enum TimelineCommand {
    /// Move the cursor.
    SetCursor(Seconds),
    /// Change the window length.
    SetWindow(WindowLen),
    /// Start / stop playback.
    TogglePlay,
    /// Playback speed.
    SetSpeed(Speed),
    /// Loop playback (start again at the beginning at the end).
    SetLoop(bool),
    /// Step the cursor by one window (+1 forward, -1 back).
    StepWindow(i64),
    /// Jump to the next event (+1) or the previous one (-1).
    JumpEvent(i64),
}

impl Timeline {
    /// Apply one timeline command (`store`: for jumps between events).
    pub fn apply(&mut self, command: TimelineCommand, store: &EventStore) {
        match command {
            TimelineCommand::SetCursor(t) => self.set_cursor(t),
            TimelineCommand::SetWindow(w) => {
                self.len = w;
                self.set_cursor(self.cursor);
            }
            TimelineCommand::TogglePlay => self.toggle_play(),
            TimelineCommand::SetSpeed(s) => self.speed = s,
            TimelineCommand::SetLoop(on) => self.looping = on,
            TimelineCommand::StepWindow(d) => self.step(d),
            TimelineCommand::JumpEvent(d) if d > 0 => self.next_event(store),
            TimelineCommand::JumpEvent(_) => self.prev_event(store),
        }
    }

    /// The same settings (window, speed, looping) over a new data span, cursor at its end:
    /// for new data.
    pub fn with_span(&self, span: (Seconds, Seconds)) -> Self {
        let mut t = Self::new(span, self.len, self.speed);
        t.looping = self.looping;
        t
    }
}

/// The first day boundary (UTC midnight) at or after `t`.
pub fn ceil_day(t: Seconds) -> Seconds {
    t.div_euclid(DAY) * DAY + if t.rem_euclid(DAY) == 0 { 0 } else { DAY }
}

/// What a typed date jump asks: the cursor (the end of the last day) and, for a range, the
/// window's length in days. Accepts "2024-01-31" and ranges "2024-01-01..2024-01-31",
/// "2024-01-01 to 2024-01-31", "2024-01-01 – 2024-01-31" (both days inclusive).
pub fn parse_date_jump(text: &str) -> Result<(Seconds, Option<u32>), String> {
    let day = |t: &str| -> Result<Seconds, String> {
        let d: jiff::civil::Date = t
            .trim()
            .parse()
            .map_err(|_| format!("\"{}\" is not a date (YYYY-MM-DD)", t.trim()))?;
        d.to_zoned(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp().as_second())
            .map_err(|e| e.to_string())
    };
    let text = text.trim();
    let parts: Option<(&str, &str)> = ["..", " to ", "–", "—", " - "]
        .iter()
        .find_map(|sep| text.split_once(sep));
    match parts {
        None => Ok((day(text)? + DAY, None)),
        Some((a, b)) => {
            let (a, b) = (day(a)?, day(b)?);
            if b < a {
                return Err("the range ends before it starts".to_owned());
            }
            let days = u32::try_from((b - a) / DAY + 1).map_err(|e| e.to_string())?;
            Ok((b + DAY, Some(days)))
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
    fn playing_advances_by_wall_clock_and_stops_at_the_end() {
        let mut t = tl(WindowLen::Day);
        t.toggle_play();
        assert!(t.playing);
        assert_eq!(t.cursor, 11 * DAY, "play at the end rewinds");
        // Slow frames (0.5 s each) at 1 day/s: two frames are two days, not capped.
        t.tick(100.0);
        t.tick(100.5);
        assert_eq!(t.cursor, 11 * DAY, "half a day is carried, not stepped");
        t.tick(101.0);
        assert_eq!(t.cursor, 12 * DAY);
        // Many fast frames add up to the same.
        for k in 1..=60 {
            t.tick(101.0 + f64::from(k) / 60.0);
        }
        assert_eq!(t.cursor, 13 * DAY);
        t.speed = Speed(7.0);
        t.tick(103.0);
        assert_eq!(t.cursor, 20 * DAY, "1 week/s: a second is 7 days");
        for k in 0..200 {
            t.tick(104.0 + f64::from(k));
        }
        assert!(!t.playing);
        assert_eq!(t.cursor, 100 * DAY);
    }

    #[test]
    fn previous_and_next_event_move_by_whole_days() {
        let ev = |s: i64, e: i64| {
            crate::model::Event::new(
                format!("{s}"),
                crate::model::EventTime::range(s, e),
                crate::model::Location {
                    lat: 50.0,
                    lon: 30.0,
                    precision: crate::model::LocationPrecision::Exact,
                    place: None,
                    admin1: None,
                    country: None,
                },
            )
        };
        // An overnight event (22:00 → 04:00) and one on day 40.
        let events = vec![
            ev(20 * DAY + 22 * 3600, 21 * DAY + 4 * 3600),
            ev(40 * DAY, 41 * DAY),
        ];
        let store = EventStore::new(vec![std::sync::Arc::new(
            crate::store::DatasetData::from_events(
                crate::store::Dataset {
                    id: Default::default(),
                    name: "t".into(),
                    records: 2,
                    loaded: 2,
                },
                events,
            ),
        )]);
        let mut t = Timeline::new((10 * DAY, 100 * DAY), WindowLen::Day, Speed(1.0));
        t.prev_event(&store);
        assert_eq!(t.cursor, 41 * DAY, "back to the day-40 event");
        t.prev_event(&store);
        assert_eq!(
            t.cursor,
            21 * DAY,
            "back to the overnight event's first day"
        );
        t.next_event(&store);
        assert_eq!(t.cursor, 41 * DAY);
    }

    #[test]
    fn looping_starts_again() {
        let mut t = tl(WindowLen::Day);
        t.looping = true;
        t.toggle_play();
        t.set_cursor(99 * DAY);
        t.tick(0.0);
        t.tick(1.0);
        assert_eq!(t.cursor, 100 * DAY);
        t.tick(2.0);
        assert!(t.playing, "looping keeps playing");
        assert_eq!(t.cursor, 11 * DAY, "and starts at the beginning");
    }

    #[test]
    fn the_cursor_stays_on_day_boundaries() {
        let mut t = Timeline::new((10 * DAY + 3600, 20 * DAY + 60), WindowLen::Day, Speed(1.0));
        assert_eq!(t.span, (10 * DAY, 21 * DAY));
        assert_eq!(t.cursor, 21 * DAY);
        t.set_cursor(15 * DAY + 1);
        assert_eq!(t.cursor, 16 * DAY);
        t.set_cursor(15 * DAY);
        assert_eq!(t.cursor, 15 * DAY);
        assert_eq!(ceil_day(-1), 0);
    }

    #[test]
    fn a_typed_date_or_range_gives_the_cursor_and_window() {
        let jan31 = 1_706_659_200; // 2024-01-31 00:00 UTC
        assert_eq!(parse_date_jump("2024-01-31"), Ok((jan31 + DAY, None)));
        for t in [
            "2024-01-01..2024-01-31",
            "2024-01-01 to 2024-01-31",
            "2024-01-01 – 2024-01-31",
        ] {
            assert_eq!(parse_date_jump(t), Ok((jan31 + DAY, Some(31))), "{t}");
        }
        assert!(parse_date_jump("2024-02-30").is_err());
        assert!(parse_date_jump("2024-02-01..2024-01-01").is_err());
    }
}
