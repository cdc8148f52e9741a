//! Saved views in the app: writing the current view, opening one (its files load first) and
//! applying the rest once they have landed.

use super::StrikemapApp;
use crate::state::datasets::DatasetCommand;
use crate::state::map::MapCommand;
use crate::store::EventStore;
use crate::timeline::TimelineCommand;

impl StrikemapApp {
    /// The view as a [`SavedView`](crate::state::saved_view::SavedView), written to `path`.
    pub fn save_view(&self, path: &std::path::Path) -> Result<(), String> {
        use crate::state::saved_view::{SavedView, SelectedRecord};
        let files = self.datasets.files().to_vec();
        let store = self.store();
        let selected = self.selection.selected.and_then(|i| {
            let (ds, record) = store.identity(i)?;
            let id = &store.all_datasets().get(usize::from(ds))?.meta.id;
            let file = files.iter().position(|f| id.path() == Some(f.as_path()))?;
            Some(SelectedRecord { file, record })
        });
        let m = &self.map.memory;
        let view = SavedView {
            map: m.detached().map(|p| (p.y(), p.x(), m.zoom())),
            window: self.timeline.len,
            cursor: Some(self.timeline.cursor),
            filter: self.filters.filter.clone(),
            layer_mode: self.view.layer_mode,
            panels: self.view.panels,
            selected,
            ..SavedView::default()
        };
        view.write(path, &files)
    }

    /// Open a saved view: its files load (in the background), and the rest is applied when
    /// they have landed. Missing files are said; the view shows the others.
    pub(super) fn open_view(&mut self, ctx: &egui::Context, path: &std::path::Path) {
        let (view, found, missing) = match crate::state::saved_view::SavedView::read(path) {
            Ok(v) => v,
            Err(e) => return self.say(e),
        };
        if !missing.is_empty() {
            let said = format!(
                "View {}: not found: {} (the view shows the rest)",
                path.display(),
                missing.join(", ")
            );
            self.notice = Some((
                said,
                std::time::Instant::now() + std::time::Duration::from_secs(60),
            ));
        }
        let dir = path.parent().unwrap_or(std::path::Path::new(""));
        self.pending_select = view.selected.and_then(|sel| {
            let file = dir.join(view.files.get(sel.file)?);
            found.contains(&file).then_some((file, sel.record))
        });
        if !found.is_empty() {
            self.datasets.apply(ctx, DatasetCommand::Open(found));
        }
        self.pending_view = Some((view, false));
    }

    /// Apply a pending saved view once its files have loaded.
    pub(super) fn finish_view(&mut self, ctx: &egui::Context) {
        if self.datasets.is_loading() {
            return;
        }
        let Some((v, applied)) = self.pending_view.take() else {
            return;
        };
        if applied {
            // The filter has landed (it may run on a thread): the selection is a position
            // in the filtered store.
            if self.filters.busy() {
                self.pending_view = Some((v, true));
            } else {
                self.select_saved();
            }
            return;
        }
        if let Some((lat, lon, zoom)) = v.map {
            self.map
                .apply(MapCommand::SetView(lat, lon, zoom), &EventStore::default());
        }
        self.view.layer_mode = v.layer_mode;
        self.view.panels = v.panels;
        let store = std::sync::Arc::clone(self.datasets.store());
        self.timeline
            .apply(TimelineCommand::SetWindow(v.window), &store);
        if let Some(t) = v.cursor {
            self.timeline.apply(TimelineCommand::SetCursor(t), &store);
        }
        let generation = self.datasets.generation();
        let filter = crate::state::filter::FilterCommand::Set(v.filter.clone());
        self.filters.apply(ctx, filter, &store, generation);
        self.follow_view();
        self.window.key = None;
        self.pending_view = Some((v, true));
    }

    /// Select the saved view's event in the shown store.
    pub(super) fn select_saved(&mut self) {
        self.follow_view();
        let Some((file, record)) = self.pending_select.take() else {
            return;
        };
        let shown = self.store();
        let same = |p: &std::path::Path| {
            let canon = |q: &std::path::Path| std::fs::canonicalize(q).ok();
            p == file || canon(p).is_some_and(|c| Some(c) == canon(&file))
        };
        let found = shown
            .all_datasets()
            .iter()
            .position(|d| d.meta.id.path().is_some_and(same))
            .and_then(|ds| {
                let start = shown
                    .all_datasets()
                    .get(ds)?
                    .rows
                    .get(record as usize)?
                    .start;
                shown.position_of((u16::try_from(ds).ok()?, record), start)
            });
        self.selection.selected = found;
        self.window.key = None;
    }
}
