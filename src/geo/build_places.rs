//! The basemap's places: the regional extract's denser GeoNames cities500, and of the
//! world's cities1000 the capitals, region centres and towns of [`MAJOR_POPULATION`], joined
//! by GeoNames id, ranked for labels (capitals, region centres, the rest).
//!
//! The world's smaller places are not repeated here: the world gazetteer
//! (`assets/gazetteer/world.bin.gz`) holds them, and the app adds them to the labels once it
//! has loaded ([`super::Basemap::add_places`]), which keeps the two assets within 12 MB.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::PlaceRec;
use super::build::{BuildError, TsvPlace, read_places_tsv};
use super::capitals::CAPITALS;

/// World places at least this populous are in the basemap, which is every label up to zoom
/// 7.5; smaller ones come from the world gazetteer a moment after start.
pub const MAJOR_POPULATION: u32 = 50_000;

/// One places.tsv row, with what ranking needs.
struct Row {
    id: u32,
    rec: PlaceRec,
    admin1: String,
}

/// The rows of a places.tsv (geonameid, name, lat, lon, country, admin1, population,
/// alternates); with `ukrainian`, each gets its Ukrainian name from its alternates.
fn read(dir: &Path, ukrainian: bool) -> Result<Vec<Row>, BuildError> {
    read_places_tsv(dir, |p| {
        let field = |i: usize| p.fields[i];
        let country = field(4).to_owned();
        Some(Row {
            id: field(0).parse().unwrap_or(0),
            rec: PlaceRec {
                name: field(1).to_owned(),
                name_uk: ukrainian
                    .then(|| super::uk_names::ukrainian_name(field(1), &country, field(7)))
                    .flatten(),
                lat: TsvPlace::scaled(p.lat),
                lon: TsvPlace::scaled(p.lon),
                population: field(6).parse().unwrap_or(0),
                rank: 2,
                country,
            },
            admin1: field(5).to_owned(),
        })
    })
}

/// Every place of the regional extract (with Ukrainian names), then the world's places it
/// does not have; ranked and sorted by importance (rank, then population, then id). Of the
/// world's places only capitals, region centres and those of [`MAJOR_POPULATION`] are kept.
pub(super) fn places(dir: &Path, world: &Path) -> Result<Vec<PlaceRec>, BuildError> {
    let mut rows = read(dir, true)?;
    let have: HashSet<u32> = rows.iter().map(|r| r.id).collect();
    rows.extend(
        read(world, false)?
            .into_iter()
            .filter(|r| !have.contains(&r.id)),
    );
    let capitals: HashSet<u32> = CAPITALS.iter().map(|c| c.0).collect();
    for r in &mut rows {
        if capitals.contains(&r.id) {
            r.rec.rank = 0;
        }
    }
    // The most populous place of each first-level region stands for its centre (true for
    // every Ukrainian oblast except occupied Donetsk/Luhansk, whose centres are also their
    // largest cities; elsewhere a fair guess that GeoNames cannot improve on without feature
    // codes).
    let mut largest: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        if row.admin1.is_empty() {
            continue;
        }
        let key = (row.rec.country.as_str(), row.admin1.as_str());
        let better = largest.get(&key).is_none_or(|&j| {
            (rows[j].rec.population, std::cmp::Reverse(rows[j].id))
                < (row.rec.population, std::cmp::Reverse(row.id))
        });
        if better {
            largest.insert(key, i);
        }
    }
    let centres: Vec<usize> = largest.into_values().collect();
    for i in centres {
        if rows[i].rec.rank == 2 {
            rows[i].rec.rank = 1;
        }
    }
    rows.retain(|r| have.contains(&r.id) || r.rec.rank < 2 || r.rec.population >= MAJOR_POPULATION);
    rows.sort_by(|a, b| {
        (a.rec.rank, std::cmp::Reverse(a.rec.population), a.id).cmp(&(
            b.rec.rank,
            std::cmp::Reverse(b.rec.population),
            b.id,
        ))
    });
    Ok(rows.into_iter().map(|r| r.rec).collect())
}
