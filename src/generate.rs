//! Synthetic event files for benchmarks: `strikemap generate --rows N --format acled|geojson`.
//!
//! The events look like the real thing where it matters for loading and drawing speed:
//! places come from the embedded gazetteer ([`BasemapData`]), restricted to Ukraine and
//! weighted by population and, much more, by closeness to the front line and the Russian
//! border; dates run from 24 Feb 2022 to 31 Dec 2025 with waves of a few days and single days
//! of many times the average volume; ACLED rows have the 2023+ export layout with a realistic
//! mix of event types, precisions, fatalities and notes (60–250 characters, mentioning
//! weapons and targets the way ACLED's do). Output is deterministic for a seed.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;

use crate::geo::{BasemapData, COORD_SCALE, LineKind, decode};

/// Output format of [`generate`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GenFormat {
    /// ACLED CSV, 2023+ export layout (31 columns).
    Acled,
    /// A GeoJSON FeatureCollection in strikemap's own schema (see README).
    Geojson,
}

/// What to generate.
#[derive(Clone, Debug)]
pub struct GenOptions {
    /// Number of events.
    pub rows: usize,
    /// Output format.
    pub format: GenFormat,
    /// PRNG seed: the same seed (and row count) gives the same bytes.
    pub seed: u64,
}

impl Default for GenOptions {
    fn default() -> Self {
        Self {
            rows: 1000,
            format: GenFormat::Acled,
            seed: 1,
        }
    }
}

/// What [`generate`] wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GenStats {
    /// Events written.
    pub rows: usize,
    /// Bytes written (header included).
    pub bytes: u64,
}

/// The ACLED 2023+ export header, in export order.
pub const ACLED_HEADER: [&str; 31] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
];

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
const fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`]: (year, month 1–12, day 1–31).
fn civil_from_days(z: i64) -> (i64, usize, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, usize::try_from(m).unwrap_or(1), d)
}

/// First day of generated events: 24 February 2022.
pub const FIRST_DAY: i64 = days_from_civil(2022, 2, 24);
/// Last day of generated events: 31 December 2025.
pub const LAST_DAY: i64 = days_from_civil(2025, 12, 31);

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// One calendar day, formatted once.
struct Day {
    /// "15 March 2024" (ACLED's event_date).
    acled: String,
    /// "2024-03-15".
    iso: String,
    /// "March 2024".
    month: String,
    /// "2024".
    year: String,
    /// Unix seconds at 00:00 UTC.
    unix: i64,
}

/// All days from `FIRST_DAY` to `LAST_DAY` (ranges are clamped to them).
struct Days(Vec<Day>);

impl Days {
    fn new() -> Self {
        Self(
            (FIRST_DAY..=LAST_DAY)
                .map(|z| {
                    let (y, m, d) = civil_from_days(z);
                    let name = MONTHS.get(m.wrapping_sub(1)).copied().unwrap_or("January");
                    Day {
                        acled: format!("{d} {name} {y}"),
                        iso: format!("{y:04}-{m:02}-{d:02}"),
                        month: format!("{name} {y}"),
                        year: y.to_string(),
                        unix: z * 86_400,
                    }
                })
                .collect(),
        )
    }

    /// The day `z` (days since the epoch), clamped to the table.
    fn get(&self, z: i64) -> &Day {
        let i = usize::try_from(z - FIRST_DAY).unwrap_or(0);
        let i = i.min(self.0.len().saturating_sub(1));
        &self.0[i]
    }
}

// ---------------------------------------------------------------------------------------------
// Places
// ---------------------------------------------------------------------------------------------

/// Ukrainian first-level regions: ISO 3166-2, ACLED's admin1 spelling, ours (README schema).
const ADMIN1: &[(&str, &str, &str)] = &[
    ("UA-71", "Cherkasy", "Cherkasy Oblast"),
    ("UA-74", "Chernihiv", "Chernihiv Oblast"),
    ("UA-77", "Chernivtsi", "Chernivtsi Oblast"),
    ("UA-43", "Crimea", "Autonomous Republic of Crimea"),
    ("UA-12", "Dnipropetrovsk", "Dnipropetrovsk Oblast"),
    ("UA-14", "Donetsk", "Donetsk Oblast"),
    ("UA-26", "Ivano-Frankivsk", "Ivano-Frankivsk Oblast"),
    ("UA-63", "Kharkiv", "Kharkiv Oblast"),
    ("UA-65", "Kherson", "Kherson Oblast"),
    ("UA-68", "Khmelnytskyi", "Khmelnytskyi Oblast"),
    ("UA-35", "Kirovohrad", "Kirovohrad Oblast"),
    ("UA-30", "Kyiv City", "Kyiv City"),
    ("UA-32", "Kyiv", "Kyiv Oblast"),
    ("UA-09", "Luhansk", "Luhansk Oblast"),
    ("UA-46", "Lviv", "Lviv Oblast"),
    ("UA-48", "Mykolaiv", "Mykolaiv Oblast"),
    ("UA-51", "Odesa", "Odesa Oblast"),
    ("UA-53", "Poltava", "Poltava Oblast"),
    ("UA-56", "Rivne", "Rivne Oblast"),
    ("UA-40", "Sevastopol", "Sevastopol"),
    ("UA-59", "Sumy", "Sumy Oblast"),
    ("UA-61", "Ternopil", "Ternopil Oblast"),
    ("UA-05", "Vinnytsia", "Vinnytsia Oblast"),
    ("UA-07", "Volyn", "Volyn Oblast"),
    ("UA-21", "Zakarpattia", "Zakarpattia Oblast"),
    ("UA-23", "Zaporizhia", "Zaporizhzhia Oblast"),
    ("UA-18", "Zhytomyr", "Zhytomyr Oblast"),
];

/// The front line, roughly (lat, lon): Kharkiv – Kupiansk – Lyman – Bakhmut – Donetsk –
/// Vuhledar – Zaporizhzhia – Nikopol – Beryslav – Kherson – Kinburn.
const FRONT: &[(f64, f64)] = &[
    (49.9935, 36.2304),
    (49.7106, 37.6156),
    (48.9886, 37.8022),
    (48.5947, 38.0008),
    (48.0159, 37.8028),
    (47.7797, 37.2481),
    (47.8388, 35.1396),
    (47.5700, 34.3900),
    (46.8400, 33.4200),
    (46.6354, 32.6169),
    (46.4800, 31.9000),
];

/// The front of the invasion's first weeks (lat, lon): Irpin/Hostomel – Brovary – Chernihiv
/// – Sumy – Okhtyrka, and besieged Mariupol.
const NORTH_2022: &[(f64, f64)] = &[
    (50.40, 29.95),
    (50.55, 30.22),
    (50.60, 30.55),
    (50.52, 30.95),
    (50.95, 31.20),
    (51.49, 31.29),
    (51.25, 32.60),
    (50.91, 34.80),
    (50.31, 34.90),
    (49.99, 36.23),
    // A jump to Mariupol: the segment runs through the quiet north of Donetsk oblast only
    // where the main front already is.
    (48.00, 37.80),
    (47.10, 37.55),
];
/// Russian forces left Kyiv, Chernihiv and Sumy oblasts in early April 2022.
const NORTH_2022_UNTIL: i64 = days_from_civil(2022, 4, 7);

/// The border with Russia in Chernihiv, Sumy and Kharkiv oblasts (lat, lon): shelled daily.
const BORDER: &[(f64, f64)] = &[
    (52.30, 32.20),
    (52.25, 33.40),
    (52.10, 34.10),
    (51.35, 34.30),
    (50.90, 35.40),
    (50.45, 35.90),
    (50.30, 36.90),
    (50.05, 37.90),
];

/// Local flat projection around 48.5°N in km: (x east, y north).
fn km(lat: f64, lon: f64) -> (f64, f64) {
    const KM_PER_DEG_LON: f64 = 111.32 * 0.662_620; // cos(48.5°)
    (lon * KM_PER_DEG_LON, lat * 110.57)
}

/// Distance in km from a point to a polyline of (lat, lon).
fn distance_km(lat: f64, lon: f64, line: &[(f64, f64)]) -> f64 {
    let (px, py) = km(lat, lon);
    line.windows(2)
        .map(|w| {
            let (ax, ay) = km(w[0].0, w[0].1);
            let (bx, by) = km(w[1].0, w[1].1);
            let (dx, dy) = (bx - ax, by - ay);
            let len2 = dx * dx + dy * dy;
            let t = if len2 > 0.0 {
                (((px - ax) * dx + (py - ay) * dy) / len2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let (cx, cy) = (ax + t * dx - px, ay + t * dy - py);
            (cx * cx + cy * cy).sqrt()
        })
        .fold(f64::INFINITY, f64::min)
}

/// Even-odd point-in-polygon over a ring of (lon, lat).
fn in_ring(lon: f64, lat: f64, ring: &[(f64, f64)]) -> bool {
    let mut inside = false;
    let mut j = ring.len().wrapping_sub(1);
    for (i, &(xi, yi)) in ring.iter().enumerate() {
        let Some(&(xj, yj)) = ring.get(j) else {
            j = i;
            continue;
        };
        if (yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// An oblast boundary ring with its bounding box.
struct Ring {
    region: usize,
    points: Vec<(f64, f64)>,
    min: (f64, f64),
    max: (f64, f64),
    area: f64,
}

impl Ring {
    fn new(region: usize, points: Vec<(f64, f64)>) -> Self {
        let mut min = (f64::INFINITY, f64::INFINITY);
        let mut max = (f64::NEG_INFINITY, f64::NEG_INFINITY);
        for &(x, y) in &points {
            min = (min.0.min(x), min.1.min(y));
            max = (max.0.max(x), max.1.max(y));
        }
        Self {
            region,
            points,
            min,
            max,
            area: (max.0 - min.0) * (max.1 - min.1),
        }
    }

    fn contains(&self, lon: f64, lat: f64) -> bool {
        lon >= self.min.0
            && lon <= self.max.0
            && lat >= self.min.1
            && lat <= self.max.1
            && in_ring(lon, lat, &self.points)
    }

    /// Distance in km from a point outside to the boundary, if within `max_km` of the box.
    fn near(&self, lon: f64, lat: f64, max_km: f64) -> Option<f64> {
        let margin = max_km / 70.0;
        let in_box = lon >= self.min.0 - margin
            && lon <= self.max.0 + margin
            && lat >= self.min.1 - margin
            && lat <= self.max.1 + margin;
        let line: Vec<(f64, f64)> = if in_box {
            self.points.iter().map(|&(x, y)| (y, x)).collect()
        } else {
            return None;
        };
        Some(distance_km(lat, lon, &line)).filter(|&d| d <= max_km)
    }
}

/// A Ukrainian oblast.
struct Region {
    /// ACLED spelling ("Zaporizhia", "Kyiv City").
    acled: &'static str,
    /// Our schema's spelling ("Zaporizhzhia Oblast").
    ours: &'static str,
    /// "Kharkiv Regional Military Administration".
    administration: String,
    /// A point inside the region (the geo_precision 3 location).
    lat: f64,
    lon: f64,
}

/// A place events can happen at.
struct Place {
    name: String,
    region: usize,
    /// Raion, ACLED style ("Bakhmutskyi").
    admin2: String,
    /// Hromada, ACLED style ("Bakhmutska").
    admin3: String,
    lat: f64,
    lon: f64,
    /// Distance to the front line in km.
    front_km: f64,
    /// Distance to the Russian border (Chernihiv–Sumy–Kharkiv) in km.
    border_km: f64,
    /// In occupied territory (roughly).
    occupied: bool,
}

/// Places and their sampling weights.
struct World {
    regions: Vec<Region>,
    places: Vec<Place>,
    /// Cumulative sampling weights, parallel to `places`.
    cumulative: Vec<f64>,
    /// The same in the invasion's first weeks (northern front, Mariupol).
    cumulative_2022: Vec<f64>,
}

/// An adjective from a place name, the way raion and hromada names are formed:
/// Bakhmut → Bakhmutskyi / Bakhmutska, Kramatorsk → Kramatorskyi, Odesa → Odeskyi.
fn adjective(name: &str, masculine: bool) -> String {
    let word = name
        .split([' ', '-'])
        .next()
        .unwrap_or(name)
        .trim_matches(|c: char| !c.is_alphabetic());
    let ending = if masculine { "yi" } else { "a" };
    if word.ends_with("sk") {
        return format!("{word}{ending}");
    }
    if let Some(stem) = word.strip_suffix('o') {
        return format!("{stem}ovsk{ending}");
    }
    let stem = ["ka", "ky", "ia", "ye", "a", "e", "i", "y"]
        .iter()
        .find_map(|s| word.strip_suffix(s))
        .unwrap_or(word);
    if stem.ends_with('s') {
        format!("{stem}k{ending}")
    } else {
        format!("{stem}sk{ending}")
    }
}

/// Roughly whether a point was under occupation for most of 2022–2025.
fn occupied_at(acled_admin1: &str, lat: f64, lon: f64) -> bool {
    match acled_admin1 {
        "Crimea" | "Sevastopol" | "Luhansk" => true,
        // Donetsk, Horlivka, Makiivka, Mariupol and the south-east of the oblast.
        "Donetsk" => lon > 37.9 || lat < 47.6,
        "Zaporizhia" => lat < 47.35,
        // The left bank of the Dnipro.
        "Kherson" => lon > 33.5 || lat < 46.60 + (lon - 32.60) * 0.25,
        _ => false,
    }
}

impl World {
    fn embedded() -> io::Result<Self> {
        let data = BasemapData::embedded().map_err(io::Error::other)?;
        let mut regions = Vec::new();
        let mut centres = Vec::new();
        for r in data.regions.iter().filter(|r| r.country == "UKR") {
            let Some(&(_, acled, ours)) = ADMIN1.iter().find(|(iso, _, _)| *iso == r.iso) else {
                continue;
            };
            let lat = f64::from(r.lat) / COORD_SCALE;
            let lon = f64::from(r.lon) / COORD_SCALE;
            let administration = if acled.ends_with("City") {
                format!("{acled} Military Administration")
            } else {
                format!("{acled} Regional Military Administration")
            };
            centres.push((lon, lat));
            regions.push(Region {
                acled,
                ours,
                administration,
                lat,
                lon,
            });
        }
        // Oblast rings are stored without names: a ring belongs to the region whose interior
        // point it contains (the smallest such ring: Kyiv oblast's ring also encloses Kyiv).
        let all_rings: Vec<Ring> = data
            .lines
            .iter()
            .filter(|s| s.kind == LineKind::Oblast && !s.coarse)
            .flat_map(|s| s.lines.iter())
            .map(|l| Ring::new(usize::MAX, decode(l)))
            .collect();
        let mut rings = Vec::new();
        for (i, &(lon, lat)) in centres.iter().enumerate() {
            let best = all_rings
                .iter()
                .filter(|r| r.contains(lon, lat))
                .min_by(|a, b| a.area.total_cmp(&b.area));
            if let Some(r) = best {
                rings.push(Ring::new(i, r.points.clone()));
            }
        }
        if rings.is_empty() {
            return Err(io::Error::other(
                "the embedded basemap has no Ukrainian oblast boundaries",
            ));
        }

        let mut places = Vec::new();
        let mut populations = Vec::new();
        for p in &data.places {
            let lat = f64::from(p.lat) / COORD_SCALE;
            let lon = f64::from(p.lon) / COORD_SCALE;
            if !(44.0..=52.5).contains(&lat) || !(22.0..=40.5).contains(&lon) || p.name.is_empty() {
                continue;
            }
            // Simplified boundaries leave some towns on rivers and coasts (Kherson) just
            // outside every oblast: those within 5 km of one and inside no foreign region
            // belong to the nearest.
            let inside = rings
                .iter()
                .filter(|r| r.contains(lon, lat))
                .min_by(|a, b| a.area.total_cmp(&b.area));
            let ring = match inside {
                Some(r) => r,
                None if all_rings.iter().any(|r| r.contains(lon, lat)) => continue,
                None => {
                    let nearest = rings
                        .iter()
                        .filter_map(|r| Some((r, r.near(lon, lat, 5.0)?)))
                        .min_by(|a, b| a.1.total_cmp(&b.1));
                    match nearest {
                        Some((r, _)) => r,
                        None => continue,
                    }
                }
            };
            let acled = regions.get(ring.region).map_or("", |r| r.acled);
            places.push(Place {
                name: p.name.clone(),
                region: ring.region,
                admin2: String::new(),
                admin3: String::new(),
                lat,
                lon,
                front_km: distance_km(lat, lon, FRONT),
                border_km: distance_km(lat, lon, BORDER),
                occupied: occupied_at(acled, lat, lon),
            });
            populations.push(p.population);
        }
        // GeoNames lists city districts and microdistricts as places of their own (Saltivka,
        // Rayon KTZ, Obolon): fold them into their city, whose radius grows with its size
        // (a separate town needs a third of the city's population, or a district's name).
        let cities: Vec<(f64, f64, u32, f64)> = places
            .iter()
            .zip(&populations)
            .filter(|&(_, &pop)| pop >= 100_000)
            .map(|(p, &pop)| {
                let (x, y) = km(p.lat, p.lon);
                (x, y, pop, 2.0 + 0.4 * (f64::from(pop) / 1000.0).sqrt())
            })
            .collect();
        let keep: Vec<bool> = places
            .iter()
            .zip(&populations)
            .map(|(p, &pop)| {
                let (x, y) = km(p.lat, p.lon);
                // District names are adjectives (Kyivskyi, Zarichnyi) or say what they are.
                let districtish = ["yi", "yy", "Masyv", "Microdistrict", "Sotsmisto"]
                    .iter()
                    .any(|s| p.name.ends_with(s))
                    || p.name.starts_with("Rayon ");
                !cities.iter().any(|&(u, v, city_pop, radius)| {
                    let d2 = (u - x).powi(2) + (v - y).powi(2);
                    (city_pop >= pop.saturating_mul(3) && d2 < radius * radius)
                        || (districtish && city_pop > pop && d2 < (1.5 * radius).powi(2))
                })
            })
            .collect();
        let mut kept = keep.iter();
        places.retain(|_| kept.next().copied().unwrap_or(false));
        let mut kept = keep.iter();
        populations.retain(|_| kept.next().copied().unwrap_or(false));
        if places.is_empty() {
            return Err(io::Error::other(
                "the embedded basemap has no places in Ukraine",
            ));
        }

        // Raion: the nearest town of 15,000+ in the same oblast; hromada: nearest of 2,000+.
        let towns = |min_pop: u32| -> Vec<Vec<usize>> {
            let mut by_region = vec![Vec::new(); regions.len()];
            for (i, p) in places.iter().enumerate() {
                if populations[i] >= min_pop
                    && let Some(list) = by_region.get_mut(p.region)
                {
                    list.push(i);
                }
            }
            by_region
        };
        let (raion_towns, hromada_towns) = (towns(15_000), towns(2_000));
        let nearest = |i: usize, candidates: &[Vec<usize>]| -> usize {
            let p = &places[i];
            let (x, y) = km(p.lat, p.lon);
            let d = |j: usize| {
                let (u, v) = km(places[j].lat, places[j].lon);
                (u - x).powi(2) + (v - y).powi(2)
            };
            candidates
                .get(p.region)
                .and_then(|c| c.iter().copied().min_by(|&a, &b| d(a).total_cmp(&d(b))))
                .unwrap_or(i)
        };
        let names: Vec<(String, String)> = (0..places.len())
            .map(|i| {
                (
                    adjective(&places[nearest(i, &raion_towns)].name, true),
                    adjective(&places[nearest(i, &hromada_towns)].name, false),
                )
            })
            .collect();
        for (p, (a2, a3)) in places.iter_mut().zip(names) {
            p.admin2 = a2;
            p.admin3 = a3;
        }

        // Weight: population (sub-linear, so villages at the front outweigh quiet cities)
        // times a factor rising steeply towards the front line and the Russian border, plus
        // a term linear in population for the missile and drone strikes on cities far away.
        let weights = |early: bool| -> Vec<f64> {
            let mut total = 0.0;
            places
                .iter()
                .zip(&populations)
                .map(|(p, &pop)| {
                    let d = if early {
                        p.front_km.min(distance_km(p.lat, p.lon, NORTH_2022))
                    } else {
                        p.front_km
                    };
                    let factor = 0.05
                        + 40.0 * (-d / 25.0).exp()
                        + 6.0 * (-d / 120.0).exp()
                        + 60.0 * (-p.border_km / 15.0).exp();
                    let occupied = if p.occupied { 0.3 } else { 1.0 };
                    let city = if pop >= 100_000 {
                        0.006 * f64::from(pop)
                    } else {
                        0.0
                    };
                    total += (f64::from(pop.max(300)).powf(0.55) * factor + city) * occupied;
                    total
                })
                .collect()
        };
        let (cumulative, cumulative_2022) = (weights(false), weights(true));
        Ok(Self {
            regions,
            places,
            cumulative,
            cumulative_2022,
        })
    }

    /// A place for an event on day `z`.
    fn sample(&self, rng: &mut fastrand::Rng, z: i64) -> &Place {
        let cumulative = if z < NORTH_2022_UNTIL {
            &self.cumulative_2022
        } else {
            &self.cumulative
        };
        let total = cumulative.last().copied().unwrap_or(0.0);
        let x = rng.f64() * total;
        let i = cumulative.partition_point(|&c| c <= x);
        &self.places[i.min(self.places.len() - 1)]
    }
}

// ---------------------------------------------------------------------------------------------
// Time: how many events on each day
// ---------------------------------------------------------------------------------------------

/// A standard normal variate (Box–Muller).
fn normal(rng: &mut fastrand::Rng) -> f64 {
    let u = rng.f64().max(1e-12);
    let v = rng.f64();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// Events per day from `FIRST_DAY` to `LAST_DAY`, summing to `rows`: a slowly rising trend
/// with day-to-day noise, the invasion's first weeks, waves of 2–6 days at 2–5× and single
/// days at 5–10× the usual volume.
fn day_counts(rows: usize, rng: &mut fastrand::Rng) -> Vec<usize> {
    let n = usize::try_from(LAST_DAY - FIRST_DAY + 1).unwrap_or(1);
    let mut w: Vec<f64> = (0..n)
        .map(|d| {
            let t = d as f64 / n as f64;
            let season = 1.0 + 0.15 * (std::f64::consts::TAU * d as f64 / 365.25).sin();
            let first_weeks = 1.0 + 2.0 * (-(d as f64) / 30.0).exp();
            (0.7 + 0.6 * t) * season * first_weeks * (0.3 * normal(rng)).exp()
        })
        .collect();
    for _ in 0..n / 18 {
        let start = rng.usize(0..n);
        let len = rng.usize(2..=6);
        let peak = 2.0 + 3.0 * rng.f64();
        for k in 0..len {
            if let Some(x) = w.get_mut(start + k) {
                let shape = (std::f64::consts::PI * (k as f64 + 0.5) / len as f64).sin();
                *x *= 1.0 + (peak - 1.0) * shape;
            }
        }
    }
    for _ in 0..n / 60 {
        if let Some(x) = w.get_mut(rng.usize(0..n)) {
            *x *= 5.0 + 5.0 * rng.f64();
        }
    }
    let total: f64 = w.iter().sum();
    let mut acc = 0.0;
    let mut done = 0usize;
    w.iter()
        .map(|x| {
            acc += x;
            let upto = ((acc / total * rows as f64).round() as usize).min(rows);
            let c = upto.saturating_sub(done);
            done = done.max(upto);
            c
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// What happened
// ---------------------------------------------------------------------------------------------

/// Pick an index by weight.
fn pick<T>(rng: &mut fastrand::Rng, items: &[(u32, T)]) -> usize {
    let total: u32 = items.iter().map(|(w, _)| w).sum();
    let mut x = rng.u32(0..total.max(1));
    for (i, (w, _)) in items.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    items.len().saturating_sub(1)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Shelling,
    AirDrone,
    Explosive,
    Clash,
}

impl Kind {
    fn event_type(self) -> &'static str {
        match self {
            Kind::Clash => "Battles",
            _ => "Explosions/Remote violence",
        }
    }

    fn sub_event_type(self) -> &'static str {
        match self {
            Kind::Shelling => "Shelling/artillery/missile attack",
            Kind::AirDrone => "Air/drone strike",
            Kind::Explosive => "Remote explosive/landmine/IED",
            Kind::Clash => "Armed clash",
        }
    }
}

const KINDS_NEAR: &[(u32, Kind)] = &[
    (56, Kind::Shelling),
    (20, Kind::AirDrone),
    (3, Kind::Explosive),
    (21, Kind::Clash),
];
const KINDS_FAR: &[(u32, Kind)] = &[
    (30, Kind::Shelling),
    (62, Kind::AirDrone),
    (8, Kind::Explosive),
];

/// A weapon as the notes name it.
struct Weapon {
    /// Text after "with" ("Shahed drones").
    text: &'static str,
    /// Our schema's keyword.
    schema: &'static str,
    /// First day it was in use (days since the epoch).
    since: i64,
}

const fn w(text: &'static str, schema: &'static str, since: i64) -> Weapon {
    Weapon {
        text,
        schema,
        since,
    }
}

const ANY: i64 = 0;
const SHAHED: i64 = days_from_civil(2022, 9, 13);
const KAB: i64 = days_from_civil(2023, 1, 15);
const FPV: i64 = days_from_civil(2023, 6, 1);
const HIMARS: i64 = days_from_civil(2022, 6, 23);
const STORM_SHADOW: i64 = days_from_civil(2023, 5, 12);

/// `None` = the notes name no weapon.
const WEAPONS_SHELLING_NEAR: &[(u32, Option<Weapon>)] = &[
    (45, Some(w("artillery", "artillery", ANY))),
    (12, Some(w("MLRS", "artillery", ANY))),
    (6, Some(w("Grad MLRS", "artillery", ANY))),
    (14, Some(w("mortars", "artillery", ANY))),
    (5, Some(w("tank fire", "artillery", ANY))),
    (4, Some(w("S-300 missiles", "other", ANY))),
    (30, None),
];
const WEAPONS_SHELLING_FAR: &[(u32, Option<Weapon>)] = &[
    (
        12,
        Some(w("an Iskander ballistic missile", "ballistic_missile", ANY)),
    ),
    (10, Some(w("ballistic missiles", "ballistic_missile", ANY))),
    (14, Some(w("Kh-101 cruise missiles", "cruise_missile", ANY))),
    (10, Some(w("Kalibr cruise missiles", "cruise_missile", ANY))),
    (12, Some(w("S-300 missiles", "other", ANY))),
];
const WEAPONS_AIR_NEAR: &[(u32, Option<Weapon>)] = &[
    (25, Some(w("guided aerial bombs", "guided_bomb", KAB))),
    (6, Some(w("KAB glide bombs", "guided_bomb", KAB))),
    (22, Some(w("FPV drones", "drone", FPV))),
    (16, Some(w("drones", "drone", ANY))),
    (5, Some(w("Lancet loitering munitions", "drone", ANY))),
    (10, Some(w("Shahed drones", "drone", SHAHED))),
    (16, None),
];
const WEAPONS_AIR_FAR: &[(u32, Option<Weapon>)] = &[
    (45, Some(w("Shahed drones", "drone", SHAHED))),
    (14, Some(w("drones", "drone", ANY))),
    (14, Some(w("Kh-101 cruise missiles", "cruise_missile", ANY))),
    (
        5,
        Some(w("Kinzhal ballistic missiles", "ballistic_missile", ANY)),
    ),
    (8, None),
];
const WEAPONS_UKRAINIAN: &[(u32, Option<Weapon>)] = &[
    (30, Some(w("artillery", "artillery", ANY))),
    (15, Some(w("HIMARS rockets", "artillery", HIMARS))),
    (30, Some(w("drones", "drone", ANY))),
    (
        6,
        Some(w(
            "Storm Shadow cruise missiles",
            "cruise_missile",
            STORM_SHADOW,
        )),
    ),
    (19, None),
];

/// A target as the notes name it.
struct Target {
    /// Object of "hitting …".
    object: &'static str,
    /// A sentence saying it was damaged.
    damaged: &'static str,
    /// Our schema's keyword.
    schema: &'static str,
}

const fn t(object: &'static str, damaged: &'static str, schema: &'static str) -> Target {
    Target {
        object,
        damaged,
        schema,
    }
}

const TARGETS: &[(u32, Target)] = &[
    (
        30,
        t(
            "a residential building",
            "A residential building was damaged.",
            "residential",
        ),
    ),
    (
        20,
        t(
            "private houses",
            "Several private houses were damaged.",
            "residential",
        ),
    ),
    (
        12,
        t(
            "energy infrastructure",
            "Energy infrastructure was damaged.",
            "energy",
        ),
    ),
    (
        4,
        t(
            "a power substation",
            "A power substation was damaged.",
            "energy",
        ),
    ),
    (3, t("a hospital", "A hospital was damaged.", "healthcare")),
    (
        4,
        t("a school", "A school building was damaged.", "education"),
    ),
    (
        3,
        t(
            "a railway station",
            "A railway station was damaged.",
            "transport",
        ),
    ),
    (
        3,
        t("a factory", "A factory was damaged.", "industrial_fuel"),
    ),
    (
        2,
        t(
            "an oil depot",
            "An oil depot caught fire.",
            "industrial_fuel",
        ),
    ),
    (5, t("a civilian car", "A civilian car was hit.", "other")),
    (
        3,
        t(
            "agricultural machinery",
            "Agricultural machinery was destroyed.",
            "other",
        ),
    ),
    (
        2,
        t(
            "port infrastructure",
            "Port infrastructure was damaged.",
            "transport",
        ),
    ),
];

/// Sentences that add colour without naming a weapon or target keyword.
const EXTRAS: &[&str] = &[
    "A fire broke out at the site.",
    "Windows in nearby buildings were shattered.",
    "Power outages were reported in the area.",
    "Emergency services worked at the site.",
    "Several cars were damaged.",
    "The strike left a large crater.",
    "Rescuers cleared the rubble for several hours.",
    "Local authorities announced an evacuation of the area.",
];
const EXTRAS_DRONES: &[&str] = &[
    "Ukrainian air defence shot down most of the drones.",
    "Debris from downed drones fell on the area.",
];

const NATIONAL: &[&str] = &[
    "Ukrinform",
    "Ukrainska Pravda",
    "Suspilne",
    "Kyiv Independent",
    "UNIAN",
    "Hromadske",
    "Interfax-Ukraine",
    "Ministry of Defence of Ukraine",
];
const BATTLE_SOURCES: &[(&str, &str)] = &[
    ("General Staff of the Armed Forces of Ukraine", "National"),
    ("ISW", "Other"),
    ("Rybar; ISW", "New media-Other"),
    (
        "General Staff of the Armed Forces of Ukraine; Russian Ministry of Defence",
        "National-International",
    ),
    ("DeepState", "New media"),
];

const RUSSIA: &str = "Military Forces of Russia (2000-)";
const UKRAINE: &str = "Military Forces of Ukraine (2019-)";

/// One generated event; strings borrow from the world, constants or [`Bufs`].
struct Row<'a> {
    id: u64,
    day: &'a Day,
    /// Range ends for time precision 2/3.
    range: Option<(&'a Day, &'a Day)>,
    time_precision: u8,
    geo_precision: u8,
    kind: Kind,
    actor1: &'static str,
    actor2: &'static str,
    assoc_actor_2: &'static str,
    inter2: &'static str,
    interaction: &'static str,
    civilian: bool,
    place: &'a Place,
    region: &'a Region,
    lat: f64,
    lon: f64,
    weapon: Option<&'static Weapon>,
    target: Option<&'static Target>,
    fatalities: u32,
    injured: u32,
    source_scale: &'static str,
    timestamp: i64,
}

/// Reused text buffers (no per-row allocation once warm).
#[derive(Default)]
struct Bufs {
    notes: String,
    source: String,
    /// The outlets of `source`, for GeoJSON.
    outlets: Vec<(usize, usize)>,
    num: String,
    title: String,
}

fn jitter(rng: &mut fastrand::Rng, lat: f64, lon: f64, min_km: f64, max_km: f64) -> (f64, f64) {
    let r = min_km + (max_km - min_km) * rng.f64();
    let a = std::f64::consts::TAU * rng.f64();
    let dlat = r * a.sin() / 110.57;
    let dlon = r * a.cos() / (111.32 * lat.to_radians().cos());
    (lat + dlat, lon + dlon)
}

/// Pick a weapon valid on day `z` (falls back to none).
fn pick_weapon(
    rng: &mut fastrand::Rng,
    table: &'static [(u32, Option<Weapon>)],
    z: i64,
) -> Option<&'static Weapon> {
    for _ in 0..4 {
        let i = pick(rng, table);
        match table.get(i).and_then(|(_, w)| w.as_ref()) {
            Some(w) if w.since > z => continue,
            other => return other,
        }
    }
    None
}

/// A count in 1..=30 with a long tail (most are 1–3).
fn casualties(rng: &mut fastrand::Rng) -> u32 {
    let x = (rng.f64().powf(3.0) * 31f64.ln()).exp();
    (x.floor() as u32).clamp(1, 30)
}

struct Generator<'w> {
    world: &'w World,
    days: &'w Days,
    rng: fastrand::Rng,
    bufs: Bufs,
}

impl<'w> Generator<'w> {
    fn row(&mut self, id: u64, z: i64) -> Row<'w> {
        let world = self.world;
        let days = self.days;
        let rng = &mut self.rng;
        let place = world.sample(rng, z);
        let region = world
            .regions
            .get(place.region)
            .or_else(|| world.regions.first());
        // `World::embedded` guarantees at least one region.
        let region = match region {
            Some(r) => r,
            None => &FALLBACK_REGION,
        };
        // Within artillery range of the front or the border (else missiles and drones).
        let d = place.front_km.min(place.border_km);
        let near = d < 40.0 && rng.f64() < (-d / 40.0).exp();
        let ukrainian_actor = place.occupied && rng.f64() < 0.8;
        let kind = if ukrainian_actor {
            if rng.f64() < 0.6 {
                Kind::Shelling
            } else {
                Kind::AirDrone
            }
        } else if near {
            match KINDS_NEAR[pick(rng, KINDS_NEAR)].1 {
                Kind::Clash if place.front_km > 30.0 => Kind::Shelling,
                k => k,
            }
        } else {
            KINDS_FAR[pick(rng, KINDS_FAR)].1
        };
        let weapon = match kind {
            _ if ukrainian_actor => pick_weapon(rng, WEAPONS_UKRAINIAN, z),
            Kind::Shelling if near => pick_weapon(rng, WEAPONS_SHELLING_NEAR, z),
            Kind::Shelling => pick_weapon(rng, WEAPONS_SHELLING_FAR, z),
            Kind::AirDrone if near => pick_weapon(rng, WEAPONS_AIR_NEAR, z),
            Kind::AirDrone => pick_weapon(rng, WEAPONS_AIR_FAR, z),
            Kind::Explosive | Kind::Clash => None,
        };
        let target = match kind {
            Kind::Shelling | Kind::AirDrone if rng.f64() < 0.45 => {
                let t = TARGETS.get(pick(rng, TARGETS)).map(|(_, t)| t);
                // Ports only where there are sea or river ports.
                match t {
                    Some(t)
                        if t.object == "port infrastructure"
                            && !matches!(region.acled, "Odesa" | "Mykolaiv" | "Kherson") =>
                    {
                        TARGETS.first().map(|(_, t)| t)
                    }
                    t => t,
                }
            }
            _ => None,
        };
        let (fatalities, injured) = match kind {
            Kind::Clash if rng.f64() < 0.15 => (casualties(rng), 0),
            Kind::Explosive if rng.f64() < 0.4 => (rng.u32(1..=2), rng.u32(0..=2)),
            Kind::Shelling | Kind::AirDrone if rng.f64() < 0.2 => {
                let k = casualties(rng);
                (k, rng.u32(0..=k * 3))
            }
            Kind::Shelling | Kind::AirDrone if rng.f64() < 0.15 => (0, rng.u32(1..=6)),
            _ => (0, 0),
        };
        let civilian = kind != Kind::Clash
            && (fatalities > 0 || injured > 0 || target.is_some() && rng.f64() < 0.5);
        let (actor2, inter2, interaction) = match kind {
            Kind::Clash => (UKRAINE, "State forces", "State forces-State forces"),
            _ if civilian => ("Civilians (Ukraine)", "Civilians", "State forces-Civilians"),
            _ => ("", "", "State forces only"),
        };
        let assoc_actor_2 = match target.map(|t| t.schema) {
            Some("healthcare") if civilian => "Health Workers (Ukraine)",
            _ => "",
        };
        let time_precision = match rng.u32(0..100) {
            0..90 => 1,
            90..98 => 2,
            _ => 3,
        };
        let geo_precision = match rng.u32(0..100) {
            0..80 => 1,
            80..95 => 2,
            _ => 3,
        };
        let (lat, lon) = match geo_precision {
            1 => jitter(rng, place.lat, place.lon, 0.5, 3.0),
            2 => jitter(rng, place.lat, place.lon, 3.0, 10.0),
            _ => (region.lat, region.lon),
        };
        let range = match time_precision {
            2 => Some((
                days.get((z - 3).max(FIRST_DAY)),
                days.get((z + 3).min(LAST_DAY)),
            )),
            3 => Some((
                days.get((z - 15).max(FIRST_DAY)),
                days.get((z + 15).min(LAST_DAY)),
            )),
            _ => None,
        };

        // Sources.
        let bufs = &mut self.bufs;
        bufs.source.clear();
        bufs.outlets.clear();
        let source_scale = if kind == Kind::Clash {
            let (s, scale) = BATTLE_SOURCES[rng.usize(0..BATTLE_SOURCES.len())];
            for part in s.split("; ") {
                push_outlet(bufs, part);
            }
            scale
        } else {
            let national = NATIONAL[rng.usize(0..NATIONAL.len())];
            match rng.u32(0..100) {
                0..35 => {
                    push_outlet(bufs, &region.administration);
                    "Subnational"
                }
                35..65 => {
                    push_outlet(bufs, national);
                    "National"
                }
                65..92 => {
                    push_outlet(bufs, &region.administration);
                    push_outlet(bufs, national);
                    "Subnational-National"
                }
                _ => {
                    push_outlet(bufs, "Telegram");
                    push_outlet(bufs, national);
                    "New media-National"
                }
            }
        };
        let timestamp =
            days.get(z).unix + 86_400 * i64::from(rng.u32(3..21)) + i64::from(rng.u32(0..86_400));

        let row = Row {
            id,
            day: days.get(z),
            range,
            time_precision,
            geo_precision,
            kind,
            actor1: if ukrainian_actor { UKRAINE } else { RUSSIA },
            actor2,
            assoc_actor_2,
            inter2,
            interaction,
            civilian,
            place,
            region,
            lat,
            lon,
            weapon,
            target,
            fatalities,
            injured,
            source_scale,
            timestamp,
        };
        write_notes(&mut self.rng, &mut self.bufs.notes, &row);
        row
    }
}

fn push_outlet(bufs: &mut Bufs, s: &str) {
    if !bufs.source.is_empty() {
        bufs.source.push_str("; ");
    }
    let start = bufs.source.len();
    bufs.source.push_str(s);
    bufs.outlets.push((start, bufs.source.len()));
}

/// Only used if the world had no regions, which `World::embedded` rules out.
static FALLBACK_REGION: Region = Region {
    acled: "Kyiv",
    ours: "Kyiv Oblast",
    administration: String::new(),
    lat: 50.45,
    lon: 30.52,
};

/// Append `s` if the notes stay within `max` characters.
fn push_within(notes: &mut String, s: &str, max: usize) -> bool {
    let fits = notes.chars().count() + 1 + s.chars().count() <= max;
    if fits {
        notes.push(' ');
        notes.push_str(s);
    }
    fits
}

/// The notes column: ACLED-style prose, 60–250 characters.
fn write_notes(rng: &mut fastrand::Rng, out: &mut String, r: &Row<'_>) {
    const MIN: usize = 60;
    const MAX: usize = 250;
    out.clear();
    // Opening with the date.
    match r.time_precision {
        1 => {
            let _ = write!(out, "On {},", r.day.acled);
        }
        2 => {
            let _ = write!(out, "On or around {},", r.day.acled);
        }
        _ => {
            let _ = write!(out, "In {},", r.day.month);
        }
    }
    // Where: three ways ACLED writes it (Kyiv City and Sevastopol only the first: they are
    // no "region" with raions).
    let city = r.region.acled.ends_with("City") || r.region.acled == "Sevastopol";
    let loc = |out: &mut String, rng: &mut fastrand::Rng| match rng.u32(0..20) {
        n if city || n < 9 => {
            let _ = write!(out, "{} ({})", r.place.name, r.region.acled);
        }
        9..16 => {
            let _ = write!(out, "{} ({} region)", r.place.name, r.region.acled);
        }
        _ => {
            let _ = write!(
                out,
                "{}, {} raion, {} region",
                r.place.name, r.place.admin2, r.region.acled
            );
        }
    };
    let russian = r.actor1 == RUSSIA;
    let forces = if russian {
        "Russian forces"
    } else {
        "Ukrainian forces"
    };
    let mut target_said = false;
    match r.kind {
        Kind::Clash => match rng.u32(0..3) {
            0 => {
                out.push_str(" Russian and Ukrainian forces clashed near ");
                loc(out, rng);
                out.push('.');
            }
            1 => {
                out.push_str(" Ukrainian forces repelled a Russian assault near ");
                loc(out, rng);
                out.push('.');
            }
            _ => {
                out.push_str(" Russian forces attempted to advance near ");
                loc(out, rng);
                out.push_str(" and clashed with Ukrainian forces.");
            }
        },
        Kind::Explosive => match rng.u32(0..3) {
            0 => {
                out.push_str(" a civilian vehicle hit a landmine near ");
                loc(out, rng);
                out.push('.');
            }
            1 => {
                out.push_str(" an unexploded ordnance detonated in ");
                loc(out, rng);
                out.push('.');
            }
            _ => {
                out.push_str(" an IED exploded near ");
                loc(out, rng);
                out.push('.');
            }
        },
        Kind::Shelling | Kind::AirDrone => {
            let verb = match (r.kind, r.weapon.is_some()) {
                (Kind::Shelling, false) => "shelled",
                (Kind::Shelling, true) => "struck",
                (_, false) => "carried out an airstrike on",
                (_, true) => "attacked",
            };
            let _ = write!(out, " {forces} {verb} ");
            loc(out, rng);
            if let Some(w) = r.weapon {
                let _ = write!(out, " with {}", w.text);
            }
            match r.target {
                Some(t) if rng.bool() => {
                    let _ = write!(out, ", hitting {}.", t.object);
                    target_said = true;
                }
                _ => out.push('.'),
            }
        }
    }
    if !target_said && let Some(t) = r.target {
        push_within(out, t.damaged, MAX);
    }
    // Casualties.
    let mut num = String::new();
    let casualty = match (r.kind, r.fatalities, r.injured) {
        (Kind::Clash, k, _) if k > 0 => {
            let _ = write!(num, "{k} fatalities were reported.");
            num.as_str()
        }
        (_, 1, 0) => "1 civilian was killed.",
        (_, 1, i) => {
            let _ = write!(num, "1 civilian was killed and {i} injured.");
            num.as_str()
        }
        (_, k, 0) if k > 1 => {
            let _ = write!(num, "{k} civilians were killed.");
            num.as_str()
        }
        (_, k, i) if k > 1 => {
            let _ = write!(num, "{k} civilians were killed and {i} injured.");
            num.as_str()
        }
        (_, _, 1) => "1 civilian was injured.",
        (_, _, i) if i > 1 => {
            let _ = write!(num, "{i} civilians were injured.");
            num.as_str()
        }
        _ => match rng.u32(0..3) {
            0 => "No casualties reported.",
            1 => "Casualties unknown.",
            _ => "No fatalities reported.",
        },
    };
    push_within(out, casualty, MAX);
    // Colour.
    let extras = match rng.u32(0..100) {
        0..70 => 0,
        70..94 => 1,
        _ => 2,
    };
    for _ in 0..extras {
        let drones = r.weapon.is_some_and(|w| w.schema == "drone") && r.kind == Kind::AirDrone;
        let s = if drones && rng.bool() {
            EXTRAS_DRONES[rng.usize(0..EXTRAS_DRONES.len())]
        } else if r.kind == Kind::Clash {
            if russian {
                "The Ukrainian General Staff reported the clash."
            } else {
                "Both sides claimed gains in the area."
            }
        } else {
            EXTRAS[rng.usize(0..EXTRAS.len())]
        };
        if out.contains(s) {
            continue;
        }
        push_within(out, s, MAX);
    }
    while out.chars().count() < MIN {
        push_within(out, "Casualties unknown.", MAX);
    }
}

// ---------------------------------------------------------------------------------------------
// Writers
// ---------------------------------------------------------------------------------------------

/// Counts bytes on their way to the real writer.
struct Counting<'a> {
    inner: &'a mut dyn Write,
    bytes: u64,
}

impl Write for Counting<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Write `opts.rows` synthetic events to `out` (buffered internally; flushed at the end).
pub fn generate(opts: &GenOptions, out: &mut dyn Write) -> io::Result<GenStats> {
    let world = World::embedded()?;
    let days = Days::new();
    let mut rng = fastrand::Rng::with_seed(opts.seed);
    let counts = day_counts(opts.rows, &mut rng);
    let mut generator = Generator {
        world: &world,
        days: &days,
        rng,
        bufs: Bufs::default(),
    };
    let mut counting = Counting {
        inner: out,
        bytes: 0,
    };
    // Newest first, as ACLED exports; ids grow with time.
    let newest_first = counts
        .iter()
        .enumerate()
        .rev()
        .flat_map(|(d, &c)| std::iter::repeat_n(FIRST_DAY + d as i64, c));
    let first_id = 100_000u64;
    let ids = (0..opts.rows as u64).rev().map(|i| first_id + i);
    match opts.format {
        GenFormat::Acled => {
            let mut w = csv::WriterBuilder::new()
                .buffer_capacity(1 << 20)
                .from_writer(&mut counting);
            w.write_record(ACLED_HEADER)?;
            for (id, z) in ids.zip(newest_first) {
                let row = generator.row(id, z);
                write_acled(&mut w, &row, &mut generator.bufs)?;
            }
            w.flush()?;
        }
        GenFormat::Geojson => {
            let mut w = io::BufWriter::with_capacity(1 << 20, &mut counting);
            w.write_all(
                b"{\"type\":\"FeatureCollection\",\"name\":\"strikemap synthetic events\",\"features\":[",
            )?;
            for (n, (id, z)) in ids.zip(newest_first).enumerate() {
                let row = generator.row(id, z);
                w.write_all(if n == 0 { b"\n" } else { b",\n" })?;
                write_feature(&mut w, &row, &mut generator.bufs)?;
            }
            w.write_all(b"\n]}\n")?;
            w.flush()?;
        }
    }
    Ok(GenStats {
        rows: opts.rows,
        bytes: counting.bytes,
    })
}

fn write_acled<W: Write>(w: &mut csv::Writer<W>, r: &Row<'_>, bufs: &mut Bufs) -> csv::Result<()> {
    let num = &mut bufs.num;
    let field = |w: &mut csv::Writer<W>, s: &str| w.write_field(s);
    num.clear();
    let _ = write!(num, "UKR{}", r.id);
    field(w, num)?;
    field(w, &r.day.acled)?;
    field(w, &r.day.year)?;
    field(w, digit(r.time_precision))?;
    field(w, "Political violence")?;
    field(w, r.kind.event_type())?;
    field(w, r.kind.sub_event_type())?;
    field(w, r.actor1)?;
    field(w, "")?;
    field(w, "State forces")?;
    field(w, r.actor2)?;
    field(w, r.assoc_actor_2)?;
    field(w, r.inter2)?;
    field(w, r.interaction)?;
    field(w, if r.civilian { "Civilian targeting" } else { "" })?;
    field(w, "804")?;
    field(w, "Europe")?;
    field(w, "Ukraine")?;
    field(w, r.region.acled)?;
    field(
        w,
        if r.geo_precision == 3 {
            ""
        } else {
            &r.place.admin2
        },
    )?;
    field(
        w,
        if r.geo_precision == 3 {
            ""
        } else {
            &r.place.admin3
        },
    )?;
    field(w, &r.place.name)?;
    num.clear();
    let _ = write!(num, "{:.4}", r.lat);
    field(w, num)?;
    num.clear();
    let _ = write!(num, "{:.4}", r.lon);
    field(w, num)?;
    field(w, digit(r.geo_precision))?;
    field(w, &bufs.source)?;
    field(w, r.source_scale)?;
    field(w, &bufs.notes)?;
    num.clear();
    let _ = write!(num, "{}", r.fatalities);
    field(w, num)?;
    field(w, "")?;
    num.clear();
    let _ = write!(num, "{}", r.timestamp);
    field(w, num)?;
    w.write_record(None::<&[u8]>)
}

fn digit(d: u8) -> &'static str {
    match d {
        1 => "1",
        2 => "2",
        _ => "3",
    }
}

#[derive(Serialize)]
struct Feature<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: &'a str,
    geometry: Point,
    properties: Properties<'a>,
}

#[derive(Serialize)]
struct Point {
    #[serde(rename = "type")]
    kind: &'static str,
    coordinates: [f64; 2],
}

#[derive(Serialize)]
struct Properties<'a> {
    title: &'a str,
    time_start: &'a str,
    time_end: &'a str,
    time_precision: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_note: Option<&'static str>,
    location_precision: &'static str,
    place: &'a str,
    admin1: &'static str,
    country: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    weapon: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    weapon_detail: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<&'static str>,
    killed: Option<u32>,
    injured: Option<u32>,
    description: &'a str,
    sources: Vec<Source<'a>>,
    event_type: &'static str,
    sub_event_type: &'static str,
    actor1: &'static str,
}

#[derive(Serialize)]
struct Source<'a> {
    outlet: &'a str,
    published: &'a str,
}

/// Four decimals, as the ACLED rows have.
fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

fn write_feature<W: Write>(w: &mut W, r: &Row<'_>, bufs: &mut Bufs) -> io::Result<()> {
    bufs.num.clear();
    let _ = write!(bufs.num, "SYN{}", r.id);
    bufs.title.clear();
    let _ = write!(bufs.title, "{} — {}", r.kind.sub_event_type(), r.place.name);
    let (start, end) = r.range.unwrap_or((r.day, r.day));
    let published = &r.day.iso;
    let weapon = match (r.weapon, r.kind) {
        (Some(w), _) => Some(w.schema),
        (None, Kind::Shelling) => Some("artillery"),
        (None, Kind::AirDrone) => Some("unknown"),
        (None, Kind::Explosive) => Some("other"),
        (None, Kind::Clash) => None,
    };
    let feature = Feature {
        kind: "Feature",
        id: &bufs.num,
        geometry: Point {
            kind: "Point",
            coordinates: [round4(r.lon), round4(r.lat)],
        },
        properties: Properties {
            title: &bufs.title,
            time_start: &start.iso,
            time_end: &end.iso,
            time_precision: if r.range.is_some() { "range" } else { "day" },
            time_note: match r.time_precision {
                2 => Some("Reported as within the week around the stated date"),
                3 => Some("Only the month is known"),
                _ => None,
            },
            location_precision: match r.geo_precision {
                1 => "settlement",
                2 => "district",
                _ => "region",
            },
            place: &r.place.name,
            admin1: r.region.ours,
            country: "Ukraine",
            weapon,
            weapon_detail: r.weapon.map(|w| w.text),
            target: r.target.map(|t| t.schema),
            killed: (r.fatalities > 0).then_some(r.fatalities),
            injured: (r.injured > 0).then_some(r.injured),
            description: &bufs.notes,
            sources: bufs
                .outlets
                .iter()
                .filter_map(|&(a, b)| bufs.source.get(a..b))
                .map(|outlet| Source { outlet, published })
                .collect(),
            event_type: r.kind.event_type(),
            sub_event_type: r.kind.sub_event_type(),
            actor1: r.actor1,
        },
    };
    serde_json::to_writer(w, &feature).map_err(io::Error::other)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{Format, load_bytes};

    fn gen_bytes(rows: usize, format: GenFormat, seed: u64) -> Vec<u8> {
        let mut out = Vec::new();
        let stats = generate(&GenOptions { rows, format, seed }, &mut out).unwrap();
        assert_eq!(stats.rows, rows);
        assert_eq!(stats.bytes, out.len() as u64);
        out
    }

    #[test]
    fn calendar_round_trips() {
        for z in FIRST_DAY - 400..LAST_DAY + 400 {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m as i64, d), z);
        }
        assert_eq!(civil_from_days(FIRST_DAY), (2022, 2, 24));
        assert_eq!(civil_from_days(LAST_DAY), (2025, 12, 31));
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(
            days_from_civil(2024, 3, 1) - days_from_civil(2024, 2, 28),
            2
        );
    }

    #[test]
    fn adjectives_look_like_raions() {
        assert_eq!(adjective("Bakhmut", true), "Bakhmutskyi");
        assert_eq!(adjective("Kramatorsk", true), "Kramatorskyi");
        assert_eq!(adjective("Odesa", true), "Odeskyi");
        assert_eq!(adjective("Dnipro", true), "Dniprovskyi");
        assert_eq!(adjective("Kharkiv", false), "Kharkivska");
        assert_eq!(adjective("Kurakhivka", false), "Kurakhivska");
        assert_eq!(adjective("Sumy", true), "Sumskyi");
    }

    #[test]
    fn acled_rows_load_completely_and_look_real() {
        let n = 2000;
        let bytes = gen_bytes(n, GenFormat::Acled, 7);
        let r = load_bytes("gen.csv", &bytes).unwrap();
        assert_eq!(r.format, Format::Acled);
        assert_eq!(r.records, n);
        assert!(
            r.rejected.is_empty(),
            "{:?}",
            &r.rejected[..3.min(r.rejected.len())]
        );
        assert_eq!(r.events.len(), n);

        let first = FIRST_DAY * 86_400;
        let last = (LAST_DAY + 1) * 86_400;
        for e in &r.events {
            let day = e.stated_date.unwrap_or(e.time.start);
            assert!((first..last).contains(&day), "{} out of range", e.id);
            let notes = e.description.as_deref().unwrap_or("");
            let len = notes.chars().count();
            assert!((60..=250).contains(&len), "{len}: {notes}");
            assert!((44.0..52.6).contains(&e.location.lat));
            assert!((22.0..40.6).contains(&e.location.lon));
        }
        let body = bytes.len() - bytes.iter().position(|&b| b == b'\n').unwrap() - 1;
        let avg = body as f64 / n as f64;
        assert!((400.0..=560.0).contains(&avg), "average row {avg:.1} bytes");

        // The mix: mostly remote violence, some battles, fatalities mostly 0.
        let text = String::from_utf8(bytes).unwrap();
        let battles = text.matches(",Battles,Armed clash,").count();
        assert!((n / 50..n / 4).contains(&battles), "{battles} battles");
        let killed = r.events.iter().filter(|e| e.killed > Some(0)).count();
        assert!(
            (n / 20..n / 3).contains(&killed),
            "{killed} with fatalities"
        );
        assert!(text.contains("Shahed drones") && text.contains("guided aerial bombs"));
        // Weighted towards the front: Donetsk and Kharkiv oblasts lead.
        let donetsk = r
            .events
            .iter()
            .filter(|e| e.location.admin1.as_deref() == Some("Donetsk"))
            .count();
        let lviv = r
            .events
            .iter()
            .filter(|e| e.location.admin1.as_deref() == Some("Lviv"))
            .count();
        assert!(donetsk > n / 8 && lviv < donetsk / 5, "{donetsk} vs {lviv}");
    }

    #[test]
    fn bursts_make_some_days_much_busier() {
        let mut rng = fastrand::Rng::with_seed(3);
        let counts = day_counts(1_000_000, &mut rng);
        assert_eq!(counts.iter().sum::<usize>(), 1_000_000);
        let mean = 1_000_000.0 / counts.len() as f64;
        let max = counts.iter().copied().max().unwrap_or(0) as f64;
        assert!(max > 5.0 * mean, "max {max}, mean {mean}");
    }

    #[test]
    fn geojson_loads_completely() {
        let n = 500;
        let bytes = gen_bytes(n, GenFormat::Geojson, 7);
        let r = load_bytes("gen.geojson", &bytes).unwrap();
        assert_eq!(r.format, Format::Geojson);
        assert_eq!(r.records, n);
        assert!(r.rejected.is_empty(), "{:?}", r.rejected.first());
        assert_eq!(r.events.len(), n);
        assert!(r.events.iter().all(|e| e.location.admin1.is_some()));
        assert!(r.events.iter().any(|e| !e.weapons.is_empty()));
        assert!(r.events.iter().any(|e| e.target.is_some()));
    }

    #[test]
    fn same_seed_same_bytes() {
        for format in [GenFormat::Acled, GenFormat::Geojson] {
            let a = gen_bytes(300, format, 42);
            assert_eq!(a, gen_bytes(300, format, 42));
            assert_ne!(a, gen_bytes(300, format, 43));
        }
    }

    #[test]
    fn zero_rows_is_just_the_header() {
        let bytes = gen_bytes(0, GenFormat::Acled, 1);
        assert_eq!(bytes, format!("{}\n", ACLED_HEADER.join(",")).into_bytes());
    }
}
