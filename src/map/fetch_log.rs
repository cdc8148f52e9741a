//! Why tile downloads fail, read from walkers' log.
//!
//! walkers 0.65 reports a failed download only as a log line (`Fetch error: HTTP status client
//! error (404 Not Found) for url (…)`) and gives the caller nothing but a missing tile. So that
//! the status bar can tell a server answering 404 or 500 from being offline, a logger in front
//! of the app's own notes the HTTP status per server origin and passes every record on.

use std::collections::BTreeMap;
use std::sync::Mutex;

/// The last HTTP error status seen per server origin (`http://127.0.0.1:8080`).
static STATUS: Mutex<BTreeMap<String, u16>> = Mutex::new(BTreeMap::new());

/// The log target walkers reports failed downloads under.
const FETCH_TARGET: &str = "walkers::io::fetch";

/// A logger that notes tile HTTP errors and forwards everything to `inner`.
struct Capture {
    inner: Option<Box<dyn log::Log>>,
}

impl log::Log for Capture {
    fn enabled(&self, m: &log::Metadata<'_>) -> bool {
        m.target().starts_with(FETCH_TARGET) || self.inner.as_ref().is_some_and(|l| l.enabled(m))
    }

    fn log(&self, record: &log::Record<'_>) {
        if record.target().starts_with(FETCH_TARGET)
            && let Some((origin, status)) = parse(&record.args().to_string())
            && let Ok(mut map) = STATUS.lock()
        {
            map.insert(origin, status);
        }
        if let Some(inner) = &self.inner
            && inner.enabled(record.metadata())
        {
            inner.log(record);
        }
    }

    fn flush(&self) {
        if let Some(inner) = &self.inner {
            inner.flush();
        }
    }
}

/// Install the capture in front of `inner` (the app's logger, with its level). Only the first
/// call in a process installs; later ones (each test's app) change nothing.
pub fn install(inner: Option<Box<dyn log::Log>>, inner_level: log::LevelFilter) {
    if log::set_boxed_logger(Box::new(Capture { inner })).is_ok() {
        log::set_max_level(inner_level.max(log::LevelFilter::Warn));
    }
}

/// The HTTP error status the server at `origin` last answered a tile request with.
pub fn http_status(origin: &str) -> Option<u16> {
    STATUS.lock().ok()?.get(origin).copied()
}

/// Forget the status of `origin` (tiles arrive again, or the source is recreated).
pub fn clear(origin: &str) {
    if let Ok(mut map) = STATUS.lock() {
        map.remove(origin);
    }
}

/// The origin (`scheme://host:port`) of a URL, as keys of the status table.
pub fn origin(url: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    Some(u.origin().ascii_serialization())
}

/// The origin and status of a walkers fetch error: "… HTTP status client error (404 Not
/// Found) for url (http://h:1/6/3/2.png)".
fn parse(message: &str) -> Option<(String, u16)> {
    let after = &message[message.find("HTTP status ")?..];
    let code = after[after.find('(')? + 1..].get(..3)?.parse().ok()?;
    let url = &after[after.find("for url (")? + 9..];
    let url = url.strip_suffix(')').unwrap_or(url);
    Some((origin(url)?, code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_walkers_fetch_errors() {
        let m = "Fetch error: HTTP status client error (404 Not Found) for url \
                 (http://127.0.0.1:18404/6/39/23.png)";
        assert_eq!(parse(m), Some(("http://127.0.0.1:18404".to_owned(), 404)));
        let m = "Fetch error: Cache error: HTTP status server error (503 Service Unavailable) \
                 for url (https://tile.openstreetmap.org/6/37/22.png)";
        assert_eq!(
            parse(m),
            Some(("https://tile.openstreetmap.org".to_owned(), 503))
        );
        let offline = "Fetch error: Cache error: error sending request for url \
                       (https://tile.openstreetmap.org/6/37/22.png)";
        assert_eq!(parse(offline), None);
    }
}
