//! Large ACLED files, read in parallel straight into hot rows.
//!
//! The file is read in batches of [`BATCH`] bytes. Each batch is cut into slices at record
//! boundaries found in parallel: the number of `"` characters before a point tells whether it
//! is inside a quoted field (an escaped `""` counts twice), so every core can find the first
//! newline outside quotes in its part once the parts' quote counts are summed. The slices are
//! then parsed on all cores by the csv crate into [`Row`]s with the same rules as
//! [`super::acled`]; texts are not kept. Each row remembers its record's byte offset, and
//! [`AcledRecords`] reads the record again when the user opens the event.
//!
//! Numeric dates are read day-first while the file is parsed; if the whole file then proves
//! month-first (a second number above 12 and never a first), it is parsed again that way, so
//! the result is exactly what [`super::acled`] decides from all values.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use rayon::prelude::*;

use super::time::{DayOrder, numeric_parts, parse_loose_date};
use super::{Bulk, Format, ImportError, LoadReport, Progress, RejectReason, Rejection};
use super::{acled, fields};
use crate::model::{DAY, Event, EventTime, LocationPrecision, Seconds, TimePrecision, Weapon};
use crate::store::{RecordSource, Row, UNKNOWN};

/// Bytes read per batch.
const BATCH: usize = 48 << 20;
/// Slices per batch (parsed in parallel).
const PARTS: usize = 24;

/// Column positions of the fields a row needs.
#[derive(Clone, Copy, Debug)]
struct Cols {
    date: Option<usize>,
    lat: Option<usize>,
    lon: Option<usize>,
    time_precision: Option<usize>,
    geo_precision: Option<usize>,
    fatalities: Option<usize>,
    sub_event: Option<usize>,
    notes: Option<usize>,
}

impl Cols {
    fn new(lower: &[String]) -> Self {
        let c = |n: &str| lower.iter().position(|h| h == n);
        Self {
            date: c("event_date"),
            lat: c("latitude"),
            lon: c("longitude"),
            time_precision: c("time_precision"),
            geo_precision: c("geo_precision"),
            fatalities: c("fatalities"),
            sub_event: c("sub_event_type"),
            notes: c("notes"),
        }
    }
}

/// Values proving the day/month order, first seen in file order.
#[derive(Clone, Debug, Default)]
struct Evidence {
    day_first: Option<String>,
    month_first: Option<String>,
}

impl Evidence {
    fn merge(&mut self, o: Evidence) {
        if self.day_first.is_none() {
            self.day_first = o.day_first;
        }
        if self.month_first.is_none() {
            self.month_first = o.month_first;
        }
    }

    /// The order [`super::time::date_order_for`] decides from the same values.
    fn order(&self) -> DayOrder {
        match (&self.day_first, &self.month_first) {
            (None, Some(e)) => DayOrder::MonthFirst {
                evidence: e.clone(),
            },
            (d, _) => DayOrder::DayFirst {
                evidence: d.clone(),
            },
        }
    }
}

/// What one slice produced.
#[derive(Debug, Default)]
struct SliceOut {
    rows: Vec<Row>,
    offsets: Vec<u64>,
    lines: Vec<u32>,
    rejected: Vec<Rejection>,
    records: usize,
    first: Option<Seconds>,
    last: Option<Seconds>,
    evidence: Evidence,
    cp1252: bool,
}

/// Everything parsed from the file.
#[derive(Debug, Default)]
struct Parsed {
    rows: Vec<Row>,
    offsets: Vec<u64>,
    lines: Vec<u32>,
    rejected: Vec<Rejection>,
    records: usize,
    first: Option<Seconds>,
    last: Option<Seconds>,
    evidence: Evidence,
    cp1252: bool,
}

impl Parsed {
    fn append(&mut self, mut s: SliceOut) {
        self.rows.append(&mut s.rows);
        self.offsets.append(&mut s.offsets);
        self.lines.append(&mut s.lines);
        self.rejected.append(&mut s.rejected);
        self.records += s.records;
        self.first = min_opt(self.first, s.first);
        self.last = max_opt(self.last, s.last);
        self.evidence.merge(s.evidence);
        self.cp1252 |= s.cp1252;
    }
}

fn min_opt(a: Option<Seconds>, b: Option<Seconds>) -> Option<Seconds> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn max_opt(a: Option<Seconds>, b: Option<Seconds>) -> Option<Seconds> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// Text of a field: UTF-8 as is, otherwise Windows-1252 (as the whole-file reader decides).
fn text<'a>(b: &'a [u8], cp1252: &mut bool) -> Cow<'a, str> {
    match std::str::from_utf8(b) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            *cp1252 = true;
            encoding_rs::WINDOWS_1252.decode(b).0
        }
    }
}

/// Parse one slice of whole records. `offset` is the slice's byte offset in the file and
/// `line` the file line it starts on.
fn parse_slice(data: &[u8], offset: u64, line: u64, cols: &Cols, order: &DayOrder) -> SliceOut {
    let mut out = SliceOut::default();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(data);
    let mut record = csv::ByteRecord::new();
    let mut dates: HashMap<Vec<u8>, Option<Seconds>> = HashMap::new();
    let mut last_date: Option<(Vec<u8>, Option<Seconds>)> = None;
    loop {
        let here = reader.position().line() + line - 1;
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                out.records += 1;
                out.rejected.push(Rejection {
                    record: format!("row {here}"),
                    reason: RejectReason::Malformed,
                    detail: e.to_string(),
                });
                if !matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                    break;
                }
                continue;
            }
        }
        out.records += 1;
        let pos = record
            .position()
            .map_or((0, here), |p| (p.byte(), p.line() + line - 1));
        let row_line = pos.1;
        let get = |i: Option<usize>| -> Option<&[u8]> {
            i.and_then(|i| record.get(i))
                .map(<[u8]>::trim_ascii)
                .filter(|b| !b.is_empty())
        };
        let reject = |reason, detail: String| Rejection {
            record: format!("row {row_line}"),
            reason,
            detail,
        };
        let mut cp = false;
        let lat = get(cols.lat).map(|b| text(b, &mut cp));
        let lon = get(cols.lon).map(|b| text(b, &mut cp));
        let (lat, lon) = match fields::coords(lat.as_deref(), lon.as_deref()) {
            Ok(c) => c,
            Err((reason, detail)) => {
                out.rejected.push(reject(reason, detail));
                continue;
            }
        };
        let Some(date_b) = get(cols.date) else {
            out.rejected
                .push(reject(RejectReason::MissingDate, "empty event_date".into()));
            continue;
        };
        let day = match &last_date {
            Some((k, v)) if k.as_slice() == date_b => *v,
            _ => {
                let v = match dates.get(date_b) {
                    Some(v) => *v,
                    None => {
                        let s = text(date_b, &mut cp);
                        if let Some((a, b, _)) = numeric_parts(&s) {
                            if a > 12 && out.evidence.day_first.is_none() {
                                out.evidence.day_first = Some(s.to_string());
                            }
                            if b > 12 && out.evidence.month_first.is_none() {
                                out.evidence.month_first = Some(s.to_string());
                            }
                        }
                        let v = parse_loose_date(&s, order);
                        dates.insert(date_b.to_vec(), v);
                        v
                    }
                };
                last_date = Some((date_b.to_vec(), v));
                v
            }
        };
        let Some(day) = day else {
            let s = text(date_b, &mut cp);
            out.rejected.push(reject(
                RejectReason::InvalidDate,
                format!("event_date \"{s}\" is not a date"),
            ));
            continue;
        };
        // ACLED time_precision: 1 = that day, 2 = within the week around it, 3 = that month.
        let (time, stated) = match get(cols.time_precision) {
            Some(b"2") => (EventTime::range(day - 3 * DAY, day + 4 * DAY), Some(day)),
            Some(b"3") => (EventTime::range(day - 15 * DAY, day + 16 * DAY), Some(day)),
            _ => (EventTime::at(day, TimePrecision::Day), None),
        };
        let precision = match get(cols.geo_precision) {
            Some(b"2") => LocationPrecision::District,
            Some(b"3") => LocationPrecision::Region,
            _ => LocationPrecision::Settlement,
        };
        let sub = get(cols.sub_event).map(|b| text(b, &mut cp));
        let notes = get(cols.notes).map(|b| text(b, &mut cp));
        let weapon =
            acled::infer_weapon(sub.as_deref().unwrap_or(""), notes.as_deref().unwrap_or(""))
                .unwrap_or(Weapon::Unknown);
        let killed = get(cols.fatalities)
            .and_then(|b| fields::count(&text(b, &mut cp)))
            .unwrap_or(UNKNOWN);
        let (x, y) = crate::model::mercator(lat, lon);
        out.rows.push(Row {
            start: time.start,
            end: time.end,
            x: x as f32,
            y: y as f32,
            killed,
            injured: UNKNOWN,
            weapon: weapon.index() as u8,
            precision: precision.index() as u8,
        });
        out.offsets.push(offset + pos.0);
        out.lines.push(u32::try_from(row_line).unwrap_or(u32::MAX));
        out.first = min_opt(out.first, Some(stated.unwrap_or(time.start)));
        out.last = max_opt(out.last, Some(stated.unwrap_or(time.end - 1)));
        out.cp1252 |= cp;
    }
    out
}

/// Where the records of `buf` can be cut: slice bounds (byte positions, each the start of a
/// record, the last one the end of the whole records) with the line each starts on. Without
/// `eof`, the bytes after the last bound are an incomplete record for the next batch.
fn cut(buf: &[u8], line0: u64, eof: bool) -> Vec<(usize, u64)> {
    let part = buf.len().div_ceil(PARTS).max(1);
    // Quotes and newlines per part, in parallel.
    let counts: Vec<(usize, usize)> = buf
        .par_chunks(part)
        .map(|c| {
            let q = c.iter().filter(|&&b| b == b'"').count();
            let n = c.iter().filter(|&&b| b == b'\n').count();
            (q, n)
        })
        .collect();
    let mut starts = Vec::with_capacity(counts.len());
    let (mut q, mut n) = (0usize, 0u64);
    for (k, (cq, cn)) in counts.iter().enumerate() {
        starts.push((k * part, q % 2 == 1, line0 + n));
        q += cq;
        n += *cn as u64;
    }
    // In each part: the first record boundary, and (for the last part) the last one.
    let scan = |&(from, mut quoted, mut line): &(usize, bool, u64), want_last: bool| {
        let end = (from + part).min(buf.len());
        let mut first = None;
        let mut last = None;
        for (i, &b) in buf[from..end].iter().enumerate() {
            match b {
                b'"' => quoted = !quoted,
                b'\n' => {
                    line += 1;
                    if !quoted {
                        let at = (from + i + 1, line);
                        if first.is_none() {
                            first = Some(at);
                            if !want_last {
                                break;
                            }
                        }
                        last = Some(at);
                    }
                }
                _ => {}
            }
        }
        (first, last)
    };
    let found: Vec<_> = starts
        .par_iter()
        .enumerate()
        .map(|(k, s)| scan(s, k + 1 == starts.len() && !eof))
        .collect();
    let mut bounds = vec![(0, line0)];
    for (first, _) in found.iter() {
        if let Some(b) = first
            && b.0 > bounds.last().map_or(0, |l| l.0)
            && b.0 < buf.len()
        {
            bounds.push(*b);
        }
    }
    if eof {
        if buf.len() > bounds.last().map_or(0, |l| l.0) {
            bounds.push((buf.len(), line0 + n));
        }
    } else {
        // The end of the last whole record: the last boundary of the last part, or the last
        // first-boundary found before it. Everything after it waits for the next batch.
        let last_end = found
            .last()
            .and_then(|(_, l)| *l)
            .filter(|b| b.0 > bounds.last().map_or(0, |l| l.0));
        match last_end {
            Some(b) => bounds.push(b),
            None => {
                // No boundary in the last part: the last slice is incomplete, drop it.
            }
        }
    }
    bounds
}

/// Parse the file from `data_start` with day/month `order`.
fn parse_file(
    path: &Path,
    data_start: u64,
    cols: &Cols,
    order: &DayOrder,
    progress: &Progress,
    name: &str,
) -> Result<Parsed, ImportError> {
    let io = |source| ImportError::Io {
        path: name.to_owned(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    file.seek(SeekFrom::Start(data_start)).map_err(io)?;
    let mut parsed = Parsed::default();
    let mut buf: Vec<u8> = Vec::with_capacity(BATCH + (1 << 20));
    let mut buf_offset = data_start;
    // The header is line 1.
    let mut line = 2u64;
    let mut eof = false;
    while !eof {
        if progress.cancelled() {
            return Err(ImportError::Cancelled {
                file: name.to_owned(),
            });
        }
        let want = BATCH.max(buf.len() * 2);
        let before = buf.len();
        (&mut file)
            .take((want - before) as u64)
            .read_to_end(&mut buf)
            .map_err(io)?;
        eof = buf.len() - before < want - before;
        let bounds = cut(&buf, line, eof);
        let outs: Vec<SliceOut> = bounds
            .par_windows(2)
            .map(|w| {
                let ((a, la), (b, _)) = (w[0], w[1]);
                parse_slice(&buf[a..b], buf_offset + a as u64, la, cols, order)
            })
            .collect();
        for o in outs {
            parsed.append(o);
        }
        let (end, end_line) = bounds.last().copied().unwrap_or((0, line));
        buf.drain(..end);
        buf_offset += end as u64;
        line = end_line;
        progress.done.store(buf_offset, Ordering::Relaxed);
    }
    Ok(parsed)
}

/// Read a large file as hot rows if it is an ACLED export; `None` for other formats.
pub(super) fn try_load(
    path: &Path,
    progress: &Progress,
) -> Result<Option<LoadReport>, ImportError> {
    let name = path.display().to_string();
    let io = |source| ImportError::Io {
        path: name.clone(),
        source,
    };
    let mut head = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(1 << 16)
        .read_to_end(&mut head)
        .map_err(io)?;
    let bom = if head.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&head[bom..]);
    let mut header = csv::ByteRecord::new();
    if !reader.read_byte_record(&mut header).unwrap_or(false) {
        return Ok(None);
    }
    // The header must have ended inside the bytes we looked at.
    let header_end = reader.position().byte();
    if header_end as usize >= head.len() - bom {
        return Ok(None);
    }
    let mut cp = false;
    let lower: Vec<String> = header
        .iter()
        .map(|h| text(h, &mut cp).trim().to_ascii_lowercase())
        .collect();
    if !acled::is_acled(&lower) {
        return Ok(None);
    }
    let cols = Cols::new(&lower);
    let data_start = bom as u64 + header_end;
    let day_first = DayOrder::DayFirst { evidence: None };
    let mut parsed = parse_file(path, data_start, &cols, &day_first, progress, &name)?;
    let order = parsed.evidence.order();
    if matches!(order, DayOrder::MonthFirst { .. }) {
        progress.done.store(0, Ordering::Relaxed);
        let evidence = parsed.evidence.clone();
        parsed = parse_file(path, data_start, &cols, &order, progress, &name)?;
        parsed.evidence = evidence;
    }
    let order = parsed.evidence.order();
    let mut notes: Vec<String> = Vec::new();
    if parsed.cp1252 || cp {
        notes.push("not valid UTF-8: decoded as Windows-1252 (Latin-1)".to_owned());
    }
    notes.extend(fields::day_order_note(&order));
    notes.push(format!(
        "large file: read on {} threads; an event's texts are read from the file when it is opened",
        rayon::current_num_threads()
    ));
    let size = std::fs::metadata(path).map_err(io)?.len();
    let source = AcledRecords {
        path: path.to_path_buf(),
        name: name.clone(),
        headers: lower,
        offsets: parsed.offsets,
        lines: parsed.lines,
        order,
        cp1252: parsed.cp1252 || cp,
        size,
    };
    Ok(Some(LoadReport {
        file: name,
        format: Format::Acled,
        records: parsed.records,
        events: Vec::new(),
        rejected: parsed.rejected,
        notes,
        bulk: Some(Bulk {
            rows: parsed.rows,
            source: Box::new(source),
            first: parsed.first,
            last: parsed.last,
        }),
    }))
}

/// Reads an ACLED record back from its file by byte offset.
#[derive(Debug)]
pub struct AcledRecords {
    path: PathBuf,
    name: String,
    /// Lower-cased header.
    headers: Vec<String>,
    /// Byte offset of each loaded row's record.
    offsets: Vec<u64>,
    /// File line of each loaded row's record.
    lines: Vec<u32>,
    order: DayOrder,
    cp1252: bool,
    /// File size when loaded: a different size means the file changed.
    size: u64,
}

impl RecordSource for AcledRecords {
    fn event(&self, record: usize) -> Result<Event, String> {
        let (Some(&offset), Some(&line)) = (self.offsets.get(record), self.lines.get(record))
        else {
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
            .map(|f| {
                if self.cp1252 {
                    encoding_rs::WINDOWS_1252.decode(f).0.trim().to_owned()
                } else {
                    String::from_utf8_lossy(f).trim().to_owned()
                }
            })
            .collect();
        let r = acled::load_with(
            &self.name,
            &self.headers,
            &[(u64::from(line), fields)],
            Vec::new(),
            Some(self.order.clone()),
        );
        r.events
            .into_iter()
            .next()
            .ok_or_else(|| fail(&"the record no longer reads as an event"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Row;

    /// ACLED-like text with quoted notes holding commas, quotes and newlines, odd rows.
    fn sample(rows: usize) -> String {
        let mut s = String::from(
            "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,country,admin1,location,latitude,longitude,geo_precision,source,notes,fatalities\n",
        );
        for k in 0..rows {
            let day = 1 + k % 28;
            let tp = [1, 1, 1, 2, 3][k % 5];
            let gp = [1, 2, 3][k % 3];
            let (lat, lon) = if k % 97 == 5 {
                (String::new(), "30.1".to_owned())
            } else {
                (
                    format!("{:.4}", 46.0 + (k % 50) as f64 * 0.1),
                    format!("{:.4}", 30.0 + (k % 70) as f64 * 0.1),
                )
            };
            let date = if k % 211 == 7 {
                "not a date".to_owned()
            } else {
                format!("{day} March 2024")
            };
            let notes = match k % 4 {
                0 => {
                    "Russian forces struck with Shahed drones, \"hitting\" a residential building."
                        .to_owned()
                }
                1 => "Shelling with artillery;\nsecond line of notes".to_owned(),
                2 => "An Iskander ballistic missile hit, \"\"\"quoted\"\"\"".to_owned(),
                _ => "Clashes".to_owned(),
            };
            let fat = if k % 6 == 0 {
                String::new()
            } else {
                (k % 9).to_string()
            };
            s.push_str(&format!(
                "UKR{k},{date},2024,{tp},Explosions/Remote violence,{},Ukraine,Kharkiv,Place {k},{lat},{lon},{gp},Src,\"{}\",{fat}\n",
                if k % 2 == 0 { "Air/drone strike" } else { "Shelling/artillery/missile attack" },
                notes.replace('"', "\"\"")
            ));
        }
        s
    }

    fn load_both(text: &str) -> (LoadReport, LoadReport) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.csv");
        std::fs::write(&p, text).unwrap();
        let slow = super::super::load_bytes(&p.display().to_string(), text.as_bytes()).unwrap();
        let fast = try_load(&p, &Progress::default()).unwrap().unwrap();
        // Keep the file for record reads: leak the dir for the test's lifetime.
        std::mem::forget(dir);
        (slow, fast)
    }

    /// The parallel reader gives exactly the rows, rejections and dates of the ACLED importer,
    /// and reading an event back gives the importer's event.
    #[test]
    fn bulk_rows_equal_the_importer() {
        let text = sample(5000);
        let (slow, fast) = load_both(&text);
        assert_eq!(fast.records, slow.records);
        assert_eq!(fast.records, 5000);
        let want: Vec<Row> = slow.events.iter().map(Row::of).collect();
        let bulk = fast.bulk.as_ref().unwrap();
        assert_eq!(bulk.rows.len(), want.len());
        assert_eq!(bulk.rows, want);
        assert_eq!(fast.rejected, slow.rejected);
        assert_eq!(fast.first_time(), slow.first_time());
        assert_eq!(fast.last_time(), slow.last_time());
        for k in [0, 1, 2, 3, 777, want.len() - 1] {
            assert_eq!(bulk.source.event(k).unwrap(), slow.events[k], "record {k}");
        }
    }

    /// Slices cut anywhere (tiny parts) still agree, including quoted newlines across cuts.
    #[test]
    fn cuts_fall_between_records() {
        let text = sample(300);
        let buf = text.as_bytes();
        let header_end = buf.iter().position(|b| *b == b'\n').unwrap() + 1;
        let whole = &buf[header_end..];
        for eof in [true, false] {
            // Without EOF the batch ends inside a record, which must wait for the next one.
            let body = if eof {
                whole
            } else {
                &whole[..whole.len() - 30]
            };
            let bounds = cut(body, 2, eof);
            let mut n = 0;
            for w in bounds.windows(2) {
                let s = &body[w[0].0..w[1].0];
                let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(s);
                n += r.byte_records().count();
                // Each slice starts at an event id.
                assert!(
                    s.starts_with(b"UKR"),
                    "{:?}",
                    String::from_utf8_lossy(&s[..20])
                );
            }
            assert_eq!(n, if eof { 300 } else { 299 });
        }
    }

    #[test]
    fn month_first_files_are_parsed_again_month_first() {
        let mut s = String::from("event_id_cnty,event_date,latitude,longitude,fatalities\n");
        for k in 0..200 {
            s.push_str(&format!("U{k},03/{:02}/2022,50.0,30.0,1\n", 1 + k % 28));
        }
        let (slow, fast) = load_both(&s);
        let want: Vec<Row> = slow.events.iter().map(Row::of).collect();
        assert_eq!(fast.bulk.as_ref().unwrap().rows, want);
        assert!(fast.notes.iter().any(|n| n.contains("month/day/year")));
    }

    #[test]
    fn progress_reaches_the_end_and_cancel_stops() {
        let text = sample(3000);
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.csv");
        std::fs::write(&p, &text).unwrap();
        let progress = Progress::default();
        try_load(&p, &progress).unwrap().unwrap();
        assert_eq!(
            progress.done.load(Ordering::Relaxed),
            text.len() as u64,
            "every byte accounted for"
        );
        let cancelled = Progress::default();
        cancelled.cancel.store(true, Ordering::Relaxed);
        assert!(matches!(
            try_load(&p, &cancelled),
            Err(ImportError::Cancelled { .. })
        ));
    }

    #[test]
    fn other_formats_are_left_to_the_normal_importers() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.csv");
        std::fs::write(&p, "latitude,longitude,date\n50,30,2024-01-01\n").unwrap();
        assert!(try_load(&p, &Progress::default()).unwrap().is_none());
    }
}
