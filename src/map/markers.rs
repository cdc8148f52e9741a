//! Event markers as a walkers plugin: colour by weapon, size by casualties, area indications
//! for region- and country-level events, hover tooltip, click to select (cycling through
//! events at the same spot).

use egui::{Align2, Color32, FontId, Pos2, Rect, Shape, Stroke, Vec2, vec2};
use walkers::{MapMemory, Plugin, Projector, lat_lon};

use super::{MapOutput, MapView};
use crate::app::Command;
use crate::model::{Event, LocationPrecision, fmt_count};
use crate::ui::style;

/// Markers closer than this (points) count as "the same spot".
const SAME_SPOT: f32 = 4.0;
/// Extra pick tolerance around a marker, in points.
const PICK_SLOP: f32 = 3.0;
/// Country-level badges stacked at one spot before the rest fold into a "+N more" badge.
const MAX_BADGES: u32 = 4;
/// Radius of a region indication, in metres (a typical oblast is ~100–200 km across).
const REGION_RADIUS_M: f32 = 45_000.0;

/// How an event is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Glyph {
    /// A dot of this radius.
    Dot(f32),
    /// A translucent dashed circle (oblast-level location).
    Area(f32),
    /// A labelled badge (country-level location); the rect is where it is drawn.
    Badge(Rect),
}

/// One marker placed on screen this frame.
struct Placed {
    idx: usize,
    pos: Pos2,
    glyph: Glyph,
}

impl Placed {
    /// Distance from the pointer to the marker, if the pointer is on it.
    fn hit(&self, p: Pos2) -> Option<f32> {
        match self.glyph {
            Glyph::Dot(r) => {
                let d = self.pos.distance(p);
                (d <= r + PICK_SLOP).then_some(d)
            }
            // Areas are picked near their centre only, so they don't swallow clicks on the
            // dots inside them.
            Glyph::Area(_) => {
                let d = self.pos.distance(p);
                (d <= 10.0).then_some(d + 5.0)
            }
            Glyph::Badge(rect) => rect.expand(1.0).contains(p).then_some(0.0),
        }
    }
}

/// Radius of a dot for this many casualties (killed + injured).
pub fn dot_radius(e: &Event) -> f32 {
    let n = e.casualties() as f32;
    (5.0 + 2.2 * n.sqrt()).min(18.0)
}

/// The walkers plugin drawing event markers.
pub struct MarkersPlugin<'a, 'v> {
    /// What to draw.
    pub view: &'a MapView<'v>,
    /// Per-frame results.
    pub out: &'a mut MapOutput,
    /// Commands emitted on click.
    pub commands: &'a mut Vec<Command>,
}

impl Plugin for MarkersPlugin<'_, '_> {
    fn run(
        self: Box<Self>,
        ui: &mut egui::Ui,
        response: &egui::Response,
        projector: &Projector,
        _memory: &MapMemory,
    ) {
        let view = self.view;
        let clip = response.rect.expand(40.0);
        let painter = ui.painter().with_clip_rect(response.rect);
        let dark = ui.visuals().dark_mode;
        let font = FontId::proportional(11.0);

        // Place every visible event (culled to the viewport).
        let mut placed: Vec<Placed> = Vec::with_capacity(view.visible.len().min(100_000));
        // Per spot: badges stacked so far, and the events folded into "+N more".
        let mut badge_slots: Vec<(Pos2, u32, Vec<usize>)> = Vec::new();
        for &idx in view.visible {
            let Some(e) = view.store.get(idx) else {
                continue;
            };
            let pos = projector
                .project(lat_lon(e.location.lat, e.location.lon))
                .to_pos2();
            if !clip.contains(pos) {
                continue;
            }
            let glyph = match e.location.precision {
                LocationPrecision::Region => {
                    let ppm =
                        projector.scale_pixel_per_meter(lat_lon(e.location.lat, e.location.lon));
                    Glyph::Area((REGION_RADIUS_M * ppm).max(14.0))
                }
                LocationPrecision::Country => {
                    // Stack badges that share a spot so each stays readable and clickable.
                    let slot = match badge_slots
                        .iter_mut()
                        .find(|(p, _, _)| p.distance(pos) < 1.0)
                    {
                        Some((_, n, more)) => {
                            if *n + 1 >= MAX_BADGES {
                                more.push(idx);
                                continue;
                            }
                            *n += 1;
                            *n
                        }
                        None => {
                            badge_slots.push((pos, 0, Vec::new()));
                            0
                        }
                    };
                    let text = badge_text(e);
                    let galley = painter.layout_no_wrap(text, font.clone(), Color32::WHITE);
                    let size = galley.size() + vec2(14.0, 6.0);
                    let centre = pos + vec2(0.0, slot as f32 * (size.y + 3.0));
                    Glyph::Badge(Rect::from_center_size(centre, size))
                }
                _ => Glyph::Dot(dot_radius(e)),
            };
            placed.push(Placed { idx, pos, glyph });
        }

        // "+N more" badges under full stacks; clicking one cycles through its events.
        // A single folded event is simply shown as one more badge.
        for (pos, n, more) in &mut badge_slots {
            if let [idx] = more.as_slice()
                && let Some(e) = view.store.get(*idx)
            {
                let galley = painter.layout_no_wrap(badge_text(e), font.clone(), Color32::WHITE);
                let size = galley.size() + vec2(14.0, 6.0);
                let centre = *pos + vec2(0.0, (*n + 1) as f32 * (size.y + 3.0));
                placed.push(Placed {
                    idx: *idx,
                    pos: *pos,
                    glyph: Glyph::Badge(Rect::from_center_size(centre, size)),
                });
                more.clear();
            }
        }
        let more: Vec<(Rect, Vec<usize>)> = badge_slots
            .into_iter()
            .filter(|(_, _, more)| !more.is_empty())
            .map(|(pos, n, more)| {
                let text = format!("+{} more country-wide here", more.len());
                let galley = painter.layout_no_wrap(text, font.clone(), Color32::WHITE);
                let size = galley.size() + vec2(14.0, 6.0);
                let centre = pos + vec2(0.0, (n + 1) as f32 * (size.y + 3.0));
                (Rect::from_center_size(centre, size), more)
            })
            .collect();

        // Draw: areas, then dots largest first (small ones stay on top), badges, selection.
        placed.sort_by(|a, b| draw_rank(a).total_cmp(&draw_rank(b)));
        for p in &placed {
            let Some(e) = view.store.get(p.idx) else {
                continue;
            };
            let colour = style::weapon_colour(e.primary_weapon());
            match p.glyph {
                Glyph::Area(r) => {
                    painter.circle_filled(p.pos, r, colour.gamma_multiply(0.16));
                    let dashes = Shape::dashed_line(
                        &circle_points(p.pos, r, 64),
                        Stroke::new(1.5, colour),
                        6.0,
                        4.0,
                    );
                    painter.extend(dashes);
                    painter.circle_stroke(p.pos, 3.0, Stroke::new(1.5, colour));
                }
                Glyph::Dot(r) => {
                    let outline = if dark { Color32::BLACK } else { Color32::WHITE };
                    if e.killed.is_none() && e.injured.is_none() {
                        // Casualties not reported: hollow ring, so "unknown" never looks like 0.
                        painter.circle(
                            p.pos,
                            r,
                            colour.gamma_multiply(0.35),
                            Stroke::new(2.0, colour),
                        );
                    } else {
                        painter.circle(p.pos, r, colour, Stroke::new(1.0, outline));
                    }
                }
                Glyph::Badge(rect) => {
                    painter.rect(
                        rect,
                        4.0,
                        style::badge_fill(dark),
                        Stroke::new(1.5, colour),
                        egui::StrokeKind::Inside,
                    );
                    painter.text(
                        rect.center(),
                        Align2::CENTER_CENTER,
                        badge_text(e),
                        font.clone(),
                        style::badge_text(dark),
                    );
                }
            }
            self.out.drawn.push((p.idx, p.pos));
        }

        for (rect, events) in &more {
            painter.rect(
                *rect,
                4.0,
                style::badge_fill(dark),
                Stroke::new(1.0, Color32::GRAY),
                egui::StrokeKind::Inside,
            );
            painter.text(
                rect.center(),
                Align2::CENTER_CENTER,
                format!("+{} more country-wide here", events.len()),
                font.clone(),
                style::badge_text(dark),
            );
        }

        // Selection highlight and the events sharing its spot.
        if let Some(sel) = view.selected
            && let Some(s) = placed.iter().find(|p| p.idx == sel)
        {
            let ring = match s.glyph {
                Glyph::Dot(r) => r + 4.0,
                Glyph::Area(_) => 10.0,
                Glyph::Badge(rect) => {
                    painter.rect_stroke(
                        rect.expand(3.0),
                        5.0,
                        Stroke::new(2.5, style::SELECTION),
                        egui::StrokeKind::Outside,
                    );
                    0.0
                }
            };
            if ring > 0.0 {
                painter.circle_stroke(s.pos, ring, Stroke::new(3.0, style::SELECTION));
                painter.circle_stroke(s.pos, ring + 2.0, Stroke::new(1.0, Color32::BLACK));
            }
            let mut spot: Vec<usize> = vec![sel];
            if !matches!(s.glyph, Glyph::Badge(_)) {
                spot.extend(
                    placed
                        .iter()
                        .filter(|p| p.idx != sel && p.pos.distance(s.pos) <= SAME_SPOT)
                        .map(|p| p.idx),
                );
            }
            self.out.at_selected_spot = spot;
        }

        // Hover and click.
        let pointer = response.hover_pos();
        let folded = pointer.and_then(|p| more.iter().find(|(r, _)| r.contains(p)));
        let hits: Vec<usize> = match pointer {
            Some(_) if folded.is_some() => folded.map(|(_, e)| e.clone()).unwrap_or_default(),
            Some(p) => {
                let mut h: Vec<(f32, usize)> = placed
                    .iter()
                    .filter_map(|m| m.hit(p).map(|d| (d, m.idx)))
                    .collect();
                h.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                // Events at the same spot as the nearest one are all candidates for cycling.
                let near = h.first().map_or(0.0, |f| f.0);
                h.into_iter()
                    .filter(|(d, _)| *d <= near + SAME_SPOT)
                    .map(|(_, i)| i)
                    .collect()
            }
            None => Vec::new(),
        };
        if response.clicked() {
            self.commands.push(if hits.is_empty() {
                Command::Select(None)
            } else {
                Command::ClickedEvents(hits.clone())
            });
        }
        if !hits.is_empty() && !response.dragged() {
            ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
            egui::Tooltip::for_widget(response).at_pointer().show(|ui| {
                for (n, &i) in hits.iter().take(5).enumerate() {
                    if let Some(e) = view.store.get(i) {
                        if n > 0 {
                            ui.separator();
                        }
                        tooltip_ui(ui, e);
                    }
                }
                if hits.len() > 5 {
                    ui.weak(format!("… and {} more here", hits.len() - 5));
                }
                if hits.len() > 1 {
                    ui.weak("Click repeatedly to cycle through events at this spot");
                }
            });
        }
    }
}

/// Sorting key for drawing order.
fn draw_rank(p: &Placed) -> f32 {
    match p.glyph {
        Glyph::Area(r) => -10_000.0 - r,
        Glyph::Dot(r) => -r,
        Glyph::Badge(_) => 1_000.0,
    }
}

/// Short text for a country-level badge, e.g. "Ukraine (nationwide) · 138 launched".
fn badge_text(e: &Event) -> String {
    let mut t = e
        .location
        .place
        .clone()
        .or_else(|| e.location.country.clone())
        .unwrap_or_else(|| "Country-wide".to_owned());
    if let Some(l) = e.launched {
        t.push_str(&format!(" · {l} launched"));
    } else if let Some(k) = e.killed {
        t.push_str(&format!(" · {k} killed"));
    } else if let Some(j) = e.injured {
        t.push_str(&format!(" · {j} injured"));
    }
    t
}

fn circle_points(c: Pos2, r: f32, n: usize) -> Vec<Pos2> {
    (0..=n)
        .map(|i| {
            let a = i as f32 / n as f32 * std::f32::consts::TAU;
            c + r * Vec2::angled(a)
        })
        .collect()
}

/// Tooltip body: place, date, weapon, casualties.
fn tooltip_ui(ui: &mut egui::Ui, e: &Event) {
    ui.strong(e.location.display_name());
    ui.label(e.time.display());
    let weapons: Vec<&str> = e.weapons.iter().map(|w| w.label()).collect();
    ui.label(if weapons.is_empty() {
        "Weapon: unknown".to_owned()
    } else {
        format!("Weapon: {}", weapons.join(", "))
    });
    ui.label(format!(
        "Killed: {} · Injured: {}",
        fmt_count(e.killed, e.children_killed),
        fmt_count(e.injured, e.children_injured)
    ));
}
