//! KML time values (TimeStamp, TimeSpan, and dates of ExtendedData fields) as event times.

use std::ops::Range;

use kml::types::Element;

use super::super::RejectReason;
use super::super::fields::q;
use super::super::records::Refusal;
use super::super::time::{self, DayOrder, ParsedTime, combine, parse_time_str};
use super::child_text;
use crate::model::{DAY, EventTime, Seconds, TimePrecision};

/// A TimeSpan's time: begin to end (a date end inclusive); an open span is read from the end
/// it has.
pub(super) fn time_span(el: &Element) -> Result<Dated, Refusal> {
    let read = |what: &str| -> Result<Option<(When, &str)>, Refusal> {
        let Some(s) = child_text(el, what) else {
            return Ok(None);
        };
        let w = parse_when(s).ok_or_else(|| {
            (
                RejectReason::InvalidDate,
                format!("TimeSpan {what} {} is not a date", q(s)),
            )
        })?;
        Ok(Some((w, s)))
    };
    match (read("begin")?, read("end")?) {
        (Some((b, bs)), Some((e, es))) => Dated::span(b, e, &format!("{bs} – {es}")),
        (Some((w, s)), None) | (None, Some((w, s))) => {
            let mut d = Dated::of(w, s);
            d.note = Some("the TimeSpan has only one end: the event is placed at it".into());
            Ok(d)
        }
        (None, None) => Err((
            RejectReason::MissingDate,
            "its TimeSpan has neither <begin> nor <end>".into(),
        )),
    }
}

/// A placemark's time and how it was read.
#[derive(Debug)]
pub(super) struct Dated {
    pub(super) time: EventTime,
    /// The text it was read from, for messages.
    pub(super) raw: String,
    /// Why the time is what it is, for the event.
    pub(super) note: Option<String>,
    /// Whether only a month or a year is given.
    pub(super) partial: bool,
    /// The ExtendedData field it came from, if it did.
    pub(super) field: Option<String>,
}

impl Dated {
    pub(super) fn of(w: When, raw: &str) -> Self {
        Self {
            time: w.time(),
            raw: raw.to_owned(),
            note: None,
            partial: matches!(w, When::Period(..)),
            field: None,
        }
    }

    pub(super) fn span(begin: When, end: When, raw: &str) -> Result<Self, Refusal> {
        if end.end() < begin.start() {
            return Err((
                RejectReason::InvalidDate,
                format!("{} ends before it begins", q(raw)),
            ));
        }
        let time = match (begin, end) {
            // Two dates or date-times: the shared rule (an end date is inclusive, a one-day
            // span is that day).
            (When::At(b), When::At(e)) => combine(b, Some(e), None),
            _ => EventTime::range(begin.start(), end.end()),
        };
        Ok(Self {
            time,
            raw: raw.to_owned(),
            note: None,
            partial: false,
            field: None,
        })
    }
}

/// A KML time value: an instant or date, or a whole month or year (xsd:gYearMonth, xsd:gYear).
#[derive(Clone, Copy, Debug)]
pub(super) enum When {
    At(ParsedTime),
    /// `[start, end)`.
    Period(Seconds, Seconds),
}

impl When {
    fn start(self) -> Seconds {
        match self {
            Self::At(p) => p.at,
            Self::Period(a, _) => a,
        }
    }

    /// The end of the time it names: a date includes its whole day.
    fn end(self) -> Seconds {
        match self {
            Self::At(p) if p.precision == TimePrecision::Day => p.at + DAY,
            Self::At(p) => p.at,
            Self::Period(_, b) => b,
        }
    }

    fn time(self) -> EventTime {
        match self {
            Self::At(p) => combine(p, None, None),
            // A month or year not over yet ends today: the rest of it is in the future.
            Self::Period(a, b) => EventTime::range(a, b.min(today_end()).max(a + DAY)),
        }
    }
}

/// The end of today (UTC).
fn today_end() -> Seconds {
    (jiff::Timestamp::now().as_second().div_euclid(DAY) + 1) * DAY
}

/// A KML `when`/`begin`/`end`: xsd:dateTime, xsd:date, "2023-10" (a month) or "2023" (a year).
pub(super) fn parse_when(s: &str) -> Option<When> {
    let s = s.trim();
    let digits = |r: Range<usize>| s.get(r).filter(|d| d.bytes().all(|b| b.is_ascii_digit()));
    if s.len() == 4 {
        let y: i16 = digits(0..4)?.parse().ok()?;
        let start = civil(y, 1)?;
        return Some(When::Period(start, civil(y.checked_add(1)?, 1)?));
    }
    if s.len() == 7 && s.as_bytes()[4] == b'-' {
        let y: i16 = digits(0..4)?.parse().ok()?;
        let m: i8 = digits(5..7)?.parse().ok()?;
        let start = civil(y, m)?;
        let end = if m == 12 {
            civil(y.checked_add(1)?, 1)?
        } else {
            civil(y, m + 1)?
        };
        return Some(When::Period(start, end));
    }
    parse_time_str(s).map(When::At)
}

/// Midnight UTC of the first of a month.
fn civil(y: i16, m: i8) -> Option<Seconds> {
    time::date_seconds(jiff::civil::Date::new(y, m, 1).ok()?)
}

/// A date field's value: a KML time form, else the date forms of exports ("07/10/2023" in the
/// file's day order, "7 October 2023").
pub(super) fn field_when(s: &str, order: &DayOrder) -> Option<When> {
    parse_when(s).or_else(|| {
        time::parse_loose_date(s, order).map(|at| {
            When::At(ParsedTime {
                at,
                precision: TimePrecision::Day,
            })
        })
    })
}
