//! The eframe application: owns the data, the map memory and the UI state, and applies every
//! [`Command`] the UI emits in one place ([`StrikemapApp::apply`]).

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use walkers::MapMemory;

use crate::geo::Basemap;
use crate::import::{self, LoadReport, Progress, Rejection};
use crate::layers::LayerMode;
use crate::map::tiles::{RetryPolicy, TileLayer, TileSourceChoice, TileStatus};
use crate::map::{self, LayerCache, MapOutput};
use crate::model::Seconds;
use crate::store::{DatasetData, EventStore, Window, WindowSummary};
use crate::timeline::{Speed, Timeline, WindowLen};
use crate::ui;

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
    /// Show the system's file dialog for File → Open (off in tests, which cannot drive it).
    pub native_dialogs: bool,
    /// Compute every map layer on the UI thread, also for large windows (benchmarks, to
    /// measure the whole cost of a frame).
    pub sync_layers: bool,
}

/// Everything that persists across runs (eframe storage). `#[serde(default)]` so that state
/// written by an older version still loads.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AppState {
    /// The map view (centre and zoom).
    pub map_memory: MapMemory,
    /// Whether `map_memory` holds a view saved by a previous run (not just the default).
    pub view_saved: bool,
    /// The files that were open when the map view was saved; the view is restored only when
    /// the same files are opened again, otherwise the first view fits the data.
    pub files: Vec<PathBuf>,
    /// Files opened recently, newest first.
    pub recent: Vec<PathBuf>,
    /// Timeline window length.
    pub window: WindowLen,
    /// Playback speed.
    pub speed: Speed,
    /// Playback starts again at the beginning when it reaches the end.
    pub looping: bool,
    /// Label the built-in basemap in Ukrainian (Cyrillic) where a Ukrainian name is known.
    pub ukrainian_names: bool,
    /// The chosen tile source.
    pub tile_source: TileSourceChoice,
    /// Text of the custom XYZ template field.
    pub custom_template: String,
    /// Text of the PMTiles path field.
    pub pmtiles_path: String,
    /// How events are drawn (automatic by density, or forced).
    pub layer_mode: LayerMode,
    /// Per file (path): the property event times are read from, when the user chose one.
    pub time_properties: std::collections::BTreeMap<String, String>,
    /// CSV column mappings the user chose, per header.
    pub csv_columns: import::ColumnChoices,
}

impl AppState {
    /// The state from its saved RON text: read field by field (one unreadable field resets
    /// alone), then checked; the notes say what was reset.
    pub fn from_saved(text: &str) -> (Self, Vec<String>) {
        let (mut state, mut notes) = crate::settings::read_fields::<Self>(text);
        state.sanitize(&mut notes);
        (state, notes)
    }

    /// Clamp or default every value that would break the app (a NaN zoom blanks the map, a
    /// negative speed plays backwards as "NaN days/s").
    pub fn sanitize(&mut self, notes: &mut Vec<String>) {
        let state = self;
        let m = &state.map_memory;
        let zoom = m.zoom();
        let centre_ok = m.detached().is_none_or(|p| {
            p.y().is_finite() && p.x().is_finite() && p.y().abs() <= 90.0 && p.x().abs() <= 180.0
        });
        if !(zoom.is_finite() && (1.0..=19.0).contains(&zoom) && centre_ok) {
            notes.push(format!(
                "map view (zoom {zoom}) unusable: fitting the data instead"
            ));
            state.map_memory = walkers::MapMemory::default();
            state.view_saved = false;
        }
        let s = state.speed.0;
        if !(s.is_finite() && s > 0.0 && s <= 3650.0) {
            notes.push(format!("playback speed {s} reset"));
            state.speed = Speed::default();
        }
        if let WindowLen::Custom(n) = state.window
            && !(1..=3650).contains(&n)
        {
            notes.push(format!("window of {n} days clamped"));
            state.window = WindowLen::Custom(n.clamp(1, 3650));
        }
    }
}

/// What the UI asks the app to do. Emitted by `*_ui` functions and map plugins, applied by
/// [`StrikemapApp::apply`] after the frame's UI has been laid out.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Select an event (by store index) or clear the selection.
    Select(Option<usize>),
    /// The user clicked on these overlapping events (nearest first): select the next one.
    ClickedEvents(Vec<usize>),
    /// Move the timeline cursor.
    SetCursor(Seconds),
    /// Change the window length.
    SetWindow(WindowLen),
    /// Start / stop playback.
    TogglePlay,
    /// Playback speed.
    SetSpeed(Speed),
    /// Loop playback (start again at the beginning at the end).
    SetLoop(bool),
    /// Step the cursor by one window (+1 forward, -1 back).
    StepWindow(i64),
    /// Jump to the next event (+1) or the previous one (-1).
    JumpEvent(i64),
    /// Zoom the map in (+1) or out (-1).
    Zoom(i32),
    /// Fit the map to all loaded events.
    FitAll,
    /// Centre and zoom on an event.
    ZoomTo(usize),
    /// Put text on the clipboard.
    Copy(String),
    /// Open a link in the system browser (only http/https are honoured).
    OpenUrl(String),
    /// Show or hide the load report window.
    ShowLoadReport(bool),
    /// Label the basemap in Ukrainian (true) or Latin script (false).
    UkrainianNames(bool),
    /// Open files (dropped on the window, or from the recent list), loading in the background.
    OpenFiles(Vec<PathBuf>),
    /// Stop waiting for a file that is loading (its result is discarded).
    CancelLoad(PathBuf),
    /// Switch the tile source.
    SetTileSource(TileSourceChoice),
    /// Centre the map on (lat, lon) at a zoom level.
    SetView(f64, f64, f64),
    /// Ask for files with the system's file dialog (File → Open…, Ctrl+O), or the built-in
    /// one where the system has none.
    OpenDialog,
    /// Ask for files with the built-in file dialog.
    OpenBuiltInDialog,
    /// Draw events as markers, clusters, density, or choose automatically.
    SetLayerMode(LayerMode),
    /// Show or hide a dataset (index into the opened datasets).
    ShowDataset(usize, bool),
    /// Read event times of this file from this property, and load it again.
    SetTimeProperty(PathBuf, String),
    /// In CSV files with this header (signature), read this role from this column (or from
    /// none); then load the file again.
    SetCsvColumn {
        /// The file to load again.
        path: PathBuf,
        /// The header signature the choice is remembered for.
        signature: String,
        /// The role key (see [`import::CsvRole::key`]).
        role: String,
        /// The column name, or `None` for "not in this file".
        column: Option<String>,
    },
}

/// A file that could not be read, or records that were rejected, for the load report window.
#[derive(Clone, Debug)]
pub struct LoadProblem {
    /// File name.
    pub file: String,
    /// Whole-file error, if the file could not be read.
    pub error: Option<String>,
    /// Records read.
    pub records: usize,
    /// Rejected records.
    pub rejected: Vec<Rejection>,
    /// The file on disk (None for the bundled sample).
    pub path: Option<PathBuf>,
    /// Where event times came from, and the alternatives (GeoJSON).
    pub time_choice: Option<import::TimeChoice>,
    /// Which CSV column plays which role (generic CSV, also when none was recognised).
    pub csv_columns: Option<import::CsvColumns>,
}

impl LoadProblem {
    /// Whether the file can only be read once the user chooses something (CSV columns).
    pub fn needs_choice(&self) -> bool {
        self.error.is_some() && self.csv_columns.is_some()
    }

    /// The report's summary of a loaded file.
    fn of(r: &LoadReport, path: Option<PathBuf>) -> Self {
        Self {
            file: r.file.clone(),
            error: None,
            records: r.records,
            rejected: r.rejected.clone(),
            path,
            time_choice: r.time_choice.clone(),
            csv_columns: r.csv_columns.clone(),
        }
    }

    /// A file that could not be read at all.
    fn failed(file: String, error: &import::ImportError, path: Option<PathBuf>) -> Self {
        let csv_columns = match error {
            import::ImportError::NeedsColumns { columns, .. } => Some((**columns).clone()),
            _ => None,
        };
        Self {
            file,
            error: Some(error.to_string()),
            records: 0,
            rejected: Vec::new(),
            path,
            time_choice: None,
            csv_columns,
        }
    }
}

/// A file loading on a background thread.
pub struct Loading {
    /// The file.
    pub path: PathBuf,
    /// How far it is, and the cancel flag.
    pub progress: Arc<Progress>,
    rx: std::sync::mpsc::Receiver<Result<Loaded, import::ImportError>>,
}

/// A file loaded on a background thread, with the store that includes it already built there
/// (sorting and indexing a million events would otherwise stall a frame).
struct Loaded {
    problem: LoadProblem,
    /// The new store, built from the datasets of store generation `base`.
    store: EventStore,
    base: u64,
}

/// A store being rebuilt on a thread for a new choice of shown datasets.
struct Reshow {
    /// The datasets it is built from, and which of them are shown.
    datasets: Vec<Arc<DatasetData>>,
    shown: Vec<bool>,
    /// Store generation it replaces.
    base: u64,
    rx: std::sync::mpsc::Receiver<EventStore>,
}

/// Stores with more rows than this are rebuilt on a thread when datasets are shown or hidden
/// (a million rows take ~0.1 s); smaller ones at once.
const RESHOW_ON_THREAD_FROM: usize = 50_000;

/// The application.
pub struct StrikemapApp {
    state: AppState,
    /// The loaded events, shared with background layer computations.
    store: Arc<EventStore>,
    problems: Vec<LoadProblem>,
    tiles: TileLayer,
    /// The built-in offline basemap (None if its data could not be decoded).
    basemap: Option<Basemap>,
    timeline: Timeline,
    selected: Option<usize>,
    /// Events drawn at the selected event's spot (from the last frame's map pass).
    at_selected_spot: Vec<usize>,
    /// Country-level badges of the last frame: where, and their reports.
    badges: Vec<(egui::Rect, Vec<usize>)>,
    /// Event markers of the last frame: which event, where.
    drawn: Vec<(usize, egui::Pos2)>,
    /// Cached window query: key `(from, to)` and its result.
    visible_key: (Seconds, Seconds),
    window: Window,
    summary: WindowSummary,
    /// Bumped whenever the store is replaced.
    generation: u64,
    /// The map layer of the last view.
    layer_cache: LayerCache,
    /// A view was given on the command line: the first file loaded in the background keeps it.
    keep_view: bool,
    /// Whether File → Open shows the system dialog.
    native_dialogs: bool,
    /// The open-file dialog (the system's, or the built-in one).
    dialog: ui::file_dialog::OpenDialog,
    /// File dialogs asked for (for tests, where no dialog is shown).
    dialogs_requested: usize,
    /// A passing message for the status bar, and until when to show it.
    notice: Option<(String, std::time::Instant)>,
    /// Where the map was drawn last frame.
    map_rect: egui::Rect,
    show_load_report: bool,
    commands: Vec<Command>,
    /// Files loading in the background.
    loading: Vec<Loading>,
    /// The store being rebuilt for a new choice of shown datasets.
    reshow: Option<Reshow>,
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
        ui::style::apply(&cc.egui_ctx);
        Self::with_state(state, config, &cc.egui_ctx)
    }

    /// Build the app without an eframe context (tests, benchmarks).
    pub fn with_state(mut state: AppState, config: AppConfig, ctx: &egui::Context) -> Self {
        let choice = if config.tiles {
            config
                .tile_source
                .clone()
                .unwrap_or_else(|| state.tile_source.clone())
        } else {
            TileSourceChoice::BuiltIn
        };
        let tiles = TileLayer::new(choice, ctx.clone(), config.tile_cache.clone(), config.retry);
        // Every file loads in the background (the window is up first, with a progress bar):
        // a huge one-line file or a slow disk never keeps the window from appearing. Only the
        // bundled sample, a few kilobytes, is read at once.
        let files = config.files.clone();
        let (reports, problems) = if files.is_empty() {
            load_all(&[], &state)
        } else {
            (Vec::new(), Vec::new())
        };
        let datasets = reports
            .into_iter()
            .map(|r| Arc::new(r.into_dataset()))
            .collect();
        let store = EventStore::new(datasets);
        let span = store.span().unwrap_or((0, crate::model::DAY));
        let mut timeline = Timeline::new(span, state.window, state.speed);
        timeline.looping = state.looping;
        // Restore the saved view only for the same files (the bundled data counts as "no
        // files"); anything else starts fitted to the data.
        let same_files = state.view_saved && state.files == config.files;
        let fit_pending = !same_files;
        for f in &config.files {
            state.recent.retain(|r| r != f);
            state.recent.insert(0, f.clone());
        }
        state.recent.truncate(10);
        state.files = config.files;
        let mut commands = Vec::new();
        // A view from the command line, or the saved view of the same files, survives the
        // background loads of large files.
        let keep_view = (config.view.is_some() || same_files) && !files.is_empty();
        if !files.is_empty() {
            commands.push(Command::OpenFiles(files));
        }
        if let Some((lat, lon, zoom)) = config.view {
            commands.push(Command::SetView(lat, lon, zoom));
        }
        // The report opens by itself only for a file that needs the user's choice; rejected
        // records and unreadable files are announced by the top bar's warning button.
        let show_load_report = problems.iter().any(LoadProblem::needs_choice);
        let prepared = std::time::Instant::now();
        let basemap = Basemap::embedded();
        log::info!(
            "basemap decoded and triangulated in {:.0} ms ({:.0} ms after start)",
            prepared.elapsed().as_secs_f64() * 1000.0,
            crate::process_start().elapsed().as_secs_f64() * 1000.0
        );
        let basemap = match basemap {
            Ok(b) => Some(b),
            Err(e) => {
                log::error!("{e}");
                None
            }
        };
        Self {
            state,
            store: Arc::new(store),
            problems,
            tiles,
            basemap,
            timeline,
            selected: None,
            at_selected_spot: Vec::new(),
            badges: Vec::new(),
            drawn: Vec::new(),
            visible_key: (Seconds::MIN, Seconds::MIN),
            window: Window::default(),
            summary: WindowSummary::default(),
            generation: 0,
            layer_cache: LayerCache::fitting(fit_pending, config.sync_layers),
            keep_view,
            native_dialogs: config.native_dialogs,
            dialog: ui::file_dialog::OpenDialog::default(),
            dialogs_requested: 0,
            notice: None,
            map_rect: egui::Rect::NOTHING,
            show_load_report,
            commands,
            loading: Vec::new(),
            reshow: None,
            frames: 0,
        }
    }

    /// The loaded events.
    pub fn store(&self) -> &EventStore {
        &self.store
    }

    /// The timeline (cursor, window, playback).
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// Selected event index.
    pub fn selected(&self) -> Option<usize> {
        self.selected
    }

    /// Positions of the events in the current window (built on demand: tests, small data).
    pub fn visible(&self) -> Vec<usize> {
        self.store.window_ids(&self.window)
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
        self.summary
    }

    /// What the tile layer is doing.
    pub fn tile_status(&self) -> TileStatus {
        self.tiles.status()
    }

    /// The map view.
    pub fn map_memory(&self) -> &MapMemory {
        &self.state.map_memory
    }

    /// The country-level badges of the last frame: where each is, and its reports.
    pub fn badges(&self) -> &[(egui::Rect, Vec<usize>)] {
        &self.badges
    }

    /// The event markers of the last frame: which event, and where its centre is.
    pub fn drawn(&self) -> &[(usize, egui::Pos2)] {
        &self.drawn
    }

    /// Where the map was drawn in the last frame (screen points).
    pub fn map_rect(&self) -> egui::Rect {
        self.map_rect
    }

    /// Files that failed or had rejected records.
    pub fn problems(&self) -> &[LoadProblem] {
        &self.problems
    }

    /// Queue a command (as the UI would), applied on the next frame.
    pub fn push_command(&mut self, c: Command) {
        self.commands.push(c);
    }

    /// Files still loading.
    pub fn loading(&self) -> impl Iterator<Item = &std::path::Path> {
        self.loading.iter().map(|l| l.path.as_path())
    }

    /// Replace the store (new data, or datasets shown/hidden) and reset what depends on it.
    fn set_store(&mut self, store: EventStore, refit: bool) {
        self.store = Arc::new(store);
        self.generation += 1;
        if let Some(r) = &mut self.reshow {
            // A file landed while a rebuild runs: the menu and further clicks work on the new
            // datasets, and the rebuild's result is matched to them when it arrives.
            let all = self.store.all_datasets().to_vec();
            r.shown = carry_choice(&r.datasets, &r.shown, &all, self.store.shown());
            r.datasets = all;
        }
        let span = self.store.span().unwrap_or((0, crate::model::DAY));
        let (len, speed, looping) = (
            self.timeline.len,
            self.timeline.speed,
            self.timeline.looping,
        );
        if refit {
            self.timeline = Timeline::new(span, len, speed);
            self.timeline.looping = looping;
            // A view asked for on the command line outlives the files it was given with.
            self.layer_cache.fit_pending = !self.keep_view;
        }
        self.selected = None;
        self.visible_key = (Seconds::MIN, Seconds::MIN);
    }

    /// How many times File → Open was asked for.
    pub fn dialogs_requested(&self) -> usize {
        self.dialogs_requested
    }

    /// Whether an open-file dialog is showing.
    pub fn dialog_open(&self) -> bool {
        self.dialog.is_open()
    }

    /// Files chosen in the file dialog are opened like dropped ones.
    fn dialog_ui(&mut self, ctx: &egui::Context) {
        use ui::file_dialog::DialogOutcome;
        match self.dialog.show_ui(ctx) {
            DialogOutcome::Pending => {}
            DialogOutcome::Chosen(files) => self.apply(ctx, Command::OpenFiles(files)),
            DialogOutcome::Cancelled => self.say("No file chosen".to_owned()),
            DialogOutcome::FellBack => self.say(
                "The system's file dialog is not available (it needs xdg-desktop-portal or \
                 zenity): using the built-in one"
                    .to_owned(),
            ),
        }
    }

    /// Which datasets the user wants shown: the store's, or those of a rebuild under way.
    fn shown_wanted(&self) -> Vec<bool> {
        match &self.reshow {
            Some(r) => r.shown.clone(),
            None => self.store.shown().to_vec(),
        }
    }

    /// The loaded datasets without the bundled sample (which a file replaces), each with
    /// whether the user wants it shown (a rebuild under way counts).
    fn datasets_without_bundled(&self) -> Vec<(Arc<DatasetData>, bool)> {
        self.store
            .all_datasets()
            .iter()
            .cloned()
            .zip(self.shown_wanted())
            .filter(|(d, _)| d.meta.name != import::BUNDLED_NAME)
            .collect()
    }

    /// Whether the store is being rebuilt for a new choice of shown datasets.
    pub fn reshowing(&self) -> bool {
        self.reshow.is_some()
    }

    /// Rebuild the store over `datasets` with `shown` ones: at once when small, else on a
    /// thread (the window keeps drawing; a newer choice replaces a rebuild under way).
    fn reshow_store(
        &mut self,
        ctx: &egui::Context,
        datasets: Vec<Arc<DatasetData>>,
        shown: Vec<bool>,
    ) {
        let rows: usize = datasets.iter().map(|d| d.rows.len()).sum();
        if rows < RESHOW_ON_THREAD_FROM {
            self.reshow = None;
            let store = EventStore::with_shown(datasets, shown);
            self.set_store(store, false);
            return;
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let (all, flags, repaint) = (datasets.clone(), shown.clone(), ctx.clone());
        std::thread::spawn(move || {
            let _ = tx.send(EventStore::with_shown(all, flags));
            repaint.request_repaint();
        });
        self.reshow = Some(Reshow {
            datasets,
            shown,
            base: self.generation,
            rx,
        });
    }

    /// Take in a rebuilt store. If a file landed meanwhile, the store is rebuilt again for the
    /// choice as matched to the new datasets (datasets the choice did not know keep their
    /// state).
    fn poll_reshow(&mut self, ctx: &egui::Context) {
        let Some(r) = &self.reshow else {
            return;
        };
        let store = match r.rx.try_recv() {
            Ok(store) => store,
            Err(std::sync::mpsc::TryRecvError::Empty) => return,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.reshow = None;
                return;
            }
        };
        let Some(r) = self.reshow.take() else {
            return;
        };
        if r.base == self.generation {
            self.set_store(store, false);
            return;
        }
        // A file landed meanwhile: `set_store` already matched the choice to its datasets.
        if r.shown != self.store.shown() {
            self.reshow_store(ctx, r.datasets, r.shown);
        }
    }

    /// Take in files that finished loading: add them as datasets (replacing the bundled
    /// sample), record problems, refit the view. A file whose store was built before another
    /// file landed is merged into the current data: small stores at once, larger ones on a
    /// thread, the file staying in the loading list until its store arrives.
    fn poll_loading(&mut self, ctx: &egui::Context) {
        let mut done = Vec::new();
        self.loading.retain(|l| match l.rx.try_recv() {
            Ok(r) => {
                done.push((l.path.clone(), l.progress.clone(), r));
                false
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => true,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                // The loading thread ended without a result (it panicked): say so rather
                // than drop the file without a word.
                let file = l.path.display().to_string();
                let message = "loading stopped unexpectedly (an internal error); \
                               try opening the file again"
                    .to_owned();
                let e = import::ImportError::Unsupported { file, message };
                done.push((l.path.clone(), l.progress.clone(), Err(e)));
                false
            }
        });
        for (path, progress, result) in done {
            let name = path.display().to_string();
            match result {
                Ok(loaded) => {
                    let store = if loaded.base == self.generation {
                        loaded.store
                    } else {
                        // Another file landed meanwhile: add this one to the current data.
                        let (all, shown) = self.merged_with(&loaded.store);
                        let rows: usize = all.iter().map(|d| d.rows.len()).sum();
                        if rows >= RESHOW_ON_THREAD_FROM {
                            let (tx, rx) = std::sync::mpsc::channel();
                            let (base, problem, repaint) =
                                (self.generation, loaded.problem, ctx.clone());
                            std::thread::spawn(move || {
                                let store = EventStore::with_shown(all, shown);
                                let _ = tx.send(Ok(Loaded {
                                    problem,
                                    store,
                                    base,
                                }));
                                repaint.request_repaint();
                            });
                            self.loading.push(Loading { path, progress, rx });
                            continue;
                        }
                        EventStore::with_shown(all, shown)
                    };
                    self.problems.retain(|p| {
                        p.file != import::BUNDLED_NAME && p.file != loaded.problem.file
                    });
                    self.problems.push(loaded.problem);
                    self.set_store(store, true);
                    self.state.files.retain(|f| f != &path);
                    self.state.files.push(path.clone());
                    self.state.recent.retain(|f| f != &path);
                    self.state.recent.insert(0, path);
                    self.state.recent.truncate(10);
                }
                Err(import::ImportError::Cancelled { .. }) => {}
                Err(e) => {
                    self.problems.retain(|p| p.file != name);
                    let problem = LoadProblem::failed(name, &e, Some(path.clone()));
                    if problem.needs_choice() {
                        self.show_load_report = true;
                    } else {
                        self.say(format!(
                            "Could not read {}: see the load report",
                            ui::file_name(&path.display().to_string())
                        ));
                    }
                    self.problems.push(problem);
                }
            }
        }
    }

    /// The current datasets (without the bundled sample) with the newest dataset of `landed`
    /// added, replacing one of the same name, and which of them are shown.
    fn merged_with(&self, landed: &EventStore) -> (Vec<Arc<DatasetData>>, Vec<bool>) {
        let new = landed.all_datasets().last();
        let new_name = new.map(|d| d.meta.name.clone());
        let (mut all, mut shown): (Vec<_>, Vec<_>) = self
            .datasets_without_bundled()
            .into_iter()
            .filter(|(d, _)| Some(&d.meta.name) != new_name.as_ref())
            .unzip();
        if let Some(new) = new {
            all.push(new.clone());
            shown.push(true);
        }
        (all, shown)
    }

    /// The folder of the most recently opened file (where the built-in dialog starts).
    fn recent_dir(&self) -> Option<PathBuf> {
        self.state
            .recent
            .first()
            .and_then(|p| p.parent())
            .map(std::path::Path::to_path_buf)
    }

    /// Stop loading `path` (the reader stops at its next batch; its result is never used).
    /// What is shown stays; `by_user` says so in the status bar, and when nothing at all is
    /// shown (a large file given on the command line), the bundled sample comes back rather
    /// than an empty map.
    fn cancel_load(&mut self, path: &std::path::Path, by_user: bool) {
        let before = self.loading.len();
        self.loading.retain(|l| {
            if l.path == path {
                l.progress
                    .cancel
                    .store(true, std::sync::atomic::Ordering::Relaxed);
            }
            l.path != path
        });
        if !by_user || self.loading.len() == before {
            return;
        }
        let name = ui::file_name(&path.display().to_string());
        // Only when nothing at all is open (hidden datasets are kept, and so is a rebuild).
        if self.store.all_datasets().is_empty() && self.loading.is_empty() && self.reshow.is_none()
        {
            let (reports, problems) = load_all(&[], &self.state);
            let datasets = reports
                .into_iter()
                .map(|r| Arc::new(r.into_dataset()))
                .collect();
            self.problems.extend(problems);
            self.keep_view = false;
            self.set_store(EventStore::new(datasets), true);
            self.say(format!(
                "Loading {name} cancelled · showing the bundled sample"
            ));
        } else {
            self.say(format!("Loading {name} cancelled"));
        }
    }

    /// A passing message in the status bar (12 s).
    fn say(&mut self, text: String) {
        self.notice = Some((
            text,
            std::time::Instant::now() + std::time::Duration::from_secs(12),
        ));
    }

    /// Nothing is loading any more: later loads fit the view again.
    fn loads_settled(&mut self) {
        if self.loading.is_empty() {
            self.keep_view = false;
        }
    }

    /// Recompute the window query if the window moved.
    fn refresh_window(&mut self) {
        let key = self.timeline.window();
        if key != self.visible_key {
            self.window = self.store.window(key.0, key.1);
            self.summary = self.store.summary(key.0, key.1);
            self.visible_key = key;
        }
    }

    /// Apply one command. The only place where UI intent changes app state.
    pub fn apply(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::Select(i) => self.selected = i.filter(|i| *i < self.store.len()),
            Command::ClickedEvents(hits) => {
                let next = match self
                    .selected
                    .and_then(|s| hits.iter().position(|h| *h == s))
                {
                    Some(pos) => hits.get((pos + 1) % hits.len()).copied(),
                    None => hits.first().copied(),
                };
                self.selected = next;
            }
            Command::SetCursor(t) => self.timeline.set_cursor(t),
            Command::SetWindow(w) => {
                self.timeline.len = w;
                self.timeline.set_cursor(self.timeline.cursor);
                self.state.window = w;
            }
            Command::TogglePlay => self.timeline.toggle_play(),
            Command::SetSpeed(s) => {
                self.timeline.speed = s;
                self.state.speed = s;
            }
            Command::SetLoop(on) => {
                self.timeline.looping = on;
                self.state.looping = on;
            }
            Command::StepWindow(d) => self.timeline.step(d),
            Command::JumpEvent(d) => {
                if d > 0 {
                    self.timeline.next_event(&self.store);
                } else {
                    self.timeline.prev_event(&self.store);
                }
            }
            Command::Zoom(d) => {
                let m = &mut self.state.map_memory;
                let _ = if d > 0 { m.zoom_in() } else { m.zoom_out() };
            }
            Command::FitAll => self.layer_cache.fit_pending = true,
            Command::ZoomTo(i) => {
                if i < self.store.len() {
                    let (x, y) = self.store.pos(i);
                    let (lat, lon) = crate::model::unmercator(f64::from(x), f64::from(y));
                    let m = &mut self.state.map_memory;
                    m.center_at(walkers::lat_lon(lat, lon));
                    let z = map::zoom_for_precision(self.store.precision(i));
                    let _ = m.set_zoom(z.max(m.zoom()));
                }
            }
            Command::Copy(text) => ctx.copy_text(text),
            Command::OpenUrl(url) => {
                if let Some(url) = web_link(&url) {
                    ctx.open_url(egui::OpenUrl::new_tab(url));
                }
            }
            Command::ShowLoadReport(b) => self.show_load_report = b,
            Command::UkrainianNames(b) => self.state.ukrainian_names = b,
            Command::OpenFiles(paths) => {
                for path in paths {
                    if self.loading.iter().any(|l| l.path == path) {
                        continue;
                    }
                    let (tx, rx) = std::sync::mpsc::channel();
                    let p = path.clone();
                    let repaint = ctx.clone();
                    let progress = Arc::new(Progress::default());
                    let prog = progress.clone();
                    let base = self.generation;
                    let (datasets, shown): (Vec<_>, Vec<_>) =
                        self.datasets_without_bundled().into_iter().unzip();
                    let opts = load_options(&self.state, &path);
                    std::thread::spawn(move || {
                        let result = import::load_path_opts(&p, &prog, &opts).and_then(|r| {
                            let problem = LoadProblem::of(&r, Some(p.clone()));
                            if prog.cancelled() {
                                return Err(import::ImportError::Cancelled { file: r.file });
                            }
                            // Opening a file again replaces its dataset; hidden ones stay hidden.
                            let (mut all, mut shown): (Vec<_>, Vec<_>) = datasets
                                .into_iter()
                                .zip(shown)
                                .filter(|(d, _)| d.meta.name != r.file)
                                .unzip();
                            all.push(Arc::new(r.into_dataset()));
                            shown.push(true);
                            let store = EventStore::with_shown(all, shown);
                            Ok(Loaded {
                                problem,
                                store,
                                base,
                            })
                        });
                        let _ = tx.send(result);
                        repaint.request_repaint();
                    });
                    self.loading.push(Loading { path, progress, rx });
                }
            }
            Command::CancelLoad(path) => self.cancel_load(&path, true),
            Command::SetLayerMode(m) => self.state.layer_mode = m,
            Command::SetCsvColumn {
                path,
                signature,
                role,
                column,
            } => {
                let chosen = self.state.csv_columns.entry(signature).or_default();
                // "None" is remembered as an empty name, so detection does not put it back.
                chosen.insert(role, column.unwrap_or_default());
                // A load of this file still running would not see the new choice.
                self.cancel_load(&path, false);
                self.apply(ctx, Command::OpenFiles(vec![path]));
            }
            Command::SetTimeProperty(path, key) => {
                self.state
                    .time_properties
                    .insert(path.display().to_string(), key);
                self.cancel_load(&path, false);
                self.apply(ctx, Command::OpenFiles(vec![path]));
            }
            Command::OpenDialog => {
                self.dialogs_requested += 1;
                let start_in = self.recent_dir();
                self.dialog.open(ctx, self.native_dialogs, start_in);
            }
            Command::OpenBuiltInDialog => {
                self.dialogs_requested += 1;
                let start_in = self.recent_dir();
                self.dialog.open_builtin(start_in);
            }
            Command::ShowDataset(d, on) => {
                let mut shown = self.shown_wanted();
                if let Some(s) = shown.get_mut(d) {
                    *s = on;
                    self.reshow_store(ctx, self.store.all_datasets().to_vec(), shown);
                }
            }
            Command::SetView(lat, lon, zoom) => {
                let m = &mut self.state.map_memory;
                m.center_at(walkers::lat_lon(lat, lon));
                let _ = m.set_zoom(zoom.clamp(1.0, 19.0));
                self.layer_cache.fit_pending = false;
            }
            Command::SetTileSource(c) => {
                self.tiles.set_choice(c.clone());
                self.state.tile_source = c;
            }
        }
    }

    fn handle_keys(&mut self, ctx: &egui::Context) {
        // Ctrl+O works wherever the focus is.
        let open = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::O);
        if ctx.input_mut(|i| i.consume_shortcut(&open)) {
            self.commands.push(Command::OpenDialog);
        }
        // A focused widget (a text field, or a button reached with Tab, which Space would
        // press) keeps the keys; so does the file dialog.
        if ctx.egui_wants_keyboard_input() || self.dialog.is_open() {
            return;
        }
        ctx.input(|i| {
            if i.key_pressed(egui::Key::Space) {
                self.commands.push(Command::TogglePlay);
            }
            for (key, dir) in [(egui::Key::ArrowLeft, -1), (egui::Key::ArrowRight, 1)] {
                if i.key_pressed(key) {
                    self.commands.push(if i.modifiers.shift {
                        Command::JumpEvent(dir)
                    } else {
                        Command::StepWindow(dir)
                    });
                }
            }
            if i.key_pressed(egui::Key::Escape) {
                self.commands.push(Command::Select(None));
            }
        });
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
        if std::env::var_os("STRIKEMAP_EXIT_AFTER_FIRST_FRAME").is_some() {
            println!("first_frame_ms {ms:.1}");
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// One frame of UI. Public so tests and benchmarks can drive it without eframe.
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.note_start_up(&ctx);
        // Playback follows the clock (egui's input time: wall time in the app, the simulated
        // time in tests), not the frame count, so slow frames do not slow it down.
        let now = ctx.input(|i| i.time);
        if self.timeline.tick(now) {
            ctx.request_repaint();
        }
        self.handle_keys(&ctx);
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            self.commands.push(Command::OpenFiles(dropped));
        }
        // Commands queued from outside (tests) and keys are applied before layout.
        for c in std::mem::take(&mut self.commands) {
            self.apply(&ctx, c);
        }
        self.dialog_ui(&ctx);
        self.poll_loading(&ctx);
        self.poll_reshow(&ctx);
        self.loads_settled();
        self.refresh_window();

        let mut out: Vec<Command> = Vec::new();
        let shown = self.shown_wanted();
        let top = ui::TopBar {
            store: &self.store,
            problems: &self.problems,
            ukrainian_names: self.state.ukrainian_names,
            tile_source: self.tiles.choice(),
            recent: &self.state.recent,
            layer_mode: self.state.layer_mode,
            layer: (self.layer_cache.layer.as_ref(), self.layer_cache.in_view),
            shown: &shown,
            reshowing: self.reshow.is_some(),
        };
        let mut edit = ui::SourceEdit {
            template: &mut self.state.custom_template,
            path: &mut self.state.pmtiles_path,
        };
        ui::top_bar_ui(ui, &top, &mut edit, &mut out);
        let loading: Vec<(PathBuf, Option<f32>)> = self
            .loading
            .iter()
            .map(|l| (l.path.clone(), l.progress.fraction()))
            .collect();
        match &self.notice {
            Some((_, until)) if *until < std::time::Instant::now() => self.notice = None,
            // Repaint when it is due to go, even if nothing else happens meanwhile.
            Some((_, until)) => ctx
                .request_repaint_after(until.saturating_duration_since(std::time::Instant::now())),
            None => {}
        }
        let status = ui::StatusBar {
            notice: self.notice.as_ref().map(|(n, _)| n.as_str()),
            store: &self.store,
            status: self.tiles.status(),
            error: self.tiles.error(),
            next_retry: self.tiles.next_retry(),
            loading: &loading,
        };
        ui::status_bar_ui(ui, &status, &mut out);
        ui::timeline::timeline_ui(ui, &self.store, &self.timeline, self.summary, &mut out);
        if self.show_load_report {
            // Docked at the right edge, beside the details: it covers no control of the map.
            ui::load_report_ui(ui, &self.problems, &mut out);
        }
        ui::detail::detail_panel_ui(
            ui,
            &self.store,
            self.basemap.as_ref(),
            self.state.ukrainian_names,
            self.selected,
            &self.at_selected_spot,
            &mut out,
        );

        let mut map_out = MapOutput::default();
        let mut frame_tiles = self.tiles.for_frame();
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE.fill(ui::style::map_background(ui.visuals())))
            .show(ui, |ui| {
                let view = map::MapView {
                    shared: &self.store,
                    store: &self.store,
                    generation: self.generation,
                    window: &self.window,
                    mode: self.state.layer_mode,
                    selected: self.selected,
                    basemap: self.basemap.as_ref(),
                    ukrainian: self.state.ukrainian_names,
                };
                map::map_ui(
                    ui,
                    &view,
                    &mut self.state.map_memory,
                    frame_tiles.as_mut().map(|t| t as &mut dyn walkers::Tiles),
                    &mut self.layer_cache,
                    &mut map_out,
                    &mut out,
                );
            });
        self.tiles.end_frame(std::time::Instant::now());
        self.at_selected_spot = map_out.at_selected_spot;
        self.badges = map_out.badges;
        self.drawn = map_out.drawn;
        self.map_rect = map_out.rect.unwrap_or(egui::Rect::NOTHING);

        ui::drop_hint_ui(ui);

        for c in out {
            self.apply(&ctx, c);
        }
        if self.timeline.playing {
            ctx.request_repaint();
        }
        if !self.loading.is_empty() {
            // Keep the spinner turning and poll for the result.
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }
}

impl eframe::App for StrikemapApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.state.view_saved = true;
        eframe::set_value(storage, eframe::APP_KEY, &self.state);
    }
}

/// Shown flags for datasets `all` (shown now: `now`) from a choice of `shown` ones made over
/// `datasets`, matched by identity; datasets the choice did not know keep their state.
fn carry_choice(
    datasets: &[Arc<DatasetData>],
    shown: &[bool],
    all: &[Arc<DatasetData>],
    now: &[bool],
) -> Vec<bool> {
    all.iter()
        .zip(now)
        .map(|(d, now)| {
            datasets
                .iter()
                .position(|old| Arc::ptr_eq(old, d))
                .and_then(|k| shown.get(k).copied())
                .unwrap_or(*now)
        })
        .collect()
}

/// Links longer than this are shown as text, never opened.
const MAX_LINK_CHARS: usize = 4096;

/// The link as the browser should get it: only a well-formed http(s) URL with a host is ever
/// handed to the system browser, and then in the URL parser's serialised form (the browser
/// launcher reads anything it cannot parse as a local path: `http://x y/../../etc/passwd`
/// became `file:///etc/passwd`). `None`: show it as text.
pub fn web_link(url: &str) -> Option<String> {
    let url = url.trim();
    if url.len() > MAX_LINK_CHARS || url.chars().any(char::is_control) {
        return None;
    }
    let parsed = url::Url::parse(url).ok()?;
    let web = matches!(parsed.scheme(), "http" | "https");
    let host = parsed.host_str().is_some_and(|h| !h.is_empty());
    (web && host && parsed.username().is_empty() && parsed.password().is_none())
        .then(|| parsed.as_str().to_owned())
}

/// Whether [`web_link`] would open this link.
pub fn is_web_link(url: &str) -> bool {
    web_link(url).is_some()
}

/// Load the given files (or the bundled dataset), collecting problems instead of failing.
fn load_all(files: &[PathBuf], state: &AppState) -> (Vec<LoadReport>, Vec<LoadProblem>) {
    type Loaded = (
        String,
        Option<PathBuf>,
        Result<LoadReport, import::ImportError>,
    );
    let results: Vec<Loaded> = if files.is_empty() {
        vec![(
            import::BUNDLED_NAME.to_owned(),
            None,
            import::load_bundled(),
        )]
    } else {
        files
            .iter()
            .map(|f| {
                let opts = load_options(state, f);
                let r = import::load_path_opts(f, &Progress::default(), &opts);
                (f.display().to_string(), Some(f.clone()), r)
            })
            .collect()
    };
    let mut reports = Vec::new();
    let mut problems = Vec::new();
    for (name, path, r) in results {
        match r {
            Ok(r) => {
                if !r.rejected.is_empty() {
                    log::warn!("{}: {} records rejected", r.file, r.rejected.len());
                }
                problems.push(LoadProblem::of(&r, path));
                reports.push(r);
            }
            Err(e) => {
                log::error!("{e}");
                problems.push(LoadProblem::failed(name, &e, path));
            }
        }
    }
    (reports, problems)
}

/// The user's choices for reading `path` (remembered per file, and per CSV header).
fn load_options(state: &AppState, path: &std::path::Path) -> import::LoadOptions {
    import::LoadOptions {
        time_property: state
            .time_properties
            .get(&path.display().to_string())
            .cloned(),
        columns: state.csv_columns.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A choice of shown datasets survives a file landing meanwhile: the same datasets keep
    /// the choice, a reopened (new) one keeps its own state.
    #[test]
    fn a_show_choice_carries_over_to_new_datasets() {
        let data = |name: &str| {
            Arc::new(DatasetData::from_events(
                crate::store::Dataset {
                    name: name.into(),
                    records: 0,
                    loaded: 0,
                },
                Vec::new(),
            ))
        };
        let (a, b, c, b2) = (data("a"), data("b"), data("c"), data("b"));
        let chosen = [a.clone(), b, c.clone()];
        // The user hid A (C was hidden already); then B was reopened as B2, at the end.
        let now = [a, c, b2];
        assert_eq!(
            carry_choice(&chosen, &[false, true, false], &now, &[true, false, true]),
            [false, false, true]
        );
    }

    fn saved(state: &AppState) -> String {
        ron::to_string(state).unwrap()
    }

    #[test]
    fn one_bad_field_resets_only_itself() {
        let mut good = AppState {
            custom_template: "https://tiles.example/{z}/{x}/{y}.png".into(),
            ukrainian_names: true,
            recent: vec!["/data/a.csv".into()],
            ..AppState::default()
        };
        good.layer_mode = crate::layers::LayerMode::Density;
        let text = saved(&good).replace("window:Everything", "window:Custom(-5)");
        assert!(text.contains("Custom(-5)"), "{text}");
        let (s, notes) = AppState::from_saved(&text);
        assert_eq!(s.custom_template, good.custom_template);
        assert!(s.ukrainian_names);
        assert_eq!(s.recent, good.recent);
        assert_eq!(s.layer_mode, crate::layers::LayerMode::Density);
        assert_eq!(s.window, WindowLen::default());
        assert!(notes.iter().any(|n| n.contains("window")), "{notes:?}");
    }

    #[test]
    fn broken_numbers_become_sane_values() {
        let good = AppState::default();
        let base = saved(&good);
        for (what, text) in [
            ("speed NaN", base.replace("speed:(7.0)", "speed:(NaN)")),
            ("speed inf", base.replace("speed:(7.0)", "speed:(inf)")),
            ("speed -7", base.replace("speed:(7.0)", "speed:(-7.0)")),
        ] {
            assert_ne!(text, base, "{what}: the test edits the file");
            let (s, _) = AppState::from_saved(&text);
            assert_eq!(s.speed, Speed::default(), "{what}");
        }
        let mut m = AppState::default();
        m.map_memory.center_at(walkers::lat_lon(50.0, 30.0));
        let _ = m.map_memory.set_zoom(8.0);
        m.view_saved = true;
        let base = saved(&m);
        assert!(base.contains("zoom:(8.0)"), "{base}");
        for bad in ["NaN", "inf", "-50.0", "1e308"] {
            let text = base.replace("zoom:(8.0)", &format!("zoom:({bad})"));
            let (s, notes) = AppState::from_saved(&text);
            let z = s.map_memory.zoom();
            assert!(
                z.is_finite() && (1.0..=19.0).contains(&z),
                "zoom {bad} → {z}"
            );
            assert!(!notes.is_empty(), "{bad}");
            assert!(!s.view_saved, "{bad}: the data is fitted instead");
        }
        // A centre off the globe, too.
        let (s, _) = AppState::from_saved(&base.replacen("50.0", "NaN", 1));
        assert!(s.map_memory.detached().is_none_or(|p| p.y().is_finite()));
        let (s, _) = AppState::from_saved("not ron at all (");
        assert_eq!(s.speed, Speed::default());
    }

    #[test]
    fn only_web_links_open() {
        assert!(is_web_link("https://example.org/a"));
        assert!(is_web_link("HTTP://x"));
        assert!(!is_web_link("file:///etc/passwd"));
        assert!(!is_web_link("javascript:alert(1)"));
        // Malformed links that the browser launcher read as local paths.
        for bad in [
            "http://exa mple.org",
            "https://a.example:99999/x",
            "http://[::1/x",
            "http://x y/../../../../../../etc/passwd",
            "file:///etc/passwd",
            "data:text/html,<b>x</b>",
            "javascript:alert(1)",
            "http://",
            "https://user:pw@example.org/",
            "http://example.org/\u{1b}]0;title\u{7}",
        ] {
            assert_eq!(web_link(bad), None, "{bad}");
        }
        let long = format!("https://example.org/{}", "a".repeat(10_000));
        assert_eq!(web_link(&long), None, "10,000-character links are text");
        // The serialised form is what is opened.
        assert_eq!(
            web_link(" HTTPS://Example.org/a b").as_deref(),
            Some("https://example.org/a%20b")
        );
    }

    #[test]
    fn clicking_overlapping_events_cycles() {
        let mut app = StrikemapApp::with_state(
            AppState::default(),
            AppConfig::default(),
            &egui::Context::default(),
        );
        let ctx = egui::Context::default();
        app.apply(&ctx, Command::ClickedEvents(vec![3, 1, 2]));
        assert_eq!(app.selected(), Some(3));
        app.apply(&ctx, Command::ClickedEvents(vec![3, 1, 2]));
        assert_eq!(app.selected(), Some(1));
        app.apply(&ctx, Command::ClickedEvents(vec![3, 1, 2]));
        assert_eq!(app.selected(), Some(2));
        app.apply(&ctx, Command::ClickedEvents(vec![3, 1, 2]));
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
            !app.layer_cache.fit_pending,
            "same (bundled) data: keep the saved view"
        );
        assert_eq!(app.map_memory().zoom(), 9.0);
        let fresh = StrikemapApp::with_state(AppState::default(), AppConfig::default(), &ctx);
        assert!(fresh.layer_cache.fit_pending, "first run fits the data");
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
        assert!(other.layer_cache.fit_pending, "other files: fit them");
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
        while !app.loading.is_empty() {
            assert!(start.elapsed().as_secs() < 60, "the load ended");
            app.poll_loading(&ctx);
            std::thread::sleep(std::time::Duration::from_millis(5));
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
