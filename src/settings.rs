//! Persisted settings are checked before they are used: a damaged or hand-edited settings
//! file must never crash the app at every start, blank the map or lose the rest of the state.
//!
//! Two places: eframe's own entries (egui's memory with the zoom factor, the window's size
//! and position), repaired in the file before eframe reads it, since eframe hands them to
//! winit, which panics on an invalid scale factor; and the app's [`AppState`], read field by
//! field so one unreadable field is reset alone, then clamped to sane values.

use std::collections::HashMap;
use std::path::Path;

use crate::app::AppState;
use crate::timeline::{Speed, WindowLen};

/// Zoom factors egui may start with (outside: 1).
const ZOOM_FACTORS: std::ops::RangeInclusive<f32> = 0.25..=5.0;
/// Largest plausible window size or position coordinate, in points or pixels.
const MAX_WINDOW_COORD: f64 = 100_000.0;

/// Repair eframe's entries in its settings file at `path` before eframe loads it. Returns
/// what was repaired (empty when nothing was, or there is no such file).
pub fn repair_storage_file(path: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    // A file eframe cannot read at all it ignores as a whole: nothing to repair then.
    let Ok(mut kv) = ron::from_str::<HashMap<String, String>>(&text) else {
        return Vec::new();
    };
    let notes = repair_entries(&mut kv);
    if !notes.is_empty()
        && let Ok(text) = ron::ser::to_string_pretty(&kv, ron::ser::PrettyConfig::default())
        && let Err(e) = std::fs::write(path, text)
    {
        log::warn!("cannot write repaired settings {}: {e}", path.display());
    }
    notes
}

/// [`repair_storage_file`] on the file's key → RON-text entries.
pub fn repair_entries(kv: &mut HashMap<String, String>) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(text) = kv.get("egui")
        && let Ok(mut memory) = ron::from_str::<egui::Memory>(text)
    {
        let z = memory.options.zoom_factor;
        if !(z.is_finite() && ZOOM_FACTORS.contains(&z)) {
            memory.options.zoom_factor = 1.0;
            notes.push(format!("egui zoom factor {z} reset to 1"));
            match ron::to_string(&memory) {
                Ok(t) => {
                    kv.insert("egui".to_owned(), t);
                }
                Err(_) => {
                    kv.remove("egui");
                }
            }
        }
    }
    if let Some(text) = kv.get("window") {
        let sane = ron::from_str::<ron::Value>(text).is_ok_and(|v| numbers_are_sane(&v));
        if !sane {
            kv.remove("window");
            notes.push("window size/position unreadable or off-screen: default window".to_owned());
        }
    }
    notes
}

/// Whether every number in a RON value is finite and of a plausible window size.
fn numbers_are_sane(v: &ron::Value) -> bool {
    match v {
        ron::Value::Number(n) => {
            let x = n.into_f64();
            x.is_finite() && x.abs() <= MAX_WINDOW_COORD
        }
        ron::Value::Map(m) => m
            .iter()
            .all(|(k, v)| numbers_are_sane(k) && numbers_are_sane(v)),
        ron::Value::Seq(s) => s.iter().all(numbers_are_sane),
        ron::Value::Option(Some(v)) => numbers_are_sane(v),
        _ => true,
    }
}

/// The app's state from its RON text: each field read on its own (an unreadable one is reset
/// to its default and named in the notes, the others kept), then every value checked.
pub fn load_state(text: &str) -> (AppState, Vec<String>) {
    let mut notes = Vec::new();
    let Some(fields) = top_level_fields(text) else {
        notes.push("settings unreadable: defaults".to_owned());
        return (AppState::default(), notes);
    };
    // Each field is tried as a state of its own (the others default), on its exact text, so
    // enum values and the rest survive as written.
    let kept: Vec<&str> = fields
        .into_iter()
        .filter(|f| {
            let ok = ron::from_str::<AppState>(&format!("({f})")).is_ok();
            if !ok {
                let name = f.split(':').next().unwrap_or(f).trim();
                notes.push(format!("setting {} unreadable: reset", quote(name)));
            }
            ok
        })
        .collect();
    let mut state = ron::from_str::<AppState>(&format!("({})", kept.join(","))).unwrap_or_default();
    sanitize(&mut state, &mut notes);
    (state, notes)
}

/// A setting's name as it may appear in a note.
fn quote(name: &str) -> String {
    crate::import::quote_input(name, 40)
}

/// The `name:value` parts of a RON struct `(a:1,b:[2,3],c:"x,y")`, split at its top-level
/// commas; `None` when the text is not one parenthesised struct.
fn top_level_fields(text: &str) -> Option<Vec<&str>> {
    let t = text.trim();
    let inner = t.strip_prefix('(')?.strip_suffix(')')?;
    let mut fields = Vec::new();
    let (mut depth, mut in_str, mut escaped, mut start) = (0i32, false, false, 0usize);
    for (k, c) in inner.char_indices() {
        if in_str {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                fields.push(&inner[start..k]);
                start = k + 1;
            }
            _ => {}
        }
        if depth < 0 {
            return None;
        }
    }
    fields.push(&inner[start..]);
    Some(
        fields
            .into_iter()
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .collect(),
    )
}

/// Clamp or default every value that would break the app (a NaN zoom blanks the map, a
/// negative speed plays backwards as "NaN days/s").
pub fn sanitize(state: &mut AppState, notes: &mut Vec<String>) {
    let m = &state.map_memory;
    let zoom = m.zoom();
    let centre_ok = m.detached().is_none_or(|p| {
        p.y().is_finite() && p.x().is_finite() && p.y().abs() <= 90.0 && p.x().abs() <= 180.0
    });
    if !(zoom.is_finite() && (1.0..=19.0).contains(&zoom) && centre_ok) {
        notes.push(format!(
            "map view (zoom {zoom}) unusable: fitting the data instead"
        ));
        state.map_memory = walkers::MapMemory::default();
        state.view_saved = false;
    }
    let s = state.speed.0;
    if !(s.is_finite() && s > 0.0 && s <= 3650.0) {
        notes.push(format!("playback speed {s} reset"));
        state.speed = Speed::default();
    }
    if let WindowLen::Custom(n) = state.window
        && !(1..=3650).contains(&n)
    {
        notes.push(format!("window of {n} days clamped"));
        state.window = WindowLen::Custom(n.clamp(1, 3650));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved(state: &AppState) -> String {
        ron::to_string(state).unwrap()
    }

    #[test]
    fn one_bad_field_resets_only_itself() {
        let mut good = AppState {
            custom_template: "https://tiles.example/{z}/{x}/{y}.png".into(),
            ukrainian_names: true,
            recent: vec!["/data/a.csv".into()],
            ..AppState::default()
        };
        good.layer_mode = crate::layers::LayerMode::Density;
        let text = saved(&good).replace("window:Everything", "window:Custom(-5)");
        assert!(text.contains("Custom(-5)"), "{text}");
        let (s, notes) = load_state(&text);
        assert_eq!(s.custom_template, good.custom_template);
        assert!(s.ukrainian_names);
        assert_eq!(s.recent, good.recent);
        assert_eq!(s.layer_mode, crate::layers::LayerMode::Density);
        assert_eq!(s.window, WindowLen::default());
        assert!(notes.iter().any(|n| n.contains("window")), "{notes:?}");
    }

    #[test]
    fn broken_numbers_become_sane_values() {
        let good = AppState::default();
        let base = saved(&good);
        for (what, text) in [
            ("speed NaN", base.replace("speed:(7.0)", "speed:(NaN)")),
            ("speed inf", base.replace("speed:(7.0)", "speed:(inf)")),
            ("speed -7", base.replace("speed:(7.0)", "speed:(-7.0)")),
        ] {
            assert_ne!(text, base, "{what}: the test edits the file");
            let (s, _) = load_state(&text);
            assert_eq!(s.speed, Speed::default(), "{what}");
        }
        let mut m = AppState::default();
        m.map_memory.center_at(walkers::lat_lon(50.0, 30.0));
        let _ = m.map_memory.set_zoom(8.0);
        m.view_saved = true;
        let base = saved(&m);
        assert!(base.contains("zoom:(8.0)"), "{base}");
        for bad in ["NaN", "inf", "-50.0", "1e308"] {
            let text = base.replace("zoom:(8.0)", &format!("zoom:({bad})"));
            let (s, notes) = load_state(&text);
            let z = s.map_memory.zoom();
            assert!(
                z.is_finite() && (1.0..=19.0).contains(&z),
                "zoom {bad} → {z}"
            );
            assert!(!notes.is_empty(), "{bad}");
            assert!(!s.view_saved, "{bad}: the data is fitted instead");
        }
        // A centre off the globe, too.
        let (s, _) = load_state(&base.replacen("50.0", "NaN", 1));
        assert!(s.map_memory.detached().is_none_or(|p| p.y().is_finite()));
        let (s, _) = load_state("not ron at all (");
        assert_eq!(s.speed, Speed::default());
    }

    #[test]
    fn eframe_entries_that_would_crash_winit_are_repaired() {
        let mut memory = egui::Memory::default();
        for bad in [0.0, -1.0, f32::NAN, 1e30] {
            memory.options.zoom_factor = bad;
            let mut kv = HashMap::new();
            kv.insert("egui".to_owned(), ron::to_string(&memory).unwrap());
            kv.insert(
                "window".to_owned(),
                "(inner_size_points:Some((NaN,800.0)),outer_position_pixels:Some((-1000000000.0,0.0)))"
                    .to_owned(),
            );
            let notes = repair_entries(&mut kv);
            let fixed: egui::Memory = ron::from_str(&kv["egui"]).unwrap();
            assert_eq!(fixed.options.zoom_factor, 1.0, "{bad}");
            assert!(!kv.contains_key("window"));
            assert_eq!(notes.len(), 2);
        }
        let mut ok = HashMap::new();
        ok.insert(
            "window".to_owned(),
            "(inner_size_points:Some((1280.0,800.0)))".to_owned(),
        );
        assert!(repair_entries(&mut ok).is_empty());
    }
}
