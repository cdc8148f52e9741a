//! Where events happen: Ukraine's oblasts and places taken from the embedded basemap
//! gazetteer, the front line and the Russian border, and the sampling weights derived from
//! them.

use std::io;

use super::calendar::days_from_civil;
use crate::geo::{BasemapData, COORD_SCALE, LineKind, Lod, decode};

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
    /// A ring of (lon, lat) points for `region` (`usize::MAX`: not yet known).
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

    /// Whether the point is inside (the box test first: it rules out most rings).
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
pub(super) struct Region {
    /// ACLED spelling ("Zaporizhia", "Kyiv City").
    pub(super) acled: &'static str,
    /// Our schema's spelling ("Zaporizhzhia Oblast").
    pub(super) ours: &'static str,
    /// "Kharkiv Regional Military Administration".
    pub(super) administration: String,
    /// A point inside the region (the geo_precision 3 location).
    pub(super) lat: f64,
    pub(super) lon: f64,
}

/// A place events can happen at.
pub(super) struct Place {
    pub(super) name: String,
    pub(super) region: usize,
    /// Raion, ACLED style ("Bakhmutskyi").
    pub(super) admin2: String,
    /// Hromada, ACLED style ("Bakhmutska").
    pub(super) admin3: String,
    pub(super) lat: f64,
    pub(super) lon: f64,
    /// Distance to the front line in km.
    pub(super) front_km: f64,
    /// Distance to the Russian border (Chernihiv–Sumy–Kharkiv) in km.
    pub(super) border_km: f64,
    /// In occupied territory (roughly).
    pub(super) occupied: bool,
}

/// Places and their sampling weights.
pub(super) struct World {
    /// The oblasts; `Place::region` indexes this.
    pub(super) regions: Vec<Region>,
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

/// Ukraine's regions in the basemap, and a point inside each as (lon, lat), in the same order.
fn ukrainian_regions(data: &BasemapData) -> (Vec<Region>, Vec<(f64, f64)>) {
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
    (regions, centres)
}

/// Every detailed region boundary ring of the basemap (of any country) that reaches the
/// area around Ukraine, not yet given a region (the basemap holds the world's 4,600).
fn oblast_rings(data: &BasemapData) -> Vec<Ring> {
    let near = |points: &[(f64, f64)]| {
        points
            .iter()
            .any(|&(lon, lat)| (18.0..=44.0).contains(&lon) && (42.0..=55.5).contains(&lat))
    };
    data.lines
        .iter()
        .filter(|s| s.kind == LineKind::Oblast && s.lod == Lod::Fine)
        .flat_map(|s| s.lines.iter())
        .map(|l| decode(l))
        .filter(|points| near(points))
        .map(|points| Ring::new(usize::MAX, points))
        .collect()
}

/// The ring of each region, `region` set to its index in `centres`.
///
/// Oblast rings are stored without names: a ring belongs to the region whose interior
/// point it contains (the smallest such ring: Kyiv oblast's ring also encloses Kyiv).
fn region_rings(all_rings: &[Ring], centres: &[(f64, f64)]) -> Vec<Ring> {
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
    rings
}

/// The Ukrainian region ring a point belongs to; `None` outside Ukraine.
///
/// Simplified boundaries leave some towns on rivers and coasts (Kherson) just outside every
/// oblast: those within 5 km of one and inside no foreign region belong to the nearest.
fn ring_of<'r>(lon: f64, lat: f64, rings: &'r [Ring], all_rings: &[Ring]) -> Option<&'r Ring> {
    let inside = rings
        .iter()
        .filter(|r| r.contains(lon, lat))
        .min_by(|a, b| a.area.total_cmp(&b.area));
    match inside {
        Some(r) => Some(r),
        None if all_rings.iter().any(|r| r.contains(lon, lat)) => None,
        None => rings
            .iter()
            .filter_map(|r| Some((r, r.near(lon, lat, 5.0)?)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(r, _)| r),
    }
}

/// The gazetteer's places in Ukraine (raion and hromada names still empty) and, parallel to
/// them, their populations.
fn ukrainian_places(
    data: &BasemapData,
    regions: &[Region],
    rings: &[Ring],
    all_rings: &[Ring],
) -> (Vec<Place>, Vec<u32>) {
    let mut places = Vec::new();
    let mut populations = Vec::new();
    for p in &data.places {
        let lat = f64::from(p.lat) / COORD_SCALE;
        let lon = f64::from(p.lon) / COORD_SCALE;
        if !(44.0..=52.5).contains(&lat) || !(22.0..=40.5).contains(&lon) || p.name.is_empty() {
            continue;
        }
        let Some(ring) = ring_of(lon, lat, rings, all_rings) else {
            continue;
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
    (places, populations)
}

/// Drop city districts from `places` (and `populations`, kept parallel).
///
/// GeoNames lists city districts and microdistricts as places of their own (Saltivka, Rayon
/// KTZ, Obolon): fold them into their city, whose radius grows with its size (a separate town
/// needs a third of the city's population, or a district's name).
fn fold_city_districts(places: &mut Vec<Place>, populations: &mut Vec<u32>) {
    let cities: Vec<(f64, f64, u32, f64)> = places
        .iter()
        .zip(populations.iter())
        .filter(|&(_, &pop)| pop >= 100_000)
        .map(|(p, &pop)| {
            let (x, y) = km(p.lat, p.lon);
            (x, y, pop, 2.0 + 0.4 * (f64::from(pop) / 1000.0).sqrt())
        })
        .collect();
    let keep: Vec<bool> = places
        .iter()
        .zip(populations.iter())
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
}

/// Fill in each place's raion (`admin2`) and hromada (`admin3`), ACLED style.
///
/// Raion: named after the nearest town of 15,000+ in the same oblast; hromada: after the
/// nearest of 2,000+.
fn name_raions_and_hromadas(places: &mut [Place], populations: &[u32], regions: usize) {
    let towns = |min_pop: u32| -> Vec<Vec<usize>> {
        let mut by_region = vec![Vec::new(); regions];
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
}

/// Cumulative sampling weights parallel to `places`; `early`: for the invasion's first weeks
/// (the northern front and Mariupol count as front line).
///
/// Weight: population (sub-linear, so villages at the front outweigh quiet cities) times a
/// factor rising steeply towards the front line and the Russian border, plus a term linear in
/// population for the missile and drone strikes on cities far away.
fn cumulative_weights(places: &[Place], populations: &[u32], early: bool) -> Vec<f64> {
    let mut total = 0.0;
    places
        .iter()
        .zip(populations)
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
}

impl World {
    /// The places and weights of Ukraine in the embedded basemap: its oblasts, the places
    /// inside them (city districts folded into their city) with raion and hromada names, and
    /// the cumulative sampling weights for the invasion's first weeks and for later.
    pub(super) fn embedded() -> io::Result<Self> {
        let data = BasemapData::embedded().map_err(io::Error::other)?;
        let (regions, centres) = ukrainian_regions(&data);
        let all_rings = oblast_rings(&data);
        let rings = region_rings(&all_rings, &centres);
        if rings.is_empty() {
            return Err(io::Error::other(
                "the embedded basemap has no Ukrainian oblast boundaries",
            ));
        }
        let (mut places, mut populations) = ukrainian_places(&data, &regions, &rings, &all_rings);
        fold_city_districts(&mut places, &mut populations);
        if places.is_empty() {
            return Err(io::Error::other(
                "the embedded basemap has no places in Ukraine",
            ));
        }
        name_raions_and_hromadas(&mut places, &populations, regions.len());
        let (cumulative, cumulative_2022) = (
            cumulative_weights(&places, &populations, false),
            cumulative_weights(&places, &populations, true),
        );
        Ok(Self {
            regions,
            places,
            cumulative,
            cumulative_2022,
        })
    }

    /// A place for an event on day `z`.
    pub(super) fn sample(&self, rng: &mut fastrand::Rng, z: i64) -> &Place {
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

/// Only used if the world had no regions, which `World::embedded` rules out.
pub(super) static FALLBACK_REGION: Region = Region {
    acled: "Kyiv",
    ours: "Kyiv Oblast",
    administration: String::new(),
    lat: 50.45,
    lon: 30.52,
};

#[cfg(test)]
mod tests {
    use super::*;

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
}
