//! Country- and macro-region-level reports ("138 drones launched over Ukraine overnight"):
//! one compact badge per spot, with the number of reports and the launched / intercepted
//! totals, placed beside its spot where it covers no marker, other badge, overlay or (since
//! the basemap keeps its labels clear of the badges) place name. Clicking a badge lists its
//! reports; clicking one of them selects it.
//!
//! Placement is pure (positions and text sizes in, rectangles out), so it is computed before
//! the basemap and the markers are drawn and both can respect it.

use egui::{Pos2, Rect, Vec2, pos2, vec2};

use crate::model::fmt_thousands;
use crate::store::EventStore;

/// Events closer than this (points) share one badge.
const SAME_SPOT: f32 = 2.0;
/// Reports listed when a badge is opened; the rest are counted.
pub const LISTED: usize = 12;
/// Height of one row of an opened badge's list.
pub const ROW_H: f32 = 18.0;

/// One badge: the reports at a spot and where the badge goes.
#[derive(Clone, Debug, PartialEq)]
pub struct Badge {
    /// Where the reports are placed (the country's or macro-region's point).
    pub anchor: Pos2,
    /// The reports (store indices), in time order.
    pub events: Vec<usize>,
    /// The badge's text.
    pub text: String,
    /// Where the badge is drawn.
    pub rect: Rect,
}

impl Badge {
    /// A stable key for the badge's open/closed state: its first report.
    pub fn key(&self) -> usize {
        self.events.first().copied().unwrap_or(usize::MAX)
    }

    /// Where the opened list is drawn (below the badge, or above it near the bottom).
    pub fn list_rect(&self, map: Rect, width: f32) -> Rect {
        let rows = self.events.len().min(LISTED) + usize::from(self.events.len() > LISTED);
        let h = rows as f32 * ROW_H + 8.0;
        let below = Rect::from_min_size(self.rect.left_bottom() + vec2(0.0, 2.0), vec2(width, h));
        let r = if below.bottom() <= map.bottom() - 30.0 {
            below
        } else {
            Rect::from_min_size(self.rect.left_top() - vec2(0.0, h + 2.0), vec2(width, h))
        };
        // Never past the map's edges (rows there could not be clicked).
        clamp_into(r, map.shrink(2.0))
    }
}

/// The badge text of a group of country-level reports: what they cover, how many, and the
/// launched / intercepted / killed totals they report (absent ones are left out, never 0).
pub fn badge_text(store: &EventStore, events: &[usize]) -> String {
    let mut place: Option<String> = None;
    let mut same_place = true;
    let (mut launched, mut intercepted, mut killed) = (None::<u64>, None::<u64>, None::<u64>);
    let add = |acc: &mut Option<u64>, v: Option<u32>| {
        if let Some(v) = v {
            *acc = Some(acc.unwrap_or(0) + u64::from(v));
        }
    };
    for &i in events {
        let Some(e) = store.get(i) else { continue };
        let name = e
            .location
            .place
            .clone()
            .or_else(|| e.location.country.clone());
        match (&place, name) {
            (None, Some(n)) => place = Some(n),
            (Some(p), Some(n)) if *p != n => same_place = false,
            _ => {}
        }
        add(&mut launched, e.launched);
        add(&mut intercepted, e.intercepted);
        add(&mut killed, e.killed);
    }
    let country = events
        .first()
        .and_then(|&i| store.get(i))
        .and_then(|e| e.location.country.clone());
    let label = match (same_place, place, country) {
        (true, Some(p), _) => p,
        (false, _, Some(c)) => c,
        _ => "Country-wide".to_owned(),
    };
    let n = events.len();
    let mut parts = vec![
        label,
        if n == 1 {
            "1 report".to_owned()
        } else {
            format!("{n} reports")
        },
    ];
    if let Some(l) = launched {
        parts.push(format!("{} launched", fmt_thousands(l)));
    }
    if let Some(i) = intercepted {
        parts.push(format!("{} intercepted", fmt_thousands(i)));
    }
    if let Some(k) = killed {
        parts.push(format!("{} killed", fmt_thousands(k)));
    }
    // Several reports: the totals are sums over them, and say so.
    if n > 1
        && parts.len() > 2
        && let Some(last) = parts.last_mut()
    {
        last.push_str(" in all");
    }
    parts.join(" · ")
}

/// Group reports by spot (screen positions within [`SAME_SPOT`]).
pub fn group_by_spot(points: &[(usize, Pos2)]) -> Vec<(Pos2, Vec<usize>)> {
    let mut groups: Vec<(Pos2, Vec<usize>)> = Vec::new();
    for &(i, p) in points {
        match groups.iter_mut().find(|(q, _)| q.distance(p) <= SAME_SPOT) {
            Some((_, g)) => g.push(i),
            None => groups.push((p, vec![i])),
        }
    }
    groups
}

/// Place badges of `sizes` beside their anchors inside `map`: the first candidate position
/// (right of the spot, left, above, below, then farther out) that stays inside the map and
/// clear of `obstacles` (markers, overlays) and of badges placed before. When none is free the
/// nearest spot inside the map is used.
pub fn place(anchors: &[(Pos2, Vec2)], map: Rect, obstacles: &[Rect]) -> Vec<Rect> {
    let inner = map.shrink(4.0);
    let mut placed: Vec<Rect> = Vec::with_capacity(anchors.len());
    for &(at, size) in anchors {
        let candidates = candidates(at, size);
        let free = |r: &Rect| {
            inner.contains_rect(*r)
                && !obstacles.iter().any(|o| o.intersects(*r))
                && !placed.iter().any(|p| p.expand(3.0).intersects(*r))
        };
        let rect = candidates
            .iter()
            .copied()
            .find(|r| free(r))
            .unwrap_or_else(|| clamp_into(candidates[0], inner));
        placed.push(rect);
    }
    placed
}

/// Candidate rectangles for a badge of `size` at `at`, nearest first.
fn candidates(at: Pos2, size: Vec2) -> Vec<Rect> {
    let gap = 10.0;
    let mut out = Vec::with_capacity(20);
    for ring in 0..4 {
        let d = gap + ring as f32 * 28.0;
        let dy = ring as f32 * (size.y + 6.0);
        out.push(Rect::from_min_size(
            pos2(at.x + d, at.y - size.y / 2.0),
            size,
        ));
        out.push(Rect::from_min_size(
            pos2(at.x - d - size.x, at.y - size.y / 2.0),
            size,
        ));
        out.push(Rect::from_min_size(
            pos2(at.x - size.x / 2.0, at.y - d - size.y - dy),
            size,
        ));
        out.push(Rect::from_min_size(
            pos2(at.x - size.x / 2.0, at.y + d + dy),
            size,
        ));
        out.push(Rect::from_min_size(
            pos2(at.x + d, at.y - size.y / 2.0 - size.y - 6.0 - dy),
            size,
        ));
        out.push(Rect::from_min_size(
            pos2(at.x + d, at.y + size.y / 2.0 + 6.0 + dy),
            size,
        ));
    }
    out
}

/// `r` moved (not resized) to lie inside `bounds` as far as it fits.
fn clamp_into(r: Rect, bounds: Rect) -> Rect {
    let dx = (bounds.left() - r.left()).max(0.0) + (bounds.right() - r.right()).min(0.0);
    let dy = (bounds.top() - r.top()).max(0.0) + (bounds.bottom() - r.bottom()).min(0.0);
    r.translate(vec2(dx, dy))
}

/// The point of `r`'s outline nearest to `p` (where the leader line from the spot ends).
pub fn nearest_edge_point(r: Rect, p: Pos2) -> Pos2 {
    pos2(
        p.x.clamp(r.left(), r.right()),
        p.y.clamp(r.top(), r.bottom()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badges_keep_clear_of_obstacles_and_each_other() {
        let map = Rect::from_min_size(Pos2::ZERO, vec2(800.0, 600.0));
        let size = vec2(220.0, 20.0);
        let at = pos2(400.0, 300.0);
        // A marker right of the spot, and the legend bottom-left.
        let obstacles = [
            Rect::from_center_size(pos2(430.0, 300.0), vec2(20.0, 20.0)),
            Rect::from_min_size(pos2(0.0, 400.0), vec2(180.0, 200.0)),
        ];
        let rects = place(
            &[(at, size), (at, size), (pos2(700.0, 40.0), size)],
            map,
            &obstacles,
        );
        for (k, r) in rects.iter().enumerate() {
            assert!(map.contains_rect(*r), "{k} inside the map");
            assert!(
                !obstacles.iter().any(|o| o.intersects(*r)),
                "{k} hides nothing"
            );
            for q in &rects[k + 1..] {
                assert!(!r.intersects(*q), "badges do not overlap");
            }
        }
        assert!(!rects[0].contains(at), "the spot itself stays visible");
    }

    #[test]
    fn reports_at_one_spot_share_a_badge() {
        let g = group_by_spot(&[
            (3, pos2(10.0, 10.0)),
            (5, pos2(10.5, 10.0)),
            (7, pos2(200.0, 50.0)),
        ]);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].1, vec![3, 5]);
    }

    #[test]
    fn badge_text_sums_what_is_reported_and_omits_what_is_not() {
        let store = EventStore::new(vec![std::sync::Arc::new(
            crate::import::load_bundled()
                .unwrap()
                .into_dataset(crate::model::DatasetId::Bundled),
        )]);
        let country: Vec<usize> = (0..store.len())
            .filter(|&i| store.precision(i) == crate::model::LocationPrecision::Country)
            .filter(|&i| store.get(i).is_some_and(|e| e.launched.is_some()))
            .collect();
        assert!(country.len() >= 2);
        let (l, n): (u64, u64) = country.iter().fold((0, 0), |(l, n), &i| {
            let e = store.get(i).unwrap();
            (
                l + u64::from(e.launched.unwrap_or(0)),
                n + u64::from(e.intercepted.unwrap_or(0)),
            )
        });
        let text = badge_text(&store, &country);
        assert!(
            text.contains(&format!("{} reports", country.len())),
            "{text}"
        );
        assert!(
            text.contains(&format!("{} launched", fmt_thousands(l))),
            "{text}"
        );
        assert!(
            text.contains(&format!("{} intercepted", fmt_thousands(n))),
            "{text}"
        );
    }
}
