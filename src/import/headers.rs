//! Which column of a table plays which role, from its header in people's words: "Incident
//! date", "Date of attack", "Post Date", "Latitude (WGS84)", "X", "Governorate", "Civilians
//! killed", "fecha", "дата"… Headers are normalised to words (case, punctuation, camelCase,
//! units and formats dropped), each role scores every column, and the best-scoring pairs are
//! taken first, so one column plays one role. Dates get a priority: the date the event
//! happened over the date it was posted or reported, the others kept as per-row fallbacks.

use super::csv::CsvRole;

/// Words that say what unit or format a column is in, not what it holds.
const NOISE: &[&str] = &[
    "wgs84", "wgs", "84", "epsg", "4326", "deg", "degree", "degrees", "decimal", "dd", "mm",
    "yyyy", "yy", "utc", "gmt", "iso", "8601", "local", "°", "n", "e", "s", "w", "the", "a", "of",
    "in", "on", "at", "de", "du", "del", "la", "le", "el", "das", "der", "die",
];

/// A header as lower-case words, camelCase and punctuation split, unit words dropped.
pub fn words(header: &str) -> Vec<String> {
    let mut spaced = String::with_capacity(header.len() + 8);
    let mut prev_lower = false;
    for c in header.trim().chars() {
        if c.is_uppercase() && prev_lower {
            spaced.push(' ');
        }
        prev_lower = c.is_lowercase();
        if c.is_alphanumeric() || c == '#' {
            spaced.extend(c.to_lowercase());
        } else {
            spaced.push(' ');
        }
    }
    let all: Vec<String> = spaced.split_whitespace().map(deunicode_latin).collect();
    let kept: Vec<String> = all
        .iter()
        .filter(|w| !NOISE.contains(&w.as_str()))
        .cloned()
        .collect();
    // "N" or "E" alone, or "Date (UTC)", keep what there is.
    if kept.is_empty() { all } else { kept }
}

/// Latin letters without their accents ("Descripción" → "descripcion"); other scripts
/// (Cyrillic "дата", Arabic) as they are.
fn deunicode_latin(w: &str) -> String {
    w.chars()
        .map(|c| {
            if (c as u32) < 0x250 && !c.is_ascii() {
                deunicode::deunicode_char(c)
                    .map(str::to_owned)
                    .unwrap_or_else(|| c.to_string())
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Words that make a column a date.
const DATE_WORDS: &[&str] = &[
    "date",
    "dates",
    "datetime",
    "timestamp",
    "time",
    "day",
    "when",
    "fecha",
    "data",
    "datum",
    "дата",
    "датa",
    "час",
    "время",
    "tarih",
    "تاريخ",
    "occurred",
    "occurrence",
];
/// Words that say the date is when the event happened.
const EVENT_WORDS: &[&str] = &[
    "incident",
    "attack",
    "event",
    "strike",
    "occurred",
    "occurrence",
    "happened",
    "impact",
    "shelling",
    "evento",
    "incidente",
    "ataque",
    "подія",
    "атака",
    "удар",
    "start",
    "begin",
    "from",
    "first",
];
/// Words that say the date is when something was posted, reported or edited.
const REPORTED_WORDS: &[&str] = &[
    "post",
    "posted",
    "posting",
    "report",
    "reported",
    "reporting",
    "published",
    "publication",
    "publish",
    "upload",
    "uploaded",
    "created",
    "added",
    "entry",
    "modified",
    "updated",
    "update",
    "retrieved",
    "accessed",
    "verified",
    "collected",
    "scraped",
    "archived",
    "submitted",
    "edited",
];
/// Words that make a date an end date.
const END_WORDS: &[&str] = &["end", "until", "to", "last", "finish", "stop", "ended"];

/// A role's phrases and their scores: a phrase matches when the header's words contain it as
/// consecutive words (all of it), or are exactly it (`=` prefix).
const PHRASES: &[(Role, &[(&str, u8)])] = &[
    (
        Role::Csv(CsvRole::Lat),
        &[
            ("lat", 10),
            ("latitude", 10),
            ("latitud", 10),
            ("latitudine", 10),
            ("широта", 10),
            ("breitengrad", 10),
            ("=y", 7),
            ("=y coordinate", 8),
            ("=point y", 7),
            ("=coord y", 7),
            ("=y coord", 7),
        ],
    ),
    (
        Role::Csv(CsvRole::Lon),
        &[
            ("lon", 10),
            ("lng", 10),
            ("longitude", 10),
            ("longitud", 10),
            ("longitudine", 10),
            ("довгота", 10),
            ("долгота", 10),
            ("langengrad", 10),
            ("=long", 9),
            ("=x", 7),
            ("=x coordinate", 8),
            ("=point x", 7),
            ("=coord x", 7),
            ("=x coord", 7),
        ],
    ),
    (
        Role::Csv(CsvRole::LatLon),
        &[
            ("coordinates", 10),
            ("coordinate", 9),
            ("coords", 10),
            ("coord", 8),
            ("latlon", 10),
            ("latlng", 10),
            ("lat lon", 11),
            ("lat long", 11),
            ("lat lng", 11),
            ("latitude longitude", 11),
            ("geolocation", 9),
            ("=geo", 8),
            ("gps", 8),
            ("координати", 10),
            ("координаты", 10),
            ("coordenadas", 10),
            ("wkt", 9),
            ("=geometry", 8),
            ("=the geom", 8),
            ("=geom", 8),
        ],
    ),
    (
        Role::Csv(CsvRole::Title),
        &[
            ("title", 10),
            ("headline", 10),
            ("=name", 9),
            ("event name", 10),
            ("incident name", 10),
            ("subject", 7),
            ("заголовок", 10),
            ("titulo", 10),
            ("назва", 9),
            ("название", 9),
        ],
    ),
    (
        Role::Csv(CsvRole::Desc),
        &[
            ("description", 10),
            ("desc", 9),
            ("notes", 10),
            ("note", 9),
            ("summary", 9),
            ("=text", 8),
            ("details", 9),
            ("detail", 8),
            ("comments", 8),
            ("comment", 8),
            ("narrative", 10),
            ("what happened", 10),
            ("remarks", 8),
            ("опис", 10),
            ("описание", 10),
            ("descripcion", 10),
            ("resume", 7),
            ("incident description", 11),
            ("event description", 11),
        ],
    ),
    (
        Role::Csv(CsvRole::Place),
        &[
            ("place", 10),
            ("location", 9),
            ("city", 10),
            ("town", 10),
            ("village", 10),
            ("settlement", 10),
            ("locality", 10),
            ("municipality", 9),
            ("site", 7),
            ("hromada", 9),
            ("place name", 11),
            ("location name", 11),
            ("населений пункт", 11),
            ("місто", 10),
            ("город", 10),
            ("населенный пункт", 11),
            ("lugar", 10),
            ("ciudad", 10),
            ("localidad", 10),
            ("ville", 10),
            ("localita", 10),
            ("=ort", 9),
            ("nearest town", 10),
            ("nearest city", 10),
            ("target location", 9),
            ("=where", 8),
            ("city town", 10),
            ("town city", 10),
            ("geoname", 8),
        ],
    ),
    (
        Role::Csv(CsvRole::Admin1),
        &[
            ("region", 10),
            ("oblast", 10),
            ("province", 10),
            ("governorate", 10),
            ("=state", 9),
            ("admin1", 10),
            ("admin 1", 10),
            ("adm1", 10),
            ("область", 10),
            ("регион", 10),
            ("регіон", 10),
            ("провинция", 10),
            ("provincia", 10),
            ("wilaya", 10),
            ("muhafazah", 10),
            ("prefecture", 9),
            ("state province", 10),
            ("=department", 7),
        ],
    ),
    (
        Role::Csv(CsvRole::Country),
        &[
            ("country", 10),
            ("nation", 8),
            ("країна", 10),
            ("страна", 10),
            ("pais", 10),
            ("pays", 10),
            ("paese", 10),
            ("=land", 7),
            ("country code", 10),
            ("=iso2", 8),
            ("=iso3", 8),
            ("=iso a2", 8),
            ("=iso a3", 8),
            ("=cc", 6),
        ],
    ),
    (
        Role::Csv(CsvRole::Weapon),
        &[
            ("weapon", 10),
            ("weapons", 10),
            ("weapon type", 11),
            ("munition", 10),
            ("munitions", 10),
            ("armament", 9),
            ("ammunition", 9),
            ("means of attack", 10),
            ("means", 6),
            ("attack type", 8),
            ("type of attack", 8),
            ("type of weapon", 11),
            ("weapon used", 11),
            ("зброя", 10),
            ("оружие", 10),
            ("arma", 9),
            ("arme", 9),
            ("weapon system", 11),
        ],
    ),
    (
        Role::Csv(CsvRole::Target),
        &[
            ("target", 10),
            ("targets", 10),
            ("target type", 11),
            ("type of target", 11),
            ("objective", 8),
            ("facility", 7),
            ("object type", 8),
            ("infrastructure", 8),
            ("=category", 6),
            ("site type", 8),
            ("ціль", 10),
            ("объект", 8),
            ("objetivo", 9),
            ("cible", 9),
            ("target category", 11),
        ],
    ),
    (
        Role::Csv(CsvRole::Killed),
        &[
            ("killed", 10),
            ("fatalities", 10),
            ("deaths", 10),
            ("dead", 9),
            ("death", 8),
            ("death toll", 11),
            ("died", 9),
            ("fatal", 8),
            ("убиті", 10),
            ("загиблі", 10),
            ("загинули", 10),
            ("погибшие", 10),
            ("погибли", 10),
            ("убиты", 10),
            ("muertos", 10),
            ("morts", 10),
            ("morti", 10),
            ("tote", 9),
            ("total killed", 11),
            ("people killed", 11),
            ("number killed", 11),
            ("persons killed", 11),
            ("civilians killed", 9),
            ("civilian deaths", 9),
            ("civilian fatalities", 9),
            ("civilian killed", 9),
            ("killed total", 11),
        ],
    ),
    (
        Role::Csv(CsvRole::Injured),
        &[
            ("injured", 10),
            ("wounded", 10),
            ("injuries", 10),
            ("hurt", 9),
            ("поранені", 10),
            ("поранено", 10),
            ("ранені", 10),
            ("раненые", 10),
            ("ранены", 10),
            ("heridos", 10),
            ("blesses", 10),
            ("feriti", 10),
            ("verletzte", 10),
            ("total injured", 11),
            ("people injured", 11),
            ("number injured", 11),
            ("civilians injured", 9),
            ("civilian injuries", 9),
            ("civilians wounded", 9),
        ],
    ),
    (
        Role::Csv(CsvRole::Source),
        &[
            ("source", 10),
            ("sources", 10),
            ("url", 9),
            ("link", 9),
            ("links", 9),
            ("reference", 8),
            ("references", 8),
            ("source url", 11),
            ("source link", 11),
            ("джерело", 10),
            ("источник", 10),
            ("fuente", 10),
            ("quelle", 10),
            ("source name", 10),
            ("outlet", 9),
            ("reported by", 8),
        ],
    ),
    (
        Role::ChildrenKilled,
        &[
            ("children killed", 12),
            ("child killed", 12),
            ("killed children", 12),
            ("child deaths", 12),
            ("children dead", 12),
            ("kids killed", 12),
            ("minors killed", 12),
            ("child fatalities", 12),
        ],
    ),
    (
        Role::ChildrenInjured,
        &[
            ("children injured", 12),
            ("child injured", 12),
            ("injured children", 12),
            ("children wounded", 12),
            ("child injuries", 12),
            ("minors injured", 12),
        ],
    ),
    (
        Role::Launched,
        &[
            ("launched", 10),
            ("fired", 8),
            ("total launched", 11),
            ("number launched", 11),
        ],
    ),
    (
        Role::Intercepted,
        &[
            ("intercepted", 10),
            ("destroyed", 7),
            ("shot down", 10),
            ("downed", 8),
        ],
    ),
    (
        Role::Id,
        &[
            ("=id", 10),
            ("event id", 10),
            ("incident id", 10),
            ("=uid", 9),
            ("=identifier", 9),
            ("=#", 7),
            ("record id", 9),
            ("=fid", 8),
            ("=objectid", 8),
        ],
    ),
];

/// The phrases of a role (none for the dates, which [`date_score`] finds).
fn phrases(role: Role) -> &'static [(&'static str, u8)] {
    PHRASES
        .iter()
        .find(|(r, _)| *r == role)
        .map_or(&[], |(_, p)| p)
}

/// A role a column can get: the mapping dialog's roles and the few it does not offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A role of the mapping dialog.
    Csv(CsvRole),
    /// Children among the killed.
    ChildrenKilled,
    /// Children among the injured.
    ChildrenInjured,
    /// Weapons launched.
    Launched,
    /// Weapons intercepted.
    Intercepted,
    /// The record's identifier.
    Id,
}

/// The roles found in a header.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Matched {
    /// Each role and its column.
    pub roles: Vec<(Role, usize)>,
    /// Date columns, best first: the event date, then the others (reported, posted), each
    /// a per-row fallback when the ones before it are empty.
    pub dates: Vec<usize>,
    /// "Casualties"-like columns that count killed and injured together: kept as they are,
    /// never taken as either.
    pub casualties: Vec<usize>,
}

impl Matched {
    /// The column of a role.
    pub fn get(&self, role: Role) -> Option<usize> {
        self.roles.iter().find(|(r, _)| *r == role).map(|&(_, c)| c)
    }
}

/// How well a date-like header says "the date the event happened": event words first,
/// plain dates next, posting and reporting dates last; `None` for no date or an end date.
fn date_score(w: &[String]) -> Option<(u8, bool)> {
    let has = |set: &[&str]| w.iter().any(|x| set.contains(&x.as_str()));
    let joined = w.join(" ");
    let reported_phrase = [
        "reported on",
        "posted on",
        "published on",
        "created at",
        "updated at",
    ]
    .iter()
    .any(|p| joined.contains(p));
    // "Reported on", "Created at" ("on" and "at" are dropped as noise).
    let reported_alone = w.len() == 1
        && [
            "reported",
            "posted",
            "published",
            "uploaded",
            "created",
            "updated",
            "added",
        ]
        .contains(&w[0].as_str());
    if !has(DATE_WORDS) && !reported_phrase && !reported_alone {
        return None;
    }
    // "time of day", "time zone", "date precision", "data source": about a date, not one.
    if has(&[
        "zone",
        "precision",
        "accuracy",
        "format",
        "year",
        "month",
        "week",
        "weekday",
        "source",
        "note",
        "notes",
        "comment",
        "sources",
        "type",
        "set",
        "quality",
        "provider",
    ]) {
        return None;
    }
    let end = has(END_WORDS);
    if has(REPORTED_WORDS) || reported_phrase || reported_alone {
        return Some((4, end));
    }
    let score = if has(EVENT_WORDS) {
        12
    } else if w.len() == 1 && (w[0] == "time" || w[0] == "day" || w[0] == "when") {
        8
    } else {
        10
    };
    Some((score, end))
}

/// How well a header's words fit a phrase list (0: not at all).
fn phrase_score(w: &[String], list: &[(&str, u8)]) -> u8 {
    let joined = format!(" {} ", w.join(" "));
    let exact = w.join(" ");
    list.iter()
        .filter(|(p, _)| match p.strip_prefix('=') {
            Some(e) => exact == e,
            None => joined.contains(&format!(" {p} ")),
        })
        .map(|&(_, s)| s)
        .max()
        .unwrap_or(0)
}

/// Every role but the dates, in the order ties are broken.
const ROLES: [Role; 18] = [
    Role::ChildrenKilled,
    Role::ChildrenInjured,
    Role::Csv(CsvRole::Lat),
    Role::Csv(CsvRole::Lon),
    Role::Csv(CsvRole::LatLon),
    Role::Csv(CsvRole::Killed),
    Role::Csv(CsvRole::Injured),
    Role::Launched,
    Role::Intercepted,
    Role::Csv(CsvRole::Weapon),
    Role::Csv(CsvRole::Target),
    Role::Csv(CsvRole::Place),
    Role::Csv(CsvRole::Admin1),
    Role::Csv(CsvRole::Country),
    Role::Csv(CsvRole::Title),
    Role::Csv(CsvRole::Desc),
    Role::Csv(CsvRole::Source),
    Role::Id,
];

/// Find the roles of a header's columns.
pub fn match_headers(headers: &[String]) -> Matched {
    let words: Vec<Vec<String>> = headers.iter().map(|h| words(h)).collect();
    let mut taken = vec![false; headers.len()];
    let mut m = Matched::default();
    // Dates first: a date column is never a place or a title.
    let mut dates: Vec<(u8, usize)> = Vec::new();
    let mut ends: Vec<(u8, usize)> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if let Some((score, end)) = date_score(w) {
            taken[i] = true;
            if end {
                ends.push((score, i));
            } else {
                dates.push((score, i));
            }
        }
    }
    dates.sort_by_key(|&(s, i)| (std::cmp::Reverse(s), i));
    m.dates = dates.into_iter().map(|(_, i)| i).collect();
    ends.sort_by_key(|&(s, i)| (std::cmp::Reverse(s), i));
    if let Some(&(_, i)) = ends.first() {
        m.roles.push((Role::Csv(CsvRole::End), i));
    }
    for (i, w) in words.iter().enumerate() {
        if w.iter()
            .any(|x| x == "casualties" || x == "casualty" || x == "victims")
            && !w
                .iter()
                .any(|x| x.contains("kill") || x.contains("injur") || x.contains("dead"))
        {
            m.casualties.push(i);
            taken[i] = true;
        }
    }
    let mut scored: Vec<(u8, usize, usize)> = Vec::new();
    for (r, &role) in ROLES.iter().enumerate() {
        for (i, w) in words.iter().enumerate() {
            let s = phrase_score(w, phrases(role));
            if s > 0 && !taken[i] {
                scored.push((s, r, i));
            }
        }
    }
    scored.sort_by_key(|&(s, r, i)| (std::cmp::Reverse(s), r, i));
    for (_, r, i) in scored {
        let role = ROLES[r];
        if taken[i] || m.get(role).is_some() {
            continue;
        }
        taken[i] = true;
        m.roles.push((role, i));
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(h: &[&str]) -> Matched {
        match_headers(&h.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn header_words() {
        assert_eq!(words("Latitude (WGS84)"), ["latitude"]);
        assert_eq!(words("eventDate"), ["event", "date"]);
        assert_eq!(words("Date of attack"), ["date", "attack"]);
        assert_eq!(words("Descripción"), ["descripcion"]);
        assert_eq!(words("Дата"), ["дата"]);
        assert_eq!(words("N"), ["n"]);
    }

    #[test]
    fn people_s_words_find_their_roles() {
        let m = roles(&[
            "Post Date",
            "Incident date",
            "Lat",
            "Longitude (WGS84)",
            "Town",
            "Governorate",
            "Civilians killed",
            "Casualties",
            "Source URL",
        ]);
        assert_eq!(
            m.dates,
            [1, 0],
            "the incident date first, the post date as fallback"
        );
        assert_eq!(m.get(Role::Csv(CsvRole::Lat)), Some(2));
        assert_eq!(m.get(Role::Csv(CsvRole::Lon)), Some(3));
        assert_eq!(m.get(Role::Csv(CsvRole::Place)), Some(4));
        assert_eq!(m.get(Role::Csv(CsvRole::Admin1)), Some(5));
        assert_eq!(m.get(Role::Csv(CsvRole::Killed)), Some(6));
        assert_eq!(m.casualties, [7]);
        assert_eq!(m.get(Role::Csv(CsvRole::Source)), Some(8));

        let m = roles(&[
            "X",
            "Y",
            "Reported on",
            "Date of attack",
            "Location",
            "District",
        ]);
        assert_eq!(m.get(Role::Csv(CsvRole::Lon)), Some(0));
        assert_eq!(m.get(Role::Csv(CsvRole::Lat)), Some(1));
        assert_eq!(m.dates, [3, 2]);
        assert_eq!(m.get(Role::Csv(CsvRole::Place)), Some(4));

        let m = roles(&["fecha", "lugar", "muertos", "heridos"]);
        assert_eq!(m.dates, [0]);
        assert_eq!(m.get(Role::Csv(CsvRole::Place)), Some(1));
        assert_eq!(m.get(Role::Csv(CsvRole::Killed)), Some(2));
        assert_eq!(m.get(Role::Csv(CsvRole::Injured)), Some(3));

        let m = roles(&["дата", "населений пункт", "область", "загиблі", "поранені"]);
        assert_eq!(m.dates, [0]);
        assert_eq!(m.get(Role::Csv(CsvRole::Place)), Some(1));
        assert_eq!(m.get(Role::Csv(CsvRole::Admin1)), Some(2));

        let m = roles(&[
            "Event Date",
            "End date",
            "Coordinates",
            "Killed",
            "Children killed",
        ]);
        assert_eq!(m.dates, [0]);
        assert_eq!(m.get(Role::Csv(CsvRole::End)), Some(1));
        assert_eq!(m.get(Role::Csv(CsvRole::LatLon)), Some(2));
        assert_eq!(m.get(Role::Csv(CsvRole::Killed)), Some(3));
        assert_eq!(m.get(Role::ChildrenKilled), Some(4));
    }
}
