//! OpenStreetMap raster tiles, following the OSM tile usage policy: an identifying
//! User-Agent, a disk cache (walkers honours HTTP caching headers), and visible attribution.

use walkers::{HttpOptions, HttpTiles, sources::OpenStreetMap};

/// User-Agent sent to tile servers: the app's name, version and project URL, as the OSM tile
/// usage policy asks.
pub const USER_AGENT: &str = concat!(
    "strikemap/",
    env!("CARGO_PKG_VERSION"),
    " (+",
    env!("CARGO_PKG_REPOSITORY"),
    ")"
);

/// Attribution text for OpenStreetMap tiles.
pub const OSM_ATTRIBUTION: &str = "© OpenStreetMap contributors";

/// Where tiles are cached: the user's cache directory (`~/.cache/strikemap/tiles` on Linux).
pub fn cache_dir() -> Option<std::path::PathBuf> {
    directories::ProjectDirs::from("org", "strikemap", "strikemap")
        .map(|d| d.cache_dir().join("tiles"))
}

/// HTTP options for tile fetching.
pub fn http_options() -> HttpOptions {
    HttpOptions {
        cache: cache_dir(),
        user_agent: Some(walkers::HeaderValue::from_static(USER_AGENT)),
        ..HttpOptions::default()
    }
}

/// OpenStreetMap tiles with our options.
pub fn osm_tiles(ctx: egui::Context) -> HttpTiles {
    HttpTiles::with_options(OpenStreetMap, http_options(), ctx)
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
    fn cache_is_on_disk() {
        assert!(http_options().cache.is_some());
    }
}
