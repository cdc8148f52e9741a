//! Derive `assets/gazetteer/world.bin.gz` (the world gazetteer, [`super::world`]) from
//! `../shared/geodata/world`: places.tsv (GeoNames cities1000), admin1.geojson and
//! countries.geojson (Natural Earth). Run by the hidden `strikemap build-gazetteer` command;
//! the output is committed, so users and CI never need the source data.
//!
//! Deterministic: everything is written in file or sorted order (hash maps are only looked
//! up), and gzip writes no time stamp or file name.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use ::geo::{Area, BoundingRect, Centroid, Contains, InteriorPoint};

pub use super::build::gzip;
use super::build::{BuildError, TsvPlace, read_collection, read_places_tsv};
use super::place_names::{fold, kept_script};
use super::world::{WORLD_VERSION, WorldAdmin1, WorldCountry, WorldData, WorldPlace, WorldRegion};

/// Country names records use that Natural Earth's NAME/NAME_EN/NAME_UK lack (ADM0_A3 →
/// aliases): official long forms, common short forms, and the Arabic and Russian names of
/// the countries the conflict data is mostly about.
const COUNTRY_ALIASES: &[(&str, &[&str])] = &[
    ("USA", &["United States", "America", "U.S.", "U.S.A."]),
    ("GBR", &["UK", "U.K.", "Great Britain", "Britain"]),
    (
        "RUS",
        &["Russian Federation", "Россия", "Российская Федерация"],
    ),
    ("UKR", &["Украина", "Ukraina"]),
    ("BLR", &["Belarus", "Беларусь", "Білорусь"]),
    ("SYR", &["Syrian Arab Republic", "سوريا", "سورية"]),
    ("IRN", &["Islamic Republic of Iran", "Iran", "إيران"]),
    ("IRQ", &["العراق"]),
    ("YEM", &["اليمن"]),
    ("SDN", &["السودان"]),
    ("LBN", &["لبنان"]),
    ("LBY", &["ليبيا"]),
    ("JOR", &["الأردن"]),
    ("EGY", &["مصر"]),
    ("SAU", &["السعودية"]),
    ("ISR", &["إسرائيل"]),
    (
        "PSX",
        &[
            "State of Palestine",
            "Palestinian Territories",
            "Occupied Palestinian Territory",
            "فلسطين",
        ],
    ),
    (
        "COD",
        &[
            "Democratic Republic of Congo",
            "DR Congo",
            "DRC",
            "Congo-Kinshasa",
        ],
    ),
    ("COG", &["Republic of Congo", "Congo-Brazzaville", "Congo"]),
    ("CIV", &["Cote d'Ivoire"]),
    ("CZE", &["Czechia"]),
    ("MKD", &["Macedonia"]),
    ("SWZ", &["Swaziland"]),
    ("TUR", &["Türkiye", "Turkiye"]),
    ("MMR", &["Burma"]),
    ("KOR", &["South Korea", "Republic of Korea"]),
    ("PRK", &["North Korea"]),
    ("VNM", &["Viet Nam"]),
    ("MDA", &["Republic of Moldova"]),
    ("SDS", &["South Sudan"]),
    ("CAF", &["CAR"]),
];

fn prop(f: &geojson::Feature, key: &str) -> String {
    f.property(key)
        .and_then(|v| v.as_str())
        .map(|s| s.trim().to_owned())
        .unwrap_or_default()
}

fn multipolygon(f: &geojson::Feature) -> Option<::geo::MultiPolygon<f64>> {
    match ::geo::Geometry::<f64>::try_from(&f.geometry.as_ref()?.value).ok()? {
        ::geo::Geometry::Polygon(p) => Some(::geo::MultiPolygon(vec![p])),
        ::geo::Geometry::MultiPolygon(mp) => Some(mp),
        _ => None,
    }
}

/// A point standing for an area: the centroid of its largest polygon if that lies inside it,
/// else an interior point of that polygon (never in the sea or a neighbour).
fn representative_point(mp: &::geo::MultiPolygon<f64>) -> Option<(i32, i32)> {
    let largest =
        mp.0.iter()
            .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))?;
    let p = largest
        .centroid()
        .filter(|c| largest.contains(c))
        .or_else(|| largest.interior_point())?;
    Some(((p.y() * 1e5).round() as i32, (p.x() * 1e5).round() as i32))
}

/// Names deduplicated by folded form, first spelling kept, empty ones dropped.
fn dedup_names(names: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen = HashSet::new();
    names
        .into_iter()
        .filter(|n| !n.is_empty() && seen.insert(fold(n)))
        .collect()
}

fn countries(dir: &Path) -> Result<Vec<WorldCountry>, BuildError> {
    let mut out: Vec<WorldCountry> = Vec::new();
    for f in read_collection(dir, "countries.geojson")? {
        let iso3 = prop(&f, "ADM0_A3");
        let Some(mp) = multipolygon(&f).filter(|_| !iso3.is_empty()) else {
            continue;
        };
        let Some((lat, lon)) = representative_point(&mp) else {
            continue;
        };
        let iso2 = Some(prop(&f, "ISO_A2"))
            .filter(|s| s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase()))
            .unwrap_or_default();
        let aliases = COUNTRY_ALIASES
            .iter()
            .filter(|(c, _)| *c == iso3)
            .flat_map(|(_, a)| a.iter().map(|s| (*s).to_owned()));
        let names = [prop(&f, "NAME_EN"), prop(&f, "NAME"), prop(&f, "NAME_UK")];
        let names = dedup_names(names.into_iter().chain(aliases));
        out.push(WorldCountry {
            iso2,
            iso3,
            names,
            lat,
            lon,
        });
    }
    out.sort_by(|a, b| a.iso3.cmp(&b.iso3));
    out.dedup_by(|a, b| a.iso3 == b.iso3);
    Ok(out)
}

/// An alternate name worth keeping: Latin, Cyrillic or Arabic script (one of them), not a
/// code (IATA "HRK"), not a machine romanisation (all lower case: "kharkwf", "ha er ke fu"),
/// not a "name, region" phrase.
fn keep_alternate(alt: &str) -> bool {
    if alt.is_empty() || alt.chars().count() > 60 || alt.contains([',', '،']) {
        return false;
    }
    if !kept_script(alt) {
        return false;
    }
    let latin = alt
        .chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(|c| u32::from(c) <= 0x024F || (0x1E00..=0x1EFF).contains(&u32::from(c)));
    if latin {
        let code = alt.len() <= 4 && alt.bytes().all(|b| b.is_ascii_uppercase());
        if code || !alt.chars().any(char::is_uppercase) {
            return false;
        }
    }
    true
}

/// A place row as read, before admin1 names become indices.
struct Row {
    id: u64,
    place: WorldPlace,
    admin1: String,
}

fn read_places(dir: &Path) -> Result<Vec<Row>, BuildError> {
    let mut rows = read_places_tsv(dir, |p| {
        let field = |i: usize| p.fields[i];
        let (Some(&a), Some(&b)) = (field(4).as_bytes().first(), field(4).as_bytes().get(1)) else {
            return None;
        };
        let place_name = field(1).to_owned();
        let mut seen = HashSet::from([fold(&place_name)]);
        let alternates: Vec<&str> = field(7)
            .split('|')
            .map(str::trim)
            .filter(|a| keep_alternate(a) && seen.insert(fold(a)))
            .collect();
        Some(Row {
            id: field(0).parse().unwrap_or(0),
            place: WorldPlace {
                name: place_name,
                alternates: alternates.join("|"),
                lat: TsvPlace::scaled(p.lat),
                lon: TsvPlace::scaled(p.lon),
                country: [a, b],
                admin1: None,
                population: field(6).parse().unwrap_or(0),
            },
            admin1: field(5).to_owned(),
        })
    })?;
    rows.sort_by(|x, y| {
        (x.place.country, std::cmp::Reverse(x.place.population), x.id).cmp(&(
            y.place.country,
            std::cmp::Reverse(y.place.population),
            y.id,
        ))
    });
    Ok(rows)
}

/// Natural Earth admin-1 regions joined to GeoNames admin1 names: each region takes the
/// admin1 name most of the same-country places inside its polygon carry (places.tsv has
/// names, not the codes admin1.geojson carries). GeoNames admin1s that no region took become
/// regions of their own at their largest place.
fn regions(
    dir: &Path,
    places: &[WorldPlace],
    admin1: &[WorldAdmin1],
) -> Result<Vec<WorldRegion>, BuildError> {
    // 1° grid of places (looked up only, so its order never reaches the output).
    let mut grid: HashMap<(i32, i32), Vec<usize>> = HashMap::new();
    for (i, p) in places.iter().enumerate() {
        grid.entry((p.lon.div_euclid(100_000), p.lat.div_euclid(100_000)))
            .or_default()
            .push(i);
    }
    let mut out = Vec::new();
    let mut taken = vec![false; admin1.len()];
    for f in read_collection(dir, "admin1.geojson")? {
        let Some(mp) = multipolygon(&f) else {
            continue;
        };
        let (Some((lat, lon)), Some(bbox)) = (representative_point(&mp), mp.bounding_rect()) else {
            continue;
        };
        let country = prop(&f, "iso_a2");
        let mut votes: BTreeMap<u32, (u32, u64)> = BTreeMap::new();
        let mut population = 0u64;
        let cells = |a: f64, b: f64| (a.floor() as i32)..=(b.floor() as i32);
        for cx in cells(bbox.min().x, bbox.max().x) {
            for cy in cells(bbox.min().y, bbox.max().y) {
                for &i in grid.get(&(cx, cy)).map_or(&[][..], Vec::as_slice) {
                    let p = &places[i];
                    let pt = ::geo::Point::new(f64::from(p.lon) / 1e5, f64::from(p.lat) / 1e5);
                    if p.country != country.as_bytes() || !mp.contains(&pt) {
                        continue;
                    }
                    population += u64::from(p.population);
                    if let Some(a) = p.admin1 {
                        let v = votes.entry(a).or_default();
                        v.0 += 1;
                        v.1 += u64::from(p.population);
                    }
                }
            }
        }
        let joined = votes
            .iter()
            .max_by_key(|(a, v)| (v.0, v.1, std::cmp::Reverse(**a)))
            .map(|(a, _)| *a);
        let gn_name = joined
            .and_then(|a| admin1.get(a as usize))
            .map(|a| a.name.clone());
        if let Some(a) = joined.and_then(|a| taken.get_mut(a as usize)) {
            *a = true;
        }
        let names = [prop(&f, "name_en"), prop(&f, "name"), prop(&f, "name_uk")];
        out.push(WorldRegion {
            names: dedup_names(names.into_iter().chain(gn_name)),
            kind: prop(&f, "type_en"),
            country,
            admin1: joined,
            lat,
            lon,
            population,
        });
    }
    for (a, entry) in admin1.iter().enumerate() {
        if taken.get(a).copied().unwrap_or(true) {
            continue;
        }
        let a = u32::try_from(a).unwrap_or(u32::MAX);
        let mine = places.iter().filter(|p| p.admin1 == Some(a));
        // Places are sorted by population, so the first is the largest.
        let Some(first) = mine.clone().next() else {
            continue;
        };
        out.push(WorldRegion {
            names: vec![entry.name.clone()],
            kind: String::new(),
            country: entry.country.clone(),
            admin1: Some(a),
            lat: first.lat,
            lon: first.lon,
            population: mine.map(|p| u64::from(p.population)).sum(),
        });
    }
    Ok(out)
}

/// Read the world geodata folder and produce the gazetteer data.
pub fn build(dir: &Path) -> Result<WorldData, BuildError> {
    let rows = read_places(dir)?;
    let admin1: Vec<WorldAdmin1> = rows
        .iter()
        .filter(|r| !r.admin1.is_empty())
        .map(|r| WorldAdmin1 {
            country: String::from_utf8_lossy(&r.place.country).into_owned(),
            name: r.admin1.clone(),
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let index: HashMap<(&str, &str), u32> = admin1
        .iter()
        .enumerate()
        .map(|(i, a)| {
            (
                (a.country.as_str(), a.name.as_str()),
                u32::try_from(i).unwrap_or(0),
            )
        })
        .collect();
    let places: Vec<WorldPlace> = rows
        .iter()
        .map(|r| {
            let country = String::from_utf8_lossy(&r.place.country);
            WorldPlace {
                admin1: index.get(&(country.as_ref(), r.admin1.as_str())).copied(),
                ..r.place.clone()
            }
        })
        .collect();
    let regions = regions(dir, &places, &admin1)?;
    Ok(WorldData {
        version: WORLD_VERSION,
        countries: countries(dir)?,
        admin1,
        regions,
        places,
    })
}

/// The postcard encoding of the data (what the asset holds, gzipped).
pub fn encode(data: &WorldData) -> Result<Vec<u8>, BuildError> {
    postcard::to_allocvec(data)
        .map_err(|e| BuildError::Parse("world.bin".to_owned(), e.to_string()))
}

/// Build and write the gazetteer asset; returns (gzipped size, inflated size) in bytes.
pub fn build_to_file(dir: &Path, out: &Path) -> Result<(usize, usize), BuildError> {
    let raw = encode(&build(dir)?)?;
    let gz = gzip(&raw)?;
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| BuildError::Io(parent.display().to_string(), e))?;
    }
    std::fs::write(out, &gz).map_err(|e| BuildError::Io(out.display().to_string(), e))?;
    Ok((gz.len(), raw.len()))
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    /// The committed asset.
    const COMMITTED: &[u8] = include_bytes!("../../assets/gazetteer/world.bin.gz");

    /// `../shared/geodata/world`, or `None` (with the reason printed) on a developer machine
    /// without it; under CI (`CI=true`) its absence fails the test instead of passing it.
    fn shared_world_geodata() -> Option<std::path::PathBuf> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/geodata/world");
        if dir.join("places.tsv").exists() {
            return Some(dir);
        }
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{} is missing under CI",
            dir.display()
        );
        eprintln!("skipped: {} is missing", dir.display());
        None
    }

    #[test]
    fn rebuilding_from_shared_geodata_matches_the_committed_asset() {
        let Some(dir) = shared_world_geodata() else {
            return;
        };
        let raw = encode(&build(&dir).unwrap()).unwrap();
        let mut committed = Vec::new();
        flate2::read::GzDecoder::new(COMMITTED)
            .read_to_end(&mut committed)
            .unwrap();
        assert!(
            raw == committed,
            "assets/gazetteer/world.bin.gz is stale: run `cargo run --release -- build-gazetteer`"
        );
        assert!(
            gzip(&raw).unwrap() == COMMITTED,
            "assets/gazetteer/world.bin.gz holds the same data but another gzip stream (the \
             flate2 backend changed?): run `cargo run --release -- build-gazetteer`"
        );
    }

    #[test]
    fn the_asset_fits_the_budget() {
        assert!(COMMITTED.len() <= 6_000_000, "{} bytes", COMMITTED.len());
    }

    #[test]
    fn alternates_kept_and_dropped() {
        for keep in [
            "Kharkov",
            "Харків",
            "الموصل",
            "Al-Fāshir",
            "Sana'a",
            "al-Fashir",
        ] {
            assert!(keep_alternate(keep), "{keep}");
        }
        for drop in [
            "HRK",
            "kharkwf",
            "ha er ke fu",
            "Μοσούλη",
            "מוסול",
            "bwdy, karkyfska",
            "",
        ] {
            assert!(!keep_alternate(drop), "{drop}");
        }
    }
}
