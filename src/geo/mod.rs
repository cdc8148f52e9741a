//! The built-in offline basemap: land, water, borders, oblasts, rivers and settlement names,
//! drawn as vectors under the tiles so the map stays readable with no network.
//!
//! The data is derived once from Natural Earth, GSHHG/WDBII and GeoNames by
//! `strikemap build-basemap` ([`build`]) into `assets/basemap/basemap.bin.gz` (gzipped postcard), embedded
//! in the binary. At start it is projected to Web Mercator and polygons are triangulated once
//! ([`Basemap::prepare`]); each frame only transforms vertices and culls by bounding box.

pub mod build;
pub mod build_gazetteer;
mod build_places;
pub mod capitals;
mod place_grid;
pub mod place_names;
mod prepare;
pub use prepare::{FineAreas, FineMeshes};
pub mod uk_names;
pub mod view;
pub mod world;

pub use place_grid::PlaceGrid;
pub use world::WorldGazetteer;

use serde::{Deserialize, Serialize};

use crate::model::mercator;

/// Attribution line for the built-in basemap's sources.
pub const ATTRIBUTION: &str =
    "Natural Earth · GeoNames (CC-BY 4.0) · GSHHG/WDBII, P. Wessel & W.H.F. Smith";

/// The embedded derived data (gzipped postcard; may be empty if it was never built: then no
/// basemap is drawn).
const EMBEDDED_GZ: &[u8] = include_bytes!("../../assets/basemap/basemap.bin.gz");

/// Format version of [`BasemapData`]; bump when the layout changes.
pub const VERSION: u32 = 5;

/// Points (places, regions) are stored as integers in units of 1e-5 degree (1 m), as
/// GeoNames gives them.
pub const COORD_SCALE: f64 = 1e5;

/// Units per degree of the delta-encoded shapes (rings and lines): 1e-4° is 11 m, a pixel at
/// zoom 14 and far finer than the 1:10m sources, while the deltas between neighbouring
/// points stay small enough for postcard's varints to be short.
pub const SHAPE_SCALE: f64 = 1e4;

/// Level of detail: which simplification of land, water and lines a zoom draws. Each level's
/// tolerance stays under about a pixel at the closest zoom that draws it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lod {
    /// The whole world or a continent (zoom below 4.5): simplified to 0.05°.
    World,
    /// Countries and regions (zoom 4.5 to 7): simplified to 0.02°.
    Medium,
    /// Zoom 7 and closer: the sources as they are (about 0.005°).
    Fine,
}

impl Lod {
    /// Every level, coarsest first (the order of [`Basemap::land`] and [`Basemap::lakes`]).
    pub const ALL: [Lod; 3] = [Lod::World, Lod::Medium, Lod::Fine];

    /// The level drawn at `zoom`.
    pub fn for_zoom(zoom: f64) -> Lod {
        if zoom < 4.5 {
            Lod::World
        } else if zoom < 7.0 {
            Lod::Medium
        } else {
            Lod::Fine
        }
    }

    /// Position in [`Lod::ALL`].
    pub fn index(self) -> usize {
        match self {
            Lod::World => 0,
            Lod::Medium => 1,
            Lod::Fine => 2,
        }
    }
}

/// A polygon: exterior ring first, then holes. Each ring is a flat delta-encoded
/// `[lon, lat, dlon, dlat, ...]` list.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct AreaRec {
    /// Rings (exterior first).
    pub rings: Vec<Vec<i32>>,
}

/// Polygons of one level of detail.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AreaSetRec {
    /// Which level these polygons are for.
    pub lod: Lod,
    /// The polygons.
    pub areas: Vec<AreaRec>,
}

/// Which kind of line a [`LineSetRec`] holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineKind {
    /// International land border.
    CountryBorder,
    /// Coastline.
    Coast,
    /// First-level region (oblast, governorate, state) boundary.
    Oblast,
    /// River.
    River,
}

/// Lines of one kind at one level of detail.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LineSetRec {
    /// What these lines are.
    pub kind: LineKind,
    /// Which level they are for.
    pub lod: Lod,
    /// Delta-encoded polylines.
    pub lines: Vec<Vec<i32>>,
}

/// A named place.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PlaceRec {
    /// Latin name (GeoNames).
    pub name: String,
    /// Ukrainian (Cyrillic) name, where GeoNames has one (places of the regional extract).
    pub name_uk: Option<String>,
    /// Latitude × 1e5.
    pub lat: i32,
    /// Longitude × 1e5.
    pub lon: i32,
    /// Population (0 where GeoNames has none).
    pub population: u32,
    /// 0 = national capital, 1 = first-level region centre, 2 = other.
    pub rank: u8,
    /// Country (ISO 3166-1 alpha-2, "UA").
    pub country: String,
}

/// A first-level region (oblast) of the regional extract, for the synthetic data generator.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RegionRec {
    /// English name as Natural Earth spells it ("Odessa", "Kyiv").
    pub name_en: String,
    /// Ukrainian name.
    pub name_uk: Option<String>,
    /// ISO 3166-2 code ("UA-51").
    pub iso: String,
    /// Country (ISO 3166-1 alpha-3).
    pub country: String,
    /// A point inside the region (× 1e5 degrees).
    pub lat: i32,
    /// Longitude of that point (× 1e5).
    pub lon: i32,
}

/// The whole derived dataset as stored (gzipped) in `assets/basemap/basemap.bin.gz`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct BasemapData {
    /// [`VERSION`].
    pub version: u32,
    /// Land (country polygons), one set per level of detail.
    pub land: Vec<AreaSetRec>,
    /// Lakes and reservoirs, one set per level of detail.
    pub lakes: Vec<AreaSetRec>,
    /// Border, coast, region and river lines by kind and level.
    pub lines: Vec<LineSetRec>,
    /// Settlements, sorted by importance (rank, then population descending).
    pub places: Vec<PlaceRec>,
    /// First-level regions of the regional extract with an interior point.
    pub regions: Vec<RegionRec>,
}

impl BasemapData {
    /// Decode the embedded data as stored (no projection or triangulation), e.g. for the
    /// synthetic data generator's places and oblasts.
    pub fn embedded() -> Result<Self, BasemapError> {
        Self::from_gz(EMBEDDED_GZ)
    }

    /// Inflate and decode gzipped basemap data, checking its version.
    pub fn from_gz(gz: &[u8]) -> Result<Self, BasemapError> {
        use std::io::Read;
        if gz.is_empty() {
            return Err(BasemapError::Empty);
        }
        let mut raw = Vec::with_capacity(gz.len() * 3);
        flate2::read::GzDecoder::new(gz)
            .read_to_end(&mut raw)
            .map_err(|e| BasemapError::Inflate(e.to_string()))?;
        let data: BasemapData = postcard::from_bytes(&raw)?;
        if data.version != VERSION {
            return Err(BasemapError::Version(data.version));
        }
        Ok(data)
    }
}

/// Decode a delta-encoded ring/line into lon/lat degrees.
pub fn decode(flat: &[i32]) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(flat.len() / 2);
    let (mut x, mut y) = (0i64, 0i64);
    for pair in flat.chunks_exact(2) {
        x += i64::from(pair[0]);
        y += i64::from(pair[1]);
        out.push((x as f64 / SHAPE_SCALE, y as f64 / SHAPE_SCALE));
    }
    out
}

/// Delta-encode lon/lat degrees.
pub fn encode(coords: &[(f64, f64)]) -> Vec<i32> {
    let mut out = Vec::with_capacity(coords.len() * 2);
    let (mut px, mut py) = (0i64, 0i64);
    for &(lon, lat) in coords {
        let x = (lon * SHAPE_SCALE).round() as i64;
        let y = (lat * SHAPE_SCALE).round() as i64;
        if !out.is_empty() && x == px && y == py {
            continue;
        }
        out.push(i32::try_from(x - px).unwrap_or(0));
        out.push(i32::try_from(y - py).unwrap_or(0));
        px = x;
        py = y;
    }
    out
}

/// Axis-aligned bounds in normalised mercator units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    /// Minimum x, y.
    pub min: [f64; 2],
    /// Maximum x, y.
    pub max: [f64; 2],
}

impl Bounds {
    pub(crate) fn of(points: &[[f64; 2]]) -> Self {
        let mut b = Bounds {
            min: [f64::INFINITY; 2],
            max: [f64::NEG_INFINITY; 2],
        };
        for p in points {
            for ((lo, hi), v) in b.min.iter_mut().zip(b.max.iter_mut()).zip(p) {
                *lo = lo.min(*v);
                *hi = hi.max(*v);
            }
        }
        b
    }

    /// Whether two bounds overlap.
    pub fn intersects(&self, o: &Bounds) -> bool {
        self.min[0] <= o.max[0]
            && self.max[0] >= o.min[0]
            && self.min[1] <= o.max[1]
            && self.max[1] >= o.min[1]
    }
}

/// A triangulated polygon in mercator space.
#[derive(Clone, Debug)]
pub struct TriMesh {
    /// Bounds, for culling.
    pub bounds: Bounds,
    /// Vertices (normalised mercator).
    pub vertices: Vec<[f64; 2]>,
    /// Triangle indices into `vertices`.
    pub indices: Vec<u32>,
}

/// A polyline in mercator space.
#[derive(Clone, Debug)]
pub struct Polyline {
    /// Bounds, for culling.
    pub bounds: Bounds,
    /// Points (normalised mercator).
    pub points: Vec<[f64; 2]>,
}

/// A place ready to label.
#[derive(Clone, Debug)]
pub struct Place {
    /// Position (normalised mercator).
    pub pos: [f64; 2],
    /// Latin name.
    pub name: String,
    /// Ukrainian name, if known.
    pub name_uk: Option<String>,
    /// Population.
    pub population: u32,
    /// 0 capital, 1 region centre, 2 other.
    pub rank: u8,
    /// Country (ISO 3166-1 alpha-2, "UA").
    pub country: String,
}

/// The basemap, projected and triangulated, ready to paint.
#[derive(Clone, Debug, Default)]
pub struct Basemap {
    /// Land, one set per level of detail ([`Lod::index`]); large polygons are cut into
    /// pieces by screen-sized cells so that a zoomed-in view culls most of them.
    pub land: [Vec<TriMesh>; 3],
    /// Lakes, per level of detail.
    pub lakes: [Vec<TriMesh>; 3],
    /// Lines by kind and level of detail, cut into pieces of a few hundred points.
    pub lines: Vec<(LineKind, Lod, Vec<Polyline>)>,
    /// Places in label priority order.
    pub places: Vec<Place>,
    /// The places by map cell, for labels and nearest-place lookups.
    pub place_grid: PlaceGrid,
}

impl Basemap {
    /// Land meshes of one level.
    /// (While the fine level is still being prepared, the medium one.)
    pub fn land(&self, lod: Lod) -> &[TriMesh] {
        prepared(&self.land, lod)
    }

    /// Lake meshes of one level.
    /// (While the fine level is still being prepared, the medium one.)
    pub fn lakes(&self, lod: Lod) -> &[TriMesh] {
        prepared(&self.lakes, lod)
    }

    /// Lines of one kind at one level (empty if there are none).
    pub fn lines(&self, kind: LineKind, lod: Lod) -> &[Polyline] {
        self.lines
            .iter()
            .find(|(k, l, _)| *k == kind && *l == lod)
            .map_or(&[], |(_, _, lines)| lines.as_slice())
    }
}

/// The meshes of `lod`, or of the next coarser level that has any.
fn prepared(levels: &[Vec<TriMesh>; 3], lod: Lod) -> &[TriMesh] {
    levels[..=lod.index()]
        .iter()
        .rev()
        .find(|m| !m.is_empty())
        .map_or(&[], Vec::as_slice)
}

/// Why the embedded basemap could not be used.
#[derive(Debug, thiserror::Error)]
pub enum BasemapError {
    /// Empty data (never built).
    #[error("the built-in basemap data is empty")]
    Empty,
    /// Not a gzip stream.
    #[error("the built-in basemap data does not inflate: {0}")]
    Inflate(String),
    /// Not decodable.
    #[error("the built-in basemap data is corrupt: {0}")]
    Decode(#[from] postcard::Error),
    /// Built by another version.
    #[error("the built-in basemap data has version {0}, expected {VERSION}")]
    Version(u32),
}

/// A gazetteer place near an event, for events whose source gives only coordinates.
#[derive(Clone, Debug)]
pub struct Nearby<'a> {
    /// The place.
    pub place: &'a Place,
    /// Great-circle distance from the place to the event.
    pub km: f64,
    /// Compass direction from the place to the event ("NE").
    pub direction: &'static str,
}

impl Nearby<'_> {
    /// "12 km NE of Rivne", "0.4 km from Rivne" (no direction that close to a centre point);
    /// the Ukrainian name where asked for and known.
    pub fn describe(&self, ukrainian: bool) -> String {
        let name = match &self.place.name_uk {
            Some(uk) if ukrainian => uk.as_str(),
            _ => self.place.name.as_str(),
        };
        if self.km < 1.0 {
            format!("{:.1} km from {name}", self.km)
        } else {
            format!("{:.0} km {} of {name}", self.km, self.direction)
        }
    }
}

/// A place this close names the spot itself, however small.
const LOCAL_KM: f64 = 5.0;
/// A town has at least this many people: farther out, the nearest one orients a reader
/// better than the nearest hamlet.
const TOWN: u32 = 10_000;
/// Farther than this, a place says little about where an event was.
const NEAR_KM: f64 = 60.0;

impl Basemap {
    /// Gazetteer places that say where (`lat`, `lon`) is, at most two, nearest first:
    /// - the nearest place if it is within 5 km, however small; else the nearest town (at
    ///   least 10,000 people), else the nearest place;
    /// - then the nearest regional city (the capital, or the largest place of a region) of
    ///   the same country, when it is another place — GeoNames lists city districts as
    ///   places of their own, and "2 km from Oleksiyivka" means more with "11 km N of
    ///   Kharkiv" beside it; failing a regional city, and after a place smaller than a town,
    ///   the nearest town of that country. Nothing after a regional city itself.
    ///
    /// Only places within 60 km: those of the grid cells around the point, for the
    /// selected or hovered event only.
    pub fn nearest_places(&self, lat: f64, lon: f64) -> Vec<Nearby<'_>> {
        let (x, y) = mercator(lat, lon);
        // 60 km in mercator units at this latitude (the world is 1 wide at the equator's
        // 40,075 km and stretches by 1/cos φ).
        let r = NEAR_KM / (40_075.0 * lat.to_radians().cos().max(0.02));
        let around = self.place_grid.near(&Bounds {
            min: [x - r, y - r],
            max: [x + r, y + r],
        });
        let candidates: Vec<&Place> = around
            .iter()
            .filter_map(|&i| self.places.get(i as usize))
            .collect();
        // Nearest by mercator distance is nearest on the ground to within the scale change
        // across 60 km (about 1.5 % at 50°N).
        let nearest = |want: &dyn Fn(&Place) -> bool| {
            candidates
                .iter()
                .copied()
                .filter(|p| want(p))
                .map(|p| (p, (p.pos[0] - x).powi(2) + (p.pos[1] - y).powi(2)))
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .and_then(|(p, _)| nearby(p, lat, lon))
        };
        let first = nearest(&|_| true)
            .filter(|n| n.km <= LOCAL_KM)
            .or_else(|| nearest(&|p| p.population >= TOWN))
            .or_else(|| nearest(&|_| true));
        let Some(first) = first else {
            return Vec::new();
        };
        let country = first.place.country.as_str();
        let other = |p: &Place| p.country == country && !std::ptr::eq(p, first.place);
        let second = if first.place.rank <= 1 {
            None
        } else {
            nearest(&|p| p.rank <= 1 && other(p)).or_else(|| {
                (first.place.population < TOWN)
                    .then(|| nearest(&|p| p.population >= TOWN && other(p)))
                    .flatten()
            })
        };
        std::iter::once(first).chain(second).collect()
    }

    /// Where a location is, in words, when its source gives only coordinates: the places of
    /// [`Self::nearest_places`], joined ("2 km N of Rivne"), in Ukrainian where asked for.
    /// None for locations with a place name, and for oblast- or country-level points, where
    /// a town would suggest a precision that isn't there.
    pub fn near_words(&self, location: &crate::model::Location, ukrainian: bool) -> Option<String> {
        let named = location.place.as_deref().is_some_and(|p| !p.is_empty());
        if named || location.precision.is_area() {
            return None;
        }
        let near: Vec<String> = self
            .nearest_places(location.lat, location.lon)
            .iter()
            .map(|n| n.describe(ukrainian))
            .collect();
        (!near.is_empty()).then(|| near.join(" · "))
    }
}

/// `place` as seen from (`lat`, `lon`), if it is near enough to say where that is.
fn nearby(place: &Place, lat: f64, lon: f64) -> Option<Nearby<'_>> {
    let (plat, plon) = crate::model::unmercator(place.pos[0], place.pos[1]);
    let km = distance_km(plat, plon, lat, lon);
    (km <= NEAR_KM).then(|| Nearby {
        place,
        km,
        direction: compass(plat, plon, lat, lon),
    })
}

/// Great-circle (haversine) distance in km.
fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    use ::geo::Distance;
    ::geo::Haversine.distance(::geo::Point::new(lon1, lat1), ::geo::Point::new(lon2, lat2)) / 1000.0
}

/// Eight-point compass direction of the initial bearing from point 1 to point 2.
fn compass(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> &'static str {
    use ::geo::Bearing;
    const POINTS: [&str; 8] = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"];
    let degrees = ::geo::Haversine
        .bearing(::geo::Point::new(lon1, lat1), ::geo::Point::new(lon2, lat2))
        .rem_euclid(360.0);
    POINTS[((degrees + 22.5) / 45.0) as usize % 8]
}

impl Basemap {
    /// Decode and prepare the embedded basemap.
    pub fn embedded() -> Result<Self, BasemapError> {
        Ok(Self::prepare(&BasemapData::embedded()?))
    }

    /// Decode and prepare gzipped basemap bytes.
    pub fn from_gz(bytes: &[u8]) -> Result<Self, BasemapError> {
        Ok(Self::prepare(&BasemapData::from_gz(bytes)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delta_encoding_round_trips() {
        let pts = vec![
            (30.5234, 50.4501),
            (30.6, 50.5),
            (30.6, 50.5),
            (-10.0, -5.25),
        ];
        let enc = encode(&pts);
        let dec = decode(&enc);
        assert_eq!(dec.len(), 3, "repeated points are dropped");
        assert!((dec[0].0 - 30.5234).abs() < 1e-9 && (dec[2].1 + 5.25).abs() < 1e-9);
    }

    #[test]
    fn embedded_basemap_has_every_layer_at_every_level() {
        let b = Basemap::embedded().unwrap();
        for lod in Lod::ALL {
            assert!(!b.land(lod).is_empty(), "{lod:?} land");
            assert!(!b.lakes(lod).is_empty(), "{lod:?} lakes");
            for kind in [LineKind::CountryBorder, LineKind::Coast, LineKind::River] {
                assert!(!b.lines(kind, lod).is_empty(), "{kind:?} {lod:?} missing");
            }
        }
        assert!(!b.lines(LineKind::Oblast, Lod::Fine).is_empty());
        let place = |name: &str, country: &str| {
            b.places
                .iter()
                .find(|p| p.name == name && p.country == country)
                .unwrap_or_else(|| panic!("{name} missing"))
        };
        let kyiv = place("Kyiv", "UA");
        assert_eq!(kyiv.rank, 0);
        assert_eq!(kyiv.name_uk.as_deref(), Some("Київ"));
        assert_eq!(place("Kharkiv", "UA").rank, 1);
        // The world: capitals and region centres far from the regional extract.
        assert_eq!(place("Sanaa", "YE").rank, 0);
        assert_eq!(place("Khartoum", "SD").rank, 0);
        assert_eq!(place("Aleppo", "SY").rank, 1);
        // Only the world's larger places: the gazetteer brings the rest (next test).
        assert!(
            (30_000..60_000).contains(&b.places.len()),
            "{}",
            b.places.len()
        );
    }

    /// Preparing the coarse levels first and the fine land and lakes later gives the same
    /// basemap as preparing everything at once; in between, fine views fill from medium.
    #[test]
    fn fine_level_can_be_prepared_later() {
        let whole = Basemap::embedded().unwrap();
        let (mut coarse, fine) = Basemap::prepare_coarse(BasemapData::embedded().unwrap());
        let count = |m: &[TriMesh]| m.iter().map(|t| t.indices.len()).sum::<usize>();
        assert_eq!(
            count(coarse.land(Lod::Fine)),
            count(whole.land(Lod::Medium))
        );
        assert_eq!(
            count(coarse.lakes(Lod::Fine)),
            count(whole.lakes(Lod::Medium))
        );
        assert_eq!(coarse.lines.len(), whole.lines.len());
        coarse.set_fine(fine.triangulate());
        for lod in Lod::ALL {
            assert_eq!(count(coarse.land(lod)), count(whole.land(lod)), "{lod:?}");
            assert_eq!(count(coarse.lakes(lod)), count(whole.lakes(lod)), "{lod:?}");
        }
        assert_ne!(count(whole.land(Lod::Fine)), count(whole.land(Lod::Medium)));
    }

    /// The world gazetteer's places complete the basemap's: each GeoNames place once, the
    /// priority order kept, and a small Sudanese town then names a point beside it.
    #[test]
    fn gazetteer_places_complete_the_labels() {
        let mut b = Basemap::embedded().unwrap();
        let suakin = (19.1059, 37.3321);
        let near_suakin = |b: &Basemap| -> Vec<String> {
            b.nearest_places(suakin.0 + 0.01, suakin.1)
                .iter()
                .map(|n| n.place.name.clone())
                .collect()
        };
        assert!(!near_suakin(&b).contains(&"Suakin".to_owned()));
        let before = b.places.len();
        let added = b.add_places(WorldGazetteer::get().unwrap().places());
        assert_eq!(b.places.len(), before + added);
        assert!(b.places.len() > 170_000, "{}", b.places.len());
        let kyivs = b.places.iter().filter(|p| p.name == "Kyiv").count();
        assert_eq!(kyivs, 1, "a place in both assets is added once");
        assert!(
            b.places
                .iter()
                .any(|p| p.name == "Kyiv" && p.name_uk.is_some())
        );
        assert!(
            b.places
                .windows(2)
                .all(|w| (w[0].rank, std::cmp::Reverse(w[0].population))
                    <= (w[1].rank, std::cmp::Reverse(w[1].population))),
            "priority order"
        );
        assert_eq!(near_suakin(&b).first().map(String::as_str), Some("Suakin"));
    }

    /// Land is where land is, at every level: a point in the Yemeni, Sudanese and Ukrainian
    /// interior lies in a land triangle, one in the Red Sea and the Black Sea does not.
    #[test]
    fn land_covers_the_world_and_not_the_sea() {
        let b = Basemap::embedded().unwrap();
        let on_land = |lod: Lod, lat: f64, lon: f64| {
            let (x, y) = mercator(lat, lon);
            b.land(lod).iter().any(|t| {
                t.bounds.intersects(&Bounds {
                    min: [x, y],
                    max: [x, y],
                }) && t.indices.chunks_exact(3).any(|tri| {
                    let [a, b2, c] = [0, 1, 2].map(|k| t.vertices[tri[k] as usize]);
                    let side = |p: [f64; 2], q: [f64; 2]| {
                        (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0])
                    };
                    let (d1, d2, d3) = (side(a, b2), side(b2, c), side(c, a));
                    !((d1 < 0.0 || d2 < 0.0 || d3 < 0.0) && (d1 > 0.0 || d2 > 0.0 || d3 > 0.0))
                })
            })
        };
        for lod in Lod::ALL {
            assert!(on_land(lod, 15.35, 44.2), "Sana'a {lod:?}");
            assert!(on_land(lod, 15.5, 32.55), "Khartoum {lod:?}");
            assert!(on_land(lod, 49.0, 31.0), "Ukraine {lod:?}");
            assert!(on_land(lod, -3.0, -60.0), "Amazonia {lod:?}");
            assert!(!on_land(lod, 20.0, 38.5), "Red Sea {lod:?}");
            assert!(!on_land(lod, 43.5, 34.0), "Black Sea {lod:?}");
            assert!(!on_land(lod, 0.0, -30.0), "Atlantic {lod:?}");
        }
    }

    #[test]
    fn nearby_places_are_named_with_distance_and_direction() {
        let b = Basemap::embedded().unwrap();
        let names = |lat: f64, lon: f64| -> Vec<String> {
            b.nearest_places(lat, lon)
                .iter()
                .map(|n| n.place.name.clone())
                .collect()
        };
        // A Bellingcat point in Rivne (coordinates only): a regional city needs no second.
        let rivne = b.nearest_places(50.6410, 26.2245);
        assert_eq!(rivne.len(), 1);
        assert_eq!(rivne[0].place.name, "Rivne");
        assert!(rivne[0].km < 3.0, "{rivne:?}");
        assert!(rivne[0].describe(true).ends_with("of Рівне"), "{rivne:?}");
        // 0.1° of latitude (about 11 km) north of Kharkiv's centre point: the place there,
        // then Kharkiv itself.
        let kharkiv = b.places.iter().find(|p| p.name == "Kharkiv").unwrap();
        let (lat, lon) = crate::model::unmercator(kharkiv.pos[0], kharkiv.pos[1]);
        let n = b.nearest_places(lat + 0.1, lon);
        assert_eq!(n.len(), 2, "{n:?}");
        assert!(n[0].km < n[1].km);
        assert_eq!((n[1].place.name.as_str(), n[1].direction), ("Kharkiv", "N"));
        assert!((n[1].km - 11.1).abs() < 0.3, "{n:?}");
        assert_eq!(n[1].describe(false), "11 km N of Kharkiv");
        // Across the border the regional city is of the same country: Belgorod for a point
        // in Belgorod oblast, and no Romanian town for one in Izmail.
        assert_eq!(
            names(50.48, 35.95).last().map(String::as_str),
            Some("Belgorod")
        );
        assert_eq!(names(45.35, 28.84), ["Izmayil"]);
        // Open sea, far from any place: nothing.
        assert!(b.nearest_places(43.2, 33.5).is_empty());
    }

    #[test]
    fn compass_points() {
        assert_eq!(compass(50.0, 30.0, 50.1, 30.0), "N");
        assert_eq!(compass(50.0, 30.0, 50.0, 30.1), "E");
        assert_eq!(compass(50.0, 30.0, 49.9, 29.9), "SW");
        assert_eq!(compass(50.0, 30.0, 50.07, 29.9), "NW");
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(matches!(Basemap::from_gz(&[]), Err(BasemapError::Empty)));
        assert!(Basemap::from_gz(&[0xff, 0xff, 0xff]).is_err());
    }
}
