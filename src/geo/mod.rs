//! The built-in offline basemap: land, water, borders, oblasts, rivers and settlement names,
//! drawn as vectors under the tiles so the map stays readable with no network.
//!
//! The data is derived once from Natural Earth, GSHHG/WDBII and GeoNames by
//! `strikemap build-basemap` ([`build`]) into `assets/basemap/basemap.bin` (postcard), embedded
//! in the binary. At start it is projected to Web Mercator and polygons are triangulated once
//! ([`Basemap::prepare`]); each frame only transforms vertices and culls by bounding box.

pub mod build;
pub mod build_gazetteer;
pub mod gazetteer;
pub mod place_names;
pub mod uk_names;
pub mod view;
pub mod world;

pub use gazetteer::Gazetteer;
pub use world::WorldGazetteer;

use ::geo::TriangulateEarcut;
use serde::{Deserialize, Serialize};

use crate::model::mercator;

/// Attribution line for the built-in basemap's sources.
pub const ATTRIBUTION: &str =
    "Natural Earth · GeoNames (CC-BY 4.0) · GSHHG/WDBII, P. Wessel & W.H.F. Smith";

/// The embedded derived data (may be empty if it was never built; then no basemap is drawn).
const EMBEDDED: &[u8] = include_bytes!("../../assets/basemap/basemap.bin");

/// Format version of [`BasemapData`]; bump when the layout changes.
pub const VERSION: u32 = 3;

/// Coordinates are stored as integers in units of 1e-5 degree, delta-encoded along each
/// ring/line (small deltas make postcard's varints short).
pub const COORD_SCALE: f64 = 1e5;

/// A polygon: exterior ring first, then holes. Each ring is a flat delta-encoded
/// `[lon, lat, dlon, dlat, ...]` list.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct AreaRec {
    /// Rings (exterior first).
    pub rings: Vec<Vec<i32>>,
}

/// Which kind of line a [`LineSetRec`] holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineKind {
    /// International land border.
    CountryBorder,
    /// Coastline.
    Coast,
    /// First-level region (oblast) boundary.
    Oblast,
    /// River.
    River,
}

/// Lines of one kind at one level of detail.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LineSetRec {
    /// What these lines are.
    pub kind: LineKind,
    /// Coarse (simplified for low zoom) or fine.
    pub coarse: bool,
    /// Delta-encoded polylines.
    pub lines: Vec<Vec<i32>>,
}

/// A named place.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PlaceRec {
    /// Latin name (GeoNames).
    pub name: String,
    /// Ukrainian (Cyrillic) name, where GeoNames has one.
    pub name_uk: Option<String>,
    /// Latitude × 1e5.
    pub lat: i32,
    /// Longitude × 1e5.
    pub lon: i32,
    /// Population (2020).
    pub population: u32,
    /// 0 = national capital, 1 = oblast/region centre, 2 = other.
    pub rank: u8,
    /// Country (ISO 3166-1 alpha-2, "UA").
    pub country: String,
}

/// A first-level region (oblast) for geocoding region names.
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

/// The whole derived dataset as stored in `assets/basemap/basemap.bin`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct BasemapData {
    /// [`VERSION`].
    pub version: u32,
    /// Land (country polygons), coarse level of detail.
    pub land_coarse: Vec<AreaRec>,
    /// Land, fine level of detail.
    pub land_fine: Vec<AreaRec>,
    /// Lakes and reservoirs.
    pub lakes: Vec<AreaRec>,
    /// Border, coast, oblast and river lines.
    pub lines: Vec<LineSetRec>,
    /// Settlements, sorted by importance (rank, then population descending).
    pub places: Vec<PlaceRec>,
    /// First-level regions with an interior point, for geocoding region names.
    pub regions: Vec<RegionRec>,
}

impl BasemapData {
    /// Decode the embedded data as stored (no projection or triangulation), e.g. for the
    /// synthetic data generator's places and oblasts.
    pub fn embedded() -> Result<Self, BasemapError> {
        if EMBEDDED.is_empty() {
            return Err(BasemapError::Empty);
        }
        let data: BasemapData = postcard::from_bytes(EMBEDDED)?;
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
        out.push((x as f64 / COORD_SCALE, y as f64 / COORD_SCALE));
    }
    out
}

/// Delta-encode lon/lat degrees.
pub fn encode(coords: &[(f64, f64)]) -> Vec<i32> {
    let mut out = Vec::with_capacity(coords.len() * 2);
    let (mut px, mut py) = (0i64, 0i64);
    for &(lon, lat) in coords {
        let x = (lon * COORD_SCALE).round() as i64;
        let y = (lat * COORD_SCALE).round() as i64;
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
    fn of(points: &[[f64; 2]]) -> Self {
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
    /// Land at low zoom.
    pub land_coarse: Vec<TriMesh>,
    /// Land at higher zoom.
    pub land_fine: Vec<TriMesh>,
    /// Lakes.
    pub lakes: Vec<TriMesh>,
    /// Lines by kind and level of detail.
    pub lines: Vec<(LineKind, bool, Vec<Polyline>)>,
    /// Places in label priority order.
    pub places: Vec<Place>,
    /// Area the land data covers; outside it land and sea are unknown.
    pub extent: Option<Bounds>,
}

/// Why the embedded basemap could not be used.
#[derive(Debug, thiserror::Error)]
pub enum BasemapError {
    /// Empty data (never built).
    #[error("the built-in basemap data is empty")]
    Empty,
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
    /// Only places within 60 km. Linear scans of about 20,000 places (~50 µs in all), for
    /// the selected or hovered event only.
    pub fn nearest_places(&self, lat: f64, lon: f64) -> Vec<Nearby<'_>> {
        let (x, y) = mercator(lat, lon);
        // Nearest by mercator distance is nearest on the ground to within the scale change
        // across 60 km (about 1.5 % at 50°N).
        let nearest = |want: &dyn Fn(&Place) -> bool| {
            self.places
                .iter()
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
        Self::from_bytes(EMBEDDED)
    }

    /// Decode and prepare basemap bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, BasemapError> {
        if bytes.is_empty() {
            return Err(BasemapError::Empty);
        }
        let data: BasemapData = postcard::from_bytes(bytes)?;
        if data.version != VERSION {
            return Err(BasemapError::Version(data.version));
        }
        Ok(Self::prepare(&data))
    }

    /// Project to mercator and triangulate polygons (once).
    pub fn prepare(data: &BasemapData) -> Self {
        let project = |flat: &[i32]| -> Vec<[f64; 2]> {
            decode(flat)
                .into_iter()
                .map(|(lon, lat)| {
                    let (x, y) = mercator(lat, lon);
                    [x, y]
                })
                .collect()
        };
        let tri = |areas: &[AreaRec]| -> Vec<TriMesh> {
            areas
                .iter()
                .filter_map(|a| {
                    let mut rings = a.rings.iter().map(|r| {
                        ::geo::LineString::from(
                            project(r)
                                .into_iter()
                                .map(|[x, y]| (x, y))
                                .collect::<Vec<_>>(),
                        )
                    });
                    let exterior = rings.next()?;
                    let poly = ::geo::Polygon::new(exterior, rings.collect());
                    let raw = poly.earcut_triangles_raw();
                    if raw.triangle_indices.is_empty() {
                        return None;
                    }
                    Some(TriMesh {
                        bounds: Bounds::of(&raw.vertices),
                        indices: raw
                            .triangle_indices
                            .iter()
                            .map(|&i| u32::try_from(i).unwrap_or(0))
                            .collect(),
                        vertices: raw.vertices,
                    })
                })
                .collect()
        };
        let lines = data
            .lines
            .iter()
            .map(|set| {
                let polys = set
                    .lines
                    .iter()
                    .map(|l| {
                        let points = project(l);
                        Polyline {
                            bounds: Bounds::of(&points),
                            points,
                        }
                    })
                    .filter(|p| p.points.len() >= 2)
                    .collect();
                (set.kind, set.coarse, polys)
            })
            .collect();
        let places = data
            .places
            .iter()
            .map(|p| {
                let (x, y) = mercator(
                    f64::from(p.lat) / COORD_SCALE,
                    f64::from(p.lon) / COORD_SCALE,
                );
                Place {
                    pos: [x, y],
                    name: p.name.clone(),
                    name_uk: p.name_uk.clone(),
                    population: p.population,
                    rank: p.rank,
                    country: p.country.clone(),
                }
            })
            .collect();
        let land_fine = tri(&data.land_fine);
        let extent = land_fine.iter().map(|t| t.bounds).reduce(|a, b| Bounds {
            min: [a.min[0].min(b.min[0]), a.min[1].min(b.min[1])],
            max: [a.max[0].max(b.max[0]), a.max[1].max(b.max[1])],
        });
        Self {
            extent,
            land_coarse: tri(&data.land_coarse),
            land_fine,
            lakes: tri(&data.lakes),
            lines,
            places,
        }
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
    fn embedded_basemap_has_every_layer() {
        let b = Basemap::embedded().unwrap();
        assert!(!b.land_coarse.is_empty() && !b.land_fine.is_empty());
        assert!(!b.lakes.is_empty());
        for kind in [
            LineKind::CountryBorder,
            LineKind::Coast,
            LineKind::Oblast,
            LineKind::River,
        ] {
            assert!(
                b.lines.iter().any(|(k, _, l)| *k == kind && !l.is_empty()),
                "{kind:?} missing"
            );
        }
        let kyiv = b.places.iter().find(|p| p.name == "Kyiv").unwrap();
        assert_eq!(kyiv.rank, 0);
        assert_eq!(kyiv.name_uk.as_deref(), Some("Київ"));
        let kharkiv = b.places.iter().find(|p| p.name == "Kharkiv").unwrap();
        assert_eq!(kharkiv.rank, 1);
        assert!(b.places.len() > 20_000);
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
        assert!(matches!(Basemap::from_bytes(&[]), Err(BasemapError::Empty)));
        assert!(Basemap::from_bytes(&[0xff, 0xff, 0xff]).is_err());
    }
}
