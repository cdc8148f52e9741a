//! The eframe application: composes the panels and the map each frame and routes every
//! [`Command`] the UI emits to the domain that owns it ([`StrikemapApp::apply`]). The state
//! itself lives in [`crate::state`]: this file holds no domain logic.

use std::path::PathBuf;

use crate::map::tiles::{RetryPolicy, TileLayer, TileSourceChoice, TileStatus};
use crate::map::{self, LayerCache, MapOutput};
use crate::model::Seconds;
use crate::present::style;
use crate::state::basemap::BuiltInMap;
use crate::state::datasets::{DatasetCommand, DatasetEvent, Datasets, LoadProblem, ReadChoices};
use crate::state::filter::Filters;
use crate::state::map::{MapCommand, MapState};
use crate::state::selection::Selection;
use crate::state::view::{ViewCommand, ViewSettings};
use crate::state::{AppState, Command};
use crate::store::{EventStore, Window, WindowSummary};
use crate::timeline::Timeline;
use crate::ui;

mod input;
mod panels;
mod system;
mod views;

/// How the app was started (from the command line, or by a test).
#[derive(Clone, Debug, Default)]
pub struct AppConfig {
    /// Files to open; empty opens the bundled sample dataset.
    pub files: Vec<PathBuf>,
    /// Whether to fetch tiles over the network at all this run (`--no-tiles` turns it off;
    /// tests keep it off unless they serve tiles themselves).
    pub tiles: bool,
    /// Use this tile source instead of the remembered one.
    pub tile_source: Option<TileSourceChoice>,
    /// Disk cache for HTTP tiles (None: no disk cache).
    pub tile_cache: Option<PathBuf>,
    /// Failure detection and retry timing.
    pub retry: RetryPolicy,
    /// Start with this view (lat, lon, zoom) instead of fitting the data.
    pub view: Option<(f64, f64, f64)>,
    /// Basemap data to use instead of the embedded asset (`--basemap`; the LGPL rivers in it
    /// must stay replaceable). If it cannot be read, the embedded one is used and the status
    /// bar says why.
    pub basemap: Option<PathBuf>,
    /// Show the system's file dialog for File → Open (off in tests, which cannot drive it).
    pub native_dialogs: bool,
    /// Compute every map layer on the UI thread, also for large windows (benchmarks, to
    /// measure the whole cost of a frame).
    pub sync_layers: bool,
}

/// The current window's query, recomputed only when the window or the data changes.
#[derive(Default)]
struct WindowCache {
    /// The `(from, to)` it was computed for (`None`: stale).
    key: Option<(Seconds, Seconds)>,
    window: Window,
    /// Totals of the shown (filtered) events in the window.
    summary: WindowSummary,
}

/// What the map pass of the last frame drew, for hit-testing in tests and the detail panel.
#[derive(Default)]
struct LastMap {
    /// Country-level badges: where, and their reports.
    badges: Vec<(egui::Rect, Vec<usize>)>,
    /// Event markers: which event, where.
    drawn: Vec<(usize, egui::Pos2)>,
    /// Where the map was drawn.
    rect: Option<egui::Rect>,
}

/// The application.
pub struct StrikemapApp {
    /// The opened files, their store, loads and problems.
    datasets: Datasets,
    /// The filter and the store of the events that pass it.
    filters: Filters,
    /// The store shown in the last frame and its generation: when the view changes, the
    /// selection is carried over to the same event in the new one.
    last_view: (u64, std::sync::Arc<EventStore>),
    /// A saved view being opened: applied once its files have loaded.
    pending_view: Option<(crate::state::saved_view::SavedView, bool)>,
    /// The saved view's selected event: its file and record.
    pending_select: Option<(PathBuf, u32)>,
    /// The event table's sort and row order.
    table: crate::state::table::TableState,
    /// The selection the table last showed (a new one from the map scrolls the table to it).
    table_seen: Option<usize>,
    /// Text typed in the filter panel.
    filter_drafts: ui::filters::FilterDrafts,
    /// The filter panel's counts (all loaded events in the window), and the window and base
    /// generation they are of.
    facets: Option<(
        (Seconds, Seconds),
        u64,
        std::sync::Arc<crate::stats::Facets>,
    )>,
    /// The statistics of the shown events in the window, and the window and view
    /// generation they are of.
    stats: Option<(
        (Seconds, Seconds),
        u64,
        std::sync::Arc<crate::stats::Breakdown>,
    )>,
    /// Cursor, window, playback.
    timeline: Timeline,
    /// The map view and the pending fit.
    map: MapState,
    /// How things are drawn.
    view: ViewSettings,
    /// The selected event.
    selection: Selection,
    /// The tile source in use (and the one remembered).
    tiles: TileLayer,
    /// The built-in offline basemap, completed by the world gazetteer's places once loaded.
    basemap: BuiltInMap,
    window: WindowCache,
    /// The map layer of the last view.
    layer_cache: LayerCache,
    last_map: LastMap,
    /// Whether File → Open shows the system dialog.
    native_dialogs: bool,
    /// The open-file dialog (the system's, or the built-in one).
    dialog: ui::file_dialog::OpenDialog,
    /// The save dialog of File → Export events… (the system's, or the built-in one).
    export_dialog: ui::file_dialog::ExportDialog,
    /// File → Export map image…, while on its way.
    map_image: crate::state::map_image::MapImage,
    /// File dialogs asked for (for tests, where no dialog is shown).
    dialogs_requested: usize,
    /// A passing message for the status bar, and until when to show it.
    notice: Option<(String, std::time::Instant)>,
    /// Commands queued from outside (tests) and by keys, applied before layout.
    commands: Vec<Command>,
    /// Frames drawn so far, up to 2 (the start-up time is taken when the second begins,
    /// i.e. once the first has been painted).
    frames: u8,
}

impl StrikemapApp {
    /// Create the app from eframe's creation context: restore state, load files, set up tiles.
    pub fn new(cc: &eframe::CreationContext<'_>, config: AppConfig) -> Self {
        // Read field by field and checked: one bad value resets only itself.
        let state = match cc.storage.and_then(|s| s.get_string(eframe::APP_KEY)) {
            Some(text) => {
                let (state, notes) = AppState::from_saved(&text);
                for n in notes {
                    log::warn!("settings: {n}");
                }
                state
            }
            None => AppState::default(),
        };
        style::apply(&cc.egui_ctx);
        Self::with_state(state, config, &cc.egui_ctx)
    }

    /// Build the app without an eframe context (tests, benchmarks): the saved state is handed
    /// out to the domains that own each part of it.
    pub fn with_state(state: AppState, config: AppConfig, ctx: &egui::Context) -> Self {
        let choice = if config.tiles {
            config
                .tile_source
                .clone()
                .unwrap_or_else(|| state.tile_source.clone())
        } else {
            TileSourceChoice::BuiltIn
        };
        let tiles = TileLayer::new(choice, ctx.clone(), config.tile_cache.clone(), config.retry)
            .remembering(state.tile_source);
        // Every file loads in the background (the window is up first, with a progress bar):
        // a huge one-line file or a slow disk never keeps the window from appearing. Only the
        // bundled sample, a few kilobytes, is read at once.
        let choices = ReadChoices {
            time_properties: state.time_properties,
            csv_columns: state.csv_columns,
            sheets: state.sheets,
        };
        // Saved views among the files are opened by the Open command below, not as data.
        let data_files: Vec<PathBuf> = config
            .files
            .iter()
            .filter(|p| !crate::state::saved_view::is_view_file(p))
            .cloned()
            .collect();
        let datasets = Datasets::new(&data_files, state.recent, choices);
        let span = datasets.store().span().unwrap_or((0, crate::model::DAY));
        let mut timeline = Timeline::new(span, state.window, state.speed);
        timeline.looping = state.looping;
        // Restore the saved view only for the same files (the bundled data counts as "no
        // files"); anything else starts fitted to the data. A view from the command line, or
        // the saved view of the same files, survives the background loads.
        let same_files = state.view_saved && state.files == config.files;
        let map = MapState {
            memory: state.map_memory,
            fit_pending: !same_files,
            keep_view: (config.view.is_some() || same_files) && !config.files.is_empty(),
            size: (0.0, 0.0),
        };
        let mut commands = Vec::new();
        // `strikemap FILE.strikemap` opens a saved view: the Open command routes it.
        if !config.files.is_empty() {
            commands.push(Command::Datasets(DatasetCommand::Open(config.files)));
        }
        if let Some((lat, lon, zoom)) = config.view {
            commands.push(Command::Map(MapCommand::SetView(lat, lon, zoom)));
        }
        // The report opens by itself only for a file that needs the user's choice; rejected
        // records and unreadable files are announced by the top bar's warning button.
        let view = ViewSettings {
            ukrainian_names: state.ukrainian_names,
            layer_mode: state.layer_mode,
            custom_template: state.custom_template,
            pmtiles_path: state.pmtiles_path,
            show_load_report: datasets.problems().iter().any(LoadProblem::needs_choice),
            panels: state.panels,
        };
        let mut filters = Filters::new(state.filter);
        filters.refresh(ctx, datasets.store(), datasets.generation());
        let basemap = BuiltInMap::load(config.basemap.as_deref());
        // A --basemap file that could not be used is said for longer than a passing notice.
        let notice = basemap.problem().map(|p| {
            (
                p.to_owned(),
                std::time::Instant::now() + std::time::Duration::from_secs(60),
            )
        });
        let last_view = (u64::MAX, std::sync::Arc::clone(datasets.store()));
        Self {
            datasets,
            filters,
            last_view,
            filter_drafts: Default::default(),
            table: Default::default(),
            pending_view: None,
            pending_select: None,
            table_seen: None,
            facets: None,
            stats: None,
            timeline,
            map,
            view,
            selection: Selection::default(),
            tiles,
            basemap,
            window: WindowCache::default(),
            layer_cache: LayerCache::new(config.sync_layers),
            last_map: LastMap::default(),
            native_dialogs: config.native_dialogs,
            dialog: ui::file_dialog::OpenDialog::default(),
            export_dialog: ui::file_dialog::ExportDialog::default(),
            map_image: Default::default(),
            dialogs_requested: 0,
            notice,
            commands,
            frames: 0,
        }
    }

    /// Wait until the basemap's fine land and the world gazetteer's places have joined it
    /// (they are prepared in the background after the first frame; tests that picture them
    /// need them).
    pub fn wait_for_world_places(&mut self, ctx: &egui::Context) {
        self.basemap.wait(ctx);
    }

    /// The persisted state: a snapshot of what each domain holds now.
    pub fn snapshot(&self) -> AppState {
        let choices = self.datasets.choices();
        AppState {
            map_memory: self.map.memory.clone(),
            // The view is this run's: restored next time for the same files.
            view_saved: true,
            files: self.datasets.files().to_vec(),
            recent: self.datasets.recent().to_vec(),
            window: self.timeline.len,
            speed: self.timeline.speed,
            looping: self.timeline.looping,
            ukrainian_names: self.view.ukrainian_names,
            tile_source: self.tiles.remembered().clone(),
            custom_template: self.view.custom_template.clone(),
            pmtiles_path: self.view.pmtiles_path.clone(),
            layer_mode: self.view.layer_mode,
            time_properties: choices.time_properties.clone(),
            csv_columns: choices.csv_columns.clone(),
            sheets: choices.sheets.clone(),
            filter: self.filters.filter.clone(),
            panels: self.view.panels,
        }
    }

    /// The events shown: those that pass the filter (all loaded events when nothing is
    /// filtered).
    pub fn store(&self) -> &std::sync::Arc<EventStore> {
        self.filters
            .view(self.datasets.store(), self.datasets.generation())
    }

    /// Every loaded event of the shown datasets, filtered or not.
    pub fn all_events(&self) -> &std::sync::Arc<EventStore> {
        self.datasets.store()
    }

    /// The filter in use.
    pub fn filter(&self) -> &crate::filter::EventFilter {
        &self.filters.filter
    }

    /// Whether a filter is being applied on a thread.
    pub fn filtering(&self) -> bool {
        self.filters.busy()
    }

    /// Changes whenever the shown store changes (the base store or the filter).
    fn view_generation(&self) -> u64 {
        self.datasets
            .generation()
            .wrapping_mul(1 << 20)
            .wrapping_add(self.filters.generation())
    }

    /// The timeline (cursor, window, playback).
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// Selected event index.
    pub fn selected(&self) -> Option<usize> {
        self.selection.selected
    }

    /// Positions of the events in the current window (built on demand: tests, small data).
    pub fn visible(&self) -> Vec<usize> {
        self.store().window_ids(&self.window.window)
    }

    /// How events are drawn now, and the number of events in view.
    pub fn layer(&self) -> (Option<&crate::layers::Layer>, usize) {
        (self.layer_cache.layer.as_ref(), self.layer_cache.in_view)
    }

    /// Whether the map layer is being computed on a thread (the previous one is drawn).
    pub fn layer_computing(&self) -> bool {
        self.layer_cache.computing()
    }

    /// Totals for the current window.
    pub fn summary(&self) -> WindowSummary {
        self.window.summary
    }

    /// What the tile layer is doing.
    pub fn tile_status(&self) -> TileStatus {
        self.tiles.status()
    }

    /// The map view.
    pub fn map_memory(&self) -> &walkers::MapMemory {
        &self.map.memory
    }

    /// Whether the view will be fitted to the data before the map is next drawn.
    pub fn fit_pending(&self) -> bool {
        self.map.fit_pending
    }

    /// The country-level badges of the last frame: where each is, and its reports.
    pub fn badges(&self) -> &[(egui::Rect, Vec<usize>)] {
        &self.last_map.badges
    }

    /// The event markers of the last frame: which event, and where its centre is.
    pub fn drawn(&self) -> &[(usize, egui::Pos2)] {
        &self.last_map.drawn
    }

    /// Where the map was drawn in the last frame (screen points).
    pub fn map_rect(&self) -> egui::Rect {
        self.last_map.rect.unwrap_or(egui::Rect::NOTHING)
    }

    /// Files that failed or had rejected records.
    pub fn problems(&self) -> &[LoadProblem] {
        self.datasets.problems()
    }

    /// Queue a command (as the UI would), applied on the next frame.
    pub fn push_command(&mut self, c: Command) {
        self.commands.push(c);
    }

    /// Files still loading.
    pub fn loading(&self) -> impl Iterator<Item = &std::path::Path> {
        self.datasets.loading().map(|(p, _)| p)
    }

    /// Whether the store is being rebuilt for a new choice of shown datasets.
    pub fn reshowing(&self) -> bool {
        self.datasets.reshowing()
    }

    /// How many times File → Open was asked for.
    pub fn dialogs_requested(&self) -> usize {
        self.dialogs_requested
    }

    /// Whether an open-file dialog is showing.
    pub fn dialog_open(&self) -> bool {
        self.dialog.is_open()
    }

    /// Whether the export dialog is showing.
    pub fn export_dialog_open(&self) -> bool {
        self.export_dialog.is_open()
    }

    /// Whether events are being written to a file (File → Export events…).
    pub fn exporting(&self) -> bool {
        self.datasets.exporting().is_some()
    }

    /// Route one command to the domain that owns it, then let the others follow what the
    /// datasets did.
    pub fn apply(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::Timeline(c) => {
                let store = std::sync::Arc::clone(self.store());
                self.timeline.apply(c, &store);
            }
            Command::Map(c) => {
                let store = std::sync::Arc::clone(self.store());
                self.map.apply(c, &store);
            }
            Command::Datasets(DatasetCommand::Open(paths)) => {
                let (views, files): (Vec<PathBuf>, Vec<PathBuf>) = paths
                    .into_iter()
                    .partition(|p| crate::state::saved_view::is_view_file(p));
                if !files.is_empty() {
                    self.datasets.apply(ctx, DatasetCommand::Open(files));
                }
                for v in views {
                    self.open_view(ctx, &v);
                }
            }
            Command::Datasets(c) => self.datasets.apply(ctx, c),
            Command::Select(c) => {
                let len = self.store().len();
                self.selection.apply(c, len);
            }
            Command::Table(c) => self.table.apply(c),
            Command::Filter(c) => {
                self.filters
                    .apply(ctx, c, self.datasets.store(), self.datasets.generation());
                self.follow_view();
            }
            Command::View(c) => {
                match &c {
                    ViewCommand::SetTileSource(s) => self.tiles.set_choice(s.clone()),
                    ViewCommand::SetTheme(t) => ctx.set_theme(*t),
                    _ => {}
                }
                self.view.apply(&c);
            }
            Command::System(c) => self.system(ctx, c),
        }
        self.follow_datasets(ctx);
    }

    /// The other domains follow what the datasets did: new data resets the selection and the
    /// window query, and (for new files) the timeline's span and the view.
    fn follow_datasets(&mut self, ctx: &egui::Context) {
        for event in self.datasets.take_events() {
            match event {
                DatasetEvent::Replaced { refit } => {
                    self.selection.clear();
                    self.window.key = None;
                    self.filters
                        .refresh(ctx, self.datasets.store(), self.datasets.generation());
                    if refit {
                        let span = self.store().span().unwrap_or((0, crate::model::DAY));
                        self.timeline = self.timeline.with_span(span);
                        self.map.data_replaced();
                    }
                }
                DatasetEvent::SampleRestored => self.map.keep_view = false,
                DatasetEvent::Say(text) => self.say(text),
                DatasetEvent::ShowReport => self.view.show_load_report = true,
            }
        }
        // Nothing is loading any more: later loads fit the view again.
        if !self.datasets.is_loading() {
            self.map.keep_view = false;
        }
        self.follow_view();
    }

    /// When the shown store changed (a filter landed, or new data), the window query is
    /// redone and the selection moves to the same event in the new store (or goes, if the
    /// event is filtered out).
    fn follow_view(&mut self) {
        let generation = self.view_generation();
        if self.last_view.0 == generation {
            return;
        }
        let new = std::sync::Arc::clone(self.store());
        let old = std::mem::replace(&mut self.last_view, (generation, new));
        let (new, old) = (&self.last_view.1, &old.1);
        self.selection.selected = self.selection.selected.and_then(|i| {
            let id = old.identity(i)?;
            let (start, _) = old.time(i)?;
            new.position_of(id, start)
        });
        self.selection.at_spot.clear();
        self.window.key = None;
    }

    /// The folder of the most recently opened file (where the built-in dialog starts).
    fn recent_dir(&self) -> Option<PathBuf> {
        self.datasets
            .recent()
            .first()
            .and_then(|p| p.parent())
            .map(std::path::Path::to_path_buf)
    }

    /// A passing message in the status bar (12 s).
    fn say(&mut self, text: String) {
        self.notice = Some((
            text,
            std::time::Instant::now() + std::time::Duration::from_secs(12),
        ));
    }

    /// Recompute the window query if the window moved or the data changed.
    fn refresh_window(&mut self) {
        let key = self.timeline.window();
        if self.window.key != Some(key) {
            let store = std::sync::Arc::clone(self.store());
            self.window.window = store.window(key.0, key.1);
            self.window.summary = store.summary(key.0, key.1);
            self.window.key = Some(key);
        }
    }

    /// Log how long start-up took, when the second frame begins (the first one has been
    /// painted by then). With `STRIKEMAP_EXIT_AFTER_FIRST_FRAME` set (by `strikemap bench`)
    /// it is printed as `first_frame_ms N` and the app closes.
    fn note_start_up(&mut self, ctx: &egui::Context) {
        if self.frames >= 2 {
            return;
        }
        self.frames += 1;
        if self.frames == 1 {
            ctx.request_repaint();
            return;
        }
        let ms = crate::process_start().elapsed().as_secs_f64() * 1000.0;
        log::info!("first frame painted {ms:.0} ms after start");
        self.basemap.start_completion(ctx);
        if std::env::var_os("STRIKEMAP_EXIT_AFTER_FIRST_FRAME").is_some() {
            println!("first_frame_ms {ms:.1}");
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// Everything that happens before layout: playback, keys, dropped files, queued commands,
    /// finished background work, the window query.
    fn before_layout(&mut self, ctx: &egui::Context) {
        self.note_start_up(ctx);
        self.basemap.poll();
        // Playback follows the clock (egui's input time: wall time in the app, the simulated
        // time in tests), not the frame count, so slow frames do not slow it down.
        let now = ctx.input(|i| i.time);
        if self.timeline.tick(now) {
            ctx.request_repaint();
        }
        self.handle_keys(ctx);
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            self.commands
                .push(Command::Datasets(DatasetCommand::Open(dropped)));
        }
        for c in std::mem::take(&mut self.commands) {
            self.apply(ctx, c);
        }
        self.dialog_ui(ctx);
        self.datasets.poll(ctx);
        self.follow_datasets(ctx);
        if self.filters.poll() {
            self.follow_view();
        }
        self.finish_view(ctx);
        self.poll_map_image();
        self.refresh_window();
    }

    /// One frame of UI. Public so tests and benchmarks can drive it without eframe.
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.before_layout(&ctx);
        let mut out: Vec<Command> = Vec::new();
        self.panels_ui(ui, &mut out);
        self.map_panel_ui(ui, &mut out);
        ui::drop_hint_ui(ui);
        for c in out {
            self.apply(&ctx, c);
        }
        if self.timeline.playing {
            ctx.request_repaint();
        }
        if self.datasets.is_loading() || self.datasets.exporting().is_some() {
            // Keep the spinner turning and poll for the result.
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    /// The top bar, status bar, timeline, load report and detail panel.
    fn panels_ui(&mut self, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        let store = &*std::sync::Arc::clone(self.store());
        let shown = self.datasets.shown_wanted();
        let top = ui::TopBar {
            store,
            all: self.datasets.store().len(),
            filtering: self.filters.busy(),
            problems: self.datasets.problems(),
            ukrainian_names: self.view.ukrainian_names,
            tile_source: self.tiles.choice(),
            recent: self.datasets.recent(),
            layer_mode: self.view.layer_mode,
            layer: (self.layer_cache.layer.as_ref(), self.layer_cache.in_view),
            shown: &shown,
            reshowing: self.datasets.reshowing(),
        };
        let edit = ui::SourceEdit {
            template: &self.view.custom_template,
            path: &self.view.pmtiles_path,
        };
        ui::top_bar_ui(ui, &top, edit, out);
        ui::filters::filter_bar_ui(ui, &self.filters.filter, self.view.panels, out);
        let loading: Vec<(PathBuf, Option<f32>)> = self
            .datasets
            .loading()
            .map(|(p, f)| (p.to_path_buf(), f))
            .collect();
        let now = std::time::Instant::now();
        match &self.notice {
            Some((_, until)) if *until < now => self.notice = None,
            // Repaint when it is due to go, even if nothing else happens meanwhile.
            Some((_, until)) => ui
                .ctx()
                .request_repaint_after(until.saturating_duration_since(now)),
            None => {}
        }
        let status = ui::StatusBar {
            notice: self.notice.as_ref().map(|(n, _)| n.as_str()),
            store,
            status: self.tiles.status(),
            error: self.tiles.error(),
            next_retry: self.tiles.next_retry(),
            loading: &loading,
            exporting: self.datasets.exporting(),
        };
        ui::status_bar_ui(ui, &status, out);
        ui::timeline::timeline_ui(ui, store, &self.timeline, self.window.summary, out);
        if self.view.panels.stats {
            let b = self.stats();
            ui::stats::stats_panel_ui(ui, &b, &self.filters.filter, out);
        }
        if self.view.panels.table {
            self.table_panel_ui(ui, store, out);
        }
        // Have the texts ready before the first search (in the background, once per store).
        let base_gen = self.datasets.generation();
        self.filters.prepare_search(self.datasets.store(), base_gen);
        if self.view.panels.filters {
            let facets = self.facets();
            let f = &self.filters.filter;
            ui::filters::filter_panel_ui(ui, f, &facets, &mut self.filter_drafts, out);
        }
        if self.view.show_load_report {
            // Docked at the right edge, beside the details: it covers no control of the map.
            ui::load_report_ui(ui, self.datasets.problems(), out);
        }
        ui::detail::detail_panel_ui(
            ui,
            store,
            self.basemap.get(),
            self.view.ukrainian_names,
            self.selection.selected,
            &self.selection.at_spot,
            out,
        );
    }

    /// The map in the central panel; what it drew is kept for the next frame.
    fn map_panel_ui(&mut self, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        let mut map_out = MapOutput::default();
        let store = std::sync::Arc::clone(self.store());
        let generation = self.view_generation();
        let caption = self.map_image.busy().then(|| self.caption());
        let mut frame_tiles = self.tiles.for_frame();
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE.fill(style::map_background(ui.visuals())))
            .show(ui, |ui| {
                let size = ui.available_size();
                self.map.prepare(&store, (size.x, size.y));
                let view = map::MapView {
                    shared: &store,
                    store: &store,
                    generation,
                    window: &self.window.window,
                    mode: self.view.layer_mode,
                    selected: self.selection.selected,
                    basemap: self.basemap.get(),
                    ukrainian: self.view.ukrainian_names,
                    caption: caption.as_ref(),
                };
                map::map_ui(
                    ui,
                    &view,
                    &mut self.map.memory,
                    frame_tiles.as_mut().map(|t| t as &mut dyn walkers::Tiles),
                    &mut self.layer_cache,
                    &mut map_out,
                    out,
                );
            });
        self.tiles.end_frame(std::time::Instant::now());
        if let Some(rect) = map_out.rect {
            self.map_image.capture(ui.ctx(), rect);
        }
        self.selection.at_spot = map_out.at_selected_spot;
        self.last_map = LastMap {
            badges: map_out.badges,
            drawn: map_out.drawn,
            rect: map_out.rect,
        };
    }
}

impl eframe::App for StrikemapApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.snapshot());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::selection::SelectCommand;
    use crate::timeline::TimelineCommand;

    #[test]
    fn clicking_overlapping_events_cycles() {
        let mut app = StrikemapApp::with_state(
            AppState::default(),
            AppConfig::default(),
            &egui::Context::default(),
        );
        let ctx = egui::Context::default();
        let click = || Command::Select(SelectCommand::Clicked(vec![3, 1, 2]));
        app.apply(&ctx, click());
        assert_eq!(app.selected(), Some(3));
        app.apply(&ctx, click());
        assert_eq!(app.selected(), Some(1));
        app.apply(&ctx, click());
        assert_eq!(app.selected(), Some(2));
        app.apply(&ctx, click());
        assert_eq!(app.selected(), Some(3));
    }

    #[test]
    fn saved_view_is_restored_for_the_same_files_only() {
        let ctx = egui::Context::default();
        let mut state = AppState::default();
        state.map_memory.center_at(walkers::lat_lon(49.99, 36.23));
        let _ = state.map_memory.set_zoom(9.0);
        state.view_saved = true;
        let app = StrikemapApp::with_state(state, AppConfig::default(), &ctx);
        assert!(
            !app.fit_pending(),
            "same (bundled) data: keep the saved view"
        );
        assert_eq!(app.map_memory().zoom(), 9.0);
        let fresh = StrikemapApp::with_state(AppState::default(), AppConfig::default(), &ctx);
        assert!(fresh.fit_pending(), "first run fits the data");
        let state = AppState {
            view_saved: true,
            ..Default::default()
        };
        let other = StrikemapApp::with_state(
            state,
            AppConfig {
                files: vec![PathBuf::from("/nonexistent/other.csv")],
                ..Default::default()
            },
            &ctx,
        );
        assert!(other.fit_pending(), "other files: fit them");
    }

    /// What is saved is what each domain holds: a change made through commands shows in the
    /// snapshot, and the snapshot restores it.
    #[test]
    fn the_saved_state_is_a_snapshot_of_the_domains() {
        let ctx = egui::Context::default();
        let mut app = StrikemapApp::with_state(AppState::default(), AppConfig::default(), &ctx);
        let w = crate::timeline::WindowLen::Custom(9);
        app.apply(&ctx, Command::Timeline(TimelineCommand::SetWindow(w)));
        app.apply(&ctx, Command::Timeline(TimelineCommand::SetLoop(true)));
        app.apply(&ctx, Command::View(ViewCommand::UkrainianNames(true)));
        let template = "https://t.example/{z}/{x}/{y}.png".to_owned();
        app.apply(
            &ctx,
            Command::View(ViewCommand::EditTemplate(template.clone())),
        );
        app.apply(&ctx, Command::Map(MapCommand::SetView(50.0, 30.0, 7.0)));
        let s = app.snapshot();
        assert_eq!(s.window, w);
        assert!(s.looping && s.ukrainian_names && s.view_saved);
        assert_eq!(s.custom_template, template);
        assert_eq!(s.map_memory.zoom(), 7.0);
        let again = StrikemapApp::with_state(s, AppConfig::default(), &ctx);
        assert_eq!(again.timeline().len, w);
        assert!(again.timeline().looping);
        assert_eq!(again.map_memory().zoom(), 7.0);
    }

    #[test]
    fn unreadable_file_is_reported_not_fatal() {
        let mut app = StrikemapApp::with_state(
            AppState::default(),
            AppConfig {
                files: vec![PathBuf::from("/nonexistent/x.geojson")],
                ..Default::default()
            },
            &egui::Context::default(),
        );
        // Files load in the background: run the queued open and wait for its answer.
        let ctx = egui::Context::default();
        for c in std::mem::take(&mut app.commands) {
            app.apply(&ctx, c);
        }
        let start = std::time::Instant::now();
        while app.datasets.is_loading() {
            assert!(start.elapsed().as_secs() < 60, "the load ended");
            app.datasets.poll(&ctx);
            std::thread::yield_now();
        }
        assert!(app.store().is_empty());
        assert!(
            app.problems()[0]
                .error
                .as_deref()
                .unwrap_or("")
                .contains("x.geojson")
        );
    }
}
