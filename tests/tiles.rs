//! Tile loading against a real HTTP server on 127.0.0.1: success, 404, 500, slow responses and
//! corrupt PNGs. The app must stay responsive, fall back to the built-in basemap, say so in the
//! status bar, and recover by itself when the server answers again.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may unwrap and panic

use std::io::{BufRead, BufReader, Cursor, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use strikemap::map::tiles::{RetryPolicy, TileSourceChoice, TileStatus};
use strikemap::{AppConfig, StrikemapApp};

const OK: u8 = 0;
const NOT_FOUND: u8 = 1;
const SERVER_ERROR: u8 = 2;
const SLOW: u8 = 3;
const CORRUPT: u8 = 4;
const HUGE: u8 = 5;
/// How long the slow server takes per tile: longer than the test policy's stall time, and
/// well above the longest frame allowed while it is slow.
const SLOW_DELAY: Duration = Duration::from_secs(4);

/// A tile server on an ephemeral loopback port whose behaviour can be switched at run time.
/// It stops accepting when dropped (and after 180 s at most).
///
/// Each connection gets its own thread and is kept alive as long as the client wants, the way
/// a real tile server behaves. (tiny_http 0.12 was used before: its worker pool can queue a new
/// connection behind kept-alive ones when two arrive at once on a busy machine, so a download
/// or two never got an answer and the tests failed on CI.)
struct TileServer {
    port: u16,
    mode: Arc<AtomicU8>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

fn png_tile() -> Vec<u8> {
    let img = image::RgbaImage::from_pixel(256, 256, image::Rgba([40, 160, 90, 255]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Answer the GET requests of one kept-alive connection until the client closes it.
fn serve_connection(stream: TcpStream, mode: &AtomicU8, png: &[u8]) -> std::io::Result<()> {
    // Longer than reqwest keeps an idle connection (90 s), so the server never closes one
    // the client is about to reuse; no Nagle delay between a response's head and body.
    stream.set_read_timeout(Some(Duration::from_secs(180)))?;
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    let mut line = String::new();
    loop {
        // Request line, then headers up to the blank line (tile requests have no body).
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            if line.trim_end().is_empty() {
                break;
            }
        }
        let (status, body): (&str, &[u8]) = match mode.load(Ordering::Relaxed) {
            OK => ("200 OK", png),
            NOT_FOUND => ("404 Not Found", b""),
            SERVER_ERROR => ("500 Internal Server Error", b""),
            SLOW => {
                std::thread::sleep(SLOW_DELAY);
                ("200 OK", png)
            }
            HUGE => {
                // A 50 MB body without a length (so the client cannot refuse it up front):
                // refused at the cap, not read into memory. The client closes the connection
                // mid-body, which ends this thread.
                let head = "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\
                            Connection: close\r\n\r\n";
                writer.write_all(head.as_bytes())?;
                let chunk = vec![0u8; 1 << 16];
                for _ in 0..800 {
                    writer.write_all(&chunk)?;
                }
                return Ok(());
            }
            _ => ("200 OK", b"\x89PNG\r\n\x1a\nnot really"),
        };
        let mut response = format!(
            "HTTP/1.1 {status}\r\nContent-Type: image/png\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        response.extend_from_slice(body);
        writer.write_all(&response)?;
    }
}

impl TileServer {
    fn start(mode: u8) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        // Non-blocking accept, so the loop can notice `stop`.
        listener.set_nonblocking(true).unwrap();
        let mode = Arc::new(AtomicU8::new(mode));
        let stop = Arc::new(AtomicBool::new(false));
        let (m, s) = (mode.clone(), stop.clone());
        let png: Arc<[u8]> = png_tile().into();
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            while !s.load(Ordering::Relaxed) && started.elapsed() < Duration::from_secs(180) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let (m, png) = (m.clone(), png.clone());
                        std::thread::spawn(move || {
                            stream.set_nonblocking(false)?;
                            serve_connection(stream, &m, &png)
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        Self {
            port,
            mode,
            stop,
            thread: Some(thread),
        }
    }

    fn template(&self) -> String {
        format!("http://127.0.0.1:{}/{{z}}/{{x}}/{{y}}.png", self.port)
    }
}

impl Drop for TileServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn app_for(server: &TileServer) -> Harness<'static, StrikemapApp> {
    let config = AppConfig {
        tiles: true,
        tile_source: Some(TileSourceChoice::Custom(server.template())),
        tile_cache: None,
        retry: RetryPolicy {
            stall: Duration::from_millis(1200),
            first_retry: Duration::from_millis(300),
            max_retry: Duration::from_secs(2),
            // Far above the slow server's 4 s per tile, so a busy CI machine can't make it
            // look hung (a recreated source drops every download in flight).
            hung: Duration::from_secs(20),
        },
        ..Default::default()
    };
    Harness::builder()
        .with_size(egui::vec2(1000.0, 700.0))
        .build_eframe(move |cc| StrikemapApp::new(cc, config))
}

/// Step frames (with real time passing, as the downloads are real) until `want` holds.
/// Returns the longest single frame, to show the window never froze.
fn step_until(
    h: &mut Harness<'static, StrikemapApp>,
    limit: Duration,
    want: impl Fn(TileStatus) -> bool,
) -> Duration {
    let start = Instant::now();
    let mut longest = Duration::ZERO;
    while start.elapsed() < limit {
        let t = Instant::now();
        h.step();
        longest = longest.max(t.elapsed());
        if want(h.state().tile_status()) {
            return longest;
        }
        std::thread::sleep(Duration::from_millis(15));
    }
    panic!(
        "tile status stayed {:?} for {limit:?}",
        h.state().tile_status()
    );
}

#[test]
fn tiles_load_from_a_working_server() {
    let server = TileServer::start(OK);
    let mut h = app_for(&server);
    step_until(&mut h, Duration::from_secs(20), |s| s == TileStatus::Online);
    h.step();
    h.get_by_label("Map: tiles online");
    // A custom source names itself in the attribution line.
    h.get_by_label("Custom tile source (see its terms)");
}

/// A server that answers with an HTTP error, sends no images or sends huge bodies is named as
/// such, not as being offline, and the built-in basemap shows.
#[test]
fn http_errors_and_corrupt_tiles_fall_back_to_the_built_in_basemap() {
    for (mode, want, text) in [
        (
            NOT_FOUND,
            TileStatus::ServerError(404),
            "tile server error (HTTP 404) — built-in basemap",
        ),
        (
            SERVER_ERROR,
            TileStatus::ServerError(500),
            "tile server error (HTTP 500) — built-in basemap",
        ),
        (
            CORRUPT,
            TileStatus::UnreadableTiles,
            "the tile server sends no images we can read",
        ),
        (
            HUGE,
            TileStatus::OversizedTiles,
            "the tile server sends tiles over 2 MB (refused)",
        ),
    ] {
        let server = TileServer::start(mode);
        let mut h = app_for(&server);
        step_until(&mut h, Duration::from_secs(20), |s| s == want);
        h.step();
        assert!(
            h.query_by_label_contains(text).is_some(),
            "mode {mode}: status bar says {text}"
        );
    }
}

#[test]
fn a_slow_server_never_freezes_the_window() {
    let server = TileServer::start(SLOW);
    let mut h = app_for(&server);
    // Tiles take 4 s each (6 downloads at a time); frames keep coming, and the stall is
    // reported meanwhile.
    let longest = step_until(&mut h, Duration::from_secs(20), |s| {
        s == TileStatus::Offline
    });
    // A frame that waited on a download would take up to a tile's delay; frames of a
    // window that keeps drawing take milliseconds, so 1.5 s leaves a busy machine room.
    assert!(
        longest < Duration::from_millis(1500),
        "a frame took {longest:?} while the server was slow"
    );
    // The slow tiles still arrive in the end: the source is left to finish while it delivers.
    step_until(&mut h, Duration::from_secs(60), |s| s == TileStatus::Online);
}

/// With the disk cache on (as in the app), a 50 MB tile is refused at the cap too: the cache
/// reads bodies whole, so the cap must sit between it and the network.
#[test]
fn huge_tiles_are_refused_with_the_disk_cache_on() {
    let server = TileServer::start(HUGE);
    let cache = tempfile::tempdir().unwrap();
    let config = AppConfig {
        tiles: true,
        tile_source: Some(TileSourceChoice::Custom(server.template())),
        tile_cache: Some(cache.path().to_owned()),
        ..Default::default()
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(1000.0, 700.0))
        .build_eframe(move |cc| StrikemapApp::new(cc, config));
    step_until(&mut h, Duration::from_secs(30), |s| {
        s == TileStatus::OversizedTiles
    });
    // The cache still serves tiles the cap lets through.
    server.mode.store(OK, Ordering::Relaxed);
    step_until(&mut h, Duration::from_secs(30), |s| s == TileStatus::Online);
    let cached = walk_files(cache.path());
    assert!(cached > 0, "nothing was written to the disk cache");
}

fn walk_files(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |rd| {
        rd.flatten()
            .map(|e| {
                let p = e.path();
                if p.is_dir() { walk_files(&p) } else { 1 }
            })
            .sum()
    })
}

/// While tiles keep failing, an idle app asks for no frame before the next retry is due: no
/// repaint loop (a frame costs tens of milliseconds with software rendering).
#[test]
fn an_idle_app_draws_nothing_between_retries() {
    let server = TileServer::start(NOT_FOUND);
    let config = AppConfig {
        tiles: true,
        tile_source: Some(TileSourceChoice::Custom(server.template())),
        tile_cache: None,
        retry: RetryPolicy {
            stall: Duration::from_millis(1200),
            first_retry: Duration::from_secs(30),
            max_retry: Duration::from_secs(60),
            hung: Duration::from_secs(20),
        },
        ..Default::default()
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(1000.0, 700.0))
        .build_eframe(move |cc| StrikemapApp::new(cc, config));
    step_until(&mut h, Duration::from_secs(20), |s| s.failing());
    h.run_steps(3);
    let delays = Arc::new(std::sync::Mutex::new(Vec::new()));
    let d = delays.clone();
    h.ctx
        .set_repaint_observer(move |info| d.lock().unwrap().push(info.delay));
    for _ in 0..5 {
        h.step();
    }
    let delays = delays.lock().unwrap();
    let soonest = delays.iter().min().copied();
    assert!(
        soonest.is_some_and(|d| d > Duration::from_secs(20)),
        "repaints requested while idle: {delays:?}"
    );
    // The retry is shown as a clock time, which needs no frame every second.
    assert!(h.query_by_label_contains("next try at").is_some());
}

#[test]
fn tiles_come_back_without_a_restart() {
    let server = TileServer::start(SERVER_ERROR);
    let mut h = app_for(&server);
    step_until(&mut h, Duration::from_secs(20), |s| s.failing());
    server.mode.store(OK, Ordering::Relaxed);
    step_until(&mut h, Duration::from_secs(20), |s| s == TileStatus::Online);
}

#[test]
fn a_local_pmtiles_file_is_drawn() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/grid.pmtiles");
    let config = AppConfig {
        tiles: true,
        tile_source: Some(TileSourceChoice::PmTiles(path)),
        view: Some((48.8, 32.0, 5.0)),
        ..Default::default()
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(1000.0, 700.0))
        .with_theme(egui::Theme::Light)
        .wgpu()
        .build_eframe(move |cc| StrikemapApp::new(cc, config));
    step_until(&mut h, Duration::from_secs(20), |s| s == TileStatus::Online);
    h.step();
    h.get_by_label("Map: tiles online");
    h.get_by_value("Map: Local PMTiles file");
    // Tiles (pale green squares with dark frames) cover the basemap, markers stay on top.
    let options = egui_kittest::SnapshotOptions::new()
        .threshold(2.0)
        .max_failed_pixels(100);
    h.snapshot_options("pmtiles_grid", &options);
}

/// The whole picker flow as a user does it: choose "Local PMTiles file", type the path, Apply.
#[test]
fn choosing_a_pmtiles_file_in_the_picker() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/grid.pmtiles");
    let config = AppConfig {
        tiles: true,
        tile_source: Some(TileSourceChoice::BuiltIn),
        view: Some((48.8, 32.0, 5.0)),
        ..Default::default()
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 700.0))
        .build_eframe(move |cc| StrikemapApp::new(cc, config));
    h.run_steps(2);
    assert_eq!(h.state().tile_status(), TileStatus::Off);
    h.get_by_value("Map: Built-in (offline)").click();
    h.run_steps(2);
    h.get_by_label("Local PMTiles file").click();
    h.run_steps(2);
    // Nothing typed yet: the status bar asks for a path.
    h.get_by_label("type the path of a .pmtiles file and press Apply");
    let field = h.get_by(|n| n.placeholder() == Some("/path/to/tiles.pmtiles"));
    field.focus();
    field.type_text(path.to_str().unwrap());
    h.run_steps(2);
    h.get_by_label("Apply").click();
    step_until(&mut h, Duration::from_secs(20), |s| s == TileStatus::Online);
}
