//! Damaged input never panics and never loses a record: files in every supported format
//! (the bundled sample, the TimeMap fixture, and ../shared/realdata when it exists) are
//! mutated at random with a fixed seed — bytes changed, quotes, newlines and separators
//! inserted, runs deleted or repeated, cut short, odd numbers and dates spliced in — and each
//! result must load or fail with an error, with records = loaded + rejected. A large ACLED
//! file damaged in places must read the same through the parallel reader as through the
//! ordinary importer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may unwrap and panic

use std::path::Path;

/// Files to damage: (name the importer sees, bytes). Delimited text is cut to its first
/// 20 kB (whole lines are not needed: a cut record is one more thing to survive); JSON is
/// kept whole, as a cut document never parses and would test nothing past the parser.
fn seeds() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![
        root.join("data/events.geojson"),
        root.join("tests/fixtures/timemap_raw/events.json"),
    ];
    if let Ok(dir) = std::fs::read_dir(root.join("../shared/realdata")) {
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
        .collect()
}

/// Damage `b` in one to five places.
fn mutate(rng: &mut fastrand::Rng, b: &mut Vec<u8>) {
    const ODD: [&[u8]; 13] = [
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
        match rng.u8(0..9) {
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

/// A seed of its own for each file, so a failure reproduces whichever other files exist.
fn seed_for(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

#[test]
fn damaged_files_load_or_fail_cleanly_and_lose_nothing() {
    let seeds = seeds();
    let mut tried = 0;
    for (name, base) in &seeds {
        let mut rng = fastrand::Rng::with_seed(seed_for(name));
        let mut loaded = 0;
        for k in 0..200 {
            let mut b = base.clone();
            mutate(&mut rng, &mut b);
            let result = std::panic::catch_unwind(|| strikemap::import::load_bytes(name, &b));
            let Ok(result) = result else {
                let out = std::env::temp_dir().join(format!("strikemap-panic-{k}-{name}"));
                std::fs::write(&out, &b).unwrap();
                panic!("{name}, damage {k}: the importer panicked (input kept in {out:?})");
            };
            if let Ok(r) = result {
                assert_eq!(
                    r.records,
                    r.events.len() + r.rejected.len(),
                    "{name}, damage {k}: records lost"
                );
                loaded += 1;
            }
            tried += 1;
        }
        // Most damage leaves a file readable; otherwise the count check above tested nothing.
        // Damage leaves many copies readable; otherwise the check above tested nothing.
        assert!(
            loaded >= 20,
            "{name}: only {loaded} of 200 damaged copies loaded"
        );
    }
    assert!(tried >= 400, "only {tried} damaged files tried");
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
