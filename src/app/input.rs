//! Keys and file dialogs: what reaches the app from outside the panels, turned into
//! commands.

use super::StrikemapApp;
use crate::state::datasets::DatasetCommand;
use crate::state::map::MapCommand;
use crate::state::selection::SelectCommand;
use crate::state::{Command, SystemCommand};
use crate::timeline::TimelineCommand;
use crate::ui;

impl StrikemapApp {
    /// Keys: Ctrl+O anywhere; Space, arrows and Escape unless a widget has the keyboard.
    pub(super) fn handle_keys(&mut self, ctx: &egui::Context) {
        let open = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::O);
        if ctx.input_mut(|i| i.consume_shortcut(&open)) {
            self.commands
                .push(Command::System(SystemCommand::OpenDialog));
        }
        // A focused widget (a text field, or a button reached with Tab, which Space would
        // press) keeps the keys; so does the file dialog.
        if ctx.egui_wants_keyboard_input() || self.dialog.is_open() || self.export_dialog.is_open()
        {
            return;
        }
        ctx.input(|i| {
            if i.key_pressed(egui::Key::Space) {
                self.commands
                    .push(Command::Timeline(TimelineCommand::TogglePlay));
            }
            for (key, dir) in [(egui::Key::ArrowLeft, -1), (egui::Key::ArrowRight, 1)] {
                if i.key_pressed(key) {
                    self.commands.push(Command::Timeline(if i.modifiers.shift {
                        TimelineCommand::JumpEvent(dir)
                    } else {
                        TimelineCommand::StepWindow(dir)
                    }));
                }
            }
            if i.key_pressed(egui::Key::Escape) {
                self.commands
                    .push(Command::Select(SelectCommand::Select(None)));
            }
        });
        if self.view.panels.table {
            let (up, down, enter) = ctx.input(|i| {
                (
                    i.key_pressed(egui::Key::ArrowUp),
                    i.key_pressed(egui::Key::ArrowDown),
                    i.key_pressed(egui::Key::Enter),
                )
            });
            for (on, d) in [(up, -1), (down, 1)] {
                if on {
                    self.step_table(ctx, d);
                }
            }
            if enter && let Some(i) = self.selection.selected {
                self.commands.push(Command::Map(MapCommand::ZoomTo(i)));
            }
        }
    }

    /// Files chosen in the file dialog are opened like dropped ones; the file chosen in the
    /// export dialog is written.
    pub(super) fn dialog_ui(&mut self, ctx: &egui::Context) {
        use ui::file_dialog::DialogOutcome;
        const FELL_BACK: &str = "The system's file dialog is not available (it needs \
                                 xdg-desktop-portal or zenity): using the built-in one";
        match self.dialog.show_ui(ctx) {
            DialogOutcome::Pending => {}
            DialogOutcome::Chosen(files) => {
                self.apply(ctx, Command::Datasets(DatasetCommand::Open(files)));
            }
            DialogOutcome::Cancelled => self.say("No file chosen".to_owned()),
            DialogOutcome::FellBack => self.say(FELL_BACK.to_owned()),
        }
        match self.export_dialog.show_ui(ctx) {
            DialogOutcome::Pending => {}
            DialogOutcome::Chosen(files) => {
                for path in files {
                    let c = match self.export_dialog.purpose() {
                        ui::file_dialog::SavePurpose::View => {
                            Command::System(SystemCommand::SaveView(path))
                        }
                        ui::file_dialog::SavePurpose::Events => {
                            let f = self.filters.filter.clone();
                            Command::Datasets(DatasetCommand::ExportFiltered(path, f))
                        }
                        ui::file_dialog::SavePurpose::MapImage => {
                            Command::System(SystemCommand::SaveMapImage(path))
                        }
                        ui::file_dialog::SavePurpose::Stats => {
                            Command::System(SystemCommand::SaveStats(path))
                        }
                    };
                    self.apply(ctx, c);
                }
            }
            DialogOutcome::Cancelled => self.say("Nothing exported".to_owned()),
            DialogOutcome::FellBack => self.say(FELL_BACK.to_owned()),
        }
    }
}
