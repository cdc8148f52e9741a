//! A column of dates written the ways people write them, read as a whole: ISO dates and
//! date-times, `dd/mm/yyyy` or `mm/dd/yyyy` (decided from the column's values, and said),
//! two-digit years, month names in English and other common languages ("October 8 2023",
//! "8 жовтня 2023", "8 ottobre 2023"), a date missing its year (taken from its neighbours),
//! a month or a year alone (a range), Excel serial day numbers and epoch seconds or
//! milliseconds.
//!
//! A value is never loaded as a date it does not plausibly say: one that reads as a date
//! before 1900 or in the future is re-read in the other field order, and rejected with its
//! value when no order makes it plausible.

use std::cell::Cell;

use super::date_words::{is_filler, month_word};
use super::fields::q;
use super::time::{self, DateEvidence, DayOrder, EpochUnit};
use crate::model::{DAY, EventTime, Seconds, TimePrecision};

/// Days from Excel's day 0 (1899-12-30, as Excel counts with its 1900 leap-year bug) to
/// 1970-01-01.
const EXCEL_EPOCH_DAYS: i64 = 25_569;

/// Why a value is not a date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateFail {
    /// The cell is empty (or a "not reported" sentinel).
    Empty,
    /// The text is not a date in any form we read.
    Unreadable(String),
    /// It reads, but as no plausible date (before 1900, in the future).
    Implausible(String),
}

/// What numbers alone (no separators) mean in a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Numbers {
    /// Seconds or milliseconds since 1970.
    Epoch(EpochUnit),
    /// Excel serial day numbers (days since 1899-12-30, a fraction for the time).
    Excel,
}

/// The parts of a date as written, before they are put in an order.
#[derive(Clone, Debug, Default, PartialEq)]
struct Parts {
    /// Numbers in the order written, with their digit counts.
    nums: Vec<(u32, usize)>,
    /// A month given by name.
    month: Option<i8>,
    /// Hour, minute, second when a time of day was written.
    clock: Option<(i8, i8, i8)>,
    /// The time's UTC offset in minutes ("+0300", "GMT+3"), when one was written.
    offset: i64,
    /// A quarter ("Q4 2023").
    quarter: Option<u32>,
}

/// A column's dates, read as a whole: the order and kind decided from all values, then
/// each value's time or why not.
#[derive(Debug)]
pub struct DateColumn {
    /// Each value's reading, in the order given.
    pub dates: Vec<Result<EventTime, DateFail>>,
    /// What the load report should say about how the column was read.
    pub notes: Vec<String>,
}

/// Read a column of date texts (`None` for an empty cell); `name` is the column's name as
/// the report quotes it.
pub fn read_column(name: &str, values: &[Option<&str>]) -> DateColumn {
    let mut evidence = DateEvidence::default();
    let mut numbers = Vec::new();
    for v in values.iter().flatten() {
        let v = v.trim();
        let year_first = v.len() > 4 && v.as_bytes()[..4].iter().all(u8::is_ascii_digit);
        if let Ok(n) = v.parse::<f64>() {
            numbers.push(n);
        } else if !year_first {
            evidence.see(v);
        }
    }
    let order = evidence.order();
    let numbers = numbers_kind(&numbers);
    let reader = Reader {
        day_first: matches!(order, DayOrder::DayFirst { .. }),
        numbers,
        counts: Default::default(),
    };
    let mut dates: Vec<Result<EventTime, DateFail>> = values
        .iter()
        .map(|v| match v.map(str::trim).filter(|s| !is_sentinel(s)) {
            None => Err(DateFail::Empty),
            Some(s) => reader.read(s),
        })
        .collect();
    let filled = fill_years(values, &mut dates, &reader);
    let mut notes = Vec::new();
    let col = q(name);
    if numbers == Some(Numbers::Excel) {
        notes.push(format!(
            "{col}: numbers read as Excel serial dates (days since 1899-12-30)"
        ));
    }
    if let Some(Numbers::Epoch(unit)) = numbers {
        let unit = if unit == EpochUnit::Millis {
            "milliseconds"
        } else {
            "seconds"
        };
        notes.push(format!("{col}: numbers read as epoch {unit} since 1970"));
    }
    if reader.counts.numeric.get() > 0 {
        notes.push(match &order {
            DayOrder::DayFirst { evidence: Some(e) } => format!(
                "{col}: numeric dates read day first (dd/mm/yyyy): {} has a day above 12",
                q(e)
            ),
            DayOrder::MonthFirst { evidence } => format!(
                "{col}: numeric dates read month first (mm/dd/yyyy): {} has a day above 12 in second place",
                q(evidence)
            ),
            DayOrder::DayFirst { evidence: None } => format!(
                "{col}: numeric dates read day first (dd/mm/yyyy); no value has a number above 12 to prove the order"
            ),
        });
    }
    let reread = reader.counts.reread.get();
    if reread > 0 {
        notes.push(format!(
            "{col}: {reread} date(s) read in the other field order, as the column's order gives no valid date for them"
        ));
    }
    if filled > 0 {
        notes.push(format!(
            "{col}: {filled} date(s) written without a year: the year is taken from the nearest dated row"
        ));
    }
    if reader.counts.two_digit.get() > 0 {
        notes.push(format!(
            "{col}: {} two-digit year(s) read as the nearest past century (…25 → 2025, …87 → 1987)",
            reader.counts.two_digit.get()
        ));
    }
    DateColumn { dates, notes }
}

/// A start and an optional end as one time: an end date is inclusive (it covers that whole
/// day, or month), an end date-time the exact end; a declared precision may only coarsen a
/// single time ([`time::combine`]).
pub fn combine_times(
    start: EventTime,
    end: Option<EventTime>,
    declared: Option<TimePrecision>,
) -> EventTime {
    let parsed = |t: EventTime, is_end: bool| match t.precision {
        TimePrecision::Range => time::ParsedTime {
            at: if is_end { t.end - DAY } else { t.start },
            precision: TimePrecision::Day,
        },
        p => time::ParsedTime {
            at: t.start,
            precision: p,
        },
    };
    if start.precision == TimePrecision::Range && end.is_none() {
        return start;
    }
    time::combine(parsed(start, false), end.map(|e| parsed(e, true)), declared)
}

/// A value that means "not reported": never a date, never a number.
pub fn is_sentinel(s: &str) -> bool {
    let l = s.trim().trim_matches(['(', ')', '[', ']']).to_lowercase();
    l.is_empty()
        || matches!(
            l.as_str(),
            "-" | "--"
                | "—"
                | "–"
                | "?"
                | "??"
                | "n/a"
                | "na"
                | "n.a."
                | "nan"
                | "none"
                | "null"
                | "nil"
                | "unk"
                | "unkn"
                | "unknown"
                | "not known"
                | "not reported"
                | "unreported"
                | "tbd"
                | "tbc"
                | "x"
                | "невідомо"
                | "неизвестно"
                | "н/д"
                | "desconocido"
                | "inconnu"
                | "غير معروف"
        )
}

/// Decide what a column's bare numbers are: epochs (9 or more digits), Excel serials (day
/// numbers of the years 1954–2173), or nothing (years, counts) when neither holds most.
fn numbers_kind(numbers: &[f64]) -> Option<Numbers> {
    if numbers.is_empty() {
        return None;
    }
    let epochs = numbers.iter().filter(|n| n.abs() >= 1e8).count();
    let serials = numbers
        .iter()
        .filter(|n| (20_000.0..100_000.0).contains(*n))
        .count();
    if epochs * 2 > numbers.len() {
        Some(Numbers::Epoch(EpochUnit::for_column(
            numbers.iter().copied(),
        )))
    } else if serials * 2 > numbers.len() {
        Some(Numbers::Excel)
    } else {
        None
    }
}

/// Counts of how values were read, for the notes.
#[derive(Debug, Default)]
struct Counts {
    numeric: Cell<usize>,
    reread: Cell<usize>,
    two_digit: Cell<usize>,
}

/// One column's reading rules.
struct Reader {
    day_first: bool,
    numbers: Option<Numbers>,
    counts: Counts,
}

impl Reader {
    /// One value, with the year it has (values without one come back `Empty` here and are
    /// filled by [`fill_years`]).
    fn read(&self, s: &str) -> Result<EventTime, DateFail> {
        let s = ascii_digits(s);
        let whole = self.read_in_year(&s, None);
        if whole.is_ok() {
            return whole;
        }
        self.range(&s).unwrap_or(whole)
    }

    /// A value that is two dates, "8/10/2023 - 9/10/2023", "8–9 October 2023", "30 Sept – 2
    /// Oct 2023": the range from the first to the end of the second (the first may borrow
    /// the second's month and year).
    fn range(&self, s: &str) -> Option<Result<EventTime, DateFail>> {
        let (a, b) = [" - ", " – ", " — ", "–", "—", " to ", " until ", " till "]
            .iter()
            .find_map(|sep| s.split_once(sep))?;
        let (a, b) = (a.trim(), b.trim());
        let end = self.read_in_year(b, None).ok()?;
        let start = self.read_in_year(a, None).ok().or_else(|| {
            // Borrow what the first lacks from the second: its month and year ("8" of
            // "8–9 October 2023"), or its year ("30 Sept" of "30 Sept – 2 Oct 2023").
            let mut words = b.split_whitespace();
            words.next();
            let rest: Vec<&str> = words.collect();
            (0..rest.len()).rev().find_map(|k| {
                self.read_in_year(&format!("{a} {}", rest[k..].join(" ")), None)
                    .ok()
            })
        })?;
        (end.end > start.start).then(|| Ok(EventTime::range(start.start, end.end)))
    }

    /// One value, with `year` for a value written without one.
    fn read_in_year(&self, s: &str, year: Option<i32>) -> Result<EventTime, DateFail> {
        let unreadable = || DateFail::Unreadable(format!("{} is not a date", q(s)));
        if let Ok(n) = s.parse::<f64>() {
            return self.number(s, n);
        }
        if let Some(t) = time::parse_time_str(s) {
            let t = EventTime::at(t.at, t.precision);
            return plausible(t, s);
        }
        let parts = parts(s).ok_or_else(unreadable)?;
        let candidates = self.candidates(&parts, year);
        if candidates.is_empty() {
            return Err(if year.is_none() && needs_year(&parts) {
                DateFail::Empty
            } else {
                unreadable()
            });
        }
        let mut first_error = None;
        for &(t, primary) in &candidates {
            match plausible(t, s) {
                Ok(t) => {
                    let bump = |c: &Cell<usize>| c.set(c.get() + 1);
                    if !primary && year.is_none() {
                        bump(&self.counts.reread);
                    }
                    if parts.month.is_none() && parts.nums.len() >= 2 {
                        bump(&self.counts.numeric);
                    }
                    let four_digits = parts.nums.iter().any(|&(_, d)| d == 4);
                    if !four_digits && parts.nums.len() >= 2 + usize::from(parts.month.is_none()) {
                        bump(&self.counts.two_digit);
                    }
                    return Ok(t);
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        Err(first_error.unwrap_or_else(unreadable))
    }

    /// A bare number, by what the column's numbers are.
    fn number(&self, s: &str, n: f64) -> Result<EventTime, DateFail> {
        let digits = s.bytes().filter(u8::is_ascii_digit).count();
        let t = if digits == 8 && !s.contains('.') {
            time::parse_time_str(s).map(|p| EventTime::at(p.at, p.precision))
        } else if digits == 4 && n.fract() == 0.0 && (1000.0..3000.0).contains(&n) {
            year_range(n as i32)
        } else {
            match self.numbers {
                Some(Numbers::Excel) => excel_serial(n),
                Some(Numbers::Epoch(unit)) => {
                    time::epoch_in(n, unit).map(|p| EventTime::at(p.at, p.precision))
                }
                None => time::parse_time_str(s).map(|p| EventTime::at(p.at, p.precision)),
            }
        };
        let t = t.ok_or_else(|| DateFail::Unreadable(format!("{} is not a date", q(s))))?;
        plausible(t, s)
    }

    /// The dates the parts can mean, preferred first, each flagged whether it is the
    /// reading in the column's own field order (the others: the other order, and year first
    /// for three short numbers).
    fn candidates(&self, p: &Parts, year: Option<i32>) -> Vec<(EventTime, bool)> {
        let mut out: Vec<(EventTime, bool)> = Vec::new();
        if let (Some(q), [y]) = (p.quarter, p.nums.as_slice()) {
            if let (Some(a), Some(b)) = (
                month_range(y.0 as i32, (q * 3 - 2) as i8),
                month_range(y.0 as i32, (q * 3) as i8),
            ) {
                out.push((EventTime::range(a.start, b.end), true));
            }
            return out;
        }
        if let (Some(m), [d1, d2, y]) = (p.month, p.nums.as_slice())
            && y.1 == 4
            && d1.0 < d2.0
            && d2.0 <= 31
        {
            // "9-10 October 2023": the two days.
            let m = m as u32;
            if let (Some(a), Some(b)) = (
                i8::try_from(d1.0)
                    .ok()
                    .and_then(|d| day_at(y.0 as i32, m as i8, d, None, 0)),
                i8::try_from(d2.0)
                    .ok()
                    .and_then(|d| day_at(y.0 as i32, m as i8, d, None, 0)),
            ) {
                out.push((EventTime::range(a.start, b.end), true));
            }
            return out;
        }
        let mut first = true;
        let mut push = |y: i32, m: u32, d: Option<u32>| {
            let primary = std::mem::replace(&mut first, false);
            let Ok(m) = i8::try_from(m) else { return };
            let t = match d {
                Some(d) => i8::try_from(d)
                    .ok()
                    .and_then(|d| day_at(y, m, d, p.clock, p.offset)),
                None => month_range(y, m),
            };
            if let Some(t) = t
                && !out.iter().any(|(o, _)| *o == t)
            {
                out.push((t, primary));
            }
        };
        let nums: Vec<(u32, usize)> = p.nums.clone();
        match (p.month, nums.as_slice()) {
            // "8 October 2023", "October 8, 2023", "2023 October 8"
            (Some(m), [a, b]) => {
                let (d, y) = if a.1 == 4 || (a.0 > 31 && b.0 <= 31) {
                    (b, a)
                } else {
                    (a, b)
                };
                push(full_year(*y), m as u32, Some(d.0));
            }
            // "October 2023"
            (Some(m), [y]) if y.1 == 4 => push(y.0 as i32, m as u32, None),
            // "8 October": the year from the neighbours
            (Some(m), [d]) => {
                if let Some(y) = year {
                    push(y, m as u32, Some(d.0));
                }
            }
            // "2023-10-08" written with other separators, or year first "2023/10/8"
            (None, [a, b, c]) if a.1 == 4 => push(a.0 as i32, b.0, Some(c.0)),
            (None, [a, b, c]) => {
                let y = full_year(*c);
                let (first, second) = if self.day_first { (b, a) } else { (a, b) };
                push(y, first.0, Some(second.0));
                push(y, second.0, Some(first.0));
                if c.1 == 2 && a.1 == 2 {
                    push(full_year(*a), b.0, Some(c.0));
                }
            }
            // "10/2023"
            (None, [m, y]) if y.1 == 4 => push(y.0 as i32, m.0, None),
            // "2023-10"
            (None, [y, m]) if y.1 == 4 && m.1 <= 2 => push(y.0 as i32, m.0, None),
            // "08/10": day and month, the year from the neighbours
            (None, [a, b]) if a.1 <= 2 && b.1 <= 2 => {
                if let Some(y) = year {
                    let (m, d) = if self.day_first { (b, a) } else { (a, b) };
                    push(y, m.0, Some(d.0));
                    push(y, d.0, Some(m.0));
                }
            }
            _ => {}
        }
        out
    }
}

/// Whether parts would make a date with a year added.
fn needs_year(p: &Parts) -> bool {
    match (p.month, p.nums.as_slice()) {
        (Some(_), [d]) => d.1 <= 2,
        (None, [a, b]) => a.1 <= 2 && b.1 <= 2,
        _ => false,
    }
}

/// Fill in the year of values written without one, from the nearest value before (else
/// after) that has a full date: the year of the three around it that puts the date nearest
/// to that neighbour (so "2 Jan" after "30 Dec 2023" is 2024). A filled value is the
/// neighbour of the next, so a run of yearless rows follows the calendar. Returns how many
/// were filled.
fn fill_years(
    values: &[Option<&str>],
    dates: &mut [Result<EventTime, DateFail>],
    reader: &Reader,
) -> usize {
    let yearless = |i: usize, d: &Result<EventTime, DateFail>| {
        matches!(d, Err(DateFail::Empty)) && values[i].is_some_and(|v| !is_sentinel(v))
    };
    let mut filled = 0;
    let mut fill = |i: usize, near: Seconds, d: &mut Result<EventTime, DateFail>| {
        let v = values[i].map(str::trim).unwrap_or_default();
        let y = year_of(near);
        let best = (y - 1..=y + 1)
            .filter_map(|y| reader.read_in_year(v, Some(y)).ok())
            .min_by_key(|t| (t.start - near).abs());
        *d = match best {
            Some(t) => {
                filled += 1;
                Ok(t)
            }
            None => Err(DateFail::Unreadable(format!(
                "{} has no year and none near it makes it a plausible date",
                q(v)
            ))),
        };
        d.as_ref().ok().map(|t| t.start)
    };
    // Forward: each yearless value after a dated one.
    let mut last: Option<Seconds> = None;
    let mut leading = Vec::new();
    #[allow(clippy::needless_range_loop)] // `fill` needs the index and the slot
    for i in 0..dates.len() {
        if yearless(i, &dates[i]) {
            match last {
                Some(near) => last = fill(i, near, &mut dates[i]).or(last),
                None => leading.push(i),
            }
        } else if let Ok(t) = &dates[i] {
            last = Some(t.start);
        }
    }
    // Backward: those before the first dated value, from the one after them.
    let mut next = dates.iter().find_map(|d| d.as_ref().ok().map(|t| t.start));
    for &i in leading.iter().rev() {
        match next {
            Some(near) => next = fill(i, near, &mut dates[i]).or(next),
            None => {
                dates[i] = Err(DateFail::Unreadable(format!(
                    "{} has no year, and no row of the file has one to take it from",
                    q(values[i].unwrap_or_default())
                )));
            }
        }
    }
    filled
}

/// The civil year of a moment.
fn year_of(at: Seconds) -> i32 {
    jiff::Timestamp::from_second(at)
        .map(|t| i32::from(t.to_zoned(jiff::tz::TimeZone::UTC).year()))
        .unwrap_or(1970)
}

/// A time that is a plausible event date, or why not.
fn plausible(t: EventTime, s: &str) -> Result<EventTime, DateFail> {
    match time::implausible(&t) {
        None => Ok(t),
        Some(why) => Err(DateFail::Implausible(format!("{}: {why}", q(s)))),
    }
}

/// A two-digit year in the nearest past century (…25 → 2025, …87 → 1987); four digits as
/// they are.
fn full_year((n, digits): (u32, usize)) -> i32 {
    let n = n as i32;
    if digits > 2 {
        return n;
    }
    let now = year_of(jiff::Timestamp::now().as_second());
    let century = now - now % 100;
    if century + n <= now + 1 {
        century + n
    } else {
        century - 100 + n
    }
}

/// A day (with its time of day, when one was written).
/// A day (with its time of day, at a UTC offset in minutes, when one was written).
fn day_at(y: i32, m: i8, d: i8, clock: Option<(i8, i8, i8)>, offset: i64) -> Option<EventTime> {
    let date = jiff::civil::Date::new(i16::try_from(y).ok()?, m, d).ok()?;
    let midnight = time::date_seconds(date)?;
    Some(match clock {
        None => EventTime::at(midnight, TimePrecision::Day),
        Some((h, mi, s)) => EventTime::at(
            midnight + i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(s) - offset * 60,
            TimePrecision::Minute,
        ),
    })
}

/// Arabic-Indic and Persian digits as ASCII ("١٢/١٠/٢٠٢٣" → "12/10/2023").
fn ascii_digits(s: &str) -> std::borrow::Cow<'_, str> {
    let digit = |c: char| match c {
        '\u{660}'..='\u{669}' => char::from_u32(c as u32 - 0x660 + u32::from(b'0')),
        '\u{6F0}'..='\u{6F9}' => char::from_u32(c as u32 - 0x6F0 + u32::from(b'0')),
        _ => None,
    };
    if s.chars().any(|c| digit(c).is_some()) {
        s.chars()
            .map(|c| digit(c).unwrap_or(c))
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}

/// A UTC offset token ("+0300", "-05:00", "gmt+3", "utc+02:00") in minutes east.
fn offset_minutes(tok: &str) -> Option<i64> {
    let t = tok.trim_start_matches("gmt").trim_start_matches("utc");
    let sign = match t.chars().next()? {
        '+' => 1,
        '-' | '−' => -1,
        _ => return None,
    };
    let body: String = t.chars().skip(1).filter(|c| *c != ':').collect();
    if body.is_empty() || body.len() > 4 || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = body.parse().ok()?;
    let (h, m) = if body.len() <= 2 {
        (n, 0)
    } else {
        (n / 100, n % 100)
    };
    (h <= 14 && m < 60).then_some(sign * (h * 60 + m))
}

/// A whole month as a range.
fn month_range(y: i32, m: i8) -> Option<EventTime> {
    let start = jiff::civil::Date::new(i16::try_from(y).ok()?, m, 1).ok()?;
    let end = start.last_of_month();
    Some(EventTime::range(
        time::date_seconds(start)?,
        time::date_seconds(end)? + DAY,
    ))
}

/// A whole year as a range.
fn year_range(y: i32) -> Option<EventTime> {
    let start = jiff::civil::Date::new(i16::try_from(y).ok()?, 1, 1).ok()?;
    let end = jiff::civil::Date::new(i16::try_from(y).ok()?, 12, 31).ok()?;
    Some(EventTime::range(
        time::date_seconds(start)?,
        time::date_seconds(end)? + DAY,
    ))
}

/// An Excel serial day number (a fraction is the time of day).
pub fn excel_serial(n: f64) -> Option<EventTime> {
    if !n.is_finite() || !(1.0..3_000_000.0).contains(&n) {
        return None;
    }
    let days = n.floor() as i64;
    let secs = ((n - n.floor()) * 86_400.0).round() as i64;
    let at = (days - EXCEL_EPOCH_DAYS) * DAY + secs;
    Some(if secs == 0 {
        EventTime::at(at, TimePrecision::Day)
    } else {
        EventTime::at(at, TimePrecision::Minute)
    })
}

/// Split a date text into numbers, a month name and a time of day; `None` when a word is
/// neither a month, a weekday nor a filler ("de", "of", "р."), so that free text is never
/// read as a date.
fn parts(s: &str) -> Option<Parts> {
    let mut p = Parts::default();
    let mut pm = None;
    let mut lower = s.to_lowercase().replace("a.m.", "am").replace("p.m.", "pm");
    // A UTC offset after a time of day, before '-' is taken as a separator.
    if lower.contains(':') {
        let words: Vec<&str> = lower.split_whitespace().collect();
        if let Some(i) = words.iter().rposition(|w| offset_minutes(w).is_some()) {
            p.offset = offset_minutes(words[i]).unwrap_or(0);
            let kept: Vec<&str> = words
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, w)| *w)
                .collect();
            lower = kept.join(" ");
        }
    }
    for raw in
        lower.split(|c: char| c.is_whitespace() || matches!(c, ',' | '/' | '-' | '.' | '(' | ')'))
    {
        let tok = raw.trim_matches(['\'', '’', '"', '«', '»']);
        if tok.is_empty() {
            continue;
        }
        if tok.contains(':') {
            p.clock = Some(clock(tok)?);
            continue;
        }
        if let Some(q) = tok.strip_prefix('q').and_then(|q| q.parse::<u32>().ok())
            && (1..=4).contains(&q)
        {
            p.quarter = Some(q);
            continue;
        }
        let digits: String = tok.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() {
            let rest = &tok[digits.len()..];
            // Ordinals and year marks: 8th, 1st, 2nd, 3rd, 1er, 8º, 2023р, 2023г
            if !matches!(
                rest,
                "" | "st" | "nd" | "rd" | "th" | "er" | "e" | "º" | "ª" | "р" | "г"
            ) {
                return None;
            }
            if digits.len() > 4 {
                return None;
            }
            p.nums.push((digits.parse().ok()?, digits.len()));
            continue;
        }
        match tok {
            "am" | "a.m" => pm = Some(false),
            "pm" | "p.m" => pm = Some(true),
            _ => {
                if let Some(m) = month_word(tok) {
                    if p.month.replace(m).is_some() {
                        return None;
                    }
                } else if !is_filler(tok) {
                    return None;
                }
            }
        }
    }
    if let (Some(pm), Some((h, m, sec))) = (pm, p.clock) {
        let h = match (pm, h) {
            (true, 1..=11) => h + 12,
            (false, 12) => 0,
            _ => h,
        };
        p.clock = Some((h, m, sec));
    }
    (p.nums.len() <= 3 && !p.nums.is_empty()).then_some(p)
}

/// "14:30", "14:30:05", "9:05" as hour, minute, second.
fn clock(tok: &str) -> Option<(i8, i8, i8)> {
    let mut it = tok.split(':');
    let h: i8 = it.next()?.parse().ok()?;
    let m: i8 = it.next()?.parse().ok()?;
    let s: i8 = match it.next() {
        Some(s) => s.split(['.', 'z']).next()?.parse().ok()?,
        None => 0,
    };
    ((0..24).contains(&h) && (0..60).contains(&m) && (0..61).contains(&s)).then_some((
        h,
        m,
        s.min(59),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fmt_date;

    fn col(values: &[&str]) -> DateColumn {
        let v: Vec<Option<&str>> = values.iter().map(|s| Some(*s)).collect();
        read_column("date", &v)
    }

    fn days(values: &[&str]) -> Vec<String> {
        col(values)
            .dates
            .iter()
            .map(|d| match d {
                Ok(t) => t.display(),
                Err(DateFail::Empty) => "empty".into(),
                Err(DateFail::Unreadable(_)) => "unreadable".into(),
                Err(DateFail::Implausible(_)) => "implausible".into(),
            })
            .collect()
    }

    #[test]
    fn day_first_and_month_first_are_decided_per_column() {
        assert_eq!(
            days(&["05/03/2022", "14/03/2022"]),
            ["2022-03-05", "2022-03-14"]
        );
        assert_eq!(
            days(&["05/03/2022", "03/14/2022"]),
            ["2022-05-03", "2022-03-14"]
        );
        let c = col(&["05/03/2022", "03/14/2022"]);
        assert!(
            c.notes.iter().any(|n| n.contains("month first")),
            "{:?}",
            c.notes
        );
        let c = col(&["05.03.2022"]);
        assert!(
            c.notes
                .iter()
                .any(|n| n.contains("no value has a number above 12"))
        );
    }

    #[test]
    fn two_digit_years() {
        assert_eq!(
            days(&["26/10/25", "01/11/25"]),
            ["2025-10-26", "2025-11-01"]
        );
        assert_eq!(days(&["9-May-20"]), ["2020-05-09"]);
        assert_eq!(days(&["3/4/87"]), ["1987-04-03"]);
    }

    #[test]
    fn month_names_in_many_languages() {
        let got = days(&[
            "October 8 2023",
            "8 жовтня 2023",
            "8 ottobre 2023",
            "8 de octubre de 2023",
            "8. Oktober 2023",
            "8 octobre 2023",
            "8 октября 2023 г.",
            "Sunday, October 8th, 2023",
            "8-Oct-23",
            "08 Oct 2023 14:30",
            "8 أكتوبر 2023",
            "8 października 2023",
        ]);
        for (i, d) in got.iter().enumerate() {
            assert!(d.starts_with("2023-10-08"), "{i}: {d}");
        }
        assert_eq!(days(&["Oct 8, 2023 2:30 PM"]), ["2023-10-08 14:30 UTC"]);
        // A word that is not a date word makes the value unreadable, not a guess.
        assert_eq!(days(&["8 bananas 2023"]), ["unreadable"]);
        assert_eq!(days(&["juil 8 2023"]), ["2023-07-08"]);
        assert_eq!(days(&["jui 8 2023"]), ["unreadable"], "juin or juillet");
    }

    #[test]
    fn a_missing_year_comes_from_the_neighbours() {
        let c = col(&[
            "29 Dec 2023",
            "31 December",
            "2 Jan",
            "5 January 2024",
            "7 Jan",
        ]);
        let got: Vec<String> = c
            .dates
            .iter()
            .map(|d| d.as_ref().unwrap().display())
            .collect();
        assert_eq!(
            got,
            [
                "2023-12-29",
                "2023-12-31",
                "2024-01-02",
                "2024-01-05",
                "2024-01-07"
            ]
        );
        assert!(
            c.notes
                .iter()
                .any(|n| n.contains("3 date(s) written without a year"))
        );
        assert_eq!(days(&["8 October"]), ["unreadable"], "no year anywhere");
    }

    #[test]
    fn serials_epochs_and_ranges() {
        assert_eq!(
            days(&["45207", "45208.5"]),
            ["2023-10-08", "2023-10-09 12:00 UTC"]
        );
        assert_eq!(
            days(&["1696723200", "1696809600"])[0],
            "2023-10-08 00:00 UTC"
        );
        assert_eq!(
            days(&["1696723200000", "1696809600000"])[0],
            "2023-10-08 00:00 UTC"
        );
        let month = col(&["October 2023"]).dates[0].clone().unwrap();
        assert_eq!(fmt_date(month.start), "2023-10-01");
        assert_eq!(fmt_date(month.end - 1), "2023-10-31");
        let year = col(&["2023"]).dates[0].clone().unwrap();
        assert_eq!(year.span(), 365 * DAY);
        assert_eq!(days(&["10/2023"]).len(), 1);
    }

    #[test]
    fn implausible_dates_are_reread_or_rejected() {
        // Day-first by the column, but 2022-31-... no: 12/31/2022 reads only month first.
        assert_eq!(
            days(&["13/01/2022", "12/31/2022"]),
            ["2022-01-13", "2022-12-31"]
        );
        let c = col(&["13/01/2022", "12/31/2022"]);
        assert!(
            c.notes.iter().any(|n| n.contains("other field order")),
            "{:?}",
            c.notes
        );
        // Years 2–31 (a day read as a year) and the far future are never loaded.
        assert_eq!(days(&["0023-05-01"]), ["implausible"]);
        assert_eq!(days(&["2086-05-01"]), ["implausible"]);
        assert_eq!(days(&["1899-12-31"]), ["implausible"]);
        assert_eq!(days(&["5"]), ["unreadable"]);
        assert_eq!(
            days(&["n/a", "-", "unkn", ""]),
            ["empty", "empty", "empty", "empty"]
        );
    }

    #[test]
    fn offsets_ranges_quarters_and_other_digits() {
        assert_eq!(
            days(&[
                "Sat Oct 07 2023 14:00:00 GMT+0300",
                "2023-10-08 14:30:00 -05:00"
            ]),
            ["2023-10-07 11:00 UTC", "2023-10-08 19:30 UTC"]
        );
        assert_eq!(
            days(&[
                "8/10/2023 - 9/10/2023",
                "9-10 October 2023",
                "30 Sept – 2 Oct 2023"
            ]),
            [
                "2023-10-08 – 2023-10-09",
                "2023-10-09 – 2023-10-10",
                "2023-09-30 – 2023-10-02"
            ]
        );
        assert_eq!(days(&["Q4 2023"]), ["2023-10-01 – 2023-12-31"]);
        assert_eq!(days(&["2023-10"]), ["2023-10-01 – 2023-10-31"]);
        assert_eq!(days(&["early October 2023"]), ["2023-10-01 – 2023-10-31"]);
        assert_eq!(days(&["١٢/١٠/٢٠٢٣"]), ["2023-10-12"]);
    }

    #[test]
    fn iso_stays_iso() {
        assert_eq!(
            days(&[
                "2023-10-08",
                "2023-10-08T14:30:00Z",
                "2023/10/08",
                "20231008"
            ]),
            [
                "2023-10-08",
                "2023-10-08 14:30 UTC",
                "2023-10-08",
                "2023-10-08"
            ]
        );
    }
}
