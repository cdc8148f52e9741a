//! The timeline panel: playback controls, window choice, the window's dates and totals, and a
//! per-day histogram stacked by weapon that doubles as the scrubbing slider.

use crate::timeline::TimelineCommand;
use egui::{Align2, Color32, FontId, Rect, Sense, Stroke, pos2, vec2};

use crate::model::{DAY, Seconds, Weapon};
use crate::present::style;
use crate::present::text::{summary_text, window_text};
use crate::state::Command;
use crate::store::{EventStore, WindowSummary};
use crate::timeline::{Speed, Timeline, WindowLen};

/// Accessible name of the scrubbing slider.
pub const CURSOR_LABEL: &str = "Timeline cursor";

/// The bottom timeline panel.
pub fn timeline_ui(
    ui: &mut egui::Ui,
    store: &EventStore,
    t: &Timeline,
    summary: WindowSummary,
    out: &mut Vec<Command>,
) {
    egui::Panel::bottom("timeline")
        .resizable(false)
        .exact_size(150.0)
        .show(ui, |ui| {
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                controls_ui(ui, t, out);
                date_jump_ui(ui, out);
            });
            ui.horizontal(|ui| {
                if store.is_empty() {
                    // No dates to show yet (nothing opened, or a large file still loading).
                    ui.weak("No events loaded");
                } else {
                    ui.label(egui::RichText::new(window_text(t)).strong().size(15.0));
                    ui.separator();
                    ui.label(egui::RichText::new(summary_text(summary)).size(15.0));
                }
            });
            histogram_slider_ui(ui, store, t, out);
        });
}

/// Accessible label of the "go to date" field.
pub const DATE_JUMP_LABEL: &str = "Go to a date or range (YYYY-MM-DD, or FROM..TO)";

/// A field to type a date (or a range) to move the window to; Enter applies it.
fn date_jump_ui(ui: &mut egui::Ui, out: &mut Vec<Command>) {
    let id = egui::Id::unique("timeline_date_jump");
    let (mut text, mut error): (String, Option<String>) =
        ui.data_mut(|d| d.get_temp(id)).unwrap_or_default();
    ui.separator();
    let edit = egui::TextEdit::singleline(&mut text)
        .hint_text("go to YYYY-MM-DD or FROM..TO")
        .desired_width(230.0);
    let r = ui.add(edit).on_hover_text(DATE_JUMP_LABEL);
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, DATE_JUMP_LABEL));
    if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) && !text.is_empty() {
        match crate::timeline::parse_date_jump(&text) {
            Ok((cursor, days)) => {
                if let Some(n) = days {
                    let len = crate::timeline::WindowLen::Custom(n);
                    out.push(Command::Timeline(TimelineCommand::SetWindow(len)));
                }
                out.push(Command::Timeline(TimelineCommand::SetCursor(cursor)));
                error = None;
            }
            Err(e) => error = Some(e),
        }
    }
    if let Some(e) = &error {
        ui.colored_label(ui.visuals().warn_fg_color, e);
    }
    ui.data_mut(|d| d.insert_temp(id, (text, error)));
}

fn controls_ui(ui: &mut egui::Ui, t: &Timeline, out: &mut Vec<Command>) {
    let (icon, label) = if t.playing {
        ("|| Pause", "Pause")
    } else {
        ("▶ Play", "Play")
    };
    if ui
        .add(egui::Button::new(icon).min_size(vec2(72.0, 0.0)))
        .on_hover_text(format!("{label} (Space)"))
        .clicked()
    {
        out.push(Command::Timeline(TimelineCommand::TogglePlay));
    }
    let mut speed = t.speed.0;
    egui::ComboBox::from_id_salt("speed")
        .selected_text(t.speed.label())
        .width(96.0)
        .show_ui(ui, |ui| {
            for s in Speed::CHOICES {
                ui.selectable_value(&mut speed, s, Speed(s).label());
            }
        })
        .response
        .on_hover_text("Playback speed");
    if speed != t.speed.0 {
        out.push(Command::Timeline(TimelineCommand::SetSpeed(Speed(speed))));
    }
    let mut looping = t.looping;
    if ui
        .checkbox(&mut looping, "Loop")
        .on_hover_text("Start again at the beginning when playback reaches the end")
        .changed()
    {
        out.push(Command::Timeline(TimelineCommand::SetLoop(looping)));
    }
    ui.separator();
    ui.label("Window:");
    let mut len = t.len;
    let custom_days = match t.len {
        WindowLen::Custom(n) => n,
        _ => 3,
    };
    egui::ComboBox::from_id_salt("window")
        .selected_text(t.len.label())
        .width(130.0)
        .show_ui(ui, |ui| {
            for w in [
                WindowLen::Day,
                WindowLen::Week,
                WindowLen::Month,
                WindowLen::Custom(custom_days),
                WindowLen::Everything,
            ] {
                let text = if matches!(w, WindowLen::Custom(_)) {
                    "Custom…".to_owned()
                } else {
                    w.label()
                };
                let selected = std::mem::discriminant(&len) == std::mem::discriminant(&w);
                if ui.selectable_label(selected, text).clicked() {
                    len = w;
                }
            }
        })
        .response
        .on_hover_text("Window length (the window ends at the cursor)");
    if let WindowLen::Custom(mut n) = len {
        let r = ui.add(egui::DragValue::new(&mut n).range(1..=3650).suffix(" days"));
        r.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::SpinButton, true, "Custom window days")
        });
        len = WindowLen::Custom(n);
    }
    if len != t.len {
        out.push(Command::Timeline(TimelineCommand::SetWindow(len)));
    }
    ui.separator();
    for (text, hint, cmd) in [
        (
            "|◀",
            "Previous event (Shift+←)",
            Command::Timeline(TimelineCommand::JumpEvent(-1)),
        ),
        (
            "◀",
            "Back one window (←)",
            Command::Timeline(TimelineCommand::StepWindow(-1)),
        ),
        (
            "▶",
            "Forward one window (→)",
            Command::Timeline(TimelineCommand::StepWindow(1)),
        ),
        (
            "▶|",
            "Next event (Shift+→)",
            Command::Timeline(TimelineCommand::JumpEvent(1)),
        ),
    ] {
        let r = ui.button(text).on_hover_text(hint);
        r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, hint));
        if r.clicked() {
            out.push(cmd);
        }
    }
}

/// Pixel ↔ time mapping of the histogram.
struct Axis {
    rect: Rect,
    t0: Seconds,
    t1: Seconds,
}

impl Axis {
    fn x(&self, t: Seconds) -> f32 {
        let f = (t - self.t0) as f64 / (self.t1 - self.t0).max(1) as f64;
        self.rect.left() + (f as f32) * self.rect.width()
    }
    fn t(&self, x: f32) -> Seconds {
        let f = ((x - self.rect.left()) / self.rect.width()).clamp(0.0, 1.0);
        self.t0 + (f64::from(f) * (self.t1 - self.t0) as f64) as Seconds
    }
}

fn histogram_slider_ui(
    ui: &mut egui::Ui,
    store: &EventStore,
    t: &Timeline,
    out: &mut Vec<Command>,
) {
    let desired = vec2(ui.available_width(), ui.available_height().max(60.0));
    let (rect, response) = ui.allocate_exact_size(desired, Sense::click_and_drag());
    let hist = store.histogram();
    let n_days = hist.days.len().max(1);
    let t0 = hist.first_day;
    let t1 = t0 + n_days as Seconds * DAY;
    let cursor_days = (t.cursor - t0) as f64 / DAY as f64;
    response.widget_info(|| egui::WidgetInfo::slider(true, cursor_days, CURSOR_LABEL));
    let plot = Rect::from_min_max(rect.min + vec2(4.0, 2.0), rect.max - vec2(4.0, 18.0));
    let axis = Axis { rect: plot, t0, t1 };

    if (response.dragged() || response.clicked() || response.drag_started())
        && let Some(p) = response.interact_pointer_pos()
    {
        // Snap to day boundaries: windows are about days, and it keeps counts stable.
        let raw = axis.t(p.x);
        let snapped = ((raw + DAY / 2).div_euclid(DAY)) * DAY;
        out.push(Command::Timeline(TimelineCommand::SetCursor(snapped)));
    }

    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    painter.rect_filled(plot, 3.0, visuals.extreme_bg_color);
    if store.is_empty() {
        // No axis for no data (it would read "01 Jan 1970").
        painter.text(
            plot.center(),
            Align2::CENTER_CENTER,
            "Open event files (File → Open…, or drop them here) to see them in time",
            FontId::proportional(13.0),
            visuals.weak_text_color(),
        );
        return;
    }

    // Bars: aggregate days into at most one bin per 2 px.
    let bins = n_days.min((plot.width() / 2.0).max(1.0) as usize).max(1);
    let strip = 10.0; // room at the bottom for uncertain ranges
    let bar_area = Rect::from_min_max(plot.min + vec2(0.0, 4.0), plot.max - vec2(0.0, strip));
    let totals = bin_totals(&hist.days, bins);
    let mesh = bars_mesh(&totals, plot, bar_area);
    painter.add(egui::Shape::mesh(mesh));
    long_events_paint(&painter, store, &axis, plot);

    window_paint(&painter, t, &axis, rect, visuals.strong_text_color());
    if response.hovered() {
        ui.ctx().set_cursor_icon(egui::CursorIcon::ResizeHorizontal);
    }

    // Date ticks.
    ticks(
        &painter,
        &axis,
        plot.bottom() + 2.0,
        visuals.weak_text_color(),
    );
}
/// Per-weapon counts of the days, summed into `bins` equal bins.
fn bin_totals(days: &[[u32; Weapon::ALL.len()]], bins: usize) -> Vec<[u32; Weapon::ALL.len()]> {
    let n_days = days.len().max(1);
    let mut totals = vec![[0u32; Weapon::ALL.len()]; bins];
    for (d, counts) in days.iter().enumerate() {
        let b = d * bins / n_days;
        if let Some(bin) = totals.get_mut(b) {
            for (acc, c) in bin.iter_mut().zip(counts) {
                *acc += c;
            }
        }
    }
    totals
}

/// Bars stacked by weapon, one per bin, as one mesh in `plot` (heights on a square-root
/// scale within `bar_area`).
fn bars_mesh(totals: &[[u32; Weapon::ALL.len()]], plot: Rect, bar_area: Rect) -> egui::Mesh {
    let bins = totals.len().max(1);
    let max = totals
        .iter()
        .map(|b| b.iter().sum::<u32>())
        .max()
        .unwrap_or(0)
        .max(1);
    // Square-root scale: one busy day must not flatten every other bar.
    let scale = |total: u32| (total as f32).sqrt() / (max as f32).sqrt() * bar_area.height();
    let bin_w = plot.width() / bins as f32;
    // One mesh for all bars: thousands of rectangles tessellate in a fraction of the time as
    // a single shape (no anti-aliasing feathers needed on axis-aligned bars).
    let mut mesh = egui::Mesh::default();
    for (b, counts) in totals.iter().enumerate() {
        let x0 = plot.left() + b as f32 * bin_w;
        let x1 = (x0 + bin_w - if bin_w > 3.0 { 1.0 } else { 0.0 }).max(x0 + 2.5);
        let total: u32 = counts.iter().sum();
        if total == 0 {
            continue;
        }
        let bar_h = scale(total);
        let mut y = bar_area.bottom();
        for w in Weapon::ALL {
            let c = counts[w.index()];
            if c == 0 {
                continue;
            }
            let h = bar_h * c as f32 / total as f32;
            mesh.add_colored_rect(
                Rect::from_min_max(pos2(x0, y - h), pos2(x1, y)),
                style::weapon_colour(w),
            );
            y -= h;
        }
    }
    mesh
}

/// Events whose dates are uncertain, as thin lines under the bars (at most 200).
fn long_events_paint(painter: &egui::Painter, store: &EventStore, axis: &Axis, plot: Rect) {
    // Uncertain date ranges as thin lines under the bars.
    for (row, i) in store.long_events().take(200).enumerate() {
        if let Some((start, end)) = store.time(i) {
            let y = plot.bottom() - 2.0 - (row % 4) as f32 * 2.5;
            painter.line_segment(
                [pos2(axis.x(start), y), pos2(axis.x(end), y)],
                Stroke::new(
                    1.5,
                    style::weapon_colour(store.weapon(i)).gamma_multiply(0.8),
                ),
            );
        }
    }
}

/// The window as a tinted band and the cursor as a line with a handle on top.
fn window_paint(painter: &egui::Painter, t: &Timeline, axis: &Axis, rect: Rect, ink: Color32) {
    let plot = axis.rect;
    // Window and cursor.
    let (from, to) = t.window();
    let wx0 = axis.x(from).max(plot.left());
    let wx1 = axis.x(to).min(plot.right());
    let win = Rect::from_min_max(
        pos2(wx0, plot.top()),
        pos2(wx1.max(wx0 + 2.0), plot.bottom()),
    );
    painter.rect_filled(win, 0.0, style::SELECTION.gamma_multiply(0.07));
    for x in [win.left(), win.right()] {
        painter.line_segment(
            [pos2(x, win.top()), pos2(x, win.bottom())],
            Stroke::new(1.0, style::SELECTION.gamma_multiply(0.7)),
        );
    }
    let cx = axis.x(t.cursor);
    painter.line_segment(
        [pos2(cx, rect.top()), pos2(cx, plot.bottom())],
        Stroke::new(2.0, ink),
    );
    painter.add(egui::Shape::convex_polygon(
        vec![
            pos2(cx - 6.0, rect.top()),
            pos2(cx + 6.0, rect.top()),
            pos2(cx, rect.top() + 8.0),
        ],
        ink,
        Stroke::NONE,
    ));
}

/// Tick labels: years, months or days depending on the span and width.
fn ticks(painter: &egui::Painter, axis: &Axis, y: f32, colour: Color32) {
    let span_days = ((axis.t1 - axis.t0) / DAY).max(1) as f32;
    let px_per_day = axis.rect.width() / span_days;
    let font = FontId::proportional(11.0);
    let Ok(start) = jiff::Timestamp::from_second(axis.t0) else {
        return;
    };
    let start = start.to_zoned(jiff::tz::TimeZone::UTC).date();
    // Choose a step so labels are ≥ 70 px apart.
    let (step_months, step_days) = if px_per_day * 7.0 >= 70.0 {
        (0, if px_per_day >= 70.0 { 1 } else { 7 })
    } else {
        let months = [1, 2, 3, 6, 12, 24, 60]
            .into_iter()
            .find(|m| px_per_day * 30.4 * *m as f32 >= 70.0)
            .unwrap_or(120);
        (months, 0)
    };
    let mut d = if step_months > 0 {
        start.first_of_month()
    } else {
        start
    };
    for _ in 0..400 {
        let Some(secs) = crate::import::time::date_seconds(d) else {
            break;
        };
        if secs > axis.t1 {
            break;
        }
        if secs >= axis.t0 && axis.x(secs) < axis.rect.right() - 45.0 {
            let x = axis.x(secs);
            painter.line_segment([pos2(x, y - 4.0), pos2(x, y)], Stroke::new(1.0, colour));
            let text = if step_months >= 12 {
                d.strftime("%Y").to_string()
            } else if step_months > 0 {
                d.strftime("%b %Y").to_string()
            } else {
                d.strftime("%d %b").to_string()
            };
            painter.text(
                pos2(x + 2.0, y),
                Align2::LEFT_TOP,
                text,
                font.clone(),
                colour,
            );
        }
        let next = if step_months > 0 {
            d.checked_add(jiff::Span::new().months(step_months))
        } else {
            d.checked_add(jiff::Span::new().days(step_days))
        };
        match next {
            Ok(n) => d = n,
            Err(_) => break,
        }
    }
}
