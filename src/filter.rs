//! One filter over events, for every consumer (today `strikemap export`; the app's filter
//! panel is to use the same): weapon, target, dates, region, country, casualties and text.
//! Core: no egui.

use crate::geo::place_names::fold;
use crate::model::{Event, Seconds, Target, Weapon};

/// Which events to keep. Empty lists and `None`s keep everything.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventFilter {
    /// Any of these weapons.
    pub weapons: Vec<Weapon>,
    /// Any of these targets.
    pub targets: Vec<Target>,
    /// Events that may have happened on or after this instant.
    pub from: Option<Seconds>,
    /// Events that may have happened before this instant (exclusive).
    pub to: Option<Seconds>,
    /// Folded first-level region name, without "oblast"/"region"/… ("kharkiv").
    pub region: Option<String>,
    /// The country: any of these folded names or codes (see [`country_keys`]).
    pub country: Option<Vec<String>>,
    /// Folded words that must all appear in the title, description, place or notes.
    pub words: Vec<String>,
    /// At least this many reported killed (an event without a reported toll does not pass).
    pub min_killed: Option<u32>,
}

/// Words a region's name may carry or not: "Kharkiv Oblast" and "Kharkiv" are one region.
const REGION_WORDS: &[&str] = &[
    "oblast",
    "region",
    "province",
    "governorate",
    "state",
    "district",
    "raion",
    "область",
    "обл",
    "city",
];

/// A region name as compared: folded, without the kind words.
pub fn region_key(name: &str) -> String {
    fold(name)
        .split(' ')
        .filter(|w| !w.is_empty() && !REGION_WORDS.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The folded forms a country filter accepts: every name and code the world gazetteer knows
/// for the country `name` names ("UA" also matches "Ukraine" and "Україна"), else `name`.
pub fn country_keys(name: &str) -> Vec<String> {
    let aliases = crate::geo::WorldGazetteer::get()
        .ok()
        .and_then(|g| g.country_aliases(name))
        .unwrap_or_else(|| vec![name.to_owned()]);
    let mut keys: Vec<String> = aliases.iter().map(|a| fold(a)).collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Why a filter option was not understood.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FilterError(pub String);

/// Parse a date (YYYY-MM-DD) to the UTC midnight that starts it.
pub fn day_start(text: &str) -> Result<Seconds, FilterError> {
    let d: jiff::civil::Date = text
        .trim()
        .parse()
        .map_err(|_| FilterError(format!("\"{text}\" is not a date (YYYY-MM-DD)")))?;
    d.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp().as_second())
        .map_err(|e| FilterError(format!("\"{text}\": {e}")))
}

impl EventFilter {
    /// Keep events from the start of day `from` to the end of day `to` (both inclusive).
    pub fn with_days(mut self, from: Option<&str>, to: Option<&str>) -> Result<Self, FilterError> {
        self.from = from.map(day_start).transpose()?;
        self.to = to.map(|t| day_start(t).map(|s| s + 86_400)).transpose()?;
        if let (Some(f), Some(t)) = (self.from, self.to)
            && t <= f
        {
            return Err(FilterError("--to is before --from".to_owned()));
        }
        Ok(self)
    }

    /// Set the text search: every word must appear (case-, accent-insensitive).
    pub fn with_text(mut self, text: &str) -> Self {
        self.words = fold(text)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        self
    }

    /// Whether the filter keeps everything.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Whether `e` passes.
    pub fn matches(&self, e: &Event) -> bool {
        let weapon = self.weapons.is_empty() || e.weapons.iter().any(|w| self.weapons.contains(w));
        let target = self.targets.is_empty() || e.target.is_some_and(|t| self.targets.contains(&t));
        // An event whose time span overlaps the range may have happened in it.
        let time =
            self.from.is_none_or(|f| e.time.end > f) && self.to.is_none_or(|t| e.time.start < t);
        let killed = self
            .min_killed
            .is_none_or(|min| e.killed.is_some_and(|k| k >= min));
        let region = self.region.as_ref().is_none_or(|r| {
            e.location
                .admin1
                .as_deref()
                .is_some_and(|a| region_key(a) == *r)
        });
        let country = self.country.as_ref().is_none_or(|c| {
            e.location
                .country
                .as_deref()
                .is_some_and(|a| c.contains(&fold(a)))
        });
        weapon
            && target
            && time
            && killed
            && region
            && country
            && (self.words.is_empty() || self.text_matches(e))
    }

    fn text_matches(&self, e: &Event) -> bool {
        let mut hay = String::new();
        for part in [
            e.title.as_deref(),
            e.description.as_deref(),
            e.location.place.as_deref(),
            e.location.admin1.as_deref(),
            e.location_note.as_deref(),
            e.time_note.as_deref(),
            e.weapon_detail.as_deref(),
        ]
        .into_iter()
        .flatten()
        {
            hay.push(' ');
            hay.push_str(&fold(part));
        }
        self.words.iter().all(|w| hay.contains(w.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EventTime, Location, LocationPrecision, TimePrecision};

    fn event(day: &str, weapon: Weapon, admin1: &str, killed: Option<u32>, title: &str) -> Event {
        let start = day_start(day).unwrap();
        let mut e = Event::new(
            title,
            EventTime::at(start, TimePrecision::Day),
            Location {
                lat: 50.0,
                lon: 36.2,
                precision: LocationPrecision::Settlement,
                place: Some("Kharkiv".to_owned()),
                admin1: Some(admin1.to_owned()),
                country: Some("Ukraine".to_owned()),
            },
        );
        e.weapons = vec![weapon];
        e.killed = killed;
        e.title = Some(title.to_owned());
        e
    }

    #[test]
    fn the_issue_s_question() {
        let f = EventFilter {
            weapons: vec![Weapon::Drone],
            region: Some(region_key("Kharkiv Oblast")),
            ..Default::default()
        }
        .with_days(Some("2024-01-01"), Some("2024-01-31"))
        .unwrap()
        .with_text("REFINERY");
        assert!(f.matches(&event(
            "2024-01-31",
            Weapon::Drone,
            "Kharkiv",
            None,
            "Drone hits a refinery"
        )));
        assert!(f.matches(&event(
            "2024-01-01",
            Weapon::Drone,
            "Kharkiv Oblast",
            None,
            "Refinéry fire"
        )));
        assert!(
            !f.matches(&event(
                "2024-02-01",
                Weapon::Drone,
                "Kharkiv",
                None,
                "refinery"
            )),
            "to is inclusive, not beyond"
        );
        assert!(!f.matches(&event(
            "2024-01-10",
            Weapon::CruiseMissile,
            "Kharkiv",
            None,
            "refinery"
        )));
        assert!(!f.matches(&event(
            "2024-01-10",
            Weapon::Drone,
            "Sumy Oblast",
            None,
            "refinery"
        )));
        assert!(!f.matches(&event(
            "2024-01-10",
            Weapon::Drone,
            "Kharkiv",
            None,
            "power plant"
        )));
        assert!(f.matches(&event(
            "2024-01-10",
            Weapon::Drone,
            "Kharkiv Region",
            None,
            "oil Refinery"
        )));
    }

    #[test]
    fn text_is_case_and_accent_insensitive_in_both_scripts() {
        let f = EventFilter::default().with_text("харків");
        assert!(f.matches(&event(
            "2024-01-10",
            Weapon::Drone,
            "X",
            None,
            "Удар по ХАРКІВ"
        )));
        let f = EventFilter::default().with_text("Zaporizhzhia");
        assert!(f.matches(&event(
            "2024-01-10",
            Weapon::Drone,
            "X",
            None,
            "Strike on Zaporizhia"
        )));
        let f = EventFilter::default().with_text("sana'a");
        assert!(f.matches(&event(
            "2024-01-10",
            Weapon::Drone,
            "X",
            None,
            "Airstrike in Sanaa"
        )));
        assert!(!f.matches(&event(
            "2024-01-10",
            Weapon::Drone,
            "X",
            None,
            "Airstrike in Aden"
        )));
    }

    #[test]
    fn casualties_not_reported_are_not_zero_and_do_not_pass_a_minimum() {
        let f = EventFilter {
            min_killed: Some(1),
            ..Default::default()
        };
        assert!(!f.matches(&event("2024-01-10", Weapon::Drone, "X", None, "t")));
        assert!(!f.matches(&event("2024-01-10", Weapon::Drone, "X", Some(0), "t")));
        assert!(f.matches(&event("2024-01-10", Weapon::Drone, "X", Some(3), "t")));
        assert!(EventFilter::default().is_empty());
    }

    #[test]
    fn a_country_matches_by_any_of_its_names_and_codes() {
        let f = EventFilter {
            country: Some(country_keys("UA")),
            ..Default::default()
        };
        let mut e = event("2024-01-10", Weapon::Drone, "X", None, "t");
        for name in ["Ukraine", "UKR", "Україна", "ua"] {
            e.location.country = Some(name.to_owned());
            assert!(f.matches(&e), "{name}");
        }
        e.location.country = Some("Russia".to_owned());
        assert!(!f.matches(&e));
        e.location.country = None;
        assert!(!f.matches(&e));
    }

    #[test]
    fn bad_dates_are_errors() {
        assert!(
            EventFilter::default()
                .with_days(Some("2024-13-01"), None)
                .is_err()
        );
        assert!(
            EventFilter::default()
                .with_days(Some("2024-02-01"), Some("2024-01-01"))
                .is_err()
        );
        assert!(
            EventFilter::default()
                .with_days(Some("2024-01-01"), Some("2024-01-01"))
                .is_ok()
        );
    }
}
