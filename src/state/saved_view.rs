//! Saved views: a small `.strikemap` JSON file with the files (relative to the view file
//! where they sit beside or below it), the map view, the window and cursor, the filter, the
//! layer mode, the open panels and the selected event — so a colleague with the same files
//! sees the same picture. A file that is missing is reported, not fatal.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::filter::EventFilter;
use crate::layers::LayerMode;
use crate::model::Seconds;
use crate::state::view::Panels;
use crate::timeline::WindowLen;

/// The file extension of saved views.
pub const EXTENSION: &str = "strikemap";

/// Which event is selected: the file (index into `files`) and its record (position among
/// the file's loaded events), which the same file gives again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectedRecord {
    /// Index into [`SavedView::files`].
    pub file: usize,
    /// The record's position among the file's loaded events.
    pub record: u32,
}

/// Everything a saved view restores.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedView {
    /// What wrote it ("strikemap view 1").
    pub format: String,
    /// The files, relative to the view file where possible (empty: the bundled sample).
    pub files: Vec<String>,
    /// Map centre (latitude, longitude) and zoom.
    pub map: Option<(f64, f64, f64)>,
    /// Window length.
    pub window: WindowLen,
    /// Cursor (UTC seconds).
    pub cursor: Option<Seconds>,
    /// The filter.
    pub filter: EventFilter,
    /// How events are drawn.
    pub layer_mode: LayerMode,
    /// Open panels.
    pub panels: Panels,
    /// The selected event.
    pub selected: Option<SelectedRecord>,
}

/// What [`SavedView::format`] says.
pub const FORMAT: &str = "strikemap view 1";

/// Whether `path` names a saved view.
pub fn is_view_file(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(EXTENSION))
}

/// `file` as written in a view saved at `view`: relative when it is in the view's folder or
/// below it, else absolute.
fn relative(file: &Path, view: &Path) -> String {
    let dir = view.parent().unwrap_or(Path::new(""));
    let abs = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (f, d) = (abs(file), abs(dir));
    match f.strip_prefix(&d) {
        Ok(rel) => rel.to_string_lossy().replace('\\', "/"),
        Err(_) => f.to_string_lossy().into_owned(),
    }
}

impl SavedView {
    /// Write the view to `path` (its files made relative to it). Written whole or not at all.
    pub fn write(&self, path: &Path, files: &[PathBuf]) -> Result<(), String> {
        let view = Self {
            format: FORMAT.to_owned(),
            files: files.iter().map(|f| relative(f, path)).collect(),
            ..self.clone()
        };
        let text = serde_json::to_string_pretty(&view).map_err(|e| e.to_string())?;
        let part = path.with_extension("strikemap.part");
        std::fs::write(&part, text)
            .and_then(|()| std::fs::rename(&part, path))
            .map_err(|e| {
                let _ = std::fs::remove_file(&part);
                format!("cannot write {}: {e}", path.display())
            })
    }

    /// Read a view file; its files resolved against its folder. Also returns the files that
    /// do not exist (they are left out of the returned list, and said).
    pub fn read(path: &Path) -> Result<(Self, Vec<PathBuf>, Vec<String>), String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let view: Self = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not a strikemap view: {e}", path.display()))?;
        let dir = path.parent().unwrap_or(Path::new(""));
        let mut found = Vec::new();
        let mut missing = Vec::new();
        for f in &view.files {
            let p = dir.join(f);
            if p.exists() {
                found.push(p);
            } else {
                missing.push(f.clone());
            }
        }
        Ok((view, found, missing))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Weapon;

    #[test]
    fn a_view_round_trips_with_relative_files_and_says_what_is_missing() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir(&data).unwrap();
        let a = data.join("a.csv");
        std::fs::write(&a, "x").unwrap();
        let gone = dir.path().join("gone.csv");
        let view = SavedView {
            map: Some((50.0, 36.2, 8.0)),
            window: WindowLen::Week,
            cursor: Some(1_700_000_000),
            filter: EventFilter {
                weapons: vec![Weapon::Drone],
                ..Default::default()
            },
            selected: Some(SelectedRecord { file: 0, record: 7 }),
            ..Default::default()
        };
        let path = dir.path().join("kharkiv.strikemap");
        view.write(&path, &[a.clone(), gone]).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("\"data/a.csv\""), "{text}");
        let (back, found, missing) = SavedView::read(&path).unwrap();
        assert_eq!(back.filter, view.filter);
        assert_eq!(back.map, view.map);
        assert_eq!(back.selected, view.selected);
        assert_eq!(found, vec![dir.path().join("data/a.csv")]);
        assert_eq!(missing.len(), 1);
        assert!(SavedView::read(&a).is_err(), "not a view");
        assert!(is_view_file(&path) && !is_view_file(&a));
    }
}
