//! Records with place names and no coordinates, placed offline with the world gazetteer
//! ([`crate::geo::WorldGazetteer`]): each distinct (place, region, country) is looked up once
//! per file, what cannot be placed is rejected as `unknown_place`, and the report lists the
//! names it could not place with their counts, so the user can fix them.

use std::collections::HashMap;

use super::RejectReason;
use super::fields::q;
use super::records::Refusal;
use super::table::Table;
use crate::geo::WorldGazetteer;
use crate::geo::world::Geocoded;
use crate::model::LocationPrecision;

/// How many unresolved names the report lists.
const LIST_UNRESOLVED: usize = 25;

/// A record placed by name.
#[derive(Clone, Debug)]
pub struct Placed {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Settlement, region or country.
    pub precision: LocationPrecision,
    /// What the gazetteer matched, for the event's location note.
    pub note: String,
    /// The matched place's region, for a record that names none.
    pub admin1: Option<String>,
    /// The matched place's country, for a record that names none.
    pub country: String,
}

/// The place, region and country columns of a table.
#[derive(Clone, Copy, Debug, Default)]
pub struct NameColumns {
    /// Settlement (or any place name).
    pub place: Option<usize>,
    /// First-level region.
    pub admin1: Option<usize>,
    /// Country.
    pub country: Option<usize>,
}

impl NameColumns {
    /// Whether the table names places at all.
    pub fn any(&self) -> bool {
        self.place.is_some() || self.admin1.is_some() || self.country.is_some()
    }
}

/// Place the rows `wanted` says need it (those without coordinates), each distinct name
/// looked up once. Returns each row's placing (`None` for a row not wanted) and the notes.
pub fn place_rows(
    table: &Table,
    cols: NameColumns,
    wanted: impl Fn(usize) -> bool,
) -> (Vec<Option<Result<Placed, Refusal>>>, Vec<String>) {
    let mut notes = Vec::new();
    let n = table.records().len();
    if !cols.any() || !(0..n).any(&wanted) {
        return (vec![None; n], notes);
    }
    let gazetteer = match WorldGazetteer::get() {
        Ok(g) => g,
        Err(e) => {
            let why = format!("the built-in gazetteer could not be read: {e}");
            notes.push(why.clone());
            let rows = (0..n)
                .map(|i| wanted(i).then(|| Err((RejectReason::UnknownPlace, why.clone()))))
                .collect();
            return (rows, notes);
        }
    };
    type Key<'a> = (Option<&'a str>, Option<&'a str>, Option<&'a str>);
    let mut cache: HashMap<Key<'_>, Result<Placed, Refusal>> = HashMap::new();
    let mut unresolved: HashMap<String, usize> = HashMap::new();
    let mut by_precision: HashMap<LocationPrecision, usize> = HashMap::new();
    let mut rows = Vec::with_capacity(n);
    for (i, rec) in table.records().enumerate() {
        if !wanted(i) {
            rows.push(None);
            continue;
        }
        let key = (
            rec.get(cols.place),
            rec.get(cols.admin1),
            rec.get(cols.country),
        );
        if key == (None, None, None) {
            rows.push(Some(Err((
                RejectReason::MissingLocation,
                "no coordinates and no place name".to_owned(),
            ))));
            continue;
        }
        let placed = cache
            .entry(key)
            .or_insert_with(|| match gazetteer.geocode(key.0, key.1, key.2) {
                Ok(g) => Ok(placed(&g)),
                Err(u) => Err((
                    RejectReason::UnknownPlace,
                    format!("{}: {}", q(&u.name), u.reason),
                )),
            })
            .clone();
        match &placed {
            Ok(p) => *by_precision.entry(p.precision).or_default() += 1,
            Err(_) => {
                let name = [key.0, key.1, key.2]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>();
                *unresolved.entry(name.join(", ")).or_default() += 1;
            }
        }
        rows.push(Some(placed));
    }
    let placed: usize = by_precision.values().sum();
    if placed > 0 {
        let part = |p: LocationPrecision, what: &str| {
            by_precision.get(&p).map(|n| format!("{n} at a {what}"))
        };
        let parts: Vec<String> = [
            part(LocationPrecision::Settlement, "settlement"),
            part(LocationPrecision::Region, "region's centre"),
            part(LocationPrecision::Country, "country's centre"),
        ]
        .into_iter()
        .flatten()
        .collect();
        notes.push(format!(
            "{placed} record(s) without coordinates placed by name with the built-in gazetteer (GeoNames): {}",
            parts.join(", ")
        ));
    }
    if !unresolved.is_empty() {
        let mut names: Vec<(String, usize)> = unresolved.into_iter().collect();
        names.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let total: usize = names.iter().map(|(_, c)| c).sum();
        let listed: Vec<String> = names
            .iter()
            .take(LIST_UNRESOLVED)
            .map(|(name, c)| format!("{} ×{c}", q(name)))
            .collect();
        notes.push(format!(
            "{total} record(s) name {} place(s) the gazetteer does not know (unknown_place): {}{}",
            names.len(),
            listed.join(", "),
            if names.len() > LIST_UNRESOLVED {
                format!(", and {} more", names.len() - LIST_UNRESOLVED)
            } else {
                String::new()
            }
        ));
    }
    (rows, notes)
}

/// A gazetteer match as a placing.
fn placed(g: &Geocoded) -> Placed {
    let mut note = format!("placed by name: {}", g.name);
    if let Some(a) = &g.admin1 {
        note.push_str(&format!(", {a}"));
    }
    note.push_str(&format!(", {} (GeoNames)", g.country));
    if let Some(n) = &g.note {
        note.push_str(&format!("; {n}"));
    }
    Placed {
        lat: g.lat,
        lon: g.lon,
        precision: g.precision,
        note,
        admin1: g.admin1.clone(),
        country: g.country.clone(),
    }
}
