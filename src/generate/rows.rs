//! Building one event: the random draws that make a [`Row`] out of a sampled place and day.

use super::calendar::{Day, Days, FIRST_DAY, LAST_DAY};
use super::notes::write_notes;
use super::vocabulary::{
    BATTLE_SOURCES, KINDS_FAR, KINDS_NEAR, Kind, NATIONAL, RUSSIA, TARGETS, Target, UKRAINE,
    WEAPONS_AIR_FAR, WEAPONS_AIR_NEAR, WEAPONS_SHELLING_FAR, WEAPONS_SHELLING_NEAR,
    WEAPONS_UKRAINIAN, Weapon,
};
use super::world::{FALLBACK_REGION, Place, Region, World};

/// Pick an index by weight.
fn pick<T>(rng: &mut fastrand::Rng, items: &[(u32, T)]) -> usize {
    let total: u32 = items.iter().map(|(w, _)| w).sum();
    let mut x = rng.u32(0..total.max(1));
    for (i, (w, _)) in items.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    items.len().saturating_sub(1)
}

/// One generated event; strings borrow from the world, constants or [`Bufs`].
///
/// Fields are named after the ACLED columns they fill; `injured` and `range` have no column
/// of their own but go into the notes and GeoJSON.
pub(super) struct Row<'a> {
    pub(super) id: u64,
    pub(super) day: &'a Day,
    /// Range ends for time precision 2/3.
    pub(super) range: Option<(&'a Day, &'a Day)>,
    pub(super) time_precision: u8,
    pub(super) geo_precision: u8,
    pub(super) kind: Kind,
    pub(super) actor1: &'static str,
    pub(super) actor2: &'static str,
    pub(super) assoc_actor_2: &'static str,
    pub(super) inter2: &'static str,
    pub(super) interaction: &'static str,
    pub(super) civilian: bool,
    pub(super) place: &'a Place,
    pub(super) region: &'a Region,
    pub(super) lat: f64,
    pub(super) lon: f64,
    pub(super) weapon: Option<&'static Weapon>,
    pub(super) target: Option<&'static Target>,
    pub(super) fatalities: u32,
    pub(super) injured: u32,
    pub(super) source_scale: &'static str,
    pub(super) timestamp: i64,
}

/// Reused text buffers (no per-row allocation once warm).
#[derive(Default)]
pub(super) struct Bufs {
    /// The notes column (see [`write_notes`]).
    pub(super) notes: String,
    /// The source column: outlets separated by "; ".
    pub(super) source: String,
    /// The outlets of `source`, for GeoJSON.
    pub(super) outlets: Vec<(usize, usize)>,
    /// Scratch for numbers and ids being formatted.
    pub(super) num: String,
    /// Scratch for the GeoJSON title.
    pub(super) title: String,
}

/// A point `min_km`–`max_km` from (lat, lon) in a random direction: events are not all at
/// the gazetteer point of their place.
fn jitter(rng: &mut fastrand::Rng, lat: f64, lon: f64, min_km: f64, max_km: f64) -> (f64, f64) {
    let r = min_km + (max_km - min_km) * rng.f64();
    let a = std::f64::consts::TAU * rng.f64();
    let dlat = r * a.sin() / 110.57;
    let dlon = r * a.cos() / (111.32 * lat.to_radians().cos());
    (lat + dlat, lon + dlon)
}

/// Pick a weapon valid on day `z` (falls back to none).
fn pick_weapon(
    rng: &mut fastrand::Rng,
    table: &'static [(u32, Option<Weapon>)],
    z: i64,
) -> Option<&'static Weapon> {
    for _ in 0..4 {
        let i = pick(rng, table);
        match table.get(i).and_then(|(_, w)| w.as_ref()) {
            Some(w) if w.since > z => continue,
            other => return other,
        }
    }
    None
}

/// A count in 1..=30 with a long tail (most are 1–3).
fn casualties(rng: &mut fastrand::Rng) -> u32 {
    let x = (rng.f64().powf(3.0) * 31f64.ln()).exp();
    (x.floor() as u32).clamp(1, 30)
}

/// Makes rows one after another from one PRNG, so that a seed fixes the whole file.
pub(super) struct Generator<'w> {
    /// Where events can happen.
    pub(super) world: &'w World,
    /// The calendar rows borrow their dates from.
    pub(super) days: &'w Days,
    /// The one source of randomness: every draw, in a fixed order, for every row.
    pub(super) rng: fastrand::Rng,
    /// Text of the current row (notes, sources) and scratch space for the writers.
    pub(super) bufs: Bufs,
}

impl<'w> Generator<'w> {
    /// The event `id` on day `z`; its notes and sources are left in `self.bufs`.
    ///
    /// The draws happen in a fixed order (place, kind, weapon, target, casualties,
    /// precisions, coordinates, sources, timestamp, notes): changing it changes every file.
    pub(super) fn row(&mut self, id: u64, z: i64) -> Row<'w> {
        let world = self.world;
        let days = self.days;
        let rng = &mut self.rng;
        let place = world.sample(rng, z);
        let region = world
            .regions
            .get(place.region)
            .or_else(|| world.regions.first());
        // `World::embedded` guarantees at least one region.
        let region = match region {
            Some(r) => r,
            None => &FALLBACK_REGION,
        };
        let (kind, ukrainian_actor, near) = pick_kind(rng, place);
        let weapon = pick_weapon_for(rng, kind, ukrainian_actor, near, z);
        let target = pick_target(rng, kind, region);
        let (fatalities, injured) = pick_casualties(rng, kind);
        let civilian = kind != Kind::Clash
            && (fatalities > 0 || injured > 0 || target.is_some() && rng.f64() < 0.5);
        let (actor2, inter2, interaction) = second_actor(kind, civilian);
        let assoc_actor_2 = match target.map(|t| t.schema) {
            Some("healthcare") if civilian => "Health Workers (Ukraine)",
            _ => "",
        };
        let (time_precision, geo_precision) = pick_precisions(rng);
        let (lat, lon) = match geo_precision {
            1 => jitter(rng, place.lat, place.lon, 0.5, 3.0),
            2 => jitter(rng, place.lat, place.lon, 3.0, 10.0),
            _ => (region.lat, region.lon),
        };
        let range = date_range(days, time_precision, z);
        let source_scale = write_sources(rng, &mut self.bufs, kind, region);
        let timestamp =
            days.get(z).unix + 86_400 * i64::from(rng.u32(3..21)) + i64::from(rng.u32(0..86_400));

        let row = Row {
            id,
            day: days.get(z),
            range,
            time_precision,
            geo_precision,
            kind,
            actor1: if ukrainian_actor { UKRAINE } else { RUSSIA },
            actor2,
            assoc_actor_2,
            inter2,
            interaction,
            civilian,
            place,
            region,
            lat,
            lon,
            weapon,
            target,
            fatalities,
            injured,
            source_scale,
            timestamp,
        };
        write_notes(&mut self.rng, &mut self.bufs.notes, &row);
        row
    }
}

/// What happens at `place`: (kind, whether Ukraine is the actor, whether it is within
/// artillery range of the front or the border — else missiles and drones).
fn pick_kind(rng: &mut fastrand::Rng, place: &Place) -> (Kind, bool, bool) {
    let d = place.front_km.min(place.border_km);
    let near = d < 40.0 && rng.f64() < (-d / 40.0).exp();
    let ukrainian_actor = place.occupied && rng.f64() < 0.8;
    let kind = if ukrainian_actor {
        if rng.f64() < 0.6 {
            Kind::Shelling
        } else {
            Kind::AirDrone
        }
    } else if near {
        match KINDS_NEAR[pick(rng, KINDS_NEAR)].1 {
            Kind::Clash if place.front_km > 30.0 => Kind::Shelling,
            k => k,
        }
    } else {
        KINDS_FAR[pick(rng, KINDS_FAR)].1
    };
    (kind, ukrainian_actor, near)
}

/// The weapon the notes name, from the table for the actor, kind and distance.
fn pick_weapon_for(
    rng: &mut fastrand::Rng,
    kind: Kind,
    ukrainian_actor: bool,
    near: bool,
    z: i64,
) -> Option<&'static Weapon> {
    match kind {
        _ if ukrainian_actor => pick_weapon(rng, WEAPONS_UKRAINIAN, z),
        Kind::Shelling if near => pick_weapon(rng, WEAPONS_SHELLING_NEAR, z),
        Kind::Shelling => pick_weapon(rng, WEAPONS_SHELLING_FAR, z),
        Kind::AirDrone if near => pick_weapon(rng, WEAPONS_AIR_NEAR, z),
        Kind::AirDrone => pick_weapon(rng, WEAPONS_AIR_FAR, z),
        Kind::Explosive | Kind::Clash => None,
    }
}

/// The target the notes name, for strikes about half the time.
fn pick_target(rng: &mut fastrand::Rng, kind: Kind, region: &Region) -> Option<&'static Target> {
    match kind {
        Kind::Shelling | Kind::AirDrone if rng.f64() < 0.45 => {
            let t = TARGETS.get(pick(rng, TARGETS)).map(|(_, t)| t);
            // Ports only where there are sea or river ports.
            match t {
                Some(t)
                    if t.object == "port infrastructure"
                        && !matches!(region.acled, "Odesa" | "Mykolaiv" | "Kherson") =>
                {
                    TARGETS.first().map(|(_, t)| t)
                }
                t => t,
            }
        }
        _ => None,
    }
}

/// (fatalities, injured): mostly none.
fn pick_casualties(rng: &mut fastrand::Rng, kind: Kind) -> (u32, u32) {
    match kind {
        Kind::Clash if rng.f64() < 0.15 => (casualties(rng), 0),
        Kind::Explosive if rng.f64() < 0.4 => (rng.u32(1..=2), rng.u32(0..=2)),
        Kind::Shelling | Kind::AirDrone if rng.f64() < 0.2 => {
            let k = casualties(rng);
            (k, rng.u32(0..=k * 3))
        }
        Kind::Shelling | Kind::AirDrone if rng.f64() < 0.15 => (0, rng.u32(1..=6)),
        _ => (0, 0),
    }
}

/// (actor2, inter2, interaction): Ukraine's forces in a clash, else civilians if hit.
fn second_actor(kind: Kind, civilian: bool) -> (&'static str, &'static str, &'static str) {
    match kind {
        Kind::Clash => (UKRAINE, "State forces", "State forces-State forces"),
        _ if civilian => ("Civilians (Ukraine)", "Civilians", "State forces-Civilians"),
        _ => ("", "", "State forces only"),
    }
}

/// (time_precision, geo_precision), ACLED's codes 1–3: mostly exact day and settlement.
fn pick_precisions(rng: &mut fastrand::Rng) -> (u8, u8) {
    let time_precision = match rng.u32(0..100) {
        0..90 => 1,
        90..98 => 2,
        _ => 3,
    };
    let geo_precision = match rng.u32(0..100) {
        0..80 => 1,
        80..95 => 2,
        _ => 3,
    };
    (time_precision, geo_precision)
}

/// The days around `z` an imprecise date stands for: a week (precision 2), a month (3).
fn date_range(days: &Days, time_precision: u8, z: i64) -> Option<(&Day, &Day)> {
    match time_precision {
        2 => Some((
            days.get((z - 3).max(FIRST_DAY)),
            days.get((z + 3).min(LAST_DAY)),
        )),
        3 => Some((
            days.get((z - 15).max(FIRST_DAY)),
            days.get((z + 15).min(LAST_DAY)),
        )),
        _ => None,
    }
}

/// Fill `bufs.source` and `bufs.outlets` with the row's sources; returns ACLED's
/// source_scale for them.
fn write_sources(
    rng: &mut fastrand::Rng,
    bufs: &mut Bufs,
    kind: Kind,
    region: &Region,
) -> &'static str {
    bufs.source.clear();
    bufs.outlets.clear();
    if kind == Kind::Clash {
        let (s, scale) = BATTLE_SOURCES[rng.usize(0..BATTLE_SOURCES.len())];
        for part in s.split("; ") {
            push_outlet(bufs, part);
        }
        scale
    } else {
        let national = NATIONAL[rng.usize(0..NATIONAL.len())];
        match rng.u32(0..100) {
            0..35 => {
                push_outlet(bufs, &region.administration);
                "Subnational"
            }
            35..65 => {
                push_outlet(bufs, national);
                "National"
            }
            65..92 => {
                push_outlet(bufs, &region.administration);
                push_outlet(bufs, national);
                "Subnational-National"
            }
            _ => {
                push_outlet(bufs, "Telegram");
                push_outlet(bufs, national);
                "New media-National"
            }
        }
    }
}

/// Append one outlet to the `;`-separated source column, remembering its span for GeoJSON.
fn push_outlet(bufs: &mut Bufs, s: &str) {
    if !bufs.source.is_empty() {
        bufs.source.push_str("; ");
    }
    let start = bufs.source.len();
    bufs.source.push_str(s);
    bufs.outlets.push((start, bufs.source.len()));
}
