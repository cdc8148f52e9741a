//! Reading a loaded event's full record back from a large file by its byte offset, when the
//! user opens it (the parallel reader keeps only hot rows).

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::super::table::Record;
use super::super::time::DayOrder;
use super::super::{acled, fields};
use crate::model::Event;
use crate::store::RecordSource;

/// Reads an ACLED record back from its file by byte offset.
#[derive(Debug)]
pub struct AcledRecords {
    path: PathBuf,
    name: String,
    /// Lower-cased header.
    headers: Vec<String>,
    /// Byte offset of each loaded row's record.
    offsets: Vec<u64>,
    order: DayOrder,
    /// File size when loaded: a different size means the file changed.
    size: u64,
    /// Events read lately (newest first): the detail panel, the list of events at a spot and
    /// tooltips ask for the same few every frame.
    recent: std::sync::Mutex<Vec<(usize, Event)>>,
}

/// Events kept by [`AcledRecords`] after reading them.
const RECENT_EVENTS: usize = 64;

impl RecordSource for AcledRecords {
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

impl AcledRecords {
    /// Records of the file at `path` (`size` bytes when it was read) with this lower-cased
    /// header, at these byte offsets, numeric dates in `order`.
    pub(super) fn new(
        path: &Path,
        name: &str,
        headers: Vec<String>,
        offsets: Vec<u64>,
        order: DayOrder,
        size: u64,
    ) -> Self {
        Self {
            path: path.to_path_buf(),
            name: name.to_owned(),
            headers,
            offsets,
            order,
            size,
            recent: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Read record `record` from the file.
    fn read(&self, record: usize) -> Result<Event, String> {
        let Some(&offset) = self.offsets.get(record) else {
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
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(std::io::BufReader::with_capacity(16 << 10, file));
        let mut rec = csv::ByteRecord::new();
        if !reader.read_byte_record(&mut rec).map_err(|e| fail(&e))? {
            return Err(fail(&"record missing"));
        }
        let fields: Vec<String> = rec
            .iter()
            .map(|f| fields::decode(f).trim().to_owned())
            .collect();
        let reader = acled::Reader::new(&self.headers, self.order.clone());
        let read = |line: u64| reader.event(Record::new(line, &fields)).ok();
        // The line number matters only to a record without an event id ("row-N"): count the
        // lines before it only then.
        let mut e = read(0).ok_or_else(|| fail(&"the record no longer reads as an event"))?;
        if e.id == "row-0" {
            let line = self.line_of(offset).map_err(|err| fail(&err))?;
            e = read(line).ok_or_else(|| fail(&"the record no longer reads as an event"))?;
        }
        Ok(e)
    }

    /// The file line (1-based) a record starting at byte `offset` is on.
    fn line_of(&self, offset: u64) -> std::io::Result<u64> {
        let mut file = std::fs::File::open(&self.path)?.take(offset);
        let mut buf = vec![0u8; 1 << 20];
        let mut line = 1u64;
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                return Ok(line);
            }
            line += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
        }
    }
}
