//! File → Export map image…: the map area as it is drawn, with a caption (title, the
//! window's days, totals, filters) burnt in over it, written as a PNG at the window's
//! resolution.
//!
//! The picture is the app's own frame, not a re-render: the frame after the request draws the
//! caption into the map and asks the integration for a screenshot. eframe reads the pixels of
//! the frame it paints after that one (egui_kittest of the same frame), so the caption stays
//! up until the pixels have arrived. Cropping, encoding and writing run on a thread.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError};

/// A map image that was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedImage {
    /// Where.
    pub path: PathBuf,
    /// Its size in pixels, `[width, height]`.
    pub size: [usize; 2],
}

/// Where a map image export is.
#[derive(Default)]
pub struct MapImage {
    /// The file asked for, until the capture has been asked for.
    wanted: Option<PathBuf>,
    /// The capture asked for: the screenshot's outcome, once written.
    pending: Option<Receiver<Result<SavedImage, String>>>,
}

impl MapImage {
    /// Ask for the map to be written to `path` (ignored while one is on its way; returns
    /// whether it was taken).
    pub fn request(&mut self, path: PathBuf) -> bool {
        if self.busy() {
            return false;
        }
        self.wanted = Some(path);
        true
    }

    /// Whether an export is on its way: the map draws its caption meanwhile.
    pub fn busy(&self) -> bool {
        self.wanted.is_some() || self.pending.is_some()
    }

    /// After the map of this frame is drawn at `map_rect` (points): ask for the screenshot
    /// that holds it, once per request.
    pub fn capture(&mut self, ctx: &egui::Context, map_rect: egui::Rect) {
        let Some(path) = self.wanted.take() else {
            return;
        };
        let ppp = ctx.pixels_per_point();
        let (tx, rx) = std::sync::mpsc::channel();
        let repaint = ctx.clone();
        ctx.request_screenshot(move |image| {
            // The integration calls this on its render thread: the work goes elsewhere.
            std::thread::spawn(move || {
                let saved = write_png(&image, map_rect, ppp, &path);
                let _ = tx.send(saved);
                repaint.request_repaint();
            });
        });
        self.pending = Some(rx);
    }

    /// The outcome, once the image is written (or could not be).
    pub fn poll(&mut self) -> Option<Result<SavedImage, String>> {
        let rx = self.pending.as_ref()?;
        let outcome = match rx.try_recv() {
            Ok(outcome) => outcome,
            Err(TryRecvError::Empty) => return None,
            Err(TryRecvError::Disconnected) => {
                Err("the map image was not captured (the renderer gave no picture)".to_owned())
            }
        };
        self.pending = None;
        Some(outcome)
    }
}

/// The pixels of `rect` (points, at `ppp` pixels per point) in `image`, clamped to it.
pub fn crop(image: &egui::ColorImage, rect: egui::Rect, ppp: f32) -> egui::ColorImage {
    let [w, h] = image.size;
    let px = |v: f32, max: usize| ((v * ppp).round().max(0.0) as usize).min(max);
    let (x0, x1) = (px(rect.min.x, w), px(rect.max.x, w));
    let (y0, y1) = (px(rect.min.y, h), px(rect.max.y, h));
    let mut pixels = Vec::with_capacity((x1 - x0) * (y1 - y0));
    for y in y0..y1 {
        pixels.extend_from_slice(&image.pixels[y * w + x0..y * w + x1]);
    }
    egui::ColorImage::new([x1 - x0, y1 - y0], pixels)
}

/// Crop `image` to `rect`, encode it as PNG and write it to `path` whole or not at all.
fn write_png(
    image: &egui::ColorImage,
    rect: egui::Rect,
    ppp: f32,
    path: &std::path::Path,
) -> Result<SavedImage, String> {
    let map = crop(image, rect, ppp);
    let [w, h] = map.size;
    if w == 0 || h == 0 {
        return Err("the map has no area to picture".to_owned());
    }
    let bytes: Vec<u8> = map
        .pixels
        .iter()
        .flat_map(|c| c.to_srgba_unmultiplied())
        .collect();
    let rgba = image::RgbaImage::from_raw(w as u32, h as u32, bytes)
        .ok_or_else(|| "the map image has the wrong number of pixels".to_owned())?;
    let mut png = std::io::Cursor::new(Vec::new());
    rgba.write_to(&mut png, image::ImageFormat::Png)
        .map_err(|e| format!("cannot encode the map image: {e}"))?;
    crate::export::write_file_whole(path, png.get_ref())?;
    Ok(SavedImage {
        path: path.to_path_buf(),
        size: [w, h],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gradient(w: usize, h: usize) -> egui::ColorImage {
        let pixels = (0..w * h)
            .map(|i| egui::Color32::from_rgb((i % w) as u8, (i / w) as u8, 7))
            .collect();
        egui::ColorImage::new([w, h], pixels)
    }

    #[test]
    fn the_crop_is_the_map_rect_in_pixels() {
        let image = gradient(40, 30);
        let rect = egui::Rect::from_min_max(egui::pos2(5.0, 2.5), egui::pos2(15.0, 12.5));
        let map = crop(&image, rect, 2.0);
        assert_eq!(map.size, [20, 20]);
        assert_eq!(map.pixels[0], egui::Color32::from_rgb(10, 5, 7));
        assert_eq!(map.pixels[20 * 20 - 1], egui::Color32::from_rgb(29, 24, 7));
        // A rect past the image is clamped to it.
        let past = egui::Rect::from_min_max(egui::pos2(30.0, 20.0), egui::pos2(90.0, 90.0));
        assert_eq!(crop(&image, past, 1.0).size, [10, 10]);
    }

    #[test]
    fn a_png_is_written_whole_and_reads_back_at_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("map.png");
        let rect = egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(32.0, 24.0));
        let saved = write_png(&gradient(40, 30), rect, 1.0, &path).unwrap();
        assert_eq!(saved.size, [32, 24]);
        let back = image::open(&path).unwrap().to_rgba8();
        assert_eq!(back.dimensions(), (32, 24));
        assert_eq!(back.get_pixel(3, 2).0, [3, 2, 7, 255]);
        assert!(!dir.path().join("map.png.part").exists());
    }
}
