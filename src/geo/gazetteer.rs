//! Place and region names → coordinates for importers (no egui, no triangulation).

use std::collections::HashMap;

use super::{BasemapData, BasemapError, COORD_SCALE, PlaceRec, RegionRec};

/// Place and region names → coordinates, from the embedded basemap data (no egui, no
/// triangulation: cheap enough for importers).
pub struct Gazetteer {
    regions: Vec<RegionRec>,
    places: Vec<PlaceRec>,
    /// Folded name (Latin or Ukrainian) → the most populous place of that name, built once:
    /// scanning and folding every place per lookup cost ~3 ms, so a file of 3,000 unknown
    /// target names took seconds.
    by_name: HashMap<String, usize>,
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
        Ok(Self::new(data.regions, data.places))
    }

    /// Index `places` by their folded names.
    fn new(regions: Vec<RegionRec>, places: Vec<PlaceRec>) -> Self {
        let mut by_name: HashMap<String, usize> = HashMap::with_capacity(places.len() * 2);
        for (i, p) in places.iter().enumerate() {
            let latin = fold(&p.name);
            let uk = p.name_uk.as_deref().map(fold).filter(|u| *u != latin);
            for key in std::iter::once(latin).chain(uk) {
                // On equal population the later place wins, as a scan keeping the last
                // maximum did.
                let keep = by_name
                    .get(&key)
                    .and_then(|&j| places.get(j))
                    .is_some_and(|q| q.population > p.population);
                if !keep {
                    by_name.insert(key, i);
                }
            }
        }
        Self {
            regions,
            places,
            by_name,
        }
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
        self.by_name
            .get(&fold(name))
            .and_then(|&i| self.places.get(i))
            .map(|p| {
                (
                    f64::from(p.lat) / COORD_SCALE,
                    f64::from(p.lon) / COORD_SCALE,
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index answers exactly what a scan over every place answers (the most populous
    /// place of the name, in either spelling, the later one on a tie).
    #[test]
    fn the_index_agrees_with_a_scan_over_every_place() {
        let g = Gazetteer::embedded().unwrap();
        let scan = |name: &str| {
            let want = fold(name);
            g.places
                .iter()
                .filter(|p| {
                    fold(&p.name) == want || p.name_uk.as_deref().is_some_and(|u| fold(u) == want)
                })
                .max_by_key(|p| p.population)
                .map(|p| (p.lat, p.lon))
        };
        let coords = |name: &str| {
            g.place(name).map(|(lat, lon)| {
                (
                    (lat * COORD_SCALE).round() as i32,
                    (lon * COORD_SCALE).round() as i32,
                )
            })
        };
        // About 200 names spread over the list (a scan per name is slow in a debug build).
        let every = (g.places.len() / 150).max(1);
        let mut names: Vec<String> = g
            .places
            .iter()
            .step_by(every)
            .map(|p| p.name.clone())
            .collect();
        let uk = g.places.iter().filter_map(|p| p.name_uk.clone());
        names.extend(uk.step_by(every * 2));
        names.extend(
            ["Kryvyy Rih", "Kryvyi Rih", "KYIV", "Nowhere-on-the-map", ""].map(String::from),
        );
        assert!(names.len() > 100, "{}", names.len());
        for name in &names {
            assert_eq!(coords(name), scan(name), "{name}");
        }
        assert!(g.place("Kryvyy Rih").is_some() && g.place("Nowhere-on-the-map").is_none());
    }
}
