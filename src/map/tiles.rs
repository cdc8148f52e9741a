//! Raster tile sources and their health.
//!
//! OpenStreetMap follows the OSM tile usage policy: an identifying User-Agent, a disk cache
//! (walkers honours HTTP caching headers) and visible attribution. Walkers' `HttpTiles` never
//! retries a tile that failed, so [`TileLayer`] watches what each frame asked for and got, says
//! when tiles are failing (the built-in basemap shows underneath), and recreates the source with
//! a growing back-off so tiles come back by themselves when the network does.

use std::cell::Cell;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use walkers::sources::{Attribution, OpenStreetMap, OpenTopoMap, OpenTopoServer, TileSource};
use walkers::{PmTiles, TileId, TilePiece, Tiles};

use super::http_tiles::{Failure, HttpConfig, HttpSource, MAX_TILE_BYTES, Probe};
pub use crate::state::view::TileSourceChoice;

/// User-Agent sent to tile servers: the app's name, version and project URL, as the OSM tile
/// usage policy asks.
pub const USER_AGENT: &str = concat!(
    "strikemap/",
    env!("CARGO_PKG_VERSION"),
    " (+",
    env!("CARGO_PKG_REPOSITORY"),
    ")"
);

/// An XYZ URL template source.
struct Custom {
    template: String,
}

impl TileSource for Custom {
    fn tile_url(&self, t: TileId) -> String {
        self.template
            .replace("{z}", &t.zoom.to_string())
            .replace("{x}", &t.x.to_string())
            .replace("{y}", &t.y.to_string())
    }

    fn attribution(&self) -> Attribution {
        Attribution {
            text: "Custom tile source (see its terms)",
            url: "",
            logo_light: None,
            logo_dark: None,
        }
    }
}

/// Whether a custom template is usable: http(s) with `{z}`, `{x}` and `{y}`.
pub fn valid_template(t: &str) -> bool {
    let t = t.trim();
    (t.starts_with("http://") || t.starts_with("https://"))
        && ["{z}", "{x}", "{y}"].iter().all(|k| t.contains(k))
}

/// Whether a path is a regular file that looks like a PMTiles archive (v3 magic). Anything
/// else is refused before it is opened: opening a FIFO waits for a writer, for ever.
pub fn is_pmtiles(path: &std::path::Path) -> bool {
    use std::io::Read;
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut magic = [0u8; 7];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && &magic == b"PMTiles"
}

/// An opened source and, for HTTP sources, the probe that tells why its downloads fail.
type Opened = Option<(Box<dyn Tiles + Send>, Option<Probe>)>;

/// Where tiles are cached: the user's cache directory (`~/.cache/strikemap/tiles` on Linux).
pub fn cache_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "strikemap", "strikemap")
        .map(|d| d.cache_dir().join("tiles"))
}

/// What the tile layer is doing, for the status bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TileStatus {
    /// Tiles are off (built-in basemap only).
    Off,
    /// Waiting for tiles.
    Loading,
    /// All visible tiles are shown.
    Online,
    /// Some visible tiles failed; the built-in basemap fills the gaps.
    Partial,
    /// No tiles could be loaded; the built-in basemap is shown.
    Offline,
    /// The tile server answered with this HTTP error status (404, 500…): it is reachable,
    /// so "offline" would send the user looking at the wrong thing.
    ServerError(u16),
    /// The server sends bodies that are not images.
    UnreadableTiles,
    /// The server sends bodies over [`MAX_TILE_BYTES`] (refused, not read into memory).
    OversizedTiles,
}

impl TileStatus {
    /// Status bar text.
    pub fn label(self) -> std::borrow::Cow<'static, str> {
        match self {
            Self::Off => "tiles off — built-in basemap".into(),
            Self::Loading => "loading tiles…".into(),
            Self::Online => "tiles online".into(),
            Self::Partial => "some tiles failed — built-in basemap fills the gaps".into(),
            Self::Offline => "offline — built-in basemap".into(),
            Self::ServerError(code) => {
                format!("tile server error (HTTP {code}) — built-in basemap").into()
            }
            Self::UnreadableTiles => {
                "the tile server sends no images we can read — built-in basemap".into()
            }
            Self::OversizedTiles => format!(
                "the tile server sends tiles over {} MB (refused) — built-in basemap",
                MAX_TILE_BYTES >> 20
            )
            .into(),
        }
    }

    /// Whether tiles are failing (and retried).
    pub fn failing(self) -> bool {
        !matches!(self, Self::Off | Self::Loading | Self::Online)
    }

    /// Why nothing arrived, from the source's latest failure.
    fn from_failure(f: Option<Failure>) -> Self {
        match f {
            Some(Failure::Http(code)) => Self::ServerError(code),
            Some(Failure::TooLarge) => Self::OversizedTiles,
            Some(Failure::Unreadable(_)) => Self::UnreadableTiles,
            Some(Failure::Network(_)) | None => Self::Offline,
        }
    }
}

/// Timing of failure detection and retries.
#[derive(Clone, Copy, Debug)]
pub struct RetryPolicy {
    /// With downloads pending but nothing arriving for this long, the server counts as failing.
    pub stall: Duration,
    /// First retry delay; doubled after each failed retry.
    pub first_retry: Duration,
    /// Longest retry delay (keeps us polite to tile servers).
    pub max_retry: Duration,
    /// With downloads still pending but nothing delivered for this long, the server counts as
    /// hung and the source is recreated (which drops the downloads in flight). Until then a
    /// slow server that still delivers now and then is left to finish.
    pub hung: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            stall: Duration::from_secs(10),
            first_retry: Duration::from_secs(15),
            max_retry: Duration::from_secs(120),
            hung: Duration::from_secs(30),
        }
    }
}

/// Wraps the active source for one frame, counting what the map asked for and got.
pub struct Counting<'a> {
    inner: &'a mut dyn Tiles,
    requested: &'a Cell<usize>,
    shown: &'a Cell<usize>,
}

impl Tiles for Counting<'_> {
    fn at(&mut self, tile_id: TileId) -> Option<TilePiece> {
        self.requested.set(self.requested.get() + 1);
        let t = self.inner.at(tile_id);
        if t.is_some() {
            self.shown.set(self.shown.get() + 1);
        }
        t
    }

    fn attribution(&self) -> Attribution {
        self.inner.attribution()
    }

    fn tile_size(&self) -> u32 {
        self.inner.tile_size()
    }

    fn stats(&self) -> walkers::Stats {
        self.inner.stats()
    }
}

/// The active tile source, its health and its retries.
pub struct TileLayer {
    choice: TileSourceChoice,
    /// The user's choice, kept for the next run (see [`TileLayer::remembered`]).
    remembered: TileSourceChoice,
    tiles: Option<Box<dyn Tiles + Send>>,
    ctx: egui::Context,
    cache: Option<PathBuf>,
    policy: RetryPolicy,
    status: TileStatus,
    requested: Cell<usize>,
    shown: Cell<usize>,
    last_shown: usize,
    last_progress: Instant,
    retries: u32,
    next_retry: Option<Instant>,
    /// A message about a source that could not be opened (bad template or file).
    error: Option<String>,
    /// Why the HTTP source's downloads fail (None for other sources).
    probe: Option<Probe>,
}

impl TileLayer {
    /// A layer for `choice`, caching HTTP tiles in `cache` (None: no disk cache).
    pub fn new(
        choice: TileSourceChoice,
        ctx: egui::Context,
        cache: Option<PathBuf>,
        policy: RetryPolicy,
    ) -> Self {
        let mut layer = Self {
            choice: TileSourceChoice::BuiltIn,
            remembered: choice.clone(),
            tiles: None,
            ctx,
            cache,
            policy,
            status: TileStatus::Off,
            requested: Cell::new(0),
            shown: Cell::new(0),
            last_shown: 0,
            last_progress: Instant::now(),
            retries: 0,
            next_retry: None,
            error: None,
            probe: None,
        };
        layer.set_choice(choice);
        layer
    }

    /// An HTTP source for `source`, and its probe.
    fn http(&self, source: impl TileSource + Send + Sync + 'static) -> Opened {
        let config = HttpConfig {
            cache: self.cache.clone(),
            user_agent: USER_AGENT,
        };
        let s = HttpSource::new(source, &config, self.ctx.clone());
        let probe = s.probe();
        Some((Box::new(s), Some(probe)))
    }

    fn open(&self, choice: &TileSourceChoice) -> Result<Opened, String> {
        let ctx = self.ctx.clone();
        Ok(match choice {
            TileSourceChoice::BuiltIn => None,
            TileSourceChoice::OpenStreetMap => self.http(OpenStreetMap),
            TileSourceChoice::OpenTopoMap => self.http(OpenTopoMap(OpenTopoServer::A)),
            TileSourceChoice::Custom(t) if t.trim().is_empty() => {
                return Err(
                    "type a tile URL template such as https://…/{z}/{x}/{y}.png and press Apply"
                        .to_owned(),
                );
            }
            TileSourceChoice::PmTiles(p) if p.as_os_str().is_empty() => {
                return Err("type the path of a .pmtiles file and press Apply".to_owned());
            }
            TileSourceChoice::Custom(t) => {
                if !valid_template(t) {
                    return Err(format!(
                        "\"{t}\" is not a tile URL template: it needs http(s):// and {{z}}, {{x}}, {{y}}"
                    ));
                }
                self.http(Custom {
                    template: t.trim().to_owned(),
                })
            }
            TileSourceChoice::PmTiles(p) => {
                if !std::fs::metadata(p).is_ok_and(|m| m.is_file()) {
                    return Err(format!(
                        "no PMTiles file at {}: missing, or not a regular file (a folder, pipe \
                         or device)",
                        crate::import::quote_input(&p.display().to_string(), 80)
                    ));
                }
                if !is_pmtiles(p) {
                    return Err(format!(
                        "{} is not a PMTiles file",
                        crate::import::quote_input(&p.display().to_string(), 80)
                    ));
                }
                Some((Box::new(PmTiles::new(p, ctx)), None))
            }
        })
    }

    /// Switch source. A source that cannot be opened leaves the built-in basemap and an error.
    pub fn set_choice(&mut self, choice: TileSourceChoice) {
        self.remembered = choice.clone();
        self.open_choice(choice);
    }

    /// Open `choice` and use it (a retry opens the same source again).
    fn open_choice(&mut self, choice: TileSourceChoice) {
        match self.open(&choice) {
            Ok(opened) => {
                let (tiles, probe) = opened.map_or((None, None), |(t, p)| (Some(t), p));
                self.replace(tiles);
                self.probe = probe;
                self.status = if self.tiles.is_some() {
                    TileStatus::Loading
                } else {
                    TileStatus::Off
                };
                self.error = None;
            }
            Err(e) => {
                log::warn!("{e}");
                self.replace(None);
                self.probe = None;
                self.status = TileStatus::Off;
                self.error = Some(e);
            }
        }
        self.choice = choice;
        self.retries = 0;
        self.next_retry = None;
        self.last_shown = 0;
        self.last_progress = Instant::now();
    }

    /// Swap the tile source, dropping the old one on another thread: its IO thread may be
    /// waiting on a hung server, and the window must never wait for it.
    fn replace(&mut self, tiles: Option<Box<dyn Tiles + Send>>) {
        if let Some(old) = std::mem::replace(&mut self.tiles, tiles) {
            std::thread::spawn(move || drop(old));
        }
    }

    /// The current choice.
    pub fn choice(&self) -> &TileSourceChoice {
        &self.choice
    }

    /// The source the user chose, saved for the next run: the one in use, or the one set
    /// aside for this run (`--no-tiles`, a source given on the command line).
    pub fn remembered(&self) -> &TileSourceChoice {
        &self.remembered
    }

    /// The same layer, remembering `choice` as the user's (see [`TileLayer::remembered`]).
    pub fn remembering(mut self, choice: TileSourceChoice) -> Self {
        self.remembered = choice;
        self
    }

    /// The current status.
    pub fn status(&self) -> TileStatus {
        self.status
    }

    /// Why the chosen source could not be opened, if it could not.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// When the next retry happens, while failing.
    pub fn next_retry(&self) -> Option<Instant> {
        self.next_retry
    }

    /// The tiles to draw this frame, counted (call [`Self::end_frame`] after the map is shown).
    pub fn for_frame(&mut self) -> Option<Counting<'_>> {
        self.requested.set(0);
        self.shown.set(0);
        let inner = self.tiles.as_deref_mut()?;
        Some(Counting {
            inner,
            requested: &self.requested,
            shown: &self.shown,
        })
    }

    /// Update health from what the frame asked for and got; retry when due.
    pub fn end_frame(&mut self, now: Instant) {
        let Some(tiles) = &self.tiles else {
            self.status = TileStatus::Off;
            return;
        };
        let requested = self.requested.get();
        let shown = self.shown.get();
        if requested == 0 {
            return;
        }
        let pending = tiles.stats().in_progress;
        if shown > self.last_shown || shown == requested {
            self.last_progress = now;
        }
        self.last_shown = shown;
        let stalled = now.duration_since(self.last_progress) >= self.policy.stall;
        self.status = if shown == requested {
            TileStatus::Online
        } else if pending > 0 && !stalled {
            TileStatus::Loading
        } else if shown == 0 {
            TileStatus::from_failure(self.probe.as_ref().and_then(Probe::last_failure))
        } else {
            TileStatus::Partial
        };
        match self.status {
            TileStatus::Online => {
                self.retries = 0;
                self.next_retry = None;
            }
            s if s.failing() => {
                let due = *self.next_retry.get_or_insert_with(|| {
                    let factor = 2u32.saturating_pow(self.retries.min(16));
                    now + (self.policy.first_retry * factor).min(self.policy.max_retry)
                });
                // Recreating the source drops downloads in flight, so while a slow server is
                // still delivering, wait; a server that has delivered nothing for `hung` counts
                // as hung.
                let hung = now.duration_since(self.last_progress) >= self.policy.hung;
                if now >= due && (pending == 0 || hung) {
                    log::info!("retrying tiles ({})", self.choice.label());
                    let choice = self.choice.clone();
                    let retries = self.retries + 1;
                    self.open_choice(choice);
                    self.retries = retries;
                } else {
                    // Wake up for the retry even if the user does nothing, or, when it is due
                    // but downloads are still in flight, when they count as hung. Nothing
                    // in between: the status bar shows the retry's clock time, not a
                    // countdown, so an idle app draws no frames while tiles fail (a frame
                    // a second costs 7 % of a core with software rendering).
                    let wake = if now < due {
                        due
                    } else {
                        self.last_progress + self.policy.hung
                    };
                    let wait = wake
                        .saturating_duration_since(now)
                        .max(Duration::from_millis(250));
                    self.ctx.request_repaint_after(wait);
                }
            }
            TileStatus::Loading => {
                // walkers asks for a frame when a tile arrives, not when a download fails:
                // look again now and then, so a failure is noticed without user input.
                let wait = (self.last_progress + self.policy.stall)
                    .saturating_duration_since(now)
                    .clamp(Duration::from_millis(250), Duration::from_secs(1));
                self.ctx.request_repaint_after(wait);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agent_identifies_the_app() {
        assert!(USER_AGENT.starts_with("strikemap/"));
        assert!(USER_AGENT.contains(env!("CARGO_PKG_VERSION")));
        assert!(USER_AGENT.contains("https://"));
        assert!(walkers::HeaderValue::from_str(USER_AGENT).is_ok());
    }

    #[test]
    fn osm_attribution_names_the_contributors() {
        let a = OpenStreetMap.attribution();
        assert!(a.text.contains("OpenStreetMap contributors"), "{}", a.text);
        assert!(a.url.starts_with("https://"));
    }

    /// The cache is a folder of its own in the user's cache directory (not a temporary one,
    /// which would defeat the OSM policy's caching); tests/tiles.rs checks that downloads are
    /// written to the cache given.
    #[test]
    fn cache_is_in_the_users_cache_folder() {
        let dir = cache_dir().unwrap();
        let base = directories::BaseDirs::new().unwrap();
        assert!(dir.is_absolute(), "{}", dir.display());
        assert!(dir.starts_with(base.cache_dir()), "{}", dir.display());
        assert!(dir.ends_with("tiles"), "{}", dir.display());
        assert!(!dir.starts_with(std::env::temp_dir()), "{}", dir.display());
    }

    #[test]
    fn templates_are_checked() {
        assert!(valid_template("https://a.example/{z}/{x}/{y}.png"));
        assert!(!valid_template("https://a.example/{z}/{x}.png"));
        assert!(!valid_template("file:///{z}/{x}/{y}"));
        let c = Custom {
            template: "http://h/{z}/{x}/{y}.png".into(),
        };
        assert_eq!(
            c.tile_url(TileId {
                x: 3,
                y: 4,
                zoom: 5
            }),
            "http://h/5/3/4.png"
        );
    }

    #[test]
    fn bad_sources_fall_back_to_built_in_with_a_message() {
        let ctx = egui::Context::default();
        let mut l = TileLayer::new(
            TileSourceChoice::Custom("nonsense".into()),
            ctx,
            None,
            RetryPolicy::default(),
        );
        assert_eq!(l.status(), TileStatus::Off);
        assert!(l.error().unwrap_or("").contains("template"));
        l.set_choice(TileSourceChoice::PmTiles("/nonexistent.pmtiles".into()));
        assert!(l.error().unwrap_or("").contains("PMTiles"));
        // A FIFO would block the window at open(2) until some writer came.
        let fifo = std::env::temp_dir().join(format!("strikemap-fifo-{}", std::process::id()));
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo failed");
        l.set_choice(TileSourceChoice::PmTiles(fifo.clone()));
        assert!(l.error().unwrap_or("").contains("not a regular file"));
        std::fs::remove_file(&fifo).ok();
        l.set_choice(TileSourceChoice::BuiltIn);
        assert!(l.error().is_none());
        assert!(l.for_frame().is_none());
    }
}
