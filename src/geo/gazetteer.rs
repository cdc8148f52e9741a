//! Place and region names → coordinates for importers (no egui, no triangulation).

use super::{BasemapData, BasemapError, COORD_SCALE, PlaceRec, RegionRec};

/// Place and region names → coordinates, from the embedded basemap data (no egui, no
/// triangulation: cheap enough for importers).
pub struct Gazetteer {
    regions: Vec<RegionRec>,
    places: Vec<PlaceRec>,
}

/// Normalise a region or place name for matching: lower case, no "oblast"/"region"/"raion"
/// suffix, common spelling variants folded.
fn norm(name: &str) -> String {
    let mut n = name.trim().to_lowercase();
    for suffix in [" oblast", " region", " raion", " krai", " city"] {
        if let Some(s) = n.strip_suffix(suffix) {
            n = s.to_owned();
        }
    }
    match n.as_str() {
        "odessa" => "odesa".to_owned(),
        "kirovohrad" | "kropyvnytskyi" => "kirovohrad".to_owned(),
        "crimea" | "autonomous republic of crimea" => "crimea".to_owned(),
        "zaporizhia" | "zaporizhzhya" => "zaporizhzhia".to_owned(),
        "dnipro" => "dnipro".to_owned(),
        _ => n,
    }
}

/// Fold Ukrainian transliteration variants together: y and i are one letter, doubled ones
/// collapse, apostrophes go.
fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.trim().to_lowercase().chars() {
        let c = if c == 'y' { 'i' } else { c };
        if matches!(c, '\'' | '’' | 'ʼ') || (c == 'i' && out.ends_with('i')) {
            continue;
        }
        out.push(c);
    }
    out
}

impl Gazetteer {
    /// From the embedded data.
    pub fn embedded() -> Result<Self, BasemapError> {
        let data = BasemapData::embedded()?;
        Ok(Self {
            regions: data.regions,
            places: data.places,
        })
    }

    /// A Ukrainian oblast (or Crimea) by name, e.g. "Odesa oblast", "Kyiv" (the oblast, not
    /// the city); failing that, a region of a neighbouring country ("Kursk oblast").
    /// Returns (lat, lon, name).
    pub fn ukrainian_region(&self, name: &str) -> Option<(f64, f64, String)> {
        let want = norm(name);
        let ukrainian = |r: &&RegionRec| r.country == "UKR" && r.iso != "UA-30" && r.iso != "UA-40";
        self.regions
            .iter()
            .filter(ukrainian)
            .find(|r| norm(&r.name_en) == want)
            .or_else(|| self.regions.iter().find(|r| norm(&r.name_en) == want))
            .map(|r| {
                (
                    f64::from(r.lat) / COORD_SCALE,
                    f64::from(r.lon) / COORD_SCALE,
                    r.name_en.clone(),
                )
            })
    }

    /// The most populous place with this name (Latin or Ukrainian spelling; transliteration
    /// variants such as Kryvyi/Kryvyy or Zaporizhzhia/Zaporizhzhya match).
    pub fn place(&self, name: &str) -> Option<(f64, f64)> {
        let want = fold(name);
        self.places
            .iter()
            .filter(|p| {
                fold(&p.name) == want || p.name_uk.as_deref().is_some_and(|u| fold(u) == want)
            })
            .max_by_key(|p| p.population)
            .map(|p| {
                (
                    f64::from(p.lat) / COORD_SCALE,
                    f64::from(p.lon) / COORD_SCALE,
                )
            })
    }
}
