//! GeoJSON importer: our bundled schema (documented in README) and GeoJSON from elsewhere with
//! a detectable time property.

use geo::{BoundingRect, InteriorPoint, MapCoords};
use serde_json::{Map, Value};

use std::collections::{BTreeMap, BTreeSet};

use super::dates::read_column;
use super::headers::{Role, match_headers};
use super::input::JsonDoc;
use super::records::{Outcome, Refusal};

mod times;
use super::{CsvRole, Format, ImportError, LoadReport, RecordRef, RejectReason};
use crate::model::{
    Event, EventTime, Location, LocationPrecision, Source, Target, TimePrecision, Weapon,
};
pub(super) use times::{Times, date_text};

/// Property names that may hold the event's (start) time, in order of preference.
const TIME_KEYS: &[&str] = &[
    "time_start",
    "time",
    "timestamp",
    "datetime",
    "date",
    "event_date",
    "verifiedDate",
    "start",
    "date_start",
];
/// Property names that may hold the end of a time range.
const END_KEYS: &[&str] = &["time_end", "end", "end_date", "date_end"];
/// Property names consumed into typed fields (everything else is kept in `extra`).
const CONSUMED: &[&str] = &[
    "id",
    "title",
    "time_precision",
    "time_note",
    "location_note",
    "location_precision",
    "place",
    "admin1",
    "country",
    "weapon",
    "weapon_detail",
    "target",
    "killed",
    "injured",
    "children_killed",
    "children_injured",
    "launched",
    "intercepted",
    "description",
    "sources",
    "latitude",
    "longitude",
];

/// Whether a (lower-case) property name is one of the strikemap schema's: an exported
/// file's own property of that name must be renamed, or it would be read back as ours.
pub fn is_schema_property(k: &str) -> bool {
    CONSUMED
        .iter()
        .chain(TIME_KEYS)
        .chain(END_KEYS)
        .chain(ALSO_READ)
        .any(|c| c.eq_ignore_ascii_case(k))
}

/// Import a GeoJSON document (FeatureCollection, single Feature, or an array of Features).
pub(super) fn load(
    file: &str,
    doc: JsonDoc,
    time_key: Option<&str>,
) -> Result<LoadReport, ImportError> {
    let crs = Crs::of(file, &doc.root)?;
    let features = features(file, doc.root)?;
    let keys = Keys::of(&features);
    let mut notes = doc.broken.notes;
    let times = Times::read(&features, &keys, time_key, &mut notes);
    let candidates = time_candidates(&features, &keys);
    let mut used: BTreeMap<&str, usize> = Default::default();
    let mut shapes: BTreeMap<&'static str, usize> = Default::default();
    let bad = &doc.broken.bad;
    let records = features
        .iter()
        .enumerate()
        .map(|(i, f)| (RecordRef::Feature(i + 1), (i, f)));
    let outcome = Outcome::default().read(records, |(i, f)| {
        if let Some(detail) = bad.get(&i) {
            return Err((RejectReason::Malformed, detail.clone()));
        }
        let (e, key, shape) = feature_to_event(i, f, &keys, &times, crs)?;
        *used.entry(key).or_default() += 1;
        if let Some(shape) = shape {
            *shapes.entry(shape).or_default() += 1;
        }
        Ok(e)
    });
    let used = outcome_notes(&mut notes, time_key, &used, shapes, crs);
    let mut r = outcome.report(file, Format::Geojson, notes);
    r.time_choice = Some(super::TimeChoice { used, candidates });
    Ok(r)
}

/// The notes on how the features were read, after the date columns' own: the time property
/// used (the chosen one, else the one most features were dated by, returned), the geometries
/// placed at a representative point, a Web Mercator CRS.
pub(super) fn outcome_notes(
    notes: &mut Vec<String>,
    time_key: Option<&str>,
    used: &BTreeMap<&str, usize>,
    shapes: BTreeMap<&'static str, usize>,
    crs: Crs,
) -> Option<String> {
    let used = time_key.map(str::to_owned).or_else(|| {
        used.iter()
            .max_by_key(|(_, n)| **n)
            .map(|(k, _)| (*k).to_owned())
    });
    if let Some(k) = &used {
        notes.push(format!(
            "event times read from the property \"{k}\"{}",
            if time_key.is_some() { " (chosen)" } else { "" }
        ));
    }
    for (shape, n) in shapes {
        notes.push(format!(
            "{n} feature(s) with {shape} geometry: each placed at one representative point of it, its location precision coarsened to the geometry's extent"
        ));
    }
    if crs == Crs::WebMercator {
        notes.push(
            "coordinates in Web Mercator (EPSG:3857), converted to longitude/latitude".to_owned(),
        );
    }
    used
}

/// The coordinate reference system a document declares (GeoJSON of 2008 had a `crs`
/// member; RFC 7946 dropped it, so most files have none and are longitude/latitude).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Crs {
    /// WGS84 longitude/latitude (or none declared).
    LonLat,
    /// Web Mercator metres (EPSG:3857 and its aliases).
    WebMercator,
}

impl Crs {
    /// The document's `crs`, or why its coordinates cannot be read as places.
    pub(super) fn of(file: &str, root: &Value) -> Result<Self, ImportError> {
        let Some(name) = root
            .get("crs")
            .and_then(|c| c.get("properties"))
            .and_then(|p| p.get("name").or_else(|| p.get("code")))
            .map(|n| n.as_str().map_or_else(|| n.to_string(), str::to_owned))
        else {
            return Ok(Self::LonLat);
        };
        let n = name.to_ascii_uppercase();
        let code = n.rsplit([':', '/']).find(|p| !p.is_empty()).unwrap_or("");
        if ["3857", "900913", "102100", "102113", "3785"].contains(&code) {
            return Ok(Self::WebMercator);
        }
        if ["CRS84", "4326", "4258", "4269", "4979", "CRS83"].contains(&code) {
            return Ok(Self::LonLat);
        }
        Err(ImportError::Unsupported {
            file: file.to_owned(),
            message: format!(
                "its coordinates are in {name}, not longitude/latitude: reproject it to WGS84 (EPSG:4326) first, e.g. with ogr2ogr -t_srs EPSG:4326"
            ),
        })
    }
}

/// The property names of a file, by what they mean: our schema's names in any case
/// ("DATE", "Killed"), and people's words ("Date of attack", "Lat") for the roles our schema
/// has no name for.
pub(super) struct Keys {
    /// Our schema's name (lower case) → the name the file uses, where they differ.
    alias: BTreeMap<String, String>,
    /// Role → property, from the header words of the file's names.
    matched: super::headers::Matched,
    /// The file's property names, in first-seen order.
    names: Vec<String>,
}

impl Keys {
    /// The keys of these features' property names.
    pub(super) fn of(features: &[Value]) -> Self {
        let mut names: Vec<String> = Vec::new();
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for f in features {
            let Some(props) = f.get("properties").and_then(Value::as_object) else {
                continue;
            };
            for k in props.keys() {
                if seen.insert(k.as_str()) {
                    names.push(k.clone());
                }
            }
        }
        Self::from_names(names)
    }

    /// The keys of a file whose property names, in first-seen order (each feature's in
    /// [`Map`] order), are `names`.
    pub(super) fn from_names(names: Vec<String>) -> Self {
        let mut alias = BTreeMap::new();
        let known = CONSUMED
            .iter()
            .chain(TIME_KEYS)
            .chain(END_KEYS)
            .chain(ALSO_READ);
        for canon in known {
            let lower = canon.to_ascii_lowercase();
            if names.iter().any(|n| n == canon) {
                continue;
            }
            if let Some(n) = names.iter().find(|n| n.to_lowercase() == lower) {
                alias.insert((*canon).to_owned(), n.clone());
            }
        }
        let matched = match_headers(&names);
        Self {
            alias,
            matched,
            names,
        }
    }

    /// The file's property names, in first-seen order.
    pub(super) fn names(&self) -> &[String] {
        &self.names
    }

    /// The property names whose values decide a feature's hot row and whether it loads (see
    /// [`ROW_PROPERTIES`]): each schema name as the file writes it, and the name its role is
    /// matched to.
    pub(super) fn row_names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for canon in ROW_PROPERTIES {
            let by_role = role_of(canon)
                .and_then(|role| self.matched.get(role))
                .and_then(|i| self.names.get(i))
                .map(String::as_str);
            for n in std::iter::once(self.name(canon)).chain(by_role) {
                if !out.contains(&n) {
                    out.push(n);
                }
            }
        }
        out
    }

    /// The name the file uses for one of our schema's properties.
    fn name<'a>(&'a self, canon: &'a str) -> &'a str {
        self.alias.get(canon).map_or(canon, String::as_str)
    }

    /// A property by our schema's name (in any case), else by the role its words give it.
    fn get<'p>(&self, props: &'p Map<String, Value>, canon: &str) -> Option<&'p Value> {
        props
            .get(self.name(canon))
            .filter(|v| !v.is_null())
            .or_else(|| {
                let role = role_of(canon)?;
                let i = self.matched.get(role)?;
                props.get(self.names.get(i)?).filter(|v| !v.is_null())
            })
    }

    /// Whether a property was read into a typed field (and is not kept as an extra).
    fn consumed(&self, k: &str) -> bool {
        let lower = k.to_lowercase();
        CONSUMED
            .iter()
            .chain(TIME_KEYS)
            .chain(END_KEYS)
            .chain(ALSO_READ)
            .any(|c| c.eq_ignore_ascii_case(&lower))
            || self
                .matched
                .roles
                .iter()
                .any(|(r, i)| self.names.get(*i).is_some_and(|n| n == k) && *r != Role::Id)
            || self
                .matched
                .dates
                .iter()
                .any(|i| self.names.get(*i).is_some_and(|n| n == k))
    }
}

/// The schema names [`feature_untimed`] reads for what a hot row holds (location
/// precision, weapon, casualties, target, region and country, attack counts) and for whether a feature loads (coordinates, the
/// declared time precision): a feature whose other properties are left out gives the same
/// row and the same rejection. Keep in step with [`feature_untimed`].
pub(super) const ROW_PROPERTIES: &[&str] = &[
    "latitude",
    "longitude",
    "time_precision",
    "location_precision",
    "weapon",
    "killed",
    "fatalities",
    "deaths",
    "injured",
    "wounded",
    "admin1",
    "country",
    "target",
    "children_killed",
    "children_injured",
    "launched",
    "intercepted",
];

/// Names read as well as [`CONSUMED`] (alternatives of our schema's names).
const ALSO_READ: &[&str] = &[
    "fatalities",
    "deaths",
    "wounded",
    "notes",
    "name",
    "location",
];

/// The role of one of our schema's names, for files that use other words for it.
fn role_of(canon: &str) -> Option<Role> {
    Some(Role::Csv(match canon {
        "latitude" => CsvRole::Lat,
        "longitude" => CsvRole::Lon,
        "place" => CsvRole::Place,
        "admin1" => CsvRole::Admin1,
        "country" => CsvRole::Country,
        "weapon" => CsvRole::Weapon,
        "target" => CsvRole::Target,
        "killed" => CsvRole::Killed,
        "injured" => CsvRole::Injured,
        "description" => CsvRole::Desc,
        "title" => CsvRole::Title,
        "children_killed" => return Some(Role::ChildrenKilled),
        "children_injured" => return Some(Role::ChildrenInjured),
        _ => return None,
    }))
}

/// The features of a document, or why it holds none we can read.
fn features(file: &str, root: Value) -> Result<Vec<Value>, ImportError> {
    let unsupported = |message: &str| ImportError::Unsupported {
        file: file.to_owned(),
        message: message.to_owned(),
    };
    Ok(match root {
        Value::Object(mut o) => match o.get("type").and_then(Value::as_str) {
            Some("FeatureCollection") => match o.remove("features") {
                Some(Value::Array(a)) => a,
                _ => return Err(unsupported("FeatureCollection has no \"features\" array")),
            },
            Some("Feature") => vec![Value::Object(o)],
            Some(other) => {
                return Err(unsupported(&format!(
                    "GeoJSON of type \"{other}\" holds no events; expected a FeatureCollection"
                )));
            }
            None => {
                return Err(unsupported(
                    "a JSON object without a GeoJSON \"type\"; expected a FeatureCollection",
                ));
            }
        },
        Value::Array(a) => {
            let any_feature = a
                .iter()
                .any(|v| v.get("type").and_then(Value::as_str) == Some("Feature"));
            if !any_feature && !a.is_empty() {
                return Err(unsupported(
                    "a JSON array whose records are not GeoJSON Features (this JSON layout is not supported yet)",
                ));
            }
            a
        }
        _ => return Err(unsupported("not a GeoJSON document")),
    })
}

fn reject(reason: RejectReason, detail: impl Into<String>) -> Refusal {
    (reason, detail.into())
}

/// Properties that hold dates in the first features, most common first: the choices offered
/// when the detected time property is the wrong one (e.g. a report date).
pub(super) fn time_candidates(features: &[Value], keys: &Keys) -> Vec<String> {
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for f in features.iter().take(200) {
        let Some(props) = f.get("properties").and_then(Value::as_object) else {
            continue;
        };
        for (k, v) in props {
            let looks_like_time = match v {
                Value::String(s) => {
                    s.len() >= 6
                        && s.trim().parse::<f64>().is_err()
                        && read_column(k, &[Some(s.as_str())]).dates[0].is_ok()
                }
                Value::Number(_) => {
                    TIME_KEYS.contains(&k.to_lowercase().as_str())
                        || keys
                            .matched
                            .dates
                            .iter()
                            .any(|&i| keys.names.get(i) == Some(k))
                }
                _ => false,
            };
            if looks_like_time {
                *counts.entry(k.clone()).or_default() += 1;
            }
        }
    }
    let mut c: Vec<(String, usize)> = counts.into_iter().collect();
    c.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    c.into_iter().map(|(k, _)| k).collect()
}

/// One feature as an event, the time property it was dated by, and the kind of geometry
/// it was placed at a representative point of (`None` for a point).
fn feature_to_event<'t>(
    i: usize,
    f: &Value,
    keys: &Keys,
    times: &'t Times,
    crs: Crs,
) -> Result<(Event, &'t str, Option<&'static str>), Refusal> {
    let (mut e, declared, shape) = feature_untimed(i, f, keys, crs)?;
    let (time, key) = times.of(i, declared)?;
    e.time = time;
    Ok((e, key, shape))
}

/// Feature `i` as an event but for its time (left at the start of 1970, for
/// [`Times::of`] to give with the declared time precision, returned), and the kind of
/// geometry it was placed at a representative point of; or why it is no event whatever its
/// time. What follows the time is never refused, so a time read later gives the same result.
pub(super) fn feature_untimed(
    i: usize,
    f: &Value,
    keys: &Keys,
    crs: Crs,
) -> Result<(Event, Option<TimePrecision>, Option<&'static str>), Refusal> {
    let Some(obj) = f.as_object() else {
        return Err(reject(RejectReason::Malformed, "not a JSON object"));
    };
    let empty = Map::new();
    let props = match obj.get("properties") {
        Some(Value::Object(p)) => p,
        Some(Value::Null) | None => &empty,
        Some(_) => {
            return Err(reject(
                RejectReason::Malformed,
                "\"properties\" is not an object",
            ));
        }
    };
    let text = |k: &str| keys.get(props, k).and_then(text_value);
    let (lat, lon, shape) = coordinates(obj.get("geometry"), props, keys, crs)?;
    let declared = text("time_precision").and_then(|s| TimePrecision::parse(&s));
    let time = EventTime::at(0, TimePrecision::Day);

    let id = obj
        .get("id")
        .or_else(|| keys.get(props, "id"))
        .and_then(value_text)
        .unwrap_or_else(|| format!("feature-{}", i + 1));

    let declared_at = text("location_precision").and_then(|s| LocationPrecision::parse(&s));
    let precision = match (declared_at, shape) {
        (Some(p), Some((_, extent))) => coarsest(p, extent),
        (Some(p), None) => p,
        (None, Some((_, extent))) => extent,
        (None, None) => LocationPrecision::Exact,
    };
    let location = Location {
        lat,
        lon,
        precision,
        place: text("place").or_else(|| text("location")),
        admin1: text("admin1"),
        country: text("country"),
    };

    let mut e = Event::new(id, time, location);
    e.title = text("title").or_else(|| text("name"));
    e.time_note = text("time_note");
    e.location_note = text("location_note");
    if let Some((kind, _)) = shape {
        let note = format!("placed at a representative point of its {kind} geometry");
        e.location_note = Some(match e.location_note.take() {
            Some(n) => format!("{n}; {note}"),
            None => note,
        });
    }
    e.weapons = match keys.get(props, "weapon") {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(Weapon::parse)
            .collect(),
        Some(Value::String(s)) => vec![Weapon::parse(s)],
        _ => Vec::new(),
    };
    e.weapons.retain(|w| *w != Weapon::Unknown);
    e.weapon_detail = text("weapon_detail");
    e.target = text("target").and_then(|s| Target::parse(&s));
    let count = |names: &[&str]| {
        names
            .iter()
            .find_map(|k| keys.get(props, k).and_then(count_value))
    };
    e.killed = count(&["killed", "fatalities", "deaths"]);
    e.injured = count(&["injured", "wounded"]);
    e.children_killed = count(&["children_killed"]);
    e.children_injured = count(&["children_injured"]);
    e.launched = count(&["launched"]);
    e.intercepted = count(&["intercepted"]);
    e.description = text("description").or_else(|| text("notes"));
    e.sources = sources(
        keys.get(props, "sources")
            .or_else(|| keys.get(props, "source")),
    );

    for (k, v) in props {
        if keys.consumed(k) || v.is_null() {
            continue;
        }
        if let Some(text) = value_text(v) {
            e.extra.push((k.as_str().into(), text));
        }
    }
    Ok((e, declared, shape.map(|(kind, _)| kind)))
}

/// The coarser of two precisions.
fn coarsest(a: LocationPrecision, b: LocationPrecision) -> LocationPrecision {
    let rank = |p| LocationPrecision::ALL.iter().position(|q| *q == p);
    if rank(a) >= rank(b) { a } else { b }
}

/// Coordinates from the geometry (a point directly; any other geometry at one
/// representative point on it, with the precision its extent allows), or from latitude /
/// longitude properties when there is no geometry.
/// A representative point's geometry kind and the precision its extent allows.
type Shape = Option<(&'static str, LocationPrecision)>;

fn coordinates(
    geometry: Option<&Value>,
    props: &Map<String, Value>,
    keys: &Keys,
    crs: Crs,
) -> Result<(f64, f64, Shape), Refusal> {
    let (point, shape) = match geometry {
        Some(Value::Null) | None => {
            let lat = keys.get(props, "latitude").and_then(number);
            let lon = keys.get(props, "longitude").and_then(number);
            match (lat, lon) {
                (Some(lat), Some(lon)) => ((lon, lat), None),
                _ => {
                    return Err(reject(
                        RejectReason::MissingLocation,
                        "no geometry (null) and no latitude/longitude properties",
                    ));
                }
            }
        }
        Some(g) => {
            let geometry = geojson::Geometry::from_json_value(g.clone())
                .map_err(|e| reject(RejectReason::InvalidCoordinates, format!("geometry: {e}")))?;
            let mut geo: geo::Geometry<f64> = geo::Geometry::try_from(&geometry.value)
                .map_err(|e| reject(RejectReason::InvalidCoordinates, e.to_string()))?;
            if crs == Crs::WebMercator {
                geo = geo.map_coords(from_web_mercator);
            }
            representative(&geo)?
        }
    };
    let (lon, lat) = point;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) || !lat.is_finite() {
        return Err(reject(
            RejectReason::InvalidCoordinates,
            format!("lat {lat}, lon {lon} is outside the globe"),
        ));
    }
    Ok((lat, lon, shape))
}

/// Web Mercator metres as longitude/latitude degrees.
fn from_web_mercator(c: geo::Coord<f64>) -> geo::Coord<f64> {
    const R: f64 = 6_378_137.0;
    geo::Coord {
        x: (c.x / R).to_degrees(),
        y: (c.y / R).sinh().atan().to_degrees(),
    }
}

/// A point of a geometry standing for all of it: the point itself, else a point on it (a
/// polygon's interior, a line's vertex nearest its centre), with the geometry's kind and
/// the precision its extent allows (under 2 km a settlement, under 50 km a district, else a
/// region).
#[allow(clippy::type_complexity)]
fn representative(
    g: &geo::Geometry<f64>,
) -> Result<((f64, f64), Option<(&'static str, LocationPrecision)>), Refusal> {
    let empty = || reject(RejectReason::MissingLocation, "empty geometry");
    let kind = match g {
        geo::Geometry::Point(p) => return Ok(((p.x(), p.y()), None)),
        geo::Geometry::MultiPoint(m) if m.0.len() == 1 => {
            return Ok(((m.0[0].x(), m.0[0].y()), None));
        }
        geo::Geometry::MultiPoint(_) => "MultiPoint",
        geo::Geometry::LineString(_) | geo::Geometry::Line(_) => "LineString",
        geo::Geometry::MultiLineString(_) => "MultiLineString",
        geo::Geometry::Polygon(_) | geo::Geometry::Rect(_) | geo::Geometry::Triangle(_) => {
            "Polygon"
        }
        geo::Geometry::MultiPolygon(_) => "MultiPolygon",
        geo::Geometry::GeometryCollection(_) => "GeometryCollection",
    };
    let p = g.interior_point().ok_or_else(empty)?;
    let extent = g.bounding_rect().map_or(0.0, |r| {
        let (w, h) = (r.width(), r.height());
        let km_per_deg = 111.2;
        let w_km = w * km_per_deg * p.y().to_radians().cos().abs();
        (w_km * w_km + (h * km_per_deg).powi(2)).sqrt()
    });
    let precision = if extent < 2.0 {
        LocationPrecision::Settlement
    } else if extent < 50.0 {
        LocationPrecision::District
    } else {
        LocationPrecision::Region
    };
    Ok(((p.x(), p.y()), Some((kind, precision))))
}

/// The sources of a `sources` (or `source`) property: a list or one, of URLs, names or
/// objects.
fn sources(v: Option<&Value>) -> Vec<Source> {
    let one = |v: &Value| -> Option<Source> {
        match v {
            Value::String(s) if !s.trim().is_empty() => {
                let is_url = s.starts_with("http://") || s.starts_with("https://");
                Some(Source {
                    outlet: (!is_url).then(|| s.clone()),
                    url: is_url.then(|| s.clone()),
                    ..Source::default()
                })
            }
            Value::Object(o) => Some(Source {
                outlet: str_prop(o, "outlet").or_else(|| str_prop(o, "name")),
                title: str_prop(o, "title").or_else(|| str_prop(o, "description")),
                url: str_prop(o, "url").or_else(|| str_prop(o, "path")),
                published: str_prop(o, "published").or_else(|| str_prop(o, "date")),
                quoted: str_prop(o, "quoted"),
            }),
            _ => None,
        }
    };
    match v {
        Some(Value::Array(a)) => a.iter().filter_map(one).collect(),
        Some(v) => one(v).into_iter().collect(),
        None => Vec::new(),
    }
}

/// A non-empty string property (numbers are turned into text).
fn str_prop(props: &Map<String, Value>, key: &str) -> Option<String> {
    match props.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A non-empty text value (numbers as written); "not reported" sentinels are none.
fn text_value(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !super::dates::is_sentinel(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A count: a non-negative integer, "12", or 12.0; a sentinel ("unknown", "-") is none.
fn count_value(v: &Value) -> Option<u32> {
    let n = number(v)?;
    (n >= 0.0 && n.fract() == 0.0 && n <= f64::from(u32::MAX)).then_some(n as u32)
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Any JSON value as display text (strings unquoted, everything else compact JSON).
fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::load_bytes;
    use super::*;

    const GOOD: &str = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[35.51,50.16]},
       "properties":{"time_start":"2026-01-01","time_end":"2026-02-28","time_precision":"range",
         "time_note":"no date in report","location_precision":"settlement","place":"Bohodukhiv",
         "weapon":"drone","weapon_detail":"Shahed-type","target":"residential","killed":4,
         "injured":1,"children_killed":3,"sources":[{"outlet":"UNN","quoted":"Zelenskyy"}],
         "report":"000.txt"}},
      {"type":"Feature","geometry":{"type":"Point","coordinates":[30.52,50.45]},
       "properties":{"date":"2025-07-10T01:00:00Z","weapon":["drone","cruise_missile"],"killed":"2"}}
    ]}"#;

    #[test]
    fn reads_our_schema() {
        let r = load_bytes("t.geojson", GOOD.as_bytes()).unwrap();
        assert_eq!(r.records, 2);
        assert_eq!(r.events.len(), 2);
        let a = &r.events[0];
        assert_eq!(a.id, "a");
        assert_eq!(a.time.precision, TimePrecision::Range);
        assert_eq!(a.time.display(), "2026-01-01 – 2026-02-28");
        assert_eq!(a.location.precision, LocationPrecision::Settlement);
        assert_eq!(a.weapons, vec![Weapon::Drone]);
        assert_eq!(a.killed, Some(4));
        assert_eq!(a.children_killed, Some(3));
        assert_eq!(a.injured, Some(1));
        assert_eq!(a.target, Some(Target::Residential));
        assert_eq!(a.sources[0].outlet.as_deref(), Some("UNN"));
        assert!(a.extra.contains(&("report".into(), "000.txt".to_owned())));
        let b = &r.events[1];
        assert_eq!(b.time.precision, TimePrecision::Minute);
        assert_eq!(b.weapons, vec![Weapon::Drone, Weapon::CruiseMissile]);
        assert_eq!(b.killed, Some(2));
        assert_eq!(b.injured, None, "absent is unknown, not zero");
    }

    #[test]
    fn bad_records_are_rejected_with_their_number_and_reason() {
        let doc = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","geometry":null,"properties":{"date":"2025-01-01"}},
          {"type":"Feature","geometry":{"type":"Point","coordinates":[30,95]},"properties":{"date":"2025-01-01"}},
          {"type":"Feature","geometry":{"type":"Point","coordinates":[30,50]},"properties":{}},
          {"type":"Feature","geometry":{"type":"Point","coordinates":[30,50]},"properties":{"date":"soon"}},
          42,
          {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[30,50],[32,50],[32,52],[30,52],[30,50]]]},"properties":{"date":1752105600}}
        ]}"#;
        let r = load_bytes("bad.geojson", doc.as_bytes()).unwrap();
        assert_eq!(r.records, 6);
        assert_eq!(r.events.len(), 1);
        let reasons: Vec<_> = r
            .rejected
            .iter()
            .map(|x| (x.record.to_string(), x.reason))
            .collect();
        assert_eq!(
            reasons,
            vec![
                ("feature 1".to_owned(), RejectReason::MissingLocation),
                ("feature 2".to_owned(), RejectReason::InvalidCoordinates),
                ("feature 3".to_owned(), RejectReason::MissingDate),
                ("feature 4".to_owned(), RejectReason::InvalidDate),
                ("feature 5".to_owned(), RejectReason::Malformed),
            ]
        );
        assert!(r.rejected[3].detail.contains("soon"));
        // polygon → centroid
        assert!((r.events[0].location.lat - 51.0).abs() < 1e-9);
    }

    /// Two date properties: the event's date is found by name; the report date can be chosen
    /// instead, and a feature without it is then rejected, not misdated.
    #[test]
    fn the_time_property_can_be_chosen() {
        let doc = br#"{"type":"FeatureCollection","features":[
 {"type":"Feature","geometry":{"type":"Point","coordinates":[30.5,50.4]},"properties":{"date":"2025-07-10","published":"2025-07-12T08:00:00Z"}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[36.2,49.9]},"properties":{"date":"2025-07-11"}}]}"#;
        let r = load_bytes("g.geojson", doc).unwrap();
        assert_eq!(r.events.len(), 2);
        let tc = r.time_choice.clone().unwrap();
        assert_eq!(tc.used.as_deref(), Some("date"));
        assert_eq!(tc.candidates, ["date", "published"]);
        assert_eq!(r.events[0].time.display(), "2025-07-10");
        let opts = super::super::LoadOptions {
            time_property: Some("published".to_owned()),
            ..Default::default()
        };
        let r = super::super::load_bytes_opts("g.geojson", doc, None, &opts).unwrap();
        assert_eq!(r.events.len(), 1);
        assert_eq!(r.events[0].time.display(), "2025-07-12 08:00 UTC");
        assert_eq!(r.rejected[0].reason, RejectReason::MissingDate);
        assert!(r.rejected[0].detail.contains("published"));
        assert!(r.notes.iter().any(|n| n.contains("\"published\" (chosen)")));
    }

    /// One NaN or 1e400 (not JSON) loses the feature that holds it, not the file; a file cut
    /// off inside a feature keeps the features before it.
    #[test]
    fn a_broken_feature_is_one_rejection() {
        let f = |coords: &str| {
            format!(
                r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":[{coords}]}},
                "properties":{{"date":"2025-07-10"}}}}"#
            )
        };
        let doc = format!(
            r#"{{"type":"FeatureCollection","features":[{},{},{},{}]}}"#,
            f("30.5, 50.4"),
            f("NaN, 50.4"),
            f("30.5, 1e400"),
            f("31.5, 50.4")
        );
        let r = load_bytes("t.geojson", doc.as_bytes()).unwrap();
        assert_eq!(r.records, 4);
        assert_eq!(r.events.len(), 2);
        let got: Vec<_> = r
            .rejected
            .iter()
            .map(|x| (x.record.to_string(), x.reason))
            .collect();
        assert_eq!(
            got,
            [
                ("feature 2".to_owned(), RejectReason::Malformed),
                ("feature 3".to_owned(), RejectReason::Malformed)
            ]
        );
        assert!(
            r.rejected[0].detail.contains("\"NaN, 50.4]"),
            "{:?}",
            r.rejected
        );
        assert!(r.rejected[1].detail.contains("1e400"), "{:?}", r.rejected);
        assert!(
            r.rejected[1].detail.contains("out of range"),
            "{:?}",
            r.rejected
        );

        let cut = &doc[..doc.len() - 40];
        let r = load_bytes("t.geojson", cut.as_bytes()).unwrap();
        assert_eq!((r.records, r.events.len()), (4, 1));
        assert_eq!(r.rejected[2].detail, "the file ends inside this feature");
        assert!(
            r.notes.iter().any(|n| n.contains("cut off")),
            "{:?}",
            r.notes
        );
    }

    /// Epoch numbers are seconds or milliseconds by property, not by each value's size, and
    /// dates that cannot be an event's are rejected as implausible.
    #[test]
    fn epochs_are_read_per_property_and_checked() {
        let f = |t: &str| {
            format!(
                r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":[30,50]}},
                "properties":{{"time":{t}}}}}"#
            )
        };
        let doc = format!(
            r#"{{"type":"FeatureCollection","features":[{},{},{}]}}"#,
            f("1752105600"),
            f("-62135596800"),
            f("253402300799")
        );
        let r = load_bytes("t.geojson", doc.as_bytes()).unwrap();
        assert_eq!(r.events.len(), 1);
        assert_eq!(r.events[0].time.start, 1_752_105_600);
        let reasons: Vec<_> = r.rejected.iter().map(|x| x.reason).collect();
        assert_eq!(reasons, [RejectReason::ImplausibleDate; 2]);
        assert!(r.rejected[0].detail.contains("0001-01-01 is before 1900"));
        assert!(r.rejected[1].detail.contains("is in the future"));
    }

    #[test]
    fn broken_json_names_line_and_column() {
        let err = load_bytes(
            "x.geojson",
            b"{\"type\": \"FeatureCollection\", \"features\": [}",
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("x.geojson") && msg.contains("line 1"), "{msg}");
    }

    #[test]
    fn non_collection_is_a_clear_error() {
        let err = load_bytes("p.geojson", br#"{"type":"Point","coordinates":[1,2]}"#).unwrap_err();
        assert!(err.to_string().contains("FeatureCollection"));
    }
}
