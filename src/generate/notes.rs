//! The notes column: ACLED-style prose about a [`Row`], 60–250 characters.

use std::fmt::Write as _;

use super::rows::Row;
use super::vocabulary::{EXTRAS, EXTRAS_DRONES, Kind, RUSSIA};

/// Notes are at least this many characters (ACLED's shortest are about this long).
const MIN: usize = 60;
/// Notes are at most this many characters: sentences that would not fit are left out.
const MAX: usize = 250;

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
///
/// The sentences come in ACLED's order: date, what happened where (with weapon and target),
/// damage, casualties, colour; padded to `MIN` with "Casualties unknown.".
pub(super) fn write_notes(rng: &mut fastrand::Rng, out: &mut String, r: &Row<'_>) {
    out.clear();
    write_date(out, r);
    let target_said = write_event(out, rng, r);
    if !target_said && let Some(t) = r.target {
        push_within(out, t.damaged, MAX);
    }
    let mut num = String::new();
    let casualty = casualty_sentence(rng, r, &mut num);
    push_within(out, casualty, MAX);
    write_colour(out, rng, r);
    while out.chars().count() < MIN {
        push_within(out, "Casualties unknown.", MAX);
    }
}

/// The opening with the date, as precise as the row's time precision.
fn write_date(out: &mut String, r: &Row<'_>) {
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
}

/// Where: three ways ACLED writes it (Kyiv City and Sevastopol only the first: they are
/// no "region" with raions).
fn write_place(out: &mut String, rng: &mut fastrand::Rng, r: &Row<'_>) {
    let city = r.region.acled.ends_with("City") || r.region.acled == "Sevastopol";
    match rng.u32(0..20) {
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
    }
}

/// The sentence saying what happened where; true if it named the target.
fn write_event(out: &mut String, rng: &mut fastrand::Rng, r: &Row<'_>) -> bool {
    match r.kind {
        Kind::Clash => {
            write_clash(out, rng, r);
            false
        }
        Kind::Explosive => {
            write_explosion(out, rng, r);
            false
        }
        Kind::Shelling | Kind::AirDrone => write_strike(out, rng, r),
    }
}

/// A battle near the place.
fn write_clash(out: &mut String, rng: &mut fastrand::Rng, r: &Row<'_>) {
    match rng.u32(0..3) {
        0 => {
            out.push_str(" Russian and Ukrainian forces clashed near ");
            write_place(out, rng, r);
            out.push('.');
        }
        1 => {
            out.push_str(" Ukrainian forces repelled a Russian assault near ");
            write_place(out, rng, r);
            out.push('.');
        }
        _ => {
            out.push_str(" Russian forces attempted to advance near ");
            write_place(out, rng, r);
            out.push_str(" and clashed with Ukrainian forces.");
        }
    }
}

/// A mine, unexploded ordnance or IED.
fn write_explosion(out: &mut String, rng: &mut fastrand::Rng, r: &Row<'_>) {
    match rng.u32(0..3) {
        0 => {
            out.push_str(" a civilian vehicle hit a landmine near ");
            write_place(out, rng, r);
            out.push('.');
        }
        1 => {
            out.push_str(" an unexploded ordnance detonated in ");
            write_place(out, rng, r);
            out.push('.');
        }
        _ => {
            out.push_str(" an IED exploded near ");
            write_place(out, rng, r);
            out.push('.');
        }
    }
}

/// Shelling or an air/drone strike, with the weapon and, half the time, the target; true if
/// it named the target.
fn write_strike(out: &mut String, rng: &mut fastrand::Rng, r: &Row<'_>) -> bool {
    let forces = if r.actor1 == RUSSIA {
        "Russian forces"
    } else {
        "Ukrainian forces"
    };
    let verb = match (r.kind, r.weapon.is_some()) {
        (Kind::Shelling, false) => "shelled",
        (Kind::Shelling, true) => "struck",
        (_, false) => "carried out an airstrike on",
        (_, true) => "attacked",
    };
    let _ = write!(out, " {forces} {verb} ");
    write_place(out, rng, r);
    if let Some(w) = r.weapon {
        let _ = write!(out, " with {}", w.text);
    }
    match r.target {
        Some(t) if rng.bool() => {
            let _ = write!(out, ", hitting {}.", t.object);
            true
        }
        _ => {
            out.push('.');
            false
        }
    }
}

/// The casualty sentence; counts are formatted into `num`, which the result may borrow.
fn casualty_sentence<'a>(rng: &mut fastrand::Rng, r: &Row<'_>, num: &'a mut String) -> &'a str {
    match (r.kind, r.fatalities, r.injured) {
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
    }
}

/// Up to two sentences of colour (none 70% of the time), never the same one twice.
fn write_colour(out: &mut String, rng: &mut fastrand::Rng, r: &Row<'_>) {
    let russian = r.actor1 == RUSSIA;
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
}
