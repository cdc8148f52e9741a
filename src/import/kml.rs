//! KML and KMZ importer: Google My Maps and Google Earth exports, and maps drawn in the same
//! tools by open-source investigators (GeoConfirmed style).
//!
//! Every Placemark is one record, numbered in document order: it becomes an event or a
//! rejection. A Point is the event's exact location; a line or polygon is placed at one
//! representative point inside it, with a coarser precision. The time comes from the
//! placemark's TimeStamp or TimeSpan, else from a date field of its ExtendedData; a placemark
//! without one is rejected, never given a made-up date (My Maps exports often have none).
//!
//! The text is parsed with georust's `kml` crate, after a pass of our own ([`clean`]) that
//! checks the XML is well-formed (so a cut-off file is an error with its line, not a reader
//! looping at the end of the text), and repairs what would make the crate refuse the whole
//! file or panic for one placemark's sake: a Point without coordinates, coordinates that are
//! not numbers, markup inside a description, HTML entities, styles with values it does not
//! know.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Read;
use std::ops::Range;

use geo::{Centroid, InteriorPoint};
use kml::types::{Coord, Element, Geometry, Placemark};
use kml::{Kml, KmlReader};

use super::fields::{self, q};
use super::records::{Outcome, Refusal};
use super::time::{self, DayOrder, ParsedTime, combine, implausible, parse_time_str};
use super::{Format, ImportError, LoadReport, RecordRef, RejectReason};
use crate::model::{
    DAY, Event, EventTime, Location, LocationPrecision, Seconds, Source, Target, TimePrecision,
    Weapon,
};

/// How far into the text the `<kml` root element is looked for (after an XML declaration, a
/// comment or a stylesheet line).
const KML_HEAD: usize = 4096;

/// The largest KML document read from a KMZ archive: a bound on what a small archive may
/// inflate to.
const MAX_KMZ_ENTRY: u64 = 512 << 20;

/// Elements nested deeper than this are refused: the `kml` crate reads nesting by recursion,
/// and a hostile file must not overflow the stack.
const MAX_DEPTH: usize = 100;

/// Elements dropped before parsing: drawing hints events do not use, which the `kml` crate
/// reads strictly (a style or altitude mode value it does not know, such as Google's
/// `relativeToSeaFloor`, would refuse the whole file).
const DROPPED: &[&str] = &[
    "Style",
    "StyleMap",
    "BalloonStyle",
    "IconStyle",
    "LabelStyle",
    "LineStyle",
    "PolyStyle",
    "ListStyle",
    "altitudeMode",
];

/// The elements the `kml` crate reads as a placemark's geometry.
const GEOMETRIES: &[&str] = &[
    "Point",
    "LineString",
    "LinearRing",
    "Polygon",
    "MultiGeometry",
];

/// Elements the `kml` crate reads as text only (it refuses the file at markup inside them):
/// tags found inside are kept as their text, as HTML in a description is meant.
const TEXT_ONLY: &[&str] = &[
    "name",
    "description",
    "value",
    "SimpleData",
    "displayName",
    "styleUrl",
];

/// The element [`clean`] puts in place of a geometry that cannot be read, so that the
/// placemark's rejection says why (its `reason` attribute is a [`RejectReason::key`]).
const BAD_GEOMETRY: &str = "strikemap-geometry";

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

/// HTML tag names that make a description HTML (and not text that happens to hold a `<`).
const HTML_TAGS: &[&str] = &[
    "a",
    "b",
    "i",
    "u",
    "p",
    "br",
    "hr",
    "div",
    "span",
    "em",
    "strong",
    "img",
    "table",
    "tbody",
    "thead",
    "tr",
    "td",
    "th",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "font",
    "small",
    "big",
    "sup",
    "sub",
    "pre",
    "code",
    "center",
    "blockquote",
    "iframe",
    "video",
    "html",
    "body",
    "head",
    "style",
    "script",
];

/// Whether text is a KML document: it starts with a tag and has a `<kml` root element near
/// its start.
pub(super) fn is_kml(text: &str) -> bool {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    let head = &t.as_bytes()[..t.len().min(KML_HEAD)];
    t.starts_with('<') && memchr::memmem::find(head, b"<kml").is_some()
}

/// What to tell the user about XML that is not KML, naming its root element.
pub(super) fn not_kml_message(text: &str) -> String {
    let root = root_name(text).unwrap_or_default();
    let what = match root.to_ascii_lowercase().as_str() {
        "html" => "an HTML page".to_owned(),
        "gpx" => "a GPX file (GPS tracks and waypoints)".to_owned(),
        "" => "XML".to_owned(),
        _ => format!(
            "XML with a <{}> root element",
            fields::quote_input(&root, 40)
        ),
    };
    format!(
        "this is {what}, not KML (no <kml> element at its start): strikemap reads KML/KMZ, \
         GeoJSON, CSV/TSV, GDELT and TimeMap JSON"
    )
}

/// The first element's name, skipping the XML declaration, processing instructions, comments
/// and the document type.
fn root_name(text: &str) -> Option<String> {
    let mut rest = text;
    loop {
        let lt = rest.find('<')?;
        rest = &rest[lt + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            rest = &after[after.find("-->")?..];
            continue;
        }
        if rest.starts_with(['?', '!']) {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, '>' | '/'))
            .collect();
        return Some(name);
    }
}

/// Whether the first bytes of a file are a ZIP archive that names a `.kml` entry, which
/// [`kmz_document`] reads once the whole file is there (the archive's listing is at its end).
pub(super) fn looks_like_kmz(head: &[u8]) -> bool {
    super::sniff::binary_kind(head) == Some(super::sniff::KMZ)
}

/// The KML document of a KMZ archive.
#[derive(Debug)]
pub(super) struct Kmz {
    /// The entry read (`doc.kml`, or the first `.kml` entry).
    entry: String,
    /// Files in the archive.
    entries: usize,
    /// The entry's text.
    text: String,
    /// Whether the entry was not all UTF-8 (and was read as Windows-1252 where it is not).
    not_utf8: bool,
}

/// The KML document inside `bytes`, if they are a ZIP archive holding one: its `doc.kml` (the
/// KMZ convention), else its first `.kml` entry. `None` for bytes that are not a ZIP, and for
/// a ZIP without KML that does not look like a KMZ either (a workbook), which are left to the
/// other readers; an error for a KMZ whose archive or document cannot be read.
pub(super) fn kmz_document(file: &str, bytes: &[u8]) -> Option<Result<Kmz, ImportError>> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    let named = looks_like_kmz(bytes);
    let fail = |message: String| named.then(|| Err(unsupported(file, message)));
    let mut archive = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        Ok(a) => a,
        Err(e) => return fail(format!("a KMZ file whose ZIP archive cannot be read: {e}")),
    };
    let names: Vec<String> = (0..archive.len())
        .map(|i| {
            archive
                .name_for_index(i)
                .and_then(Result::ok)
                .map(Cow::into_owned)
                .unwrap_or_default()
        })
        .collect();
    let pick = names
        .iter()
        .position(|n| n.eq_ignore_ascii_case("doc.kml"))
        .or_else(|| {
            names
                .iter()
                .position(|n| n.to_ascii_lowercase().ends_with(".kml"))
        });
    let Some(index) = pick else {
        return fail("a ZIP archive that looks like a KMZ file, but holds no .kml document".into());
    };
    let entry = names[index].clone();
    Some(
        read_entry(file, &mut archive, index, &entry).map(|(text, not_utf8)| Kmz {
            entry,
            entries: names.len(),
            text,
            not_utf8,
        }),
    )
}

/// One entry of a KMZ archive as text, and whether it was not all UTF-8.
fn read_entry(
    file: &str,
    archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    index: usize,
    name: &str,
) -> Result<(String, bool), ImportError> {
    let cannot = |e: &dyn std::fmt::Display| {
        unsupported(
            file,
            format!("cannot read {} in the KMZ archive: {e}", q(name)),
        )
    };
    let mut entry = archive.by_index(index).map_err(|e| cannot(&e))?;
    let too_large = || {
        unsupported(
            file,
            format!(
                "{} in the KMZ archive is over {} unpacked",
                q(name),
                fields::byte_size(MAX_KMZ_ENTRY as usize)
            ),
        )
    };
    if entry.size() > MAX_KMZ_ENTRY {
        return Err(too_large());
    }
    let mut buf = Vec::new();
    (&mut entry)
        .take(MAX_KMZ_ENTRY + 1)
        .read_to_end(&mut buf)
        .map_err(|e| cannot(&e))?;
    if buf.len() as u64 > MAX_KMZ_ENTRY {
        return Err(too_large());
    }
    let bytes = buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&buf);
    Ok(match fields::decode_file(bytes) {
        Cow::Borrowed(s) => (s.to_owned(), false),
        Cow::Owned(s) => (s, true),
    })
}

/// Import the KML document of a KMZ archive; the report says which entry was read.
pub(super) fn load_kmz(file: &str, kmz: Kmz) -> Result<LoadReport, ImportError> {
    if !is_kml(&kmz.text) {
        return Err(unsupported(
            file,
            format!(
                "{} in the KMZ archive is not KML: {}",
                q(&kmz.entry),
                not_kml_message(&kmz.text)
            ),
        ));
    }
    let mut r = load(file, &kmz.text)?;
    let mut notes = vec![format!(
        "read {} from the KMZ archive ({} file{} in it)",
        q(&kmz.entry),
        kmz.entries,
        if kmz.entries == 1 { "" } else { "s" }
    )];
    if kmz.not_utf8 {
        notes.push(super::NOT_UTF8_NOTE.to_owned());
    }
    notes.append(&mut r.notes);
    r.notes = notes;
    Ok(r)
}

/// Import a KML document: every Placemark an event or a rejection.
pub(super) fn load(file: &str, text: &str) -> Result<LoadReport, ImportError> {
    let clean = clean(text).map_err(|e| {
        unsupported(
            file,
            format!(
                "not well-formed XML (KML) at line {}: {}",
                e.line, e.message
            ),
        )
    })?;
    let root = parse(&clean).map_err(|m| unsupported(file, m))?;
    let mut found = Vec::new();
    collect(&root, &mut Vec::new(), &mut found);
    let placemarks: Vec<Prepared<'_>> = found
        .into_iter()
        .map(|(folders, p)| Prepared::new(folders, p))
        .collect();
    // Numeric dates in date fields are day-first or month-first for the whole file.
    let order = time::date_order_for(placemarks.iter().filter_map(Prepared::field_date));
    let mut stats = Stats::default();
    let records = placemarks
        .iter()
        .enumerate()
        .map(|(i, p)| (RecordRef::Placemark(i + 1), (i + 1, p)));
    let outcome = Outcome::default().read(records, |(n, p)| p.event(n, &order, &mut stats));
    let undated = outcome
        .rejected
        .iter()
        .filter(|r| r.reason == RejectReason::MissingDate)
        .count();
    let notes = stats.notes(undated, &order);
    Ok(outcome.report(file, Format::Kml, notes))
}

fn unsupported(file: &str, message: String) -> ImportError {
    ImportError::Unsupported {
        file: file.to_owned(),
        message,
    }
}

/// Parse cleaned KML with the `kml` crate. It is not ours: should it panic on a construct
/// [`clean`] does not foresee, the file is refused rather than the app brought down.
fn parse(text: &str) -> Result<Kml, String> {
    match std::panic::catch_unwind(|| KmlReader::<&[u8], f64>::from_string(text).read()) {
        Ok(Ok(k)) => Ok(k),
        Ok(Err(e)) => Err(format!("not KML that can be read: {e}")),
        Err(_) => Err("the KML reader stopped on a construct it does not handle".to_owned()),
    }
}

/// The placemarks of a document in document order, with the names of the folders they are in
/// (outermost first). Documents inside documents are transparent.
fn collect<'a>(
    k: &'a Kml,
    folders: &mut Vec<&'a str>,
    out: &mut Vec<(Vec<&'a str>, &'a Placemark)>,
) {
    match k {
        Kml::KmlDocument(d) => {
            for e in &d.elements {
                collect(e, folders, out);
            }
        }
        Kml::Document { elements, .. } => {
            for e in elements {
                collect(e, folders, out);
            }
        }
        Kml::Folder(f) => {
            let name = f.name.as_deref().map(str::trim).filter(|n| !n.is_empty());
            folders.extend(name);
            for e in &f.elements {
                collect(e, folders, out);
            }
            if name.is_some() {
                folders.pop();
            }
        }
        Kml::Placemark(p) => out.push((folders.clone(), p)),
        _ => {}
    }
}

/// What the load report says about the file as a whole, counted while placemarks are read.
#[derive(Debug, Default)]
struct Stats {
    /// Placemarks placed at a representative point of a line or polygon.
    shapes: usize,
    /// Placemarks dated by a month or a year only.
    partial: usize,
    /// Placemarks dated from an ExtendedData field, by field name.
    fields: BTreeMap<String, usize>,
}

impl Stats {
    fn notes(&self, undated: usize, order: &DayOrder) -> Vec<String> {
        let mut notes = Vec::new();
        if self.shapes > 0 {
            notes.push(format!(
                "{} {}: each is placed at one representative point inside its shape, with \
                 district precision (region for shapes over 100 km across)",
                placemarks(self.shapes),
                if self.shapes == 1 {
                    "is a line or polygon"
                } else {
                    "are lines or polygons"
                },
            ));
        }
        for (key, n) in &self.fields {
            notes.push(format!(
                "dates of {} read from the ExtendedData field {} (no TimeStamp or TimeSpan)",
                placemarks(*n),
                q(key)
            ));
        }
        if !self.fields.is_empty()
            && let Some(note) = fields::day_order_note(order)
        {
            notes.push(note);
        }
        if self.partial > 0 {
            notes.push(format!(
                "{} only a month or a year: {} the whole of it",
                if self.partial == 1 {
                    "1 placemark gives".to_owned()
                } else {
                    format!("{} placemarks give", self.partial)
                },
                if self.partial == 1 {
                    "it spans"
                } else {
                    "each spans"
                },
            ));
        }
        if undated > 0 {
            notes.push(format!(
                "{} no date (no TimeStamp or TimeSpan, and no date field in the \
                 ExtendedData) and {} not loaded: Google My Maps exports carry dates only \
                 where the map's layer has a date column",
                if undated == 1 {
                    "1 placemark has".to_owned()
                } else {
                    format!("{undated} placemarks have")
                },
                if undated == 1 { "is" } else { "are" },
            ));
        }
        notes
    }
}

/// "1 placemark", "3 placemarks".
fn placemarks(n: usize) -> String {
    format!("{n} placemark{}", if n == 1 { "" } else { "s" })
}

/// A placemark with what is read from it before the file's day order is decided.
struct Prepared<'a> {
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
    fn new(folders: Vec<&'a str>, placemark: &'a Placemark) -> Self {
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
    fn field_date(&self) -> Option<&str> {
        self.date_field.map(|i| self.fields.value(i))
    }

    /// The placemark as an event, or why not.
    fn event(&self, n: usize, order: &DayOrder, stats: &mut Stats) -> Result<Event, Refusal> {
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
            e.extra
                .push(("folder".to_owned(), self.folders.join(" / ")));
        }
        for (i, (key, value)) in self.fields.pairs.iter().enumerate() {
            if !used[i] {
                e.extra.push((key.clone(), value.clone()));
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

/// A TimeSpan's time: begin to end (a date end inclusive); an open span is read from the end
/// it has.
fn time_span(el: &Element) -> Result<Dated, Refusal> {
    let read = |what: &str| -> Result<Option<(When, &str)>, Refusal> {
        let Some(s) = child_text(el, what) else {
            return Ok(None);
        };
        let w = parse_when(s).ok_or_else(|| {
            (
                RejectReason::InvalidDate,
                format!("TimeSpan {what} {} is not a date", q(s)),
            )
        })?;
        Ok(Some((w, s)))
    };
    match (read("begin")?, read("end")?) {
        (Some((b, bs)), Some((e, es))) => Dated::span(b, e, &format!("{bs} – {es}")),
        (Some((w, s)), None) | (None, Some((w, s))) => {
            let mut d = Dated::of(w, s);
            d.note = Some("the TimeSpan has only one end: the event is placed at it".into());
            Ok(d)
        }
        (None, None) => Err((
            RejectReason::MissingDate,
            "its TimeSpan has neither <begin> nor <end>".into(),
        )),
    }
}

/// A placemark's time and how it was read.
#[derive(Debug)]
struct Dated {
    time: EventTime,
    /// The text it was read from, for messages.
    raw: String,
    /// Why the time is what it is, for the event.
    note: Option<String>,
    /// Whether only a month or a year is given.
    partial: bool,
    /// The ExtendedData field it came from, if it did.
    field: Option<String>,
}

impl Dated {
    fn of(w: When, raw: &str) -> Self {
        Self {
            time: w.time(),
            raw: raw.to_owned(),
            note: None,
            partial: matches!(w, When::Period(..)),
            field: None,
        }
    }

    fn span(begin: When, end: When, raw: &str) -> Result<Self, Refusal> {
        if end.end() < begin.start() {
            return Err((
                RejectReason::InvalidDate,
                format!("{} ends before it begins", q(raw)),
            ));
        }
        let time = match (begin, end) {
            // Two dates or date-times: the shared rule (an end date is inclusive, a one-day
            // span is that day).
            (When::At(b), When::At(e)) => combine(b, Some(e), None),
            _ => EventTime::range(begin.start(), end.end()),
        };
        Ok(Self {
            time,
            raw: raw.to_owned(),
            note: None,
            partial: false,
            field: None,
        })
    }
}

/// A KML time value: an instant or date, or a whole month or year (xsd:gYearMonth, xsd:gYear).
#[derive(Clone, Copy, Debug)]
enum When {
    At(ParsedTime),
    /// `[start, end)`.
    Period(Seconds, Seconds),
}

impl When {
    fn start(self) -> Seconds {
        match self {
            Self::At(p) => p.at,
            Self::Period(a, _) => a,
        }
    }

    /// The end of the time it names: a date includes its whole day.
    fn end(self) -> Seconds {
        match self {
            Self::At(p) if p.precision == TimePrecision::Day => p.at + DAY,
            Self::At(p) => p.at,
            Self::Period(_, b) => b,
        }
    }

    fn time(self) -> EventTime {
        match self {
            Self::At(p) => combine(p, None, None),
            // A month or year not over yet ends today: the rest of it is in the future.
            Self::Period(a, b) => EventTime::range(a, b.min(today_end()).max(a + DAY)),
        }
    }
}

/// The end of today (UTC).
fn today_end() -> Seconds {
    (jiff::Timestamp::now().as_second().div_euclid(DAY) + 1) * DAY
}

/// A KML `when`/`begin`/`end`: xsd:dateTime, xsd:date, "2023-10" (a month) or "2023" (a year).
fn parse_when(s: &str) -> Option<When> {
    let s = s.trim();
    let digits = |r: Range<usize>| s.get(r).filter(|d| d.bytes().all(|b| b.is_ascii_digit()));
    if s.len() == 4 {
        let y: i16 = digits(0..4)?.parse().ok()?;
        let start = civil(y, 1)?;
        return Some(When::Period(start, civil(y.checked_add(1)?, 1)?));
    }
    if s.len() == 7 && s.as_bytes()[4] == b'-' {
        let y: i16 = digits(0..4)?.parse().ok()?;
        let m: i8 = digits(5..7)?.parse().ok()?;
        let start = civil(y, m)?;
        let end = if m == 12 {
            civil(y.checked_add(1)?, 1)?
        } else {
            civil(y, m + 1)?
        };
        return Some(When::Period(start, end));
    }
    parse_time_str(s).map(When::At)
}

/// Midnight UTC of the first of a month.
fn civil(y: i16, m: i8) -> Option<Seconds> {
    time::date_seconds(jiff::civil::Date::new(y, m, 1).ok()?)
}

/// A date field's value: a KML time form, else the date forms of exports ("07/10/2023" in the
/// file's day order, "7 October 2023").
fn field_when(s: &str, order: &DayOrder) -> Option<When> {
    parse_when(s).or_else(|| {
        time::parse_loose_date(s, order).map(|at| {
            When::At(ParsedTime {
                at,
                precision: TimePrecision::Day,
            })
        })
    })
}

/// A placemark's location and how it was arrived at.
#[derive(Debug)]
struct Placed {
    lat: f64,
    lon: f64,
    precision: LocationPrecision,
    note: Option<String>,
    /// Whether it is a representative point of a line or polygon.
    shape: bool,
}

impl Placed {
    fn exact(lat: f64, lon: f64) -> Self {
        Self {
            lat,
            lon,
            precision: LocationPrecision::Exact,
            note: None,
            shape: false,
        }
    }
}

/// The location of a geometry: a point exactly; a line, polygon or group of shapes at one
/// point inside it (a polygon's centroid may lie outside it, a line's beside it).
fn locate(g: &Geometry) -> Result<Placed, Refusal> {
    let mut pts = Vec::new();
    points(g, &mut pts);
    let Some(first) = pts.first().copied() else {
        return Err((
            RejectReason::MissingLocation,
            format!("its {} has no coordinates", kind(g)),
        ));
    };
    if let Some(bad) = pts.iter().find(|c| !on_globe(c)) {
        return Err((
            RejectReason::InvalidCoordinates,
            format!(
                "longitude {}, latitude {} is outside the globe (KML gives the longitude first)",
                bad.x, bad.y
            ),
        ));
    }
    if pts.iter().all(|c| c.x == first.x && c.y == first.y) {
        return Ok(Placed::exact(first.y, first.x));
    }
    let shape = to_geo(g);
    let (lon, lat) = shape
        .interior_point()
        .or_else(|| shape.centroid())
        .map_or((first.x, first.y), |p| (p.x(), p.y()));
    let (mut lo, mut hi) = ((first.x, first.y), (first.x, first.y));
    for c in &pts {
        lo = (lo.0.min(c.x), lo.1.min(c.y));
        hi = (hi.0.max(c.x), hi.1.max(c.y));
    }
    // Extent in km, about: a degree of latitude is 111 km, one of longitude that times cos φ.
    let km = ((hi.1 - lo.1).max((hi.0 - lo.0) * lat.to_radians().cos())) * 111.0;
    let precision = if km > 100.0 {
        LocationPrecision::Region
    } else {
        LocationPrecision::District
    };
    Ok(Placed {
        lat,
        lon,
        precision,
        note: Some(format!(
            "placed at a representative point inside the {} drawn in the file (about {:.0} km \
             across)",
            kind(g),
            km.max(1.0)
        )),
        shape: true,
    })
}

fn on_globe(c: &Coord) -> bool {
    (-90.0..=90.0).contains(&c.y) && (-180.0..=180.0).contains(&c.x)
}

/// What a geometry is, for messages.
fn kind(g: &Geometry) -> &'static str {
    match g {
        Geometry::Point(_) => "point",
        Geometry::LineString(_) => "line",
        Geometry::LinearRing(_) | Geometry::Polygon(_) => "polygon",
        Geometry::MultiGeometry(_) => "group of shapes",
        _ => "geometry",
    }
}

/// Every coordinate of a geometry.
fn points(g: &Geometry, out: &mut Vec<Coord>) {
    match g {
        Geometry::Point(p) => out.push(p.coord),
        Geometry::LineString(l) => out.extend(&l.coords),
        Geometry::LinearRing(r) => out.extend(&r.coords),
        Geometry::Polygon(p) => {
            out.extend(&p.outer.coords);
            for r in &p.inner {
                out.extend(&r.coords);
            }
        }
        Geometry::MultiGeometry(m) => {
            for g in &m.geometries {
                points(g, out);
            }
        }
        _ => {}
    }
}

/// A KML geometry as a `geo` one (longitude as x), for its representative point.
fn to_geo(g: &Geometry) -> geo::Geometry<f64> {
    let line = |cs: &[Coord]| -> geo::LineString<f64> {
        cs.iter().map(|c| geo::coord! { x: c.x, y: c.y }).collect()
    };
    match g {
        Geometry::Point(p) => geo::Geometry::Point(geo::Point::new(p.coord.x, p.coord.y)),
        Geometry::LineString(l) => geo::Geometry::LineString(line(&l.coords)),
        Geometry::LinearRing(r) => {
            geo::Geometry::Polygon(geo::Polygon::new(line(&r.coords), Vec::new()))
        }
        Geometry::Polygon(p) => geo::Geometry::Polygon(geo::Polygon::new(
            line(&p.outer.coords),
            p.inner.iter().map(|r| line(&r.coords)).collect(),
        )),
        Geometry::MultiGeometry(m) => {
            geo::Geometry::GeometryCollection(m.geometries.iter().map(to_geo).collect())
        }
        _ => geo::Geometry::GeometryCollection(geo::GeometryCollection::default()),
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

/// The trimmed, non-empty text of an element's first child called `name`.
fn child_text<'e>(e: &'e Element, name: &str) -> Option<&'e str> {
    e.children
        .iter()
        .find(|c| c.name == name)
        .and_then(|c| c.content.as_deref())
        .map(str::trim)
        .filter(|s| !s.is_empty())
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

/// A name or description as text: HTML stripped to its text, plain text as it is (trimmed,
/// no-break spaces plain ones); `None` when empty.
fn text_of(s: &str) -> Option<String> {
    let t = if looks_html(s) {
        html_to_text(s)
    } else {
        s.trim().replace('\u{a0}', " ")
    };
    (!t.is_empty()).then_some(t)
}

/// Whether text holds an HTML tag (not just a "<" in words, as in "< 5 killed").
fn looks_html(s: &str) -> bool {
    s.match_indices('<').any(|(at, _)| {
        let after = s[at + 1..].trim_start_matches('/');
        let name: String = after
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        let next = after[name.len()..].chars().next();
        HTML_TAGS.contains(&name.as_str())
            && next.is_none_or(|c| c.is_whitespace() || c == '>' || c == '/')
    })
}

/// The text of HTML: tags removed, entities decoded, line breaks where `<br>` and block
/// elements (paragraphs, rows, list items) break lines; other whitespace runs as one space, as
/// a browser shows them.
fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    let push_run = |text: &mut String, run: &str| {
        for c in run.chars() {
            text.push(if c.is_whitespace() { ' ' } else { c });
        }
    };
    while let Some(lt) = rest.find('<') {
        push_run(&mut text, &rest[..lt]);
        let after = &rest[lt + 1..];
        if let Some(comment) = after.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |e| &comment[e + 3..]);
            continue;
        }
        let is_tag = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        let Some(end) = after.find('>').filter(|_| is_tag) else {
            text.push('<');
            rest = after;
            continue;
        };
        let tag = &after[..end];
        rest = &after[end + 1..];
        let closing = tag.starts_with('/');
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match name.as_str() {
            "br" | "p" | "div" | "li" | "tr" | "ul" | "ol" | "table" | "h1" | "h2" | "h3"
            | "h4" | "h5" | "h6" | "blockquote" | "hr" | "pre" => text.push('\n'),
            "td" | "th" => text.push(' '),
            "script" | "style" if !closing => {
                // Their content is not text.
                let close = format!("</{name}");
                let lower = rest.to_ascii_lowercase();
                rest = match lower.find(&close) {
                    Some(at) => rest[at..].find('>').map_or("", |e| &rest[at + e + 1..]),
                    None => "",
                };
            }
            _ => {}
        }
    }
    push_run(&mut text, rest);
    let text = decode_entities(&text).replace('\u{a0}', " ");
    // Lines trimmed, runs of spaces one, at most one blank line between paragraphs.
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    for line in text.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        blank = false;
        out.push_str(&line);
    }
    out
}

/// Text with HTML/XML character references decoded ("&amp;", "&#39;", "&nbsp;"); an unknown
/// one is left as it is.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after
            .bytes()
            .take(32)
            .position(|b| b == b';')
            .and_then(|n| Some((n, entity_char(&after[..n])?)));
        match decoded {
            Some((n, c)) => {
                out.push(c);
                rest = &after[n + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character of an entity name ("amp", "#39", "#x27", "nbsp"), for the XML ones, numeric
/// references and the HTML names descriptions use.
fn entity_char(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let n = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(n).filter(|c| *c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "middot" => '·',
        "bull" => '•',
        "deg" => '°',
        "times" => '×',
        "copy" => '©',
        "reg" => '®',
        "euro" => '€',
        _ => return None,
    })
}

/// Why a text is not well-formed XML, and on which line.
#[derive(Debug)]
struct XmlError {
    line: usize,
    message: String,
}

/// The (1-based) line of a byte offset.
fn line_at(src: &str, at: usize) -> usize {
    memchr::memchr_iter(b'\n', &src.as_bytes()[..at.min(src.len())]).count() + 1
}

/// Check that the text is well-formed XML and prepare it for the `kml` crate, which stops at
/// the first problem for the whole file (and loops for ever at a file cut off inside a
/// placemark, or panics at a Point without coordinates):
///
/// - tags must balance (else an error naming the line);
/// - CDATA becomes escaped text (the crate drops CDATA in ExtendedData and folder names);
/// - comments, processing instructions and the document type are dropped (the crate refuses
///   them inside text);
/// - markup inside a name or description is kept as text (HTML written unescaped);
/// - HTML entities become characters, and a bare `&` an escaped one;
/// - coordinates are normalised ("30.5, 50.4" → "30.5,50.4"); a geometry whose coordinates are
///   not numbers, or a Point without coordinates, is replaced by a [`BAD_GEOMETRY`] element
///   saying why, so that only its placemark is rejected;
/// - styles and altitude modes are dropped ([`DROPPED`]).
fn clean(src: &str) -> Result<String, XmlError> {
    let mut c = Cleaner {
        src,
        out: String::with_capacity(src.len() + src.len() / 16),
        stack: Vec::new(),
        text_only: None,
        coords: None,
        geometry: None,
        any: false,
    };
    let b = src.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let Some(lt) = memchr::memchr(b'<', &b[i..]).map(|k| i + k) else {
            c.text(&src[i..]);
            break;
        };
        c.text(&src[i..lt]);
        i = c.markup(lt)?;
    }
    c.finish()
}

/// An element open while the text is scanned.
#[derive(Debug)]
struct Open {
    /// Its qualified name, as a range of the source.
    name: Range<usize>,
    /// Where its start tag is in the source.
    at: usize,
    /// Where it starts in the output (to drop or replace it).
    out: usize,
    /// For a Point: whether its coordinates hold a point; for an outerBoundaryIs: whether it
    /// holds a ring.
    filled: bool,
}

/// The state of [`clean`].
struct Cleaner<'a> {
    src: &'a str,
    out: String,
    stack: Vec<Open>,
    /// The stack depth of the text-only element being read ([`TEXT_ONLY`]).
    text_only: Option<usize>,
    /// The text of the coordinates element being read.
    coords: Option<String>,
    /// The stack index of the outermost geometry being read, and what is wrong with it.
    geometry: Option<(usize, Option<(RejectReason, String)>)>,
    /// Whether any element was seen.
    any: bool,
}

/// The local part of a qualified name ("gx:Track" → "Track").
fn local(qname: &str) -> &str {
    qname.rsplit(':').next().unwrap_or(qname)
}

impl Cleaner<'_> {
    fn error(&self, at: usize, message: String) -> XmlError {
        XmlError {
            line: line_at(self.src, at),
            message,
        }
    }

    fn name_of(&self, open: &Open) -> &str {
        &self.src[open.name.clone()]
    }

    /// Text between tags.
    fn text(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        match &mut self.coords {
            Some(buf) => buf.push_str(s),
            None => push_text(&mut self.out, s),
        }
    }

    /// The markup at `lt`; returns where the text after it starts.
    fn markup(&mut self, lt: usize) -> Result<usize, XmlError> {
        let src = self.src;
        let rest = &src[lt..];
        let closed = |open: &str, close: &str, what: &str| {
            rest[open.len()..]
                .find(close)
                .map(|e| lt + open.len() + e + close.len())
                .ok_or_else(|| self.error(lt, format!("{what} is not closed")))
        };
        if rest.starts_with("<!--") {
            return closed("<!--", "-->", "a comment (<!--)");
        }
        if let Some(cdata) = rest.strip_prefix("<![CDATA[") {
            let end = closed("<![CDATA[", "]]>", "a CDATA section")?;
            let content = &cdata[..end - lt - 12];
            match &mut self.coords {
                Some(buf) => buf.push_str(content),
                None => escape(&mut self.out, content),
            }
            return Ok(end);
        }
        if rest.starts_with("<?") {
            return closed("<?", "?>", "a processing instruction (<?)");
        }
        if rest.starts_with("<!") {
            // A document type, with its internal subset in brackets.
            let mut depth = 0usize;
            for (k, b) in rest.bytes().enumerate().skip(2) {
                match b {
                    b'[' => depth += 1,
                    b']' => depth = depth.saturating_sub(1),
                    b'>' if depth == 0 => return Ok(lt + k + 1),
                    _ => {}
                }
            }
            return Err(self.error(lt, "a <! declaration is not closed".into()));
        }
        let closing = rest.starts_with("</");
        let name_start = lt + if closing { 2 } else { 1 };
        let b = src.as_bytes();
        let starts_name = b
            .get(name_start)
            .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_' || c == b':' || c >= 0x80);
        if !starts_name {
            // A "<" that starts no tag ("< 5 killed"): text, escaped.
            match &mut self.coords {
                Some(buf) => buf.push('<'),
                None => self.out.push_str("&lt;"),
            }
            return Ok(lt + 1);
        }
        let mut j = name_start;
        while j < b.len() && !(b[j].is_ascii_whitespace() || matches!(b[j], b'/' | b'>')) {
            j += 1;
        }
        let name = name_start..j;
        let mut quote = None;
        loop {
            let Some(&c) = b.get(j) else {
                return Err(self.error(
                    lt,
                    format!(
                        "the tag <{} is not closed",
                        fields::quote_input(&src[name], 40)
                    ),
                ));
            };
            match (c, quote) {
                (b'"' | b'\'', None) => quote = Some(c),
                (c, Some(q)) if c == q => quote = None,
                (b'>', None) => break,
                _ => {}
            }
            j += 1;
        }
        let end = j + 1;
        let tag = &src[lt..end];
        if closing {
            self.end(lt, name, tag)?;
        } else {
            self.start(lt, name, tag, b[j - 1] == b'/')?;
        }
        Ok(end)
    }

    fn start(
        &mut self,
        lt: usize,
        name: Range<usize>,
        tag: &str,
        empty: bool,
    ) -> Result<(), XmlError> {
        if self.coords.is_some() {
            return Ok(());
        }
        if self.text_only.is_some() {
            escape(&mut self.out, tag);
            return Ok(());
        }
        self.any = true;
        let src = self.src;
        let qname = &src[name.clone()];
        let local_name = local(qname);
        if empty {
            if !DROPPED.contains(&local_name) {
                self.out.push_str(tag);
            }
            return Ok(());
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.error(
                lt,
                format!("elements are nested more than {MAX_DEPTH} deep"),
            ));
        }
        if local_name == "LinearRing"
            && let Some(parent) = self.stack.last_mut()
            && local(&src[parent.name.clone()]) == "outerBoundaryIs"
        {
            parent.filled = true;
        }
        self.stack.push(Open {
            name,
            at: lt,
            out: self.out.len(),
            filled: false,
        });
        self.out.push_str(tag);
        if GEOMETRIES.contains(&local_name) && self.geometry.is_none() {
            self.geometry = Some((self.stack.len() - 1, None));
        }
        if local_name == "coordinates" {
            self.coords = Some(String::new());
        } else if TEXT_ONLY.contains(&local_name) {
            self.text_only = Some(self.stack.len());
        }
        Ok(())
    }

    fn end(&mut self, lt: usize, name: Range<usize>, tag: &str) -> Result<(), XmlError> {
        let src = self.src;
        let qname = &src[name];
        if let Some(depth) = self.text_only {
            let inside = &self.stack[..depth];
            let (open, outer) = match inside.split_last() {
                Some((open, outer)) => (self.name_of(open), outer),
                None => ("", inside),
            };
            if open != qname {
                // The end of an enclosing element: the text-only one was never closed.
                if outer.iter().any(|o| self.name_of(o) == qname) {
                    let message = format!(
                        "</{}> closes <{}>, opened at line {}",
                        fields::quote_input(qname, 40),
                        fields::quote_input(open, 40),
                        line_at(src, inside.last().map_or(0, |o| o.at))
                    );
                    return Err(self.error(lt, message));
                }
                escape(&mut self.out, tag);
                return Ok(());
            }
            self.text_only = None;
        }
        if self.coords.is_some() && local(qname) != "coordinates" {
            return Ok(());
        }
        let Some(open) = self.stack.pop() else {
            return Err(self.error(
                lt,
                format!(
                    "</{}> closes no open element",
                    fields::quote_input(qname, 40)
                ),
            ));
        };
        let opened = self.name_of(&open);
        if opened != qname {
            let message = format!(
                "</{}> closes <{}>, opened at line {}",
                fields::quote_input(qname, 40),
                fields::quote_input(opened, 40),
                line_at(self.src, open.at)
            );
            return Err(self.error(lt, message));
        }
        let local_name = local(qname);
        if local_name == "coordinates" {
            let raw = self.coords.take().unwrap_or_default();
            match normalize_coords(&raw) {
                Ok((text, n)) => {
                    self.out.push_str(&text);
                    // The crate keeps a Point's last coordinates.
                    if let Some(parent) = self.stack.last_mut()
                        && local(&src[parent.name.clone()]) == "Point"
                    {
                        parent.filled = n > 0;
                    }
                }
                Err(why) => self.problem(RejectReason::InvalidCoordinates, why),
            }
        }
        self.out.push_str("</");
        self.out.push_str(qname);
        self.out.push('>');
        match local_name {
            "Point" if !open.filled => {
                self.problem(
                    RejectReason::MissingLocation,
                    "its Point has no coordinates".into(),
                );
            }
            "outerBoundaryIs" if !open.filled => self.problem(
                RejectReason::MissingLocation,
                "its Polygon's outer boundary has no ring".into(),
            ),
            _ => {}
        }
        let geometry_ends = self
            .geometry
            .as_ref()
            .is_some_and(|(d, _)| *d == self.stack.len());
        if geometry_ends && let Some((_, Some((reason, detail)))) = self.geometry.take() {
            self.out.truncate(open.out);
            let in_placemark = self
                .stack
                .last()
                .is_some_and(|p| local(self.name_of(p)) == "Placemark");
            if in_placemark {
                self.out.push('<');
                self.out.push_str(BAD_GEOMETRY);
                self.out.push_str(" reason=\"");
                self.out.push_str(reason.key());
                self.out.push_str("\">");
                escape(&mut self.out, &detail);
                self.out.push_str("</");
                self.out.push_str(BAD_GEOMETRY);
                self.out.push('>');
            }
        }
        if DROPPED.contains(&local_name) {
            self.out.truncate(open.out);
        }
        Ok(())
    }

    /// Note what is wrong with the geometry being read (the first problem is kept).
    fn problem(&mut self, reason: RejectReason, detail: String) {
        if let Some((_, slot @ None)) = &mut self.geometry {
            *slot = Some((reason, detail));
        }
    }

    fn finish(self) -> Result<String, XmlError> {
        if let Some(open) = self.stack.last() {
            return Err(XmlError {
                line: line_at(self.src, self.src.len()),
                message: format!(
                    "the file ends inside <{}>, opened at line {}: it looks cut off",
                    fields::quote_input(self.name_of(open), 40),
                    line_at(self.src, open.at)
                ),
            });
        }
        if !self.any {
            return Err(XmlError {
                line: 1,
                message: "no XML element in the file".into(),
            });
        }
        Ok(self.out)
    }
}

/// Append XML text, repairing its character references: HTML names become the characters,
/// a bare `&` or an unknown name is escaped (kept as written).
fn push_text(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let entity = after
            .bytes()
            .take(32)
            .position(|b| b == b';')
            .map(|n| &after[..n])
            .filter(|e| !e.is_empty() && e.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'#'));
        match entity {
            Some(e @ ("amp" | "lt" | "gt" | "quot" | "apos")) => {
                out.push('&');
                out.push_str(e);
                out.push(';');
                rest = &after[e.len() + 1..];
            }
            Some(e) => match entity_char(e) {
                Some(c)
                    if c != '\u{fffe}'
                        && c != '\u{ffff}'
                        && (!c.is_control() || c.is_whitespace()) =>
                {
                    escape(out, c.encode_utf8(&mut [0; 4]));
                    rest = &after[e.len() + 1..];
                }
                // A reference to a character XML cannot hold ("&#0;", "&#xD800;").
                None | Some(_) if e.starts_with('#') => {
                    out.push('\u{fffd}');
                    rest = &after[e.len() + 1..];
                }
                _ => {
                    out.push_str("&amp;");
                    rest = after;
                }
            },
            None => {
                out.push_str("&amp;");
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

/// Append text escaped for XML.
fn escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

/// Coordinates text as the `kml` crate reads it ("lon,lat[,alt]" tuples separated by
/// whitespace; spaces after commas removed) and the number of tuples, or why it is not
/// coordinates.
fn normalize_coords(raw: &str) -> Result<(String, usize), String> {
    let mut tuples: Vec<String> = Vec::new();
    for tok in raw.split_whitespace() {
        match tuples.last_mut() {
            Some(last) if last.ends_with(',') || tok.starts_with(',') => last.push_str(tok),
            _ => tuples.push(tok.to_owned()),
        }
    }
    for t in &mut tuples {
        while t.ends_with(',') {
            t.pop();
        }
        let parts: Vec<&str> = t.split(',').collect();
        if parts.len() < 2 {
            return Err(format!(
                "coordinates {} are not \"longitude,latitude\"",
                q(t)
            ));
        }
        if parts.iter().take(3).any(|p| p.parse::<f64>().is_err()) {
            return Err(format!("coordinates {} are not numbers", q(t)));
        }
    }
    Ok((tuples.join(" "), tuples.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{load_bytes, load_path};
    use crate::model::fmt_date;
    use geo::Contains;

    fn fixture(name: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/unseen")
            .join(name)
    }

    fn load_fixture(name: &str) -> LoadReport {
        load_path(&fixture(name)).unwrap()
    }

    fn event<'r>(r: &'r LoadReport, title: &str) -> &'r Event {
        r.events
            .iter()
            .find(|e| e.title.as_deref() == Some(title))
            .unwrap_or_else(|| panic!("no event {title:?} in {:#?}", r.events))
    }

    fn extra<'e>(e: &'e Event, key: &str) -> Option<&'e str> {
        e.extra
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn rejections(r: &LoadReport) -> Vec<(RecordRef, RejectReason)> {
        r.rejected.iter().map(|x| (x.record, x.reason)).collect()
    }

    /// A minimal KML document around some placemarks.
    fn doc(placemarks: &str) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n{placemarks}\n</Document>\n</kml>\n"
        )
    }

    /// Every placemark of the My Maps export is an event or a rejection with its reason.
    #[test]
    fn my_maps_placemarks_are_all_accounted_for() {
        let r = load_fixture("my_maps.kml");
        assert_eq!(r.format, Format::Kml);
        assert_eq!(r.records, 7);
        assert_eq!(r.records, r.events.len() + r.rejected.len());
        assert_eq!(
            rejections(&r),
            vec![
                (RecordRef::Placemark(3), RejectReason::MissingDate),
                (RecordRef::Placemark(4), RejectReason::ImplausibleDate),
                (RecordRef::Placemark(7), RejectReason::MissingLocation),
            ]
        );
        assert!(
            r.rejected[1].detail.contains("\"0023-05-01\""),
            "{:?}",
            r.rejected[1]
        );
        assert!(
            r.rejected[1].detail.contains("before 1"),
            "{:?}",
            r.rejected[1]
        );
        // No fake date: the undated placemark is said once, with the count.
        let undated: Vec<&String> = r.notes.iter().filter(|n| n.contains("no date")).collect();
        assert_eq!(undated.len(), 1, "{:?}", r.notes);
        assert!(
            undated[0].starts_with("1 placemark has no date"),
            "{}",
            undated[0]
        );
        assert!(
            r.notes.iter().any(|n| n
                .starts_with("dates of 4 placemarks read from the ExtendedData field \"date\"")),
            "{:?}",
            r.notes
        );
        assert!(
            r.notes
                .iter()
                .any(|n| n.contains("day/month/year") && n.contains("14/10/2023")),
            "{:?}",
            r.notes
        );
        assert!(
            r.notes
                .iter()
                .any(|n| n.starts_with("2 placemarks are lines or polygons")),
            "{:?}",
            r.notes
        );
    }

    /// Name, HTML description, ExtendedData fields and folders of a My Maps placemark.
    #[test]
    fn my_maps_fields_and_folders() {
        let r = load_fixture("my_maps.kml");
        let e = event(&r, "Strike on apartment block, Saltivka");
        assert_eq!(e.id, "placemark-1");
        assert_eq!(e.time.display(), "2023-10-07");
        assert_eq!(e.time.precision, TimePrecision::Day);
        assert_eq!((e.location.lat, e.location.lon), (50.0237, 36.3153));
        assert_eq!(e.location.precision, LocationPrecision::Exact);
        assert_eq!(e.killed, Some(3));
        assert_eq!(e.weapons, vec![Weapon::Drone]);
        assert_eq!(
            e.description.as_deref(),
            Some(
                "Residents said the drone hit the 5th floor & started a fire.\n\
                 Rescuers worked through the night.\n\n\
                 date: 2023-10-07\nkilled: 3\nweapon: Shahed-136\nSource: Telegram"
            )
        );
        assert_eq!(
            e.sources
                .iter()
                .map(|s| s.url.as_deref())
                .collect::<Vec<_>>(),
            vec![Some("https://t.me/example_channel/4512")]
        );
        assert_eq!(extra(e, "folder"), Some("Drone strikes"));
        // The consumed fields are not repeated among the extras.
        assert_eq!(e.extra.len(), 1, "{:?}", e.extra);

        // Day-first by the file's evidence; the weapon from the folder name.
        let w = event(&r, "Warehouse hit, Industrialnyi district");
        assert_eq!(fmt_date(w.time.start), "2023-10-14");
        assert_eq!(w.weapons, vec![Weapon::Drone]);
        assert_eq!(w.killed, Some(0));
        assert_eq!(
            w.description.as_deref(),
            Some(
                "Two drones; a warehouse of \"Nova Poshta\" burned.\n\nNobody was hurt – the night shift had left."
            )
        );

        // A folder naming a weapon and a target.
        let line = event(&r, "Power line cut, Kharkiv–Chuhuiv");
        assert_eq!(line.weapons, vec![Weapon::Artillery]);
        assert_eq!(line.target, Some(Target::Energy));
        assert_eq!(
            extra(line, "folder"),
            Some("Shelling of energy infrastructure")
        );
        let sub = event(&r, "Substation damaged");
        assert_eq!(sub.killed, Some(1));
        // A plain-text source line is no link.
        assert!(sub.sources.is_empty(), "{:?}", sub.sources);
    }

    /// Lines and polygons are placed at a point inside them, with a coarser precision and a
    /// note saying so.
    #[test]
    fn shapes_are_placed_at_a_representative_point() {
        let r = load_fixture("my_maps.kml");
        let line = event(&r, "Power line cut, Kharkiv–Chuhuiv");
        assert_eq!(line.location.precision, LocationPrecision::District);
        assert!(
            (36.40..=36.63).contains(&line.location.lon),
            "{:?}",
            line.location
        );
        assert!(
            (49.87..=49.98).contains(&line.location.lat),
            "{:?}",
            line.location
        );
        assert!(
            line.location_note
                .as_deref()
                .unwrap()
                .contains("inside the line")
        );

        let sub = event(&r, "Substation damaged");
        assert_eq!(sub.location.precision, LocationPrecision::District);
        let ring: geo::LineString<f64> = vec![
            (36.3301, 49.9402),
            (36.3412, 49.9402),
            (36.3412, 49.9471),
            (36.3356, 49.9438),
            (36.3301, 49.9471),
            (36.3301, 49.9402),
        ]
        .into();
        let polygon = geo::Polygon::new(ring, vec![]);
        let at = geo::Point::new(sub.location.lon, sub.location.lat);
        assert!(polygon.contains(&at), "{at:?} is not inside the polygon");
        assert!(sub.location_note.as_deref().unwrap().contains("polygon"));

        // A group of a point and a polygon is a shape too; a polygon over 100 km across is a
        // region.
        let e = load_fixture("earth_timespans.kml");
        let depot = event(&e, "Oil depot fire");
        assert_eq!(depot.location.precision, LocationPrecision::District);
        let big = doc(
            "<Placemark><name>Oblast-wide</name><TimeStamp><when>2024-01-02</when></TimeStamp>\
             <Polygon><outerBoundaryIs><LinearRing><coordinates>35,49 38,49 38,51 35,51 35,49\
             </coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>",
        );
        let r = load("big.kml", &big).unwrap();
        assert_eq!(r.events[0].location.precision, LocationPrecision::Region);
    }

    /// TimeStamp (date-time, date, month, year) and TimeSpan (dates inclusive, date-times).
    #[test]
    fn earth_timestamps_and_timespans() {
        let r = load_fixture("earth_timespans.kml");
        assert_eq!(r.records, 9);
        assert_eq!(r.records, r.events.len() + r.rejected.len());
        assert_eq!(
            rejections(&r),
            vec![
                (RecordRef::Placemark(8), RejectReason::InvalidCoordinates),
                (RecordRef::Placemark(9), RejectReason::InvalidDate),
            ]
        );
        assert!(
            r.rejected[0].detail.contains("230.7393"),
            "{:?}",
            r.rejected
        );
        assert!(
            r.rejected[1].detail.contains("\"sometime in July\""),
            "{:?}",
            r.rejected
        );

        let by_id = |id: &str| r.events.iter().find(|e| e.id == id).unwrap();
        let h = by_id("strike-0001");
        assert_eq!(h.time.display(), "2024-07-08 10:45 UTC");
        assert_eq!(h.time.precision, TimePrecision::Minute);
        assert_eq!(
            h.description.as_deref(),
            Some("Missile strike on the toxicology wing & the main building. Two adults killed.")
        );
        assert_eq!(h.weapons, vec![Weapon::CruiseMissile]);
        assert_eq!(h.target, Some(Target::Healthcare));
        assert_eq!((h.killed, h.injured), (Some(2), Some(16)));
        assert_eq!(h.sources.len(), 2, "{:?}", h.sources);
        assert_eq!(extra(h, "folder"), Some("Verified strikes / Kyiv"));

        assert_eq!(by_id("strike-0002").time.display(), "2024-08-26");
        assert_eq!(by_id("strike-0002").time.precision, TimePrecision::Day);
        // The end date is inclusive.
        let span = by_id("strike-0003").time;
        assert_eq!(span.display(), "2024-03-21 – 2024-03-23");
        assert_eq!(span.span(), 3 * DAY);
        // A month and a year cover all of it.
        let month = by_id("strike-0004");
        assert_eq!(month.time.display(), "2023-07-01 – 2023-07-31");
        assert!(month.time_note.as_deref().unwrap().contains("month"));
        assert_eq!(
            by_id("strike-0005").time.display(),
            "2022-01-01 – 2022-12-31"
        );
        // Date-times with an offset, exact.
        let night = by_id("strike-0006").time;
        assert_eq!(night.display(), "2023-07-22 22:00 – 2023-07-23 01:30 UTC");
        assert_eq!(
            by_id("strike-0006").sources[0].url.as_deref(),
            Some("https://example.org/cathedral")
        );
        assert!(
            r.notes.iter().any(|n| n.contains("only a month or a year")),
            "{:?}",
            r.notes
        );
        assert!(
            !r.notes.iter().any(|n| n.contains("no date")),
            "{:?}",
            r.notes
        );
    }

    /// A KMZ reads as its doc.kml does (from bytes, and from a file through `load_path`).
    #[test]
    fn kmz_reads_like_its_kml() {
        use std::io::Write;
        let kml_text = std::fs::read_to_string(fixture("earth_timespans.kml")).unwrap();
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        // An image first: the document is found by its name, not its place.
        zip.start_file("files/icon.png", options).unwrap();
        zip.write_all(b"\x89PNG\r\n\x1a\n").unwrap();
        zip.start_file("doc.kml", options).unwrap();
        zip.write_all(kml_text.as_bytes()).unwrap();
        let bytes = zip.finish().unwrap().into_inner();

        let from_kml = load_bytes("earth_timespans.kml", kml_text.as_bytes()).unwrap();
        let from_kmz = load_bytes("earth.kmz", &bytes).unwrap();
        let from_file = load_fixture("earth.kmz");
        for kmz in [&from_kmz, &from_file] {
            assert_eq!(kmz.format, Format::Kml);
            assert_eq!(kmz.records, from_kml.records);
            assert_eq!(kmz.events, from_kml.events);
            assert_eq!(kmz.rejected, from_kml.rejected);
            assert_eq!(
                kmz.notes[0],
                "read \"doc.kml\" from the KMZ archive (2 files in it)"
            );
            assert_eq!(kmz.notes[1..], from_kml.notes[..]);
        }

        // A ZIP without KML is still refused as what it is.
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file("notes.txt", options).unwrap();
        zip.write_all(b"hello").unwrap();
        let plain = zip.finish().unwrap().into_inner();
        let err = load_bytes("x.zip", &plain).unwrap_err().to_string();
        assert!(err.contains("a ZIP archive"), "{err}");
        // A KMZ whose archive is broken says so.
        let mut broken = bytes[..bytes.len() / 2].to_vec();
        broken.extend_from_slice(b"junk");
        let err = load_bytes("broken.kmz", &broken).unwrap_err().to_string();
        assert!(err.contains("KMZ"), "{err}");
    }

    /// Broken XML is an error naming the line, never a hang or a panic.
    #[test]
    fn malformed_xml_is_an_error_with_its_line() {
        let text = std::fs::read_to_string(fixture("my_maps.kml")).unwrap();
        // Cut off inside a placemark (the kml crate alone loops for ever there).
        let cut = &text[..text.find("<name>Warehouse").unwrap()];
        let err = load_bytes("cut.kml", cut.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(err.contains("cut.kml"), "{err}");
        assert!(err.contains("cut off"), "{err}");
        assert!(err.contains("<Placemark>, opened at line 105"), "{err}");
        // Tags that do not match.
        let bad = doc("<Placemark><name>x</Placemark>");
        let err = load("bad.kml", &bad).unwrap_err().to_string();
        assert!(err.contains("at line 4"), "{err}");
        assert!(
            err.contains("</Placemark> closes <name>, opened at line 4"),
            "{err}"
        );
        let err = load("tag.kml", "<kml><Document><Placemark")
            .unwrap_err()
            .to_string();
        assert!(err.contains("the tag <Placemark is not closed"), "{err}");
        let err = load("deep.kml", &"<Folder>".repeat(500))
            .unwrap_err()
            .to_string();
        assert!(err.contains("nested more than"), "{err}");
    }

    /// What would make the kml crate refuse the whole file (or panic) costs one placemark
    /// at most.
    #[test]
    fn one_bad_placemark_does_not_refuse_the_file() {
        let text = doc(
            r##"<Placemark><name>no coordinates</name><TimeStamp><when>2024-01-01</when></TimeStamp><Point><coordinates/></Point></Placemark>
<Placemark><name>words</name><TimeStamp><when>2024-01-01</when></TimeStamp><Point><coordinates>east,north</coordinates></Point></Placemark>
<Placemark><name>multi</name><TimeStamp><when>2024-01-01</when></TimeStamp><MultiGeometry><Point><coordinates>30,50</coordinates></Point><Point><coordinates></coordinates></Point></MultiGeometry></Placemark>
<Placemark><name>spaces &amp; entities&nbsp;ok</name><description>Bare & and <b>bold</b> markup<br>and a < sign</description><TimeStamp><when>2024-01-02</when></TimeStamp><Point><gx:altitudeMode>clampToSeaFloor</gx:altitudeMode><coordinates>30.5, 50.4, 0</coordinates></Point></Placemark>
<Placemark><name><![CDATA[CDATA <name>]]></name><ExtendedData><SchemaData schemaUrl="#s"><SimpleData name="Date of attack"><![CDATA[March 15, 2024]]></SimpleData><SimpleData name="Oblast">Kharkiv</SimpleData><SimpleData name="source">Reuters</SimpleData></SchemaData></ExtendedData><Point><coordinates>36.2,50.0</coordinates></Point></Placemark>
<Placemark><name>span backwards</name><TimeSpan><begin>2024-02-10</begin><end>2024-02-01</end></TimeSpan><Point><coordinates>36.2,50.0</coordinates></Point></Placemark>
<Placemark><name>model</name><TimeStamp><when>2024-01-01</when></TimeStamp><Model><Location><longitude>30</longitude><latitude>50</latitude></Location></Model></Placemark>
<Placemark><name>fields only</name><ExtendedData><Data name="Latitude"><value>48.5</value></Data><Data name="Longitude"><value>35.1</value></Data><Data name="event_date"><value>2024-05-06</value></Data></ExtendedData></Placemark>"##,
        );
        let r = load("mixed.kml", &text).unwrap();
        assert_eq!(r.records, 8);
        assert_eq!(
            rejections(&r),
            vec![
                (RecordRef::Placemark(1), RejectReason::MissingLocation),
                (RecordRef::Placemark(2), RejectReason::InvalidCoordinates),
                (RecordRef::Placemark(3), RejectReason::MissingLocation),
                (RecordRef::Placemark(6), RejectReason::InvalidDate),
                (RecordRef::Placemark(7), RejectReason::MissingLocation),
            ]
        );
        assert_eq!(r.rejected[0].detail, "its Point has no coordinates");
        assert!(
            r.rejected[1].detail.contains("\"east,north\""),
            "{:?}",
            r.rejected[1]
        );
        assert!(
            r.rejected[4].detail.contains("Model"),
            "{:?}",
            r.rejected[4]
        );
        let e = event(&r, "spaces & entities ok");
        assert_eq!((e.location.lat, e.location.lon), (50.4, 30.5));
        assert_eq!(
            e.description.as_deref(),
            Some("Bare & and bold markup\nand a < sign")
        );
        let c = event(&r, "CDATA <name>");
        assert_eq!(fmt_date(c.time.start), "2024-03-15");
        assert_eq!(c.location.admin1.as_deref(), Some("Kharkiv"));
        assert_eq!(c.sources[0].outlet.as_deref(), Some("Reuters"));
        let f = event(&r, "fields only");
        assert_eq!((f.location.lat, f.location.lon), (48.5, 35.1));
        assert_eq!(fmt_date(f.time.start), "2024-05-06");
    }

    /// XML that is not KML is named, not read as a table.
    #[test]
    fn xml_that_is_not_kml_is_unsupported() {
        let gpx =
            b"<?xml version=\"1.0\"?>\n<gpx version=\"1.1\"><wpt lat=\"50\" lon=\"30\"/></gpx>\n";
        let err = load_bytes("track.gpx", gpx).unwrap_err().to_string();
        assert!(err.contains("GPX") && err.contains("not KML"), "{err}");
        let html = b"<!DOCTYPE html>\n<html><body>hi</body></html>\n";
        let err = load_bytes("page.kml", html).unwrap_err().to_string();
        assert!(err.contains("an HTML page"), "{err}");
        assert!(is_kml(
            "\u{feff}  <?xml version=\"1.0\"?><kml:kml xmlns:kml=\"x\">"
        ));
        assert!(!is_kml("latitude,longitude\n<kml"));
    }

    #[test]
    fn html_descriptions_become_text() {
        assert_eq!(
            html_to_text(
                "a &amp; b &lt;c&gt; &quot;d&quot; it&#39;s&nbsp;here<br>line 2</p><p>para"
            ),
            "a & b <c> \"d\" it's here\nline 2\n\npara"
        );
        assert_eq!(
            html_to_text(
                "<table><tr><td>killed</td><td>3</td></tr></table><script>x()</script>end"
            ),
            "killed 3\n\nend"
        );
        assert_eq!(text_of("  3 < 5 killed  ").as_deref(), Some("3 < 5 killed"));
        assert!(!looks_html("<Unknown> place"));
        assert!(looks_html("a<br/>b"));
    }

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

    #[test]
    fn placemark_records_read_as_text() {
        assert_eq!(RecordRef::Placemark(3).to_string(), "placemark 3");
        assert_eq!(RecordRef::Placemark(3).number(), 3);
        let json = serde_json::to_string(&RecordRef::Placemark(4)).unwrap();
        assert_eq!(json, "\"placemark 4\"");
        assert_eq!(Format::Kml.label(), "KML");
    }
}
