//! The geometry of a map view in Web Mercator: a slippy map at zoom `z` shows the world as a
//! square of `256 · 2^z` points, so normalised Mercator coordinates (0..1) and screen points
//! differ by one scale and the view's centre. Every place that turns one into the other (the
//! layers, the markers, the badges, the basemap, the benchmarks) goes through this type, so
//! they cannot drift apart.
//!
//! Pure maths on plain numbers: no egui here (`map` turns the tuples into `Pos2`).

use super::Bounds;

/// Points across the whole world at zoom 0: one 256-point tile, as in every slippy map.
pub const TILE_SIZE: f64 = 256.0;

/// A map view in world terms: where its centre is and how many points a world unit spans.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ViewGeometry {
    /// Centre, normalised Web Mercator x.
    pub cx: f64,
    /// Centre, normalised Web Mercator y (down).
    pub cy: f64,
    /// Screen points per world unit (`256 · 2^zoom`, see [`Self::world_size`]).
    pub scale: f64,
    /// Viewport width in points.
    pub width: f32,
    /// Viewport height in points.
    pub height: f32,
}

impl ViewGeometry {
    /// Size of the whole world in points at `zoom`.
    pub fn world_size(zoom: f64) -> f64 {
        TILE_SIZE * 2f64.powf(zoom)
    }

    /// The view centred on the world point `(cx, cy)` at `zoom`, `size` points large.
    pub fn at_zoom((cx, cy): (f64, f64), zoom: f64, (width, height): (f32, f32)) -> Self {
        Self {
            cx,
            cy,
            scale: Self::world_size(zoom),
            width,
            height,
        }
    }

    /// The zoom at which a world extent of `(dx, dy)` units fills `(w, h)` points, in
    /// whichever direction is tighter (not clamped to any zoom range).
    pub fn fit_zoom((dx, dy): (f64, f64), (w, h): (f64, f64)) -> f64 {
        (w / (dx * TILE_SIZE)).min(h / (dy * TILE_SIZE)).log2()
    }

    /// Screen offset in points of the world point `(x, y)` from the view's centre. Callers
    /// add the centre of their own rectangle: a multiply-add per point, no trigonometry.
    #[inline]
    pub fn offset(&self, x: f64, y: f64) -> (f32, f32) {
        (
            ((x - self.cx) * self.scale) as f32,
            ((y - self.cy) * self.scale) as f32,
        )
    }

    /// World position of a screen offset from the viewport's top-left corner.
    pub fn to_world(&self, sx: f32, sy: f32) -> (f64, f64) {
        (
            self.cx + f64::from(sx - self.width / 2.0) / self.scale,
            self.cy + f64::from(sy - self.height / 2.0) / self.scale,
        )
    }

    /// The world rectangle on screen, grown by `margin` points on each side, as
    /// `[x0, y0, x1, y1]` (the store's world rectangle, for its queries).
    pub fn world_rect(&self, margin: f32) -> [f32; 4] {
        let hw = f64::from(self.width / 2.0 + margin) / self.scale;
        let hh = f64::from(self.height / 2.0 + margin) / self.scale;
        [
            (self.cx - hw) as f32,
            (self.cy - hh) as f32,
            (self.cx + hw) as f32,
            (self.cy + hh) as f32,
        ]
    }

    /// The world area on screen, grown around the centre by the factor `grow` (in f64, for
    /// culling the basemap's geometry).
    pub fn bounds(&self, grow: f64) -> Bounds {
        let hw = f64::from(self.width) / 2.0 / self.scale * grow;
        let hh = f64::from(self.height) / 2.0 / self.scale * grow;
        Bounds {
            min: [self.cx - hw, self.cy - hh],
            max: [self.cx + hw, self.cy + hh],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn world_doubles_per_zoom_level() {
        assert_eq!(ViewGeometry::world_size(0.0), 256.0);
        assert_eq!(ViewGeometry::world_size(8.0), 65_536.0);
        let r = ViewGeometry::world_size(5.5) / ViewGeometry::world_size(4.5);
        assert!((r - 2.0).abs() < 1e-12);
    }

    #[test]
    fn screen_and_world_round_trip() {
        let v = ViewGeometry::at_zoom((0.58, 0.34), 7.0, (1000.0, 700.0));
        assert_eq!(v.scale, 256.0 * 128.0);
        // The centre is at the middle of the viewport.
        assert_eq!(v.to_world(500.0, 350.0), (0.58, 0.34));
        assert_eq!(v.offset(0.58, 0.34), (0.0, 0.0));
        // One point right and down.
        let (x, y) = v.to_world(501.0, 351.0);
        let (dx, dy) = v.offset(x, y);
        assert!(
            (dx - 1.0).abs() < 1e-3 && (dy - 1.0).abs() < 1e-3,
            "{dx} {dy}"
        );
        // The corners of the viewport are the corners of its world rectangle.
        let [x0, y0, x1, y1] = v.world_rect(0.0);
        let (a, b) = v.to_world(0.0, 0.0);
        let (c, d) = v.to_world(1000.0, 700.0);
        for (got, want) in [(x0, a), (y0, b), (x1, c), (y1, d)] {
            assert!((f64::from(got) - want).abs() < 1e-6, "{got} {want}");
        }
        // A margin grows the rectangle by that many points on each side.
        let [mx0, _, mx1, _] = v.world_rect(10.0);
        let grown = (f64::from(mx1) - f64::from(mx0)) * v.scale;
        assert!((grown - 1020.0).abs() < 0.5, "{grown}");
    }

    #[test]
    fn bounds_grow_around_the_centre() {
        let v = ViewGeometry::at_zoom((0.5, 0.5), 1.0, (512.0, 256.0));
        let b = v.bounds(1.0);
        // At zoom 1 the world is 512 points: the view spans all of x, half of y.
        assert_eq!((b.min, b.max), ([0.0, 0.25], [1.0, 0.75]));
        let g = v.bounds(1.1);
        assert!((g.max[0] - g.min[0] - 1.1).abs() < 1e-12);
    }

    #[test]
    fn fit_zoom_fits_the_tighter_direction() {
        // A quarter of the world across 256 points needs a 1024-point world: zoom 2.
        assert_eq!(ViewGeometry::fit_zoom((0.25, 0.01), (256.0, 256.0)), 2.0);
        let z = ViewGeometry::fit_zoom((0.1, 0.2), (800.0, 600.0));
        let v = ViewGeometry::at_zoom((0.5, 0.5), z, (800.0, 600.0));
        assert!((0.2 * v.scale - 600.0).abs() < 1e-6 && 0.1 * v.scale <= 800.0);
    }
}
