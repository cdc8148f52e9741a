//! Output: ACLED CSV records and GeoJSON features of generated rows.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;

use super::rows::{Bufs, Generator, Row};
use super::vocabulary::Kind;

/// The ACLED 2023+ export header, in export order.
pub const ACLED_HEADER: [&str; 31] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
];

/// Counts bytes on their way to the real writer.
pub(super) struct Counting<'a> {
    /// Where the bytes go.
    pub(super) inner: &'a mut dyn Write,
    /// Bytes written so far.
    pub(super) bytes: u64,
}

impl Write for Counting<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Write the events `(id, day)` as an ACLED CSV file, header first.
pub(super) fn write_acled_file(
    out: &mut dyn Write,
    generator: &mut Generator<'_>,
    events: impl Iterator<Item = (u64, i64)>,
) -> io::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .buffer_capacity(1 << 20)
        .from_writer(out);
    w.write_record(ACLED_HEADER)?;
    for (id, z) in events {
        let row = generator.row(id, z);
        write_acled(&mut w, &row, &mut generator.bufs)?;
    }
    w.flush()?;
    Ok(())
}

/// Write the events `(id, day)` as a GeoJSON FeatureCollection, one feature a line.
pub(super) fn write_geojson_file(
    out: &mut dyn Write,
    generator: &mut Generator<'_>,
    events: impl Iterator<Item = (u64, i64)>,
) -> io::Result<()> {
    let mut w = io::BufWriter::with_capacity(1 << 20, out);
    w.write_all(
        b"{\"type\":\"FeatureCollection\",\"name\":\"strikemap synthetic events\",\"features\":[",
    )?;
    for (n, (id, z)) in events.enumerate() {
        let row = generator.row(id, z);
        w.write_all(if n == 0 { b"\n" } else { b",\n" })?;
        write_feature(&mut w, &row, &mut generator.bufs)?;
    }
    w.write_all(b"\n]}\n")?;
    w.flush()?;
    Ok(())
}

/// One ACLED CSV record for `r`, in [`ACLED_HEADER`] order.
fn write_acled<W: Write>(w: &mut csv::Writer<W>, r: &Row<'_>, bufs: &mut Bufs) -> csv::Result<()> {
    let num = &mut bufs.num;
    let field = |w: &mut csv::Writer<W>, s: &str| w.write_field(s);
    num.clear();
    let _ = write!(num, "UKR{}", r.id);
    field(w, num)?;
    field(w, &r.day.acled)?;
    field(w, &r.day.year)?;
    field(w, digit(r.time_precision))?;
    field(w, "Political violence")?;
    field(w, r.kind.event_type())?;
    field(w, r.kind.sub_event_type())?;
    field(w, r.actor1)?;
    field(w, "")?;
    field(w, "State forces")?;
    field(w, r.actor2)?;
    field(w, r.assoc_actor_2)?;
    field(w, r.inter2)?;
    field(w, r.interaction)?;
    field(w, if r.civilian { "Civilian targeting" } else { "" })?;
    field(w, "804")?;
    field(w, "Europe")?;
    field(w, "Ukraine")?;
    field(w, r.region.acled)?;
    field(
        w,
        if r.geo_precision == 3 {
            ""
        } else {
            &r.place.admin2
        },
    )?;
    field(
        w,
        if r.geo_precision == 3 {
            ""
        } else {
            &r.place.admin3
        },
    )?;
    field(w, &r.place.name)?;
    num.clear();
    let _ = write!(num, "{:.4}", r.lat);
    field(w, num)?;
    num.clear();
    let _ = write!(num, "{:.4}", r.lon);
    field(w, num)?;
    field(w, digit(r.geo_precision))?;
    field(w, &bufs.source)?;
    field(w, r.source_scale)?;
    field(w, &bufs.notes)?;
    num.clear();
    let _ = write!(num, "{}", r.fatalities);
    field(w, num)?;
    field(w, "")?;
    num.clear();
    let _ = write!(num, "{}", r.timestamp);
    field(w, num)?;
    w.write_record(None::<&[u8]>)
}

/// A precision code as text, without formatting (1–3; anything else is 3).
fn digit(d: u8) -> &'static str {
    match d {
        1 => "1",
        2 => "2",
        _ => "3",
    }
}

/// A GeoJSON feature in strikemap's schema (README), serialised as is.
#[derive(Serialize)]
struct Feature<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: &'a str,
    geometry: Point,
    properties: Properties<'a>,
}

/// A GeoJSON point geometry.
#[derive(Serialize)]
struct Point {
    #[serde(rename = "type")]
    kind: &'static str,
    coordinates: [f64; 2],
}

/// The feature's properties, in the schema's names.
#[derive(Serialize)]
struct Properties<'a> {
    title: &'a str,
    time_start: &'a str,
    time_end: &'a str,
    time_precision: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_note: Option<&'static str>,
    location_precision: &'static str,
    place: &'a str,
    admin1: &'static str,
    country: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    weapon: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    weapon_detail: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<&'static str>,
    killed: Option<u32>,
    injured: Option<u32>,
    description: &'a str,
    sources: Vec<Source<'a>>,
    event_type: &'static str,
    sub_event_type: &'static str,
    actor1: &'static str,
}

/// One cited outlet.
#[derive(Serialize)]
struct Source<'a> {
    outlet: &'a str,
    published: &'a str,
}

/// Four decimals, as the ACLED rows have.
fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

/// One GeoJSON feature for `r` (no separator: the caller writes those).
fn write_feature<W: Write>(w: &mut W, r: &Row<'_>, bufs: &mut Bufs) -> io::Result<()> {
    bufs.num.clear();
    let _ = write!(bufs.num, "SYN{}", r.id);
    bufs.title.clear();
    let _ = write!(bufs.title, "{} — {}", r.kind.sub_event_type(), r.place.name);
    let (start, end) = r.range.unwrap_or((r.day, r.day));
    let published = &r.day.iso;
    let weapon = match (r.weapon, r.kind) {
        (Some(w), _) => Some(w.schema),
        (None, Kind::Shelling) => Some("artillery"),
        (None, Kind::AirDrone) => Some("unknown"),
        (None, Kind::Explosive) => Some("other"),
        (None, Kind::Clash) => None,
    };
    let feature = Feature {
        kind: "Feature",
        id: &bufs.num,
        geometry: Point {
            kind: "Point",
            coordinates: [round4(r.lon), round4(r.lat)],
        },
        properties: Properties {
            title: &bufs.title,
            time_start: &start.iso,
            time_end: &end.iso,
            time_precision: if r.range.is_some() { "range" } else { "day" },
            time_note: match r.time_precision {
                2 => Some("Reported as within the week around the stated date"),
                3 => Some("Only the month is known"),
                _ => None,
            },
            location_precision: match r.geo_precision {
                1 => "settlement",
                2 => "district",
                _ => "region",
            },
            place: &r.place.name,
            admin1: r.region.ours,
            country: "Ukraine",
            weapon,
            weapon_detail: r.weapon.map(|w| w.text),
            target: r.target.map(|t| t.schema),
            killed: (r.fatalities > 0).then_some(r.fatalities),
            injured: (r.injured > 0).then_some(r.injured),
            description: &bufs.notes,
            sources: bufs
                .outlets
                .iter()
                .filter_map(|&(a, b)| bufs.source.get(a..b))
                .map(|outlet| Source { outlet, published })
                .collect(),
            event_type: r.kind.event_type(),
            sub_event_type: r.kind.sub_event_type(),
            actor1: r.actor1,
        },
    };
    serde_json::to_writer(w, &feature).map_err(io::Error::other)
}
