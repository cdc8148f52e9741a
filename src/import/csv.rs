//! Plain CSV/TSV importer: latitude/longitude (or one "lat, lon" column) and a date column,
//! detected by header name. Other columns are kept as extra properties.

use super::dates::{DateColumn, DateFail, combine_times, read_column};
use super::fields::q;
use super::geocode::{NameColumns, Placed, place_rows};
use super::headers::{Role, match_headers};
use super::records::Refusal;
use super::table::{Record, Table};
use super::{ColumnChoices, CsvColumns, Format, ImportError, LoadReport, RejectReason};
use crate::model::{Event, EventTime, Location, LocationPrecision, Target, Weapon};

/// A role a column of a plain CSV file can play, as offered in the column mapping. Its
/// [`CsvRole::key`] is what persisted column choices store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CsvRole {
    /// Latitude.
    Lat,
    /// Longitude.
    Lon,
    /// "lat, lon" in one column.
    LatLon,
    /// The (start) date.
    Date,
    /// The end date.
    End,
    /// Title.
    Title,
    /// Description.
    Desc,
    /// Place name.
    Place,
    /// Region / oblast.
    Admin1,
    /// Country.
    Country,
    /// Weapon.
    Weapon,
    /// Target.
    Target,
    /// Killed.
    Killed,
    /// Injured.
    Injured,
    /// Source.
    Source,
}

impl CsvRole {
    /// Every role, in the order the mapping dialog lists them.
    pub const ALL: [CsvRole; 15] = [
        Self::Lat,
        Self::Lon,
        Self::LatLon,
        Self::Date,
        Self::End,
        Self::Title,
        Self::Desc,
        Self::Place,
        Self::Admin1,
        Self::Country,
        Self::Weapon,
        Self::Target,
        Self::Killed,
        Self::Injured,
        Self::Source,
    ];

    /// The stable key, as saved in the settings' column choices.
    pub fn key(self) -> &'static str {
        match self {
            Self::Lat => "lat",
            Self::Lon => "lon",
            Self::LatLon => "latlon",
            Self::Date => "date",
            Self::End => "end",
            Self::Title => "title",
            Self::Desc => "desc",
            Self::Place => "place",
            Self::Admin1 => "admin1",
            Self::Country => "country",
            Self::Weapon => "weapon",
            Self::Target => "target",
            Self::Killed => "killed",
            Self::Injured => "injured",
            Self::Source => "source",
        }
    }

    /// The role of a saved key; `None` for a key no role has (any more).
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.key() == key)
    }

    /// Human-readable name, for the mapping dialog.
    pub fn label(self) -> &'static str {
        match self {
            Self::Lat => "latitude",
            Self::Lon => "longitude",
            Self::LatLon => "\"lat, lon\" in one column",
            Self::Date => "date (start)",
            Self::End => "end date",
            Self::Desc => "description",
            Self::Admin1 => "region / oblast",
            other => other.key(),
        }
    }
}

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
    children_killed: Option<usize>,
    children_injured: Option<usize>,
    launched: Option<usize>,
    intercepted: Option<usize>,
    /// Further date columns, best first, each read for a row whose dates before it are
    /// empty ("Post Date" behind "Incident date").
    fallback_dates: Vec<usize>,
}

impl Columns {
    /// The column slot of a role.
    fn role_mut(&mut self, role: CsvRole) -> &mut Option<usize> {
        match role {
            CsvRole::Lat => &mut self.lat,
            CsvRole::Lon => &mut self.lon,
            CsvRole::LatLon => &mut self.latlon,
            CsvRole::Date => &mut self.date,
            CsvRole::End => &mut self.end,
            CsvRole::Title => &mut self.title,
            CsvRole::Desc => &mut self.desc,
            CsvRole::Place => &mut self.place,
            CsvRole::Admin1 => &mut self.admin1,
            CsvRole::Country => &mut self.country,
            CsvRole::Weapon => &mut self.weapon,
            CsvRole::Target => &mut self.target,
            CsvRole::Killed => &mut self.killed,
            CsvRole::Injured => &mut self.injured,
            CsvRole::Source => &mut self.source,
        }
    }

    /// The mapping as shown to the user: each role and the header name it reads.
    fn mapping(&mut self, headers: &[String]) -> Vec<(CsvRole, Option<String>)> {
        CsvRole::ALL
            .iter()
            .map(|&role| {
                let col = self.role_mut(role).and_then(|i| headers.get(i).cloned());
                (role, col)
            })
            .collect()
    }

    /// The roles the header's words give its columns ([`match_headers`]).
    fn detect(headers: &[String]) -> Self {
        let m = match_headers(headers);
        let csv = |r| m.get(Role::Csv(r));
        Self {
            lat: csv(CsvRole::Lat),
            lon: csv(CsvRole::Lon),
            latlon: csv(CsvRole::LatLon),
            date: m.dates.first().copied(),
            end: csv(CsvRole::End),
            title: csv(CsvRole::Title),
            desc: csv(CsvRole::Desc),
            place: csv(CsvRole::Place),
            admin1: csv(CsvRole::Admin1),
            country: csv(CsvRole::Country),
            weapon: csv(CsvRole::Weapon),
            target: csv(CsvRole::Target),
            killed: csv(CsvRole::Killed),
            injured: csv(CsvRole::Injured),
            source: csv(CsvRole::Source),
            id: m.get(Role::Id),
            children_killed: m.get(Role::ChildrenKilled),
            children_injured: m.get(Role::ChildrenInjured),
            launched: m.get(Role::Launched),
            intercepted: m.get(Role::Intercepted),
            fallback_dates: m.dates.get(1..).unwrap_or_default().to_vec(),
        }
    }

    /// The date columns in the order a row's date is looked for.
    fn date_columns(&self) -> Vec<usize> {
        self.date
            .into_iter()
            .chain(self.fallback_dates.iter().copied())
            .collect()
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
            self.children_killed,
            self.children_injured,
            self.launched,
            self.intercepted,
        ]
        .into_iter()
        .flatten()
        .chain(self.fallback_dates.iter().copied())
        .collect()
    }
}

/// What the rows of a plain CSV file are read with.
struct Reading<'a> {
    headers: &'a [String],
    cols: Columns,
    consumed: Vec<usize>,
    /// Each row's time (or why it has none), in table order.
    times: Vec<Result<EventTime, Refusal>>,
    /// Rows without coordinates, placed by their place names (`None`: the row has them).
    by_name: Vec<Option<Result<Placed, Refusal>>>,
    /// Our own schema's columns (a strikemap CSV export read back).
    schema: SchemaColumns,
}

/// Columns of the strikemap CSV export that people's words have no role for, found by
/// their exact names, so an export reads back as it was written.
#[derive(Debug, Default)]
struct SchemaColumns {
    time_precision: Option<usize>,
    time_note: Option<usize>,
    location_precision: Option<usize>,
    location_note: Option<usize>,
    weapon_detail: Option<usize>,
    killed_low: Option<usize>,
    killed_high: Option<usize>,
}

impl SchemaColumns {
    fn find(lower: &[String]) -> Self {
        let at = |n: &str| lower.iter().position(|h| h == n);
        Self {
            time_precision: at("time_precision"),
            time_note: at("time_note"),
            location_precision: at("location_precision"),
            location_note: at("location_note"),
            weapon_detail: at("weapon_detail"),
            killed_low: at("killed_low"),
            killed_high: at("killed_high"),
        }
    }

    fn all(&self) -> [Option<usize>; 7] {
        [
            self.time_precision,
            self.time_note,
            self.location_precision,
            self.location_note,
            self.weapon_detail,
            self.killed_low,
            self.killed_high,
        ]
    }
}

/// Import delimited text by column names (the dialects known by their header are detected
/// before: [`super::detect`]).
pub(super) fn load(
    file: &str,
    table: &Table,
    choices: &ColumnChoices,
) -> Result<LoadReport, ImportError> {
    let headers = &table.headers;
    let (mut cols, choice) = columns(file, headers, choices)?;
    let mut notes = Vec::new();
    coordinates_by_content(&mut cols, table, &mut notes);
    let declared = SchemaColumns::find(&table.lower).time_precision;
    let times = times(table, &cols, declared, &mut notes);
    let names = NameColumns {
        place: cols.place,
        admin1: cols.admin1,
        country: cols.country,
    };
    let (by_name, placed_notes) = {
        let rows: Vec<Record<'_>> = table.records().collect();
        let cols = &cols;
        place_rows(table, names, |i| {
            rows.get(i).is_some_and(|r| !has_coords(cols, *r))
        })
    };
    notes.extend(placed_notes);
    let schema = SchemaColumns::find(&table.lower);
    let mut consumed = cols.consumed();
    consumed.extend(schema.all().into_iter().flatten());
    let reading = Reading {
        headers,
        consumed,
        cols,
        times,
        by_name,
        schema,
    };
    // `Table::events` hands the records over in table order, the order `times` is in.
    let mut row = 0;
    let mut r = table
        .events(|rec| {
            row += 1;
            reading.event(rec, row - 1)
        })
        .report(file, Format::Csv, notes);
    r.csv_columns = Some(choice);
    Ok(r)
}

/// Every row's time: from the first of the date columns that is not empty in that row (and
/// the end column), each column read as a whole ([`read_column`]); the notes say how the
/// columns were read and how many rows took their date from a fallback column.
fn times(
    table: &Table,
    cols: &Columns,
    declared: Option<usize>,
    notes: &mut Vec<String>,
) -> Vec<Result<EventTime, Refusal>> {
    let records: Vec<Record<'_>> = table.records().collect();
    let read = |c: usize| -> DateColumn {
        let values: Vec<Option<&str>> = table.records().map(|r| r.get(Some(c))).collect();
        let name = table.headers.get(c).map_or("", String::as_str);
        read_column(name, &values)
    };
    let date_cols = cols.date_columns();
    let starts: Vec<DateColumn> = date_cols.iter().map(|&c| read(c)).collect();
    let ends = cols.end.map(read);
    let name = |c: usize| q(table.headers.get(c).map_or("", String::as_str));
    for d in starts.iter().chain(&ends) {
        notes.extend(d.notes.iter().cloned());
    }
    let mut from_fallback = vec![0usize; date_cols.len()];
    let times = (0..table.records().len())
        .map(|i| {
            let found = starts
                .iter()
                .enumerate()
                .find(|(_, d)| !matches!(d.dates.get(i), Some(Err(DateFail::Empty)) | None));
            let Some((k, d)) = found else {
                return Err((RejectReason::MissingDate, "empty date".to_owned()));
            };
            from_fallback[k] += 1;
            let start = d.dates[i].clone().map_err(refusal)?;
            let end = match ends.as_ref().and_then(|e| e.dates.get(i)) {
                None | Some(Err(DateFail::Empty)) => None,
                Some(Err(DateFail::Unreadable(why))) => {
                    return Err((RejectReason::InvalidDate, format!("end {why}")));
                }
                Some(Err(DateFail::Implausible(why))) => {
                    return Err((RejectReason::ImplausibleDate, format!("end {why}")));
                }
                Some(Ok(t)) => Some(*t),
            };
            let declared = records
                .get(i)
                .and_then(|r| r.get(declared))
                .and_then(crate::model::TimePrecision::parse);
            Ok(combine_times(start, end, declared))
        })
        .collect();
    for (k, &n) in from_fallback.iter().enumerate().skip(1) {
        if n > 0 {
            let before: Vec<String> = date_cols[..k].iter().map(|&c| name(c)).collect();
            notes.push(format!(
                "{n} row(s) have no {}: their date is taken from {}",
                before.join(" or "),
                name(date_cols[k])
            ));
        }
    }
    times
}

/// A "Location" or "Place" column that holds "lat, lon" pairs, not names (many trackers
/// write coordinates so): read as the coordinates, and said, when no other column has them.
fn coordinates_by_content(cols: &mut Columns, table: &Table, notes: &mut Vec<String>) {
    if (cols.lat.is_some() && cols.lon.is_some()) || cols.latlon.is_some() {
        return;
    }
    let Some(c) = cols.place else { return };
    let sample: Vec<&str> = table
        .records()
        .filter_map(|r| r.get(Some(c)))
        .take(50)
        .collect();
    let pair = |v: &&&str| {
        let mut it = v.split([',', ';', ' ']).filter(|s| !s.is_empty());
        let (Some(a), Some(b), None) = (it.next(), it.next(), it.next()) else {
            return false;
        };
        matches!(
            (super::fields::decimal(a), super::fields::decimal(b)),
            (Some(lat), Some(lon)) if lat.abs() <= 90.0 && lon.abs() <= 180.0
        )
    };
    if !sample.is_empty() && sample.iter().filter(pair).count() * 5 >= sample.len() * 4 {
        cols.latlon = Some(c);
        cols.place = None;
        notes.push(format!(
            "{} holds \"lat, lon\" pairs: read as the coordinates",
            q(table.headers.get(c).map_or("", String::as_str))
        ));
    }
}

/// Whether a row has coordinates of its own (any text in its coordinate columns: text that
/// is not a coordinate is rejected as such, never replaced by a place name's).
fn has_coords(cols: &Columns, rec: Record<'_>) -> bool {
    (rec.get(cols.lat).is_some() && rec.get(cols.lon).is_some()) || rec.get(cols.latlon).is_some()
}

/// A date column's failure as a rejection.
fn refusal(f: DateFail) -> Refusal {
    match f {
        DateFail::Empty => (RejectReason::MissingDate, "empty date".to_owned()),
        DateFail::Unreadable(why) => (RejectReason::InvalidDate, why),
        DateFail::Implausible(why) => (RejectReason::ImplausibleDate, why),
    }
}

/// The columns by name, overridden by the user's mapping for this header; an error naming
/// what is missing when there are no coordinates or no date.
fn columns(
    file: &str,
    headers: &[String],
    choices: &ColumnChoices,
) -> Result<(Columns, CsvColumns), ImportError> {
    let mut cols = Columns::detect(headers);
    // The user's mapping for files with this header, over what the names suggest.
    let signature = headers.join("\u{1f}");
    if let Some(chosen) = choices.get(&signature) {
        for (role, column) in chosen {
            if let Some(role) = CsvRole::from_key(role) {
                // "None" is saved as an empty name, which no column has.
                *cols.role_mut(role) = headers.iter().position(|h| h == column);
            }
        }
    }
    let choice = CsvColumns {
        signature,
        header: headers.to_vec(),
        roles: cols.mapping(headers),
    };
    cols.fallback_dates.retain(|&c| Some(c) != cols.date);
    let has_coords = (cols.lat.is_some() && cols.lon.is_some()) || cols.latlon.is_some();
    let by_name = cols.place.is_some() || cols.admin1.is_some() || cols.country.is_some();
    if (has_coords || by_name) && cols.date.is_some() {
        return Ok((cols, choice));
    }
    let mut missing = Vec::new();
    if !has_coords && !by_name {
        missing.push("latitude/longitude (or place name)");
    }
    if cols.date.is_none() {
        missing.push("date");
    }
    Err(ImportError::NeedsColumns {
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
    })
}

impl Reading<'_> {
    /// One row as an event, or why not.
    fn event(&self, rec: Record<'_>, row: usize) -> Result<Event, Refusal> {
        let cols = &self.cols;
        let placed = match self.by_name.get(row) {
            Some(Some(p)) => Some(p.clone()?),
            _ => None,
        };
        let (lat, lon) = match &placed {
            Some(p) => (p.lat, p.lon),
            None => self.coords(rec)?,
        };
        let time = self
            .times
            .get(row)
            .cloned()
            .unwrap_or_else(|| Err((RejectReason::MissingDate, "empty date".to_owned())))?;
        let get = |c| rec.get(c);
        let mut location = Location {
            lat,
            lon,
            precision: LocationPrecision::Exact,
            place: rec.text(cols.place),
            admin1: rec.text(cols.admin1),
            country: rec.text(cols.country),
        };
        if let Some(p) = &placed {
            location.precision = p.precision;
            location.admin1 = location.admin1.or_else(|| p.admin1.clone());
            location.country = location.country.or_else(|| Some(p.country.clone()));
        }
        let id = get(cols.id).map_or_else(|| format!("row-{}", rec.line), str::to_owned);
        let mut e = Event::new(id, time, location);
        e.location_note = placed.map(|p| p.note);
        e.title = rec.text(cols.title);
        e.description = rec.text(cols.desc);
        if let Some(w) = get(cols.weapon) {
            // "drone;cruise_missile" (our export), "Shahed drone | missile".
            for part in w.split([';', '|']).map(str::trim).filter(|p| !p.is_empty()) {
                let weapon = Weapon::parse(part);
                if weapon != Weapon::Unknown && !e.weapons.contains(&weapon) {
                    e.weapons.push(weapon);
                }
                if weapon == Weapon::Other {
                    e.weapon_detail = Some(w.to_owned());
                }
            }
        }
        e.weapon_detail = get(self.schema.weapon_detail)
            .map(str::to_owned)
            .or(e.weapon_detail);
        e.time_note = rec.text(self.schema.time_note);
        if let Some(n) = rec.text(self.schema.location_note) {
            e.location_note = Some(match e.location_note.take() {
                Some(placed) => format!("{n}; {placed}"),
                None => n,
            });
        }
        if let Some(p) = get(self.schema.location_precision).and_then(LocationPrecision::parse)
            && e.location_note
                .as_deref()
                .is_none_or(|n| !n.starts_with("placed by name"))
        {
            e.location.precision = p;
        }
        if let (Some(lo), Some(hi)) = (
            get(self.schema.killed_low).and_then(super::fields::count),
            get(self.schema.killed_high).and_then(super::fields::count),
        ) {
            e.killed_range = Some((lo, hi));
        }
        e.target = get(cols.target).and_then(Target::parse);
        let count = |c| get(c).and_then(super::fields::count);
        e.killed = count(cols.killed);
        e.injured = count(cols.injured);
        e.children_killed = count(cols.children_killed);
        e.children_injured = count(cols.children_injured);
        e.launched = count(cols.launched);
        e.intercepted = count(cols.intercepted);
        if let Some(s) = get(cols.source) {
            let is_url = s.starts_with("http://") || s.starts_with("https://");
            e.sources.push(crate::model::Source {
                outlet: (!is_url).then(|| s.to_owned()),
                url: is_url.then(|| s.to_owned()),
                ..Default::default()
            });
        }
        self.push_extra(&mut e, rec);
        Ok(e)
    }

    /// Latitude and longitude, from two columns or one "lat, lon".
    fn coords(&self, rec: Record<'_>) -> Result<(f64, f64), Refusal> {
        let cols = &self.cols;
        let (lat_s, lon_s) = match (rec.get(cols.lat), rec.get(cols.lon), rec.get(cols.latlon)) {
            (Some(a), Some(b), _) => (a, b),
            (_, _, Some(pair)) => {
                // WKT "POINT (lon lat)" (QGIS and PostGIS exports) is longitude first.
                let wkt = pair
                    .get(..5)
                    .is_some_and(|p| p.eq_ignore_ascii_case("point"));
                let inner = if wkt {
                    pair[5..]
                        .trim()
                        .trim_start_matches('(')
                        .trim_end_matches(')')
                } else {
                    pair.trim_start_matches(['(', '['])
                        .trim_end_matches([')', ']'])
                };
                let mut it = inner.split([',', ';', ' ']).filter(|s| !s.is_empty());
                match (it.next(), it.next()) {
                    (Some(a), Some(b)) if wkt => (b, a),
                    (Some(a), Some(b)) => (a, b),
                    _ => {
                        return Err((
                            RejectReason::InvalidCoordinates,
                            format!("{} is not \"lat, lon\"", q(pair)),
                        ));
                    }
                }
            }
            _ => {
                return Err((
                    RejectReason::MissingLocation,
                    "empty latitude/longitude".into(),
                ));
            }
        };
        let number = |s: &str, what: &str| {
            super::fields::decimal(s).ok_or_else(|| {
                (
                    RejectReason::InvalidCoordinates,
                    format!("{what} {} is not a number", q(s)),
                )
            })
        };
        let lat = number(lat_s, "latitude")?;
        let lon = number(lon_s, "longitude")?;
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            return Err((
                RejectReason::InvalidCoordinates,
                format!("lat {lat}, lon {lon} is outside the globe"),
            ));
        }
        Ok((lat, lon))
    }

    /// Every other non-empty column as an extra property, named by its header as it is
    /// (unlike [`super::fields::push_extra`], an empty header name is kept, and "{}" too).
    fn push_extra(&self, e: &mut Event, rec: Record<'_>) {
        for (i, v) in rec.fields.iter().enumerate() {
            if self.consumed.contains(&i) || v.is_empty() {
                continue;
            }
            let key = self
                .headers
                .get(i)
                .cloned()
                .unwrap_or_else(|| format!("column {}", i + 1));
            e.extra.push((key.into(), v.to_owned()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{RecordRef, load_bytes};
    use super::*;
    use crate::model::TimePrecision;

    #[test]
    fn plain_csv_with_quotes_crlf_and_extras() {
        let data = "id,date,latitude,longitude,place,weapon,killed,injured,remark x\r\n\
                    e1,2025-07-10,50.45,30.52,Kyiv,drone,2,16,\"multi\r\nline, with \"\"quotes\"\"\"\r\n\
                    e2,2025-07-09T18:00:00Z,48.53,37.70,Kostiantynivka,guided bomb,3,,\r\n";
        let r = load_bytes("t.csv", data.as_bytes()).unwrap();
        assert_eq!(r.records, 2);
        assert_eq!(r.events.len(), 2, "{:?}", r.rejected);
        let a = &r.events[0];
        assert_eq!(a.killed, Some(2));
        assert_eq!(a.injured, Some(16));
        assert_eq!(a.time.precision, TimePrecision::Day);
        assert_eq!(&*a.extra[0].0, "remark x");
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
        let got: Vec<_> = r.rejected.iter().map(|x| (x.record, x.reason)).collect();
        assert_eq!(
            got,
            vec![
                (RecordRef::Row(3), RejectReason::MissingLocation),
                (RecordRef::Row(4), RejectReason::InvalidCoordinates),
                (RecordRef::Row(5), RejectReason::MissingDate),
                (RecordRef::Row(6), RejectReason::InvalidDate),
                (RecordRef::Row(7), RejectReason::InvalidCoordinates),
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
        let rows: Vec<_> = r.rejected.iter().map(|x| x.record).collect();
        assert_eq!(rows, [4, 7, 8, 9, 11].map(RecordRef::Row));
    }

    /// Saved column choices name roles by these keys: they must not change.
    #[test]
    fn role_keys_are_stable() {
        let keys: Vec<_> = CsvRole::ALL.iter().map(|r| r.key()).collect();
        assert_eq!(
            keys,
            [
                "lat", "lon", "latlon", "date", "end", "title", "desc", "place", "admin1",
                "country", "weapon", "target", "killed", "injured", "source"
            ]
        );
        for r in CsvRole::ALL {
            assert_eq!(CsvRole::from_key(r.key()), Some(r));
        }
        assert_eq!(CsvRole::from_key(""), None);
        assert_eq!(CsvRole::LatLon.label(), "\"lat, lon\" in one column");
    }

    /// A remembered choice (role key → column name, "" for none) overrides the names.
    #[test]
    fn chosen_columns_override_the_names() {
        let data = "lat,lon,when,date\n50,30,2025-01-02,2020-01-01\n";
        let mut opts = super::super::LoadOptions::default();
        let chosen = [("date", "when"), ("lon", "lon")]
            .map(|(r, c)| (r.to_owned(), c.to_owned()))
            .into();
        opts.columns
            .insert("lat\u{1f}lon\u{1f}when\u{1f}date".to_owned(), chosen);
        let r = super::super::load_bytes_opts("t.csv", data.as_bytes(), None, &opts).unwrap();
        assert_eq!(r.events[0].time.display(), "2025-01-02");
        let roles = r.csv_columns.unwrap().roles;
        assert!(roles.contains(&(CsvRole::Date, Some("when".to_owned()))));
        let mut none = opts.clone();
        none.columns.values_mut().for_each(|m| {
            m.insert("date".to_owned(), String::new());
        });
        let err = super::super::load_bytes_opts("t.csv", data.as_bytes(), None, &none);
        assert!(matches!(err, Err(ImportError::NeedsColumns { .. })));
    }

    #[test]
    fn one_latlon_column() {
        let data = "when,coordinates\n2025-01-02,\"50.1, 30.2\"\n";
        let data = data.replace("when", "date");
        let r = load_bytes("t.csv", data.as_bytes()).unwrap();
        assert_eq!(r.events.len(), 1);
        assert!((r.events[0].location.lon - 30.2).abs() < 1e-9);
    }

    /// A "Location" column of "lat, lon" pairs is the coordinates, not a place name; WKT
    /// points are longitude first.
    #[test]
    fn coordinates_found_by_content_and_wkt() {
        let data = "Date,Location\n2025-01-02,\"50.1, 30.2\"\n2025-01-03,\"49.9,36.2\"\n";
        let r = load_bytes("t.csv", data.as_bytes()).unwrap();
        assert_eq!(r.events.len(), 2, "{:?}", r.rejected);
        assert!((r.events[1].location.lon - 36.2).abs() < 1e-9);
        assert!(
            r.notes.iter().any(|n| n.contains("\"Location\" holds")),
            "{:?}",
            r.notes
        );
        let wkt = "date,WKT\n2025-01-02,POINT (30.2 50.1)\n";
        let r = load_bytes("t.csv", wkt.as_bytes()).unwrap();
        assert!(
            (r.events[0].location.lat - 50.1).abs() < 1e-9,
            "{:?}",
            r.rejected
        );
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
