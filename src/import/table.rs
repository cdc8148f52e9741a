//! The row reader of every delimited-text dialect (plain CSV/TSV, ACLED, UCDP, GDELT, the
//! missile attacks): the header, then each record with the file line it starts on, records the
//! csv reader cannot split already rejected; [`Table::events`] runs a dialect's rules over the
//! rows and builds the report's counts.

use super::records::{Outcome, Refusal};
use super::{ImportError, RecordRef, RejectReason, Rejection, fields};
use crate::model::Event;

/// A delimited file read into trimmed text fields.
#[derive(Debug)]
pub(super) struct Table {
    /// The header's names, trimmed (for headerless GDELT: its first record).
    pub headers: Vec<String>,
    /// The same, lower-cased: dialects find their columns by these.
    pub lower: Vec<String>,
    /// Headerless GDELT: the first line is a record, tab-separated, unquoted.
    pub headerless: bool,
    /// Each record's file line and fields.
    rows: Vec<(u64, Vec<String>)>,
    /// Records the csv reader refused, by line.
    rejected: Vec<Rejection>,
}

/// One record of a [`Table`]: where it is and its fields.
#[derive(Clone, Copy, Debug)]
pub(super) struct Record<'a> {
    /// The file line the record starts on.
    pub line: u64,
    /// Its fields.
    pub fields: Fields<'a>,
}

/// A record's fields: strings kept by the whole-file reader, or a record as the csv reader
/// read it, borrowed (reading a million records back from a large file copies no field).
#[derive(Clone, Copy, Debug)]
pub(super) enum Fields<'a> {
    /// Decoded and trimmed.
    Kept(&'a [String]),
    /// As read: valid UTF-8, not trimmed.
    Read(&'a csv::StringRecord),
}

impl<'a> Fields<'a> {
    /// How many fields the record has.
    pub fn len(self) -> usize {
        match self {
            Self::Kept(f) => f.len(),
            Self::Read(r) => r.len(),
        }
    }

    /// Field `i`, trimmed.
    pub fn get(self, i: usize) -> Option<&'a str> {
        match self {
            Self::Kept(f) => f.get(i).map(String::as_str),
            Self::Read(r) => r.get(i).map(str::trim),
        }
    }

    /// Every field, trimmed, in order.
    pub fn iter(self) -> impl Iterator<Item = &'a str> {
        (0..self.len()).map(move |i| self.get(i).unwrap_or_default())
    }
}

impl<'a> Record<'a> {
    /// A record of fields read elsewhere (a record read back from a large file).
    pub fn new(line: u64, fields: &'a [String]) -> Self {
        Self {
            line,
            fields: Fields::Kept(fields),
        }
    }

    /// A record as the csv reader read it (its fields are trimmed when asked for).
    pub fn read(line: u64, fields: &'a csv::StringRecord) -> Self {
        Self {
            line,
            fields: Fields::Read(fields),
        }
    }

    /// Field `i`, trimmed ([`Fields::get`]); `None` when there is no such column or it is
    /// empty.
    pub fn get(&self, i: Option<usize>) -> Option<&'a str> {
        i.and_then(|i| self.fields.get(i)).filter(|s| !s.is_empty())
    }

    /// [`Record::get`] as an owned string.
    pub fn text(&self, i: Option<usize>) -> Option<String> {
        self.get(i).map(str::to_owned)
    }
}

impl Table {
    /// Read delimited text: the delimiter guessed from the first line (tab for headerless
    /// GDELT, which is detected there as it is parsed differently), then every record.
    pub fn read(file: &str, bytes: &[u8]) -> Result<Self, ImportError> {
        let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
        if first_line.len() > fields::MAX_RECORD_BYTES {
            return Err(ImportError::Unsupported {
                file: file.to_owned(),
                message: super::no_line_break_message(),
            });
        }
        let headerless = super::detect::is_headerless(&String::from_utf8_lossy(first_line));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(if headerless {
                b'\t'
            } else {
                sniff_delimiter(bytes)
            })
            .has_headers(!headerless)
            // GDELT text fields are never quoted, and may contain quote characters.
            .quoting(!headerless)
            .flexible(true)
            .from_reader(bytes);
        let headers: Vec<String> = reader
            .byte_headers()
            .map_err(|e| ImportError::Unsupported {
                file: file.to_owned(),
                message: format!("cannot read the header line: {e}"),
            })?
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_owned())
            .collect();
        let lower = headers.iter().map(|h| h.to_ascii_lowercase()).collect();
        let (rows, rejected) = read_rows(&mut reader, bytes);
        Ok(Self {
            headers,
            lower,
            headerless,
            rows,
            rejected,
        })
    }

    /// A table of rows read elsewhere (a workbook's sheet), each with the row number the user
    /// finds it at.
    pub fn from_rows(headers: Vec<String>, rows: Vec<(u64, Vec<String>)>) -> Self {
        let lower = headers.iter().map(|h| h.to_ascii_lowercase()).collect();
        Self {
            headers,
            lower,
            headerless: false,
            rows,
            rejected: Vec::new(),
        }
    }

    /// The records, in file order.
    pub fn records(&self) -> impl ExactSizeIterator<Item = Record<'_>> {
        self.rows
            .iter()
            .map(|(line, fields)| Record::new(*line, fields))
    }

    /// Every record through a dialect's `read`: its events and rejections (after those the
    /// csv reader refused), with every record counted.
    pub fn events(&self, read: impl FnMut(Record<'_>) -> Result<Event, Refusal>) -> Outcome {
        Outcome::with_rejected(self.rejected.clone())
            .read(self.records().map(|r| (RecordRef::Row(r.line), r)), read)
    }
}

/// Read every record; a record the csv reader cannot parse is rejected with its line.
fn read_rows(
    reader: &mut csv::Reader<&[u8]>,
    bytes: &[u8],
) -> (Vec<(u64, Vec<String>)>, Vec<Rejection>) {
    let mut rows: Vec<(u64, Vec<String>)> = Vec::new();
    let mut rejected = Vec::new();
    let mut record = csv::ByteRecord::new();
    let mut lines = Lines::default();
    let malformed = |line, detail| Rejection {
        record: RecordRef::Row(line),
        reason: RejectReason::Malformed,
        detail,
    };
    loop {
        let before = reader.position().byte();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let at = record.position().map_or(before, csv::Position::byte);
                let line = lines.of_record_at(bytes, at);
                if let Some(why) = fields::oversize(record.as_slice().len()) {
                    rejected.push(malformed(line, why));
                    continue;
                }
                let fields = record
                    .iter()
                    .map(|f| String::from_utf8_lossy(f).trim().to_owned())
                    .collect();
                rows.push((line, fields));
            }
            Err(e) => {
                let line = lines.of_record_at(bytes, before);
                // e.g. an unterminated quote at the end of a truncated file: reported, and we
                // stop, as the reader cannot resynchronise reliably after it.
                rejected.push(malformed(line, e.to_string()));
                if !matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                    break;
                }
            }
        }
    }
    (rows, rejected)
}

/// Guess the delimiter from the first line: the most frequent of tab, semicolon, comma.
fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let line_end = bytes
        .iter()
        .position(|b| *b == b'\n')
        .unwrap_or(bytes.len());
    let line = &bytes[..line_end];
    let count = |d: u8| line.iter().filter(|b| **b == d).count();
    [b',', b'\t', b';']
        .into_iter()
        .max_by_key(|d| count(*d))
        .unwrap_or(b',')
}

/// File lines of records, counted as the reader goes. The csv crate's own line numbers are
/// not used: it places a record before the blank lines it skips, and counts a CRLF line end
/// that follows a record on the record's line, so after blank or CRLF lines its numbers were
/// off by one or two.
#[derive(Default)]
struct Lines {
    /// Bytes counted so far, and the newlines in them.
    pos: usize,
    newlines: u64,
}

impl Lines {
    /// The 1-based line of the record the reader placed at byte `at`: the first byte after
    /// any line ends there.
    fn of_record_at(&mut self, bytes: &[u8], at: u64) -> u64 {
        let mut start = usize::try_from(at).unwrap_or(usize::MAX).min(bytes.len());
        while let Some(b'\n' | b'\r') = bytes.get(start) {
            start += 1;
        }
        if start > self.pos {
            self.newlines += memchr::memchr_iter(b'\n', &bytes[self.pos..start]).count() as u64;
            self.pos = start;
        }
        self.newlines + 1
    }
}
