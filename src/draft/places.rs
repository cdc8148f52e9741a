//! Place names in a sentence, in the forms news writes them ("the Kharkiv region", "Kharkiv
//! Oblast", "in Sumy", "the town of Afipsky", "Kyiv's Podilsky district", "Kyiv and Odesa
//! regions"), and their places in the world gazetteer.

use std::ops::Range;

use super::text::{Sentence, Token};
use crate::geo::world::{Geocoded, WorldGazetteer};
use crate::model::LocationPrecision;

/// What a mention names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A settlement (or a name that may be one).
    Place,
    /// A district ("Synelnykove district", "Kyiv's Podilsky district").
    District,
    /// A region ("the Kharkiv region", "Kharkiv Oblast").
    Region,
}

/// One place name in a sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct Mention {
    /// The name to look up ("Kharkiv" of "the Kharkiv region").
    pub name: String,
    /// What it names.
    pub kind: Kind,
    /// Token indices in the sentence.
    pub tokens: Range<usize>,
    /// The city a district is of ("Kyiv" of "Kyiv's Podilsky district").
    pub within: Option<String>,
    /// One of a list ("including Poltava, Kharkiv, Sumy"): what the sentence says after the
    /// list is not about this place alone.
    pub listed: bool,
    /// The word that made it a region or district, singular and as written ("Oblast",
    /// "region", "district").
    pub kind_word: Option<String>,
}

impl Mention {
    /// The name as the report writes it, with its kind word: "Bohodukhiv", "Kharkiv
    /// Oblast", "Donetsk region", "Synelnykove district".
    pub fn written(&self) -> String {
        match &self.kind_word {
            Some(w) => format!("{} {w}", self.name),
            None => self.name.clone(),
        }
    }
}

/// Words that come before a person's name: a run holding one is a person, not a place.
const TITLES: &[&str] = &[
    "president",
    "mayor",
    "gov",
    "governor",
    "minister",
    "secretary",
    "chancellor",
    "colonel",
    "col",
    "general",
    "gen",
    "ms",
    "mr",
    "mrs",
    "dr",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "head",
    "commander",
    "leader",
    "prime",
    "chief",
    "senator",
    "sen",
    "king",
    "queen",
    "prince",
    "pope",
    "envoy",
    "ambassador",
    "lieutenant",
    "major",
    "captain",
    "sergeant",
    "deputy",
    "director",
    "adviser",
    "advisor",
    "chairman",
    "speaker",
];

/// Words of organisations' names: "Russia's Defense Ministry" is not Russia.
const ORGS: &[&str] = &[
    "ministry",
    "force",
    "forces",
    "service",
    "services",
    "army",
    "navy",
    "armed",
    "defense",
    "defence",
    "kremlin",
    "council",
    "congress",
    "nations",
    "united",
    "union",
    "agency",
    "committee",
    "office",
    "administration",
    "police",
    "guard",
    "command",
    "staff",
    "parliament",
    "government",
    "institute",
    "university",
    "company",
    "group",
    "reuters",
    "telegram",
    "whatsapp",
    "facebook",
    "twitter",
    "nato",
    "hrmmu",
    "un",
    "eu",
    "oblenergo",
    "ukrenergo",
    "naftogaz",
    "dtek",
    "monitoring",
    "mission",
    "bank",
    "fund",
    "operations",
    "state",
    "emergency",
    "air",
    "energy",
    "security",
    "intelligence",
    "national",
    "news",
    "times",
    "post",
    "press",
    "media",
    "network",
];

/// Adjectives of nationality and directions: never a place on their own.
const ADJECTIVES: &[&str] = &[
    "russian",
    "ukrainian",
    "american",
    "european",
    "western",
    "eastern",
    "northern",
    "southern",
    "central",
    "north",
    "south",
    "east",
    "west",
    "korean",
    "iranian",
    "israeli",
    "palestinian",
    "sudanese",
    "syrian",
    "yemeni",
    "belarusian",
    "german",
    "french",
    "british",
    "polish",
    "chinese",
    "indian",
    "soviet",
    "black",
    "sea",
];

/// Function words a capitalised run may start with at a sentence's start.
const STARTERS: &[&str] = &[
    "the",
    "in",
    "on",
    "at",
    "a",
    "an",
    "after",
    "as",
    "but",
    "and",
    "of",
    "meanwhile",
    "tragically",
    "earlier",
    "later",
    "overnight",
    "near",
    "according",
    "since",
    "during",
    "when",
    "while",
    "details",
    "residents",
    "officials",
    "authorities",
    "also",
    "there",
    "some",
    "every",
    "all",
    "this",
    "these",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "our",
    "his",
    "her",
    "their",
    "its",
    "my",
    "for",
    "with",
    "from",
    "to",
    "by",
    "over",
    "across",
    "ukraine's",
];

const REGION_WORDS: &[&str] = &[
    "region",
    "regions",
    "oblast",
    "oblasts",
    "province",
    "provinces",
    "krai",
    "governorate",
    "governorates",
    "state",
];
const DISTRICT_WORDS: &[&str] = &["district", "districts", "raion", "rayon", "county"];

/// Words before a name that make it a place where something happened.
const LOCATIVE: &[&str] = &[
    "in",
    "on",
    "at",
    "near",
    "over",
    "across",
    "into",
    "hit",
    "struck",
    "targeted",
    "attacked",
    "shelled",
    "bombed",
    "striking",
    "hitting",
    "targeting",
    "attacking",
    "pounded",
    "including",
    "within",
    "around",
    "toward",
    "towards",
];
/// Settlement words before "of": "the town of Afipsky".
const SETTLEMENT_WORDS: &[&str] = &[
    "town",
    "city",
    "village",
    "settlement",
    "hromada",
    "outskirts",
    "suburb",
    "centre",
    "center",
    "township",
    "community",
];

fn is_word(t: &Token) -> bool {
    !t.punct && t.number.is_none()
}

/// The place mentions of a sentence, in order.
pub fn mentions(s: &Sentence) -> Vec<Mention> {
    let t = &s.tokens;
    let mut out: Vec<Mention> = Vec::new();
    let mut i = 0;
    while i < t.len() {
        if !(t[i].cap && is_word(&t[i])) {
            i += 1;
            continue;
        }
        // A run of capitalised words, ended by a possessive ("Kyiv's") or after four.
        let mut j = i;
        while j < t.len() && j - i < 4 && t[j].cap && is_word(&t[j]) {
            j += 1;
            if t[j - 1].lower.ends_with("'s") {
                break;
            }
        }
        let run = i..j;
        i = j;
        if let Some(m) = mention_of(t, run, &out) {
            out.push(m);
        }
    }
    mark_lists(t, &mut out);
    out
}

/// The mention a run of capitalised words `run` makes, if it names a place in this context.
fn mention_of(t: &[Token], run: Range<usize>, before: &[Mention]) -> Option<Mention> {
    let mut start = run.start;
    while start < run.end && STARTERS.contains(&t[start].lower.as_str()) {
        start += 1;
    }
    let words = &t[start..run.end];
    if words.is_empty() {
        return None;
    }
    // A title just before the run ("Gov. Vyacheslav Gladkov", "regional Gov.") or in it.
    let titled = |k: usize| TITLES.contains(&t[k].lower.trim_end_matches("'s"));
    let mut back = run.start;
    while back > 0 && (t[back - 1].is(".") || t[back - 1].is(",")) && back + 2 > run.start {
        back -= 1;
    }
    if (start..run.end).any(titled) || (back > 0 && titled(back - 1)) {
        return None;
    }
    if words
        .iter()
        .any(|w| ORGS.contains(&w.lower.trim_end_matches("'s")))
    {
        return None;
    }
    let possessive = words.last().is_some_and(|w| w.lower.ends_with("'s"));
    // "Russia's Defense Ministry", "Ukraine's air force": the organisation, not the place.
    let org_after = t
        .get(run.end)
        .is_some_and(|w| ORGS.contains(&w.lower.as_str()) || TITLES.contains(&w.lower.as_str()));
    if possessive && org_after {
        return None;
    }
    let clean = |w: &Token| -> String {
        let s = w.text.as_str();
        s.strip_suffix("'s")
            .or_else(|| s.strip_suffix("’s"))
            .unwrap_or(s)
            .to_owned()
    };
    let mut names: Vec<String> = words.iter().map(clean).collect();
    if names
        .iter()
        .all(|n| ADJECTIVES.contains(&n.to_lowercase().as_str()))
    {
        return None;
    }
    // "on Tuesday", "in June", "on Christmas": times, not places.
    let time_word = |n: &String| {
        let n = n.to_lowercase();
        super::when::month(&n).is_some_and(|_| n.len() >= 3 && super::when::is_month_name(&n))
            || super::when::weekday_name(&n)
            || matches!(
                n.as_str(),
                "christmas" | "easter" | "new" | "independence" | "day"
            )
    };
    if names.len() == 1 && names.iter().all(time_word) {
        return None;
    }
    // Kind: a region or district word inside the run ("Kharkiv Oblast") or after it.
    let mut kind = Kind::Place;
    let mut kind_word = None;
    if let Some(last) = names.last().map(|n| n.to_lowercase())
        && names.len() > 1
    {
        if REGION_WORDS.contains(&last.as_str()) {
            kind = Kind::Region;
            kind_word = names.pop();
        } else if DISTRICT_WORDS.contains(&last.as_str()) {
            kind = Kind::District;
            kind_word = names.pop();
        }
    }
    let after = t.get(run.end).filter(|x| !x.cap).map(|x| x.lower.as_str());
    if kind == Kind::Place && !possessive {
        match after {
            Some(w) if REGION_WORDS.contains(&w) => kind = Kind::Region,
            Some(w) if DISTRICT_WORDS.contains(&w) => kind = Kind::District,
            _ => {}
        }
        if kind != Kind::Place {
            kind_word = after.map(singular);
        }
    }
    let name = names.join(" ");
    // "Kyiv's Podilsky district": the district of the possessive mention just before.
    let within = before
        .last()
        .filter(|m| m.tokens.end == run.start && kind == Kind::District)
        .map(|m| m.name.clone());
    let placed = kind != Kind::Place || possessive || located(t, start, run.end, before);
    placed.then_some(Mention {
        name,
        kind,
        tokens: start..run.end,
        within,
        listed: false,
        kind_word,
    })
}

/// "regions" → "region", "oblasts" → "oblast".
fn singular(w: &str) -> String {
    w.strip_suffix('s').unwrap_or(w).to_owned()
}

/// Whether a bare name at `start..end` is said to be where something happened: after "in",
/// "on", "hit", "the town of", "the capital,"; continuing a list of places; or as the
/// subject of "was hit".
fn located(t: &[Token], start: usize, end: usize, before: &[Mention]) -> bool {
    let mut k = start;
    while k > 0
        && matches!(
            t[k - 1].lower.as_str(),
            "the" | "of" | "city" | "town" | "village"
        )
    {
        if t[k - 1].lower == "of" {
            let w = if k >= 2 { t[k - 2].lower.as_str() } else { "" };
            return SETTLEMENT_WORDS.contains(&w) || REGION_WORDS.contains(&w);
        }
        k -= 1;
    }
    let prev = k.checked_sub(1).map(|p| &t[p]);
    if prev.is_some_and(|p| LOCATIVE.contains(&p.lower.as_str())) {
        return true;
    }
    // "the Ukrainian capital, Kyiv," / "Ukraine's capital, Kyiv".
    if prev.is_some_and(|p| p.is(","))
        && k >= 2
        && matches!(t[k - 2].lower.as_str(), "capital" | "city")
    {
        return true;
    }
    // A list: "Poltava, Kharkiv, and Kyiv" after a mention separated only by "," / "and".
    if let Some(m) = before.last() {
        let gap = &t[m.tokens.end..start];
        if !gap.is_empty()
            && gap.len() <= 2
            && gap
                .iter()
                .all(|g| g.is(",") || g.lower == "and" || g.lower == "or")
        {
            return true;
        }
    }
    // "Kharkiv was hit", "Odesa came under attack".
    let verbs = [
        "hit", "struck", "attacked", "shelled", "targeted", "bombed", "damaged", "attack", "fire",
    ];
    t[end..(end + 4).min(t.len())]
        .iter()
        .any(|w| verbs.contains(&w.lower.as_str()))
        && t.get(end).is_some_and(|w| {
            matches!(
                w.lower.as_str(),
                "was" | "were" | "is" | "has" | "came" | "had"
            )
        })
}

/// Mark lists ("Poltava, Kharkiv, Sumy, and Kyiv"; "Kyiv and Odesa regions"): every member
/// is `listed`, and a region word after the last makes them all regions.
fn mark_lists(t: &[Token], out: &mut [Mention]) {
    for k in 1..out.len() {
        let gap = &t[out[k - 1].tokens.end..out[k].tokens.start];
        let joined = !gap.is_empty()
            && gap.len() <= 2
            && gap
                .iter()
                .all(|g| g.is(",") || g.lower == "and" || g.lower == "or");
        if joined {
            out[k - 1].listed = true;
            out[k].listed = true;
        }
    }
    // A plural kind word after a list applies to all of it, back to the list's start.
    for k in (1..out.len()).rev() {
        let plural = t.get(out[k].tokens.end).is_some_and(|w| {
            matches!(
                w.lower.as_str(),
                "regions" | "oblasts" | "provinces" | "districts"
            )
        });
        if !plural {
            continue;
        }
        let kind = out[k].kind;
        let mut j = k;
        while j > 0 && out[j - 1].listed && out[j].listed {
            j -= 1;
            if out[j].kind == Kind::Place {
                out[j].kind = kind;
                out[j].kind_word = out[k].kind_word.clone();
            }
        }
    }
}

/// A place found for a mention.
#[derive(Clone, Debug, PartialEq)]
pub struct Placed {
    /// What the gazetteer found (or the region or city it was placed at).
    pub geo: Geocoded,
    /// The name to show: the gazetteer's, or the mention's as written when it was placed at
    /// its region or city ("Yasnye Zori", "Podilsky district").
    pub label: String,
    /// How precisely it is placed.
    pub precision: LocationPrecision,
    /// Why it is placed there, when not plainly.
    pub note: Option<String>,
}

/// Other spellings to try for a name the gazetteer does not know ("Afipsky" → "Afipskiy").
fn spellings(name: &str) -> Vec<String> {
    let mut out = vec![name.to_owned()];
    for (from, to) in [
        ("sky", "skiy"),
        ("sky", "skyi"),
        ("skyi", "sky"),
        ("skiy", "sky"),
        ("sk", "sky"),
        ("ye", "oye"),
        ("iy", "yi"),
        ("yi", "iy"),
        ("ia", "iya"),
        ("iia", "iya"),
        ("ya", "ia"),
    ] {
        if let Some(stem) = name.strip_suffix(from) {
            out.push(format!("{stem}{to}"));
        }
    }
    out
}

/// Look a mention up: regions and countries by name; places and districts in the region
/// named with them (`region`) if they are there, else where they are most populous within
/// `countries` (ISO2; any country when empty, then only places of 100,000 people or more).
pub fn place(
    world: &WorldGazetteer,
    m: &Mention,
    region: Option<&str>,
    countries: &[String],
) -> Option<Placed> {
    let plain = |geo: Geocoded| {
        let label = geo.name.clone();
        Some(Placed {
            precision: geo.precision,
            note: geo.note.clone(),
            label,
            geo,
        })
    };
    match m.kind {
        Kind::Region => {
            let g = world.geocode(None, Some(&m.name), None).ok()?;
            let ok = g.precision == LocationPrecision::Region
                && (countries.is_empty() || countries.contains(&g.country));
            return ok.then(|| Placed {
                label: m.written(),
                precision: g.precision,
                note: g.note.clone(),
                geo: g,
            });
        }
        Kind::District => {}
        Kind::Place => {
            if let Ok(g) = world.geocode(Some(&m.name), None, None)
                && g.precision == LocationPrecision::Country
            {
                return plain(g);
            }
        }
    }
    let in_scope = |g: &Geocoded| {
        if countries.is_empty() {
            g.population >= 100_000
        } else {
            countries.contains(&g.country) || g.population >= 200_000
        }
    };
    // A district of a city is looked for in the city's region only.
    let city = m
        .within
        .as_deref()
        .and_then(|c| world.geocode(Some(c), None, None).ok())
        .filter(|g| g.precision == LocationPrecision::Settlement && in_scope(g));
    let city_region = city.as_ref().and_then(|c| c.admin1.clone());
    let region = city_region.as_deref().or(region);
    let mut fallback = None;
    for name in spellings(&m.name) {
        if let Some(r) = region
            && let Ok(g) = world.geocode(Some(&name), Some(r), None)
        {
            if g.precision == LocationPrecision::Settlement {
                return Some(settled(g, m));
            }
            fallback.get_or_insert(g);
        }
        // The most populous namesake in the report's countries, else anywhere (with a note:
        // a place outside them is less sure).
        let scoped = countries
            .iter()
            .filter_map(|c| world.geocode(Some(&name), None, Some(c)).ok())
            .find(|g| g.precision == LocationPrecision::Settlement);
        let anywhere = || {
            world
                .geocode(Some(&name), None, None)
                .ok()
                .filter(|g| g.precision == LocationPrecision::Settlement)
                .map(|mut g| {
                    if !in_scope(&g) {
                        let why = format!(
                            "outside the countries the report names ({})",
                            countries.join(", ")
                        );
                        g.note = Some(g.note.map_or(why.clone(), |n| format!("{n}; {why}")));
                    }
                    g
                })
        };
        if let Some(g) = scoped.or_else(anywhere) {
            // A name also in the region named beside it was looked for there first.
            if region.is_none() {
                return Some(settled(g, m));
            }
            fallback.get_or_insert(g);
        }
    }
    // A district of a city ("Kyiv's Podilsky district") or a village the gazetteer lacks
    // ("the village of Yasnye Zori" in the Belgorod region): at its city or region.
    let at = match (city, fallback) {
        (Some(city), _) => Some(city),
        (None, Some(g)) => Some(g),
        (None, None) => None,
    }?;
    let label = match &m.within {
        Some(city) => format!("{}, {city}", m.written()),
        None => m.written(),
    };
    let precision = match (m.kind, at.precision) {
        (Kind::District, LocationPrecision::Settlement) => LocationPrecision::District,
        (_, p) => p,
    };
    Some(Placed {
        note: Some(format!(
            "\"{}\" is not in the gazetteer; placed at {} ({})",
            m.name,
            at.name,
            match at.precision {
                LocationPrecision::Region => "its region's centre",
                _ => "its centre",
            }
        )),
        label,
        precision,
        geo: at,
    })
}

/// A settlement found; a district is placed at its centre town ("Synelnykove district" →
/// Synelnykove, precision district).
fn settled(g: Geocoded, m: &Mention) -> Placed {
    let district = m.kind == Kind::District;
    Placed {
        label: m.written(),
        precision: if district {
            LocationPrecision::District
        } else {
            LocationPrecision::Settlement
        },
        note: match (district, &g.note) {
            (true, n) => Some(
                n.iter()
                    .cloned()
                    .chain([format!("placed at {}, the district's centre", g.name)])
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            (false, n) => n.clone(),
        },
        geo: g,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::text::sentences;

    fn found(text: &str) -> Vec<(String, Kind)> {
        let s = sentences(text);
        mentions(&s[0])
            .into_iter()
            .map(|m| (m.name, m.kind))
            .collect()
    }

    #[test]
    fn names_in_the_forms_news_uses() {
        use Kind::*;
        let p = |n: &str, k| (n.to_owned(), k);
        assert_eq!(
            found("one of the strikes in the Kharkiv region – on Bohodukhiv."),
            [p("Kharkiv", Region), p("Bohodukhiv", Place)]
        );
        assert_eq!(
            found(
                "There were strikes on infrastructure in the Dnipro region, in the Synelnykove district."
            ),
            [p("Dnipro", Region), p("Synelnykove", District)]
        );
        assert_eq!(
            found(
                "The air strikes targeted several cities, including Poltava, Kharkiv, and Kyiv, using drones."
            ),
            [p("Poltava", Place), p("Kharkiv", Place), p("Kyiv", Place)]
        );
        assert_eq!(
            found(
                "In a separate statement, Russia's Defense Ministry claimed that regional Gov. Vyacheslav Gladkov said."
            ),
            []
        );
        assert_eq!(
            found("a healthcare centre in Kyiv's Podilsky district was destroyed"),
            [p("Kyiv", Place), p("Podilsky", District)]
        );
        assert_eq!(
            found("situation difficult in Kyiv and Odesa regions"),
            [p("Kyiv", Region), p("Odesa", Region)]
        );
        assert_eq!(
            found("the Ukrainian drones attacked the town of Afipsky, where"),
            [p("Afipsky", Place)]
        );
        assert_eq!(
            found("President Volodymyr Zelenskyy said that Mark Rutte spoke"),
            []
        );
        assert_eq!(
            found("Ukraine's capital, Kyiv, was hit"),
            [p("Kyiv", Place)]
        );
    }
}
