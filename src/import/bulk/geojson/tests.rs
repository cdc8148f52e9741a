//! The streaming reader against the ordinary one, on generated FeatureCollections many test
//! batches long. Test code only: `mod.rs` declares it under #[cfg(test)].

use std::sync::atomic::Ordering;

use super::*;
use crate::import::{LoadOptions, load_bytes_opts};

/// One feature of the main sample: upper-case and mixed-case property names, dd/mm dates,
/// an end property, several geometries, and records each rule refuses.
fn feature(k: usize) -> String {
    let lon = 30.0 + (k % 70) as f64 * 0.1;
    let lat = 46.0 + (k % 50) as f64 * 0.1;
    let point = format!(r#"{{"type":"Point","coordinates":[{lon:.4},{lat:.4}]}}"#);
    let mut props = Vec::new();
    let geometry = match k % 53 {
        5 => format!(
            r#"{{"type":"MultiPoint","coordinates":[[{lon},{lat}],[{},{}]]}}"#,
            lon + 0.5,
            lat + 0.2
        ),
        6 => {
            props.push(format!(r#""Latitude":"{lat}","Longitude":{lon}"#));
            "null".to_owned()
        }
        7 => "null".to_owned(),
        8 => format!(
            r#"{{"type":"Polygon","coordinates":[[[{lon},{lat}],[{},{lat}],[{},{}],[{lon},{lat}]]]}}"#,
            lon + 0.01,
            lon + 0.01,
            lat + 0.01
        ),
        9 => r#"{"type":"Point","coordinates":[200,50]}"#.to_owned(),
        _ => point,
    };
    let day = 1 + k % 28;
    let month = 1 + k % 12;
    match k % 211 {
        3 => {}
        4 => props.push(r#""TIME_START":"soon""#.to_owned()),
        5 => props.push(r#""TIME_START":"01/01/1850""#.to_owned()),
        _ => props.push(format!(r#""TIME_START":"{day:02}/{month:02}/2024""#)),
    }
    if k.is_multiple_of(3) {
        props.push(format!(
            r#""End":"{:02}/{month:02}/2024""#,
            (day + 2).min(28)
        ));
    }
    if !k.is_multiple_of(5) {
        props.push(r#""Time_Precision":"day""#.to_owned());
    }
    props.push(format!(
        r#""Location_Precision":"{}""#,
        ["settlement", "district", "exact"][k % 3]
    ));
    props.push(match k % 4 {
        0 => r#""Weapon":"drone""#.to_owned(),
        1 => r#""Weapon":["cruise_missile","drone"]"#.to_owned(),
        2 => r#""Weapon":"Artillery""#.to_owned(),
        _ => r#""Weapon":null"#.to_owned(),
    });
    props.push(match k % 7 {
        0 => r#""Killed":"unknown""#.to_owned(),
        1 => r#""Killed":"3""#.to_owned(),
        2 => r#""Killed":2.0"#.to_owned(),
        _ => format!(r#""Killed":{}"#, k % 9),
    });
    if k.is_multiple_of(2) {
        props.push(format!(r#""Injured":{}"#, k % 5));
    }
    props.push(format!(
        r#""Place":"Place {k}","Description":"Strike on \"Київ\" — brackets ]}},{{[ and a backslash \\ here, caf\u00e9 {k}","report":"{k}.txt","sources":[{{"outlet":"Outlet {}","published":"2024-01-0{}"}},{{"outlet":"B"}}]"#,
        k % 11,
        1 + k % 9
    ));
    let id = if k.is_multiple_of(10) {
        String::new()
    } else {
        format!(r#""id":"F{k}","#)
    };
    format!(
        r#"{{"type":"Feature",{id}"geometry":{geometry},"properties":{{{}}}}}"#,
        props.join(",")
    )
}

/// A FeatureCollection of `n` features made by `f`, with odd records and separators.
fn collection(n: usize, f: impl Fn(usize) -> String, head: &str, tail: &str) -> String {
    let mut s = format!(r#"{{"type":"FeatureCollection",{head}"features":["#);
    for k in 0..n {
        if k > 0 {
            s.push_str([",\n", " ,\r\n\t", ","][k % 3]);
        }
        match k {
            1234 => s.push_str(&f(k).replace("\"Killed\":", "\"Killed\":NaN,\"x\":")),
            1500 => s.push_str("42"),
            1501 => s.push_str(r#"{"type":"Feature","geometry":null,"properties":[1]}"#),
            1777 => s.push_str(&f(k).replace("\"report\":", "\"big\":1e400,\"report\":")),
            _ => s.push_str(&f(k)),
        }
    }
    s.push_str(&format!("\n]{tail}}}\n"));
    s
}

/// The ordinary reader's report and the streaming reader's on the same bytes.
fn load_both(text: &str, time_key: Option<&str>) -> (LoadReport, LoadReport) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.geojson");
    std::fs::write(&p, text).unwrap();
    let opts = LoadOptions {
        time_property: time_key.map(str::to_owned),
        ..LoadOptions::default()
    };
    let name = p.display().to_string();
    let slow = load_bytes_opts(&name, text.as_bytes(), None, &opts).unwrap();
    let progress = Progress::default();
    let fast = try_load(&p, &progress, time_key).unwrap().unwrap();
    assert_eq!(progress.done.load(Ordering::Relaxed), text.len() as u64);
    // The file is read back when events are opened: keep it for the test's lifetime.
    std::mem::forget(dir);
    (slow, fast)
}

/// Everything `check` shows, and every event read back, as the ordinary reader has them.
fn assert_same(slow: &LoadReport, fast: &LoadReport) {
    assert_eq!(fast.format, slow.format);
    assert_eq!(fast.records, slow.records);
    assert_eq!(fast.loaded(), slow.loaded());
    assert_eq!(fast.rejected, slow.rejected);
    assert_eq!(fast.first_time(), slow.first_time());
    assert_eq!(fast.last_time(), slow.last_time());
    // The streaming reader says in a last note that it is one.
    let (large, notes) = fast.notes.split_last().unwrap();
    assert!(large.starts_with("large file: read on"), "{large}");
    assert_eq!(notes, slow.notes);
    assert_eq!(fast.time_choice, slow.time_choice);
    let bulk = fast.bulk.as_ref().unwrap();
    let want = crate::store::resolved_events(&slow.events);
    assert_eq!(crate::store::resolved(&bulk.rows, &bulk.areas), want);
    for (k, e) in slow.events.iter().enumerate() {
        assert_eq!(&bulk.source.event(k).unwrap(), e, "event {k}");
    }
}

/// Upper-case properties, a dd/mm column with an end column, a MultiPoint, a polygon, null
/// geometries with and without coordinates, broken features (NaN, 1e400), a number and a
/// feature whose properties are a list: the same results as the ordinary reader.
#[test]
fn streamed_features_equal_the_ordinary_reader() {
    let text = collection(3000, feature, r#""name":"x, ] {","bbox":[1,2,3,4],"#, "");
    assert!(text.len() > 40 * BATCH, "{} bytes", text.len());
    let (slow, fast) = load_both(&text, None);
    assert_same(&slow, &fast);
    assert!(slow.rejected.len() > 50);
    assert!(
        slow.notes.iter().any(|n| n.contains("day first")),
        "{:?}",
        slow.notes
    );
    assert!(slow.notes.iter().any(|n| n.contains("MultiPoint")));
    let nan = slow
        .rejected
        .iter()
        .find(|r| r.record == RecordRef::Feature(1235));
    assert!(nan.unwrap().detail.contains("NaN"), "{nan:?}");
    let reasons = slow.rejected_by_reason();
    assert_eq!(reasons.len(), 6, "{reasons:?}");
    // A chosen time property, also one the file does not have.
    for key in ["End", "nothing"] {
        let (slow, fast) = load_both(&text, Some(key));
        assert_same(&slow, &fast);
    }
}

/// Epoch numbers (a column of them decides the unit), and a file cut off inside a feature.
#[test]
fn epochs_and_a_cut_off_file() {
    let epoch = |k: usize| {
        let t = if k.is_multiple_of(17) {
            format!("\"{}\"", 1_700_000_000 + k * 3600)
        } else {
            (1_700_000_000_000u64 + k as u64 * 3_600_000).to_string()
        };
        format!(
            r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":[30.5,50.{k}]}},"properties":{{"time":{t},"killed":{}}}}}"#,
            k % 4
        )
    };
    let text = collection(2000, epoch, "", "");
    let (slow, fast) = load_both(&text, None);
    assert_same(&slow, &fast);
    assert!(
        slow.notes.iter().any(|n| n.contains("epoch")),
        "{:?}",
        slow.notes
    );
    // Cut inside a feature, and just after one (a feature ends the file, no bracket).
    let main = collection(2500, feature, "", "");
    let inside = &main[..main.len() - 300];
    let after = &main[..main.rfind("}},").unwrap() + 2];
    for (cut, cut_off) in [(inside, true), (after, false)] {
        let (slow, fast) = load_both(cut, None);
        assert_same(&slow, &fast);
        assert_eq!(
            slow.notes[0].contains("cut off"),
            cut_off,
            "{:?}",
            slow.notes
        );
    }
}

/// Whether the first read of `text` finds what it did not plan for.
fn read_again(text: &str) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("late.geojson");
    std::fs::write(&p, text).unwrap();
    matches!(run(&p, &Progress::default(), None, None), Ok(Run::Again(_)))
}

/// A property first seen after the first batch, and a CRS declared after the features: the
/// file is read again knowing them, with the same results.
#[test]
fn names_and_crs_seen_late_are_read_again() {
    let late = |k: usize| {
        let mut f = feature(k);
        if k > 1900 {
            f = f.replace(
                "\"report\":",
                "\"Date\":\"2023-05-06\",\"Notes\":\"late\",\"report\":",
            );
        }
        f
    };
    let text = collection(2200, late, "", "");
    assert!(read_again(&text));
    assert!(!read_again(&collection(2200, feature, "", "")));
    let (slow, fast) = load_both(&text, None);
    assert_same(&slow, &fast);
    let mercator = |k: usize| {
        format!(
            r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":[{},6600000]}},"properties":{{"date":"2024-02-0{}"}}}}"#,
            3_400_000 + k * 100,
            1 + k % 9
        )
    };
    let tail = r#","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3857"}}"#;
    let text = collection(1000, mercator, "", tail);
    assert!(read_again(&text));
    let (slow, fast) = load_both(&text, None);
    assert_same(&slow, &fast);
    assert!(fast.notes.iter().any(|n| n.contains("Web Mercator")));
}

/// What the streaming reader leaves to the ordinary one: other JSON, text that is not
/// UTF-8, a document broken around its features; a CRS it cannot read is an error.
#[test]
fn other_documents_are_left_to_the_ordinary_reader() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.geojson");
    let none = |bytes: &[u8]| {
        std::fs::write(&p, bytes).unwrap();
        try_load(&p, &Progress::default(), None).unwrap().is_none()
    };
    let good = collection(300, feature, "", "");
    assert!(none(
        good.replace("FeatureCollection", "Feature").as_bytes()
    ));
    assert!(none(format!("[{}]", feature(1)).as_bytes()));
    assert!(none(b"latitude,longitude\n1,2\n"));
    let mut latin1 = good.clone().into_bytes();
    let at = good.find("Place 250").unwrap();
    latin1[at] = 0xE9;
    assert!(none(&latin1));
    assert!(none(format!("{good} trailing").as_bytes()));
    assert!(none(
        good.replace("]}\n", "],\"features\":[1]}\n").as_bytes()
    ));
    let crs = r#""crs":{"type":"name","properties":{"name":"EPSG:2180"}},"#;
    std::fs::write(&p, collection(10, feature, crs, "")).unwrap();
    let err = try_load(&p, &Progress::default(), None).unwrap_err();
    assert!(err.to_string().contains("EPSG:2180"), "{err}");
}

#[test]
fn cancel_stops_the_read() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.geojson");
    std::fs::write(&p, collection(2000, feature, "", "")).unwrap();
    let cancelled = Progress::default();
    cancelled.cancel.store(true, Ordering::Relaxed);
    assert!(matches!(
        try_load(&p, &cancelled, None),
        Err(ImportError::Cancelled { .. })
    ));
}

/// The generator's FeatureCollection (`strikemap generate --format geojson`, the bench's
/// file) reads the same both ways.
#[test]
fn generated_collections_read_the_same() {
    let g = crate::generate::GenOptions {
        rows: 3000,
        format: crate::generate::GenFormat::Geojson,
        seed: 3,
    };
    let mut bytes = Vec::new();
    crate::generate::generate(&g, &mut bytes).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let (slow, fast) = load_both(&text, None);
    assert_same(&slow, &fast);
    assert_eq!(fast.loaded(), 3000);
}
