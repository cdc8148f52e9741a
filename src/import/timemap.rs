//! Bellingcat / Forensic Architecture TimeMap data, in two layouts:
//!
//! - the site's export: a JSON array of `{id, date: "M/D/YYYY", latitude: "50.1",
//!   longitude: "36.2", location, description, sources: [{id, path, description}],
//!   filters: [{key, value}]}`;
//! - the raw datasheet-server files the TimeMap frontend fetches: an events array
//!   (`export_events/deeprows`) whose `associations` and `sources` are lists of ids, a sources
//!   object keyed by id (`export_sources/deepids`, `{id, title, type, paths: [...], date, ...}`)
//!   and an associations array (`export_associations/deeprows`, `{id, title, desc, mode,
//!   filter_paths: [...]}`). Opening the events file finds the other two in its folder.
//!
//! The filters "Weapon System" and "Type of area affected" (as filter keys, or as the first
//! element of an association's `filter_paths`) become weapon and target.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use super::records::{Outcome, Refusal};
use super::time::{DayOrder, date_order_for, parse_loose_date};
use super::{Format, LoadReport, RecordRef, RejectReason};
use crate::model::{
    Event, EventTime, Location, LocationPrecision, Source, Target, TimePrecision, Weapon,
};

/// Whether a JSON array looks like a TimeMap export.
pub(super) fn is_timemap(items: &[Value]) -> bool {
    items.iter().take(5).any(|v| {
        v.get("date").is_some() && v.get("latitude").is_some() && v.get("longitude").is_some()
    })
}

/// TimeMap "Weapon System" values as weapons (with the original name kept as detail).
pub fn weapon_of(system: &str) -> Option<Weapon> {
    let s = system.to_ascii_lowercase();
    Some(match s.as_str() {
        "unknown" | "" => return None,
        _ if s.contains("cruise") => Weapon::CruiseMissile,
        _ if s.contains("ballistic") => Weapon::BallisticMissile,
        _ if s.contains("loitering") || s.contains("drone") => Weapon::Drone,
        _ if s.contains("artillery") || s.contains("mortar") || s.contains("rocket") => {
            Weapon::Artillery
        }
        _ => Weapon::Other,
    })
}

/// TimeMap "Type of area affected" values as targets.
pub fn target_of(area: &str) -> Option<Target> {
    let a = area.to_ascii_lowercase();
    Some(match a.as_str() {
        "undefined" | "" => return None,
        "residential" => Target::Residential,
        "healthcare" => Target::Healthcare,
        "industrial" => Target::IndustrialFuel,
        "military" => Target::Military,
        _ if a.contains("school") || a.contains("education") => Target::Education,
        _ if a.contains("transport") || a.contains("road") => Target::Transport,
        _ if a.contains("energy") => Target::Energy,
        _ => Target::Other,
    })
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Whether an events array is the raw datasheet-server layout, where `associations` and
/// `sources` hold ids into sibling files rather than embedded objects.
fn is_raw(items: &[Value]) -> bool {
    let ids = |v: &Value, k: &str| {
        v.get(k)
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().any(|x| x.is_string() || x.is_number()))
    };
    items
        .iter()
        .any(|v| v.get("associations").is_some_and(Value::is_array) || ids(v, "sources"))
}

/// Whether a JSON document is a raw TimeMap sources file (`export_sources/deepids`): an object
/// keyed by source id (or an array) of `{id, title, type, paths: [...], ...}`.
pub(super) fn is_sources_file(root: &Value) -> bool {
    let looks = |v: &Value| {
        v.get("paths").is_some_and(Value::is_array)
            && v.get("latitude").is_none()
            && v.get("type").is_none_or(Value::is_string)
    };
    let not_geojson = |v: &Value| {
        !matches!(
            v.get("type").and_then(Value::as_str),
            Some("Feature" | "FeatureCollection")
        )
    };
    match root {
        Value::Object(o) => not_geojson(root) && !o.is_empty() && o.values().take(5).all(looks),
        Value::Array(a) => !a.is_empty() && a.iter().take(5).all(looks),
        _ => false,
    }
}

/// Whether a JSON array is a raw TimeMap associations file (`export_associations/deeprows`):
/// `[{id, title, desc, mode: "FILTER" | "NARRATIVE" | "CATEGORY", filter_paths: [...]}]`.
pub(super) fn is_associations_file(items: &[Value]) -> bool {
    !items.is_empty()
        && items.iter().take(5).all(|v| {
            v.get("id").is_some()
                && v.get("latitude").is_none()
                && (v.get("filter_paths").is_some_and(Value::is_array)
                    || v.get("mode").is_some_and(Value::is_string))
        })
}

/// The message for a sources or associations file opened on its own.
pub(super) fn sibling_opened_alone(what: &str) -> String {
    format!(
        "this is a TimeMap {what} file, which holds no events: open the TimeMap events file \
         (export_events) in the same folder instead; its {what} are read from this file"
    )
}

/// A sibling file's records by id.
struct Sibling {
    name: String,
    by_id: HashMap<String, Value>,
}

/// Largest sibling file read.
const SIBLING_MAX_BYTES: u64 = 64 << 20;
/// Most sibling candidates parsed.
const SIBLING_MAX_FILES: usize = 8;

/// The sources and associations files beside an events file, found by content (files named
/// after what they hold are tried first).
fn find_siblings(file: &str, dir: Option<&Path>) -> (Option<Sibling>, Option<Sibling>) {
    let Some(dir) = dir else {
        return (None, None);
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let own = Path::new(file).file_name().map(|n| n.to_os_string());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (None, None);
    };
    let mut candidates: Vec<(u8, String, std::path::PathBuf)> = entries
        .flatten()
        .filter(|e| Some(e.file_name()) != own)
        .filter(|e| {
            e.metadata()
                .is_ok_and(|m| m.is_file() && m.len() <= SIBLING_MAX_BYTES)
        })
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let lower = name.to_ascii_lowercase();
            lower.ends_with(".json").then(|| {
                let rank = if lower.contains("source") || lower.contains("association") {
                    0
                } else {
                    1
                };
                (rank, name, e.path())
            })
        })
        .collect();
    candidates.sort();
    let (mut sources, mut associations) = (None, None);
    for (_, name, path) in candidates.into_iter().take(SIBLING_MAX_FILES) {
        if sources.is_some() && associations.is_some() {
            break;
        }
        let Some(root) = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        else {
            continue;
        };
        let records: Vec<(Option<&String>, &Value)> = match &root {
            Value::Object(o) => o.iter().map(|(k, v)| (Some(k), v)).collect(),
            Value::Array(a) => a.iter().map(|v| (None, v)).collect(),
            _ => continue,
        };
        let by_id = || {
            let mut m = HashMap::new();
            for (key, v) in &records {
                if let Some(k) = key {
                    m.entry((*k).clone()).or_insert_with(|| (*v).clone());
                }
                if let Some(id) = text(v.get("id")) {
                    m.entry(id).or_insert_with(|| (*v).clone());
                }
            }
            m
        };
        if sources.is_none() && is_sources_file(&root) {
            sources = Some(Sibling {
                name: name.clone(),
                by_id: by_id(),
            });
        } else if associations.is_none()
            && let Value::Array(a) = &root
            && is_associations_file(a)
        {
            associations = Some(Sibling {
                name,
                by_id: by_id(),
            });
        }
    }
    (sources, associations)
}

/// A source record, embedded (`{id, path, description}`) or from the sources file
/// (`{id, title, type, paths: [...], url, date, description}`).
fn source_of(s: &Value) -> Source {
    let http = |u: &String| u.starts_with("http://") || u.starts_with("https://");
    let url = text(s.get("path"))
        .or_else(|| {
            s.get("paths")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|p| text(Some(p)))
                .find(http)
        })
        .or_else(|| text(s.get("url")).filter(http));
    Source {
        outlet: url
            .as_deref()
            .and_then(|u| u.split('/').nth(2))
            .map(str::to_owned),
        title: text(s.get("title")).or_else(|| text(s.get("description"))),
        url,
        published: text(s.get("date")),
        ..Source::default()
    }
}

/// Apply one filter (key, value) to an event: weapon systems and areas affected are mapped,
/// every filter is kept as an extra property.
fn apply_filter(e: &mut Event, systems: &mut Vec<String>, key: String, value: String) {
    match key.as_str() {
        "Weapon System" => {
            if let Some(w) = weapon_of(&value)
                && !e.weapons.contains(&w)
            {
                e.weapons.push(w);
                systems.push(value.clone());
            }
        }
        "Type of area affected" if e.target.is_none() => {
            e.target = target_of(&value);
        }
        _ => {}
    }
    e.extra.push((key.into(), value));
}

/// An association's filter as (key, value): the first and last of its `filter_paths`, or its
/// mode ("narrative", "category") and title when it has no path.
fn association_filter(a: &Value, id: &str) -> (String, String) {
    let paths: Vec<String> = a
        .get("filter_paths")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| text(Some(p)))
        .collect();
    let title = text(a.get("title"))
        .or_else(|| text(a.get("desc")))
        .unwrap_or_else(|| id.to_owned());
    match paths.as_slice() {
        [first, .., last] => (first.clone(), last.clone()),
        [only] => ("filter".to_owned(), only.clone()),
        [] => (
            text(a.get("mode"))
                .map(|m| m.to_ascii_lowercase())
                .unwrap_or_else(|| "association".to_owned()),
            title,
        ),
    }
}

/// Ids listed under `key` (strings or numbers).
fn ids(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|x| !x.is_object())
        .filter_map(|x| text(Some(x)))
        .collect()
}

/// Up to five ids, for a note.
fn some_of(ids: &[String]) -> String {
    let mut s: Vec<&str> = ids.iter().take(5).map(String::as_str).collect();
    if ids.len() > 5 {
        s.push("…");
    }
    s.join(", ")
}

/// Import a TimeMap events array: the site's export (sources and filters embedded), or the raw
/// datasheet-server events file, whose association and source ids are resolved through the
/// sources and associations files found in `dir`.
pub(super) fn load(file: &str, items: &[Value], dir: Option<&Path>) -> LoadReport {
    let (order, order_note) = file_order(items);
    let mut notes = vec![order_note];
    let mut links = Links::default();
    if is_raw(items) {
        (links.sources, links.associations) = find_siblings(file, dir);
        notes.extend(sibling_notes(file, dir, items, &links));
    }
    let records = items
        .iter()
        .enumerate()
        .map(|(n, v)| (RecordRef::Record(n + 1), (n, v)));
    let outcome = Outcome::default().read(records, |(n, v)| {
        let mut e = record_to_event(n + 1, v, &order)?;
        links.apply(&mut e, v);
        Ok(e)
    });
    notes.extend(links.unknown_notes());
    outcome.report(file, Format::TimeMap, notes)
}

/// The file's day/month order, and the note saying which was used. TimeMap writes M/D/YYYY;
/// only a value with a second number above 12 could say otherwise.
fn file_order(items: &[Value]) -> (DayOrder, String) {
    let order = match date_order_for(items.iter().filter_map(|v| text(v.get("date")))) {
        DayOrder::DayFirst { evidence: Some(e) } => DayOrder::DayFirst { evidence: Some(e) },
        DayOrder::MonthFirst { evidence } => DayOrder::MonthFirst { evidence },
        DayOrder::DayFirst { evidence: None } => DayOrder::MonthFirst {
            evidence: String::new(),
        },
    };
    let note = match &order {
        DayOrder::DayFirst { evidence } => format!(
            "dates read as day/month/year: \"{}\" has a day above 12",
            evidence.clone().unwrap_or_default()
        ),
        DayOrder::MonthFirst { .. } => "dates read as month/day/year (TimeMap's format)".to_owned(),
    };
    (order, note)
}

/// Notes on the sibling files of a raw events file: what was read, or what is missing.
fn sibling_notes(file: &str, dir: Option<&Path>, items: &[Value], links: &Links) -> Vec<String> {
    let own = Path::new(file)
        .file_name()
        .map_or_else(|| file.to_owned(), |n| n.to_string_lossy().into_owned());
    let place = if dir.is_some() {
        format!("beside {own}")
    } else {
        format!("(opened without its folder, {own})")
    };
    let mut notes = Vec::new();
    for (what, endpoint, found) in [
        ("associations", "export_associations", &links.associations),
        ("sources", "export_sources", &links.sources),
    ] {
        let used = items.iter().any(|v| !ids(v, what).is_empty());
        match found {
            Some(s) => notes.push(format!(
                "raw TimeMap events: {} {what} read from {}",
                s.by_id.len(),
                s.name
            )),
            None if used => notes.push(format!(
                "raw TimeMap events: no {what} file ({endpoint}) found {place}; \
                 {what} ids kept as properties"
            )),
            None => {}
        }
    }
    notes
}

/// Record `n` (1-based) as an event with its place, date and description, or why not.
fn record_to_event(n: usize, v: &Value, order: &DayOrder) -> Result<Event, Refusal> {
    let reject = |reason, detail: String| (reason, detail);
    if !v.is_object() {
        return Err(reject(RejectReason::Malformed, "not a JSON object".into()));
    }
    // TimeMap itself accepts a decimal comma in coordinates.
    let coord = |k: &str| text(v.get(k)).and_then(|s| s.replace(',', ".").parse::<f64>().ok());
    let (lat, lon) = match (coord("latitude"), coord("longitude")) {
        (Some(a), Some(b)) if (-90.0..=90.0).contains(&a) && (-180.0..=180.0).contains(&b) => {
            (a, b)
        }
        (None, None) if text(v.get("latitude")).is_none() => {
            return Err(reject(
                RejectReason::MissingLocation,
                "no latitude/longitude".into(),
            ));
        }
        _ => {
            return Err(reject(
                RejectReason::InvalidCoordinates,
                format!(
                    "{}, {}",
                    super::fields::quote_input(&format!("{:?}", v.get("latitude")), 80),
                    super::fields::quote_input(&format!("{:?}", v.get("longitude")), 80)
                ),
            ));
        }
    };
    let Some(date_s) = text(v.get("date")) else {
        return Err(reject(RejectReason::MissingDate, "no date".into()));
    };
    let Some(day) = parse_loose_date(&date_s, order) else {
        return Err(reject(
            RejectReason::InvalidDate,
            format!("date {}", super::fields::q(&date_s)),
        ));
    };
    let time = EventTime::at(day, TimePrecision::Day);
    if let Some(why) = super::time::implausible(&time) {
        return Err(reject(
            RejectReason::ImplausibleDate,
            format!("date {}: {why}", super::fields::q(&date_s)),
        ));
    }
    let location = Location {
        lat,
        lon,
        // Bellingcat slightly obscures public coordinates: a town-level point.
        precision: LocationPrecision::Settlement,
        place: text(v.get("location")),
        admin1: None,
        country: None,
    };
    let id = text(v.get("id")).unwrap_or_else(|| format!("record-{n}"));
    let mut e = Event::new(id, time, location);
    e.description = text(v.get("description"));
    Ok(e)
}

/// The sibling files a raw export's ids resolve through, and the ids they did not have.
#[derive(Default)]
struct Links {
    sources: Option<Sibling>,
    associations: Option<Sibling>,
    unknown_associations: Vec<String>,
    unknown_sources: Vec<String>,
}

impl Links {
    /// Filters, associations, category and sources of record `v`, onto its event.
    fn apply(&mut self, e: &mut Event, v: &Value) {
        let mut systems = Vec::new();
        for f in v
            .get("filters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let (Some(key), Some(value)) = (text(f.get("key")), text(f.get("value"))) {
                apply_filter(e, &mut systems, key, value);
            }
        }
        for a in ids(v, "associations") {
            match self.associations.as_ref().map(|f| f.by_id.get(&a)) {
                Some(Some(found)) => {
                    let (key, value) = association_filter(found, &a);
                    apply_filter(e, &mut systems, key, value);
                }
                Some(None) => {
                    if !self.unknown_associations.contains(&a) {
                        self.unknown_associations.push(a.clone());
                    }
                    e.extra.push(("association".into(), a));
                }
                None => e.extra.push(("association".into(), a)),
            }
        }
        if let Some(c) = text(v.get("category")) {
            e.extra.push(("category".into(), c));
        }
        if !systems.is_empty() {
            e.weapon_detail = Some(systems.join(", "));
        }
        for s in v
            .get("sources")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if s.is_object() {
                e.sources.push(source_of(s));
                continue;
            }
            let Some(sid) = text(Some(s)) else { continue };
            match self.sources.as_ref().map(|f| f.by_id.get(&sid)) {
                Some(Some(found)) => e.sources.push(source_of(found)),
                Some(None) => {
                    if !self.unknown_sources.contains(&sid) {
                        self.unknown_sources.push(sid.clone());
                    }
                    e.extra.push(("source".into(), sid));
                }
                None => e.extra.push(("source".into(), sid)),
            }
        }
    }

    /// Notes on ids the sibling files did not have.
    fn unknown_notes(&self) -> Vec<String> {
        [
            (
                "association",
                &self.unknown_associations,
                &self.associations,
            ),
            ("source", &self.unknown_sources, &self.sources),
        ]
        .into_iter()
        .filter_map(|(what, unknown, found)| {
            let f = found.as_ref().filter(|_| !unknown.is_empty())?;
            Some(format!(
                "{} {what} id(s) not found in {} (kept as properties): {}",
                unknown.len(),
                f.name,
                some_of(unknown)
            ))
        })
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::load_bytes;
    use super::*;

    const EXPORT: &str = r#"[
      {"id":"CIV1","date":"02/24/2022","latitude":"49.85","longitude":"36.66","location":"Chuhuiv",
       "description":"Apartment block hit.","sources":[{"id":"s1","path":"https://twitter.com/a/status/1","description":"Block hit"}],
       "filters":[{"key":"Weapon System","value":"Cruise missile"},{"key":"Type of area affected","value":"Residential"}]},
      {"id":"CIV2","date":"6/6/2022","latitude":"48.5","longitude":"35.0","location":"Dnipro","description":"x","sources":[],
       "filters":[{"key":"Weapon System","value":"Unknown"},{"key":"Type of area affected","value":"School or childcare"}]},
      {"id":"CIV3","date":"","latitude":"48.5","longitude":"35.0","location":"?","description":"","sources":[],"filters":[]},
      {"id":"CIV4","date":"3/1/2022","latitude":"north","longitude":"35.0","location":"?","description":"","sources":[],"filters":[]}
    ]"#;

    #[test]
    fn reads_the_site_export() {
        let r = load_bytes("export.json", EXPORT.as_bytes()).unwrap();
        assert_eq!(r.format, Format::TimeMap);
        assert_eq!(r.records, 4);
        assert_eq!(r.events.len(), 2);
        let reasons: Vec<_> = r.rejected.iter().map(|x| x.reason).collect();
        assert_eq!(
            reasons,
            [RejectReason::MissingDate, RejectReason::InvalidCoordinates]
        );
        let a = &r.events[0];
        assert_eq!(a.time.display(), "2022-02-24");
        assert_eq!(a.weapons, vec![Weapon::CruiseMissile]);
        assert_eq!(a.target, Some(Target::Residential));
        assert_eq!(a.sources[0].outlet.as_deref(), Some("twitter.com"));
        let b = &r.events[1];
        assert_eq!(b.time.display(), "2022-06-06", "unpadded M/D/YYYY");
        assert!(b.weapons.is_empty(), "'Unknown' is no weapon");
        assert_eq!(b.target, Some(Target::Education));
    }

    fn raw_fixture(name: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/timemap_raw")
            .join(name)
    }

    #[test]
    fn reads_raw_events_with_their_sources_and_associations() {
        let r = super::super::load_path(&raw_fixture("events.json")).unwrap();
        assert_eq!(r.format, Format::TimeMap);
        assert_eq!(r.records, 4);
        assert_eq!(r.records, r.loaded() + r.rejected.len());
        assert_eq!(r.events.len(), 3);
        assert_eq!(r.rejected.len(), 1);
        assert_eq!(r.rejected[0].reason, RejectReason::MissingLocation);
        assert_eq!(r.rejected[0].record, RecordRef::Record(3));

        let a = &r.events[0];
        assert_eq!(a.id, "EV-001");
        assert_eq!(a.time.display(), "2022-02-24", "zero-padded MM/DD/YYYY");
        assert_eq!((a.location.lat, a.location.lon), (49.85, 36.66));
        assert_eq!(a.weapons, vec![Weapon::CruiseMissile]);
        assert_eq!(a.weapon_detail.as_deref(), Some("Cruise missile"));
        assert_eq!(a.target, Some(Target::Residential));
        assert!(
            a.extra
                .contains(&("narrative".into(), "Night strikes".to_owned())),
            "other associations kept: {:?}",
            a.extra
        );
        assert_eq!(a.sources.len(), 2);
        assert_eq!(
            a.sources[0].url.as_deref(),
            Some("https://example.org/posts/1"),
            "first http path, not the local media path"
        );
        assert_eq!(a.sources[0].outlet.as_deref(), Some("example.org"));
        assert_eq!(
            a.sources[0].title.as_deref(),
            Some("Video of the block after the strike")
        );
        assert_eq!(a.sources[0].published.as_deref(), Some("2/24/2022"));
        assert_eq!(
            a.sources[1].url.as_deref(),
            Some("https://example.net/photo/2")
        );
        assert_eq!(
            a.sources[1].title.as_deref(),
            Some("Synthetic source two, described only.")
        );

        let b = &r.events[1];
        assert_eq!(b.time.display(), "2022-06-06", "unpadded M/D/YYYY");
        assert_eq!(b.location.lat, 48.5, "decimal comma");
        assert_eq!(b.weapons, vec![Weapon::Artillery]);
        assert_eq!(b.target, Some(Target::Education));
        assert!(
            b.extra
                .contains(&("association".into(), "a-gone".to_owned()))
        );
        assert_eq!(b.sources.len(), 1);
        assert_eq!(b.sources[0].url, None, "a source without links");
        assert_eq!(
            b.sources[0].title.as_deref(),
            Some("Local report without a link")
        );

        let d = &r.events[2];
        assert!(d.weapons.is_empty(), "'Unknown' is no weapon");
        assert!(d.sources.is_empty());
        assert!(
            d.extra
                .contains(&("source".into(), "src-missing".to_owned()))
        );

        let notes = r.notes.join("\n");
        assert!(
            notes.contains("6 associations read from associations.json"),
            "{notes}"
        );
        assert!(
            notes.contains("3 sources read from sources.json"),
            "{notes}"
        );
        assert!(notes.contains("a-gone"), "{notes}");
        assert!(notes.contains("src-missing"), "{notes}");
    }

    #[test]
    fn raw_events_without_siblings_still_load_and_say_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("events.json");
        std::fs::copy(raw_fixture("events.json"), &path).unwrap();
        let r = super::super::load_path(&path).unwrap();
        assert_eq!(r.records, 4);
        assert_eq!(r.events.len(), 3);
        assert_eq!(r.records, r.loaded() + r.rejected.len());
        let a = &r.events[0];
        assert!(a.weapons.is_empty());
        assert!(a.sources.is_empty());
        assert!(
            a.extra
                .contains(&("association".into(), "a-cruise".to_owned()))
        );
        assert!(a.extra.contains(&("source".into(), "src-1".to_owned())));
        let notes = r.notes.join("\n");
        assert!(
            notes.contains("no associations file (export_associations) found beside events.json"),
            "{notes}"
        );
        assert!(
            notes.contains("no sources file (export_sources) found beside events.json"),
            "{notes}"
        );
    }

    #[test]
    fn raw_events_from_bytes_without_a_folder_note_the_missing_siblings() {
        let bytes = std::fs::read(raw_fixture("events.json")).unwrap();
        let r = load_bytes("events.json", &bytes).unwrap();
        assert_eq!(r.events.len(), 3);
        assert!(
            r.notes
                .iter()
                .any(|n| n.contains("opened without its folder"))
        );
    }

    #[test]
    fn sources_or_associations_alone_say_to_open_the_events_file() {
        for (name, what) in [
            ("sources.json", "sources"),
            ("associations.json", "associations"),
        ] {
            let err = super::super::load_path(&raw_fixture(name)).unwrap_err();
            let super::super::ImportError::Unsupported { message, .. } = &err else {
                panic!("{name}: expected Unsupported, got {err:?}");
            };
            assert!(
                message.contains(&format!("TimeMap {what} file")),
                "{message}"
            );
            assert!(
                message.contains("open the TimeMap events file"),
                "{message}"
            );
        }
    }
}
