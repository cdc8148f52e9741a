//! What the events say: event kinds, actors, weapons, targets, colour sentences and source
//! outlets, as weighted tables in ACLED's wording.

use super::calendar::days_from_civil;

/// What kind of event a row is: ACLED's sub-event types that matter for strikes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Shelling/artillery/missile attack.
    Shelling,
    /// Air/drone strike.
    AirDrone,
    /// Remote explosive/landmine/IED.
    Explosive,
    /// Armed clash (the only battle kind).
    Clash,
}

impl Kind {
    /// ACLED's event_type column.
    pub(super) fn event_type(self) -> &'static str {
        match self {
            Kind::Clash => "Battles",
            _ => "Explosions/Remote violence",
        }
    }

    /// ACLED's sub_event_type column.
    pub(super) fn sub_event_type(self) -> &'static str {
        match self {
            Kind::Shelling => "Shelling/artillery/missile attack",
            Kind::AirDrone => "Air/drone strike",
            Kind::Explosive => "Remote explosive/landmine/IED",
            Kind::Clash => "Armed clash",
        }
    }
}

/// Weighted kinds within artillery range of the front or the border.
pub(super) const KINDS_NEAR: &[(u32, Kind)] = &[
    (56, Kind::Shelling),
    (20, Kind::AirDrone),
    (3, Kind::Explosive),
    (21, Kind::Clash),
];
/// Weighted kinds far from the front: no battles, mostly missiles and drones.
pub(super) const KINDS_FAR: &[(u32, Kind)] = &[
    (30, Kind::Shelling),
    (62, Kind::AirDrone),
    (8, Kind::Explosive),
];

/// A weapon as the notes name it.
pub(super) struct Weapon {
    /// Text after "with" ("Shahed drones").
    pub(super) text: &'static str,
    /// Our schema's keyword.
    pub(super) schema: &'static str,
    /// First day it was in use (days since the epoch).
    pub(super) since: i64,
}

/// Short constructor, so the weapon tables stay one entry a line.
const fn w(text: &'static str, schema: &'static str, since: i64) -> Weapon {
    Weapon {
        text,
        schema,
        since,
    }
}

/// In use from the start.
const ANY: i64 = 0;
/// First Shahed drone attacks reported.
const SHAHED: i64 = days_from_civil(2022, 9, 13);
/// Guided glide bombs (KAB) in regular use.
const KAB: i64 = days_from_civil(2023, 1, 15);
/// FPV drones in regular use.
const FPV: i64 = days_from_civil(2023, 6, 1);
/// First HIMARS strikes.
const HIMARS: i64 = days_from_civil(2022, 6, 23);
/// First Storm Shadow strikes.
const STORM_SHADOW: i64 = days_from_civil(2023, 5, 12);

/// `None` = the notes name no weapon.
pub(super) const WEAPONS_SHELLING_NEAR: &[(u32, Option<Weapon>)] = &[
    (45, Some(w("artillery", "artillery", ANY))),
    (12, Some(w("MLRS", "artillery", ANY))),
    (6, Some(w("Grad MLRS", "artillery", ANY))),
    (14, Some(w("mortars", "artillery", ANY))),
    (5, Some(w("tank fire", "artillery", ANY))),
    (4, Some(w("S-300 missiles", "other", ANY))),
    (30, None),
];
/// Russian shelling and missiles far from the front.
pub(super) const WEAPONS_SHELLING_FAR: &[(u32, Option<Weapon>)] = &[
    (
        12,
        Some(w("an Iskander ballistic missile", "ballistic_missile", ANY)),
    ),
    (10, Some(w("ballistic missiles", "ballistic_missile", ANY))),
    (14, Some(w("Kh-101 cruise missiles", "cruise_missile", ANY))),
    (10, Some(w("Kalibr cruise missiles", "cruise_missile", ANY))),
    (12, Some(w("S-300 missiles", "other", ANY))),
];
/// Russian air and drone strikes near the front.
pub(super) const WEAPONS_AIR_NEAR: &[(u32, Option<Weapon>)] = &[
    (25, Some(w("guided aerial bombs", "guided_bomb", KAB))),
    (6, Some(w("KAB glide bombs", "guided_bomb", KAB))),
    (22, Some(w("FPV drones", "drone", FPV))),
    (16, Some(w("drones", "drone", ANY))),
    (5, Some(w("Lancet loitering munitions", "drone", ANY))),
    (10, Some(w("Shahed drones", "drone", SHAHED))),
    (16, None),
];
/// Russian air and drone strikes far from the front.
pub(super) const WEAPONS_AIR_FAR: &[(u32, Option<Weapon>)] = &[
    (45, Some(w("Shahed drones", "drone", SHAHED))),
    (14, Some(w("drones", "drone", ANY))),
    (14, Some(w("Kh-101 cruise missiles", "cruise_missile", ANY))),
    (
        5,
        Some(w("Kinzhal ballistic missiles", "ballistic_missile", ANY)),
    ),
    (8, None),
];
/// Ukrainian strikes on occupied territory.
pub(super) const WEAPONS_UKRAINIAN: &[(u32, Option<Weapon>)] = &[
    (30, Some(w("artillery", "artillery", ANY))),
    (15, Some(w("HIMARS rockets", "artillery", HIMARS))),
    (30, Some(w("drones", "drone", ANY))),
    (
        6,
        Some(w(
            "Storm Shadow cruise missiles",
            "cruise_missile",
            STORM_SHADOW,
        )),
    ),
    (19, None),
];

/// A target as the notes name it.
pub(super) struct Target {
    /// Object of "hitting …".
    pub(super) object: &'static str,
    /// A sentence saying it was damaged.
    pub(super) damaged: &'static str,
    /// Our schema's keyword.
    pub(super) schema: &'static str,
}

/// Short constructor, so the target table stays readable.
const fn t(object: &'static str, damaged: &'static str, schema: &'static str) -> Target {
    Target {
        object,
        damaged,
        schema,
    }
}

/// Weighted targets of strikes.
pub(super) const TARGETS: &[(u32, Target)] = &[
    (
        30,
        t(
            "a residential building",
            "A residential building was damaged.",
            "residential",
        ),
    ),
    (
        20,
        t(
            "private houses",
            "Several private houses were damaged.",
            "residential",
        ),
    ),
    (
        12,
        t(
            "energy infrastructure",
            "Energy infrastructure was damaged.",
            "energy",
        ),
    ),
    (
        4,
        t(
            "a power substation",
            "A power substation was damaged.",
            "energy",
        ),
    ),
    (3, t("a hospital", "A hospital was damaged.", "healthcare")),
    (
        4,
        t("a school", "A school building was damaged.", "education"),
    ),
    (
        3,
        t(
            "a railway station",
            "A railway station was damaged.",
            "transport",
        ),
    ),
    (
        3,
        t("a factory", "A factory was damaged.", "industrial_fuel"),
    ),
    (
        2,
        t(
            "an oil depot",
            "An oil depot caught fire.",
            "industrial_fuel",
        ),
    ),
    (5, t("a civilian car", "A civilian car was hit.", "other")),
    (
        3,
        t(
            "agricultural machinery",
            "Agricultural machinery was destroyed.",
            "other",
        ),
    ),
    (
        2,
        t(
            "port infrastructure",
            "Port infrastructure was damaged.",
            "transport",
        ),
    ),
];

/// Sentences that add colour without naming a weapon or target keyword.
pub(super) const EXTRAS: &[&str] = &[
    "A fire broke out at the site.",
    "Windows in nearby buildings were shattered.",
    "Power outages were reported in the area.",
    "Emergency services worked at the site.",
    "Several cars were damaged.",
    "The strike left a large crater.",
    "Rescuers cleared the rubble for several hours.",
    "Local authorities announced an evacuation of the area.",
];
/// Colour sentences for drone attacks only.
pub(super) const EXTRAS_DRONES: &[&str] = &[
    "Ukrainian air defence shot down most of the drones.",
    "Debris from downed drones fell on the area.",
];

/// National Ukrainian outlets cited for strikes.
pub(super) const NATIONAL: &[&str] = &[
    "Ukrinform",
    "Ukrainska Pravda",
    "Suspilne",
    "Kyiv Independent",
    "UNIAN",
    "Hromadske",
    "Interfax-Ukraine",
    "Ministry of Defence of Ukraine",
];
/// (source, source_scale) pairs cited for battles.
pub(super) const BATTLE_SOURCES: &[(&str, &str)] = &[
    ("General Staff of the Armed Forces of Ukraine", "National"),
    ("ISW", "Other"),
    ("Rybar; ISW", "New media-Other"),
    (
        "General Staff of the Armed Forces of Ukraine; Russian Ministry of Defence",
        "National-International",
    ),
    ("DeepState", "New media"),
];

/// ACLED's actor name for Russia's forces.
pub(super) const RUSSIA: &str = "Military Forces of Russia (2000-)";
/// ACLED's actor name for Ukraine's forces.
pub(super) const UKRAINE: &str = "Military Forces of Ukraine (2019-)";
