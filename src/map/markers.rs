//! Event markers as a walkers plugin: colour by weapon, size by casualties, area indications
//! for region- and country-level events, hover tooltip, click to select (cycling through
//! events at the same spot).

use crate::state::map::MapCommand;
use crate::state::selection::SelectCommand;
use egui::{Align2, Color32, FontId, Pos2, Rect, Shape, Stroke, vec2};
use walkers::{MapMemory, Plugin, Projector, lat_lon};

use super::badges::{self, Badge};
use super::glyph::Ink;
use super::placement::{Placed, hits_at, place_markers, selected_spot};
use super::{LayerCache, MapOutput, MapView};
use crate::geo::view::ViewGeometry;
use crate::layers::{Density, Layer};
use crate::model::{Event, Weapon, fmt_count, unmercator};
use crate::present::style;
use crate::state::Command;
use crate::store::EventStore;

/// Region indications are drawn dashed (the "somewhere in this oblast" look) up to this many
/// markers on screen.
const DASHED_AREAS_MAX: usize = 300;

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
    /// Country-level badges, placed before the map was drawn.
    pub badges: &'a [Badge],
}

impl Plugin for MarkersPlugin<'_, '_> {
    fn run(
        mut self: Box<Self>,
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
        // Web Mercator is linear in normalised coordinates: one unprojection of the centre,
        // then a multiply-add per marker instead of trigonometry.
        let centre = response.rect.center();
        let c = projector.unproject(centre.to_vec2());
        let size = response.rect.size();
        let geom = ViewGeometry::at_zoom(
            crate::model::mercator(c.y(), c.x()),
            projector.zoom(),
            (size.x, size.y),
        );
        let pointer = response.hover_pos();

        // Aggregated layers first; single-event clusters become markers.
        let (singles, cluster_hit) = match &self.cache.layer {
            Some(Layer::Clusters(cls)) => clusters_ui(&painter, projector, clip, pointer, cls),
            _ => (Vec::new(), None),
        };
        let (marker_ids, not_drawn): (&[usize], usize) = match &self.cache.layer {
            Some(Layer::Markers(ids, more)) => (ids, *more),
            Some(Layer::Clusters(_)) => (&singles, 0),
            Some(Layer::Density(d)) => {
                if let Some(tex) = &self.cache.texture {
                    density_ui(&painter, projector, response.rect, d, tex, geom.scale, dark);
                }
                (&[], 0)
            }
            None => (&[], 0),
        };

        // Place every marker (culled to the viewport, in drawing order). Country-level
        // reports are drawn as badges, placed before the map (see `badges`).
        let ppm = |lat, lon| projector.scale_pixel_per_meter(lat_lon(lat, lon));
        let placed = place_markers(store, &geom, centre, marker_ids, clip, &ppm);
        paint_markers(&painter, store, &placed, dark);
        self.out.drawn.extend(placed.iter().map(|p| (p.idx, p.pos)));

        // Country- and macro-region-level reports: one badge per spot.
        let badge = badges_ui(ui, response, store, self.badges, view.selected, dark);

        // Selection highlight and the events sharing its spot.
        if let Some(sel) = view.selected {
            self.out.at_selected_spot = selection_ui(&painter, &placed, self.badges, sel);
        }
        if not_drawn > 0 {
            not_drawn_ui(&painter, response.rect, not_drawn, dark);
        }
        let under = Under {
            badge,
            cluster: cluster_hit,
        };
        self.pointer_ui(ui, response, projector, memory.zoom(), &placed, under);
    }
}

/// What the pointer is on besides the markers (checked first: they lie on top).
struct Under {
    /// A badge or a report in an opened badge's list.
    badge: Option<BadgePick>,
    /// A cluster.
    cluster: Option<ClusterHit>,
}

impl MarkersPlugin<'_, '_> {
    /// Hover and click: tooltips, the cursor, and the commands a click emits.
    fn pointer_ui(
        &mut self,
        ui: &egui::Ui,
        response: &egui::Response,
        projector: &Projector,
        zoom: f64,
        placed: &[Placed],
        under: Under,
    ) {
        let pointer = response.hover_pos();
        // A badge or its list is on top of everything under it.
        let hits = match pointer {
            Some(p) if under.badge.is_none() => hits_at(placed, p),
            _ => Vec::new(),
        };
        let aggregate = if hits.is_empty() {
            aggregate_at(self.cache.layer.as_ref(), pointer, under.cluster, projector)
        } else {
            None
        };
        if response.clicked() {
            if let Some(pick) = under.badge {
                match pick {
                    BadgePick::Badge(key) => toggle_open(ui.ctx(), key),
                    BadgePick::Report(i) => self
                        .commands
                        .push(Command::Select(SelectCommand::Select(Some(i)))),
                }
            } else if let Some((lat, lon, _)) = &aggregate {
                self.commands.push(Command::Map(MapCommand::SetView(
                    *lat,
                    *lon,
                    (zoom + 2.0).min(18.0),
                )));
            } else {
                self.commands.push(if hits.is_empty() {
                    Command::Select(SelectCommand::Select(None))
                } else {
                    Command::Select(SelectCommand::Clicked(hits.clone()))
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
            egui::Tooltip::for_widget(response)
                .at_pointer()
                .show(|ui| hits_tooltip_ui(ui, self.view, &hits));
        }
    }
}

/// The note that a forced marker layer left `n` events undrawn.
fn not_drawn_ui(painter: &egui::Painter, map: Rect, n: usize, dark: bool) {
    painter.text(
        map.center_top() + vec2(0.0, 8.0),
        Align2::CENTER_TOP,
        format!(
            "{} more events here are not drawn as markers: choose Clusters or Density",
            n
        ),
        FontId::proportional(13.0),
        if dark { Color32::WHITE } else { Color32::BLACK },
    );
}

/// Paint placed markers in order: area indications, dots (a dataset ring when several files
/// are open; hollow when casualties are not reported).
fn paint_markers(painter: &egui::Painter, store: &EventStore, placed: &[Placed], dark: bool) {
    let several_datasets = store.datasets().count() > 1;
    let outline = if dark { Color32::BLACK } else { Color32::WHITE };
    // Dashes cost dozens of shapes each: with many markers, areas get a thin ring.
    let dashed = placed.len() <= DASHED_AREAS_MAX;
    for p in placed {
        // Which file the event came from: a ring in its dataset colour.
        let ring = several_datasets
            .then(|| style::dataset_colour(store.dataset_index(p.idx).unwrap_or(0)));
        let ink = Ink {
            colour: style::weapon_colour(store.weapon(p.idx)),
            outline,
            ring,
            dashed,
        };
        p.glyph.paint(painter, p.pos, &ink);
    }
}

/// Ring the selected event; returns the events at its spot, selected first (for a
/// country-level report: the other reports of its badge).
fn selection_ui(
    painter: &egui::Painter,
    placed: &[Placed],
    badges: &[Badge],
    sel: usize,
) -> Vec<usize> {
    let (marker, spot) = selected_spot(placed, badges, sel);
    if let Some(s) = marker {
        let ring = s.glyph.selection_radius();
        painter.circle_stroke(s.pos, ring, Stroke::new(3.0, style::SELECTION));
        painter.circle_stroke(s.pos, ring + 2.0, Stroke::new(1.0, Color32::BLACK));
    }
    spot
}

/// The hover tooltip over markers: up to five events at the spot.
fn hits_tooltip_ui(ui: &mut egui::Ui, view: &MapView<'_>, hits: &[usize]) {
    for (n, &i) in hits.iter().take(5).enumerate() {
        if let Some(e) = view.store.get(i) {
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
}

/// The aggregate under the pointer (a cluster, or a density cell): where to zoom in, and
/// its tooltip.
fn aggregate_at(
    layer: Option<&Layer>,
    pointer: Option<Pos2>,
    cluster_hit: Option<ClusterHit>,
    projector: &Projector,
) -> Option<(f64, f64, String)> {
    match (layer, pointer) {
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
            let n = d.count_at(x, y, d.scale);
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
}

/// A cluster under the pointer: where it is, its events, their reported killed, and their
/// most frequent weapon.
type ClusterHit = (f64, f64, u32, u64, Weapon);

/// Paint the clusters of more than one event; returns the single-event ones (drawn as
/// markers) and the cluster under the pointer.
fn clusters_ui(
    painter: &egui::Painter,
    projector: &Projector,
    clip: Rect,
    pointer: Option<Pos2>,
    cls: &[crate::layers::Cluster],
) -> (Vec<usize>, Option<ClusterHit>) {
    let mut singles = Vec::new();
    let mut hit = None;
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
            hit = Some((lat, lon, c.count, c.killed, c.dominant()));
        }
    }
    (singles, hit)
}

/// Paint the density raster and its key; `scale` is the view's (points per world unit).
fn density_ui(
    painter: &egui::Painter,
    projector: &Projector,
    map: Rect,
    d: &Density,
    tex: &egui::TextureHandle,
    scale: f64,
    dark: bool,
) {
    // A key over an empty view would read "1 … 0".
    if d.max > 0 {
        density_legend(painter, map, d, dark);
    }
    let (lat0, lon0) = unmercator(d.origin.0, d.origin.1);
    let top_left = projector.project(lat_lon(lat0, lon0)).to_pos2();
    // Scaled when the view's zoom differs from the raster's (a new one is being computed):
    // the old raster stays in place rather than vanishing.
    let k = if d.scale > 0.0 {
        (scale / d.scale) as f32
    } else {
        1.0
    };
    let size = vec2(d.cols as f32, d.rows as f32) * d.cell * k;
    painter.image(
        tex.id(),
        Rect::from_min_size(top_left, size),
        Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
        Color32::WHITE,
    );
}

/// Tooltip body: place (and the nearest town when the source names none), date, weapon,
/// casualties.
fn tooltip_ui(
    ui: &mut egui::Ui,
    e: &Event,
    basemap: Option<&crate::geo::Basemap>,
    ukrainian: bool,
) {
    ui.strong(e.location.display_name());
    if let Some(near) = crate::present::text::near_words_ui(ui, basemap, &e.location, ukrainian) {
        ui.label(near);
    }
    ui.label(e.time.display());
    let weapons: Vec<&str> = e.weapons.iter().map(|w| w.label()).collect();
    ui.label(if weapons.is_empty() {
        "Weapon: unknown".to_owned()
    } else {
        format!("Weapon: {}", weapons.join(", "))
    });
    if let Some(attack) = attack_words(e) {
        ui.label(attack);
    }
    // Attack-level totals usually report no casualties: say nothing rather than "unknown".
    let attack_only = e.killed.is_none()
        && e.injured.is_none()
        && (e.launched.is_some() || e.intercepted.is_some());
    if !attack_only {
        ui.label(format!(
            "Killed: {} · Injured: {}",
            fmt_count(e.killed, e.children_killed),
            fmt_count(e.injured, e.children_injured)
        ));
    }
}

/// "138 launched · 110 intercepted" for attack-level records (None when neither is given).
pub fn attack_words(e: &Event) -> Option<String> {
    match (e.launched, e.intercepted) {
        (None, None) => None,
        (Some(l), None) => Some(format!("{l} launched")),
        (None, Some(i)) => Some(format!("{i} intercepted")),
        (Some(l), Some(i)) => Some(format!("{l} launched · {i} intercepted")),
    }
}

/// What the pointer is on among the badges.
#[derive(Clone, Copy, Debug, PartialEq)]
enum BadgePick {
    /// A badge (its key): clicking opens or closes its list.
    Badge(usize),
    /// A report in an opened list: clicking selects it.
    Report(usize),
}

/// Id of the set of opened badges in egui's memory (view state, like a collapsing header).
fn open_badges_id() -> egui::Id {
    egui::Id::unique("strikemap_open_badges")
}

/// Keys of the badges whose lists are open.
pub fn open_badges(ctx: &egui::Context) -> Vec<usize> {
    ctx.data(|d| d.get_temp::<Vec<usize>>(open_badges_id()))
        .unwrap_or_default()
}

/// Open or close a badge's list.
fn toggle_open(ctx: &egui::Context, key: usize) {
    ctx.data_mut(|d| {
        let open = d.get_temp_mut_or_default::<Vec<usize>>(open_badges_id());
        match open.iter().position(|k| *k == key) {
            Some(p) => {
                open.remove(p);
            }
            None => open.push(key),
        }
    });
}

/// Width of an opened badge's list.
pub const LIST_WIDTH: f32 = 440.0;

/// What the badges are drawn with this frame.
struct BadgeInk<'a> {
    painter: egui::Painter,
    store: &'a EventStore,
    /// The map's rect (lists stay inside it).
    map: Rect,
    selected: Option<usize>,
    pointer: Option<Pos2>,
    font: FontId,
    ink: Color32,
    fill: Color32,
    /// Row highlight of an opened list.
    hover_fill: Color32,
    weak: Color32,
}

/// Draw the badges (a leader line from the spot when the badge sits beside it) and the lists
/// of opened ones; returns what the pointer is on.
fn badges_ui(
    ui: &egui::Ui,
    response: &egui::Response,
    store: &EventStore,
    list: &[Badge],
    selected: Option<usize>,
    dark: bool,
) -> Option<BadgePick> {
    let bi = BadgeInk {
        painter: ui.painter().with_clip_rect(response.rect),
        store,
        map: response.rect,
        selected,
        pointer: response.hover_pos(),
        font: FontId::proportional(11.0),
        ink: style::badge_text(dark),
        fill: style::badge_fill(dark),
        hover_fill: ui.visuals().selection.bg_fill.gamma_multiply(0.5),
        weak: ui.visuals().weak_text_color(),
    };
    let open = open_badges(ui.ctx());
    let mut pick = None;
    for b in list {
        let colour = style::weapon_colour(store.weapon(b.events[0]));
        let is_open = open.contains(&b.key());
        badge_box(&bi, b, colour, is_open, &mut pick);
        if is_open {
            badge_list(&bi, b, colour, &mut pick);
        }
    }
    if let Some(p) = pick
        && !response.dragged()
    {
        ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
        // A report's row highlights under the pointer; a tooltip would cover the next rows.
        let tip = match p {
            BadgePick::Report(_) => return pick,
            BadgePick::Badge(_) => {
                "Country- or region-wide reports: click to list them.\nLaunched and \
                 intercepted are sums over the reports; a report may include others (a \
                 weekly total holds its nights), and not every report gives both."
            }
        };
        egui::Tooltip::for_widget(response).at_pointer().show(|ui| {
            ui.label(tip);
        });
    }
    pick
}

/// One badge: its spot, the leader line to it, the box and its text.
fn badge_box(
    bi: &BadgeInk<'_>,
    b: &Badge,
    colour: Color32,
    is_open: bool,
    pick: &mut Option<BadgePick>,
) {
    let painter = &bi.painter;
    if !b.rect.contains(b.anchor) {
        let end = badges::nearest_edge_point(b.rect, b.anchor);
        painter.line_segment([b.anchor, end], Stroke::new(1.0, colour));
    }
    painter.circle(b.anchor, 3.5, colour, Stroke::new(1.0, bi.ink));
    let chosen = bi.selected.is_some_and(|s| b.events.contains(&s));
    painter.rect(
        b.rect,
        4.0,
        bi.fill,
        Stroke::new(
            if chosen { 2.5 } else { 1.5 },
            if chosen { style::SELECTION } else { colour },
        ),
        egui::StrokeKind::Inside,
    );
    let arrow = if is_open { "▾" } else { "▸" };
    painter.text(
        b.rect.left_center() + vec2(7.0, 0.0),
        Align2::LEFT_CENTER,
        format!("{} {arrow}", b.text),
        bi.font.clone(),
        bi.ink,
    );
    if bi.pointer.is_some_and(|p| b.rect.contains(p)) {
        *pick = Some(BadgePick::Badge(b.key()));
    }
}

/// An opened badge's list: one row per report (the hovered or selected one highlighted),
/// then how many more there are.
fn badge_list(bi: &BadgeInk<'_>, b: &Badge, colour: Color32, pick: &mut Option<BadgePick>) {
    let painter = &bi.painter;
    let rect = b.list_rect(bi.map, LIST_WIDTH);
    painter.rect(
        rect,
        4.0,
        bi.fill,
        Stroke::new(1.0, colour),
        egui::StrokeKind::Inside,
    );
    for (k, &i) in b.events.iter().take(badges::LISTED).enumerate() {
        let row = Rect::from_min_size(
            rect.min + vec2(4.0, 4.0 + k as f32 * badges::ROW_H),
            vec2(rect.width() - 8.0, badges::ROW_H),
        );
        let hovered = bi.pointer.is_some_and(|p| row.contains(p));
        if hovered {
            *pick = Some(BadgePick::Report(i));
        }
        if hovered || bi.selected == Some(i) {
            painter.rect_filled(row, 2.0, bi.hover_fill);
        }
        let text = bi.store.get(i).map_or_else(String::new, |e| {
            let days = crate::present::text::day_range_text(e.time.start, e.time.end);
            let mut t = format!("{days} · {}", e.headline());
            if let Some(a) = attack_words(&e) {
                t.push_str(&format!(" ({a})"));
            }
            t
        });
        // One line per report, cut at the list's edge.
        let galley = painter.layout_no_wrap(text, bi.font.clone(), bi.ink);
        let at = egui::pos2(row.left() + 2.0, row.center().y - galley.size().y / 2.0);
        painter
            .with_clip_rect(row.intersect(bi.map))
            .galley(at, galley, bi.ink);
    }
    if b.events.len() > badges::LISTED {
        painter.text(
            rect.left_bottom() + vec2(6.0, -4.0),
            Align2::LEFT_BOTTOM,
            format!("… and {} more", b.events.len() - badges::LISTED),
            bi.font.clone(),
            bi.weak,
        );
    }
    if bi.pointer.is_some_and(|p| rect.contains(p)) && pick.is_none() {
        *pick = Some(BadgePick::Badge(b.key()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LocationPrecision;

    #[test]
    fn attack_level_records_read_as_launched_and_intercepted() {
        let mut e = Event::new(
            "a",
            crate::model::EventTime::at(0, crate::model::TimePrecision::Day),
            crate::model::Location {
                lat: 49.0,
                lon: 31.0,
                precision: LocationPrecision::Country,
                place: None,
                admin1: None,
                country: None,
            },
        );
        assert_eq!(attack_words(&e), None);
        e.launched = Some(138);
        e.intercepted = Some(110);
        assert_eq!(
            attack_words(&e).as_deref(),
            Some("138 launched · 110 intercepted")
        );
        e.launched = None;
        assert_eq!(attack_words(&e).as_deref(), Some("110 intercepted"));
    }
}
