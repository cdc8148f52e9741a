//! Large ACLED files, read in parallel straight into hot rows (large GeoJSON
//! FeatureCollections: [`geojson`]).
//!
//! The file is read in batches of [`BATCH`] bytes. Each batch is cut into slices at record
//! boundaries found in parallel: the number of `"` characters before a point tells whether it
//! is inside a quoted field (an escaped `""` counts twice), so every core can find the first
//! newline outside quotes in its part once the parts' quote counts are summed. The slices are
//! then parsed on all cores into [`Row`]s with the same rules as [`super::acled`] (which
//! hold them once for both readers); texts are not kept. Each row remembers its record's byte offset, and
//! [`AcledRecords`] reads the record again when the user opens the event.
//!
//! Numeric dates are read day-first while the file is parsed; if the whole file then proves
//! month-first (a second number above 12 and never a first), it is parsed again that way, so
//! the result is exactly what [`super::acled`] decides from all values.

mod cut;
mod geojson;
mod parse;
mod pipeline;
mod readback;
mod split;

use std::io::Read;
use std::path::Path;
use std::sync::atomic::Ordering;

use super::time::DayOrder;
use super::{Bulk, Format, ImportError, LoadOptions, LoadReport, Progress, acled, fields};
use pipeline::parse_file;
use readback::AcledRecords;

/// Bytes read per batch; small batches in tests, so records spanning two batches are
/// exercised.
const BATCH: usize = if cfg!(test) { 64 << 10 } else { 8 << 20 };
/// Slices per batch (parsed in parallel).
const PARTS: usize = 24;

/// Read a large file as hot rows if it is an ACLED export or a GeoJSON FeatureCollection
/// ([`geojson`]); `None` for other formats.
pub(super) fn try_load(
    path: &Path,
    progress: &Progress,
    opts: &LoadOptions,
) -> Result<Option<LoadReport>, ImportError> {
    if let Some(r) = geojson::try_load(path, progress, opts.time_property.as_deref())? {
        return Ok(Some(r));
    }
    let name = path.display().to_string();
    let io = |source| ImportError::Io {
        path: name.clone(),
        source,
    };
    let Some((lower, data_start, cp)) = read_header(path, &name)? else {
        return Ok(None);
    };
    // Only what the detector calls ACLED; anything else (a models table, a plain CSV) is left
    // to the ordinary readers, which say what it is.
    if super::detect::table_format(&name, &lower, false).ok() != Some(Format::Acled) {
        return Ok(None);
    }
    let cols = acled::Cols::new(&lower);
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
    let source = AcledRecords::new(path, &name, lower, parsed.offsets, order, size);
    let mut report = LoadReport::new(&name, Format::Acled, parsed.records);
    report.rejected = parsed.rejected;
    report.notes = notes;
    report.bulk = Some(Bulk {
        rows: parsed.rows,
        areas: parsed.areas,
        source: Box::new(source),
        first: parsed.first,
        last: parsed.last,
    });
    Ok(Some(report))
}

/// The lower-cased header of a comma-separated file, where its records start, and whether
/// the header is not all UTF-8; `None` when the header does not end in the first 64 kB.
fn read_header(path: &Path, name: &str) -> Result<Option<(Vec<String>, u64, bool)>, ImportError> {
    let io = |source| ImportError::Io {
        path: name.to_owned(),
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
        .map(|h| parse::text(h, &mut cp).trim().to_ascii_lowercase())
        .collect();
    Ok(Some((lower, bom as u64 + header_end, cp)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Row;
    use std::sync::atomic::Ordering;

    /// ACLED-like text with quoted notes holding commas, quotes and newlines, odd rows.
    pub(crate) fn sample(rows: usize) -> String {
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
        load_both_bytes(text.as_bytes())
    }

    fn load_both_bytes(bytes: &[u8]) -> (LoadReport, LoadReport) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.csv");
        std::fs::write(&p, bytes).unwrap();
        let slow = super::super::load_bytes(&p.display().to_string(), bytes).unwrap();
        let fast = try_load(&p, &Progress::default(), &LoadOptions::default())
            .unwrap()
            .unwrap();
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

    /// Records with Windows-1252 bytes among UTF-8 ones read back, one at a time and in a
    /// batch, as the importer decoded them.
    #[test]
    fn records_that_are_not_utf8_read_back_as_the_importer_decoded_them() {
        let text = sample(5000);
        let mut bytes = Vec::new();
        for (k, line) in text.split_inclusive('\n').enumerate() {
            bytes.extend_from_slice(line.as_bytes());
            if k % 7 == 3 {
                // "café" in Windows-1252 (E9 is no UTF-8 on its own), inside the first field.
                let at = bytes.len() - line.len();
                bytes.splice(at..at, *b"caf\xe9");
            }
        }
        let (slow, fast) = load_both_bytes(&bytes);
        assert!(slow.events.iter().any(|e| e.id.contains("café")));
        let bulk = fast.bulk.as_ref().unwrap();
        let all: Vec<usize> = (0..slow.events.len()).collect();
        for (k, e) in bulk.source.events(&all, &bulk.rows).into_iter().enumerate() {
            assert_eq!(e.unwrap(), slow.events[k], "record {k} in a batch");
        }
        assert_eq!(bulk.source.event(3).unwrap(), slow.events[3]);
    }

    fn rows_equal_the_importer(text: &str) {
        let (slow, fast) = load_both(text);
        assert_eq!(fast.records, slow.records);
        assert_eq!(fast.rejected, slow.rejected);
        assert_eq!(fast.records, 5000);
        let want = crate::store::resolved_events(&slow.events);
        let bulk = fast.bulk.as_ref().unwrap();
        assert_eq!(bulk.rows.len(), want.len());
        assert_eq!(crate::store::resolved(&bulk.rows, &bulk.areas), want);
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
        // Read in one go (export, text search): the same events, ids of id-less rows too.
        let all: Vec<usize> = (0..want.len()).collect();
        let batch = bulk.source.events(&all, &bulk.rows);
        for (k, e) in batch.into_iter().enumerate() {
            assert_eq!(e.unwrap(), slow.events[k], "record {k} in a batch");
        }
        // For text search: the same events without their extra properties.
        let search = bulk.source.searchable_events(&all, &bulk.rows);
        for (k, e) in search.into_iter().enumerate() {
            let mut want = slow.events[k].clone();
            want.extra.clear();
            assert_eq!(e.unwrap(), want, "record {k} read for search");
        }
        let some = bulk.source.events(&[no_id, 3, 1], &bulk.rows);
        assert_eq!(
            bulk.source.events(&[no_id, 3], &[])[1].as_ref().unwrap(),
            &slow.events[3]
        );
        assert_eq!(some[0].as_ref().unwrap(), &slow.events[no_id], "any order");
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
            let want = crate::store::resolved_events(&slow.events);
            let bulk = fast.bulk.as_ref().unwrap();
            assert_eq!(crate::store::resolved(&bulk.rows, &bulk.areas), want);
        }
    }

    #[test]
    fn progress_reaches_the_end_and_cancel_stops() {
        let text = sample(3000);
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.csv");
        std::fs::write(&p, &text).unwrap();
        let progress = Progress::default();
        try_load(&p, &progress, &LoadOptions::default())
            .unwrap()
            .unwrap();
        assert_eq!(
            progress.done.load(Ordering::Relaxed),
            text.len() as u64,
            "every byte accounted for"
        );
        let cancelled = Progress::default();
        cancelled.cancel.store(true, Ordering::Relaxed);
        assert!(matches!(
            try_load(&p, &cancelled, &LoadOptions::default()),
            Err(ImportError::Cancelled { .. })
        ));
    }

    /// The real ACLED exports (layouts of 2019, 2023 and a reordered D/M/Y one) read the
    /// same through the parallel reader as through the importer.
    #[test]
    fn real_acled_exports_read_the_same_in_bulk() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/realdata");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            // A clone elsewhere may lack the shared folder; CI must not pass without it.
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but {} is missing: the real ACLED exports must be read",
                dir.display()
            );
            eprintln!("skipped: {} is missing", dir.display());
            return;
        };
        let mut n = 0;
        for e in entries.flatten() {
            let p = e.path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if !name.starts_with("acled") {
                continue;
            }
            let slow = super::super::load_path(&p).unwrap();
            let fast = try_load(&p, &Progress::default(), &LoadOptions::default())
                .unwrap()
                .unwrap();
            let want = crate::store::resolved_events(&slow.events);
            let bulk = fast.bulk.as_ref().unwrap();
            assert_eq!(
                crate::store::resolved(&bulk.rows, &bulk.areas),
                want,
                "{name}"
            );
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
        assert!(
            try_load(&p, &Progress::default(), &LoadOptions::default())
                .unwrap()
                .is_none()
        );
    }
}
