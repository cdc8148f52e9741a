//! Panels and windows. Every function that takes `&mut egui::Ui` is named `*_ui`; none of them
//! mutates app state: they push [`Command`]s.

pub mod detail;
pub mod style;
pub mod timeline;

use crate::app::{Command, LoadProblem};
use crate::store::EventStore;

/// Top bar: app name, what is loaded, and a button to the load report when records were lost.
pub fn top_bar_ui(
    ui: &mut egui::Ui,
    store: &EventStore,
    problems: &[LoadProblem],
    ukrainian_names: bool,
    out: &mut Vec<Command>,
) {
    egui::Panel::top("top_bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.heading("strikemap");
            ui.separator();
            let names: Vec<&str> = store.datasets().iter().map(|d| d.name.as_str()).collect();
            ui.label(format!(
                "{} events · {}",
                store.len(),
                if names.is_empty() {
                    "no data".to_owned()
                } else {
                    names.join(", ")
                }
            ));
            let rejected: usize = problems.iter().map(|p| p.rejected.len()).sum();
            let failed = problems.iter().filter(|p| p.error.is_some()).count();
            if rejected > 0 || failed > 0 {
                let text = match (failed, rejected) {
                    (0, r) => format!("⚠ {r} records not loaded"),
                    (f, 0) => format!("⚠ {f} file(s) could not be read"),
                    (f, r) => format!("⚠ {f} file(s) unreadable, {r} records not loaded"),
                };
                if ui
                    .button(text)
                    .on_hover_text("Show the load report")
                    .clicked()
                {
                    out.push(Command::ShowLoadReport(true));
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                theme_ui(ui);
                let mut uk = ukrainian_names;
                if ui
                    .checkbox(&mut uk, "Українські назви")
                    .on_hover_text(
                        "Label the built-in map in Ukrainian where a Ukrainian name is known",
                    )
                    .changed()
                {
                    out.push(Command::UkrainianNames(uk));
                }
                ui.weak("Space play · ←/→ step · Shift+←/→ prev/next event");
            });
        });
    });
}

/// The load report: per file, records read, why records were rejected, the first few of each.
pub fn load_report_ui(ui: &mut egui::Ui, problems: &[LoadProblem], out: &mut Vec<Command>) {
    let mut open = true;
    egui::Window::new("Load report")
        .open(&mut open)
        .default_width(520.0)
        .show(ui.ctx(), |ui| {
            egui::ScrollArea::vertical()
                .max_height(400.0)
                .show(ui, |ui| {
                    for p in problems {
                        ui.strong(&p.file);
                        if let Some(e) = &p.error {
                            ui.colored_label(
                                ui.visuals().error_fg_color,
                                format!("Could not read: {e}"),
                            );
                            ui.separator();
                            continue;
                        }
                        let loaded = p.records - p.rejected.len();
                        ui.label(format!(
                            "{} records · {} loaded · {} rejected",
                            p.records,
                            loaded,
                            p.rejected.len()
                        ));
                        let mut reasons: Vec<crate::import::RejectReason> =
                            p.rejected.iter().map(|r| r.reason).collect();
                        reasons.sort();
                        reasons.dedup();
                        for reason in reasons {
                            let of: Vec<_> =
                                p.rejected.iter().filter(|r| r.reason == reason).collect();
                            ui.label(format!("{}: {}", reason.label(), of.len()));
                            for r in of.iter().take(5) {
                                ui.weak(format!("   {} — {}", r.record, r.detail));
                            }
                        }
                        ui.separator();
                    }
                });
        });
    if !open {
        out.push(Command::ShowLoadReport(false));
    }
}

/// Light / dark switch with text labels (the emoji icons of egui's own switch are not in the
/// bundled fonts).
fn theme_ui(ui: &mut egui::Ui) {
    let dark = ui.visuals().dark_mode;
    let (text, theme) = if dark {
        ("Light theme", egui::Theme::Light)
    } else {
        ("Dark theme", egui::Theme::Dark)
    };
    if ui.button(text).clicked() {
        ui.ctx().set_theme(theme);
    }
}
