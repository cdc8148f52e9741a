//! The built-in offline basemap as the app holds it: decoded at start (its major places
//! label the first frame), then completed by the world gazetteer's small places, loaded on a
//! background thread so that start-up does not wait for them.

use std::sync::mpsc;

use crate::geo::{Basemap, WorldGazetteer};

/// The basemap and the pending arrival of the gazetteer's places.
pub struct BuiltInMap {
    /// The basemap (None if its data could not be decoded).
    basemap: Option<Basemap>,
    /// Signalled once the world gazetteer is loaded (then its places are added and this is
    /// dropped).
    world: Option<mpsc::Receiver<()>>,
}

impl BuiltInMap {
    /// Decode the embedded basemap (timed in the log: it is start-up cost) and start loading
    /// the world gazetteer; `ctx` is woken when it is ready.
    pub fn load(ctx: &egui::Context) -> Self {
        let prepared = std::time::Instant::now();
        let basemap = Basemap::embedded();
        log::info!(
            "basemap decoded and triangulated in {:.0} ms ({:.0} ms after start)",
            prepared.elapsed().as_secs_f64() * 1000.0,
            crate::process_start().elapsed().as_secs_f64() * 1000.0
        );
        let basemap = basemap.map_err(|e| log::error!("{e}")).ok();
        let (tx, rx) = mpsc::channel();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("world gazetteer".to_owned())
            .spawn(move || {
                // Also warms the geocoders' gazetteer; an error is reported when one uses it.
                let _ = WorldGazetteer::get();
                let _ = tx.send(());
                ctx.request_repaint();
            });
        if let Err(e) = &spawned {
            log::error!("cannot start loading the world gazetteer: {e}");
        }
        Self {
            basemap,
            world: spawned.ok().map(|_| rx),
        }
    }

    /// The basemap to draw.
    pub fn get(&self) -> Option<&Basemap> {
        self.basemap.as_ref()
    }

    /// Whether the gazetteer's places have been added (or cannot be).
    pub fn complete(&self) -> bool {
        self.world.is_none()
    }

    /// Add the gazetteer's places if it has loaded since the last call (once per frame).
    pub fn poll(&mut self) {
        let Some(rx) = &self.world else {
            return;
        };
        match rx.try_recv() {
            Err(mpsc::TryRecvError::Empty) => {}
            Ok(()) | Err(mpsc::TryRecvError::Disconnected) => self.add_world(),
        }
    }

    /// Wait for the gazetteer and add its places (tests and benchmarks that need the
    /// complete labels).
    pub fn wait(&mut self) {
        if let Some(rx) = &self.world {
            // An error only means the loader is gone: its result is in the OnceLock anyway.
            let _ = rx.recv();
            self.add_world();
        }
    }

    fn add_world(&mut self) {
        self.world = None;
        let (Some(basemap), Ok(world)) = (&mut self.basemap, WorldGazetteer::get()) else {
            return;
        };
        let started = std::time::Instant::now();
        let added = basemap.add_places(world.places());
        log::info!(
            "{added} gazetteer places added to the basemap labels in {:.0} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
}
