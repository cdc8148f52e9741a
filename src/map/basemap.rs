//! Painting the basemap: per frame, cull by bounds, transform the pre-triangulated vertices and
//! lines into screen space, and place settlement labels without overlaps.

use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::layers::ShapeIdx;
use egui::{Align2, Color32, FontId, Pos2, Rect, Shape, Stroke, pos2, vec2};
use walkers::{MapMemory, Plugin, Projector};

use crate::geo::view::ViewGeometry;
use crate::geo::{Basemap, Bounds, LineKind, Lod, Place, TriMesh};
use crate::map::mercator;

/// Colours of the basemap, muted so that event markers stand out.
#[derive(Clone, Copy, Debug)]
pub struct BasemapStyle {
    /// Sea.
    pub sea: Color32,
    /// Land.
    pub land: Color32,
    /// Lakes and reservoirs.
    pub lake: Color32,
    /// Rivers.
    pub river: Color32,
    /// Oblast boundaries.
    pub oblast: Color32,
    /// International borders.
    pub border: Color32,
    /// Coastline.
    pub coast: Color32,
    /// Label text.
    pub label: Color32,
    /// Halo behind label text.
    pub halo: Color32,
}

impl BasemapStyle {
    /// The light or dark variant.
    pub fn new(dark: bool) -> Self {
        if dark {
            Self {
                sea: Color32::from_rgb(23, 32, 43),
                land: Color32::from_rgb(44, 47, 52),
                lake: Color32::from_rgb(28, 41, 56),
                river: Color32::from_rgb(58, 92, 128),
                oblast: Color32::from_rgb(98, 104, 112),
                border: Color32::from_rgb(125, 130, 138),
                coast: Color32::from_rgb(60, 82, 105),
                label: Color32::from_rgb(205, 208, 213),
                halo: Color32::from_rgba_unmultiplied(30, 32, 36, 200),
            }
        } else {
            Self {
                sea: Color32::from_rgb(200, 220, 236),
                land: Color32::from_rgb(243, 241, 236),
                lake: Color32::from_rgb(186, 211, 233),
                river: Color32::from_rgb(128, 174, 218),
                oblast: Color32::from_rgb(196, 196, 202),
                border: Color32::from_rgb(140, 140, 152),
                coast: Color32::from_rgb(150, 180, 205),
                label: Color32::from_rgb(55, 58, 64),
                halo: Color32::from_rgba_unmultiplied(248, 247, 243, 210),
            }
        }
    }
}

/// Screen transform of the current view: its rectangle on screen and its geometry.
#[derive(Clone, Copy, Debug)]
pub struct View {
    /// Map rect on screen.
    pub rect: Rect,
    /// Zoom level (256 px world at zoom 0); labels are chosen by it.
    pub zoom: f64,
    /// Centre and scale in world terms, the size of `rect`.
    pub geom: ViewGeometry,
}

impl View {
    /// The view of `rect` centred on the mercator point `centre` at `zoom`.
    pub fn new(rect: Rect, centre: [f64; 2], zoom: f64) -> Self {
        Self {
            rect,
            zoom,
            geom: ViewGeometry::at_zoom(
                (centre[0], centre[1]),
                zoom,
                (rect.width(), rect.height()),
            ),
        }
    }

    fn project(self, p: [f64; 2]) -> Pos2 {
        let (dx, dy) = self.geom.offset(p[0], p[1]);
        let c = self.rect.center();
        pos2(c.x + dx, c.y + dy)
    }

    /// The visible area in mercator units, with a margin.
    fn bounds(&self) -> Bounds {
        self.geom.bounds(1.1)
    }
}

fn add_meshes(mesh: &mut Mesh, tris: &[TriMesh], view: &View, viewport: &Bounds, colour: Color32) {
    for t in tris.iter().filter(|t| t.bounds.intersects(viewport)) {
        let base = u32::try_from(mesh.vertices.len()).unwrap_or(u32::MAX);
        mesh.vertices.extend(t.vertices.iter().map(|v| Vertex {
            pos: view.project(*v),
            uv: WHITE_UV,
            color: colour,
        }));
        mesh.indices.extend(t.indices.iter().map(|i| base + i));
    }
}

/// Minimum population for an ordinary settlement to be labelled at this zoom (capitals and
/// region centres follow their own rule in [`label_wanted`]).
fn min_population(zoom: f64) -> u32 {
    match zoom {
        z if z < 6.5 => u32::MAX,
        z if z < 7.5 => 50_000,
        z if z < 8.5 => 12_000,
        z if z < 9.5 => 4_000,
        z if z < 10.5 => 1_500,
        _ => 0,
    }
}

fn label_wanted(p: &Place, zoom: f64) -> bool {
    match p.rank {
        0 => true,
        // Zoomed out to a continent, only the capitals and the largest regional centres; at
        // zoom 5 the world's 4,600 region centres would crowd (and cost) more than they tell.
        1 => {
            zoom >= 6.0
                || (zoom >= 5.0 && p.population >= 200_000)
                || (zoom >= 4.0 && p.population >= 1_000_000)
        }
        _ => p.population >= min_population(zoom),
    }
}

/// All basemap shapes for one frame, in paint order (background first, labels last).
pub fn basemap_shapes(
    basemap: &Basemap,
    view: &View,
    style: &BasemapStyle,
    ukrainian: bool,
    avoid: Obstacles<'_>,
    ctx: &egui::Context,
) -> Vec<Shape> {
    let mut shapes = geometry_shapes(basemap, view, style);
    labels(basemap, view, style, ukrainian, avoid, ctx, &mut shapes);
    shapes
}

/// The basemap without its labels: sea, land, lakes, rivers, borders, coast.
fn geometry_shapes(basemap: &Basemap, view: &View, style: &BasemapStyle) -> Vec<Shape> {
    let viewport = view.bounds();
    // Each level's simplification is under about a pixel at the zooms that draw it; finer
    // data would only add sub-pixel segments for egui to tessellate.
    let lod = Lod::for_zoom(view.zoom);
    let mut shapes = Vec::with_capacity(256);
    // The data covers the whole world: what is not land is sea.
    shapes.push(Shape::rect_filled(view.rect, 0.0, style.sea));

    let mut land = Mesh::default();
    add_meshes(&mut land, basemap.land(lod), view, &viewport, style.land);
    add_meshes(&mut land, basemap.lakes(lod), view, &viewport, style.lake);
    shapes.push(Shape::mesh(land));

    let zoom = view.zoom;
    let layers: [(LineKind, f64, f32, Color32); 4] = [
        (
            LineKind::River,
            0.0,
            // Thin, but not so thin that the Nile or the Congo fades out of the world view.
            if zoom >= 8.0 {
                1.4
            } else if zoom >= 5.0 {
                1.0
            } else {
                0.9
            },
            style.river,
        ),
        // Region lines from zoom 5.5: a continent's worth of them is clutter, and the
        // costliest part of a zoom-5 frame.
        (
            LineKind::Oblast,
            5.5,
            if zoom >= 8.0 { 1.2 } else { 0.8 },
            style.oblast,
        ),
        // In the world view the land fill alone draws the coast: its line would be the most
        // points of the frame for a difference of a shade.
        (LineKind::Coast, 4.0, 1.0, style.coast),
        (
            LineKind::CountryBorder,
            0.0,
            if zoom >= 7.0 { 2.0 } else { 1.4 },
            style.border,
        ),
    ];
    // Screen-space decimation: drop points closer than this (squared, in points²) to the last
    // one kept. Lines are at most 1.4 px wide below zoom 7, and steps of 2 px (3 px for the
    // world view) do not show on them, while they cut what egui tessellates over a continent.
    let min_step_sq = match zoom {
        z if z < 4.0 => 9.0,
        z if z < 7.0 => 4.0,
        _ => 0.64,
    };
    // Lines under 2 px across are left out (in mercator units: the world is 256·2^zoom px).
    let min_extent = 2.0 / (256.0 * 2f64.powf(zoom));
    for (kind, min_zoom, width, colour) in layers {
        if zoom < min_zoom {
            continue;
        }
        let lines = basemap.lines(kind, lod);
        // Pieces that continue one another (a line cut into pieces, the arcs of a region
        // boundary) are drawn as one path: egui's tessellator pays per path, and a zoom-5
        // view holds thousands of them.
        let stroke = Stroke::new(width, colour);
        let mut run: Vec<Pos2> = Vec::new();
        let mut run_end: Option<([f64; 2], Pos2)> = None;
        let flush =
            |run: &mut Vec<Pos2>, end: Option<([f64; 2], Pos2)>, shapes: &mut Vec<Shape>| {
                if let (1, Some((_, last))) = (run.len(), end)
                    && run[0] != last
                {
                    run.push(last);
                }
                if run.len() >= 2 {
                    shapes.push(Shape::line(std::mem::take(run), stroke));
                }
                run.clear();
            };
        for l in lines.iter().filter(|l| l.bounds.intersects(&viewport)) {
            // A line smaller than a dot (an islet's coast in the world view) draws as one.
            let extent = (l.bounds.max[0] - l.bounds.min[0]).max(l.bounds.max[1] - l.bounds.min[1]);
            if extent < min_extent {
                continue;
            }
            let (Some(first), Some(last)) = (l.points.first(), l.points.last()) else {
                continue;
            };
            if run_end.is_none_or(|(end, _)| end != *first) {
                flush(&mut run, run_end, &mut shapes);
            }
            for p in &l.points {
                let s = view.project(*p);
                if run
                    .last()
                    .is_none_or(|q: &Pos2| q.distance_sq(s) >= min_step_sq)
                {
                    run.push(s);
                }
            }
            run_end = Some((*last, view.project(*last)));
        }
        flush(&mut run, run_end, &mut shapes);
    }

    shapes
}

/// What labels keep clear of.
#[derive(Clone, Copy, Debug, Default)]
pub struct Obstacles<'a> {
    /// Event markers: the label of a place under one moves outwards past it.
    pub markers: &'a [Rect],
    /// Overlays drawn over the map (legend, scale, attribution, badges): no label overlaps
    /// them, and a place whose dot they cover gets none (it would land far from its dot).
    pub overlays: &'a [Rect],
}

/// A label placed on screen.
pub struct PlacedLabel {
    /// Index into [`Basemap::places`].
    pub place: usize,
    /// Where the text goes.
    pub rect: Rect,
    /// The laid-out text.
    pub galley: std::sync::Arc<egui::Galley>,
}

/// The dots of the label candidates on screen, bucketed by screen cell: a label may not
/// cover the dot of a place already labelled, nor of one at least half as important that is
/// still to come (else "Omdurman" hides Khartoum North's dot, and with it the city).
struct Dots {
    /// (screen position, rank, population, labelled yet) per candidate, in priority order.
    dots: Vec<(Pos2, u8, u32, bool)>,
    /// Candidate indices per 32-px cell.
    cells: std::collections::HashMap<(i32, i32), Vec<usize>>,
}

/// Rects bucketed by screen cell, for "does this overlap a label already placed" without
/// scanning every label (that scan was most of a zoom-5 frame with the world's region centres).
#[derive(Default)]
struct RectGrid {
    rects: Vec<Rect>,
    cells: std::collections::HashMap<(i32, i32), Vec<u32>>,
}

impl RectGrid {
    fn cells_of(r: Rect) -> impl Iterator<Item = (i32, i32)> {
        let (x0, x1) = (
            (r.left() / DOT_CELL).floor() as i32,
            (r.right() / DOT_CELL).floor() as i32,
        );
        let (y0, y1) = (
            (r.top() / DOT_CELL).floor() as i32,
            (r.bottom() / DOT_CELL).floor() as i32,
        );
        (y0..=y1).flat_map(move |y| (x0..=x1).map(move |x| (x, y)))
    }

    fn insert(&mut self, r: Rect) {
        let id = u32::try_from(self.rects.len()).unwrap_or(u32::MAX);
        self.rects.push(r);
        for c in Self::cells_of(r) {
            self.cells.entry(c).or_default().push(id);
        }
    }

    /// Whether any rect satisfies `hit` among those sharing a cell with `r`.
    fn any_near(&self, r: Rect, hit: impl Fn(&Rect) -> bool) -> bool {
        Self::cells_of(r).any(|c| {
            self.cells.get(&c).is_some_and(|ids| {
                ids.iter()
                    .any(|&i| self.rects.get(i as usize).is_some_and(&hit))
            })
        })
    }
}

/// Side of a [`Dots`] and [`RectGrid`] cell, in points.
const DOT_CELL: f32 = 32.0;

impl Dots {
    fn new(dots: Vec<(Pos2, u8, u32, bool)>) -> Self {
        let mut cells: std::collections::HashMap<(i32, i32), Vec<usize>> = Default::default();
        for (k, d) in dots.iter().enumerate() {
            let c = (
                (d.0.x / DOT_CELL).floor() as i32,
                (d.0.y / DOT_CELL).floor() as i32,
            );
            cells.entry(c).or_default().push(k);
        }
        Self { dots, cells }
    }

    /// Whether `r`, the label of candidate `k`, covers a dot it must leave visible.
    fn covered(&self, r: Rect, k: usize) -> bool {
        let (_, rank, pop, _) = self.dots[k];
        let r = r.expand(1.5);
        RectGrid::cells_of(r).any(|cell| {
            self.cells.get(&cell).is_some_and(|ids| {
                ids.iter().any(|&j| {
                    let (at, rj, pj, labelled) = self.dots[j];
                    // Those before `k` are more important: only a drawn dot counts.
                    // Those after it are still to come: a comparable one keeps its spot.
                    r.contains(at)
                        && match j.cmp(&k) {
                            std::cmp::Ordering::Less => labelled,
                            std::cmp::Ordering::Equal => false,
                            std::cmp::Ordering::Greater => {
                                rj == rank && u64::from(pj) * 2 >= u64::from(pop)
                            }
                        }
                })
            })
        })
    }
}

/// Choose and place settlement labels: by importance (capital, region centres, then by
/// population above a zoom-dependent threshold), skipping any that would overlap one already
/// placed or cover another's dot (see [`Dots`]).
pub fn place_labels(
    basemap: &Basemap,
    view: &View,
    style: &BasemapStyle,
    ukrainian: bool,
    avoid: Obstacles<'_>,
    ctx: &egui::Context,
) -> Vec<PlacedLabel> {
    let viewport = view.bounds();
    let zoom = view.zoom;
    let min_pop = min_population(zoom);
    let mut placed: Vec<PlacedLabel> = Vec::new();
    // The placed labels' rects, by screen cell.
    let mut taken = RectGrid::default();
    let mut markers = RectGrid::default();
    for m in avoid.markers {
        markers.insert(*m);
    }
    let inner = view.rect.shrink(2.0);
    // The candidates of the cells on screen. Each cell lists its places in priority order
    // (rank, then population): once ordinary places fall below the threshold, none of the
    // cell's others qualify.
    let mut candidates: Vec<u32> = Vec::new();
    for cell in basemap.place_grid.cells(&viewport) {
        for &i in cell {
            match basemap.places.get(i as usize) {
                Some(p) if p.rank < 2 || p.population >= min_pop => candidates.push(i),
                _ => break,
            }
        }
    }
    candidates.sort_unstable();
    let inside = |p: &Place| {
        let [x, y] = p.pos;
        x >= viewport.min[0] && x <= viewport.max[0] && y >= viewport.min[1] && y <= viewport.max[1]
    };
    let candidates: Vec<(usize, &Place)> = candidates
        .into_iter()
        .filter_map(|i| Some((i as usize, basemap.places.get(i as usize)?)))
        .filter(|(_, p)| label_wanted(p, zoom) && inside(p))
        .collect();
    let mut dots = Dots::new(
        candidates
            .iter()
            .map(|(_, p)| (view.project(p.pos), p.rank, p.population, false))
            .collect(),
    );
    for (k, &(i, p)) in candidates.iter().enumerate() {
        if placed.len() >= 400 {
            break;
        }
        let at = dots.dots[k].0;
        // A place under an overlay or a label already placed would have its dot hidden.
        let dot = Rect::from_center_size(at, vec2(3.0, 3.0));
        if avoid.overlays.iter().any(|a| a.contains(at))
            || taken.any_near(dot, |l| l.expand(1.5).contains(at))
        {
            continue;
        }
        let text = match (&p.name_uk, ukrainian) {
            (Some(uk), true) => uk.as_str(),
            _ => p.name.as_str(),
        };
        let size = match p.rank {
            0 => 15.0,
            1 => 13.0,
            _ => 11.5,
        };
        let galley = ctx.fonts_mut(|f| {
            f.layout_no_wrap(text.to_owned(), FontId::proportional(size), style.label)
        });
        // Right of the dot, else left, above or below: the first spot that is free of other
        // labels, dots and event markers. A marker sitting on the place pushes its label
        // outwards.
        let push = avoid
            .markers
            .iter()
            .filter(|a| a.contains(at))
            .map(|a| a.width() / 2.0)
            .fold(0.0f32, f32::max);
        let size = galley.size();
        let spots = [
            Align2::LEFT_CENTER.anchor_size(at + vec2(5.0 + push, 0.0), size),
            Align2::RIGHT_CENTER.anchor_size(at - vec2(5.0 + push, 0.0), size),
            Align2::CENTER_BOTTOM.anchor_size(at - vec2(0.0, 4.0 + push), size),
            Align2::CENTER_TOP.anchor_size(at + vec2(0.0, 4.0 + push), size),
        ];
        let free = |r: &Rect| {
            inner.contains_rect(*r)
                && !taken.any_near(r.expand(2.0), |l| l.intersects(r.expand(2.0)))
                && !markers.any_near(*r, |a| a.intersects(*r))
                && !avoid.overlays.iter().any(|a| a.intersects(*r))
                && !dots.covered(*r, k)
        };
        let Some(rect) = spots.into_iter().find(|r| free(r)) else {
            continue;
        };
        dots.dots[k].3 = true;
        taken.insert(rect);
        placed.push(PlacedLabel {
            place: i,
            rect,
            galley,
        });
    }
    placed
}

fn labels(
    basemap: &Basemap,
    view: &View,
    style: &BasemapStyle,
    ukrainian: bool,
    avoid: Obstacles<'_>,
    ctx: &egui::Context,
    shapes: &mut Vec<Shape>,
) {
    for l in place_labels(basemap, view, style, ukrainian, avoid, ctx) {
        let Some(p) = basemap.places.get(l.place) else {
            continue;
        };
        let at = view.project(p.pos);
        let dot = if p.rank == 0 { 3.5 } else { 2.5 };
        shapes.push(Shape::circle_filled(at, dot + 1.0, style.halo));
        shapes.push(Shape::circle_filled(at, dot, style.label));
        for d in [
            vec2(-1.0, 0.0),
            vec2(1.0, 0.0),
            vec2(0.0, -1.0),
            vec2(0.0, 1.0),
        ] {
            shapes.push(Shape::galley_with_override_text_color(
                l.rect.min + d,
                l.galley.clone(),
                style.halo,
            ));
        }
        shapes.push(Shape::galley(l.rect.min, l.galley, style.label));
    }
}

/// Walkers plugin that fills a shape slot reserved *before* the map widget, so the basemap is
/// painted under the tiles (which cover it once they load) and under the event markers.
pub struct BasemapPlugin<'a> {
    /// The prepared basemap.
    pub basemap: &'a Basemap,
    /// Slot reserved with `ui.painter().add(Shape::Noop)` before the map was shown.
    pub slot: ShapeIdx,
    /// Label places in Ukrainian where a Ukrainian name is known.
    pub ukrainian: bool,
    /// Event markers (lat, lon, radius in points) that labels should not cover.
    pub markers: Vec<(f64, f64, f32)>,
    /// Screen areas labels keep clear of (the map's overlays: legend, zoom buttons, …).
    pub keep_clear: Vec<Rect>,
    /// Where labels go when they must be drawn above the event layer (a density raster
    /// would hide them): a later [`ShapesPlugin`] paints them. `None`: with the basemap.
    pub labels_on_top: Option<&'a std::cell::RefCell<Vec<Shape>>>,
}

/// Walkers plugin that paints shapes collected earlier in the frame (basemap labels above
/// the event layer).
pub struct ShapesPlugin<'a>(pub &'a std::cell::RefCell<Vec<Shape>>);

impl Plugin for ShapesPlugin<'_> {
    fn run(
        self: Box<Self>,
        ui: &mut egui::Ui,
        response: &egui::Response,
        _projector: &Projector,
        _memory: &MapMemory,
    ) {
        let shapes = std::mem::take(&mut *self.0.borrow_mut());
        ui.painter().with_clip_rect(response.rect).extend(shapes);
    }
}

impl Plugin for BasemapPlugin<'_> {
    fn run(
        self: Box<Self>,
        ui: &mut egui::Ui,
        response: &egui::Response,
        projector: &Projector,
        _memory: &MapMemory,
    ) {
        let rect = response.rect;
        let centre = projector.unproject(rect.center().to_vec2());
        let (x, y) = mercator(centre.y(), centre.x());
        let view = View::new(rect, [x, y], projector.zoom());
        let style = BasemapStyle::new(ui.visuals().dark_mode);
        let markers: Vec<Rect> = self
            .markers
            .iter()
            .map(|&(lat, lon, r)| {
                let p = projector.project(walkers::lat_lon(lat, lon)).to_pos2();
                Rect::from_center_size(p, vec2(2.0 * r, 2.0 * r))
            })
            .filter(|r| r.intersects(rect))
            .collect();
        let avoid = Obstacles {
            markers: &markers,
            overlays: &self.keep_clear,
        };
        let mut shapes = geometry_shapes(self.basemap, &view, &style);
        // Above a density raster the labels get an opaque halo (readable on any colour) and
        // go to the later plugin; otherwise they end the basemap's own shapes.
        let (label_style, mut label_shapes) = match self.labels_on_top {
            Some(_) => (
                BasemapStyle {
                    halo: style.halo.to_opaque(),
                    ..style
                },
                Vec::new(),
            ),
            None => (style, std::mem::take(&mut shapes)),
        };
        labels(
            self.basemap,
            &view,
            &label_style,
            self.ukrainian,
            avoid,
            ui.ctx(),
            &mut label_shapes,
        );
        match self.labels_on_top {
            Some(top) => top.borrow_mut().extend(label_shapes),
            None => shapes = label_shapes,
        }
        ui.painter()
            .with_clip_rect(rect)
            .set(self.slot, Shape::Vec(shapes));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_by_importance_without_overlaps() {
        let b = Basemap::embedded().unwrap();
        let ctx = egui::Context::default();
        let mut by_zoom = Vec::new();
        let mut out = ctx.run_ui(egui::RawInput::default(), |_| {
            for zoom in [5.0, 8.0, 11.0] {
                let (x, y) = mercator(50.45, 30.52); // Kyiv
                let rect = Rect::from_min_size(Pos2::ZERO, vec2(1200.0, 800.0));
                let view = View::new(rect, [x, y], zoom);
                let labels = place_labels(
                    &b,
                    &view,
                    &BasemapStyle::new(false),
                    false,
                    Obstacles::default(),
                    &ctx,
                );
                for (n, a) in labels.iter().enumerate() {
                    for c in &labels[n + 1..] {
                        assert!(!a.rect.intersects(c.rect), "labels overlap at zoom {zoom}");
                    }
                }
                let places: Vec<&Place> = labels.iter().map(|l| &b.places[l.place]).collect();
                by_zoom.push(
                    places
                        .iter()
                        .map(|p| (p.name.clone(), p.rank, p.population))
                        .collect::<Vec<_>>(),
                );
            }
        });
        out.textures_delta.clear();
        let names = |z: usize| by_zoom[z].iter().map(|p| p.0.as_str()).collect::<Vec<_>>();
        // Zoomed out: the capital and oblast centres only.
        assert!(
            names(0).contains(&"Kyiv") && names(0).contains(&"Kharkiv"),
            "{:?}",
            names(0)
        );
        assert!(by_zoom[0].iter().all(|p| p.1 <= 1));
        // Zoom 8: towns appear; zoom 11: small places too.
        assert!(by_zoom[1].iter().any(|p| p.1 == 2));
        assert!(by_zoom[2].iter().any(|p| p.2 < 15_000), "{:?}", by_zoom[2]);
        assert!(names(2).contains(&"Kyiv"));
    }

    #[test]
    fn min_population_grows_as_you_zoom_out() {
        assert!(min_population(11.0) < min_population(9.0));
        assert!(min_population(9.0) < min_population(7.0));
        assert_eq!(min_population(5.0), u32::MAX);
    }

    /// Every place name the labels can show, from the basemap and the world gazetteer, is
    /// drawn with real glyphs ("Ḩalab", "Thị Xã"), not boxes: the app's fonts cover them.
    #[test]
    fn every_place_name_has_glyphs() {
        let mut b = Basemap::embedded().unwrap();
        b.add_places(crate::geo::WorldGazetteer::get().unwrap().places());
        let mut chars: Vec<char> = b
            .places
            .iter()
            .flat_map(|p| {
                p.name
                    .chars()
                    .chain(p.name_uk.iter().flat_map(|n| n.chars()))
            })
            .collect();
        chars.sort_unstable();
        chars.dedup();
        assert!(
            chars.contains(&'Ḩ') && chars.contains(&'ї'),
            "{} characters",
            chars.len()
        );
        let ctx = egui::Context::default();
        crate::present::style::apply(&ctx);
        ctx.set_missing_glyph_policy(egui::epaint::text::MissingGlyphPolicy::Panic);
        let mut out = ctx.run_ui(egui::RawInput::default(), |_| {
            for c in &chars {
                // Panics, naming the character, if no font has it.
                ctx.fonts_mut(|f| {
                    f.layout_no_wrap(c.to_string(), FontId::proportional(11.5), Color32::BLACK)
                });
            }
        });
        out.textures_delta.clear();
    }

    /// A capital hidden under an overlay (the attribution, the legend) gets no label rather
    /// than one pushed far from its dot; under an event marker its label moves just past it.
    #[test]
    fn overlays_hide_labels_and_markers_push_them() {
        let b = Basemap::embedded().unwrap();
        let ctx = egui::Context::default();
        let (x, y) = mercator(50.45, 30.52);
        let rect = Rect::from_min_size(Pos2::ZERO, vec2(1200.0, 800.0));
        let view = View::new(rect, [x, y], 8.0);
        let kyiv_at = view.project([x, y]);
        let cover = [Rect::from_center_size(kyiv_at, vec2(400.0, 40.0))];
        let mut out = ctx.run_ui(egui::RawInput::default(), |_| {
            let kyiv = |avoid: Obstacles<'_>| {
                place_labels(&b, &view, &BasemapStyle::new(false), false, avoid, &ctx)
                    .into_iter()
                    .find(|l| b.places[l.place].name == "Kyiv")
                    .map(|l| l.rect)
            };
            let free = kyiv(Obstacles::default()).expect("Kyiv labelled");
            assert!(free.left() - kyiv_at.x < 10.0, "{free:?}");
            let hidden = Obstacles {
                overlays: &cover,
                ..Obstacles::default()
            };
            assert_eq!(kyiv(hidden), None);
            let marker = [Rect::from_center_size(kyiv_at, vec2(30.0, 30.0))];
            let pushed = kyiv(Obstacles {
                markers: &marker,
                ..Obstacles::default()
            })
            .expect("Kyiv labelled beside the marker");
            assert!(!pushed.intersects(marker[0]), "{pushed:?}");
            assert!(pushed.left() - kyiv_at.x < 30.0, "{pushed:?}");
        });
        out.textures_delta.clear();
    }

    /// Labels leave the dots of labelled places visible, and a big city's label does not
    /// hide its neighbour: at Khartoum (zoom 10) all three cities of the capital are named.
    #[test]
    fn labels_leave_dots_visible() {
        let b = Basemap::embedded().unwrap();
        let ctx = egui::Context::default();
        let mut out = ctx.run_ui(egui::RawInput::default(), |_| {
            for (lat, lon, zoom) in [
                (15.58, 32.53, 10.0),
                (50.45, 30.52, 11.0),
                (33.5, 44.0, 7.0),
            ] {
                let (x, y) = mercator(lat, lon);
                let rect = Rect::from_min_size(Pos2::ZERO, vec2(1280.0, 800.0));
                let view = View::new(rect, [x, y], zoom);
                let labels = place_labels(
                    &b,
                    &view,
                    &BasemapStyle::new(false),
                    false,
                    Obstacles::default(),
                    &ctx,
                );
                let dots: Vec<Pos2> = labels
                    .iter()
                    .map(|l| view.project(b.places[l.place].pos))
                    .collect();
                for (n, l) in labels.iter().enumerate() {
                    for (m, d) in dots.iter().enumerate() {
                        assert!(
                            n == m || !l.rect.contains(*d),
                            "{} covers {}'s dot",
                            b.places[l.place].name,
                            b.places[labels[m].place].name
                        );
                    }
                }
                if zoom == 10.0 {
                    let names: Vec<&str> = labels
                        .iter()
                        .map(|l| b.places[l.place].name.as_str())
                        .collect();
                    for city in ["Khartoum", "Omdurman", "Khartoum North"] {
                        assert!(names.contains(&city), "{city} missing from {names:?}");
                    }
                }
            }
        });
        out.textures_delta.clear();
    }
}
