//! Files written the way other projects write them (tests/data/unseen/, made by its
//! make_fixtures.py and by hand): every record is loaded or rejected for its reason, with
//! the right first and last dates, and `export` round-trips each of them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use strikemap::cli::{CheckLine, run_export};
use strikemap::import::{self, LoadOptions, LoadReport};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/unseen")
        .join(name)
}

#[allow(clippy::panic)] // a test helper: a fixture that does not load fails the test
fn load(name: &str) -> LoadReport {
    import::load_path(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// What `check --json` says of a file: records, loaded, rejections by reason, first and
/// last date.
fn summary(
    r: &LoadReport,
    file: &str,
) -> (usize, usize, BTreeMap<&'static str, usize>, String, String) {
    let line = CheckLine::from_report(file.to_owned(), r);
    (
        line.records,
        line.loaded,
        line.rejected,
        line.first_date.unwrap_or_default(),
        line.last_date.unwrap_or_default(),
    )
}

type Expected = (
    &'static str,
    usize,
    usize,
    &'static [(&'static str, usize)],
    &'static str,
    &'static str,
);

const EXPECTED: &[Expected] = &[
    (
        "incident_log.xlsx",
        7,
        5,
        &[("implausible_date", 1), ("unknown_place", 1)],
        "2023-10-08",
        "2023-10-14",
    ),
    (
        "people_headers.csv",
        8,
        6,
        &[("implausible_date", 1), ("invalid_date", 1)],
        "2023-10-08",
        "2025-10-28",
    ),
    ("us_dates.csv", 3, 3, &[], "2023-10-08", "2023-11-02"),
    ("multilingual.csv", 5, 5, &[], "2023-10-08", "2023-10-12"),
    (
        "serials_and_epochs.csv",
        3,
        3,
        &[],
        "2023-10-08",
        "2023-10-10",
    ),
    (
        "places_only.csv",
        10,
        8,
        &[("unknown_place", 2)],
        "2024-01-03",
        "2024-01-12",
    ),
    (
        "upper_case.geojson",
        5,
        3,
        &[("implausible_date", 1), ("missing_location", 1)],
        "2023-10-08",
        "2023-10-14",
    ),
    (
        "dated_by_content.geojson",
        2,
        2,
        &[],
        "2023-10-08",
        "2023-10-09",
    ),
    (
        "my_maps.kml",
        7,
        4,
        &[
            ("implausible_date", 1),
            ("missing_date", 1),
            ("missing_location", 1),
        ],
        "2023-10-07",
        "2023-11-05",
    ),
    (
        "earth_timespans.kml",
        9,
        7,
        &[("invalid_coordinates", 1), ("invalid_date", 1)],
        "2022-01-01",
        "2024-08-26",
    ),
    (
        "earth.kmz",
        9,
        7,
        &[("invalid_coordinates", 1), ("invalid_date", 1)],
        "2022-01-01",
        "2024-08-26",
    ),
];

#[test]
fn every_record_of_every_unseen_file_is_accounted_for() {
    for &(name, records, loaded, rejected, first, last) in EXPECTED {
        let r = load(name);
        let got = summary(&r, name);
        let want_rejected: BTreeMap<&str, usize> = rejected.iter().copied().collect();
        assert_eq!(
            got,
            (
                records,
                loaded,
                want_rejected,
                first.to_owned(),
                last.to_owned()
            ),
            "{name}: notes {:#?}",
            r.notes
        );
        assert_eq!(r.records, r.loaded() + r.rejected.len(), "{name}");
    }
}

/// Exporting a file and reading the export gives the same count and dates, as GeoJSON and
/// as CSV.
#[test]
fn export_round_trips_every_unseen_file() {
    let dir = tempfile::tempdir().unwrap();
    for &(name, _, loaded, _, first, last) in EXPECTED {
        for ext in ["geojson", "csv"] {
            let out = dir.path().join(format!("{name}.{ext}"));
            let (mut o, mut e) = (Vec::new(), Vec::new());
            let code = run_export(
                &[fixture(name)],
                None,
                &out,
                &LoadOptions::default(),
                &Default::default(),
                &mut o,
                &mut e,
            );
            assert_eq!(code, 0, "{name}: {}", String::from_utf8_lossy(&e));
            let back = import::load_path(&out).unwrap();
            let (records, got_loaded, rejected, f, l) = summary(&back, name);
            assert_eq!(
                (records, got_loaded),
                (loaded, loaded),
                "{name} → {ext}: {:?}",
                back.rejected
            );
            assert!(rejected.is_empty(), "{name} → {ext}: {rejected:?}");
            assert_eq!((f.as_str(), l.as_str()), (first, last), "{name} → {ext}");
            let orig = load(name);
            let times = |r: &LoadReport| r.events.iter().map(|e| e.time).collect::<Vec<_>>();
            assert_eq!(times(&back), times(&orig), "{name} → {ext}");
        }
    }
}

#[test]
fn the_report_says_how_each_file_was_read() {
    let has = |r: &LoadReport, s: &str| r.notes.iter().any(|n| n.contains(s));
    let x = load("incident_log.xlsx");
    assert!(
        has(&x, "sheet \"Incidents\" read (header on row 4"),
        "{:?}",
        x.notes
    );
    assert!(
        has(&x, "their date is taken from \"Post Date\""),
        "{:?}",
        x.notes
    );
    let odesa = x
        .events
        .iter()
        .find(|e| e.location.place.as_deref() == Some("Odesa"))
        .unwrap();
    // Lon-then-lat columns, coordinates stored as text, "unkn" and "-" not reported.
    assert!((odesa.location.lat - 46.4825).abs() < 1e-9);
    assert_eq!((odesa.killed, odesa.injured), (None, None));
    assert_eq!(odesa.time.display(), "2023-10-09 21:30 UTC");
    let other = import::load_path_opts(
        &fixture("incident_log.xlsx"),
        &import::Progress::default(),
        &LoadOptions {
            sheet: Some("Incidents (old copy)".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(other.loaded(), 1, "the chosen sheet is read");
    assert_eq!(other.sheet_choice.unwrap().candidates.len(), 4);

    let p = load("people_headers.csv");
    assert!(has(&p, "numeric dates read day first"), "{:?}", p.notes);
    assert!(has(&p, "without a year"), "{:?}", p.notes);
    let us = load("us_dates.csv");
    assert!(has(&us, "month first"), "{:?}", us.notes);
    assert_eq!(us.events[0].time.display(), "2023-10-08");

    let g = load("places_only.csv");
    assert!(has(&g, "\"Qxzwyville\" ×2"), "{:?}", g.notes);
    let k: Vec<_> = g
        .events
        .iter()
        .take(2)
        .map(|e| (e.location.lat, e.location.lon))
        .collect();
    assert!(
        (k[0].0 - 48.53).abs() < 0.1 && (k[1].0 - 47.83).abs() < 0.1,
        "two Kostiantynivkas: {k:?}"
    );
}

/// A date that cannot be an event's is never loaded, whatever the format.
#[test]
fn an_implausible_date_is_never_loaded() {
    for &(name, ..) in EXPECTED {
        for e in &load(name).events {
            let year = strikemap::model::fmt_date(e.time.start);
            assert!(
                year.as_str() >= "1900" && year.as_str() <= "2027",
                "{name}: {} {year}",
                e.id
            );
        }
    }
}
