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
#[cfg(not(test))]
const BATCH: usize = 8 << 20;
/// Small batches in tests, so records spanning two batches are exercised.
#[cfg(test)]
const BATCH: usize = 64 << 10;
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

/// Rows, rejections and findings of a run of records: one slice, or (appended in order) the
/// whole file.
#[derive(Debug, Default)]
struct SliceOut {
    /// Newlines in the slice (to number the next slice's lines).
    newlines: u64,
    /// End of the last whole record (the slice's length when it ends cleanly).
    complete_end: usize,
    /// The last record is cut off (by the end of the data).
    unterminated: bool,
    /// ... inside a quoted field, which only a quote can close.
    open_quote: bool,
    rows: Vec<Row>,
    offsets: Vec<u64>,
    rejected: Vec<Rejection>,
    records: usize,
    first: Option<Seconds>,
    last: Option<Seconds>,
    evidence: Evidence,
    cp1252: bool,
}

/// Everything parsed from the file: the slices appended in order.
type Parsed = SliceOut;

impl SliceOut {
    /// Append the next slice's results; returns its emptied row buffers for reuse.
    fn append(&mut self, mut s: SliceOut) -> Buffers {
        self.rows.append(&mut s.rows);
        self.offsets.append(&mut s.offsets);
        self.rejected.append(&mut s.rejected);
        self.records += s.records;
        self.first = min_opt(self.first, s.first);
        self.last = max_opt(self.last, s.last);
        self.evidence.merge(s.evidence);
        self.cp1252 |= s.cp1252;
        (s.rows, s.offsets)
    }
}

/// A slice's row and offset vectors, emptied after appending and handed to a later slice:
/// fresh ones would be faulted in again after glibc trims the worker thread's arena.
type Buffers = (Vec<Row>, Vec<u64>);

/// Spare [`Buffers`], shared by the workers.
type Pool = std::sync::Mutex<Vec<Buffers>>;

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

/// A field trimmed as the ordinary importer trims its decoded text (`str::trim`): ASCII
/// whitespace, and where a field starts or ends with a non-ASCII byte, Unicode whitespace
/// too (a no-break space: U+00A0 in UTF-8, or byte A0 read as Windows-1252).
fn trim_field(b: &[u8]) -> &[u8] {
    let mut t = b.trim_ascii();
    if t.first().is_none_or(u8::is_ascii) && t.last().is_none_or(u8::is_ascii) {
        return t;
    }
    if let Ok(s) = std::str::from_utf8(t) {
        return s.trim().as_bytes();
    }
    // Not UTF-8 (decoded run by run): C2 A0 is a UTF-8 no-break space, and a lone A0 byte
    // (not ending a UTF-8 sequence) is Windows-1252's.
    loop {
        let before = t.len();
        t = match t {
            [0xC2, 0xA0, rest @ ..] | [0xA0, rest @ ..] => rest.trim_ascii_start(),
            _ => t,
        };
        t = match t {
            [head @ .., 0xC2, 0xA0] => head.trim_ascii_end(),
            [head @ .., prev, 0xA0] if prev.is_ascii() || *prev == 0xA0 => {
                t[..head.len() + 1].trim_ascii_end()
            }
            [0xA0] => &[],
            _ => t,
        };
        if t.len() == before {
            return t;
        }
    }
}

/// Text of a field, decoded as the whole-file reader does ([`fields::decode`]); notes in
/// `cp1252` that some bytes were not UTF-8.
fn text<'a>(b: &'a [u8], cp1252: &mut bool) -> Cow<'a, str> {
    let t = fields::decode(b);
    *cp1252 |= matches!(t, Cow::Owned(_));
    t
}

/// How a slice's records are turned into rows: the per-record rules, with caches.
struct SliceParser<'c> {
    cols: &'c Cols,
    order: &'c DayOrder,
    out: SliceOut,
    dates: HashMap<Vec<u8>, Option<Seconds>>,
    last_date: Option<(Vec<u8>, Option<Seconds>)>,
    /// The rows' notes, lower-cased, each followed by a newline: searched for weapon keywords
    /// in one go when the slice is done (see [`acled::note_words_joined`]).
    notes: Vec<u8>,
    /// Where each row's notes end in `notes`.
    note_ends: Vec<u32>,
    /// Each row's sub-event type, for its weapon.
    subs: Vec<acled::SubEvent>,
    /// Sub-event types seen in the slice (a file has a dozen), classified once each.
    sub_kinds: Vec<(Vec<u8>, acled::SubEvent)>,
}

impl SliceParser<'_> {
    /// One record: its fields and its byte offset in the file. A rejected record gives its
    /// reason and detail (the caller numbers its line, which is only counted then).
    fn record(&mut self, fields: &[&[u8]], offset: u64) -> Option<(RejectReason, String)> {
        let cols = self.cols;
        let order = self.order;
        let out = &mut self.out;
        let dates = &mut self.dates;
        let last_date = &mut self.last_date;
        out.records += 1;
        if let Some(why) = fields::oversize(fields.iter().map(|f| f.len()).sum()) {
            return Some((RejectReason::Malformed, why));
        }
        let get = |i: Option<usize>| -> Option<&[u8]> {
            i.and_then(|i| fields.get(i).copied())
                .map(trim_field)
                .filter(|b| !b.is_empty())
        };
        let mut cp = false;
        // The date is looked at before the coordinates: every dated row is evidence for the
        // day/month order, as in the ACLED importer, even if it is rejected for its place.
        let date_b = get(cols.date);
        let day = date_b.map(|date_b| match &*last_date {
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
                *last_date = Some((date_b.to_vec(), v));
                v
            }
        });
        let lat = get(cols.lat).map(|b| text(b, &mut cp));
        let lon = get(cols.lon).map(|b| text(b, &mut cp));
        let (lat, lon) = match fields::coords(lat.as_deref(), lon.as_deref()) {
            Ok(c) => c,
            Err(rejection) => return Some(rejection),
        };
        let (Some(date_b), Some(day)) = (date_b, day) else {
            return Some((RejectReason::MissingDate, "empty event_date".into()));
        };
        let Some(day) = day else {
            let s = text(date_b, &mut cp);
            return Some((
                RejectReason::InvalidDate,
                format!("event_date {} is not a date", fields::q(&s)),
            ));
        };
        if let Some(why) = super::time::implausible(&EventTime::at(day, TimePrecision::Day)) {
            let s = text(date_b, &mut cp);
            return Some((
                RejectReason::ImplausibleDate,
                format!("event_date {}: {why}", fields::q(&s)),
            ));
        }
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
        let sub = get(cols.sub_event).unwrap_or_default();
        let notes = get(cols.notes).unwrap_or_default();
        // The weapon is set when the slice's notes have been searched (`finish`).
        self.notes.extend(notes.iter().map(u8::to_ascii_lowercase));
        self.notes.push(b'\n');
        self.note_ends
            .push(u32::try_from(self.notes.len()).unwrap_or(u32::MAX));
        let kind = match self.sub_kinds.iter().find(|(k, _)| k.as_slice() == sub) {
            Some((_, kind)) => *kind,
            None => {
                let kind = acled::SubEvent::of(sub);
                if self.sub_kinds.len() < 64 {
                    self.sub_kinds.push((sub.to_vec(), kind));
                }
                kind
            }
        };
        self.subs.push(kind);
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
            weapon: Weapon::Unknown.index() as u8,
            precision: precision.index() as u8,
        });
        out.offsets.push(offset);
        out.first = min_opt(out.first, Some(stated.unwrap_or(time.start)));
        out.last = max_opt(out.last, Some(stated.unwrap_or(time.end - 1)));
        out.cp1252 |= cp;
        None
    }
}

impl SliceParser<'_> {
    /// Set every row's weapon from one keyword search over the slice's notes.
    fn finish(mut self) -> SliceOut {
        let words = acled::note_words_joined(&self.notes, &self.note_ends);
        for ((row, w), sub) in self.out.rows.iter_mut().zip(words).zip(&self.subs) {
            row.weapon = sub.weapon(w).unwrap_or(Weapon::Unknown).index() as u8;
        }
        let scratch = Scratch {
            notes: std::mem::take(&mut self.notes),
            note_ends: std::mem::take(&mut self.note_ends),
            subs: std::mem::take(&mut self.subs),
        };
        SCRATCH.with(|s| *s.borrow_mut() = scratch);
        self.out
    }
}

/// A worker thread's buffers for the notes of the slice it parses, kept from slice to slice:
/// fresh ones each time would be faulted in again after glibc trims the thread's arena.
#[derive(Default)]
struct Scratch {
    notes: Vec<u8>,
    note_ends: Vec<u32>,
    subs: Vec<acled::SubEvent>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// Line numbers in a slice, counted lazily up to the positions asked for (ascending).
#[derive(Debug)]
struct LineCounter {
    pos: usize,
    line: u64,
}

impl Default for LineCounter {
    fn default() -> Self {
        Self { pos: 0, line: 1 }
    }
}

impl LineCounter {
    /// The line (1 = the slice's first) that byte `pos` is on.
    fn at(&mut self, data: &[u8], pos: usize) -> u64 {
        if pos > self.pos {
            self.line += memchr::memchr_iter(b'\n', &data[self.pos..pos]).count() as u64;
            self.pos = pos;
        }
        self.line
    }
}

/// One record found by [`split_record`].
struct Split {
    /// Where the record starts (after any blank lines).
    start: usize,
    /// Where the next record starts.
    next: usize,
    /// Whether `fields` hold exactly what the csv crate would give; otherwise the csv crate
    /// decodes the record's bytes (an escaped quote in a field the rows use, text after a
    /// closing quote, an unterminated quote).
    exact: bool,
    /// A quoted field runs to the end of the data: the record is cut off (by the end of a
    /// batch slice, or a truncated file).
    unterminated: bool,
}

/// Position of the first `,`, `\n` or `\r`. Fields are mostly a few bytes long, so the first
/// 32 bytes are checked eight at a time in a machine word (no SIMD set-up per call); longer
/// fields go to memchr.
#[inline]
fn find_delimiter(data: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let mut i = 0;
    while i + 8 <= data.len() && i < 32 {
        let mut word = [0u8; 8];
        word.copy_from_slice(&data[i..i + 8]);
        let v = u64::from_le_bytes(word);
        let hit = zero_byte(v ^ (ONES * u64::from(b',')))
            | zero_byte(v ^ (ONES * u64::from(b'\n')))
            | zero_byte(v ^ (ONES * u64::from(b'\r')));
        if hit != 0 {
            // The lowest flagged byte is exact (borrows only run upwards).
            return Some(i + (hit.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    memchr::memchr3(b',', b'\n', b'\r', &data[i..]).map(|k| i + k)
}

/// Split the record at `pos` into raw fields, finding its end exactly as the csv crate does
/// (RFC 4180 quotes, a quote inside an unquoted field is a character, blank lines skipped,
/// `\n`, `\r\n` or `\r` ends a record), without copying: it jumps between delimiters with
/// memchr. Field `keep_escapes` may keep `""` escapes (the notes, only searched for keywords,
/// which contain no quotes). `None` at the end of the data.
fn split_record<'a>(
    data: &'a [u8],
    mut pos: usize,
    fields: &mut Vec<&'a [u8]>,
    keep_escapes: Option<usize>,
) -> Option<Split> {
    fields.clear();
    while let Some(b'\n' | b'\r') = data.get(pos) {
        pos += 1;
    }
    if pos >= data.len() {
        return None;
    }
    let start = pos;
    let mut exact = true;
    let mut unterminated = false;
    let end = loop {
        let mut from = pos;
        if data[pos] == b'"' {
            let content = pos + 1;
            let mut q = content;
            let mut escaped = false;
            let close = loop {
                match memchr::memchr(b'"', &data[q..]) {
                    None => break None,
                    Some(i) if data.get(q + i + 1) == Some(&b'"') => {
                        escaped = true;
                        q += i + 2;
                    }
                    Some(i) => break Some(q + i),
                }
            };
            let Some(close) = close else {
                unterminated = true;
                exact = false;
                fields.push(&data[content..]);
                break data.len();
            };
            if escaped && keep_escapes != Some(fields.len()) {
                exact = false;
            }
            match data.get(close + 1) {
                Some(b',') => {
                    fields.push(&data[content..close]);
                    pos = close + 2;
                    if pos == data.len() {
                        fields.push(&data[pos..]);
                        break pos;
                    }
                    continue;
                }
                Some(b'\n' | b'\r') | None => {
                    fields.push(&data[content..close]);
                    break close + 1;
                }
                // Text after the closing quote belongs to the field: the csv crate decodes it.
                Some(_) => {
                    exact = false;
                    from = close + 1;
                }
            }
        }
        match find_delimiter(&data[from..]) {
            Some(i) => {
                fields.push(&data[pos..from + i]);
                pos = from + i;
                if data[pos] == b',' {
                    pos += 1;
                    if pos == data.len() {
                        // "a,b," at the very end: one more, empty field.
                        fields.push(&data[pos..]);
                        break pos;
                    }
                } else {
                    break pos;
                }
            }
            None => {
                fields.push(&data[pos..]);
                break data.len();
            }
        }
    };
    let next = match data.get(end) {
        Some(b'\r') if data.get(end + 1) == Some(&b'\n') => end + 2,
        Some(_) => end + 1,
        None => end,
    };
    Some(Split {
        start,
        next,
        exact,
        unterminated,
    })
}

/// Parse one slice of whole records. `offset` is the slice's byte offset in the file; lines
/// are counted from 1 at the slice's start (see [`relocate`]). [`split_record`] finds the
/// records; the few it cannot give exactly are decoded by the csv crate. Unless `last` (the
/// end of the file), a record cut off inside quotes stops the slice, unparsed.
#[inline(never)]
fn parse_slice(
    data: &[u8],
    offset: u64,
    cols: &Cols,
    order: &DayOrder,
    last: bool,
    pool: &Pool,
) -> SliceOut {
    let utf8 = std::str::from_utf8(data).is_ok();
    let mut scratch = SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
    scratch.notes.clear();
    scratch.note_ends.clear();
    scratch.subs.clear();
    let mut p = SliceParser {
        cols,
        order,
        out: SliceOut {
            // One SIMD pass over the slice instead of a check per field: a slice of whole
            // lines that is not UTF-8 makes the report say so, like the whole-file importer.
            cp1252: !utf8,
            ..SliceOut::default()
        },
        dates: HashMap::new(),
        last_date: None,
        notes: scratch.notes,
        note_ends: scratch.note_ends,
        subs: scratch.subs,
        sub_kinds: Vec::new(),
    };
    // Rows are a few hundred bytes: reserve once instead of growing (and faulting) as we go.
    let guess = data.len() / 256 + 1;
    if let Some((rows, offsets)) = pool.lock().ok().and_then(|mut p| p.pop()) {
        (p.out.rows, p.out.offsets) = (rows, offsets);
    }
    p.out.rows.reserve(guess);
    p.out.offsets.reserve(guess);
    p.note_ends.reserve(guess);
    p.subs.reserve(guess);
    p.notes.reserve(data.len() / 2);
    let mut fields: Vec<&[u8]> = Vec::with_capacity(64);
    let mut owned = csv::ByteRecord::new();
    let mut pos = 0;
    // Lines are counted only when a number is needed (a rejection, the next slice's start):
    // one pass over many records instead of a call per record.
    let mut lines = LineCounter::default();
    while let Some(r) = split_record(data, pos, &mut fields, cols.notes) {
        let cut_off =
            r.unterminated || (r.next == data.len() && !matches!(data.last(), Some(b'\n' | b'\r')));
        if cut_off && !last {
            // Cut off: the rest of this record is in the next batch (or the cut was wrong).
            p.out.unterminated = true;
            p.out.open_quote = r.unterminated;
            p.out.complete_end = r.start;
            // The next slice starts at this record and numbers its lines from there.
            p.out.newlines = lines.at(data, r.start) - 1;
            break;
        }
        let at = offset + r.start as u64;
        let rejected = if r.exact {
            p.record(&fields, at)
        } else {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(&data[r.start..r.next]);
            match reader.read_byte_record(&mut owned) {
                Ok(_) => {
                    let f: Vec<&[u8]> = owned.iter().collect();
                    p.record(&f, at)
                }
                Err(e) => {
                    p.out.records += 1;
                    Some((RejectReason::Malformed, e.to_string()))
                }
            }
        };
        if let Some((reason, detail)) = rejected {
            p.out.rejected.push(Rejection {
                record: format!("row {}", lines.at(data, r.start)),
                reason,
                detail,
            });
        }
        p.out.complete_end = r.next;
        pos = r.next;
    }
    if !p.out.unterminated {
        // Blank lines after the last record count too, and belong to this slice.
        p.out.newlines = lines.at(data, data.len()) - 1;
        p.out.complete_end = data.len();
    }
    p.finish()
}

/// Record boundaries in `buf` (positions just after a newline outside quotes), found in
/// parallel. `quoted` is whether `buf` starts inside a quoted field. Returns the first
/// boundary of each part (ascending, deduplicated) and, last, the final boundary of `buf`.
fn cut(buf: &[u8], quoted: bool) -> Vec<usize> {
    let part = buf.len().div_ceil(PARTS).max(1);
    // Quotes per part (SIMD counting), then each part's starting state from the parities.
    let quotes: Vec<usize> = buf
        .par_chunks(part)
        .map(|c| memchr::memchr_iter(b'"', c).count())
        .collect();
    let mut starts = Vec::with_capacity(quotes.len());
    let mut q = usize::from(quoted);
    for (k, n) in quotes.iter().enumerate() {
        starts.push((k * part, q % 2 == 1));
        q += n;
    }
    // Boundaries of one part: the first, or (for the last part) the last one.
    let scan = |from: usize, mut quoted: bool, last: bool| -> Option<usize> {
        let end = (from + part).min(buf.len());
        let mut found = None;
        for i in memchr::memchr2_iter(b'"', b'\n', &buf[from..end]) {
            if buf[from + i] == b'"' {
                quoted = !quoted;
            } else if !quoted {
                found = Some(from + i + 1);
                if !last {
                    break;
                }
            }
        }
        found
    };
    let n = starts.len();
    let found: Vec<Option<usize>> = starts
        .par_iter()
        .enumerate()
        .map(|(k, &(from, quoted))| scan(from, quoted, k + 1 == n))
        .collect();
    let mut bounds: Vec<usize> = Vec::with_capacity(n + 1);
    for b in found.iter().take(n.saturating_sub(1)).flatten() {
        if bounds.last().is_none_or(|l| b > l) {
            bounds.push(*b);
        }
    }
    if let Some(Some(b)) = found.last()
        && bounds.last().is_none_or(|l| b > l)
    {
        bounds.push(*b);
    }
    bounds
}

/// Whether the next batch starts inside a quoted field, by the parity of the quotes carried
/// over from the previous one (see [`cut`]).
fn carry_quoted(carry: &[u8]) -> bool {
    memchr::memchr_iter(b'"', carry).count() % 2 == 1
}

/// Likely record boundaries in `buf`: the first newline after each part's start and, last,
/// the final newline. No quote counting, so no pass over the batch: a newline inside a quoted
/// field (a multi-line note) makes the slice before it end inside quotes, which
/// [`parse_file`] sees, and it then cuts that batch and the rest of the file with [`cut`].
fn guess_cuts(buf: &[u8]) -> Vec<usize> {
    let part = buf.len().div_ceil(PARTS).max(1);
    let mut bounds: Vec<usize> = Vec::with_capacity(PARTS + 1);
    for from in (0..buf.len()).step_by(part) {
        if let Some(i) = memchr::memchr(b'\n', &buf[from..]) {
            let b = from + i + 1;
            if bounds.last().is_none_or(|l| b > *l) {
                bounds.push(b);
            }
        }
    }
    if let Some(i) = memchr::memrchr(b'\n', buf)
        && bounds.last().is_none_or(|l| i + 1 > *l)
    {
        bounds.push(i + 1);
    }
    bounds
}

/// A slice of whole records to parse: borrowed from a batch, or owned when it spans two.
struct Slice<'a> {
    data: Cow<'a, [u8]>,
    /// Byte offset in the file.
    offset: u64,
}

/// Fix a slice's relative line numbers (1 = its first line) to file lines.
fn relocate(out: &mut SliceOut, first_line: u64) {
    let add = first_line - 1;
    for r in &mut out.rejected {
        if let Some(n) = r
            .record
            .strip_prefix("row ")
            .and_then(|n| n.parse::<u64>().ok())
        {
            r.record = format!("row {}", n + add);
        }
    }
}

/// Parse the file from `data_start` with day/month `order`. A reader thread reads the next
/// batch while the cores parse the current one.
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
    // Reserve for the whole file (rows are a few hundred bytes) so appending never copies.
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    let guess = usize::try_from(size / 300).unwrap_or(0);
    parsed.rows.reserve(guess);
    parsed.offsets.reserve(guess);
    std::thread::scope(|scope| -> Result<(), ImportError> {
        // Two batches in flight at most: one parsed, one read. Parsed batches go back to the
        // reader, so their pages are reused instead of faulted in afresh.
        let (tx, rx) = std::sync::mpsc::sync_channel::<std::io::Result<Vec<u8>>>(1);
        let (back_tx, back_rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(3);
        let cancel = &progress.cancel;
        scope.spawn(move || {
            loop {
                let mut batch = back_rx
                    .try_recv()
                    .unwrap_or_else(|_| Vec::with_capacity(BATCH));
                batch.clear();
                let r = (&mut file).take(BATCH as u64).read_to_end(&mut batch);
                let done = !matches!(r, Ok(n) if n == BATCH) || cancel.load(Ordering::Relaxed);
                if tx.send(r.map(|_| batch)).is_err() || done {
                    break;
                }
            }
        });
        let mut carry: Vec<u8> = Vec::new();
        let mut offset = data_start; // file offset of `carry` (or of the batch when empty)
        let mut line = 2u64; // the header is line 1
        // Cuts are guessed at newlines until a guess falls inside quotes (see `guess_cuts`).
        let mut guessing = true;
        // `carry` is a record cut off inside a quoted field.
        let mut carry_open = false;
        // The previous batch's results, appended while this batch is parsed.
        let mut pending: Vec<SliceOut> = Vec::new();
        let pool = Pool::default();
        let mut append = |outs: &mut Vec<SliceOut>| {
            for mut o in outs.drain(..) {
                relocate(&mut o, line);
                line += o.newlines;
                let spare = parsed.append(o);
                if let Ok(mut p) = pool.lock() {
                    p.push(spare);
                }
            }
        };
        for batch in rx {
            if progress.cancelled() {
                return Err(ImportError::Cancelled {
                    file: name.to_owned(),
                });
            }
            let batch = batch.map_err(io)?;
            let eof = batch.len() < BATCH;
            // Inside a quoted field, which only a quote can close, a batch without a quote
            // changes nothing: it joins the carried record unparsed. (Parsing the growing
            // record again with every batch took quadratic time.)
            if carry_open && !eof && memchr::memchr(b'"', &batch).is_none() {
                carry.extend_from_slice(&batch);
                let _ = back_tx.try_send(batch);
                progress
                    .done
                    .store(offset + carry.len() as u64, Ordering::Relaxed);
                continue;
            }
            let batch_offset = offset + carry.len() as u64;
            // Slices: the record spanning from the previous batch (carry + head), the whole
            // records between cuts, and at the end of the file the rest. `ends[k]` is where
            // slice k ends in the batch.
            let slicing = |bounds: &[usize]| -> (Vec<Slice<'_>>, Vec<usize>, usize) {
                let mut slices: Vec<Slice<'_>> = Vec::with_capacity(bounds.len() + 2);
                let mut ends: Vec<usize> = Vec::with_capacity(bounds.len() + 2);
                let head_end = bounds.first().copied().unwrap_or(batch.len());
                let mut head = Vec::with_capacity(carry.len() + head_end);
                head.extend_from_slice(&carry);
                head.extend_from_slice(&batch[..head_end]);
                slices.push(Slice {
                    data: Cow::Owned(head),
                    offset,
                });
                ends.push(head_end);
                for w in bounds.windows(2) {
                    slices.push(Slice {
                        data: Cow::Borrowed(&batch[w[0]..w[1]]),
                        offset: batch_offset + w[0] as u64,
                    });
                    ends.push(w[1]);
                }
                let tail_from = bounds.last().copied().unwrap_or(batch.len());
                if eof && tail_from < batch.len() {
                    slices.push(Slice {
                        data: Cow::Borrowed(&batch[tail_from..]),
                        offset: batch_offset + tail_from as u64,
                    });
                    ends.push(batch.len());
                }
                (slices, ends, tail_from)
            };
            // Parse the slices on all cores while the previous batch's rows are appended.
            let mut parse = |slices: &[Slice<'_>], pending: &mut Vec<SliceOut>| -> Vec<SliceOut> {
                let n = slices.len();
                let (outs, ()) = rayon::join(
                    || {
                        slices
                            .par_iter()
                            .enumerate()
                            .map(|(k, s)| {
                                let last = eof && k + 1 == n;
                                parse_slice(&s.data, s.offset, cols, order, last, &pool)
                            })
                            .collect()
                    },
                    || append(pending),
                );
                outs
            };
            // A slice cut off before its end means the cut after it fell inside quotes.
            let wrong = |outs: &[SliceOut]| {
                let n = outs.len();
                (0..n).find(|&k| !(eof && k + 1 == n) && outs[k].unterminated)
            };
            let bounds = if guessing {
                guess_cuts(&batch)
            } else {
                cut(&batch, carry_quoted(&carry))
            };
            let (mut slices, mut ends, mut tail_from) = slicing(&bounds);
            let mut outs = parse(&slices, &mut pending);
            if guessing && wrong(&outs).is_some() {
                log::debug!("{name}: a newline inside quotes; cutting by quote counts from here");
                guessing = false;
                (slices, ends, tail_from) = slicing(&cut(&batch, carry_quoted(&carry)));
                outs = parse(&slices, &mut pending);
            }
            // A quote inside an unquoted field fools the parity count too: from the slice
            // that was cut off on, the batch is read again in one piece, which is exact.
            match wrong(&outs) {
                Some(k) => {
                    log::debug!(
                        "{name}: re-reading a batch from slice {k} (a cut fell inside quotes)"
                    );
                    let mut joined = slices[k].data.to_vec();
                    joined.extend_from_slice(&batch[ends[k]..]);
                    outs.truncate(k);
                    let again = parse_slice(&joined, slices[k].offset, cols, order, eof, &pool);
                    let end = again.complete_end;
                    carry_open = !eof && again.open_quote;
                    outs.push(again);
                    carry.clear();
                    if !eof {
                        carry.extend_from_slice(&joined[end..]);
                    }
                    offset = slices[k].offset + end as u64;
                }
                None => {
                    carry_open = false;
                    carry.clear();
                    if !eof {
                        carry.extend_from_slice(&batch[tail_from..]);
                    }
                    offset = batch_offset + tail_from as u64;
                }
            }
            drop(slices);
            let _ = back_tx.try_send(batch);
            pending = outs;
            progress
                .done
                .store(offset + carry.len() as u64, Ordering::Relaxed);
        }
        append(&mut pending);
        Ok(())
    })?;
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
    // The header must have ended inside the bytes we looked at. The csv reader stops between
    // the \r and \n of a CRLF header; the \n belongs to the header line.
    let mut header_end = reader.position().byte();
    if head.get(bom + header_end as usize) == Some(&b'\n') {
        header_end += 1;
    }
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
        notes.push(super::NOT_UTF8_NOTE.to_owned());
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
        order,
        size,
        recent: std::sync::Mutex::new(Vec::new()),
    };
    Ok(Some(LoadReport {
        file: name,
        format: Format::Acled,
        records: parsed.records,
        events: Vec::new(),
        rejected: parsed.rejected,
        notes,
        time_choice: None,
        csv_columns: None,
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
        let read = |line: u64| {
            acled::load_with(
                &self.name,
                &self.headers,
                &[(line, fields.clone())],
                Vec::new(),
                Some(self.order.clone()),
            )
            .events
            .into_iter()
            .next()
        };
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Row;

    /// ACLED-like text with quoted notes holding commas, quotes and newlines, odd rows.
    fn sample(rows: usize) -> String {
        sample_with(rows, 0)
    }

    /// `rows` records with quirks; notes from record `multiline_from` on may span two lines.
    fn sample_with(rows: usize, multiline_from: usize) -> String {
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
                1 if k >= multiline_from => {
                    "Shelling with artillery;\nsecond line of notes".to_owned()
                }
                1 => "Shelling with artillery; one line".to_owned(),
                2 => "An Iskander ballistic missile hit, \"\"\"quoted\"\"\"".to_owned(),
                _ => "Clashes".to_owned(),
            };
            let fat = if k % 6 == 0 {
                String::new()
            } else {
                (k % 9).to_string()
            };
            // Quirks the fast splitter must read as the csv crate does.
            if k % 700 == 21 {
                s.push_str("\n\r\n");
            }
            let lat = if k % 900 == 33 {
                format!("\"{lat}\"")
            } else {
                lat
            };
            let place = match k {
                1234 => "\"Place \"\"x\"\"\"".to_owned(),
                2345 => "Pla\"ce".to_owned(),
                _ => format!("Place {k}"),
            };
            let end = if k % 500 == 13 { "\r\n" } else { "\n" };
            let id = if k == 4321 {
                String::new()
            } else {
                format!("UKR{k}")
            };
            s.push_str(&format!(
                "{id},{date},2024,{tp},Explosions/Remote violence,{},Ukraine,Kharkiv,{place},{lat},{lon},{gp},Src,\"{}\",{fat}{end}",
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
        // Multi-line notes from the start, from the middle (cuts are guessed at newlines until
        // then), and none (guessed all the way).
        for multiline_from in [0, 2500, usize::MAX] {
            rows_equal_the_importer(&sample_with(5000, multiline_from));
        }
    }

    fn rows_equal_the_importer(text: &str) {
        let (slow, fast) = load_both(text);
        assert_eq!(fast.records, slow.records);
        assert_eq!(fast.rejected, slow.rejected);
        assert_eq!(fast.records, 5000);
        let want: Vec<Row> = slow.events.iter().map(Row::of).collect();
        let bulk = fast.bulk.as_ref().unwrap();
        assert_eq!(bulk.rows.len(), want.len());
        assert_eq!(bulk.rows, want);
        assert_eq!(fast.rejected, slow.rejected);
        assert_eq!(fast.first_time(), slow.first_time());
        assert_eq!(fast.last_time(), slow.last_time());
        // A record without an event id is named by its line ("row-N"), counted on demand.
        let no_id = slow
            .events
            .iter()
            .position(|e| e.id.starts_with("row-"))
            .unwrap();
        for k in [0, 1, 2, 3, 777, no_id, want.len() - 1] {
            assert_eq!(bulk.source.event(k).unwrap(), slow.events[k], "record {k}");
        }
    }

    /// Slices cut anywhere (tiny parts) still agree, including quoted newlines across cuts.
    /// Fields are trimmed as `str::trim` trims the ordinary importer's decoded text.
    #[test]
    fn fields_trim_like_the_ordinary_importer() {
        assert_eq!(trim_field(b" 2\xc2\xa0"), b"2");
        assert_eq!(trim_field(b"\xc2\xa0 \xc2\xa0"), b"");
        // Windows-1252 no-break spaces around a Windows-1252 field.
        assert_eq!(trim_field(b"\xa0r\xe9gion \xa0"), b"r\xe9gion");
        // "à" ends in byte A0 but is a letter.
        assert_eq!(trim_field(b" voil\xc3\xa0 "), b"voil\xc3\xa0");
        assert_eq!(trim_field(b"\xe9 voil\xc3\xa0"), b"\xe9 voil\xc3\xa0");
        for s in [" a\u{a0}", "\u{a0}\u{a0}", "b", "  ", "Київ\u{a0} "] {
            assert_eq!(trim_field(s.as_bytes()), s.trim().as_bytes(), "{s:?}");
        }
    }

    #[test]
    fn delimiters_are_found_like_memchr() {
        let samples: [&[u8]; 7] = [
            b"",
            b"abc",
            b"abcdefgh,x",
            b"0123456789012345678901234567890123456789\n",
            b"\r",
            b"a\xff\x80,",
            b"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
        ];
        for s in samples {
            for k in 0..s.len().max(1) {
                let d = &s[k.min(s.len())..];
                assert_eq!(
                    find_delimiter(d),
                    memchr::memchr3(b',', b'\n', b'\r', d),
                    "{d:?}"
                );
            }
        }
    }

    #[test]
    fn cuts_fall_between_records() {
        let text = sample(300);
        let buf = text.as_bytes();
        let header_end = buf.iter().position(|b| *b == b'\n').unwrap() + 1;
        let whole = &buf[header_end..];
        let records = |s: &[u8]| {
            csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(s)
                .byte_records()
                .count()
        };
        // A whole body: the last bound is its end; every slice starts at an event id.
        let bounds = cut(whole, false);
        assert_eq!(bounds.last(), Some(&whole.len()));
        let mut n = records(&whole[..bounds[0]]);
        for w in bounds.windows(2) {
            let s = &whole[w[0]..w[1]];
            assert!(
                s.starts_with(b"UKR"),
                "{:?}",
                String::from_utf8_lossy(&s[..20])
            );
            n += records(s);
        }
        assert_eq!(n, 300);
        // Cut short: the incomplete record after the last bound waits for the next batch.
        let short = &whole[..whole.len() - 30];
        let bounds = cut(short, false);
        assert_eq!(records(&short[..*bounds.last().unwrap()]), 299);
        // Starting inside a quoted note that holds a newline: the first bound is after the
        // record, not at the newline inside the note.
        let inside = text.find("Shelling with artillery;").unwrap() - header_end;
        let rest = &whole[inside..];
        let first = cut(rest, true)[0];
        assert!(rest[first..].starts_with(b"UKR"));
        assert!(first > rest.iter().position(|b| *b == b'\n').unwrap() + 1);
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

    /// A file cut off inside the last record's quoted notes: counted and reported as the
    /// importer reports it.
    #[test]
    fn a_truncated_last_record_is_accounted_for() {
        let mut text = sample(2000);
        let cut_at = text.rfind("Russian forces").unwrap() + 10;
        text.truncate(cut_at);
        let (slow, fast) = load_both(&text);
        assert_eq!(fast.records, slow.records);
        assert_eq!(fast.rejected, slow.rejected);
        assert_eq!(fast.loaded() + fast.rejected.len(), fast.records);
    }

    /// A quote that never closes, or closes only megabytes later, with no quote in between:
    /// the same records as the ordinary importer (which reads the field to its closing quote
    /// or the end of the file), without parsing the growing record again with every batch.
    #[test]
    fn a_quote_that_closes_late_or_never_reads_as_the_csv_crate_does() {
        let good = sample(50);
        let header_end = good.find('\n').unwrap() + 1;
        let plain = good[header_end..].replace('"', "");
        let mut never = good.clone();
        never.push_str("UKR-broken,1 March 2024,2024,1,Battles,Armed clash,Ukraine,Kharkiv,X,49.9,36.2,1,Src,\"never closed,0\n");
        while never.len() < 40 * BATCH {
            never.push_str(&plain);
        }
        let mut late = never.clone();
        late.push_str("end of the note\",0\n");
        late.push_str(&good[header_end..]);
        for text in [never, late] {
            let (slow, fast) = load_both(&text);
            assert_eq!(fast.records, slow.records);
            assert_eq!(fast.loaded(), slow.loaded());
            assert_eq!(fast.rejected, slow.rejected);
            let want: Vec<Row> = slow.events.iter().map(Row::of).collect();
            assert_eq!(fast.bulk.as_ref().unwrap().rows, want);
        }
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

    /// The real ACLED exports (layouts of 2019, 2023 and a reordered D/M/Y one) read the
    /// same through the parallel reader as through the importer.
    #[test]
    fn real_acled_exports_read_the_same_in_bulk() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/realdata");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return; // the shared folder is not there (e.g. a clone elsewhere)
        };
        let mut n = 0;
        for e in entries.flatten() {
            let p = e.path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if !name.starts_with("acled") {
                continue;
            }
            let slow = super::super::load_path(&p).unwrap();
            let fast = try_load(&p, &Progress::default()).unwrap().unwrap();
            let want: Vec<Row> = slow.events.iter().map(Row::of).collect();
            assert_eq!(fast.bulk.as_ref().unwrap().rows, want, "{name}");
            assert_eq!(fast.rejected, slow.rejected, "{name}");
            assert_eq!(fast.first_time(), slow.first_time(), "{name}");
            assert_eq!(fast.last_time(), slow.last_time(), "{name}");
            let k = want.len() / 2;
            assert_eq!(
                fast.bulk.as_ref().unwrap().source.event(k).unwrap(),
                slow.events[k]
            );
            n += 1;
        }
        assert_eq!(n, 3);
    }

    #[test]
    fn other_formats_are_left_to_the_normal_importers() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.csv");
        std::fs::write(&p, "latitude,longitude,date\n50,30,2024-01-01\n").unwrap();
        assert!(try_load(&p, &Progress::default()).unwrap().is_none());
    }
}
