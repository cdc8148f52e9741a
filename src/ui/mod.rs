//! Panels and windows. Every function that takes `&mut egui::Ui` is named `*_ui`; none of them
//! mutates app state: they push [`Command`]s.

pub mod detail;
pub mod file_dialog;
pub mod filters;
pub mod stats;
pub mod table;
pub mod timeline;

use crate::layers::{Layer, LayerMode};
use crate::map::tiles::{TileSourceChoice, TileStatus};
use crate::present::style;
use crate::present::text::{count_text, file_name};
use crate::state::Command;
use crate::state::SystemCommand;
use crate::state::command::SaveKind;
use crate::state::datasets::DatasetCommand;
use crate::state::datasets::LoadProblem;
use crate::state::view::ViewCommand;
use crate::store::EventStore;

/// What the top bar shows.
pub struct TopBar<'a> {
    /// The events shown (those passing the filter).
    pub store: &'a EventStore,
    /// Events loaded, before the filter.
    pub all: usize,
    /// A filter is being applied on a thread.
    pub filtering: bool,
    /// Load problems, for the warning button.
    pub problems: &'a [LoadProblem],
    /// Basemap labels in Ukrainian.
    pub ukrainian_names: bool,
    /// The active tile source.
    pub tile_source: &'a TileSourceChoice,
    /// Recently opened files, newest first.
    pub recent: &'a [std::path::PathBuf],
    /// How events are drawn (the user's choice).
    pub layer_mode: LayerMode,
    /// The layer drawn now and the events in view (estimate).
    pub layer: (Option<&'a Layer>, usize),
    /// Which datasets the user wants shown (ahead of the store while it is rebuilt).
    pub shown: &'a [bool],
    /// The store is being rebuilt for a new choice of shown datasets.
    pub reshowing: bool,
}

/// Which property event times are read from, with the file's other date properties to choose.
fn time_property_ui(
    ui: &mut egui::Ui,
    path: &std::path::Path,
    tc: &crate::import::TimeChoice,
    out: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.label("Event times from");
        let current = tc.used.clone().unwrap_or_else(|| "—".to_owned());
        egui::ComboBox::from_id_salt(("time_property", path))
            .selected_text(current)
            .show_ui(ui, |ui| {
                for k in &tc.candidates {
                    if ui
                        .selectable_label(tc.used.as_ref() == Some(k), k)
                        .clicked()
                    {
                        out.push(Command::Datasets(DatasetCommand::SetTimeProperty(
                            path.to_path_buf(),
                            k.clone(),
                        )));
                    }
                }
            })
            .response
            .on_hover_text(TIME_PROPERTY_HINT);
    });
}

/// Which sheet of a workbook is read, with its other sheets to choose (in workbook order).
fn sheet_ui(
    ui: &mut egui::Ui,
    path: &std::path::Path,
    sc: &crate::import::TimeChoice,
    out: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        let label = ui.label("Sheet");
        let current = sc.used.clone().unwrap_or_else(|| "—".to_owned());
        egui::ComboBox::from_id_salt(("sheet", path))
            .selected_text(current)
            .show_ui(ui, |ui| {
                for k in &sc.candidates {
                    if ui
                        .selectable_label(sc.used.as_ref() == Some(k), k)
                        .clicked()
                    {
                        out.push(Command::Datasets(DatasetCommand::SetSheet(
                            path.to_path_buf(),
                            k.clone(),
                        )));
                    }
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text(SHEET_HINT);
    });
}

/// Hover text of the sheet picker.
pub const SHEET_HINT: &str =
    "The workbook's sheet the events are read from; choose another to read the file again with it";

/// The CSV column mapping: for each role, the column it is read from; changing one loads the
/// file again, and the choice is remembered for files with the same header.
fn csv_columns_ui(
    ui: &mut egui::Ui,
    path: &std::path::Path,
    c: &crate::import::CsvColumns,
    open: bool,
    out: &mut Vec<Command>,
) {
    egui::CollapsingHeader::new("Columns")
        .id_salt(("csv_columns", path))
        .default_open(open)
        .show(ui, |ui| {
            ui.weak("Which column holds what. Changes load the file again and are remembered for files with this header.");
            egui::Grid::new(("csv_columns_grid", path))
                .num_columns(2)
                .show(ui, |ui| {
                    for role in crate::import::CsvRole::ALL {
                        let label = role.label();
                        let current = c
                            .roles
                            .iter()
                            .find(|(r, _)| *r == role)
                            .and_then(|(_, col)| col.clone());
                        ui.label(label);
                        egui::ComboBox::from_id_salt(("csv_column", path, role))
                            .selected_text(current.clone().unwrap_or_else(|| "(none)".to_owned()))
                            .show_ui(ui, |ui| {
                                let choose = |col: Option<String>| Command::Datasets(DatasetCommand::SetCsvColumn {
                                    path: path.to_path_buf(),
                                    signature: c.signature.clone(),
                                    role,
                                    column: col,
                                });
                                if ui.selectable_label(current.is_none(), "(none)").clicked() {
                                    out.push(choose(None));
                                }
                                for h in &c.header {
                                    if ui
                                        .selectable_label(current.as_ref() == Some(h), h)
                                        .clicked()
                                    {
                                        out.push(choose(Some(h.clone())));
                                    }
                                }
                            })
                            .response
                            .on_hover_text(format!("Column for {label}"));
                        ui.end_row();
                    }
                });
        });
}

/// Hover text (and accessible label) of the time property picker.
pub const TIME_PROPERTY_HINT: &str =
    "The property holding each event's date; choose another to load the file again with it";

/// File menu: Open… (the system's file dialog) and the recently opened files.
fn file_menu_ui(ui: &mut egui::Ui, recent: &[std::path::PathBuf], out: &mut Vec<Command>) {
    ui.menu_button("File", |ui| {
        if ui
            .button("Open…  (Ctrl+O)")
            .on_hover_text("Choose event files: CSV, TSV, GeoJSON, JSON, Excel/ODS, KML/KMZ")
            .clicked()
        {
            out.push(Command::System(SystemCommand::OpenDialog));
            ui.close();
        }
        if ui
            .button("Open with the built-in dialog…")
            .on_hover_text("A file dialog drawn by strikemap, for systems without one")
            .clicked()
        {
            out.push(Command::System(SystemCommand::OpenBuiltInDialog));
            ui.close();
        }
        if ui
            .button("Export events…")
            .on_hover_text(EXPORT_HINT)
            .clicked()
        {
            out.push(Command::System(SystemCommand::SaveDialog(SaveKind::Events)));
            ui.close();
        }
        if ui
            .button("Export map image…")
            .on_hover_text(
                "Save the map as drawn now as a PNG, with its legend, scale, attribution, the \
                 window's days, totals and filters written on it",
            )
            .clicked()
        {
            out.push(Command::System(SystemCommand::SaveDialog(
                SaveKind::MapImage,
            )));
            ui.close();
        }
        if ui
            .button("Save view…")
            .on_hover_text(
                "Save the files, map view, window, filters and selection as a .strikemap file \
                 (open it with File → Open… or `strikemap FILE.strikemap`)",
            )
            .clicked()
        {
            out.push(Command::System(SystemCommand::SaveDialog(SaveKind::View)));
            ui.close();
        }
        if ui
            .button("Load report…")
            .on_hover_text("Records read, loaded and rejected per file, and how they were read")
            .clicked()
        {
            out.push(Command::View(ViewCommand::ShowLoadReport(true)));
            ui.close();
        }
        ui.separator();
        ui.weak("Recent");
        if recent.is_empty() {
            ui.weak("Nothing yet: drop event files on the window to open them");
        }
        for p in recent {
            if ui.button(p.display().to_string()).clicked() {
                out.push(Command::Datasets(DatasetCommand::Open(vec![p.clone()])));
                ui.close();
            }
        }
    })
    .response
    .on_hover_text("Open event files, or one opened recently");
}

/// Hover text of File → Export events….
pub const EXPORT_HINT: &str = "Write the shown datasets' events in the strikemap schema: GeoJSON, or CSV by the .csv extension";

/// Picker for how events are drawn; "Auto" says what it chose.
fn layer_mode_ui(
    ui: &mut egui::Ui,
    mode: LayerMode,
    layer: (Option<&Layer>, usize),
    out: &mut Vec<Command>,
) {
    let now = match layer.0 {
        Some(Layer::Markers(..)) => "markers",
        Some(Layer::Clusters(_)) => "clusters",
        Some(Layer::Density(_)) => "density",
        None => "–",
    };
    let text = layer_mode_text(mode, now, layer.1);
    egui::ComboBox::from_id_salt("layer_mode")
        .selected_text(text)
        .show_ui(ui, |ui| {
            for m in LayerMode::ALL {
                if ui.selectable_label(m == mode, m.label()).clicked() {
                    out.push(Command::View(ViewCommand::SetLayerMode(m)));
                }
            }
        })
        .response
        .on_hover_text(LAYER_MODE_HINT);
}

/// The layer picker's text: what is drawn, and how many events of the window are on screen
/// (not in the window): "Auto: clusters · 12,345 events in view".
pub fn layer_mode_text(mode: LayerMode, drawn: &str, in_view: usize) -> String {
    let in_view = match in_view {
        0 => "no events in view".to_owned(),
        1 => "1 event in view".to_owned(),
        n => format!("{} events in view", crate::model::fmt_thousands(n as u64)),
    };
    if mode == LayerMode::Auto {
        format!("Auto: {drawn} · {in_view}")
    } else {
        format!("{} · {in_view}", mode.label())
    }
}

/// Hover text (and accessible label) of the layer mode picker.
pub const LAYER_MODE_HINT: &str = "How events are drawn: Auto shows markers up to 3 000 events in view, clusters up to 150 000, a density map above";

/// Menu of opened datasets: each with its colour, counts and a show/hide toggle. `shown` is
/// what the user chose, which the store follows once rebuilt (`reshowing` until then).
fn datasets_ui(
    ui: &mut egui::Ui,
    store: &EventStore,
    shown: &[bool],
    reshowing: bool,
    out: &mut Vec<Command>,
) {
    let all = store.all_datasets();
    if all.len() < 2 {
        return;
    }
    if reshowing {
        ui.spinner().on_hover_text("Updating the shown datasets");
    }
    ui.menu_button(format!("Datasets ({})", all.len()), |ui| {
        for (d, (data, shown)) in all.iter().zip(shown).enumerate() {
            ui.horizontal(|ui| {
                let (rect, _) =
                    ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
                ui.painter()
                    .rect_filled(rect, 2.0, style::dataset_colour(d));
                let mut on = *shown;
                let label = format!(
                    "{} · {} of {} records",
                    data.meta.name, data.meta.loaded, data.meta.records
                );
                if ui.checkbox(&mut on, label).changed() {
                    out.push(Command::Datasets(DatasetCommand::Show(
                        data.meta.id.clone(),
                        on,
                    )));
                }
            });
        }
    })
    .response
    .on_hover_text("Show or hide each opened file");
}

/// Drafts of the tile source picker's text fields (edited by commands, remembered across
/// runs); a draft becomes the source when applied.
#[derive(Clone, Copy)]
pub struct SourceEdit<'a> {
    /// Custom XYZ template being typed.
    pub template: &'a str,
    /// PMTiles path being typed.
    pub path: &'a str,
}

/// Top bar: app name, what is loaded, a button to the load report when records were lost, the
/// tile source picker, basemap language and theme.
pub fn top_bar_ui(ui: &mut egui::Ui, v: &TopBar<'_>, edit: SourceEdit<'_>, out: &mut Vec<Command>) {
    egui::Panel::top("top_bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.heading("strikemap");
            ui.separator();
            file_menu_ui(ui, v.recent, out);
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                theme_ui(ui, out);
                let mut uk = v.ukrainian_names;
                if ui
                    .checkbox(&mut uk, "Українські назви")
                    .on_hover_text(
                        "Label the built-in map in Ukrainian where a Ukrainian name is known",
                    )
                    .changed()
                {
                    out.push(Command::View(ViewCommand::UkrainianNames(uk)));
                }
                tile_source_ui(ui, v.tile_source, edit, out);
                layer_mode_ui(ui, v.layer_mode, v.layer, out);
                datasets_ui(ui, v.store, v.shown, v.reshowing, out);
                // File names only (a long path would cut them off); the paths on hover.
                let paths: Vec<&str> = v.store.datasets().map(|d| d.name.as_str()).collect();
                let names: Vec<String> = paths.iter().map(|p| file_name(p)).collect();
                let count = if v.filtering {
                    format!("filtering… {} events", v.all)
                } else if v.store.len() == v.all {
                    count_text(v.all, "event", "events")
                } else {
                    format!("{} of {} events", v.store.len(), v.all)
                };
                let loaded = format!(
                    "{count} · {}",
                    if names.is_empty() {
                        "no data".to_owned()
                    } else {
                        names.join(", ")
                    }
                );
                let rejected: usize = v.problems.iter().map(|p| p.rejected.len()).sum();
                let failed = v.problems.iter().filter(|p| p.error.is_some()).count();
                if rejected > 0 || failed > 0 {
                    let records = |r: usize| {
                        if r == 1 {
                            "1 record not loaded".to_owned()
                        } else {
                            format!("{r} records not loaded")
                        }
                    };
                    let files = |f: usize| {
                        if f == 1 {
                            "1 file".to_owned()
                        } else {
                            format!("{f} files")
                        }
                    };
                    let text = match (failed, rejected) {
                        (0, r) => format!("⚠ {}", records(r)),
                        (f, 0) => format!("⚠ {} could not be read", files(f)),
                        (f, r) => format!("⚠ {} unreadable, {}", files(f), records(r)),
                    };
                    if ui
                        .button(text)
                        .on_hover_text("Show the load report")
                        .clicked()
                    {
                        out.push(Command::View(ViewCommand::ShowLoadReport(true)));
                    }
                }
                // Added last in this right-to-left row, so it takes what room is left and
                // truncates instead of running under the controls.
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    let r = ui.add(egui::Label::new(loaded).truncate());
                    if !paths.is_empty() {
                        r.on_hover_text(paths.join("\n"));
                    }
                });
            });
        });
    });
}

/// Accessible label of the custom tile URL template field.
pub const TEMPLATE_LABEL: &str = "Tile URL template";

/// Picker for the tile source; custom templates and PMTiles paths are typed and applied.
fn tile_source_ui(
    ui: &mut egui::Ui,
    current: &TileSourceChoice,
    edit: SourceEdit<'_>,
    out: &mut Vec<Command>,
) {
    // Laid out right to left: the apply field comes first so it ends up right of the combo.
    match current {
        TileSourceChoice::Custom(_) | TileSourceChoice::PmTiles(_) => {
            type Make = fn(&str) -> TileSourceChoice;
            type Edit = fn(String) -> ViewCommand;
            let (draft, hint, make, edited): (&str, &str, Make, Edit) =
                if matches!(current, TileSourceChoice::Custom(_)) {
                    (
                        edit.template,
                        "https://…/{z}/{x}/{y}.png",
                        |s| TileSourceChoice::Custom(s.trim().to_owned()),
                        ViewCommand::EditTemplate,
                    )
                } else {
                    (
                        edit.path,
                        "/path/to/tiles.pmtiles",
                        |s| TileSourceChoice::PmTiles(s.trim().into()),
                        ViewCommand::EditPmtilesPath,
                    )
                };
            // The field edits a copy of the draft; the edit is a command, applied this frame.
            let mut buf = draft.to_owned();
            if ui
                .button("Apply")
                .on_hover_text("Use this tile source")
                .clicked()
            {
                out.push(Command::View(ViewCommand::SetTileSource(make(&buf))));
            }
            let r = ui.add(
                egui::TextEdit::singleline(&mut buf)
                    .hint_text(hint)
                    .desired_width(240.0),
            );
            let label = if matches!(current, TileSourceChoice::Custom(_)) {
                TEMPLATE_LABEL
            } else {
                "PMTiles file path"
            };
            r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, label));
            if r.changed() {
                out.push(Command::View(edited(buf.clone())));
            }
            if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                out.push(Command::View(ViewCommand::SetTileSource(make(&buf))));
            }
        }
        _ => {}
    }
    let mut picked: Option<TileSourceChoice> = None;
    egui::ComboBox::from_id_salt("tile_source")
        .selected_text(format!("Map: {}", current.label()))
        .show_ui(ui, |ui| {
            for c in [
                TileSourceChoice::OpenStreetMap,
                TileSourceChoice::OpenTopoMap,
                TileSourceChoice::BuiltIn,
                TileSourceChoice::Custom(edit.template.to_owned()),
                TileSourceChoice::PmTiles(edit.path.into()),
            ] {
                let selected = std::mem::discriminant(current) == std::mem::discriminant(&c);
                if ui.selectable_label(selected, c.label()).clicked() {
                    picked = Some(c);
                }
            }
        })
        .response
        .on_hover_text("Tile source");
    if let Some(c) = picked
        && &c != current
    {
        out.push(Command::View(ViewCommand::SetTileSource(c)));
    }
}

/// What the status bar shows.
#[derive(Clone, Copy)]
pub struct StatusBar<'a> {
    /// A passing message (e.g. after the file dialog).
    pub notice: Option<&'a str>,
    /// Loaded events.
    pub store: &'a EventStore,
    /// What the tile layer is doing.
    pub status: TileStatus,
    /// The tile source's error, if any.
    pub error: Option<&'a str>,
    /// When tiles are tried again.
    pub next_retry: Option<std::time::Instant>,
    /// Files loading, with the fraction done when known.
    pub loading: &'a [(std::path::PathBuf, Option<f32>)],
    /// The file events are being exported to, with the fraction done when known.
    pub exporting: Option<(&'a std::path::Path, Option<f32>)>,
}

/// Bottom status bar: files loading (with cancel), tile status (and retry countdown), source
/// errors, what is loaded.
pub fn status_bar_ui(ui: &mut egui::Ui, v: &StatusBar<'_>, out: &mut Vec<Command>) {
    let StatusBar {
        notice,
        store,
        status,
        error,
        next_retry,
        loading,
        exporting,
    } = *v;
    egui::Panel::bottom("status_bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            for (p, fraction) in loading {
                let name = p
                    .file_name()
                    .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into());
                match fraction {
                    Some(f) => {
                        ui.add(
                            egui::ProgressBar::new(*f)
                                .desired_width(160.0)
                                .show_percentage(),
                        )
                        .on_hover_text(format!("Loading {}", p.display()));
                    }
                    None => {
                        ui.spinner();
                    }
                }
                ui.label(format!("Loading {name}…"));
                if ui.small_button("Cancel").clicked() {
                    out.push(Command::Datasets(DatasetCommand::Cancel(p.clone())));
                }
                ui.separator();
            }
            if let Some((p, fraction)) = exporting {
                exporting_ui(ui, p, fraction);
            }
            if let Some(n) = notice {
                ui.colored_label(ui.visuals().warn_fg_color, n);
                ui.separator();
            }
            let colour = match status {
                s if s.failing() => ui.visuals().warn_fg_color,
                _ => ui.visuals().weak_text_color(),
            };
            let mut text = format!("Map: {}", status.label());
            if let Some(at) = next_retry {
                text.push_str(&retry_text(at, std::time::Instant::now()));
            }
            ui.colored_label(colour, text);
            if let Some(e) = error {
                ui.separator();
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let files = store.datasets().count();
                ui.weak(format!(
                    "{} from {}",
                    count_text(store.len(), "event", "events"),
                    count_text(files, "file", "files")
                ));
            });
        });
    });
}

/// An export under way in the status bar: how far, and where to.
fn exporting_ui(ui: &mut egui::Ui, path: &std::path::Path, fraction: Option<f32>) {
    let to = format!("Exporting to {}", path.display());
    match fraction {
        Some(f) => {
            ui.add(
                egui::ProgressBar::new(f)
                    .desired_width(120.0)
                    .show_percentage(),
            )
            .on_hover_text(&to);
        }
        None => {
            ui.spinner().on_hover_text(&to);
        }
    }
    ui.label(format!(
        "Exporting to {}…",
        file_name(&path.display().to_string())
    ));
    ui.separator();
}

/// When tiles are tried again, as a clock time ("next try at 14:05:30"): a countdown would
/// need a frame every second while the app is otherwise idle.
fn retry_text(at: std::time::Instant, now: std::time::Instant) -> String {
    let left = at.saturating_duration_since(now);
    if left.is_zero() {
        // Due, but downloads still in flight are given time to finish first.
        return " · retrying soon".to_owned();
    }
    let wall = jiff::Zoned::now().checked_add(left).ok();
    match wall {
        Some(t) => format!(" · next try at {}", t.strftime("%H:%M:%S")),
        None => " · retrying later".to_owned(),
    }
}

/// While files are dragged over the window: a hint that dropping opens them.
pub fn drop_hint_ui(ui: &mut egui::Ui) {
    let hovering = ui.input(|i| !i.raw.hovered_files.is_empty());
    if !hovering {
        return;
    }
    let rect = ui.ctx().content_rect();
    let painter = ui.ctx().layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("drop_hint"),
    ));
    painter.rect_filled(rect, 0.0, egui::Color32::from_black_alpha(160));
    painter.text(
        rect.center(),
        egui::Align2::CENTER_CENTER,
        "Drop to open: GeoJSON, CSV/TSV, Excel/ODS, KML/KMZ, GDELT, TimeMap JSON",
        egui::FontId::proportional(20.0),
        egui::Color32::WHITE,
    );
}

/// The load report, docked at the right: per file, records read, why records were rejected
/// (the first few of each reason), and the choices that decide how it is read.
pub fn load_report_ui(ui: &mut egui::Ui, problems: &[LoadProblem], out: &mut Vec<Command>) {
    egui::Panel::right("load_report")
        .resizable(true)
        .default_size(380.0)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading("Load report");
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui
                        .button("Close")
                        .on_hover_text("Hide the load report")
                        .clicked()
                    {
                        out.push(Command::View(ViewCommand::ShowLoadReport(false)));
                    }
                });
            });
            ui.separator();
            egui::ScrollArea::vertical().show(ui, |ui| {
                if problems.is_empty() {
                    ui.weak("Nothing loaded yet.");
                }
                for p in problems {
                    load_problem_ui(ui, p, out);
                    ui.separator();
                }
            });
        });
}

/// One file of the load report.
fn load_problem_ui(ui: &mut egui::Ui, p: &LoadProblem, out: &mut Vec<Command>) {
    ui.add(egui::Label::new(egui::RichText::new(file_name(&p.file)).strong()).wrap())
        .on_hover_text(&p.file);
    if let Some(e) = &p.error {
        ui.add(
            egui::Label::new(
                egui::RichText::new(format!("Could not read: {e}"))
                    .color(ui.visuals().error_fg_color),
            )
            .wrap(),
        );
        if let (Some(path), Some(sc)) = (p.path(), &p.sheet_choice) {
            sheet_ui(ui, path, sc, out);
        }
        if let (Some(path), Some(c)) = (p.path(), &p.csv_columns) {
            ui.label("Choose below which columns hold the coordinates and the date:");
            csv_columns_ui(ui, path, c, true, out);
        }
        return;
    }
    let loaded = p.records - p.rejected.len();
    ui.label(format!(
        "{} records · {} loaded · {} rejected",
        p.records,
        loaded,
        p.rejected.len()
    ));
    if let (Some(path), Some(sc)) = (p.path(), &p.sheet_choice) {
        sheet_ui(ui, path, sc, out);
    }
    if let (Some(path), Some(tc)) = (p.path(), &p.time_choice) {
        time_property_ui(ui, path, tc, out);
    }
    if let (Some(path), Some(c)) = (p.path(), &p.csv_columns) {
        csv_columns_ui(ui, path, c, false, out);
    }
    if !p.notes.is_empty() {
        ui.label("How it was read:");
        for n in &p.notes {
            let text = format!("   {}", crate::import::quote_input(n, 600));
            ui.add(egui::Label::new(egui::RichText::new(text).weak()).wrap());
        }
    }
    let mut reasons: Vec<crate::import::RejectReason> =
        p.rejected.iter().map(|r| r.reason).collect();
    reasons.sort();
    reasons.dedup();
    for reason in reasons {
        let of: Vec<_> = p.rejected.iter().filter(|r| r.reason == reason).collect();
        ui.label(format!("{}: {}", reason.label(), of.len()));
        for r in of.iter().take(5) {
            ui.add(
                egui::Label::new(
                    egui::RichText::new(format!(
                        "   {} — {}",
                        r.record,
                        crate::import::quote_input(&r.detail, 200)
                    ))
                    .weak(),
                )
                .wrap(),
            );
        }
    }
}

/// Light / dark switch with text labels (the emoji icons of egui's own switch are not in the
/// bundled fonts).
fn theme_ui(ui: &mut egui::Ui, out: &mut Vec<Command>) {
    let dark = ui.visuals().dark_mode;
    let (text, theme) = if dark {
        ("Light theme", egui::Theme::Light)
    } else {
        ("Dark theme", egui::Theme::Dark)
    };
    if ui.button(text).clicked() {
        out.push(Command::View(ViewCommand::SetTheme(theme)));
    }
}
