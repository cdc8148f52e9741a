//! The statistics panel (right): totals of the shown events in the window ("not reported"
//! kept apart from 0, attack-level records apart from strike events), bar charts by weapon,
//! target and region (a click on a bar filters by it) and events per day or week. The numbers
//! come from [`crate::stats::breakdown`]; this file only draws them.

use egui_plot::{Line, Plot, PlotPoints};

use crate::filter::EventFilter;
use crate::model::{Target, Weapon};
use crate::present::style::weapon_colour;
use crate::state::filter::FilterCommand;
use crate::state::{Command, SystemCommand};
use crate::stats::{Breakdown, Count, Tally};

/// "1,234 (5 not reported)": a sum with the events that gave no value said apart.
pub fn count_text(c: Count, events: usize) -> String {
    let sum = crate::model::fmt_thousands(c.sum);
    match events - c.reported {
        0 => sum,
        n if n == events => "not reported".to_owned(),
        n => format!(
            "{sum} · not reported in {}",
            crate::model::fmt_thousands(n as u64)
        ),
    }
}

/// The panel.
pub fn stats_panel_ui(ui: &mut egui::Ui, b: &Breakdown, f: &EventFilter, out: &mut Vec<Command>) {
    egui::Panel::right("stats_panel")
        .resizable(true)
        .default_size(320.0)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading("Statistics");
                let hint = "Copy these statistics as CSV (one row per group)";
                if ui.button("Copy CSV").on_hover_text(hint).clicked() {
                    out.push(Command::System(SystemCommand::Copy(crate::stats::to_csv(
                        b,
                    ))));
                }
                let hint = "Save these statistics to a CSV file";
                if ui.button("Save CSV…").on_hover_text(hint).clicked() {
                    let kind = crate::state::command::SaveKind::Stats;
                    out.push(Command::System(SystemCommand::SaveDialog(kind)));
                }
            });
            ui.label("Shown events in the window");
            egui::ScrollArea::vertical().show(ui, |ui| {
                totals_ui(ui, b);
                weapons_ui(ui, b, f, out);
                targets_ui(ui, b, f, out);
                regions_ui(ui, b, f, out);
                series_ui(ui, b);
            });
        });
}

fn totals_ui(ui: &mut egui::Ui, b: &Breakdown) {
    let s: &Tally = &b.strikes;
    egui::Grid::new("stats_totals")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            let mut row = |k: &str, v: String| {
                ui.label(k);
                ui.label(v);
                ui.end_row();
            };
            row(
                "Strike events",
                crate::model::fmt_thousands(s.events as u64),
            );
            row("Killed", count_text(s.killed, s.events));
            row("Injured", count_text(s.injured, s.events));
            row(
                "Children killed or injured",
                count_text(s.children, s.events),
            );
            let a = &b.attacks;
            row(
                "Attack-level records",
                crate::model::fmt_thousands(a.records as u64),
            );
            row("Launched", count_text(a.launched, a.records));
            row("Intercepted", count_text(a.intercepted, a.records));
        });
    ui.small("Attack-level records (launched / intercepted totals) are counted apart from strike events, so no toll is counted twice.");
}

/// A horizontal bar chart of `bars` (label, events, colour), one clickable row each (a
/// label, the bar, the count); returns the bar clicked.
fn bars_ui(ui: &mut egui::Ui, id: &str, bars: &[(String, usize, egui::Color32)]) -> Option<usize> {
    let max = bars.iter().map(|(_, v, _)| *v).max().unwrap_or(0).max(1);
    let mut clicked = None;
    let label_w = 130.0;
    let count_w = 56.0;
    ui.push_id(id, |ui| {
        for (k, (name, v, colour)) in bars.iter().enumerate() {
            let h = ui.text_style_height(&egui::TextStyle::Body) + 2.0;
            let (rect, resp) =
                ui.allocate_exact_size(egui::vec2(ui.available_width(), h), egui::Sense::click());
            let painter = ui.painter_at(rect);
            let text_colour = ui.visuals().text_color();
            let font = egui::TextStyle::Body.resolve(ui.style());
            let label_rect = egui::Rect::from_min_size(rect.min, egui::vec2(label_w - 6.0, h));
            let galley =
                ui.painter()
                    .layout(name.clone(), font.clone(), text_colour, label_rect.width());
            ui.painter_at(label_rect).galley(
                egui::pos2(label_rect.min.x, rect.center().y - galley.size().y / 2.0),
                galley,
                text_colour,
            );
            let room = (rect.width() - label_w - count_w).max(10.0);
            let w = room * (*v as f32 / max as f32);
            let bar = egui::Rect::from_min_size(
                egui::pos2(rect.min.x + label_w, rect.min.y + 2.0),
                egui::vec2(w.max(if *v > 0 { 2.0 } else { 0.0 }), h - 4.0),
            );
            painter.rect_filled(bar, 2.0, *colour);
            painter.text(
                egui::pos2(bar.max.x + 4.0, rect.center().y),
                egui::Align2::LEFT_CENTER,
                crate::model::fmt_thousands(*v as u64),
                font,
                text_colour,
            );
            if resp.hovered() {
                painter.rect_stroke(
                    rect,
                    2.0,
                    ui.visuals().widgets.hovered.bg_stroke,
                    egui::StrokeKind::Inside,
                );
            }
            let label = format!("{name}: {v} events");
            resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, label.clone()));
            let resp = resp.on_hover_text(format!("{label} · click to filter by it"));
            if resp.clicked() {
                clicked = Some(k);
            }
        }
    });
    clicked
}

fn weapons_ui(ui: &mut egui::Ui, b: &Breakdown, f: &EventFilter, out: &mut Vec<Command>) {
    ui.separator();
    ui.strong("By weapon");
    let bars: Vec<_> = Weapon::ALL
        .iter()
        .zip(&b.by_weapon)
        .map(|(w, t)| (w.label().to_owned(), t.events, weapon_colour(*w)))
        .collect();
    if let Some(k) = bars_ui(ui, "by_weapon", &bars)
        && let Some(w) = Weapon::ALL.get(k)
        && !f.weapons.contains(w)
    {
        let mut next = f.clone();
        next.weapons.push(*w);
        out.push(Command::Filter(FilterCommand::Set(next)));
    }
}

fn targets_ui(ui: &mut egui::Ui, b: &Breakdown, f: &EventFilter, out: &mut Vec<Command>) {
    ui.separator();
    ui.strong("By target");
    let colour = ui.visuals().selection.bg_fill;
    let bars: Vec<_> = b
        .by_target
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let name = Target::ALL.get(k).map_or("Not reported", |t| t.label());
            (name.to_owned(), t.events, colour)
        })
        .collect();
    if let Some(k) = bars_ui(ui, "by_target", &bars) {
        let mut next = f.clone();
        match Target::ALL.get(k) {
            Some(t) if !next.targets.contains(t) => next.targets.push(*t),
            Some(_) => {}
            None => next.target_unreported = true,
        }
        out.push(Command::Filter(FilterCommand::Set(next)));
    }
}

fn regions_ui(ui: &mut egui::Ui, b: &Breakdown, f: &EventFilter, out: &mut Vec<Command>) {
    ui.separator();
    ui.strong(format!("By region (top 12 of {})", b.by_region.len()));
    let colour = ui.visuals().widgets.active.bg_fill;
    let bars: Vec<_> = b
        .by_region
        .iter()
        .take(12)
        .map(|(name, t)| (name.clone(), t.events, colour))
        .collect();
    if let Some(k) = bars_ui(ui, "by_region", &bars)
        && let Some((name, _)) = b.by_region.get(k)
        && name != "Not reported"
        && !f.regions.contains(name)
    {
        let mut next = f.clone();
        next.regions.push(name.clone());
        out.push(Command::Filter(FilterCommand::Set(next)));
    }
}

fn series_ui(ui: &mut egui::Ui, b: &Breakdown) {
    ui.separator();
    let per = if b.bucket > crate::model::DAY {
        "week"
    } else {
        "day"
    };
    ui.strong(format!("Strike events per {per}"));
    let points: PlotPoints<'_> = b
        .series
        .iter()
        .enumerate()
        .map(|(k, n)| [k as f64, *n as f64])
        .collect();
    Plot::new("per_day")
        .height(120.0)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .include_y(0.0)
        .show(ui, |p| {
            p.line(Line::new(format!("events per {per}"), points))
        });
}
