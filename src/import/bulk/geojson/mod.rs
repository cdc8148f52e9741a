//! Large GeoJSON FeatureCollections, streamed and parsed on all cores straight into hot rows.
//!
//! One thread reads the file in batches of [`BATCH`] bytes and finds each element of the
//! `features` array by the rules the ordinary reader falls back to for a broken document
//! ([`scan`]: strings and bracket depth, no parsing). The elements of a batch are parsed on all
//! cores ([`lite`]): the geometry and the properties a hot row is read from become values,
//! the rest is checked and dropped. Each feature goes through the GeoJSON rules
//! ([`feature_untimed`](super::super::geojson::feature_untimed)) as far as its time, and its
//! row is kept with its byte range.
//!
//! The property names and the time properties are planned from the first batch and checked
//! against every feature: a name first seen later (which could change what a name means, see
//! [`Keys`]) makes the file be read again with all its names. The date columns are kept as
//! compact texts and read as whole columns ([`read_column`]) once the file is through, as the
//! ordinary reader reads them, and then each row gets its time. An event's full record is read
//! back from the file when the user opens it ([`records`]).

mod chunk;
mod lite;
mod records;
mod scan;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};

use rayon::prelude::*;
use serde_json::Value;

use super::super::dates::{DateColumn, read_column};
use super::super::geojson::{Crs, Keys, Times, outcome_notes, time_candidates};
use super::super::{
    Bulk, Format, ImportError, LoadReport, Progress, RecordRef, Rejection, TimeChoice,
};
use crate::model::EventTime;
use chunk::{Acc, Refused, read_batch};
use lite::Hot;
use records::{GeojsonRecords, Located};
use scan::{Scanner, depth_at_end, find_member, skip_ws};

/// Bytes read per batch; small in tests, so features spanning batches are exercised.
const BATCH: usize = if cfg!(test) { 16 << 10 } else { 8 << 20 };
/// Parts each batch's features are parsed in (in parallel).
const PARTS: usize = 16;
/// The first batch grows until it holds this many features (or the file ends): the time
/// candidates are found in the first 200.
const SAMPLE: usize = 200;
/// ... but not beyond this.
const FIRST_MAX: usize = 64 << 20;
/// Features of the first batch kept whole, for the rules that look at the first ones.
const SAMPLE_KEEP: usize = 1000;
/// The document after the feature array is kept whole, up to this size.
const SUFFIX_MAX: usize = 16 << 20;

/// Read a large GeoJSON FeatureCollection as hot rows; `None` for anything else, and for
/// what the ordinary reader should read and explain (a document broken around its features,
/// text that is not UTF-8).
pub(super) fn try_load(
    path: &Path,
    progress: &Progress,
    time_key: Option<&str>,
) -> Result<Option<LoadReport>, ImportError> {
    let mut fixed = None;
    // A second read (names first seen late, a CRS after the features) knows both.
    for _ in 0..3 {
        progress.done.store(0, Ordering::Relaxed);
        match run(path, progress, time_key, fixed.take())? {
            Run::Done(r) => return Ok(Some(*r)),
            Run::NotHere => return Ok(None),
            Run::Again(f) => fixed = Some(f),
        }
    }
    Ok(None)
}

/// What the file was found to have that the plan did not assume.
struct Fixed {
    /// All property names, in first-seen order.
    names: Vec<String>,
    /// The CRS the whole document declares.
    crs: Crs,
}

/// The outcome of one read of the file.
enum Run {
    Done(Box<LoadReport>),
    NotHere,
    Again(Fixed),
}

/// How the file is read, planned from its first batch.
struct Plan {
    keys: Keys,
    crs: Crs,
    hot: Hot,
    /// The time properties, in the order a feature's time is looked for.
    order: Vec<String>,
    /// The end property.
    end_key: Option<String>,
    /// The slot of each date column's property: the `order` ones, then the end one.
    column_slots: Vec<u16>,
    /// Notes of the plan (a time property found by content).
    notes: Vec<String>,
    /// The first features, whole (broken ones as null).
    sample: Vec<Value>,
    /// No property is named as a date: the time property is found in the first 200 features
    /// with properties.
    content_dated: bool,
    /// The document up to the feature array's `[`.
    prefix: Vec<u8>,
}

/// One batch from the reading thread.
struct Batch {
    buf: Vec<u8>,
    /// File offset of `buf[0]`.
    base: u64,
    /// The features whose bytes end in `buf`, whitespace trimmed.
    elems: Vec<Range<usize>>,
    /// The first batch: the document up to and including the array's `[`.
    prefix: Option<Vec<u8>>,
    /// The last batch: how the array ended.
    end: Option<End>,
}

/// How the feature array ended.
enum End {
    /// At its closing bracket, followed by the rest of the document.
    Closed(Vec<u8>),
    /// The file ends inside it.
    Truncated,
    /// The rest of the document is too long to keep.
    TooLong,
}

/// What the reading thread sends.
enum Msg {
    /// Not a FeatureCollection whose `features` array opens in the first batch.
    NotHere,
    Batch(Batch),
}

/// Append up to `n` bytes of `file` to `buf`; whether the file ended.
fn fill(file: &mut std::fs::File, buf: &mut Vec<u8>, n: usize) -> std::io::Result<bool> {
    let got = file.take(n as u64).read_to_end(buf)?;
    Ok(got < n)
}

/// The reading thread: batches of the file, their features found, into `tx`.
fn read_batches(
    mut file: std::fs::File,
    tx: SyncSender<std::io::Result<Msg>>,
    back: Receiver<Vec<u8>>,
    cancel: &AtomicBool,
) {
    if let Err(e) = stream(&mut file, &tx, &back, cancel) {
        let _ = tx.send(Err(e));
    }
}

/// The body of [`read_batches`].
fn stream(
    file: &mut std::fs::File,
    tx: &SyncSender<std::io::Result<Msg>>,
    back: &Receiver<Vec<u8>>,
    cancel: &AtomicBool,
) -> std::io::Result<()> {
    let mut buf = Vec::with_capacity(BATCH);
    let mut eof = fill(file, &mut buf, BATCH)?;
    let bom = if buf.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let start = skip_ws(&buf, bom);
    let open = match buf.get(start) {
        Some(b'{') => find_member(&buf, start, b"features"),
        _ => None,
    };
    let Some(open) = open.filter(|&o| buf.get(o) == Some(&b'[')) else {
        let _ = tx.send(Ok(Msg::NotHere));
        return Ok(());
    };
    let mut prefix = Some(buf[..=open].to_vec());
    let mut scanner = Scanner::at(open + 1);
    let mut pos = open + 1;
    let mut base = 0u64;
    let mut elems = Vec::new();
    loop {
        pos = scanner.scan(&buf, pos, &mut elems);
        let end = if scanner.closed {
            Some(rest_of(file, &buf[pos..])?.map_or(End::TooLong, End::Closed))
        } else if eof {
            scanner.finish(&buf, &mut elems);
            Some(End::Truncated)
        } else {
            None
        };
        if end.is_none() && prefix.is_some() && elems.len() < SAMPLE && buf.len() < FIRST_MAX {
            eof = fill(file, &mut buf, BATCH)?;
            continue;
        }
        let last = end.is_some();
        let carry_from = scanner.elem_start.min(buf.len());
        let mut next = back.try_recv().unwrap_or_default();
        next.clear();
        if !last {
            next.extend_from_slice(&buf[carry_from..]);
        }
        let batch = Batch {
            buf,
            base,
            elems: std::mem::take(&mut elems),
            prefix: prefix.take(),
            end,
        };
        if tx.send(Ok(Msg::Batch(batch))).is_err() || last || cancel.load(Ordering::Relaxed) {
            return Ok(());
        }
        base += carry_from as u64;
        pos = next.len();
        scanner.elem_start = 0;
        eof = fill(file, &mut next, BATCH)?;
        buf = next;
    }
}

/// The document after the feature array: `tail` and the rest of the file; `None` when it is
/// longer than [`SUFFIX_MAX`].
fn rest_of(file: &mut std::fs::File, tail: &[u8]) -> std::io::Result<Option<Vec<u8>>> {
    if tail.len() > SUFFIX_MAX {
        return Ok(None);
    }
    let mut rest = tail.to_vec();
    fill(file, &mut rest, SUFFIX_MAX + 1 - tail.len())?;
    Ok((rest.len() <= SUFFIX_MAX).then_some(rest))
}

/// One read of the file: the reading thread finds the features while the cores parse the
/// batch before.
fn run(
    path: &Path,
    progress: &Progress,
    time_key: Option<&str>,
    fixed: Option<Fixed>,
) -> Result<Run, ImportError> {
    let name = path.display().to_string();
    let io = |source| ImportError::Io {
        path: name.clone(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    std::thread::scope(|scope| {
        // One batch in flight while one is parsed; parsed batches go back to be reused.
        let (tx, rx) = std::sync::mpsc::sync_channel::<std::io::Result<Msg>>(1);
        let (back_tx, back_rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(3);
        let cancel = &progress.cancel;
        scope.spawn(move || read_batches(file, tx, back_rx, cancel));
        let mut plan: Option<Plan> = None;
        let mut acc = Acc::default();
        let mut end = None;
        let mut fixed = fixed;
        for msg in rx {
            if progress.cancelled() {
                return Err(ImportError::Cancelled { file: name.clone() });
            }
            let mut batch = match msg.map_err(io)? {
                Msg::NotHere => return Ok(Run::NotHere),
                Msg::Batch(b) => b,
            };
            if let Some(prefix) = batch.prefix.take() {
                match Plan::new(&name, prefix, &batch, time_key, fixed.take())? {
                    Some(p) => plan = Some(p),
                    None => return Ok(Run::NotHere),
                }
            }
            let Some(plan) = &plan else {
                return Ok(Run::NotHere);
            };
            let first = acc.records;
            let outs = read_batch(plan, &batch, first);
            for o in outs {
                if !acc.append(o) {
                    return Ok(Run::NotHere);
                }
            }
            acc.records += batch.elems.len();
            let done = batch.base + batch.buf.len() as u64;
            progress.done.store(done.min(size), Ordering::Relaxed);
            end = batch.end.take().or(end);
            let _ = back_tx.try_send(batch.buf);
        }
        // The reading thread stops early when the user cancels.
        if progress.cancelled() {
            return Err(ImportError::Cancelled { file: name.clone() });
        }
        let (Some(plan), Some(end)) = (plan, end) else {
            return Ok(Run::NotHere);
        };
        let r = finish(path, &name, size, time_key, plan, acc, end)?;
        progress.done.store(size, Ordering::Relaxed);
        Ok(r)
    })
}

impl Plan {
    /// The plan from the document's start (`prefix`) and its first batch; `None` when the
    /// document is not a FeatureCollection the ordinary reader would read as this one.
    fn new(
        name: &str,
        prefix: Vec<u8>,
        batch: &Batch,
        time_key: Option<&str>,
        fixed: Option<Fixed>,
    ) -> Result<Option<Self>, ImportError> {
        let Some(root) = shell(&prefix, &End::Truncated) else {
            return Ok(None);
        };
        let kind = root
            .get("type")
            .map(|t| t.as_str() == Some("FeatureCollection"));
        if kind == Some(false) {
            return Ok(None);
        }
        let crs = match &fixed {
            Some(f) => f.crs,
            None => Crs::of(name, &root)?,
        };
        // The first features whole, and the property names of all of the first batch.
        let parsed: Vec<(Vec<String>, Option<Value>)> = batch
            .elems
            .par_iter()
            .enumerate()
            .map(|(k, r)| {
                let v: Value = serde_json::from_slice(&batch.buf[r.clone()]).unwrap_or(Value::Null);
                let names = v
                    .get("properties")
                    .and_then(Value::as_object)
                    .map(|p| p.keys().cloned().collect())
                    .unwrap_or_default();
                (names, (k < SAMPLE_KEEP).then_some(v))
            })
            .collect();
        let names = match fixed {
            Some(f) => f.names,
            None => {
                let mut seen: HashSet<&str> = HashSet::new();
                let mut names = Vec::new();
                for n in parsed.iter().flat_map(|(n, _)| n) {
                    if seen.insert(n) {
                        names.push(n.clone());
                    }
                }
                names
            }
        };
        let sample: Vec<Value> = parsed.into_iter().filter_map(|(_, v)| v).collect();
        let keys = Keys::from_names(names);
        let mut notes = Vec::new();
        // Without features, the plan shows whether it looks into them at all.
        let content_dated =
            time_key.is_none() && Times::plan(&[], &keys, None, &mut Vec::new()).0.is_empty();
        let (order, end_key) = Times::plan(&sample, &keys, time_key, &mut notes);
        let mut read: Vec<String> = keys.row_names().into_iter().map(str::to_owned).collect();
        let mut column_slots = Vec::new();
        for k in order.iter().chain(&end_key) {
            let slot = match read.iter().position(|r| r == k) {
                Some(s) => s,
                None => {
                    read.push(k.clone());
                    read.len() - 1
                }
            };
            column_slots.push(u16::try_from(slot).unwrap_or(u16::MAX));
        }
        let hot = Hot::new(keys.names(), read);
        Ok(Some(Self {
            keys,
            crs,
            hot,
            order,
            end_key,
            column_slots,
            notes,
            sample,
            content_dated,
            prefix,
        }))
    }

    /// Whether the first features kept decide what the ordinary reader decides from the
    /// first 200 (with properties, to find a time property by content) of `records`.
    fn sample_suffices(&self, records: usize) -> bool {
        let with_props = self
            .sample
            .iter()
            .filter(|f| f.get("properties").is_some_and(Value::is_object))
            .count();
        self.sample.len() == records
            || (self.sample.len() >= SAMPLE && (!self.content_dated || with_props >= SAMPLE))
    }
}

/// The document around the feature array, the array emptied (and closed with the objects it
/// is in when the file ends inside it), as `json_split` makes it; `None` if it does not parse.
fn shell(prefix: &[u8], end: &End) -> Option<Value> {
    let prefix = prefix.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(prefix);
    let mut doc = prefix.to_vec();
    doc.push(b']');
    match end {
        End::Closed(suffix) => doc.extend_from_slice(suffix),
        End::Truncated => {
            let depth = depth_at_end(&prefix[..prefix.len().saturating_sub(1)]);
            doc.extend(std::iter::repeat_n(b'}', depth));
        }
        End::TooLong => return None,
    }
    serde_json::from_slice(&doc).ok()
}

/// The file read through: check the document around the features, read the date columns and
/// give each row its time; or what to read again with.
fn finish(
    path: &Path,
    name: &str,
    size: u64,
    time_key: Option<&str>,
    plan: Plan,
    mut acc: Acc,
    end: End,
) -> Result<Run, ImportError> {
    let Some(root) = shell(&plan.prefix, &end) else {
        return Ok(Run::NotHere);
    };
    // What the ordinary reader reads as this collection: the shell parsed, its one
    // `features` the array read (a later duplicate would win there).
    let collection = root.get("type").and_then(Value::as_str) == Some("FeatureCollection")
        && root
            .get("features")
            .and_then(Value::as_array)
            .is_some_and(Vec::is_empty);
    if !collection {
        return Ok(Run::NotHere);
    }
    let crs = Crs::of(name, &root)?;
    if crs != plan.crs || !acc.new_names.is_empty() {
        let mut names = plan.keys.names().to_vec();
        names.append(&mut acc.new_names);
        return Ok(Run::Again(Fixed { names, crs }));
    }
    let records = acc.records;
    if !plan.sample_suffices(records) {
        return Ok(Run::NotHere);
    }
    let mut notes = Vec::new();
    if matches!(end, End::Truncated)
        && let Some(last) = acc.refused.last_mut()
        && last.broken
        && last.index + 1 == records
    {
        notes.push(format!(
            "the file ends inside feature {records}: it looks cut off; the features before it are loaded"
        ));
        last.detail = "the file ends inside this feature".to_owned();
    }
    let Plan {
        keys,
        crs,
        order,
        end_key,
        notes: mut plan_notes,
        sample,
        ..
    } = plan;
    notes.append(&mut plan_notes);
    let times = read_times(&mut acc, order, end_key, time_key, &mut notes);
    let mut used: BTreeMap<&str, usize> = BTreeMap::new();
    let mut shapes: BTreeMap<&'static str, usize> = BTreeMap::new();
    let timed = give_times(&mut acc, &times, &mut used, &mut shapes);
    let used = outcome_notes(&mut notes, time_key, &used, shapes, crs);
    drop(times);
    notes.push(format!(
        "large file: read on {} threads; an event's texts are read from the file when it is opened",
        rayon::current_num_threads()
    ));
    let mut refused = std::mem::take(&mut acc.refused);
    refused.extend(timed.refused);
    refused.sort_by_key(|r| r.index);
    let mut report = LoadReport::new(name, Format::Geojson, records);
    report.rejected = refused
        .into_iter()
        .map(|r| Rejection {
            record: RecordRef::Feature(r.index + 1),
            reason: r.reason,
            detail: r.detail,
        })
        .collect();
    report.notes = notes;
    report.time_choice = Some(TimeChoice {
        used,
        candidates: time_candidates(&sample, &keys),
    });
    let located = Located {
        offsets: acc.offsets,
        lens: acc.lens,
        index: acc.index,
        times: timed.times,
    };
    report.bulk = Some(Bulk {
        rows: acc.rows,
        areas: acc.areas,
        source: Box::new(GeojsonRecords::new(path, name, size, located, keys, crs)),
        first: timed.first,
        last: timed.last,
    });
    Ok(Run::Done(Box::new(report)))
}

/// The date columns, each read from all features' texts at once (the columns in parallel);
/// the texts are dropped.
fn read_times(
    acc: &mut Acc,
    order: Vec<String>,
    end_key: Option<String>,
    time_key: Option<&str>,
    notes: &mut Vec<String>,
) -> Times {
    let texts = std::mem::take(&mut acc.texts);
    let names: Vec<&String> = order.iter().chain(&end_key).collect();
    let mut columns: Vec<DateColumn> = names
        .par_iter()
        .zip(texts.par_iter())
        .map(|(k, t)| read_column(k, &t.refs()))
        .collect();
    drop(texts);
    let end = match end_key {
        Some(k) => columns.pop().map(|c| (k, c)),
        None => None,
    };
    Times::new(order, columns, end, time_key.is_some(), notes)
}

/// What [`give_times`] found.
struct Timed {
    /// Each kept row's time.
    times: Vec<EventTime>,
    /// Features refused for their time.
    refused: Vec<Refused>,
    first: Option<i64>,
    last: Option<i64>,
}

/// Give each row its time, or refuse its feature for it (the row is dropped); count the
/// time properties used and the geometries of the rows kept.
fn give_times<'t>(
    acc: &mut Acc,
    times: &'t Times,
    used: &mut BTreeMap<&'t str, usize>,
    shapes: &mut BTreeMap<&'static str, usize>,
) -> Timed {
    let n = acc.rows.len();
    let mut out = Timed {
        times: Vec::with_capacity(n),
        refused: Vec::new(),
        first: None,
        last: None,
    };
    let mut shape_at = acc.shapes.iter().peekable();
    let mut w = 0;
    for k in 0..n {
        let shape = match shape_at.peek() {
            Some(&&(p, s)) if p == k => {
                shape_at.next();
                Some(s)
            }
            _ => None,
        };
        match times.of(acc.index[k], acc.declared[k]) {
            Ok((t, key)) => {
                *used.entry(key).or_default() += 1;
                if let Some(s) = shape {
                    *shapes.entry(s).or_default() += 1;
                }
                let mut row = acc.rows[k];
                row.start = t.start;
                row.end = t.end;
                acc.rows[w] = row;
                acc.offsets[w] = acc.offsets[k];
                acc.lens[w] = acc.lens[k];
                acc.index[w] = acc.index[k];
                out.times.push(t);
                out.first = Some(out.first.map_or(t.start, |f| f.min(t.start)));
                out.last = Some(out.last.map_or(t.end - 1, |l| l.max(t.end - 1)));
                w += 1;
            }
            Err((reason, detail)) => out.refused.push(Refused {
                index: acc.index[k],
                reason,
                detail,
                broken: false,
            }),
        }
    }
    acc.rows.truncate(w);
    acc.offsets.truncate(w);
    acc.lens.truncate(w);
    acc.index.truncate(w);
    out
}
