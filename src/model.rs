//! The event model: what one strike or attack report says, with its uncertainty kept explicit.
//!
//! No egui here: importers produce these types, the store indexes them, the UI only reads them.

use serde::{Deserialize, Serialize};

/// Seconds since the Unix epoch, UTC. All times in the store use this unit so that window
/// queries are integer comparisons.
pub type Seconds = i64;

/// One day in seconds.
pub const DAY: Seconds = 86_400;

/// How precisely the time of an event is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimePrecision {
    /// Known to the minute (or better).
    Minute,
    /// Known to the hour.
    Hour,
    /// Known to the day; the time of day is unknown (not midnight).
    Day,
    /// Only a range is known (e.g. "sometime that week", or a derived date window).
    Range,
}

impl TimePrecision {
    /// Human-readable name shown in the detail panel.
    pub fn label(self) -> &'static str {
        match self {
            Self::Minute => "to the minute",
            Self::Hour => "to the hour",
            Self::Day => "day (time of day unknown)",
            Self::Range => "approximate range",
        }
    }

    /// Parse the `time_precision` property of our GeoJSON schema.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "minute" | "second" | "exact" => Some(Self::Minute),
            "hour" => Some(Self::Hour),
            "day" | "date" => Some(Self::Day),
            "range" | "approximate" | "approx" | "week" | "month" | "year" => Some(Self::Range),
            _ => None,
        }
    }
}

/// When an event happened: always a half-open interval `[start, end)` plus its precision.
///
/// A day-precision event covers the whole day rather than pretending to be at midnight, and a
/// range keeps both ends, so window queries treat it as "possibly in this window" wherever the
/// ranges overlap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventTime {
    /// Earliest moment the event may have happened (inclusive).
    pub start: Seconds,
    /// Latest moment (exclusive). Always `> start`.
    pub end: Seconds,
    /// How precisely the time is known.
    pub precision: TimePrecision,
}

impl EventTime {
    /// A time known to the given precision, starting at `start`. For `Range`, use [`Self::range`].
    pub fn at(start: Seconds, precision: TimePrecision) -> Self {
        let len = match precision {
            TimePrecision::Minute => 60,
            TimePrecision::Hour => 3_600,
            TimePrecision::Day | TimePrecision::Range => DAY,
        };
        Self {
            start,
            end: start + len,
            precision,
        }
    }

    /// A range `[start, end)`. An empty or inverted range becomes one second long at `start`'s
    /// later end so that it never vanishes from queries.
    pub fn range(start: Seconds, end: Seconds) -> Self {
        let (start, end) = if end > start {
            (start, end)
        } else {
            (end.min(start), end.max(start) + 1)
        };
        Self {
            start,
            end,
            precision: TimePrecision::Range,
        }
    }

    /// Length of the interval in seconds.
    pub fn span(&self) -> Seconds {
        self.end - self.start
    }

    /// Whether this interval overlaps the half-open window `[from, to)`.
    pub fn overlaps(&self, from: Seconds, to: Seconds) -> bool {
        self.start < to && self.end > from
    }

    /// Text for the UI, honest about precision ("10 Jul 2025", "9 Jul 2025 21:00 – 10 Jul 06:00 UTC").
    pub fn display(&self) -> String {
        match self.precision {
            TimePrecision::Minute => format!("{} UTC", fmt_minute(self.start)),
            TimePrecision::Hour => format!("{}:xx UTC", fmt_hour(self.start)),
            TimePrecision::Day => fmt_date(self.start),
            TimePrecision::Range => {
                let last = self.end - 1;
                let whole_days = self.start.rem_euclid(DAY) == 0 && self.end.rem_euclid(DAY) == 0;
                if whole_days {
                    if self.end - self.start == DAY {
                        fmt_date(self.start)
                    } else {
                        format!("{} – {}", fmt_date(self.start), fmt_date(last))
                    }
                } else {
                    format!("{} – {} UTC", fmt_minute(self.start), fmt_minute(self.end))
                }
            }
        }
    }
}

/// ISO date (YYYY-MM-DD) of a UTC timestamp.
pub fn fmt_date(t: Seconds) -> String {
    // The civil date's own Display (YYYY-MM-DD) is several times faster than strftime,
    // which an export of a million events calls twice per row.
    match jiff::Timestamp::from_second(t) {
        Ok(ts) => jiff::tz::Offset::UTC.to_datetime(ts).date().to_string(),
        Err(_) => format!("@{t}"),
    }
}

/// Date with hour, e.g. "2025-07-10 01".
fn fmt_hour(t: Seconds) -> String {
    match jiff::Timestamp::from_second(t) {
        Ok(ts) => ts.strftime("%Y-%m-%d %H").to_string(),
        Err(_) => format!("@{t}"),
    }
}

/// Date and minute, e.g. "2025-07-10 01:30".
pub fn fmt_minute(t: Seconds) -> String {
    match jiff::Timestamp::from_second(t) {
        Ok(ts) => ts.strftime("%Y-%m-%d %H:%M").to_string(),
        Err(_) => format!("@{t}"),
    }
}

/// Normalised Web Mercator coordinates (0..1, y down) of a lat/lon, as walkers uses.
pub fn mercator(lat: f64, lon: f64) -> (f64, f64) {
    let lat = lat.clamp(-85.05, 85.05).to_radians();
    let x = (lon + 180.0) / 360.0;
    // ln(tan φ + sec φ) = ½ ln((1 + sin φ) / (1 − sin φ)): one sine instead of tan and cos.
    let s = lat.sin();
    let y = 0.5 - ((1.0 + s) / (1.0 - s)).ln() / (4.0 * std::f64::consts::PI);
    (x, y)
}

/// Inverse of [`mercator`].
pub fn unmercator(x: f64, y: f64) -> (f64, f64) {
    let lon = x * 360.0 - 180.0;
    let n = std::f64::consts::PI * (1.0 - 2.0 * y);
    let lat = n.sinh().atan().to_degrees();
    (lat, lon)
}

/// How precisely the location of an event is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationPrecision {
    /// The exact spot (building, street).
    Exact,
    /// Somewhere in a town or village; the point is its centre.
    Settlement,
    /// Somewhere in a district (raion, city district).
    District,
    /// Only the oblast / region is known; the point is the region's centroid.
    Region,
    /// Only the country is known.
    Country,
}

impl LocationPrecision {
    /// All precisions, finest first; the index is the store's compact code.
    pub const ALL: [LocationPrecision; 5] = [
        Self::Exact,
        Self::Settlement,
        Self::District,
        Self::Region,
        Self::Country,
    ];

    /// Position in [`Self::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Human-readable name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Exact => "exact point",
            Self::Settlement => "settlement",
            Self::District => "district",
            Self::Region => "oblast / region",
            Self::Country => "country",
        }
    }

    /// Parse the `location_precision` property of our GeoJSON schema.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "exact" | "point" | "address" => Some(Self::Exact),
            "settlement" | "city" | "town" | "village" => Some(Self::Settlement),
            "district" | "raion" => Some(Self::District),
            "region" | "oblast" | "admin1" | "province" => Some(Self::Region),
            "country" | "national" | "nationwide" => Some(Self::Country),
            _ => None,
        }
    }

    /// Whether the map should show an area indication instead of a pin.
    pub fn is_area(self) -> bool {
        matches!(self, Self::Region | Self::Country)
    }
}

/// Where an event happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// Latitude in degrees (WGS84).
    pub lat: f64,
    /// Longitude in degrees (WGS84).
    pub lon: f64,
    /// How precise the point is.
    pub precision: LocationPrecision,
    /// Place name (settlement, district or region name).
    pub place: Option<String>,
    /// First-level region (oblast).
    pub admin1: Option<String>,
    /// Country name.
    pub country: Option<String>,
}

impl Location {
    /// "Bohodukhiv, Kharkiv Oblast, Ukraine" from whatever parts are known.
    pub fn display_name(&self) -> String {
        let parts: Vec<&str> = [&self.place, &self.admin1, &self.country]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .filter(|s| !s.is_empty())
            .collect();
        let mut out: Vec<&str> = Vec::with_capacity(parts.len());
        for p in parts {
            if !out.contains(&p) {
                out.push(p);
            }
        }
        if out.is_empty() {
            format!("{:.4}, {:.4}", self.lat, self.lon)
        } else {
            out.join(", ")
        }
    }
}

/// The weapon used, as far as reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weapon {
    /// Attack drones, including Shahed/Geran-type loitering munitions.
    Drone,
    /// Cruise missiles (Kh-101, Kalibr, ...).
    CruiseMissile,
    /// Ballistic missiles (Iskander-M, KN-23, ...).
    BallisticMissile,
    /// Guided aerial bombs (KAB/UMPK glide bombs).
    GuidedBomb,
    /// Artillery and multiple-launch rocket systems.
    Artillery,
    /// Another weapon; the name is in [`Event::weapon_detail`].
    Other,
    /// Not reported.
    Unknown,
}

impl Weapon {
    /// All weapons, in legend order. The index into this array is the weapon's column in
    /// per-weapon histograms.
    pub const ALL: [Weapon; 7] = [
        Weapon::Drone,
        Weapon::CruiseMissile,
        Weapon::BallisticMissile,
        Weapon::GuidedBomb,
        Weapon::Artillery,
        Weapon::Other,
        Weapon::Unknown,
    ];

    /// Position in [`Self::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Legend label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Drone => "Drone",
            Self::CruiseMissile => "Cruise missile",
            Self::BallisticMissile => "Ballistic missile",
            Self::GuidedBomb => "Guided aerial bomb",
            Self::Artillery => "Artillery / MLRS",
            Self::Other => "Other",
            Self::Unknown => "Unknown",
        }
    }

    /// Parse a weapon keyword from our schema or free text ("Shahed" → drone).
    pub fn parse(s: &str) -> Self {
        let l = s.trim().to_ascii_lowercase();
        let has = |k: &str| l.contains(k);
        if l.is_empty() || l == "unknown" || l == "unspecified" {
            Self::Unknown
        } else if has("drone") || has("shahed") || has("geran") || has("uav") || has("loitering") {
            Self::Drone
        } else if has("ballistic") || has("iskander") || has("kn-23") || has("kinzhal") {
            Self::BallisticMissile
        } else if has("cruise") || has("kalibr") || has("kh-101") || has("kh-55") {
            Self::CruiseMissile
        } else if has("guided_bomb")
            || has("guided bomb")
            || has("aerial bomb")
            || has("glide bomb")
            || has("kab")
        {
            Self::GuidedBomb
        } else if has("artillery") || has("mlrs") || has("shelling") || has("rocket launcher") {
            Self::Artillery
        } else {
            Self::Other
        }
    }
}

/// What was hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// Homes and apartment buildings.
    Residential,
    /// Power generation and grid.
    Energy,
    /// Heating, gas and water supply.
    HeatingWater,
    /// Hospitals and clinics.
    Healthcare,
    /// Schools and universities.
    Education,
    /// Rail, roads, ports.
    Transport,
    /// Industry, refineries, fuel depots.
    IndustrialFuel,
    /// Military objects.
    Military,
    /// Anything else.
    Other,
}

impl Target {
    /// All targets, in the order lists show them. The index into this array is the
    /// target's value in the store's columns ([`Self::index`]).
    pub const ALL: [Target; 9] = [
        Target::Residential,
        Target::Energy,
        Target::HeatingWater,
        Target::Healthcare,
        Target::Education,
        Target::Transport,
        Target::IndustrialFuel,
        Target::Military,
        Target::Other,
    ];

    /// Position in [`Self::ALL`].
    pub fn index(self) -> usize {
        Self::ALL
            .iter()
            .position(|t| *t == self)
            .unwrap_or(Self::ALL.len() - 1)
    }

    /// Human-readable name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Residential => "Residential",
            Self::Energy => "Energy",
            Self::HeatingWater => "Heating / water",
            Self::Healthcare => "Healthcare",
            Self::Education => "Education",
            Self::Transport => "Transport",
            Self::IndustrialFuel => "Industrial / fuel",
            Self::Military => "Military",
            Self::Other => "Other",
        }
    }

    /// Parse our schema's keyword or a free-text description.
    pub fn parse(s: &str) -> Option<Self> {
        let l = s.trim().to_ascii_lowercase();
        let has = |k: &str| l.contains(k);
        if l.is_empty() {
            None
        } else if has("residential") || has("home") || has("apartment") || has("house") {
            Some(Self::Residential)
        } else if has("heating") || has("water") || has("gas") {
            Some(Self::HeatingWater)
        } else if has("energy") || has("power") || has("electric") || has("grid") {
            Some(Self::Energy)
        } else if has("health") || has("hospital") || has("clinic") || has("medical") {
            Some(Self::Healthcare)
        } else if has("educat") || has("school") || has("universit") {
            Some(Self::Education)
        } else if has("transport") || has("rail") || has("port") || has("road") {
            Some(Self::Transport)
        } else if has("industr") || has("fuel") || has("oil") || has("refiner") || has("depot") {
            Some(Self::IndustrialFuel)
        } else if has("military") {
            Some(Self::Military)
        } else {
            Some(Self::Other)
        }
    }
}

/// A source that reported the event.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// Outlet or organisation ("Reuters", "UNN").
    pub outlet: Option<String>,
    /// Title or short description of the report.
    pub title: Option<String>,
    /// Link, if any. Only http(s) links are ever opened.
    pub url: Option<String>,
    /// Publication date as given (ISO date preferred).
    pub published: Option<String>,
    /// Who is quoted ("President Volodymyr Zelenskyy").
    pub quoted: Option<String>,
}

/// One strike or attack, or an attack-level total.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Identifier from the input, or a generated "file:record" one.
    pub id: String,
    /// Short headline.
    pub title: Option<String>,
    /// When.
    pub time: EventTime,
    /// Why the date is what it is, when it was derived or is uncertain.
    pub time_note: Option<String>,
    /// The single date the source states, when `time` is a range built around it (ACLED's
    /// event_date with time_precision 2 or 3). File summaries use it for first/last dates.
    pub stated_date: Option<Seconds>,
    /// Where.
    pub location: Location,
    /// How the location was arrived at, when it was derived or is uncertain (shown apart
    /// from the date's reasoning).
    #[serde(default)]
    pub location_note: Option<String>,
    /// Weapons used, primary first. Empty means unknown.
    pub weapons: Vec<Weapon>,
    /// Free-text weapon detail ("Shahed-type", a model name, or the "other" weapon).
    pub weapon_detail: Option<String>,
    /// What was hit.
    pub target: Option<Target>,
    /// People killed; `None` is "not reported", which is not zero.
    pub killed: Option<u32>,
    /// People injured; `None` is "not reported".
    pub injured: Option<u32>,
    /// Low and high estimates of the killed, where the source gives a range (UCDP low/high).
    pub killed_range: Option<(u32, u32)>,
    /// Children among the killed, where reported.
    pub children_killed: Option<u32>,
    /// Children among the injured, where reported.
    pub children_injured: Option<u32>,
    /// Weapons launched (attack-level reports).
    pub launched: Option<u32>,
    /// Weapons intercepted / shot down (attack-level reports).
    pub intercepted: Option<u32>,
    /// What happened, in words.
    pub description: Option<String>,
    /// Who reported it.
    pub sources: Vec<Source>,
    /// Every other property of the input record, kept and shown as-is.
    pub extra: Vec<(PropertyName, String)>,
}

/// The name of an extra property: shared by the events of one file (a file's million
/// records name the same few properties; each event holding its own copies cost memory,
/// and an allocation per property whenever a record was read back).
pub type PropertyName = std::sync::Arc<str>;

impl Event {
    /// A minimal event at a point and time; importers fill in the rest.
    pub fn new(id: impl Into<String>, time: EventTime, location: Location) -> Self {
        Self {
            id: id.into(),
            title: None,
            time,
            time_note: None,
            stated_date: None,
            location,
            location_note: None,
            weapons: Vec::new(),
            weapon_detail: None,
            target: None,
            killed: None,
            injured: None,
            killed_range: None,
            children_killed: None,
            children_injured: None,
            launched: None,
            intercepted: None,
            description: None,
            sources: Vec::new(),
            extra: Vec::new(),
        }
    }

    /// The weapon used for colour: the first reported, or unknown.
    pub fn primary_weapon(&self) -> Weapon {
        self.weapons.first().copied().unwrap_or(Weapon::Unknown)
    }

    /// Killed + injured where reported (unknown counts as nothing, not as zero, in the UI).
    pub fn casualties(&self) -> u32 {
        self.killed.unwrap_or(0) + self.injured.unwrap_or(0)
    }

    /// Headline for lists: the title, else "weapon · place".
    pub fn headline(&self) -> String {
        match &self.title {
            Some(t) if !t.is_empty() => t.clone(),
            _ => format!(
                "{} · {}",
                self.primary_weapon().label(),
                self.location.display_name()
            ),
        }
    }
}

/// A count with thousands separators: "1,234,567".
pub fn fmt_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "4 (3 children)", "unknown".
pub fn fmt_count(n: Option<u32>, children: Option<u32>) -> String {
    match (n, children) {
        (Some(n), Some(c)) if c > 0 => format!("{n} (incl. {c} children)"),
        (Some(n), _) => n.to_string(),
        (None, Some(c)) => format!("unknown (incl. {c} children)"),
        (None, None) => "unknown".to_owned(),
    }
}

/// Which dataset: where its events came from. Datasets are told apart by this, never by
/// their display names.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DatasetId {
    /// The sample dataset built into the app (`data/events.geojson`).
    #[default]
    Bundled,
    /// A file the user opened.
    File(std::path::PathBuf),
}

impl DatasetId {
    /// The file, for datasets read from one.
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            Self::Bundled => None,
            Self::File(p) => Some(p),
        }
    }
}

#[cfg(test)]
mod tests {
    /// Dates are written as strftime's "%Y-%m-%d" writes them, from year 1 to 9999.
    #[test]
    fn dates_are_written_year_month_day() {
        let mut t: i64 = -62_135_596_800;
        while t < 253_402_300_799 {
            let want = jiff::Timestamp::from_second(t)
                .unwrap()
                .strftime("%Y-%m-%d")
                .to_string();
            assert_eq!(super::fmt_date(t), want, "{t}");
            t += 86_400 * 97 + 3_599;
        }
    }
    use super::*;

    /// The projection against the textbook formula y = (1 − ln(tan φ + sec φ) / π) / 2, and
    /// back through [`unmercator`].
    #[test]
    fn mercator_matches_the_textbook_formula_and_inverts() {
        for lat in [-85.05, -60.0, -12.5, 0.0, 33.3, 48.5, 50.45, 70.0, 85.05] {
            for lon in [-180.0, -30.0, 0.0, 30.5, 180.0] {
                let (x, y) = mercator(lat, lon);
                let r = f64::to_radians(lat);
                let want = (1.0 - (r.tan() + 1.0 / r.cos()).ln() / std::f64::consts::PI) / 2.0;
                assert!((y - want).abs() < 1e-12, "{lat}: {y} vs {want}");
                assert!((x - (lon + 180.0) / 360.0).abs() < 1e-15);
                let (lat2, lon2) = unmercator(x, y);
                assert!((lat2 - lat).abs() < 1e-9 && (lon2 - lon).abs() < 1e-9);
            }
        }
        assert_eq!(mercator(0.0, 0.0), (0.5, 0.5));
    }

    #[test]
    fn day_precision_covers_the_whole_day_not_midnight() {
        let t = EventTime::at(20 * DAY, TimePrecision::Day);
        assert_eq!(t.span(), DAY);
        assert!(t.overlaps(20 * DAY + 12 * 3600, 20 * DAY + 13 * 3600));
        assert!(!t.overlaps(21 * DAY, 22 * DAY));
        assert_eq!(t.display(), "1970-01-21");
    }

    #[test]
    fn range_is_not_its_start() {
        let t = EventTime::range(10 * DAY, 20 * DAY);
        assert!(t.overlaps(15 * DAY, 16 * DAY));
        assert!(t.overlaps(19 * DAY, 30 * DAY));
        assert!(!t.overlaps(20 * DAY, 30 * DAY));
        assert_eq!(t.display(), "1970-01-11 – 1970-01-20");
        // inverted ranges are repaired, never empty
        let bad = EventTime::range(5, 5);
        assert!(bad.span() > 0);
    }

    #[test]
    fn weapon_keywords() {
        assert_eq!(Weapon::parse("Shahed-136"), Weapon::Drone);
        assert_eq!(Weapon::parse("ballistic_missile"), Weapon::BallisticMissile);
        assert_eq!(Weapon::parse("cruise_missile"), Weapon::CruiseMissile);
        assert_eq!(Weapon::parse("guided_bomb"), Weapon::GuidedBomb);
        assert_eq!(Weapon::parse("MLRS"), Weapon::Artillery);
        assert_eq!(Weapon::parse(""), Weapon::Unknown);
        assert_eq!(Weapon::parse("torpedo"), Weapon::Other);
        for (i, w) in Weapon::ALL.iter().enumerate() {
            assert_eq!(w.index(), i);
        }
    }

    #[test]
    fn unknown_counts_are_not_zero() {
        assert_eq!(fmt_count(None, None), "unknown");
        assert_eq!(fmt_count(Some(4), Some(3)), "4 (incl. 3 children)");
        assert_eq!(fmt_count(Some(0), None), "0");
    }

    #[test]
    fn location_name_skips_repeats() {
        let l = Location {
            lat: 50.45,
            lon: 30.52,
            precision: LocationPrecision::Settlement,
            place: Some("Kyiv".into()),
            admin1: Some("Kyiv".into()),
            country: Some("Ukraine".into()),
        };
        assert_eq!(l.display_name(), "Kyiv, Ukraine");
    }
}
