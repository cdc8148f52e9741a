//! The opened datasets: the store built from them, the files loading in the background, the
//! problems they had, and the user's choices for reading them. Applies [`DatasetCommand`]s and
//! tells the app what changed through [`DatasetEvent`]s.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::export::Exporting;
use super::job::{Job, Polled};
use crate::import::{self, LoadReport, Progress, Rejection};
use crate::model::DatasetId;
use crate::present::text::file_name;
use crate::store::{DatasetData, EventStore};

/// What the UI asks of the datasets.
#[derive(Clone, Debug, PartialEq)]
pub enum DatasetCommand {
    /// Open files (dropped on the window, chosen, or from the recent list), loading in the
    /// background.
    Open(Vec<PathBuf>),
    /// Stop waiting for a file that is loading (its result is discarded).
    Cancel(PathBuf),
    /// Show or hide a dataset.
    Show(DatasetId, bool),
    /// Read event times of this file from this property, and load it again.
    SetTimeProperty(PathBuf, String),
    /// In CSV files with this header (signature), read this role from this column (or from
    /// none); then load the file again.
    SetCsvColumn {
        /// The file to load again.
        path: PathBuf,
        /// The header signature the choice is remembered for.
        signature: String,
        /// The role.
        role: import::CsvRole,
        /// The column name, or `None` for "not in this file".
        column: Option<String>,
    },
    /// Read this sheet of this workbook, and load it again.
    SetSheet(PathBuf, String),
    /// Write the shown datasets' events to this file, in the strikemap schema (GeoJSON, or
    /// CSV by the `.csv` extension), on a background thread.
    Export(PathBuf),
    /// Write the shown events that pass this filter to a file (File → Export events… with a
    /// filter on).
    ExportFiltered(PathBuf, crate::filter::EventFilter),
}

/// What changed, for the other domains to follow.
#[derive(Clone, Debug, PartialEq)]
pub enum DatasetEvent {
    /// The store was replaced: with new data (`refit`: the timeline's span and the view
    /// follow), or with other datasets shown.
    Replaced {
        /// New data arrived (not just a change of shown datasets).
        refit: bool,
    },
    /// A cancelled load left nothing open, so the bundled sample is back: a view kept for the
    /// files goes with them.
    SampleRestored,
    /// A passing message for the status bar.
    Say(String),
    /// A file needs the user's choice: open the load report.
    ShowReport,
}

/// A file that could not be read, or records that were rejected, for the load report window.
#[derive(Clone, Debug)]
pub struct LoadProblem {
    /// Which dataset.
    pub id: DatasetId,
    /// File name as shown.
    pub file: String,
    /// Whole-file error, if the file could not be read.
    pub error: Option<String>,
    /// Records read.
    pub records: usize,
    /// Rejected records.
    pub rejected: Vec<Rejection>,
    /// Where event times came from, and the alternatives (GeoJSON).
    pub time_choice: Option<import::TimeChoice>,
    /// Which CSV column plays which role (generic CSV, also when none was recognised).
    pub csv_columns: Option<import::CsvColumns>,
    /// For a workbook: the sheet read, and all its sheets to choose from.
    pub sheet_choice: Option<import::TimeChoice>,
    /// How the file was read: sheet, columns, date order, geocoding, unresolved names.
    pub notes: Vec<String>,
}

impl LoadProblem {
    /// Whether the file can only be read once the user chooses something (CSV columns).
    pub fn needs_choice(&self) -> bool {
        self.error.is_some() && self.csv_columns.is_some()
    }

    /// The file on disk (None for the bundled sample).
    pub fn path(&self) -> Option<&Path> {
        self.id.path()
    }

    /// The report's summary of a loaded file.
    fn of(r: &LoadReport, id: DatasetId) -> Self {
        Self {
            id,
            file: r.file.clone(),
            error: None,
            records: r.records,
            rejected: r.rejected.clone(),
            time_choice: r.time_choice.clone(),
            csv_columns: r.csv_columns.clone(),
            sheet_choice: r.sheet_choice.clone(),
            notes: r.notes.clone(),
        }
    }

    /// A file that could not be read at all.
    fn failed(id: DatasetId, file: String, error: &import::ImportError) -> Self {
        let csv_columns = match error {
            import::ImportError::NeedsColumns { columns, .. } => Some((**columns).clone()),
            _ => None,
        };
        Self {
            id,
            file,
            error: Some(error.to_string()),
            records: 0,
            rejected: Vec::new(),
            time_choice: None,
            csv_columns,
            sheet_choice: None,
            notes: Vec::new(),
        }
    }
}

/// A file loaded on a background thread, with the store that includes it already built there
/// (sorting and indexing a million events would otherwise stall a frame).
struct Loaded {
    problem: LoadProblem,
    /// The new store, built from the datasets of store generation `base`.
    store: EventStore,
    base: u64,
}

impl Loaded {
    /// Build the store over `all` (with `shown` ones) on the calling thread.
    fn build(
        problem: LoadProblem,
        all: Vec<Arc<DatasetData>>,
        shown: Vec<bool>,
        base: u64,
    ) -> Self {
        let store = EventStore::with_shown(all, shown);
        Self {
            problem,
            store,
            base,
        }
    }
}

/// A file loading (or, once loaded, being merged) on a background thread.
struct Loading {
    path: PathBuf,
    job: Job<Result<Loaded, import::ImportError>>,
}

/// A store being rebuilt on a thread for a new choice of shown datasets.
struct Reshow {
    /// The datasets it is built from, and which of them are shown.
    datasets: Vec<Arc<DatasetData>>,
    shown: Vec<bool>,
    /// Store generation it replaces.
    base: u64,
    job: Job<EventStore>,
}

/// Stores with more rows than this are rebuilt on a thread when datasets are shown or hidden
/// (a million rows take ~0.1 s); smaller ones at once.
const RESHOW_ON_THREAD_FROM: usize = 50_000;

/// How many recently opened files are remembered.
const RECENT: usize = 10;

/// The user's choices for reading files, remembered across runs.
#[derive(Clone, Debug, Default)]
pub struct ReadChoices {
    /// Per file (path): the property event times are read from, when the user chose one.
    pub time_properties: BTreeMap<String, String>,
    /// CSV column mappings the user chose, per header.
    pub csv_columns: import::ColumnChoices,
    /// Per workbook (path): the sheet read, when the user chose one.
    pub sheets: BTreeMap<String, String>,
}

/// The datasets and everything about loading them.
pub struct Datasets {
    /// The loaded events, shared with background layer computations.
    store: Arc<EventStore>,
    /// Bumped whenever the store is replaced.
    generation: u64,
    problems: Vec<LoadProblem>,
    loading: Vec<Loading>,
    reshow: Option<Reshow>,
    /// An export under way.
    exporting: Option<Exporting>,
    /// The files open now, in the order they landed.
    files: Vec<PathBuf>,
    /// Files opened recently, newest first.
    recent: Vec<PathBuf>,
    choices: ReadChoices,
    events: Vec<DatasetEvent>,
}

impl Datasets {
    /// The bundled sample when `files` is empty (read at once: a few kilobytes), else nothing
    /// yet: the files are opened by a [`DatasetCommand::Open`] and load in the background.
    pub fn new(files: &[PathBuf], mut recent: Vec<PathBuf>, choices: ReadChoices) -> Self {
        let (datasets, problems) = if files.is_empty() {
            load_bundled()
        } else {
            (Vec::new(), Vec::new())
        };
        for f in files {
            recent.retain(|r| r != f);
            recent.insert(0, f.clone());
        }
        recent.truncate(RECENT);
        Self {
            store: Arc::new(EventStore::new(datasets)),
            generation: 0,
            problems,
            loading: Vec::new(),
            reshow: None,
            exporting: None,
            files: files.to_vec(),
            recent,
            choices,
            events: Vec::new(),
        }
    }

    /// The loaded events.
    pub fn store(&self) -> &Arc<EventStore> {
        &self.store
    }

    /// Bumped whenever the store is replaced (layer caches key on it).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Files that failed or had rejected records.
    pub fn problems(&self) -> &[LoadProblem] {
        &self.problems
    }

    /// The files open now.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// Files opened recently, newest first.
    pub fn recent(&self) -> &[PathBuf] {
        &self.recent
    }

    /// The user's choices for reading files.
    pub fn choices(&self) -> &ReadChoices {
        &self.choices
    }

    /// Files still loading, and how far each is (when known).
    pub fn loading(&self) -> impl Iterator<Item = (&Path, Option<f32>)> {
        self.loading
            .iter()
            .map(|l| (l.path.as_path(), l.job.progress().fraction()))
    }

    /// Whether any file is still loading.
    pub fn is_loading(&self) -> bool {
        !self.loading.is_empty()
    }

    /// The file events are being exported to, and how far the export is (when known).
    pub fn exporting(&self) -> Option<(&Path, Option<f32>)> {
        self.exporting.as_ref().map(|x| (x.path(), x.fraction()))
    }

    /// Whether the store is being rebuilt for a new choice of shown datasets.
    pub fn reshowing(&self) -> bool {
        self.reshow.is_some()
    }

    /// Which datasets the user wants shown: the store's, or those of a rebuild under way.
    pub fn shown_wanted(&self) -> Vec<bool> {
        match &self.reshow {
            Some(r) => r.shown.clone(),
            None => self.store.shown().to_vec(),
        }
    }

    /// What changed since last asked, oldest first.
    pub fn take_events(&mut self) -> Vec<DatasetEvent> {
        std::mem::take(&mut self.events)
    }

    /// Apply one command.
    pub fn apply(&mut self, ctx: &egui::Context, command: DatasetCommand) {
        match command {
            DatasetCommand::Open(paths) => {
                for path in paths {
                    self.open(ctx, path);
                }
            }
            DatasetCommand::Cancel(path) => self.cancel(&path, true),
            DatasetCommand::Show(id, on) => {
                let mut shown = self.shown_wanted();
                let at = self
                    .store
                    .all_datasets()
                    .iter()
                    .position(|d| d.meta.id == id);
                if let Some(s) = at.and_then(|k| shown.get_mut(k)) {
                    *s = on;
                    self.reshow_store(ctx, self.store.all_datasets().to_vec(), shown);
                }
            }
            DatasetCommand::SetCsvColumn {
                path,
                signature,
                role,
                column,
            } => {
                let chosen = self.choices.csv_columns.entry(signature).or_default();
                // "None" is remembered as an empty name, so detection does not put it back.
                chosen.insert(role.key().to_owned(), column.unwrap_or_default());
                self.reload(ctx, path);
            }
            DatasetCommand::SetTimeProperty(path, key) => {
                self.choices
                    .time_properties
                    .insert(path.display().to_string(), key);
                self.reload(ctx, path);
            }
            DatasetCommand::SetSheet(path, sheet) => {
                self.choices
                    .sheets
                    .insert(path.display().to_string(), sheet);
                self.reload(ctx, path);
            }
            DatasetCommand::Export(path) => self.export(ctx, path, Default::default()),
            DatasetCommand::ExportFiltered(path, f) => self.export(ctx, path, f),
        }
    }

    /// Start writing the shown datasets' events to `path` (one export at a time).
    fn export(&mut self, ctx: &egui::Context, path: PathBuf, filter: crate::filter::EventFilter) {
        let said = match &self.exporting {
            Some(x) => Some(format!(
                "Still exporting to {}: try again when it is done",
                x.path().display()
            )),
            None => match Exporting::start(ctx, &self.store, path, filter) {
                Ok(x) => {
                    self.exporting = Some(x);
                    None
                }
                Err(why) => Some(why),
            },
        };
        self.events.extend(said.map(DatasetEvent::Say));
    }

    /// Take in a finished export: say how many events were written, or why none were.
    fn poll_export(&mut self) {
        if let Some(said) = self.exporting.as_ref().and_then(Exporting::poll) {
            self.exporting = None;
            self.events.push(DatasetEvent::Say(said));
        }
    }

    /// Load `path` again with the current choices (a load still running would not see them).
    fn reload(&mut self, ctx: &egui::Context, path: PathBuf) {
        self.cancel(&path, false);
        self.open(ctx, path);
    }

    /// Start loading `path` on a thread, which also builds the store that includes it.
    fn open(&mut self, ctx: &egui::Context, path: PathBuf) {
        if self.loading.iter().any(|l| l.path == path) {
            return;
        }
        let base = self.generation;
        let (datasets, shown): (Vec<_>, Vec<_>) =
            self.datasets_without_bundled().into_iter().unzip();
        let opts = self.load_options(&path);
        let p = path.clone();
        let job = Job::spawn(ctx, move |prog: &Progress| {
            let r = import::load_path_opts(&p, prog, &opts)?;
            let id = DatasetId::File(p.clone());
            let problem = LoadProblem::of(&r, id.clone());
            if prog.cancelled() {
                return Err(import::ImportError::Cancelled { file: r.file });
            }
            // Opening a file again replaces its dataset; hidden ones stay hidden.
            let (mut all, mut shown): (Vec<_>, Vec<_>) = datasets
                .into_iter()
                .zip(shown)
                .filter(|(d, _)| d.meta.id != id)
                .unzip();
            all.push(Arc::new(r.into_dataset(id)));
            shown.push(true);
            Ok(Loaded::build(problem, all, shown, base))
        });
        self.loading.push(Loading { path, job });
    }

    /// The user's choices for reading `path` (remembered per file, and per CSV header).
    fn load_options(&self, path: &Path) -> import::LoadOptions {
        import::LoadOptions {
            time_property: self
                .choices
                .time_properties
                .get(&path.display().to_string())
                .cloned(),
            columns: self.choices.csv_columns.clone(),
            sheet: self
                .choices
                .sheets
                .get(&path.display().to_string())
                .cloned(),
        }
    }

    /// Replace the store (new data, or datasets shown/hidden).
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
        self.events.push(DatasetEvent::Replaced { refit });
    }

    /// The loaded datasets without the bundled sample (which a file replaces), each with
    /// whether the user wants it shown (a rebuild under way counts).
    fn datasets_without_bundled(&self) -> Vec<(Arc<DatasetData>, bool)> {
        self.store
            .all_datasets()
            .iter()
            .cloned()
            .zip(self.shown_wanted())
            .filter(|(d, _)| d.meta.id != DatasetId::Bundled)
            .collect()
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
        let (all, flags) = (datasets.clone(), shown.clone());
        let job = Job::spawn(ctx, move |_| EventStore::with_shown(all, flags));
        self.reshow = Some(Reshow {
            datasets,
            shown,
            base: self.generation,
            job,
        });
    }

    /// Take in finished background work: loads first, then a rebuild.
    pub fn poll(&mut self, ctx: &egui::Context) {
        self.poll_loading(ctx);
        self.poll_reshow(ctx);
        self.poll_export();
    }

    /// Take in a rebuilt store. If a file landed meanwhile, the store is rebuilt again for the
    /// choice as matched to the new datasets (datasets the choice did not know keep their
    /// state).
    fn poll_reshow(&mut self, ctx: &egui::Context) {
        let Some(r) = &self.reshow else {
            return;
        };
        let store = match r.job.poll() {
            Polled::Done(store) => store,
            Polled::Pending => return,
            Polled::Lost => {
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
    /// sample), record problems. A file whose store was built before another file landed is
    /// merged into the current data: small stores at once, larger ones on a thread, the file
    /// staying in the loading list until its store arrives.
    fn poll_loading(&mut self, ctx: &egui::Context) {
        let mut done = Vec::new();
        self.loading.retain(|l| match l.job.poll() {
            Polled::Pending => true,
            Polled::Done(r) => {
                done.push((l.path.clone(), l.job.progress().clone(), r));
                false
            }
            Polled::Lost => {
                // The loading thread ended without a result (it panicked): say so rather
                // than drop the file without a word.
                let file = l.path.display().to_string();
                let message = "loading stopped unexpectedly (an internal error); \
                               try opening the file again"
                    .to_owned();
                let e = import::ImportError::Unsupported { file, message };
                done.push((l.path.clone(), l.job.progress().clone(), Err(e)));
                false
            }
        });
        for (path, progress, result) in done {
            match result {
                Ok(loaded) => self.landed(ctx, path, progress, loaded),
                Err(import::ImportError::Cancelled { .. }) => {}
                Err(e) => self.failed(ctx, path, &e),
            }
        }
    }

    /// A file's store arrived: use it, or merge the file into data that changed meanwhile.
    fn landed(
        &mut self,
        ctx: &egui::Context,
        path: PathBuf,
        progress: Arc<Progress>,
        loaded: Loaded,
    ) {
        let store = if loaded.base == self.generation {
            loaded.store
        } else {
            // Another file landed meanwhile: add this one to the current data.
            let (all, shown) = self.merged_with(&loaded.store);
            let rows: usize = all.iter().map(|d| d.rows.len()).sum();
            if rows >= RESHOW_ON_THREAD_FROM {
                let (base, problem) = (self.generation, loaded.problem);
                let job = Job::spawn_with(ctx, progress, move |_| {
                    Ok(Loaded::build(problem, all, shown, base))
                });
                self.loading.push(Loading { path, job });
                return;
            }
            EventStore::with_shown(all, shown)
        };
        let id = loaded.problem.id.clone();
        self.problems
            .retain(|p| p.id != DatasetId::Bundled && p.id != id);
        self.problems.push(loaded.problem);
        self.set_store(store, true);
        self.files.retain(|f| f != &path);
        self.files.push(path.clone());
        self.remember(path);
    }

    /// A file could not be read: record why, and open the report if the user can fix it there.
    /// A workbook keeps its sheet picker (with the sheet asked for), so another sheet can be
    /// chosen; a sheet remembered from an earlier run that no longer reads, with no sheets
    /// known to offer instead, is forgotten and the file read again with the sheet that looks
    /// most like events.
    fn failed(&mut self, ctx: &egui::Context, path: PathBuf, e: &import::ImportError) {
        let id = DatasetId::File(path.clone());
        let key = path.display().to_string();
        let before = self.problems.iter().find(|p| p.id == id);
        let sheets = before.and_then(|p| p.sheet_choice.clone());
        let asked = self.choices.sheets.get(&key).cloned();
        let unreadable = !matches!(e, import::ImportError::Io { .. });
        if sheets.is_none()
            && unreadable
            && let Some(sheet) = asked.as_ref()
        {
            self.events.push(DatasetEvent::Say(format!(
                "Sheet \"{sheet}\" of {} could not be read: reading the sheet that looks most \
                 like events",
                file_name(&key)
            )));
            self.choices.sheets.remove(&key);
            self.reload(ctx, path);
            return;
        }
        self.problems.retain(|p| p.id != id);
        let mut problem = LoadProblem::failed(id, key, e);
        problem.sheet_choice = sheets.map(|mut c| {
            if asked.is_some() {
                c.used = asked;
            }
            c
        });
        if problem.needs_choice() {
            self.events.push(DatasetEvent::ShowReport);
        } else {
            self.events.push(DatasetEvent::Say(format!(
                "Could not read {}: see the load report",
                file_name(&path.display().to_string())
            )));
        }
        self.problems.push(problem);
    }

    /// Put `path` first among the recent files.
    fn remember(&mut self, path: PathBuf) {
        self.recent.retain(|f| f != &path);
        self.recent.insert(0, path);
        self.recent.truncate(RECENT);
    }

    /// The current datasets (without the bundled sample) with the newest dataset of `landed`
    /// added, replacing one from the same file, and which of them are shown.
    fn merged_with(&self, landed: &EventStore) -> (Vec<Arc<DatasetData>>, Vec<bool>) {
        let new = landed.all_datasets().last();
        let new_id = new.map(|d| d.meta.id.clone());
        let (mut all, mut shown): (Vec<_>, Vec<_>) = self
            .datasets_without_bundled()
            .into_iter()
            .filter(|(d, _)| Some(&d.meta.id) != new_id.as_ref())
            .unzip();
        if let Some(new) = new {
            all.push(new.clone());
            shown.push(true);
        }
        (all, shown)
    }

    /// Stop loading `path` (the reader stops at its next batch; its result is never used).
    /// What is shown stays; `by_user` says so in the status bar, and when nothing at all is
    /// shown (a large file given on the command line), the bundled sample comes back rather
    /// than an empty map.
    fn cancel(&mut self, path: &Path, by_user: bool) {
        let before = self.loading.len();
        self.loading.retain(|l| {
            if l.path == path {
                l.job.cancel();
            }
            l.path != path
        });
        if !by_user || self.loading.len() == before {
            return;
        }
        let name = file_name(&path.display().to_string());
        // Only when nothing at all is open (hidden datasets are kept, and so is a rebuild).
        if self.store.all_datasets().is_empty() && self.loading.is_empty() && self.reshow.is_none()
        {
            let (datasets, problems) = load_bundled();
            self.problems.extend(problems);
            self.events.push(DatasetEvent::SampleRestored);
            self.set_store(EventStore::new(datasets), true);
            self.events.push(DatasetEvent::Say(format!(
                "Loading {name} cancelled · showing the bundled sample"
            )));
        } else {
            self.events
                .push(DatasetEvent::Say(format!("Loading {name} cancelled")));
        }
    }
}

/// The bundled sample as a dataset (or, should it not load, the problem saying why).
fn load_bundled() -> (Vec<Arc<DatasetData>>, Vec<LoadProblem>) {
    let name = import::BUNDLED_NAME.to_owned();
    match import::load_bundled() {
        Ok(r) => {
            if !r.rejected.is_empty() {
                log::warn!("{}: {} records rejected", r.file, r.rejected.len());
            }
            let problem = LoadProblem::of(&r, DatasetId::Bundled);
            (
                vec![Arc::new(r.into_dataset(DatasetId::Bundled))],
                vec![problem],
            )
        }
        Err(e) => {
            log::error!("{e}");
            (
                Vec::new(),
                vec![LoadProblem::failed(DatasetId::Bundled, name, &e)],
            )
        }
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
                    id: DatasetId::File(name.into()),
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
}
