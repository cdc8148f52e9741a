//! Date and time parsing shared by the importers.
//!
//! Every accepted form maps to an [`EventTime`] whose precision says what the text really
//! said: "2025-07-10" is a day, not midnight.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

use crate::model::{DAY, EventTime, Seconds, TimePrecision};

/// Epoch values above this are taken as milliseconds (year ~2286 in seconds).
const MILLIS_THRESHOLD: f64 = 1.0e10;

/// A parsed point in time and the precision its text carried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParsedTime {
    /// Seconds since the epoch (UTC); for a date, its midnight UTC.
    pub at: Seconds,
    /// What the text said: a date → `Day`, "10:30" → `Minute`, "10:00 (hour)" → `Minute` too.
    pub precision: TimePrecision,
}

/// Parse a date or date-time string. Accepts ISO 8601 dates, date-times with `T` or a space,
/// with or without seconds and with `Z`, an offset or nothing (taken as UTC), and epoch seconds
/// or milliseconds given as digits.
pub fn parse_time_str(s: &str) -> Option<ParsedTime> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(n) = s.parse::<f64>() {
        // Plain digits: 8 digits is YYYYMMDD (GDELT style), otherwise epoch.
        if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
            return parse_yyyymmdd(s);
        }
        return epoch(n);
    }
    if let Ok(ts) = s.parse::<jiff::Timestamp>() {
        return Some(ParsedTime {
            at: ts.as_second(),
            precision: TimePrecision::Minute,
        });
    }
    // jiff's Date parser also accepts a date-time (dropping the time), so only plain
    // 10-character dates are read as days.
    if s.len() == 10
        && let Ok(d) = s.parse::<Date>()
    {
        return Some(ParsedTime {
            at: date_seconds(d)?,
            precision: TimePrecision::Day,
        });
    }
    if let Ok(dt) = s.parse::<DateTime>() {
        return Some(ParsedTime {
            at: datetime_seconds(dt)?,
            precision: TimePrecision::Minute,
        });
    }
    // "2025-07-10 01:30" without seconds is accepted by jiff's DateTime parser; try a few
    // looser forms with strptime as a last resort.
    for (fmt, precision) in [
        ("%Y-%m-%d %H:%M", TimePrecision::Minute),
        ("%Y/%m/%d", TimePrecision::Day),
        ("%Y-%m-%dT%H", TimePrecision::Hour),
    ] {
        if precision == TimePrecision::Day {
            if let Ok(d) = Date::strptime(fmt, s) {
                return Some(ParsedTime {
                    at: date_seconds(d)?,
                    precision,
                });
            }
        } else if let Ok(dt) = DateTime::strptime(fmt, s) {
            return Some(ParsedTime {
                at: datetime_seconds(dt)?,
                precision,
            });
        }
    }
    None
}

/// Epoch seconds or milliseconds (by magnitude) as a minute-precision time.
pub fn epoch(n: f64) -> Option<ParsedTime> {
    if !n.is_finite() {
        return None;
    }
    let secs = if n.abs() > MILLIS_THRESHOLD {
        n / 1000.0
    } else {
        n
    };
    let at = secs.floor() as i64;
    jiff::Timestamp::from_second(at).ok()?;
    Some(ParsedTime {
        at,
        precision: TimePrecision::Minute,
    })
}

fn parse_yyyymmdd(s: &str) -> Option<ParsedTime> {
    let y: i16 = s.get(0..4)?.parse().ok()?;
    let m: i8 = s.get(4..6)?.parse().ok()?;
    let d: i8 = s.get(6..8)?.parse().ok()?;
    let date = Date::new(y, m, d).ok()?;
    Some(ParsedTime {
        at: date_seconds(date)?,
        precision: TimePrecision::Day,
    })
}

/// Midnight UTC of a civil date.
pub fn date_seconds(d: Date) -> Option<Seconds> {
    datetime_seconds(d.to_datetime(jiff::civil::Time::midnight()))
}

fn datetime_seconds(dt: DateTime) -> Option<Seconds> {
    Some(dt.to_zoned(TimeZone::UTC).ok()?.timestamp().as_second())
}

/// Combine a start, an optional end and an optional declared precision into an [`EventTime`].
///
/// An end given as a date is inclusive ("2026-01-01 – 2026-02-28" covers all of 28 February);
/// an end given as a date-time is the exact end.
pub fn combine(
    start: ParsedTime,
    end: Option<ParsedTime>,
    declared: Option<TimePrecision>,
) -> EventTime {
    match end {
        Some(end) => {
            let end_at = if end.precision == TimePrecision::Day {
                end.at + DAY
            } else {
                end.at
            };
            let same_day_span = start.precision == TimePrecision::Day
                && end.precision == TimePrecision::Day
                && end.at == start.at;
            if same_day_span && declared != Some(TimePrecision::Range) {
                EventTime::at(start.at, TimePrecision::Day)
            } else {
                EventTime::range(start.at, end_at)
            }
        }
        None => {
            let precision = match declared {
                // A declared precision may only make the time coarser than the text, never
                // finer: "2025-07-10" with "minute" stays a day.
                Some(p) if coarser(p, start.precision) => p,
                _ => start.precision,
            };
            EventTime::at(start.at, precision)
        }
    }
}

/// Whether `a` is strictly less precise than `b`.
fn coarser(a: TimePrecision, b: TimePrecision) -> bool {
    rank(a) > rank(b)
}

fn rank(p: TimePrecision) -> u8 {
    match p {
        TimePrecision::Minute => 0,
        TimePrecision::Hour => 1,
        TimePrecision::Day => 2,
        TimePrecision::Range => 3,
    }
}

/// Whether numeric dates like 05/03/2022 are day-first or month-first in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DayOrder {
    /// 05/03/2022 is 5 March. `evidence` is a value that proves it (a first number above 12).
    DayFirst {
        /// The value that decided, if any did.
        evidence: Option<String>,
    },
    /// 05/03/2022 is 3 May, proven by `evidence` (a second number above 12).
    MonthFirst {
        /// The value that decided.
        evidence: String,
    },
}

/// Split "05/03/2022 00:00:00" into its three leading numbers.
pub(super) fn numeric_parts(s: &str) -> Option<(u32, u32, i32)> {
    let date = s.split_whitespace().next()?;
    let mut it = date.split(['/', '.', '-']);
    let a: u32 = it.next()?.parse().ok()?;
    let b: u32 = it.next()?.parse().ok()?;
    let y_s = it.next()?;
    if it.next().is_some() || a > 31 {
        return None;
    }
    let y: i32 = y_s.parse().ok()?;
    let y = match (y_s.len(), y) {
        (4, y) => y,
        (2, y) if y < 70 => 2000 + y,
        (2, y) => 1900 + y,
        _ => return None,
    };
    Some((a, b, y))
}

/// Decide day/month order for a file from its values: a first number above 12 means
/// day-first, a second number above 12 means month-first. Without evidence, day-first.
pub fn date_order_for<I: IntoIterator<Item = S>, S: AsRef<str>>(values: I) -> DayOrder {
    let mut day_first = None;
    let mut month_first = None;
    for v in values {
        let v = v.as_ref();
        if let Some((a, b, _)) = numeric_parts(v) {
            if a > 12 && day_first.is_none() {
                day_first = Some(v.to_owned());
            }
            if b > 12 && month_first.is_none() {
                month_first = Some(v.to_owned());
            }
        }
        if day_first.is_some() && month_first.is_some() {
            break;
        }
    }
    match (day_first, month_first) {
        (None, Some(e)) => DayOrder::MonthFirst { evidence: e },
        (d, _) => DayOrder::DayFirst { evidence: d },
    }
}

fn month_from_name(s: &str) -> Option<i8> {
    let l = s.trim().trim_end_matches('.').to_ascii_lowercase();
    let names = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let pos = names.iter().position(|m| l.starts_with(m))?;
    i8::try_from(pos + 1).ok()
}

fn civil(y: i32, m: i8, d: i8) -> Option<Seconds> {
    date_seconds(Date::new(i16::try_from(y).ok()?, m, d).ok()?)
}

/// A calendar day (midnight UTC) from the date forms found in event exports: ISO dates and
/// date-times, "13 December 2019", "9-May-20", "30-Sept-24", "March 15, 2024", and numeric
/// "05/03/2022 [time]" read in `order`.
pub fn parse_loose_date(s: &str, order: &DayOrder) -> Option<Seconds> {
    let s = s.trim();
    if let Some(t) = parse_time_str(s) {
        return Some(t.at.div_euclid(DAY) * DAY);
    }
    if let Some((a, b, y)) = numeric_parts(s) {
        let (d, m) = match order {
            DayOrder::DayFirst { .. } => (a, b),
            DayOrder::MonthFirst { .. } => (b, a),
        };
        return civil(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?);
    }
    let words: Vec<&str> = s
        .split([' ', '-', ',', '/'])
        .filter(|w| !w.is_empty())
        .collect();
    let year = |w: &str| -> Option<i32> {
        let y: i32 = w.parse().ok()?;
        match w.len() {
            4 => Some(y),
            2 if y < 70 => Some(2000 + y),
            2 => Some(1900 + y),
            _ => None,
        }
    };
    match words.as_slice() {
        // 13 December 2019, 9-May-20, 30-Sept-24
        [d, m, y, ..] if d.chars().all(|c| c.is_ascii_digit()) => {
            civil(year(y)?, month_from_name(m)?, d.parse().ok()?)
        }
        // March 15, 2024
        [m, d, y, ..] => civil(year(y)?, month_from_name(m)?, d.parse().ok()?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_forms() {
        let d = parse_time_str("2025-07-10").unwrap();
        assert_eq!(d.precision, TimePrecision::Day);
        assert_eq!(d.at, 1_752_105_600);
        let z = parse_time_str("2025-07-10T01:30:00Z").unwrap();
        assert_eq!(z.at, 1_752_105_600 + 5_400);
        assert_eq!(z.precision, TimePrecision::Minute);
        let off = parse_time_str("2025-07-10T04:30:00+03:00").unwrap();
        assert_eq!(off.at, z.at);
        let naive = parse_time_str("2025-07-10 01:30").unwrap();
        assert_eq!(naive.at, z.at);
        assert_eq!(parse_time_str("20250710").unwrap().at, d.at);
    }

    #[test]
    fn epochs() {
        assert_eq!(parse_time_str("1752105600").unwrap().at, 1_752_105_600);
        assert_eq!(parse_time_str("1752105600000").unwrap().at, 1_752_105_600);
    }

    #[test]
    fn garbage_is_none() {
        assert!(parse_time_str("").is_none());
        assert!(parse_time_str("yesterday").is_none());
        assert!(parse_time_str("2025-13-45").is_none());
    }

    #[test]
    fn date_range_end_is_inclusive() {
        let a = parse_time_str("2026-01-01").unwrap();
        let b = parse_time_str("2026-01-02").unwrap();
        let t = combine(a, Some(b), Some(TimePrecision::Range));
        assert_eq!(t.span(), 2 * DAY);
        assert_eq!(t.precision, TimePrecision::Range);
    }

    #[test]
    fn export_date_forms() {
        let dmy = DayOrder::DayFirst { evidence: None };
        let day = |s: &str| parse_loose_date(s, &dmy).map(crate::model::fmt_date);
        assert_eq!(day("13 December 2019").as_deref(), Some("2019-12-13"));
        assert_eq!(day("01 January 2023").as_deref(), Some("2023-01-01"));
        assert_eq!(day("9-May-20").as_deref(), Some("2020-05-09"));
        assert_eq!(day("30-Sept-24").as_deref(), Some("2024-09-30"));
        assert_eq!(day("2024-03-15").as_deref(), Some("2024-03-15"));
        assert_eq!(day("14/08/2020 00:00:00").as_deref(), Some("2020-08-14"));
        assert_eq!(day("March 15, 2024").as_deref(), Some("2024-03-15"));
        assert_eq!(day("31 February 2024"), None);
        assert_eq!(day("someday"), None);
        let mdy = DayOrder::MonthFirst {
            evidence: "1/22/2014".into(),
        };
        assert_eq!(
            parse_loose_date("1/22/2014 12:00:00 AM", &mdy)
                .map(crate::model::fmt_date)
                .as_deref(),
            Some("2014-01-22")
        );
    }

    #[test]
    fn day_order_is_decided_by_a_number_above_12() {
        assert_eq!(
            date_order_for(["01/02/2020", "14/02/2020"]),
            DayOrder::DayFirst {
                evidence: Some("14/02/2020".into())
            }
        );
        assert_eq!(
            date_order_for(["01/02/2020", "02/14/2020"]),
            DayOrder::MonthFirst {
                evidence: "02/14/2020".into()
            }
        );
        assert_eq!(
            date_order_for(["01/02/2020"]),
            DayOrder::DayFirst { evidence: None }
        );
    }

    #[test]
    fn declared_precision_only_coarsens() {
        let d = parse_time_str("2025-07-10").unwrap();
        assert_eq!(
            combine(d, None, Some(TimePrecision::Minute)).precision,
            TimePrecision::Day
        );
        let m = parse_time_str("2025-07-10T01:00:00Z").unwrap();
        assert_eq!(
            combine(m, None, Some(TimePrecision::Hour)).precision,
            TimePrecision::Hour
        );
    }
}
