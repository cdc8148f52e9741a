//! Parsing one slice of whole records into hot rows by the ACLED rules ([`acled`]), on one
//! core, with caches for the few distinct dates and sub-event types, and the notes of the whole
//! slice searched for weapon keywords in one go.

use std::borrow::Cow;
use std::collections::HashMap;

use super::super::records::Refusal;
use super::super::time::{DateEvidence, DayOrder, parse_loose_date};
use super::super::{RecordRef, RejectReason, Rejection, acled, fields};
use super::split::{split_record, trim_field};
use crate::model::{Seconds, TimePrecision, Weapon};
use crate::store::{Areas, Row, UNKNOWN};
use acled::Cols;

/// Rows, rejections and findings of a run of records: one slice, or (appended in order) the
/// whole file.
#[derive(Debug, Default)]
pub(super) struct SliceOut {
    /// Newlines in the slice (to number the next slice's lines).
    pub newlines: u64,
    /// End of the last whole record (the slice's length when it ends cleanly).
    pub complete_end: usize,
    /// The last record is cut off (by the end of the data).
    pub unterminated: bool,
    /// ... inside a quoted field, which only a quote can close.
    pub open_quote: bool,
    pub rows: Vec<Row>,
    /// The regions and countries the rows' areas point at.
    pub areas: Areas,
    pub offsets: Vec<u64>,
    pub rejected: Vec<Rejection>,
    pub records: usize,
    pub first: Option<Seconds>,
    pub last: Option<Seconds>,
    pub evidence: DateEvidence,
    pub cp1252: bool,
}

/// Everything parsed from the file: the slices appended in order.
pub(super) type Parsed = SliceOut;

impl SliceOut {
    /// Append the next slice's results; returns its emptied row buffers for reuse.
    pub fn append(&mut self, mut s: SliceOut) -> Buffers {
        let map = self.areas.absorb(&s.areas);
        Areas::remap(&mut s.rows, &map);
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
pub(super) type Buffers = (Vec<Row>, Vec<u64>);

/// Spare [`Buffers`], shared by the workers.
pub(super) type Pool = std::sync::Mutex<Vec<Buffers>>;

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

/// Text of a field, decoded as the whole-file reader does ([`fields::decode`]); notes in
/// `cp1252` that some bytes were not UTF-8.
pub(super) fn text<'a>(b: &'a [u8], cp1252: &mut bool) -> Cow<'a, str> {
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
    fn record(&mut self, fields: &[&[u8]], offset: u64) -> Option<Refusal> {
        self.out.records += 1;
        if let Some(why) = fields::oversize(fields.iter().map(|f| f.len()).sum()) {
            return Some((RejectReason::Malformed, why));
        }
        match self.row(fields) {
            Ok(row) => {
                self.out.rows.push(row);
                self.out.offsets.push(offset);
                None
            }
            Err(refusal) => Some(refusal),
        }
    }

    /// A record's hot row by the ACLED rules ([`acled`]), its weapon still unknown (set from
    /// the notes in [`SliceParser::finish`]).
    fn row(&mut self, fields: &[&[u8]]) -> Result<Row, Refusal> {
        let cols = *self.cols;
        let get = |i: Option<usize>| -> Option<&[u8]> {
            i.and_then(|i| fields.get(i).copied())
                .map(trim_field)
                .filter(|b| !b.is_empty())
        };
        let mut cp = false;
        // The date is looked at before the coordinates: every dated row is evidence for the
        // day/month order, as in the ACLED importer, even if it is rejected for its place.
        let date_b = get(cols.date);
        let day = date_b.map(|date_b| self.day(date_b, &mut cp));
        let lat = get(cols.lat).map(|b| text(b, &mut cp));
        let lon = get(cols.lon).map(|b| text(b, &mut cp));
        let (lat, lon) = fields::coords(lat.as_deref(), lon.as_deref())?;
        let (Some(date_b), Some(day)) = (date_b, day) else {
            return Err((RejectReason::MissingDate, acled::MISSING_DATE.into()));
        };
        let day = acled::stated_day(day, || text(date_b, &mut false).into_owned())?;
        let (time, _) = acled::event_time(day, get(cols.time_precision));
        let stated = (time.precision == TimePrecision::Range).then_some(day);
        let precision = acled::location_precision(get(cols.geo_precision));
        let sub = get(cols.sub_event).unwrap_or_default();
        let notes = get(cols.notes).unwrap_or_default();
        // The weapon is set when the slice's notes have been searched (`finish`).
        self.notes.extend(notes.iter().map(u8::to_ascii_lowercase));
        self.notes.push(b'\n');
        self.note_ends
            .push(u32::try_from(self.notes.len()).unwrap_or(u32::MAX));
        let kind = self.sub_kind(sub);
        self.subs.push(kind);
        let killed = get(cols.fatalities)
            .and_then(|b| fields::count(&text(b, &mut cp)))
            .unwrap_or(UNKNOWN);
        let (x, y) = crate::model::mercator(lat, lon);
        let admin1 = get(cols.admin1).map(|b| text(b, &mut cp));
        let country = get(cols.country).map(|b| text(b, &mut cp));
        let area = self.out.areas.intern(admin1.as_deref(), country.as_deref());
        let out = &mut self.out;
        out.first = min_opt(out.first, Some(stated.unwrap_or(time.start)));
        out.last = max_opt(out.last, Some(stated.unwrap_or(time.end - 1)));
        out.cp1252 |= cp;
        Ok(Row {
            start: time.start,
            end: time.end,
            x: x as f32,
            y: y as f32,
            killed,
            area,
            precision: precision.index() as u8,
            // Weapon and target are set when the slice's notes have been searched (`finish`).
            ..Row::default()
        })
    }

    /// The day an event_date reads as (`None`: not a date), cached: a file has few distinct
    /// dates. Each new one is evidence for the day/month order.
    fn day(&mut self, date_b: &[u8], cp: &mut bool) -> Option<Seconds> {
        if let Some((k, v)) = &self.last_date
            && k.as_slice() == date_b
        {
            return *v;
        }
        let v = match self.dates.get(date_b) {
            Some(v) => *v,
            None => {
                let s = text(date_b, cp);
                self.out.evidence.see(&s);
                let v = parse_loose_date(&s, self.order);
                self.dates.insert(date_b.to_vec(), v);
                v
            }
        };
        self.last_date = Some((date_b.to_vec(), v));
        v
    }

    /// The kind of a sub-event type, classified once per distinct value.
    fn sub_kind(&mut self, sub: &[u8]) -> acled::SubEvent {
        if let Some((_, kind)) = self.sub_kinds.iter().find(|(k, _)| k.as_slice() == sub) {
            return *kind;
        }
        let kind = acled::SubEvent::of(sub);
        if self.sub_kinds.len() < 64 {
            self.sub_kinds.push((sub.to_vec(), kind));
        }
        kind
    }
}

impl SliceParser<'_> {
    /// Set every row's weapon from one keyword search over the slice's notes.
    fn finish(mut self) -> SliceOut {
        let words = acled::note_words_joined(&self.notes, &self.note_ends);
        let targets = acled::targets_joined(&self.notes, &self.note_ends);
        let rows = self.out.rows.iter_mut().zip(words).zip(&self.subs);
        for (((row, w), sub), t) in rows.zip(targets) {
            let weapon = sub.weapon(w);
            row.weapon = weapon.unwrap_or(Weapon::Unknown).index() as u8;
            row.weapons = weapon.map_or(0, |w| 1 << w.index());
            row.target = t.map_or(crate::store::NO_TARGET, |t| t.index() as u8);
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

impl<'c> SliceParser<'c> {
    /// A parser for the slice `data`, with the thread's scratch buffers and spare row
    /// buffers from the pool.
    fn new(cols: &'c Cols, order: &'c DayOrder, data: &[u8], pool: &Pool) -> Self {
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
        p
    }
}

/// Parse one slice of whole records. `offset` is the slice's byte offset in the file; lines
/// are counted from 1 at the slice's start (see [`super::pipeline`]). [`split_record`] finds the
/// records; the few it cannot give exactly are decoded by the csv crate. Unless `last` (the
/// end of the file), a record cut off inside quotes stops the slice, unparsed.
#[inline(never)]
pub(super) fn parse_slice(
    data: &[u8],
    offset: u64,
    cols: &Cols,
    order: &DayOrder,
    last: bool,
    pool: &Pool,
) -> SliceOut {
    let mut p = SliceParser::new(cols, order, data, pool);
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
                record: RecordRef::Row(lines.at(data, r.start)),
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
