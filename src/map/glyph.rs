//! The glyph of an event: a dot sized by casualties (hollow when they are not reported) or a
//! translucent area for region-level locations. The markers and the legend both paint through
//! this type, so the key always shows exactly what the map draws.

use egui::{Color32, Pos2, Shape, Stroke, Vec2};

/// How an event is drawn, apart from where and in which colour.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Glyph {
    /// A dot of this radius: filled when casualties are reported, a hollow ring when not (so
    /// "unknown" never looks like 0).
    Dot {
        /// Radius in points.
        radius: f32,
        /// Whether killed or injured is reported.
        reported: bool,
    },
    /// A translucent circle of this radius (oblast-level location).
    Area(f32),
}

/// The colours and details a glyph is painted with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ink {
    /// The weapon's colour.
    pub colour: Color32,
    /// Rim of a filled dot (contrasting with the map).
    pub outline: Color32,
    /// A ring in the dataset's colour around a dot, when several files are open.
    pub ring: Option<Color32>,
    /// An area's outline is dashed; with many markers a thin ring instead (dashes cost
    /// dozens of shapes each).
    pub dashed: bool,
}

impl Glyph {
    /// Radius of the selection ring around this glyph.
    pub fn selection_radius(&self) -> f32 {
        match *self {
            Self::Dot { radius, .. } => radius + 4.0,
            Self::Area(_) => 10.0,
        }
    }

    /// Sorting key for the drawing order: areas first, then dots largest first, so small
    /// ones stay on top.
    pub fn draw_rank(&self) -> f32 {
        match *self {
            Self::Area(r) => -10_000.0 - r,
            Self::Dot { radius, .. } => -radius,
        }
    }

    /// Paint the glyph centred at `pos`.
    pub fn paint(&self, painter: &egui::Painter, pos: Pos2, ink: &Ink) {
        let colour = ink.colour;
        match *self {
            Self::Area(r) => {
                painter.circle_filled(pos, r, colour.gamma_multiply(0.16));
                if ink.dashed {
                    let dashes = Shape::dashed_line(
                        &circle_points(pos, r, 64),
                        Stroke::new(1.5, colour),
                        6.0,
                        4.0,
                    );
                    painter.extend(dashes);
                } else {
                    painter.circle_stroke(pos, r, Stroke::new(1.0, colour));
                }
                painter.circle_stroke(pos, 3.0, Stroke::new(1.5, colour));
            }
            Self::Dot { radius, reported } => {
                if let Some(ring) = ink.ring {
                    painter.circle_stroke(pos, radius + 2.0, Stroke::new(2.0, ring));
                }
                if reported {
                    painter.circle(pos, radius, colour, Stroke::new(1.0, ink.outline));
                } else {
                    painter.circle(
                        pos,
                        radius,
                        colour.gamma_multiply(0.35),
                        Stroke::new(2.0, colour),
                    );
                }
            }
        }
    }
}

/// `n + 1` points around a circle (the first repeated last, closing a dashed outline).
fn circle_points(c: Pos2, r: f32, n: usize) -> Vec<Pos2> {
    (0..=n)
        .map(|i| {
            let a = i as f32 / n as f32 * std::f32::consts::TAU;
            c + r * Vec2::angled(a)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_draw_under_dots_and_big_dots_under_small_ones() {
        let dot = |radius| Glyph::Dot {
            radius,
            reported: true,
        };
        let mut g = [dot(5.0), Glyph::Area(30.0), dot(12.0), Glyph::Area(14.0)];
        g.sort_by(|a, b| a.draw_rank().total_cmp(&b.draw_rank()));
        assert_eq!(
            g,
            [Glyph::Area(30.0), Glyph::Area(14.0), dot(12.0), dot(5.0)]
        );
        assert_eq!(dot(5.0).selection_radius(), 9.0);
        assert_eq!(Glyph::Area(30.0).selection_radius(), 10.0);
    }

    #[test]
    fn circle_points_close_the_outline() {
        let p = circle_points(Pos2::new(10.0, 10.0), 5.0, 8);
        assert_eq!(p.len(), 9);
        assert!(p[0].distance(p[8]) < 1e-4);
        assert!(
            p.iter()
                .all(|q| (q.distance(Pos2::new(10.0, 10.0)) - 5.0).abs() < 1e-4)
        );
    }
}
