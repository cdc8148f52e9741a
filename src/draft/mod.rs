//! Draft events from a news report, offline: the report's sentences are read for places (the
//! world gazetteer), times (the publication date and the report's words), weapons, targets,
//! casualty and attack counts; each draft keeps the sentences it came from.
//!
//! Rule-based on purpose: no network, no model weights, and every fact can be traced to
//! its words. What a report does not say stays unknown (`None`), never 0.

mod facts;
mod numbers;
mod places;
mod text;
mod when;

use std::ops::Range;

use jiff::ToSpan;
use jiff::civil::Date;

use crate::geo::world::WorldGazetteer;
use crate::model::{Event, EventTime, Location, LocationPrecision, Source, TimePrecision};
use numbers::{CountKind, Merge};
use places::{Kind, Mention, Placed};
use text::Sentence;
pub use when::Published;
use when::When;

/// Harm that a sentence after a place's own adds to it ("hit" alone is too loose there:
/// "temperatures due to hit -8").
const HARM_AFTER: &[&str] = &[
    "killed",
    "died",
    "dead",
    "injured",
    "wounded",
    "destroyed",
    "damaged",
    "debris",
    "ablaze",
    "fire",
    "fires",
    "explosion",
    "explosions",
    "struck",
    "hospitalised",
    "hospitalized",
];

/// What to draft with.
#[derive(Clone, Debug)]
pub struct DraftOptions {
    /// The report's publication date, if the user knows it (else it is looked for in the text).
    pub published: Option<Date>,
    /// Today: the year of a dateline without one, and the reference when no publication date
    /// is known at all.
    pub today: Date,
}

/// The words a draft came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Evidence {
    /// The sentence.
    pub text: String,
    /// Its byte range in the report.
    pub bytes: Range<usize>,
    /// Its range in characters (Unicode scalar values) of the report.
    pub chars: Range<usize>,
}

/// One drafted event.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    /// The event, in the strikemap schema.
    pub event: Event,
    /// The sentences it came from, in report order.
    pub evidence: Vec<Evidence>,
    /// How sure the drafter is (0–1): a gazetteer match, a stated time, harm named, counts.
    pub confidence: f32,
    /// An attack total (launched / intercepted over a country), not one strike.
    pub attack_level: bool,
}

/// The drafts of one report.
#[derive(Clone, Debug, PartialEq)]
pub struct Drafted {
    /// The publication date used, and how it was known; `None` if none was given or found.
    pub published: Option<Published>,
    /// The drafts, in the order the report first tells of them.
    pub drafts: Vec<Draft>,
}

/// A draft being built: what the sentences said so far.
struct Building {
    placed: Placed,
    attack_level: bool,
    sentences: Vec<usize>,
    whens: Vec<When>,
    listed_only: bool,
    killed: Option<u32>,
    injured: Option<u32>,
    children_killed: Option<u32>,
    children_injured: Option<u32>,
    launched: Option<u32>,
    intercepted: Option<u32>,
    weapons: Vec<crate::model::Weapon>,
    weapon_detail: Option<String>,
    target: Option<crate::model::Target>,
    quoted: Option<String>,
    /// The time the report was telling of when this draft was first named: its time if
    /// none of its own sentences gives one.
    context: Option<When>,
}

impl Building {
    fn new(placed: Placed, attack_level: bool, context: Option<When>) -> Self {
        Self {
            context,
            placed,
            attack_level,
            sentences: Vec::new(),
            whens: Vec::new(),
            listed_only: true,
            killed: None,
            injured: None,
            children_killed: None,
            children_injured: None,
            launched: None,
            intercepted: None,
            weapons: Vec::new(),
            weapon_detail: None,
            target: None,
            quoted: None,
        }
    }

    /// Whether this is the same place as `p`: the same gazetteer entry at the same
    /// precision ("Kiev" and "Kyiv" are one), or the same name placed at the same region.
    fn same_place(&self, p: &Placed) -> bool {
        let q = &self.placed;
        let here = (q.geo.lat, q.geo.lon, q.precision) == (p.geo.lat, p.geo.lon, p.precision);
        let own_name = |x: &Placed| {
            x.note
                .as_deref()
                .is_some_and(|n| n.contains("not in the gazetteer"))
        };
        here && (own_name(q) == own_name(p)) && (!own_name(p) || q.label == p.label)
    }

    /// Take what `tokens` (this draft's part of sentence `si`) say.
    fn learn(&mut self, si: usize, s: &Sentence, tokens: &[text::Token], people: &[String]) {
        self.learn_after(si, s, tokens, people, None);
    }

    /// [`Self::learn`] from a clause after one whose last casualty count was `elided`.
    fn learn_after(
        &mut self,
        si: usize,
        s: &Sentence,
        tokens: &[text::Token],
        people: &[String],
        elided: Option<CountKind>,
    ) {
        if !self.sentences.contains(&si) {
            self.sentences.push(si);
        }
        let counts = numbers::counts_with(tokens, elided);
        for (kind, value, merge) in numbers::combine(&counts) {
            let slot = match kind {
                CountKind::Killed => &mut self.killed,
                CountKind::Injured => &mut self.injured,
                CountKind::ChildrenKilled => &mut self.children_killed,
                CountKind::ChildrenInjured => &mut self.children_injured,
                CountKind::Launched => &mut self.launched,
                CountKind::Intercepted => &mut self.intercepted,
            };
            if self.attack_level != matches!(kind, CountKind::Launched | CountKind::Intercepted) {
                continue;
            }
            *slot = Some(match (merge, *slot) {
                (_, None) | (Merge::Replace, _) => value,
                (Merge::Add, Some(v)) => v + value,
                (Merge::Max | Merge::Floor, Some(v)) => v.max(value),
            });
        }
        let (weapons, detail) = facts::weapons(tokens);
        for w in weapons {
            if !self.weapons.contains(&w) {
                self.weapons.push(w);
            }
        }
        if self.weapon_detail.is_none() {
            self.weapon_detail = detail;
        }
        if self.target.is_none() && !self.attack_level {
            self.target = facts::target(tokens);
        }
        if self.quoted.is_none() {
            self.quoted = facts::quoted(s, people);
        }
    }
}

/// Draft the events of a report.
pub fn draft(report: &str, opts: &DraftOptions) -> Result<Drafted, String> {
    let world = WorldGazetteer::get().map_err(|e| format!("the world gazetteer: {e}"))?;
    let sentences = text::sentences(report);
    let published = match opts.published {
        Some(date) => Some(Published {
            date,
            how: "given".to_owned(),
        }),
        None => when::find_published(&sentences, report, opts.today),
    };
    let base = published.as_ref().map_or(opts.today, |p| p.date);
    let people = facts::people(&sentences);
    let outlet = facts::outlet(&sentences, report);
    let mentions: Vec<Vec<Mention>> = sentences.iter().map(places::mentions).collect();
    let countries = report_countries(world, &sentences, &mentions);
    let main_country = countries.first().cloned();

    let mut built: Vec<Building> = Vec::new();
    let mut focus: Option<usize> = None;
    let mut quiet = 0;
    let mut attack_focus: Option<usize> = None;
    let mut context: Option<When> = None;
    for (si, s) in sentences.iter().enumerate() {
        let when = when::time_in(s, base);
        if when.as_ref().is_some_and(|w| w.period) || !facts::continues(s) {
            focus = None;
            attack_focus = None;
            continue;
        }
        let strike = facts::tells_of_strike(s);
        let ms = &mentions[si];
        let resolved = resolve(world, ms, &countries);
        let events: Vec<(usize, &Placed)> = event_places(ms, &resolved);
        if strike && !events.is_empty() {
            let all_listed = events.iter().all(|(k, _)| ms[*k].listed) && events.len() > 1;
            let mut this = Vec::new();
            let mut elided = None;
            for (n, (k, p)) in events.iter().enumerate() {
                let b = match built
                    .iter()
                    .position(|b| !b.attack_level && b.same_place(p))
                {
                    Some(b) => b,
                    None => {
                        built.push(Building::new((*p).clone(), false, context.clone()));
                        built.len() - 1
                    }
                };
                let seg = segment(s, ms, &events, n, all_listed, *k);
                if !ms[*k].listed || events.len() == 1 {
                    built[b].listed_only = false;
                }
                let tokens = &s.tokens[seg];
                built[b].learn_after(si, s, tokens, &people, elided);
                elided = numbers::counts_with(tokens, elided)
                    .iter()
                    .rev()
                    .map(|c| c.kind)
                    .find(|k| matches!(k, CountKind::Killed | CountKind::Injured))
                    .or(elided);
                if let Some(w) = &when {
                    built[b].whens.push(w.clone());
                }
                this.push(b);
            }
            focus = (this.len() == 1).then(|| this[0]);
            quiet = 0;
        } else if events.is_empty()
            && let Some(b) = focus
        {
            // A sentence that goes on about the place just named ("Tragically, three people
            // were killed."), if it adds a count or names harm; two sentences that do not
            // end the account.
            let counts = numbers::counts(&s.tokens);
            let attack_total = counts
                .iter()
                .any(|c| matches!(c.kind, CountKind::Launched | CountKind::Intercepted));
            let harm = s.has_any(HARM_AFTER)
                || (s.has_any(&["hit", "hits"]) && facts::target(&s.tokens).is_some());
            // "... in the aftermath of the latest assault last Tuesday": when it was.
            let dated = when.is_some() && facts::tells_of_strike(s);
            if !attack_total && (!counts.is_empty() || harm || dated) {
                built[b].learn(si, s, &s.tokens, &people);
                if let Some(w) = &when {
                    built[b].whens.push(w.clone());
                }
                quiet = 0;
            } else {
                quiet += 1;
                if quiet > 2 {
                    focus = None;
                }
            }
        } else if !events.is_empty() {
            focus = None;
        }
        let at = Attack {
            world,
            people: &people,
            main_country: main_country.as_deref(),
            context: when.clone().or_else(|| context.clone()),
        };
        attack_focus = at.sentence(s, si, ms, &when, attack_focus, &mut built);
        // The first time the report tells of is its main account's: later ones are often
        // updates ("the toll rose to 33 on Tuesday").
        if strike
            && context.is_none()
            && let Some(w) = &when
        {
            context = Some(w.clone());
        }
    }
    let drafts = built
        .into_iter()
        .enumerate()
        .map(|(n, b)| {
            finish(
                n,
                b,
                report,
                &sentences,
                &published,
                base,
                outlet.as_deref(),
            )
        })
        .collect();
    Ok(Drafted { published, drafts })
}

/// The countries a report is about (ISO2, most named first): named countries and the
/// countries of named regions. Namesake places elsewhere are not taken for them.
fn report_countries(
    world: &WorldGazetteer,
    sentences: &[Sentence],
    mentions: &[Vec<Mention>],
) -> Vec<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    let mut add = |iso2: String| match counts.iter_mut().find(|c| c.0 == iso2) {
        Some(c) => c.1 += 1,
        None => counts.push((iso2, 1)),
    };
    for m in mentions.iter().flatten() {
        let found = match m.kind {
            Kind::Region => world.geocode(None, Some(&m.name), None).ok(),
            Kind::Place => world
                .geocode(Some(&m.name), None, None)
                .ok()
                .filter(|g| g.precision == LocationPrecision::Country),
            Kind::District => None,
        };
        if let Some(g) = found {
            add(g.country);
        }
    }
    // "Ukrainian cities", "Russian drones": the adjective names the country too.
    const DEMONYMS: &[(&str, &str)] = &[
        ("ukrainian", "UA"),
        ("russian", "RU"),
        ("syrian", "SY"),
        ("sudanese", "SD"),
        ("yemeni", "YE"),
        ("israeli", "IL"),
        ("palestinian", "PS"),
        ("lebanese", "LB"),
        ("iranian", "IR"),
        ("iraqi", "IQ"),
        ("belarusian", "BY"),
        ("gazan", "PS"),
    ];
    for t in sentences.iter().flat_map(|s| &s.tokens) {
        if let Some((_, iso2)) = DEMONYMS.iter().find(|d| d.0 == t.lower) {
            add((*iso2).to_owned());
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    counts.into_iter().map(|c| c.0).collect()
}

/// Each mention's place: regions and countries by name, places and districts in the region
/// the sentence names (the nearest one, before the place first).
fn resolve(world: &WorldGazetteer, ms: &[Mention], countries: &[String]) -> Vec<Option<Placed>> {
    ms.iter()
        .enumerate()
        .map(|(k, m)| {
            let region = ms[..k]
                .iter()
                .rev()
                .chain(ms[k + 1..].iter())
                .find(|r| r.kind == Kind::Region)
                .map(|r| r.name.as_str());
            let region = if m.kind == Kind::Region { None } else { region };
            places::place(world, m, region, countries)
        })
        .collect()
}

/// The mentions that are places struck: settlements and districts, and regions that hold
/// none of them (a region named only as where a place is, "Uryupinsk in the Volgograd
/// region", is not an event of its own). Countries never are.
fn event_places<'a>(ms: &[Mention], resolved: &'a [Option<Placed>]) -> Vec<(usize, &'a Placed)> {
    let inner: Vec<&Placed> = ms
        .iter()
        .zip(resolved)
        .filter(|(m, _)| matches!(m.kind, Kind::Place | Kind::District))
        .filter_map(|(_, p)| p.as_ref())
        .filter(|p| p.precision != LocationPrecision::Country)
        .collect();
    ms.iter()
        .zip(resolved)
        .enumerate()
        .filter_map(|(k, (m, p))| {
            let p = p.as_ref()?;
            if p.precision == LocationPrecision::Country {
                return None;
            }
            // "Kyiv's" of "Kyiv's Podilsky district" only says whose district it is.
            if ms
                .get(k + 1)
                .is_some_and(|d| d.within.as_deref() == Some(m.name.as_str()))
            {
                return None;
            }
            let container = m.kind == Kind::Region
                && inner.iter().any(|q| {
                    q.geo.admin1.is_some()
                        && q.geo.admin1 == p.geo.admin1
                        && q.geo.country == p.geo.country
                });
            (!container).then_some((k, p))
        })
        .collect()
}

/// The tokens of sentence `s` that speak of event `n` (mention `k`): the whole sentence if
/// it names one place; the name alone when the places are one list ("including Poltava,
/// Kharkiv, and Kyiv": what follows is about all of them); else from its name to the next.
fn segment(
    s: &Sentence,
    ms: &[Mention],
    events: &[(usize, &Placed)],
    n: usize,
    all_listed: bool,
    k: usize,
) -> Range<usize> {
    if events.len() == 1 {
        return 0..s.tokens.len();
    }
    if all_listed {
        return ms[k].tokens.clone();
    }
    let start = if n == 0 {
        0
    } else {
        boundary(s, ms[k].tokens.start)
    };
    let end = events
        .get(n + 1)
        .map_or(s.tokens.len(), |(j, _)| boundary(s, ms[*j].tokens.start));
    start..end.max(start)
}

/// Where the words about a place named at token `at` begin: its preposition, and a count
/// said just before it ("... killed in Dnipro and one in Pokrovsk").
fn boundary(s: &Sentence, at: usize) -> usize {
    let t = &s.tokens;
    let mut k = at;
    while k > 0
        && matches!(
            t[k - 1].lower.as_str(),
            "the" | "in" | "on" | "at" | "near" | "of" | "town" | "city" | "village"
        )
    {
        k -= 1;
    }
    if k > 0 && numbers::value(&t[k - 1]).is_some() {
        k -= 1;
    }
    k
}

/// What attack-level sentences need: totals launched and shot down over a country.
struct Attack<'a> {
    world: &'a WorldGazetteer,
    people: &'a [String],
    main_country: Option<&'a str>,
    context: Option<When>,
}

impl Attack<'_> {
    /// Draft or extend an attack total from sentence `si`; the draft it went to (the next
    /// sentence's "Of these, 110 were intercepted" joins it).
    fn sentence(
        &self,
        s: &Sentence,
        si: usize,
        ms: &[Mention],
        when: &Option<When>,
        focus: Option<usize>,
        built: &mut Vec<Building>,
    ) -> Option<usize> {
        let kinds: Vec<CountKind> = numbers::counts(&s.tokens).iter().map(|c| c.kind).collect();
        let launched = kinds.contains(&CountKind::Launched);
        if !launched && !kinds.contains(&CountKind::Intercepted) {
            return None;
        }
        let b = match focus.filter(|_| !launched) {
            Some(b) => b,
            None => {
                let country = self.target_country(s, ms, built)?;
                let geo = self.world.geocode(None, None, Some(&country)).ok()?;
                let placed = Placed {
                    label: geo.name.clone(),
                    precision: LocationPrecision::Country,
                    note: Some("an attack total over the country, not one strike".to_owned()),
                    geo,
                };
                built.push(Building::new(placed, true, self.context.clone()));
                built.len() - 1
            }
        };
        let d = &mut built[b];
        d.listed_only = false;
        d.learn(si, s, &s.tokens, self.people);
        if let Some(w) = when {
            d.whens.push(w.clone());
        }
        Some(b)
    }

    /// Which country an attack total is over: one named after "on" / "against", the one
    /// whose air force reports it, the other side of "Ukrainian drones" / "by Russia", or
    /// the country of the report's places.
    fn target_country(&self, s: &Sentence, ms: &[Mention], built: &[Building]) -> Option<String> {
        let t = &s.tokens;
        for m in ms {
            let before = m.tokens.start.checked_sub(1).map(|k| t[k].lower.as_str());
            let country = || {
                self.world
                    .geocode(None, None, Some(&m.name))
                    .is_ok_and(|g| g.precision == LocationPrecision::Country)
            };
            if matches!(
                before,
                Some("on" | "against" | "over" | "across" | "targeting")
            ) && country()
            {
                return Some(m.name.clone());
            }
        }
        // "Ukraine's air force reported": the attack was on the country reporting it.
        for k in 0..t.len() {
            let own = t
                .get(k + 1)
                .is_some_and(|w| matches!(w.lower.as_str(), "air" | "military"));
            if let Some(name) = t[k]
                .text
                .strip_suffix("'s")
                .or_else(|| t[k].text.strip_suffix("’s"))
                && own
                && self
                    .world
                    .geocode(None, None, Some(name))
                    .is_ok_and(|g| g.precision == LocationPrecision::Country)
            {
                return Some(name.to_owned());
            }
        }
        // The side attacked ("at Ukrainian cities") or the attacker ("Ukrainian drones", "a
        // Russian assault", "by Russia", "Russia fired"): the other side of the war this
        // tool is most used for.
        let lower: Vec<&str> = t.iter().map(|x| x.lower.as_str()).collect();
        let side = |w: &str| match w {
            "ukraine" | "ukrainian" | "ukraine's" => Some("Ukraine"),
            "russia" | "russian" | "russia's" => Some("Russia"),
            _ => None,
        };
        let other = |c: &str| if c == "Ukraine" { "Russia" } else { "Ukraine" };
        for (k, w) in lower.iter().enumerate() {
            let Some(c) = side(w) else { continue };
            let before = k.checked_sub(1).map(|p| lower[p]);
            let after = lower.get(k + 1).copied().unwrap_or("");
            if matches!(before, Some("at" | "on" | "against" | "targeting" | "over")) {
                return Some(c.to_owned());
            }
            let attacker_noun = numbers::WEAPON_NOUNS.contains(&after)
                || matches!(
                    after,
                    "assault"
                        | "attack"
                        | "attacks"
                        | "strike"
                        | "strikes"
                        | "forces"
                        | "military"
                        | "aerial"
                        | "army"
                        | "air"
                );
            let attacker_verb = matches!(
                after,
                "launched"
                    | "fired"
                    | "attacked"
                    | "struck"
                    | "shelled"
                    | "hit"
                    | "targeted"
                    | "bombed"
            );
            if before == Some("by") || attacker_verb || (attacker_noun && !w.ends_with("'s")) {
                return Some(other(c).to_owned());
            }
        }
        built
            .iter()
            .find(|b| !b.attack_level)
            .map(|b| b.placed.geo.country.clone())
            .or_else(|| self.main_country.map(str::to_owned))
    }
}

/// Byte offset → character offset in `text`.
fn char_at(text: &str, byte: usize) -> usize {
    text.get(..byte).map_or(0, |t| t.chars().count())
}

fn day_start(d: Date) -> i64 {
    crate::import::time::date_seconds(d).unwrap_or(0)
}

/// The days of a draft: where its sentences' times agree (their overlap), else the first
/// one's; the report's context or the days around publication when none says.
fn days_of(b: &Building, published: &Option<Published>, base: Date) -> (Date, Date, String) {
    let mut notes: Vec<String> = Vec::new();
    let (mut first, mut last) = match b.whens.first().or(b.context.as_ref()) {
        Some(w) => {
            notes.push(w.note.clone());
            if b.whens.is_empty() {
                notes.push("from the report's account around it".to_owned());
            }
            (w.first, w.last)
        }
        None => {
            notes.push(
                "the report gives no day: the day of publication or the day before".to_owned(),
            );
            (base.checked_sub(1.day()).unwrap_or(base), base)
        }
    };
    for w in b.whens.iter().skip(1) {
        let (f, l) = (first.max(w.first), last.min(w.last));
        if f <= l {
            if (f, l) != (first, last) {
                notes.push(w.note.clone());
            }
            (first, last) = (f, l);
        }
    }
    match published {
        Some(p) => notes.push(format!("published {} ({})", p.date, p.how)),
        None => {
            first = first.checked_sub(7.days()).unwrap_or(first);
            notes.push(format!(
                "publication date unknown (give it with --published): taken as up to a week before {base}"
            ));
        }
    }
    (first, last, notes.join("; "))
}

/// The draft's event and evidence.
fn finish(
    n: usize,
    b: Building,
    report: &str,
    sentences: &[Sentence],
    published: &Option<Published>,
    base: Date,
    outlet: Option<&str>,
) -> Draft {
    let (first, last, time_note) = days_of(&b, published, base);
    let start = day_start(first);
    let end = day_start(last.checked_add(1.day()).unwrap_or(last));
    let time = if first == last {
        EventTime::at(start, TimePrecision::Day)
    } else {
        EventTime::range(start, end)
    };
    let country = WorldGazetteer::get()
        .ok()
        .and_then(|w| w.country_aliases(&b.placed.geo.country))
        .and_then(|a| a.into_iter().next())
        .unwrap_or_else(|| b.placed.geo.country.clone());
    let p = &b.placed;
    let location = Location {
        lat: p.geo.lat,
        lon: p.geo.lon,
        precision: p.precision,
        place: match p.precision {
            LocationPrecision::Region | LocationPrecision::Country if p.label == p.geo.name => None,
            _ => Some(p.label.clone()),
        },
        admin1: p.geo.admin1.clone(),
        country: Some(country),
    };
    let mut e = Event::new(format!("draft-{}", n + 1), time, location);
    e.time_note = Some(time_note);
    e.location_note = p.note.clone();
    e.weapons = b.weapons.clone();
    e.weapon_detail = b.weapon_detail.clone();
    e.target = b.target;
    e.killed = b.killed;
    e.injured = b.injured;
    e.children_killed = b.children_killed;
    e.children_injured = b.children_injured;
    e.launched = b.launched;
    e.intercepted = b.intercepted;
    let evidence: Vec<Evidence> = b
        .sentences
        .iter()
        .filter_map(|&si| sentences.get(si))
        .map(|s| Evidence {
            text: report.get(s.span.clone()).unwrap_or("").to_owned(),
            bytes: s.span.clone(),
            chars: char_at(report, s.span.start)..char_at(report, s.span.end),
        })
        .collect();
    e.description = Some(
        evidence
            .iter()
            .map(|v| v.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    );
    e.title = Some(title(&b, &e));
    e.sources = vec![Source {
        outlet: outlet.map(str::to_owned),
        title: None,
        url: None,
        published: published.as_ref().map(|p| p.date.to_string()),
        quoted: b.quoted.clone(),
    }];
    let confidence = confidence(&b, &e, sentences);
    Draft {
        event: e,
        evidence,
        confidence,
        attack_level: b.attack_level,
    }
}

/// A headline in plain words: "Drone strike on Bohodukhiv", "Attack on Ukraine: 138
/// launched, 110 intercepted".
fn title(b: &Building, e: &Event) -> String {
    let place = &b.placed.label;
    if b.attack_level {
        let mut t = format!("Attack on {place}");
        let parts: Vec<String> = [("launched", e.launched), ("intercepted", e.intercepted)]
            .iter()
            .filter_map(|(w, v)| v.map(|v| format!("{v} {w}")))
            .collect();
        if !parts.is_empty() {
            t.push_str(": ");
            t.push_str(&parts.join(", "));
        }
        return t;
    }
    let what = match e.weapons.first() {
        Some(crate::model::Weapon::Drone) => "Drone strike",
        Some(crate::model::Weapon::CruiseMissile) => "Cruise missile strike",
        Some(crate::model::Weapon::BallisticMissile) => "Ballistic missile strike",
        Some(crate::model::Weapon::GuidedBomb) => "Guided bomb strike",
        Some(crate::model::Weapon::Artillery) => "Shelling",
        Some(crate::model::Weapon::Other) => "Missile strike",
        _ => "Strike",
    };
    format!("{what} on {place}")
}

/// How sure the draft is: a place the gazetteer knows, a time the report states, harm
/// named, counts given; a place only listed among others is less sure.
fn confidence(b: &Building, e: &Event, sentences: &[Sentence]) -> f32 {
    let mut c: f32 = 0.35;
    if b.placed.note.is_none()
        || matches!(
            b.placed.precision,
            LocationPrecision::Settlement | LocationPrecision::District
        )
    {
        c += 0.2;
    }
    if !b.whens.is_empty() {
        c += 0.15;
    }
    let harm = b
        .sentences
        .iter()
        .filter_map(|&si| sentences.get(si))
        .any(|s| {
            s.has_any(&[
                "killed",
                "injured",
                "wounded",
                "destroyed",
                "damaged",
                "hit",
                "struck",
                "died",
            ])
        });
    if harm {
        c += 0.15;
    }
    if e.killed.is_some() || e.injured.is_some() || e.launched.is_some() {
        c += 0.1;
    }
    if b.listed_only {
        c -= 0.15;
    }
    c.clamp(0.05, 0.95)
}
