//! Command line: `strikemap [FILE...]` opens the viewer, `strikemap check [--json] FILE...`
//! reports how each file loads, exactly as the app loads it.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};
use serde::Serialize;

use crate::generate::{GenFormat, GenOptions};
use crate::import::{self, LoadReport};
use crate::model::fmt_date;

/// Fast map viewer for geocoded strike and conflict events.
#[derive(Debug, Parser)]
#[command(
    name = "strikemap",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// A subcommand; without one, the viewer opens.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Event files to open (GeoJSON, CSV). Without files, the bundled sample dataset opens.
    pub files: Vec<PathBuf>,
    /// Don't fetch map tiles from the network (built-in basemap only).
    #[arg(long)]
    pub no_tiles: bool,
    /// Open the map at LAT,LON,ZOOM instead of fitting the data, e.g. 50.45,30.52,11.
    #[arg(long, value_parser = parse_view, allow_hyphen_values = true)]
    pub view: Option<(f64, f64, f64)>,
    /// Draw the built-in map from this basemap file (as `strikemap build-basemap` writes)
    /// instead of the embedded one, e.g. one rebuilt from modified source data.
    #[arg(long, value_name = "FILE")]
    pub basemap: Option<PathBuf>,
}

/// Parse "lat,lon,zoom".
pub fn parse_view(s: &str) -> Result<(f64, f64, f64), String> {
    let parts: Vec<f64> = s
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("\"{s}\" is not LAT,LON,ZOOM"))?;
    match parts.as_slice() {
        [lat, lon, zoom]
            if (-90.0..=90.0).contains(lat)
                && (-180.0..=180.0).contains(lon)
                && (0.0..=19.0).contains(zoom) =>
        {
            Ok((*lat, *lon, *zoom))
        }
        _ => Err(format!("\"{s}\" is not LAT,LON,ZOOM within range")),
    }
}

/// The filter options of `export` (all optional; each narrows the set).
#[derive(Debug, Default, clap::Args)]
pub struct FilterArgs {
    /// Only these weapons (drone, cruise, ballistic, kab or "guided bomb", artillery, other,
    /// unknown; the schema's keywords and names like Shahed or Iskander work too; repeat or
    /// separate with commas).
    #[arg(long, value_delimiter = ',')]
    pub weapon: Vec<String>,
    /// Only these targets (residential, energy, healthcare, …; repeat or comma-separate).
    #[arg(long, value_delimiter = ',')]
    pub target: Vec<String>,
    /// First-level region, with or without "Oblast"/"Region" ("Kharkiv Oblast", "Kharkiv").
    #[arg(long)]
    pub region: Option<String>,
    /// Country by any name or code ("Ukraine", "UA", "UKR", "Україна").
    #[arg(long)]
    pub country: Option<String>,
    /// From this day on (YYYY-MM-DD, inclusive, UTC).
    #[arg(long)]
    pub from: Option<String>,
    /// Up to and including this day (YYYY-MM-DD, UTC).
    #[arg(long)]
    pub to: Option<String>,
    /// Words that must all appear in title, description, place or notes (case- and
    /// accent-insensitive).
    #[arg(long)]
    pub text: Option<String>,
    /// At least this many reported killed (events without a reported toll are left out).
    #[arg(long)]
    pub min_killed: Option<u32>,
}

impl FilterArgs {
    /// The filter these options describe, or what is wrong with them.
    pub fn filter(&self) -> Result<crate::filter::EventFilter, crate::filter::FilterError> {
        use crate::filter::{EventFilter, FilterError};
        use crate::model::{Target, Weapon};
        let weapons = self
            .weapon
            .iter()
            .map(|w| match Weapon::parse(w) {
                Weapon::Unknown if !matches!(w.trim(), "unknown" | "Unknown") => {
                    Err(FilterError(format!("unknown weapon \"{w}\"")))
                }
                Weapon::Other if !w.trim().eq_ignore_ascii_case("other") => {
                    Err(FilterError(format!("unknown weapon \"{w}\"")))
                }
                k => Ok(k),
            })
            .collect::<Result<_, _>>()?;
        let targets = self
            .target
            .iter()
            .map(|t| Target::parse(t).ok_or_else(|| FilterError(format!("unknown target \"{t}\""))))
            .collect::<Result<_, _>>()?;
        let f = EventFilter {
            weapons,
            targets,
            regions: self.region.iter().cloned().collect(),
            countries: self.country.iter().cloned().collect(),
            min_killed: self.min_killed,
            ..Default::default()
        }
        .with_days(self.from.as_deref(), self.to.as_deref())?;
        Ok(match &self.text {
            Some(t) => f.with_text(t),
            None => f,
        })
    }
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load files as the app does and report records read, loaded and rejected per file.
    Check {
        /// One JSON object per file per line.
        #[arg(long)]
        json: bool,
        /// For a workbook: read this sheet instead of the one that looks most like events.
        #[arg(long)]
        sheet: Option<String>,
        /// Files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Write the events of files as loaded, in the strikemap schema: GeoJSON (as the bundled
    /// data) or CSV with the same fields. Any format strikemap reads in, one schema out.
    Export {
        /// Output format (default: by the output's extension, .csv → CSV, else GeoJSON).
        #[arg(long, value_enum)]
        format: Option<crate::export::ExportFormat>,
        /// Output file.
        #[arg(short = 'o', long = "out")]
        out: PathBuf,
        /// For a workbook: read this sheet instead of the one that looks most like events.
        #[arg(long)]
        sheet: Option<String>,
        /// Which events to write.
        #[command(flatten)]
        filter: FilterArgs,
        /// Files to export.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Draft events from a news report (a text file, or - for standard input): places,
    /// dates, weapons, targets, casualties, each with the sentences it came from. Offline.
    Draft {
        /// Print a GeoJSON FeatureCollection in the strikemap schema (with `evidence` and
        /// `confidence`) instead of a table.
        #[arg(long)]
        json: bool,
        /// The report's publication date (YYYY-MM-DD); else it is looked for in the text
        /// (a dateline, "date 2026-02-07"), and without one the dates are wide ranges.
        #[arg(long)]
        published: Option<String>,
        /// The report, or - for standard input.
        file: PathBuf,
    },
    /// Write a synthetic event file for benchmarks (realistic places, dates, notes).
    Generate {
        /// Number of events.
        #[arg(long)]
        rows: usize,
        /// Output format.
        #[arg(long, value_enum, default_value = "acled")]
        format: GenFormat,
        /// PRNG seed; the same seed gives the same file.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output file.
        out: PathBuf,
    },
    /// Measure load time and memory (against polars when installed), whole-frame CPU time at
    /// zoom 5, 8 and 12 with windows of 1 day, 30 days and everything, and pick time; print
    /// the tables of the README's Performance section.
    Bench {
        /// Rows of the generated ACLED file (kept in the temp folder for the next run).
        #[arg(long, default_value_t = 1_000_000)]
        rows: usize,
        /// Benchmark this ACLED file instead of a generated one.
        #[arg(long)]
        file: Option<PathBuf>,
        /// Load runs, strikemap and polars taking turns (medians are reported).
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Frames per table cell (the median is reported).
        #[arg(long, default_value_t = 30)]
        frames: usize,
        /// Only the frame and pick table (skip the load measurement).
        #[arg(long)]
        frames_only: bool,
    },
    /// Load one file as the app does and print time and peak memory as JSON (used by bench).
    #[command(hide = true)]
    BenchLoad {
        /// The file.
        file: PathBuf,
    },
    /// Derive assets/basemap/basemap.bin.gz from the world and regional geodata (for developers).
    #[command(hide = true)]
    BuildBasemap {
        /// Folder with countries.geojson, admin1_simpl.geojson, places.tsv, ...
        #[arg(long, default_value = "../shared/geodata")]
        geodata: PathBuf,
        /// Output file.
        #[arg(long, default_value = "assets/basemap/basemap.bin.gz")]
        out: PathBuf,
    },
    /// Derive assets/gazetteer/world.bin.gz (the world geocoder's data) from the world
    /// geodata extract (for developers).
    #[command(hide = true)]
    BuildGazetteer {
        /// Folder with places.tsv, admin1.geojson and countries.geojson.
        #[arg(long, default_value = "../shared/geodata/world")]
        geodata: PathBuf,
        /// Output file.
        #[arg(long, default_value = "assets/gazetteer/world.bin.gz")]
        out: PathBuf,
    },
}

/// One line of `check --json`.
#[derive(Debug, Serialize)]
pub struct CheckLine {
    /// The file as given.
    pub file: String,
    /// Detected format, or null when the file could not be read.
    pub format: Option<import::Format>,
    /// Records read.
    pub records: usize,
    /// Events loaded.
    pub loaded: usize,
    /// Rejected records by reason.
    pub rejected: std::collections::BTreeMap<&'static str, usize>,
    /// First event date (ISO 8601), or null.
    pub first_date: Option<String>,
    /// Last event date (ISO 8601), or null.
    pub last_date: Option<String>,
    /// Why the file could not be read at all, if it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl CheckLine {
    /// Summarise a load report.
    pub fn from_report(file: String, r: &LoadReport) -> Self {
        Self {
            file,
            format: Some(r.format),
            records: r.records,
            loaded: r.loaded(),
            rejected: r
                .rejected_by_reason()
                .into_iter()
                .map(|(k, v)| (k.key(), v))
                .collect(),
            first_date: r.first_time().map(fmt_date),
            last_date: r.last_time().map(fmt_date),
            error: None,
        }
    }
}

/// Run `check` and return the process exit code: 0 when every file could be read, 1 otherwise.
pub fn run_check(files: &[PathBuf], json: bool, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    run_check_with(files, json, &import::LoadOptions::default(), out, err)
}

/// [`run_check`] with reading options (a workbook's sheet).
pub fn run_check_with(
    files: &[PathBuf],
    json: bool,
    opts: &import::LoadOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let mut code = 0;
    for path in files {
        let name = path.display().to_string();
        match import::load_path_opts(path, &import::Progress::default(), opts) {
            Ok(report) => {
                let line = CheckLine::from_report(name, &report);
                let written = if json {
                    serde_json::to_string(&line)
                        .map_err(std::io::Error::other)
                        .and_then(|s| writeln!(out, "{s}"))
                } else {
                    write_text(out, &line, &report)
                };
                if written.is_err() {
                    return 1;
                }
            }
            Err(e) => {
                code = 1;
                // No raw bytes from the file reach the terminal (escapes could retitle it).
                let _ = writeln!(
                    err,
                    "strikemap check: {}",
                    import::quote_input(&e.to_string(), 400)
                );
                if json {
                    let line = CheckLine {
                        file: name,
                        format: None,
                        records: 0,
                        loaded: 0,
                        rejected: Default::default(),
                        first_date: None,
                        last_date: None,
                        error: Some(e.to_string()),
                    };
                    if let Ok(s) = serde_json::to_string(&line) {
                        let _ = writeln!(out, "{s}");
                    }
                }
            }
        }
    }
    code
}

/// Run `export`: load every file as the app does and write all their events to `out_path`
/// in the strikemap schema (GeoJSON, or CSV). Returns the exit code as `check`'s: 0 when
/// every file could be read, 1 otherwise (the events of the files that could are written).
/// The output appears whole or not at all: it is written beside the target and renamed.
pub fn run_export(
    files: &[PathBuf],
    format: Option<crate::export::ExportFormat>,
    out_path: &Path,
    opts: &import::LoadOptions,
    filter: &crate::filter::EventFilter,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    use crate::export::ExportFormat;
    let mut code = 0;
    let mut loaded: Vec<crate::store::DatasetData> = Vec::new();
    for path in files {
        let name = path.display().to_string();
        match import::load_path_opts(path, &import::Progress::default(), opts) {
            Ok(r) => {
                let line = CheckLine::from_report(name.clone(), &r);
                let _ = writeln!(
                    err,
                    "{name}: {} loaded, {} rejected ({} records)",
                    line.loaded,
                    r.rejected.len(),
                    r.records
                );
                // A large file's events are read back from it as they are written.
                loaded.push(r.into_dataset(crate::model::DatasetId::File(path.clone())));
            }
            Err(e) => {
                code = 1;
                let _ = writeln!(
                    err,
                    "strikemap export: {}",
                    import::quote_input(&e.to_string(), 400)
                );
            }
        }
    }
    let format = format.unwrap_or_else(|| ExportFormat::for_path(out_path));
    let datasets: Vec<&crate::store::DatasetData> = loaded.iter().collect();
    let progress = import::Progress::default();
    match crate::export::export_filtered(&datasets, out_path, format, &progress, filter) {
        Ok(n) => {
            let _ = writeln!(out, "wrote {n} events to {}", out_path.display());
            code
        }
        Err(e) => {
            let _ = writeln!(err, "strikemap export: {e}");
            1
        }
    }
}

/// Run `generate`: write the file and report rows, size and time on `out`.
pub fn run_generate(opts: &GenOptions, path: &Path, out: &mut dyn Write) -> std::io::Result<()> {
    let started = std::time::Instant::now();
    let file = std::fs::File::create(path).map_err(|e| {
        std::io::Error::new(e.kind(), format!("cannot create {}: {e}", path.display()))
    })?;
    let mut file = file;
    let stats = crate::generate::generate(opts, &mut file)?;
    file.sync_all()?;
    writeln!(
        out,
        "wrote {} rows ({:.1} MB) to {} in {:.1} s",
        stats.rows,
        stats.bytes as f64 / 1e6,
        path.display(),
        started.elapsed().as_secs_f64()
    )
}

fn write_text(out: &mut dyn Write, line: &CheckLine, report: &LoadReport) -> std::io::Result<()> {
    writeln!(out, "{}", import::quote_input(&line.file, 400))?;
    writeln!(
        out,
        "  format:   {}",
        line.format.map_or("unknown", import::Format::label)
    )?;
    writeln!(out, "  records:  {}", line.records)?;
    writeln!(out, "  loaded:   {}", line.loaded)?;
    let rejected: usize = line.rejected.values().sum();
    writeln!(out, "  rejected: {rejected}")?;
    for (reason, n) in report.rejected_by_reason() {
        writeln!(out, "    {:<20} {n}", reason.label())?;
        for r in report
            .rejected
            .iter()
            .filter(|r| r.reason == reason)
            .take(3)
        {
            writeln!(
                out,
                "      {}: {}",
                r.record,
                import::quote_input(&r.detail, 200)
            )?;
        }
    }
    for n in &report.notes {
        writeln!(out, "  note:     {n}")?;
    }
    writeln!(
        out,
        "  dates:    {} … {}",
        line.first_date.as_deref().unwrap_or("none"),
        line.last_date.as_deref().unwrap_or("none")
    )?;
    Ok(())
}

/// Run `draft`: read the report, draft its events, print them (a table, or GeoJSON with
/// `json`). Exit code 0, or 1 when the report cannot be read, 2 for a bad date.
pub fn run_draft(
    file: &Path,
    published: Option<&str>,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let published = match published.map(|p| p.trim().parse::<jiff::civil::Date>()) {
        None => None,
        Some(Ok(d)) => Some(d),
        Some(Err(e)) => {
            let _ = writeln!(err, "strikemap draft: --published wants YYYY-MM-DD: {e}");
            return 2;
        }
    };
    let text = if file.as_os_str() == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s).map(|_| s)
    } else {
        std::fs::read(file).map(|b| String::from_utf8_lossy(&b).into_owned())
    };
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            let _ = writeln!(err, "strikemap draft: {}: {e}", file.display());
            return 1;
        }
    };
    let opts = crate::draft::DraftOptions {
        published,
        today: jiff::Zoned::now().date(),
    };
    let drafted = match crate::draft::draft(&text, &opts) {
        Ok(d) => d,
        Err(e) => {
            let _ = writeln!(err, "strikemap draft: {e}");
            return 1;
        }
    };
    let written = if json {
        serde_json::to_writer_pretty(&mut *out, &drafts_geojson(&drafted))
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(out))
    } else {
        write_drafts_table(&drafted, out)
    };
    i32::from(written.is_err())
}

/// Drafts as a strikemap GeoJSON FeatureCollection: the schema's properties, and for each
/// its `evidence` (sentences with character ranges), `confidence` and `attack_level`.
pub fn drafts_geojson(d: &crate::draft::Drafted) -> serde_json::Value {
    let features: Vec<serde_json::Value> = d
        .drafts
        .iter()
        .map(|x| {
            let mut p = crate::export::event_properties(&x.event);
            let evidence: Vec<serde_json::Value> = x
                .evidence
                .iter()
                .map(|v| serde_json::json!({"text": v.text, "start": v.chars.start, "end": v.chars.end}))
                .collect();
            p.insert("evidence".into(), serde_json::Value::Array(evidence));
            p.insert("confidence".into(), serde_json::json!((f64::from(x.confidence) * 100.0).round() / 100.0));
            // The schema leaves out the end of a one-day event; drafts state both ends.
            if !p.contains_key("time_end")
                && let Some(start) = p.get("time_start").cloned()
            {
                p.insert("time_end".into(), start);
            }
            p.insert("attack_level".into(), serde_json::json!(x.attack_level));
            serde_json::json!({
                "type": "Feature",
                "id": x.event.id,
                "geometry": {"type": "Point", "coordinates": [x.event.location.lon, x.event.location.lat]},
                "properties": p,
            })
        })
        .collect();
    let published = d
        .published
        .as_ref()
        .map(|p| serde_json::json!({"date": p.date.to_string(), "how": p.how}));
    serde_json::json!({"type": "FeatureCollection", "published": published, "features": features})
}

/// Drafts as a readable table, one block per draft.
fn write_drafts_table(d: &crate::draft::Drafted, out: &mut dyn Write) -> std::io::Result<()> {
    match &d.published {
        Some(p) => writeln!(out, "published {} ({})", p.date, p.how)?,
        None => writeln!(
            out,
            "publication date unknown: dates are wide ranges (give --published)"
        )?,
    }
    writeln!(out, "{} draft event(s)", d.drafts.len())?;
    let n = |v: Option<u32>| v.map_or_else(|| "?".to_owned(), |v| v.to_string());
    for x in &d.drafts {
        let e = &x.event;
        let place = [
            e.location.place.as_deref(),
            e.location.admin1.as_deref(),
            e.location.country.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
        writeln!(out)?;
        writeln!(
            out,
            "{}  {}  (confidence {:.2})",
            e.id,
            e.title.as_deref().unwrap_or(""),
            x.confidence
        )?;
        writeln!(out, "  where   {place} [{}]", e.location.precision.label())?;
        writeln!(out, "  when    {}", e.time.display())?;
        if x.attack_level {
            writeln!(
                out,
                "  attack  launched {} · intercepted {}",
                n(e.launched),
                n(e.intercepted)
            )?;
        } else {
            writeln!(
                out,
                "  harm    killed {} (children {}) · injured {} (children {})",
                n(e.killed),
                n(e.children_killed),
                n(e.injured),
                n(e.children_injured)
            )?;
        }
        let weapons: Vec<&str> = e.weapons.iter().map(|w| w.label()).collect();
        writeln!(
            out,
            "  weapon  {}{}  · target {}",
            if weapons.is_empty() {
                "not stated".to_owned()
            } else {
                weapons.join(", ")
            },
            e.weapon_detail
                .as_deref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default(),
            e.target.map_or("not stated", |t| t.label())
        )?;
        for v in &x.evidence {
            writeln!(out, "  «{}» [{}..{}]", v.text, v.chars.start, v.chars.end)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `export --weapon drone --from … --to …` writes exactly the events a brute-force pass
    /// over the loaded file keeps (ids compared), and a bad option is an error.
    #[test]
    fn export_writes_exactly_the_filtered_events() {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/events.geojson");
        let all = import::load_path(&data).unwrap().events;
        let args = FilterArgs {
            weapon: vec!["Shahed".to_owned()],
            from: Some("2025-07-01".to_owned()),
            to: Some("2026-02-11".to_owned()),
            ..Default::default()
        };
        let filter = args.filter().unwrap();
        let mut want: Vec<String> = all
            .iter()
            .filter(|e| e.weapons.contains(&crate::model::Weapon::Drone))
            .filter(|e| e.time.end > filter.from.unwrap() && e.time.start < filter.to.unwrap())
            .map(|e| e.id.clone())
            .collect();
        assert!(
            !want.is_empty() && want.len() < all.len(),
            "{} of {}",
            want.len(),
            all.len()
        );
        let dir = tempfile::tempdir().unwrap();
        let out_path = dir.path().join("drones.geojson");
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run_export(
            &[data],
            None,
            &out_path,
            &import::LoadOptions::default(),
            &filter,
            &mut out,
            &mut err,
        );
        assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
        let mut got: Vec<String> = import::load_path(&out_path)
            .unwrap()
            .events
            .into_iter()
            .map(|e| e.id)
            .collect();
        want.sort();
        got.sort();
        assert_eq!(got, want);
        let bad = FilterArgs {
            weapon: vec!["trebuchet".to_owned()],
            ..Default::default()
        };
        assert!(bad.filter().is_err());
    }

    #[test]
    fn json_lines_add_up_and_unreadable_files_exit_1() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("a.csv");
        std::fs::write(&good, "lat,lon,date\n50,30,2025-01-01\n,30,2025-01-02\n").unwrap();
        let missing = dir.path().join("missing.csv");
        let mut out = Vec::new();
        let mut err = Vec::new();
        let code = run_check(&[good, missing], true, &mut out, &mut err);
        assert_eq!(code, 1);
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["records"], 2);
        assert_eq!(lines[0]["loaded"], 1);
        assert_eq!(lines[0]["rejected"]["missing_location"], 1);
        assert_eq!(lines[0]["first_date"], "2025-01-01");
        assert_eq!(lines[0]["last_date"], "2025-01-01");
        assert_eq!(lines[1]["format"], serde_json::Value::Null);
        assert!(String::from_utf8(err).unwrap().contains("missing.csv"));
    }

    #[test]
    fn usage_errors_are_clap_errors() {
        assert!(Cli::try_parse_from(["strikemap", "check"]).is_err());
        let cli = Cli::try_parse_from(["strikemap", "a.geojson", "b.csv"]).unwrap();
        assert_eq!(cli.files.len(), 2);
        assert!(cli.command.is_none());
        let v = Cli::try_parse_from(["strikemap", "--view", "50.45,30.52,11"]).unwrap();
        assert_eq!(v.view, Some((50.45, 30.52, 11.0)));
        assert!(Cli::try_parse_from(["strikemap", "--view", "95,30,11"]).is_err());
        let g = Cli::try_parse_from([
            "strikemap",
            "generate",
            "--rows",
            "10",
            "--format",
            "geojson",
            "out.geojson",
        ])
        .unwrap();
        assert!(matches!(
            g.command,
            Some(Command::Generate {
                rows: 10,
                format: GenFormat::Geojson,
                seed: 1,
                ..
            })
        ));
        assert!(
            Cli::try_parse_from([
                "strikemap",
                "generate",
                "--rows",
                "10",
                "--format",
                "xml",
                "o"
            ])
            .is_err()
        );
    }
}
