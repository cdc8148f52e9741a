//! GeoJSON importer: our bundled schema (documented in README) and GeoJSON from elsewhere with
//! a detectable time property.

use geo::Centroid;
use serde_json::{Map, Value};

use std::collections::BTreeMap;

use super::fields::q;
use super::input::JsonDoc;
use super::records::{Outcome, Refusal};
use super::time::{EpochUnit, ParsedTime, combine, epoch_in, implausible, parse_time_in};
use super::{Format, ImportError, LoadReport, RecordRef, RejectReason};
use crate::model::{Event, Location, LocationPrecision, Source, Target, TimePrecision, Weapon};

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

/// Import a GeoJSON document (FeatureCollection, single Feature, or an array of Features).
pub(super) fn load(
    file: &str,
    doc: JsonDoc,
    time_key: Option<&str>,
) -> Result<LoadReport, ImportError> {
    let features = features(file, doc.root)?;
    let candidates = time_candidates(&features);
    let units = epoch_units(&features, time_key);
    let mut used: BTreeMap<&str, usize> = Default::default();
    let bad = &doc.broken.bad;
    let records = features
        .iter()
        .enumerate()
        .map(|(i, f)| (RecordRef::Feature(i + 1), (i, f)));
    let outcome = Outcome::default().read(records, |(i, f)| {
        if let Some(detail) = bad.get(&i) {
            return Err((RejectReason::Malformed, detail.clone()));
        }
        let (e, key) = feature_to_event(i + 1, f, time_key, &units)?;
        *used.entry(key).or_default() += 1;
        Ok(e)
    });
    let used = time_key.map(str::to_owned).or_else(|| {
        used.iter()
            .max_by_key(|(_, n)| **n)
            .map(|(k, _)| (*k).to_owned())
    });
    let mut notes = doc.broken.notes;
    if let Some(k) = &used {
        notes.push(format!(
            "event times read from the property \"{k}\"{}",
            if time_key.is_some() { " (chosen)" } else { "" }
        ));
    }
    let mut r = outcome.report(file, Format::Geojson, notes);
    r.time_choice = Some(super::TimeChoice { used, candidates });
    Ok(r)
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

/// The epoch unit of every property that may hold a time, decided from all features.
fn epoch_units(features: &[Value], time_key: Option<&str>) -> BTreeMap<String, EpochUnit> {
    let keys = TIME_KEYS.iter().chain(END_KEYS).copied().chain(time_key);
    keys.map(|k| {
        let values = features
            .iter()
            .filter_map(|f| match f.get("properties")?.get(k)? {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => super::time::epoch_number(s),
                _ => None,
            });
        (k.to_owned(), EpochUnit::for_column(values))
    })
    .collect()
}

fn reject(reason: RejectReason, detail: impl Into<String>) -> Refusal {
    (reason, detail.into())
}

/// Properties that hold dates in the first features, most common first: the choices offered
/// when the detected time property is the wrong one (e.g. a report date).
fn time_candidates(features: &[Value]) -> Vec<String> {
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for f in features.iter().take(200) {
        let Some(props) = f.get("properties").and_then(Value::as_object) else {
            continue;
        };
        for (k, v) in props {
            let looks_like_time = match v {
                Value::String(s) => s.len() >= 6 && super::time::parse_time_str(s).is_some(),
                Value::Number(_) => {
                    TIME_KEYS.contains(&k.as_str()) && parse_value(v, EpochUnit::Guess).is_some()
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

fn feature_to_event<'k>(
    n: usize,
    f: &Value,
    time_key: Option<&'k str>,
    units: &BTreeMap<String, EpochUnit>,
) -> Result<(Event, &'k str), Refusal> {
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

    let (lat, lon) = coordinates(obj.get("geometry"), props)?;
    let (time, key) = event_time(props, time_key, units)?;

    let id = obj
        .get("id")
        .or_else(|| props.get("id"))
        .and_then(value_text)
        .unwrap_or_else(|| format!("feature-{n}"));

    let location = Location {
        lat,
        lon,
        precision: str_prop(props, "location_precision")
            .and_then(|s| LocationPrecision::parse(&s))
            .unwrap_or(LocationPrecision::Exact),
        place: str_prop(props, "place").or_else(|| str_prop(props, "location")),
        admin1: str_prop(props, "admin1"),
        country: str_prop(props, "country"),
    };

    let mut e = Event::new(id, time, location);
    e.title = str_prop(props, "title").or_else(|| str_prop(props, "name"));
    e.time_note = str_prop(props, "time_note");
    e.location_note = str_prop(props, "location_note");
    e.weapons = match props.get("weapon") {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(Weapon::parse)
            .collect(),
        Some(Value::String(s)) => vec![Weapon::parse(s)],
        _ => Vec::new(),
    };
    e.weapons.retain(|w| *w != Weapon::Unknown);
    e.weapon_detail = str_prop(props, "weapon_detail");
    e.target = str_prop(props, "target").and_then(|s| Target::parse(&s));
    e.killed = count_prop(props, &["killed", "fatalities", "deaths"]);
    e.injured = count_prop(props, &["injured", "wounded"]);
    e.children_killed = count_prop(props, &["children_killed"]);
    e.children_injured = count_prop(props, &["children_injured"]);
    e.launched = count_prop(props, &["launched"]);
    e.intercepted = count_prop(props, &["intercepted"]);
    e.description = str_prop(props, "description").or_else(|| str_prop(props, "notes"));
    e.sources = sources(props);

    let time_keys_used = TIME_KEYS.iter().chain(END_KEYS);
    let used: Vec<&str> = CONSUMED
        .iter()
        .copied()
        .chain(time_keys_used.copied())
        .chain([
            "fatalities",
            "deaths",
            "wounded",
            "notes",
            "name",
            "location",
        ])
        .collect();
    for (k, v) in props {
        if used.contains(&k.as_str()) || v.is_null() {
            continue;
        }
        if let Some(text) = value_text(v) {
            e.extra.push((k.clone(), text));
        }
    }
    Ok((e, key))
}

/// Coordinates from the geometry (Point directly; other geometries by centroid), or from
/// latitude/longitude properties when there is no geometry.
fn coordinates(
    geometry: Option<&Value>,
    props: &Map<String, Value>,
) -> Result<(f64, f64), Refusal> {
    let point = match geometry {
        Some(Value::Null) | None => {
            let lat = props.get("latitude").and_then(number);
            let lon = props.get("longitude").and_then(number);
            match (lat, lon) {
                (Some(lat), Some(lon)) => (lon, lat),
                _ => {
                    return Err(reject(RejectReason::MissingLocation, "no geometry"));
                }
            }
        }
        Some(g) => {
            let geometry = geojson::Geometry::from_json_value(g.clone())
                .map_err(|e| reject(RejectReason::InvalidCoordinates, format!("geometry: {e}")))?;
            let geo: geo::Geometry<f64> = geo::Geometry::try_from(&geometry.value)
                .map_err(|e| reject(RejectReason::InvalidCoordinates, e.to_string()))?;
            match geo.centroid() {
                Some(p) => (p.x(), p.y()),
                None => {
                    return Err(reject(RejectReason::MissingLocation, "empty geometry"));
                }
            }
        }
    };
    let (lon, lat) = point;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) || !lat.is_finite() {
        return Err(reject(
            RejectReason::InvalidCoordinates,
            format!("lat {lat}, lon {lon} is outside the globe"),
        ));
    }
    Ok((lat, lon))
}

fn event_time<'k>(
    props: &Map<String, Value>,
    time_key: Option<&'k str>,
    units: &BTreeMap<String, EpochUnit>,
) -> Result<(crate::model::EventTime, &'k str), Refusal> {
    let unit = |k: &str| units.get(k).copied().unwrap_or_default();
    let found = match time_key {
        Some(k) => props.get(k).filter(|v| !v.is_null()).map(|v| (k, v)),
        None => TIME_KEYS
            .iter()
            .find_map(|k| props.get(*k).filter(|v| !v.is_null()).map(|v| (*k, v))),
    };
    let Some((key, raw)) = found else {
        return Err(reject(
            RejectReason::MissingDate,
            match time_key {
                Some(k) => format!("the chosen time property {k} is not set"),
                None => format!("none of the properties {} is set", TIME_KEYS.join(", ")),
            },
        ));
    };
    let start = parse_value(raw, unit(key)).ok_or_else(|| {
        reject(
            RejectReason::InvalidDate,
            format!("{key} = {} is not a date", q(&raw.to_string())),
        )
    })?;
    let end = match END_KEYS
        .iter()
        .find_map(|k| props.get(*k).filter(|v| !v.is_null()).map(|v| (*k, v)))
    {
        Some((k, v)) => Some(parse_value(v, unit(k)).ok_or_else(|| {
            reject(
                RejectReason::InvalidDate,
                format!("{k} = {} is not a date", q(&v.to_string())),
            )
        })?),
        None => None,
    };
    let declared = str_prop(props, "time_precision").and_then(|s| TimePrecision::parse(&s));
    let time = combine(start, end, declared);
    if let Some(why) = implausible(&time) {
        return Err(reject(
            RejectReason::ImplausibleDate,
            format!("{key} = {}: {why}", q(&raw.to_string())),
        ));
    }
    Ok((time, key))
}

fn parse_value(v: &Value, unit: EpochUnit) -> Option<ParsedTime> {
    match v {
        Value::String(s) => parse_time_in(s, unit),
        Value::Number(n) => epoch_in(n.as_f64()?, unit),
        _ => None,
    }
}

fn sources(props: &Map<String, Value>) -> Vec<Source> {
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
    match props.get("sources").or_else(|| props.get("source")) {
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

/// First readable count among `keys`: a non-negative integer, "12", or 12.0.
fn count_prop(props: &Map<String, Value>, keys: &[&str]) -> Option<u32> {
    keys.iter().find_map(|k| {
        let n = number(props.get(*k)?)?;
        (n >= 0.0 && n.fract() == 0.0 && n <= f64::from(u32::MAX)).then_some(n as u32)
    })
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
        assert!(
            a.extra
                .contains(&("report".to_owned(), "000.txt".to_owned()))
        );
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
        assert!(r.rejected[0].detail.contains("0001-01-01 is before 1800"));
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
