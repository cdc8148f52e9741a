//! The notes column: ACLED-style prose about a [`Row`], 60–250 characters.

use std::fmt::Write as _;

use super::rows::Row;
use super::vocabulary::{EXTRAS, EXTRAS_DRONES, Kind, RUSSIA};

/// Append `s` if the notes stay within `max` characters.
fn push_within(notes: &mut String, s: &str, max: usize) -> bool {
    let fits = notes.chars().count() + 1 + s.chars().count() <= max;
    if fits {
        notes.push(' ');
        notes.push_str(s);
    }
    fits
}

/// The notes column: ACLED-style prose, 60–250 characters.
pub(super) fn write_notes(rng: &mut fastrand::Rng, out: &mut String, r: &Row<'_>) {
    const MIN: usize = 60;
    const MAX: usize = 250;
    out.clear();
    // Opening with the date.
    match r.time_precision {
        1 => {
            let _ = write!(out, "On {},", r.day.acled);
        }
        2 => {
            let _ = write!(out, "On or around {},", r.day.acled);
        }
        _ => {
            let _ = write!(out, "In {},", r.day.month);
        }
    }
    // Where: three ways ACLED writes it (Kyiv City and Sevastopol only the first: they are
    // no "region" with raions).
    let city = r.region.acled.ends_with("City") || r.region.acled == "Sevastopol";
    let loc = |out: &mut String, rng: &mut fastrand::Rng| match rng.u32(0..20) {
        n if city || n < 9 => {
            let _ = write!(out, "{} ({})", r.place.name, r.region.acled);
        }
        9..16 => {
            let _ = write!(out, "{} ({} region)", r.place.name, r.region.acled);
        }
        _ => {
            let _ = write!(
                out,
                "{}, {} raion, {} region",
                r.place.name, r.place.admin2, r.region.acled
            );
        }
    };
    let russian = r.actor1 == RUSSIA;
    let forces = if russian {
        "Russian forces"
    } else {
        "Ukrainian forces"
    };
    let mut target_said = false;
    match r.kind {
        Kind::Clash => match rng.u32(0..3) {
            0 => {
                out.push_str(" Russian and Ukrainian forces clashed near ");
                loc(out, rng);
                out.push('.');
            }
            1 => {
                out.push_str(" Ukrainian forces repelled a Russian assault near ");
                loc(out, rng);
                out.push('.');
            }
            _ => {
                out.push_str(" Russian forces attempted to advance near ");
                loc(out, rng);
                out.push_str(" and clashed with Ukrainian forces.");
            }
        },
        Kind::Explosive => match rng.u32(0..3) {
            0 => {
                out.push_str(" a civilian vehicle hit a landmine near ");
                loc(out, rng);
                out.push('.');
            }
            1 => {
                out.push_str(" an unexploded ordnance detonated in ");
                loc(out, rng);
                out.push('.');
            }
            _ => {
                out.push_str(" an IED exploded near ");
                loc(out, rng);
                out.push('.');
            }
        },
        Kind::Shelling | Kind::AirDrone => {
            let verb = match (r.kind, r.weapon.is_some()) {
                (Kind::Shelling, false) => "shelled",
                (Kind::Shelling, true) => "struck",
                (_, false) => "carried out an airstrike on",
                (_, true) => "attacked",
            };
            let _ = write!(out, " {forces} {verb} ");
            loc(out, rng);
            if let Some(w) = r.weapon {
                let _ = write!(out, " with {}", w.text);
            }
            match r.target {
                Some(t) if rng.bool() => {
                    let _ = write!(out, ", hitting {}.", t.object);
                    target_said = true;
                }
                _ => out.push('.'),
            }
        }
    }
    if !target_said && let Some(t) = r.target {
        push_within(out, t.damaged, MAX);
    }
    // Casualties.
    let mut num = String::new();
    let casualty = match (r.kind, r.fatalities, r.injured) {
        (Kind::Clash, k, _) if k > 0 => {
            let _ = write!(num, "{k} fatalities were reported.");
            num.as_str()
        }
        (_, 1, 0) => "1 civilian was killed.",
        (_, 1, i) => {
            let _ = write!(num, "1 civilian was killed and {i} injured.");
            num.as_str()
        }
        (_, k, 0) if k > 1 => {
            let _ = write!(num, "{k} civilians were killed.");
            num.as_str()
        }
        (_, k, i) if k > 1 => {
            let _ = write!(num, "{k} civilians were killed and {i} injured.");
            num.as_str()
        }
        (_, _, 1) => "1 civilian was injured.",
        (_, _, i) if i > 1 => {
            let _ = write!(num, "{i} civilians were injured.");
            num.as_str()
        }
        _ => match rng.u32(0..3) {
            0 => "No casualties reported.",
            1 => "Casualties unknown.",
            _ => "No fatalities reported.",
        },
    };
    push_within(out, casualty, MAX);
    // Colour.
    let extras = match rng.u32(0..100) {
        0..70 => 0,
        70..94 => 1,
        _ => 2,
    };
    for _ in 0..extras {
        let drones = r.weapon.is_some_and(|w| w.schema == "drone") && r.kind == Kind::AirDrone;
        let s = if drones && rng.bool() {
            EXTRAS_DRONES[rng.usize(0..EXTRAS_DRONES.len())]
        } else if r.kind == Kind::Clash {
            if russian {
                "The Ukrainian General Staff reported the clash."
            } else {
                "Both sides claimed gains in the area."
            }
        } else {
            EXTRAS[rng.usize(0..EXTRAS.len())]
        };
        if out.contains(s) {
            continue;
        }
        push_within(out, s, MAX);
    }
    while out.chars().count() < MIN {
        push_within(out, "Casualties unknown.", MAX);
    }
}
