//! `strikemap bench`: the scale numbers of the README's Performance section, measured the way
//! a user meets them.
//!
//! - **Load**: a child process (`strikemap bench-load FILE`) reads the file exactly as the app
//!   does (parse, validate, build the store and its indexes) and reports its wall time and its
//!   peak resident memory (`VmHWM`), so nothing else of the bench process is counted. The same
//!   file is read by polars (`benches/polars_baseline.py`) when python3 has it.
//! - **Frame**: the real app (`StrikemapApp::frame_ui`) in a headless egui context of 1280×800
//!   points: layout, map layers and tessellation, on the CPU. Each measured frame either moves
//!   the time window one step (as playing does) or pans the map by a few points, so the layer
//!   is recomputed every frame: the cost of a frame while something changes, not of an idle one.
//! - **Pick**: the nearest event of the window under a pointer, through the spatial grid.

use crate::state::map::MapCommand;
use crate::timeline::TimelineCommand;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::app::{AppConfig, StrikemapApp};
use crate::generate::{GenFormat, GenOptions};
use crate::model::mercator;
use crate::state::{AppState, Command};
use crate::timeline::WindowLen;

/// What `bench-load` prints (one JSON line).
#[derive(Debug, Serialize, Deserialize)]
pub struct LoadStats {
    /// Records read.
    pub records: usize,
    /// Events in the store.
    pub events: usize,
    /// Wall time of load + store build.
    pub seconds: f64,
    /// Peak resident memory of the process, MB (None where /proc is missing).
    pub peak_rss_mb: Option<f64>,
}

/// Peak resident set size of this process in MB (Linux `VmHWM`).
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Load `path` as the app does and measure it (run in a fresh process by [`run_bench`]).
pub fn bench_load(path: &Path) -> Result<LoadStats, String> {
    let t = Instant::now();
    let r = crate::import::load_path(path).map_err(|e| e.to_string())?;
    let records = r.records;
    let store = crate::store::EventStore::new(vec![std::sync::Arc::new(
        r.into_dataset(crate::model::DatasetId::File(path.to_path_buf())),
    )]);
    let seconds = t.elapsed().as_secs_f64();
    Ok(LoadStats {
        records,
        events: store.len(),
        seconds,
        peak_rss_mb: peak_rss_mb(),
    })
}

/// polars' numbers for the same file, from `benches/polars_baseline.py`.
#[derive(Debug, Deserialize)]
struct PolarsStats {
    version: String,
    seconds: f64,
    peak_rss_mb: f64,
}

/// Options of `strikemap bench`.
#[derive(Clone, Debug)]
pub struct BenchOptions {
    /// Rows of the generated ACLED file.
    pub rows: usize,
    /// Use this file instead of generating one.
    pub file: Option<PathBuf>,
    /// Load runs (median reported).
    pub runs: usize,
    /// Frames measured per table cell (median reported).
    pub frames: usize,
    /// Skip the load measurement (frames and picks only).
    pub frames_only: bool,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Run the whole benchmark and print the tables.
pub fn run_bench(opts: &BenchOptions, out: &mut dyn Write) -> Result<(), String> {
    let w = |out: &mut dyn Write, s: String| writeln!(out, "{s}").map_err(|e| e.to_string());
    let path = match &opts.file {
        Some(p) => p.clone(),
        None => {
            let p = std::env::temp_dir().join(format!("strikemap-bench-acled-{}.csv", opts.rows));
            if !p.exists() {
                w(
                    out,
                    format!("generating {} ACLED rows into {} …", opts.rows, p.display()),
                )?;
                let tmp = p.with_extension("part");
                let g = GenOptions {
                    rows: opts.rows,
                    format: GenFormat::Acled,
                    seed: 1,
                };
                crate::cli::run_generate(&g, &tmp, &mut std::io::sink())
                    .map_err(|e| e.to_string())?;
                std::fs::rename(&tmp, &p).map_err(|e| e.to_string())?;
            }
            p
        }
    };
    let size_mb = std::fs::metadata(&path).map_err(|e| e.to_string())?.len() as f64 / 1e6;
    w(
        out,
        format!(
            "file: {} ({size_mb:.0} MB); {} logical CPUs",
            path.display(),
            std::thread::available_parallelism().map_or(0, |n| n.get())
        ),
    )?;

    if !opts.frames_only {
        start_up_table(opts, &path, out)?;
        load_table(opts, &path, out)?;
    }
    frame_table(opts, &path, out)
}

/// Start-up: from process start to the first painted frame of the real app (its own
/// measurement, printed when `STRIKEMAP_EXIT_AFTER_FIRST_FRAME` is set), on the bundled data
/// and with the large file given on the command line (which loads behind the window). Needs
/// a display (an X server or Wayland compositor; `xvfb-run` will do).
fn start_up_table(opts: &BenchOptions, path: &Path, out: &mut dyn Write) -> Result<(), String> {
    let w = |out: &mut dyn Write, s: String| writeln!(out, "{s}").map_err(|e| e.to_string());
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        return w(
            out,
            "start-up: skipped (no display; run under xvfb-run)".to_owned(),
        );
    }
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    w(out, String::new())?;
    w(
        out,
        "| start-up (process start → first painted frame) | median | runs |".to_owned(),
    )?;
    w(out, "|---|---|---|".to_owned())?;
    for (what, file) in [
        ("bundled sample", None),
        ("1M-row file on the command line", Some(path)),
    ] {
        let mut runs = Vec::new();
        for _ in 0..opts.runs.max(1) {
            let mut cmd = std::process::Command::new(&exe);
            cmd.arg("--no-tiles")
                .env("STRIKEMAP_EXIT_AFTER_FIRST_FRAME", "1")
                // Fresh, private state: no remembered files or view.
                .env(
                    "XDG_DATA_HOME",
                    std::env::temp_dir().join("strikemap-bench-state"),
                )
                .env(
                    "XDG_CONFIG_HOME",
                    std::env::temp_dir().join("strikemap-bench-state"),
                );
            if let Some(f) = file {
                cmd.arg(f);
            }
            let o = cmd.output().map_err(|e| e.to_string())?;
            let text = String::from_utf8_lossy(&o.stdout);
            let ms = text
                .lines()
                .find_map(|l| l.strip_prefix("first_frame_ms "))
                .and_then(|v| v.trim().parse::<f64>().ok())
                .ok_or_else(|| {
                    format!(
                        "no start-up time from the app: {text} {}",
                        String::from_utf8_lossy(&o.stderr)
                    )
                })?;
            runs.push(ms);
        }
        let n = runs.len();
        w(out, format!("| {what} | {:.0} ms | {n} |", median(runs)))?;
    }
    Ok(())
}

/// The load table: strikemap in fresh processes, polars when available.
fn load_table(opts: &BenchOptions, path: &Path, out: &mut dyn Write) -> Result<(), String> {
    let w = |out: &mut dyn Write, s: String| writeln!(out, "{s}").map_err(|e| e.to_string());
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let geojson = geojson_file(opts, out)?;
    // strikemap and polars take turns, so a busy spell of this shared machine slows both.
    let mut loads = Vec::new();
    let mut polars_runs = Vec::new();
    let mut polars_error = None;
    for _ in 0..opts.runs.max(1) {
        let o = std::process::Command::new(&exe)
            .arg("bench-load")
            .arg(path)
            .output()
            .map_err(|e| e.to_string())?;
        let text = String::from_utf8_lossy(&o.stdout);
        let s: LoadStats = serde_json::from_str(text.trim()).map_err(|e| {
            format!(
                "bench-load: {e}: {text} {}",
                String::from_utf8_lossy(&o.stderr)
            )
        })?;
        loads.push(s);
        if polars_error.is_none() {
            match run_polars(path) {
                Ok(p) => polars_runs.push(p),
                Err(e) => polars_error = Some(e),
            }
        }
    }
    let ratios: Vec<f64> = loads
        .iter()
        .zip(&polars_runs)
        .map(|(l, p)| l.seconds / p.seconds)
        .collect();
    let polars = match polars_error {
        Some(e) => Err(e),
        None => Ok(PolarsStats {
            version: polars_runs
                .first()
                .map(|p| p.version.clone())
                .unwrap_or_default(),
            seconds: median(polars_runs.iter().map(|p| p.seconds).collect()),
            peak_rss_mb: polars_runs
                .iter()
                .map(|p| p.peak_rss_mb)
                .fold(0.0, f64::max),
        }),
    };
    let load_s = median(loads.iter().map(|l| l.seconds).collect());
    let load_mb = loads
        .iter()
        .filter_map(|l| l.peak_rss_mb)
        .fold(0.0f64, f64::max);
    w(out, String::new())?;
    w(
        out,
        "| load (parse + validate + index) | wall time | peak memory |".into(),
    )?;
    w(out, "|---|---|---|".into())?;
    let events = loads.first().map_or(0, |l| l.events);
    w(
        out,
        format!("| strikemap ({events} events) | {load_s:.2} s | {load_mb:.0} MB |"),
    )?;
    geojson_row(&geojson, opts, &exe, out)?;
    match &polars {
        Ok(p) => {
            w(
                out,
                format!(
                    "| polars {} read_csv + date parsing | {:.2} s | {:.0} MB |",
                    p.version, p.seconds, p.peak_rss_mb
                ),
            )?;
            w(
                out,
                format!(
                    "| strikemap / polars | {:.0} % (each run: {:.0}–{:.0} %) | {:.0} % |",
                    100.0 * load_s / p.seconds,
                    100.0 * ratios.iter().copied().fold(f64::INFINITY, f64::min),
                    100.0 * ratios.iter().copied().fold(0.0, f64::max),
                    100.0 * load_mb / p.peak_rss_mb
                ),
            )?;
        }
        Err(e) => w(out, format!("| polars | not run: {e} | |"))?,
    }
    Ok(())
}

/// The GeoJSON file of the load table: as many features as the ACLED file has rows, in a
/// FeatureCollection of strikemap's schema, generated into the temp folder once.
fn geojson_file(opts: &BenchOptions, out: &mut dyn Write) -> Result<PathBuf, String> {
    let path = std::env::temp_dir().join(format!("strikemap-bench-geojson-{}.geojson", opts.rows));
    if !path.exists() {
        writeln!(
            out,
            "generating {} GeoJSON features into {} …",
            opts.rows,
            path.display()
        )
        .map_err(|e| e.to_string())?;
        let tmp = path.with_extension("part");
        let g = GenOptions {
            rows: opts.rows,
            format: GenFormat::Geojson,
            seed: 1,
        };
        crate::cli::run_generate(&g, &tmp, &mut std::io::sink()).map_err(|e| e.to_string())?;
        std::fs::rename(&tmp, &path).map_err(|e| e.to_string())?;
    }
    Ok(path)
}

/// The GeoJSON row of the load table: the file of [`geojson_file`] loaded in fresh processes
/// as the ACLED file is.
fn geojson_row(
    path: &Path,
    opts: &BenchOptions,
    exe: &Path,
    out: &mut dyn Write,
) -> Result<(), String> {
    let size_mb = std::fs::metadata(path).map_err(|e| e.to_string())?.len() as f64 / 1e6;
    let mut loads = Vec::new();
    for _ in 0..opts.runs.max(1) {
        let o = std::process::Command::new(exe)
            .arg("bench-load")
            .arg(path)
            .output()
            .map_err(|e| e.to_string())?;
        let text = String::from_utf8_lossy(&o.stdout);
        let s: LoadStats = serde_json::from_str(text.trim()).map_err(|e| {
            format!(
                "bench-load: {e}: {text} {}",
                String::from_utf8_lossy(&o.stderr)
            )
        })?;
        loads.push(s);
    }
    let seconds = median(loads.iter().map(|l| l.seconds).collect());
    let mb = loads
        .iter()
        .filter_map(|l| l.peak_rss_mb)
        .fold(0.0f64, f64::max);
    let events = loads.first().map_or(0, |l| l.events);
    writeln!(
        out,
        "| strikemap, GeoJSON FeatureCollection ({events} features, {size_mb:.0} MB) | {seconds:.2} s | {mb:.0} MB |"
    )
    .map_err(|e| e.to_string())
}

/// The frame and pick table, on the real app.
fn frame_table(opts: &BenchOptions, path: &Path, out: &mut dyn Write) -> Result<(), String> {
    let w = |out: &mut dyn Write, s: String| writeln!(out, "{s}").map_err(|e| e.to_string());

    // Frames and picks on the real app.
    let ctx = egui::Context::default();
    crate::present::style::apply(&ctx);
    let config = AppConfig {
        files: vec![path.to_path_buf()],
        // Each measured frame computes its own layer, as before layers moved to a thread:
        // the table is the whole cost of a new view, not only the UI thread's part.
        sync_layers: true,
        ..AppConfig::default()
    };
    let mut app = StrikemapApp::with_state(AppState::default(), config, &ctx);
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        ..Default::default()
    };
    let frame = |app: &mut StrikemapApp| -> Duration {
        let t = Instant::now();
        let mut o = ctx.run_ui(input(), |ui| app.frame_ui(ui));
        let prims = ctx.tessellate(std::mem::take(&mut o.shapes), o.pixels_per_point);
        std::hint::black_box(prims);
        t.elapsed()
    };
    let deadline = Instant::now() + Duration::from_secs(600);
    frame(&mut app); // the first frame starts loading the large file in the background
    while app.loading().next().is_some() && Instant::now() < deadline {
        frame(&mut app);
        std::thread::sleep(Duration::from_millis(20));
    }
    if app.store().is_empty() {
        return Err("the app did not load the file".into());
    }
    // Once a file is loaded the app folds its texts for search in the background (one
    // thread): timed here, and awaited, so the rows below are the steady state.
    let t = Instant::now();
    frame(&mut app);
    for d in app.all_events().all_datasets() {
        _ = d.texts();
    }
    let texts_ready = t.elapsed().as_secs_f64();
    let (t0, t1) = app.store().span().unwrap_or((0, 0));
    // The busiest region of the generated data: the front line near Kharkiv and Donetsk.
    let places = [(48.5, 34.5, 5.0), (49.0, 37.0, 8.0), (49.99, 36.23, 12.0)];
    let windows = [
        (WindowLen::Day, "1 day"),
        (WindowLen::Month, "30 days"),
        (WindowLen::Everything, "everything"),
    ];
    w(out, String::new())?;
    w(
        out,
        "| whole frame, CPU, median | window | events in window | layer | frame while playing | frame while panning | pick |"
            .into(),
    )?;
    w(out, "|---|---|---|---|---|---|---|".into())?;
    for (lat, lon, zoom) in places {
        for (len, name) in windows {
            app.push_command(Command::Timeline(TimelineCommand::SetWindow(len)));
            app.push_command(Command::Timeline(TimelineCommand::SetCursor(
                t0 + (t1 - t0) * 3 / 4,
            )));
            app.push_command(Command::Map(MapCommand::SetView(lat, lon, zoom)));
            for _ in 0..3 {
                frame(&mut app);
            }
            let in_window = app.summary().events;
            let layer = match app.layer().0 {
                Some(crate::layers::Layer::Markers(..)) => "markers",
                Some(crate::layers::Layer::Clusters(_)) => "clusters",
                Some(crate::layers::Layer::Density(_)) => "density",
                None => "none",
            };
            let mut play = Vec::new();
            for k in 0..opts.frames {
                app.push_command(Command::Timeline(TimelineCommand::StepWindow(
                    if k % 2 == 0 { 1 } else { -1 },
                )));
                play.push(frame(&mut app).as_secs_f64() * 1e3);
            }
            let mut pan = Vec::new();
            for k in 0..opts.frames {
                let d = if k % 2 == 0 { 0.002 } else { -0.002 } * 2f64.powf(8.0 - zoom);
                app.push_command(Command::Map(MapCommand::SetView(lat + d, lon + d, zoom)));
                pan.push(frame(&mut app).as_secs_f64() * 1e3);
            }
            let pick = pick_us(&app, lat, lon, zoom);
            w(
                out,
                format!(
                    "| zoom {zoom:.0} | {name} | {in_window} | {layer} | {:.2} ms | {:.2} ms | {:.1} µs |",
                    median(play),
                    median(pan),
                    pick
                ),
            )?;
        }
    }
    workbench_table(opts, &mut app, &mut |a| frame(a), texts_ready, out)
}

/// Filters, table, statistics and export on the loaded file (#14): what a filter change
/// costs until map, histogram and totals show it, the frame with a filter on and the table
/// open, a table scroll, a sort, the statistics, and a filtered export.
fn workbench_table(
    opts: &BenchOptions,
    app: &mut StrikemapApp,
    frame: &mut dyn FnMut(&mut StrikemapApp) -> Duration,
    texts_ready: f64,
    out: &mut dyn Write,
) -> Result<(), String> {
    use crate::filter::EventFilter;
    let (_, t1) = app.all_events().span().unwrap_or((0, 0));
    app.push_command(Command::Timeline(TimelineCommand::SetWindow(
        WindowLen::Everything,
    )));
    app.push_command(Command::Timeline(TimelineCommand::SetCursor(t1)));
    frame(app);
    let drone = EventFilter {
        weapons: vec![crate::model::Weapon::Drone],
        ..Default::default()
    };
    filter_rows(app, frame, &drone, texts_ready, out)?;
    table_frames(opts, app, frame, &drone, out)?;
    set_rows(app, &drone, out)
}

/// A filter change, per kind of filter: the filter itself and until the app shows it.
fn filter_rows(
    app: &mut StrikemapApp,
    frame: &mut dyn FnMut(&mut StrikemapApp) -> Duration,
    drone: &crate::filter::EventFilter,
    texts_ready: f64,
    out: &mut dyn Write,
) -> Result<(), String> {
    use crate::filter::EventFilter;
    use crate::state::filter::FilterCommand;
    let w = |out: &mut dyn Write, s: String| writeln!(out, "{s}").map_err(|e| e.to_string());
    let filters = [
        ("weapon = drone", drone.clone()),
        (
            "region = Kharkiv Oblast, killed ≥ 1",
            EventFilter {
                regions: vec!["Kharkiv Oblast".into()],
                min_killed: Some(1),
                ..Default::default()
            },
        ),
        (
            "target = energy, no country-level",
            EventFilter {
                targets: vec![crate::model::Target::Energy],
                hide_precision: vec![crate::model::LocationPrecision::Country],
                ..Default::default()
            },
        ),
        // The app folds every record's texts once per file, in the background after loading
        // (timed below): the first search finds them ready.
        (
            "text \"power\" (first search)",
            EventFilter::default().with_text("power"),
        ),
        ("text \"power\"", EventFilter::default().with_text("power")),
        (
            "text \"Харків\"",
            EventFilter::default().with_text("Харків"),
        ),
        (
            "text \"drone kharkiv\" + weapon = drone",
            EventFilter {
                weapons: vec![crate::model::Weapon::Drone],
                ..Default::default()
            }
            .with_text("drone kharkiv"),
        ),
    ];
    w(out, String::new())?;
    w(
        out,
        format!(
            "| filter (of {} events) | events kept | filter applied (store, histogram, totals): first time | the same again | until shown (frames included) |",
            app.all_events().len()
        ),
    )?;
    w(out, "|---|---|---|---|---|".into())?;
    for (name, f) in &filters {
        let m = f.compile();
        let t = Instant::now();
        let kept = m.apply(app.all_events()).len();
        let core = t.elapsed().as_secs_f64() * 1e3;
        // Once more: the first time after a load pays for fresh memory (page faults).
        let t = Instant::now();
        std::hint::black_box(m.apply(app.all_events()).len());
        let again = t.elapsed().as_secs_f64() * 1e3;
        app.push_command(Command::Filter(FilterCommand::Clear));
        frame(app);
        let t = Instant::now();
        app.push_command(Command::Filter(FilterCommand::Set(f.clone())));
        frame(app);
        while app.filtering() && t.elapsed() < Duration::from_secs(600) {
            std::thread::sleep(Duration::from_millis(1));
            frame(app);
        }
        frame(app);
        let shown = t.elapsed().as_secs_f64() * 1e3;
        w(
            out,
            format!("| {name} | {kept} | {core:.0} ms | {again:.0} ms | {shown:.0} ms |"),
        )?;
    }
    let held: usize = app
        .all_events()
        .all_datasets()
        .iter()
        .filter_map(|d| d.texts.get())
        .map(crate::store::text::TextIndex::bytes)
        .sum();
    // The same texts folded on all cores: what a search typed before the background
    // preparation is done waits for at most.
    let t = Instant::now();
    if let Some(d) = app.all_events().all_datasets().first() {
        std::hint::black_box(crate::store::text::TextIndex::build(d));
    }
    let all_cores = t.elapsed().as_secs_f64();
    w(out, String::new())?;
    w(
        out,
        format!(
            "texts for search: {:.0} MB, folded in the background once the file is loaded in {texts_ready:.1} s (one thread); on all cores {all_cores:.1} s, the longest a search typed sooner waits",
            held as f64 / 1e6
        ),
    )?;
    Ok(())
}

/// Frames with the drone filter on and the table open: panning, and the table scrolling to
/// a selection.
fn table_frames(
    opts: &BenchOptions,
    app: &mut StrikemapApp,
    frame: &mut dyn FnMut(&mut StrikemapApp) -> Duration,
    drone: &crate::filter::EventFilter,
    out: &mut dyn Write,
) -> Result<(), String> {
    use crate::state::filter::FilterCommand;
    use crate::state::view::{Panel, ViewCommand};
    let w = |out: &mut dyn Write, s: String| writeln!(out, "{s}").map_err(|e| e.to_string());
    let (t0, t1) = app.all_events().span().unwrap_or((0, 0));
    app.push_command(Command::Filter(FilterCommand::Set(drone.clone())));
    app.push_command(Command::View(ViewCommand::ShowPanel(Panel::Table, true)));
    frame(app);
    while app.filtering() {
        std::thread::sleep(Duration::from_millis(1));
        frame(app);
    }
    app.push_command(Command::Timeline(TimelineCommand::SetWindow(
        WindowLen::Month,
    )));
    app.push_command(Command::Timeline(TimelineCommand::SetCursor(
        t0 + (t1 - t0) * 3 / 4,
    )));
    w(out, String::new())?;
    w(
        out,
        "| drone filter + table open, CPU median | events in window | frame while panning | table scroll frame |".into(),
    )?;
    w(out, "|---|---|---|---|".into())?;
    for (lat, lon, zoom) in [(48.5, 34.5, 5.0), (49.0, 37.0, 8.0), (49.99, 36.23, 12.0)] {
        app.push_command(Command::Map(MapCommand::SetView(lat, lon, zoom)));
        for _ in 0..3 {
            frame(app);
        }
        let n = app.summary().events;
        let mut pan = Vec::new();
        for k in 0..opts.frames {
            let d = if k % 2 == 0 { 0.002 } else { -0.002 } * 2f64.powf(8.0 - zoom);
            app.push_command(Command::Map(MapCommand::SetView(lat + d, lon + d, zoom)));
            pan.push(frame(app).as_secs_f64() * 1e3);
        }
        // A scroll: the selection jumps across the table, which scrolls to its row.
        let ids = app.visible();
        let mut scroll = Vec::new();
        for k in 0..opts.frames {
            let i = ids.get(k * 7919 % ids.len().max(1)).copied();
            app.push_command(Command::Select(
                crate::state::selection::SelectCommand::Select(i),
            ));
            scroll.push(frame(app).as_secs_f64() * 1e3);
        }
        w(
            out,
            format!(
                "| zoom {zoom:.0} | {n} | {:.2} ms | {:.2} ms |",
                median(pan),
                median(scroll)
            ),
        )?;
    }
    Ok(())
}

/// Sorting, statistics and export over everything the filter keeps.
fn set_rows(
    app: &StrikemapApp,
    drone: &crate::filter::EventFilter,
    out: &mut dyn Write,
) -> Result<(), String> {
    let w = |out: &mut dyn Write, s: String| writeln!(out, "{s}").map_err(|e| e.to_string());
    let store = std::sync::Arc::clone(app.store());
    let (a, b) = store.span().unwrap_or((0, 0));
    let win = store.window(a, b + 1);
    let t = Instant::now();
    let sorted =
        crate::state::table::sorted(&store, &win, crate::state::table::Column::Killed, false);
    let sort_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let stats = crate::stats::breakdown(&store, &win);
    let stats_ms = t.elapsed().as_secs_f64() * 1e3;
    let datasets: Vec<&crate::store::DatasetData> =
        store.all_datasets().iter().map(|d| d.as_ref()).collect();
    let path = std::env::temp_dir().join("strikemap-bench-export.csv");
    let t = Instant::now();
    let written = crate::export::export_filtered(
        &datasets,
        &path,
        crate::export::ExportFormat::Csv,
        &crate::import::Progress::default(),
        drone,
    )
    .map_err(|e| e.to_string())?;
    let export_ms = t.elapsed().as_secs_f64() * 1e3;
    let all: Vec<&crate::store::DatasetData> = app
        .all_events()
        .all_datasets()
        .iter()
        .map(|d| d.as_ref())
        .collect();
    let t = Instant::now();
    let written_all = crate::export::export_datasets(
        &all,
        &path,
        crate::export::ExportFormat::Csv,
        &crate::import::Progress::default(),
    )
    .map_err(|e| e.to_string())?;
    let export_all_ms = t.elapsed().as_secs_f64() * 1e3;
    let _ = std::fs::remove_file(&path);
    w(out, String::new())?;
    w(out, "| drone-filtered set | events | time |".into())?;
    w(out, "|---|---|---|".into())?;
    w(
        out,
        format!(
            "| table sort by killed (off the UI thread) | {} | {sort_ms:.0} ms |",
            sorted.len()
        ),
    )?;
    w(
        out,
        format!(
            "| statistics (totals, bars, per week) | {} | {stats_ms:.0} ms |",
            stats.strikes.events + stats.attacks.records
        ),
    )?;
    w(
        out,
        format!("| export to CSV | {written} | {export_ms:.0} ms |"),
    )?;
    w(
        out,
        format!("| export everything (no filter) to CSV | {written_all} | {export_all_ms:.0} ms |"),
    )?;
    Ok(())
}

/// Median time of picking the nearest event of the current window under pointers scattered
/// around (lat, lon), with an 8-point radius at `zoom`.
fn pick_us(app: &StrikemapApp, lat: f64, lon: f64, zoom: f64) -> f64 {
    let store = app.store();
    let (from, to) = app.timeline().window();
    let w = store.window(from, to);
    let scale = crate::geo::view::ViewGeometry::world_size(zoom);
    let (cx, cy) = mercator(lat, lon);
    let radius = (8.0 / scale) as f32;
    let mut times = Vec::new();
    for k in 0..200 {
        let dx = ((k * 37) % 101) as f64 / 101.0 - 0.5;
        let dy = ((k * 53) % 97) as f64 / 97.0 - 0.5;
        let x = (cx + dx * 1000.0 / scale) as f32;
        let y = (cy + dy * 700.0 / scale) as f32;
        let t = Instant::now();
        std::hint::black_box(store.nearest(&w, x, y, radius));
        times.push(t.elapsed().as_secs_f64() * 1e6);
    }
    median(times)
}

/// Run the polars baseline script on `path`, if python3 with polars is there.
fn run_polars(path: &Path) -> Result<PolarsStats, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/polars_baseline.py");
    if !script.exists() {
        return Err(format!("{} not found", script.display()));
    }
    let o = std::process::Command::new("python3")
        .arg(&script)
        .arg(path)
        .output()
        .map_err(|e| format!("python3: {e}"))?;
    if !o.status.success() {
        return Err(String::from_utf8_lossy(&o.stderr)
            .lines()
            .last()
            .unwrap_or("failed")
            .to_owned());
    }
    let text = String::from_utf8_lossy(&o.stdout);
    let line = text.lines().last().unwrap_or_default();
    serde_json::from_str(line).map_err(|e| format!("{e}: {line}"))
}
