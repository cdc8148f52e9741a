//! File → Export events…: the shown datasets' events that pass the filter written to a file on a background
//! thread (writing a million events takes a while; the window keeps drawing). Started and
//! polled by [`super::datasets::Datasets`], which owns the store; the writing itself is
//! [`crate::export::export_filtered`], with the app's filter.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::job::{Job, Polled};
use crate::import::Progress;
use crate::present::text::count_text;
use crate::store::{DatasetData, EventStore};

/// Events being written to a file.
pub(super) struct Exporting {
    path: PathBuf,
    /// Events written, or why the file could not be written.
    job: Job<Result<usize, String>>,
}

impl Exporting {
    /// Start writing the events of `store`'s shown datasets to `path` (GeoJSON, or CSV by the
    /// extension), or say why not: nothing is shown, or `path` is an opened file (whose
    /// events may still be read from it).
    pub(super) fn start(
        ctx: &egui::Context,
        store: &EventStore,
        path: PathBuf,
        filter: crate::filter::EventFilter,
    ) -> Result<Self, String> {
        let open = store
            .all_datasets()
            .iter()
            .any(|d| d.meta.id.path().is_some_and(|p| same_file(p, &path)));
        if open {
            return Err(format!(
                "Not exported: {} is an opened file; choose another name",
                path.display()
            ));
        }
        let datasets: Vec<Arc<DatasetData>> = store
            .all_datasets()
            .iter()
            .zip(store.shown())
            .filter(|(_, on)| **on)
            .map(|(d, _)| d.clone())
            .collect();
        if datasets.is_empty() {
            return Err("Nothing to export: no dataset is shown".to_owned());
        }
        let format = crate::export::ExportFormat::for_path(&path);
        let to = path.clone();
        let job = Job::spawn(ctx, move |progress: &Progress| {
            let all: Vec<&DatasetData> = datasets.iter().map(|d| &**d).collect();
            crate::export::export_filtered(&all, &to, format, progress, &filter)
        });
        Ok(Self { path, job })
    }

    /// The file written to.
    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    /// How far the export is, once known.
    pub(super) fn fraction(&self) -> Option<f32> {
        self.job.progress().fraction()
    }

    /// Once finished: how many events were written, or why none were (for the status bar).
    pub(super) fn poll(&self) -> Option<String> {
        Some(match self.job.poll() {
            Polled::Pending => return None,
            Polled::Done(Ok(n)) => format!(
                "Exported {} to {}",
                count_text(n, "event", "events"),
                self.path.display()
            ),
            Polled::Done(Err(e)) => format!("Export failed: {e}"),
            Polled::Lost => format!(
                "Export to {} stopped unexpectedly (an internal error)",
                self.path.display()
            ),
        })
    }
}

/// Whether `a` and `b` name the same file (as written, or once resolved when both exist).
fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || match (a.canonicalize(), b.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
}
