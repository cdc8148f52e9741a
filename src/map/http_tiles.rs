//! Raster tiles over HTTP, with what walkers' `HttpTiles` (0.65) lacks for a tool that must
//! stay up whatever the server does: a cap on the size of a tile (it read whole bodies: 50 MB
//! tiles raised memory to 469 MB), the reason a download failed (it only logged it, so a
//! server answering 404 looked offline), and a frame when a download fails, not only when one
//! succeeds.
//!
//! As walkers does, it downloads on a thread of its own (a Tokio runtime, six downloads at a
//! time), keeps an HTTP disk cache that honours the server's caching headers (OSM tile usage
//! policy), sends the app's User-Agent, and shows the nearest zoomed-out tile while a tile
//! loads.

use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use egui::{Rect, pos2};
use walkers::sources::{Attribution, TileSource};
use walkers::{Tile, TileId, TilePiece, Tiles};

/// The largest tile body accepted. Raster tiles are 5–60 kB, retina ones a few hundred.
pub const MAX_TILE_BYTES: usize = 2 << 20;

/// Downloads at a time, as browsers and walkers do (the OSM policy asks for few).
const PARALLEL: usize = 6;

/// Tiles kept decoded in memory.
const MEMORY_TILES: usize = 256;

/// Why a tile did not arrive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// No answer: DNS, connection refused, TLS, timeout.
    Network(String),
    /// The server answered with an HTTP error status.
    Http(u16),
    /// The body is larger than [`MAX_TILE_BYTES`].
    TooLarge,
    /// The body is not an image we can decode.
    Unreadable(String),
}

/// What the download thread shares with the map.
#[derive(Default)]
struct Shared {
    /// Downloads requested and not yet answered.
    in_progress: AtomicUsize,
    /// The latest failure, for the status bar.
    last_failure: Mutex<Option<Failure>>,
}

/// Reads the latest reason a download of one [`HttpSource`] failed.
#[derive(Clone)]
pub struct Probe(Arc<Shared>);

impl Probe {
    /// The latest reason a tile did not arrive, if one failed.
    pub fn last_failure(&self) -> Option<Failure> {
        self.0.last_failure.lock().ok()?.clone()
    }
}

/// One tile's state in the memory cache.
enum Slot {
    /// Requested, not answered yet.
    Pending,
    /// Downloaded and decoded.
    Ready(Tile),
    /// Failed; tried again only when the source is recreated (the layer's back-off).
    Failed,
}

/// HTTP tiles from a [`TileSource`] (a URL scheme and an attribution).
pub struct HttpSource {
    attribution: Attribution,
    tile_size: u32,
    max_zoom: u8,
    cache: lru::LruCache<TileId, Slot>,
    requests: tokio::sync::mpsc::UnboundedSender<TileId>,
    results: mpsc::Receiver<(TileId, Result<Tile, Failure>)>,
    shared: Arc<Shared>,
}

/// How to reach the server.
pub struct HttpConfig {
    /// Disk cache directory (None: no disk cache).
    pub cache: Option<PathBuf>,
    /// User-Agent header.
    pub user_agent: &'static str,
}

impl HttpSource {
    /// Start downloading from `source` on a thread of its own.
    pub fn new(
        source: impl TileSource + Send + Sync + 'static,
        config: &HttpConfig,
        ctx: egui::Context,
    ) -> Self {
        let attribution = source.attribution();
        let tile_size = source.tile_size();
        let max_zoom = source.max_zoom();
        let (requests, rx) = tokio::sync::mpsc::unbounded_channel();
        let (tx, results) = mpsc::channel();
        let shared = Arc::new(Shared::default());
        let client = client(config);
        let fetcher = Fetcher {
            source: Arc::new(source),
            client,
            ctx,
            tile_size,
            tx,
        };
        std::thread::Builder::new()
            .name("tile downloads".into())
            .spawn(move || fetcher.run(rx))
            .map_err(|e| log::error!("cannot start the tile download thread: {e}"))
            .ok();
        Self {
            attribution,
            tile_size,
            max_zoom,
            cache: lru::LruCache::new(NonZeroUsize::new(MEMORY_TILES).unwrap_or(NonZeroUsize::MIN)),
            requests,
            results,
            shared,
        }
    }

    /// A handle that tells why tiles fail, kept by the layer beside the boxed source.
    pub fn probe(&self) -> Probe {
        Probe(self.shared.clone())
    }

    /// Put every answered download in the memory cache.
    fn receive(&mut self) {
        while let Ok((id, result)) = self.results.try_recv() {
            self.shared.in_progress.fetch_sub(1, Ordering::Relaxed);
            let slot = match result {
                Ok(tile) => Slot::Ready(tile),
                Err(f) => {
                    if let Ok(mut last) = self.shared.last_failure.lock() {
                        *last = Some(f);
                    }
                    Slot::Failed
                }
            };
            self.cache.put(id, slot);
        }
    }

    /// Request `id` unless it is known or enough downloads are under way (it is asked for
    /// again next frame: newer views win over tiles scrolled away from).
    fn request(&mut self, id: TileId) {
        if self.cache.contains(&id) || self.shared.in_progress.load(Ordering::Relaxed) >= PARALLEL {
            return;
        }
        if self.requests.send(id).is_ok() {
            self.shared.in_progress.fetch_add(1, Ordering::Relaxed);
            self.cache.put(id, Slot::Pending);
        }
    }

    /// The tile, or the part of the nearest zoomed-out one that covers the same ground.
    fn best_available(&mut self, id: TileId) -> Option<TilePiece> {
        (0..=id.zoom).rev().find_map(|zoom| {
            let (donor, uv) = ancestor(id, zoom);
            match self.cache.get(&donor) {
                Some(Slot::Ready(tile)) => Some(TilePiece::new(tile.clone(), uv)),
                _ => None,
            }
        })
    }
}

impl Tiles for HttpSource {
    fn at(&mut self, id: TileId) -> Option<TilePiece> {
        self.receive();
        let side = 1u32.checked_shl(u32::from(id.zoom))?;
        if id.x >= side || id.y >= side {
            return None;
        }
        let fetch = if id.zoom > self.max_zoom {
            ancestor(id, self.max_zoom).0
        } else {
            id
        };
        self.request(fetch);
        self.best_available(id)
    }

    fn attribution(&self) -> Attribution {
        self.attribution.clone()
    }

    fn tile_size(&self) -> u32 {
        self.tile_size
    }

    fn stats(&self) -> walkers::Stats {
        walkers::Stats {
            in_progress: self.shared.in_progress.load(Ordering::Relaxed),
        }
    }
}

/// The tile at `zoom` (≤ `id.zoom`) that contains `id`, and the part of it `id` covers.
fn ancestor(id: TileId, zoom: u8) -> (TileId, Rect) {
    let n = 1u32 << (id.zoom - zoom.min(id.zoom));
    let (x, y) = (id.x % n, id.y % n);
    let z = (n as f32).recip();
    let uv = Rect::from_min_max(
        pos2(x as f32 * z, y as f32 * z),
        pos2(x as f32 * z + z, y as f32 * z + z),
    );
    let donor = TileId {
        x: id.x / n,
        y: id.y / n,
        zoom: zoom.min(id.zoom),
    };
    (donor, uv)
}

/// A tile body over [`MAX_TILE_BYTES`], refused while it streams.
#[derive(Debug, thiserror::Error)]
#[error("the tile is larger than {MAX_TILE_BYTES} bytes")]
struct TileTooLarge;

/// Reads a response body with the size cap, closest to the network: the cache middleware
/// outside it reads bodies whole to store them (50 MB tiles took 1.4 GB that way).
struct SizeCap;

#[async_trait::async_trait]
impl reqwest_middleware::Middleware for SizeCap {
    async fn handle(
        &self,
        req: reqwest::Request,
        extensions: &mut http::Extensions,
        next: reqwest_middleware::Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        let mut response = next.run(req, extensions).await?;
        let too_large = || reqwest_middleware::Error::middleware(TileTooLarge);
        if response
            .content_length()
            .is_some_and(|n| n > MAX_TILE_BYTES as u64)
        {
            return Err(too_large());
        }
        let mut rebuilt = http::Response::builder()
            .status(response.status())
            .version(response.version());
        if let Some(headers) = rebuilt.headers_mut() {
            *headers = response.headers().clone();
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await? {
            if body.len() + chunk.len() > MAX_TILE_BYTES {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        let rebuilt = rebuilt
            .body(body)
            .map_err(reqwest_middleware::Error::middleware)?;
        Ok(reqwest::Response::from(rebuilt))
    }
}

/// The HTTP client: User-Agent, the disk cache that honours caching headers, and inside it
/// the size cap.
fn client(config: &HttpConfig) -> Option<reqwest_middleware::ClientWithMiddleware> {
    let bare = reqwest::Client::builder()
        .user_agent(config.user_agent)
        .connect_timeout(std::time::Duration::from_secs(20))
        .build()
        .map_err(|e| log::error!("cannot set up HTTP for tiles: {e}"))
        .ok()?;
    let builder = reqwest_middleware::ClientBuilder::new(bare);
    Some(match &config.cache {
        Some(dir) => builder
            .with(http_cache_reqwest::Cache(http_cache_reqwest::HttpCache {
                mode: http_cache_reqwest::CacheMode::Default,
                manager: http_cache_reqwest::CACacheManager {
                    path: dir.clone(),
                    remove_opts: Default::default(),
                },
                options: http_cache_reqwest::HttpCacheOptions::default(),
            }))
            .with(SizeCap)
            .build(),
        None => builder.with(SizeCap).build(),
    })
}

/// The download side, on its own thread.
struct Fetcher {
    source: Arc<dyn TileSource + Send + Sync>,
    client: Option<reqwest_middleware::ClientWithMiddleware>,
    ctx: egui::Context,
    tile_size: u32,
    tx: mpsc::Sender<(TileId, Result<Tile, Failure>)>,
}

impl Fetcher {
    /// Download what is requested until the source is dropped (its sender closes).
    fn run(self, mut rx: tokio::sync::mpsc::UnboundedReceiver<TileId>) {
        let runtime = match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(r) => r,
            Err(e) => {
                log::error!("cannot start tile downloads: {e}");
                return;
            }
        };
        let this = Arc::new(self);
        runtime.block_on(async move {
            while let Some(id) = rx.recv().await {
                let this = this.clone();
                tokio::spawn(async move {
                    let result = this.fetch(id).await;
                    if let Err(f) = &result {
                        log::warn!("tile {}/{}/{}: {f:?}", id.zoom, id.x, id.y);
                    }
                    // The map is gone when this fails; nothing to tell.
                    let _ = this.tx.send((id, result));
                    this.ctx.request_repaint();
                });
            }
        });
    }

    /// Download and decode one tile.
    async fn fetch(&self, id: TileId) -> Result<Tile, Failure> {
        let client = self
            .client
            .as_ref()
            .ok_or_else(|| Failure::Network("no HTTP client".into()))?;
        let url = self.source.tile_url(id);
        let response = client.get(&url).send().await.map_err(|e| {
            // The cache middleware passes our error on wrapped in its own.
            let ours = match &e {
                reqwest_middleware::Error::Middleware(m) => {
                    m.chain().any(|c| c.is::<TileTooLarge>())
                }
                reqwest_middleware::Error::Reqwest(_) => false,
            };
            if ours || e.to_string().contains(&TileTooLarge.to_string()) {
                Failure::TooLarge
            } else {
                Failure::Network(e.to_string())
            }
        })?;
        let status = response.status();
        if !status.is_success() {
            return Err(Failure::Http(status.as_u16()));
        }
        // Bodies from the network were capped by `SizeCap`; one from the disk cache (stored
        // by an older build) is checked here.
        let body = response
            .bytes()
            .await
            .map_err(|e| Failure::Network(e.to_string()))?;
        if body.len() > MAX_TILE_BYTES {
            return Err(Failure::TooLarge);
        }
        Tile::new(&body, &walkers::Style, id.zoom, self.tile_size, &self.ctx)
            .map_err(|e| Failure::Unreadable(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zoomed_in_tile_uses_the_right_quarter_of_its_parent() {
        let id = TileId {
            x: 5,
            y: 2,
            zoom: 3,
        };
        let (donor, uv) = ancestor(id, 2);
        assert_eq!((donor.x, donor.y, donor.zoom), (2, 1, 2));
        assert_eq!(uv, Rect::from_min_max(pos2(0.5, 0.0), pos2(1.0, 0.5)));
        let (same, whole) = ancestor(id, 3);
        assert_eq!(same, id);
        assert_eq!(whole, Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)));
    }
}
