//! Where the markers of a layer go on screen and what is under the pointer: plain geometry
//! from the store and the view, with no painter, so it is unit-tested. `markers` paints the
//! result.

use egui::{Pos2, Rect, vec2};

use super::badges::Badge;
use super::glyph::Glyph;
use crate::geo::view::ViewGeometry;
use crate::model::{LocationPrecision, unmercator};
use crate::store::EventStore;

/// Markers closer than this (points) count as "the same spot".
pub const SAME_SPOT: f32 = 4.0;
/// Extra pick tolerance around a marker, in points.
const PICK_SLOP: f32 = 3.0;
/// Radius of a region indication, in metres (a typical oblast is ~100–200 km across).
const REGION_RADIUS_M: f32 = 45_000.0;

/// One marker placed on screen this frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placed {
    /// The event (store position).
    pub idx: usize,
    /// Its centre on screen.
    pub pos: Pos2,
    /// How it is drawn.
    pub glyph: Glyph,
}

impl Placed {
    /// Distance from the pointer to the marker, if the pointer is on it.
    fn hit(&self, p: Pos2) -> Option<f32> {
        let d = self.pos.distance(p);
        match self.glyph {
            Glyph::Dot { radius, .. } => (d <= radius + PICK_SLOP).then_some(d),
            // Areas are picked near their centre only, so they don't swallow clicks on the
            // dots inside them.
            Glyph::Area(_) => (d <= 10.0).then_some(d + 5.0),
        }
    }
}

/// Radius of a dot for event `i`'s casualties (killed + injured).
pub fn dot_radius(store: &EventStore, i: usize) -> f32 {
    let (k, j) = store.casualties(i);
    let n = (k.unwrap_or(0) + j.unwrap_or(0)) as f32;
    (5.0 + 2.2 * n.sqrt()).min(18.0)
}

/// Where and how each of `ids` goes in a view of `geom` whose centre is at `centre` on
/// screen: culled to `clip`, without the country-level events (they are badges), in drawing
/// order (areas, then dots largest first). `pixels_per_metre(lat, lon)` sizes the region
/// areas (the map's own projection, so they match its tiles).
pub fn place_markers(
    store: &EventStore,
    geom: &ViewGeometry,
    centre: Pos2,
    ids: &[usize],
    clip: Rect,
    pixels_per_metre: &dyn Fn(f64, f64) -> f32,
) -> Vec<Placed> {
    let mut placed: Vec<Placed> = Vec::with_capacity(ids.len());
    for &idx in ids {
        let (x, y) = store.pos(idx);
        let (dx, dy) = geom.offset(f64::from(x), f64::from(y));
        let pos = centre + vec2(dx, dy);
        if !clip.contains(pos) {
            continue;
        }
        let glyph = match store.precision(idx) {
            LocationPrecision::Country => continue,
            LocationPrecision::Region => {
                let (lat, lon) = unmercator(f64::from(x), f64::from(y));
                Glyph::Area((REGION_RADIUS_M * pixels_per_metre(lat, lon)).max(14.0))
            }
            _ => Glyph::Dot {
                radius: dot_radius(store, idx),
                reported: store.casualties(idx) != (None, None),
            },
        };
        placed.push(Placed { idx, pos, glyph });
    }
    placed.sort_by(|a, b| a.glyph.draw_rank().total_cmp(&b.glyph.draw_rank()));
    placed
}

/// The markers under the pointer at `p`, nearest first, with every event at the nearest
/// one's spot (candidates for cycling by clicking again).
pub fn hits_at(placed: &[Placed], p: Pos2) -> Vec<usize> {
    let mut h: Vec<(f32, usize)> = placed
        .iter()
        .filter_map(|m| m.hit(p).map(|d| (d, m.idx)))
        .collect();
    h.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let near = h.first().map_or(0.0, |f| f.0);
    h.into_iter()
        .filter(|(d, _)| *d <= near + SAME_SPOT)
        .map(|(_, i)| i)
        .collect()
}

/// The selected event's marker (if drawn) and the events at its spot, selected first (for a
/// country-level report: the other reports of its badge).
pub fn selected_spot<'p>(
    placed: &'p [Placed],
    badges: &[Badge],
    sel: usize,
) -> (Option<&'p Placed>, Vec<usize>) {
    let mut spot: Vec<usize> = vec![sel];
    let marker = placed.iter().find(|p| p.idx == sel);
    if let Some(s) = marker {
        spot.extend(
            placed
                .iter()
                .filter(|p| p.idx != sel && p.pos.distance(s.pos) <= SAME_SPOT)
                .map(|p| p.idx),
        );
    } else if let Some(b) = badges.iter().find(|b| b.events.contains(&sel)) {
        spot.extend(b.events.iter().copied().filter(|&i| i != sel));
    }
    (marker, spot)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::{Event, EventTime, Location, TimePrecision, mercator};
    use crate::store::{Dataset, DatasetData};

    fn event(id: &str, lat: f64, lon: f64, p: LocationPrecision, killed: Option<u32>) -> Event {
        let mut e = Event::new(
            id,
            EventTime::at(0, TimePrecision::Day),
            Location {
                lat,
                lon,
                precision: p,
                place: None,
                admin1: None,
                country: None,
            },
        );
        e.killed = killed;
        e
    }

    /// Kyiv at the centre of an 800×600 view at zoom 8, and events around it.
    #[test]
    fn markers_go_where_the_view_puts_them_in_drawing_order() {
        let (kx, ky) = mercator(50.45, 30.52);
        let geom = ViewGeometry::at_zoom((kx, ky), 8.0, (800.0, 600.0));
        let rect = Rect::from_min_size(Pos2::new(100.0, 50.0), egui::vec2(800.0, 600.0));
        let centre = rect.center();
        // A point 40 points right and 30 down of Kyiv, as a lat/lon.
        let (lat, lon) = unmercator(kx + 40.0 / geom.scale, ky + 30.0 / geom.scale);
        let events = vec![
            event("kyiv", 50.45, 30.52, LocationPrecision::Exact, Some(4)),
            event("near", lat, lon, LocationPrecision::Settlement, None),
            event("oblast", 50.45, 30.52, LocationPrecision::Region, None),
            event("country", 49.0, 31.0, LocationPrecision::Country, Some(1)),
            event("far", 40.0, 10.0, LocationPrecision::Exact, Some(1)),
        ];
        let store = EventStore::new(vec![Arc::new(DatasetData::from_events(
            Dataset::default(),
            events,
        ))]);
        let by_id = |id: &str| {
            (0..store.len())
                .find(|&i| store.get(i).is_some_and(|e| e.id == id))
                .unwrap()
        };
        let ids: Vec<usize> = (0..store.len()).collect();
        let placed = place_markers(&store, &geom, centre, &ids, rect.expand(40.0), &|_, _| 0.01);
        // The country-level report is a badge and the far event is off screen.
        let got: Vec<usize> = placed.iter().map(|p| p.idx).collect();
        assert_eq!(got, [by_id("oblast"), by_id("kyiv"), by_id("near")]);
        let [oblast, kyiv, near] = [placed[0], placed[1], placed[2]];
        // The region is an area sized by the map's metres (45 km × 0.01 points per metre).
        assert_eq!(oblast.glyph, Glyph::Area(450.0));
        // The store keeps positions in f32: within a hundredth of a point.
        assert!((oblast.pos - centre).length() < 0.01, "{:?}", oblast.pos);
        assert!((kyiv.pos - centre).length() < 0.01, "{:?}", kyiv.pos);
        assert_eq!(
            kyiv.glyph,
            Glyph::Dot {
                radius: 5.0 + 2.2 * 2.0,
                reported: true
            }
        );
        assert!((near.pos - (centre + vec2(40.0, 30.0))).length() < 0.01);
        assert_eq!(
            near.glyph,
            Glyph::Dot {
                radius: 5.0,
                reported: false
            }
        );
        // Small areas keep a visible size.
        let tiny = place_markers(&store, &geom, centre, &ids, rect, &|_, _| 1e-6);
        assert_eq!(tiny[0].glyph, Glyph::Area(14.0));

        // Hits: the dot under the pointer; the area under it is picked near its centre, but
        // counts 5 points farther, so the dot wins; nothing between the markers.
        assert_eq!(hits_at(&placed, centre + vec2(1.0, 0.0)), [by_id("kyiv")]);
        assert_eq!(
            hits_at(&placed[..1], centre + vec2(-8.0, 0.0)),
            [by_id("oblast")]
        );
        assert!(hits_at(&placed[..1], centre + vec2(-11.0, 0.0)).is_empty());
        assert_eq!(hits_at(&placed, centre + vec2(41.0, 30.0)), [by_id("near")]);
        assert!(hits_at(&placed, centre + vec2(20.0, -40.0)).is_empty());
        let (marker, spot) = selected_spot(&placed, &[], by_id("kyiv"));
        assert_eq!(marker.map(|m| m.idx), Some(by_id("kyiv")));
        assert_eq!(spot, [by_id("kyiv"), by_id("oblast")]);
    }
}
