//! Events written out as loaded, in one clean schema: strikemap GeoJSON (the bundled data's
//! schema, which the importer reads back) or one CSV row per event with the same fields.
//! Whatever a file came as (ACLED, UCDP, GDELT, TimeMap, a workbook, KML), its events come
//! out with their time range and precision, location and precision, counts ("not reported"
//! stays empty, never 0), sources, the file they came from and every kept property.
//!
//! No egui: the `export` command and File → Export… both write through here.

use std::io::Write;

use serde_json::{Map, Value, json};

use crate::model::{DAY, Event, EventTime, TimePrecision};

/// The output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// A GeoJSON FeatureCollection in the strikemap schema.
    Geojson,
    /// CSV, one row per event, the same fields as columns.
    Csv,
}

impl ExportFormat {
    /// The format a file name asks for (`.csv`/`.tsv` → CSV, anything else GeoJSON).
    pub fn for_path(path: &std::path::Path) -> Self {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
        {
            Some(e) if e == "csv" || e == "tsv" || e == "txt" => Self::Csv,
            _ => Self::Geojson,
        }
    }
}

/// One event with the file it came from.
pub struct Exported<'a> {
    /// The event.
    pub event: &'a Event,
    /// The file it was read from (as the user named it).
    pub file: &'a str,
}

/// The fixed columns of the CSV form, in order (extra properties follow).
pub const CSV_COLUMNS: [&str; 27] = [
    "id",
    "title",
    "time_start",
    "time_end",
    "time_precision",
    "time_note",
    "stated_date",
    "latitude",
    "longitude",
    "location_precision",
    "location_note",
    "place",
    "admin1",
    "country",
    "weapon",
    "weapon_detail",
    "target",
    "killed",
    "injured",
    "killed_low",
    "killed_high",
    "children_killed",
    "children_injured",
    "launched",
    "intercepted",
    "description",
    "sources",
];

/// Extra column for where the event came from.
const SOURCE_FILE: &str = "source_file";

/// An ISO 8601 UTC date-time.
fn iso(t: i64) -> String {
    jiff::Timestamp::from_second(t)
        .map(|ts| ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|_| t.to_string())
}

/// A time as `time_start`, `time_end` and `time_precision`, written so the importer reads
/// back the same interval: days as dates (an end date inclusive), other times as UTC
/// date-times (an end date-time exact).
pub fn time_fields(t: &EventTime) -> (String, Option<String>, &'static str) {
    let whole_days = t.start.rem_euclid(DAY) == 0 && t.end.rem_euclid(DAY) == 0;
    let date = crate::model::fmt_date;
    match t.precision {
        TimePrecision::Day if whole_days && t.span() == DAY => (date(t.start), None, "day"),
        TimePrecision::Minute => (iso(t.start), None, "minute"),
        TimePrecision::Hour => (iso(t.start), None, "hour"),
        _ if whole_days => (date(t.start), Some(date(t.end - DAY)), "range"),
        _ => (iso(t.start), Some(iso(t.end)), "range"),
    }
}

/// A serde key (snake_case) of a model enum.
fn key<T: serde::Serialize>(v: &T) -> Option<String> {
    match serde_json::to_value(v).ok()? {
        Value::String(s) => Some(s),
        _ => None,
    }
}

/// Our schema's properties of an event (without its extra properties).
fn properties(e: &Event, file: &str) -> Map<String, Value> {
    let (start, end, precision) = time_fields(&e.time);
    let mut p = Map::new();
    let mut put = |k: &str, v: Value| {
        if !v.is_null() {
            p.insert(k.to_owned(), v);
        }
    };
    put("id", json!(e.id));
    put("title", json!(e.title));
    put("time_start", json!(start));
    put("time_end", json!(end));
    put("time_precision", json!(precision));
    put("time_note", json!(e.time_note));
    put(
        "stated_date",
        json!(e.stated_date.map(crate::model::fmt_date)),
    );
    put("location_precision", json!(key(&e.location.precision)));
    put("location_note", json!(e.location_note));
    put("place", json!(e.location.place));
    put("admin1", json!(e.location.admin1));
    put("country", json!(e.location.country));
    let weapons: Vec<String> = e.weapons.iter().filter_map(key).collect();
    if !weapons.is_empty() {
        put("weapon", json!(weapons));
    }
    put("weapon_detail", json!(e.weapon_detail));
    put("target", json!(e.target.as_ref().and_then(key)));
    put("killed", json!(e.killed));
    put("injured", json!(e.injured));
    put("killed_low", json!(e.killed_range.map(|r| r.0)));
    put("killed_high", json!(e.killed_range.map(|r| r.1)));
    put("children_killed", json!(e.children_killed));
    put("children_injured", json!(e.children_injured));
    put("launched", json!(e.launched));
    put("intercepted", json!(e.intercepted));
    put("description", json!(e.description));
    if !e.sources.is_empty() {
        let sources: Vec<Value> = e
            .sources
            .iter()
            .map(|s| {
                let mut o = Map::new();
                for (k, v) in [
                    ("outlet", &s.outlet),
                    ("title", &s.title),
                    ("url", &s.url),
                    ("published", &s.published),
                    ("quoted", &s.quoted),
                ] {
                    if let Some(v) = v {
                        o.insert(k.to_owned(), json!(v));
                    }
                }
                Value::Object(o)
            })
            .collect();
        put("sources", Value::Array(sources));
    }
    put(SOURCE_FILE, json!(file));
    p
}

/// An extra property's name in the output: as it was, unless it is one of our schema's
/// names (a file's own "time_start" or "killed" would be read back as ours), then prefixed.
fn extra_name(k: &str) -> String {
    let lower = k.to_ascii_lowercase();
    let ours = CSV_COLUMNS.contains(&lower.as_str())
        || lower == SOURCE_FILE
        || crate::import::is_schema_property(&lower);
    if ours {
        format!("original {k}")
    } else {
        k.to_owned()
    }
}

/// Write events as a strikemap GeoJSON FeatureCollection, one feature per line. Returns how
/// many were written.
pub fn write_geojson<'a>(
    events: impl IntoIterator<Item = Exported<'a>>,
    out: &mut dyn Write,
) -> std::io::Result<usize> {
    out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[\n")?;
    let mut n = 0;
    for x in events {
        let e = x.event;
        let mut props = properties(e, x.file);
        for (k, v) in &e.extra {
            props.entry(extra_name(k)).or_insert_with(|| json!(v));
        }
        let f = json!({
            "type": "Feature",
            "id": e.id,
            "geometry": {"type": "Point", "coordinates": [e.location.lon, e.location.lat]},
            "properties": props,
        });
        if n > 0 {
            out.write_all(b",\n")?;
        }
        serde_json::to_writer(&mut *out, &f)?;
        n += 1;
    }
    out.write_all(b"\n]}\n")?;
    Ok(n)
}

/// Write events as CSV: the schema's columns, `source_file`, then every extra property any
/// event has (in first-seen order). Returns how many were written.
pub fn write_csv(events: &[Exported<'_>], out: &mut dyn Write) -> std::io::Result<usize> {
    let mut extras: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for x in events {
        for (k, _) in &x.event.extra {
            let name = extra_name(k);
            if seen.insert(name.clone()) {
                extras.push(name);
            }
        }
    }
    let mut w = csv::Writer::from_writer(out);
    let header = CSV_COLUMNS
        .iter()
        .map(|s| (*s).to_owned())
        .chain([SOURCE_FILE.to_owned()])
        .chain(extras.iter().cloned());
    w.write_record(header).map_err(std::io::Error::other)?;
    for x in events {
        let e = x.event;
        let props = properties(e, x.file);
        let text = |k: &str| match props.get(k) {
            None => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(Value::Array(a)) if k == "weapon" => a
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(";"),
            Some(Value::Array(a)) => a
                .iter()
                .map(|s| {
                    ["url", "outlet", "title"]
                        .iter()
                        .find_map(|f| s.get(*f).and_then(Value::as_str))
                        .unwrap_or_default()
                        .to_owned()
                })
                .collect::<Vec<_>>()
                .join(" | "),
            Some(v) => v.to_string(),
        };
        let mut row: Vec<String> = CSV_COLUMNS
            .iter()
            .map(|k| match *k {
                "latitude" => e.location.lat.to_string(),
                "longitude" => e.location.lon.to_string(),
                k => text(k),
            })
            .collect();
        row.push(x.file.to_owned());
        for name in &extras {
            let v = e
                .extra
                .iter()
                .find(|(k, _)| extra_name(k) == *name)
                .map_or("", |(_, v)| v.as_str());
            row.push(v.to_owned());
        }
        w.write_record(&row).map_err(std::io::Error::other)?;
    }
    w.flush()?;
    Ok(events.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::load_bytes;

    fn roundtrip(format: ExportFormat, name: &str) {
        let r = crate::import::load_bundled().unwrap();
        let xs: Vec<Exported<'_>> = r
            .events
            .iter()
            .map(|event| Exported {
                event,
                file: "bundled",
            })
            .collect();
        let mut buf = Vec::new();
        let n = match format {
            ExportFormat::Geojson => write_geojson(xs, &mut buf).unwrap(),
            ExportFormat::Csv => write_csv(&xs, &mut buf).unwrap(),
        };
        assert_eq!(n, r.events.len());
        let back = load_bytes(name, &buf).unwrap();
        assert_eq!(back.rejected, vec![], "{name}");
        assert_eq!(back.events.len(), r.events.len());
        for (a, b) in r.events.iter().zip(&back.events) {
            assert_eq!(a.time, b.time, "{}", a.id);
            assert_eq!(a.id, b.id);
            assert_eq!(a.killed, b.killed, "{}", a.id);
            assert_eq!(a.injured, b.injured, "{}", a.id);
            assert_eq!(a.location.precision, b.location.precision, "{}", a.id);
            assert!((a.location.lat - b.location.lat).abs() < 1e-9);
            assert_eq!(a.weapons, b.weapons, "{}", a.id);
            assert_eq!(a.target, b.target, "{}", a.id);
        }
    }

    /// The bundled data exported and read back is the same events, as GeoJSON and as CSV.
    #[test]
    fn exports_read_back_as_the_same_events() {
        roundtrip(ExportFormat::Geojson, "x.geojson");
        roundtrip(ExportFormat::Csv, "x.csv");
    }

    #[test]
    fn times_are_written_so_they_read_back() {
        let day = EventTime::at(1_752_105_600, TimePrecision::Day);
        assert_eq!(time_fields(&day), ("2025-07-10".into(), None, "day"));
        let range = EventTime::range(1_752_105_600, 1_752_105_600 + 3 * DAY);
        assert_eq!(
            time_fields(&range),
            ("2025-07-10".into(), Some("2025-07-12".into()), "range")
        );
        let night = EventTime::range(1_752_105_600 - 3 * 3600, 1_752_105_600 + 6 * 3600);
        assert_eq!(
            time_fields(&night).1.as_deref(),
            Some("2025-07-10T06:00:00Z")
        );
    }
}
