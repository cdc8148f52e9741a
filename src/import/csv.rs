//! Plain CSV/TSV importer: latitude/longitude (or one "lat, lon" column) and a date column,
//! detected by header name. Other columns are kept as extra properties.

use super::fields::q;
use super::records::Refusal;
use super::table::{Record, Table};
use super::time::{EpochUnit, combine, implausible, parse_time_in};
use super::{ColumnChoices, CsvColumns, Format, ImportError, LoadReport, RejectReason};
use crate::model::{Event, EventTime, Location, LocationPrecision, Target, Weapon};

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

/// What the rows of a plain CSV file are read with.
struct Reading<'a> {
    headers: &'a [String],
    cols: Columns,
    consumed: Vec<usize>,
    /// Epoch units of the start and end columns.
    units: [EpochUnit; 2],
}

/// Import delimited text by column names (the dialects known by their header are detected
/// before: [`super::detect`]).
pub(super) fn load(
    file: &str,
    table: &Table,
    choices: &ColumnChoices,
) -> Result<LoadReport, ImportError> {
    let headers = &table.headers;
    let (cols, choice) = columns(file, headers, choices)?;
    let units = [cols.date, cols.end].map(|c| {
        EpochUnit::for_texts(
            table
                .records()
                .filter_map(|r| r.fields.get(c?).map(String::as_str)),
        )
    });
    let reading = Reading {
        headers,
        consumed: cols.consumed(),
        cols,
        units,
    };
    let mut r = table
        .events(|rec| reading.event(rec))
        .report(file, Format::Csv, Vec::new());
    r.csv_columns = Some(choice);
    Ok(r)
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
    let has_coords = (cols.lat.is_some() && cols.lon.is_some()) || cols.latlon.is_some();
    if has_coords && cols.date.is_some() {
        return Ok((cols, choice));
    }
    let mut missing = Vec::new();
    if !has_coords {
        missing.push("latitude/longitude");
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
    fn event(&self, rec: Record<'_>) -> Result<Event, Refusal> {
        let cols = &self.cols;
        let (lat, lon) = self.coords(rec)?;
        let time = self.time(rec)?;
        let get = |c| rec.get(c);
        let location = Location {
            lat,
            lon,
            precision: LocationPrecision::Exact,
            place: rec.text(cols.place),
            admin1: rec.text(cols.admin1),
            country: rec.text(cols.country),
        };
        let id = get(cols.id).map_or_else(|| format!("row-{}", rec.line), str::to_owned);
        let mut e = Event::new(id, time, location);
        e.title = rec.text(cols.title);
        e.description = rec.text(cols.desc);
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
        e.killed = get(cols.killed).and_then(super::fields::count);
        e.injured = get(cols.injured).and_then(super::fields::count);
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
                let mut it = pair.split([',', ';', ' ']).filter(|s| !s.is_empty());
                match (it.next(), it.next()) {
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
            s.parse::<f64>().map_err(|_| {
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

    /// The start (and end) date, in the columns' epoch units where they hold numbers.
    fn time(&self, rec: Record<'_>) -> Result<EventTime, Refusal> {
        let [start_unit, end_unit] = self.units;
        let Some(date_s) = rec.get(self.cols.date) else {
            return Err((RejectReason::MissingDate, "empty date".into()));
        };
        let start = parse_time_in(date_s, start_unit).ok_or_else(|| {
            (
                RejectReason::InvalidDate,
                format!("{} is not a date", q(date_s)),
            )
        })?;
        let end = match rec.get(self.cols.end) {
            Some(s) => Some(parse_time_in(s, end_unit).ok_or_else(|| {
                (
                    RejectReason::InvalidDate,
                    format!("end {} is not a date", q(s)),
                )
            })?),
            None => None,
        };
        let time = combine(start, end, None);
        if let Some(why) = implausible(&time) {
            return Err((
                RejectReason::ImplausibleDate,
                format!("{}: {why}", q(date_s)),
            ));
        }
        Ok(time)
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
            e.extra.push((key, v.clone()));
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
