//! One placemark as an event: its fields (name, description, ExtendedData, folders), its
//! location and time, and its sources.

use kml::types::{Element, Placemark};

use super::super::RejectReason;
use super::super::fields::{self, q};
use super::super::records::Refusal;
use super::super::time::{DayOrder, implausible};
use super::clean::BAD_GEOMETRY;
use super::geometry::{Placed, locate};
use super::html::{decode_entities, text_of};
use super::when::{Dated, field_when, parse_when, time_span};
use super::{Stats, child_text};
use crate::model::{Event, Location, Source, Target, Weapon};

/// Placemark children that hold a location we do not read.
const UNREAD_GEOMETRIES: &[&str] = &["Model", "Track", "MultiTrack"];

// ExtendedData field names (normalised: lower case, words separated by one space), in order
// of preference.
const DATE_KEYS: &[&str] = &[
    "date",
    "event date",
    "date of attack",
    "attack date",
    "date of strike",
    "strike date",
    "date of incident",
    "incident date",
    "date of event",
    "datetime",
    "date time",
    "timestamp",
    "time stamp",
    "date utc",
    "start date",
    "date start",
    "begin",
    "start",
    "when",
    "verified date",
    "eventdate",
    "time",
    "day",
];
const END_KEYS: &[&str] = &["end date", "date end", "end", "until", "end time"];
const LAT_KEYS: &[&str] = &["latitude", "lat"];
const LON_KEYS: &[&str] = &["longitude", "lon", "lng", "long"];
const TITLE_KEYS: &[&str] = &["name", "title", "headline"];
const DESC_KEYS: &[&str] = &["description", "notes", "summary", "details"];
const PLACE_KEYS: &[&str] = &[
    "place",
    "location",
    "city",
    "settlement",
    "town",
    "village",
    "locality",
    "place name",
];
const ADMIN1_KEYS: &[&str] = &[
    "region",
    "oblast",
    "admin1",
    "admin 1",
    "governorate",
    "province",
];
const COUNTRY_KEYS: &[&str] = &["country"];
const KILLED_KEYS: &[&str] = &["killed", "fatalities", "deaths", "dead", "people killed"];
const INJURED_KEYS: &[&str] = &["injured", "wounded", "people injured"];
const WEAPON_KEYS: &[&str] = &["weapon", "weapons", "weapon type", "munition"];
const TARGET_KEYS: &[&str] = &["target", "targets", "target type"];
const SOURCE_KEYS: &[&str] = &[
    "source",
    "sources",
    "source url",
    "source link",
    "url",
    "link",
    "links",
    "reference",
    "references",
];

/// Words that make a folder name a weapon class ("Drone strikes", "KAB"): whole words, since
/// [`Weapon::parse`] looks for substrings and a folder named "Kabul" is no glide bomb.
const WEAPON_WORDS: &[&str] = &[
    "drone",
    "drones",
    "shahed",
    "shaheds",
    "geran",
    "uav",
    "uavs",
    "loitering",
    "ballistic",
    "iskander",
    "kinzhal",
    "kn-23",
    "cruise",
    "kalibr",
    "kh-101",
    "kh-55",
    "kab",
    "kabs",
    "glide",
    "guided",
    "artillery",
    "mlrs",
    "shelling",
];

/// Words that make a folder name a target class ("Energy infrastructure"), for the same
/// reason: [`Target::parse`] would read "Reports" as a port.
const TARGET_WORDS: &[&str] = &[
    "residential",
    "home",
    "homes",
    "house",
    "houses",
    "housing",
    "apartment",
    "apartments",
    "energy",
    "power",
    "electricity",
    "electric",
    "grid",
    "heating",
    "water",
    "gas",
    "hospital",
    "hospitals",
    "healthcare",
    "health",
    "medical",
    "clinic",
    "clinics",
    "school",
    "schools",
    "education",
    "university",
    "universities",
    "transport",
    "railway",
    "railways",
    "rail",
    "port",
    "ports",
    "road",
    "roads",
    "industrial",
    "industry",
    "fuel",
    "oil",
    "refinery",
    "refineries",
    "depot",
    "depots",
    "military",
];

/// A placemark with what is read from it before the file's day order is decided.
pub(super) struct Prepared<'a> {
    placemark: &'a Placemark,
    /// Enclosing folder names, outermost first.
    folders: Vec<&'a str>,
    /// ExtendedData fields, in order.
    fields: Fields,
    /// The TimeStamp or TimeSpan element, if any.
    kml_time: Option<&'a Element>,
    /// The field holding its date when it has no TimeStamp or TimeSpan.
    date_field: Option<usize>,
}

impl<'a> Prepared<'a> {
    pub(super) fn new(folders: Vec<&'a str>, placemark: &'a Placemark) -> Self {
        let fields = Fields::new(extended_data(placemark));
        let kml_time = placemark
            .children
            .iter()
            .find(|c| c.name == "TimeStamp" || c.name == "TimeSpan");
        let date_field = if kml_time.is_some() {
            None
        } else {
            fields.date_field()
        };
        Self {
            placemark,
            folders,
            fields,
            kml_time,
            date_field,
        }
    }

    /// The value of the date field, for deciding the file's day order.
    pub(super) fn field_date(&self) -> Option<&str> {
        self.date_field.map(|i| self.fields.value(i))
    }

    /// The placemark as an event, or why not.
    pub(super) fn event(
        &self,
        n: usize,
        order: &DayOrder,
        stats: &mut Stats,
    ) -> Result<Event, Refusal> {
        let p = self.placemark;
        let mut used = vec![false; self.fields.pairs.len()];
        let placed = self.location(&mut used)?;
        let dated = self.time(order, &mut used)?;
        let mut take = |keys: &[&str]| {
            let i = self.fields.find(keys)?;
            used[i] = true;
            Some(self.fields.value(i).to_owned())
        };
        let location = Location {
            lat: placed.lat,
            lon: placed.lon,
            precision: placed.precision,
            place: take(PLACE_KEYS),
            admin1: take(ADMIN1_KEYS),
            country: take(COUNTRY_KEYS),
        };
        let id = p
            .attrs
            .get("id")
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .map_or_else(|| format!("placemark-{n}"), str::to_owned);
        let mut e = Event::new(id, dated.time, location);
        e.time_note = dated.note;
        e.location_note = placed.note;
        if placed.shape {
            stats.shapes += 1;
        }
        if dated.partial {
            stats.partial += 1;
        }
        if let Some(key) = dated.field {
            *stats.fields.entry(key).or_default() += 1;
        }
        e.title = p.name.as_deref().and_then(text_of);
        e.description = p.description.as_deref().and_then(text_of);
        // A field repeating the name or description is not kept twice; one standing in for a
        // missing name or description is used.
        for (keys, slot) in [(TITLE_KEYS, &mut e.title), (DESC_KEYS, &mut e.description)] {
            if let Some(i) = self.fields.find(keys) {
                let v = self.fields.value(i);
                if slot.is_none() {
                    *slot = Some(v.to_owned());
                    used[i] = true;
                } else if slot.as_deref() == Some(v) {
                    used[i] = true;
                }
            }
        }
        if let Some(i) = self.fields.find(WEAPON_KEYS) {
            used[i] = true;
            let w = self.fields.value(i);
            let weapon = Weapon::parse(w);
            if weapon != Weapon::Unknown {
                e.weapons.push(weapon);
            }
            if weapon == Weapon::Other {
                e.weapon_detail = Some(w.to_owned());
            }
        }
        if let Some(i) = self.fields.find(TARGET_KEYS) {
            used[i] = true;
            e.target = Target::parse(self.fields.value(i));
        }
        for (keys, slot) in [(KILLED_KEYS, &mut e.killed), (INJURED_KEYS, &mut e.injured)] {
            // A count that is not a number ("3-5", "dozens") stays as it is, among the extras.
            if let Some(i) = self.fields.find(keys)
                && let Some(c) = fields::count(self.fields.value(i))
            {
                *slot = Some(c);
                used[i] = true;
            }
        }
        // Folders are how My Maps users group points: the innermost one naming a weapon or a
        // target says it for the placemarks in it, unless their own fields do.
        for folder in self.folders.iter().rev() {
            if e.weapons.is_empty()
                && let Some(w) = folder_weapon(folder)
            {
                e.weapons.push(w);
            }
            if e.target.is_none() {
                e.target = folder_target(folder);
            }
        }
        for (i, (_, value)) in self.fields.pairs.iter().enumerate() {
            if SOURCE_KEYS.contains(&self.fields.norm[i].as_str()) {
                used[i] = true;
                push_sources(&mut e.sources, value);
            }
        }
        if let Some(d) = p.description.as_deref() {
            for url in description_links(d) {
                push_url(&mut e.sources, url);
            }
        }
        if !self.folders.is_empty() {
            e.extra.push(("folder".into(), self.folders.join(" / ")));
        }
        for (i, (key, value)) in self.fields.pairs.iter().enumerate() {
            if !used[i] {
                e.extra.push((key.as_str().into(), value.clone()));
            }
        }
        Ok(e)
    }

    /// Where: the geometry, else latitude/longitude fields.
    fn location(&self, used: &mut [bool]) -> Result<Placed, Refusal> {
        let p = self.placemark;
        if let Some(g) = &p.geometry {
            return locate(g);
        }
        if let Some(bad) = p.children.iter().find(|c| c.name == BAD_GEOMETRY) {
            let reason = match bad.attrs.get("reason").map(String::as_str) {
                Some(k) if k == RejectReason::InvalidCoordinates.key() => {
                    RejectReason::InvalidCoordinates
                }
                _ => RejectReason::MissingLocation,
            };
            return Err((reason, bad.content.clone().unwrap_or_default()));
        }
        if let (Some(lat), Some(lon)) = (self.fields.find(LAT_KEYS), self.fields.find(LON_KEYS)) {
            let (lat_v, lon_v) = (self.fields.value(lat), self.fields.value(lon));
            let (lat_n, lon_n) = fields::coords(Some(lat_v), Some(lon_v))?;
            used[lat] = true;
            used[lon] = true;
            return Ok(Placed::exact(lat_n, lon_n));
        }
        let detail = match p
            .children
            .iter()
            .find(|c| UNREAD_GEOMETRIES.contains(&c.name.as_str()))
        {
            Some(c) => format!(
                "its location is a {} (not read: only Point, LineString, Polygon and \
                 MultiGeometry are)",
                c.name
            ),
            None => "no geometry (no Point, LineString or Polygon)".to_owned(),
        };
        Err((RejectReason::MissingLocation, detail))
    }

    /// When: the TimeStamp or TimeSpan, else the ExtendedData date field.
    fn time(&self, order: &DayOrder, used: &mut [bool]) -> Result<Dated, Refusal> {
        let mut dated = match self.kml_time {
            Some(el) if el.name == "TimeStamp" => {
                let Some(when) = child_text(el, "when") else {
                    return Err((
                        RejectReason::MissingDate,
                        "its TimeStamp has no <when>".into(),
                    ));
                };
                let w = parse_when(when).ok_or_else(|| {
                    (
                        RejectReason::InvalidDate,
                        format!("TimeStamp {} is not a date", q(when)),
                    )
                })?;
                Dated::of(w, when)
            }
            Some(el) => time_span(el)?,
            None => self.field_time(order, used)?,
        };
        if let Some(why) = implausible(&dated.time) {
            return Err((
                RejectReason::ImplausibleDate,
                format!("{}: {why}", q(&dated.raw)),
            ));
        }
        if dated.partial && dated.note.is_none() {
            dated.note = Some(format!(
                "the file gives only {}: the event is placed over all of it",
                if dated.raw.len() == 4 {
                    "the year"
                } else {
                    "the month"
                }
            ));
        }
        Ok(dated)
    }

    /// The date of an ExtendedData field (and an end date field, if any).
    fn field_time(&self, order: &DayOrder, used: &mut [bool]) -> Result<Dated, Refusal> {
        let Some(i) = self.date_field else {
            return Err((
                RejectReason::MissingDate,
                "no TimeStamp or TimeSpan, and no date field in its ExtendedData".into(),
            ));
        };
        used[i] = true;
        let (key, raw) = (&self.fields.pairs[i].0, self.fields.value(i));
        let start = field_when(raw, order).ok_or_else(|| {
            (
                RejectReason::InvalidDate,
                format!("{} {} is not a date", key, q(raw)),
            )
        })?;
        let mut dated = match self.fields.find(END_KEYS) {
            Some(j) => {
                used[j] = true;
                let end_raw = self.fields.value(j);
                let end = field_when(end_raw, order).ok_or_else(|| {
                    (
                        RejectReason::InvalidDate,
                        format!("{} {} is not a date", self.fields.pairs[j].0, q(end_raw)),
                    )
                })?;
                Dated::span(start, end, &format!("{raw} – {end_raw}"))?
            }
            None => Dated::of(start, raw),
        };
        dated.field = Some(key.clone());
        Ok(dated)
    }
}

/// A placemark's ExtendedData as (name, value) pairs, in order: `Data` (name and value),
/// `SchemaData`'s `SimpleData`, and elements of another namespace holding text.
fn extended_data(p: &Placemark) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut push = |k: Option<String>, v: Option<String>| {
        if let (Some(k), Some(v)) = (k, v) {
            let (k, v) = (k.trim(), v.trim());
            if !k.is_empty() && !v.is_empty() {
                out.push((k.to_owned(), v.to_owned()));
            }
        }
    };
    for ed in p.children.iter().filter(|c| c.name == "ExtendedData") {
        for d in &ed.children {
            match d.name.as_str() {
                "Data" => push(
                    d.attrs
                        .get("name")
                        .cloned()
                        .or_else(|| child_text(d, "displayName").map(str::to_owned)),
                    child_text(d, "value")
                        .map(str::to_owned)
                        .or_else(|| d.content.clone()),
                ),
                "SchemaData" => {
                    for s in d.children.iter().filter(|s| s.name == "SimpleData") {
                        push(s.attrs.get("name").cloned(), s.content.clone());
                    }
                }
                _ if d.children.is_empty() => push(Some(d.name.clone()), d.content.clone()),
                _ => {}
            }
        }
    }
    out
}

/// ExtendedData fields with their names normalised for matching ("Date of attack",
/// "date_of_attack" → "date of attack").
#[derive(Debug)]
struct Fields {
    pairs: Vec<(String, String)>,
    norm: Vec<String>,
}

impl Fields {
    fn new(pairs: Vec<(String, String)>) -> Self {
        let norm = pairs.iter().map(|(k, _)| normalise(k)).collect();
        Self { pairs, norm }
    }

    fn value(&self, i: usize) -> &str {
        &self.pairs[i].1
    }

    /// The first field named by one of `keys`, in the order of `keys`.
    fn find(&self, keys: &[&str]) -> Option<usize> {
        keys.iter()
            .find_map(|k| self.norm.iter().position(|n| n == k))
    }

    /// The field holding the event's date: a known name, else one whose name starts with
    /// "date" and is not the date of something else (publication, an update, the end).
    fn date_field(&self) -> Option<usize> {
        self.find(DATE_KEYS).or_else(|| {
            self.norm.iter().position(|n| {
                n.starts_with("date ")
                    && !END_KEYS.contains(&n.as_str())
                    && !["publi", "updat", "modif", "creat", "upload", "end"]
                        .iter()
                        .any(|w| n.contains(w))
            })
        })
    }
}

/// A field name for matching: lower case, runs of anything but letters and digits one space.
fn normalise(key: &str) -> String {
    key.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words of a folder name, lower-cased (hyphenated model names kept whole: "kh-101").
fn words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The weapon class a folder name names, if it names one by a whole word.
fn folder_weapon(name: &str) -> Option<Weapon> {
    let named = words(name).any(|w| {
        WEAPON_WORDS.contains(&w.as_str())
            || ["shahed-", "geran-", "kh-", "kab-", "iskander-"]
                .iter()
                .any(|p| w.starts_with(p))
    });
    let w = Weapon::parse(name);
    (named && !matches!(w, Weapon::Other | Weapon::Unknown)).then_some(w)
}

/// The target class a folder name names, if it names one by a whole word.
fn folder_target(name: &str) -> Option<Target> {
    if !words(name).any(|w| TARGET_WORDS.contains(&w.as_str())) {
        return None;
    }
    Target::parse(name).filter(|t| *t != Target::Other)
}

/// Sources from a source field: one per link when it lists links, else the outlet it names.
fn push_sources(sources: &mut Vec<Source>, value: &str) {
    let tokens: Vec<&str> = value
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|t| !t.is_empty())
        .collect();
    if !tokens.is_empty() && tokens.iter().all(|t| is_url(t)) {
        for t in tokens {
            push_url(sources, t.to_owned());
        }
    } else if is_url(value) {
        push_url(sources, value.to_owned());
    } else {
        sources.push(Source {
            outlet: Some(value.to_owned()),
            ..Default::default()
        });
    }
}

fn is_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

/// A source link, unless the event already has it.
fn push_url(sources: &mut Vec<Source>, url: String) {
    if !sources
        .iter()
        .any(|s| s.url.as_deref() == Some(url.as_str()))
    {
        sources.push(Source {
            url: Some(url),
            ..Default::default()
        });
    }
}

/// The http(s) links of a description: the targets of its HTML links, and links written out
/// in its text (investigators list their sources there).
fn description_links(desc: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let lower = desc.to_ascii_lowercase();
    for (at, _) in lower.match_indices("href=") {
        let rest = desc[at + 5..].trim_start();
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let Some(end) = rest[1..].find(quote) else {
            continue;
        };
        let url = decode_entities(rest[1..1 + end].trim());
        if is_url(&url) && !out.contains(&url) {
            out.push(url);
        }
    }
    let text = text_of(desc).unwrap_or_default();
    for word in text.split_whitespace() {
        let url = word.trim_end_matches(['.', ',', ';', ')', ']', '"', '\'']);
        if is_url(url) && !out.iter().any(|u| u == url) {
            out.push(url.to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Folder names set a weapon or a target only by a whole word.
    #[test]
    fn folder_names_name_weapons_and_targets_by_whole_words() {
        assert_eq!(folder_weapon("KAB strikes"), Some(Weapon::GuidedBomb));
        assert_eq!(folder_weapon("Kabul"), None);
        assert_eq!(folder_weapon("Shahed-136 attacks"), Some(Weapon::Drone));
        assert_eq!(folder_weapon("Layer 1"), None);
        assert_eq!(folder_target("Reports"), None);
        assert_eq!(folder_target("Hospitals"), Some(Target::Healthcare));
        assert_eq!(folder_target("Energy"), Some(Target::Energy));
    }
}
