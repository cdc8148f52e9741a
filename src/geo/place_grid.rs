//! Places by map cell: labels look only at the cells on screen, and the nearest-place line
//! only at the cells around a point, instead of scanning the world's 180,000 places.

use super::{Bounds, Place};

/// Cells per side of the grid over the mercator square (each about 2.8° of longitude).
const SIDE: usize = 128;

/// Place indices bucketed by grid cell; each cell's indices ascend, so they keep the places'
/// priority order (rank, then population).
#[derive(Clone, Debug, Default)]
pub struct PlaceGrid {
    /// Where each cell's indices start in [`Self::ids`] (`SIDE² + 1` entries).
    starts: Vec<u32>,
    /// Place indices, cell after cell.
    ids: Vec<u32>,
}

fn cell_coord(v: f64) -> usize {
    ((v * SIDE as f64).floor().max(0.0) as usize).min(SIDE - 1)
}

impl PlaceGrid {
    /// Bucket `places` by the cell of their position.
    pub fn new(places: &[Place]) -> Self {
        let cell = |p: &Place| cell_coord(p.pos[1]) * SIDE + cell_coord(p.pos[0]);
        let mut counts = vec![0u32; SIDE * SIDE + 1];
        for p in places {
            counts[cell(p) + 1] += 1;
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let starts = counts.clone();
        let mut ids = vec![0u32; places.len()];
        for (i, p) in places.iter().enumerate() {
            let c = cell(p);
            let at = counts[c] as usize;
            ids[at] = u32::try_from(i).unwrap_or(u32::MAX);
            counts[c] += 1;
        }
        Self { starts, ids }
    }

    /// The indices of each cell that `bounds` touches, one slice per cell (each ascending).
    pub fn cells(&self, bounds: &Bounds) -> impl Iterator<Item = &[u32]> {
        let (x0, x1) = (cell_coord(bounds.min[0]), cell_coord(bounds.max[0]));
        let (y0, y1) = (cell_coord(bounds.min[1]), cell_coord(bounds.max[1]));
        (y0..=y1).flat_map(move |y| {
            (x0..=x1).filter_map(move |x| {
                let c = y * SIDE + x;
                let (a, b) = (*self.starts.get(c)?, *self.starts.get(c + 1)?);
                self.ids.get(a as usize..b as usize)
            })
        })
    }

    /// The indices of the places within `bounds`' cells, ascending (priority order).
    pub fn near(&self, bounds: &Bounds) -> Vec<u32> {
        let mut out: Vec<u32> = self.cells(bounds).flatten().copied().collect();
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(x: f64, y: f64) -> Place {
        Place {
            pos: [x, y],
            name: String::new(),
            name_uk: None,
            population: 0,
            rank: 2,
            country: String::new(),
        }
    }

    #[test]
    fn cells_hold_their_places_in_order() {
        let places = vec![
            place(0.5, 0.5),
            place(0.1, 0.1),
            place(0.5001, 0.5001),
            place(1.0, 1.0),
            place(-0.2, 0.3),
        ];
        let g = PlaceGrid::new(&places);
        let around = |x: f64, y: f64, r: f64| {
            g.near(&Bounds {
                min: [x - r, y - r],
                max: [x + r, y + r],
            })
        };
        assert_eq!(around(0.5, 0.5, 0.001), [0, 2]);
        assert_eq!(around(0.1, 0.1, 0.001), [1]);
        // Off-world positions fall in the edge cells rather than being lost.
        assert_eq!(around(1.0, 1.0, 0.001), [3]);
        assert_eq!(around(0.0, 0.3, 0.001), [4]);
        let all = g.near(&Bounds {
            min: [0.0, 0.0],
            max: [1.0, 1.0],
        });
        assert_eq!(all, [0, 1, 2, 3, 4]);
    }
}
