//! What a sentence says besides places, times and counts: whether it tells of a strike at all,
//! the weapon, the target, and who says so.

use super::text::{Sentence, Token};
use crate::model::{Target, Weapon};

/// Words that tell of a strike or its harm.
const STRIKE: &[&str] = &[
    "strike",
    "strikes",
    "struck",
    "hit",
    "hits",
    "attack",
    "attacks",
    "attacked",
    "assault",
    "shelling",
    "shelled",
    "bombed",
    "bombing",
    "bombardment",
    "drone",
    "drones",
    "missile",
    "missiles",
    "explosion",
    "explosions",
    "blast",
    "killed",
    "died",
    "dead",
    "deaths",
    "wounded",
    "injured",
    "injuring",
    "destroyed",
    "damaged",
    "damage",
    "fire",
    "ablaze",
    "burning",
    "debris",
    "targeted",
    "impact",
    "impacts",
    "shahed",
    "intercepted",
    "downed",
    "casualties",
    "fatalities",
    "barrage",
    "shot",
];
/// Harm actually done (it outweighs a venue or an alert in the same sentence).
const HARM: &[&str] = &[
    "killed",
    "died",
    "dead",
    "wounded",
    "injured",
    "destroyed",
    "damaged",
    "struck",
    "hit",
    "ablaze",
    "debris",
    "casualties",
    "deaths",
];
/// A place named with these is where someone spoke or met, not where a strike fell.
const VENUE: &[&str] = &[
    "conference",
    "summit",
    "talks",
    "meeting",
    "forum",
    "speaks",
    "speech",
    "ceremony",
    "delegates",
    "negotiations",
    "visit",
    "visited",
    "visiting",
    "pictured",
    "interview",
];
/// A warning is not a strike.
const ALERT: &[&str] = &[
    "alert",
    "alerts",
    "warning",
    "warned",
    "siren",
    "sirens",
    "alarm",
    "threat",
    "potential",
    "possible",
    "advised",
];
/// Combatants: their losses are not strikes on places.
const MILITARY: &[&str] = &["troops", "soldiers", "servicemen", "frontlines", "fighters"];

/// Whether a sentence tells of a strike: a strike word, and none of the contexts that make
/// its places something else (a venue, a warning, soldiers' losses) unless harm is named.
pub fn tells_of_strike(s: &Sentence) -> bool {
    if !s.has_any(STRIKE) {
        return false;
    }
    let harm = s.has_any(HARM);
    if s.has_any(MILITARY) {
        return false;
    }
    if (s.has_any(VENUE) || s.has_phrase("press conference")) && !harm {
        return false;
    }
    if s.has_any(ALERT) && !harm {
        return false;
    }
    true
}

/// Whether a sentence may still speak of the events around it (soldiers' losses do not).
pub fn continues(s: &Sentence) -> bool {
    !s.has_any(MILITARY)
}

/// Weapons named in `tokens`, primary first, and a detail ("Shahed", "Kh-101").
pub fn weapons(tokens: &[Token]) -> (Vec<Weapon>, Option<String>) {
    let mut out: Vec<Weapon> = Vec::new();
    let mut detail = None;
    let lower: Vec<&str> = tokens
        .iter()
        .map(|t| t.lower.trim_matches(['\'', '"']))
        .collect();
    let push = |w: Weapon, out: &mut Vec<Weapon>| {
        if !out.contains(&w) {
            out.push(w);
        }
    };
    for (i, w) in lower.iter().enumerate() {
        let next = lower.get(i + 1).copied().unwrap_or("");
        let named = |d: &str, detail: &mut Option<String>| {
            detail.get_or_insert_with(|| d.to_owned());
        };
        match *w {
            "shahed" | "shaheds" | "geran" | "geran-2" | "shahed-136" | "shahed-type"
            | "lancet" => {
                named(tokens[i].text.trim_matches(['\'', '"']), &mut detail);
                push(Weapon::Drone, &mut out);
            }
            // "interceptor drones" are the defence, not the attack.
            "drone" | "drones" | "uav" | "uavs" | "loitering"
                if !(i > 0 && lower[i - 1].starts_with("interceptor")) =>
            {
                push(Weapon::Drone, &mut out);
            }
            "cruise" if next.starts_with("missile") || next == "or" => {
                push(Weapon::CruiseMissile, &mut out)
            }
            "kalibr" | "kh-101" | "kh-555" | "kh-55" | "kh-59" | "kh-69" | "tomahawk" => {
                named(&tokens[i].text, &mut detail);
                push(Weapon::CruiseMissile, &mut out);
            }
            "ballistic" => push(Weapon::BallisticMissile, &mut out),
            "iskander" | "iskander-m" | "kn-23" | "kinzhal" | "s-300" | "s-400" | "tochka-u" => {
                named(&tokens[i].text, &mut detail);
                push(Weapon::BallisticMissile, &mut out);
            }
            "kab" | "kabs" | "umpk" | "fab" | "glide" => push(Weapon::GuidedBomb, &mut out),
            "guided" | "aerial" if next.starts_with("bomb") => push(Weapon::GuidedBomb, &mut out),
            "artillery" | "shelling" | "shelled" | "mlrs" | "grad" | "smerch" | "uragan"
            | "mortar" | "mortars" | "howitzer" => push(Weapon::Artillery, &mut out),
            "missile" | "missiles" | "rocket" | "rockets" => {
                let typed = i > 0
                    && matches!(
                        lower[i - 1],
                        "cruise" | "ballistic" | "or" | "interceptor" | "anti-aircraft"
                    );
                if !typed
                    && !out.contains(&Weapon::CruiseMissile)
                    && !out.contains(&Weapon::BallisticMissile)
                {
                    detail.get_or_insert_with(|| "missile (type not stated)".to_owned());
                    push(Weapon::Other, &mut out);
                }
            }
            _ => {}
        }
    }
    // A missile of stated type makes an earlier untyped "missiles" the same one.
    if out.contains(&Weapon::Other)
        && (out.contains(&Weapon::CruiseMissile) || out.contains(&Weapon::BallisticMissile))
    {
        out.retain(|w| *w != Weapon::Other);
        if detail.as_deref() == Some("missile (type not stated)") {
            detail = None;
        }
    }
    (out, detail)
}

/// What was hit, by the first word that names it (a loss of power or heat counts before
/// the homes that lost it).
pub fn target(tokens: &[Token]) -> Option<Target> {
    let lower: Vec<&str> = tokens.iter().map(|t| t.lower.as_str()).collect();
    for (i, w) in lower.iter().enumerate() {
        if *w == "without" {
            match lower.get(i + 1).copied() {
                Some("electricity" | "power" | "light") => return Some(Target::Energy),
                Some("heat" | "heating" | "water" | "gas") => return Some(Target::HeatingWater),
                _ => {}
            }
        }
    }
    lower.iter().find_map(|w| {
        Some(match *w {
            "residential" | "apartment" | "apartments" | "house" | "houses" | "home" | "homes"
            | "dormitory" | "high-rise" => Target::Residential,
            "energy" | "electricity" | "power" | "substation" | "grid" | "thermal" | "chp" => {
                Target::Energy
            }
            "gas" | "heating" | "boiler" | "water" => Target::HeatingWater,
            "hospital" | "clinic" | "healthcare" | "medical" | "maternity" | "ambulance" => {
                Target::Healthcare
            }
            "school" | "schools" | "university" | "kindergarten" | "lyceum" => Target::Education,
            "railway" | "rail" | "station" | "port" | "bridge" | "train" | "bus" | "airport" => {
                Target::Transport
            }
            "refinery" | "depot" | "oil" | "fuel" | "factory" | "plant" | "enterprise"
            | "warehouse" | "warehouses" | "industrial" => Target::IndustrialFuel,
            "military" | "airfield" | "barracks" | "base" => Target::Military,
            "infrastructure" => Target::Other,
            _ => return None,
        })
    })
}

/// Who is quoted in a sentence: "according to X", "X said", "X noted", "said X" (a title and
/// name, or a surname the report named in full before: `people`).
pub fn quoted(s: &Sentence, people: &[String]) -> Option<String> {
    let t = &s.tokens;
    const SAYS: &[&str] = &[
        "said",
        "says",
        "noted",
        "stated",
        "wrote",
        "reported",
        "confirmed",
        "announced",
        "added",
        "told",
        "declared",
        "concluded",
    ];
    for i in 0..t.len() {
        let w = t[i].lower.as_str();
        let name = if w == "according" && t.get(i + 1).is_some_and(|x| x.lower == "to") {
            name_at(t, i + 2)
        } else if SAYS.contains(&w) && i > 0 && t[i - 1].cap {
            name_before(t, i)
        } else if SAYS.contains(&w) {
            name_at(t, i + 1)
        } else {
            None
        };
        let Some(name) = name else { continue };
        // The person named in full before, by surname ("Zelenskyy noted", "Gov Bocharov").
        let surname = name.rsplit(' ').next().unwrap_or(&name);
        let full = people
            .iter()
            .find(|p| p.rsplit(' ').next() == Some(surname))
            .cloned();
        return Some(full.unwrap_or(name));
    }
    None
}

/// A capitalised name (with title) from token `i` on: "regional Gov. Andrei Bocharov".
fn name_at(t: &[Token], mut i: usize) -> Option<String> {
    while t.get(i).is_some_and(|x| {
        !x.cap
            && !x.punct
            && matches!(
                x.lower.as_str(),
                "the" | "regional" | "a" | "report" | "by" | "of"
            )
    }) {
        i += 1;
    }
    let mut words = Vec::new();
    while let Some(x) = t.get(i) {
        if x.cap && !x.punct {
            words.push(x.text.trim_end_matches("'s").to_owned());
        } else if !x.is(".") || words.is_empty() {
            break;
        }
        i += 1;
    }
    (!words.is_empty()).then(|| words.join(" ").replace(" .", "."))
}

/// The capitalised words just before token `i` ("Zelenskyy noted").
fn name_before(t: &[Token], i: usize) -> Option<String> {
    let mut j = i;
    while j > 0 && t[j - 1].cap && !t[j - 1].punct {
        j -= 1;
    }
    (j < i).then(|| {
        t[j..i]
            .iter()
            .map(|x| x.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// People the report names with a title ("President Volodymyr Zelenskyy", "regional Gov.
/// Vyacheslav Gladkov"), for matching a surname quoted later.
pub fn people(sentences: &[Sentence]) -> Vec<String> {
    let titles = [
        "president",
        "mayor",
        "governor",
        "gov",
        "minister",
        "head",
        "spokesperson",
        "chancellor",
        "secretary",
        "colonel",
    ];
    let mut out: Vec<String> = Vec::new();
    for s in sentences {
        let t = &s.tokens;
        for i in 0..t.len() {
            if !titles.contains(&t[i].lower.as_str()) {
                continue;
            }
            let mut j = i + 1;
            if t.get(j).is_some_and(|x| x.is(".")) {
                j += 1;
            }
            let start = j;
            while t.get(j).is_some_and(|x| x.cap && !x.punct) && j - start < 3 {
                j += 1;
            }
            if j - start >= 2 {
                let name: Vec<&str> = t[start..j].iter().map(|x| x.text.as_str()).collect();
                let dot = if start > i + 1 { "." } else { "" };
                let full = format!("{}{dot} {}", t[i].text, name.join(" "));
                if !out.contains(&full) {
                    out.push(full);
                }
            }
        }
    }
    out
}

/// Outlets a report names as its source ("UNN reports", "(Reuters)", a closing "REUTERS",
/// "Share this @internewscast.com").
pub fn outlet(sentences: &[Sentence], text: &str) -> Option<String> {
    const KNOWN: &[&str] = &[
        "Reuters",
        "AP",
        "Associated Press",
        "AFP",
        "BBC",
        "CNN",
        "UNN",
        "Ukrinform",
        "Interfax",
        "TASS",
        "Al Jazeera",
        "Kyiv Independent",
        "Suspilne",
        "Ukrainska Pravda",
        "Bloomberg",
        "The Guardian",
        "DW",
        "Euronews",
        "Kyiv Post",
        "RBC-Ukraine",
        "Meduza",
        "ST",
    ];
    for s in sentences {
        let t = &s.tokens;
        for i in 0..t.len() {
            let w = t[i].lower.as_str();
            if matches!(w, "reports" | "reported")
                && i > 0
                && t[i - 1].text.chars().all(|c| c.is_uppercase())
                && t[i - 1].text.len() >= 2
            {
                return Some(t[i - 1].text.clone());
            }
            if t[i].text.len() >= 4 && t[i].text.chars().all(|c| c.is_ascii_uppercase()) {
                let known = KNOWN.iter().find(|k| k.eq_ignore_ascii_case(&t[i].text));
                if let Some(k) = known {
                    return Some((*k).to_owned());
                }
            }
        }
    }
    for k in KNOWN.iter().filter(|k| k.len() >= 3) {
        let needle = format!("({k})");
        if text.contains(&needle) || text.contains(&format!("report by {k}")) {
            return Some((*k).to_owned());
        }
    }
    text.split_whitespace()
        .find(|w| w.starts_with('@') && w.contains('.'))
        .map(|w| {
            w.trim_start_matches('@')
                .trim_end_matches(['.', ','])
                .to_owned()
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::text::{sentences, tokenize};

    #[test]
    fn weapons_and_targets() {
        let (w, d) = weapons(&tokenize("after a 'Shahed' attack on the power grid", 0));
        assert_eq!((w, d.as_deref()), (vec![Weapon::Drone], Some("Shahed")));
        let (w, _) = weapons(&tokenize("13 cruise or ballistic missiles", 0));
        assert_eq!(w, vec![Weapon::CruiseMissile, Weapon::BallisticMissile]);
        let (w, d) = weapons(&tokenize("using missiles, drones, and aerial bombs", 0));
        assert_eq!(w, vec![Weapon::Other, Weapon::Drone, Weapon::GuidedBomb]);
        assert_eq!(d.as_deref(), Some("missile (type not stated)"));
        assert_eq!(
            target(&tokenize("Some consumers are without electricity", 0)),
            Some(Target::Energy)
        );
        assert_eq!(
            target(&tokenize("a primary healthcare centre", 0)),
            Some(Target::Healthcare)
        );
        assert_eq!(
            target(&tokenize("struck an oil depot", 0)),
            Some(Target::IndustrialFuel)
        );
    }

    #[test]
    fn strikes_not_venues_or_alerts() {
        let s = |t: &str| tells_of_strike(&sentences(t)[0]);
        assert!(s("A drone injured a man in Belgorod."));
        assert!(!s(
            "Zelenskiy speaks during a press conference, amid Russia's attack on Ukraine, in Kyiv."
        ));
        assert!(!s(
            "The air force issued a warning of potential drone attacks across several regions."
        ));
        assert!(!s(
            "Some 4,000 North Korean soldiers were killed or injured in Russia."
        ));
        assert!(!s("Repair crews work in Kyiv."));
    }

    #[test]
    fn who_says_so() {
        let all = sentences(
            "President Volodymyr Zelenskyy spoke. \"A drone hit,\" Zelenskyy noted. Fire broke out, according to regional Gov. Andrei Bocharov.",
        );
        let people = people(&all);
        assert_eq!(
            people,
            ["President Volodymyr Zelenskyy", "Gov. Andrei Bocharov"]
        );
        assert_eq!(
            quoted(&all[1], &people).as_deref(),
            Some("President Volodymyr Zelenskyy")
        );
        assert_eq!(
            quoted(&all[2], &people).as_deref(),
            Some("Gov. Andrei Bocharov")
        );
    }
}
