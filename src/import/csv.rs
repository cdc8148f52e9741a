//! Plain CSV/TSV importer: latitude/longitude (or one "lat, lon" column) and a date column,
//! detected by header name. Other columns are kept as extra properties.

use super::fields::q;
use super::time::{EpochUnit, combine, implausible, parse_time_in};
use super::{Format, ImportError, LoadReport, RejectReason, Rejection};
use crate::model::{Event, Location, LocationPrecision, Target, Weapon};

const LAT: &[&str] = &["latitude", "lat", "y"];
const LON: &[&str] = &["longitude", "lon", "lng", "long", "x"];
const LATLON: &[&str] = &[
    "coordinates",
    "latlon",
    "lat_lon",
    "lat, lon",
    "location_coordinates",
];
const DATE: &[&str] = &[
    "date",
    "event_date",
    "date_start",
    "start_date",
    "time",
    "timestamp",
    "datetime",
    "time_start",
    "start",
];
const END: &[&str] = &["date_end", "end_date", "time_end", "end"];
const TITLE: &[&str] = &["title", "name", "headline"];
const DESC: &[&str] = &["description", "notes", "summary", "text"];
const PLACE: &[&str] = &["place", "location", "city", "settlement", "town"];
const ADMIN1: &[&str] = &["admin1", "oblast", "region", "province"];
const COUNTRY: &[&str] = &["country"];
const WEAPON: &[&str] = &["weapon", "weapon_type", "weapons"];
const TARGET: &[&str] = &["target", "category", "target_type"];
const KILLED: &[&str] = &["killed", "fatalities", "deaths", "dead"];
const INJURED: &[&str] = &["injured", "wounded"];
const SOURCE: &[&str] = &["source", "sources", "url", "link"];

/// Column positions found in the header.
#[derive(Default)]
struct Columns {
    lat: Option<usize>,
    lon: Option<usize>,
    latlon: Option<usize>,
    date: Option<usize>,
    end: Option<usize>,
    title: Option<usize>,
    desc: Option<usize>,
    place: Option<usize>,
    admin1: Option<usize>,
    country: Option<usize>,
    weapon: Option<usize>,
    target: Option<usize>,
    killed: Option<usize>,
    injured: Option<usize>,
    source: Option<usize>,
    id: Option<usize>,
}

/// The roles a column can play, as offered in the column mapping: key and label.
pub const ROLES: [(&str, &str); 15] = [
    ("lat", "latitude"),
    ("lon", "longitude"),
    ("latlon", "\"lat, lon\" in one column"),
    ("date", "date (start)"),
    ("end", "end date"),
    ("title", "title"),
    ("desc", "description"),
    ("place", "place"),
    ("admin1", "region / oblast"),
    ("country", "country"),
    ("weapon", "weapon"),
    ("target", "target"),
    ("killed", "killed"),
    ("injured", "injured"),
    ("source", "source"),
];

impl Columns {
    /// The column slot of a role key from [`ROLES`].
    fn role_mut(&mut self, role: &str) -> Option<&mut Option<usize>> {
        Some(match role {
            "lat" => &mut self.lat,
            "lon" => &mut self.lon,
            "latlon" => &mut self.latlon,
            "date" => &mut self.date,
            "end" => &mut self.end,
            "title" => &mut self.title,
            "desc" => &mut self.desc,
            "place" => &mut self.place,
            "admin1" => &mut self.admin1,
            "country" => &mut self.country,
            "weapon" => &mut self.weapon,
            "target" => &mut self.target,
            "killed" => &mut self.killed,
            "injured" => &mut self.injured,
            "source" => &mut self.source,
            _ => return None,
        })
    }

    /// The mapping as shown to the user: each role and the header name it reads.
    fn mapping(&mut self, headers: &[String]) -> Vec<(String, Option<String>)> {
        ROLES
            .iter()
            .map(|(role, _)| {
                let col = self
                    .role_mut(role)
                    .and_then(|c| *c)
                    .and_then(|i| headers.get(i).cloned());
                ((*role).to_owned(), col)
            })
            .collect()
    }

    fn detect(headers: &[String]) -> Self {
        let norm: Vec<String> = headers
            .iter()
            .map(|h| h.trim().trim_matches('"').to_ascii_lowercase())
            .collect();
        let find = |names: &[&str]| names.iter().find_map(|n| norm.iter().position(|h| h == n));
        Self {
            lat: find(LAT),
            lon: find(LON),
            latlon: find(LATLON),
            date: find(DATE),
            end: find(END),
            title: find(TITLE),
            desc: find(DESC),
            place: find(PLACE),
            admin1: find(ADMIN1),
            country: find(COUNTRY),
            weapon: find(WEAPON),
            target: find(TARGET),
            killed: find(KILLED),
            injured: find(INJURED),
            source: find(SOURCE),
            id: find(&["id", "event_id"]),
        }
    }

    fn consumed(&self) -> Vec<usize> {
        [
            self.lat,
            self.lon,
            self.latlon,
            self.date,
            self.end,
            self.title,
            self.desc,
            self.place,
            self.admin1,
            self.country,
            self.weapon,
            self.target,
            self.killed,
            self.injured,
            self.source,
            self.id,
        ]
        .into_iter()
        .flatten()
        .collect()
    }
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

/// Import delimited text: ACLED exports by their header, anything else by column names.
pub(super) fn load(
    file: &str,
    bytes: &[u8],
    dir: Option<&std::path::Path>,
    columns: &super::ColumnChoices,
) -> Result<LoadReport, ImportError> {
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    if first_line.len() > super::fields::MAX_RECORD_BYTES {
        return Err(ImportError::Unsupported {
            file: file.to_owned(),
            message: super::no_line_break_message(),
        });
    }
    let headerless_gdelt = super::gdelt::is_gdelt(&String::from_utf8_lossy(first_line));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(if headerless_gdelt {
            b'\t'
        } else {
            sniff_delimiter(bytes)
        })
        .has_headers(!headerless_gdelt)
        // GDELT text fields are never quoted, and may contain quote characters.
        .quoting(!headerless_gdelt)
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
    let lower: Vec<String> = headers.iter().map(|h| h.to_ascii_lowercase()).collect();

    // Read every record first; a record the csv reader cannot parse is rejected with its line.
    let mut rows: Vec<(u64, Vec<String>)> = Vec::new();
    let mut rejected = Vec::new();
    let mut record = csv::ByteRecord::new();
    let mut lines = Lines::default();
    loop {
        let before = reader.position().byte();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let at = record.position().map_or(before, csv::Position::byte);
                let line = lines.of_record_at(bytes, at);
                if let Some(why) = super::fields::oversize(record.as_slice().len()) {
                    rejected.push(Rejection {
                        record: format!("row {line}"),
                        reason: RejectReason::Malformed,
                        detail: why,
                    });
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
                rejected.push(Rejection {
                    record: format!("row {line}"),
                    reason: RejectReason::Malformed,
                    detail: e.to_string(),
                });
                if !matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                    break;
                }
            }
        }
    }

    if headerless_gdelt {
        return Ok(super::gdelt::load(file, &rows, rejected));
    }
    if super::acled::is_acled(&lower) {
        return Ok(super::acled::load(file, &lower, &rows, rejected));
    }
    if super::missiles::is_attacks(&lower) {
        return Ok(super::missiles::load(file, dir, &lower, &rows, rejected));
    }
    if super::missiles::is_models(&lower) {
        return Err(ImportError::Unsupported {
            file: file.to_owned(),
            message: "this is the weapon models table of the \"Massive Missile Attacks on Ukraine\" dataset, not events: open the attacks file (the models are joined from beside it)".to_owned(),
        });
    }
    if super::ucdp::is_ucdp(&lower) {
        return Ok(super::ucdp::load(file, &lower, &rows, rejected));
    }

    let mut cols = Columns::detect(&headers);
    // The user's mapping for files with this header, over what the names suggest.
    let signature = headers.join("\u{1f}");
    if let Some(chosen) = columns.get(&signature) {
        for (role, column) in chosen {
            if let Some(slot) = cols.role_mut(role) {
                *slot = headers.iter().position(|h| h == column);
            }
        }
    }
    let choice = super::CsvColumns {
        signature,
        header: headers.clone(),
        roles: cols.mapping(&headers),
    };
    let has_coords = (cols.lat.is_some() && cols.lon.is_some()) || cols.latlon.is_some();
    if !has_coords || cols.date.is_none() {
        let mut missing = Vec::new();
        if !has_coords {
            missing.push("latitude/longitude");
        }
        if cols.date.is_none() {
            missing.push("date");
        }
        return Err(ImportError::NeedsColumns {
            file: file.to_owned(),
            message: format!(
                "no {} column found among its {} columns ({}{}); choose which columns hold them",
                missing.join(" or "),
                headers.len(),
                headers
                    .iter()
                    .take(6)
                    .map(|h| super::fields::quote_input(h, 24))
                    .collect::<Vec<_>>()
                    .join(", "),
                if headers.len() > 6 { ", …" } else { "" }
            ),
            columns: Box::new(choice),
        });
    }
    let consumed = cols.consumed();
    // Records the csv reader could not split count once, in addition to the rows.
    let records = rows.len() + rejected.len();
    let units = [cols.date, cols.end].map(|c| {
        EpochUnit::for_texts(
            rows.iter()
                .filter_map(|(_, f)| f.get(c?).map(String::as_str)),
        )
    });
    let mut events = Vec::with_capacity(rows.len());
    for (line, fields) in &rows {
        match row_to_event(*line, fields, &headers, &cols, &consumed, units) {
            Ok(e) => events.push(e),
            Err(r) => rejected.push(r),
        }
    }
    Ok(LoadReport {
        bulk: None,
        time_choice: None,
        csv_columns: Some(choice),
        file: file.to_owned(),
        format: Format::Csv,
        records,
        events,
        rejected,
        notes: Vec::new(),
    })
}

fn row_to_event(
    row: u64,
    fields: &[String],
    headers: &[String],
    cols: &Columns,
    consumed: &[usize],
    [start_unit, end_unit]: [EpochUnit; 2],
) -> Result<Event, Rejection> {
    let reject = |reason, detail: String| Rejection {
        record: format!("row {row}"),
        reason,
        detail,
    };
    let get = |c: Option<usize>| -> Option<&str> {
        c.and_then(|i| fields.get(i))
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    };

    let (lat_s, lon_s) = match (get(cols.lat), get(cols.lon), get(cols.latlon)) {
        (Some(a), Some(b), _) => (a.to_owned(), b.to_owned()),
        (_, _, Some(pair)) => {
            let mut it = pair.split([',', ';', ' ']).filter(|s| !s.is_empty());
            match (it.next(), it.next()) {
                (Some(a), Some(b)) => (a.to_owned(), b.to_owned()),
                _ => {
                    return Err(reject(
                        RejectReason::InvalidCoordinates,
                        format!("{} is not \"lat, lon\"", q(pair)),
                    ));
                }
            }
        }
        _ => {
            return Err(reject(
                RejectReason::MissingLocation,
                "empty latitude/longitude".into(),
            ));
        }
    };
    let lat: f64 = lat_s.parse().map_err(|_| {
        reject(
            RejectReason::InvalidCoordinates,
            format!("latitude {} is not a number", q(&lat_s)),
        )
    })?;
    let lon: f64 = lon_s.parse().map_err(|_| {
        reject(
            RejectReason::InvalidCoordinates,
            format!("longitude {} is not a number", q(&lon_s)),
        )
    })?;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(reject(
            RejectReason::InvalidCoordinates,
            format!("lat {lat}, lon {lon} is outside the globe"),
        ));
    }

    let Some(date_s) = get(cols.date) else {
        return Err(reject(RejectReason::MissingDate, "empty date".into()));
    };
    let start = parse_time_in(date_s, start_unit).ok_or_else(|| {
        reject(
            RejectReason::InvalidDate,
            format!("{} is not a date", q(date_s)),
        )
    })?;
    let end = match get(cols.end) {
        Some(s) => Some(parse_time_in(s, end_unit).ok_or_else(|| {
            reject(
                RejectReason::InvalidDate,
                format!("end {} is not a date", q(s)),
            )
        })?),
        None => None,
    };
    let time = combine(start, end, None);
    if let Some(why) = implausible(&time) {
        return Err(reject(
            RejectReason::ImplausibleDate,
            format!("{}: {why}", q(date_s)),
        ));
    }

    let location = Location {
        lat,
        lon,
        precision: LocationPrecision::Exact,
        place: get(cols.place).map(str::to_owned),
        admin1: get(cols.admin1).map(str::to_owned),
        country: get(cols.country).map(str::to_owned),
    };
    let id = get(cols.id).map_or_else(|| format!("row-{row}"), str::to_owned);
    let mut e = Event::new(id, time, location);
    e.title = get(cols.title).map(str::to_owned);
    e.description = get(cols.desc).map(str::to_owned);
    if let Some(w) = get(cols.weapon) {
        let weapon = Weapon::parse(w);
        if weapon != Weapon::Unknown {
            e.weapons.push(weapon);
        }
        if weapon == Weapon::Other {
            e.weapon_detail = Some(w.to_owned());
        }
    }
    e.target = get(cols.target).and_then(Target::parse);
    e.killed = get(cols.killed).and_then(parse_count);
    e.injured = get(cols.injured).and_then(parse_count);
    if let Some(s) = get(cols.source) {
        let is_url = s.starts_with("http://") || s.starts_with("https://");
        e.sources.push(crate::model::Source {
            outlet: (!is_url).then(|| s.to_owned()),
            url: is_url.then(|| s.to_owned()),
            ..Default::default()
        });
    }
    for (i, v) in fields.iter().enumerate() {
        if consumed.contains(&i) || v.is_empty() {
            continue;
        }
        let key = headers
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("column {}", i + 1));
        e.extra.push((key, v.clone()));
    }
    Ok(e)
}

fn parse_count(s: &str) -> Option<u32> {
    super::fields::count(s)
}

#[cfg(test)]
mod tests {
    use super::super::load_bytes;
    use super::*;
    use crate::model::TimePrecision;

    #[test]
    fn plain_csv_with_quotes_crlf_and_extras() {
        let data = "id,date,latitude,longitude,place,weapon,killed,injured,note\r\n\
                    e1,2025-07-10,50.45,30.52,Kyiv,drone,2,16,\"multi\r\nline, with \"\"quotes\"\"\"\r\n\
                    e2,2025-07-09T18:00:00Z,48.53,37.70,Kostiantynivka,guided bomb,3,,\r\n";
        let r = load_bytes("t.csv", data.as_bytes()).unwrap();
        assert_eq!(r.records, 2);
        assert_eq!(r.events.len(), 2, "{:?}", r.rejected);
        let a = &r.events[0];
        assert_eq!(a.killed, Some(2));
        assert_eq!(a.injured, Some(16));
        assert_eq!(a.time.precision, TimePrecision::Day);
        assert_eq!(a.extra[0].0, "note");
        assert!(a.extra[0].1.contains("\"quotes\""));
        let b = &r.events[1];
        assert_eq!(b.weapons, vec![Weapon::GuidedBomb]);
        assert_eq!(b.injured, None);
    }

    #[test]
    fn every_row_is_counted() {
        let data = "lat\tlon\tdate\n50\t30\t2025-01-01\n\t30\t2025-01-01\n50\tabc\t2025-01-01\n50\t30\t\n50\t30\tnot a date\n91\t30\t2025-01-01\n";
        let r = load_bytes("t.tsv", data.as_bytes()).unwrap();
        assert_eq!(r.records, 6);
        assert_eq!(r.events.len(), 1);
        let got: Vec<_> = r
            .rejected
            .iter()
            .map(|x| (x.record.clone(), x.reason))
            .collect();
        assert_eq!(
            got,
            vec![
                ("row 3".to_owned(), RejectReason::MissingLocation),
                ("row 4".to_owned(), RejectReason::InvalidCoordinates),
                ("row 5".to_owned(), RejectReason::MissingDate),
                ("row 6".to_owned(), RejectReason::InvalidDate),
                ("row 7".to_owned(), RejectReason::InvalidCoordinates),
            ]
        );
    }

    /// Rejections name the line the record is on in the file, after blank lines and CRLF
    /// line ends too (the csv crate's own numbers were off by one or two there).
    #[test]
    fn rows_are_numbered_by_their_file_line() {
        let data = "lat,lon,date\n50,30,2025-01-01\n\n,30,2025-01-01\n\r\n\r\n,31,2025-01-01\r\n\
                    ,32,2025-01-01\n\"50\",\"3\n0\",2025-01-01\n,33,2025-01-01\n";
        let r = load_bytes("t.csv", data.as_bytes()).unwrap();
        let rows: Vec<_> = r.rejected.iter().map(|x| x.record.as_str()).collect();
        assert_eq!(rows, ["row 4", "row 7", "row 8", "row 9", "row 11"]);
    }

    #[test]
    fn one_latlon_column() {
        let data = "when,coordinates\n2025-01-02,\"50.1, 30.2\"\n";
        let data = data.replace("when", "date");
        let r = load_bytes("t.csv", data.as_bytes()).unwrap();
        assert_eq!(r.events.len(), 1);
        assert!((r.events[0].location.lon - 30.2).abs() < 1e-9);
    }

    #[test]
    fn truncated_last_record_is_reported_not_lost() {
        let data = "lat,lon,date,desc\n50,30,2025-01-01,ok\n51,31,2025-01-02,\"unterminated";
        let r = load_bytes("t.csv", data.as_bytes()).unwrap();
        assert_eq!(r.records, r.events.len() + r.rejected.len());
    }

    #[test]
    fn header_without_coordinates_is_a_clear_error() {
        let err = load_bytes("t.csv", b"name,date\na,2025-01-01\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("latitude/longitude"), "{msg}");
    }
}
