//! GDELT 1.0 and 2.0 event files: headerless TSV with 57 (back-file), 58 (daily, with
//! SOURCEURL) or 61 (2.0, with ADM2 codes) columns, varying inside one file. The event is placed
//! at ActionGeo; SQLDATE is the day; country codes are FIPS 10-4.

use super::records::Refusal;
use super::table::{Record, Table};
use super::{Format, LoadReport, RejectReason};
use crate::model::{
    DAY, Event, EventTime, Location, LocationPrecision, Seconds, Source, TimePrecision, Weapon,
};

/// Column positions of the fields we read, per layout.
struct Layout {
    geo_type: usize,
    geo_name: usize,
    geo_country: usize,
    lat: usize,
    lon: usize,
    url: Option<usize>,
}

fn layout(n_fields: usize) -> Option<Layout> {
    match n_fields {
        57 | 58 => Some(Layout {
            geo_type: 49,
            geo_name: 50,
            geo_country: 51,
            lat: 53,
            lon: 54,
            url: (n_fields == 58).then_some(57),
        }),
        61 => Some(Layout {
            geo_type: 51,
            geo_name: 52,
            geo_country: 53,
            lat: 56,
            lon: 57,
            url: Some(60),
        }),
        _ => None,
    }
}

/// Whether the first line looks like a GDELT event row.
pub(super) fn is_gdelt(first_line: &str) -> bool {
    let f: Vec<&str> = first_line
        .trim_end_matches(['\r', '\n'])
        .split('\t')
        .collect();
    layout(f.len()).is_some()
        && f[0].bytes().all(|b| b.is_ascii_digit())
        && f[1].len() == 8
        && f[1].bytes().all(|b| b.is_ascii_digit())
}

/// FIPS 10-4 codes of the countries users of this tool meet most, with their names.
fn fips_country(code: &str) -> Option<&'static str> {
    Some(match code {
        "UP" => "Ukraine",
        "RS" => "Russia",
        "BO" => "Belarus",
        "PL" => "Poland",
        "RO" => "Romania",
        "MD" => "Moldova",
        "HU" => "Hungary",
        "LO" => "Slovakia",
        "GG" => "Georgia",
        "TU" => "Turkey",
        "US" => "United States",
        "UK" => "United Kingdom",
        "GM" => "Germany",
        "FR" => "France",
        "SY" => "Syria",
        "IS" => "Israel",
        _ => return None,
    })
}

/// Import GDELT rows (already split on tabs).
pub(super) fn load(file: &str, table: &Table) -> LoadReport {
    let mut widths = std::collections::BTreeMap::new();
    let outcome = table.events(|rec| {
        *widths.entry(rec.fields.len()).or_insert(0usize) += 1;
        event(rec)
    });
    let notes = if widths.len() > 1 {
        vec![format!(
            "rows of different GDELT layouts in one file (fields → rows): {}",
            widths
                .iter()
                .map(|(w, n)| format!("{w} → {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        )]
    } else {
        Vec::new()
    };
    outcome.report(file, Format::Gdelt, notes)
}

/// One row as an event at its ActionGeo on its SQLDATE, or why not.
fn event(rec: Record<'_>) -> Result<Event, Refusal> {
    let n = rec.fields.len();
    let Some(l) = layout(n) else {
        return Err((
            RejectReason::Malformed,
            format!("{n} fields; GDELT rows have 57, 58 or 61"),
        ));
    };
    let get = |i: usize| rec.get(Some(i));
    let (lat, lon) = match super::fields::coords(get(l.lat), get(l.lon)) {
        Err((RejectReason::MissingLocation, _)) => {
            return Err((
                RejectReason::MissingLocation,
                "no ActionGeo_Lat/Long".into(),
            ));
        }
        other => other?,
    };
    let day = day(get(1))?;
    // ActionGeo_Type: 1 country, 2 US state, 3 US city, 4 world city, 5 world state.
    let precision = match get(l.geo_type) {
        Some("3") | Some("4") => LocationPrecision::Settlement,
        Some("2") | Some("5") => LocationPrecision::Region,
        _ => LocationPrecision::Country,
    };
    let fips = get(l.geo_country).unwrap_or_default();
    let full_name = get(l.geo_name).map(str::to_owned);
    let location = Location {
        lat,
        lon,
        precision,
        place: full_name
            .as_deref()
            .and_then(|n| n.split(',').next())
            .map(|s| s.trim().to_owned()),
        admin1: None,
        country: fips_country(fips)
            .map(str::to_owned)
            .or_else(|| (!fips.is_empty()).then(|| format!("FIPS {fips}"))),
    };
    let id = get(0).map_or_else(|| format!("row-{}", rec.line), str::to_owned);
    let mut e = Event::new(id, EventTime::at(day, TimePrecision::Day), location);
    describe(&mut e, rec, &l);
    if let Some(n) = full_name {
        e.extra.push(("ActionGeo_FullName".into(), n));
    }
    for (k, i) in [
        ("EventCode", 26),
        ("GoldsteinScale", 30),
        ("NumMentions", 31),
        ("AvgTone", 34),
    ] {
        if let Some(v) = get(i) {
            e.extra.push((k.into(), v.to_owned()));
        }
    }
    Ok(e)
}

/// The day of a SQLDATE, or why it is none.
fn day(date: Option<&str>) -> Result<Seconds, Refusal> {
    let Some(date_s) = date else {
        return Err((RejectReason::MissingDate, "empty SQLDATE".into()));
    };
    let Some(day) = super::time::parse_time_str(date_s).map(|t| t.at.div_euclid(DAY) * DAY) else {
        return Err((
            RejectReason::InvalidDate,
            format!("SQLDATE {}", super::fields::q(date_s)),
        ));
    };
    if let Some(why) = super::time::implausible(&EventTime::at(day, TimePrecision::Day)) {
        return Err((
            RejectReason::ImplausibleDate,
            format!("SQLDATE {}: {why}", super::fields::q(date_s)),
        ));
    }
    Ok(day)
}

/// Title from the CAMEO code and actors, weapon from the code, source from SOURCEURL.
fn describe(e: &mut Event, rec: Record<'_>, l: &Layout) {
    let get = |i: usize| rec.get(Some(i));
    let code = get(26).unwrap_or_default();
    let actors: Vec<&str> = [get(6), get(16)].into_iter().flatten().collect();
    e.title = Some(format!(
        "CAMEO {code}{}",
        if actors.is_empty() {
            String::new()
        } else {
            format!(": {}", actors.join(" → "))
        }
    ));
    // CAMEO 194 "fight with artillery and tanks"; 195 "employ aerial weapons".
    match code {
        "194" => e.weapons.push(Weapon::Artillery),
        "195" => e.weapon_detail = Some("aerial weapons (CAMEO 195)".to_owned()),
        _ => {}
    }
    if let Some(url) = l.url.and_then(get) {
        e.sources.push(Source {
            outlet: url.split('/').nth(2).map(str::to_owned),
            url: Some(url.to_owned()),
            ..Source::default()
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::load_bytes;
    use super::*;

    fn row(n: usize, id: &str, date: &str, geo: Option<(&str, &str, &str, &str)>) -> String {
        let mut f = vec![String::new(); n];
        f[0] = id.into();
        f[1] = date.into();
        f[6] = "RUS".into();
        f[16] = "UKR".into();
        f[26] = "194".into();
        let l = layout(n).unwrap();
        if let Some((t, name, lat, lon)) = geo {
            f[l.geo_type] = t.into();
            f[l.geo_name] = name.into();
            f[l.geo_country] = "UP".into();
            f[l.lat] = lat.into();
            f[l.lon] = lon.into();
        }
        if let Some(u) = l.url {
            f[u] = "https://news.example.org/a".into();
        }
        f.join("\t")
    }

    #[test]
    fn mixed_widths_and_missing_geo() {
        let text = [
            row(
                58,
                "1",
                "20220301",
                Some((
                    "4",
                    "Kharkiv, Kharkivs'ka Oblast', Ukraine",
                    "49.98",
                    "36.25",
                )),
            ),
            row(57, "2", "20060731", Some(("1", "Ukraine", "49", "32"))),
            row(
                61,
                "3",
                "20240115",
                Some(("5", "Donets'ka Oblast', Ukraine", "48", "37.8")),
            ),
            row(58, "4", "20220302", None),
        ]
        .join("\n");
        let r = load_bytes("g.tsv", text.as_bytes()).unwrap();
        assert_eq!(r.format, Format::Gdelt);
        assert_eq!(r.records, 4);
        assert_eq!(r.events.len(), 3);
        assert_eq!(r.rejected[0].reason, RejectReason::MissingLocation);
        let k = &r.events[0];
        assert_eq!(k.location.place.as_deref(), Some("Kharkiv"));
        assert_eq!(k.location.country.as_deref(), Some("Ukraine"));
        assert_eq!(k.location.precision, LocationPrecision::Settlement);
        assert_eq!(k.weapons, vec![Weapon::Artillery]);
        assert_eq!(k.sources[0].outlet.as_deref(), Some("news.example.org"));
        assert_eq!(r.events[1].location.precision, LocationPrecision::Country);
        assert_eq!(r.events[2].location.precision, LocationPrecision::Region);
        assert!(r.notes[0].contains("57 → 1"), "{:?}", r.notes);
    }
}
