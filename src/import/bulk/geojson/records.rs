//! Reading a loaded feature back from a large GeoJSON file by its byte range when the user
//! opens the event, and making it an event by the GeoJSON rules with the time it was given
//! when the file was read (its date columns are not kept).

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde_json::Value;

use super::super::super::geojson::{Crs, Keys, feature_untimed};
use crate::model::{Event, EventTime};
use crate::store::RecordSource;

/// Where each loaded feature is in the file, and what it is read with.
pub(super) struct Located {
    /// Byte offset of each loaded feature.
    pub offsets: Vec<u64>,
    /// Its length in bytes.
    pub lens: Vec<u32>,
    /// Its index in the feature array.
    pub index: Vec<usize>,
    /// Its time, as read from the file's date columns.
    pub times: Vec<EventTime>,
}

/// Reads a GeoJSON feature back from its file.
pub(super) struct GeojsonRecords {
    path: PathBuf,
    name: String,
    /// File size when loaded: a different size means the file changed.
    size: u64,
    at: Located,
    keys: Keys,
    crs: Crs,
    /// Events read lately (newest first): the detail panel, the list of events at a spot and
    /// tooltips ask for the same few every frame.
    recent: Mutex<Vec<(usize, Event)>>,
}

/// Events kept by [`GeojsonRecords`] after reading them.
const RECENT_EVENTS: usize = 64;

impl std::fmt::Debug for GeojsonRecords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeojsonRecords")
            .field("path", &self.path)
            .field("features", &self.at.offsets.len())
            .finish_non_exhaustive()
    }
}

impl RecordSource for GeojsonRecords {
    fn event(&self, record: usize) -> Result<Event, String> {
        if let Ok(recent) = self.recent.lock()
            && let Some((_, e)) = recent.iter().find(|(k, _)| *k == record)
        {
            return Ok(e.clone());
        }
        let e = self.read(record)?;
        if let Ok(mut recent) = self.recent.lock() {
            recent.insert(0, (record, e.clone()));
            recent.truncate(RECENT_EVENTS);
        }
        Ok(e)
    }
}

impl GeojsonRecords {
    /// The features at `at` of the file at `path` (`size` bytes when it was read), read
    /// with the file's property names and CRS.
    pub(super) fn new(
        path: &Path,
        name: &str,
        size: u64,
        at: Located,
        keys: Keys,
        crs: Crs,
    ) -> Self {
        Self {
            path: path.to_path_buf(),
            name: name.to_owned(),
            size,
            at,
            keys,
            crs,
            recent: Mutex::new(Vec::new()),
        }
    }

    /// Read loaded feature `record` from the file.
    fn read(&self, record: usize) -> Result<Event, String> {
        let (Some(&offset), Some(&len), Some(&i), Some(&time)) = (
            self.at.offsets.get(record),
            self.at.lens.get(record),
            self.at.index.get(record),
            self.at.times.get(record),
        ) else {
            return Err(format!("no record {record}"));
        };
        let fail = |e: &dyn std::fmt::Display| format!("cannot read {}: {e}", self.name);
        let mut file = std::fs::File::open(&self.path).map_err(|e| fail(&e))?;
        let size = file.metadata().map_err(|e| fail(&e))?.len();
        if size != self.size {
            return Err(format!(
                "{} changed since it was loaded: open it again",
                self.name
            ));
        }
        file.seek(SeekFrom::Start(offset)).map_err(|e| fail(&e))?;
        let mut bytes = Vec::with_capacity(len as usize);
        file.take(u64::from(len))
            .read_to_end(&mut bytes)
            .map_err(|e| fail(&e))?;
        let f: Value = serde_json::from_slice(&bytes).map_err(|e| fail(&e))?;
        let gone = |_| fail(&"the feature no longer reads as an event");
        let (mut e, _, _) = feature_untimed(i, &f, &self.keys, self.crs).map_err(gone)?;
        e.time = time;
        Ok(e)
    }
}
