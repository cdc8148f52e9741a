//! Persisted settings are checked before they are used: a damaged or hand-edited settings
//! file must never crash the app at every start, blank the map or lose the rest of the state.
//!
//! Two places: eframe's own entries (egui's memory with the zoom factor, the window's size
//! and position), repaired in the file before eframe reads it, since eframe hands them to
//! winit, which panics on an invalid scale factor; and the app's own state, read field by
//! field ([`read_fields`]) so one unreadable field is reset alone (the app then clamps the
//! values: `AppState::sanitize`).

use std::collections::HashMap;
use std::path::Path;

use serde::de::DeserializeOwned;

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

/// A `#[serde(default)]` struct from its RON text, each field read on its own: an unreadable
/// one is left at its default and named in the notes, the others are kept as written.
pub fn read_fields<T: DeserializeOwned + Default>(text: &str) -> (T, Vec<String>) {
    let mut notes = Vec::new();
    let Some(fields) = top_level_fields(text) else {
        notes.push("settings unreadable: defaults".to_owned());
        return (T::default(), notes);
    };
    // Each field is tried as a state of its own (the others default), on its exact text, so
    // enum values and the rest survive as written.
    let kept: Vec<&str> = fields
        .into_iter()
        .filter(|f| {
            let ok = ron::from_str::<T>(&format!("({f})")).is_ok();
            if !ok {
                let name = f.split(':').next().unwrap_or(f).trim();
                notes.push(format!("setting {} unreadable: reset", quote(name)));
            }
            ok
        })
        .collect();
    let state = ron::from_str::<T>(&format!("({})", kept.join(","))).unwrap_or_default();
    (state, notes)
}

/// A setting's name as it may appear in a note.
fn quote(name: &str) -> String {
    name.chars()
        .take(40)
        .collect::<String>()
        .escape_debug()
        .to_string()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
    #[serde(default)]
    struct Saved {
        name: String,
        count: u32,
        mode: Option<Mode>,
        list: Vec<String>,
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    enum Mode {
        Dense,
        Custom(u32),
    }

    #[test]
    fn one_bad_field_is_reset_alone_and_values_survive_as_written() {
        let good = Saved {
            name: "a, (b) \"c\"".into(),
            count: 3,
            mode: Some(Mode::Dense),
            list: vec!["x".into(), "y,z".into()],
        };
        let text = ron::to_string(&good).unwrap();
        let (back, notes) = read_fields::<Saved>(&text);
        assert_eq!(back, good);
        assert!(notes.is_empty());
        let broken = text.replace("count:3", "count:-5");
        assert_ne!(broken, text);
        let (back, notes) = read_fields::<Saved>(&broken);
        assert_eq!(back.count, 0);
        assert_eq!(
            (back.name, back.mode, back.list),
            (good.name, good.mode, good.list)
        );
        assert_eq!(notes.len(), 1, "{notes:?}");
        let (_, notes) = read_fields::<Saved>("not ron (");
        assert_eq!(notes.len(), 1);
        let _ = Mode::Custom(1);
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
