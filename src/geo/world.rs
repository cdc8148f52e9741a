//! The offline world gazetteer: every GeoNames cities1000 place, every Natural Earth admin-1
//! region and country, embedded as `assets/gazetteer/world.bin.gz` (built by
//! [`super::build_gazetteer`]) and inflated on first use; and the geocoder that places
//! records which give only names ([`WorldGazetteer::geocode`]).
//!
//! Independent of the regional [`super::Gazetteer`] (the basemap's places), which stays as it
//! is for the importers that use it.

use std::collections::HashMap;
use std::io::Read;
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::COORD_SCALE;
use super::place_names::{self, NameKind};
use crate::model::LocationPrecision;

/// The embedded asset (gzip of the postcard-encoded [`WorldData`]); empty if never built.
const EMBEDDED_GZ: &[u8] = include_bytes!("../../assets/gazetteer/world.bin.gz");

/// Format version of [`WorldData`]; bump when the layout changes.
pub const WORLD_VERSION: u32 = 1;

/// A country or territory (Natural Earth admin-0).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WorldCountry {
    /// ISO 3166-1 alpha-2 ("UA"); empty for the few territories without one (Dhekelia).
    pub iso2: String,
    /// Natural Earth's ADM0_A3 ("UKR"; "PSX" for Palestine, "KOS" for Kosovo).
    pub iso3: String,
    /// Names: English first (the name shown), then the local/short form, Ukrainian and a few
    /// common aliases ("Україна", "UK", "DR Congo"), deduplicated by folded form.
    pub names: Vec<String>,
    /// Latitude × 1e5 of a point inside the country's largest polygon.
    pub lat: i32,
    /// Longitude × 1e5 of that point.
    pub lon: i32,
}

/// A GeoNames first-level division as places.tsv names it ("Donetsk", "Kyiv City").
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct WorldAdmin1 {
    /// ISO 3166-1 alpha-2 of its country.
    pub country: String,
    /// GeoNames admin1 name.
    pub name: String,
}

/// A first-level region: a Natural Earth admin-1 polygon's names and point, joined to the
/// GeoNames admin1 name most of its places carry; or, for a GeoNames admin1 that no polygon
/// took, that name at its largest place.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WorldRegion {
    /// Names, the one shown first (English), then Natural Earth's own, Ukrainian and the
    /// GeoNames admin1 name, deduplicated by folded form.
    pub names: Vec<String>,
    /// Natural Earth `type_en` ("Region", "Governorate", "Municipality"); empty if unknown.
    pub kind: String,
    /// ISO 3166-1 alpha-2 of its country.
    pub country: String,
    /// The GeoNames admin1 joined to it (index into [`WorldData::admin1`]).
    pub admin1: Option<u32>,
    /// Latitude × 1e5 of a point inside the region.
    pub lat: i32,
    /// Longitude × 1e5 of that point.
    pub lon: i32,
    /// Total population of the gazetteer's places inside it (ranks namesake regions).
    pub population: u64,
}

/// A GeoNames place.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WorldPlace {
    /// GeoNames name.
    pub name: String,
    /// Alternate names in Latin, Cyrillic and Arabic script, `|`-separated, without those
    /// that fold to the name's key or to an earlier alternate's (emptied once indexed).
    pub alternates: String,
    /// Latitude × 1e5.
    pub lat: i32,
    /// Longitude × 1e5.
    pub lon: i32,
    /// ISO 3166-1 alpha-2 of its country.
    pub country: [u8; 2],
    /// Its GeoNames admin1 (index into [`WorldData::admin1`]).
    pub admin1: Option<u32>,
    /// Population (0 where GeoNames has none).
    pub population: u32,
}

/// The whole world gazetteer as stored in the asset.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WorldData {
    /// [`WORLD_VERSION`].
    pub version: u32,
    /// Countries, sorted by ADM0_A3.
    pub countries: Vec<WorldCountry>,
    /// GeoNames admin1 names, sorted by (country, name).
    pub admin1: Vec<WorldAdmin1>,
    /// Regions: Natural Earth's in file order, then GeoNames-only ones in admin1 order.
    pub regions: Vec<WorldRegion>,
    /// Places, sorted by country, then population (largest first), then GeoNames id.
    pub places: Vec<WorldPlace>,
}

/// Why the world gazetteer is not available.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GazetteerError {
    /// The asset is empty (never built).
    #[error("the built-in world gazetteer is empty (run `strikemap build-gazetteer`)")]
    Empty,
    /// The asset does not inflate or decode.
    #[error("the built-in world gazetteer is corrupt: {0}")]
    Corrupt(String),
    /// The asset was written by another format version.
    #[error("the built-in world gazetteer has format version {0}, expected {WORLD_VERSION}")]
    Version(u32),
}

/// A record placed by name.
#[derive(Clone, Debug, PartialEq)]
pub struct Geocoded {
    /// Latitude (degrees).
    pub lat: f64,
    /// Longitude (degrees).
    pub lon: f64,
    /// Settlement for a place, Region for a region only, Country for a country only.
    pub precision: LocationPrecision,
    /// The gazetteer's name of what was found ("Kostyantynivka", "Kharkiv", "Sudan").
    pub name: String,
    /// Its first-level region (GeoNames admin1 name, or the region's own name).
    pub admin1: Option<String>,
    /// Its country: ISO 3166-1 alpha-2, or the name for the few territories without one.
    pub country: String,
    /// How the match was chosen, when that was not plain: namesakes, a region fallback, a
    /// hint that was not recognised.
    pub note: Option<String>,
    /// People living there (a place's GeoNames population, a region's places summed; 0 for
    /// a country): how likely a name is meant as this place when nothing else says.
    pub population: u64,
}

/// A record that could not be placed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cannot place \"{name}\": {reason}")]
pub struct Unresolved {
    /// What was looked up (the place field, else the region or country field).
    pub name: String,
    /// Why it was not placed.
    pub reason: String,
}

/// The world gazetteer with its name indexes.
pub struct WorldGazetteer {
    data: WorldData,
    /// Hashes of folded place names, sorted: one entry per distinct key of each place (name,
    /// alternates, loose forms). About 570,000 entries in 7 MB with [`Self::place_ids`],
    /// instead of a `HashMap<String, _>` with a heap string per key.
    place_hashes: Vec<u64>,
    /// The place of each entry of [`Self::place_hashes`], with [`PRIMARY`] set if the key is
    /// the place's GeoNames name (not only an alternate).
    place_ids: Vec<u32>,
    /// Folded region name (and its short and loose forms) → regions.
    region_keys: HashMap<String, Vec<u32>>,
    /// Folded country name → countries.
    country_keys: HashMap<String, Vec<u32>>,
    /// ISO2 or ADM0_A3 code, upper case → country (codes are not folded: "BY" is not "BI").
    country_codes: HashMap<String, u32>,
}

/// Flag on a place index entry: the key is the place's own (GeoNames) name.
const PRIMARY: u32 = 1 << 31;

/// A place whose own name is the one looked up counts this many times its population
/// against one that has it only as an alternate: "Pokrovsk" is the Donetsk town (60,000
/// people), not Engels (196,000, once called Pokrovsk); "Kiev" is still Kyiv.
const PRIMARY_WEIGHT: u64 = 10;

/// FNV-1a, 64 bits: the place index stores hashes only (two of ~570,000 keys sharing a
/// hash is a chance of about 1 in 10^8; a miss matching a stored hash, 1 in 10^13).
fn key_hash(key: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The keys a name is indexed under: its folded form, and its loose form without an Arabic
/// article.
fn name_keys(name: &str, out: &mut Vec<String>) {
    let k = place_names::fold(name);
    if k.is_empty() {
        return;
    }
    if let Some(s) = place_names::strip_article(&k) {
        out.push(place_names::loose_key(s));
    }
    out.push(k);
}

/// The keys to try for a folded name in the loose pass: without its article (exactly, and
/// among names that had one), or among names that had one.
fn loose_lookups(key: &str) -> Vec<String> {
    match place_names::strip_article(key) {
        Some(s) => vec![s.to_owned(), place_names::loose_key(s)],
        None => vec![place_names::loose_key(key)],
    }
}

fn push_key(map: &mut HashMap<String, Vec<u32>>, key: String, i: u32) {
    let v = map.entry(key).or_default();
    if v.last() != Some(&i) {
        v.push(i);
    }
}

/// Whether a region is a city with region status (Kyiv City, Sevastopol): a record naming
/// "... region" or "... oblast" means the surrounding one.
fn city_like(kind: &str) -> bool {
    let k = kind.to_ascii_lowercase();
    k.contains("city") || k.contains("municipality") || k.contains("capital")
}

/// A field trimmed, `None` if empty.
fn clean(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

fn degrees(lat: i32, lon: i32) -> (f64, f64) {
    (f64::from(lat) / COORD_SCALE, f64::from(lon) / COORD_SCALE)
}

/// Hints resolved from a record: its country and its region.
#[derive(Default)]
struct Hints {
    country: Option<u32>,
    /// Regions the admin1 field names (best first) and the admin1 indices they join to.
    region: Option<(Vec<u32>, Vec<u32>)>,
    notes: Vec<String>,
}

impl WorldGazetteer {
    /// The embedded world gazetteer, inflated and indexed on first use (about 0.25 s on two
    /// cores; see `gazetteer/world_load` in benches/basemap.rs), then shared.
    pub fn get() -> Result<&'static WorldGazetteer, GazetteerError> {
        static WORLD: OnceLock<Result<WorldGazetteer, GazetteerError>> = OnceLock::new();
        WORLD
            .get_or_init(|| Self::from_gz(EMBEDDED_GZ))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Inflate, decode and index the embedded asset afresh (what [`Self::get`] does once;
    /// for measuring it).
    pub fn load_embedded() -> Result<Self, GazetteerError> {
        Self::from_gz(EMBEDDED_GZ)
    }

    /// Inflate, decode and index a gzipped asset.
    pub fn from_gz(gz: &[u8]) -> Result<Self, GazetteerError> {
        if gz.is_empty() {
            return Err(GazetteerError::Empty);
        }
        let mut raw = Vec::with_capacity(gz.len() * 3);
        flate2::read::GzDecoder::new(gz)
            .read_to_end(&mut raw)
            .map_err(|e| GazetteerError::Corrupt(e.to_string()))?;
        let data: WorldData =
            postcard::from_bytes(&raw).map_err(|e| GazetteerError::Corrupt(e.to_string()))?;
        if data.version != WORLD_VERSION {
            return Err(GazetteerError::Version(data.version));
        }
        Ok(Self::new(data))
    }

    /// Index decoded data (the places' alternates are dropped once indexed).
    pub fn new(mut data: WorldData) -> Self {
        let per_place: Vec<Vec<(u64, u32)>> = data
            .places
            .par_iter()
            .map(|p| {
                let mut keys = Vec::new();
                name_keys(&p.name, &mut keys);
                let primary = keys.len();
                for a in p.alternates.split('|').filter(|a| !a.is_empty()) {
                    name_keys(a, &mut keys);
                }
                // (hash, PRIMARY or 0), primary first among equal hashes, then one per hash.
                let mut h: Vec<(u64, u32)> = keys
                    .iter()
                    .enumerate()
                    .map(|(j, k)| (key_hash(k), if j < primary { PRIMARY } else { 0 }))
                    .collect();
                h.sort_unstable_by_key(|&(hash, flag)| (hash, std::cmp::Reverse(flag)));
                h.dedup_by_key(|e| e.0);
                h
            })
            .collect();
        let mut place_keys: Vec<(u64, u32)> =
            Vec::with_capacity(per_place.iter().map(Vec::len).sum());
        for (i, hs) in per_place.into_iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX) & !PRIMARY;
            place_keys.extend(hs.into_iter().map(|(h, flag)| (h, i | flag)));
        }
        place_keys.par_sort_unstable();
        let (place_hashes, place_ids) = place_keys.into_iter().unzip();
        for p in &mut data.places {
            p.alternates = String::new();
        }
        let mut region_keys = HashMap::new();
        for (i, r) in data.regions.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            for n in &r.names {
                for k in region_name_keys(n) {
                    push_key(&mut region_keys, k, i);
                }
            }
        }
        let mut country_keys = HashMap::new();
        let mut country_codes = HashMap::new();
        for (i, c) in data.countries.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            let mut keys = Vec::new();
            for n in &c.names {
                name_keys(n, &mut keys);
            }
            for code in [&c.iso2, &c.iso3].into_iter().filter(|c| !c.is_empty()) {
                country_codes.entry(code.clone()).or_insert(i);
            }
            for k in keys.into_iter().filter(|k| !k.is_empty()) {
                push_key(&mut country_keys, k, i);
            }
        }
        Self {
            data,
            place_hashes,
            place_ids,
            region_keys,
            country_keys,
            country_codes,
        }
    }

    /// Number of places.
    pub fn place_count(&self) -> usize {
        self.data.places.len()
    }

    /// The places (sorted by country, then population, largest first).
    pub fn places(&self) -> &[WorldPlace] {
        &self.data.places
    }

    /// Number of regions.
    pub fn region_count(&self) -> usize {
        self.data.regions.len()
    }

    fn places_by_key(&self, key: &str, out: &mut Vec<u32>) {
        let h = key_hash(key);
        let start = self.place_hashes.partition_point(|&e| e < h);
        let n = self.place_hashes[start..]
            .iter()
            .take_while(|&&e| e == h)
            .count();
        out.extend_from_slice(&self.place_ids[start..start + n]);
    }

    /// Every name and code of the country `raw` names ("UA" → Ukraine, Україна, UA, UKR, …),
    /// for matching records that spell their country another way. None if it is unknown.
    pub fn country_aliases(&self, raw: &str) -> Option<Vec<String>> {
        let c = self.data.countries.get(self.find_country(raw)? as usize)?;
        Some(
            c.names
                .iter()
                .chain([&c.iso2, &c.iso3])
                .filter(|n| !n.is_empty())
                .cloned()
                .collect(),
        )
    }

    /// A country by any of its names or codes ("Ukraine", "Україна", "UA", "UKR").
    fn find_country(&self, raw: &str) -> Option<u32> {
        let raw = raw.trim();
        if (2..=3).contains(&raw.len())
            && raw.bytes().all(|b| b.is_ascii_alphabetic())
            && let Some(&c) = self.country_codes.get(&raw.to_ascii_uppercase())
        {
            return Some(c);
        }
        let key = place_names::fold(raw);
        let exact = self.country_keys.get(&key);
        let found = exact.or_else(|| {
            loose_lookups(&key)
                .iter()
                .find_map(|k| self.country_keys.get(k))
        });
        found.and_then(|v| v.first().copied())
    }

    /// Regions named by a folded name (as written, without its kind if `shorten`, then
    /// loosely), in the country if one is given, best first: most populous, cities with
    /// region status last ("Kyiv region" is the oblast; "Kyiv City" names the city's own
    /// region exactly).
    fn find_regions(&self, key: &str, country: Option<u32>, shorten: bool) -> Vec<u32> {
        let mut keys = vec![key.to_owned()];
        if shorten && let Some(short) = place_names::strip_region_kind(key) {
            keys.push(short.to_owned());
        }
        let loose: Vec<String> = keys.iter().flat_map(|k| loose_lookups(k)).collect();
        keys.extend(loose);
        let iso2 = country.and_then(|c| self.data.countries.get(c as usize));
        for k in &keys {
            let Some(found) = self.region_keys.get(k) else {
                continue;
            };
            let mut found: Vec<u32> = found
                .iter()
                .copied()
                .filter(|&r| {
                    iso2.is_none_or(|c| {
                        self.data
                            .regions
                            .get(r as usize)
                            .is_some_and(|r| r.country == c.iso2)
                    })
                })
                .collect();
            if found.is_empty() {
                continue;
            }
            found.sort_by_key(|&r| {
                let r = &self.data.regions[r as usize];
                (city_like(&r.kind), std::cmp::Reverse(r.population))
            });
            return found;
        }
        Vec::new()
    }

    /// Resolve the record's country and admin1 fields and the place field's hints.
    fn hints(&self, admin1: Option<&str>, country: Option<&str>, extra: &[String]) -> Hints {
        let mut h = Hints::default();
        if let Some(c) = country {
            match self.find_country(c) {
                Some(i) => h.country = Some(i),
                None => h.notes.push(format!("country \"{c}\" not recognised")),
            }
        }
        let mut region_texts: Vec<(String, bool)> = Vec::new();
        if let Some(a) = admin1 {
            region_texts.push((a.to_owned(), true));
        }
        for x in extra {
            match self.find_country(x) {
                Some(i) if h.country.is_none() => h.country = Some(i),
                Some(_) => {}
                None => region_texts.push((x.clone(), false)),
            }
        }
        for (text, given) in region_texts {
            if h.region.is_some() {
                break;
            }
            let key = place_names::fold(&text);
            let regions = self.find_regions(&key, h.country, true);
            if regions.is_empty() {
                if given {
                    h.notes.push(format!("region \"{text}\" not recognised"));
                }
                continue;
            }
            let mut admin1: Vec<u32> = regions
                .iter()
                .filter_map(|&r| self.data.regions.get(r as usize).and_then(|r| r.admin1))
                .collect();
            admin1.sort_unstable();
            admin1.dedup();
            h.region = Some((regions, admin1));
        }
        h
    }

    fn country_label(&self, iso2: &str, fallback: &str) -> String {
        if iso2.is_empty() {
            fallback.to_owned()
        } else {
            iso2.to_owned()
        }
    }

    fn country_result(&self, c: u32) -> Option<Geocoded> {
        let c = self.data.countries.get(c as usize)?;
        let (lat, lon) = degrees(c.lat, c.lon);
        let name = c.names.first().cloned().unwrap_or_default();
        Some(Geocoded {
            lat,
            lon,
            precision: LocationPrecision::Country,
            country: self.country_label(&c.iso2, &name),
            name,
            admin1: None,
            note: None,
            population: 0,
        })
    }

    fn region_result(&self, r: u32) -> Option<Geocoded> {
        let r = self.data.regions.get(r as usize)?;
        let (lat, lon) = degrees(r.lat, r.lon);
        let name = r.names.first().cloned().unwrap_or_default();
        let admin1 = r
            .admin1
            .and_then(|a| self.data.admin1.get(a as usize))
            .map_or_else(|| name.clone(), |a| a.name.clone());
        Some(Geocoded {
            lat,
            lon,
            precision: LocationPrecision::Region,
            country: r.country.clone(),
            name,
            admin1: Some(admin1),
            note: None,
            population: r.population,
        })
    }

    /// Place a record from its place, region (admin1) and country fields, any of which may be
    /// missing. The place field may carry qualifiers and hints ("Near Mosul", "Kherson
    /// (city)", "El Fasher, Sudan", "Kharkiv Oblast"); the country may be a name in English,
    /// Ukrainian or the local form, or an ISO2/ISO3 code; the region any of its names.
    /// Namesakes are narrowed to the record's country and region, then the most populous is
    /// taken. A place or region that is itself a country or region name is placed at that
    /// region or country with that precision. A place not found in a recognised region is
    /// placed at the region (precision Region, with a note).
    pub fn geocode(
        &self,
        place: Option<&str>,
        admin1: Option<&str>,
        country: Option<&str>,
    ) -> Result<Geocoded, Unresolved> {
        let (place, admin1, country) = (clean(place), clean(admin1), clean(country));
        let query = place.map(place_names::parse_place).unwrap_or_default();
        let hints = self.hints(admin1, country, &query.hints);
        let with_notes = |mut g: Geocoded, extra: Option<String>| {
            let mut notes = hints.notes.clone();
            notes.extend(g.note.take());
            notes.extend(extra);
            g.note = (!notes.is_empty()).then(|| notes.join("; "));
            g
        };
        let Some(place) = place.filter(|_| !query.names.is_empty()) else {
            let found = match (&hints.region, hints.country) {
                (Some((regions, _)), _) => regions.first().and_then(|&r| self.region_result(r)),
                (None, Some(c)) => self.country_result(c),
                (None, None) => None,
            };
            return found
                .map(|g| with_notes(g, None))
                .ok_or_else(|| Unresolved {
                    name: admin1.or(country).or(place).unwrap_or("").to_owned(),
                    reason: "no place, and no recognised region or country".to_owned(),
                });
        };
        let mut missed_in_region = false;
        for loose in [false, true] {
            for (name, kind) in &query.names {
                let keys = if loose {
                    loose_lookups(name)
                } else {
                    vec![name.clone()]
                };
                if let Some(g) = self.try_name(place, &keys, *kind, &hints, &mut missed_in_region) {
                    let note = loose
                        .then(|| format!("\"{place}\" matched \"{}\" loosely (article)", g.name));
                    return Ok(with_notes(g, note));
                }
            }
        }
        if let Some((regions, _)) = &hints.region
            && let Some(g) = regions.first().and_then(|&r| self.region_result(r))
        {
            let why = if missed_in_region {
                format!("places named \"{place}\" exist, none in {}", g.name)
            } else {
                format!("no place named \"{place}\" found")
            };
            return Ok(with_notes(g, Some(format!("{why}; placed at the region"))));
        }
        let scope = hints
            .country
            .and_then(|c| self.data.countries.get(c as usize))
            .map(|c| format!(" in {}", c.names.first().map_or("", String::as_str)))
            .unwrap_or_default();
        Err(Unresolved {
            name: place.to_owned(),
            reason: format!("no place, region or country of that name{scope}"),
        })
    }

    /// One name of the query: a country, a place or a region, as its kind allows.
    fn try_name(
        &self,
        raw: &str,
        keys: &[String],
        kind: NameKind,
        hints: &Hints,
        missed_in_region: &mut bool,
    ) -> Option<Geocoded> {
        if kind == NameKind::AsWritten {
            let country = keys
                .iter()
                .find_map(|k| self.country_keys.get(k))
                .and_then(|v| v.first().copied());
            if let Some(c) = country
                && hints.country.is_none_or(|h| h == c)
            {
                return self.country_result(c);
            }
        }
        // As written, a name is a region only under one of its own names ("Kharkiv city" is
        // not the oblast; "Kharkiv Oblast" is tried again as a region without "oblast").
        let region = || {
            let shorten = kind == NameKind::Region;
            keys.iter()
                .find_map(|k| {
                    self.find_regions(k, hints.country, shorten)
                        .first()
                        .copied()
                })
                .and_then(|r| self.region_result(r))
        };
        if kind == NameKind::Region
            && let Some(g) = region()
        {
            return Some(g);
        }
        if let Some(g) = self.try_place(raw, keys, hints, missed_in_region) {
            return Some(g);
        }
        if kind == NameKind::AsWritten {
            return region();
        }
        None
    }

    /// The most populous place of these keys in the record's country and region.
    fn try_place(
        &self,
        raw: &str,
        keys: &[String],
        hints: &Hints,
        missed_in_region: &mut bool,
    ) -> Option<Geocoded> {
        let mut found = Vec::new();
        for k in keys {
            self.places_by_key(k, &mut found);
        }
        found.sort_unstable_by_key(|&e| (e & !PRIMARY, std::cmp::Reverse(e & PRIMARY)));
        found.dedup_by_key(|e| *e & !PRIMARY);
        let primary: Vec<u32> = found
            .iter()
            .filter(|&&e| e & PRIMARY != 0)
            .map(|&e| e & !PRIMARY)
            .collect();
        let mut cands: Vec<u32> = found.iter().map(|&e| e & !PRIMARY).collect();
        let places = &self.data.places;
        let iso2 = hints
            .country
            .and_then(|c| self.data.countries.get(c as usize))
            .map(|c| c.iso2.as_bytes());
        cands.retain(|&i| {
            iso2.is_none_or(|c| places.get(i as usize).is_some_and(|p| p.country == c))
        });
        let in_country = cands.len();
        if let Some((_, admin1)) = &hints.region {
            cands.retain(|&i| {
                places
                    .get(i as usize)
                    .and_then(|p| p.admin1)
                    .is_some_and(|a| admin1.binary_search(&a).is_ok())
            });
            if cands.is_empty() {
                *missed_in_region |= in_country > 0;
                return None;
            }
        }
        // The most populous, a place of that very name counting PRIMARY_WEIGHT times.
        let best = cands.iter().copied().max_by_key(|&i| {
            let weight = if primary.binary_search(&i).is_ok() {
                PRIMARY_WEIGHT
            } else {
                1
            };
            (
                u64::from(places[i as usize].population) * weight,
                std::cmp::Reverse(i),
            )
        })?;
        let p = places.get(best as usize)?;
        let (lat, lon) = degrees(p.lat, p.lon);
        let country = String::from_utf8_lossy(&p.country).into_owned();
        let admin1 = p
            .admin1
            .and_then(|a| self.data.admin1.get(a as usize))
            .map(|a| a.name.clone());
        let note = (in_country > 1).then(|| {
            let scope = iso2.map_or_else(String::new, |_| format!(" in {country}"));
            let chosen = admin1
                .as_deref()
                .map_or_else(String::new, |a| format!(" in {a}"));
            let narrowed = if hints.region.is_some() && cands.len() < in_country {
                format!(", {} in the record's region", cands.len())
            } else {
                String::new()
            };
            format!(
                "{in_country} places match \"{raw}\"{scope}{narrowed}; \
                 chose {}{chosen} (population {})",
                p.name, p.population
            )
        });
        Some(Geocoded {
            lat,
            lon,
            precision: LocationPrecision::Settlement,
            name: p.name.clone(),
            admin1,
            country: self.country_label(&country, &country),
            note,
            population: u64::from(p.population),
        })
    }
}

/// The keys a region name is indexed under: folded, without its kind ("Kharkiv Oblast" →
/// "kharkiv"), loose forms, and the same for a Latin transliteration of a Cyrillic name
/// ("Донецька область" → "donetska oblast", so "Donetska oblast" finds it).
fn region_name_keys(name: &str) -> Vec<String> {
    let mut forms = vec![name.to_owned()];
    if name.chars().any(|c| ('\u{400}'..='\u{52f}').contains(&c)) {
        forms.push(deunicode::deunicode(name));
    }
    let mut out = Vec::new();
    for f in forms {
        let k = place_names::fold(&f);
        if k.is_empty() {
            continue;
        }
        let mut exact = vec![k.clone()];
        if let Some(short) = place_names::strip_region_kind(&k) {
            exact.push(short.to_owned());
        }
        for e in exact {
            if let Some(a) = place_names::strip_article(&e) {
                out.push(place_names::loose_key(a));
            }
            out.push(e);
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world() -> &'static WorldGazetteer {
        WorldGazetteer::get().unwrap()
    }

    /// Great-circle distance in km.
    fn km(a: (f64, f64), b: (f64, f64)) -> f64 {
        let (la1, lo1, la2, lo2) = (
            a.0.to_radians(),
            a.1.to_radians(),
            b.0.to_radians(),
            b.1.to_radians(),
        );
        let h = ((la2 - la1) / 2.0).sin().powi(2)
            + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
        2.0 * 6371.0 * h.sqrt().asin()
    }

    /// Geocode and check precision and distance (≤ 10 km) from the GeoNames point copied
    /// from places.tsv.
    #[track_caller]
    fn at(
        place: Option<&str>,
        admin1: Option<&str>,
        country: Option<&str>,
        precision: LocationPrecision,
        want: (f64, f64),
    ) -> Geocoded {
        let g = world()
            .geocode(place, admin1, country)
            .unwrap_or_else(|e| panic!("{place:?}/{admin1:?}/{country:?}: {e}"));
        assert_eq!(g.precision, precision, "{place:?}: {g:?}");
        let d = km((g.lat, g.lon), want);
        assert!(
            d <= 10.0,
            "{place:?}/{admin1:?}/{country:?}: {d:.1} km off: {g:?}"
        );
        g
    }

    const SETTLEMENT: LocationPrecision = LocationPrecision::Settlement;
    const MOSUL: (f64, f64) = (36.335, 43.11889);
    const KHARKIV: (f64, f64) = (49.98177, 36.25475);
    const KYIV: (f64, f64) = (50.45466, 30.5238);
    const SANAA: (f64, f64) = (15.35452, 44.20646);
    const EL_FASHER: (f64, f64) = (13.62793, 25.34936);

    #[test]
    fn the_asset_loads_and_is_the_whole_world() {
        let w = world();
        assert!(w.place_count() > 170_000, "{}", w.place_count());
        assert!(w.region_count() >= 4_596, "{}", w.region_count());
        assert!(w.data.countries.len() >= 240);
        assert!(w.data.places.iter().all(|p| p.alternates.is_empty()));
    }

    #[test]
    fn mosul_in_its_spellings_and_forms() {
        let g = at(Some("Mosul, Iraq"), None, None, SETTLEMENT, MOSUL);
        assert_eq!((g.name.as_str(), g.country.as_str()), ("Mosul", "IQ"));
        assert_eq!(g.admin1.as_deref(), Some("Nineveh"));
        at(Some("Near Mosul"), None, None, SETTLEMENT, MOSUL);
        at(Some("near Mosul"), None, Some("IRQ"), SETTLEMENT, MOSUL);
        at(Some("Outskirts of Mosul"), None, None, SETTLEMENT, MOSUL);
        at(Some("Mosul outskirts"), None, None, SETTLEMENT, MOSUL);
        at(Some("Mosul city"), None, None, SETTLEMENT, MOSUL);
        at(Some("Mosul (city)"), None, None, SETTLEMENT, MOSUL);
        at(Some("Al Mawsil"), None, Some("Iraq"), SETTLEMENT, MOSUL);
        at(Some("الموصل"), None, None, SETTLEMENT, MOSUL);
        at(Some("Мосул"), None, None, SETTLEMENT, MOSUL);
        at(
            Some("Mosul"),
            Some("Nineveh Governorate"),
            Some("Iraq"),
            SETTLEMENT,
            MOSUL,
        );
    }

    #[test]
    fn arab_cities_with_articles_and_apostrophes() {
        at(Some("Aleppo"), None, None, SETTLEMENT, (36.20124, 37.16117));
        at(
            Some("Halab"),
            None,
            Some("Syria"),
            SETTLEMENT,
            (36.20124, 37.16117),
        );
        at(Some("Sana'a"), None, None, SETTLEMENT, SANAA);
        at(Some("Sanaa"), None, None, SETTLEMENT, SANAA);
        at(Some("Sana"), None, Some("Yemen"), SETTLEMENT, SANAA);
        at(Some("صنعاء"), None, None, SETTLEMENT, SANAA);
        let g = at(Some("El Fasher, Sudan"), None, None, SETTLEMENT, EL_FASHER);
        assert_eq!(g.country, "SD");
        at(Some("Al Fashir"), None, None, SETTLEMENT, EL_FASHER);
        at(Some("al-Fashir"), None, None, SETTLEMENT, EL_FASHER);
        at(Some("Al-Fasher"), None, Some("SD"), SETTLEMENT, EL_FASHER);
        at(Some("Fasher"), None, Some("Sudan"), SETTLEMENT, EL_FASHER);
        at(Some("Gaza"), None, None, SETTLEMENT, (31.50161, 34.46672));
        at(
            Some("Gaza City"),
            None,
            Some("Palestine"),
            SETTLEMENT,
            (31.50161, 34.46672),
        );
    }

    #[test]
    fn ukrainian_cities_in_latin_russian_and_cyrillic_spellings() {
        for name in [
            "Kharkiv",
            "Kharkov",
            "Харків",
            "Харьков",
            "KHARKIV",
            "Kharkiv city",
        ] {
            let g = at(Some(name), None, None, SETTLEMENT, KHARKIV);
            assert_eq!(g.name, "Kharkiv");
        }
        for name in ["Kyiv", "Kiev", "Київ", "Киев", "Kyïv"] {
            at(Some(name), None, None, SETTLEMENT, KYIV);
        }
        at(
            Some("Kyiv"),
            Some("Kyiv City"),
            Some("Україна"),
            SETTLEMENT,
            KYIV,
        );
        at(
            Some("Zaporizhzhia"),
            None,
            Some("UA"),
            SETTLEMENT,
            (47.85167, 35.11714),
        );
        at(
            Some("Zaporozhye"),
            None,
            None,
            SETTLEMENT,
            (47.85167, 35.11714),
        );
        at(
            Some("Zaporizhzhya"),
            None,
            Some("UKR"),
            SETTLEMENT,
            (47.85167, 35.11714),
        );
        at(
            Some("Kryvyy Rih"),
            None,
            None,
            SETTLEMENT,
            (47.90572, 33.39404),
        );
        at(
            Some("Kryvyi Rih"),
            None,
            None,
            SETTLEMENT,
            (47.90572, 33.39404),
        );
    }

    /// places.tsv has four Kostyantynivkas in Ukraine (Donetsk 67,350 people, Zaporizhzhia
    /// 11,540, Mykolaiv 2,142, Kherson 1,455): the record's oblast picks one, in any of the
    /// oblast's spellings; without one the largest is taken, with a note.
    #[test]
    fn namesakes_are_told_apart_by_their_oblast() {
        let cases = [
            ("Donetsk Oblast", (48.52728, 37.70594), "Donetsk"),
            ("Донецька область", (48.52728, 37.70594), "Donetsk"),
            ("Donetska oblast", (48.52728, 37.70594), "Donetsk"),
            ("Donetsk", (48.52728, 37.70594), "Donetsk"),
            ("Zaporizhzhia Oblast", (46.81778, 35.42424), "Zaporizhzhia"),
            ("Запорізька область", (46.81778, 35.42424), "Zaporizhzhia"),
            ("Mykolaiv Oblast", (47.83063, 31.15155), "Mykolaiv"),
            ("Mykolaivska oblast", (47.83063, 31.15155), "Mykolaiv"),
            ("Kherson", (46.82705, 33.86855), "Kherson"),
            ("Херсонська область", (46.82705, 33.86855), "Kherson"),
        ];
        for (oblast, want, admin1) in cases {
            for name in ["Kostiantynivka", "Kostyantynivka", "Костянтинівка"] {
                let g = at(Some(name), Some(oblast), Some("Ukraine"), SETTLEMENT, want);
                assert_eq!(g.admin1.as_deref(), Some(admin1), "{name} in {oblast}");
            }
        }
        let g = at(
            Some("Kostiantynivka"),
            None,
            Some("UA"),
            SETTLEMENT,
            (48.52728, 37.70594),
        );
        let note = g.note.unwrap();
        assert!(
            note.starts_with("4 places match \"Kostiantynivka\" in UA"),
            "{note}"
        );
        assert!(note.contains("in Donetsk"), "{note}");
        // In the place field too.
        at(
            Some("Kostiantynivka, Zaporizhzhia Oblast"),
            None,
            None,
            SETTLEMENT,
            (46.81778, 35.42424),
        );
        // An oblast with no Kostiantynivka in the gazetteer: the oblast, not a namesake.
        let g = world()
            .geocode(Some("Kostiantynivka"), Some("Odesa Oblast"), Some("UA"))
            .unwrap();
        assert_eq!(g.precision, LocationPrecision::Region, "{g:?}");
        assert!(g.note.unwrap().contains("placed at the region"));
    }

    #[test]
    fn regions_and_countries_alone() {
        let w = world();
        for (place, admin1) in [
            (Some("Kharkiv Oblast"), None),
            (Some("Kharkiv region"), None),
            (Some("Харківська область"), None),
            (None, Some("Kharkiv Oblast")),
            (None, Some("Kharkivska oblast")),
        ] {
            let g = w.geocode(place, admin1, Some("Ukraine")).unwrap();
            assert_eq!(
                g.precision,
                LocationPrecision::Region,
                "{place:?} {admin1:?}"
            );
            assert_eq!(g.admin1.as_deref(), Some("Kharkiv"));
            assert!(km((g.lat, g.lon), (49.6, 36.5)) < 120.0, "{g:?}");
        }
        let g = w.geocode(Some("Kyiv Oblast"), None, None).unwrap();
        assert_eq!(
            (g.precision, g.admin1.as_deref()),
            (LocationPrecision::Region, Some("Kyiv Oblast"))
        );
        let g = w.geocode(None, Some("Nineveh"), Some("Iraq")).unwrap();
        assert_eq!(g.precision, LocationPrecision::Region);
        assert!(km((g.lat, g.lon), MOSUL) < 150.0, "{g:?}");
        let g = w
            .geocode(Some("North Darfur"), None, Some("Sudan"))
            .unwrap();
        assert_eq!(g.precision, LocationPrecision::Region, "{g:?}");
        for (place, country) in [
            (Some("Sudan"), None),
            (None, Some("Sudan")),
            (None, Some("SD")),
            (None, Some("SDN")),
            (None, Some("Судан")),
            (None, Some("السودان")),
        ] {
            let g = w.geocode(place, None, country).unwrap();
            assert_eq!(
                g.precision,
                LocationPrecision::Country,
                "{place:?} {country:?}"
            );
            assert_eq!((g.name.as_str(), g.country.as_str()), ("Sudan", "SD"));
            assert!(km((g.lat, g.lon), (15.5, 30.0)) < 500.0, "{g:?}");
        }
        let g = w.geocode(None, None, Some("Україна")).unwrap();
        assert_eq!(
            (g.precision, g.country.as_str()),
            (LocationPrecision::Country, "UA")
        );
    }

    #[test]
    fn what_cannot_be_placed_is_unresolved() {
        let w = world();
        let e = w
            .geocode(Some("Nowhere-on-the-map"), None, None)
            .unwrap_err();
        assert_eq!(e.name, "Nowhere-on-the-map");
        assert!(!e.reason.is_empty());
        assert!(w.geocode(Some("Qwxzvbnm"), None, Some("Ukraine")).is_err());
        assert!(w.geocode(None, None, None).is_err());
        assert!(w.geocode(Some("  "), None, Some("Narnia")).is_err());
        // A Ukrainian town is not taken from another country the record names.
        assert!(
            w.geocode(Some("Kostiantynivka"), None, Some("Sudan"))
                .is_err()
        );
    }

    #[test]
    fn unrecognised_hints_are_noted_not_fatal() {
        let g = world()
            .geocode(Some("Mosul"), None, Some("Atlantis"))
            .unwrap();
        assert_eq!(g.name, "Mosul");
        assert!(g.note.unwrap().contains("not recognised"));
    }

    /// Most places are found again under their own name, region and country (about 2,000
    /// spread over the list); the exceptions are namesakes in the same region with more
    /// people, which must then be the one returned.
    #[test]
    fn places_are_found_under_their_own_names() {
        let w = world();
        let every = w.data.places.len() / 2_000;
        let mut checked = 0;
        for p in w.data.places.iter().step_by(every) {
            let admin1 = p
                .admin1
                .and_then(|a| w.data.admin1.get(a as usize))
                .map(|a| a.name.as_str());
            let iso2 = String::from_utf8_lossy(&p.country).into_owned();
            let g = w
                .geocode(Some(&p.name), admin1, Some(&iso2))
                .unwrap_or_else(|e| panic!("{}: {e}", p.name));
            checked += 1;
            let (lat, lon) = degrees(p.lat, p.lon);
            if km((g.lat, g.lon), (lat, lon)) < 0.01 {
                continue;
            }
            // Something else of that name won: a country or region named so, or a more
            // populous namesake (or one ten times as populous known by it as an alternate).
            let namesake_won = g.precision == LocationPrecision::Settlement
                && w.data.places.iter().any(|q| {
                    q.population >= p.population && degrees(q.lat, q.lon) == (g.lat, g.lon)
                });
            assert!(
                namesake_won || g.precision != LocationPrecision::Settlement,
                "{} ({iso2}, {admin1:?}) → {g:?}",
                p.name
            );
        }
        assert!(checked > 1_900);
    }
}
