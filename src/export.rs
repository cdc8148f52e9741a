//! Events written out as loaded, in one clean schema: strikemap GeoJSON (the bundled data's
//! schema, which the importer reads back) or one CSV row per event with the same fields.
//! Whatever a file came as (ACLED, UCDP, GDELT, TimeMap, a workbook, KML), its events come
//! out with their time range and precision, location and precision, counts ("not reported"
//! stays empty, never 0), sources, the file they came from and every kept property.
//!
//! No egui: the `export` command and File → Export events… both write through
//! [`export_datasets`].

use crate::filter::EventFilter;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::Ordering;

use serde_json::{Map, Value, json};

use crate::import::Progress;
use crate::model::{DAY, Event, EventTime, LocationPrecision, Target, TimePrecision, Weapon};
use crate::store::{DatasetData, Details};

/// The output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// A GeoJSON FeatureCollection in the strikemap schema.
    Geojson,
    /// CSV, one row per event, the same fields as columns.
    Csv,
}

impl ExportFormat {
    /// The format a file name asks for (`.csv`/`.tsv` → CSV, anything else GeoJSON).
    pub fn for_path(path: &std::path::Path) -> Self {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
        {
            Some(e) if e == "csv" || e == "tsv" || e == "txt" => Self::Csv,
            _ => Self::Geojson,
        }
    }
}

/// One event with the file it came from.
pub struct Exported<'a> {
    /// The event.
    pub event: &'a Event,
    /// The file it was read from (as the user named it).
    pub file: &'a str,
}

/// The fixed columns of the CSV form, in order (extra properties follow).
pub const CSV_COLUMNS: [&str; 27] = [
    "id",
    "title",
    "time_start",
    "time_end",
    "time_precision",
    "time_note",
    "stated_date",
    "latitude",
    "longitude",
    "location_precision",
    "location_note",
    "place",
    "admin1",
    "country",
    "weapon",
    "weapon_detail",
    "target",
    "killed",
    "injured",
    "killed_low",
    "killed_high",
    "children_killed",
    "children_injured",
    "launched",
    "intercepted",
    "description",
    "sources",
];

/// Extra column for where the event came from.
const SOURCE_FILE: &str = "source_file";

/// An ISO 8601 UTC date-time.
fn iso(t: i64) -> String {
    // A whole-second timestamp displays as "YYYY-MM-DDTHH:MM:SSZ" (RFC 3339 in UTC).
    jiff::Timestamp::from_second(t)
        .map(|ts| ts.to_string())
        .unwrap_or_else(|_| t.to_string())
}

/// A time as `time_start`, `time_end` and `time_precision`, written so the importer reads
/// back the same interval: days as dates (an end date inclusive), other times as UTC
/// date-times (an end date-time exact).
pub fn time_fields(t: &EventTime) -> (String, Option<String>, &'static str) {
    let whole_days = t.start.rem_euclid(DAY) == 0 && t.end.rem_euclid(DAY) == 0;
    let date = crate::model::fmt_date;
    match t.precision {
        TimePrecision::Day if whole_days && t.span() == DAY => (date(t.start), None, "day"),
        TimePrecision::Minute => (iso(t.start), None, "minute"),
        TimePrecision::Hour => (iso(t.start), None, "hour"),
        _ if whole_days => (date(t.start), Some(date(t.end - DAY)), "range"),
        _ => (iso(t.start), Some(iso(t.end)), "range"),
    }
}

/// A serde key (snake_case) of a model enum.
fn key<T: serde::Serialize>(v: &T) -> Option<String> {
    match serde_json::to_value(v).ok()? {
        Value::String(s) => Some(s),
        _ => None,
    }
}

/// The keys of the model enums a CSV row writes, worked out once (a million rows need not
/// serialise three enums each).
struct EnumKeys {
    weapon: Vec<String>,
    target: Vec<String>,
    precision: Vec<String>,
}

impl EnumKeys {
    /// The keys, built on first use.
    fn get() -> &'static Self {
        static KEYS: std::sync::OnceLock<EnumKeys> = std::sync::OnceLock::new();
        fn keys<T: serde::Serialize>(all: &[T]) -> Vec<String> {
            all.iter().map(|v| key(v).unwrap_or_default()).collect()
        }
        KEYS.get_or_init(|| Self {
            weapon: keys(&Weapon::ALL),
            target: keys(&Target::ALL),
            precision: keys(&LocationPrecision::ALL),
        })
    }
}

/// The key at `i` of `keys` ("" if none).
fn key_at(keys: &[String], i: usize) -> &str {
    keys.get(i).map_or("", String::as_str)
}

/// Our schema's properties of an event, as a GeoJSON feature of an export has them (without
/// its source file and extra properties): for writers of other documents (drafts).
pub fn event_properties(e: &Event) -> Map<String, Value> {
    let mut p = properties(e, "");
    p.remove(SOURCE_FILE);
    p
}

/// Our schema's properties of an event (without its extra properties).
fn properties(e: &Event, file: &str) -> Map<String, Value> {
    let (start, end, precision) = time_fields(&e.time);
    let mut p = Map::new();
    let mut put = |k: &str, v: Value| {
        if !v.is_null() {
            p.insert(k.to_owned(), v);
        }
    };
    put("id", json!(e.id));
    put("title", json!(e.title));
    put("time_start", json!(start));
    put("time_end", json!(end));
    put("time_precision", json!(precision));
    put("time_note", json!(e.time_note));
    put(
        "stated_date",
        json!(e.stated_date.map(crate::model::fmt_date)),
    );
    put("location_precision", json!(key(&e.location.precision)));
    put("location_note", json!(e.location_note));
    put("place", json!(e.location.place));
    put("admin1", json!(e.location.admin1));
    put("country", json!(e.location.country));
    let weapons: Vec<String> = e.weapons.iter().filter_map(key).collect();
    if !weapons.is_empty() {
        put("weapon", json!(weapons));
    }
    put("weapon_detail", json!(e.weapon_detail));
    put("target", json!(e.target.as_ref().and_then(key)));
    put("killed", json!(e.killed));
    put("injured", json!(e.injured));
    put("killed_low", json!(e.killed_range.map(|r| r.0)));
    put("killed_high", json!(e.killed_range.map(|r| r.1)));
    put("children_killed", json!(e.children_killed));
    put("children_injured", json!(e.children_injured));
    put("launched", json!(e.launched));
    put("intercepted", json!(e.intercepted));
    put("description", json!(e.description));
    if !e.sources.is_empty() {
        let sources: Vec<Value> = e
            .sources
            .iter()
            .map(|s| {
                let mut o = Map::new();
                for (k, v) in [
                    ("outlet", &s.outlet),
                    ("title", &s.title),
                    ("url", &s.url),
                    ("published", &s.published),
                    ("quoted", &s.quoted),
                ] {
                    if let Some(v) = v {
                        o.insert(k.to_owned(), json!(v));
                    }
                }
                Value::Object(o)
            })
            .collect();
        put("sources", Value::Array(sources));
    }
    put(SOURCE_FILE, json!(file));
    p
}

/// An extra property's name in the output: as it was, unless it is one of our schema's
/// names (a file's own "time_start" or "killed" would be read back as ours), then prefixed.
fn extra_name(k: &str) -> std::borrow::Cow<'_, str> {
    let ours = CSV_COLUMNS.iter().any(|c| c.eq_ignore_ascii_case(k))
        || SOURCE_FILE.eq_ignore_ascii_case(k)
        || crate::import::is_schema_property(k);
    if ours {
        std::borrow::Cow::Owned(format!("original {k}"))
    } else {
        std::borrow::Cow::Borrowed(k)
    }
}

/// Write events as a strikemap GeoJSON FeatureCollection, one feature per line. Returns how
/// many were written.
pub fn write_geojson<'a>(
    events: impl IntoIterator<Item = Exported<'a>>,
    out: &mut dyn Write,
) -> std::io::Result<usize> {
    out.write_all(GEOJSON_HEAD)?;
    let mut n = 0;
    for x in events {
        write_feature(out, x.event, x.file, n == 0)?;
        n += 1;
    }
    out.write_all(GEOJSON_TAIL)?;
    Ok(n)
}

/// What a GeoJSON export starts with, before its features.
const GEOJSON_HEAD: &[u8] = b"{\"type\":\"FeatureCollection\",\"features\":[\n";

/// What a GeoJSON export ends with, after its features.
const GEOJSON_TAIL: &[u8] = b"\n]}\n";

/// One event as a feature line (after a separator unless it is the `first`).
fn write_feature(out: &mut dyn Write, e: &Event, file: &str, first: bool) -> std::io::Result<()> {
    let mut props = properties(e, file);
    for (k, v) in &e.extra {
        props
            .entry(extra_name(k).into_owned())
            .or_insert_with(|| json!(v));
    }
    let f = json!({
        "type": "Feature",
        "id": e.id,
        "geometry": {"type": "Point", "coordinates": [e.location.lon, e.location.lat]},
        "properties": props,
    });
    if !first {
        out.write_all(b",\n")?;
    }
    serde_json::to_writer(&mut *out, &f)?;
    Ok(())
}

/// Write events as CSV: the schema's columns, `source_file`, then every extra property any
/// event has (in first-seen order). Returns how many were written.
pub fn write_csv(events: &[Exported<'_>], out: &mut dyn Write) -> std::io::Result<usize> {
    let mut extras = CsvExtras::default();
    for x in events {
        extras.add(x.event);
    }
    let mut w = csv::Writer::from_writer(out);
    w.write_record(csv_header(&extras.names))
        .map_err(std::io::Error::other)?;
    let mut row = Vec::new();
    for x in events {
        csv_row_into(x.event, x.file, &extras, &mut row);
        w.write_record(row.iter().map(|f| f.as_bytes()))
            .map_err(std::io::Error::other)?;
    }
    w.flush()?;
    Ok(events.len())
}

/// The extra-property columns of a CSV export, in first-seen order.
#[derive(Clone, Default)]
struct CsvExtras {
    names: Vec<String>,
    /// Each name's position in `names`.
    seen: std::collections::HashMap<String, usize>,
    /// The events' own property names (what [`extra_name`] made of them) with their
    /// columns, in the order first added, so the rows of a million events need not rename
    /// each property again. Events of one file list their properties in the same order, so
    /// a row's next property is most often the neighbour of its last one, found without
    /// hashing ([`CsvExtras::column_near`]).
    order: Vec<(String, usize)>,
    /// Each raw name's position in `order`.
    raw: std::collections::HashMap<String, usize>,
}

impl CsvExtras {
    /// Add the extra properties of `e` not seen yet.
    fn add(&mut self, e: &Event) {
        for (k, _) in &e.extra {
            if !self.raw.contains_key(&**k) {
                self.insert_property(k);
            }
        }
    }

    /// Add the column of the property named `k` (as an event has it).
    fn insert_property(&mut self, k: &str) {
        let name = extra_name(k).into_owned();
        self.insert(name.clone());
        if let Some(&j) = self.seen.get(&name)
            && !self.raw.contains_key(k)
        {
            self.raw.insert(k.to_owned(), self.order.len());
            self.order.push((k.to_owned(), j));
        }
    }

    /// Add the column `name` (an output name) if it is not there yet.
    fn insert(&mut self, name: String) {
        if !self.seen.contains_key(&name) {
            self.seen.insert(name.clone(), self.names.len());
            self.names.push(name);
        }
    }

    /// The column of the property named `k`.
    fn column_of(&self, k: &str) -> Option<usize> {
        match self.raw.get(k) {
            Some(&p) => self.order.get(p).map(|o| o.1),
            None => self.seen.get(extra_name(k).as_ref()).copied(),
        }
    }

    /// [`CsvExtras::column_of`], trying first the raw name at `*near` in the order added;
    /// `*near` is left at the name found, so a caller walking an event's properties
    /// backwards asks next for the one before it.
    fn column_near(&self, k: &str, near: &mut usize) -> Option<usize> {
        if let Some((name, j)) = self.order.get(*near)
            && name == k
        {
            *near = near.wrapping_sub(1);
            return Some(*j);
        }
        match self.raw.get(k) {
            Some(&p) => {
                *near = p.wrapping_sub(1);
                self.order.get(p).map(|o| o.1)
            }
            None => self.column_of(k),
        }
    }
}

/// The CSV header: the schema's columns, `source_file`, then the extra columns.
fn csv_header(extras: &[String]) -> Vec<String> {
    CSV_COLUMNS
        .iter()
        .map(|s| (*s).to_owned())
        .chain([SOURCE_FILE.to_owned()])
        .chain(extras.iter().cloned())
        .collect()
}

/// One event as a CSV row under [`csv_header`]`(extras)`.
/// Also says whether every extra property of `e` had its column in `extras`.
#[cfg(test)]
fn csv_row<'a>(
    e: &'a Event,
    file: &'a str,
    extras: &CsvExtras,
) -> (Vec<std::borrow::Cow<'a, str>>, bool) {
    let mut row = Vec::new();
    let covered = csv_row_into(e, file, extras, &mut row);
    (row, covered)
}

/// Parts joined by `sep`, borrowed when there is one part or none.
fn joined<'a>(parts: &[&'a str], sep: &str) -> std::borrow::Cow<'a, str> {
    match parts {
        [] => std::borrow::Cow::Borrowed(""),
        [one] => std::borrow::Cow::Borrowed(one),
        _ => std::borrow::Cow::Owned(parts.join(sep)),
    }
}

/// One event as a CSV row under [`csv_header`]`(extras)`, into `row` (cleared first: a
/// batch reuses one row); whether every extra property of `e` had its column in `extras`.
fn csv_row_into<'a>(
    e: &'a Event,
    file: &'a str,
    extras: &CsvExtras,
    row: &mut Vec<std::borrow::Cow<'a, str>>,
) -> bool {
    use std::borrow::Cow;
    // The same values as [`properties`] (a test holds the two together), written straight
    // into the row: a million events need no JSON map each.
    let (start, end, precision) = time_fields(&e.time);
    let text = |v: &'a Option<String>| Cow::Borrowed(v.as_deref().unwrap_or_default());
    let num = |v: Option<u32>| v.map_or(Cow::Borrowed(""), |n| Cow::Owned(n.to_string()));
    let name = |k: Option<String>| k.map_or(Cow::Borrowed(""), Cow::Owned);
    let keys = EnumKeys::get();
    let weapons: Vec<&str> = e
        .weapons
        .iter()
        .map(|w| key_at(&keys.weapon, w.index()))
        .collect();
    let sources: Vec<&str> = e
        .sources
        .iter()
        .map(|s| {
            [&s.url, &s.outlet, &s.title]
                .into_iter()
                .find_map(|f| f.as_deref())
                .unwrap_or_default()
        })
        .collect();
    row.clear();
    row.extend([
        Cow::Borrowed(e.id.as_str()),
        text(&e.title),
        Cow::Owned(start),
        name(end),
        Cow::Borrowed(precision),
        text(&e.time_note),
        name(e.stated_date.map(crate::model::fmt_date)),
        Cow::Owned(e.location.lat.to_string()),
        Cow::Owned(e.location.lon.to_string()),
        Cow::Borrowed(key_at(&keys.precision, e.location.precision.index())),
        text(&e.location_note),
        text(&e.location.place),
        text(&e.location.admin1),
        text(&e.location.country),
        joined(&weapons, ";"),
        text(&e.weapon_detail),
        Cow::Borrowed(e.target.map_or("", |t| key_at(&keys.target, t.index()))),
        num(e.killed),
        num(e.injured),
        num(e.killed_range.map(|r| r.0)),
        num(e.killed_range.map(|r| r.1)),
        num(e.children_killed),
        num(e.children_injured),
        num(e.launched),
        num(e.intercepted),
        text(&e.description),
        joined(&sources, " | "),
    ]);
    debug_assert_eq!(row.len(), CSV_COLUMNS.len());
    row.push(Cow::Borrowed(file));
    // Each extra in its column; the first of a name wins.
    let first = row.len();
    row.resize(first + extras.names.len(), Cow::Borrowed(""));
    let mut covered = true;
    let mut near = extras.order.len().wrapping_sub(1);
    for (k, v) in e.extra.iter().rev() {
        match extras.column_near(k, &mut near) {
            Some(j) => row[first + j] = Cow::Borrowed(v.as_str()),
            None => covered = false,
        }
    }
    covered
}

/// Write every event of `datasets` (in order; each event's `source_file` is its dataset's
/// name) to `path` in `format`, and return how many were written. Events of a large file are
/// read back from it one at a time, never all held at once (CSV reads them twice: once for
/// the extra columns, once to write). The file appears whole or not at all: it is written
/// beside `path` (`NAME.part`) and renamed; on failure the partial file is removed.
/// `progress` counts events read (`total`: events × passes) and is checked for cancellation.
pub fn export_datasets(
    datasets: &[&DatasetData],
    path: &Path,
    format: ExportFormat,
    progress: &Progress,
) -> Result<usize, String> {
    export_filtered(datasets, path, format, progress, &EventFilter::default())
}

/// [`export_datasets`], writing only the events that pass `filter`; returns how many.
pub fn export_filtered(
    datasets: &[&DatasetData],
    path: &Path,
    format: ExportFormat,
    progress: &Progress,
    filter: &EventFilter,
) -> Result<usize, String> {
    let mut part = path.as_os_str().to_owned();
    part.push(".part");
    let part = std::path::PathBuf::from(part);
    let written = write_datasets(datasets, &part, format, progress, filter)
        .and_then(|n| std::fs::rename(&part, path).map(|()| n));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&part);
        format!("cannot write {}: {e}", path.display())
    })
}

/// Write `bytes` to `path` whole or not at all: beside it as `NAME.part`, synced, then
/// renamed (a crash or a full disk never leaves half a file under the name asked for).
pub fn write_file_whole(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let mut part = path.as_os_str().to_owned();
    part.push(".part");
    let part = std::path::PathBuf::from(part);
    let written = std::fs::File::create(&part)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&part, path));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&part);
        format!("cannot write {}: {e}", path.display())
    })
}

/// [`export_datasets`] into the file at `to` (created or truncated), synced to disk.
fn write_datasets(
    datasets: &[&DatasetData],
    to: &Path,
    format: ExportFormat,
    progress: &Progress,
    filter: &EventFilter,
) -> std::io::Result<usize> {
    let events: usize = datasets.iter().map(|d| d.rows.len()).sum();
    let two_passes = format == ExportFormat::Csv
        && datasets
            .iter()
            .any(|d| matches!(&d.details, Details::Records(s) if s.extra_names().is_none()));
    let passes = if two_passes { 2 } else { 1 };
    progress
        .total
        .store((events * passes).max(1) as u64, Ordering::Relaxed);
    let file = std::fs::File::create(to)?;
    let syncer = file.try_clone()?;
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    std::thread::scope(|s| {
        // What is written reaches the disk while the rest is still being made, so the sync
        // at the end waits only for the last of it (for all of a 600 MB file, 0.2 s).
        s.spawn(move || {
            let tick = std::time::Duration::from_millis(200);
            while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(tick) {
                _ = syncer.sync_data();
            }
        });
        let written = write_file(file, format, datasets, progress, filter, events);
        drop(stop);
        written
    })
}

/// [`write_datasets`] into `file`, synced at the end; `events` in all.
fn write_file(
    file: std::fs::File,
    format: ExportFormat,
    datasets: &[&DatasetData],
    progress: &Progress,
    filter: &EventFilter,
    events: usize,
) -> std::io::Result<usize> {
    // A batch's bytes (hundreds of kB) are larger than the buffer, so they go to the file
    // directly instead of being copied through it; the buffer only joins small writes.
    let mut w = std::io::BufWriter::with_capacity(64 << 10, file);
    // Events are read back and formatted a batch at a time on all cores; the batches'
    // bytes are written in order.
    let n = match format {
        ExportFormat::Geojson => {
            w.write_all(GEOJSON_HEAD)?;
            let mut wrote = false;
            let n = each_batch(
                datasets,
                progress,
                filter,
                |events, file| {
                    let mut out = Vec::new();
                    for e in events {
                        let first = out.is_empty();
                        write_feature(&mut out, e, file, first)?;
                    }
                    Ok(out)
                },
                |bytes| {
                    if bytes.is_empty() {
                        return Ok(());
                    }
                    if wrote {
                        w.write_all(b",\n")?;
                    }
                    wrote = true;
                    w.write_all(&bytes)
                },
            )?;
            w.write_all(GEOJSON_TAIL)?;
            n
        }
        ExportFormat::Csv => {
            use std::io::Seek;
            // The columns: from the sources that know them (a large CSV's unused columns),
            // else from a pass over the events. A source that knew wrong is caught while
            // writing, and the file is written again after the pass.
            let known = known_extras(datasets, &filter.compile());
            let extras = match &known {
                Some(x) => x.clone(),
                None => scan_extras(datasets, progress, filter)?,
            };
            match write_csv_rows(&mut w, datasets, progress, filter, &extras, known.is_some()) {
                Err(e) if e.get_ref().is_some_and(|x| x.is::<UnknownExtra>()) => {
                    w.flush()?;
                    w.get_mut().set_len(0)?;
                    w.get_mut().seek(std::io::SeekFrom::Start(0))?;
                    // The abandoned pass counts for nothing: a scan and a write remain.
                    progress.done.store(0, Ordering::Relaxed);
                    progress
                        .total
                        .store((2 * events).max(1) as u64, Ordering::Relaxed);
                    let extras = scan_extras(datasets, progress, filter)?;
                    write_csv_rows(&mut w, datasets, progress, filter, &extras, false)?
                }
                r => r?,
            }
        }
    };
    w.into_inner()
        .map_err(std::io::IntoInnerError::into_error)?
        .sync_all()?;
    Ok(n)
}

/// A source's extra columns missed an event's extra property.
#[derive(Debug)]
struct UnknownExtra;

impl std::fmt::Display for UnknownExtra {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an event has a property its source did not list")
    }
}

impl std::error::Error for UnknownExtra {}

/// The extra columns of a CSV export when no record needs reading back for them: events in
/// memory are looked at, large files' sources say theirs. `None`: a source does not know.
fn known_extras(datasets: &[&DatasetData], matcher: &crate::filter::Matcher) -> Option<CsvExtras> {
    let mut extras = CsvExtras::default();
    for d in datasets {
        match &d.details {
            Details::Events(events) => events
                .iter()
                .filter(|e| matcher.matches(e))
                .for_each(|e| extras.add(e)),
            Details::Records(source) => source
                .extra_names()?
                .into_iter()
                .for_each(|n| extras.insert_property(&n)),
        }
    }
    Some(extras)
}

/// The extra columns of a CSV export from a pass over the events that pass `filter`.
fn scan_extras(
    datasets: &[&DatasetData],
    progress: &Progress,
    filter: &EventFilter,
) -> std::io::Result<CsvExtras> {
    let mut extras = CsvExtras::default();
    each_batch(
        datasets,
        progress,
        filter,
        |events, _| {
            let mut mine = CsvExtras::default();
            events.iter().for_each(|e| mine.add(e));
            Ok(mine.names)
        },
        |names| {
            names.into_iter().for_each(|n| extras.insert(n));
            Ok(())
        },
    )?;
    Ok(extras)
}

/// The header and the rows of a CSV export under `extras`; with `strict`, an event with an
/// extra property `extras` lacks stops it with [`UnknownExtra`].
fn write_csv_rows(
    w: &mut (impl Write + Send),
    datasets: &[&DatasetData],
    progress: &Progress,
    filter: &EventFilter,
    extras: &CsvExtras,
    strict: bool,
) -> std::io::Result<usize> {
    w.write_all(&csv_bytes(&[csv_header(&extras.names)])?)?;
    each_batch(
        datasets,
        progress,
        filter,
        |events, file| {
            // Each row straight into the batch's bytes, in one reused row.
            let mut w = csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(Vec::with_capacity(events.len() * 640));
            let mut row = Vec::new();
            for e in events {
                if !csv_row_into(e, file, extras, &mut row) && strict {
                    return Err(std::io::Error::other(UnknownExtra));
                }
                w.write_record(row.iter().map(|f| f.as_bytes()))?;
            }
            w.into_inner().map_err(|e| e.into_error())
        },
        |bytes| w.write_all(&bytes),
    )
}

/// `rows` as CSV lines (no header of their own).
fn csv_bytes<S: AsRef<str>>(rows: &[Vec<S>]) -> std::io::Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    for r in rows {
        w.write_record(r.iter().map(|f| f.as_ref().as_bytes()))?;
    }
    w.into_inner().map_err(|e| e.into_error())
}

/// Records formatted per job: small enough that both cores stay busy, large enough that a
/// job's file read covers many neighbouring records.
const JOB: usize = 512;

/// Hand the events of `datasets` that pass `filter`, in order and a batch at a time, to
/// `work(events, file)` (run on all cores), and its results, in the same order, to `sink`;
/// count them in `progress`. Events kept in their file are read back only when their hot row
/// passes. Stops at the first error, an event that cannot be read back (its file changed),
/// or when `progress` is cancelled. `sink` takes one step's results while the next step is
/// worked on, so writing the file never leaves a core idle.
fn each_batch<T: Send>(
    datasets: &[&DatasetData],
    progress: &Progress,
    filter: &EventFilter,
    work: impl Fn(&[&Event], &str) -> std::io::Result<T> + Sync,
    sink: impl FnMut(T) -> std::io::Result<()> + Send,
) -> std::io::Result<usize> {
    use rayon::prelude::*;
    const STEP: usize = 16_384;
    let matcher = filter.compile();
    let mut steps = Steps {
        progress,
        sink,
        passed: 0,
        pending: None,
    };
    for d in datasets {
        let name = d.meta.name.as_str();
        match &d.details {
            Details::Events(events) => {
                for chunk in events.chunks(STEP) {
                    steps.next(chunk.len(), || {
                        chunk
                            .par_chunks(JOB)
                            .map(|c| {
                                let pass: Vec<&Event> =
                                    c.iter().filter(|e| matcher.matches(e)).collect();
                                work(&pass, name).map(|t| (pass.len(), t))
                            })
                            .collect()
                    })?;
                }
            }
            Details::Records(source) => {
                // Only the records whose hot row passes are read back from the file: the
                // read-back is what an export of a large file costs.
                let areas: Vec<bool> = d
                    .areas
                    .all()
                    .iter()
                    .map(|a| matcher.area_passes(Some(a)))
                    .collect();
                let no_area = matcher.area_passes(None);
                let row_ok = |r: &crate::store::Row| {
                    let area_ok = areas.get(r.area as usize).copied().unwrap_or(no_area);
                    matcher.row_passes(r, area_ok)
                };
                for from in (0..d.rows.len()).step_by(STEP) {
                    let to = (from + STEP).min(d.rows.len());
                    steps.next(to - from, || {
                        let wanted: Vec<usize> =
                            (from..to).filter(|&r| row_ok(&d.rows[r])).collect();
                        // Runs of neighbouring records, one file read each, on all cores.
                        wanted
                            .par_chunks(JOB)
                            .map(|c| {
                                // Borrowed where they were read: an event is some 500
                                // bytes, a million of them are not moved again.
                                let events = source.events(c, &d.rows);
                                let mut pass = Vec::with_capacity(events.len());
                                for e in &events {
                                    let e =
                                        e.as_ref().map_err(|e| std::io::Error::other(e.clone()))?;
                                    if matcher.matches(e) {
                                        pass.push(e);
                                    }
                                }
                                work(&pass, name).map(|t| (pass.len(), t))
                            })
                            .collect()
                    })?;
                }
            }
        }
    }
    steps.finish()
}

/// The results of one step of [`each_batch`]: (events passed, work's result) per job.
type StepResults<T> = Vec<std::io::Result<(usize, T)>>;

/// [`each_batch`]'s steps: each step's results are sunk while the next is computed.
struct Steps<'a, T, S> {
    progress: &'a Progress,
    sink: S,
    /// Events passed so far.
    passed: usize,
    /// The last step's results and its record count, not sunk yet.
    pending: Option<(StepResults<T>, usize)>,
}

impl<T: Send, S: FnMut(T) -> std::io::Result<()> + Send> Steps<'_, T, S> {
    /// Compute the next step (of `n` records) while the previous one is sunk.
    fn next(
        &mut self,
        n: usize,
        compute: impl FnOnce() -> StepResults<T> + Send,
    ) -> std::io::Result<()> {
        let pending = self.pending.take();
        let (sunk, done) = rayon::join(|| self.sink_step(pending), compute);
        sunk?;
        self.pending = Some((done, n));
        Ok(())
    }

    /// Sink the last step; the events passed in all.
    fn finish(mut self) -> std::io::Result<usize> {
        let pending = self.pending.take();
        self.sink_step(pending)?;
        Ok(self.passed)
    }

    /// Hand a step's results to the sink in order, then count its records as done.
    fn sink_step(&mut self, step: Option<(StepResults<T>, usize)>) -> std::io::Result<()> {
        let Some((done, n)) = step else {
            return Ok(());
        };
        for r in done {
            let (k, t) = r?;
            self.passed += k;
            (self.sink)(t)?;
        }
        self.progress.done.fetch_add(n as u64, Ordering::Relaxed);
        if self.progress.cancelled() {
            return Err(std::io::Error::other("export cancelled"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Date-times are written as "%Y-%m-%dT%H:%M:%SZ", from year 1 to 9999.
    #[test]
    fn date_times_are_written_iso_8601_in_utc() {
        let mut t: i64 = -62_135_596_800;
        while t < 253_402_300_799 {
            let want = jiff::Timestamp::from_second(t)
                .unwrap()
                .strftime("%Y-%m-%dT%H:%M:%SZ")
                .to_string();
            assert_eq!(iso(t), want, "{t}");
            t += 86_400 * 89 + 3_601;
        }
    }
    use crate::import::load_bytes;

    /// The CSV schema columns as the GeoJSON properties say them (the writer's reference).
    fn csv_row_of_properties(e: &Event, file: &str) -> Vec<String> {
        let props = properties(e, file);
        let text = |k: &str| match props.get(k) {
            None => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(Value::Array(a)) if k == "weapon" => a
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(";"),
            Some(Value::Array(a)) => a
                .iter()
                .map(|s| {
                    ["url", "outlet", "title"]
                        .iter()
                        .find_map(|f| s.get(*f).and_then(Value::as_str))
                        .unwrap_or_default()
                        .to_owned()
                })
                .collect::<Vec<_>>()
                .join(" | "),
            Some(v) => v.to_string(),
        };
        CSV_COLUMNS
            .iter()
            .map(|k| match *k {
                "latitude" => e.location.lat.to_string(),
                "longitude" => e.location.lon.to_string(),
                k => text(k),
            })
            .collect()
    }

    fn roundtrip(format: ExportFormat, name: &str) {
        let r = crate::import::load_bundled().unwrap();
        let xs: Vec<Exported<'_>> = r
            .events
            .iter()
            .map(|event| Exported {
                event,
                file: "bundled",
            })
            .collect();
        let mut buf = Vec::new();
        let n = match format {
            ExportFormat::Geojson => write_geojson(xs, &mut buf).unwrap(),
            ExportFormat::Csv => write_csv(&xs, &mut buf).unwrap(),
        };
        assert_eq!(n, r.events.len());
        let back = load_bytes(name, &buf).unwrap();
        assert_eq!(back.rejected, vec![], "{name}");
        assert_eq!(back.events.len(), r.events.len());
        for (a, b) in r.events.iter().zip(&back.events) {
            assert_eq!(a.time, b.time, "{}", a.id);
            assert_eq!(a.id, b.id);
            assert_eq!(a.killed, b.killed, "{}", a.id);
            assert_eq!(a.injured, b.injured, "{}", a.id);
            assert_eq!(a.location.precision, b.location.precision, "{}", a.id);
            assert!((a.location.lat - b.location.lat).abs() < 1e-9);
            assert_eq!(a.weapons, b.weapons, "{}", a.id);
            assert_eq!(a.target, b.target, "{}", a.id);
        }
    }

    /// The bundled data exported and read back is the same events, as GeoJSON and as CSV.
    #[test]
    fn exports_read_back_as_the_same_events() {
        roundtrip(ExportFormat::Geojson, "x.geojson");
        roundtrip(ExportFormat::Csv, "x.csv");
    }

    /// Datasets go to a file whole: both formats read back as the same events, in dataset
    /// order, tagged with their file; nothing is left beside it, and a failed write leaves
    /// nothing at all.
    #[test]
    fn csv_rows_say_what_the_geojson_properties_say() {
        let mut events = crate::import::load_bundled().unwrap().events;
        for f in [
            "incident_log.xlsx",
            "my_maps.kml",
            "earth_timespans.kml",
            "multilingual.csv",
            "serials_and_epochs.csv",
        ] {
            let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/data/unseen")
                .join(f);
            events.extend(crate::import::load_path(&p).unwrap().events);
        }
        let mut odd = events[0].clone();
        odd.killed_range = Some((3, 9));
        odd.sources.push(crate::model::Source {
            title: Some("only a title".to_owned()),
            ..Default::default()
        });
        odd.sources.push(crate::model::Source::default());
        events.push(odd);
        let extras = CsvExtras::default();
        for e in &events {
            let got: Vec<String> = csv_row(e, "f.csv", &extras)
                .0
                .into_iter()
                .map(|c| c.into_owned())
                .collect();
            let mut want = csv_row_of_properties(e, "f.csv");
            want.push("f.csv".to_owned());
            assert_eq!(got, want, "{}", e.id);
        }
    }

    #[test]
    fn a_csv_export_trusts_a_source_s_columns_only_while_they_hold() {
        /// Events read "from a file" whose source lists `listed` as its extra columns.
        #[derive(Debug)]
        struct Source {
            events: Vec<Event>,
            listed: Vec<String>,
        }
        impl crate::store::RecordSource for Source {
            fn event(&self, record: usize) -> Result<Event, String> {
                self.events
                    .get(record)
                    .cloned()
                    .ok_or_else(|| "gone".to_owned())
            }
            fn extra_names(&self) -> Option<Vec<String>> {
                Some(self.listed.clone())
            }
        }
        /// `events` as a dataset read back from a file whose source lists `listed`.
        fn from_file(events: &[Event], listed: &[&str]) -> DatasetData {
            DatasetData {
                meta: Default::default(),
                rows: events.iter().map(crate::store::Row::of).collect(),
                areas: Default::default(),
                details: Details::Records(Box::new(Source {
                    events: events.to_vec(),
                    listed: listed.iter().map(|s| (*s).to_owned()).collect(),
                })),
                texts: Default::default(),
            }
        }
        let mut events = crate::import::load_bundled().unwrap().events;
        events.truncate(6);
        for (i, e) in events.iter_mut().enumerate() {
            e.extra = vec![("actor1".into(), format!("a{i}"))];
        }
        events[4]
            .extra
            .push(("column 31".into(), "past the header".to_owned()));
        let dir = tempfile::tempdir().unwrap();
        for listed in [vec!["actor1", "tags"], vec!["actor1"]] {
            let data = from_file(&events, &listed);
            let path = dir.path().join("out.csv");
            let progress = Progress::default();
            let n = export_datasets(&[&data], &path, ExportFormat::Csv, &progress).unwrap();
            assert_eq!(n, 6);
            let text = std::fs::read_to_string(&path).unwrap();
            let header = text.lines().next().unwrap();
            // The listed columns, then, found while writing, the one the source missed.
            assert!(header.ends_with("actor1,column 31"), "{header}");
            assert!(text.contains("past the header"));
            assert_eq!(text.lines().count(), 7);
            assert_eq!(progress.fraction(), Some(1.0));
        }
        // A source whose columns hold: one pass, its columns in its order.
        for e in &mut events {
            e.extra.retain(|(k, _)| &**k == "actor1");
        }
        let data = from_file(&events, &["tags", "actor1"]);
        let path = dir.path().join("out.csv");
        export_datasets(&[&data], &path, ExportFormat::Csv, &Progress::default()).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.lines()
                .next()
                .unwrap()
                .ends_with("source_file,tags,actor1")
        );
    }

    #[test]
    fn datasets_are_exported_to_a_file_atomically() {
        let r = crate::import::load_bundled().unwrap();
        let n = r.events.len();
        let a = r.into_dataset(crate::model::DatasetId::Bundled);
        let b = crate::import::load_bytes("b.csv", b"lat,lon,date\n50.45,30.52,2025-07-10\n")
            .unwrap()
            .into_dataset(crate::model::DatasetId::File("b.csv".into()));
        let dir = tempfile::tempdir().unwrap();
        for name in ["out.geojson", "out.csv"] {
            let path = dir.path().join(name);
            let format = ExportFormat::for_path(&path);
            let progress = Progress::default();
            let written = export_datasets(&[&a, &b], &path, format, &progress).unwrap();
            assert_eq!(written, n + 1, "{name}");
            assert_eq!(progress.fraction(), Some(1.0), "{name}");
            let back = crate::import::load_path(&path).unwrap();
            assert_eq!(back.events.len(), n + 1, "{name}");
            let ids = |d: &DatasetData| -> Vec<String> {
                (0..d.rows.len())
                    .map(|i| d.event(i).unwrap().id.clone())
                    .collect()
            };
            let want: Vec<String> = ids(&a).into_iter().chain(ids(&b)).collect();
            let got: Vec<String> = back.events.iter().map(|e| e.id.clone()).collect();
            assert_eq!(got, want, "{name}");
            assert!(!dir.path().join(format!("{name}.part")).exists(), "{name}");
        }
        let missing = dir.path().join("no/such/folder/out.geojson");
        let e = export_datasets(&[&a], &missing, ExportFormat::Geojson, &Progress::default());
        assert!(e.unwrap_err().contains("out.geojson"));
        assert!(!missing.exists());
    }

    #[test]
    fn times_are_written_so_they_read_back() {
        let day = EventTime::at(1_752_105_600, TimePrecision::Day);
        assert_eq!(time_fields(&day), ("2025-07-10".into(), None, "day"));
        let range = EventTime::range(1_752_105_600, 1_752_105_600 + 3 * DAY);
        assert_eq!(
            time_fields(&range),
            ("2025-07-10".into(), Some("2025-07-12".into()), "range")
        );
        let night = EventTime::range(1_752_105_600 - 3 * 3600, 1_752_105_600 + 6 * 3600);
        assert_eq!(
            time_fields(&night).1.as_deref(),
            Some("2025-07-10T06:00:00Z")
        );
    }
}
