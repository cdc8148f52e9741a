//! When a report was published and when the things it tells of happened: the dateline and the
//! report's own words ("overnight", "last Tuesday", "late Saturday and into early Sunday",
//! "on 9 July", "July 9-10"), as a range of days with the reasoning kept.

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};

use super::text::{Sentence, Token};

/// The report's publication date and how it was found.
#[derive(Clone, Debug, PartialEq)]
pub struct Published {
    /// The date.
    pub date: Date,
    /// How it was known ("given", "dateline \"Feb 6\"").
    pub how: String,
}

/// When something happened: inclusive days, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct When {
    /// First possible day.
    pub first: Date,
    /// Last possible day (inclusive).
    pub last: Date,
    /// The reasoning, in words.
    pub note: String,
    /// A stretch of days or more ("in June", "over the past week"): the sentence sums a
    /// period, it does not tell of one strike.
    pub period: bool,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month a word names ("jul", "july", "sept").
pub fn month(w: &str) -> Option<i8> {
    let w = w.trim_end_matches('.');
    if w.len() < 3 {
        return None;
    }
    let i = MONTHS.iter().position(|m| m.starts_with(w))?;
    i8::try_from(i + 1).ok()
}

/// Whether `w` (lower case) is a month's name or its usual abbreviation ("jul", "sept").
pub fn is_month_name(w: &str) -> bool {
    let w = w.trim_end_matches('.');
    MONTHS
        .iter()
        .any(|m| *m == w || (w.len() <= 4 && m.starts_with(w)))
}

/// Whether `w` (lower case) names a day of the week.
pub fn weekday_name(w: &str) -> bool {
    weekday(w).is_some()
}

fn weekday(w: &str) -> Option<Weekday> {
    Some(match w {
        "monday" => Weekday::Monday,
        "tuesday" => Weekday::Tuesday,
        "wednesday" => Weekday::Wednesday,
        "thursday" => Weekday::Thursday,
        "friday" => Weekday::Friday,
        "saturday" => Weekday::Saturday,
        "sunday" => Weekday::Sunday,
        _ => return None,
    })
}

fn day_number(t: &Token) -> Option<i8> {
    let n = t.lower.split('-').next().unwrap_or("");
    let n = n.trim_end_matches(['s', 't', 'n', 'd', 'r', 'h']);
    let n: i8 = n.parse().ok()?;
    (1..=31).contains(&n).then_some(n)
}

fn year_number(t: Option<&Token>) -> Option<i16> {
    let n = t?.number?;
    (1990..=2100)
        .contains(&n)
        .then(|| i16::try_from(n).ok())
        .flatten()
}

/// The publication date a report states: a line " date 2026-02-07", a dateline at the start
/// of a paragraph ("Feb 6 -", "KYIV, July 10 (Reuters) -"), "Published 10 July 2025". A
/// dateline without a year takes the year of a stated date near it, else of `today`.
pub fn find_published(sentences: &[Sentence], text: &str, today: Date) -> Option<Published> {
    let mut stamped: Option<Date> = None;
    let mut dateline: Option<(i8, i8, Option<i16>, String)> = None;
    let mut first_of_paragraph = usize::MAX;
    for s in sentences {
        let t = &s.tokens;
        let starts = s.paragraph != first_of_paragraph;
        first_of_paragraph = s.paragraph;
        for i in 0..t.len() {
            let w = t[i].lower.as_str();
            if matches!(w, "date" | "published" | "updated" | "posted")
                && stamped.is_none()
                && let Some(d) = iso_after(t, i + 1).or_else(|| words_date_at(t, i + 1))
            {
                stamped = Some(d);
            }
        }
        if starts && dateline.is_none() {
            for i in 0..t.len().min(8) {
                let Some((m, d, y, end)) = month_day_at(t, i) else {
                    continue;
                };
                let dash = t
                    .get(end)
                    .is_some_and(|x| x.is("-") || x.is("—") || x.is("–") || x.is("("));
                if dash {
                    let written = text[t[i].span.start..t[end - 1].span.end].to_owned();
                    dateline = Some((m, d, y, written));
                    break;
                }
            }
        }
    }
    if let Some((m, d, y, written)) = dateline {
        let year = y.or(stamped.map(|s| s.year())).unwrap_or(today.year());
        let mut date = Date::new(year, m, d).ok()?;
        if y.is_none() && stamped.is_none() && date > today {
            date = Date::new(year - 1, m, d).ok()?;
        }
        let near = stamped.is_none_or(|s| (s - date).get_days().abs() <= 3 || y.is_some());
        if near {
            let year_from = match (y, stamped) {
                (Some(_), _) => String::new(),
                (None, Some(_)) => ", year from the stated date".to_owned(),
                (None, None) => ", year assumed to be this one".to_owned(),
            };
            return Some(Published {
                date,
                how: format!("dateline \"{written}\"{year_from}"),
            });
        }
    }
    stamped.map(|date| Published {
        date,
        how: "date stated in the text".to_owned(),
    })
}

/// An ISO date (2026-02-07) at token `i` (the tokenizer splits it at the hyphens only when a
/// part is not alphanumeric; here "2026-02-07" is one token).
fn iso_after(t: &[Token], i: usize) -> Option<Date> {
    let tok = t.get(i).or_else(|| t.get(i + 1))?;
    let tok = if tok.punct { t.get(i + 1)? } else { tok };
    let mut parts = tok.text.split('-');
    let y: i16 = parts.next()?.parse().ok()?;
    let m: i8 = parts.next()?.parse().ok()?;
    let d: i8 = parts.next()?.parse().ok()?;
    Date::new(y, m, d)
        .ok()
        .filter(|_| (1990..=2100).contains(&y))
}

/// "10 July 2025", "July 10, 2025" at token `i` (skipping a colon or "on").
fn words_date_at(t: &[Token], i: usize) -> Option<Date> {
    let i = if t.get(i).is_some_and(|x| x.is(":") || x.lower == "on") {
        i + 1
    } else {
        i
    };
    let (m, d, y, _) = month_day_at(t, i)?;
    Date::new(y?, m, d).ok()
}

/// Month and day at `i` ("July 10", "Jul. 10", "10 July", "10th of July"), with a year
/// after it if one follows; and the token index after it all.
fn month_day_at(t: &[Token], i: usize) -> Option<(i8, i8, Option<i16>, usize)> {
    let get = |k: usize| t.get(k);
    let skip_dot = |k: usize| {
        if get(k).is_some_and(|x| x.is(".")) {
            k + 1
        } else {
            k
        }
    };
    let year_after = |k: usize| {
        let k2 = if get(k).is_some_and(|x| x.is(",")) {
            k + 1
        } else {
            k
        };
        match year_number(get(k2)) {
            Some(y) => (Some(y), k2 + 1),
            None => (None, k),
        }
    };
    if let Some(m) = get(i).filter(|x| x.cap).and_then(|x| month(&x.lower)) {
        let k = skip_dot(i + 1);
        let d = get(k).and_then(day_number)?;
        let (y, end) = year_after(k + 1);
        return Some((m, d, y, end));
    }
    let d = get(i).and_then(day_number)?;
    let k = if get(i + 1).is_some_and(|x| x.lower == "of") {
        i + 2
    } else {
        i + 1
    };
    let m = get(k).filter(|x| x.cap).and_then(|x| month(&x.lower))?;
    let (y, end) = year_after(skip_dot(k + 1));
    Some((m, d, y, end))
}

/// The most recent `day` on or before `from` (`strictly` before it for "last Tuesday").
fn weekday_before(from: Date, day: Weekday, strictly: bool) -> Date {
    let mut back =
        (from.weekday().to_monday_zero_offset() - day.to_monday_zero_offset()).rem_euclid(7);
    if back == 0 && strictly {
        back = 7;
    }
    from.checked_sub(i64::from(back).days()).unwrap_or(from)
}

fn add_days(d: Date, n: i64) -> Date {
    d.checked_add(n.days()).unwrap_or(d)
}

/// What a sentence says about when, relative to `published` (None: not known, the caller
/// widens the answer).
pub fn time_in(s: &Sentence, published: Date) -> Option<When> {
    let t = &s.tokens;
    let lower: Vec<&str> = t.iter().map(|x| x.lower.as_str()).collect();
    let has = |p: &str| s.has_phrase(p);
    // A period summed up: not one strike's time.
    let periods = [
        "past week",
        "past month",
        "last week",
        "last month",
        "this week",
        "this month",
        "past year",
        "this year",
        "last year",
        "past few days",
        "past days",
        "since the start",
        "monthly",
        "weekly total",
        "over the week",
        "past 24 hours",
    ];
    if let Some(p) = periods.iter().find(|p| has(p)) {
        return Some(When {
            first: add_days(published, -30),
            last: published,
            note: format!("\"{p}\": a period, not one day"),
            period: true,
        });
    }
    for i in 0..t.len() {
        // "In June" (a month alone): a period.
        if matches!(lower[i], "in" | "during" | "throughout")
            && let Some(m) = t.get(i + 1).filter(|x| x.cap).and_then(|x| month(&x.lower))
            && t.get(i + 2).is_none_or(|x| day_number(x).is_none())
        {
            let year = year_number(t.get(i + 2)).unwrap_or(published.year());
            let first = Date::new(year, m, 1).ok()?;
            return Some(When {
                first,
                last: first.last_of_month(),
                note: format!("\"{} {}\": a month", t[i].text, t[i + 1].text),
                period: true,
            });
        }
        if let Some(w) = explicit_date(t, i, published) {
            return Some(w);
        }
    }
    relative(t, &lower, published)
}

/// "on 9 July", "July 9-10", "10 July 2025" at token `i`.
fn explicit_date(t: &[Token], i: usize, published: Date) -> Option<When> {
    let (m, d, y, end) = month_day_at(t, i)?;
    // A dateline ("Oct 12 (Reuters) -") dates the report, not what it tells of.
    if t.get(end)
        .is_some_and(|x| x.is("(") || x.is("-") || x.is("—"))
        && i < 8
    {
        return None;
    }
    // "July 9-10": a second day after a dash (the tokenizer keeps "9-10" as one token only
    // when both are digits; here the day token is "9-10" or "9" "-" "10").
    let mut last_day = None;
    if let Some(tok) = t.get(i + 1).filter(|x| x.text.contains('-'))
        && let Some((_, b)) = tok.text.split_once('-')
    {
        last_day = b.parse::<i8>().ok();
    }
    if t.get(end).is_some_and(|x| x.is("-") || x.is("–"))
        && let Some(b) = t.get(end + 1).and_then(day_number)
    {
        last_day = Some(b);
    }
    let mut year = y.unwrap_or(published.year());
    let mut first = Date::new(year, m, d).ok()?;
    if y.is_none() && first > add_days(published, 1) {
        year -= 1;
        first = Date::new(year, m, d).ok()?;
    }
    let last = last_day
        .and_then(|b| Date::new(year, m, b).ok())
        .filter(|l| *l >= first)
        .unwrap_or(first);
    let written = t[i..end.min(t.len())]
        .iter()
        .map(|x| x.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let year_note = if y.is_none() {
        " (year of publication)"
    } else {
        ""
    };
    Some(When {
        first,
        last,
        note: format!("\"{written}\"{year_note}"),
        period: false,
    })
}

/// "overnight", "last night", "on Tuesday", "last Tuesday", "Tuesday night", "late Saturday
/// and into early Sunday", "this morning", "yesterday".
fn relative(t: &[Token], lower: &[&str], published: Date) -> Option<When> {
    let when = |first: Date, last: Date, note: String| {
        Some(When {
            first,
            last,
            note,
            period: false,
        })
    };
    let days: Vec<(usize, Weekday)> = lower
        .iter()
        .enumerate()
        .filter_map(|(i, w)| weekday(w).map(|d| (i, d)))
        .collect();
    if let Some(&(i, day)) = days.first() {
        let strictly = i > 0 && matches!(lower[i - 1], "last" | "past");
        let first = weekday_before(published, day, strictly);
        let word = |k: usize| lower.get(k).copied().unwrap_or("");
        let night =
            matches!(word(i + 1), "night" | "overnight") || word(i - 1) == "late" && days.len() > 1;
        if let Some(&(_, second)) = days.get(1) {
            let gap = (second.to_monday_zero_offset() - day.to_monday_zero_offset()).rem_euclid(7);
            if gap == 1 {
                return when(
                    first,
                    add_days(first, 1),
                    format!(
                        "\"{}\" to \"{}\": the night between",
                        t[i].text, t[days[1].0].text
                    ),
                );
            }
        }
        let mut note = format!("\"{}{}\"", if strictly { "last " } else { "" }, t[i].text);
        note.push_str(&format!(
            ": the {} {} before publication",
            if strictly { "last" } else { "latest" },
            t[i].text
        ));
        if night {
            note.push_str(", and the night after it");
            return when(first, add_days(first, 1), note);
        }
        return when(first, first, note);
    }
    let phrase = |p: &str| {
        let words: Vec<&str> = p.split(' ').collect();
        (0..lower.len()).any(|i| {
            words
                .iter()
                .enumerate()
                .all(|(k, w)| lower.get(i + k) == Some(w))
        })
    };
    for (p, back, span, why) in [
        ("last night", 1, 1, "the night before publication"),
        ("overnight", 1, 1, "the night before publication"),
        ("during the night", 1, 1, "the night before publication"),
        ("night-time", 1, 1, "the night before publication"),
        ("yesterday", 1, 0, "the day before publication"),
        ("this morning", 0, 0, "the day of publication"),
        ("earlier today", 0, 0, "the day of publication"),
        ("today", 0, 0, "the day of publication"),
        ("this evening", 0, 0, "the day of publication"),
        ("tonight", 0, 1, "the night after publication"),
    ] {
        if phrase(p) {
            let first = add_days(published, -back);
            return when(first, add_days(first, span), format!("\"{p}\": {why}"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::text::sentences;
    use jiff::civil::date;

    fn at(text: &str, published: Date) -> Option<(Date, Date, bool)> {
        let s = sentences(text);
        time_in(&s[0], published).map(|w| (w.first, w.last, w.period))
    }

    #[test]
    fn the_words_of_time() {
        let pub_thu = date(2025, 7, 10);
        assert_eq!(
            at("an overnight assault", pub_thu),
            Some((date(2025, 7, 9), date(2025, 7, 10), false))
        );
        assert_eq!(
            at("On Wednesday evening, a strike", pub_thu),
            Some((date(2025, 7, 9), date(2025, 7, 9), false))
        );
        assert_eq!(
            at("the largest assault on Tuesday night", pub_thu),
            Some((date(2025, 7, 8), date(2025, 7, 9), false))
        );
        assert_eq!(
            at("early hours of Thursday morning", pub_thu),
            Some((date(2025, 7, 10), date(2025, 7, 10), false))
        );
        assert_eq!(at("In June, Ukraine had", pub_thu).map(|w| w.2), Some(true));
        assert_eq!(
            at("Strikes on 9 July killed", pub_thu),
            Some((date(2025, 7, 9), date(2025, 7, 9), false))
        );
        assert_eq!(
            at("Strikes on July 9-10 killed", pub_thu),
            Some((date(2025, 7, 9), date(2025, 7, 10), false))
        );
        // Published on a Friday: "last Tuesday" is three days before.
        assert_eq!(
            at("the latest assault last Tuesday", date(2026, 2, 6)),
            Some((date(2026, 2, 3), date(2026, 2, 3), false))
        );
        assert_eq!(
            at(
                "downed 235 drones late Saturday and into early Sunday",
                date(2025, 12, 14)
            ),
            Some((date(2025, 12, 13), date(2025, 12, 14), false))
        );
        assert_eq!(
            at("Over the past week, Russia launched", pub_thu).map(|w| w.2),
            Some(true)
        );
        assert_eq!(at("A strike in Kharkiv", pub_thu), None);
    }

    #[test]
    fn publication_dates() {
        let today = date(2026, 12, 4);
        let text = " date 2026-02-07 Sign up now\n\nFeb 6 - President Zelenskiy called on Friday";
        let p = find_published(&sentences(text), text, today).unwrap();
        assert_eq!(p.date, date(2026, 2, 6));
        assert!(p.how.contains("dateline"), "{}", p.how);
        let text = "KYIV, July 10 (Reuters) - Russia struck";
        let p = find_published(&sentences(text), text, today).unwrap();
        assert_eq!(p.date, date(2026, 7, 10));
        let text = "Published: 10 July 2025\nRussia struck Kyiv.";
        assert_eq!(
            find_published(&sentences(text), text, today).unwrap().date,
            date(2025, 7, 10)
        );
        let text = "Russia struck Kyiv overnight.";
        assert_eq!(find_published(&sentences(text), text, today), None);
    }
}
