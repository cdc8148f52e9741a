//! Date and time parsing shared by the importers.
//!
//! Every accepted form maps to an [`EventTime`] whose precision says what the text really
//! said: "2025-07-10" is a day, not midnight.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

use std::sync::atomic::{AtomicI64, Ordering as AtomicOrdering};

use crate::model::{DAY, EventTime, Seconds, TimePrecision};

/// Epoch values above this are taken as milliseconds (year ~2286 in seconds), when a single
/// value has to decide; a column decides from all its values ([`EpochUnit::for_column`]).
const MILLIS_THRESHOLD: f64 = 1.0e10;

/// 1900-01-01: earlier dates in an event file are typos, 2-digit years, days read as years
/// or misread epochs, not facts.
pub const EARLIEST_PLAUSIBLE: Seconds = -2_208_988_800;

/// How far past the clock a date may lie (time zones, a clock a little behind).
const FUTURE_SLACK: Seconds = 2 * DAY;

/// The latest plausible moment, refreshed at the start of each load ([`begin_load`]).
static LATEST_PLAUSIBLE: AtomicI64 = AtomicI64::new(i64::MIN);

/// Fix "now" for the plausibility check of one load, so that a file is judged against one
/// clock reading and a long-running app does not judge today's file by last week's clock.
pub fn begin_load() {
    let now = jiff::Timestamp::now().as_second();
    LATEST_PLAUSIBLE.store(now + FUTURE_SLACK, AtomicOrdering::Relaxed);
}

fn latest_plausible() -> Seconds {
    let v = LATEST_PLAUSIBLE.load(AtomicOrdering::Relaxed);
    if v == i64::MIN {
        begin_load();
        return LATEST_PLAUSIBLE.load(AtomicOrdering::Relaxed);
    }
    v
}

/// Whether a moment can be the date of a reported event: from 1900 to (about) now.
pub fn is_plausible(at: Seconds) -> bool {
    (EARLIEST_PLAUSIBLE..=latest_plausible()).contains(&at)
}

/// Why an event time is not taken as a fact ("2286-11-20 is in the future"), if it is not
/// plausible: the record then goes to `implausible_date`, not onto the map.
pub fn implausible(t: &EventTime) -> Option<String> {
    let why = |at: Seconds| {
        let date = jiff::Timestamp::from_second(at)
            .map(|ts| ts.strftime("%Y-%m-%d").to_string())
            .unwrap_or_else(|_| format!("a date around the year {}", 1970 + at / 31_556_952));
        if at < EARLIEST_PLAUSIBLE {
            format!("{date} is before 1900")
        } else {
            format!("{date} is in the future")
        }
    };
    if !is_plausible(t.start) {
        Some(why(t.start))
    } else if !is_plausible(t.end - 1) {
        Some(format!("it ends {}", why(t.end - 1)))
    } else {
        None
    }
}

/// Whether a column's epoch numbers count seconds or milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EpochUnit {
    /// Decide per value by magnitude (a lone value, no column to look at).
    #[default]
    Guess,
    /// Seconds since 1970.
    Seconds,
    /// Milliseconds since 1970.
    Millis,
}

impl EpochUnit {
    /// Decide for a column from all its numeric values, by the size of its median: above
    /// 1e11 (year 5138 in seconds, 1973 in milliseconds) it counts milliseconds. A few odd
    /// values do not move the median, so they are read in the column's unit and then found
    /// implausible; deciding per value by size turned a year-1 seconds value into 1968 and
    /// 9999-12-31 into 1978.
    pub fn for_column<I: IntoIterator<Item = f64>>(values: I) -> Self {
        let mut mags: Vec<f64> = values
            .into_iter()
            .filter(|n| n.is_finite())
            .map(f64::abs)
            .collect();
        if mags.is_empty() {
            return Self::Guess;
        }
        let mid = mags.len() / 2;
        let (_, median, _) = mags.select_nth_unstable_by(mid, f64::total_cmp);
        if *median > 1e11 {
            Self::Millis
        } else {
            Self::Seconds
        }
    }

    /// The numbers among a column's texts that would be read as epochs.
    pub fn for_texts<'a, I: IntoIterator<Item = &'a str>>(values: I) -> Self {
        Self::for_column(values.into_iter().filter_map(epoch_number))
    }
}

/// A text that is an epoch number: digits (with a sign or a fraction), not an 8-digit
/// YYYYMMDD date and not so short it can only be a year or a count.
pub(super) fn epoch_number(s: &str) -> Option<f64> {
    let s = s.trim();
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    if digits < 8 || (s.len() == 8 && digits == 8) {
        return None;
    }
    s.parse::<f64>().ok().filter(|n| n.is_finite())
}

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
    parse_time_in(s, EpochUnit::Guess)
}

/// [`parse_time_str`] with epoch numbers read in the column's unit.
pub fn parse_time_in(s: &str, unit: EpochUnit) -> Option<ParsedTime> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        // 8 digits is YYYYMMDD (GDELT style).
        return parse_yyyymmdd(s);
    }
    if s.parse::<f64>().is_ok() {
        // A shorter number is a year, a count or an Excel day number, not seconds since 1970.
        return epoch_in(epoch_number(s)?, unit);
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
    // looser forms with strptime as a last resort. Only with a four-digit year first: %Y
    // also takes "26" of "26/10/25", which made a day the year 26.
    let year_first = s.len() >= 5
        && s.as_bytes()[..4].iter().all(u8::is_ascii_digit)
        && matches!(s.as_bytes()[4], b'-' | b'/');
    if !year_first {
        return None;
    }
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
    epoch_in(n, EpochUnit::Guess)
}

/// An epoch number in the given unit as a minute-precision time.
pub fn epoch_in(n: f64, unit: EpochUnit) -> Option<ParsedTime> {
    if !n.is_finite() {
        return None;
    }
    let millis = match unit {
        EpochUnit::Guess => n.abs() > MILLIS_THRESHOLD,
        EpochUnit::Seconds => false,
        EpochUnit::Millis => true,
    };
    let secs = if millis { n / 1000.0 } else { n };
    // Kept even beyond the calendar's range (year 9999), so that the record is reported as
    // an implausible date rather than an unreadable one; bounded so that arithmetic on it
    // cannot overflow.
    let at = secs.floor().clamp(-1e13, 1e13) as i64;
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

/// Values proving the day/month order, the first of each kind in file order: the rule every
/// importer decides numeric dates by, also when a large file is read in parallel parts whose
/// evidence is merged in order.
#[derive(Clone, Debug, Default)]
pub struct DateEvidence {
    /// A value whose first number is above 12.
    day_first: Option<String>,
    /// A value whose second number is above 12.
    month_first: Option<String>,
}

impl DateEvidence {
    /// Look at one date value; true once both kinds of evidence are in (nothing can change).
    pub fn see(&mut self, v: &str) -> bool {
        if let Some((a, b, _)) = numeric_parts(v) {
            if a > 12 && self.day_first.is_none() {
                self.day_first = Some(v.to_owned());
            }
            if b > 12 && self.month_first.is_none() {
                self.month_first = Some(v.to_owned());
            }
        }
        self.day_first.is_some() && self.month_first.is_some()
    }

    /// Add the evidence of values that come after these.
    pub fn merge(&mut self, later: DateEvidence) {
        if self.day_first.is_none() {
            self.day_first = later.day_first;
        }
        if self.month_first.is_none() {
            self.month_first = later.month_first;
        }
    }

    /// The order the values prove: month-first only when a second number is above 12 and
    /// never a first one; day-first otherwise (also without any evidence).
    pub fn order(&self) -> DayOrder {
        match (&self.day_first, &self.month_first) {
            (None, Some(e)) => DayOrder::MonthFirst {
                evidence: e.clone(),
            },
            (d, _) => DayOrder::DayFirst {
                evidence: d.clone(),
            },
        }
    }
}

/// Decide day/month order for a file from its values: a first number above 12 means
/// day-first, a second number above 12 means month-first. Without evidence, day-first.
pub fn date_order_for<I: IntoIterator<Item = S>, S: AsRef<str>>(values: I) -> DayOrder {
    let mut evidence = DateEvidence::default();
    for v in values {
        if evidence.see(v.as_ref()) {
            break;
        }
    }
    evidence.order()
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
    fn epoch_unit_is_decided_per_column() {
        // The values the size guess got wrong, among seconds values.
        let col = ["1752105600", "-62135596800", "253402300799", "1752192000"];
        let unit = EpochUnit::for_texts(col);
        assert_eq!(unit, EpochUnit::Seconds);
        let year1 = parse_time_in(col[1], unit).unwrap();
        let y9999 = parse_time_in(col[2], unit).unwrap();
        assert!(implausible(&EventTime::at(year1.at, TimePrecision::Minute)).is_some());
        let why = implausible(&EventTime::at(y9999.at, TimePrecision::Minute)).unwrap();
        assert!(why.ends_with("is in the future"), "{why}");
        // A column of milliseconds, one of them small enough to pass for seconds.
        let ms = ["1752105600000", "1752192000000", "1700000000"];
        let unit = EpochUnit::for_texts(ms);
        assert_eq!(unit, EpochUnit::Millis);
        assert_eq!(parse_time_in(ms[0], unit).unwrap().at, 1_752_105_600);
        assert_eq!(parse_time_in(ms[2], unit).unwrap().at, 1_700_000);
        // Short numbers are not epochs; 8 digits stay YYYYMMDD.
        assert_eq!(parse_time_in("2025", EpochUnit::Seconds), None);
        assert_eq!(parse_time_in("45123", EpochUnit::Guess), None);
        assert_eq!(
            parse_time_in("20250710", EpochUnit::Millis).unwrap().at,
            1_752_105_600
        );
    }

    #[test]
    fn plausible_dates_run_from_1900_to_now() {
        let day = |s: &str| EventTime::at(parse_time_str(s).unwrap().at, TimePrecision::Day);
        assert_eq!(implausible(&day("2025-07-10")), None);
        assert_eq!(implausible(&day("1900-01-01")), None);
        assert_eq!(
            implausible(&day("1899-12-31")).as_deref(),
            Some("1899-12-31 is before 1900")
        );
        assert!(implausible(&day("2999-01-01")).is_some());
        let now = jiff::Timestamp::now().as_second();
        assert_eq!(implausible(&EventTime::at(now, TimePrecision::Day)), None);
    }

    #[test]
    fn garbage_is_none() {
        assert!(parse_time_str("").is_none());
        assert!(parse_time_str("yesterday").is_none());
        assert!(parse_time_str("2025-13-45").is_none());
        // A day is never read as a year ("26/10/25" once became the year 26).
        assert!(parse_time_str("26/10/25").is_none());
        assert!(parse_time_str("05/10/2023 14:00").is_none());
        assert_eq!(
            parse_time_str("2023/10/05").map(|t| t.precision),
            Some(TimePrecision::Day)
        );
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
