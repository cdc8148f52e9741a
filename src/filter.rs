//! One filter over events for every consumer: the app's filter panel (map, timeline, table,
//! statistics), `strikemap export` and saved views. [`EventFilter`] is what the user chose, as
//! they see it (persisted); [`Matcher`] is it compiled for matching, by the hot row columns
//! alone where it can ([`Matcher::row_passes`]) and by the full event for text.
//! Core: no egui.

use serde::{Deserialize, Serialize};

use crate::geo::place_names::fold;
use crate::model::{Event, LocationPrecision, Seconds, Target, Weapon};
use crate::store::{Area, EventStore, NO_AREA, Row, UNKNOWN};

/// "Reported" or "not reported" for a count (killed): `None` in a filter keeps both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reported {
    /// The count is given (0 included).
    Reported,
    /// The source gives no count.
    NotReported,
}

/// Which events to keep, as the user chose it. Empty lists and `None`s keep everything.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventFilter {
    /// Any of these weapons (an event with several passes if one of them is listed).
    pub weapons: Vec<Weapon>,
    /// Any of these targets.
    pub targets: Vec<Target>,
    /// Also events whose target is not reported (with `targets`: "not reported" ticked).
    pub target_unreported: bool,
    /// Events that may have happened on or after this instant.
    pub from: Option<Seconds>,
    /// Events that may have happened before this instant (exclusive).
    pub to: Option<Seconds>,
    /// First-level regions as named ("Kharkiv Oblast" and "Kharkiv" are one region).
    pub regions: Vec<String>,
    /// Countries as named; any name or code of the country matches ("UA" = "Ukraine").
    pub countries: Vec<String>,
    /// Words that must all appear in the title, description, place or notes.
    pub text: String,
    /// At least this many reported killed (an event without a reported toll does not pass).
    pub min_killed: Option<u32>,
    /// At least this many reported injured.
    pub min_injured: Option<u32>,
    /// At least this many children killed or injured (reported).
    pub min_children: Option<u32>,
    /// Only events whose killed count is reported, or only those where it is not.
    pub killed: Option<Reported>,
    /// Location precisions left out ("hide country-level").
    pub hide_precision: Vec<LocationPrecision>,
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
    keys.push(fold(name));
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

/// One active part of a filter, as a chip shows it and as its × removes it.
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    /// One ticked weapon.
    Weapon(Weapon),
    /// One ticked target.
    Target(Target),
    /// "Target not reported" ticked.
    TargetUnreported,
    /// The date range.
    Dates,
    /// One region.
    Region(String),
    /// One country.
    Country(String),
    /// The text search.
    Text,
    /// Minimum killed.
    MinKilled,
    /// Minimum injured.
    MinInjured,
    /// Minimum children.
    MinChildren,
    /// Killed reported / not reported.
    Killed,
    /// One hidden location precision.
    Precision(LocationPrecision),
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
        self.text = text.to_owned();
        self
    }

    /// Whether the filter keeps everything.
    pub fn is_empty(&self) -> bool {
        self.parts().is_empty()
    }

    /// The active parts, in the order chips show them.
    pub fn parts(&self) -> Vec<Part> {
        let mut out: Vec<Part> = self.weapons.iter().map(|w| Part::Weapon(*w)).collect();
        out.extend(self.targets.iter().map(|t| Part::Target(*t)));
        if self.target_unreported {
            out.push(Part::TargetUnreported);
        }
        if self.from.is_some() || self.to.is_some() {
            out.push(Part::Dates);
        }
        out.extend(self.regions.iter().cloned().map(Part::Region));
        out.extend(self.countries.iter().cloned().map(Part::Country));
        if !self.text.trim().is_empty() {
            out.push(Part::Text);
        }
        for (on, p) in [
            (self.min_killed.is_some(), Part::MinKilled),
            (self.min_injured.is_some(), Part::MinInjured),
            (self.min_children.is_some(), Part::MinChildren),
            (self.killed.is_some(), Part::Killed),
        ] {
            if on {
                out.push(p);
            }
        }
        out.extend(self.hide_precision.iter().map(|p| Part::Precision(*p)));
        out
    }

    /// The filter without `part`.
    pub fn without(mut self, part: &Part) -> Self {
        match part {
            Part::Weapon(w) => self.weapons.retain(|x| x != w),
            Part::Target(t) => self.targets.retain(|x| x != t),
            Part::TargetUnreported => self.target_unreported = false,
            Part::Dates => (self.from, self.to) = (None, None),
            Part::Region(r) => self.regions.retain(|x| x != r),
            Part::Country(c) => self.countries.retain(|x| x != c),
            Part::Text => self.text.clear(),
            Part::MinKilled => self.min_killed = None,
            Part::MinInjured => self.min_injured = None,
            Part::MinChildren => self.min_children = None,
            Part::Killed => self.killed = None,
            Part::Precision(p) => self.hide_precision.retain(|x| x != p),
        }
        self
    }

    /// The filter compiled for matching (country names looked up once).
    pub fn compile(&self) -> Matcher {
        let bits = |it: &mut dyn Iterator<Item = usize>| it.fold(0u32, |m, k| m | 1 << k);
        let mut targets = bits(&mut self.targets.iter().map(|t| t.index()));
        if self.target_unreported {
            targets |= 1 << Target::ALL.len();
        }
        Matcher {
            weapons: bits(&mut self.weapons.iter().map(|w| w.index())),
            targets,
            hidden_precision: bits(&mut self.hide_precision.iter().map(|p| p.index())),
            regions: self.regions.iter().map(|r| region_key(r)).collect(),
            countries: self
                .countries
                .iter()
                .flat_map(|c| country_keys(c))
                .collect(),
            words: fold(&self.text)
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect(),
            filter: self.clone(),
        }
    }

    /// Whether `e` passes (compiles the filter each call: for one-off checks and tests).
    pub fn matches(&self, e: &Event) -> bool {
        self.compile().matches(e)
    }
}

/// An [`EventFilter`] ready for matching many events.
#[derive(Clone, Debug)]
pub struct Matcher {
    filter: EventFilter,
    /// Bit per [`Weapon::index`] (0: any).
    weapons: u32,
    /// Bit per [`Target::index`], and bit 9 for "not reported" (0: any).
    targets: u32,
    /// Bit per hidden [`LocationPrecision::index`].
    hidden_precision: u32,
    /// Region keys ([`region_key`]); empty: any.
    regions: Vec<String>,
    /// Folded country names and codes; empty: any.
    countries: Vec<String>,
    /// Folded words that must all appear.
    words: Vec<String>,
}

/// Whether a reported count (or [`UNKNOWN`]) is at least `min`.
fn at_least(count: u32, min: Option<u32>) -> bool {
    min.is_none_or(|m| count != UNKNOWN && count >= m)
}

impl Matcher {
    /// The filter this was compiled from.
    pub fn filter(&self) -> &EventFilter {
        &self.filter
    }

    /// Whether the text search is on (the full event is needed for it).
    pub fn needs_text(&self) -> bool {
        !self.words.is_empty()
    }

    /// Whether an event in this region and country passes the region and country parts.
    pub fn area_passes(&self, area: Option<&Area>) -> bool {
        let admin1 = area.and_then(|a| a.admin1.as_deref());
        let country = area.and_then(|a| a.country.as_deref());
        self.place_passes(admin1, country)
    }

    fn place_passes(&self, admin1: Option<&str>, country: Option<&str>) -> bool {
        let region = self.regions.is_empty()
            || admin1.is_some_and(|a| self.regions.contains(&region_key(a)));
        let country =
            self.countries.is_empty() || country.is_some_and(|c| self.countries.contains(&fold(c)));
        region && country
    }

    /// Whether an event with this hot row passes every part but region, country and text
    /// (`area_ok` answers for region and country: see [`Self::area_passes`]).
    pub fn row_passes(&self, r: &Row, area_ok: bool) -> bool {
        let f = &self.filter;
        let weapon = self.weapons == 0
            || u32::from(r.weapons) & self.weapons != 0
            || (r.weapons == 0 && self.weapons & 1 << Weapon::Unknown.index() != 0);
        let target = self.targets == 0 || self.targets & 1 << r.target_slot() != 0;
        let time = f.from.is_none_or(|t| r.end > t) && f.to.is_none_or(|t| r.start < t);
        let reported = match f.killed {
            None => true,
            Some(Reported::Reported) => r.killed != UNKNOWN,
            Some(Reported::NotReported) => r.killed == UNKNOWN,
        };
        area_ok
            && weapon
            && target
            && time
            && reported
            && self.hidden_precision & 1 << r.precision == 0
            && at_least(r.killed, f.min_killed)
            && at_least(r.injured, f.min_injured)
            && at_least(r.children(), f.min_children)
    }

    /// Whether `e` passes.
    pub fn matches(&self, e: &Event) -> bool {
        let mut row = Row::of(e);
        // An event listing no weapon is drawn as "unknown": it passes that box.
        if e.weapons.is_empty() {
            row.weapons = 0;
        }
        let area_ok =
            self.place_passes(e.location.admin1.as_deref(), e.location.country.as_deref());
        self.row_passes(&row, area_ok) && (self.words.is_empty() || self.text_matches(e))
    }

    /// Whether every search word appears in the event's texts.
    pub fn text_matches(&self, e: &Event) -> bool {
        let mut hay = String::new();
        crate::store::text::push_searchable(e, &mut hay);
        self.words
            .iter()
            .all(|w| crate::store::text::starts_a_word(hay.as_bytes(), w.as_bytes()))
    }

    /// For each dataset of `store`, whether each of its areas passes (rows of unknown area
    /// are looked up as [`NO_AREA`] → `None`).
    pub fn area_table(&self, store: &EventStore) -> Vec<Vec<bool>> {
        store
            .all_datasets()
            .iter()
            .map(|d| {
                d.areas
                    .all()
                    .iter()
                    .map(|a| self.area_passes(Some(a)))
                    .collect()
            })
            .collect()
    }

    /// Whether event `i` of `store` passes every part but the text, with `areas` from
    /// [`Self::area_table`].
    pub fn row_passes_at(&self, store: &EventStore, areas: &[Vec<bool>], i: usize) -> bool {
        let Some(row) = store.row(i) else {
            return false;
        };
        let area_ok = match store.dataset_index(i).and_then(|d| areas.get(d)) {
            Some(t) if row.area != NO_AREA => t.get(row.area as usize).copied().unwrap_or(false),
            _ => self.area_passes(None),
        };
        self.row_passes(row, area_ok)
    }

    /// The events of `store` that pass, as a store of their own (same order). With a text
    /// search, the events that pass the rest are read in file order, a batch per file read.
    pub fn apply(&self, store: &EventStore) -> EventStore {
        let areas = self.area_table(store);
        if !self.needs_text() {
            return store.subset(|i| self.row_passes_at(store, &areas, i));
        }
        // Each dataset's folded texts (read back once, at the first search) say which of
        // its records hold every word.
        let hits: Vec<Vec<bool>> = store
            .all_datasets()
            .iter()
            .zip(store.shown())
            .map(|(d, &shown)| match shown {
                true => d.texts().matching(&self.words),
                false => Vec::new(),
            })
            .collect();
        store.subset(|i| {
            self.row_passes_at(store, &areas, i)
                && store.identity(i).is_some_and(|(d, rec)| {
                    hits.get(usize::from(d))
                        .and_then(|h| h.get(rec as usize))
                        .copied()
                        .unwrap_or(false)
                })
        })
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
            regions: vec!["Kharkiv Oblast".to_owned()],
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
            countries: vec!["UA".to_owned()],
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
