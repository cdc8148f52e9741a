//! Reading a loaded event's full record back from a large file by its byte offset, when the
//! user opens it (the parallel reader keeps only hot rows).

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::super::table::Record;
use super::super::time::DayOrder;
use super::super::{acled, fields};
use crate::model::{Event, Target, Weapon};
use crate::store::{RecordSource, Row};

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

    /// One read of the file span the records cover, when they are ascending and close
    /// together (an export's or a search's batch); otherwise one read each.
    fn events(&self, records: &[usize], rows: &[Row]) -> Vec<Result<Event, String>> {
        match self.read_span(records, rows, true) {
            Some(v) => v,
            None => records.iter().map(|&r| self.event(r)).collect(),
        }
    }

    fn searchable_events(&self, records: &[usize], rows: &[Row]) -> Vec<Result<Event, String>> {
        match self.read_span(records, rows, false) {
            Some(v) => v,
            None => records.iter().map(|&r| self.event(r)).collect(),
        }
    }

    fn extra_names(&self) -> Option<Vec<String>> {
        Some(acled::Reader::new(&self.headers, self.order.clone()).extra_names())
    }
}

/// A batch whose records span more than this is read record by record.
const SPAN_MAX: u64 = 64 << 20;

impl AcledRecords {
    /// The records of an ascending batch from one read of the bytes they span (`None`: the
    /// batch is not ascending, too spread out, or the file cannot be read that way).
    /// Without `extras`, the events have no extra properties.
    fn read_span(
        &self,
        records: &[usize],
        rows: &[Row],
        extras: bool,
    ) -> Option<Vec<Result<Event, String>>> {
        let (&first, &last) = (records.first()?, records.last()?);
        if !records.is_sorted() {
            return None;
        }
        let start = *self.offsets.get(first)?;
        let end_of = |r: usize| self.offsets.get(r + 1).copied().unwrap_or(self.size);
        let end = end_of(last);
        if end < start || end - start > SPAN_MAX {
            return None;
        }
        let mut file = std::fs::File::open(&self.path).ok()?;
        if file.metadata().ok()?.len() != self.size {
            return None;
        }
        file.seek(SeekFrom::Start(start)).ok()?;
        let len = usize::try_from(end - start).ok()?;
        thread_local! {
            /// The bytes of the last span read on this thread: an export reads thousands of
            /// spans, and a fresh buffer each time costs the kernel a page fault per page.
            static SPAN: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        SPAN.with_borrow_mut(|buf| {
            if buf.len() < len {
                buf.resize(len, 0);
            }
            let read = file.read_exact(&mut buf[..len]).ok();
            let out = read.map(|()| self.events_in(&buf[..len], start, records, rows, extras));
            if buf.len() > 4 << 20 {
                *buf = Vec::new();
            }
            out
        })
    }

    /// The events of `records` from `buf`, the file's bytes from offset `start` on.
    fn events_in(
        &self,
        buf: &[u8],
        start: u64,
        records: &[usize],
        rows: &[Row],
        extras: bool,
    ) -> Vec<Result<Event, String>> {
        let reader = acled::Reader::new(&self.headers, self.order.clone());
        let fail = |e: &dyn std::fmt::Display| format!("cannot read {}: {e}", self.name);
        let mut rec = csv::ByteRecord::new();
        let mut text = csv::StringRecord::new();
        let mut fields = Vec::new();
        // One CSV reader for the batch, moved to each record: building a reader costs more
        // than reading a record.
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(std::io::Cursor::new(buf));
        records
            .iter()
            .map(|&r| {
                let a = self.offsets.get(r).copied().unwrap_or(start) - start;
                let mut pos = csv::Position::new();
                pos.set_byte(a);
                // Consecutive records need no seek: a seek drops the reader's buffer, and
                // refilling it copied 8 kB for each 500-byte record.
                if csv.position().byte() != a {
                    csv.seek(pos.clone()).map_err(|e| fail(&e))?;
                }
                // Fields are borrowed from the record as read; a record that is not UTF-8
                // is read again and decoded as the whole-file reader decodes it.
                let record = match csv.read_record(&mut text) {
                    Ok(true) => Record::read(0, &text),
                    Ok(false) => return Err(fail(&"record missing")),
                    Err(_) => {
                        csv.seek(pos).map_err(|e| fail(&e))?;
                        fill_fields(&mut csv, &mut rec, &mut fields).map_err(|e| fail(&e))?;
                        Record::new(0, &fields)
                    }
                };
                let known = acled::Known {
                    inferred: rows.get(r).map(inferred),
                    extras,
                };
                match reader.event_with(record, known) {
                    // Only a record without an event id needs its line ("row-N").
                    Ok(e) if e.id != "row-0" => Ok(e),
                    _ => self.read(r).map(|mut e| {
                        if !extras {
                            e.extra.clear();
                        }
                        e
                    }),
                }
            })
            .collect()
    }

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
        let mut fields = Vec::new();
        fill_fields(&mut reader, &mut rec, &mut fields).map_err(|e| fail(&e))?;
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

/// The next record's fields, decoded and trimmed as the whole-file reader does, into
/// `fields` (its strings are reused from record to record: a batch allocates them once).
fn fill_fields<R: Read>(
    csv: &mut csv::Reader<R>,
    rec: &mut csv::ByteRecord,
    out: &mut Vec<String>,
) -> Result<(), String> {
    if !csv.read_byte_record(rec).map_err(|e| e.to_string())? {
        return Err("record missing".to_owned());
    }
    out.truncate(rec.len());
    for (i, f) in rec.iter().enumerate() {
        let f = fields::decode(f);
        match out.get_mut(i) {
            Some(s) => {
                s.clear();
                s.push_str(f.trim());
            }
            None => out.push(f.trim().to_owned()),
        }
    }
    Ok(())
}

/// The weapons and target the load inferred for a record, from its hot row.
fn inferred(row: &Row) -> (Vec<Weapon>, Option<Target>) {
    let weapons = Weapon::ALL
        .into_iter()
        .filter(|w| row.weapons & (1 << w.index()) != 0)
        .collect();
    let target = Target::ALL.get(usize::from(row.target)).copied();
    (weapons, target)
}
