//! Synthetic event files for benchmarks: `strikemap generate --rows N --format acled|geojson`.
//!
//! The events look like the real thing where it matters for loading and drawing speed:
//! places come from the embedded gazetteer ([`BasemapData`](crate::geo::BasemapData)),
//! restricted to Ukraine and weighted by population and, much more, by closeness to the front
//! line and the Russian border; dates run from 24 Feb 2022 to 31 Dec 2025 with waves of a few
//! days and single days of many times the average volume; ACLED rows have the 2023+ export
//! layout with a realistic mix of event types, precisions, fatalities and notes (60–250
//! characters, mentioning weapons and targets the way ACLED's do). Output is deterministic
//! for a seed.
//!
//! The parts: `calendar` (days and events per day), `world` (places and their weights),
//! `vocabulary` (the word tables), `rows` (one event's draws), `notes` (its prose) and
//! `writers` (CSV and GeoJSON output).

mod calendar;
mod notes;
mod rows;
mod vocabulary;
mod world;
mod writers;

use std::io::{self, Write};

pub use calendar::{FIRST_DAY, LAST_DAY};
pub use writers::ACLED_HEADER;

use calendar::{Days, day_counts};
use rows::{Bufs, Generator};
use world::World;
use writers::{Counting, write_acled_file, write_geojson_file};

/// Output format of [`generate`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GenFormat {
    /// ACLED CSV, 2023+ export layout (31 columns).
    Acled,
    /// A GeoJSON FeatureCollection in strikemap's own schema (see README).
    Geojson,
}

/// What to generate.
#[derive(Clone, Debug)]
pub struct GenOptions {
    /// Number of events.
    pub rows: usize,
    /// Output format.
    pub format: GenFormat,
    /// PRNG seed: the same seed (and row count) gives the same bytes.
    pub seed: u64,
}

impl Default for GenOptions {
    fn default() -> Self {
        Self {
            rows: 1000,
            format: GenFormat::Acled,
            seed: 1,
        }
    }
}

/// What [`generate`] wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GenStats {
    /// Events written.
    pub rows: usize,
    /// Bytes written (header included).
    pub bytes: u64,
}

/// Write `opts.rows` synthetic events to `out` (buffered internally; flushed at the end).
pub fn generate(opts: &GenOptions, out: &mut dyn Write) -> io::Result<GenStats> {
    let world = World::embedded()?;
    let days = Days::new();
    let mut rng = fastrand::Rng::with_seed(opts.seed);
    let counts = day_counts(opts.rows, &mut rng);
    let mut generator = Generator {
        world: &world,
        days: &days,
        rng,
        bufs: Bufs::default(),
    };
    let mut counting = Counting {
        inner: out,
        bytes: 0,
    };
    // Newest first, as ACLED exports; ids grow with time.
    let newest_first = counts
        .iter()
        .enumerate()
        .rev()
        .flat_map(|(d, &c)| std::iter::repeat_n(FIRST_DAY + d as i64, c));
    let first_id = 100_000u64;
    let ids = (0..opts.rows as u64).rev().map(|i| first_id + i);
    let events = ids.zip(newest_first);
    match opts.format {
        GenFormat::Acled => write_acled_file(&mut counting, &mut generator, events)?,
        GenFormat::Geojson => write_geojson_file(&mut counting, &mut generator, events)?,
    }
    Ok(GenStats {
        rows: opts.rows,
        bytes: counting.bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{Format, load_bytes};

    fn gen_bytes(rows: usize, format: GenFormat, seed: u64) -> Vec<u8> {
        let mut out = Vec::new();
        let stats = generate(&GenOptions { rows, format, seed }, &mut out).unwrap();
        assert_eq!(stats.rows, rows);
        assert_eq!(stats.bytes, out.len() as u64);
        out
    }

    #[test]
    fn acled_rows_load_completely_and_look_real() {
        let n = 2000;
        let bytes = gen_bytes(n, GenFormat::Acled, 7);
        let r = load_bytes("gen.csv", &bytes).unwrap();
        assert_eq!(r.format, Format::Acled);
        assert_eq!(r.records, n);
        assert!(
            r.rejected.is_empty(),
            "{:?}",
            &r.rejected[..3.min(r.rejected.len())]
        );
        assert_eq!(r.events.len(), n);

        let first = FIRST_DAY * 86_400;
        let last = (LAST_DAY + 1) * 86_400;
        for e in &r.events {
            let day = e.stated_date.unwrap_or(e.time.start);
            assert!((first..last).contains(&day), "{} out of range", e.id);
            let notes = e.description.as_deref().unwrap_or("");
            let len = notes.chars().count();
            assert!((60..=250).contains(&len), "{len}: {notes}");
            assert!((44.0..52.6).contains(&e.location.lat));
            assert!((22.0..40.6).contains(&e.location.lon));
        }
        let body = bytes.len() - bytes.iter().position(|&b| b == b'\n').unwrap() - 1;
        let avg = body as f64 / n as f64;
        assert!((400.0..=560.0).contains(&avg), "average row {avg:.1} bytes");

        // The mix: mostly remote violence, some battles, fatalities mostly 0.
        let text = String::from_utf8(bytes).unwrap();
        let battles = text.matches(",Battles,Armed clash,").count();
        assert!((n / 50..n / 4).contains(&battles), "{battles} battles");
        let killed = r.events.iter().filter(|e| e.killed > Some(0)).count();
        assert!(
            (n / 20..n / 3).contains(&killed),
            "{killed} with fatalities"
        );
        assert!(text.contains("Shahed drones") && text.contains("guided aerial bombs"));
        // Weighted towards the front: Donetsk and Kharkiv oblasts lead.
        let donetsk = r
            .events
            .iter()
            .filter(|e| e.location.admin1.as_deref() == Some("Donetsk"))
            .count();
        let lviv = r
            .events
            .iter()
            .filter(|e| e.location.admin1.as_deref() == Some("Lviv"))
            .count();
        assert!(donetsk > n / 8 && lviv < donetsk / 5, "{donetsk} vs {lviv}");
    }

    #[test]
    fn geojson_loads_completely() {
        let n = 500;
        let bytes = gen_bytes(n, GenFormat::Geojson, 7);
        let r = load_bytes("gen.geojson", &bytes).unwrap();
        assert_eq!(r.format, Format::Geojson);
        assert_eq!(r.records, n);
        assert!(r.rejected.is_empty(), "{:?}", r.rejected.first());
        assert_eq!(r.events.len(), n);
        assert!(r.events.iter().all(|e| e.location.admin1.is_some()));
        assert!(r.events.iter().any(|e| !e.weapons.is_empty()));
        assert!(r.events.iter().any(|e| e.target.is_some()));
    }

    #[test]
    fn same_seed_same_bytes() {
        for format in [GenFormat::Acled, GenFormat::Geojson] {
            let a = gen_bytes(300, format, 42);
            assert_eq!(a, gen_bytes(300, format, 42));
            assert_ne!(a, gen_bytes(300, format, 43));
        }
    }

    #[test]
    fn zero_rows_is_just_the_header() {
        let bytes = gen_bytes(0, GenFormat::Acled, 1);
        assert_eq!(bytes, format!("{}\n", ACLED_HEADER.join(",")).into_bytes());
    }
}
