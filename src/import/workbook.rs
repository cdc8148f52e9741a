//! Spreadsheets (.xlsx, .xlsm, .xlsb, .xls, .ods) read with calamine into the same table the
//! delimited-text dialects read, so an ACLED workbook is read by the ACLED rules and a
//! hand-kept incident log by the plain-table rules.
//!
//! A workbook can hold several sheets, some of them notes, pivots or shifted copies: the
//! sheet read is the one whose header names coordinates (or place names) and dates, with the
//! most rows; the header may sit below a title block. The report says which, and names the
//! others so the user can pick one ([`super::LoadOptions::sheet`]).

use std::io::Cursor;

use calamine::{Data, Reader};

use super::csv::CsvRole;
use super::fields::q;
use super::headers::{Role, match_headers};
use super::table::Table;
use super::{ImportError, acled};

/// How far down a sheet its header may start (below a title, a logo, notes).
const HEADER_SEARCH_ROWS: usize = 30;

/// Whether bytes are a workbook calamine reads: an Office Open XML (zip with `xl/`), an
/// OpenDocument spreadsheet, or an old-style compound Office file.
pub fn is_workbook(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let contains = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    let zip = head.starts_with(b"PK\x03\x04");
    (zip && (contains(b"xl/") || contains(b"application/vnd.oasis.opendocument.spreadsheet")))
        || head.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
}

/// A sheet's rows as text, with where its header is.
struct Sheet {
    name: String,
    /// Rows as text cells, from the sheet's first used row.
    rows: Vec<Vec<String>>,
    /// The sheet row (1-based) of `rows[0]`.
    first_row: u64,
    /// Index in `rows` of the header.
    header: usize,
    /// How well the header fits an event table (0: not at all).
    score: u32,
}

/// The sheet of a workbook that is read.
pub struct Book {
    /// The sheet's rows below its header.
    pub table: Table,
    /// What the report should say: which sheet, where its header is, the others.
    pub notes: Vec<String>,
    /// The sheet's name.
    pub sheet: String,
    /// Every sheet's name, in workbook order.
    pub sheets: Vec<String>,
}

/// The chosen sheet of a workbook (`wanted`, else the one most like an event table).
pub fn read(file: &str, bytes: &[u8], wanted: Option<&str>) -> Result<Book, ImportError> {
    let err = |message: String| ImportError::Unsupported {
        file: file.to_owned(),
        message,
    };
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| {
            let kind = super::sniff::binary_kind(bytes).unwrap_or("a workbook");
            err(format!("this is {kind}, but it cannot be read as one ({e}): it may be damaged or password-protected; open it in a spreadsheet program and save it again, or export the sheet as CSV"))
        })?;
    let names = book.sheet_names();
    let mut sheets = Vec::new();
    let mut unreadable = Vec::new();
    for name in &names {
        match book.worksheet_range(name) {
            Ok(range) => sheets.push(sheet(name, &range)),
            Err(e) => unreadable.push(format!("{} ({e})", q(name))),
        }
    }
    let chosen = match wanted {
        Some(w) => sheets.iter().position(|s| s.name == w).ok_or_else(|| {
            err(format!(
                "the workbook has no sheet {}; its sheets are {}",
                q(w),
                list(&names)
            ))
        })?,
        None => best(&sheets).ok_or_else(|| {
            err(format!(
                "none of its {} sheet(s) ({}) has a header row with dates and coordinates or place names",
                names.len(),
                list(&names)
            ))
        })?,
    };
    let s = sheets.swap_remove(chosen);
    let mut notes = vec![format!(
        "sheet {} read (header on row {}, {} data row(s)){}",
        q(&s.name),
        s.first_row + s.header as u64,
        s.rows.len().saturating_sub(s.header + 1),
        if names.len() > 1 {
            format!("; the workbook's sheets are {}", list(&names))
        } else {
            String::new()
        }
    )];
    if !unreadable.is_empty() {
        notes.push(format!(
            "sheets that could not be read: {}",
            unreadable.join(", ")
        ));
    }
    let headers = s.rows.get(s.header).cloned().unwrap_or_default();
    let data_start = s.first_row + s.header as u64 + 1;
    let rows = s
        .rows
        .into_iter()
        .skip(s.header + 1)
        .zip(data_start..)
        .filter(|(cells, _)| cells.iter().any(|c| !c.is_empty()))
        .map(|(cells, row)| (row, cells))
        .collect();
    Ok(Book {
        table: Table::from_rows(headers, rows),
        notes,
        sheet: s.name,
        sheets: names,
    })
}

/// Sheet names quoted, comma-separated.
fn list(names: &[String]) -> String {
    names.iter().map(|n| q(n)).collect::<Vec<_>>().join(", ")
}

/// The best sheet: a header fit for events, then the most rows.
fn best(sheets: &[Sheet]) -> Option<usize> {
    sheets
        .iter()
        .enumerate()
        .filter(|(_, s)| s.score > 0)
        .max_by_key(|(i, s)| (s.score, s.rows.len() - s.header, std::cmp::Reverse(*i)))
        .map(|(i, _)| i)
}

/// A sheet's cells as text, its header row found.
fn sheet(name: &str, range: &calamine::Range<Data>) -> Sheet {
    let first_row = range.start().map_or(1, |(r, _)| u64::from(r) + 1);
    // Rows hold the used range only: a table that starts at column C is read from C.
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    let (header, score) = rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .enumerate()
        .map(|(i, r)| (i, header_score(r)))
        .max_by_key(|&(i, s)| (s, std::cmp::Reverse(i)))
        .unwrap_or((0, 0));
    Sheet {
        name: name.to_owned(),
        rows,
        first_row,
        header,
        score,
    }
}

/// How well a row reads as an event table's header: dates and a location (coordinates 3,
/// place names 2), or an ACLED header; 0 when it is none.
fn header_score(row: &[String]) -> u32 {
    let lower: Vec<String> = row.iter().map(|h| h.to_ascii_lowercase()).collect();
    if acled::is_acled(&lower) {
        return 4;
    }
    if row.iter().filter(|c| !c.is_empty()).count() < 2 {
        return 0;
    }
    let m = match_headers(row);
    let csv = |r| m.get(Role::Csv(r)).is_some();
    let coords = (csv(CsvRole::Lat) && csv(CsvRole::Lon)) || csv(CsvRole::LatLon);
    let places = csv(CsvRole::Place) || csv(CsvRole::Admin1) || csv(CsvRole::Country);
    match (m.dates.is_empty(), coords, places) {
        (false, true, _) => 3,
        (false, false, true) => 2,
        (true, true, _) => 1,
        _ => 0,
    }
}

/// A cell as the text a CSV export of it would hold: dates as ISO dates (or date-times),
/// whole numbers without ".0", errors and empty cells empty.
fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, m, day, h, mi, s, _) = d.to_ymd_hms_milli();
            if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{day:02}")
            } else {
                format!("{y:04}-{m:02}-{day:02}T{h:02}:{mi:02}:{s:02}")
            }
        }
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
    }
}
