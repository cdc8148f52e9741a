//! The built-in offline basemap as the app holds it. Start-up prepares only what the first
//! frame needs (every level but the finest land and lakes; the basemap's major places); once
//! that frame is painted, a background thread triangulates the fine level and loads the world
//! gazetteer, whose small places then join the labels.

use std::path::Path;
use std::sync::mpsc;

use crate::geo::{Basemap, BasemapData, FineAreas, FineMeshes, WorldGazetteer};

/// What the background thread hands back, in this order.
enum Completion {
    /// The fine level's land and lakes.
    Fine(FineMeshes),
    /// The world gazetteer is loaded (its places are added on the UI thread: a few ms).
    World,
}

/// The basemap and the completion of it.
pub struct BuiltInMap {
    /// The basemap (None if its data could not be decoded).
    basemap: Option<Basemap>,
    /// The fine land and lakes, until the completion thread takes them.
    deferred: Option<FineAreas>,
    /// The completion thread's results; None before it starts and once it is done.
    completion: Option<mpsc::Receiver<Completion>>,
    /// Whether the completion has been started (it runs once).
    started: bool,
    /// Why a basemap file given on the command line was not used.
    problem: Option<String>,
}

/// Read a basemap file.
fn read_file(path: &Path) -> Result<BasemapData, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    BasemapData::from_gz(&bytes).map_err(|e| e.to_string())
}

impl BuiltInMap {
    /// Decode the basemap and prepare its coarse part (timed in the log: it is start-up
    /// cost). `file` replaces the embedded data; if it cannot be used, the embedded data is,
    /// and the reason is kept for the status bar.
    pub fn load(file: Option<&Path>) -> Self {
        let prepared = std::time::Instant::now();
        let mut problem = None;
        let data = match file.map(|f| (f, read_file(f))) {
            Some((_, Ok(d))) => Ok(d),
            Some((f, Err(e))) => {
                let text = format!("basemap {}: {e}; using the built-in one", f.display());
                log::error!("{text}");
                problem = Some(text);
                BasemapData::embedded()
            }
            None => BasemapData::embedded(),
        };
        let (basemap, deferred) = match data.map(Basemap::prepare_coarse) {
            Ok((b, d)) => (Some(b), Some(d)),
            Err(e) => {
                log::error!("{e}");
                (None, None)
            }
        };
        log::info!(
            "basemap decoded and triangulated in {:.0} ms ({:.0} ms after start)",
            prepared.elapsed().as_secs_f64() * 1000.0,
            crate::process_start().elapsed().as_secs_f64() * 1000.0
        );
        Self {
            basemap,
            deferred,
            completion: None,
            started: false,
            problem,
        }
    }

    /// The basemap to draw.
    pub fn get(&self) -> Option<&Basemap> {
        self.basemap.as_ref()
    }

    /// Why the `--basemap` file was not used, if it was not.
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// Start the completion (once; call after the first frame so it does not compete with
    /// it for the two cores). `ctx` is woken as each part is ready.
    pub fn start_completion(&mut self, ctx: &egui::Context) {
        if std::mem::replace(&mut self.started, true) {
            return;
        }
        let deferred = self.deferred.take();
        let (tx, rx) = mpsc::channel();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("basemap completion".to_owned())
            .spawn(move || {
                if let Some(d) = deferred {
                    let _ = tx.send(Completion::Fine(d.triangulate()));
                    ctx.request_repaint();
                }
                // Also warms the geocoders' gazetteer; an error is reported when one uses it.
                let _ = WorldGazetteer::get();
                let _ = tx.send(Completion::World);
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => self.completion = Some(rx),
            Err(e) => log::error!("cannot start preparing the basemap's fine level: {e}"),
        }
    }

    /// Take what the completion thread has finished (once per frame).
    pub fn poll(&mut self) {
        while let Some(rx) = &self.completion {
            match rx.try_recv() {
                Ok(c) => self.apply(c),
                Err(mpsc::TryRecvError::Empty) => return,
                Err(mpsc::TryRecvError::Disconnected) => self.completion = None,
            }
        }
    }

    /// Start the completion if need be and wait for all of it (tests and benchmarks that
    /// picture fine land or small places).
    pub fn wait(&mut self, ctx: &egui::Context) {
        self.start_completion(ctx);
        while let Some(rx) = &self.completion {
            match rx.recv() {
                Ok(c) => self.apply(c),
                Err(_) => self.completion = None,
            }
        }
    }

    fn apply(&mut self, completion: Completion) {
        let Some(basemap) = &mut self.basemap else {
            return;
        };
        let started = std::time::Instant::now();
        match completion {
            Completion::Fine(meshes) => {
                basemap.set_fine(meshes);
                log::info!(
                    "basemap fine level ready {:.0} ms after start",
                    crate::process_start().elapsed().as_secs_f64() * 1000.0
                );
            }
            Completion::World => {
                if let Ok(world) = WorldGazetteer::get() {
                    let added = basemap.add_places(world.places());
                    log::info!(
                        "{added} gazetteer places added to the basemap labels in {:.0} ms \
                         ({:.0} ms after start)",
                        started.elapsed().as_secs_f64() * 1000.0,
                        crate::process_start().elapsed().as_secs_f64() * 1000.0
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `--basemap` file that is not basemap data is reported, and the built-in map drawn;
    /// the completion then adds the fine level and the gazetteer's places.
    #[test]
    fn a_bad_basemap_file_falls_back_to_the_built_in_one() {
        let path = std::env::temp_dir().join("strikemap-not-a-basemap.bin.gz");
        std::fs::write(&path, b"not gzip").unwrap();
        let mut map = BuiltInMap::load(Some(&path));
        let problem = map.problem().unwrap().to_owned();
        assert!(problem.contains("strikemap-not-a-basemap") && problem.contains("built-in"));
        let before = map.get().unwrap().places.len();
        map.wait(&egui::Context::default());
        let after = map.get().unwrap().places.len();
        assert!(after > before + 100_000, "{before} → {after}");
        std::fs::remove_file(&path).unwrap();
    }
}
