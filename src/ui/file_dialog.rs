//! File → Open and File → Export events…: the system's file dialog (rfd, on its own thread)
//! when the system has one, else — or when it turns out to have none — a file dialog drawn by
//! egui itself (egui_file), so a file can always be opened or saved, also on a desktop without
//! xdg-desktop-portal or zenity.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::state::job::{Job, Polled};

/// A native dialog that answers "nothing chosen" sooner than this after it was asked for
/// could not have been shown to a user (nobody cancels that fast): the system has no dialog
/// service, and the built-in dialog opens instead.
const NO_SERVICE_WITHIN: Duration = Duration::from_millis(1500);

/// A system dialog under way: when it was asked for, its answer (on its thread), and the
/// folder the built-in dialog starts in if it must stand in.
type NativeDialog = (Instant, Job<Option<Vec<PathBuf>>>, Option<PathBuf>);

/// What the open-file dialogs did this frame.
#[derive(Debug, PartialEq)]
pub enum DialogOutcome {
    /// Still open (or none open).
    Pending,
    /// The user chose these files.
    Chosen(Vec<PathBuf>),
    /// The user closed the dialog without choosing.
    Cancelled,
    /// The system dialog could not be shown; the built-in one is open now.
    FellBack,
}

/// The open-file dialog, native or built in.
#[derive(Default)]
pub struct OpenDialog {
    /// The native dialog running on its thread, when it was started, its answer, and the
    /// folder the built-in one starts in if it must stand in.
    native: Option<NativeDialog>,
    /// The built-in dialog, while open.
    builtin: Option<egui_file::FileDialog>,
}

impl OpenDialog {
    /// Whether a dialog is open.
    pub fn is_open(&self) -> bool {
        self.native.is_some() || self.builtin.is_some()
    }

    /// Open a dialog: the system's when `native` is allowed and the system seems to have one,
    /// else the built-in one. Does nothing while one is open.
    pub fn open(&mut self, ctx: &egui::Context, native: bool, start_in: Option<PathBuf>) {
        if self.is_open() {
            return;
        }
        if native && native_dialog_possible() {
            // The dialog blocks its thread until the user answers; the window keeps drawing.
            let job = Job::spawn(ctx, |_| {
                rfd::FileDialog::new()
                    .set_title("Open event files")
                    .add_filter(
                        "Event files",
                        &[
                            "csv", "tsv", "txt", "json", "geojson", "xlsx", "xlsm", "xlsb", "xls",
                            "ods", "kml", "kmz", "CSV", "JSON", "XLSX", "XLS", "ODS", "KML", "KMZ",
                        ],
                    )
                    .add_filter("All files", &["*"])
                    .pick_files()
            });
            self.native = Some((Instant::now(), job, start_in));
        } else {
            self.open_builtin(start_in);
        }
    }

    /// Open the built-in dialog (File → Open with the built-in dialog…, or the fallback).
    pub fn open_builtin(&mut self, start_in: Option<PathBuf>) {
        let mut d = egui_file::FileDialog::open_file()
            .title("Open event files")
            .multi_select(true)
            .show_new_folder(false)
            .show_rename(false)
            .default_size(egui::vec2(640.0, 460.0));
        if let Some(dir) = start_in.filter(|d| d.is_dir()) {
            d = d.initial_path(dir);
        }
        d.open();
        self.builtin = Some(d);
    }

    /// Draw the built-in dialog and collect any answer.
    pub fn show_ui(&mut self, ctx: &egui::Context) -> DialogOutcome {
        if let Some((asked, job, start_in)) = &self.native {
            match job.poll() {
                Polled::Done(Some(files)) if !files.is_empty() => {
                    self.native = None;
                    return DialogOutcome::Chosen(files);
                }
                Polled::Done(_) | Polled::Lost => {
                    let quick = asked.elapsed() < NO_SERVICE_WITHIN;
                    let start_in = start_in.clone();
                    self.native = None;
                    if quick {
                        self.open_builtin(start_in);
                        return DialogOutcome::FellBack;
                    }
                    return DialogOutcome::Cancelled;
                }
                Polled::Pending => return DialogOutcome::Pending,
            }
        }
        let Some(d) = &mut self.builtin else {
            return DialogOutcome::Pending;
        };
        d.show(ctx);
        match d.state() {
            egui_file::State::Open => DialogOutcome::Pending,
            egui_file::State::Selected => {
                let mut files: Vec<PathBuf> =
                    d.selection().into_iter().map(PathBuf::from).collect();
                if files.is_empty() {
                    files.extend(d.path().map(PathBuf::from));
                }
                self.builtin = None;
                if files.is_empty() {
                    DialogOutcome::Cancelled
                } else {
                    DialogOutcome::Chosen(files)
                }
            }
            egui_file::State::Cancelled | egui_file::State::Closed => {
                self.builtin = None;
                DialogOutcome::Cancelled
            }
        }
    }
}

/// A system save dialog under way: when it was asked for, its answer (on its thread), and
/// the folder the built-in dialog starts in if it must stand in.
type NativeSave = (Instant, Job<Option<PathBuf>>, Option<PathBuf>);

/// The name an export is offered under.
pub const EXPORT_FILE_NAME: &str = SavePurpose::Events.file_name();

/// What a save dialog is asked for (kept with the commands that ask for it).
pub use crate::state::command::SaveKind as SavePurpose;

/// The save-file dialog of File → Export events… and File → Save view…, native or built in
/// (as [`OpenDialog`]).
#[derive(Default)]
pub struct ExportDialog {
    /// The native dialog running on its thread.
    native: Option<NativeSave>,
    /// The built-in dialog, while open.
    builtin: Option<egui_file::FileDialog>,
    /// What the open dialog is for.
    purpose: SavePurpose,
}

impl ExportDialog {
    /// What the dialog open now (or last) is for.
    pub fn purpose(&self) -> SavePurpose {
        self.purpose
    }

    /// Ask where to save for `purpose` (see [`Self::open`]).
    pub fn open_for(
        &mut self,
        ctx: &egui::Context,
        purpose: SavePurpose,
        native: bool,
        start_in: Option<PathBuf>,
    ) {
        if !self.is_open() {
            self.purpose = purpose;
            self.open(ctx, native, start_in);
        }
    }

    /// Whether a dialog is open.
    pub fn is_open(&self) -> bool {
        self.native.is_some() || self.builtin.is_some()
    }

    /// Ask where to export, starting in `start_in`: the system's dialog when `native` is
    /// allowed and the system seems to have one, else the built-in one. Does nothing while one
    /// is open.
    pub fn open(&mut self, ctx: &egui::Context, native: bool, start_in: Option<PathBuf>) {
        if self.is_open() {
            return;
        }
        if native && native_dialog_possible() {
            let dir = start_in.clone();
            let purpose = self.purpose;
            let job = Job::spawn(ctx, move |_| {
                let d = rfd::FileDialog::new()
                    .set_title(purpose.title())
                    .set_file_name(purpose.file_name());
                let mut d = purpose
                    .filters()
                    .iter()
                    .fold(d, |d, (name, exts)| d.add_filter(*name, exts));
                if let Some(dir) = dir.filter(|d| d.is_dir()) {
                    d = d.set_directory(dir);
                }
                d.save_file()
            });
            self.native = Some((Instant::now(), job, start_in));
        } else {
            self.open_builtin(start_in);
        }
    }

    /// Open the built-in save dialog.
    fn open_builtin(&mut self, start_in: Option<PathBuf>) {
        let mut d = egui_file::FileDialog::save_file()
            .title(self.purpose.title())
            .default_filename(self.purpose.file_name())
            .show_new_folder(false)
            .show_rename(false)
            .default_size(egui::vec2(640.0, 460.0));
        if let Some(dir) = start_in.filter(|d| d.is_dir()) {
            d = d.initial_path(dir);
        }
        d.open();
        self.builtin = Some(d);
    }

    /// Draw the built-in dialog and collect any answer: the file to write (`.geojson` added
    /// to a name without an extension), as a one-element [`DialogOutcome::Chosen`].
    pub fn show_ui(&mut self, ctx: &egui::Context) -> DialogOutcome {
        let ext = self.purpose.extension();
        let chosen = |p: PathBuf| {
            let p = if p.extension().is_none() {
                p.with_extension(ext)
            } else {
                p
            };
            DialogOutcome::Chosen(vec![p])
        };
        if let Some((asked, job, start_in)) = &self.native {
            return match job.poll() {
                Polled::Pending => DialogOutcome::Pending,
                Polled::Done(Some(path)) => {
                    self.native = None;
                    chosen(path)
                }
                Polled::Done(None) | Polled::Lost => {
                    let quick = asked.elapsed() < NO_SERVICE_WITHIN;
                    let start_in = start_in.clone();
                    self.native = None;
                    if quick {
                        self.open_builtin(start_in);
                        DialogOutcome::FellBack
                    } else {
                        DialogOutcome::Cancelled
                    }
                }
            };
        }
        let Some(d) = &mut self.builtin else {
            return DialogOutcome::Pending;
        };
        d.show(ctx);
        match d.state() {
            egui_file::State::Open => DialogOutcome::Pending,
            egui_file::State::Selected => {
                let path = d.path().map(PathBuf::from);
                self.builtin = None;
                path.map_or(DialogOutcome::Cancelled, chosen)
            }
            egui_file::State::Cancelled | egui_file::State::Closed => {
                self.builtin = None;
                DialogOutcome::Cancelled
            }
        }
    }
}

/// Whether the system may have a file dialog service: on Linux and the BSDs, rfd needs
/// xdg-desktop-portal (over the session D-Bus) or zenity; elsewhere the system always has one.
fn native_dialog_possible() -> bool {
    if !cfg!(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd"
    )) {
        return true;
    }
    let on_path = |exe: &str| {
        std::env::var_os("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(exe).is_file()))
    };
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() || on_path("zenity")
}
