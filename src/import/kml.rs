//! KML and KMZ importer: Google My Maps and Google Earth exports, and maps drawn in the same
//! tools by open-source investigators (GeoConfirmed style).
//!
//! Every Placemark is one record, numbered in document order: it becomes an event or a
//! rejection. A Point is the event's exact location; a line or polygon is placed at one
//! representative point inside it, with a coarser precision. The time comes from the
//! placemark's TimeStamp or TimeSpan, else from a date field of its ExtendedData; a placemark
//! without one is rejected, never given a made-up date (My Maps exports often have none).
//!
//! The text is parsed with georust's `kml` crate, after a pass of our own ([`clean`]) that
//! checks the XML is well-formed (so a cut-off file is an error with its line, not a reader
//! looping at the end of the text), and repairs what would make the crate refuse the whole
//! file or panic for one placemark's sake: a Point without coordinates, coordinates that are
//! not numbers, markup inside a description, HTML entities, styles with values it does not
//! know.

mod clean;
mod geometry;
mod html;
mod kmz;
mod placemark;
mod when;

use std::collections::BTreeMap;

use kml::types::{Element, Placemark};
use kml::{Kml, KmlReader};

use super::fields::{self, q};
use super::records::Outcome;
use super::time::{self, DayOrder};
use super::{Format, ImportError, LoadReport, RecordRef, RejectReason};
pub(super) use kmz::{kmz_document, load_kmz, looks_like_kmz};
use placemark::Prepared;

/// How far into the text the `<kml` root element is looked for (after an XML declaration, a
/// comment or a stylesheet line).
const KML_HEAD: usize = 4096;

/// Whether text is a KML document: it starts with a tag and has a `<kml` root element near
/// its start.
pub(super) fn is_kml(text: &str) -> bool {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    let head = &t.as_bytes()[..t.len().min(KML_HEAD)];
    t.starts_with('<') && memchr::memmem::find(head, b"<kml").is_some()
}

/// What to tell the user about XML that is not KML, naming its root element.
pub(super) fn not_kml_message(text: &str) -> String {
    let root = root_name(text).unwrap_or_default();
    let what = match root.to_ascii_lowercase().as_str() {
        "html" => "an HTML page".to_owned(),
        "gpx" => "a GPX file (GPS tracks and waypoints)".to_owned(),
        "" => "XML".to_owned(),
        _ => format!(
            "XML with a <{}> root element",
            fields::quote_input(&root, 40)
        ),
    };
    format!(
        "this is {what}, not KML (no <kml> element at its start): strikemap reads KML/KMZ, \
         GeoJSON, CSV/TSV, GDELT and TimeMap JSON"
    )
}

/// The first element's name, skipping the XML declaration, processing instructions, comments
/// and the document type.
fn root_name(text: &str) -> Option<String> {
    let mut rest = text;
    loop {
        let lt = rest.find('<')?;
        rest = &rest[lt + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            rest = &after[after.find("-->")?..];
            continue;
        }
        if rest.starts_with(['?', '!']) {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, '>' | '/'))
            .collect();
        return Some(name);
    }
}

/// Import a KML document: every Placemark an event or a rejection.
pub(super) fn load(file: &str, text: &str) -> Result<LoadReport, ImportError> {
    let clean = clean::clean(text).map_err(|e| {
        unsupported(
            file,
            format!(
                "not well-formed XML (KML) at line {}: {}",
                e.line, e.message
            ),
        )
    })?;
    let root = parse(&clean).map_err(|m| unsupported(file, m))?;
    let mut found = Vec::new();
    collect(&root, &mut Vec::new(), &mut found);
    let placemarks: Vec<Prepared<'_>> = found
        .into_iter()
        .map(|(folders, p)| Prepared::new(folders, p))
        .collect();
    // Numeric dates in date fields are day-first or month-first for the whole file.
    let order = time::date_order_for(placemarks.iter().filter_map(Prepared::field_date));
    let mut stats = Stats::default();
    let records = placemarks
        .iter()
        .enumerate()
        .map(|(i, p)| (RecordRef::Placemark(i + 1), (i + 1, p)));
    let outcome = Outcome::default().read(records, |(n, p)| p.event(n, &order, &mut stats));
    let undated = outcome
        .rejected
        .iter()
        .filter(|r| r.reason == RejectReason::MissingDate)
        .count();
    let notes = stats.notes(undated, &order);
    Ok(outcome.report(file, Format::Kml, notes))
}

fn unsupported(file: &str, message: String) -> ImportError {
    ImportError::Unsupported {
        file: file.to_owned(),
        message,
    }
}

/// Parse cleaned KML with the `kml` crate. It is not ours: should it panic on a construct
/// [`clean`] does not foresee, the file is refused rather than the app brought down.
fn parse(text: &str) -> Result<Kml, String> {
    match std::panic::catch_unwind(|| KmlReader::<&[u8], f64>::from_string(text).read()) {
        Ok(Ok(k)) => Ok(k),
        Ok(Err(e)) => Err(format!("not KML that can be read: {e}")),
        Err(_) => Err("the KML reader stopped on a construct it does not handle".to_owned()),
    }
}

/// The placemarks of a document in document order, with the names of the folders they are in
/// (outermost first). Documents inside documents are transparent.
fn collect<'a>(
    k: &'a Kml,
    folders: &mut Vec<&'a str>,
    out: &mut Vec<(Vec<&'a str>, &'a Placemark)>,
) {
    match k {
        Kml::KmlDocument(d) => {
            for e in &d.elements {
                collect(e, folders, out);
            }
        }
        Kml::Document { elements, .. } => {
            for e in elements {
                collect(e, folders, out);
            }
        }
        Kml::Folder(f) => {
            let name = f.name.as_deref().map(str::trim).filter(|n| !n.is_empty());
            folders.extend(name);
            for e in &f.elements {
                collect(e, folders, out);
            }
            if name.is_some() {
                folders.pop();
            }
        }
        Kml::Placemark(p) => out.push((folders.clone(), p)),
        _ => {}
    }
}

/// What the load report says about the file as a whole, counted while placemarks are read.
#[derive(Debug, Default)]
struct Stats {
    /// Placemarks placed at a representative point of a line or polygon.
    shapes: usize,
    /// Placemarks dated by a month or a year only.
    partial: usize,
    /// Placemarks dated from an ExtendedData field, by field name.
    fields: BTreeMap<String, usize>,
}

impl Stats {
    fn notes(&self, undated: usize, order: &DayOrder) -> Vec<String> {
        let mut notes = Vec::new();
        if self.shapes > 0 {
            notes.push(format!(
                "{} {}: each is placed at one representative point inside its shape, with \
                 district precision (region for shapes over 100 km across)",
                placemarks(self.shapes),
                if self.shapes == 1 {
                    "is a line or polygon"
                } else {
                    "are lines or polygons"
                },
            ));
        }
        for (key, n) in &self.fields {
            notes.push(format!(
                "dates of {} read from the ExtendedData field {} (no TimeStamp or TimeSpan)",
                placemarks(*n),
                q(key)
            ));
        }
        if !self.fields.is_empty()
            && let Some(note) = fields::day_order_note(order)
        {
            notes.push(note);
        }
        if self.partial > 0 {
            notes.push(format!(
                "{} only a month or a year: {} the whole of it",
                if self.partial == 1 {
                    "1 placemark gives".to_owned()
                } else {
                    format!("{} placemarks give", self.partial)
                },
                if self.partial == 1 {
                    "it spans"
                } else {
                    "each spans"
                },
            ));
        }
        if undated > 0 {
            notes.push(format!(
                "{} no date (no TimeStamp or TimeSpan, and no date field in the \
                 ExtendedData) and {} not loaded: Google My Maps exports carry dates only \
                 where the map's layer has a date column",
                if undated == 1 {
                    "1 placemark has".to_owned()
                } else {
                    format!("{undated} placemarks have")
                },
                if undated == 1 { "is" } else { "are" },
            ));
        }
        notes
    }
}

/// "1 placemark", "3 placemarks".
fn placemarks(n: usize) -> String {
    format!("{n} placemark{}", if n == 1 { "" } else { "s" })
}

/// The trimmed, non-empty text of an element's first child called `name`.
fn child_text<'e>(e: &'e Element, name: &str) -> Option<&'e str> {
    e.children
        .iter()
        .find(|c| c.name == name)
        .and_then(|c| c.content.as_deref())
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{load_bytes, load_path};
    use crate::model::{DAY, Event, LocationPrecision, Target, TimePrecision, Weapon, fmt_date};
    use geo::Contains;

    fn fixture(name: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/unseen")
            .join(name)
    }

    fn load_fixture(name: &str) -> LoadReport {
        load_path(&fixture(name)).unwrap()
    }

    fn event<'r>(r: &'r LoadReport, title: &str) -> &'r Event {
        r.events
            .iter()
            .find(|e| e.title.as_deref() == Some(title))
            .unwrap_or_else(|| panic!("no event {title:?} in {:#?}", r.events))
    }

    fn extra<'e>(e: &'e Event, key: &str) -> Option<&'e str> {
        e.extra
            .iter()
            .find(|(k, _)| &**k == key)
            .map(|(_, v)| v.as_str())
    }

    fn rejections(r: &LoadReport) -> Vec<(RecordRef, RejectReason)> {
        r.rejected.iter().map(|x| (x.record, x.reason)).collect()
    }

    /// A minimal KML document around some placemarks.
    fn doc(placemarks: &str) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n{placemarks}\n</Document>\n</kml>\n"
        )
    }

    /// Every placemark of the My Maps export is an event or a rejection with its reason.
    #[test]
    fn my_maps_placemarks_are_all_accounted_for() {
        let r = load_fixture("my_maps.kml");
        assert_eq!(r.format, Format::Kml);
        assert_eq!(r.records, 7);
        assert_eq!(r.records, r.events.len() + r.rejected.len());
        assert_eq!(
            rejections(&r),
            vec![
                (RecordRef::Placemark(3), RejectReason::MissingDate),
                (RecordRef::Placemark(4), RejectReason::ImplausibleDate),
                (RecordRef::Placemark(7), RejectReason::MissingLocation),
            ]
        );
        assert!(
            r.rejected[1].detail.contains("\"0023-05-01\""),
            "{:?}",
            r.rejected[1]
        );
        assert!(
            r.rejected[1].detail.contains("before 1"),
            "{:?}",
            r.rejected[1]
        );
        // No fake date: the undated placemark is said once, with the count.
        let undated: Vec<&String> = r.notes.iter().filter(|n| n.contains("no date")).collect();
        assert_eq!(undated.len(), 1, "{:?}", r.notes);
        assert!(
            undated[0].starts_with("1 placemark has no date"),
            "{}",
            undated[0]
        );
        assert!(
            r.notes.iter().any(|n| n
                .starts_with("dates of 4 placemarks read from the ExtendedData field \"date\"")),
            "{:?}",
            r.notes
        );
        assert!(
            r.notes
                .iter()
                .any(|n| n.contains("day/month/year") && n.contains("14/10/2023")),
            "{:?}",
            r.notes
        );
        assert!(
            r.notes
                .iter()
                .any(|n| n.starts_with("2 placemarks are lines or polygons")),
            "{:?}",
            r.notes
        );
    }

    /// Name, HTML description, ExtendedData fields and folders of a My Maps placemark.
    #[test]
    fn my_maps_fields_and_folders() {
        let r = load_fixture("my_maps.kml");
        let e = event(&r, "Strike on apartment block, Saltivka");
        assert_eq!(e.id, "placemark-1");
        assert_eq!(e.time.display(), "2023-10-07");
        assert_eq!(e.time.precision, TimePrecision::Day);
        assert_eq!((e.location.lat, e.location.lon), (50.0237, 36.3153));
        assert_eq!(e.location.precision, LocationPrecision::Exact);
        assert_eq!(e.killed, Some(3));
        assert_eq!(e.weapons, vec![Weapon::Drone]);
        assert_eq!(
            e.description.as_deref(),
            Some(
                "Residents said the drone hit the 5th floor & started a fire.\n\
                 Rescuers worked through the night.\n\n\
                 date: 2023-10-07\nkilled: 3\nweapon: Shahed-136\nSource: Telegram"
            )
        );
        assert_eq!(
            e.sources
                .iter()
                .map(|s| s.url.as_deref())
                .collect::<Vec<_>>(),
            vec![Some("https://t.me/example_channel/4512")]
        );
        assert_eq!(extra(e, "folder"), Some("Drone strikes"));
        // The consumed fields are not repeated among the extras.
        assert_eq!(e.extra.len(), 1, "{:?}", e.extra);

        // Day-first by the file's evidence; the weapon from the folder name.
        let w = event(&r, "Warehouse hit, Industrialnyi district");
        assert_eq!(fmt_date(w.time.start), "2023-10-14");
        assert_eq!(w.weapons, vec![Weapon::Drone]);
        assert_eq!(w.killed, Some(0));
        assert_eq!(
            w.description.as_deref(),
            Some(
                "Two drones; a warehouse of \"Nova Poshta\" burned.\n\nNobody was hurt – the night shift had left."
            )
        );

        // A folder naming a weapon and a target.
        let line = event(&r, "Power line cut, Kharkiv–Chuhuiv");
        assert_eq!(line.weapons, vec![Weapon::Artillery]);
        assert_eq!(line.target, Some(Target::Energy));
        assert_eq!(
            extra(line, "folder"),
            Some("Shelling of energy infrastructure")
        );
        let sub = event(&r, "Substation damaged");
        assert_eq!(sub.killed, Some(1));
        // A plain-text source line is no link.
        assert!(sub.sources.is_empty(), "{:?}", sub.sources);
    }

    /// Lines and polygons are placed at a point inside them, with a coarser precision and a
    /// note saying so.
    #[test]
    fn shapes_are_placed_at_a_representative_point() {
        let r = load_fixture("my_maps.kml");
        let line = event(&r, "Power line cut, Kharkiv–Chuhuiv");
        assert_eq!(line.location.precision, LocationPrecision::District);
        assert!(
            (36.40..=36.63).contains(&line.location.lon),
            "{:?}",
            line.location
        );
        assert!(
            (49.87..=49.98).contains(&line.location.lat),
            "{:?}",
            line.location
        );
        assert!(
            line.location_note
                .as_deref()
                .unwrap()
                .contains("inside the line")
        );

        let sub = event(&r, "Substation damaged");
        assert_eq!(sub.location.precision, LocationPrecision::District);
        let ring: geo::LineString<f64> = vec![
            (36.3301, 49.9402),
            (36.3412, 49.9402),
            (36.3412, 49.9471),
            (36.3356, 49.9438),
            (36.3301, 49.9471),
            (36.3301, 49.9402),
        ]
        .into();
        let polygon = geo::Polygon::new(ring, vec![]);
        let at = geo::Point::new(sub.location.lon, sub.location.lat);
        assert!(polygon.contains(&at), "{at:?} is not inside the polygon");
        assert!(sub.location_note.as_deref().unwrap().contains("polygon"));

        // A group of a point and a polygon is a shape too; a polygon over 100 km across is a
        // region.
        let e = load_fixture("earth_timespans.kml");
        let depot = event(&e, "Oil depot fire");
        assert_eq!(depot.location.precision, LocationPrecision::District);
        let big = doc(
            "<Placemark><name>Oblast-wide</name><TimeStamp><when>2024-01-02</when></TimeStamp>\
             <Polygon><outerBoundaryIs><LinearRing><coordinates>35,49 38,49 38,51 35,51 35,49\
             </coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>",
        );
        let r = load("big.kml", &big).unwrap();
        assert_eq!(r.events[0].location.precision, LocationPrecision::Region);
    }

    /// TimeStamp (date-time, date, month, year) and TimeSpan (dates inclusive, date-times).
    #[test]
    fn earth_timestamps_and_timespans() {
        let r = load_fixture("earth_timespans.kml");
        assert_eq!(r.records, 9);
        assert_eq!(r.records, r.events.len() + r.rejected.len());
        assert_eq!(
            rejections(&r),
            vec![
                (RecordRef::Placemark(8), RejectReason::InvalidCoordinates),
                (RecordRef::Placemark(9), RejectReason::InvalidDate),
            ]
        );
        assert!(
            r.rejected[0].detail.contains("230.7393"),
            "{:?}",
            r.rejected
        );
        assert!(
            r.rejected[1].detail.contains("\"sometime in July\""),
            "{:?}",
            r.rejected
        );

        let by_id = |id: &str| r.events.iter().find(|e| e.id == id).unwrap();
        let h = by_id("strike-0001");
        assert_eq!(h.time.display(), "2024-07-08 10:45 UTC");
        assert_eq!(h.time.precision, TimePrecision::Minute);
        assert_eq!(
            h.description.as_deref(),
            Some("Missile strike on the toxicology wing & the main building. Two adults killed.")
        );
        assert_eq!(h.weapons, vec![Weapon::CruiseMissile]);
        assert_eq!(h.target, Some(Target::Healthcare));
        assert_eq!((h.killed, h.injured), (Some(2), Some(16)));
        assert_eq!(h.sources.len(), 2, "{:?}", h.sources);
        assert_eq!(extra(h, "folder"), Some("Verified strikes / Kyiv"));

        assert_eq!(by_id("strike-0002").time.display(), "2024-08-26");
        assert_eq!(by_id("strike-0002").time.precision, TimePrecision::Day);
        // The end date is inclusive.
        let span = by_id("strike-0003").time;
        assert_eq!(span.display(), "2024-03-21 – 2024-03-23");
        assert_eq!(span.span(), 3 * DAY);
        // A month and a year cover all of it.
        let month = by_id("strike-0004");
        assert_eq!(month.time.display(), "2023-07-01 – 2023-07-31");
        assert!(month.time_note.as_deref().unwrap().contains("month"));
        assert_eq!(
            by_id("strike-0005").time.display(),
            "2022-01-01 – 2022-12-31"
        );
        // Date-times with an offset, exact.
        let night = by_id("strike-0006").time;
        assert_eq!(night.display(), "2023-07-22 22:00 – 2023-07-23 01:30 UTC");
        assert_eq!(
            by_id("strike-0006").sources[0].url.as_deref(),
            Some("https://example.org/cathedral")
        );
        assert!(
            r.notes.iter().any(|n| n.contains("only a month or a year")),
            "{:?}",
            r.notes
        );
        assert!(
            !r.notes.iter().any(|n| n.contains("no date")),
            "{:?}",
            r.notes
        );
    }

    /// A KMZ reads as its doc.kml does (from bytes, and from a file through `load_path`).
    #[test]
    fn kmz_reads_like_its_kml() {
        use std::io::Write;
        let kml_text = std::fs::read_to_string(fixture("earth_timespans.kml")).unwrap();
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        // An image first: the document is found by its name, not its place.
        zip.start_file("files/icon.png", options).unwrap();
        zip.write_all(b"\x89PNG\r\n\x1a\n").unwrap();
        zip.start_file("doc.kml", options).unwrap();
        zip.write_all(kml_text.as_bytes()).unwrap();
        let bytes = zip.finish().unwrap().into_inner();

        let from_kml = load_bytes("earth_timespans.kml", kml_text.as_bytes()).unwrap();
        let from_kmz = load_bytes("earth.kmz", &bytes).unwrap();
        let from_file = load_fixture("earth.kmz");
        for kmz in [&from_kmz, &from_file] {
            assert_eq!(kmz.format, Format::Kml);
            assert_eq!(kmz.records, from_kml.records);
            assert_eq!(kmz.events, from_kml.events);
            assert_eq!(kmz.rejected, from_kml.rejected);
            assert_eq!(
                kmz.notes[0],
                "read \"doc.kml\" from the KMZ archive (2 files in it)"
            );
            assert_eq!(kmz.notes[1..], from_kml.notes[..]);
        }

        // A ZIP without KML is still refused as what it is.
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file("notes.txt", options).unwrap();
        zip.write_all(b"hello").unwrap();
        let plain = zip.finish().unwrap().into_inner();
        let err = load_bytes("x.zip", &plain).unwrap_err().to_string();
        assert!(err.contains("a ZIP archive"), "{err}");
        // A KMZ whose archive is broken says so.
        let mut broken = bytes[..bytes.len() / 2].to_vec();
        broken.extend_from_slice(b"junk");
        let err = load_bytes("broken.kmz", &broken).unwrap_err().to_string();
        assert!(err.contains("KMZ"), "{err}");
    }

    /// Broken XML is an error naming the line, never a hang or a panic.
    #[test]
    fn malformed_xml_is_an_error_with_its_line() {
        let text = std::fs::read_to_string(fixture("my_maps.kml")).unwrap();
        // Cut off inside a placemark (the kml crate alone loops for ever there).
        let cut = &text[..text.find("<name>Warehouse").unwrap()];
        let err = load_bytes("cut.kml", cut.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(err.contains("cut.kml"), "{err}");
        assert!(err.contains("cut off"), "{err}");
        assert!(err.contains("<Placemark>, opened at line 105"), "{err}");
        // Tags that do not match.
        let bad = doc("<Placemark><name>x</Placemark>");
        let err = load("bad.kml", &bad).unwrap_err().to_string();
        assert!(err.contains("at line 4"), "{err}");
        assert!(
            err.contains("</Placemark> closes <name>, opened at line 4"),
            "{err}"
        );
        let err = load("tag.kml", "<kml><Document><Placemark")
            .unwrap_err()
            .to_string();
        assert!(err.contains("the tag <Placemark is not closed"), "{err}");
        let err = load("deep.kml", &"<Folder>".repeat(500))
            .unwrap_err()
            .to_string();
        assert!(err.contains("nested more than"), "{err}");
    }

    /// What would make the kml crate refuse the whole file (or panic) costs one placemark
    /// at most.
    #[test]
    fn one_bad_placemark_does_not_refuse_the_file() {
        let text = doc(
            r##"<Placemark><name>no coordinates</name><TimeStamp><when>2024-01-01</when></TimeStamp><Point><coordinates/></Point></Placemark>
<Placemark><name>words</name><TimeStamp><when>2024-01-01</when></TimeStamp><Point><coordinates>east,north</coordinates></Point></Placemark>
<Placemark><name>multi</name><TimeStamp><when>2024-01-01</when></TimeStamp><MultiGeometry><Point><coordinates>30,50</coordinates></Point><Point><coordinates></coordinates></Point></MultiGeometry></Placemark>
<Placemark><name>spaces &amp; entities&nbsp;ok</name><description>Bare & and <b>bold</b> markup<br>and a < sign</description><TimeStamp><when>2024-01-02</when></TimeStamp><Point><gx:altitudeMode>clampToSeaFloor</gx:altitudeMode><coordinates>30.5, 50.4, 0</coordinates></Point></Placemark>
<Placemark><name><![CDATA[CDATA <name>]]></name><ExtendedData><SchemaData schemaUrl="#s"><SimpleData name="Date of attack"><![CDATA[March 15, 2024]]></SimpleData><SimpleData name="Oblast">Kharkiv</SimpleData><SimpleData name="source">Reuters</SimpleData></SchemaData></ExtendedData><Point><coordinates>36.2,50.0</coordinates></Point></Placemark>
<Placemark><name>span backwards</name><TimeSpan><begin>2024-02-10</begin><end>2024-02-01</end></TimeSpan><Point><coordinates>36.2,50.0</coordinates></Point></Placemark>
<Placemark><name>model</name><TimeStamp><when>2024-01-01</when></TimeStamp><Model><Location><longitude>30</longitude><latitude>50</latitude></Location></Model></Placemark>
<Placemark><name>fields only</name><ExtendedData><Data name="Latitude"><value>48.5</value></Data><Data name="Longitude"><value>35.1</value></Data><Data name="event_date"><value>2024-05-06</value></Data></ExtendedData></Placemark>"##,
        );
        let r = load("mixed.kml", &text).unwrap();
        assert_eq!(r.records, 8);
        assert_eq!(
            rejections(&r),
            vec![
                (RecordRef::Placemark(1), RejectReason::MissingLocation),
                (RecordRef::Placemark(2), RejectReason::InvalidCoordinates),
                (RecordRef::Placemark(3), RejectReason::MissingLocation),
                (RecordRef::Placemark(6), RejectReason::InvalidDate),
                (RecordRef::Placemark(7), RejectReason::MissingLocation),
            ]
        );
        assert_eq!(r.rejected[0].detail, "its Point has no coordinates");
        assert!(
            r.rejected[1].detail.contains("\"east,north\""),
            "{:?}",
            r.rejected[1]
        );
        assert!(
            r.rejected[4].detail.contains("Model"),
            "{:?}",
            r.rejected[4]
        );
        let e = event(&r, "spaces & entities ok");
        assert_eq!((e.location.lat, e.location.lon), (50.4, 30.5));
        assert_eq!(
            e.description.as_deref(),
            Some("Bare & and bold markup\nand a < sign")
        );
        let c = event(&r, "CDATA <name>");
        assert_eq!(fmt_date(c.time.start), "2024-03-15");
        assert_eq!(c.location.admin1.as_deref(), Some("Kharkiv"));
        assert_eq!(c.sources[0].outlet.as_deref(), Some("Reuters"));
        let f = event(&r, "fields only");
        assert_eq!((f.location.lat, f.location.lon), (48.5, 35.1));
        assert_eq!(fmt_date(f.time.start), "2024-05-06");
    }

    /// XML that is not KML is named, not read as a table.
    #[test]
    fn xml_that_is_not_kml_is_unsupported() {
        let gpx =
            b"<?xml version=\"1.0\"?>\n<gpx version=\"1.1\"><wpt lat=\"50\" lon=\"30\"/></gpx>\n";
        let err = load_bytes("track.gpx", gpx).unwrap_err().to_string();
        assert!(err.contains("GPX") && err.contains("not KML"), "{err}");
        let html = b"<!DOCTYPE html>\n<html><body>hi</body></html>\n";
        let err = load_bytes("page.kml", html).unwrap_err().to_string();
        assert!(err.contains("an HTML page"), "{err}");
        assert!(is_kml(
            "\u{feff}  <?xml version=\"1.0\"?><kml:kml xmlns:kml=\"x\">"
        ));
        assert!(!is_kml("latitude,longitude\n<kml"));
    }

    #[test]
    fn placemark_records_read_as_text() {
        assert_eq!(RecordRef::Placemark(3).to_string(), "placemark 3");
        assert_eq!(RecordRef::Placemark(3).number(), 3);
        let json = serde_json::to_string(&RecordRef::Placemark(4)).unwrap();
        assert_eq!(json, "\"placemark 4\"");
        assert_eq!(Format::Kml.label(), "KML");
    }
}
