//! What the UI asks for. Every `*_ui` function and map plugin emits [`Command`]s; the app routes
//! each to the domain that owns it, after the frame's UI has been laid out.

use super::datasets::DatasetCommand;
use super::map::MapCommand;
use super::selection::SelectCommand;
use super::view::ViewCommand;
use crate::timeline::TimelineCommand;

/// One request from the UI, by the domain that applies it.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Cursor, window and playback: applied by [`crate::timeline::Timeline::apply`].
    Timeline(TimelineCommand),
    /// Zoom, fit and view: applied by [`super::map::MapState::apply`].
    Map(MapCommand),
    /// Open, cancel, show/hide and reload files: applied by
    /// [`super::datasets::Datasets::apply`].
    Datasets(DatasetCommand),
    /// Which event is selected: applied by [`super::selection::Selection::apply`].
    Select(SelectCommand),
    /// Which events pass the filter: applied by [`super::filter::Filters::apply`].
    Filter(super::filter::FilterCommand),
    /// The event table's sort: applied by [`super::table::TableState::apply`].
    Table(super::table::TableCommand),
    /// How things are drawn (layer mode, tile source, names, theme, report window): applied by
    /// [`super::view::ViewSettings::apply`] (and the tile layer for the source).
    View(ViewCommand),
    /// Requests to the system: clipboard, browser, file dialog; applied by the app.
    System(SystemCommand),
}

/// Requests that reach outside the app.
#[derive(Clone, Debug, PartialEq)]
pub enum SystemCommand {
    /// Put text on the clipboard.
    Copy(String),
    /// Open a link in the system browser (only http/https are honoured, see [`web_link`]).
    OpenUrl(String),
    /// Ask for files with the system's file dialog (File → Open…, Ctrl+O), or the built-in
    /// one where the system has none.
    OpenDialog,
    /// Ask for files with the built-in file dialog.
    OpenBuiltInDialog,
    /// Ask where to save (File → Export events…, Save view…, Export map image…, the
    /// statistics' Save CSV…): the system's save dialog, or the built-in one where the system
    /// has none.
    SaveDialog(SaveKind),
    /// Save the view to this `.strikemap` file.
    SaveView(std::path::PathBuf),
    /// Write the map as it is drawn now to this PNG file (File → Export map image…).
    SaveMapImage(std::path::PathBuf),
    /// Write the statistics of the shown window to this CSV file.
    SaveStats(std::path::PathBuf),
}

/// What a save dialog is asked for: its title, the name offered and the file types.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SaveKind {
    /// The filtered events (GeoJSON or CSV in the strikemap schema).
    #[default]
    Events,
    /// A `.strikemap` saved view.
    View,
    /// The map area as a PNG image.
    MapImage,
    /// The statistics table as CSV.
    Stats,
}

impl SaveKind {
    /// The dialog's title.
    pub const fn title(self) -> &'static str {
        match self {
            Self::Events => "Export events",
            Self::View => "Save view",
            Self::MapImage => "Export map image",
            Self::Stats => "Save statistics",
        }
    }

    /// The file name offered.
    pub const fn file_name(self) -> &'static str {
        match self {
            Self::Events => "strikemap-events.geojson",
            Self::View => "view.strikemap",
            Self::MapImage => "strikemap-map.png",
            Self::Stats => "strikemap-statistics.csv",
        }
    }

    /// The extension added to a name typed without one.
    pub const fn extension(self) -> &'static str {
        match self {
            Self::Events => "geojson",
            Self::View => "strikemap",
            Self::MapImage => "png",
            Self::Stats => "csv",
        }
    }

    /// The file types the system dialog offers: `(name, extensions)`.
    pub fn filters(self) -> &'static [(&'static str, &'static [&'static str])] {
        match self {
            Self::Events => &[("GeoJSON", &["geojson", "json"]), ("CSV", &["csv"])],
            Self::View => &[("strikemap view", &["strikemap"])],
            Self::MapImage => &[("PNG image", &["png"])],
            Self::Stats => &[("CSV", &["csv"])],
        }
    }
}

impl From<TimelineCommand> for Command {
    fn from(c: TimelineCommand) -> Self {
        Self::Timeline(c)
    }
}

impl From<MapCommand> for Command {
    fn from(c: MapCommand) -> Self {
        Self::Map(c)
    }
}

impl From<DatasetCommand> for Command {
    fn from(c: DatasetCommand) -> Self {
        Self::Datasets(c)
    }
}

impl From<SelectCommand> for Command {
    fn from(c: SelectCommand) -> Self {
        Self::Select(c)
    }
}

impl From<ViewCommand> for Command {
    fn from(c: ViewCommand) -> Self {
        Self::View(c)
    }
}

impl From<SystemCommand> for Command {
    fn from(c: SystemCommand) -> Self {
        Self::System(c)
    }
}

/// Links longer than this are shown as text, never opened.
const MAX_LINK_CHARS: usize = 4096;

/// The link as the browser should get it: only a well-formed http(s) URL with a host is ever
/// handed to the system browser, and then in the URL parser's serialised form (the browser
/// launcher reads anything it cannot parse as a local path: `http://x y/../../etc/passwd`
/// became `file:///etc/passwd`). `None`: show it as text.
pub fn web_link(url: &str) -> Option<String> {
    let url = url.trim();
    if url.len() > MAX_LINK_CHARS || url.chars().any(char::is_control) {
        return None;
    }
    let parsed = url::Url::parse(url).ok()?;
    let web = matches!(parsed.scheme(), "http" | "https");
    let host = parsed.host_str().is_some_and(|h| !h.is_empty());
    (web && host && parsed.username().is_empty() && parsed.password().is_none())
        .then(|| parsed.as_str().to_owned())
}

/// Whether [`web_link`] would open this link.
pub fn is_web_link(url: &str) -> bool {
    web_link(url).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_links_open() {
        assert!(is_web_link("https://example.org/a"));
        assert!(is_web_link("HTTP://x"));
        assert!(!is_web_link("file:///etc/passwd"));
        assert!(!is_web_link("javascript:alert(1)"));
        // Malformed links that the browser launcher read as local paths.
        for bad in [
            "http://exa mple.org",
            "https://a.example:99999/x",
            "http://[::1/x",
            "http://x y/../../../../../../etc/passwd",
            "file:///etc/passwd",
            "data:text/html,<b>x</b>",
            "javascript:alert(1)",
            "http://",
            "https://user:pw@example.org/",
            "http://example.org/\u{1b}]0;title\u{7}",
        ] {
            assert_eq!(web_link(bad), None, "{bad}");
        }
        let long = format!("https://example.org/{}", "a".repeat(10_000));
        assert_eq!(web_link(&long), None, "10,000-character links are text");
        // The serialised form is what is opened.
        assert_eq!(
            web_link(" HTTPS://Example.org/a b").as_deref(),
            Some("https://example.org/a%20b")
        );
    }
}
