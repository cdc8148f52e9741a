//! Importers: bytes in, events plus a complete account of every record out.
//!
//! Every input record ends up either as an [`Event`] or as a [`Rejection`] carrying its record
//! number and reason, so `records == loaded + rejected` always holds ([`LoadReport::records`]).

mod acled;
mod bulk;
mod csv;
mod detect;
mod fields;
mod gdelt;
mod geojson;
mod input;
mod json_split;
mod kml;
mod missiles;
mod records;
mod sniff;
mod table;

pub use csv::CsvRole;
pub use fields::quote_input;
pub use geojson::is_schema_property;
mod date_words;
pub mod dates;
mod geocode;
mod headers;
pub mod time;
mod timemap;
mod ucdp;
mod workbook;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use serde::Serialize;

use crate::model::{Event, Seconds};
use crate::store::{Dataset, DatasetData, Details, RecordSource, Row};

/// Name of the bundled sample dataset, as shown in the UI and in `check`.
pub const BUNDLED_NAME: &str = "bundled sample (data/events.geojson)";

/// The bundled dataset, embedded so the app opens it from any working directory.
pub const BUNDLED_GEOJSON: &str = include_str!("../../data/events.geojson");

/// A file format we can read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// GeoJSON FeatureCollection (our schema, or any with a detectable time property).
    Geojson,
    /// Delimited text with latitude/longitude and date columns.
    Csv,
    /// A spreadsheet (.xlsx, .xls, .ods) read by column roles, as CSV is.
    Workbook,
    /// ACLED CSV export (any of its layouts).
    Acled,
    /// UCDP Georeferenced Event Dataset CSV.
    Ucdp,
    /// GDELT 1.0/2.0 event TSV (headerless).
    Gdelt,
    /// Bellingcat / Forensic Architecture TimeMap JSON export.
    TimeMap,
    /// Kaggle "Massive Missile Attacks on Ukraine" daily CSV (attack-level).
    MissileAttacks,
    /// KML placemarks (Google My Maps / Earth exports), also when read from a KMZ archive.
    Kml,
}

impl Format {
    /// Human-readable name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Geojson => "GeoJSON",
            Self::Csv => "CSV",
            Self::Workbook => "spreadsheet (Excel/ODS)",
            Self::Acled => "ACLED CSV",
            Self::Ucdp => "UCDP GED CSV",
            Self::Gdelt => "GDELT events TSV",
            Self::TimeMap => "TimeMap JSON export",
            Self::MissileAttacks => "Massive Missile Attacks on Ukraine CSV",
            Self::Kml => "KML",
        }
    }
}

/// Why a record was not loaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// No coordinates at all.
    MissingLocation,
    /// Coordinates present but not numbers, or outside -90..90 / -180..180.
    InvalidCoordinates,
    /// No date.
    MissingDate,
    /// A date we could not read.
    InvalidDate,
    /// A date that reads but cannot be an event's: before 1900 or in the future.
    ImplausibleDate,
    /// The record itself is broken (not an object, wrong shape).
    Malformed,
    /// Only a place name, and the gazetteer does not know it.
    UnknownPlace,
}

impl RejectReason {
    /// Stable key used in `check --json`.
    pub fn key(self) -> &'static str {
        match self {
            Self::MissingLocation => "missing_location",
            Self::InvalidCoordinates => "invalid_coordinates",
            Self::MissingDate => "missing_date",
            Self::InvalidDate => "invalid_date",
            Self::ImplausibleDate => "implausible_date",
            Self::Malformed => "malformed_record",
            Self::UnknownPlace => "unknown_place",
        }
    }

    /// Human-readable name.
    pub fn label(self) -> &'static str {
        match self {
            Self::MissingLocation => "no location",
            Self::InvalidCoordinates => "invalid coordinates",
            Self::MissingDate => "no date",
            Self::InvalidDate => "unreadable date",
            Self::ImplausibleDate => "implausible date",
            Self::Malformed => "malformed record",
            Self::UnknownPlace => "unknown place",
        }
    }
}

/// Where a record is in its file, as the user can find it there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RecordRef {
    /// Delimited text: the (1-based) file line the record starts on.
    Row(u64),
    /// GeoJSON: the (1-based) feature of the feature array.
    Feature(usize),
    /// TimeMap JSON: the (1-based) element of the events array.
    Record(usize),
    /// KML/KMZ: the (1-based) placemark, in document order.
    Placemark(usize),
}

impl RecordRef {
    /// The line or index, for ordering rejections in file order.
    pub fn number(self) -> u64 {
        match self {
            Self::Row(n) => n,
            Self::Feature(n) | Self::Record(n) | Self::Placemark(n) => n as u64,
        }
    }
}

/// "row 12", "feature 3", "record 3": as the load report and `check` print it.
impl std::fmt::Display for RecordRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Row(n) => write!(f, "row {n}"),
            Self::Feature(n) => write!(f, "feature {n}"),
            Self::Record(n) => write!(f, "record {n}"),
            Self::Placemark(n) => write!(f, "placemark {n}"),
        }
    }
}

/// Serialized as its text ("row 12"), as the record was when it was a string.
impl Serialize for RecordRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One record that could not become an event.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rejection {
    /// Where the record is.
    pub record: RecordRef,
    /// Why.
    pub reason: RejectReason,
    /// Details for the user (the offending value).
    pub detail: String,
}

/// The result of reading one file.
#[derive(Debug)]
pub struct LoadReport {
    /// File name (or the bundled dataset's name).
    pub file: String,
    /// Detected format.
    pub format: Format,
    /// Records read from the file.
    pub records: usize,
    /// Events loaded, in file order.
    pub events: Vec<Event>,
    /// Records rejected, with reasons.
    pub rejected: Vec<Rejection>,
    /// Decisions the importer took that the user should know (e.g. day/month order).
    pub notes: Vec<String>,
    /// Events of a large file kept as hot rows only, their details read back on demand
    /// (in addition to `events`, which is then empty).
    pub bulk: Option<Bulk>,
    /// For formats where the time property is guessed (GeoJSON): what was used, and the
    /// properties that hold dates, so the user can choose another.
    pub time_choice: Option<TimeChoice>,
    /// For CSV read by column names: which column plays which role (for the mapping dialog).
    pub csv_columns: Option<CsvColumns>,
    /// For a workbook: the sheet read, and all its sheets, so the user can pick another.
    pub sheet_choice: Option<TimeChoice>,
}

/// A CSV file's column mapping, as detected or chosen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CsvColumns {
    /// The header joined with U+001F: mappings are remembered per header.
    pub signature: String,
    /// The header's column names.
    pub header: Vec<String>,
    /// Each role and the column it reads, if any.
    pub roles: Vec<(CsvRole, Option<String>)>,
}

/// Remembered column mappings: header signature → role ([`CsvRole::key`]) → column name ("" for
/// none).
pub type ColumnChoices = BTreeMap<String, BTreeMap<String, String>>;

/// Which property the times came from, and which others could be used.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TimeChoice {
    /// The property used (the user's choice, or the most common detected one).
    pub used: Option<String>,
    /// Properties holding dates in the first records, most common first.
    pub candidates: Vec<String>,
}

/// How to read a file, beyond what is detected.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Read event times from this property (GeoJSON), instead of the first known one set.
    pub time_property: Option<String>,
    /// Column mappings chosen for CSV headers.
    pub columns: ColumnChoices,
    /// Read this sheet of a workbook, instead of the one that looks most like events.
    pub sheet: Option<String>,
}

/// A large file's events as hot rows, with their full records left in the file.
#[derive(Debug)]
pub struct Bulk {
    /// One row per loaded event, in file order.
    pub rows: Vec<Row>,
    /// The regions and countries the rows' areas point at.
    pub areas: crate::store::Areas,
    /// Reads a loaded event's full record back from the file.
    pub source: Box<dyn RecordSource>,
    /// Earliest (stated) date, as [`LoadReport::first_time`] reports it.
    pub first: Option<Seconds>,
    /// Latest (stated) date, as [`LoadReport::last_time`] reports it.
    pub last: Option<Seconds>,
}

impl LoadReport {
    /// An empty report of `records` records of `file` in `format`, for a reader to fill: the
    /// one place the report's defaults (no bulk rows, no choices) are set.
    pub(crate) fn new(file: &str, format: Format, records: usize) -> Self {
        Self {
            file: file.to_owned(),
            format,
            records,
            events: Vec::new(),
            rejected: Vec::new(),
            notes: Vec::new(),
            bulk: None,
            time_choice: None,
            csv_columns: None,
            sheet_choice: None,
        }
    }

    /// Events loaded.
    pub fn loaded(&self) -> usize {
        self.events.len() + self.bulk.as_ref().map_or(0, |b| b.rows.len())
    }

    /// The loaded events as a store dataset.
    pub fn into_dataset(self, id: crate::model::DatasetId) -> DatasetData {
        let meta = Dataset {
            id,
            name: self.file,
            records: self.records,
            loaded: self.events.len() + self.bulk.as_ref().map_or(0, |b| b.rows.len()),
        };
        match self.bulk {
            Some(b) => DatasetData {
                meta,
                rows: b.rows,
                areas: b.areas,
                details: Details::Records(b.source),
                texts: Default::default(),
            },
            None => DatasetData::from_events(meta, self.events),
        }
    }

    /// Rejections counted by reason.
    pub fn rejected_by_reason(&self) -> BTreeMap<RejectReason, usize> {
        let mut m = BTreeMap::new();
        for r in &self.rejected {
            *m.entry(r.reason).or_insert(0) += 1;
        }
        m
    }

    /// Earliest event start (or the date the source states), if any.
    pub fn first_time(&self) -> Option<i64> {
        let bulk = self.bulk.as_ref().and_then(|b| b.first);
        self.events
            .iter()
            .map(|e| e.stated_date.unwrap_or(e.time.start))
            .chain(bulk)
            .min()
    }

    /// Latest moment covered (`end - 1`, or the date the source states), if any.
    pub fn last_time(&self) -> Option<i64> {
        let bulk = self.bulk.as_ref().and_then(|b| b.last);
        self.events
            .iter()
            .map(|e| e.stated_date.unwrap_or(e.time.end - 1))
            .chain(bulk)
            .max()
    }
}

/// Why a whole file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The content is not JSON although it looks like it.
    #[error("{file}: not valid JSON: {message}")]
    Json {
        /// The file.
        file: String,
        /// serde_json's message (with line and column).
        message: String,
    },
    /// A CSV file whose coordinates or dates could not be found by column name: the user
    /// chooses the columns.
    #[error("{file}: {message}")]
    NeedsColumns {
        /// The file.
        file: String,
        /// What is missing.
        message: String,
        /// The header and what was recognised.
        columns: Box<CsvColumns>,
    },
    /// The user cancelled loading.
    #[error("{file}: loading cancelled")]
    Cancelled {
        /// The file.
        file: String,
    },
    /// The structure is not one we understand.
    #[error("{file}: {message}")]
    Unsupported {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
}

/// How far a background load has come, and the user's request to stop it.
#[derive(Debug, Default)]
pub struct Progress {
    /// Bytes processed.
    pub done: AtomicU64,
    /// Bytes in the file (0 until known).
    pub total: AtomicU64,
    /// Set to stop loading as soon as possible.
    pub cancel: AtomicBool,
}

impl Progress {
    /// Fraction done, once the size is known.
    pub fn fraction(&self) -> Option<f32> {
        let total = self.total.load(Ordering::Relaxed);
        (total > 0).then(|| (self.done.load(Ordering::Relaxed) as f64 / total as f64) as f32)
    }

    /// Whether the user asked to stop.
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// Files at least this large in a format with a streaming reader (ACLED, a GeoJSON
/// FeatureCollection) are read in parallel chunks into hot rows, their texts left in the file
/// until an event is opened.
pub const BULK_MIN_BYTES: u64 = 32 << 20;

/// The load report's note on a file that is not all UTF-8.
const NOT_UTF8_NOTE: &str =
    "not all valid UTF-8: bytes that are not were read as Windows-1252 (Latin-1)";

/// Read a file from disk and import it.
pub fn load_path(path: &Path) -> Result<LoadReport, ImportError> {
    load_path_with(path, &Progress::default())
}

/// Read a file from disk and import it, reporting progress and honouring cancellation.
pub fn load_path_with(path: &Path, progress: &Progress) -> Result<LoadReport, ImportError> {
    load_path_opts(path, progress, &LoadOptions::default())
}

/// [`load_path_with`] with options (e.g. the time property chosen by the user).
pub fn load_path_opts(
    path: &Path,
    progress: &Progress,
    opts: &LoadOptions,
) -> Result<LoadReport, ImportError> {
    let name = path.display().to_string();
    let io = |source| ImportError::Io {
        path: name.clone(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    // A FIFO would block the reader for ever and /dev/zero never ends: files only.
    if !meta.is_file() {
        return Err(ImportError::Unsupported {
            file: name,
            message: "not a regular file (a folder, pipe or device): strikemap reads files only"
                .to_owned(),
        });
    }
    let size = meta.len();
    progress.total.store(size.max(1), Ordering::Relaxed);
    // What the file is, from a bounded prefix: a video or a file without line breaks is named
    // before gigabytes of it are read.
    let mut head = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(fields::MAX_RECORD_BYTES as u64 + 4)
        .read_to_end(&mut head)
        .map_err(io)?;
    if let Some(err) = prefix_error(&name, &head) {
        return Err(err);
    }
    if size >= BULK_MIN_BYTES
        && let Some(r) = bulk::try_load(path, progress, opts)?
    {
        return Ok(r);
    }
    let bytes = std::fs::read(path).map_err(io)?;
    if progress.cancelled() {
        return Err(ImportError::Cancelled { file: name });
    }
    progress.done.store(size / 2, Ordering::Relaxed);
    let r = load_bytes_opts(&name, &bytes, path.parent(), opts);
    progress.done.store(size, Ordering::Relaxed);
    r
}

/// The error for a binary file (a workbook, an archive, a picture), if it is one.
fn binary_error(file: &str, bytes: &[u8]) -> Option<ImportError> {
    let kind = sniff::binary_kind(bytes)?;
    Some(ImportError::Unsupported {
        file: file.to_owned(),
        message: format!(
            "this is {kind}, not an event file strikemap reads (GeoJSON, CSV/TSV, \
             GDELT, TimeMap JSON, KML/KMZ); export it as CSV or GeoJSON"
        ),
    })
}

/// The message for text with no line break where a table's header line should end.
fn no_line_break_message() -> String {
    "no line break in the first 1 MB: not a table with a header line (CSV/TSV), and not \
     JSON"
        .to_owned()
}

/// Why a file cannot be read, from its first bytes (about 1 MB): binary, or text without a
/// header line. JSON may well be one long line.
fn prefix_error(file: &str, head: &[u8]) -> Option<ImportError> {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    // A KMZ's archive listing is at its end: the whole file decides (load_bytes_opts).
    if kml::looks_like_kmz(head) || workbook::is_workbook(head) {
        return None;
    }
    if let Some(err) = binary_error(file, head) {
        return Some(err);
    }
    let first = head.iter().find(|b| !b.is_ascii_whitespace())?;
    // XML (KML) may be one long line too.
    let json = matches!(first, b'{' | b'[' | b'<');
    let no_break = head.len() > fields::MAX_RECORD_BYTES && memchr::memchr(b'\n', head).is_none();
    (!json && no_break).then(|| ImportError::Unsupported {
        file: file.to_owned(),
        message: no_line_break_message(),
    })
}

/// The bundled sample dataset.
pub fn load_bundled() -> Result<LoadReport, ImportError> {
    load_bytes(BUNDLED_NAME, BUNDLED_GEOJSON.as_bytes())
}

/// Import bytes, detecting the format from the content (not the file name).
pub fn load_bytes(file: &str, bytes: &[u8]) -> Result<LoadReport, ImportError> {
    load_bytes_in(file, bytes, None)
}

/// Import bytes that came from a file in `dir`, where formats spread over several files
/// (the missile attacks' models table, TimeMap's raw sources and associations) find their
/// siblings.
pub fn load_bytes_in(
    file: &str,
    bytes: &[u8],
    dir: Option<&Path>,
) -> Result<LoadReport, ImportError> {
    load_bytes_opts(file, bytes, dir, &LoadOptions::default())
}

/// [`load_bytes_in`] with options.
pub fn load_bytes_opts(
    file: &str,
    bytes: &[u8],
    dir: Option<&Path>,
    opts: &LoadOptions,
) -> Result<LoadReport, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // A KMZ is a ZIP holding a KML document: read before ZIPs are refused as binary.
    if let Some(kmz) = kml::kmz_document(file, bytes) {
        return kml::load_kmz(file, kmz?);
    }
    if workbook::is_workbook(bytes) {
        return load_workbook(file, bytes, dir, opts);
    }
    if let Some(err) = binary_error(file, bytes) {
        return Err(err);
    }
    // UTF-16 with its byte order mark (Excel's "Unicode Text" export) is decoded as such;
    // other bytes that are not UTF-8 are read as Windows-1252; the report says so.
    let mut notes = Vec::new();
    let utf16 = match bytes {
        [0xFF, 0xFE, ..] => Some(encoding_rs::UTF_16LE),
        [0xFE, 0xFF, ..] => Some(encoding_rs::UTF_16BE),
        _ => None,
    };
    let text = match utf16 {
        Some(enc) => {
            notes.push(format!(
                "{} text (Excel's \"Unicode Text\"), decoded",
                enc.name()
            ));
            std::borrow::Cow::Owned(enc.decode_with_bom_removal(bytes).0.into_owned())
        }
        None => {
            let text = fields::decode_file(bytes);
            if matches!(text, std::borrow::Cow::Owned(_)) {
                notes.push(NOT_UTF8_NOTE.to_owned());
            }
            text
        }
    };
    let bytes = text.as_bytes();
    let input = input::Input::read(file, bytes)?;
    let format = detect::format(file, &input)?;
    read(file, format, input, dir, opts).map(|mut r| {
        notes.append(&mut r.notes);
        r.notes = notes;
        // In file order: records the reader itself refused (broken quoting, over-long) are
        // found before the importer looks at the rest. The parallel reader lists the same.
        r.rejected.sort_by_key(|x| x.record.number());
        r
    })
}

/// The import dispatch: the reader of each format, given the content it was detected in.
/// A workbook's chosen sheet, read by the rules of the dialect its header is.
fn load_workbook(
    file: &str,
    bytes: &[u8],
    dir: Option<&Path>,
    opts: &LoadOptions,
) -> Result<LoadReport, ImportError> {
    let book = workbook::read(file, bytes, opts.sheet.as_deref())?;
    let format = detect::table_format(file, &book.table.lower, false)?;
    let mut r = read(file, format, input::Input::Table(book.table), dir, opts)?;
    if r.format == Format::Csv {
        r.format = Format::Workbook;
    }
    let mut notes = book.notes;
    notes.append(&mut r.notes);
    r.notes = notes;
    r.rejected.sort_by_key(|x| x.record.number());
    r.sheet_choice = Some(TimeChoice {
        used: Some(book.sheet),
        candidates: book.sheets,
    });
    Ok(r)
}

fn read(
    file: &str,
    format: Format,
    input: input::Input,
    dir: Option<&Path>,
    opts: &LoadOptions,
) -> Result<LoadReport, ImportError> {
    let time_key = opts.time_property.as_deref();
    Ok(match format {
        Format::Geojson => geojson::load(file, input.json(file)?, time_key)?,
        Format::TimeMap => {
            let doc = input.json(file)?;
            let items = doc.root.as_array().map_or(&[][..], Vec::as_slice);
            timemap::load(file, items, dir)
        }
        Format::Csv | Format::Workbook => csv::load(file, &input.table(file)?, &opts.columns)?,
        Format::Acled => acled::load(file, &input.table(file)?),
        Format::Ucdp => ucdp::load(file, &input.table(file)?),
        Format::Gdelt => gdelt::load(file, &input.table(file)?),
        Format::MissileAttacks => missiles::load(file, dir, &input.table(file)?),
        Format::Kml => kml::load(file, &input.xml(file)?)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Excel's "Unicode Text" export: UTF-16 with a byte order mark, tab-separated.
    #[test]
    fn utf16_text_is_decoded() {
        for enc in [encoding_rs::UTF_16LE, encoding_rs::UTF_16BE] {
            let text = "Date\tLatitude\tLongitude\tTown\n08.10.2023\t49.99\t36.23\tХарків\n";
            let mut bytes: Vec<u8> = if enc == encoding_rs::UTF_16LE {
                vec![0xFF, 0xFE]
            } else {
                vec![0xFE, 0xFF]
            };
            for u in text.encode_utf16() {
                let b = if enc == encoding_rs::UTF_16LE {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                };
                bytes.extend_from_slice(&b);
            }
            let r = load_bytes("u16.txt", &bytes).unwrap();
            assert_eq!(r.events.len(), 1, "{:?}", r.rejected);
            assert_eq!(r.events[0].location.place.as_deref(), Some("Харків"));
            assert!(r.notes[0].starts_with(enc.name()), "{:?}", r.notes);
        }
    }

    #[test]
    fn bundled_dataset_loads_completely() {
        let r = load_bundled().unwrap();
        assert_eq!(r.format, Format::Geojson);
        assert!(r.records >= 10, "expected the five reports' events");
        assert_eq!(r.rejected, vec![], "every bundled record must load");
        assert_eq!(r.events.len(), r.records);
        // every event has a source naming the outlet
        for e in &r.events {
            assert!(!e.sources.is_empty(), "{} has no source", e.id);
            assert!(e.sources[0].outlet.is_some(), "{} has no outlet", e.id);
        }
    }

    #[test]
    fn empty_file_is_an_error_not_a_panic() {
        let err = load_bytes("x.csv", b"  \n").unwrap_err();
        assert!(err.to_string().contains("empty"));
    }

    #[test]
    fn only_regular_files_are_read() {
        for p in ["/dev/zero", "/dev/null", "/tmp"] {
            let err = load_path(Path::new(p)).unwrap_err().to_string();
            assert!(err.contains("not a regular file"), "{p}: {err}");
        }
    }

    /// A text file without line breaks is named from its first megabyte, not read whole; one
    /// over-long record is one rejection, not kept.
    #[test]
    fn long_lines_are_bounded() {
        let dir = std::env::temp_dir().join(format!("strikemap-long-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let one_line = dir.join("one-line.csv");
        std::fs::write(&one_line, vec![b'a'; 3 << 20]).unwrap();
        let err = load_path(&one_line).unwrap_err().to_string();
        assert!(err.contains("no line break in the first 1 MB"), "{err}");
        // The same from bytes (the importer itself), and JSON on one line still reads.
        let err = load_bytes("x.csv", &vec![b'a'; 3 << 20])
            .unwrap_err()
            .to_string();
        assert!(err.contains("no line break"), "{err}");
        let mut json = br#"{"type":"FeatureCollection","name":""#.to_vec();
        json.extend(vec![b'n'; 2 << 20]);
        json.extend_from_slice(br#"","features":[]}"#);
        let json_path = dir.join("one-line.geojson");
        std::fs::write(&json_path, &json).unwrap();
        assert_eq!(load_path(&json_path).unwrap().records, 0);

        let mut csv =
            b"latitude,longitude,date,note\n50,30,2025-01-01,a\n51,31,2025-01-02,".to_vec();
        csv.extend(vec![b'b'; 2 << 20]);
        csv.extend_from_slice(b"\n52,32,2025-01-03,c\n");
        let r = load_bytes("x.csv", &csv).unwrap();
        assert_eq!((r.records, r.events.len()), (3, 2));
        assert_eq!(r.rejected[0].record, RecordRef::Row(3));
        assert!(
            r.rejected[0].detail.contains("2.1 MB long"),
            "{:?}",
            r.rejected
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    /// Records are printed (load report, `check`) and serialized as they were when they were
    /// strings.
    #[test]
    fn record_refs_read_as_before() {
        assert_eq!(RecordRef::Row(12).to_string(), "row 12");
        assert_eq!(RecordRef::Feature(3).to_string(), "feature 3");
        assert_eq!(RecordRef::Record(7).to_string(), "record 7");
        let json = serde_json::to_string(&RecordRef::Row(4)).unwrap();
        assert_eq!(json, "\"row 4\"");
    }

    #[test]
    fn bom_is_ignored() {
        let r = load_bytes(
            "bom.csv",
            b"\xEF\xBB\xBFlatitude,longitude,date\n50.45,30.52,2025-07-10\n",
        )
        .unwrap();
        assert_eq!(r.events.len(), 1);
    }
}
