//! Colours and visuals shared by the map and the panels.

use egui::Color32;

use crate::model::Weapon;

/// Highlight colour of the selected event.
pub const SELECTION: Color32 = Color32::from_rgb(255, 212, 59);

/// Marker colour per weapon. Chosen to stay distinguishable for the common colour-vision
/// deficiencies and on both light and dark maps.
pub fn weapon_colour(w: Weapon) -> Color32 {
    match w {
        Weapon::Drone => Color32::from_rgb(230, 97, 1),
        Weapon::CruiseMissile => Color32::from_rgb(204, 37, 119),
        Weapon::BallisticMissile => Color32::from_rgb(117, 62, 201),
        Weapon::GuidedBomb => Color32::from_rgb(28, 126, 214),
        Weapon::Artillery => Color32::from_rgb(47, 140, 62),
        Weapon::Other => Color32::from_rgb(150, 110, 70),
        Weapon::Unknown => Color32::from_rgb(128, 134, 144),
    }
}

/// Background behind the map (what shows where no tile is drawn).
pub fn map_background(v: &egui::Visuals) -> Color32 {
    if v.dark_mode {
        Color32::from_rgb(28, 34, 42)
    } else {
        Color32::from_rgb(214, 224, 232)
    }
}

/// Opaque fill behind overlays (legend, scale bar, buttons): nothing on the map shows through.
pub fn overlay_fill(v: &egui::Visuals) -> Color32 {
    if v.dark_mode {
        Color32::from_rgb(20, 22, 26)
    } else {
        Color32::from_rgb(255, 255, 255)
    }
}

/// Fill of country-level badges.
pub fn badge_fill(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgba_unmultiplied(30, 30, 34, 230)
    } else {
        Color32::from_rgba_unmultiplied(255, 255, 255, 235)
    }
}

/// Text of country-level badges.
pub fn badge_text(dark: bool) -> Color32 {
    if dark {
        Color32::from_gray(230)
    } else {
        Color32::from_gray(30)
    }
}

/// Symbols (arrows, ▶, ⚠, ●) that egui's bundled Ubuntu font lacks, as a fallback font, so the
/// UI renders the same on every machine whatever system fonts it has.
const SYMBOL_FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-symbols.ttf");

/// The few pictographs the built-in file dialog (egui_file) labels folders, files and its
/// title with (📂 📁 💾 from Noto Emoji, OFL; 🗀 🗋 from egui's emoji-icon-font, MIT), which
/// egui 0.37 no longer bundles: subsets of 2 kB and 1 kB.
const DIALOG_FONTS: [(&str, &[u8]); 2] = [
    (
        "noto-emoji-dialog",
        include_bytes!("../../assets/fonts/NotoEmoji-dialog.ttf"),
    ),
    (
        "emoji-icon-dialog",
        include_bytes!("../../assets/fonts/emoji-icon-dialog.ttf"),
    ),
];

/// App-wide style tweaks and fonts, applied once at start.
pub fn apply(ctx: &egui::Context) {
    use egui::epaint::text::{FontInsert, FontPriority, InsertFontFamily};
    let fallback = || {
        vec![
            InsertFontFamily {
                family: egui::FontFamily::Proportional,
                priority: FontPriority::Lowest,
            },
            InsertFontFamily {
                family: egui::FontFamily::Monospace,
                priority: FontPriority::Lowest,
            },
        ]
    };
    ctx.add_font(FontInsert::new(
        "dejavu-symbols",
        egui::FontData::from_static(SYMBOL_FONT),
        fallback(),
    ));
    for (name, bytes) in DIALOG_FONTS {
        ctx.add_font(FontInsert::new(
            name,
            egui::FontData::from_static(bytes),
            fallback(),
        ));
    }
    ctx.all_styles_mut(|s| {
        s.spacing.item_spacing = egui::vec2(8.0, 5.0);
        s.interaction.tooltip_delay = 0.0;
    });
}

/// A distinct colour per opened dataset (by opening order), unlike every weapon colour, since
/// markers carry both (fill = weapon, ring = dataset).
pub fn dataset_colour(i: usize) -> Color32 {
    const PALETTE: [Color32; 6] = [
        Color32::from_rgb(240, 200, 40),  // yellow
        Color32::from_rgb(60, 210, 230),  // cyan
        Color32::from_rgb(240, 240, 240), // white
        Color32::from_rgb(170, 230, 60),  // lime
        Color32::from_rgb(230, 50, 50),   // red
        Color32::from_rgb(20, 20, 20),    // black
    ];
    PALETTE[i % PALETTE.len()]
}
