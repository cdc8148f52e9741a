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
