//! The event table (bottom panel): the shown events of the window, one row each, sorted by
//! any column. Only the rows on screen are built (egui_extras' `TableBuilder::rows`), so a
//! million rows scroll as fast as ten. A row click selects the event (and reveals it on the
//! map); the selected row is highlighted and scrolled to when the map selects it.

use crate::model::{Target, Weapon};
use crate::state::Command;
use crate::state::map::MapCommand;
use crate::state::selection::SelectCommand;
use crate::state::table::{Column, TableCommand};
use crate::store::EventStore;

/// What the table shows this frame.
pub struct TableView<'a> {
    /// The shown store.
    pub store: &'a EventStore,
    /// The window's events in table order (`None`: the first order is being computed).
    pub order: Option<&'a [u32]>,
    /// A newer order (sort or window) is being computed.
    pub sorting: bool,
    /// The sort column and direction.
    pub sort: (Column, bool),
    /// The selected event.
    pub selected: Option<usize>,
    /// Scroll so that this row is visible (the map selected its event).
    pub scroll_to: Option<usize>,
}

/// The table in a resizable bottom panel.
pub fn event_table_ui(ui: &mut egui::Ui, v: &TableView<'_>, out: &mut Vec<Command>) {
    egui::Panel::bottom("event_table")
        .resizable(true)
        .default_size(220.0)
        .min_size(120.0)
        .show(ui, |ui| {
            let n = v.order.map_or(0, <[u32]>::len);
            ui.horizontal(|ui| {
                ui.strong("Events");
                ui.label(crate::present::text::count_text(n, "event", "events"));
                ui.label("in the window · ↑/↓ move the selection · Enter zooms to it");
                if v.sorting {
                    ui.spinner();
                    ui.label("sorting…");
                }
            });
            table_ui(ui, v, out);
        });
}

fn table_ui(ui: &mut egui::Ui, v: &TableView<'_>, out: &mut Vec<Command>) {
    use egui_extras::{Column as Col, TableBuilder};
    let order = v.order.unwrap_or(&[]);
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    let mut b = TableBuilder::new(ui)
        .id_salt("events")
        .striped(true)
        .resizable(true)
        .sense(egui::Sense::click())
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Col::initial(200.0).at_least(60.0))
        .column(Col::initial(130.0).at_least(40.0))
        .column(Col::initial(120.0).at_least(40.0))
        .column(Col::initial(110.0).at_least(40.0))
        .column(Col::initial(100.0).at_least(40.0))
        .column(Col::initial(55.0).at_least(30.0))
        .column(Col::initial(55.0).at_least(30.0))
        .column(Col::initial(110.0).at_least(40.0))
        .column(Col::remainder().at_least(80.0).clip(true));
    if let Some(r) = v.scroll_to {
        b = b.scroll_to_row(r, Some(egui::Align::Center));
    }
    b.header(row_h + 2.0, |mut header| {
        for c in Column::ALL {
            header.col(|ui| {
                let arrow = match v.sort {
                    (s, true) if s == c => " ↑",
                    (s, false) if s == c => " ↓",
                    _ => "",
                };
                let text = format!("{}{arrow}", c.label());
                let hint = format!("Sort by {}", c.label().to_lowercase());
                if ui.button(text).on_hover_text(hint).clicked() {
                    out.push(Command::Table(TableCommand::SortBy(c)));
                }
            });
        }
    })
    .body(|body| {
        body.rows(row_h, order.len(), |mut row| {
            let Some(&i) = order.get(row.index()) else {
                return;
            };
            let i = i as usize;
            row.set_selected(v.selected == Some(i));
            let cells = row_texts(v.store, i);
            for text in &cells {
                row.col(|ui| {
                    ui.add(egui::Label::new(text.as_str()).truncate().selectable(false));
                });
            }
            if row.response().clicked() {
                out.push(Command::Select(SelectCommand::Select(Some(i))));
                out.push(Command::Map(MapCommand::Reveal(i)));
            }
        });
    });
}

/// The cells of event `i`'s row, in [`Column::ALL`] order. "—" is "not reported".
pub fn row_texts(store: &EventStore, i: usize) -> [String; 9] {
    let dash = || "—".to_owned();
    let e = store.get(i);
    let row = store.row(i);
    let count = |v: Option<u32>| v.map_or_else(dash, |k| k.to_string());
    let (killed, injured) = store.casualties(i);
    let weapon = row
        .and_then(|r| Weapon::ALL.get(usize::from(r.weapon)))
        .map_or_else(dash, |w| w.label().to_owned());
    let target = row
        .and_then(|r| Target::ALL.get(usize::from(r.target)))
        .map_or_else(dash, |t| t.label().to_owned());
    let region = store
        .area(i)
        .and_then(|a| a.admin1.clone())
        .unwrap_or_else(dash);
    let date = e.as_ref().map_or_else(dash, |e| e.time.display());
    let place = e
        .as_ref()
        .and_then(|e| e.location.place.clone())
        .unwrap_or_else(dash);
    let title = e
        .as_ref()
        .and_then(|e| e.title.clone().or_else(|| e.description.clone()))
        .unwrap_or_else(dash);
    let dataset = store
        .dataset_of(i)
        .map_or_else(dash, |d| crate::present::text::file_name(&d.name));
    [
        date,
        place,
        region,
        weapon,
        target,
        count(killed),
        count(injured),
        dataset,
        title,
    ]
}
