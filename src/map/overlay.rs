//! Map overlays drawn on top of the map: zoom buttons, scale bar, weapon legend, attribution.

use crate::state::map::MapCommand;
use egui::{Align2, Color32, FontId, Rect, Stroke, pos2, vec2};
use walkers::{MapMemory, Projector, sources::Attribution};

use super::glyph::{Glyph, Ink};
use crate::model::Weapon;
use crate::present::style;
use crate::state::Command;

/// What the map is drawn from, for the attribution line.
pub struct Sources {
    /// Tiles are being fetched.
    pub has_tiles: bool,
    /// The built-in basemap is drawn.
    pub has_basemap: bool,
    /// The tile source's attribution.
    pub attribution: Option<Attribution>,
}

/// What an exported map image says about itself, burnt in at its top left (in place of the
/// zoom buttons, which mean nothing in a picture).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Caption {
    /// The first line, in strong type: the window's days.
    pub title: String,
    /// Further lines: totals, the filter, the data.
    pub lines: Vec<String>,
}

/// Draw all overlays inside the map's rect; with a `caption` (an image being exported) it
/// stands where the zoom buttons are.
pub fn overlays_ui(
    ui: &mut egui::Ui,
    response: &egui::Response,
    projector: &Projector,
    memory: &MapMemory,
    sources: &Sources,
    caption: Option<(&Caption, Rect)>,
    commands: &mut Vec<Command>,
) {
    let rect = response.rect;
    match caption {
        Some((c, at)) => caption_ui(ui, rect, c, at),
        None => zoom_buttons_ui(ui, rect, commands),
    }
    scale_bar_ui(ui, rect, projector, memory);
    legend_ui(ui, rect);
    attribution_ui(ui, rect, sources);
}

/// Height of one legend row.
const LEGEND_ROW: f32 = 17.0;

/// The legend's frame in a map of `rect`: bottom-left above the scale bar, or, in a map too
/// short for it to clear the zoom buttons (all panels open), top-right.
fn legend_frame(rect: Rect) -> Rect {
    let rows = Weapon::ALL.len() as f32 + 3.0;
    let size = vec2(170.0, rows * LEGEND_ROW + 10.0);
    let top = rect.bottom() - 50.0 - rows * LEGEND_ROW;
    if top >= rect.top() + 126.0 {
        Rect::from_min_size(pos2(rect.left() + 6.0, top), size)
    } else {
        Rect::from_min_size(pos2(rect.right() - 6.0 - size.x, rect.top() + 6.0), size)
    }
}

/// Where the overlays sit inside a map of `rect` (zoom buttons, legend, scale bar,
/// attribution, density key): basemap labels and badges keep clear of them.
pub fn reserved_rects(rect: Rect) -> Vec<Rect> {
    vec![
        Rect::from_min_size(rect.left_top() + vec2(6.0, 6.0), vec2(42.0, 112.0)),
        legend_frame(rect).expand(4.0),
        Rect::from_min_max(
            pos2(rect.left(), rect.bottom() - 40.0),
            pos2(rect.left() + 220.0, rect.bottom()),
        ),
        Rect::from_min_max(
            pos2(rect.left() + 200.0, rect.bottom() - 24.0),
            rect.right_bottom(),
        ),
        Rect::from_min_size(rect.right_bottom() - vec2(212.0, 76.0), vec2(208.0, 52.0)),
    ]
}

fn zoom_buttons_ui(ui: &mut egui::Ui, rect: Rect, commands: &mut Vec<Command>) {
    let size = vec2(34.0, 30.0);
    let x = rect.left() + 10.0;
    let mut y = rect.top() + 10.0;
    for (text, label, cmd) in [
        ("+", "Zoom in", Command::Map(MapCommand::Zoom(1))),
        ("−", "Zoom out", Command::Map(MapCommand::Zoom(-1))),
        ("Fit", "Fit all events", Command::Map(MapCommand::FitAll)),
    ] {
        let r = Rect::from_min_size(pos2(x, y), size);
        let size_pt = if text.len() > 3 { 12.0 } else { 18.0 };
        let button = egui::Button::new(egui::RichText::new(text).size(size_pt).strong())
            .fill(style::overlay_fill(ui.visuals()))
            .wrap_mode(egui::TextWrapMode::Extend);
        let resp = ui.put(r, button).on_hover_text(label);
        resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, label));
        if resp.clicked() {
            commands.push(cmd);
        }
        y += size.y + 4.0;
    }
}

/// Where the caption box goes in a map of `rect`: of the top-left (where the zoom buttons
/// are), top-right and bottom-right corners, the one over the fewest of `points` (the
/// markers and clusters drawn), so the caption hides as little of the data as it can.
pub fn place_caption(ui: &egui::Ui, rect: Rect, caption: &Caption, points: &[egui::Pos2]) -> Rect {
    let size = caption_size(ui, rect, caption);
    let legend = legend_frame(rect);
    let right = rect.right() - 10.0 - size.x;
    let corners = [
        pos2(rect.left() + 10.0, rect.top() + 10.0),
        // Right of the legend when it has moved to the top-right.
        pos2(right, rect.top() + 10.0)
            + vec2(
                0.0,
                if legend.top() < rect.center().y {
                    legend.height() + 8.0
                } else {
                    0.0
                },
            ),
        pos2(right, rect.bottom() - 84.0 - size.y),
    ];
    let covered = |r: Rect| {
        points
            .iter()
            .filter(|p| r.expand(10.0).contains(**p))
            .count()
    };
    corners
        .iter()
        .map(|&c| Rect::from_min_size(c, size))
        .filter(|r| rect.contains_rect(*r))
        .min_by_key(|r| covered(*r))
        .unwrap_or_else(|| Rect::from_min_size(corners[0], size))
}

/// The caption box's size, measured from its texts.
fn caption_size(ui: &egui::Ui, rect: Rect, caption: &Caption) -> egui::Vec2 {
    let max = (rect.width() - 24.0).clamp(120.0, 560.0);
    let painter = ui.painter();
    // Laid out as `caption_ui` draws them: wrapped to the box, the title in strong type.
    let measure = |text: &str, size: f32, colour: Color32| {
        painter
            .layout(
                text.to_owned(),
                FontId::proportional(size),
                colour,
                max - 20.0,
            )
            .size()
    };
    let strong = ui.visuals().strong_text_color();
    let mut size = measure(&caption.title, 17.0, strong);
    for line in &caption.lines {
        let s = measure(line, 12.5, ui.visuals().text_color());
        size = vec2(size.x.max(s.x), size.y + s.y + 2.0);
    }
    vec2((size.x + 20.0).min(max), size.y + 14.0)
}

/// The caption box at `at` ([`place_caption`]): the title and its lines, wrapped to the
/// map's width.
fn caption_ui(ui: &mut egui::Ui, rect: Rect, caption: &Caption, at: Rect) {
    let max = (rect.width() - 24.0).clamp(120.0, 560.0);
    let r = Rect::from_min_size(at.min, vec2(max, rect.height()));
    let mut child = ui.new_child(egui::UiBuilder::new().max_rect(r));
    egui::Frame::new()
        .fill(style::overlay_fill(child.visuals()))
        .corner_radius(6.0)
        .inner_margin(egui::Margin::symmetric(10, 7))
        .show(&mut child, |ui| {
            ui.set_max_width(max - 20.0);
            ui.spacing_mut().item_spacing.y = 2.0;
            ui.label(egui::RichText::new(&caption.title).size(17.0).strong());
            for line in &caption.lines {
                ui.label(egui::RichText::new(line).size(12.5));
            }
        });
}

/// Round distance (in metres) near `target` of the form 1, 2 or 5 × 10ⁿ.
pub fn nice_distance(target: f32) -> f32 {
    if !(target.is_finite() && target > 0.0) {
        return 1.0;
    }
    let exp = target.log10().floor();
    let base = 10f32.powf(exp);
    let m = target / base;
    let nice = if m >= 5.0 {
        5.0
    } else if m >= 2.0 {
        2.0
    } else {
        1.0
    };
    nice * base
}

/// "500 m", "20 km".
pub fn fmt_distance(m: f32) -> String {
    if m >= 1000.0 {
        format!("{} km", (m / 1000.0).round())
    } else {
        format!("{} m", m.round())
    }
}

fn scale_bar_ui(ui: &mut egui::Ui, rect: Rect, projector: &Projector, memory: &MapMemory) {
    let centre = projector.unproject(rect.center().to_vec2());
    let ppm = projector.scale_pixel_per_meter(centre);
    if !(ppm.is_finite() && ppm > 0.0) {
        return;
    }
    let metres = nice_distance(120.0 / ppm);
    let width = metres * ppm;
    let painter = ui.painter().clone();
    let left = rect.left() + 12.0;
    let bottom = rect.bottom() - 12.0;
    let bg = Rect::from_min_max(
        pos2(left - 6.0, bottom - 26.0),
        pos2(left + width + 60.0, bottom + 6.0),
    );
    painter.rect_filled(bg, 4.0, style::overlay_fill(ui.visuals()));
    let ink = ui.visuals().strong_text_color();
    let y = bottom - 4.0;
    painter.line_segment(
        [pos2(left, y), pos2(left + width, y)],
        Stroke::new(2.0, ink),
    );
    for x in [left, left + width] {
        painter.line_segment([pos2(x, y - 6.0), pos2(x, y)], Stroke::new(2.0, ink));
    }
    let text = fmt_distance(metres);
    let label_rect =
        Rect::from_min_max(pos2(left, bg.top()), pos2(left + width.max(60.0), y - 6.0));
    ui.put(
        label_rect,
        egui::Label::new(egui::RichText::new(&text).size(12.0).color(ink)).selectable(false),
    );
    painter.text(
        pos2(left + width + 8.0, y),
        Align2::LEFT_BOTTOM,
        format!("z{:.1}", memory.zoom()),
        FontId::proportional(11.0),
        ui.visuals().weak_text_color(),
    );
}

fn legend_ui(ui: &mut egui::Ui, rect: Rect) {
    let painter = ui.painter();
    let row = LEGEND_ROW;
    let frame = legend_frame(rect);
    let top = frame.top();
    painter.rect_filled(frame, 6.0, style::overlay_fill(ui.visuals()));
    let font = FontId::proportional(12.0);
    let ink = ui.visuals().text_color();
    let mut y = top + 6.0 + row / 2.0;
    painter.text(
        pos2(frame.left() + 8.0, y),
        Align2::LEFT_CENTER,
        "Weapon",
        FontId::proportional(12.5),
        ui.visuals().strong_text_color(),
    );
    y += row;
    // The legend's dots are the markers' own glyph, always on a white rim (it sits on the
    // overlay's fill, not on the map).
    let glyph_ink = |colour| Ink {
        colour,
        outline: Color32::WHITE,
        ring: None,
        dashed: false,
    };
    let dot = |reported| Glyph::Dot {
        radius: 5.5,
        reported,
    };
    for w in Weapon::ALL {
        let c = pos2(frame.left() + 16.0, y);
        dot(true).paint(painter, c, &glyph_ink(style::weapon_colour(w)));
        painter.text(
            pos2(c.x + 12.0, y),
            Align2::LEFT_CENTER,
            w.label(),
            font.clone(),
            ink,
        );
        y += row;
    }
    let c = pos2(frame.left() + 16.0, y);
    dot(false).paint(painter, c, &glyph_ink(Color32::GRAY));
    painter.text(
        pos2(c.x + 12.0, y),
        Align2::LEFT_CENTER,
        "casualties not reported",
        FontId::proportional(11.0),
        ui.visuals().weak_text_color(),
    );
    y += row * 0.9;
    painter.text(
        pos2(frame.left() + 8.0, y),
        Align2::LEFT_CENTER,
        "size = killed + injured",
        FontId::proportional(11.0),
        ui.visuals().weak_text_color(),
    );
}

fn attribution_ui(ui: &mut egui::Ui, rect: Rect, sources: &Sources) {
    // The credit follows what is on screen: the tile source's when tiles are used, and the
    // built-in basemap's sources whenever it is drawn (it shows wherever tiles are missing).
    let tiles = match (sources.has_tiles, &sources.attribution) {
        (true, Some(a)) => {
            let text = if a.text.starts_with('©') || a.url.is_empty() {
                a.text.to_owned()
            } else {
                format!("© {}", a.text)
            };
            Some((text, a.url.to_owned()))
        }
        _ => None,
    };
    let layout = egui::Layout::right_to_left(egui::Align::Center);
    let r = Rect::from_min_max(
        pos2(rect.left() + 200.0, rect.bottom() - 22.0),
        pos2(rect.right() - 4.0, rect.bottom() - 2.0),
    );
    let mut child = ui.new_child(egui::UiBuilder::new().max_rect(r).layout(layout));
    egui::Frame::new()
        .fill(style::overlay_fill(child.visuals()))
        .corner_radius(3.0)
        .inner_margin(egui::Margin::symmetric(5, 1))
        .show(&mut child, |ui| {
            ui.spacing_mut().item_spacing.x = 6.0;
            if let Some((text, url)) = tiles {
                if url.is_empty() {
                    ui.label(egui::RichText::new(text).size(11.5));
                } else {
                    ui.add(egui::Hyperlink::from_label_and_url(
                        egui::RichText::new(text).size(11.5),
                        url,
                    ));
                }
            }
            if sources.has_basemap {
                ui.label(
                    egui::RichText::new(crate::geo::ATTRIBUTION)
                        .size(11.0)
                        .weak(),
                );
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_distances() {
        assert_eq!(nice_distance(130.0), 100.0);
        assert_eq!(nice_distance(260.0), 200.0);
        assert_eq!(nice_distance(7_400.0), 5_000.0);
        assert_eq!(fmt_distance(5_000.0), "5 km");
        assert_eq!(fmt_distance(200.0), "200 m");
    }
}
