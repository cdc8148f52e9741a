//! Requests that reach outside the app (clipboard, browser, file dialogs) and the files
//! written from what it shows: the map as a PNG (File → Export map image…) and the
//! statistics as CSV (the statistics panel's Save CSV…).

use super::StrikemapApp;
use crate::map::overlay::Caption;
use crate::present::text::{count_text, day_range_text, file_name, part_label, summary_text};
use crate::state::{SystemCommand, command::web_link};

impl StrikemapApp {
    /// Requests to the system: clipboard, browser, file dialog.
    pub(super) fn system(&mut self, ctx: &egui::Context, command: SystemCommand) {
        match command {
            SystemCommand::Copy(text) => ctx.copy_text(text),
            SystemCommand::OpenUrl(url) => {
                if let Some(url) = web_link(&url) {
                    ctx.open_url(egui::OpenUrl::new_tab(url));
                }
            }
            SystemCommand::OpenDialog => {
                self.dialogs_requested += 1;
                let start_in = self.recent_dir();
                self.dialog.open(ctx, self.native_dialogs, start_in);
            }
            SystemCommand::OpenBuiltInDialog => {
                self.dialogs_requested += 1;
                let start_in = self.recent_dir();
                self.dialog.open_builtin(start_in);
            }
            SystemCommand::SaveDialog(kind) => {
                let start_in = self.recent_dir();
                let native = self.native_dialogs;
                self.export_dialog.open_for(ctx, kind, native, start_in);
            }
            SystemCommand::SaveView(path) => match self.save_view(&path) {
                Ok(()) => self.say(format!("View saved to {}", path.display())),
                Err(e) => self.say(e),
            },
            SystemCommand::SaveMapImage(path) => {
                if !self.map_image.request(path) {
                    self.say("A map image is being saved already".to_owned());
                }
            }
            SystemCommand::SaveStats(path) => match self.save_stats(&path) {
                Ok(()) => self.say(format!("Statistics saved to {}", path.display())),
                Err(e) => self.say(e),
            },
        }
    }

    /// The caption burnt into an exported map image: the window's days, its totals (and the
    /// attack-level totals when there are any), the filter and the files shown.
    pub(super) fn caption(&mut self) -> Caption {
        let (from, to) = self.timeline.window();
        let shown = self.store().len();
        let all = self.datasets.store().len();
        let mut lines = vec![summary_text(self.window.summary)];
        let b = self.stats();
        if b.attacks.records > 0 {
            lines.push(format!(
                "{} · {} launched · {} intercepted",
                count_text(
                    b.attacks.records,
                    "attack-level record",
                    "attack-level records"
                ),
                b.attacks.launched.sum,
                b.attacks.intercepted.sum,
            ));
        }
        let f = &self.filters.filter;
        if !f.is_empty() {
            let parts: Vec<String> = f.parts().iter().map(|p| part_label(f, p)).collect();
            lines.push(format!(
                "Filter: {} ({} of {})",
                parts.join(" · "),
                crate::model::fmt_thousands(shown as u64),
                count_text(all, "event", "events"),
            ));
        }
        let files: Vec<String> = self
            .datasets
            .store()
            .datasets()
            .map(|d| file_name(&d.name))
            .collect();
        if !files.is_empty() {
            lines.push(format!("Data: {}", files.join(", ")));
        }
        Caption {
            title: day_range_text(from, to),
            lines,
        }
    }

    /// A map image that has been written (or could not be) is announced.
    pub(super) fn poll_map_image(&mut self) {
        match self.map_image.poll() {
            None => {}
            Some(Ok(saved)) => self.say(format!(
                "Map image saved to {} ({} × {} px)",
                saved.path.display(),
                saved.size[0],
                saved.size[1]
            )),
            Some(Err(e)) => self.say(format!("Map image not saved: {e}")),
        }
    }

    /// Write the statistics of the shown window to `path` as CSV.
    pub(super) fn save_stats(&mut self, path: &std::path::Path) -> Result<(), String> {
        let csv = crate::stats::to_csv(&self.stats());
        crate::export::write_file_whole(path, csv.as_bytes())
    }
}
