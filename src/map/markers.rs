//! Event markers as a walkers plugin: colour by weapon, size by casualties, area indications
//! for region- and country-level events, hover tooltip, click to select (cycling through
//! events at the same spot).

use egui::{Align2, Color32, FontId, Pos2, Rect, Shape, Stroke, Vec2, vec2};
use walkers::{MapMemory, Plugin, Projector, lat_lon};

use super::{LayerCache, MapOutput, MapView};
use crate::app::Command;
use crate::layers::{Density, Layer};
use crate::model::{Event, LocationPrecision, Weapon, fmt_count, unmercator};
use crate::store::EventStore;
use crate::ui::style;

/// Markers closer than this (points) count as "the same spot".
const SAME_SPOT: f32 = 4.0;
/// Extra pick tolerance around a marker, in points.
const PICK_SLOP: f32 = 3.0;
/// Country-level badges stacked at one spot before the rest fold into a "+N more" badge.
const MAX_BADGES: u32 = 4;
/// Region indications are drawn dashed (the "somewhere in this oblast" look) up to this many
/// markers on screen.
const DASHED_AREAS_MAX: usize = 300;
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

/// Radius of a dot for event `i`'s casualties (killed + injured).
pub fn dot_radius(store: &EventStore, i: usize) -> f32 {
    let (k, j) = store.casualties(i);
    let n = (k.unwrap_or(0) + j.unwrap_or(0)) as f32;
    (5.0 + 2.2 * n.sqrt()).min(18.0)
}

/// Radius of a cluster circle holding `n` events.
fn cluster_radius(n: u32) -> f32 {
    // Capped below half the 64-point cell, so neighbouring clusters rarely overlap.
    (8.0 + 2.6 * (n as f32).ln()).min(27.0)
}

/// "950", "12k", "1.2M": cluster labels stay short.
pub fn short_count(n: u64) -> String {
    match n {
        0..=999 => n.to_string(),
        1_000..=9_999 => format!("{:.1}k", n as f64 / 1e3),
        10_000..=999_999 => format!("{}k", n / 1_000),
        _ => format!("{:.1}M", n as f64 / 1e6),
    }
}

/// The density grid as an image: transparent where empty, then yellow → orange → red → deep
/// purple on a log scale, so a single event stays visible next to thousands.
pub fn density_image(d: &Density, dark: bool) -> egui::ColorImage {
    // log2 from the bit length plus a linear step inside the octave: cheap for 100 000 cells.
    let log2 = |c: u32| {
        let e = 31 - c.leading_zeros();
        e as f32 + (c - (1 << e)) as f32 / (1u32 << e) as f32
    };
    let lmax = log2(d.max.max(1) + 1).max(1e-6);
    let pixels = d
        .counts
        .iter()
        .map(|&c| {
            if c == 0 {
                return Color32::TRANSPARENT;
            }
            let t = (log2(c + 1) / lmax).min(1.0);
            ramp(t, dark)
        })
        .collect();
    egui::ColorImage::new([d.cols, d.rows], pixels)
}

/// The density colour at `t` (0 = one event, 1 = the busiest cell).
fn ramp(t: f32, dark: bool) -> Color32 {
    const RAMP: [(f32, [u8; 3]); 5] = [
        (0.0, [255, 237, 160]),
        (0.3, [254, 178, 76]),
        (0.55, [240, 59, 32]),
        (0.8, [189, 0, 38]),
        (1.0, [84, 0, 80]),
    ];
    let k = RAMP
        .iter()
        .position(|(p, _)| *p >= t)
        .unwrap_or(RAMP.len() - 1)
        .max(1);
    let (p0, c0) = RAMP[k - 1];
    let (p1, c1) = RAMP[k];
    let f = ((t - p0) / (p1 - p0).max(1e-6)).clamp(0.0, 1.0);
    let mix = |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * f) as u8;
    let alpha = if dark { 0.55 + 0.4 * t } else { 0.5 + 0.45 * t };
    Color32::from_rgba_unmultiplied(
        mix(c0[0], c1[0]),
        mix(c0[1], c1[1]),
        mix(c0[2], c1[2]),
        (alpha * 255.0) as u8,
    )
}

/// Key for the density colours, bottom right above the attribution.
fn density_legend(painter: &egui::Painter, map: Rect, d: &Density, dark: bool) {
    let size = vec2(200.0, 46.0);
    let rect = Rect::from_min_size(map.right_bottom() - size - vec2(8.0, 26.0), size);
    painter.rect_filled(rect, 4.0, style::badge_fill(dark).gamma_multiply(0.9));
    let text = style::badge_text(dark);
    painter.text(
        rect.left_top() + vec2(8.0, 5.0),
        Align2::LEFT_TOP,
        format!("Events per {:.0}-point cell (log scale)", d.cell),
        FontId::proportional(11.0),
        text,
    );
    let bar = Rect::from_min_size(rect.left_top() + vec2(8.0, 21.0), vec2(size.x - 16.0, 8.0));
    let mut mesh = egui::Mesh::default();
    let steps = 32;
    for k in 0..steps {
        let x0 = bar.left() + bar.width() * k as f32 / steps as f32;
        let x1 = bar.left() + bar.width() * (k + 1) as f32 / steps as f32;
        mesh.add_colored_rect(
            Rect::from_x_y_ranges(x0..=x1, bar.y_range()),
            ramp(k as f32 / (steps - 1) as f32, dark),
        );
    }
    painter.add(Shape::mesh(mesh));
    let small = FontId::proportional(10.0);
    painter.text(
        bar.left_bottom() + vec2(0.0, 1.0),
        Align2::LEFT_TOP,
        "1",
        small.clone(),
        text,
    );
    painter.text(
        bar.right_bottom() + vec2(0.0, 1.0),
        Align2::RIGHT_TOP,
        short_count(u64::from(d.max)),
        small,
        text,
    );
}

/// The walkers plugin drawing the event layer: markers, clusters or density.
pub struct MarkersPlugin<'a, 'v> {
    /// What to draw.
    pub view: &'a MapView<'v>,
    /// The layer computed for this view.
    pub cache: &'a LayerCache,
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
        memory: &MapMemory,
    ) {
        let view = self.view;
        let store = view.store;
        let clip = response.rect.expand(40.0);
        let painter = ui.painter().with_clip_rect(response.rect);
        let dark = ui.visuals().dark_mode;
        let font = FontId::proportional(11.0);
        // Web Mercator is linear in normalised coordinates: one unprojection of the centre,
        // then a multiply-add per marker instead of trigonometry.
        let centre = response.rect.center();
        let c = projector.unproject(centre.to_vec2());
        let (cx, cy) = crate::model::mercator(c.y(), c.x());
        let scale = 256.0 * 2f64.powf(projector.zoom());
        let world = |i: usize| {
            let (x, y) = store.pos(i);
            centre
                + vec2(
                    ((f64::from(x) - cx) * scale) as f32,
                    ((f64::from(y) - cy) * scale) as f32,
                )
        };
        let pointer = response.hover_pos();
        let zoom = memory.zoom();

        // Aggregated layers first; single-event clusters become markers.
        let empty = Vec::new();
        let mut singles = Vec::new();
        let mut cluster_hit: Option<(f64, f64, u32, u64, Weapon)> = None;
        let mut not_drawn = 0;
        let marker_ids: &[usize] = match &self.cache.layer {
            Some(Layer::Markers(ids, more)) => {
                not_drawn = *more;
                ids
            }
            Some(Layer::Clusters(cls)) => {
                for c in cls {
                    if c.count == 1 {
                        singles.push(c.first);
                        continue;
                    }
                    let (lat, lon) = unmercator(c.x, c.y);
                    let pos = projector.project(lat_lon(lat, lon)).to_pos2();
                    if !clip.contains(pos) {
                        continue;
                    }
                    let r = cluster_radius(c.count);
                    let colour = style::weapon_colour(c.dominant());
                    painter.circle(
                        pos,
                        r,
                        colour.gamma_multiply(0.85),
                        Stroke::new(2.0, Color32::WHITE),
                    );
                    painter.text(
                        pos,
                        Align2::CENTER_CENTER,
                        short_count(u64::from(c.count)),
                        FontId::proportional(12.0),
                        Color32::WHITE,
                    );
                    if pointer.is_some_and(|p| p.distance(pos) <= r) {
                        cluster_hit = Some((lat, lon, c.count, c.killed, c.dominant()));
                    }
                }
                &singles
            }
            Some(Layer::Density(d)) => {
                if let Some(tex) = &self.cache.texture {
                    density_legend(&painter, response.rect, d, dark);
                    let (lat0, lon0) = unmercator(d.origin.0, d.origin.1);
                    let top_left = projector.project(lat_lon(lat0, lon0)).to_pos2();
                    let size = vec2(d.cols as f32, d.rows as f32) * d.cell;
                    painter.image(
                        tex.id(),
                        Rect::from_min_size(top_left, size),
                        Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
                        Color32::WHITE,
                    );
                }
                &empty
            }
            None => &empty,
        };

        // Place every marker (culled to the viewport).
        let mut placed: Vec<Placed> = Vec::with_capacity(marker_ids.len());
        // Per spot: badges stacked so far, and the events folded into "+N more".
        let mut badge_slots: Vec<(Pos2, u32, Vec<usize>)> = Vec::new();
        for &idx in marker_ids {
            let pos = world(idx);
            if !clip.contains(pos) {
                continue;
            }
            let glyph = match store.precision(idx) {
                LocationPrecision::Region => {
                    let (x, y) = store.pos(idx);
                    let (lat, lon) = unmercator(f64::from(x), f64::from(y));
                    let ppm = projector.scale_pixel_per_meter(lat_lon(lat, lon));
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
                    let text = badge_text(store, idx);
                    let galley = painter.layout_no_wrap(text, font.clone(), Color32::WHITE);
                    let size = galley.size() + vec2(14.0, 6.0);
                    let centre = pos + vec2(0.0, slot as f32 * (size.y + 3.0));
                    Glyph::Badge(Rect::from_center_size(centre, size))
                }
                _ => Glyph::Dot(dot_radius(store, idx)),
            };
            placed.push(Placed { idx, pos, glyph });
        }

        // "+N more" badges under full stacks; clicking one cycles through its events.
        // A single folded event is simply shown as one more badge.
        for (pos, n, more) in &mut badge_slots {
            if let [idx] = more.as_slice() {
                let galley =
                    painter.layout_no_wrap(badge_text(store, *idx), font.clone(), Color32::WHITE);
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
        let placed_n = placed.len();
        let several_datasets = store.datasets().count() > 1;
        let outline = if dark { Color32::BLACK } else { Color32::WHITE };
        for p in &placed {
            let colour = style::weapon_colour(store.weapon(p.idx));
            match p.glyph {
                Glyph::Area(r) => {
                    painter.circle_filled(p.pos, r, colour.gamma_multiply(0.16));
                    if placed_n <= DASHED_AREAS_MAX {
                        let dashes = Shape::dashed_line(
                            &circle_points(p.pos, r, 64),
                            Stroke::new(1.5, colour),
                            6.0,
                            4.0,
                        );
                        painter.extend(dashes);
                    } else {
                        // Dashes cost dozens of shapes each: with many markers, a thin ring.
                        painter.circle_stroke(p.pos, r, Stroke::new(1.0, colour));
                    }
                    painter.circle_stroke(p.pos, 3.0, Stroke::new(1.5, colour));
                }
                Glyph::Dot(r) => {
                    if several_datasets {
                        // Which file the event came from: a ring in its dataset colour.
                        let d = store.dataset_index(p.idx).unwrap_or(0);
                        painter.circle_stroke(
                            p.pos,
                            r + 2.0,
                            Stroke::new(2.0, style::dataset_colour(d)),
                        );
                    }
                    if store.casualties(p.idx) == (None, None) {
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
                        badge_text(store, p.idx),
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

        if not_drawn > 0 {
            painter.text(
                response.rect.center_top() + vec2(0.0, 8.0),
                Align2::CENTER_TOP,
                format!(
                    "{} more events here are not drawn as markers: choose Clusters or Density",
                    not_drawn
                ),
                FontId::proportional(13.0),
                if dark { Color32::WHITE } else { Color32::BLACK },
            );
        }

        // Hover and click.
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
        // Aggregates under the pointer: a cluster, or a density cell.
        let aggregate = if hits.is_empty() {
            match (&self.cache.layer, pointer) {
                (Some(Layer::Clusters(_)), Some(_)) => cluster_hit.map(|(lat, lon, n, k, w)| {
                    let text = format!(
                        "{} events · {} killed (reported) · mostly {}\nClick to zoom in",
                        n,
                        k,
                        w.label()
                    );
                    (lat, lon, text)
                }),
                (Some(Layer::Density(d)), Some(p)) => {
                    let pos = projector.unproject(p.to_vec2());
                    let (x, y) = crate::model::mercator(pos.y(), pos.x());
                    let n = d.count_at(x, y, 256.0 * 2f64.powf(zoom));
                    (n > 0).then(|| {
                        (
                            pos.y(),
                            pos.x(),
                            format!(
                                "{n} events in this {:.0}-point cell\nClick to zoom in",
                                d.cell
                            ),
                        )
                    })
                }
                _ => None,
            }
        } else {
            None
        };
        if response.clicked() {
            if let Some((lat, lon, _)) = &aggregate {
                self.commands
                    .push(Command::SetView(*lat, *lon, (zoom + 2.0).min(18.0)));
            } else {
                self.commands.push(if hits.is_empty() {
                    Command::Select(None)
                } else {
                    Command::ClickedEvents(hits.clone())
                });
            }
        }
        if let Some((_, _, text)) = &aggregate
            && !response.dragged()
        {
            ui.ctx().set_cursor_icon(egui::CursorIcon::ZoomIn);
            egui::Tooltip::for_widget(response)
                .at_pointer()
                .show(|ui| ui.label(text.as_str()));
        }
        if !hits.is_empty() && !response.dragged() {
            ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
            egui::Tooltip::for_widget(response).at_pointer().show(|ui| {
                for (n, &i) in hits.iter().take(5).enumerate() {
                    if let Some(e) = store.get(i) {
                        if n > 0 {
                            ui.separator();
                        }
                        tooltip_ui(ui, &e, view.basemap, view.ukrainian);
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
fn badge_text(store: &EventStore, i: usize) -> String {
    let Some(e) = store.get(i) else {
        return "Country-wide".to_owned();
    };
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

/// Tooltip body: place (and the nearest town when the source names none), date, weapon,
/// casualties.
fn tooltip_ui(
    ui: &mut egui::Ui,
    e: &Event,
    basemap: Option<&crate::basemap::Basemap>,
    ukrainian: bool,
) {
    ui.strong(e.location.display_name());
    if let Some(near) = crate::ui::detail::near_words_ui(ui, basemap, &e.location, ukrainian) {
        ui.label(near);
    }
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
