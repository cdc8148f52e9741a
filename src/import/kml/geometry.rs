//! Where a placemark's geometry is: a point exactly, a line or polygon at a representative
//! point inside it with a coarser precision.

use geo::{Centroid, InteriorPoint};
use kml::types::{Coord, Geometry};

use super::super::RejectReason;
use super::super::records::Refusal;
use crate::model::LocationPrecision;

/// A placemark's location and how it was arrived at.
#[derive(Debug)]
pub(super) struct Placed {
    pub(super) lat: f64,
    pub(super) lon: f64,
    pub(super) precision: LocationPrecision,
    pub(super) note: Option<String>,
    /// Whether it is a representative point of a line or polygon.
    pub(super) shape: bool,
}

impl Placed {
    pub(super) fn exact(lat: f64, lon: f64) -> Self {
        Self {
            lat,
            lon,
            precision: LocationPrecision::Exact,
            note: None,
            shape: false,
        }
    }
}

/// The location of a geometry: a point exactly; a line, polygon or group of shapes at one
/// point inside it (a polygon's centroid may lie outside it, a line's beside it).
pub(super) fn locate(g: &Geometry) -> Result<Placed, Refusal> {
    let mut pts = Vec::new();
    points(g, &mut pts);
    let Some(first) = pts.first().copied() else {
        return Err((
            RejectReason::MissingLocation,
            format!("its {} has no coordinates", kind(g)),
        ));
    };
    if let Some(bad) = pts.iter().find(|c| !on_globe(c)) {
        return Err((
            RejectReason::InvalidCoordinates,
            format!(
                "longitude {}, latitude {} is outside the globe (KML gives the longitude first)",
                bad.x, bad.y
            ),
        ));
    }
    if pts.iter().all(|c| c.x == first.x && c.y == first.y) {
        return Ok(Placed::exact(first.y, first.x));
    }
    let shape = to_geo(g);
    let (lon, lat) = shape
        .interior_point()
        .or_else(|| shape.centroid())
        .map_or((first.x, first.y), |p| (p.x(), p.y()));
    let (mut lo, mut hi) = ((first.x, first.y), (first.x, first.y));
    for c in &pts {
        lo = (lo.0.min(c.x), lo.1.min(c.y));
        hi = (hi.0.max(c.x), hi.1.max(c.y));
    }
    // Extent in km, about: a degree of latitude is 111 km, one of longitude that times cos φ.
    let km = ((hi.1 - lo.1).max((hi.0 - lo.0) * lat.to_radians().cos())) * 111.0;
    let precision = if km > 100.0 {
        LocationPrecision::Region
    } else {
        LocationPrecision::District
    };
    Ok(Placed {
        lat,
        lon,
        precision,
        note: Some(format!(
            "placed at a representative point inside the {} drawn in the file (about {:.0} km \
             across)",
            kind(g),
            km.max(1.0)
        )),
        shape: true,
    })
}

fn on_globe(c: &Coord) -> bool {
    (-90.0..=90.0).contains(&c.y) && (-180.0..=180.0).contains(&c.x)
}

/// What a geometry is, for messages.
fn kind(g: &Geometry) -> &'static str {
    match g {
        Geometry::Point(_) => "point",
        Geometry::LineString(_) => "line",
        Geometry::LinearRing(_) | Geometry::Polygon(_) => "polygon",
        Geometry::MultiGeometry(_) => "group of shapes",
        _ => "geometry",
    }
}

/// Every coordinate of a geometry.
fn points(g: &Geometry, out: &mut Vec<Coord>) {
    match g {
        Geometry::Point(p) => out.push(p.coord),
        Geometry::LineString(l) => out.extend(&l.coords),
        Geometry::LinearRing(r) => out.extend(&r.coords),
        Geometry::Polygon(p) => {
            out.extend(&p.outer.coords);
            for r in &p.inner {
                out.extend(&r.coords);
            }
        }
        Geometry::MultiGeometry(m) => {
            for g in &m.geometries {
                points(g, out);
            }
        }
        _ => {}
    }
}

/// A KML geometry as a `geo` one (longitude as x), for its representative point.
fn to_geo(g: &Geometry) -> geo::Geometry<f64> {
    let line = |cs: &[Coord]| -> geo::LineString<f64> {
        cs.iter().map(|c| geo::coord! { x: c.x, y: c.y }).collect()
    };
    match g {
        Geometry::Point(p) => geo::Geometry::Point(geo::Point::new(p.coord.x, p.coord.y)),
        Geometry::LineString(l) => geo::Geometry::LineString(line(&l.coords)),
        Geometry::LinearRing(r) => {
            geo::Geometry::Polygon(geo::Polygon::new(line(&r.coords), Vec::new()))
        }
        Geometry::Polygon(p) => geo::Geometry::Polygon(geo::Polygon::new(
            line(&p.outer.coords),
            p.inner.iter().map(|r| line(&r.coords)).collect(),
        )),
        Geometry::MultiGeometry(m) => {
            geo::Geometry::GeometryCollection(m.geometries.iter().map(to_geo).collect())
        }
        _ => geo::Geometry::GeometryCollection(geo::GeometryCollection::default()),
    }
}
