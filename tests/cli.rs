//! The `check` command, run as a real process.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may unwrap and panic

use std::process::Command;

fn strikemap() -> Command {
    Command::new(env!("CARGO_BIN_EXE_strikemap"))
}

#[test]
fn check_json_reports_every_bundled_record_loaded() {
    let out = strikemap()
        .args(["check", "--json", "data/events.geojson"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["format"], "geojson");
    assert!(line["records"].as_u64().unwrap() > 0);
    assert_eq!(line["records"], line["loaded"]);
    assert_eq!(line["rejected"], serde_json::json!({}));
    assert_eq!(line["first_date"], "2025-01-31");
    assert_eq!(line["last_date"], "2026-02-11");
}

#[test]
fn check_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.geojson");
    std::fs::write(&bad, "{ not json").unwrap();
    let out = strikemap()
        .args(["check", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.geojson") && err.contains("not valid JSON"),
        "{err}"
    );

    let partial = dir.path().join("partial.csv");
    std::fs::write(&partial, "lat,lon,date\n50,30,2025-01-01\n50,30,never\n").unwrap();
    let out = strikemap()
        .args(["check", partial.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "rejected records still exit 0");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("unreadable date") && text.contains("row 3"),
        "{text}"
    );

    let usage = strikemap().args(["check"]).output().unwrap();
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn check_output_carries_no_raw_control_bytes_and_refuses_non_files() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("escapes.csv");
    std::fs::write(
        &csv,
        "latitude,longitude,date\n50.45,30.52,\u{1b}]0;pwned\u{7}\u{1b}[31m\n50.45,30.52,2025-07-10\n",
    )
    .unwrap();
    let bin = dir.path().join("book.xlsx");
    std::fs::write(
        &bin,
        b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml xl/workbook.xml\x00\x00",
    )
    .unwrap();
    for args in [vec!["check"], vec!["check", "--json"]] {
        let out = strikemap()
            .args(&args)
            .arg(&csv)
            .arg(&bin)
            .arg("/dev/zero")
            .output()
            .unwrap();
        for stream in [&out.stdout, &out.stderr] {
            assert!(
                !stream.iter().any(|&b| b == 0x1b || b == 0x07 || b == 0),
                "raw control bytes in {:?}",
                String::from_utf8_lossy(stream)
            );
        }
        let text = String::from_utf8_lossy(&out.stderr);
        assert!(text.contains("Excel workbook"), "{text}");
        assert!(text.contains("not a regular file"), "{text}");
        assert_eq!(out.status.code(), Some(1));
    }
}
