//! UCDP GED CSV: `where_prec` and `date_prec` become precision, `date_start`/`date_end` a time
//! range, `best` the killed count with `low`/`high` as its range, and the source lists its
//! articles.

use super::fields;
use super::records::Refusal;
use super::table::{Record, Table};
use super::time::{DayOrder, date_order_for, parse_loose_date};
use super::{Format, LoadReport, RejectReason};
use crate::model::{DAY, Event, EventTime, Location, LocationPrecision, Source, TimePrecision};

/// Whether a header (lower-cased) is UCDP GED.
pub(super) fn is_ucdp(headers: &[String]) -> bool {
    let has = |n: &str| headers.iter().any(|h| h == n);
    has("where_prec") && has("date_prec") && has("date_start") && has("best")
}

/// UCDP's `where_prec` (1 exact place … 7 international waters) as our location precision.
pub fn location_precision(where_prec: &str) -> LocationPrecision {
    match where_prec.trim() {
        "1" => LocationPrecision::Settlement,
        "2" | "3" => LocationPrecision::District,
        "4" | "5" => LocationPrecision::Region,
        _ => LocationPrecision::Country,
    }
}

/// The columns read into typed fields (the others are kept as extra properties).
const CONSUMED: [&str; 19] = [
    "id",
    "latitude",
    "longitude",
    "where_prec",
    "date_prec",
    "date_start",
    "date_end",
    "best",
    "low",
    "high",
    "where_coordinates",
    "adm_1",
    "country",
    "source_office",
    "source_date",
    "source_headline",
    "source_article",
    "dyad_name",
    "where_description",
];

/// How the rows of one UCDP file are read.
struct Reader<'h> {
    headers: &'h [String],
    consumed: fields::Consumed,
    order: DayOrder,
}

impl Reader<'_> {
    fn col(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// One row as an event, or why not.
    fn event(&self, rec: Record<'_>) -> Result<Event, Refusal> {
        let c = |n: &str| self.col(n);
        let (lat, lon) = fields::coords(rec.get(c("latitude")), rec.get(c("longitude")))?;
        let (time, start_s) = self.time(rec)?;
        if let Some(why) = super::time::implausible(&time) {
            return Err((
                RejectReason::ImplausibleDate,
                format!("date_start {}: {why}", fields::q(start_s)),
            ));
        }
        let location = Location {
            lat,
            lon,
            precision: location_precision(rec.get(c("where_prec")).unwrap_or_default()),
            place: rec.text(c("where_coordinates")),
            admin1: rec.text(c("adm_1")),
            country: rec.text(c("country")),
        };
        let id = rec
            .text(c("id"))
            .unwrap_or_else(|| format!("row-{}", rec.line));
        let mut e = Event::new(id, time, location);
        if let Some(p) = rec.get(c("date_prec")).filter(|p| *p != "1") {
            e.time_note = Some(format!(
                "UCDP date_prec {p}: the event happened between date_start and date_end"
            ));
        }
        e.title = rec.text(c("dyad_name"));
        e.description = rec.text(c("where_description"));
        let count = |n: &str| rec.get(c(n)).and_then(fields::count);
        e.killed = count("best");
        // Shown as a range wherever the estimates differ from the best one.
        if let (Some(lo), Some(hi)) = (count("low"), count("high"))
            && (Some(lo), Some(hi)) != (e.killed, e.killed)
        {
            e.killed_range = Some((lo, hi));
        }
        e.sources = self.sources(rec);
        fields::push_extra(&mut e, rec.fields, &self.consumed);
        Ok(e)
    }

    /// date_start to date_end (inclusive days), and the start as written.
    fn time<'r>(&self, rec: Record<'r>) -> Result<(EventTime, &'r str), Refusal> {
        let Some(start_s) = rec.get(self.col("date_start")) else {
            return Err((RejectReason::MissingDate, "empty date_start".into()));
        };
        let Some(start) = parse_loose_date(start_s, &self.order) else {
            return Err((
                RejectReason::InvalidDate,
                format!("date_start {} is not a date", fields::q(start_s)),
            ));
        };
        let end = match rec.get(self.col("date_end")) {
            Some(s) => match parse_loose_date(s, &self.order) {
                Some(d) => d.max(start),
                None => {
                    return Err((
                        RejectReason::InvalidDate,
                        format!("date_end {} is not a date", fields::q(s)),
                    ));
                }
            },
            None => start,
        };
        let time = if end == start {
            EventTime::at(start, TimePrecision::Day)
        } else {
            EventTime::range(start, end + DAY)
        };
        Ok((time, start_s))
    }

    /// The articles: offices, dates and headlines are parallel ";"-separated lists.
    fn sources(&self, rec: Record<'_>) -> Vec<Source> {
        let split = |n: &str| -> Vec<String> {
            rec.get(self.col(n))
                .map(|s| s.split(';').map(|x| x.trim().to_owned()).collect())
                .unwrap_or_default()
        };
        let offices = split("source_office");
        let dates = split("source_date");
        let headlines = split("source_headline");
        (0..offices.len().max(headlines.len()))
            .map(|k| Source {
                outlet: offices.get(k).filter(|s| !s.is_empty()).cloned(),
                title: headlines.get(k).filter(|s| !s.is_empty()).cloned(),
                published: dates.get(k).filter(|s| !s.is_empty()).cloned(),
                ..Source::default()
            })
            .collect()
    }
}

/// Import UCDP rows.
pub(super) fn load(file: &str, table: &Table) -> LoadReport {
    let headers = &table.lower;
    let c = |n: &str| headers.iter().position(|h| h == n);
    let (start_c, end_c) = (c("date_start"), c("date_end"));
    let order = date_order_for(
        table
            .records()
            .flat_map(|r| [r.get(start_c), r.get(end_c)])
            .flatten(),
    );
    let notes = fields::day_order_note(&order).into_iter().collect();
    let reader = Reader {
        headers,
        consumed: fields::Consumed::new(headers, CONSUMED.iter().map(|n| c(n))),
        order,
    };
    table
        .events(|rec| reader.event(rec))
        .report(file, Format::Ucdp, notes)
}

#[cfg(test)]
mod tests {
    use super::super::load_bytes;
    use super::*;

    /// cp1252 bytes (é in "Donets'k région"), mixed numeric date forms, ranges and estimates.
    fn fixture() -> Vec<u8> {
        let text = "id,year,type_of_violence,dyad_name,source_office,source_date,source_headline,where_prec,where_coordinates,where_description,adm_1,latitude,longitude,country,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,low\r\n\
1,2014,1,Government of Ukraine - DPR,Reuters;AFP,2014-07-17;2014-07-18,Shelling;More shelling,1,Donetsk city,Shelling in Donetsk,Donets'k r\u{e9}gion,48.0,37.8,Ukraine,1,1/22/2014 12:00:00 AM,1/22/2014 12:00:00 AM,0,0,3,0,3,5,2\r\n\
2,2014,3,DPR - Civilians,BBC,2014-08-01,Report,4,Donetsk oblast,Somewhere in the oblast,Donets'k r\u{e9}gion,48.1,37.7,Ukraine,4,05/02/2014 00:00,05/20/2014 00:00,0,0,1,0,1,1,1\r\n\
3,2014,1,X,BBC,2014-08-01,Report,1,Nowhere,,,,,Ukraine,1,2014-05-02,2014-05-02,0,0,0,0,0,0,0\r\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        bytes.into_owned()
    }

    #[test]
    fn reads_ucdp_in_cp1252_with_mixed_dates() {
        let r = load_bytes("ucdp.csv", &fixture()).unwrap();
        assert_eq!(r.format, Format::Ucdp);
        assert_eq!(r.records, 3);
        assert_eq!(r.events.len(), 2);
        assert_eq!(r.rejected[0].reason, RejectReason::MissingLocation);
        assert!(
            r.notes.iter().any(|n| n.contains("Windows-1252")),
            "{:?}",
            r.notes
        );
        assert!(
            r.notes.iter().any(|n| n.contains("month/day/year")),
            "{:?}",
            r.notes
        );
        let a = &r.events[0];
        assert_eq!(a.time.display(), "2014-01-22");
        assert_eq!(a.killed, Some(3));
        assert_eq!(a.killed_range, Some((2, 5)));
        assert_eq!(a.location.admin1.as_deref(), Some("Donets'k région"));
        assert_eq!(a.sources.len(), 2);
        assert_eq!(a.sources[1].outlet.as_deref(), Some("AFP"));
        let b = &r.events[1];
        assert_eq!(b.time.precision, TimePrecision::Range);
        assert_eq!(b.time.display(), "2014-05-02 – 2014-05-20");
        assert_eq!(b.location.precision, LocationPrecision::Region);
        assert_eq!(b.killed_range, None);
    }
}
