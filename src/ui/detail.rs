//! The detail panel: everything known about the selected event, with its uncertainty.

use crate::state::SystemCommand;
use crate::state::map::MapCommand;
use crate::state::selection::SelectCommand;
use egui::RichText;

use crate::geo::Basemap;
use crate::model::{Event, fmt_count};
use crate::present::style;
use crate::present::text::near_words_ui;
use crate::state::Command;
use crate::state::command::is_web_link;
use crate::store::EventStore;

/// Hint shown when nothing is selected.
pub const EMPTY_HINT: &str = "Click a marker on the map to read what happened.";

/// The right-hand detail panel.
pub fn detail_panel_ui(
    ui: &mut egui::Ui,
    store: &EventStore,
    basemap: Option<&Basemap>,
    ukrainian: bool,
    selected: Option<usize>,
    at_spot: &[usize],
    out: &mut Vec<Command>,
) {
    egui::Panel::right("details")
        .resizable(true)
        .default_size(340.0)
        .size_range(260.0..=600.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| match selected.map(|i| (i, store.detail(i))) {
                    Some((i, Ok(e))) => {
                        let near = near_words_ui(ui, basemap, &e.location, ukrainian);
                        event_ui(ui, store, i, &e, near, at_spot, out)
                    }
                    Some((_, Err(msg))) => {
                        ui.heading("Details");
                        ui.colored_label(ui.visuals().error_fg_color, msg);
                    }
                    None => empty_ui(ui, store),
                });
        });
}

fn empty_ui(ui: &mut egui::Ui, store: &EventStore) {
    ui.add_space(8.0);
    ui.heading("Details");
    ui.add_space(6.0);
    ui.label(EMPTY_HINT);
    ui.add_space(6.0);
    ui.weak(
        "Scrub the timeline below to choose which days are shown; press Space to play. \
         Dashed circles are events known only to the oblast; badges are country-wide totals.",
    );
    if !store.is_empty() {
        ui.add_space(10.0);
        ui.weak(format!(
            "{} loaded.",
            crate::present::text::count_text(store.len(), "event", "events")
        ));
    }
}

/// The weapon row: labels, then the source's own wording where it adds something.
fn weapon_words(e: &Event) -> String {
    let labels: Vec<&str> = e.weapons.iter().map(|w| w.label()).collect();
    let mut weapon = if labels.is_empty() {
        "unknown".to_owned()
    } else {
        labels.join(", ")
    };
    if let Some(d) = &e.weapon_detail
        && !labels.iter().any(|l| l.eq_ignore_ascii_case(d.trim()))
    {
        weapon.push_str(&format!(" ({d})"));
    }
    weapon
}

/// Everything about one event: headline, facts, notes, sources, coordinates, properties.
fn event_ui(
    ui: &mut egui::Ui,
    store: &EventStore,
    idx: usize,
    e: &Event,
    nearby: Option<String>,
    at_spot: &[usize],
    out: &mut Vec<Command>,
) {
    let headline = match (&e.title, &nearby) {
        // The headline names the first place only; the row below gives both.
        (None, Some(near)) => format!(
            "{} · {}",
            e.primary_weapon().label(),
            near.split(" · ").next().unwrap_or(near)
        ),
        _ => e.headline(),
    };
    ui.add_space(6.0);
    ui.horizontal_top(|ui| {
        let c = style::weapon_colour(e.primary_weapon());
        let (r, _) = ui.allocate_exact_size(egui::vec2(12.0, 20.0), egui::Sense::hover());
        ui.painter().circle_filled(r.center(), 6.0, c);
        ui.add(egui::Label::new(RichText::new(headline).heading().size(17.0)).wrap());
    });
    ui.add_space(4.0);

    let rows = fact_rows(e, nearby.as_deref());
    facts_ui(ui, &rows);

    for (heading, note) in [
        ("How the date is known", &e.time_note),
        ("How the place is known", &e.location_note),
    ] {
        if let Some(note) = note {
            ui.add_space(6.0);
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.label(RichText::new(heading).strong());
                ui.label(note);
            });
        }
    }
    if let Some(d) = &e.description {
        ui.add_space(6.0);
        ui.label(d);
    }

    sources_ui(ui, e, out);

    coords_ui(ui, e, idx, out);

    properties_ui(ui, e);
    if let Some(ds) = store.dataset_of(idx) {
        ui.weak(format!("Dataset: {}", ds.name));
    }

    at_spot_ui(ui, store, idx, at_spot, out);
}

/// The facts about an event, as key–value rows (a count no source gives is "not reported").
fn fact_rows(e: &Event, nearby: Option<&str>) -> Vec<(&'static str, String)> {
    let mut rows: Vec<(&str, String)> = vec![("Place", e.location.display_name())];
    if let Some(near) = nearby {
        rows.push((NEAREST_TOWN, near.to_owned()));
    }
    rows.push((
        "Location precision",
        e.location.precision.label().to_owned(),
    ));
    rows.push(("When", e.time.display()));
    rows.push(("Time precision", e.time.precision.label().to_owned()));
    if let Some(d) = e.stated_date {
        rows.push(("Date given by source", crate::model::fmt_date(d)));
    }
    rows.push(("Weapon", weapon_words(e)));
    let target = e.target.map_or("not reported", |t| t.label());
    rows.push(("Target", target.to_owned()));
    let mut killed = fmt_count(e.killed, e.children_killed);
    if let Some((lo, hi)) = e.killed_range {
        killed.push_str(&format!(" (estimates {lo}–{hi})"));
    }
    rows.push(("Killed", killed));
    rows.push(("Injured", fmt_count(e.injured, e.children_injured)));
    if e.launched.is_some() || e.intercepted.is_some() {
        rows.push(("Launched", fmt_count(e.launched, None)));
        rows.push(("Intercepted", fmt_count(e.intercepted, None)));
    }
    rows
}

/// The event's sources: linked where the link is a web link, else named with the text given.
fn sources_ui(ui: &mut egui::Ui, e: &Event, out: &mut Vec<Command>) {
    ui.add_space(8.0);
    ui.label(RichText::new("Sources").strong());
    if e.sources.is_empty() {
        ui.weak("none given");
    }
    for s in &e.sources {
        let name = s
            .outlet
            .clone()
            .unwrap_or_else(|| "Unnamed source".to_owned());
        ui.horizontal_wrapped(|ui| match &s.url {
            Some(url) if is_web_link(url) => {
                let r = ui.link(&name).on_hover_text(url);
                if r.clicked() {
                    out.push(Command::System(SystemCommand::OpenUrl(url.clone())));
                }
            }
            Some(url) => {
                ui.label(&name);
                ui.weak(format!(
                    "({}, not a web link)",
                    crate::import::quote_input(url, 80)
                ));
            }
            None => {
                ui.label(RichText::new(&name).strong());
            }
        });
        if let Some(t) = &s.title {
            ui.weak(t);
        }
        let mut meta = Vec::new();
        if let Some(q) = &s.quoted {
            meta.push(format!("quoting {q}"));
        }
        if let Some(p) = &s.published {
            meta.push(format!("published {p}"));
        }
        if !meta.is_empty() {
            ui.weak(meta.join(" · "));
        }
    }
}

/// Coordinates with Copy and Zoom to.
fn coords_ui(ui: &mut egui::Ui, e: &Event, idx: usize, out: &mut Vec<Command>) {
    ui.add_space(8.0);
    let coords = format!("{:.5}, {:.5}", e.location.lat, e.location.lon);
    ui.horizontal(|ui| {
        ui.label(RichText::new(&coords).monospace());
        if ui
            .button("Copy")
            .on_hover_text("Copy coordinates (lat, lon)")
            .clicked()
        {
            out.push(Command::System(SystemCommand::Copy(coords.clone())));
        }
        if ui
            .button("Zoom to")
            .on_hover_text("Centre the map on this event")
            .clicked()
        {
            out.push(Command::Map(MapCommand::ZoomTo(idx)));
        }
    });
}

/// Every property the source file had, folded away.
fn properties_ui(ui: &mut egui::Ui, e: &Event) {
    if !e.extra.is_empty() {
        ui.add_space(8.0);
        egui::CollapsingHeader::new("All properties")
            .default_open(false)
            .show(ui, |ui| {
                egui::Grid::new("extra")
                    .num_columns(2)
                    .striped(true)
                    .show(ui, |ui| {
                        ui.weak("id");
                        ui.label(&e.id);
                        ui.end_row();
                        for (k, v) in &e.extra {
                            ui.weak(&**k);
                            ui.label(v);
                            ui.end_row();
                        }
                    });
            });
    }
}

/// The other events at this spot, to page through.
fn at_spot_ui(
    ui: &mut egui::Ui,
    store: &EventStore,
    idx: usize,
    at_spot: &[usize],
    out: &mut Vec<Command>,
) {
    if at_spot.len() > 1 {
        ui.add_space(8.0);
        ui.separator();
        ui.label(RichText::new(format!("{} events at this spot", at_spot.len())).strong());
        // Each entry may be read back from its file, so the list stops at a screenful.
        for &j in at_spot.iter().take(AT_SPOT_LISTED) {
            if let Some(o) = store.get(j) {
                let text = format!("{} — {}", o.time.display(), o.headline());
                if ui.selectable_label(j == idx, text).clicked() {
                    out.push(Command::Select(SelectCommand::Select(Some(j))));
                }
            }
        }
        if at_spot.len() > AT_SPOT_LISTED {
            ui.weak(format!("… and {} more", at_spot.len() - AT_SPOT_LISTED));
        }
    }
}

/// Events at the selected spot listed by name; the rest are counted.
const AT_SPOT_LISTED: usize = 40;

/// The key of the gazetteer row, which explains itself on hover.
const NEAREST_TOWN: &str = "Near";

/// Key–value rows, striped, values wrapping. Laid out row by row from this frame's sizes
/// (egui's Grid places rows by the previous frame's heights, so the first frame of another
/// event with other rows drew them over each other, and stayed so until the next repaint).
fn facts_ui(ui: &mut egui::Ui, rows: &[(&str, String)]) {
    const KEY_WIDTH: f32 = 128.0;
    let stripe = ui.visuals().faint_bg_color;
    ui.scope(|ui| {
        ui.spacing_mut().item_spacing.y = 0.0;
        for (i, (key, value)) in rows.iter().enumerate() {
            let fill = if i % 2 == 1 {
                stripe
            } else {
                egui::Color32::TRANSPARENT
            };
            egui::Frame::new()
                .fill(fill)
                .inner_margin(egui::Margin::symmetric(3, 3))
                .show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.horizontal_top(|ui| {
                        ui.allocate_ui_with_layout(
                            egui::vec2(KEY_WIDTH, 0.0),
                            egui::Layout::left_to_right(egui::Align::Min),
                            |ui| {
                                ui.set_min_width(KEY_WIDTH);
                                let k = ui.weak(*key);
                                if *key == NEAREST_TOWN {
                                    k.on_hover_text(
                                        "From the built-in gazetteer (GeoNames): the source \
                                         gives coordinates only",
                                    );
                                }
                            },
                        );
                        ui.add(egui::Label::new(value.as_str()).wrap());
                    });
                });
        }
    });
}
