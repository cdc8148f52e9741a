//! The Kaggle "Massive Missile Attacks on Ukraine" daily CSV (Petro Ivaniuk): attack-level
//! records with launched / destroyed counts per weapon model and a target that is a region
//! name. Targets are placed on their oblast(s) at oblast precision, on a named town, or at
//! country precision for "Ukraine", macro-regions ("south") and anything unplaceable. The models
//! file (`*missiles_and_uavs*.csv` beside it) is joined when present.

use std::collections::HashMap;
use std::path::Path;

use super::fields;
use super::records::Refusal;
use super::table::{Record, Table};
use super::time::parse_time_str;
use super::{Format, LoadReport, RejectReason};
use crate::geo::WorldGazetteer;
use crate::model::{
    DAY, Event, EventTime, Location, LocationPrecision, Seconds, Source, TimePrecision, Weapon,
};

/// Centre of Ukraine, for country-level attack records.
const UKRAINE: (f64, f64) = (48.9974, 31.3857);

/// Whether a header (lower-cased) is the attacks file.
pub(super) fn is_attacks(h: &[String]) -> bool {
    let has = |n: &str| h.iter().any(|x| x == n);
    has("time_start") && has("model") && has("launched") && has("destroyed") && has("target")
}

/// Whether a header is the weapon models table that goes with it.
pub(super) fn is_models(h: &[String]) -> bool {
    let has = |n: &str| h.iter().any(|x| x == n);
    has("model") && has("category") && has("national_origin") && !has("time_start")
}

/// Model → (category, type) from the models file, if one lies beside the attacks file.
fn models_beside(dir: Option<&Path>) -> (HashMap<String, (String, String)>, Option<String>) {
    let Some(dir) = dir else {
        return (HashMap::new(), None);
    };
    let Some(path) = std::fs::read_dir(dir).ok().and_then(|d| {
        d.flatten().map(|e| e.path()).find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.contains("missiles_and_uavs") && n.ends_with(".csv"))
        })
    }) else {
        return (HashMap::new(), None);
    };
    let mut out = HashMap::new();
    if let Ok(mut r) = csv::Reader::from_path(&path) {
        let headers: Vec<String> = r
            .headers()
            .map(|h| h.iter().map(str::to_ascii_lowercase).collect())
            .unwrap_or_default();
        let idx = |n: &str| headers.iter().position(|h| h == n);
        let (m, c, t) = (idx("model"), idx("category"), idx("type"));
        for rec in r.records().flatten() {
            let get = |i: Option<usize>| i.and_then(|i| rec.get(i)).unwrap_or("").trim().to_owned();
            out.insert(get(m), (get(c), get(t)));
        }
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    (out, name)
}

/// Weapon of a model, from the models table where known, else from the name.
fn weapon_of(model: &str, models: &HashMap<String, (String, String)>) -> Weapon {
    if let Some((cat, typ)) = models.get(model) {
        let both = format!("{cat} {typ}").to_ascii_lowercase();
        if both.contains("uav") || both.contains("drone") {
            return Weapon::Drone;
        }
        if both.contains("ballistic") {
            return Weapon::BallisticMissile;
        }
        if both.contains("cruise") {
            return Weapon::CruiseMissile;
        }
        if both.contains("bomb") {
            return Weapon::GuidedBomb;
        }
    }
    let w = Weapon::parse(model);
    if w != Weapon::Other {
        return w;
    }
    let l = model.to_ascii_lowercase();
    if l.contains("iskander-m") || l.contains("kn-23") || l.contains("kinzhal") {
        Weapon::BallisticMissile
    } else if l.contains("kh-")
        || l.contains("x-")
        || l.contains("kalibr")
        || l.contains("iskander-k")
    {
        Weapon::CruiseMissile
    } else {
        Weapon::Other
    }
}

/// "2026-02-28 18:00", "2023-05-16 3:30", "2022-09-28", with stray spaces. Times are Kyiv
/// local time; converted to UTC with the Europe/Kyiv zone when the system has it, else UTC+2.
fn parse_local(s: &str) -> Option<(Seconds, bool)> {
    let s = s.trim();
    let (date, time) = match s.split_once(' ') {
        Some((d, t)) => (d, Some(t.trim())),
        None => (s, None),
    };
    let day = parse_time_str(date)?.at;
    let Some(t) = time.filter(|t| !t.is_empty()) else {
        return Some((day, false));
    };
    let (h, m) = t.split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    if !(0..24).contains(&h) || !(0..60).contains(&m) {
        return None;
    }
    let local = day + h * 3600 + m * 60;
    let offset = jiff::tz::TimeZone::get("Europe/Kyiv")
        .ok()
        .and_then(|tz| {
            jiff::Timestamp::from_second(local)
                .ok()
                .map(|ts| tz.to_offset(ts))
        })
        .map_or(7200, |o| i64::from(o.seconds()));
    Some((local - offset, true))
}

fn count(s: Option<&str>) -> Option<u32> {
    fields::count(s?)
}

/// Where a target string points: (lat, lon, precision, note).
/// A point in the part of Ukraine a macro-region names ("south": between Mykolaiv and
/// Kherson oblasts), for drawing it there; `None` for "Ukraine" and unknown words.
fn macro_region_point(name: &str) -> Option<(f64, f64)> {
    Some(match name.trim().to_ascii_lowercase().as_str() {
        "south" => (46.9, 33.0),
        "north" => (51.3, 31.8),
        "east" => (48.9, 37.6),
        "west" => (49.6, 25.0),
        "center" | "centre" => (48.9, 31.3),
        "south-east" => (47.3, 36.0),
        "south-west" => (46.8, 30.2),
        "north-east" => (50.8, 34.8),
        "north-west" => (51.0, 26.5),
        "front line" => (48.2, 37.2),
        _ => return None,
    })
}

fn place_target(
    target: &str,
    gaz: Option<&WorldGazetteer>,
) -> (f64, f64, LocationPrecision, Option<String>) {
    let t = target.trim();
    let is_macro = |p: &str| {
        matches!(
            p.trim().to_ascii_lowercase().as_str(),
            "" | "ukraine"
                | "south"
                | "north"
                | "east"
                | "west"
                | "center"
                | "centre"
                | "south-east"
                | "south-west"
                | "north-east"
                | "north-west"
                | "front line"
        )
    };
    if t.split(" and ").all(is_macro) {
        let parts: Vec<&str> = t.split(" and ").collect();
        // A single macro-region sits in that part of the country (still at country
        // precision: it is far larger than an oblast); several, or "Ukraine", at its centre.
        if let [one] = parts.as_slice()
            && let Some((lat, lon)) = macro_region_point(one)
        {
            let note = format!(
                "target \"{t}\" is a macro-region of Ukraine: shown in that part of the country, \
                 not at a known place"
            );
            return (lat, lon, LocationPrecision::Country, Some(note));
        }
        let note = if t.is_empty() {
            "no target given; the dataset covers attacks on Ukraine".to_owned()
        } else {
            format!("target \"{t}\" is Ukraine-wide or several macro-regions")
        };
        return (UKRAINE.0, UKRAINE.1, LocationPrecision::Country, Some(note));
    }
    let Some(g) = gaz else {
        return (
            UKRAINE.0,
            UKRAINE.1,
            LocationPrecision::Country,
            Some("no gazetteer available".into()),
        );
    };
    // "Odesa oblast and Mykolaiv oblast", "Dnipropetrovsk oblast, Dnipro Raion", "Kryvyi Rih".
    let mut points = Vec::new();
    let mut unplaced = Vec::new();
    for part in t.split(" and ").filter(|p| !is_macro(p)) {
        // "Dnipropetrovsk oblast, Dnipro Raion" → the oblast; "Kyiv oblast (south)" → Kyiv oblast.
        let head = part.split([',', '(']).next().unwrap_or(part).trim();
        // The world gazetteer, told the country: namesakes abroad (a Pokrovsk in Russia)
        // lose to Ukraine's, and "X oblast" is the region.
        let found = g
            .geocode(Some(head), None, Some("Ukraine"))
            .ok()
            .filter(|p| p.precision != LocationPrecision::Country)
            .map(|p| (p.lat, p.lon, p.precision));
        match found {
            Some(p) => points.push(p),
            None => unplaced.push(head.to_owned()),
        }
    }
    if points.is_empty() {
        return (
            UKRAINE.0,
            UKRAINE.1,
            LocationPrecision::Country,
            Some(format!(
                "could not place \"{t}\" more precisely than Ukraine"
            )),
        );
    }
    let n = points.len() as f64;
    let lat = points.iter().map(|p| p.0).sum::<f64>() / n;
    let lon = points.iter().map(|p| p.1).sum::<f64>() / n;
    let precision = if points.len() == 1 {
        points[0].2
    } else {
        LocationPrecision::Region
    };
    let mut note =
        (points.len() > 1).then(|| format!("{} targets; the point is between them", points.len()));
    if !unplaced.is_empty() {
        note = Some(format!("could not place: {}", unplaced.join(", ")));
    }
    (lat, lon, precision, note)
}

/// How the rows of the attacks file are read.
struct Reader<'h> {
    headers: &'h [String],
    consumed: fields::Consumed,
    gaz: Option<&'static WorldGazetteer>,
    models: HashMap<String, (String, String)>,
}

/// Import the attacks file.
pub(super) fn load(file: &str, dir: Option<&Path>, table: &Table) -> LoadReport {
    let headers = &table.lower;
    let c = |n: &str| headers.iter().position(|h| h == n);
    let (models, models_file) = models_beside(dir);
    let mut notes = vec![match &models_file {
        Some(f) => format!("weapon models joined from {f}"),
        None => "no missiles_and_uavs models file beside it: weapons inferred from model names"
            .to_owned(),
    }];
    notes.push("times are Kyiv local time, converted to UTC".to_owned());
    let reader = Reader {
        headers,
        consumed: fields::Consumed::new(
            headers,
            [
                "time_start",
                "time_end",
                "model",
                "target",
                "launched",
                "destroyed",
                "source",
            ]
            .iter()
            .map(|n| c(n)),
        ),
        gaz: WorldGazetteer::get().ok(),
        models,
    };
    table
        .events(|rec| reader.event(rec))
        .report(file, Format::MissileAttacks, notes)
}

impl Reader<'_> {
    fn get<'r>(&self, rec: Record<'r>, name: &str) -> Option<&'r str> {
        rec.get(self.headers.iter().position(|h| h == name))
    }

    /// One attack as an event placed on its target, or why not.
    fn event(&self, rec: Record<'_>) -> Result<Event, Refusal> {
        let get = |n: &str| self.get(rec, n);
        let time = self.time(rec)?;
        let target = get("target").unwrap_or_default();
        let (lat, lon, precision, place_note) = place_target(target, self.gaz);
        let location = Location {
            lat,
            lon,
            precision,
            place: Some(if target.is_empty() {
                "Ukraine".to_owned()
            } else {
                target.to_owned()
            }),
            admin1: None,
            country: Some("Ukraine".to_owned()),
        };
        let model = get("model").unwrap_or("unknown model").to_owned();
        let mut e = Event::new(format!("attack-row-{}", rec.line), time, location);
        e.weapons = vec![weapon_of(&model, &self.models)];
        e.weapon_detail = Some(model.clone());
        e.launched = count(get("launched"));
        e.intercepted = count(get("destroyed"));
        e.title = Some(format!(
            "{model}: {} launched, {} destroyed",
            e.launched.map_or("?".to_owned(), |n| n.to_string()),
            e.intercepted.map_or("?".to_owned(), |n| n.to_string()),
        ));
        e.location_note = place_note;
        if let Some(src) = get("source") {
            let url = if src.starts_with("http") {
                src.to_owned()
            } else {
                format!("https://www.facebook.com/{src}")
            };
            e.sources.push(Source {
                outlet: Some("Air Force of the Armed Forces of Ukraine".to_owned()),
                url: Some(url),
                ..Source::default()
            });
        }
        fields::push_extra(&mut e, rec.fields, &self.consumed);
        Ok(e)
    }

    /// time_start to time_end, in Kyiv local time.
    fn time(&self, rec: Record<'_>) -> Result<EventTime, Refusal> {
        let Some(start_s) = self.get(rec, "time_start") else {
            return Err((RejectReason::MissingDate, "empty time_start".into()));
        };
        let Some((start, start_has_time)) = parse_local(start_s) else {
            return Err((
                RejectReason::InvalidDate,
                format!("time_start {}", fields::q(start_s)),
            ));
        };
        let end = self.get(rec, "time_end").and_then(parse_local);
        let time = match end {
            Some((e, true)) if e > start => EventTime::range(start, e),
            Some((e, false)) if e > start => EventTime::range(start, e + DAY),
            _ if start_has_time => EventTime::at(start, TimePrecision::Minute),
            _ => EventTime::at(start, TimePrecision::Day),
        };
        if let Some(why) = super::time::implausible(&time) {
            return Err((
                RejectReason::ImplausibleDate,
                format!("time_start {}: {why}", fields::q(start_s)),
            ));
        }
        Ok(time)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_placed_at_the_right_precision() {
        let g = WorldGazetteer::get().ok();
        let (_, _, p, _) = place_target("Ukraine", g);
        assert_eq!(p, LocationPrecision::Country);
        let (lat, _, p, note) = place_target("south", g);
        assert_eq!(p, LocationPrecision::Country);
        assert!(
            lat < UKRAINE.0 - 1.0,
            "the south is drawn in the south, not at the centre"
        );
        assert!(note.unwrap_or_default().contains("macro-region"));
        let (lat, _, p, _) = place_target("Odesa oblast", g);
        assert_eq!(p, LocationPrecision::Region);
        assert!((45.0..48.5).contains(&lat));
        let (_, _, p, note) = place_target("Odesa oblast and Mykolaiv oblast", g);
        assert_eq!(p, LocationPrecision::Region);
        assert!(note.unwrap_or_default().contains("2 targets"));
        let (_, _, p, _) = place_target("Dnipropetrovsk oblast, Dnipro Raion", g);
        assert_eq!(p, LocationPrecision::Region);
        let (_, _, p, _) = place_target("Kryvyi Rih", g);
        assert_eq!(p, LocationPrecision::Settlement);
        let (_, _, p, note) = place_target("Atlantis", g);
        assert_eq!(p, LocationPrecision::Country);
        assert!(note.unwrap_or_default().contains("could not place"));
    }

    #[test]
    fn local_times_and_counts() {
        // 18:00 in Kyiv in February is 16:00 UTC.
        let (t, has_time) = parse_local("2026-02-28 18:00").unwrap();
        assert!(has_time);
        assert_eq!(crate::model::fmt_minute(t), "2026-02-28 16:00");
        assert!(parse_local("2023-05-16 3:30").is_some());
        assert_eq!(parse_local("2022-09-28 ").map(|x| x.1), Some(false));
        assert_eq!(count(Some("123.0")), Some(123));
        assert_eq!(count(Some("nan")), None);
    }

    #[test]
    fn attack_rows_become_country_or_oblast_events() {
        let csv = "time_start,time_end,model,launch_place,target,launched,destroyed,source\n\
                   2026-02-28 18:00,2026-03-01 08:30,Shahed-136/131,Kursk oblast,Ukraine,123.0,110.0,kpszsu/posts/x\n\
                   2024-01-02,2024-01-02,Kh-101,,Kyiv oblast,10.0,10.0,\n\
                   ,2024-01-02,Kh-101,,Kyiv oblast,10.0,10.0,\n";
        let r = super::super::load_bytes("attacks.csv", csv.as_bytes()).unwrap();
        assert_eq!(r.format, Format::MissileAttacks);
        assert_eq!((r.records, r.events.len()), (3, 2));
        let a = &r.events[0];
        assert_eq!(a.location.precision, LocationPrecision::Country);
        assert_eq!((a.launched, a.intercepted), (Some(123), Some(110)));
        assert_eq!(a.weapons, vec![Weapon::Drone]);
        assert_eq!(a.time.precision, TimePrecision::Range);
        let b = &r.events[1];
        assert_eq!(b.location.precision, LocationPrecision::Region);
        assert_eq!(b.weapons, vec![Weapon::CruiseMissile]);
        assert_eq!(b.killed, None, "attack-level records report no casualties");
    }
}
