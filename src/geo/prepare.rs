//! From the stored basemap to what the painter draws: project to Web Mercator, triangulate
//! polygons, and cut big polygons and long lines into pieces that cull well ([`Basemap::prepare`]).
//! Done once at start, on both cores.

use std::collections::{HashMap, HashSet};

use ::geo::TriangulateEarcut;
use rayon::prelude::*;

use super::{
    AreaRec, AreaSetRec, Basemap, BasemapData, Bounds, COORD_SCALE, Lod, Place, PlaceGrid,
    Polyline, TriMesh, decode, world::WorldPlace,
};
use crate::model::mercator;

/// Side of the cells large polygons are cut into, in mercator units (1/64 of the world:
/// about 5.6° of longitude, a screen or less from zoom 8 in).
const CELL: f64 = 1.0 / 64.0;

/// Longest piece a line is cut into: a piece outside the view costs one bounds test.
const LINE_PIECE: usize = 256;

fn project(flat: &[i32]) -> Vec<[f64; 2]> {
    decode(flat)
        .into_iter()
        .map(|(lon, lat)| {
            let (x, y) = mercator(lat, lon);
            [x, y]
        })
        .collect()
}

/// A polygon's triangles in one cell: vertices, indices into them, and the polygon's vertex
/// index → this piece's.
type Piece = (Vec<[f64; 2]>, Vec<u32>, HashMap<usize, u32>);

/// Triangulate one polygon; with `cut`, split its triangles by the cell of their centroid
/// into meshes of their own (a piece keeps only the vertices its triangles use).
fn triangulate(area: &AreaRec, cut: bool) -> Vec<TriMesh> {
    let mut rings = area.rings.iter().map(|r| {
        ::geo::LineString::from(
            project(r)
                .into_iter()
                .map(|[x, y]| (x, y))
                .collect::<Vec<_>>(),
        )
    });
    let Some(exterior) = rings.next() else {
        return Vec::new();
    };
    let poly = ::geo::Polygon::new(exterior, rings.collect());
    let raw = poly.earcut_triangles_raw();
    if raw.triangle_indices.is_empty() {
        return Vec::new();
    }
    let whole = Bounds::of(&raw.vertices);
    let small = whole.max[0] - whole.min[0] <= CELL && whole.max[1] - whole.min[1] <= CELL;
    if !cut || small {
        return vec![TriMesh {
            bounds: whole,
            indices: raw
                .triangle_indices
                .iter()
                .map(|&i| u32::try_from(i).unwrap_or(0))
                .collect(),
            vertices: raw.vertices,
        }];
    }
    // Pieces in first-use order of their cells, so the output does not depend on hashing.
    let mut pieces: Vec<Piece> = Vec::new();
    let mut by_cell: HashMap<(i64, i64), usize> = HashMap::new();
    for t in raw.triangle_indices.chunks_exact(3) {
        let Some(v) = t
            .iter()
            .map(|&i| raw.vertices.get(i).copied())
            .collect::<Option<Vec<[f64; 2]>>>()
        else {
            continue;
        };
        let cx = (v[0][0] + v[1][0] + v[2][0]) / 3.0;
        let cy = (v[0][1] + v[1][1] + v[2][1]) / 3.0;
        let cell = ((cx / CELL).floor() as i64, (cy / CELL).floor() as i64);
        let next = pieces.len();
        let k = *by_cell.entry(cell).or_insert(next);
        if k == next {
            pieces.push(Default::default());
        }
        let (verts, idx, map) = &mut pieces[k];
        for (&i, p) in t.iter().zip(&v) {
            let local = *map.entry(i).or_insert_with(|| {
                verts.push(*p);
                u32::try_from(verts.len() - 1).unwrap_or(0)
            });
            idx.push(local);
        }
    }
    pieces
        .into_iter()
        .map(|(vertices, indices, _)| TriMesh {
            bounds: Bounds::of(&vertices),
            vertices,
            indices,
        })
        .collect()
}

fn meshes(sets: &[AreaSetRec], lod: Lod) -> Vec<TriMesh> {
    let cut = lod != Lod::World;
    sets.iter()
        .filter(|s| s.lod == lod)
        .flat_map(|s| {
            s.areas
                .par_iter()
                .flat_map_iter(|a| triangulate(a, cut))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// A line as pieces of at most [`LINE_PIECE`] points, each sharing its first point with the
/// previous piece's last so the line stays joined.
fn pieces(flat: &[i32]) -> Vec<Polyline> {
    let points = project(flat);
    if points.len() < 2 {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut start = 0;
    while start + 1 < points.len() {
        let end = (start + LINE_PIECE).min(points.len());
        let piece = points[start..end].to_vec();
        out.push(Polyline {
            bounds: Bounds::of(&piece),
            points: piece,
        });
        start = end - 1;
    }
    out
}

/// The finest level's land and lakes, not yet triangulated: the largest share of start-up
/// (the world's 1:10m coasts), done off the first frame's path ([`Basemap::prepare_coarse`]).
#[derive(Debug, Default)]
pub struct FineAreas {
    land: Vec<AreaSetRec>,
    lakes: Vec<AreaSetRec>,
}

/// Triangulated fine land and lakes, for [`Basemap::set_fine`].
#[derive(Debug, Default)]
pub struct FineMeshes {
    land: Vec<TriMesh>,
    lakes: Vec<TriMesh>,
}

impl FineAreas {
    /// Triangulate them (on both cores).
    pub fn triangulate(self) -> FineMeshes {
        FineMeshes {
            land: meshes(&self.land, Lod::Fine),
            lakes: meshes(&self.lakes, Lod::Fine),
        }
    }
}

impl Basemap {
    /// Project to mercator, triangulate polygons and cut them into pieces (once).
    pub fn prepare(data: &BasemapData) -> Self {
        Self::prepare_levels(data, &Lod::ALL)
    }

    /// Prepare all but the finest level's land and lakes, which are handed back for
    /// [`FineAreas::triangulate`] and [`Self::set_fine`]; until then a fine view fills land
    /// and lakes from the medium level (under its coast lines, for a moment).
    pub fn prepare_coarse(mut data: BasemapData) -> (Self, FineAreas) {
        let fine = |sets: &mut Vec<AreaSetRec>| {
            let (fine, rest) = std::mem::take(sets)
                .into_iter()
                .partition(|s| s.lod == Lod::Fine);
            *sets = rest;
            fine
        };
        let deferred = FineAreas {
            land: fine(&mut data.land),
            lakes: fine(&mut data.lakes),
        };
        (
            Self::prepare_levels(&data, &[Lod::World, Lod::Medium]),
            deferred,
        )
    }

    /// Add the fine land and lakes (see [`Self::prepare_coarse`]).
    pub fn set_fine(&mut self, meshes: FineMeshes) {
        self.land[Lod::Fine.index()] = meshes.land;
        self.lakes[Lod::Fine.index()] = meshes.lakes;
    }

    fn prepare_levels(data: &BasemapData, levels: &[Lod]) -> Self {
        let level = |sets: &[AreaSetRec], lod: Lod| {
            if levels.contains(&lod) {
                meshes(sets, lod)
            } else {
                Vec::new()
            }
        };
        let land = Lod::ALL.map(|lod| level(&data.land, lod));
        let lakes = Lod::ALL.map(|lod| level(&data.lakes, lod));
        let lines = data
            .lines
            .par_iter()
            .map(|set| {
                let polys = set.lines.iter().flat_map(|l| pieces(l)).collect();
                (set.kind, set.lod, polys)
            })
            .collect();
        let places: Vec<Place> = data
            .places
            .iter()
            .map(|p| Place {
                pos: project_point(p.lat, p.lon),
                name: p.name.clone(),
                name_uk: p.name_uk.clone(),
                population: p.population,
                rank: p.rank,
                country: p.country.clone(),
            })
            .collect();
        let place_grid = PlaceGrid::new(&places);
        Self {
            land,
            lakes,
            lines,
            places,
            place_grid,
        }
    }

    /// Add the world gazetteer's places the basemap does not hold (the small ones outside
    /// the regional extract, see `build_places`) to the labels and nearest-place lookups.
    /// A gazetteer place at exactly the position of a basemap place is the same GeoNames
    /// place and is skipped. Keeps the priority order (rank, then population; basemap places
    /// first among equals). Returns how many were added.
    pub fn add_places(&mut self, world: &[WorldPlace]) -> usize {
        let key = |pos: [f64; 2]| (pos[0].to_bits(), pos[1].to_bits());
        let have: HashSet<(u64, u64)> = self.places.iter().map(|p| key(p.pos)).collect();
        let extra: Vec<Place> = world
            .iter()
            .filter_map(|w| {
                let place = Place {
                    pos: project_point(w.lat, w.lon),
                    name: w.name.clone(),
                    name_uk: None,
                    population: w.population,
                    rank: 2,
                    country: String::from_utf8_lossy(&w.country).into_owned(),
                };
                (!have.contains(&key(place.pos))).then_some(place)
            })
            .collect();
        let added = extra.len();
        self.places.extend(extra);
        // Stable: the basemap's own places stay ahead of gazetteer ones of equal population.
        self.places
            .sort_by_key(|p| (p.rank, std::cmp::Reverse(p.population)));
        self.place_grid = PlaceGrid::new(&self.places);
        added
    }
}

/// A stored position (degrees × 1e5) in normalised mercator, as [`Basemap::prepare`] puts
/// places (the same arithmetic, so the same bits for the same point).
fn project_point(lat: i32, lon: i32) -> [f64; 2] {
    let (x, y) = mercator(f64::from(lat) / COORD_SCALE, f64::from(lon) / COORD_SCALE);
    [x, y]
}
