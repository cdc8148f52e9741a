//! Damaged input never panics, never hangs and never loses a record: files in every supported
//! format (the bundled sample, the TimeMap fixture, generated ACLED, plain CSV with epoch
//! times, and ../shared/realdata — required under CI) are mutated at random with a fixed seed —
//! bytes changed, quotes, newlines and separators inserted, runs deleted or repeated, cut
//! short, header columns swapped, NaN and huge numbers, 2-digit years, NULs, terminal escapes
//! and over-long lines spliced in — and each result must load or fail with an error within a
//! time bound, with records = loaded + rejected and no raw control bytes in what `check`
//! prints. A large ACLED file damaged in places must read the same through the parallel
//! reader as through the ordinary importer.
//!
//! `STRIKEMAP_FUZZ_CASES=N` sets the damaged copies per file (200 by default; release checks
//! run thousands: `STRIKEMAP_FUZZ_CASES=5000 cargo test --release --test robustness`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may unwrap and panic

use std::path::Path;
use std::time::{Duration, Instant};

/// How long one damaged file may take to load (a debug build on a busy 2-core machine takes
/// well under a second); longer counts as a hang and fails the test.
const CASE_LIMIT: Duration = Duration::from_secs(10);

/// Damaged copies per file: `STRIKEMAP_FUZZ_CASES`, else 200.
fn cases() -> usize {
    std::env::var("STRIKEMAP_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

/// Seeds made here, so that formats are covered without ../shared: a small generated ACLED
/// export and a plain CSV with epoch seconds, a "lat, lon" column and casualty counts.
fn made_seeds() -> Vec<(String, Vec<u8>)> {
    let mut acled = Vec::new();
    let opts = strikemap::generate::GenOptions {
        rows: 60,
        format: strikemap::generate::GenFormat::Acled,
        seed: 9,
    };
    strikemap::generate::generate(&opts, &mut acled).unwrap();
    let mut plain = String::from("id;time;coordinates;place;weapon;killed;injured;notes\n");
    for i in 0..60 {
        plain.push_str(&format!(
            "e{i};{};\"{:.4}, {:.4}\";Place {i};drone;{};{};\"a note; with \"\"quotes\"\"\"\n",
            1_752_105_600 + i * 3_600,
            46.0 + f64::from(i) * 0.1,
            30.0 + f64::from(i) * 0.15,
            i % 4,
            i % 7
        ));
    }
    vec![
        ("generated_acled.csv".to_owned(), acled),
        ("plain_epoch.csv".to_owned(), plain.into_bytes()),
    ]
}

/// Files to damage: (name the importer sees, bytes). Delimited text is cut to its first
/// 20 kB (whole lines are not needed: a cut record is one more thing to survive); JSON is
/// kept whole, as a cut document never parses and would test nothing past the parser.
fn seeds() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![
        root.join("data/events.geojson"),
        root.join("tests/fixtures/timemap_raw/events.json"),
    ];
    let realdata = root.join("../shared/realdata");
    if std::env::var("CI").is_ok_and(|v| v == "true") && !realdata.is_dir() {
        panic!(
            "CI=true but {} is missing: the real files must be fuzzed too",
            realdata.display()
        );
    }
    if let Ok(dir) = std::fs::read_dir(&realdata) {
        let mut real: Vec<_> = dir
            .map(|e| e.unwrap().path())
            // Event files only: not the provenance notes, the GDELT column tables or the
            // missile models table (schemas, as in .ci/run).
            .filter(|p| {
                let name = p.file_name().unwrap().to_string_lossy();
                !name.ends_with(".md")
                    && !name.contains("column_labels")
                    && !name.contains("missiles_and_uavs")
            })
            .collect();
        real.sort();
        files.extend(real);
    }
    files
        .into_iter()
        .map(|p| {
            let mut bytes = std::fs::read(&p).unwrap();
            if !p.extension().is_some_and(|x| x == "json" || x == "geojson") {
                bytes.truncate(20_000);
            }
            (p.file_name().unwrap().to_string_lossy().into_owned(), bytes)
        })
        .chain(made_seeds())
        .collect()
}

/// Damage `b` in one to five places.
fn mutate(rng: &mut fastrand::Rng, b: &mut Vec<u8>) {
    const ODD: [&[u8]; 22] = [
        b"\0",
        b"\x1b[31m",
        b"\x1b]0;owned\x07",
        b"\x08\x7f",
        b"10/07/25",
        b"25-07-10",
        b"-62135596800",
        b"253402300799",
        b"Infinity",
        b"\xc2\xa0",
        b"\xa0",
        b"\xff\xfe",
        "\u{feff}".as_bytes(),
        b"1e400",
        b"-0",
        b"NaN",
        b"99999999999999999999",
        b"\"\"",
        b"9-May-20",
        b"30/02/2024",
        b"1700000000000",
        b"-1e20",
    ];
    for _ in 0..rng.usize(1..6) {
        if b.is_empty() {
            b.push(b'x');
        }
        let i = rng.usize(0..b.len());
        match rng.u8(0..11) {
            9 => swap_header_columns(rng, b),
            10 if rng.u8(0..20) == 0 => {
                // An over-long line: a field of more than the 1 MB record limit.
                b.splice(
                    i..i,
                    std::iter::repeat_n(b'x', (1 << 20) + rng.usize(1..5000)),
                );
            }
            0 => b[i] = rng.u8(..),
            1 => b.insert(i, *rng.choice(b"\"\n\r,\t;{}[]:-/0123456789.eE ").unwrap()),
            2 => {
                let j = rng.usize(i..b.len()).min(i + 50);
                b.drain(i..j);
            }
            3 => b.truncate(i),
            4 => {
                let s = rng.usize(0..b.len());
                let e = (s + rng.usize(0..200)).min(b.len());
                let run = b[s..e].to_vec();
                b.splice(i..i, run);
            }
            5 => {
                let odd = *rng.choice(ODD.iter()).unwrap();
                b.splice(i..i, odd.iter().copied());
            }
            6 => b[i] = b'"',
            7 => b[i] = b'\n',
            _ => b[i] = b',',
        }
    }
}

/// Swap two columns of the first line (delimited text) or rename one (JSON keys are untouched
/// by this: their first line is rarely a header).
fn swap_header_columns(rng: &mut fastrand::Rng, b: &mut Vec<u8>) {
    let end = b.iter().position(|c| *c == b'\n').unwrap_or(b.len());
    let line = String::from_utf8_lossy(&b[..end]).into_owned();
    let delim = [',', '\t', ';']
        .into_iter()
        .max_by_key(|d| line.matches(*d).count())
        .unwrap();
    let mut cols: Vec<&str> = line.split(delim).collect();
    if cols.len() < 2 {
        return;
    }
    let (x, y) = (rng.usize(0..cols.len()), rng.usize(0..cols.len()));
    cols.swap(x, y);
    let renamed;
    if rng.bool() {
        renamed = format!("{}_x", cols[x]);
        cols[x] = &renamed;
    }
    let new = cols.join(&delim.to_string());
    b.splice(..end, new.into_bytes());
}

/// Load damaged bytes on a thread of its own and wait at most [`CASE_LIMIT`]: a hang fails the
/// test instead of stalling it. Returns the result and how long it took.
fn load_bounded(
    name: &str,
    bytes: Vec<u8>,
) -> (
    std::thread::Result<Result<strikemap::import::LoadReport, strikemap::import::ImportError>>,
    Duration,
) {
    let (tx, rx) = std::sync::mpsc::channel();
    let n = name.to_owned();
    let keep = bytes.clone();
    let started = Instant::now();
    std::thread::spawn(move || {
        let r = std::panic::catch_unwind(|| strikemap::import::load_bytes(&n, &bytes));
        let _ = tx.send(r);
    });
    match rx.recv_timeout(CASE_LIMIT) {
        Ok(r) => (r, started.elapsed()),
        Err(_) => {
            let out = std::env::temp_dir().join(format!("strikemap-hang-{name}"));
            std::fs::write(&out, &keep).unwrap();
            panic!("{name}: loading took over {CASE_LIMIT:?} (input kept in {out:?})");
        }
    }
}

/// A seed of its own for each file, so a failure reproduces whichever other files exist.
fn seed_for(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

#[test]
fn damaged_files_load_or_fail_cleanly_and_lose_nothing() {
    let seeds = seeds();
    let cases = cases();
    let (mut tried, mut longest) = (0, (Duration::ZERO, String::new()));
    for (name, base) in &seeds {
        let mut rng = fastrand::Rng::with_seed(seed_for(name));
        let mut loaded = 0;
        for k in 0..cases {
            let mut b = base.clone();
            mutate(&mut rng, &mut b);
            let (result, took) = load_bounded(name, b.clone());
            if took > longest.0 {
                longest = (took, format!("{name}, damage {k}"));
            }
            let Ok(result) = result else {
                let out = std::env::temp_dir().join(format!("strikemap-panic-{k}-{name}"));
                std::fs::write(&out, &b).unwrap();
                panic!("{name}, damage {k}: the importer panicked (input kept in {out:?})");
            };
            match result {
                Ok(r) => {
                    assert_eq!(
                        r.records,
                        r.events.len() + r.rejected.len(),
                        "{name}, damage {k}: records lost"
                    );
                    for x in &r.rejected {
                        // Quoted input is bounded: a message, not a copy of the record.
                        assert!(
                            x.detail.chars().count() < 400,
                            "{name}, damage {k}: a rejection of {} characters",
                            x.detail.len()
                        );
                    }
                    loaded += 1;
                }
                Err(e) => assert!(
                    e.to_string().chars().count() < 1000,
                    "{name}, damage {k}: an error message of {} bytes",
                    e.to_string().len()
                ),
            }
            tried += 1;
        }
        // Damage leaves many copies readable; otherwise the check above tested nothing.
        assert!(
            loaded >= cases / 10,
            "{name}: only {loaded} of {cases} damaged copies loaded"
        );
    }
    eprintln!(
        "fuzzed {tried} damaged copies of {} files; the longest took {:?} ({})",
        seeds.len(),
        longest.0,
        longest.1
    );
    assert!(tried >= 4 * cases, "only {tried} damaged files tried");
}

/// What `check` prints about damaged files carries no raw control bytes (a terminal escape
/// in a file must not reach the terminal), whatever the damage.
#[test]
fn check_output_of_damaged_files_has_no_control_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = fastrand::Rng::with_seed(11);
    let mut paths = Vec::new();
    for (name, base) in seeds() {
        for k in 0..10 {
            let mut b = base.clone();
            mutate(&mut rng, &mut b);
            // Escapes and NULs where they will be quoted: in a value and in the header.
            let at = rng.usize(0..b.len().max(1));
            b.splice(at..at, b"\x1b]0;owned\x07\x1b[31m\0".iter().copied());
            b.splice(0..0, b"\x1b[2J".iter().copied());
            let p = dir.path().join(format!("{k}-{name}"));
            std::fs::write(&p, &b).unwrap();
            paths.push(p);
        }
    }
    let (mut out, mut err) = (Vec::new(), Vec::new());
    strikemap::cli::run_check(&paths, false, &mut out, &mut err);
    for (what, bytes) in [("stdout", &out), ("stderr", &err)] {
        let text = String::from_utf8_lossy(bytes);
        let bad: Vec<char> = text
            .chars()
            .filter(|c| c.is_control() && *c != '\n')
            .collect();
        assert!(
            bad.is_empty(),
            "{what} carries raw control characters {bad:?}"
        );
    }
    assert!(!out.is_empty(), "check printed nothing");
}

#[test]
fn a_damaged_large_acled_file_reads_the_same_in_parallel() {
    let rows = 70_000; // about 34 MB: above the parallel reader's threshold
    let mut base = Vec::new();
    let opts = strikemap::generate::GenOptions {
        rows,
        format: strikemap::generate::GenFormat::Acled,
        seed: 5,
    };
    strikemap::generate::generate(&opts, &mut base).unwrap();
    assert!(base.len() as u64 >= strikemap::import::BULK_MIN_BYTES);
    let mut rng = fastrand::Rng::with_seed(2);
    for k in 0..3 {
        let mut b = base.clone();
        // Damage small windows all over the file, some with a lone quote that swallows the
        // following lines into one field.
        for _ in 0..rng.usize(5..40) {
            let i = rng.usize(0..b.len() - 300);
            let mut w = b[i..i + 300].to_vec();
            mutate(&mut rng, &mut w);
            if rng.u8(0..4) == 0 {
                w.retain(|c| *c != b'"');
                let at = rng.usize(0..=w.len());
                w.insert(at, b'"');
            }
            b.splice(i..i + 300, w);
        }
        let file = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
        std::fs::write(file.path(), &b).unwrap();
        let name = file.path().display().to_string();
        let fast = strikemap::import::load_path(file.path()).unwrap();
        assert!(
            fast.notes.iter().any(|n| n.contains("large file")),
            "damage {k}: the parallel reader was used"
        );
        let slow = strikemap::import::load_bytes(&name, &b).unwrap();
        assert_eq!(fast.records, slow.records, "damage {k}: records");
        assert_eq!(fast.loaded() + fast.rejected.len(), fast.records);
        assert_eq!(fast.rejected, slow.rejected, "damage {k}: rejections");
        assert_eq!(fast.first_time(), slow.first_time(), "damage {k}");
        assert_eq!(fast.last_time(), slow.last_time(), "damage {k}");
    }
}
