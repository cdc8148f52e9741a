//! The app's workbench panels: the event table (its order, ↑/↓), the statistics and the
//! filter panel's counts, each cached per window and store.

use super::StrikemapApp;
use crate::state::Command;
use crate::state::map::MapCommand;
use crate::state::selection::SelectCommand;
use crate::store::EventStore;
use crate::ui;

impl StrikemapApp {
    /// The event table; its sort commands are applied here, the rest go out.
    pub(super) fn table_panel_ui(
        &mut self,
        ui: &mut egui::Ui,
        store: &EventStore,
        out: &mut Vec<Command>,
    ) {
        let shared = std::sync::Arc::clone(self.store());
        let generation = self.view_generation();
        let (order, sorting) = self
            .table
            .order(ui.ctx(), &shared, generation, &self.window.window);
        let selected = self.selection.selected;
        // A selection made elsewhere (the map, a key) scrolls the table to its row.
        let scroll_to = if selected != self.table_seen {
            self.table_seen = selected;
            selected.and_then(|s| order.as_ref()?.iter().position(|&i| i as usize == s))
        } else {
            None
        };
        let view = ui::table::TableView {
            store,
            order: order.as_deref().map(Vec::as_slice),
            sorting,
            sort: (self.table.column, self.table.ascending),
            selected,
            scroll_to,
        };
        let before = out.len();
        ui::table::event_table_ui(ui, &view, out);
        // The table's own click needs no scroll.
        for c in &out[before..] {
            if let Command::Select(SelectCommand::Select(s)) = c {
                self.table_seen = *s;
            }
        }
    }

    /// The selection moved one row up or down the table (↑/↓), scrolled to.
    pub(super) fn step_table(&mut self, ctx: &egui::Context, d: i64) {
        let shared = std::sync::Arc::clone(self.store());
        let generation = self.view_generation();
        let (Some(order), _) = self
            .table
            .order(ctx, &shared, generation, &self.window.window)
        else {
            return;
        };
        let at = self
            .selection
            .selected
            .and_then(|s| order.iter().position(|&i| i as usize == s));
        let next = match at {
            Some(k) => k
                .saturating_add_signed(d as isize)
                .min(order.len().saturating_sub(1)),
            None => 0,
        };
        if let Some(&i) = order.get(next) {
            self.apply(
                ctx,
                Command::Select(SelectCommand::Select(Some(i as usize))),
            );
            self.apply(ctx, Command::Map(MapCommand::Reveal(i as usize)));
        }
    }

    /// Statistics of the shown events in the window, recomputed when either changes.
    pub fn stats(&mut self) -> std::sync::Arc<crate::stats::Breakdown> {
        let key = self.timeline.window();
        let generation = self.view_generation();
        if let Some((k, g, b)) = &self.stats
            && *k == key
            && *g == generation
        {
            return std::sync::Arc::clone(b);
        }
        let store = std::sync::Arc::clone(self.store());
        let b = std::sync::Arc::new(crate::stats::breakdown(&store, &store.window(key.0, key.1)));
        self.stats = Some((key, generation, std::sync::Arc::clone(&b)));
        b
    }

    /// The counts beside the filter panel's boxes: all loaded events in the window,
    /// recomputed when the window or the data changes.
    pub(super) fn facets(&mut self) -> std::sync::Arc<crate::stats::Facets> {
        let key = self.timeline.window();
        let base_gen = self.datasets.generation();
        match &self.facets {
            Some((k, g, f)) if *k == key && *g == base_gen => std::sync::Arc::clone(f),
            _ => {
                let base = self.datasets.store();
                let f = std::sync::Arc::new(crate::stats::facets(base, &base.window(key.0, key.1)));
                self.facets = Some((key, base_gen, std::sync::Arc::clone(&f)));
                f
            }
        }
    }
}
