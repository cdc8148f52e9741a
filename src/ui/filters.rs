//! The filter panel (left) and the bar of active filters under the top bar (a chip per part
//! with ×). Both edit a copy of the one [`EventFilter`] and send it whole as a
//! [`FilterCommand`]; the counts beside the boxes are the window's, before the filter.

use crate::filter::{EventFilter, Reported};
use crate::model::{LocationPrecision, Target, Weapon};
use crate::present::text::part_label;
use crate::state::Command;
use crate::state::filter::FilterCommand;
use crate::stats::Facets;

/// Typed text the panel keeps between frames (search fields, dates being typed).
#[derive(Clone, Debug, Default)]
pub struct FilterDrafts {
    /// The region list's search field.
    pub region_search: String,
    /// The country list's search field.
    pub country_search: String,
    /// The "from" date field.
    pub from: String,
    /// The "to" date field.
    pub to: String,
    /// Why the typed dates were not used.
    pub date_error: Option<String>,
}

/// The bar under the top bar: buttons that open the filter panel, the table and the
/// statistics, then the active filters as chips (each × removes its part) and "Clear
/// filters".
pub fn filter_bar_ui(
    ui: &mut egui::Ui,
    f: &EventFilter,
    panels: crate::state::view::Panels,
    out: &mut Vec<Command>,
) {
    use crate::state::view::{Panel, ViewCommand};
    let parts = f.parts();
    egui::Panel::top("filter_bar").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            for (panel, on, label, hint) in [
                (
                    Panel::Filters,
                    panels.filters,
                    "Filters",
                    "Choose which events are shown",
                ),
                (
                    Panel::Table,
                    panels.table,
                    "Table",
                    "The shown events in the window, as a table",
                ),
                (
                    Panel::Stats,
                    panels.stats,
                    "Statistics",
                    "Totals and charts of the shown events",
                ),
            ] {
                if ui.selectable_label(on, label).on_hover_text(hint).clicked() {
                    out.push(Command::View(ViewCommand::ShowPanel(panel, !on)));
                }
            }
            if parts.is_empty() {
                return;
            }
            ui.separator();
            ui.label("Filtered:");
            for part in &parts {
                let text = format!("{}  ×", part_label(f, part));
                let chip = egui::Button::new(text).corner_radius(10.0);
                let hint = "Remove this filter";
                if ui.add(chip).on_hover_text(hint).clicked() {
                    out.push(Command::Filter(FilterCommand::Remove(part.clone())));
                }
            }
            if ui.link("Clear filters").clicked() {
                out.push(Command::Filter(FilterCommand::Clear));
            }
        });
    });
}

/// Toggle `x` in `list`.
fn toggle<T: PartialEq>(list: &mut Vec<T>, x: T, on: bool) {
    if on && !list.contains(&x) {
        list.push(x);
    } else if !on {
        list.retain(|y| *y != x);
    }
}

/// The filter panel: every part of the filter, with the window's counts.
pub fn filter_panel_ui(
    ui: &mut egui::Ui,
    f: &EventFilter,
    facets: &Facets,
    drafts: &mut FilterDrafts,
    out: &mut Vec<Command>,
) {
    let mut next = f.clone();
    egui::Panel::left("filter_panel")
        .resizable(true)
        .default_size(250.0)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading("Filters");
                if ui
                    .button("Clear")
                    .on_hover_text("Show every event")
                    .clicked()
                {
                    next = EventFilter::default();
                }
            });
            egui::ScrollArea::vertical().show(ui, |ui| {
                text_ui(ui, &mut next);
                dates_ui(ui, &mut next, drafts);
                weapons_ui(ui, &mut next, facets);
                targets_ui(ui, &mut next, facets);
                casualties_ui(ui, &mut next);
                precision_ui(ui, &mut next);
                let regions = &facets.regions;
                names_ui(
                    ui,
                    "Region",
                    regions,
                    &mut next.regions,
                    &mut drafts.region_search,
                );
                let countries = &facets.countries;
                let search = &mut drafts.country_search;
                names_ui(ui, "Country", countries, &mut next.countries, search);
            });
        });
    if next != *f {
        out.push(Command::Filter(FilterCommand::Set(next)));
    }
}

fn text_ui(ui: &mut egui::Ui, f: &mut EventFilter) {
    ui.label("Search title, description, place, notes");
    let edit = egui::TextEdit::singleline(&mut f.text)
        .hint_text("words, any case or accent")
        .desired_width(f32::INFINITY);
    ui.add(edit)
        .on_hover_text("Every word must appear (Latin or Cyrillic)");
}

fn dates_ui(ui: &mut egui::Ui, f: &mut EventFilter, d: &mut FilterDrafts) {
    ui.separator();
    ui.label("Dates (inclusive, YYYY-MM-DD)");
    if d.from.is_empty() && d.to.is_empty() && (f.from.is_some() || f.to.is_some()) {
        let day = crate::model::fmt_date;
        d.from = f.from.map(day).unwrap_or_default();
        d.to = f.to.map(|t| day(t - crate::model::DAY)).unwrap_or_default();
    }
    let mut changed = false;
    ui.horizontal(|ui| {
        for (text, hint) in [(&mut d.from, "from"), (&mut d.to, "to")] {
            let edit = egui::TextEdit::singleline(text)
                .hint_text(hint)
                .desired_width(90.0);
            changed |= ui
                .add(edit)
                .on_hover_text(format!("Date {hint}"))
                .lost_focus();
        }
    });
    if changed {
        let (a, b) = (d.from.trim(), d.to.trim());
        let parsed = EventFilter::default()
            .with_days((!a.is_empty()).then_some(a), (!b.is_empty()).then_some(b));
        match parsed {
            Ok(p) => {
                d.date_error = None;
                (f.from, f.to) = (p.from, p.to);
            }
            Err(e) => d.date_error = Some(e.0.replace("--to", "\"to\"")),
        }
    }
    if let Some(e) = &d.date_error {
        ui.colored_label(ui.visuals().warn_fg_color, e);
    }
}

fn weapons_ui(ui: &mut egui::Ui, f: &mut EventFilter, facets: &Facets) {
    ui.separator();
    ui.label("Weapon (events in window)");
    for (w, n) in Weapon::ALL.iter().zip(facets.weapons) {
        let mut on = f.weapons.contains(w);
        if ui
            .checkbox(&mut on, format!("{} ({n})", w.label()))
            .changed()
        {
            toggle(&mut f.weapons, *w, on);
        }
    }
}

fn targets_ui(ui: &mut egui::Ui, f: &mut EventFilter, facets: &Facets) {
    ui.separator();
    ui.label("Target (events in window)");
    for (k, n) in facets.targets.iter().enumerate() {
        match Target::ALL.get(k) {
            Some(t) => {
                let mut on = f.targets.contains(t);
                if ui
                    .checkbox(&mut on, format!("{} ({n})", t.label()))
                    .changed()
                {
                    toggle(&mut f.targets, *t, on);
                }
            }
            None => {
                let label = format!("Not reported ({n})");
                ui.checkbox(&mut f.target_unreported, label);
            }
        }
    }
}

fn casualties_ui(ui: &mut egui::Ui, f: &mut EventFilter) {
    ui.separator();
    ui.label("Casualties (reported)");
    for (label, min) in [
        ("killed at least", &mut f.min_killed),
        ("injured at least", &mut f.min_injured),
        ("children at least", &mut f.min_children),
    ] {
        ui.horizontal(|ui| {
            let mut on = min.is_some();
            if ui.checkbox(&mut on, label).changed() {
                *min = on.then_some(1);
            }
            if let Some(v) = min {
                ui.add(egui::DragValue::new(v).range(0..=100_000))
                    .on_hover_text(format!("Events with {label} this many"));
            }
        });
    }
    ui.horizontal(|ui| {
        ui.label("Killed:");
        ui.radio_value(&mut f.killed, None, "any");
        ui.radio_value(&mut f.killed, Some(Reported::Reported), "reported");
        ui.radio_value(&mut f.killed, Some(Reported::NotReported), "not reported");
    });
}

fn precision_ui(ui: &mut egui::Ui, f: &mut EventFilter) {
    ui.separator();
    ui.label("Location precision shown");
    for p in LocationPrecision::ALL {
        let mut shown = !f.hide_precision.contains(&p);
        if ui.checkbox(&mut shown, p.label()).changed() {
            toggle(&mut f.hide_precision, p, !shown);
        }
    }
}

/// A searchable list of names with counts; clicking one ticks or unticks it.
fn names_ui(
    ui: &mut egui::Ui,
    title: &str,
    names: &[(String, usize)],
    chosen: &mut Vec<String>,
    search: &mut String,
) {
    ui.separator();
    ui.label(format!("{title} (events in window)"));
    let edit = egui::TextEdit::singleline(search)
        .hint_text(format!("find a {}", title.to_lowercase()))
        .desired_width(f32::INFINITY);
    ui.add(edit)
        .on_hover_text(format!("Find a {}", title.to_lowercase()));
    let key = crate::geo::place_names::fold(search);
    egui::ScrollArea::vertical()
        .id_salt(title)
        .max_height(160.0)
        .show(ui, |ui| {
            // The chosen ones first, so they can be unticked however long the list.
            let listed = chosen.iter().map(|c| {
                let n = names.iter().find(|(x, _)| x == c).map_or(0, |(_, n)| *n);
                (c.clone(), n)
            });
            let rest = names
                .iter()
                .filter(|(x, _)| !chosen.contains(x))
                .filter(|(x, _)| key.is_empty() || crate::geo::place_names::fold(x).contains(&key))
                .take(200)
                .cloned();
            let all: Vec<(String, usize)> = listed.chain(rest).collect();
            for (name, n) in all {
                let mut on = chosen.contains(&name);
                if ui.checkbox(&mut on, format!("{name} ({n})")).changed() {
                    toggle(chosen, name, on);
                }
            }
        });
}
