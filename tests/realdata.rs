//! Runs the importers over the real files in ../shared/realdata (required under CI, where its
//! absence fails every test here; on a developer machine without it they are skipped, saying
//! so). Every file must load or fail with a message, never panic, and
//! the formats supported so far must load every record with the right first and last dates.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may unwrap and panic

mod common;

use std::path::{Path, PathBuf};

use strikemap::import::{self, Format};

/// `../shared/realdata`, or `None` with the reason printed on a developer machine without it;
/// under CI (`CI=true`) its absence fails the test instead of passing it silently.
fn realdata() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/realdata");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI=true but {} is missing: the real files must be read",
        dir.display()
    );
    eprintln!("skipped: {} is missing", dir.display());
    None
}

#[test]
fn every_real_file_loads_or_says_why() {
    let Some(dir) = realdata() else { return };
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        match import::load_path(&path) {
            Ok(r) => assert_eq!(
                r.records,
                r.events.len() + r.rejected.len(),
                "{}: records must add up",
                path.display()
            ),
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
}

#[test]
fn acled_exports_load_completely_with_the_right_dates() {
    let Some(dir) = realdata() else { return };
    for (file, records, first, last) in [
        (
            "acled_exporttool_srilanka_2010-2019_ddMonthYYYY.csv",
            3855,
            "2010-01-01",
            "2019-12-13",
        ),
        (
            "acled_exporttool_srilanka_2022-2023_ddMonthYYYY_2023cols.csv",
            1120,
            "2022-01-01",
            "2023-01-01",
        ),
        (
            "acled_ukraine_peacerep_1000rows.csv",
            1000,
            "2018-01-18",
            "2024-04-05",
        ),
    ] {
        let r = import::load_path(&dir.join(file)).unwrap();
        assert_eq!(r.format, Format::Acled, "{file}");
        assert_eq!(
            (r.records, r.events.len()),
            (records, records),
            "{file}: {:?}",
            r.rejected.first()
        );
        assert_eq!(
            r.first_time().map(strikemap::model::fmt_date).as_deref(),
            Some(first),
            "{file}"
        );
        assert_eq!(
            r.last_time().map(strikemap::model::fmt_date).as_deref(),
            Some(last),
            "{file}"
        );
    }
    // The Ukraine file's numeric dates are day-first, and the importer says why.
    let r = import::load_path(&dir.join("acled_ukraine_peacerep_1000rows.csv")).unwrap();
    assert!(r.notes.iter().any(|n| n.contains("day/month/year")));
    let drones = r
        .events
        .iter()
        .filter(|e| e.weapons.first() == Some(&strikemap::model::Weapon::Drone))
        .count();
    assert!(drones > 0, "air/drone strikes mentioning drones are drones");
}

#[test]
fn ucdp_ged_loads_completely_with_ranges_and_estimates() {
    let Some(dir) = realdata() else { return };
    let r = import::load_path(&dir.join("ucdp_ged_ukraine_peacerep_iso.csv")).unwrap();
    assert_eq!(r.format, Format::Ucdp);
    assert_eq!((r.records, r.events.len()), (3077, 3077));
    assert_eq!(
        r.first_time().map(strikemap::model::fmt_date).as_deref(),
        Some("2014-01-22")
    );
    assert_eq!(
        r.last_time().map(strikemap::model::fmt_date).as_deref(),
        Some("2022-02-25")
    );
    let ranges = r.events.iter().filter(|e| e.killed_range.is_some()).count();
    assert_eq!(
        ranges, 431,
        "events whose low/high estimates differ from best"
    );
    assert!(
        r.events
            .iter()
            .any(|e| e.time.precision == strikemap::model::TimePrecision::Range)
    );
}

#[test]
fn gdelt_events_load_with_mixed_widths() {
    let Some(dir) = realdata() else { return };
    let r = import::load_path(&dir.join("gdelt1_events_raw_sample_710rows.tsv")).unwrap();
    assert_eq!(r.format, Format::Gdelt);
    assert_eq!(
        (r.records, r.events.len(), r.rejected.len()),
        (710, 696, 14)
    );
    assert!(
        r.rejected
            .iter()
            .all(|x| x.reason == import::RejectReason::MissingLocation)
    );
    assert_eq!(
        r.first_time().map(strikemap::model::fmt_date).as_deref(),
        Some("1982-01-02")
    );
    assert_eq!(
        r.last_time().map(strikemap::model::fmt_date).as_deref(),
        Some("2016-07-28")
    );
}

#[test]
fn bellingcat_timemap_export_loads_completely() {
    let Some(dir) = realdata() else { return };
    let r = import::load_path(&dir.join("bellingcat_ukr-civharm-2023-08-04_export.json")).unwrap();
    assert_eq!(r.format, Format::TimeMap);
    assert_eq!((r.records, r.events.len()), (1219, 1219));
    assert_eq!(
        r.first_time().map(strikemap::model::fmt_date).as_deref(),
        Some("2022-02-24")
    );
    assert_eq!(
        r.last_time().map(strikemap::model::fmt_date).as_deref(),
        Some("2023-07-24")
    );
    let cruise = r
        .events
        .iter()
        .filter(|e| e.weapons.contains(&strikemap::model::Weapon::CruiseMissile))
        .count();
    assert_eq!(cruise, 53, "the 'Cruise missile' weapon-system filter");
    assert!(
        r.events
            .iter()
            .all(|e| !e.sources.is_empty() || e.description.is_some())
    );
}

#[test]
fn missile_attacks_are_placed_on_oblasts_or_the_country() {
    let Some(dir) = realdata() else { return };
    let r = import::load_path(&dir.join("petroivaniuk_missile_attacks_daily_2026-02.csv")).unwrap();
    assert_eq!(r.format, Format::MissileAttacks);
    assert_eq!((r.records, r.events.len()), (3468, 3468));
    assert_eq!(
        r.first_time().map(strikemap::model::fmt_date).as_deref(),
        Some("2022-09-28")
    );
    assert_eq!(
        r.last_time().map(strikemap::model::fmt_date).as_deref(),
        Some("2026-03-01")
    );
    assert!(
        r.notes.iter().any(|n| n.contains("missiles_and_uavs")),
        "models joined"
    );
    use strikemap::model::LocationPrecision as P;
    let count = |p: P| {
        r.events
            .iter()
            .filter(|e| e.location.precision == p)
            .count()
    };
    let unplaced: Vec<_> = r
        .events
        .iter()
        .filter(|e| {
            e.location_note
                .as_deref()
                .is_some_and(|n| n.contains("could not place"))
        })
        .filter_map(|e| e.location.place.clone())
        .collect();
    eprintln!(
        "country {} region {} settlement {}; unplaced targets: {:?}",
        count(P::Country),
        count(P::Region),
        count(P::Settlement),
        unplaced
    );
    // "Ukraine" (1427), macro-regions (~1030) and the empty target (30) are country-level.
    assert!(count(P::Country) >= 2_400);
    assert!(count(P::Region) >= 700, "oblast targets");
    assert!(
        unplaced.len() < 40,
        "few targets stay unplaced: {unplaced:?}"
    );
    // The models table alone is not events, and says so.
    let err =
        import::load_path(&dir.join("petroivaniuk_missiles_and_uavs_2026-02.csv")).unwrap_err();
    assert!(err.to_string().contains("attacks file"));
}

/// Each real event file opens in the app: every loaded event is in the store, the timeline
/// has its days, and the map draws them (markers, clusters or density) at the first view.
#[test]
fn the_app_shows_each_real_file_on_the_map_and_timeline() {
    let Some(dir) = realdata() else { return };
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".md")
            || name.contains("column_labels")
            || name.contains("missiles_and_uavs")
        {
            continue;
        }
        let loaded = import::load_path(&path).unwrap().loaded();
        let h = common::harness_with(vec![path.clone()], egui::vec2(1280.0, 800.0));
        let app = h.state();
        assert_eq!(
            app.store().len(),
            loaded,
            "{name}: every loaded event is in the store"
        );
        let days: u32 = app
            .store()
            .histogram()
            .days
            .iter()
            .map(|d| d.iter().sum::<u32>())
            .sum();
        assert_eq!(
            days as usize, loaded,
            "{name}: every event is on the timeline"
        );
        let drawn = match app.layer().0 {
            Some(strikemap::layers::Layer::Markers(ids, more)) => ids.len() + more,
            Some(strikemap::layers::Layer::Clusters(c)) => c.iter().map(|c| c.count as usize).sum(),
            Some(strikemap::layers::Layer::Density(d)) => d.total as usize,
            None => 0,
        };
        // The first view fits the data; a few far-off events may sit outside the margin.
        assert!(
            drawn * 10 >= loaded * 9,
            "{name}: {drawn} of {loaded} events drawn at the first view"
        );
    }
}
