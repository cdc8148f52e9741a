//! Texts the map's tooltips and the panels both show, worded once.

use crate::filter::{EventFilter, Part, Reported};
use crate::geo::Basemap;
use crate::model::{DAY, Seconds, fmt_date};
use crate::store::WindowSummary;
use crate::timeline::Timeline;

/// "N events · K killed · I injured" for a window; a count no event in the window reports is
/// "not reported", never 0.
pub fn summary_text(s: WindowSummary) -> String {
    let count = |n: u64, reported: u64, what: &str| {
        if reported == 0 && s.events > 0 {
            format!("{what} not reported")
        } else {
            format!("{} {what}", crate::model::fmt_thousands(n))
        }
    };
    format!(
        "{} event{} · {} · {}",
        crate::model::fmt_thousands(s.events as u64),
        if s.events == 1 { "" } else { "s" },
        count(s.killed, s.killed_reported, "killed"),
        count(s.injured, s.injured_reported, "injured"),
    )
}

/// The window's days, inclusive: "1 Mar 2026" for one day, "1–7 Mar 2026" for a week,
/// "26 Feb – 4 Mar 2026" across months, "28 Dec 2025 – 3 Jan 2026" across years.
pub fn window_text(t: &Timeline) -> String {
    let (from, to) = t.window();
    day_range_text(from, to)
}

/// The UTC days `[from, to)` touches, named inclusively (see [`window_text`]).
pub fn day_range_text(from: Seconds, to: Seconds) -> String {
    let day = |s: Seconds| {
        jiff::Timestamp::from_second(s.div_euclid(DAY) * DAY)
            .map(|ts| ts.to_zoned(jiff::tz::TimeZone::UTC).date())
            .ok()
    };
    let (Some(a), Some(b)) = (day(from), day((to - 1).max(from))) else {
        return format!("{} – {}", fmt_date(from), fmt_date(to - 1));
    };
    let month = |d: jiff::civil::Date| d.strftime("%b").to_string();
    if a == b {
        format!("{} {} {}", a.day(), month(a), a.year())
    } else if a.year() != b.year() {
        format!(
            "{} {} {} – {} {} {}",
            a.day(),
            month(a),
            a.year(),
            b.day(),
            month(b),
            b.year()
        )
    } else if a.month() != b.month() {
        format!(
            "{} {} – {} {} {}",
            a.day(),
            month(a),
            b.day(),
            month(b),
            b.year()
        )
    } else {
        format!("{}–{} {} {}", a.day(), b.day(), month(b), b.year())
    }
}

/// [`Basemap::near_words`], remembered for the last few locations asked for: the detail
/// panel and the tooltip (up to five events) ask every frame, and the gazetteer scans cost
/// ~45 µs each.
pub fn near_words_ui(
    ui: &egui::Ui,
    basemap: Option<&Basemap>,
    location: &crate::model::Location,
    ukrainian: bool,
) -> Option<String> {
    /// (lat, lon, named, area, ukrainian) bits, and the answer.
    type Recent = Vec<((u64, u64, bool, bool, bool), Option<String>)>;
    const KEEP: usize = 16;
    let basemap = basemap?;
    let key = (
        location.lat.to_bits(),
        location.lon.to_bits(),
        location.place.is_some(),
        location.precision.is_area(),
        ukrainian,
    );
    ui.data_mut(|d| {
        let recent = d.get_temp_mut_or_default::<Recent>(egui::Id::unique("near_words"));
        if let Some((_, words)) = recent.iter().find(|(k, _)| *k == key) {
            return words.clone();
        }
        let words = basemap.near_words(location, ukrainian);
        recent.insert(0, (key, words.clone()));
        recent.truncate(KEEP);
        words
    })
}

/// The last component of a path as text ("events.csv" of "/data/x/events.csv"); the text
/// itself when it has none (the bundled sample's name).
pub fn file_name(path: &str) -> String {
    if path == crate::import::BUNDLED_NAME {
        return path.to_owned();
    }
    std::path::Path::new(path)
        .file_name()
        .map_or_else(|| path.to_owned(), |n| n.to_string_lossy().into_owned())
}

/// What a chip says for one part of the filter.
pub fn part_label(f: &EventFilter, part: &Part) -> String {
    match part {
        Part::Weapon(w) => w.label().to_owned(),
        Part::Target(t) => format!("Target: {}", t.label()),
        Part::TargetUnreported => "Target: not reported".to_owned(),
        Part::Dates => match (f.from, f.to) {
            (Some(a), Some(b)) => day_range_text(a, b),
            (Some(a), None) => format!("From {}", day_range_text(a, a + crate::model::DAY)),
            (None, Some(b)) => format!("Until {}", day_range_text(b - crate::model::DAY, b)),
            (None, None) => String::new(),
        },
        Part::Region(r) => r.clone(),
        Part::Country(c) => c.clone(),
        Part::Text => format!("“{}”", f.text.trim()),
        Part::MinKilled => format!("≥ {} killed", f.min_killed.unwrap_or(0)),
        Part::MinInjured => format!("≥ {} injured", f.min_injured.unwrap_or(0)),
        Part::MinChildren => format!("≥ {} children", f.min_children.unwrap_or(0)),
        Part::Killed => match f.killed {
            Some(Reported::Reported) => "Killed reported".to_owned(),
            _ => "Killed not reported".to_owned(),
        },
        Part::Precision(p) => format!("No {}", p.label()),
    }
}

/// "1 event", "12,345 events".
pub fn count_text(n: usize, one: &str, many: &str) -> String {
    let word = if n == 1 { one } else { many };
    format!("{} {word}", crate::model::fmt_thousands(n as u64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::{Speed, WindowLen};

    fn at(y: i16, m: i8, d: i8) -> Seconds {
        jiff::civil::date(y, m, d)
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp().as_second())
            .unwrap_or(0)
    }

    #[test]
    fn windows_are_named_by_their_inclusive_days() {
        let mar1 = at(2026, 3, 1);
        assert_eq!(day_range_text(mar1, mar1 + DAY), "1 Mar 2026");
        assert_eq!(day_range_text(mar1, mar1 + 7 * DAY), "1–7 Mar 2026");
        assert_eq!(
            day_range_text(at(2026, 2, 26), at(2026, 3, 5)),
            "26 Feb – 4 Mar 2026"
        );
        assert_eq!(
            day_range_text(at(2025, 12, 28), at(2026, 1, 4)),
            "28 Dec 2025 – 3 Jan 2026"
        );
        let t = Timeline::new((at(2026, 2, 1), at(2026, 3, 1)), WindowLen::Day, Speed(1.0));
        assert_eq!(window_text(&t), "28 Feb 2026", "a 1-day window is one date");
    }

    #[test]
    fn summary_wording() {
        let s = WindowSummary {
            events: 3,
            killed: 5,
            injured: 16,
            killed_reported: 2,
            injured_reported: 1,
        };
        assert_eq!(summary_text(s), "3 events · 5 killed · 16 injured");
        let many = WindowSummary {
            events: 1_000_000,
            killed: 758_290,
            killed_reported: 900_000,
            ..s
        };
        assert_eq!(
            summary_text(many),
            "1,000,000 events · 758,290 killed · 16 injured"
        );
        let one = WindowSummary {
            events: 1,
            killed_reported: 1,
            ..Default::default()
        };
        assert_eq!(
            summary_text(one),
            "1 event · 0 killed · injured not reported"
        );
        assert_eq!(
            summary_text(WindowSummary::default()),
            "0 events · 0 killed · 0 injured"
        );
    }
}
