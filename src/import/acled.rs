//! ACLED CSV exports: the pre-2023 layout (data_id, event_id_no_cnty, iso3), the 2023 layout
//! (disorder_type, civilian_targeting, tags), re-ordered and UPPERCASE headers. Dates in any of
//! the export tool's forms; `time_precision` and `geo_precision` become the event's precision;
//! `fatalities` → killed; weapon and target inferred from `sub_event_type` and `notes`.

use super::fields;
use super::records::Refusal;
use super::table::{Record, Table};
use super::time::{DayOrder, date_order_for, parse_loose_date};
use super::{Format, LoadReport, RejectReason};
use crate::model::{
    DAY, Event, EventTime, Location, LocationPrecision, Seconds, Source, Target, TimePrecision,
    Weapon,
};

/// Whether a header (already lower-cased) is an ACLED export.
pub(super) fn is_acled(headers: &[String]) -> bool {
    let has = |n: &str| headers.iter().any(|h| h == n);
    has("event_id_cnty") && has("event_date") && has("latitude") && has("longitude")
}

/// Keywords looked for in ACLED notes (case-insensitive): weapon names first, then, from
/// [`GENERAL`] on, the general words found in most notes.
const NOTE_WORDS: [&str; 21] = [
    "shahed",         // 0
    "geran",          // 1
    "loitering",      // 2
    "kamikaze drone", // 3
    "ballistic",      // 4
    "iskander",       // 5
    "kinzhal",        // 6
    "kn-23",          // 7
    "cruise missile", // 8
    "kalibr",         // 9
    "kh-101",         // 10
    "kh-555",         // 11
    "guided bomb",    // 12
    "glide bomb",     // 13
    "kab",            // 14
    "aerial bomb",    // 15
    "drone",          // 16
    "uav",            // 17
    "missile",        // 18
    "artillery",      // 19
    "shell",          // 20
];

/// First of the general words in [`NOTE_WORDS`].
const GENERAL: usize = 16;

/// Two SIMD (Teddy) searchers, one for the weapon names and one for the general words. Two
/// small searches are faster than one over all keywords (fewer false candidates to check),
/// and since no two keywords of one group overlap, every keyword that occurs is found, so a
/// note's bits say exactly which keywords it contains ("kamikaze drone" also sets "drone").
static NOTE_SEARCHERS: std::sync::LazyLock<
    Option<(
        aho_corasick::packed::Searcher,
        aho_corasick::packed::Searcher,
    )>,
> = std::sync::LazyLock::new(|| {
    let searcher = |words: &[&str]| {
        aho_corasick::packed::Config::new()
            .match_kind(aho_corasick::packed::MatchKind::LeftmostLongest)
            .builder()
            .extend(words)
            .build()
    };
    Some((
        searcher(&NOTE_WORDS[..GENERAL])?,
        searcher(&NOTE_WORDS[GENERAL..])?,
    ))
});

/// Call `found(start, k)` for keywords `NOTE_WORDS[k]` found in lower-cased `text`.
fn find_words(text: &[u8], mut found: impl FnMut(usize, usize)) {
    match NOTE_SEARCHERS.as_ref() {
        Some((names, general)) => {
            for m in names.find_iter(text) {
                found(m.start(), m.pattern().as_usize());
            }
            for m in general.find_iter(text) {
                found(m.start(), GENERAL + m.pattern().as_usize());
            }
        }
        None => {
            for (k, w) in NOTE_WORDS.iter().enumerate() {
                for start in memchr::memmem::find_iter(text, w) {
                    found(start, k);
                }
            }
        }
    }
}

thread_local! {
    /// Scratch space for lower-casing notes.
    static LOWER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Bit `k` set when `NOTE_WORDS[k]` occurs in `notes` (ignoring ASCII case). Works on bytes:
/// the keywords are ASCII, so UTF-8 and Windows-1252 text give the same answer undecoded.
fn note_words(notes: &[u8]) -> u32 {
    LOWER.with(|buf| {
        // Lower-cased into a buffer reused for every note of the thread.
        let mut buf = buf.borrow_mut();
        buf.clear();
        buf.extend(notes.iter().map(u8::to_ascii_lowercase));
        let mut words = 0;
        find_words(&buf, |_, k| words |= 1 << k);
        words
    })
}

/// [`note_words`] of many notes in one search: `text` holds the notes lower-cased, each
/// followed by a newline (which no keyword holds), note `i` ending at `ends[i]`. At a million
/// notes, one search per note costs more in set-up than in searching.
pub(crate) fn note_words_joined(text: &[u8], ends: &[u32]) -> Vec<u32> {
    let mut words = vec![0u32; ends.len()];
    // Each searcher reports its matches left to right, so the note is found by walking on
    // from the previous match (from the start again when the second searcher begins).
    let (mut note, mut last) = (0, 0);
    find_words(text, |start, k| {
        if start < last {
            note = 0;
        }
        last = start;
        while ends.get(note).is_some_and(|&e| e as usize <= start) {
            note += 1;
        }
        if let Some(w) = words.get_mut(note) {
            *w |= 1 << k;
        }
    });
    words
}

/// What an ACLED sub-event type says about the weapon before the notes are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SubEvent {
    /// "Air/drone strike".
    AirDrone,
    /// "Shelling/artillery/missile attack".
    Shelling,
    /// "Remote explosive/landmine/IED".
    Explosive,
    /// Anything else.
    Other,
}

impl SubEvent {
    /// Classify a sub-event type (ignoring case).
    pub(crate) fn of(sub_event: &[u8]) -> Self {
        let has = |k: &str| {
            sub_event
                .windows(k.len())
                .any(|w| w.eq_ignore_ascii_case(k.as_bytes()))
        };
        if has("air/drone") {
            Self::AirDrone
        } else if has("shelling") || has("artillery") {
            Self::Shelling
        } else if has("remote explosive") || has("landmine") || has("ied") {
            Self::Explosive
        } else {
            Self::Other
        }
    }

    /// The weapon, given the keyword bits of the notes ([`note_words`]).
    pub(crate) fn weapon(self, words: u32) -> Option<Weapon> {
        let has = |k: &[usize]| k.iter().any(|k| words & (1 << k) != 0);
        if has(&[0, 1, 2, 3]) {
            return Some(Weapon::Drone);
        }
        if has(&[4, 5, 6, 7]) {
            return Some(Weapon::BallisticMissile);
        }
        if has(&[8, 9, 10, 11]) {
            return Some(Weapon::CruiseMissile);
        }
        if has(&[12, 13, 14, 15]) {
            return Some(Weapon::GuidedBomb);
        }
        match self {
            Self::AirDrone => Some(if has(&[16, 17]) {
                Weapon::Drone
            } else if has(&[18]) {
                Weapon::Other
            } else {
                Weapon::Unknown
            }),
            Self::Shelling => Some(if has(&[18]) && !has(&[19]) && !has(&[20]) {
                Weapon::Other
            } else {
                Weapon::Artillery
            }),
            Self::Explosive => Some(Weapon::Other),
            Self::Other => None,
        }
    }
}

/// Weapon from ACLED's sub-event type and the notes text.
pub fn infer_weapon(sub_event: &str, notes: &str) -> Option<Weapon> {
    SubEvent::of(sub_event.as_bytes()).weapon(note_words(notes.as_bytes()))
}

/// Target keywords in notes, in priority order: the first group any keyword of which the
/// notes hold is the target ("a residential building near a railway station" is residential).
const TARGET_WORDS: &[(Target, &[&str])] = &[
    (
        Target::Residential,
        &["residential", "apartment", "house", "homes"],
    ),
    (
        Target::Energy,
        &["power plant", "substation", "energy", "power line"],
    ),
    (Target::Healthcare, &["hospital", "clinic", "medical"]),
    (Target::Education, &["school", "university", "kindergarten"]),
    (
        Target::Transport,
        &["railway", "bridge", "port ", "station"],
    ),
    (
        Target::IndustrialFuel,
        &["oil depot", "refinery", "fuel", "factory"],
    ),
];

/// One searcher for every target keyword (pattern `k` is the `k`-th word in
/// [`TARGET_WORDS`] order), with the group of each pattern.
static TARGET_SEARCHER: std::sync::LazyLock<Option<(aho_corasick::AhoCorasick, Vec<u8>)>> =
    std::sync::LazyLock::new(|| {
        let words = TARGET_WORDS.iter().flat_map(|(_, w)| w.iter());
        let groups = TARGET_WORDS
            .iter()
            .enumerate()
            .flat_map(|(g, (_, w))| std::iter::repeat_n(g as u8, w.len()))
            .collect();
        aho_corasick::AhoCorasick::new(words)
            .ok()
            .map(|a| (a, groups))
    });

/// The target of each note of lower-cased `text` (laid out as for [`note_words_joined`]).
/// Overlapping matches are all seen, so the answer is the same as asking each keyword.
pub(crate) fn targets_joined(text: &[u8], ends: &[u32]) -> Vec<Option<Target>> {
    let mut best = vec![u8::MAX; ends.len()];
    if let Some((searcher, groups)) = TARGET_SEARCHER.as_ref() {
        let mut note = 0;
        for m in searcher.find_overlapping_iter(text) {
            while ends.get(note).is_some_and(|&e| e as usize <= m.start()) {
                note += 1;
            }
            let g = groups
                .get(m.pattern().as_usize())
                .copied()
                .unwrap_or(u8::MAX);
            if let Some(b) = best.get_mut(note) {
                *b = (*b).min(g);
            }
        }
    }
    best.into_iter()
        .map(|g| TARGET_WORDS.get(usize::from(g)).map(|(t, _)| *t))
        .collect()
}

/// Target category from notes keywords (only when the notes say so).
pub fn infer_target(notes: &str) -> Option<Target> {
    let mut n = notes.to_ascii_lowercase().into_bytes();
    n.push(b'\n');
    let end = u32::try_from(n.len()).unwrap_or(u32::MAX);
    targets_joined(&n, &[end]).pop().flatten()
}

/// Column positions of an ACLED export, by (lower-case) name: the fields both the ordinary
/// and the parallel reader ([`super::bulk`]) read.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cols {
    /// event_id_cnty.
    pub id: Option<usize>,
    /// event_date.
    pub date: Option<usize>,
    /// latitude.
    pub lat: Option<usize>,
    /// longitude.
    pub lon: Option<usize>,
    /// time_precision.
    pub time_precision: Option<usize>,
    /// geo_precision.
    pub geo_precision: Option<usize>,
    /// fatalities.
    pub fatalities: Option<usize>,
    /// sub_event_type.
    pub sub_event: Option<usize>,
    /// event_type.
    pub event_type: Option<usize>,
    /// notes.
    pub notes: Option<usize>,
    /// location.
    pub location: Option<usize>,
    /// admin1.
    pub admin1: Option<usize>,
    /// country.
    pub country: Option<usize>,
    /// source.
    pub source: Option<usize>,
}

impl Cols {
    /// The columns of a lower-cased header.
    pub fn new(lower: &[String]) -> Self {
        let c = |n: &str| lower.iter().position(|h| h == n);
        Self {
            id: c("event_id_cnty"),
            date: c("event_date"),
            lat: c("latitude"),
            lon: c("longitude"),
            time_precision: c("time_precision"),
            geo_precision: c("geo_precision"),
            fatalities: c("fatalities"),
            sub_event: c("sub_event_type"),
            event_type: c("event_type"),
            notes: c("notes"),
            location: c("location"),
            admin1: c("admin1"),
            country: c("country"),
            source: c("source"),
        }
    }

    /// The columns read into typed fields (the others are kept as extra properties).
    /// sub_event_type and event_type are kept too: the title only summarises them.
    fn consumed(&self) -> Vec<Option<usize>> {
        vec![
            self.id,
            self.date,
            self.lat,
            self.lon,
            self.time_precision,
            self.geo_precision,
            self.fatalities,
            self.notes,
            self.location,
            self.admin1,
            self.country,
            self.source,
        ]
    }
}

/// Why a row has no event_date.
pub(crate) const MISSING_DATE: &str = "empty event_date";

/// The stated day of a row whose event_date read as `day` (`None`: not a date), or why it is
/// rejected; `date_text` gives the value for the message, only needed then.
pub(crate) fn stated_day(
    day: Option<Seconds>,
    date_text: impl FnOnce() -> String,
) -> Result<Seconds, Refusal> {
    let Some(day) = day else {
        return Err((
            RejectReason::InvalidDate,
            format!("event_date {} is not a date", fields::q(&date_text())),
        ));
    };
    if let Some(why) = super::time::implausible(&EventTime::at(day, TimePrecision::Day)) {
        return Err((
            RejectReason::ImplausibleDate,
            format!("event_date {}: {why}", fields::q(&date_text())),
        ));
    }
    Ok(day)
}

/// The event's time from its stated day and ACLED's time_precision code (1 = that day, 2 =
/// within the week around it, 3 = that month), with the note saying so for a range.
pub(crate) fn event_time(day: Seconds, code: Option<&[u8]>) -> (EventTime, Option<&'static str>) {
    match code {
        Some(b"2") => (
            EventTime::range(day - 3 * DAY, day + 4 * DAY),
            Some("ACLED time_precision 2: the event happened within a week around this date"),
        ),
        Some(b"3") => (
            EventTime::range(day - 15 * DAY, day + 16 * DAY),
            Some("ACLED time_precision 3: only the month around this date is known"),
        ),
        _ => (EventTime::at(day, TimePrecision::Day), None),
    }
}

/// ACLED's geo_precision code (1 = the place, 2 = near it / its district, 3 = its region).
pub(crate) fn location_precision(code: Option<&[u8]>) -> LocationPrecision {
    match code {
        Some(b"2") => LocationPrecision::District,
        Some(b"3") => LocationPrecision::Region,
        _ => LocationPrecision::Settlement,
    }
}

/// What is known of a record read back, and what of it is wanted.
pub(super) struct Known {
    /// The weapons and target the load inferred (`None`: infer them; the keyword search
    /// over the notes is most of the cost of reading a record back).
    pub inferred: Option<(Vec<Weapon>, Option<Target>)>,
    /// Whether the extra properties are wanted (text search reads none).
    pub extras: bool,
}

impl Default for Known {
    /// Nothing known; the whole event wanted.
    fn default() -> Self {
        Self {
            inferred: None,
            extras: true,
        }
    }
}

/// How the rows of one ACLED file are read.
pub(super) struct Reader<'h> {
    headers: &'h [String],
    cols: Cols,
    consumed: fields::Consumed,
    order: DayOrder,
}

impl<'h> Reader<'h> {
    /// A reader for a file with this lower-cased header and day/month order (decided from
    /// the whole file: [`date_order_for`]).
    pub fn new(headers: &'h [String], order: DayOrder) -> Self {
        let cols = Cols::new(headers);
        Self {
            headers,
            consumed: fields::Consumed::new(headers, cols.consumed()),
            cols,
            order,
        }
    }

    /// The names [`Self::event`] gives the extra properties it keeps (the columns it does
    /// not read into typed fields), in column order.
    pub fn extra_names(&self) -> Vec<String> {
        self.headers
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.consumed.has(*i))
            .map(|(i, _)| fields::extra_key(self.headers, i))
            .collect()
    }

    /// One row as an event, or why not.
    pub fn event(&self, rec: Record<'_>) -> Result<Event, Refusal> {
        self.event_with(rec, Known::default())
    }

    /// [`Reader::event`], with what is `known` of the record.
    pub fn event_with(&self, rec: Record<'_>, known: Known) -> Result<Event, Refusal> {
        let inferred = known.inferred;
        let c = &self.cols;
        let (lat, lon) = fields::coords(rec.get(c.lat), rec.get(c.lon))?;
        let Some(date_s) = rec.get(c.date) else {
            return Err((RejectReason::MissingDate, MISSING_DATE.into()));
        };
        let day = stated_day(parse_loose_date(date_s, &self.order), || date_s.to_owned())?;
        let (time, time_note) = event_time(day, rec.get(c.time_precision).map(str::as_bytes));
        let location = Location {
            lat,
            lon,
            precision: location_precision(rec.get(c.geo_precision).map(str::as_bytes)),
            place: rec.text(c.location),
            admin1: rec.text(c.admin1),
            country: rec.text(c.country),
        };
        let id = rec
            .text(c.id)
            .unwrap_or_else(|| format!("row-{}", rec.line));
        let mut e = Event::new(id, time, location);
        if time.precision == TimePrecision::Range {
            e.stated_date = Some(day);
        }
        e.time_note = time_note.map(str::to_owned);
        self.describe(&mut e, rec, inferred);
        if known.extras {
            fields::push_extra(&mut e, rec.fields, &self.consumed);
        }
        Ok(e)
    }

    /// Weapon, target, title, casualties, text and sources.
    fn describe(
        &self,
        e: &mut Event,
        rec: Record<'_>,
        inferred: Option<(Vec<Weapon>, Option<Target>)>,
    ) {
        let c = &self.cols;
        let sub = rec.text(c.sub_event).unwrap_or_default();
        let text = rec.text(c.notes).unwrap_or_default();
        (e.weapons, e.target) = inferred.unwrap_or_else(|| {
            let weapons = infer_weapon(&sub, &text).into_iter().collect();
            (weapons, infer_target(&text))
        });
        e.title = Some(match (&sub, &e.location.place) {
            (s, Some(p)) if !s.is_empty() => format!("{s} — {p}"),
            (s, _) if !s.is_empty() => s.clone(),
            _ => rec
                .text(c.event_type)
                .unwrap_or_else(|| "ACLED event".to_owned()),
        });
        e.killed = rec.get(c.fatalities).and_then(fields::count);
        e.description = (!text.is_empty()).then_some(text);
        if let Some(src) = rec.get(c.source) {
            e.sources = src
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Source {
                    outlet: Some(s.to_owned()),
                    ..Source::default()
                })
                .collect();
        }
    }
}

/// Import an ACLED export; numeric dates day- or month-first as the whole file shows.
pub(super) fn load(file: &str, table: &Table) -> LoadReport {
    let date = Cols::new(&table.lower).date;
    let order = date_order_for(table.records().filter_map(|r| r.get(date)));
    let notes = fields::day_order_note(&order).into_iter().collect();
    let reader = Reader::new(&table.lower, order);
    table
        .events(|rec| reader.event(rec))
        .report(file, Format::Acled, notes)
}

#[cfg(test)]
mod tests {
    use super::super::load_bytes;
    use super::*;

    #[test]
    fn weapons_from_sub_event_and_notes() {
        assert_eq!(
            infer_weapon(
                "Air/drone strike",
                "Russian forces attacked with Shahed drones"
            ),
            Some(Weapon::Drone)
        );
        assert_eq!(
            infer_weapon(
                "Shelling/artillery/missile attack",
                "shelled with MLRS and artillery"
            ),
            Some(Weapon::Artillery)
        );
        assert_eq!(
            infer_weapon("Air/drone strike", "an Iskander ballistic missile hit"),
            Some(Weapon::BallisticMissile)
        );
        assert_eq!(infer_weapon("Peaceful protest", "people protested"), None);
    }

    /// 2023+ layout, re-ordered columns, precision codes, several date forms.
    const NEW_LAYOUT: &str = "\
event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,civilian_targeting,iso,country,admin1,location,latitude,longitude,geo_precision,source,notes,fatalities,tags,timestamp
UKR1,15 March 2024,2024,1,Political violence,Explosions/Remote violence,Air/drone strike,Military Forces of Russia,Civilian targeting,804,Ukraine,Odesa,Odesa,46.4775,30.7326,1,Ukrainska Pravda; Suspilne,\"On 15 March 2024, Russian forces struck a residential area of Odesa with ballistic missiles, killing 21.\",21,,1710806400
UKR2,9-May-20,2020,2,Political violence,Explosions/Remote violence,Shelling/artillery/missile attack,Military Forces of Russia,,804,Ukraine,Donetsk,Avdiivka,48.1394,37.7497,2,OSCE,\"Shelling near Avdiivka.\",0,,1589000000
UKR3,30-Sept-24,2024,3,Political violence,Battles,Armed clash,Military Forces of Ukraine,,804,Ukraine,Kharkiv,Kupiansk,49.7106,37.6156,3,ISW,\"Clashes near Kupiansk.\",,,1727654400
UKR4,2024-03-15,2024,1,Political violence,Explosions/Remote violence,Air/drone strike,Military Forces of Russia,,804,Ukraine,Kyiv City,Kyiv,,30.52,1,Kyiv Independent,\"No coordinates.\",0,,1710460800
";

    #[test]
    fn reads_the_2023_layout_with_mixed_date_forms() {
        let r = load_bytes("acled.csv", NEW_LAYOUT.as_bytes()).unwrap();
        assert_eq!(r.format, Format::Acled);
        assert_eq!(r.records, 4);
        assert_eq!(r.events.len(), 3);
        assert_eq!(r.rejected[0].reason, RejectReason::MissingLocation);
        assert_eq!(r.rejected[0].record, super::super::RecordRef::Row(5));
        let odesa = &r.events[0];
        assert_eq!(odesa.time.display(), "2024-03-15");
        assert_eq!(odesa.killed, Some(21));
        assert_eq!(odesa.weapons, vec![Weapon::BallisticMissile]);
        assert_eq!(odesa.target, Some(Target::Residential));
        assert_eq!(odesa.location.precision, LocationPrecision::Settlement);
        assert_eq!(odesa.sources.len(), 2);
        let avdiivka = &r.events[1];
        assert_eq!(avdiivka.time.precision, TimePrecision::Range);
        assert_eq!(avdiivka.time.display(), "2020-05-06 – 2020-05-12");
        assert_eq!(avdiivka.location.precision, LocationPrecision::District);
        assert_eq!(avdiivka.weapons, vec![Weapon::Artillery]);
        let kupiansk = &r.events[2];
        assert_eq!(kupiansk.location.precision, LocationPrecision::Region);
        assert_eq!(kupiansk.killed, None, "empty fatalities is unknown");
        assert!(
            kupiansk.time.overlaps(1_727_654_400, 1_727_654_401),
            "30 Sept 2024 in range"
        );
    }

    /// Pre-2023 layout with UPPERCASE headers and D/M/Y numeric dates.
    const OLD_LAYOUT_UPPER: &str = "\
DATA_ID,ISO,EVENT_ID_CNTY,EVENT_ID_NO_CNTY,EVENT_DATE,YEAR,TIME_PRECISION,EVENT_TYPE,SUB_EVENT_TYPE,ACTOR1,COUNTRY,ADMIN1,LOCATION,LATITUDE,LONGITUDE,GEO_PRECISION,SOURCE,NOTES,FATALITIES,ISO3
1,804,UKR10,10,05/03/2022 00:00:00,2022,1,Explosions/Remote violence,Air/drone strike,Military Forces of Russia,Ukraine,Kharkiv,Kharkiv,49.99,36.23,1,Reuters,Air strike on Kharkiv,3,UKR
2,804,UKR11,11,14/03/2022 00:00:00,2022,1,Explosions/Remote violence,Air/drone strike,Military Forces of Russia,Ukraine,Kharkiv,Kharkiv,49.99,36.23,1,Reuters,Air strike on Kharkiv,1,UKR
";

    #[test]
    fn uppercase_legacy_layout_and_day_first_dates() {
        let r = load_bytes("old.csv", OLD_LAYOUT_UPPER.as_bytes()).unwrap();
        assert_eq!(r.format, Format::Acled);
        assert_eq!(r.events.len(), 2, "{:?}", r.rejected);
        assert_eq!(
            r.events[0].time.display(),
            "2022-03-05",
            "5 March, not 3 May"
        );
        assert!(
            r.notes
                .iter()
                .any(|n| n.contains("day/month/year") && n.contains("14/03/2022"))
        );
    }
}
