//! Bellingcat / Forensic Architecture TimeMap site exports: a JSON array of
//! `{id, date: "M/D/YYYY", latitude: "50.1", longitude: "36.2", location, description,
//! sources: [{id, path, description}], filters: [{key, value}]}`. The filters "Weapon System"
//! and "Type of area affected" become weapon and target.

use serde_json::Value;

use super::time::{DayOrder, date_order_for, parse_loose_date};
use super::{Format, LoadReport, RejectReason, Rejection};
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

/// Import a TimeMap export array.
pub(super) fn load(file: &str, items: &[Value]) -> LoadReport {
    // TimeMap writes M/D/YYYY; only a value with a second number above 12 could say otherwise.
    let order = match date_order_for(items.iter().filter_map(|v| text(v.get("date")))) {
        DayOrder::DayFirst { evidence: Some(e) } => DayOrder::DayFirst { evidence: Some(e) },
        DayOrder::MonthFirst { evidence } => DayOrder::MonthFirst { evidence },
        DayOrder::DayFirst { evidence: None } => DayOrder::MonthFirst {
            evidence: String::new(),
        },
    };
    let notes = vec![match &order {
        DayOrder::DayFirst { evidence } => format!(
            "dates read as day/month/year: \"{}\" has a day above 12",
            evidence.clone().unwrap_or_default()
        ),
        DayOrder::MonthFirst { .. } => "dates read as month/day/year (TimeMap's format)".to_owned(),
    }];
    let mut events = Vec::with_capacity(items.len());
    let mut rejected = Vec::new();
    for (n, v) in items.iter().enumerate() {
        let n = n + 1;
        let reject = |reason, detail: String| Rejection {
            record: format!("record {n}"),
            reason,
            detail,
        };
        if !v.is_object() {
            rejected.push(reject(RejectReason::Malformed, "not a JSON object".into()));
            continue;
        }
        let coord = |k: &str| text(v.get(k)).and_then(|s| s.parse::<f64>().ok());
        let (lat, lon) = match (coord("latitude"), coord("longitude")) {
            (Some(a), Some(b)) if (-90.0..=90.0).contains(&a) && (-180.0..=180.0).contains(&b) => {
                (a, b)
            }
            (None, None) if text(v.get("latitude")).is_none() => {
                rejected.push(reject(
                    RejectReason::MissingLocation,
                    "no latitude/longitude".into(),
                ));
                continue;
            }
            _ => {
                rejected.push(reject(
                    RejectReason::InvalidCoordinates,
                    format!("{:?}, {:?}", v.get("latitude"), v.get("longitude")),
                ));
                continue;
            }
        };
        let Some(date_s) = text(v.get("date")) else {
            rejected.push(reject(RejectReason::MissingDate, "no date".into()));
            continue;
        };
        let Some(day) = parse_loose_date(&date_s, &order) else {
            rejected.push(reject(
                RejectReason::InvalidDate,
                format!("date \"{date_s}\""),
            ));
            continue;
        };
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
        let mut e = Event::new(id, EventTime::at(day, TimePrecision::Day), location);
        e.description = text(v.get("description"));
        let mut systems = Vec::new();
        for f in v
            .get("filters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let (Some(key), Some(value)) = (text(f.get("key")), text(f.get("value"))) else {
                continue;
            };
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
            e.extra.push((key, value));
        }
        if !systems.is_empty() {
            e.weapon_detail = Some(systems.join(", "));
        }
        e.sources = v
            .get("sources")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|s| {
                let url = text(s.get("path"));
                Source {
                    outlet: url
                        .as_deref()
                        .and_then(|u| u.split('/').nth(2))
                        .map(str::to_owned),
                    title: text(s.get("description")),
                    url,
                    ..Source::default()
                }
            })
            .collect();
        events.push(e);
    }
    LoadReport {
        bulk: None,
        time_choice: None,
        csv_columns: None,
        file: file.to_owned(),
        format: Format::TimeMap,
        records: items.len(),
        events,
        rejected,
        notes,
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
}
